// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The status webhook: JSON events over HTTP(S), never fatal. One sender
 * thread per webhook posts the queued events in order (inst-webhook.h says
 * how long anything may take); it shares only the queue, under q->lock.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int inst_webhook_init_to(struct inst_webhook *wh, const char *url, const char *fingerprint,
			 const char *token, unsigned events, const char *node, struct ip_err *err)
{
	memset(wh, 0, sizeof(*wh));
	wh->timeout_s = INST_WH_TIMEOUT_S;
	wh->tries = INST_WH_TRIES;
	wh->backoff_ms = 1000;
	wh->final_wait_ms = INST_WH_FINAL_WAIT_MS;
	wh->events = events;
	wh->url = xstrdup_or_null(url);
	wh->fingerprint = xstrdup_or_null(fingerprint);
	wh->token = xstrdup_or_null(token);
	wh->node = strdup(node ? node : "");
	if ((url && !wh->url) || (fingerprint && !wh->fingerprint) || (token && !wh->token) ||
	    !wh->node) {
		inst_webhook_release(wh);
		return ip_err_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

int inst_webhook_init(struct inst_webhook *wh, const struct answer *a, const char *cmdline_url,
		      const char *node, struct ip_err *err)
{
	const char *url = cmdline_url, *fingerprint = NULL, *token = NULL;
	unsigned events = (1u << INST_WH_N) - 1;

	memset(wh, 0, sizeof(*wh));	/* released as it is on a refusal */
	if (a && a->webhook.url) {
		url = a->webhook.url;
		fingerprint = a->webhook.cert_fingerprint;
		token = a->webhook.auth_token;
	}
	if (a && a->ironpass.webhook_events) {
		events = 0;
		for (size_t i = 0; i < a->ironpass.n_webhook_events; i++) {
			const char *n = a->ironpass.webhook_events[i];
			unsigned ev;

			for (ev = 0; ev < INST_WH_N; ev++)
				if (strcmp(n, wh_names[ev]) == 0)
					break;
			if (ev == INST_WH_N)
				return ip_err_set(err, -EINVAL,
						  "unknown webhook event '%s': expected "
						  "start, step, done or failed", n);
			events |= 1u << ev;
		}
	}
	return inst_webhook_init_to(wh, url, fingerprint, token, events, node, err);
}

static int wh_finish(struct inst_webhook *wh);

void inst_webhook_release(struct inst_webhook *wh)
{
	if (!wh)
		return;
	(void)wh_finish(wh);
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
			size_t n_tail, struct json_object *facts, const char *token)
{
	json_object *o = json_object_new_object(), *ip = json_object_new_object();
	json_object *arr = json_object_new_array(), *tok = NULL;
	char *ret = NULL, dur[32];
	const char *text;

	if (!o || !ip || !arr)
		goto out;
	/* Proxmox's fields first, shared with @facts (a reference each) */
	if (facts && json_object_is_type(facts, json_type_object)) {
		json_object_object_foreach(facts, key, val) {
			if (strcmp(key, "ironpass") && strcmp(key, "token"))
				json_object_object_add(o, key, json_object_get(val));
		}
	}
	json_object_object_add(ip, "event", json_object_new_string(inst_webhook_event_name(ev)));
	json_object_object_add(ip, "step", step ? json_object_new_string(step) : NULL);
	json_object_object_add(ip, "status", status ? json_object_new_string(status) : NULL);
	/* milliseconds: stable text, no float noise */
	snprintf(dur, sizeof(dur), "%.3f", duration_s >= 0 ? duration_s : 0.0);
	json_object_object_add(ip, "duration_s", json_object_new_double_s(duration_s, dur));
	json_object_object_add(ip, "node", json_object_new_string(node ? node : ""));
	for (size_t i = 0; i < n_tail; i++)
		json_object_array_add(arr, json_object_new_string(tail[i] ? tail[i] : ""));
	json_object_object_add(ip, "log_tail", arr);
	arr = NULL;
	json_object_object_add(o, "ironpass", ip);
	ip = NULL;
	/* where the Proxmox auto-installer puts the auth-token */
	if (token) {
		tok = json_object_new_string(token);
		json_object_object_add(o, "token", json_object_get(tok));
	}
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						 JSON_C_TO_STRING_NOSLASHESCAPE);
	ret = xstrdup_or_null(text);
	/* json-c's copies of the token: wiped before they are freed */
	if (tok && text)
		explicit_bzero((char *)text, strlen(text));
	if (tok && json_object_get_string(tok))
		explicit_bzero((char *)json_object_get_string(tok),
			       strlen(json_object_get_string(tok)));
	json_object_put(tok);
out:
	json_object_put(arr);
	json_object_put(ip);
	json_object_put(o);
	return ret;
}

struct wh_item {
	struct wh_item *next;
	enum inst_wh_event ev;
	char *body;			/* may hold the token: wiped before it is freed */
};

static void wh_item_free(struct wh_item *it)
{
	if (!it)
		return;
	if (it->body)
		explicit_bzero(it->body, strlen(it->body));
	free(it->body);
	free(it);
}

struct wh_note {
	int prio;
	char *msg;
};

/*
 * Shared by the caller and the sender thread, under lock. The sender has its
 * own copies of what it sends with: after a final wait that ran out, the
 * caller lets it go (detached) and it frees the queue itself when its try
 * in flight ends.
 */
struct inst_wh_queue {
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* to the sender: an event, the deadline, stop */
	pthread_cond_t idle;		/* from the sender: an event is done, or it ended */
	pthread_t thread;
	char *url, *token, *fingerprint;
	unsigned timeout_s, tries, backoff_ms;
	struct wh_item *head, *tail;
	long long deadline;		/* CLOCK_MONOTONIC ms; 0 until the final wait */
	bool stop;			/* the sender ends when the queue is empty */
	bool ended;			/* it did */
	bool detached;			/* nobody waits for it: it frees the queue */
	bool failing;			/* the last event failed every try */
	int final_ret;			/* the last final event: 0 delivered, else -errno */
	unsigned sent, failed, dropped;
	struct wh_note *notes;		/* for the caller's thread to log */
	size_t n_notes;
};

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct timespec mono_at(long long ms)
{
	return (struct timespec){ ms / 1000, (long)(ms % 1000) * 1000000L };
}

static bool is_final(enum inst_wh_event ev)
{
	return ev == INST_WH_DONE || ev == INST_WH_FAILED;
}

/* with q->lock held */
static void wh_note(struct inst_wh_queue *q, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void wh_note(struct inst_wh_queue *q, int prio, const char *fmt, ...)
{
	struct wh_note *n = realloc(q->notes, (q->n_notes + 1) * sizeof(*n));
	va_list ap;
	char *msg;
	int len;

	if (!n)
		return;
	q->notes = n;
	va_start(ap, fmt);
	len = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	q->notes[q->n_notes++] = (struct wh_note){ prio, msg };
}

/* In the caller's thread: log what the sender noted. */
static void wh_flush_notes(struct inst_wh_queue *q)
{
	struct wh_note *notes;
	size_t n;

	pthread_mutex_lock(&q->lock);
	notes = q->notes;
	n = q->n_notes;
	q->notes = NULL;
	q->n_notes = 0;
	pthread_mutex_unlock(&q->lock);
	for (size_t i = 0; i < n; i++) {
		ip_log(notes[i].prio, "%s", notes[i].msg);
		free(notes[i].msg);
	}
	free(notes);
}

static void wh_queue_free(struct inst_wh_queue *q)
{
	while (q->head) {
		struct wh_item *it = q->head;

		q->head = it->next;
		wh_item_free(it);
	}
	for (size_t i = 0; i < q->n_notes; i++)
		free(q->notes[i].msg);
	free(q->notes);
	free(q->url);
	free(q->fingerprint);
	if (q->token)
		explicit_bzero(q->token, strlen(q->token));
	free(q->token);
	pthread_cond_destroy(&q->idle);
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

/* One try, at most @left_ms (-1: no limit) and q->timeout_s. */
static int wh_post(const struct inst_wh_queue *q, const char *body, long long left_ms,
		   long *code, struct ip_err *err)
{
	struct inst_http_opts o = { 0 };
	unsigned t = q->timeout_s;

	if (left_ms >= 0 && (long long)t * 1000 > left_ms)
		t = (unsigned)((left_ms + 999) / 1000);
	o.body = body;
	o.body_len = strlen(body);
	o.content_type = "application/json";
	o.bearer = q->token;
	o.fingerprint = q->fingerprint;
	o.timeout_s = t ? t : 1;
	o.connect_timeout_s = o.timeout_s;
	o.tries = 1;
	o.max_size = 64 * 1024;
	return inst_http_fetch(q->url, &o, NULL, NULL, code, err);
}

/*
 * The HTTP client's rule (inst_http_retryable): connection and transfer
 * errors, 5xx, 408 and 429 are worth another try; other 4xx, a bad URL, a
 * certificate that does not match or a refused redirect are not.
 */
static bool wh_retryable(int ret, long status)
{
	switch (ret) {
	case -EPROTO:
		return inst_http_retryable(CURLE_OK, status);
	case -EINVAL:
	case -EPERM:
	case -EFBIG:
		return false;
	default:
		return true;
	}
}

/*
 * Send the head of the queue; with q->lock held, released while posting.
 * *tried says whether any try was made before the final wait's deadline.
 */
static int wh_send_head(struct inst_wh_queue *q, struct ip_err *err, long *code, bool *tried)
{
	const struct wh_item *it = q->head;
	unsigned tries = q->failing ? 1 : q->tries;
	unsigned backoff = q->backoff_ms;
	int ret = -ETIMEDOUT;

	for (unsigned t = 0; t < tries; t++) {
		long long left = q->deadline ? q->deadline - mono_ms() : -1;

		if (t > 0) {
			/* back off; a final wait that begins meanwhile wakes us */
			long long until = mono_ms() + backoff;

			while (mono_ms() < until && !(q->deadline && mono_ms() >= q->deadline)) {
				struct timespec ts = mono_at(q->deadline && q->deadline < until ?
							     q->deadline : until);

				if (pthread_cond_timedwait(&q->wake, &q->lock, &ts) == ETIMEDOUT)
					break;
			}
			backoff *= 2;
			left = q->deadline ? q->deadline - mono_ms() : -1;
		}
		if (q->deadline && left <= 0)
			break;
		*tried = true;
		pthread_mutex_unlock(&q->lock);
		ret = wh_post(q, it->body, left, code, err);
		pthread_mutex_lock(&q->lock);
		if (ret == 0 || !wh_retryable(ret, *code))
			break;
	}
	return ret;
}

static void *wh_sender(void *data)
{
	struct inst_wh_queue *q = data;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct ip_err err = { 0 };
		struct wh_item *it;
		bool tried = false;
		long code = 0;
		int ret = -ETIMEDOUT;

		while (!q->head && !q->stop)
			pthread_cond_wait(&q->wake, &q->lock);
		it = q->head;
		if (!it)
			break;
		/* in the final wait, no time goes to start/step events for a failing receiver */
		if (!(q->deadline && q->failing && !is_final(it->ev)))
			ret = wh_send_head(q, &err, &code, &tried);
		if (ret == 0) {
			q->sent++;
			q->failing = false;
			wh_note(q, LOG_DEBUG, "webhook event '%s' sent (HTTP %ld)",
				inst_webhook_event_name(it->ev), code);
		} else if (!tried) {
			q->dropped++;
		} else {
			q->failed++;
			q->failing = true;
			wh_note(q, LOG_WARNING, "cannot send webhook event '%s': %s, ignoring",
				inst_webhook_event_name(it->ev), ip_err_msg(&err));
		}
		if (is_final(it->ev))
			q->final_ret = ret;
		q->head = it->next;
		if (!q->head)
			q->tail = NULL;
		wh_item_free(it);
		pthread_cond_broadcast(&q->idle);
	}
	q->ended = true;
	if (q->detached) {
		pthread_mutex_unlock(&q->lock);
		wh_queue_free(q);
		return NULL;
	}
	pthread_cond_broadcast(&q->idle);
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

static int wh_start(struct inst_webhook *wh)
{
	struct inst_wh_queue *q = calloc(1, sizeof(*q));
	pthread_condattr_t ca;
	sigset_t all, old;
	int rc;

	if (!q)
		return -ENOMEM;
	pthread_mutex_init(&q->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->wake, &ca);
	pthread_cond_init(&q->idle, &ca);
	pthread_condattr_destroy(&ca);
	q->url = strdup(wh->url);
	q->token = xstrdup_or_null(wh->token);
	q->fingerprint = xstrdup_or_null(wh->fingerprint);
	q->timeout_s = wh->timeout_s ? wh->timeout_s : INST_WH_TIMEOUT_S;
	q->tries = wh->tries ? wh->tries : 1;
	q->backoff_ms = wh->backoff_ms;
	q->final_ret = -ENODATA;
	if (!q->url || (wh->token && !q->token) || (wh->fingerprint && !q->fingerprint)) {
		wh_queue_free(q);
		return -ENOMEM;
	}
	/* signals (SIGTERM during an install) are for the installing thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&q->thread, NULL, wh_sender, q);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		wh_queue_free(q);
		return -rc;
	}
	wh->q = q;
	return 0;
}

/*
 * The final wait: at most final_wait_ms for the queue to drain. Then the
 * sender is let go: it drops what is left and frees the queue when its try
 * in flight ends (cut to the same deadline, rounded up to a second). Logs
 * what it noted and updates the counters. Returns how the last final event
 * went: 0 delivered, else a negative errno (-ENODATA: there was none).
 */
static int wh_finish(struct inst_webhook *wh)
{
	struct inst_wh_queue *q = wh->q;
	struct wh_note *notes;
	struct timespec ts;
	unsigned left = 0, not_sent;
	bool detach;
	pthread_t thread;
	size_t n_notes;
	int ret;

	if (!q)
		return -ENODATA;
	wh->q = NULL;
	pthread_mutex_lock(&q->lock);
	q->deadline = mono_ms() + wh->final_wait_ms;
	q->stop = true;
	pthread_cond_broadcast(&q->wake);
	ts = mono_at(q->deadline);
	while (!q->ended)
		if (pthread_cond_timedwait(&q->idle, &q->lock, &ts) == ETIMEDOUT)
			break;
	detach = !q->ended;
	if (detach) {
		/* the one in flight and those behind it will not be sent */
		for (const struct wh_item *it = q->head; it; it = it->next)
			left++;
		q->detached = true;
	}
	ret = q->ended ? q->final_ret : -ETIMEDOUT;
	not_sent = q->dropped + left;
	wh->sent += q->sent;
	wh->failed += q->failed;
	wh->dropped += not_sent;
	notes = q->notes;
	n_notes = q->n_notes;
	q->notes = NULL;
	q->n_notes = 0;
	thread = q->thread;
	pthread_mutex_unlock(&q->lock);
	/* detached, q is the sender's now: it may be gone already */
	if (detach) {
		pthread_detach(thread);
	} else {
		pthread_join(thread, NULL);
		wh_queue_free(q);
	}
	for (size_t i = 0; i < n_notes; i++) {
		ip_log(notes[i].prio, "%s", notes[i].msg);
		free(notes[i].msg);
	}
	free(notes);
	if (not_sent)
		ip_warn("%u webhook event(s) not sent: the final wait (%g s) was over, ignoring",
			not_sent, wh->final_wait_ms / 1000.0);
	return ret;
}

int inst_webhook_send(struct inst_webhook *wh, enum inst_wh_event ev, const char *step,
		      const char *status, double duration_s, const char *const *tail,
		      size_t n_tail)
{
	struct wh_item *it;
	int ret;

	if (!wh || !wh->url || (unsigned)ev >= INST_WH_N || !(wh->events & (1u << ev)))
		return 1;
	if (wh->q)
		wh_flush_notes(wh->q);
	it = calloc(1, sizeof(*it));
	if (it)
		it->body = inst_webhook_json(ev, step, status, duration_s, wh->node, tail, n_tail,
					     ev == INST_WH_DONE ? wh->facts : NULL, wh->token);
	if (!it || !it->body) {
		wh_item_free(it);
		wh->failed++;
		ip_warn("cannot send webhook event '%s': out of memory, ignoring",
			inst_webhook_event_name(ev));
		return -ENOMEM;
	}
	it->ev = ev;
	if (!wh->q) {
		ret = wh_start(wh);
		if (ret < 0) {
			wh_item_free(it);
			wh->failed++;
			ip_warn("cannot send webhook event '%s': cannot start its sender: %s, "
				"ignoring", inst_webhook_event_name(ev), strerror(-ret));
			return ret;
		}
	}
	pthread_mutex_lock(&wh->q->lock);
	if (wh->q->tail)
		wh->q->tail->next = it;
	else
		wh->q->head = it;
	wh->q->tail = it;
	pthread_cond_broadcast(&wh->q->wake);
	pthread_mutex_unlock(&wh->q->lock);
	return is_final(ev) ? wh_finish(wh) : 0;
}
