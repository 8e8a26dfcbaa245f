// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Install the pool packages into the target with apt in a chroot:
 *  - the payload's pool/ is bind-mounted read-only at /var/cache/ironpass/pool
 *    and used as the only apt source ("deb [trusted=yes] file:… ./", through
 *    Dir::Etc::SourceList, so the base system's own sources are not asked);
 *  - /usr/sbin/policy-rc.d answers 101 so that no service starts, and is
 *    removed afterwards (a pre-existing one is put back);
 *  - a zfs root adds zfsutils-linux and zfs-initramfs to the list;
 *  - debconf is noninteractive and postfix is preseeded to "Local only";
 *  - dpkg keeps existing configuration files (--force-confdef/confold);
 *  - the work that the configure step does once anyway is not done per
 *    package: man-db's index is not rebuilt, and initramfs-tools' trigger is
 *    held off (update_initramfs=no in its conf, restored afterwards) because
 *    the configure step runs update-initramfs -u -k all after writing the
 *    vfio configuration. Each initramfs costs minutes on slow machines.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "log.h"
#include "path.h"
#include "util.h"

#define POOL_DIR	"/var/cache/ironpass/pool"
#define POOL_LIST	"/var/cache/ironpass/pool.list"
#define POLICY_RC	"/usr/sbin/policy-rc.d"
#define POLICY_SAVED	"/usr/sbin/policy-rc.d.ironpass-saved"
#define MAX_PKGS	120
#define INITRAMFS_CONF	"/etc/initramfs-tools/update-initramfs.conf"

const char *const inst_default_packages[] = {
	"proxmox-ve", "postfix", "open-iscsi", "chrony", NULL,
};

static const char *const apt_opts[] = {
	"-o", "Dir::Etc::SourceList=" POOL_LIST,
	"-o", "Dir::Etc::SourceParts=-",
	"-o", "APT::Get::List-Cleanup=0",
	NULL,
};

static int target_file(struct inst_ctx *ctx, char *buf, size_t size, const char *rel)
{
	if (path_join(buf, size, ctx->target, rel) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "path too long: '%s%s'", ctx->target,
				  rel);
	return 0;
}

static int policy_install(struct inst_ctx *ctx, bool *saved)
{
	static const char policy[] =
		"#!/bin/sh\n# ironpass: no service starts during the install\nexit 101\n";
	char cur[4096], keep[4096];
	int ret;

	*saved = false;
	if (target_file(ctx, cur, sizeof(cur), POLICY_RC) < 0 ||
	    target_file(ctx, keep, sizeof(keep), POLICY_SAVED) < 0)
		return ctx->err.code;
	if (access(cur, F_OK) == 0) {
		if (rename(cur, keep) < 0)
			return ip_err_errno(&ctx->err, -errno, "cannot move '%s' aside", cur);
		*saved = true;
	}
	ret = path_write_file(ctx->target, POLICY_RC, policy, sizeof(policy) - 1, 0755);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot write '%s'", cur);
	return 0;
}

static void policy_remove(struct inst_ctx *ctx, bool saved)
{
	char cur[4096], keep[4096];

	if (target_file(ctx, cur, sizeof(cur), POLICY_RC) < 0 ||
	    target_file(ctx, keep, sizeof(keep), POLICY_SAVED) < 0)
		return;
	unlink(cur);
	if (saved)
		rename(keep, cur);
}

/*
 * Hold off initramfs-tools' trigger while packages install; *old gets the
 * conf's text to put back (NULL when there was none). A base without the
 * file needs nothing.
 */
static int initramfs_hold(struct inst_ctx *ctx, char **old, size_t *len)
{
	static const char hold[] = "# ironpass: held during the package step\nupdate_initramfs=no\n";
	int ret;

	*old = NULL;
	ret = path_read_all(ctx->target, INITRAMFS_CONF, 64 * 1024, old, len);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s%s'", ctx->target,
				    INITRAMFS_CONF);
	ret = path_write_file(ctx->target, INITRAMFS_CONF, hold, sizeof(hold) - 1, 0644);
	if (ret < 0) {
		free(*old);
		*old = NULL;
		return ip_err_errno(&ctx->err, ret, "cannot write '%s%s'", ctx->target,
				    INITRAMFS_CONF);
	}
	return 0;
}

static void initramfs_release(struct inst_ctx *ctx, char *old, size_t len)
{
	if (old && path_write_file(ctx->target, INITRAMFS_CONF, old, len, 0644) < 0)
		ip_warn("cannot restore '%s%s', ignoring", ctx->target, INITRAMFS_CONF);
	free(old);
}

static bool mailname_ok(const char *s)
{
	if (!*s || strlen(s) > 253 || *s == '-' || *s == '.')
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-", *s))
			return false;
	return true;
}

static int preseed(struct inst_ctx *ctx)
{
	const char *argv[] = { "debconf-set-selections", NULL };
	const char *mailname = mailname_ok(ctx->net.fqdn) ? ctx->net.fqdn
			       : mailname_ok(ctx->net.hostname) ? ctx->net.hostname : "localhost";
	struct strbuf sb = { 0 };
	int ret;

	sb_puts(&sb, "postfix postfix/main_mailer_type select Local only\n");
	sb_puts(&sb, "man-db man-db/auto-update boolean false\n");
	sb_printf(&sb, "postfix postfix/mailname string %s\n", mailname);
	if (sb.err) {
		sb_release(&sb);
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	}
	ret = inst_run_chroot(ctx, argv, sb.buf);
	sb_release(&sb);
	return ret;
}

/* "apt-get" <opts> <words…> (<pkgs…>) */
static int apt(struct inst_ctx *ctx, const char *const *words, const char *const *pkgs)
{
	const char *argv[16 + MAX_PKGS];
	size_t n = 0;

	argv[n++] = "apt-get";
	for (const char *const *o = apt_opts; *o; o++)
		argv[n++] = *o;
	for (; *words; words++)
		argv[n++] = *words;
	for (; pkgs && *pkgs; pkgs++)
		argv[n++] = *pkgs;
	argv[n] = NULL;
	return inst_run_chroot(ctx, argv, NULL);
}

static int package_list(struct inst_ctx *ctx, const char **pkgs)
{
	const struct answer_ironpass *ip = ctx->answer ? &ctx->answer->ironpass : NULL;
	size_t n = 0;

	if (ip && ip->n_packages) {
		if (ip->n_packages > MAX_PKGS)
			return ip_err_set(&ctx->err, -E2BIG, "too many packages (%zu, at most %d)",
					  ip->n_packages, MAX_PKGS);
		for (; n < ip->n_packages; n++)
			pkgs[n] = ip->packages[n];
	} else {
		for (; inst_default_packages[n]; n++)
			pkgs[n] = inst_default_packages[n];
	}
	/* a zfs root: the tools, and the initramfs part that imports the pool at boot */
	if (!strcmp(ctx->layout.root_fstype, "zfs")) {
		static const char *const zfs[] = { "zfsutils-linux", "zfs-initramfs" };

		for (size_t z = 0; z < ARRAY_SIZE(zfs); z++) {
			bool have = false;

			for (size_t i = 0; i < n; i++)
				have |= !strcmp(pkgs[i], zfs[z]);
			if (!have)
				pkgs[n++] = zfs[z];
		}
	}
	pkgs[n] = NULL;
	for (size_t i = 0; i < n; i++)
		if (!inst_pkg_ok(pkgs[i]))
			return ip_err_set(&ctx->err, -EINVAL, "invalid package name '%s'", pkgs[i]);
	return 0;
}

int inst_pkgs(struct inst_ctx *ctx)
{
	static const char *const update[] = { "update", NULL };
	static const char *const install[] = {
		"-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold",
		"install", "-y", "--no-install-recommends", NULL,
	};
	static const char list[] = "deb [trusted=yes] file:" POOL_DIR " ./\n";
	const char *pkgs[MAX_PKGS + 3];
	char pool[4096], listpath[4096];
	char *initramfs_conf = NULL;
	size_t initramfs_len = 0;
	unsigned keep;
	bool saved = false;
	int ret;

	ret = package_list(ctx, pkgs);
	if (ret < 0)
		return ret;
	if (!ctx->payload_dir || path_join(pool, sizeof(pool), ctx->payload_dir, "pool") < 0)
		return ip_err_set(&ctx->err, -EINVAL, "no payload directory");
	inst_progress(ctx, "packages", 0, "preparing the package pool");
	ret = inst_chroot_mounts(ctx);
	if (ret < 0)
		return ret;
	keep = ctx->mounts.n;
	ret = inst_mount_bind(ctx, pool, POOL_DIR, true);
	if (ret < 0)
		return ret;
	ret = ctx->dry_run ? 0 : path_write_file(ctx->target, POOL_LIST, list, sizeof(list) - 1,
						 0644);
	if (ret < 0) {
		ip_err_errno(&ctx->err, ret, "cannot write '%s%s'", ctx->target, POOL_LIST);
		goto out_umount;
	}
	ret = ctx->dry_run ? 0 : policy_install(ctx, &saved);
	if (ret < 0)
		goto out_list;
	ret = preseed(ctx);
	if (ret < 0)
		goto out_policy;
	ret = ctx->dry_run ? 0 : initramfs_hold(ctx, &initramfs_conf, &initramfs_len);
	if (ret < 0)
		goto out_policy;
	inst_progress(ctx, "packages", 10, "reading the package pool");
	ret = apt(ctx, update, NULL);
	if (ret < 0)
		goto out_policy;
	inst_progress(ctx, "packages", 20, "installing packages");
	ret = apt(ctx, install, pkgs);
out_policy:
	initramfs_release(ctx, initramfs_conf, initramfs_len);
	if (!ctx->dry_run)
		policy_remove(ctx, saved);
out_list:
	if (!ctx->dry_run && target_file(ctx, listpath, sizeof(listpath), POOL_LIST) == 0)
		unlink(listpath);
out_umount:
	if (inst_unwind_mounts(ctx, keep) < 0 && ret == 0)
		ret = ctx->err.code;
	if (ret == 0)
		inst_progress(ctx, "packages", 100, "packages installed");
	return ret;
}
