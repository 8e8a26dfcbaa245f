// SPDX-License-Identifier: GPL-2.0-or-later
/* hostname, /etc/hosts (real IP, never 127.0.1.1), vmbr0 interfaces, resolv.conf. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/hw.h"
#include "fake-runner.h"
#include "hw-tree.h"
#include "log-capture.h"
#include "path.h"
#include "target/inst-cfg.h"

static void static_net(struct inst_ctx *ctx, struct answer *a)
{
	memset(ctx, 0, sizeof(*ctx));
	memset(a, 0, sizeof(*a));
	a->has_network = true;
	a->network.source = ANSWER_NET_STATIC;
	a->network.cidr = (char *)"192.0.2.10/24";
	a->network.gateway = (char *)"192.0.2.1";
	a->network.dns = (char *)"192.0.2.53";
	a->global.fqdn = (char *)"pve1.example.com";
	ctx->answer = a;
	snprintf(ctx->net.iface, sizeof(ctx->net.iface), "eno1");
}

static void test_static(void **state)
{
	struct inst_ctx ctx;
	struct answer a;
	char *t;

	(void)state;
	static_net(&ctx, &a);
	assert_int_equal(inst_cfg_net_prepare(&ctx), 0);
	assert_string_equal(ctx.net.hostname, "pve1");
	assert_string_equal(ctx.net.domain, "example.com");
	assert_string_equal(ctx.net.address, "192.0.2.10");
	t = inst_cfg_hosts_text(&ctx.net, &ctx.err);
	assert_string_equal(t,
		"127.0.0.1 localhost.localdomain localhost\n"
		"192.0.2.10 pve1.example.com pve1\n"
		"\n# The following lines are desirable for IPv6 capable hosts\n\n"
		"::1     ip6-localhost ip6-loopback\n"
		"fe00::0 ip6-localnet\n"
		"ff00::0 ip6-mcastprefix\n"
		"ff02::1 ip6-allnodes\n"
		"ff02::2 ip6-allrouters\n"
		"ff02::3 ip6-allhosts\n");
	assert_null(strstr(t, "127.0.1.1"));
	free(t);
	t = inst_cfg_interfaces_text(&ctx.net, &ctx.err);
	assert_string_equal(t,
		"auto lo\niface lo inet loopback\n\n"
		"iface eno1 inet manual\n\n"
		"auto vmbr0\n"
		"iface vmbr0 inet static\n"
		"\taddress 192.0.2.10/24\n"
		"\tgateway 192.0.2.1\n"
		"\tbridge-ports eno1\n"
		"\tbridge-stp off\n"
		"\tbridge-fd 0\n"
		"\nsource /etc/network/interfaces.d/*\n");
	free(t);
	t = inst_cfg_resolv_text(&ctx.net, &ctx.err);
	assert_string_equal(t, "search example.com\nnameserver 192.0.2.53\n");
	free(t);
}

static void test_dhcp(void **state)
{
	struct inst_ctx ctx;
	struct answer a;
	char *t;

	(void)state;
	static_net(&ctx, &a);
	a.network.source = ANSWER_NET_DHCP;
	/* what DHCP gave, passed in by the flow */
	snprintf(ctx.net.address, sizeof(ctx.net.address), "10.0.2.15");
	assert_int_equal(inst_cfg_net_prepare(&ctx), 0);
	assert_true(ctx.net.dhcp);
	t = inst_cfg_interfaces_text(&ctx.net, &ctx.err);
	assert_non_null(strstr(t, "auto vmbr0\niface vmbr0 inet dhcp\n\tbridge-ports eno1\n"));
	assert_null(strstr(t, "address"));
	free(t);
	t = inst_cfg_hosts_text(&ctx.net, &ctx.err);
	assert_non_null(strstr(t, "\n10.0.2.15 pve1.example.com pve1\n"));
	free(t);
}

static void test_dhcp_lookup(void **state)
{
	struct fake_runner f;
	struct inst_ctx ctx;
	struct answer a;
	char *sys = hwt_new();

	(void)state;
	static_net(&ctx, &a);
	a.network.source = ANSWER_NET_DHCP;
	a.global.fqdn = NULL;
	a.global.fqdn_from_dhcp = true;
	a.global.fqdn_domain = (char *)"lab.example";
	hwt_file(sys, "/proc/sys/kernel/hostname", "node7\n");
	fake_runner_init(&f);
	fake_runner_push(&f, 0, "2: eno1    inet 10.0.2.15/24 brd 10.0.2.255 scope global dynamic "
			 "eno1\\       valid_lft 86251sec preferred_lft 86251sec\n", "");
	ctx.runner = &f.r;
	ctx.sysroot = sys;
	assert_int_equal(inst_cfg_net_prepare(&ctx), 0);
	assert_string_equal(f.calls[0].cmd, "ip -4 -o addr show dev eno1");
	assert_string_equal(ctx.net.address, "10.0.2.15");
	assert_string_equal(ctx.net.cidr, "10.0.2.15/24");
	assert_string_equal(ctx.net.fqdn, "node7.lab.example");
	assert_string_equal(ctx.net.hostname, "node7");
	fake_runner_release(&f);
	/* no address yet: a clear error */
	static_net(&ctx, &a);
	a.network.source = ANSWER_NET_DHCP;
	fake_runner_init(&f);
	ctx.runner = &f.r;
	assert_int_equal(inst_cfg_net_prepare(&ctx), -EADDRNOTAVAIL);
	assert_string_equal(ctx.err.msg,
			    "no DHCP address on 'eno1': cannot name the node's address");
	fake_runner_release(&f);
	hwt_free(sys);
}

static void test_refusals(void **state)
{
	struct inst_ctx ctx;
	struct answer a;

	(void)state;
	static_net(&ctx, &a);
	a.global.fqdn = (char *)"pve1";
	assert_int_equal(inst_cfg_net_prepare(&ctx), -EINVAL);
	assert_string_equal(ctx.err.msg,
			    "invalid fqdn 'pve1': expected a host name with a domain");
	static_net(&ctx, &a);
	a.network.cidr = (char *)"192.0.2.10/24\nauto evil";
	assert_int_equal(inst_cfg_net_prepare(&ctx), -EINVAL);
	static_net(&ctx, &a);
	a.network.gateway = (char *)"gw.example.com";
	assert_int_equal(inst_cfg_net_prepare(&ctx), -EINVAL);
	assert_string_equal(ctx.err.msg, "invalid gateway 'gw.example.com'");
}

static void test_nic_pick(void **state)
{
	struct hw_nic nics[3] = { 0 };
	struct hw hw = { 0 };
	struct answer_filter f = { (char *)"ID_NET_DRIVER", (char *)"e1000*" };
	struct inst_ctx ctx;
	struct answer a;

	(void)state;
	snprintf(nics[0].name, sizeof(nics[0].name), "lo");
	nics[0].is_virtual = true;
	snprintf(nics[1].name, sizeof(nics[1].name), "enp1s0");
	snprintf(nics[1].driver, sizeof(nics[1].driver), "r8169");
	snprintf(nics[2].name, sizeof(nics[2].name), "eno1");
	snprintf(nics[2].driver, sizeof(nics[2].driver), "e1000e");
	snprintf(nics[2].mac, sizeof(nics[2].mac), "52:54:00:12:34:56");
	hw.nics = nics;
	hw.n_nics = 3;
	static_net(&ctx, &a);
	ctx.net.iface[0] = '\0';
	ctx.hw = &hw;
	a.network.filters = &f;
	a.network.n_filters = 1;
	assert_int_equal(inst_cfg_net_prepare(&ctx), 0);
	assert_string_equal(ctx.net.iface, "eno1");
	assert_string_equal(ctx.net.mac, "52:54:00:12:34:56");
	/* no filter: the link-up NIC wins */
	static_net(&ctx, &a);
	ctx.net.iface[0] = '\0';
	ctx.hw = &hw;
	nics[1].link = true;
	assert_int_equal(inst_cfg_net_prepare(&ctx), 0);
	assert_string_equal(ctx.net.iface, "enp1s0");
}

static void test_written(void **state)
{
	struct inst_ctx ctx;
	struct answer a;
	char *root = hwt_new(), *t = NULL;
	size_t len;

	(void)state;
	static_net(&ctx, &a);
	ctx.target = root;
	assert_int_equal(inst_cfg_net_prepare(&ctx), 0);
	assert_int_equal(inst_cfg_network(&ctx), 0);
	assert_int_equal(path_read_all(root, "/etc/hostname", 4096, &t, &len), 0);
	assert_string_equal(t, "pve1\n");
	free(t);
	assert_int_equal(path_read_all(root, "/etc/hosts", 4096, &t, &len), 0);
	assert_non_null(strstr(t, "192.0.2.10 pve1.example.com pve1\n"));
	free(t);
	assert_true(path_exists(root, "/etc/network/interfaces"));
	assert_true(path_exists(root, "/etc/resolv.conf"));
	hwt_free(root);
}

/* vmbr0 by DHCP: a target without any DHCP client gets a warning, one with dhclient none */
static void test_dhcp_client(void **state)
{
	struct inst_ctx ctx;
	struct answer a;
	char *root = hwt_new();

	(void)state;
	static_net(&ctx, &a);
	a.network.source = ANSWER_NET_DHCP;
	snprintf(ctx.net.address, sizeof(ctx.net.address), "10.0.2.15");
	ctx.target = root;
	assert_int_equal(inst_cfg_net_prepare(&ctx), 0);
	assert_false(inst_cfg_has_dhcp_client(root));
	log_capture_start();
	assert_int_equal(inst_cfg_network(&ctx), 0);
	assert_non_null(strstr(log_captured(), "no DHCP client"));
	hwt_file(root, "/usr/sbin/dhclient", "#!/bin/sh\n");
	assert_true(inst_cfg_has_dhcp_client(root));
	log_capture_start();
	assert_int_equal(inst_cfg_network(&ctx), 0);
	log_capture_stop();
	assert_null(strstr(log_captured(), "DHCP client"));
	/* a static address needs none */
	hwt_free(root);
	root = hwt_new();
	static_net(&ctx, &a);
	ctx.target = root;
	assert_int_equal(inst_cfg_net_prepare(&ctx), 0);
	log_capture_start();
	assert_int_equal(inst_cfg_network(&ctx), 0);
	log_capture_stop();
	assert_null(strstr(log_captured(), "DHCP client"));
	hwt_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static),
		cmocka_unit_test(test_dhcp),
		cmocka_unit_test(test_dhcp_lookup),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_nic_pick),
		cmocka_unit_test(test_written),
		cmocka_unit_test(test_dhcp_client),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
