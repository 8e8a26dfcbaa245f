/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_HTTP_H
#define IRONPASS_INST_HTTP_H

/*
 * HTTP(S) for the installer (libcurl): the answer file, the first-boot hook
 * and the webhook. Only http and https, bounded time, bounded size, bounded
 * retries with doubling backoff.
 *
 * Certificate pinning: with a fingerprint (SHA-256 of the server's leaf
 * certificate in DER form, as `openssl x509 -fingerprint -sha256` prints it,
 * colons optional) the CA chain and host name are not checked; instead the
 * TLS handshake is refused unless the leaf certificate's digest matches.
 * The check runs inside the handshake (an OpenSSL verify callback installed
 * through CURLOPT_SSL_CTX_FUNCTION), so nothing (no bearer token, no body)
 * is sent to a server that does not match.
 *
 * Redirects: at most 5, http and https only, and never from https down to
 * plain http (an https URL keeps its protection; http may go up to https).
 * The payload download (inst-payload-fetch.c) follows the same rule.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "err.h"

#define INST_HTTP_FP_LEN 32

struct sha256_ctx;

struct inst_http_opts {
	const char *body;		/* POST this body when non-NULL, else GET */
	size_t body_len;
	const char *content_type;	/* with body; default application/json */
	const char *accept;		/* Accept header, or NULL for none */
	const char *bearer;		/* Authorization: Bearer <token>; never logged */
	const char *fingerprint;	/* pinned certificate SHA-256, or NULL */
	unsigned timeout_s;		/* per try; 0 = 30 */
	unsigned connect_timeout_s;	/* 0 = 10 */
	unsigned tries;			/* 0 = 1, or until the deadline when there is one */
	unsigned backoff_ms;		/* before the 2nd try, doubled after; 0 = 1000 */
	/*
	 * CLOCK_MONOTONIC ms (inst_now_ms) after which no try starts and no
	 * pause is slept: each try's time limit is cut to what is left, so
	 * the fetch ends by then (connect included). 0 = none.
	 */
	uint64_t deadline_ms;
	size_t max_size;		/* response limit; 0 = 1 MiB */
	/* NULL: the body is returned in memory; else it goes to this file (large downloads) */
	struct inst_http_sink *sink;
};

/*
 * A body written to a file as it arrives, hashed (SHA-256) on the way; each
 * try starts the file over. A stalled transfer (under 1 KiB/s for 60 s) is
 * given up. @progress (may be NULL) is called as bytes arrive, at most once
 * a second, with the total when the server announced one (else 0).
 */
struct inst_http_sink {
	int fd;
	void (*progress)(void *data, unsigned long long got, unsigned long long total);
	void *data;
	/* out */
	unsigned long long bytes;
	char sha256[65];		/* lower-case hex of what was written */
	/* private */
	struct sha256_ctx *sha;
	int err;
	long last_s;
};

/*
 * Fetch @url. On 0 *out holds the body (NUL-terminated, caller frees; may be
 * NULL when @out is NULL) and *status the HTTP status (2xx). Errors: -EINVAL
 * (bad URL or fingerprint), -EPERM (fingerprint mismatch, refused redirect), -EFBIG,
 * -EPROTO (HTTP status >= 400), -ETIMEDOUT (also: the deadline came first),
 * -EHOSTUNREACH, -ECONNREFUSED.
 */
int inst_http_fetch(const char *url, const struct inst_http_opts *o, char **out, size_t *len,
		    long *status, struct ip_err *err);

/* Milliseconds on CLOCK_MONOTONIC, for deadlines. */
uint64_t inst_now_ms(void);
/* Sleep @ms milliseconds, whatever signals interrupt it. */
void inst_sleep_ms(uint64_t ms);

/* Parse "AB:CD:…" or "abcd…" (64 hex digits). -EINVAL on anything else. */
int inst_http_fp_parse(const char *s, unsigned char fp[INST_HTTP_FP_LEN]);

/* The URL for logs: scheme, host, port and path; user info and query removed. Caller frees. */
char *inst_http_url_redact(const char *url);

/* Follow redirects on @c for a transfer that starts at @url, as the rule above says. */
void inst_http_set_redirects(CURL *c, const char *url);

/*
 * Worth another try: a connection or transfer error, or HTTP 5xx, 408, 429.
 * With CURLOPT_FAILONERROR (status unknown), CURLE_HTTP_RETURNED_ERROR counts
 * as a 5xx: callers stop on a 4xx before asking.
 */
bool inst_http_retryable(CURLcode rc, long status);
/*
 * After curl_easy_perform(@c) returned @rc for @url: when the transfer
 * stopped at a redirect it may not follow, set -EPERM on @err with a message
 * naming both URLs (redacted) and return true.
 */
bool inst_http_redirect_refused(CURL *c, CURLcode rc, const char *url, struct ip_err *err);

#endif
