/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_FAKE_RUNNER_H
#define IRONPASS_FAKE_RUNNER_H

/*
 * A runner for tests: nothing runs. Each call's argv (joined with spaces by
 * runner_argv_str) and stdin are recorded; results come from a script of
 * fake_runner_rule() prefixes (checked first) and fake_runner_push()
 * entries consumed in order (exit 0 with empty output when neither applies).
 */

#include <stddef.h>

#include "runner.h"

#define FAKE_MAX_CALLS 256

struct fake_call {
	char *cmd;		/* argv joined, shell-quoted where needed */
	char *input;		/* stdin bytes, or NULL */
};

struct fake_result {
	int status;
	const char *out;
	const char *err;
};

/* a standing answer for every call whose joined argv starts with @prefix */
struct fake_rule {
	const char *prefix;
	int status;
	const char *out;
};

struct fake_runner {
	struct runner r;
	struct fake_rule rules[32];
	size_t n_rules;
	struct fake_call calls[FAKE_MAX_CALLS];
	size_t n_calls;
	struct fake_result script[FAKE_MAX_CALLS];
	size_t n_script, next;
};

void fake_runner_init(struct fake_runner *f);
void fake_runner_push(struct fake_runner *f, int status, const char *out, const char *err);
void fake_runner_release(struct fake_runner *f);
/* Rules are checked first, in the order added; the script is used otherwise. */
void fake_runner_rule(struct fake_runner *f, const char *prefix, int status, const char *out);
/* index of the first call whose cmd starts with @prefix, or -1 */
int fake_runner_find(const struct fake_runner *f, const char *prefix);

/*
 * For runner_dry_init(&r, fake_runner_record_argv, &sb): each argv a dry
 * runner would run, joined by runner_argv_str, as one line of the strbuf @data.
 */
void fake_runner_record_argv(void *data, const char *const *argv, const struct run_opts *o);

#endif
