// SPDX-License-Identifier: GPL-2.0-or-later
/* The dialog(1) callbacks: the exit status read as OK, Cancel or Esc, and
 * the caller's buffer written only on OK (the screens pass their state
 * field as the output, so Esc must not empty it). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "ui/ui-dialog.h"
#include "util.h"

static const struct ui_item items[] = {
	{ "ext4", "ext4" },
	{ "xfs", "XFS" },
};

struct fixture {
	struct fake_runner f;
	struct ui_dialog d;
	struct ui ui;
};

static void fixture_init(struct fixture *x)
{
	fake_runner_init(&x->f);
	ui_dialog_init(&x->ui, &x->d, &x->f.r, "ironpass");
}

static void test_ok_writes(void **state)
{
	struct fixture x;
	char buf[64] = "pve.example.invalid";

	(void)state;
	fixture_init(&x);
	fake_runner_push(&x.f, 0, "", "pve1.example.com\n");
	assert_int_equal(x.ui.input(&x.ui, "Host name", "FQDN:", buf, buf, sizeof(buf)), UI_OK);
	assert_string_equal(buf, "pve1.example.com");
	assert_true(fake_runner_find(&x.f, "dialog --backtitle ironpass --title 'Host name' "
				     "--inputbox FQDN: 10 76 pve.example.invalid") == 0);
	fake_runner_release(&x.f);
}

/* Esc (255), Cancel (1) and an unknown status leave every kind of output alone */
static void test_esc_cancel_keep(void **state)
{
	static const struct { int status, ret; } cases[] = {
		{ 255, UI_BACK }, { 1, UI_CANCEL }, { 3, -EIO },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fixture x;
		char fqdn[64] = "pve1.example.com", fs[16] = "xfs", pw[32] = "secret99";

		fixture_init(&x);
		/* dialog may write something (or nothing) to stderr before Esc */
		fake_runner_push(&x.f, cases[i].status, "", "half-typed\n");
		fake_runner_push(&x.f, cases[i].status, "", "");
		fake_runner_push(&x.f, cases[i].status, "", "ext4");
		assert_int_equal(x.ui.input(&x.ui, "Host name", "FQDN:", fqdn, fqdn,
					    sizeof(fqdn)), cases[i].ret);
		assert_int_equal(x.ui.password(&x.ui, "Root password", "Password:", pw,
					       sizeof(pw)), cases[i].ret);
		assert_int_equal(x.ui.menu(&x.ui, "Filesystem", "Root filesystem:", items,
					   ARRAY_SIZE(items), fs, fs, sizeof(fs)), cases[i].ret);
		assert_string_equal(fqdn, "pve1.example.com");
		assert_string_equal(pw, "secret99");
		assert_string_equal(fs, "xfs");
		fake_runner_release(&x.f);
	}
}

/* the same through the real runner and a stand-in dialog on PATH that prints, then exits 255 */
static void test_esc_real_runner(void **state)
{
	char dir[] = "/tmp/ironpass-ui-dialog-XXXXXX", prog[128], *path, *old;
	struct runner r;
	struct ui_dialog d;
	struct ui ui;
	char buf[64] = "pve1.example.com";
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(prog, sizeof(prog), "%s/dialog", dir);
	fp = fopen(prog, "w");
	assert_non_null(fp);
	fputs("#!/bin/sh\nprintf 'typed' >&2\nexit $FAKE_DIALOG_STATUS\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(prog, 0755), 0);
	old = getenv("PATH");
	assert_true(asprintf(&path, "%s:%s", dir, old ? old : "/usr/bin:/bin") > 0);
	old = old ? strdup(old) : NULL;
	setenv("PATH", path, 1);

	runner_spawn_init(&r);
	ui_dialog_init(&ui, &d, &r, "ironpass");
	setenv("FAKE_DIALOG_STATUS", "255", 1);
	assert_int_equal(ui.input(&ui, "Host name", "FQDN:", buf, buf, sizeof(buf)), UI_BACK);
	assert_string_equal(buf, "pve1.example.com");
	setenv("FAKE_DIALOG_STATUS", "0", 1);
	assert_int_equal(ui.input(&ui, "Host name", "FQDN:", buf, buf, sizeof(buf)), UI_OK);
	assert_string_equal(buf, "typed");

	if (old)
		setenv("PATH", old, 1);
	unsetenv("FAKE_DIALOG_STATUS");
	free(old);
	free(path);
	unlink(prog);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok_writes),
		cmocka_unit_test(test_esc_cancel_keep),
		cmocka_unit_test(test_esc_real_runner),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
