/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_URL_H
#define IRONPASS_URL_H

/*
 * URLs as they may be shown in messages and logs (design §5 "Secrets"):
 * scheme://host[:port]/path and nothing else. User info ("user:password@"),
 * the query (where tokens ride) and the fragment are left out. Shared by
 * the builder and the installer.
 */

#include <stddef.h>

/*
 * @url redacted into @buf (cut to @size - 1 bytes). A text that does not
 * start with "scheme://" gives "(not a URL)", as it may be anything, a
 * password included. Returns @buf.
 */
const char *url_redact(const char *url, char *buf, size_t size);

/* The same, malloc'ed; NULL when out of memory. */
char *url_redact_dup(const char *url);

/*
 * @text with every URL in it (scheme://… up to white space or a quote)
 * redacted, e.g. a kernel command line word "ironpass.answer=https://…".
 * Writes at most @size - 1 bytes to @buf and returns the length the whole
 * result has (like snprintf), so that a caller can tell it was cut.
 */
size_t url_redact_text(const char *text, char *buf, size_t size);

#endif
