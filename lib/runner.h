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
 */

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum {
	RUN_CAPTURE	= 1u << 0,	/* collect stdout into res->out */
	RUN_TTY		= 1u << 1,	/* stdin/stdout stay the terminal (dialog) */
	RUN_NO_STDERR	= 1u << 2,	/* do not keep stderr (res->err stays empty) */
};

struct run_opts {
	const char *input;		/* bytes for stdin, or NULL for /dev/null */
	size_t input_len;
	unsigned flags;
	const char *const *env;		/* extra "NAME=value" entries, NULL-terminated */
	const char *cwd;
	unsigned timeout_ms;		/* 0: none; on expiry the child is killed */
	/* called with each complete output line (fd 1 or 2), e.g. for the install log */
	void (*on_line)(void *data, int fd, const char *line);
	void *on_line_data;
};

struct run_result {
	int status;			/* exit status; 128+N when killed by signal N */
	bool timed_out;
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
	struct ip_err err;
};

void runner_spawn_init(struct runner *r);
void runner_dry_init(struct runner *r,
		     void (*on_argv)(void *data, const char *const *argv, const struct run_opts *o),
		     void *data);

/*
 * Run argv[0] (looked up in PATH) with argv. Returns 0 when the program ran
 * (its exit status is in res->status), or a negative errno when it could not
 * be started; then r->err says why. @o and @res may be NULL.
 */
int runner_run(struct runner *r, const char *const *argv, const struct run_opts *o,
	       struct run_result *res);

/*
 * Like runner_run, but a non-zero exit is an error too (-EIO, or -ETIMEDOUT),
 * with r->err naming the program, its status and the last line of its stderr.
 */
int runner_check(struct runner *r, const char *const *argv, const struct run_opts *o,
		 struct run_result *res);

void run_result_release(struct run_result *res);

/* Join argv for display, shell-quoting words that need it. Caller frees. */
char *runner_argv_str(const char *const *argv);

/* Validate a word destined for an argv against an allowlist of characters:
 * [A-Za-z0-9._/:@+=,-]; no leading '-'. Returns true when safe. */
bool runner_word_ok(const char *w);

#endif
