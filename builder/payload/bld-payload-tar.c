// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A root file system tree into base.tar.zst with libarchive: pax format,
 * numeric owners only (the host's user names mean nothing for the target),
 * permissions, xattrs and ACLs, hard links; entries sorted bytewise and
 * mtimes clamped to SOURCE_DATE_EPOCH so the same tree gives the same bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "payload/bld-payload.h"

struct tar_job {
	struct archive *out;
	struct archive *disk;
	struct archive_entry_linkresolver *links;
	int64_t sde;
	struct ip_err *err;
	char buf[1 << 16];
};

static int tar_name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int tar_copy_data(struct tar_job *t, const char *full)
{
	int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;
	int ret = 0;

	if (fd < 0)
		return ip_err_errno(t->err, -errno, "cannot open '%s'", full);
	while ((n = read(fd, t->buf, sizeof(t->buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = ip_err_errno(t->err, -errno, "cannot read '%s'", full);
			break;
		}
		if (archive_write_data(t->out, t->buf, (size_t)n) != n) {
			ret = ip_err_set(t->err, -EIO, "cannot archive '%s': %s", full,
					 archive_error_string(t->out));
			break;
		}
	}
	close(fd);
	return ret;
}

static int tar_one(struct tar_job *t, const char *full, const char *name, struct stat *st)
{
	struct archive_entry *e = archive_entry_new(), *spare = NULL;
	int ret = 0;

	if (!e)
		return ip_err_set(t->err, -ENOMEM, "out of memory");
	archive_entry_copy_sourcepath(e, full);
	archive_entry_copy_pathname(e, name);
	if (archive_read_disk_entry_from_file(t->disk, e, -1, st) != ARCHIVE_OK) {
		ret = ip_err_set(t->err, -EIO, "cannot read '%s': %s", full,
				 archive_error_string(t->disk));
		goto out;
	}
	archive_entry_set_uname(e, NULL);
	archive_entry_set_gname(e, NULL);
	archive_entry_unset_atime(e);
	archive_entry_unset_ctime(e);
	archive_entry_unset_birthtime(e);
	if (archive_entry_mtime(e) > t->sde)
		archive_entry_set_mtime(e, t->sde, 0);
	archive_entry_linkify(t->links, &e, &spare);
	if (archive_write_header(t->out, e) < ARCHIVE_WARN) {
		ret = ip_err_set(t->err, -EIO, "cannot archive '%s': %s", full,
				 archive_error_string(t->out));
		goto out;
	}
	if (S_ISREG(st->st_mode) && archive_entry_size(e) > 0)
		ret = tar_copy_data(t, full);
out:
	archive_entry_free(e);
	archive_entry_free(spare);
	return ret;
}

static int tar_walk(struct tar_job *t, const char *full, const char *name, int depth)
{
	struct dirent **list = NULL;
	int n, ret = 0;

	if (depth > 64)
		return ip_err_set(t->err, -ELOOP, "'%s' is nested too deep", full);
	n = scandir(full, &list, NULL, tar_name_cmp);
	if (n < 0)
		return ip_err_errno(t->err, -errno, "cannot read directory '%s'", full);
	for (int i = 0; i < n; i++) {
		char sub[PATH_MAX], subname[PATH_MAX];
		const char *d = list[i]->d_name;
		struct stat st;

		if (ret < 0 || !strcmp(d, ".") || !strcmp(d, ".."))
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", full, d) >= sizeof(sub) ||
		    (size_t)snprintf(subname, sizeof(subname), "%s%s", name, d) >= sizeof(subname)) {
			ret = ip_err_set(t->err, -ENAMETOOLONG, "path too long: '%s'", d);
			continue;
		}
		if (lstat(sub, &st) < 0) {
			ret = ip_err_errno(t->err, -errno, "cannot stat '%s'", sub);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			strncat(subname, "/", sizeof(subname) - strlen(subname) - 1);
			ret = tar_one(t, sub, subname, &st);
			if (ret == 0)
				ret = tar_walk(t, sub, subname, depth + 1);
		} else {
			ret = tar_one(t, sub, subname, &st);
		}
	}
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return ret;
}

int bld_payload_tar_dir(const char *dir, const char *out, int64_t sde, struct ip_err *err)
{
	struct tar_job *t = calloc(1, sizeof(*t));
	struct stat st;
	int ret;

	if (!t)
		return ip_err_set(err, -ENOMEM, "out of memory");
	t->sde = sde;
	t->err = err;
	t->out = archive_write_new();
	t->disk = archive_read_disk_new();
	t->links = archive_entry_linkresolver_new();
	if (!t->out || !t->disk || !t->links) {
		ret = ip_err_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	archive_entry_linkresolver_set_strategy(t->links, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
	archive_read_disk_set_symlink_physical(t->disk);
	if (archive_write_set_format_pax_restricted(t->out) != ARCHIVE_OK ||
	    archive_write_add_filter_zstd(t->out) != ARCHIVE_OK ||
	    archive_write_open_filename(t->out, out) != ARCHIVE_OK) {
		ret = ip_err_set(err, -EIO, "cannot create '%s': %s", out,
				 archive_error_string(t->out));
		goto out;
	}
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		ret = ip_err_errno(err, -ENOTDIR, "cannot archive '%s'", dir);
		goto out;
	}
	ret = tar_one(t, dir, "./", &st);
	if (ret == 0)
		ret = tar_walk(t, dir, "./", 0);
	if (archive_write_close(t->out) != ARCHIVE_OK && ret == 0)
		ret = ip_err_set(err, -EIO, "cannot write '%s': %s", out,
				 archive_error_string(t->out));
out:
	archive_write_free(t->out);
	archive_read_free(t->disk);
	archive_entry_linkresolver_free(t->links);
	free(t);
	return ret;
}
