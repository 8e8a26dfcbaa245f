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

#include "detect/hw-report.h"
#include "detect/hw.h"
#include "hw-tree.h"

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
	enum hw_iommu_kind iommu_kind;
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
	{
		/* i7-12700K: 8 P-cores with HT (cpus 0-15) + 4 E-cores (16-19) */
		.name = "intel-hybrid-nvidia", .vendor = HW_CPU_INTEL, .virt = true, .hybrid = true,
		.threads = 20, .cores = 12, .sockets = 1, .pthreads = 16, .ethreads = 4,
		.iommu = true, .iommu_kind = HW_IOMMU_INTEL, .irq_remap = HW_YES,
		.fw = HW_FW_UEFI, .secure_boot = HW_NO, .min_pci = 21, .n_gpus = 2,
		.gpus = {
			{ "0000:00:02.0", 1, { "8086:4680" }, true, true, true, NULL },
			{ "0000:01:00.0", 4, { "10de:1e87", "10de:10f8", "10de:1ad8", "10de:1ad9" },
			  false, false, true, NULL },
		},
		.n_disks = 3,
		.disks = { { "nvme0n1", "nvme", false, true }, { "sda", "sata", false, true },
			   { "sdb", "usb", true, true } },
		.nic = "enp4s0", .nic_driver = "igc", .verdict = HW_READY,
	},
	{
		/* Ryzen 9 5900X: 12 cores, SMT; GT 1030 boots, RX 5700 XT to pass through */
		.name = "amd-dual-navi10", .vendor = HW_CPU_AMD, .virt = true, .threads = 24,
		.cores = 12, .sockets = 1, .iommu = true, .iommu_kind = HW_IOMMU_AMD,
		.irq_remap = HW_YES, .fw = HW_FW_UEFI, .secure_boot = HW_NO, .min_pci = 40,
		.n_gpus = 2,
		.gpus = {
			{ "0000:0a:00.0", 2, { "10de:1d01", "10de:0fb8" }, true, false, true, NULL },
			{ "0000:0b:00.0", 2, { "1002:731f", "1002:ab38" }, false, false, true, NULL },
		},
		.n_disks = 3,
		.disks = { { "nvme0n1", "nvme", false, true }, { "sda", "sata", false, false },
			   { "sdb", "usb", true, true } },
		.nic = "enp5s0", .nic_driver = "igb", .verdict = HW_READY,
	},
	{
		/* one RTX 3060, which boots: single-GPU passthrough only with allow-single-gpu */
		.name = "single-gpu", .vendor = HW_CPU_AMD, .virt = true, .threads = 16, .cores = 8,
		.sockets = 1, .iommu = true, .iommu_kind = HW_IOMMU_AMD, .irq_remap = HW_YES,
		.fw = HW_FW_UEFI, .secure_boot = HW_YES, .min_pci = 25, .n_gpus = 1,
		.gpus = { { "0000:07:00.0", 2, { "10de:2504", "10de:228e" }, true, false, true,
			    NULL } },
		.n_disks = 2,
		.disks = { { "nvme0n1", "nvme", false, true }, { "sda", "usb", true, true } },
		.nic = "enp5s0", .nic_driver = "igc", .verdict = HW_READY_WARNINGS,
	},
	{
		/* i5-9600K, no HT; GTX 1660 shares PCH group 9 with the I211 at 03:00.0 */
		.name = "shared-group-nic", .vendor = HW_CPU_INTEL, .virt = true, .threads = 6,
		.cores = 6, .sockets = 1, .iommu = true, .iommu_kind = HW_IOMMU_INTEL,
		.irq_remap = HW_YES, .fw = HW_FW_UEFI, .secure_boot = HW_NO, .min_pci = 20,
		.n_gpus = 2,
		.gpus = {
			{ "0000:00:02.0", 1, { "8086:3e98" }, true, true, true, NULL },
			{ "0000:02:00.0", 4, { "10de:2184", "10de:1aeb", "10de:1aec", "10de:1aed" },
			  false, false, false, "0000:03:00.0" },
		},
		.n_disks = 2,
		.disks = { { "nvme0n1", "nvme", false, true }, { "sdb", "usb", true, true } },
		.nic = "eno1", .nic_driver = "e1000e", .verdict = HW_READY_WARNINGS,
	},
	{
		/* TR 3960X: 24 cores, SMT; two RTX 3090, the one at 21:00 boots */
		.name = "identical-gpus", .vendor = HW_CPU_AMD, .virt = true, .threads = 48,
		.cores = 24, .sockets = 1, .iommu = true, .iommu_kind = HW_IOMMU_AMD,
		.irq_remap = HW_YES, .fw = HW_FW_UEFI, .secure_boot = HW_NO, .min_pci = 40,
		.n_gpus = 2,
		.gpus = {
			{ "0000:21:00.0", 2, { "10de:2204", "10de:1aef" }, true, false, true, NULL },
			{ "0000:4b:00.0", 2, { "10de:2204", "10de:1aef" }, false, false, true, NULL },
		},
		.n_disks = 3,
		.disks = { { "nvme0n1", "nvme", false, true }, { "sda", "usb", true, true },
			   { "sdb", "sata", false, true } },
		.nic = "enp72s0", .nic_driver = "igb", .verdict = HW_READY,
	},
	{
		/* i7-8700 with VT-d off: no units, no groups, no DMAR table; installed system */
		.name = "iommu-off", .vendor = HW_CPU_INTEL, .virt = true, .threads = 12, .cores = 6,
		.sockets = 1, .iommu = false, .iommu_kind = HW_IOMMU_NONE, .irq_remap = HW_NO,
		.fw = HW_FW_BIOS, .secure_boot = HW_NO, .min_pci = 15, .n_gpus = 2,
		.gpus = {
			{ "0000:00:02.0", 1, { "8086:3e92" }, true, true, false, NULL },
			{ "0000:01:00.0", 2, { "10de:1b80", "10de:10f0" }, false, false, false, NULL },
		},
		.n_disks = 2,
		.disks = { { "nvme0n1", "nvme", false, true }, { "sda", "sata", false, true } },
		.nic = "eno1", .nic_driver = "e1000e", .verdict = HW_NOT_READY,
	},
	{
		/* 2 x Xeon Gold 6248 (20 cores + HT each); AST2500 boots, A40 (class 0302) */
		.name = "dual-socket-server", .vendor = HW_CPU_INTEL, .virt = true, .threads = 80,
		.cores = 40, .sockets = 2, .iommu = true, .iommu_kind = HW_IOMMU_INTEL,
		.irq_remap = HW_YES, .fw = HW_FW_UEFI, .secure_boot = HW_NO, .min_pci = 60,
		.n_gpus = 2,
		.gpus = {
			{ "0000:03:00.0", 1, { "1a03:2000" }, true, false, true, NULL },
			{ "0000:5e:00.0", 1, { "10de:2235" }, false, false, true, NULL },
		},
		.n_disks = 4,
		.disks = { { "nvme0n1", "nvme", false, false }, { "nvme1n1", "nvme", false, false },
			   { "sda", "sata", false, true }, { "sr0", "usb", true, false } },
		.nic = "ens1f0", .nic_driver = "i40e", .verdict = HW_READY,
	},
	{
		/* QEMU q35 + intel-iommu under TCG ("max" CPU says AuthenticAMD, with svm) */
		.name = "qemu-e2e", .vendor = HW_CPU_AMD, .virt = true, .threads = 2, .cores = 2,
		.sockets = 1, .iommu = true, .iommu_kind = HW_IOMMU_INTEL, .irq_remap = HW_YES,
		.fw = HW_FW_BIOS, .secure_boot = HW_NO, .min_pci = 9, .n_gpus = 2,
		.gpus = {
			{ "0000:00:01.0", 1, { "1af4:1050" }, true, false, true, NULL },
			{ "0000:00:03.0", 2, { "1234:1111", "8086:293e" }, false, false, true, NULL },
		},
		.n_disks = 2,
		.disks = { { "sr0", "sata", true, false }, { "vda", "virtio", false, false } },
		.nic = "enp0s2", .nic_driver = "e1000e", .verdict = HW_READY,
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
	assert_int_equal(hw.iommu_kind, f->iommu_kind);
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
