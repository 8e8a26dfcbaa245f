// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target: any input must parse or fail cleanly, with a message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "toml/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Walks the tree touching every node so that ASan sees any bad pointer. */
static size_t fuzz_walk(const struct toml_value *v)
{
	size_t i, n = 1;

	if (v->type == TOML_TABLE) {
		for (i = 0; i < toml_table_len(v); i++) {
			const struct toml_kv *kv = toml_table_at(v, i);

			if (toml_get(v, kv->key) == NULL && strlen(kv->key) == kv->keylen)
				abort();	/* every key must be found again */
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
