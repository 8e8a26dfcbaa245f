// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Mounting the target: root at ctx->target (a btrfs root with every device
 * named and its subvolume var/lib/pve/local-btrfs made; a zfs root as its
 * dataset rpool/ROOT/pve-1, then rpool/var-lib-vz on /var/lib/vz, both with
 * mount(8) -o zfsutil), the ESP at <target>/boot/efi;
 * later (inst_chroot_mounts) /dev, /dev/pts, /proc, /sys, /run and, on UEFI
 * firmware, efivarfs for the chroot commands. Every mount is pushed on
 * ctx->mounts and inst_umount() takes them down in reverse (then exports the
 * zfs pool, inst-zfs.c); a failing step undoes its own mounts before returning.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "path.h"

static int push(struct inst_ctx *ctx, const char *path)
{
	struct inst_mounts *m = &ctx->mounts;

	if (m->n >= INST_MAX_MOUNTS)
		return ip_err_set(&ctx->err, -ENOSPC, "too many mounts under '%s'", ctx->target);
	snprintf(m->path[m->n++], sizeof(m->path[0]), "%s", path);
	return 0;
}

/* mount argv (NULL-terminated, its last word the mount point); creates the mount point */
static int do_mount(struct inst_ctx *ctx, const char *rel, const char *const *argv)
{
	int ret;

	ret = ctx->dry_run ? 0 : path_mkdirs(ctx->target, rel, 0755);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot create '%s%s'", ctx->target, rel);
	ret = inst_run(ctx, argv, NULL, NULL);
	if (ret < 0)
		return ret;
	for (const char *const *a = argv; *a; a++)
		if (!a[1])
			return push(ctx, *a);
	return 0;
}

/* Unmounting runs even while a signal stops the install (RUN_CLEANUP, lib/runner.h). */
int inst_run_cleanup(struct inst_ctx *ctx, const char *const *argv)
{
	struct run_opts o = { .flags = RUN_CLEANUP };
	int ret = runner_check(ctx->runner, argv, &o, NULL);

	if (ret < 0)
		ip_err_set(&ctx->err, ret, "%s", ip_err_msg(&ctx->runner->err));
	return ret;
}

static int umount_one(struct inst_ctx *ctx, const char *path)
{
	const char *argv[] = { "umount", path, NULL };
	const char *lazy[] = { "umount", "-l", path, NULL };
	int ret = inst_run_cleanup(ctx, argv);

	if (ret < 0)
		ret = inst_run_cleanup(ctx, lazy);
	return ret;
}

/* Unmount down to @keep entries, in reverse. The first error is kept in ctx->err. */
int inst_unwind_mounts(struct inst_ctx *ctx, unsigned keep)
{
	struct inst_mounts *m = &ctx->mounts;
	struct ip_err first = ctx->err;
	int ret = 0;

	while (m->n > keep) {
		int r = umount_one(ctx, m->path[m->n - 1]);

		if (r < 0 && ret == 0) {
			ret = r;
			if (!first.code)
				first = ctx->err;
		}
		m->n--;
	}
	ctx->err = first;
	return ret;
}

static int target_path(struct inst_ctx *ctx, char *buf, size_t size, const char *rel)
{
	if (path_join(buf, size, ctx->target, rel) < 0 || !inst_path_ok(buf))
		return ip_err_set(&ctx->err, -EINVAL, "invalid mount point '%s%s'", ctx->target,
				  rel);
	return 0;
}

/*
 * The zfs root: the datasets have their final mountpoints (/ and /var/lib/vz
 * under the pool's altroot) but were made unmounted; mounted here in order.
 */
static int mount_zfs(struct inst_ctx *ctx)
{
	char vz[512];
	const char *root[] = { "mount", "-t", "zfs", "-o", "zfsutil", INST_ZFS_ROOT, ctx->target,
			       NULL };
	const char *data[] = { "mount", "-t", "zfs", "-o", "zfsutil",
			       INST_ZFS_POOL "/var-lib-vz", vz, NULL };
	int ret;

	if (strcmp(ctx->layout.root_dev, INST_ZFS_ROOT))
		return ip_err_set(&ctx->err, -EINVAL, "invalid zfs root '%s'",
				  ctx->layout.root_dev);
	ret = target_path(ctx, vz, sizeof(vz), "/var/lib/vz");
	if (ret == 0)
		ret = do_mount(ctx, "/", root);
	if (ret == 0)
		ret = do_mount(ctx, "/var/lib/vz", data);
	if (ret == 0 && !ctx->dry_run && (ret = path_mkdirs(ctx->target, "/var/lib/pve", 0755)) < 0)
		ip_err_errno(&ctx->err, ret, "cannot create '%s/var/lib/pve'", ctx->target);
	return ret;
}

int inst_mount(struct inst_ctx *ctx)
{
	const struct inst_layout *l = &ctx->layout;
	bool btrfs = !strcmp(l->root_fstype, "btrfs"), zfs = !strcmp(l->root_fstype, "zfs");
	char esp[512], opts[2560] = "noatime";
	const char *root_argv[] = { "mount", "-t", l->root_fstype, "-o", opts, l->root_dev,
				    ctx->target, NULL };
	const char *esp_argv[] = { "mount", "-t", "vfat", l->part_esp, esp, NULL };
	unsigned keep = ctx->mounts.n;
	int ret;

	if (!inst_path_ok(ctx->target) || !strcmp(ctx->target, "/"))
		return ip_err_set(&ctx->err, -EINVAL, "invalid target directory '%s'",
				  ctx->target ? ctx->target : "");
	if ((!zfs && (!inst_fstype_ok(l->root_fstype) || !inst_dev_ok(l->root_dev))) ||
	    !inst_dev_ok(l->part_esp))
		return ip_err_set(&ctx->err, -EINVAL, "invalid root '%s' (%s) or ESP '%s'",
				  l->root_dev, l->root_fstype, l->part_esp);
	if (btrfs && inst_btrfs_mount_opts(l, opts, sizeof(opts)) < 0)
		return ip_err_set(&ctx->err, -EINVAL, "invalid btrfs devices for '%s'", l->root_dev);
	ret = target_path(ctx, esp, sizeof(esp), "/boot/efi");
	if (ret < 0)
		return ret;
	inst_progress(ctx, "mount", 0, ctx->target);
	ret = zfs ? mount_zfs(ctx) : do_mount(ctx, "/", root_argv);
	if (ret == 0 && btrfs)
		ret = inst_btrfs_subvols(ctx);
	if (ret == 0)
		ret = do_mount(ctx, "/boot/efi", esp_argv);
	if (ret < 0) {
		inst_unwind_mounts(ctx, keep);
		return ret;
	}
	inst_progress(ctx, "mount", 100, ctx->target);
	return 0;
}

int inst_mount_fs(struct inst_ctx *ctx, const char *fstype, const char *dev, const char *rel)
{
	char dst[512];
	const char *argv[] = { "mount", "-t", fstype, dev, dst, NULL };
	int ret;

	if (!inst_fstype_ok(fstype) || !inst_dev_ok(dev))
		return ip_err_set(&ctx->err, -EINVAL, "invalid device '%s' (%s)", dev, fstype);
	ret = target_path(ctx, dst, sizeof(dst), rel);
	if (ret == 0)
		ret = do_mount(ctx, rel, argv);
	return ret;
}

int inst_mount_bind(struct inst_ctx *ctx, const char *src, const char *rel, bool ro)
{
	char dst[512];
	const char *argv[] = { "mount", "-o", ro ? "bind,ro" : "bind", src, dst, NULL };
	int ret;

	if (!inst_path_ok(src))
		return ip_err_set(&ctx->err, -EINVAL, "invalid path '%s'", src);
	ret = target_path(ctx, dst, sizeof(dst), rel);
	if (ret == 0)
		ret = do_mount(ctx, rel, argv);
	return ret;
}

int inst_umount_at(struct inst_ctx *ctx, const char *rel)
{
	struct inst_mounts *m = &ctx->mounts;
	char full[512];
	size_t len;
	unsigned i;
	int ret;

	ret = target_path(ctx, full, sizeof(full), rel);
	if (ret < 0)
		return ret;
	len = strlen(full);
	for (i = 0; i < m->n && strcmp(m->path[i], full); i++)
		;
	if (i == m->n)
		return 0;
	for (unsigned k = i + 1; k < m->n; k++)
		if (!strncmp(m->path[k], full, len) && m->path[k][len] == '/')
			return ip_err_set(&ctx->err, -EBUSY, "cannot unmount '%s': '%s' is mounted "
					  "below it", full, m->path[k]);
	ret = umount_one(ctx, full);
	if (ret < 0)
		return ret;
	memmove(m->path[i], m->path[i + 1], (m->n - i - 1) * sizeof(m->path[0]));
	m->n--;
	return 0;
}

int inst_chroot_mounts(struct inst_ctx *ctx)
{
	static const char *const binds[] = { "/dev", "/dev/pts", "/proc", "/sys", "/run" };
	static const char *const efivars = "/sys/firmware/efi/efivars";
	unsigned keep = ctx->mounts.n;
	char src[512], dst[512];
	int ret = 0;

	if (ctx->mounts.chroot_ready)
		return 0;
	for (size_t i = 0; i < sizeof(binds) / sizeof(binds[0]) && ret == 0; i++) {
		if (path_join(src, sizeof(src), ctx->sysroot, binds[i]) < 0) {
			ret = ip_err_set(&ctx->err, -EINVAL, "invalid path '%s'", binds[i]);
			break;
		}
		ret = inst_mount_bind(ctx, src, binds[i], false);
	}
	if (ret == 0 && ctx->hw && ctx->hw->fw == HW_FW_UEFI &&
	    path_exists(ctx->sysroot, efivars)) {
		const char *argv[] = { "mount", "-t", "efivarfs", "efivarfs", dst, NULL };

		ret = target_path(ctx, dst, sizeof(dst), efivars);
		if (ret == 0)
			ret = do_mount(ctx, efivars, argv);
	}
	if (ret < 0) {
		inst_unwind_mounts(ctx, keep);
		return ret;
	}
	ctx->mounts.chroot_ready = true;
	return 0;
}

int inst_umount(struct inst_ctx *ctx)
{
	const char *sync_argv[] = { "sync", NULL };
	int ret;

	inst_progress(ctx, "umount", 0, ctx->target);
	if (inst_run_cleanup(ctx, sync_argv) < 0)
		ip_err_clear(&ctx->err);
	ret = inst_unwind_mounts(ctx, 0);
	ctx->mounts.chroot_ready = false;
	/* the pool goes last, also when an unmount failed (the node needs it exported) */
	if (ctx->mounts.zfs_pool[0]) {
		struct ip_err first = ctx->err;
		int r = inst_zfs_export(ctx);

		if (ret < 0)
			ctx->err = first;
		else
			ret = r;
	}
	if (ret == 0)
		inst_progress(ctx, "umount", 100, ctx->target);
	return ret;
}
