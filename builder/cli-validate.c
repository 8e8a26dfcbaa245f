// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>

#include "builder-cmds.h"
#include "cli.h"

/* placeholder until the command lands */
int cmd_validate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_error("ironpass", "'%s' is not implemented yet", "validate");
}
