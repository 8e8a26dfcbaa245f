// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Boot loader: grub-install for BIOS and UEFI, the removable path, update-grub,
 * BootOrder, and the Secure Boot chain (signed shim + GRUB) on UEFI.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "path.h"

static char dir[64], target[128], sysroot[128];

static void rmtree(const char *d)
{
	const char *rm[] = { "rm", "-rf", d, NULL };
	struct runner r;

	runner_spawn_init(&r);
	runner_check(&r, rm, NULL, NULL);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ironpass-boot-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(sysroot, sizeof(sysroot), "%s/live", dir);
	if (mkdir(target, 0755) < 0 || mkdir(sysroot, 0755) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rmtree(dir);
	return 0;
}

static void init(struct inst_ctx *ctx, struct fake_runner *f, struct hw *hw, enum hw_fw_mode fw)
{
	memset(ctx, 0, sizeof(*ctx));
	memset(hw, 0, sizeof(*hw));
	fake_runner_init(f);
	hw->fw = fw;
	ctx->hw = hw;
	ctx->runner = &f->r;
	ctx->target = target;
	ctx->sysroot = sysroot;
	snprintf(ctx->layout.disk_dev, sizeof(ctx->layout.disk_dev), "/dev/vda");
	ctx->mounts.chroot_ready = true;	/* inst_chroot_mounts is tested in test-inst-mount */
}

static void expect(const struct fake_runner *f, size_t i, const char *cmd)
{
	char want[512];

	snprintf(want, sizeof(want), "chroot %s %s", target, cmd);
	assert_true(i < f->n_calls);
	assert_string_equal(f->calls[i].cmd, want);
}

static void touch(const char *rel)
{
	char dirbuf[256], *slash;

	snprintf(dirbuf, sizeof(dirbuf), "%s", rel);
	slash = strrchr(dirbuf, '/');
	assert_non_null(slash);
	*slash = '\0';
	assert_int_equal(path_mkdirs(target, dirbuf, 0755), 0);
	assert_int_equal(path_write_file(target, rel, "x", 1, 0644), 0);
}

/* what shim-signed and grub-efi-amd64-signed put into the target */
static void signed_chain(void)
{
	touch("/usr/lib/shim/shimx64.efi.signed");
	touch("/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed");
}

/* what grub-install --uefi-secure-boot leaves on the ESP, both directories */
static const char *const esp_files[] = {
	"/boot/efi/EFI/proxmox/shimx64.efi", "/boot/efi/EFI/proxmox/grubx64.efi",
	"/boot/efi/EFI/proxmox/grub.cfg", "/boot/efi/EFI/BOOT/BOOTX64.EFI",
	"/boot/efi/EFI/BOOT/grubx64.efi", "/boot/efi/EFI/BOOT/grub.cfg", NULL,
};

static void esp_chain(const char *except)
{
	for (size_t i = 0; esp_files[i]; i++)
		if (!except || strcmp(esp_files[i], except))
			touch(esp_files[i]);
}

static void esp_remove(void)
{
	char d[256];

	snprintf(d, sizeof(d), "%s/boot/efi/EFI", target);
	rmtree(d);
}

/* efibootmgr before and after --create: a new "proxmox" entry 0004 */
static void push_efiboot(struct fake_runner *f)
{
	fake_runner_push(f, 0, "BootCurrent: 0001\nBootOrder: 0001,0000\n"
			 "Boot0000* UiApp\nBoot0001* UEFI QEMU DVD-ROM QM00003 \n", "");
	fake_runner_push(f, 0, "BootCurrent: 0001\nBootOrder: 0004,0001,0000\n"
			 "Boot0000* UiApp\nBoot0001* UEFI QEMU DVD-ROM QM00003 \n"
			 "Boot0004* proxmox\n", "");
}

static void test_bios(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;
	struct hw hw;

	(void)state;
	init(&ctx, &f, &hw, HW_FW_BIOS);
	assert_int_equal(inst_boot(&ctx), 0);
	assert_int_equal(f.n_calls, 4);
	expect(&f, 0, "grub-install --target=i386-pc /dev/vda");
	expect(&f, 1, "grub-install --target=x86_64-efi --efi-directory=/boot/efi "
		      "--bootloader-id=proxmox --no-uefi-secure-boot --no-nvram");
	expect(&f, 2, "grub-install --target=x86_64-efi --efi-directory=/boot/efi --removable "
		      "--no-uefi-secure-boot --no-nvram");
	expect(&f, 3, "update-grub");
	assert_int_equal(fake_runner_find(&f, "chroot efibootmgr"), -1);
	fake_runner_release(&f);

	/* on BIOS firmware a failing EFI install is only a warning ... */
	init(&ctx, &f, &hw, HW_FW_BIOS);
	fake_runner_push(&f, 0, "", "");
	fake_runner_push(&f, 1, "", "grub-install: error: /usr/lib/grub/x86_64-efi missing\n");
	assert_int_equal(inst_boot(&ctx), 0);
	expect(&f, 3, "update-grub");
	fake_runner_release(&f);
	/* ... but the BIOS one must work */
	init(&ctx, &f, &hw, HW_FW_BIOS);
	fake_runner_push(&f, 1, "", "grub-install: error: cannot find a GRUB drive\n");
	assert_int_equal(inst_boot(&ctx), -EIO);
	assert_int_equal(f.n_calls, 1);
	fake_runner_release(&f);
}

static void test_uefi_bootorder(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;
	struct hw hw;

	(void)state;
	init(&ctx, &f, &hw, HW_FW_UEFI);
	for (int i = 0; i < 4; i++)
		fake_runner_push(&f, 0, "", "");
	fake_runner_push(&f, 0, "BootCurrent: 0001\nTimeout: 0 seconds\n"
			 "BootOrder: 0001,0000,0003\n"
			 "Boot0000* UiApp\nBoot0001* UEFI QEMU DVD-ROM QM00003 \n"
			 "Boot0003* proxmox\tHD(2,GPT,1234)/File(\\EFI\\proxmox\\grubx64.efi)\n", "");
	fake_runner_push(&f, 0, "BootCurrent: 0001\nBootOrder: 0004,0001,0000,0003\n"
			 "Boot0000* UiApp\nBoot0001* UEFI QEMU DVD-ROM QM00003 \n"
			 "Boot0003* proxmox\nBoot0004* proxmox\n", "");
	assert_int_equal(path_mkdirs(target, "/boot/efi/EFI/proxmox", 0755), 0);
	assert_int_equal(path_write_file(target, "/boot/efi/EFI/proxmox/shimx64.efi", "x", 1,
					 0644), 0);
	assert_int_equal(inst_boot(&ctx), 0);
	assert_int_equal(f.n_calls, 7);
	expect(&f, 3, "update-grub");
	expect(&f, 4, "efibootmgr");
	expect(&f, 5, "efibootmgr --create --disk /dev/vda --part 2 --label proxmox --loader "
		      "'\\EFI\\proxmox\\shimx64.efi'");
	expect(&f, 6, "efibootmgr -o 0004,0001,0000,0003");
	fake_runner_release(&f);

	/* on UEFI firmware the EFI install must work */
	init(&ctx, &f, &hw, HW_FW_UEFI);
	fake_runner_push(&f, 1, "", "no i386-pc\n");	/* BIOS part: warning only */
	fake_runner_push(&f, 1, "", "grub-install: error: efibootmgr failed\n");
	assert_int_equal(inst_boot(&ctx), -EIO);
	assert_int_equal(f.n_calls, 2);
	fake_runner_release(&f);
}

/*
 * UEFI with the signed chain in the target: both EFI installs get
 * --uefi-secure-boot, the ESP is checked, and the NVRAM entry starts shim.
 * The BIOS install is as before.
 */
static void test_uefi_secureboot(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;
	struct hw hw;

	(void)state;
	signed_chain();
	esp_chain(NULL);
	init(&ctx, &f, &hw, HW_FW_UEFI);
	hw.secure_boot = HW_YES;
	for (int i = 0; i < 4; i++)
		fake_runner_push(&f, 0, "", "");
	push_efiboot(&f);
	assert_int_equal(inst_boot(&ctx), 0);
	assert_int_equal(f.n_calls, 7);
	expect(&f, 0, "grub-install --target=i386-pc /dev/vda");
	expect(&f, 1, "grub-install --target=x86_64-efi --efi-directory=/boot/efi "
		      "--bootloader-id=proxmox --uefi-secure-boot --no-nvram");
	expect(&f, 2, "grub-install --target=x86_64-efi --efi-directory=/boot/efi --removable "
		      "--uefi-secure-boot --no-nvram");
	expect(&f, 3, "update-grub");
	expect(&f, 5, "efibootmgr --create --disk /dev/vda --part 2 --label proxmox --loader "
		      "'\\EFI\\proxmox\\shimx64.efi'");
	expect(&f, 6, "efibootmgr -o 0004,0001,0000");
	fake_runner_release(&f);
}

/* grub-install ran but left part of the chain out: the step fails, naming the file. */
static void test_uefi_secureboot_esp_incomplete(void **state)
{
	static const char *const dropped[] = {
		"/boot/efi/EFI/BOOT/grub.cfg", "/boot/efi/EFI/proxmox/shimx64.efi",
		"/boot/efi/EFI/BOOT/BOOTX64.EFI",
	};
	struct inst_ctx ctx;
	struct fake_runner f;
	struct hw hw;

	(void)state;
	signed_chain();
	for (size_t i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++) {
		esp_remove();
		esp_chain(dropped[i]);
		init(&ctx, &f, &hw, HW_FW_UEFI);
		assert_int_equal(inst_boot(&ctx), -ENOENT);
		assert_int_equal(f.n_calls, 3);		/* no update-grub, no efibootmgr */
		assert_non_null(strstr(ip_err_msg(&ctx.err), dropped[i]));
		fake_runner_release(&f);
	}

	/* on BIOS firmware the UEFI loaders are best effort: not checked */
	esp_remove();
	init(&ctx, &f, &hw, HW_FW_BIOS);
	assert_int_equal(inst_boot(&ctx), 0);
	expect(&f, 1, "grub-install --target=x86_64-efi --efi-directory=/boot/efi "
		      "--bootloader-id=proxmox --uefi-secure-boot --no-nvram");
	expect(&f, 3, "update-grub");
	fake_runner_release(&f);
}

/*
 * No signed chain in the target (a payload without shim-signed or
 * grub-efi-amd64-signed): refused before anything runs when Secure Boot is
 * on; an unsigned GRUB, said so, when it is off or unknown.
 */
static void test_uefi_no_chain(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;
	struct hw hw;

	(void)state;
	touch("/usr/lib/shim/shimx64.efi.signed");	/* shim alone is not enough */
	init(&ctx, &f, &hw, HW_FW_UEFI);
	hw.secure_boot = HW_YES;
	assert_int_equal(inst_boot(&ctx), -ENOENT);
	assert_int_equal(f.n_calls, 0);
	assert_non_null(strstr(ip_err_msg(&ctx.err), "grubx64.efi.signed"));
	fake_runner_release(&f);

	init(&ctx, &f, &hw, HW_FW_UEFI);
	hw.secure_boot = HW_NO;
	for (int i = 0; i < 4; i++)
		fake_runner_push(&f, 0, "", "");
	push_efiboot(&f);
	assert_int_equal(inst_boot(&ctx), 0);
	expect(&f, 1, "grub-install --target=x86_64-efi --efi-directory=/boot/efi "
		      "--bootloader-id=proxmox --no-uefi-secure-boot --no-nvram");
	expect(&f, 2, "grub-install --target=x86_64-efi --efi-directory=/boot/efi --removable "
		      "--no-uefi-secure-boot --no-nvram");
	expect(&f, 5, "efibootmgr --create --disk /dev/vda --part 2 --label proxmox --loader "
		      "'\\EFI\\proxmox\\grubx64.efi'");
	fake_runner_release(&f);

	/* --dry-run: nothing was unpacked to look at; the payload's chain is assumed */
	init(&ctx, &f, &hw, HW_FW_UEFI);
	hw.secure_boot = HW_YES;
	ctx.dry_run = true;
	assert_int_equal(inst_boot(&ctx), 0);
	expect(&f, 1, "grub-install --target=x86_64-efi --efi-directory=/boot/efi "
		      "--bootloader-id=proxmox --uefi-secure-boot --no-nvram");
	fake_runner_release(&f);
}

static void test_parse(void **state)
{
	struct inst_boot_list bl;

	(void)state;
	inst_boot_parse("BootOrder: 000A,0002\nBoot000A* proxmox\nBoot0002  proxmoxx\n"
			"Boot0007* proxmox  HD(1)\n", "proxmox", &bl);
	assert_int_equal(bl.n_order, 2);
	assert_int_equal(bl.order[0], 0xa);
	assert_int_equal(bl.order[1], 2);
	assert_int_equal(bl.n, 2);
	assert_int_equal(bl.num[0], 0xa);
	assert_int_equal(bl.num[1], 7);
}

/*
 * Boot numbers are exactly four hex digits, within their line: no short or
 * garbled word (tests/fuzz/fuzz-efiboot.c found "0\xd0…" read as 0000), no
 * sign ("-001" was 0xFFFFFFFF), nothing read from the next line after a
 * trailing blank (sscanf skipped the newline and took "B" of "Boot0001").
 */
static void test_parse_strict(void **state)
{
	struct inst_boot_list bl;

	(void)state;
	inst_boot_parse("BootOrder: 0005,0\xd0\xcf\xcd,0001\n", "proxmox", &bl);
	assert_int_equal(bl.n_order, 1);
	assert_int_equal(bl.order[0], 5);
	inst_boot_parse("BootOrder: 0001 \nBoot0001* proxmox\n", "proxmox", &bl);
	assert_int_equal(bl.n_order, 1);
	assert_int_equal(bl.order[0], 1);
	assert_int_equal(bl.n, 1);
	assert_int_equal(bl.num[0], 1);
	inst_boot_parse("BootOrder: -001,0002\nBoot-001* proxmox\nBoot 002* proxmox\n"
			"Boot0x03* proxmox\n", "proxmox", &bl);
	assert_int_equal(bl.n_order, 0);
	assert_int_equal(bl.n, 0);
	inst_boot_parse("BootOrder: 00010,0002\nBoot000a  proxmox\tHD(2)\n", "proxmox", &bl);
	assert_int_equal(bl.n_order, 0);
	assert_int_equal(bl.n, 1);
	assert_int_equal(bl.num[0], 0xa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bios, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uefi_bootorder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uefi_secureboot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uefi_secureboot_esp_incomplete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uefi_no_chain, setup, teardown),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_strict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
