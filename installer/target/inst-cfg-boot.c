// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which boot loader configuration the target uses, decided in one place and
 * recorded in ctx->boot: the configuration step writes the kernel command line
 * where that loader reads it, the boot loader step installs that loader.
 *
 * - A zfs root whose payload has proxmox-boot-tool (a real Proxmox VE payload)
 *   boots as Proxmox's installer sets it up: `proxmox-boot-tool init` on every
 *   ESP; systemd-boot on UEFI firmware, reading /etc/kernel/cmdline; GRUB on
 *   the ESPs on BIOS firmware and with Secure Boot on (init's "grub" mode),
 *   reading /etc/default/grub. Either way `proxmox-boot-tool refresh` applies a
 *   change.
 * - Everything else boots Debian's GRUB from the root filesystem (update-grub);
 *   so does a zfs root without proxmox-boot-tool (the test stand-in payload).
 *
 * /etc/kernel/proxmox-boot-uuids cannot tell beforehand: proxmox-boot-tool init
 * writes it in the boot loader step, after the command line is written.
 */
#include <string.h>

#include "log.h"
#include "path.h"
#include "target/inst-cfg.h"

const char *inst_cfg_boot_name(enum inst_boot_kind kind)
{
	switch (kind) {
	case INST_BOOT_GRUB: return "GRUB";
	case INST_BOOT_PBT_GRUB: return "proxmox-boot-tool (GRUB)";
	case INST_BOOT_PBT_SDBOOT: return "proxmox-boot-tool (systemd-boot)";
	case INST_BOOT_UNDECIDED: break;
	}
	return "undecided";
}

enum inst_boot_kind inst_cfg_boot_decide(struct inst_ctx *ctx)
{
	bool uefi = ctx->hw && ctx->hw->fw == HW_FW_UEFI;
	bool sb = uefi && ctx->hw->secure_boot == HW_YES;

	if (ctx->boot != INST_BOOT_UNDECIDED)
		return ctx->boot;
	if (!strcmp(ctx->layout.root_fstype, "zfs") && path_exists(ctx->target, INST_PBT_TOOL))
		ctx->boot = uefi && !sb ? INST_BOOT_PBT_SDBOOT : INST_BOOT_PBT_GRUB;
	else
		ctx->boot = INST_BOOT_GRUB;
	ip_info("boot loader: %s", inst_cfg_boot_name(ctx->boot));
	return ctx->boot;
}
