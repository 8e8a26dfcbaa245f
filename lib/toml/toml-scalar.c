// SPDX-License-Identifier: GPL-2.0-or-later
/* TOML bare values: integers (decimal, 0x, 0o, 0b), floats (with inf and
 * nan), booleans, and the dispatch to dates and times. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "toml-internal.h"

#define TOML_MAX_NUMBER 4096	/* longest number text we read */

static bool sc_isdigit(int c, int base)
{
	switch (base) {
	case 2:
		return c == '0' || c == '1';
	case 8:
		return c >= '0' && c <= '7';
	case 16:
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	default:
		return c >= '0' && c <= '9';
	}
}

/* A run of digits with single underscores between digits; at least one digit. */
static bool sc_digits_ok(const char *s, size_t n, int base)
{
	size_t i;

	if (!n || !sc_isdigit((unsigned char)s[0], base) ||
	    !sc_isdigit((unsigned char)s[n - 1], base))
		return false;
	for (i = 1; i < n; i++) {
		if (s[i] == '_' && s[i - 1] != '_')
			continue;
		if (!sc_isdigit((unsigned char)s[i], base))
			return false;
	}
	return true;
}

static int sc_digit_val(int c)
{
	if (c >= 'a')
		return c - 'a' + 10;
	if (c >= 'A')
		return c - 'A' + 10;
	return c - '0';
}

/*
 * "WHAT for 'key': WHY". The value's text is never quoted: it may be a
 * password or a token written without quotes.
 */
static int sc_fail(struct toml_parser *p, size_t off, int code, const char *what,
		   const char *why)
{
	char of[TOML_VALUE_OF_MAX];

	return toml_fail(p, off, code, "%s%s%s%s", what, toml_value_of(p, of, sizeof(of)),
			 why ? ": " : "", why ? why : "");
}

static int sc_integer(struct toml_parser *p, const char *s, size_t n, struct toml_value *v)
{
	size_t start = p->off, i = 0;
	bool neg = false;
	uint64_t acc = 0, limit;
	int base = 10;

	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i = 1;
	}
	if (n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o' || s[i + 1] == 'b')) {
		base = s[i + 1] == 'x' ? 16 : s[i + 1] == 'o' ? 8 : 2;
		if (i)
			return sc_fail(p, start, -EINVAL, "invalid integer",
				       s[i + 1] == 'x' ? "no sign allowed before 0x" :
				       s[i + 1] == 'o' ? "no sign allowed before 0o" :
				       "no sign allowed before 0b");
		i += 2;
	} else if (n - i > 1 && s[i] == '0' &&
		   (sc_isdigit((unsigned char)s[i + 1], 10) || s[i + 1] == '_')) {
		return sc_fail(p, start, -EINVAL, "invalid integer", "leading zeros are not allowed");
	}
	if (!sc_digits_ok(s + i, n - i, base)) {
		size_t j = i;

		while (j < n && (s[j] == '_' || sc_isdigit((unsigned char)s[j], base)))
			j++;
		if (i < n && j == n)
			return sc_fail(p, start, -EINVAL, "invalid integer",
				       "underscores must sit between digits");
		return sc_fail(p, start, -EINVAL, "invalid integer", NULL);
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		unsigned d;

		if (s[i] == '_')
			continue;
		d = (unsigned)sc_digit_val((unsigned char)s[i]);
		if (acc > (limit - d) / (unsigned)base)
			return sc_fail(p, start, -ERANGE, "invalid integer",
				       "does not fit in 64 bits");
		acc = acc * (unsigned)base + d;
	}
	v->type = TOML_INTEGER;
	if (neg)
		v->u.integer = acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc;
	else
		v->u.integer = (int64_t)acc;
	return 0;
}

static double sc_strtod(const char *s)
{
	static locale_t c_locale;
	double d;

	if (!c_locale)
		c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c_locale)
		return strtod_l(s, NULL, c_locale);
	d = strtod(s, NULL);
	return d;
}

static int sc_float(struct toml_parser *p, const char *s, size_t n, struct toml_value *v)
{
	size_t start = p->off, i = 0, j, dot = 0, exp = 0, intend;
	char *clean;
	size_t k = 0;

	if (s[0] == '+' || s[0] == '-')
		i = 1;
	for (j = i; j < n; j++) {
		if (s[j] == '.' && !dot && !exp)
			dot = j;
		else if ((s[j] == 'e' || s[j] == 'E') && !exp)
			exp = j;
	}
	intend = dot ? dot : exp;
	if (!sc_digits_ok(s + i, intend - i, 10))
		goto bad;
	if (intend - i > 1 && s[i] == '0')
		return sc_fail(p, start, -EINVAL, "invalid float", "leading zeros are not allowed");
	if (dot && !sc_digits_ok(s + dot + 1, (exp ? exp : n) - dot - 1, 10))
		goto bad;
	if (exp) {
		j = exp + 1;
		if (j < n && (s[j] == '+' || s[j] == '-'))
			j++;
		if (!sc_digits_ok(s + j, n - j, 10))
			goto bad;
	}
	clean = malloc(n + 1);
	if (!clean)
		return toml_fail(p, start, -ENOMEM, "out of memory");
	for (j = 0; j < n; j++)
		if (s[j] != '_')
			clean[k++] = s[j];
	clean[k] = '\0';
	v->type = TOML_FLOAT;
	v->u.fp = sc_strtod(clean);
	free(clean);
	if (isinf(v->u.fp))
		return sc_fail(p, start, -ERANGE, "invalid float", "out of range");
	return 0;
bad:
	return sc_fail(p, start, -EINVAL, "invalid float", NULL);
}

static bool sc_is_datetime(const char *s, size_t n)
{
	if (n >= 5 && sc_isdigit(s[0], 10) && sc_isdigit(s[1], 10) && sc_isdigit(s[2], 10) &&
	    sc_isdigit(s[3], 10) && s[4] == '-')
		return true;
	return n >= 3 && sc_isdigit(s[0], 10) && sc_isdigit(s[1], 10) && s[2] == ':';
}

int toml_lex_scalar(struct toml_parser *p, struct toml_value *out)
{
	struct toml_value tmp = { 0 }, *v = &tmp;
	const char *s = p->buf + p->off;
	size_t avail = p->len - p->off, n = 0;
	char of[TOML_VALUE_OF_MAX];
	const char *why;
	int ret;

	toml_value_of(p, of, sizeof(of));
	while (n < avail && (toml_is_bare_key_char((unsigned char)s[n]) || s[n] == '+' ||
			     s[n] == '.' || s[n] == ':'))
		n++;
	if (!n) {
		if (toml_at_newline(p) || toml_eof(p))
			return toml_fail(p, p->off, -EINVAL, "expected a value%s before the end of %s",
					 of, toml_eof(p) ? "the file" : "the line");
		/* the character is not quoted: it may start a secret */
		return toml_fail(p, p->off, -EINVAL, "expected a value%s%s", of,
				 strchr(",]}", s[0]) ? "" : " (strings need quotes)");
	}
	if (n > TOML_MAX_NUMBER)
		return toml_fail(p, p->off, -EINVAL, "invalid value%s: too long", of);
	if (sc_is_datetime(s, n)) {
		n = toml_datetime_span(s, avail);
		if (toml_datetime_parse(s, n, &v->type, &v->u.dt, &why) < 0)
			return toml_fail(p, p->off, -EINVAL, "invalid date-time%s: %s", of, why);
		ret = 0;
	} else if ((n == 4 && !memcmp(s, "true", 4)) || (n == 5 && !memcmp(s, "false", 5))) {
		v->type = TOML_BOOL;
		v->u.boolean = n == 4;
		ret = 0;
	} else if ((n == 3 || (n == 4 && (s[0] == '+' || s[0] == '-'))) &&
		   (!memcmp(s + n - 3, "inf", 3) || !memcmp(s + n - 3, "nan", 3))) {
		v->type = TOML_FLOAT;
		if (s[n - 3] == 'i')
			v->u.fp = s[0] == '-' ? -INFINITY : INFINITY;
		else
			v->u.fp = s[0] == '-' ? -NAN : NAN;
		ret = 0;
	} else if (s[0] != '+' && s[0] != '-' && !sc_isdigit(s[0], 10)) {
		ret = toml_fail(p, p->off, -EINVAL, "invalid value%s (strings need quotes)", of);
	} else if (!(n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) &&
		   (memchr(s, '.', n) || memchr(s, 'e', n) || memchr(s, 'E', n))) {
		ret = sc_float(p, s, n, v);
	} else {
		ret = sc_integer(p, s, n, v);
	}
	if (ret == 0) {
		p->off += n;
		out->type = tmp.type;
		out->u = tmp.u;
	}
	return ret;
}
