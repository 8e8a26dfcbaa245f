// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>

#include "cli.h"
#include "installer-cmds.h"

/* placeholder until the command lands */
int cmd_plan(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_error("ironpass-installer", "'%s' is not implemented yet", "plan");
}
