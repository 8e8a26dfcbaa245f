// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a zfs root needs in the target besides the pool (install/inst-zfs.c),
 * as the Proxmox VE installer writes it:
 *
 * - /etc/modprobe.d/zfs.conf: "options zfs zfs_arc_max=<bytes>", on every
 *   root (Proxmox writes it even without a zfs root, for a pool made later).
 *   The value is zfs.arc-max (MiB) or the default, then clamped (Proxmox's
 *   Proxmox::Install::RunEnv, default_zfs_arc_max and clamp_zfs_arc_max, and
 *   test/zfs-arc-max.pl): default 10% of the memory rounded to the nearest
 *   MiB, at least 64 MiB and at most 16 GiB; clamped to at most the memory
 *   less 1 GiB, then to at least 64 MiB (0 stays 0: ZFS's own default). The
 *   memory is MemTotal in whole MiB, 512 when unknown.
 * - a zfs root: /etc/hostid copied from the live environment, where the
 *   pool was made, and the root on the kernel command line for either loader:
 *   GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX root=ZFS=rpool/ROOT/pve-1 boot=zfs"
 *   in /etc/default/grub.d/zfs.cfg, and /etc/kernel/cmdline starting with the
 *   same words (the passthrough step appends the plan's to the loader's file).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "path.h"
#include "target/inst-cfg.h"
#include "util.h"

unsigned long long inst_cfg_zfs_arc_default(unsigned long long mem_mib)
{
	char buf[32];
	unsigned long long mib;

	/* rounded as Proxmox's Perl rounds it: a "%.0f" format of 10% of the memory */
	snprintf(buf, sizeof(buf), "%.0f", (double)mem_mib * 0.1);
	mib = strtoull(buf, NULL, 10);
	if (mib > INST_ZFS_ARC_MAX_MIB)
		return INST_ZFS_ARC_MAX_MIB;
	if (mib < INST_ZFS_ARC_MIN_MIB)
		return INST_ZFS_ARC_MIN_MIB;
	return mib;
}

unsigned long long inst_cfg_zfs_arc_clamp(unsigned long long mib, unsigned long long mem_mib)
{
	long long v = (long long)mib, limit = (long long)mem_mib - 1024;

	if (mib == 0)
		return 0;
	if (v > limit)
		v = limit;	/* a GiB is left to the host; may go below the minimum */
	if (v < (long long)INST_ZFS_ARC_MIN_MIB)
		return INST_ZFS_ARC_MIN_MIB;
	return (unsigned long long)v;
}

char *inst_cfg_zfs_modprobe_text(unsigned long long arc_mib, unsigned long long mem_mib,
				 struct ip_err *err)
{
	unsigned long long mib = arc_mib ? arc_mib : inst_cfg_zfs_arc_default(mem_mib);
	char *t = NULL;

	mib = inst_cfg_zfs_arc_clamp(mib, mem_mib);
	if (asprintf(&t, "options zfs zfs_arc_max=%llu\n", mib * 1024 * 1024) < 0) {
		ip_err_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	return t;
}

/* The live system's /etc/hostid into the target, when it has one. */
static int copy_hostid(struct inst_ctx *ctx)
{
	_cleanup_free_ char *id = NULL;
	size_t len = 0;
	int ret;

	ret = path_read_all(ctx->sysroot, "/etc/hostid", 64, &id, &len);
	if (ret == -ENOENT) {
		ip_warn("the live system has no '/etc/hostid': the node keeps its own, ignoring");
		return 0;
	}
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s/etc/hostid'",
				    ctx->sysroot ? ctx->sysroot : "");
	ret = path_write_file(ctx->target, "/etc/hostid", id, len, 0644);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot write '%s/etc/hostid'", ctx->target);
	return 0;
}

int inst_cfg_zfs(struct inst_ctx *ctx)
{
	unsigned long long mem_mib = ctx->hw ? ctx->hw->mem_total_kib / 1024 : 0;
	unsigned long long arc = ctx->answer && ctx->answer->disk.filesystem == ANSWER_FS_ZFS
				 ? ctx->answer->disk.zfs_arc_max : 0;
	_cleanup_free_ char *text = NULL;
	int ret;

	text = inst_cfg_zfs_modprobe_text(arc, mem_mib ? mem_mib : 512, &ctx->err);
	if (!text)
		return ctx->err.code;
	ret = inst_cfg_write(ctx, INST_ZFS_MODPROBE, text, 0644);
	if (ret < 0 || strcmp(ctx->layout.root_fstype, "zfs"))
		return ret;
	ret = copy_hostid(ctx);
	if (ret == 0)
		ret = inst_cfg_write(ctx, INST_GRUB_ZFS_DROPIN,
				     "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX " INST_ZFS_ROOT_ARGS
				     "\"\n", 0644);
	if (ret == 0)
		ret = inst_cfg_write(ctx, INST_KERNEL_CMDLINE, INST_ZFS_ROOT_ARGS "\n", 0644);
	return ret;
}
