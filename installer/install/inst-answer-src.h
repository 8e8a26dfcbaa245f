/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_ANSWER_SRC_H
#define IRONPASS_INST_ANSWER_SRC_H

/*
 * Where the answer file comes from (issue 5 §1), first match wins:
 *  1. the kernel command line: ironpass.answer=URL (HTTP(S), retries, and
 *     an optional ironpass.answer-fingerprint=<sha256 of the certificate>),
 *     ironpass.answer=http (the URL and fingerprint from DHCP options
 *     250/251 or DNS TXT records: inst-answer-discover.h) or
 *     ironpass.answer=label:NAME (a partition with that label);
 *     the URL is a POST of the node's system information (inst-sysinfo.h)
 *     and may hold placeholders (inst-answer-url.h); when it cannot be
 *     formed or answers 404, ironpass.answer-default=URL is asked instead.
 *     The POST carries "Authorization: Bearer <token>" when the seed has
 *     /etc/ironpass/answer-token (or, with a warning, from
 *     ironpass.answer-token=). Discovery and every try end by the deadline
 *     (ironpass.answer-deadline=SECONDS, default 600) counted from the start
 *     of the search;
 *  2. a partition labelled IRONPASS or PROXMOX-AIS holding answer.toml;
 *  3. answer.toml on the boot medium (/run/live/medium/answer.toml);
 *  4. the seed initrd's /etc/ironpass/answer.toml, then its profile
 *     (/etc/ironpass/profile.toml);
 *  5. nothing: interactive, unless ironpass.auto was given (an error then).
 * An explicit source that fails (download, mount, missing file) is an
 * error; the search does not fall through to the next source.
 *
 * Every path is read under a sysroot; partitions are mounted read-only
 * through the runner and unmounted again.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/hw.h"
#include "err.h"
#include "runner.h"

#define INST_ANSWER_MAX		(1u << 20)
#define INST_MEDIUM_ANSWER	"/run/live/medium/answer.toml"
#define INST_SEED_ANSWER	"/etc/ironpass/answer.toml"
#define INST_SEED_PROFILE	"/etc/ironpass/profile.toml"
#define INST_ANSWER_MNT		"/run/ironpass/answer-part"
#define INST_SEED_TOKEN		"/etc/ironpass/answer-token"
#define INST_ANSWER_TOKEN_MAX	4096
#define INST_ANSWER_DEADLINE_S	600
#define INST_ANSWER_DISCOVER	"http"	/* ironpass.answer=http: discover the URL */

/* The ironpass.* words of /proc/cmdline */
struct inst_cmdline {
	bool automatic;			/* ironpass.auto */
	bool debug;			/* ironpass.debug */
	char *answer;			/* ironpass.answer=URL|label:NAME */
	char *answer_default;		/* ironpass.answer-default=URL (404 / unformed fallback) */
	char *answer_fp;		/* ironpass.answer-fingerprint=AB:CD:… */
	char *answer_token;		/* ironpass.answer-token=… (seed file preferred) */
	unsigned answer_deadline_s;	/* ironpass.answer-deadline=SECONDS; 0 = unset */
	char *payload;			/* ironpass.payload=URL */
	char *payload_sha256;		/* ironpass.payload-sha256=<SHA-256 of manifest.json> */
	char *webhook;			/* ironpass.webhook=URL */
};

/* Parse a kernel command line (double quotes group words; "--" ends it). */
int inst_cmdline_parse(const char *text, struct inst_cmdline *c, struct ip_err *err);
/* Read and parse <sysroot>/proc/cmdline. */
int inst_cmdline_read(const char *sysroot, struct inst_cmdline *c, struct ip_err *err);
void inst_cmdline_release(struct inst_cmdline *c);

enum inst_answer_origin {
	INST_ANS_INTERACTIVE,		/* nothing found */
	INST_ANS_URL,
	INST_ANS_LABEL,			/* ironpass.answer=label:NAME */
	INST_ANS_PARTITION,		/* IRONPASS / PROXMOX-AIS */
	INST_ANS_MEDIUM,
	INST_ANS_SEED,
	INST_ANS_PROFILE,
};

struct inst_answer_src {
	enum inst_answer_origin origin;
	char where[512];		/* redacted URL, device or path: for messages */
	char *text;			/* the TOML text (NULL when interactive) */
	size_t len;
};

struct inst_answer_src_opts {
	unsigned tries;			/* HTTP tries; 0 = until the deadline */
	unsigned backoff_ms;		/* 0 = 2000, doubled per retry (to about 60 s) */
	unsigned timeout_s;		/* per try; 0 = 30 */
	unsigned deadline_s;		/* 0 = ironpass.answer-deadline or INST_ANSWER_DEADLINE_S */
	uint64_t deadline_ms;		/* CLOCK_MONOTONIC ms (inst_now_ms); when set, it wins
					 * over deadline_s (the session counts the wait for
					 * a DHCP lease in: inst-resolv.h) */
	unsigned short dns_port;	/* discovery's DNS queries; 0 = 53 */
	unsigned poll_ms;		/* discovery's first pause; 0 = 1000 */
	const struct hw *hw;		/* what the POST says and the placeholders use; NULL:
					 * a machine with nothing known (tests) */
};

const char *inst_answer_origin_name(enum inst_answer_origin o);

int inst_answer_src_find(const char *sysroot, struct runner *r, const struct inst_cmdline *c,
			 const struct inst_answer_src_opts *o, struct inst_answer_src *out,
			 struct ip_err *err);
void inst_answer_src_release(struct inst_answer_src *s);

#endif
