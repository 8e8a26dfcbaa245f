// SPDX-License-Identifier: GPL-2.0-or-later
/* Time zone (/etc/timezone, /etc/localtime) and keyboard (/etc/default/keyboard). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "path.h"
#include "target/inst-cfg.h"
#include "util.h"

/*
 * Proxmox VE answer-file keyboard codes, their XKB layout/variant and the
 * keymap name Proxmox VE's datacenter.cfg uses for the VNC console ("kvm":
 * mostly the code itself, but "da", "ja", "sv" and "sl" for dk, jp, se, si)
 */
static const struct {
	const char *code, *layout, *variant, *kvm;
} xkb_map[] = {
	{ "de", "de", "", "de" },	   { "de-ch", "ch", "", "de-ch" },
	{ "dk", "dk", "", "da" },	   { "en-gb", "gb", "", "en-gb" },
	{ "en-us", "us", "", "en-us" },	   { "es", "es", "", "es" },
	{ "fi", "fi", "", "fi" },	   { "fr", "fr", "", "fr" },
	{ "fr-be", "be", "", "fr-be" },	   { "fr-ca", "ca", "", "fr-ca" },
	{ "fr-ch", "ch", "fr", "fr-ch" },  { "hu", "hu", "", "hu" },
	{ "is", "is", "", "is" },	   { "it", "it", "", "it" },
	{ "jp", "jp", "", "ja" },	   { "lt", "lt", "", "lt" },
	{ "mk", "mk", "", "mk" },	   { "nl", "nl", "", "nl" },
	{ "no", "no", "", "no" },	   { "pl", "pl", "", "pl" },
	{ "pt", "pt", "", "pt" },	   { "pt-br", "br", "", "pt-br" },
	{ "se", "se", "", "sv" },	   { "si", "si", "", "sl" },
	{ "tr", "tr", "", "tr" },
};

int inst_cfg_kvm_keymap(const char *code, const char **kvm)
{
	for (size_t i = 0; code && i < ARRAY_SIZE(xkb_map); i++) {
		if (!strcmp(code, xkb_map[i].code)) {
			*kvm = xkb_map[i].kvm;
			return 0;
		}
	}
	return -ENOENT;
}

int inst_cfg_xkb(const char *code, const char **layout, const char **variant)
{
	for (size_t i = 0; code && i < ARRAY_SIZE(xkb_map); i++) {
		if (!strcmp(code, xkb_map[i].code)) {
			*layout = xkb_map[i].layout;
			*variant = xkb_map[i].variant;
			return 0;
		}
	}
	return -ENOENT;
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
