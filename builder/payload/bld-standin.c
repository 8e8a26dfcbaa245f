// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The test stand-in pool (tests and demo only; NOT Proxmox VE): a Debian
 * base from mmdebstrap (main and contrib), the real Debian packages postfix,
 * open-iscsi, chrony, zfsutils-linux and zfs-initramfs with the part of their
 * dependency closure the base lacks, the ZFS module package built on the
 * build host (bld-zfs.c), and the stand-in metapackages of
 * bld-standin-debs.c. manifest.json says "standin": true.
 *
 * The pool always carries ZFS: one pool shape, one cache key, whatever the
 * answer asks for (a node can be installed with a ZFS root from any
 * stand-in pool); the price is the module build, once per kernel, and about
 * 5 MB of pool. The module package Provides zfs-modules, so zfs-initramfs is
 * resolved with it, not with zfs-dkms (which would bring a compiler into
 * the pool and a dkms build onto the node, under TCG in the e2e).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdlib.h>

#include "bld-zfs.h"
#include "path.h"
#include "payload.h"
#include "payload/bld-payload.h"
#include "util.h"

const char *const bld_standin_download[] = {
	"postfix", "open-iscsi", "chrony", "zfsutils-linux", "zfs-initramfs", NULL,
};
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

/* The base's kernel must be the ZFS modules' (else -ESTALE: build them again). */
static int standin_kernel_check(struct bld_payload_job *job, const char *status_file)
{
	char *status = NULL, kernels[512], padded[600], want[160];
	size_t len;
	int ret;

	ret = path_read_all(NULL, status_file, 64u << 20, &status, &len);
	if (ret < 0)
		return ip_err_errno(&job->err, ret, "cannot read the base's dpkg status '%s'",
				    status_file);
	ret = bld_dpkg_kernels(status, kernels, sizeof(kernels));
	free(status);
	if (ret < 0)
		return ip_err_errno(&job->err, ret, "cannot list the base's kernels");
	snprintf(padded, sizeof(padded), " %s ", kernels);
	snprintf(want, sizeof(want), " %s ", job->zfs_kver);
	if (!strstr(padded, want))
		return ip_err_set(&job->err, -ESTALE, "the stand-in base's kernel is '%s' but the "
				  "ZFS modules are for '%s'", kernels, job->zfs_kver);
	return 0;
}

/* dkms and zfs-dkms in the download mean zfs-modules was not resolved to ours. */
static int standin_no_dkms(struct bld_payload_job *job, const char *dl)
{
	static const char *const refused[] = { "zfs-dkms_", "dkms_", NULL };
	char path[PATH_MAX];

	for (size_t i = 0; refused[i]; i++) {
		DIR *d = opendir(dl);
		struct dirent *de;
		bool found = false;

		if (!d)
			return ip_err_errno(&job->err, -errno, "cannot open directory '%s'", dl);
		while ((de = readdir(d)))
			if (str_startswith(de->d_name, refused[i]) &&
			    str_endswith(de->d_name, ".deb")) {
				found = true;
				snprintf(path, sizeof(path), "%s", de->d_name);
				break;
			}
		closedir(d);
		if (found)
			return ip_err_set(&job->err, -EINVAL, "the stand-in pool would carry '%s' "
					  "(zfs-modules was not resolved to '%s')", path,
					  job->zfs_deb_name);
	}
	return 0;
}

int bld_standin_build(struct bld_payload_job *job)
{
	char src[PATH_MAX], pool[PATH_MAX], dl[PATH_MAX], base[PATH_MAX], pkg[PATH_MAX];
	char zfs[PATH_MAX], status[PATH_MAX];
	struct bld_mmdebstrap m = {
		.suite = job->suite, .mirror = job->mirror, .components = BLD_ZFS_COMPONENTS,
		.include = bld_payload_base_packages, .extra_include = standin_kernel,
		.download = bld_standin_download,
	};
	char **argv;
	unsigned n = 0;
	int ret;

	if (!job->zfs_deb || !job->zfs_deb_name || !job->zfs_kver)
		return ip_err_set(&job->err, -EINVAL, "no ZFS module package for the stand-in "
				  "pool (bld-zfs.c makes it)");
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
	/* the module package goes in first: the download resolves against it */
	if (path_join(zfs, sizeof(zfs), pool, job->zfs_deb_name) < 0 ||
	    path_join(status, sizeof(status), job->workdir, "base.status") < 0)
		return ip_err_set(&job->err, -ENAMETOOLONG, "path too long: '%s'", pool);
	ret = bld_payload_link(job->zfs_deb, zfs, &job->err);
	if (ret < 0)
		return ret;
	ret = path_join(base, sizeof(base), job->dir, PAYLOAD_BASE);
	if (ret < 0)
		return ip_err_errno(&job->err, ret, "bad payload directory '%s'", job->dir);
	m.dl_dir = dl;
	m.out = base;
	m.local_deb = zfs;
	m.status_out = status;
	argv = bld_mmdebstrap_argv(&m);
	if (!argv)
		return ip_err_set(&job->err, -EINVAL, "cannot build the mmdebstrap command "
				  "line (unsafe word in '%s'?)", dl);
	ret = bld_payload_run(job, (const char *const *)argv, NULL, NULL);
	bld_argv_free(argv);
	if (ret < 0)
		return ret;
	ret = standin_kernel_check(job, status);
	if (ret == 0)
		ret = standin_no_dkms(job, dl);
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
