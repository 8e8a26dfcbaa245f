// SPDX-License-Identifier: GPL-2.0-or-later
/* apt sources: no-subscription on, enterprise commented out, pool source gone. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hw-tree.h"
#include "inst-cfg.h"
#include "path.h"

static void test_texts(void **state)
{
	struct ip_err err = { 0 };
	char *t;

	(void)state;
	t = inst_cfg_apt_pve_text("bookworm", &err);
	assert_string_equal(t, "# Proxmox VE no-subscription repository (written by ironpass)\n"
			       "deb http://download.proxmox.com/debian/pve bookworm "
			       "pve-no-subscription\n");
	free(t);
	assert_null(inst_cfg_apt_pve_text("bookworm main\ndeb x", &err));
	t = inst_cfg_comment_out("deb https://e.example/pve bookworm pve-enterprise\n"
				 "# already\n\n  deb x y z\n");
	assert_string_equal(t, "# deb https://e.example/pve bookworm pve-enterprise\n"
			       "# already\n\n#   deb x y z\n");
	free(t);
}

static void test_written(void **state)
{
	struct inst_ctx ctx = { 0 };
	char *root = hwt_new(), *t = NULL;
	size_t len;

	(void)state;
	hwt_file(root, "/etc/os-release", "PRETTY_NAME=\"Debian\"\nVERSION_CODENAME=bookworm\n");
	hwt_file(root, INST_APT_ENTERPRISE, "deb https://e.example/pve bookworm pve-enterprise\n");
	hwt_file(root, INST_APT_POOL_LIST, "deb [trusted=yes] file:/var/cache/ironpass/pool ./\n");
	hwt_file(root, INST_APT_CEPH, "deb https://e.example/ceph-quincy bookworm enterprise\n");
	ctx.target = root;
	assert_int_equal(inst_cfg_apt(&ctx), 0);
	assert_int_equal(path_read_all(root, INST_APT_PVE_LIST, 4096, &t, &len), 0);
	assert_non_null(strstr(t, "\ndeb http://download.proxmox.com/debian/pve bookworm "
				  "pve-no-subscription\n"));
	free(t);
	assert_int_equal(path_read_all(root, INST_APT_ENTERPRISE, 4096, &t, &len), 0);
	assert_string_equal(t, "# deb https://e.example/pve bookworm pve-enterprise\n");
	free(t);
	assert_false(path_exists(root, INST_APT_POOL_LIST));
	assert_int_equal(path_read_all(root, INST_APT_CEPH, 4096, &t, &len), 0);
	assert_string_equal(t, "# deb https://e.example/ceph-quincy bookworm enterprise\n");
	free(t);
	/* twice: same result */
	assert_int_equal(inst_cfg_apt(&ctx), 0);
	assert_int_equal(path_read_all(root, INST_APT_ENTERPRISE, 4096, &t, &len), 0);
	assert_string_equal(t, "# deb https://e.example/pve bookworm pve-enterprise\n");
	free(t);
	hwt_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_written),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
