/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_UI_DIALOG_H
#define IRONPASS_UI_DIALOG_H

/*
 * The struct ui callbacks implemented with dialog(1), run through the
 * runner. Only the front end (cli-*.c) includes this header: no install
 * step, target writer or first-boot code knows how questions are shown.
 */

#include "runner.h"
#include "ui/ui.h"

struct ui_dialog {
	struct runner *runner;
	const char *backtitle;
};

/* dialog(1) through @runner; @backtitle on every screen; @d holds the state. */
void ui_dialog_init(struct ui *ui, struct ui_dialog *d, struct runner *runner,
		    const char *backtitle);

#endif
