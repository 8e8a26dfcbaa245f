// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A ZFS root the way the Proxmox VE installer makes it (Proxmox::Install,
 * zfs_create_rpool, get_zfs_raid_setup and the end of extract_data):
 *
 * - every disk gets BIOS boot, an ESP (vfat on every disk: each can boot) and
 *   a third partition of type Solaris /usr & Mac ZFS (BF01), up to zfs.hdsize;
 * - `zpool create -f -o cachefile=none -o ashift=N rpool VDEVS` over the third
 *   partitions, named by /dev/disk/by-id when udev made a link: raid0 "a b",
 *   raid1 "mirror a b", raid10 "mirror a b mirror c d", raidz-N "raidzN a b c";
 *   we add -R <target> (altroot), so nothing of the pool can mount over the
 *   live system, and -o compatibility=grub2 when GRUB reads /boot from the
 *   pool (a payload without proxmox-boot-tool: the test stand-in; Proxmox
 *   boots from the ESPs and leaves the pool's features alone);
 * - datasets rpool/ROOT, rpool/ROOT/pve-1 (mountpoint /), rpool/data (the
 *   "zfspool: local-zfs" storage) and rpool/var-lib-vz (mountpoint
 *   /var/lib/vz); on rpool atime=on relatime=on, compression (on unless
 *   zfs.compress), checksum and copies when they differ from on and 1;
 *   acltype=posix on the root; sync=disabled while installing; bootfs;
 * - at the end sync=standard and `zpool export rpool`, so that the node
 *   imports a cleanly exported pool.
 *
 * Proxmox creates the root with the default mountpoint, installs into
 * /rpool/ROOT/pve-1 and sets mountpoint=/ after unmounting. We mount at the
 * target root instead: the datasets are made with their final mountpoints but
 * not mounted (zfs create -u), rpool (which zpool create mounts at
 * <target>/rpool) is unmounted, and the mount step mounts the root and
 * var-lib-vz with mount(8) (-o zfsutil), in order, so no mount hides another.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "log.h"
#include "path.h"
#include "runner.h"
#include "util.h"

static const char *const zfs_raids[] = {
	"raid0", "raid1", "raid10", "raidz-1", "raidz-2", "raidz-3",
};

bool inst_zfs_raid_ok(const char *raid)
{
	for (size_t i = 0; raid && i < ARRAY_SIZE(zfs_raids); i++)
		if (!strcmp(raid, zfs_raids[i]))
			return true;
	return false;
}

int inst_zfs_vdevs(const char *raid, const char *const *devs, size_t n, const char **argv,
		   size_t max, struct ip_err *err)
{
	static const char *const raidz[] = { "raidz1", "raidz2", "raidz3" };
	size_t need = inst_disk_min(ANSWER_FS_ZFS, raid), k = 0;

	if (!inst_zfs_raid_ok(raid))
		return ip_err_set(err, -EINVAL, "invalid zfs RAID level '%s'", raid ? raid : "");
	if (n < need)
		return ip_err_set(err, -EINVAL, "zfs %s needs at least %zu disks, not %zu", raid,
				  need, n);
	if (!strcmp(raid, "raid10") && n % 2)
		return ip_err_set(err, -EINVAL, "zfs raid10 needs an even number of disks, not %zu",
				  n);
	/* words: the devices, plus "mirror" per pair (raid10) or one keyword */
	if (max < n + n / 2 + 1)
		return ip_err_set(err, -E2BIG, "too many zfs devices: %zu", n);
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(raid, "raid10") && i % 2 == 0)
			argv[k++] = "mirror";
		else if (i == 0 && !strcmp(raid, "raid1"))
			argv[k++] = "mirror";
		else if (i == 0 && !strncmp(raid, "raidz-", 6))
			argv[k++] = raidz[raid[6] - '1'];
		if (!inst_dev_ok(devs[i]))
			return ip_err_set(err, -EINVAL, "invalid device '%s'", devs[i]);
		argv[k++] = devs[i];
	}
	return (int)k;
}

void inst_zfs_stable_dev(const char *sysroot, const char *dev, char *buf, size_t size)
{
	const char *name = strrchr(dev, '/');
	char dir[PATH_MAX], link[PATH_MAX], target[PATH_MAX];
	struct dirent **ents = NULL;
	int n;

	snprintf(buf, size, "%s", dev);
	if (!name || path_join(dir, sizeof(dir), sysroot, "/dev/disk/by-id") < 0)
		return;
	name++;
	n = scandir(dir, &ents, NULL, alphasort);
	/* the first link (in name order, as Proxmox globs them) that points at the device */
	for (int i = 0; i < n; i++) {
		const char *e = ents[i]->d_name, *base;
		ssize_t len;
		char cand[PATH_MAX];

		if (e[0] == '.' || snprintf(link, sizeof(link), "%s/%s", dir, e) >= (int)sizeof(link))
			continue;
		len = readlink(link, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		base = strrchr(target, '/');
		base = base ? base + 1 : target;
		if (strcmp(base, name) ||
		    snprintf(cand, sizeof(cand), "/dev/disk/by-id/%s", e) >= (int)sizeof(cand) ||
		    !inst_dev_ok(cand) || strlen(cand) >= size)
			continue;
		snprintf(buf, size, "%s", cand);
		break;
	}
	for (int i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
}

static int run_all(struct inst_ctx *ctx, const char *const *const *cmds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ret;

		if (!cmds[i])
			continue;
		ret = inst_run(ctx, cmds[i], NULL, NULL);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* zpool create over the layout's third partitions, with altroot at the target. */
static int create_pool(struct inst_ctx *ctx)
{
	const struct inst_layout *l = &ctx->layout;
	size_t nd = inst_layout_n_disks(l), n = 0;
	char stable[INST_MAX_DISKS][128], ashift[32];
	const char *devs[INST_MAX_DISKS], *argv[INST_MAX_DISKS * 2 + 16];
	int words;

	for (size_t k = 0; k < nd; k++) {
		const char *part = k ? l->extra[k - 1].part_os : l->part_lvm;

		if (!inst_dev_ok(part))
			return ip_err_set(&ctx->err, -EINVAL, "invalid device '%s'", part);
		inst_zfs_stable_dev(ctx->sysroot, part, stable[k], sizeof(stable[k]));
		devs[k] = stable[k];
	}
	snprintf(ashift, sizeof(ashift), "ashift=%u", l->zfs_ashift);
	argv[n++] = "zpool";
	argv[n++] = "create";
	argv[n++] = "-f";
	argv[n++] = "-o";
	argv[n++] = "cachefile=none";
	argv[n++] = "-o";
	argv[n++] = ashift;
	if (inst_zfs_grub_reads_pool(ctx)) {
		/* only the features GRUB reads (zfsutils' compatibility.d/grub2) */
		argv[n++] = "-o";
		argv[n++] = "compatibility=grub2";
	}
	argv[n++] = "-R";
	argv[n++] = ctx->target;
	argv[n++] = INST_ZFS_POOL;
	words = inst_zfs_vdevs(l->zfs_raid, devs, nd, argv + n, ARRAY_SIZE(argv) - n - 1,
			       &ctx->err);
	if (words < 0)
		return words;
	argv[n + (size_t)words] = NULL;
	ip_info("making zfs pool '%s' (%s) over %zu device%s", INST_ZFS_POOL, l->zfs_raid, nd,
		nd == 1 ? "" : "s");
	return inst_run(ctx, argv, NULL, NULL);
}

int inst_zfs_create(struct inst_ctx *ctx)
{
	const struct inst_layout *l = &ctx->layout;
	char compress[32], checksum[32], copies[32];
	const char *unmount[] = { "zfs", "unmount", INST_ZFS_POOL, NULL };
	const char *root[] = { "zfs", "create", "-u", INST_ZFS_POOL "/ROOT", NULL };
	const char *pve1[] = { "zfs", "create", "-u", "-o", "mountpoint=/", INST_ZFS_ROOT, NULL };
	const char *data[] = { "zfs", "create", "-u", INST_ZFS_POOL "/data", NULL };
	const char *vz[] = { "zfs", "create", "-u", "-o", "mountpoint=/var/lib/vz",
			     INST_ZFS_POOL "/var-lib-vz", NULL };
	const char *atime[] = { "zfs", "set", "atime=on", "relatime=on", INST_ZFS_POOL, NULL };
	const char *comp[] = { "zfs", "set", compress, INST_ZFS_POOL, NULL };
	const char *csum[] = { "zfs", "set", checksum, INST_ZFS_POOL, NULL };
	const char *cop[] = { "zfs", "set", copies, INST_ZFS_POOL, NULL };
	const char *acl[] = { "zfs", "set", "acltype=posix", INST_ZFS_ROOT, NULL };
	const char *nosync[] = { "zfs", "set", "sync=disabled", INST_ZFS_POOL, NULL };
	const char *bootfs[] = { "zpool", "set", "bootfs=" INST_ZFS_ROOT, INST_ZFS_POOL, NULL };
	const char *const *cmds[] = {
		unmount, root, pve1, data, vz, atime, comp,
		strcmp(l->zfs_checksum, "on") ? csum : NULL,
		l->zfs_copies != 1 ? cop : NULL,
		acl, nosync, bootfs,
	};
	int ret;

	if (!inst_path_ok(ctx->target) || !strcmp(ctx->target, "/"))
		return ip_err_set(&ctx->err, -EINVAL, "invalid target directory '%s'",
				  ctx->target ? ctx->target : "");
	if (ctx->mounts.zfs_pool[0])
		return ip_err_set(&ctx->err, -EEXIST, "zfs pool '%s' was already created",
				  ctx->mounts.zfs_pool);
	ret = inst_zfs_check_props(ctx);
	if (ret < 0)
		return ret;
	snprintf(compress, sizeof(compress), "compression=%s", l->zfs_compress);
	snprintf(checksum, sizeof(checksum), "checksum=%s", l->zfs_checksum);
	snprintf(copies, sizeof(copies), "copies=%u", l->zfs_copies);
	ret = create_pool(ctx);
	if (ret < 0)
		return ret;
	/* from here on the pool is ours: the unmount step exports it, also after a failure */
	snprintf(ctx->mounts.zfs_pool, sizeof(ctx->mounts.zfs_pool), "%s", INST_ZFS_POOL);
	return run_all(ctx, cmds, ARRAY_SIZE(cmds));
}

int inst_zfs_export(struct inst_ctx *ctx)
{
	const char *sync[] = { "zfs", "set", "sync=standard", ctx->mounts.zfs_pool, NULL };
	const char *export[] = { "zpool", "export", ctx->mounts.zfs_pool, NULL };

	struct ip_err first = { 0 };
	int ret, r;

	if (!ctx->mounts.zfs_pool[0])
		return 0;
	/* both, whatever the first did: the node must get a cleanly exported pool */
	ret = inst_run_cleanup(ctx, sync);
	if (ret < 0)
		first = ctx->err;
	r = inst_run_cleanup(ctx, export);
	if (r == 0) {
		ip_info("exported zfs pool '%s'", ctx->mounts.zfs_pool);
		ctx->mounts.zfs_pool[0] = '\0';
	}
	if (ret < 0) {
		ctx->err = first;	/* the first error is the one reported */
		return ret;
	}
	return r;
}
