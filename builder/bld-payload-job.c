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
#include <string.h>
#include <sys/stat.h>

#include "bld-payload.h"
#include "path.h"
#include "payload.h"

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

int bld_standin_pool(struct bld_payload_job *job, const char *dir, bool force, bool *cached)
{
	struct payload_info pi;
	struct ip_err ignore = { 0 };

	*cached = false;
	if (!force && payload_verify(dir, &pi, &ignore) == 0 && pi.standin &&
	    !strcmp(pi.suite, job->suite)) {
		payload_info_release(&pi);
		*cached = true;
		return 0;
	}
	payload_info_release(&pi);
	return bld_payload_build_into(job, dir, standin_fn, NULL);
}
