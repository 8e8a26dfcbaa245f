// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/url: URLs for messages and logs keep scheme://host:port/path only —
 * no user info, no query, no fragment — also inside a longer text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "url.h"
#include "util.h"

static void test_redact(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "https://user:pw@host.example:8443/a/b.toml?token=secret#x",
		  "https://host.example:8443/a/b.toml" },
		{ "http://h.example/x?token=abc", "http://h.example/x" },
		{ "http://h.example/x#pw", "http://h.example/x" },
		{ "https://h.example", "https://h.example" },
		{ "https://h.example?t=1", "https://h.example" },
		{ "https://tok@h.example:80", "https://h.example:80" },
		{ "https://a@b@h.example/p", "https://h.example/p" },
		{ "http://[2001:db8::1]:8080/p?x=1", "http://[2001:db8::1]:8080/p" },
		{ "http://u:p@[::1]/p", "http://[::1]/p" },
		{ "http://[::1]x/p", "http://[::1]" },
		/* a password with a slash ends the authority early: nothing after the host */
		{ "https://user:pa/ss@host.example/x", "https://user" },
		{ "https://host:8x/p?q", "https://host" },
		{ "HTTP://h/path/", "HTTP://h/path/" },
		{ "ftp://anon@files.example/pub", "ftp://files.example/pub" },
		/* not a URL at all: may be anything, a password included */
		{ "user:pw@host/x", "(not a URL)" },
		{ "://user:pw@host/x", "(not a URL)" },
		{ "1http://h/", "(not a URL)" },
		{ "", "(not a URL)" },
	};
	char buf[256], small[12];
	char *d;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		url_redact(cases[i].in, buf, sizeof(buf));
		if (strcmp(buf, cases[i].want))
			fail_msg("%s: got '%s', want '%s'", cases[i].in, buf, cases[i].want);
	}
	assert_string_equal(url_redact(NULL, buf, sizeof(buf)), "(not a URL)");
	/* cut to the buffer, always terminated */
	assert_string_equal(url_redact("https://h.example/abc", small, sizeof(small)),
			    "https://h.e");
	d = url_redact_dup("https://u:p@h.example/x?y");
	assert_string_equal(d, "https://h.example/x");
	free(d);
	d = url_redact_dup("x");
	assert_string_equal(d, "(not a URL)");
	free(d);
}

static void test_redact_text(void **state)
{
	char buf[256], small[8];
	size_t n;

	(void)state;
	n = url_redact_text("ironpass.answer=https://u:pw@h.example/a.toml?t=1 quiet "
			    "x=http://k@y.example/ \"ftp://q@z/?w\"", buf, sizeof(buf));
	assert_string_equal(buf, "ironpass.answer=https://h.example/a.toml quiet "
				 "x=http://y.example/ \"ftp://z/\"");
	assert_int_equal(n, strlen(buf));
	/* no scheme before "://": the authority is still cut */
	url_redact_text("a=://user:pw@h/p?t", buf, sizeof(buf));
	assert_string_equal(buf, "a=://h/p");
	url_redact_text("no url here: user@host", buf, sizeof(buf));
	assert_string_equal(buf, "no url here: user@host");
	/* the full length comes back even when the buffer is short */
	n = url_redact_text("abcdefghijkl", small, sizeof(small));
	assert_int_equal(n, 12);
	assert_string_equal(small, "abcdefg");
	n = url_redact_text("", buf, sizeof(buf));
	assert_int_equal(n, 0);
	assert_string_equal(buf, "");
}

static void test_path_escape(void **state)
{
	char buf[128], small[8];
	size_t n;

	(void)state;
	/* apt's literal "%3a" keeps its '%' */
	n = url_path_escape("pool/busybox-static_1%3a1.35.0-4+deb12u1+b1_amd64.deb", buf,
			    sizeof(buf));
	assert_string_equal(buf, "pool/busybox-static_1%253a1.35.0-4%2Bdeb12u1%2Bb1_amd64.deb");
	assert_int_equal(n, strlen(buf));
	/* unreserved bytes and '/' as they are; space, '?', '#', UTF-8 escaped */
	url_path_escape("a-b.c_d~e/F9", buf, sizeof(buf));
	assert_string_equal(buf, "a-b.c_d~e/F9");
	url_path_escape("a b?c#d\xc3\xa9", buf, sizeof(buf));
	assert_string_equal(buf, "a%20b%3Fc%23d%C3%A9");
	/* cut like snprintf: the whole length back, never half an escape counted wrong */
	n = url_path_escape("%%%", small, sizeof(small));
	assert_int_equal(n, 9);
	assert_string_equal(small, "%25%25%");
	assert_int_equal(url_path_escape("", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_redact_text),
		cmocka_unit_test(test_path_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
