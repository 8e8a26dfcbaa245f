// SPDX-License-Identifier: GPL-2.0-or-later
/* Small helpers shared by the configuration steps: writes, links, owners, chroot. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "path.h"
#include "target/inst-cfg.h"
#include "util.h"

static const char *tgt(const struct inst_ctx *ctx)
{
	return ctx->target ? ctx->target : "";
}

int inst_cfg_write(struct inst_ctx *ctx, const char *path, const char *text, mode_t mode)
{
	int ret = path_write_file(ctx->target, path, text, strlen(text), mode);

	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot write '%s%s'", tgt(ctx), path);
	ip_dbg("wrote '%s%s' (%zu bytes)", tgt(ctx), path, strlen(text));
	return 0;
}

int inst_cfg_symlink(struct inst_ctx *ctx, const char *path, const char *to)
{
	char full[PATH_MAX];
	int ret;

	ret = path_join(full, sizeof(full), ctx->target, path);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot link '%s%s'", tgt(ctx), path);
	if (unlink(full) < 0 && errno != ENOENT)
		return ip_err_errno(&ctx->err, -errno, "cannot remove '%s'", full);
	if (symlink(to, full) < 0)
		return ip_err_errno(&ctx->err, -errno, "cannot link '%s' to '%s'", full, to);
	return 0;
}

int inst_cfg_lookup_id(const char *text, const char *name, unsigned *id)
{
	size_t nl = strlen(name);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, name, nl) && p[nl] == ':') {
			const char *f = strchr(p + nl + 1, ':');
			char num[16];
			size_t n;

			if (!f)
				return -EINVAL;
			f++;
			n = strcspn(f, ":\n");
			if (n == 0 || n >= sizeof(num))
				return -EINVAL;
			memcpy(num, f, n);
			num[n] = '\0';
			return ip_strtouint(num, 10, id);
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}

static int cfg_id(struct inst_ctx *ctx, const char *file, const char *name, unsigned *id)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int ret;

	ret = path_read_all(ctx->target, file, 4u << 20, &text, &len);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s%s'", tgt(ctx), file);
	ret = inst_cfg_lookup_id(text, name, id);
	if (ret < 0)
		return ip_err_set(&ctx->err, ret, "no '%s' in '%s%s'", name, tgt(ctx), file);
	return 0;
}

int inst_cfg_chown(struct inst_ctx *ctx, const char *path, const char *user, const char *group)
{
	char full[PATH_MAX];
	unsigned uid, gid;
	int ret;

	ret = cfg_id(ctx, "/etc/passwd", user, &uid);
	if (ret < 0)
		return ret;
	ret = cfg_id(ctx, "/etc/group", group, &gid);
	if (ret < 0)
		return ret;
	ret = path_join(full, sizeof(full), ctx->target, path);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot change owner of '%s%s'", tgt(ctx),
				    path);
	if (lchown(full, uid, gid) == 0)
		return 0;
	/* unprivileged test runs cannot give files away: the mode is still right */
	if (errno == EPERM && geteuid() != 0) {
		ip_dbg("cannot change owner of '%s' to %u:%u (not root), ignoring", full, uid, gid);
		return 0;
	}
	return ip_err_errno(&ctx->err, -errno, "cannot change owner of '%s'", full);
}

int inst_cfg_chroot(struct inst_ctx *ctx, const char *const *argv)
{
	const char *full[16];
	size_t n = 0;
	int ret;

	full[n++] = "chroot";
	full[n++] = ctx->target && *ctx->target ? ctx->target : "/";
	while (*argv && n + 1 < ARRAY_SIZE(full))
		full[n++] = *argv++;
	full[n] = NULL;
	ret = runner_check(ctx->runner, full, NULL, NULL);
	if (ret < 0)
		return ip_err_set(&ctx->err, ret, "%s", ip_err_msg(&ctx->runner->err));
	return 0;
}
