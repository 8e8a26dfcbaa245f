// SPDX-License-Identifier: GPL-2.0-or-later
/* The facts for the webhook's "done" event: Proxmox's fields from the model and the target. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "detect/hw.h"
#include "hw-tree.h"
#include "install/inst-facts.h"
#include "install/inst-steps.h"

#define STATUS "Package: pve-manager-doc\nStatus: install ok installed\nVersion: 1.0\n\n" \
	       "Package: pve-manager\nStatus: deinstall ok config-files\nVersion: 7.4-1\n\n" \
	       "Package: pve-manager\nStatus: install ok installed\nPriority: optional\n" \
	       "Version: 8.3.2\nDescription: the manager\n"

static void test_dpkg_version(void **state)
{
	char v[32];

	(void)state;
	assert_int_equal(inst_facts_dpkg_version(STATUS, strlen(STATUS), "pve-manager", v,
						 sizeof(v)), 0);
	assert_string_equal(v, "8.3.2");
	assert_int_equal(inst_facts_dpkg_version(STATUS, strlen(STATUS), "pve-manager-doc", v,
						 sizeof(v)), 0);
	assert_string_equal(v, "1.0");
	/* removed, only its configuration left: not installed */
	assert_int_equal(inst_facts_dpkg_version(STATUS, 140, "pve-manager", v, sizeof(v)),
			 -ENOENT);
	assert_int_equal(inst_facts_dpkg_version(STATUS, strlen(STATUS), "pve", v, sizeof(v)),
			 -ENOENT);
	assert_int_equal(inst_facts_dpkg_version("", 0, "pve-manager", v, sizeof(v)), -ENOENT);
	/* a version that does not fit */
	assert_int_equal(inst_facts_dpkg_version(STATUS, strlen(STATUS), "pve-manager", v, 5),
			 -ENOENT);
}

#define KVER "6.8.12-4-pve (build@proxmox) #1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 (2024-11-06T15:04Z)"

/* The first bytes of a bzImage: the boot header and the version string at 0x200 + @at. */
static size_t bzimage(unsigned char *img, size_t size, unsigned at, const char *ver)
{
	memset(img, 0, size);
	memcpy(img + 0x202, "HdrS", 4);
	img[0x206] = 0x0f;		/* protocol 2.15 */
	img[0x207] = 0x02;
	img[0x20e] = at & 0xff;
	img[0x20f] = at >> 8;
	memcpy(img + 0x200 + at, ver, strlen(ver) + 1);
	return 0x200 + at + strlen(ver) + 1 + 16;
}

static void test_bzimage_version(void **state)
{
	unsigned char img[0x4000];
	char v[256];
	size_t len;

	(void)state;
	len = bzimage(img, sizeof(img), 0x3000, KVER);
	assert_int_equal(inst_facts_bzimage_version(img, len, v, sizeof(v)), 0);
	assert_string_equal(v, KVER);
	/* cut before its NUL, too small a buffer, no magic, an old protocol, no pointer */
	assert_int_equal(inst_facts_bzimage_version(img, 0x3210, v, sizeof(v)), -EINVAL);
	assert_int_equal(inst_facts_bzimage_version(img, len, v, 20), -EINVAL);
	img[0x202] = 'X';
	assert_int_equal(inst_facts_bzimage_version(img, len, v, sizeof(v)), -EINVAL);
	img[0x202] = 'H';
	img[0x207] = 0x01;
	assert_int_equal(inst_facts_bzimage_version(img, len, v, sizeof(v)), -EINVAL);
	img[0x207] = 0x02;
	img[0x20e] = img[0x20f] = 0;
	assert_int_equal(inst_facts_bzimage_version(img, len, v, sizeof(v)), -EINVAL);
	/* control characters are no version string */
	len = bzimage(img, sizeof(img), 0x100, "6.1.0\x01 (x) #1");
	assert_int_equal(inst_facts_bzimage_version(img, len, v, sizeof(v)), -EINVAL);
	assert_int_equal(inst_facts_bzimage_version(img, 0x100, v, sizeof(v)), -EINVAL);
}

static struct hw_disk disks[] = {
	{ .name = "sr0", .optical = true },
	{ .name = "nvme0n1", .size_bytes = 512110190592ULL, .model = "WD Red SN700 500GB",
	  .serial = "22471A800123", .transport = "nvme" },
	{ .name = "sda", .size_bytes = 240057409536ULL, .model = "KINGSTON SEDC600M240G",
	  .serial = "50026B7686A1C3F0", .transport = "sata" },
};

static struct hw_nic nics[] = {
	{ .name = "lo", .mac = "00:00:00:00:00:00", .is_virtual = true },
	{ .name = "eno1", .mac = "3c:ec:ef:41:7a:10", .driver = "igb", .link = true },
	{ .name = "enp5s0", .mac = "90:e2:ba:05:c4:d8", .driver = "ixgbe" },
};

static void fill(struct hw *hw, struct inst_ctx *ctx, struct answer *a, const char *sysroot,
		 const char *target)
{
	memset(hw, 0, sizeof(*hw));
	hw->fw = HW_FW_UEFI;
	hw->secure_boot = HW_NO;
	hw->cpu.cores = 8;
	hw->cpu.threads = 16;
	hw->cpu.sockets = 1;
	hw->cpu.virt = true;
	snprintf(hw->cpu.model, sizeof(hw->cpu.model), "AMD Ryzen 7 5700G with Radeon Graphics");
	snprintf(hw->dmi.product_name, sizeof(hw->dmi.product_name), "X570D4U");
	snprintf(hw->dmi.product_uuid, sizeof(hw->dmi.product_uuid),
		 "4c4c4544-0042-3510-8052-b4c04f4a3232");
	snprintf(hw->dmi.board_name, sizeof(hw->dmi.board_name), "X570D4U-2L2T");
	hw->disks = disks;
	hw->n_disks = 3;
	hw->nics = nics;
	hw->n_nics = 3;
	memset(ctx, 0, sizeof(*ctx));
	memset(a, 0, sizeof(*a));
	a->global.fqdn = (char *)"kiln.rack4.example.com";
	a->global.reboot_mode = ANSWER_POWER_OFF;
	ctx->sysroot = sysroot;
	ctx->target = target;
	ctx->answer = a;
	ctx->hw = hw;
	snprintf(ctx->layout.disk, sizeof(ctx->layout.disk), "nvme0n1");
	snprintf(ctx->layout.root_fstype, sizeof(ctx->layout.root_fstype), "xfs");
	snprintf(ctx->net.iface, sizeof(ctx->net.iface), "eno1");
	snprintf(ctx->net.cidr, sizeof(ctx->net.cidr), "198.51.100.40/26");
	snprintf(ctx->net.fqdn, sizeof(ctx->net.fqdn), "kiln.rack4.example.com");
}

static char *facts_text(const struct inst_ctx *ctx)
{
	json_object *f = NULL;
	char *t;

	assert_int_equal(inst_facts_gather(ctx, &f), 0);
	assert_non_null(f);
	t = strdup(json_object_to_json_string_ext(f, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(f);
	return t;
}

static void test_gather(void **state)
{
	char *sys = hwt_new(), *tgt = hwt_new(), *t, want[8192];
	unsigned char img[0x4000];
	struct inst_ctx ctx;
	struct answer a;
	struct utsname u;
	struct hw hw;
	size_t len;

	(void)state;
	assert_int_equal(uname(&u), 0);
	/* the live system: a udev database entry for one disk and one NIC */
	hwt_file(sys, "/sys/block/nvme0n1/dev", "259:0\n");
	hwt_file(sys, "/run/udev/data/b259:0",
		 "S:disk/by-id/nvme-WD_Red_SN700_500GB_22471A800123\nW:3\n"
		 "E:ID_SERIAL=WD_Red_SN700_500GB_22471A800123\nE:DEVTYPE=disk\n"
		 "E:ID_MODEL=WD Red SN700 500GB\nG:systemd\n");
	hwt_file(sys, "/sys/class/net/eno1/ifindex", "2\n");
	hwt_file(sys, "/run/udev/data/n2", "I:1234\nE:ID_NET_NAME_PATH=enp3s0\n"
		 "E:ID_NET_DRIVER=igb\nE:ID_NET_NAME_ONBOARD=eno1\n");
	/* the target */
	hwt_file(tgt, "/etc/debian_version", "12.8\n");
	hwt_file(tgt, "/etc/machine-id", "5f1c3b1ad3e04c4f9a6e2b7d8c9e0f12\n");
	hwt_file(tgt, "/etc/ssh/ssh_host_ed25519_key.pub",
		 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests root@kiln\n");
	hwt_file(tgt, "/etc/ssh/ssh_host_rsa_key.pub", "ssh-rsa AAAAB3NzaFake root@kiln\n");
	hwt_file(tgt, "/var/lib/dpkg/status", STATUS);
	len = bzimage(img, sizeof(img), 0x2f00, KVER);
	hwt_bin(tgt, "/boot/vmlinuz-6.8.12-4-pve", img, len);
	hwt_bin(tgt, "/boot/vmlinuz-6.8.4-2-pve", img, len);
	hwt_file(tgt, "/boot/config-6.9.1-1-pve", "# not a kernel\n");
	fill(&hw, &ctx, &a, sys, tgt);

	t = facts_text(&ctx);
	snprintf(want, sizeof(want),
		 "{\"$schema\":{\"version\":\"1.2\"},\"debian-version\":\"12.8\","
		 "\"product\":{\"fullname\":\"Proxmox VE\",\"short\":\"pve\","
		 "\"version\":\"8.3.2\"},"
		 "\"kernel-version\":{\"sysname\":\"Linux\",\"release\":\"6.8.12-4-pve\","
		 "\"version\":\"#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 (2024-11-06T15:04Z)\","
		 "\"machine\":\"%s\"},"
		 "\"boot-info\":{\"mode\":\"efi\"},"
		 "\"cpu-info\":{\"cores\":8,\"cpus\":16,\"hvm\":true,"
		 "\"model\":\"AMD Ryzen 7 5700G with Radeon Graphics\",\"sockets\":1},"
		 "\"dmi\":{\"system\":{\"name\":\"X570D4U\","
		 "\"uuid\":\"4c4c4544-0042-3510-8052-b4c04f4a3232\"},"
		 "\"baseboard\":{\"name\":\"X570D4U-2L2T\"},\"chassis\":{}},"
		 "\"filesystem\":\"xfs\",\"fqdn\":\"kiln.rack4.example.com\","
		 "\"machine-id\":\"5f1c3b1ad3e04c4f9a6e2b7d8c9e0f12\","
		 "\"disks\":[{\"size\":512110190592,\"is-bootdisk\":true,\"udev-properties\":"
		 "{\"DEVTYPE\":\"disk\",\"ID_MODEL\":\"WD Red SN700 500GB\","
		 "\"ID_SERIAL\":\"WD_Red_SN700_500GB_22471A800123\"}},"
		 "{\"size\":240057409536,\"udev-properties\":{\"DEVNAME\":\"/dev/sda\","
		 "\"ID_BUS\":\"ata\",\"ID_MODEL\":\"KINGSTON_SEDC600M240G\","
		 "\"ID_SERIAL\":\"KINGSTON_SEDC600M240G_50026B7686A1C3F0\","
		 "\"ID_SERIAL_SHORT\":\"50026B7686A1C3F0\"}}],"
		 "\"network-interfaces\":[{\"name\":\"eno1\",\"mac\":\"3c:ec:ef:41:7a:10\","
		 "\"address\":\"198.51.100.40/26\",\"is-management\":true,\"udev-properties\":"
		 "{\"ID_NET_DRIVER\":\"igb\",\"ID_NET_NAME_ONBOARD\":\"eno1\","
		 "\"ID_NET_NAME_PATH\":\"enp3s0\"}},"
		 "{\"name\":\"enp5s0\",\"mac\":\"90:e2:ba:05:c4:d8\",\"udev-properties\":"
		 "{\"ID_NET_DRIVER\":\"ixgbe\",\"ID_NET_NAME_MAC\":\"enx90e2ba05c4d8\","
		 "\"INTERFACE\":\"enp5s0\"}}],"
		 "\"ssh-public-host-keys\":{\"ed25519\":\"ssh-ed25519 "
		 "AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests root@kiln\","
		 "\"rsa\":\"ssh-rsa AAAAB3NzaFake root@kiln\"},"
		 "\"reboot-mode\":\"power-off\"}", u.machine);
	assert_string_equal(t, want);
	free(t);

	/* secure boot, BIOS firmware, the default reboot mode */
	hw.fw = HW_FW_BIOS;
	hw.secure_boot = HW_YES;
	a.global.reboot_mode = ANSWER_REBOOT;
	t = facts_text(&ctx);
	assert_non_null(strstr(t, "\"boot-info\":{\"mode\":\"bios\",\"secureboot\":true}"));
	assert_non_null(strstr(t, "\"reboot-mode\":\"reboot\"}"));
	free(t);
	/* not known to be on: left out */
	hw.secure_boot = HW_UNKNOWN;
	t = facts_text(&ctx);
	assert_non_null(strstr(t, "\"boot-info\":{\"mode\":\"bios\"},"));
	free(t);
	/* a RAID root as Proxmox names it */
	snprintf(ctx.layout.root_fstype, sizeof(ctx.layout.root_fstype), "zfs");
	snprintf(ctx.layout.zfs_raid, sizeof(ctx.layout.zfs_raid), "raidz-1");
	t = facts_text(&ctx);
	assert_non_null(strstr(t, "\"filesystem\":\"zfs (RAIDZ-1)\","));
	free(t);
	snprintf(ctx.layout.root_fstype, sizeof(ctx.layout.root_fstype), "btrfs");
	snprintf(ctx.layout.btrfs_raid, sizeof(ctx.layout.btrfs_raid), "raid10");
	t = facts_text(&ctx);
	assert_non_null(strstr(t, "\"filesystem\":\"btrfs (RAID10)\","));
	free(t);
	hwt_free(tgt);
	hwt_free(sys);
}

/* An empty target (a dry run, a stand-in payload): what cannot be read is left out. */
static void test_gather_empty_target(void **state)
{
	char *sys = hwt_new(), *tgt = hwt_new(), *t;
	const char *head;
	struct inst_ctx ctx;
	struct answer a;
	struct hw hw;

	(void)state;
	hwt_file(tgt, "/var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\n"
		 "Version: 5.2.15-2+b7\n");
	fill(&hw, &ctx, &a, sys, tgt);
	hw.cpu.model[0] = '\0';
	hw.cpu.sockets = 0;
	t = facts_text(&ctx);
	head = "{\"$schema\":{\"version\":\"1.2\"},\"boot-info\":";
	assert_true(strncmp(t, head, strlen(head)) == 0);
	assert_non_null(strstr(t, "\"cpu-info\":{\"cores\":8,\"cpus\":16,\"hvm\":true},"));
	/* no pve-manager, no kernel, no keys, no machine-id, no Debian version */
	assert_null(strstr(t, "\"product\""));
	assert_null(strstr(t, "\"kernel-version\""));
	assert_null(strstr(t, "\"ssh-public-host-keys\""));
	assert_null(strstr(t, "\"machine-id\""));
	assert_null(strstr(t, "\"debian-version\""));
	assert_null(strstr(t, "\"iso\""));
	free(t);

	/* the step keeps them on the context, and does not fail */
	assert_int_equal(inst_facts(&ctx), 0);
	assert_non_null(ctx.facts);
	assert_true(json_object_object_get_ex(ctx.facts, "disks", NULL));
	json_object_put(ctx.facts);
	hwt_free(tgt);
	hwt_free(sys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_version),
		cmocka_unit_test(test_bzimage_version),
		cmocka_unit_test(test_gather),
		cmocka_unit_test(test_gather_empty_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
