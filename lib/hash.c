// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "hash.h"
#include "path.h"

struct sha256_ctx {
	EVP_MD_CTX *md;
};

struct sha256_ctx *sha256_new(void)
{
	struct sha256_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->md = EVP_MD_CTX_new();
	if (!c->md || EVP_DigestInit_ex(c->md, EVP_sha256(), NULL) != 1)
		return sha256_free(c);
	return c;
}

void sha256_update(struct sha256_ctx *c, const void *data, size_t len)
{
	EVP_DigestUpdate(c->md, data, len);
}

int sha256_finish(struct sha256_ctx *c, char hex[SHA256_HEX_LEN + 1])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int ret = 0;

	if (EVP_DigestFinal_ex(c->md, d, &n) != 1 || n != 32)
		ret = -EIO;
	for (unsigned i = 0; ret == 0 && i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	sha256_free(c);
	return ret;
}

struct sha256_ctx *sha256_free(struct sha256_ctx *c)
{
	if (c) {
		EVP_MD_CTX_free(c->md);
		free(c);
	}
	return NULL;
}

int sha256_buf(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
	struct sha256_ctx *c = sha256_new();

	if (!c)
		return -ENOMEM;
	sha256_update(c, data, len);
	return sha256_finish(c, hex);
}

int sha256_file(const char *prefix, const char *path, char hex[SHA256_HEX_LEN + 1],
		unsigned long long *size)
{
	char full[PATH_MAX];
	unsigned long long total = 0;
	struct sha256_ctx *c;
	char buf[1 << 14];
	int fd, ret;

	ret = path_join(full, sizeof(full), prefix, path);
	if (ret < 0)
		return ret;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	c = sha256_new();
	if (!c) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			sha256_free(c);
			close(fd);
			return ret;
		}
		if (n == 0)
			break;
		sha256_update(c, buf, n);
		total += n;
	}
	close(fd);
	if (size)
		*size = total;
	return sha256_finish(c, hex);
}
