// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-webhook [EVENTS] [MODE...]: how long the status webhook holds up an
 * install. Sends what one install sends (start, EVENTS-2 step events, done;
 * default 17 events) to a receiver on loopback and prints the seconds spent
 * in inst_webhook_send(), in total and the longest single call. Receivers
 * (MODE, default all three): "live" answers 200 at once, "silent" accepts
 * and never answers, "dead" is a port nobody listens on. Uses only the
 * webhook's public interface with its defaults, so it measures an older
 * tree the same way. Prints figures; asserts nothing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "install/inst-webhook.h"
#include "log.h"
#include "util.h"

struct receiver {
	int fd;
	unsigned short port;
	int silent;
	pthread_t thread;
	int held[256];
	size_t n_held;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int listen_any(unsigned short *port, int backlog)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0 ||
	    (backlog && listen(fd, backlog) < 0)) {
		close(fd);
		return -errno;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

static void *serve(void *data)
{
	static const char ok[] = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
	struct receiver *r = data;

	for (;;) {
		char buf[65536];
		int c = accept4(r->fd, NULL, NULL, SOCK_CLOEXEC);
		size_t got = 0;

		if (c < 0)
			break;
		/* the whole request: head, then Content-Length bytes */
		for (;;) {
			ssize_t n = read(c, buf + got, sizeof(buf) - 1 - got);
			char *end, *cl;

			if (n <= 0)
				break;
			got += (size_t)n;
			buf[got] = '\0';
			end = strstr(buf, "\r\n\r\n");
			cl = strcasestr(buf, "\r\nContent-Length:");
			if (end && got >= (size_t)(end + 4 - buf) + (cl ? strtoul(cl + 17, NULL, 10) : 0))
				break;
		}
		if (r->silent && r->n_held < ARRAY_SIZE(r->held)) {
			r->held[r->n_held++] = c;
			continue;
		}
		if (!r->silent && write(c, ok, sizeof(ok) - 1) < 0)
			(void)0;
		close(c);
	}
	return NULL;
}

static int receiver_start(struct receiver *r, const char *mode, char *url, size_t n)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	if (!strcmp(mode, "dead")) {
		int fd = listen_any(&r->port, 0);	/* bound, then closed: nobody listens */

		if (fd < 0)
			return fd;
		close(fd);
	} else {
		r->silent = !strcmp(mode, "silent");
		r->fd = listen_any(&r->port, 64);
		if (r->fd < 0)
			return r->fd;
		if (pthread_create(&r->thread, NULL, serve, r) != 0)
			return -EAGAIN;
	}
	snprintf(url, n, "http://127.0.0.1:%u/hook", r->port);
	return 0;
}

static void receiver_stop(struct receiver *r)
{
	if (r->fd < 0)
		return;
	shutdown(r->fd, SHUT_RDWR);
	pthread_join(r->thread, NULL);
	close(r->fd);
	for (size_t i = 0; i < r->n_held; i++)
		close(r->held[i]);
}

static void quiet(void *data, int prio, const char *file, int line, const char *func,
		  const char *msg)
{
	(void)data;
	(void)prio;
	(void)file;
	(void)line;
	(void)func;
	(void)msg;
}

static int run(const char *mode, unsigned events)
{
	struct inst_webhook wh;
	struct ip_err err = { 0 };
	struct receiver r;
	double total = 0, longest = 0, t;
	char url[64];
	int ret;

	ret = receiver_start(&r, mode, url, sizeof(url));
	if (ret < 0) {
		fprintf(stderr, "bench-webhook: cannot start a '%s' receiver: %s\n", mode,
			strerror(-ret));
		return 1;
	}
	if (inst_webhook_init(&wh, NULL, url, "bench.example.com", &err) < 0) {
		fprintf(stderr, "bench-webhook: %s\n", ip_err_msg(&err));
		receiver_stop(&r);
		return 1;
	}
	for (unsigned i = 0; i < events; i++) {
		enum inst_wh_event ev = i == 0 ? INST_WH_START :
					i + 1 == events ? INST_WH_DONE : INST_WH_STEP;
		char step[16];

		snprintf(step, sizeof(step), "step%02u", i);
		t = now_s();
		inst_webhook_send(&wh, ev, ev == INST_WH_STEP ? step : NULL, "ok", 1.0, NULL, 0);
		t = now_s() - t;
		total += t;
		if (t > longest)
			longest = t;
	}
	t = now_s();
	inst_webhook_release(&wh);
	total += now_s() - t;
	receiver_stop(&r);
	printf("%-7s receiver, %2u events: %7.2f s added to the install (longest call %.2f s)\n",
	       mode, events, total, longest);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const all[] = { "live", "dead", "silent" };
	unsigned events = 17;
	int status = 0;

	if (argc > 1 && (ip_strtouint(argv[1], 10, &events) < 0 || events < 2)) {
		fprintf(stderr, "usage: bench-webhook [EVENTS>=2] [live|dead|silent...]\n");
		return 2;
	}
	ip_log_set_sink(quiet, NULL);
	if (argc > 2) {
		for (int i = 2; i < argc; i++)
			status |= run(argv[i], events);
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(all); i++)
			status |= run(all[i], events);
	}
	return status;
}
