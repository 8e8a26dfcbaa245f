// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which boot loader configuration a running host uses (host-bootcfg.c), on
 * small trees: the ESP list, BIOS or UEFI, `proxmox-boot-tool status` through
 * the fake runner, systemd-boot's LoaderInfo variable, Secure Boot.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "host/host.h"
#include "hw-tree.h"

static void test_parse_status(void **state)
{
	unsigned u, g;

	(void)state;
	host_boot_parse_status("Re-executing '/usr/sbin/proxmox-boot-tool' in new private mount "
			       "namespace..\nSystem currently booted with uefi\n"
			       "E014-501F is configured with: uefi (versions: 6.8.12-4-pve)\n"
			       "E015-0A11 is configured with: uefi (versions: 6.8.12-4-pve)\n",
			       &u, &g);
	assert_int_equal(u, 2);
	assert_int_equal(g, 0);
	host_boot_parse_status("System currently booted with legacy bios\n"
			       "936E-9A3F is configured with: grub (versions: 6.8.12-4-pve)",
			       &u, &g);
	assert_int_equal(u, 0);
	assert_int_equal(g, 1);
	host_boot_parse_status("936E-9A3F is configured with: uefi (versions: 6.8.4-2-pve), "
			       "grub (versions: 6.8.4-2-pve)\n", &u, &g);
	assert_int_equal(u, 1);
	assert_int_equal(g, 1);
	host_boot_parse_status("WARN: /dev/disk/by-uuid/CE07-1118 does not exist - clean "
			       "'/etc/kernel/proxmox-boot-uuids'! - skipping\n", &u, &g);
	assert_int_equal(u + g, 0);
	host_boot_parse_status("", &u, &g);
	assert_int_equal(u + g, 0);
}

static void test_ids(void **state)
{
	static const enum inst_boot_kind kinds[] = {
		INST_BOOT_GRUB, INST_BOOT_PBT_GRUB, INST_BOOT_PBT_SDBOOT,
	};
	enum inst_boot_kind k;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(host_boot_from_id(host_boot_id(kinds[i]), &k), 0);
		assert_int_equal(k, kinds[i]);
	}
	assert_string_equal(host_boot_id(INST_BOOT_PBT_SDBOOT), "pbt-systemd-boot");
	assert_int_equal(host_boot_from_id("lilo", &k), -EINVAL);
	assert_int_equal(host_boot_from_id(NULL, &k), -EINVAL);
}

struct tree {
	char *root;
	struct hw hw;
	struct fake_runner f;
	struct host_ctx ctx;
	struct host_boot b;
};

/* a host with /etc/default/grub; @uuids (NULL: none); UEFI or BIOS; @status of the tool */
static void tree_init(struct tree *t, const char *uuids, bool uefi, const char *status)
{
	memset(t, 0, sizeof(*t));
	t->root = hwt_new();
	hwt_file(t->root, HOST_GRUB_DEFAULT, "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n");
	if (uuids)
		hwt_file(t->root, INST_PBT_UUIDS, uuids);
	if (uefi)
		hwt_file(t->root, "/sys/firmware/efi/fw_platform_size", "64\n");
	t->hw.fw = uefi ? HW_FW_UEFI : HW_FW_BIOS;
	t->hw.secure_boot = HW_NO;
	fake_runner_init(&t->f);
	if (status) {
		hwt_file(t->root, INST_PBT_TOOL, "#!/bin/sh\n");
		fake_runner_rule(&t->f, "proxmox-boot-tool status", 0, status);
	}
	t->ctx.sysroot = t->ctx.root = t->root;
	t->ctx.hw = &t->hw;
	t->ctx.runner = &t->f.r;
}

static void tree_release(struct tree *t)
{
	fake_runner_release(&t->f);
	hwt_free(t->root);
}

/* LoaderInfo as the firmware keeps it: attributes, then UTF-16LE with a NUL */
static void loader_info(const char *root, const char *text)
{
	unsigned char buf[128] = { 0x06, 0, 0, 0 };
	size_t n = 4;

	for (const char *p = text; *p && n + 2 < sizeof(buf); p++) {
		buf[n++] = (unsigned char)*p;
		buf[n++] = 0;
	}
	buf[n++] = 0;
	buf[n++] = 0;
	hwt_bin(root, HOST_LOADER_INFO, buf, n);
}

static void test_plain_grub(void **state)
{
	struct tree t;

	(void)state;
	tree_init(&t, NULL, true, NULL);
	assert_int_equal(host_boot_detect(&t.ctx, &t.b), 0);
	assert_int_equal(t.b.kind, INST_BOOT_GRUB);
	assert_non_null(strstr(t.b.why, "/etc/default/grub"));
	/* an empty ESP list is no ESP */
	hwt_file(t.root, INST_PBT_UUIDS, "");
	assert_int_equal(host_boot_detect(&t.ctx, &t.b), 0);
	assert_int_equal(t.b.kind, INST_BOOT_GRUB);
	assert_int_equal(t.f.n_calls, 0);
	/* neither: no guess */
	hwt_rm(t.root, HOST_GRUB_DEFAULT);
	assert_int_equal(host_boot_detect(&t.ctx, &t.b), -ENOENT);
	assert_non_null(strstr(t.ctx.err.msg, "cannot tell the boot loader"));
	tree_release(&t);
}

/* booted by BIOS: proxmox-boot-tool has GRUB on the ESPs; nothing is asked */
static void test_pbt_bios(void **state)
{
	struct tree t;

	(void)state;
	tree_init(&t, "5A3C-91F2\n", false, "X is configured with: uefi (versions: 6.8)\n");
	assert_int_equal(host_boot_detect(&t.ctx, &t.b), 0);
	assert_int_equal(t.b.kind, INST_BOOT_PBT_GRUB);
	assert_non_null(strstr(t.b.why, "lists 1 ESP;"));
	assert_int_equal(t.f.n_calls, 0);
	tree_release(&t);
}

static void test_pbt_status(void **state)
{
	struct tree t;

	(void)state;
	tree_init(&t, "5A3C-91F2\n5A3D-0B17\n", true,
		  "5A3C-91F2 is configured with: grub (versions: 6.8.12-4-pve)\n"
		  "5A3D-0B17 is configured with: grub (versions: 6.8.12-4-pve)\n");
	/* the status wins over LoaderInfo and Secure Boot */
	loader_info(t.root, "systemd-boot 252.33-1~deb12u1");
	assert_int_equal(host_boot_detect(&t.ctx, &t.b), 0);
	assert_int_equal(t.b.kind, INST_BOOT_PBT_GRUB);
	assert_int_equal(t.f.n_calls, 1);
	assert_string_equal(t.f.calls[0].cmd, "proxmox-boot-tool status");
	tree_release(&t);

	tree_init(&t, "5A3C-91F2\n", true, "5A3C-91F2 is configured with: uefi (versions: 6.8)\n");
	assert_int_equal(host_boot_detect(&t.ctx, &t.b), 0);
	assert_int_equal(t.b.kind, INST_BOOT_PBT_SDBOOT);
	tree_release(&t);

	/* ESPs that disagree: refuse to guess */
	tree_init(&t, "5A3C-91F2\n5A3D-0B17\n", true,
		  "5A3C-91F2 is configured with: uefi (versions: 6.8)\n"
		  "5A3D-0B17 is configured with: grub (versions: 6.8)\n");
	assert_int_equal(host_boot_detect(&t.ctx, &t.b), -EINVAL);
	assert_non_null(strstr(t.ctx.err.msg, "disagree"));
	tree_release(&t);
}

/* no answer from the tool: this boot's LoaderInfo, then Secure Boot */
static void test_pbt_fallbacks(void **state)
{
	struct tree t;

	(void)state;
	tree_init(&t, "5A3C-91F2\n", true, "System currently booted with uefi\n");
	loader_info(t.root, "GRUB 2.12");
	assert_int_equal(host_boot_detect(&t.ctx, &t.b), 0);
	assert_int_equal(t.b.kind, INST_BOOT_PBT_GRUB);
	assert_non_null(strstr(t.b.why, "LoaderInfo 'GRUB 2.12'"));
	loader_info(t.root, "systemd-boot 252.33");
	assert_int_equal(host_boot_detect(&t.ctx, &t.b), 0);
	assert_int_equal(t.b.kind, INST_BOOT_PBT_SDBOOT);
	/* the tool fails: ignored */
	fake_runner_release(&t.f);
	fake_runner_init(&t.f);
	fake_runner_rule(&t.f, "proxmox-boot-tool status", 2, "");
	assert_int_equal(host_boot_detect(&t.ctx, &t.b), 0);
	assert_int_equal(t.b.kind, INST_BOOT_PBT_SDBOOT);
	hwt_rm(t.root, HOST_LOADER_INFO);
	t.hw.secure_boot = HW_YES;
	assert_int_equal(host_boot_detect(&t.ctx, &t.b), 0);
	assert_int_equal(t.b.kind, INST_BOOT_PBT_GRUB);
	assert_non_null(strstr(t.b.why, "Secure Boot on"));
	t.hw.secure_boot = HW_NO;
	assert_int_equal(host_boot_detect(&t.ctx, &t.b), 0);
	assert_int_equal(t.b.kind, INST_BOOT_PBT_SDBOOT);
	tree_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_status),  cmocka_unit_test(test_ids),
		cmocka_unit_test(test_plain_grub),    cmocka_unit_test(test_pbt_bios),
		cmocka_unit_test(test_pbt_status),    cmocka_unit_test(test_pbt_fallbacks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
