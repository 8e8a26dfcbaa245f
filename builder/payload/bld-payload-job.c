// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Build a payload directory atomically: a source fills <dir>.tmp (scratch
 * in <dir>.work); only a complete, verified result replaces <dir>, so an
 * interrupted build never leaves a half-written payload that a later build
 * or the installer would trust.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bld-zfs.h"
#include "path.h"
#include "payload.h"
#include "payload/bld-payload.h"
#include "util.h"

int bld_payload_build_into(struct bld_payload_job *job, const char *dir,
			   int (*fn)(struct bld_payload_job *job, const void *arg),
			   const void *arg)
{
	char tmp[PATH_MAX], work[PATH_MAX];
	const char *saved_dir = job->dir, *saved_work = job->workdir;
	int ret;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", dir) >= sizeof(tmp) ||
	    (size_t)snprintf(work, sizeof(work), "%s.work", dir) >= sizeof(work))
		return ip_err_set(&job->err, -ENAMETOOLONG, "path too long: '%s'", dir);
	bld_payload_rmtree(tmp);
	bld_payload_rmtree(work);
	ret = path_mkdirs(NULL, tmp, 0755);
	if (ret == 0)
		ret = path_mkdirs(NULL, work, 0755);
	if (ret < 0)
		return ip_err_errno(&job->err, ret, "cannot create '%s'", tmp);
	job->dir = tmp;
	job->workdir = work;
	ret = fn(job, arg);
	if (ret == 0)
		ret = payload_verify(tmp, NULL, &job->err);
	job->dir = saved_dir;
	job->workdir = saved_work;
	if (ret < 0) {
		bld_payload_rmtree(tmp);
		return ret;
	}
	ret = bld_payload_rmtree(dir);
	if (ret == 0 && rename(tmp, dir) < 0)
		ret = -errno;
	if (ret < 0)
		return ip_err_errno(&job->err, ret, "cannot replace '%s'", dir);
	bld_payload_rmtree(work);
	return 0;
}

static int standin_fn(struct bld_payload_job *job, const void *arg)
{
	(void)arg;
	return bld_standin_build(job);
}

/*
 * What a stand-in pool was made from: suite, mirror, components, the base
 * package list, what is downloaded beyond it, the digest of the stand-in
 * packages' files and the SHA-256 of the ZFS module package. Kept beside the
 * pool as <dir>.key (the pool itself holds only what its manifest lists); a
 * pool made from other inputs (say, an older package list, or modules built
 * for another kernel) is made again rather than reused.
 */
static int standin_key_path(const char *dir, char *buf, size_t size)
{
	return (size_t)snprintf(buf, size, "%s.key", dir) < size ? 0 : -ENAMETOOLONG;
}

char *bld_standin_key(const struct bld_payload_job *job)
{
	char hex[SHA256_HEX_LEN + 1], zfs[SHA256_HEX_LEN + 1] = "none";
	struct strbuf sb = { 0 };

	sb_printf(&sb, "suite %s\nmirror %s\ncomponents %s\nbase", job->suite,
		  job->mirror ? job->mirror : "(default)", BLD_ZFS_COMPONENTS);
	for (const char *const *p = bld_payload_base_packages; *p; p++)
		sb_printf(&sb, " %s", *p);
	sb_puts(&sb, "\ndownload");
	for (const char *const *p = bld_standin_download; *p; p++)
		sb_printf(&sb, " %s", *p);
	sb_puts(&sb, "\n");
	if (bld_standin_debs_digest(hex) < 0 ||
	    (job->zfs_deb && sha256_file(NULL, job->zfs_deb, zfs, NULL) < 0)) {
		sb_release(&sb);
		return NULL;
	}
	sb_printf(&sb, "standin %s\nzfs-modules %s\n", hex, zfs);
	if (sb.err) {
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

static bool standin_key_same(const char *dir, const char *key)
{
	char path[PATH_MAX], *old = NULL;
	size_t len;
	bool same;

	if (!key || standin_key_path(dir, path, sizeof(path)) < 0 ||
	    path_read_all(NULL, path, 64 * 1024, &old, &len) < 0)
		return false;
	same = !strcmp(old, key);
	free(old);
	return same;
}

int bld_standin_pool(struct bld_payload_job *job, const char *dir, bool force, bool *cached)
{
	struct payload_info pi = { 0 };
	struct ip_err ignore = { 0 };
	char *key = bld_standin_key(job);
	int ret;

	*cached = false;
	if (!key)
		return ip_err_set(&job->err, -ENOMEM, "out of memory");
	if (!force && standin_key_same(dir, key) && payload_verify(dir, &pi, &ignore) == 0 &&
	    pi.standin && !strcmp(pi.suite, job->suite)) {
		payload_info_release(&pi);
		free(key);
		*cached = true;
		return 0;
	}
	payload_info_release(&pi);
	ret = bld_payload_build_into(job, dir, standin_fn, NULL);
	if (ret == 0) {
		char path[PATH_MAX];

		ret = standin_key_path(dir, path, sizeof(path));
		if (ret == 0)
			ret = path_write_file(NULL, path, key, strlen(key), 0644);
		if (ret < 0)
			ip_err_errno(&job->err, ret, "cannot write '%s.key'", dir);
	}
	free(key);
	return ret;
}
