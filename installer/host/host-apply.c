// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan on a running host: every file the install step would write
 * (target/inst-cfg-vfio.c makes the texts), the kernel command line in the
 * one file the host's boot loader reads, compared with what is there; then,
 * for --apply, a backup, the writes and the refresh: update-initramfs -u -k
 * all, then proxmox-boot-tool refresh or update-grub.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "host/host.h"
#include "log.h"
#include "path.h"
#include "plan/plan.h"
#include "util.h"

void host_result_release(struct host_result *r)
{
	for (size_t i = 0; i < r->n_files; i++) {
		free(r->files[i].old);
		free(r->files[i].text);
		r->files[i].old = r->files[i].text = NULL;
	}
	r->n_files = 0;
}

static bool has_root_word(const char *line)
{
	for (const char *p = line; p && (p = strstr(p, "root=")); p++)
		if (p == line || p[-1] == ' ')
			return true;
	return false;
}

/* A new entry for @path with its current text; NULL when full or unreadable. */
static struct host_file *add_file(struct host_ctx *ctx, struct host_result *r, const char *path)
{
	struct host_file *f;

	if (r->n_files == HOST_MAX_FILES) {
		ip_err_set(&ctx->err, -E2BIG, "too many files to change");
		return NULL;
	}
	f = &r->files[r->n_files];
	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", path);
	if (host_file_read(ctx, ctx->root, path, &f->old, &f->old_len, &f->old_mode) < 0)
		return NULL;
	f->existed = f->old != NULL;
	r->n_files++;
	return f;
}

/* The hashes and the action, once f->text and f->mode are set. */
static int settle(struct host_ctx *ctx, struct host_file *f)
{
	if (!f->text)
		return ctx->err.code ? ctx->err.code : -ENOMEM;
	f->len = strlen(f->text);
	if ((f->old && sha256_buf(f->old, f->old_len, f->old_sha) < 0) ||
	    sha256_buf(f->text, f->len, f->sha) < 0)
		return ip_err_set(&ctx->err, -EIO, "cannot hash '%s'", f->path);
	if (!f->existed)
		f->action = HOST_CREATE;
	else if (f->old_len == f->len && !memcmp(f->old, f->text, f->len) &&
		 f->old_mode == f->mode)
		f->action = HOST_KEEP;
	else
		f->action = HOST_CHANGE;
	return 0;
}

static int plan_files(struct host_ctx *ctx, const struct plan *p, struct host_result *r)
{
	for (size_t i = 0; i < p->n_files; i++) {
		const struct plan_file *pf = &p->files[i];
		struct host_file *f = add_file(ctx, r, pf->path);

		if (!f)
			return ctx->err.code;
		f->text = inst_cfg_plan_file_text(pf, f->old, f->old_len, &ctx->err);
		/* an appended-to file keeps its mode */
		f->mode = pf->mode ? pf->mode : 0644;
		if (pf->append && f->existed)
			f->mode = f->old_mode;
		if (settle(ctx, f) < 0)
			return ctx->err.code;
	}
	return 0;
}

static int cmdline_file(struct host_ctx *ctx, const struct plan *p, struct host_result *r)
{
	enum inst_boot_kind kind = r->boot.kind;
	struct host_file *f;

	if (!p->n_kernel_args)
		return 0;
	f = add_file(ctx, r, inst_cfg_cmdline_path(kind));
	if (!f)
		return ctx->err.code;
	/* proxmox-boot-tool will not refresh without root= there (it would boot nothing) */
	if (kind == INST_BOOT_PBT_SDBOOT && (!f->old || !has_root_word(f->old)))
		return ip_err_set(&ctx->err, -EINVAL, "'%s' %s: proxmox-boot-tool needs the whole "
				  "command line there (root=…) before words can be added",
				  f->path, f->old ? "has no root= word" : "is missing");
	f->text = inst_cfg_cmdline_file_text(kind, f->old, (const char *const *)p->kernel_args,
					     p->n_kernel_args, &ctx->err);
	f->mode = f->existed ? f->old_mode : 0644;
	return settle(ctx, f);
}

/* The directories above a new file that are missing: the apply creates them. */
static int new_dirs(struct host_ctx *ctx, struct host_result *r, const char *path)
{
	char dir[128];

	for (const char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		bool known = false;

		snprintf(dir, sizeof(dir), "%.*s", (int)(p - path), path);
		if (path_exists(ctx->root, dir))
			continue;
		for (size_t i = 0; i < r->n_dirs; i++)
			known |= !strcmp(r->dirs[i], dir);
		if (known)
			continue;
		if (r->n_dirs == HOST_MAX_DIRS)
			return ip_err_set(&ctx->err, -E2BIG, "too many directories to create");
		snprintf(r->dirs[r->n_dirs++], sizeof(r->dirs[0]), "%s", dir);
	}
	return 0;
}

static int changes(struct host_ctx *ctx, const struct plan *p, struct host_result *r)
{
	int ret;

	if (!p->plan_ok)
		return ip_err_set(&ctx->err, -EINVAL, "the passthrough plan was refused: %s",
				  p->n_refusals ? p->refusals[0] : "no reason given");
	ret = host_boot_detect(ctx, &r->boot);
	if (ret < 0)
		return ret;
	ret = plan_files(ctx, p, r);
	if (ret == 0)
		ret = cmdline_file(ctx, p, r);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < r->n_files; i++) {
		r->changed |= r->files[i].action != HOST_KEEP;
		if (r->files[i].action == HOST_CREATE &&
		    (ret = new_dirs(ctx, r, r->files[i].path)) < 0)
			return ret;
	}
	if (r->changed) {
		r->cmds[r->n_cmds++] = inst_cfg_initramfs_argv;
		r->cmds[r->n_cmds++] = inst_cfg_boot_refresh_argv(r->boot.kind);
	}
	return 0;
}

int host_dry_run(struct host_ctx *ctx, const struct plan *p, struct host_result *r)
{
	r->mode = HOST_DRY_RUN;
	return changes(ctx, p, r);
}

int host_run_cmds(struct host_ctx *ctx, const struct host_result *r)
{
	for (size_t i = 0; i < r->n_cmds; i++) {
		int ret = runner_check(ctx->runner, r->cmds[i], NULL, NULL);

		if (ret < 0)
			return ip_err_set(&ctx->err, ret, "%s", ip_err_msg(&ctx->runner->err));
	}
	return 0;
}

int host_apply(struct host_ctx *ctx, const struct plan *p, struct host_result *r)
{
	int ret;

	r->mode = HOST_APPLY;
	ret = changes(ctx, p, r);
	if (ret < 0 || !r->changed)
		return ret;
	ret = host_backup_create(ctx, r);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < r->n_files; i++) {
		const struct host_file *f = &r->files[i];

		if (f->action == HOST_KEEP)
			continue;
		ret = host_file_write(ctx, ctx->root, f->path, f->text, f->len, f->mode);
		if (ret < 0)
			return ret;
		ip_info("%s '%s' (backup %s)", f->existed ? "changed" : "created", f->path,
			r->backup);
	}
	return host_run_cmds(ctx, r);
}
