/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_TOML_H
#define IRONPASS_TOML_H

/*
 * Folder lib/toml/: the TOML 1.0 parser, self-contained: toml.h is its
 * interface, toml-internal.h is for its own files only. Like all of lib/, it
 * includes nothing from builder/ or installer/.
 */

/*
 * A strict TOML 1.0 parser. Debian ships no C TOML library, so this one is
 * ours. It builds a tree of toml_value nodes; every node remembers where it
 * started (line and column, both 1-based, columns counted in characters) so
 * that the answer-file schema can point at the exact spot of a problem.
 *
 * Errors come back in struct toml_error as "file:line:col: what was
 * expected". An error about a value names its key and never quotes the
 * value's text: it may be a password or a token ("invalid value for
 * 'root-password' (strings need quotes)"). Limits: TOML_MAX_DEPTH nesting
 * levels, TOML_MAX_INPUT bytes.
 *
 * Values and keys also remember their bytes in the input (struct
 * toml_span), so that a caller can rewrite exactly one key = value and
 * keep everything else as written.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOML_MAX_DEPTH 64
#define TOML_MAX_INPUT (16u * 1024 * 1024)

enum toml_type {
	TOML_TABLE,
	TOML_ARRAY,
	TOML_STRING,
	TOML_INTEGER,
	TOML_FLOAT,
	TOML_BOOL,
	TOML_DATETIME,		/* offset date-time */
	TOML_DATETIME_LOCAL,
	TOML_DATE_LOCAL,
	TOML_TIME_LOCAL,
};

struct toml_pos {
	unsigned line, col;
};

struct toml_datetime {
	int year, month, day;
	int hour, minute, second;
	unsigned nanosecond;
	int frac_digits;	/* digits written after the decimal point (0..9, more truncated) */
	bool offset_z;		/* written as 'Z' */
	int offset_minutes;	/* only for TOML_DATETIME */
};

struct toml_value;
struct toml_index;

/* Bytes [off, end) of the parsed buffer; both 0 when the node was not written as text */
struct toml_span {
	size_t off, end;
};

struct toml_kv {
	char *key;		/* NUL-terminated; keylen for keys holding NUL */
	size_t keylen;
	struct toml_pos key_pos;
	/* the key's last part as written, quotes included ("b" of a.b = 1); only for
	 * keys of key = value lines, not for tables named by [headers] */
	struct toml_span key_span;
	struct toml_value *value;
};

struct toml_value {
	enum toml_type type;
	struct toml_pos pos;
	struct toml_span span;	/* the value as written (quotes included), for values only */
	union {
		struct {
			struct toml_kv *items;
			size_t len, cap;
			unsigned flags;		/* parser-internal: how it was defined */
			struct toml_index *index;	/* parser-internal: hash index of keys */
		} table;
		struct {
			struct toml_value **items;
			size_t len, cap;
			unsigned flags;		/* parser-internal: static or array of tables */
		} array;
		struct {
			char *ptr;		/* NUL-terminated, UTF-8 */
			size_t len;
		} str;
		int64_t integer;
		double fp;
		bool boolean;
		struct toml_datetime dt;
	} u;
};

struct toml_error {
	char file[256];
	unsigned line, col;
	char msg[512];		/* without the file:line:col prefix */
};

/* Parse @len bytes. @filename is only used in messages. 0 or negative errno (-EINVAL on syntax). */
int toml_parse(const char *buf, size_t len, const char *filename, struct toml_value **out,
	       struct toml_error *err);
int toml_parse_file(const char *path, struct toml_value **out, struct toml_error *err);

/* Returns NULL; accepts NULL. */
struct toml_value *toml_free(struct toml_value *v);

/* "file:line:col: msg" into buf */
const char *toml_error_str(const struct toml_error *err, char *buf, size_t size);

const char *toml_type_name(enum toml_type t);

/* Lookups; NULL when absent or when @t is not a table/array. */
const struct toml_value *toml_get(const struct toml_value *t, const char *key);
size_t toml_table_len(const struct toml_value *t);
const struct toml_kv *toml_table_at(const struct toml_value *t, size_t i);
size_t toml_array_len(const struct toml_value *a);
const struct toml_value *toml_array_at(const struct toml_value *a, size_t i);

#endif
