// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target: any input must parse or fail cleanly, with a message;
 * every byte span of a parsed key or value lies inside the input and holds
 * its text (the sealer rewrites answers through them). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "toml/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_buf;
static size_t fuzz_len;

static void fuzz_span(struct toml_span sp)
{
	if (sp.off > sp.end || sp.end > fuzz_len || (sp.end && sp.off == sp.end))
		abort();
}

/* Walks the tree touching every node so that ASan sees any bad pointer. */
static size_t fuzz_walk(const struct toml_value *v)
{
	size_t i, n = 1;

	fuzz_span(v->span);
	/* a string's span starts and ends with its quote */
	if (v->type == TOML_STRING && v->span.end &&
	    (fuzz_buf[v->span.off] != fuzz_buf[v->span.end - 1] ||
	     (fuzz_buf[v->span.off] != '"' && fuzz_buf[v->span.off] != '\'')))
		abort();
	if (v->type == TOML_TABLE) {
		for (i = 0; i < toml_table_len(v); i++) {
			const struct toml_kv *kv = toml_table_at(v, i);

			if (toml_get(v, kv->key) == NULL && strlen(kv->key) == kv->keylen)
				abort();	/* every key must be found again */
			fuzz_span(kv->key_span);
			/* a bare key's span is the key itself */
			if (kv->key_span.end && fuzz_buf[kv->key_span.off] != '"' &&
			    fuzz_buf[kv->key_span.off] != '\'' &&
			    (kv->key_span.end - kv->key_span.off != kv->keylen ||
			     memcmp(fuzz_buf + kv->key_span.off, kv->key, kv->keylen)))
				abort();
			n += fuzz_walk(kv->value) + kv->key_pos.line;
		}
	} else if (v->type == TOML_ARRAY) {
		for (i = 0; i < toml_array_len(v); i++)
			n += fuzz_walk(toml_array_at(v, i));
	} else if (v->type == TOML_STRING) {
		n += strlen(v->u.str.ptr);
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct toml_value *root;
	struct toml_error err;
	char buf[1024];

	fuzz_buf = (const char *)data;
	fuzz_len = size;
	if (toml_parse((const char *)data, size, "fuzz", &root, &err) < 0) {
		toml_error_str(&err, buf, sizeof(buf));
		if (!err.msg[0] || err.line == 0)
			abort();	/* a syntax error must say where and what */
		return 0;
	}
	fuzz_walk(root);
	toml_free(root);
	return 0;
}
