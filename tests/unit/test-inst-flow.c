// SPDX-License-Identifier: GPL-2.0-or-later
/* The step runner: order, timing, events, stop on first failure, cleanup
 * steps still run, and the failure report names the step and the log tail. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "install/inst-flow.h"
#include "log.h"
#include "runner.h"
#include "util.h"

static char trace[512];
static struct inst_flow *cur_flow;

static void log_sink(void *data, int prio, const char *file, int line, const char *func,
		     const char *msg)
{
	(void)data;
	(void)prio;
	(void)file;
	(void)line;
	(void)func;
	inst_flow_note(cur_flow, msg);
}

#define STEP(name, rc)                                                                     \
	static int step_##name(struct inst_ctx *ctx)                                       \
	{                                                                                  \
		strncat(trace, #name " ", sizeof(trace) - strlen(trace) - 1);              \
		if (rc < 0)                                                                \
			return ip_err_set(&ctx->err, rc, "cannot do '%s': boom", #name);   \
		return 0;                                                                  \
	}
STEP(partition, 0)
STEP(mkfs, 0)
STEP(unpack, -EIO)
STEP(config, 0)
STEP(umount, 0)

static char events[1024];
static char failed_detail[8192];
static int percents[16], n_percents;

static void on_event(void *data, enum inst_event ev, const char *step, int status, double s,
		     const char *detail)
{
	char buf[128];

	(void)data;
	(void)s;
	snprintf(buf, sizeof(buf), "%s:%s:%d ", inst_event_name(ev), step ? step : "-", status);
	strncat(events, buf, sizeof(events) - strlen(events) - 1);
	if (ev == INST_EV_FAILED)
		snprintf(failed_detail, sizeof(failed_detail), "%s", detail);
}

static void on_progress(void *data, const char *step, int percent, const char *detail)
{
	(void)data;
	(void)step;
	(void)detail;
	if (n_percents < 16)
		percents[n_percents++] = percent;
}

static void reset(void)
{
	trace[0] = events[0] = failed_detail[0] = '\0';
	n_percents = 0;
}

static void test_success(void **state)
{
	static const struct inst_step steps[] = {
		{ "partition", step_partition, 10, false },
		{ "mkfs", step_mkfs, 10, false },
		{ "config", step_config, 20, false },
		{ "umount", step_umount, 0, true },
	};
	struct inst_ctx ctx = { .on_progress = on_progress };
	struct inst_flow f = { .ctx = &ctx, .steps = steps, .n_steps = ARRAY_SIZE(steps),
			       .on_event = on_event };

	(void)state;
	reset();
	cur_flow = &f;
	assert_int_equal(inst_flow_run(&f), 0);
	assert_string_equal(trace, "partition mkfs config umount ");
	assert_string_equal(events,
			    "start:-:0 step:partition:0 step:mkfs:0 step:config:0 step:umount:0 done:-:0 ");
	assert_null(f.failed_step);
	/* progress climbs to 100 */
	assert_int_equal(percents[n_percents - 1], 100);
	assert_int_equal(percents[1], 25);
}

static void test_failure_stops(void **state)
{
	static const struct inst_step steps[] = {
		{ "partition", step_partition, 10, false },
		{ "unpack", step_unpack, 10, false },
		{ "config", step_config, 10, false },
		{ "umount", step_umount, 0, true },
	};
	struct inst_ctx ctx = { 0 };
	struct inst_flow f = { .ctx = &ctx, .steps = steps, .n_steps = ARRAY_SIZE(steps),
			       .on_event = on_event };

	(void)state;
	reset();
	cur_flow = &f;
	ip_log_set_sink(log_sink, NULL);
	assert_int_equal(inst_flow_run(&f), -EIO);
	ip_log_set_sink(NULL, NULL);
	/* config never ran; the cleanup step did */
	assert_string_equal(trace, "partition unpack umount ");
	assert_string_equal(f.failed_step, "unpack");
	assert_string_equal(events, "start:-:0 step:partition:0 failed:unpack:-5 ");
	assert_string_equal(ip_err_msg(&ctx.err), "cannot do 'unpack': boom");
	/* the failure report carries the message and the log tail */
	assert_non_null(strstr(failed_detail, "cannot do 'unpack': boom\n"));
	assert_non_null(strstr(failed_detail, "step partition: done in"));
	assert_non_null(strstr(failed_detail, "step unpack: failed after"));
}

/* A step during which SIGTERM came in; it finishes its work and returns 0. */
static int step_signalled(struct inst_ctx *ctx)
{
	(void)ctx;
	strncat(trace, "signalled ", sizeof(trace) - strlen(trace) - 1);
	runner_interrupt(SIGTERM);
	return 0;
}

static char failed_at[64];
static int n_failures;

static void on_failure(void *data, const char *step)
{
	(void)data;
	snprintf(failed_at, sizeof(failed_at), "%s", step);
	n_failures++;
}

/* SIGTERM during a step: it counts as failed, the cleanup runs, "failed" is reported. */
static void test_interrupted(void **state)
{
	static const struct inst_step steps[] = {
		{ "partition", step_partition, 10, false },
		{ "unpack", step_signalled, 10, false },
		{ "config", step_config, 10, false },
		{ "umount", step_umount, 0, true },
	};
	struct inst_ctx ctx = { 0 };
	struct inst_flow f = { .ctx = &ctx, .steps = steps, .n_steps = ARRAY_SIZE(steps),
			       .on_event = on_event, .on_failure = on_failure };

	(void)state;
	reset();
	n_failures = 0;
	cur_flow = &f;
	runner_interrupt_reset();
	ip_log_set_sink(log_sink, NULL);
	assert_int_equal(inst_flow_run(&f), -EINTR);
	ip_log_set_sink(NULL, NULL);
	assert_string_equal(trace, "partition signalled umount ");
	assert_string_equal(f.failed_step, "unpack");
	assert_int_equal(f.interrupted, SIGTERM);
	assert_string_equal(ip_err_msg(&ctx.err), "interrupted by SIGTERM");
	assert_string_equal(events, "start:-:0 step:partition:0 failed:unpack:-4 ");
	/* told once, before the cleanup step ran */
	assert_int_equal(n_failures, 1);
	assert_string_equal(failed_at, "unpack");
	assert_non_null(strstr(failed_detail, "step unpack: failed after"));
	runner_interrupt_reset();
}

/* SIGTERM between two steps: the next one does not start. */
static void on_event_signal(void *data, enum inst_event ev, const char *step, int status,
			    double s, const char *detail)
{
	on_event(data, ev, step, status, s, detail);
	if (ev == INST_EV_STEP && !strcmp(step, "partition"))
		runner_interrupt(SIGHUP);
}

static void test_interrupted_between(void **state)
{
	static const struct inst_step steps[] = {
		{ "partition", step_partition, 10, false },
		{ "mkfs", step_mkfs, 10, false },
		{ "umount", step_umount, 0, true },
	};
	struct inst_ctx ctx = { 0 };
	struct inst_flow f = { .ctx = &ctx, .steps = steps, .n_steps = ARRAY_SIZE(steps),
			       .on_event = on_event_signal };

	(void)state;
	reset();
	cur_flow = &f;
	runner_interrupt_reset();
	ip_log_set_sink(log_sink, NULL);
	assert_int_equal(inst_flow_run(&f), -EINTR);
	ip_log_set_sink(NULL, NULL);
	assert_string_equal(trace, "partition umount ");
	assert_string_equal(f.failed_step, "mkfs");
	assert_string_equal(ip_err_msg(&ctx.err), "interrupted by SIGHUP");
	assert_string_equal(events, "start:-:0 step:partition:0 failed:mkfs:-4 ");
	runner_interrupt_reset();
}

static void test_tail_ring(void **state)
{
	struct inst_flow f = { 0 };
	char line[32], *tail;

	(void)state;
	for (int i = 0; i < INST_LOG_TAIL + 5; i++) {
		snprintf(line, sizeof(line), "line %d", i);
		inst_flow_note(&f, line);
	}
	tail = inst_flow_tail(&f);
	/* oldest kept is line 5, newest line 24 */
	assert_true(strncmp(tail, "line 5\n", 7) == 0);
	assert_non_null(strstr(tail, "line 24\n"));
	assert_null(strstr(tail, "line 4\n"));
	free(tail);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_failure_stops),
		cmocka_unit_test(test_interrupted),
		cmocka_unit_test(test_interrupted_between),
		cmocka_unit_test(test_tail_ring),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
