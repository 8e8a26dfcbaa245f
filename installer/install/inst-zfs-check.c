// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a zfs root must pass at the disk step, before anything is written:
 *
 * - the answer's pool properties are values zfs takes (inst_zfs_check_props);
 * - GRUB reads /boot from the pool when the payload has no proxmox-boot-tool
 *   (the test stand-in): the pool is then made with compatibility=grub2
 *   (inst_zfs_grub_reads_pool), and compress = "zstd", a feature that list
 *   leaves out, is refused here instead of failing at `zfs set` after the
 *   disks were partitioned;
 * - the zfs kernel module loads (`modprobe zfs`: the live system does not load
 *   it at boot, see docs/zfs.md); under Secure Boot a module signed by a key
 *   the firmware does not trust is refused by the kernel, and we say so;
 * - no other importable pool is named rpool (`zpool import -d /dev`, which
 *   lists pools without importing them): the node's initramfs imports the
 *   root pool by name, and with two pools of that name it imports neither. A
 *   pool named rpool whose every device is on the disks this install erases
 *   is fine (it is overwritten); one with a device anywhere else, or on a
 *   device we cannot place, is refused with its id and the device.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answer.h"
#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "log.h"
#include "path.h"
#include "runner.h"
#include "util.h"

static bool word_in(const char *w, const char *const *list, size_t n)
{
	for (size_t i = 0; w && i < n; i++)
		if (!strcmp(w, list[i]))
			return true;
	return false;
}

bool inst_zfs_grub_reads_pool(const struct inst_ctx *ctx)
{
	return ctx->payload_standin;
}

/* The words zfs takes are the ones the answer schema takes for these keys. */
int inst_zfs_check_props(struct inst_ctx *ctx)
{
	const struct inst_layout *l = &ctx->layout;

	if (l->zfs_ashift < 9 || l->zfs_ashift > 16)
		return ip_err_set(&ctx->err, -EINVAL, "invalid zfs ashift %u", l->zfs_ashift);
	if (answer_value_problem("disk-setup", "zfs.compress", l->zfs_compress))
		return ip_err_set(&ctx->err, -EINVAL, "invalid zfs compression '%s'",
				  l->zfs_compress);
	if (answer_value_problem("disk-setup", "zfs.checksum", l->zfs_checksum))
		return ip_err_set(&ctx->err, -EINVAL, "invalid zfs checksum '%s'", l->zfs_checksum);
	if (l->zfs_copies < 1 || l->zfs_copies > 3)
		return ip_err_set(&ctx->err, -EINVAL, "invalid zfs copies %u", l->zfs_copies);
	if (inst_zfs_grub_reads_pool(ctx) && !strcmp(l->zfs_compress, "zstd"))
		return ip_err_set(&ctx->err, -EOPNOTSUPP,
				  "zfs compress = \"zstd\": this payload has no proxmox-boot-tool, "
				  "so GRUB reads the kernel from the pool, and GRUB cannot read "
				  "zstd (use \"on\" or \"lz4\")");
	return 0;
}

/* Skip blanks; the rest of the line after them. */
static const char *skip_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/*
 * `zpool import` (listing) text: for each pool a block "   pool: NAME",
 * "     id: N", …, " config:", a blank line, then the vdev tree, one name and
 * its state per line, the pool's own name first. Here: the id and the leaf
 * names of every pool called @pool, through @cb.
 */
int inst_zfs_import_parse(const char *text, const char *pool,
			  int (*cb)(void *data, const char *id, const char *dev), void *data)
{
	static const char *const groups[] = { "mirror", "raidz1", "raidz2", "raidz3", "raidz",
					      "draid", "logs", "cache", "spares", "special",
					      "dedup", "replacing", "spare" };
	char id[32] = "", name[256] = "";
	bool ours = false, tree = false;
	const char *p = text;
	int ret;

	while (p && *p) {
		const char *eol = strchr(p, '\n'), *s = skip_blank(p);
		size_t len = eol ? (size_t)(eol - s) : strlen(s);
		char line[512], word[256];

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, s, len);
		line[len] = '\0';
		p = eol ? eol + 1 : NULL;
		if (sscanf(line, "pool: %255s", name) == 1) {
			ours = !strcmp(name, pool);
			tree = false;
			id[0] = '\0';
			continue;
		}
		if (!ours)
			continue;
		if (sscanf(line, "id: %31s", id) == 1 || !strcmp(line, "config:"))
			continue;
		if (sscanf(line, "%255s", word) != 1)
			continue;
		if (!tree) {
			/* the tree starts with the pool's own line */
			tree = !strcmp(word, pool);
			continue;
		}
		if (strchr(word, ':')) {	/* "errors: …", "action: …": the tree ended */
			tree = false;
			continue;
		}
		{
			char base[256];
			char *dash;

			snprintf(base, sizeof(base), "%s", word);
			dash = strrchr(base, '-');	/* "mirror-0" */
			if (dash && dash[1] >= '0' && dash[1] <= '9')
				*dash = '\0';
			if (word_in(base, groups, ARRAY_SIZE(groups)))
				continue;
		}
		ret = cb(data, id, word);
		if (ret)
			return ret;
	}
	return 0;
}

struct scan {
	struct inst_ctx *ctx;
	const char *disks[INST_MAX_DISKS];
	size_t n;
	char bad_id[32], bad_dev[256], why[160];
};

/* The whole disk a block device name belongs to (itself, or a partition's parent). */
static int disk_of(const char *sysroot, const char *dev, char *buf, size_t size)
{
	char link[PATH_MAX], rel[512], real[PATH_MAX];
	const char *base;
	const char *name = strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev;

	if (!name[0] || strchr(name, '.'))
		return -EINVAL;
	snprintf(rel, sizeof(rel), "/sys/class/block/%s", name);
	if (path_join(link, sizeof(link), sysroot, rel) < 0 || !realpath(link, real))
		return -ENOENT;
	if (path_exists(real, "/partition")) {
		char *slash = strrchr(real, '/');

		if (!slash)
			return -EINVAL;
		*slash = '\0';
	}
	base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
	if (strlen(base) >= size)
		return -ENAMETOOLONG;
	memcpy(buf, base, strlen(base) + 1);
	return 0;
}

static int scan_dev(void *data, const char *id, const char *dev)
{
	struct scan *s = data;
	char disk[64];

	if (disk_of(s->ctx->sysroot, dev, disk, sizeof(disk)) < 0) {
		snprintf(s->why, sizeof(s->why), "a device this system does not show");
	} else {
		for (size_t k = 0; k < s->n; k++)
			if (!strcmp(disk, s->disks[k]))
				return 0;	/* erased by this install */
		snprintf(s->why, sizeof(s->why), "disk '%s', which this install keeps", disk);
	}
	snprintf(s->bad_id, sizeof(s->bad_id), "%s", id[0] ? id : "?");
	snprintf(s->bad_dev, sizeof(s->bad_dev), "%s", dev);
	return 1;
}

static int check_other_pools(struct inst_ctx *ctx)
{
	const char *argv[] = { "zpool", "import", "-d", "/dev", NULL };
	struct run_opts o = { .flags = RUN_CAPTURE };
	struct run_result res = { 0 };
	struct scan s = { .ctx = ctx };
	int ret;

	ret = runner_run(ctx->runner, argv, &o, &res);
	if (ret < 0) {
		ip_err_set(&ctx->err, ret, "cannot look for other zfs pools: %s",
			   ip_err_msg(&ctx->runner->err));
		goto out;
	}
	/*
	 * No pool to list: "no pools available to import" on stderr (status 1).
	 * A listing that holds pools is read whatever the status (a damaged pool
	 * among them may make it non-zero); anything else means we could not look.
	 */
	if (res.status && (!res.err || !strstr(res.err, "no pools available")) &&
	    (!res.out || !strstr(res.out, "pool:"))) {
		size_t len = res.err ? strlen(res.err) : 0;

		while (len && (res.err[len - 1] == '\n' || res.err[len - 1] == ' '))
			res.err[--len] = '\0';
		ret = ip_err_set(&ctx->err, -EIO, "cannot look for other zfs pools: 'zpool import' "
				 "exited with status %d%s%s", res.status,
				 res.err && res.err[0] ? ": " : "", res.err ? res.err : "");
		goto out;
	}
	s.n = inst_layout_n_disks(&ctx->layout);
	for (size_t k = 0; k < s.n; k++)
		s.disks[k] = k ? ctx->layout.extra[k - 1].disk : ctx->layout.disk;
	if (res.out && inst_zfs_import_parse(res.out, INST_ZFS_POOL, scan_dev, &s) > 0) {
		ret = ip_err_set(&ctx->err, -EEXIST,
				 "refusing a zfs root: another pool named '%s' (id %s) is on '%s', "
				 "%s; the node imports its root pool by that name at boot and "
				 "could not tell the two apart. Destroy or rename that pool "
				 "(zpool import -d /dev %s NEWNAME; zpool export NEWNAME), or "
				 "detach its disks", INST_ZFS_POOL, s.bad_id, s.bad_dev, s.why,
				 s.bad_id);
		goto out;
	}
	ret = 0;
out:
	run_result_release(&res);
	return ret;
}

int inst_zfs_precheck(struct inst_ctx *ctx)
{
	const char *modprobe[] = { "modprobe", "zfs", NULL };
	int ret;

	if (strcmp(ctx->layout.root_fstype, "zfs"))
		return 0;
	ret = inst_zfs_check_props(ctx);
	if (ret < 0)
		return ret;
	ret = inst_run(ctx, modprobe, NULL, NULL);
	if (ret < 0) {
		bool sb = ctx->hw && ctx->hw->secure_boot == HW_YES;
		char why[512];

		snprintf(why, sizeof(why), "%s", ip_err_msg(&ctx->err));
		return ip_err_set(&ctx->err, ret, "cannot load the zfs kernel module%s: %s",
				  sb ? " (Secure Boot is on: the key that signed it must be "
				       "enrolled, see docs/zfs.md)" : "", why);
	}
	return check_other_pools(ctx);
}
