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

/*
 * A relative path (file names of a payload: "pool/busybox-static_1%3a1.35_amd64.deb",
 * which apt names with a literal "%3a" for the epoch's ':') as a URL path:
 * every byte but A-Z a-z 0-9 - . _ ~ and '/' percent-encoded ("%253a"), so the
 * server maps it back to the file's own name. Writes at most @size - 1 bytes
 * and returns the length of the whole result (like snprintf).
 */
size_t url_path_escape(const char *path, char *buf, size_t size);

#endif
