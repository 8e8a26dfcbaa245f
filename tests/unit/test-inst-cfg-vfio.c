// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Passthrough config from a plan: files, GRUB drop-in or /etc/kernel/cmdline,
 * argv; and the one decision which boot loader configuration the target uses.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "answer.h"
#include "fake-runner.h"
#include "hw-tree.h"
#include "path.h"
#include "plan/plan.h"
#include "target/inst-cfg.h"

static char *words[] = { (char *)"intel_iommu=on", (char *)"iommu=pt" };
static struct hw uefi_hw = { .fw = HW_FW_UEFI, .secure_boot = HW_NO };

/* A zfs root on UEFI firmware whose payload has proxmox-boot-tool: systemd-boot. */
static void pbt_target(struct inst_ctx *ctx, const char *root)
{
	hwt_file(root, INST_PBT_TOOL, "#!/bin/sh\n");
	snprintf(ctx->layout.root_fstype, sizeof(ctx->layout.root_fstype), "zfs");
	ctx->hw = &uefi_hw;
	ctx->boot = INST_BOOT_UNDECIDED;
}
static char *steps[] = { (char *)"update-initramfs -u -k all" };
static struct plan_file files[3];

static void mkplan(struct plan *p)
{
	memset(p, 0, sizeof(*p));
	memset(files, 0, sizeof(files));
	p->plan_ok = true;
	p->kernel_args = words;
	p->n_kernel_args = 2;
	p->cmdline = (char *)"intel_iommu=on iommu=pt";
	snprintf(files[0].path, sizeof(files[0].path), "%s", PLAN_MODPROBE_PATH);
	files[0].text = (char *)"options vfio-pci ids=1234:1111,8086:293e disable_vga=1\n"
				"softdep bochs pre: vfio-pci\n";
	files[0].mode = 0644;
	snprintf(files[1].path, sizeof(files[1].path), "%s", PLAN_MODULES_LOAD_PATH);
	files[1].text = (char *)"vfio\nvfio_iommu_type1\nvfio_pci\n";
	files[1].mode = 0644;
	snprintf(files[2].path, sizeof(files[2].path), "%s", PLAN_INITRAMFS_MODULES);
	files[2].text = (char *)"vfio\nvfio_iommu_type1\nvfio_pci\n";
	files[2].mode = 0644;
	files[2].append = true;
	p->files = files;
	p->n_files = 3;
	p->steps = steps;
	p->n_steps = 1;
}

static void test_texts(void **state)
{
	const char *w[] = { "intel_iommu=on", "iommu=pt" };
	const char *bad[] = { "quiet\"; rm -rf /; \"" };
	struct ip_err err = { 0 };
	char *t;

	(void)state;
	t = inst_cfg_grub_dropin_text(w, 2, &err);
	assert_string_equal(t, "# ironpass: kernel command line for GPU passthrough\n"
			       "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT "
			       "intel_iommu=on iommu=pt\"\n");
	free(t);
	assert_null(inst_cfg_grub_dropin_text(bad, 1, &err));
	assert_int_equal(err.code, -EINVAL);
	t = inst_cfg_kernel_cmdline_text("root=ZFS=rpool/ROOT/pve-1 boot=zfs iommu=pt\n", w, 2,
					 &err);
	assert_string_equal(t, "root=ZFS=rpool/ROOT/pve-1 boot=zfs iommu=pt intel_iommu=on\n");
	free(t);
	t = inst_cfg_kernel_cmdline_text(NULL, w, 2, &err);
	assert_string_equal(t, "intel_iommu=on iommu=pt\n");
	free(t);
}

static void test_grub(void **state)
{
	struct fake_runner f;
	struct inst_ctx ctx = { 0 };
	struct plan p;
	char *root = hwt_new(), *t = NULL, want[512];
	size_t len;

	(void)state;
	mkplan(&p);
	fake_runner_init(&f);
	hwt_file(root, PLAN_INITRAMFS_MODULES, "# List of modules\n");
	hwt_file(root, "/boot/grub/grub.cfg", "# grub\n");
	ctx.target = root;
	ctx.runner = &f.r;
	ctx.plan = &p;
	assert_int_equal(inst_cfg_passthrough(&ctx), 0);
	assert_int_equal(path_read_all(root, INST_GRUB_DROPIN, 4096, &t, &len), 0);
	assert_non_null(strstr(t, "\"$GRUB_CMDLINE_LINUX_DEFAULT intel_iommu=on iommu=pt\"\n"));
	free(t);
	assert_false(path_exists(root, INST_KERNEL_CMDLINE));
	assert_int_equal(path_read_all(root, PLAN_MODPROBE_PATH, 4096, &t, &len), 0);
	assert_string_equal(t, files[0].text);
	free(t);
	assert_int_equal(path_read_all(root, PLAN_MODULES_LOAD_PATH, 4096, &t, &len), 0);
	assert_string_equal(t, "vfio\nvfio_iommu_type1\nvfio_pci\n");
	free(t);
	assert_int_equal(path_read_all(root, PLAN_INITRAMFS_MODULES, 4096, &t, &len), 0);
	assert_string_equal(t, "# List of modules\nvfio\nvfio_iommu_type1\nvfio_pci\n");
	free(t);
	assert_int_equal(f.n_calls, 2);
	snprintf(want, sizeof(want), "chroot %s update-initramfs -u -k all", root);
	assert_string_equal(f.calls[0].cmd, want);
	snprintf(want, sizeof(want), "chroot %s update-grub", root);
	assert_string_equal(f.calls[1].cmd, want);
	/* twice: the appended file does not grow; without grub.cfg update-grub waits */
	hwt_rm(root, "/boot/grub/grub.cfg");
	assert_int_equal(inst_cfg_passthrough(&ctx), 0);
	assert_int_equal(f.n_calls, 3);
	snprintf(want, sizeof(want), "chroot %s update-initramfs -u -k all", root);
	assert_string_equal(f.calls[2].cmd, want);
	assert_int_equal(path_read_all(root, PLAN_INITRAMFS_MODULES, 4096, &t, &len), 0);
	assert_string_equal(t, "# List of modules\nvfio\nvfio_iommu_type1\nvfio_pci\n");
	free(t);
	fake_runner_release(&f);
	hwt_free(root);
}

/* [ironpass] serial-console: the installed kernel logs there (console= last) */
static void test_serial_console(void **state)
{
	struct fake_runner f;
	struct inst_ctx ctx = { 0 };
	struct answer a;
	struct plan p;
	char *root = hwt_new(), *t = NULL;
	size_t len;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.ironpass.serial_console = (char *)"ttyS0,115200";
	mkplan(&p);
	fake_runner_init(&f);
	hwt_file(root, PLAN_INITRAMFS_MODULES, "# List of modules\n");
	ctx.target = root;
	ctx.runner = &f.r;
	ctx.plan = &p;
	ctx.answer = &a;
	assert_int_equal(inst_cfg_passthrough(&ctx), 0);
	assert_int_equal(path_read_all(root, INST_GRUB_DROPIN, 4096, &t, &len), 0);
	assert_non_null(strstr(t, "\"$GRUB_CMDLINE_LINUX_DEFAULT intel_iommu=on iommu=pt "
				  "console=tty0 console=ttyS0,115200\"\n"));
	free(t);
	/* systemd-boot: the same words in /etc/kernel/cmdline */
	pbt_target(&ctx, root);
	hwt_file(root, INST_PBT_UUIDS, "1234-5678\n");
	hwt_file(root, INST_KERNEL_CMDLINE, "root=ZFS=rpool/ROOT/pve-1 boot=zfs\n");
	assert_int_equal(inst_cfg_passthrough(&ctx), 0);
	assert_int_equal(path_read_all(root, INST_KERNEL_CMDLINE, 4096, &t, &len), 0);
	assert_string_equal(t, "root=ZFS=rpool/ROOT/pve-1 boot=zfs intel_iommu=on iommu=pt "
			       "console=tty0 console=ttyS0,115200\n");
	free(t);
	/* a value that is no kernel word is refused, nothing is written */
	a.ironpass.serial_console = (char *)"ttyS0 quiet";
	assert_int_equal(inst_cfg_passthrough(&ctx), -EINVAL);
	fake_runner_release(&f);
	hwt_free(root);
}

static void test_systemd_boot(void **state)
{
	struct fake_runner f;
	struct inst_ctx ctx = { 0 };
	struct plan p;
	char *root = hwt_new(), *t = NULL, want[512];
	size_t len;

	(void)state;
	mkplan(&p);
	p.n_steps = 0;	/* update-initramfs runs anyway */
	fake_runner_init(&f);
	hwt_file(root, INST_PBT_UUIDS, "1234-ABCD\n");
	hwt_file(root, INST_KERNEL_CMDLINE, "root=ZFS=rpool/ROOT/pve-1 boot=zfs\n");
	ctx.target = root;
	ctx.runner = &f.r;
	ctx.plan = &p;
	pbt_target(&ctx, root);
	assert_int_equal(inst_cfg_boot_decide(&ctx), INST_BOOT_PBT_SDBOOT);
	assert_int_equal(inst_cfg_passthrough(&ctx), 0);
	assert_int_equal(path_read_all(root, INST_KERNEL_CMDLINE, 4096, &t, &len), 0);
	assert_string_equal(t, "root=ZFS=rpool/ROOT/pve-1 boot=zfs intel_iommu=on iommu=pt\n");
	free(t);
	assert_false(path_exists(root, INST_GRUB_DROPIN));
	assert_int_equal(f.n_calls, 2);
	snprintf(want, sizeof(want), "chroot %s update-initramfs -u -k all", root);
	assert_string_equal(f.calls[0].cmd, want);
	snprintf(want, sizeof(want), "chroot %s proxmox-boot-tool refresh", root);
	assert_string_equal(f.calls[1].cmd, want);
	assert_int_equal(fake_runner_find(&f, "update-grub"), -1);
	fake_runner_release(&f);
	hwt_free(root);
}

/*
 * The decision: proxmox-boot-tool only for a zfs root whose target has it;
 * systemd-boot on UEFI without Secure Boot, else GRUB on the ESPs; recorded.
 */
static void test_boot_decide(void **state)
{
	struct hw bios = { .fw = HW_FW_BIOS }, sb = { .fw = HW_FW_UEFI, .secure_boot = HW_YES };
	struct inst_ctx ctx = { 0 };
	char *root = hwt_new();

	(void)state;
	ctx.target = root;
	ctx.hw = &uefi_hw;
	/* proxmox-boot-uuids says nothing about the loader: an ext4 root boots GRUB */
	snprintf(ctx.layout.root_fstype, sizeof(ctx.layout.root_fstype), "ext4");
	hwt_file(root, INST_PBT_UUIDS, "1234-ABCD\n");
	hwt_file(root, INST_PBT_TOOL, "#!/bin/sh\n");
	assert_int_equal(inst_cfg_boot_decide(&ctx), INST_BOOT_GRUB);
	/* recorded: asking again does not decide again */
	snprintf(ctx.layout.root_fstype, sizeof(ctx.layout.root_fstype), "zfs");
	assert_int_equal(inst_cfg_boot_decide(&ctx), INST_BOOT_GRUB);
	ctx.boot = INST_BOOT_UNDECIDED;
	assert_int_equal(inst_cfg_boot_decide(&ctx), INST_BOOT_PBT_SDBOOT);
	assert_int_equal(ctx.boot, INST_BOOT_PBT_SDBOOT);
	ctx.boot = INST_BOOT_UNDECIDED;
	ctx.hw = &bios;
	assert_int_equal(inst_cfg_boot_decide(&ctx), INST_BOOT_PBT_GRUB);
	ctx.boot = INST_BOOT_UNDECIDED;
	ctx.hw = &sb;
	assert_int_equal(inst_cfg_boot_decide(&ctx), INST_BOOT_PBT_GRUB);
	/* a zfs root without proxmox-boot-tool (the stand-in payload): Debian's GRUB */
	hwt_rm(root, INST_PBT_TOOL);
	ctx.boot = INST_BOOT_UNDECIDED;
	ctx.hw = &uefi_hw;
	assert_int_equal(inst_cfg_boot_decide(&ctx), INST_BOOT_GRUB);
	hwt_free(root);
}

/* proxmox-boot-tool with GRUB (BIOS): the drop-in; refresh only once an ESP is set up */
static void test_pbt_grub(void **state)
{
	struct hw bios = { .fw = HW_FW_BIOS };
	struct fake_runner f;
	struct inst_ctx ctx = { 0 };
	struct plan p;
	char *root = hwt_new(), *t = NULL, want[512];
	size_t len;

	(void)state;
	mkplan(&p);
	fake_runner_init(&f);
	ctx.target = root;
	ctx.runner = &f.r;
	ctx.plan = &p;
	pbt_target(&ctx, root);
	ctx.hw = &bios;
	hwt_file(root, INST_KERNEL_CMDLINE, "root=ZFS=rpool/ROOT/pve-1 boot=zfs\n");
	assert_int_equal(inst_cfg_passthrough(&ctx), 0);
	assert_int_equal(ctx.boot, INST_BOOT_PBT_GRUB);
	assert_int_equal(path_read_all(root, INST_GRUB_DROPIN, 4096, &t, &len), 0);
	assert_non_null(strstr(t, "\"$GRUB_CMDLINE_LINUX_DEFAULT intel_iommu=on iommu=pt\"\n"));
	free(t);
	/* /etc/kernel/cmdline is not the loader's: left as it was */
	assert_int_equal(path_read_all(root, INST_KERNEL_CMDLINE, 4096, &t, &len), 0);
	assert_string_equal(t, "root=ZFS=rpool/ROOT/pve-1 boot=zfs\n");
	free(t);
	/* no ESP yet: the boot loader step's proxmox-boot-tool init refreshes */
	assert_int_equal(f.n_calls, 1);
	assert_int_equal(fake_runner_find(&f, "update-grub"), -1);
	hwt_file(root, INST_PBT_UUIDS, "1234-ABCD\n");
	assert_int_equal(inst_cfg_passthrough(&ctx), 0);
	assert_int_equal(f.n_calls, 3);
	snprintf(want, sizeof(want), "chroot %s proxmox-boot-tool refresh", root);
	assert_string_equal(f.calls[2].cmd, want);
	assert_int_equal(fake_runner_find(&f, "update-grub"), -1);
	fake_runner_release(&f);
	hwt_free(root);
}

static void test_refusals(void **state)
{
	struct fake_runner f;
	struct inst_ctx ctx = { 0 };
	struct plan p;
	char *root = hwt_new();
	char *refusal = (char *)"IOMMU group 1 holds other devices";

	(void)state;
	fake_runner_init(&f);
	ctx.target = root;
	ctx.runner = &f.r;
	ctx.plan = &p;
	mkplan(&p);
	p.plan_ok = false;
	p.refusals = &refusal;
	p.n_refusals = 1;
	assert_int_equal(inst_cfg_passthrough(&ctx), -EINVAL);
	assert_string_equal(ctx.err.msg, "the passthrough plan was refused: "
					 "IOMMU group 1 holds other devices");
	mkplan(&p);
	snprintf(files[0].path, sizeof(files[0].path), "/root/.ssh/authorized_keys");
	assert_int_equal(inst_cfg_passthrough(&ctx), -EINVAL);
	mkplan(&p);
	fake_runner_push(&f, 1, "", "update-initramfs: failed\n");
	assert_int_equal(inst_cfg_passthrough(&ctx), -EIO);
	assert_non_null(strstr(ctx.err.msg, "update-initramfs: failed"));
	assert_int_equal(fake_runner_find(&f, "update-grub"), -1);
	fake_runner_release(&f);
	hwt_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_grub),
		cmocka_unit_test(test_systemd_boot),
		cmocka_unit_test(test_serial_console),
		cmocka_unit_test(test_boot_decide),
		cmocka_unit_test(test_pbt_grub),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
