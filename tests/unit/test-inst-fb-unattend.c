// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * autounattend.xml (inst-firstboot-unattend.c, inst-fb-unattend-conf.c): the
 * text is well-formed XML (xmllint), and every element Windows Setup reads is
 * where Microsoft's unattend reference puts it, per pass and component,
 * checked with namespace-aware XPath: edition and key, disk layout, the
 * driver paths on D..Z, computer name, time zone, locales, the account and
 * its password encoding, the OOBE flags, the first-logon commands; escaping;
 * no account without a password; the settings taken from an answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "firstboot/inst-firstboot.h"
#include "util.h"
#include "xml-check.h"

#define PW "a&b<c>\"d'"
/* base64 of UTF-16LE "a&b<c>\"d'Password" */
#define PW_B64 "YQAmAGIAPABjAD4AIgBkACcAUABhAHMAcwB3AG8AcgBkAA=="

static const struct inst_fb_unattend full = {
	.edition = "Windows 11 Pro",
	.product_key = "W269N-WFGWX-YVC9B-4J6C9-T83GX",
	.language = "en-US",
	.input_locale = "0407:00000407",
	.user_locale = "de-AT",
	.timezone_win = "W. Europe Standard Time",
	.computer_name = "win11-passthrou",
	.admin_user = "admin",
	.admin_password = PW,
};

/* @want == the string value of @rest under @pass/@component */
static void want(const char *xml, const char *pass, const char *comp, const char *rest,
		 const char *value)
{
	char expr[2200];
	char *got;

	snprintf(expr, sizeof(expr), "string(%s)", xml_unattend_path(0, pass, comp, rest));
	got = xml_xpath(xml, expr);
	if (!got || strcmp(got, value))
		fail_msg("%s | %s | %s: got '%s', want '%s'", pass, comp, rest,
			 got ? got : "(xmllint failed)", value);
	free(got);
}

/* how many elements match @rest under @pass/@component */
static long count(const char *xml, const char *pass, const char *comp, const char *rest)
{
	char expr[2200];
	char *got;
	long n;

	snprintf(expr, sizeof(expr), "count(%s)", xml_unattend_path(0, pass, comp, rest));
	got = xml_xpath(xml, expr);
	assert_non_null(got);
	n = strtol(got, NULL, 10);
	free(got);
	return n;
}

static char *xpath(const char *xml, const char *expr)
{
	char *got = xml_xpath(xml, expr);

	assert_non_null(got);
	return got;
}

/* a predicate on a child element's value (the children are in the unattend namespace) */
#define BY(name, value) "[*[local-name()='" name "']='" value "']"

#define PART "DiskConfiguration/Disk/CreatePartitions/CreatePartition"
#define CMD "FirstLogonCommands/SynchronousCommand"

#define PE "windowsPE"
#define SPEC "specialize"
#define OOBE "oobeSystem"
#define INTL_PE "Microsoft-Windows-International-Core-WinPE"
#define PNP "Microsoft-Windows-PnpCustomizationsWinPE"
#define SETUP "Microsoft-Windows-Setup"
#define SHELL "Microsoft-Windows-Shell-Setup"
#define INTL "Microsoft-Windows-International-Core"

static void test_wellformed_and_components(void **state)
{
	char *xml = inst_fb_unattend_xml(&full), *s;

	(void)state;
	assert_non_null(xml);
	assert_int_equal(xml_check_wellformed(xml), 0);
	s = xpath(xml, "namespace-uri(/*)");
	assert_string_equal(s, "urn:schemas-microsoft-com:unattend");
	free(s);
	/* the three passes, six components, each with Microsoft's identity */
	s = xpath(xml, "count(/*/*[local-name()='settings'])");
	assert_string_equal(s, "3");
	free(s);
	s = xpath(xml, "count(//*[local-name()='component'])");
	assert_string_equal(s, "6");
	free(s);
	s = xpath(xml, "count(//*[local-name()='component'][@processorArchitecture='amd64']"
		       "[@publicKeyToken='31bf3856ad364e35'][@language='neutral']"
		       "[@versionScope='nonSxS'])");
	assert_string_equal(s, "6");
	free(s);
	assert_int_equal(count(xml, PE, INTL_PE, ""), 1);
	assert_int_equal(count(xml, PE, PNP, ""), 1);
	assert_int_equal(count(xml, PE, SETUP, ""), 1);
	assert_int_equal(count(xml, SPEC, SHELL, ""), 1);
	assert_int_equal(count(xml, OOBE, INTL, ""), 1);
	assert_int_equal(count(xml, OOBE, SHELL, ""), 1);
	explicit_bzero(xml, strlen(xml));
	free(xml);
}

static void test_windows_pe(void **state)
{
	char *xml = inst_fb_unattend_xml(&full);
	static const char *const dirs[] = { "vioscsi", "NetKVM", "Balloon", "vioserial" };

	(void)state;
	want(xml, PE, INTL_PE, "SetupUILanguage/UILanguage", "en-US");
	want(xml, PE, INTL_PE, "InputLocale", "0407:00000407");
	want(xml, PE, INTL_PE, "SystemLocale", "de-AT");
	want(xml, PE, INTL_PE, "UILanguage", "en-US");
	want(xml, PE, INTL_PE, "UserLocale", "de-AT");
	/* disk 0 wiped, GPT: EFI 100 MB FAT32, MSR 16 MB, Windows NTFS on the rest as C: */
	want(xml, PE, SETUP, "DiskConfiguration/Disk/DiskID", "0");
	want(xml, PE, SETUP, "DiskConfiguration/Disk/WillWipeDisk", "true");
	assert_int_equal(count(xml, PE, SETUP, "DiskConfiguration/Disk/CreatePartitions/"
				"CreatePartition"), 3);
	want(xml, PE, SETUP, PART BY("Order", "1") "/"
	     "Type", "EFI");
	want(xml, PE, SETUP, PART BY("Order", "1") "/"
	     "Size", "100");
	want(xml, PE, SETUP, PART BY("Order", "2") "/"
	     "Type", "MSR");
	want(xml, PE, SETUP, PART BY("Order", "2") "/"
	     "Size", "16");
	want(xml, PE, SETUP, PART BY("Order", "3") "/"
	     "Type", "Primary");
	want(xml, PE, SETUP, PART BY("Order", "3") "/"
	     "Extend", "true");
	want(xml, PE, SETUP, "DiskConfiguration/Disk/ModifyPartitions/ModifyPartition"
	     "" BY("PartitionID", "1") "/Format", "FAT32");
	want(xml, PE, SETUP, "DiskConfiguration/Disk/ModifyPartitions/ModifyPartition"
	     "" BY("PartitionID", "3") "/Format", "NTFS");
	want(xml, PE, SETUP, "DiskConfiguration/Disk/ModifyPartitions/ModifyPartition"
	     "" BY("PartitionID", "3") "/Letter", "C");
	/* the image by its name, onto disk 0 partition 3 */
	want(xml, PE, SETUP, "ImageInstall/OSImage/InstallFrom/MetaData/Key", "/IMAGE/NAME");
	want(xml, PE, SETUP, "ImageInstall/OSImage/InstallFrom/MetaData/Value", "Windows 11 Pro");
	want(xml, PE, SETUP, "ImageInstall/OSImage/InstallTo/DiskID", "0");
	want(xml, PE, SETUP, "ImageInstall/OSImage/InstallTo/PartitionID", "3");
	want(xml, PE, SETUP, "UserData/AcceptEula", "true");
	want(xml, PE, SETUP, "UserData/ProductKey/Key", "W269N-WFGWX-YVC9B-4J6C9-T83GX");
	want(xml, PE, SETUP, "UserData/ProductKey/WillShowUI", "OnError");
	/* every driver on every letter D..Z, once, with unique keys */
	assert_int_equal(count(xml, PE, PNP, "DriverPaths/PathAndCredentials"), 4 * 23);
	for (char l = 'D'; l <= 'Z'; l++)
		for (size_t d = 0; d < ARRAY_SIZE(dirs); d++) {
			char rest[160];

			snprintf(rest, sizeof(rest),
				 "DriverPaths/PathAndCredentials/Path[.='%c:\\%s\\w11\\amd64']", l,
				 dirs[d]);
			if (count(xml, PE, PNP, rest) != 1)
				fail_msg("no driver path %c:\\%s\\w11\\amd64", l, dirs[d]);
		}
	assert_int_equal(count(xml, PE, PNP, "DriverPaths/PathAndCredentials[@*[local-name()="
				"'keyValue']='92']"), 1);
	free(xml);
}

static void test_specialize_and_oobe(void **state)
{
	char *xml = inst_fb_unattend_xml(&full);

	(void)state;
	want(xml, SPEC, SHELL, "ComputerName", "win11-passthrou");
	want(xml, SPEC, SHELL, "TimeZone", "W. Europe Standard Time");
	want(xml, OOBE, INTL, "InputLocale", "0407:00000407");
	want(xml, OOBE, INTL, "SystemLocale", "de-AT");
	want(xml, OOBE, INTL, "UILanguage", "en-US");
	want(xml, OOBE, INTL, "UserLocale", "de-AT");
	want(xml, OOBE, SHELL, "OOBE/HideEULAPage", "true");
	want(xml, OOBE, SHELL, "OOBE/HideLocalAccountScreen", "true");
	want(xml, OOBE, SHELL, "OOBE/HideOEMRegistrationScreen", "true");
	want(xml, OOBE, SHELL, "OOBE/HideOnlineAccountScreens", "true");
	want(xml, OOBE, SHELL, "OOBE/HideWirelessSetupInOOBE", "true");
	want(xml, OOBE, SHELL, "OOBE/ProtectYourPC", "3");
	/* the administrator, its password encoded (not plain text), one autologon */
	assert_int_equal(count(xml, OOBE, SHELL, "UserAccounts/LocalAccounts/LocalAccount"), 1);
	want(xml, OOBE, SHELL, "UserAccounts/LocalAccounts/LocalAccount/Name", "admin");
	want(xml, OOBE, SHELL, "UserAccounts/LocalAccounts/LocalAccount/Group", "Administrators");
	want(xml, OOBE, SHELL, "UserAccounts/LocalAccounts/LocalAccount/Password/Value", PW_B64);
	want(xml, OOBE, SHELL, "UserAccounts/LocalAccounts/LocalAccount/Password/PlainText",
	     "false");
	want(xml, OOBE, SHELL, "AutoLogon/Enabled", "true");
	want(xml, OOBE, SHELL, "AutoLogon/LogonCount", "1");
	want(xml, OOBE, SHELL, "AutoLogon/Username", "admin");
	want(xml, OOBE, SHELL, "AutoLogon/Password/Value", PW_B64);
	want(xml, OOBE, SHELL, "AutoLogon/Password/PlainText", "false");
	assert_null(strstr(xml, "a&b"));
	assert_null(strstr(xml, "a&amp;b"));
	/* first logon: the guest tools, then the guest agent, from the virtio CD */
	assert_int_equal(count(xml, OOBE, SHELL, "FirstLogonCommands/SynchronousCommand"), 2);
	want(xml, OOBE, SHELL, CMD BY("Order", "1") "/CommandLine",
	     "cmd /c for %d in (D E F G H I J K L M N O P Q R S T U V W X Y Z) do @if exist "
	     "%d:\\virtio-win-guest-tools.exe start \"\" /wait %d:\\virtio-win-guest-tools.exe "
	     "/install /passive /norestart");
	want(xml, OOBE, SHELL, CMD BY("Order", "2") "/CommandLine",
	     "cmd /c for %d in (D E F G H I J K L M N O P Q R S T U V W X Y Z) do @if exist "
	     "%d:\\guest-agent\\qemu-ga-x86_64.msi start \"\" /wait msiexec /i "
	     "%d:\\guest-agent\\qemu-ga-x86_64.msi /qn /norestart");
	want(xml, OOBE, SHELL, CMD BY("Order", "1") "/"
	     "RequiresUserInput", "false");
	want(xml, OOBE, SHELL, CMD BY("Order", "2") "/"
	     "RequiresUserInput", "false");
	assert_int_equal(count(xml, OOBE, SHELL, "FirstLogonCommands/SynchronousCommand/"
				"Description"), 2);
	explicit_bzero(xml, strlen(xml));
	free(xml);
}

/* the password's encoding, decoded back: UTF-16LE of the password and "Password" */
static void test_password_encoding(void **state)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct inst_fb_unattend u = full;
	char *xml, *v, *p, want_u16[64];
	unsigned char bytes[128];
	size_t n = 0, bits = 0, wn = 0;
	unsigned acc = 0;

	(void)state;
	/* Microsoft's own example: "pw" is cAB3AFAAYQBzAHMAdwBvAHIAZAA(=) */
	u.admin_password = "pw";
	xml = inst_fb_unattend_xml(&u);
	want(xml, OOBE, SHELL, "AutoLogon/Password/Value", "cAB3AFAAYQBzAHMAdwBvAHIAZAA=");
	free(xml);
	xml = inst_fb_unattend_xml(&full);
	v = strstr(xml, "<Value>" PW_B64);
	assert_non_null(v);
	for (p = v + 7; *p != '<' && *p != '='; p++) {
		acc = acc << 6 | (unsigned)(strchr(b64, *p) - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			bytes[n++] = (unsigned char)(acc >> bits);
		}
	}
	for (const char *s = PW "Password"; *s; s++) {
		want_u16[wn++] = *s;
		want_u16[wn++] = 0;
	}
	assert_int_equal(n, wn);
	assert_memory_equal(bytes, want_u16, n);
	/* a non-ASCII password: UTF-16 with a surrogate pair */
	u.admin_password = "pässwörd\xf0\x9f\x98\x80";
	free(xml);
	xml = inst_fb_unattend_xml(&u);
	want(xml, OOBE, SHELL, "AutoLogon/Password/Value",
	     "cADkAHMAcwB3APYAcgBkAD3YAN5QAGEAcwBzAHcAbwByAGQA");
	free(xml);
}

/* names with & ' " < > stay well-formed and read back as written */
static void test_escaping(void **state)
{
	struct inst_fb_unattend u = full;
	char *xml;

	(void)state;
	u.edition = "Windows <11> & \"Pro\" 'x'";
	u.admin_user = "Tom & Jerry's";
	u.computer_name = "A&B";
	u.timezone_win = "<tz>";
	xml = inst_fb_unattend_xml(&u);
	assert_int_equal(xml_check_wellformed(xml), 0);
	want(xml, PE, SETUP, "ImageInstall/OSImage/InstallFrom/MetaData/Value",
	     "Windows <11> & \"Pro\" 'x'");
	want(xml, OOBE, SHELL, "UserAccounts/LocalAccounts/LocalAccount/Name", "Tom & Jerry's");
	want(xml, OOBE, SHELL, "UserAccounts/LocalAccounts/LocalAccount/DisplayName",
	     "Tom & Jerry's");
	want(xml, OOBE, SHELL, "AutoLogon/Username", "Tom & Jerry's");
	want(xml, SPEC, SHELL, "ComputerName", "A&B");
	want(xml, SPEC, SHELL, "TimeZone", "<tz>");
	assert_non_null(strstr(xml, "Tom &amp; Jerry&apos;s"));
	free(xml);
}

/* no password: no account, no autologon, OOBE's local-account page shows; no key */
static void test_no_password(void **state)
{
	struct inst_fb_unattend u = { 0 };
	char *xml;

	(void)state;
	xml = inst_fb_unattend_xml(&u);
	assert_int_equal(xml_check_wellformed(xml), 0);
	assert_int_equal(count(xml, OOBE, SHELL, "UserAccounts"), 0);
	assert_int_equal(count(xml, OOBE, SHELL, "AutoLogon"), 0);
	assert_null(strstr(xml, "<Password>"));
	want(xml, OOBE, SHELL, "OOBE/HideLocalAccountScreen", "false");
	want(xml, OOBE, SHELL, "OOBE/HideOnlineAccountScreens", "true");
	assert_int_equal(count(xml, OOBE, SHELL, "FirstLogonCommands/SynchronousCommand"), 2);
	/* the defaults */
	want(xml, PE, SETUP, "ImageInstall/OSImage/InstallFrom/MetaData/Value", "Windows 11 Pro");
	want(xml, PE, INTL_PE, "InputLocale", "en-US");
	want(xml, OOBE, INTL, "UserLocale", "en-US");
	want(xml, SPEC, SHELL, "ComputerName", "*");
	want(xml, SPEC, SHELL, "TimeZone", "UTC");
	/* no key: no ProductKey element at all (an empty Key stops Setup) */
	assert_int_equal(count(xml, PE, SETUP, "UserData/ProductKey"), 0);
	assert_int_equal(count(xml, PE, SETUP, "UserData/AcceptEula"), 1);
	free(xml);
}

static void test_product_keys(void **state)
{
	(void)state;
	assert_string_equal(inst_fb_product_key("Windows 11 Pro"), "W269N-WFGWX-YVC9B-4J6C9-T83GX");
	assert_string_equal(inst_fb_product_key("Windows 11 Pro N"),
			    "MH37W-N47XK-V7XM9-C7227-GCQG9");
	assert_string_equal(inst_fb_product_key("Windows 11 Enterprise"),
			    "NPPR9-FWDCX-D2C8J-H872K-2YT43");
	assert_string_equal(inst_fb_product_key("Windows 11 Pro N for Workstations"),
			    inst_fb_product_key("Windows 11 Pro for Workstations N"));
	assert_null(inst_fb_product_key("Windows 11 Home"));
	assert_null(inst_fb_product_key("windows 11 pro"));
	assert_null(inst_fb_product_key(NULL));
}

static void test_computer_name(void **state)
{
	static const char *const cases[][2] = {
		{ "win11-passthrough", "win11-passthrou" },
		{ "gaming.lab.example", "gaming" },
		{ "ab-cdefghijklm-x", "ab-cdefghijklm" },
		{ "w", "w" },
		{ "12345", "*" },
		{ "", "*" },
	};
	char buf[16];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		inst_fb_computer_name(cases[i][0], buf);
		assert_string_equal(buf, cases[i][1]);
	}
	inst_fb_computer_name(NULL, buf);
	assert_string_equal(buf, "*");
}

static void test_conf_from_answer(void **state)
{
	struct inst_fb_unattend_conf c;
	struct answer a;

	(void)state;
	/* no answer: every default */
	inst_fb_unattend_conf(&c, NULL, "win11-passthrough");
	assert_string_equal(c.u.edition, "Windows 11 Pro");
	assert_string_equal(c.u.product_key, "W269N-WFGWX-YVC9B-4J6C9-T83GX");
	assert_string_equal(c.u.language, "en-US");
	assert_string_equal(c.u.input_locale, "en-US");
	assert_string_equal(c.u.user_locale, "en-US");
	assert_string_equal(c.u.timezone_win, "UTC");
	assert_string_equal(c.u.computer_name, "win11-passthrou");
	assert_string_equal(c.u.admin_user, "admin");
	assert_null(c.u.admin_password);
	assert_false(c.tz_unknown || c.no_product_key);
	/* [global] and [vm-template] */
	answer_defaults(&a);
	a.global.keyboard = (char *)"de";
	a.global.country = (char *)"at";
	a.global.timezone = (char *)"Europe/Vienna";
	a.vm.name = (char *)"gaming.lab";
	a.vm.windows_edition = (char *)"Windows 11 Home";
	a.vm.windows_language = (char *)"de-DE";
	a.vm.admin_user = (char *)"ops";
	a.vm.admin_password = (char *)PW;
	inst_fb_unattend_conf(&c, &a, NULL);
	assert_string_equal(c.u.edition, "Windows 11 Home");
	assert_null(c.u.product_key);
	assert_true(c.no_product_key);
	assert_string_equal(c.u.language, "de-DE");
	assert_string_equal(c.u.input_locale, "0407:00000407");
	assert_string_equal(c.u.user_locale, "de-AT");
	assert_string_equal(c.u.timezone_win, "W. Europe Standard Time");
	assert_false(c.tz_unknown);
	assert_string_equal(c.u.computer_name, "gaming");
	assert_string_equal(c.u.admin_user, "ops");
	assert_string_equal(c.u.admin_password, PW);
	/* the VM's name from the plan wins over the answer's; computer-name over both */
	inst_fb_unattend_conf(&c, &a, "win-plan");
	assert_string_equal(c.u.computer_name, "win-plan");
	a.vm.computer_name = (char *)"GAMING-PC";
	inst_fb_unattend_conf(&c, &a, "win-plan");
	assert_string_equal(c.u.computer_name, "GAMING-PC");
	/* a zone without a Windows name here: UTC, and the caller warns */
	a.global.timezone = (char *)"Antarctica/Troll";
	inst_fb_unattend_conf(&c, &a, NULL);
	assert_string_equal(c.u.timezone_win, "UTC");
	assert_true(c.tz_unknown);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wellformed_and_components),
		cmocka_unit_test(test_windows_pe),
		cmocka_unit_test(test_specialize_and_oobe),
		cmocka_unit_test(test_password_encoding),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_no_password),
		cmocka_unit_test(test_product_keys),
		cmocka_unit_test(test_computer_name),
		cmocka_unit_test(test_conf_from_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
