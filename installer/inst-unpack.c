// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unpack base.tar.zst into the target with libarchive, streaming: the
 * compressed bytes are hashed (SHA-256) as libarchive pulls them, and the
 * digest and size are compared with the manifest at the end. Entries keep
 * permissions, owners (as root), times, xattrs, ACLs, file flags, hard and
 * symbolic links and device nodes; '..' components, absolute names and
 * writes through symlinks are refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "hash.h"
#include "inst-disk.h"
#include "inst-steps.h"
#include "log.h"
#include "path.h"

#define READ_BUF (1024 * 1024)

struct src {
	int fd;
	char *buf;
	struct sha256_ctx *sha;
	unsigned long long done, total;
	int err;
	int last_pct;
	struct inst_ctx *ctx;
};

static void src_progress(struct src *s)
{
	int pct = s->total ? (int)(s->done * 100 / s->total) : 0;

	if (pct > 100)
		pct = 100;
	if (pct != s->last_pct) {
		s->last_pct = pct;
		inst_progress(s->ctx, "unpack", pct, "extracting the base system");
	}
}

static ssize_t src_read(struct archive *a, void *data, const void **out)
{
	struct src *s = data;
	ssize_t n;

	(void)a;
	do
		n = read(s->fd, s->buf, READ_BUF);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		s->err = -errno;
		if (a)
			archive_set_error(a, errno, "read error");
		return -1;
	}
	sha256_update(s->sha, s->buf, n);
	s->done += n;
	src_progress(s);
	*out = s->buf;
	return n;
}

/* Hash what libarchive did not read (padding after the end of the tar). */
static int src_drain(struct src *s)
{
	const void *p;

	for (;;) {
		ssize_t n = src_read(NULL, s, &p);

		if (n <= 0)
			return n < 0 ? s->err : 0;
	}
}

static bool has_dotdot(const char *p)
{
	for (const char *c = p; (c = strstr(c, "..")); c += 2)
		if ((c == p || c[-1] == '/') && (c[2] == '\0' || c[2] == '/'))
			return true;
	return false;
}

/* Names libarchive would refuse anyway; checked first for a clearer message. */
static int entry_check(struct archive_entry *e, struct ip_err *err)
{
	const char *name = archive_entry_pathname(e);
	const char *link = archive_entry_hardlink(e);

	if (!name || !*name)
		return ip_err_set(err, -EBADMSG, "archive entry without a name");
	if (name[0] == '/' || has_dotdot(name))
		return ip_err_set(err, -EBADMSG, "refusing archive entry '%s': %s", name,
				  name[0] == '/' ? "absolute path" : "'..' in path");
	if (link && (link[0] == '/' || has_dotdot(link)))
		return ip_err_set(err, -EBADMSG, "refusing hard link '%s' to '%s'", name, link);
	return 0;
}

static int copy_data(struct archive *in, struct archive *out, struct ip_err *err)
{
	for (;;) {
		const void *buf;
		size_t size;
		la_int64_t off;
		int r = archive_read_data_block(in, &buf, &size, &off);

		if (r == ARCHIVE_EOF)
			return 0;
		if (r < ARCHIVE_WARN)
			return ip_err_set(err, -EBADMSG, "%s", archive_error_string(in));
		if (archive_write_data_block(out, buf, size, off) < ARCHIVE_WARN)
			return ip_err_set(err, -EIO, "%s", archive_error_string(out));
	}
}

static int extract_all(struct archive *in, struct archive *out, struct inst_unpack_stats *st,
		       struct ip_err *err)
{
	struct archive_entry *e;
	int r, ret;

	while ((r = archive_read_next_header(in, &e)) != ARCHIVE_EOF) {
		if (r < ARCHIVE_WARN)
			return ip_err_set(err, -EBADMSG, "%s", archive_error_string(in));
		ret = entry_check(e, err);
		if (ret < 0)
			return ret;
		r = archive_write_header(out, e);
		if (r < ARCHIVE_WARN)
			return ip_err_set(err, -EIO, "'%s': %s", archive_entry_pathname(e),
					  archive_error_string(out));
		if (r == ARCHIVE_WARN && st->warnings++ < 5)
			ip_warn("unpack: '%s': %s", archive_entry_pathname(e),
				archive_error_string(out));
		if (archive_entry_size(e) > 0) {
			ret = copy_data(in, out, err);
			if (ret < 0)
				return ret;
		}
		r = archive_write_finish_entry(out);
		if (r < ARCHIVE_WARN)
			return ip_err_set(err, -EIO, "'%s': %s", archive_entry_pathname(e),
					  archive_error_string(out));
		if (r == ARCHIVE_WARN && st->warnings++ < 5)
			ip_warn("unpack: '%s': %s", archive_entry_pathname(e),
				archive_error_string(out));
		st->entries++;
	}
	return 0;
}

int inst_unpack_file(struct inst_ctx *ctx, const char *archive_path, const char *sha256,
		     unsigned long long size, struct inst_unpack_stats *st)
{
	int flags = ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_XATTR |
		    ARCHIVE_EXTRACT_ACL | ARCHIVE_EXTRACT_FFLAGS |
		    ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
		    ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS;
	struct inst_unpack_stats dummy = { 0 };
	struct src s = { .fd = -1, .ctx = ctx, .last_pct = -1 };
	struct archive *in = NULL, *out = NULL;
	char hex[SHA256_HEX_LEN + 1];
	struct stat sb;
	int cwd = -1, ret = 0;

	st = st ? st : &dummy;
	memset(st, 0, sizeof(*st));
	if (!sha256 || strlen(sha256) != SHA256_HEX_LEN)
		return ip_err_set(&ctx->err, -EINVAL, "no SHA-256 for '%s' in the manifest",
				  archive_path);
	if (geteuid() == 0)
		flags |= ARCHIVE_EXTRACT_OWNER;
	s.fd = open(archive_path, O_RDONLY | O_CLOEXEC);
	if (s.fd < 0)
		return ip_err_errno(&ctx->err, -errno, "cannot open '%s'", archive_path);
	posix_fadvise(s.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	s.total = size;
	if (!s.total && fstat(s.fd, &sb) == 0)
		s.total = sb.st_size;
	s.buf = malloc(READ_BUF);
	s.sha = sha256_new();
	in = archive_read_new();
	out = archive_write_disk_new();
	if (!s.buf || !s.sha || !in || !out) {
		ret = ip_err_set(&ctx->err, -ENOMEM, "out of memory");
		goto out_free;
	}
	archive_read_support_filter_zstd(in);
	archive_read_support_format_tar(in);
	archive_write_disk_set_options(out, flags);
	archive_write_disk_set_standard_lookup(out);

	/* libarchive's secure-extract checks work on relative names: extract from the target */
	cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0 || chdir(ctx->target) < 0) {
		ret = ip_err_errno(&ctx->err, -errno, "cannot enter '%s'", ctx->target);
		goto out_free;
	}
	if (archive_read_open(in, &s, NULL, src_read, NULL) != ARCHIVE_OK)
		ret = ip_err_set(&ctx->err, -EBADMSG, "%s", archive_error_string(in));
	else
		ret = extract_all(in, out, st, &ctx->err);
	if (ret == 0 && archive_write_close(out) != ARCHIVE_OK)
		ret = ip_err_set(&ctx->err, -EIO, "%s", archive_error_string(out));
	if (fchdir(cwd) < 0 && ret == 0)
		ret = ip_err_errno(&ctx->err, -errno, "cannot return to the working directory");
	if (ret < 0) {
		char msg[IP_ERR_MSG_MAX];

		snprintf(msg, sizeof(msg), "%s", ctx->err.msg);
		ip_err_set(&ctx->err, ret, "cannot unpack '%s': %s", archive_path, msg);
		goto out_free;
	}
	ret = src_drain(&s);
	if (ret < 0) {
		ip_err_errno(&ctx->err, ret, "cannot read '%s'", archive_path);
		goto out_free;
	}
	st->bytes = s.done;
	sha256_finish(s.sha, hex);
	s.sha = NULL;
	if ((size && s.done != size) || strcmp(hex, sha256) != 0) {
		ret = ip_err_set(&ctx->err, -EBADMSG,
				 "checksum mismatch for '%s': expected %s (%llu bytes), got %s "
				 "(%llu bytes)", archive_path, sha256, size, hex, s.done);
		goto out_free;
	}
out_free:
	if (cwd >= 0)
		close(cwd);
	if (in)
		archive_read_free(in);
	if (out)
		archive_write_free(out);
	sha256_free(s.sha);
	free(s.buf);
	close(s.fd);
	return ret;
}

int inst_unpack(struct inst_ctx *ctx)
{
	char path[4096];
	int ret;

	if (!ctx->payload_dir ||
	    path_join(path, sizeof(path), ctx->payload_dir, "base.tar.zst") < 0)
		return ip_err_set(&ctx->err, -EINVAL, "no payload directory");
	if (!ctx->target || !*ctx->target || !strcmp(ctx->target, "/"))
		return ip_err_set(&ctx->err, -EINVAL, "invalid target directory '%s'",
				  ctx->target ? ctx->target : "");
	inst_progress(ctx, "unpack", 0, "extracting the base system");
	ret = inst_unpack_file(ctx, path, ctx->base_sha256, ctx->base_size, NULL);
	if (ret == 0)
		inst_progress(ctx, "unpack", 100, "base system extracted");
	return ret;
}
