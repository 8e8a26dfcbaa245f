// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TOML document: lines of key/value pairs and [table] headers, array
 * and inline-table values; toml-table.c decides where each one goes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toml-internal.h"

static int parse_value(struct toml_ctx *c, struct toml_value **out);
static int parse_keyval(struct toml_ctx *c, struct toml_value *t);

static int parse_array(struct toml_ctx *c, struct toml_value *a)
{
	struct toml_parser *p = &c->p;
	size_t open = p->off;
	int ret;

	a->u.array.flags = TOML_A_STATIC;
	p->off++;
	for (;;) {
		struct toml_value *v;

		toml_skip_ws_nl(p);
		if (toml_peek(p, 0) == ']')
			break;
		if (toml_eof(p))
			return toml_fail(p, open, -EINVAL, "expected ']' to close the array");
		ret = parse_value(c, &v);
		if (ret < 0)
			return ret;
		if (toml_array_push(a, v) < 0)
			return toml_nomem(c, p->off);
		toml_skip_ws_nl(p);
		if (toml_peek(p, 0) == ',') {
			p->off++;
			continue;
		}
		if (toml_peek(p, 0) == ']')
			break;
		if (toml_eof(p))
			return toml_fail(p, open, -EINVAL, "expected ']' to close the array");
		return toml_fail(p, p->off, -EINVAL, "expected ',' or ']' after an array element");
	}
	p->off++;
	return 0;
}

static int parse_inline(struct toml_ctx *c, struct toml_value *t)
{
	struct toml_parser *p = &c->p;
	size_t open = p->off;
	int ret;

	t->u.table.flags = TOML_T_INLINE;
	p->off++;
	toml_skip_ws(p);
	if (toml_peek(p, 0) == '}') {
		p->off++;
		return 0;
	}
	for (;;) {
		toml_skip_ws(p);
		if (toml_peek(p, 0) == '}')
			return toml_fail(p, p->off, -EINVAL,
					 "expected a key after ',' (no trailing comma in inline tables)");
		ret = parse_keyval(c, t);
		if (ret < 0)
			return ret;
		toml_skip_ws(p);
		if (toml_peek(p, 0) == ',') {
			p->off++;
			continue;
		}
		if (toml_peek(p, 0) == '}')
			break;
		if (toml_eof(p))
			return toml_fail(p, open, -EINVAL, "expected '}' to close the inline table");
		if (toml_at_newline(p))
			return toml_fail(p, p->off, -EINVAL,
					 "expected ',' or '}' before the end of the line "
					 "(inline tables are on one line)");
		return toml_fail(p, p->off, -EINVAL, "expected ',' or '}' in inline table");
	}
	p->off++;
	return 0;
}

static int parse_value(struct toml_ctx *c, struct toml_value **out)
{
	struct toml_parser *p = &c->p;
	size_t start = p->off;
	int ch = toml_peek(p, 0);
	struct toml_value *v;
	int ret;

	v = toml_new(TOML_STRING, toml_pos_at(p, start));
	if (!v)
		return toml_nomem(c, start);
	if (ch == '"' || ch == '\'') {
		ret = toml_lex_string(p, &c->sb, true);
		if (ret == 0) {
			v->u.str.ptr = malloc(c->sb.len + 1);
			if (!v->u.str.ptr) {
				ret = toml_nomem(c, start);
			} else {
				memcpy(v->u.str.ptr, c->sb.buf, c->sb.len + 1);
				v->u.str.len = c->sb.len;
			}
		}
	} else if (ch == '[' || ch == '{') {
		if (++p->depth > TOML_MAX_DEPTH) {
			ret = toml_too_deep(c, start);
		} else if (ch == '[') {
			v->type = TOML_ARRAY;
			ret = parse_array(c, v);
		} else {
			v->type = TOML_TABLE;
			ret = parse_inline(c, v);
		}
		p->depth--;
	} else {
		ret = toml_lex_scalar(p, v);
	}
	if (ret < 0) {
		toml_free(v);
		return ret;
	}
	v->span.off = start;
	v->span.end = p->off;
	*out = v;
	return 0;
}

/* key = value, into @t (the current table, or an inline table being read) */
static int parse_keyval(struct toml_ctx *c, struct toml_value *t)
{
	struct toml_parser *p = &c->p;
	const struct toml_key *outer = p->vkey;	/* set inside an inline table */
	struct toml_key key = { 0 };
	struct toml_value *v;
	char name[TOML_MAX_KEY_NAME + 32];
	int ret;

	p->vkey = NULL;
	ret = toml_lex_key(p, &key);
	if (ret == 0 && toml_peek(p, 0) != '=') {
		toml_key_name(&key, key.n, name, sizeof(name));
		ret = toml_fail(p, p->off, -EINVAL, "expected '=' after key '%s'", name);
	}
	if (ret == 0) {
		p->off++;
		toml_skip_ws(p);
		p->vkey = &key;
		ret = parse_value(c, &v);
	}
	p->vkey = outer;
	if (ret == 0)
		ret = toml_insert_kv(c, t, &key, v);
	toml_key_release(&key);
	return ret;
}

static int parse_header(struct toml_ctx *c)
{
	struct toml_parser *p = &c->p;
	struct toml_key key = { 0 };
	struct toml_pos open = toml_pos_at(p, p->off);
	bool aot = toml_peek(p, 1) == '[';
	char name[TOML_MAX_KEY_NAME + 32];
	int ret;

	p->off += aot ? 2 : 1;
	toml_skip_ws(p);
	ret = toml_lex_key(p, &key);
	if (ret == 0 && (toml_peek(p, 0) != ']' || (aot && toml_peek(p, 1) != ']'))) {
		toml_key_name(&key, key.n, name, sizeof(name));
		ret = toml_fail(p, p->off, -EINVAL, "expected '%s' after table name '%s'",
				aot ? "]]" : "]", name);
	}
	if (ret == 0) {
		p->off += aot ? 2 : 1;
		ret = toml_define_table(c, &key, open, aot);
	}
	toml_key_release(&key);
	return ret;
}

static int parse_document(struct toml_ctx *c)
{
	struct toml_parser *p = &c->p;
	int ret;

	for (;;) {
		bool header = false;

		toml_skip_ws(p);
		if (toml_eof(p))
			return 0;
		if (toml_peek(p, 0) == '[') {
			ret = parse_header(c);
			header = true;
		} else if (toml_peek(p, 0) != '#' && !toml_at_newline(p)) {
			ret = parse_keyval(c, c->cur);
		} else {
			ret = 0;
		}
		if (ret < 0)
			return ret;
		toml_skip_ws(p);
		toml_skip_comment(p);
		if (toml_eof(p))
			return 0;
		if (!toml_at_newline(p))
			return toml_fail(p, p->off, -EINVAL, "expected a newline after the %s",
					 header ? "table header" : "value");
		p->off += toml_peek(p, 0) == '\r' ? 2 : 1;
	}
}

int toml_parse(const char *buf, size_t len, const char *filename, struct toml_value **out,
	       struct toml_error *err)
{
	struct toml_ctx c = { 0 };
	struct toml_error dummy;
	int ret;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", filename ? filename : "<input>");
	*out = NULL;
	c.p.buf = buf;
	c.p.len = len;
	c.p.file = err->file;
	c.p.err = err;
	if (len > TOML_MAX_INPUT) {
		snprintf(err->msg, sizeof(err->msg), "input is larger than %u bytes",
			 TOML_MAX_INPUT);
		return -EFBIG;
	}
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		c.p.start = c.p.off = 3;
	ret = toml_check_encoding(&c.p);
	if (ret < 0)
		return ret;
	c.root = toml_new(TOML_TABLE, toml_pos_at(&c.p, c.p.start));
	if (!c.root)
		return toml_nomem(&c, 0);
	c.root->u.table.flags = TOML_T_HEADER;
	c.cur = c.root;
	ret = parse_document(&c);
	sb_release(&c.sb);
	if (ret < 0) {
		toml_free(c.root);
		return ret;
	}
	*out = c.root;
	return 0;
}

int toml_parse_file(const char *path, struct toml_value **out, struct toml_error *err)
{
	struct toml_error dummy;
	struct strbuf sb = { 0 };
	char chunk[65536];
	int fd, ret;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	*out = NULL;
	snprintf(err->file, sizeof(err->file), "%s", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err->msg, sizeof(err->msg), "cannot open file: %s", strerror(-ret));
		return ret;
	}
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(err->msg, sizeof(err->msg), "cannot read file: %s",
				 strerror(-ret));
			goto out;
		}
		if (n == 0)
			break;
		sb_add(&sb, chunk, (size_t)n);
		if (sb.err) {
			ret = -ENOMEM;
			snprintf(err->msg, sizeof(err->msg), "out of memory");
			goto out;
		}
		if (sb.len > TOML_MAX_INPUT)
			break;
	}
	ret = toml_parse(sb.buf ? sb.buf : "", sb.len, path, out, err);
out:
	close(fd);
	sb_release(&sb);
	return ret;
}
