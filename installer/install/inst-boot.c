// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Boot loader: GRUB for BIOS (i386-pc, into the BIOS boot partition) and for
 * UEFI (x86_64-efi on the ESP as EFI/proxmox, plus the removable fallback
 * EFI/BOOT/BOOTX64.EFI that firmware without an NVRAM entry boots), then
 * update-grub. Both are always installed so the disk boots either way; only
 * the one matching the running firmware must succeed. On UEFI firmware the
 * NVRAM entry is created with efibootmgr and put first in BootOrder.
 *
 * The UEFI loader is the Secure Boot chain (signed shim, then Debian's signed
 * GRUB; inst-boot-sb.c) whenever the target holds it, in both EFI
 * directories, so that the node boots with Secure Boot enforced; the NVRAM
 * entry then points at shimx64.efi.
 *
 * A zfs root boots from every disk of the pool: GRUB goes to every disk
 * (BIOS) and every ESP (UEFI; the first at /boot/efi, the others mounted in
 * turn at INST_ESP_MORE). When the target has proxmox-boot-tool
 * (inst_cfg_boot_decide), it sets up every ESP instead, as the Proxmox VE
 * installer has it do: `proxmox-boot-tool init <ESP>` ("grub" added with
 * Secure Boot on), which needs the ESP unmounted, installs systemd-boot or
 * GRUB, makes the firmware's boot entry, copies the kernels and lists the
 * ESP's UUID in /etc/kernel/proxmox-boot-uuids (checked afterwards).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "log.h"
#include "path.h"
#include "target/inst-cfg.h"
#include "util.h"

#define EFI_ID INST_EFI_ID
#define MAX_BOOT INST_BOOT_MAX
/* Where the ESPs after the first are mounted for grub-install (a zfs root). */
#define INST_ESP_MORE "/var/tmp/ironpass-esp"

/* The four hex digits efibootmgr prints for a boot number, at @p: the number, or -1. */
static int boot_hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (c - '0');
		else if (c >= 'A' && c <= 'F')
			v = v << 4 | (c - 'A' + 10);
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (c - 'a' + 10);
		else
			return -1;	/* also at the end of the string */
	}
	return v;
}

void inst_boot_parse(const char *out, const char *label, struct inst_boot_list *bl)
{
	size_t llen = strlen(label);
	const char *line = out;

	memset(bl, 0, sizeof(*bl));
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		int v;

		if (str_startswith(line, "BootOrder:")) {
			const char *p = line + 10, *eol = line + len;

			/* "0001,0000,0002": up to the first word that is not 4 hex digits */
			while (p < eol && bl->n_order < MAX_BOOT) {
				while (p < eol && (*p == ' ' || *p == ','))
					p++;
				if (eol - p < 4 || (v = boot_hex4(p)) < 0 ||
				    (eol - p > 4 && p[4] != ',' && p[4] != ' '))
					break;
				bl->order[bl->n_order++] = (unsigned)v;
				p += 4;
			}
		} else if (len > 10 && str_startswith(line, "Boot") &&
			   (v = boot_hex4(line + 4)) >= 0 &&
			   (line[8] == '*' || line[8] == ' ') && line[9] == ' ' &&
			   len - 10 >= llen && !strncmp(line + 10, label, llen) &&
			   (len - 10 == llen || line[10 + llen] == '\t' || line[10 + llen] == ' ') &&
			   bl->n < MAX_BOOT) {
			bl->num[bl->n++] = (unsigned)v;
		}
		line = end ? end + 1 : NULL;
	}
}

static bool in_list(const unsigned *a, size_t n, unsigned v)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] == v)
			return true;
	return false;
}

static int chroot_capture(struct inst_ctx *ctx, const char *const *argv, char **out)
{
	const char *full[24];
	size_t n = 0;

	full[n++] = "chroot";
	full[n++] = ctx->target;
	for (; *argv && n + 1 < sizeof(full) / sizeof(full[0]); argv++)
		full[n++] = *argv;
	full[n] = NULL;
	return inst_run(ctx, full, NULL, out);
}

static int nvram_entry(struct inst_ctx *ctx)
{
	const struct inst_layout *l = &ctx->layout;
	const char *list[] = { "efibootmgr", NULL };
	const char *loader = path_exists(ctx->target, "/boot/efi/EFI/" EFI_ID "/shimx64.efi")
			     ? "\\EFI\\" EFI_ID "\\shimx64.efi" : "\\EFI\\" EFI_ID "\\grubx64.efi";
	const char *create[] = { "efibootmgr", "--create", "--disk", l->disk_dev, "--part", "2",
				 "--label", EFI_ID, "--loader", loader, NULL };
	char order[MAX_BOOT * 5 + 1];
	const char *set[] = { "efibootmgr", "-o", order, NULL };
	struct inst_boot_list before, after;
	char *out = NULL;
	unsigned entry = 0;
	bool found = false;
	size_t len = 0;
	int ret;

	ret = chroot_capture(ctx, list, &out);
	if (ret < 0)
		return ret;
	inst_boot_parse(out, EFI_ID, &before);
	free(out);
	ret = chroot_capture(ctx, create, &out);
	if (ret < 0)
		return ret;
	inst_boot_parse(out, EFI_ID, &after);
	free(out);
	if (ctx->dry_run)	/* no entry was created: BootOrder cannot be computed */
		return 0;
	for (size_t i = 0; i < after.n && !found; i++)
		if (!in_list(before.num, before.n, after.num[i])) {
			entry = after.num[i];
			found = true;
		}
	if (!found)
		return ip_err_set(&ctx->err, -ENOENT,
				  "efibootmgr did not report the new boot entry '%s'", EFI_ID);
	len += snprintf(order, sizeof(order), "%04X", entry);
	for (size_t i = 0; i < after.n_order; i++)
		if (after.order[i] != entry && len + 6 < sizeof(order))
			len += snprintf(order + len, sizeof(order) - len, ",%04X", after.order[i]);
	return inst_run_chroot(ctx, set, NULL);
}

/* A loader for the other firmware kind may fail (e.g. no grub-pc modules): warn only. */
static int loader(struct inst_ctx *ctx, const char *const *argv, bool required)
{
	int ret = inst_run_chroot(ctx, argv, NULL);

	if (ret < 0 && !required) {
		ip_warn("%s, ignoring", ip_err_msg(&ctx->err));
		ip_err_clear(&ctx->err);
		return 0;
	}
	return ret;
}

/*
 * The two UEFI installs (EFI/proxmox, EFI/BOOT) onto the ESP mounted at @dir
 * (in the target) with grub-install's Secure Boot flag @sb; when @required
 * (UEFI firmware) and signed, the chain they left on /boot/efi is checked.
 */
static int efi_loaders(struct inst_ctx *ctx, const char *sb, bool required, const char *dir)
{
	char efidir[128];
	const char *efi[] = { "grub-install", "--target=x86_64-efi", efidir,
			      "--bootloader-id=" EFI_ID, sb, "--no-nvram", NULL };
	const char *removable[] = { "grub-install", "--target=x86_64-efi", efidir,
				    "--removable", sb, "--no-nvram", NULL };
	int ret;

	snprintf(efidir, sizeof(efidir), "--efi-directory=%s", dir);
	ret = loader(ctx, efi, required);
	if (ret == 0)
		ret = loader(ctx, removable, required);
	if (ret < 0 || !required || strcmp(sb, INST_SB_ON) || strcmp(dir, "/boot/efi"))
		return ret;
	return inst_boot_sb_verify(ctx);	/* on BIOS firmware these are best effort */
}

/* A zfs root: GRUB onto the ESPs after the first too, each mounted in turn. */
static int efi_more(struct inst_ctx *ctx, const char *sb, bool required)
{
	const struct inst_layout *l = &ctx->layout;
	char dir[512];
	int ret = 0;

	if (strcmp(l->root_fstype, "zfs"))
		return 0;	/* btrfs leaves the other ESPs empty */
	if (path_join(dir, sizeof(dir), ctx->target, INST_ESP_MORE) < 0 || !inst_path_ok(dir))
		return ip_err_set(&ctx->err, -EINVAL, "invalid target directory '%s'",
				  ctx->target);
	for (size_t k = 0; k < l->n_extra && ret == 0; k++) {
		unsigned keep = ctx->mounts.n;

		ret = inst_mount_fs(ctx, "vfat", l->extra[k].part_esp, INST_ESP_MORE);
		if (ret < 0)
			break;
		ret = efi_loaders(ctx, sb, required, INST_ESP_MORE);
		if (inst_unwind_mounts(ctx, keep) < 0 && ret == 0)
			ret = ctx->err.code;
	}
	if (!ctx->dry_run)
		rmdir(dir);
	return ret;
}

/* The ESPs' UUIDs that proxmox-boot-tool must have listed after init. */
static int pbt_check(struct inst_ctx *ctx)
{
	const struct inst_layout *l = &ctx->layout;
	_cleanup_free_ char *list = NULL;
	size_t len = 0;
	int ret;

	if (ctx->dry_run)
		return 0;
	ret = path_read_all(ctx->target, INST_PBT_UUIDS, 64 * 1024, &list, &len);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "proxmox-boot-tool left no '%s%s'",
				    ctx->target, INST_PBT_UUIDS);
	for (size_t k = 0; k < inst_layout_n_disks(l); k++) {
		const char *esp = k ? l->extra[k - 1].part_esp : l->part_esp;
		const char *uuid = k ? l->extra[k - 1].esp_uuid : l->esp_uuid;
		const char *p = list;
		size_t n = strlen(uuid);
		bool found = false;

		while (n && !found && (p = strstr(p, uuid))) {
			found = (p == list || p[-1] == '\n') && (p[n] == '\n' || !p[n]);
			p += n;
		}
		if (!found)
			return ip_err_set(&ctx->err, -ENOENT,
					  "proxmox-boot-tool did not list ESP '%s' (UUID '%s') in "
					  "'%s'", esp, uuid, INST_PBT_UUIDS);
	}
	return 0;
}

/*
 * proxmox-boot-tool on every ESP, in the disks' order; each ESP must be
 * unmounted for it, so the first leaves /boot/efi (fstab does not list it).
 */
static int boot_pbt(struct inst_ctx *ctx, enum inst_boot_kind kind)
{
	const struct inst_layout *l = &ctx->layout;
	bool uefi = ctx->hw && ctx->hw->fw == HW_FW_UEFI;
	bool grub = uefi && kind == INST_BOOT_PBT_GRUB;	/* Secure Boot: GRUB, signed */
	int ret;

	ret = inst_chroot_mounts(ctx);
	if (ret == 0)
		ret = inst_umount_at(ctx, "/boot/efi");
	if (ret < 0)
		return ret;
	for (size_t k = 0; k < inst_layout_n_disks(l); k++) {
		const char *esp = k ? l->extra[k - 1].part_esp : l->part_esp;
		const char *init[] = { "proxmox-boot-tool", "init", esp, grub ? "grub" : NULL,
				       NULL };
		char what[192];

		if (!inst_dev_ok(esp))
			return ip_err_set(&ctx->err, -EINVAL, "invalid ESP '%s'", esp);
		snprintf(what, sizeof(what), "proxmox-boot-tool init %s", esp);
		inst_progress(ctx, "bootloader", (int)(100 * k / inst_layout_n_disks(l)), what);
		ret = inst_run_chroot(ctx, init, NULL);
		if (ret < 0)
			return ret;
	}
	ret = pbt_check(ctx);
	if (ret < 0)
		return ret;
	inst_progress(ctx, "bootloader", 100, "boot loader installed");
	return 0;
}

int inst_boot(struct inst_ctx *ctx)
{
	const struct inst_layout *l = &ctx->layout;
	bool uefi = ctx->hw && ctx->hw->fw == HW_FW_UEFI;
	const char *bios[] = { "grub-install", "--target=i386-pc", l->disk_dev, NULL };
	const char *update[] = { "update-grub", NULL };
	enum inst_boot_kind kind;
	const char *sb;
	int ret;

	if (!inst_dev_ok(l->disk_dev))
		return ip_err_set(&ctx->err, -EINVAL, "invalid disk device '%s'", l->disk_dev);
	kind = inst_cfg_boot_decide(ctx);
	if (kind != INST_BOOT_GRUB)
		return boot_pbt(ctx, kind);
	ret = inst_boot_sb_flag(ctx, &sb);	/* before anything is written */
	if (ret < 0)
		return ret;
	ret = inst_chroot_mounts(ctx);
	if (ret < 0)
		return ret;
	inst_progress(ctx, "bootloader", 0, "installing GRUB for BIOS");
	ret = loader(ctx, bios, !uefi);
	if (ret < 0)
		return ret;
	/* a btrfs or zfs root on more disks: each can start GRUB (the first is required) */
	for (size_t k = 0; k < l->n_extra; k++) {
		const char *more[] = { "grub-install", "--target=i386-pc", l->extra[k].disk_dev,
				       NULL };

		if (!inst_dev_ok(l->extra[k].disk_dev))
			return ip_err_set(&ctx->err, -EINVAL, "invalid disk device '%s'",
					  l->extra[k].disk_dev);
		ret = loader(ctx, more, false);
		if (ret < 0)
			return ret;
	}
	inst_progress(ctx, "bootloader", 30, strcmp(sb, INST_SB_ON) ? "installing GRUB for UEFI"
			: "installing shim and signed GRUB for UEFI");
	ret = efi_loaders(ctx, sb, uefi, "/boot/efi");
	if (ret == 0)
		ret = efi_more(ctx, sb, uefi);
	if (ret < 0)
		return ret;
	inst_progress(ctx, "bootloader", 60, "writing grub.cfg");
	ret = inst_run_chroot(ctx, update, NULL);
	if (ret < 0)
		return ret;
	if (uefi) {
		inst_progress(ctx, "bootloader", 80, "adding the UEFI boot entry");
		ret = nvram_entry(ctx);
		if (ret < 0)
			return ret;
	}
	inst_progress(ctx, "bootloader", 100, "boot loader installed");
	return 0;
}
