// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a disk holds, by libblkid: images under a temporary sysroot's /dev,
 * made with the real tools where they work on files (sfdisk, mkfs.ext4,
 * mkswap) and with sig-images.c where they need a kernel (LVM PV, md member)
 * or a tool we do not depend on (LUKS1).
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

#include "detect/hw.h"
#include "install/inst-disk.h"
#include "path.h"
#include "runner.h"
#include "sig-images.h"

static char root[64];
static char img[PATH_MAX];

static void run(const char *const *argv, const char *input)
{
	struct run_opts o = { .input = input, .input_len = input ? strlen(input) : 0 };
	struct runner r;

	runner_spawn_init(&r);
	if (runner_check(&r, argv, &o, NULL) < 0)
		fail_msg("%s", ip_err_msg(&r.err));
}

static int setup(void **state)
{
	const char *trunc[] = { "truncate", "-s", "64M", img, NULL };

	(void)state;
	snprintf(root, sizeof(root), "/tmp/ironpass-sig-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	if (path_mkdirs(root, "/dev", 0755) < 0)
		return -1;
	snprintf(img, sizeof(img), "%s/dev/vda", root);
	run(trunc, NULL);
	return 0;
}

static int teardown(void **state)
{
	const char *rm[] = { "rm", "-rf", root, NULL };

	(void)state;
	run(rm, NULL);
	return 0;
}

static void probe(struct inst_disk_sigs *s)
{
	struct ip_err err = { 0 };

	assert_int_equal(inst_disk_sigs_probe(root, "vda", s, &err), 0);
}

/* index of the signature of @type on @dev, or -1 */
static int find(const struct inst_disk_sigs *s, const char *dev, const char *type)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->sig[i].dev, dev) && !strcmp(s->sig[i].type, type))
			return (int)i;
	return -1;
}

/* two partitions: 1 at 1 MiB (16 MiB), 2 at 17 MiB (32 MiB) */
static void partition(void)
{
	const char *sfdisk[] = { "sfdisk", "-q", img, NULL };

	run(sfdisk, "label: gpt\nsize=16MiB\nsize=32MiB\n");
}

static void test_blank(void **state)
{
	struct inst_disk_sigs s;
	struct hw_disk d = { .name = "vda" };
	char buf[256];

	(void)state;
	probe(&s);
	assert_int_equal(s.n, 0);
	assert_int_equal(s.n_parts, 0);
	assert_true(inst_disk_empty(&d, &s));
	inst_disk_sigs_str(&s, buf, sizeof(buf));
	assert_string_equal(buf, "no signature");
	/* the kernel's partition list alone makes it not empty */
	d.has_partitions = true;
	assert_false(inst_disk_empty(&d, &s));
	d.has_partitions = false;
	/* nor is a disk that could not be read, or one never probed */
	s.unreadable = true;
	assert_false(inst_disk_empty(&d, &s));
	assert_false(inst_disk_empty(&d, NULL));
}

/* a partition table with a filesystem inside a partition: both found, by device */
static void test_table_and_partitions(void **state)
{
	char off[32], buf[512];
	const char *mkfs[] = { "mkfs.ext4", "-F", "-q", "-L", "root", "-E", off, img, "32M", NULL };
	struct inst_disk_sigs s;

	(void)state;
	partition();
	snprintf(off, sizeof(off), "offset=%u", 17u << 20);
	run(mkfs, NULL);
	assert_int_equal(sigimg_md_member(img, 1u << 20, 16u << 20), 0);
	probe(&s);
	assert_int_equal(s.n_parts, 2);
	assert_true(find(&s, "/dev/vda", "gpt") >= 0);
	assert_true(find(&s, "/dev/vda1", "linux_raid_member") >= 0);
	assert_true(find(&s, "/dev/vda2", "ext4") >= 0);
	assert_string_equal(s.sig[find(&s, "/dev/vda2", "ext4")].label, "root");
	inst_disk_sigs_str(&s, buf, sizeof(buf));
	assert_non_null(strstr(buf, "gpt partition table on /dev/vda"));
	assert_non_null(strstr(buf, "ext4 'root' on /dev/vda2"));
	assert_non_null(strstr(buf, "linux_raid_member 'ironpass:e2e' on /dev/vda1"));
}

/* no partition table at all: what is on the whole device still counts */
static void test_whole_disk(void **state)
{
	const char *mkfs[] = { "mkfs.ext4", "-F", "-q", "-L", "data", img, NULL };
	struct inst_disk_sigs s;

	(void)state;
	run(mkfs, NULL);
	probe(&s);
	assert_int_equal(s.n_parts, 0);
	assert_true(find(&s, "/dev/vda", "ext4") >= 0);

	teardown(state);
	setup(state);
	assert_int_equal(sigimg_lvm_pv(img, 0, 64u << 20), 0);
	probe(&s);
	assert_true(find(&s, "/dev/vda", "LVM2_member") >= 0);

	teardown(state);
	setup(state);
	assert_int_equal(sigimg_md_member(img, 0, 64u << 20), 0);
	probe(&s);
	assert_true(find(&s, "/dev/vda", "linux_raid_member") >= 0);

	teardown(state);
	setup(state);
	assert_int_equal(sigimg_luks1(img, 0), 0);
	probe(&s);
	assert_true(find(&s, "/dev/vda", "crypto_LUKS") >= 0);
}

/* swap and LUKS inside partitions (swap made by mkswap in a file, copied in) */
static void test_swap_luks_in_partitions(void **state)
{
	char sw[PATH_MAX];
	const char *trunc[] = { "truncate", "-s", "16M", sw, NULL };
	const char *mkswap[] = { "mkswap", "-q", "-L", "oldswap", sw, NULL };
	struct inst_disk_sigs s;

	(void)state;
	partition();
	snprintf(sw, sizeof(sw), "%s/swap.img", root);
	run(trunc, NULL);
	run(mkswap, NULL);
	assert_int_equal(sigimg_copy_in(img, 1u << 20, sw), 0);
	assert_int_equal(sigimg_luks1(img, 17u << 20), 0);
	probe(&s);
	assert_true(find(&s, "/dev/vda1", "swap") >= 0);
	assert_string_equal(s.sig[find(&s, "/dev/vda1", "swap")].label, "oldswap");
	assert_true(find(&s, "/dev/vda2", "crypto_LUKS") >= 0);
}

/* a disk that cannot be opened is an error, never "empty" */
static void test_unreadable(void **state)
{
	struct inst_disk_sigs s;
	struct ip_err err = { 0 };

	(void)state;
	assert_int_equal(inst_disk_sigs_probe(root, "vdz", &s, &err), -ENOENT);
	assert_string_equal(err.msg, "cannot read '/dev/vdz' to see what it holds: "
			    "No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_blank, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_and_partitions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_swap_luks_in_partitions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
