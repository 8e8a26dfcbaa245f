// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass-installer validate-answer [--json] [--partial] FILE...: check answer files. */
#include "answer.h"
#include "cli.h"
#include "installer-cmds.h"

static const char usage[] =
	"\nUsage:\n"
	" ironpass-installer validate-answer [options] FILE...\n"
	"\nCheck answer files; a Proxmox VE answer.toml is accepted as it is.\n"
	"Each problem is printed as\n"
	"'file:line:col: message'; a file without errors prints 'FILE: ok'.\n"
	"A FILE of '-' is read from standard input (named '<stdin>' in messages).\n"
	"\nOptions:\n"
	" -j, --json         print one JSON object per file\n"
	" -p, --partial      do not require the sections of a full answer file\n"
	" -h, --help         display this help\n"
	"\nExit status: 0 when no file has an error, 1 otherwise, 2 for bad usage.\n"
	"\nFor more details see ironpass-installer(8) and docs/answer-file.md.\n";

int cmd_validate_answer(int argc, char **argv)
{
	return cli_validate_main("ironpass-installer validate-answer", usage, 0, argc, argv);
}
