/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_UI_H
#define IRONPASS_UI_H

/*
 * Folder installer/ui/: the screens. The install flow asks through the struct
 * ui callbacks and the screens in inst-ask.c; ui-dialog.c implements the
 * callbacks with dialog(1), and only the front end includes ui-dialog.h.
 * Includes only lib/, detect/ and ui/.
 */

/*
 * The installer asks its questions through this callback table, never
 * through a terminal library directly (conventions §7): ui-dialog.c
 * implements it with dialog(1) through the runner; the tests implement it
 * with scripted answers.
 *
 * Every call returns UI_OK, UI_CANCEL ("No"/"Cancel" button), UI_BACK
 * (Esc: go back one screen) or a negative errno. An output buffer (@out) is
 * written only on UI_OK: the screens pass their state field as @out, and Esc
 * or Cancel must leave its value as it was.
 */

#include <stdbool.h>
#include <stddef.h>

enum { UI_OK = 0, UI_CANCEL = 1, UI_BACK = 2 };

struct ui_item {
	const char *tag;
	const char *text;
};

struct ui {
	int (*msg)(struct ui *ui, const char *title, const char *text);
	int (*menu)(struct ui *ui, const char *title, const char *text,
		    const struct ui_item *items, size_t n, const char *default_tag,
		    char *out, size_t outsz);
	int (*input)(struct ui *ui, const char *title, const char *text, const char *init,
		     char *out, size_t outsz);
	int (*password)(struct ui *ui, const char *title, const char *text, char *out,
			size_t outsz);
	/* default_no: the No button is preselected (destructive questions) */
	int (*yesno)(struct ui *ui, const char *title, const char *text, bool default_no);
	/* non-blocking progress display: percent 0..100 */
	int (*gauge)(struct ui *ui, const char *title, const char *text, int percent);
	void *data;
};

#endif
