// SPDX-License-Identifier: GPL-2.0-or-later
/* Keyboard codes → XKB, /etc/default/keyboard text, time zone file and link. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hw-tree.h"
#include "path.h"
#include "target/inst-cfg.h"

static void test_xkb(void **state)
{
	static const char *const map[][3] = {
		{ "en-us", "us", "" }, { "de", "de", "" },     { "de-ch", "ch", "" },
		{ "fr", "fr", "" },    { "en-gb", "gb", "" },  { "fr-ch", "ch", "fr" },
		{ "pt-br", "br", "" }, { "fr-be", "be", "" },
	};
	const char *l, *v;

	(void)state;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		assert_int_equal(inst_cfg_xkb(map[i][0], &l, &v), 0);
		assert_string_equal(l, map[i][1]);
		assert_string_equal(v, map[i][2]);
	}
	assert_int_equal(inst_cfg_xkb("klingon", &l, &v), -ENOENT);
}

static void test_keyboard_text(void **state)
{
	struct ip_err err = { 0 };
	char *t;

	(void)state;
	t = inst_cfg_keyboard_text("de-ch", &err);
	assert_string_equal(t, "# KEYBOARD CONFIGURATION FILE (written by ironpass)\n\n"
			       "XKBMODEL=\"pc105\"\nXKBLAYOUT=\"ch\"\nXKBVARIANT=\"\"\n"
			       "XKBOPTIONS=\"\"\n\nBACKSPACE=\"guess\"\n");
	free(t);
	assert_null(inst_cfg_keyboard_text("xx", &err));
	assert_string_equal(err.msg, "unknown keyboard layout 'xx'");
}

static void test_tz_names(void **state)
{
	(void)state;
	assert_true(inst_cfg_tz_ok("Europe/Berlin"));
	assert_true(inst_cfg_tz_ok("America/Argentina/Buenos_Aires"));
	assert_true(inst_cfg_tz_ok("Etc/GMT+5"));
	assert_false(inst_cfg_tz_ok("../../etc/shadow"));
	assert_false(inst_cfg_tz_ok("/etc/passwd"));
	assert_false(inst_cfg_tz_ok("Europe/Berlin\n"));
	assert_false(inst_cfg_tz_ok(""));
}

static void test_written(void **state)
{
	struct answer a = { 0 };
	struct inst_ctx ctx = { 0 };
	char *root = hwt_new(), *t = NULL, link[PATH_MAX], to[PATH_MAX];
	ssize_t n;
	size_t len;

	(void)state;
	hwt_file(root, "/usr/share/zoneinfo/Europe/Zurich", "TZif");
	a.global.timezone = (char *)"Europe/Zurich";
	a.global.keyboard = (char *)"de-ch";
	ctx.answer = &a;
	ctx.target = root;
	assert_int_equal(inst_cfg_locale(&ctx), 0);
	assert_int_equal(path_read_all(root, "/etc/timezone", 4096, &t, &len), 0);
	assert_string_equal(t, "Europe/Zurich\n");
	free(t);
	snprintf(link, sizeof(link), "%s/etc/localtime", root);
	n = readlink(link, to, sizeof(to) - 1);
	assert_true(n > 0);
	to[n] = '\0';
	assert_string_equal(to, "/usr/share/zoneinfo/Europe/Zurich");
	assert_int_equal(path_read_all(root, "/etc/default/keyboard", 4096, &t, &len), 0);
	assert_non_null(strstr(t, "XKBLAYOUT=\"ch\"\n"));
	free(t);
	/* a zone the target does not have */
	a.global.timezone = (char *)"Mars/Olympus";
	assert_int_equal(inst_cfg_locale(&ctx), -ENOENT);
	assert_string_equal(ctx.err.msg, "unknown time zone 'Mars/Olympus'");
	hwt_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xkb),
		cmocka_unit_test(test_keyboard_text),
		cmocka_unit_test(test_tz_names),
		cmocka_unit_test(test_written),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
