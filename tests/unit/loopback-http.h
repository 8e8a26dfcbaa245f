/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_LOOPBACK_HTTP_H
#define IRONPASS_LOOPBACK_HTTP_H

/*
 * A tiny HTTP/1.0 server on 127.0.0.1 (a random free port) in a thread,
 * for tests of the installer's HTTP client: it answers each request with
 * the next scripted status (the last one repeats) and a fixed body, and
 * keeps the last request's text (head and body) for the test to inspect
 * after lhttp_stop(), and every request's body, one line each, in order.
 * A silent server (lhttp_start_silent) accepts and reads each request but
 * never answers, holding the connection open until lhttp_stop().
 *
 * lhttp_start_routes() scripts the answer per request path instead: status,
 * a Location header, a body (sent with or without Content-Length, all at
 * once or in small chunks with a pause before each: a slow server), and
 * counts what each path was asked and what the client took. With tls it
 * speaks HTTPS with a fresh self-signed certificate (made with OpenSSL's
 * API, for 127.0.0.1) whose PEM and SHA-256 fingerprint the test can use.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct lhttp_route {
	const char *path;		/* request path, query included; NULL ends the list */
	int status;			/* 0 = 200 */
	const char *location;		/* Location header (a redirect), or NULL */
	const void *body;		/* NULL = empty */
	size_t len;			/* body bytes; 0 = strlen(body) */
	bool no_length;			/* no Content-Length: the body ends at close */
	size_t declared;		/* Content-Length to announce; 0 = len */
	size_t chunk;			/* bytes per write; 0 = all at once */
	unsigned delay_ms;		/* pause before each chunk */
	/* filled in by the server (read them after lhttp_stop) */
	unsigned hits;
	unsigned long long sent;	/* body bytes the socket accepted */
};

struct ssl_ctx_st;

struct lhttp {
	int fd;
	unsigned short port;
	pthread_t thread;
	int statuses[8];
	size_t n_statuses;
	const char *body;
	char req[65536];		/* the last request */
	size_t req_len;
	unsigned n_requests;
	char url[64];			/* "http://127.0.0.1:PORT" (https:// with tls) */
	/* lhttp_start() and lhttp_start_silent() */
	bool silent;			/* accept and read, never answer */
	unsigned delay_ms;		/* wait this long before each answer (set before requests) */
	int held[64];			/* silent: the connections left hanging */
	size_t n_held;
	char bodies[32768];		/* every request's body + '\n', in order */
	size_t bodies_len;
	/* lhttp_start_routes() only */
	struct lhttp_route *routes;	/* unmatched paths get 404 */
	struct ssl_ctx_st *tls;		/* SSL_CTX when serving HTTPS */
	char *cert_pem;			/* the server's certificate (PEM), with tls */
	char fingerprint[96];		/* its SHA-256, "AB:CD:…", with tls */
};

/* Start with a 0-terminated list of statuses, e.g. {503, 200, 0}. 0 or -errno. */
int lhttp_start(struct lhttp *s, const int *statuses, const char *body);
/* A receiver that accepts every connection and never answers. 0 or -errno. */
int lhttp_start_silent(struct lhttp *s);
/* Serve @routes (the array stays the caller's; hits and sent are updated). 0 or -errno. */
int lhttp_start_routes(struct lhttp *s, struct lhttp_route *routes, bool tls);
void lhttp_stop(struct lhttp *s);
/* A TCP port on 127.0.0.1 nobody listens on (bound and closed again). */
unsigned short lhttp_dead_port(void);

#endif
