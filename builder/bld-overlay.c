// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage overlay: overlay/ laid over a hard-linked copy of the cached live
 * root, then squashed (zstd, all files root-owned, every time stamp
 * SOURCE_DATE_EPOCH). The kernel and initrd are copied out of /boot. The
 * result is cached under a key over the rootfs key, the overlay's content
 * and the squashfs options, so a profile or answer change never rebuilds it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bld.h"
#include "util.h"

#define SQUASHFS_OPTS "zstd-6,all-root,no-exports,v1"

int bld_live_key(struct bld_ctx *ctx, char key[65])
{
	struct bld_key *k = bld_key_new("live");
	char epoch[32];
	int ret;

	if (!k)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	snprintf(epoch, sizeof(epoch), "%lld", (long long)ctx->source_date_epoch);
	bld_key_add(k, "rootfs", ctx->rootfs_key);
	bld_key_add(k, "squashfs", SQUASHFS_OPTS);
	bld_key_add(k, "epoch", epoch);
	ret = bld_key_add_tree(k, "overlay", ctx->overlay_dir, &ctx->err);
	if (ret < 0) {
		char hex[65];

		bld_key_finish(k, hex);
		return ret;
	}
	return bld_key_finish(k, key);
}

/* The newest "<prefix><version>" in dir (version sort), e.g. vmlinuz-6.1.0-56-amd64. */
static int find_newest(struct bld_ctx *ctx, const char *dir, const char *prefix, char *out,
		       size_t size)
{
	struct dirent **list;
	int n, found = -1;

	n = scandir(dir, &list, NULL, versionsort);
	if (n < 0)
		return ip_err_errno(&ctx->err, -errno, "cannot read directory '%s'", dir);
	for (int i = 0; i < n; i++)
		if (str_startswith(list[i]->d_name, prefix))
			found = i;
	if (found >= 0 && bld_path(out, size, "%s/%s", dir, list[found]->d_name) < 0)
		found = -2;
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	if (found == -1)
		return ip_err_set(&ctx->err, -ENOENT, "no '%s*' in '%s'", prefix, dir);
	if (found < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "path too long '%s'", dir);
	return 0;
}

static int set_outputs(struct bld_ctx *ctx, const char *entry)
{
	if (bld_path(ctx->squashfs, sizeof(ctx->squashfs), "%s/filesystem.squashfs", entry) < 0 ||
	    bld_path(ctx->kernel, sizeof(ctx->kernel), "%s/vmlinuz", entry) < 0 ||
	    bld_path(ctx->initrd, sizeof(ctx->initrd), "%s/initrd.img", entry) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "cache path too long '%s'", entry);
	return 0;
}

static int build_live(struct bld_ctx *ctx, const char *tmp)
{
	char root[BLD_PATH_MAX], boot[BLD_PATH_MAX], src[BLD_PATH_MAX], dst[BLD_PATH_MAX];
	char sqfs[BLD_PATH_MAX], overlay_dot[BLD_PATH_MAX];
	int ret;

	if (bld_path(root, sizeof(root), "%s/root", tmp) < 0 ||
	    bld_path(boot, sizeof(boot), "%s/boot", root) < 0 ||
	    bld_path(sqfs, sizeof(sqfs), "%s/filesystem.squashfs", tmp) < 0 ||
	    bld_path(overlay_dot, sizeof(overlay_dot), "%s/.", ctx->overlay_dir) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "path too long '%s'", tmp);
	/* time stamps: mksquashfs takes SOURCE_DATE_EPOCH (set by bld_run_argv) for the
	 * creation time and every inode; it refuses -mkfs-time/-all-time with it */

	/* a hard-linked copy: overlay files replace links, never edit the cached root */
	bld_report(ctx, "overlay", BLD_EV_PROGRESS, 0, "applying '%s'", ctx->overlay_dir);
	{
		const char *cp_link[] = { "cp", "-a", "--link", ctx->rootfs_dir, root, NULL };
		const char *cp_over[] = { "cp", "-R", "--preserve=mode,links",
					  "--no-dereference", "--remove-destination",
					  overlay_dot, root, NULL };

		ret = bld_run_argv(ctx, "overlay", cp_link, NULL);
		if (ret < 0)
			return ret;
		ret = bld_run_argv(ctx, "overlay", cp_over, NULL);
		if (ret < 0)
			return ret;
	}
	if (!ctx->dry_run) {
		ret = find_newest(ctx, boot, "vmlinuz-", src, sizeof(src));
		if (ret < 0)
			return ret;
		if (bld_path(dst, sizeof(dst), "%s/vmlinuz", tmp) < 0)
			return -ENAMETOOLONG;
		ret = bld_copy_file(ctx, src, dst, 0644);
		if (ret < 0)
			return ret;
		ret = find_newest(ctx, boot, "initrd.img-", src, sizeof(src));
		if (ret < 0)
			return ret;
		if (bld_path(dst, sizeof(dst), "%s/initrd.img", tmp) < 0)
			return -ENAMETOOLONG;
		ret = bld_copy_file(ctx, src, dst, 0644);
		if (ret < 0)
			return ret;
	}
	bld_report(ctx, "overlay", BLD_EV_PROGRESS, 0, "mksquashfs (zstd)");
	{
		const char *argv[] = { "mksquashfs", root, sqfs, "-noappend", "-comp", "zstd",
				       "-Xcompression-level", "6",
				       "-all-root", "-no-exports", "-no-progress", NULL };

		ret = bld_run_argv(ctx, "overlay", argv, NULL);
		if (ret < 0)
			return ret;
	}
	return bld_rm_rf(ctx, root);
}

int bld_stage_overlay(struct bld_ctx *ctx)
{
	char tmp[BLD_PATH_MAX], entry[BLD_PATH_MAX];
	int ret;

	ret = bld_live_key(ctx, ctx->squashfs_key);
	if (ret < 0)
		return ret;
	if (bld_cache_entry(ctx, "live", ctx->squashfs_key, entry, sizeof(entry)) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "cache path too long '%s'",
				  ctx->cachedir);
	ret = set_outputs(ctx, entry);
	if (ret < 0)
		return ret;
	if (bld_cache_has(ctx, "live", ctx->squashfs_key)) {
		bld_report(ctx, "overlay", BLD_EV_CACHED, 0, "%.12s", ctx->squashfs_key);
		return 0;
	}
	ret = bld_cache_sweep(ctx, "live");
	if (ret < 0)
		return ret;
	ret = bld_cache_tmp(ctx, "live", ctx->squashfs_key, tmp, sizeof(tmp));
	if (ret < 0)
		return ret;
	ret = build_live(ctx, tmp);
	if (ret < 0)
		return ret;
	return bld_cache_commit(ctx, tmp, "live", ctx->squashfs_key);
}
