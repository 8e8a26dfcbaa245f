// SPDX-License-Identifier: GPL-2.0-or-later
/* The production runner really runs programs: argv reaches them literally,
 * stdin is fed, stdout/stderr are captured, exit status and timeouts are
 * reported, and nothing goes through a shell. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "runner.h"
#include "proc-check.h"

static void test_argv_literal(void **state)
{
	struct runner r;
	struct run_result res = { 0 };
	const char *argv[] = { "printf", "%s|", "a b", "$(touch /tmp/x)", "'q'", NULL };
	struct run_opts o = { .flags = RUN_CAPTURE };

	(void)state;
	runner_spawn_init(&r);
	assert_int_equal(runner_run(&r, argv, &o, &res), 0);
	assert_int_equal(res.status, 0);
	assert_string_equal(res.out, "a b|$(touch /tmp/x)|'q'|");
	run_result_release(&res);
}

static void test_stdin_and_status(void **state)
{
	struct runner r;
	struct run_result res = { 0 };
	const char *argv[] = { "sh", "-c", "cat; echo oops >&2; exit 3", NULL };
	struct run_opts o = { .input = "line1\nline2\n", .input_len = 12, .flags = RUN_CAPTURE };

	(void)state;
	runner_spawn_init(&r);
	assert_int_equal(runner_run(&r, argv, &o, &res), 0);
	assert_int_equal(res.status, 3);
	assert_string_equal(res.out, "line1\nline2\n");
	assert_string_equal(res.err, "oops\n");
	run_result_release(&res);
	assert_int_equal(runner_check(&r, argv, &o, NULL), -EIO);
	assert_string_equal(r.err.msg, "'sh' failed with exit status 3: oops");
}

static void test_missing_program(void **state)
{
	struct runner r;
	const char *argv[] = { "ironpass-no-such-program", NULL };

	(void)state;
	runner_spawn_init(&r);
	assert_int_equal(runner_check(&r, argv, NULL, NULL), -ENOENT);
	assert_non_null(strstr(r.err.msg, "ironpass-no-such-program"));
}

static void test_timeout(void **state)
{
	struct runner r;
	struct run_result res = { 0 };
	const char *argv[] = { "sleep", "5", NULL };
	struct run_opts o = { .timeout_ms = 100 };

	(void)state;
	runner_spawn_init(&r);
	assert_int_equal(runner_check(&r, argv, &o, &res), -ETIMEDOUT);
	assert_true(res.timed_out);
	assert_string_equal(r.err.msg, "'sleep' timed out after 0.1 s");
	run_result_release(&res);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A scratch file name for a pid a script writes. */
static void pid_file(char *buf, size_t n, const char *tag)
{
	snprintf(buf, n, "/tmp/ironpass-runner-%s-%ld", tag, (long)getpid());
	unlink(buf);
}

/* A timeout stops the whole process group: the script's background child too. */
static void test_timeout_kills_group(void **state)
{
	char pidf[128], script[256];
	const char *argv[] = { "sh", "-c", script, NULL };
	/* long enough for a loaded machine to start sh and let it write the pid */
	struct run_opts o = { .timeout_ms = 1500 };
	struct run_result res = { 0 };
	struct runner r;
	long pid;
	double t;

	(void)state;
	pid_file(pidf, sizeof(pidf), "group");
	snprintf(script, sizeof(script), "sleep 100 & echo $! >%s; sleep 100", pidf);
	runner_spawn_init(&r);
	t = now_s();
	assert_int_equal(runner_check(&r, argv, &o, &res), -ETIMEDOUT);
	t = now_s() - t;
	assert_true(res.timed_out);
	assert_string_equal(r.err.msg, "'sh' timed out after 1.5 s");
	pid = proc_read_pid(pidf);
	assert_true(pid > 0);
	if (!proc_gone(pid)) {
		kill((pid_t)pid, SIGKILL);
		fail_msg("the script's background 'sleep' (pid %ld) survived the timeout", pid);
	}
	/* sh and sleep die of SIGTERM: no waiting out the grace (3 s) */
	assert_true(t < 1.5 + RUNNER_KILL_GRACE_MS / 1000.0);
	unlink(pidf);
	run_result_release(&res);
}

/* A group that ignores SIGTERM gets SIGKILL after the grace. */
static void test_timeout_term_then_kill(void **state)
{
	char pidf[128], script[256];
	const char *argv[] = { "sh", "-c", script, NULL };
	/* long enough for a loaded machine to start sh and set its trap */
	struct run_opts o = { .timeout_ms = 1500 };
	struct runner r;
	long pid;
	double t;

	(void)state;
	pid_file(pidf, sizeof(pidf), "term");
	snprintf(script, sizeof(script),
		 "trap '' TERM; sleep 100 & echo $! >%s; while :; do sleep 1; done", pidf);
	runner_spawn_init(&r);
	r.kill_grace_ms = 400;
	t = now_s();
	assert_int_equal(runner_check(&r, argv, &o, NULL), -ETIMEDOUT);
	t = now_s() - t;
	pid = proc_read_pid(pidf);
	assert_true(pid > 0);
	if (!proc_gone(pid)) {
		kill((pid_t)pid, SIGKILL);
		fail_msg("the background 'sleep' (pid %ld) ignored SIGTERM and was not killed",
			 pid);
	}
	/* timeout + grace, then SIGKILL */
	assert_true(t >= 1.85);
	assert_true(t < 5.0);
	unlink(pidf);
}

/* No timeout from the caller: the program's default from the table applies. */
static void test_default_timeout_applied(void **state)
{
	static const struct runner_timeout table[] = { { "sleep", 1 }, { NULL, 0 } };
	const char *argv[] = { "sleep", "30", NULL };
	struct runner r;
	double t;

	(void)state;
	runner_spawn_init(&r);
	r.timeouts = table;
	t = now_s();
	assert_int_equal(runner_check(&r, argv, NULL, NULL), -ETIMEDOUT);
	t = now_s() - t;
	assert_string_equal(r.err.msg, "'sleep' timed out after 1 s");
	assert_true(t >= 0.9 && t < 5.0);
}

static void test_timeout_table(void **state)
{
	const char *apt[] = { "chroot", "/target", "apt-get", "install", "-y", NULL };
	const char *initramfs[] = { "chroot", "--userspec=0:0", "/target",
				    "/usr/sbin/update-initramfs", "-u", NULL };
	const char *sfdisk[] = { "/sbin/sfdisk", "--wipe", "always", "/dev/vda", NULL };
	const char *bare[] = { "chroot", "/target", NULL };
	const char *dialog[] = { "dialog", "--msgbox", "hi", "10", "40", NULL };
	struct run_opts tty = { .flags = RUN_TTY }, own = { .timeout_ms = 1234 };
	struct runner r;

	(void)state;
	runner_spawn_init(&r);
	assert_string_equal(runner_prog(apt), "apt-get");
	assert_string_equal(runner_prog(initramfs), "update-initramfs");
	assert_string_equal(runner_prog(sfdisk), "sfdisk");
	assert_string_equal(runner_prog(bare), "chroot");
	/* short for the disk probes, long for packages and the initramfs */
	assert_true(runner_timeout_s(NULL, "sfdisk") <= 5 * 60);
	assert_true(runner_timeout_s(NULL, "wipefs") <= 5 * 60);
	assert_true(runner_timeout_s(NULL, "blkid") <= 5 * 60);
	assert_true(runner_timeout_s(NULL, "mkfs.ext4") > runner_timeout_s(NULL, "sfdisk"));
	assert_int_equal(runner_timeout_s(NULL, "mkfs.xfs"), runner_timeout_s(NULL, "mkfs.ext4"));
	assert_true(runner_timeout_s(NULL, "lvcreate") > runner_timeout_s(NULL, "sfdisk"));
	/* TCG: update-initramfs ~13 min, packages ~150 s; keep a wide margin */
	assert_true(runner_timeout_s(NULL, "update-initramfs") >= 3 * 13 * 60);
	assert_true(runner_timeout_s(NULL, "apt-get") >= 20 * 150);
	assert_true(runner_timeout_s(NULL, "mmdebstrap") >= 60 * 60);
	assert_int_equal(runner_timeout_s(NULL, "ironpass-unknown"), RUNNER_TIMEOUT_DEFAULT_S);
	/* through chroot to the program */
	assert_int_equal(runner_timeout_ms(&r, apt, NULL),
			 runner_timeout_s(NULL, "apt-get") * 1000u);
	assert_int_equal(runner_timeout_ms(&r, initramfs, NULL),
			 runner_timeout_s(NULL, "update-initramfs") * 1000u);
	assert_int_equal(runner_timeout_ms(&r, sfdisk, NULL),
			 runner_timeout_s(NULL, "sfdisk") * 1000u);
	/* the caller's own value wins; interactive runs have none */
	assert_int_equal(runner_timeout_ms(&r, sfdisk, &own), 1234);
	assert_int_equal(runner_timeout_ms(&r, dialog, &tty), 0);
}

/*
 * The man page's TIMEOUTS table says what runner_timeouts[] says: every row
 * of the table with its limit, and "anything else" for the default.
 */
static void test_timeouts_documented(void **state)
{
	const char *top = getenv("IRONPASS_TOP");
	char path[512], line[512], names[512] = "";
	unsigned documented = 0, rows = 0;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/docs/man/ironpass-installer.8.scd", top ? top : ".");
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned n = 0, secs;
		char unit[8] = "";

		if (!strncmp(line, "|  ", 3)) {
			snprintf(names, sizeof(names), "%s", line + 3);
			names[strcspn(names, "\n")] = '\0';
			continue;
		}
		if (strncmp(line, ":  ", 3) || !names[0] || sscanf(line + 3, "%u %7s", &n, unit) != 2)
			continue;
		secs = n * (!strcmp(unit, "min") ? 60 : !strcmp(unit, "h") ? 3600 : 1);
		for (char *w = names, *next; w && *w; w = next) {
			char name[64], *d = name;

			next = strstr(w, ", ");
			if (next) {
				*next = '\0';
				next += 2;
			}
			for (const char *c = w; *c && d < name + sizeof(name) - 1; c++)
				if (*c != '\\')
					*d++ = *c;
			*d = '\0';
			if (!strcmp(name, "anything else")) {
				assert_int_equal(secs, RUNNER_TIMEOUT_DEFAULT_S);
				continue;
			}
			const struct runner_timeout *t = runner_timeouts;

			while (t->prog && strcmp(t->prog, name))
				t++;
			if (!t->prog)
				fail_msg("man page: '%s' is not in runner_timeouts[]", name);
			if (t->seconds != secs)
				fail_msg("man page: '%s' %u s, runner_timeouts[]: %u s", name, secs,
					 t->seconds);
			documented++;
		}
		names[0] = '\0';
	}
	fclose(f);
	for (const struct runner_timeout *t = runner_timeouts; t->prog; t++)
		rows++;
	/* each row once: nothing in the code that the page does not list */
	assert_int_equal(documented, rows);
}

/* A run gets its own process group; an interactive (RUN_TTY) one stays in ours. */
static void test_process_group(void **state)
{
	const char *argv[] = { "sh", "-c", "cut -d' ' -f5 /proc/$$/stat >&2; echo $$ >&2", NULL };
	struct run_opts tty = { .flags = RUN_TTY };
	struct run_result res = { 0 };
	struct runner r;
	long pgid, pid;
	char *end;

	(void)state;
	runner_spawn_init(&r);
	assert_int_equal(runner_check(&r, argv, NULL, &res), 0);
	pgid = strtol(res.err, &end, 10);
	pid = strtol(end, NULL, 10);
	assert_int_equal(pgid, pid);
	run_result_release(&res);
	assert_int_equal(runner_check(&r, argv, &tty, &res), 0);
	assert_int_equal(strtol(res.err, NULL, 10), (long)getpgrp());
	run_result_release(&res);
}

/* A waitpid that fails is a failure, not "exit status 0". */
static void test_wait_failure(void **state)
{
	const char *argv[] = { "true", NULL };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	struct runner r;
	int ret;

	(void)state;
	runner_spawn_init(&r);
	/* SIGCHLD ignored: the kernel reaps the child, waitpid gets ECHILD */
	sigaction(SIGCHLD, &ign, &old);
	ret = runner_check(&r, argv, NULL, NULL);
	sigaction(SIGCHLD, &old, NULL);
	assert_int_equal(ret, -ECHILD);
	assert_non_null(strstr(r.err.msg, "cannot wait for 'true'"));
}

/* the script has written its pid (not just created the file) */
static bool has_pid(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_size > 0;
}

static void *send_term_when(void *path)
{
	for (int i = 0; i < 500 && !has_pid(path); i++)
		usleep(10 * 1000);
	kill(getpid(), SIGTERM);
	return NULL;
}

/* SIGTERM during a run: its group is stopped, the run fails, later runs wait for the ack. */
static void test_interrupt(void **state)
{
	char pidf[128], script[256];
	const char *argv[] = { "sh", "-c", script, NULL };
	const char *ok[] = { "true", NULL };
	struct runner_sigsave save;
	struct sigaction now;
	struct runner r;
	pthread_t th;
	long pid;
	double t;
	int ret;

	(void)state;
	pid_file(pidf, sizeof(pidf), "intr");
	snprintf(script, sizeof(script), "sleep 100 & echo $! >%s; sleep 100", pidf);
	runner_interrupt_reset();
	assert_int_equal(runner_signals_catch(&save, false), 0);
	runner_spawn_init(&r);
	assert_int_equal(pthread_create(&th, NULL, send_term_when, pidf), 0);
	t = now_s();
	ret = runner_check(&r, argv, NULL, NULL);
	t = now_s() - t;
	pthread_join(th, NULL);
	assert_int_equal(ret, -EINTR);
	assert_string_equal(r.err.msg, "'sh' interrupted by SIGTERM");
	assert_int_equal(runner_interrupted(), SIGTERM);
	assert_true(t < 5.0);
	pid = proc_read_pid(pidf);
	assert_true(pid > 0);
	if (!proc_gone(pid)) {
		kill((pid_t)pid, SIGKILL);
		fail_msg("the background 'sleep' (pid %ld) survived the interrupt", pid);
	}
	/* still pending: nothing new starts */
	assert_int_equal(runner_check(&r, ok, NULL, NULL), -EINTR);
	assert_string_equal(r.err.msg, "'true' not started: interrupted by SIGTERM");
	/* the cleanup takes it: runs go on, the signal is remembered */
	runner_interrupt_ack();
	assert_int_equal(runner_check(&r, ok, NULL, NULL), 0);
	assert_int_equal(runner_interrupted(), SIGTERM);
	runner_interrupt_reset();
	assert_int_equal(runner_interrupted(), 0);
	runner_signals_restore(&save);
	sigaction(SIGTERM, NULL, &now);
	assert_true(now.sa_handler == SIG_DFL);
	unlink(pidf);
}

static int reset_interrupt(void **state)
{
	(void)state;
	runner_interrupt_reset();
	return 0;
}

/* once: the first signal is caught, a second one would take its default action */
static void test_signals_once(void **state)
{
	struct runner_sigsave save;
	struct sigaction now;

	(void)state;
	runner_interrupt_reset();
	assert_int_equal(runner_signals_catch(&save, true), 0);
	sigaction(SIGTERM, NULL, &now);
	assert_true(now.sa_handler != SIG_DFL);
	raise(SIGTERM);
	assert_int_equal(runner_interrupted(), SIGTERM);
	sigaction(SIGTERM, NULL, &now);
	assert_true(now.sa_handler == SIG_DFL);
	runner_signals_restore(&save);
	runner_interrupt_reset();
	/* without once the handler stays for the next one */
	assert_int_equal(runner_signals_catch(&save, false), 0);
	raise(SIGTERM);
	sigaction(SIGTERM, NULL, &now);
	assert_true(now.sa_handler != SIG_DFL);
	runner_signals_restore(&save);
	runner_interrupt_reset();
}

/* A program that exits while its background child keeps stdout open does not hang the run. */
static void test_exit_with_open_pipe(void **state)
{
	char pidf[128], script[256];
	const char *argv[] = { "sh", "-c", script, NULL };
	struct run_opts o = { .flags = RUN_CAPTURE, .timeout_ms = 20000 };
	struct run_result res = { 0 };
	struct runner r;
	long pid;
	double t;

	(void)state;
	pid_file(pidf, sizeof(pidf), "linger");
	snprintf(script, sizeof(script), "sleep 30 & echo $! >%s; echo hi; exit 4", pidf);
	runner_spawn_init(&r);
	t = now_s();
	assert_int_equal(runner_run(&r, argv, &o, &res), 0);
	t = now_s() - t;
	pid = proc_read_pid(pidf);
	if (pid > 0)
		kill((pid_t)pid, SIGKILL);
	assert_int_equal(res.status, 4);
	assert_false(res.timed_out);
	assert_string_equal(res.out, "hi\n");
	assert_true(t < 5.0);
	unlink(pidf);
	run_result_release(&res);
}

/* run_opts.env adds to the environment and overrides what is there, PATH lookup included */
static void test_env(void **state)
{
	static const char *const env[] = { "IRONPASS_T=one", "HOME=/nowhere", NULL };
	const char *argv[] = { "sh", "-c", "echo \"$IRONPASS_T $HOME\"", NULL };
	struct run_opts o = { .flags = RUN_CAPTURE, .env = env };
	static const char *const nopath[] = { "PATH=/ironpass-nonexistent", NULL };
	struct run_opts np = { .env = nopath };
	struct run_result res = { 0 };
	struct runner r;

	(void)state;
	runner_spawn_init(&r);
	assert_int_equal(runner_check(&r, argv, &o, &res), 0);
	assert_string_equal(res.out, "one /nowhere\n");
	run_result_release(&res);
	assert_int_equal(runner_check(&r, argv, &np, NULL), -ENOENT);
	assert_null(getenv("IRONPASS_T"));
}

static void test_large_input(void **state)
{
	size_t n = 1 << 20;
	char *big = malloc(n);
	struct runner r;
	struct run_result res = { 0 };
	const char *argv[] = { "wc", "-c", NULL };
	struct run_opts o = { .input = big, .input_len = n, .flags = RUN_CAPTURE };

	(void)state;
	memset(big, 'x', n);
	runner_spawn_init(&r);
	assert_int_equal(runner_check(&r, argv, &o, &res), 0);
	assert_int_equal(strtoul(res.out, NULL, 10), n);
	run_result_release(&res);
	free(big);
}

static int lines_seen;
static void count_line(void *data, int fd, const char *line)
{
	(void)data;
	(void)fd;
	if (strncmp(line, "L", 1) == 0)
		lines_seen++;
}

static void test_on_line(void **state)
{
	struct runner r;
	const char *argv[] = { "sh", "-c", "echo L1; echo L2 >&2; printf L3", NULL };
	struct run_opts o = { .on_line = count_line };

	(void)state;
	lines_seen = 0;
	runner_spawn_init(&r);
	assert_int_equal(runner_check(&r, argv, &o, NULL), 0);
	assert_int_equal(lines_seen, 3);
}

static void record_argv(void *data, const char *const *argv, const struct run_opts *o)
{
	(void)o;
	*(char **)data = runner_argv_str(argv);
}

static void test_dry_run(void **state)
{
	struct runner r;
	char *seen = NULL;
	const char *argv[] = { "sfdisk", "--wipe", "always", "/dev/sda", NULL };

	(void)state;
	runner_dry_init(&r, record_argv, &seen);
	assert_int_equal(runner_check(&r, argv, NULL, NULL), 0);
	assert_string_equal(seen, "sfdisk --wipe always /dev/sda");
	free(seen);
}

#define KEY "pve2c-0123456789"

/* a secret word of the argv reaches the program, and nowhere the runner shows anything */
static void test_secret_dry_run(void **state)
{
	struct runner r;
	char *seen = NULL, *s;
	const char *argv[] = { "pvesubscription", "set", KEY, NULL };
	struct run_opts o = { .secret_argv = RUN_SECRET_ARG(2) };

	(void)state;
	runner_dry_init(&r, record_argv, &seen);
	assert_int_equal(runner_check(&r, argv, &o, NULL), 0);
	assert_string_equal(seen, "pvesubscription set '<secret>'");
	free(seen);
	s = runner_argv_show(argv, &o);
	assert_string_equal(s, "pvesubscription set '<secret>'");
	free(s);
	/* not marked: shown as it is (what the mark prevents) */
	assert_int_equal(runner_check(&r, argv, NULL, NULL), 0);
	assert_string_equal(seen, "pvesubscription set " KEY);
	free(seen);
	s = runner_argv_show(argv, NULL);
	assert_string_equal(s, "pvesubscription set " KEY);
	free(s);
}

static char secret_lines[1024];
static void keep_line(void *data, int fd, const char *line)
{
	size_t n = strlen(secret_lines);

	(void)data;
	snprintf(secret_lines + n, sizeof(secret_lines) - n, "%d:%s\n", fd, line);
}

static void test_secret_spawn(void **state)
{
	struct runner r;
	struct run_result res = { 0 };
	const char *argv[] = { "sh", "-c",
			       "echo \"got $0\"; echo \"key $0 is not valid (${0}x)\" >&2; exit 3",
			       KEY, NULL };
	struct run_opts o = { .flags = RUN_CAPTURE, .on_line = keep_line,
			      .secret_argv = RUN_SECRET_ARG(3) };

	(void)state;
	secret_lines[0] = '\0';
	runner_spawn_init(&r);
	assert_int_equal(runner_check(&r, argv, &o, &res), -EIO);
	/* the program got the key ... */
	assert_string_equal(res.out, "got " KEY "\n");
	/* ... its lines and the runner's message do not show it */
	assert_string_equal(r.err.msg, "'sh' failed with exit status 3: key <secret> is not valid "
				       "(<secret>x)");
	assert_non_null(strstr(secret_lines, "1:got <secret>\n"));
	assert_non_null(strstr(secret_lines, "2:key <secret> is not valid (<secret>x)\n"));
	assert_null(strstr(secret_lines, "0123456789"));
	run_result_release(&res);
}

static void test_argv_str_quoting(void **state)
{
	const char *argv[] = { "echo", "it's", "a b", "", "plain", NULL };
	char *s = runner_argv_str(argv);

	(void)state;
	assert_string_equal(s, "echo 'it'\\''s' 'a b' '' plain");
	free(s);
}

static void test_word_ok(void **state)
{
	(void)state;
	assert_true(runner_word_ok("/dev/sda1"));
	assert_true(runner_word_ok("ext4"));
	assert_false(runner_word_ok("-rf"));
	assert_false(runner_word_ok("a b"));
	assert_false(runner_word_ok("x;y"));
	assert_false(runner_word_ok(""));
}

static void test_fake_runner(void **state)
{
	struct fake_runner f;
	struct run_result res = { 0 };
	const char *argv[] = { "mkfs.ext4", "-F", "/dev/vda3", NULL };

	(void)state;
	fake_runner_init(&f);
	fake_runner_push(&f, 1, "", "boom");
	assert_int_equal(runner_check(&f.r, argv, NULL, &res), -EIO);
	assert_string_equal(f.calls[0].cmd, "mkfs.ext4 -F /dev/vda3");
	assert_int_equal(fake_runner_find(&f, "mkfs"), 0);
	run_result_release(&res);
	fake_runner_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv_literal),
		cmocka_unit_test(test_stdin_and_status),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_timeout_term_then_kill),
		cmocka_unit_test(test_default_timeout_applied),
		cmocka_unit_test(test_timeout_table),
		cmocka_unit_test(test_timeouts_documented),
		cmocka_unit_test(test_process_group),
		cmocka_unit_test(test_wait_failure),
		cmocka_unit_test_teardown(test_interrupt, reset_interrupt),
		cmocka_unit_test_teardown(test_signals_once, reset_interrupt),
		cmocka_unit_test(test_exit_with_open_pipe),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_large_input),
		cmocka_unit_test(test_on_line),
		cmocka_unit_test(test_dry_run),
		cmocka_unit_test(test_secret_dry_run),
		cmocka_unit_test(test_secret_spawn),
		cmocka_unit_test(test_argv_str_quoting),
		cmocka_unit_test(test_word_ok),
		cmocka_unit_test(test_fake_runner),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
