// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The node's network identity: /etc/hostname, /etc/hosts (the FQDN resolves
 * to the node's real address, never 127.0.1.1, or pmxcfs will not start),
 * /etc/network/interfaces (vmbr0 bridging the management NIC) and
 * /etc/resolv.conf.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "detect/hw.h"
#include "log.h"
#include "path.h"
#include "target/inst-cfg.h"
#include "util.h"

static bool ip_ok(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static bool cidr_ok(const char *s)
{
	char addr[64];
	const char *slash = strchr(s, '/');
	unsigned bits;

	if (!slash || (size_t)(slash - s) >= sizeof(addr))
		return false;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (!ip_ok(addr) || ip_strtouint(slash + 1, 10, &bits) < 0)
		return false;
	return bits <= (strchr(addr, ':') ? 128u : 32u);
}

static bool label_ok(const char *s, size_t n)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static bool fqdn_ok(const char *s)
{
	bool dot = false;

	if (strlen(s) > 253)
		return false;
	for (;;) {
		size_t n = strcspn(s, ".");

		if (!label_ok(s, n))
			return false;
		if (!s[n])
			return dot;
		dot = true;
		s += n + 1;
	}
}

static bool ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 15)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s <= ' ' || *s == '#' || *s > '~')
			return false;
	return true;
}

int inst_cfg_net_check(const struct inst_net *n, struct ip_err *err)
{
	if (!fqdn_ok(n->fqdn))
		return ip_err_set(err, -EINVAL,
				  "invalid fqdn '%s': expected a host name with a domain", n->fqdn);
	if (!ifname_ok(n->iface))
		return ip_err_set(err, -EINVAL, "invalid network interface name '%s'", n->iface);
	if (!ip_ok(n->address))
		return ip_err_set(err, -EINVAL, "invalid node address '%s'", n->address);
	if (!n->dhcp && !cidr_ok(n->cidr))
		return ip_err_set(err, -EINVAL, "invalid address '%s': expected ADDRESS/PREFIX",
				  n->cidr);
	if (!n->dhcp && n->gateway[0] && !ip_ok(n->gateway))
		return ip_err_set(err, -EINVAL, "invalid gateway '%s'", n->gateway);
	if (n->dns[0] && !ip_ok(n->dns))
		return ip_err_set(err, -EINVAL, "invalid dns server '%s'", n->dns);
	return 0;
}

static bool nic_matches(const struct hw_nic *nic, const struct answer_network *an)
{
	char macname[32], mac[13];
	size_t k = 0;

	for (const char *p = nic->mac; *p && k < 12; p++)
		if (*p != ':')
			mac[k++] = *p;
	mac[k] = '\0';
	snprintf(macname, sizeof(macname), "enx%s", mac);
	for (size_t i = 0; i < an->n_filters; i++) {
		const struct answer_filter *f = &an->filters[i];
		const char *v = NULL;

		if (!strcmp(f->key, "ID_NET_NAME") || !strcmp(f->key, "INTERFACE"))
			v = nic->name;
		else if (!strcmp(f->key, "ID_NET_DRIVER"))
			v = nic->driver;
		else if (!strcmp(f->key, "ID_NET_NAME_MAC"))
			v = macname;
		else if (!strcmp(f->key, "MAC") || !strcmp(f->key, "ID_NET_MAC"))
			v = nic->mac;
		if (!v || !str_glob(f->glob, v))
			return false;
	}
	return true;
}

/* The management NIC: the first physical one matching the answer's filters, link up first. */
static int net_pick_nic(struct inst_ctx *ctx)
{
	const struct answer_network *an = ctx->answer ? &ctx->answer->network : NULL;
	const struct hw_nic *best = NULL;

	if (!ctx->hw)
		return ip_err_set(&ctx->err, -EINVAL, "no network interface chosen");
	for (size_t i = 0; i < ctx->hw->n_nics; i++) {
		const struct hw_nic *nic = &ctx->hw->nics[i];

		if (nic->is_virtual || (an && !nic_matches(nic, an)))
			continue;
		if (!best || (nic->link && !best->link))
			best = nic;
	}
	if (!best)
		return ip_err_set(&ctx->err, -ENODEV,
				  "no network interface matches the answer's network filters");
	snprintf(ctx->net.iface, sizeof(ctx->net.iface), "%s", best->name);
	snprintf(ctx->net.mac, sizeof(ctx->net.mac), "%s", best->mac);
	return 0;
}

/* The address DHCP gave the management NIC in the live environment: `ip -4 -o addr show dev X`. */
static int net_dhcp_address(struct inst_ctx *ctx)
{
	const char *argv[] = { "ip", "-4", "-o", "addr", "show", "dev", ctx->net.iface, NULL };
	struct run_opts o = { .flags = RUN_CAPTURE, .timeout_ms = 10000 };
	struct run_result res = { 0 };
	const char *p;
	int ret;

	if (!ifname_ok(ctx->net.iface))
		return ip_err_set(&ctx->err, -EINVAL, "invalid network interface name '%s'",
				  ctx->net.iface);
	ret = runner_check(ctx->runner, argv, &o, &res);
	if (ret < 0) {
		ip_err_set(&ctx->err, ret, "%s", ip_err_msg(&ctx->runner->err));
		goto out;
	}
	p = res.out ? strstr(res.out, " inet ") : NULL;
	if (!p) {
		ret = ip_err_set(&ctx->err, -EADDRNOTAVAIL,
				 "no DHCP address on '%s': cannot name the node's address",
				 ctx->net.iface);
		goto out;
	}
	p += 6;
	snprintf(ctx->net.cidr, sizeof(ctx->net.cidr), "%.*s", (int)strcspn(p, " \n"), p);
	snprintf(ctx->net.address, sizeof(ctx->net.address), "%.*s",
		 (int)strcspn(ctx->net.cidr, "/"), ctx->net.cidr);
out:
	run_result_release(&res);
	return ret;
}

/* fqdn = from-dhcp: the host name the live system got, plus the answer's domain if bare */
static void net_dhcp_fqdn(struct inst_ctx *ctx, const struct answer_global *g)
{
	char host[64] = "", dom[128] = "";

	if (path_read_str(ctx->sysroot, "/proc/sys/kernel/hostname", host, sizeof(host)) < 0)
		return;
	if (strchr(host, '.')) {
		snprintf(ctx->net.fqdn, sizeof(ctx->net.fqdn), "%s", host);
		return;
	}
	if (g->fqdn_domain)
		snprintf(dom, sizeof(dom), "%s", g->fqdn_domain);
	else if (path_read_str(ctx->sysroot, "/proc/sys/kernel/domainname", dom, sizeof(dom)) < 0 ||
		 !strcmp(dom, "(none)"))
		dom[0] = '\0';
	if (dom[0])
		snprintf(ctx->net.fqdn, sizeof(ctx->net.fqdn), "%s.%s", host, dom);
}

int inst_cfg_net_prepare(struct inst_ctx *ctx)
{
	const struct answer *a = ctx->answer;
	struct inst_net *n = &ctx->net;
	const char *dot;

	if (a && a->has_network) {
		if (a->network.source == ANSWER_NET_STATIC) {
			n->dhcp = false;
			if (!n->cidr[0] && a->network.cidr)
				snprintf(n->cidr, sizeof(n->cidr), "%s", a->network.cidr);
			if (!n->gateway[0] && a->network.gateway)
				snprintf(n->gateway, sizeof(n->gateway), "%s", a->network.gateway);
		} else {
			n->dhcp = true;
		}
		if (!n->dns[0] && a->network.dns)
			snprintf(n->dns, sizeof(n->dns), "%s", a->network.dns);
	}
	if (!n->fqdn[0] && a && a->global.fqdn)
		snprintf(n->fqdn, sizeof(n->fqdn), "%s", a->global.fqdn);
	else if (!n->fqdn[0] && a && a->global.fqdn_from_dhcp)
		net_dhcp_fqdn(ctx, &a->global);
	if (!n->address[0] && n->cidr[0])
		snprintf(n->address, sizeof(n->address), "%.*s", (int)strcspn(n->cidr, "/"),
			 n->cidr);
	dot = strchr(n->fqdn, '.');
	if (dot) {
		snprintf(n->hostname, sizeof(n->hostname), "%.*s", (int)(dot - n->fqdn), n->fqdn);
		snprintf(n->domain, sizeof(n->domain), "%s", dot + 1);
	}
	if (!n->iface[0] && net_pick_nic(ctx) < 0)
		return ctx->err.code;
	if (n->dhcp && !n->address[0] && ctx->runner && net_dhcp_address(ctx) < 0)
		return ctx->err.code;
	return inst_cfg_net_check(n, &ctx->err);
}

static char *sb_done(struct strbuf *sb, struct ip_err *err)
{
	if (sb->err) {
		sb_release(sb);
		ip_err_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	return sb_detach(sb);
}

char *inst_cfg_hosts_text(const struct inst_net *n, struct ip_err *err)
{
	struct strbuf sb = { 0 };

	if (inst_cfg_net_check(n, err) < 0)
		return NULL;
	sb_puts(&sb, "127.0.0.1 localhost.localdomain localhost\n");
	sb_printf(&sb, "%s %s %s\n", n->address, n->fqdn, n->hostname);
	sb_puts(&sb, "\n# The following lines are desirable for IPv6 capable hosts\n\n"
		     "::1     ip6-localhost ip6-loopback\n"
		     "fe00::0 ip6-localnet\n"
		     "ff00::0 ip6-mcastprefix\n"
		     "ff02::1 ip6-allnodes\n"
		     "ff02::2 ip6-allrouters\n"
		     "ff02::3 ip6-allhosts\n");
	return sb_done(&sb, err);
}

char *inst_cfg_interfaces_text(const struct inst_net *n, struct ip_err *err)
{
	struct strbuf sb = { 0 };

	if (inst_cfg_net_check(n, err) < 0)
		return NULL;
	sb_puts(&sb, "auto lo\niface lo inet loopback\n\n");
	sb_printf(&sb, "iface %s inet manual\n\n", n->iface);
	sb_puts(&sb, "auto vmbr0\n");
	if (n->dhcp) {
		sb_puts(&sb, "iface vmbr0 inet dhcp\n");
	} else {
		sb_printf(&sb, "iface vmbr0 inet static\n\taddress %s\n", n->cidr);
		if (n->gateway[0])
			sb_printf(&sb, "\tgateway %s\n", n->gateway);
	}
	sb_printf(&sb, "\tbridge-ports %s\n\tbridge-stp off\n\tbridge-fd 0\n", n->iface);
	sb_puts(&sb, "\nsource /etc/network/interfaces.d/*\n");
	return sb_done(&sb, err);
}

char *inst_cfg_resolv_text(const struct inst_net *n, struct ip_err *err)
{
	struct strbuf sb = { 0 };

	if (inst_cfg_net_check(n, err) < 0)
		return NULL;
	sb_printf(&sb, "search %s\n", n->domain);
	if (n->dns[0])
		sb_printf(&sb, "nameserver %s\n", n->dns);
	return sb_done(&sb, err);
}

/* Whether the target has a DHCP client that ifupdown can run for "inet dhcp". */
bool inst_cfg_has_dhcp_client(const char *target)
{
	static const char *const clients[] = {
		"/sbin/dhclient", "/usr/sbin/dhclient", "/sbin/dhcpcd", "/usr/sbin/dhcpcd",
		"/sbin/udhcpc", "/usr/sbin/udhcpc",
	};

	for (size_t i = 0; i < ARRAY_SIZE(clients); i++)
		if (path_exists(target, clients[i]))
			return true;
	return false;
}

int inst_cfg_network(struct inst_ctx *ctx)
{
	static const struct {
		const char *path;
		char *(*gen)(const struct inst_net *n, struct ip_err *err);
	} files[] = {
		{ "/etc/hosts", inst_cfg_hosts_text },
		{ "/etc/network/interfaces", inst_cfg_interfaces_text },
		{ "/etc/resolv.conf", inst_cfg_resolv_text },
	};
	char hostname[80];
	int ret;

	ret = inst_cfg_net_check(&ctx->net, &ctx->err);
	if (ret < 0)
		return ret;
	if (ctx->net.dhcp && !inst_cfg_has_dhcp_client(ctx->target))
		ip_warn("vmbr0 is configured by DHCP but the target has no DHCP client "
			"(isc-dhcp-client): the node will come up without an address");
	snprintf(hostname, sizeof(hostname), "%s\n", ctx->net.hostname);
	ret = inst_cfg_write(ctx, "/etc/hostname", hostname, 0644);
	for (size_t i = 0; ret == 0 && i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *text = files[i].gen(&ctx->net, &ctx->err);

		ret = text ? inst_cfg_write(ctx, files[i].path, text, 0644) : ctx->err.code;
	}
	return ret;
}
