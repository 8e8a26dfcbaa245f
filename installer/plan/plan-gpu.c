// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which GPU(s) to isolate: [passthrough] gpu = auto | none | list.
 *
 * auto: the discrete GPU that is not the boot GPU. The boot GPU is the one
 * with boot_vga = 1 or a firmware framebuffer inside its BARs; integrated
 * GPUs (on bus 0) stay with the host. A host that would keep no GPU is
 * refused unless allow-single-gpu. Every function of a chosen slot goes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan-internal.h"
#include "util.h"

static bool same_slot(const struct hw_pci_dev *a, const struct hw_pci_dev *b)
{
	return a->domain == b->domain && a->bus == b->bus && a->dev == b->dev;
}

/* plan_build() checked the indexes */
static const struct hw_pci_dev *gpu_display(const struct hw *hw, const struct hw_gpu *g)
{
	return &hw->pci[g->display];
}

static bool gpu_chosen(const struct plan *p, size_t gi)
{
	for (size_t i = 0; i < p->n_gpus; i++)
		if (p->gpus[i].gpu == gi)
			return true;
	return false;
}

/* Add GPU gi with every function of its slot (from hw.pci, not only hw_gpu.fn) */
static bool gpu_add(struct plan_ctx *c, size_t gi)
{
	const struct hw *hw = c->hw;
	const struct hw_pci_dev *disp = gpu_display(hw, &hw->gpus[gi]);
	struct plan_gpu *ng, *pg;

	if (gpu_chosen(c->p, gi))
		return false;
	ng = realloc(c->p->gpus, (c->p->n_gpus + 1) * sizeof(*ng));
	if (!ng) {
		c->nomem = -ENOMEM;
		return false;
	}
	c->p->gpus = ng;
	pg = &ng[c->p->n_gpus++];
	memset(pg, 0, sizeof(*pg));
	pg->gpu = gi;
	pg->is_boot = plan_gpu_is_boot(hw, &hw->gpus[gi]);
	snprintf(pg->slot, sizeof(pg->slot), "%04x:%02x:%02x", disp->domain, disp->bus, disp->dev);
	for (size_t i = 0; i < hw->n_pci && pg->n_fn < ARRAY_SIZE(pg->fn); i++) {
		const struct hw_pci_dev *d = &hw->pci[i];
		struct plan_fn *f;

		if (!same_slot(d, disp))
			continue;
		f = &pg->fn[pg->n_fn++];
		f->pci = i;
		snprintf(f->addr, sizeof(f->addr), "%04x:%02x:%02x.%x", d->domain, d->bus, d->dev,
			 d->func);
		f->vendor_id = d->vendor_id;
		f->device_id = d->device_id;
		f->class_code = d->class_code;
		if ((d->class_code >> 8) == 0x0300)
			pg->has_vga = true;
		c->isolated[i] = true;
	}
	snprintf(pg->hostpci, sizeof(pg->hostpci), "%s,pcie=1%s", pg->slot,
		 pg->has_vga ? ",x-vga=1" : "");
	return true;
}

static int cmp_gpu(const void *a, const void *b)
{
	return strcmp(((const struct plan_gpu *)a)->slot, ((const struct plan_gpu *)b)->slot);
}

static const char *boot_gpu_addr(const struct hw *hw)
{
	for (size_t i = 0; i < hw->n_gpus; i++)
		if (plan_gpu_is_boot(hw, &hw->gpus[i]))
			return gpu_display(hw, &hw->gpus[i])->addr;
	return NULL;
}

static void gpu_decide(struct plan_ctx *c, size_t gi, const char *why)
{
	const struct hw_pci_dev *d = gpu_display(c->hw, &c->hw->gpus[gi]);
	const struct plan_gpu *pg = NULL;
	char label[2 * HW_NAME_MAX + 2];

	for (size_t i = 0; i < c->p->n_gpus; i++)
		if (c->p->gpus[i].gpu == gi)
			pg = &c->p->gpus[i];
	if (!pg)
		return;
	plan_dev_label(d, label, sizeof(label));
	if (pg->n_fn == 1)
		plan_decide(c, "isolate %s (%s): %s; its single function goes to the VM", pg->slot,
			    label, why);
	else
		plan_decide(c, "isolate %s (%s): %s; all %zu functions of the slot go to the VM",
			    pg->slot, label, why, pg->n_fn);
}

static bool choose_auto(struct plan_ctx *c)
{
	const struct hw *hw = c->hw;
	const char *boot = boot_gpu_addr(hw);
	ssize_t first = -1, boot_discrete = -1;
	char why[256];

	for (size_t i = 0; i < hw->n_gpus; i++) {
		bool is_boot = plan_gpu_is_boot(hw, &hw->gpus[i]);

		if (hw->gpus[i].integrated)
			continue;
		if (!is_boot && first < 0)
			first = (ssize_t)i;
		if (is_boot && boot_discrete < 0)
			boot_discrete = (ssize_t)i;
	}
	if (first >= 0) {
		if (boot)
			snprintf(why, sizeof(why), "discrete, not the boot GPU (boot GPU is %s)",
				 boot);
		else
			snprintf(why, sizeof(why), "discrete; no GPU is marked as the boot GPU");
		gpu_add(c, (size_t)first);
		gpu_decide(c, (size_t)first, why);
		if (!boot && hw->n_gpus > 1)
			plan_warn(c, "no GPU is marked as the boot GPU (boot_vga): chose %s; set "
				  "[passthrough] gpu to pick another", c->p->gpus[0].slot);
		for (size_t i = (size_t)first + 1; i < hw->n_gpus; i++)
			if (!hw->gpus[i].integrated && !plan_gpu_is_boot(hw, &hw->gpus[i]))
				plan_decide(c, "keep %s for the host: auto takes one GPU (list "
					    "it in [passthrough] gpu to pass it too)",
					    gpu_display(hw, &hw->gpus[i])->addr);
		return true;
	}
	if (boot_discrete >= 0) {
		/* the only discrete GPU is the boot GPU: take it (the host keeps the others) */
		gpu_add(c, (size_t)boot_discrete);
		gpu_decide(c, (size_t)boot_discrete, "the only discrete GPU, although it is the "
			   "boot GPU");
		return true;
	}
	if (hw->n_gpus == 1) {
		gpu_add(c, 0);
		gpu_decide(c, 0, "the only GPU of this host");
		return true;
	}
	if (hw->n_gpus == 0)
		plan_refuse(c, "no GPU found to pass through; set [passthrough] gpu = \"none\" "
			    "to set up the IOMMU only");
	else
		plan_refuse(c, "no discrete GPU to pass through (only integrated GPUs); list one "
			    "in [passthrough] gpu to pass it anyway");
	return false;
}

/* "10de:1e87" → true with ids set */
static bool parse_id(const char *s, unsigned *ven, unsigned *dev)
{
	char tail;

	if (strlen(s) != 9 || s[4] != ':')
		return false;
	for (size_t i = 0; i < 9; i++)
		if (i != 4 && !isxdigit((unsigned char)s[i]))
			return false;
	return sscanf(s, "%4x:%4x%c", ven, dev, &tail) == 2;
}

/* "0000:01:00.0", "01:00.0", "0000:01:00" → true */
static bool parse_addr(const char *s, unsigned *dom, unsigned *bus, unsigned *dev, int *fn)
{
	unsigned f;
	int n = 0;

	for (const char *p = s; *p; p++)
		if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
			return false;
	*fn = -1;
	if (strlen(s) == 12 && sscanf(s, "%4x:%2x:%2x.%1x%n", dom, bus, dev, &f, &n) == 4 &&
	    n == 12) {
		*fn = (int)f;
	} else if (strlen(s) == 7 && sscanf(s, "%2x:%2x.%1x%n", bus, dev, &f, &n) == 3 &&
		   n == 7) {
		*dom = 0;
		*fn = (int)f;
	} else if (!(strlen(s) == 10 && sscanf(s, "%4x:%2x:%2x%n", dom, bus, dev, &n) == 3 &&
		     n == 10)) {
		return false;
	}
	return *dev < 32 && *fn < 8;
}

static bool choose_entry(struct plan_ctx *c, const char *e)
{
	const struct hw *hw = c->hw;
	unsigned ven, did, dom, bus, dev;
	int fn;
	bool found = false;

	if (parse_id(e, &ven, &did)) {
		for (size_t g = 0; g < hw->n_gpus; g++)
			for (size_t i = 0; i < hw->gpus[g].n_fn; i++) {
				const struct hw_pci_dev *d = &hw->pci[hw->gpus[g].fn[i]];

				if (d->vendor_id != ven || d->device_id != did)
					continue;
				if (gpu_add(c, g))
					gpu_decide(c, g, "listed by id in [passthrough] gpu");
				found = true;
				break;
			}
		if (found)
			return true;
		for (size_t i = 0; i < hw->n_pci; i++)
			if (hw->pci[i].vendor_id == ven && hw->pci[i].device_id == did) {
				plan_refuse(c, "'%s' in [passthrough] gpu is not a GPU: it is '%s' "
					    "(class %06x)", e, hw->pci[i].addr,
					    hw->pci[i].class_code);
				return false;
			}
		plan_refuse(c, "'%s' in [passthrough] gpu matches no device of this machine", e);
		return false;
	}
	if (!parse_addr(e, &dom, &bus, &dev, &fn)) {
		plan_refuse(c, "invalid entry '%s' in [passthrough] gpu: expected \"auto\", "
			    "\"none\", a 'vvvv:dddd' id or a '0000:bb:dd.f' address", e);
		return false;
	}
	for (size_t g = 0; g < hw->n_gpus; g++)
		for (size_t i = 0; i < hw->gpus[g].n_fn; i++) {
			const struct hw_pci_dev *d = &hw->pci[hw->gpus[g].fn[i]];

			if (d->domain == dom && d->bus == bus && d->dev == dev &&
			    (fn < 0 || d->func == (unsigned)fn)) {
				if (gpu_add(c, g))
					gpu_decide(c, g, "listed by address in [passthrough] gpu");
				return true;
			}
		}
	for (size_t i = 0; i < hw->n_pci; i++) {
		const struct hw_pci_dev *d = &hw->pci[i];

		if (d->domain == dom && d->bus == bus && d->dev == dev &&
		    (fn < 0 || d->func == (unsigned)fn)) {
			plan_refuse(c, "'%s' in [passthrough] gpu is not a GPU: it is '%s' "
				    "(class %06x)", e, d->addr, d->class_code);
			return false;
		}
	}
	plan_refuse(c, "'%s' in [passthrough] gpu matches no device of this machine", e);
	return false;
}

/* A host that would keep no GPU: refused unless allow-single-gpu */
static bool check_host_keeps_gpu(struct plan_ctx *c)
{
	const struct hw *hw = c->hw;

	for (size_t g = 0; g < hw->n_gpus; g++)
		if (!gpu_chosen(c->p, g))
			return true;
	c->host_keeps_no_gpu = true;
	if (c->pt->allow_single_gpu) {
		plan_decide(c, "pass the host's only GPU: allow-single-gpu is set; the host keeps "
			    "no display");
		return true;
	}
	plan_refuse(c, "this host has a single GPU ('%s'): passing it through leaves the host "
		    "without a display; set allow-single-gpu = true in [passthrough] to do it "
		    "anyway", gpu_display(hw, &hw->gpus[c->p->gpus[0].gpu])->addr);
	return false;
}

bool plan_gpu_choose(struct plan_ctx *c)
{
	bool ok = true;

	switch (c->pt->gpu) {
	case ANSWER_GPU_NONE:
		plan_decide(c, "isolate no GPU: [passthrough] gpu = \"none\"; plan the IOMMU only");
		return true;
	case ANSWER_GPU_LIST:
		if (!c->pt->n_gpu_list) {
			plan_refuse(c, "[passthrough] gpu is an empty list");
			return false;
		}
		for (size_t i = 0; i < c->pt->n_gpu_list; i++)
			ok = choose_entry(c, c->pt->gpu_list[i]) && ok;
		break;
	case ANSWER_GPU_AUTO:
	default:
		ok = choose_auto(c);
		break;
	}
	if (!ok || c->nomem)
		return false;
	qsort(c->p->gpus, c->p->n_gpus, sizeof(*c->p->gpus), cmp_gpu);
	return check_host_keeps_gpu(c);
}
