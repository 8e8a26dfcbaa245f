/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_BLD_PXE_H
#define IRONPASS_BLD_PXE_H

/*
 * The PXE tree (design §4, §11), <outdir>/pxe:
 *
 *   tftp/  the small first stage
 *	lpxelinux.0 ldlinux.c32 menu.c32 libutil.c32 libcom32.c32
 *	pxelinux.cfg/default	BIOS: kernel and initrds fetched over HTTP by lpxelinux
 *	bootx64.efi		UEFI: shim (Secure Boot)
 *	grubx64.efi		Debian's signed GRUB netboot image
 *	grub/grub.cfg		its config, relative to the TFTP root
 *	vmlinuz initrd.img seed.img  for GRUB under Secure Boot (TFTP); BIOS and iPXE
 *				 fetch them over HTTP
 *	grub/x86_64-efi/http.mod …  GRUB's HTTP client and what it needs, from
 *				 grub-efi-amd64-bin of the signed GRUB's version: GRUB loads
 *				 kernel and initrds over HTTP where it may load modules
 *				 (Secure Boot off), else over TFTP (bld-pxe-grubmod.c)
 *	ironpass.ipxe		also under http/
 *	pxelinux.cfg/01-<mac> grub/grub.cfg-01-<mac> ipxe/01-<mac>.ipxe
 *				per-node menus (`ironpass pxe node`), <mac> as aa-bb-cc-dd-ee-ff
 *   http/  everything large
 *	vmlinuz initrd.img seed.img filesystem.squashfs ironpass.ipxe payload/ SHA256SUMS
 *	ipxe/01-<mac>.ipxe	per-node iPXE scripts, beside ironpass.ipxe here too
 *   node/  not served: the per-node menus `ironpass pxe node` copies
 *	unattended/ localboot/	pxelinux.cfg grub.cfg ironpass.ipxe each: the tree's
 *				menus with that default and no per-node hook
 *
 * The live root comes over HTTP (live-boot fetch=), the payload too
 * (ironpass.payload=URL/payload/).
 */

#include <stdbool.h>

#include "bld.h"
#include "err.h"

#define BLD_PXE_URL_DEFAULT "http://10.0.2.2:8080"	/* QEMU user networking: tests only */

struct bld_pxe_url {
	char base[512];			/* "http://host:port" without a trailing slash */
	char host[256];
	unsigned port;
};

/* Parse an http:// base URL (no query, no fragment; a path is allowed). */
int bld_pxe_url_parse(const char *url, struct bld_pxe_url *u, struct ip_err *err);

struct bld_pxe {
	const char *host_root;		/* where /usr/lib/PXELINUX etc. are read; NULL = "/" */
	const char *dir;		/* the tree to (re)create */
	const char *url;		/* HTTP base */
	const char *kernel, *initrd, *seed, *squashfs;	/* built artefacts */
	const char *payload_dir;	/* normalised payload, or NULL */
	struct bld_media media[BLD_MEDIA_MAX];	/* carried ISOs → http/media/NAME */
	size_t n_media;
	struct bld_menu menu;		/* title, boot args, default, timeout from the build */
	/* results */
	bool grub_http;			/* GRUB tries HTTP first (the tree has its http module) */
	char grub_http_why[256];	/* why not, when not */
	struct ip_err err;
};

/* The PXE flavour of a menu: kernel/initrds as the loader must name them,
 * fetch= and ironpass.payload= words. Strings point into @bufs. */
struct bld_pxe_menus {
	char kernel_http[600], initrd_http[600], seed_http[600];
	char kernel_grub[600], initrd_grub[600], seed_grub[600];
	char extra[1400];
	char grub_http[600];		/* "(http,host:port)/path": GRUB's name of the base */
	struct bld_menu pxelinux, grub;
	bool grub_tftp;			/* GRUB loads kernel/initrds over TFTP (always can) */
};
int bld_pxe_menus(const struct bld_menu *base, const struct bld_pxe_url *u, bool payload,
		  struct bld_pxe_menus *out);
/*
 * GRUB's menu tries HTTP first: `insmod http` (refused under Secure Boot,
 * where GRUB loads no modules), then kernel and initrds from o->grub_http,
 * else from the TFTP root as before. Only when the tree carries the module.
 */
void bld_pxe_menus_grub_http(struct bld_pxe_menus *o);

/*
 * GRUB's http module and the modules it needs (moddep.lst), copied from
 * <host_root>/usr/lib/grub/x86_64-efi to <tftp_dir>/grub/x86_64-efi, when
 * grub-efi-amd64-bin is the version the signed GRUB netboot image was built
 * from (its SBAT entry). 1: copied; 0: not (why in @why: not installed,
 * another version); <0: an error writing them (*err).
 */
int bld_pxe_grub_http_modules(const char *host_root, const char *tftp_dir, char *why,
			      size_t why_len, struct ip_err *err);

/* iPXE script: HTTP for everything, initrd=NAME words on the kernel line. Caller frees. */
char *bld_pxe_ipxe(const struct bld_menu *m, const struct bld_pxe_url *u, const char *extra);

/* Build the tree. */
int bld_pxe_build(struct bld_pxe *p);

/* Per-node entries (bld-pxe-node.c) */
#define BLD_PXE_NODE_TEMPLATES "node"
#define BLD_PXE_NODE_PXELINUX "pxelinux.cfg"
#define BLD_PXE_NODE_GRUB "grub.cfg"
#define BLD_PXE_NODE_IPXE "ironpass.ipxe"
#define BLD_PXE_MAC_LEN 17		/* "aa-bb-cc-dd-ee-ff" */

/* node/<dir> for BLD_ENTRY_AUTO ("unattended") or BLD_ENTRY_LOCALBOOT; NULL otherwise. */
const char *bld_pxe_node_dir(int entry);

/* "AA:BB:CC:DD:EE:FF" or "aa-bb-…" (one separator throughout) → "aa-bb-cc-dd-ee-ff". */
int bld_pxe_mac_parse(const char *s, char out[BLD_PXE_MAC_LEN + 1], struct ip_err *err);

enum { BLD_PXE_NODE_FILES = 4 };
struct bld_pxe_node {
	const char *dir;		/* the PXE tree */
	const char *mac;		/* as given */
	int entry;			/* BLD_ENTRY_AUTO (--install) or BLD_ENTRY_LOCALBOOT */
	/* results */
	char mac_norm[BLD_PXE_MAC_LEN + 1];
	struct {
		const char *loader;	/* "pxelinux" "grub" "ipxe" */
		char rel[64];		/* relative to dir: "tftp/pxelinux.cfg/01-aa-…" */
		bool changed;		/* false: it had this content already */
	} files[BLD_PXE_NODE_FILES];
	size_t n_files;
	struct ip_err err;
};
/*
 * Point one node at the tree's unattended install or at its local disk: copy
 * the files of node/<mode>/ to the node's pxelinux, GRUB and iPXE (TFTP and
 * HTTP) files, each written atomically (a file that has the content already
 * is left alone); nothing is written unless the MAC is valid and the tree
 * has all three templates.
 */
int bld_pxe_node_set(struct bld_pxe_node *n);

#endif
