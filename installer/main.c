// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass-installer: detect hardware, plan passthrough, install Proxmox VE. */
#include <stddef.h>

#include "cli.h"
#include "installer-cmds.h"

static const struct cli_cmd commands[] = {
	{ NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	return cli_dispatch("ironpass-installer",
			    "Install Proxmox VE with a GPU isolated for passthrough.", commands,
			    argc, argv);
}
