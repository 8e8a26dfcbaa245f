// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The toml-test suite (TOML 1.0.0 file list): every valid case must parse
 * and, turned into the suite's tagged JSON, equal the expected .json; every
 * invalid case must be rejected. Skips (77) when $TOML_TEST_DIR is missing.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "toml/toml.h"

static char suite_dir[4096];

/* ---- our tree as tagged JSON ---- */

static json_object *tag(const char *type, const char *value)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(o, "value", json_object_new_string(value));
	return o;
}

static void fmt_time(char *buf, size_t size, const struct toml_datetime *dt)
{
	char frac[16];

	snprintf(frac, sizeof(frac), "%09u", dt->nanosecond);
	if (dt->frac_digits > 0)
		snprintf(buf, size, "%02d:%02d:%02d.%.*s", dt->hour, dt->minute, dt->second,
			 dt->frac_digits, frac);
	else
		snprintf(buf, size, "%02d:%02d:%02d", dt->hour, dt->minute, dt->second);
}

static json_object *to_json(const struct toml_value *v)
{
	char buf[128], t[64], off[16];
	json_object *o;
	size_t i;

	switch (v->type) {
	case TOML_TABLE:
		o = json_object_new_object();
		for (i = 0; i < toml_table_len(v); i++) {
			const struct toml_kv *kv = toml_table_at(v, i);

			json_object_object_add(o, kv->key, to_json(kv->value));
		}
		return o;
	case TOML_ARRAY:
		o = json_object_new_array();
		for (i = 0; i < toml_array_len(v); i++)
			json_object_array_add(o, to_json(toml_array_at(v, i)));
		return o;
	case TOML_STRING:
		o = json_object_new_object();
		json_object_object_add(o, "type", json_object_new_string("string"));
		json_object_object_add(o, "value",
				       json_object_new_string_len(v->u.str.ptr, (int)v->u.str.len));
		return o;
	case TOML_INTEGER:
		snprintf(buf, sizeof(buf), "%" PRId64, v->u.integer);
		return tag("integer", buf);
	case TOML_FLOAT:
		if (isnan(v->u.fp))
			snprintf(buf, sizeof(buf), "nan");
		else if (isinf(v->u.fp))
			snprintf(buf, sizeof(buf), "%sinf", v->u.fp < 0 ? "-" : "");
		else
			snprintf(buf, sizeof(buf), "%.17g", v->u.fp);
		return tag("float", buf);
	case TOML_BOOL:
		return tag("bool", v->u.boolean ? "true" : "false");
	case TOML_DATE_LOCAL:
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d", v->u.dt.year, v->u.dt.month,
			 v->u.dt.day);
		return tag("date-local", buf);
	case TOML_TIME_LOCAL:
		fmt_time(buf, sizeof(buf), &v->u.dt);
		return tag("time-local", buf);
	case TOML_DATETIME_LOCAL:
	case TOML_DATETIME:
		fmt_time(t, sizeof(t), &v->u.dt);
		off[0] = '\0';
		if (v->type == TOML_DATETIME && v->u.dt.offset_z)
			snprintf(off, sizeof(off), "Z");
		else if (v->type == TOML_DATETIME)
			snprintf(off, sizeof(off), "%c%02d:%02d", v->u.dt.offset_minutes < 0 ? '-' : '+',
				 abs(v->u.dt.offset_minutes) / 60, abs(v->u.dt.offset_minutes) % 60);
		snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%s%s", v->u.dt.year, v->u.dt.month,
			 v->u.dt.day, t, off);
		return tag(v->type == TOML_DATETIME ? "datetime" : "datetime-local", buf);
	}
	return NULL;
}

/* ---- semantic comparison ---- */

static bool is_tagged(json_object *o)
{
	json_object *t, *v;

	return json_object_get_type(o) == json_type_object && json_object_object_length(o) == 2 &&
	       json_object_object_get_ex(o, "type", &t) && json_object_object_get_ex(o, "value", &v) &&
	       json_object_is_type(t, json_type_string) && json_object_is_type(v, json_type_string);
}

/* 't' and ' ' separators -> 'T', 'z' -> 'Z', +00:00/-00:00 -> Z, trailing fraction zeros dropped */
static void norm_datetime(const char *in, char *out, size_t size)
{
	char tmp[128];
	size_t i, n = 0, dot = 0;

	snprintf(tmp, sizeof(tmp), "%s", in);
	for (i = 0; tmp[i] && n + 1 < size; i++) {
		char c = tmp[i];

		if (i == 10 && (c == 't' || c == ' '))
			c = 'T';
		if (c == 'z')
			c = 'Z';
		if (c == '.')
			dot = n;
		if (dot && !(c >= '0' && c <= '9') && c != '.') {
			/* end of the fraction: trim zeros */
			while (n > dot && (out[n - 1] == '0'))
				n--;
			if (n == dot + 1)
				n = dot;
			dot = 0;
		}
		out[n++] = c;
	}
	if (dot) {
		while (n > dot && out[n - 1] == '0')
			n--;
		if (n == dot + 1)
			n = dot;
	}
	out[n] = '\0';
	if (n >= 6 && (!strcmp(out + n - 6, "+00:00") || !strcmp(out + n - 6, "-00:00"))) {
		out[n - 6] = 'Z';
		out[n - 5] = '\0';
	}
}

static bool leaf_equal(const char *type, const char *a, const char *b)
{
	char na[128], nb[128];

	if (!strcmp(type, "integer")) {
		char *ea, *eb;
		long long x, y;

		errno = 0;
		x = strtoll(a, &ea, 10);
		y = strtoll(b, &eb, 10);
		return !errno && !*ea && !*eb && x == y;
	}
	if (!strcmp(type, "float")) {
		double x = strtod(a, NULL), y = strtod(b, NULL);

		if (isnan(x) || isnan(y))
			return isnan(x) && isnan(y);
		return x == y;
	}
	if (!strncmp(type, "date", 4) || !strcmp(type, "time-local")) {
		norm_datetime(a, na, sizeof(na));
		norm_datetime(b, nb, sizeof(nb));
		return !strcmp(na, nb);
	}
	return !strcmp(a, b);
}

static bool json_equal(json_object *got, json_object *want, const char *where, FILE *log)
{
	char sub[1024];
	size_t i, n;

	if (is_tagged(want)) {
		json_object *gt, *gv, *wt, *wv;
		const char *wtype;

		if (!is_tagged(got)) {
			fprintf(log, "  %s: expected a %s value\n", where, "tagged");
			return false;
		}
		json_object_object_get_ex(got, "type", &gt);
		json_object_object_get_ex(got, "value", &gv);
		json_object_object_get_ex(want, "type", &wt);
		json_object_object_get_ex(want, "value", &wv);
		wtype = json_object_get_string(wt);
		if (!strcmp(json_object_get_string(gt), wtype) &&
		    (strcmp(wtype, "string") ?
		     leaf_equal(wtype, json_object_get_string(gv), json_object_get_string(wv)) :
		     (json_object_get_string_len(gv) == json_object_get_string_len(wv) &&
		      !memcmp(json_object_get_string(gv), json_object_get_string(wv),
			      (size_t)json_object_get_string_len(wv)))))
			return true;
		fprintf(log, "  %s: got %s '%s', expected %s '%s'\n", where,
			json_object_get_string(gt), json_object_get_string(gv), wtype,
			json_object_get_string(wv));
		return false;
	}
	if (json_object_get_type(want) == json_type_array) {
		if (json_object_get_type(got) != json_type_array ||
		    json_object_array_length(got) != json_object_array_length(want)) {
			fprintf(log, "  %s: array differs\n", where);
			return false;
		}
		n = json_object_array_length(want);
		for (i = 0; i < n; i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", where, i);
			if (!json_equal(json_object_array_get_idx(got, i),
					json_object_array_get_idx(want, i), sub, log))
				return false;
		}
		return true;
	}
	if (json_object_get_type(want) == json_type_object) {
		if (json_object_get_type(got) != json_type_object || is_tagged(got) ||
		    json_object_object_length(got) != json_object_object_length(want)) {
			fprintf(log, "  %s: table differs (%d keys, expected %d)\n", where,
				json_object_get_type(got) == json_type_object ?
				json_object_object_length(got) : -1,
				json_object_object_length(want));
			return false;
		}
		json_object_object_foreach(want, key, val) {
			json_object *g;

			snprintf(sub, sizeof(sub), "%s.%s", where, key);
			if (!json_object_object_get_ex(got, key, &g)) {
				fprintf(log, "  %s: missing\n", sub);
				return false;
			}
			if (!json_equal(g, val, sub, log))
				return false;
		}
		return true;
	}
	fprintf(log, "  %s: unexpected JSON in the expected file\n", where);
	return false;
}

/* ---- running the list ---- */

static bool run_valid(const char *rel)
{
	char path[8192], jpath[8192], msg[1024];
	struct toml_value *root;
	struct toml_error err;
	json_object *got, *want;
	bool ok;

	snprintf(path, sizeof(path), "%s/tests/%s", suite_dir, rel);
	snprintf(jpath, sizeof(jpath), "%.*s.json", (int)strlen(path) - 5, path);
	if (toml_parse_file(path, &root, &err) < 0) {
		fprintf(stderr, "FAIL %s: %s\n", rel, toml_error_str(&err, msg, sizeof(msg)));
		return false;
	}
	want = json_object_from_file(jpath);
	if (!want) {
		fprintf(stderr, "FAIL %s: cannot read expected JSON\n", rel);
		toml_free(root);
		return false;
	}
	got = to_json(root);
	ok = json_equal(got, want, "", stderr);
	if (!ok)
		fprintf(stderr, "FAIL %s: differs from the expected JSON\n", rel);
	json_object_put(got);
	json_object_put(want);
	toml_free(root);
	return ok;
}

static bool run_invalid(const char *rel)
{
	char path[8192];
	struct toml_value *root;
	struct toml_error err;

	snprintf(path, sizeof(path), "%s/tests/%s", suite_dir, rel);
	if (toml_parse_file(path, &root, &err) < 0) {
		if (!strcmp(err.msg, "") || err.line == 0) {
			fprintf(stderr, "FAIL %s: rejected without a position or message\n", rel);
			return false;
		}
		return true;
	}
	fprintf(stderr, "FAIL %s: accepted\n", rel);
	toml_free(root);
	return false;
}

static void test_suite(void **state)
{
	unsigned vpass = 0, vtotal = 0, ipass = 0, itotal = 0;
	char list[8192], line[1024];
	FILE *f;

	(void)state;
	snprintf(list, sizeof(list), "%s/tests/files-toml-1.0.0", suite_dir);
	f = fopen(list, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n");

		line[n] = '\0';
		if (n < 5 || strcmp(line + n - 5, ".toml"))
			continue;
		if (!strncmp(line, "valid/", 6)) {
			vtotal++;
			vpass += run_valid(line);
		} else if (!strncmp(line, "invalid/", 8)) {
			itotal++;
			ipass += run_invalid(line);
		}
	}
	fclose(f);
	printf("toml-test 1.0.0: valid %u/%u passed, invalid %u/%u rejected\n", vpass, vtotal, ipass,
	       itotal);
	fflush(stdout);
	assert_true(vtotal > 0 && itotal > 0);
	assert_int_equal(vpass, vtotal);
	assert_int_equal(ipass, itotal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suite),
	};
	const char *dir = getenv("TOML_TEST_DIR");
	struct stat st;

	if (!dir || !*dir)
		dir = "../shared/toml-test";
	snprintf(suite_dir, sizeof(suite_dir), "%s", dir);
	if (stat(suite_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		printf("toml-test suite not found at '%s': skipped\n", suite_dir);
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
