// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass: build bootable ironpass images (ISO, PXE tree). */
#include <stddef.h>

#include "builder-cmds.h"
#include "cli.h"

static const struct cli_cmd commands[] = {
	{ "build", cmd_build, "build the ISO and PXE tree from a profile" },
	{ "pxe", cmd_pxe, "per-node entries in a PXE tree (pxe node MAC --install|--localboot)" },
	{ "validate", cmd_validate, "check a profile or answer file" },
	{ "standin-pool", cmd_standin_pool, "generate the test stand-in payload (NOT Proxmox VE)" },
	{ "zfs-modules", cmd_zfs_modules, "build the OpenZFS modules package (zfs-dkms, cached)" },
	{ NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	return cli_dispatch("ironpass", "Build bootable ironpass images (hybrid ISO, PXE tree).",
			    commands, argc, argv);
}
