// SPDX-License-Identifier: GPL-2.0-or-later
/* PXE payload download: every file the manifest lists arrives intact in the
 * local directory (checked by payload_verify), a missing file on the server
 * is a clear error, and only http(s) locations are taken. The server is
 * python3's http.server on 127.0.0.1; skipped when python3 is missing. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "install/inst-payload-fetch.h"
#include "loopback-http.h"
#include "path.h"
#include "payload.h"
#include "runner.h"

static char dir[64], srv[128], dst[128], url[96];
static pid_t server;

static bool port_open(unsigned short port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

static int setup(void **state)
{
	struct payload_info pi = { 0 };
	struct ip_err err = { 0 };
	unsigned short port = lhttp_dead_port();
	char portstr[16], big[200000];

	(void)state;
	if (access("/usr/bin/python3", X_OK) != 0)
		return -1;
	snprintf(dir, sizeof(dir), "/tmp/ironpass-fetch-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(srv, sizeof(srv), "%s/srv/payload", dir);
	snprintf(dst, sizeof(dst), "%s/dst", dir);
	assert_int_equal(path_mkdirs(NULL, srv, 0755), 0);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	assert_int_equal(path_write_file(srv, "base.tar.zst", big, sizeof(big), 0644), 0);
	assert_int_equal(path_write_file(srv, "pool/a_1.0_all.deb", "deb", 3, 0644), 0);
	assert_int_equal(path_write_file(srv, "pool/Packages", "Package: a\n", 11, 0644), 0);
	assert_int_equal(payload_info_init(&pi, "pool", true, "bookworm", 0,
					   payload_default_packages), 0);
	assert_int_equal(payload_scan(srv, &pi, &err), 0);
	assert_int_equal(payload_manifest_write(srv, &pi, &err), 0);
	payload_info_release(&pi);

	snprintf(portstr, sizeof(portstr), "%u", port);
	server = fork();
	if (server == 0) {
		char root[128];
		int null = open("/dev/null", O_WRONLY);

		snprintf(root, sizeof(root), "%s/srv", dir);
		dup2(null, 1);
		dup2(null, 2);
		execlp("python3", "python3", "-m", "http.server", "--bind", "127.0.0.1", portstr,
		       "--directory", root, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100 && !port_open(port); i++)
		usleep(50000);
	assert_true(port_open(port));
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/payload", port);
	return 0;
}

static int teardown(void **state)
{
	struct runner r;

	(void)state;
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	runner_spawn_init(&r);
	runner_run(&r, (const char *const[]){ "rm", "-rf", dir, NULL }, NULL, NULL);
	return 0;
}

static void test_fetch_all(void **state)
{
	struct payload_info pi = { 0 };
	struct ip_err err = { 0 };

	(void)state;
	if (inst_payload_fetch(url, dst, &err) < 0)
		fail_msg("%s", ip_err_msg(&err));
	assert_int_equal(payload_verify(dst, &pi, &err), 0);
	assert_int_equal(pi.n_files, 3);
	assert_true(path_exists(dst, "pool/a_1.0_all.deb"));
	payload_info_release(&pi);
}

static void test_missing_file(void **state)
{
	struct ip_err err = { 0 };
	char gone[160];

	(void)state;
	snprintf(gone, sizeof(gone), "%s/pool/a_1.0_all.deb", srv);
	assert_int_equal(unlink(gone), 0);
	assert_int_equal(inst_payload_fetch(url, dst, &err), -EPROTO);
	assert_non_null(strstr(ip_err_msg(&err), "a_1.0_all.deb"));
	/* no half-written file is left behind */
	assert_false(path_exists(dst, "pool/a_1.0_all.deb.part"));
}

static void test_not_a_url(void **state)
{
	struct ip_err err = { 0 };

	(void)state;
	assert_false(inst_payload_is_url("/run/live/medium/payload"));
	assert_false(inst_payload_is_url("ftp://example.invalid/payload"));
	assert_true(inst_payload_is_url("http://10.0.2.2:8080/payload/"));
	assert_int_equal(inst_payload_fetch("file:/x", dst, &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fetch_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test(test_not_a_url),
	};
	if (access("/usr/bin/python3", X_OK) != 0)
		return 77;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
