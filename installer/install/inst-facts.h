/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_FACTS_H
#define IRONPASS_INST_FACTS_H

/*
 * What the Proxmox VE auto-installer reports about an installed system in
 * its post-installation webhook (schema "1.2"), gathered by the "facts"
 * step while the target is still mounted: from the hardware model, the
 * layout, the network decision and the answer, and from files read under
 * the target (/etc/debian_version, /etc/machine-id, the SSH host keys, the
 * dpkg database, the newest /boot/vmlinuz-*) and the sysroot (the udev
 * database). What ironpass cannot know is left out, never made up
 * (docs/answer-file.md lists each field and when it is present).
 */

#include <stddef.h>

#include "install/inst.h"

#define INST_FACTS_SCHEMA	"1.2"

struct json_object;

/*
 * The facts as a JSON object (a new reference, fixed key order) in *out.
 * Files that are missing only leave their field out; 0, or -ENOMEM.
 */
int inst_facts_gather(const struct inst_ctx *ctx, struct json_object **out);

/*
 * The version of an installed package from the text of a dpkg status
 * file ("install ok installed" only). 0, or -ENOENT.
 */
int inst_facts_dpkg_version(const char *status, size_t len, const char *pkg, char *out,
			    size_t size);

/*
 * The kernel version string of an x86 bzImage (the boot protocol's
 * kernel_version field), from the first @len bytes of the image, e.g.
 * "6.8.12-4-pve (build@proxmox) #1 SMP PREEMPT_DYNAMIC …". 0, or -EINVAL
 * when @img is no bzImage or the string is not within @len bytes.
 */
int inst_facts_bzimage_version(const unsigned char *img, size_t len, char *out, size_t size);

#endif
