// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
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

static bool is_secret(const struct run_opts *o, size_t i)
{
	return o && i < 32 && (o->secret_argv & RUN_SECRET_ARG(i));
}

/* @argv's pointers with the secret words replaced (free the array only), or NULL (ENOMEM) */
static const char **argv_shown(const char *const *argv, const struct run_opts *o)
{
	size_t n = 0;
	const char **v;

	while (argv[n])
		n++;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = is_secret(o, i) ? RUNNER_SECRET : argv[i];
	return v;
}

/*
 * The first @len bytes of @s with every secret word of @argv in them
 * replaced by RUNNER_SECRET: a new string, or NULL (ENOMEM: then show nothing).
 */
static char *redact(const char *s, size_t len, const char *const *argv,
		    const struct run_opts *o)
{
	size_t rep = strlen(RUNNER_SECRET), n = 0;
	char *out = malloc(len * (rep > 1 ? rep : 1) + 1);

	if (!out)
		return NULL;
	for (size_t at = 0; at < len;) {
		size_t hit = 0;

		for (size_t i = 0; argv[i] && !hit; i++) {
			size_t wl = strlen(argv[i]);

			if (is_secret(o, i) && wl && wl <= len - at && !memcmp(s + at, argv[i], wl))
				hit = wl;
		}
		if (hit) {
			memcpy(out + n, RUNNER_SECRET, rep);
			n += rep;
			at += hit;
		} else {
			out[n++] = s[at++];
		}
	}
	out[n] = '\0';
	return out;
}

static void emit_line(const struct run_opts *o, const char *const *argv, int fd,
		      const char *line)
{
	char *shown;

	if (!o->secret_argv) {
		o->on_line(o->on_line_data, fd, line);
		return;
	}
	shown = redact(line, strlen(line), argv, o);
	if (shown)
		o->on_line(o->on_line_data, fd, shown);
	free(shown);
}

static void outbuf_lines(struct outbuf *b, int fd, const char *const *argv,
			 const struct run_opts *o, bool flush)
{
	while (o && o->on_line && b->line_start < b->len) {
		char *nl = memchr(b->buf + b->line_start, '\n', b->len - b->line_start);

		if (!nl) {
			if (!flush)
				break;
			emit_line(o, argv, fd, b->buf + b->line_start);
			b->line_start = b->len;
			break;
		}
		*nl = '\0';
		emit_line(o, argv, fd, b->buf + b->line_start);
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

/*
 * Interrupts: the first signal, whether the cleanup has taken it, and a
 * self-pipe that wakes a runner waiting in poll().
 */
static volatile sig_atomic_t intr_sig, intr_acked;
static int intr_pipe[2] = { -1, -1 };

void runner_interrupt(int sig)
{
	int saved = errno;

	if (!intr_sig)
		intr_sig = sig;
	if (intr_pipe[1] >= 0 && write(intr_pipe[1], "", 1) < 0)
		(void)0;
	errno = saved;
}

int runner_interrupted(void)
{
	return intr_sig;
}

void runner_interrupt_ack(void)
{
	intr_acked = 1;
}

static void intr_drain(void)
{
	char buf[64];

	while (intr_pipe[0] >= 0 && read(intr_pipe[0], buf, sizeof(buf)) > 0)
		;
}

void runner_interrupt_reset(void)
{
	intr_sig = 0;
	intr_acked = 0;
	intr_drain();
}

static bool intr_pending(void)
{
	return intr_sig && !intr_acked;
}

const char *runner_signal_name(int sig)
{
	switch (sig) {
	case SIGTERM:
		return "SIGTERM";
	case SIGINT:
		return "SIGINT";
	case SIGHUP:
		return "SIGHUP";
	case SIGQUIT:
		return "SIGQUIT";
	case SIGKILL:
		return "SIGKILL";
	default:
		return "a signal";
	}
}

static void on_signal(int sig)
{
	runner_interrupt(sig);
}

static const int caught_sigs[] = { SIGTERM, SIGINT, SIGHUP };

int runner_signals_catch(struct runner_sigsave *save, bool once)
{
	struct sigaction sa = { .sa_handler = on_signal,
				.sa_flags = SA_RESTART | (once ? SA_RESETHAND : 0) };

	memset(save, 0, sizeof(*save));
	if (intr_pipe[0] < 0 && pipe2(intr_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(caught_sigs) / sizeof(caught_sigs[0]); i++) {
		struct sigaction old;

		if (sigaction(caught_sigs[i], NULL, &old) < 0)
			goto fail;
		/* started with the signal ignored (nohup, a background job): keep it so */
		if (old.sa_handler == SIG_IGN)
			continue;
		if (sigaction(caught_sigs[i], &sa, NULL) < 0)
			goto fail;
		save->sig[save->n] = caught_sigs[i];
		save->old[save->n++] = old;
	}
	return 0;
fail:
	{
		int ret = -errno;

		runner_signals_restore(save);
		return ret;
	}
}

void runner_signals_restore(struct runner_sigsave *save)
{
	while (save->n > 0) {
		save->n--;
		sigaction(save->sig[save->n], &save->old[save->n], NULL);
	}
}

/* The environment for the child, built before fork: ours with o->env laid over it. */
static char **make_env(const struct run_opts *o)
{
	size_t n = 0, extra = 0;
	char **env;

	for (char **e = environ; e && *e; e++)
		n++;
	for (const char *const *e = o ? o->env : NULL; e && *e; e++)
		extra++;
	env = calloc(n + extra + 1, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		env[i] = environ[i];
	for (const char *const *e = o ? o->env : NULL; e && *e; e++) {
		size_t len = strcspn(*e, "="), i;

		for (i = 0; i < n; i++)
			if (strncmp(env[i], *e, len + 1) == 0)
				break;
		env[i] = (char *)*e;
		if (i == n)
			n++;
	}
	return env;
}

/* In the child between fork and exec: async-signal-safe calls only. */
static void child_exec(const char *const *argv, const struct run_opts *o, char *const *envp,
		       bool own_group, int in_fd, int out_fd, int err_fd)
{
	unsigned flags = o ? o->flags : 0;
	sigset_t none;
	int devnull;

	/* its own process group, so that a timeout or an interrupt stops all of it */
	if (own_group)
		setpgid(0, 0);
	for (size_t i = 0; i < sizeof(caught_sigs) / sizeof(caught_sigs[0]); i++) {
		struct sigaction old;

		if (sigaction(caught_sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			signal(caught_sigs[i], SIG_DFL);
	}
	signal(SIGPIPE, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
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
	/* execvp looks PATH up in the new environment too, as it did with putenv() */
	environ = (char **)envp;
	execvp(argv[0], (char *const *)argv);
	_exit(127);
}

static void format_secs(char *buf, size_t n, unsigned ms)
{
	if (ms % 1000 == 0)
		snprintf(buf, n, "%u s", ms / 1000);
	else
		snprintf(buf, n, "%.1f s", ms / 1000.0);
}

/* after the program exited, read what others in its group still write for this long */
#define LINGER_MS	1000
/* after SIGKILL, wait this long for the program to go (a process stuck in the kernel may not) */
#define KILL_WAIT_MS	5000

enum run_phase { PH_RUN, PH_TERM, PH_KILL };

static int spawn_run(struct runner *r, const char *const *argv, const struct run_opts *o,
		     struct run_result *res)
{
	unsigned flags = o ? o->flags : 0;
	bool tty = flags & RUN_TTY;
	const char *prog = runner_prog(argv);
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, errp[2] = { -1, -1 };
	struct outbuf ob = { 0 }, eb = { .keep = ERR_KEEP };
	size_t written = 0;
	unsigned timeout = runner_timeout_ms(r, argv, o);
	unsigned grace = r->kill_grace_ms ? r->kill_grace_ms : RUNNER_KILL_GRACE_MS;
	long long deadline = timeout ? now_ms() + timeout : 0, phase_end = 0, linger_end = 0;
	enum run_phase phase = PH_RUN;
	bool exited = false, reaped = false, timed_out = false;
	int stop_sig = 0, status = 0, ret = 0, idle_ms = 1;
	sigset_t all, old_mask;
	char **envp = NULL;
	pid_t pid, target;

	if (intr_pending() && !(flags & RUN_CLEANUP))
		return ip_err_set(&r->err, -EINTR, "'%s' not started: interrupted by %s", prog,
				  runner_signal_name(intr_sig));
	envp = make_env(o);
	if (!envp)
		return ip_err_set(&r->err, -ENOMEM, "out of memory");
	if ((o && o->input && pipe2(in, O_CLOEXEC) < 0) ||
	    (!tty && pipe2(out, O_CLOEXEC) < 0) || pipe2(errp, O_CLOEXEC) < 0) {
		ret = ip_err_errno(&r->err, -errno, "cannot create pipe for '%s'", argv[0]);
		goto out_close;
	}
	/* no handler of ours may run in the child before exec */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old_mask);
	pid = fork();
	if (pid == 0)
		child_exec(argv, o, envp, !tty, in[0], out[1], errp[1]);
	if (pid > 0 && !tty)
		setpgid(pid, pid);	/* also here: no race with the kill below */
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	if (pid < 0) {
		ret = ip_err_errno(&r->err, -errno, "cannot fork for '%s'", argv[0]);
		goto out_close;
	}
	target = tty ? pid : -pid;

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

	for (;;) {
		struct pollfd pfd[4];
		long long now = now_ms(), wake;
		int n = 0, wait_ms;
		char buf[8192];

		if (!exited) {
			siginfo_t si = { 0 };

			/* WNOWAIT: until we reap it, its pid (its group's id) cannot be reused */
			if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0) {
				if (errno != EINTR) {
					/* not ours to wait for (ECHILD): nothing left to kill */
					ret = ip_err_errno(&r->err, -errno, "cannot wait for '%s'",
							   prog);
					break;
				}
			} else if (si.si_pid == pid) {
				exited = true;
			}
		}
		if (phase == PH_RUN && !exited) {
			if (deadline && now >= deadline)
				timed_out = true;
			else if (intr_pending() && !(flags & RUN_CLEANUP))
				stop_sig = intr_sig;
			if (timed_out || stop_sig) {
				kill(target, SIGTERM);
				phase = PH_TERM;
				phase_end = now + grace;
			}
		}
		/* the program is gone or the grace is over: nothing of its group stays */
		if (phase == PH_TERM && (exited || now >= phase_end)) {
			kill(target, SIGKILL);
			phase = PH_KILL;
			phase_end = now + KILL_WAIT_MS;
		}
		if (exited && !reaped) {
			int w;

			while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
				;
			if (w < 0) {
				ret = ip_err_errno(&r->err, -errno, "cannot wait for '%s'", prog);
				break;
			}
			reaped = true;
			linger_end = now + LINGER_MS;
			if (in[1] >= 0) {
				close(in[1]);	/* nobody reads the rest */
				in[1] = -1;
			}
		}
		if (phase == PH_KILL && !exited && now >= phase_end)
			break;	/* stuck in the kernel: give up on it, not on the install */
		if (reaped && ((in[1] < 0 && out[0] < 0 && errp[0] < 0) || now >= linger_end))
			break;

		if (in[1] >= 0)
			pfd[n++] = (struct pollfd){ .fd = in[1], .events = POLLOUT };
		if (out[0] >= 0)
			pfd[n++] = (struct pollfd){ .fd = out[0], .events = POLLIN };
		if (errp[0] >= 0)
			pfd[n++] = (struct pollfd){ .fd = errp[0], .events = POLLIN };
		if (phase == PH_RUN && intr_pipe[0] >= 0 && !intr_acked && !(flags & RUN_CLEANUP))
			pfd[n++] = (struct pollfd){ .fd = intr_pipe[0], .events = POLLIN };
		/* wake for the next thing to check: exit (polled), deadline, grace, linger */
		if (out[0] < 0 && errp[0] < 0) {
			wait_ms = idle_ms;	/* output closed: the exit is near */
			idle_ms = idle_ms < 100 ? idle_ms * 2 : 200;
		} else {
			wait_ms = 200;
		}
		wake = reaped ? linger_end : phase != PH_RUN ? phase_end : deadline;
		if (wake && wake - now < wait_ms)
			wait_ms = wake - now > 0 ? (int)(wake - now) : 0;
		if (poll(pfd, n, wait_ms) < 0) {
			if (errno == EINTR)
				continue;
			ret = ip_err_errno(&r->err, -errno, "cannot wait for '%s'", prog);
			kill(target, SIGKILL);
			break;
		}
		for (int i = 0; i < n; i++) {
			ssize_t k;

			if (!pfd[i].revents)
				continue;
			if (pfd[i].fd == intr_pipe[0]) {
				intr_drain();
				continue;
			}
			if (pfd[i].fd == in[1]) {
				k = write(in[1], o->input + written, o->input_len - written);
				if (k > 0)
					written += k;
				if ((k < 0 && errno != EAGAIN && errno != EINTR) ||
				    written == o->input_len) {
					close(in[1]);
					in[1] = -1;
				}
				continue;
			}
			k = read(pfd[i].fd, buf, sizeof(buf));
			if (k <= 0) {
				if (k < 0 && (errno == EINTR || errno == EAGAIN))
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
						ret = ip_err_set(&r->err, -ENOMEM, "out of memory");
					if (!(flags & RUN_CAPTURE))
						ob.keep = ERR_KEEP;
					outbuf_lines(&ob, 1, argv, o, false);
				}
			} else if (!(flags & RUN_NO_STDERR) || (o && o->on_line)) {
				if (outbuf_add(&eb, buf, k) < 0)
					ret = ip_err_set(&r->err, -ENOMEM, "out of memory");
				outbuf_lines(&eb, 2, argv, o, false);
			}
		}
	}
	outbuf_lines(&ob, 1, argv, o, true);
	outbuf_lines(&eb, 2, argv, o, true);
	if (ret < 0)
		goto out_close;
	if (!reaped)
		status = SIGKILL;	/* given up on after SIGKILL: as if killed */
	if (res) {
		res->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		res->timed_out = timed_out;
		if (flags & RUN_CAPTURE) {
			res->out = ob.buf ? ob.buf : strdup("");
			res->out_len = ob.len;
			ob.buf = NULL;
		}
		res->err = eb.buf ? eb.buf : strdup("");
		res->err_len = eb.len;
		eb.buf = NULL;
	}
	if (stop_sig)
		ret = ip_err_set(&r->err, -EINTR, "'%s' interrupted by %s", prog,
				 runner_signal_name(stop_sig));
	else if (reaped && WIFEXITED(status) && WEXITSTATUS(status) == 127 &&
		 (!res || res->err_len == 0))
		ret = ip_err_set(&r->err, -ENOENT, "cannot run '%s': %s", argv[0],
				 strerror(ENOENT));
out_close:
	free(envp);
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
	if (r->on_argv && o && o->secret_argv) {
		const char **shown = argv_shown(argv, o);

		if (!shown)
			return ip_err_set(&r->err, -ENOMEM, "out of memory");
		r->on_argv(r->on_argv_data, shown, o);
		free(shown);
	} else if (r->on_argv) {
		r->on_argv(r->on_argv_data, argv, o);
	}
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

/* The last line of @s into @buf (cut to fit), its secret words of @argv replaced. */
static const char *last_line(const char *s, const char *const *argv, const struct run_opts *o,
			     char *buf, size_t n)
{
	size_t len = s ? strlen(s) : 0;
	const char *start;
	char *shown;

	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	start = s + len;
	while (start > s && start[-1] != '\n')
		start--;
	if (!o || !o->secret_argv) {
		snprintf(buf, n, "%.*s", (int)(s + len - start), start);
		return buf;
	}
	/* replaced before it is cut, so that no piece of a secret is left at the end */
	shown = redact(start, (size_t)(s + len - start), argv, o);
	snprintf(buf, n, "%s", shown ? shown : "");
	free(shown);
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
	if (rr->timed_out) {
		char secs[32];

		format_secs(secs, sizeof(secs), runner_timeout_ms(r, argv, o));
		ret = ip_err_set(&r->err, -ETIMEDOUT, "'%s' timed out after %s", runner_prog(argv),
				 secs);
	} else if (rr->status != 0) {
		ret = ip_err_set(&r->err, -EIO, "'%s' failed with exit status %d%s%s", argv[0],
				 rr->status, rr->err && rr->err[0] ? ": " : "",
				 last_line(rr->err, argv, o, line, sizeof(line)));
	}
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

char *runner_argv_show(const char *const *argv, const struct run_opts *o)
{
	const char **shown;
	char *s;

	if (!o || !o->secret_argv)
		return runner_argv_str(argv);
	shown = argv_shown(argv, o);
	if (!shown)
		return NULL;
	s = runner_argv_str(shown);
	free(shown);
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
