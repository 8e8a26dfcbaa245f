// SPDX-License-Identifier: GPL-2.0-or-later
/* TOML lexing: positions and errors, the encoding check, white space and
 * comments, and (dotted) keys. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml-internal.h"

struct toml_pos toml_pos_at(struct toml_parser *p, size_t off)
{
	struct toml_pos pos;
	size_t i;

	if (off > p->len)
		off = p->len;
	if (p->cur_line == 0) {
		p->cur_off = p->start;
		p->cur_line = 1;
		p->cur_col = 1;
	}
	if (off < p->cur_off) {
		/* back up: count the newlines in between, then find the line start */
		for (i = off; i < p->cur_off; i++)
			if (p->buf[i] == '\n')
				p->cur_line--;
		i = off;
		while (i > p->start && p->buf[i - 1] != '\n')
			i--;
		p->cur_off = i;
		p->cur_col = 1;
	}
	for (i = p->cur_off; i < off; i++) {
		unsigned char c = (unsigned char)p->buf[i];

		if (c == '\n') {
			p->cur_line++;
			p->cur_col = 1;
		} else if ((c & 0xc0) != 0x80) {
			p->cur_col++;
		}
	}
	p->cur_off = off;
	pos.line = p->cur_line;
	pos.col = p->cur_col;
	return pos;
}

int toml_fail(struct toml_parser *p, size_t off, int code, const char *fmt, ...)
{
	struct toml_pos pos = toml_pos_at(p, off);
	va_list ap;

	p->err->line = pos.line;
	p->err->col = pos.col;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return code;
}

/* Length of the UTF-8 sequence at @s (at most @n bytes), 0 when invalid. */
static size_t toml_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;	/* no surrogates */
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/*
 * TOML allows no control character but tab anywhere (newlines aside), and
 * the whole document must be UTF-8; checking that once up front keeps the
 * rest of the lexer simple.
 */
int toml_check_encoding(struct toml_parser *p)
{
	const unsigned char *s = (const unsigned char *)p->buf;
	size_t i = p->start, n;

	while (i < p->len) {
		unsigned char c = s[i];

		if (c >= 0x80) {
			n = toml_utf8_len(s + i, p->len - i);
			/* the byte is not shown: it may be part of a password */
			if (!n)
				return toml_fail(p, i, -EINVAL, "invalid UTF-8 (the file must be UTF-8)");
			i += n;
			continue;
		}
		if (c == '\r' && (i + 1 >= p->len || s[i + 1] != '\n'))
			return toml_fail(p, i, -EINVAL, "carriage return not followed by a line feed");
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return toml_fail(p, i, -EINVAL, "control character is not allowed (write "
					 "it as an escape in a \"string\")");
		i++;
	}
	return 0;
}

void toml_skip_ws(struct toml_parser *p)
{
	while (p->off < p->len && (p->buf[p->off] == ' ' || p->buf[p->off] == '\t'))
		p->off++;
}

bool toml_at_newline(const struct toml_parser *p)
{
	int c = toml_peek(p, 0);

	return c == '\n' || c == '\r';
}

void toml_skip_comment(struct toml_parser *p)
{
	if (toml_peek(p, 0) != '#')
		return;
	while (p->off < p->len && !toml_at_newline(p))
		p->off++;
}

void toml_skip_ws_nl(struct toml_parser *p)
{
	for (;;) {
		toml_skip_ws(p);
		toml_skip_comment(p);
		if (toml_peek(p, 0) == '\r')
			p->off += 2;	/* CR is always followed by LF */
		else if (toml_peek(p, 0) == '\n')
			p->off++;
		else
			return;
	}
}

bool toml_is_bare_key_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* Writes text into @buf for a message, escaping what would not print. */
void toml_quote_text(const char *s, size_t len, char *buf, size_t size)
{
	struct strbuf sb = { 0 };
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (sb.len >= TOML_MAX_KEY_NAME && (c & 0xc0) != 0x80)
			break;	/* cut between characters only */

		if (c < 0x20 || c == 0x7f)
			sb_printf(&sb, "\\u%04X", c);
		else
			sb_add(&sb, (const char *)&c, 1);
	}
	if (i < len)
		sb_puts(&sb, "...");
	snprintf(buf, size, "%s", sb.buf && !sb.err ? sb.buf : "");
	sb_release(&sb);
}

void toml_key_name(const struct toml_key *key, size_t n, char *buf, size_t size)
{
	struct strbuf sb = { 0 };
	char part[TOML_MAX_KEY_NAME + 32];
	size_t i, j;

	for (i = 0; i < n && i < key->n; i++) {
		const struct toml_keypart *kp = &key->parts[i];
		bool bare = kp->len > 0;

		for (j = 0; j < kp->len; j++)
			bare = bare && toml_is_bare_key_char((unsigned char)kp->s[j]);
		toml_quote_text(kp->s, kp->len, part, sizeof(part));
		if (i)
			sb_add(&sb, ".", 1);
		if (bare)
			sb_puts(&sb, part);
		else
			sb_printf(&sb, "\"%s\"", part);
		if (sb.len > TOML_MAX_KEY_NAME && i + 1 < n && i + 1 < key->n) {
			sb_puts(&sb, ".(...)");
			break;
		}
	}
	snprintf(buf, size, "%s", sb.buf && !sb.err ? sb.buf : "");
	sb_release(&sb);
}

const char *toml_value_of(const struct toml_parser *p, char *buf, size_t size)
{
	char name[TOML_MAX_KEY_NAME + 32];

	if (!p->vkey || !p->vkey->n) {
		snprintf(buf, size, "%s", "");
		return buf;
	}
	toml_key_name(p->vkey, p->vkey->n, name, sizeof(name));
	snprintf(buf, size, " for '%s'", name);
	return buf;
}

void toml_key_release(struct toml_key *key)
{
	size_t i;

	for (i = 0; i < key->n; i++)
		free(key->parts[i].s);
	free(key->parts);
	key->parts = NULL;
	key->n = key->cap = 0;
}

static int toml_key_add(struct toml_parser *p, struct toml_key *key, const char *s, size_t len,
			size_t off)
{
	struct toml_keypart *kp;

	if (key->n == key->cap) {
		size_t cap = key->cap ? key->cap * 2 : 4;

		kp = realloc(key->parts, cap * sizeof(*kp));
		if (!kp)
			return toml_fail(p, off, -ENOMEM, "out of memory");
		key->parts = kp;
		key->cap = cap;
	}
	kp = &key->parts[key->n];
	kp->s = malloc(len + 1);
	if (!kp->s)
		return toml_fail(p, off, -ENOMEM, "out of memory");
	memcpy(kp->s, s, len);
	kp->s[len] = '\0';
	kp->len = len;
	kp->off = off;
	kp->end = p->off;	/* the part has just been read */
	kp->pos = toml_pos_at(p, off);
	key->n++;
	return 0;
}

int toml_lex_key(struct toml_parser *p, struct toml_key *key)
{
	struct strbuf sb = { 0 };
	int ret = 0;

	for (;;) {
		size_t start = p->off;
		int c = toml_peek(p, 0);

		if (c == '"' || c == '\'') {
			ret = toml_lex_string(p, &sb, false);
			if (ret < 0)
				break;
			ret = toml_key_add(p, key, sb.buf, sb.len, start);
		} else if (toml_is_bare_key_char(c)) {
			while (toml_is_bare_key_char(toml_peek(p, 0)))
				p->off++;
			ret = toml_key_add(p, key, p->buf + start, p->off - start, start);
		} else if (c < 0 || c == '\n' || c == '\r') {
			ret = toml_fail(p, start, -EINVAL, "expected a key before the end of %s",
					c < 0 ? "the file" : "the line");
		} else if (c >= 0x80) {
			ret = toml_fail(p, start, -EINVAL, "expected a key, not a non-ASCII character "
					"(quote keys that are not A-Za-z0-9_-)");
		} else {
			ret = toml_fail(p, start, -EINVAL, "expected a key, not '%c'", c);
		}
		if (ret < 0)
			break;
		toml_skip_ws(p);
		if (toml_peek(p, 0) != '.')
			break;
		p->off++;
		toml_skip_ws(p);
	}
	sb_release(&sb);
	return ret;
}
