// SPDX-License-Identifier: GPL-2.0-or-later
/* The production runner really runs programs: argv reaches them literally,
 * stdin is fed, stdout/stderr are captured, exit status and timeouts are
 * reported, and nothing goes through a shell. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "runner.h"

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
	run_result_release(&res);
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
		cmocka_unit_test(test_large_input),
		cmocka_unit_test(test_on_line),
		cmocka_unit_test(test_dry_run),
		cmocka_unit_test(test_argv_str_quoting),
		cmocka_unit_test(test_word_ok),
		cmocka_unit_test(test_fake_runner),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
