// SPDX-License-Identifier: GPL-2.0-or-later
/* Webhook: JSON body (ours in "ironpass", Proxmox's facts on "done"), bearer and body token,
 * event filter, and an unreachable receiver. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "install/inst-webhook.h"
#include "log-capture.h"
#include "log.h"
#include "loopback-http.h"

static void test_json(void **state)
{
	const char *tail[] = { "mkfs.ext4 /dev/pve/root", "done \"root\"" };
	char *j;

	json_object *facts;

	(void)state;
	j = inst_webhook_json(INST_WH_FAILED, "mkfs", "failed", 1.5, "pve1.example.com", tail, 2,
			      NULL, NULL);
	assert_string_equal(j, "{\"ironpass\":{\"event\":\"failed\",\"step\":\"mkfs\","
			       "\"status\":\"failed\",\"duration_s\":1.500,"
			       "\"node\":\"pve1.example.com\","
			       "\"log_tail\":[\"mkfs.ext4 /dev/pve/root\","
			       "\"done \\\"root\\\"\"]}}");
	free(j);
	j = inst_webhook_json(INST_WH_START, NULL, NULL, 0, "n.example", NULL, 0, NULL, NULL);
	assert_string_equal(j, "{\"ironpass\":{\"event\":\"start\",\"step\":null,\"status\":null,"
			       "\"duration_s\":0.000,\"node\":\"n.example\",\"log_tail\":[]}}");
	free(j);
	/* done: Proxmox's fields first, ours in "ironpass", the token last as Proxmox sends it;
	 * the facts' own "ironpass" or "token" members never override ours */
	facts = json_tokener_parse("{\"$schema\":{\"version\":\"1.2\"},\"fqdn\":\"n.example\","
				   "\"token\":\"forged\",\"ironpass\":1,"
				   "\"disks\":[{\"size\":1024,\"is-bootdisk\":true}]}");
	assert_non_null(facts);
	j = inst_webhook_json(INST_WH_DONE, NULL, "ok", 61.25, "n.example", NULL, 0, facts,
			      "t0ken-s3cret");
	assert_string_equal(j, "{\"$schema\":{\"version\":\"1.2\"},\"fqdn\":\"n.example\","
			       "\"disks\":[{\"size\":1024,\"is-bootdisk\":true}],"
			       "\"ironpass\":{\"event\":\"done\",\"step\":null,\"status\":\"ok\","
			       "\"duration_s\":61.250,\"node\":\"n.example\",\"log_tail\":[]},"
			       "\"token\":\"t0ken-s3cret\"}");
	free(j);
	/* the facts are only borrowed */
	assert_true(json_object_object_get_ex(facts, "disks", NULL));
	json_object_put(facts);
}

static void test_send(void **state)
{
	static const int ok[] = { 200, 0 };
	const char *tail[] = { "line one" };
	char *events[] = { (char *)"done", (char *)"failed" };
	struct answer a = { 0 };
	struct inst_webhook wh;
	struct ip_err err = { 0 };
	struct lhttp s;
	json_object *o, *ip, *v, *facts = json_tokener_parse("{\"fqdn\":\"pve1.example.com\"}");
	const char *body;

	(void)state;
	assert_non_null(facts);
	assert_int_equal(lhttp_start(&s, ok, "thanks"), 0);
	a.webhook.url = s.url;
	a.webhook.auth_token = (char *)"t0ken-s3cret";
	a.ironpass.webhook_events = events;
	a.ironpass.n_webhook_events = 2;
	log_capture_start();
	ip_log_set_level(LOG_DEBUG);
	assert_int_equal(inst_webhook_init(&wh, &a, NULL, "pve1.example.com", &err), 0);
	wh.facts = facts;
	/* filtered out: nothing sent */
	assert_int_equal(inst_webhook_send(&wh, INST_WH_STEP, "mkfs", "ok", 2, NULL, 0), 1);
	assert_int_equal(inst_webhook_send(&wh, INST_WH_DONE, "done", "ok", 123.25, tail, 1), 0);
	lhttp_stop(&s);
	assert_int_equal(s.n_requests, 1);
	assert_true(strncmp(s.req, "POST / HTTP/1.1\r\n", 17) == 0);
	assert_non_null(strstr(s.req, "\r\nAuthorization: Bearer t0ken-s3cret\r\n"));
	assert_non_null(strstr(s.req, "\r\nContent-Type: application/json\r\n"));
	body = strstr(s.req, "\r\n\r\n") + 4;
	o = json_tokener_parse(body);
	assert_non_null(o);
	/* our fields in "ironpass", none at the top */
	assert_false(json_object_object_get_ex(o, "event", NULL));
	assert_true(json_object_object_get_ex(o, "ironpass", &ip));
	assert_true(json_object_object_get_ex(ip, "event", &v));
	assert_string_equal(json_object_get_string(v), "done");
	assert_true(json_object_object_get_ex(ip, "duration_s", &v));
	assert_true(json_object_get_double(v) == 123.25);
	assert_true(json_object_object_get_ex(ip, "node", &v));
	assert_string_equal(json_object_get_string(v), "pve1.example.com");
	assert_true(json_object_object_get_ex(ip, "log_tail", &v));
	assert_int_equal(json_object_array_length(v), 1);
	/* Proxmox's: the facts, and the token in the body */
	assert_true(json_object_object_get_ex(o, "fqdn", &v));
	assert_string_equal(json_object_get_string(v), "pve1.example.com");
	assert_true(json_object_object_get_ex(o, "token", &v));
	assert_string_equal(json_object_get_string(v), "t0ken-s3cret");
	json_object_put(o);
	json_object_put(facts);
	assert_null(strstr(log_captured(), "t0ken"));
	inst_webhook_release(&wh);
	log_capture_stop();
	ip_log_set_level(LOG_INFO);
}

static void test_unreachable(void **state)
{
	struct inst_webhook wh;
	struct ip_err err = { 0 };
	char url[64];

	(void)state;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/hook", lhttp_dead_port());
	log_capture_start();
	/* from the kernel command line; all events */
	assert_int_equal(inst_webhook_init(&wh, NULL, url, "pve1.example.com", &err), 0);
	wh.tries = 2;
	wh.backoff_ms = 1;
	/* queued: the install goes on */
	assert_int_equal(inst_webhook_send(&wh, INST_WH_START, NULL, NULL, 0, NULL, 0), 0);
	/* the final event waits for the queue and says it was not delivered */
	assert_true(inst_webhook_send(&wh, INST_WH_DONE, NULL, NULL, 0, NULL, 0) < 0);
	assert_int_equal(wh.sent, 0);
	assert_int_equal(wh.failed, 2);
	assert_non_null(strstr(log_captured(), "cannot send webhook event 'start': "));
	assert_non_null(strstr(log_captured(), "cannot send webhook event 'done': "));
	assert_non_null(strstr(log_captured(), ", ignoring\n"));
	inst_webhook_release(&wh);
	log_capture_stop();
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What one install sends before the end: start and 15 steps. Each returns at once:
 * well under the 1 s that one try to a silent receiver takes (the bounds leave room
 * for a loaded machine, where 0.53 s was seen for one event). */
static void send_install(struct inst_webhook *wh)
{
	double total = 0;

	for (int i = 0; i <= 15; i++) {
		char step[16];
		double t = now_s();

		snprintf(step, sizeof(step), "step%02d", i);
		assert_int_equal(inst_webhook_send(wh, i ? INST_WH_STEP : INST_WH_START,
						   i ? step : NULL, "ok", 1.0, NULL, 0), 0);
		t = now_s() - t;
		if (t > 0.9)
			fail_msg("queueing event %d took %.2f s", i, t);
		total += t;
	}
	if (total > 4.0)
		fail_msg("queueing 16 events took %.2f s", total);
}

/* A receiver that accepts and never answers costs the install the final wait, no more. */
static void test_silent_receiver(void **state)
{
	struct inst_webhook wh;
	struct ip_err err = { 0 };
	struct answer a = { 0 };
	struct lhttp s;
	double t;
	int ret;

	(void)state;
	assert_int_equal(lhttp_start_silent(&s), 0);
	a.webhook.url = s.url;
	a.webhook.auth_token = (char *)"t0ken-s3cret";
	log_capture_start();
	assert_int_equal(inst_webhook_init(&wh, &a, NULL, "pve1.example.com", &err), 0);
	wh.timeout_s = 1;
	wh.final_wait_ms = 2000;
	t = now_s();
	send_install(&wh);
	ret = inst_webhook_send(&wh, INST_WH_DONE, NULL, "ok", 99, NULL, 0);
	t = now_s() - t;
	assert_true(ret < 0);
	/* the final wait, plus the try in flight rounded up to a second at most */
	if (t > 2.0 + 1.5)
		fail_msg("17 events to a silent receiver took %.2f s", t);
	assert_int_equal(wh.sent, 0);
	assert_int_equal(wh.failed + wh.dropped, 17);
	assert_non_null(strstr(log_captured(), "not sent: the final wait (2 s) was over, ignoring"));
	assert_null(strstr(log_captured(), "t0ken"));
	inst_webhook_release(&wh);
	lhttp_stop(&s);
	assert_true(s.n_requests >= 1);
	log_capture_stop();
}

/* A try in flight longer than the final wait does not stretch it. */
static void test_final_wait_bounded(void **state)
{
	struct inst_webhook wh;
	struct ip_err err = { 0 };
	struct lhttp s;
	double t;

	(void)state;
	assert_int_equal(lhttp_start_silent(&s), 0);
	log_capture_start();
	assert_int_equal(inst_webhook_init(&wh, NULL, s.url, "pve1.example.com", &err), 0);
	wh.timeout_s = 30;
	wh.final_wait_ms = 1000;
	assert_int_equal(inst_webhook_send(&wh, INST_WH_START, NULL, NULL, 0, NULL, 0), 0);
	t = now_s();
	assert_int_equal(inst_webhook_send(&wh, INST_WH_FAILED, "disk", "failed", 1, NULL, 0),
			 -ETIMEDOUT);
	t = now_s() - t;
	if (t < 0.9 || t > 1.5)
		fail_msg("the final wait took %.2f s, expected 1 s", t);
	assert_int_equal(wh.sent, 0);
	assert_int_equal(wh.failed + wh.dropped, 2);
	inst_webhook_release(&wh);
	/* the sender let go ends when its connection closes */
	lhttp_stop(&s);
	log_capture_stop();
}

/* A slow receiver: the install does not wait for it, and the events arrive in order. */
static void test_order_slow_receiver(void **state)
{
	static const int ok[] = { 200, 0 };
	const char *tail[] = { "last line" };
	struct inst_webhook wh;
	struct ip_err err = { 0 };
	struct lhttp s;
	char *line, *save = NULL;
	json_object *facts = json_tokener_parse("{\"$schema\":{\"version\":\"1.2\"}}");
	int n = 0;

	(void)state;
	assert_non_null(facts);
	assert_int_equal(lhttp_start(&s, ok, "ok"), 0);
	s.delay_ms = 100;
	assert_int_equal(inst_webhook_init(&wh, NULL, s.url, "pve1.example.com", &err), 0);
	/* only the done event carries the facts */
	wh.facts = facts;
	send_install(&wh);
	assert_int_equal(inst_webhook_send(&wh, INST_WH_DONE, NULL, "ok", 9, tail, 1), 0);
	lhttp_stop(&s);
	assert_int_equal(wh.sent, 17);
	assert_int_equal(s.n_requests, 17);
	for (line = strtok_r(s.bodies, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_object *o = json_tokener_parse(line), *ip, *ev, *step;
		char want[16];

		assert_non_null(o);
		assert_true(json_object_object_get_ex(o, "ironpass", &ip));
		assert_true(json_object_object_get_ex(ip, "event", &ev));
		assert_true(json_object_object_get_ex(ip, "step", &step));
		/* no token set: none in the body */
		assert_false(json_object_object_get_ex(o, "token", NULL));
		assert_int_equal(json_object_object_get_ex(o, "$schema", NULL), n == 16);
		if (n == 0) {
			assert_string_equal(json_object_get_string(ev), "start");
		} else if (n == 16) {
			assert_string_equal(json_object_get_string(ev), "done");
		} else {
			snprintf(want, sizeof(want), "step%02d", n);
			assert_string_equal(json_object_get_string(ev), "step");
			assert_string_equal(json_object_get_string(step), want);
		}
		json_object_put(o);
		n++;
	}
	assert_int_equal(n, 17);
	inst_webhook_release(&wh);
	json_object_put(facts);
}

/* The HTTP client's retry rule: a 5xx is tried again, a 404 is not. */
static void test_retry_rule(void **state)
{
	static const int busy_then_ok[] = { 503, 200, 0 }, missing[] = { 404, 0 };
	struct inst_webhook wh;
	struct ip_err err = { 0 };
	struct lhttp s;

	(void)state;
	log_capture_start();
	assert_int_equal(lhttp_start(&s, busy_then_ok, "ok"), 0);
	assert_int_equal(inst_webhook_init(&wh, NULL, s.url, "pve1.example.com", &err), 0);
	wh.backoff_ms = 1;
	assert_int_equal(inst_webhook_send(&wh, INST_WH_DONE, NULL, "ok", 1, NULL, 0), 0);
	lhttp_stop(&s);
	assert_int_equal(s.n_requests, 2);
	assert_int_equal(wh.sent, 1);
	inst_webhook_release(&wh);

	assert_int_equal(lhttp_start(&s, missing, "no"), 0);
	assert_int_equal(inst_webhook_init(&wh, NULL, s.url, "pve1.example.com", &err), 0);
	wh.backoff_ms = 1;
	assert_true(inst_webhook_send(&wh, INST_WH_DONE, NULL, "ok", 1, NULL, 0) < 0);
	lhttp_stop(&s);
	assert_int_equal(s.n_requests, 1);
	assert_int_equal(wh.failed, 1);
	assert_non_null(strstr(log_captured_warnings(), "cannot send webhook event 'done': "));
	inst_webhook_release(&wh);
	log_capture_stop();
}

static void test_bad_event(void **state)
{
	char *events[] = { (char *)"done", (char *)"finish" };
	struct answer a = { 0 };
	struct inst_webhook wh;
	struct ip_err err = { 0 };

	(void)state;
	a.webhook.url = (char *)"http://127.0.0.1:9/";
	a.ironpass.webhook_events = events;
	a.ironpass.n_webhook_events = 2;
	assert_int_equal(inst_webhook_init(&wh, &a, NULL, "n.example", &err), -EINVAL);
	assert_string_equal(err.msg, "unknown webhook event 'finish': expected start, step, "
				     "done or failed");
	/* no URL anywhere: sending is a no-op */
	assert_int_equal(inst_webhook_init(&wh, NULL, NULL, "n.example", &err), 0);
	assert_int_equal(inst_webhook_send(&wh, INST_WH_DONE, NULL, NULL, 0, NULL, 0), 1);
	inst_webhook_release(&wh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_send),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_silent_receiver),
		cmocka_unit_test(test_final_wait_bounded),
		cmocka_unit_test(test_order_slow_receiver),
		cmocka_unit_test(test_retry_rule),
		cmocka_unit_test(test_bad_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
