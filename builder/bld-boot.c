// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage boot: the ISO tree's boot files and the EFI system partition image.
 *   BIOS: isolinux/isolinux.bin + ldlinux.c32 + menu.c32 with isolinux.cfg
 *   UEFI: Debian's signed shim and GRUB in a FAT image (mkfs.fat + mtools,
 *         no loop mounts); GRUB's built-in prefix is /EFI/debian, so a stub
 *         /EFI/debian/grub.cfg in the ISO tree and in the ESP finds the
 *         medium by its unique marker file and loads /boot/grub/grub.cfg.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bld.h"
#include "hash.h"
#include "util.h"

#define ISOLINUX_DIR "/usr/lib/ISOLINUX"
#define SYSLINUX_BIOS "/usr/lib/syslinux/modules/bios"
#define SHIM "/usr/lib/shim/shimx64.efi.signed"
#define MOK "/usr/lib/shim/mmx64.efi.signed"
#define GRUB_SIGNED "/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed"
#define ESP_KIB "8192"

/* The marker: unique per image, derived from its inputs (reproducible). */
int bld_marker(struct bld_ctx *ctx, char *out, size_t size)
{
	char seed_hex[SHA256_HEX_LEN + 1] = "", hex[SHA256_HEX_LEN + 1];
	struct strbuf sb = { 0 };
	int ret;

	if (!ctx->dry_run && ctx->seed[0]) {
		ret = sha256_file(NULL, ctx->seed, seed_hex, NULL);
		if (ret < 0)
			return ip_err_errno(&ctx->err, ret, "cannot read '%s'", ctx->seed);
	}
	sb_printf(&sb, "%s:%s:%s", ctx->squashfs_key, seed_hex, ctx->name);
	if (sb.err)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	ret = sha256_buf(sb.buf, sb.len, hex);
	sb_release(&sb);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot hash the marker");
	return bld_path(out, size, "/.ironpass-%.16s", hex);
}

void bld_menu_from_ctx(const struct bld_ctx *ctx, struct bld_menu *m, char *title,
		       size_t title_size)
{
	const struct answer_profile *p = ctx->profile ? &ctx->profile->profile : NULL;
	int def = p ? bld_entry_parse(p->default_entry) : -EINVAL;

	snprintf(title, title_size, "ironpass %s", ctx->name);
	*m = (struct bld_menu){
		.title = title,
		.kernel = "/live/vmlinuz",
		.initrds = { "/live/initrd.img", "/live/seed.img", NULL },
		.boot_args = p ? p->boot_args : NULL,
		.n_boot_args = p ? p->n_boot_args : 0,
		.quiet = false,
		.default_entry = def < 0 ? BLD_ENTRY_INSTALL : def,
		.timeout = p ? p->menu_timeout : 0,
	};
}

static int write_gen(struct bld_ctx *ctx, const char *tree, const char *rel, char *text)
{
	char path[BLD_PATH_MAX];
	int ret;

	if (!text)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	if (bld_path(path, sizeof(path), "%s/%s", tree, rel) < 0) {
		free(text);
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "path too long '%s'", tree);
	}
	ret = bld_write_text(ctx, path, text, 0644);
	free(text);
	return ret;
}

static int copy_in(struct bld_ctx *ctx, const char *src, const char *tree, const char *rel)
{
	char dst[BLD_PATH_MAX];

	if (bld_path(dst, sizeof(dst), "%s/%s", tree, rel) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "path too long '%s'", tree);
	return bld_copy_file(ctx, src, dst, 0644);
}

static int make_esp(struct bld_ctx *ctx, const char *stub)
{
	char volid[16], stub_src[BLD_PATH_MAX];
	const char *img = ctx->esp_img;
	int ret;

	snprintf(volid, sizeof(volid), "%08llx",
		 (unsigned long long)ctx->source_date_epoch & 0xffffffffull);
	if (bld_path(stub_src, sizeof(stub_src), "%s/esp-grub.cfg", ctx->workdir) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "path too long '%s'", ctx->workdir);
	ret = bld_write_text(ctx, stub_src, stub, 0644);
	if (ret < 0)
		return ret;
	if (!ctx->dry_run)
		remove(img);
	{
		const char *mkfs[] = { "mkfs.fat", "-C", "--invariant", "-i", volid, "-n",
				       "IRONPASSESP", img, ESP_KIB, NULL };
		const char *mmd[] = { "mmd", "-i", img, "::/EFI", "::/EFI/BOOT", "::/EFI/debian",
				      NULL };
		const char *cp_shim[] = { "mcopy", "-m", "-i", img, SHIM, "::/EFI/BOOT/BOOTX64.EFI",
					  NULL };
		const char *cp_grub[] = { "mcopy", "-m", "-i", img, GRUB_SIGNED,
					  "::/EFI/BOOT/grubx64.efi", NULL };
		const char *cp_mok[] = { "mcopy", "-m", "-i", img, MOK, "::/EFI/BOOT/mmx64.efi",
					 NULL };
		const char *cp_stub[] = { "mcopy", "-m", "-i", img, stub_src,
					  "::/EFI/debian/grub.cfg", NULL };
		const char *const *steps[] = { mkfs, mmd, cp_shim, cp_grub, cp_mok, cp_stub };

		for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
			ret = bld_run_argv(ctx, "boot", steps[i], NULL);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

int bld_stage_boot(struct bld_ctx *ctx)
{
	static const char *const bios_files[] = { "ldlinux.c32", "menu.c32", "libutil.c32",
						  "libcom32.c32" };
	char tree[BLD_PATH_MAX], dir[BLD_PATH_MAX], src[BLD_PATH_MAX], marker[64], title[160];
	struct bld_menu m;
	char *stub;
	int ret;

	if (bld_path(tree, sizeof(tree), "%s/iso", ctx->workdir) < 0 ||
	    bld_path(ctx->esp_img, sizeof(ctx->esp_img), "%s/esp.img", ctx->workdir) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "path too long '%s'", ctx->workdir);
	memcpy(ctx->iso_tree, tree, sizeof(tree));
	ret = bld_marker(ctx, marker, sizeof(marker));
	if (ret < 0)
		return ret;
	if (!ctx->dry_run) {
		ret = bld_rm_rf(ctx, tree);
		if (ret < 0)
			return ret;
	}
	static const char *const dirs[] = { "isolinux", "boot/grub", "EFI/debian", "live" };
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (bld_path(dir, sizeof(dir), "%s/%s", tree, dirs[i]) < 0)
			return -ENAMETOOLONG;
		ret = bld_mkdirs(ctx, dir);
		if (ret < 0)
			return ret;
	}
	ret = copy_in(ctx, ISOLINUX_DIR "/isolinux.bin", tree, "isolinux/isolinux.bin");
	for (size_t i = 0; i < ARRAY_SIZE(bios_files) && !ret; i++) {
		char rel[64];

		snprintf(src, sizeof(src), "%s/%s", SYSLINUX_BIOS, bios_files[i]);
		snprintf(rel, sizeof(rel), "isolinux/%s", bios_files[i]);
		ret = copy_in(ctx, src, tree, rel);
	}
	if (ret < 0)
		return ret;

	bld_menu_from_ctx(ctx, &m, title, sizeof(title));
	/* "localboot" is for the PXE menus: a medium someone put in the drive is
	 * there to install (answer_check warns about it) */
	if (m.default_entry == BLD_ENTRY_LOCALBOOT)
		m.default_entry = BLD_ENTRY_INSTALL;
	m.marker = marker;
	ret = write_gen(ctx, tree, "isolinux/isolinux.cfg", bld_menu_isolinux(&m));
	if (!ret)
		ret = write_gen(ctx, tree, "boot/grub/grub.cfg", bld_menu_grub(&m));
	if (!ret)
		ret = write_gen(ctx, tree, "EFI/debian/grub.cfg", bld_menu_grub_stub(marker));
	if (!ret)
		ret = write_gen(ctx, tree, marker + 1, strdup("ironpass live medium\n"));
	if (ret < 0)
		return ret;
	stub = bld_menu_grub_stub(marker);
	if (!stub)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	ret = make_esp(ctx, stub);
	free(stub);
	return ret;
}
