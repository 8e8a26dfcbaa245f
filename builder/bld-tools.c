// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tool check: the build needs a handful of programs and boot files
 * from Debian packages. Every missing one is reported in one message, each
 * with the package that provides it, so one apt-get line fixes them all.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bld.h"
#include "path.h"
#include "util.h"

static const struct bld_tool tools_base[] = {
	{ "mmdebstrap", "mmdebstrap" },
	{ "mksquashfs", "squashfs-tools" },
	{ "xorriso", "xorriso" },
	{ "mkfs.fat", "dosfstools" },
	{ "mmd", "mtools" },
	{ "mcopy", "mtools" },
	{ "zstd", "zstd" },
	{ "cp", "coreutils" },
	{ "dpkg-deb", "dpkg" },
	{ BLD_AUTOMOUNT_HOOKS "/setup00.sh", "mmdebstrap" },
	{ "/usr/lib/ISOLINUX/isohdpfx.bin", "isolinux" },
	{ "/usr/lib/ISOLINUX/isolinux.bin", "isolinux" },
	{ "/usr/lib/syslinux/modules/bios/ldlinux.c32", "syslinux-common" },
	{ "/usr/lib/shim/shimx64.efi.signed", "shim-signed" },
	{ "/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed", "grub-efi-amd64-signed" },
	{ NULL, NULL },
};

static const struct bld_tool tools_iso_payload[] = {
	{ "mmdebstrap", "mmdebstrap" },
	{ "mksquashfs", "squashfs-tools" },
	{ "xorriso", "xorriso" },
	{ "mkfs.fat", "dosfstools" },
	{ "mmd", "mtools" },
	{ "mcopy", "mtools" },
	{ "zstd", "zstd" },
	{ "cp", "coreutils" },
	{ "dpkg-deb", "dpkg" },
	{ BLD_AUTOMOUNT_HOOKS "/setup00.sh", "mmdebstrap" },
	{ "unsquashfs", "squashfs-tools" },
	{ "/usr/lib/ISOLINUX/isohdpfx.bin", "isolinux" },
	{ "/usr/lib/ISOLINUX/isolinux.bin", "isolinux" },
	{ "/usr/lib/syslinux/modules/bios/ldlinux.c32", "syslinux-common" },
	{ "/usr/lib/shim/shimx64.efi.signed", "shim-signed" },
	{ "/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed", "grub-efi-amd64-signed" },
	{ NULL, NULL },
};

const struct bld_tool *bld_tools_needed(const struct bld_ctx *ctx)
{
	if (ctx && ctx->payload_src == BLD_PAYLOAD_ISO)
		return tools_iso_payload;
	return tools_base;
}

static bool tool_in_path(const char *name, const char *path_env)
{
	const char *p = path_env ? path_env : "";
	char buf[BLD_PATH_MAX];

	while (*p) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);

		if (n && n < sizeof(buf) &&
		    snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, name) < (int)sizeof(buf) &&
		    access(buf, X_OK) == 0)
			return true;
		p += n;
		if (*p == ':')
			p++;
	}
	return false;
}

static bool tool_present(const struct bld_tool *t, const char *path_env, const char *root)
{
	if (t->name[0] == '/')
		return path_exists(root, t->name);
	return tool_in_path(t->name, path_env);
}

int bld_tools_check(const struct bld_tool *tools, const char *path_env, const char *root,
		    struct ip_err *e)
{
	struct strbuf names = { 0 }, pkgs = { 0 };
	size_t n_missing = 0;
	int ret = 0;

	for (const struct bld_tool *t = tools; t->name; t++) {
		if (tool_present(t, path_env, root))
			continue;
		sb_printf(&names, "%s'%s' (%s)", n_missing ? ", " : "", t->name, t->package);
		/* each package once in the install hint */
		bool seen = false;
		for (const struct bld_tool *u = tools; u != t; u++)
			if (!strcmp(u->package, t->package) && !tool_present(u, path_env, root))
				seen = true;
		if (!seen)
			sb_printf(&pkgs, " %s", t->package);
		n_missing++;
	}
	if (n_missing) {
		if (names.err || pkgs.err)
			ret = ip_err_set(e, -ENOMEM, "out of memory");
		else
			ret = ip_err_set(e, -ENOENT,
					 "missing host tool%s: %s; install with: apt-get install%s",
					 n_missing > 1 ? "s" : "", names.buf, pkgs.buf);
	}
	sb_release(&names);
	sb_release(&pkgs);
	return ret;
}
