// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * No secret in any diagnostic (design §5): for every key the schema marks
 * secret (answer_keys[].secret, so a key marked later is covered too) and
 * for every way its value can be wrong — TOML syntax, type, empty, NUL,
 * validator, choice, duplicate, dotted, inline table, snake_case, wrong
 * section — the messages name the key and never hold the value. Values
 * carry the marker "Zq7Mark"; not even "Zq7" may show. URLs with user
 * info or a query are shown redacted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "answer-int.h"
#include "util.h"

#define MARK "Zq7Mark"

/* All diagnostics of @text, one per line. */
static char *diags_of(const char *text, unsigned flags, size_t *n_errors)
{
	struct answer_diags d = { 0 };
	struct answer *a = NULL;
	struct strbuf sb = { 0 };

	answer_parse(text, strlen(text), "s.toml", flags, &a, &d);
	for (size_t i = 0; i < d.len; i++) {
		char *s = answer_diag_str(&d.items[i]);

		sb_printf(&sb, "%s\n", s);
		free(s);
	}
	sb_puts(&sb, "");
	*n_errors = d.n_errors;
	answer_free(a);
	answer_diags_release(&d);
	return sb_detach(&sb);
}

/* @text must give at least one error naming @key, and no "Zq7" anywhere. */
static void check_hidden(const char *what, const char *key, const char *text, unsigned flags)
{
	char want[160];
	size_t n_errors;
	char *got = diags_of(text, flags, &n_errors);

	/* 'root-password' or, for a dotted key, 'global.root-password' */
	snprintf(want, sizeof(want), "%s'", key);
	/* (on failure, cmocka's longjmp leaks @got: only then) */
	if (strstr(got, "Zq7") || strstr(got, "Mark") || strstr(got, "97531864"))
		fail_msg("%s: the value shows in:\n%s--- input:\n%s", what, got, text);
	if (!n_errors)
		fail_msg("%s: no error for:\n%s", what, text);
	if (!strstr(got, want))
		fail_msg("%s: %s is not named in:\n%s--- input:\n%s", what, want, got, text);
	free(got);
}

/* Values that fail @k's own check and hold the marker, as TOML strings. */
static size_t invalid_values(const struct answer_key *k, const char *out[], size_t max)
{
	static const struct {
		const char *toml, *plain;
	} cand[] = {
		{ "\"" MARK "\"", MARK },				/* short, no '$' */
		{ "\"" MARK "\\u0001" MARK "\"", MARK "\001" MARK },	/* control character */
		{ "\"" MARK " " MARK "\"", MARK " " MARK },		/* a space */
		{ "\"$" MARK "$" MARK "\"", "$" MARK "$" MARK },	/* no known hash */
	};
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(cand) && n < max; i++) {
		if (k->valid && k->valid(cand[i].plain))
			out[n++] = cand[i].toml;
		else if ((k->type == AKT_ENUM || k->type == AKT_CHOICE))
			out[n++] = cand[i].toml;
	}
	return n;
}

static void test_every_secret_key(void **state)
{
	/* KEY is replaced by the key's last name part, SEC by its section */
	static const struct {
		const char *what, *text;
	} kinds[] = {
		{ "syntax: bare word", "[SEC]\nKEY = " MARK "\n" },
		{ "syntax: two words", "[SEC]\nKEY = " MARK " " MARK "\n" },
		{ "syntax: starts with a digit", "[SEC]\nKEY = 1" MARK "\n" },
		{ "syntax: starts with '!'", "[SEC]\nKEY = !" MARK "\n" },
		{ "syntax: date-time-like", "[SEC]\nKEY = 2024-01-0" MARK "\n" },
		{ "syntax: bad escape", "[SEC]\nKEY = \"" MARK "\\q" MARK "\"\n" },
		{ "syntax: bad unicode escape", "[SEC]\nKEY = \"" MARK "\\uD800" MARK "\"\n" },
		{ "syntax: unterminated", "[SEC]\nKEY = \"" MARK "\n" },
		{ "syntax: in an inline table", "SEC = { KEY = " MARK " }\n" },
		{ "syntax: dotted", "SEC.KEY = " MARK "\n" },
		{ "type: integer", "[SEC]\nKEY = 97531864\n" },
		{ "type: float", "[SEC]\nKEY = 97531864.5\n" },
		{ "type: boolean", "[SEC]\nKEY = true\n" },
		{ "type: date-time", "[SEC]\nKEY = 1975-03-18T06:04:00Z\n" },
		{ "type: array", "[SEC]\nKEY = [\"" MARK "\", \"" MARK "x\"]\n" },
		{ "type: table", "[SEC]\nKEY = { x = \"" MARK "\" }\n" },
		{ "type: dotted table", "[SEC]\nKEY.x = \"" MARK "\"\n" },
		{ "empty", "[SEC]\nKEY = \"\"\n" },
		{ "NUL", "[SEC]\nKEY = \"" MARK "\\u0000" MARK "\"\n" },
		{ "NUL, in an inline table", "SEC = { KEY = \"" MARK "\\u0000\" }\n" },
		{ "duplicate (TOML)", "[SEC]\nKEY = \"" MARK "-1-long-enough\"\n"
		  "KEY = \"" MARK "-2-long-enough\"\n" },
		{ "duplicate (snake_case and kebab-case)", "[SEC]\nKEY = \"" MARK "-1-long-enough\"\n"
		  "SNAKE = \"" MARK "-2-long-enough\"\n" },
		{ "wrong section", "[ironpass]\nKEY = \"" MARK "\"\n" },
	};
	size_t n_secret = 0;

	(void)state;
	for (int id = 0; id < AK__MAX; id++) {
		const struct answer_key *k = &answer_keys[id];
		const char *sec = answer_sec_names[k->sec];
		const char *bad[8];
		char snake[64], name[64];
		size_t n_bad;

		if (!k->secret)
			continue;
		n_secret++;
		snprintf(name, sizeof(name), "%s", k->name);
		snprintf(snake, sizeof(snake), "%s", k->name);
		for (char *p = snake; *p; p++)
			if (*p == '-')
				*p = '_';
		for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
			struct strbuf sb = { 0 };
			char what[200];

			for (const char *p = kinds[i].text; *p;) {
				if (!strncmp(p, "KEY", 3)) {
					sb_puts(&sb, name);
					p += 3;
				} else if (!strncmp(p, "SEC", 3)) {
					sb_puts(&sb, sec);
					p += 3;
				} else if (!strncmp(p, "SNAKE", 5)) {
					sb_puts(&sb, snake);
					p += 5;
				} else {
					sb_add(&sb, p++, 1);
				}
			}
			if (k->sec == AS_IRONPASS && !strcmp(kinds[i].what, "wrong section"))
				continue;
			snprintf(what, sizeof(what), "'%s', %s", name, kinds[i].what);
			check_hidden(what, name, sb.buf, 0);
			check_hidden(what, name, sb.buf, ANSWER_PARTIAL | ANSWER_ALLOW_PROFILE);
			sb_release(&sb);
		}
		/* the key's own check, and snake_case spelling of it */
		n_bad = invalid_values(k, bad, ARRAY_SIZE(bad));
		if (k->valid || k->type == AKT_ENUM || k->type == AKT_CHOICE)
			assert_true(n_bad > 0);
		for (size_t i = 0; i < n_bad; i++) {
			struct strbuf sb = { 0 };
			char what[200];

			sb_printf(&sb, "[%s]\n%s = %s\n", sec, name, bad[i]);
			snprintf(what, sizeof(what), "'%s', invalid value %s", name, bad[i]);
			check_hidden(what, name, sb.buf, ANSWER_PARTIAL);
			sb.len = 0;
			sb_printf(&sb, "[%s]\n%s = %s\n", sec, snake, bad[i]);
			snprintf(what, sizeof(what), "'%s', invalid value %s", snake, bad[i]);
			check_hidden(what, name, sb.buf, ANSWER_PARTIAL);
			sb_release(&sb);
		}
	}
	/* root-password, root-password-hashed, auth-token at least */
	assert_true(n_secret >= 3);
}

/* Both password keys at once: named, neither value shown. */
static void test_both_passwords(void **state)
{
	(void)state;
	check_hidden("both passwords", "root-password-hashed",
		     "[global]\nroot-password = \"" MARK "-long-enough\"\n"
		     "root-password-hashed = \"$y$" MARK "\"\n", ANSWER_PARTIAL);
}

/* URL keys: user info and query never shown; a value that is no URL not at all. */
static void test_url_values(void **state)
{
	static const char *const texts[] = {
		"[first-boot]\nsource = \"from-url\"\nurl = \"https://u:" MARK "@h.example/x?t="
		MARK "\"\n",
		"[first-boot]\nsource = \"from-url\"\nurl = \"u:" MARK "@h.example/x\"\n",
		"[first-boot]\nsource = \"from-url\"\nurl = \"https://h.example/x?t=" MARK
		" y\"\n",
		"[post-installation-webhook]\nurl = \"https://t:" MARK "@h.example/hook\"\n",
		"[ironpass]\npve-repository = \"ftp://u:" MARK "@h.example/pve\"\n",
		"[profile]\nname = \"p\"\nmirror = \"https://u:" MARK "@h.example:x/d\"\n",
		"[passthrough]\nkernel-args = [\"a=https://u:" MARK "@h.example/x?t=" MARK
		" b\"]\n",
		"[profile]\nname = \"p\"\nboot-args = [\"ironpass.answer=http://h.example/a?t="
		MARK "\", \"ironpass.answer=http://h.example/a?t=" MARK "\"]\n",
	};
	size_t n_errors;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		char *got = diags_of(texts[i], ANSWER_PARTIAL | ANSWER_ALLOW_PROFILE, &n_errors);

		if (!n_errors || strstr(got, "Zq7"))
			fail_msg("input %zu:\n%s--- gave:\n%s", i, texts[i], got);
		free(got);
	}
	/* what is shown of a URL: scheme, host and path */
	{
		char *got = diags_of(texts[0], ANSWER_PARTIAL, &n_errors);

		assert_non_null(strstr(got, "invalid 'url' value 'https://h.example/x': must not "
					    "hold a user name or password"));
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_secret_key),
		cmocka_unit_test(test_both_passwords),
		cmocka_unit_test(test_url_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
