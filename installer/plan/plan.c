// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * plan_build(): hardware + [passthrough] policy → the passthrough plan.
 * Pure: reads only its arguments. The steps live in plan-*.c; this file
 * runs them in order and owns the plan's memory.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan-internal.h"
#include "util.h"

void plan_default_policy(struct answer_passthrough *pt, struct answer_vm_template *vm)
{
	if (pt) {
		memset(pt, 0, sizeof(*pt));
		pt->gpu = ANSWER_GPU_AUTO;
		pt->iommu_pt = true;
	}
	if (vm) {
		memset(vm, 0, sizeof(*vm));
		vm->enabled = true;
		vm->vmid = 9000;
		vm->name = (char *)"win11-passthrough";
		vm->disk_size = 128;
		vm->storage = NULL;	/* by the root filesystem (plan_vm.storage_auto) */
		vm->bridge = (char *)"vmbr0";
	}
}

char *plan_strdup(struct plan_ctx *c, const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		c->nomem = -ENOMEM;
	return d;
}

static char *plan_vasprintf(struct plan_ctx *c, const char *fmt, va_list ap)
{
	struct strbuf sb = { 0 };
	char *s;

	sb_vprintf(&sb, fmt, ap);
	s = sb_detach(&sb);
	if (!s)
		c->nomem = -ENOMEM;
	return s;
}

char *plan_asprintf(struct plan_ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = plan_vasprintf(c, fmt, ap);
	va_end(ap);
	return s;
}

bool plan_list_has(char *const *arr, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(arr[i], s))
			return true;
	return false;
}

static void plan_list_take(struct plan_ctx *c, char ***arr, size_t *n, char *s)
{
	char **na;

	if (!s)
		return;
	na = realloc(*arr, (*n + 2) * sizeof(**arr));
	if (!na) {
		free(s);
		c->nomem = -ENOMEM;
		return;
	}
	na[(*n)++] = s;
	na[*n] = NULL;
	*arr = na;
}

void plan_list_add(struct plan_ctx *c, char ***arr, size_t *n, const char *s)
{
	plan_list_take(c, arr, n, plan_strdup(c, s));
}

void plan_list_add_unique(struct plan_ctx *c, char ***arr, size_t *n, const char *s)
{
	if (!plan_list_has(*arr, *n, s))
		plan_list_add(c, arr, n, s);
}

void plan_list_free(char ***arr, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free((*arr)[i]);
	free(*arr);
	*arr = NULL;
	*n = 0;
}

#define PLAN_LIST_VA(field, count)                                  \
	do {                                                        \
		va_list ap;                                         \
		va_start(ap, fmt);                                  \
		plan_list_take(c, &c->p->field, &c->p->count,       \
			       plan_vasprintf(c, fmt, ap));         \
		va_end(ap);                                         \
	} while (0)

void plan_decide(struct plan_ctx *c, const char *fmt, ...)
{
	PLAN_LIST_VA(decisions, n_decisions);
}

void plan_warn(struct plan_ctx *c, const char *fmt, ...)
{
	PLAN_LIST_VA(warnings, n_warnings);
}

void plan_refuse(struct plan_ctx *c, const char *fmt, ...)
{
	PLAN_LIST_VA(refusals, n_refusals);
}

void plan_dev_label(const struct hw_pci_dev *d, char *buf, size_t size)
{
	if (d->vendor_name[0] && d->device_name[0])
		snprintf(buf, size, "%s %s", d->vendor_name, d->device_name);
	else
		snprintf(buf, size, "%04x:%04x", d->vendor_id, d->device_id);
}

bool plan_dev_is_endpoint(const struct hw_pci_dev *d)
{
	unsigned cls = d->class_code >> 8;

	/* host bridge, PCI-to-PCI and semi-transparent bridges route; they do not DMA */
	if (d->is_bridge || (d->header_type & 0x7f) == 1)
		return false;
	return cls != 0x0600 && cls != 0x0604 && cls != 0x0609;
}

bool plan_gpu_is_boot(const struct hw *hw, const struct hw_gpu *g)
{
	if (g->is_boot)
		return true;
	for (size_t i = 0; i < g->n_fn; i++) {
		const struct hw_pci_dev *d = &hw->pci[g->fn[i]];

		if (d->boot_vga == HW_YES || d->fb_in_bar)
			return true;
	}
	return false;
}

enum hw_iommu_kind plan_iommu_kind(const struct hw *hw, bool *from_cpu)
{
	*from_cpu = false;
	if (hw->iommu_kind != HW_IOMMU_NONE)
		return hw->iommu_kind;
	*from_cpu = true;
	if (hw->cpu.vendor == HW_CPU_INTEL)
		return HW_IOMMU_INTEL;
	if (hw->cpu.vendor == HW_CPU_AMD)
		return HW_IOMMU_AMD;
	return HW_IOMMU_NONE;
}

static void plan_vm_release(struct plan_vm *vm)
{
	free(vm->name);
	free(vm->storage);
	free(vm->bridge);
	free(vm->efidisk0);
	free(vm->tpmstate0);
	free(vm->scsi0);
	free(vm->net0);
	free(vm->ide0);
	free(vm->ide1);
	free(vm->ide2);
	free(vm->windows_url);
	free(vm->windows_sha256);
	free(vm->virtio_url);
	free(vm->virtio_sha256);
	plan_list_free(&vm->hostpci, &vm->n_hostpci);
	memset(vm, 0, sizeof(*vm));
}

/* Drop every output: a refused plan writes nothing */
static void plan_clear_outputs(struct plan *p)
{
	free(p->gpus);
	p->gpus = NULL;
	p->n_gpus = 0;
	plan_list_free(&p->kernel_args, &p->n_kernel_args);
	free(p->cmdline);
	p->cmdline = NULL;
	plan_list_free(&p->modules, &p->n_modules);
	plan_list_free(&p->vfio_ids, &p->n_vfio_ids);
	plan_list_free(&p->override_addrs, &p->n_override_addrs);
	plan_list_free(&p->softdeps, &p->n_softdeps);
	plan_list_free(&p->blacklist, &p->n_blacklist);
	free(p->modprobe_conf);
	free(p->modules_load);
	free(p->initramfs_modules);
	free(p->override_script);
	free(p->override_hook);
	p->modprobe_conf = p->modules_load = p->initramfs_modules = NULL;
	p->override_script = p->override_hook = NULL;
	for (size_t i = 0; i < p->n_files; i++)
		free(p->files[i].purpose);
	free(p->files);
	p->files = NULL;
	p->n_files = 0;
	plan_list_free(&p->steps, &p->n_steps);
	plan_vm_release(&p->vm);
}

void plan_release(struct plan *p)
{
	if (!p)
		return;
	plan_clear_outputs(p);
	plan_list_free(&p->refusals, &p->n_refusals);
	plan_list_free(&p->warnings, &p->n_warnings);
	plan_list_free(&p->decisions, &p->n_decisions);
	p->plan_ok = false;
}

/* hw comes from hw_detect(), but a pure function still checks its indexes */
static int plan_check_hw(const struct hw *hw, struct ip_err *err)
{
	if ((hw->n_pci && !hw->pci) || (hw->n_gpus && !hw->gpus))
		return ip_err_set(err, -EINVAL, "cannot plan: inconsistent hardware description");
	for (size_t g = 0; g < hw->n_gpus; g++) {
		const struct hw_gpu *gpu = &hw->gpus[g];

		if (gpu->display >= hw->n_pci || !gpu->n_fn || gpu->n_fn > ARRAY_SIZE(gpu->fn))
			return ip_err_set(err, -EINVAL, "cannot plan: GPU %zu refers to no PCI "
					  "device", g);
		for (size_t i = 0; i < gpu->n_fn; i++)
			if (gpu->fn[i] >= hw->n_pci)
				return ip_err_set(err, -EINVAL, "cannot plan: GPU %zu refers to PCI "
						  "device %zu of %zu", g, gpu->fn[i], hw->n_pci);
	}
	return 0;
}

int plan_build(const struct hw *hw, const struct answer_passthrough *pt,
	       const struct answer_vm_template *vm, struct plan *plan, struct ip_err *err)
{
	struct answer_passthrough def_pt;
	struct answer_vm_template def_vm;
	struct plan_ctx c = { .hw = hw, .p = plan };
	bool ok;
	int ret;

	if (!plan)
		return ip_err_set(err, -EINVAL, "cannot plan: no plan to fill");
	memset(plan, 0, sizeof(*plan));
	if (!hw)
		return ip_err_set(err, -EINVAL, "cannot plan: no hardware description");
	ret = plan_check_hw(hw, err);
	if (ret < 0)
		return ret;
	plan_default_policy(&def_pt, &def_vm);
	c.pt = pt ? pt : &def_pt;
	c.vm = vm ? vm : &def_vm;
	c.isolated = calloc(hw->n_pci ? hw->n_pci : 1, sizeof(*c.isolated));
	if (!c.isolated)
		return ip_err_set(err, -ENOMEM, "cannot plan: out of memory");

	/* every check runs, so that a refusal lists all the reasons at once */
	ok = plan_gpu_choose(&c);
	ok = plan_group_check(&c) && ok;
	ok = plan_cmdline(&c) && ok;
	if (ok && !plan->n_refusals) {
		plan_vfio(&c);
		plan_vm_values(&c);
	}
	plan_warn_hw(&c);
	free(c.isolated);

	if (c.nomem) {
		plan_release(plan);
		return ip_err_set(err, -ENOMEM, "cannot plan: out of memory");
	}
	plan->plan_ok = plan->n_refusals == 0;
	if (!plan->plan_ok)
		plan_clear_outputs(plan);
	return 0;
}
