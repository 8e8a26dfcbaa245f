// SPDX-License-Identifier: GPL-2.0-or-later
/* The report that `validate` and `validate-answer` print: text or JSON (json-c). */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "answer.h"
#include "util.h"

static char *report_text(const char *file, const struct answer_diags *d)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; i < d->len; i++) {
		char *line = answer_diag_str(&d->items[i]);

		if (!line) {
			sb_release(&sb);
			return NULL;
		}
		sb_printf(&sb, "%s\n", line);
		free(line);
	}
	if (d->n_errors == 0)
		sb_printf(&sb, "%s: ok\n", file);
	return sb_detach(&sb);
}

static char *report_json(const char *file, const struct answer_diags *d)
{
	struct json_object *root = json_object_new_object();
	struct json_object *problems = json_object_new_array();
	char *out = NULL;

	if (!root || !problems)
		goto out_put;
	json_object_object_add(root, "file", json_object_new_string(file));
	json_object_object_add(root, "ok", json_object_new_boolean(d->n_errors == 0));
	for (size_t i = 0; i < d->len; i++) {
		const struct answer_diag *g = &d->items[i];
		struct json_object *p = json_object_new_object();

		if (!p)
			goto out_put;
		json_object_object_add(p, "line", json_object_new_int64(g->line));
		json_object_object_add(p, "col", json_object_new_int64(g->col));
		json_object_object_add(p, "severity",
				       json_object_new_string(g->warning ? "warning" : "error"));
		json_object_object_add(p, "message", json_object_new_string(g->msg));
		json_object_array_add(problems, p);
	}
	json_object_object_add(root, "problems", problems);
	problems = NULL;
	{
		const char *s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
								 JSON_C_TO_STRING_NOSLASHESCAPE);
		size_t len = s ? strlen(s) : 0;

		out = s ? malloc(len + 2) : NULL;
		if (out) {
			memcpy(out, s, len);
			out[len] = '\n';
			out[len + 1] = '\0';
		}
	}
out_put:
	json_object_put(problems);
	json_object_put(root);
	return out;
}

char *answer_report(const char *file, const struct answer_diags *d, bool json)
{
	return json ? report_json(file, d) : report_text(file, d);
}
