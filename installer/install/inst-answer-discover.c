// SPDX-License-Identifier: GPL-2.0-or-later
/* The answer URL from DHCP options 250/251 or DNS TXT records (see inst-answer-discover.h). */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <resolv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "install/inst-answer-discover.h"
#include "install/inst-http.h"
#include "log.h"
#include "path.h"
#include "util.h"

#define LEASE_MAX	(64 * 1024)
#define POLL_MAX_MS	16000u

int inst_dhcp_option_text(const char *hex, char **out)
{
	size_t n = strlen(hex), len = 0;
	char *s;

	*out = NULL;
	if (n % 2)
		return -EINVAL;
	s = malloc(n / 2 + 1);
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);

		if (hi < 0 || lo < 0) {
			free(s);
			return -EINVAL;
		}
		s[len++] = (char)(hi << 4 | lo);
	}
	/* some servers send a C string: its NUL is not part of the text */
	while (len && s[len - 1] == '\0')
		len--;
	s[len] = '\0';
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			free(s);
			return -EBADMSG;
		}
	}
	*out = s;
	return 0;
}

/* A host name we are willing to put into a query: letters, digits, '-', '_', '.'. */
static bool domain_ok(const char *d, size_t n)
{
	if (n == 0 || n > 253 || d[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(d[i] >= 'a' && d[i] <= 'z') && !(d[i] >= 'A' && d[i] <= 'Z') &&
		    !(d[i] >= '0' && d[i] <= '9') && d[i] != '-' && d[i] != '_' && d[i] != '.')
			return false;
	return true;
}

static void add_domain(struct inst_lease *l, const char *d, size_t n)
{
	while (n && d[n - 1] == '.')
		n--;		/* "example.com." is "example.com" */
	if (!domain_ok(d, n) || l->n_domains >= INST_DISCOVER_MAX_DOMAINS)
		return;
	for (size_t i = 0; i < l->n_domains; i++)
		if (strlen(l->domains[i]) == n && !strncasecmp(l->domains[i], d, n))
			return;
	l->domains[l->n_domains] = strndup(d, n);
	if (l->domains[l->n_domains])
		l->n_domains++;
}

static void add_dns_addr(struct inst_lease *l, struct in_addr in)
{
	if (l->n_dns >= INST_DISCOVER_MAX_NS)
		return;
	for (size_t i = 0; i < l->n_dns; i++)
		if (l->dns[i].s_addr == in.s_addr)
			return;
	l->dns[l->n_dns++] = in;
}

static void add_dns(struct inst_lease *l, const char *a, size_t n)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr in;

	if (n >= sizeof(buf))
		return;
	memcpy(buf, a, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &in) == 1)
		add_dns_addr(l, in);
}

/* Each word of @v (spaces or tabs between) to @add. */
static void each_word(struct inst_lease *l, const char *v,
		      void (*add)(struct inst_lease *, const char *, size_t))
{
	while (*v) {
		size_t n;

		v += strspn(v, " \t");
		n = strcspn(v, " \t");
		if (n)
			add(l, v, n);
		v += n;
	}
}

static int lease_option(const char *v, int code, char **slot, struct ip_err *err)
{
	int ret;

	free(*slot);
	ret = inst_dhcp_option_text(v, slot);
	if (ret == -ENOMEM)
		return ip_err_set(err, ret, "out of memory");
	if (ret < 0)
		return ip_err_set(err, -EBADMSG, "DHCP option %d is not %s", code,
				  ret == -EINVAL ? "hex as networkd writes it" :
				  "text (it holds a control character)");
	return 0;
}

int inst_lease_parse(const char *text, struct inst_lease *l, struct ip_err *err)
{
	_cleanup_free_ char *copy = strdup(text ? text : "");
	char *search = NULL, *domain = NULL;
	int ret = 0;

	memset(l, 0, sizeof(*l));
	if (!copy)
		return ip_err_set(err, -ENOMEM, "out of memory");
	for (char *line = copy, *nl; line && *line; line = nl) {
		char *eq, *v;
		size_t vl;

		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		eq = strchr(line, '=');
		if (line[0] == '#' || !eq)
			continue;
		*eq = '\0';
		v = eq + 1;
		vl = strlen(v);
		/* networkd writes values bare; an env-file reader would accept quotes */
		if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0]) {
			v[vl - 1] = '\0';
			v++;
		}
		if (!strcmp(line, "OPTION_250"))
			ret = lease_option(v, INST_DHCP_OPT_URL, &l->url, err);
		else if (!strcmp(line, "OPTION_251"))
			ret = lease_option(v, INST_DHCP_OPT_FP, &l->fp, err);
		else if (!strcmp(line, "DOMAIN_SEARCH_LIST"))
			search = v;
		else if (!strcmp(line, "DOMAINNAME"))
			domain = v;
		else if (!strcmp(line, "DNS"))
			each_word(l, v, add_dns);
		if (ret < 0) {
			inst_lease_release(l);
			return ret;
		}
	}
	/* as a DHCP client fills resolv.conf's search line: the search list, else the domain */
	if (search)
		each_word(l, search, add_domain);
	if (domain)
		each_word(l, domain, add_domain);
	return 0;
}

int inst_resolv_parse(const char *text, struct inst_lease *l)
{
	_cleanup_free_ char *copy = strdup(text ? text : "");
	const char *search = NULL;

	memset(l, 0, sizeof(*l));
	if (!copy)
		return -ENOMEM;
	for (char *line = copy, *nl; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		if (str_startswith(line, "nameserver ") || str_startswith(line, "nameserver\t"))
			each_word(l, line + 11, add_dns);
		/* the last search or domain line counts (resolv.conf(5)) */
		else if (str_startswith(line, "search ") || str_startswith(line, "search\t"))
			search = line + 7;
		else if (str_startswith(line, "domain ") || str_startswith(line, "domain\t"))
			search = line + 7;
	}
	if (search)
		each_word(l, search, add_domain);
	return 0;
}

void inst_lease_release(struct inst_lease *l)
{
	free(l->url);
	free(l->fp);
	for (size_t i = 0; i < l->n_domains; i++)
		free(l->domains[i]);
	memset(l, 0, sizeof(*l));
}

void inst_discovered_release(struct inst_discovered *d)
{
	free(d->url);
	free(d->fp);
	memset(d, 0, sizeof(*d));
}

/* The TXT record's character-strings, joined (a long URL spans several). */
static int txt_join(const ns_rr *rr, char **out)
{
	const unsigned char *p = ns_rr_rdata(*rr), *end = p + ns_rr_rdlen(*rr);
	struct strbuf sb = { 0 };

	while (p < end) {
		size_t n = *p++;

		if (n > (size_t)(end - p)) {
			sb_release(&sb);
			return -EBADMSG;
		}
		for (size_t i = 0; i < n; i++) {
			if (p[i] < 0x20 || p[i] == 0x7f) {
				sb_release(&sb);
				return -EBADMSG;
			}
		}
		sb_add(&sb, (const char *)p, n);
		p += n;
	}
	sb_add(&sb, "", 0);
	if (sb.err)
		return -ENOMEM;
	*out = sb_detach(&sb);
	return 0;
}

int inst_dns_txt(const struct in_addr *ns, size_t n_ns, unsigned short port, unsigned timeout_s,
		 const char *name, char **out)
{
	struct __res_state st;
	unsigned char ans[4096];
	ns_msg msg;
	int len, ret = -ENOENT, n_txt = 0;

	*out = NULL;
	if (n_ns == 0)
		return -EDESTADDRREQ;
	memset(&st, 0, sizeof(st));
	if (res_ninit(&st) < 0)
		return -EIO;
	/* these servers only, whatever /etc/resolv.conf says */
	st.nscount = (int)(n_ns < MAXNS ? n_ns : MAXNS);
	for (int i = 0; i < st.nscount; i++) {
		memset(&st.nsaddr_list[i], 0, sizeof(st.nsaddr_list[i]));
		st.nsaddr_list[i].sin_family = AF_INET;
		st.nsaddr_list[i].sin_port = htons(port ? port : 53);
		st.nsaddr_list[i].sin_addr = ns[i];
	}
	st.retrans = (int)(timeout_s ? timeout_s : 2);
	st.retry = 1;
	st.options &= ~(unsigned long)(RES_DNSRCH | RES_DEFNAMES);
	len = res_nquery(&st, name, ns_c_in, ns_t_txt, ans, sizeof(ans));
	if (len < 0) {
		/* no such name, or the name has no TXT record: not there; else unanswered */
		ret = st.res_h_errno == HOST_NOT_FOUND || st.res_h_errno == NO_DATA ? -ENOENT
										    : -EIO;
		goto out_close;
	}
	if (ns_initparse(ans, len, &msg) < 0) {
		ret = -EBADMSG;
		goto out_close;
	}
	for (int i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
		ns_rr rr;

		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0 || ns_rr_type(rr) != ns_t_txt)
			continue;
		if (++n_txt > 1) {
			/* two URLs: refusing to guess which one is meant */
			free(*out);
			*out = NULL;
			ret = -ENOTUNIQ;
			break;
		}
		ret = txt_join(&rr, out);
		if (ret < 0)
			break;
	}
out_close:
	res_nclose(&st);
	return ret;
}

static int lease_cmp(const void *a, const void *b)
{
	const struct inst_lease *x = a, *y = b;

	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

void inst_lease_merge(struct inst_lease *into, const struct inst_lease *from, bool dns)
{
	for (size_t j = 0; j < from->n_domains; j++)
		add_domain(into, from->domains[j], strlen(from->domains[j]));
	for (size_t j = 0; j < from->n_dns && dns; j++)
		add_dns_addr(into, from->dns[j]);
}

size_t inst_leases_read(const char *sysroot, struct inst_lease *ls, size_t max,
			bool *bad_logged)
{
	char dir[PATH_MAX];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	if (path_join(dir, sizeof(dir), sysroot, INST_LEASE_DIR) < 0 || !(d = opendir(dir)))
		return 0;
	while ((de = readdir(d)) && n < max) {
		_cleanup_free_ char *text = NULL;
		struct ip_err e = { 0 };
		unsigned idx;
		size_t len;

		/* networkd writes a temporary file and renames it: only the digits count */
		if (ip_strtouint(de->d_name, 10, &idx) < 0 || idx == 0 ||
		    path_read_all(dir, de->d_name, LEASE_MAX, &text, &len) < 0)
			continue;
		if (inst_lease_parse(text, &ls[n], &e) < 0) {
			if (!*bad_logged)
				ip_warn("lease '%s/%s': %s, ignoring", dir, de->d_name, e.msg);
			*bad_logged = true;
			continue;
		}
		ls[n++].ifindex = (int)idx;
	}
	closedir(d);
	qsort(ls, n, sizeof(*ls), lease_cmp);
	return n;
}

static bool url_ok(const char *u)
{
	return str_startswith(u, "http://") || str_startswith(u, "https://");
}

struct look {
	const char *sysroot;
	const struct inst_discover_opts *o;
	size_t n_leases;		/* seen on the last look */
	size_t n_ns, n_domains;
	int dns_err;			/* the last DNS failure other than "no such record" */
	bool bad_logged;
};

static unsigned query_timeout(const struct look *lk)
{
	unsigned t = lk->o->dns_timeout_s ? lk->o->dns_timeout_s : 2;
	uint64_t now = inst_now_ms();

	if (lk->o->deadline_ms && lk->o->deadline_ms > now &&
	    (lk->o->deadline_ms - now) / 1000 < t)
		t = (unsigned)((lk->o->deadline_ms - now) / 1000);
	return t ? t : 1;
}

/* DNS: TXT proxmox-auto-installer.<domain> for each search domain, at the given servers. */
static int look_dns(struct look *lk, const struct inst_lease *all, size_t n,
		    struct inst_discovered *out, struct ip_err *err)
{
	struct inst_lease merged = { 0 };
	int ret = -ENOENT;

	for (size_t i = 0; i < n; i++)
		inst_lease_merge(&merged, &all[i], all[i].ifindex != 0);
	/* resolv.conf's servers (ifindex 0) only when no lease names one (its domains
	 * are in already: merging them again adds nothing) */
	for (size_t i = 0; i < n && !merged.n_dns; i++)
		if (!all[i].ifindex)
			inst_lease_merge(&merged, &all[i], true);
	lk->n_ns = merged.n_dns;
	lk->n_domains = merged.n_domains;
	for (size_t i = 0; i < merged.n_domains && merged.n_dns; i++) {
		char name[300];
		char *txt = NULL;
		int r;

		snprintf(name, sizeof(name), "%s.%s", INST_DNS_URL_NAME, merged.domains[i]);
		r = inst_dns_txt(merged.dns, merged.n_dns, lk->o->dns_port, query_timeout(lk),
				 name, &txt);
		if (r == -ENOENT)
			continue;
		if (r == -ENOTUNIQ) {
			ret = ip_err_set(err, -ENOTUNIQ, "DNS name '%s' has more than one TXT "
					 "record: refusing to guess which answer URL is meant",
					 name);
			break;
		}
		if (r < 0) {
			lk->dns_err = r;
			continue;
		}
		if (!url_ok(txt)) {
			ret = ip_err_set(err, -EINVAL, "DNS TXT record '%s' is not an http or "
					 "https URL", name);
			free(txt);
			break;
		}
		out->how = INST_DISC_DNS;
		out->url = txt;
		snprintf(out->where, sizeof(out->where), "DNS TXT record '%s'", name);
		snprintf(name, sizeof(name), "%s.%s", INST_DNS_FP_NAME, merged.domains[i]);
		r = inst_dns_txt(merged.dns, merged.n_dns, lk->o->dns_port, query_timeout(lk),
				 name, &out->fp);
		if (r < 0 && r != -ENOENT)
			ip_warn("cannot read DNS TXT record '%s': %s, ignoring", name,
				r == -ENOTUNIQ ? "more than one record" : strerror(-r));
		ret = 0;
		break;
	}
	inst_lease_release(&merged);
	return ret;
}

/* One look at the leases and DNS: 0 found, -ENOENT not yet, else an error to stop at. */
static int look_once(struct look *lk, struct inst_discovered *out, struct ip_err *err)
{
	struct inst_lease ls[INST_LEASE_MAX_FILES + 1];
	_cleanup_free_ char *resolv = NULL;
	size_t n, len;
	int ret = -ENOENT;

	n = inst_leases_read(lk->sysroot, ls, INST_LEASE_MAX_FILES, &lk->bad_logged);
	lk->n_leases = n;
	for (size_t i = 0; i < n; i++) {
		if (!ls[i].url)
			continue;
		if (!url_ok(ls[i].url)) {
			ret = ip_err_set(err, -EINVAL, "DHCP option %d on interface %d is not an "
					 "http or https URL", INST_DHCP_OPT_URL, ls[i].ifindex);
			goto out;
		}
		out->how = INST_DISC_DHCP;
		out->url = ls[i].url;
		out->fp = ls[i].fp;
		ls[i].url = ls[i].fp = NULL;
		snprintf(out->where, sizeof(out->where), "DHCP option %d (interface %d)",
			 INST_DHCP_OPT_URL, ls[i].ifindex);
		ret = 0;
		goto out;
	}
	/* Proxmox reads the search domain from resolv.conf: it counts after the leases */
	if (path_read_all(lk->sysroot, "/etc/resolv.conf", LEASE_MAX, &resolv, &len) == 0 &&
	    inst_resolv_parse(resolv, &ls[n]) == 0)
		n++;
	ret = look_dns(lk, ls, n, out, err);
out:
	for (size_t i = 0; i < n; i++)
		inst_lease_release(&ls[i]);
	return ret;
}

int inst_answer_discover(const char *sysroot, const struct inst_discover_opts *o,
			 struct inst_discovered *out, struct ip_err *err)
{
	static const struct inst_discover_opts none;
	struct look lk = { .sysroot = sysroot, .o = o ? o : &none };
	uint64_t pause, start = inst_now_ms();
	bool told = false;
	int ret;

	memset(out, 0, sizeof(*out));
	o = lk.o;
	pause = o->poll_ms ? o->poll_ms : 1000;
	ip_info("looking for the answer URL: DHCP option %d, then DNS TXT record '%s.<search "
		"domain>'", INST_DHCP_OPT_URL, INST_DNS_URL_NAME);
	for (;;) {
		uint64_t now;

		ret = look_once(&lk, out, err);
		if (ret == 0) {
			ip_info("answer URL from %s%s", out->where,
				out->fp ? ", with a certificate fingerprint" : "");
			return 0;
		}
		if (ret != -ENOENT)
			return ret;
		now = inst_now_ms();
		if (!o->deadline_ms || now >= o->deadline_ms)
			break;
		if (!told)
			ip_info("%s; looking again until the deadline",
				lk.n_leases ? "no answer URL in the DHCP leases or DNS yet" :
				"no DHCP lease yet");
		told = true;
		if (pause > o->deadline_ms - now)
			pause = o->deadline_ms - now;
		inst_sleep_ms(pause);
		if (pause < POLL_MAX_MS)
			pause *= 2;
	}
	return ip_err_set(err, -ENOENT,
			  "no answer URL found after %.0f s: %s%s; %s (%zu search domain(s), "
			  "%zu nameserver(s)%s)",
			  (double)(inst_now_ms() - start) / 1000.0,
			  lk.n_leases ? "no DHCP lease holds option 250" : "no DHCP lease in '",
			  lk.n_leases ? "" : INST_LEASE_DIR "'",
			  lk.n_domains && lk.n_ns ? "no TXT record '" INST_DNS_URL_NAME
			  ".<search domain>' answered" : "no search domain or nameserver to ask DNS",
			  lk.n_domains, lk.n_ns,
			  lk.dns_err ? ", some queries went unanswered" : "");
}
