// SPDX-License-Identifier: GPL-2.0-or-later
/* TOML strings: basic and literal, single- and multi-line, with every
 * escape (\uXXXX, \UXXXXXXXX as Unicode scalar values) and the
 * line-ending backslash. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toml-internal.h"

static void toml_put_utf8(struct strbuf *sb, unsigned long cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	sb_add(sb, b, n);
}

static int toml_unicode_escape(struct toml_parser *p, struct strbuf *sb, size_t esc, int ndig)
{
	char of[TOML_VALUE_OF_MAX];
	unsigned long cp = 0;
	int i, d;

	for (i = 0; i < ndig; i++) {
		d = hex_digit(toml_peek(p, 0));
		if (d < 0)
			return toml_fail(p, esc, -EINVAL,
					 "invalid escape '\\%c'%s: expected %d hex digits",
					 ndig == 4 ? 'u' : 'U', toml_value_of(p, of, sizeof(of)), ndig);
		cp = cp * 16 + (unsigned long)d;
		p->off++;
	}
	/* the code point is not shown: in a value it is a piece of what may be a secret */
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return toml_fail(p, esc, -EINVAL,
				 "invalid escape '\\%c'%s: not a Unicode scalar value",
				 ndig == 4 ? 'u' : 'U', toml_value_of(p, of, sizeof(of)));
	toml_put_utf8(sb, cp);
	return 0;
}

/* p->off is just after a backslash */
static int toml_escape(struct toml_parser *p, struct strbuf *sb, bool multi)
{
	size_t esc = p->off - 1;
	int c = toml_peek(p, 0);
	char of[TOML_VALUE_OF_MAX];
	char ch;

	switch (c) {
	case 'b': ch = '\b'; break;
	case 't': ch = '\t'; break;
	case 'n': ch = '\n'; break;
	case 'f': ch = '\f'; break;
	case 'r': ch = '\r'; break;
	case '"': ch = '"'; break;
	case '\\': ch = '\\'; break;
	case 'u':
		p->off++;
		return toml_unicode_escape(p, sb, esc, 4);
	case 'U':
		p->off++;
		return toml_unicode_escape(p, sb, esc, 8);
	case ' ':
	case '\t':
	case '\r':
	case '\n':
		if (!multi)
			goto bad;
		/* line-ending backslash: only white space up to the newline */
		toml_skip_ws(p);
		if (!toml_at_newline(p))
			goto bad;
		while (p->off < p->len) {
			c = toml_peek(p, 0);
			if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
				break;
			p->off++;
		}
		return 0;
	default:
		goto bad;
	}
	p->off++;
	sb_add(sb, &ch, 1);
	return 0;
bad:
	toml_value_of(p, of, sizeof(of));
	if (c < 0)
		return toml_fail(p, esc, -EINVAL, "unterminated string%s", of);
	if (multi && (c == ' ' || c == '\t'))
		return toml_fail(p, esc, -EINVAL, "invalid escape: a line-ending backslash "
				 "must be followed only by white space and a newline");
	if (c == '\t')
		return toml_fail(p, esc, -EINVAL, "invalid escape '\\<tab>' in string%s", of);
	if (c == '\r' || c == '\n')
		return toml_fail(p, esc, -EINVAL, "invalid escape: a line-ending backslash "
				 "needs a multi-line string");
	/* in a value, the character after the backslash is a piece of what may be a secret */
	if (c >= 0x80 || p->vkey)
		return toml_fail(p, esc, -EINVAL, "invalid escape in string%s", of);
	return toml_fail(p, esc, -EINVAL, "invalid escape '\\%c' in string", c);
}

/* Closing run of quotes in a multi-line string: 3 to 5 quotes close it. */
static bool toml_ml_close(struct toml_parser *p, struct strbuf *sb, char q)
{
	size_t n = 0;

	while (n < 5 && toml_peek(p, n) == q)
		n++;
	if (n < 3) {
		sb_add(sb, p->buf + p->off, n);
		p->off += n;
		return false;
	}
	sb_add(sb, p->buf + p->off, n - 3);
	p->off += n;
	return true;
}

static int toml_lex_multi(struct toml_parser *p, struct strbuf *sb, char q, size_t start)
{
	char of[TOML_VALUE_OF_MAX];

	p->off += 3;
	if (toml_peek(p, 0) == '\r')
		p->off += 2;
	else if (toml_peek(p, 0) == '\n')
		p->off++;
	for (;;) {
		int c = toml_peek(p, 0);
		size_t run = p->off;
		int ret;

		if (c < 0)
			return toml_fail(p, start, -EINVAL, "unterminated multi-line string%s: "
					 "expected %s to close it", toml_value_of(p, of, sizeof(of)),
					 q == '"' ? "'\"\"\"'" : "\"'''\"");
		if (c == q) {
			if (toml_ml_close(p, sb, q))
				return 0;
			continue;
		}
		if (c == '\\' && q == '"') {
			p->off++;
			ret = toml_escape(p, sb, true);
			if (ret < 0)
				return ret;
			continue;
		}
		if (c == '\r') {
			sb_add(sb, "\n", 1);
			p->off += 2;
			continue;
		}
		/* copy a run of plain bytes */
		while (p->off < p->len && p->buf[p->off] != q && p->buf[p->off] != '\\' &&
		       p->buf[p->off] != '\r')
			p->off++;
		if (p->off == run) {
			sb_add(sb, "\\", 1);	/* backslash in a literal string */
			p->off++;
		} else {
			sb_add(sb, p->buf + run, p->off - run);
		}
	}
}

int toml_lex_string(struct toml_parser *p, struct strbuf *sb, bool allow_multi)
{
	size_t start = p->off;
	char q = p->buf[p->off];
	char of[TOML_VALUE_OF_MAX];
	int ret;

	sb->len = 0;
	sb_add(sb, "", 0);
	if (allow_multi && toml_peek(p, 1) == q && toml_peek(p, 2) == q)
		ret = toml_lex_multi(p, sb, q, start);
	else {
		p->off++;
		for (;;) {
			int c = toml_peek(p, 0);
			size_t run = p->off;

			if (c < 0 || c == '\n' || c == '\r')
				return toml_fail(p, p->off, -EINVAL,
						 "expected %s to close the string%s",
						 q == '"' ? "'\"'" : "\"'\"",
						 toml_value_of(p, of, sizeof(of)));
			if (c == q) {
				p->off++;
				break;
			}
			if (c == '\\' && q == '"') {
				p->off++;
				ret = toml_escape(p, sb, false);
				if (ret < 0)
					return ret;
				continue;
			}
			while (p->off < p->len && p->buf[p->off] != q && p->buf[p->off] != '\n' &&
			       p->buf[p->off] != '\r' && (p->buf[p->off] != '\\' || q == '\''))
				p->off++;
			sb_add(sb, p->buf + run, p->off - run);
		}
		ret = 0;
	}
	if (!ret && sb->err)
		return toml_fail(p, start, -ENOMEM, "out of memory");
	return ret;
}
