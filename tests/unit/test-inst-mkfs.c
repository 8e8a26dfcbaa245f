// SPDX-License-Identifier: GPL-2.0-or-later
/* mkfs: exact argv for ESP, swap, ext4/xfs root, and UUIDs from blkid. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "install/inst-disk.h"
#include "install/inst-steps.h"

static void layout(struct inst_ctx *ctx, struct fake_runner *f, const char *fs, unsigned lb)
{
	struct inst_layout *l = &ctx->layout;

	memset(ctx, 0, sizeof(*ctx));
	fake_runner_init(f);
	ctx->runner = &f->r;
	snprintf(l->part_esp, sizeof(l->part_esp), "/dev/vda2");
	snprintf(l->root_dev, sizeof(l->root_dev), "/dev/pve/root");
	snprintf(l->swap_dev, sizeof(l->swap_dev), "/dev/pve/swap");
	snprintf(l->root_fstype, sizeof(l->root_fstype), "%s", fs);
	l->logical_block = lb;
}

static void push_ok(struct fake_runner *f, unsigned n)
{
	while (n--)
		fake_runner_push(f, 0, "", "");
}

static void test_mkfs_ext4(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;
	static const char *const want[] = {
		"mkfs.fat -F 32 /dev/vda2",
		"mkswap -f /dev/pve/swap",
		"mkfs.ext4 -F -q /dev/pve/root",
		"blkid -c /dev/null -o value -s UUID /dev/pve/root",
		"blkid -c /dev/null -o value -s UUID /dev/vda2",
		"blkid -c /dev/null -o value -s UUID /dev/pve/swap",
	};

	(void)state;
	layout(&ctx, &f, "ext4", 512);
	push_ok(&f, 3);
	fake_runner_push(&f, 0, "0b4d9e52-4c43-4bb0-a6a5-5f3b1c1e9c01\n", "");
	fake_runner_push(&f, 0, "1A2B-3C4D\n", "");
	fake_runner_push(&f, 0, "5e1f7f42-9f3c-4c7d-8d4e-0a1b2c3d4e5f\n", "");
	assert_int_equal(inst_mkfs(&ctx), 0);
	assert_int_equal(f.n_calls, 6);
	for (size_t i = 0; i < f.n_calls; i++)
		assert_string_equal(f.calls[i].cmd, want[i]);
	assert_string_equal(ctx.layout.root_uuid, "0b4d9e52-4c43-4bb0-a6a5-5f3b1c1e9c01");
	assert_string_equal(ctx.layout.esp_uuid, "1A2B-3C4D");
	assert_string_equal(ctx.layout.swap_uuid, "5e1f7f42-9f3c-4c7d-8d4e-0a1b2c3d4e5f");
	fake_runner_release(&f);
}

static void test_mkfs_xfs_4kn_noswap(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;

	(void)state;
	layout(&ctx, &f, "xfs", 4096);
	ctx.layout.swap_dev[0] = '\0';
	push_ok(&f, 2);
	fake_runner_push(&f, 0, "0b4d9e52-4c43-4bb0-a6a5-5f3b1c1e9c01\n", "");
	fake_runner_push(&f, 0, "1A2B-3C4D\n", "");
	assert_int_equal(inst_mkfs(&ctx), 0);
	assert_int_equal(f.n_calls, 4);
	assert_string_equal(f.calls[0].cmd, "mkfs.fat -F 32 -s 1 /dev/vda2");
	assert_string_equal(f.calls[1].cmd, "mkfs.xfs -f -q /dev/pve/root");
	fake_runner_release(&f);
}

static void test_mkfs_refusals(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;

	(void)state;
	layout(&ctx, &f, "jfs", 512);
	push_ok(&f, 2);
	assert_int_equal(inst_mkfs(&ctx), -EINVAL);
	assert_string_equal(ctx.err.msg, "filesystem type 'jfs' not allowed");
	assert_int_equal(fake_runner_find(&f, "mkfs.jfs"), -1);
	fake_runner_release(&f);

	/* a zfs root is a dataset of the pool: an LVM layout is refused before anything runs */
	layout(&ctx, &f, "zfs", 512);
	assert_int_equal(inst_mkfs(&ctx), -EINVAL);
	assert_string_equal(ctx.err.msg, "a zfs root is 'rpool/ROOT/pve-1', without swap");
	assert_int_equal(f.n_calls, 0);
	fake_runner_release(&f);

	/* a btrfs root lies on the partitions themselves: an LVM layout is refused */
	layout(&ctx, &f, "btrfs", 512);
	snprintf(ctx.layout.btrfs_raid, sizeof(ctx.layout.btrfs_raid), "raid0");
	push_ok(&f, 2);
	assert_int_equal(inst_mkfs(&ctx), -EINVAL);
	assert_int_equal(fake_runner_find(&f, "mkfs.btrfs"), -1);
	fake_runner_release(&f);

	layout(&ctx, &f, "ext4", 512);
	snprintf(ctx.layout.part_esp, sizeof(ctx.layout.part_esp), "/dev/vda2 -O x");
	assert_int_equal(inst_mkfs(&ctx), -EINVAL);
	assert_int_equal(f.n_calls, 0);
	fake_runner_release(&f);

	/* blkid printing nothing is an error: fstab needs the UUID */
	layout(&ctx, &f, "ext4", 512);
	push_ok(&f, 4);
	assert_int_equal(inst_mkfs(&ctx), -EINVAL);
	assert_string_equal(ctx.err.msg, "no filesystem UUID on '/dev/pve/root'");
	fake_runner_release(&f);

	/* a failing mkfs stops the step */
	layout(&ctx, &f, "ext4", 512);
	fake_runner_push(&f, 1, "", "mkfs.fat: unable to open /dev/vda2\n");
	assert_int_equal(inst_mkfs(&ctx), -EIO);
	assert_int_equal(f.n_calls, 1);
	fake_runner_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mkfs_ext4),
		cmocka_unit_test(test_mkfs_xfs_4kn_noswap),
		cmocka_unit_test(test_mkfs_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
