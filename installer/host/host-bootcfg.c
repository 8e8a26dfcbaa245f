// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which boot loader configuration a running Proxmox VE host uses (design §6:
 * write the kernel command line where that loader reads it, never the other).
 *
 * proxmox-boot-tool keeps the kernels on the ESPs listed in
 * /etc/kernel/proxmox-boot-uuids and, on `refresh`, sets each one up as it
 * was initialised: systemd-boot (UEFI; the loader entries take
 * /etc/kernel/cmdline) or GRUB (BIOS, or UEFI with Secure Boot; update-grub
 * reads /etc/default/grub and grub.d). Its `status` mounts each ESP and prints
 * "<UUID> is configured with: uefi (versions: …)" or "… grub (…)". Without the
 * list the host boots Debian's GRUB from /boot (update-grub).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/hw.h"
#include "host/host.h"
#include "log.h"
#include "path.h"
#include "util.h"

static const struct {
	enum inst_boot_kind kind;
	const char *id;
} boot_ids[] = {
	{ INST_BOOT_GRUB, "grub" },
	{ INST_BOOT_PBT_GRUB, "pbt-grub" },
	{ INST_BOOT_PBT_SDBOOT, "pbt-systemd-boot" },
};

const char *host_boot_id(enum inst_boot_kind kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(boot_ids); i++)
		if (boot_ids[i].kind == kind)
			return boot_ids[i].id;
	return "undecided";
}

int host_boot_from_id(const char *id, enum inst_boot_kind *kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(boot_ids); i++)
		if (id && !strcmp(boot_ids[i].id, id)) {
			*kind = boot_ids[i].kind;
			return 0;
		}
	return -EINVAL;
}

void host_boot_parse_status(const char *out, unsigned *n_uefi, unsigned *n_grub)
{
	static const char mark[] = " is configured with: ";

	*n_uefi = *n_grub = 0;
	for (const char *line = out; line && *line;) {
		const char *end = strchr(line, '\n'), *m = strstr(line, mark);
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (m && m < line + len) {
			/* "uefi (versions: …)", "grub (…)", or both, comma separated */
			char what[256];
			size_t n = len - (size_t)(m + sizeof(mark) - 1 - line);

			snprintf(what, sizeof(what), "%.*s", (int)n, m + sizeof(mark) - 1);
			if (str_startswith(what, "uefi") || strstr(what, ", uefi"))
				(*n_uefi)++;
			if (str_startswith(what, "grub") || strstr(what, ", grub"))
				(*n_grub)++;
		}
		line = end ? end + 1 : NULL;
	}
}

static unsigned count_uuids(const char *text)
{
	unsigned n = 0;

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (*p != '\n' && *p != '#')
			n++;
	return n;
}

/* systemd-boot's LoaderInfo variable: 4 bytes of attributes, then UTF-16LE text */
static bool loader_info(const struct host_ctx *ctx, char *buf, size_t size)
{
	_cleanup_free_ char *raw = NULL;
	size_t len, n = 0;

	if (path_read_all(ctx->sysroot, HOST_LOADER_INFO, 4096, &raw, &len) < 0 || len < 6)
		return false;
	for (size_t i = 4; i + 1 < len && n + 1 < size; i += 2) {
		unsigned char c = (unsigned char)raw[i];

		if (!c && !raw[i + 1])
			break;
		buf[n++] = raw[i + 1] || c < 0x20 || c > 0x7e ? '?' : (char)c;
	}
	buf[n] = '\0';
	return n > 0;
}

/* `proxmox-boot-tool status`, when the tool is there: 1 decided, 0 not, < 0 error */
static int ask_pbt(struct host_ctx *ctx, struct host_boot *b, unsigned n)
{
	static const char *const argv[] = { "proxmox-boot-tool", "status", NULL };
	struct run_opts o = { .flags = RUN_CAPTURE };
	struct run_result res = { 0 };
	unsigned n_uefi, n_grub;
	int ret;

	if (!ctx->runner || !path_exists(ctx->root, INST_PBT_TOOL))
		return 0;
	ret = runner_run(ctx->runner, argv, &o, &res);
	if (ret < 0 || res.status != 0) {
		ip_warn("'proxmox-boot-tool status' failed (%s), ignoring",
			ret < 0 ? ip_err_msg(&ctx->runner->err) : "non-zero exit");
		run_result_release(&res);
		return 0;
	}
	host_boot_parse_status(res.out, &n_uefi, &n_grub);
	run_result_release(&res);
	if (n_uefi && n_grub)
		return ip_err_set(&ctx->err, -EINVAL,
				  "the ESPs in '%s' disagree: 'proxmox-boot-tool status' shows %u "
				  "with uefi and %u with grub; run 'proxmox-boot-tool reinit' first",
				  INST_PBT_UUIDS, n_uefi, n_grub);
	if (!n_uefi && !n_grub)
		return 0;
	b->kind = n_uefi ? INST_BOOT_PBT_SDBOOT : INST_BOOT_PBT_GRUB;
	snprintf(b->why, sizeof(b->why), "'%s' lists %u ESP%s; 'proxmox-boot-tool status': "
		 "%u configured with %s", INST_PBT_UUIDS, n, n == 1 ? "" : "s",
		 n_uefi ? n_uefi : n_grub, n_uefi ? "uefi (systemd-boot)" : "grub");
	return 1;
}

int host_boot_detect(struct host_ctx *ctx, struct host_boot *b)
{
	_cleanup_free_ char *uuids = NULL;
	char info[128];
	size_t len;
	unsigned n;
	int ret;

	memset(b, 0, sizeof(*b));
	ret = path_read_all(ctx->root, INST_PBT_UUIDS, 64 * 1024, &uuids, &len);
	if (ret < 0 && ret != -ENOENT)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s'", INST_PBT_UUIDS);
	n = count_uuids(uuids);
	if (!n) {
		if (!path_exists(ctx->root, HOST_GRUB_DEFAULT))
			return ip_err_set(&ctx->err, -ENOENT,
					  "cannot tell the boot loader: neither '%s' nor '%s' "
					  "exists", INST_PBT_UUIDS, HOST_GRUB_DEFAULT);
		b->kind = INST_BOOT_GRUB;
		snprintf(b->why, sizeof(b->why), "no ESP in '%s'; GRUB reads '%s' and "
			 "'/etc/default/grub.d'", INST_PBT_UUIDS, HOST_GRUB_DEFAULT);
		return 0;
	}
	if (!path_exists(ctx->sysroot, "/sys/firmware/efi")) {
		b->kind = INST_BOOT_PBT_GRUB;
		snprintf(b->why, sizeof(b->why), "'%s' lists %u ESP%s; booted by BIOS, so "
			 "proxmox-boot-tool keeps GRUB on them", INST_PBT_UUIDS, n,
			 n == 1 ? "" : "s");
		return 0;
	}
	ret = ask_pbt(ctx, b, n);
	if (ret != 0)
		return ret < 0 ? ret : 0;
	if (loader_info(ctx, info, sizeof(info))) {
		b->kind = str_startswith(info, "systemd-boot") ? INST_BOOT_PBT_SDBOOT
							       : INST_BOOT_PBT_GRUB;
		snprintf(b->why, sizeof(b->why), "'%s' lists %u ESP%s; this boot's loader "
			 "says LoaderInfo '%s'", INST_PBT_UUIDS, n, n == 1 ? "" : "s", info);
		return 0;
	}
	/* Proxmox's installer: systemd-boot on UEFI unless Secure Boot is on */
	if (ctx->hw && ctx->hw->secure_boot == HW_YES) {
		b->kind = INST_BOOT_PBT_GRUB;
		snprintf(b->why, sizeof(b->why), "'%s' lists %u ESP%s; UEFI with Secure Boot "
			 "on boots GRUB", INST_PBT_UUIDS, n, n == 1 ? "" : "s");
	} else {
		b->kind = INST_BOOT_PBT_SDBOOT;
		snprintf(b->why, sizeof(b->why), "'%s' lists %u ESP%s; UEFI without Secure "
			 "Boot boots systemd-boot", INST_PBT_UUIDS, n, n == 1 ? "" : "s");
	}
	return 0;
}
