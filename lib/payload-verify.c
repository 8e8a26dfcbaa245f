// SPDX-License-Identifier: GPL-2.0-or-later
/* The payload directory on disk: scan (builder) and verify (installer). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hash.h"
#include "path.h"
#include "payload.h"
#include "util.h"

struct payload_walk {
	const char *dir;
	struct payload_info list;	/* relative paths of every regular file */
	struct ip_err *err;
};

/* Collect every regular file under dir/rel (rel "" for the top), depth first. */
static int payload_walk_dir(struct payload_walk *w, const char *rel, int depth)
{
	char full[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (depth > 16)
		return ip_err_set(w->err, -ELOOP, "payload directory '%s/%s' is nested too deep",
				  w->dir, rel);
	ret = path_join(full, sizeof(full), w->dir, rel);
	if (ret < 0)
		return ip_err_errno(w->err, ret, "bad path '%s/%s'", w->dir, rel);
	d = opendir(full);
	if (!d)
		return ip_err_errno(w->err, -errno, "cannot open directory '%s'", full);
	while ((de = readdir(d))) {
		char sub[PATH_MAX];
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (!*rel && !strcmp(de->d_name, PAYLOAD_MANIFEST))
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
				     de->d_name) >= sizeof(sub)) {
			ret = ip_err_set(w->err, -ENAMETOOLONG, "path too long in '%s'", full);
			break;
		}
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			ret = ip_err_errno(w->err, -errno, "cannot stat '%s/%s'", w->dir, sub);
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			ret = payload_walk_dir(w, sub, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			ret = payload_info_add_file(&w->list, sub, (unsigned long long)st.st_size,
						    NULL);
			if (ret < 0)
				ip_err_set(w->err, ret, "out of memory");
		} else {
			ret = ip_err_set(w->err, -EBADMSG, "payload file '%s' is not a regular "
					 "file or directory", sub);
		}
		if (ret < 0)
			break;
	}
	closedir(d);
	return ret;
}

static int payload_walk(const char *dir, struct payload_info *out, struct ip_err *err)
{
	struct payload_walk w = { .dir = dir, .err = err };
	int ret = payload_walk_dir(&w, "", 0);

	if (ret == 0)
		ret = payload_info_sort(&w.list, err);
	if (ret < 0) {
		payload_info_release(&w.list);
		return ret;
	}
	*out = w.list;
	return 0;
}

int payload_scan(const char *dir, struct payload_info *pi, struct ip_err *err)
{
	struct payload_info found;
	int ret;

	ret = payload_walk(dir, &found, err);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < found.n_files; i++) {
		struct payload_file *f = &found.files[i];

		ret = sha256_file(dir, f->path, f->sha256, &f->size);
		if (ret < 0) {
			ip_err_errno(err, ret, "cannot hash '%s/%s'", dir, f->path);
			payload_info_release(&found);
			return ret;
		}
	}
	/* hand the file list over; keep the header */
	for (size_t i = 0; i < pi->n_files; i++)
		free(pi->files[i].path);
	free(pi->files);
	pi->files = found.files;
	pi->n_files = found.n_files;
	found.files = NULL;
	found.n_files = 0;
	payload_info_release(&found);
	return 0;
}

int payload_verify_file(const char *dir, const struct payload_file *f, struct ip_err *err)
{
	char hex[SHA256_HEX_LEN + 1];
	unsigned long long size = 0;
	char full[PATH_MAX];
	struct stat st;
	int ret;

	ret = path_join(full, sizeof(full), dir, f->path);
	if (ret < 0)
		return ip_err_errno(err, ret, "bad path '%s'", f->path);
	if (lstat(full, &st) < 0)
		return ip_err_errno(err, -errno, "payload file '%s' is missing", f->path);
	if (!S_ISREG(st.st_mode))
		return ip_err_set(err, -EBADMSG, "payload file '%s' is not a regular file",
				  f->path);
	if ((unsigned long long)st.st_size != f->size)
		return ip_err_set(err, -EBADMSG, "payload file '%s' has the wrong size: "
				  "%llu bytes, manifest says %llu", f->path,
				  (unsigned long long)st.st_size, f->size);
	ret = sha256_file(dir, f->path, hex, &size);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot read payload file '%s'", f->path);
	if (size != f->size || strcmp(hex, f->sha256) != 0)
		return ip_err_set(err, -EBADMSG, "payload file '%s' is corrupt: sha256 %s, "
				  "manifest says %s", f->path, hex, f->sha256);
	return 0;
}

int payload_verify(const char *dir, struct payload_info *pi, struct ip_err *err)
{
	struct payload_info own, found = { 0 };
	struct payload_info *m = pi ? pi : &own;
	int ret;

	ret = payload_manifest_read(dir, m, err);
	if (ret < 0)
		goto out;
	for (size_t i = 0; i < m->n_files; i++) {
		ret = payload_verify_file(dir, &m->files[i], err);
		if (ret < 0)
			goto out;
	}
	ret = payload_walk(dir, &found, err);
	if (ret < 0)
		goto out;
	for (size_t i = 0; i < found.n_files; i++) {
		if (!payload_info_find(m, found.files[i].path)) {
			ret = ip_err_set(err, -EBADMSG, "payload file '%s' is not listed in '%s'",
					 found.files[i].path, PAYLOAD_MANIFEST);
			break;
		}
	}
	payload_info_release(&found);
out:
	if (!pi)
		payload_info_release(&own);
	return ret;
}
