// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The walk that applies a TOML tree to struct answer through the key schema
 * (answer-schema.c): type checks, value checks, snake_case spellings,
 * duplicates, unknown keys and sections.
 *
 * Dotted keys, sub-tables and inline tables reach the walker as the same
 * nested tables, so `filter.ID_SERIAL = "x"` under [disk-setup] and
 * `ID_SERIAL = "x"` under [disk-setup.filter] are one thing here.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "answer-int.h"
#include "util.h"

static void *field(struct answer_ctx *c, size_t off)
{
	return (char *)c->a + off;
}

/* ---- type names for messages ---- */

const char *answer_value_type(const struct toml_value *v)
{
	switch (v->type) {
	case TOML_TABLE: return "a table";
	case TOML_ARRAY: return "an array";
	case TOML_STRING: return "a string";
	case TOML_INTEGER: return "an integer";
	case TOML_FLOAT: return "a float";
	case TOML_BOOL: return "a boolean";
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL: return "a date-time";
	case TOML_DATE_LOCAL: return "a date";
	case TOML_TIME_LOCAL: return "a time";
	}
	return "a value";
}

static const char *key_type_desc(const struct answer_key *k)
{
	switch (k->type) {
	case AKT_STR:
	case AKT_ENUM:
	case AKT_CHOICE: return "a string";
	case AKT_BOOL: return "a boolean";
	case AKT_UINT:
	case AKT_U64: return "an integer";
	case AKT_SIZE: return "a number";
	case AKT_STRV: return "an array of strings";
	case AKT_MAP: return "a table";
	case AKT_CUSTOM: return k->type_desc;
	}
	return "a value";
}

void answer_type_error(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	answer_err(c, kv->key_pos, "'%s' must be %s, not %s", answer_keys[id].name,
		   key_type_desc(&answer_keys[id]), answer_value_type(kv->value));
}

/* ---- values ---- */

char *answer_strdup(struct answer_ctx *c, const char *s)
{
	char *d = strdup(s);

	if (!d)
		c->oom = true;
	return d;
}

/* A string value that is usable at all: no NUL inside, not empty. */
bool answer_string_ok(struct answer_ctx *c, const char *name, const struct toml_value *v)
{
	if (strlen(v->u.str.ptr) != v->u.str.len) {
		answer_err(c, v->pos, "'%s' must not contain NUL characters", name);
		return false;
	}
	if (v->u.str.len == 0) {
		answer_err(c, v->pos, "'%s' must not be empty", name);
		return false;
	}
	return true;
}

static void list_choices(char *buf, size_t size, const char *const *values)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; values[i] && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", values[i]);
}

/*
 * How the value of key @k may appear in a message: never for a secret key,
 * and not for a URL key whose value is no URL (it may be "user:pw@host/…").
 * answer_show() redacts URLs. NULL: leave the value out.
 */
static const char *value_shown(const struct answer_key *k, const char *s, int slot)
{
	if (k->secret || (k->valid == answer_valid_url && !strstr(s, "://")))
		return NULL;
	return answer_show(s, slot);
}

static int choice_index(struct answer_ctx *c, int id, const struct toml_value *v)
{
	const struct answer_key *k = &answer_keys[id];
	const char *shown;
	char list[256];

	for (int i = 0; k->values[i]; i++)
		if (!strcmp(k->values[i], v->u.str.ptr) ||
		    (k->aliases && !strcmp(k->aliases[i], v->u.str.ptr)))
			return i;
	list_choices(list, sizeof(list), k->values);
	if (k->aliases)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 " (or the same in upper case)");
	shown = value_shown(k, v->u.str.ptr, 0);
	if (shown)
		answer_err(c, v->pos, "invalid '%s' value '%s': expected one of %s", k->name,
			   shown, list);
	else
		answer_err(c, v->pos, "invalid '%s': expected one of %s", k->name, list);
	return -1;
}

static bool string_valid(struct answer_ctx *c, int id, const struct toml_value *v)
{
	const struct answer_key *k = &answer_keys[id];
	const char *why, *shown;

	if (!answer_string_ok(c, k->name, v))
		return false;
	if (!k->valid || !(why = k->valid(v->u.str.ptr)))
		return true;
	shown = value_shown(k, v->u.str.ptr, 0);
	if (shown)
		answer_err(c, v->pos, "invalid '%s' value '%s': %s", k->name, shown, why);
	else
		answer_err(c, v->pos, "invalid '%s': %s", k->name, why);
	return false;
}

static void remember_secret(struct answer_ctx *c, const struct toml_value *v)
{
	if (c->n_secrets < ARRAY_SIZE(c->secrets))
		/* the tree is ours (answer_parse made it): it gets wiped before it is freed */
		c->secrets[c->n_secrets++] = (struct toml_value *)v;
}

/* "/dev/sda" and "sda" are the same disk */
static const char *disk_base(const char *s)
{
	return strncmp(s, "/dev/", 5) ? s : s + 5;
}

static bool strv_is_dup(int id, char **list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++) {
		if (!list[i])
			continue;
		if (id == AK_DISK_LIST ? !strcmp(disk_base(list[i]), disk_base(s))
				       : !strcmp(list[i], s))
			return true;
	}
	return false;
}

static bool apply_strv(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	const struct answer_key *k = &answer_keys[id];
	const struct toml_value *arr = kv->value;
	size_t n = toml_array_len(arr), j = 0;
	bool ok = true;
	char **list;

	list = calloc(n + 1, sizeof(*list));
	if (!list) {
		c->oom = true;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const struct toml_value *e = toml_array_at(arr, i);

		if (e->type != TOML_STRING) {
			answer_err(c, e->pos, "'%s' must be an array of strings, not hold %s",
				   k->name, answer_value_type(e));
			ok = false;
			continue;
		}
		if (!string_valid(c, id, e)) {
			ok = false;
			continue;
		}
		if (strv_is_dup(id, list, j, e->u.str.ptr)) {
			const char *shown = value_shown(k, e->u.str.ptr, 0);

			if (id == AK_DISK_LIST)
				answer_err(c, e->pos, "duplicate disk '%s' in 'disk-list'",
					   answer_show(e->u.str.ptr, 0));
			else if (shown)
				answer_err(c, e->pos, "duplicate entry '%s' in '%s'", shown,
					   k->name);
			else
				answer_err(c, e->pos, "duplicate entry in '%s'", k->name);
			ok = false;
			continue;
		}
		list[j] = answer_strdup(c, e->u.str.ptr);
		if (list[j])
			j++;
	}
	*(char ***)field(c, k->off) = list;
	*(size_t *)field(c, k->off_n) = j;
	return ok;
}

static bool apply_map(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	const struct answer_key *k = &answer_keys[id];
	size_t n = toml_table_len(kv->value), j = 0;
	struct answer_filter *f;

	f = calloc(n + 1, sizeof(*f));
	if (!f) {
		c->oom = true;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const struct toml_kv *e = toml_table_at(kv->value, i);
		const char *why;

		if ((why = answer_valid_udev_key(e->key))) {
			answer_err(c, e->key_pos, "invalid '%s' key '%s': %s", k->name,
				   answer_show(e->key, 0), why);
			continue;
		}
		if (e->value->type != TOML_STRING) {
			answer_err(c, e->key_pos, "'%s.%s' must be a string, not %s", k->name,
				   e->key, answer_value_type(e->value));
			continue;
		}
		if (!answer_string_ok(c, k->name, e->value))
			continue;
		if ((why = answer_valid_glob(e->value->u.str.ptr))) {
			answer_err(c, e->value->pos, "invalid '%s.%s' value: %s", k->name, e->key,
				   why);
			continue;
		}
		f[j].key = answer_strdup(c, e->key);
		f[j].glob = answer_strdup(c, e->value->u.str.ptr);
		j++;
	}
	if (n == 0)
		answer_err(c, kv->key_pos, "'%s' must not be empty", k->name);
	*(struct answer_filter **)field(c, k->off) = f;
	*(size_t *)field(c, k->off_n) = j;
	return n > 0 && j == n;
}

static bool apply_int(struct answer_ctx *c, int id, const struct toml_kv *kv, uint64_t *out)
{
	const struct answer_key *k = &answer_keys[id];
	int64_t v = kv->value->u.integer;

	if (v < 0 || (uint64_t)v < k->min || (uint64_t)v > k->max) {
		if (k->max == UINT64_MAX || k->max == (UINT64_C(1) << 40))
			answer_err(c, kv->value->pos, "'%s' (%lld) must be at least %llu", k->name,
				   (long long)v, (unsigned long long)k->min);
		else
			answer_err(c, kv->value->pos, "'%s' (%lld) must be between %llu and %llu",
				   k->name, (long long)v, (unsigned long long)k->min,
				   (unsigned long long)k->max);
		return false;
	}
	*out = (uint64_t)v;
	return true;
}

static bool apply(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	const struct answer_key *k = &answer_keys[id];
	const struct toml_value *v = kv->value;
	uint64_t u;
	int idx;

	switch (k->type) {
	case AKT_STR:
		if (v->type != TOML_STRING)
			break;
		if (k->empty_unset && v->u.str.len == 0)
			return true;
		if (!string_valid(c, id, v))
			return false;
		*(char **)field(c, k->off) = answer_strdup(c, v->u.str.ptr);
		return true;
	case AKT_ENUM:
	case AKT_CHOICE:
		if (v->type != TOML_STRING)
			break;
		if (!answer_string_ok(c, k->name, v) || (idx = choice_index(c, id, v)) < 0)
			return false;
		if (k->type == AKT_ENUM)
			*(int *)field(c, k->off) = idx + k->enum_base;
		else
			*(char **)field(c, k->off) = answer_strdup(c, k->values[idx]);
		return true;
	case AKT_BOOL:
		if (v->type != TOML_BOOL)
			break;
		*(bool *)field(c, k->off) = v->u.boolean;
		return true;
	case AKT_UINT:
	case AKT_U64:
		if (v->type != TOML_INTEGER)
			break;
		if (!apply_int(c, id, kv, &u))
			return false;
		if (k->type == AKT_UINT)
			*(unsigned *)field(c, k->off) = (unsigned)u;
		else
			*(uint64_t *)field(c, k->off) = u;
		return true;
	case AKT_SIZE: {
		double d;

		if (v->type == TOML_INTEGER)
			d = (double)v->u.integer;
		else if (v->type == TOML_FLOAT)
			d = v->u.fp;
		else
			break;
		if (!isfinite(d)) {
			answer_err(c, v->pos, "'%s' must be a finite number", k->name);
			return false;
		}
		if (d < 0) {
			answer_err(c, v->pos, "'%s' (%g) must not be negative", k->name, d);
			return false;
		}
		*(double *)field(c, k->off) = d;
		*(bool *)field(c, k->off_n) = true;
		return true;
	}
	case AKT_STRV:
		if (v->type != TOML_ARRAY)
			break;
		return apply_strv(c, id, kv);
	case AKT_MAP:
		if (v->type != TOML_TABLE)
			break;
		return apply_map(c, id, kv);
	case AKT_CUSTOM:
		return k->custom(c, id, kv) == 0;
	}
	answer_type_error(c, id, kv);
	return false;
}

/* ---- the walk ---- */

/* "root_password" -> "root-password" */
static void kebab(char *s)
{
	for (; *s; s++)
		if (*s == '_')
			*s = '-';
}


static void walk_kv(struct answer_ctx *c, int sec, const char *prefix, const struct toml_kv *kv)
{
	char name[256], alt[256];
	int id, n;

	n = snprintf(name, sizeof(name), "%s%s", prefix, kv->key);
	if (n < 0 || (size_t)n >= sizeof(name) || strlen(kv->key) != kv->keylen) {
		answer_err(c, kv->key_pos, "unknown key '%s' in [%s]", answer_show(kv->key, 0),
			   answer_sec_names[sec]);
		return;
	}
	id = answer_key_find(sec, name);
	if (id < 0 && strchr(kv->key, '_')) {
		memcpy(alt, name, (size_t)n + 1);
		kebab(alt + strlen(prefix));
		if (answer_key_find(sec, alt) >= 0 || answer_key_is_prefix(sec, alt)) {
			char key_kebab[256];

			snprintf(key_kebab, sizeof(key_kebab), "%s", kv->key);
			kebab(key_kebab);
			answer_warn(c, kv->key_pos, "'%s' is deprecated, use '%s'", kv->key,
				    key_kebab);
			memcpy(name, alt, (size_t)n + 1);
			id = answer_key_find(sec, name);
		}
	}
	if (id >= 0 && (kv->value->type != TOML_TABLE || answer_keys[id].type == AKT_MAP ||
			answer_keys[id].type == AKT_CUSTOM)) {
		if (answer_keys[id].secret && kv->value->type == TOML_STRING)
			remember_secret(c, kv->value);
		if (c->set[id]) {
			answer_err(c, kv->key_pos, "duplicate key '%s' (first set at %u:%u)", name,
				   c->kpos[id].line, c->kpos[id].col);
			return;
		}
		c->set[id] = true;
		c->kpos[id] = kv->key_pos;
		c->vpos[id] = kv->value->pos;
		c->ok[id] = apply(c, id, kv);
		return;
	}
	if (kv->value->type == TOML_TABLE && answer_key_is_prefix(sec, name)) {
		if ((size_t)n + 2 > sizeof(name))
			return;
		name[n] = '.';
		name[n + 1] = '\0';
		answer_walk_table(c, sec, name, kv->value);
		return;
	}
	if (id >= 0) {
		answer_type_error(c, id, kv);
		return;
	}
	answer_err(c, kv->key_pos, "unknown key '%s' in [%s]", answer_show(name, 0),
		   answer_sec_names[sec]);
}

void answer_walk_table(struct answer_ctx *c, int sec, const char *prefix,
		       const struct toml_value *t)
{
	for (size_t i = 0; i < toml_table_len(t); i++)
		walk_kv(c, sec, prefix, toml_table_at(t, i));
}

/* ---- sections ---- */

static int sec_find(const char *name)
{
	for (int s = 0; s < AS__MAX; s++)
		if (!strcmp(answer_sec_names[s], name))
			return s;
	return -1;
}

void answer_schema_walk(struct answer_ctx *c, const struct toml_value *root)
{
	bool *has[AS__MAX] = {
		&c->a->has_global, &c->a->has_network, &c->a->has_disk_setup,
		&c->a->has_first_boot, &c->a->has_webhook, &c->a->has_passthrough,
		&c->a->has_vm_template, &c->a->has_ironpass, &c->a->has_profile,
	};

	for (size_t i = 0; i < toml_table_len(root); i++) {
		const struct toml_kv *kv = toml_table_at(root, i);
		char name[64];
		int sec = -1;

		if (strlen(kv->key) == kv->keylen && kv->keylen < sizeof(name)) {
			memcpy(name, kv->key, kv->keylen + 1);
			sec = sec_find(name);
			if (sec < 0 && strchr(name, '_')) {
				kebab(name);
				sec = sec_find(name);
				if (sec >= 0)
					answer_warn(c, kv->key_pos, "'%s' is deprecated, use '%s'",
						    kv->key, name);
			}
		}
		if (sec < 0) {
			if (kv->value->type == TOML_TABLE)
				answer_err(c, kv->key_pos, "unknown section [%s]",
					   answer_show(kv->key, 0));
			else
				answer_err(c, kv->key_pos, "key '%s' must be inside a section",
					   answer_show(kv->key, 0));
			continue;
		}
		if (kv->value->type != TOML_TABLE) {
			answer_err(c, kv->key_pos, "[%s] must be a table, not %s", name,
				   answer_value_type(kv->value));
			continue;
		}
		if (sec == AS_PROFILE && !(c->flags & ANSWER_ALLOW_PROFILE)) {
			answer_err(c, kv->key_pos,
				   "section [profile] is only valid in a builder profile");
			continue;
		}
		if (*has[sec]) {
			answer_err(c, kv->key_pos, "duplicate section [%s] (first at %u:%u)", name,
				   c->spos[sec].line, c->spos[sec].col);
			continue;
		}
		*has[sec] = true;
		c->spos[sec] = kv->key_pos;
		answer_walk_table(c, sec, "", kv->value);
	}
}
