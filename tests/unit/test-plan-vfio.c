// SPDX-License-Identifier: GPL-2.0-or-later
/* plan_build(): vfio-pci binding, the exact modprobe.d text, softdeps, blacklist. */
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
#include "plan/plan-internal.h"
#include "plan/plan.h"

static void build(void)
{
	plan_fx_build();
	assert_true(plan.plan_ok);
}

static const struct plan_file *file(const char *path)
{
	for (size_t i = 0; i < plan.n_files; i++)
		if (!strcmp(plan.files[i].path, path))
			return &plan.files[i];
	return NULL;
}

static void test_nvidia_ids_text(void **state)
{
	const struct plan_file *f;

	(void)state;
	hwb_intel_hybrid_nvidia(&hw);
	build();
	assert_string_equal(plan.modprobe_conf,
		"# Written by ironpass-installer (ironpass-installer plan explains it).\n"
		"# Hand the passthrough GPU to vfio-pci before its drivers.\n"
		"options vfio-pci ids=10de:1e87,10de:10f8,10de:1ad8,10de:1ad9 disable_vga=1\n"
		"softdep nouveau pre: vfio-pci\n"
		"softdep nvidia pre: vfio-pci\n"
		"softdep nvidiafb pre: vfio-pci\n"
		"softdep snd_hda_intel pre: vfio-pci\n"
		"softdep xhci_pci pre: vfio-pci\n"
		"softdep i2c_nvidia_gpu pre: vfio-pci\n"
		"softdep ucsi_ccg pre: vfio-pci\n"
		"blacklist nouveau\n"
		"blacklist nvidia\n"
		"blacklist nvidiafb\n"
		"blacklist i2c_nvidia_gpu\n");
	assert_int_equal(plan.n_modules, 3);
	assert_string_equal(plan.modules[0], "vfio");
	assert_string_equal(plan.modules[1], "vfio_iommu_type1");
	assert_string_equal(plan.modules[2], "vfio_pci");
	assert_null(strstr(plan.modules_load, "virqfd"));
	assert_string_equal(plan.modules_load,
		"# Written by ironpass-installer (ironpass-installer plan explains it).\n"
		"vfio\nvfio_iommu_type1\nvfio_pci\n");
	f = file(PLAN_MODPROBE_PATH);
	assert_non_null(f);
	assert_ptr_equal(f->text, plan.modprobe_conf);
	assert_int_equal(f->mode, 0644);
	f = file(PLAN_INITRAMFS_MODULES);
	assert_non_null(f);
	assert_true(f->append);
	assert_null(file(PLAN_OVERRIDE_SCRIPT));
	assert_int_equal(plan.n_override_addrs, 0);
	assert_int_equal(plan.n_steps, 1);
	assert_string_equal(plan.steps[0], "update-initramfs -u -k all");
}

static void test_host_drivers_not_blacklisted(void **state)
{
	(void)state;
	/* the host keeps an AMD boot GPU and onboard audio: amdgpu, radeon, snd_hda_intel stay */
	hwb_amd_dual(&hw, 0x731f);
	build();
	assert_string_equal(plan.modprobe_conf,
		"# Written by ironpass-installer (ironpass-installer plan explains it).\n"
		"# Hand the passthrough GPU to vfio-pci before its drivers.\n"
		"options vfio-pci ids=1002:731f,1002:ab38 disable_vga=1\n"
		"softdep amdgpu pre: vfio-pci\n"
		"softdep radeon pre: vfio-pci\n"
		"softdep snd_hda_intel pre: vfio-pci\n");
	assert_int_equal(plan.n_blacklist, 0);
}

static void identical_machine(void)
{
	hwb_init(&hw);
	hwb_pci(&hw, "0000:00:01.0", 0x8086, 0x1901, 0x060400, "pcieport", 1);
	hwb_pci(&hw, "0000:01:00.0", 0x10de, 0x2484, 0x030000, "nouveau", 1);
	hwb_pci(&hw, "0000:01:00.1", 0x10de, 0x228b, 0x040300, "snd_hda_intel", 1);
	hwb_pci(&hw, "0000:4b:00.0", 0x10de, 0x2484, 0x030000, "nouveau", 7);
	hwb_pci(&hw, "0000:4b:00.1", 0x10de, 0x228b, 0x040300, "snd_hda_intel", 7);
	hwb_gpu(&hw, "0000:01:00.0", true);
	hwb_gpu(&hw, "0000:4b:00.0", false);
	hwb_groups(&hw);
}

static void test_identical_gpus_driver_override(void **state)
{
	const struct plan_file *f;

	(void)state;
	identical_machine();
	build();
	assert_string_equal(plan.gpus[0].slot, "0000:4b:00");
	assert_true(plan.gpus[0].fn[0].by_override);
	assert_true(plan.gpus[0].fn[1].by_override);
	assert_int_equal(plan.n_vfio_ids, 0);
	assert_int_equal(plan.n_override_addrs, 2);
	assert_string_equal(plan.modprobe_conf,
		"# Written by ironpass-installer (ironpass-installer plan explains it).\n"
		"# Hand the passthrough GPU to vfio-pci before its drivers.\n"
		"options vfio-pci disable_vga=1\n"
		"install vfio-pci /usr/lib/ironpass/vfio-override $CMDLINE_OPTS\n"
		"softdep nouveau pre: vfio-pci\n"
		"softdep nvidia pre: vfio-pci\n"
		"softdep nvidiafb pre: vfio-pci\n"
		"softdep snd_hda_intel pre: vfio-pci\n");
	assert_null(strstr(plan.modprobe_conf, "ids="));
	assert_null(strstr(plan.modprobe_conf, "blacklist"));
	assert_string_equal(plan.override_script,
		"#!/bin/sh\n"
		"# Written by ironpass-installer (ironpass-installer plan explains it).\n"
		"# The host keeps devices identical to the passthrough ones, so these are\n"
		"# handed to vfio-pci by address. modprobe runs this instead of loading\n"
		"# vfio-pci (see /etc/modprobe.d/ironpass-vfio.conf).\n"
		"for dev in 0000:4b:00.0 0000:4b:00.1; do\n"
		"\tf=/sys/bus/pci/devices/$dev/driver_override\n"
		"\tif [ -e \"$f\" ]; then\n"
		"\t\techo vfio-pci > \"$f\"\n"
		"\tfi\n"
		"done\n"
		"exec /sbin/modprobe --ignore-install vfio-pci \"$@\"\n");
	f = file(PLAN_OVERRIDE_SCRIPT);
	assert_non_null(f);
	assert_int_equal(f->mode, 0755);
	f = file(PLAN_OVERRIDE_HOOK);
	assert_non_null(f);
	assert_non_null(strstr(f->text, "copy_file script /usr/lib/ironpass/vfio-override\n"));
}

static void test_mixed_ids_and_override(void **state)
{
	(void)state;
	/* same audio id on both cards, different GPU ids */
	identical_machine();
	hw.pci[3].device_id = 0x2486;
	build();
	assert_int_equal(plan.n_vfio_ids, 1);
	assert_string_equal(plan.vfio_ids[0], "10de:2486");
	assert_int_equal(plan.n_override_addrs, 1);
	assert_string_equal(plan.override_addrs[0], "0000:4b:00.1");
	assert_non_null(strstr(plan.modprobe_conf, "options vfio-pci ids=10de:2486 "
			       "disable_vga=1\ninstall vfio-pci "));
}

static void test_no_vga_no_disable_vga(void **state)
{
	(void)state;
	/* a 3D controller (compute card) behind an ASPEED BMC VGA */
	hwb_init(&hw);
	hwb_pci(&hw, "0000:02:00.0", 0x1a03, 0x2000, 0x030000, "ast", 3);
	hwb_pci(&hw, "0000:81:00.0", 0x10de, 0x20b5, 0x030200, NULL, 40);
	hwb_gpu(&hw, "0000:02:00.0", true);
	hwb_gpu(&hw, "0000:81:00.0", false);
	hwb_groups(&hw);
	build();
	assert_string_equal(plan.gpus[0].hostpci, "0000:81:00,pcie=1");
	assert_non_null(strstr(plan.modprobe_conf, "options vfio-pci ids=10de:20b5\n"));
	assert_null(strstr(plan.modprobe_conf, "disable_vga"));
	/* the host's ast stays, nouveau/nvidia go */
	assert_non_null(strstr(plan.modprobe_conf, "blacklist nouveau\nblacklist nvidia\n"));
	assert_null(strstr(plan.modprobe_conf, "blacklist ast"));
}

static void test_dev_modules(void **state)
{
	char mods[8][PLAN_MOD_MAX];
	struct hw_pci_dev d = { .vendor_id = 0x10de, .class_code = 0x0c0330 };

	(void)state;
	snprintf(d.driver, sizeof(d.driver), "xhci_hcd");
	assert_int_equal(plan_dev_modules(&d, mods, 8), 1);
	assert_string_equal(mods[0], "xhci_pci");
	snprintf(d.driver, sizeof(d.driver), "vfio-pci");
	d.class_code = 0x040300;
	assert_int_equal(plan_dev_modules(&d, mods, 8), 1);
	assert_string_equal(mods[0], "snd_hda_intel");
	snprintf(d.driver, sizeof(d.driver), "some-driver");
	d.class_code = 0x020000;
	assert_int_equal(plan_dev_modules(&d, mods, 8), 1);
	assert_string_equal(mods[0], "some_driver");
	d.driver[0] = '\0';
	d.vendor_id = 0x1234;
	d.class_code = 0x030000;
	assert_int_equal(plan_dev_modules(&d, mods, 8), 1);
	assert_string_equal(mods[0], "bochs");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		plan_fx_test(test_nvidia_ids_text),
		plan_fx_test(test_host_drivers_not_blacklisted),
		plan_fx_test(test_identical_gpus_driver_override),
		plan_fx_test(test_mixed_ids_and_override),
		plan_fx_test(test_no_vga_no_disable_vga),
		plan_fx_test(test_dev_modules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
