// SPDX-License-Identifier: GPL-2.0-or-later
/* The ironpass.* words of the kernel command line (design §4). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-answer-src.h"
#include "log.h"
#include "path.h"
#include "util.h"

static int cmdline_bool(const char *v, bool *out)
{
	if (!v || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static int cmdline_set(char **slot, const char *key, const char *v, struct ip_err *err)
{
	if (!v || !*v)
		return ip_err_set(err, -EINVAL, "kernel command line word '%s' needs a value", key);
	free(*slot);
	*slot = strdup(v);
	return *slot ? 0 : ip_err_set(err, -ENOMEM, "out of memory");
}

static int cmdline_word(struct inst_cmdline *c, const char *w, struct ip_err *err)
{
	_cleanup_free_ char *key = NULL;
	const char *eq = strchr(w, '='), *v = eq ? eq + 1 : NULL;

	if (!str_startswith(w, "ironpass."))
		return 0;
	key = strndup(w, eq ? (size_t)(eq - w) : strlen(w));
	if (!key)
		return ip_err_set(err, -ENOMEM, "out of memory");
	if (!strcmp(key, "ironpass.auto") || !strcmp(key, "ironpass.debug")) {
		bool *b = key[9] == 'a' ? &c->automatic : &c->debug;

		if (cmdline_bool(v, b) < 0)
			return ip_err_set(err, -EINVAL,
					  "invalid value '%s' for '%s' on the kernel "
					  "command line", v, key);
		return 0;
	}
	if (!strcmp(key, "ironpass.answer"))
		return cmdline_set(&c->answer, key, v, err);
	if (!strcmp(key, "ironpass.answer-default"))
		return cmdline_set(&c->answer_default, key, v, err);
	if (!strcmp(key, "ironpass.answer-fingerprint"))
		return cmdline_set(&c->answer_fp, key, v, err);
	/* a warning when it is used (inst-answer-src.c): the seed's file is the place */
	if (!strcmp(key, "ironpass.answer-token"))
		return cmdline_set(&c->answer_token, key, v, err);
	if (!strcmp(key, "ironpass.answer-deadline")) {
		/* a typo must not stop `start`: the default deadline then */
		if (!v || ip_strtouint(v, 10, &c->answer_deadline_s) < 0 ||
		    c->answer_deadline_s == 0 || c->answer_deadline_s > 86400) {
			ip_warn("invalid value '%s' for '%s' on the kernel command line (seconds "
				"from 1 to 86400), using %u s", v ? v : "", key,
				INST_ANSWER_DEADLINE_S);
			c->answer_deadline_s = 0;
		}
		return 0;
	}
	if (!strcmp(key, "ironpass.payload"))
		return cmdline_set(&c->payload, key, v, err);
	/* checked where it is used (the fetch step), not to fail `start` or a report */
	if (!strcmp(key, "ironpass.payload-sha256"))
		return cmdline_set(&c->payload_sha256, key, v, err);
	if (!strcmp(key, "ironpass.webhook"))
		return cmdline_set(&c->webhook, key, v, err);
	/* the boot menu's choice, read by `start` */
	if (!strcmp(key, "ironpass.mode"))
		return 0;
	ip_warn("unknown kernel command line word '%s', ignoring", key);
	return 0;
}

int inst_cmdline_parse(const char *text, struct inst_cmdline *c, struct ip_err *err)
{
	struct strbuf w = { 0 };
	const char *p = text ? text : "";
	int ret = 0;

	memset(c, 0, sizeof(*c));
	while (*p) {
		bool quoted = false;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		w.len = 0;
		sb_add(&w, "", 0);
		while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n'))) {
			if (*p == '"')
				quoted = !quoted;
			else
				sb_add(&w, p, 1);
			p++;
		}
		if (w.err) {
			ret = ip_err_set(err, -ENOMEM, "out of memory");
			break;
		}
		if (!strcmp(w.buf, "--"))
			break;
		ret = cmdline_word(c, w.buf, err);
		if (ret < 0)
			break;
	}
	sb_release(&w);
	if (ret < 0)
		inst_cmdline_release(c);
	return ret;
}

int inst_cmdline_read(const char *sysroot, struct inst_cmdline *c, struct ip_err *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int ret;

	ret = path_read_all(sysroot, "/proc/cmdline", 64 * 1024, &text, &len);
	if (ret < 0) {
		memset(c, 0, sizeof(*c));
		return ip_err_errno(err, ret, "cannot read '%s/proc/cmdline'",
				    sysroot ? sysroot : "");
	}
	return inst_cmdline_parse(text, c, err);
}

void inst_cmdline_release(struct inst_cmdline *c)
{
	free(c->answer);
	free(c->answer_default);
	free(c->answer_fp);
	if (c->answer_token)
		explicit_bzero(c->answer_token, strlen(c->answer_token));
	free(c->answer_token);
	free(c->payload);
	free(c->payload_sha256);
	free(c->webhook);
	memset(c, 0, sizeof(*c));
}
