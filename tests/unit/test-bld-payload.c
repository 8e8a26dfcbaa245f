// SPDX-License-Identifier: GPL-2.0-or-later
/* Payload sources with the fake runner: the exact argv of mmdebstrap,
 * dpkg-deb and dpkg-scanpackages, the stand-in packages, the Release text,
 * the pool source, and the atomic replace of a payload directory. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "path.h"
#include "payload.h"
#include "payload/bld-payload.h"
#include "util.h"

static char top[256];

static int setup(void **state)
{
	(void)state;
	snprintf(top, sizeof(top), "%.200s/ironpass-bldpay-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(top));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(bld_payload_rmtree(top), 0);
	return 0;
}

static void put(const char *dir, const char *rel, const char *data)
{
	assert_int_equal(path_write_file(dir, rel, data, strlen(data), 0644), 0);
}

#define HOOKS(dl) \
	"'--customize-hook=mkdir -p \"$1/var/cache/ironpass-pool/partial\"' " \
	"'--customize-hook=chroot \"$1\" apt-get install --download-only --yes " \
	"-o APT::Install-Recommends=false -o Dir::Cache::Archives=/var/cache/ironpass-pool/ " \
	"postfix open-iscsi chrony' " \
	"'--customize-hook=sync-out /var/cache/ironpass-pool " dl "' " \
	"'--customize-hook=rm -rf \"$1/var/cache/ironpass-pool\"' "

#define BASE_INC "--include=systemd-sysv,udev,kmod,initramfs-tools,grub-pc-bin," \
	"grub-efi-amd64-bin,grub2-common,shim-signed,grub-efi-amd64-signed,efibootmgr,lvm2," \
	"e2fsprogs,xfsprogs,btrfs-progs,dosfstools," \
	"iproute2,ifupdown,isc-dhcp-client,bridge-utils,openssh-server,pciutils,ca-certificates"

static void test_mmdebstrap_argv(void **state)
{
	static const char *const dl[] = { "postfix", "open-iscsi", "chrony", NULL };
	static const char *const kernel[] = { "linux-image-amd64", NULL };
	struct bld_mmdebstrap m = {
		.suite = "bookworm", .include = bld_payload_base_packages,
		.extra_include = kernel, .download = dl, .dl_dir = "/w/dl",
		.out = "/p/base.tar.zst",
	};
	char **argv;
	char *s;

	(void)state;
	argv = bld_mmdebstrap_argv(&m);
	assert_non_null(argv);
	s = runner_argv_str((const char *const *)argv);
	assert_string_equal(s, "mmdebstrap --variant=minbase " BASE_INC ",linux-image-amd64 "
			    HOOKS("/w/dl") "bookworm /p/base.tar.zst");
	free(s);
	bld_argv_free(argv);
	/* a mirror goes last; an unsafe package name is refused */
	m.mirror = "http://mirror.invalid/debian";
	argv = bld_mmdebstrap_argv(&m);
	assert_non_null(argv);
	s = runner_argv_str((const char *const *)argv);
	assert_true(str_endswith(s, "bookworm /p/base.tar.zst http://mirror.invalid/debian"));
	free(s);
	bld_argv_free(argv);
	m.dl_dir = "/w/dl x";
	assert_null(bld_mmdebstrap_argv(&m));
}

static void test_release_text(void **state)
{
	char *r;

	(void)state;
	r = bld_payload_release_text("test stand-in", "bookworm", 1704067200,
				     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
				     0);
	assert_string_equal(r, "Origin: ironpass\n"
			    "Label: test stand-in\n"
			    "Suite: bookworm\n"
			    "Date: Mon, 01 Jan 2024 00:00:00 UTC\n"
			    "Architectures: amd64 all\n"
			    "Description: ironpass payload pool (test stand-in)\n"
			    "SHA256:\n"
			    " e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
			    " 0 Packages\n");
	free(r);
}

static void test_standin_debs(void **state)
{
	char *text = NULL, full[PATH_MAX], lnk[PATH_MAX];
	struct ip_err err = { 0 };
	struct stat st;
	size_t len;
	ssize_t n;

	(void)state;
	assert_int_equal(bld_standin_debs_write(top, &err), 0);
	for (size_t i = 0; bld_standin_debs[i]; i++) {
		snprintf(full, sizeof(full), "%s/DEBIAN/control", bld_standin_debs[i]);
		assert_int_equal(path_read_all(top, full, 1 << 16, &text, &len), 0);
		assert_non_null(strstr(text, "Description: test stand-in for "));
		assert_non_null(strstr(text, "NOT Proxmox VE"));
		free(text);
	}
	/* qm is the Perl stand-in (test-bld-standin.c runs it) */
	assert_int_equal(path_read_all(top, "pve-manager/usr/sbin/qm", 1 << 20, &text, &len), 0);
	assert_true(str_startswith(text, "#!/usr/bin/perl\n# test stand-in for Proxmox VE's qm -- "
				   "NOT Proxmox VE.\n"));
	assert_non_null(strstr(text, "/var/log/ironpass-standin"));
	free(text);
	snprintf(full, sizeof(full), "%s/pve-manager/usr/sbin/qm", top);
	assert_int_equal(stat(full, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	snprintf(full, sizeof(full), "%s/pve-manager/usr/sbin/pvesm", top);
	assert_int_equal(stat(full, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(path_read_all(top, "pve-cluster/lib/systemd/system/pve-cluster.service",
				       1 << 16, &text, &len), 0);
	assert_non_null(strstr(text, "Type=oneshot\nRemainAfterExit=yes\n"
			       "ExecStart=/usr/lib/pve-cluster/standin-pmxcfs start\n"));
	free(text);
	snprintf(full, sizeof(full), "%s/pve-cluster/usr/lib/pve-cluster/standin-pmxcfs", top);
	assert_int_equal(stat(full, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	snprintf(full, sizeof(full),
		 "%s/pve-cluster/etc/systemd/system/multi-user.target.wants/pve-cluster.service",
		 top);
	n = readlink(full, lnk, sizeof(lnk) - 1);
	assert_true(n > 0);
	lnk[n] = '\0';
	assert_string_equal(lnk, "/lib/systemd/system/pve-cluster.service");
}

/* The stand-in create_pmxcfs_db, run for real (sh): it keeps the files it is given. */
static void test_standin_pmxcfs(void **state)
{
	char script[PATH_MAX], seed[PATH_MAX], db[PATH_MAX], *text = NULL;
	const char *argv[] = { "sh", script, seed, db, NULL };
	struct ip_err err = { 0 };
	struct runner r;
	struct stat st;
	size_t len;

	(void)state;
	assert_int_equal(bld_standin_debs_write(top, &err), 0);
	snprintf(script, sizeof(script), "%s/pve-cluster/usr/bin/create_pmxcfs_db", top);
	assert_int_equal(stat(script, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(path_read_all(top, "pve-cluster/usr/bin/create_pmxcfs_db", 1 << 16,
				       &text, &len), 0);
	assert_non_null(strstr(text, "test stand-in for create_pmxcfs_db -- NOT Proxmox VE"));
	free(text);
	assert_int_equal(path_write_file(top, "seed/storage.cfg", "dir: local\n", 11, 0600), 0);
	assert_int_equal(path_write_file(top, "seed/user.cfg", "user:root@pam:1:0:::a@b.c::\n",
					 28, 0600), 0);
	snprintf(seed, sizeof(seed), "%s/seed", top);
	snprintf(db, sizeof(db), "%s/var/lib/pve-cluster/config.db", top);
	runner_spawn_init(&r);
	assert_int_equal(runner_check(&r, argv, NULL, NULL), 0);
	assert_int_equal(path_read_all(top, "var/lib/pve-cluster/standin-config/storage.cfg",
				       4096, &text, &len), 0);
	assert_string_equal(text, "dir: local\n");
	free(text);
	assert_int_equal(path_read_all(top, "var/lib/pve-cluster/standin-config/user.cfg", 4096,
				       &text, &len), 0);
	assert_string_equal(text, "user:root@pam:1:0:::a@b.c::\n");
	free(text);
	assert_int_equal(path_read_all(top, "var/lib/pve-cluster/config.db", 4096, &text, &len),
			 0);
	assert_non_null(strstr(text, "not a pmxcfs database; the files are in "));
	free(text);
	/* called wrongly, it fails like a real program would */
	argv[3] = NULL;
	assert_int_equal(runner_check(&r, argv, NULL, NULL), -EIO);
}

static const char packages_out[] = "Package: chrony\nVersion: 4.3\nFilename: ./chrony.deb\n\n";

/*
 * A stand-in build into <top>/payload (scratch <top>/work) with nothing run:
 * the files mmdebstrap would have made are put in place beforehand.
 */
#define ZFS_DEB_NAME "ironpass-standin-zfs-modules_2.1.11-1+standin.6.1.0.25.amd64_amd64.deb"
static char zfs_deb[300];

/* the module package (bld-zfs.c makes it) and the base's kernel */
static void fake_zfs(struct bld_payload_job *job, const char *kernel)
{
	char status[256];

	snprintf(zfs_deb, sizeof(zfs_deb), "%s/zfs-modules.deb", top);
	put(top, "zfs-modules.deb", "zfs deb");
	job->zfs_deb = zfs_deb;
	job->zfs_deb_name = ZFS_DEB_NAME;
	job->zfs_kver = "6.1.0-25-amd64";
	snprintf(status, sizeof(status), "Package: linux-image-%s\n"
		 "Status: install ok installed\n", kernel);
	put(top, "work/base.status", status);
}

static void fake_standin_build(struct bld_payload_job *job, struct fake_runner *f,
			       char *dir, char *work, size_t size)
{
	snprintf(dir, size, "%s/payload", top);
	snprintf(work, size, "%s/work", top);
	put(top, "payload/base.tar.zst", "tar");
	put(top, "work/dl/chrony_4.3-2_amd64.deb", "deb");
	fake_zfs(job, "6.1.0-25-amd64");
	fake_runner_init(f);
	fake_runner_push(f, 0, "", "");	/* dpkg-deb ×3 */
	fake_runner_push(f, 0, "", "");
	fake_runner_push(f, 0, "", "");
	fake_runner_push(f, 0, "", "");	/* mmdebstrap */
	fake_runner_push(f, 0, packages_out, "");
	job->run = &f->r;
	job->dir = dir;
	job->workdir = work;
	assert_int_equal(bld_standin_build(job), 0);
}

/* The whole stand-in build with nothing run: argv in order, manifest marked. */
static void test_standin_build(void **state)
{
	struct fake_runner f;
	struct bld_payload_job job = { .suite = "bookworm", .source_date_epoch = 1704067200 };
	char dir[300], work[300], exp[4096];
	struct payload_info pi;
	struct ip_err err = { 0 };

	(void)state;
	fake_standin_build(&job, &f, dir, work, sizeof(dir));
	assert_int_equal(f.n_calls, 5);
	snprintf(exp, sizeof(exp), "dpkg-deb --root-owner-group -Zxz --build "
		 "%s/standin-src/proxmox-ve %s/pool", work, dir);
	assert_string_equal(f.calls[0].cmd, exp);
	assert_non_null(strstr(f.calls[1].cmd, "/standin-src/pve-manager "));
	assert_non_null(strstr(f.calls[2].cmd, "/standin-src/pve-cluster "));
	snprintf(exp, sizeof(exp), "mmdebstrap --variant=minbase --components=main,contrib "
		 BASE_INC ",linux-image-amd64 "
		 "'--customize-hook=mkdir -p \"$1/var/cache/ironpass-pool/partial\"' "
		 "'--customize-hook=upload %s/pool/" ZFS_DEB_NAME " /tmp/" ZFS_DEB_NAME "' "
		 "'--customize-hook=chroot \"$1\" apt-get install --download-only --yes "
		 "-o APT::Install-Recommends=false -o Dir::Cache::Archives=/var/cache/ironpass-pool/ "
		 "postfix open-iscsi chrony zfsutils-linux zfs-initramfs /tmp/" ZFS_DEB_NAME "' "
		 "'--customize-hook=sync-out /var/cache/ironpass-pool %s/dl' "
		 "'--customize-hook=rm -rf \"$1/var/cache/ironpass-pool\"' "
		 "'--customize-hook=rm -f \"$1/tmp/" ZFS_DEB_NAME "\"' "
		 "'--customize-hook=download /var/lib/dpkg/status %s/base.status' "
		 "bookworm %s/base.tar.zst", dir, work, work, dir);
	assert_string_equal(f.calls[3].cmd, exp);
	assert_string_equal(f.calls[4].cmd, "dpkg-scanpackages --multiversion .");
	assert_int_equal(payload_manifest_read(dir, &pi, &err), 0);
	assert_true(pi.standin);
	assert_string_equal(pi.source, "standin");
	assert_int_equal(pi.created, 1704067200);
	assert_non_null(payload_info_find(&pi, "pool/chrony_4.3-2_amd64.deb"));
	/* the ZFS module package, under its package name */
	assert_non_null(payload_info_find(&pi, "pool/" ZFS_DEB_NAME));
	assert_non_null(payload_info_find(&pi, "pool/Packages"));
	assert_non_null(payload_info_find(&pi, "pool/Release"));
	assert_int_equal(payload_info_find(&pi, "pool/Packages")->size, strlen(packages_out));
	payload_info_release(&pi);
	assert_int_equal(payload_verify(dir, NULL, &err), 0);
	fake_runner_release(&f);
}

/*
 * Reuse: a verified stand-in pool is reused only with DIR.key equal to what
 * it would be made from now; without it, or with another one, it is made again
 * (here the fake mmdebstrap makes nothing, so that build fails and the old
 * pool stays as it was).
 */
static void test_standin_reuse(void **state)
{
	struct fake_runner f;
	struct bld_payload_job job = { .suite = "bookworm", .source_date_epoch = 1704067200 };
	char dir[300], work[300], keyfile[310];
	char *key;
	bool cached = true;

	(void)state;
	fake_standin_build(&job, &f, dir, work, sizeof(dir));
	fake_runner_release(&f);
	snprintf(keyfile, sizeof(keyfile), "%s.key", dir);
	job.dir = NULL;
	job.workdir = NULL;

	key = bld_standin_key(&job);
	assert_non_null(key);
	assert_non_null(strstr(key, "suite bookworm\n"));
	assert_non_null(strstr(key, " isc-dhcp-client "));
	assert_non_null(strstr(key, "\ncomponents main,contrib\n"));
	assert_non_null(strstr(key, "\ndownload postfix open-iscsi chrony zfsutils-linux "
			       "zfs-initramfs\n"));
	/* the module package counts: another build of it, another pool */
	{
		char hex[SHA256_HEX_LEN + 1], line[SHA256_HEX_LEN + 16];

		assert_int_equal(sha256_buf("zfs deb", 7, hex), 0);
		snprintf(line, sizeof(line), "\nzfs-modules %s\n", hex);
		assert_non_null(strstr(key, line));
	}
	/* the stand-in packages' files count too: changed files, another key */
	{
		char hex[SHA256_HEX_LEN + 1], line[SHA256_HEX_LEN + 16];

		assert_int_equal(bld_standin_debs_digest(hex), 0);
		snprintf(line, sizeof(line), "\nstandin %s\n", hex);
		assert_non_null(strstr(key, line));
	}

	/* no key beside it: not reused */
	fake_runner_init(&f);
	job.run = &f.r;
	assert_true(bld_standin_pool(&job, dir, false, &cached) < 0);
	assert_false(cached);
	assert_true(f.n_calls > 0);
	assert_int_equal(payload_verify(dir, NULL, &job.err), 0);
	fake_runner_release(&f);

	/* the same inputs: reused, nothing run */
	assert_int_equal(path_write_file(NULL, keyfile, key, strlen(key), 0644), 0);
	fake_runner_init(&f);
	job.run = &f.r;
	assert_int_equal(bld_standin_pool(&job, dir, false, &cached), 0);
	assert_true(cached);
	assert_int_equal(f.n_calls, 0);
	/* ... unless forced */
	assert_true(bld_standin_pool(&job, dir, true, &cached) < 0);
	assert_false(cached);
	assert_true(f.n_calls > 0);
	fake_runner_release(&f);

	/* another mirror: made again */
	job.mirror = "http://mirror.example.invalid/debian";
	fake_runner_init(&f);
	job.run = &f.r;
	assert_true(bld_standin_pool(&job, dir, false, &cached) < 0);
	assert_false(cached);
	assert_true(f.n_calls > 0);
	fake_runner_release(&f);
	free(key);
}

/*
 * ZFS in the stand-in: without the module package nothing runs; a base whose
 * kernel is not the modules' is -ESTALE (the caller builds them again); a
 * download that brought zfs-dkms means zfs-modules was not resolved to ours;
 * another module package makes another pool.
 */
static void test_standin_zfs(void **state)
{
	struct fake_runner f;
	struct bld_payload_job job = { .suite = "bookworm", .source_date_epoch = 1704067200 };
	char dir[300], work[300], keyfile[310], *key;
	bool cached;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/payload", top);
	snprintf(work, sizeof(work), "%s/work", top);
	assert_int_equal(path_mkdirs(NULL, dir, 0755), 0);
	assert_int_equal(path_mkdirs(NULL, work, 0755), 0);
	fake_runner_init(&f);
	job.run = &f.r;
	job.dir = dir;
	job.workdir = work;
	assert_int_equal(bld_standin_build(&job), -EINVAL);
	assert_non_null(strstr(job.err.msg, "no ZFS module package"));
	assert_int_equal(f.n_calls, 0);

	fake_zfs(&job, "6.1.0-26-amd64");
	put(top, "work/dl/chrony_4.3-2_amd64.deb", "deb");
	assert_int_equal(bld_standin_build(&job), -ESTALE);
	assert_string_equal(job.err.msg, "the stand-in base's kernel is '6.1.0-26-amd64' but the "
			    "ZFS modules are for '6.1.0-25-amd64'");
	fake_runner_release(&f);

	fake_zfs(&job, "6.1.0-25-amd64");
	put(top, "work/dl/zfs-dkms_2.1.11-1_all.deb", "dkms source");
	assert_int_equal(bld_standin_build(&job), -EINVAL);
	assert_non_null(strstr(job.err.msg, "would carry 'zfs-dkms_2.1.11-1_all.deb'"));
	fake_runner_release(&f);

	/* a pool made with one module package is not reused with another */
	assert_int_equal(bld_payload_rmtree(top), 0);
	assert_int_equal(path_mkdirs(NULL, top, 0755), 0);
	fake_standin_build(&job, &f, dir, work, sizeof(dir));
	fake_runner_release(&f);
	job.dir = NULL;
	job.workdir = NULL;
	key = bld_standin_key(&job);
	snprintf(keyfile, sizeof(keyfile), "%s.key", dir);
	assert_int_equal(path_write_file(NULL, keyfile, key, strlen(key), 0644), 0);
	free(key);
	assert_int_equal(bld_standin_pool(&job, dir, false, &cached), 0);
	assert_true(cached);
	put(top, "zfs-modules.deb", "zfs deb, built again");
	assert_true(bld_standin_pool(&job, dir, false, &cached) < 0);
	assert_false(cached);
	assert_true(f.n_calls > 0);
	fake_runner_release(&f);
}

static void test_repo_argv(void **state)
{
	struct fake_runner f;
	struct bld_payload_job job = { .suite = "bookworm", .source_date_epoch = 1 };
	char dir[300], work[300], key[300], *list = NULL;
	size_t len;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/payload", top);
	snprintf(work, sizeof(work), "%s/work", top);
	snprintf(key, sizeof(key), "%s/proxmox-release-bookworm.gpg", top);
	assert_int_equal(path_mkdirs(NULL, dir, 0755), 0);
	assert_int_equal(path_mkdirs(NULL, work, 0755), 0);
	fake_runner_init(&f);
	job.run = &f.r;
	job.dir = dir;
	job.workdir = work;
	job.keyring = key;
	/* no repository URL in the profile: said plainly, nothing run */
	assert_int_equal(bld_payload_from_repo(&job), -EINVAL);
	assert_non_null(strstr(job.err.msg, "pve-repository"));
	assert_int_equal(f.n_calls, 0);
	job.repo_url = "http://pve.example.invalid/debian/pve";
	/* no key: a message that says where it comes from, nothing run */
	assert_int_equal(bld_payload_from_repo(&job), -ENOENT);
	assert_non_null(strstr(job.err.msg, "proxmox-release-bookworm.gpg"));
	assert_int_equal(f.n_calls, 0);
	put(top, "proxmox-release-bookworm.gpg", "key");
	/* the fake mmdebstrap downloads nothing: the closure check fails after the argv */
	assert_int_equal(bld_payload_from_repo(&job), -ENOENT);
	assert_int_equal(f.n_calls, 1);
	assert_true(str_startswith(f.calls[0].cmd, "mmdebstrap --variant=minbase " BASE_INC " "));
	{
		char exp[2048];

		snprintf(exp, sizeof(exp), "'--setup-hook=copy-in %s/pve-install-repo.list "
			 "/etc/apt/sources.list.d/' '--setup-hook=copy-in %s "
			 "/etc/apt/trusted.gpg.d/' ", work, key);
		assert_non_null(strstr(f.calls[0].cmd, exp));
	}
	assert_non_null(strstr(f.calls[0].cmd, "apt-get install --download-only --yes -o "
			       "APT::Install-Recommends=false -o Dir::Cache::Archives="
			       "/var/cache/ironpass-pool/ proxmox-ve postfix open-iscsi chrony'"));
	assert_int_equal(path_read_all(work, "pve-install-repo.list", 4096, &list, &len), 0);
	assert_string_equal(list, "deb http://pve.example.invalid/debian/pve bookworm "
			    "pve-no-subscription\n");
	free(list);
	assert_null(bld_payload_repo_line("http://pve.example.invalid/debian/pve", "sid"));
	assert_null(bld_payload_repo_line("http://x/y z", "bookworm"));
	assert_null(bld_payload_repo_line("ftp://x/y", "bookworm"));
	fake_runner_release(&f);
}

static int copy_pool_fn(struct bld_payload_job *job, const void *arg)
{
	return bld_payload_from_pool(job, arg);
}

/* A plain pool directory, then a normalised payload taken verbatim. */
static void test_pool_source(void **state)
{
	struct fake_runner f;
	struct bld_payload_job job = { .suite = "bookworm", .source_date_epoch = 1704067200 };
	char src[PATH_MAX], out[PATH_MAX], out2[PATH_MAX];
	struct payload_info pi;
	struct ip_err err = { 0 };

	(void)state;
	snprintf(src, sizeof(src), "%s/src", top);
	snprintf(out, sizeof(out), "%s/out", top);
	snprintf(out2, sizeof(out2), "%s/out2", top);
	put(top, "src/a_1_all.deb", "a");
	put(top, "src/pool/b_1_all.deb", "bb");
	put(top, "src/notes.txt", "ignored");
	fake_runner_init(&f);
	job.run = &f.r;
	/* no base.tar.zst: refused, and nothing half-written is left */
	assert_int_equal(bld_payload_build_into(&job, out, copy_pool_fn, src), -ENOENT);
	assert_non_null(strstr(job.err.msg, "has no 'base.tar.zst'"));
	assert_false(path_exists(NULL, out));
	assert_false(path_exists(top, "out.tmp"));
	put(top, "src/base.tar.zst", "base");
	fake_runner_push(&f, 0, packages_out, "");
	assert_int_equal(bld_payload_build_into(&job, out, copy_pool_fn, src), 0);
	assert_int_equal(payload_verify(out, &pi, &err), 0);
	assert_string_equal(pi.source, "pool");
	assert_false(pi.standin);
	assert_int_equal(pi.n_files, 5);
	assert_string_equal(pi.files[0].path, "base.tar.zst");
	assert_string_equal(pi.files[3].path, "pool/a_1_all.deb");
	assert_string_equal(pi.files[4].path, "pool/b_1_all.deb");
	payload_info_release(&pi);
	/* a normalised payload passes through unchanged (source, flag, manifest bytes) */
	assert_int_equal(bld_payload_build_into(&job, out2, copy_pool_fn, out), 0);
	assert_int_equal(f.n_calls, 1);
	assert_int_equal(payload_verify(out2, &pi, &err), 0);
	assert_string_equal(pi.source, "pool");
	payload_info_release(&pi);
	/* and a corrupted one is refused with the file named */
	put(top, "out/pool/a_1_all.deb", "A");
	assert_int_equal(bld_payload_build_into(&job, out2, copy_pool_fn, out), -EBADMSG);
	assert_non_null(strstr(job.err.msg, "'pool/a_1_all.deb'"));
	assert_true(path_exists(out2, "manifest.json"));	/* the old one survives */
	fake_runner_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mmdebstrap_argv),
		cmocka_unit_test(test_release_text),
		cmocka_unit_test_setup_teardown(test_standin_debs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_standin_pmxcfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_standin_build, setup, teardown),
		cmocka_unit_test_setup_teardown(test_standin_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_standin_zfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repo_argv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_source, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
