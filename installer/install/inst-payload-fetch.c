// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "hash.h"
#include "install/inst-http.h"
#include "install/inst-payload-fetch.h"
#include "install/inst-steps.h"
#include "log.h"
#include "path.h"
#include "payload.h"
#include "url.h"
#include "util.h"

#define FETCH_TRIES		3
#define FETCH_DEADLINE_MAX_MS	(24LL * 3600 * 1000)

/* Where the bytes of one transfer go: a file, at most @max bytes, hashed when sha is set. */
struct sink {
	int fd;
	unsigned long long bytes, max;
	bool too_long;
	struct sha256_ctx *sha;
	int err;
};

static size_t sink_write(char *p, size_t size, size_t n, void *data)
{
	struct sink *s = data;
	size_t len = size * n, left = len;

	if (len > s->max - s->bytes) {
		/* keep what the manifest allows, then stop the transfer */
		s->too_long = true;
		left = (size_t)(s->max - s->bytes);
	}
	while (left > 0) {
		ssize_t k = write(s->fd, p, left);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			s->err = -errno;
			return 0;
		}
		if (s->sha)
			sha256_update(s->sha, p, (size_t)k);
		p += k;
		left -= (size_t)k;
		s->bytes += (unsigned long long)k;
	}
	return s->too_long ? 0 : len;
}

int inst_payload_is_url(const char *s)
{
	return s && (str_startswith(s, "http://") || str_startswith(s, "https://"));
}

long inst_payload_deadline_ms(const struct inst_payload_fetch_opts *o, unsigned long long size)
{
	unsigned long long base = o && o->base_s ? o->base_s : INST_FETCH_BASE_S;
	unsigned long long rate = o && o->min_rate ? o->min_rate : INST_FETCH_MIN_RATE;
	unsigned long long ms = base * 1000;

	if (size / rate > (unsigned long long)FETCH_DEADLINE_MAX_MS / 1000)
		return FETCH_DEADLINE_MAX_MS;
	ms += size / rate * 1000 + size % rate * 1000 / rate;
	return ms > (unsigned long long)FETCH_DEADLINE_MAX_MS ? FETCH_DEADLINE_MAX_MS : (long)ms;
}

/* One file to fetch: its URL, where it goes, its limit and what it is called in messages. */
struct fetch_job {
	const char *url;
	const char *path;
	const char *name;		/* the payload file's path; NULL: manifest.json */
	unsigned long long max;
	long deadline_ms;
	const char *pin;		/* the SHA-256 it must have (manifest.json), or NULL */
	const char *pin_from;
};

/* One GET of @j into the open @s; the curl result, *status the HTTP status. */
static CURLcode fetch_once(struct fetch_job *j, struct sink *s,
			   const struct inst_payload_fetch_opts *o, long *status, char *errbuf,
			   struct ip_err *err, bool *refused)
{
	CURL *c = curl_easy_init();
	CURLcode rc;

	*refused = false;
	if (!c)
		return CURLE_OUT_OF_MEMORY;
	curl_easy_setopt(c, CURLOPT_URL, j->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	inst_http_set_redirects(c, j->url);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, j->deadline_ms);
	/* give up on a stalled transfer before its deadline, too */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
	/* refused before the body when the server announces more (0 means "no limit") */
	if (j->max > 0)
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->max);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ironpass-installer");
	if (o->ca_pem) {
		struct curl_blob ca = { .data = (void *)o->ca_pem, .len = strlen(o->ca_pem),
					.flags = CURL_BLOB_COPY };

		curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &ca);
	}
	rc = curl_easy_perform(c);
	*status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	*refused = inst_http_redirect_refused(c, rc, j->url, err);
	curl_easy_cleanup(c);
	return rc;
}

/* GET @j->url into @j->path (replaced only when complete); retried with a growing pause. */
static int fetch_to_file(struct fetch_job *j, const struct inst_payload_fetch_opts *o,
			 struct ip_err *err)
{
	_cleanup_free_ char *shown = inst_http_url_redact(j->url);
	unsigned tries = o->tries ? o->tries : FETCH_TRIES;
	char tmp[PATH_MAX];
	int ret = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.part", j->path) >= sizeof(tmp))
		return ip_err_set(err, -ENAMETOOLONG, "path too long: '%s'", j->path);
	for (unsigned attempt = 1; attempt <= tries; attempt++) {
		struct sink s = { .fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644),
				  .max = j->max };
		char errbuf[CURL_ERROR_SIZE] = "";
		long status = 0;
		bool refused;
		CURLcode rc;

		if (s.fd < 0)
			return ip_err_errno(err, -errno, "cannot create '%s'", tmp);
		if (j->pin && !(s.sha = sha256_new())) {
			close(s.fd);
			ret = ip_err_set(err, -ENOMEM, "out of memory");
			break;
		}
		rc = fetch_once(j, &s, o, &status, errbuf, err, &refused);
		if (close(s.fd) < 0 && !s.err)
			s.err = -errno;
		if (rc == CURLE_OK && !s.err) {
			if (s.sha) {
				char hex[SHA256_HEX_LEN + 1];

				ret = sha256_finish(s.sha, hex);
				s.sha = NULL;
				if (ret < 0) {
					ip_err_errno(err, ret, "cannot hash '%s'", tmp);
					break;
				}
				if (strcmp(hex, j->pin) != 0) {
					ret = ip_err_set(err, -EBADMSG, "payload manifest '%s' "
							 "does not match its pin: sha256 %s, "
							 "pinned %s (by %s)", shown ? shown : "",
							 hex, j->pin, j->pin_from);
					break;
				}
			}
			if (rename(tmp, j->path) < 0)
				return ip_err_errno(err, -errno, "cannot rename '%s'", tmp);
			ip_dbg("fetched '%s': %llu bytes", shown, s.bytes);
			return 0;
		}
		s.sha = sha256_free(s.sha);
		if (s.err) {
			ret = ip_err_errno(err, s.err, "cannot write '%s'", tmp);
			break;
		}
		if (refused) {
			ret = -EPERM;
			break;
		}
		if ((s.too_long || rc == CURLE_FILESIZE_EXCEEDED) && !j->name) {
			ret = ip_err_set(err, -EFBIG, "payload manifest '%s' is longer than %llu "
					 "bytes: cut off and refused", shown ? shown : "", j->max);
			break;
		}
		if (s.too_long || rc == CURLE_FILESIZE_EXCEEDED) {
			ret = ip_err_set(err, -EFBIG, "payload file '%s' from '%s' is longer than "
					 "the %llu bytes its manifest lists: cut off and refused",
					 j->name, shown ? shown : "", j->max);
			break;
		}
		if (rc == CURLE_OPERATION_TIMEDOUT)
			ret = ip_err_set(err, -ETIMEDOUT, "cannot fetch '%s': %s (deadline %ld s: "
					 "%u s plus %llu bytes at %u KiB/s)", shown ? shown : "",
					 errbuf[0] ? errbuf : curl_easy_strerror(rc),
					 j->deadline_ms / 1000,
					 o->base_s ? o->base_s : INST_FETCH_BASE_S, j->max,
					 (o->min_rate ? o->min_rate : INST_FETCH_MIN_RATE) / 1024);
		else
			ret = ip_err_set(err, status >= 400 ? -EPROTO : -EIO,
					 "cannot fetch '%s': %s", shown ? shown : "",
					 errbuf[0] ? errbuf : curl_easy_strerror(rc));
		if ((status >= 400 && status < 500) || !inst_http_retryable(rc, 0) || attempt == tries)
			break;
		ip_warn("%s (try %u of %u)", ip_err_msg(err), attempt, tries);
		sleep(attempt * 2);
	}
	unlink(tmp);
	return ret;
}

/* Fetch manifest.json into @dir and hold it against the pin before anything else. */
static int fetch_manifest(const char *base, const char *dir,
			  const struct inst_payload_fetch_opts *o, struct payload_info *pi,
			  struct ip_err *err)
{
	char src[4096], dst[PATH_MAX];
	struct fetch_job j = { .url = src, .path = dst,
			       .max = INST_FETCH_MANIFEST_MAX, .pin = o->pin,
			       .pin_from = o->pin_from ? o->pin_from : "the caller" };
	int ret;

	j.deadline_ms = inst_payload_deadline_ms(o, j.max);
	if ((size_t)snprintf(src, sizeof(src), "%s%s", base, PAYLOAD_MANIFEST) >= sizeof(src) ||
	    path_join(dst, sizeof(dst), dir, PAYLOAD_MANIFEST) < 0)
		return ip_err_set(err, -ENAMETOOLONG, "path too long: '%s'", dir);
	/* a manifest left from an earlier run must not stand in for this one */
	if (unlink(dst) < 0 && errno != ENOENT)
		return ip_err_errno(err, -errno, "cannot remove '%s'", dst);
	ret = fetch_to_file(&j, o, err);
	if (ret < 0)
		return ret;
	return payload_manifest_read(dir, pi, err);
}

int inst_payload_fetch(const char *url, const char *dir, const struct inst_payload_fetch_opts *o,
		       struct ip_err *err)
{
	static const struct inst_payload_fetch_opts none;
	struct payload_info pi = { 0 };
	char base[2048], src[4096], dst[PATH_MAX], esc[2048];
	size_t n = strlen(url);
	int ret;

	if (!o)
		o = &none;
	if (!inst_payload_is_url(url)) {
		char shown[512];

		return ip_err_set(err, -EINVAL, "'%s' is not an http(s) URL",
				  url_redact(url, shown, sizeof(shown)));
	}
	if (n >= sizeof(base) - 1)
		return ip_err_set(err, -ENAMETOOLONG, "URL too long");
	snprintf(base, sizeof(base), "%s%s", url, url[n - 1] == '/' ? "" : "/");
	ret = path_mkdirs(NULL, dir, 0755);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot create '%s'", dir);
	ret = fetch_manifest(base, dir, o, &pi, err);
	if (ret < 0)
		goto out;
	for (size_t i = 0; i < pi.n_files; i++) {
		const struct payload_file *f = &pi.files[i];
		const char *slash = strrchr(f->path, '/');
		struct fetch_job j = { .url = src, .path = dst, .name = f->path, .max = f->size,
				       .deadline_ms = inst_payload_deadline_ms(o, f->size) };

		if (slash) {
			char sub[PATH_MAX];

			snprintf(sub, sizeof(sub), "%.*s", (int)(slash - f->path), f->path);
			ret = path_mkdirs(dir, sub, 0755);
			if (ret < 0) {
				ip_err_errno(err, ret, "cannot create '%s/%s'", dir, sub);
				break;
			}
		}
		/* the name as a URL path: apt's "%3a" (an epoch's ':') must reach the server as is */
		if (url_path_escape(f->path, esc, sizeof(esc)) >= sizeof(esc) ||
		    (size_t)snprintf(src, sizeof(src), "%s%s", base, esc) >= sizeof(src) ||
		    path_join(dst, sizeof(dst), dir, f->path) < 0) {
			ret = ip_err_set(err, -ENAMETOOLONG, "path too long: '%s'", f->path);
			break;
		}
		ip_info("fetching payload file %zu of %zu: %s (%llu bytes)", i + 1, pi.n_files,
			f->path, f->size);
		ret = fetch_to_file(&j, o, err);
		if (ret < 0)
			break;
	}
out:
	payload_info_release(&pi);
	return ret;
}

/* Step "fetch": the payload over HTTP with its pin, or the pin of a payload on the medium. */
int inst_fetch(struct inst_ctx *ctx)
{
	struct inst_payload_pin pin;
	struct inst_payload_fetch_opts o = { 0 };
	_cleanup_free_ char *shown = NULL;
	int ret;

	ret = inst_payload_pin_read(ctx->sysroot, ctx->payload_sha256, &pin, &ctx->err);
	if (ret < 0)
		return ret;
	if (!ctx->payload_url) {
		ret = inst_payload_pin_check(ctx->payload_dir, &pin, &ctx->err);
		if (ret == 0 && pin.sha256[0])
			ip_info("payload manifest '%s/%s' matches its pin (by %s)",
				ctx->payload_dir, PAYLOAD_MANIFEST, pin.from);
		return ret;
	}
	shown = inst_http_url_redact(ctx->payload_url);
	if (pin.sha256[0]) {
		o.pin = pin.sha256;
		o.pin_from = pin.from;
		ip_info("payload from '%s', manifest pinned by %s: sha256 %s", shown ? shown : "",
			pin.from, pin.sha256);
	} else {
		ip_warn("payload from '%s' is not pinned: whoever controls that server or the "
			"network in between decides what gets installed; pin it with "
			"ironpass.payload-sha256=<sha256 of its manifest.json> or boot the "
			"image built with that payload (see docs/pxe.md)", shown ? shown : "");
	}
	return inst_payload_fetch(ctx->payload_url, ctx->payload_dir, &o, &ctx->err);
}
