/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_TEST_HW_BUILD_H
#define IRONPASS_TEST_HW_BUILD_H

/*
 * Build a struct hw in code for unit tests (no sysfs tree): add PCI
 * functions, then declare GPUs by their display function's address.
 * Abort on allocation failure (tests only).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/hw.h"

/* Empty machine: Intel CPU, 8 cores / 16 threads, 32 GiB, IOMMU on, IR on, UEFI */
void hwb_init(struct hw *hw);
/* Add a function ("0000:01:00.0"); driver may be NULL; group -1 = none. Returns its index. */
size_t hwb_pci(struct hw *hw, const char *addr, uint16_t vendor, uint16_t device,
	       uint32_t class_code, const char *driver, int group);
void hwb_names(struct hw *hw, size_t idx, const char *vendor_name, const char *device_name);
/* A GPU: the display function at addr plus every function of its slot added so far */
size_t hwb_gpu(struct hw *hw, const char *addr, bool boot);
/* Fill hw.groups from the functions' iommu_group (call after the last hwb_pci) */
void hwb_groups(struct hw *hw);
void hwb_release(struct hw *hw);
/* One disk: @gib GiB, 512-byte sectors, the rest as given (hw.disks is the caller's array) */
void hwb_disk(struct hw_disk *d, const char *name, unsigned gib, const char *model,
	      const char *serial, const char *transport);

/* Ready machines */
void hwb_intel_hybrid_nvidia(struct hw *hw);	/* iGPU boots, RTX 2080 with 4 functions */
void hwb_amd_dual(struct hw *hw, uint16_t pass_device);	/* RX 580 boots + AMD card */
/* A rack node: hwb_intel_hybrid_nvidia with DMI identity, lo + two NICs (the second has
 * link: the management NIC, 58:47:ca:00:00:02), an NVMe disk and the USB boot stick */
void hwb_rack_node(struct hw *hw);

#endif
