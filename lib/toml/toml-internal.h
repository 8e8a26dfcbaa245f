/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_TOML_INTERNAL_H
#define IRONPASS_TOML_INTERNAL_H

/*
 * Private to lib/toml/toml-*.c: the parser state shared by the lexer, the scalar
 * readers and the document parser, and the tree helpers.
 */

#include <stdarg.h>

#include "toml.h"
#include "util.h"

/* How a table came to exist (toml_value.u.table.flags) */
#define TOML_T_IMPLICIT	0x1u	/* as a parent in a [a.b] header */
#define TOML_T_HEADER	0x2u	/* defined by its own [header] or [[header]] */
#define TOML_T_DOTTED	0x4u	/* created by a dotted key a.b = 1 */
#define TOML_T_INLINE	0x8u	/* an inline table { }: closed for good */

/* toml_value.u.array.flags */
#define TOML_A_STATIC	0x1u	/* an array value [ ]: closed for good */
#define TOML_A_TABLES	0x2u	/* made by [[header]] */

#define TOML_MAX_KEY_NAME 200	/* longest key text quoted in a message */

struct toml_key;

struct toml_parser {
	const char *buf;
	size_t len;
	size_t off;		/* next byte to read */
	size_t start;		/* after the BOM */
	const char *file;
	struct toml_error *err;
	int depth;		/* current nesting (tables, arrays, dotted parts) */
	/* a cursor to turn byte offsets into line:col without rescanning */
	size_t cur_off;
	unsigned cur_line, cur_col;
	/* the key whose value is being read (NULL while reading a key): errors in a
	 * value name this key and never quote the value's text */
	const struct toml_key *vkey;
};

/* One part of a dotted key */
struct toml_keypart {
	char *s;
	size_t len;
	size_t off;		/* where it starts in the input */
	size_t end;		/* just after it (after the closing quote) */
	struct toml_pos pos;
};

struct toml_key {
	struct toml_keypart *parts;
	size_t n, cap;
};

/* toml-lex.c and toml-string.c */
struct toml_pos toml_pos_at(struct toml_parser *p, size_t off);
int toml_fail(struct toml_parser *p, size_t off, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int toml_check_encoding(struct toml_parser *p);
static inline int toml_peek(const struct toml_parser *p, size_t ahead)
{
	return p->off + ahead < p->len ? (unsigned char)p->buf[p->off + ahead] : -1;
}
static inline bool toml_eof(const struct toml_parser *p)
{
	return p->off >= p->len;
}
void toml_skip_ws(struct toml_parser *p);
bool toml_at_newline(const struct toml_parser *p);
void toml_skip_comment(struct toml_parser *p);
/* Spaces, tabs, comments and newlines (inside arrays) */
void toml_skip_ws_nl(struct toml_parser *p);
bool toml_is_bare_key_char(int c);
/* Reads any of the four string forms at p->off into @sb. */
int toml_lex_string(struct toml_parser *p, struct strbuf *sb, bool allow_multi);
/* Reads a (dotted) key; ws around the dots is skipped. */
int toml_lex_key(struct toml_parser *p, struct toml_key *key);
void toml_key_release(struct toml_key *key);
/* "a.b.\"c d\"" for messages, first @n parts */
void toml_key_name(const struct toml_key *key, size_t n, char *buf, size_t size);
void toml_quote_text(const char *s, size_t len, char *buf, size_t size);
/* " for 'a.b'" while the value of key a.b is read, else "": for messages about a value */
const char *toml_value_of(const struct toml_parser *p, char *buf, size_t size);
#define TOML_VALUE_OF_MAX (TOML_MAX_KEY_NAME + 48)

/* toml-scalar.c: numbers, booleans, dates and times */
int toml_lex_scalar(struct toml_parser *p, struct toml_value *v);

/* toml-datetime.c: @s (length @n) is a date, time or date-time; 0, or -EINVAL with @why set */
int toml_datetime_parse(const char *s, size_t n, enum toml_type *type, struct toml_datetime *dt,
			const char **why);
/* How many bytes of @s starting a date-time (including a space separator) */
size_t toml_datetime_span(const char *s, size_t n);

/* toml-parse.c and toml-table.c */
struct toml_ctx {
	struct toml_parser p;
	struct toml_value *root, *cur;
	struct strbuf sb;
};

int toml_nomem(struct toml_ctx *c, size_t off);
int toml_too_deep(struct toml_ctx *c, size_t off);
/* Stores @v under the dotted @key in @t; @v belongs to the tree afterwards. */
int toml_insert_kv(struct toml_ctx *c, struct toml_value *t, const struct toml_key *key,
		   struct toml_value *v);
/* [key] or [[key]] (aot): makes c->cur the table that follows */
int toml_define_table(struct toml_ctx *c, const struct toml_key *key, struct toml_pos open,
		      bool aot);

/* toml-value.c */
struct toml_value *toml_new(enum toml_type type, struct toml_pos pos);
struct toml_kv *toml_table_find(struct toml_value *t, const char *key, size_t keylen);
/* Adds key -> v (v owned by the table afterwards, also on failure); NULL on ENOMEM */
struct toml_kv *toml_table_add(struct toml_value *t, const char *key, size_t keylen,
			       struct toml_pos key_pos, struct toml_value *v);
int toml_array_push(struct toml_value *a, struct toml_value *v);

#endif
