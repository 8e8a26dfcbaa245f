// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The build cache: content-addressed entries under <cachedir>/<kind>/<key>.
 * A key is a SHA-256 over named inputs (suite, sorted package list, mirror,
 * the overlay tree …). An entry is built in a temp directory next to it and
 * renamed into place only when complete; lookups only ever look at final
 * names, so an interrupted build never leaves something a later build trusts.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bld.h"
#include "hash.h"
#include "util.h"

struct bld_key {
	struct sha256_ctx *sha;
};

struct bld_key *bld_key_new(const char *kind)
{
	struct bld_key *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->sha = sha256_new();
	if (!k->sha) {
		free(k);
		return NULL;
	}
	sha256_update(k->sha, "ironpass-cache-v1:", 18);
	sha256_update(k->sha, kind, strlen(kind) + 1);
	return k;
}

/* name and value are length-prefixed so that no two input lists collide */
void bld_key_add(struct bld_key *k, const char *name, const char *value)
{
	char len[48];

	if (!value)
		value = "";
	snprintf(len, sizeof(len), "%zu:%zu:", strlen(name), strlen(value));
	sha256_update(k->sha, len, strlen(len));
	sha256_update(k->sha, name, strlen(name));
	sha256_update(k->sha, value, strlen(value));
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int skip_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

static int key_tree(struct bld_key *k, const char *dir, const char *rel, struct ip_err *e)
{
	struct dirent **list;
	char path[BLD_PATH_MAX], sub[BLD_PATH_MAX], desc[64];
	int n, ret = 0;

	if (bld_path(path, sizeof(path), "%s%s", dir, rel) < 0)
		return ip_err_set(e, -ENAMETOOLONG, "path too long '%s'", rel);
	n = scandir(path, &list, skip_dots, name_cmp);
	if (n < 0)
		return ip_err_errno(e, -errno, "cannot read directory '%s'", path);
	for (int i = 0; i < n; i++) {
		struct stat st;

		if (ret < 0)
			goto next;
		if (bld_path(sub, sizeof(sub), "%s/%s", rel, list[i]->d_name) < 0 ||
		    bld_path(path, sizeof(path), "%s%s", dir, sub) < 0) {
			ret = ip_err_set(e, -ENAMETOOLONG, "path too long '%s'", list[i]->d_name);
			goto next;
		}
		if (lstat(path, &st) < 0) {
			ret = ip_err_errno(e, -errno, "cannot stat '%s'", path);
			goto next;
		}
		/* only the executable bit is meaningful in a git checkout */
		snprintf(desc, sizeof(desc), "%c%c", S_ISDIR(st.st_mode) ? 'd' :
			 S_ISLNK(st.st_mode) ? 'l' : 'f', (st.st_mode & 0100) ? 'x' : '-');
		bld_key_add(k, "path", sub);
		bld_key_add(k, "type", desc);
		if (S_ISDIR(st.st_mode)) {
			ret = key_tree(k, dir, sub, e);
		} else if (S_ISLNK(st.st_mode)) {
			char target[BLD_PATH_MAX];
			ssize_t len = readlink(path, target, sizeof(target) - 1);

			if (len < 0) {
				ret = ip_err_errno(e, -errno, "cannot read link '%s'", path);
				goto next;
			}
			target[len] = '\0';
			bld_key_add(k, "link", target);
		} else {
			char hex[SHA256_HEX_LEN + 1];

			ret = sha256_file(NULL, path, hex, NULL);
			if (ret < 0)
				ip_err_errno(e, ret, "cannot read '%s'", path);
			else
				bld_key_add(k, "sha256", hex);
		}
next:
		free(list[i]);
	}
	free(list);
	return ret;
}

int bld_key_add_tree(struct bld_key *k, const char *name, const char *dir, struct ip_err *e)
{
	bld_key_add(k, "tree", name);
	return key_tree(k, dir, "", e);
}

int bld_key_finish(struct bld_key *k, char hex[65])
{
	int ret = sha256_finish(k->sha, hex);

	free(k);
	return ret;
}

int bld_cache_entry(const struct bld_ctx *ctx, const char *kind, const char *key,
		    char *entry, size_t size)
{
	return bld_path(entry, size, "%s/%s/%s", ctx->cachedir, kind, key);
}

bool bld_cache_has(const struct bld_ctx *ctx, const char *kind, const char *key)
{
	char entry[BLD_PATH_MAX];
	struct stat st;

	if (bld_cache_entry(ctx, kind, key, entry, sizeof(entry)) < 0)
		return false;
	return stat(entry, &st) == 0 && S_ISDIR(st.st_mode);
}

int bld_cache_tmp(struct bld_ctx *ctx, const char *kind, const char *key, char *tmp,
		  size_t size)
{
	char dir[BLD_PATH_MAX];
	int ret;

	if (bld_path(dir, sizeof(dir), "%s/%s", ctx->cachedir, kind) < 0 ||
	    bld_path(tmp, size, "%s/.tmp-%s-%ld", dir, key, (long)getpid()) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "cache path too long '%s'",
				  ctx->cachedir);
	ret = bld_mkdirs(ctx, dir);
	if (ret < 0)
		return ret;
	if (!ctx->dry_run && access(tmp, F_OK) == 0) {
		ret = bld_rm_rf(ctx, tmp);
		if (ret < 0)
			return ret;
	}
	return bld_mkdirs(ctx, tmp);
}

int bld_cache_commit(struct bld_ctx *ctx, const char *tmp, const char *kind, const char *key)
{
	char entry[BLD_PATH_MAX];
	int fd;

	if (ctx->dry_run)
		return 0;
	if (bld_cache_entry(ctx, kind, key, entry, sizeof(entry)) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "cache path too long '%s'", key);
	/* make the entry's content durable before its name appears */
	fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		syncfs(fd);
		close(fd);
	}
	if (rename(tmp, entry) < 0) {
		if (errno == ENOTEMPTY || errno == EEXIST)	/* another build won the race */
			return bld_rm_rf(ctx, tmp);
		return ip_err_errno(&ctx->err, -errno, "cannot commit cache entry '%s'", entry);
	}
	return 0;
}

static bool pid_alive(long pid)
{
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

int bld_cache_sweep(struct bld_ctx *ctx, const char *kind)
{
	char dir[BLD_PATH_MAX], path[BLD_PATH_MAX];
	struct dirent *d;
	DIR *dp;
	int ret = 0;

	if (ctx->dry_run)
		return 0;
	if (bld_path(dir, sizeof(dir), "%s/%s", ctx->cachedir, kind) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "cache path too long '%s'",
				  ctx->cachedir);
	dp = opendir(dir);
	if (!dp)
		return 0;
	while ((d = readdir(dp))) {
		const char *dash;
		long pid;

		if (!str_startswith(d->d_name, ".tmp-"))
			continue;
		dash = strrchr(d->d_name, '-');
		pid = strtol(dash + 1, NULL, 10);
		if (pid == (long)getpid() || pid_alive(pid))
			continue;
		if (bld_path(path, sizeof(path), "%s/%s", dir, d->d_name) < 0)
			continue;
		ret = bld_rm_rf(ctx, path);
		if (ret < 0)
			break;
	}
	closedir(dp);
	return ret;
}
