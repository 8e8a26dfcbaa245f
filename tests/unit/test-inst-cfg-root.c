// SPDX-License-Identifier: GPL-2.0-or-later
/* Root password (hash only, shadow fields kept, mode 0640) and SSH keys (0600). */
#include <crypt.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "hw-tree.h"
#include "path.h"
#include "target/inst-cfg.h"

#define YHASH "$y$j9T$abcdefghijklmnopqrstu1$r5KLArNb3YK1XHyuJii2Y19TOnjUUkQLeuL9gO1zwYC"
#define SHADOW "root:*:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n" \
	       "sshd:!:19701::::::\n"

static void test_shadow_text(void **state)
{
	struct ip_err err = { 0 };
	char *t;

	(void)state;
	t = inst_cfg_shadow_text(SHADOW, YHASH, &err);
	assert_string_equal(t, "root:" YHASH ":19700:0:99999:7:::\n"
			       "daemon:*:19700:0:99999:7:::\nsshd:!:19701::::::\n");
	free(t);
	assert_null(inst_cfg_shadow_text(SHADOW, "plain", &err));
	assert_int_equal(err.code, -EINVAL);
	assert_null(inst_cfg_shadow_text(SHADOW, "$6$x:y", &err));
	assert_null(inst_cfg_shadow_text("daemon:*:1:::::\n", YHASH, &err));
	assert_string_equal(err.msg, "no root line in '/etc/shadow'");
}

static void test_hash(void **state)
{
	struct ip_err err = { 0 };
	struct crypt_data cd;
	char *h = NULL;

	(void)state;
	assert_int_equal(inst_cfg_hash_password("s3cret pass", &h, &err), 0);
	assert_true(strncmp(h, "$y$", 3) == 0);
	memset(&cd, 0, sizeof(cd));
	assert_string_equal(crypt_r("s3cret pass", h, &cd), h);
	memset(&cd, 0, sizeof(cd));
	assert_string_not_equal(crypt_r("other", h, &cd), h);
	free(h);
	assert_int_equal(inst_cfg_hash_password("", &h, &err), -EINVAL);
}

static void test_written(void **state)
{
	const char *keys[] = { "ssh-ed25519 AAAAC3Nza test@a", "ssh-rsa AAAAB3 test@b" };
	struct answer a = { 0 };
	struct inst_ctx ctx = { 0 };
	char *root = hwt_new(), *t = NULL, full[PATH_MAX];
	struct stat st;
	size_t len;

	(void)state;
	hwt_file(root, "/etc/shadow", SHADOW);
	hwt_file(root, "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
	hwt_file(root, "/etc/group", "root:x:0:\nshadow:x:42:\n");
	a.global.root_password = (char *)"correct horse";
	a.global.root_ssh_keys = (char **)keys;
	a.global.n_root_ssh_keys = 2;
	ctx.answer = &a;
	ctx.target = root;
	assert_int_equal(inst_cfg_root(&ctx), 0);
	assert_int_equal(path_read_all(root, "/etc/shadow", 4096, &t, &len), 0);
	assert_true(strncmp(t, "root:$y$", 8) == 0);
	assert_null(strstr(t, "correct horse"));
	assert_non_null(strstr(t, ":19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n"));
	free(t);
	snprintf(full, sizeof(full), "%s/etc/shadow", root);
	assert_int_equal(stat(full, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(path_read_all(root, "/root/.ssh/authorized_keys", 4096, &t, &len), 0);
	assert_string_equal(t, "ssh-ed25519 AAAAC3Nza test@a\nssh-rsa AAAAB3 test@b\n");
	free(t);
	snprintf(full, sizeof(full), "%s/root/.ssh/authorized_keys", root);
	assert_int_equal(stat(full, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	snprintf(full, sizeof(full), "%s/root/.ssh", root);
	assert_int_equal(stat(full, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);

	/* a given hash is used as it is */
	a.global.root_password = NULL;
	a.global.root_password_hashed = (char *)"$6$saltsalt$hashhashhashhashhash";
	a.global.n_root_ssh_keys = 0;
	assert_int_equal(inst_cfg_root(&ctx), 0);
	assert_int_equal(path_read_all(root, "/etc/shadow", 4096, &t, &len), 0);
	assert_true(strncmp(t, "root:$6$saltsalt$hashhashhashhashhash:19700:", 44) == 0);
	free(t);
	/* a key spanning two lines would smuggle a second key in */
	keys[1] = "ssh-rsa AAAA\ncommand=\"x\" ssh-rsa BBBB";
	a.global.n_root_ssh_keys = 2;
	assert_int_equal(inst_cfg_root(&ctx), -EINVAL);
	hwt_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shadow_text),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_written),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
