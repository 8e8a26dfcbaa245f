// SPDX-License-Identifier: GPL-2.0-or-later
/* HTTP fetches: body, retries with backoff, limits, schemes, and certificate pinning. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "fake-runner.h"
#include "hw-tree.h"
#include "install/inst-http.h"
#include "loopback-http.h"

static void test_fetch(void **state)
{
	static const int ok[] = { 200, 0 };
	struct inst_http_opts o = { .timeout_s = 5 };
	struct ip_err err = { 0 };
	struct lhttp s;
	char *body = NULL, url[128];
	size_t len = 0;
	long status = 0;

	(void)state;
	assert_int_equal(lhttp_start(&s, ok, "[global]\nkeyboard = \"de\"\n"), 0);
	snprintf(url, sizeof(url), "%s/answers/node1.toml?token=x", s.url);
	assert_int_equal(inst_http_fetch(url, &o, &body, &len, &status, &err), 0);
	lhttp_stop(&s);
	assert_int_equal(status, 200);
	assert_string_equal(body, "[global]\nkeyboard = \"de\"\n");
	assert_int_equal(len, strlen(body));
	assert_true(strncmp(s.req, "GET /answers/node1.toml?token=x HTTP/1.1\r\n", 42) == 0);
	free(body);
}

static void test_retries(void **state)
{
	static const int flaky[] = { 503, 503, 200, 0 }, missing[] = { 404, 0 };
	struct inst_http_opts o = { .timeout_s = 5, .tries = 3, .backoff_ms = 1 };
	struct ip_err err = { 0 };
	struct lhttp s;
	char *body = NULL;

	(void)state;
	assert_int_equal(lhttp_start(&s, flaky, "ok"), 0);
	assert_int_equal(inst_http_fetch(s.url, &o, &body, NULL, NULL, &err), 0);
	lhttp_stop(&s);
	assert_int_equal(s.n_requests, 3);
	assert_string_equal(body, "ok");
	free(body);
	/* two tries are not enough */
	o.tries = 2;
	assert_int_equal(lhttp_start(&s, flaky, "ok"), 0);
	assert_int_equal(inst_http_fetch(s.url, &o, &body, NULL, NULL, &err), -EPROTO);
	lhttp_stop(&s);
	assert_int_equal(s.n_requests, 2);
	assert_non_null(strstr(err.msg, "HTTP status 503"));
	/* 404 is final: no retry */
	o.tries = 3;
	assert_int_equal(lhttp_start(&s, missing, "no"), 0);
	assert_int_equal(inst_http_fetch(s.url, &o, &body, NULL, NULL, &err), -EPROTO);
	lhttp_stop(&s);
	assert_int_equal(s.n_requests, 1);
}

static void test_limits(void **state)
{
	static const int ok[] = { 200, 0 };
	struct inst_http_opts o = { .timeout_s = 5, .max_size = 4, .tries = 1 };
	struct ip_err err = { 0 };
	struct lhttp s;
	char *body = NULL, url[64];
	struct timespec a, b;

	(void)state;
	assert_int_equal(lhttp_start(&s, ok, "0123456789"), 0);
	assert_int_equal(inst_http_fetch(s.url, &o, &body, NULL, NULL, &err), -EFBIG);
	lhttp_stop(&s);
	assert_null(body);
	assert_int_equal(inst_http_fetch("ftp://127.0.0.1/x", &o, &body, NULL, NULL, &err),
			 -EINVAL);
	assert_int_equal(inst_http_fetch("file:///etc/passwd", &o, &body, NULL, NULL, &err),
			 -EINVAL);
	/* the refused URL is shown without its credentials or query */
	assert_int_equal(inst_http_fetch("ftp://user:Pw-7x@h.example/x?token=Tk-9", &o, &body,
					 NULL, NULL, &err), -EINVAL);
	assert_string_equal(err.msg, "unsupported url 'ftp://h.example/x': only http and https");
	assert_int_equal(inst_http_fetch("user:Pw-7x@h.example/x", &o, &body, NULL, NULL, &err),
			 -EINVAL);
	assert_null(strstr(err.msg, "Pw-7x"));
	o.fingerprint = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	assert_int_equal(inst_http_fetch(s.url, &o, &body, NULL, NULL, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "needs an https url"));
	assert_int_equal(inst_http_fetch("http://u:Pw-7x@h.example/", &o, &body, NULL, NULL, &err),
			 -EINVAL);
	assert_null(strstr(err.msg, "Pw-7x"));
	o.fingerprint = NULL;
	/* nobody listening: refused after the bounded tries, quickly */
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/", lhttp_dead_port());
	o.tries = 2;
	o.backoff_ms = 10;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(inst_http_fetch(url, &o, &body, NULL, NULL, &err), -ECONNREFUSED);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec < 5);
}

static void test_helpers(void **state)
{
	unsigned char fp[INST_HTTP_FP_LEN];
	char *s;

	(void)state;
	assert_int_equal(inst_http_fp_parse("00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
					    "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff", fp),
			 0);
	assert_int_equal(fp[10], 0xaa);
	assert_int_equal(inst_http_fp_parse("00112233445566778899aabbccddeeff00112233445566778899"
					    "aabbccddeeff", fp), 0);
	assert_int_equal(inst_http_fp_parse("00:11", fp), -EINVAL);
	assert_int_equal(inst_http_fp_parse("zz112233445566778899aabbccddeeff00112233445566778899"
					    "aabbccddeeff", fp), -EINVAL);
	s = inst_http_url_redact("https://user:pw@host.example:8443/a/b.toml?token=secret#x");
	assert_string_equal(s, "https://host.example:8443/a/b.toml");
	free(s);
}

/*
 * Redirects: an https URL is never followed down to plain http (the http
 * server sees no request, the token in the query is not in the message);
 * https → https and http → http are followed.
 */
static void test_redirects(void **state)
{
	struct lhttp_route tls_routes[4] = {
		{ .path = "/a.toml?token=s3cret", .status = 302 },
		{ .path = "/b.toml", .status = 301, .location = "/c.toml" },
		{ .path = "/c.toml", .body = "over https\n" },
	};
	struct lhttp_route plain_routes[3] = {
		{ .path = "/a.toml", .body = "over http\n" },
		{ .path = "/r", .status = 302, .location = "/a.toml" },
	};
	struct inst_http_opts o = { .timeout_s = 5 };
	struct ip_err err = { 0 };
	struct lhttp tls, plain;
	char url[256], loc[128], *body = NULL;

	(void)state;
	assert_int_equal(lhttp_start_routes(&plain, plain_routes, false), 0);
	assert_int_equal(lhttp_start_routes(&tls, tls_routes, true), 0);
	snprintf(loc, sizeof(loc), "%s/a.toml", plain.url);
	tls_routes[0].location = loc;
	o.fingerprint = tls.fingerprint;

	snprintf(url, sizeof(url), "%s/a.toml?token=s3cret", tls.url);
	assert_int_equal(inst_http_fetch(url, &o, &body, NULL, NULL, &err), -EPERM);
	assert_null(body);
	assert_int_equal(tls_routes[0].hits, 1);
	assert_int_equal(plain.n_requests, 0);
	snprintf(url, sizeof(url), "cannot fetch '%s/a.toml': refusing its redirect from https "
		 "to plain http '%s/a.toml'", tls.url, plain.url);
	assert_string_equal(err.msg, url);

	snprintf(url, sizeof(url), "%s/b.toml", tls.url);
	assert_int_equal(inst_http_fetch(url, &o, &body, NULL, NULL, &err), 0);
	assert_string_equal(body, "over https\n");
	free(body);
	body = NULL;

	o.fingerprint = NULL;
	snprintf(url, sizeof(url), "%s/r", plain.url);
	assert_int_equal(inst_http_fetch(url, &o, &body, NULL, NULL, &err), 0);
	assert_string_equal(body, "over http\n");
	free(body);
	lhttp_stop(&tls);
	lhttp_stop(&plain);
	assert_int_equal(tls_routes[2].hits, 1);
	assert_int_equal(plain_routes[0].hits, 1);
}

/* --- pinning against `openssl s_server` with a fresh self-signed certificate --- */

static int wait_port(unsigned short port)
{
	for (int i = 0; i < 100; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct timespec ts = { 0, 50 * 1000000L };

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
			close(fd);
			return 0;
		}
		close(fd);
		nanosleep(&ts, NULL);
	}
	return -1;
}

static void cert_fp(const char *pem, char *hex)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	FILE *f = fopen(pem, "re");
	X509 *x;

	assert_non_null(f);
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(x);
	assert_true(X509_digest(x, EVP_sha256(), md, &n));
	for (unsigned int i = 0; i < n; i++)
		snprintf(hex + 3 * i, 4, "%02X%s", md[i], i + 1 < n ? ":" : "");
	X509_free(x);
}

static void test_pinning(void **state)
{
	struct inst_http_opts o = { .timeout_s = 10, .tries = 1 };
	struct ip_err err = { 0 };
	struct runner r;
	char *dir = hwt_new(), key[PATH_MAX], crt[PATH_MAX], acc[32], url[64], fp[128];
	const char *gen[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
			      "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out",
			      crt, "-days", "1", "-subj", "/CN=ironpass-test", NULL };
	unsigned short port = lhttp_dead_port();
	char *body = NULL;
	pid_t pid;

	(void)state;
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	snprintf(crt, sizeof(crt), "%s/crt.pem", dir);
	runner_spawn_init(&r);
	if (runner_check(&r, gen, NULL, NULL) < 0) {
		hwt_free(dir);
		skip();
	}
	cert_fp(crt, fp);
	snprintf(acc, sizeof(acc), "127.0.0.1:%u", port);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execlp("openssl", "openssl", "s_server", "-quiet", "-accept", acc, "-cert", crt,
		       "-key", key, "-www", (char *)NULL);
		_exit(127);
	}
	assert_int_equal(wait_port(port), 0);
	snprintf(url, sizeof(url), "https://127.0.0.1:%u/", port);

	o.fingerprint = fp;
	assert_int_equal(inst_http_fetch(url, &o, &body, NULL, NULL, &err), 0);
	assert_non_null(body);
	free(body);
	body = NULL;
	/* one byte off: the handshake is refused, nothing is fetched */
	fp[0] = fp[0] == 'A' ? 'B' : 'A';
	assert_int_equal(inst_http_fetch(url, &o, &body, NULL, NULL, &err), -EPERM);
	assert_non_null(strstr(err.msg, "does not match the pinned fingerprint"));
	assert_null(body);
	/* no pin: the self-signed certificate fails normal verification */
	o.fingerprint = NULL;
	assert_true(inst_http_fetch(url, &o, &body, NULL, NULL, &err) < 0);
	assert_null(body);

	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	hwt_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch),
		cmocka_unit_test(test_retries),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_redirects),
		cmocka_unit_test(test_pinning),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
