// SPDX-License-Identifier: GPL-2.0-or-later
/* Time zone (/etc/timezone, /etc/localtime) and keyboard (/etc/default/keyboard). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "answer.h"
#include "log.h"
#include "path.h"
#include "target/inst-cfg.h"
#include "util.h"

/* The layouts and their console keymaps are the answer schema's (answer_keyboards) */
int inst_cfg_kvm_keymap(const char *code, const char **kvm)
{
	const struct answer_keyboard *kb = answer_keyboard_find(code);

	if (!kb)
		return -ENOENT;
	*kvm = kb->kvm;
	return 0;
}

int inst_cfg_xkb(const char *code, const char **layout, const char **variant)
{
	const struct answer_keyboard *kb = answer_keyboard_find(code);

	if (!kb)
		return -ENOENT;
	*layout = kb->xkb_layout;
	*variant = kb->xkb_variant;
	return 0;
}

char *inst_cfg_keyboard_text(const char *code, struct ip_err *err)
{
	const char *layout, *variant;
	struct strbuf sb = { 0 };

	if (inst_cfg_xkb(code, &layout, &variant) < 0) {
		ip_err_set(err, -EINVAL, "unknown keyboard layout '%s'", code ? code : "");
		return NULL;
	}
	sb_puts(&sb, "# KEYBOARD CONFIGURATION FILE (written by ironpass)\n\n");
	sb_printf(&sb, "XKBMODEL=\"pc105\"\nXKBLAYOUT=\"%s\"\nXKBVARIANT=\"%s\"\n", layout,
		  variant);
	sb_puts(&sb, "XKBOPTIONS=\"\"\n\nBACKSPACE=\"guess\"\n");
	if (sb.err) {
		sb_release(&sb);
		ip_err_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	return sb_detach(&sb);
}

/* "Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires"; no "..", no leading '/' */
bool inst_cfg_tz_ok(const char *tz)
{
	if (!tz || !*tz || *tz == '/' || strlen(tz) > 64 || strstr(tz, ".."))
		return false;
	for (const char *p = tz; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' || *p == '-' ||
		      *p == '+'))
			return false;
	return true;
}

static int cfg_timezone(struct inst_ctx *ctx, const char *tz)
{
	char zone[128], line[80];
	int ret;

	if (!inst_cfg_tz_ok(tz))
		return ip_err_set(&ctx->err, -EINVAL, "invalid time zone '%s'", tz);
	snprintf(zone, sizeof(zone), "/usr/share/zoneinfo/%s", tz);
	if (!path_exists(ctx->target, zone)) {
		if (path_exists(ctx->target, "/usr/share/zoneinfo"))
			return ip_err_set(&ctx->err, -ENOENT, "unknown time zone '%s'", tz);
		ip_warn("no time zone data on the target, linking '%s' anyway", zone);
	}
	snprintf(line, sizeof(line), "%s\n", tz);
	ret = inst_cfg_write(ctx, "/etc/timezone", line, 0644);
	if (ret < 0)
		return ret;
	return inst_cfg_symlink(ctx, "/etc/localtime", zone);
}

int inst_cfg_locale(struct inst_ctx *ctx)
{
	const struct answer_global *g = ctx->answer ? &ctx->answer->global : NULL;
	_cleanup_free_ char *kbd = NULL;
	int ret;

	ret = cfg_timezone(ctx, g && g->timezone ? g->timezone : "UTC");
	if (ret < 0)
		return ret;
	kbd = inst_cfg_keyboard_text(g && g->keyboard ? g->keyboard : "en-us", &ctx->err);
	if (!kbd)
		return ctx->err.code;
	return inst_cfg_write(ctx, "/etc/default/keyboard", kbd, 0644);
}
