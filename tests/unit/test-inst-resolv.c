// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The live system's resolv.conf from networkd's DHCP leases: written when it
 * names no nameserver (missing, empty, a symlink to nothing), never when it
 * does; no lease, nothing written and no error; a lease that comes late.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "hw-tree.h"
#include "install/inst-answer-discover.h"
#include "install/inst-http.h"
#include "install/inst-resolv.h"
#include "log-capture.h"
#include "path.h"

/* as networkd writes /run/systemd/netif/leases/<ifindex> */
static void lease_text(char *text, size_t size, const char *dns, const char *domain,
		       const char *search)
{
	snprintf(text, size,
		 "# This is private data. Do not parse.\n"
		 "ADDRESS=10.0.2.15\nNETMASK=255.255.255.0\nROUTER=10.0.2.2\n"
		 "SERVER_ADDRESS=10.0.2.2\nLIFETIME=86400\n"
		 "%s%s%s" "%s%s%s" "%s%s%s"
		 "CLIENTID=ff5254001234560001\n",
		 dns ? "DNS=" : "", dns ? dns : "", dns ? "\n" : "",
		 domain ? "DOMAINNAME=" : "", domain ? domain : "", domain ? "\n" : "",
		 search ? "DOMAIN_SEARCH_LIST=" : "", search ? search : "", search ? "\n" : "");
}

static void put_lease(const char *sys, int ifindex, const char *dns, const char *domain,
		      const char *search)
{
	char path[64], text[1024];

	lease_text(text, sizeof(text), dns, domain, search);
	snprintf(path, sizeof(path), INST_LEASE_DIR "/%d", ifindex);
	hwt_file(sys, path, text);
}

static char *resolv(const char *sys)
{
	char *text = NULL;
	size_t len;

	if (path_read_all(sys, INST_RESOLV_CONF, 65536, &text, &len) < 0)
		return NULL;
	return text;
}

static void test_pure(void **state)
{
	(void)state;
	assert_true(inst_resolv_has_nameserver("nameserver 10.0.2.3\n"));
	assert_true(inst_resolv_has_nameserver("# x\nsearch a\nnameserver\t::1"));
	assert_false(inst_resolv_has_nameserver(""));
	assert_false(inst_resolv_has_nameserver("# nameserver 10.0.2.3\n\nsearch a\n"));
	assert_false(inst_resolv_has_nameserver("nameserver \n"));
	assert_false(inst_resolv_has_nameserver("nameservers 10.0.2.3\n"));

	assert_true(inst_url_has_host_name("http://deploy.example.net/answers/{mac}.toml"));
	assert_true(inst_url_has_host_name("https://user:pw@h:8443"));
	assert_true(inst_url_has_host_name("http://localhost/x"));
	assert_false(inst_url_has_host_name("http://10.0.2.2:8000/a.toml"));
	assert_false(inst_url_has_host_name("https://u@192.0.2.1/a@b"));
	assert_false(inst_url_has_host_name("http://[fd00::1]:80/a"));
	assert_false(inst_url_has_host_name("/run/live/medium/payload"));
	assert_false(inst_url_has_host_name("http:///x"));
	assert_false(inst_url_has_host_name(NULL));
}

static void test_writes_from_lease(void **state)
{
	char *sys = hwt_new(), *text;
	struct ip_err err = { 0 };
	struct stat st;
	char path[4096];

	(void)state;
	/* interface 3 sorts after 2; a duplicate server and domain count once */
	put_lease(sys, 3, "10.0.3.53 10.0.2.3", "rack.example", NULL);
	put_lease(sys, 2, "10.0.2.3", "lab.example", "lab.example. rack.example");
	log_capture_start();
	assert_int_equal(inst_resolv_ensure(sys, NULL, &err), 1);
	log_capture_stop();
	text = resolv(sys);
	assert_non_null(text);
	assert_string_equal(text,
			    "# written by ironpass-installer from the DHCP leases of interfaces 2, 3\n"
			    "nameserver 10.0.2.3\n"
			    "nameserver 10.0.3.53\n"
			    "search lab.example rack.example\n");
	free(text);
	snprintf(path, sizeof(path), "%s%s", sys, INST_RESOLV_CONF);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_non_null(strstr(log_captured(), "had no nameserver: wrote it from the DHCP leases "
			       "of interfaces 2, 3 (nameserver 10.0.2.3 10.0.3.53; search "
			       "lab.example rack.example)"));

	/* an empty file and one with comments only name no nameserver either */
	hwt_rm(sys, "/run/systemd/netif/leases/3");
	put_lease(sys, 2, "10.0.2.3", NULL, NULL);
	hwt_file(sys, INST_RESOLV_CONF, "");
	assert_int_equal(inst_resolv_ensure(sys, NULL, &err), 1);
	text = resolv(sys);
	assert_string_equal(text, "# written by ironpass-installer from the DHCP lease of "
			    "interface 2\nnameserver 10.0.2.3\n");
	free(text);
	hwt_file(sys, INST_RESOLV_CONF, "# empty\nsearch other.example\n");
	assert_int_equal(inst_resolv_ensure(sys, NULL, &err), 1);
	text = resolv(sys);
	assert_non_null(strstr(text, "nameserver 10.0.2.3\n"));
	free(text);
	hwt_free(sys);
}

static void test_keeps_nameservers(void **state)
{
	static const char *const kept[] = {
		"nameserver 192.0.2.1\nsearch other.example\n",
		"# from live-boot\nnameserver ::1\n",	/* a v6 server the parser skips */
	};
	char *sys = hwt_new(), *text;
	struct ip_err err = { 0 };

	(void)state;
	put_lease(sys, 2, "10.0.2.3", "rack.example", NULL);
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		hwt_file(sys, INST_RESOLV_CONF, kept[i]);
		assert_int_equal(inst_resolv_ensure(sys, NULL, &err), 0);
		text = resolv(sys);
		assert_string_equal(text, kept[i]);
		free(text);
	}
	/* a symlink to a file with nameservers is kept as the link */
	hwt_file(sys, "/run/resolvconf/resolv.conf", kept[0]);
	hwt_rm(sys, INST_RESOLV_CONF);
	hwt_link(sys, INST_RESOLV_CONF, "../run/resolvconf/resolv.conf");
	assert_int_equal(inst_resolv_ensure(sys, NULL, &err), 0);
	assert_true(path_readlink_base(sys, INST_RESOLV_CONF, (char[64]){ 0 }, 64) >= 0);
	hwt_free(sys);
}

static void test_dangling_symlink(void **state)
{
	char *sys = hwt_new(), *text;
	struct ip_err err = { 0 };
	struct stat st;
	char path[4096];

	(void)state;
	hwt_link(sys, INST_RESOLV_CONF, "../run/systemd/resolve/stub-resolv.conf");
	put_lease(sys, 2, "10.0.2.3", "rack.example", NULL);
	assert_int_equal(inst_resolv_ensure(sys, NULL, &err), 1);
	snprintf(path, sizeof(path), "%s%s", sys, INST_RESOLV_CONF);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	/* the link was replaced: nothing written where it pointed */
	assert_false(path_exists(sys, "/run/systemd/resolve/stub-resolv.conf"));
	text = resolv(sys);
	assert_string_equal(text, "# written by ironpass-installer from the DHCP lease of "
			    "interface 2\nnameserver 10.0.2.3\nsearch rack.example\n");
	free(text);
	hwt_free(sys);
}

static double since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_no_lease(void **state)
{
	char *sys = hwt_new();
	struct ip_err err = { 0 };
	struct inst_resolv_opts o = { .poll_ms = 50 };
	struct timespec t0;
	double secs;

	(void)state;
	/* no lease directory at all: nothing written, no error, no wait */
	assert_int_equal(inst_resolv_ensure(sys, NULL, &err), 0);
	assert_int_equal(err.code, 0);
	assert_false(path_exists(sys, INST_RESOLV_CONF));
	/* a lease without DNS=, waited for until the deadline: still nothing */
	put_lease(sys, 2, NULL, "rack.example", NULL);
	hwt_link(sys, INST_RESOLV_CONF, "../run/systemd/resolve/stub-resolv.conf");
	o.deadline_ms = inst_now_ms() + 300;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	log_capture_start();
	assert_int_equal(inst_resolv_ensure(sys, &o, &err), 0);
	log_capture_stop();
	secs = since(&t0);
	assert_true(secs >= 0.25 && secs < 3.0);
	assert_int_equal(err.code, 0);
	assert_true(path_readlink_base(sys, INST_RESOLV_CONF, (char[64]){ 0 }, 64) >= 0);
	assert_non_null(strstr(log_captured(), "no DHCP lease names a DNS server"));
	hwt_free(sys);
}

struct late {
	const char *sys;
	unsigned delay_ms;
};

static void *late_lease(void *p)
{
	const struct late *l = p;
	char text[1024];

	/* as networkd: a whole file renamed into place (no cmocka in a thread) */
	lease_text(text, sizeof(text), "10.0.2.3", NULL, "rack.example");
	usleep(l->delay_ms * 1000u);
	path_write_file(l->sys, INST_LEASE_DIR "/2", text, strlen(text), 0644);
	return NULL;
}

static void test_lease_arrives(void **state)
{
	char *sys = hwt_new(), *text;
	struct ip_err err = { 0 };
	struct inst_resolv_opts o = { .poll_ms = 50 };
	struct late l = { .sys = sys, .delay_ms = 300 };
	struct timespec t0;
	pthread_t t;
	double secs;

	(void)state;
	o.deadline_ms = inst_now_ms() + 20000;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pthread_create(&t, NULL, late_lease, &l), 0);
	assert_int_equal(inst_resolv_ensure(sys, &o, &err), 1);
	secs = since(&t0);
	pthread_join(t, NULL);
	assert_true(secs >= 0.25 && secs < 10.0);
	text = resolv(sys);
	assert_non_null(text);
	assert_non_null(strstr(text, "nameserver 10.0.2.3\nsearch rack.example\n"));
	free(text);
	hwt_free(sys);
}

static void test_write_fails(void **state)
{
	char *sys = hwt_new();
	struct ip_err err = { 0 };

	(void)state;
	/* a directory where the file goes: rename refuses, the error names the file */
	hwt_file(sys, INST_RESOLV_CONF "/x", "");
	put_lease(sys, 2, "10.0.2.3", NULL, NULL);
	assert_true(inst_resolv_ensure(sys, NULL, &err) < 0);
	assert_non_null(strstr(err.msg, "cannot write '"));
	assert_non_null(strstr(err.msg, "/etc/resolv.conf'"));
	hwt_free(sys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pure),
		cmocka_unit_test(test_writes_from_lease),
		cmocka_unit_test(test_keeps_nameservers),
		cmocka_unit_test(test_dangling_symlink),
		cmocka_unit_test(test_no_lease),
		cmocka_unit_test(test_lease_arrives),
		cmocka_unit_test(test_write_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
