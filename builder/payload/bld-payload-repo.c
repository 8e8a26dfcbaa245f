// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --pve-repo: the Proxmox apt repository. mmdebstrap builds the Debian base
 * with the repository line and key of Proxmox's "Install Proxmox VE on
 * Debian" procedure copied in (setup hooks, so apt sees them before its
 * first update), then downloads the dependency closure of proxmox-ve,
 * postfix, open-iscsi and chrony that the base lacks into pool/.
 *
 * The repository's URL is the profile's [ironpass] pve-repository: ironpass
 * names no package repository host itself.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "path.h"
#include "payload.h"
#include "payload/bld-payload.h"
#include "runner.h"
#include "url.h"
#include "util.h"

static const struct {
	const char *suite;
	const char *key;
} repo_suites[] = {
	{ "bookworm", "proxmox-release-bookworm.gpg" },
};

static const char *repo_key_name(const char *suite)
{
	for (size_t i = 0; i < sizeof(repo_suites) / sizeof(repo_suites[0]); i++)
		if (!strcmp(repo_suites[i].suite, suite))
			return repo_suites[i].key;
	return NULL;
}

char *bld_payload_repo_line(const char *url, const char *suite)
{
	char *line = NULL;

	if (!url || !repo_key_name(suite) || !runner_word_ok(url) ||
	    !(str_startswith(url, "http://") || str_startswith(url, "https://")))
		return NULL;
	if (asprintf(&line, "deb %s %s pve-no-subscription\n", url, suite) < 0)
		return NULL;
	return line;
}

int bld_payload_from_repo(struct bld_payload_job *job)
{
	_cleanup_free_ char *line = bld_payload_repo_line(job->repo_url, job->suite);
	char list[PATH_MAX], dl[PATH_MAX], pool[PATH_MAX], base[PATH_MAX];
	const char *copy_in[] = { list, "/etc/apt/sources.list.d/",
				  job->keyring, "/etc/apt/trusted.gpg.d/", NULL };
	struct bld_mmdebstrap m = {
		.suite = job->suite, .mirror = job->mirror,
		.include = bld_payload_base_packages, .copy_in = copy_in,
		.download = payload_default_packages,
	};
	unsigned n = 0;
	struct stat st;
	char **argv;
	int ret;

	if (!job->repo_url)
		return ip_err_set(&job->err, -EINVAL, "the Proxmox VE repository is not set: "
				  "add [ironpass] pve-repository = \"URL\" (as Proxmox's "
				  "\"Install Proxmox VE on Debian\" guide gives it) to the profile");
	if (!line) {
		char shown[512];

		return ip_err_set(&job->err, -EINVAL, "no Proxmox repository for suite '%s' at "
				  "'%s'", job->suite, url_redact(job->repo_url, shown, sizeof(shown)));
	}
	if (!job->keyring || stat(job->keyring, &st) < 0)
		return ip_err_set(&job->err, -ENOENT, "the Proxmox release key '%s' is missing: "
				  "download %s as in Proxmox's \"Install Proxmox VE on Debian\" "
				  "guide, check its fingerprint, and put it there",
				  job->keyring ? job->keyring : "(none)", repo_key_name(job->suite));
	if ((ret = path_join(list, sizeof(list), job->workdir, "pve-install-repo.list")) < 0 ||
	    (ret = path_join(dl, sizeof(dl), job->workdir, "dl")) < 0 ||
	    (ret = path_join(pool, sizeof(pool), job->dir, PAYLOAD_POOL)) < 0 ||
	    (ret = path_join(base, sizeof(base), job->dir, PAYLOAD_BASE)) < 0 ||
	    (ret = path_mkdirs(NULL, dl, 0755)) < 0 || (ret = path_mkdirs(NULL, pool, 0755)) < 0)
		return ip_err_errno(&job->err, ret, "cannot prepare '%s'", job->workdir);
	ret = path_write_file(NULL, list, line, strlen(line), 0644);
	if (ret < 0)
		return ip_err_errno(&job->err, ret, "cannot write '%s'", list);
	m.dl_dir = dl;
	m.out = base;
	argv = bld_mmdebstrap_argv(&m);
	if (!argv)
		return ip_err_set(&job->err, -EINVAL, "cannot build the mmdebstrap command "
				  "line (unsafe word in '%s' or '%s'?)", dl, job->keyring);
	ret = bld_payload_run(job, (const char *const *)argv, NULL, NULL);
	bld_argv_free(argv);
	if (ret < 0)
		return ret;
	ret = bld_payload_take_debs(dl, pool, &n, &job->err);
	if (ret == 0 && n == 0)
		ret = ip_err_set(&job->err, -ENOENT, "mmdebstrap downloaded no packages into "
				 "'%s'", dl);
	if (ret == 0)
		ret = bld_payload_index(job, "Proxmox VE repository");
	if (ret == 0)
		ret = bld_payload_finish(job, "pve-repo", false);
	return ret;
}
