// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sealing an answer for a boot medium (design §5 "Secrets"): a plain
 * root-password never goes into an image or a PXE tree. The key and its
 * value are rewritten in place, from the bytes the TOML parser says they
 * occupy, as root-password-hashed and a fresh crypt(3) hash; everything
 * else in the text (comments, order, spacing, line ends) stays as written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "answer-int.h"
#include "err.h"
#include "passwd.h"

/* "root_password" and "root-password" are one key (snake_case is accepted) */
static bool key_is(const struct toml_kv *kv, const char *name)
{
	size_t n = strlen(name);

	if (kv->keylen != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (kv->key[i] != name[i] && !(kv->key[i] == '_' && name[i] == '-'))
			return false;
	return true;
}

/* Any root-password below @v except directly in [global]: the count of them. */
static size_t count_elsewhere(const struct toml_value *v, const struct toml_value *global,
			      const char *name)
{
	size_t n = 0;

	if (v->type == TOML_ARRAY) {
		for (size_t i = 0; i < toml_array_len(v); i++)
			n += count_elsewhere(toml_array_at(v, i), global, name);
		return n;
	}
	if (v->type != TOML_TABLE)
		return 0;
	for (size_t i = 0; i < toml_table_len(v); i++) {
		const struct toml_kv *kv = toml_table_at(v, i);

		if (v != global && key_is(kv, name))
			n++;
		n += count_elsewhere(kv->value, global, name);
	}
	return n;
}

/* Every string of the tree wiped before it is freed: passwords, tokens */
static void wipe_tree(const struct toml_value *v)
{
	if (!v)
		return;
	if (v->type == TOML_STRING)
		explicit_bzero(v->u.str.ptr, v->u.str.len);
	for (size_t i = 0; v->type == TOML_ARRAY && i < toml_array_len(v); i++)
		wipe_tree(toml_array_at(v, i));
	for (size_t i = 0; v->type == TOML_TABLE && i < toml_table_len(v); i++)
		wipe_tree(toml_table_at(v, i)->value);
}

/* Checks the text sealed from @plain: valid TOML, no plain password, a hash that matches. */
static int seal_verify(const struct answer_sealed *s, const char *name, const char *plain,
		       struct ip_err *err)
{
	const char *pw = answer_keys[AK_ROOT_PASSWORD].name;
	const char *hashed = answer_keys[AK_ROOT_PASSWORD_HASHED].name;
	const struct toml_value *global, *h;
	struct toml_value *root = NULL;
	struct toml_error terr;
	bool ok;

	if (toml_parse(s->text, s->len, name, &root, &terr) < 0)
		return ip_err_set(err, -EIO, "cannot seal '%s': the sealed text does not parse: %s",
				  name, terr.msg);
	global = toml_get(root, answer_sec_names[AS_GLOBAL]);
	h = toml_get(global, hashed);
	ok = h && h->type == TOML_STRING && !toml_get(global, pw) &&
	     count_elsewhere(root, global, pw) == 0 && passwd_verify(plain, h->u.str.ptr);
	wipe_tree(root);
	toml_free(root);
	return ok ? 0 : ip_err_set(err, -EIO, "cannot seal '%s': the sealed text does not check",
				   name);
}

int answer_seal(const char *text, size_t len, const char *name, struct answer_sealed *out,
		struct ip_err *err)
{
	const char *pw = answer_keys[AK_ROOT_PASSWORD].name;
	const char *hashed = answer_keys[AK_ROOT_PASSWORD_HASHED].name;
	const struct toml_value *global, *v = NULL;
	const struct toml_kv *kv = NULL;
	struct toml_value *root = NULL;
	bool has_hashed = false;
	struct toml_error terr;
	char hash[PASSWD_HASH_MAX];
	size_t hl, n, between;
	const char *why;
	char *o;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!name)
		name = "answer.toml";
	ret = toml_parse(text, len, name, &root, &terr);
	if (ret < 0)
		return ip_err_set(err, ret, "cannot seal '%s': %s:%u:%u: %s", name, terr.file,
				  terr.line, terr.col, terr.msg);
	global = toml_get(root, answer_sec_names[AS_GLOBAL]);
	if (count_elsewhere(root, global && global->type == TOML_TABLE ? global : NULL, pw)) {
		ret = ip_err_set(err, -EINVAL, "cannot seal '%s': '%s' outside [%s]", name, pw,
				 answer_sec_names[AS_GLOBAL]);
		goto out;
	}
	for (size_t i = 0; global && i < toml_table_len(global); i++) {
		const struct toml_kv *e = toml_table_at(global, i);

		if (key_is(e, pw) && kv) {
			ret = ip_err_set(err, -EINVAL, "cannot seal '%s': '%s' is set twice", name,
					 pw);
			goto out;
		} else if (key_is(e, pw)) {
			kv = e;
			v = e->value;
		} else if (key_is(e, hashed)) {
			has_hashed = true;
		}
	}
	if (kv && has_hashed) {
		ret = ip_err_set(err, -EINVAL, "cannot seal '%s': both '%s' and '%s' are set", name,
				 pw, hashed);
		goto out;
	}
	if (!kv) {
		/* nothing to seal: the text as it is */
		out->text = malloc(len + 1);
		if (!out->text) {
			ret = ip_err_set(err, -ENOMEM, "out of memory");
			goto out;
		}
		memcpy(out->text, text, len);
		out->text[len] = '\0';
		out->len = len;
		goto out;
	}
	if (v->type != TOML_STRING || !kv->key_span.end || !v->span.end) {
		ret = ip_err_set(err, -EINVAL, "cannot seal '%s': '%s' must be a string, not %s",
				 name, pw, answer_value_type(v));
		goto out;
	}
	why = strlen(v->u.str.ptr) != v->u.str.len ? "must not contain NUL characters" :
	      answer_valid_password(v->u.str.ptr);
	if (why) {
		ret = ip_err_set(err, -EINVAL, "cannot seal '%s': invalid '%s': %s", name, pw, why);
		goto out;
	}
	ret = passwd_hash(v->u.str.ptr, NULL, hash, sizeof(hash), err);
	if (ret < 0)
		goto out;
	out->method = strncmp(hash, "$y$", 3) ? "SHA-512" : "yescrypt";
	/*
	 * The text before the key, the new key, what lies between key and value
	 * (" = "), the hash as a string, the rest. One allocation of the exact
	 * size: no copy of the text is left behind by a realloc.
	 */
	hl = strlen(hash);
	between = v->span.off - kv->key_span.end;
	n = kv->key_span.off + strlen(hashed) + between + hl + 2 + (len - v->span.end);
	o = malloc(n + 1);
	if (!o) {
		explicit_bzero(hash, sizeof(hash));
		ret = ip_err_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	out->text = o;
	out->len = n;
	memcpy(o, text, kv->key_span.off);
	o += kv->key_span.off;
	memcpy(o, hashed, strlen(hashed));
	o += strlen(hashed);
	memcpy(o, text + kv->key_span.end, between);
	o += between;
	*o++ = '"';
	memcpy(o, hash, hl);
	o += hl;
	*o++ = '"';
	memcpy(o, text + v->span.end, len - v->span.end);
	o[len - v->span.end] = '\0';
	explicit_bzero(hash, sizeof(hash));
	out->sealed = true;
	ret = seal_verify(out, name, v->u.str.ptr, err);
out:
	if (ret < 0)
		answer_sealed_release(out);
	wipe_tree(root);
	toml_free(root);
	return ret;
}

void answer_sealed_release(struct answer_sealed *s)
{
	if (!s)
		return;
	if (s->text)
		explicit_bzero(s->text, s->len);
	free(s->text);
	memset(s, 0, sizeof(*s));
}
