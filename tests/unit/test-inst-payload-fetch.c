// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PXE payload download against the loopback HTTP(S) server: every file the
 * manifest lists arrives intact (checked by payload_verify); a file longer
 * than its manifest size is cut off and refused, its transfer stopped early;
 * a trickling server meets the per-file deadline; https never redirects down
 * to http, http may go up to https.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "hw-tree.h"
#include "install/inst-payload-fetch.h"
#include "loopback-http.h"
#include "path.h"
#include "payload.h"

#define BASE_SIZE	200000
#define HUGE_SIZE	(48u << 20)

/* A small payload on disk (srv/), its manifest text, and routes serving it. */
struct fixture {
	char *tmp;
	char srv[PATH_MAX], dst[PATH_MAX];
	char *manifest;
	char base[BASE_SIZE];
	struct lhttp_route routes[5];
};

static struct fixture *fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct payload_info pi = { 0 };
	struct ip_err err = { 0 };
	size_t len;

	assert_non_null(f);
	f->tmp = hwt_new();
	snprintf(f->srv, sizeof(f->srv), "%s/srv", f->tmp);
	snprintf(f->dst, sizeof(f->dst), "%s/dst", f->tmp);
	assert_int_equal(path_mkdirs(f->tmp, "srv/pool", 0755), 0);
	for (size_t i = 0; i < sizeof(f->base); i++)
		f->base[i] = (char)(i * 7);
	assert_int_equal(path_write_file(f->srv, "base.tar.zst", f->base, sizeof(f->base), 0644),
			 0);
	assert_int_equal(path_write_file(f->srv, "pool/a_1.0_all.deb", "deb", 3, 0644), 0);
	assert_int_equal(path_write_file(f->srv, "pool/Packages", "Package: a\n", 11, 0644), 0);
	assert_int_equal(payload_info_init(&pi, "pool", true, "bookworm", 0,
					   payload_default_packages), 0);
	assert_int_equal(payload_scan(f->srv, &pi, &err), 0);
	assert_int_equal(payload_manifest_write(f->srv, &pi, &err), 0);
	payload_info_release(&pi);
	assert_int_equal(path_read_all(f->srv, PAYLOAD_MANIFEST, 1 << 20, &f->manifest, &len), 0);
	/* sorted as in the manifest: base.tar.zst, pool/Packages, pool/a_1.0_all.deb */
	f->routes[0] = (struct lhttp_route){ .path = "/payload/manifest.json",
					     .body = f->manifest };
	f->routes[1] = (struct lhttp_route){ .path = "/payload/base.tar.zst", .body = f->base,
					     .len = sizeof(f->base) };
	f->routes[2] = (struct lhttp_route){ .path = "/payload/pool/Packages",
					     .body = "Package: a\n" };
	f->routes[3] = (struct lhttp_route){ .path = "/payload/pool/a_1.0_all.deb",
					     .body = "deb" };
	return f;
}

static void fixture_free(struct fixture *f)
{
	hwt_free(f->tmp);
	free(f->manifest);
	free(f);
}

static void test_fetch_unpinned(void **state)
{
	struct fixture *f = fixture_new();
	struct inst_payload_fetch_opts o = { .tries = 1 };
	struct payload_info pi = { 0 };
	struct ip_err err = { 0 };
	struct lhttp s;
	char url[128];

	(void)state;
	assert_int_equal(lhttp_start_routes(&s, f->routes, false), 0);
	snprintf(url, sizeof(url), "%s/payload/", s.url);
	if (inst_payload_fetch(url, f->dst, &o, &err) < 0)
		fail_msg("%s", ip_err_msg(&err));
	lhttp_stop(&s);
	assert_int_equal(s.n_requests, 4);
	assert_int_equal(payload_verify(f->dst, &pi, &err), 0);
	assert_int_equal(pi.n_files, 3);
	payload_info_release(&pi);
	fixture_free(f);
}

/* base.tar.zst served 48 MiB long, announced (@declared) or not: stopped early and refused. */
static void too_long(bool declared)
{
	struct fixture *f = fixture_new();
	struct inst_payload_fetch_opts o = { .tries = 1 };
	struct ip_err err = { 0 };
	char url[128], *huge = malloc(HUGE_SIZE);
	struct lhttp s;

	assert_non_null(huge);
	memcpy(huge, f->base, sizeof(f->base));
	memset(huge + sizeof(f->base), 'x', HUGE_SIZE - sizeof(f->base));
	f->routes[1].body = huge;
	f->routes[1].len = HUGE_SIZE;
	f->routes[1].no_length = !declared;
	f->routes[1].chunk = 64 * 1024;
	assert_int_equal(lhttp_start_routes(&s, f->routes, false), 0);
	snprintf(url, sizeof(url), "%s/payload", s.url);
	assert_int_equal(inst_payload_fetch(url, f->dst, &o, &err), -EFBIG);
	lhttp_stop(&s);
	assert_non_null(strstr(err.msg, "payload file 'base.tar.zst' from 'http://127.0.0.1:"));
	assert_non_null(strstr(err.msg, "is longer than the 200000 bytes its manifest lists: "
				     "cut off and refused"));
	/* the transfer stopped soon after the limit, not at the end of the body */
	assert_true(f->routes[1].sent < HUGE_SIZE / 2);
	/* nothing after it was asked for, nothing of it kept */
	assert_int_equal(f->routes[2].hits + f->routes[3].hits, 0);
	assert_false(path_exists(f->dst, "base.tar.zst"));
	assert_false(path_exists(f->dst, "base.tar.zst.part"));
	free(huge);
	fixture_free(f);
}

static void test_too_long(void **state)
{
	(void)state;
	too_long(false);
	too_long(true);
}

/* A server that trickles (about 3 KiB/s, above the low-speed limit) meets the deadline. */
static void test_deadline(void **state)
{
	struct fixture *f = fixture_new();
	struct inst_payload_fetch_opts o = { .tries = 1, .base_s = 1, .min_rate = 1u << 30 };
	struct ip_err err = { 0 };
	struct timespec a, b;
	struct lhttp s;
	char url[128];

	(void)state;
	f->routes[1].chunk = 1000;
	f->routes[1].delay_ms = 300;
	assert_int_equal(lhttp_start_routes(&s, f->routes, false), 0);
	snprintf(url, sizeof(url), "%s/payload", s.url);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(inst_payload_fetch(url, f->dst, &o, &err), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	lhttp_stop(&s);
	assert_true(b.tv_sec - a.tv_sec < 10);
	assert_non_null(strstr(err.msg, "cannot fetch 'http://127.0.0.1:"));
	assert_non_null(strstr(err.msg, "/payload/base.tar.zst"));
	assert_non_null(strstr(err.msg, "(deadline 1 s: 1 s plus 200000 bytes at "));
	assert_false(path_exists(f->dst, "base.tar.zst"));
	fixture_free(f);
}

static void test_deadline_numbers(void **state)
{
	struct inst_payload_fetch_opts o = { .base_s = 5, .min_rate = 1000 };

	(void)state;
	assert_int_equal(inst_payload_deadline_ms(NULL, 0), 60000);
	assert_int_equal(inst_payload_deadline_ms(NULL, 512 * 1024), 61000);
	/* a 250 MB base.tar.zst: 60 s + 476.8 s */
	assert_int_equal(inst_payload_deadline_ms(NULL, 250000000ULL), 536837);
	/* the manifest's allowance: 16 MiB → 60 s + 32 s */
	assert_int_equal(inst_payload_deadline_ms(NULL, INST_FETCH_MANIFEST_MAX), 92000);
	assert_int_equal(inst_payload_deadline_ms(&o, 1500), 6500);
	/* capped at a day */
	assert_int_equal(inst_payload_deadline_ms(NULL, ~0ULL), 24L * 3600 * 1000);
}

/* https → http is refused (nothing reaches the http server); http → https is followed. */
static void test_redirects(void **state)
{
	struct fixture *f = fixture_new(), *g = fixture_new();
	struct inst_payload_fetch_opts o = { .tries = 1 };
	struct lhttp_route down[2] = { { .path = "/payload/manifest.json", .status = 302 } };
	struct lhttp_route up[5];
	struct ip_err err = { 0 };
	struct lhttp tls, plain;
	char loc[5][160], url[128];

	(void)state;
	assert_int_equal(lhttp_start_routes(&plain, f->routes, false), 0);
	assert_int_equal(lhttp_start_routes(&tls, down, true), 0);
	snprintf(loc[0], sizeof(loc[0]), "%s/payload/manifest.json", plain.url);
	down[0].location = loc[0];
	o.ca_pem = tls.cert_pem;
	snprintf(url, sizeof(url), "%s/payload", tls.url);
	assert_int_equal(inst_payload_fetch(url, f->dst, &o, &err), -EPERM);
	lhttp_stop(&tls);
	lhttp_stop(&plain);
	assert_int_equal(down[0].hits, 1);
	assert_int_equal(plain.n_requests, 0);
	assert_non_null(strstr(err.msg, "/payload/manifest.json': refusing its redirect from "
				     "https to plain http 'http://127.0.0.1:"));
	assert_false(path_exists(f->dst, PAYLOAD_MANIFEST));

	/* up: every file redirected from http to the https server */
	assert_int_equal(lhttp_start_routes(&tls, g->routes, true), 0);
	memset(up, 0, sizeof(up));
	for (size_t i = 0; i < 4; i++) {
		snprintf(loc[i], sizeof(loc[i]), "%s%s", tls.url, g->routes[i].path);
		up[i] = (struct lhttp_route){ .path = g->routes[i].path, .status = 301,
					      .location = loc[i] };
	}
	assert_int_equal(lhttp_start_routes(&plain, up, false), 0);
	o.ca_pem = tls.cert_pem;
	snprintf(url, sizeof(url), "%s/payload", plain.url);
	if (inst_payload_fetch(url, g->dst, &o, &err) < 0)
		fail_msg("%s", ip_err_msg(&err));
	lhttp_stop(&plain);
	lhttp_stop(&tls);
	assert_int_equal(plain.n_requests, 4);
	assert_int_equal(tls.n_requests, 4);
	assert_int_equal(payload_verify(g->dst, NULL, &err), 0);
	fixture_free(f);
	fixture_free(g);
}

static void test_not_a_url(void **state)
{
	struct ip_err err = { 0 };

	(void)state;
	assert_false(inst_payload_is_url("/run/live/medium/payload"));
	assert_false(inst_payload_is_url("ftp://example.invalid/payload"));
	assert_true(inst_payload_is_url("http://10.0.2.2:8080/payload/"));
	assert_int_equal(inst_payload_fetch("file:/x", "/nonexistent", NULL, &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_unpinned),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_deadline_numbers),
		cmocka_unit_test(test_redirects),
		cmocka_unit_test(test_not_a_url),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
