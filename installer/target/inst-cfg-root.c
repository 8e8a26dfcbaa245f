// SPDX-License-Identifier: GPL-2.0-or-later
/* The root account: password hash in /etc/shadow, SSH keys in /root/.ssh. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "passwd.h"
#include "path.h"
#include "target/inst-cfg.h"
#include "util.h"

int inst_cfg_hash_password(const char *password, char **hash, struct ip_err *err)
{
	char buf[PASSWD_HASH_MAX];
	int ret;

	*hash = NULL;
	ret = passwd_hash(password, NULL, buf, sizeof(buf), err);
	if (ret < 0)
		return ret;
	*hash = strdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return *hash ? 0 : ip_err_set(err, -ENOMEM, "out of memory");
}

static bool hash_ok(const char *h)
{
	return h && h[0] == '$' && passwd_hash_valid(h) && !strpbrk(h, ": \t\r\n");
}

char *inst_cfg_shadow_text(const char *shadow, const char *hash, struct ip_err *err)
{
	struct strbuf sb = { 0 };
	const char *p = shadow;
	bool found = false;

	if (!hash_ok(hash)) {
		ip_err_set(err, -EINVAL,
			   "invalid root password hash: expected a crypt(3) '$id$…' string");
		return NULL;
	}
	while (*p) {
		size_t n = strcspn(p, "\n");

		if (!found && str_startswith(p, "root:")) {
			const char *rest = memchr(p + 5, ':', n - 5);

			if (!rest) {
				ip_err_set(err, -EINVAL, "malformed root line in '/etc/shadow'");
				sb_release(&sb);
				return NULL;
			}
			sb_printf(&sb, "root:%s", hash);
			sb_add(&sb, rest, (size_t)(p + n - rest));
			found = true;
		} else {
			sb_add(&sb, p, n);
		}
		p += n;
		if (*p == '\n') {
			sb_add(&sb, "\n", 1);
			p++;
		}
	}
	if (!found) {
		ip_err_set(err, -ENOENT, "no root line in '/etc/shadow'");
		sb_release(&sb);
		return NULL;
	}
	if (sb.err) {
		sb_release(&sb);
		ip_err_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	return sb_detach(&sb);
}

char *inst_cfg_authorized_keys_text(const char *const *keys, size_t n, struct ip_err *err)
{
	struct strbuf sb = { 0 };

	sb_add(&sb, "", 0);
	for (size_t i = 0; i < n; i++) {
		if (!keys[i] || !*keys[i] || strpbrk(keys[i], "\r\n")) {
			ip_err_set(err, -EINVAL,
				   "invalid root SSH key %zu: empty or more than one line", i + 1);
			sb_release(&sb);
			return NULL;
		}
		sb_printf(&sb, "%s\n", keys[i]);
	}
	if (sb.err) {
		sb_release(&sb);
		ip_err_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	return sb_detach(&sb);
}

static int cfg_password(struct inst_ctx *ctx, const struct answer_global *g)
{
	_cleanup_free_ char *hash = NULL, *shadow = NULL, *text = NULL;
	size_t len;
	int ret;

	if (g->root_password) {
		ret = inst_cfg_hash_password(g->root_password, &hash, &ctx->err);
		if (ret < 0)
			return ret;
	} else if (g->root_password_hashed) {
		hash = strdup(g->root_password_hashed);
		if (!hash)
			return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	} else {
		return ip_err_set(&ctx->err, -EINVAL, "no root password in the answer");
	}
	ret = path_read_all(ctx->target, "/etc/shadow", 4u << 20, &shadow, &len);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s/etc/shadow'", ctx->target);
	text = inst_cfg_shadow_text(shadow, hash, &ctx->err);
	explicit_bzero(shadow, len);
	if (!text)
		return ctx->err.code;
	ret = inst_cfg_write(ctx, "/etc/shadow", text, 0640);
	explicit_bzero(text, strlen(text));
	if (ret < 0)
		return ret;
	return inst_cfg_chown(ctx, "/etc/shadow", "root", "shadow");
}

int inst_cfg_root(struct inst_ctx *ctx)
{
	const struct answer_global *g;
	_cleanup_free_ char *keys = NULL;
	char full[4096];
	int ret;

	if (!ctx->answer)
		return ip_err_set(&ctx->err, -EINVAL, "no answer for the root account");
	g = &ctx->answer->global;
	ret = cfg_password(ctx, g);
	if (ret < 0 || g->n_root_ssh_keys == 0)
		return ret;
	keys = inst_cfg_authorized_keys_text((const char *const *)g->root_ssh_keys,
					     g->n_root_ssh_keys, &ctx->err);
	if (!keys)
		return ctx->err.code;
	ret = path_mkdirs(ctx->target, "/root/.ssh", 0700);
	if (ret == 0)
		ret = path_join(full, sizeof(full), ctx->target, "/root/.ssh");
	if (ret == 0 && chmod(full, 0700) < 0)
		ret = -errno;
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot create '%s/root/.ssh'", ctx->target);
	return inst_cfg_write(ctx, "/root/.ssh/authorized_keys", keys, 0600);
}
