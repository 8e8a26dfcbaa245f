// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --pve-iso FILE: the official Proxmox VE ISO, read with libarchive
 * (ISO9660). Its pve-base.squashfs becomes base.tar.zst (unsquashfs into
 * scratch, then bld_payload_tar_dir) and proxmox/packages/NAME.deb become
 * pool/. Fully offline: the exact package set that Proxmox tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "path.h"
#include "payload.h"
#include "payload/bld-payload.h"
#include "util.h"

#define ISO_SQUASHFS	"pve-base.squashfs"
#define ISO_PACKAGES	"proxmox/packages/"

/* "./proxmox/packages/x.deb" and "/proxmox/…" → "proxmox/packages/x.deb" */
static const char *iso_name(const char *p)
{
	while (*p == '/' || (p[0] == '.' && p[1] == '/'))
		p += p[0] == '/' ? 1 : 2;
	return p;
}

static int iso_extract(struct bld_payload_job *job, struct archive *a, const char *to)
{
	int fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int ret = 0;

	if (fd < 0)
		return ip_err_errno(&job->err, -errno, "cannot create '%s'", to);
	if (archive_read_data_into_fd(a, fd) != ARCHIVE_OK)
		ret = ip_err_set(&job->err, -EIO, "cannot extract '%s': %s", to,
				 archive_error_string(a));
	if (close(fd) < 0 && ret == 0)
		ret = ip_err_errno(&job->err, -errno, "cannot write '%s'", to);
	return ret;
}

/* Pull pve-base.squashfs into @sqfs and the .debs into @pool. */
static int iso_read(struct bld_payload_job *job, const char *iso, const char *sqfs,
		    const char *pool, unsigned *n_debs, bool *have_sqfs)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int r, ret = 0;

	if (!a)
		return ip_err_set(&job->err, -ENOMEM, "out of memory");
	archive_read_support_format_iso9660(a);
	if (archive_read_open_filename(a, iso, 1 << 16) != ARCHIVE_OK) {
		ret = ip_err_set(&job->err, -EINVAL, "cannot read ISO '%s': %s", iso,
				 archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = iso_name(archive_entry_pathname(e));
		const char *base = name + strlen(ISO_PACKAGES);
		char to[PATH_MAX];

		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (!strcmp(name, ISO_SQUASHFS)) {
			ret = iso_extract(job, a, sqfs);
			*have_sqfs = true;
		} else if (str_startswith(name, ISO_PACKAGES) && !strchr(base, '/') &&
			   str_endswith(base, ".deb") && base[0] != '.') {
			ret = path_join(to, sizeof(to), pool, base);
			if (ret < 0)
				ret = ip_err_errno(&job->err, ret, "bad name '%s'", name);
			else
				ret = iso_extract(job, a, to);
			(*n_debs)++;
		}
		if (ret < 0)
			goto out;
	}
	if (r != ARCHIVE_EOF)
		ret = ip_err_set(&job->err, -EIO, "cannot read ISO '%s': %s", iso,
				 archive_error_string(a));
out:
	archive_read_free(a);
	return ret;
}

int bld_payload_from_iso(struct bld_payload_job *job, const char *iso)
{
	char pool[PATH_MAX], sqfs[PATH_MAX], root[PATH_MAX], base[PATH_MAX];
	const char *unsq[] = { "unsquashfs", "-no-progress", "-d", root, sqfs, NULL };
	bool have_sqfs = false;
	unsigned n = 0;
	int ret;

	if ((ret = path_join(pool, sizeof(pool), job->dir, PAYLOAD_POOL)) < 0 ||
	    (ret = path_join(base, sizeof(base), job->dir, PAYLOAD_BASE)) < 0 ||
	    (ret = path_join(sqfs, sizeof(sqfs), job->workdir, ISO_SQUASHFS)) < 0 ||
	    (ret = path_join(root, sizeof(root), job->workdir, "pve-base")) < 0 ||
	    (ret = path_mkdirs(NULL, pool, 0755)) < 0)
		return ip_err_errno(&job->err, ret, "cannot prepare '%s'", job->dir);
	ret = iso_read(job, iso, sqfs, pool, &n, &have_sqfs);
	if (ret < 0)
		return ret;
	if (!have_sqfs)
		return ip_err_set(&job->err, -ENOENT, "'%s' has no '%s': not a Proxmox VE ISO?",
				  iso, ISO_SQUASHFS);
	if (n == 0)
		return ip_err_set(&job->err, -ENOENT, "'%s' has no '%s*.deb': not a Proxmox "
				  "VE ISO?", iso, ISO_PACKAGES);
	/* unsquashfs keeps owners only as root: run the builder as root or in unshare */
	ret = bld_payload_run(job, unsq, NULL, NULL);
	if (ret < 0)
		return ret;
	ret = bld_payload_tar_dir(root, base, job->source_date_epoch, &job->err);
	if (ret < 0)
		return ret;
	unlink(sqfs);
	ret = bld_payload_index(job, "Proxmox VE ISO");
	if (ret < 0)
		return ret;
	return bld_payload_finish(job, "pve-iso", false);
}
