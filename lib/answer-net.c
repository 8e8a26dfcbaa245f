// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Validators for network values in answer files: host and domain names,
 * IPv4/IPv6 addresses and CIDRs, MAC addresses, interface names, URLs and
 * e-mail addresses. Each returns NULL when the value is fine, else a short
 * reason (lower-case, no full stop) that the caller puts into a message.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "answer-int.h"

static bool net_is_lower_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}

static bool net_is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* Check the labels of a DNS name; *n_labels gets their count. */
static const char *net_dns_name(const char *s, size_t *n_labels)
{
	const char *label = s;
	bool numeric = true;

	*n_labels = 0;
	if (!*s)
		return "is empty";
	if (strlen(s) > 253)
		return "is longer than 253 characters";
	for (const char *p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			size_t len = (size_t)(p - label);

			if (len == 0 && *p == '\0' && *n_labels)
				return "must not end with '.'";
			if (len == 0)
				return "has an empty label";
			if (len > 63)
				return "has a label longer than 63 characters";
			if (label[0] == '-' || p[-1] == '-')
				return "has a label that starts or ends with '-'";
			(*n_labels)++;
			if (*p == '\0')
				break;
			label = p + 1;
			numeric = true;
			continue;
		}
		if (!net_is_lower_alnum(*p) && *p != '-')
			return "may only hold a-z, 0-9, '-' and '.'";
		if (*p < '0' || *p > '9')
			numeric = false;
	}
	if (numeric)
		return "has an all-numeric top-level label";
	return NULL;
}

const char *answer_valid_fqdn(const char *s)
{
	size_t labels;
	const char *why = net_dns_name(s, &labels);

	if (why)
		return why;
	if (labels < 2)
		return "is a bare host name, it needs a domain (e.g. 'pve.example.com')";
	return NULL;
}

const char *answer_valid_domain(const char *s)
{
	size_t labels;

	return net_dns_name(s, &labels);
}

int answer_parse_ip(const char *s, unsigned char addr[16])
{
	memset(addr, 0, 16);
	if (strchr(s, ':'))
		return inet_pton(AF_INET6, s, addr) == 1 ? 6 : 0;
	return inet_pton(AF_INET, s, addr) == 1 ? 4 : 0;
}

const char *answer_valid_ip(const char *s)
{
	unsigned char addr[16];

	if (!answer_parse_ip(s, addr))
		return "is not an IPv4 or IPv6 address";
	return NULL;
}

/* Split "addr/len": copies the address part into @ip, returns the family or 0 */
static int net_split_cidr(const char *s, char ip[64], unsigned char addr[16], unsigned *prefix,
			  const char **why)
{
	const char *slash = strchr(s, '/');
	unsigned len = 0;
	int fam;

	*why = "must be an address with a prefix length, e.g. '192.0.2.10/24'";
	if (!slash || (size_t)(slash - s) >= 64 || slash == s)
		return 0;
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = '\0';
	fam = answer_parse_ip(ip, addr);
	if (!fam) {
		*why = "does not start with an IPv4 or IPv6 address";
		return 0;
	}
	if (!slash[1] || strlen(slash + 1) > 3 || (slash[1] == '0' && slash[2])) {
		*why = "has an invalid prefix length";
		return 0;
	}
	for (const char *p = slash + 1; *p; p++) {
		if (*p < '0' || *p > '9') {
			*why = "has an invalid prefix length";
			return 0;
		}
		len = len * 10 + (unsigned)(*p - '0');
	}
	if (len < 1 || len > (fam == 4 ? 32u : 128u)) {
		*why = fam == 4 ? "prefix length must be 1 to 32"
				: "prefix length must be 1 to 128";
		return 0;
	}
	*prefix = len;
	*why = NULL;
	return fam;
}

static uint32_t net_v4(const unsigned char a[16])
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

const char *answer_valid_cidr(const char *s)
{
	unsigned char addr[16];
	unsigned prefix;
	const char *why;
	char ip[64];
	int fam = net_split_cidr(s, ip, addr, &prefix, &why);

	if (!fam)
		return why;
	if (fam == 4 && prefix < 31) {
		uint32_t host_mask = (uint32_t)0xffffffffu >> prefix;
		uint32_t a = net_v4(addr);

		if ((a & host_mask) == 0)
			return "is the network address, not a host address";
		if ((a & host_mask) == host_mask)
			return "is the broadcast address, not a host address";
	}
	if (fam == 4 && addr[0] == 0)
		return "is not a usable host address";
	if (fam == 4 && (addr[0] >= 224))
		return "is a multicast or reserved address";
	if (fam == 6 && addr[0] == 0xff)
		return "is a multicast address";
	return NULL;
}

bool answer_ip_in_cidr(const char *ip_s, const char *cidr)
{
	unsigned char net[16], addr[16];
	unsigned prefix;
	const char *why;
	char ip[64];
	int fam = net_split_cidr(cidr, ip, net, &prefix, &why);

	if (!fam || answer_parse_ip(ip_s, addr) != fam)
		return false;
	for (unsigned bit = 0; bit < prefix; bit++) {
		unsigned char m = (unsigned char)(0x80u >> (bit % 8));

		if ((net[bit / 8] & m) != (addr[bit / 8] & m))
			return false;
	}
	return true;
}

const char *answer_valid_mac(const char *s)
{
	bool zero = true;

	if (strlen(s) != 17)
		return "must be six hex bytes separated by ':', e.g. 'a0:b1:c2:d3:e4:f5'";
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2 ? s[i] != ':' : !net_is_hex(s[i]))
			return "must be six hex bytes separated by ':', e.g. 'a0:b1:c2:d3:e4:f5'";
		if (i % 3 != 2 && s[i] != '0')
			zero = false;
	}
	if (zero)
		return "is all zeros";
	/* bit 0 of the first byte: group address */
	if ((strchr("13579bdfBDF", s[1]) != NULL))
		return "is a multicast address";
	return NULL;
}

const char *answer_valid_ifname(const char *s)
{
	size_t len = strlen(s);

	if (len == 0)
		return "is empty";
	if (len > 15)
		return "is longer than 15 characters";
	if (s[0] < 'a' || s[0] > 'z')
		return "must start with a letter a-z";
	for (const char *p = s; *p; p++)
		if (!net_is_lower_alnum(*p) && *p != '_')
			return "may only hold a-z, 0-9 and '_'";
	return NULL;
}

static const char *net_valid_host(const char *host, size_t len)
{
	char buf[256];
	unsigned char addr[16];

	if (len == 0)
		return "has no host";
	if (len >= sizeof(buf))
		return "has a host name that is too long";
	if (host[0] == '[') {
		if (host[len - 1] != ']' || len < 3)
			return "has an invalid IPv6 host";
		memcpy(buf, host + 1, len - 2);
		buf[len - 2] = '\0';
		return answer_parse_ip(buf, addr) == 6 ? NULL : "has an invalid IPv6 host";
	}
	memcpy(buf, host, len);
	buf[len] = '\0';
	for (char *p = buf; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (answer_parse_ip(buf, addr) == 4)
		return NULL;
	return answer_valid_domain(buf) ? "has an invalid host name" : NULL;
}

const char *answer_valid_url(const char *s)
{
	const char *host, *end, *colon;
	unsigned port = 0;

	if (!strncmp(s, "https://", 8))
		host = s + 8;
	else if (!strncmp(s, "http://", 7))
		host = s + 7;
	else
		return "must start with 'http://' or 'https://'";
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '"' || *p == '\\')
			return "must not contain spaces, quotes or control characters";
	end = host + strcspn(host, "/?#");
	if (memchr(host, '@', (size_t)(end - host)))
		return "must not hold a user name or password";
	colon = NULL;
	for (const char *p = host; p < end; p++)
		if (*p == ':')
			colon = p;
	/* "[2001:db8::1]:443": only a ':' after the ']' starts the port */
	if (colon && host[0] == '[') {
		const char *close = memchr(host, ']', (size_t)(end - host));

		if (!close || colon < close)
			colon = NULL;
	}
	if (colon) {
		if (colon + 1 == end || end - colon > 6)
			return "has an invalid port";
		for (const char *p = colon + 1; p < end; p++) {
			if (*p < '0' || *p > '9')
				return "has an invalid port";
			port = port * 10 + (unsigned)(*p - '0');
		}
		if (port == 0 || port > 65535)
			return "has an invalid port";
		end = colon;
	}
	return net_valid_host(host, (size_t)(end - host));
}

const char *answer_valid_email(const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || strchr(at + 1, '@'))
		return "must be an e-mail address like 'root@example.com'";
	if (at - s > 64)
		return "has a local part longer than 64 characters";
	for (const char *p = s; p < at; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || strchr("\"(),:;<>[\\]", *p))
			return "has an invalid character before '@'";
	if (answer_valid_domain(at + 1))
		return "has an invalid domain after '@'";
	return NULL;
}
