// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass-installer: detect hardware, plan passthrough, install Proxmox VE. */
#include <stddef.h>

#include "cli.h"
#include "installer-cmds.h"

static const struct cli_cmd commands[] = {
	{ "detect", cmd_detect, "report the hardware and its passthrough readiness" },
	{ "firstboot", cmd_firstboot, "first boot of the installed node: VM template, hook" },
	{ "install", cmd_install, "install Proxmox VE with the GPU isolated" },
	{ "passthrough", cmd_passthrough, "isolate the GPU on a running Proxmox VE host" },
	{ "plan", cmd_plan, "decide which GPU to isolate and how" },
	{ "start", cmd_start, "run in the live environment (boot menu mode)" },
	{ "template", cmd_template, "make the Windows 11 VM template on a Proxmox VE host" },
	{ "validate-answer", cmd_validate_answer, "check an answer file" },
	{ NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	return cli_dispatch("ironpass-installer",
			    "Install Proxmox VE with a GPU isolated for passthrough.", commands,
			    argc, argv);
}
