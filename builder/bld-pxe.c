// SPDX-License-Identifier: GPL-2.0-or-later
/* Build the PXE tree (layout in bld-pxe.h) into <dir>.tmp, then replace <dir>. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bld-pxe.h"
#include "hash.h"
#include "path.h"
#include "payload.h"
#include "payload/bld-payload.h"
#include "util.h"

/* Debian bookworm package paths (syslinux-common, pxelinux, shim-signed,
 * grub-efi-amd64-signed) */
static const struct {
	const char *src, *dst;
} pxe_host_files[] = {
	{ "/usr/lib/PXELINUX/lpxelinux.0", "tftp/lpxelinux.0" },
	{ "/usr/lib/syslinux/modules/bios/ldlinux.c32", "tftp/ldlinux.c32" },
	{ "/usr/lib/syslinux/modules/bios/menu.c32", "tftp/menu.c32" },
	{ "/usr/lib/syslinux/modules/bios/libutil.c32", "tftp/libutil.c32" },
	{ "/usr/lib/syslinux/modules/bios/libcom32.c32", "tftp/libcom32.c32" },
	{ "/usr/lib/shim/shimx64.efi.signed", "tftp/bootx64.efi" },
	{ "/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed", "tftp/grubx64.efi" },
};

static int pxe_copy_host(struct bld_pxe *p, const char *tmp, const char *src, const char *dst)
{
	char *data = NULL;
	size_t len = 0;
	int ret;

	ret = path_read_all(p->host_root, src, 64u << 20, &data, &len);
	if (ret < 0)
		return ip_err_errno(&p->err, ret, "cannot read '%s'", src);
	ret = path_write_file(tmp, dst, data, len, 0644);
	free(data);
	if (ret < 0)
		return ip_err_errno(&p->err, ret, "cannot write '%s/%s'", tmp, dst);
	return 0;
}

static int pxe_put_text(struct bld_pxe *p, const char *tmp, const char *rel, char *text)
{
	int ret;

	if (!text)
		return ip_err_set(&p->err, -ENOMEM, "out of memory");
	ret = path_write_file(tmp, rel, text, strlen(text), 0644);
	free(text);
	if (ret < 0)
		return ip_err_errno(&p->err, ret, "cannot write '%s/%s'", tmp, rel);
	return 0;
}

static int pxe_link(struct bld_pxe *p, const char *tmp, const char *src, const char *rel)
{
	char dst[PATH_MAX], dir[PATH_MAX];
	char *slash;
	int ret;

	ret = path_join(dst, sizeof(dst), tmp, rel);
	if (ret < 0)
		return ip_err_errno(&p->err, ret, "bad path '%s'", rel);
	snprintf(dir, sizeof(dir), "%s", dst);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		ret = path_mkdirs(NULL, dir, 0755);
		if (ret < 0)
			return ip_err_errno(&p->err, ret, "cannot create '%s'", dir);
	}
	return bld_payload_link(src, dst, &p->err);
}

static void sums_add(struct strbuf *sb, const char *hex, const char *rel)
{
	sb_printf(sb, "%s  %s\n", hex, rel);
}

/* http/: the large files, the payload (linked), SHA256SUMS over all of it */
static int pxe_http(struct bld_pxe *p, const char *tmp, char *ipxe)
{
	const char *art[][2] = {
		{ p->kernel, "vmlinuz" }, { p->initrd, "initrd.img" }, { p->seed, "seed.img" },
		{ p->squashfs, "filesystem.squashfs" },
	};
	static const char *const top_files[] = {
		"filesystem.squashfs", "initrd.img", "ironpass.ipxe", "seed.img", "vmlinuz",
	};
	struct payload_info pi = { 0 };
	struct strbuf sums = { 0 };
	char hex[SHA256_HEX_LEN + 1], rel[PATH_MAX], src[PATH_MAX], http[PATH_MAX];
	int ret;

	ret = pxe_put_text(p, tmp, "http/ironpass.ipxe", ipxe);
	for (size_t i = 0; ret == 0 && i < ARRAY_SIZE(art); i++) {
		snprintf(rel, sizeof(rel), "http/%s", art[i][1]);
		ret = pxe_link(p, tmp, art[i][0], rel);
	}
	if (ret == 0 && p->payload_dir) {
		ret = payload_verify(p->payload_dir, &pi, &p->err);
		for (size_t i = 0; ret == 0 && i <= pi.n_files; i++) {
			const char *f = i < pi.n_files ? pi.files[i].path : PAYLOAD_MANIFEST;

			snprintf(rel, sizeof(rel), "http/payload/%s", f);
			ret = path_join(src, sizeof(src), p->payload_dir, f);
			if (ret == 0)
				ret = pxe_link(p, tmp, src, rel);
		}
	}
	for (size_t i = 0; ret == 0 && i < p->n_media; i++) {
		snprintf(rel, sizeof(rel), "http/media/%s", p->media[i].name);
		ret = pxe_link(p, tmp, p->media[i].src, rel);
	}
	/* the top-level files, then payload/ (hashes from its verified manifest), then media/ */
	if (ret == 0)
		ret = path_join(http, sizeof(http), tmp, "http");
	for (size_t i = 0; ret == 0 && i < ARRAY_SIZE(top_files); i++) {
		ret = sha256_file(http, top_files[i], hex, NULL);
		if (ret < 0)
			ip_err_errno(&p->err, ret, "cannot hash '%s'", top_files[i]);
		else
			sums_add(&sums, hex, top_files[i]);
	}
	if (ret == 0 && p->payload_dir) {
		ret = sha256_file(p->payload_dir, PAYLOAD_MANIFEST, hex, NULL);
		for (size_t i = 0; ret == 0 && i < pi.n_files; i++) {
			snprintf(rel, sizeof(rel), "payload/%s", pi.files[i].path);
			sums_add(&sums, pi.files[i].sha256, rel);
		}
		if (ret == 0)
			sums_add(&sums, hex, "payload/" PAYLOAD_MANIFEST);
	}
	for (size_t i = 0; ret == 0 && i < p->n_media; i++) {
		ret = sha256_file(NULL, p->media[i].src, hex, NULL);
		snprintf(rel, sizeof(rel), "media/%s", p->media[i].name);
		if (ret < 0)
			ip_err_errno(&p->err, ret, "cannot hash '%s'", p->media[i].src);
		else
			sums_add(&sums, hex, rel);
	}
	if (ret == 0)
		ret = pxe_put_text(p, tmp, "http/SHA256SUMS", sb_detach(&sums));
	sb_release(&sums);
	payload_info_release(&pi);
	return ret;
}

/* node/<mode>/: the menus `ironpass pxe node` copies for one MAC (bld-pxe-node.c) */
static int pxe_node_templates(struct bld_pxe *p, const char *tmp, const struct bld_menu *base,
			      const struct bld_pxe_url *u, const struct bld_pxe_menus *mm)
{
	static const int modes[] = { BLD_ENTRY_AUTO, BLD_ENTRY_LOCALBOOT };
	char rel[PATH_MAX];
	int ret = 0;

	for (size_t i = 0; ret == 0 && i < ARRAY_SIZE(modes); i++) {
		const char *dir = bld_pxe_node_dir(modes[i]);
		struct bld_menu pl = mm->pxelinux, gr = mm->grub, ip = *base;

		/* the same menus as the tree's, another default and no per-node hook
		 * (a per-node GRUB file that looked for itself would load itself) */
		pl.default_entry = gr.default_entry = ip.default_entry = modes[i];
		pl.node_hook = gr.node_hook = ip.node_hook = false;
		snprintf(rel, sizeof(rel), BLD_PXE_NODE_TEMPLATES "/%s/" BLD_PXE_NODE_PXELINUX, dir);
		ret = pxe_put_text(p, tmp, rel, bld_menu_isolinux(&pl));
		snprintf(rel, sizeof(rel), BLD_PXE_NODE_TEMPLATES "/%s/" BLD_PXE_NODE_GRUB, dir);
		if (ret == 0)
			ret = pxe_put_text(p, tmp, rel, bld_menu_grub(&gr));
		snprintf(rel, sizeof(rel), BLD_PXE_NODE_TEMPLATES "/%s/" BLD_PXE_NODE_IPXE, dir);
		if (ret == 0)
			ret = pxe_put_text(p, tmp, rel, bld_pxe_ipxe(&ip, u, mm->extra));
	}
	return ret;
}

static int pxe_fill(struct bld_pxe *p, const char *tmp)
{
	struct bld_pxe_menus mm;
	struct bld_pxe_url u;
	struct bld_menu base = p->menu;
	char tftp[PATH_MAX];
	int ret;

	ret = bld_pxe_url_parse(p->url, &u, &p->err);
	if (ret < 0)
		return ret;
	/* every PXE menu can boot the local disk; GRUB and iPXE look for a per-node
	 * file first (pxelinux does on its own: pxelinux.cfg/01-<mac>) */
	base.localboot = true;
	base.node_hook = true;
	if (bld_pxe_menus(&base, &u, p->payload_dir != NULL, &mm) < 0)
		return ip_err_set(&p->err, -ENAMETOOLONG, "PXE URL '%s' is too long", u.base);
	for (size_t i = 0; i < ARRAY_SIZE(pxe_host_files); i++) {
		ret = pxe_copy_host(p, tmp, pxe_host_files[i].src, pxe_host_files[i].dst);
		if (ret < 0)
			return ret;
	}
	ret = path_join(tftp, sizeof(tftp), tmp, "tftp");
	if (ret < 0)
		return ip_err_errno(&p->err, ret, "bad path '%s'", tmp);
	ret = bld_pxe_grub_http_modules(p->host_root, tftp, p->grub_http_why,
					sizeof(p->grub_http_why), &p->err);
	if (ret < 0)
		return ret;
	p->grub_http = ret == 1;
	if (p->grub_http)
		bld_pxe_menus_grub_http(&mm);
	ret = pxe_put_text(p, tmp, "tftp/pxelinux.cfg/default", bld_menu_isolinux(&mm.pxelinux));
	if (ret == 0)
		ret = pxe_put_text(p, tmp, "tftp/grub/grub.cfg", bld_menu_grub(&mm.grub));
	if (ret == 0)
		ret = pxe_put_text(p, tmp, "tftp/ironpass.ipxe", bld_pxe_ipxe(&base, &u, mm.extra));
	if (ret == 0)
		ret = pxe_node_templates(p, tmp, &base, &u, &mm);
	if (ret == 0 && mm.grub_tftp)
		ret = pxe_link(p, tmp, p->kernel, "tftp/vmlinuz");
	if (ret == 0 && mm.grub_tftp)
		ret = pxe_link(p, tmp, p->initrd, "tftp/initrd.img");
	if (ret == 0 && mm.grub_tftp)
		ret = pxe_link(p, tmp, p->seed, "tftp/seed.img");
	if (ret == 0)
		ret = pxe_http(p, tmp, bld_pxe_ipxe(&base, &u, mm.extra));
	return ret;
}

int bld_pxe_build(struct bld_pxe *p)
{
	char tmp[PATH_MAX];
	int ret;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", p->dir) >= sizeof(tmp))
		return ip_err_set(&p->err, -ENAMETOOLONG, "path too long: '%s'", p->dir);
	bld_payload_rmtree(tmp);
	ret = path_mkdirs(NULL, tmp, 0755);
	if (ret < 0)
		return ip_err_errno(&p->err, ret, "cannot create '%s'", tmp);
	ret = pxe_fill(p, tmp);
	if (ret < 0) {
		bld_payload_rmtree(tmp);
		return ret;
	}
	ret = bld_payload_rmtree(p->dir);
	if (ret == 0 && rename(tmp, p->dir) < 0)
		ret = -errno;
	if (ret < 0)
		return ip_err_errno(&p->err, ret, "cannot replace '%s'", p->dir);
	return 0;
}
