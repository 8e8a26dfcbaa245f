/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_CLI_H
#define IRONPASS_CLI_H

/* Small helpers shared by the two programs' command-line front ends. */

#include <stdio.h>

#define IRONPASS_VERSION "0.1.0"

struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* "Try 'PROG --help' for more information." on stderr; returns 2. */
int cli_try_help(const char *prog);
/* After getopt: a leftover argument is a usage error (message, "Try …", 2); else 0. */
int cli_no_more_args(const char *prog, int argc, char **argv);

/* "PROG: " + message on stderr; returns 1. */
int cli_error(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * validate / validate-answer: check each FILE with answer_load(@flags) and
 * print its report (text, or JSON with --json; --partial adds ANSWER_PARTIAL).
 * A FILE of "-" is standard input, named "<stdin>" in the report.
 * Returns the exit status: 0, 1 when a file has an error, 2 for bad usage.
 */
int cli_validate_main(const char *prog, const char *usage, unsigned flags, int argc,
		      char **argv);

/* Dispatch argv[1] to one of @cmds; handles --help/-h, --version/-V. */
int cli_dispatch(const char *prog, const char *usage_head, const struct cli_cmd *cmds,
		 int argc, char **argv);

#endif
