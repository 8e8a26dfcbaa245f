// SPDX-License-Identifier: GPL-2.0-or-later
/* Where the answer comes from: kernel command line words and the order of sources. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "hw-build.h"
#include "hw-tree.h"
#include "install/inst-answer-src.h"
#include "install/inst-sysinfo.h"
#include "log.h"
#include "log-capture.h"
#include "loopback-http.h"
#include "runner.h"

static void test_cmdline(void **state)
{
	struct inst_cmdline c;
	struct ip_err err = { 0 };
	static const char line[] =
		"BOOT_IMAGE=/live/vmlinuz boot=live quiet "
		"ironpass.auto ironpass.answer=http://10.0.2.2:8000/a.toml "
		"ironpass.webhook=\"https://hooks.example/x?y=1\" "
		"ironpass.payload=http://10.0.2.2/p ironpass.debug=0 "
		"ironpass.payload-sha256=00112233445566778899aabbccddeeff"
		"00112233445566778899AABBCCDDEEFF "
		"ironpass.answer-fingerprint=AB:CD ironpass.frobnicate=1 "
		"-- ironpass.answer=ignored\n";

	(void)state;
	assert_int_equal(inst_cmdline_parse(line, &c, &err), 0);
	assert_true(c.automatic);
	assert_false(c.debug);
	assert_string_equal(c.answer, "http://10.0.2.2:8000/a.toml");
	assert_string_equal(c.webhook, "https://hooks.example/x?y=1");
	assert_string_equal(c.payload, "http://10.0.2.2/p");
	/* kept as given: the fetch step checks it (a bad one must not stop `start`) */
	assert_string_equal(c.payload_sha256, "00112233445566778899aabbccddeeff"
			    "00112233445566778899AABBCCDDEEFF");
	assert_string_equal(c.answer_fp, "AB:CD");
	inst_cmdline_release(&c);

	assert_int_equal(inst_cmdline_parse("quiet splash", &c, &err), 0);
	assert_false(c.automatic);
	assert_null(c.answer);
	inst_cmdline_release(&c);
	assert_int_equal(inst_cmdline_parse("ironpass.auto=maybe", &c, &err), -EINVAL);
	assert_int_equal(inst_cmdline_parse("ironpass.answer=", &c, &err), -EINVAL);
	assert_string_equal(err.msg, "kernel command line word 'ironpass.answer' needs a value");
}

static char err_msg[IP_ERR_MSG_MAX];	/* the last find()'s message */

static void find(const char *sys, struct fake_runner *f, const char *cmdline,
		 struct inst_answer_src *s, int want)
{
	struct inst_cmdline c;
	struct ip_err err = { 0 };

	assert_int_equal(inst_cmdline_parse(cmdline, &c, &err), 0);
	assert_int_equal(inst_answer_src_find(sys, &f->r, &c, NULL, s, &err), want);
	snprintf(err_msg, sizeof(err_msg), "%s", err.msg);
	inst_cmdline_release(&c);
}

/* a program that really runs (to make test images); the code under test never does */
static void tool(const char *const *argv)
{
	struct runner r;

	runner_spawn_init(&r);
	if (runner_check(&r, argv, NULL, NULL) < 0)
		fail_msg("%s", ip_err_msg(&r.err));
}

/* a block device NAME under sys with a FAT filesystem labelled LABEL (mkfs.fat) */
static void label_dev(const char *sys, const char *name, const char *label)
{
	char rel[64], img[PATH_MAX];
	const char *mkfs[] = { "mkfs.fat", "-C", "-n", label, img, "1024", NULL };

	snprintf(rel, sizeof(rel), "/sys/class/block/%s/dev", name);
	hwt_file(sys, rel, "8:1\n");
	snprintf(rel, sizeof(rel), "/dev/%s", name);
	hwt_file(sys, rel, "");
	snprintf(img, sizeof(img), "%s%s", sys, rel);
	unlink(img);		/* mkfs.fat -C creates it */
	tool(mkfs);
}

static void test_order(void **state)
{
	struct inst_answer_src s;
	struct fake_runner f;
	char *sys = hwt_new(), want[PATH_MAX];

	(void)state;
	fake_runner_init(&f);
	/* nothing anywhere: interactive, unless ironpass.auto */
	find(sys, &f, "quiet", &s, 0);
	assert_int_equal(s.origin, INST_ANS_INTERACTIVE);
	assert_null(s.text);
	find(sys, &f, "ironpass.auto", &s, -ENOENT);

	hwt_file(sys, INST_SEED_PROFILE, "# profile\n");
	find(sys, &f, "", &s, 0);
	assert_int_equal(s.origin, INST_ANS_PROFILE);
	inst_answer_src_release(&s);

	hwt_file(sys, INST_SEED_ANSWER, "# seed\n");
	find(sys, &f, "", &s, 0);
	assert_int_equal(s.origin, INST_ANS_SEED);
	assert_string_equal(s.text, "# seed\n");
	inst_answer_src_release(&s);

	hwt_file(sys, INST_MEDIUM_ANSWER, "# medium\n");
	find(sys, &f, "", &s, 0);
	assert_int_equal(s.origin, INST_ANS_MEDIUM);
	assert_string_equal(s.text, "# medium\n");
	inst_answer_src_release(&s);

	/* a PROXMOX-AIS partition beats the medium; mounted read-only, nosuid, nodev,
	 * noexec with its type named, unmounted after */
	label_dev(sys, "sdb1", "PROXMOX-AIS");
	hwt_file(sys, INST_ANSWER_MNT "/answer.toml", "# partition\n");
	find(sys, &f, "", &s, 0);
	assert_int_equal(s.origin, INST_ANS_PARTITION);
	assert_string_equal(s.text, "# partition\n");
	assert_int_equal(f.n_calls, 2);
	snprintf(want, sizeof(want), "mount -t vfat -o ro,nosuid,nodev,noexec /dev/sdb1 %s%s", sys,
		 INST_ANSWER_MNT);
	assert_string_equal(f.calls[0].cmd, want);
	snprintf(want, sizeof(want), "umount %s%s", sys, INST_ANSWER_MNT);
	assert_string_equal(f.calls[1].cmd, want);
	inst_answer_src_release(&s);
	fake_runner_release(&f);

	/* IRONPASS beats PROXMOX-AIS */
	label_dev(sys, "sdc1", "IRONPASS");
	find(sys, &f, "", &s, 0);
	assert_string_equal(s.where, "/dev/sdc1 (label IRONPASS)");
	inst_answer_src_release(&s);
	fake_runner_release(&f);

	/* the command line beats everything: label:NAME */
	label_dev(sys, "sdd2", "NODE7");
	find(sys, &f, "ironpass.answer=label:NODE7", &s, 0);
	assert_int_equal(s.origin, INST_ANS_LABEL);
	assert_string_equal(s.where, "/dev/sdd2 (label NODE7)");
	inst_answer_src_release(&s);
	fake_runner_release(&f);
	/* an explicit source that is missing is an error, no fall-through */
	find(sys, &f, "ironpass.answer=label:NOPE", &s, -ENOENT);
	assert_int_equal(f.n_calls, 0);
	/* a mount that fails is an error too */
	fake_runner_push(&f, 32, "", "mount: wrong fs type\n");
	find(sys, &f, "ironpass.answer=label:NODE7", &s, -EIO);
	fake_runner_release(&f);

	/* two partitions with the label: refused, naming both, nothing mounted */
	label_dev(sys, "sde1", "IRONPASS");
	find(sys, &f, "", &s, -ENOTUNIQ);
	assert_int_equal(f.n_calls, 0);
	assert_string_equal(err_msg, "2 partitions are labelled 'IRONPASS' ('/dev/sdc1' and "
			    "'/dev/sde1'): refusing to guess which answer file is meant; relabel "
			    "or remove the others");
	fake_runner_release(&f);
	hwt_free(sys);
}

/* a label on a filesystem we do not mount is refused with its type */
static void test_label_type(void **state)
{
	struct inst_answer_src s;
	struct fake_runner f;
	char *sys = hwt_new(), img[PATH_MAX];
	const char *mkswap[] = { "mkswap", "-q", "-L", "IRONPASS", img, NULL };

	(void)state;
	fake_runner_init(&f);
	hwt_file(sys, "/sys/class/block/sdf1/dev", "8:81\n");
	hwt_file(sys, "/dev/sdf1", "");
	snprintf(img, sizeof(img), "%s/dev/sdf1", sys);
	assert_int_equal(truncate(img, 1 << 20), 0);
	tool(mkswap);
	find(sys, &f, "", &s, -EMEDIUMTYPE);
	assert_int_equal(f.n_calls, 0);
	assert_string_equal(err_msg, "cannot read the answer on '/dev/sdf1' labelled 'IRONPASS': "
			    "filesystem 'swap' is not one of vfat, exfat, iso9660, udf, ext2/3/4, "
			    "xfs, btrfs");
	fake_runner_release(&f);
	hwt_free(sys);
}

static void test_url(void **state)
{
	static const int flaky[] = { 503, 200, 0 };
	struct inst_answer_src_opts o = { .tries = 3, .backoff_ms = 1, .timeout_s = 5 };
	struct inst_answer_src s;
	struct inst_cmdline c;
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct lhttp srv;
	char *sys = hwt_new(), line[256];

	(void)state;
	fake_runner_init(&f);
	hwt_file(sys, INST_MEDIUM_ANSWER, "# medium\n");
	assert_int_equal(lhttp_start(&srv, flaky, "[global]\nfqdn = \"n1.example\"\n"), 0);
	snprintf(line, sizeof(line), "ironpass.answer=%s/n1.toml", srv.url);
	assert_int_equal(inst_cmdline_parse(line, &c, &err), 0);
	log_capture_start();
	assert_int_equal(inst_answer_src_find(sys, &f.r, &c, &o, &s, &err), 0);
	log_capture_stop();
	lhttp_stop(&srv);
	/* plain http: a warning that says what is at stake and how to use https */
	snprintf(line, sizeof(line), "answer file '%s/n1.toml' comes over plain http: anyone on "
		 "the network can read it", srv.url);
	assert_non_null(strstr(log_captured_warnings(), line));
	assert_non_null(strstr(log_captured_warnings(), "ironpass.answer-fingerprint="));
	assert_int_equal(s.origin, INST_ANS_URL);
	assert_string_equal(s.text, "[global]\nfqdn = \"n1.example\"\n");
	assert_int_equal(srv.n_requests, 2);
	inst_answer_src_release(&s);
	/* the server is gone now: an error, not the medium's answer */
	o.tries = 2;
	assert_true(inst_answer_src_find(sys, &f.r, &c, &o, &s, &err) < 0);
	assert_null(s.text);
	inst_cmdline_release(&c);
	fake_runner_release(&f);
	hwt_free(sys);
}

/* https with the certificate pinned: no warning */
static void test_url_https(void **state)
{
	struct lhttp_route routes[2] = { { .path = "/n1.toml", .body = "# over https\n" } };
	struct inst_answer_src_opts o = { .tries = 1, .timeout_s = 5 };
	struct inst_answer_src s;
	struct inst_cmdline c;
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct lhttp srv;
	char line[512];

	(void)state;
	fake_runner_init(&f);
	assert_int_equal(lhttp_start_routes(&srv, routes, true), 0);
	snprintf(line, sizeof(line), "ironpass.answer=%s/n1.toml ironpass.answer-fingerprint=%s",
		 srv.url, srv.fingerprint);
	assert_int_equal(inst_cmdline_parse(line, &c, &err), 0);
	log_capture_start();
	if (inst_answer_src_find(NULL, &f.r, &c, &o, &s, &err) < 0)
		fail_msg("%s", ip_err_msg(&err));
	log_capture_stop();
	lhttp_stop(&srv);
	assert_string_equal(s.text, "# over https\n");
	assert_string_equal(log_captured_warnings(), "");
	inst_answer_src_release(&s);
	inst_cmdline_release(&c);
	fake_runner_release(&f);
}

/* The node POSTs its system information to the URL its MAC names; the TOML comes back. */
static void test_url_per_node(void **state)
{
	struct lhttp_route routes[] = {
		{ .path = "/nodes/58:47:ca:00:00:02.toml?token=s3cret", .body = "# node 2\n" },
		{ .path = NULL },
	};
	struct inst_answer_src_opts o = { .tries = 1, .timeout_s = 5 };
	struct inst_answer_src s;
	struct inst_cmdline c;
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct lhttp srv;
	struct hw hw;
	char line[512], *json = NULL;

	(void)state;
	fake_runner_init(&f);
	hwb_rack_node(&hw);
	o.hw = &hw;
	assert_int_equal(inst_sysinfo_json(&hw, &json, &err), 0);
	assert_int_equal(lhttp_start_routes(&srv, routes, false), 0);
	snprintf(line, sizeof(line), "ironpass.answer=http://u:pw@%.40s/nodes/{mac}.toml?token=s3cret",
		 srv.url + 7);
	assert_int_equal(inst_cmdline_parse(line, &c, &err), 0);
	log_capture_start();
	if (inst_answer_src_find(NULL, &f.r, &c, &o, &s, &err) < 0)
		fail_msg("%s", ip_err_msg(&err));
	log_capture_stop();
	lhttp_stop(&srv);
	assert_int_equal(routes[0].hits, 1);
	assert_string_equal(s.text, "# node 2\n");
	assert_int_equal(s.origin, INST_ANS_URL);
	snprintf(line, sizeof(line), "%s/nodes/58:47:ca:00:00:02.toml", srv.url);
	assert_string_equal(s.where, line);
	/* a POST of the sysinfo JSON, asking for TOML */
	assert_true(!strncmp(srv.req, "POST /nodes/58:47:ca:00:00:02.toml?token=s3cret ", 48));
	assert_non_null(strcasestr(srv.req, "\r\nContent-Type: application/json\r\n"));
	assert_non_null(strcasestr(srv.req, "\r\nAccept: application/toml\r\n"));
	assert_int_equal(strlen(srv.bodies), strlen(json) + 1);
	assert_true(!strncmp(srv.bodies, json, strlen(json)));
	/* the token and the password are never logged */
	assert_null(strstr(log_captured(), "s3cret"));
	assert_null(strstr(log_captured(), "pw"));
	inst_answer_src_release(&s);
	inst_cmdline_release(&c);
	free(json);
	hwb_release(&hw);
	fake_runner_release(&f);
}

/* 404 for this node, or a URL this node cannot form: ironpass.answer-default */
static void test_url_default(void **state)
{
	struct lhttp_route routes[] = {
		{ .path = "/default.toml?token=s3cret", .body = "# default\n" },
		{ .path = NULL },
	};
	struct inst_answer_src_opts o = { .tries = 3, .backoff_ms = 1, .timeout_s = 5 };
	struct inst_answer_src s;
	struct inst_cmdline c;
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct lhttp srv;
	struct hw hw;
	char line[512];

	(void)state;
	fake_runner_init(&f);
	hwb_rack_node(&hw);
	o.hw = &hw;
	assert_int_equal(lhttp_start_routes(&srv, routes, false), 0);
	snprintf(line, sizeof(line), "ironpass.answer=%s/nodes/{serial}.toml?token=s3cret "
		 "ironpass.answer-default=%s/default.toml?token=s3cret", srv.url, srv.url);
	assert_int_equal(inst_cmdline_parse(line, &c, &err), 0);
	log_capture_start();
	if (inst_answer_src_find(NULL, &f.r, &c, &o, &s, &err) < 0)
		fail_msg("%s", ip_err_msg(&err));
	assert_string_equal(s.text, "# default\n");
	snprintf(line, sizeof(line), "no answer file for this node at '%s/nodes/K2%%200042.toml' "
		 "(HTTP 404), asking 'ironpass.answer-default'", srv.url);
	assert_non_null(strstr(log_captured(), line));
	inst_answer_src_release(&s);
	/* no serial: straight to the default */
	snprintf(hw.dmi.product_serial, sizeof(hw.dmi.product_serial), "Default string");
	if (inst_answer_src_find(NULL, &f.r, &c, &o, &s, &err) < 0)
		fail_msg("%s", ip_err_msg(&err));
	log_capture_stop();
	lhttp_stop(&srv);
	assert_string_equal(s.text, "# default\n");
	snprintf(line, sizeof(line), "%s/default.toml", srv.url);
	assert_string_equal(s.where, line);
	assert_non_null(strstr(log_captured(), "this machine has no DMI value for '{serial}', "
			       "asking 'ironpass.answer-default'"));
	/* one 404 (not retried), two defaults */
	assert_int_equal(routes[0].hits, 2);
	assert_int_equal(srv.n_requests, 3);
	assert_null(strstr(log_captured(), "s3cret"));
	inst_answer_src_release(&s);
	inst_cmdline_release(&c);

	/* without a default a 404 is an error, as before */
	assert_int_equal(lhttp_start_routes(&srv, routes, false), 0);
	snprintf(line, sizeof(line), "ironpass.answer=%s/nodes/{mac}.toml", srv.url);
	assert_int_equal(inst_cmdline_parse(line, &c, &err), 0);
	assert_int_equal(inst_answer_src_find(NULL, &f.r, &c, &o, &s, &err), -EPROTO);
	lhttp_stop(&srv);
	snprintf(line, sizeof(line), "cannot fetch '%s/nodes/58:47:ca:00:00:02.toml': "
		 "HTTP status 404", srv.url);
	assert_string_equal(ip_err_msg(&err), line);
	inst_cmdline_release(&c);
	hwb_release(&hw);
	fake_runner_release(&f);
}

/* A placeholder we do not know: refused before anything is sent, whichever URL holds it. */
static void test_url_bad_placeholder(void **state)
{
	struct inst_answer_src_opts o = { .tries = 1, .timeout_s = 5 };
	struct inst_answer_src s;
	struct inst_cmdline c;
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct lhttp srv;
	char line[512];
	static const int ok[] = { 200, 0 };

	(void)state;
	fake_runner_init(&f);
	assert_int_equal(lhttp_start(&srv, ok, "# any\n"), 0);
	snprintf(line, sizeof(line), "ironpass.answer=%s/{hostname}.toml", srv.url);
	assert_int_equal(inst_cmdline_parse(line, &c, &err), 0);
	assert_int_equal(inst_answer_src_find(NULL, &f.r, &c, &o, &s, &err), -EINVAL);
	assert_string_equal(ip_err_msg(&err), "unknown placeholder '{hostname}' in "
			    "'ironpass.answer': use {mac}, {mac-dashes}, {serial}, {uuid} or "
			    "{product}");
	inst_cmdline_release(&c);
	snprintf(line, sizeof(line), "ironpass.answer=%s/a.toml "
		 "ironpass.answer-default=%s/{node}.toml", srv.url, srv.url);
	assert_int_equal(inst_cmdline_parse(line, &c, &err), 0);
	assert_int_equal(inst_answer_src_find(NULL, &f.r, &c, &o, &s, &err), -EINVAL);
	assert_string_equal(ip_err_msg(&err), "unknown placeholder '{node}' in "
			    "'ironpass.answer-default': use {mac}, {mac-dashes}, {serial}, {uuid} "
			    "or {product}");
	lhttp_stop(&srv);
	assert_int_equal(srv.n_requests, 0);
	assert_null(s.text);
	inst_cmdline_release(&c);
	fake_runner_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_label_type),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_url_https),
		cmocka_unit_test(test_url_per_node),
		cmocka_unit_test(test_url_default),
		cmocka_unit_test(test_url_bad_placeholder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
