/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_ANSWER_DISCOVER_H
#define IRONPASS_INST_ANSWER_DISCOVER_H

/*
 * Finding the answer URL when the kernel command line names none
 * (ironpass.answer=http, as Proxmox's auto-installer in fetch mode "http"
 * without a URL), in Proxmox's order:
 *  1. DHCP option 250 (the answer URL, text) and 251 (the SHA-256
 *     fingerprint of the server's certificate, text), from the live
 *     system's DHCP leases: systemd-networkd asks for them (RequestOptions=
 *     250 251 in overlay/etc/systemd/network/80-ironpass-dhcp.network) and
 *     keeps each interface's lease in /run/systemd/netif/leases/<ifindex>,
 *     private options (224 to 254) as OPTION_<n>=<hex of the bytes>;
 *  2. the DNS TXT record proxmox-auto-installer.<search domain> (the URL),
 *     then proxmox-auto-installer-cert-fingerprint.<search domain>. The
 *     search domains are the leases' DOMAIN_SEARCH_LIST, then DOMAINNAME
 *     (what a DHCP client puts on resolv.conf's search line), then the
 *     search/domain line of <sysroot>/etc/resolv.conf; the query goes to
 *     the leases' DNS= servers (else resolv.conf's nameservers) directly,
 *     through libresolv: the live system runs no resolver daemon.
 * A fingerprint is only taken from the source that gave the URL (a DHCP
 * fingerprint never pins a DNS-found URL).
 *
 * Until a lease holds option 250 or a TXT record answers, it looks again
 * (new leases may come) with a growing pause, until the deadline.
 */

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define INST_LEASE_DIR		"/run/systemd/netif/leases"
#define INST_DHCP_OPT_URL	250
#define INST_DHCP_OPT_FP	251
#define INST_DNS_URL_NAME	"proxmox-auto-installer"
#define INST_DNS_FP_NAME	"proxmox-auto-installer-cert-fingerprint"
#define INST_DISCOVER_MAX_NS	3	/* as many nameservers as libresolv asks */
#define INST_DISCOVER_MAX_DOMAINS 8
#define INST_LEASE_MAX_FILES	16	/* lease files read at most */

/* What one lease file (or resolv.conf) says. */
struct inst_lease {
	int ifindex;			/* the file's name; 0 for resolv.conf */
	char *url;			/* option 250, or NULL */
	char *fp;			/* option 251, or NULL */
	char *domains[INST_DISCOVER_MAX_DOMAINS]; /* search list, then the domain name */
	size_t n_domains;
	struct in_addr dns[INST_DISCOVER_MAX_NS];
	size_t n_dns;
};

/*
 * Parse a networkd lease file's text. A malformed OPTION_250/251 (odd hex,
 * control characters) is -EBADMSG with the reason in @err.
 */
int inst_lease_parse(const char *text, struct inst_lease *l, struct ip_err *err);
/* The search/domain and nameserver lines of a resolv.conf text. */
int inst_resolv_parse(const char *text, struct inst_lease *l);
void inst_lease_release(struct inst_lease *l);
/*
 * Every lease file under <sysroot>/INST_LEASE_DIR (named by its interface
 * index; networkd's temporary files are skipped), parsed into @ls in index
 * order, at most @max; returns how many (release each). A malformed file is
 * skipped with one warning while *bad_logged is false (then set).
 * Also used to write the live system's resolv.conf (inst-resolv.h).
 */
size_t inst_leases_read(const char *sysroot, struct inst_lease *ls, size_t max,
			bool *bad_logged);
/*
 * @from's search domains added to @into's (no duplicates, at most
 * INST_DISCOVER_MAX_DOMAINS), and its nameservers too when @dns (at most
 * INST_DISCOVER_MAX_NS). URL and fingerprint are not copied.
 */
void inst_lease_merge(struct inst_lease *into, const struct inst_lease *from, bool dns);
/*
 * A text DHCP option from its hex form ("687474703a2f2f…"): trailing NULs
 * dropped, any other control byte refused (-EBADMSG), -EINVAL on bad hex.
 */
int inst_dhcp_option_text(const char *hex, char **out);

enum inst_discovered_how { INST_DISC_DHCP, INST_DISC_DNS };

struct inst_discovered {
	enum inst_discovered_how how;
	char *url;
	char *fp;			/* from the same source as the URL, or NULL */
	char where[320];		/* "DHCP option 250 (interface 2)", "DNS TXT record …" */
};

struct inst_discover_opts {
	uint64_t deadline_ms;		/* CLOCK_MONOTONIC ms: give up then; 0 = look once */
	unsigned short dns_port;	/* 0 = 53 (tests ask a server on a high port) */
	unsigned dns_timeout_s;		/* per query and server; 0 = 2 */
	unsigned poll_ms;		/* first pause between looks, doubled to 16 s; 0 = 1000 */
};

/* 0 with @out filled (release it), -ENOENT when nothing was found by the deadline. */
int inst_answer_discover(const char *sysroot, const struct inst_discover_opts *o,
			 struct inst_discovered *out, struct ip_err *err);
/* One TXT lookup of @name at @ns: 0 with *out, -ENOENT (no such record), -ENOTUNIQ, -EIO. */
int inst_dns_txt(const struct in_addr *ns, size_t n_ns, unsigned short port, unsigned timeout_s,
		 const char *name, char **out);
void inst_discovered_release(struct inst_discovered *d);

#endif
