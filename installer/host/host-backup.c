// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Backups of what `passthrough --apply` changes: root/HOST_BACKUP_DIR/<time>/
 * holds each file that existed, at its own path with its mode, and the
 * manifest (host-manifest.c). The directory is made before the first write,
 * and is complete before any file of the host changes.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hash.h"
#include "host/host.h"
#include "log.h"
#include "path.h"
#include "util.h"

bool host_backup_name_ok(const char *name)
{
	if (!name || strlen(name) != HOST_NAME_LEN)
		return false;
	for (size_t i = 0; i < HOST_NAME_LEN; i++) {
		char want = i == 8 ? 'T' : i == 15 ? 'Z' : 0;

		if (want ? name[i] != want : name[i] < '0' || name[i] > '9')
			return false;
	}
	return true;
}

void host_backup_name(time_t t, char name[HOST_NAME_LEN + 1])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(name, HOST_NAME_LEN + 1, "%Y%m%dT%H%M%SZ", &tm))
		snprintf(name, HOST_NAME_LEN + 1, "19700101T000000Z");
}

static int backup_dir(struct host_ctx *ctx, const char *name, char *buf, size_t size)
{
	int ret = path_fmt(buf, size, ctx->root, "%s/%s", HOST_BACKUP_DIR, name);

	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot name the backup '%s'", name);
	return 0;
}

int host_backup_create(struct host_ctx *ctx, struct host_result *r)
{
	_cleanup_free_ char *manifest = NULL;
	int ret;

	host_backup_name(ctx->now, r->backup);
	ret = path_mkdirs(ctx->root, HOST_BACKUP_DIR, 0700);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot create '%s'", HOST_BACKUP_DIR);
	ret = backup_dir(ctx, r->backup, r->backup_dir, sizeof(r->backup_dir));
	if (ret < 0)
		return ret;
	if (mkdir(r->backup_dir, 0700) < 0)
		return ip_err_errno(&ctx->err, -errno, "cannot create the backup '%s'",
				    r->backup_dir);
	for (size_t i = 0; i < r->n_files; i++) {
		const struct host_file *f = &r->files[i];

		if (f->action == HOST_KEEP || !f->existed)
			continue;
		ret = host_file_write(ctx, r->backup_dir, f->path, f->old, f->old_len,
				      f->old_mode);
		if (ret < 0)
			return ret;
	}
	manifest = host_manifest_text(r);
	if (!manifest)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	return host_file_write(ctx, r->backup_dir, "/" HOST_MANIFEST, manifest,
			       strlen(manifest), 0600);
}

static int read_manifest(struct host_ctx *ctx, const char *dir, char **json)
{
	size_t len;
	int ret = path_read_all(dir, "/" HOST_MANIFEST, 1u << 20, json, &len);

	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s/%s'", dir, HOST_MANIFEST);
	return 0;
}

int host_backup_load(struct host_ctx *ctx, const char *dir, struct host_result *r,
		     char restored[HOST_NAME_LEN + 1])
{
	_cleanup_free_ char *json = NULL;
	char sha[65];
	int ret;

	ret = read_manifest(ctx, dir, &json);
	if (ret < 0)
		return ret;
	ret = host_manifest_parse(json, r, restored, &ctx->err);
	if (ret < 0)
		return ip_err_set(&ctx->err, ret, "'%s/%s': %s", dir, HOST_MANIFEST,
				  ip_err_msg(&ctx->err));
	snprintf(r->backup_dir, sizeof(r->backup_dir), "%s", dir);
	for (size_t i = 0; i < r->n_files; i++) {
		struct host_file *f = &r->files[i];
		mode_t mode;

		if (!f->existed)
			continue;
		ret = host_file_read(ctx, dir, f->path, &f->old, &f->old_len, &mode);
		if (ret < 0)
			return ret;
		if (!f->old || sha256_buf(f->old, f->old_len, sha) < 0 || strcmp(sha, f->old_sha))
			return ip_err_set(&ctx->err, -EINVAL, "the backup's copy of '%s' is "
					  "missing or not the one in its manifest", f->path);
	}
	return 0;
}

int host_backup_mark_restored(struct host_ctx *ctx, const struct host_result *r)
{
	_cleanup_free_ char *json = NULL, *out = NULL;
	char when[HOST_NAME_LEN + 1];
	int ret;

	ret = read_manifest(ctx, r->backup_dir, &json);
	if (ret < 0)
		return ret;
	host_backup_name(ctx->now, when);
	out = host_manifest_mark(json, when, &ctx->err);
	if (!out)
		return ctx->err.code;
	return host_file_write(ctx, r->backup_dir, "/" HOST_MANIFEST, out, strlen(out), 0600);
}

static int cmp_desc(const void *a, const void *b)
{
	return strcmp(*(const char *const *)b, *(const char *const *)a);
}

/* A backup in @top that is still to be undone (a broken one is skipped). */
static bool undoable(const char *top, const char *name)
{
	_cleanup_free_ char *json = NULL;
	char dir[PATH_MAX], restored[HOST_NAME_LEN + 1];
	struct host_result r = { 0 };
	struct ip_err e = { 0 };
	size_t len;

	if ((size_t)snprintf(dir, sizeof(dir), "%s/%s", top, name) >= sizeof(dir) ||
	    path_read_all(dir, "/" HOST_MANIFEST, 1u << 20, &json, &len) < 0 ||
	    host_manifest_parse(json, &r, restored, &e) < 0) {
		ip_warn("backup '%s' has no valid %s, ignoring", dir, HOST_MANIFEST);
		return false;
	}
	return !restored[0];
}

int host_backup_newest(struct host_ctx *ctx, char name[HOST_NAME_LEN + 1])
{
	char top[PATH_MAX], *names[256];
	struct dirent *de;
	size_t n = 0;
	bool found = false;
	DIR *d;
	int ret;

	ret = path_join(top, sizeof(top), ctx->root, HOST_BACKUP_DIR);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot open '%s'", HOST_BACKUP_DIR);
	d = opendir(top);
	if (!d && errno != ENOENT)
		return ip_err_errno(&ctx->err, -errno, "cannot open '%s'", top);
	while (d && (de = readdir(d)) && n < ARRAY_SIZE(names))
		if (host_backup_name_ok(de->d_name) && (names[n] = strdup(de->d_name)))
			n++;
	if (d)
		closedir(d);
	qsort(names, n, sizeof(*names), cmp_desc);
	for (size_t i = 0; i < n; i++) {
		if (!found && undoable(top, names[i])) {
			snprintf(name, HOST_NAME_LEN + 1, "%s", names[i]);
			found = true;
		}
		free(names[i]);
	}
	if (!found)
		return ip_err_set(&ctx->err, -ENOENT, "no backup left to undo in '%s'", top);
	return 0;
}
