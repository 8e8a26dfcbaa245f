/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_RESOLV_H
#define IRONPASS_INST_RESOLV_H

/*
 * The live system's /etc/resolv.conf, so that curl can resolve a host name
 * in an answer, payload or webhook URL. systemd-networkd does DHCP there
 * (overlay/etc/systemd/network/80-ironpass-dhcp.network), but no resolver
 * daemon runs and nothing writes resolv.conf: the image ships it empty
 * (overlay/etc/resolv.conf), and only a PXE boot through live-boot may fill
 * it (from the initramfs's own DHCP).
 *
 * When <sysroot>/etc/resolv.conf has no nameserver line (missing, empty,
 * comments only, or a symlink to nothing, e.g. ../run/systemd/resolve/
 * stub-resolv.conf), it is written from networkd's lease files
 * (inst-answer-discover.h): their DNS= servers, then "search" with their
 * DOMAIN_SEARCH_LIST and DOMAINNAME. A resolv.conf with a nameserver line
 * is never touched. The file is written atomically, mode 0644; a symlink is
 * replaced by the file, its target left alone.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "install/inst-answer-discover.h"

#define INST_RESOLV_CONF	"/etc/resolv.conf"
#define INST_RESOLV_WAIT_S	15	/* for a lease when only a payload or webhook URL needs it */

struct inst_resolv_opts {
	/*
	 * CLOCK_MONOTONIC ms (inst_now_ms) until which to wait for a lease
	 * when there is none yet (or none names a DNS server); 0 = look once.
	 */
	uint64_t deadline_ms;
	unsigned poll_ms;		/* pause between looks; 0 = 500 */
};

/* Does this resolv.conf text have a "nameserver" line (any address)? */
bool inst_resolv_has_nameserver(const char *text);

/*
 * Does @url ("scheme://[user@]host[:port]/…") name its host by a name, i.e.
 * not an IPv4 or [IPv6] literal? false for anything that is not such a URL.
 */
bool inst_url_has_host_name(const char *url);

/* resolv.conf text for @l's nameservers and search domains (caller frees); NULL on ENOMEM. */
char *inst_resolv_text(const struct inst_lease *l, const char *origin);

/*
 * Make sure <sysroot>/etc/resolv.conf names a nameserver (see above).
 * Returns 1 when it was written, 0 when nothing was to be done or nothing
 * could be written (it has nameservers; no lease naming a DNS server by the
 * deadline: logged, not an error), or a negative errno with @err set when
 * writing failed.
 */
int inst_resolv_ensure(const char *sysroot, const struct inst_resolv_opts *o,
		       struct ip_err *err);

#endif
