// SPDX-License-Identifier: GPL-2.0-or-later
/* The answer-file check shared by `ironpass validate` and
 * `ironpass-installer validate-answer`: options, one report per file ("-"
 * reads standard input). */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answer.h"
#include "cli.h"

int cli_validate_main(const char *prog, const char *usage, unsigned flags, int argc,
		      char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "partial", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, stdin_used = false;
	int rc = 0, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jph", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'p':
			flags |= ANSWER_PARTIAL;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return cli_try_help(prog);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: no file given\n", prog);
		return cli_try_help(prog);
	}
	for (int i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-"))
			continue;
		if (stdin_used) {
			cli_error(prog, "'-' (standard input) given twice");
			return cli_try_help(prog);
		}
		stdin_used = true;
	}
	for (int i = optind; i < argc; i++) {
		/* "-" is standard input, named "<stdin>" in the report */
		bool is_stdin = !strcmp(argv[i], "-");
		const char *name = is_stdin ? "<stdin>" : argv[i];
		struct answer_diags d = { 0 };
		struct answer *a = NULL;
		char *report;
		int ret;

		if (is_stdin)
			ret = answer_read_fd(STDIN_FILENO, name, flags, &a, &d);
		else
			ret = answer_load(argv[i], flags, &a, &d);
		answer_free(a);
		report = answer_report(name, &d, json);
		if (!report) {
			answer_diags_release(&d);
			return cli_error(prog, "out of memory");
		}
		fputs(report, stdout);
		free(report);
		if (ret < 0 || d.n_errors)
			rc = 1;
		answer_diags_release(&d);
	}
	if (fflush(stdout) != 0)
		return cli_error(prog, "cannot write the report");
	return rc;
}
