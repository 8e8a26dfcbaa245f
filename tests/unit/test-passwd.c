// SPDX-License-Identifier: GPL-2.0-or-later
/* Root password hashing with libcrypt: yescrypt first, SHA-512 on request. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "passwd.h"

static void test_hash_default_is_yescrypt(void **state)
{
	char h[PASSWD_HASH_MAX];
	struct ip_err e = { 0 };

	(void)state;
	assert_int_equal(passwd_hash("correct horse", NULL, h, sizeof(h), &e), 0);
	assert_true(strncmp(h, "$y$", 3) == 0);
	assert_true(passwd_hash_valid(h));
	assert_true(passwd_verify("correct horse", h));
	assert_false(passwd_verify("correct horsE", h));
	assert_null(strstr(h, "correct"));
}

static void test_hash_sha512_and_salt(void **state)
{
	char a[PASSWD_HASH_MAX], b[PASSWD_HASH_MAX];
	struct ip_err e = { 0 };

	(void)state;
	assert_int_equal(passwd_hash("s3cret-enough", "$6$", a, sizeof(a), &e), 0);
	assert_int_equal(passwd_hash("s3cret-enough", "$6$", b, sizeof(b), &e), 0);
	assert_true(strncmp(a, "$6$", 3) == 0);
	/* a fresh salt every time */
	assert_string_not_equal(a, b);
	assert_true(passwd_verify("s3cret-enough", a));
	assert_true(passwd_verify("s3cret-enough", b));
}

static void test_hash_errors(void **state)
{
	char h[PASSWD_HASH_MAX], tiny[8];
	struct ip_err e = { 0 };

	(void)state;
	assert_int_equal(passwd_hash("", NULL, h, sizeof(h), &e), -EINVAL);
	assert_string_equal(e.msg, "cannot hash an empty password");
	assert_int_equal(passwd_hash("password", "$1$", h, sizeof(h), &e), -EINVAL);
	assert_string_equal(e.msg, "unknown hash method '$1$'");
	assert_int_equal(passwd_hash("password", NULL, tiny, sizeof(tiny), &e), -ERANGE);
}

static void test_hash_valid(void **state)
{
	static const char *const good[] = {
		"$y$j9T$cpDmUMfNn82Pq/uVH3PV2.$kszvWxLoDIG79TlyTm5BQD9h2w8yIhF4lTxZNpgd6U1",
		"$6$v7AuWaV0bvLI/q5e$COwOhCXfMuHXXPClVFL6tl2ISYfylUNbSWHT6HszYpkapANp4unYJQ1W7v2"
		"2w6AWm2bradthoUnT8bWYzN8vq1",
		"$6$rounds=10000$saltsalt$9q3VxhGc6ruBO9k4ck2eQb5bS0o5d5Vc9CwEUb1l3U3YPQb9X1nNkxN"
		"XA6Aq9UXC8kTfqeg3W/9p6Fd7Gn6x0.",
	};
	static const char *const bad[] = {
		"", "!", "*", "!$6$abc$def", "plain text password", "$6$salt$",
		"$1$abc$0123456789abcdef",	/* MD5: too weak, libcrypt calls it legacy */
		"$6$salt$has space in it", "$zz$abc$defghijklmnop",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(passwd_hash_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(passwd_hash_valid(bad[i]));
	assert_false(passwd_hash_valid(NULL));
	assert_false(passwd_verify("x", "!"));
}

static void test_wipe(void **state)
{
	char s[] = "topsecret";

	(void)state;
	passwd_wipe(s);
	for (size_t i = 0; i < sizeof(s); i++)
		assert_int_equal(s[i], 0);
	passwd_wipe(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_default_is_yescrypt),
		cmocka_unit_test(test_hash_sha512_and_salt),
		cmocka_unit_test(test_hash_errors),
		cmocka_unit_test(test_hash_valid),
		cmocka_unit_test(test_wipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
