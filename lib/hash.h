/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_HASH_H
#define IRONPASS_HASH_H

/* SHA-256 through libcrypto's EVP interface, streaming or over a file. */

#include <stddef.h>

#define SHA256_HEX_LEN 64

struct sha256_ctx;

struct sha256_ctx *sha256_new(void);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
/* Writes 64 lower-case hex digits and a NUL into hex; frees the context. */
int sha256_finish(struct sha256_ctx *c, char hex[SHA256_HEX_LEN + 1]);
struct sha256_ctx *sha256_free(struct sha256_ctx *c);

int sha256_buf(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);
/* Hash a file under prefix; *size gets its length when non-NULL. */
int sha256_file(const char *prefix, const char *path, char hex[SHA256_HEX_LEN + 1],
		unsigned long long *size);

#endif
