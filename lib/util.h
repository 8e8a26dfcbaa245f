/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_UTIL_H
#define IRONPASS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_(fn) __attribute__((cleanup(fn)))
#define _cleanup_free_ _cleanup_(freep)

/* Checked number parsing: the whole string must be a number (no sign for u64). */
int ip_strtou64(const char *s, int base, uint64_t *val);
int ip_strtoi64(const char *s, int base, int64_t *val);
int ip_strtouint(const char *s, int base, unsigned *val);
/* The value of one hex digit (either case), or -1 */
int hex_digit(int c);

/*
 * A growing string buffer; sb.buf is always NUL-terminated once anything was
 * added. With @wipe set (before the first add) it may hold a secret: every
 * copy it gives up (growing, printf scratch, sb_release) is wiped first.
 */
struct strbuf {
	char *buf;
	size_t len, cap;
	int err;		/* sticky -ENOMEM */
	bool wipe;
};

void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
/* Hand the buffer over (caller frees, and wipes if it holds a secret); NULL after an
 * allocation failure. */
char *sb_detach(struct strbuf *sb);
void sb_release(struct strbuf *sb);

/* Byte string helpers */
bool str_startswith(const char *s, const char *prefix);
bool str_endswith(const char *s, const char *suffix);
/*
 * A bearer token as one line of a file: @len bytes at @s, a trailing
 * newline (CR too) cut off in place; then non-empty printable ASCII without
 * spaces (nothing that could end an HTTP header). Returns the new length,
 * or -EINVAL.
 */
int str_token_line(char *s, size_t len);
/* fnmatch-style glob with * ? [..] (no special handling of '/'). */
bool str_glob(const char *pattern, const char *s);

char *xstrdup_or_null(const char *s);

#endif
