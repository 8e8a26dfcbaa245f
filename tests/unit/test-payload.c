// SPDX-License-Identifier: GPL-2.0-or-later
/* Payload manifest: write, read back, verify; corruption of every kind is
 * caught with a message naming the file; streaming hash through libarchive. */
#include <errno.h>
#include <fcntl.h>
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

#include "path.h"
#include "payload.h"

static char tmpl[256];

static void put(const char *dir, const char *rel, const char *data)
{
	assert_int_equal(path_write_file(dir, rel, data, strlen(data), 0644), 0);
}

/* A tiny but real base.tar.zst with two entries, written with libarchive. */
static void put_tar_zst(const char *dir)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	char full[PATH_MAX];
	const char *body = "PRETTY_NAME=\"stand-in\"\n";

	snprintf(full, sizeof(full), "%s/%s", dir, PAYLOAD_BASE);
	archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_add_filter_zstd(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, full), ARCHIVE_OK);
	archive_entry_set_pathname(e, "etc/os-release");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)strlen(body));
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	assert_int_equal(archive_write_data(a, body, strlen(body)), (la_ssize_t)strlen(body));
	archive_entry_free(e);
	archive_write_close(a);
	archive_write_free(a);
}

static int setup(void **state)
{
	struct payload_info pi;
	struct ip_err err = { 0 };

	(void)state;
	snprintf(tmpl, sizeof(tmpl), "%.200s/ironpass-payload-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(tmpl));
	put_tar_zst(tmpl);
	put(tmpl, "pool/chrony_4.3-2_amd64.deb", "not really a deb\n");
	put(tmpl, "pool/Packages", "Package: chrony\n");
	put(tmpl, "pool/Release", "Origin: ironpass test stand-in\n");
	assert_int_equal(payload_info_init(&pi, "standin", true, "bookworm", 1700000000,
					   payload_default_packages), 0);
	assert_int_equal(payload_scan(tmpl, &pi, &err), 0);
	assert_int_equal(payload_manifest_write(tmpl, &pi, &err), 0);
	payload_info_release(&pi);
	return 0;
}

static int teardown(void **state)
{
	const char *rm[] = { "manifest.json", PAYLOAD_BASE, "pool/chrony_4.3-2_amd64.deb",
			     "pool/Packages", "pool/Release", "pool/extra.deb", "pool", NULL };
	char full[PATH_MAX];

	(void)state;
	for (size_t i = 0; rm[i]; i++) {
		snprintf(full, sizeof(full), "%s/%s", tmpl, rm[i]);
		if (unlink(full) < 0)
			rmdir(full);
	}
	assert_int_equal(rmdir(tmpl), 0);
	return 0;
}

static void test_roundtrip(void **state)
{
	struct payload_info pi;
	struct ip_err err = { 0 };

	(void)state;
	assert_int_equal(payload_manifest_read(tmpl, &pi, &err), 0);
	assert_int_equal(pi.format, 1);
	assert_string_equal(pi.source, "standin");
	assert_true(pi.standin);
	assert_string_equal(pi.suite, "bookworm");
	assert_int_equal(pi.created, 1700000000);
	assert_int_equal(pi.n_packages, 4);
	assert_string_equal(pi.packages[0], "proxmox-ve");
	assert_string_equal(pi.packages[3], "chrony");
	assert_int_equal(pi.n_files, 4);
	/* sorted bytewise: "base…" < "pool/Packages" < "pool/Release" < "pool/chrony…" */
	assert_string_equal(pi.files[0].path, "base.tar.zst");
	assert_string_equal(pi.files[1].path, "pool/Packages");
	assert_string_equal(pi.files[2].path, "pool/Release");
	assert_string_equal(pi.files[3].path, "pool/chrony_4.3-2_amd64.deb");
	assert_int_equal(pi.files[1].size, 16);
	assert_non_null(payload_info_find(&pi, "pool/Release"));
	assert_null(payload_info_find(&pi, "pool/nope"));
	payload_info_release(&pi);
	assert_int_equal(payload_verify(tmpl, NULL, &err), 0);
}

static void test_known_hash(void **state)
{
	struct payload_info pi;
	struct ip_err err = { 0 };
	char hex[SHA256_HEX_LEN + 1];
	const char *body = "Package: chrony\n";

	(void)state;
	assert_int_equal(sha256_buf(body, strlen(body), hex), 0);
	assert_int_equal(payload_manifest_read(tmpl, &pi, &err), 0);
	assert_string_equal(payload_info_find(&pi, "pool/Packages")->sha256, hex);
	payload_info_release(&pi);
	/* and sha256 of the empty string is the well-known value */
	assert_int_equal(sha256_buf("", 0, hex), 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_corrupt_byte(void **state)
{
	struct ip_err err = { 0 };

	(void)state;
	put(tmpl, "pool/chrony_4.3-2_amd64.deb", "not reallY a deb\n");
	assert_int_equal(payload_verify(tmpl, NULL, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "'pool/chrony_4.3-2_amd64.deb' is corrupt"));
}

static void test_truncated(void **state)
{
	struct ip_err err = { 0 };

	(void)state;
	put(tmpl, "pool/Release", "Origin: ironpass\n");
	assert_int_equal(payload_verify(tmpl, NULL, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "'pool/Release' has the wrong size"));
}

static void test_missing(void **state)
{
	struct ip_err err = { 0 };
	char full[PATH_MAX];

	(void)state;
	snprintf(full, sizeof(full), "%s/pool/Packages", tmpl);
	assert_int_equal(unlink(full), 0);
	assert_int_equal(payload_verify(tmpl, NULL, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "'pool/Packages' is missing"));
}

static void test_unlisted(void **state)
{
	struct ip_err err = { 0 };

	(void)state;
	put(tmpl, "pool/extra.deb", "x");
	assert_int_equal(payload_verify(tmpl, NULL, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "'pool/extra.deb' is not listed"));
}

static void test_bad_manifests(void **state)
{
	static const char *const bad[] = {
		"{",
		"{\"format\":2}",
		"{\"format\":1,\"source\":\"pool\",\"standin\":false,\"suite\":\"bookworm\","
		"\"created\":0,\"packages\":[],\"files\":[{\"path\":\"../etc/passwd\",\"size\":1,"
		"\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}]}",
		"{\"format\":1,\"source\":\"pool\",\"standin\":false,\"suite\":\"bookworm\","
		"\"created\":0,\"packages\":[],\"files\":[{\"path\":\"a\",\"size\":1,"
		"\"sha256\":\"xyz\"}]}",
		"{\"format\":1,\"source\":\"pool\",\"standin\":false,\"suite\":\"bookworm\","
		"\"created\":0,\"packages\":[],\"files\":["
		"{\"path\":\"b\",\"size\":1,\"sha256\":"
		"\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"},"
		"{\"path\":\"a\",\"size\":1,\"sha256\":"
		"\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}]}",
		"{\"format\":1,\"source\":\"pool\",\"suite\":\"bookworm\",\"created\":0,"
		"\"packages\":[],\"files\":[]}",
	};
	struct payload_info pi;
	struct ip_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(payload_manifest_parse(bad[i], strlen(bad[i]), &pi, &err),
				 -EINVAL);
		assert_non_null(strstr(err.msg, "bad manifest"));
		payload_info_release(&pi);
	}
}

static void read_base(const struct payload_file *expect, int want, const char *msg)
{
	struct payload_hashread h;
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct ip_err err = { 0 };
	char full[PATH_MAX];
	int fd, n = 0;

	snprintf(full, sizeof(full), "%s/%s", tmpl, PAYLOAD_BASE);
	fd = open(full, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	assert_int_equal(payload_hashread_init_fd(&h, fd, expect), 0);
	assert_int_equal(payload_hashread_archive_open(a, &h), ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		assert_string_equal(archive_entry_pathname(e), "etc/os-release");
		n++;
	}
	assert_int_equal(n, 1);
	archive_read_free(a);
	assert_int_equal(payload_hashread_finish(&h, &err), want);
	if (msg)
		assert_non_null(strstr(err.msg, msg));
	payload_hashread_release(&h);
	close(fd);
}

static void test_hashread(void **state)
{
	struct payload_info pi;
	struct ip_err err = { 0 };
	struct payload_file wrong;

	(void)state;
	assert_int_equal(payload_manifest_read(tmpl, &pi, &err), 0);
	read_base(payload_info_find(&pi, PAYLOAD_BASE), 0, NULL);
	wrong = *payload_info_find(&pi, PAYLOAD_BASE);
	wrong.sha256[10] = wrong.sha256[10] == '0' ? '1' : '0';
	read_base(&wrong, -EBADMSG, "'base.tar.zst' is corrupt");
	wrong = *payload_info_find(&pi, PAYLOAD_BASE);
	wrong.size++;
	read_base(&wrong, -EBADMSG, "'base.tar.zst' has the wrong size");
	payload_info_release(&pi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_known_hash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlisted, setup, teardown),
		cmocka_unit_test(test_bad_manifests),
		cmocka_unit_test_setup_teardown(test_hashread, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
