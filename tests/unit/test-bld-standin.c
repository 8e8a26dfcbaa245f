// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in packages' scripts: what the pool carries is what is in
 * builder/payload/standin/; standin-pmxcfs (sh) run for real, without its mount.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hw-tree.h"
#include "path.h"
#include "payload/bld-payload.h"
#include "runner.h"

/* the package trees (bld_standin_debs_write) and the node's root */
static char *pkgs, *root;
static char env_root[PATH_MAX + 32];

static int setup(void **state)
{
	struct ip_err err = { 0 };

	(void)state;
	pkgs = hwt_new();
	root = hwt_new();
	assert_int_equal(bld_standin_debs_write(pkgs, &err), 0);
	snprintf(env_root, sizeof(env_root), "IRONPASS_STANDIN_ROOT=%s", root);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hwt_free(root);
	hwt_free(pkgs);
	return 0;
}

/* The embedded scripts are the files in builder/payload/standin/, as they are now. */
static void test_embedded(void **state)
{
	static const char *const files[][2] = {
		{ "pve-manager/usr/sbin/qm", "qm" },
		{ "pve-manager/usr/sbin/pvesm", "pvesm" },
		{ "pve-cluster/usr/lib/pve-cluster/standin-pmxcfs", "standin-pmxcfs" },
		{ "pve-cluster/usr/bin/create_pmxcfs_db", "create_pmxcfs_db" },
		{ "pve-cluster/lib/systemd/system/pve-cluster.service", "pve-cluster.service" },
	};
	const char *top = getenv("IRONPASS_TOP");
	char src[PATH_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *a = NULL, *b = NULL;
		size_t na, nb;

		snprintf(src, sizeof(src), "%s/builder/payload/standin/%s", top && *top ? top : ".",
			 files[i][1]);
		assert_int_equal(path_read_all(pkgs, files[i][0], 1 << 20, &a, &na), 0);
		assert_int_equal(path_read_all(NULL, src, 1 << 20, &b, &nb), 0);
		if (na != nb || memcmp(a, b, na))
			fail_msg("'%s' in the package is not '%s': rebuild", files[i][0], src);
		free(a);
		free(b);
	}
}

/* standin-pmxcfs on a root of its own, without the bind mount. */
static void test_pmxcfs(void **state)
{
	char script[PATH_MAX], *text = NULL, link[PATH_MAX], lnk[PATH_MAX];
	const char *argv[] = { "sh", script, "start", NULL };
	const char *env[] = { env_root, "IRONPASS_STANDIN_NO_MOUNT=1", NULL };
	struct run_opts o = { .env = env };
	struct runner r;
	ssize_t n;

	(void)state;
	snprintf(script, sizeof(script), "%s/pve-cluster/usr/lib/pve-cluster/standin-pmxcfs",
		 pkgs);
	hwt_file(root, "/var/lib/pve-cluster/standin-config/storage.cfg", "dir: local\n");
	hwt_file(root, "/var/lib/pve-cluster/standin-config/user.cfg", "user:root@pam:1:0:::\n");
	runner_spawn_init(&r);
	assert_int_equal(runner_check(&r, argv, &o, NULL), 0);
	assert_int_equal(path_read_all(root, "/var/lib/pve-cluster/standin-pve/storage.cfg", 4096,
				       &text, NULL), 0);
	assert_string_equal(text, "dir: local\n");
	free(text);
	assert_true(path_exists(root, "/var/lib/pve-cluster/standin-pve/user.cfg"));
	assert_false(path_exists(root, "/var/lib/pve-cluster/standin-pve/datacenter.cfg"));
	assert_true(path_exists(root, "/var/lib/pve-cluster/standin-pve/.version"));
	assert_true(path_exists(root, "/var/lib/pve-cluster/standin-pve/qemu-server/"));
	snprintf(link, sizeof(link), "%s/var/lib/pve-cluster/standin-pve/qemu-server", root);
	n = readlink(link, lnk, sizeof(lnk) - 1);
	assert_true(n > 0);
	lnk[n] = '\0';
	assert_true(!strncmp(lnk, "nodes/", 6));
	assert_non_null(strstr(lnk, "/qemu-server"));
	/* a later start never overwrites what is there */
	hwt_file(root, "/var/lib/pve-cluster/standin-pve/storage.cfg", "changed\n");
	hwt_file(root, "/var/lib/pve-cluster/standin-config/datacenter.cfg", "keyboard: de\n");
	assert_int_equal(runner_check(&r, argv, &o, NULL), 0);
	assert_int_equal(path_read_all(root, "/var/lib/pve-cluster/standin-pve/storage.cfg", 4096,
				       &text, NULL), 0);
	assert_string_equal(text, "changed\n");
	free(text);
	assert_false(path_exists(root, "/var/lib/pve-cluster/standin-pve/datacenter.cfg"));
	/* stop without a mount is fine; anything else is a usage error */
	argv[2] = "stop";
	assert_int_equal(runner_check(&r, argv, &o, NULL), 0);
	argv[2] = "restart";
	assert_int_equal(runner_check(&r, argv, &o, NULL), -EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_embedded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pmxcfs, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
