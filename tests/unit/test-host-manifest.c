// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A backup's manifest (host-manifest.c) and names (host-backup.c), and the
 * diff hunks of --dry-run (host-file.c): exact texts, and manifests that must
 * not be trusted (paths outside the plan's, bad hashes, directories above no file).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/host.h"

#define SHA_A "1d0edefd56762d946248452b4e9932429f7955d5a6e38281db42b8cde8df6ef3"
#define SHA_B "d6882ea97a7ddc2cfcf64c2fed471550d13bf003d3c4a9c593efe0fa4d04532a"

static void fill(struct host_result *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->backup, sizeof(r->backup), "20250102T030405Z");
	r->boot.kind = INST_BOOT_PBT_SDBOOT;
	snprintf(r->files[0].path, sizeof(r->files[0].path), "/etc/kernel/cmdline");
	r->files[0].action = HOST_CHANGE;
	r->files[0].existed = true;
	r->files[0].old_mode = 0600;
	r->files[0].mode = 0644;
	snprintf(r->files[0].old_sha, 65, SHA_A);
	snprintf(r->files[0].sha, 65, SHA_B);
	snprintf(r->files[1].path, sizeof(r->files[1].path), "/etc/modprobe.d/ironpass-vfio.conf");
	r->files[1].action = HOST_CREATE;
	r->files[1].mode = 0644;
	snprintf(r->files[1].sha, 65, SHA_A);
	snprintf(r->files[2].path, sizeof(r->files[2].path), "/etc/modules-load.d/x.conf");
	r->files[2].action = HOST_KEEP;	/* not in the manifest */
	r->n_files = 3;
	snprintf(r->dirs[0], sizeof(r->dirs[0]), "/etc/modprobe.d");
	r->n_dirs = 1;
}

static void test_round_trip(void **state)
{
	struct host_result r, back = { 0 };
	char restored[HOST_NAME_LEN + 1], *text, *marked;
	struct ip_err err = { 0 };

	(void)state;
	fill(&r);
	text = host_manifest_text(&r);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"boot\": \"pbt-systemd-boot\""));
	assert_non_null(strstr(text, "\"mode_before\": \"0600\""));
	assert_null(strstr(text, "x.conf"));
	assert_int_equal(host_manifest_parse(text, &back, restored, &err), 0);
	assert_string_equal(restored, "");
	assert_string_equal(back.backup, "20250102T030405Z");
	assert_int_equal(back.boot.kind, INST_BOOT_PBT_SDBOOT);
	assert_int_equal(back.n_files, 2);
	assert_string_equal(back.files[0].path, "/etc/kernel/cmdline");
	assert_int_equal(back.files[0].action, HOST_RESTORE);
	assert_int_equal(back.files[0].old_mode, 0600);
	assert_int_equal(back.files[0].mode, 0644);
	assert_string_equal(back.files[0].old_sha, SHA_A);
	assert_string_equal(back.files[0].sha, SHA_B);
	assert_int_equal(back.files[1].action, HOST_REMOVE);
	assert_false(back.files[1].existed);
	assert_string_equal(back.files[1].old_sha, "");
	assert_int_equal(back.n_dirs, 1);
	assert_string_equal(back.dirs[0], "/etc/modprobe.d");
	marked = host_manifest_mark(text, "20250102T040405Z", &err);
	assert_non_null(marked);
	assert_int_equal(host_manifest_parse(marked, &back, restored, &err), 0);
	assert_string_equal(restored, "20250102T040405Z");
	free(marked);
	free(text);
}

/* replace the first @from in the manifest by @to and expect a refusal naming @what */
static void refused(const char *from, const char *to, const char *what)
{
	struct host_result r, back = { 0 };
	char restored[HOST_NAME_LEN + 1], *text, *p, buf[4096];
	struct ip_err err = { 0 };

	fill(&r);
	text = host_manifest_text(&r);
	p = strstr(text, from);
	assert_non_null(p);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
	assert_int_equal(host_manifest_parse(buf, &back, restored, &err), -EINVAL);
	assert_non_null(strstr(err.msg, what));
	free(text);
}

static void test_untrusted(void **state)
{
	(void)state;
	refused("/etc/kernel/cmdline", "/root/.ssh/authorized_keys", "bad file path");
	refused("/etc/kernel/cmdline", "/etc/../root/.bashrc", "bad file path");
	refused(SHA_B, "not-a-hash", "sha256_after");
	refused("\"mode_before\": \"0600\"", "\"mode_before\": \"99\"", "sha256_before");
	refused("\"/etc/modprobe.d\"", "\"/etc/kernel/cmdline\"", "bad directory");
	refused("\"/etc/modprobe.d\"", "\"/var/lib\"", "bad directory");
	refused("\"/etc/modprobe.d\"", "\"/etc/modprobe.d/\"", "bad directory");
	refused("\"format\": 1", "\"format\": 2", "unknown format");
	refused("pbt-systemd-boot", "lilo", "\"boot\"");
	refused("\"created\": \"20250102T030405Z\"", "\"created\": \"../../x\"", "\"created\"");
}

static void test_names(void **state)
{
	char name[HOST_NAME_LEN + 1];

	(void)state;
	host_backup_name(1735787045, name);
	assert_string_equal(name, "20250102T030405Z");
	assert_true(host_backup_name_ok(name));
	assert_false(host_backup_name_ok("20250102T030405"));
	assert_false(host_backup_name_ok("20250102-030405Z"));
	assert_false(host_backup_name_ok("2025010xT030405Z"));
	assert_false(host_backup_name_ok("../../../etc/xZ"));
	assert_false(host_backup_name_ok(NULL));
}

static void diff_is(const char *old, const char *text, const char *want)
{
	char *d = host_diff_text(old, text);

	assert_non_null(d);
	assert_string_equal(d, want);
	free(d);
}

static void test_diff(void **state)
{
	(void)state;
	diff_is(NULL, "a\nb\n", "@@ -0,0 +1,2 @@\n+a\n+b\n");
	diff_is("a\nb\n", NULL, "@@ -1,2 +0,0 @@\n-a\n-b\n");
	diff_is("same\n", "same\n", "");
	diff_is("root=ZFS=rpool/ROOT/pve-1 boot=zfs\n",
		"root=ZFS=rpool/ROOT/pve-1 boot=zfs intel_iommu=on\n",
		"@@ -1,1 +1,1 @@\n-root=ZFS=rpool/ROOT/pve-1 boot=zfs\n"
		"+root=ZFS=rpool/ROOT/pve-1 boot=zfs intel_iommu=on\n");
	/* an append: three lines of context, not five */
	diff_is("1\n2\n3\n4\n5\n", "1\n2\n3\n4\n5\nvfio\n",
		"@@ -3,3 +3,4 @@\n 3\n 4\n 5\n+vfio\n");
	/* a change inside: context on both sides */
	diff_is("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nX\n6\n7\n8\n",
		"@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_untrusted),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_diff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
