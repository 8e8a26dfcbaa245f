// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TOML document: key/value pairs, [tables], [[arrays of tables]], array
 * and inline-table values, and the rules about what may be defined twice.
 *
 * Every table remembers how it came to exist (TOML_T_*): a [header] defines
 * a table once; a parent named in a header is implicit and may be defined
 * later; dotted keys create tables that no header may define again; inline
 * tables and array values are closed for good.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toml-internal.h"

struct toml_ctx {
	struct toml_parser p;
	struct toml_value *root, *cur;
	struct strbuf sb;
};

static int parse_value(struct toml_ctx *c, struct toml_value **out);

static int nomem(struct toml_ctx *c, size_t off)
{
	return toml_fail(&c->p, off, -ENOMEM, "out of memory");
}

static int too_deep(struct toml_ctx *c, size_t off)
{
	return toml_fail(&c->p, off, -EINVAL, "nesting deeper than %d levels", TOML_MAX_DEPTH);
}

static const char *kind_name(const struct toml_value *v)
{
	if (v->type == TOML_TABLE && (v->u.table.flags & TOML_T_INLINE))
		return "an inline table";
	if (v->type == TOML_ARRAY && (v->u.array.flags & TOML_A_TABLES))
		return "an array of tables";
	switch (v->type) {
	case TOML_TABLE:
		return "a table";
	case TOML_ARRAY:
		return "an array";
	case TOML_INTEGER:
		return "an integer";
	case TOML_DATETIME:
		return "an offset date-time";
	case TOML_DATETIME_LOCAL:
		return "a local date-time";
	case TOML_DATE_LOCAL:
		return "a local date";
	case TOML_TIME_LOCAL:
		return "a local time";
	default:
		return toml_type_name(v->type);
	}
}

/* Adds an empty table or array under @t. */
static struct toml_value *add_node(struct toml_value *t,
				   const struct toml_keypart *kp, enum toml_type type,
				   unsigned flags, struct toml_pos at)
{
	struct toml_value *v = toml_new(type, at);

	if (!v)
		return NULL;
	if (type == TOML_TABLE)
		v->u.table.flags = flags;
	else
		v->u.array.flags = flags;
	if (!toml_table_add(t, kp->s, kp->len, kp->pos, v))
		return NULL;
	return v;
}

/* Stores @v under the dotted @key in @t; @v belongs to the tree afterwards. */
static int insert_kv(struct toml_ctx *c, struct toml_value *t, const struct toml_key *key,
		     struct toml_value *v)
{
	char name[TOML_MAX_KEY_NAME + 64];
	struct toml_kv *kv;
	size_t i;

	if (c->p.depth + (int)key->n > TOML_MAX_DEPTH) {
		toml_free(v);
		return too_deep(c, key->parts[0].off);
	}
	for (i = 0; i + 1 < key->n; i++) {
		const struct toml_keypart *kp = &key->parts[i];
		struct toml_value *sub;

		kv = toml_table_find(t, kp->s, kp->len);
		if (!kv) {
			sub = add_node(t, kp, TOML_TABLE, TOML_T_DOTTED, kp->pos);
			if (!sub) {
				toml_free(v);
				return nomem(c, kp->off);
			}
			t = sub;
			continue;
		}
		sub = kv->value;
		if (sub->type != TOML_TABLE || (sub->u.table.flags & (TOML_T_INLINE | TOML_T_HEADER))) {
			toml_free(v);
			toml_key_name(key, i + 1, name, sizeof(name));
			return toml_fail(&c->p, kp->off, -EINVAL,
					 "cannot add keys to '%s': it is already defined as %s "
					 "at line %u", name, kind_name(sub), kv->key_pos.line);
		}
		sub->u.table.flags = TOML_T_DOTTED;
		t = sub;
	}
	kv = toml_table_find(t, key->parts[i].s, key->parts[i].len);
	if (kv) {
		toml_free(v);
		toml_key_name(key, key->n, name, sizeof(name));
		return toml_fail(&c->p, key->parts[i].off, -EINVAL,
				 "key '%s' is already defined at line %u", name, kv->key_pos.line);
	}
	if (!toml_table_add(t, key->parts[i].s, key->parts[i].len, key->parts[i].pos, v))
		return nomem(c, key->parts[i].off);
	return 0;
}

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
			return nomem(c, p->off);
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
		struct toml_key key = { 0 };
		struct toml_value *v;
		char name[TOML_MAX_KEY_NAME + 32];

		toml_skip_ws(p);
		if (toml_peek(p, 0) == '}')
			return toml_fail(p, p->off, -EINVAL,
					 "expected a key after ',' (no trailing comma in inline tables)");
		ret = toml_lex_key(p, &key);
		if (ret == 0 && toml_peek(p, 0) != '=') {
			toml_key_name(&key, key.n, name, sizeof(name));
			ret = toml_fail(p, p->off, -EINVAL, "expected '=' after key '%s'", name);
		}
		if (ret == 0) {
			p->off++;
			toml_skip_ws(p);
			ret = parse_value(c, &v);
		}
		if (ret == 0)
			ret = insert_kv(c, t, &key, v);
		toml_key_release(&key);
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
		return nomem(c, start);
	if (ch == '"' || ch == '\'') {
		ret = toml_lex_string(p, &c->sb, true);
		if (ret == 0) {
			v->u.str.ptr = malloc(c->sb.len + 1);
			if (!v->u.str.ptr) {
				ret = nomem(c, start);
			} else {
				memcpy(v->u.str.ptr, c->sb.buf, c->sb.len + 1);
				v->u.str.len = c->sb.len;
			}
		}
	} else if (ch == '[' || ch == '{') {
		if (++p->depth > TOML_MAX_DEPTH) {
			ret = too_deep(c, start);
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
	*out = v;
	return 0;
}

static int parse_keyval(struct toml_ctx *c)
{
	struct toml_parser *p = &c->p;
	struct toml_key key = { 0 };
	struct toml_value *v;
	char name[TOML_MAX_KEY_NAME + 32];
	int ret;

	ret = toml_lex_key(p, &key);
	if (ret == 0 && toml_peek(p, 0) != '=') {
		toml_key_name(&key, key.n, name, sizeof(name));
		ret = toml_fail(p, p->off, -EINVAL, "expected '=' after key '%s'", name);
	}
	if (ret == 0) {
		p->off++;
		toml_skip_ws(p);
		ret = parse_value(c, &v);
	}
	if (ret == 0)
		ret = insert_kv(c, c->cur, &key, v);
	toml_key_release(&key);
	return ret;
}

/* Walks to the parent of the header's last part; creates implicit tables. */
static int header_parent(struct toml_ctx *c, const struct toml_key *key, struct toml_pos open,
			 struct toml_value **parent)
{
	char name[TOML_MAX_KEY_NAME + 64];
	struct toml_value *t = c->root;
	size_t i;

	c->p.depth = 0;
	for (i = 0; i + 1 < key->n; i++) {
		const struct toml_keypart *kp = &key->parts[i];
		struct toml_kv *kv = toml_table_find(t, kp->s, kp->len);
		struct toml_value *sub;

		if (++c->p.depth > TOML_MAX_DEPTH)
			return too_deep(c, kp->off);
		if (!kv) {
			sub = add_node(t, kp, TOML_TABLE, TOML_T_IMPLICIT, open);
			if (!sub)
				return nomem(c, kp->off);
			t = sub;
			continue;
		}
		sub = kv->value;
		if (sub->type == TOML_ARRAY && (sub->u.array.flags & TOML_A_TABLES)) {
			if (++c->p.depth > TOML_MAX_DEPTH)
				return too_deep(c, kp->off);
			t = sub->u.array.items[sub->u.array.len - 1];
			continue;
		}
		if (sub->type != TOML_TABLE || (sub->u.table.flags & TOML_T_INLINE)) {
			toml_key_name(key, i + 1, name, sizeof(name));
			return toml_fail(&c->p, kp->off, -EINVAL,
					 "cannot add a table to '%s': it is already defined as %s "
					 "at line %u", name, kind_name(sub), kv->key_pos.line);
		}
		t = sub;
	}
	if (++c->p.depth > TOML_MAX_DEPTH)
		return too_deep(c, key->parts[i].off);
	*parent = t;
	return 0;
}

static int define_table(struct toml_ctx *c, const struct toml_key *key, struct toml_pos open, bool aot)
{
	char name[TOML_MAX_KEY_NAME + 64];
	const struct toml_keypart *kp = &key->parts[key->n - 1];
	struct toml_value *parent = NULL, *t, *a;
	struct toml_kv *kv;
	int ret;

	ret = header_parent(c, key, open, &parent);
	if (ret < 0)
		return ret;
	kv = toml_table_find(parent, kp->s, kp->len);
	toml_key_name(key, key->n, name, sizeof(name));
	if (!aot) {
		if (!kv) {
			t = add_node(parent, kp, TOML_TABLE, TOML_T_HEADER, open);
			if (!t)
				return nomem(c, kp->off);
		} else if (kv->value->type == TOML_TABLE &&
			   kv->value->u.table.flags == TOML_T_IMPLICIT) {
			t = kv->value;
			t->u.table.flags = TOML_T_HEADER;
		} else if (kv->value->type == TOML_TABLE &&
			   (kv->value->u.table.flags & TOML_T_HEADER)) {
			return toml_fail(&c->p, kp->off, -EINVAL,
					 "table '%s' is already defined at line %u", name,
					 kv->value->pos.line);
		} else {
			return toml_fail(&c->p, kp->off, -EINVAL,
					 "table '%s' is already defined as %s%s at line %u", name,
					 kind_name(kv->value),
					 kv->value->type == TOML_TABLE &&
					 (kv->value->u.table.flags & TOML_T_DOTTED) ?
					 " by dotted keys" : "", kv->key_pos.line);
		}
		c->cur = t;
		return 0;
	}
	if (!kv) {
		a = add_node(parent, kp, TOML_ARRAY, TOML_A_TABLES, open);
		if (!a)
			return nomem(c, kp->off);
	} else if (kv->value->type == TOML_ARRAY && (kv->value->u.array.flags & TOML_A_TABLES)) {
		a = kv->value;
	} else {
		return toml_fail(&c->p, kp->off, -EINVAL,
				 "cannot define array of tables '%s': it is already defined as %s "
				 "at line %u", name, kind_name(kv->value), kv->key_pos.line);
	}
	if (++c->p.depth > TOML_MAX_DEPTH)
		return too_deep(c, kp->off);
	t = toml_new(TOML_TABLE, open);
	if (!t)
		return nomem(c, kp->off);
	t->u.table.flags = TOML_T_HEADER;
	if (toml_array_push(a, t) < 0)
		return nomem(c, kp->off);
	c->cur = t;
	return 0;
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
		ret = define_table(c, &key, open, aot);
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
			ret = parse_keyval(c);
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
		return nomem(&c, 0);
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
