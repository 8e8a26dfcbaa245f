// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

int ip_strtou64(const char *s, int base, uint64_t *val)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno)
		return -errno;
	if (*end)
		return -EINVAL;
	*val = v;
	return 0;
}

int ip_strtoi64(const char *s, int base, int64_t *val)
{
	long long v;
	char *end;

	if (!s || !*s || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, base);
	if (errno)
		return -errno;
	if (*end)
		return -EINVAL;
	*val = v;
	return 0;
}

int ip_strtouint(const char *s, int base, unsigned *val)
{
	uint64_t v;
	int ret = ip_strtou64(s, base, &v);

	if (ret < 0)
		return ret;
	if (v > UINT32_MAX)
		return -ERANGE;
	*val = (unsigned)v;
	return 0;
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->err)
		return;
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 256;
		char *nb;

		while (cap < sb->len + n + 1)
			cap *= 2;
		if (sb->wipe) {
			/* by hand: realloc would free the old copy without wiping it */
			nb = malloc(cap);
			if (nb && sb->buf) {
				memcpy(nb, sb->buf, sb->len + 1);
				explicit_bzero(sb->buf, sb->cap);
				free(sb->buf);
			}
		} else {
			nb = realloc(sb->buf, cap);
		}
		if (!nb) {
			sb->err = -ENOMEM;
			return;
		}
		sb->buf = nb;
		sb->cap = cap;
	}
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	char small[256];
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		sb->err = -EINVAL;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		sb_add(sb, small, n);
		if (sb->wipe)
			explicit_bzero(small, sizeof(small));
		return;
	}
	char *big = malloc(n + 1);

	if (sb->wipe)
		explicit_bzero(small, sizeof(small));
	if (!big) {
		sb->err = -ENOMEM;
		return;
	}
	vsnprintf(big, n + 1, fmt, ap);
	sb_add(sb, big, n);
	if (sb->wipe)
		explicit_bzero(big, n + 1);
	free(big);
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

char *sb_detach(struct strbuf *sb)
{
	char *s;

	if (sb->err) {
		sb_release(sb);
		return NULL;
	}
	s = sb->buf ? sb->buf : strdup("");
	*sb = (struct strbuf){ 0 };
	return s;
}

void sb_release(struct strbuf *sb)
{
	bool wipe = sb->wipe;

	if (wipe && sb->buf)
		explicit_bzero(sb->buf, sb->cap);
	free(sb->buf);
	*sb = (struct strbuf){ .wipe = wipe };
}

bool str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_endswith(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

int str_token_line(char *s, size_t len)
{
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		s[--len] = '\0';
	if (!len)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return -EINVAL;
	return (int)len;
}

bool str_glob(const char *pattern, const char *s)
{
	return fnmatch(pattern, s, 0) == 0;
}

char *xstrdup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
