// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which console installs: pipes stand in for the consoles (tty1, ttyS0), a
 * temporary directory for the sysroot. The first Enter wins, the others see
 * the owner and follow the live log until the lock is let go.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hw-tree.h"
#include "install/inst-claim.h"
#include "install/inst-session.h"
#include "path.h"

struct console {
	struct inst_claim c;
	int in[2];		/* the keyboard: tests write to in[1], the claim reads in[0] */
};

struct env {
	char *root;
	struct console tty1, ttys0;
};

static void console_open(struct env *e, struct console *con, const char *dev)
{
	struct ip_err err = { 0 };

	assert_int_equal(pipe2(con->in, O_CLOEXEC), 0);
	assert_int_equal(inst_claim_init(&con->c, e->root, dev, &err), 0);
}

static void console_close(struct console *con)
{
	inst_claim_release(&con->c);
	close(con->in[0]);
	if (con->in[1] >= 0)
		close(con->in[1]);
}

static void type(struct console *con, const char *s)
{
	assert_int_equal(write(con->in[1], s, strlen(s)), (ssize_t)strlen(s));
}

static int poll_once(struct console *con)
{
	struct ip_err err = { 0 };

	return inst_claim_poll(&con->c, con->in[0], 0, &err);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->root = hwt_new();
	console_open(e, &e->tty1, "/dev/tty1");
	console_open(e, &e->ttys0, "/dev/ttyS0");
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	console_close(&e->tty1);
	console_close(&e->ttys0);
	hwt_free(e->root);
	free(e);
	return 0;
}

static char *owner_file(const struct env *e)
{
	static char buf[64];

	if (path_read_str(e->root, INST_CLAIM_OWNER, buf, sizeof(buf)) < 0)
		return NULL;
	return buf;
}

/* nobody pressed anything: both wait; typing without Enter is not an answer */
static void test_both_wait(void **state)
{
	struct env *e = *state;

	assert_string_equal(e->tty1.c.console, "tty1");
	assert_string_equal(e->ttys0.c.console, "ttyS0");
	assert_int_equal(poll_once(&e->tty1), INST_CLAIM_WAITING);
	assert_int_equal(poll_once(&e->ttys0), INST_CLAIM_WAITING);
	type(&e->ttys0, "yes");
	assert_int_equal(poll_once(&e->ttys0), INST_CLAIM_WAITING);
	assert_int_equal(poll_once(&e->tty1), INST_CLAIM_WAITING);
	assert_null(owner_file(e));
}

/* Enter on the serial console: it installs, tty1 learns who does and follows */
static void test_first_enter_wins(void **state)
{
	struct env *e = *state;
	struct console late;

	assert_int_equal(poll_once(&e->tty1), INST_CLAIM_WAITING);
	type(&e->ttys0, "\n");
	assert_int_equal(poll_once(&e->ttys0), INST_CLAIM_MINE);
	assert_true(e->ttys0.c.held);
	assert_string_equal(owner_file(e), "ttyS0");
	/* tty1 has not pressed anything: the owner file tells it */
	assert_int_equal(poll_once(&e->tty1), INST_CLAIM_OTHER);
	assert_string_equal(e->tty1.c.owner, "ttyS0");
	assert_false(e->tty1.c.held);

	/* an Enter that comes too late (a third console) loses on the lock itself */
	console_open(e, &late, "hvc0");
	type(&late, "\r");		/* raw mode: carriage return */
	assert_int_equal(poll_once(&late), INST_CLAIM_OTHER);
	assert_string_equal(late.c.owner, "ttyS0");
	console_close(&late);
	/* the loser let go of nothing: ttyS0 still holds it */
	assert_string_equal(owner_file(e), "ttyS0");
}

/* both pressed before either looked: the one that gets to the lock first wins */
static void test_enter_race(void **state)
{
	struct env *e = *state;

	type(&e->tty1, "\n");
	type(&e->ttys0, "\n");
	assert_int_equal(poll_once(&e->tty1), INST_CLAIM_MINE);
	assert_int_equal(poll_once(&e->ttys0), INST_CLAIM_OTHER);
	assert_string_equal(e->ttys0.c.owner, "tty1");
}

/* the console went away (EOF): no more input, but it still sees the owner */
static void test_input_closed(void **state)
{
	struct env *e = *state;

	close(e->tty1.in[1]);
	e->tty1.in[1] = -1;
	assert_int_equal(poll_once(&e->tty1), INST_CLAIM_WAITING);
	assert_true(e->tty1.c.input_closed);
	assert_int_equal(poll_once(&e->tty1), INST_CLAIM_WAITING);
	type(&e->ttys0, "\n");
	assert_int_equal(poll_once(&e->ttys0), INST_CLAIM_MINE);
	assert_int_equal(poll_once(&e->tty1), INST_CLAIM_OTHER);
}

/* an owner file naming this very console is a leftover, not another installer */
static void test_own_leftover(void **state)
{
	struct env *e = *state;

	hwt_file(e->root, INST_CLAIM_OWNER, "tty1\n");
	assert_int_equal(poll_once(&e->tty1), INST_CLAIM_WAITING);
	assert_int_equal(poll_once(&e->ttys0), INST_CLAIM_OTHER);
	assert_string_equal(e->ttys0.c.owner, "tty1");
}

static void append_log(const struct env *e, const char *s)
{
	char path[4096];
	int fd;

	assert_int_equal(path_join(path, sizeof(path), e->root, INST_LIVE_LOG), 0);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
}

static char *drain(int fd)
{
	static char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* the follower copies the log as it grows and ends when the installer lets go */
static void test_follow_until_released(void **state)
{
	struct env *e = *state;
	struct ip_err err = { 0 };
	struct console next;
	char line[256];
	int out[2];

	assert_int_equal(pipe2(out, O_CLOEXEC | O_NONBLOCK), 0);
	type(&e->ttys0, "\n");
	assert_int_equal(poll_once(&e->ttys0), INST_CLAIM_MINE);
	assert_int_equal(poll_once(&e->tty1), INST_CLAIM_OTHER);

	/* no log yet: nothing to copy, not done */
	assert_int_equal(inst_claim_follow(&e->tty1.c, out[1], &err), 0);
	assert_string_equal(drain(out[0]), "");
	append_log(e, "step disk: started\n");
	assert_int_equal(inst_claim_follow(&e->tty1.c, out[1], &err), 0);
	assert_string_equal(drain(out[0]), "step disk: started\n");
	assert_int_equal(inst_claim_follow(&e->tty1.c, out[1], &err), 0);
	assert_string_equal(drain(out[0]), "");

	/* the last lines, then the lock let go: all of it arrives, and it is over */
	append_log(e, "ironpass-installer: install done in 912 s\n  disk 1.0 s\n");
	inst_claim_release(&e->ttys0.c);
	assert_null(owner_file(e));
	assert_int_equal(inst_claim_follow(&e->tty1.c, out[1], &err), 1);
	assert_string_equal(drain(out[0]),
			    "ironpass-installer: install done in 912 s\n  disk 1.0 s\n");
	/* following took the lock only to look: another console's claim still gets it */
	console_open(e, &next, "ttyS1");
	type(&next, "\n");
	assert_int_equal(poll_once(&next), INST_CLAIM_MINE);
	console_close(&next);

	{
		char *log = NULL;
		size_t len = 0;

		assert_int_equal(path_read_all(e->root, INST_LIVE_LOG, 1 << 20, &log, &len), 0);
		assert_int_equal(inst_claim_outcome(log, len, line, sizeof(line)), 0);
		assert_string_equal(line, "ironpass-installer: install done in 912 s");
		free(log);
	}
	close(out[0]);
	close(out[1]);
}

/* unattended: no prompt, no input read; the first to try installs, the next follows */
static void test_auto_no_prompt(void **state)
{
	struct env *e = *state;
	struct ip_err err = { 0 };
	char c;

	/* something typed stays unread: try never looks at the console */
	type(&e->tty1, "x\n");
	assert_int_equal(inst_claim_try(&e->tty1.c, &err), INST_CLAIM_MINE);
	assert_int_equal(inst_claim_try(&e->ttys0.c, &err), INST_CLAIM_OTHER);
	assert_string_equal(e->ttys0.c.owner, "tty1");
	assert_int_equal(read(e->tty1.in[0], &c, 1), 1);
	assert_int_equal(c, 'x');
}

static void test_outcome(void **state)
{
	const char *failed = "step disk: started\r\n"
			     "ironpass-installer: install failed at step 'disk': no disk\r\n"
			     "  rebooting\n";
	const char *none = "step disk: started\nstep disk: done\n";
	char line[128];

	(void)state;
	assert_int_equal(inst_claim_outcome(failed, strlen(failed), line, sizeof(line)), 0);
	assert_string_equal(line, "ironpass-installer: install failed at step 'disk': no disk");
	assert_int_equal(inst_claim_outcome(none, strlen(none), line, sizeof(line)), -ENOENT);
	assert_int_equal(inst_claim_outcome("", 0, line, sizeof(line)), -ENOENT);
	/* a last line without a newline, cut to the buffer */
	assert_int_equal(inst_claim_outcome("x\ninstall done in 5 s", 20, line, 8), 0);
	assert_string_equal(line, "install");
}

/* no console name: the messages still say something */
static void test_unnamed_console(void **state)
{
	struct env *e = *state;
	struct ip_err err = { 0 };
	struct inst_claim c;

	assert_int_equal(inst_claim_init(&c, e->root, NULL, &err), 0);
	assert_string_equal(c.console, "this console");
	inst_claim_release(&c);
	/* a sysroot that cannot hold /run/ironpass: the error names the lock */
	hwt_file(e->root, "/blocked", "a file, not a directory\n");
	{
		char bad[4096];

		snprintf(bad, sizeof(bad), "%s/blocked", e->root);
		assert_true(inst_claim_init(&c, bad, "tty1", &err) < 0);
		assert_non_null(strstr(ip_err_msg(&err), "install.lock"));
		inst_claim_release(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_both_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_enter_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enter_race, setup, teardown),
		cmocka_unit_test_setup_teardown(test_input_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_leftover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow_until_released, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_no_prompt, setup, teardown),
		cmocka_unit_test(test_outcome),
		cmocka_unit_test_setup_teardown(test_unnamed_console, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
