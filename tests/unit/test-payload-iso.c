// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The official-ISO import path on a small ISO made here in the official
 * layout (pve-base.squashfs at the root, .deb files under
 * proxmox/packages/, .cd-info): imported into the payload shape with every
 * file's checksum right and the root tree intact. Uses the real tools
 * (mksquashfs, unsquashfs, dpkg-deb, dpkg-scanpackages, xorriso); skips
 * (77) when one is missing. No root, no network.
 */
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

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "hash.h"
#include "path.h"
#include "payload.h"
#include "payload/bld-payload.h"
#include "runner.h"

static char top[256];
static struct runner run;

/* The real runner, recording each argv for the assertions. */
static struct runner rec;
static char *rec_calls[16];
static size_t n_rec;

static int rec_run(struct runner *r, const char *const *argv, const struct run_opts *o,
		   struct run_result *res)
{
	(void)r;
	if (n_rec < 16)
		rec_calls[n_rec++] = runner_argv_str(argv);
	return run.run(&run, argv, o, res);
}

static void put(const char *rel, const char *data, mode_t mode)
{
	char full[PATH_MAX];

	assert_int_equal(path_write_file(top, rel, data, strlen(data), mode), 0);
	snprintf(full, sizeof(full), "%s/%s", top, rel);
	assert_int_equal(chmod(full, mode), 0);
}

static void sh(const char *const *argv)
{
	struct run_result res = { 0 };
	int ret = runner_run(&run, argv, NULL, &res);

	if (ret < 0 || res.status != 0)
		fail_msg("'%s' failed: %s", argv[0], res.err ? res.err : ip_err_msg(&run.err));
	run_result_release(&res);
}

static void make_deb(const char *name)
{
	char rel[128], ctl[512], src[PATH_MAX], dst[PATH_MAX];

	snprintf(rel, sizeof(rel), "debsrc/%s/DEBIAN/control", name);
	snprintf(ctl, sizeof(ctl), "Package: %s\nVersion: 1.0\nArchitecture: all\n"
		 "Maintainer: ironpass tests <t@localhost.invalid>\n"
		 "Description: tiny package for the ISO import test\n", name);
	put(rel, ctl, 0644);
	snprintf(rel, sizeof(rel), "debsrc/%s/usr/share/doc/%s/hello", name, name);
	put(rel, name, 0644);
	snprintf(src, sizeof(src), "%s/debsrc/%s", top, name);
	snprintf(dst, sizeof(dst), "%s/iso/proxmox/packages/%s_1.0_all.deb", top, name);
	{
		const char *argv[] = { "dpkg-deb", "--root-owner-group", "--build", src, dst, NULL };

		sh(argv);
	}
}

static int setup(void **state)
{
	char tree[PATH_MAX], sq[PATH_MAX], iso[PATH_MAX], isodir[PATH_MAX], a[PATH_MAX];
	char b[PATH_MAX];

	(void)state;
	snprintf(top, sizeof(top), "%.200s/ironpass-pveiso-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(top));
	runner_spawn_init(&run);
	put("tree/etc/hostname", "pve-test\n", 0644);
	put("tree/usr/bin/hello", "#!/bin/sh\necho hello\n", 0755);
	put("tree/etc/shadow", "root:*:19000:0:99999:7:::\n", 0640);
	snprintf(a, sizeof(a), "%s/tree/usr/bin/hello", top);
	snprintf(b, sizeof(b), "%s/tree/usr/bin/hello-again", top);
	assert_int_equal(link(a, b), 0);
	snprintf(b, sizeof(b), "%s/tree/usr/bin/hi", top);
	assert_int_equal(symlink("hello", b), 0);
	put("iso/.cd-info", "PRODUCT='pve'\nPRODUCTLONG='Proxmox VE'\nRELEASE='test'\n", 0644);
	snprintf(tree, sizeof(tree), "%s/tree", top);
	snprintf(sq, sizeof(sq), "%s/iso/pve-base.squashfs", top);
	{
		const char *argv[] = { "mksquashfs", tree, sq, "-noappend", "-no-progress",
				       "-all-root", "-quiet", NULL };

		sh(argv);
	}
	assert_int_equal(path_mkdirs(top, "iso/proxmox/packages", 0755), 0);
	make_deb("pve-test-a");
	make_deb("pve-test-b");
	snprintf(isodir, sizeof(isodir), "%s/iso", top);
	snprintf(iso, sizeof(iso), "%s/test.iso", top);
	{
		const char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-R", "-J",
				       "-V", "PVE", "-o", iso, isodir, NULL };

		sh(argv);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(bld_payload_rmtree(top), 0);
	return 0;
}

static int iso_fn(struct bld_payload_job *job, const void *arg)
{
	return bld_payload_from_iso(job, arg);
}

static void check_deb(const struct payload_info *pi, const char *name)
{
	char rel[128], orig[128], hex[SHA256_HEX_LEN + 1];
	const struct payload_file *f;
	unsigned long long size;

	snprintf(rel, sizeof(rel), "pool/%s_1.0_all.deb", name);
	snprintf(orig, sizeof(orig), "iso/proxmox/packages/%s_1.0_all.deb", name);
	f = payload_info_find(pi, rel);
	assert_non_null(f);
	assert_int_equal(sha256_file(top, orig, hex, &size), 0);
	assert_string_equal(f->sha256, hex);
	assert_int_equal(f->size, size);
}

static void check_base(const char *out)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char full[PATH_MAX + 16], buf[64];
	int seen = 0;

	snprintf(full, sizeof(full), "%s/base.tar.zst", out);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_filename(a, full, 1 << 14), ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		const char *p = archive_entry_pathname(e);

		/* numeric owners only: the host's names mean nothing for the target */
		assert_true(!archive_entry_uname(e) || !*archive_entry_uname(e));
		if (!strcmp(p, "./etc/hostname")) {
			la_ssize_t n = archive_read_data(a, buf, sizeof(buf));

			assert_int_equal(n, 9);
			assert_memory_equal(buf, "pve-test\n", 9);
			seen |= 1;
		} else if (!strcmp(p, "./usr/bin/hello")) {
			assert_int_equal(archive_entry_perm(e), 0755);
			if (geteuid() == 0)	/* unsquashfs keeps owners only as root */
				assert_int_equal(archive_entry_uid(e), 0);
			seen |= 2;
		} else if (!strcmp(p, "./usr/bin/hello-again")) {
			assert_string_equal(archive_entry_hardlink(e), "./usr/bin/hello");
			seen |= 4;
		} else if (!strcmp(p, "./usr/bin/hi")) {
			assert_int_equal(archive_entry_filetype(e), AE_IFLNK);
			assert_string_equal(archive_entry_symlink(e), "hello");
			seen |= 8;
		} else if (!strcmp(p, "./etc/shadow")) {
			assert_int_equal(archive_entry_perm(e), 0640);
			seen |= 16;
		}
	}
	assert_int_equal(seen, 31);
	archive_read_free(a);
}

static void test_import(void **state)
{
	struct bld_payload_job job = { .run = &rec, .suite = "bookworm",
				       .source_date_epoch = 1704067200 };
	char iso[PATH_MAX], out[PATH_MAX], exp[PATH_MAX * 3];
	struct payload_info pi;
	struct ip_err err = { 0 };

	(void)state;
	rec = run;
	rec.run = rec_run;
	snprintf(iso, sizeof(iso), "%s/test.iso", top);
	snprintf(out, sizeof(out), "%s/payload", top);
	assert_int_equal(bld_payload_build_into(&job, out, iso_fn, iso), 0);
	assert_int_equal(n_rec, 2);
	snprintf(exp, sizeof(exp), "unsquashfs -no-progress -d %s.work/pve-base "
		 "%s.work/pve-base.squashfs", out, out);
	assert_string_equal(rec_calls[0], exp);
	assert_string_equal(rec_calls[1], "dpkg-scanpackages --multiversion .");
	for (size_t i = 0; i < n_rec; i++)
		free(rec_calls[i]);
	n_rec = 0;
	assert_int_equal(payload_verify(out, &pi, &err), 0);
	assert_string_equal(pi.source, "pve-iso");
	assert_false(pi.standin);
	assert_int_equal(pi.n_files, 5);
	assert_string_equal(pi.files[0].path, "base.tar.zst");
	assert_string_equal(pi.files[1].path, "pool/Packages");
	assert_string_equal(pi.files[2].path, "pool/Release");
	check_deb(&pi, "pve-test-a");
	check_deb(&pi, "pve-test-b");
	payload_info_release(&pi);
	check_base(out);
	/* the index names both packages with their pool file names */
	{
		char *pk = NULL;
		size_t len;

		assert_int_equal(path_read_all(out, "pool/Packages", 1 << 20, &pk, &len), 0);
		assert_non_null(strstr(pk, "Package: pve-test-a\n"));
		assert_non_null(strstr(pk, "Filename: ./pve-test-b_1.0_all.deb\n"));
		free(pk);
	}
	/* the same ISO again gives the same bytes (reproducible base.tar.zst) */
	{
		char h1[SHA256_HEX_LEN + 1], h2[SHA256_HEX_LEN + 1], out2[PATH_MAX];

		snprintf(out2, sizeof(out2), "%s/payload2", top);
		assert_int_equal(bld_payload_build_into(&job, out2, iso_fn, iso), 0);
		assert_int_equal(sha256_file(out, "base.tar.zst", h1, NULL), 0);
		assert_int_equal(sha256_file(out2, "base.tar.zst", h2, NULL), 0);
		assert_string_equal(h1, h2);
	}
}

static void test_not_pve(void **state)
{
	struct bld_payload_job job = { .run = &run, .suite = "bookworm" };
	char iso[PATH_MAX], out[PATH_MAX], dir[PATH_MAX];

	(void)state;
	snprintf(iso, sizeof(iso), "%s/other.iso", top);
	snprintf(dir, sizeof(dir), "%s/debsrc", top);
	snprintf(out, sizeof(out), "%s/payload-x", top);
	{
		const char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-R", "-o", iso,
				       dir, NULL };

		sh(argv);
	}
	assert_int_equal(bld_payload_build_into(&job, out, iso_fn, iso), -ENOENT);
	assert_non_null(strstr(job.err.msg, "not a Proxmox VE ISO"));
	assert_false(path_exists(NULL, out));
}

static bool have(const char *prog)
{
	const char *path = getenv("PATH");

	while (path && *path) {
		size_t n = strcspn(path, ":");
		char full[PATH_MAX];

		snprintf(full, sizeof(full), "%.*s/%s", (int)n, path, prog);
		if (n && access(full, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

int main(void)
{
	static const char *const tools[] = { "xorriso", "mksquashfs", "unsquashfs", "dpkg-deb",
					     "dpkg-scanpackages", NULL };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_pve, setup, teardown),
	};

	for (size_t i = 0; tools[i]; i++) {
		if (!have(tools[i])) {
			printf("skip: '%s' is not installed\n", tools[i]);
			return 77;
		}
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
