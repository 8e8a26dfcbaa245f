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
				  "lvm.hdsize %.1f GiB is too small: need at least %.1f GiB",
				  req->ds->hdsize, (double)need / GIB);
	if (req->ds->has_hdsize && req->ds->hdsize * GIB > d->size_bytes)
		return ip_err_set(err, -ENOSPC,
				  "lvm.hdsize %.1f GiB is larger than disk '%s' (%.1f GiB)",
				  req->ds->hdsize, d->name, (double)d->size_bytes / GIB);
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

static int choose_listed(const struct hw *hw, const struct inst_disk_req *req, size_t *idx,
			 struct ip_err *err)
{
	const struct answer_disk_setup *ds = req->ds;
	const char *name = ds->disk_list[0];

	if (ds->n_disk_list > 1)
		return ip_err_set(err, -EINVAL,
				  "disk-list names %zu disks but filesystem '%s' uses one disk",
				  ds->n_disk_list, answer_fs_name(ds->filesystem));
	if (str_startswith(name, "/dev/"))
		name += 5;
	for (size_t i = 0; i < hw->n_disks; i++) {
		if (strcmp(hw->disks[i].name, name) != 0)
			continue;
		if (!installable(&hw->disks[i]))
			return ip_err_set(err, -EINVAL, "cannot install onto '%s': %s", name,
					  hw->disks[i].optical ? "it is an optical drive"
					  : hw->disks[i].md ? "it is a RAID array"
					  : hw->disks[i].readonly ? "it is read-only" : "it is empty");
		*idx = i;
		return check_disk(&hw->disks[i], sigs_of(req, i), req, err);
	}
	return ip_err_set(err, -ENODEV, "disk '%s' from disk-list not found", name);
}

static int choose_filtered(const struct hw *hw, const struct inst_disk_req *req, size_t *idx,
			   struct ip_err *err)
{
	struct strbuf names = { 0 };
	size_t n = 0, first = 0;
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
		if (!n++)
			first = i;
	}
	describe_filters(req->ds, what, sizeof(what));
	if (n == 0 && boot)
		ret = ip_err_set(err, -EPERM,
				 "filter (%s) matches only disk '%s', the boot medium of this "
				 "installer", what, boot);
	else if (n == 0)
		ret = ip_err_set(err, -ENODEV, "no disk matches the filter (%s)", what);
	else if (n > 1)
		ret = ip_err_set(err, -EINVAL, "filter matches %zu disks (%s) where one is needed",
				 n, names.buf);
	sb_release(&names);
	if (ret < 0)
		return ret;
	*idx = first;
	return check_disk(&hw->disks[first], sigs_of(req, first), req, err);
}

int inst_disk_choose(const struct hw *hw, const struct inst_disk_req *req, size_t *idx,
		     struct ip_err *err)
{
	const struct answer_disk_setup *ds = req->ds;

	if (answer_fs_unsupported(ds->filesystem))
		return ip_err_set(err, -EOPNOTSUPP, "%s", answer_fs_unsupported(ds->filesystem));
	if (ds->n_disk_list && ds->n_filters)
		return ip_err_set(err, -EINVAL, "disk-list and filter are mutually exclusive");
	if (ds->n_disk_list)
		return choose_listed(hw, req, idx, err);
	if (ds->n_filters)
		return choose_filtered(hw, req, idx, err);
	return ip_err_set(err, -EINVAL,
			  "no target disk: set disk-list or filter in [disk-setup]");
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

/* Who uses the disk, and its volume groups: refuse before anything is written. */
static int check_users(struct inst_ctx *ctx, struct inst_disk_vgs *vgs)
{
	const char *pvs[] = { "pvs", "--noheadings", "-o", "pv_name,vg_name", NULL };
	const struct inst_layout *l = &ctx->layout;
	struct inst_disk_users u;
	char *out = NULL, why[4096];
	int ret;

	ret = inst_disk_users(ctx->sysroot, l->disk, &u, &ctx->err);
	if (ret < 0)
		return ret;
	if (u.n_busy) {
		inst_disk_users_str(&u, why, sizeof(why));
		return ip_err_set(&ctx->err, -EBUSY, "refusing to write to '%s': %s",
				  l->disk_dev, why);
	}
	if (inst_run(ctx, pvs, NULL, &out) < 0) {
		ip_err_clear(&ctx->err);	/* no LVM tools or no PV anywhere */
		ip_dbg("pvs failed: no volume groups considered");
	}
	ret = inst_disk_vgs(ctx->sysroot, l->disk, out, vgs, &ctx->err);
	free(out);
	if (ret < 0)
		return ret;
	/* active but unused volumes seen in sysfs: their groups are stopped first too */
	for (size_t i = 0; i < u.n_idle_vg; i++) {
		bool seen = false;

		for (size_t k = 0; k < vgs->n; k++)
			seen |= !strcmp(vgs->vg[k], u.idle_vg[i]);
		if (!seen && vgs->n < INST_VG_MAX && runner_word_ok(u.idle_vg[i]))
			snprintf(vgs->vg[vgs->n++], sizeof(vgs->vg[0]), "%s", u.idle_vg[i]);
	}
	return 0;
}

int inst_disk_select(struct inst_ctx *ctx)
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
	struct inst_layout *l = &ctx->layout;
	struct inst_disk_vgs vgs;
	const struct hw_disk *d;
	char sz[32], what[2048];
	size_t idx = 0, n = hw->n_disks ? hw->n_disks : 1;
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
	ret = inst_disk_choose(hw, &req, &idx, &ctx->err);
	for (size_t i = 0; i < hw->n_disks; i++)
		inst_udev_release(&props[i]);
	free(props);
	if (ret < 0)
		goto out;

	d = &hw->disks[idx];
	memset(l, 0, sizeof(*l));
	l->disk_index = idx;
	l->logical_block = d->logical_block ? d->logical_block : 512;
	l->disk_mib = d->size_bytes / MIB;
	snprintf(l->disk, sizeof(l->disk), "%s", d->name);
	if (snprintf(l->disk_dev, sizeof(l->disk_dev), "/dev/%s", d->name) >=
		    (int)sizeof(l->disk_dev) || !inst_dev_ok(l->disk_dev)) {
		ret = ip_err_set(&ctx->err, -EINVAL, "invalid disk name '%s'", d->name);
		goto out;
	}
	if (inst_part_name(l->part_bios, sizeof(l->part_bios), l->disk_dev, 1) < 0 ||
	    inst_part_name(l->part_esp, sizeof(l->part_esp), l->disk_dev, 2) < 0 ||
	    inst_part_name(l->part_lvm, sizeof(l->part_lvm), l->disk_dev, 3) < 0) {
		ret = ip_err_set(&ctx->err, -ENAMETOOLONG, "disk name '%s' too long", d->name);
		goto out;
	}
	l->esp_mib = inst_esp_mib(d->size_bytes);
	snprintf(l->root_fstype, sizeof(l->root_fstype), "%s",
		 req.ds->filesystem == ANSWER_FS_XFS ? "xfs" : "ext4");
	ip_info("target disk: %s (model '%s', serial '%s', %s)", l->disk_dev,
		d->model[0] ? d->model : "unknown", d->serial[0] ? d->serial : "unknown",
		size_str(sz, sizeof(sz), d->size_bytes));
	if (inst_disk_empty(d, &sigs[idx])) {
		ip_info("%s is empty: no signature on the disk or in a partition", l->disk_dev);
	} else {
		contents(d, &sigs[idx], what, sizeof(what));
		ip_info("%s holds: %s", l->disk_dev, what);
	}
	ret = inst_part_sizes(l, req.ds, &ctx->err);
	if (ret == 0)
		ret = check_users(ctx, &vgs);
	if (ret == 0)
		ret = inst_disk_actions_build(ctx, &sigs[idx], &vgs);
	if (ret < 0)
		goto out;
	inst_disk_actions_log(ctx);
	inst_progress(ctx, "disk", 100, l->disk_dev);
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
