// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Disk selection (design §5 "Safety"): from [disk-setup] disk-list or
 * udev-style filters, refusing the boot medium, a single-disk filter that
 * matches more than one disk, a disk that is too small, and a disk that
 * holds partitions unless [ironpass] wipe = "always" or the user confirmed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "util.h"

static const char *fs_name(enum answer_fs fs)
{
	switch (fs) {
	case ANSWER_FS_EXT4: return "ext4";
	case ANSWER_FS_XFS: return "xfs";
	case ANSWER_FS_ZFS: return "zfs";
	case ANSWER_FS_BTRFS: return "btrfs";
	}
	return "?";
}

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

static int check_disk(const struct hw_disk *d, const struct inst_disk_req *req,
		      struct ip_err *err)
{
	uint64_t need = INST_DISK_MIN_BYTES;

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
	if (d->has_partitions && req->wipe != ANSWER_WIPE_ALWAYS && !req->confirmed)
		return ip_err_set(err, -EPERM,
				  "disk '%s' holds %u partition%s: refusing to wipe it without "
				  "[ironpass] wipe = \"always\" or a confirmation on screen",
				  d->name, d->n_partitions, d->n_partitions == 1 ? "" : "s");
	return 0;
}

static int choose_listed(const struct hw *hw, const struct inst_disk_req *req, size_t *idx,
			 struct ip_err *err)
{
	const struct answer_disk_setup *ds = req->ds;
	const char *name = ds->disk_list[0];

	if (ds->n_disk_list > 1)
		return ip_err_set(err, -EINVAL,
				  "disk-list names %zu disks but filesystem '%s' uses one disk",
				  ds->n_disk_list, fs_name(ds->filesystem));
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
		return check_disk(&hw->disks[i], req, err);
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
	return check_disk(&hw->disks[first], req, err);
}

int inst_disk_choose(const struct hw *hw, const struct inst_disk_req *req, size_t *idx,
		     struct ip_err *err)
{
	const struct answer_disk_setup *ds = req->ds;

	if (ds->filesystem != ANSWER_FS_EXT4 && ds->filesystem != ANSWER_FS_XFS)
		return ip_err_set(err, -EOPNOTSUPP,
				  "filesystem '%s' is not supported yet: use ext4 or xfs",
				  fs_name(ds->filesystem));
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

int inst_disk_select(struct inst_ctx *ctx)
{
	static const struct answer_disk_setup no_setup;
	const struct hw *hw = ctx->hw;
	struct inst_udev_props *props;
	struct inst_disk_req req = {
		.ds = ctx->answer ? &ctx->answer->disk : &no_setup,
		.wipe = ctx->answer ? ctx->answer->ironpass.wipe : ANSWER_WIPE_NEVER,
		.confirmed = ctx->wipe_confirmed,
	};
	struct inst_layout *l = &ctx->layout;
	const struct hw_disk *d;
	size_t idx = 0;
	int ret;

	inst_progress(ctx, "disk", 0, "choosing the target disk");
	props = calloc(hw->n_disks ? hw->n_disks : 1, sizeof(*props));
	if (!props)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < hw->n_disks; i++)
		inst_udev_read(ctx->sysroot, hw->disks[i].name, &props[i]);
	req.props = props;
	ret = inst_disk_choose(hw, &req, &idx, &ctx->err);
	for (size_t i = 0; i < hw->n_disks; i++)
		inst_udev_release(&props[i]);
	free(props);
	if (ret < 0)
		return ret;

	d = &hw->disks[idx];
	memset(l, 0, sizeof(*l));
	l->disk_index = idx;
	l->logical_block = d->logical_block ? d->logical_block : 512;
	l->disk_mib = d->size_bytes / MIB;
	snprintf(l->disk, sizeof(l->disk), "%s", d->name);
	if (snprintf(l->disk_dev, sizeof(l->disk_dev), "/dev/%s", d->name) >=
		    (int)sizeof(l->disk_dev) || !inst_dev_ok(l->disk_dev))
		return ip_err_set(&ctx->err, -EINVAL, "invalid disk name '%s'", d->name);
	if (inst_part_name(l->part_bios, sizeof(l->part_bios), l->disk_dev, 1) < 0 ||
	    inst_part_name(l->part_esp, sizeof(l->part_esp), l->disk_dev, 2) < 0 ||
	    inst_part_name(l->part_lvm, sizeof(l->part_lvm), l->disk_dev, 3) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "disk name '%s' too long", d->name);
	l->esp_mib = inst_esp_mib(d->size_bytes);
	snprintf(l->root_fstype, sizeof(l->root_fstype), "%s",
		 req.ds->filesystem == ANSWER_FS_XFS ? "xfs" : "ext4");
	inst_progress(ctx, "disk", 100, l->disk_dev);
	return 0;
}
