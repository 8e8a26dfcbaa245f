// SPDX-License-Identifier: GPL-2.0-or-later
/* The interactive screens: order, Esc going back, password checks, the
 * boot medium never offered, and the answer text they produce. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "answer.h"
#include "ui-script.h"
#include "ui/inst-ask.h"
#include "util.h"

static struct hw_disk disks[] = {
	{ .name = "vda", .size_bytes = 64ULL << 30, .model = "QEMU HARDDISK", .serial = "S1" },
	{ .name = "sr0", .size_bytes = 700ULL << 20, .is_boot_medium = true },
	{ .name = "vdb", .size_bytes = 256ULL << 30, .model = "Big", .serial = "S2" },
};
static struct hw_nic nics[] = {
	{ .name = "lo", .is_virtual = true },
	{ .name = "ens3", .mac = "52:54:00:12:34:56", .driver = "e1000e", .link = true },
};
static struct hw_pci_dev pci[] = {
	{ .addr = "0000:00:02.0", .vendor_name = "Intel", .device_name = "iGPU" },
	{ .addr = "0000:01:00.0", .vendor_name = "NVIDIA", .device_name = "RTX" },
};
static struct hw_gpu gpus[] = {
	{ .display = 0, .is_boot = true, .group_clean = true },
	{ .display = 1, .group_clean = true },
};

static struct hw test_hw(void)
{
	struct hw hw = { 0 };

	hw.disks = disks;
	hw.n_disks = ARRAY_SIZE(disks);
	hw.nics = nics;
	hw.n_nics = ARRAY_SIZE(nics);
	hw.pci = pci;
	hw.n_pci = ARRAY_SIZE(pci);
	hw.gpus = gpus;
	hw.n_gpus = ARRAY_SIZE(gpus);
	return hw;
}

static int run_with(const struct ui_step *steps, size_t n, struct ask_state *st,
		    struct ui_script *s, const char *const *contents, bool never,
		    struct ip_err *err)
{
	struct hw hw = test_hw();
	struct ask_input in = { .hw = &hw, .verdict = "passthrough: ready",
				.disk_contents = contents, .wipe_never = never };

	ui_script_init(s, steps, n);
	ask_state_defaults(st);
	return inst_ask(&s->ui, &in, st, err);
}

static int run(const struct ui_step *steps, size_t n, struct ask_state *st, struct ui_script *s)
{
	struct ip_err err = { 0 };

	return run_with(steps, n, st, s, NULL, false, &err);
}

/*
 * The screens' answer text through the answer parser: no error, and the
 * filesystem it names. Parsed as `ironpass validate` checks a file (a
 * profile allowed), then as the session and `validate-answer` do (flags 0):
 * that answer is returned. Caller frees.
 */
static struct answer *parse_screens(const char *toml, enum answer_fs fs)
{
	static const unsigned flags[] = { ANSWER_ALLOW_PROFILE | ANSWER_PROFILE_PARTIAL, 0 };
	struct answer *a = NULL;

	for (size_t k = 0; k < ARRAY_SIZE(flags); k++) {
		struct answer_diags diags = { 0 };
		int ret;

		answer_free(a);
		a = NULL;
		ret = answer_parse(toml, strlen(toml), "screens", flags[k], &a, &diags);
		for (size_t i = 0; i < diags.len; i++)
			print_message("screens: %s\n", diags.items[i].msg);
		answer_diags_release(&diags);
		assert_int_equal(ret, 0);
		assert_non_null(a);
		assert_int_equal(a->disk.filesystem, fs);
	}
	return a;
}

static void test_happy_path(void **state)
{
	static const struct ui_step steps[] = {
		{ UK_YESNO, "ironpass installer", UI_OK, NULL },
		{ UK_MENU, "Target disk", UI_OK, "vdb" },
		{ UK_MENU, "Filesystem", UI_OK, "xfs" },
		{ UK_MENU, "Management network", UI_OK, "ens3" },
		{ UK_MENU, "Network", UI_OK, "dhcp" },
		{ UK_INPUT, "Host name", UI_OK, "pve1.example.com" },
		{ UK_PASSWORD, "Root password", UI_OK, "s3cret-pass" },
		{ UK_PASSWORD, "Root password", UI_OK, "s3cret-pass" },
		{ UK_INPUT, "E-mail", UI_OK, "admin@example.com" },
		{ UK_INPUT, "Country", UI_OK, "de" },
		{ UK_INPUT, "Time zone", UI_OK, "Europe/Berlin" },
		{ UK_MENU, "Keyboard", UI_OK, "de-ch" },
		{ UK_MENU, "GPU passthrough", UI_OK, "0000:01:00.0" },
		{ UK_YESNO, "Summary", UI_OK, NULL },
	};
	struct ask_state st;
	struct ui_script s;
	char *toml;

	(void)state;
	assert_int_equal(run(steps, ARRAY_SIZE(steps), &st, &s), 0);
	assert_int_equal(s.mismatch, 0);
	assert_int_equal(s.next, ARRAY_SIZE(steps));
	assert_string_equal(st.disk, "vdb");
	assert_true(st.confirmed_wipe);
	/* the welcome screen shows the verdict; the summary names the wipe plainly */
	assert_non_null(strstr(s.texts[0], "passthrough: ready"));
	assert_non_null(strstr(s.texts[13], "ALL DATA ON /dev/vdb"));
	assert_non_null(strstr(s.texts[13], "pve1.example.com"));
	/* ... and the e-mail, country, time zone and keyboard chosen */
	assert_non_null(strstr(s.texts[13], "\nE-mail: admin@example.com\n"));
	assert_non_null(strstr(s.texts[13], "\nCountry: de, time zone: Europe/Berlin, "
				"keyboard: de-ch\n"));
	/* the summary says what the filesystem choice makes */
	assert_non_null(strstr(s.texts[13], "\nFilesystem: xfs on LVM (pve/root, pve/data thin "
				"pool)\n"));
	toml = inst_ask_to_toml(&st);
	answer_free(parse_screens(toml, ANSWER_FS_XFS));
	assert_non_null(strstr(toml, "keyboard = \"de-ch\"\n"));
	assert_non_null(strstr(toml, "country = \"de\"\n"));
	assert_non_null(strstr(toml, "mailto = \"admin@example.com\"\n"));
	assert_non_null(strstr(toml, "timezone = \"Europe/Berlin\"\n"));
	assert_non_null(strstr(toml, "fqdn = \"pve1.example.com\"\n"));
	assert_non_null(strstr(toml, "disk-list = [\"vdb\"]\n"));
	assert_non_null(strstr(toml, "filesystem = \"xfs\"\n"));
	assert_non_null(strstr(toml, "gpu = [\"0000:01:00.0\"]\n"));
	assert_non_null(strstr(toml, "source = \"from-dhcp\"\n"));
	/* the summary's yes is the confirmation (st.confirmed_wipe), not a wipe policy */
	assert_non_null(strstr(toml, "wipe = \"empty-only\"\n"));
	/* not installed from a serial console: the node gets no serial console */
	assert_null(strstr(toml, "serial-console"));
	free(toml);
	ask_state_wipe(&st);
	assert_int_equal(st.password[0], 0);
}

static void test_boot_medium_not_offered(void **state)
{
	static const struct ui_step steps[] = {
		{ UK_YESNO, NULL, UI_OK, NULL },
		{ UK_MENU, "Target disk", UI_OK, "sr0" },
	};
	struct ask_state st;
	struct ui_script s;

	(void)state;
	run(steps, ARRAY_SIZE(steps), &st, &s);
	assert_int_equal(s.mismatch, 2);
}

/* a disk that is not empty is marked; the summary says what it holds before the yes */
static void test_not_empty_named(void **state)
{
	static const char *const contents[] = { "ext4 'home' on /dev/vda1", NULL, NULL };
	static const struct ui_step steps[] = {
		{ UK_YESNO, NULL, UI_OK, NULL },
		{ UK_MENU, "Target disk", UI_OK, "vda" },
		{ UK_MENU, NULL, UI_OK, "ext4" },
		{ UK_MENU, NULL, UI_OK, "ens3" },
		{ UK_MENU, NULL, UI_OK, "dhcp" },
		{ UK_INPUT, NULL, UI_OK, "pve.example.com" },
		{ UK_PASSWORD, NULL, UI_OK, "longenough" },
		{ UK_PASSWORD, NULL, UI_OK, "longenough" },
		{ UK_INPUT, NULL, UI_OK, "root@example.com" },
		{ UK_INPUT, NULL, UI_OK, "us" },
		{ UK_INPUT, NULL, UI_OK, "UTC" },
		{ UK_MENU, NULL, UI_OK, "en-us" },
		{ UK_MENU, NULL, UI_OK, "auto" },
		{ UK_YESNO, "Summary", UI_OK, NULL },
	};
	struct ask_state st;
	struct ui_script s;
	struct ip_err err = { 0 };

	(void)state;
	assert_int_equal(run_with(steps, ARRAY_SIZE(steps), &st, &s, contents, false, &err), 0);
	assert_int_equal(s.mismatch, 0);
	assert_non_null(strstr(s.texts[1], "\nvda  64.0 GiB  QEMU HARDDISK  serial S1  NOT EMPTY"));
	assert_non_null(strstr(s.texts[1], "\nvdb  256.0 GiB  Big  serial S2\n") ||
			str_endswith(s.texts[1], "\nvdb  256.0 GiB  Big  serial S2"));
	assert_non_null(strstr(s.texts[13], "/dev/vda IS NOT EMPTY. It holds: ext4 'home' on "
			       "/dev/vda1"));
	assert_true(st.confirmed_wipe);
}

/* wipe = "never": a disk that is not empty is not offered at all */
static void test_never_hides_full_disks(void **state)
{
	static const char *const vda_full[] = { "gpt partition table on /dev/vda", NULL, NULL };
	static const char *const all_full[] = { "gpt partition table on /dev/vda", NULL,
						"LVM2_member on /dev/vdb" };
	static const struct ui_step steps[] = {
		{ UK_YESNO, NULL, UI_OK, NULL },
		{ UK_MENU, "Target disk", UI_OK, "vda" },
	};
	struct ask_state st;
	struct ui_script s;
	struct ip_err err = { 0 };

	(void)state;
	run_with(steps, ARRAY_SIZE(steps), &st, &s, vda_full, true, &err);
	assert_int_equal(s.mismatch, 2);	/* vda was not offered */
	assert_non_null(strstr(s.texts[1], "Disks that are not empty are not offered"));
	assert_null(strstr(s.texts[1], "\nvda "));
	/* without the policy it is offered */
	run_with(steps, ARRAY_SIZE(steps), &st, &s, vda_full, false, &err);
	assert_non_null(strstr(s.texts[1], "\nvda "));
	/* nothing left to offer */
	assert_int_equal(run_with(steps, ARRAY_SIZE(steps), &st, &s, all_full, true, &err),
			 -ENODEV);
	assert_string_equal(err.msg, "no disk to install on ([ironpass] wipe = \"never\" keeps "
			    "every disk that is not empty)");
}

static void test_esc_goes_back(void **state)
{
	static const struct ui_step steps[] = {
		{ UK_YESNO, NULL, UI_OK, NULL },
		{ UK_MENU, "Target disk", UI_OK, "vda" },
		{ UK_MENU, "Filesystem", UI_BACK, NULL },
		{ UK_MENU, "Target disk", UI_OK, "vdb" },
		{ UK_MENU, "Filesystem", UI_OK, "ext4" },
		{ UK_MENU, "Management network", UI_OK, "ens3" },
		{ UK_MENU, "Network", UI_OK, "static" },
		{ UK_INPUT, "Address", UI_OK, "192.0.2.10/24" },
		{ UK_INPUT, "Gateway", UI_OK, "192.0.2.1" },
		{ UK_INPUT, "DNS server", UI_OK, "192.0.2.53" },
		{ UK_INPUT, "Host name", UI_BACK, NULL },
		/* back from the host name lands on the static address screens again */
		{ UK_INPUT, "Address", UI_OK, "192.0.2.11/24" },
		{ UK_INPUT, "Gateway", UI_OK, "192.0.2.1" },
		{ UK_INPUT, "DNS server", UI_OK, "192.0.2.53" },
		{ UK_INPUT, "Host name", UI_OK, "pve2.example.com" },
		{ UK_PASSWORD, NULL, UI_OK, "password1" },
		{ UK_PASSWORD, NULL, UI_OK, "password1" },
		{ UK_INPUT, "E-mail", UI_OK, "root@example.com" },
		{ UK_INPUT, "Country", UI_OK, "us" },
		{ UK_INPUT, "Time zone", UI_OK, "UTC" },
		{ UK_MENU, "Keyboard", UI_OK, "en-us" },
		{ UK_MENU, "GPU passthrough", UI_OK, "auto" },
		{ UK_YESNO, "Summary", UI_CANCEL, NULL },
		/* "No" on the summary goes back to the GPU screen */
		{ UK_MENU, "GPU passthrough", UI_OK, "none" },
		{ UK_YESNO, "Summary", UI_OK, NULL },
	};
	struct ask_state st;
	struct ui_script s;
	struct answer *a;
	char *toml;

	(void)state;
	assert_int_equal(run(steps, ARRAY_SIZE(steps), &st, &s), 0);
	assert_int_equal(s.mismatch, 0);
	assert_string_equal(st.disk, "vdb");
	assert_false(st.dhcp);
	assert_non_null(strstr(s.texts[ARRAY_SIZE(steps) - 1],
			       "\nFilesystem: ext4 on LVM (pve/root, pve/data thin pool)\n"));
	/* the screens ran on a serial console (IPMI SOL): the node keeps it */
	snprintf(st.serial_console, sizeof(st.serial_console), "ttyS1,57600");
	toml = inst_ask_to_toml(&st);
	a = parse_screens(toml, ANSWER_FS_EXT4);
	assert_string_equal(a->ironpass.serial_console, "ttyS1,57600");
	answer_free(a);
	assert_non_null(strstr(toml, "source = \"from-answer\"\ncidr = \"192.0.2.11/24\"\n"));
	assert_non_null(strstr(toml, "gpu = \"none\"\n"));
	free(toml);
}

/* the steps up to the first new screen: DISK, filesystem FS, DHCP, a password */
#define TO_MAILTO_ON(disk, fs)                                      \
	{ UK_YESNO, NULL, UI_OK, NULL },                            \
	{ UK_MENU, "Target disk", UI_OK, disk },                    \
	{ UK_MENU, "Filesystem", UI_OK, fs },                       \
	{ UK_MENU, "Management network", UI_OK, "ens3" },           \
	{ UK_MENU, "Network", UI_OK, "dhcp" },                      \
	{ UK_INPUT, "Host name", UI_OK, "pve.example.com" },        \
	{ UK_PASSWORD, "Root password", UI_OK, "longenough" },      \
	{ UK_PASSWORD, "Root password", UI_OK, "longenough" }

/* from the e-mail screen to the GPU, plain values */
#define MAILTO_TO_GPU                                               \
	{ UK_INPUT, "E-mail", UI_OK, "root@example.com" },          \
	{ UK_INPUT, "Country", UI_OK, "us" },                       \
	{ UK_INPUT, "Time zone", UI_OK, "UTC" },                    \
	{ UK_MENU, "Keyboard", UI_OK, "en-us" },                    \
	{ UK_MENU, "GPU passthrough", UI_OK, "auto" }

/* btrfs is offered; on the one disk it is raid0, in the answer text and the summary */
static void test_btrfs(void **state)
{
	static const struct ui_step steps[] = {
		TO_MAILTO_ON("vdb", "btrfs"),
		MAILTO_TO_GPU,
		{ UK_YESNO, "Summary", UI_BACK, NULL },
		/* back through the screens to the filesystem: the choice is kept */
		{ UK_MENU, "GPU passthrough", UI_BACK, NULL },
		{ UK_MENU, "Keyboard", UI_BACK, NULL },
		{ UK_INPUT, "Time zone", UI_BACK, NULL },
		{ UK_INPUT, "Country", UI_BACK, NULL },
		{ UK_INPUT, "E-mail", UI_BACK, NULL },
		{ UK_PASSWORD, NULL, UI_BACK, NULL },
		{ UK_INPUT, "Host name", UI_BACK, NULL },
		{ UK_MENU, "Network", UI_BACK, NULL },
		{ UK_MENU, "Management network", UI_BACK, NULL },
		{ UK_MENU, "Filesystem", UI_OK, "btrfs" },
		{ UK_MENU, "Management network", UI_OK, "ens3" },
		{ UK_MENU, "Network", UI_OK, "dhcp" },
		{ UK_INPUT, "Host name", UI_OK, "pve3.example.com" },
		{ UK_PASSWORD, NULL, UI_OK, "password1" },
		{ UK_PASSWORD, NULL, UI_OK, "password1" },
		MAILTO_TO_GPU,
		{ UK_YESNO, "Summary", UI_OK, NULL },
	};
	struct ask_state st;
	struct ui_script s;
	struct answer *a;
	char *toml;

	(void)state;
	assert_int_equal(run(steps, ARRAY_SIZE(steps), &st, &s), 0);
	assert_int_equal(s.mismatch, 0);
	assert_int_equal(s.next, ARRAY_SIZE(steps));
	assert_string_equal(st.filesystem, "btrfs");
	/* the menu offers all three, the summary names what is made */
	assert_non_null(strstr(s.texts[2], "\nbtrfs  "));
	assert_non_null(strstr(s.texts[2], "\next4  ext4 on LVM"));
	assert_non_null(strstr(s.texts[ARRAY_SIZE(steps) - 1],
			       "\nFilesystem: btrfs (raid0, one disk)\n"));
	assert_null(strstr(s.texts[ARRAY_SIZE(steps) - 1], "LVM"));
	toml = inst_ask_to_toml(&st);
	assert_non_null(strstr(toml, "[disk-setup]\nfilesystem = \"btrfs\"\n"
			       "btrfs.raid = \"raid0\"\ndisk-list = [\"vdb\"]\n"));
	a = parse_screens(toml, ANSWER_FS_BTRFS);
	assert_string_equal(a->disk.raid, "raid0");
	assert_int_equal(a->disk.n_disk_list, 1);
	answer_free(a);
	free(toml);
	ask_state_wipe(&st);
}

/* zfs too: raid0 on the one disk, in the answer text and the summary */
static void test_zfs(void **state)
{
	static const struct ui_step steps[] = {
		TO_MAILTO_ON("vdb", "zfs"),
		MAILTO_TO_GPU,
		{ UK_YESNO, "Summary", UI_OK, NULL },
	};
	const size_t n = ARRAY_SIZE(steps);
	struct ask_state st;
	struct ui_script s;
	struct answer *a;
	char *toml;

	(void)state;
	assert_int_equal(run(steps, n, &st, &s), 0);
	assert_int_equal(s.mismatch, 0);
	assert_string_equal(st.filesystem, "zfs");
	assert_non_null(strstr(s.texts[2], "\nzfs  "));
	assert_non_null(strstr(s.texts[2], "ZFS, pool rpool, raid0 on the one disk"));
	assert_non_null(strstr(s.texts[n - 1],
			       "\nFilesystem: zfs (pool rpool, raid0, one disk)\n"));
	toml = inst_ask_to_toml(&st);
	assert_non_null(strstr(toml, "[disk-setup]\nfilesystem = \"zfs\"\n"
			       "zfs.raid = \"raid0\"\ndisk-list = [\"vdb\"]\n"));
	a = parse_screens(toml, ANSWER_FS_ZFS);
	assert_string_equal(a->disk.raid, "raid0");
	answer_free(a);
	free(toml);
	ask_state_wipe(&st);
}

static void test_password_rules(void **state)
{
	static const struct ui_step steps[] = {
		{ UK_YESNO, NULL, UI_OK, NULL },
		{ UK_MENU, NULL, UI_OK, "vda" },
		{ UK_MENU, NULL, UI_OK, "ext4" },
		{ UK_MENU, NULL, UI_OK, "ens3" },
		{ UK_MENU, NULL, UI_OK, "dhcp" },
		{ UK_INPUT, NULL, UI_OK, "pve.example.com" },
		{ UK_PASSWORD, NULL, UI_OK, "short" },
		{ UK_MSG, "Root password", UI_OK, NULL },
		{ UK_PASSWORD, NULL, UI_OK, "longenough" },
		{ UK_PASSWORD, NULL, UI_OK, "different!" },
		{ UK_MSG, "Root password", UI_OK, NULL },
		{ UK_PASSWORD, NULL, UI_OK, "longenough" },
		{ UK_PASSWORD, NULL, UI_OK, "longenough" },
		{ UK_INPUT, NULL, UI_OK, "root@example.com" },
		{ UK_INPUT, NULL, UI_OK, "us" },
		{ UK_INPUT, NULL, UI_OK, "UTC" },
		{ UK_MENU, NULL, UI_OK, "en-us" },
		{ UK_MENU, NULL, UI_OK, "auto" },
		{ UK_YESNO, NULL, UI_OK, NULL },
	};
	struct ask_state st;
	struct ui_script s;

	(void)state;
	assert_int_equal(run(steps, ARRAY_SIZE(steps), &st, &s), 0);
	assert_int_equal(s.mismatch, 0);
	assert_non_null(strstr(s.texts[7], "at least 8"));
	assert_non_null(strstr(s.texts[10], "differ"));
	assert_string_equal(st.password, "longenough");
}

/* the steps up to the first new screen: disk vda, ext4, DHCP, a password */
#define TO_MAILTO TO_MAILTO_ON("vda", "ext4")

/* a value the answer schema refuses is shown with the schema's reason and asked again */
static void test_invalid_asked_again(void **state)
{
	static const struct ui_step steps[] = {
		TO_MAILTO,
		{ UK_INPUT, "E-mail", UI_OK, "admin" },				/* 8 */
		{ UK_MSG, "E-mail", UI_OK, NULL },
		{ UK_INPUT, "E-mail", UI_OK, "admin@example.com" },
		{ UK_INPUT, "Country", UI_OK, "DE" },				/* 11 */
		{ UK_MSG, "Country", UI_OK, NULL },
		{ UK_INPUT, "Country", UI_OK, "deu" },
		{ UK_MSG, "Country", UI_OK, NULL },				/* 14 */
		{ UK_INPUT, "Country", UI_OK, "de" },
		{ UK_INPUT, "Time zone", UI_OK, "Berlin" },			/* 16 */
		{ UK_MSG, "Time zone", UI_OK, NULL },
		{ UK_INPUT, "Time zone", UI_OK, "Europe/Berlin" },
		{ UK_MENU, "Keyboard", UI_OK, "de" },
		{ UK_MENU, "GPU passthrough", UI_OK, "auto" },
		{ UK_YESNO, "Summary", UI_OK, NULL },
	};
	struct ask_state st;
	struct ui_script s;
	char *toml;

	(void)state;
	assert_int_equal(run(steps, ARRAY_SIZE(steps), &st, &s), 0);
	assert_int_equal(s.mismatch, 0);
	assert_int_equal(s.next, ARRAY_SIZE(steps));
	assert_non_null(strstr(s.texts[9], "'admin' must be an e-mail address like "
			       "'root@example.com'"));
	assert_non_null(strstr(s.texts[12], "'DE' must be a two-letter lower-case country code"));
	assert_non_null(strstr(s.texts[14], "'deu' must be a two-letter lower-case country code"));
	assert_non_null(strstr(s.texts[17], "'Berlin' must be 'UTC' or Area/City"));
	assert_string_equal(st.mailto, "admin@example.com");
	assert_string_equal(st.country, "de");
	assert_string_equal(st.timezone, "Europe/Berlin");
	assert_string_equal(st.keyboard, "de");
	toml = inst_ask_to_toml(&st);
	assert_non_null(strstr(toml, "mailto = \"admin@example.com\"\n"));
	assert_non_null(strstr(toml, "country = \"de\"\n"));
	assert_non_null(strstr(toml, "timezone = \"Europe/Berlin\"\n"));
	assert_non_null(strstr(toml, "keyboard = \"de\"\n"));
	free(toml);
	ask_state_wipe(&st);
}

/* the keyboard menu offers the schema's layouts, every one, and nothing else */
static void test_keyboard_menu(void **state)
{
	static const struct ui_step steps[] = {
		TO_MAILTO,
		{ UK_INPUT, "E-mail", UI_OK, "root@example.com" },
		{ UK_INPUT, "Country", UI_OK, "us" },
		{ UK_INPUT, "Time zone", UI_OK, "UTC" },
		{ UK_MENU, "Keyboard", UI_OK, "us" },				/* 11 */
	};
	const struct answer_keyboard *kb;
	struct ask_state st;
	struct ui_script s;
	size_t n, lines = 0;

	(void)state;
	run(steps, ARRAY_SIZE(steps), &st, &s);
	assert_int_equal(s.mismatch, 2);	/* "us" is not a layout of the schema */
	kb = answer_keyboards(&n);
	for (size_t i = 0; i < n; i++) {
		char line[128];

		snprintf(line, sizeof(line), "\n%s  %s", kb[i].code, kb[i].name);
		assert_non_null(strstr(s.texts[11], line));
	}
	for (const char *p = s.texts[11]; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, n);
	assert_non_null(strstr(s.texts[11], "\nde-ch  Swiss German"));
	ask_state_wipe(&st);
}

/* Esc goes back through the new screens one by one; what was entered stays */
static void test_back_through_new_screens(void **state)
{
	static const struct ui_step steps[] = {
		TO_MAILTO,
		{ UK_INPUT, "E-mail", UI_OK, "first@example.com" },
		{ UK_INPUT, "Country", UI_OK, "at" },
		{ UK_INPUT, "Time zone", UI_OK, "Europe/Vienna" },
		{ UK_MENU, "Keyboard", UI_OK, "de" },
		{ UK_MENU, "GPU passthrough", UI_BACK, NULL },
		{ UK_MENU, "Keyboard", UI_BACK, NULL },
		{ UK_INPUT, "Time zone", UI_BACK, NULL },
		{ UK_INPUT, "Country", UI_BACK, NULL },
		{ UK_INPUT, "E-mail", UI_BACK, NULL },
		/* back from the e-mail: the password again (twice) */
		{ UK_PASSWORD, "Root password", UI_OK, "longenough" },
		{ UK_PASSWORD, "Root password", UI_OK, "longenough" },
		{ UK_INPUT, "E-mail", UI_OK, "second@example.com" },
		{ UK_INPUT, "Country", UI_BACK, NULL },
		{ UK_INPUT, "E-mail", UI_OK, "third@example.com" },
		{ UK_INPUT, "Country", UI_OK, "ch" },
		{ UK_INPUT, "Time zone", UI_BACK, NULL },
		{ UK_INPUT, "Country", UI_OK, "li" },
		{ UK_INPUT, "Time zone", UI_OK, "Europe/Zurich" },
		{ UK_MENU, "Keyboard", UI_BACK, NULL },
		{ UK_INPUT, "Time zone", UI_OK, "Europe/Vaduz" },
		{ UK_MENU, "Keyboard", UI_OK, "fr-ch" },
		{ UK_MENU, "GPU passthrough", UI_OK, "auto" },
		{ UK_YESNO, "Summary", UI_CANCEL, NULL },
		/* "No" on the summary goes back to the GPU screen, then Esc to the keyboard */
		{ UK_MENU, "GPU passthrough", UI_BACK, NULL },
		{ UK_MENU, "Keyboard", UI_OK, "de-ch" },
		{ UK_MENU, "GPU passthrough", UI_OK, "auto" },
		{ UK_YESNO, "Summary", UI_OK, NULL },
	};
	struct ask_state st;
	struct ui_script s;
	char *toml;

	(void)state;
	assert_int_equal(run(steps, ARRAY_SIZE(steps), &st, &s), 0);
	assert_int_equal(s.mismatch, 0);
	assert_int_equal(s.next, ARRAY_SIZE(steps));
	/* Esc on a screen keeps the value entered before it (no empty value) */
	assert_string_equal(st.mailto, "third@example.com");
	assert_string_equal(st.country, "li");
	assert_string_equal(st.timezone, "Europe/Vaduz");
	assert_string_equal(st.keyboard, "de-ch");
	assert_non_null(strstr(s.texts[ARRAY_SIZE(steps) - 1],
			       "\nCountry: li, time zone: Europe/Vaduz, keyboard: de-ch\n"));
	toml = inst_ask_to_toml(&st);
	assert_non_null(strstr(toml, "[global]\nkeyboard = \"de-ch\"\ncountry = \"li\"\n"));
	assert_non_null(strstr(toml, "mailto = \"third@example.com\"\n"
			       "timezone = \"Europe/Vaduz\"\n"));
	free(toml);
	ask_state_wipe(&st);
}

/* the screens' defaults are values the schema accepts */
static void test_defaults_valid(void **state)
{
	struct ask_state st;

	(void)state;
	ask_state_defaults(&st);
	assert_null(answer_value_problem("global", "keyboard", st.keyboard));
	assert_null(answer_value_problem("global", "country", st.country));
	assert_null(answer_value_problem("global", "timezone", st.timezone));
	assert_null(answer_value_problem("global", "mailto", st.mailto));
}

static void test_quoting(void **state)
{
	struct ask_state st;
	char *toml;

	(void)state;
	ask_state_defaults(&st);
	snprintf(st.password, sizeof(st.password), "a\"b\\c");
	snprintf(st.disk, sizeof(st.disk), "vda");
	toml = inst_ask_to_toml(&st);
	assert_non_null(strstr(toml, "root-password = \"a\\\"b\\\\c\"\n"));
	free(toml);
}

static void test_cancel(void **state)
{
	static const struct ui_step steps[] = {
		{ UK_YESNO, NULL, UI_CANCEL, NULL },
	};
	struct ask_state st;
	struct ui_script s;

	(void)state;
	assert_int_equal(run(steps, ARRAY_SIZE(steps), &st, &s), -ECANCELED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_happy_path),
		cmocka_unit_test(test_boot_medium_not_offered),
		cmocka_unit_test(test_not_empty_named),
		cmocka_unit_test(test_never_hides_full_disks),
		cmocka_unit_test(test_esc_goes_back),
		cmocka_unit_test(test_btrfs),
		cmocka_unit_test(test_zfs),
		cmocka_unit_test(test_password_rules),
		cmocka_unit_test(test_invalid_asked_again),
		cmocka_unit_test(test_keyboard_menu),
		cmocka_unit_test(test_back_through_new_screens),
		cmocka_unit_test(test_defaults_valid),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_cancel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
