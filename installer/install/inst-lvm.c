// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LVM on the third partition: VG "pve" with LVs swap, root and the thin pool
 * data, sized by the Proxmox VE installer's rules.
 *
 * Source of the rules: the Proxmox VE admin guide, "Advanced LVM
 * Configuration Options" (pve-docs, pve-installation.adoc: swapsize = RAM,
 * at least 4 GB, at most 8 GB and hdsize/8; root at most hdsize/4 by default
 * (96 GiB cap); minfree 16 GB above 128 GB, else hdsize/8; data = hdsize -
 * root - swap - minfree, at most maxvz, created only when larger than 4 GB),
 * and, for the exact arithmetic, the behaviour of its installer
 * (Proxmox::Install create_lvm_volumes / compute_swapsize). All sizes in MiB,
 * H = size of the LVM partition, hdgb = floor(H / 1024):
 *
 * swap	lvm.swapsize when set (0: no swap LV). Else start from RAM and apply in
 *	order: < 4096 and hdgb >= 64 -> 4096; < 2048 and hdgb >= 32 -> 2048;
 *	>= 2048 and hdgb <= 16 -> 1024; < 512 -> 512; > hdgb*128 (H/8) ->
 *	hdgb*128; > 8192 -> 8192; align down to 4 MiB.
 * space	hdgb <= 32: 4 MiB; hdgb > 128: 16 GiB; else hdgb*128 (H/8).
 * root	R = H - swap. R < 12 GiB: R - 4; R < 48 GiB: R / 2; else R / 4 + 12 GiB;
 *	at most lvm.maxroot (default 96 GiB); align down to 4 MiB.
 * minfree	lvm.minfree when set and smaller than what is left after root,
 *	else space.
 * data	H - swap - root - minfree, aligned down to 4 MiB, at most lvm.maxvz.
 *	Thin pool only when data > 4 GiB: metadata = data/100 within
 *	[1 GiB, 16 GiB] aligned down to 4 MiB; the LV gets data - 2*meta - 4 MiB
 *	(the pool's spare metadata LV comes out of it, and one 4 MiB extent is
 *	kept for rounding).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "util.h"

#define ALIGN4(x) ((x) & ~3ULL)

static unsigned long long gib_to_mib(double g)
{
	return g <= 0 ? 0 : (unsigned long long)floor(g * 1024.0);
}

static unsigned long long default_swap(unsigned long long mem, unsigned long long hdgb)
{
	unsigned long long ss = mem;

	if (ss < 4096 && hdgb >= 64)
		ss = 4096;
	if (ss < 2048 && hdgb >= 32)
		ss = 2048;
	if (ss >= 2048 && hdgb <= 16)
		ss = 1024;
	if (ss < 512)
		ss = 512;
	if (ss > hdgb * 128)
		ss = hdgb * 128;
	if (ss > 8192)
		ss = 8192;
	return ALIGN4(ss);
}

int inst_lvm_sizes(const struct inst_lvm_in *in, struct inst_lvm_sizes *out,
		   struct ip_err *err)
{
	const struct answer_disk_setup *ds = in->ds;
	unsigned long long h = in->pv_mib, hdgb = h / 1024, space, rest, root, maxroot, minfree;

	memset(out, 0, sizeof(*out));
	if (h < 2048)
		return ip_err_set(err, -ENOSPC, "LVM partition too small: %llu MiB", h);
	out->swap = ds && ds->has_swapsize ? ALIGN4(gib_to_mib(ds->swapsize))
					   : default_swap(in->mem_mib, hdgb);
	if (out->swap + 1024 > h)
		return ip_err_set(err, -ENOSPC,
				  "lvm.swapsize %llu MiB leaves no room for root in %llu MiB",
				  out->swap, h);
	if (hdgb <= 32)
		space = 4;
	else
		space = hdgb > 128 ? 16 * 1024 : hdgb * 128;

	rest = h - out->swap;
	if (rest < 12 * 1024)
		root = rest - 4;
	else if (rest < 48 * 1024)
		root = rest / 2;
	else
		root = rest / 4 + 12 * 1024;
	maxroot = ds && ds->has_maxroot && ds->maxroot > 0 ? gib_to_mib(ds->maxroot) : 96 * 1024;
	if (root > maxroot)
		root = maxroot;
	out->root = ALIGN4(root);
	if (out->root < 1024)
		return ip_err_set(err, -ENOSPC, "root volume would be %llu MiB (lvm.maxroot?)",
				  out->root);
	rest -= out->root;

	minfree = space;
	if (ds && ds->has_minfree && gib_to_mib(ds->minfree) < rest)
		minfree = gib_to_mib(ds->minfree);
	out->minfree = minfree;
	rest = rest > minfree ? ALIGN4(rest - minfree) : 0;
	if (ds && ds->has_maxvz && gib_to_mib(ds->maxvz) <= rest)
		rest = gib_to_mib(ds->maxvz);
	if (rest > 4 * 1024) {
		unsigned long long meta = rest / 100;

		if (meta < 1024)
			meta = 1024;
		if (meta > 16 * 1024)
			meta = 16 * 1024;
		out->meta = ALIGN4(meta);
		out->data = rest - 2 * out->meta - 4;
	}
	return 0;
}

/* Size of a block device in MiB, through `blockdev --getsize64`. */
static int dev_mib(struct inst_ctx *ctx, const char *dev, unsigned long long *mib)
{
	const char *argv[] = { "blockdev", "--getsize64", dev, NULL };
	char *out = NULL;
	uint64_t bytes;
	int ret;

	ret = inst_run(ctx, argv, NULL, &out);
	if (ret < 0)
		return ret;
	out[strcspn(out, "\r\n")] = '\0';
	ret = ip_strtou64(out, 10, &bytes);
	free(out);
	if (ret < 0)
		return ip_err_set(&ctx->err, -EINVAL, "cannot read the size of '%s'", dev);
	*mib = bytes / MIB;
	return 0;
}

static int lvcreate(struct inst_ctx *ctx, const char *name, unsigned long long mib)
{
	char size[32];
	const char *argv[] = { "lvcreate", "-Wy", "--yes", "-L", size, "-n", name, "pve", NULL };

	snprintf(size, sizeof(size), "%llum", mib);
	return inst_run(ctx, argv, NULL, NULL);
}

static int existing_vg(struct inst_ctx *ctx)
{
	const char *argv[] = { "vgs", "--noheadings", "-o", "vg_name", NULL };
	char *out = NULL, *tok, *save = NULL;
	int ret = inst_run(ctx, argv, NULL, &out);

	if (ret < 0) {		/* no LVM metadata anywhere is fine */
		ip_err_clear(&ctx->err);
		return 0;
	}
	for (tok = strtok_r(out, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save))
		if (strcmp(tok, "pve") == 0)
			ret = ip_err_set(&ctx->err, -EEXIST,
					 "volume group 'pve' already exists on another disk: "
					 "rename or remove it first (vgrename/vgremove)");
	free(out);
	return ret;
}

int inst_lvm(struct inst_ctx *ctx)
{
	struct inst_layout *l = &ctx->layout;
	struct inst_lvm_in in = {
		.mem_mib = ctx->hw ? ctx->hw->mem_total_kib / 1024 : 0,
		.ds = ctx->answer ? &ctx->answer->disk : NULL,
	};
	struct inst_lvm_sizes sz;
	const char *pvcreate[] = { "pvcreate", "--metadatasize", "250k", "-y", "-ff",
				   l->part_lvm, NULL };
	const char *vgcreate[] = { "vgcreate", "pve", l->part_lvm, NULL };
	const char *vgchange[] = { "vgchange", "-a", "y", "pve", NULL };
	char meta[32];
	const char *lvconvert[] = { "lvconvert", "--yes", "--type", "thin-pool",
				    "--poolmetadatasize", meta, "pve/data", NULL };
	int ret;

	/* no LVM under a btrfs or zfs root */
	if (!strcmp(l->root_fstype, "btrfs") || !strcmp(l->root_fstype, "zfs")) {
		inst_progress(ctx, "lvm", 100, !strcmp(l->root_fstype, "zfs")
			      ? "no LVM with a zfs root" : "no LVM with a btrfs root");
		return 0;
	}
	if (!inst_dev_ok(l->part_lvm))
		return ip_err_set(&ctx->err, -EINVAL, "invalid LVM partition '%s'", l->part_lvm);
	inst_progress(ctx, "lvm", 0, "creating volume group 'pve'");
	if (ctx->dry_run)	/* nothing ran: use the planned partition size */
		in.pv_mib = l->lvm_mib;
	else if ((ret = dev_mib(ctx, l->part_lvm, &in.pv_mib)) < 0)
		return ret;
	ret = inst_lvm_sizes(&in, &sz, &ctx->err);
	if (ret < 0)
		return ret;
	ret = ctx->dry_run ? 0 : existing_vg(ctx);
	if (ret < 0)
		return ret;
	if ((ret = inst_run(ctx, pvcreate, NULL, NULL)) < 0 ||
	    (ret = inst_run(ctx, vgcreate, NULL, NULL)) < 0)
		return ret;
	l->lvm_mib = in.pv_mib;
	l->swap_mib = sz.swap;
	l->root_mib = sz.root;
	l->minfree_mib = sz.minfree;
	l->data_mib = sz.data;
	l->data_meta_mib = sz.meta;
	snprintf(l->root_dev, sizeof(l->root_dev), "/dev/pve/root");
	l->swap_dev[0] = '\0';
	l->data_dev[0] = '\0';
	if (sz.swap) {
		ret = lvcreate(ctx, "swap", sz.swap);
		if (ret < 0)
			return ret;
		snprintf(l->swap_dev, sizeof(l->swap_dev), "/dev/pve/swap");
	}
	inst_progress(ctx, "lvm", 40, "creating the root volume");
	ret = lvcreate(ctx, "root", sz.root);
	if (ret < 0)
		return ret;
	if (sz.data) {
		inst_progress(ctx, "lvm", 70, "creating the thin pool 'data'");
		snprintf(meta, sizeof(meta), "%llum", sz.meta);
		if ((ret = lvcreate(ctx, "data", sz.data)) < 0 ||
		    (ret = inst_run(ctx, lvconvert, NULL, NULL)) < 0)
			return ret;
		snprintf(l->data_dev, sizeof(l->data_dev), "pve/data");
	}
	ret = inst_run(ctx, vgchange, NULL, NULL);
	if (ret < 0)
		return ret;
	inst_progress(ctx, "lvm", 100, "volume group 'pve' ready");
	return 0;
}
