// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A btrfs root over one or more disks: the disk choice and its refusals, the
 * exact argv of mkfs.btrfs for 1, 2 and 4 disks with each RAID level, the
 * partition step on every disk, the mount with the subvolume, fstab and
 * storage.cfg, and the whole chain in --dry-run.
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
#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "path.h"
#include "target/inst-cfg.h"
#include "util.h"

static struct hw_disk disks[5];
static struct inst_disk_sigs sigs[5];
static struct hw hw;
static char root[64];

static void add_disk(size_t i, const char *name, unsigned gib, const char *serial)
{
	hwb_disk(&disks[i], name, gib, "QEMU HARDDISK", serial, "virtio");
}

static void rmtree(const char *dir)
{
	const char *rm[] = { "rm", "-rf", dir, NULL };
	struct runner r;

	runner_spawn_init(&r);
	runner_check(&r, rm, NULL, NULL);
}

/* hw: the boot medium sda, then vdd, vdb, vda, vdc (not in name order), all blank */
static int setup(void **state)
{
	static const char *const names[] = { "vda", "vdb", "vdc", "vdd" };

	(void)state;
	memset(&hw, 0, sizeof(hw));
	add_disk(0, "sda", 32, "USB1");
	disks[0].is_boot_medium = true;
	add_disk(1, "vdd", 64, "QM4");
	add_disk(2, "vdb", 64, "QM2");
	add_disk(3, "vda", 200, "QM1");
	add_disk(4, "vdc", 64, "QM3");
	hw.disks = disks;
	hw.n_disks = 5;
	hw.mem_total_kib = 4 << 20;
	memset(sigs, 0, sizeof(sigs));
	snprintf(root, sizeof(root), "/tmp/ironpass-btrfs-XXXXXX");
	if (!mkdtemp(root) || path_write_file(root, "/proc/self/mountinfo", "", 0, 0644) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char rel[64], path[PATH_MAX];

		snprintf(rel, sizeof(rel), "/dev/%s", names[i]);
		if (path_write_file(root, rel, "", 0, 0644) < 0 ||
		    path_join(path, sizeof(path), root, rel) < 0 || truncate(path, 1 << 20) < 0)
			return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rmtree(root);
	return 0;
}

static char *list[5];
static struct answer_filter flt[1];

static struct answer_disk_setup btrfs_setup(const char *raid, size_t n, ...)
{
	struct answer_disk_setup ds = { .filesystem = ANSWER_FS_BTRFS, .raid = (char *)raid };
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		list[i] = va_arg(ap, char *);
	va_end(ap);
	ds.disk_list = list;
	ds.n_disk_list = n;
	return ds;
}

static int choose(struct answer_disk_setup *ds, enum answer_wipe wipe,
		  struct inst_disk_choice *c, struct ip_err *err)
{
	struct inst_disk_req req = { .ds = ds, .wipe = wipe, .sigs = sigs };

	ip_err_clear(err);
	return inst_disk_choose_all(&hw, &req, c, err);
}

static void test_choose(void **state)
{
	struct answer_disk_setup ds;
	struct inst_disk_choice c;
	struct ip_err err;

	(void)state;
	/* disk-list order is kept */
	ds = btrfs_setup("raid1", 2, "vdb", "/dev/vda");
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, &c, &err), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.idx[0], 2);
	assert_int_equal(c.idx[1], 3);

	/* raid1 on one disk: refused, naming it */
	ds = btrfs_setup("raid1", 1, "vda");
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, &c, &err), -EINVAL);
	assert_string_equal(err.msg, "btrfs raid1 needs at least 2 disks, but disk-list names 1 "
			    "('vda')");
	/* raid0 on one disk is what Proxmox does for a single disk */
	ds = btrfs_setup("raid0", 1, "vda");
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, &c, &err), 0);
	assert_int_equal(c.n, 1);

	/* a filter takes every disk it matches, sorted by name, never the boot medium */
	flt[0] = (struct answer_filter){ (char *)"ID_MODEL", (char *)"QEMU*" };
	ds = (struct answer_disk_setup){ .filesystem = ANSWER_FS_BTRFS, .raid = (char *)"raid10",
					 .filters = flt, .n_filters = 1 };
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, &c, &err), 0);
	assert_int_equal(c.n, 4);
	assert_string_equal(disks[c.idx[0]].name, "vda");
	assert_string_equal(disks[c.idx[1]].name, "vdb");
	assert_string_equal(disks[c.idx[2]].name, "vdc");
	assert_string_equal(disks[c.idx[3]].name, "vdd");
	flt[0] = (struct answer_filter){ (char *)"ID_SERIAL_SHORT", (char *)"QM[12]" };
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, &c, &err), -EINVAL);
	assert_string_equal(err.msg, "btrfs raid10 needs at least 4 disks, but the filter "
			    "matches 2 ('vda', 'vdb')");

	/* every disk passes every check: the second one not empty refuses the whole set */
	ds = btrfs_setup("raid1", 2, "vda", "vdc");
	sigs[4].n = 1;
	snprintf(sigs[4].sig[0].dev, sizeof(sigs[4].sig[0].dev), "/dev/vdc");
	snprintf(sigs[4].sig[0].type, sizeof(sigs[4].sig[0].type), "btrfs");
	assert_int_equal(choose(&ds, ANSWER_WIPE_NEVER, &c, &err), -EPERM);
	assert_non_null(strstr(err.msg, "disk 'vdc' is not empty (btrfs"));
	/* the boot medium and a disk named twice */
	ds = btrfs_setup("raid1", 2, "vda", "sda");
	assert_int_equal(choose(&ds, ANSWER_WIPE_ALWAYS, &c, &err), -EPERM);
	assert_string_equal(err.msg, "refusing disk 'sda': it is the boot medium of this installer");
	ds = btrfs_setup("raid1", 2, "vda", "/dev/vda");
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, &c, &err), -EINVAL);
	assert_string_equal(err.msg, "disk 'vda' is named twice");
	/* ext4 still uses one disk */
	ds = btrfs_setup("raid1", 2, "vda", "vdb");
	ds.filesystem = ANSWER_FS_EXT4;
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, &c, &err), -EINVAL);
	assert_string_equal(err.msg, "disk-list names 2 disks but filesystem 'ext4' uses one disk");
	assert_int_equal(inst_disk_min(ANSWER_FS_BTRFS, "raid10"), 4);
	assert_int_equal(inst_disk_min(ANSWER_FS_EXT4, "raid10"), 1);
}

/* A btrfs layout on vda, vdb, … (the first @n of them) without the disk step. */
static void layout(struct inst_layout *l, const char *raid, size_t n)
{
	static const char *const names[] = { "vda", "vdb", "vdc", "vdd", "nvme0n1" };

	memset(l, 0, sizeof(*l));
	snprintf(l->disk, sizeof(l->disk), "vda");
	snprintf(l->disk_dev, sizeof(l->disk_dev), "/dev/vda");
	snprintf(l->part_esp, sizeof(l->part_esp), "/dev/vda2");
	snprintf(l->part_lvm, sizeof(l->part_lvm), "/dev/vda3");
	snprintf(l->root_dev, sizeof(l->root_dev), "/dev/vda3");
	snprintf(l->root_fstype, sizeof(l->root_fstype), "btrfs");
	snprintf(l->btrfs_raid, sizeof(l->btrfs_raid), "%s", raid);
	for (size_t k = 1; k < n; k++) {
		struct inst_layout_disk *d = &l->extra[l->n_extra++];

		snprintf(d->disk, sizeof(d->disk), "%s", names[k]);
		snprintf(d->disk_dev, sizeof(d->disk_dev), "/dev/%s", names[k]);
		inst_part_name(d->part_esp, sizeof(d->part_esp), d->disk_dev, 2);
		inst_part_name(d->part_os, sizeof(d->part_os), d->disk_dev, 3);
	}
}

static char *mkfs_cmd(const char *raid, size_t n, int *ret)
{
	struct inst_layout l;
	const char *argv[INST_MAX_DISKS + 8];
	struct ip_err err = { 0 };

	layout(&l, raid, n);
	*ret = inst_btrfs_mkfs_argv(&l, argv, ARRAY_SIZE(argv), &err);
	return *ret < 0 ? strdup(err.msg) : runner_argv_str(argv);
}

static void check_mkfs(const char *raid, size_t n, int want_ret, const char *want)
{
	int ret;
	char *got = mkfs_cmd(raid, n, &ret);

	assert_int_equal(ret, want_ret);
	assert_string_equal(got, want);
	free(got);
}

static void test_mkfs_argv(void **state)
{
	(void)state;
	check_mkfs("raid0", 1, 0, "mkfs.btrfs -f -d raid0 -m raid0 /dev/vda3");
	check_mkfs("raid0", 2, 0, "mkfs.btrfs -f -d raid0 -m raid0 /dev/vda3 /dev/vdb3");
	check_mkfs("raid0", 4, 0,
		   "mkfs.btrfs -f -d raid0 -m raid0 /dev/vda3 /dev/vdb3 /dev/vdc3 /dev/vdd3");
	check_mkfs("raid1", 1, -EINVAL, "btrfs raid1 needs at least 2 disks, not 1");
	check_mkfs("raid1", 2, 0, "mkfs.btrfs -f -d raid1 -m raid1 /dev/vda3 /dev/vdb3");
	check_mkfs("raid1", 4, 0,
		   "mkfs.btrfs -f -d raid1 -m raid1 /dev/vda3 /dev/vdb3 /dev/vdc3 /dev/vdd3");
	check_mkfs("raid10", 2, -EINVAL, "btrfs raid10 needs at least 4 disks, not 2");
	check_mkfs("raid10", 4, 0,
		   "mkfs.btrfs -f -d raid10 -m raid10 /dev/vda3 /dev/vdb3 /dev/vdc3 /dev/vdd3");
	check_mkfs("raid10", 5, 0, "mkfs.btrfs -f -d raid10 -m raid10 /dev/vda3 /dev/vdb3 "
		   "/dev/vdc3 /dev/vdd3 /dev/nvme0n1p3");
	check_mkfs("dup", 1, -EINVAL, "invalid btrfs RAID level 'dup'");
	check_mkfs("raid1;x", 2, -EINVAL, "invalid btrfs RAID level 'raid1;x'");
}

/* the mkfs step: the first ESP only, then one btrfs, then the UUIDs */
static void test_mkfs_step(void **state)
{
	struct inst_ctx ctx = { 0 };
	struct fake_runner f;

	(void)state;
	fake_runner_init(&f);
	ctx.runner = &f.r;
	layout(&ctx.layout, "raid1", 2);
	ctx.layout.logical_block = 512;
	fake_runner_rule(&f, "blkid -c /dev/null -o value -s UUID /dev/vda3", 0,
			 "8d2c3b1a-0f4e-4c7d-9a6b-5e4f3d2c1b0a\n");
	fake_runner_rule(&f, "blkid -c /dev/null -o value -s UUID /dev/vda2", 0, "1A2B-3C4D\n");
	assert_int_equal(inst_mkfs(&ctx), 0);
	assert_int_equal(f.n_calls, 4);
	assert_string_equal(f.calls[0].cmd, "mkfs.fat -F 32 /dev/vda2");
	assert_string_equal(f.calls[1].cmd, "mkfs.btrfs -f -d raid1 -m raid1 /dev/vda3 /dev/vdb3");
	assert_string_equal(f.calls[2].cmd, "blkid -c /dev/null -o value -s UUID /dev/vda3");
	assert_string_equal(f.calls[3].cmd, "blkid -c /dev/null -o value -s UUID /dev/vda2");
	assert_string_equal(ctx.layout.root_uuid, "8d2c3b1a-0f4e-4c7d-9a6b-5e4f3d2c1b0a");
	assert_int_equal(fake_runner_find(&f, "mkswap"), -1);
	fake_runner_release(&f);

	/* the LVM step leaves a btrfs root alone */
	fake_runner_init(&f);
	ctx.runner = &f.r;
	assert_int_equal(inst_lvm(&ctx), 0);
	assert_int_equal(f.n_calls, 0);
	fake_runner_release(&f);
}

/* the mount names every device and makes the subvolume before the ESP */
static void test_mount(void **state)
{
	char target[256], want[512];
	struct inst_ctx ctx = { 0 };
	struct fake_runner f;

	(void)state;
	snprintf(target, sizeof(target), "%s/target", root);
	fake_runner_init(&f);
	ctx.runner = &f.r;
	ctx.target = target;
	ctx.sysroot = root;
	layout(&ctx.layout, "raid10", 4);
	assert_int_equal(inst_mount(&ctx), 0);
	assert_int_equal(f.n_calls, 3);
	snprintf(want, sizeof(want), "mount -t btrfs -o noatime,device=/dev/vdb3,"
		 "device=/dev/vdc3,device=/dev/vdd3 /dev/vda3 %s", target);
	assert_string_equal(f.calls[0].cmd, want);
	snprintf(want, sizeof(want), "btrfs subvolume create %s/var/lib/pve/local-btrfs", target);
	assert_string_equal(f.calls[1].cmd, want);
	snprintf(want, sizeof(want), "mount -t vfat /dev/vda2 %s/boot/efi", target);
	assert_string_equal(f.calls[2].cmd, want);
	assert_true(path_exists(target, "/var/lib/pve"));
	assert_true(path_exists(target, "/var/lib/vz"));
	assert_int_equal(ctx.mounts.n, 2);
	fake_runner_release(&f);

	/* the subvolume fails: the root is unmounted again */
	fake_runner_init(&f);
	ctx.runner = &f.r;
	ctx.mounts.n = 0;
	fake_runner_rule(&f, "btrfs subvolume", 1, "");
	assert_int_not_equal(inst_mount(&ctx), 0);
	assert_int_equal(ctx.mounts.n, 0);
	assert_int_equal(fake_runner_find(&f, "mount -t vfat"), -1);
	snprintf(want, sizeof(want), "umount %s", target);
	assert_int_not_equal(fake_runner_find(&f, want), -1);
	fake_runner_release(&f);
}

static char *fstab(const char *compress)
{
	struct inst_layout l;
	struct ip_err err = { 0 };
	char *t;

	layout(&l, "raid1", 2);
	snprintf(l.root_uuid, sizeof(l.root_uuid), "8d2c3b1a-0f4e-4c7d-9a6b-5e4f3d2c1b0a");
	snprintf(l.esp_uuid, sizeof(l.esp_uuid), "1A2B-3C4D");
	snprintf(l.btrfs_compress, sizeof(l.btrfs_compress), "%s", compress);
	t = inst_cfg_fstab_text(&l, &err);
	return t ? t : strdup(err.msg);
}

static void test_fstab(void **state)
{
	char *t;

	(void)state;
	t = fstab("");
	assert_string_equal(t, "# /etc/fstab: written by ironpass\n"
			    "# <file system> <mount point> <type> <options> <dump> <pass>\n"
			    "UUID=8d2c3b1a-0f4e-4c7d-9a6b-5e4f3d2c1b0a / btrfs defaults 0 1\n"
			    "UUID=1A2B-3C4D /boot/efi vfat umask=0077 0 1\n"
			    "proc /proc proc defaults 0 0\n");
	free(t);
	t = fstab("on");
	assert_non_null(strstr(t, "UUID=8d2c3b1a-0f4e-4c7d-9a6b-5e4f3d2c1b0a / btrfs "
			       "defaults,compress 0 1\n"));
	free(t);
	t = fstab("zstd");
	assert_non_null(strstr(t, " / btrfs defaults,compress=zstd 0 1\n"));
	free(t);
	t = fstab("lzo");
	assert_non_null(strstr(t, " / btrfs defaults,compress=lzo 0 1\n"));
	free(t);
	t = fstab("off");
	assert_non_null(strstr(t, " / btrfs defaults 0 1\n"));
	assert_null(strstr(t, "swap"));
	free(t);
	t = fstab("lz4");
	assert_string_equal(t, "unsupported btrfs compression 'lz4'");
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
	assert_int_equal(s.kind, INST_STORE_BTRFS);
	assert_string_equal(inst_cfg_storage_vm_id(s.kind), "local-btrfs");
	t = inst_cfg_storage_text(&s, &err);
	assert_string_equal(t, "dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n"
			    "\tdisable\n\n"
			    "btrfs: local-btrfs\n\tpath /var/lib/pve/local-btrfs\n"
			    "\tcontent iso,vztmpl,backup,images,rootdir,import\n");
	free(t);
}

/* --dry-run from the disk step on: two disks, raid1, zstd, hdsize 40 */
static void test_dry_run_chain(void **state)
{
	static const char tgt[] = "/tmp/ironpass-dry-run-btrfs-never-created";
	struct answer *a = calloc(1, sizeof(*a));
	struct inst_ctx ctx = { 0 };
	struct strbuf sb = { 0 };
	struct runner r;
	const char *p;

	(void)state;
	runner_dry_init(&r, fake_runner_record_argv, &sb);
	a->disk = btrfs_setup("raid1", 2, "vda", "vdb");
	a->disk.btrfs_compress = (char *)"zstd";
	a->disk.has_hdsize = true;
	a->disk.hdsize = 40;
	ctx.sysroot = root;
	ctx.target = tgt;
	ctx.payload_dir = "/nonexistent/payload";
	ctx.runner = &r;
	ctx.answer = a;
	ctx.hw = &hw;
	ctx.dry_run = true;
	assert_int_equal(inst_disk_select(&ctx), 0);
	assert_string_equal(ctx.layout.root_fstype, "btrfs");
	assert_string_equal(ctx.layout.root_dev, "/dev/vda3");
	assert_string_equal(ctx.layout.btrfs_compress, "zstd");
	assert_int_equal(ctx.layout.n_extra, 1);
	assert_string_equal(ctx.layout.extra[0].part_os, "/dev/vdb3");
	/* the list shown before the first write names both disks */
	assert_non_null(strstr(ctx.actions.a[1].desc, "write a new GPT on /dev/vda: BIOS boot "
			       "1 MiB, EFI system 1.0 GiB, btrfs 39.0 GiB"));
	assert_non_null(strstr(ctx.actions.a[3].desc, "write a new GPT on /dev/vdb: BIOS boot "
			       "1 MiB, EFI system 512 MiB, btrfs 39.5 GiB"));
	assert_string_equal(ctx.actions.a[4].desc, "make a btrfs filesystem (data and metadata "
			    "raid1) on /dev/vda3, /dev/vdb3");
	assert_int_equal(inst_partition(&ctx), 0);
	assert_int_equal(inst_lvm(&ctx), 0);
	assert_int_equal(inst_mkfs(&ctx), 0);
	assert_int_equal(inst_mount(&ctx), 0);
	assert_int_equal(inst_boot(&ctx), 0);
	assert_int_equal(inst_umount(&ctx), 0);
	p = sb.buf;
	assert_non_null(p = strstr(p, "wipefs -a /dev/vda\n"
				   "sfdisk --wipe always --wipe-partitions always /dev/vda\n"
				   "wipefs -a /dev/vdb\n"
				   "sfdisk --wipe always --wipe-partitions always /dev/vdb\n"
				   "partprobe /dev/vda\npartprobe /dev/vdb\n"));
	assert_non_null(p = strstr(p, "mkfs.fat -F 32 /dev/vda2\n"
				   "mkfs.btrfs -f -d raid1 -m raid1 /dev/vda3 /dev/vdb3\n"));
	assert_non_null(p = strstr(p, "mount -t btrfs -o noatime,device=/dev/vdb3 /dev/vda3 "
				   "/tmp/ironpass-dry-run-btrfs-never-created\n"
				   "btrfs subvolume create /tmp/ironpass-dry-run-btrfs-never-created"
				   "/var/lib/pve/local-btrfs\n"));
	assert_non_null(strstr(p, "grub-install --target=i386-pc /dev/vda\n"));
	assert_non_null(strstr(p, "grub-install --target=i386-pc /dev/vdb\n"));
	assert_null(strstr(sb.buf, "pvcreate"));
	assert_null(strstr(sb.buf, "mkswap"));
	assert_false(path_exists(NULL, tgt));
	sb_release(&sb);
	free(a);
}

/* sfdisk scripts: the third partition is Linux filesystem, sized per disk */
static void test_partition_scripts(void **state)
{
	struct answer *a = calloc(1, sizeof(*a));
	struct inst_ctx ctx = { 0 };
	struct fake_runner f;

	(void)state;
	fake_runner_init(&f);
	a->disk = btrfs_setup("raid10", 4, "vda", "vdb", "vdc", "vdd");
	a->ironpass.wipe = ANSWER_WIPE_EMPTY_ONLY;
	ctx.sysroot = root;
	ctx.runner = &f.r;
	ctx.answer = a;
	ctx.hw = &hw;
	assert_int_equal(inst_disk_select(&ctx), 0);
	assert_int_equal(inst_partition(&ctx), 0);
	assert_int_equal(fake_runner_find(&f, "pvs"), 0);
	for (size_t k = 0; k < 4; k++) {
		char cmd[128];
		int i;

		snprintf(cmd, sizeof(cmd), "sfdisk --wipe always --wipe-partitions always /dev/vd%c",
			 (char)('a' + k));
		i = fake_runner_find(&f, cmd);
		assert_int_not_equal(i, -1);
		assert_string_equal(f.calls[i].input,
				    k ? "label: gpt\n\n"
				    "size=1MiB, type=21686148-6449-6E6F-744E-656564454649\n"
				    "size=512MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n"
				    "type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n"
				    : "label: gpt\n\n"
				    "size=1MiB, type=21686148-6449-6E6F-744E-656564454649\n"
				    "size=1024MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n"
				    "type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n");
	}
	fake_runner_release(&f);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_choose, setup, teardown),
		cmocka_unit_test(test_mkfs_argv),
		cmocka_unit_test(test_mkfs_step),
		cmocka_unit_test_setup_teardown(test_mount, setup, teardown),
		cmocka_unit_test(test_fstab),
		cmocka_unit_test(test_storage),
		cmocka_unit_test_setup_teardown(test_dry_run_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partition_scripts, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
