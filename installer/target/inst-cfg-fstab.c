// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /etc/fstab by UUID: root, the ESP on /boot/efi, swap. A btrfs root is the
 * filesystem's top level, mounted as the Proxmox VE installer writes it:
 * "defaults", plus "compress" (btrfs.compress = "on") or "compress=ALG". A zfs
 * root has no line (ZFS mounts its datasets), and with proxmox-boot-tool no
 * ESP is mounted either (it mounts each while it syncs), as Proxmox writes it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "target/inst-cfg.h"
#include "util.h"

static bool uuid_ok(const char *u)
{
	if (!*u || strlen(u) > 36)
		return false;
	for (; *u; u++)
		if (!((*u >= '0' && *u <= '9') || (*u >= 'a' && *u <= 'f') ||
		      (*u >= 'A' && *u <= 'F') || *u == '-'))
			return false;
	return true;
}

/* "defaults[,compress[=ALG]]" for a btrfs root; NULL when the compression is not known. */
static const char *btrfs_opts(const char *compress, char *buf, size_t size)
{
	static const char *const algs[] = { "zlib", "lzo", "zstd" };

	if (!compress[0] || !strcmp(compress, "off"))
		return "defaults";
	if (!strcmp(compress, "on"))
		return "defaults,compress";
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (!strcmp(compress, algs[i])) {
			snprintf(buf, size, "defaults,compress=%s", algs[i]);
			return buf;
		}
	return NULL;
}

char *inst_cfg_fstab_text(const struct inst_layout *l, struct ip_err *err)
{
	struct strbuf sb = { 0 };
	const char *opts;
	char buf[64];

	if (strcmp(l->root_fstype, "zfs") && !uuid_ok(l->root_uuid)) {
		ip_err_set(err, -EINVAL, "invalid root file system UUID '%s'", l->root_uuid);
		return NULL;
	}
	if (!strcmp(l->root_fstype, "ext4"))
		opts = "errors=remount-ro";
	else if (!strcmp(l->root_fstype, "xfs"))
		opts = "defaults";
	else if (!strcmp(l->root_fstype, "zfs"))
		opts = NULL;
	else if (!strcmp(l->root_fstype, "btrfs")) {
		opts = btrfs_opts(l->btrfs_compress, buf, sizeof(buf));
		if (!opts) {
			ip_err_set(err, -EINVAL, "unsupported btrfs compression '%s'",
				   l->btrfs_compress);
			return NULL;
		}
	} else {
		ip_err_set(err, -EINVAL, "unsupported root file system '%s'", l->root_fstype);
		return NULL;
	}
	if ((l->esp_uuid[0] && !uuid_ok(l->esp_uuid)) ||
	    (l->swap_uuid[0] && !uuid_ok(l->swap_uuid))) {
		ip_err_set(err, -EINVAL, "invalid ESP or swap UUID '%s' '%s'", l->esp_uuid,
			   l->swap_uuid);
		return NULL;
	}
	sb_puts(&sb, "# /etc/fstab: written by ironpass\n");
	sb_puts(&sb, "# <file system> <mount point> <type> <options> <dump> <pass>\n");
	if (opts)
		sb_printf(&sb, "UUID=%s / %s %s 0 1\n", l->root_uuid, l->root_fstype, opts);
	if (l->esp_uuid[0])
		sb_printf(&sb, "UUID=%s /boot/efi vfat umask=0077 0 1\n", l->esp_uuid);
	if (l->swap_uuid[0])
		sb_printf(&sb, "UUID=%s none swap sw 0 0\n", l->swap_uuid);
	sb_puts(&sb, "proc /proc proc defaults 0 0\n");
	if (sb.err) {
		sb_release(&sb);
		ip_err_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	return sb_detach(&sb);
}

int inst_cfg_fstab(struct inst_ctx *ctx)
{
	struct inst_layout l = ctx->layout;
	_cleanup_free_ char *text = NULL;

	if (inst_cfg_boot_decide(ctx) != INST_BOOT_GRUB)
		l.esp_uuid[0] = '\0';	/* proxmox-boot-tool: no ESP in fstab */
	text = inst_cfg_fstab_text(&l, &ctx->err);

	if (!text)
		return ctx->err.code;
	return inst_cfg_write(ctx, "/etc/fstab", text, 0644);
}
