// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage rootfs: the Debian live root, made by mmdebstrap and cached under a
 * key over the suite, the sorted package list, the mirror, the components
 * and the ZFS module package (main and contrib: zfsutils-linux; the modules
 * come from the zfs-modules stage and are installed from their .deb). The
 * root is built in a temp directory in the cache and renamed into place when
 * mmdebstrap has finished, so an interrupted build leaves nothing trusted.
 * The root's kernel must be the one the ZFS modules were built for; when the
 * archive has moved on since, the modules are built again, then the root.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bld.h"
#include "path.h"
#include "util.h"

/* What the live environment and the installer need (design §4, issue 4). */
const char *const bld_live_packages[] = {
	"linux-image-amd64", "live-boot", "systemd-sysv", "udev", "kmod",
	"dialog", "pciutils", "pci.ids", "lvm2", "fdisk", "parted",
	"e2fsprogs", "xfsprogs", "btrfs-progs", "dosfstools",
	"grub-pc-bin", "grub-efi-amd64-bin", "grub-efi-amd64-signed", "shim-signed", "efibootmgr",
	"curl", "ca-certificates", "zstd", "iproute2", "ifupdown", "isc-dhcp-client",
	/* a ZFS root (contrib; the modules come from the zfs-modules stage) */
	"zfsutils-linux",
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
	bld_key_add(k, "components", BLD_ZFS_COMPONENTS);
	/* the module package installed into the root: another build, another root */
	bld_key_add(k, "zfs-modules", ctx->zfs.deb_sha256);
	return bld_key_finish(k, key);
}

int bld_rootfs_argv(const struct bld_ctx *ctx, const char *packages, const char *target,
		    struct bld_rootfs_args *a)
{
	size_t n = 0;

	memset(a, 0, sizeof(*a));
	if (!ctx->zfs.deb[0])
		return -ENOENT;
	if (bld_path(a->include, sizeof(a->include), "--include=%s", packages) < 0 ||
	    bld_path(a->deb, sizeof(a->deb), "--include=%s", ctx->zfs.deb) < 0)
		return -ENAMETOOLONG;
	a->argv[n++] = "mmdebstrap";
	a->argv[n++] = "--variant=minbase";
	a->argv[n++] = "--mode=root";
	a->argv[n++] = "--components=" BLD_ZFS_COMPONENTS;
	a->argv[n++] = a->include;
	/* a local .deb by its absolute path, in an --include of its own; the hook
	 * makes it visible inside the chroot under the same path */
	a->argv[n++] = "--hook-dir=" BLD_AUTOMOUNT_HOOKS;
	a->argv[n++] = a->deb;
	a->argv[n++] = bld_suite(ctx);
	a->argv[n++] = target;
	if (bld_mirror(ctx))
		a->argv[n++] = bld_mirror(ctx);
	a->argv[n] = NULL;
	return 0;
}

/* Is the kernel the ZFS modules were built for the one the root got? */
static int rootfs_kernel_check(struct bld_ctx *ctx, const char *target, bool *stale,
			       char *kernels, size_t size)
{
	char *status = NULL, want[128];
	size_t len;
	int ret;

	*stale = false;
	kernels[0] = '\0';
	ret = path_read_all(target, "var/lib/dpkg/status", 64u << 20, &status, &len);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s/var/lib/dpkg/status'", target);
	ret = bld_dpkg_kernels(status, kernels, size);
	free(status);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot list the kernels of '%s'", target);
	snprintf(want, sizeof(want), " %s ", ctx->zfs.info.kver);
	{
		char padded[1024];

		snprintf(padded, sizeof(padded), " %s ", kernels);
		*stale = !strstr(padded, want);
	}
	return 0;
}

/* One mmdebstrap of the live root; *stale when its kernel is not the ZFS modules'. */
static int rootfs_once(struct bld_ctx *ctx, const char *packages, bool *stale,
		       char *kernels, size_t size)
{
	char tmp[BLD_PATH_MAX], target[BLD_PATH_MAX], entry[BLD_PATH_MAX];
	struct bld_rootfs_args a;
	int ret;

	*stale = false;
	ret = bld_rootfs_key(ctx, packages, ctx->rootfs_key);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot compute the rootfs cache key");
	if (bld_cache_entry(ctx, "rootfs", ctx->rootfs_key, entry, sizeof(entry)) < 0 ||
	    bld_path(ctx->rootfs_dir, sizeof(ctx->rootfs_dir), "%s/root", entry) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "cache path too long '%s'",
				  ctx->cachedir);
	if (bld_cache_has(ctx, "rootfs", ctx->rootfs_key)) {
		bld_report(ctx, "rootfs", BLD_EV_CACHED, 0, "%.12s", ctx->rootfs_key);
		return 0;
	}
	ret = bld_cache_sweep(ctx, "rootfs");
	if (ret < 0)
		return ret;
	ret = bld_cache_tmp(ctx, "rootfs", ctx->rootfs_key, tmp, sizeof(tmp));
	if (ret < 0)
		return ret;
	if (bld_path(target, sizeof(target), "%s/root", tmp) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "cache path too long '%s'", tmp);
	ret = bld_rootfs_argv(ctx, packages, target, &a);
	if (ret == -ENOENT)
		return ip_err_set(&ctx->err, ret, "no ZFS module package (stage '%s' did not run)",
				  BLD_ZFS_KIND);
	if (ret < 0)
		return ip_err_set(&ctx->err, ret, "the live root's package list is too long");
	bld_report(ctx, "rootfs", BLD_EV_PROGRESS, 0, "mmdebstrap %s (%.12s)", bld_suite(ctx),
		   ctx->rootfs_key);
	ret = bld_run_argv(ctx, "rootfs", a.argv, NULL);
	if (ret < 0)
		return ret;
	if (!ctx->dry_run) {
		ret = rootfs_kernel_check(ctx, target, stale, kernels, size);
		if (ret < 0)
			return ret;
		if (*stale)
			return bld_rm_rf(ctx, tmp);
	}
	return bld_cache_commit(ctx, tmp, "rootfs", ctx->rootfs_key);
}

int bld_stage_rootfs(struct bld_ctx *ctx)
{
	char kernels[512], old[sizeof(ctx->zfs.info.kver)];
	char *packages;
	bool stale;
	int ret;

	packages = bld_package_list(ctx);
	if (!packages)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	ret = rootfs_once(ctx, packages, &stale, kernels, sizeof(kernels));
	if (ret == 0 && stale) {
		/* the archive moved on since the modules were built: build them again */
		snprintf(old, sizeof(old), "%s", ctx->zfs.info.kver);
		bld_report(ctx, "rootfs", BLD_EV_PROGRESS, 0,
			   "the live root's kernel is '%s' but the cached ZFS modules are for "
			   "'%s': rebuilding them", kernels, old);
		ret = bld_zfs_modules(ctx, bld_suite(ctx), bld_mirror(ctx), true, &ctx->zfs);
		if (ret == 0)
			ret = rootfs_once(ctx, packages, &stale, kernels, sizeof(kernels));
		if (ret == 0 && stale)
			ret = ip_err_set(&ctx->err, -ESTALE, "the ZFS modules were built for kernel "
					 "'%s' but the live root got '%s'", ctx->zfs.info.kver,
					 kernels);
	}
	free(packages);
	return ret;
}
