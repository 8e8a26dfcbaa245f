// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fake-runner.h"
#include "util.h"

static int fake_run(struct runner *r, const char *const *argv, const struct run_opts *o,
		    struct run_result *res)
{
	struct fake_runner *f = r->data;
	struct fake_result fr = { 0, "", "" };
	char *cmd = runner_argv_str(argv);
	bool ruled = false;

	for (size_t i = 0; cmd && i < f->n_rules; i++)
		if (!strncmp(cmd, f->rules[i].prefix, strlen(f->rules[i].prefix))) {
			fr = (struct fake_result){ f->rules[i].status, f->rules[i].out, "" };
			ruled = true;
			break;
		}
	if (f->n_calls < FAKE_MAX_CALLS) {
		struct fake_call *c = &f->calls[f->n_calls++];

		c->cmd = cmd;
		c->input = o && o->input ? strndup(o->input, o->input_len) : NULL;
	} else {
		free(cmd);
	}
	if (!ruled && f->next < f->n_script)
		fr = f->script[f->next++];
	res->status = fr.status;
	res->out = strdup(fr.out ? fr.out : "");
	res->out_len = strlen(res->out);
	res->err = strdup(fr.err ? fr.err : "");
	res->err_len = strlen(res->err);
	if (o && o->on_line && fr.out && *fr.out)
		o->on_line(o->on_line_data, 1, fr.out);
	return 0;
}

void fake_runner_init(struct fake_runner *f)
{
	memset(f, 0, sizeof(*f));
	f->r.run = fake_run;
	f->r.data = f;
}

void fake_runner_push(struct fake_runner *f, int status, const char *out, const char *err)
{
	if (f->n_script < FAKE_MAX_CALLS)
		f->script[f->n_script++] = (struct fake_result){ status, out, err };
}

void fake_runner_release(struct fake_runner *f)
{
	for (size_t i = 0; i < f->n_calls; i++) {
		free(f->calls[i].cmd);
		free(f->calls[i].input);
	}
	f->n_calls = 0;
}

void fake_runner_rule(struct fake_runner *f, const char *prefix, int status, const char *out)
{
	if (f->n_rules < sizeof(f->rules) / sizeof(f->rules[0]))
		f->rules[f->n_rules++] = (struct fake_rule){ prefix, status, out };
}

int fake_runner_find(const struct fake_runner *f, const char *prefix)
{
	for (size_t i = 0; i < f->n_calls; i++)
		if (strncmp(f->calls[i].cmd, prefix, strlen(prefix)) == 0)
			return (int)i;
	return -1;
}

void fake_runner_record_argv(void *data, const char *const *argv, const struct run_opts *o)
{
	struct strbuf *sb = data;
	char *cmd = runner_argv_str(argv);

	(void)o;
	sb_printf(sb, "%s\n", cmd);
	free(cmd);
}
