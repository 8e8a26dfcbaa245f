/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_LOOPBACK_HTTP_H
#define IRONPASS_LOOPBACK_HTTP_H

/*
 * A tiny HTTP/1.0 server on 127.0.0.1 (a random free port) in a thread,
 * for tests of the installer's HTTP client: it answers each request with
 * the next scripted status (the last one repeats) and a fixed body, and
 * keeps the last request's text (head and body) for the test to inspect
 * after lhttp_stop().
 */

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

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
	char url[64];			/* "http://127.0.0.1:PORT" */
};

/* Start with a 0-terminated list of statuses, e.g. {503, 200, 0}. 0 or -errno. */
int lhttp_start(struct lhttp *s, const int *statuses, const char *body);
void lhttp_stop(struct lhttp *s);
/* A TCP port on 127.0.0.1 nobody listens on (bound and closed again). */
unsigned short lhttp_dead_port(void);

#endif
