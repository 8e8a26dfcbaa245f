// SPDX-License-Identifier: GPL-2.0-or-later
/* Who uses a disk: mountinfo, swaps and sysfs holders under a sysroot tree. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hw-tree.h"
#include "install/inst-disk.h"

static void test_mountinfo_line(void **state)
{
	struct inst_mnt m;

	(void)state;
	assert_int_equal(inst_mountinfo_line("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 "
					     "/dev/root rw,errors=continue", &m), 0);
	assert_int_equal(m.major, 98);
	assert_int_equal(m.minor, 0);
	assert_string_equal(m.target, "/mnt2");
	assert_string_equal(m.fstype, "ext3");
	assert_string_equal(m.source, "/dev/root");
	/* no optional fields; escaped blanks in the mount point and the source */
	assert_int_equal(inst_mountinfo_line("40 22 252:2 / /mnt/old\\040data rw - ext4 "
					     "/dev/disk\\011x rw", &m), 0);
	assert_string_equal(m.target, "/mnt/old data");
	assert_string_equal(m.source, "/dev/disk\tx");
	/* several optional fields */
	assert_int_equal(inst_mountinfo_line("1 2 8:1 / /a rw shared:3 master:2 unbindable - "
					     "xfs /dev/sda1 rw", &m), 0);
	assert_string_equal(m.fstype, "xfs");
	/* malformed: no separator, bad device number, too short */
	assert_int_equal(inst_mountinfo_line("1 2 8:1 / /a rw xfs /dev/sda1 rw", &m), -EINVAL);
	assert_int_equal(inst_mountinfo_line("1 2 8x1 / /a rw - xfs /dev/sda1 rw", &m), -EINVAL);
	assert_int_equal(inst_mountinfo_line("1 2 8:1z / /a rw - xfs /dev/sda1 rw", &m), -EINVAL);
	assert_int_equal(inst_mountinfo_line("1 2 8:1", &m), -EINVAL);
	assert_int_equal(inst_mountinfo_line("", &m), -EINVAL);
	assert_int_equal(inst_mountinfo_line("1 2 99999999999:1 / /a rw - xfs x rw", &m), -EINVAL);
}

/*
 * Found by tests/fuzz/fuzz-mountinfo.c: "\000" unescaped to a NUL that cut
 * the field ("\000da" became an empty mount point, "/dev/sda\0001" would be
 * /dev/sda), and a device number without minor ("252:") read as 252:0. The
 * kernel escapes only blanks and backslashes and prints both numbers.
 */
static void test_mountinfo_strict(void **state)
{
	struct inst_mnt m;

	(void)state;
	assert_int_equal(inst_mountinfo_line("40 2 252:2 / \\000da rw - ext4 "
					     "/dev/sda\\0001 rw", &m), 0);
	assert_string_equal(m.target, "\\000da");
	assert_string_equal(m.source, "/dev/sda\\0001");
	assert_int_equal(inst_mountinfo_line("40 2 252: / /a rw - ext4 /dev/vda1 rw", &m),
			 -EINVAL);
	assert_int_equal(inst_mountinfo_line("40 2 :2 / /a rw - ext4 /dev/vda1 rw", &m),
			 -EINVAL);
	assert_int_equal(inst_mountinfo_line("40 2 +8:+1 / /a rw - ext4 /dev/vda1 rw", &m),
			 -EINVAL);
	assert_int_equal(inst_mountinfo_line("40 2 8:-1 / /a rw - ext4 /dev/vda1 rw", &m),
			 -EINVAL);
}

static void test_dm_names(void **state)
{
	char vg[32], lv[32];

	(void)state;
	inst_dm_lvm_name("pve-root", vg, sizeof(vg), lv, sizeof(lv));
	assert_string_equal(vg, "pve");
	assert_string_equal(lv, "root");
	inst_dm_lvm_name("my--vg-lv--a--b", vg, sizeof(vg), lv, sizeof(lv));
	assert_string_equal(vg, "my-vg");
	assert_string_equal(lv, "lv-a-b");
	inst_dm_lvm_name("pve-data_tmeta", vg, sizeof(vg), lv, sizeof(lv));
	assert_string_equal(lv, "data_tmeta");
	inst_dm_lvm_name("noseparator", vg, 4, lv, sizeof(lv));
	assert_string_equal(vg, "nos");
	assert_string_equal(lv, "");
}

/* vda with vda1 (swap), vda2 (LVM PV of "data"), vda3 (md member) */
static char *tree(void)
{
	char *r = hwt_new();

	hwt_file(r, "/proc/self/mountinfo", "22 1 0:21 / /proc rw - proc proc rw\n");
	hwt_file(r, "/proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n");
	hwt_file(r, "/sys/block/vda/dev", "252:0\n");
	for (int i = 1; i <= 3; i++) {
		char p[64], v[16];

		snprintf(p, sizeof(p), "/sys/block/vda/vda%d/dev", i);
		snprintf(v, sizeof(v), "252:%d\n", i);
		hwt_file(r, p, v);
		snprintf(p, sizeof(p), "/sys/block/vda/vda%d/partition", i);
		hwt_file(r, p, "1\n");
	}
	return r;
}

static void users(const char *root, struct inst_disk_users *u, char *buf, size_t size)
{
	struct ip_err err = { 0 };

	assert_int_equal(inst_disk_users(root, "vda", u, &err), 0);
	inst_disk_users_str(u, buf, size);
}

static void test_nobody(void **state)
{
	struct inst_disk_users u;
	char *r = tree(), buf[1024];

	(void)state;
	users(r, &u, buf, sizeof(buf));
	assert_int_equal(u.n_busy, 0);
	assert_int_equal(u.n_idle_vg, 0);
	assert_string_equal(buf, "");
	hwt_free(r);
}

static void test_mount_and_swap(void **state)
{
	struct inst_disk_users u;
	char *r = tree(), buf[1024];

	(void)state;
	/* the whole disk mounted by number, vda1 swap by path */
	hwt_file(r, "/proc/self/mountinfo", "22 1 0:21 / /proc rw - proc proc rw\n"
		 "41 22 252:0 / /media/stick rw,nosuid - vfat /dev/vda rw\n");
	hwt_file(r, "/proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n"
		 "/dev/vda1                               partition\t4194300\t0\t-2\n");
	users(r, &u, buf, sizeof(buf));
	assert_int_equal(u.n_busy, 2);
	assert_string_equal(buf, "'/dev/vda' is in use: mounted on '/media/stick'; "
			    "'/dev/vda1' is in use: active swap");
	hwt_free(r);
}

static void test_holders(void **state)
{
	struct inst_disk_users u;
	char *r = tree(), buf[2048];

	(void)state;
	/* an active LVM volume on vda2 that nobody uses: its group is to be stopped */
	hwt_file(r, "/sys/block/vda/vda2/holders/dm-0", "");
	hwt_file(r, "/sys/block/dm-0/dev", "254:0\n");
	hwt_file(r, "/sys/block/dm-0/dm/name", "data-lv0\n");
	hwt_file(r, "/sys/block/dm-0/dm/uuid", "LVM-abcdef\n");
	users(r, &u, buf, sizeof(buf));
	assert_int_equal(u.n_busy, 0);
	assert_int_equal(u.n_idle_vg, 1);
	assert_string_equal(u.idle_vg[0], "data");

	/* mounted through /dev/mapper: busy, naming the volume and the mount */
	hwt_file(r, "/proc/self/mountinfo", "50 1 254:0 / /srv rw - ext4 /dev/mapper/data-lv0 rw\n");
	users(r, &u, buf, sizeof(buf));
	assert_int_equal(u.n_idle_vg, 0);
	assert_string_equal(buf, "'/dev/vda2' is in use: held by 'dm-0' (LVM volume 'data/lv0', "
			    "mounted on '/srv')");

	/* vda3 in an assembled md array, itself an LVM PV with an active volume */
	hwt_file(r, "/sys/block/vda/vda3/holders/md127", "");
	hwt_file(r, "/sys/block/md127/dev", "9:127\n");
	hwt_file(r, "/sys/block/md127/holders/dm-1", "");
	hwt_file(r, "/sys/block/dm-1/dev", "254:1\n");
	hwt_file(r, "/sys/block/dm-1/dm/name", "raid-home\n");
	hwt_file(r, "/sys/block/dm-1/dm/uuid", "LVM-123\n");
	hwt_file(r, "/proc/self/mountinfo", "");
	users(r, &u, buf, sizeof(buf));
	assert_int_equal(u.n_busy, 1);
	assert_string_equal(buf, "'/dev/vda3' is in use: held by 'md127' (RAID array, "
			    "held by 'dm-1' (LVM volume 'raid/home'))");

	/* a dm-crypt mapping on the whole disk */
	hwt_file(r, "/sys/block/vda/holders/dm-2", "");
	hwt_file(r, "/sys/block/dm-2/dev", "254:2\n");
	hwt_file(r, "/sys/block/dm-2/dm/name", "luks-root\n");
	hwt_file(r, "/sys/block/dm-2/dm/uuid", "CRYPT-LUKS2-abc-luks-root\n");
	users(r, &u, buf, sizeof(buf));
	assert_int_equal(u.n_busy, 2);
	assert_non_null(strstr(buf, "'/dev/vda' is in use: held by 'dm-2' (dm-crypt 'luks-root')"));
	hwt_free(r);
}

static void test_missing_mountinfo(void **state)
{
	struct inst_disk_users u;
	struct ip_err err = { 0 };
	char *r = hwt_new();

	(void)state;
	/* without mountinfo nothing can be said: an error, not "nobody" */
	assert_int_equal(inst_disk_users(r, "vda", &u, &err), -ENOENT);
	assert_string_equal(err.msg, "cannot read '/proc/self/mountinfo' to see whether 'vda' is "
			    "in use: No such file or directory");
	assert_int_equal(inst_disk_users(r, "../x", &u, &err), -EINVAL);
	hwt_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mountinfo_line),
		cmocka_unit_test(test_mountinfo_strict),
		cmocka_unit_test(test_dm_names),
		cmocka_unit_test(test_nobody),
		cmocka_unit_test(test_mount_and_swap),
		cmocka_unit_test(test_holders),
		cmocka_unit_test(test_missing_mountinfo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
