// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The detector on small hand-made trees, most of them broken on purpose:
 * missing files, garbage in attribute files, dangling links, truncated config
 * space. Each must end in a note or a clear error, never a crash or an exit.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/hw.h"
#include "hw-tree.h"

static bool has_note(const struct hw *hw, const char *needle)
{
	for (size_t i = 0; i < hw->n_notes; i++)
		if (strstr(hw->notes[i], needle))
			return true;
	return false;
}

static void dump_notes(const struct hw *hw)
{
	for (size_t i = 0; i < hw->n_notes; i++)
		print_message("note: %s\n", hw->notes[i]);
}

static int setup(void **state)
{
	*state = hwt_new();
	return 0;
}

static int teardown(void **state)
{
	hwt_free(*state);
	return 0;
}

static void detect_ok(const char *root, struct hw *hw)
{
	struct ip_err err = { 0 };

	assert_int_equal(hw_detect(root, hw, &err), 0);
	dump_notes(hw);
}

static void test_missing_sysroot(void **state)
{
	struct ip_err err = { 0 };
	struct hw hw;
	char path[4096];

	snprintf(path, sizeof(path), "%s/nonexistent", (char *)*state);
	assert_int_equal(hw_detect(path, &hw, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "cannot read sysroot"));
	assert_non_null(strstr(err.msg, "No such file or directory"));
}

static void test_not_a_system_tree(void **state)
{
	struct ip_err err = { 0 };
	struct hw hw;

	hwt_file(*state, "/etc/hostname", "x\n");
	assert_int_equal(hw_detect(*state, &hw, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "neither 'sys' nor 'proc'"));
}

static void test_empty_proc_only(void **state)
{
	struct hw hw;

	hwt_file(*state, "/proc/cmdline", "quiet\n");
	detect_ok(*state, &hw);
	assert_int_equal(hw.n_pci, 0);
	assert_int_equal(hw.n_gpus, 0);
	assert_false(hw.iommu_present);
	assert_int_equal(hw.irq_remap, HW_UNKNOWN);
	assert_string_equal(hw.cmdline, "quiet");
	assert_true(has_note(&hw, "no PCI devices"));
	assert_true(has_note(&hw, "'/proc/cpuinfo'"));
	hw_release(&hw);
}

static void test_pci_missing_and_garbage(void **state)
{
	const char *root = *state;
	struct hw hw;

	hwt_pci(root, "0000:00:02.0", 0x8086, 0x4680, 0x030000, 1, 0x6000000000, 0x1000000);
	hwt_pci(root, "0000:01:00.0", 0x10de, 0x1e87, 0x030000, 2, 0xf6000000, 0x1000000);
	hwt_pci(root, "0000:02:00.0", 0x8086, 0x1539, 0x020000, 3, 0xf7000000, 0x20000);
	hwt_pci(root, "0000:03:00.0", 0x144d, 0xa808, 0x010802, 4, 0xf7100000, 0x4000);
	/* no vendor file */
	hwt_rm(root, "/sys/devices/pci0000:00/0000:01:00.0/vendor");
	/* garbage class */
	hwt_file(root, "/sys/devices/pci0000:00/0000:02:00.0/class", "banana\n");
	/* malformed resource */
	hwt_file(root, "/sys/devices/pci0000:00/0000:03:00.0/resource", "0x1 zz\n");
	/* an entry that is not an address */
	hwt_link(root, "/sys/bus/pci/devices/junk", "../../../devices/junk");
	detect_ok(root, &hw);
	assert_int_equal(hw.n_pci, 1);
	assert_string_equal(hw.pci[0].addr, "0000:00:02.0");
	assert_true(has_note(&hw, "skipping PCI device '0000:01:00.0': unusable 'vendor'"));
	assert_true(has_note(&hw, "skipping PCI device '0000:02:00.0': unusable 'class'"));
	assert_true(has_note(&hw, "malformed 'resource'"));
	assert_true(has_note(&hw, "ignoring 'junk'"));
	hw_release(&hw);
}

static void test_pci_truncated_config_and_links(void **state)
{
	const char *root = *state;
	const char *dev = "/sys/devices/pci0000:00/0000:01:00.0";
	char path[256];
	struct hw hw;

	hwt_pci(root, "0000:01:00.0", 0x10de, 0x2504, 0x030000, 5, 0xf6000000, 0x1000000);
	snprintf(path, sizeof(path), "%s/config", dev);
	hwt_bin(root, path, "\xde\x10\x04\x25", 4);
	snprintf(path, sizeof(path), "%s/driver", dev);
	hwt_link(root, path, "../../../bus/pci/drivers/nvidia");	/* dangling */
	snprintf(path, sizeof(path), "%s/boot_vga", dev);
	hwt_file(root, path, "maybe\n");
	detect_ok(root, &hw);
	assert_int_equal(hw.n_pci, 1);
	assert_int_equal(hw.pci[0].vendor_id, 0x10de);
	assert_int_equal(hw.pci[0].device_id, 0x2504);
	assert_int_equal(hw.pci[0].class_code, 0x030000);
	assert_int_equal(hw.pci[0].iommu_group, 5);
	assert_string_equal(hw.pci[0].driver, "nvidia");
	assert_int_equal(hw.pci[0].boot_vga, HW_UNKNOWN);
	assert_true(has_note(&hw, "truncated"));
	assert_true(has_note(&hw, "dangling"));
	assert_true(has_note(&hw, "unexpected 'maybe'"));
	assert_int_equal(hw.n_gpus, 1);
	assert_false(hw.gpus[0].is_boot);
	hw_release(&hw);
}

/* boot_vga absent is not "0": a firmware framebuffer inside a BAR marks the boot GPU */
static void test_boot_by_framebuffer(void **state)
{
	const char *root = *state;
	struct hw hw;

	hwt_pci(root, "0000:00:02.0", 0x1a03, 0x2000, 0x030000, 1, 0xf8000000, 0x1000000);
	hwt_pci(root, "0000:01:00.0", 0x10de, 0x2235, 0x030200, 2, 0x38000000000, 0x1000000000);
	hwt_file(root, "/proc/iomem", "f8000000-f8ffffff : 0000:00:02.0\n"
				      "  f8000000-f82fffff : efifb\n"
				      "38000000000-38fffffffff : 0000:01:00.0\n");
	detect_ok(root, &hw);
	assert_int_equal(hw.n_gpus, 2);
	assert_int_equal(hw.pci[0].boot_vga, HW_UNKNOWN);
	assert_true(hw.pci[0].fb_in_bar);
	assert_true(hw.gpus[0].is_boot);
	assert_false(hw.gpus[1].is_boot);
	assert_false(hw.gpus[1].integrated);
	hw_release(&hw);
}

static void test_group_intruder(void **state)
{
	const char *root = *state;
	struct hw hw;

	hwt_pci(root, "0000:00:1c.0", 0x8086, 0xa290, 0x060400, 7, 0, 0);
	hwt_pci(root, "0000:03:00.0", 0x10de, 0x2184, 0x030000, 7, 0xf6000000, 0x1000000);
	hwt_pci(root, "0000:03:00.1", 0x10de, 0x1aeb, 0x040300, 7, 0xf7080000, 0x4000);
	hwt_pci(root, "0000:04:00.0", 0x8086, 0x1539, 0x020000, 7, 0xf7200000, 0x20000);
	hwt_file(root, "/sys/class/iommu/dmar0/uevent", "");
	detect_ok(root, &hw);
	assert_true(hw.iommu_present);
	assert_int_equal(hw.n_groups, 1);
	assert_int_equal(hw.groups[0].n_devs, 4);
	assert_int_equal(hw.n_gpus, 1);
	assert_int_equal(hw.gpus[0].n_fn, 2);
	assert_true(hw.pci[0].is_bridge);
	assert_false(hw.gpus[0].group_clean);
	assert_int_equal(hw.gpus[0].n_intruders, 1);
	assert_string_equal(hw.pci[hw.gpus[0].intruders[0]].addr, "0000:04:00.0");
	hw_release(&hw);
}

static void test_iommu_groups_garbage(void **state)
{
	const char *root = *state;
	struct hw hw;

	hwt_pci(root, "0000:00:02.0", 0x8086, 0x3e92, 0x030000, 0, 0xf6000000, 0x1000000);
	hwt_file(root, "/sys/kernel/iommu_groups/abc/type", "DMA\n");
	hwt_link(root, "/sys/kernel/iommu_groups/0/devices/0000:09:00.0",
		 "../../../../devices/pci0000:00/0000:09:00.0");
	hwt_file(root, "/proc/interrupts", "  0: 1 IO-APIC 2-edge timer\n");
	detect_ok(root, &hw);
	assert_false(hw.iommu_present);	/* no /sys/class/iommu units */
	assert_int_equal(hw.n_groups, 1);
	assert_int_equal(hw.irq_remap, HW_NO);
	assert_true(has_note(&hw, "ignoring 'abc'"));
	assert_true(has_note(&hw, "'0000:09:00.0', which is not a known PCI device"));
	hw_release(&hw);
}

/* Memory in use now: MemTotal - MemAvailable; either one missing is -ENOENT */
static void test_mem_now(void **state)
{
	const char *root = *state;
	struct hw_mem_now m;

	assert_int_equal(hw_mem_now(root, &m), -ENOENT);	/* no /proc/meminfo */
	hwt_file(root, "/proc/meminfo", "MemTotal:        2048000 kB\nMemFree:  10 kB\n"
					"MemAvailable:    1536000 kB\nSwapTotal: 0 kB\n");
	assert_int_equal(hw_mem_now(root, &m), 0);
	assert_int_equal(m.total_kib, 2048000);
	assert_int_equal(m.available_kib, 1536000);
	assert_int_equal(m.used_kib, 512000);
	/* a key is matched at the start of a line only, with its colon */
	hwt_file(root, "/proc/meminfo",
		 "MemTotal: 100 kB\nXMemAvailable: 5 kB\nMemAvailableX: 6 kB\n");
	assert_int_equal(hw_mem_now(root, &m), -ENOENT);
	hwt_file(root, "/proc/meminfo", "MemTotal: 100 kB\nMemAvailable: 200 kB\n");
	assert_int_equal(hw_mem_now(root, &m), -ENOENT);	/* more available than there is */
}

static void test_cpu_mem_fw_garbage(void **state)
{
	const char *root = *state;
	struct hw hw;

	hwt_file(root, "/proc/cpuinfo", "processor : 0\nvendor_id : AuthenticAMD\n"
					"model name : X\nflags : fpu svm\n\nprocessor : 1\n");
	hwt_file(root, "/sys/devices/cpu_core/cpus", "0-7\n");
	hwt_file(root, "/sys/devices/cpu_atom/cpus", "8-x\n");
	hwt_file(root, "/sys/devices/system/cpu/online", "what\n");
	hwt_file(root, "/proc/meminfo", "MemFree: 12 kB\n");
	hwt_bin(root, "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c",
		"\x06\x00", 2);
	hwt_file(root, "/sys/block/sda/size", "lots\n");
	hwt_file(root, "/sys/block/loop0/size", "8\n");
	detect_ok(root, &hw);
	assert_int_equal(hw.cpu.vendor, HW_CPU_AMD);
	assert_true(hw.cpu.virt);
	assert_int_equal(hw.cpu.threads, 2);
	assert_false(hw.cpu.hybrid);
	assert_true(has_note(&hw, "hybrid cpu lists"));
	assert_true(has_note(&hw, "cannot parse '/sys/devices/system/cpu/online'"));
	assert_int_equal(hw.mem_total_kib, 0);
	assert_true(has_note(&hw, "no 'MemTotal'"));
	assert_int_equal(hw.fw, HW_FW_UEFI);
	assert_int_equal(hw.secure_boot, HW_UNKNOWN);
	assert_true(has_note(&hw, "SecureBoot variable"));
	assert_int_equal(hw.n_disks, 1);
	assert_int_equal(hw.disks[0].size_bytes, 0);
	assert_true(has_note(&hw, "cannot parse 'lots'"));
	hw_release(&hw);
}

static void test_secure_boot_and_medium(void **state)
{
	const char *root = *state;
	struct hw hw;

	hwt_bin(root, "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c",
		"\x06\x00\x00\x00\x01", 5);
	hwt_link(root, "/sys/block/sdb", "../devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/"
		 "host6/target6:0:0/6:0:0:0/block/sdb");
	hwt_file(root, "/sys/devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/"
		 "6:0:0:0/block/sdb/size", "60062500\n");
	hwt_file(root, "/sys/devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/"
		 "6:0:0:0/block/sdb/sdb1/partition", "1\n");
	hwt_file(root, "/proc/self/mountinfo",
		 "30 1 8:17 / /run/live/medium ro,noatime - iso9660 /dev/sdb1 ro\n");
	detect_ok(root, &hw);
	assert_int_equal(hw.secure_boot, HW_YES);
	assert_int_equal(hw.n_disks, 1);
	assert_string_equal(hw.disks[0].transport, "usb");
	assert_int_equal(hw.disks[0].size_bytes, 60062500ULL * 512);
	assert_true(hw.disks[0].has_partitions);
	assert_true(hw.disks[0].is_boot_medium);
	assert_string_equal(hw.boot_medium_dev, "/dev/sdb1");
	hw_release(&hw);
}

static void test_net_dmi_and_disk_kinds(void **state)
{
	const char *root = *state;
	const char *nic = "/sys/devices/pci0000:00/0000:00:1f.6/net/eno1";
	char path[256];
	struct hw hw;

	hwt_pci(root, "0000:00:1f.6", 0x8086, 0x15bc, 0x020000, -1, 0xf7000000, 0x20000);
	hwt_link(root, "/sys/class/net/eno1", "../../devices/pci0000:00/0000:00:1f.6/net/eno1");
	snprintf(path, sizeof(path), "%s/address", nic);
	hwt_file(root, path, "18:c0:4d:00:00:04\n");
	snprintf(path, sizeof(path), "%s/device", nic);
	hwt_link(root, path, "../../../0000:00:1f.6");
	hwt_link(root, "/sys/devices/pci0000:00/0000:00:1f.6/driver",
		 "../../../bus/pci/drivers/e1000e");
	hwt_file(root, "/sys/bus/pci/drivers/e1000e/uevent", "");
	snprintf(path, sizeof(path), "%s/speed", nic);
	hwt_file(root, path, "-1\n");		/* link down: no carrier file, speed -1 */
	hwt_file(root, "/sys/devices/virtual/net/vmbr0/address", "not-a-mac-address-at-all\n");
	hwt_link(root, "/sys/class/net/vmbr0", "../../devices/virtual/net/vmbr0");
	hwt_file(root, "/sys/class/dmi/id/sys_vendor", "Supermicro\n");
	hwt_file(root, "/sys/class/dmi/id/product_sku", "SYS-1029P-WTR\n");
	hwt_file(root, "/sys/class/dmi/id/chassis_asset_tag", "RACK4-U17\n");
	hwt_file(root, "/sys/block/md127/size", "100\n");
	hwt_file(root, "/sys/block/sr0/size", "0\n");
	hwt_file(root, "/sys/block/dm-0/size", "100\n");
	hwt_file(root, "/sys/block/zram0/size", "100\n");
	hwt_file(root, "/proc/mounts", "/dev/sr0 /run/live/medium iso9660 ro 0 0\n");
	detect_ok(root, &hw);
	assert_int_equal(hw.n_nics, 2);
	assert_string_equal(hw.nics[0].name, "eno1");
	assert_false(hw.nics[0].is_virtual);
	assert_false(hw.nics[0].link);
	assert_int_equal(hw.nics[0].speed_mbps, 0);
	assert_string_equal(hw.nics[0].driver, "e1000e");
	assert_string_equal(hw.nics[0].pci_addr, "0000:00:1f.6");
	assert_string_equal(hw.nics[0].mac, "18:c0:4d:00:00:04");
	assert_true(hw.nics[1].is_virtual);
	assert_string_equal(hw.nics[1].mac, "");
	assert_true(has_note(&hw, "unexpected address"));
	assert_string_equal(hw.dmi.sys_vendor, "Supermicro");
	assert_string_equal(hw.dmi.product_serial, "");
	assert_string_equal(hw.dmi.product_sku, "SYS-1029P-WTR");
	assert_string_equal(hw.dmi.chassis_asset_tag, "RACK4-U17");
	assert_string_equal(hw.dmi.chassis_serial, "");
	assert_int_equal(hw.n_disks, 2);	/* md127 and sr0; dm-0 and zram0 are not disks */
	assert_true(hw.disks[0].md);
	assert_string_equal(hw.disks[0].transport, "md");
	assert_true(hw.disks[1].optical);
	assert_true(hw.disks[1].is_boot_medium);	/* found through /proc/mounts */
	hw_release(&hw);
}

static void test_cpulist(void **state)
{
	unsigned char m[16];

	(void)state;
	assert_int_equal(hw_cpulist_count("0-15"), 16);
	assert_int_equal(hw_cpulist_count("0-3,8,10-11\n"), 7);
	assert_int_equal(hw_cpulist_count(""), 0);
	assert_int_equal(hw_cpulist_count("3-1"), -EINVAL);
	assert_int_equal(hw_cpulist_count("1,,2"), -EINVAL);
	assert_int_equal(hw_cpulist_count("a"), -EINVAL);
	assert_int_equal(hw_cpulist_parse("2,5-6", m, sizeof(m)), 0);
	assert_int_equal(m[2] + m[5] + m[6], 3);
	assert_int_equal(m[0] + m[1] + m[3] + m[4] + m[7], 0);
	assert_int_equal(hw_cpulist_parse("15-16", m, sizeof(m)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_missing_sysroot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_system_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_proc_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pci_missing_and_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pci_truncated_config_and_links, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_boot_by_framebuffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_intruder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iommu_groups_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mem_now, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_mem_fw_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secure_boot_and_medium, setup, teardown),
		cmocka_unit_test_setup_teardown(test_net_dmi_and_disk_kinds, setup, teardown),
		cmocka_unit_test(test_cpulist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
