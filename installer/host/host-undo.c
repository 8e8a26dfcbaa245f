// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Undo `passthrough --apply` from its backup: each file back to its saved
 * text and mode, each file the apply created removed, then the same refresh
 * (update-initramfs, then the loader's), then the backup marked restored.
 * Every file is checked first: one that is no longer what the apply wrote was
 * edited since, and nothing is restored unless forced.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "host/host.h"
#include "log.h"
#include "path.h"

/* f->text: the file now; the action from comparing it with the manifest */
static int check_file(struct host_ctx *ctx, struct host_file *f)
{
	char sha[65] = "";
	mode_t mode;
	int ret;

	ret = host_file_read(ctx, ctx->root, f->path, &f->text, &f->len, &mode);
	if (ret < 0)
		return ret;
	if (f->text && sha256_buf(f->text, f->len, sha) < 0)
		return ip_err_set(&ctx->err, -EIO, "cannot hash '%s'", f->path);
	if (f->text ? !strcmp(sha, f->sha) : false)
		return 0;	/* as the apply left it */
	if (f->existed ? f->text && !strcmp(sha, f->old_sha) && mode == f->old_mode
		       : !f->text) {
		f->action = HOST_KEEP;	/* already as before */
		return 0;
	}
	f->modified = true;
	return 0;
}

static int refuse_modified(struct host_ctx *ctx, const struct host_result *r)
{
	const char *first = NULL;
	size_t n = 0;

	for (size_t i = 0; i < r->n_files; i++)
		if (r->files[i].modified) {
			first = first ? first : r->files[i].path;
			n++;
		}
	if (!n)
		return 0;
	return ip_err_set(&ctx->err, -EBUSY, "'%s'%s changed after the apply of %s (not the "
			  "sha256 it wrote); nothing was restored; --force restores anyway",
			  first, n > 1 ? " and others were" : " was", r->backup);
}

static int pick_dir(struct host_ctx *ctx, const struct host_undo_opts *o, char *dir,
		    size_t size)
{
	char name[HOST_NAME_LEN + 1];
	int ret;

	if (o->dir) {
		if ((size_t)snprintf(dir, size, "%s", o->dir) >= size)
			return ip_err_set(&ctx->err, -ENAMETOOLONG, "backup path too long");
		return 0;
	}
	if (o->name && !host_backup_name_ok(o->name))
		return ip_err_set(&ctx->err, -EINVAL, "'%s' is not a backup time "
				  "(YYYYmmddTHHMMSSZ, UTC)", o->name);
	if (o->name)
		snprintf(name, sizeof(name), "%s", o->name);
	else if ((ret = host_backup_newest(ctx, name)) < 0)
		return ret;
	ret = path_fmt(dir, size, ctx->root, "%s/%s", HOST_BACKUP_DIR, name);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot name the backup '%s'", name);
	if (!path_exists(dir, "/" HOST_MANIFEST))
		return ip_err_set(&ctx->err, -ENOENT, "no backup '%s'", dir);
	return 0;
}

int host_undo(struct host_ctx *ctx, const struct host_undo_opts *o, struct host_result *r)
{
	char dir[PATH_MAX], restored[HOST_NAME_LEN + 1];
	int ret;

	r->mode = HOST_UNDO;
	ret = pick_dir(ctx, o, dir, sizeof(dir));
	if (ret == 0)
		ret = host_backup_load(ctx, dir, r, restored);
	if (ret < 0)
		return ret;
	snprintf(r->boot.why, sizeof(r->boot.why), "recorded in the backup");
	if (restored[0] && !o->force)
		return ip_err_set(&ctx->err, -EALREADY, "the backup %s was restored already "
				  "(at %s); --force restores it again", r->backup, restored);
	for (size_t i = 0; i < r->n_files; i++) {
		ret = check_file(ctx, &r->files[i]);
		if (ret < 0)
			return ret;
	}
	if (!o->force && (ret = refuse_modified(ctx, r)) < 0)
		return ret;
	for (size_t i = 0; i < r->n_files; i++) {
		const struct host_file *f = &r->files[i];

		if (f->action == HOST_RESTORE)
			ret = host_file_write(ctx, ctx->root, f->path, f->old, f->old_len,
					      f->old_mode);
		else if (f->action == HOST_REMOVE)
			ret = host_file_remove(ctx, f->path);
		if (ret < 0)
			return ret;
		r->changed |= f->action != HOST_KEEP;
		if (f->action != HOST_KEEP)
			ip_info("%s '%s' (backup %s)", f->action == HOST_REMOVE ? "removed"
				: "restored", f->path, r->backup);
	}
	/* the directories the apply made, deepest first (only when empty) */
	for (size_t i = r->n_dirs; i-- > 0;) {
		ret = host_dir_remove(ctx, r->dirs[i]);
		if (ret < 0)
			return ret;
	}
	/* also when every file was already back: a refresh that failed runs again */
	if (r->n_files) {
		r->cmds[r->n_cmds++] = inst_cfg_initramfs_argv;
		r->cmds[r->n_cmds++] = inst_cfg_boot_refresh_argv(r->boot.kind);
		ret = host_run_cmds(ctx, r);
		if (ret < 0)
			return ret;
	}
	return host_backup_mark_restored(ctx, r);
}
