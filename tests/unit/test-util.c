// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/util.c's string buffer with @wipe set (it holds a secret): growing,
 * printf of short and long text and release keep the contents right and the
 * flag set. (That given-up copies are wiped cannot be seen from here: the
 * memory is freed.)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

static void test_wipe_buffer(void **state)
{
	struct strbuf sb = { .wipe = true };
	char big[1000], *s;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (int i = 0; i < 100; i++)
		sb_puts(&sb, "secret-");
	assert_int_equal(sb.len, 700);
	assert_true(sb.cap > 700);
	sb_printf(&sb, "%d:%s", 42, "short");
	sb_printf(&sb, "%s", big);	/* longer than the printf scratch */
	assert_int_equal(sb.len, 700 + 8 + 999);
	assert_memory_equal(sb.buf + 700, "42:short", 8);
	assert_memory_equal(sb.buf + 708, big, 999);
	assert_true(sb.wipe);
	sb_release(&sb);
	assert_null(sb.buf);
	assert_true(sb.wipe);		/* still for a secret after release */
	sb_puts(&sb, "again");
	s = sb_detach(&sb);
	assert_string_equal(s, "again");
	free(s);
}

/* str_token_line: one line of visible ASCII, its newline cut off */
static void test_token_line(void **state)
{
	char a[] = "name:s3cret\r\n", b[] = "two words\n", c[] = "\n", d[] = "a\0b";

	(void)state;
	assert_int_equal(str_token_line(a, strlen(a)), 11);
	assert_string_equal(a, "name:s3cret");
	assert_int_equal(str_token_line(b, strlen(b)), -EINVAL);
	assert_int_equal(str_token_line(c, strlen(c)), -EINVAL);
	assert_int_equal(str_token_line(d, 3), -EINVAL);	/* a NUL inside */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wipe_buffer),
		cmocka_unit_test(test_token_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
