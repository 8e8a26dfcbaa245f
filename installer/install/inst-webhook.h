/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_WEBHOOK_H
#define IRONPASS_INST_WEBHOOK_H

/*
 * Status webhook: every install event is POSTed as JSON
 *	{"event":"start|step|done|failed","step":…,"status":…,"duration_s":…,
 *	 "node":"<fqdn>","log_tail":[…]}
 * with "Authorization: Bearer <auth-token>" when a token is set (the token is
 * never logged). A webhook that cannot be reached is logged "…, ignoring"
 * and never stops the install.
 */

#include <stdbool.h>
#include <stddef.h>

#include "answer.h"
#include "err.h"

enum inst_wh_event { INST_WH_START, INST_WH_STEP, INST_WH_DONE, INST_WH_FAILED, INST_WH_N };

struct inst_webhook {
	char *url;			/* NULL: no webhook */
	char *fingerprint;
	char *token;
	unsigned events;		/* 1u << enum inst_wh_event */
	char *node;			/* the node's FQDN */
	unsigned timeout_s;		/* per try; default 10 */
	unsigned tries;			/* default 3 */
	unsigned backoff_ms;		/* default 1000 */
	unsigned sent, failed;		/* counters, for the final report */
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
void inst_webhook_release(struct inst_webhook *wh);

/* The JSON body (compact, fixed key order). Caller frees; NULL on ENOMEM. */
char *inst_webhook_json(enum inst_wh_event ev, const char *step, const char *status,
			double duration_s, const char *node, const char *const *tail,
			size_t n_tail);

/*
 * Send one event. Returns 1 when nothing was sent (no URL, event filtered),
 * 0 when the receiver answered 2xx, or a negative errno after logging
 * "cannot send webhook event …, ignoring". Callers do not need to check it.
 */
int inst_webhook_send(struct inst_webhook *wh, enum inst_wh_event ev, const char *step,
		      const char *status, double duration_s, const char *const *tail,
		      size_t n_tail);

#endif
