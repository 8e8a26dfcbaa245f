/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_WEBHOOK_H
#define IRONPASS_INST_WEBHOOK_H

/*
 * Status webhook: every install event is POSTed as one JSON object. Our own
 * fields are in its "ironpass" member,
 *	"ironpass":{"event":"start|step|done|failed","step":…,"status":…,
 *		    "duration_s":…,"node":"<fqdn>","log_tail":[…]}
 * and the "done" event carries, beside it, the fields the Proxmox VE
 * auto-installer posts after an install ("$schema", "debian-version",
 * "product", …: inst-facts.h). With an auth-token, the body has it as
 * "token" (as Proxmox sends it) and the request has "Authorization: Bearer
 * <auth-token>"; the token is never logged. A webhook that cannot be
 * reached is logged "…, ignoring" and never stops the install.
 *
 * Delivery (issue 10): events are queued and POSTed in order by one sender
 * thread, so the install never waits for the receiver, except at the end:
 * the final event (done or failed) waits at most final_wait_ms for the queue
 * to drain (the try in flight may add up to a second). Each event gets
 * `tries` tries of at most timeout_s each, doubling backoff_ms in between;
 * after an event failed every try the receiver counts as failing: the next
 * events get one try each until one gets through, and during the final wait
 * queued start/step events are dropped so that the final one gets the time.
 * A dead or silent receiver thus adds at most final_wait_ms to an install.
 * The sender thread never logs: its warnings are logged by the next
 * inst_webhook_send or by inst_webhook_release, in the caller's thread.
 */

#include <stdbool.h>
#include <stddef.h>

#include "answer.h"
#include "err.h"

enum inst_wh_event { INST_WH_START, INST_WH_STEP, INST_WH_DONE, INST_WH_FAILED, INST_WH_N };

#define INST_WH_TIMEOUT_S	5	/* per try */
#define INST_WH_TRIES		3
#define INST_WH_FINAL_WAIT_MS	10000	/* what a final event waits for the queue, at most */

struct inst_wh_queue;
struct json_object;

struct inst_webhook {
	char *url;			/* NULL: no webhook */
	char *fingerprint;
	char *token;
	unsigned events;		/* 1u << enum inst_wh_event */
	char *node;			/* the node's FQDN */
	/* borrowed, may be NULL: the Proxmox fields that the next "done" event carries */
	struct json_object *facts;
	/* set before the first event; the sender thread reads them */
	unsigned timeout_s;		/* per try; default INST_WH_TIMEOUT_S */
	unsigned tries;			/* per event; default INST_WH_TRIES */
	unsigned backoff_ms;		/* before the 2nd try, doubled after; default 1000 */
	unsigned final_wait_ms;		/* default INST_WH_FINAL_WAIT_MS */
	/* counters, up to date after a final event and after inst_webhook_release */
	unsigned sent, failed;		/* answered 2xx; failed every try */
	unsigned dropped;		/* not tried: the final wait was over or cut short */
	struct inst_wh_queue *q;	/* the sender, from the first event to the final one */
};

const char *inst_webhook_event_name(enum inst_wh_event ev);

/*
 * Take the URL from [post-installation-webhook] or else from the kernel
 * command line (ironpass.webhook=, may be NULL), the events from
 * [ironpass] webhook-events (all when unset). -EINVAL on an unknown event
 * name. The answer may be NULL.
 */
int inst_webhook_init(struct inst_webhook *wh, const struct answer *a, const char *cmdline_url,
		      const char *node, struct ip_err *err);
/*
 * The same from the values themselves (the first boot keeps them in its
 * configuration): @url may be NULL (no webhook), @events as in wh->events.
 */
int inst_webhook_init_to(struct inst_webhook *wh, const char *url, const char *fingerprint,
			 const char *token, unsigned events, const char *node, struct ip_err *err);
/* Waits for the queue like a final event (bounded), then frees everything. */
void inst_webhook_release(struct inst_webhook *wh);

/*
 * The JSON body (compact, fixed key order): the members of @facts (may be
 * NULL; only "done" events carry them), then "ironpass", then "token" when
 * @token is set. Caller frees; NULL on ENOMEM.
 */
char *inst_webhook_json(enum inst_wh_event ev, const char *step, const char *status,
			double duration_s, const char *node, const char *const *tail,
			size_t n_tail, struct json_object *facts, const char *token);

/*
 * Queue one event for the sender thread. Returns 1 when nothing is sent (no
 * URL, event filtered), else 0 for start and step events (queued). A final
 * event (done, failed) waits for the queue, at most final_wait_ms: 0 when
 * it was delivered (2xx), else a negative errno; what was not delivered is
 * logged "…, ignoring". Callers do not need to check it.
 */
int inst_webhook_send(struct inst_webhook *wh, enum inst_wh_event ev, const char *step,
		      const char *status, double duration_s, const char *const *tail,
		      size_t n_tail);

#endif
