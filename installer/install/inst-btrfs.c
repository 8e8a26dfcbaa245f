// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A btrfs root the way the Proxmox VE installer lays it out (Proxmox::Install,
 * btrfs_create and the btrfs branch of its disk setup):
 *
 * - every disk gets BIOS boot, ESP and a third partition of type Linux
 *   filesystem (inst-part.c), up to btrfs.hdsize;
 * - one filesystem over the third partitions, in the disks' order:
 *   `mkfs.btrfs -f -d LEVEL -m LEVEL PART…`, data and metadata with the same
 *   level; raid0 also on a single disk (no "dup" or "single");
 * - the root is the filesystem's top level (no root subvolume, no subvol= in
 *   fstab); after mounting, the subvolume var/lib/pve/local-btrfs is made for
 *   the "btrfs: local-btrfs" storage, and var/lib/vz for "dir: local";
 * - fstab: `UUID=<fs uuid> / btrfs defaults[,compress[=ALG]] 0 1`
 *   (target/inst-cfg-fstab.c); no swap.
 *
 * The installer mounts the root with the other devices named (device=), so the
 * mount does not depend on a device scan having seen them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "log.h"
#include "path.h"

bool inst_btrfs_raid_ok(const char *raid)
{
	static const char *const ok[] = { "raid0", "raid1", "raid10" };

	for (size_t i = 0; raid && i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(raid, ok[i]))
			return true;
	return false;
}

int inst_btrfs_mkfs_argv(const struct inst_layout *l, const char **argv, size_t max,
			 struct ip_err *err)
{
	size_t nd = inst_layout_n_disks(l), n = 0;

	if (!inst_btrfs_raid_ok(l->btrfs_raid))
		return ip_err_set(err, -EINVAL, "invalid btrfs RAID level '%s'", l->btrfs_raid);
	if (nd < inst_disk_min(ANSWER_FS_BTRFS, l->btrfs_raid))
		return ip_err_set(err, -EINVAL, "btrfs %s needs at least %zu disks, not %zu",
				  l->btrfs_raid, inst_disk_min(ANSWER_FS_BTRFS, l->btrfs_raid),
				  nd);
	if (max < 7 + nd)
		return ip_err_set(err, -E2BIG, "too many btrfs devices: %zu", nd);
	argv[n++] = "mkfs.btrfs";
	argv[n++] = "-f";
	argv[n++] = "-d";
	argv[n++] = l->btrfs_raid;
	argv[n++] = "-m";
	argv[n++] = l->btrfs_raid;
	for (size_t k = 0; k < nd; k++) {
		const char *dev = k ? l->extra[k - 1].part_os : l->part_lvm;

		if (!inst_dev_ok(dev))
			return ip_err_set(err, -EINVAL, "invalid device '%s'", dev);
		argv[n++] = dev;
	}
	argv[n] = NULL;
	return 0;
}

int inst_btrfs_mount_opts(const struct inst_layout *l, char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "noatime");

	for (size_t k = 0; k < l->n_extra && len < size; k++) {
		if (!inst_dev_ok(l->extra[k].part_os))
			return -EINVAL;
		len += (size_t)snprintf(buf + len, size - len, ",device=%s", l->extra[k].part_os);
	}
	return len < size ? 0 : -ENAMETOOLONG;
}

int inst_btrfs_mkfs(struct inst_ctx *ctx)
{
	const char *argv[INST_MAX_DISKS + 8];
	int ret;

	ret = inst_btrfs_mkfs_argv(&ctx->layout, argv, sizeof(argv) / sizeof(argv[0]),
				   &ctx->err);
	if (ret < 0)
		return ret;
	ip_info("making btrfs (%s) over %zu device%s", ctx->layout.btrfs_raid,
		inst_layout_n_disks(&ctx->layout),
		inst_layout_n_disks(&ctx->layout) == 1 ? "" : "s");
	return inst_run(ctx, argv, NULL, NULL);
}

int inst_btrfs_subvols(struct inst_ctx *ctx)
{
	char sub[512];
	const char *create[] = { "btrfs", "subvolume", "create", sub, NULL };
	int ret;

	if (path_join(sub, sizeof(sub), ctx->target, "/var/lib/pve/local-btrfs") < 0 ||
	    !inst_path_ok(sub))
		return ip_err_set(&ctx->err, -EINVAL, "invalid target directory '%s'",
				  ctx->target);
	if (!ctx->dry_run) {
		ret = path_mkdirs(ctx->target, "/var/lib/vz", 0755);
		if (ret == 0)
			ret = path_mkdirs(ctx->target, "/var/lib/pve", 0755);
		if (ret < 0)
			return ip_err_errno(&ctx->err, ret, "cannot create '%s/var/lib/pve'",
					    ctx->target);
	}
	return inst_run(ctx, create, NULL, NULL);
}
