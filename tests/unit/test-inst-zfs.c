// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A zfs root over one or more disks: the disk
 * choice and its refusals (counts and sizes per level), the vdev words of
 * every level, the by-id names, the exact argv of the mkfs, mount and unmount
 * steps for a raid1 on two disks, the partition tables, fstab, storage.cfg,
 * zfs.conf (Proxmox's zfs_arc_max rules), the kernel command line, the boot
 * loader either way (GRUB on every disk and ESP, or proxmox-boot-tool on every
 * ESP), and the whole chain in --dry-run.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "hw-build.h"
#include "hw-tree.h"
#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "path.h"
#include "plan/plan.h"
#include "target/inst-cfg.h"
#include "util.h"

static struct hw_disk disks[7];
static struct inst_disk_sigs sigs[7];
static struct hw hw;
static char *root;	/* the sysroot of the live system */

static void add_disk(size_t i, const char *name, unsigned gib, const char *serial)
{
	hwb_disk(&disks[i], name, gib, "QEMU HARDDISK", serial, "virtio");
}

/* hw: the boot medium sda, then vdd, vdb, vda, vdc, vde (64 GiB, vda 70), vdf 200 */
static int setup(void **state)
{
	static const char *const names[] = { "vda", "vdb", "vdc", "vdd", "vde", "vdf" };

	(void)state;
	memset(&hw, 0, sizeof(hw));
	add_disk(0, "sda", 32, "USB1");
	disks[0].is_boot_medium = true;
	add_disk(1, "vdd", 64, "QM4");
	add_disk(2, "vdb", 64, "QM2");
	add_disk(3, "vda", 70, "QM1");
	add_disk(4, "vdc", 64, "QM3");
	add_disk(5, "vde", 64, "QM5");
	add_disk(6, "vdf", 200, "QM6");
	hw.disks = disks;
	hw.n_disks = 7;
	hw.mem_total_kib = 4 << 20;
	hw.fw = HW_FW_BIOS;
	memset(sigs, 0, sizeof(sigs));
	root = hwt_new();
	hwt_file(root, "/proc/self/mountinfo", "");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char rel[64], path[PATH_MAX];

		snprintf(rel, sizeof(rel), "/dev/%s", names[i]);
		hwt_file(root, rel, "");
		if (path_join(path, sizeof(path), root, rel) < 0 || truncate(path, 1 << 20) < 0)
			return -1;
	}
	/* udev's by-id names of the first two disks' zfs partitions */
	hwt_link(root, "/dev/disk/by-id/virtio-QM1-part3", "../../vda3");
	hwt_link(root, "/dev/disk/by-id/virtio-QM2-part3", "../../vdb3");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hwt_free(root);
	return 0;
}

static char *list[7];
static struct answer_filter flt[1];

static struct answer_disk_setup zfs_setup(const char *raid, size_t n, ...)
{
	struct answer_disk_setup ds = { .filesystem = ANSWER_FS_ZFS, .raid = (char *)raid };
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		list[i] = va_arg(ap, char *);
	va_end(ap);
	ds.disk_list = list;
	ds.n_disk_list = n;
	return ds;
}

static int choose(struct answer_disk_setup *ds, struct inst_disk_choice *c, struct ip_err *err)
{
	struct inst_disk_req req = { .ds = ds, .wipe = ANSWER_WIPE_EMPTY_ONLY, .sigs = sigs };

	ip_err_clear(err);
	return inst_disk_choose_all(&hw, &req, c, err);
}

static void refused(struct answer_disk_setup ds, const char *msg)
{
	struct inst_disk_choice c;
	struct ip_err err;

	assert_int_equal(choose(&ds, &c, &err), -EINVAL);
	assert_string_equal(err.msg, msg);
}

static void test_choose(void **state)
{
	struct answer_disk_setup ds;
	struct inst_disk_choice c;
	struct ip_err err;
	size_t idx;

	(void)state;
	/* the counts Proxmox asks for, per level */
	assert_int_equal(inst_disk_min(ANSWER_FS_ZFS, "raid0"), 1);
	assert_int_equal(inst_disk_min(ANSWER_FS_ZFS, "raid1"), 2);
	assert_int_equal(inst_disk_min(ANSWER_FS_ZFS, "raid10"), 4);
	assert_int_equal(inst_disk_min(ANSWER_FS_ZFS, "raidz-1"), 3);
	assert_int_equal(inst_disk_min(ANSWER_FS_ZFS, "raidz-2"), 4);
	assert_int_equal(inst_disk_min(ANSWER_FS_ZFS, "raidz-3"), 5);
	assert_int_equal(inst_disk_min(ANSWER_FS_BTRFS, "raidz-3"), 1);

	/* disk-list order is kept; 64 and 70 GiB are within a tenth */
	ds = zfs_setup("raid1", 2, "vda", "/dev/vdb");
	assert_int_equal(choose(&ds, &c, &err), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.idx[0], 3);
	assert_int_equal(c.idx[1], 2);
	refused(zfs_setup("raid1", 1, "vda"),
		"zfs raid1 needs at least 2 disks, but disk-list names 1 ('vda')");
	refused(zfs_setup("raidz-1", 2, "vda", "vdb"),
		"zfs raidz-1 needs at least 3 disks, but disk-list names 2 ('vda', 'vdb')");
	refused(zfs_setup("raidz-2", 3, "vda", "vdb", "vdc"),
		"zfs raidz-2 needs at least 4 disks, but disk-list names 3 ('vda', 'vdb', 'vdc')");
	refused(zfs_setup("raidz-3", 4, "vda", "vdb", "vdc", "vdd"),
		"zfs raidz-3 needs at least 5 disks, but disk-list names 4 ('vda', 'vdb', "
		"'vdc', 'vdd')");
	refused(zfs_setup("raid10", 3, "vda", "vdb", "vdc"),
		"zfs raid10 needs at least 4 disks, but disk-list names 3 ('vda', 'vdb', 'vdc')");
	refused(zfs_setup("raid10", 5, "vda", "vdb", "vdc", "vdd", "vde"),
		"zfs raid10 needs an even number of disks, but disk-list names 5 ('vda', 'vdb', "
		"'vdc', 'vdd', 'vde')");
	ds = zfs_setup("raidz-3", 5, "vda", "vdb", "vdc", "vdd", "vde");
	assert_int_equal(choose(&ds, &c, &err), 0);
	refused(zfs_setup("raidz", 3, "vda", "vdb", "vdc"), "invalid zfs RAID level 'raidz'");

	/* mirrored disks the same size within a tenth; raid0 stripes any */
	refused(zfs_setup("raid1", 2, "vda", "vdf"),
		"zfs raid1: mirrored disks must have the same size, but 'vda' has 70.0 GiB and "
		"'vdf' 200.0 GiB");
	refused(zfs_setup("raidz-1", 3, "vdb", "vdc", "vdf"),
		"zfs raidz-1: mirrored disks must have the same size, but 'vdb' has 64.0 GiB and "
		"'vdf' 200.0 GiB");
	/* raid10: pairs; vdf pairs with nobody its size */
	refused(zfs_setup("raid10", 4, "vda", "vdb", "vdc", "vdf"),
		"zfs raid10: mirrored disks must have the same size, but 'vdc' has 64.0 GiB and "
		"'vdf' 200.0 GiB");
	ds = zfs_setup("raid0", 2, "vda", "vdf");
	assert_int_equal(choose(&ds, &c, &err), 0);

	/* a filter takes every disk it matches, sorted by name */
	flt[0] = (struct answer_filter){ (char *)"ID_SERIAL_SHORT", (char *)"QM[1-4]" };
	ds = (struct answer_disk_setup){ .filesystem = ANSWER_FS_ZFS, .raid = (char *)"raid10",
					 .filters = flt, .n_filters = 1 };
	assert_int_equal(choose(&ds, &c, &err), 0);
	assert_int_equal(c.n, 4);
	assert_string_equal(disks[c.idx[0]].name, "vda");
	assert_string_equal(disks[c.idx[3]].name, "vdd");

	/* where the install starts: the first disk of the four */
	{
		struct inst_disk_req req = { .ds = &ds, .wipe = ANSWER_WIPE_EMPTY_ONLY, .sigs = sigs };

		assert_null(answer_fs_unsupported(ANSWER_FS_ZFS));
		assert_int_equal(inst_disk_choose(&hw, &req, &idx, &err), 0);
		assert_string_equal(disks[idx].name, "vda");
	}
}

static char *vdevs(const char *raid, size_t n, int *ret)
{
	static const char *const devs[] = { "/dev/sda3", "/dev/sdb3", "/dev/sdc3", "/dev/sdd3",
					    "/dev/sde3", "/dev/sdf3" };
	const char *argv[32];
	struct ip_err err = { 0 };

	*ret = inst_zfs_vdevs(raid, devs, n, argv, ARRAY_SIZE(argv) - 1, &err);
	if (*ret < 0)
		return strdup(err.msg);
	argv[*ret] = NULL;
	return runner_argv_str(argv);
}

static void check_vdevs(const char *raid, size_t n, int want_ret, const char *want)
{
	int ret;
	char *got = vdevs(raid, n, &ret);

	assert_int_equal(ret, want_ret);
	assert_string_equal(got, want);
	free(got);
}

static void test_vdevs(void **state)
{
	(void)state;
	check_vdevs("raid0", 1, 1, "/dev/sda3");
	check_vdevs("raid0", 3, 3, "/dev/sda3 /dev/sdb3 /dev/sdc3");
	check_vdevs("raid1", 2, 3, "mirror /dev/sda3 /dev/sdb3");
	check_vdevs("raid1", 3, 4, "mirror /dev/sda3 /dev/sdb3 /dev/sdc3");
	check_vdevs("raid10", 4, 6, "mirror /dev/sda3 /dev/sdb3 mirror /dev/sdc3 /dev/sdd3");
	check_vdevs("raid10", 6, 9, "mirror /dev/sda3 /dev/sdb3 mirror /dev/sdc3 /dev/sdd3 "
		    "mirror /dev/sde3 /dev/sdf3");
	check_vdevs("raidz-1", 3, 4, "raidz1 /dev/sda3 /dev/sdb3 /dev/sdc3");
	check_vdevs("raidz-2", 4, 5, "raidz2 /dev/sda3 /dev/sdb3 /dev/sdc3 /dev/sdd3");
	check_vdevs("raidz-3", 5, 6, "raidz3 /dev/sda3 /dev/sdb3 /dev/sdc3 /dev/sdd3 /dev/sde3");
	check_vdevs("raid1", 1, -EINVAL, "zfs raid1 needs at least 2 disks, not 1");
	check_vdevs("raid10", 5, -EINVAL, "zfs raid10 needs an even number of disks, not 5");
	check_vdevs("raidz-2", 3, -EINVAL, "zfs raidz-2 needs at least 4 disks, not 3");
	check_vdevs("raidz-4", 6, -EINVAL, "invalid zfs RAID level 'raidz-4'");
	check_vdevs("mirror", 2, -EINVAL, "invalid zfs RAID level 'mirror'");
}

static void test_stable_dev(void **state)
{
	char buf[128];

	(void)state;
	hwt_link(root, "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4-part3", "../../vdc3");
	hwt_link(root, "/dev/disk/by-id/ata-QEMU_HARDDISK_QM3-part3", "../../vdc3");
	hwt_link(root, "/dev/disk/by-id/ata-QEMU_HARDDISK_QM3", "../../vdc");
	/* the first in name order, as Proxmox globs the directory */
	inst_zfs_stable_dev(root, "/dev/vdc3", buf, sizeof(buf));
	assert_string_equal(buf, "/dev/disk/by-id/ata-QEMU_HARDDISK_QM3-part3");
	inst_zfs_stable_dev(root, "/dev/vda3", buf, sizeof(buf));
	assert_string_equal(buf, "/dev/disk/by-id/virtio-QM1-part3");
	/* no link ("vdc30" is not "vdc3"): the kernel name */
	inst_zfs_stable_dev(root, "/dev/vdd3", buf, sizeof(buf));
	assert_string_equal(buf, "/dev/vdd3");
	inst_zfs_stable_dev("/nonexistent-sysroot", "/dev/vda3", buf, sizeof(buf));
	assert_string_equal(buf, "/dev/vda3");
	hwt_rm(root, "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4-part3");
	hwt_rm(root, "/dev/disk/by-id/ata-QEMU_HARDDISK_QM3-part3");
	hwt_rm(root, "/dev/disk/by-id/ata-QEMU_HARDDISK_QM3");
}

/* A zfs layout on vda, vdb, … (the first @n of them) without the disk step. */
static void layout(struct inst_layout *l, const char *raid, size_t n)
{
	static const char *const names[] = { "vda", "vdb", "vdc", "vdd", "vde", "nvme0n1" };

	memset(l, 0, sizeof(*l));
	snprintf(l->disk, sizeof(l->disk), "vda");
	snprintf(l->disk_dev, sizeof(l->disk_dev), "/dev/vda");
	snprintf(l->part_bios, sizeof(l->part_bios), "/dev/vda1");
	snprintf(l->part_esp, sizeof(l->part_esp), "/dev/vda2");
	snprintf(l->part_lvm, sizeof(l->part_lvm), "/dev/vda3");
	snprintf(l->root_dev, sizeof(l->root_dev), "%s", INST_ZFS_ROOT);
	snprintf(l->root_fstype, sizeof(l->root_fstype), "zfs");
	snprintf(l->zfs_raid, sizeof(l->zfs_raid), "%s", raid);
	snprintf(l->zfs_compress, sizeof(l->zfs_compress), "on");
	snprintf(l->zfs_checksum, sizeof(l->zfs_checksum), "on");
	l->zfs_ashift = 12;
	l->zfs_copies = 1;
	l->logical_block = 512;
	for (size_t k = 1; k < n; k++) {
		struct inst_layout_disk *d = &l->extra[l->n_extra++];

		snprintf(d->disk, sizeof(d->disk), "%s", names[k]);
		snprintf(d->disk_dev, sizeof(d->disk_dev), "/dev/%s", names[k]);
		inst_part_name(d->part_esp, sizeof(d->part_esp), d->disk_dev, 2);
		inst_part_name(d->part_os, sizeof(d->part_os), d->disk_dev, 3);
		d->logical_block = k == 2 ? 4096 : 512;
	}
}

/* "cmd\n" for every call of @f, "%T" in @want standing for @target */
static void assert_calls(const struct fake_runner *f, size_t from, const char *target,
			 const char *const *want, size_t n)
{
	assert_true(f->n_calls >= from + n);
	for (size_t i = 0; i < n; i++) {
		char w[512];
		const char *t = strstr(want[i], "%T");

		if (t)
			snprintf(w, sizeof(w), "%.*s%s%s", (int)(t - want[i]), want[i], target,
				 t + 2);
		else
			snprintf(w, sizeof(w), "%s", want[i]);
		assert_string_equal(f->calls[from + i].cmd, w);
	}
}

/* raid1 on two disks: the mkfs step's commands, in order (the report quotes these) */
static const char *const raid1_mkfs[] = {
	"mkfs.fat -F 32 /dev/vda2",
	"mkfs.fat -F 32 /dev/vdb2",
	"zpool create -f -o cachefile=none -o ashift=12 -R %T rpool mirror "
	"/dev/disk/by-id/virtio-QM1-part3 /dev/disk/by-id/virtio-QM2-part3",
	"zfs unmount rpool",
	"zfs create -u rpool/ROOT",
	"zfs create -u -o mountpoint=/ rpool/ROOT/pve-1",
	"zfs create -u rpool/data",
	"zfs create -u -o mountpoint=/var/lib/vz rpool/var-lib-vz",
	"zfs set atime=on relatime=on rpool",
	"zfs set compression=on rpool",
	"zfs set acltype=posix rpool/ROOT/pve-1",
	"zfs set sync=disabled rpool",
	"zpool set bootfs=rpool/ROOT/pve-1 rpool",
	"blkid -c /dev/null -o value -s UUID /dev/vda2",
	"blkid -c /dev/null -o value -s UUID /dev/vdb2",
};

/* …the mount step's… */
static const char *const raid1_mount[] = {
	"mount -t zfs -o zfsutil rpool/ROOT/pve-1 %T",
	"mount -t zfs -o zfsutil rpool/var-lib-vz %T/var/lib/vz",
	"mount -t vfat /dev/vda2 %T/boot/efi",
};

/* …and the unmount step's: the pool is exported after everything is unmounted */
static const char *const raid1_umount[] = {
	"sync",
	"umount %T/boot/efi",
	"umount %T/var/lib/vz",
	"umount %T",
	"zfs set sync=standard rpool",
	"zpool export rpool",
};

static void esp_uuids(struct fake_runner *f)
{
	fake_runner_rule(f, "blkid -c /dev/null -o value -s UUID /dev/vda2", 0, "1A2B-3C4D\n");
	fake_runner_rule(f, "blkid -c /dev/null -o value -s UUID /dev/vdb2", 0, "5E6F-7A8B\n");
}

static void test_raid1_steps(void **state)
{
	char target[256];
	struct inst_ctx ctx = { 0 };
	struct fake_runner f;

	(void)state;
	snprintf(target, sizeof(target), "%s/target", root);
	fake_runner_init(&f);
	esp_uuids(&f);
	ctx.runner = &f.r;
	ctx.sysroot = root;
	ctx.target = target;
	layout(&ctx.layout, "raid1", 2);
	assert_int_equal(inst_mkfs(&ctx), 0);
	assert_int_equal(f.n_calls, ARRAY_SIZE(raid1_mkfs));
	assert_calls(&f, 0, target, raid1_mkfs, ARRAY_SIZE(raid1_mkfs));
	assert_string_equal(ctx.layout.esp_uuid, "1A2B-3C4D");
	assert_string_equal(ctx.layout.extra[0].esp_uuid, "5E6F-7A8B");
	assert_string_equal(ctx.mounts.zfs_pool, "rpool");
	assert_int_equal(fake_runner_find(&f, "mkswap"), -1);

	/* the LVM step leaves a zfs root alone */
	assert_int_equal(inst_lvm(&ctx), 0);
	assert_int_equal(f.n_calls, ARRAY_SIZE(raid1_mkfs));

	assert_int_equal(inst_mount(&ctx), 0);
	assert_calls(&f, ARRAY_SIZE(raid1_mkfs), target, raid1_mount, ARRAY_SIZE(raid1_mount));
	assert_int_equal(ctx.mounts.n, 3);
	assert_true(path_exists(target, "/var/lib/pve"));

	assert_int_equal(inst_umount(&ctx), 0);
	assert_calls(&f, ARRAY_SIZE(raid1_mkfs) + ARRAY_SIZE(raid1_mount), target, raid1_umount,
		     ARRAY_SIZE(raid1_umount));
	assert_int_equal(f.n_calls, ARRAY_SIZE(raid1_mkfs) + ARRAY_SIZE(raid1_mount) +
			 ARRAY_SIZE(raid1_umount));
	assert_int_equal(ctx.mounts.n, 0);
	assert_string_equal(ctx.mounts.zfs_pool, "");
	/* exported once: a second unmount only syncs */
	assert_int_equal(inst_umount(&ctx), 0);
	assert_int_equal(f.n_calls, ARRAY_SIZE(raid1_mkfs) + ARRAY_SIZE(raid1_mount) +
			 ARRAY_SIZE(raid1_umount) + 1);
	assert_string_equal(f.calls[f.n_calls - 1].cmd, "sync");
	fake_runner_release(&f);
}

/* The answer's properties; and what happens when a command fails. */
static void test_create_options(void **state)
{
	char target[256], want[1024];
	struct inst_ctx ctx = { 0 };
	struct fake_runner f;

	(void)state;
	snprintf(target, sizeof(target), "%s/target", root);
	fake_runner_init(&f);
	ctx.runner = &f.r;
	ctx.sysroot = root;
	ctx.target = target;
	layout(&ctx.layout, "raidz-1", 3);
	ctx.layout.zfs_ashift = 13;
	snprintf(ctx.layout.zfs_compress, sizeof(ctx.layout.zfs_compress), "zstd");
	snprintf(ctx.layout.zfs_checksum, sizeof(ctx.layout.zfs_checksum), "sha256");
	ctx.layout.zfs_copies = 2;
	assert_int_equal(inst_zfs_create(&ctx), 0);
	snprintf(want, sizeof(want), "zpool create -f -o cachefile=none -o ashift=13 -R %s rpool "
		 "raidz1 /dev/disk/by-id/virtio-QM1-part3 /dev/disk/by-id/virtio-QM2-part3 "
		 "/dev/vdc3", target);
	assert_string_equal(f.calls[0].cmd, want);
	assert_string_equal(f.calls[7].cmd, "zfs set compression=zstd rpool");
	assert_string_equal(f.calls[8].cmd, "zfs set checksum=sha256 rpool");
	assert_string_equal(f.calls[9].cmd, "zfs set copies=2 rpool");
	assert_string_equal(f.calls[10].cmd, "zfs set acltype=posix rpool/ROOT/pve-1");
	assert_int_equal(f.n_calls, 13);
	/* made once */
	assert_int_equal(inst_zfs_create(&ctx), -EEXIST);
	fake_runner_release(&f);

	/* values that are not zfs's are refused before anything runs */
	fake_runner_init(&f);
	ctx.runner = &f.r;
	ctx.mounts.zfs_pool[0] = '\0';
	snprintf(ctx.layout.zfs_compress, sizeof(ctx.layout.zfs_compress), "lz4;x");
	assert_int_equal(inst_zfs_create(&ctx), -EINVAL);
	assert_string_equal(ctx.err.msg, "invalid zfs compression 'lz4;x'");
	snprintf(ctx.layout.zfs_compress, sizeof(ctx.layout.zfs_compress), "on");
	ctx.layout.zfs_ashift = 17;
	assert_int_equal(inst_zfs_create(&ctx), -EINVAL);
	ctx.layout.zfs_ashift = 12;
	ctx.target = "/";
	assert_int_equal(inst_zfs_create(&ctx), -EINVAL);
	ctx.target = target;
	assert_int_equal(f.n_calls, 0);

	/* zpool create fails: no pool to export */
	fake_runner_rule(&f, "zpool create", 1, "");
	assert_int_not_equal(inst_zfs_create(&ctx), 0);
	assert_string_equal(ctx.mounts.zfs_pool, "");
	assert_int_equal(f.n_calls, 1);
	fake_runner_release(&f);

	/* a dataset fails: the pool is ours and is exported by the unmount step */
	fake_runner_init(&f);
	ctx.runner = &f.r;
	fake_runner_rule(&f, "zfs create -u rpool/data", 1, "");
	assert_int_not_equal(inst_zfs_create(&ctx), 0);
	assert_string_equal(ctx.mounts.zfs_pool, "rpool");
	assert_int_equal(inst_umount(&ctx), 0);
	assert_string_equal(f.calls[f.n_calls - 1].cmd, "zpool export rpool");
	fake_runner_release(&f);

	/* an export that fails is the unmount step's failure: the node could not import */
	fake_runner_init(&f);
	ctx.runner = &f.r;
	snprintf(ctx.mounts.zfs_pool, sizeof(ctx.mounts.zfs_pool), "rpool");
	fake_runner_rule(&f, "zpool export", 1, "");
	assert_int_not_equal(inst_umount(&ctx), 0);
	assert_string_equal(ctx.mounts.zfs_pool, "rpool");
	fake_runner_release(&f);

	/* the stand-in payload (no proxmox-boot-tool): GRUB reads the pool, so only its features */
	fake_runner_init(&f);
	ctx.runner = &f.r;
	ctx.mounts.zfs_pool[0] = '\0';
	ctx.payload_standin = true;
	assert_int_equal(inst_zfs_create(&ctx), 0);
	snprintf(want, sizeof(want), "zpool create -f -o cachefile=none -o ashift=12 "
		 "-o compatibility=grub2 -R %s rpool raidz1 ", target);
	assert_memory_equal(f.calls[0].cmd, want, strlen(want));
	fake_runner_release(&f);
}

static void test_fstab(void **state)
{
	struct inst_layout l;
	struct ip_err err = { 0 };
	char *t;

	(void)state;
	layout(&l, "raid1", 2);
	snprintf(l.esp_uuid, sizeof(l.esp_uuid), "1A2B-3C4D");
	/* no root line: zfs mounts its datasets; the ESP for GRUB */
	t = inst_cfg_fstab_text(&l, &err);
	assert_string_equal(t, "# /etc/fstab: written by ironpass\n"
			    "# <file system> <mount point> <type> <options> <dump> <pass>\n"
			    "UUID=1A2B-3C4D /boot/efi vfat umask=0077 0 1\n"
			    "proc /proc proc defaults 0 0\n");
	free(t);
}

static void test_storage(void **state)
{
	struct inst_layout l;
	struct inst_storage s;
	struct ip_err err = { 0 };
	char *t;

	(void)state;
	layout(&l, "raid1", 2);
	inst_cfg_storage_from_layout(&l, &s);
	assert_int_equal(s.kind, INST_STORE_ZFS);
	assert_string_equal(inst_cfg_storage_vm_id(s.kind), "local-zfs");
	t = inst_cfg_storage_text(&s, &err);
	assert_string_equal(t, "dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup,import\n"
			    "\nzfspool: local-zfs\n\tpool rpool/data\n\tsparse\n"
			    "\tcontent images,rootdir\n");
	free(t);
}

/* Proxmox's test/zfs-arc-max.pl, for pve: total memory (MiB) -> default, and the clamp */
static void test_arc_max(void **state)
{
	static const unsigned long long defaults[][2] = {
		{ 16, 64 }, { 1024, 102 }, { 4 * 1024, 410 }, { 8 * 1024, 819 },
		{ 150 * 1024, 15360 }, { 160 * 1024, 16384 }, { 1024 * 1024, 16384 },
	};
	static const unsigned long long clamps[][3] = {
		{ 0, 4 * 1024, 0 }, { 16, 4 * 1024, 64 }, { 4 * 1024, 4 * 1024, 3 * 1024 },
		{ 4 * 1024, 6 * 1024, 4 * 1024 }, { 8 * 1024, 4 * 1024, 3 * 1024 },
	};
	struct ip_err err = { 0 };
	char *t;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(defaults); i++)
		assert_int_equal(inst_cfg_zfs_arc_default(defaults[i][0]), defaults[i][1]);
	for (size_t i = 0; i < ARRAY_SIZE(clamps); i++)
		assert_int_equal(inst_cfg_zfs_arc_clamp(clamps[i][0], clamps[i][1]), clamps[i][2]);
	/* a small machine: the default is clamped to the minimum */
	assert_int_equal(inst_cfg_zfs_arc_clamp(inst_cfg_zfs_arc_default(1024), 1024), 64);
	/* 4 GiB, nothing given: 410 MiB */
	t = inst_cfg_zfs_modprobe_text(0, 4096, &err);
	assert_string_equal(t, "options zfs zfs_arc_max=429916160\n");
	free(t);
	/* zfs.arc-max = 8192 on 16 GiB: as given, in bytes */
	t = inst_cfg_zfs_modprobe_text(8192, 16384, &err);
	assert_string_equal(t, "options zfs zfs_arc_max=8589934592\n");
	free(t);
	/* zfs.arc-max = 8192 on 4 GiB: memory less 1 GiB */
	t = inst_cfg_zfs_modprobe_text(8192, 4096, &err);
	assert_string_equal(t, "options zfs zfs_arc_max=3221225472\n");
	free(t);
}

/* The configuration step's zfs files: zfs.conf always, the rest for a zfs root. */
static void test_cfg_zfs(void **state)
{
	struct answer a = { .disk = { .filesystem = ANSWER_FS_ZFS, .zfs_arc_max = 2048 } };
	struct inst_ctx ctx = { 0 };
	char *tgt = hwt_new(), *t = NULL;
	size_t len;

	(void)state;
	hwt_file(root, "/etc/hostid", "\x12\x34\x56\x78");
	ctx.sysroot = root;
	ctx.target = tgt;
	ctx.hw = &hw;
	ctx.answer = &a;
	layout(&ctx.layout, "raid1", 2);
	assert_int_equal(inst_cfg_zfs(&ctx), 0);
	assert_int_equal(path_read_all(tgt, INST_ZFS_MODPROBE, 4096, &t, &len), 0);
	assert_string_equal(t, "options zfs zfs_arc_max=2147483648\n");
	free(t);
	assert_int_equal(path_read_all(tgt, INST_GRUB_ZFS_DROPIN, 4096, &t, &len), 0);
	assert_string_equal(t, "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX "
			    "root=ZFS=rpool/ROOT/pve-1 boot=zfs\"\n");
	free(t);
	assert_int_equal(path_read_all(tgt, INST_KERNEL_CMDLINE, 4096, &t, &len), 0);
	assert_string_equal(t, "root=ZFS=rpool/ROOT/pve-1 boot=zfs\n");
	free(t);
	assert_int_equal(path_read_all(tgt, "/etc/hostid", 4096, &t, &len), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(t, "\x12\x34\x56\x78", 4);
	free(t);
	hwt_free(tgt);

	/* an ext4 root: only zfs.conf, with the default for 4 GiB */
	tgt = hwt_new();
	ctx.target = tgt;
	a.disk.filesystem = ANSWER_FS_EXT4;
	snprintf(ctx.layout.root_fstype, sizeof(ctx.layout.root_fstype), "ext4");
	assert_int_equal(inst_cfg_zfs(&ctx), 0);
	assert_int_equal(path_read_all(tgt, INST_ZFS_MODPROBE, 4096, &t, &len), 0);
	assert_string_equal(t, "options zfs zfs_arc_max=429916160\n");
	free(t);
	assert_false(path_exists(tgt, INST_KERNEL_CMDLINE));
	assert_false(path_exists(tgt, INST_GRUB_ZFS_DROPIN));
	assert_false(path_exists(tgt, "/etc/hostid"));
	hwt_free(tgt);
	hwt_rm(root, "/etc/hostid");
}

/*
 * The kernel command line for each loader: the plan's words after the root's,
 * in the file the loader reads (the point: proxmox-boot-uuids does not
 * exist yet when it is written).
 */
static void test_cmdline(void **state)
{
	static char *words[] = { (char *)"intel_iommu=on", (char *)"iommu=pt" };
	struct answer a = { .disk = { .filesystem = ANSWER_FS_ZFS } };
	struct hw uefi = { .fw = HW_FW_UEFI, .secure_boot = HW_NO, .mem_total_kib = 4 << 20 };
	struct inst_ctx ctx = { 0 };
	struct fake_runner f;
	struct plan p = { 0 };
	char *tgt = hwt_new(), *t = NULL;
	size_t len;

	(void)state;
	p.plan_ok = true;
	p.kernel_args = words;
	p.n_kernel_args = 2;
	fake_runner_init(&f);
	ctx.sysroot = root;
	ctx.target = tgt;
	ctx.hw = &uefi;
	ctx.answer = &a;
	ctx.plan = &p;
	ctx.runner = &f.r;
	layout(&ctx.layout, "raid1", 2);
	/* a Proxmox VE payload: systemd-boot reads /etc/kernel/cmdline */
	hwt_file(tgt, INST_PBT_TOOL, "#!/bin/sh\n");
	assert_int_equal(inst_cfg_zfs(&ctx), 0);
	assert_int_equal(inst_cfg_passthrough(&ctx), 0);
	assert_int_equal(ctx.boot, INST_BOOT_PBT_SDBOOT);
	assert_int_equal(path_read_all(tgt, INST_KERNEL_CMDLINE, 4096, &t, &len), 0);
	assert_string_equal(t, "root=ZFS=rpool/ROOT/pve-1 boot=zfs intel_iommu=on iommu=pt\n");
	free(t);
	assert_false(path_exists(tgt, INST_GRUB_DROPIN));
	/* no ESP set up yet: initramfs only, proxmox-boot-tool init refreshes later */
	assert_int_equal(f.n_calls, 1);
	hwt_free(tgt);

	/* the stand-in payload: Debian's GRUB; the root words and the plan's both reach it */
	tgt = hwt_new();
	ctx.target = tgt;
	ctx.boot = INST_BOOT_UNDECIDED;
	assert_int_equal(inst_cfg_zfs(&ctx), 0);
	assert_int_equal(inst_cfg_passthrough(&ctx), 0);
	assert_int_equal(ctx.boot, INST_BOOT_GRUB);
	assert_int_equal(path_read_all(tgt, INST_GRUB_ZFS_DROPIN, 4096, &t, &len), 0);
	assert_non_null(strstr(t, "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX "
			       "root=ZFS=rpool/ROOT/pve-1 boot=zfs\""));
	free(t);
	assert_int_equal(path_read_all(tgt, INST_GRUB_DROPIN, 4096, &t, &len), 0);
	assert_non_null(strstr(t, "\"$GRUB_CMDLINE_LINUX_DEFAULT intel_iommu=on iommu=pt\"\n"));
	free(t);
	/* /etc/kernel/cmdline keeps the root words only: GRUB does not read it */
	assert_int_equal(path_read_all(tgt, INST_KERNEL_CMDLINE, 4096, &t, &len), 0);
	assert_string_equal(t, "root=ZFS=rpool/ROOT/pve-1 boot=zfs\n");
	free(t);
	/* fstab: GRUB's ESP stays mounted on the node, proxmox-boot-tool's does not */
	snprintf(ctx.layout.esp_uuid, sizeof(ctx.layout.esp_uuid), "1A2B-3C4D");
	assert_int_equal(inst_cfg_fstab(&ctx), 0);
	assert_int_equal(path_read_all(tgt, "/etc/fstab", 4096, &t, &len), 0);
	assert_non_null(strstr(t, "UUID=1A2B-3C4D /boot/efi vfat"));
	assert_null(strstr(t, " / zfs"));
	free(t);
	ctx.boot = INST_BOOT_PBT_SDBOOT;
	assert_int_equal(inst_cfg_fstab(&ctx), 0);
	assert_int_equal(path_read_all(tgt, "/etc/fstab", 4096, &t, &len), 0);
	assert_null(strstr(t, "/boot/efi"));
	free(t);
	fake_runner_release(&f);
	hwt_free(tgt);
}

/* GRUB (no proxmox-boot-tool): every disk for BIOS, every ESP for UEFI. */
static void test_boot_grub(void **state)
{
	char target[256], want[2048];
	struct inst_ctx ctx = { 0 };
	struct fake_runner f;
	const char *p;
	struct strbuf all = { 0 };

	(void)state;
	snprintf(target, sizeof(target), "%s/target-grub", root);
	assert_int_equal(path_mkdirs(root, "/target-grub", 0755), 0);	/* the mounted root */
	fake_runner_init(&f);
	ctx.runner = &f.r;
	ctx.sysroot = root;
	ctx.target = target;
	ctx.hw = &hw;	/* BIOS firmware */
	layout(&ctx.layout, "raid1", 2);
	if (inst_boot(&ctx) < 0)
		fail_msg("%s", ctx.err.msg);
	assert_int_equal(ctx.boot, INST_BOOT_GRUB);
	for (size_t i = 0; i < f.n_calls; i++)
		sb_printf(&all, "%s\n", f.calls[i].cmd);
	p = all.buf;
	snprintf(want, sizeof(want), "chroot %s grub-install --target=i386-pc /dev/vda\n"
		 "chroot %s grub-install --target=i386-pc /dev/vdb\n"
		 "chroot %s grub-install --target=x86_64-efi --efi-directory=/boot/efi "
		 "--bootloader-id=proxmox --no-uefi-secure-boot --no-nvram\n", target, target,
		 target);
	assert_non_null(p = strstr(p, want));
	snprintf(want, sizeof(want), "mount -t vfat /dev/vdb2 %s/var/tmp/ironpass-esp\n"
		 "chroot %s grub-install --target=x86_64-efi "
		 "--efi-directory=/var/tmp/ironpass-esp --bootloader-id=proxmox "
		 "--no-uefi-secure-boot --no-nvram\n"
		 "chroot %s grub-install --target=x86_64-efi "
		 "--efi-directory=/var/tmp/ironpass-esp --removable --no-uefi-secure-boot "
		 "--no-nvram\n"
		 "umount %s/var/tmp/ironpass-esp\n"
		 "chroot %s update-grub\n", target, target, target, target, target);
	assert_non_null(p = strstr(p, want));
	assert_null(strstr(all.buf, "proxmox-boot-tool"));
	assert_false(path_exists(target, "/var/tmp/ironpass-esp"));
	sb_release(&all);
	inst_umount(&ctx);
	fake_runner_release(&f);
}

/* proxmox-boot-tool: every ESP, unmounted; its list of ESPs checked afterwards. */
static void test_boot_pbt(void **state)
{
	struct hw uefi = { .fw = HW_FW_UEFI, .secure_boot = HW_NO };
	char target[256], want[2048];
	struct inst_ctx ctx = { 0 };
	struct fake_runner f;
	int i;

	(void)state;
	snprintf(target, sizeof(target), "%s/target-pbt", root);
	hwt_file(root, "/target-pbt" INST_PBT_TOOL, "#!/bin/sh\n");
	hwt_file(root, "/target-pbt" INST_PBT_UUIDS, "1A2B-3C4D\n5E6F-7A8B\n");
	fake_runner_init(&f);
	esp_uuids(&f);
	ctx.runner = &f.r;
	ctx.sysroot = root;
	ctx.target = target;
	ctx.hw = &uefi;
	layout(&ctx.layout, "raid1", 2);
	assert_int_equal(inst_mkfs(&ctx), 0);
	assert_int_equal(inst_mount(&ctx), 0);
	assert_int_equal(inst_boot(&ctx), 0);
	assert_int_equal(ctx.boot, INST_BOOT_PBT_SDBOOT);
	/* /boot/efi is unmounted first (proxmox-boot-tool refuses a mounted ESP) */
	snprintf(want, sizeof(want), "umount %s/boot/efi", target);
	i = fake_runner_find(&f, want);
	assert_int_not_equal(i, -1);
	snprintf(want, sizeof(want), "chroot %s proxmox-boot-tool init /dev/vda2", target);
	assert_string_equal(f.calls[i + 1].cmd, want);
	snprintf(want, sizeof(want), "chroot %s proxmox-boot-tool init /dev/vdb2", target);
	assert_string_equal(f.calls[i + 2].cmd, want);
	assert_int_equal(f.n_calls, (size_t)i + 3);
	snprintf(want, sizeof(want), "chroot %s grub-install", target);
	assert_int_equal(fake_runner_find(&f, want), -1);
	for (unsigned k = 0; k < ctx.mounts.n; k++)
		assert_null(strstr(ctx.mounts.path[k], "/boot/efi"));
	/* the unmount step: the rest, then the export */
	assert_int_equal(inst_umount(&ctx), 0);
	assert_string_equal(f.calls[f.n_calls - 1].cmd, "zpool export rpool");
	fake_runner_release(&f);

	/* an ESP proxmox-boot-tool did not list is an error */
	hwt_file(root, "/target-pbt" INST_PBT_UUIDS, "1A2B-3C4D\n5E6F-7A8\n");
	fake_runner_init(&f);
	esp_uuids(&f);
	memset(&ctx.mounts, 0, sizeof(ctx.mounts));
	ctx.runner = &f.r;
	ctx.boot = INST_BOOT_UNDECIDED;
	assert_int_equal(inst_mkfs(&ctx), 0);
	assert_int_equal(inst_mount(&ctx), 0);
	assert_int_equal(inst_boot(&ctx), -ENOENT);
	assert_string_equal(ctx.err.msg, "proxmox-boot-tool did not list ESP '/dev/vdb2' (UUID "
			    "'5E6F-7A8B') in '/etc/kernel/proxmox-boot-uuids'");
	inst_umount(&ctx);
	fake_runner_release(&f);

	/* Secure Boot: init's GRUB mode (signed), as Proxmox's installer asks */
	hwt_file(root, "/target-pbt" INST_PBT_UUIDS, "1A2B-3C4D\n5E6F-7A8B\n");
	uefi.secure_boot = HW_YES;
	fake_runner_init(&f);
	esp_uuids(&f);
	memset(&ctx.mounts, 0, sizeof(ctx.mounts));
	ctx.runner = &f.r;
	ctx.boot = INST_BOOT_UNDECIDED;
	assert_int_equal(inst_mkfs(&ctx), 0);
	assert_int_equal(inst_mount(&ctx), 0);
	assert_int_equal(inst_boot(&ctx), 0);
	assert_int_equal(ctx.boot, INST_BOOT_PBT_GRUB);
	snprintf(want, sizeof(want), "chroot %s proxmox-boot-tool init /dev/vdb2 grub", target);
	assert_int_not_equal(fake_runner_find(&f, want), -1);
	inst_umount(&ctx);
	fake_runner_release(&f);
}

/* The partition step: Proxmox's BF01 type on every disk; old zfs labels cleared first. */
static void test_partition(void **state)
{
	struct answer *a = calloc(1, sizeof(*a));
	struct inst_ctx ctx = { 0 };
	struct fake_runner f;
	int i;

	(void)state;
	hwt_file(root, "/sys/block/vdb/vdb3/partition", "3\n");
	sigs[2].n = 1;
	snprintf(sigs[2].sig[0].dev, sizeof(sigs[2].sig[0].dev), "/dev/vdb3");
	snprintf(sigs[2].sig[0].type, sizeof(sigs[2].sig[0].type), "zfs_member");
	snprintf(sigs[2].sig[0].label, sizeof(sigs[2].sig[0].label), "rpool");
	struct inst_disk_vgs vgs = { 0 };

	fake_runner_init(&f);
	a->disk = zfs_setup("raid1", 2, "vda", "vdb");
	a->ironpass.wipe = ANSWER_WIPE_ALWAYS;
	ctx.sysroot = root;
	ctx.runner = &f.r;
	ctx.answer = a;
	ctx.hw = &hw;
	ctx.automatic = true;
	assert_int_equal(inst_disk_select_fs(&ctx), 0);
	assert_string_equal(ctx.layout.root_fstype, "zfs");
	assert_string_equal(ctx.layout.root_dev, "rpool/ROOT/pve-1");
	assert_string_equal(ctx.layout.zfs_compress, "on");
	assert_int_equal(ctx.layout.zfs_ashift, 12);
	/* vdb had an old pool: its partition's label is cleared before the wipe */
	assert_int_equal(inst_disk_actions_build(&ctx, sigs, &vgs), 0);
	assert_string_equal(ctx.actions.a[2].desc, "clear the old zfs label on /dev/vdb3");
	assert_int_equal(inst_partition(&ctx), 0);
	i = fake_runner_find(&f, "zpool labelclear -f /dev/vdb3");
	assert_int_not_equal(i, -1);
	assert_string_equal(f.calls[i + 1].cmd, "wipefs -a /dev/vdb3");
	for (size_t k = 0; k < 2; k++) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "sfdisk --wipe always --wipe-partitions always /dev/vd%c",
			 (char)('a' + k));
		i = fake_runner_find(&f, cmd);
		assert_int_not_equal(i, -1);
		assert_string_equal(f.calls[i].input,
				    "label: gpt\n\n"
				    "size=1MiB, type=21686148-6449-6E6F-744E-656564454649\n"
				    "size=512MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n"
				    "type=6A898CC3-1DD2-11B2-99A6-080020736631\n");
	}
	/* a label that cannot be cleared (no zpool) is only a warning */
	fake_runner_release(&f);
	fake_runner_init(&f);
	ctx.runner = &f.r;
	fake_runner_rule(&f, "zpool labelclear", 127, "");
	assert_int_equal(inst_partition(&ctx), 0);
	assert_int_not_equal(fake_runner_find(&f, "wipefs -a /dev/vdb3"), -1);
	fake_runner_release(&f);
	hwt_rm(root, "/sys/block/vdb/vdb3/partition");
	memset(&sigs[2], 0, sizeof(sigs[2]));
	free(a);
}

/* --dry-run from the disk step on: raidz-1 over three disks, zfs.hdsize 40 */
static void test_dry_run_chain(void **state)
{
	static const char tgt[] = "/tmp/ironpass-dry-run-zfs-never-created";
	struct answer *a = calloc(1, sizeof(*a));
	struct inst_ctx ctx = { 0 };
	struct strbuf sb = { 0 };
	struct runner r;
	const char *p;

	(void)state;
	runner_dry_init(&r, fake_runner_record_argv, &sb);
	a->disk = zfs_setup("raidz-1", 3, "vda", "vdb", "vdc");
	a->disk.has_hdsize = true;
	a->disk.hdsize = 40;
	ctx.sysroot = root;
	ctx.target = tgt;
	ctx.runner = &r;
	ctx.answer = a;
	ctx.hw = &hw;
	ctx.dry_run = true;
	assert_int_equal(inst_disk_select_fs(&ctx), 0);
	assert_int_equal(ctx.layout.n_extra, 2);
	assert_non_null(strstr(ctx.actions.a[1].desc, "write a new GPT on /dev/vda: BIOS boot "
			       "1 MiB, EFI system 512 MiB, ZFS 39.5 GiB"));
	assert_string_equal(ctx.actions.a[6].desc, "create zfs pool 'rpool' (raidz-1) on "
			    "/dev/vda3, /dev/vdb3, /dev/vdc3: datasets ROOT/pve-1 (the root), data, "
			    "var-lib-vz");
	assert_string_equal(ctx.actions.a[7].desc, "make filesystems: vfat on /dev/vda2, "
			    "/dev/vdb2, /dev/vdc2");
	assert_int_equal(inst_partition(&ctx), 0);
	assert_int_equal(inst_lvm(&ctx), 0);
	assert_int_equal(inst_mkfs(&ctx), 0);
	assert_int_equal(inst_mount(&ctx), 0);
	assert_int_equal(inst_boot(&ctx), 0);
	assert_int_equal(inst_umount(&ctx), 0);
	p = sb.buf;
	assert_non_null(p = strstr(p, "mkfs.fat -F 32 /dev/vda2\nmkfs.fat -F 32 /dev/vdb2\n"
				   "mkfs.fat -F 32 /dev/vdc2\n"
				   "zpool create -f -o cachefile=none -o ashift=12 -R "
				   "/tmp/ironpass-dry-run-zfs-never-created rpool raidz1 "
				   "/dev/disk/by-id/virtio-QM1-part3 /dev/disk/by-id/virtio-QM2-part3 "
				   "/dev/vdc3\n"));
	assert_non_null(p = strstr(p, "mount -t zfs -o zfsutil rpool/ROOT/pve-1 "
				   "/tmp/ironpass-dry-run-zfs-never-created\n"));
	assert_non_null(p = strstr(p, "grub-install --target=i386-pc /dev/vdc\n"));
	assert_non_null(p = strstr(p, "zfs set sync=standard rpool\nzpool export rpool\n"));
	assert_null(strstr(sb.buf, "pvcreate"));
	assert_null(strstr(sb.buf, "mkswap"));
	assert_false(path_exists(NULL, tgt));
	sb_release(&sb);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_vdevs),
		cmocka_unit_test(test_stable_dev),
		cmocka_unit_test(test_raid1_steps),
		cmocka_unit_test(test_create_options),
		cmocka_unit_test(test_fstab),
		cmocka_unit_test(test_storage),
		cmocka_unit_test(test_arc_max),
		cmocka_unit_test(test_cfg_zfs),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_boot_grub),
		cmocka_unit_test(test_boot_pbt),
		cmocka_unit_test(test_partition),
		cmocka_unit_test(test_dry_run_chain),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
