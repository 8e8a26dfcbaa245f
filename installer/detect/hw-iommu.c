// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IOMMU state: units in /sys/class/iommu, groups in /sys/kernel/iommu_groups,
 * interrupt remapping ("IR-" chips in /proc/interrupts), kernel release and
 * command line. Only non-empty groups prove that the kernel uses the IOMMU;
 * the "DMAR: IOMMU enabled" boot line does not (design §6).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/hw-probe.h"
#include "path.h"
#include "util.h"

#define GROUPS_DIR "/sys/kernel/iommu_groups"

static int hw_iommu_group_add(struct hw *hw, unsigned id)
{
	char path[PATH_MAX], **devs;
	struct hw_iommu_group *g;
	size_t n;
	int ret;

	snprintf(path, sizeof(path), GROUPS_DIR "/%u/devices", id);
	ret = hw_list_dir(hw, path, &devs, &n);
	if (ret == -ENOMEM)
		return ret;
	if (ret < 0)
		return hw_note(hw, "cannot read '%s': %s, ignoring", path, strerror(-ret));
	g = &hw->groups[hw->n_groups];
	g->id = (int)id;
	g->devs = calloc(n ? n : 1, sizeof(*g->devs));
	if (!g->devs) {
		hw_names_free(devs, n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct hw_pci_dev *p = hw_pci_find(hw, devs[i]);
		size_t idx;

		if (!p) {
			hw_note(hw, "IOMMU group %u lists '%s', which is not a known PCI device",
				id, devs[i]);
			continue;
		}
		idx = (size_t)(p - hw->pci);
		if (hw->pci[idx].iommu_group < 0)
			hw->pci[idx].iommu_group = (int)id;
		else if (hw->pci[idx].iommu_group != (int)id)
			hw_note(hw, "'%s' links to IOMMU group %d but is listed in group %u",
				devs[i], hw->pci[idx].iommu_group, id);
		g->devs[g->n_devs++] = idx;
	}
	hw->n_groups++;
	hw_names_free(devs, n);
	return 0;
}

static int cmp_group(const void *a, const void *b)
{
	const struct hw_iommu_group *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int hw_iommu_groups(struct hw *hw)
{
	char **names;
	size_t n;
	int ret;

	ret = hw_list_dir(hw, GROUPS_DIR, &names, &n);
	if (ret == -ENOMEM)
		return ret;
	if (ret < 0) {
		if (ret != -ENOENT)
			hw_note(hw, "cannot read '" GROUPS_DIR "': %s", strerror(-ret));
		return 0;
	}
	hw->groups = calloc(n ? n : 1, sizeof(*hw->groups));
	if (!hw->groups) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned id;

		if (ip_strtouint(names[i], 10, &id) < 0 || id >= INT_MAX) {
			hw_note(hw, "ignoring '%s' in '" GROUPS_DIR "': not a group number",
				names[i]);
			continue;
		}
		ret = hw_iommu_group_add(hw, id);
		if (ret < 0)
			goto out;
	}
	qsort(hw->groups, hw->n_groups, sizeof(*hw->groups), cmp_group);
	ret = 0;
out:
	hw_names_free(names, n);
	return ret;
}

static int hw_iommu_irq_remap(struct hw *hw)
{
	char *buf;
	int ret;

	ret = path_read_all(hw->sysroot, "/proc/interrupts", 16 << 20, &buf, NULL);
	if (ret == -ENOMEM)
		return ret;
	if (ret < 0) {
		hw->irq_remap = HW_UNKNOWN;
		if (ret != -ENOENT)
			hw_note(hw, "cannot read '/proc/interrupts': %s", strerror(-ret));
		return 0;
	}
	hw->irq_remap = strstr(buf, "IR-") ? HW_YES : HW_NO;
	free(buf);
	return 0;
}

int hw_iommu_read(struct hw *hw)
{
	char **names;
	size_t n;
	int ret;

	ret = hw_list_dir(hw, "/sys/class/iommu", &names, &n);
	if (ret == -ENOMEM)
		return ret;
	if (ret == 0) {
		hw->iommu_class = n > 0;
		for (size_t i = 0; i < n && !hw->iommu_kind; i++)
			hw->iommu_kind = str_startswith(names[i], "dmar") ? HW_IOMMU_INTEL :
					 str_startswith(names[i], "ivhd") ? HW_IOMMU_AMD :
									    HW_IOMMU_OTHER;
		hw_names_free(names, n);
	}
	if (!hw->iommu_kind && path_exists(hw->sysroot, "/sys/firmware/acpi/tables/DMAR"))
		hw->iommu_kind = HW_IOMMU_INTEL;
	if (!hw->iommu_kind && path_exists(hw->sysroot, "/sys/firmware/acpi/tables/IVRS"))
		hw->iommu_kind = HW_IOMMU_AMD;
	ret = hw_iommu_groups(hw);
	if (ret < 0)
		return ret;
	hw->iommu_present = hw->iommu_class && hw->n_groups > 0;
	ret = hw_iommu_irq_remap(hw);
	if (ret < 0)
		return ret;
	hw_attr_str(hw, "/proc/sys/kernel/osrelease", hw->kernel_release,
		    sizeof(hw->kernel_release), true);
	hw_attr_str(hw, "/proc/cmdline", hw->cmdline, sizeof(hw->cmdline), true);
	return 0;
}
