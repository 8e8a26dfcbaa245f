// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * [vm-template]'s Windows keys (lib/answer-win.c and answer-check.c): their
 * defaults and values, each validator's edges, the checks across keys (an
 * https:// image needs its SHA-256, "carried" twice is fine, keys the answer
 * ISO alone uses), admin-password as a secret, and the keyboard table's
 * Windows columns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "answer-int.h"
#include "util.h"

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF"

static const char answer_min[] =
	"[global]\n"
	"keyboard = \"de\"\n"
	"country = \"at\"\n"
	"fqdn = \"pve.example.com\"\n"
	"mailto = \"root@example.com\"\n"
	"timezone = \"Europe/Vienna\"\n"
	"root-password = \"correct horse\"\n"
	"[network]\n"
	"source = \"from-dhcp\"\n"
	"[disk-setup]\n"
	"filesystem = \"ext4\"\n"
	"disk-list = [\"sda\"]\n"
	"[vm-template]\n";

/* answer_min then @vm: the diagnostics joined by newlines ("" for none), *ret */
static char *diags_of(const char *vm, struct answer **out, int *ret)
{
	struct answer_diags d = { 0 };
	struct answer *a = NULL;
	struct strbuf text = { 0 }, sb = { 0 };

	sb_printf(&text, "%s%s", answer_min, vm);
	*ret = answer_parse(text.buf, text.len, "t.toml", 0, &a, &d);
	for (size_t i = 0; i < d.len; i++) {
		char *s = answer_diag_str(&d.items[i]);

		sb_printf(&sb, "%s%s", i ? "\n" : "", s);
		free(s);
	}
	sb_puts(&sb, "");
	if (out)
		*out = a;
	else
		answer_free(a);
	answer_diags_release(&d);
	sb_release(&text);
	return sb_detach(&sb);
}

static struct answer *parse_ok(const char *vm)
{
	struct answer *a;
	int ret;
	char *got = diags_of(vm, &a, &ret);

	if (ret || *got)
		fail_msg("unexpected problems:\n%s", got);
	free(got);
	return a;
}

/* @vm gives exactly @want (one problem, without "t.toml:" in front) */
static void expect(const char *vm, const char *want)
{
	int ret;
	char *got = diags_of(vm, NULL, &ret);

	if (!strstr(got, want) || strchr(got, '\n'))
		fail_msg("for:\n%s--- expected\n%s\n--- got\n%s", vm, want, got);
	free(got);
}

static void test_defaults(void **state)
{
	struct answer *a;

	(void)state;
	a = parse_ok("");
	assert_string_equal(a->vm.windows_edition, "Windows 11 Pro");
	assert_string_equal(a->vm.windows_language, "en-US");
	assert_string_equal(a->vm.admin_user, "admin");
	assert_null(a->vm.admin_password);
	assert_null(a->vm.computer_name);
	assert_null(a->vm.windows_iso);
	assert_null(a->vm.windows_iso_sha256);
	assert_null(a->vm.virtio_iso_sha256);
	assert_true(a->vm.unattended);
	answer_free(a);
}

static void test_values(void **state)
{
	struct answer *a;

	(void)state;
	a = parse_ok("windows-iso = \"https://img.example.com/w/Win11.iso\"\n"
		     "windows-iso-sha256 = \"" SHA "\"\n"
		     "virtio-iso = \"carried\"\n"
		     "windows-edition = \"Windows 11 Pro for Workstations\"\n"
		     "windows-language = \"sr-Latn-RS\"\n"
		     "admin-user = \"Jörg Ä.\"\n"
		     "admin-password = \"a&b<c>\\\"d'e f\"\n"
		     "computer-name = \"GAMING-01\"\n");
	assert_string_equal(a->vm.windows_iso, "https://img.example.com/w/Win11.iso");
	assert_string_equal(a->vm.windows_iso_sha256, SHA);
	assert_string_equal(a->vm.virtio_iso, ANSWER_ISO_CARRIED);
	assert_string_equal(a->vm.windows_edition, "Windows 11 Pro for Workstations");
	assert_string_equal(a->vm.windows_language, "sr-Latn-RS");
	assert_string_equal(a->vm.admin_user, "Jörg Ä.");
	assert_string_equal(a->vm.admin_password, "a&b<c>\"d'e f");
	assert_string_equal(a->vm.computer_name, "GAMING-01");
	answer_free(a);
	/* both images from the medium: two files, not one image twice */
	a = parse_ok("windows-iso = \"carried\"\nvirtio-iso = \"carried\"\n");
	answer_free(a);
	a = parse_ok("windows-iso = \"carried\"\nvirtio-iso = \"local:iso/virtio-win.iso\"\n");
	answer_free(a);
}

static void test_validators(void **state)
{
	static const struct {
		const char *(*fn)(const char *);
		const char *value;
		bool ok;
	} cases[] = {
		{ answer_valid_iso_source, "carried", true },
		{ answer_valid_iso_source, "local:iso/Win11_24H2.iso", true },
		{ answer_valid_iso_source, "https://h.example/x/Win11.iso", true },
		{ answer_valid_iso_source, "https://h.example/download?id=7", true },
		{ answer_valid_iso_source, "http://h.example/Win11.iso", false },
		{ answer_valid_iso_source, "https://u:pw@h.example/Win11.iso", false },
		{ answer_valid_iso_source, "Carried", false },
		{ answer_valid_iso_source, "/var/lib/vz/template/iso/Win11.iso", false },
		{ answer_valid_iso_source, "local:iso/Win11.img", false },
		{ answer_valid_sha256, SHA, true },
		{ answer_valid_sha256, SHA "0", false },
		{ answer_valid_sha256, "g123456789abcdef0123456789abcdef"
				       "0123456789abcdef0123456789abcdef", false },
		{ answer_valid_win_edition, "Windows 11 Pro", true },
		{ answer_valid_win_edition, "Windows 11 Enterprise N LTSC 2024", true },
		{ answer_valid_win_edition,
		  "Windows 11 Pro 0123456789012345678901234567890123456789012345678", true },
		{ answer_valid_win_edition,
		  "Windows 11 Pro 01234567890123456789012345678901234567890123456789", false },
		{ answer_valid_win_edition, " Windows 11 Pro", false },
		{ answer_valid_win_edition, "Windows 11 Pro ", false },
		{ answer_valid_win_edition, "Windows\t11", false },
		{ answer_valid_win_edition, "Windows 11 Pró", false },
		{ answer_valid_win_language, "en-US", true },
		{ answer_valid_win_language, "de-DE", true },
		{ answer_valid_win_language, "sr-Latn-RS", true },
		{ answer_valid_win_language, "haw-US", true },
		{ answer_valid_win_language, "en-us", false },
		{ answer_valid_win_language, "EN-US", false },
		{ answer_valid_win_language, "en", false },
		{ answer_valid_win_language, "en-USA", false },
		{ answer_valid_win_language, "en_US", false },
		{ answer_valid_win_language, "sr-latn-RS", false },
		{ answer_valid_win_user, "admin", true },
		{ answer_valid_win_user, "Gamer One", true },
		{ answer_valid_win_user, "a.b", true },
		{ answer_valid_win_user, "ÄÖÜäöüßÄÖÜäöüßÄÖÜäöü", true },	/* 20 characters */
		{ answer_valid_win_user, "ÄÖÜäöüßÄÖÜäöüßÄÖÜäöüx", false },
		{ answer_valid_win_user, "abcdefghijklmnopqrstu", false },
		{ answer_valid_win_user, "...", false },
		{ answer_valid_win_user, ". .", false },
		{ answer_valid_win_user, "ad\"min", false },
		{ answer_valid_win_user, "ad/min", false },
		{ answer_valid_win_user, "ad\\min", false },
		{ answer_valid_win_user, "ad[min]", false },
		{ answer_valid_win_user, "ad:min", false },
		{ answer_valid_win_user, "ad;min", false },
		{ answer_valid_win_user, "ad|min", false },
		{ answer_valid_win_user, "ad=min", false },
		{ answer_valid_win_user, "ad,min", false },
		{ answer_valid_win_user, "ad+min", false },
		{ answer_valid_win_user, "ad*min", false },
		{ answer_valid_win_user, "ad?min", false },
		{ answer_valid_win_user, "ad<min>", false },
		{ answer_valid_win_user, "ad@min", false },
		{ answer_valid_win_user, "ad\tmin", false },
		{ answer_valid_win_user, "ADMINISTRATOR", false },
		{ answer_valid_win_user, "guest", false },
		{ answer_valid_win_password, "correct horse", true },
		{ answer_valid_win_password, "a&b<c>\"d'", true },
		{ answer_valid_win_password, "1234567", false },
		{ answer_valid_win_password, "pässwörd", true },	/* 8 characters, 10 bytes */
		{ answer_valid_win_password, "pässwö", false },
		{ answer_valid_win_password, "correct\nhorse", false },
		{ answer_valid_netbios_name, "WIN11", true },
		{ answer_valid_netbios_name, "win11-passthrou", true },
		{ answer_valid_netbios_name, "win11-passthrough", false },
		{ answer_valid_netbios_name, "12345", false },
		{ answer_valid_netbios_name, "pc_1", false },
		{ answer_valid_netbios_name, "pc.lab", false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *why = cases[i].fn(cases[i].value);

		if (cases[i].ok ? why != NULL : why == NULL)
			fail_msg("case %zu '%s': %s", i, cases[i].value, why ? why : "accepted");
	}
	assert_true(answer_iso_is_url("https://h.example/x.iso"));
	assert_false(answer_iso_is_url("carried"));
	assert_false(answer_iso_is_url("local:iso/x.iso"));
	assert_false(answer_iso_is_url(NULL));
}

static void test_checks(void **state)
{
	(void)state;
	expect("windows-iso = \"https://h.example/Win11.iso\"\n",
	       "t.toml:14:1: missing key 'windows-iso-sha256': an https:// 'windows-iso' needs "
	       "its SHA-256");
	expect("virtio-iso = \"local:iso/virtio-win.iso\"\nvirtio-iso-sha256 = \"" SHA "\"\n",
	       "t.toml:15:1: 'virtio-iso-sha256' is only valid when 'virtio-iso' is an https:// "
	       "URL");
	expect("windows-iso-sha256 = \"" SHA "\"\n",
	       "t.toml:14:1: 'windows-iso-sha256' is only valid when 'windows-iso' is an https:// "
	       "URL");
	expect("windows-iso = \"carried\"\nwindows-iso-sha256 = \"" SHA "\"\n",
	       "'windows-iso-sha256' is only valid when 'windows-iso' is an https:// URL");
	expect("windows-iso = \"local:iso/a.iso\"\nvirtio-iso = \"local:iso/a.iso\"\n",
	       "t.toml:15:14: 'windows-iso' and 'virtio-iso' must be different ISO images");
	expect("windows-iso = \"https://h.example/a.iso\"\nwindows-iso-sha256 = \"" SHA "\"\n"
	       "virtio-iso = \"https://h.example/a.iso\"\nvirtio-iso-sha256 = \"" SHA "\"\n",
	       "'windows-iso' and 'virtio-iso' must be different ISO images");
	/* what only the answer ISO uses: warnings */
	expect("admin-user = \"ops\"\n",
	       "t.toml:14:1: warning: 'admin-user' is ignored without 'admin-password': Windows "
	       "asks for an account on the VM's console");
	expect("unattended = false\nwindows-edition = \"Windows 11 Home\"\n",
	       "t.toml:15:1: warning: 'windows-edition' is ignored with 'unattended' = false");
	expect("unattended = false\nadmin-password = \"correct horse\"\n",
	       "warning: 'admin-password' is ignored with 'unattended' = false");
}

/* the password is a secret: marked so (messages never show it, it is wiped) */
static void test_password_secret(void **state)
{
	int ret;
	char *got;

	(void)state;
	assert_true(answer_keys[AK_VM_ADMIN_PASSWORD].secret);
	assert_false(answer_keys[AK_VM_ADMIN_USER].secret);
	got = diags_of("admin-password = \"Zq7-no\"\n", NULL, &ret);
	assert_non_null(strstr(got, "invalid 'admin-password': must be at least 8 characters"));
	assert_null(strstr(got, "Zq7"));
	free(got);
	got = diags_of("admin-password = 12345678\n", NULL, &ret);
	assert_non_null(strstr(got, "'admin-password'"));
	assert_null(strstr(got, "12345678"));
	free(got);
}

static bool hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* every layout has its Windows input locale, language and locale */
static void test_keyboards(void **state)
{
	const struct answer_keyboard *kb;
	size_t n;

	(void)state;
	kb = answer_keyboards(&n);
	for (size_t i = 0; i < n; i++) {
		const char *in = kb[i].win_input;

		assert_non_null(in);
		/* "llll:kkkkkkkk", or the language and a text service's two GUIDs */
		assert_true(hex_run(in, 4) && in[4] == ':');
		assert_true((strlen(in) == 13 && hex_run(in + 5, 8)) || in[5] == '{');
		assert_null(answer_valid_win_language(kb[i].win_locale));
		assert_true(str_startswith(kb[i].win_locale, kb[i].win_lang));
		assert_int_equal(kb[i].win_locale[strlen(kb[i].win_lang)], '-');
	}
	assert_string_equal(answer_keyboard_find("de")->win_input, "0407:00000407");
	assert_string_equal(answer_keyboard_find("de-ch")->win_input, "0807:00000807");
	assert_string_equal(answer_keyboard_find("en-us")->win_input, "0409:00000409");
	assert_string_equal(answer_keyboard_find("pt-br")->win_input, "0416:00010416");
	assert_string_equal(answer_keyboard_find("no")->win_locale, "nb-NO");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_validators),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_password_secret),
		cmocka_unit_test(test_keyboards),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
