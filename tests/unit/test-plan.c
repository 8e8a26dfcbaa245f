// SPDX-License-Identifier: GPL-2.0-or-later
/* plan_build(): GPU choice, group check, kernel command line, refusals. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hw-build.h"
#include "plan-fixture.h"
#include "plan/plan.h"

static bool has(char *const *arr, size_t n, const char *needle)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(arr[i], needle))
			return true;
	return false;
}

static bool has_word(const char *w)
{
	for (size_t i = 0; i < plan.n_kernel_args; i++)
		if (!strcmp(plan.kernel_args[i], w))
			return true;
	return false;
}

static void test_auto_picks_discrete_non_boot(void **state)
{
	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	plan_fx_build();
	assert_true(plan.plan_ok);
	assert_int_equal(plan.n_gpus, 1);
	assert_string_equal(plan.gpus[0].slot, "0000:01:00");
	assert_int_equal(plan.gpus[0].n_fn, 4);
	assert_string_equal(plan.gpus[0].fn[3].addr, "0000:01:00.3");
	assert_true(plan.gpus[0].has_vga);
	assert_false(plan.gpus[0].is_boot);
	assert_string_equal(plan.gpus[0].hostpci, "0000:01:00,pcie=1,x-vga=1");
	assert_true(has(plan.decisions, plan.n_decisions,
			"isolate 0000:01:00 (NVIDIA Corporation TU104 [GeForce RTX 2080 Rev. A]): "
			"discrete, not the boot GPU (boot GPU is 0000:00:02.0)"));
	assert_string_equal(plan.cmdline, "intel_iommu=on iommu=pt");
	assert_int_equal(plan.n_refusals, 0);
}

static void test_boot_by_framebuffer(void **state)
{
	(void)state;
	/* boot_vga absent on both: the firmware framebuffer in the NVIDIA BAR marks it */
	hwb_intel_hybrid_nvidia(&hw);
	for (size_t i = 0; i < hw.n_gpus; i++)
		hw.gpus[i].is_boot = false;
	for (size_t i = 0; i < hw.n_pci; i++)
		hw.pci[i].boot_vga = HW_UNKNOWN;
	hw.pci[hw.gpus[1].display].fb_in_bar = true;
	plan_fx_build();
	/* the only discrete GPU is the boot GPU: taken, with the sysfb word and a warning */
	assert_true(plan.plan_ok);
	assert_true(plan.gpus[0].is_boot);
	assert_true(has_word("initcall_blacklist=sysfb_init"));
	assert_false(has_word("video=efifb:off"));
	assert_true(has(plan.warnings, plan.n_warnings, "is the boot GPU"));
}

static void test_single_gpu_refused(void **state)
{
	size_t i;

	(void)state;
	hwb_init(&hw);
	i = hwb_pci(&hw, "0000:01:00.0", 0x10de, 0x2484, 0x030000, "nouveau", 1);
	hwb_pci(&hw, "0000:01:00.1", 0x10de, 0x228b, 0x040300, "snd_hda_intel", 1);
	(void)i;
	hwb_gpu(&hw, "0000:01:00.0", true);
	hwb_groups(&hw);
	plan_fx_build();
	assert_false(plan.plan_ok);
	assert_true(has(plan.refusals, plan.n_refusals,
			"single GPU ('0000:01:00.0'): passing it through leaves the host"));
	assert_true(has(plan.refusals, plan.n_refusals, "allow-single-gpu = true"));
	/* a refused plan writes nothing */
	assert_int_equal(plan.n_gpus, 0);
	assert_int_equal(plan.n_files, 0);
	assert_int_equal(plan.n_kernel_args, 0);
	assert_null(plan.modprobe_conf);
}

static void test_single_gpu_allowed(void **state)
{
	(void)state;
	hwb_init(&hw);
	hwb_pci(&hw, "0000:01:00.0", 0x10de, 0x2484, 0x030000, "nouveau", 1);
	hwb_pci(&hw, "0000:01:00.1", 0x10de, 0x228b, 0x040300, "snd_hda_intel", 1);
	hwb_gpu(&hw, "0000:01:00.0", true);
	hwb_groups(&hw);
	pt.allow_single_gpu = true;
	plan_fx_build();
	assert_true(plan.plan_ok);
	assert_int_equal(plan.n_gpus, 1);
	assert_true(has_word("initcall_blacklist=sysfb_init"));
	assert_false(has(plan.kernel_args, plan.n_kernel_args, "efifb"));
	assert_true(has(plan.warnings, plan.n_warnings, "host loses its console"));
}

static void test_no_gpu_refused(void **state)
{
	(void)state;
	hwb_init(&hw);
	hwb_pci(&hw, "0000:00:1f.6", 0x8086, 0x15bc, 0x020000, "e1000e", 5);
	hwb_groups(&hw);
	plan_fx_build();
	assert_false(plan.plan_ok);
	assert_true(has(plan.refusals, plan.n_refusals, "no GPU found"));
}

static void test_gpu_none(void **state)
{
	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	pt.gpu = ANSWER_GPU_NONE;
	plan_fx_build();
	assert_true(plan.plan_ok);
	assert_int_equal(plan.n_gpus, 0);
	assert_int_equal(plan.n_modules, 0);
	assert_int_equal(plan.n_files, 0);
	assert_string_equal(plan.cmdline, "intel_iommu=on iommu=pt");
	assert_int_equal(plan.vm.n_hostpci, 0);
	assert_string_equal(plan.vm.vga, "std");
}

static void test_list_by_id_and_address(void **state)
{
	char *ids[] = { (char *)"10de:1e87" };
	char *addrs[] = { (char *)"01:00.1" };

	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	pt.gpu = ANSWER_GPU_LIST;
	pt.gpu_list = ids;
	pt.n_gpu_list = 1;
	plan_fx_build();
	assert_true(plan.plan_ok);
	assert_string_equal(plan.gpus[0].slot, "0000:01:00");
	plan_release(&plan);

	/* any function's address picks its whole slot */
	pt.gpu_list = addrs;
	plan_fx_build();
	assert_true(plan.plan_ok);
	assert_string_equal(plan.gpus[0].slot, "0000:01:00");
	assert_int_equal(plan.gpus[0].n_fn, 4);
}

static void test_list_unknown_entries(void **state)
{
	char *bad[] = { (char *)"1002:73bf", (char *)"0000:00:1f.3", (char *)"rtx2080",
			(char *)"0000:07:00.0" };

	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	pt.gpu = ANSWER_GPU_LIST;
	pt.gpu_list = bad;
	pt.n_gpu_list = 4;
	plan_fx_build();
	assert_false(plan.plan_ok);
	assert_int_equal(plan.n_refusals, 4);
	assert_string_equal(plan.refusals[0], "'1002:73bf' in [passthrough] gpu matches no "
			    "device of this machine");
	assert_true(has(plan.refusals, plan.n_refusals, "'0000:00:1f.3' in [passthrough] gpu "
			"is not a GPU: it is '0000:00:1f.3' (class 040380)"));
	assert_true(has(plan.refusals, plan.n_refusals, "invalid entry 'rtx2080'"));
	assert_true(has(plan.refusals, plan.n_refusals, "'0000:07:00.0' in [passthrough] gpu "
			"matches no device"));
}

static void test_list_all_gpus_needs_allow_single(void **state)
{
	char *both[] = { (char *)"0000:00:02.0", (char *)"0000:01:00.0" };

	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	pt.gpu = ANSWER_GPU_LIST;
	pt.gpu_list = both;
	pt.n_gpu_list = 2;
	plan_fx_build();
	assert_false(plan.plan_ok);
	assert_true(has(plan.refusals, plan.n_refusals, "single GPU"));
	plan_release(&plan);
	pt.allow_single_gpu = true;
	plan_fx_build();
	assert_true(plan.plan_ok);
	assert_int_equal(plan.n_gpus, 2);
	assert_string_equal(plan.vm.hostpci[0], "0000:00:02,pcie=1,x-vga=1");
	assert_string_equal(plan.vm.hostpci[1], "0000:01:00,pcie=1,x-vga=1");
	assert_true(has(plan.warnings, plan.n_warnings, "integrated GPU"));
}

static void shared_group_machine(void)
{
	hwb_init(&hw);
	hwb_pci(&hw, "0000:00:02.0", 0x8086, 0x3e92, 0x030000, "i915", 2);
	hwb_pci(&hw, "0000:00:1c.0", 0x8086, 0xa338, 0x060400, "pcieport", 9);
	hwb_pci(&hw, "0000:00:1c.4", 0x8086, 0xa33c, 0x060400, "pcieport", 9);
	hwb_pci(&hw, "0000:02:00.0", 0x10de, 0x1c82, 0x030000, "nouveau", 9);
	hwb_pci(&hw, "0000:02:00.1", 0x10de, 0x0fb9, 0x040300, "snd_hda_intel", 9);
	hwb_names(&hw, hwb_pci(&hw, "0000:03:00.0", 0x10ec, 0x8168, 0x020000, "r8169", 9),
		  "Realtek Semiconductor Co., Ltd.", "RTL8111/8168/8411 Ethernet");
	hwb_gpu(&hw, "0000:00:02.0", true);
	hwb_gpu(&hw, "0000:02:00.0", false);
	hwb_groups(&hw);
}

static void test_group_shared_refused(void **state)
{
	(void)state;
	shared_group_machine();
	plan_fx_build();
	assert_false(plan.plan_ok);
	assert_true(has(plan.refusals, plan.n_refusals,
			"IOMMU group 9 of '0000:02:00.0' also holds '0000:03:00.0' (Realtek "
			"Semiconductor Co., Ltd. RTL8111/8168/8411 Ethernet)"));
	/* bridges in the group are not named */
	assert_false(has(plan.refusals, plan.n_refusals, "00:1c.4"));
	assert_true(has(plan.refusals, plan.n_refusals, "acs-override = true"));
}

static void test_group_acs_override(void **state)
{
	(void)state;
	shared_group_machine();
	pt.acs_override = true;
	plan_fx_build();
	assert_true(plan.plan_ok);
	assert_true(has_word("pcie_acs_override=downstream,multifunction"));
	assert_true(has(plan.warnings, plan.n_warnings, "security risk"));
	assert_true(has(plan.warnings, plan.n_warnings, "ACS override patch"));
}

static void test_acs_not_added_when_clean(void **state)
{
	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	pt.acs_override = true;
	plan_fx_build();
	assert_true(plan.plan_ok);
	assert_false(has(plan.kernel_args, plan.n_kernel_args, "acs"));
	assert_int_equal(plan.n_warnings, 1);	/* hybrid CPU only */
}

static void test_no_group_refused(void **state)
{
	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	hw.pci[hw.gpus[1].fn[2]].iommu_group = -1;
	plan_fx_build();
	assert_false(plan.plan_ok);
	assert_true(has(plan.refusals, plan.n_refusals, "'0000:01:00.2' has no IOMMU group"));
}

static void test_no_iommu(void **state)
{
	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	hw.iommu_present = false;
	plan_fx_build();
	assert_false(plan.plan_ok);
	assert_true(has(plan.refusals, plan.n_refusals, "enable VT-d"));
	assert_true(has(plan.refusals, plan.n_refusals, "without 'intel_iommu=on'"));
	plan_release(&plan);
	hwb_release(&hw);

	hwb_amd_dual(&hw, 0x731f);
	hw.iommu_present = false;
	plan_fx_build();
	assert_false(plan.plan_ok);
	assert_true(has(plan.refusals, plan.n_refusals, "enable AMD-Vi"));
	plan_release(&plan);

	/* gpu = none: no refusal, a warning */
	pt.gpu = ANSWER_GPU_NONE;
	plan_fx_build();
	assert_true(plan.plan_ok);
	assert_true(has(plan.warnings, plan.n_warnings, "no IOMMU is active"));
}

static void test_all_refusals_listed(void **state)
{
	char *args[] = { (char *)"a b" };

	(void)state;
	/* one GPU, no IOMMU and a bad kernel word: three reasons in one plan */
	hwb_init(&hw);
	hwb_pci(&hw, "0000:01:00.0", 0x10de, 0x2484, 0x030000, "nouveau", -1);
	hwb_gpu(&hw, "0000:01:00.0", true);
	hw.iommu_present = false;
	pt.kernel_args = args;
	pt.n_kernel_args = 1;
	plan_fx_build();
	assert_false(plan.plan_ok);
	assert_int_equal(plan.n_refusals, 3);
	assert_true(has(plan.refusals, plan.n_refusals, "single GPU"));
	assert_true(has(plan.refusals, plan.n_refusals, "no IOMMU is active"));
	assert_true(has(plan.refusals, plan.n_refusals, "invalid word 'a b'"));
	/* not allowed, so no "host loses its console" warning either */
	assert_false(has(plan.warnings, plan.n_warnings, "host loses its console"));
}

static void test_rare_refusals_and_warnings(void **state)
{
	char *empty[] = { NULL };
	char *args[] = { (char *)"video=efifb:off" };

	(void)state;
	/* two integrated display functions and nothing discrete */
	hwb_init(&hw);
	hwb_pci(&hw, "0000:00:02.0", 0x8086, 0x4680, 0x030000, "i915", 2);
	hwb_pci(&hw, "0000:00:03.0", 0x8086, 0x4681, 0x038000, "i915", 3);
	hwb_gpu(&hw, "0000:00:02.0", true);
	hwb_gpu(&hw, "0000:00:03.0", false);
	hwb_groups(&hw);
	plan_fx_build();
	assert_false(plan.plan_ok);
	assert_true(has(plan.refusals, plan.n_refusals, "no discrete GPU to pass through"));
	plan_release(&plan);
	hwb_release(&hw);

	/* an empty list */
	hwb_intel_hybrid_nvidia(&hw);
	pt.gpu = ANSWER_GPU_LIST;
	pt.gpu_list = empty;
	pt.n_gpu_list = 0;
	plan_fx_build();
	assert_false(plan.plan_ok);
	assert_true(has(plan.refusals, plan.n_refusals, "[passthrough] gpu is an empty list"));
	plan_release(&plan);

	/* two discrete GPUs, none marked as boot: the first, with a warning */
	pt.gpu = ANSWER_GPU_AUTO;
	hw.gpus[0].integrated = false;
	hw.gpus[0].is_boot = false;
	hw.pci[hw.gpus[0].display].boot_vga = HW_UNKNOWN;
	plan_fx_build();
	assert_true(plan.plan_ok);
	assert_string_equal(plan.gpus[0].slot, "0000:00:02");
	assert_true(has(plan.warnings, plan.n_warnings, "no GPU is marked as the boot GPU"));
	assert_true(has(plan.decisions, plan.n_decisions, "keep 0000:01:00.0 for the host"));
	plan_release(&plan);
	hwb_release(&hw);

	/* video=efifb:off kept with a warning; hugepages leaving the host little memory */
	hwb_intel_hybrid_nvidia(&hw);
	pt.kernel_args = args;
	pt.n_kernel_args = 1;
	pt.hugepages = 62;
	vmt.memory = 8192;
	vmt.cores = 64;
	plan_fx_build();
	assert_true(plan.plan_ok);
	assert_true(has(plan.kernel_args, plan.n_kernel_args, "video=efifb:off"));
	assert_true(has(plan.warnings, plan.n_warnings, "does not free the GPU's memory"));
	assert_true(has(plan.warnings, plan.n_warnings, "leaves the host only 2 GiB"));
	assert_true(has(plan.warnings, plan.n_warnings, "memory = 8192 MiB ignored"));
	assert_true(has(plan.warnings, plan.n_warnings, "cores = 64 lowered to 23: the host has "
			"24 threads"));
	assert_int_equal(plan.vm.cores, 23);
	assert_int_equal(plan.vm.memory_mib, 62 * 1024);
}

static void test_amd_cmdline(void **state)
{
	(void)state;
	hwb_amd_dual(&hw, 0x731f);
	plan_fx_build();
	assert_true(plan.plan_ok);
	assert_string_equal(plan.gpus[0].slot, "0000:0b:00");
	assert_string_equal(plan.cmdline, "iommu=pt");
	assert_false(has(plan.kernel_args, plan.n_kernel_args, "amd_iommu"));
	assert_false(has(plan.kernel_args, plan.n_kernel_args, "intel_iommu"));
	plan_release(&plan);
	pt.iommu_pt = false;
	plan_fx_build();
	assert_string_equal(plan.cmdline, "");
	plan_release(&plan);

	/* QEMU TCG: the CPU says AMD, the IOMMU is Intel's (dmar): the IOMMU decides */
	hw.iommu_kind = HW_IOMMU_INTEL;
	plan_fx_build();
	assert_string_equal(plan.cmdline, "intel_iommu=on");
	assert_true(has(plan.decisions, plan.n_decisions, "intel_iommu=on (Intel VT-d IOMMU"));
	plan_release(&plan);
	hw.iommu_kind = HW_IOMMU_AMD;
	hw.cpu.vendor = HW_CPU_INTEL;
	plan_fx_build();
	assert_string_equal(plan.cmdline, "");
}

static void test_hugepages_and_extra_args(void **state)
{
	char *args[] = { (char *)"amd_iommu=on", (char *)"mitigations=off",
			 (char *)"iommu=pt" };

	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	pt.hugepages = 16;
	pt.kernel_args = args;
	pt.n_kernel_args = 3;
	plan_fx_build();
	assert_true(plan.plan_ok);
	assert_string_equal(plan.cmdline, "intel_iommu=on iommu=pt default_hugepagesz=1G "
			    "hugepagesz=1G hugepages=16 mitigations=off");
	assert_true(has(plan.warnings, plan.n_warnings, "dropped 'amd_iommu=on'"));
	assert_int_equal(plan.vm.memory_mib, 16384);
	assert_int_equal(plan.vm.hugepages, 1024);
}

static void test_bad_args_refused(void **state)
{
	char *args[] = { (char *)"quiet\"; rm -rf /" };

	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	pt.kernel_args = args;
	pt.n_kernel_args = 1;
	plan_fx_build();
	assert_false(plan.plan_ok);
	assert_true(has(plan.refusals, plan.n_refusals, "invalid word"));
	plan_release(&plan);

	pt.n_kernel_args = 0;
	pt.hugepages = 64;	/* the host has 64 GiB */
	plan_fx_build();
	assert_false(plan.plan_ok);
	assert_true(has(plan.refusals, plan.n_refusals, "cannot reserve 64 hugepages"));
}

static void test_bad_arguments(void **state)
{
	struct ip_err err = { 0 };

	(void)state;
	assert_int_equal(plan_build(NULL, &pt, &vmt, &plan, &err), -EINVAL);
	assert_int_equal(plan_build(&hw, &pt, &vmt, NULL, &err), -EINVAL);
	/* indexes that point nowhere: an error, not a crash */
	hwb_intel_hybrid_nvidia(&hw);
	hw.gpus[1].fn[2] = 99;
	assert_int_equal(plan_build(&hw, &pt, &vmt, &plan, &err), -EINVAL);
	assert_string_equal(err.msg, "cannot plan: GPU 1 refers to PCI device 99 of 11");
	plan_release(&plan);
	hw.gpus[1].fn[2] = 2;
	hw.gpus[1].display = 11;
	assert_int_equal(plan_build(&hw, &pt, &vmt, &plan, &err), -EINVAL);
	plan_release(&plan);
	hwb_release(&hw);
	/* NULL policy = defaults */
	hwb_intel_hybrid_nvidia(&hw);
	assert_int_equal(plan_build(&hw, NULL, NULL, &plan, &err), 0);
	assert_true(plan.plan_ok);
	assert_int_equal(plan.vm.vmid, 9000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		plan_fx_test(test_auto_picks_discrete_non_boot),
		plan_fx_test(test_boot_by_framebuffer),
		plan_fx_test(test_single_gpu_refused),
		plan_fx_test(test_single_gpu_allowed),
		plan_fx_test(test_no_gpu_refused),
		plan_fx_test(test_gpu_none),
		plan_fx_test(test_list_by_id_and_address),
		plan_fx_test(test_list_unknown_entries),
		plan_fx_test(test_list_all_gpus_needs_allow_single),
		plan_fx_test(test_group_shared_refused),
		plan_fx_test(test_group_acs_override),
		plan_fx_test(test_acs_not_added_when_clean),
		plan_fx_test(test_no_group_refused),
		plan_fx_test(test_no_iommu),
		plan_fx_test(test_all_refusals_listed),
		plan_fx_test(test_rare_refusals_and_warnings),
		plan_fx_test(test_amd_cmdline),
		plan_fx_test(test_hugepages_and_extra_args),
		plan_fx_test(test_bad_args_refused),
		plan_fx_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
