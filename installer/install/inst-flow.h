/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_FLOW_H
#define IRONPASS_INST_FLOW_H

/*
 * Runs the install steps in order. Each step is timed and logged, and
 * reported through on_event ("start" once, "step" per finished step, then
 * "done" or "failed"); the CLI wires events to the console, the dialog
 * gauge and the webhook. The first failing step stops the flow: nothing
 * after it runs except the steps marked `always` (unmounting), and the
 * result says which step failed with the tail of the log.
 *
 * A signal (runner_interrupt(), lib/runner.h) fails the step it comes in:
 * the runner stops that step's command, the step fails with "interrupted by
 * SIGTERM", and the `always` steps run as after any failure. From the first
 * failure on the runner lets commands run again (runner_interrupt_ack), so
 * a later signal cannot stop the unmounting.
 */

#include <stdbool.h>
#include <stddef.h>

#include "install/inst.h"

struct inst_step {
	const char *name;
	int (*fn)(struct inst_ctx *ctx);
	unsigned weight;		/* share of the progress gauge */
	bool always;			/* run even after a failure (cleanup) */
};

enum inst_event { INST_EV_START, INST_EV_STEP, INST_EV_DONE, INST_EV_FAILED };

#define INST_LOG_TAIL 20

struct inst_flow {
	struct inst_ctx *ctx;
	const struct inst_step *steps;
	size_t n_steps;
	void (*on_event)(void *data, enum inst_event ev, const char *step, int status,
			 double seconds, const char *detail);
	void *event_data;
	/* called once with event_data after the first failure, before the `always` steps */
	void (*on_failure)(void *data, const char *step);
	/* results */
	const char *failed_step;	/* NULL on success */
	int interrupted;		/* the signal that stopped the flow, or 0 */
	double seconds[64];		/* per step */
	double total_seconds;
	/* the last lines logged (ring), for the failure report */
	char tail[INST_LOG_TAIL][256];
	size_t tail_next, tail_len;
};

/* 0 when every step succeeded; else the failing step's negative errno (ctx->err says why). */
int inst_flow_run(struct inst_flow *f);

/* Remember a log line in the flow's tail (the CLI calls it from its log sink). */
void inst_flow_note(struct inst_flow *f, const char *line);

/* The tail as one string, oldest first, lines separated by '\n' (caller frees). */
char *inst_flow_tail(const struct inst_flow *f);

const char *inst_event_name(enum inst_event ev);

#endif
