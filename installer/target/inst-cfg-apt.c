// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * apt sources: the Proxmox VE no-subscription repository on, the enterprise
 * repositories off (commented out, the files kept), and the installer's own
 * file: pool source removed from the final system.
 *
 * The repository's URL comes from the answer ([ironpass] pve-repository):
 * ironpass names no package repository host of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "path.h"
#include "runner.h"
#include "target/inst-cfg.h"
#include "url.h"
#include "util.h"

static bool suite_ok(const char *s)
{
	if (!*s || strlen(s) > 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

char *inst_cfg_apt_pve_text(const char *repo, const char *suite, struct ip_err *err)
{
	struct strbuf sb = { 0 };

	if (!repo || !(str_startswith(repo, "http://") || str_startswith(repo, "https://")) ||
	    !runner_word_ok(repo)) {
		char shown[512];

		ip_err_set(err, -EINVAL, "invalid repository URL '%s'",
			   url_redact(repo, shown, sizeof(shown)));
		return NULL;
	}
	if (!suite || !suite_ok(suite)) {
		ip_err_set(err, -EINVAL, "invalid Debian suite '%s'", suite ? suite : "");
		return NULL;
	}
	sb_puts(&sb, "# Proxmox VE no-subscription repository (written by ironpass)\n");
	sb_printf(&sb, "deb %s %s pve-no-subscription\n", repo, suite);
	if (sb.err) {
		sb_release(&sb);
		ip_err_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	return sb_detach(&sb);
}

char *inst_cfg_comment_out(const char *text)
{
	struct strbuf sb = { 0 };
	const char *p = text;

	sb_add(&sb, "", 0);
	while (*p) {
		size_t n = strcspn(p, "\n");
		size_t ws = strspn(p, " \t");

		if (ws < n && p[ws] != '#')
			sb_puts(&sb, "# ");
		sb_add(&sb, p, n);
		p += n;
		if (*p == '\n') {
			sb_add(&sb, "\n", 1);
			p++;
		}
	}
	return sb_detach(&sb);
}

/* VERSION_CODENAME from the target's os-release; "bookworm" when absent */
static void target_suite(struct inst_ctx *ctx, char *buf, size_t size)
{
	_cleanup_free_ char *text = NULL;
	const char *p;
	size_t len;

	snprintf(buf, size, "bookworm");
	if (path_read_all(ctx->target, "/etc/os-release", 64 * 1024, &text, &len) < 0)
		return;
	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (str_startswith(p, "VERSION_CODENAME=")) {
			p += 17;
			snprintf(buf, size, "%.*s", (int)strcspn(p, "\"\n"), p + (*p == '"'));
			if (!buf[0])
				snprintf(buf, size, "bookworm");
			return;
		}
	}
}

static int comment_out_file(struct inst_ctx *ctx, const char *path)
{
	_cleanup_free_ char *text = NULL, *out = NULL;
	size_t len;
	int ret;

	ret = path_read_all(ctx->target, path, 1u << 20, &text, &len);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s%s'", ctx->target, path);
	out = inst_cfg_comment_out(text);
	if (!out)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	return inst_cfg_write(ctx, path, out, 0644);
}

/* Proxmox VE 8 also ships ceph.list pointing at the enterprise Ceph repository */
static int comment_out_enterprise_ceph(struct inst_ctx *ctx)
{
	_cleanup_free_ char *text = NULL;
	size_t len;

	if (path_read_all(ctx->target, INST_APT_CEPH, 1u << 20, &text, &len) < 0 ||
	    !strstr(text, "enterprise"))
		return 0;
	return comment_out_file(ctx, INST_APT_CEPH);
}

int inst_cfg_apt(struct inst_ctx *ctx)
{
	_cleanup_free_ char *text = NULL;
	char suite[40], full[4096];
	int ret;

	const char *repo = ctx->answer ? ctx->answer->ironpass.pve_repository : NULL;

	target_suite(ctx, suite, sizeof(suite));
	if (repo) {
		text = inst_cfg_apt_pve_text(repo, suite, &ctx->err);
		if (!text)
			return ctx->err.code;
		ret = inst_cfg_write(ctx, INST_APT_PVE_LIST, text, 0644);
		if (ret < 0)
			return ret;
	} else {
		ip_warn("no Proxmox VE repository given ([ironpass] pve-repository): "
			"the node gets no no-subscription apt source");
	}
	ret = comment_out_file(ctx, INST_APT_ENTERPRISE);
	if (ret < 0)
		return ret;
	ret = comment_out_enterprise_ceph(ctx);
	if (ret < 0)
		return ret;
	ret = path_join(full, sizeof(full), ctx->target, INST_APT_POOL_LIST);
	if (ret == 0 && unlink(full) < 0 && errno != ENOENT)
		ret = -errno;
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot remove '%s%s'", ctx->target,
				    INST_APT_POOL_LIST);
	return 0;
}
