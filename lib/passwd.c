// SPDX-License-Identifier: GPL-2.0-or-later
/* Root password hashing and checking with libcrypt (libxcrypt). */
#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "passwd.h"

/* Hash methods we produce, best first. */
static const char *const passwd_methods[] = { "$y$", "$6$" };

static bool passwd_method_known(const char *prefix)
{
	for (size_t i = 0; i < sizeof(passwd_methods) / sizeof(passwd_methods[0]); i++)
		if (!strcmp(prefix, passwd_methods[i]))
			return true;
	return false;
}

static int passwd_hash_with(const char *plain, const char *prefix, char *out, size_t size,
			    struct ip_err *err)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *cd;
	int ret = 0;

	/* NULL rbytes: libcrypt takes the salt from the kernel's random source */
	if (!crypt_gensalt_rn(prefix, 0, NULL, 0, salt, sizeof(salt)) || salt[0] == '*')
		return ip_err_set(err, -ENOSYS, "libcrypt cannot make a '%s' salt", prefix);
	cd = calloc(1, sizeof(*cd));
	if (!cd)
		return ip_err_set(err, -ENOMEM, "cannot hash password: out of memory");
	if (!crypt_r(plain, salt, cd) || cd->output[0] != '$') {
		ret = ip_err_set(err, -ENOSYS, "libcrypt cannot hash with '%s'", prefix);
		goto out_wipe;
	}
	if (strlen(cd->output) >= size) {
		ret = ip_err_set(err, -ERANGE, "password hash does not fit in %zu bytes", size);
		goto out_wipe;
	}
	memcpy(out, cd->output, strlen(cd->output) + 1);
out_wipe:
	/* crypt_data holds a copy of the password's derived state */
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ret;
}

int passwd_hash(const char *plain, const char *prefix, char *out, size_t size,
		struct ip_err *err)
{
	int ret = -ENOSYS;

	if (!plain || !*plain)
		return ip_err_set(err, -EINVAL, "cannot hash an empty password");
	if (prefix) {
		if (!passwd_method_known(prefix))
			return ip_err_set(err, -EINVAL, "unknown hash method '%s'", prefix);
		return passwd_hash_with(plain, prefix, out, size, err);
	}
	for (size_t i = 0; i < sizeof(passwd_methods) / sizeof(passwd_methods[0]); i++) {
		ret = passwd_hash_with(plain, passwd_methods[i], out, size, err);
		if (ret != -ENOSYS)
			return ret;
	}
	return ret;
}

static bool passwd_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '.' || ch == '/' || ch == '$' || ch == '=' || ch == ',' || ch == '-';
}

bool passwd_hash_valid(const char *hash)
{
	size_t fields = 0;

	if (!hash || hash[0] != '$' || strlen(hash) < 13 || strlen(hash) >= PASSWD_HASH_MAX)
		return false;
	for (const char *p = hash; *p; p++) {
		if (!passwd_char_ok(*p))
			return false;
		if (*p == '$')
			fields++;
	}
	/* "$id$salt$hash" at least; the last field (the hash itself) must not be empty */
	if (fields < 3 || hash[strlen(hash) - 1] == '$')
		return false;
	/* the method must be one this libcrypt knows and still accepts */
	return crypt_checksalt(hash) == CRYPT_SALT_OK;
}

bool passwd_verify(const char *plain, const char *hash)
{
	struct crypt_data *cd;
	bool ok = false;

	if (!plain || !passwd_hash_valid(hash))
		return false;
	cd = calloc(1, sizeof(*cd));
	if (!cd)
		return false;
	if (crypt_r(plain, hash, cd) && cd->output[0] == '$')
		ok = strcmp(cd->output, hash) == 0;
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ok;
}

void passwd_wipe(char *secret)
{
	if (secret)
		explicit_bzero(secret, strlen(secret));
}
