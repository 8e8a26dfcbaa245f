// SPDX-License-Identifier: GPL-2.0-or-later
/* Small helpers the builder stages share: clock, paths, running tools, files. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bld.h"
#include "util.h"

double bld_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int bld_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

struct line_fwd {
	struct bld_ctx *ctx;
	const char *stage;
	double t0;
};

static void fwd_line(void *data, int fd, const char *line)
{
	struct line_fwd *f = data;

	(void)fd;
	if (f->ctx->verbose)
		bld_report(f->ctx, f->stage, BLD_EV_PROGRESS, bld_now() - f->t0, "%s", line);
}

int bld_run_argv(struct bld_ctx *ctx, const char *stage, const char *const *argv,
		 const char *cwd)
{
	return bld_run_argv_env(ctx, stage, argv, cwd, NULL);
}

int bld_run_argv_env(struct bld_ctx *ctx, const char *stage, const char *const *argv,
		     const char *cwd, const char *extra_env)
{
	char sde[64];
	const char *env[] = { sde, "LC_ALL=C.UTF-8", extra_env, NULL };
	struct line_fwd fwd = { ctx, stage, bld_now() };
	struct run_opts o = {
		.env = env, .cwd = cwd, .on_line = fwd_line, .on_line_data = &fwd,
	};
	struct run_result res = { 0 };
	int ret;

	snprintf(sde, sizeof(sde), "SOURCE_DATE_EPOCH=%lld", (long long)ctx->source_date_epoch);
	ret = runner_check(ctx->run, argv, &o, &res);
	if (ret < 0)
		ip_err_set(&ctx->err, ret, "%s", ip_err_msg(&ctx->run->err));
	run_result_release(&res);
	return ret;
}

int bld_rm_rf(struct bld_ctx *ctx, const char *path)
{
	const char *argv[] = { "rm", "-rf", "--one-file-system", "--", path, NULL };

	if (!path || !path[0] || !strcmp(path, "/"))
		return ip_err_set(&ctx->err, -EINVAL, "refusing to remove '%s'", path ? path : "");
	return bld_run_argv(ctx, "clean", argv, NULL);
}

int bld_copy_file(struct bld_ctx *ctx, const char *src, const char *dst, unsigned mode)
{
	char buf[65536];
	int in, out, ret = 0;
	ssize_t n;

	if (ctx->dry_run)
		return 0;
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return ip_err_errno(&ctx->err, -errno, "cannot open '%s'", src);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		ret = ip_err_errno(&ctx->err, -errno, "cannot create '%s'", dst);
		goto out_close_in;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = ip_err_errno(&ctx->err, -errno, "cannot read '%s'", src);
			goto out_close_out;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				ret = ip_err_errno(&ctx->err, -errno, "cannot write '%s'", dst);
				goto out_close_out;
			}
			off += w;
		}
	}
	if (fchmod(out, mode) < 0)
		ret = ip_err_errno(&ctx->err, -errno, "cannot chmod '%s'", dst);
out_close_out:
	if (close(out) < 0 && !ret)
		ret = ip_err_errno(&ctx->err, -errno, "cannot write '%s'", dst);
out_close_in:
	close(in);
	return ret;
}

int bld_write_text(struct bld_ctx *ctx, const char *path, const char *text, unsigned mode)
{
	FILE *f;

	if (ctx->dry_run)
		return 0;
	f = fopen(path, "we");
	if (!f)
		return ip_err_errno(&ctx->err, -errno, "cannot create '%s'", path);
	fputs(text, f);
	if (fchmod(fileno(f), mode) < 0 || ferror(f)) {
		fclose(f);
		return ip_err_errno(&ctx->err, -EIO, "cannot write '%s'", path);
	}
	if (fclose(f) != 0)
		return ip_err_errno(&ctx->err, -errno, "cannot write '%s'", path);
	/* generated files carry SOURCE_DATE_EPOCH (mcopy -m keeps it in the ESP) */
	{
		struct timespec ts[2] = { { .tv_sec = (time_t)ctx->source_date_epoch },
					  { .tv_sec = (time_t)ctx->source_date_epoch } };

		if (utimensat(AT_FDCWD, path, ts, 0) < 0)
			return ip_err_errno(&ctx->err, -errno, "cannot set the time of '%s'", path);
	}
	return 0;
}

int bld_mkdirs(struct bld_ctx *ctx, const char *path)
{
	char buf[BLD_PATH_MAX];
	size_t n = strlen(path);

	if (ctx->dry_run)
		return 0;
	if (n >= sizeof(buf))
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "path too long '%s'", path);
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return ip_err_errno(&ctx->err, -errno, "cannot create directory '%s'", buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return ip_err_errno(&ctx->err, -errno, "cannot create directory '%s'", buf);
	return 0;
}
