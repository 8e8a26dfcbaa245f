/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_PAYLOAD_FETCH_H
#define IRONPASS_INST_PAYLOAD_FETCH_H

/*
 * PXE installs: the payload lives on an HTTP server (ironpass.payload=URL).
 * inst_payload_fetch() downloads manifest.json and every file it lists into
 * a local directory (a tmpfs under /run in the live system), streaming each
 * to disk, so that the install steps read the same shape as from the ISO.
 * Every file is checked against the manifest by the payload step afterwards.
 */

#include "err.h"

/* True when @s names an http:// or https:// location. */
int inst_payload_is_url(const char *s);

/* Download @url (the payload directory's URL, with or without a trailing '/') into @dir. */
int inst_payload_fetch(const char *url, const char *dir, struct ip_err *err);

#endif
