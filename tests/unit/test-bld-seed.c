// SPDX-License-Identifier: GPL-2.0-or-later
/* The seed initrd: a newc cpio read back with libarchive — sorted entries,
 * 0:0, SOURCE_DATE_EPOCH, the modes we asked for, the exact bytes, and the
 * live-bottom hook; the same inputs give the same bytes. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bld.h"
#include "path.h"

static char dir[64], out1[128], out2[128], src[128];

static int setup(void **state)
{
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ip-seed-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(out1, sizeof(out1), "%s/seed1.img", dir);
	snprintf(out2, sizeof(out2), "%s/seed2.img", dir);
	snprintf(src, sizeof(src), "%s/profile.toml", dir);
	f = fopen(src, "w");
	if (!f)
		return -1;
	fputs("[profile]\nname = \"t\"\n", f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	remove(out1);
	remove(out2);
	remove(src);
	rmdir(dir);
	return 0;
}

static size_t fill(struct bld_seed_file *files)
{
	size_t n = 0;

	/* deliberately unsorted */
	files[n++] = (struct bld_seed_file){ .path = "scripts/live-bottom/ORDER",
					      .data = bld_seed_order, .mode = 0644 };
	files[n++] = (struct bld_seed_file){ .path = "ironpass/profile.toml", .src = src,
					      .mode = 0600 };
	files[n++] = (struct bld_seed_file){ .path = "ironpass", .dir = true, .mode = 0755 };
	files[n++] = (struct bld_seed_file){ .path = "scripts/live-bottom/ironpass-seed",
					      .data = bld_seed_script, .mode = 0755 };
	files[n++] = (struct bld_seed_file){ .path = "scripts/live-bottom", .dir = true,
					      .mode = 0755 };
	files[n++] = (struct bld_seed_file){ .path = "scripts", .dir = true, .mode = 0755 };
	return n;
}

static void test_read_back(void **state)
{
	static const struct {
		const char *path;
		unsigned mode;
	} expect[] = {
		{ "ironpass", 040755 },
		{ "ironpass/profile.toml", 0100600 },
		{ "scripts", 040755 },
		{ "scripts/live-bottom", 040755 },
		{ "scripts/live-bottom/ORDER", 0100644 },
		{ "scripts/live-bottom/ironpass-seed", 0100755 },
	};
	struct bld_seed_file files[8];
	struct ip_err e = { 0 };
	struct archive_entry *ent;
	struct archive *a;
	size_t n = fill(files), i = 0;

	(void)state;
	assert_int_equal(bld_seed_write(out1, files, n, 1704067200, &e), 0);
	a = archive_read_new();
	archive_read_support_format_all(a);
	archive_read_support_filter_all(a);
	assert_int_equal(archive_read_open_filename(a, out1, 10240), ARCHIVE_OK);
	while (archive_read_next_header(a, &ent) == ARCHIVE_OK) {
		char buf[4096];
		la_ssize_t len;

		assert_true(i < 6);
		assert_int_equal(archive_format(a), ARCHIVE_FORMAT_CPIO_SVR4_NOCRC);
		assert_string_equal(archive_entry_pathname(ent), expect[i].path);
		assert_int_equal(archive_entry_mode(ent), expect[i].mode);
		assert_int_equal(archive_entry_uid(ent), 0);
		assert_int_equal(archive_entry_gid(ent), 0);
		assert_int_equal(archive_entry_mtime(ent), 1704067200);
		len = archive_read_data(a, buf, sizeof(buf) - 1);
		assert_true(len >= 0);
		buf[len] = '\0';
		if (!strcmp(expect[i].path, "ironpass/profile.toml"))
			assert_string_equal(buf, "[profile]\nname = \"t\"\n");
		if (!strcmp(expect[i].path, "scripts/live-bottom/ORDER")) {
			assert_non_null(strstr(buf, "/scripts/live-bottom/ironpass-seed"));
			assert_non_null(strstr(buf, ". /conf/param.conf"));
		}
		if (!strcmp(expect[i].path, "scripts/live-bottom/ironpass-seed")) {
			assert_true(strncmp(buf, "#!/bin/sh\n", 10) == 0);
			assert_non_null(strstr(buf, "${rootmnt"));
			assert_non_null(strstr(buf, "chmod 0600"));
		}
		i++;
	}
	assert_int_equal(i, 6);
	archive_read_free(a);
}

static void test_reproducible(void **state)
{
	struct bld_seed_file files[8];
	struct ip_err e = { 0 };
	char *b1, *b2;
	size_t l1, l2, n = fill(files);

	(void)state;
	assert_int_equal(bld_seed_write(out1, files, n, 1704067200, &e), 0);
	sleep(1);
	n = fill(files);
	assert_int_equal(bld_seed_write(out2, files, n, 1704067200, &e), 0);
	assert_int_equal(path_read_all(NULL, out1, 1 << 20, &b1, &l1), 0);
	assert_int_equal(path_read_all(NULL, out2, 1 << 20, &b2, &l2), 0);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	free(b1);
	free(b2);
	/* a different epoch changes the bytes */
	n = fill(files);
	assert_int_equal(bld_seed_write(out2, files, n, 1704067201, &e), 0);
	assert_int_equal(path_read_all(NULL, out2, 1 << 20, &b2, &l2), 0);
	assert_int_equal(path_read_all(NULL, out1, 1 << 20, &b1, &l1), 0);
	assert_true(l1 != l2 || memcmp(b1, b2, l1) != 0);
	free(b1);
	free(b2);
}

static void test_missing_source(void **state)
{
	struct bld_seed_file files[1] = {
		{ .path = "ironpass/ironpass-installer", .src = "/nonexistent/ip-installer",
		  .mode = 0755 },
	};
	struct ip_err e = { 0 };
	char tmp[160];

	(void)state;
	assert_int_equal(bld_seed_write(out1, files, 1, 0, &e), -ENOENT);
	assert_string_equal(e.msg, "cannot read '/nonexistent/ip-installer': "
				   "No such file or directory");
	snprintf(tmp, sizeof(tmp), "%s.tmp", out1);
	assert_int_equal(access(tmp, F_OK), -1);	/* no half-written seed left */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_source, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
