// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Disks from /sys/block (loop, ram, zram and device-mapper nodes are not
 * disks; md arrays are kept and marked), their transport derived from the
 * device path, and the boot medium: the disk holding what is mounted on
 * /run/live/medium (live-boot's mount point).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/hw-probe.h"
#include "path.h"
#include "util.h"

#define LIVE_MEDIUM "/run/live/medium"

static bool hw_disk_skip(const char *name)
{
	static const char *const skip[] = { "loop", "ram", "zram", "dm-" };

	for (size_t i = 0; i < ARRAY_SIZE(skip); i++)
		if (str_startswith(name, skip[i]))
			return true;
	return false;
}

static void hw_disk_transport(struct hw *hw, struct hw_disk *d)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *t = "unknown";

	snprintf(path, sizeof(path), "/sys/block/%s", d->name);
	if (hw_readlink(hw, path, target, sizeof(target)) < 0)
		target[0] = '\0';
	if (str_startswith(d->name, "nvme") || strstr(target, "/nvme/"))
		t = "nvme";
	else if (d->md)
		t = "md";
	else if (strstr(target, "/usb"))
		t = "usb";
	else if (strstr(target, "/virtio"))
		t = "virtio";
	else if (strstr(target, "/ata"))
		t = "sata";
	else if (str_startswith(d->name, "mmcblk"))
		t = "mmc";
	else if (strstr(target, "/host"))
		t = "scsi";
	else if (strstr(target, "/virtual/"))
		t = "virtual";
	snprintf(d->transport, sizeof(d->transport), "%s", t);
}

static void hw_disk_attrs(struct hw *hw, struct hw_disk *d)
{
	char path[PATH_MAX];
	uint64_t v;

	snprintf(path, sizeof(path), "/sys/block/%s/size", d->name);
	if (hw_attr_u64(hw, path, &v, false) == 0) {
		if (v > UINT64_MAX / 512)
			hw_note(hw, "implausible size in '%s', ignoring", path);
		else
			d->size_bytes = v * 512;
	}
	snprintf(path, sizeof(path), "/sys/block/%s/queue/logical_block_size", d->name);
	d->logical_block = 512;
	if (hw_attr_u64(hw, path, &v, true) == 0 && v >= 512 && v <= 65536)
		d->logical_block = (unsigned)v;
	snprintf(path, sizeof(path), "/sys/block/%s/queue/rotational", d->name);
	d->rotational = hw_attr_u64(hw, path, &v, true) == 0 && v;
	snprintf(path, sizeof(path), "/sys/block/%s/removable", d->name);
	d->removable = hw_attr_u64(hw, path, &v, true) == 0 && v;
	snprintf(path, sizeof(path), "/sys/block/%s/ro", d->name);
	d->readonly = hw_attr_u64(hw, path, &v, true) == 0 && v;
	snprintf(path, sizeof(path), "/sys/block/%s/device/model", d->name);
	hw_attr_str(hw, path, d->model, sizeof(d->model), true);
	snprintf(path, sizeof(path), "/sys/block/%s/device/serial", d->name);
	if (hw_attr_str(hw, path, d->serial, sizeof(d->serial), true) < 0) {
		snprintf(path, sizeof(path), "/sys/block/%s/serial", d->name);
		hw_attr_str(hw, path, d->serial, sizeof(d->serial), true);
	}
	snprintf(path, sizeof(path), "/sys/block/%s/wwid", d->name);
	if (hw_attr_str(hw, path, d->wwn, sizeof(d->wwn), true) < 0) {
		snprintf(path, sizeof(path), "/sys/block/%s/device/wwid", d->name);
		hw_attr_str(hw, path, d->wwn, sizeof(d->wwn), true);
	}
}

static int hw_disk_partitions(struct hw *hw, struct hw_disk *d)
{
	char path[PATH_MAX], **names;
	size_t n;
	int ret;

	snprintf(path, sizeof(path), "/sys/block/%s", d->name);
	ret = hw_list_dir(hw, path, &names, &n);
	if (ret < 0)
		return ret == -ENOMEM ? ret : 0;
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/sys/block/%s/%s/partition", d->name, names[i]);
		if (path_exists(hw->sysroot, path))
			d->n_partitions++;
	}
	d->has_partitions = d->n_partitions > 0;
	hw_names_free(names, n);
	return 0;
}

/* Source device of the live medium mount from mountinfo, else /proc/mounts. */
static void hw_disk_medium_source(struct hw *hw, char *src, size_t size)
{
	char *buf;

	src[0] = '\0';
	if (path_read_all(hw->sysroot, "/proc/self/mountinfo", 4 << 20, &buf, NULL) == 0) {
		for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			char mnt[PATH_MAX], fstype[64], source[256];
			const char *dash;

			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			dash = strstr(line, " - ");
			if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
			    strcmp(mnt, LIVE_MEDIUM) ||
			    sscanf(dash + 3, "%63s %255s", fstype, source) != 2)
				continue;
			snprintf(src, size, "%.*s", (int)size - 1, source);
		}
		free(buf);
		if (src[0])
			return;
	}
	if (path_read_all(hw->sysroot, "/proc/mounts", 4 << 20, &buf, NULL) == 0) {
		for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			char mnt[PATH_MAX], source[256];

			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			if (sscanf(line, "%255s %4095s", source, mnt) == 2 &&
			    !strcmp(mnt, LIVE_MEDIUM))
				snprintf(src, size, "%.*s", (int)size - 1, source);
		}
		free(buf);
	}
}

static void hw_disk_mark_medium(struct hw *hw)
{
	char name[128], path[PATH_MAX], target[PATH_MAX];
	const char *base;

	hw_disk_medium_source(hw, hw->boot_medium_dev, sizeof(hw->boot_medium_dev));
	if (!hw->boot_medium_dev[0])
		return;
	/* /dev/disk/by-label/... and similar: follow the link inside the sysroot */
	if (hw_readlink(hw, hw->boot_medium_dev, target, sizeof(target)) == 0)
		base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
	else
		base = strrchr(hw->boot_medium_dev, '/') ? strrchr(hw->boot_medium_dev, '/') + 1
							 : hw->boot_medium_dev;
	snprintf(name, sizeof(name), "%.127s", base);
	for (size_t i = 0; i < hw->n_disks; i++) {
		struct hw_disk *d = &hw->disks[i];

		snprintf(path, sizeof(path), "/sys/block/%s/%s/partition", d->name, name);
		if (!strcmp(d->name, name) || path_exists(hw->sysroot, path)) {
			d->is_boot_medium = true;
			return;
		}
	}
	hw_note(hw, "live medium '%s' is not on a known disk", hw->boot_medium_dev);
}

int hw_disk_scan(struct hw *hw)
{
	char **names;
	size_t n;
	int ret;

	ret = hw_list_dir(hw, "/sys/block", &names, &n);
	if (ret == -ENOMEM)
		return ret;
	if (ret < 0)
		return hw_note(hw, "cannot read '/sys/block': %s, no disks", strerror(-ret));
	hw->disks = calloc(n ? n : 1, sizeof(*hw->disks));
	if (!hw->disks) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct hw_disk *d = &hw->disks[hw->n_disks];

		if (hw_disk_skip(names[i]))
			continue;
		if (strlen(names[i]) >= sizeof(d->name)) {
			hw_note(hw, "ignoring block device with a too long name '%.40s...'",
				names[i]);
			continue;
		}
		snprintf(d->name, sizeof(d->name), "%s", names[i]);
		d->md = str_startswith(d->name, "md");
		d->optical = str_startswith(d->name, "sr");
		hw_disk_attrs(hw, d);
		hw_disk_transport(hw, d);
		ret = hw_disk_partitions(hw, d);
		if (ret < 0)
			goto out;
		hw->n_disks++;
	}
	hw_disk_mark_medium(hw);
	ret = 0;
out:
	hw_names_free(names, n);
	return ret;
}
