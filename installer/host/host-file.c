// SPDX-License-Identifier: GPL-2.0-or-later
/* One host file under a prefix: read it with its mode, write it, remove it, show a change. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/host.h"
#include "log.h"
#include "path.h"
#include "util.h"

#define HOST_FILE_MAX (1u << 20)

static const char *pfx(const char *prefix)
{
	return prefix && strcmp(prefix, "/") ? prefix : "";
}

int host_file_read(struct host_ctx *ctx, const char *prefix, const char *path, char **text,
		   size_t *len, mode_t *mode)
{
	char full[PATH_MAX];
	struct stat st;
	int ret;

	*text = NULL;
	*len = 0;
	*mode = 0;
	ret = path_join(full, sizeof(full), prefix, path);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s%s'", pfx(prefix), path);
	if (lstat(full, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return ip_err_errno(&ctx->err, -errno, "cannot read '%s'", full);
	}
	/* a link or a directory is not ours to replace */
	if (!S_ISREG(st.st_mode))
		return ip_err_set(&ctx->err, -EINVAL, "'%s' is not a regular file", full);
	ret = path_read_all(prefix, path, HOST_FILE_MAX, text, len);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s'", full);
	*mode = st.st_mode & 07777;
	return 0;
}

int host_file_write(struct host_ctx *ctx, const char *prefix, const char *path,
		    const char *text, size_t len, mode_t mode)
{
	int ret = path_write_file(prefix, path, text, len, mode);

	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot write '%s%s'", pfx(prefix), path);
	return 0;
}

int host_file_remove(struct host_ctx *ctx, const char *path)
{
	char full[PATH_MAX];
	int ret = path_join(full, sizeof(full), ctx->root, path);

	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot remove '%s%s'", pfx(ctx->root), path);
	if (unlink(full) < 0 && errno != ENOENT)
		return ip_err_errno(&ctx->err, -errno, "cannot remove '%s'", full);
	return 0;
}

int host_dir_remove(struct host_ctx *ctx, const char *path)
{
	char full[PATH_MAX];
	int ret = path_join(full, sizeof(full), ctx->root, path);

	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot remove '%s%s'", pfx(ctx->root), path);
	if (rmdir(full) < 0 && errno != ENOENT) {
		/* something else was put there since: it stays */
		if (errno == ENOTEMPTY || errno == EEXIST) {
			ip_warn("'%s' is not empty, ignoring", full);
			return 0;
		}
		return ip_err_errno(&ctx->err, -errno, "cannot remove '%s'", full);
	}
	return 0;
}

const char *host_action_name(enum host_action a)
{
	switch (a) {
	case HOST_KEEP: return "keep";
	case HOST_CREATE: return "create";
	case HOST_CHANGE: return "change";
	case HOST_RESTORE: return "restore";
	case HOST_REMOVE: return "remove";
	}
	return "?";
}

void host_file_sides(const struct host_result *r, const struct host_file *f,
		     const char **before, size_t *blen, const char **after, size_t *alen)
{
	bool undo = r->mode == HOST_UNDO;

	*before = undo ? f->text : f->old;
	*blen = undo ? f->len : f->old_len;
	*after = undo ? (f->action == HOST_REMOVE ? NULL : f->old) : f->text;
	*alen = *after ? (undo ? f->old_len : f->len) : 0;
	if (f->action == HOST_KEEP) {
		*after = *before;
		*alen = *blen;
	}
}

/* the lines of @s: pointers into s, each line without its newline */
struct lines {
	const char **l;
	size_t *len;
	size_t n;
};

static int split(const char *s, struct lines *ls)
{
	size_t cap = 1;

	for (const char *p = s; p && *p; p++)
		cap += *p == '\n';
	ls->l = calloc(cap, sizeof(*ls->l));
	ls->len = calloc(cap, sizeof(*ls->len));
	ls->n = 0;
	if (!ls->l || !ls->len)
		return -ENOMEM;
	for (const char *p = s; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		ls->l[ls->n] = p;
		ls->len[ls->n++] = n;
		p = e ? e + 1 : p + n;
	}
	return 0;
}

static bool same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && !memcmp(a->l[i], b->l[j], a->len[i]);
}

static void put(struct strbuf *sb, char mark, const struct lines *ls, size_t i)
{
	sb_printf(sb, "%c%.*s\n", mark, (int)ls->len[i], ls->l[i]);
}

static size_t min3(size_t n)
{
	return n < 3 ? n : 3;
}

/* "l,s" of a unified diff hunk: a range of @count lines from line @first (0-based) */
static void range(struct strbuf *sb, size_t first, size_t count)
{
	sb_printf(sb, "%zu,%zu", count ? first + 1 : first, count);
}

/*
 * One hunk: the lines both texts start and end with are common, the ones
 * between are removed and added, with up to 3 common lines around them. Exact
 * for the changes made here (a new file, a text appended, words added to the
 * one line of /etc/kernel/cmdline, a file put back).
 */
char *host_diff_text(const char *old, const char *text)
{
	struct lines a = { 0 }, b = { 0 };
	struct strbuf sb = { 0 };
	size_t head = 0, tail = 0, before, after;
	char *out = NULL;

	if (split(old, &a) < 0 || split(text, &b) < 0)
		goto out_free;
	while (head < a.n && head < b.n && same(&a, head, &b, head))
		head++;
	while (tail < a.n - head && tail < b.n - head &&
	       same(&a, a.n - 1 - tail, &b, b.n - 1 - tail))
		tail++;
	if (head == a.n && head == b.n) {
		out = strdup("");
		goto out_free;
	}
	before = min3(head);
	after = min3(tail);
	sb_puts(&sb, "@@ -");
	range(&sb, head - before, a.n - head - tail + before + after);
	sb_puts(&sb, " +");
	range(&sb, head - before, b.n - head - tail + before + after);
	sb_puts(&sb, " @@\n");
	for (size_t i = head - before; i < head; i++)
		put(&sb, ' ', &a, i);
	for (size_t i = head; i < a.n - tail; i++)
		put(&sb, '-', &a, i);
	for (size_t i = head; i < b.n - tail; i++)
		put(&sb, '+', &b, i);
	for (size_t i = a.n - tail; i < a.n - tail + after; i++)
		put(&sb, ' ', &a, i);
	out = sb_detach(&sb);
out_free:
	free(a.l);
	free(a.len);
	free(b.l);
	free(b.len);
	return out;
}
