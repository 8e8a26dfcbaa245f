// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage rootfs: the Debian live root, made by mmdebstrap and cached under a
 * key over the suite, the sorted package list and the mirror. The root is
 * built in a temp directory in the cache and renamed into place when
 * mmdebstrap has finished, so an interrupted build leaves nothing trusted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bld.h"
#include "util.h"

/* What the live environment and the installer need (design §4, issue 4). */
const char *const bld_live_packages[] = {
	"linux-image-amd64", "live-boot", "systemd-sysv", "udev", "kmod",
	"dialog", "pciutils", "pci.ids", "lvm2", "fdisk", "parted",
	"e2fsprogs", "xfsprogs", "btrfs-progs", "dosfstools",
	"grub-pc-bin", "grub-efi-amd64-bin", "grub-efi-amd64-signed", "shim-signed", "efibootmgr",
	"curl", "ca-certificates", "zstd", "iproute2", "ifupdown", "isc-dhcp-client",
	/* the installer's runtime libraries */
	"libpci3", "libarchive13", "libjson-c5", "libcurl4", "libssl3", "libcrypt1",
	NULL,
};

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *bld_package_list(const struct bld_ctx *ctx)
{
	const struct answer_profile *p = ctx->profile ? &ctx->profile->profile : NULL;
	size_t n_base = 0, n_extra = p ? p->n_live_packages : 0, n = 0;
	struct strbuf sb = { 0 };
	const char **all;

	while (bld_live_packages[n_base])
		n_base++;
	all = calloc(n_base + n_extra + 1, sizeof(*all));
	if (!all)
		return NULL;
	for (size_t i = 0; i < n_base; i++)
		all[n++] = bld_live_packages[i];
	for (size_t i = 0; i < n_extra; i++)
		all[n++] = p->live_packages[i];
	qsort(all, n, sizeof(*all), str_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(all[i], all[i - 1]))
			continue;
		sb_printf(&sb, "%s%s", sb.len ? "," : "", all[i]);
	}
	free(all);
	return sb_detach(&sb);
}

const char *bld_suite(const struct bld_ctx *ctx)
{
	if (ctx->profile && ctx->profile->profile.suite && ctx->profile->profile.suite[0])
		return ctx->profile->profile.suite;
	return "bookworm";
}

const char *bld_mirror(const struct bld_ctx *ctx)
{
	if (ctx->profile && ctx->profile->profile.mirror && ctx->profile->profile.mirror[0])
		return ctx->profile->profile.mirror;
	return NULL;
}

int bld_rootfs_key(const struct bld_ctx *ctx, const char *packages, char key[65])
{
	struct bld_key *k = bld_key_new("rootfs");

	if (!k)
		return -ENOMEM;
	bld_key_add(k, "variant", "minbase");
	bld_key_add(k, "suite", bld_suite(ctx));
	bld_key_add(k, "packages", packages);
	bld_key_add(k, "mirror", bld_mirror(ctx));
	return bld_key_finish(k, key);
}

int bld_stage_rootfs(struct bld_ctx *ctx)
{
	char tmp[BLD_PATH_MAX], target[BLD_PATH_MAX], entry[BLD_PATH_MAX];
	char include[8192];
	char *packages;
	int ret;

	packages = bld_package_list(ctx);
	if (!packages)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	ret = bld_rootfs_key(ctx, packages, ctx->rootfs_key);
	if (ret < 0) {
		ip_err_errno(&ctx->err, ret, "cannot compute the rootfs cache key");
		goto out;
	}
	if (bld_cache_entry(ctx, "rootfs", ctx->rootfs_key, entry, sizeof(entry)) < 0 ||
	    bld_path(ctx->rootfs_dir, sizeof(ctx->rootfs_dir), "%s/root", entry) < 0 ||
	    bld_path(include, sizeof(include), "--include=%s", packages) < 0) {
		ret = ip_err_set(&ctx->err, -ENAMETOOLONG, "cache path too long '%s'",
				 ctx->cachedir);
		goto out;
	}
	if (bld_cache_has(ctx, "rootfs", ctx->rootfs_key)) {
		bld_report(ctx, "rootfs", BLD_EV_CACHED, 0, "%.12s", ctx->rootfs_key);
		goto out;
	}
	ret = bld_cache_sweep(ctx, "rootfs");
	if (ret < 0)
		goto out;
	ret = bld_cache_tmp(ctx, "rootfs", ctx->rootfs_key, tmp, sizeof(tmp));
	if (ret < 0)
		goto out;
	if (bld_path(target, sizeof(target), "%s/root", tmp) < 0) {
		ret = ip_err_set(&ctx->err, -ENAMETOOLONG, "cache path too long '%s'", tmp);
		goto out;
	}
	bld_report(ctx, "rootfs", BLD_EV_PROGRESS, 0, "mmdebstrap %s (%.12s)", bld_suite(ctx),
		   ctx->rootfs_key);
	{
		const char *argv[] = { "mmdebstrap", "--variant=minbase", "--mode=root",
				       include, bld_suite(ctx), target, bld_mirror(ctx), NULL };

		ret = bld_run_argv(ctx, "rootfs", argv, NULL);
	}
	if (ret < 0)
		goto out;
	ret = bld_cache_commit(ctx, tmp, "rootfs", ctx->rootfs_key);
out:
	free(packages);
	return ret;
}
