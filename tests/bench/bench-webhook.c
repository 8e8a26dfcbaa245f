// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-webhook [EVENTS] [MODE...]: how long the status webhook holds up an
 * install. Sends what one install sends (start, EVENTS-2 step events, done;
 * default 17 events) to a receiver on loopback and prints the seconds spent
 * in inst_webhook_send(), in total and the longest single call. Receivers
 * (MODE, default all three): "live" answers 200 at once, "silent" accepts
 * and never answers, "dead" is a port nobody listens on. Uses only the
 * webhook's public interface with its defaults. Prints figures; asserts nothing.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "install/inst-webhook.h"
#include "loopback-http.h"
#include "util.h"

/* The receiver: tests/unit/loopback-http (its silent mode for "silent"). */
struct receiver {
	struct lhttp s;
	struct lhttp_route routes[2];
	bool running;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int receiver_start(struct receiver *r, const char *mode, char *url, size_t n)
{
	int ret = 0;

	memset(r, 0, sizeof(*r));
	if (!strcmp(mode, "dead")) {
		unsigned short port = lhttp_dead_port();	/* bound, then closed */

		if (!port)
			return -EADDRNOTAVAIL;
		snprintf(url, n, "http://127.0.0.1:%u/hook", port);
		return 0;
	}
	if (!strcmp(mode, "silent")) {
		ret = lhttp_start_silent(&r->s);
	} else {
		r->routes[0].path = "/hook";		/* 200, empty body */
		ret = lhttp_start_routes(&r->s, r->routes, false);
	}
	if (ret < 0)
		return ret;
	r->running = true;
	snprintf(url, n, "%s/hook", r->s.url);
	return 0;
}

static void receiver_stop(struct receiver *r)
{
	if (r->running)
		lhttp_stop(&r->s);
	r->running = false;
}

static int run(const char *mode, unsigned events)
{
	struct inst_webhook wh;
	struct ip_err err = { 0 };
	struct receiver r;
	double total = 0, longest = 0, t;
	char url[96];
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
	if (argc > 2) {
		for (int i = 2; i < argc; i++)
			status |= run(argv[i], events);
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(all); i++)
			status |= run(all[i], events);
	}
	return status;
}
