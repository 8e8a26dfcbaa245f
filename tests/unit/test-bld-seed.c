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
#include "hash.h"
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

/* The text of @name in the cpio @path (NULL when absent); *mode gets its mode. */
static char *seed_entry_text(const char *path, const char *name, unsigned *mode)
{
	struct archive_entry *ent;
	struct archive *a = archive_read_new();
	char *text = NULL;

	archive_read_support_format_all(a);
	assert_int_equal(archive_read_open_filename(a, path, 10240), ARCHIVE_OK);
	while (archive_read_next_header(a, &ent) == ARCHIVE_OK) {
		la_ssize_t len;

		if (strcmp(archive_entry_pathname(ent), name) != 0)
			continue;
		*mode = archive_entry_mode(ent);
		text = calloc(1, 4096);
		assert_non_null(text);
		len = archive_read_data(a, text, 4095);
		assert_true(len >= 0);
		break;
	}
	archive_read_free(a);
	return text;
}

/*
 * Stage seed after stage payload: ironpass/payload.sha256 holds the SHA-256
 * of the payload's manifest.json (the installer's pin), and the live-bottom
 * script copies it to /etc/ironpass/ in the live root. No payload, no pin.
 */
static void test_stage_payload_pin(void **state)
{
	static const char manifest[] = "{ \"format\": 1 }\n";
	struct bld_ctx ctx;
	char payload[128], mpath[160], seed[160], hex[SHA256_HEX_LEN + 1], want[80], *text;
	unsigned mode = 0;

	(void)state;
	bld_ctx_init(&ctx);
	ctx.workdir = dir;
	ctx.installer_bin = src;
	ctx.profile_path = src;
	snprintf(payload, sizeof(payload), "%s/payload", dir);
	snprintf(seed, sizeof(seed), "%s/seed.img", dir);
	assert_int_equal(path_write_file(dir, "payload/manifest.json", manifest,
					 strlen(manifest), 0644), 0);
	assert_int_equal(sha256_buf(manifest, strlen(manifest), hex), 0);
	snprintf(want, sizeof(want), "%s\n", hex);
	snprintf(mpath, sizeof(mpath), "%s/manifest.json", payload);

	snprintf(ctx.payload_dir, sizeof(ctx.payload_dir), "%s", payload);
	if (bld_stage_seed(&ctx) < 0)
		fail_msg("%s", ip_err_msg(&ctx.err));
	assert_string_equal(ctx.seed, seed);
	text = seed_entry_text(seed, "ironpass/payload.sha256", &mode);
	assert_non_null(text);
	assert_string_equal(text, want);
	assert_int_equal(mode, 0100644);
	free(text);
	text = seed_entry_text(seed, "scripts/live-bottom/ironpass-seed", &mode);
	assert_non_null(text);
	assert_non_null(strstr(text, "cp /ironpass/payload.sha256 "
				     "\"$root/etc/ironpass/payload.sha256\"\n"));
	free(text);

	/* the manifest is gone: an error, not a seed without its pin */
	assert_int_equal(remove(mpath), 0);
	assert_int_equal(bld_stage_seed(&ctx), -ENOENT);
	assert_non_null(strstr(ctx.err.msg, "cannot hash '"));

	/* no payload stage: no pin */
	ctx.payload_dir[0] = '\0';
	assert_int_equal(bld_stage_seed(&ctx), 0);
	assert_null(seed_entry_text(seed, "ironpass/payload.sha256", &mode));
	remove(seed);
	rmdir(payload);
	bld_ctx_release(&ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_payload_pin, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
