// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Secure Boot chain of the UEFI boot loader, as Debian's grub-install
 * (bookworm, GRUB 2.06) lays it out when run with --uefi-secure-boot and the
 * target holds the signed files:
 *   - shim, signed by Microsoft's UEFI CA (/usr/lib/shim/shimx64.efi.signed,
 *     package shim-signed), which trusts Debian's key;
 *   - GRUB as one signed image with its modules built in
 *     (/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed, package
 *     grub-efi-amd64-signed), copied as grubx64.efi beside shim;
 *   - MokManager mmx64.efi (shim-helpers-amd64-signed, a dependency of
 *     shim-signed), not required to boot;
 *   - a grub.cfg stub beside them that finds /boot by file-system UUID and
 *     loads its grub.cfg. The signed GRUB's built-in prefix is /EFI/debian;
 *     with no such directory on the ESP it reads the grub.cfg next to itself,
 *     so each directory needs its own stub.
 * With --bootloader-id=proxmox that is EFI/proxmox/{shimx64,grubx64,mmx64,
 * fbx64}.efi, BOOTX64.CSV and grub.cfg; with --removable it is
 * EFI/BOOT/BOOTX64.EFI (shim), grubx64.efi, mmx64.efi and grub.cfg, without
 * the fallback fbx64.efi, so shim starts GRUB directly. (--force-extra-removable
 * would copy the binaries to EFI/BOOT but no grub.cfg: not used.)
 *
 * When the signed GRUB is missing grub-install silently installs an
 * unsigned one, which Secure Boot refuses: hence a look before (the target
 * has the chain) and after (the ESP has it) the grub-install runs.
 */
#include <errno.h>
#include <stddef.h>

#include "install/inst-disk.h"
#include "log.h"
#include "path.h"

#define ESP "/boot/efi/EFI/"

static const char *const chain[] = {
	"/usr/lib/shim/shimx64.efi.signed",
	"/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed",
	NULL,
};

static const char *const on_esp[] = {
	ESP INST_EFI_ID "/shimx64.efi", ESP INST_EFI_ID "/grubx64.efi",
	ESP INST_EFI_ID "/grub.cfg",
	ESP "BOOT/BOOTX64.EFI", ESP "BOOT/grubx64.efi", ESP "BOOT/grub.cfg",
	NULL,
};

const char *inst_boot_sb_missing(const struct inst_ctx *ctx)
{
	for (size_t i = 0; chain[i]; i++)
		if (!path_exists(ctx->target, chain[i]))
			return chain[i];
	return NULL;
}

int inst_boot_sb_flag(struct inst_ctx *ctx, const char **flag)
{
	const char *missing = ctx->dry_run ? NULL : inst_boot_sb_missing(ctx);
	bool sb_on = ctx->hw && ctx->hw->fw == HW_FW_UEFI && ctx->hw->secure_boot == HW_YES;

	if (!missing) {
		*flag = INST_SB_ON;
		return 0;
	}
	*flag = INST_SB_OFF;
	if (sb_on)
		return ip_err_set(&ctx->err, -ENOENT,
				  "no '%s' in the installed system, and Secure Boot is on: it "
				  "would not boot (the payload needs shim-signed and "
				  "grub-efi-amd64-signed)", missing);
	ip_warn("no '%s' in the installed system: installing an unsigned GRUB, which boots "
		"only with Secure Boot off", missing);
	return 0;
}

int inst_boot_sb_verify(struct inst_ctx *ctx)
{
	if (ctx->dry_run)	/* nothing was installed */
		return 0;
	for (size_t i = 0; on_esp[i]; i++)
		if (!path_exists(ctx->target, on_esp[i]))
			return ip_err_set(&ctx->err, -ENOENT,
					  "grub-install left no '%s': the Secure Boot chain on "
					  "the ESP is incomplete", on_esp[i]);
	return 0;
}
