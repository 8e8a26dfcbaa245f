// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The detector on every machine in tests/fixtures. The expected facts below
 * are written from what each machine is (its spec sheet, lspci of the real
 * box, or the capture), not from the detector's output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hw-report.h"
#include "hw-tree.h"
#include "hw.h"

struct gpu_fact {
	const char *addr;		/* display function */
	unsigned n_fn;
	const char *ids[8];		/* "vvvv:dddd" per function, in function order */
	bool boot, integrated, clean;
	const char *intruder;		/* one expected group intruder, or NULL */
};

struct disk_fact {
	const char *name, *transport;
	bool boot_medium, partitions;
};

struct fixture {
	const char *name;
	enum hw_cpu_vendor vendor;
	bool virt, hybrid;
	unsigned threads, cores, sockets, pthreads, ethreads;
	bool iommu;
	enum hw_tristate irq_remap;
	enum hw_fw_mode fw;
	enum hw_tristate secure_boot;
	size_t min_pci;
	size_t n_gpus;
	struct gpu_fact gpus[4];
	size_t n_disks;			/* physical disks listed */
	struct disk_fact disks[6];
	const char *nic, *nic_driver;	/* one physical NIC */
	enum hw_readiness verdict;
};

static const struct fixture fixtures[] = {
	{
		/* this build VM (Firecracker-style, virtio only), captured with capture.sh */
		.name = "build-vm", .vendor = HW_CPU_INTEL, .virt = false, .threads = 2,
		.cores = 2, .sockets = 1, .iommu = false, .irq_remap = HW_NO, .fw = HW_FW_BIOS,
		.secure_boot = HW_NO, .min_pci = 6, .n_gpus = 0, .n_disks = 1,
		.disks = { { "vda", "virtio", false, false } },
		.nic = "eth0", .nic_driver = "virtio_net", .verdict = HW_NOT_READY,
	},
};

static const struct gpu_fact *find_gpu_fact(const struct fixture *f, const char *addr)
{
	for (size_t i = 0; i < f->n_gpus; i++)
		if (!strcmp(f->gpus[i].addr, addr))
			return &f->gpus[i];
	return NULL;
}

static void check_gpus(const struct fixture *f, const struct hw *hw)
{
	assert_int_equal(hw->n_gpus, f->n_gpus);
	for (size_t i = 0; i < hw->n_gpus; i++) {
		const struct hw_gpu *g = &hw->gpus[i];
		const struct gpu_fact *gf = find_gpu_fact(f, hw->pci[g->display].addr);

		if (!gf)
			fail_msg("%s: unexpected GPU '%s'", f->name, hw->pci[g->display].addr);
		assert_int_equal(g->n_fn, gf->n_fn);
		for (size_t k = 0; k < g->n_fn; k++) {
			const struct hw_pci_dev *p = &hw->pci[g->fn[k]];
			char ids[16];

			snprintf(ids, sizeof(ids), "%04x:%04x", p->vendor_id, p->device_id);
			assert_string_equal(ids, gf->ids[k]);
			assert_int_equal(p->func, k);
		}
		if (g->is_boot != gf->boot || g->integrated != gf->integrated ||
		    g->group_clean != gf->clean)
			fail_msg("%s: GPU '%s' boot %d/%d integrated %d/%d clean %d/%d", f->name,
				 gf->addr, g->is_boot, gf->boot, g->integrated, gf->integrated,
				 g->group_clean, gf->clean);
		if (gf->intruder) {
			bool found = false;

			for (size_t k = 0; k < g->n_intruders; k++)
				found |= !strcmp(hw->pci[g->intruders[k]].addr, gf->intruder);
			assert_true(found);
		}
	}
}

static void check_disks(const struct fixture *f, const struct hw *hw)
{
	assert_int_equal(hw->n_disks, f->n_disks);
	for (size_t i = 0; i < f->n_disks; i++) {
		const struct disk_fact *df = &f->disks[i];
		const struct hw_disk *d = NULL;

		for (size_t k = 0; k < hw->n_disks; k++)
			if (!strcmp(hw->disks[k].name, df->name))
				d = &hw->disks[k];
		if (!d)
			fail_msg("%s: no disk '%s'", f->name, df->name);
		assert_string_equal(d->transport, df->transport);
		assert_int_equal(d->is_boot_medium, df->boot_medium);
		assert_int_equal(d->has_partitions, df->partitions);
		assert_true(d->size_bytes > 0 || d->optical);
	}
}

static void check_fixture(const struct fixture *f)
{
	struct ip_err err = { 0 };
	struct hw_verdict v;
	struct hw hw;

	print_message("fixture %s\n", f->name);
	if (hw_detect(hwt_fixture(f->name), &hw, &err) < 0)
		fail_msg("%s: %s", f->name, err.msg);
	for (size_t i = 0; i < hw.n_notes; i++)
		print_message("  note: %s\n", hw.notes[i]);
	assert_int_equal(hw.cpu.vendor, f->vendor);
	assert_int_equal(hw.cpu.virt, f->virt);
	assert_int_equal(hw.cpu.threads, f->threads);
	assert_int_equal(hw.cpu.cores, f->cores);
	assert_int_equal(hw.cpu.sockets, f->sockets);
	assert_int_equal(hw.cpu.hybrid, f->hybrid);
	if (f->hybrid) {
		assert_int_equal(hw.cpu.n_pcores_threads, f->pthreads);
		assert_int_equal(hw.cpu.n_ecores_threads, f->ethreads);
	}
	assert_int_equal(hw.iommu_present, f->iommu);
	assert_int_equal(hw.irq_remap, f->irq_remap);
	assert_int_equal(hw.fw, f->fw);
	assert_int_equal(hw.secure_boot, f->secure_boot);
	assert_true(hw.n_pci >= f->min_pci);
	assert_true(hw.mem_total_kib > 0);
	check_gpus(f, &hw);
	check_disks(f, &hw);
	if (f->nic) {
		bool found = false;

		for (size_t i = 0; i < hw.n_nics; i++)
			if (!strcmp(hw.nics[i].name, f->nic)) {
				found = true;
				assert_false(hw.nics[i].is_virtual);
				assert_string_equal(hw.nics[i].driver, f->nic_driver);
			}
		assert_true(found);
	}
	hw_verdict(&hw, &v);
	if (v.level != f->verdict)
		fail_msg("%s: verdict '%s', expected '%s'", f->name, hw_readiness_str(v.level),
			 hw_readiness_str(f->verdict));
	/* the trees are clean captures: the detector must not need to complain */
	assert_int_equal(hw.n_notes, 0);
	hw_release(&hw);
}

static void test_fixture(void **state)
{
	check_fixture(*state);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(fixtures) / sizeof(fixtures[0])];

	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		tests[i] = (struct CMUnitTest){ .name = fixtures[i].name, .test_func = test_fixture,
						.initial_state = (void *)&fixtures[i] };
	return _cmocka_run_group_tests("hw-fixtures", tests, sizeof(tests) / sizeof(tests[0]),
				       NULL, NULL);
}
