/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_ANSWER_URL_H
#define IRONPASS_INST_ANSWER_URL_H

/*
 * Per-node answer URLs (issue 13 §1): placeholders in ironpass.answer and
 * ironpass.answer-default are replaced by this machine's values before the
 * fetch, so a static web server can hold one file per node:
 *
 *   {mac}         the management NIC's MAC, "52:54:00:12:34:56" (inst_sysinfo_mgmt_nic)
 *   {mac-dashes}  the same with dashes, "52-54-00-12-34-56" (servers whose file
 *                 names cannot hold ':')
 *   {serial}      DMI product_serial   \
 *   {uuid}        DMI product_uuid      > URL-path-escaped, '/' included;
 *   {product}     DMI product_name     /  {uuid} in lower case
 *
 * A placeholder outside this list, or a '{' without '}', is an error. A
 * value that is empty or a firmware stand-in ("To Be Filled By O.E.M.",
 * inst_sysinfo_dmi_unknown) leaves the URL unformed: -ENODATA, the message
 * naming the placeholder.
 */

#include "detect/hw.h"
#include "err.h"

/*
 * @tmpl with its placeholders replaced; *out is the caller's. @word names
 * the kernel command line word for messages ("ironpass.answer"). Messages
 * show the URL redacted. 0, -EINVAL (bad placeholder), -ENODATA, -ENOMEM.
 */
int inst_answer_url_form(const char *tmpl, const char *word, const struct hw *hw, char **out,
			 struct ip_err *err);

#endif
