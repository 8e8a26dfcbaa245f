// SPDX-License-Identifier: GPL-2.0-or-later
/* TOML dates and times (RFC 3339 with TOML's relaxations: a space or 't'
 * between date and time, 'z' for UTC, local forms without an offset). */
#include <errno.h>
#include <string.h>

#include "toml-internal.h"

static bool dt_digits(const char *s, size_t n, size_t at, size_t count, int *val)
{
	size_t i;

	*val = 0;
	if (at + count > n)
		return false;
	for (i = at; i < at + count; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*val = *val * 10 + (s[i] - '0');
	}
	return true;
}

static bool dt_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int dt_mdays(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && dt_leap(y) ? 29 : days[m - 1];
}

/* HH:MM:SS[.frac] at @at; returns the end or 0 */
static size_t dt_time(const char *s, size_t n, size_t at, struct toml_datetime *dt,
		      const char **why)
{
	size_t i;

	if (!dt_digits(s, n, at, 2, &dt->hour) || at + 2 >= n || s[at + 2] != ':' ||
	    !dt_digits(s, n, at + 3, 2, &dt->minute)) {
		*why = "expected a time as HH:MM:SS";
		return 0;
	}
	if (at + 5 >= n || s[at + 5] != ':' || !dt_digits(s, n, at + 6, 2, &dt->second)) {
		*why = "expected seconds (HH:MM:SS)";
		return 0;
	}
	if (dt->hour > 23 || dt->minute > 59 || dt->second > 60) {
		*why = "time out of range";
		return 0;
	}
	i = at + 8;
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9') {
			*why = "expected digits after the decimal point";
			return 0;
		}
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			if (dt->frac_digits >= 9)
				continue;	/* truncated, not rounded */
			dt->nanosecond = dt->nanosecond * 10 + (unsigned)(s[i] - '0');
			dt->frac_digits++;
		}
		for (int k = dt->frac_digits; k < 9; k++)
			dt->nanosecond *= 10;
	}
	return i;
}

int toml_datetime_parse(const char *s, size_t n, enum toml_type *type, struct toml_datetime *dt,
			const char **why)
{
	size_t i;
	int oh, om;

	memset(dt, 0, sizeof(*dt));
	if (n >= 3 && s[2] == ':') {
		i = dt_time(s, n, 0, dt, why);
		if (!i)
			return -EINVAL;
		*type = TOML_TIME_LOCAL;
		goto end;
	}
	if (!dt_digits(s, n, 0, 4, &dt->year) || n < 5 || s[4] != '-' ||
	    !dt_digits(s, n, 5, 2, &dt->month) || n < 8 || s[7] != '-' ||
	    !dt_digits(s, n, 8, 2, &dt->day)) {
		*why = "expected a date as YYYY-MM-DD";
		return -EINVAL;
	}
	if (dt->month < 1 || dt->month > 12 || dt->day < 1 ||
	    dt->day > dt_mdays(dt->year, dt->month)) {
		*why = "date out of range";
		return -EINVAL;
	}
	i = 10;
	*type = TOML_DATE_LOCAL;
	if (i == n)
		return 0;
	if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') {
		*why = "expected 'T' or a space between date and time";
		return -EINVAL;
	}
	i = dt_time(s, n, i + 1, dt, why);
	if (!i)
		return -EINVAL;
	*type = TOML_DATETIME_LOCAL;
	if (i == n)
		return 0;
	*type = TOML_DATETIME;
	if (s[i] == 'Z' || s[i] == 'z') {
		dt->offset_z = true;
		i++;
		goto end;
	}
	if ((s[i] != '+' && s[i] != '-') || !dt_digits(s, n, i + 1, 2, &oh) || i + 3 >= n ||
	    s[i + 3] != ':' || !dt_digits(s, n, i + 4, 2, &om)) {
		*why = "expected a time offset as 'Z' or +HH:MM";
		return -EINVAL;
	}
	if (oh > 23 || om > 59) {
		*why = "time offset out of range";
		return -EINVAL;
	}
	dt->offset_minutes = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
	i += 6;
end:
	if (i != n) {
		*why = "unexpected characters after the time";
		return -EINVAL;
	}
	return 0;
}

/*
 * @s starts with something date-like. Returns how many bytes belong to the
 * value: the bare token, plus " HH:MM..." when a date is followed by a space
 * and a time.
 */
size_t toml_datetime_span(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (toml_is_bare_key_char((unsigned char)s[i]) || s[i] == ':' ||
			 s[i] == '.' || s[i] == '+'))
		i++;
	if (i == 10 && i + 3 < n && s[i] == ' ' && s[i + 1] >= '0' && s[i + 1] <= '9' &&
	    s[i + 2] >= '0' && s[i + 2] <= '9' && s[i + 3] == ':') {
		i++;
		while (i < n && (toml_is_bare_key_char((unsigned char)s[i]) || s[i] == ':' ||
				 s[i] == '.' || s[i] == '+'))
			i++;
	}
	return i;
}
