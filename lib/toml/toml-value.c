// SPDX-License-Identifier: GPL-2.0-or-later
/* The TOML tree: nodes, tables with a hash index for big ones, arrays, and
 * the public lookup functions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml-internal.h"

/* Tables up to this size are searched linearly; bigger ones get an index. */
#define TOML_INDEX_MIN 16

struct toml_index {
	size_t cap;		/* power of two */
	size_t *slots;		/* item index + 1, 0 = empty */
};

struct toml_value *toml_new(enum toml_type type, struct toml_pos pos)
{
	struct toml_value *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->type = type;
	v->pos = pos;
	return v;
}

struct toml_value *toml_free(struct toml_value *v)
{
	size_t i;

	if (!v)
		return NULL;
	switch (v->type) {
	case TOML_TABLE:
		for (i = 0; i < v->u.table.len; i++) {
			free(v->u.table.items[i].key);
			toml_free(v->u.table.items[i].value);
		}
		free(v->u.table.items);
		if (v->u.table.index)
			free(v->u.table.index->slots);
		free(v->u.table.index);
		break;
	case TOML_ARRAY:
		for (i = 0; i < v->u.array.len; i++)
			toml_free(v->u.array.items[i]);
		free(v->u.array.items);
		break;
	case TOML_STRING:
		free(v->u.str.ptr);
		break;
	default:
		break;
	}
	free(v);
	return NULL;
}

static size_t toml_hash(const char *s, size_t len)
{
	size_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static void toml_index_put(struct toml_index *idx, const struct toml_kv *items, size_t i)
{
	size_t mask = idx->cap - 1;
	size_t h = toml_hash(items[i].key, items[i].keylen) & mask;

	while (idx->slots[h])
		h = (h + 1) & mask;
	idx->slots[h] = i + 1;
}

/* (Re)build the index when the table grew past its load factor. */
static int toml_index_update(struct toml_value *t)
{
	struct toml_index *idx = t->u.table.index;
	size_t len = t->u.table.len, cap, i;
	size_t *slots;

	if (len < TOML_INDEX_MIN)
		return 0;
	if (idx && len * 2 <= idx->cap) {
		toml_index_put(idx, t->u.table.items, len - 1);
		return 0;
	}
	cap = idx ? idx->cap * 2 : 64;
	while (cap < len * 2)
		cap *= 2;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	if (!idx) {
		idx = calloc(1, sizeof(*idx));
		if (!idx) {
			free(slots);
			return -ENOMEM;
		}
		t->u.table.index = idx;
	}
	free(idx->slots);
	idx->slots = slots;
	idx->cap = cap;
	for (i = 0; i < len; i++)
		toml_index_put(idx, t->u.table.items, i);
	return 0;
}

struct toml_kv *toml_table_find(struct toml_value *t, const char *key, size_t keylen)
{
	struct toml_index *idx = t->u.table.index;
	struct toml_kv *items = t->u.table.items;
	size_t i;

	if (idx) {
		size_t mask = idx->cap - 1;
		size_t h = toml_hash(key, keylen) & mask;

		for (; idx->slots[h]; h = (h + 1) & mask) {
			struct toml_kv *kv = &items[idx->slots[h] - 1];

			if (kv->keylen == keylen && !memcmp(kv->key, key, keylen))
				return kv;
		}
		return NULL;
	}
	for (i = 0; i < t->u.table.len; i++)
		if (items[i].keylen == keylen && !memcmp(items[i].key, key, keylen))
			return &items[i];
	return NULL;
}

struct toml_kv *toml_table_add(struct toml_value *t, const char *key, size_t keylen,
			       struct toml_pos key_pos, struct toml_value *v)
{
	struct toml_kv *kv;
	char *k;

	if (t->u.table.len == t->u.table.cap) {
		size_t cap = t->u.table.cap ? t->u.table.cap * 2 : 4;
		struct toml_kv *n = realloc(t->u.table.items, cap * sizeof(*n));

		if (!n)
			goto fail;
		t->u.table.items = n;
		t->u.table.cap = cap;
	}
	k = malloc(keylen + 1);
	if (!k)
		goto fail;
	memcpy(k, key, keylen);
	k[keylen] = '\0';
	kv = &t->u.table.items[t->u.table.len++];
	kv->key = k;
	kv->keylen = keylen;
	kv->key_pos = key_pos;
	kv->key_span = (struct toml_span){ 0, 0 };
	kv->value = v;
	if (toml_index_update(t) < 0)
		return NULL;	/* the item stays; the caller gives up on ENOMEM */
	return kv;
fail:
	toml_free(v);
	return NULL;
}

int toml_array_push(struct toml_value *a, struct toml_value *v)
{
	if (a->u.array.len == a->u.array.cap) {
		size_t cap = a->u.array.cap ? a->u.array.cap * 2 : 4;
		struct toml_value **n = realloc(a->u.array.items, cap * sizeof(*n));

		if (!n) {
			toml_free(v);
			return -ENOMEM;
		}
		a->u.array.items = n;
		a->u.array.cap = cap;
	}
	a->u.array.items[a->u.array.len++] = v;
	return 0;
}

const struct toml_value *toml_get(const struct toml_value *t, const char *key)
{
	const struct toml_kv *kv;

	if (!t || t->type != TOML_TABLE || !key)
		return NULL;
	kv = toml_table_find((struct toml_value *)t, key, strlen(key));
	return kv ? kv->value : NULL;
}

size_t toml_table_len(const struct toml_value *t)
{
	return t && t->type == TOML_TABLE ? t->u.table.len : 0;
}

const struct toml_kv *toml_table_at(const struct toml_value *t, size_t i)
{
	if (!t || t->type != TOML_TABLE || i >= t->u.table.len)
		return NULL;
	return &t->u.table.items[i];
}

size_t toml_array_len(const struct toml_value *a)
{
	return a && a->type == TOML_ARRAY ? a->u.array.len : 0;
}

const struct toml_value *toml_array_at(const struct toml_value *a, size_t i)
{
	if (!a || a->type != TOML_ARRAY || i >= a->u.array.len)
		return NULL;
	return a->u.array.items[i];
}

const char *toml_type_name(enum toml_type t)
{
	switch (t) {
	case TOML_TABLE:
		return "table";
	case TOML_ARRAY:
		return "array";
	case TOML_STRING:
		return "string";
	case TOML_INTEGER:
		return "integer";
	case TOML_FLOAT:
		return "float";
	case TOML_BOOL:
		return "boolean";
	case TOML_DATETIME:
		return "offset date-time";
	case TOML_DATETIME_LOCAL:
		return "local date-time";
	case TOML_DATE_LOCAL:
		return "local date";
	case TOML_TIME_LOCAL:
		return "local time";
	}
	return "unknown";
}

const char *toml_error_str(const struct toml_error *err, char *buf, size_t size)
{
	if (!size)
		return buf;
	if (err->line)
		snprintf(buf, size, "%s:%u:%u: %s", err->file, err->line, err->col, err->msg);
	else if (err->file[0])
		snprintf(buf, size, "%s: %s", err->file, err->msg);
	else
		snprintf(buf, size, "%s", err->msg);
	return buf;
}
