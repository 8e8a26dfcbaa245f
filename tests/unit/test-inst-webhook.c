// SPDX-License-Identifier: GPL-2.0-or-later
/* Webhook: JSON body, bearer token, event filter, and an unreachable receiver. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

	(void)state;
	j = inst_webhook_json(INST_WH_FAILED, "mkfs", "failed", 1.5, "pve1.example.com", tail, 2);
	assert_string_equal(j, "{\"event\":\"failed\",\"step\":\"mkfs\",\"status\":\"failed\","
			       "\"duration_s\":1.500,\"node\":\"pve1.example.com\","
			       "\"log_tail\":[\"mkfs.ext4 /dev/pve/root\",\"done \\\"root\\\"\"]}");
	free(j);
	j = inst_webhook_json(INST_WH_START, NULL, NULL, 0, "n.example", NULL, 0);
	assert_string_equal(j, "{\"event\":\"start\",\"step\":null,\"status\":null,"
			       "\"duration_s\":0.000,\"node\":\"n.example\",\"log_tail\":[]}");
	free(j);
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
	json_object *o, *v;
	const char *body;

	(void)state;
	assert_int_equal(lhttp_start(&s, ok, "thanks"), 0);
	a.webhook.url = s.url;
	a.webhook.auth_token = (char *)"t0ken-s3cret";
	a.ironpass.webhook_events = events;
	a.ironpass.n_webhook_events = 2;
	log_capture_start();
	ip_log_set_level(LOG_DEBUG);
	assert_int_equal(inst_webhook_init(&wh, &a, NULL, "pve1.example.com", &err), 0);
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
	assert_true(json_object_object_get_ex(o, "event", &v));
	assert_string_equal(json_object_get_string(v), "done");
	assert_true(json_object_object_get_ex(o, "duration_s", &v));
	assert_true(json_object_get_double(v) == 123.25);
	assert_true(json_object_object_get_ex(o, "node", &v));
	assert_string_equal(json_object_get_string(v), "pve1.example.com");
	assert_true(json_object_object_get_ex(o, "log_tail", &v));
	assert_int_equal(json_object_array_length(v), 1);
	json_object_put(o);
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
	assert_true(inst_webhook_send(&wh, INST_WH_START, NULL, NULL, 0, NULL, 0) < 0);
	assert_int_equal(wh.failed, 1);
	assert_non_null(strstr(log_captured(), "cannot send webhook event 'start': "));
	assert_non_null(strstr(log_captured(), ", ignoring\n"));
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
		cmocka_unit_test(test_bad_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
