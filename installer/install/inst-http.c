// SPDX-License-Identifier: GPL-2.0-or-later
/* HTTP(S) fetches with bounded retries and certificate fingerprint pinning. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "hash.h"
#include "install/inst-http.h"
#include "log.h"
#include "url.h"
#include "util.h"

struct http_buf {
	char *data;
	size_t len, max;
	bool too_big;
	struct inst_http_sink *sink;	/* the body goes here instead of data */
};

struct http_pin {
	unsigned char want[INST_HTTP_FP_LEN];
	bool checked, matched;
};

static pthread_once_t http_once = PTHREAD_ONCE_INIT;
static int http_pin_idx = -1;

static void http_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	http_pin_idx = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

int inst_http_fp_parse(const char *s, unsigned char fp[INST_HTTP_FP_LEN])
{
	size_t n = 0;

	if (!s)
		return -EINVAL;
	while (*s) {
		int hi, lo;

		if (*s == ':') {
			s++;
			continue;
		}
		hi = hex_digit(s[0]);
		lo = hi < 0 ? -1 : hex_digit(s[1]);
		if (lo < 0 || n >= INST_HTTP_FP_LEN)
			return -EINVAL;
		fp[n++] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	return n == INST_HTTP_FP_LEN ? 0 : -EINVAL;
}

char *inst_http_url_redact(const char *url)
{
	return url_redact_dup(url);
}

void inst_http_set_redirects(CURL *c, const char *url)
{
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
			 str_startswith(url, "https://") ? "https" : "http,https");
}

bool inst_http_redirect_refused(CURL *c, CURLcode rc, const char *url, struct ip_err *err)
{
	_cleanup_free_ char *from = NULL, *to = NULL;
	char *where = NULL;
	long status = 0;

	if (rc != CURLE_UNSUPPORTED_PROTOCOL)
		return false;
	/* curl moves the effective URL to the redirect's target before refusing it */
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &where);
	if (status < 300 || status > 399 || !where)
		return false;
	from = inst_http_url_redact(url);
	to = inst_http_url_redact(where);
	if (str_startswith(url, "https://") && strncasecmp(where, "http://", 7) == 0)
		ip_err_set(err, -EPERM, "cannot fetch '%s': refusing its redirect from https to "
			   "plain http '%s'", from ? from : "", to ? to : "");
	else
		ip_err_set(err, -EPERM, "cannot fetch '%s': refusing its redirect to '%s': only "
			   "http and https are followed", from ? from : "", to ? to : "");
	return true;
}

static size_t sink_write(struct http_buf *b, const char *ptr, size_t n)
{
	struct inst_http_sink *s = b->sink;
	size_t left = n;

	while (left) {
		ssize_t k = write(s->fd, ptr, left);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			s->err = -errno;
			return 0;
		}
		sha256_update(s->sha, ptr, (size_t)k);
		ptr += k;
		left -= (size_t)k;
	}
	b->len += n;
	s->bytes += n;
	return n;
}

static int sink_progress(void *data, curl_off_t total, curl_off_t now, curl_off_t ut,
			 curl_off_t un)
{
	struct inst_http_sink *s = data;
	struct timespec ts;

	(void)ut;
	(void)un;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (s->progress && now > 0 && ts.tv_sec != s->last_s) {
		s->last_s = ts.tv_sec;
		s->progress(s->data, (unsigned long long)now,
			    total > 0 ? (unsigned long long)total : 0);
	}
	return 0;
}

/* a try starts the file and the hash over */
static int sink_restart(struct inst_http_sink *s)
{
	s->bytes = 0;
	s->err = 0;
	s->sha256[0] = '\0';
	s->sha = sha256_free(s->sha);
	if (ftruncate(s->fd, 0) < 0 || lseek(s->fd, 0, SEEK_SET) < 0)
		return -errno;
	s->sha = sha256_new();
	return s->sha ? 0 : -ENOMEM;
}

static size_t http_write(char *ptr, size_t size, size_t nmemb, void *data)
{
	struct http_buf *b = data;
	size_t n = size * nmemb;
	char *p;

	if (b->len + n > b->max) {
		b->too_big = true;
		return 0;
	}
	if (b->sink)
		return sink_write(b, ptr, n);
	p = realloc(b->data, b->len + n + 1);
	if (!p)
		return 0;
	b->data = p;
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* Leaf certificate check inside the handshake; the chain is not used. */
static int http_verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct http_pin *pin;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	X509 *cert;

	(void)ok;
	if (!ssl)
		return 0;
	pin = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), http_pin_idx);
	if (!pin)
		return 0;
	if (X509_STORE_CTX_get_error_depth(xs) != 0)
		return 1;
	cert = X509_STORE_CTX_get_current_cert(xs);
	if (!cert || !X509_digest(cert, EVP_sha256(), md, &mdlen) || mdlen != INST_HTTP_FP_LEN)
		return 0;
	pin->checked = true;
	pin->matched = memcmp(md, pin->want, INST_HTTP_FP_LEN) == 0;
	return pin->matched;
}

static CURLcode http_ssl_ctx(CURL *curl, void *sslctx, void *data)
{
	(void)curl;
	if (!SSL_CTX_set_ex_data(sslctx, http_pin_idx, data))
		return CURLE_SSL_CERTPROBLEM;
	SSL_CTX_set_verify(sslctx, SSL_VERIFY_PEER, http_verify_cb);
	return CURLE_OK;
}

bool inst_http_retryable(CURLcode rc, long status)
{
	if (rc == CURLE_OK)
		return status >= 500 || status == 408 || status == 429;
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP_RETURNED_ERROR:
		return true;
	default:
		return false;
	}
}

static int http_errno(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_COULDNT_CONNECT:
		return -ECONNREFUSED;
	case CURLE_COULDNT_RESOLVE_HOST:
		return -EHOSTUNREACH;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return -EINVAL;
	default:
		return -EIO;
	}
}

void inst_sleep_ms(uint64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

uint64_t inst_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A try's time limit in ms: @limit_s, cut to what is left before the deadline (>= 1). */
static long http_try_ms(const struct inst_http_opts *o, unsigned limit_s)
{
	uint64_t ms = 1000ull * limit_s, now;

	if (o->deadline_ms) {
		now = inst_now_ms();
		if (o->deadline_ms <= now)
			return 1;
		if (o->deadline_ms - now < ms)
			ms = o->deadline_ms - now;
	}
	return (long)ms;
}

static int http_once_try(const char *url, const struct inst_http_opts *o, struct http_pin *pin,
			 struct http_buf *b, long *status, struct ip_err *err, bool *retry)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdr = NULL;
	_cleanup_free_ char *auth = NULL, *ctype = NULL, *accept = NULL,
			    *shown = inst_http_url_redact(url);
	CURL *c;
	CURLcode rc;
	int ret = 0;

	*retry = false;
	c = curl_easy_init();
	if (!c)
		return ip_err_set(err, -ENOMEM, "cannot start a transfer to '%s'", shown);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	inst_http_set_redirects(c, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, http_try_ms(o, o->timeout_s ? o->timeout_s : 30));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
			 http_try_ms(o, o->connect_timeout_s ? o->connect_timeout_s : 10));
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ironpass-installer");
	curl_easy_setopt(c, CURLOPT_SSL_SESSIONID_CACHE, 0L);
	if (pin) {
		/* the pin replaces CA and host name checks (self-signed servers) */
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, http_ssl_ctx);
		curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, pin);
	}
	if (o->body) {
		if (asprintf(&ctype, "Content-Type: %s",
			     o->content_type ? o->content_type : "application/json") < 0)
			ctype = NULL;
		if (ctype)
			hdr = curl_slist_append(hdr, ctype);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, o->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)o->body_len);
	}
	if (o->accept) {
		if (asprintf(&accept, "Accept: %s", o->accept) < 0)
			accept = NULL;
		if (accept)
			hdr = curl_slist_append(hdr, accept);
	}
	if (o->bearer && *o->bearer) {
		if (asprintf(&auth, "Authorization: Bearer %s", o->bearer) < 0)
			auth = NULL;
		if (auth)
			hdr = curl_slist_append(hdr, auth);
	}
	if (hdr)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	if (b->sink) {
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, sink_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, b->sink);
		if (b->max)
			curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)b->max);
	}

	rc = curl_easy_perform(c);
	*status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	if (pin && rc == CURLE_OK && !pin->checked) {
		/* no certificate was seen (cannot happen with a normal TLS server) */
		ret = ip_err_set(err, -EPERM, "cannot fetch '%s': no server certificate to check "
				 "against the pinned fingerprint", shown);
	} else if (pin && pin->checked && !pin->matched) {
		ret = ip_err_set(err, -EPERM,
				 "cannot fetch '%s': server certificate does not match "
				 "the pinned fingerprint", shown);
	} else if (inst_http_redirect_refused(c, rc, url, err)) {
		ret = -EPERM;
	} else if (b->sink && b->sink->err) {
		ret = ip_err_errno(err, b->sink->err, "cannot fetch '%s': cannot write the file",
				   shown);
	} else if ((rc == CURLE_WRITE_ERROR && b->too_big) || rc == CURLE_FILESIZE_EXCEEDED) {
		ret = ip_err_set(err, -EFBIG, "cannot fetch '%s': response larger than %zu bytes",
				 shown, b->max);
	} else if (rc != CURLE_OK) {
		ret = ip_err_set(err, http_errno(rc), "cannot fetch '%s': %s", shown,
				 errbuf[0] ? errbuf : curl_easy_strerror(rc));
		*retry = inst_http_retryable(rc, 0);
	} else if (*status >= 400) {
		ret = ip_err_set(err, -EPROTO, "cannot fetch '%s': HTTP status %ld", shown,
				 *status);
		*retry = inst_http_retryable(rc, *status);
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	return ret;
}

int inst_http_fetch(const char *url, const struct inst_http_opts *o, char **out, size_t *len,
		    long *status, struct ip_err *err)
{
	static const struct inst_http_opts none;
	struct http_pin pin = { 0 }, *pinp = NULL;
	struct ip_err e = { 0 };
	unsigned tries, delay, i;
	long st = 0;
	int ret = -EINVAL;
	char shown[512];

	if (!o)
		o = &none;
	if (!url || !(str_startswith(url, "http://") || str_startswith(url, "https://")))
		return ip_err_set(err, -EINVAL, "unsupported url '%s': only http and https",
				  url_redact(url, shown, sizeof(shown)));
	if (o->fingerprint) {
		if (inst_http_fp_parse(o->fingerprint, pin.want) < 0)
			return ip_err_set(err, -EINVAL,
					  "invalid certificate fingerprint '%s': "
					  "expected 32 hex bytes", o->fingerprint);
		if (!str_startswith(url, "https://"))
			return ip_err_set(err, -EINVAL,
					  "a certificate fingerprint needs an https url, not '%s'",
					  url_redact(url, shown, sizeof(shown)));
		pinp = &pin;
	}
	pthread_once(&http_once, http_global_init);
	tries = o->tries ? o->tries : o->deadline_ms ? UINT_MAX : 1;
	delay = o->backoff_ms ? o->backoff_ms : 1000;
	for (i = 0; i < tries; i++) {
		struct http_buf b = { .max = o->max_size ? o->max_size : 1u << 20,
				      .sink = o->sink };
		bool retry;

		pin.checked = pin.matched = false;
		if (o->deadline_ms && inst_now_ms() >= o->deadline_ms) {
			ret = ip_err_set(&e, -ETIMEDOUT, "cannot fetch '%s': the deadline passed "
					 "before it was tried", url_redact(url, shown, sizeof(shown)));
			break;
		}
		if (o->sink && (ret = sink_restart(o->sink)) < 0)
			return ip_err_errno(err, ret, "cannot start the download of '%s' over",
					    url_redact(url, shown, sizeof(shown)));
		ret = http_once_try(url, o, pinp, &b, &st, &e, &retry);
		if (ret == 0 && o->sink) {
			ret = sha256_finish(o->sink->sha, o->sink->sha256);
			o->sink->sha = NULL;
			if (ret < 0)
				return ip_err_errno(err, ret, "cannot hash the download");
			if (status)
				*status = st;
			if (len)
				*len = b.len;
			return 0;
		}
		if (ret == 0) {
			if (!b.data)
				b.data = calloc(1, 1);
			if (!b.data)
				return ip_err_set(err, -ENOMEM, "out of memory");
			if (status)
				*status = st;
			if (len)
				*len = b.len;
			if (out)
				*out = b.data;
			else
				free(b.data);
			return 0;
		}
		free(b.data);
		if (!retry || i + 1 == tries)
			break;
		if (o->deadline_ms && inst_now_ms() + delay >= o->deadline_ms) {
			/* no time for another try: say so, keeping the last error's errno */
			struct ip_err last = e;

			ip_err_set(&e, ret, "%s; giving up at the deadline after %u %s", last.msg,
				   i + 1, i ? "tries" : "try");
			break;
		}
		if (tries == UINT_MAX)
			ip_info("%s, retrying in %u ms (try %u, until the deadline)", e.msg, delay,
				i + 2);
		else
			ip_info("%s, retrying in %u ms (try %u of %u)", e.msg, delay, i + 2,
				tries);
		inst_sleep_ms(delay);
		if (delay < 60000)
			delay *= 2;
	}
	if (status)
		*status = st;
	if (o->sink)
		o->sink->sha = sha256_free(o->sink->sha);
	return ip_err_set(err, ret, "%s", e.msg);
}
