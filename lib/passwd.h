/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_PASSWD_H
#define IRONPASS_PASSWD_H

/*
 * Root password hashing (design §5 "Secrets"): plain passwords never reach
 * the target, only crypt(3) hashes made by libcrypt. yescrypt ("$y$") is
 * preferred; SHA-512 ("$6$") is the fallback for a libcrypt without it.
 */

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Room for any hash libcrypt returns (CRYPT_OUTPUT_SIZE). */
#define PASSWD_HASH_MAX 384

/*
 * Hash @plain with a fresh random salt. @prefix is "$y$", "$6$" or NULL
 * (NULL: yescrypt, falling back to SHA-512). Writes the hash to @out.
 * Returns 0, -EINVAL (bad prefix, empty password), -ENOSYS (no method
 * available) or -ERANGE (@size too small).
 */
int passwd_hash(const char *plain, const char *prefix, char *out, size_t size,
		struct ip_err *err);

/* Does @hash look like a crypt(3) hash that libcrypt can check? ("!", "*", "" are not.) */
bool passwd_hash_valid(const char *hash);

/* Does @plain match @hash? false for any malformed hash. */
bool passwd_verify(const char *plain, const char *hash);

/* Overwrite a NUL-terminated secret in place (NULL is fine). */
void passwd_wipe(char *secret);

#endif
