// SPDX-License-Identifier: GPL-2.0-or-later
/* The whole hardware model and its verdict as JSON (json-c). */
#include <stdio.h>

#include "detect/hw-json.h"
#include "detect/hw-report.h"

#define ADD(o, k, v) json_object_object_add((o), (k), (v))
#define JSTR(s) json_object_new_string(s)
#define JINT(i) json_object_new_int64((int64_t)(i))
#define JBOOL(b) json_object_new_boolean(b)

static struct json_object *jtri(enum hw_tristate t)
{
	return t == HW_UNKNOWN ? NULL : JBOOL(t == HW_YES);
}

static struct json_object *jhex(unsigned v, int width)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%0*x", width, v);
	return JSTR(buf);
}

static struct json_object *hw_json_pci(const struct hw_pci_dev *p)
{
	struct json_object *o = json_object_new_object(), *bars = json_object_new_array();

	ADD(o, "address", JSTR(p->addr));
	ADD(o, "vendor_id", jhex(p->vendor_id, 4));
	ADD(o, "device_id", jhex(p->device_id, 4));
	ADD(o, "subsystem_vendor_id", jhex(p->subsys_vendor, 4));
	ADD(o, "subsystem_device_id", jhex(p->subsys_device, 4));
	ADD(o, "class", jhex(p->class_code, 6));
	ADD(o, "header_type", JINT(p->header_type));
	ADD(o, "bridge", JBOOL(p->is_bridge));
	ADD(o, "vendor", JSTR(p->vendor_name));
	ADD(o, "device", JSTR(p->device_name));
	ADD(o, "driver", p->driver[0] ? JSTR(p->driver) : NULL);
	ADD(o, "iommu_group", p->iommu_group >= 0 ? JINT(p->iommu_group) : NULL);
	ADD(o, "boot_vga", jtri(p->boot_vga));
	ADD(o, "framebuffer_in_bar", JBOOL(p->fb_in_bar));
	ADD(o, "reset_method", p->reset_method[0] ? JSTR(p->reset_method) : NULL);
	ADD(o, "numa_node", JINT(p->numa_node));
	for (int i = 0; i < 6; i++) {
		struct json_object *b;
		char buf[48];

		if (!p->bar_end[i])
			continue;
		b = json_object_new_object();
		ADD(b, "index", JINT(i));
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)p->bar_start[i]);
		ADD(b, "start", JSTR(buf));
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)p->bar_end[i]);
		ADD(b, "end", JSTR(buf));
		json_object_array_add(bars, b);
	}
	ADD(o, "bars", bars);
	return o;
}

static struct json_object *hw_json_idx_addrs(const struct hw *hw, const size_t *idx, size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, JSTR(hw->pci[idx[i]].addr));
	return a;
}

static struct json_object *hw_json_gpu(const struct hw *hw, const struct hw_gpu *g)
{
	struct json_object *o = json_object_new_object();

	ADD(o, "address", JSTR(hw->pci[g->display].addr));
	ADD(o, "functions", hw_json_idx_addrs(hw, g->fn, g->n_fn));
	ADD(o, "integrated", JBOOL(g->integrated));
	ADD(o, "boot", JBOOL(g->is_boot));
	ADD(o, "groups_known", JBOOL(g->groups_known));
	ADD(o, "group_clean", JBOOL(g->group_clean));
	ADD(o, "group_intruders", hw_json_idx_addrs(hw, g->intruders, g->n_intruders));
	return o;
}

static struct json_object *hw_json_cpu(const struct hw_cpu *c)
{
	struct json_object *o = json_object_new_object();

	ADD(o, "vendor", JSTR(c->vendor_str));
	ADD(o, "model", JSTR(c->model));
	ADD(o, "family", JINT(c->family));
	ADD(o, "model_id", JINT(c->model_id));
	ADD(o, "virtualization", JBOOL(c->virt));
	ADD(o, "threads", JINT(c->threads));
	ADD(o, "cores", JINT(c->cores));
	ADD(o, "sockets", JINT(c->sockets));
	ADD(o, "hybrid", JBOOL(c->hybrid));
	ADD(o, "pcores", JSTR(c->pcores));
	ADD(o, "ecores", JSTR(c->ecores));
	ADD(o, "pcore_threads", JINT(c->n_pcores_threads));
	ADD(o, "ecore_threads", JINT(c->n_ecores_threads));
	return o;
}

static struct json_object *hw_json_disk(const struct hw_disk *d)
{
	struct json_object *o = json_object_new_object();

	ADD(o, "name", JSTR(d->name));
	ADD(o, "size_bytes", JINT(d->size_bytes));
	ADD(o, "logical_block_size", JINT(d->logical_block));
	ADD(o, "rotational", JBOOL(d->rotational));
	ADD(o, "removable", JBOOL(d->removable));
	ADD(o, "readonly", JBOOL(d->readonly));
	ADD(o, "transport", JSTR(d->transport));
	ADD(o, "model", JSTR(d->model));
	ADD(o, "serial", JSTR(d->serial));
	ADD(o, "wwn", JSTR(d->wwn));
	ADD(o, "partitions", JINT(d->n_partitions));
	ADD(o, "optical", JBOOL(d->optical));
	ADD(o, "md", JBOOL(d->md));
	ADD(o, "boot_medium", JBOOL(d->is_boot_medium));
	return o;
}

static struct json_object *hw_json_nic(const struct hw_nic *n)
{
	struct json_object *o = json_object_new_object();

	ADD(o, "name", JSTR(n->name));
	ADD(o, "mac", JSTR(n->mac));
	ADD(o, "driver", n->driver[0] ? JSTR(n->driver) : NULL);
	ADD(o, "pci_address", n->pci_addr[0] ? JSTR(n->pci_addr) : NULL);
	ADD(o, "link", JBOOL(n->link));
	ADD(o, "virtual", JBOOL(n->is_virtual));
	ADD(o, "speed_mbps", JINT(n->speed_mbps));
	return o;
}

static struct json_object *hw_json_verdict(const struct hw *hw)
{
	struct json_object *o = json_object_new_object(), *r = json_object_new_array();
	struct json_object *c = json_object_new_array();
	struct hw_verdict v;

	hw_verdict(hw, &v);
	ADD(o, "level", JSTR(hw_readiness_str(v.level)));
	for (size_t i = 0; i < v.n_reasons; i++) {
		struct json_object *e = json_object_new_object();

		ADD(e, "blocking", JBOOL(v.reasons[i].blocking));
		ADD(e, "text", JSTR(v.reasons[i].text));
		json_object_array_add(r, e);
	}
	ADD(o, "reasons", r);
	for (size_t i = 0; i < v.n_candidates; i++)
		json_object_array_add(c, JSTR(hw->pci[hw->gpus[v.candidates[i]].display].addr));
	ADD(o, "candidates", c);
	return o;
}

struct json_object *hw_to_json(const struct hw *hw)
{
	struct json_object *o = json_object_new_object(), *a, *io, *dmi, *fw;

	if (!o)
		return NULL;
	ADD(o, "verdict", hw_json_verdict(hw));
	ADD(o, "cpu", hw_json_cpu(&hw->cpu));
	ADD(o, "memory_kib", JINT(hw->mem_total_kib));
	fw = json_object_new_object();
	ADD(fw, "mode", JSTR(hw->fw == HW_FW_UEFI ? "uefi" : "bios"));
	ADD(fw, "secure_boot", jtri(hw->secure_boot));
	ADD(o, "firmware", fw);
	io = json_object_new_object();
	ADD(io, "present", JBOOL(hw->iommu_present));
	ADD(io, "units", JBOOL(hw->iommu_class));
	ADD(io, "kind", JSTR(hw->iommu_kind == HW_IOMMU_INTEL ? "intel" :
			     hw->iommu_kind == HW_IOMMU_AMD ? "amd" :
			     hw->iommu_kind == HW_IOMMU_OTHER ? "other" : "none"));
	ADD(io, "interrupt_remapping", jtri(hw->irq_remap));
	ADD(io, "kernel_release", JSTR(hw->kernel_release));
	ADD(io, "cmdline", JSTR(hw->cmdline));
	a = json_object_new_array();
	for (size_t i = 0; i < hw->n_groups; i++) {
		struct json_object *g = json_object_new_object();

		ADD(g, "id", JINT(hw->groups[i].id));
		ADD(g, "devices", hw_json_idx_addrs(hw, hw->groups[i].devs, hw->groups[i].n_devs));
		json_object_array_add(a, g);
	}
	ADD(io, "groups", a);
	ADD(o, "iommu", io);
	a = json_object_new_array();
	for (size_t i = 0; i < hw->n_gpus; i++)
		json_object_array_add(a, hw_json_gpu(hw, &hw->gpus[i]));
	ADD(o, "gpus", a);
	a = json_object_new_array();
	for (size_t i = 0; i < hw->n_pci; i++)
		json_object_array_add(a, hw_json_pci(&hw->pci[i]));
	ADD(o, "pci", a);
	a = json_object_new_array();
	for (size_t i = 0; i < hw->n_disks; i++)
		json_object_array_add(a, hw_json_disk(&hw->disks[i]));
	ADD(o, "disks", a);
	ADD(o, "boot_medium_device", hw->boot_medium_dev[0] ? JSTR(hw->boot_medium_dev) : NULL);
	a = json_object_new_array();
	for (size_t i = 0; i < hw->n_nics; i++)
		json_object_array_add(a, hw_json_nic(&hw->nics[i]));
	ADD(o, "nics", a);
	dmi = json_object_new_object();
	ADD(dmi, "sys_vendor", JSTR(hw->dmi.sys_vendor));
	ADD(dmi, "product_name", JSTR(hw->dmi.product_name));
	ADD(dmi, "product_serial", JSTR(hw->dmi.product_serial));
	ADD(dmi, "product_uuid", JSTR(hw->dmi.product_uuid));
	ADD(dmi, "board_vendor", JSTR(hw->dmi.board_vendor));
	ADD(dmi, "board_name", JSTR(hw->dmi.board_name));
	ADD(dmi, "bios_version", JSTR(hw->dmi.bios_version));
	ADD(o, "dmi", dmi);
	a = json_object_new_array();
	for (size_t i = 0; i < hw->n_notes; i++)
		json_object_array_add(a, JSTR(hw->notes[i]));
	ADD(o, "notes", a);
	return o;
}
