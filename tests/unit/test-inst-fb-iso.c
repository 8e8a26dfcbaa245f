// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Windows answer ISO (inst-fb-iso.c, inst-fb-unattend-iso.c): read back
 * with libarchive's ISO 9660 reader it holds autounattend.xml with exactly
 * the bytes written; the image is mode 0600, its volume id IRONPASS_UNATTEND;
 * no XML file and no temporary file stays on disk (libarchive's scratch file
 * in $TMPDIR included); the install-time glue warns about a time zone with no
 * Windows name and an edition without a generic key, and refuses a volume
 * that is not local:iso/NAME.iso.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "firstboot/inst-firstboot.h"
#include "hw-tree.h"
#include "log-capture.h"
#include "path.h"
#include "plan/plan.h"
#include "util.h"
#include "xml-check.h"

#define ISO_REL "/var/lib/vz/template/iso/ironpass-autounattend-9000.iso"
#define IDE1 "local:iso/ironpass-autounattend-9000.iso,media=cdrom"

/* The one file of the ISO at @path: its name and bytes (caller frees *data). */
static void iso_read(const char *path, char *name, size_t name_size, char **data,
		     size_t *len)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct strbuf sb = { 0 };
	int files = 0;

	assert_non_null(a);
	assert_int_equal(archive_read_support_format_iso9660(a), ARCHIVE_OK);
	assert_int_equal(archive_read_open_filename(a, path, 10240), ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		char buf[4096];
		la_ssize_t n;

		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		files++;
		snprintf(name, name_size, "%s", archive_entry_pathname(e));
		while ((n = archive_read_data(a, buf, sizeof(buf))) > 0)
			sb_add(&sb, buf, (size_t)n);
		assert_true(n == 0);
	}
	archive_read_free(a);
	assert_int_equal(files, 1);
	sb_puts(&sb, "");
	*len = sb.len;
	*data = sb_detach(&sb);
}

/* The primary volume descriptor's volume identifier (sector 16, bytes 40..71), trimmed. */
static void iso_volume_id(const char *path, char out[33])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 32;

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, out, 32, 16 * 2048 + 40), 32);
	close(fd);
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static bool dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool empty = true;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

static void test_iso_write(void **state)
{
	static const char body[] = "<?xml version=\"1.0\"?>\n<a>&amp; \xc3\xa4</a>\n";
	char *dir = hwt_new(), *tmp = hwt_new(), path[PATH_MAX], name[256], vol[33], *data;
	struct ip_err err = { 0 };
	const char *old_tmp = getenv("TMPDIR");
	char *listing;
	struct stat st;
	size_t len;

	(void)state;
	setenv("TMPDIR", tmp, 1);
	snprintf(path, sizeof(path), "%s/answer.iso", dir);
	assert_int_equal(inst_fb_iso_write(path, INST_FB_ISO_VOLUME, "autounattend.xml", body,
					   strlen(body), &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	iso_read(path, name, sizeof(name), &data, &len);
	assert_string_equal(name, "autounattend.xml");
	assert_int_equal(len, strlen(body));
	assert_memory_equal(data, body, len);
	free(data);
	iso_volume_id(path, vol);
	assert_string_equal(vol, "IRONPASS_UNATTEND");
	/* only the image: no temporary name left beside it, nothing in $TMPDIR */
	listing = hwt_listing(dir);
	assert_non_null(strstr(listing, "answer.iso"));
	assert_null(strstr(listing, "tmp"));
	free(listing);
	assert_true(dir_empty(tmp));
	/* written again: replaced whole, still 0600 */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(inst_fb_iso_write(path, INST_FB_ISO_VOLUME, "autounattend.xml", "x", 1,
					   &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	iso_read(path, name, sizeof(name), &data, &len);
	assert_int_equal(len, 1);
	free(data);
	/* a directory that is not there: an error naming the file, nothing made */
	snprintf(path, sizeof(path), "%s/nodir/answer.iso", dir);
	assert_int_equal(inst_fb_iso_write(path, INST_FB_ISO_VOLUME, "autounattend.xml", "x", 1,
					   &err), -ENOENT);
	assert_non_null(strstr(err.msg, "cannot create '"));
	assert_non_null(strstr(err.msg, "/nodir/answer.iso.tmp"));
	if (old_tmp)
		setenv("TMPDIR", old_tmp, 1);
	else
		unsetenv("TMPDIR");
	hwt_free(tmp);
	hwt_free(dir);
}

static void ctx_init(struct inst_ctx *ctx, const char *root, struct answer *a, struct plan *p)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->target = root;
	ctx->sysroot = "";
	ctx->answer = a;
	ctx->plan = p;
}

static void test_unattend_iso(void **state)
{
	char *root = hwt_new(), *tmp = hwt_new(), path[PATH_MAX], name[256], *data, *listing;
	const char *old_tmp = getenv("TMPDIR");
	struct inst_ctx ctx;
	struct answer a;
	struct plan p = { 0 };
	struct stat st;
	size_t len;
	char *v;

	(void)state;
	setenv("TMPDIR", tmp, 1);
	answer_defaults(&a);
	a.global.keyboard = (char *)"de";
	a.global.country = (char *)"at";
	a.global.timezone = (char *)"Europe/Vienna";
	a.vm.admin_password = (char *)"a&b<c>\"d'";
	p.plan_ok = true;
	p.vm.name = (char *)"win11-passthrough";
	ctx_init(&ctx, root, &a, &p);
	log_capture_start();
	assert_int_equal(inst_fb_unattend_iso(&ctx, IDE1), 0);
	log_capture_stop();
	assert_string_equal(log_captured_warnings(), "");
	snprintf(path, sizeof(path), "%s" ISO_REL, root);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	iso_read(path, name, sizeof(name), &data, &len);
	assert_true(!strcasecmp(name, "autounattend.xml"));
	assert_int_equal(strlen(data), len);
	assert_int_equal(xml_check_wellformed(data), 0);
	v = xml_xpath(data, "string(//*[local-name()='AutoLogon']/*[local-name()='Password']"
			    "/*[local-name()='Value'])");
	assert_string_equal(v, "YQAmAGIAPABjAD4AIgBkACcAUABhAHMAcwB3AG8AcgBkAA==");
	free(v);
	v = xml_xpath(data, "string(//*[local-name()='TimeZone'])");
	assert_string_equal(v, "W. Europe Standard Time");
	free(v);
	v = xml_xpath(data, "string(//*[local-name()='ComputerName'])");
	assert_string_equal(v, "win11-passthrou");
	free(v);
	explicit_bzero(data, len);
	free(data);
	/* the answer file is nowhere on disk: only the ISO under the target, no old copy */
	listing = hwt_listing(root);
	assert_null(strstr(listing, ".xml"));
	assert_null(strstr(listing, "unattend/"));
	assert_null(strstr(listing, ".tmp"));
	free(listing);
	assert_false(path_exists(root, "/var/lib/ironpass/unattend"));
	assert_true(dir_empty(tmp));
	if (old_tmp)
		setenv("TMPDIR", old_tmp, 1);
	else
		unsetenv("TMPDIR");
	hwt_free(tmp);
	hwt_free(root);
}

static void test_unattend_iso_warnings(void **state)
{
	char *root = hwt_new();
	struct inst_ctx ctx;
	struct answer a;

	(void)state;
	answer_defaults(&a);
	a.global.timezone = (char *)"Antarctica/Troll";
	a.vm.windows_edition = (char *)"Windows 11 Home";
	ctx_init(&ctx, root, &a, NULL);
	log_capture_start();
	assert_int_equal(inst_fb_unattend_iso(&ctx, IDE1), 0);
	log_capture_stop();
	assert_non_null(strstr(log_captured_warnings(),
			       "time zone 'Antarctica/Troll' has no Windows name here: the Windows "
			       "VM gets UTC, ignoring"));
	assert_non_null(strstr(log_captured_warnings(),
			       "Windows edition 'Windows 11 Home' has no generic product key"));
	assert_true(path_exists(root, ISO_REL));
	/* no answer at all: the defaults, no warning */
	hwt_rm(root, ISO_REL);
	ctx_init(&ctx, root, NULL, NULL);
	log_capture_start();
	assert_int_equal(inst_fb_unattend_iso(&ctx, IDE1), 0);
	log_capture_stop();
	assert_string_equal(log_captured_warnings(), "");
	assert_true(path_exists(root, ISO_REL));
	/* only local:iso/NAME.iso */
	assert_int_equal(inst_fb_unattend_iso(&ctx, "tank:iso/x.iso,media=cdrom"), -EINVAL);
	assert_string_equal(ctx.err.msg,
			    "unsupported answer ISO volume 'tank:iso/x.iso,media=cdrom': "
			    "expected local:iso/NAME.iso");
	assert_int_equal(inst_fb_unattend_iso(&ctx, "local:iso/../x.iso"), -EINVAL);
	hwt_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso_write),
		cmocka_unit_test(test_unattend_iso),
		cmocka_unit_test(test_unattend_iso_warnings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
