// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "install/inst-flow.h"
#include "log.h"
#include "runner.h"
#include "util.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

const char *inst_event_name(enum inst_event ev)
{
	switch (ev) {
	case INST_EV_START:
		return "start";
	case INST_EV_STEP:
		return "step";
	case INST_EV_DONE:
		return "done";
	case INST_EV_FAILED:
		return "failed";
	}
	return "unknown";
}

static void emit(struct inst_flow *f, enum inst_event ev, const char *step, int status,
		 double secs, const char *detail)
{
	if (f->on_event)
		f->on_event(f->event_data, ev, step, status, secs, detail);
}

void inst_flow_note(struct inst_flow *f, const char *line)
{
	snprintf(f->tail[f->tail_next], sizeof(f->tail[0]), "%s", line);
	f->tail_next = (f->tail_next + 1) % INST_LOG_TAIL;
	if (f->tail_len < INST_LOG_TAIL)
		f->tail_len++;
}

char *inst_flow_tail(const struct inst_flow *f)
{
	struct strbuf sb = { 0 };
	size_t start = (f->tail_next + INST_LOG_TAIL - f->tail_len) % INST_LOG_TAIL;

	for (size_t i = 0; i < f->tail_len; i++) {
		sb_puts(&sb, f->tail[(start + i) % INST_LOG_TAIL]);
		sb_puts(&sb, "\n");
	}
	return sb_detach(&sb);
}

static void progress(struct inst_ctx *ctx, const char *step, unsigned done, unsigned total,
		     const char *detail)
{
	if (ctx->on_progress)
		ctx->on_progress(ctx->progress_data, step, total ? (int)(done * 100 / total) : 0,
				 detail);
}

/*
 * The first failure (@r < 0), or a signal during a step whatever it returned:
 * from here on only the `always` steps run, and their commands must run even
 * if a signal comes (or came) in: the runner takes the interrupt as handled.
 * Then the session may mark the target. Returns the flow's error.
 */
static int first_failure(struct inst_flow *f, const struct inst_step *s, int r, double t)
{
	struct inst_ctx *ctx = f->ctx;
	int sig = runner_interrupted();

	if (sig) {
		/* whatever the step says (a command "interrupted", or done): a signal stops it */
		if (r < 0 && ctx->err.msg[0])
			ip_info("step %s: %s", s->name, ip_err_msg(&ctx->err));
		r = ip_err_set(&ctx->err, -EINTR, "interrupted by %s", runner_signal_name(sig));
		f->interrupted = sig;
	}
	runner_interrupt_ack();
	f->failed_step = s->name;
	if (!ctx->err.msg[0])
		ip_err_errno(&ctx->err, r, "step '%s' failed", s->name);
	ip_err_log("step %s: failed after %.1f s: %s", s->name, t, ip_err_msg(&ctx->err));
	if (f->on_failure)
		f->on_failure(f->event_data, s->name);
	return r;
}

int inst_flow_run(struct inst_flow *f)
{
	struct inst_ctx *ctx = f->ctx;
	unsigned total = 0, done = 0;
	double t0 = now_s();
	int ret = 0;

	f->failed_step = NULL;
	f->interrupted = 0;
	for (size_t i = 0; i < f->n_steps; i++)
		total += f->steps[i].weight;
	emit(f, INST_EV_START, NULL, 0, 0, NULL);
	for (size_t i = 0; i < f->n_steps; i++) {
		const struct inst_step *s = &f->steps[i];
		double t;
		int r;

		if (ret < 0 && !s->always)
			continue;
		/* a signal between steps: this one does not start (cleanup still runs) */
		if (ret == 0 && runner_interrupted()) {
			ip_err_clear(&ctx->err);
			ret = first_failure(f, s, -EINTR, 0);
			if (!s->always)
				continue;
		}
		ip_info("step %s: started", s->name);
		progress(ctx, s->name, done, total, "started");
		t = now_s();
		if (ret == 0)
			ip_err_clear(&ctx->err);
		r = s->fn(ctx);
		t = now_s() - t;
		if (i < ARRAY_SIZE(f->seconds))
			f->seconds[i] = t;
		done += s->weight;
		if (ret == 0 && (r < 0 || runner_interrupted())) {
			ret = first_failure(f, s, r, t);
			continue;
		}
		if (r < 0) {
			/* cleanup after a failure: keep the first error */
			ip_warn("step %s: failed after an earlier failure, ignoring", s->name);
			continue;
		}
		ip_info("step %s: done in %.1f s", s->name, t);
		if (ret == 0) {
			progress(ctx, s->name, done, total, "done");
			emit(f, INST_EV_STEP, s->name, 0, t, NULL);
		}
	}
	f->total_seconds = now_s() - t0;
	if (ret < 0) {
		char *tail = inst_flow_tail(f);
		char detail[IP_ERR_MSG_MAX + 4096];

		snprintf(detail, sizeof(detail), "%s\n%s", ip_err_msg(&ctx->err), tail ? tail : "");
		emit(f, INST_EV_FAILED, f->failed_step, ret, f->total_seconds, detail);
		free(tail);
		return ret;
	}
	emit(f, INST_EV_DONE, NULL, 0, f->total_seconds, NULL);
	return 0;
}
