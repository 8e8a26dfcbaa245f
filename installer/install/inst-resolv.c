// SPDX-License-Identifier: GPL-2.0-or-later
/* The live system's resolv.conf from networkd's DHCP leases (see inst-resolv.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-answer-discover.h"
#include "install/inst-http.h"
#include "install/inst-resolv.h"
#include "log.h"
#include "path.h"
#include "util.h"

#define RESOLV_MAX	(64 * 1024)

bool inst_resolv_has_nameserver(const char *text)
{
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		/* as glibc reads it: the keyword at the start of the line, then an address */
		if (len > 11 && str_startswith(line, "nameserver") &&
		    (line[10] == ' ' || line[10] == '\t')) {
			size_t i = 11;

			while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
				i++;
			if (i < len)
				return true;
		}
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

bool inst_url_has_host_name(const char *url)
{
	const char *h = url ? strstr(url, "://") : NULL;
	char host[256];
	struct in_addr in;
	size_t n;

	if (!h || h == url)
		return false;
	h += 3;
	n = strcspn(h, "/?#");
	/* user info ends at the last '@' before the path */
	for (size_t i = n; i > 0; i--) {
		if (h[i - 1] == '@') {
			h += i;
			n -= i;
			break;
		}
	}
	if (h[0] == '[')
		return false;	/* an IPv6 literal */
	n = strcspn(h, ":/?#");
	if (n == 0)
		return false;
	if (n >= sizeof(host))
		return true;	/* longer than any address */
	memcpy(host, h, n);
	host[n] = '\0';
	return inet_pton(AF_INET, host, &in) != 1;
}

char *inst_resolv_text(const struct inst_lease *l, const char *origin)
{
	struct strbuf sb = { 0 };
	char addr[INET_ADDRSTRLEN];

	sb_printf(&sb, "# written by ironpass-installer from %s\n", origin);
	for (size_t i = 0; i < l->n_dns; i++)
		if (inet_ntop(AF_INET, &l->dns[i], addr, sizeof(addr)))
			sb_printf(&sb, "nameserver %s\n", addr);
	if (l->n_domains) {
		sb_puts(&sb, "search");
		for (size_t i = 0; i < l->n_domains; i++)
			sb_printf(&sb, " %s", l->domains[i]);
		sb_puts(&sb, "\n");
	}
	if (sb.err) {
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

/* "nameserver 10.0.2.3 10.0.2.4; search rack.example" for the log */
static const char *summary(const struct inst_lease *l, char *buf, size_t size)
{
	char addr[INET_ADDRSTRLEN];
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->n_dns && k < size; i++)
		if (inet_ntop(AF_INET, &l->dns[i], addr, sizeof(addr)))
			k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? " " : "nameserver ",
					      addr);
	for (size_t i = 0; i < l->n_domains && k < size; i++)
		k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? " " : "; search ",
				      l->domains[i]);
	return buf;
}

/* Does <sysroot>/etc/resolv.conf name a nameserver? A symlink to nothing does not. */
static bool resolv_has_nameserver(const char *sysroot)
{
	_cleanup_free_ char *text = NULL;
	size_t len;

	if (path_read_all(sysroot, INST_RESOLV_CONF, RESOLV_MAX, &text, &len) < 0)
		return false;
	return inst_resolv_has_nameserver(text);
}

/*
 * The nameservers and search domains of every lease that names a DNS server,
 * in interface order, into @m; @origin says which interfaces. Returns how
 * many leases there were at all.
 */
static size_t leases_merged(const char *sysroot, struct inst_lease *m, char *origin,
			    size_t size, bool *bad_logged)
{
	struct inst_lease ls[INST_LEASE_MAX_FILES];
	size_t n = inst_leases_read(sysroot, ls, INST_LEASE_MAX_FILES, bad_logged);
	size_t used = 0, k = 0;
	char list[128] = "";

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < n; i++) {
		if (ls[i].n_dns) {
			inst_lease_merge(m, &ls[i], true);
			if (k < sizeof(list))
				k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%d",
						      used ? ", " : "", ls[i].ifindex);
			used++;
		}
		inst_lease_release(&ls[i]);
	}
	snprintf(origin, size, "the DHCP lease%s of interface%s %s", used > 1 ? "s" : "",
		 used > 1 ? "s" : "", list);
	return n;
}

int inst_resolv_ensure(const char *sysroot, const struct inst_resolv_opts *o,
		       struct ip_err *err)
{
	static const struct inst_resolv_opts none;
	char full[PATH_MAX], origin[200];
	bool told = false, bad_logged = false;
	uint64_t poll;
	int ret;

	if (!o)
		o = &none;
	poll = o->poll_ms ? o->poll_ms : 500;
	if (path_join(full, sizeof(full), sysroot, INST_RESOLV_CONF) < 0)
		snprintf(full, sizeof(full), "%s", INST_RESOLV_CONF);
	for (;;) {
		struct inst_lease m;
		_cleanup_free_ char *text = NULL;
		size_t n_leases;
		uint64_t now;

		/* looked at again before each write: whoever filled it meanwhile wins */
		if (resolv_has_nameserver(sysroot)) {
			if (told)
				ip_info("'%s' names a nameserver now, leaving it alone", full);
			return 0;
		}
		n_leases = leases_merged(sysroot, &m, origin, sizeof(origin), &bad_logged);
		if (m.n_dns) {
			char line[512];

			text = inst_resolv_text(&m, origin);
			ret = text ? path_write_file(sysroot, INST_RESOLV_CONF, text, strlen(text),
						     0644) : -ENOMEM;
			if (ret == 0)
				ip_info("'%s' had no nameserver: wrote it from %s (%s)", full,
					origin, summary(&m, line, sizeof(line)));
			inst_lease_release(&m);
			if (ret < 0)
				return ip_err_errno(err, ret, "cannot write '%s'", full);
			return 1;
		}
		inst_lease_release(&m);
		now = inst_now_ms();
		if (!o->deadline_ms || now >= o->deadline_ms) {
			/* only worth saying when a URL needed it (the caller waited) */
			ip_log(o->deadline_ms ? LOG_INFO : LOG_DEBUG,
			       "'%s' has no nameserver and %s, so it is not written: host "
				"names in URLs will not resolve", full,
				n_leases ? "no DHCP lease names a DNS server" :
				"there is no DHCP lease (yet)");
			return 0;
		}
		if (!told)
			ip_info("'%s' has no nameserver: waiting up to %.0f s for a DHCP lease "
				"naming a DNS server", full,
				(double)(o->deadline_ms - now) / 1000.0);
		told = true;
		inst_sleep_ms(poll < o->deadline_ms - now ? poll : o->deadline_ms - now);
	}
}
