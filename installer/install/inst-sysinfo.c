// SPDX-License-Identifier: GPL-2.0-or-later
/* The node's system information as the answer server sees it (see inst-sysinfo.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "cli.h"
#include "install/inst-sysinfo.h"
#include "util.h"

#define ADD(o, k, v) json_object_object_add((o), (k), (v))
#define JSTR(s) json_object_new_string(s)
#define JINT(i) json_object_new_int64((int64_t)(i))
#define JBOOL(b) json_object_new_boolean(b)

/* Proxmox's fetcher sends this schema version; our additions live in "ironpass" only. */
#define SYSINFO_SCHEMA "1.0"

bool inst_sysinfo_dmi_unknown(const char *v)
{
	static const char *const stand_ins[] = {
		"To Be Filled By O.E.M.", "Default string", "Not Specified", "Not Applicable",
		"None", "System Serial Number", "System Product Name", "0123456789",
		"00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
		"03000200-0400-0500-0006-000700080009",
	};

	if (!v || !*v)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(stand_ins); i++)
		if (!strcasecmp(v, stand_ins[i]))
			return true;
	return false;
}

const struct hw_nic *inst_sysinfo_mgmt_nic(const struct hw *hw)
{
	const struct hw_nic *best = NULL;

	for (size_t i = 0; hw && i < hw->n_nics; i++) {
		const struct hw_nic *n = &hw->nics[i];

		if (n->is_virtual || !n->mac[0])
			continue;
		if (!best || (n->link && !best->link))
			best = n;
	}
	return best;
}

/* Proxmox reads each DMI file and leaves the key out when the file is missing. */
static void dmi_add(struct json_object *o, const char *key, const char *v)
{
	if (v && *v)
		ADD(o, key, JSTR(v));
}

/* Proxmox's keys: the file name after its first '_' (product_sku → system "sku") */
struct json_object *inst_sysinfo_dmi(const struct hw_dmi *d)
{
	struct json_object *o = json_object_new_object(), *sys = json_object_new_object();

	dmi_add(sys, "name", d->product_name);
	dmi_add(sys, "serial", d->product_serial);
	dmi_add(sys, "uuid", d->product_uuid);
	dmi_add(sys, "sku", d->product_sku);
	ADD(o, "system", sys);
	sys = json_object_new_object();
	dmi_add(sys, "name", d->board_name);
	dmi_add(sys, "serial", d->board_serial);
	dmi_add(sys, "asset_tag", d->board_asset_tag);
	ADD(o, "baseboard", sys);
	sys = json_object_new_object();
	dmi_add(sys, "serial", d->chassis_serial);
	dmi_add(sys, "sku", d->chassis_sku);
	dmi_add(sys, "asset_tag", d->chassis_asset_tag);
	ADD(o, "chassis", sys);
	return o;
}

static struct json_object *sysinfo_nics(const struct hw *hw, bool ours)
{
	const struct hw_nic *mgmt = inst_sysinfo_mgmt_nic(hw);
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < hw->n_nics; i++) {
		const struct hw_nic *n = &hw->nics[i];
		struct json_object *o;

		if (!strcmp(n->name, "lo"))
			continue;
		o = json_object_new_object();
		ADD(o, "link", JSTR(n->name));
		ADD(o, "mac", JSTR(n->mac));
		if (ours) {
			ADD(o, "driver", n->driver[0] ? JSTR(n->driver) : NULL);
			ADD(o, "carrier", JBOOL(n->link));
			ADD(o, "virtual", JBOOL(n->is_virtual));
			ADD(o, "pci", n->pci_addr[0] ? JSTR(n->pci_addr) : NULL);
			ADD(o, "speed_mbps", n->speed_mbps ? JINT(n->speed_mbps) : NULL);
			ADD(o, "management", JBOOL(n == mgmt));
		}
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *sysinfo_disks(const struct hw *hw)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < hw->n_disks; i++) {
		const struct hw_disk *d = &hw->disks[i];
		struct json_object *o = json_object_new_object();

		ADD(o, "name", JSTR(d->name));
		ADD(o, "size", JINT(d->size_bytes));
		ADD(o, "model", d->model[0] ? JSTR(d->model) : NULL);
		ADD(o, "serial", d->serial[0] ? JSTR(d->serial) : NULL);
		ADD(o, "transport", d->transport[0] ? JSTR(d->transport) : NULL);
		ADD(o, "rotational", JBOOL(d->rotational));
		ADD(o, "removable", JBOOL(d->removable));
		ADD(o, "boot_medium", JBOOL(d->is_boot_medium));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *hex4(unsigned v)
{
	char buf[8];

	snprintf(buf, sizeof(buf), "%04x", v & 0xffff);
	return JSTR(buf);
}

static struct json_object *sysinfo_gpus(const struct hw *hw)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < hw->n_gpus; i++) {
		const struct hw_gpu *g = &hw->gpus[i];
		const struct hw_pci_dev *p;
		struct json_object *o;

		if (g->display >= hw->n_pci)
			continue;
		p = &hw->pci[g->display];
		o = json_object_new_object();
		ADD(o, "address", JSTR(p->addr));
		ADD(o, "vendor_id", hex4(p->vendor_id));
		ADD(o, "device_id", hex4(p->device_id));
		ADD(o, "vendor", p->vendor_name[0] ? JSTR(p->vendor_name) : NULL);
		ADD(o, "device", p->device_name[0] ? JSTR(p->device_name) : NULL);
		ADD(o, "driver", p->driver[0] ? JSTR(p->driver) : NULL);
		ADD(o, "integrated", JBOOL(g->integrated));
		ADD(o, "boot", JBOOL(g->is_boot));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *sysinfo_cpu(const struct hw_cpu *c)
{
	struct json_object *o = json_object_new_object();

	ADD(o, "vendor", c->vendor_str[0] ? JSTR(c->vendor_str) : NULL);
	ADD(o, "model", c->model[0] ? JSTR(c->model) : NULL);
	ADD(o, "sockets", JINT(c->sockets));
	ADD(o, "cores", JINT(c->cores));
	ADD(o, "threads", JINT(c->threads));
	ADD(o, "virtualization", JBOOL(c->virt));
	ADD(o, "hybrid", JBOOL(c->hybrid));
	return o;
}

static struct json_object *sysinfo_ours(const struct hw *hw)
{
	struct json_object *o = json_object_new_object(), *dmi = json_object_new_object();

	ADD(o, "version", JSTR(IRONPASS_VERSION));
	ADD(o, "firmware", JSTR(hw->fw == HW_FW_UEFI ? "uefi" : "bios"));
	ADD(o, "secure_boot", hw->secure_boot == HW_UNKNOWN ? NULL :
			      JBOOL(hw->secure_boot == HW_YES));
	ADD(o, "memory_kib", JINT(hw->mem_total_kib));
	dmi_add(dmi, "sys_vendor", hw->dmi.sys_vendor);
	dmi_add(dmi, "board_vendor", hw->dmi.board_vendor);
	dmi_add(dmi, "bios_version", hw->dmi.bios_version);
	ADD(o, "dmi", dmi);
	ADD(o, "cpu", sysinfo_cpu(&hw->cpu));
	ADD(o, "network_interfaces", sysinfo_nics(hw, true));
	ADD(o, "disks", sysinfo_disks(hw));
	ADD(o, "gpus", sysinfo_gpus(hw));
	return o;
}

int inst_sysinfo_json(const struct hw *hw, char **out, struct ip_err *err)
{
	static const struct hw none;
	struct json_object *root = json_object_new_object(), *o;
	const char *s;
	int ret = 0;

	*out = NULL;
	if (!hw)
		hw = &none;
	if (!root)
		return ip_err_set(err, -ENOMEM, "out of memory");
	o = json_object_new_object();
	ADD(o, "version", JSTR(SYSINFO_SCHEMA));
	ADD(root, "$schema", o);
	/* what is being installed: Proxmox VE, as Proxmox's own ISO would say */
	o = json_object_new_object();
	ADD(o, "fullname", JSTR("Proxmox VE"));
	ADD(o, "product", JSTR("pve"));
	ADD(o, "enable_btrfs", JBOOL(true));
	ADD(root, "product", o);
	/* no Proxmox ISO here: the installer's own version stands in */
	o = json_object_new_object();
	ADD(o, "release", JSTR(IRONPASS_VERSION));
	ADD(o, "isorelease", JSTR("ironpass"));
	ADD(root, "iso", o);
	ADD(root, "dmi", inst_sysinfo_dmi(&hw->dmi));
	ADD(root, "network_interfaces", sysinfo_nics(hw, false));
	ADD(root, "ironpass", sysinfo_ours(hw));
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s || !(*out = strdup(s)))
		ret = ip_err_set(err, -ENOMEM, "out of memory");
	json_object_put(root);
	return ret;
}
