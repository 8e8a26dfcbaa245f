// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where keys and tables go, and what may not be defined twice.
 *
 * Every table remembers how it came to exist (TOML_T_*): a [header] defines
 * a table once; a parent named in a header is implicit and may be defined
 * later; dotted keys create tables that no header may define again; inline
 * tables and array values are closed for good.
 */
#include <errno.h>

#include "toml-internal.h"

int toml_nomem(struct toml_ctx *c, size_t off)
{
	return toml_fail(&c->p, off, -ENOMEM, "out of memory");
}

int toml_too_deep(struct toml_ctx *c, size_t off)
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
int toml_insert_kv(struct toml_ctx *c, struct toml_value *t, const struct toml_key *key,
		     struct toml_value *v)
{
	char name[TOML_MAX_KEY_NAME + 64];
	struct toml_kv *kv;
	size_t i;

	if (c->p.depth + (int)key->n > TOML_MAX_DEPTH) {
		toml_free(v);
		return toml_too_deep(c, key->parts[0].off);
	}
	for (i = 0; i + 1 < key->n; i++) {
		const struct toml_keypart *kp = &key->parts[i];
		struct toml_value *sub;

		kv = toml_table_find(t, kp->s, kp->len);
		if (!kv) {
			sub = add_node(t, kp, TOML_TABLE, TOML_T_DOTTED, kp->pos);
			if (!sub) {
				toml_free(v);
				return toml_nomem(c, kp->off);
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
	kv = toml_table_add(t, key->parts[i].s, key->parts[i].len, key->parts[i].pos, v);
	if (!kv)
		return toml_nomem(c, key->parts[i].off);
	kv->key_span.off = key->parts[i].off;
	kv->key_span.end = key->parts[i].end;
	return 0;
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
			return toml_too_deep(c, kp->off);
		if (!kv) {
			sub = add_node(t, kp, TOML_TABLE, TOML_T_IMPLICIT, open);
			if (!sub)
				return toml_nomem(c, kp->off);
			t = sub;
			continue;
		}
		sub = kv->value;
		if (sub->type == TOML_ARRAY && (sub->u.array.flags & TOML_A_TABLES)) {
			if (++c->p.depth > TOML_MAX_DEPTH)
				return toml_too_deep(c, kp->off);
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
		return toml_too_deep(c, key->parts[i].off);
	*parent = t;
	return 0;
}

int toml_define_table(struct toml_ctx *c, const struct toml_key *key, struct toml_pos open,
		      bool aot)
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
				return toml_nomem(c, kp->off);
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
			return toml_nomem(c, kp->off);
	} else if (kv->value->type == TOML_ARRAY && (kv->value->u.array.flags & TOML_A_TABLES)) {
		a = kv->value;
	} else {
		return toml_fail(&c->p, kp->off, -EINVAL,
				 "cannot define array of tables '%s': it is already defined as %s "
				 "at line %u", name, kind_name(kv->value), kv->key_pos.line);
	}
	if (++c->p.depth > TOML_MAX_DEPTH)
		return toml_too_deep(c, kp->off);
	t = toml_new(TOML_TABLE, open);
	if (!t)
		return toml_nomem(c, kp->off);
	t->u.table.flags = TOML_T_HEADER;
	if (toml_array_push(a, t) < 0)
		return toml_nomem(c, kp->off);
	c->cur = t;
	return 0;
}
