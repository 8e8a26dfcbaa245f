// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PXE payload download against the loopback HTTP(S) server: every file the
 * manifest lists arrives intact (checked by payload_verify); a pinned
 * manifest that differs by one byte is refused before any other request
 * reaches the server; a file longer than its manifest size is cut off and
 * refused, its transfer stopped early; a trickling server meets the per-file
 * deadline; https never redirects down to http, http may go up to https; the
 * pin comes from the seed and/or ironpass.payload-sha256 and must agree; the
 * fetch step checks a payload on the medium too and warns when unpinned.
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

#include "hash.h"
#include "hw-tree.h"
#include "install/inst-payload-fetch.h"
#include "install/inst-steps.h"
#include "log-capture.h"
#include "log.h"
#include "loopback-http.h"
#include "path.h"
#include "payload.h"

#define BASE_SIZE	200000
#define HUGE_SIZE	(48u << 20)

/* A small payload on disk (srv/), its manifest text and pin, and routes serving it. */
struct fixture {
	char *tmp;
	char srv[PATH_MAX], dst[PATH_MAX];
	char *manifest;
	char pin[SHA256_HEX_LEN + 1];
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
	/* apt names a package with an epoch "a_1%3a1.0_all.deb" (a literal "%3a") */
	assert_int_equal(path_write_file(f->srv, "pool/a_1%3a1.0_all.deb", "deb", 3, 0644), 0);
	assert_int_equal(path_write_file(f->srv, "pool/Packages", "Package: a\n", 11, 0644), 0);
	assert_int_equal(payload_info_init(&pi, "pool", true, "bookworm", 0,
					   payload_default_packages), 0);
	assert_int_equal(payload_scan(f->srv, &pi, &err), 0);
	assert_int_equal(payload_manifest_write(f->srv, &pi, &err), 0);
	payload_info_release(&pi);
	assert_int_equal(path_read_all(f->srv, PAYLOAD_MANIFEST, 1 << 20, &f->manifest, &len), 0);
	assert_int_equal(sha256_buf(f->manifest, strlen(f->manifest), f->pin), 0);
	/* sorted as in the manifest: base.tar.zst, pool/Packages, pool/a_1%3a1.0_all.deb */
	f->routes[0] = (struct lhttp_route){ .path = "/payload/manifest.json",
					     .body = f->manifest };
	f->routes[1] = (struct lhttp_route){ .path = "/payload/base.tar.zst", .body = f->base,
					     .len = sizeof(f->base) };
	f->routes[2] = (struct lhttp_route){ .path = "/payload/pool/Packages",
					     .body = "Package: a\n" };
	/* …asked for with its '%' escaped, so the server finds that very name */
	f->routes[3] = (struct lhttp_route){ .path = "/payload/pool/a_1%253a1.0_all.deb",
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

static void test_fetch_pinned(void **state)
{
	struct fixture *f = fixture_new();
	struct inst_payload_fetch_opts o = { .pin = f->pin, .pin_from = "the test", .tries = 1 };
	struct payload_info pi = { 0 };
	struct ip_err err = { 0 };
	struct lhttp s;
	char url[128];

	(void)state;
	assert_int_equal(lhttp_start_routes(&s, f->routes, false), 0);
	snprintf(url, sizeof(url), "%s/payload", s.url);
	if (inst_payload_fetch(url, f->dst, &o, &err) < 0)
		fail_msg("%s", ip_err_msg(&err));
	lhttp_stop(&s);
	assert_int_equal(s.n_requests, 4);
	assert_int_equal(payload_verify(f->dst, &pi, &err), 0);
	payload_info_release(&pi);
	fixture_free(f);
}

/* One byte of the manifest changed: refused after the first request, nothing kept. */
static void test_pin_mismatch(void **state)
{
	struct fixture *f = fixture_new();
	struct inst_payload_fetch_opts o = { .pin = f->pin, .pin_from = "the test", .tries = 1 };
	struct ip_err err = { 0 };
	char url[160], want[160], served[SHA256_HEX_LEN + 1], *p;
	struct lhttp s;

	(void)state;
	p = strstr(f->manifest, "bookworm");
	assert_non_null(p);
	p[7] = 'n';			/* "bookworn": still a valid manifest */
	assert_int_equal(sha256_buf(f->manifest, strlen(f->manifest), served), 0);
	assert_int_equal(lhttp_start_routes(&s, f->routes, false), 0);
	/* user info in the URL: never in the message */
	snprintf(url, sizeof(url), "http://user:s3cret@127.0.0.1:%u/payload", s.port);
	assert_int_equal(inst_payload_fetch(url, f->dst, &o, &err), -EBADMSG);
	lhttp_stop(&s);
	assert_int_equal(s.n_requests, 1);
	assert_int_equal(f->routes[0].hits, 1);
	assert_int_equal(f->routes[1].hits + f->routes[2].hits + f->routes[3].hits, 0);
	snprintf(want, sizeof(want), "payload manifest 'http://127.0.0.1:%u/payload/manifest.json' "
		 "does not match its pin: ", s.port);
	assert_non_null(strstr(err.msg, want));
	assert_non_null(strstr(err.msg, served));
	assert_non_null(strstr(err.msg, f->pin));
	assert_non_null(strstr(err.msg, "(by the test)"));
	assert_null(strstr(err.msg, "s3cret"));
	assert_false(path_exists(f->dst, PAYLOAD_MANIFEST));
	assert_false(path_exists(f->dst, PAYLOAD_MANIFEST ".part"));
	fixture_free(f);
}

/* base.tar.zst served 48 MiB long, announced (@declared) or not: stopped early and refused. */
static void too_long(bool declared)
{
	struct fixture *f = fixture_new();
	struct inst_payload_fetch_opts o = { .pin = f->pin, .pin_from = "the test", .tries = 1 };
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
	o.pin = g->pin;
	o.pin_from = "the test";
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

static void test_pin_read(void **state)
{
	static const char lower[] =
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	static const char upper[] =
		"00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF";
	static const char other[] =
		"ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	struct inst_payload_pin pin;
	struct ip_err err = { 0 };
	char *sys = hwt_new();

	(void)state;
	assert_int_equal(inst_payload_pin_read(sys, NULL, &pin, &err), 0);
	assert_string_equal(pin.sha256, "");
	/* the kernel command line alone, any case */
	assert_int_equal(inst_payload_pin_read(sys, upper, &pin, &err), 0);
	assert_string_equal(pin.sha256, lower);
	assert_string_equal(pin.from, "ironpass.payload-sha256");
	/* the seed alone (one line, as the builder writes it) */
	hwt_file(sys, INST_SEED_PAYLOAD_PIN, "00112233445566778899aabbccddeeff"
		 "00112233445566778899aabbccddeeff\n");
	assert_int_equal(inst_payload_pin_read(sys, NULL, &pin, &err), 0);
	assert_string_equal(pin.sha256, lower);
	assert_string_equal(pin.from, "the seed");
	/* both, equal */
	assert_int_equal(inst_payload_pin_read(sys, upper, &pin, &err), 0);
	assert_string_equal(pin.sha256, lower);
	assert_string_equal(pin.from, "ironpass.payload-sha256 and the seed");
	/* both, different: an error naming both */
	assert_int_equal(inst_payload_pin_read(sys, other, &pin, &err), -EINVAL);
	assert_string_equal(err.msg, "payload pins disagree: 'ironpass.payload-sha256' says "
			    "ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff, "
			    "the seed's '/etc/ironpass/payload.sha256' says "
			    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	/* malformed: 63 digits, or not hex */
	assert_int_equal(inst_payload_pin_read(sys, lower + 1, &pin, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "'ironpass.payload-sha256'"));
	hwt_file(sys, INST_SEED_PAYLOAD_PIN, "sha256:0011\n");
	assert_int_equal(inst_payload_pin_read(sys, NULL, &pin, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "invalid payload pin in '"));
	hwt_free(sys);
}

/* The step: pin from the seed for a download; the medium's payload checked; no pin warns. */
static void test_step(void **state)
{
	struct fixture *f = fixture_new();
	struct inst_ctx ctx = { 0 };
	char *sys = hwt_new(), url[128], line[SHA256_HEX_LEN + 2];
	struct lhttp s;

	(void)state;
	snprintf(line, sizeof(line), "%s\n", f->pin);
	hwt_file(sys, INST_SEED_PAYLOAD_PIN, line);
	ctx.sysroot = sys;

	/* ISO: the medium's payload matches the seed's pin */
	ctx.payload_dir = f->srv;
	log_capture_start();
	assert_int_equal(inst_fetch(&ctx), 0);
	log_capture_stop();
	assert_non_null(strstr(log_captured(), "matches its pin (by the seed)"));
	/* … and one that does not is refused */
	f->pin[0] = f->pin[0] == '0' ? '1' : '0';
	snprintf(line, sizeof(line), "%s\n", f->pin);
	hwt_file(sys, INST_SEED_PAYLOAD_PIN, line);
	assert_int_equal(inst_fetch(&ctx), -EBADMSG);
	assert_non_null(strstr(ctx.err.msg, "does not match its pin"));

	/* PXE with the (wrong) seed pin: only the manifest is asked for */
	assert_int_equal(lhttp_start_routes(&s, f->routes, false), 0);
	snprintf(url, sizeof(url), "%s/payload", s.url);
	ctx.payload_url = url;
	ctx.payload_dir = f->dst;
	assert_int_equal(inst_fetch(&ctx), -EBADMSG);
	assert_non_null(strstr(ctx.err.msg, "(by the seed)"));
	/* a command line pin that disagrees with the seed: nothing is asked for */
	ctx.payload_sha256 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	assert_int_equal(inst_fetch(&ctx), -EINVAL);
	lhttp_stop(&s);
	assert_int_equal(s.n_requests, 1);

	/* no pin anywhere: it installs, with a warning that says how to pin */
	hwt_rm(sys, INST_SEED_PAYLOAD_PIN);
	ctx.payload_sha256 = NULL;
	assert_int_equal(lhttp_start_routes(&s, f->routes, false), 0);
	snprintf(url, sizeof(url), "%s/payload", s.url);
	log_capture_start();
	assert_int_equal(inst_fetch(&ctx), 0);
	log_capture_stop();
	lhttp_stop(&s);
	assert_non_null(strstr(log_captured_warnings(), "/payload' is not pinned: "));
	assert_non_null(strstr(log_captured_warnings(), "ironpass.payload-sha256="));
	hwt_free(sys);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_unpinned),
		cmocka_unit_test(test_fetch_pinned),
		cmocka_unit_test(test_pin_mismatch),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_deadline_numbers),
		cmocka_unit_test(test_redirects),
		cmocka_unit_test(test_not_a_url),
		cmocka_unit_test(test_pin_read),
		cmocka_unit_test(test_step),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
