// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ui-script.h"

static int step(struct ui *ui, enum ui_kind kind, const char *title, const char *text,
		char *out, size_t outsz)
{
	struct ui_script *s = ui->data;
	const struct ui_step *st;
	size_t i = s->next;

	if (kind == UK_GAUGE) {
		s->n_gauge++;
		return UI_OK;
	}
	if (i >= s->n_steps) {
		if (!s->mismatch)
			s->mismatch = 1;
		return -EPIPE;
	}
	st = &s->steps[i];
	s->next++;
	if (i < UI_SCRIPT_MAX) {
		snprintf(s->texts[i], sizeof(s->texts[i]), "%s", text ? text : "");
		snprintf(s->titles[i], sizeof(s->titles[i]), "%s", title ? title : "");
	}
	if (st->kind != kind || (st->title && strcmp(st->title, title))) {
		if (!s->mismatch)
			s->mismatch = 1;
		return -EPIPE;
	}
	if (out && outsz && st->ret == UI_OK && st->out)
		snprintf(out, outsz, "%s", st->out);
	return st->ret;
}

static int s_msg(struct ui *ui, const char *title, const char *text)
{
	return step(ui, UK_MSG, title, text, NULL, 0);
}

static int s_menu(struct ui *ui, const char *title, const char *text,
		  const struct ui_item *items, size_t n, const char *def, char *out, size_t outsz)
{
	struct ui_script *s = ui->data;
	int ret;

	size_t at = s->next;

	(void)def;
	ret = step(ui, UK_MENU, title, text, out, outsz);
	/* the items go into the recorded text too, one "tag  text" line each */
	for (size_t i = 0; at < UI_SCRIPT_MAX && at < s->next && i < n; i++) {
		size_t len = strlen(s->texts[at]);

		snprintf(s->texts[at] + len, sizeof(s->texts[at]) - len, "\n%s  %s", items[i].tag,
			 items[i].text);
	}
	/* a scripted tag must be one the menu offered */
	if (ret == UI_OK && out) {
		size_t i;

		for (i = 0; i < n; i++)
			if (!strcmp(items[i].tag, out))
				break;
		if (i == n && !s->mismatch)
			s->mismatch = 2;
	}
	return ret;
}

static int s_input(struct ui *ui, const char *title, const char *text, const char *init,
		   char *out, size_t outsz)
{
	(void)init;
	return step(ui, UK_INPUT, title, text, out, outsz);
}

static int s_password(struct ui *ui, const char *title, const char *text, char *out,
		      size_t outsz)
{
	return step(ui, UK_PASSWORD, title, text, out, outsz);
}

static int s_yesno(struct ui *ui, const char *title, const char *text, bool default_no)
{
	(void)default_no;
	return step(ui, UK_YESNO, title, text, NULL, 0);
}

static int s_gauge(struct ui *ui, const char *title, const char *text, int percent)
{
	(void)percent;
	return step(ui, UK_GAUGE, title, text, NULL, 0);
}

void ui_script_init(struct ui_script *s, const struct ui_step *steps, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->steps = steps;
	s->n_steps = n;
	s->ui = (struct ui){
		.msg = s_msg,
		.menu = s_menu,
		.input = s_input,
		.password = s_password,
		.yesno = s_yesno,
		.gauge = s_gauge,
		.data = s,
	};
}
