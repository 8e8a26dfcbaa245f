/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_UI_SCRIPT_H
#define IRONPASS_UI_SCRIPT_H

/*
 * A scripted UI for tests: each call consumes the next step, checks that it
 * is the expected kind of screen (and, when given, that its title matches),
 * records the screen's text, and returns the scripted result/output.
 */

#include <stddef.h>

#include "ui/ui.h"

enum ui_kind { UK_MSG, UK_MENU, UK_INPUT, UK_PASSWORD, UK_YESNO, UK_GAUGE };

struct ui_step {
	enum ui_kind kind;
	const char *title;		/* NULL: any */
	int ret;			/* UI_OK, UI_CANCEL, UI_BACK */
	const char *out;		/* menu tag / typed text */
};

#define UI_SCRIPT_MAX 64

struct ui_script {
	struct ui ui;
	const struct ui_step *steps;
	size_t n_steps, next;
	int mismatch;			/* first mismatch: 1 wrong screen, 2 tag not offered */
	char texts[UI_SCRIPT_MAX][1024];	/* text of each screen shown */
	char titles[UI_SCRIPT_MAX][64];
	size_t n_gauge;
};

void ui_script_init(struct ui_script *s, const struct ui_step *steps, size_t n);

#endif
