/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_SYSINFO_H
#define IRONPASS_INST_SYSINFO_H

/*
 * What the node says about itself when it asks for its answer
 * (ironpass.answer=URL, issue 13 §1): a JSON document in the shape
 * Proxmox's proxmox-fetch-answer POSTs ("$schema", "product", "iso", "dmi",
 * "network_interfaces"), plus an "ironpass" object with what Proxmox does
 * not send (CPU, memory, firmware, disks, GPUs, NIC details). Field list:
 * docs/answer-file.md "Per-node answers".
 *
 * And the values of the answer URL's placeholders ({mac}, {serial}, …),
 * which come from the same model.
 */

#include "detect/hw.h"
#include "err.h"

struct json_object;

/*
 * The "dmi" object as Proxmox sends it: system (name, serial, uuid, sku),
 * baseboard (name, serial, asset_tag), chassis (serial, sku, asset_tag);
 * an unknown value is left out. Also the done event's "dmi" (inst-facts.c).
 */
struct json_object *inst_sysinfo_dmi(const struct hw_dmi *d);

/* The JSON text (compact, keys in a fixed order). Caller frees. 0 or -ENOMEM. */
int inst_sysinfo_json(const struct hw *hw, char **out, struct ip_err *err);

/*
 * The NIC {mac} names: the first physical NIC with link, else the first
 * physical NIC (as the installer picks the management NIC when the answer
 * has no filter). NULL when the machine has no physical NIC.
 */
const struct hw_nic *inst_sysinfo_mgmt_nic(const struct hw *hw);

/* A DMI value firmware vendors leave as a stand-in ("To Be Filled By O.E.M.", "", …). */
bool inst_sysinfo_dmi_unknown(const char *v);

#endif
