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

#include "answer.h"
#include "hw-tree.h"
#include "path.h"
#include "target/inst-cfg.h"

#define REPO "http://pve.example.invalid/debian/pve"

static void test_texts(void **state)
{
	struct ip_err err = { 0 };
	char *t;

	(void)state;
	t = inst_cfg_apt_pve_text(REPO, "bookworm", &err);
	assert_string_equal(t, "# Proxmox VE no-subscription repository (written by ironpass)\n"
			       "deb http://pve.example.invalid/debian/pve bookworm "
			       "pve-no-subscription\n");
	free(t);
	assert_null(inst_cfg_apt_pve_text(REPO, "bookworm main\ndeb x", &err));
	assert_null(inst_cfg_apt_pve_text("ftp://x/y", "bookworm", &err));
	assert_null(inst_cfg_apt_pve_text("http://x/y z", "bookworm", &err));
	/* the message shows the URL without user info or query */
	assert_null(inst_cfg_apt_pve_text("https://u:Zq7pw@x.example/pve?token=Zq7tok y",
					  "bookworm", &err));
	assert_string_equal(err.msg, "invalid repository URL 'https://x.example/pve'");
	t = inst_cfg_comment_out("deb https://e.example/pve bookworm pve-enterprise\n"
				 "# already\n\n  deb x y z\n");
	assert_string_equal(t, "# deb https://e.example/pve bookworm pve-enterprise\n"
			       "# already\n\n#   deb x y z\n");
	free(t);
}

static void test_written(void **state)
{
	struct inst_ctx ctx = { 0 };
	struct answer a;
	char *root = hwt_new(), *t = NULL;
	size_t len;

	(void)state;
	hwt_file(root, "/etc/os-release", "PRETTY_NAME=\"Debian\"\nVERSION_CODENAME=bookworm\n");
	hwt_file(root, INST_APT_ENTERPRISE, "deb https://e.example/pve bookworm pve-enterprise\n");
	hwt_file(root, INST_APT_POOL_LIST, "deb [trusted=yes] file:/var/cache/ironpass/pool ./\n");
	hwt_file(root, INST_APT_CEPH, "deb https://e.example/ceph-quincy bookworm enterprise\n");
	ctx.target = root;
	answer_defaults(&a);
	a.ironpass.pve_repository = (char *)REPO;
	ctx.answer = &a;
	assert_int_equal(inst_cfg_apt(&ctx), 0);
	assert_int_equal(path_read_all(root, INST_APT_PVE_LIST, 4096, &t, &len), 0);
	assert_non_null(strstr(t, "\ndeb http://pve.example.invalid/debian/pve bookworm "
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

/* Without a repository in the answer: no no-subscription file, enterprise still off */
static void test_no_repository(void **state)
{
	struct inst_ctx ctx = { 0 };
	struct answer a;
	char *root = hwt_new(), *t = NULL;
	size_t len;

	(void)state;
	hwt_file(root, INST_APT_ENTERPRISE, "deb https://e.example/pve bookworm pve-enterprise\n");
	answer_defaults(&a);
	ctx.target = root;
	ctx.answer = &a;
	assert_int_equal(inst_cfg_apt(&ctx), 0);
	assert_false(path_exists(root, INST_APT_PVE_LIST));
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
		cmocka_unit_test(test_no_repository),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
