/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_STEPS_H
#define IRONPASS_INST_STEPS_H

/*
 * The install steps, in the order the flow calls them. Each returns 0 or a
 * negative errno with the message in ctx->err, and reports progress through
 * ctx->on_progress. A failed step leaves ctx->mounts describing what is still
 * mounted, so the flow can always finish with inst_umount().
 */

#include "install/inst.h"

int inst_fetch(struct inst_ctx *ctx);		/* PXE payload download; the manifest's pin */
int inst_disk_select(struct inst_ctx *ctx);	/* choose the disk; refuse unsafe choices */
int inst_partition(struct inst_ctx *ctx);	/* wipefs, sfdisk script on stdin, settle */
int inst_lvm(struct inst_ctx *ctx);		/* VG pve: LVs swap, root, thin pool data */
int inst_mkfs(struct inst_ctx *ctx);		/* ESP, swap, root; UUIDs into ctx->layout */
int inst_mount(struct inst_ctx *ctx);		/* root at target, ESP at target/boot/efi */
int inst_unpack(struct inst_ctx *ctx);		/* base.tar.zst into target, SHA-256 checked */
int inst_pkgs(struct inst_ctx *ctx);		/* pool packages with apt in a chroot */
int inst_cfg_all(struct inst_ctx *ctx);		/* fstab, network, locale, root, apt, vfio, cluster */
int inst_boot(struct inst_ctx *ctx);		/* GRUB BIOS + UEFI, removable path, BootOrder */
int inst_firstboot(struct inst_ctx *ctx);	/* first-boot unit, binary, VM template config */
int inst_facts(struct inst_ctx *ctx);		/* Proxmox's webhook facts into ctx->facts */
int inst_umount(struct inst_ctx *ctx);		/* everything mounted, in reverse */

/*
 * Bind /dev, /dev/pts, /proc, /sys, /run (and efivarfs on UEFI) into the
 * target for chroot commands. Idempotent; inst_pkgs calls it, and so may
 * the configuration steps (update-initramfs). Undone by inst_umount().
 */
int inst_chroot_mounts(struct inst_ctx *ctx);

#endif
