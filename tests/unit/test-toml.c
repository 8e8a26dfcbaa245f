// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/toml: value types, lookups, positions and byte spans, exact error
 * messages with line:col (never quoting a value), and the depth and size
 * limits. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "toml/toml.h"
#include "util.h"

/* Parses a copy without a trailing NUL, so that ASan sees any read past the end. */
static int parse_exact(const char *text, size_t len, struct toml_value **root,
		       struct toml_error *err)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, text, len);
	ret = toml_parse(copy, len, "t.toml", root, err);
	free(copy);
	return ret;
}

static struct toml_value *parse_ok(const char *text)
{
	struct toml_value *root = NULL;
	struct toml_error err;
	char buf[1024];
	int ret = parse_exact(text, strlen(text), &root, &err);

	if (ret < 0)
		fail_msg("unexpected error: %s", toml_error_str(&err, buf, sizeof(buf)));
	assert_non_null(root);
	return root;
}

/* "line:col: message" of a failed parse */
static const char *parse_err(const char *text, size_t len, char *buf, size_t size)
{
	struct toml_value *root = NULL;
	struct toml_error err;
	int ret = parse_exact(text, len, &root, &err);

	if (ret == 0) {
		toml_free(root);
		fail_msg("accepted: %s", text);
	}
	assert_null(root);
	snprintf(buf, size, "%u:%u: %s", err.line, err.col, err.msg);
	return buf;
}

static void test_types(void **state)
{
	struct toml_value *r = parse_ok("s = \"tab\\there \\u00e9\\U0001F600\"\n");
	const struct toml_value *v;

	(void)state;
	v = toml_get(r, "s");
	assert_int_equal(v->type, TOML_STRING);
	assert_string_equal(v->u.str.ptr, "tab\there \xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(v->u.str.len, 15);
	toml_free(r);

	r = parse_ok("i = -9_223_372_036_854_775_808\nh = 0xdead_BEEF\no = 0o755\nb = 0b1010\n"
		     "f = 6.626e-34\nninf = -inf\nn = +nan\nt = true\n"
		     "odt = 1979-05-27 07:32:00.123456789999-07:30\nldt = 1979-05-27t07:32:00\n"
		     "ld = 2000-02-29\nlt = 23:59:60.5\nlit = 'C:\\x'\n"
		     "ml = \"\"\"\nab \\\n    cd\"\"\"\"\"\nmll = '''\r\nx\r\n'''\n");
	assert_int_equal(toml_get(r, "i")->u.integer, INT64_MIN);
	assert_int_equal(toml_get(r, "h")->u.integer, 0xdeadbeef);
	assert_int_equal(toml_get(r, "o")->u.integer, 0755);
	assert_int_equal(toml_get(r, "b")->u.integer, 10);
	v = toml_get(r, "f");
	assert_int_equal(v->type, TOML_FLOAT);
	assert_true(v->u.fp == 6.626e-34);
	assert_true(isinf(toml_get(r, "ninf")->u.fp) && toml_get(r, "ninf")->u.fp < 0);
	assert_true(isnan(toml_get(r, "n")->u.fp));
	assert_int_equal(toml_get(r, "t")->type, TOML_BOOL);
	assert_true(toml_get(r, "t")->u.boolean);

	v = toml_get(r, "odt");
	assert_int_equal(v->type, TOML_DATETIME);
	assert_int_equal(v->u.dt.year, 1979);
	assert_int_equal(v->u.dt.day, 27);
	assert_int_equal(v->u.dt.minute, 32);
	assert_int_equal(v->u.dt.nanosecond, 123456789);
	assert_int_equal(v->u.dt.frac_digits, 9);
	assert_int_equal(v->u.dt.offset_minutes, -450);
	assert_false(v->u.dt.offset_z);
	v = toml_get(r, "ldt");
	assert_int_equal(v->type, TOML_DATETIME_LOCAL);
	assert_int_equal(v->u.dt.hour, 7);
	v = toml_get(r, "ld");
	assert_int_equal(v->type, TOML_DATE_LOCAL);
	assert_int_equal(v->u.dt.month, 2);
	v = toml_get(r, "lt");
	assert_int_equal(v->type, TOML_TIME_LOCAL);
	assert_int_equal(v->u.dt.second, 60);
	assert_int_equal(v->u.dt.nanosecond, 500000000);
	assert_int_equal(v->u.dt.frac_digits, 1);
	assert_string_equal(toml_get(r, "lit")->u.str.ptr, "C:\\x");
	assert_string_equal(toml_get(r, "ml")->u.str.ptr, "ab cd\"\"");
	assert_string_equal(toml_get(r, "mll")->u.str.ptr, "x\n");
	toml_free(r);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	struct strbuf sb = { 0 };
	size_t i;

	sb_puts(&sb, head);
	for (i = 0; i < n; i++)
		sb_puts(&sb, unit);
	sb_puts(&sb, tail);
	assert_int_equal(sb.err, 0);
	return sb_detach(&sb);
}

/* Long numbers are fine as long as they fit; long names are cut in messages. */
static void test_long_tokens(void **state)
{
	struct toml_value *r;
	char buf[1024], *s, *t;

	(void)state;
	s = repeat("pi = 3.", "14159265358979323846", 50, "\n");
	r = parse_ok(s);
	assert_true(fabs(toml_get(r, "pi")->u.fp - 3.14159265358979) < 1e-12);
	toml_free(r);
	free(s);
	s = repeat("x = 1", "0", 5000, "\n");
	assert_string_equal(parse_err(s, strlen(s), buf, sizeof(buf)),
			    "1:5: invalid value for 'x': too long");
	free(s);

	s = repeat("\"", "\xc3\xa9", 300, "\" = 1\n");
	t = repeat(s, "", 0, s);
	parse_err(t, strlen(t), buf, sizeof(buf));
	/* 100 two-byte characters, then "...", all valid UTF-8 */
	assert_int_equal(strlen(buf), strlen("2:1: key '\"") + 200 + strlen("...\"' is already "
						"defined at line 1"));
	assert_non_null(strstr(buf, "\xc3\xa9...\"' is already defined at line 1"));
	free(s);
	free(t);
}

static void test_tables_and_lookups(void **state)
{
	struct toml_value *r = parse_ok(
		"\xef\xbb\xbftitle = \"x\"\n"
		"a.b.c = 1\n"
		"\"quoted key\".'lit' = 2\n"
		"nul = { \"\\u0000\" = 3 }\n"
		"[srv]\n"
		"ports = [ 80, \"mixed\", [ 1 ], { x = 1 }, ]\n"
		"[[disk]]\n"
		"name = \"sda\"\n"
		"[disk.opt]\n"
		"fast = true\n"
		"[[disk]]\n"
		"name = \"sdb\"\n");
	const struct toml_value *v, *d;
	const struct toml_kv *kv;

	(void)state;
	assert_int_equal(r->type, TOML_TABLE);
	assert_int_equal(toml_table_len(r), 6);
	kv = toml_table_at(r, 0);
	assert_string_equal(kv->key, "title");
	assert_null(toml_table_at(r, 6));
	assert_int_equal(toml_get(toml_get(toml_get(r, "a"), "b"), "c")->u.integer, 1);
	assert_int_equal(toml_get(toml_get(r, "quoted key"), "lit")->u.integer, 2);
	kv = toml_table_at(toml_get(r, "nul"), 0);
	assert_int_equal(kv->keylen, 1);
	assert_int_equal(kv->key[0], '\0');

	v = toml_get(toml_get(r, "srv"), "ports");
	assert_int_equal(v->type, TOML_ARRAY);
	assert_int_equal(toml_array_len(v), 4);
	assert_int_equal(toml_array_at(v, 1)->type, TOML_STRING);
	assert_int_equal(toml_array_at(v, 2)->type, TOML_ARRAY);
	assert_int_equal(toml_array_at(v, 3)->type, TOML_TABLE);
	assert_null(toml_array_at(v, 4));

	d = toml_get(r, "disk");
	assert_int_equal(toml_array_len(d), 2);
	assert_string_equal(toml_get(toml_array_at(d, 0), "name")->u.str.ptr, "sda");
	assert_true(toml_get(toml_get(toml_array_at(d, 0), "opt"), "fast")->u.boolean);
	assert_string_equal(toml_get(toml_array_at(d, 1), "name")->u.str.ptr, "sdb");
	assert_null(toml_get(toml_array_at(d, 1), "opt"));

	/* lookups on the wrong type or NULL are NULL/0, never a crash */
	assert_null(toml_get(NULL, "x"));
	assert_null(toml_get(d, "x"));
	assert_null(toml_get(r, "missing"));
	assert_int_equal(toml_table_len(d), 0);
	assert_int_equal(toml_array_len(r), 0);
	assert_null(toml_array_at(r, 0));
	assert_null(toml_free(r));
	assert_null(toml_free(NULL));
	assert_string_equal(toml_type_name(TOML_DATETIME_LOCAL), "local date-time");
}

static void test_positions(void **state)
{
	struct toml_value *r = parse_ok(
		"# comment\n"
		"name = \"x\"\n"
		"\t\"\xc3\xa9\".k   =   [1,\n"
		"    2]\n"
		"[ tbl . sub ]\r\n"
		"  v = {a = 1}\n");
	const struct toml_value *v;
	const struct toml_kv *kv;

	(void)state;
	kv = toml_table_at(r, 0);
	assert_int_equal(kv->key_pos.line, 2);
	assert_int_equal(kv->key_pos.col, 1);
	assert_int_equal(kv->value->pos.line, 2);
	assert_int_equal(kv->value->pos.col, 8);

	kv = toml_table_at(r, 1);		/* é: columns count characters */
	assert_string_equal(kv->key, "\xc3\xa9");
	assert_int_equal(kv->key_pos.col, 2);
	kv = toml_table_at(kv->value, 0);
	assert_string_equal(kv->key, "k");
	assert_int_equal(kv->key_pos.line, 3);
	assert_int_equal(kv->key_pos.col, 6);
	assert_int_equal(kv->value->pos.col, 14);
	v = toml_array_at(kv->value, 1);
	assert_int_equal(v->pos.line, 4);
	assert_int_equal(v->pos.col, 5);

	kv = toml_table_at(toml_get(r, "tbl"), 0);
	assert_string_equal(kv->key, "sub");
	assert_int_equal(kv->key_pos.line, 5);
	assert_int_equal(kv->key_pos.col, 9);
	assert_int_equal(kv->value->pos.col, 1);
	kv = toml_table_at(kv->value, 0);
	assert_int_equal(kv->key_pos.line, 6);
	assert_int_equal(kv->key_pos.col, 3);
	v = toml_get(kv->value, "a");
	assert_int_equal(v->pos.col, 12);
	toml_free(r);
}

static const struct {
	const char *in;
	const char *want;
} bad[] = {
	{ "name \"x\"", "1:6: expected '=' after key 'name'" },
	{ "s = \"a\\qb\"", "1:7: invalid escape in string for 's'" },
	{ "\"a\\qb\" = 1", "1:3: invalid escape '\\q' in string" },
	{ "[server]\nx = 1\n\n[server]\n", "4:2: table 'server' is already defined at line 1" },
	{ "a = 1\na = 2\n", "2:1: key 'a' is already defined at line 1" },
	{ "[t]\nx.y = 1\nx.y = 2\n", "3:3: key 'x.y' is already defined at line 2" },
	{ "a.b = 1\n[a.b]\n", "2:4: table 'a.b' is already defined as an integer at line 1" },
	{ "[a]\nb.c = 1\n[a.b]\n", "3:4: table 'a.b' is already defined as a table by dotted "
	  "keys at line 2" },
	{ "a = []\n[[a]]\n", "2:3: cannot define array of tables 'a': it is already defined as "
	  "an array at line 1" },
	{ "[a]\n[[a]]\n", "2:3: cannot define array of tables 'a': it is already defined as "
	  "a table at line 1" },
	{ "[[a]]\n[a]\n", "2:2: table 'a' is already defined as an array of tables at line 1" },
	{ "a = {b = 1}\na.c = 2\n", "2:1: cannot add keys to 'a': it is already defined as an "
	  "inline table at line 1" },
	{ "a = {b = 1}\n[a.c]\n", "2:2: cannot add a table to 'a': it is already defined as an "
	  "inline table at line 1" },
	{ "a = [1]\n[a.b]\n", "2:2: cannot add a table to 'a': it is already defined as an "
	  "array at line 1" },
	{ "[a.b.c]\n[a]\nb.c.d = 1\n", "3:3: cannot add keys to 'b.c': it is already defined "
	  "as a table at line 1" },
	{ "x = {a = 1, a = 2}", "1:13: key 'a' is already defined at line 1" },
	{ "a = {b = 1,}", "1:12: expected a key after ',' (no trailing comma in inline tables)" },
	{ "a = {b = 1\n}", "1:11: expected ',' or '}' before the end of the line (inline tables "
	  "are on one line)" },
	{ "a = {b = 1", "1:5: expected '}' to close the inline table" },
	{ "a = [1 2]", "1:8: expected ',' or ']' after an array element" },
	{ "a = [1,\n2,\n# c\n", "1:5: expected ']' to close the array" },
	{ "a = [,]", "1:6: expected a value for 'a'" },
	{ "a = 01", "1:5: invalid integer for 'a': leading zeros are not allowed" },
	{ "a = 1__0", "1:5: invalid integer for 'a': underscores must sit between digits" },
	{ "a = 0b1_", "1:5: invalid integer for 'a': underscores must sit between digits" },
	{ "a = 1_", "1:5: invalid integer for 'a': underscores must sit between digits" },
	{ "a = 0_0", "1:5: invalid integer for 'a': leading zeros are not allowed" },
	{ "a = +0x10", "1:5: invalid integer for 'a': no sign allowed before 0x" },
	{ "a = 0X10", "1:5: invalid integer for 'a'" },
	{ "a = 9223372036854775808", "1:5: invalid integer for 'a': does not fit in 64 bits" },
	{ "a = -9223372036854775809",
	  "1:5: invalid integer for 'a': does not fit in 64 bits" },
	{ "a = 1.", "1:5: invalid float for 'a'" },
	{ "a = 1e_3", "1:5: invalid float for 'a'" },
	{ "a = 00.1", "1:5: invalid float for 'a': leading zeros are not allowed" },
	{ "a = 1e400", "1:5: invalid float for 'a': out of range" },
	{ "a = .5", "1:5: invalid value for 'a' (strings need quotes)" },
	{ "a = yes", "1:5: invalid value for 'a' (strings need quotes)" },
	{ "a = True", "1:5: invalid value for 'a' (strings need quotes)" },
	{ "a = \"\\ud800\"", "1:6: invalid escape '\\u' for 'a': not a Unicode scalar value" },
	{ "a = \"\\u12\"", "1:6: invalid escape '\\u' for 'a': expected 4 hex digits" },
	{ "a = \"\\x41\"", "1:6: invalid escape in string for 'a'" },
	{ "a = \"abc\nb = 1", "1:9: expected '\"' to close the string for 'a'" },
	{ "a = 'abc", "1:9: expected \"'\" to close the string for 'a'" },
	{ "a = \"\"\"abc", "1:5: unterminated multi-line string for 'a': expected '\"\"\"' to close it" },
	{ "a = \"\"\"\\  x\"\"\"", "1:8: invalid escape: a line-ending backslash must be "
	  "followed only by white space and a newline" },
	{ "a = 1979-02-29", "1:5: invalid date-time for 'a': date out of range" },
	{ "a = 12:60:00", "1:5: invalid date-time for 'a': time out of range" },
	{ "a = 1979-05-27T07:32", "1:5: invalid date-time for 'a': expected seconds "
	  "(HH:MM:SS)" },
	{ "a = 1979-05-27T07:32:00+24:00", "1:5: invalid date-time for 'a': "
	  "time offset out of range" },
	{ "a = true x", "1:10: expected a newline after the value" },
	{ "[a] b = 1", "1:5: expected a newline after the table header" },
	{ "[a", "1:3: expected ']' after table name 'a'" },
	{ "[[a]", "1:4: expected ']]' after table name 'a'" },
	{ "[[a] ]", "1:4: expected ']]' after table name 'a'" },
	{ "[]", "1:2: expected a key, not ']'" },
	{ "= 1", "1:1: expected a key, not '='" },
	{ "a =", "1:4: expected a value for 'a' before the end of the file" },
	{ "a =\nb = 1", "1:4: expected a value for 'a' before the end of the line" },
	{ "a.\n= 1", "1:3: expected a key before the end of the line" },
	{ "\xc3\xa9 = 1", "1:1: expected a key, not a non-ASCII character (quote keys that are "
	  "not A-Za-z0-9_-)" },
	{ "a = \"\xc3\xa9\" \xc3\xa9", "1:9: expected a newline after the value" },
	{ "a = 1\rb = 2", "1:6: carriage return not followed by a line feed" },
	{ "a = \"\x01\"", "1:6: control character is not allowed (write it as an escape in a \"string\")" },
	{ "# \x7f\n", "1:3: control character is not allowed (write it as an escape in a \"string\")" },
	{ "a = 1\nb = \"\xff\"", "2:6: invalid UTF-8 (the file must be UTF-8)" },
	{ "a = \"\xed\xa0\x80\"", "1:6: invalid UTF-8 (the file must be UTF-8)" },
	{ "a = \"\xc0\xaf\"", "1:6: invalid UTF-8 (the file must be UTF-8)" },
};

static void test_errors(void **state)
{
	char buf[1024];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *got = parse_err(bad[i].in, strlen(bad[i].in), buf, sizeof(buf));

		if (strcmp(got, bad[i].want))
			fail_msg("input %zu %s\n  got:  %s\n  want: %s", i, bad[i].in, got,
				 bad[i].want);
	}
	/* a NUL byte is a control character too */
	assert_string_equal(parse_err("a = \"\0\"", 7, buf, sizeof(buf)),
			    "1:6: control character is not allowed (write it as an escape in a \"string\")");
}

/*
 * A value that fails to parse is never quoted in the error: it may be a
 * password or a token written without quotes. The error names the key
 * instead. Every input holds the marker "Zq7Mark"; no message may hold
 * any of it (not even "Zq7"), and each names the key it is about.
 */
static void test_value_errors_hide_text(void **state)
{
	static const struct {
		const char *in;
		const char *key;
	} cases[] = {
		{ "root-password = Zq7Mark\n", "root-password" },
		{ "root-password = Zq7Mark word\n", "root-password" },
		{ "[global]\nroot-password = Zq7Mark\n", "root-password" },
		{ "global.root-password = Zq7Mark\n", "global.root-password" },
		{ "global = { root-password = Zq7Mark }\n", "root-password" },
		{ "global = { keyboard = \"de\", \"root-password\" = Zq7Mark }\n", "root-password" },
		{ "auth-token = [\"a\", Zq7Mark]\n", "auth-token" },
		{ "k = !Zq7Mark\n", "k" },
		{ "k = ,Zq7Mark\n", "k" },
		{ "k = 0Zq7Mark\n", "k" },
		{ "k = 1Zq7Mark\n", "k" },
		{ "k = +Zq7Mark\n", "k" },
		{ "k = 0xZq7Mark\n", "k" },
		{ "k = 1.5Zq7Mark\n", "k" },
		{ "k = 1e5Zq7Mark\n", "k" },
		{ "k = 99999999999999999999Zq7Mark\n", "k" },
		{ "k = 2024-01-01Zq7Mark\n", "k" },
		{ "k = 12:00:0Zq7Mark\n", "k" },
		{ "k = \"Zq7Mark\\q\"\n", "k" },
		{ "k = \"Zq7\\uD800Mark\"\n", "k" },
		{ "k = \"Zq7\\UZq7Mark\"\n", "k" },
		{ "k = \"\"\"Zq7Mark\\x\"\"\"\n", "k" },
		{ "k = \"Zq7Mark\\\tx\"\n", "k" },
	};
	char buf[1024], want[128];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *got = parse_err(cases[i].in, strlen(cases[i].in), buf, sizeof(buf));

		snprintf(want, sizeof(want), "'%s'", cases[i].key);
		if (strstr(got, "Zq7") || strstr(got, "Mark"))
			fail_msg("input %zu %s: the value is in the message: %s", i, cases[i].in,
				 got);
		if (!strstr(got, want))
			fail_msg("input %zu %s: the key %s is not named: %s", i, cases[i].in, want,
				 got);
	}
	/* the long-value message quotes no digits either */
	{
		char *s = repeat("k = 1", "7", 5000, "\n");

		parse_err(s, strlen(s), buf, sizeof(buf));
		assert_null(strstr(buf, "177"));
		assert_non_null(strstr(buf, "'k'"));
		free(s);
	}
	/* a byte that is not UTF-8 or a control character: its position, not its value */
	parse_err("k = \"Zq7\xe4Mark\"\n", 16, buf, sizeof(buf));
	assert_string_equal(buf, "1:9: invalid UTF-8 (the file must be UTF-8)");
	parse_err("k = \"Zq7\x01Mark\"\n", 16, buf, sizeof(buf));
	assert_string_equal(buf, "1:9: control character is not allowed (write it as an escape "
				 "in a \"string\")");
	/* errors in a key still quote the key: keys are no secrets */
	assert_string_equal(parse_err("\"a\\qb\" = 1", 10, buf, sizeof(buf)),
			    "1:3: invalid escape '\\q' in string");
}

/* Keys and values remember their bytes, so that one key = value can be rewritten. */
static void test_spans(void **state)
{
	const char *text = "a = \"x\" # c\n[t]\n\"q k\" = 'v'\nd.e = { f = [1, 2] }\n"
			   "m = \"\"\"\nl1\nl2\"\"\"\n";
	const struct toml_value *t, *d;
	const struct toml_kv *kv;
	struct toml_value *r;

	(void)state;
	r = parse_ok(text);
#define SPAN_IS(sp, want) do { \
		assert_int_equal((sp).end - (sp).off, strlen(want)); \
		assert_memory_equal(text + (sp).off, want, strlen(want)); \
	} while (0)
	kv = toml_table_at(r, 0);
	SPAN_IS(kv->key_span, "a");
	SPAN_IS(kv->value->span, "\"x\"");
	t = toml_get(r, "t");
	assert_int_equal(t->span.off, 0);	/* a [header] table has no text of its own */
	kv = toml_table_at(t, 0);
	SPAN_IS(kv->key_span, "\"q k\"");
	SPAN_IS(kv->value->span, "'v'");
	kv = toml_table_at(t, 1);		/* d: made by the dotted key, no span */
	assert_int_equal(kv->key_span.end, 0);
	d = kv->value;
	kv = toml_table_at(d, 0);
	SPAN_IS(kv->key_span, "e");
	SPAN_IS(kv->value->span, "{ f = [1, 2] }");
	kv = toml_table_at(kv->value, 0);
	SPAN_IS(kv->key_span, "f");
	SPAN_IS(kv->value->span, "[1, 2]");
	SPAN_IS(toml_array_at(kv->value, 1)->span, "2");
	kv = toml_table_at(t, 2);
	SPAN_IS(kv->key_span, "m");
	SPAN_IS(kv->value->span, "\"\"\"\nl1\nl2\"\"\"");
#undef SPAN_IS
	toml_free(r);
}

static void test_error_str(void **state)
{
	struct toml_value *r;
	struct toml_error err;
	char buf[256];

	(void)state;
	assert_int_equal(toml_parse("x = ?", 5, "answer.toml", &r, &err), -EINVAL);
	assert_null(r);
	assert_string_equal(toml_error_str(&err, buf, sizeof(buf)),
			    "answer.toml:1:5: expected a value for 'x' (strings need quotes)");
	assert_int_equal(toml_parse_file("/nonexistent/ironpass.toml", &r, &err), -ENOENT);
	assert_string_equal(toml_error_str(&err, buf, sizeof(buf)),
			    "/nonexistent/ironpass.toml: cannot open file: No such file or directory");
	/* a NULL error pointer is allowed */
	assert_int_equal(toml_parse("x = ?", 5, NULL, &r, NULL), -EINVAL);
}

static void test_depth_limit(void **state)
{
	struct toml_value *r;
	struct toml_error err;
	char *s, *t;
	char buf[128], want[128];

	(void)state;
	/* 64 nested arrays are fine, 65 are not */
	s = repeat("a = ", "[", TOML_MAX_DEPTH, "");
	t = repeat(s, "]", TOML_MAX_DEPTH, "\n");
	toml_free(parse_ok(t));
	free(s);
	free(t);
	s = repeat("a = ", "[", TOML_MAX_DEPTH + 1, "");
	t = repeat(s, "]", TOML_MAX_DEPTH + 1, "\n");
	snprintf(want, sizeof(want), "1:%d: nesting deeper than %d levels", 5 + TOML_MAX_DEPTH,
		 TOML_MAX_DEPTH);
	assert_string_equal(parse_err(t, strlen(t), buf, sizeof(buf)), want);
	free(s);
	free(t);

	/* a million unclosed brackets or braces: a clean error, no stack overflow */
	s = repeat("a = ", "[{x=", 1000000, "");
	assert_int_equal(toml_parse(s, strlen(s), NULL, &r, &err), -EINVAL);
	assert_string_equal(err.msg, "nesting deeper than 64 levels");
	free(s);

	/* long dotted keys and table headers are nesting too */
	s = repeat("", "a.", 100000, "a = 1\n");
	assert_int_equal(toml_parse(s, strlen(s), NULL, &r, &err), -EINVAL);
	assert_string_equal(err.msg, "nesting deeper than 64 levels");
	free(s);
	s = repeat("[", "a.", 100000, "a]\n");
	assert_int_equal(toml_parse(s, strlen(s), NULL, &r, &err), -EINVAL);
	assert_string_equal(err.msg, "nesting deeper than 64 levels");
	free(s);
}

static void test_size_limit(void **state)
{
	size_t n = TOML_MAX_INPUT + 1;
	struct toml_value *r;
	struct toml_error err;
	char *s = malloc(n);
	char path[] = "/tmp/ironpass-toml-XXXXXX";
	FILE *f;
	int fd;

	(void)state;
	assert_non_null(s);
	memset(s, '#', n);
	assert_int_equal(toml_parse(s, n, "big.toml", &r, &err), -EFBIG);
	assert_null(r);
	assert_string_equal(err.msg, "input is larger than 16777216 bytes");
	/* one byte less is a (long) comment */
	assert_int_equal(toml_parse(s, n - 1, "big.toml", &r, &err), 0);
	toml_free(r);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	fclose(f);
	assert_int_equal(toml_parse_file(path, &r, &err), -EFBIG);
	unlink(path);
	free(s);
}

/* Many keys in one table and many tables: lookups use the index. */
static void test_big_table(void **state)
{
	struct strbuf sb = { 0 };
	struct toml_value *r;
	char key[32];
	int i;

	(void)state;
	for (i = 0; i < 20000; i++)
		sb_printf(&sb, "k%d = %d\n[t%d]\nx = %d\n[[t%d.a]]\n[root%d]\n", i, i, i, i, i, i);
	assert_int_equal(sb.err, 0);
	r = parse_ok(sb.buf);
	assert_int_equal(toml_table_len(r), 20000 * 2 + 1);
	for (i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "t%d", i);
		assert_int_equal(toml_get(toml_get(r, key), "x")->u.integer, i);
	}
	snprintf(key, sizeof(key), "k%d", 0);
	assert_int_equal(toml_get(r, key)->u.integer, 0);
	assert_null(toml_get(r, "k1"));	/* k1 lives in [root0] */
	toml_free(r);
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_long_tokens),
		cmocka_unit_test(test_tables_and_lookups),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_value_errors_hide_text),
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_error_str),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_big_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
