// SPDX-License-Identifier: GPL-2.0-or-later
/* plan_build(): VM template values, warnings, and the JSON/text output. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "hw-build.h"
#include "plan-fixture.h"
#include "plan/plan-internal.h"
#include "plan/plan.h"

static void build(void)
{
	plan_release(&plan);
	plan_fx_build();
}

static size_t count(char *const *arr, size_t n, const char *needle)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (strstr(arr[i], needle))
			k++;
	return k;
}

static void test_hybrid_pcores(void **state)
{
	(void)state;
	hwb_intel_hybrid_nvidia(&hw);	/* P 0-15 (8 cores with HT), E 16-23 */
	build();
	assert_int_equal(plan.vm.cores, 14);
	assert_string_equal(plan.vm.affinity, "0-13");
	assert_int_equal(count(plan.warnings, plan.n_warnings, "hybrid CPU (P-cores 0-15, "
			       "E-cores 16-23)"), 1);

	/* P-cores without HT (8 P + 16 E, 24 threads): one thread is one core */
	snprintf(hw.cpu.pcores, sizeof(hw.cpu.pcores), "0-7");
	snprintf(hw.cpu.ecores, sizeof(hw.cpu.ecores), "8-23");
	hw.cpu.cores = 24;
	hw.cpu.threads = 24;
	hw.cpu.n_pcores_threads = 8;
	hw.cpu.n_ecores_threads = 16;
	build();
	assert_int_equal(plan.vm.cores, 7);
	assert_string_equal(plan.vm.affinity, "0-6");

	/* garbage P-core list: fall back to threads - 2, no pinning */
	snprintf(hw.cpu.pcores, sizeof(hw.cpu.pcores), "0-x");
	build();
	assert_int_equal(plan.vm.cores, 22);
	assert_string_equal(plan.vm.affinity, "");
}

/* The defaults, and every value fitted to the host (issue 12: cores <= threads - 1, at
 * least 1; memory leaves the host 4 GiB or a quarter, whichever is more) */
static void test_plain_cores_and_memory(void **state)
{
	(void)state;
	hwb_amd_dual(&hw, 0x731f);	/* 16 threads, 32 GiB */
	build();
	assert_int_equal(plan.vm.cores, 14);
	assert_string_equal(plan.vm.affinity, "");
	assert_int_equal(plan.vm.memory_mib, 16384);
	/* 4 threads: one stays with the host; 256 GiB: half, at most 64 GiB */
	hw.cpu.threads = 4;
	hw.mem_total_kib = 256ull * 1024 * 1024;
	build();
	assert_int_equal(plan.vm.cores, 3);
	assert_int_equal(plan.vm.memory_mib, 65536);
	/* 7.7 GiB → 7 GiB: the 8 GiB floor would leave nothing; the host keeps 4 GiB */
	hw.mem_total_kib = 8ull * 1024 * 1024 - 300 * 1024;
	build();
	assert_int_equal(plan.vm.memory_mib, 3072);
	assert_int_equal(count(plan.decisions, plan.n_decisions, "vm: memory 3072 MiB (what the "
			       "host's 7 GiB leaves after keeping 4 GiB or a quarter"), 1);
	assert_int_equal(count(plan.warnings, plan.n_warnings, "memory"), 0);
	/* 11 GiB: 8 GiB would leave 3; 7 GiB fit */
	hw.mem_total_kib = 11ull * 1024 * 1024;
	build();
	assert_int_equal(plan.vm.memory_mib, 7168);
	/* 40 GiB: the host keeps a quarter (10 GiB), more than 4 */
	hw.mem_total_kib = 40ull * 1024 * 1024;
	vmt.memory = 32768;
	build();
	assert_int_equal(plan.vm.memory_mib, 30720);
	assert_int_equal(count(plan.warnings, plan.n_warnings, "[vm-template] memory = 32768 MiB "
			       "lowered to 30720 MiB: the host keeps 4 GiB or a quarter of its "
			       "40 GiB"), 1);
	/* the answer's values as they are when they fit… */
	hw.mem_total_kib = 11ull * 1024 * 1024;
	vmt.memory = 4096;
	vmt.cores = 3;
	build();
	assert_int_equal(plan.vm.memory_mib, 4096);
	assert_int_equal(plan.vm.cores, 3);
	assert_int_equal(count(plan.warnings, plan.n_warnings, "memory"), 0);
	assert_int_equal(count(plan.warnings, plan.n_warnings, "cores"), 0);
	/* …lowered, with a warning, when they do not */
	vmt.cores = 8;
	build();
	assert_int_equal(plan.vm.cores, 3);
	assert_int_equal(count(plan.warnings, plan.n_warnings, "[vm-template] cores = 8 lowered "
			       "to 3: the host has 4 threads and keeps one"), 1);
	vmt.cores = 0;
	vmt.memory = 0;
	/* one or two threads: one core, never 0 and never the host's last thread */
	hw.cpu.threads = 1;
	build();
	assert_int_equal(plan.vm.cores, 1);
	hw.cpu.threads = 2;
	build();
	assert_int_equal(plan.vm.cores, 1);
	hw.cpu.threads = 5;
	build();
	assert_int_equal(plan.vm.cores, 3);
	/* 3 GiB: nothing fits; 1 GiB and a warning that says why */
	hw.mem_total_kib = 3ull * 1024 * 1024;
	build();
	assert_int_equal(plan.vm.memory_mib, 1024);
	assert_int_equal(count(plan.warnings, plan.n_warnings, "the host's 3 GiB cannot keep 4 GiB "
			       "for itself"), 1);
}

static void test_vm_values(void **state)
{
	char mac[18];

	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	vmt.windows_iso = (char *)"local:iso/Win11_24H2.iso";
	vmt.unattended = true;
	vmt.storage = (char *)"tank";
	build();
	assert_true(plan.vm.enabled);
	assert_int_equal(plan.vm.vmid, 9000);
	assert_string_equal(plan.vm.name, "win11-passthrough");
	assert_string_equal(plan.vm.ostype, "win11");
	assert_string_equal(plan.vm.machine, "q35");
	assert_string_equal(plan.vm.bios, "ovmf");
	assert_string_equal(plan.vm.cpu, "host");
	assert_int_equal(plan.vm.numa, 1);
	assert_int_equal(plan.vm.balloon, 0);
	assert_string_equal(plan.vm.efidisk0, "tank:1,efitype=4m,pre-enrolled-keys=1");
	assert_string_equal(plan.vm.tpmstate0, "tank:1,version=v2.0");
	assert_string_equal(plan.vm.scsi0, "tank:128,iothread=1,discard=on,ssd=1");
	assert_string_equal(plan.vm.scsihw, "virtio-scsi-single");
	assert_int_equal(plan.vm.n_hostpci, 1);
	assert_string_equal(plan.vm.hostpci[0], "0000:01:00,pcie=1,x-vga=1");
	assert_string_equal(plan.vm.vga, "none");
	assert_string_equal(plan.vm.ide2, "local:iso/Win11_24H2.iso,media=cdrom");
	assert_string_equal(plan.vm.ide0, "none,media=cdrom");
	assert_string_equal(plan.vm.ide1, "local:iso/ironpass-autounattend-9000.iso,media=cdrom");
	assert_string_equal(plan.vm.boot, "order=scsi0;ide2");
	assert_int_equal(plan.vm.hugepages, 0);
	/* fixed MAC: locally administered, stable, and per vmid */
	assert_int_equal(strlen(plan.vm.mac), 17);
	assert_int_equal(strtoul(plan.vm.mac, NULL, 16) & 3, 2);
	assert_non_null(strstr(plan.vm.net0, plan.vm.mac));
	assert_non_null(strstr(plan.vm.net0, ",bridge=vmbr0"));
	memcpy(mac, plan.vm.mac, sizeof(mac));
	build();
	assert_string_equal(plan.vm.mac, mac);
	/* a board that leaves its UUID unset: the NIC's MAC is the seed, not all-zero */
	{
		struct hw_nic nic = { .name = "eno1", .mac = "3c:ec:ef:01:02:03" };
		char from_nic[18];

		snprintf(hw.dmi.product_uuid, sizeof(hw.dmi.product_uuid),
			 "00000000-0000-0000-0000-000000000000");
		hw.nics = &nic;
		hw.n_nics = 1;
		build();
		assert_string_not_equal(plan.vm.mac, mac);
		memcpy(from_nic, plan.vm.mac, sizeof(from_nic));
		snprintf(nic.mac, sizeof(nic.mac), "3c:ec:ef:01:02:04");
		build();
		assert_string_not_equal(plan.vm.mac, from_nic);
		snprintf(hw.dmi.product_uuid, sizeof(hw.dmi.product_uuid),
			 "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF");
		build();
		assert_string_not_equal(plan.vm.mac, from_nic);	/* the NIC again, the new one */
		hw.nics = NULL;
		hw.n_nics = 0;
		snprintf(hw.dmi.product_uuid, sizeof(hw.dmi.product_uuid),
			 "4c4c4544-0042-3510-8052-b4c04f4a4e32");
		build();
		assert_string_equal(plan.vm.mac, mac);
	}
	vmt.vmid = 9001;
	build();
	assert_string_not_equal(plan.vm.mac, mac);
	/* an image from an https:// URL or carried in the image: its place in 'local' */
	vmt.windows_iso = (char *)"https://images.example.com/Win11.iso";
	vmt.virtio_iso = (char *)"carried";
	build();
	assert_string_equal(plan.vm.ide2, "local:iso/" PLAN_VM_WINDOWS_ISO ",media=cdrom");
	assert_string_equal(plan.vm.ide0, "local:iso/" PLAN_VM_VIRTIO_ISO ",media=cdrom");
	assert_int_equal(count(plan.decisions, plan.n_decisions, "vm: the Windows ISO (from its "
			       "https:// URL) is local:iso/ironpass-windows.iso"), 1);
	assert_int_equal(count(plan.decisions, plan.n_decisions, "vm: the virtio-win ISO "
			       "(carried in the image) is local:iso/ironpass-virtio-win.iso"), 1);
	assert_int_equal(count(plan.decisions, plan.n_decisions, "images.example.com"), 0);
	vmt.windows_iso = (char *)"carried";
	build();
	assert_string_equal(plan.vm.ide2, "local:iso/ironpass-windows.iso,media=cdrom");
	vmt.windows_iso = NULL;
	vmt.virtio_iso = NULL;
	vmt.enabled = false;
	build();
	assert_false(plan.vm.enabled);
	assert_null(plan.vm.name);
}

static void test_amd_generations(void **state)
{
	static const struct {
		uint16_t dev;
		const char *name;
		bool vendor_reset;
	} cases[] = {
		{ 0x67df, "Polaris 10/20", true }, { 0x67ef, "Polaris 11", true },
		{ 0x67ff, "Polaris 11", true }, { 0x6fdf, "Polaris 20", true },
		{ 0x687f, "Vega 10", true }, { 0x6863, "Vega 10", true },
		{ 0x66af, "Vega 20", true }, { 0x731f, "Navi 10", true },
		{ 0x7340, "Navi 14", true }, { 0x7341, "Navi 14", true },
		{ 0x7347, "Navi 14", true }, { 0x7360, "Navi 12", true },
		{ 0x7362, "Navi 12", true }, { 0x744c, "Navi 31", false },
		{ 0x7448, "Navi 31", false }, { 0x747e, "Navi 32", false },
		{ 0x7480, "Navi 33", false }, { 0x7550, "Navi 48", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct plan_amd_gen *g = plan_amd_reset_gen(0x1002, cases[i].dev);

		assert_non_null(g);
		assert_non_null(strstr(g->name, cases[i].name));
		assert_int_equal(g->vendor_reset, cases[i].vendor_reset);
	}
	assert_null(plan_amd_reset_gen(0x1002, 0x73bf));	/* Navi 21 resets fine */
	assert_null(plan_amd_reset_gen(0x10de, 0x731f));
}

static void test_warnings(void **state)
{
	(void)state;
	hwb_amd_dual(&hw, 0x731f);
	build();
	assert_int_equal(count(plan.warnings, plan.n_warnings, "'0000:0b:00.0' is an AMD Navi 10"),
			 1);
	assert_int_equal(count(plan.warnings, plan.n_warnings, "vendor-reset module"), 1);
	/* the boot RX 580 (Polaris) stays with the host: no warning for it */
	assert_int_equal(count(plan.warnings, plan.n_warnings, "0a:00"), 0);
	assert_int_equal(plan.n_warnings, 1);

	hw.pci[5].device_id = 0x744c;
	hw.irq_remap = HW_NO;
	hw.cpu.virt = false;
	build();
	assert_int_equal(count(plan.warnings, plan.n_warnings, "Navi 31"), 1);
	assert_int_equal(count(plan.warnings, plan.n_warnings, "vendor-reset does not cover"), 1);
	assert_int_equal(count(plan.warnings, plan.n_warnings, "no interrupt remapping"), 1);
	assert_int_equal(count(plan.warnings, plan.n_warnings, "no hardware virtualization"), 1);

	hw.pci[5].device_id = 0x73bf;
	hw.irq_remap = HW_UNKNOWN;
	hw.cpu.virt = true;
	build();
	assert_int_equal(plan.n_warnings, 0);
}

static void test_nvidia_no_args(void **state)
{
	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	build();
	assert_int_equal(count(plan.decisions, plan.n_decisions, "no extra VM arguments; the "
			       "driver supports GeForce passthrough since R465, and x-vga=1"), 1);
	for (size_t i = 0; i < plan.n_kernel_args; i++) {
		assert_null(strstr(plan.kernel_args[i], "kvm=off"));
		assert_null(strstr(plan.kernel_args[i], "-cpu"));
	}
}

static void test_json(void **state)
{
	char *js;
	json_object *o, *v, *f;

	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	build();
	js = plan_to_json(&plan);
	assert_non_null(js);
	o = json_tokener_parse(js);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "plan_ok", &v));
	assert_true(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(o, "kernel_args", &v));
	assert_int_equal(json_object_array_length(v), 2);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 0)),
			    "intel_iommu=on");
	assert_true(json_object_object_get_ex(o, "files", &v));
	f = json_object_array_get_idx(v, 0);
	assert_true(json_object_object_get_ex(f, "text", &v));
	assert_string_equal(json_object_get_string(v), plan.modprobe_conf);
	assert_true(json_object_object_get_ex(f, "mode", &v));
	assert_string_equal(json_object_get_string(v), "0644");
	assert_true(json_object_object_get_ex(o, "vm", &v));
	assert_true(json_object_object_get_ex(v, "affinity", &f));
	assert_string_equal(json_object_get_string(f), "0-13");
	assert_true(json_object_object_get_ex(o, "gpus", &v));
	f = json_object_array_get_idx(v, 0);
	assert_true(json_object_object_get_ex(f, "functions", &v));
	f = json_object_array_get_idx(v, 3);
	assert_true(json_object_object_get_ex(f, "class", &v));
	assert_string_equal(json_object_get_string(v), "0c8000");
	json_object_put(o);
	free(js);
}

static void test_text(void **state)
{
	char *t;

	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	build();
	t = plan_to_text(&plan);
	assert_non_null(t);
	assert_true(!strncmp(t, "Plan: ready with warnings\n", 26));
	assert_non_null(strstr(t, "  isolate 0000:01:00 (NVIDIA Corporation TU104 [GeForce RTX "
			       "2080 Rev. A]): discrete, not the boot GPU (boot GPU is "
			       "0000:00:02.0)"));
	assert_non_null(strstr(t, "Kernel command line: intel_iommu=on iommu=pt\n"));
	assert_non_null(strstr(t, "Write /etc/modprobe.d/ironpass-vfio.conf (mode 0644)"));
	assert_non_null(strstr(t, "  | softdep nouveau pre: vfio-pci\n"));
	assert_non_null(strstr(t, "  hostpci0 0000:01:00,pcie=1,x-vga=1\n"));
	free(t);

	plan.plan_ok = false;	/* the verdict follows plan_ok */
	t = plan_to_text(&plan);
	assert_true(!strncmp(t, "Plan: refused\n", 14));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		plan_fx_test(test_hybrid_pcores),
		plan_fx_test(test_plain_cores_and_memory),
		plan_fx_test(test_vm_values),
		plan_fx_test(test_amd_generations),
		plan_fx_test(test_warnings),
		plan_fx_test(test_nvidia_no_args),
		plan_fx_test(test_json),
		plan_fx_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
