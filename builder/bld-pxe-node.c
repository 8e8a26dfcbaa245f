// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `ironpass pxe node MAC --install|--localboot`: one node's own menus in a
 * PXE tree, so that a node which boots the network first installs only when
 * told to and boots its disk otherwise (no re-install loop). The menus are
 * the tree's own (bld-pxe.c writes them to node/<mode>/ at build time, from
 * the same generators as the default menus) with another default entry:
 *
 *   pxelinux  tftp/pxelinux.cfg/01-<mac>	pxelinux's own first lookup
 *   GRUB      tftp/grub/grub.cfg-01-<mac>	grub.cfg's hook (bld-menu.c)
 *   iPXE      tftp/ipxe/01-<mac>.ipxe, http/ipxe/01-<mac>.ipxe
 *					ironpass.ipxe's chain, TFTP or HTTP
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bld-pxe.h"
#include "path.h"
#include "util.h"

static const struct {
	const char *loader, *tmpl, *before, *after;	/* file: before + MAC + after */
} node_files[BLD_PXE_NODE_FILES] = {
	{ "pxelinux", BLD_PXE_NODE_PXELINUX, "tftp/pxelinux.cfg/01-", "" },
	{ "grub", BLD_PXE_NODE_GRUB, "tftp/grub/grub.cfg-01-", "" },
	{ "ipxe", BLD_PXE_NODE_IPXE, "tftp/ipxe/01-", ".ipxe" },
	{ "ipxe", BLD_PXE_NODE_IPXE, "http/ipxe/01-", ".ipxe" },
};

const char *bld_pxe_node_dir(int entry)
{
	if (entry == BLD_ENTRY_AUTO || entry == BLD_ENTRY_LOCALBOOT)
		return bld_entry_id(entry);
	return NULL;
}

int bld_pxe_mac_parse(const char *s, char out[BLD_PXE_MAC_LEN + 1], struct ip_err *err)
{
	static const char hex[] = "0123456789abcdef";
	char sep;

	out[0] = '\0';
	if (!s || strlen(s) != BLD_PXE_MAC_LEN || (s[2] != ':' && s[2] != '-'))
		goto bad;
	sep = s[2];
	for (int i = 0; i < 6; i++) {
		int hi = hex_digit(s[3 * i]), lo = hex_digit(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != sep))
			goto bad;
		out[3 * i] = hex[hi];
		out[3 * i + 1] = hex[lo];
		out[3 * i + 2] = i < 5 ? '-' : '\0';
	}
	return 0;
bad:
	out[0] = '\0';
	return ip_err_set(err, -EINVAL, "invalid MAC address '%s': want six hex pairs "
			  "separated by ':' or '-'", s ? s : "");
}

/* Write @data to @rel unless it holds exactly that already. */
static int node_put(struct bld_pxe_node *n, const char *rel, const char *data, size_t len,
		    bool *changed)
{
	char *old = NULL;
	size_t old_len = 0;
	int ret;

	*changed = true;
	if (path_read_all(n->dir, rel, 1u << 20, &old, &old_len) == 0 && old_len == len &&
	    !memcmp(old, data, len))
		*changed = false;
	free(old);
	if (!*changed)
		return 0;
	ret = path_write_file(n->dir, rel, data, len, 0644);
	if (ret < 0)
		return ip_err_errno(&n->err, ret, "cannot write '%s/%s'", n->dir, rel);
	return 0;
}

int bld_pxe_node_set(struct bld_pxe_node *n)
{
	char *data[BLD_PXE_NODE_FILES] = { 0 };
	size_t len[BLD_PXE_NODE_FILES] = { 0 };
	const char *mode = bld_pxe_node_dir(n->entry);
	char rel[PATH_MAX];
	int ret;

	n->n_files = 0;
	if (!mode)
		return ip_err_set(&n->err, -EINVAL, "invalid node entry %d", n->entry);
	ret = bld_pxe_mac_parse(n->mac, n->mac_norm, &n->err);
	if (ret < 0)
		return ret;
	if (!path_exists(n->dir, "tftp") || !path_exists(n->dir, "http"))
		return ip_err_set(&n->err, -ENOENT, "cannot use PXE tree '%s': no tftp/ or http/ "
				  "in it (build it with 'ironpass build')", n->dir);
	/* read every template first: a tree without them gets nothing written */
	for (size_t i = 0; i < BLD_PXE_NODE_FILES; i++) {
		snprintf(rel, sizeof(rel), BLD_PXE_NODE_TEMPLATES "/%s/%s", mode,
			 node_files[i].tmpl);
		ret = path_read_all(n->dir, rel, 1u << 20, &data[i], &len[i]);
		if (ret < 0) {
			ip_err_errno(&n->err, ret, "cannot read '%s/%s' (a tree built before "
				     "'ironpass pxe node' existed? build it again)", n->dir, rel);
			goto out_free;
		}
	}
	for (size_t i = 0; i < BLD_PXE_NODE_FILES; i++) {
		snprintf(n->files[i].rel, sizeof(n->files[i].rel), "%s%s%s", node_files[i].before,
			 n->mac_norm, node_files[i].after);
		n->files[i].loader = node_files[i].loader;
		ret = node_put(n, n->files[i].rel, data[i], len[i], &n->files[i].changed);
		if (ret < 0)
			goto out_free;
		n->n_files = i + 1;
	}
out_free:
	for (size_t i = 0; i < BLD_PXE_NODE_FILES; i++)
		free(data[i]);
	return ret;
}
