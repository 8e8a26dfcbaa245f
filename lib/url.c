// SPDX-License-Identifier: GPL-2.0-or-later
/* URLs for messages and logs: user info, query and fragment left out. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

/* Output like snprintf's: writes what fits, counts everything. */
struct url_out {
	char *buf;
	size_t size, len;
};

static void out_put(struct url_out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, o->len++)
		if (o->len + 1 < o->size)
			o->buf[o->len] = s[i];
}

static void out_end(struct url_out *o)
{
	if (o->size)
		o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
}

static bool scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '-' || c == '.';
}

/* Length of "scheme" when @s starts with "scheme://", else 0. */
static size_t scheme_len(const char *s)
{
	size_t n = 0;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	while (scheme_char(s[n]))
		n++;
	return strncmp(s + n, "://", 3) ? 0 : n;
}

static size_t span_until(const char *s, size_t n, const char *stop)
{
	size_t i = 0;

	while (i < n && !strchr(stop, s[i]))
		i++;
	return i;
}

/*
 * @s (@n bytes) is "scheme://authority/path?query#fragment" with "://" at
 * @sl. Writes scheme://host[:port]/path. A port that is not a number (as in
 * "user:pa/ss@host", where the password holds a slash) ends the URL after
 * the host: what follows may be the rest of a password.
 */
static void redact_span(struct url_out *o, const char *s, size_t n, size_t sl)
{
	const char *auth = s + sl + 3, *host, *host_end, *at = NULL;
	size_t rest = n - sl - 3, alen = span_until(auth, rest, "/?#");
	bool port_ok = true;

	out_put(o, s, sl + 3);
	for (size_t i = 0; i < alen; i++)
		if (auth[i] == '@')
			at = auth + i;
	host = at ? at + 1 : auth;
	host_end = auth + alen;
	if (host < host_end && host[0] == '[') {
		const char *close = memchr(host, ']', (size_t)(host_end - host));

		if (close) {
			const char *port = close + 1;

			if (port < host_end && *port != ':')
				port_ok = false;
			for (const char *p = port + 1; port_ok && p < host_end; p++)
				port_ok = *p >= '0' && *p <= '9';
			if (!port_ok)
				host_end = close + 1;
		}
	} else {
		const char *colon = memchr(host, ':', (size_t)(host_end - host));

		for (const char *p = colon ? colon + 1 : host_end; p < host_end; p++)
			if (*p < '0' || *p > '9') {
				port_ok = false;
				host_end = colon;
				break;
			}
	}
	out_put(o, host, (size_t)(host_end - host));
	if (!port_ok)
		return;
	rest -= alen;
	out_put(o, auth + alen, span_until(auth + alen, rest, "?#"));
}

const char *url_redact(const char *url, char *buf, size_t size)
{
	struct url_out o = { buf, size, 0 };
	size_t sl = url ? scheme_len(url) : 0;

	if (sl)
		redact_span(&o, url, strlen(url), sl);
	else
		out_put(&o, "(not a URL)", strlen("(not a URL)"));
	out_end(&o);
	return buf;
}

char *url_redact_dup(const char *url)
{
	size_t n = url ? strlen(url) + 16 : 16;
	char *buf = malloc(n);

	return buf ? (char *)url_redact(url, buf, n) : NULL;
}

size_t url_redact_text(const char *text, char *buf, size_t size)
{
	struct url_out o = { buf, size, 0 };
	size_t i = 0, n = strlen(text);

	while (i < n) {
		const char *m = strstr(text + i, "://");
		size_t mi, st, e;

		if (!m) {
			out_put(&o, text + i, n - i);
			break;
		}
		mi = (size_t)(m - text);
		st = mi;
		while (st > i && scheme_char(text[st - 1]))
			st--;
		out_put(&o, text + i, st - i);
		e = mi + 3;
		while (e < n && text[e] != ' ' && text[e] != '\t' && text[e] != '\n' &&
		       text[e] != '"' && text[e] != '\'')
			e++;
		redact_span(&o, text + st, e - st, mi - st);
		i = e;
	}
	out_end(&o);
	return o.len;
}

size_t url_path_escape(const char *path, char *buf, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		bool keep = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || strchr("-._~/", *p);
		char enc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
		size_t len = keep ? 1 : 3;

		for (size_t i = 0; i < len; i++, n++)
			if (size && n < size - 1)
				buf[n] = keep ? (char)*p : enc[i];
	}
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return n;
}
