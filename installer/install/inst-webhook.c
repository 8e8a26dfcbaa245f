// SPDX-License-Identifier: GPL-2.0-or-later
/* The status webhook: JSON events over HTTP(S), never fatal. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "install/inst-http.h"
#include "install/inst-webhook.h"
#include "log.h"
#include "util.h"

static const char *const wh_names[INST_WH_N] = { "start", "step", "done", "failed" };

const char *inst_webhook_event_name(enum inst_wh_event ev)
{
	return (unsigned)ev < INST_WH_N ? wh_names[ev] : "unknown";
}

int inst_webhook_init(struct inst_webhook *wh, const struct answer *a, const char *cmdline_url,
		      const char *node, struct ip_err *err)
{
	const char *url = cmdline_url;

	memset(wh, 0, sizeof(*wh));
	wh->timeout_s = 10;
	wh->tries = 3;
	wh->backoff_ms = 1000;
	wh->events = (1u << INST_WH_N) - 1;
	if (a && a->webhook.url) {
		url = a->webhook.url;
		wh->fingerprint = xstrdup_or_null(a->webhook.cert_fingerprint);
		wh->token = xstrdup_or_null(a->webhook.auth_token);
	}
	if (a && a->ironpass.webhook_events) {
		wh->events = 0;
		for (size_t i = 0; i < a->ironpass.n_webhook_events; i++) {
			const char *n = a->ironpass.webhook_events[i];
			unsigned ev;

			for (ev = 0; ev < INST_WH_N; ev++)
				if (strcmp(n, wh_names[ev]) == 0)
					break;
			if (ev == INST_WH_N) {
				inst_webhook_release(wh);
				return ip_err_set(err, -EINVAL,
						  "unknown webhook event '%s': expected "
						  "start, step, done or failed", n);
			}
			wh->events |= 1u << ev;
		}
	}
	wh->url = xstrdup_or_null(url);
	wh->node = strdup(node ? node : "");
	if ((url && !wh->url) || !wh->node) {
		inst_webhook_release(wh);
		return ip_err_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

void inst_webhook_release(struct inst_webhook *wh)
{
	free(wh->url);
	free(wh->fingerprint);
	if (wh->token)
		memset(wh->token, 0, strlen(wh->token));
	free(wh->token);
	free(wh->node);
	wh->url = wh->fingerprint = wh->token = wh->node = NULL;
}

char *inst_webhook_json(enum inst_wh_event ev, const char *step, const char *status,
			double duration_s, const char *node, const char *const *tail,
			size_t n_tail)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	char *ret = NULL, dur[32];

	if (!o || !arr)
		goto out;
	json_object_object_add(o, "event", json_object_new_string(inst_webhook_event_name(ev)));
	json_object_object_add(o, "step", step ? json_object_new_string(step) : NULL);
	json_object_object_add(o, "status", status ? json_object_new_string(status) : NULL);
	/* milliseconds: stable text, no float noise */
	snprintf(dur, sizeof(dur), "%.3f", duration_s >= 0 ? duration_s : 0.0);
	json_object_object_add(o, "duration_s", json_object_new_double_s(duration_s, dur));
	json_object_object_add(o, "node", json_object_new_string(node ? node : ""));
	for (size_t i = 0; i < n_tail; i++)
		json_object_array_add(arr, json_object_new_string(tail[i] ? tail[i] : ""));
	json_object_object_add(o, "log_tail", arr);
	arr = NULL;
	ret = xstrdup_or_null(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
out:
	json_object_put(arr);
	json_object_put(o);
	return ret;
}

int inst_webhook_send(struct inst_webhook *wh, enum inst_wh_event ev, const char *step,
		      const char *status, double duration_s, const char *const *tail,
		      size_t n_tail)
{
	struct inst_http_opts o = { 0 };
	struct ip_err err = { 0 };
	_cleanup_free_ char *body = NULL;
	long code = 0;
	int ret;

	if (!wh || !wh->url || (unsigned)ev >= INST_WH_N || !(wh->events & (1u << ev)))
		return 1;
	body = inst_webhook_json(ev, step, status, duration_s, wh->node, tail, n_tail);
	if (!body) {
		wh->failed++;
		ip_warn("cannot send webhook event '%s': out of memory, ignoring",
			inst_webhook_event_name(ev));
		return -ENOMEM;
	}
	o.body = body;
	o.body_len = strlen(body);
	o.content_type = "application/json";
	o.bearer = wh->token;
	o.fingerprint = wh->fingerprint;
	o.timeout_s = wh->timeout_s;
	o.connect_timeout_s = wh->timeout_s;
	o.tries = wh->tries;
	o.backoff_ms = wh->backoff_ms;
	o.max_size = 64 * 1024;
	ret = inst_http_fetch(wh->url, &o, NULL, NULL, &code, &err);
	if (ret < 0) {
		wh->failed++;
		ip_warn("cannot send webhook event '%s': %s, ignoring",
			inst_webhook_event_name(ev), ip_err_msg(&err));
		return ret;
	}
	wh->sent++;
	ip_dbg("webhook event '%s' sent (HTTP %ld)", inst_webhook_event_name(ev), code);
	return 0;
}
