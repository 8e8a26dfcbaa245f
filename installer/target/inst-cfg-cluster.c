// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Proxmox VE cluster configuration of the new node, seeded the way Proxmox
 * VE's own installer does it: storage.cfg (by root filesystem), datacenter.cfg
 * (the console keymap) and user.cfg (root@pam with the admin's e-mail) in a
 * directory of the target, read into pmxcfs's database by create_pmxcfs_db
 * run inside the target; the directory is removed again, the rrdcached
 * database directory made, and the bare mount point /etc/pve marked immutable
 * (a failure there is only a warning, as it is for Proxmox VE).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "path.h"
#include "target/inst-cfg.h"
#include "util.h"

static const char *const seed_files[] = { "storage.cfg", "datacenter.cfg", "user.cfg" };

/* A name that goes into storage.cfg: one word of [A-Za-z0-9._+-], not empty. */
static bool cfg_name_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._+-", *s)))
			return false;
	return true;
}

void inst_cfg_storage_from_layout(const struct inst_layout *l, struct inst_storage *s)
{
	const char *slash = strchr(l->data_dev, '/');

	memset(s, 0, sizeof(*s));
	if (!strcmp(l->root_fstype, "zfs")) {
		s->kind = INST_STORE_ZFS;
		snprintf(s->zfs_pool, sizeof(s->zfs_pool), "rpool");
	} else if (!strcmp(l->root_fstype, "btrfs")) {
		s->kind = INST_STORE_BTRFS;
	} else if (slash) {
		/* "pve/data": volume group / thin pool */
		s->kind = INST_STORE_LVMTHIN;
		snprintf(s->vgname, sizeof(s->vgname), "%.*s", (int)(slash - l->data_dev),
			 l->data_dev);
		snprintf(s->thinpool, sizeof(s->thinpool), "%s", slash + 1);
	} else {
		s->kind = INST_STORE_LOCAL;
	}
}

const char *inst_cfg_storage_vm_id(enum inst_store_kind kind)
{
	switch (kind) {
	case INST_STORE_LVMTHIN: return "local-lvm";
	case INST_STORE_ZFS: return "local-zfs";
	case INST_STORE_BTRFS: return "local-btrfs";
	case INST_STORE_LOCAL: break;
	}
	return "local";
}

char *inst_cfg_storage_text(const struct inst_storage *s, struct ip_err *err)
{
	struct strbuf sb = { 0 };

	/* "dir: local" always; its content list depends on who else holds what */
	sb_puts(&sb, "dir: local\n\tpath /var/lib/vz\n");
	switch (s->kind) {
	case INST_STORE_LVMTHIN:
		if (!cfg_name_ok(s->vgname) || !cfg_name_ok(s->thinpool)) {
			ip_err_set(err, -EINVAL, "invalid thin pool '%s/%s' for storage.cfg",
				   s->vgname, s->thinpool);
			goto fail;
		}
		sb_puts(&sb, "\tcontent iso,vztmpl,backup,import\n\n");
		sb_printf(&sb, "lvmthin: local-lvm\n\tthinpool %s\n\tvgname %s\n", s->thinpool,
			  s->vgname);
		sb_puts(&sb, "\tcontent rootdir,images\n");
		break;
	case INST_STORE_ZFS:
		if (!cfg_name_ok(s->zfs_pool)) {
			ip_err_set(err, -EINVAL, "invalid ZFS pool '%s' for storage.cfg",
				   s->zfs_pool);
			goto fail;
		}
		sb_puts(&sb, "\tcontent iso,vztmpl,backup,import\n\n");
		sb_printf(&sb, "zfspool: local-zfs\n\tpool %s/data\n\tsparse\n", s->zfs_pool);
		sb_puts(&sb, "\tcontent images,rootdir\n");
		break;
	case INST_STORE_BTRFS:
		/* the btrfs storage takes every content type; "local" stays, disabled */
		sb_puts(&sb, "\tcontent iso,vztmpl,backup\n\tdisable\n\n");
		sb_puts(&sb, "btrfs: local-btrfs\n\tpath /var/lib/pve/local-btrfs\n");
		sb_puts(&sb, "\tcontent iso,vztmpl,backup,images,rootdir,import\n");
		break;
	case INST_STORE_LOCAL:
		sb_puts(&sb, "\tcontent iso,vztmpl,backup,rootdir,images,import\n");
		break;
	default:
		ip_err_set(err, -EINVAL, "unknown storage kind %d", (int)s->kind);
		goto fail;
	}
	if (sb.err) {
		ip_err_set(err, -ENOMEM, "out of memory");
		goto fail;
	}
	return sb_detach(&sb);
fail:
	sb_release(&sb);
	return NULL;
}

char *inst_cfg_datacenter_text(const char *keyboard, struct ip_err *err)
{
	const char *kvm;
	struct strbuf sb = { 0 };

	if (inst_cfg_kvm_keymap(keyboard, &kvm) < 0) {
		ip_err_set(err, -EINVAL, "unknown keyboard layout '%s'", keyboard ? keyboard : "");
		return NULL;
	}
	sb_printf(&sb, "keyboard: %s\n", kvm);
	if (sb.err) {
		sb_release(&sb);
		ip_err_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	return sb_detach(&sb);
}

char *inst_cfg_user_text(const char *mailto, struct ip_err *err)
{
	struct strbuf sb = { 0 };

	/* user.cfg is ':'-separated, one user a line: the address must stay one field */
	if (!mailto || !*mailto || strpbrk(mailto, ": \t\r\n")) {
		ip_err_set(err, -EINVAL, "invalid e-mail address '%s' for user.cfg",
			   mailto ? mailto : "");
		return NULL;
	}
	/* user:<userid>:<enable>:<expire>:<first>:<last>:<email>:<comment>:<keys>: */
	sb_printf(&sb, "user:root@pam:1:0:::%s::\n", mailto);
	if (sb.err) {
		sb_release(&sb);
		ip_err_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	return sb_detach(&sb);
}

/* Remove the seed directory and the files we put there; -ENOTEMPTY when others are left. */
static int seed_dir_remove(struct inst_ctx *ctx)
{
	char full[PATH_MAX];
	int ret;

	for (size_t i = 0; i < ARRAY_SIZE(seed_files); i++) {
		ret = path_fmt(full, sizeof(full), ctx->target, "%s/%s", INST_PVE_SEED_DIR,
			       seed_files[i]);
		if (ret < 0)
			return ret;
		if (unlink(full) < 0 && errno != ENOENT)
			return -errno;
	}
	ret = path_join(full, sizeof(full), ctx->target, INST_PVE_SEED_DIR);
	if (ret < 0)
		return ret;
	if (rmdir(full) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

static int seed_dir_write(struct inst_ctx *ctx, char *const texts[])
{
	char full[PATH_MAX];
	int ret;

	ret = seed_dir_remove(ctx);
	if (ret == 0)
		ret = path_mkdirs(ctx->target, INST_PVE_SEED_DIR, 0700);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot create '%s%s'", ctx->target,
				    INST_PVE_SEED_DIR);
	for (size_t i = 0; i < ARRAY_SIZE(seed_files); i++) {
		snprintf(full, sizeof(full), "%s/%s", INST_PVE_SEED_DIR, seed_files[i]);
		ret = inst_cfg_write(ctx, full, texts[i], 0600);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* chattr +i on the bare mount point, from the live system; a failure is only noted */
static int mark_immutable(struct inst_ctx *ctx)
{
	char full[PATH_MAX];
	const char *argv[] = { "chattr", "+i", full, NULL };
	int ret;

	ret = path_mkdirs(ctx->target, INST_PVE_MOUNT, 0755);
	if (ret == 0)
		ret = path_join(full, sizeof(full), ctx->target, INST_PVE_MOUNT);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot create '%s%s'", ctx->target,
				    INST_PVE_MOUNT);
	ret = runner_check(ctx->runner, argv, NULL, NULL);
	if (ret == -EINTR)
		return ip_err_set(&ctx->err, ret, "%s", ip_err_msg(&ctx->runner->err));
	if (ret < 0)
		ip_warn("cannot mark '%s' immutable: %s, ignoring", full,
			ip_err_msg(&ctx->runner->err));
	return 0;
}

int inst_cfg_cluster(struct inst_ctx *ctx)
{
	const char *const mkdb[] = { "/usr/bin/create_pmxcfs_db", INST_PVE_SEED_DIR,
				     INST_PMXCFS_DB, NULL };
	const struct answer_global *g;
	struct inst_storage st;
	char *texts[ARRAY_SIZE(seed_files)] = { NULL };
	int ret, rm;

	if (!ctx->answer)
		return ip_err_set(&ctx->err, -EINVAL, "no answer for the cluster configuration");
	g = &ctx->answer->global;
	inst_cfg_storage_from_layout(&ctx->layout, &st);
	texts[0] = inst_cfg_storage_text(&st, &ctx->err);
	if (texts[0])
		texts[1] = inst_cfg_datacenter_text(g->keyboard ? g->keyboard : "en-us",
						    &ctx->err);
	if (texts[1])
		texts[2] = inst_cfg_user_text(g->mailto, &ctx->err);
	if (!texts[2]) {
		ret = ctx->err.code;
		goto out;
	}
	ip_info("cluster configuration: storage '%s', keyboard '%s'",
		inst_cfg_storage_vm_id(st.kind), g->keyboard ? g->keyboard : "en-us");
	ret = seed_dir_write(ctx, texts);
	if (ret == 0)
		ret = inst_cfg_chroot(ctx, mkdb);
	rm = seed_dir_remove(ctx);
	if (rm < 0 && ret == 0)
		ret = ip_err_errno(&ctx->err, rm, "cannot remove '%s%s'", ctx->target,
				   INST_PVE_SEED_DIR);
	if (ret == 0 && (ret = path_mkdirs(ctx->target, "/var/lib/rrdcached/db", 0755)) < 0)
		ret = ip_err_errno(&ctx->err, ret, "cannot create '%s/var/lib/rrdcached/db'",
				   ctx->target);
	if (ret == 0)
		ret = mark_immutable(ctx);
out:
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
		free(texts[i]);
	return ret;
}
