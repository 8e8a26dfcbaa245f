// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ironpass.answer=http: the answer URL from networkd's DHCP lease files
 * (options 250/251) or from DNS TXT records asked of a real dnsmasq on
 * 127.0.0.1 (a high port, no DHCP, killed at the end and bounded by
 * timeout(1) in any case); the bearer token the answer server sees; the
 * deadline, measured.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
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

#include "fake-runner.h"
#include "hw-tree.h"
#include "install/inst-answer-discover.h"
#include "install/inst-answer-src.h"
#include "install/inst-http.h"
#include "log-capture.h"
#include "loopback-http.h"

extern char **environ;

/* "http://127.0.0.1:8000/a" as networkd writes a private option: hex of its bytes */
static void hexify(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && n + 3 <= size; s++, n += 2)
		snprintf(out + n, size - n, "%02x", (unsigned char)*s);
	out[n] = '\0';
}

static void test_option_text(void **state)
{
	char *s = NULL;

	(void)state;
	assert_int_equal(inst_dhcp_option_text("687474703a2f2f782f61", &s), 0);
	assert_string_equal(s, "http://x/a");
	free(s);
	/* a C string's NUL is dropped; upper-case hex is hex */
	assert_int_equal(inst_dhcp_option_text("4142430000", &s), 0);
	assert_string_equal(s, "ABC");
	free(s);
	assert_int_equal(inst_dhcp_option_text("4A4b", &s), 0);
	assert_string_equal(s, "JK");
	free(s);
	assert_int_equal(inst_dhcp_option_text("414", &s), -EINVAL);
	assert_null(s);
	assert_int_equal(inst_dhcp_option_text("41zz", &s), -EINVAL);
	/* a newline or a NUL inside: not text */
	assert_int_equal(inst_dhcp_option_text("410a42", &s), -EBADMSG);
	assert_int_equal(inst_dhcp_option_text("410042", &s), -EBADMSG);
	assert_null(s);
}

static const char lease_fmt[] =
	"# This is private data. Do not parse.\n"
	"ADDRESS=10.0.2.15\nNETMASK=255.255.255.0\nROUTER=10.0.2.2\n"
	"SERVER_ADDRESS=10.0.2.2\nLIFETIME=86400\n"
	"DNS=%s\n"
	"DOMAINNAME=%s\n"
	"DOMAIN_SEARCH_LIST=%s\n"
	"CLIENTID=ff5254001234560001\n"
	"%s";

static void test_lease_parse(void **state)
{
	char url[256], fp[256], opts[600], text[1024];
	struct inst_lease l;
	struct ip_err err = { 0 };

	(void)state;
	hexify("https://answers.rack.example/answer", url, sizeof(url));
	hexify("AB:CD:EF", fp, sizeof(fp));
	snprintf(opts, sizeof(opts), "OPTION_224=00\nOPTION_250=%s\nOPTION_251=%s\n", url, fp);
	snprintf(text, sizeof(text), lease_fmt, "10.0.2.3 10.0.2.4 bogus 10.0.2.3",
		 "rack.example", "lab.example. rack.example bad/name", opts);
	assert_int_equal(inst_lease_parse(text, &l, &err), 0);
	assert_string_equal(l.url, "https://answers.rack.example/answer");
	assert_string_equal(l.fp, "AB:CD:EF");
	/* the search list first, then the domain name; no duplicates, nothing odd */
	assert_int_equal(l.n_domains, 2);
	assert_string_equal(l.domains[0], "lab.example");
	assert_string_equal(l.domains[1], "rack.example");
	assert_int_equal(l.n_dns, 2);
	assert_string_equal(inet_ntoa(l.dns[0]), "10.0.2.3");
	assert_string_equal(inet_ntoa(l.dns[1]), "10.0.2.4");
	inst_lease_release(&l);

	/* no options, no search list: the domain name alone */
	snprintf(text, sizeof(text), lease_fmt, "10.0.2.3", "rack.example", "", "");
	assert_int_equal(inst_lease_parse(text, &l, &err), 0);
	assert_null(l.url);
	assert_null(l.fp);
	assert_int_equal(l.n_domains, 1);
	assert_string_equal(l.domains[0], "rack.example");
	inst_lease_release(&l);

	/* option 250 with a control character: refused, saying which option */
	snprintf(text, sizeof(text), lease_fmt, "", "", "", "OPTION_250=68740a70\n");
	assert_int_equal(inst_lease_parse(text, &l, &err), -EBADMSG);
	assert_string_equal(err.msg, "DHCP option 250 is not text (it holds a control character)");

	assert_int_equal(inst_resolv_parse("# generated\nnameserver 192.0.2.53\nnameserver ::1\n"
					   "search a.example b.example\noptions ndots:2\n", &l),
			 0);
	assert_int_equal(l.n_dns, 1);
	assert_int_equal(l.n_domains, 2);
	assert_string_equal(l.domains[1], "b.example");
	inst_lease_release(&l);
}

static void put_lease(const char *sys, int ifindex, const char *dns, const char *domain,
		      const char *url, const char *fp)
{
	char path[64], text[2048], opts[1200] = "", hex[520];

	if (url) {
		hexify(url, hex, sizeof(hex));
		snprintf(opts, sizeof(opts), "OPTION_250=%s\n", hex);
	}
	if (fp) {
		hexify(fp, hex, sizeof(hex));
		snprintf(opts + strlen(opts), sizeof(opts) - strlen(opts), "OPTION_251=%s\n", hex);
	}
	snprintf(text, sizeof(text), lease_fmt, dns, domain, "", opts);
	snprintf(path, sizeof(path), INST_LEASE_DIR "/%d", ifindex);
	hwt_file(sys, path, text);
}

static double since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * DHCP: the lowest interface whose lease holds option 250 wins, with its
 * own 251; the POST carries the seed's bearer token, which no log shows;
 * nothing runs (no partition search, no disk).
 */
static void test_dhcp_answer(void **state)
{
	struct lhttp_route routes[] = { { .path = "/answer", .body = "# from dhcp\n" },
					{ .path = NULL } };
	struct inst_answer_src_opts o = { .timeout_s = 5, .deadline_s = 20 };
	struct inst_answer_src s;
	struct inst_discovered d;
	struct inst_cmdline c;
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct lhttp srv;
	char *sys = hwt_new(), url[128];

	(void)state;
	fake_runner_init(&f);
	assert_int_equal(lhttp_start_routes(&srv, routes, false), 0);
	snprintf(url, sizeof(url), "%s/answer", srv.url);
	put_lease(sys, 7, "10.0.2.3", "rack.example", "http://192.0.2.1/wrong", NULL);
	put_lease(sys, 3, "10.0.2.3", "rack.example", url, NULL);
	put_lease(sys, 2, "10.0.2.3", "rack.example", NULL, "AB:CD");
	hwt_file(sys, INST_LEASE_DIR "/.#3abcdef", "OPTION_250=00\n");	/* networkd's temp file */
	hwt_file(sys, INST_SEED_TOKEN, "node-installer:s3cr3t-T0ken\n");

	assert_int_equal(inst_answer_discover(sys, NULL, &d, &err), 0);
	assert_int_equal(d.how, INST_DISC_DHCP);
	assert_string_equal(d.url, url);
	assert_null(d.fp);	/* interface 2's fingerprint does not pin interface 3's URL */
	assert_string_equal(d.where, "DHCP option 250 (interface 3)");
	inst_discovered_release(&d);

	assert_int_equal(inst_cmdline_parse("ironpass.auto ironpass.answer=http", &c, &err), 0);
	log_capture_start();
	if (inst_answer_src_find(sys, &f.r, &c, &o, &s, &err) < 0)
		fail_msg("%s", err.msg);
	log_capture_stop();
	lhttp_stop(&srv);
	assert_int_equal(s.origin, INST_ANS_URL);
	assert_string_equal(s.text, "# from dhcp\n");
	assert_non_null(strcasestr(srv.req, "\r\nAuthorization: Bearer node-installer:s3cr3t-T0ken\r\n"));
	assert_null(strstr(log_captured(), "s3cr3t"));
	assert_non_null(strstr(log_captured(), "answer URL from DHCP option 250 (interface 3)"));
	assert_int_equal(f.n_calls, 0);
	inst_answer_src_release(&s);
	inst_cmdline_release(&c);

	/* a token with a space (or a second line) is refused without showing it */
	hwt_file(sys, INST_SEED_TOKEN, "s3cr3t two\n");
	assert_int_equal(inst_cmdline_parse("ironpass.answer=http", &c, &err), 0);
	assert_int_equal(inst_answer_src_find(sys, &f.r, &c, &o, &s, &err), -EINVAL);
	assert_null(strstr(err.msg, "s3cr3t"));
	assert_non_null(strstr(err.msg, INST_SEED_TOKEN));
	inst_cmdline_release(&c);
	fake_runner_release(&f);
	hwt_free(sys);
}

/* A token on the kernel command line works, with a warning that names the better place. */
static void test_cmdline_token(void **state)
{
	struct lhttp_route routes[] = { { .path = "/a", .body = "# a\n" }, { .path = NULL } };
	struct inst_answer_src_opts o = { .timeout_s = 5, .deadline_s = 20 };
	struct inst_answer_src s;
	struct inst_cmdline c;
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct lhttp srv;
	char line[256];

	(void)state;
	fake_runner_init(&f);
	assert_int_equal(lhttp_start_routes(&srv, routes, false), 0);
	snprintf(line, sizeof(line), "ironpass.answer=%s/a ironpass.answer-token=cmd:L1ne", srv.url);
	assert_int_equal(inst_cmdline_parse(line, &c, &err), 0);
	log_capture_start();
	assert_int_equal(inst_answer_src_find(NULL, &f.r, &c, &o, &s, &err), 0);
	log_capture_stop();
	lhttp_stop(&srv);
	assert_non_null(strcasestr(srv.req, "\r\nAuthorization: Bearer cmd:L1ne\r\n"));
	assert_non_null(strstr(log_captured_warnings(), "--answer-token-file"));
	assert_null(strstr(log_captured(), "L1ne"));
	inst_answer_src_release(&s);
	inst_cmdline_release(&c);
	fake_runner_release(&f);
}

/* A lease that arrives while it waits is found (networkd is still asking). */
struct late {
	const char *sys;
	char url[128];
};

static void *late_lease(void *data)
{
	struct late *l = data;

	usleep(300 * 1000);
	put_lease(l->sys, 2, "10.0.2.3", "rack.example", l->url, "AB:CD");
	return NULL;
}

static void test_lease_arrives(void **state)
{
	struct inst_discover_opts o = { .poll_ms = 50 };
	struct late l = { .url = "https://192.0.2.1/answer" };
	struct inst_discovered d;
	struct ip_err err = { 0 };
	struct timespec t0;
	pthread_t t;
	char *sys = hwt_new();

	(void)state;
	l.sys = sys;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	o.deadline_ms = inst_now_ms() + 10000;
	assert_int_equal(pthread_create(&t, NULL, late_lease, &l), 0);
	log_capture_start();
	assert_int_equal(inst_answer_discover(sys, &o, &d, &err), 0);
	log_capture_stop();
	pthread_join(t, NULL);
	assert_true(since(&t0) >= 0.25 && since(&t0) < 5.0);
	assert_string_equal(d.url, "https://192.0.2.1/answer");
	assert_string_equal(d.fp, "AB:CD");
	assert_non_null(strstr(log_captured(), "no DHCP lease yet"));
	inst_discovered_release(&d);
	hwt_free(sys);
}

/* Nothing to find: -ENOENT at the deadline, not before, not long after. */
static void test_discover_deadline(void **state)
{
	struct inst_answer_src_opts so = { .deadline_s = 1, .poll_ms = 100 };
	struct inst_discover_opts o = { .poll_ms = 100 };
	struct inst_answer_src s;
	struct inst_discovered d;
	struct inst_cmdline c;
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct timespec t0;
	char *sys = hwt_new();
	double secs;

	(void)state;
	fake_runner_init(&f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	o.deadline_ms = inst_now_ms() + 1500;
	log_capture_start();
	assert_int_equal(inst_answer_discover(sys, &o, &d, &err), -ENOENT);
	log_capture_stop();
	secs = since(&t0);
	assert_true(secs >= 1.45 && secs < 3.0);
	assert_non_null(strstr(err.msg, "no DHCP lease in '" INST_LEASE_DIR "'"));
	assert_null(d.url);

	/* a lease without option 250, no DNS server: it says which part was missing */
	put_lease(sys, 2, "", "rack.example", NULL, NULL);
	o.deadline_ms = 0;	/* look once */
	assert_int_equal(inst_answer_discover(sys, &o, &d, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "no DHCP lease holds option 250; no search domain or "
			       "nameserver to ask DNS (1 search domain(s), 0 nameserver(s))"));

	/* through the search, with ironpass.answer-deadline's place taken by the option */
	assert_int_equal(inst_cmdline_parse("ironpass.auto ironpass.answer=http", &c, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(inst_answer_src_find(sys, &f.r, &c, &so, &s, &err), -ENOENT);
	secs = since(&t0);
	assert_true(secs >= 0.95 && secs < 3.0);
	assert_int_equal(f.n_calls, 0);
	inst_cmdline_release(&c);

	/* ironpass.answer-deadline parses; a bad one is the default, with a warning */
	log_capture_start();
	assert_int_equal(inst_cmdline_parse("ironpass.answer-deadline=90", &c, &err), 0);
	assert_int_equal(c.answer_deadline_s, 90);
	inst_cmdline_release(&c);
	assert_int_equal(inst_cmdline_parse("ironpass.answer-deadline=0", &c, &err), 0);
	assert_int_equal(c.answer_deadline_s, 0);
	inst_cmdline_release(&c);
	log_capture_stop();
	assert_non_null(strstr(log_captured_warnings(), "'ironpass.answer-deadline'"));
	fake_runner_release(&f);
	hwt_free(sys);
}

/*
 * The HTTP tries stop at the deadline: a server that never answers, a per-try
 * limit of 30 s, a deadline of 1.5 s.
 */
static void test_fetch_deadline(void **state)
{
	static const int unavailable[] = { 503, 0 };
	struct inst_answer_src_opts o = { .timeout_s = 30, .backoff_ms = 100, .deadline_s = 2 };
	struct inst_http_opts h = { .timeout_s = 30 };
	struct inst_answer_src s;
	struct inst_cmdline c;
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct timespec t0;
	struct lhttp srv;
	char url[128], line[256];
	double secs;

	(void)state;
	fake_runner_init(&f);
	assert_int_equal(lhttp_start_silent(&srv), 0);
	snprintf(url, sizeof(url), "%s/a", srv.url);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	h.deadline_ms = inst_now_ms() + 1500;
	assert_int_equal(inst_http_fetch(url, &h, NULL, NULL, NULL, &err), -ETIMEDOUT);
	secs = since(&t0);
	lhttp_stop(&srv);
	assert_true(secs >= 1.4 && secs < 3.0);

	/* a server that keeps failing: tries with back-off until the deadline, then stop */
	assert_int_equal(lhttp_start(&srv, unavailable, "busy"), 0);
	snprintf(line, sizeof(line), "ironpass.answer=%s/a", srv.url);
	assert_int_equal(inst_cmdline_parse(line, &c, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	log_capture_start();
	assert_int_equal(inst_answer_src_find(NULL, &f.r, &c, &o, &s, &err), -EPROTO);
	log_capture_stop();
	secs = since(&t0);
	lhttp_stop(&srv);
	assert_true(secs < 3.5);
	/* 100, 200, 400, 800 ms pauses fit into 2 s; 1600 more does not */
	assert_true(srv.n_requests >= 3 && srv.n_requests <= 6);
	assert_non_null(strstr(err.msg, "giving up at the deadline after"));
	inst_cmdline_release(&c);
	fake_runner_release(&f);
}

/* dnsmasq answering TXT records on 127.0.0.1:port; pid of its timeout(1) wrapper */
struct dns {
	pid_t pid;
	unsigned short port;
};

static unsigned short free_udp_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	unsigned short port = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static const char *find_dnsmasq(void)
{
	static const char *const where[] = { "/usr/sbin/dnsmasq", "/sbin/dnsmasq",
					     "/usr/bin/dnsmasq" };

	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (access(where[i], X_OK) == 0)
			return where[i];
	return NULL;
}

static int dns_start(struct dns *d, const char *const *records)
{
	const char *bin = find_dnsmasq();
	char port[32], *argv[32];
	struct in_addr lo = { htonl(INADDR_LOOPBACK) };
	size_t n = 0;

	if (!bin)
		return -ENOENT;
	d->port = free_udp_port();
	snprintf(port, sizeof(port), "--port=%u", d->port);
	argv[n++] = (char *)"timeout";
	argv[n++] = (char *)"60";
	argv[n++] = (char *)bin;
	argv[n++] = (char *)"--keep-in-foreground";
	argv[n++] = (char *)"--conf-file=/dev/null";
	argv[n++] = port;
	argv[n++] = (char *)"--listen-address=127.0.0.1";
	argv[n++] = (char *)"--bind-interfaces";
	argv[n++] = (char *)"--no-resolv";
	argv[n++] = (char *)"--no-hosts";
	argv[n++] = (char *)"--pid-file=";
	argv[n++] = (char *)"--local=/rack.example/";
	for (; *records && n < 30; records++)
		argv[n++] = (char *)*records;
	argv[n] = NULL;
	if (posix_spawnp(&d->pid, "timeout", NULL, NULL, argv, environ) != 0)
		return -errno;
	/* ready when the marker record answers (5 s at most) */
	for (int i = 0; i < 100; i++) {
		char *txt = NULL;

		if (inst_dns_txt(&lo, 1, d->port, 1, "ready.rack.example", &txt) == 0) {
			free(txt);
			return 0;
		}
		usleep(50 * 1000);
	}
	return -ETIMEDOUT;
}

static void dns_stop(struct dns *d)
{
	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		waitpid(d->pid, NULL, 0);
	}
	d->pid = 0;
}

#define DNS_FP "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static void test_dns_txt(void **state)
{
	struct lhttp_route routes[] = { { .path = "/dns", .body = "# from dns\n" },
					{ .path = NULL } };
	struct inst_answer_src_opts so = { .timeout_s = 5, .deadline_s = 20, .poll_ms = 50 };
	struct inst_discover_opts o = { 0 };
	struct in_addr lo = { htonl(INADDR_LOOPBACK) };
	struct inst_answer_src s;
	struct inst_discovered d;
	struct inst_cmdline c;
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct lhttp srv;
	struct dns dns = { 0 };
	char url_rec[256], want[128], *txt = NULL, *sys = hwt_new();
	const char *records[] = {
		"--txt-record=ready.rack.example,yes",
		url_rec,
		"--txt-record=" INST_DNS_FP_NAME ".rack.example," DNS_FP,
		"--txt-record=two.rack.example,a",
		"--txt-record=two.rack.example,b",
		"--txt-record=long.rack.example,http://x/,part2",
		NULL,
	};
	int ret;

	(void)state;
	assert_int_equal(lhttp_start_routes(&srv, routes, false), 0);
	snprintf(url_rec, sizeof(url_rec), "--txt-record=" INST_DNS_URL_NAME ".rack.example,%s/dns",
		 srv.url);
	ret = dns_start(&dns, records);
	if (ret == -ENOENT) {
		lhttp_stop(&srv);
		hwt_free(sys);
		skip();		/* no dnsmasq on this machine (tests/deps.sh installs it) */
	}
	if (ret < 0) {
		dns_stop(&dns);
		fail_msg("cannot start dnsmasq on 127.0.0.1:%u: %s", dns.port, strerror(-ret));
	}
	o.dns_port = so.dns_port = dns.port;

	/* the lookup itself: a record, none, two, one made of two strings */
	assert_int_equal(inst_dns_txt(&lo, 1, dns.port, 2, "two.rack.example", &txt), -ENOTUNIQ);
	assert_null(txt);
	assert_int_equal(inst_dns_txt(&lo, 1, dns.port, 2, "none.rack.example", &txt), -ENOENT);
	assert_int_equal(inst_dns_txt(&lo, 1, dns.port, 2, "long.rack.example", &txt), 0);
	assert_string_equal(txt, "http://x/part2");
	free(txt);

	/* a lease with the nameserver and the search domain, no option 250 */
	put_lease(sys, 2, "127.0.0.1", "rack.example", NULL, "11:22");
	assert_int_equal(inst_answer_discover(sys, &o, &d, &err), 0);
	assert_int_equal(d.how, INST_DISC_DNS);
	snprintf(want, sizeof(want), "%s/dns", srv.url);
	assert_string_equal(d.url, want);
	/* the DNS fingerprint, never the DHCP one, pins the DNS URL */
	assert_string_equal(d.fp, DNS_FP);
	assert_string_equal(d.where, "DNS TXT record '" INST_DNS_URL_NAME ".rack.example'");
	inst_discovered_release(&d);

	/* the whole search: the DNS fingerprint pins the http URL, which is refused */
	fake_runner_init(&f);
	assert_int_equal(inst_cmdline_parse("ironpass.answer=http", &c, &err), 0);
	assert_int_equal(inst_answer_src_find(sys, &f.r, &c, &so, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "a certificate fingerprint needs an https url"));
	inst_cmdline_release(&c);
	/* without the fingerprint record it fetches */
	put_lease(sys, 2, "127.0.0.1", "rack.example", NULL, NULL);
	hwt_file(sys, "/etc/resolv.conf", "nameserver 192.0.2.1\nsearch other.example\n");
	dns_stop(&dns);
	records[2] = "--txt-record=unrelated.rack.example,x";
	ret = dns_start(&dns, records);
	if (ret < 0) {
		dns_stop(&dns);
		fail_msg("cannot restart dnsmasq: %s", strerror(-ret));
	}
	so.dns_port = dns.port;
	assert_int_equal(inst_cmdline_parse("ironpass.auto ironpass.answer=http", &c, &err), 0);
	if (inst_answer_src_find(sys, &f.r, &c, &so, &s, &err) < 0)
		fail_msg("%s", err.msg);
	dns_stop(&dns);
	lhttp_stop(&srv);
	assert_string_equal(s.text, "# from dns\n");
	assert_int_equal(routes[0].hits, 1);
	assert_int_equal(f.n_calls, 0);
	inst_answer_src_release(&s);
	inst_cmdline_release(&c);
	fake_runner_release(&f);
	hwt_free(sys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_option_text),
		cmocka_unit_test(test_lease_parse),
		cmocka_unit_test(test_dhcp_answer),
		cmocka_unit_test(test_cmdline_token),
		cmocka_unit_test(test_lease_arrives),
		cmocka_unit_test(test_discover_deadline),
		cmocka_unit_test(test_fetch_deadline),
		cmocka_unit_test(test_dns_txt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
