// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LVM sizes by the Proxmox rules (see installer/install/inst-lvm.c), worked out by
 * hand for each row, and the exact pvcreate/vgcreate/lvcreate argv.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "install/inst-disk.h"
#include "install/inst-steps.h"

struct row {
	const char *what;
	unsigned long long pv, mem;
	double swapsize, maxroot, minfree, maxvz;	/* < 0: not set */
	unsigned long long swap, root, minfree_out, data, meta;
};

static const struct row rows[] = {
	/* 12 GiB disk, 2 GiB RAM: hdgb 11 -> swap 1024 (>= 2048 RAM on <= 16 GB);
	 * rest 10749 < 12 GiB -> root 10745 -> 10744; space 4; nothing left for data */
	{ "12G", 11773, 2048, -1, -1, -1, -1, 1024, 10744, 4, 0, 0 },
	/* 32 GiB disk, 8 GiB RAM: hdgb 31 -> swap min(8192, 31*128 = 3968);
	 * rest 28285 < 48 GiB -> root 14142 -> 14140; space 4; data 14140:
	 * meta 141 -> 1024, data 14140 - 2048 - 4 */
	{ "32G", 32253, 8192, -1, -1, -1, -1, 3968, 14140, 4, 12088, 1024 },
	/* 64 GiB disk, 1 GiB RAM: hdgb 63 -> swap 2048; space 63*128 = 8064;
	 * rest 62973 -> root 15743 + 12288 = 28031 -> 28028; data (34945 - 8064) -> 26880 */
	{ "64G", 65021, 1024, -1, -1, -1, -1, 2048, 28028, 8064, 24828, 1024 },
	/* 500 GiB disk, 64 GiB RAM: swap 8192; space 16 GiB; root 96 GiB cap;
	 * data 404477 - 16384 -> 388092: meta 3880, data 388092 - 7760 - 4 */
	{ "500G", 510973, 65536, -1, -1, -1, -1, 8192, 98304, 16384, 380328, 3880 },
	/* 100 GiB with swapsize 0, maxroot 20, minfree 10, maxvz 30 */
	{ "100G-set", 102400, 4096, 0, 20, 10, 30, 0, 20480, 10240, 28668, 1024 },
	/* 4 TiB, 256 GiB RAM: root capped at 96 GiB; data 4087805 - 16384 -> 4071420;
	 * metadata 40714 capped at 16 GiB: data 4071420 - 32768 - 4 */
	{ "4T", 4194304 - 3, 262144, -1, -1, -1, -1, 8192, 98304, 16384, 4038648, 16384 },
	/* minfree larger than what is left after root falls back to the default space */
	{ "minfree-big", 65021, 1024, -1, -1, 1000, -1, 2048, 28028, 8064, 24828, 1024 },
	/* maxvz larger than the rest changes nothing; 4 GiB swap on a 64 GiB disk with
	 * 3 GiB RAM (4096 when < 4096 and hdgb >= 64); root 15616 + 12288; data 34560 - 8320 */
	{ "maxvz-big", 66560, 3072, -1, -1, -1, 5000, 4096, 27904, 8320, 24188, 1024 },
};

static void set(bool *has, double *v, double x)
{
	*has = x >= 0;
	*v = x;
}

static void test_sizes_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct answer_disk_setup ds = { 0 };
		struct inst_lvm_in in = { .pv_mib = r->pv, .mem_mib = r->mem, .ds = &ds };
		struct inst_lvm_sizes out;
		struct ip_err err = { 0 };

		set(&ds.has_swapsize, &ds.swapsize, r->swapsize);
		set(&ds.has_maxroot, &ds.maxroot, r->maxroot);
		set(&ds.has_minfree, &ds.minfree, r->minfree);
		set(&ds.has_maxvz, &ds.maxvz, r->maxvz);
		print_message("row %s\n", r->what);
		assert_int_equal(inst_lvm_sizes(&in, &out, &err), 0);
		assert_int_equal(out.swap, r->swap);
		assert_int_equal(out.root, r->root);
		assert_int_equal(out.minfree, r->minfree_out);
		assert_int_equal(out.data, r->data);
		assert_int_equal(out.meta, r->meta);
		/* everything fits into the PV */
		assert_true(out.swap + out.root + out.data + 2 * out.meta <= r->pv);
	}
}

static void test_sizes_refused(void **state)
{
	struct answer_disk_setup ds = { .has_swapsize = true, .swapsize = 16 };
	struct inst_lvm_in in = { .pv_mib = 8192, .mem_mib = 1024, .ds = &ds };
	struct inst_lvm_sizes out;
	struct ip_err err = { 0 };

	(void)state;
	assert_int_equal(inst_lvm_sizes(&in, &out, &err), -ENOSPC);
	assert_string_equal(err.msg,
			    "lvm.swapsize 16384 MiB leaves no room for root in 8192 MiB");
	in.pv_mib = 1000;
	in.ds = NULL;
	assert_int_equal(inst_lvm_sizes(&in, &out, &err), -ENOSPC);
}

static void ctx_init(struct inst_ctx *ctx, struct fake_runner *f, struct answer *a,
		     struct hw *hw)
{
	memset(ctx, 0, sizeof(*ctx));
	memset(hw, 0, sizeof(*hw));
	fake_runner_init(f);
	memset(a, 0, sizeof(*a));
	hw->mem_total_kib = 8ULL * 1024 * 1024;
	ctx->runner = &f->r;
	ctx->answer = a;
	ctx->hw = hw;
	snprintf(ctx->layout.part_lvm, sizeof(ctx->layout.part_lvm), "/dev/vda3");
}

static void test_lvm_argv(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;
	struct answer a;
	struct hw hw;
	static const char *const want[] = {
		"blockdev --getsize64 /dev/vda3",
		"vgs --noheadings -o vg_name",
		"pvcreate --metadatasize 250k -y -ff /dev/vda3",
		"vgcreate pve /dev/vda3",
		"lvcreate -Wy --yes -L 3968m -n swap pve",
		"lvcreate -Wy --yes -L 14140m -n root pve",
		"lvcreate -Wy --yes -L 12088m -n data pve",
		"lvconvert --yes --type thin-pool --poolmetadatasize 1024m pve/data",
		"vgchange -a y pve",
	};

	(void)state;
	ctx_init(&ctx, &f, &a, &hw);
	fake_runner_push(&f, 0, "33819525120\n", "");	/* 32253 MiB */
	fake_runner_push(&f, 0, "  other\n", "");
	assert_int_equal(inst_lvm(&ctx), 0);
	assert_int_equal(f.n_calls, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < f.n_calls; i++)
		assert_string_equal(f.calls[i].cmd, want[i]);
	assert_string_equal(ctx.layout.root_dev, "/dev/pve/root");
	assert_string_equal(ctx.layout.swap_dev, "/dev/pve/swap");
	assert_string_equal(ctx.layout.data_dev, "pve/data");
	assert_int_equal(ctx.layout.root_mib, 14140);
	fake_runner_release(&f);
}

static void test_lvm_small_no_swap(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;
	struct answer a;
	struct hw hw;

	(void)state;
	ctx_init(&ctx, &f, &a, &hw);
	a.disk.has_swapsize = true;
	a.disk.swapsize = 0;
	fake_runner_push(&f, 0, "12345149952\n", "");	/* 11773 MiB */
	assert_int_equal(inst_lvm(&ctx), 0);
	/* no swap LV: 11773 MiB < 12 GiB -> root 11769 -> 11768, no thin pool */
	assert_int_equal(fake_runner_find(&f, "lvcreate"), 4);
	assert_string_equal(f.calls[4].cmd, "lvcreate -Wy --yes -L 11768m -n root pve");
	assert_string_equal(f.calls[5].cmd, "vgchange -a y pve");
	assert_int_equal(fake_runner_find(&f, "lvconvert"), -1);
	assert_string_equal(ctx.layout.swap_dev, "");
	assert_string_equal(ctx.layout.data_dev, "");
	fake_runner_release(&f);
}

static void test_lvm_existing_vg(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;
	struct answer a;
	struct hw hw;

	(void)state;
	ctx_init(&ctx, &f, &a, &hw);
	fake_runner_push(&f, 0, "33819525120\n", "");
	fake_runner_push(&f, 0, "  data\n  pve\n", "");
	assert_int_equal(inst_lvm(&ctx), -EEXIST);
	assert_int_equal(f.n_calls, 2);		/* nothing created */
	assert_non_null(strstr(ctx.err.msg, "volume group 'pve' already exists"));
	fake_runner_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_table),
		cmocka_unit_test(test_sizes_refused),
		cmocka_unit_test(test_lvm_argv),
		cmocka_unit_test(test_lvm_small_no_swap),
		cmocka_unit_test(test_lvm_existing_vg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
