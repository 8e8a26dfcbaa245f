// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Partitioning like Proxmox VE: GPT with
 *	1  BIOS boot	1 MiB	21686148-6449-6E6F-744E-656564454649
 *	2  ESP		512 MiB, 1 GiB on disks above 100 GiB
 *					C12A7328-F81F-11D2-BA4B-00A0C93EC93B
 *	3  LVM		the rest (or up to lvm.hdsize)
 *					E6D6D379-F507-44C2-A23C-238F2A3DF928
 *	   or, for a btrfs root, on every disk of it (up to btrfs.hdsize):
 *	   Linux filesystem	0FC63DAF-8483-4772-8E79-3D69D8477DE4
 *			(Proxmox's sgdisk type 8300)
 *	   or, for a zfs root, on every disk of it (up to zfs.hdsize):
 *	   Solaris /usr & Mac ZFS	6A898CC3-1DD2-11B2-99A6-080020736631
 *			(Proxmox's sgdisk type BF01)
 * written by sfdisk from a script on stdin. sfdisk aligns every partition to
 * its grain (1 MiB by default), so the first starts at 1 MiB on 512-byte and
 * 4Kn disks alike. What runs is the disk step's list (inst-disk-plan.c):
 * volume groups stopped, old signatures wiped, then the table written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "log.h"
#include "path.h"
#include "runner.h"
#include "util.h"

#define TYPE_BIOS "21686148-6449-6E6F-744E-656564454649"
#define TYPE_ESP  "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"

unsigned long long inst_esp_mib(uint64_t disk_bytes)
{
	return disk_bytes > 100 * GIB ? 1024 : 512;
}

char *inst_part_script(unsigned long long esp_mib, unsigned long long os_mib,
		       const char *os_type)
{
	struct strbuf sb = { 0 };

	sb_puts(&sb, "label: gpt\n");
	sb_puts(&sb, "\n");
	sb_printf(&sb, "size=1MiB, type=%s\n", TYPE_BIOS);
	sb_printf(&sb, "size=%lluMiB, type=%s\n", esp_mib, TYPE_ESP);
	if (os_mib)
		sb_printf(&sb, "size=%lluMiB, type=%s\n", os_mib, os_type);
	else
		sb_printf(&sb, "type=%s\n", os_type);
	return sb_detach(&sb);
}

/* Right before the first write: nobody may have started to use a disk since the disk step. */
static int recheck_users(struct inst_ctx *ctx, const struct inst_layout_disk *d)
{
	struct inst_disk_users u;
	char why[4096];
	int ret;

	ret = inst_disk_users(ctx->sysroot, d->disk, &u, &ctx->err);
	if (ret < 0)
		return ret;
	if (u.n_busy) {
		inst_disk_users_str(&u, why, sizeof(why));
		return ip_err_set(&ctx->err, -EBUSY, "refusing to write to '%s': %s",
				  d->disk_dev, why);
	}
	if (u.n_idle_vg)
		return ip_err_set(&ctx->err, -EBUSY,
				  "refusing to write to '%s': volume group '%s' is still active",
				  d->disk_dev, u.idle_vg[0]);
	return 0;
}

/* The layout disk whose device is @dev, or -ENOENT. */
static int find_disk(const struct inst_layout *l, const char *dev, struct inst_layout_disk *d)
{
	for (size_t k = 0; k < inst_layout_n_disks(l); k++) {
		inst_layout_nth(l, k, d);
		if (!strcmp(d->disk_dev, dev))
			return 0;
	}
	return -ENOENT;
}

/*
 * Run the disk step's list of destructive actions: volume groups on the disk
 * are deactivated, the checks run once more, then the old signatures are
 * wiped (partitions first) and the new table written.
 */
int inst_partition(struct inst_ctx *ctx)
{
	struct inst_layout *l = &ctx->layout;
	const struct inst_actions *acts = &ctx->actions;
	const char *settle[] = { "udevadm", "settle", "--timeout=30", NULL };
	const char *os_type = !strcmp(l->root_fstype, "btrfs") ? INST_PART_TYPE_LINUX
				: !strcmp(l->root_fstype, "zfs") ? INST_PART_TYPE_ZFS
				: INST_PART_TYPE_LVM;
	struct inst_layout_disk d;
	bool written = false;
	int ret = 0;

	if (!inst_dev_ok(l->disk_dev))
		return ip_err_set(&ctx->err, -EINVAL, "invalid disk device '%s'", l->disk_dev);
	if (!acts->n)
		return ip_err_set(&ctx->err, -EINVAL,
				  "no actions were decided for '%s' (the disk step decides them)",
				  l->disk_dev);
	inst_progress(ctx, "partition", 0, "stopping volume groups on the disk");
	for (size_t i = 0; i < acts->n && ret == 0; i++) {
		const char *off[] = { "vgchange", "-a", "n", acts->a[i].arg, NULL };

		if (acts->a[i].kind == INST_ACT_VG_OFF)
			ret = runner_word_ok(acts->a[i].arg) ? inst_run(ctx, off, NULL, NULL)
				: ip_err_set(&ctx->err, -EINVAL, "invalid volume group name '%s'",
					     acts->a[i].arg);
	}
	for (size_t k = 0; k < inst_layout_n_disks(l) && ret == 0; k++) {
		inst_layout_nth(l, k, &d);
		ret = recheck_users(ctx, &d);
	}
	inst_progress(ctx, "partition", 10, "wiping old signatures");
	for (size_t i = 0; i < acts->n && ret == 0; i++) {
		const struct inst_action *a = &acts->a[i];
		const char *wipe[] = { "wipefs", "-a", a->arg, NULL };
		const char *labelclear[] = { "zpool", "labelclear", "-f", a->arg, NULL };
		const char *sfdisk[] = { "sfdisk", "--wipe", "always", "--wipe-partitions",
					 "always", a->arg, NULL };
		char *script;

		switch (a->kind) {
		case INST_ACT_LABELCLEAR:
			/* best effort, as for Proxmox: wipefs and the new table follow */
			if (!inst_dev_ok(a->arg))
				return ip_err_set(&ctx->err, -EINVAL, "invalid device '%s'", a->arg);
			ip_info("%s", a->desc);
			ret = inst_run(ctx, labelclear, NULL, NULL);
			if (ret < 0 && ret != -EINTR) {
				ip_warn("%s, ignoring", ip_err_msg(&ctx->err));
				ip_err_clear(&ctx->err);
				ret = 0;
			}
			written = true;
			break;
		case INST_ACT_WIPEFS:
			if (!inst_dev_ok(a->arg))
				return ip_err_set(&ctx->err, -EINVAL, "invalid device '%s'", a->arg);
			ip_info("%s", a->desc);
			ret = inst_run(ctx, wipe, NULL, NULL);
			written = true;
			break;
		case INST_ACT_SFDISK:
			if (find_disk(l, a->arg, &d) < 0 || !inst_dev_ok(a->arg))
				return ip_err_set(&ctx->err, -EINVAL, "invalid device '%s'", a->arg);
			script = inst_part_script(d.esp_mib, d.os_to_end ? 0 : d.os_mib, os_type);
			if (!script)
				return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
			inst_progress(ctx, "partition", 30, "writing the partition table");
			ip_info("%s", a->desc);
			ret = inst_run(ctx, sfdisk, script, NULL);
			free(script);
			written = true;
			break;
		default:
			break;
		}
	}
	if (ret < 0)
		return ret;
	if (!written)
		return ip_err_set(&ctx->err, -EINVAL, "no partition table was written to '%s'",
				  l->disk_dev);
	/* sfdisk already told the kernel; these only make sure udev caught up */
	for (size_t k = 0; k < inst_layout_n_disks(l); k++) {
		const char *partprobe[] = { "partprobe", d.disk_dev, NULL };

		inst_layout_nth(l, k, &d);
		if (inst_run(ctx, partprobe, NULL, NULL) < 0)
			ip_err_clear(&ctx->err);
	}
	if (inst_run(ctx, settle, NULL, NULL) < 0)
		ip_err_clear(&ctx->err);
	inst_progress(ctx, "partition", 100, l->disk_dev);
	return 0;
}
