// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --pool DIR: a local directory for air-gapped sites. Either an already
 * normalised payload (manifest.json present: verified, then taken as it
 * is, so a stand-in stays marked as one), or a plain directory of .deb
 * files (also under DIR/pool/) with DIR/base.tar.zst beside them.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "path.h"
#include "payload.h"
#include "payload/bld-payload.h"

static int pool_take_payload(struct bld_payload_job *job, const char *src)
{
	struct payload_info pi;
	char from[PATH_MAX], to[PATH_MAX];
	int ret;

	ret = payload_verify(src, &pi, &job->err);
	if (ret < 0)
		goto out;
	for (size_t i = 0; i <= pi.n_files && ret == 0; i++) {
		const char *rel = i < pi.n_files ? pi.files[i].path : PAYLOAD_MANIFEST;
		char *slash;

		ret = path_join(from, sizeof(from), src, rel);
		if (ret == 0)
			ret = path_join(to, sizeof(to), job->dir, rel);
		if (ret < 0) {
			ip_err_errno(&job->err, ret, "bad path '%s'", rel);
			break;
		}
		slash = strrchr(to, '/');
		*slash = '\0';
		ret = path_mkdirs(NULL, to, 0755);
		*slash = '/';
		if (ret < 0)
			ip_err_errno(&job->err, ret, "cannot create the directory of '%s'", to);
		else
			ret = bld_payload_link(from, to, &job->err);
	}
out:
	payload_info_release(&pi);
	return ret;
}

int bld_payload_from_pool(struct bld_payload_job *job, const char *src)
{
	char pool[PATH_MAX], sub[PATH_MAX], base[PATH_MAX], to[PATH_MAX];
	unsigned n = 0;
	struct stat st;
	int ret;

	if (stat(src, &st) < 0 || !S_ISDIR(st.st_mode))
		return ip_err_errno(&job->err, -ENOTDIR, "cannot use pool '%s'", src);
	if (path_exists(src, PAYLOAD_MANIFEST))
		return pool_take_payload(job, src);
	ret = path_join(base, sizeof(base), src, PAYLOAD_BASE);
	if (ret == 0 && stat(base, &st) < 0)
		return ip_err_set(&job->err, -ENOENT, "pool '%s' has no '%s' (the root file "
				  "system); use --pve-iso or --pve-repo, or add one", src,
				  PAYLOAD_BASE);
	if ((ret = path_join(pool, sizeof(pool), job->dir, PAYLOAD_POOL)) < 0 ||
	    (ret = path_mkdirs(NULL, pool, 0755)) < 0 ||
	    (ret = path_join(to, sizeof(to), job->dir, PAYLOAD_BASE)) < 0)
		return ip_err_errno(&job->err, ret, "cannot create '%s'", pool);
	ret = bld_payload_link(base, to, &job->err);
	if (ret < 0)
		return ret;
	ret = bld_payload_take_debs(src, pool, &n, &job->err);
	if (ret == 0 && path_join(sub, sizeof(sub), src, PAYLOAD_POOL) == 0 &&
	    stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
		ret = bld_payload_take_debs(sub, pool, &n, &job->err);
	if (ret < 0)
		return ret;
	if (n == 0)
		return ip_err_set(&job->err, -ENOENT, "pool '%s' has no .deb files", src);
	ret = bld_payload_index(job, "local pool");
	if (ret < 0)
		return ret;
	return bld_payload_finish(job, "pool", false);
}
