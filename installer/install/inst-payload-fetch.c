// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "install/inst-payload-fetch.h"
#include "log.h"
#include "path.h"
#include "payload.h"
#include "util.h"

#define FETCH_TRIES 3

struct sink {
	int fd;
	unsigned long long bytes;
	int err;
};

static size_t sink_write(char *p, size_t size, size_t n, void *data)
{
	struct sink *s = data;
	size_t left = size * n;

	while (left > 0) {
		ssize_t k = write(s->fd, p, left);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			s->err = -errno;
			return 0;
		}
		p += k;
		left -= k;
		s->bytes += k;
	}
	return size * n;
}

int inst_payload_is_url(const char *s)
{
	return s && (str_startswith(s, "http://") || str_startswith(s, "https://"));
}

/* GET @url into the file @path (replaced); retried with a growing pause. */
static int fetch_to_file(const char *url, const char *path, struct ip_err *err)
{
	char tmp[PATH_MAX];
	CURLcode rc = CURLE_OK;
	long status = 0;
	int ret = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.part", path) >= sizeof(tmp))
		return ip_err_set(err, -ENAMETOOLONG, "path too long: '%s'", path);
	for (int attempt = 1; attempt <= FETCH_TRIES; attempt++) {
		struct sink s = { .fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) };
		CURL *c;

		if (s.fd < 0)
			return ip_err_errno(err, -errno, "cannot create '%s'", tmp);
		c = curl_easy_init();
		if (!c) {
			close(s.fd);
			return ip_err_set(err, -ENOMEM, "cannot start a download");
		}
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
		/* give up on a stalled transfer, not on a slow large one */
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_cleanup(c);
		if (close(s.fd) < 0 && !s.err)
			s.err = -errno;
		if (rc == CURLE_OK && !s.err) {
			if (rename(tmp, path) < 0)
				return ip_err_errno(err, -errno, "cannot rename '%s'", tmp);
			ip_dbg("fetched '%s': %llu bytes", url, s.bytes);
			return 0;
		}
		if (s.err) {
			ret = ip_err_errno(err, s.err, "cannot write '%s'", tmp);
			break;
		}
		ret = ip_err_set(err, status >= 400 ? -EPROTO : -EIO, "cannot fetch '%s': %s",
				 url, curl_easy_strerror(rc));
		if (status >= 400 && status < 500)
			break;
		ip_warn("cannot fetch '%s' (try %d of %d): %s", url, attempt, FETCH_TRIES,
			curl_easy_strerror(rc));
		sleep(attempt * 2);
	}
	unlink(tmp);
	return ret;
}

int inst_payload_fetch(const char *url, const char *dir, struct ip_err *err)
{
	struct payload_info pi = { 0 };
	char base[2048], src[4096], dst[PATH_MAX];
	size_t n = strlen(url);
	int ret;

	if (!inst_payload_is_url(url))
		return ip_err_set(err, -EINVAL, "'%s' is not an http(s) URL", url);
	if (n >= sizeof(base) - 1)
		return ip_err_set(err, -ENAMETOOLONG, "URL too long");
	snprintf(base, sizeof(base), "%s%s", url, url[n - 1] == '/' ? "" : "/");
	ret = path_mkdirs(NULL, dir, 0755);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot create '%s'", dir);
	snprintf(src, sizeof(src), "%s%s", base, PAYLOAD_MANIFEST);
	if (path_join(dst, sizeof(dst), dir, PAYLOAD_MANIFEST) < 0)
		return ip_err_set(err, -ENAMETOOLONG, "path too long: '%s'", dir);
	ret = fetch_to_file(src, dst, err);
	if (ret < 0)
		return ret;
	ret = payload_manifest_read(dir, &pi, err);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < pi.n_files; i++) {
		const char *rel = pi.files[i].path;
		const char *slash = strrchr(rel, '/');

		if (slash) {
			char sub[PATH_MAX];

			snprintf(sub, sizeof(sub), "%.*s", (int)(slash - rel), rel);
			ret = path_mkdirs(dir, sub, 0755);
			if (ret < 0) {
				ip_err_errno(err, ret, "cannot create '%s/%s'", dir, sub);
				break;
			}
		}
		if ((size_t)snprintf(src, sizeof(src), "%s%s", base, rel) >= sizeof(src) ||
		    path_join(dst, sizeof(dst), dir, rel) < 0) {
			ret = ip_err_set(err, -ENAMETOOLONG, "path too long: '%s'", rel);
			break;
		}
		ip_info("fetching payload file %zu of %zu: %s (%llu bytes)", i + 1, pi.n_files,
			rel, pi.files[i].size);
		ret = fetch_to_file(src, dst, err);
		if (ret < 0)
			break;
	}
	payload_info_release(&pi);
	return ret;
}
