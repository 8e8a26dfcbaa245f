// SPDX-License-Identifier: GPL-2.0-or-later
/* Host tool check: all missing tools in one message, each with its package. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bld.h"

static const struct bld_tool tools[] = {
	{ "ip-tool-a", "pkg-a" },
	{ "ip-tool-b", "pkg-b" },
	{ "ip-tool-c", "pkg-b" },
	{ "/usr/lib/x/boot.bin", "pkg-boot" },
	{ NULL, NULL },
};

static char dir[64];

static void touch(const char *rel, mode_t mode)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
}

static int setup(void **state)
{
	char p[256];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ip-tools-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(p, sizeof(p), "%s/bin", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/root", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/root/usr", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/root/usr/lib", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/root/usr/lib/x", dir);
	mkdir(p, 0755);
	return 0;
}

static int teardown(void **state)
{
	char p[256];
	const char *files[] = { "bin/ip-tool-a", "bin/ip-tool-b", "bin/ip-tool-c",
				"root/usr/lib/x/boot.bin", "root/usr/lib/x", "root/usr/lib",
				"root/usr", "root", "bin" };

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		remove(p);
	}
	rmdir(dir);
	return 0;
}

static void test_all_missing_at_once(void **state)
{
	struct ip_err e = { 0 };
	char path[128], root[128];

	(void)state;
	snprintf(path, sizeof(path), "/nonexistent:%s/bin", dir);
	snprintf(root, sizeof(root), "%s/root", dir);
	assert_int_equal(bld_tools_check(tools, path, root, &e), -ENOENT);
	assert_string_equal(e.msg,
			    "missing host tools: 'ip-tool-a' (pkg-a), 'ip-tool-b' (pkg-b), "
			    "'ip-tool-c' (pkg-b), '/usr/lib/x/boot.bin' (pkg-boot); "
			    "install with: apt-get install pkg-a pkg-b pkg-boot");
}

static void test_some_present(void **state)
{
	struct ip_err e = { 0 };
	char path[128], root[128];

	(void)state;
	touch("bin/ip-tool-a", 0755);
	touch("bin/ip-tool-c", 0644);	/* not executable: missing */
	snprintf(path, sizeof(path), "%s/bin", dir);
	snprintf(root, sizeof(root), "%s/root", dir);
	assert_int_equal(bld_tools_check(tools, path, root, &e), -ENOENT);
	assert_string_equal(e.msg,
			    "missing host tools: 'ip-tool-b' (pkg-b), 'ip-tool-c' (pkg-b), "
			    "'/usr/lib/x/boot.bin' (pkg-boot); "
			    "install with: apt-get install pkg-b pkg-boot");
}

static void test_all_present(void **state)
{
	struct ip_err e = { 0 };
	char path[128], root[128];

	(void)state;
	touch("bin/ip-tool-a", 0755);
	touch("bin/ip-tool-b", 0755);
	touch("bin/ip-tool-c", 0755);
	touch("root/usr/lib/x/boot.bin", 0644);
	snprintf(path, sizeof(path), "%s/bin", dir);
	snprintf(root, sizeof(root), "%s/root", dir);
	assert_int_equal(bld_tools_check(tools, path, root, &e), 0);
	assert_int_equal(e.code, 0);
}

static void test_needed_lists_packages(void **state)
{
	const struct bld_tool *t = bld_tools_needed(NULL);
	bool xorriso = false, shim = false, squash = false;

	(void)state;
	for (; t->name; t++) {
		assert_non_null(t->package);
		xorriso |= !strcmp(t->name, "xorriso") && !strcmp(t->package, "xorriso");
		squash |= !strcmp(t->name, "mksquashfs") && !strcmp(t->package, "squashfs-tools");
		shim |= !strcmp(t->package, "shim-signed");
	}
	assert_true(xorriso && shim && squash);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_missing_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_some_present, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_present, setup, teardown),
		cmocka_unit_test(test_needed_lists_packages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
