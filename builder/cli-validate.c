// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass validate [--json] [--partial] FILE...: check profiles and answer files. */
#include "answer.h"
#include "builder-cmds.h"
#include "cli.h"

static const char usage[] =
	"\nUsage:\n"
	" ironpass validate [options] FILE...\n"
	"\nCheck builder profiles and answer files. Each problem is printed as\n"
	"'file:line:col: message'; a file without errors prints 'FILE: ok'.\n"
	"A file with a [profile] section may leave out answer sections.\n"
	"A FILE of '-' is read from standard input (named '<stdin>' in messages).\n"
	"\nOptions:\n"
	" -j, --json         print one JSON object per file\n"
	" -p, --partial      do not require the sections of a full answer file\n"
	" -h, --help         display this help\n"
	"\nExit status: 0 when no file has an error, 1 otherwise, 2 for bad usage.\n"
	"\nFor more details see ironpass(1) and docs/answer-file.md.\n";

int cmd_validate(int argc, char **argv)
{
	return cli_validate_main("ironpass validate", usage, ANSWER_ALLOW_PROFILE | ANSWER_PROFILE_PARTIAL, argc, argv);
}
