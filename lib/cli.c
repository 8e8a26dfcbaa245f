// SPDX-License-Identifier: GPL-2.0-or-later
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_try_help(const char *prog)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
	return 2;
}

int cli_error(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int cli_no_more_args(const char *prog, int argc, char **argv)
{
	if (optind >= argc)
		return 0;
	cli_error(prog, "unexpected argument '%s'", argv[optind]);
	return cli_try_help(prog);
}

static void cli_usage(FILE *f, const char *prog, const char *usage_head, const struct cli_cmd *cmds)
{
	fprintf(f, "\nUsage:\n %s <command> [options]\n\n%s\n\nCommands:\n", prog, usage_head);
	for (const struct cli_cmd *c = cmds; c->name; c++)
		fprintf(f, " %-18s %s\n", c->name, c->summary);
	fprintf(f, "\nOptions:\n -h, --help         display this help\n"
		   " -V, --version      display version\n\n"
		   "Run '%s <command> --help' for a command's options.\n"
		   "For more details see %s(%s).\n", prog, prog,
		strcmp(prog, "ironpass") == 0 ? "1" : "8");
}

int cli_dispatch(const char *prog, const char *usage_head, const struct cli_cmd *cmds,
		 int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "%s: no command given\n", prog);
		return cli_try_help(prog);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		cli_usage(stdout, prog, usage_head, cmds);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("%s %s\n", prog, IRONPASS_VERSION);
		return 0;
	}
	for (const struct cli_cmd *c = cmds; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
	return cli_try_help(prog);
}
