// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: any text as /proc/cmdline through inst_cmdline_parse.
 * A refusal leaves nothing behind and says why; a parse that succeeds gives
 * non-empty values without double quotes (they only group words), and
 * writing those values back as a command line of quoted words parses to
 * the same result. Never a crash, leak or UB.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-answer-src.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_value(const char *v)
{
	if (v && (!*v || strchr(v, '"')))
		abort();
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static void put_word(struct strbuf *sb, const char *key, const char *v)
{
	if (v)
		sb_printf(sb, " ironpass.%s=\"%s\"", key, v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inst_cmdline c, again;
	struct ip_err err = { 0 };
	struct strbuf sb = { 0 };
	char *text = malloc(size + 1);
	int ret;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ret = inst_cmdline_parse(text, &c, &err);
	free(text);
	if (ret < 0) {
		if (err.code != ret || !err.msg[0] || c.answer || c.answer_default || c.answer_fp || c.payload ||
		    c.payload_sha256 || c.webhook || c.automatic || c.debug)
			abort();
		return 0;
	}
	if (ret != 0)
		abort();
	check_value(c.answer);
	check_value(c.answer_default);
	check_value(c.answer_fp);
	check_value(c.payload);
	check_value(c.payload_sha256);
	check_value(c.webhook);

	/* the same settings, written as a command line, read back the same */
	sb_printf(&sb, "BOOT_IMAGE=/live/vmlinuz ironpass.auto=%d ironpass.debug=%s",
		  c.automatic, c.debug ? "yes" : "off");
	put_word(&sb, "answer", c.answer);
	put_word(&sb, "answer-default", c.answer_default);
	put_word(&sb, "answer-fingerprint", c.answer_fp);
	put_word(&sb, "payload", c.payload);
	put_word(&sb, "payload-sha256", c.payload_sha256);
	put_word(&sb, "webhook", c.webhook);
	sb_puts(&sb, " quiet -- ironpass.answer=ignored");
	if (sb.err)
		abort();
	memset(&err, 0, sizeof(err));
	if (inst_cmdline_parse(sb.buf, &again, &err) != 0)
		abort();
	if (again.automatic != c.automatic || again.debug != c.debug ||
	    !same_str(again.answer, c.answer) || !same_str(again.answer_fp, c.answer_fp) ||
	    !same_str(again.answer_default, c.answer_default) ||
	    !same_str(again.payload, c.payload) ||
	    !same_str(again.payload_sha256, c.payload_sha256) ||
	    !same_str(again.webhook, c.webhook))
		abort();
	sb_release(&sb);
	inst_cmdline_release(&again);
	inst_cmdline_release(&c);
	return 0;
}
