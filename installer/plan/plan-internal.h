/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_PLAN_INTERNAL_H
#define IRONPASS_PLAN_INTERNAL_H

/* Shared by the plan-*.c files only: the working state of one plan_build(). */

#include <stdbool.h>
#include <stddef.h>

#include "plan/plan.h"

struct plan_ctx {
	const struct hw *hw;
	const struct answer_passthrough *pt;
	const struct answer_vm_template *vm;
	struct plan *p;
	bool *isolated;			/* per hw.pci index: handed to vfio-pci */
	bool host_keeps_no_gpu;		/* every GPU is isolated (single-GPU mode) */
	bool needs_acs;			/* the group check relies on the ACS override */
	int nomem;			/* sticky -ENOMEM */
};

/* String lists: append a copy (unique: skip when already present) */
void plan_list_add(struct plan_ctx *c, char ***arr, size_t *n, const char *s);
void plan_list_add_unique(struct plan_ctx *c, char ***arr, size_t *n, const char *s);
bool plan_list_has(char *const *arr, size_t n, const char *s);
void plan_list_free(char ***arr, size_t *n);

void plan_decide(struct plan_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void plan_warn(struct plan_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void plan_refuse(struct plan_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *plan_strdup(struct plan_ctx *c, const char *s);
char *plan_asprintf(struct plan_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "NVIDIA Corporation TU104 [GeForce RTX 2080]", or "10de:1e87" without names */
void plan_dev_label(const struct hw_pci_dev *d, char *buf, size_t size);
/* True for devices that count in an IOMMU group (not host/PCI bridges) */
bool plan_dev_is_endpoint(const struct hw_pci_dev *d);
bool plan_gpu_is_boot(const struct hw *hw, const struct hw_gpu *g);
/* The platform's IOMMU (dmar/ivhd units or ACPI tables), else guessed from the CPU vendor */
enum hw_iommu_kind plan_iommu_kind(const struct hw *hw, bool *from_cpu);

/* The steps of plan_build(), in order; each returns false when it refused */
bool plan_gpu_choose(struct plan_ctx *c);
bool plan_group_check(struct plan_ctx *c);
bool plan_cmdline(struct plan_ctx *c);
void plan_vfio(struct plan_ctx *c);
void plan_warn_hw(struct plan_ctx *c);
void plan_vm_values(struct plan_ctx *c);

/* AMD reset-bug generation of a device id: NULL when none is known */
struct plan_amd_gen {
	const char *name;		/* "Navi 10" */
	bool vendor_reset;		/* vendor-reset fixes it; else known unsupported */
};
const struct plan_amd_gen *plan_amd_reset_gen(uint16_t vendor_id, uint16_t device_id);

/* Module names (for softdep/blacklist) a device uses or would use; returns the count */
#define PLAN_MOD_MAX 64
size_t plan_dev_modules(const struct hw_pci_dev *d, char (*mods)[PLAN_MOD_MAX], size_t max);

#endif
