// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dialog(1) front end. dialog draws on the terminal (stdin/stdout stay the
 * tty: RUN_TTY) and writes the chosen tag or typed text to stderr, which
 * the runner captures. Exit status 0 = OK, 1 = Cancel/No, 255 = Esc; the
 * output buffer is written on OK only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ui/ui-dialog.h"
#include "util.h"

#define DIALOG_MAX_ARGS 160

static int dialog_run(struct ui *ui, const char **argv, char *out, size_t outsz)
{
	struct ui_dialog *d = ui->data;
	struct run_opts o = { .flags = RUN_TTY };
	struct run_result res = { 0 };
	int ret;

	ret = runner_run(d->runner, argv, &o, &res);
	if (ret < 0)
		goto out;
	switch (res.status) {
	case 0:
		ret = UI_OK;
		break;
	case 1:
		ret = UI_CANCEL;
		break;
	case 255:
		ret = UI_BACK;
		break;
	default:
		ret = -EIO;
	}
	/* only OK writes: on Esc or Cancel @out (often the screen's state) keeps its value */
	if (ret == UI_OK && out && outsz) {
		snprintf(out, outsz, "%s", res.err ? res.err : "");
		out[strcspn(out, "\n")] = '\0';
	}
out:
	run_result_release(&res);
	return ret;
}

/* Common head: dialog --backtitle B --title T [extra...] */
static size_t dialog_head(struct ui *ui, const char **argv, const char *title)
{
	struct ui_dialog *d = ui->data;
	size_t n = 0;

	argv[n++] = "dialog";
	argv[n++] = "--backtitle";
	argv[n++] = d->backtitle;
	argv[n++] = "--title";
	argv[n++] = title;
	return n;
}

static int dialog_msg(struct ui *ui, const char *title, const char *text)
{
	const char *argv[16];
	size_t n = dialog_head(ui, argv, title);

	argv[n++] = "--msgbox";
	argv[n++] = text;
	argv[n++] = "20";
	argv[n++] = "76";
	argv[n] = NULL;
	return dialog_run(ui, argv, NULL, 0);
}

static int dialog_menu(struct ui *ui, const char *title, const char *text,
		       const struct ui_item *items, size_t n_items, const char *default_tag,
		       char *out, size_t outsz)
{
	const char *argv[DIALOG_MAX_ARGS];
	size_t n = dialog_head(ui, argv, title);

	if (n_items > (DIALOG_MAX_ARGS - 20) / 2)
		return -E2BIG;
	if (default_tag) {
		argv[n++] = "--default-item";
		argv[n++] = default_tag;
	}
	argv[n++] = "--menu";
	argv[n++] = text;
	argv[n++] = "20";
	argv[n++] = "76";
	argv[n++] = "10";
	for (size_t i = 0; i < n_items; i++) {
		argv[n++] = items[i].tag;
		argv[n++] = items[i].text;
	}
	argv[n] = NULL;
	return dialog_run(ui, argv, out, outsz);
}

static int dialog_input(struct ui *ui, const char *title, const char *text, const char *init,
			char *out, size_t outsz)
{
	const char *argv[16];
	size_t n = dialog_head(ui, argv, title);

	argv[n++] = "--inputbox";
	argv[n++] = text;
	argv[n++] = "10";
	argv[n++] = "76";
	argv[n++] = init ? init : "";
	argv[n] = NULL;
	return dialog_run(ui, argv, out, outsz);
}

static int dialog_password(struct ui *ui, const char *title, const char *text, char *out,
			   size_t outsz)
{
	const char *argv[16];
	size_t n = dialog_head(ui, argv, title);

	argv[n++] = "--insecure";
	argv[n++] = "--passwordbox";
	argv[n++] = text;
	argv[n++] = "10";
	argv[n++] = "76";
	argv[n] = NULL;
	return dialog_run(ui, argv, out, outsz);
}

static int dialog_yesno(struct ui *ui, const char *title, const char *text, bool default_no)
{
	const char *argv[16];
	size_t n = dialog_head(ui, argv, title);

	if (default_no)
		argv[n++] = "--defaultno";
	argv[n++] = "--yesno";
	argv[n++] = text;
	argv[n++] = "20";
	argv[n++] = "76";
	argv[n] = NULL;
	return dialog_run(ui, argv, NULL, 0);
}

static int dialog_gauge(struct ui *ui, const char *title, const char *text, int percent)
{
	const char *argv[16];
	char pct[16];
	size_t n = dialog_head(ui, argv, title);

	snprintf(pct, sizeof(pct), "%d", percent < 0 ? 0 : percent > 100 ? 100 : percent);
	/* --mixedgauge draws once and returns: no stdin stream to keep open */
	argv[n++] = "--mixedgauge";
	argv[n++] = text;
	argv[n++] = "12";
	argv[n++] = "76";
	argv[n++] = pct;
	argv[n] = NULL;
	return dialog_run(ui, argv, NULL, 0);
}

void ui_dialog_init(struct ui *ui, struct ui_dialog *d, struct runner *runner,
		    const char *backtitle)
{
	d->runner = runner;
	d->backtitle = backtitle;
	*ui = (struct ui){
		.msg = dialog_msg,
		.menu = dialog_menu,
		.input = dialog_input,
		.password = dialog_password,
		.yesno = dialog_yesno,
		.gauge = dialog_gauge,
		.data = d,
	};
}
