// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage zfs-modules: Debian's zfs-dkms built once on the build host (never
 * under TCG) for the kernel of linux-headers-amd64, packed as
 * ironpass-standin-zfs-modules (bld-zfs-deb.c) and cached under
 * <cachedir>/zfs-modules/<key>: the .deb, its info (kernel, versions,
 * sizes, build time) and dkms's signing certificate when it made one.
 *
 * mmdebstrap runs in its null format: its temporary chroot (headers, gcc,
 * the dkms build tree: hundreds of MB) lives under the entry's temp directory
 * (TMPDIR) and is removed by mmdebstrap itself; hooks copy out only
 * /lib/modules, the dpkg status and the certificate. The private key dkms
 * makes stays in that chroot and goes with it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bld-zfs.h"
#include "bld.h"
#include "hash.h"
#include "path.h"
#include "payload/bld-payload.h"
#include "util.h"

const char *const bld_zfs_build_packages[] = {
	"linux-headers-amd64", "zfs-dkms", "openssl", NULL,
};

static void join(struct strbuf *sb, const char *const *w)
{
	for (size_t i = 0; w[i]; i++)
		sb_printf(sb, "%s%s", i ? "," : "", w[i]);
}

int bld_zfs_key(const char *suite, const char *mirror, char key[65])
{
	struct bld_key *k = bld_key_new(BLD_ZFS_KIND);
	struct strbuf pk = { 0 };
	char hex[65];
	int ret;

	if (!k)
		return -ENOMEM;
	join(&pk, bld_zfs_build_packages);
	ret = bld_zfs_templates_digest(hex);
	bld_key_add(k, "variant", "minbase");
	bld_key_add(k, "components", BLD_ZFS_COMPONENTS);
	bld_key_add(k, "suite", suite);
	bld_key_add(k, "mirror", mirror);
	bld_key_add(k, "packages", pk.buf);
	bld_key_add(k, "templates", ret == 0 ? hex : "");
	if (pk.err)
		ret = -ENOMEM;
	sb_release(&pk);
	if (ret < 0) {
		bld_key_finish(k, hex);
		return ret;
	}
	return bld_key_finish(k, key);
}

int bld_zfs_argv(const char *suite, const char *mirror, const char *out,
		 struct bld_zfs_args *a)
{
	struct strbuf pk = { 0 };
	size_t n = 0;
	int ret = 0;

	memset(a, 0, sizeof(*a));
	/* @out goes into a hook that mmdebstrap runs under sh */
	if (!runner_word_ok(out) || !runner_word_ok(suite) || (mirror && !runner_word_ok(mirror)))
		return -EINVAL;
	join(&pk, bld_zfs_build_packages);
	if (pk.err ||
	    bld_path(a->components, sizeof(a->components), "--components=%s",
		     BLD_ZFS_COMPONENTS) < 0 ||
	    bld_path(a->include, sizeof(a->include), "--include=%s", pk.buf) < 0 ||
	    bld_path(a->hooks[0], sizeof(a->hooks[0]),
		     "--customize-hook=sync-out /lib/modules %s/modules", out) < 0 ||
	    bld_path(a->hooks[1], sizeof(a->hooks[1]),
		     "--customize-hook=download /var/lib/dpkg/status %s/status", out) < 0 ||
	    bld_path(a->hooks[2], sizeof(a->hooks[2]),
		     "--customize-hook=if [ -e \"$1/var/lib/dkms/mok.pub\" ]; then "
		     "cp \"$1/var/lib/dkms/mok.pub\" %s/" BLD_ZFS_MOK "; fi", out) < 0)
		ret = -ENAMETOOLONG;
	sb_release(&pk);
	if (ret < 0)
		return ret;
	a->argv[n++] = "mmdebstrap";
	a->argv[n++] = "--variant=minbase";
	a->argv[n++] = "--mode=root";
	a->argv[n++] = a->components;
	a->argv[n++] = a->include;
	for (size_t i = 0; i < ARRAY_SIZE(a->hooks); i++)
		a->argv[n++] = a->hooks[i];
	a->argv[n++] = suite;
	a->argv[n++] = "/dev/null";	/* null format: nothing but the hooks' copies */
	if (mirror)
		a->argv[n++] = mirror;
	a->argv[n] = NULL;
	return 0;
}

/* <pkg>_<version without epoch>_amd64.deb */
static void deb_name(struct bld_zfs *z)
{
	const char *v = strchr(z->info.version, ':');

	snprintf(z->deb_name, sizeof(z->deb_name), "%s_%s_amd64.deb", BLD_ZFS_PACKAGE,
		 v ? v + 1 : z->info.version);
}

/* Fill @z from a complete entry. */
static int zfs_load(struct bld_ctx *ctx, struct bld_zfs *z)
{
	char *text = NULL;
	size_t len;
	unsigned long long size;
	int ret;

	ret = path_read_all(z->entry, BLD_ZFS_INFO, 64 * 1024, &text, &len);
	if (ret == 0) {
		ret = bld_zfs_info_parse(text, z);
		free(text);
	}
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "bad cache entry '%s/%s' (remove it)", z->entry,
				    BLD_ZFS_INFO);
	ret = sha256_file(NULL, z->deb, z->deb_sha256, &size);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s'", z->deb);
	z->deb_bytes = size;
	z->have_mok = path_exists(z->entry, BLD_ZFS_MOK);
	deb_name(z);
	return 0;
}

static int zfs_build(struct bld_ctx *ctx, const char *suite, const char *mirror,
		     struct bld_zfs *z, const char *tmp)
{
	char work[BLD_PATH_MAX], out[BLD_PATH_MAX], src[BLD_PATH_MAX], pkg[BLD_PATH_MAX];
	char deb[BLD_PATH_MAX], tmpdir[BLD_PATH_MAX + 8], from[BLD_PATH_MAX], to[BLD_PATH_MAX];
	struct bld_zfs_args a;
	double t0 = bld_now();
	char *info;
	int ret;

	if (bld_path(work, sizeof(work), "%s/work", tmp) < 0 ||
	    bld_path(out, sizeof(out), "%s/out", work) < 0 ||
	    bld_path(src, sizeof(src), "%s/src", work) < 0 ||
	    bld_path(pkg, sizeof(pkg), "%s/%s", src, BLD_ZFS_PACKAGE) < 0 ||
	    bld_path(deb, sizeof(deb), "%s/%s", tmp, BLD_ZFS_DEB) < 0 ||
	    bld_path(tmpdir, sizeof(tmpdir), "TMPDIR=%s", work) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "cache path too long '%s'", tmp);
	ret = bld_mkdirs(ctx, out);
	if (ret < 0)
		return ret;
	ret = bld_zfs_argv(suite, mirror, out, &a);
	if (ret < 0)
		return ip_err_set(&ctx->err, ret, "cannot build the mmdebstrap command line "
				  "(unsafe word in '%s', '%s' or '%s'?)", out, suite,
				  mirror ? mirror : "");
	bld_report(ctx, BLD_ZFS_KIND, BLD_EV_PROGRESS, 0,
		   "mmdebstrap %s: linux-headers-amd64 + zfs-dkms (dkms builds; minutes)", suite);
	/* the chroot goes under the cache, not a small tmpfs /tmp */
	ret = bld_run_argv_env(ctx, BLD_ZFS_KIND, a.argv, NULL, tmpdir);
	if (ret < 0)
		return ret;
	if (!ctx->dry_run) {
		ret = bld_zfs_collect(out, &z->info, &ctx->err);
		if (ret < 0)
			return ret;
		ret = bld_zfs_tree(out, src, &z->info, &ctx->err);
		if (ret < 0)
			return ret;
	}
	{
		const char *dpkg[] = { "dpkg-deb", "--root-owner-group", "-Zxz", "--build", pkg,
				       deb, NULL };

		ret = bld_run_argv(ctx, BLD_ZFS_KIND, dpkg, NULL);
		if (ret < 0)
			return ret;
	}
	if (ctx->dry_run)
		return 0;
	if (path_join(from, sizeof(from), out, BLD_ZFS_MOK) == 0 && path_exists(NULL, from) &&
	    path_join(to, sizeof(to), tmp, BLD_ZFS_MOK) == 0) {
		ret = bld_payload_link(from, to, &ctx->err);
		if (ret < 0)
			return ret;
	}
	z->build_seconds = bld_now() - t0;
	{
		struct stat st;

		if (stat(deb, &st) < 0)
			return ip_err_errno(&ctx->err, -errno, "dpkg-deb made no '%s'", deb);
		z->deb_bytes = (unsigned long long)st.st_size;
	}
	info = bld_zfs_info_text(z);
	if (!info)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	ret = path_write_file(tmp, BLD_ZFS_INFO, info, strlen(info), 0644);
	free(info);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot write '%s/%s'", tmp, BLD_ZFS_INFO);
	/* mmdebstrap removed its chroot; what is left here is the copies */
	return bld_rm_rf(ctx, work);
}

static int abs_path(const char *in, char *out, size_t size)
{
	char cwd[PATH_MAX];

	if (in[0] == '/')
		return bld_path(out, size, "%s", in);
	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	return bld_path(out, size, "%s/%s", cwd, in);
}

int bld_zfs_modules(struct bld_ctx *ctx, const char *suite, const char *mirror, bool force,
		    struct bld_zfs *z)
{
	char entry[BLD_PATH_MAX], tmp[BLD_PATH_MAX] = "";
	int ret;

	memset(z, 0, sizeof(*z));
	ret = bld_zfs_key(suite, mirror, z->key);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot compute the zfs-modules cache key");
	if (bld_cache_entry(ctx, BLD_ZFS_KIND, z->key, entry, sizeof(entry)) < 0 ||
	    abs_path(entry, z->entry, sizeof(z->entry)) < 0 ||
	    bld_path(z->deb, sizeof(z->deb), "%s/%s", z->entry, BLD_ZFS_DEB) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "cache path too long '%s'",
				  ctx->cachedir);
	if (force && bld_cache_has(ctx, BLD_ZFS_KIND, z->key)) {
		bld_report(ctx, BLD_ZFS_KIND, BLD_EV_PROGRESS, 0, "dropping %.12s", z->key);
		ret = bld_rm_rf(ctx, entry);
		if (ret < 0)
			return ret;
	}
	if (bld_cache_has(ctx, BLD_ZFS_KIND, z->key)) {
		ret = zfs_load(ctx, z);
		if (ret < 0)
			return ret;
		z->cached = true;
		bld_report(ctx, BLD_ZFS_KIND, BLD_EV_CACHED, 0,
			   "%.12s: zfs %s for %s, %u modules (%.1f MB), package %.1f MB",
			   z->key, z->info.zfs_version, z->info.kver, z->info.n_ko,
			   z->info.ko_bytes / 1e6, z->deb_bytes / 1e6);
		return 0;
	}
	ret = bld_cache_sweep(ctx, BLD_ZFS_KIND);
	if (ret == 0)
		ret = bld_cache_tmp(ctx, BLD_ZFS_KIND, z->key, tmp, sizeof(tmp));
	if (ret == 0)
		ret = zfs_build(ctx, suite, mirror, z, tmp);
	if (ret < 0) {
		char msg[IP_ERR_MSG_MAX];

		/* keep the reason; the half-made entry is not trusted, and big */
		snprintf(msg, sizeof(msg), "%s", ip_err_msg(&ctx->err));
		if (tmp[0] && !ctx->dry_run)
			bld_rm_rf(ctx, tmp);
		return ip_err_set(&ctx->err, ret, "%s", msg);
	}
	if (ctx->dry_run)
		return 0;
	ret = bld_cache_commit(ctx, tmp, BLD_ZFS_KIND, z->key);
	if (ret == 0)
		ret = zfs_load(ctx, z);
	if (ret < 0)
		return ret;
	/* the figures for "what ZFS costs the build" */
	bld_report(ctx, BLD_ZFS_KIND, BLD_EV_PROGRESS, z->build_seconds,
		   "built zfs %s for %s in %.0f s: %u modules (%u signed), %.1f MB of .ko, "
		   "package %.1f MB", z->info.zfs_version, z->info.kver, z->build_seconds,
		   z->info.n_ko, z->info.n_signed, z->info.ko_bytes / 1e6, z->deb_bytes / 1e6);
	return 0;
}

int bld_stage_zfs(struct bld_ctx *ctx)
{
	return bld_zfs_modules(ctx, bld_suite(ctx), bld_mirror(ctx), false, &ctx->zfs);
}
