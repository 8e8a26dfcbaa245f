// SPDX-License-Identifier: GPL-2.0-or-later
/* The value validators behind the answer-file schema, value by value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "answer-int.h"

struct vcase {
	const char *value;
	const char *why;	/* NULL: valid */
};

static void run_cases(const char *name, answer_valid_fn fn, const struct vcase *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *why = fn(c[i].value);

		if (c[i].why == NULL && why == NULL)
			continue;
		if (c[i].why && why && !strcmp(c[i].why, why))
			continue;
		print_error("%s('%s'): got '%s', want '%s'\n", name, c[i].value,
			    why ? why : "(valid)", c[i].why ? c[i].why : "(valid)");
		fail();
	}
}

#define RUN(fn, cases) run_cases(#fn, fn, cases, sizeof(cases) / sizeof(cases[0]))

static void test_fqdn(void **state)
{
	char long_label[80], long_name[300];
	static const struct vcase c[] = {
		{ "pve.example.com", NULL },
		{ "pve-1.lab.example.org", NULL },
		{ "a.b", NULL },
		{ "1host.example.com", NULL },
		{ "pve", "is a bare host name, it needs a domain (e.g. 'pve.example.com')" },
		{ "", "is empty" },
		{ "pve.example.com.", "must not end with '.'" },
		{ "pve..example.com", "has an empty label" },
		{ ".example.com", "has an empty label" },
		{ "-pve.example.com", "has a label that starts or ends with '-'" },
		{ "pve-.example.com", "has a label that starts or ends with '-'" },
		{ "PVE.example.com", "may only hold a-z, 0-9, '-' and '.'" },
		{ "pve_1.example.com", "may only hold a-z, 0-9, '-' and '.'" },
		{ "pve.example.123", "has an all-numeric top-level label" },
	};

	(void)state;
	RUN(answer_valid_fqdn, c);
	memset(long_label, 'a', 64);
	memcpy(long_label + 64, ".com", 5);
	assert_string_equal(answer_valid_fqdn(long_label), "has a label longer than 63 characters");
	long_label[1] = '.';	/* 1 + 62: fine */
	assert_null(answer_valid_fqdn(long_label));
	for (size_t i = 0; i < 254; i++)
		long_name[i] = i % 2 ? '.' : 'a';
	long_name[253] = 'b';
	long_name[254] = '\0';
	assert_string_equal(answer_valid_fqdn(long_name), "is longer than 253 characters");
	long_name[252] = '\0';
	long_name[251] = 'b';
	assert_null(answer_valid_fqdn(long_name));
	assert_null(answer_valid_domain("localdomain"));
}

static void test_ip_cidr(void **state)
{
	static const struct vcase ip[] = {
		{ "192.0.2.1", NULL }, { "2001:db8::1", NULL }, { "::1", NULL },
		{ "192.0.2", "is not an IPv4 or IPv6 address" },
		{ "192.0.2.256", "is not an IPv4 or IPv6 address" },
		{ "01.2.3.4", "is not an IPv4 or IPv6 address" },
		{ "2001:db8:::1", "is not an IPv4 or IPv6 address" },
		{ "ns.example.com", "is not an IPv4 or IPv6 address" },
	};
	static const struct vcase cidr[] = {
		{ "192.0.2.10/24", NULL },
		{ "10.0.0.1/8", NULL },
		{ "198.51.100.0/31", NULL },		/* point-to-point: both addresses usable */
		{ "198.51.100.7/32", NULL },
		{ "2001:db8::10/64", NULL },
		{ "2001:db8::/64", NULL },		/* v6 has no network address rule */
		{ "192.0.2.0/24", "is the network address, not a host address" },
		{ "192.0.2.255/24", "is the broadcast address, not a host address" },
		{ "192.0.2.10/33", "prefix length must be 1 to 32" },
		{ "192.0.2.10/0", "prefix length must be 1 to 32" },
		{ "2001:db8::1/129", "prefix length must be 1 to 128" },
		{ "192.0.2.10/024", "has an invalid prefix length" },
		{ "192.0.2.10/", "has an invalid prefix length" },
		{ "192.0.2.10/2a", "has an invalid prefix length" },
		{ "192.0.2.10", "must be an address with a prefix length, e.g. '192.0.2.10/24'" },
		{ "host/24", "does not start with an IPv4 or IPv6 address" },
		{ "224.0.0.1/4", "is a multicast or reserved address" },
		{ "ff02::1/64", "is a multicast address" },
	};

	(void)state;
	RUN(answer_valid_ip, ip);
	RUN(answer_valid_cidr, cidr);
	assert_true(answer_ip_in_cidr("192.0.2.1", "192.0.2.10/24"));
	assert_false(answer_ip_in_cidr("192.0.3.1", "192.0.2.10/24"));
	assert_true(answer_ip_in_cidr("192.0.3.1", "192.0.2.10/22"));
	assert_true(answer_ip_in_cidr("2001:db8::1", "2001:db8::10/64"));
	assert_false(answer_ip_in_cidr("2001:db9::1", "2001:db8::10/64"));
	assert_false(answer_ip_in_cidr("2001:db8::1", "192.0.2.10/24"));
	assert_false(answer_ip_in_cidr("192.0.2.1", "bogus"));
}

static void test_mac_ifname(void **state)
{
	static const char six[] =
		"must be six hex bytes separated by ':', e.g. 'a0:b1:c2:d3:e4:f5'";
	static const struct vcase mac[] = {
		{ "a0:b1:c2:d3:e4:f5", NULL }, { "A0:B1:C2:D3:E4:F5", NULL },
		{ "a0:b1:c2:d3:e4", six }, { "a0-b1-c2-d3-e4-f5", six },
		{ "a0:b1:c2:d3:e4:fg", six },
		{ "00:00:00:00:00:00", "is all zeros" },
		{ "01:00:5e:00:00:01", "is a multicast address" },
		{ "ff:ff:ff:ff:ff:ff", "is a multicast address" },
	};
	static const struct vcase ifn[] = {
		{ "nic0", NULL }, { "mgmt_1", NULL }, { "abcdefghijklmno", NULL },
		{ "abcdefghijklmnop", "is longer than 15 characters" },
		{ "0nic", "must start with a letter a-z" },
		{ "Nic0", "must start with a letter a-z" },
		{ "nic-0", "may only hold a-z, 0-9 and '_'" },
		{ "", "is empty" },
	};

	(void)state;
	RUN(answer_valid_mac, mac);
	RUN(answer_valid_ifname, ifn);
}

static void test_url_email(void **state)
{
	static const struct vcase url[] = {
		{ "https://example.com", NULL },
		{ "http://192.0.2.1:8080/answer?mac=x", NULL },
		{ "https://[2001:db8::1]:443/x", NULL },
		{ "HTTPS://example.com", "must start with 'http://' or 'https://'" },
		{ "ftp://example.com", "must start with 'http://' or 'https://'" },
		{ "https://", "has no host" },
		{ "https://exa mple.com", "must not contain spaces, quotes or control characters" },
		{ "https://user:pw@example.com/", "must not hold a user name or password" },
		{ "https://example.com:0/", "has an invalid port" },
		{ "https://example.com:65536/", "has an invalid port" },
		{ "https://example.com:/", "has an invalid port" },
		{ "https://exa_mple.com/", "has an invalid host name" },
		{ "https://[::g]/", "has an invalid IPv6 host" },
	};
	static const struct vcase mail[] = {
		{ "root@example.com", NULL }, { "root@localhost", NULL },
		{ "ops+pve@mail.example.org", NULL },
		{ "root", "must be an e-mail address like 'root@example.com'" },
		{ "@example.com", "must be an e-mail address like 'root@example.com'" },
		{ "a@b@example.com", "must be an e-mail address like 'root@example.com'" },
		{ "ro ot@example.com", "has an invalid character before '@'" },
		{ "root@exa_mple.com", "has an invalid domain after '@'" },
	};

	(void)state;
	RUN(answer_valid_url, url);
	RUN(answer_valid_email, mail);
}

#define SERIAL_WHY "must be a serial port with an optional speed, e.g. 'ttyS0,115200'"

static void test_formats(void **state)
{
	static const struct vcase tz[] = {
		{ "UTC", NULL }, { "Europe/Vienna", NULL },
		{ "America/Argentina/Buenos_Aires", NULL }, { "Etc/GMT+5", NULL },
		{ "Vienna", "must be 'UTC' or Area/City, e.g. 'Europe/Vienna'" },
		{ "Mars/Olympus", "must be 'UTC' or Area/City, e.g. 'Europe/Vienna'" },
		{ "Europe/", "must be 'UTC' or Area/City, e.g. 'Europe/Vienna'" },
		{ "Europe/../etc", "must be 'UTC' or Area/City, e.g. 'Europe/Vienna'" },
	};
	static const struct vcase pci[] = {
		{ "10de:2684", NULL }, { "0000:01:00.0", NULL }, { "0000:af:1f.7", NULL },
		{ "10de:268", "must be 'vvvv:dddd' (vendor:device) or '0000:bb:dd.f' (address)" },
		{ "01:00.0", "must be 'vvvv:dddd' (vendor:device) or '0000:bb:dd.f' (address)" },
		{ "0000:01:20.0", "has a device number above 1f or a function above 7" },
		{ "0000:01:00.8", "has a device number above 1f or a function above 7" },
	};
	static const struct vcase karg[] = {
		{ "pcie_aspm=off", NULL }, { "video=efifb:off", NULL },
		{ "a b", "must be one word without spaces or control characters" },
		{ "x;reboot", "must not contain quotes, ';', '\\' or '$'" },
		{ "x=\"y\"", "must not contain quotes, ';', '\\' or '$'" },
		{ "$(id)", "must not contain quotes, ';', '\\' or '$'" },
	};
	static const struct vcase serial[] = {
		{ "ttyS0", NULL }, { "ttyS0,115200", NULL }, { "ttyAMA0,9600n8", NULL },
		{ "ttyS0,115201", "has an unknown speed (e.g. 9600, 115200)" },
		{ "ttyS,115200", SERIAL_WHY }, { "ttyS0,115200x8", SERIAL_WHY },
		{ "com1", SERIAL_WHY },
	};
	static const struct vcase volid[] = {
		{ "local:iso/Win11.iso", NULL }, { "nfs-iso:iso/virtio-win-0.1.262.ISO", NULL },
		{ "local:iso/Win11.img", "must name an '.iso' file, e.g. 'local:iso/Win11.iso'" },
		{ "local:vztmpl/x.iso", "must be a volume id like 'local:iso/Win11.iso'" },
		{ "Local:iso/x.iso", "must be a volume id like 'local:iso/Win11.iso'" },
		{ "local:iso/../x.iso",
		  "has a file name with characters other than a-z, A-Z, 0-9, '.', '_', '+', '-'" },
	};
	static const struct vcase fp[] = {
		{ "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:"
		  "EF:01:23:45:67:89", NULL },
		{ "ab:cd", "must be a SHA-256 fingerprint: 32 hex bytes separated by ':'" },
	};
	static const struct vcase misc_country[] = {
		{ "at", NULL }, { "AT", "must be a two-letter lower-case country code, e.g. 'at'" },
		{ "aut", "must be a two-letter lower-case country code, e.g. 'at'" },
	};
	static const struct vcase pkgs[] = {
		{ "proxmox-ve", NULL }, { "libstdc++6", NULL }, { "g++", NULL },
		{ "Proxmox", "is not a Debian package name" },
		{ "a", "is not a Debian package name" },
	};
	static const struct vcase disks[] = {
		{ "sda", NULL }, { "nvme0n1", NULL }, { "/dev/sdb", NULL },
		{ "disk/by-id/ata-Samsung_SSD_870-S6PN", NULL },
		{ "/dev/", "is not a disk name like 'sda' or 'nvme0n1'" },
		{ "../sda", "is not a disk name like 'sda' or 'nvme0n1'" },
		{ "sd a", "is not a disk name like 'sda' or 'nvme0n1'" },
	};
	static const struct vcase ssh[] = {
		{ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJk0 me@host", NULL },
		{ "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7", NULL },
		{ "ssh-ed25519 AAAAC3Nza\nC1lZDI1NTE5", "must be a single line" },
		{ "ssh-foo AAAAC3NzaC1lZDI1NTE5AAAAIJk0",
		  "is not an OpenSSH public key ('ssh-ed25519 AAAA... comment')" },
		{ "ssh-ed25519 notbase64!!notbase64",
		  "is not an OpenSSH public key ('ssh-ed25519 AAAA... comment')" },
	};

	(void)state;
	RUN(answer_valid_timezone, tz);
	RUN(answer_valid_pci_id, pci);
	RUN(answer_valid_kernel_arg, karg);
	RUN(answer_valid_serial, serial);
	RUN(answer_valid_volid, volid);
	RUN(answer_valid_fingerprint, fp);
	RUN(answer_valid_country, misc_country);
	RUN(answer_valid_package, pkgs);
	RUN(answer_valid_disk, disks);
	RUN(answer_valid_ssh_key, ssh);
	assert_null(answer_valid_keyboard("en-us"));
	assert_non_null(answer_valid_keyboard("us"));
	assert_null(answer_valid_storage("local-lvm"));
	assert_non_null(answer_valid_storage("local-"));
	assert_null(answer_valid_vm_name("win11-passthrough"));
	assert_non_null(answer_valid_vm_name("-x"));
	assert_null(answer_valid_password("12345678"));
	assert_non_null(answer_valid_password("1234567"));
	assert_null(answer_valid_event("failed"));
	assert_non_null(answer_valid_event("error"));
}

static void test_schema_table(void **state)
{
	(void)state;
	/* every key has a name and a known section; names are unique per section */
	for (int i = 0; i < AK__MAX; i++) {
		assert_non_null(answer_keys[i].name);
		assert_true(answer_keys[i].sec < AS__MAX);
		assert_int_equal(answer_key_find(answer_keys[i].sec, answer_keys[i].name), i);
		if (answer_keys[i].type == AKT_CUSTOM)
			assert_non_null(answer_keys[i].custom);
		/* kebab-case only */
		assert_null(strchr(answer_keys[i].name, '_'));
	}
	assert_true(answer_key_is_prefix(AS_DISK, "zfs"));
	assert_true(answer_key_is_prefix(AS_NETWORK, "interface-name-pinning"));
	assert_false(answer_key_is_prefix(AS_DISK, "filesystem"));
	assert_int_equal(answer_key_find(AS_GLOBAL, "zfs.raid"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fqdn),
		cmocka_unit_test(test_ip_cidr),
		cmocka_unit_test(test_mac_ifname),
		cmocka_unit_test(test_url_email),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_schema_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
