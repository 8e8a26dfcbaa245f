// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The test stand-in pool (tests and demo only; NOT Proxmox VE): a Debian
 * base from mmdebstrap, the real Debian packages postfix, open-iscsi and
 * chrony with the part of their dependency closure the base lacks, and the
 * stand-in metapackages of bld-standin-debs.c. manifest.json says
 * "standin": true.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"
#include "payload.h"
#include "payload/bld-payload.h"

static const char *const standin_download[] = { "postfix", "open-iscsi", "chrony", NULL };
/* the stand-in boots a Debian kernel; a real payload's kernel comes from its pool */
static const char *const standin_kernel[] = { "linux-image-amd64", NULL };

static int standin_mkdir(struct bld_payload_job *job, const char *dir, const char *sub,
			 char *out, size_t size)
{
	int ret = path_join(out, size, dir, sub);

	if (ret == 0)
		ret = path_mkdirs(NULL, out, 0755);
	if (ret < 0)
		return ip_err_errno(&job->err, ret, "cannot create '%s/%s'", dir, sub);
	return 0;
}

int bld_standin_build(struct bld_payload_job *job)
{
	char src[PATH_MAX], pool[PATH_MAX], dl[PATH_MAX], base[PATH_MAX], pkg[PATH_MAX];
	struct bld_mmdebstrap m = {
		.suite = job->suite, .mirror = job->mirror,
		.include = bld_payload_base_packages, .extra_include = standin_kernel,
		.download = standin_download,
	};
	char **argv;
	unsigned n = 0;
	int ret;

	if ((ret = standin_mkdir(job, job->workdir, "standin-src", src, sizeof(src))) < 0 ||
	    (ret = standin_mkdir(job, job->workdir, "dl", dl, sizeof(dl))) < 0 ||
	    (ret = standin_mkdir(job, job->dir, PAYLOAD_POOL, pool, sizeof(pool))) < 0)
		return ret;
	ret = bld_standin_debs_write(src, &job->err);
	if (ret < 0)
		return ret;
	for (size_t i = 0; bld_standin_debs[i]; i++) {
		const char *dpkg[] = { "dpkg-deb", "--root-owner-group", "-Zxz", "--build", pkg,
				       pool, NULL };

		ret = path_join(pkg, sizeof(pkg), src, bld_standin_debs[i]);
		if (ret == 0)
			ret = bld_payload_run(job, dpkg, NULL, NULL);
		if (ret < 0)
			return ret;
	}
	ret = path_join(base, sizeof(base), job->dir, PAYLOAD_BASE);
	if (ret < 0)
		return ip_err_errno(&job->err, ret, "bad payload directory '%s'", job->dir);
	m.dl_dir = dl;
	m.out = base;
	argv = bld_mmdebstrap_argv(&m);
	if (!argv)
		return ip_err_set(&job->err, -EINVAL, "cannot build the mmdebstrap command "
				  "line (unsafe word in '%s'?)", dl);
	ret = bld_payload_run(job, (const char *const *)argv, NULL, NULL);
	bld_argv_free(argv);
	if (ret < 0)
		return ret;
	ret = bld_payload_take_debs(dl, pool, &n, &job->err);
	if (ret < 0)
		return ret;
	if (n == 0)
		return ip_err_set(&job->err, -ENOENT, "mmdebstrap downloaded no packages into "
				  "'%s'", dl);
	ret = bld_payload_index(job, "test stand-in");
	if (ret < 0)
		return ret;
	return bld_payload_finish(job, "standin", true);
}
