// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * answer_seal: a plain root-password becomes root-password-hashed with a
 * yescrypt hash that crypt_r() verifies against the password, however the
 * key was written (section, dotted, inline table, quoted, snake_case,
 * multi-line, escapes, CRLF, BOM); every other byte stays as it was; the
 * password appears nowhere in the result nor in any error; what cannot be
 * sealed is refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "answer.h"
#include "err.h"
#include "util.h"
#include "crypt-check.h"

#define PLAIN "Mk-Zq7-pass-4711"

static void test_sealed_forms(void **state)
{
	/* the text, the key and the value as written in it, the plain password */
	static const struct {
		const char *text, *key, *value, *plain;
	} cases[] = {
		{ "# node 7\n[global]\nkeyboard = \"de\" # kb\nroot-password = \"" PLAIN "\"   "
		  "# the password\nmailto = \"root@example.com\"\n\n[network]\nsource = "
		  "\"from-dhcp\"\n", "root-password", "\"" PLAIN "\"", PLAIN },
		{ "global.keyboard = \"de\"\nglobal.root-password = '" PLAIN "'\n",
		  "root-password", "'" PLAIN "'", PLAIN },
		{ "global = { keyboard = \"de\", root-password = \"" PLAIN "\", country = \"at\" }\n"
		  "[network]\nsource = \"from-dhcp\"\n",
		  "root-password", "\"" PLAIN "\"", PLAIN },
		{ "[global]\n\"root-password\"=\"" PLAIN "\"\n", "\"root-password\"",
		  "\"" PLAIN "\"", PLAIN },
		{ "[global]\nroot_password = \"" PLAIN "\"\n", "root_password",
		  "\"" PLAIN "\"", PLAIN },
		{ "[global]\nroot-password = \"\"\"\n" PLAIN "\"\"\"\ntimezone = \"UTC\"\n",
		  "root-password", "\"\"\"\n" PLAIN "\"\"\"", PLAIN },
		{ "[global]\nroot-password = \"Mk\\u002dZq7-pass\\\\4711\"\n", "root-password",
		  "\"Mk\\u002dZq7-pass\\\\4711\"", "Mk-Zq7-pass\\4711" },
		{ "[global]\r\nroot-password = \"" PLAIN "\"\r\nkeyboard = \"de\"\r\n",
		  "root-password", "\"" PLAIN "\"", PLAIN },
		{ "\xef\xbb\xbf[global]\nroot-password = \"" PLAIN "\"\n", "root-password",
		  "\"" PLAIN "\"", PLAIN },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *t = cases[i].text, *k = strstr(t, cases[i].key);
		const char *v = strstr(k, cases[i].value), *h, *end;
		struct answer_sealed s;
		struct ip_err e = { 0 };
		size_t pre = (size_t)(k - t), post = strlen(v + strlen(cases[i].value));
		const char *between = k + strlen(cases[i].key);
		size_t nb = (size_t)(v - between);
		char hash[512];

		if (answer_seal(t, strlen(t), "a.toml", &s, &e) < 0)
			fail_msg("case %zu: %s", i, ip_err_msg(&e));
		assert_true(s.sealed);
		assert_int_equal(strlen(s.text), s.len);
		/* the password is gone: no piece of it is left */
		if (strstr(s.text, "Zq7") || strstr(s.text, "4711"))
			fail_msg("case %zu: the password is still in:\n%s", i, s.text);
		/* everything before the key, between key and value, after the value: unchanged */
		assert_memory_equal(s.text, t, pre);
		assert_memory_equal(s.text + pre, "root-password-hashed", 20);
		assert_memory_equal(s.text + pre + 20, between, nb);
		h = s.text + pre + 20 + nb;
		assert_int_equal(h[0], '"');
		end = strchr(h + 1, '"');
		assert_non_null(end);
		assert_true((size_t)(end - h - 1) < sizeof(hash));
		memcpy(hash, h + 1, (size_t)(end - h - 1));
		hash[end - h - 1] = '\0';
		assert_string_equal(end + 1, v + strlen(cases[i].value));
		assert_int_equal(s.len, pre + 20 + nb + strlen(hash) + 2 + post);
		/* a yescrypt hash of exactly the password (escapes resolved) */
		assert_true(strncmp(hash, "$y$", 3) == 0);
		assert_string_equal(s.method, "yescrypt");
		if (!crypt_check(cases[i].plain, hash))
			fail_msg("case %zu: '%s' does not verify", i, hash);
		assert_false(crypt_check("Mk-Zq7-pass-4712", hash));
		answer_sealed_release(&s);
		assert_null(s.text);
	}
}

/* The sealed answer is still a valid answer, with the hash and without the password. */
static void test_sealed_answer_valid(void **state)
{
	static const char text[] =
		"[global]\nkeyboard = \"de\"\ncountry = \"at\"\nfqdn = \"pve.example.com\"\n"
		"mailto = \"root@example.com\"\ntimezone = \"Europe/Vienna\"\n"
		"root-password = \"" PLAIN "\"\n"
		"[network]\nsource = \"from-dhcp\"\n"
		"[disk-setup]\nfilesystem = \"ext4\"\ndisk-list = [\"sda\"]\n"
		"[post-installation-webhook]\nurl = \"https://h.example/hook\"\n"
		"auth-token = \"tok-secret\"\n";
	struct answer_diags d = { 0 };
	struct answer_sealed s;
	struct ip_err e = { 0 };
	struct answer *a = NULL;

	(void)state;
	assert_int_equal(answer_seal(text, strlen(text), "a.toml", &s, &e), 0);
	assert_int_equal(answer_parse(s.text, s.len, "a.toml", 0, &a, &d), 0);
	assert_int_equal(d.len, 0);
	assert_null(a->global.root_password);
	assert_true(crypt_check(PLAIN, a->global.root_password_hashed));
	/* the token cannot be sealed (the installer sends it): it stays */
	assert_string_equal(a->webhook.auth_token, "tok-secret");
	answer_free(a);
	answer_sealed_release(&s);
	/* two seals, two salts */
	{
		struct answer_sealed s2;

		assert_int_equal(answer_seal(text, strlen(text), "a.toml", &s, &e), 0);
		assert_int_equal(answer_seal(text, strlen(text), "a.toml", &s2, &e), 0);
		assert_true(s.len != s2.len || memcmp(s.text, s2.text, s.len) != 0);
		answer_sealed_release(&s);
		answer_sealed_release(&s2);
	}
}

/* Nothing to seal: the same bytes back. */
static void test_unchanged(void **state)
{
	static const char *const texts[] = {
		"[profile]\nname = \"t\"\n",
		"",
		"# only a comment\n",
		"[global]\nroot-password-hashed = \"$y$j9T$cpDmUMfNn82Pq/uVH3PV2.$kszvWxLoDIG79T"
		"lyTm5BQD9h2w8yIhF4lTxZNpgd6U1\"\nkeyboard = \"de\"\n",
		"[network]\nsource = \"from-dhcp\"\n# root-password = \"in a comment\"\n",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		struct answer_sealed s;
		struct ip_err e = { 0 };

		assert_int_equal(answer_seal(texts[i], strlen(texts[i]), NULL, &s, &e), 0);
		assert_false(s.sealed);
		assert_int_equal(s.len, strlen(texts[i]));
		assert_memory_equal(s.text, texts[i], s.len);
		answer_sealed_release(&s);
	}
}

/* What cannot be sealed is refused, and the message holds no piece of the password. */
static void test_refused(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "[global]\nroot-password = " PLAIN "\n",
		  "cannot seal 'a.toml': a.toml:2:17: invalid value for 'root-password' (strings "
		  "need quotes)" },
		{ "[global]\nroot-password = \"" PLAIN "\"\nroot-password-hashed = \"$y$x\"\n",
		  "cannot seal 'a.toml': both 'root-password' and 'root-password-hashed' are set" },
		{ "[global]\nroot-password = \"" PLAIN "\"\nroot_password = \"" PLAIN "x\"\n",
		  "cannot seal 'a.toml': 'root-password' is set twice" },
		{ "[global]\nroot-password = 47114711\n",
		  "cannot seal 'a.toml': 'root-password' must be a string, not an integer" },
		{ "[global]\nroot-password = [\"" PLAIN "\"]\n",
		  "cannot seal 'a.toml': 'root-password' must be a string, not an array" },
		{ "[global]\nroot-password = \"Zq7\"\n",
		  "cannot seal 'a.toml': invalid 'root-password': must be at least 8 characters" },
		{ "[global]\nroot-password = \"" PLAIN "\\u0000\"\n",
		  "cannot seal 'a.toml': invalid 'root-password': must not contain NUL characters" },
		{ "[network]\nroot-password = \"" PLAIN "\"\n",
		  "cannot seal 'a.toml': 'root-password' outside [global]" },
		{ "[[global]]\nroot-password = \"" PLAIN "\"\n",
		  "cannot seal 'a.toml': 'root-password' outside [global]" },
		{ "[global.x]\nroot-password = \"" PLAIN "\"\n",
		  "cannot seal 'a.toml': 'root-password' outside [global]" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct answer_sealed s;
		struct ip_err e = { 0 };
		int ret = answer_seal(cases[i].text, strlen(cases[i].text), "a.toml", &s, &e);

		if (ret != -EINVAL || strcmp(ip_err_msg(&e), cases[i].want))
			fail_msg("case %zu: %d '%s'", i, ret, ip_err_msg(&e));
		assert_null(strstr(ip_err_msg(&e), "Zq7"));
		assert_null(strstr(ip_err_msg(&e), "4711"));
		assert_null(s.text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sealed_forms),
		cmocka_unit_test(test_sealed_answer_valid),
		cmocka_unit_test(test_unchanged),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
