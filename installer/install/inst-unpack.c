// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unpack base.tar.zst into the target with libarchive, streaming: the
 * compressed bytes are hashed (SHA-256) as libarchive pulls them, and the
 * digest and size are compared with the manifest at the end. Entries keep
 * permissions, owners (as root), times, xattrs, ACLs, file flags, hard and
 * symbolic links and device nodes; '..' components, absolute names and
 * writes through symlinks out of the target are refused. Owners are taken
 * by number (like tar --numeric-owner): names would be looked up in the
 * live system's user database, not the target's.
 *
 * As root, extraction runs chroot'ed into the target, so no symlink in the
 * archive can lead a write outside it (and absolute symlinks resolve the
 * way they will on the installed system); libarchive's per-component
 * symlink check (ARCHIVE_EXTRACT_SECURE_SYMLINKS), which doubles the time
 * of a root filesystem unpack, is then not needed. Without root (tests) it
 * is used instead.
 *
 * Like `zstd -dc | tar -x`, decompression and extraction run in parallel:
 * a pump thread reads the file (hashing it) and decompresses it with
 * libarchive's "raw" format into a socket; the calling thread extracts the
 * tar stream from the other end. Only the calling thread reports progress.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "hash.h"
#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "log.h"
#include "path.h"

#define READ_BUF (1024 * 1024)

struct src {
	int fd;
	char *buf;
	struct sha256_ctx *sha;
	unsigned long long done;	/* written by the pump, read by the extractor */
	int err;
};

static ssize_t src_read(struct archive *a, void *data, const void **out)
{
	struct src *s = data;
	ssize_t n;

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
	__atomic_store_n(&s->done, s->done + n, __ATOMIC_RELAXED);
	*out = s->buf;
	return n;
}

/* Hash what the decompressor did not read (anything after the last frame). */
static int src_drain(struct src *s)
{
	const void *p;

	for (;;) {
		ssize_t n = src_read(NULL, s, &p);

		if (n <= 0)
			return n < 0 ? s->err : 0;
	}
}

struct pump {
	struct src *src;
	int fd;				/* write end of the socket */
	int err;			/* 0 or negative errno */
	char msg[256];
};

static int pump_send(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		p += k;
		n -= k;
	}
	return 0;
}

static void *pump_main(void *arg)
{
	struct pump *p = arg;
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int r;

	if (!a) {
		p->err = -ENOMEM;
		goto out;
	}
	archive_read_support_filter_zstd(a);
	archive_read_support_format_raw(a);
	if (archive_read_open(a, p->src, NULL, src_read, NULL) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK) {
		p->err = p->src->err ? p->src->err : -EBADMSG;
		snprintf(p->msg, sizeof(p->msg), "%s", archive_error_string(a));
		goto out;
	}
	for (;;) {
		const void *buf;
		size_t size;
		la_int64_t off;

		r = archive_read_data_block(a, &buf, &size, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			p->err = p->src->err ? p->src->err : -EBADMSG;
			snprintf(p->msg, sizeof(p->msg), "%s", archive_error_string(a));
			goto out;
		}
		p->err = pump_send(p->fd, buf, size);
		if (p->err < 0) {	/* the extractor gave up: its error is the one to report */
			snprintf(p->msg, sizeof(p->msg), "%s", strerror(-p->err));
			goto out;
		}
	}
	p->err = src_drain(p->src);
	if (p->err < 0)
		snprintf(p->msg, sizeof(p->msg), "%s", strerror(-p->err));
out:
	if (a)
		archive_read_free(a);
	close(p->fd);
	return NULL;
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

struct extract {
	struct inst_ctx *ctx;
	struct src *src;
	unsigned long long total;
	int last_pct;
	struct inst_unpack_stats *st;
};

static void extract_progress(struct extract *x)
{
	unsigned long long done = __atomic_load_n(&x->src->done, __ATOMIC_RELAXED);
	int pct = x->total ? (int)(done * 100 / x->total) : 0;

	if (pct > 100)
		pct = 100;
	if (pct != x->last_pct) {
		x->last_pct = pct;
		inst_progress(x->ctx, "unpack", pct, "extracting the base system");
	}
}

static int warned(struct extract *x, struct archive *out, struct archive_entry *e, int r)
{
	if (r == ARCHIVE_WARN && x->st->warnings++ < 5)
		ip_warn("unpack: '%s': %s", archive_entry_pathname(e), archive_error_string(out));
	if (r < ARCHIVE_WARN)
		return ip_err_set(&x->ctx->err, -EIO, "'%s': %s", archive_entry_pathname(e),
				  archive_error_string(out));
	return 0;
}

static int extract_all(struct extract *x, struct archive *in, struct archive *out)
{
	struct ip_err *err = &x->ctx->err;
	struct archive_entry *e;
	int r, ret;

	while ((r = archive_read_next_header(in, &e)) != ARCHIVE_EOF) {
		/* no command runs here for a signal to stop: look for it */
		if (runner_interrupted())
			return ip_err_set(err, -EINTR, "interrupted by %s",
					  runner_signal_name(runner_interrupted()));
		if (r < ARCHIVE_WARN)
			return ip_err_set(err, -EBADMSG, "%s", archive_error_string(in));
		ret = entry_check(e, err);
		if (ret < 0)
			return ret;
		ret = warned(x, out, e, archive_write_header(out, e));
		if (ret == 0 && archive_entry_size(e) > 0)
			ret = copy_data(in, out, err);
		if (ret == 0)
			ret = warned(x, out, e, archive_write_finish_entry(out));
		if (ret < 0)
			return ret;
		x->st->entries++;
		extract_progress(x);
	}
	return 0;
}

/* Extract the tar stream on @fd into the current directory. */
static int extract_fd(struct extract *x, int fd, int flags)
{
	struct archive *in = archive_read_new(), *out = archive_write_disk_new();
	int ret;

	if (!in || !out) {
		ret = ip_err_set(&x->ctx->err, -ENOMEM, "out of memory");
		goto out_free;
	}
	archive_read_support_format_tar(in);
	archive_write_disk_set_options(out, flags);
	if (archive_read_open_fd(in, fd, READ_BUF) != ARCHIVE_OK)
		ret = ip_err_set(&x->ctx->err, -EBADMSG, "%s", archive_error_string(in));
	else
		ret = extract_all(x, in, out);
	if (ret == 0 && archive_write_close(out) != ARCHIVE_OK)
		ret = ip_err_set(&x->ctx->err, -EIO, "%s", archive_error_string(out));
out_free:
	if (in)
		archive_read_free(in);
	if (out)
		archive_write_free(out);
	return ret;
}

/* Read what is left of the stream (tar padding), so that the pump ends cleanly. */
static void drain_fd(int fd)
{
	char buf[65536];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/* Back to the original root (when @root >= 0) and working directory. Idempotent. */
static int leave_jail(int root, int cwd)
{
	if (root >= 0 && (fchdir(root) < 0 || chroot(".") < 0))
		return -1;
	return fchdir(cwd);
}

int inst_unpack_file(struct inst_ctx *ctx, const char *archive_path, const char *sha256,
		     unsigned long long size, struct inst_unpack_stats *st)
{
	int flags = ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_XATTR |
		    ARCHIVE_EXTRACT_ACL | ARCHIVE_EXTRACT_FFLAGS |
		    ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS;
	struct inst_unpack_stats dummy = { 0 };
	struct src s = { .fd = -1 };
	struct pump p = { .src = &s, .fd = -1 };
	struct extract x = { .ctx = ctx, .src = &s, .last_pct = -1 };
	char hex[SHA256_HEX_LEN + 1];
	int sv[2] = { -1, -1 }, cwd = -1, root = -1, ret = 0, sndbuf = 4 << 20;
	bool jail = geteuid() == 0;
	bool started = false;
	pthread_t tid;
	struct stat sb;

	x.st = st = st ? st : &dummy;
	memset(st, 0, sizeof(*st));
	if (!sha256 || strlen(sha256) != SHA256_HEX_LEN)
		return ip_err_set(&ctx->err, -EINVAL, "no SHA-256 for '%s' in the manifest",
				  archive_path);
	flags |= jail ? ARCHIVE_EXTRACT_OWNER : ARCHIVE_EXTRACT_SECURE_SYMLINKS;
	s.fd = open(archive_path, O_RDONLY | O_CLOEXEC);
	if (s.fd < 0)
		return ip_err_errno(&ctx->err, -errno, "cannot open '%s'", archive_path);
	posix_fadvise(s.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	x.total = size;
	if (!x.total && fstat(s.fd, &sb) == 0)
		x.total = sb.st_size;
	s.buf = malloc(READ_BUF);
	s.sha = sha256_new();
	if (!s.buf || !s.sha) {
		ret = ip_err_set(&ctx->err, -ENOMEM, "out of memory");
		goto out_free;
	}
	/* entry names are relative: extract from (as root: chroot'ed into) the target */
	cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0 || chdir(ctx->target) < 0) {
		ret = ip_err_errno(&ctx->err, -errno, "cannot enter '%s'", ctx->target);
		goto out_free;
	}
	if (jail) {
		root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (root < 0 || chroot(".") < 0) {
			ret = ip_err_errno(&ctx->err, -errno, "cannot chroot into '%s'",
					   ctx->target);
			goto out_free;
		}
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		ret = ip_err_errno(&ctx->err, -errno, "cannot create a socket pair");
		goto out_free;
	}
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &sndbuf, sizeof(sndbuf));
	p.fd = sv[1];
	ret = -pthread_create(&tid, NULL, pump_main, &p);
	if (ret < 0) {
		ip_err_errno(&ctx->err, ret, "cannot start the decompressor");
		goto out_free;
	}
	sv[1] = -1;		/* the pump closes it */
	started = true;
	inst_progress(ctx, "unpack", 0, "extracting the base system");
	ret = extract_fd(&x, sv[0], flags);
	if (ret == 0)
		drain_fd(sv[0]);
	close(sv[0]);		/* a pump still sending gets EPIPE and stops */
	sv[0] = -1;
	pthread_join(tid, NULL);
	started = false;
	if (p.err < 0 && p.err != -EPIPE) {	/* the stream's own error explains the rest */
		ret = p.err;
		ip_err_set(&ctx->err, ret, "%s", p.msg);
	}
	if (leave_jail(root, cwd) < 0 && ret == 0)
		ret = ip_err_errno(&ctx->err, -errno, "cannot return to the working directory");
	if (ret < 0) {
		char msg[IP_ERR_MSG_MAX];

		snprintf(msg, sizeof(msg), "%s", ctx->err.msg);
		ip_err_set(&ctx->err, ret, "cannot unpack '%s': %s", archive_path, msg);
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
	inst_progress(ctx, "unpack", 100, "base system extracted");
out_free:
	if (sv[0] >= 0)
		close(sv[0]);
	if (started)
		pthread_join(tid, NULL);
	if (sv[1] >= 0)
		close(sv[1]);
	if (cwd >= 0 && leave_jail(root, cwd) < 0)
		ip_warn("cannot return to the working directory");
	if (root >= 0)
		close(root);
	if (cwd >= 0)
		close(cwd);
	sha256_free(s.sha);
	free(s.buf);
	close(s.fd);
	return ret;
}

int inst_unpack(struct inst_ctx *ctx)
{
	char path[4096];

	if (!ctx->payload_dir ||
	    path_join(path, sizeof(path), ctx->payload_dir, "base.tar.zst") < 0)
		return ip_err_set(&ctx->err, -EINVAL, "no payload directory");
	if (!ctx->target || !*ctx->target || !strcmp(ctx->target, "/"))
		return ip_err_set(&ctx->err, -EINVAL, "invalid target directory '%s'",
				  ctx->target ? ctx->target : "");
	if (ctx->dry_run) {	/* no program runs here: nothing to show */
		inst_progress(ctx, "unpack", 100, path);
		return 0;
	}
	return inst_unpack_file(ctx, path, ctx->base_sha256, ctx->base_size, NULL);
}
