// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Before the first write (design §5 "Safety"): the partition sizes, the
 * volume groups on the chosen disk (from `pvs`), and the one list of
 * destructive actions that the partition step then runs, in order. The
 * disk step logs the list, so the console, the install log and --dry-run
 * show exactly what will be destroyed before anything is.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-disk.h"
#include "log.h"
#include "path.h"
#include "runner.h"
#include "util.h"

int inst_part_sizes(struct inst_layout *l, const struct answer_disk_setup *ds,
		    struct ip_err *err)
{
	unsigned long long lvm_mib = 0, avail;

	if (!l->esp_mib)
		l->esp_mib = inst_esp_mib(l->disk_mib * MIB);
	/* 1 MiB alignment gap, 1 MiB BIOS boot, the ESP, 1 MiB for the backup GPT */
	if (l->disk_mib < l->esp_mib + 3 + INST_DISK_MIN_BYTES / MIB / 2)
		return ip_err_set(err, -ENOSPC, "disk '%s' is too small: %llu MiB", l->disk,
				  l->disk_mib);
	avail = l->disk_mib - l->esp_mib - 3;
	if (ds && ds->has_hdsize) {
		unsigned long long hd = (unsigned long long)(ds->hdsize * 1024);

		if (hd <= l->esp_mib + 2)
			return ip_err_set(err, -ENOSPC, "%s %.1f GiB is too small",
					  ds->filesystem == ANSWER_FS_BTRFS ? "btrfs.hdsize"
					  : ds->filesystem == ANSWER_FS_ZFS ? "zfs.hdsize"
					  : "lvm.hdsize", ds->hdsize);
		lvm_mib = hd - l->esp_mib - 2;
		if (lvm_mib > avail)
			lvm_mib = 0;
	}
	l->lvm_mib = lvm_mib ? lvm_mib : avail;
	l->lvm_to_end = lvm_mib == 0;
	return 0;
}

/*
 * Is the device @name ("vda3", "dm-2") on @disk: the disk itself, one of its
 * partitions, or a device mapper / md device built (recursively) on them?
 * Read from sysfs, never guessed from the name ("nvme0n10" is not on "nvme0n1").
 */
static bool on_disk(const char *sysroot, const char *disk, const char *name, int depth)
{
	char rel[PATH_MAX];
	char **slaves;
	size_t n = 0;
	bool on = false;

	if (!name[0] || strchr(name, '/') || depth > 4)
		return false;
	if (!strcmp(name, disk))
		return true;
	snprintf(rel, sizeof(rel), "/sys/block/%s/%s/partition", disk, name);
	if (path_exists(sysroot, rel))
		return true;
	snprintf(rel, sizeof(rel), "/sys/block/%s", name);
	slaves = inst_sysfs_list(sysroot, rel, "slaves", &n);
	for (size_t i = 0; slaves && i < n && !on; i++)
		on = on_disk(sysroot, disk, slaves[i], depth + 1);
	inst_sysfs_list_free(slaves, slaves ? n : 0);
	return on;
}

size_t inst_layout_n_disks(const struct inst_layout *l)
{
	return 1 + l->n_extra;
}

void inst_layout_nth(const struct inst_layout *l, size_t i, struct inst_layout_disk *d)
{
	if (i) {
		*d = l->extra[i - 1];
		return;
	}
	memset(d, 0, sizeof(*d));
	snprintf(d->disk, sizeof(d->disk), "%s", l->disk);
	snprintf(d->disk_dev, sizeof(d->disk_dev), "%s", l->disk_dev);
	snprintf(d->part_esp, sizeof(d->part_esp), "%s", l->part_esp);
	snprintf(d->part_os, sizeof(d->part_os), "%s", l->part_lvm);
	d->disk_index = l->disk_index;
	d->logical_block = l->logical_block;
	d->disk_mib = l->disk_mib;
	d->esp_mib = l->esp_mib;
	d->os_mib = l->lvm_mib;
	d->os_to_end = l->lvm_to_end;
}

/* The index in @disks of the disk that @name lies on, or -1. */
static int on_any(const char *sysroot, const char *const *disks, size_t n, const char *name)
{
	for (size_t k = 0; k < n; k++)
		if (on_disk(sysroot, disks[k], name, 0))
			return (int)k;
	return -1;
}

int inst_disk_vgs(const char *sysroot, const char *disk, const char *pvs_out,
		  struct inst_disk_vgs *out, struct ip_err *err)
{
	return inst_disk_vgs_multi(sysroot, &disk, 1, pvs_out, true, out, err);
}

int inst_disk_vgs_multi(const char *sysroot, const char *const *disks, size_t n_disks,
			const char *pvs_out, bool make_pve, struct inst_disk_vgs *out,
			struct ip_err *err)
{
	struct pv {
		char pv[128], vg[128];
		bool on;
		int disk;
	} *pvs = NULL;
	size_t n = 0;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	for (const char *line = pvs_out; line && *line;) {
		const char *nl = strchr(line, '\n');
		char one[512], name[64];
		struct pv p = { 0 }, *grow;
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		snprintf(one, sizeof(one), "%.*s", (int)len, line);
		line = nl ? nl + 1 : NULL;
		if (sscanf(one, " %127s %127s", p.pv, p.vg) < 2 || !p.vg[0])
			continue;	/* a PV in no group: nothing to keep or stop */
		inst_dev_name_of(sysroot, p.pv, name, sizeof(name));
		p.disk = on_any(sysroot, disks, n_disks, name);
		p.on = p.disk >= 0;
		grow = realloc(pvs, (n + 1) * sizeof(*pvs));
		if (!grow) {
			free(pvs);
			return ip_err_set(err, -ENOMEM, "out of memory");
		}
		pvs = grow;
		pvs[n++] = p;
	}
	for (size_t i = 0; i < n && !ret; i++) {
		bool seen = false;

		if (!pvs[i].on) {
			if (make_pve && !strcmp(pvs[i].vg, "pve"))
				ret = ip_err_set(err, -EEXIST,
						 "volume group 'pve' already exists on '%s': rename "
						 "or remove it first (vgrename/vgremove)", pvs[i].pv);
			continue;
		}
		/* a group on this disk must lie on it entirely, or wiping breaks the rest */
		for (size_t j = 0; j < n && !ret; j++)
			if (!strcmp(pvs[j].vg, pvs[i].vg) && !pvs[j].on)
				ret = ip_err_set(err, -EBUSY,
						 "volume group '%s' has physical volumes on '%s' and "
						 "on '%s' (another disk): wiping '%s' would break it; "
						 "move its data off first (pvmove, vgreduce)",
						 pvs[i].vg, pvs[i].pv, pvs[j].pv,
						 disks[pvs[i].disk]);
		for (size_t k = 0; k < out->n; k++)
			seen |= !strcmp(out->vg[k], pvs[i].vg);
		if (!seen && out->n < INST_VG_MAX && runner_word_ok(pvs[i].vg))
			snprintf(out->vg[out->n++], sizeof(out->vg[0]), "%s", pvs[i].vg);
	}
	free(pvs);
	return ret;
}

static struct inst_action *act_add(struct inst_actions *acts, enum inst_act_kind kind,
				   const char *arg, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static struct inst_action *act_add(struct inst_actions *acts, enum inst_act_kind kind,
				   const char *arg, const char *fmt, ...)
{
	struct inst_action *a;
	va_list ap;

	if (acts->n == INST_ACT_MAX)
		return NULL;
	a = &acts->a[acts->n++];
	a->kind = kind;
	snprintf(a->arg, sizeof(a->arg), "%s", arg ? arg : "");
	va_start(ap, fmt);
	vsnprintf(a->desc, sizeof(a->desc), fmt, ap);
	va_end(ap);
	return a;
}

/* What the signatures on @dev are, for the wipe line: " (ext4 'root', swap)". */
static void sigs_on(const struct inst_disk_sigs *s, const char *dev, char *buf, size_t size)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; s && i < s->n; i++) {
		const struct inst_sig *g = &s->sig[i];

		if (strcmp(g->dev, dev))
			continue;
		sb_printf(&sb, "%s%s%s%s%s", sb.len ? ", " : "", g->type, g->label[0] ? " '" : "",
			  g->label, g->label[0] ? "'" : "");
	}
	snprintf(buf, size, "%s%s%s", sb.len ? " (" : "", sb.buf ? sb.buf : "", sb.len ? ")" : "");
	sb_release(&sb);
}

static const char *human(char *buf, size_t size, unsigned long long mib)
{
	if (mib >= 1024)
		snprintf(buf, size, "%.1f GiB", mib / 1024.0);
	else
		snprintf(buf, size, "%llu MiB", mib);
	return buf;
}

/* Does libblkid see a ZFS label on @dev? */
static bool zfs_on(const struct inst_disk_sigs *s, const char *dev)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (!strcmp(s->sig[i].dev, dev) && !strcmp(s->sig[i].type, "zfs_member"))
			return true;
	return false;
}

/*
 * Wipe every partition the kernel lists on @d, in name order, then the whole
 * disk; a new GPT. For a zfs root an old ZFS label on a partition is cleared
 * first, as Proxmox does: wipefs leaves the labels at the partition's end,
 * and an old pool named rpool there would stop the node importing the new one.
 */
static void disk_actions(struct inst_ctx *ctx, const struct inst_layout_disk *d,
			 const struct inst_disk_sigs *sigs, const char *os_kind)
{
	bool zfs = !strcmp(ctx->layout.root_fstype, "zfs");
	struct inst_actions *acts = &ctx->actions;
	char sys[PATH_MAX], what[512], esp[32], os[32];
	char **parts;
	size_t n = 0;

	snprintf(sys, sizeof(sys), "/sys/block/%s", d->disk);
	parts = inst_sysfs_list(ctx->sysroot, sys, "", &n);
	for (size_t i = 0; parts && i < n; i++) {
		char rel[PATH_MAX + 64], dev[128];

		snprintf(rel, sizeof(rel), "%s/%s/partition", sys, parts[i]);
		if (!path_exists(ctx->sysroot, rel) ||
		    snprintf(dev, sizeof(dev), "/dev/%s", parts[i]) >= (int)sizeof(dev) ||
		    !inst_dev_ok(dev))
			continue;
		sigs_on(sigs, dev, what, sizeof(what));
		if (zfs && zfs_on(sigs, dev))
			act_add(acts, INST_ACT_LABELCLEAR, dev, "clear the old zfs label on %s", dev);
		act_add(acts, INST_ACT_WIPEFS, dev, "wipe the signatures on %s%s", dev, what);
	}
	inst_sysfs_list_free(parts, parts ? n : 0);
	sigs_on(sigs, d->disk_dev, what, sizeof(what));
	act_add(acts, INST_ACT_WIPEFS, d->disk_dev, "wipe the signatures on %s%s", d->disk_dev,
		what);
	act_add(acts, INST_ACT_SFDISK, d->disk_dev,
		"write a new GPT on %s: BIOS boot 1 MiB, EFI system %s, %s %s%s", d->disk_dev,
		human(esp, sizeof(esp), d->esp_mib), os_kind, human(os, sizeof(os), d->os_mib),
		d->os_to_end ? " (the rest)" : "");
}

int inst_disk_actions_build(struct inst_ctx *ctx, const struct inst_disk_sigs *sigs,
			    const struct inst_disk_vgs *vgs)
{
	const struct inst_layout *l = &ctx->layout;
	struct inst_actions *acts = &ctx->actions;
	bool btrfs = !strcmp(l->root_fstype, "btrfs"), zfs = !strcmp(l->root_fstype, "zfs");
	size_t nd = inst_layout_n_disks(l);
	struct inst_layout_disk d;
	struct strbuf devs = { 0 }, esps = { 0 };

	memset(acts, 0, sizeof(*acts));
	for (size_t i = 0; i < vgs->n; i++)
		act_add(acts, INST_ACT_VG_OFF, vgs->vg[i],
			"deactivate volume group '%s' (it has physical volumes on %s)", vgs->vg[i],
			nd == 1 ? l->disk_dev : "the target disks");
	for (size_t k = 0; k < nd; k++) {
		inst_layout_nth(l, k, &d);
		disk_actions(ctx, &d, sigs ? &sigs[d.disk_index] : NULL,
			     btrfs ? "btrfs" : zfs ? "ZFS" : "LVM");
		sb_printf(&devs, "%s%s", k ? ", " : "", d.part_os);
		sb_printf(&esps, "%s%s", k ? ", " : "", d.part_esp);
	}
	if (zfs) {
		act_add(acts, INST_ACT_LATER, l->part_lvm,
			"create zfs pool '%s' (%s) on %s: datasets ROOT/pve-1 (the root), data, "
			"var-lib-vz", INST_ZFS_POOL, l->zfs_raid, devs.buf ? devs.buf : "");
		act_add(acts, INST_ACT_LATER, l->part_esp, "make filesystems: vfat on %s",
			esps.buf ? esps.buf : "");
	} else if (btrfs) {
		act_add(acts, INST_ACT_LATER, l->part_lvm,
			"make a btrfs filesystem (data and metadata %s) on %s", l->btrfs_raid,
			devs.buf ? devs.buf : "");
		act_add(acts, INST_ACT_LATER, l->part_esp, "make filesystems: vfat on %s",
			l->part_esp);
	} else {
		act_add(acts, INST_ACT_LATER, l->part_lvm,
			"create volume group 'pve' on %s: logical volumes swap, root and the thin "
			"pool data", l->part_lvm);
		act_add(acts, INST_ACT_LATER, l->part_esp,
			"make filesystems: vfat on %s, swap on /dev/pve/swap, %s on /dev/pve/root",
			l->part_esp, l->root_fstype[0] ? l->root_fstype : "ext4");
	}
	sb_release(&devs);
	sb_release(&esps);
	if (acts->n == INST_ACT_MAX)
		return ip_err_set(&ctx->err, -E2BIG, "too many actions for disk '%s'", l->disk);
	return 0;
}

void inst_disk_actions_log(const struct inst_ctx *ctx)
{
	const struct inst_actions *acts = &ctx->actions;

	ip_info("destructive actions, in this order (nothing is written before the first):");
	for (size_t i = 0; i < acts->n; i++)
		ip_info("  %zu. %s", i + 1, acts->a[i].desc);
}
