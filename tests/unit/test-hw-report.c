// SPDX-License-Identifier: GPL-2.0-or-later
/* The readiness verdict rules and the report/JSON writers on hand-built machines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "detect/hw-json.h"
#include "detect/hw-report.h"
#include "detect/hw.h"

/* A two-GPU Intel desktop that is ready: iGPU boots, discrete card in a clean group. */
static struct hw_pci_dev pci[3];
static struct hw_gpu gpus[2];
static size_t grp_devs[2][2] = { { 0 }, { 1, 2 } };
static struct hw_iommu_group groups[2];

static void base(struct hw *hw)
{
	memset(hw, 0, sizeof(*hw));
	memset(pci, 0, sizeof(pci));
	memset(gpus, 0, sizeof(gpus));
	snprintf(pci[0].addr, sizeof(pci[0].addr), "0000:00:02.0");
	pci[0].class_code = 0x030000;
	pci[0].iommu_group = 0;
	snprintf(pci[1].addr, sizeof(pci[1].addr), "0000:01:00.0");
	pci[1].class_code = 0x030000;
	pci[1].iommu_group = 1;
	snprintf(pci[2].addr, sizeof(pci[2].addr), "0000:01:00.1");
	pci[2].class_code = 0x040300;
	pci[2].iommu_group = 1;
	gpus[0] = (struct hw_gpu){ .fn = { 0 }, .n_fn = 1, .display = 0, .integrated = true,
				   .is_boot = true, .groups_known = true, .group_clean = true };
	gpus[1] = (struct hw_gpu){ .fn = { 1, 2 }, .n_fn = 2, .display = 1,
				   .groups_known = true, .group_clean = true };
	groups[0] = (struct hw_iommu_group){ .id = 0, .devs = grp_devs[0], .n_devs = 1 };
	groups[1] = (struct hw_iommu_group){ .id = 1, .devs = grp_devs[1], .n_devs = 2 };
	hw->pci = pci;
	hw->n_pci = 3;
	hw->gpus = gpus;
	hw->n_gpus = 2;
	hw->groups = groups;
	hw->n_groups = 2;
	hw->iommu_class = hw->iommu_present = true;
	hw->irq_remap = HW_YES;
	hw->cpu.vendor = HW_CPU_INTEL;
	hw->cpu.virt = true;
}

static bool has_reason(const struct hw_verdict *v, bool blocking, const char *needle)
{
	for (size_t i = 0; i < v->n_reasons; i++)
		if (v->reasons[i].blocking == blocking && strstr(v->reasons[i].text, needle))
			return true;
	return false;
}

static void test_ready(void **state)
{
	struct hw_verdict v;
	struct hw hw;

	(void)state;
	base(&hw);
	hw_verdict(&hw, &v);
	assert_int_equal(v.level, HW_READY);
	assert_int_equal(v.n_reasons, 0);
	assert_int_equal(v.n_candidates, 1);
	assert_int_equal(v.candidates[0], 1);
	assert_string_equal(hw_readiness_str(v.level), "ready");
}

static void test_no_iommu_no_virt(void **state)
{
	struct hw_verdict v;
	struct hw hw;

	(void)state;
	base(&hw);
	hw.iommu_class = hw.iommu_present = false;
	hw.n_groups = 0;
	hw.cpu.virt = false;
	hw_verdict(&hw, &v);
	assert_int_equal(v.level, HW_NOT_READY);
	assert_true(has_reason(&v, true, "no IOMMU"));
	assert_true(has_reason(&v, true, "vmx/svm"));
	assert_string_equal(hw_readiness_str(v.level), "not ready");
}

static void test_units_without_groups(void **state)
{
	struct hw_verdict v;
	struct hw hw;

	(void)state;
	base(&hw);
	hw.iommu_present = false;
	hw.n_groups = 0;
	hw_verdict(&hw, &v);
	assert_int_equal(v.level, HW_NOT_READY);
	assert_true(has_reason(&v, true, "intel_iommu=on"));
}

static void test_warnings(void **state)
{
	struct hw_verdict v;
	struct hw hw;

	(void)state;
	base(&hw);
	hw.irq_remap = HW_NO;
	gpus[1].group_clean = false;
	gpus[1].intruders = (size_t[]){ 0 };
	gpus[1].n_intruders = 1;
	hw_verdict(&hw, &v);
	assert_int_equal(v.level, HW_READY_WARNINGS);
	assert_true(has_reason(&v, false, "interrupt remapping"));
	assert_true(has_reason(&v, false, "acs-override"));
	assert_string_equal(hw_readiness_str(v.level), "ready with warnings");
}

static void test_single_gpu(void **state)
{
	struct hw_verdict v;
	struct hw hw;

	(void)state;
	base(&hw);
	hw.gpus = &gpus[1];
	hw.n_gpus = 1;
	gpus[1].is_boot = true;
	hw_verdict(&hw, &v);
	assert_int_equal(v.level, HW_READY_WARNINGS);
	assert_true(has_reason(&v, false, "allow-single-gpu"));
	/* only an iGPU: nothing to give away */
	hw.gpus = &gpus[0];
	hw_verdict(&hw, &v);
	assert_int_equal(v.level, HW_NOT_READY);
	assert_true(has_reason(&v, true, "no discrete GPU"));
	hw.n_gpus = 0;
	hw_verdict(&hw, &v);
	assert_true(has_reason(&v, true, "no GPU found"));
}

static void test_text_and_json(void **state)
{
	struct strbuf sb = { 0 };
	struct json_object *o, *x;
	struct hw hw;

	(void)state;
	base(&hw);
	hw.irq_remap = HW_NO;
	hw_report_text(&hw, &sb);
	assert_non_null(sb.buf);
	assert_true(strncmp(sb.buf, "verdict: ready with warnings\n", 29) == 0);
	assert_non_null(strstr(sb.buf, "\nGPUs (2)\n"));
	assert_non_null(strstr(sb.buf, "0000:01:00.1"));
	sb_release(&sb);
	o = hw_to_json(&hw);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "verdict", &x));
	assert_true(json_object_object_get_ex(x, "level", &x));
	assert_string_equal(json_object_get_string(x), "ready with warnings");
	assert_true(json_object_object_get_ex(o, "gpus", &x));
	assert_int_equal(json_object_array_length(x), 2);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready),
		cmocka_unit_test(test_no_iommu_no_virt),
		cmocka_unit_test(test_units_without_groups),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_single_gpu),
		cmocka_unit_test(test_text_and_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
