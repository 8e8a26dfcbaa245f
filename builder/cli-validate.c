// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass validate [--json] [--partial] FILE...: check profiles and answer files. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "answer.h"
#include "builder-cmds.h"
#include "cli.h"

static void validate_usage(void)
{
	fputs("\nUsage:\n"
	      " ironpass validate [options] FILE...\n"
	      "\nCheck builder profiles and answer files. Each problem is printed as\n"
	      "'file:line:col: message'; a file without errors prints 'FILE: ok'.\n"
	      "A file with a [profile] section may leave out answer sections.\n"
	      "\nOptions:\n"
	      " -j, --json         print one JSON object per file\n"
	      " -p, --partial      do not require the sections of a full answer file\n"
	      " -h, --help         display this help\n"
	      "\nExit status: 0 when no file has an error, 1 otherwise, 2 for bad usage.\n"
	      "\nFor more details see ironpass(1) and docs/answer-file.md.\n", stdout);
}

int cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "partial", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned flags = ANSWER_ALLOW_PROFILE | ANSWER_PROFILE_PARTIAL;
	bool json = false;
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
			validate_usage();
			return 0;
		default:
			return cli_try_help("ironpass validate");
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ironpass validate: no file given\n");
		return cli_try_help("ironpass validate");
	}
	for (int i = optind; i < argc; i++) {
		struct answer_diags d = { 0 };
		struct answer *a = NULL;
		char *report;
		int ret;

		ret = answer_load(argv[i], flags, &a, &d);
		answer_free(a);
		report = answer_report(argv[i], &d, json);
		if (!report) {
			answer_diags_release(&d);
			return cli_error("ironpass validate", "out of memory");
		}
		fputs(report, stdout);
		free(report);
		if (ret < 0 || d.n_errors)
			rc = 1;
		answer_diags_release(&d);
	}
	if (fflush(stdout) != 0)
		return cli_error("ironpass validate", "cannot write the report");
	return rc;
}
