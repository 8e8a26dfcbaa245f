// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

#define ERR_KEEP (64 * 1024)

struct outbuf {
	char *buf;
	size_t len, cap;
	size_t line_start;	/* for on_line */
	size_t keep;		/* 0: unbounded; else keep only the last @keep bytes */
};

static int outbuf_add(struct outbuf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *nb;

		while (cap < b->len + n + 1)
			cap *= 2;
		nb = realloc(b->buf, cap);
		if (!nb)
			return -ENOMEM;
		b->buf = nb;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
	b->buf[b->len] = '\0';
	return 0;
}

static void outbuf_lines(struct outbuf *b, int fd, const struct run_opts *o, bool flush)
{
	while (o && o->on_line && b->line_start < b->len) {
		char *nl = memchr(b->buf + b->line_start, '\n', b->len - b->line_start);

		if (!nl) {
			if (!flush)
				break;
			o->on_line(o->on_line_data, fd, b->buf + b->line_start);
			b->line_start = b->len;
			break;
		}
		*nl = '\0';
		o->on_line(o->on_line_data, fd, b->buf + b->line_start);
		*nl = '\n';
		b->line_start = nl - b->buf + 1;
	}
	if (b->keep && b->len > 2 * b->keep && b->line_start == b->len) {
		size_t drop = b->len - b->keep;

		memmove(b->buf, b->buf + drop, b->keep + 1);
		b->len -= drop;
		b->line_start -= drop;
	}
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void child_exec(const char *const *argv, const struct run_opts *o, int in_fd, int out_fd,
		       int err_fd)
{
	unsigned flags = o ? o->flags : 0;
	int devnull;

	if (!(flags & RUN_TTY) || in_fd >= 0) {
		if (in_fd < 0) {
			devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
			if (devnull >= 0)
				in_fd = devnull;
		}
		if (in_fd >= 0 && dup2(in_fd, 0) < 0)
			_exit(127);
	}
	if (out_fd >= 0 && dup2(out_fd, 1) < 0)
		_exit(127);
	if (err_fd >= 0 && dup2(err_fd, 2) < 0)
		_exit(127);
	if (o && o->cwd && chdir(o->cwd) < 0)
		_exit(127);
	for (const char *const *e = o ? o->env : NULL; e && *e; e++)
		putenv((char *)*e);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], (char *const *)argv);
	_exit(127);
}

static int spawn_run(struct runner *r, const char *const *argv, const struct run_opts *o,
		     struct run_result *res)
{
	unsigned flags = o ? o->flags : 0;
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, errp[2] = { -1, -1 };
	struct outbuf ob = { 0 }, eb = { .keep = ERR_KEEP };
	size_t written = 0;
	long long deadline = o && o->timeout_ms ? now_ms() + o->timeout_ms : 0;
	int status = 0, ret = 0;
	pid_t pid;

	if ((o && o->input && pipe2(in, O_CLOEXEC) < 0) ||
	    (!(flags & RUN_TTY) && pipe2(out, O_CLOEXEC) < 0) || pipe2(errp, O_CLOEXEC) < 0) {
		ret = ip_err_errno(&r->err, -errno, "cannot create pipe for '%s'", argv[0]);
		goto out_close;
	}
	pid = fork();
	if (pid < 0) {
		ret = ip_err_errno(&r->err, -errno, "cannot fork for '%s'", argv[0]);
		goto out_close;
	}
	if (pid == 0)
		child_exec(argv, o, in[0], out[1], errp[1]);

	close(in[0]);
	in[0] = -1;
	close(out[1]);
	out[1] = -1;
	close(errp[1]);
	errp[1] = -1;
	if (in[1] >= 0)
		fcntl(in[1], F_SETFL, O_NONBLOCK);
	if (o && o->input && o->input_len == 0) {
		close(in[1]);
		in[1] = -1;
	}

	while (in[1] >= 0 || out[0] >= 0 || errp[0] >= 0) {
		struct pollfd pfd[3];
		int n = 0, timeout = -1;
		char buf[8192];

		if (in[1] >= 0)
			pfd[n++] = (struct pollfd){ .fd = in[1], .events = POLLOUT };
		if (out[0] >= 0)
			pfd[n++] = (struct pollfd){ .fd = out[0], .events = POLLIN };
		if (errp[0] >= 0)
			pfd[n++] = (struct pollfd){ .fd = errp[0], .events = POLLIN };
		if (deadline) {
			long long left = deadline - now_ms();

			if (left <= 0) {
				kill(pid, SIGKILL);
				if (res)
					res->timed_out = true;
				break;
			}
			timeout = (int)(left > 1000 ? 1000 : left);
		}
		if (poll(pfd, n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < n; i++) {
			ssize_t k;

			if (!pfd[i].revents)
				continue;
			if (pfd[i].fd == in[1]) {
				k = write(in[1], o->input + written, o->input_len - written);
				if (k > 0)
					written += k;
				if ((k < 0 && errno != EAGAIN) || written == o->input_len) {
					close(in[1]);
					in[1] = -1;
				}
				continue;
			}
			k = read(pfd[i].fd, buf, sizeof(buf));
			if (k <= 0) {
				if (k < 0 && errno == EINTR)
					continue;
				if (pfd[i].fd == out[0]) {
					close(out[0]);
					out[0] = -1;
				} else {
					close(errp[0]);
					errp[0] = -1;
				}
				continue;
			}
			if (pfd[i].fd == out[0]) {
				if ((flags & RUN_CAPTURE) || (o && o->on_line)) {
					if (outbuf_add(&ob, buf, k) < 0)
						ret = -ENOMEM;
					if (!(flags & RUN_CAPTURE))
						ob.keep = ERR_KEEP;
					outbuf_lines(&ob, 1, o, false);
				}
			} else if (!(flags & RUN_NO_STDERR) || (o && o->on_line)) {
				if (outbuf_add(&eb, buf, k) < 0)
					ret = -ENOMEM;
				outbuf_lines(&eb, 2, o, false);
			}
		}
	}
	outbuf_lines(&ob, 1, o, true);
	outbuf_lines(&eb, 2, o, true);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (res) {
		res->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		if (flags & RUN_CAPTURE) {
			res->out = ob.buf ? ob.buf : strdup("");
			res->out_len = ob.len;
			ob.buf = NULL;
		}
		res->err = eb.buf ? eb.buf : strdup("");
		res->err_len = eb.len;
		eb.buf = NULL;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && res->err_len == 0)
			ret = ip_err_set(&r->err, -ENOENT, "cannot run '%s': %s", argv[0],
					 strerror(ENOENT));
	}
out_close:
	free(ob.buf);
	free(eb.buf);
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	return ret;
}

static int dry_run(struct runner *r, const char *const *argv, const struct run_opts *o,
		   struct run_result *res)
{
	if (r->on_argv)
		r->on_argv(r->on_argv_data, argv, o);
	if (res) {
		res->status = 0;
		res->out = strdup("");
		res->err = strdup("");
	}
	return 0;
}

void runner_spawn_init(struct runner *r)
{
	*r = (struct runner){ .run = spawn_run };
}

void runner_dry_init(struct runner *r,
		     void (*on_argv)(void *data, const char *const *argv, const struct run_opts *o),
		     void *data)
{
	*r = (struct runner){ .run = dry_run, .on_argv = on_argv, .on_argv_data = data };
}

int runner_run(struct runner *r, const char *const *argv, const struct run_opts *o,
	       struct run_result *res)
{
	struct run_result tmp = { 0 };
	int ret;

	if (!argv || !argv[0])
		return ip_err_set(&r->err, -EINVAL, "empty command");
	ret = r->run(r, argv, o, res ? res : &tmp);
	run_result_release(&tmp);
	return ret;
}

static const char *last_line(const char *s, char *buf, size_t n)
{
	size_t len = s ? strlen(s) : 0;
	const char *start;

	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	start = s + len;
	while (start > s && start[-1] != '\n')
		start--;
	snprintf(buf, n, "%.*s", (int)(s + len - start), start);
	return buf;
}

int runner_check(struct runner *r, const char *const *argv, const struct run_opts *o,
		 struct run_result *res)
{
	struct run_result tmp = { 0 }, *rr = res ? res : &tmp;
	char line[512];
	int ret;

	ret = runner_run(r, argv, o, rr);
	if (ret < 0)
		goto out;
	if (rr->timed_out)
		ret = ip_err_set(&r->err, -ETIMEDOUT, "'%s' timed out", argv[0]);
	else if (rr->status != 0)
		ret = ip_err_set(&r->err, -EIO, "'%s' failed with exit status %d%s%s", argv[0],
				 rr->status, rr->err && rr->err[0] ? ": " : "",
				 last_line(rr->err, line, sizeof(line)));
out:
	run_result_release(&tmp);
	return ret;
}

void run_result_release(struct run_result *res)
{
	if (!res)
		return;
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
	res->out_len = res->err_len = 0;
}

static bool needs_quote(const char *w)
{
	if (!*w)
		return true;
	for (; *w; w++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/:@+=,-%",
			    *w))
			return true;
	return false;
}

char *runner_argv_str(const char *const *argv)
{
	size_t cap = 1;
	char *s, *p;

	for (const char *const *a = argv; *a; a++)
		cap += 4 * strlen(*a) + 3;
	s = p = malloc(cap);
	if (!s)
		return NULL;
	for (const char *const *a = argv; *a; a++) {
		if (a != argv)
			*p++ = ' ';
		if (!needs_quote(*a)) {
			p = stpcpy(p, *a);
			continue;
		}
		*p++ = '\'';
		for (const char *c = *a; *c; c++) {
			if (*c == '\'') {
				p = stpcpy(p, "'\\''");
				continue;
			}
			*p++ = *c;
		}
		*p++ = '\'';
	}
	*p = '\0';
	return s;
}

bool runner_word_ok(const char *w)
{
	if (!w || !*w || *w == '-')
		return false;
	for (; *w; w++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/:@+=,-", *w))
			return false;
	return true;
}
