/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_RUNNER_H
#define IRONPASS_RUNNER_H

/*
 * Every external program (sfdisk, mkfs, xorriso, apt-get, qm, dialog …)
 * runs through one injected runner with a literal argv array: never
 * system(), popen() or a shell string. Production code uses
 * runner_spawn_init(); tests install a fake (tests/unit/fake-runner.c)
 * that records argv and returns scripted results; --dry-run uses
 * runner_dry_init(), which reports each argv to a callback instead of
 * running it.
 *
 * Nothing hangs (issue 10): every run has a timeout, the caller's or the
 * program's default from the table in runner-timeout.c (none for RUN_TTY
 * runs). A run gets its own process group (RUN_TTY runs stay in the
 * terminal's foreground group); on expiry or on an interrupt the whole
 * group gets SIGTERM, then SIGKILL after a short grace.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum {
	RUN_CAPTURE	= 1u << 0,	/* collect stdout into res->out */
	RUN_TTY		= 1u << 1,	/* stdin/stdout stay the terminal (dialog) */
	RUN_NO_STDERR	= 1u << 2,	/* do not keep stderr (res->err stays empty) */
	RUN_CLEANUP	= 1u << 3,	/* starts even while an interrupt is pending (umount) */
};

struct run_opts {
	const char *input;		/* bytes for stdin, or NULL for /dev/null */
	size_t input_len;
	unsigned flags;
	const char *const *env;		/* extra "NAME=value" entries, NULL-terminated */
	const char *cwd;
	unsigned timeout_ms;		/* 0: the program's default (runner_timeout_ms) */
	/* called with each complete output line (fd 1 or 2), e.g. for the install log */
	void (*on_line)(void *data, int fd, const char *line);
	void *on_line_data;
	/*
	 * Secret words of argv (a key passed as an argument): bit i marks
	 * argv[i] (RUN_SECRET_ARG(i), i < 32). The program gets them as they
	 * are; everywhere the runner shows the argv or the program's output
	 * they read RUNNER_SECRET: the dry-run callback's argv, the lines
	 * passed to on_line, the stderr line in runner_check's message. (res
	 * holds the output as the program wrote it.)
	 */
	unsigned secret_argv;
};

#define RUN_SECRET_ARG(i)	(1u << (i))
#define RUNNER_SECRET		"<secret>"

/* Default timeouts (runner-timeout.c): one row per program name or fnmatch(3) glob. */
struct runner_timeout {
	const char *prog;
	unsigned seconds;
};
extern const struct runner_timeout runner_timeouts[];	/* ends with { NULL, 0 } */

struct run_result {
	int status;			/* exit status; 128+N when killed by signal N */
	bool timed_out;			/* killed after run_opts' or the default timeout */
	char *out;			/* stdout when RUN_CAPTURE, NUL-terminated */
	size_t out_len;
	char *err;			/* stderr (last 64 KiB), NUL-terminated */
	size_t err_len;
};

struct runner {
	int (*run)(struct runner *r, const char *const *argv, const struct run_opts *o,
		   struct run_result *res);
	void *data;
	/* dry-run: every argv is reported here and nothing runs */
	void (*on_argv)(void *data, const char *const *argv, const struct run_opts *o);
	void *on_argv_data;
	/* after SIGTERM to a timed-out or interrupted run's group, wait this
	 * long for it to exit before SIGKILL; 0: RUNNER_KILL_GRACE_MS */
	unsigned kill_grace_ms;
	/* default timeouts by program; NULL: runner_timeouts (runner-timeout.c) */
	const struct runner_timeout *timeouts;
	struct ip_err err;
};

#define RUNNER_KILL_GRACE_MS		3000
#define RUNNER_TIMEOUT_DEFAULT_S	(30 * 60)	/* programs in no row */

void runner_spawn_init(struct runner *r);
void runner_dry_init(struct runner *r,
		     void (*on_argv)(void *data, const char *const *argv, const struct run_opts *o),
		     void *data);

/*
 * Run argv[0] (looked up in PATH) with argv. Returns 0 when the program ran
 * (its exit status is in res->status; res->timed_out when it was killed at
 * its timeout), or a negative errno when it could not be started or waited
 * for, or -EINTR when an interrupt stopped it; then r->err says why. @o and
 * @res may be NULL.
 */
int runner_run(struct runner *r, const char *const *argv, const struct run_opts *o,
	       struct run_result *res);

/*
 * Like runner_run, but a non-zero exit is an error too (-EIO, or -ETIMEDOUT:
 * "'prog' timed out after N s"), with r->err naming the program, its status
 * and the last line of its stderr.
 */
int runner_check(struct runner *r, const char *const *argv, const struct run_opts *o,
		 struct run_result *res);

void run_result_release(struct run_result *res);

/* The program an argv runs: its basename, looking through "chroot [opts] DIR prog". */
const char *runner_prog(const char *const *argv);
/* @table's (NULL: runner_timeouts) seconds for @prog, or RUNNER_TIMEOUT_DEFAULT_S. */
unsigned runner_timeout_s(const struct runner_timeout *table, const char *prog);
/* The timeout a run gets: o->timeout_ms, else 0 for RUN_TTY, else r's table's. */
unsigned runner_timeout_ms(const struct runner *r, const char *const *argv,
			   const struct run_opts *o);

/*
 * Interrupts (SIGTERM, SIGINT, SIGHUP during an install). Process-wide:
 * runner_interrupt() records the first signal and wakes a running spawn
 * runner, which stops its program's process group (SIGTERM, grace, SIGKILL)
 * and returns -EINTR ("'prog' interrupted by SIGTERM"); while the interrupt
 * is pending every new run fails the same way at once, except RUN_CLEANUP
 * ones (a step undoing its own mounts). runner_interrupt_ack()
 * lets runs go on again (the cleanup after an interrupt: unmounting) and
 * ignores later signals; runner_interrupted() keeps saying which signal came.
 */
void runner_interrupt(int sig);			/* async-signal-safe */
int runner_interrupted(void);			/* the signal number, or 0 */
const char *runner_signal_name(int sig);	/* "SIGTERM", "SIGINT", "SIGHUP", … */
void runner_interrupt_ack(void);
void runner_interrupt_reset(void);		/* forget it (a new session, tests) */

/*
 * Catch SIGTERM, SIGINT and SIGHUP with runner_interrupt() (a signal ignored
 * at start stays ignored); restore undoes it. @once: the first signal puts
 * the default action back, so that a second Ctrl-C ends a front end at once
 * (builder, first boot); otherwise later signals are only noted (the
 * installer: its cleanup must not be cut short).
 */
struct runner_sigsave {
	int n;
	int sig[3];
	struct sigaction old[3];
};
int runner_signals_catch(struct runner_sigsave *save, bool once);
void runner_signals_restore(struct runner_sigsave *save);

/* Join argv for display, shell-quoting words that need it. Caller frees. */
char *runner_argv_str(const char *const *argv);
/* The same with the secret words of @o (NULL: none) as RUNNER_SECRET. Caller frees. */
char *runner_argv_show(const char *const *argv, const struct run_opts *o);

/* Validate a word destined for an argv against an allowlist of characters:
 * [A-Za-z0-9._/:@+=,-]; no leading '-'. Returns true when safe. */
bool runner_word_ok(const char *w);

#endif
