// SPDX-License-Identifier: GPL-2.0-or-later
/* The pool's flat apt index (Packages, Release) and the payload manifest. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hash.h"
#include "path.h"
#include "payload.h"
#include "payload/bld-payload.h"
#include "util.h"

char *bld_payload_release_text(const char *label, const char *suite, int64_t sde,
			       const char *packages_sha256, unsigned long long packages_size)
{
	struct strbuf sb = { 0 };
	time_t t = (time_t)sde;
	struct tm tm;
	char date[64];

	if (!gmtime_r(&t, &tm) ||
	    !strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S UTC", &tm))
		return NULL;
	sb_puts(&sb, "Origin: ironpass\n");
	sb_printf(&sb, "Label: %s\n", label);
	sb_printf(&sb, "Suite: %s\n", suite);
	sb_printf(&sb, "Date: %s\n", date);
	sb_puts(&sb, "Architectures: amd64 all\n");
	sb_printf(&sb, "Description: ironpass payload pool (%s)\n", label);
	sb_puts(&sb, "SHA256:\n");
	sb_printf(&sb, " %s %llu Packages\n", packages_sha256, packages_size);
	return sb_detach(&sb);
}

int bld_payload_index(struct bld_payload_job *job, const char *label)
{
	const char *argv[] = { "dpkg-scanpackages", "--multiversion", ".", NULL };
	struct run_result res = { 0 };
	char pool[PATH_MAX], hex[SHA256_HEX_LEN + 1];
	char *release = NULL;
	int ret;

	ret = path_join(pool, sizeof(pool), job->dir, PAYLOAD_POOL);
	if (ret < 0)
		return ip_err_errno(&job->err, ret, "bad payload directory '%s'", job->dir);
	ret = bld_payload_run(job, argv, pool, &res);
	if (ret < 0)
		goto out;
	if (res.out_len == 0) {
		ret = ip_err_set(&job->err, -ENOENT, "no packages in '%s'", pool);
		goto out;
	}
	ret = path_write_file(pool, "Packages", res.out, res.out_len, 0644);
	if (ret < 0) {
		ip_err_errno(&job->err, ret, "cannot write '%s/Packages'", pool);
		goto out;
	}
	ret = sha256_buf(res.out, res.out_len, hex);
	if (ret < 0) {
		ip_err_errno(&job->err, ret, "cannot hash '%s/Packages'", pool);
		goto out;
	}
	release = bld_payload_release_text(label, job->suite, job->source_date_epoch, hex,
					   (unsigned long long)res.out_len);
	if (!release) {
		ret = ip_err_set(&job->err, -ENOMEM, "cannot format '%s/Release'", pool);
		goto out;
	}
	ret = path_write_file(pool, "Release", release, strlen(release), 0644);
	if (ret < 0)
		ip_err_errno(&job->err, ret, "cannot write '%s/Release'", pool);
out:
	free(release);
	run_result_release(&res);
	return ret;
}

int bld_payload_finish(struct bld_payload_job *job, const char *source, bool standin)
{
	struct payload_info pi;
	int ret;

	ret = payload_info_init(&pi, source, standin, job->suite, job->source_date_epoch,
				payload_default_packages);
	if (ret < 0)
		return ip_err_set(&job->err, ret, "out of memory");
	ret = payload_scan(job->dir, &pi, &job->err);
	if (ret == 0 && !payload_info_find(&pi, PAYLOAD_BASE))
		ret = ip_err_set(&job->err, -ENOENT, "payload '%s' has no '%s'", job->dir,
				 PAYLOAD_BASE);
	if (ret == 0 && !payload_info_find(&pi, PAYLOAD_POOL "/Packages"))
		ret = ip_err_set(&job->err, -ENOENT, "payload '%s' has no '%s/Packages'",
				 job->dir, PAYLOAD_POOL);
	if (ret == 0)
		ret = payload_manifest_write(job->dir, &pi, &job->err);
	payload_info_release(&pi);
	return ret;
}
