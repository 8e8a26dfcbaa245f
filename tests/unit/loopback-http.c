// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loopback-http.h"

static int bind_any(unsigned short *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
		close(fd);
		return -errno;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

unsigned short lhttp_dead_port(void)
{
	unsigned short port = 0;
	int fd = bind_any(&port);

	if (fd >= 0)
		close(fd);
	return port;
}

/* Read head and Content-Length body into s->req. */
static void read_request(struct lhttp *s, int c)
{
	size_t got = 0, want = 0;
	char *end = NULL;

	while (got < sizeof(s->req) - 1) {
		ssize_t n = read(c, s->req + got, sizeof(s->req) - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
		s->req[got] = '\0';
		if (!end && (end = strstr(s->req, "\r\n\r\n"))) {
			const char *cl = strcasestr(s->req, "\r\nContent-Length:");

			want = (size_t)(end + 4 - s->req) + (cl ? strtoul(cl + 17, NULL, 10) : 0);
		}
		if (end && got >= want)
			break;
	}
	s->req[got] = '\0';
	s->req_len = got;
}

static void *serve(void *data)
{
	struct lhttp *s = data;

	for (;;) {
		char head[256];
		int c = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC), st;
		size_t i;

		if (c < 0)
			break;
		read_request(s, c);
		i = s->n_requests < s->n_statuses ? s->n_requests : s->n_statuses - 1;
		st = s->statuses[i];
		s->n_requests++;
		snprintf(head, sizeof(head),
			 "HTTP/1.0 %d X\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n", st, strlen(s->body));
		if (write(c, head, strlen(head)) < 0 || write(c, s->body, strlen(s->body)) < 0)
			(void)0;
		close(c);
	}
	return NULL;
}

int lhttp_start(struct lhttp *s, const int *statuses, const char *body)
{
	int fd;

	memset(s, 0, sizeof(*s));
	for (; *statuses && s->n_statuses < 8; statuses++)
		s->statuses[s->n_statuses++] = *statuses;
	if (!s->n_statuses)
		s->statuses[s->n_statuses++] = 200;
	s->body = body ? body : "";
	fd = bind_any(&s->port);
	if (fd < 0)
		return fd;
	if (listen(fd, 8) < 0) {
		close(fd);
		return -errno;
	}
	s->fd = fd;
	snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%u", s->port);
	if (pthread_create(&s->thread, NULL, serve, s) != 0) {
		close(fd);
		return -EAGAIN;
	}
	return 0;
}

void lhttp_stop(struct lhttp *s)
{
	shutdown(s->fd, SHUT_RDWR);
	pthread_join(s->thread, NULL);
	close(s->fd);
}
