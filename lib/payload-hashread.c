// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hash a payload file while it is read: the installer unpacks base.tar.zst
 * with libarchive from the ISO or an HTTP body and checks its size and
 * SHA-256 against the manifest in the same pass.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>

#include "payload.h"

static ssize_t payload_fd_read(void *src, void *buf, size_t len)
{
	struct payload_hashread *h = src;

	for (;;) {
		ssize_t n = read(h->fd, buf, len);

		if (n >= 0)
			return n;
		if (errno != EINTR)
			return -errno;
	}
}

int payload_hashread_init(struct payload_hashread *h, payload_read_fn fn, void *src,
			  const struct payload_file *expect)
{
	memset(h, 0, sizeof(*h));
	h->fd = -1;
	h->read_fn = fn;
	h->src = src;
	h->expect = expect;
	h->buf = malloc(PAYLOAD_HASHREAD_BUF);
	h->sha = sha256_new();
	if (!h->buf || !h->sha) {
		payload_hashread_release(h);
		return -ENOMEM;
	}
	return 0;
}

int payload_hashread_init_fd(struct payload_hashread *h, int fd,
			     const struct payload_file *expect)
{
	int ret = payload_hashread_init(h, payload_fd_read, NULL, expect);

	if (ret < 0)
		return ret;
	h->src = h;
	h->fd = fd;
	return 0;
}

ssize_t payload_hashread_next(struct payload_hashread *h, const void **data)
{
	ssize_t n;

	*data = h->buf;
	if (h->read_err)
		return h->read_err;
	if (!h->sha)
		return 0;
	n = h->read_fn(h->src, h->buf, PAYLOAD_HASHREAD_BUF);
	if (n < 0) {
		h->read_err = (int)n;
		return n;
	}
	sha256_update(h->sha, h->buf, (size_t)n);
	h->done += (unsigned long long)n;
	return n;
}

static la_ssize_t payload_archive_read(struct archive *a, void *data, const void **buf)
{
	struct payload_hashread *h = data;
	ssize_t n = payload_hashread_next(h, buf);

	if (n < 0) {
		archive_set_error(a, (int)-n, "read failed after %llu bytes", h->done);
		return -1;
	}
	return n;
}

int payload_hashread_archive_open(struct archive *a, struct payload_hashread *h)
{
	return archive_read_open(a, h, NULL, payload_archive_read, NULL);
}

int payload_hashread_finish(struct payload_hashread *h, struct ip_err *err)
{
	const char *name = h->expect ? h->expect->path : "payload stream";
	const void *data;
	ssize_t n;
	int ret = 0;

	/* libarchive stops at the end-of-archive marker: hash the tail too */
	while ((n = payload_hashread_next(h, &data)) > 0)
		;
	if (n < 0) {
		ret = ip_err_errno(err, (int)n, "cannot read '%s'", name);
		goto out;
	}
	if (!h->sha) {
		ret = ip_err_set(err, -EINVAL, "'%s' was already checked", name);
		goto out;
	}
	ret = sha256_finish(h->sha, h->hex);
	h->sha = NULL;
	if (ret < 0) {
		ip_err_errno(err, ret, "cannot hash '%s'", name);
		goto out;
	}
	if (!h->expect)
		goto out;
	if (h->done != h->expect->size)
		ret = ip_err_set(err, -EBADMSG, "payload file '%s' has the wrong size: %llu bytes, "
				 "manifest says %llu", name, h->done, h->expect->size);
	else if (strcmp(h->hex, h->expect->sha256) != 0)
		ret = ip_err_set(err, -EBADMSG, "payload file '%s' is corrupt: sha256 %s, "
				 "manifest says %s", name, h->hex, h->expect->sha256);
out:
	free(h->buf);
	h->buf = NULL;
	return ret;
}

void payload_hashread_release(struct payload_hashread *h)
{
	if (!h)
		return;
	h->sha = sha256_free(h->sha);
	free(h->buf);
	h->buf = NULL;
}
