// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Disk selection (design §5 "Safety"): from [disk-setup] disk-list or
 * udev-style filters, refusing the boot medium, a single-disk filter that
 * matches more than one disk, a disk that is too small, and a disk that is
 * not empty (any signature libblkid finds, or partitions the kernel lists)
 * unless the wipe policy allows it: "never" refuses it always, "empty-only"
 * unless the user confirmed on screen, "always" unless confirmed on screen
 * or unattended with ironpass.auto. Then, before anything is written: who
 * uses the disk, the volume groups on it, and the list of destructive actions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "log.h"
#include "runner.h"
#include "util.h"

static const struct inst_udev_props *props_of(const struct inst_disk_req *req, size_t i)
{
	return req->props ? &req->props[i] : NULL;
}

static bool filter_one(const struct hw_disk *d, const struct inst_udev_props *p,
		       const struct answer_filter *f)
{
	char buf[512];
	const char *v = inst_udev_value(d, p, f->key, buf, sizeof(buf));

	return v && str_glob(f->glob, v);
}

static bool filter_match(const struct hw_disk *d, const struct inst_udev_props *p,
			 const struct answer_disk_setup *ds)
{
	bool all = ds->filter_match == ANSWER_MATCH_ALL;

	for (size_t i = 0; i < ds->n_filters; i++) {
		bool m = filter_one(d, p, &ds->filters[i]);

		if (all && !m)
			return false;
		if (!all && m)
			return true;
	}
	return all;
}

/* Disks a filter may ever match: no CD drives, no RAID arrays, nothing read-only. */
static bool installable(const struct hw_disk *d)
{
	return !d->optical && !d->md && !d->readonly && d->size_bytes > 0;
}

static void describe_filters(const struct answer_disk_setup *ds, char *buf, size_t size)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; i < ds->n_filters; i++)
		sb_printf(&sb, "%sfilter.%s = '%s'", i ? ", " : "", ds->filters[i].key,
			  ds->filters[i].glob);
	snprintf(buf, size, "%s", sb.buf ? sb.buf : "");
	sb_release(&sb);
}

bool inst_disk_empty(const struct hw_disk *d, const struct inst_disk_sigs *s)
{
	return !d->has_partitions && s && !s->unreadable && !s->n && !s->more && !s->n_parts;
}

/* What makes @d not empty, for the refusal. */
static void contents(const struct hw_disk *d, const struct inst_disk_sigs *s, char *buf,
		     size_t size)
{
	if (s && (s->n || s->more))
		inst_disk_sigs_str(s, buf, size);
	else if (!s || s->unreadable)
		snprintf(buf, size, "it could not be read to see what it holds");
	else
		snprintf(buf, size, "the kernel lists %u partition%s on it", d->n_partitions,
			 d->n_partitions == 1 ? "" : "s");
}

static const char *hdsize_key(const struct answer_disk_setup *ds)
{
	return ds->filesystem == ANSWER_FS_BTRFS ? "btrfs.hdsize"
	       : ds->filesystem == ANSWER_FS_ZFS ? "zfs.hdsize" : "lvm.hdsize";
}

static int check_disk(const struct hw_disk *d, const struct inst_disk_sigs *s,
		      const struct inst_disk_req *req, struct ip_err *err)
{
	uint64_t need = INST_DISK_MIN_BYTES;
	char what[2048];

	if (d->is_boot_medium)
		return ip_err_set(err, -EPERM,
				  "refusing disk '%s': it is the boot medium of this installer",
				  d->name);
	if (d->size_bytes < need)
		return ip_err_set(err, -ENOSPC,
				  "disk '%s' is too small: %.1f GiB, need at least %.1f GiB",
				  d->name, (double)d->size_bytes / GIB, (double)need / GIB);
	if (req->ds->has_hdsize && req->ds->hdsize * GIB < need)
		return ip_err_set(err, -ENOSPC,
				  "%s %.1f GiB is too small: need at least %.1f GiB",
				  hdsize_key(req->ds), req->ds->hdsize, (double)need / GIB);
	if (req->ds->has_hdsize && req->ds->hdsize * GIB > d->size_bytes)
		return ip_err_set(err, -ENOSPC,
				  "%s %.1f GiB is larger than disk '%s' (%.1f GiB)",
				  hdsize_key(req->ds), req->ds->hdsize, d->name,
				  (double)d->size_bytes / GIB);
	if (inst_disk_empty(d, s))
		return 0;
	contents(d, s, what, sizeof(what));
	switch (req->wipe) {
	case ANSWER_WIPE_NEVER:
		return ip_err_set(err, -EPERM,
				  "disk '%s' is not empty (%s): [ironpass] wipe = \"never\" "
				  "refuses to wipe it", d->name, what);
	case ANSWER_WIPE_EMPTY_ONLY:
		if (req->confirmed)
			return 0;
		return ip_err_set(err, -EPERM,
				  "disk '%s' is not empty (%s): refusing to wipe it without "
				  "[ironpass] wipe = \"always\" or a confirmation on screen",
				  d->name, what);
	case ANSWER_WIPE_ALWAYS:
		if (req->confirmed || req->automatic)
			return 0;
		return ip_err_set(err, -EPERM,
				  "disk '%s' is not empty (%s): an unattended wipe needs "
				  "'ironpass.auto' on the kernel command line (or --auto)",
				  d->name, what);
	}
	return ip_err_set(err, -EINVAL, "unknown wipe policy");
}

static const struct inst_disk_sigs *sigs_of(const struct inst_disk_req *req, size_t i)
{
	return req->sigs ? &req->sigs[i] : NULL;
}

/* Several disks make one filesystem or pool: btrfs and zfs. */
static bool multi_disk(const struct answer_disk_setup *ds)
{
	return ds->filesystem == ANSWER_FS_BTRFS || ds->filesystem == ANSWER_FS_ZFS;
}

/* As Proxmox's installer counts them (proxmox-installer-common, get_min_disks). */
size_t inst_disk_min(enum answer_fs fs, const char *raid)
{
	if ((fs != ANSWER_FS_BTRFS && fs != ANSWER_FS_ZFS) || !raid)
		return 1;
	if (!strcmp(raid, "raid10"))
		return 4;
	if (!strcmp(raid, "raid1"))
		return 2;
	if (fs == ANSWER_FS_ZFS && !strncmp(raid, "raidz-", 6) && raid[6] >= '1' &&
	    raid[6] <= '3' && !raid[7])
		return (size_t)(raid[6] - '0') + 2;
	return 1;
}

static int add_choice(struct inst_disk_choice *c, size_t i, const char *name,
		      struct ip_err *err)
{
	for (size_t k = 0; k < c->n; k++)
		if (c->idx[k] == i)
			return ip_err_set(err, -EINVAL, "disk '%s' is named twice", name);
	if (c->n == INST_MAX_DISKS)
		return ip_err_set(err, -E2BIG, "more than %d target disks", INST_MAX_DISKS);
	c->idx[c->n++] = i;
	return 0;
}

static int choose_listed(const struct hw *hw, const struct inst_disk_req *req,
			 struct inst_disk_choice *c, struct ip_err *err)
{
	const struct answer_disk_setup *ds = req->ds;

	if (ds->n_disk_list > 1 && !multi_disk(ds))
		return ip_err_set(err, -EINVAL,
				  "disk-list names %zu disks but filesystem '%s' uses one disk",
				  ds->n_disk_list, answer_fs_name(ds->filesystem));
	for (size_t k = 0; k < ds->n_disk_list; k++) {
		const char *name = ds->disk_list[k];
		size_t i;
		int ret;

		if (str_startswith(name, "/dev/"))
			name += 5;
		for (i = 0; i < hw->n_disks; i++)
			if (!strcmp(hw->disks[i].name, name))
				break;
		if (i == hw->n_disks)
			return ip_err_set(err, -ENODEV, "disk '%s' from disk-list not found", name);
		if (!installable(&hw->disks[i]))
			return ip_err_set(err, -EINVAL, "cannot install onto '%s': %s", name,
					  hw->disks[i].optical ? "it is an optical drive"
					  : hw->disks[i].md ? "it is a RAID array"
					  : hw->disks[i].readonly ? "it is read-only" : "it is empty");
		ret = add_choice(c, i, name, err);
		if (ret == 0)
			ret = check_disk(&hw->disks[i], sigs_of(req, i), req, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int by_name(const struct hw *hw, size_t a, size_t b)
{
	return strcmp(hw->disks[a].name, hw->disks[b].name);
}

static int choose_filtered(const struct hw *hw, const struct inst_disk_req *req,
			   struct inst_disk_choice *c, struct ip_err *err)
{
	struct strbuf names = { 0 };
	size_t n = 0;
	const char *boot = NULL;
	char what[512];
	int ret = 0;

	for (size_t i = 0; i < hw->n_disks; i++) {
		const struct hw_disk *d = &hw->disks[i];

		if (!installable(d) || !filter_match(d, props_of(req, i), req->ds))
			continue;
		if (d->is_boot_medium) {
			boot = d->name;
			continue;
		}
		sb_printf(&names, "%s'%s'", n ? ", " : "", d->name);
		if (n < INST_MAX_DISKS)
			c->idx[n] = i;
		n++;
	}
	describe_filters(req->ds, what, sizeof(what));
	if (n == 0 && boot)
		ret = ip_err_set(err, -EPERM,
				 "filter (%s) matches only disk '%s', the boot medium of this "
				 "installer", what, boot);
	else if (n == 0)
		ret = ip_err_set(err, -ENODEV, "no disk matches the filter (%s)", what);
	else if (n > 1 && !multi_disk(req->ds))
		ret = ip_err_set(err, -EINVAL, "filter matches %zu disks (%s) where one is needed",
				 n, names.buf);
	else if (n > INST_MAX_DISKS)
		ret = ip_err_set(err, -E2BIG, "filter matches %zu disks (%s), at most %d are used",
				 n, names.buf, INST_MAX_DISKS);
	sb_release(&names);
	if (ret < 0)
		return ret;
	c->n = n;
	/* sorted by name, as the Proxmox installer sorts what a filter matched */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && by_name(hw, c->idx[k - 1], c->idx[k]) > 0; k--) {
			size_t t = c->idx[k];

			c->idx[k] = c->idx[k - 1];
			c->idx[k - 1] = t;
		}
	for (size_t k = 0; k < n && ret == 0; k++)
		ret = check_disk(&hw->disks[c->idx[k]], sigs_of(req, c->idx[k]), req, err);
	return ret;
}

/*
 * Mirrored disks must have the same size within a tenth of the first's (Proxmox's
 * zfs_mirror_size_check): every disk against the first (raid1, raidz), or each
 * pair (raid10). raid0 stripes any sizes.
 */
static int check_zfs_sizes(const struct hw *hw, const char *raid,
			   const struct inst_disk_choice *c, struct ip_err *err)
{
	bool pairs = !strcmp(raid, "raid10");

	if (!strcmp(raid, "raid0"))
		return 0;
	for (size_t k = 1; k < c->n; k++) {
		const struct hw_disk *a = &hw->disks[c->idx[pairs ? k - k % 2 : 0]];
		const struct hw_disk *b = &hw->disks[c->idx[k]];
		uint64_t diff = a->size_bytes > b->size_bytes ? a->size_bytes - b->size_bytes
				: b->size_bytes - a->size_bytes;

		if (a != b && diff > a->size_bytes / 10)
			return ip_err_set(err, -EINVAL,
					  "zfs %s: mirrored disks must have the same size, but "
					  "'%s' has %.1f GiB and '%s' %.1f GiB", raid, a->name,
					  (double)a->size_bytes / GIB, b->name,
					  (double)b->size_bytes / GIB);
	}
	return 0;
}

/* A btrfs or zfs RAID level against the disks chosen. */
static int check_count(const struct hw *hw, const struct inst_disk_req *req,
		       const struct inst_disk_choice *c, struct ip_err *err)
{
	const struct answer_disk_setup *ds = req->ds;
	size_t need = inst_disk_min(ds->filesystem, ds->raid);
	bool zfs = ds->filesystem == ANSWER_FS_ZFS;
	const char *how = ds->n_disk_list ? "disk-list names" : "the filter matches";
	struct strbuf names = { 0 };
	int ret;

	if (c->n >= need && !(zfs && !strcmp(ds->raid, "raid10") && c->n % 2))
		return zfs ? check_zfs_sizes(hw, ds->raid, c, err) : 0;
	for (size_t k = 0; k < c->n; k++)
		sb_printf(&names, "%s'%s'", k ? ", " : "", hw->disks[c->idx[k]].name);
	if (c->n < need)
		ret = ip_err_set(err, -EINVAL, "%s %s needs at least %zu disks, but %s %zu (%s)",
				 answer_fs_name(ds->filesystem), ds->raid, need, how, c->n,
				 names.buf ? names.buf : "");
	else
		ret = ip_err_set(err, -EINVAL,
				 "zfs raid10 needs an even number of disks, but %s %zu (%s)",
				 how, c->n, names.buf ? names.buf : "");
	sb_release(&names);
	return ret;
}

/* The RAID level the answer asks for, checked against the filesystem's. */
static int check_raid(const struct answer_disk_setup *ds, struct ip_err *err)
{
	const char *raid = ds->raid ? ds->raid : "";

	if (ds->filesystem == ANSWER_FS_BTRFS && !inst_btrfs_raid_ok(raid))
		return ip_err_set(err, -EINVAL, "invalid btrfs RAID level '%s'", raid);
	if (ds->filesystem == ANSWER_FS_ZFS && !inst_zfs_raid_ok(raid))
		return ip_err_set(err, -EINVAL, "invalid zfs RAID level '%s'", raid);
	return 0;
}

int inst_disk_choose_all(const struct hw *hw, const struct inst_disk_req *req,
			 struct inst_disk_choice *c, struct ip_err *err)
{
	const struct answer_disk_setup *ds = req->ds;
	int ret;

	memset(c, 0, sizeof(*c));
	ret = check_raid(ds, err);
	if (ret < 0)
		return ret;
	if (ds->n_disk_list && ds->n_filters)
		return ip_err_set(err, -EINVAL, "disk-list and filter are mutually exclusive");
	if (ds->n_disk_list)
		ret = choose_listed(hw, req, c, err);
	else if (ds->n_filters)
		ret = choose_filtered(hw, req, c, err);
	else
		return ip_err_set(err, -EINVAL,
				  "no target disk: set disk-list or filter in [disk-setup]");
	if (ret == 0)
		ret = check_count(hw, req, c, err);
	return ret;
}

int inst_disk_choose(const struct hw *hw, const struct inst_disk_req *req, size_t *idx,
		     struct ip_err *err)
{
	struct inst_disk_choice c;
	int ret;

	if (answer_fs_unsupported(req->ds->filesystem))
		return ip_err_set(err, -EOPNOTSUPP, "%s",
				  answer_fs_unsupported(req->ds->filesystem));
	ret = inst_disk_choose_all(hw, req, &c, err);

	if (c.n)
		*idx = c.idx[0];
	return ret;
}

int inst_part_name(char *buf, size_t size, const char *disk_dev, unsigned n)
{
	size_t len = strlen(disk_dev);
	bool digit = len && disk_dev[len - 1] >= '0' && disk_dev[len - 1] <= '9';
	int w = snprintf(buf, size, "%s%s%u", disk_dev, digit ? "p" : "", n);

	return w < 0 || (size_t)w >= size ? -ENAMETOOLONG : 0;
}

static const char *size_str(char *buf, size_t size, uint64_t bytes)
{
	if (bytes >= 1000 * GIB)
		snprintf(buf, size, "%.2f TiB", (double)bytes / (1024 * GIB));
	else
		snprintf(buf, size, "%.1f GiB", (double)bytes / GIB);
	return buf;
}

/* Who uses the disks, and their volume groups: refuse before anything is written. */
static int check_users(struct inst_ctx *ctx, struct inst_disk_vgs *vgs)
{
	const char *pvs[] = { "pvs", "--noheadings", "-o", "pv_name,vg_name", NULL };
	const struct inst_layout *l = &ctx->layout;
	const char *names[INST_MAX_DISKS];
	size_t n = inst_layout_n_disks(l);
	struct inst_disk_users u;
	struct inst_layout_disk d;
	char *out = NULL, why[4096];
	int ret;

	memset(vgs, 0, sizeof(*vgs));
	for (size_t k = 0; k < n; k++)
		names[k] = k ? l->extra[k - 1].disk : l->disk;
	/* every disk passes every check before the first write to any of them */
	for (size_t k = 0; k < n; k++) {
		inst_layout_nth(l, k, &d);
		ret = inst_disk_users(ctx->sysroot, d.disk, &u, &ctx->err);
		if (ret < 0)
			return ret;
		if (u.n_busy) {
			inst_disk_users_str(&u, why, sizeof(why));
			return ip_err_set(&ctx->err, -EBUSY, "refusing to write to '%s': %s",
					  d.disk_dev, why);
		}
		/* active but unused volumes seen in sysfs: their groups are stopped first too */
		for (size_t i = 0; i < u.n_idle_vg; i++) {
			bool seen = false;

			for (size_t j = 0; j < vgs->n; j++)
				seen |= !strcmp(vgs->vg[j], u.idle_vg[i]);
			if (!seen && vgs->n < INST_VG_MAX && runner_word_ok(u.idle_vg[i]))
				snprintf(vgs->vg[vgs->n++], sizeof(vgs->vg[0]), "%s",
					 u.idle_vg[i]);
		}
	}
	if (inst_run(ctx, pvs, NULL, &out) < 0) {
		ip_err_clear(&ctx->err);	/* no LVM tools or no PV anywhere */
		ip_dbg("pvs failed: no volume groups considered");
	}
	{
		struct inst_disk_vgs idle = *vgs;

		/* only an LVM root makes a group 'pve' */
		ret = inst_disk_vgs_multi(ctx->sysroot, names, n, out,
					  strcmp(l->root_fstype, "btrfs") &&
					  strcmp(l->root_fstype, "zfs"), vgs, &ctx->err);
		free(out);
		if (ret < 0)
			return ret;
		for (size_t i = 0; i < idle.n; i++) {
			bool seen = false;

			for (size_t j = 0; j < vgs->n; j++)
				seen |= !strcmp(vgs->vg[j], idle.vg[i]);
			if (!seen && vgs->n < INST_VG_MAX)
				snprintf(vgs->vg[vgs->n++], sizeof(vgs->vg[0]), "%s", idle.vg[i]);
		}
	}
	return 0;
}

/* The device names of hw->disks[idx] into @d (partitions 2 and 3). */
static int name_disk(struct inst_ctx *ctx, size_t idx, struct inst_layout_disk *d)
{
	const struct hw_disk *h = &ctx->hw->disks[idx];

	memset(d, 0, sizeof(*d));
	d->disk_index = idx;
	d->logical_block = h->logical_block ? h->logical_block : 512;
	d->disk_mib = h->size_bytes / MIB;
	snprintf(d->disk, sizeof(d->disk), "%s", h->name);
	if (snprintf(d->disk_dev, sizeof(d->disk_dev), "/dev/%s", h->name) >=
		    (int)sizeof(d->disk_dev) || !inst_dev_ok(d->disk_dev))
		return ip_err_set(&ctx->err, -EINVAL, "invalid disk name '%s'", h->name);
	if (inst_part_name(d->part_esp, sizeof(d->part_esp), d->disk_dev, 2) < 0 ||
	    inst_part_name(d->part_os, sizeof(d->part_os), d->disk_dev, 3) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "disk name '%s' too long", h->name);
	d->esp_mib = inst_esp_mib(h->size_bytes);
	return 0;
}

/* The partition sizes of a disk after the first: the same rules (and hdsize) as the first. */
static int size_extra(struct inst_ctx *ctx, const struct answer_disk_setup *ds,
		      struct inst_layout_disk *d)
{
	struct inst_layout t;
	int ret;

	memset(&t, 0, sizeof(t));
	snprintf(t.disk, sizeof(t.disk), "%s", d->disk);
	t.disk_mib = d->disk_mib;
	t.esp_mib = d->esp_mib;
	ret = inst_part_sizes(&t, ds, &ctx->err);
	d->os_mib = t.lvm_mib;
	d->os_to_end = t.lvm_to_end;
	return ret;
}

static void log_disk(const struct hw_disk *d, const struct inst_disk_sigs *s)
{
	char sz[32], what[2048];

	ip_info("target disk: /dev/%s (model '%s', serial '%s', %s)", d->name,
		d->model[0] ? d->model : "unknown", d->serial[0] ? d->serial : "unknown",
		size_str(sz, sizeof(sz), d->size_bytes));
	if (inst_disk_empty(d, s)) {
		ip_info("/dev/%s is empty: no signature on the disk or in a partition", d->name);
	} else {
		contents(d, s, what, sizeof(what));
		ip_info("/dev/%s holds: %s", d->name, what);
	}
}

/* ctx->layout from the chosen disks and the answer. */
static int layout_build(struct inst_ctx *ctx, const struct answer_disk_setup *ds,
			const struct inst_disk_choice *c)
{
	struct inst_layout *l = &ctx->layout;
	struct inst_layout_disk first;
	int ret;

	memset(l, 0, sizeof(*l));
	ret = name_disk(ctx, c->idx[0], &first);
	if (ret < 0)
		return ret;
	l->disk_index = first.disk_index;
	l->logical_block = first.logical_block;
	l->disk_mib = first.disk_mib;
	l->esp_mib = first.esp_mib;
	snprintf(l->disk, sizeof(l->disk), "%s", first.disk);
	snprintf(l->disk_dev, sizeof(l->disk_dev), "%s", first.disk_dev);
	snprintf(l->part_esp, sizeof(l->part_esp), "%s", first.part_esp);
	snprintf(l->part_lvm, sizeof(l->part_lvm), "%s", first.part_os);
	if (inst_part_name(l->part_bios, sizeof(l->part_bios), l->disk_dev, 1) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "disk name '%s' too long", l->disk);
	snprintf(l->root_fstype, sizeof(l->root_fstype), "%s",
		 answer_fs_name(ds->filesystem));
	ret = inst_part_sizes(l, ds, &ctx->err);
	if (ret < 0)
		return ret;
	for (size_t k = 1; k < c->n; k++) {
		struct inst_layout_disk *d = &l->extra[l->n_extra++];

		ret = name_disk(ctx, c->idx[k], d);
		if (ret == 0)
			ret = size_extra(ctx, ds, d);
		if (ret < 0)
			return ret;
	}
	if (ds->filesystem == ANSWER_FS_BTRFS) {
		/* the root is the first disk's btrfs partition; no LVM, no swap */
		snprintf(l->root_dev, sizeof(l->root_dev), "%s", l->part_lvm);
		snprintf(l->btrfs_raid, sizeof(l->btrfs_raid), "%s", ds->raid ? ds->raid : "");
		if (ds->btrfs_compress && strcmp(ds->btrfs_compress, "off"))
			snprintf(l->btrfs_compress, sizeof(l->btrfs_compress), "%s",
				 ds->btrfs_compress);
	} else if (ds->filesystem == ANSWER_FS_ZFS) {
		/* the root is a dataset of the pool; no LVM, no swap; Proxmox's defaults */
		snprintf(l->root_dev, sizeof(l->root_dev), "%s", INST_ZFS_ROOT);
		snprintf(l->zfs_raid, sizeof(l->zfs_raid), "%s", ds->raid ? ds->raid : "");
		l->zfs_ashift = ds->zfs_ashift ? ds->zfs_ashift : 12;
		snprintf(l->zfs_compress, sizeof(l->zfs_compress), "%s",
			 ds->zfs_compress ? ds->zfs_compress : "on");
		snprintf(l->zfs_checksum, sizeof(l->zfs_checksum), "%s",
			 ds->zfs_checksum ? ds->zfs_checksum : "on");
		l->zfs_copies = ds->zfs_copies ? ds->zfs_copies : 1;
	}
	return 0;
}

int inst_disk_select(struct inst_ctx *ctx)
{
	enum answer_fs fs = ctx->answer ? ctx->answer->disk.filesystem : ANSWER_FS_EXT4;

	if (answer_fs_unsupported(fs))
		return ip_err_set(&ctx->err, -EOPNOTSUPP, "%s", answer_fs_unsupported(fs));
	return inst_disk_select_fs(ctx);
}

int inst_disk_select_fs(struct inst_ctx *ctx)
{
	static const struct answer_disk_setup no_setup;
	const struct hw *hw = ctx->hw;
	struct inst_udev_props *props;
	struct inst_disk_sigs *sigs;
	struct inst_disk_req req = {
		.ds = ctx->answer ? &ctx->answer->disk : &no_setup,
		.wipe = ctx->answer ? ctx->answer->ironpass.wipe : ANSWER_WIPE_NEVER,
		.confirmed = ctx->wipe_confirmed,
		.automatic = ctx->automatic,
	};
	struct inst_disk_choice choice;
	struct inst_disk_vgs vgs;
	size_t n = hw->n_disks ? hw->n_disks : 1;
	int ret;

	inst_progress(ctx, "disk", 0, "choosing the target disk");
	props = calloc(n, sizeof(*props));
	sigs = calloc(n, sizeof(*sigs));
	if (!props || !sigs) {
		free(props);
		free(sigs);
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < hw->n_disks; i++) {
		struct ip_err e = { 0 };

		inst_udev_read(ctx->sysroot, hw->disks[i].name, &props[i]);
		if (hw->disks[i].optical || hw->disks[i].is_boot_medium)
			continue;
		if (inst_disk_sigs_probe(ctx->sysroot, hw->disks[i].name, &sigs[i], &e) < 0) {
			sigs[i].unreadable = true;
			ip_dbg("%s", ip_err_msg(&e));
		}
	}
	req.props = props;
	req.sigs = sigs;
	ret = inst_disk_choose_all(hw, &req, &choice, &ctx->err);
	for (size_t i = 0; i < hw->n_disks; i++)
		inst_udev_release(&props[i]);
	free(props);
	if (ret < 0)
		goto out;
	ret = layout_build(ctx, req.ds, &choice);
	if (ret < 0)
		goto out;
	for (size_t k = 0; k < choice.n; k++)
		log_disk(&hw->disks[choice.idx[k]], &sigs[choice.idx[k]]);
	if (ctx->layout.btrfs_raid[0] || ctx->layout.zfs_raid[0])
		ip_info("%s %s over %zu disk%s", ctx->layout.root_fstype,
			ctx->layout.btrfs_raid[0] ? ctx->layout.btrfs_raid : ctx->layout.zfs_raid,
			choice.n, choice.n == 1 ? "" : "s");
	ret = check_users(ctx, &vgs);
	if (ret == 0)
		ret = inst_zfs_precheck(ctx);
	if (ret == 0)
		ret = inst_disk_actions_build(ctx, sigs, &vgs);
	if (ret < 0)
		goto out;
	inst_disk_actions_log(ctx);
	inst_progress(ctx, "disk", 100, ctx->layout.disk_dev);
out:
	free(sigs);
	return ret;
}

int inst_disk_contents(const char *sysroot, const struct hw *hw, char ***out)
{
	char **c = calloc(hw->n_disks ? hw->n_disks : 1, sizeof(*c));

	*out = NULL;
	if (!c)
		return -ENOMEM;
	for (size_t i = 0; i < hw->n_disks; i++) {
		const struct hw_disk *d = &hw->disks[i];
		struct inst_disk_sigs sigs;
		struct ip_err e = { 0 };
		char what[2048];

		if (d->optical || d->is_boot_medium)
			continue;
		if (inst_disk_sigs_probe(sysroot, d->name, &sigs, &e) < 0)
			sigs.unreadable = true;
		if (inst_disk_empty(d, &sigs))
			continue;
		contents(d, &sigs, what, sizeof(what));
		c[i] = strdup(what);
		if (!c[i]) {
			inst_disk_contents_free(c, hw->n_disks);
			return -ENOMEM;
		}
	}
	*out = c;
	return 0;
}

void inst_disk_contents_free(char **c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		free(c[i]);
	free(c);
}

void inst_disk_preview(const char *sysroot, const struct hw *hw, const struct answer *a,
		       char *buf, size_t size)
{
	struct inst_disk_req req = { .ds = &a->disk, .wipe = ANSWER_WIPE_ALWAYS,
				     .confirmed = true, .automatic = true };
	struct inst_disk_sigs *sigs = calloc(hw->n_disks ? hw->n_disks : 1, sizeof(*sigs));
	struct ip_err e = { 0 };
	char sz[32], what[2048];
	size_t idx = 0;

	if (!sigs) {
		snprintf(buf, size, "(out of memory)");
		return;
	}
	for (size_t i = 0; i < hw->n_disks; i++)
		if (inst_disk_sigs_probe(sysroot, hw->disks[i].name, &sigs[i], &e) < 0)
			sigs[i].unreadable = true;
	req.sigs = sigs;
	if (inst_disk_choose(hw, &req, &idx, &e) < 0) {
		snprintf(buf, size, "it would stop before writing anything: %s", ip_err_msg(&e));
	} else {
		const struct hw_disk *d = &hw->disks[idx];

		if (inst_disk_empty(d, &sigs[idx]))
			snprintf(what, sizeof(what), "it is empty");
		else
			contents(d, &sigs[idx], what, sizeof(what));
		snprintf(buf, size, "it would erase /dev/%s (model '%s', serial '%s', %s): %s",
			 d->name, d->model[0] ? d->model : "unknown",
			 d->serial[0] ? d->serial : "unknown", size_str(sz, sizeof(sz), d->size_bytes),
			 what);
	}
	free(sigs);
}
