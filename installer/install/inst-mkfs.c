// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Filesystems: FAT32 on the ESP, swap on pve/swap, ext4 or xfs on pve/root, or
 * one btrfs over every disk's third partition (inst-btrfs.c), or the zfs pool
 * and its datasets over them (inst-zfs.c); then their UUIDs (blkid) into
 * ctx->layout for fstab and the boot loader. With btrfs only the first disk's
 * ESP gets a filesystem: the others stay empty until ESPs are kept in sync.
 * With zfs every disk's ESP gets one, as Proxmox makes them: each is a boot
 * loader's (proxmox-boot-tool keeps them in sync, or GRUB is put on each).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-disk.h"
#include "install/inst-steps.h"

static bool uuid_ok(const char *u)
{
	size_t n = strlen(u);

	if (n == 0 || n > 40)
		return false;
	for (; *u; u++)
		if (!strchr("0123456789abcdefABCDEF-", *u))
			return false;
	return true;
}

static int read_uuid(struct inst_ctx *ctx, const char *dev, char *buf, size_t size)
{
	const char *argv[] = { "blkid", "-c", "/dev/null", "-o", "value", "-s", "UUID", dev, NULL };
	char *out = NULL;
	int ret;

	ret = inst_run(ctx, argv, NULL, &out);
	if (ret < 0)
		return ret;
	if (ctx->dry_run) {	/* nothing was created: a recognisable placeholder */
		free(out);
		snprintf(buf, size, "00000000-0000-0000-0000-000000000000");
		return 0;
	}
	out[strcspn(out, "\r\n")] = '\0';
	if (!uuid_ok(out) || strlen(out) >= size)
		ret = ip_err_set(&ctx->err, -EINVAL, "no filesystem UUID on '%s'", dev);
	else
		snprintf(buf, size, "%s", out);
	free(out);
	return ret;
}

static int mkfs(struct inst_ctx *ctx, const char *fstype, const char *dev, bool bs512)
{
	const char *ext4[] = { "mkfs.ext4", "-F", "-q", dev, NULL };
	const char *xfs[] = { "mkfs.xfs", "-f", "-q", dev, NULL };
	const char *vfat[] = { "mkfs.fat", "-F", "32", dev, NULL };
	const char *vfat4k[] = { "mkfs.fat", "-F", "32", "-s", "1", dev, NULL };
	const char *swap[] = { "mkswap", "-f", dev, NULL };
	const char *const *argv;

	if (!inst_fstype_ok(fstype))
		return ip_err_set(&ctx->err, -EINVAL, "filesystem type '%s' not allowed", fstype);
	if (!inst_dev_ok(dev))
		return ip_err_set(&ctx->err, -EINVAL, "invalid device '%s'", dev);
	if (!strcmp(fstype, "ext4"))
		argv = ext4;
	else if (!strcmp(fstype, "xfs"))
		argv = xfs;
	else if (!strcmp(fstype, "swap"))
		argv = swap;
	else	/* FAT32 on 4Kn disks needs one sector per cluster to fit */
		argv = bs512 ? vfat : vfat4k;
	return inst_run(ctx, argv, NULL, NULL);
}

/* A zfs root: vfat on every ESP, the pool and datasets, the ESPs' UUIDs. */
static int mkfs_zfs(struct inst_ctx *ctx)
{
	struct inst_layout *l = &ctx->layout;
	int ret;

	if (l->swap_dev[0] || strcmp(l->root_dev, INST_ZFS_ROOT))
		return ip_err_set(&ctx->err, -EINVAL, "a zfs root is '%s', without swap",
				  INST_ZFS_ROOT);
	inst_progress(ctx, "mkfs", 0, "creating the EFI system partitions");
	ret = mkfs(ctx, "vfat", l->part_esp, l->logical_block != 4096);
	for (size_t k = 0; k < l->n_extra && ret == 0; k++)
		ret = mkfs(ctx, "vfat", l->extra[k].part_esp, l->extra[k].logical_block != 4096);
	if (ret < 0)
		return ret;
	inst_progress(ctx, "mkfs", 40, "creating the zfs pool");
	ret = inst_zfs_create(ctx);
	if (ret == 0)
		ret = read_uuid(ctx, l->part_esp, l->esp_uuid, sizeof(l->esp_uuid));
	for (size_t k = 0; k < l->n_extra && ret == 0; k++)
		ret = read_uuid(ctx, l->extra[k].part_esp, l->extra[k].esp_uuid,
				sizeof(l->extra[k].esp_uuid));
	if (ret < 0)
		return ret;
	inst_progress(ctx, "mkfs", 100, INST_ZFS_ROOT);
	return 0;
}

int inst_mkfs(struct inst_ctx *ctx)
{
	struct inst_layout *l = &ctx->layout;
	bool bs512 = l->logical_block != 4096;
	int ret;

	if (!strcmp(l->root_fstype, "zfs"))
		return mkfs_zfs(ctx);

	if (!l->root_fstype[0])
		snprintf(l->root_fstype, sizeof(l->root_fstype), "ext4");
	inst_progress(ctx, "mkfs", 0, "creating the EFI system partition");
	ret = mkfs(ctx, "vfat", l->part_esp, bs512);
	if (ret < 0)
		return ret;
	if (l->swap_dev[0]) {
		inst_progress(ctx, "mkfs", 20, "creating swap");
		ret = mkfs(ctx, "swap", l->swap_dev, bs512);
		if (ret < 0)
			return ret;
	}
	inst_progress(ctx, "mkfs", 40, "creating the root filesystem");
	if (!strcmp(l->root_fstype, "btrfs")) {
		if (l->swap_dev[0] || strcmp(l->root_dev, l->part_lvm))
			return ip_err_set(&ctx->err, -EINVAL,
					  "a btrfs root is '%s' itself, without swap", l->part_lvm);
		ret = inst_btrfs_mkfs(ctx);
	} else {
		ret = mkfs(ctx, l->root_fstype, l->root_dev, bs512);
	}
	if (ret < 0)
		return ret;
	ret = read_uuid(ctx, l->root_dev, l->root_uuid, sizeof(l->root_uuid));
	if (ret == 0)
		ret = read_uuid(ctx, l->part_esp, l->esp_uuid, sizeof(l->esp_uuid));
	if (ret == 0 && l->swap_dev[0])
		ret = read_uuid(ctx, l->swap_dev, l->swap_uuid, sizeof(l->swap_uuid));
	if (ret < 0)
		return ret;
	inst_progress(ctx, "mkfs", 100, l->root_uuid);
	return 0;
}
