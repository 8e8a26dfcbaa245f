// SPDX-License-Identifier: GPL-2.0-or-later
/* XML checks for the unit tests through xmllint (see xml-check.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runner.h"
#include "util.h"
#include "xml-check.h"

static int xml_run(const char *const *argv, const char *xml, char **out)
{
	struct runner r;
	struct run_opts o = { .input = xml, .input_len = strlen(xml), .flags = RUN_CAPTURE,
			      .timeout_ms = 60000 };
	struct run_result res = { 0 };
	int ret;

	runner_spawn_init(&r);
	ret = runner_run(&r, argv, &o, &res);
	if (ret < 0)
		fail_msg("cannot run xmllint (install libxml2-utils: make deps): %s",
			 ip_err_msg(&r.err));
	ret = res.status;
	if (out && ret == 0) {
		*out = res.out;
		res.out = NULL;
	}
	run_result_release(&res);
	return ret;
}

int xml_check_wellformed(const char *xml)
{
	const char *argv[] = { "xmllint", "--noout", "-", NULL };

	return xml_run(argv, xml, NULL);
}

char *xml_xpath(const char *xml, const char *expr)
{
	const char *argv[] = { "xmllint", "--xpath", expr, "-", NULL };
	char *out = NULL;
	size_t len;

	if (xml_run(argv, xml, &out) != 0 || !out)
		return NULL;
	len = strlen(out);
	if (len && out[len - 1] == '\n')
		out[len - 1] = '\0';
	return out;
}

static void step(struct strbuf *sb, const char *name, size_t len)
{
	const char *pred = memchr(name, '[', len);
	size_t n = pred ? (size_t)(pred - name) : len;

	sb_printf(sb, "/*[local-name()='%.*s']", (int)n, name);
	if (pred)
		sb_add(sb, pred, len - n);
}

const char *xml_unattend_path(int slot, const char *pass, const char *component,
			      const char *rest)
{
	static char bufs[4][2048];
	struct strbuf sb = { 0 };
	const char *p = rest;

	sb_printf(&sb, "/*[local-name()='unattend']/*[local-name()='settings'][@pass='%s']"
		  "/*[local-name()='component'][@name='%s']", pass, component);
	while (p && *p) {
		size_t len = 0;
		int depth = 0;

		/* a step ends at a '/' outside a predicate */
		while (p[len] && (p[len] != '/' || depth)) {
			depth += p[len] == '[' ? 1 : p[len] == ']' ? -1 : 0;
			len++;
		}
		step(&sb, p, len);
		p += len;
		if (*p == '/')
			p++;
	}
	snprintf(bufs[slot & 3], sizeof(bufs[0]), "%s", sb.buf);
	sb_release(&sb);
	return bufs[slot & 3];
}
