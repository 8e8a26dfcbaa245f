// SPDX-License-Identifier: GPL-2.0-or-later
/* Disk selection: disk-list, udev-style filters, and every refusal. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "hw-build.h"
#include "hw-tree.h"
#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "log-capture.h"
#include "path.h"
#include "util.h"

static struct hw_disk disks[4];
static struct inst_disk_sigs sigs[4];	/* all empty unless a test says otherwise */
static struct hw hw;

static void add_disk(size_t i, const char *name, unsigned gib, const char *model,
		     const char *serial, const char *transport)
{
	hwb_disk(&disks[i], name, gib, model, serial, transport);
}

static int setup(void **state)
{
	(void)state;
	memset(&hw, 0, sizeof(hw));
	add_disk(0, "sda", 32, "SanDisk Cruzer", "4C53000", "usb");
	disks[0].is_boot_medium = true;
	add_disk(1, "vda", 64, "QEMU HARDDISK", "QM00001", "virtio");
	add_disk(2, "vdb", 64, "QEMU HARDDISK", "QM00002", "virtio");
	add_disk(3, "nvme0n1", 4, "Tiny NVMe", "NV1", "nvme");
	hw.disks = disks;
	hw.n_disks = 4;
	memset(sigs, 0, sizeof(sigs));
	return 0;
}

static struct answer_filter flt[2];
static char *list[2];

static int choose_auto(struct answer_disk_setup *ds, enum answer_wipe wipe, bool confirmed,
		       bool automatic, size_t *idx, struct ip_err *err)
{
	struct inst_disk_req req = { .ds = ds, .wipe = wipe, .confirmed = confirmed,
				     .automatic = automatic, .sigs = sigs };

	ip_err_clear(err);
	return inst_disk_choose(&hw, &req, idx, err);
}

static int choose(struct answer_disk_setup *ds, enum answer_wipe wipe, bool confirmed,
		  size_t *idx, struct ip_err *err)
{
	return choose_auto(ds, wipe, confirmed, false, idx, err);
}

static void test_disk_list(void **state)
{
	struct answer_disk_setup ds = { 0 };
	struct ip_err err;
	size_t idx = 99;

	(void)state;
	list[0] = (char *)"vdb";
	ds.disk_list = list;
	ds.n_disk_list = 1;
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), 0);
	assert_int_equal(idx, 2);

	list[0] = (char *)"/dev/vda";
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), 0);
	assert_int_equal(idx, 1);

	list[0] = (char *)"sdz";
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), -ENODEV);
	assert_string_equal(err.msg, "disk 'sdz' from disk-list not found");

	list[0] = (char *)"vda";
	list[1] = (char *)"vdb";
	ds.n_disk_list = 2;
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), -EINVAL);
	assert_string_equal(err.msg, "disk-list names 2 disks but filesystem 'ext4' uses one disk");
}

static void test_boot_medium(void **state)
{
	struct answer_disk_setup ds = { 0 };
	struct ip_err err;
	size_t idx;

	(void)state;
	list[0] = (char *)"sda";
	ds.disk_list = list;
	ds.n_disk_list = 1;
	assert_int_equal(choose(&ds, ANSWER_WIPE_ALWAYS, true, &idx, &err), -EPERM);
	assert_string_equal(err.msg,
			    "refusing disk 'sda': it is the boot medium of this installer");

	/* a filter matching only the boot medium names it */
	flt[0] = (struct answer_filter){ (char *)"ID_BUS", (char *)"usb" };
	ds = (struct answer_disk_setup){ .filters = flt, .n_filters = 1 };
	assert_int_equal(choose(&ds, ANSWER_WIPE_ALWAYS, true, &idx, &err), -EPERM);
	assert_string_equal(err.msg, "filter (filter.ID_BUS = 'usb') matches only disk 'sda', "
			    "the boot medium of this installer");
}

static void test_filter_ambiguous(void **state)
{
	struct answer_disk_setup ds = { 0 };
	struct ip_err err;
	size_t idx;

	(void)state;
	flt[0] = (struct answer_filter){ (char *)"ID_MODEL", (char *)"QEMU*" };
	ds.filters = flt;
	ds.n_filters = 1;
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), -EINVAL);
	assert_string_equal(err.msg, "filter matches 2 disks ('vda', 'vdb') where one is needed");

	/* narrowed by serial: one disk */
	flt[1] = (struct answer_filter){ (char *)"ID_SERIAL_SHORT", (char *)"QM00002" };
	ds.n_filters = 2;
	ds.filter_match = ANSWER_MATCH_ALL;
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), 0);
	assert_int_equal(idx, 2);
	/* "any" of the two matches both again */
	ds.filter_match = ANSWER_MATCH_ANY;
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), -EINVAL);
}

static void test_filter_keys(void **state)
{
	struct answer_disk_setup ds = { .filters = flt, .n_filters = 1 };
	struct ip_err err;
	size_t idx;

	(void)state;
	flt[0] = (struct answer_filter){ (char *)"DEVNAME", (char *)"/dev/vda" };
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), 0);
	assert_int_equal(idx, 1);
	flt[0] = (struct answer_filter){ (char *)"ID_SERIAL", (char *)"QEMU_HARDDISK_QM00001" };
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), 0);
	assert_int_equal(idx, 1);
	flt[0] = (struct answer_filter){ (char *)"ID_PATH", (char *)"pci-*" };	/* no udev data: no match */
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), -ENODEV);
	assert_string_equal(err.msg, "no disk matches the filter (filter.ID_PATH = 'pci-*')");
}

static void test_too_small(void **state)
{
	struct answer_disk_setup ds = { 0 };
	struct ip_err err;
	size_t idx;

	(void)state;
	list[0] = (char *)"nvme0n1";
	ds.disk_list = list;
	ds.n_disk_list = 1;
	assert_int_equal(choose(&ds, ANSWER_WIPE_ALWAYS, false, &idx, &err), -ENOSPC);
	assert_string_equal(err.msg,
			    "disk 'nvme0n1' is too small: 4.0 GiB, need at least 8.0 GiB");
	list[0] = (char *)"vda";
	ds.has_hdsize = true;
	ds.hdsize = 100;
	assert_int_equal(choose(&ds, ANSWER_WIPE_ALWAYS, false, &idx, &err), -ENOSPC);
	assert_string_equal(err.msg, "lvm.hdsize 100.0 GiB is larger than disk 'vda' (64.0 GiB)");
}

static void test_partitions_need_wipe(void **state)
{
	struct answer_disk_setup ds = { 0 };
	struct ip_err err;
	size_t idx;

	(void)state;
	disks[1].has_partitions = true;
	disks[1].n_partitions = 3;
	list[0] = (char *)"vda";
	ds.disk_list = list;
	ds.n_disk_list = 1;
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), -EPERM);
	assert_string_equal(err.msg, "disk 'vda' is not empty (the kernel lists 3 partitions on "
			    "it): refusing to wipe it without [ironpass] wipe = \"always\" or a "
			    "confirmation on screen");
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, true, &idx, &err), 0);
	assert_int_equal(choose_auto(&ds, ANSWER_WIPE_ALWAYS, false, true, &idx, &err), 0);
}

/* any signature makes a disk not empty, with or without a partition table */
static void test_signatures_not_empty(void **state)
{
	struct answer_disk_setup ds = { 0 };
	struct ip_err err;
	size_t idx;

	(void)state;
	list[0] = (char *)"vdb";
	ds.disk_list = list;
	ds.n_disk_list = 1;
	sigs[2].n = 1;
	snprintf(sigs[2].sig[0].dev, sizeof(sigs[2].sig[0].dev), "/dev/vdb");
	snprintf(sigs[2].sig[0].type, sizeof(sigs[2].sig[0].type), "LVM2_member");
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), -EPERM);
	assert_string_equal(err.msg, "disk 'vdb' is not empty (LVM2_member on /dev/vdb): refusing "
			    "to wipe it without [ironpass] wipe = \"always\" or a confirmation "
			    "on screen");
	/* a disk that could not be probed is not empty either */
	memset(&sigs[2], 0, sizeof(sigs[2]));
	sigs[2].unreadable = true;
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), -EPERM);
	assert_non_null(strstr(err.msg, "could not be read"));
	/* nor one that was never probed */
	sigs[2].unreadable = false;
	{
		struct inst_disk_req req = { .ds = &ds, .wipe = ANSWER_WIPE_EMPTY_ONLY };

		assert_int_equal(inst_disk_choose(&hw, &req, &idx, &err), -EPERM);
	}
	/* the empty disk passes */
	assert_int_equal(choose(&ds, ANSWER_WIPE_EMPTY_ONLY, false, &idx, &err), 0);
	assert_int_equal(idx, 2);
}

/* never: refused even when confirmed; always: unattended only with ironpass.auto */
static void test_wipe_policies(void **state)
{
	struct answer_disk_setup ds = { 0 };
	struct ip_err err;
	size_t idx;

	(void)state;
	list[0] = (char *)"vda";
	ds.disk_list = list;
	ds.n_disk_list = 1;
	sigs[1].n = 1;
	snprintf(sigs[1].sig[0].dev, sizeof(sigs[1].sig[0].dev), "/dev/vda");
	snprintf(sigs[1].sig[0].type, sizeof(sigs[1].sig[0].type), "ext4");
	snprintf(sigs[1].sig[0].label, sizeof(sigs[1].sig[0].label), "data");
	assert_int_equal(choose(&ds, ANSWER_WIPE_NEVER, true, &idx, &err), -EPERM);
	assert_string_equal(err.msg, "disk 'vda' is not empty (ext4 'data' on /dev/vda): "
			    "[ironpass] wipe = \"never\" refuses to wipe it");
	assert_int_equal(choose_auto(&ds, ANSWER_WIPE_NEVER, true, true, &idx, &err), -EPERM);
	assert_int_equal(choose(&ds, ANSWER_WIPE_ALWAYS, false, &idx, &err), -EPERM);
	assert_string_equal(err.msg, "disk 'vda' is not empty (ext4 'data' on /dev/vda): an "
			    "unattended wipe needs 'ironpass.auto' on the kernel command line "
			    "(or --auto)");
	assert_int_equal(choose_auto(&ds, ANSWER_WIPE_ALWAYS, false, true, &idx, &err), 0);
	assert_int_equal(choose(&ds, ANSWER_WIPE_ALWAYS, true, &idx, &err), 0);
	assert_int_equal(choose_auto(&ds, ANSWER_WIPE_EMPTY_ONLY, false, true, &idx, &err), -EPERM);
	/* an empty disk is fine under every policy, attended or not */
	memset(&sigs[1], 0, sizeof(sigs[1]));
	assert_int_equal(choose(&ds, ANSWER_WIPE_NEVER, false, &idx, &err), 0);
}

static void test_no_choice_and_fs(void **state)
{
	struct answer_disk_setup ds = { 0 };
	struct ip_err err;
	size_t idx;

	(void)state;
	assert_int_equal(choose(&ds, ANSWER_WIPE_ALWAYS, false, &idx, &err), -EINVAL);
	assert_string_equal(err.msg, "no target disk: set disk-list or filter in [disk-setup]");
	/* a zfs answer is judged like any other (no longer refused for its filesystem) */
	ds.filesystem = ANSWER_FS_ZFS;
	assert_int_equal(choose(&ds, ANSWER_WIPE_ALWAYS, false, &idx, &err), -EINVAL);
	assert_string_equal(err.msg, "invalid zfs RAID level ''");
}

static void test_part_names(void **state)
{
	char b[64];

	(void)state;
	assert_int_equal(inst_part_name(b, sizeof(b), "/dev/vda", 3), 0);
	assert_string_equal(b, "/dev/vda3");
	assert_int_equal(inst_part_name(b, sizeof(b), "/dev/nvme0n1", 2), 0);
	assert_string_equal(b, "/dev/nvme0n1p2");
	assert_int_equal(inst_part_name(b, sizeof(b), "/dev/loop7", 1), 0);
	assert_string_equal(b, "/dev/loop7p1");
	assert_int_equal(inst_part_name(b, 8, "/dev/loop7", 1), -ENAMETOOLONG);
}

static void test_allowlists(void **state)
{
	(void)state;
	assert_true(inst_dev_ok("/dev/vda3"));
	assert_true(inst_dev_ok("/dev/pve/root"));
	assert_true(inst_dev_ok("/dev/disk/by-id/ata-X_Y:1"));
	assert_false(inst_dev_ok("/dev/../etc/passwd"));
	assert_false(inst_dev_ok("/dev/"));
	assert_false(inst_dev_ok("/tmp/x"));
	assert_false(inst_dev_ok("/dev/sda;reboot"));
	assert_false(inst_dev_ok("/dev/sd a"));
	assert_true(inst_fstype_ok("xfs"));
	assert_true(inst_fstype_ok("btrfs"));
	assert_false(inst_fstype_ok("zfs"));
	assert_false(inst_fstype_ok("ext4,rw"));
	assert_true(inst_pkg_ok("proxmox-ve"));
	assert_true(inst_pkg_ok("libstdc++6"));
	assert_false(inst_pkg_ok("-oDebug=1"));
	assert_false(inst_pkg_ok("Foo"));
	assert_false(inst_pkg_ok("a b"));
	assert_true(inst_path_ok("/target"));
	assert_false(inst_path_ok("target"));
	assert_false(inst_path_ok("/target/../etc"));
}

/* A sysroot for the step: /proc/self/mountinfo and an empty image per disk in /dev. */
static void step_root(const char *root)
{
	static const char *const names[] = { "vda", "vdb", "nvme0n1" };

	assert_int_equal(path_write_file(root, "/proc/self/mountinfo", "", 0, 0644), 0);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char rel[64], path[PATH_MAX];

		snprintf(rel, sizeof(rel), "/dev/%s", names[i]);
		assert_int_equal(path_write_file(root, rel, "", 0, 0644), 0);
		assert_int_equal(path_join(path, sizeof(path), root, rel), 0);
		assert_int_equal(truncate(path, 1 << 20), 0);	/* sparse, all zeros: blank */
	}
}

static void rm_root(const char *root)
{
	const char *rm[] = { "rm", "-rf", root, NULL };
	struct runner r;

	runner_spawn_init(&r);
	runner_check(&r, rm, NULL, NULL);
}

/* The udev database text: "E:" lines with a '=', up to @len or the first NUL. */
static void test_udev_parse(void **state)
{
	static const char db[] = "S:disk/by-id/ata-QEMU_HARDDISK_QM00001\nW:7\nI:1234\n"
				 "E:ID_ATA=1\nE:ID_MODEL=QEMU_HARDDISK\n\nE:NOEQUALS\nE:\n"
				 "G:systemd\nE:ID_SERIAL=QEMU_HARDDISK_QM00001\0E:HIDDEN=1\n";
	struct inst_udev_props p;

	(void)state;
	assert_int_equal(inst_udev_parse(db, sizeof(db) - 1, &p), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.kv[0], "ID_ATA=1");
	assert_string_equal(p.kv[1], "ID_MODEL=QEMU_HARDDISK");
	assert_string_equal(p.kv[2], "ID_SERIAL=QEMU_HARDDISK_QM00001");
	inst_udev_release(&p);
	/* the length cuts the last line, which needs no newline */
	assert_int_equal(inst_udev_parse("E:A=1\nE:B=22", 11, &p), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.kv[1], "B=2");
	inst_udev_release(&p);
	assert_int_equal(inst_udev_parse("", 0, &p), 0);
	assert_int_equal(p.n, 0);
	assert_null(p.kv);
}

/* The step reads udev data under sysroot and fills the layout. */
static void test_step_udev(void **state)
{
	char root[] = "/tmp/ironpass-disk-XXXXXX";
	static const char udev[] = "S:disk/by-path/pci-0000:00:05.0\nE:ID_PATH=pci-0000:00:05.0\n"
				   "E:ID_MODEL=Fancy_Disk\n";
	struct answer *a = calloc(1, sizeof(*a));
	struct inst_ctx ctx = { 0 };
	struct fake_runner f;

	(void)state;
	assert_non_null(mkdtemp(root));
	step_root(root);
	assert_int_equal(path_write_file(root, "/sys/block/vdb/dev", "252:16\n", 7, 0644), 0);
	assert_int_equal(path_write_file(root, "/run/udev/data/b252:16", udev, sizeof(udev) - 1,
					 0644), 0);
	memset(a, 0, sizeof(*a));
	flt[0] = (struct answer_filter){ (char *)"ID_PATH", (char *)"pci-0000:00:05.*" };
	a->disk.filters = flt;
	a->disk.n_filters = 1;
	fake_runner_init(&f);
	ctx.sysroot = root;
	ctx.runner = &f.r;
	ctx.answer = a;
	ctx.hw = &hw;
	assert_int_equal(inst_disk_select(&ctx), 0);
	assert_string_equal(ctx.layout.disk, "vdb");
	assert_string_equal(ctx.layout.disk_dev, "/dev/vdb");
	assert_string_equal(ctx.layout.part_bios, "/dev/vdb1");
	assert_string_equal(ctx.layout.part_esp, "/dev/vdb2");
	assert_string_equal(ctx.layout.part_lvm, "/dev/vdb3");
	assert_int_equal(ctx.layout.esp_mib, 512);
	assert_string_equal(ctx.layout.root_fstype, "ext4");
	/* udev's ID_MODEL wins over the sysfs model */
	flt[0] = (struct answer_filter){ (char *)"ID_MODEL", (char *)"Fancy_*" };
	assert_int_equal(inst_disk_select(&ctx), 0);
	assert_string_equal(ctx.layout.disk, "vdb");
	/* selection only asks LVM what it knows: it writes nothing */
	assert_int_equal(f.n_calls, 2);
	assert_string_equal(f.calls[0].cmd, "pvs --noheadings -o pv_name,vg_name");
	assert_string_equal(f.calls[1].cmd, "pvs --noheadings -o pv_name,vg_name");
	fake_runner_release(&f);
	free(a);
	rm_root(root);
}

/*
 * Before anything is written the step names the disk, what it holds and the
 * whole list of destructive actions; a disk in use is refused, naming its user.
 */
static void test_step_checks(void **state)
{
	char root[] = "/tmp/ironpass-disk-XXXXXX";
	struct answer *a = calloc(1, sizeof(*a));
	struct inst_ctx ctx = { 0 };
	struct fake_runner f;
	const char *log;

	(void)state;
	assert_non_null(mkdtemp(root));
	step_root(root);
	hwt_file(root, "/sys/block/vda/dev", "252:0\n");
	hwt_file(root, "/sys/block/vda/vda1/dev", "252:1\n");
	hwt_file(root, "/sys/block/vda/vda1/partition", "1\n");
	hwt_file(root, "/sys/block/vda/vda2/dev", "252:2\n");
	hwt_file(root, "/sys/block/vda/vda2/partition", "2\n");
	disks[1].has_partitions = true;
	disks[1].n_partitions = 2;
	list[0] = (char *)"vda";
	a->disk.disk_list = list;
	a->disk.n_disk_list = 1;
	a->ironpass.wipe = ANSWER_WIPE_ALWAYS;
	fake_runner_init(&f);
	fake_runner_rule(&f, "pvs", 0, "  /dev/vda2 old\n  /dev/vdb1 other\n");
	ctx.sysroot = root;
	ctx.runner = &f.r;
	ctx.answer = a;
	ctx.hw = &hw;
	ctx.automatic = true;
	log_capture_start();
	assert_int_equal(inst_disk_select(&ctx), 0);
	log_capture_stop();
	log = log_captured();
	assert_non_null(strstr(log, "target disk: /dev/vda (model 'QEMU HARDDISK', serial "
			       "'QM00001', 64.0 GiB)\n"));
	assert_non_null(strstr(log, "/dev/vda holds: the kernel lists 2 partitions on it\n"));
	assert_non_null(strstr(log, "destructive actions, in this order"));
	assert_non_null(strstr(log, "  1. deactivate volume group 'old' (it has physical volumes "
			       "on /dev/vda)\n  2. wipe the signatures on /dev/vda1\n"
			       "  3. wipe the signatures on /dev/vda2\n"
			       "  4. wipe the signatures on /dev/vda\n"
			       "  5. write a new GPT on /dev/vda: BIOS boot 1 MiB, EFI system 512 MiB,"
			       " LVM 63.5 GiB (the rest)\n"));
	assert_int_equal(ctx.actions.n, 7);
	assert_int_equal(f.n_calls, 1);		/* pvs only */

	/* the second partition is mounted: refused, naming it and where */
	hwt_file(root, "/proc/self/mountinfo",
		 "22 1 0:21 / /proc rw - proc proc rw\n"
		 "40 22 252:2 / /mnt/old\\040data rw,relatime - ext4 /dev/vda2 rw\n");
	assert_int_equal(inst_disk_select(&ctx), -EBUSY);
	assert_string_equal(ctx.err.msg, "refusing to write to '/dev/vda': '/dev/vda2' is in use: "
			    "mounted on '/mnt/old data'");
	/* active swap on the first */
	hwt_file(root, "/proc/self/mountinfo", "");
	hwt_file(root, "/proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n"
		 "/dev/vda1   partition\t1048572\t0\t-2\n");
	assert_int_equal(inst_disk_select(&ctx), -EBUSY);
	assert_string_equal(ctx.err.msg, "refusing to write to '/dev/vda': '/dev/vda1' is in use: "
			    "active swap");
	fake_runner_release(&f);
	free(a);
	rm_root(root);
}

/* --dry-run: every step shows its argv, nothing is written anywhere. */
static void test_dry_run_chain(void **state)
{
	static const char tgt[] = "/tmp/ironpass-dry-run-target-never-created";
	char root[] = "/tmp/ironpass-disk-XXXXXX";
	struct answer *a = calloc(1, sizeof(*a));
	struct inst_ctx ctx = { 0 };
	struct strbuf sb = { 0 };
	struct runner r;

	(void)state;
	runner_dry_init(&r, fake_runner_record_argv, &sb);
	list[0] = (char *)"vda";
	a->disk.disk_list = list;
	a->disk.n_disk_list = 1;
	hw.mem_total_kib = 4 << 20;
	assert_non_null(mkdtemp(root));
	step_root(root);
	ctx.sysroot = root;
	ctx.target = tgt;
	ctx.payload_dir = "/nonexistent/payload";
	ctx.runner = &r;
	ctx.answer = a;
	ctx.hw = &hw;
	ctx.dry_run = true;
	assert_int_equal(inst_disk_select(&ctx), 0);
	assert_int_equal(inst_partition(&ctx), 0);
	assert_int_equal(inst_lvm(&ctx), 0);
	assert_int_equal(inst_mkfs(&ctx), 0);
	assert_int_equal(inst_mount(&ctx), 0);
	assert_int_equal(inst_unpack(&ctx), 0);
	assert_int_equal(inst_pkgs(&ctx), 0);
	assert_int_equal(inst_boot(&ctx), 0);
	assert_int_equal(inst_umount(&ctx), 0);
	assert_non_null(strstr(sb.buf, "sfdisk --wipe always --wipe-partitions always /dev/vda\n"));
	/* 64 GiB disk, 4 GiB RAM: swap 4096 (hdgb 63 < 64 keeps RAM), root by the rules */
	assert_non_null(strstr(sb.buf, "lvcreate -Wy --yes -L 4096m -n swap pve\n"));
	assert_non_null(strstr(sb.buf, "mkfs.ext4 -F -q /dev/pve/root\n"));
	assert_non_null(strstr(sb.buf, "apt-get"));
	assert_non_null(strstr(sb.buf, "grub-install --target=i386-pc /dev/vda\n"));
	assert_string_equal(ctx.layout.root_uuid, "00000000-0000-0000-0000-000000000000");
	assert_false(path_exists(NULL, tgt));
	sb_release(&sb);
	free(a);
	rm_root(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_disk_list, setup),
		cmocka_unit_test_setup(test_boot_medium, setup),
		cmocka_unit_test_setup(test_filter_ambiguous, setup),
		cmocka_unit_test_setup(test_filter_keys, setup),
		cmocka_unit_test_setup(test_too_small, setup),
		cmocka_unit_test_setup(test_partitions_need_wipe, setup),
		cmocka_unit_test_setup(test_signatures_not_empty, setup),
		cmocka_unit_test_setup(test_wipe_policies, setup),
		cmocka_unit_test_setup(test_no_choice_and_fs, setup),
		cmocka_unit_test(test_part_names),
		cmocka_unit_test(test_allowlists),
		cmocka_unit_test(test_udev_parse),
		cmocka_unit_test_setup(test_step_udev, setup),
		cmocka_unit_test_setup(test_step_checks, setup),
		cmocka_unit_test_setup(test_dry_run_chain, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
