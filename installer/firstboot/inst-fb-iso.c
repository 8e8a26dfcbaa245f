// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A small ISO 9660 image holding one file, written with libarchive's ISO
 * 9660 writer (Joliet names for Windows, Rock Ridge for Linux): the Windows
 * answer medium. No xorriso: it is on neither the live system nor the
 * installed node.
 *
 * The file's bytes go from memory into the image. libarchive keeps file
 * contents in a scratch file until it lays the image out: an anonymous one
 * in $TMPDIR (O_TMPFILE, or unlinked at once where there is none; RAM on the
 * live system), so no directory ever lists it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "firstboot/inst-firstboot.h"

static int iso_fail(struct archive *a, const char *path, struct ip_err *err)
{
	int code = archive_errno(a) > 0 ? archive_errno(a) : EIO;

	return ip_err_set(err, -code, "cannot write the ISO image '%s': %s", path,
			  archive_error_string(a) ? archive_error_string(a) : strerror(code));
}

/* The image into @fd; 0 or a negative errno with @err set. */
static int iso_fill(int fd, const char *path, const char *volume_id, const char *name,
		    const void *data, size_t len, struct ip_err *err)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	char opts[96];
	int ret = 0;

	if (!a || !e) {
		ret = ip_err_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	snprintf(opts, sizeof(opts), "iso9660:volume-id=%s,iso9660:joliet,iso9660:rockridge",
		 volume_id);
	if (archive_write_set_format_iso9660(a) != ARCHIVE_OK ||
	    archive_write_set_options(a, opts) != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		ret = iso_fail(a, path, err);
		goto out;
	}
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0400);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, time(NULL), 0);
	if (archive_write_header(a, e) != ARCHIVE_OK ||
	    archive_write_data(a, data, len) != (la_ssize_t)len ||
	    archive_write_close(a) != ARCHIVE_OK)
		ret = iso_fail(a, path, err);
out:
	archive_entry_free(e);
	archive_write_free(a);
	return ret;
}

int inst_fb_iso_write(const char *path, const char *volume_id, const char *name,
		      const void *data, size_t len, struct ip_err *err)
{
	char tmp[PATH_MAX];
	int fd, ret;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >= sizeof(tmp))
		return ip_err_set(err, -ENAMETOOLONG, "cannot write '%s': %s", path,
				  strerror(ENAMETOOLONG));
	/* mkostemp: O_CREAT|O_EXCL, mode 0600; it only holds the image */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return ip_err_errno(err, -errno, "cannot create '%s'", tmp);
	if (fchmod(fd, 0600) < 0) {
		ret = ip_err_errno(err, -errno, "cannot set the mode of '%s'", tmp);
		goto out_unlink;
	}
	ret = iso_fill(fd, path, volume_id, name, data, len, err);
	if (ret == 0 && fsync(fd) < 0)
		ret = ip_err_errno(err, -errno, "cannot write '%s'", tmp);
	if (close(fd) < 0 && ret == 0)
		ret = ip_err_errno(err, -errno, "cannot write '%s'", tmp);
	fd = -1;
	if (ret == 0 && rename(tmp, path) < 0)
		ret = ip_err_errno(err, -errno, "cannot rename '%s' to '%s'", tmp, path);
	if (ret == 0)
		return 0;
out_unlink:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return ret;
}
