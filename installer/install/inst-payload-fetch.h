/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_PAYLOAD_FETCH_H
#define IRONPASS_INST_PAYLOAD_FETCH_H

/*
 * PXE installs: the payload lives on an HTTP server (ironpass.payload=URL).
 * inst_payload_fetch() downloads manifest.json and every file it lists into
 * a local directory (a tmpfs under /run in the live system), streaming each
 * to disk, so that the install steps read the same shape as from the ISO.
 * Every file is checked against the manifest by the payload step afterwards.
 *
 * What the download itself guarantees:
 *  - the pin: with a pinned SHA-256, a manifest.json whose digest differs
 *    is refused before any other file is requested;
 *  - sizes: no file is written past the size the manifest lists; a longer
 *    one (announced or sent) stops its transfer there and is refused;
 *  - time: each file has a deadline of INST_FETCH_BASE_S plus its size at
 *    INST_FETCH_MIN_RATE, on top of the low-speed limit (less than 1 KiB/s
 *    for 30 s); the manifest counts as INST_FETCH_MANIFEST_MAX bytes;
 *  - redirects (at most 5) are followed, but never from https to http.
 */

#include "err.h"
#include "hash.h"

#define INST_SEED_PAYLOAD_PIN	"/etc/ironpass/payload.sha256"
#define INST_FETCH_BASE_S	60u
#define INST_FETCH_MIN_RATE	(512u * 1024)	/* bytes per second */
#define INST_FETCH_MANIFEST_MAX	(16u << 20)

/* The SHA-256 of manifest.json that the payload must have. */
struct inst_payload_pin {
	char sha256[SHA256_HEX_LEN + 1];	/* lower-case hex; "" = not pinned */
	const char *from;		/* for messages: "the seed", … */
};

/*
 * The pin from <sysroot>/etc/ironpass/payload.sha256 (the seed) and @cmdline
 * (the value of ironpass.payload-sha256=, or NULL). Either one pins; both
 * present must be equal (-EINVAL names both otherwise), as must be their
 * form (64 hex digits, any case). No pin at all is 0 with pin->sha256 "".
 */
int inst_payload_pin_read(const char *sysroot, const char *cmdline, struct inst_payload_pin *pin,
			  struct ip_err *err);
/* A local payload (the ISO): @dir/manifest.json against @pin (0 when unpinned), -EBADMSG. */
int inst_payload_pin_check(const char *dir, const struct inst_payload_pin *pin,
			   struct ip_err *err);

struct inst_payload_fetch_opts {
	const char *pin;		/* SHA-256 of manifest.json (lower-case hex), or NULL */
	const char *pin_from;		/* where the pin came from, for messages */
	unsigned tries;			/* per file, for transient errors; 0 = 3 */
	unsigned base_s;		/* deadline base; 0 = INST_FETCH_BASE_S */
	unsigned min_rate;		/* deadline rate, bytes/s; 0 = INST_FETCH_MIN_RATE */
	const char *ca_pem;		/* tests: trust only this PEM certificate, not the system's */
};

/* True when @s names an http:// or https:// location. */
int inst_payload_is_url(const char *s);

/* The deadline in milliseconds for a file of @size bytes (0 or NULL opts: the defaults). */
long inst_payload_deadline_ms(const struct inst_payload_fetch_opts *o, unsigned long long size);

/*
 * Download @url (the payload directory's URL, with or without a trailing '/')
 * into @dir. Errors: -EINVAL (not http(s), a bad manifest), -EBADMSG (pin
 * mismatch), -EFBIG (a file longer than listed), -EPERM (a refused redirect),
 * -ETIMEDOUT, -EPROTO (HTTP status >= 400), -EIO; messages name the URL
 * without user info or query.
 */
int inst_payload_fetch(const char *url, const char *dir, const struct inst_payload_fetch_opts *o,
		       struct ip_err *err);

#endif
