// SPDX-License-Identifier: GPL-2.0-or-later
/* Partitioning: the sfdisk script (a pure function) and the exact argv sequence. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "hw-tree.h"
#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "path.h"

static void test_esp_size(void **state)
{
	(void)state;
	assert_int_equal(inst_esp_mib(32 * GIB), 512);
	assert_int_equal(inst_esp_mib(100 * GIB), 512);
	assert_int_equal(inst_esp_mib(100 * GIB + 1), 1024);
	assert_int_equal(inst_esp_mib(2048 * GIB), 1024);
}

static void test_script(void **state)
{
	char *s;

	(void)state;
	s = inst_part_script(512, 0, INST_PART_TYPE_LVM);
	assert_string_equal(s,
		"label: gpt\n"
		"\n"
		"size=1MiB, type=21686148-6449-6E6F-744E-656564454649\n"
		"size=512MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n"
		"type=E6D6D379-F507-44C2-A23C-238F2A3DF928\n");
	free(s);
	s = inst_part_script(1024, 40960, INST_PART_TYPE_LVM);
	assert_non_null(strstr(s, "size=1024MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n"));
	assert_non_null(strstr(s, "size=40960MiB, type=E6D6D379-F507-44C2-A23C-238F2A3DF928\n"));
	free(s);
}

/* GPT stores a GUID's first three fields little-endian, the rest as written. */
static void guid_bytes(const char *guid, unsigned char out[16])
{
	unsigned a, b, c, d[8];

	assert_int_equal(sscanf(guid, "%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &a, &b, &c,
				&d[0], &d[1], &d[2], &d[3], &d[4], &d[5], &d[6], &d[7]), 11);
	for (int i = 0; i < 4; i++)
		out[i] = (unsigned char)(a >> (8 * i));
	out[4] = (unsigned char)b;
	out[5] = (unsigned char)(b >> 8);
	out[6] = (unsigned char)c;
	out[7] = (unsigned char)(c >> 8);
	for (int i = 0; i < 8; i++)
		out[8 + i] = (unsigned char)d[i];
}

/*
 * The BIOS boot type is the one GRUB's gpt embed code looks for: on disk its
 * sixteen bytes spell "Hah!IdontNeedEFI". Checked from the script itself, so a
 * mistyped GUID cannot pass by being copied into the test too.
 */
static void test_bios_boot_type_bytes(void **state)
{
	char *s = inst_part_script(512, 0, INST_PART_TYPE_LVM);
	const char *t = strstr(s, "size=1MiB, type=");
	unsigned char raw[16];

	(void)state;
	assert_non_null(t);
	guid_bytes(t + strlen("size=1MiB, type="), raw);
	assert_memory_equal(raw, "Hah!IdontNeedEFI", 16);
	free(s);
}

static char root[64];

static void rmtree(const char *dir)
{
	const char *rm[] = { "rm", "-rf", dir, NULL };
	struct runner r;

	runner_spawn_init(&r);
	runner_check(&r, rm, NULL, NULL);
}

/* each partitioning test gets its own sysroot, removed even when it fails */
static int root_setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/ironpass-part-XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int root_teardown(void **state)
{
	(void)state;
	rmtree(root);
	return 0;
}

static void ctx_init(struct inst_ctx *ctx, struct fake_runner *f, struct answer *a,
		     unsigned long long disk_gib)
{
	memset(ctx, 0, sizeof(*ctx));
	fake_runner_init(f);
	memset(a, 0, sizeof(*a));
	ctx->runner = &f->r;
	ctx->answer = a;
	ctx->sysroot = root;
	snprintf(ctx->layout.disk, sizeof(ctx->layout.disk), "vda");
	snprintf(ctx->layout.disk_dev, sizeof(ctx->layout.disk_dev), "/dev/vda");
	snprintf(ctx->layout.part_esp, sizeof(ctx->layout.part_esp), "/dev/vda2");
	snprintf(ctx->layout.part_lvm, sizeof(ctx->layout.part_lvm), "/dev/vda3");
	ctx->layout.disk_mib = disk_gib * 1024;
	ctx->layout.esp_mib = inst_esp_mib(disk_gib * GIB);
	assert_int_equal(path_write_file(root, "/proc/self/mountinfo", "", 0, 0644), 0);
}

/* partitions the kernel lists for vda, each with its sysfs "partition" file */
static void kernel_parts(const char *const *names)
{
	for (; *names; names++) {
		char rel[128];

		snprintf(rel, sizeof(rel), "/sys/block/vda/%s/partition", *names);
		assert_int_equal(path_write_file(root, rel, "1\n", 2, 0644), 0);
	}
}

/* what the disk step decides, from `pvs` output */
static int plan(struct inst_ctx *ctx, const char *pvs)
{
	struct inst_disk_vgs vgs;
	int ret;

	ret = inst_part_sizes(&ctx->layout, &ctx->answer->disk, &ctx->err);
	if (ret == 0)
		ret = inst_disk_vgs(ctx->sysroot, ctx->layout.disk, pvs, &vgs, &ctx->err);
	if (ret == 0)
		ret = inst_disk_actions_build(ctx, NULL, &vgs);
	return ret;
}

static void test_partition_argv(void **state)
{
	static const char *const parts[] = { "vda10", "vda2", "vda3", NULL };
	struct inst_ctx ctx;
	struct fake_runner f;
	struct answer a;

	(void)state;
	/* the disk holds three partitions: their signatures go first, in name order */
	kernel_parts(parts);
	ctx_init(&ctx, &f, &a, 200);
	/* an old install's VG on this disk is deactivated; others are left alone */
	assert_int_equal(plan(&ctx, "  /dev/vda3  pve\n  /dev/vda10 old\n  /dev/vdb1  data\n"
			      "  /dev/vdaa1 pve2\n  /dev/vda2\n"), 0);
	assert_int_equal(inst_partition(&ctx), 0);
	assert_int_equal(f.n_calls, 9);
	assert_string_equal(f.calls[0].cmd, "vgchange -a n pve");
	assert_string_equal(f.calls[1].cmd, "vgchange -a n old");
	assert_string_equal(f.calls[2].cmd, "wipefs -a /dev/vda2");
	assert_string_equal(f.calls[3].cmd, "wipefs -a /dev/vda3");
	assert_string_equal(f.calls[4].cmd, "wipefs -a /dev/vda10");
	assert_string_equal(f.calls[5].cmd, "wipefs -a /dev/vda");
	assert_string_equal(f.calls[6].cmd,
			    "sfdisk --wipe always --wipe-partitions always /dev/vda");
	assert_string_equal(f.calls[6].input,
		"label: gpt\n"
		"\n"
		"size=1MiB, type=21686148-6449-6E6F-744E-656564454649\n"
		"size=1024MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n"
		"type=E6D6D379-F507-44C2-A23C-238F2A3DF928\n");
	assert_string_equal(f.calls[7].cmd, "partprobe /dev/vda");
	assert_string_equal(f.calls[8].cmd, "udevadm settle --timeout=30");
	assert_int_equal(ctx.layout.lvm_mib, 200 * 1024 - 1024 - 3);
	fake_runner_release(&f);
}

static void test_partition_hdsize(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;
	struct answer a;

	(void)state;
	ctx_init(&ctx, &f, &a, 64);
	a.disk.has_hdsize = true;
	a.disk.hdsize = 32;
	assert_int_equal(plan(&ctx, ""), 0);
	assert_int_equal(inst_partition(&ctx), 0);
	assert_string_equal(f.calls[0].cmd, "wipefs -a /dev/vda");
	assert_non_null(strstr(f.calls[1].input,
			       "size=32254MiB, type=E6D6D379-F507-44C2-A23C-238F2A3DF928\n"));
	assert_int_equal(ctx.layout.lvm_mib, 32 * 1024 - 512 - 2);
	fake_runner_release(&f);
}

/* Volume groups: a PV is on the disk only when sysfs says so, never by its name. */
static void test_vgs(void **state)
{
	static const char *const parts[] = { "vda1", "vda3", NULL };
	struct inst_disk_vgs vgs;
	struct ip_err err = { 0 };

	(void)state;
	kernel_parts(parts);
	/* "vda10" is not a partition of this vda (none listed): a 'pve' there is elsewhere */
	assert_int_equal(inst_disk_vgs(root, "vda", "  /dev/vda10 pve\n", &vgs, &err), -EEXIST);
	assert_string_equal(err.msg, "volume group 'pve' already exists on '/dev/vda10': rename "
			    "or remove it first (vgrename/vgremove)");
	hwt_file(root, "/sys/block/nvme0n1/nvme0n1p3/partition", "3\n");
	assert_int_equal(inst_disk_vgs(root, "nvme0n1", "  /dev/nvme0n10 pve\n", &vgs, &err),
			 -EEXIST);
	assert_int_equal(inst_disk_vgs(root, "nvme0n1", "  /dev/nvme0n1p3 pve\n", &vgs, &err), 0);
	assert_int_equal(vgs.n, 1);
	assert_string_equal(vgs.vg[0], "pve");
	/* a group on this disk and another one: wiping would break it */
	assert_int_equal(inst_disk_vgs(root, "vda", "  /dev/vda3 data\n  /dev/sdb1 data\n", &vgs,
				       &err), -EBUSY);
	assert_string_equal(err.msg, "volume group 'data' has physical volumes on '/dev/vda3' and "
			    "on '/dev/sdb1' (another disk): wiping 'vda' would break it; move its "
			    "data off first (pvmove, vgreduce)");
	/* a PV on an opened LUKS device built on vda1 is on vda too */
	hwt_file(root, "/sys/block/dm-4/dm/name", "cryptpv\n");
	hwt_file(root, "/sys/block/dm-4/slaves/vda1", "");
	assert_int_equal(inst_disk_vgs(root, "vda", "  /dev/mapper/cryptpv secret\n", &vgs, &err),
			 0);
	assert_int_equal(vgs.n, 1);
	assert_string_equal(vgs.vg[0], "secret");
}

static void test_partition_fails(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;
	struct answer a;

	(void)state;
	ctx_init(&ctx, &f, &a, 64);
	assert_int_equal(plan(&ctx, ""), 0);
	fake_runner_push(&f, 0, "", "");
	fake_runner_push(&f, 1, "", "sfdisk: cannot open /dev/vda: Device or resource busy\n");
	assert_int_equal(inst_partition(&ctx), -EIO);
	assert_int_equal(f.n_calls, 2);		/* nothing after the failing sfdisk */
	assert_string_equal(ctx.err.msg, "'sfdisk' failed with exit status 1: sfdisk: cannot "
			    "open /dev/vda: Device or resource busy");
	fake_runner_release(&f);

	/* nothing decided by the disk step: nothing runs */
	ctx_init(&ctx, &f, &a, 64);
	assert_int_equal(inst_partition(&ctx), -EINVAL);
	assert_int_equal(f.n_calls, 0);
	fake_runner_release(&f);

	/* the disk got mounted after the disk step: refused before the first wipe */
	ctx_init(&ctx, &f, &a, 64);
	hwt_file(root, "/sys/block/vda/vda3/partition", "3\n");
	assert_int_equal(plan(&ctx, "  /dev/vda3 old\n"), 0);
	hwt_file(root, "/sys/block/vda/dev", "252:0\n");
	hwt_file(root, "/proc/self/mountinfo", "30 1 252:0 / /media/x rw - ext4 /dev/vda rw\n");
	assert_int_equal(inst_partition(&ctx), -EBUSY);
	assert_int_equal(f.n_calls, 1);		/* the deactivation only */
	assert_string_equal(f.calls[0].cmd, "vgchange -a n old");
	assert_string_equal(ctx.err.msg, "refusing to write to '/dev/vda': '/dev/vda' is in use: "
			    "mounted on '/media/x'");
	fake_runner_release(&f);

	/* a device name outside the allowlist never reaches an argv */
	ctx_init(&ctx, &f, &a, 64);
	assert_int_equal(plan(&ctx, ""), 0);
	snprintf(ctx.layout.disk_dev, sizeof(ctx.layout.disk_dev), "/dev/vda;x");
	assert_int_equal(inst_partition(&ctx), -EINVAL);
	assert_int_equal(f.n_calls, 0);
	fake_runner_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_esp_size),
		cmocka_unit_test(test_script),
		cmocka_unit_test(test_bios_boot_type_bytes),
		cmocka_unit_test_setup_teardown(test_partition_argv, root_setup, root_teardown),
		cmocka_unit_test_setup_teardown(test_partition_hdsize, root_setup, root_teardown),
		cmocka_unit_test_setup_teardown(test_vgs, root_setup, root_teardown),
		cmocka_unit_test_setup_teardown(test_partition_fails, root_setup, root_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
