// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GPUs: every display-class function (0x0300 VGA, 0x0302 3D, 0x0380 other)
 * together with all functions of its slot (HDMI audio, USB-C, UCSI), which
 * must be isolated as one. The boot GPU is the one with boot_vga = 1 or whose
 * BARs hold the firmware framebuffer listed in /proc/iomem (boot_vga may be
 * absent, e.g. for 3D controllers). A group is clean when it holds no other
 * endpoint than the card's own functions; bridges do not count.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/hw-probe.h"
#include "path.h"
#include "util.h"

static const char *const fb_names[] = {
	"efifb", "simple-framebuffer", "vesafb", "BOOTFB", "efi-framebuffer", "vesa-framebuffer",
};

static bool hw_gpu_is_fb(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(fb_names); i++)
		if (strstr(name, fb_names[i]))
			return true;
	return false;
}

/* Mark devices whose BARs hold a firmware framebuffer range of /proc/iomem. */
static int hw_gpu_iomem(struct hw *hw)
{
	bool hidden = false;
	char *buf;
	int ret;

	ret = path_read_all(hw->sysroot, "/proc/iomem", 16 << 20, &buf, NULL);
	if (ret == -ENOMEM)
		return ret;
	if (ret < 0) {
		if (ret != -ENOENT)
			hw_note(hw, "cannot read '/proc/iomem': %s", strerror(-ret));
		return 0;
	}
	for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		unsigned long long start, end;
		int off = 0;

		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (sscanf(line, " %llx-%llx : %n", &start, &end, &off) != 2 || !off)
			continue;
		if (!hw_gpu_is_fb(line + off))
			continue;
		if (!start && !end) {
			hidden = true;
			continue;
		}
		for (size_t i = 0; i < hw->n_pci; i++) {
			struct hw_pci_dev *p = &hw->pci[i];

			for (int b = 0; b < 6; b++)
				if (p->bar_end[b] && start >= p->bar_start[b] &&
				    start <= p->bar_end[b])
					p->fb_in_bar = true;
		}
	}
	if (hidden)
		hw_note(hw, "'/proc/iomem' hides addresses (not read as root): "
			    "framebuffer location unknown");
	free(buf);
	return 0;
}

static ssize_t hw_gpu_find_slot(const struct hw *hw, const struct hw_pci_dev *p)
{
	for (size_t g = 0; g < hw->n_gpus; g++) {
		const struct hw_pci_dev *q = &hw->pci[hw->gpus[g].display];

		if (q->domain == p->domain && q->bus == p->bus && q->dev == p->dev)
			return (ssize_t)g;
	}
	return -1;
}

static bool hw_gpu_owns(const struct hw_gpu *g, size_t idx)
{
	for (size_t i = 0; i < g->n_fn; i++)
		if (g->fn[i] == idx)
			return true;
	return false;
}

static int hw_gpu_groups(struct hw *hw, struct hw_gpu *g)
{
	g->groups_known = true;
	for (size_t i = 0; i < g->n_fn; i++)
		if (hw->pci[g->fn[i]].iommu_group < 0)
			g->groups_known = false;
	for (size_t k = 0; k < hw->n_groups; k++) {
		const struct hw_iommu_group *grp = &hw->groups[k];
		bool mine = false;

		for (size_t i = 0; i < g->n_fn; i++)
			if (hw->pci[g->fn[i]].iommu_group == grp->id)
				mine = true;
		if (!mine)
			continue;
		for (size_t j = 0; j < grp->n_devs; j++) {
			size_t idx = grp->devs[j];
			size_t *ni;

			if (hw_gpu_owns(g, idx) || hw->pci[idx].is_bridge)
				continue;
			ni = realloc(g->intruders, (g->n_intruders + 1) * sizeof(*ni));
			if (!ni)
				return -ENOMEM;
			g->intruders = ni;
			g->intruders[g->n_intruders++] = idx;
		}
	}
	g->group_clean = g->groups_known && g->n_intruders == 0;
	return 0;
}

static void hw_gpu_slot(struct hw *hw, struct hw_gpu *g)
{
	const struct hw_pci_dev *d = &hw->pci[g->display];

	g->n_fn = 0;
	for (unsigned f = 0; f < 8; f++) {
		ssize_t idx = hw_pci_index(hw, d->domain, d->bus, d->dev, f);

		if (idx >= 0)
			g->fn[g->n_fn++] = (size_t)idx;
	}
	g->integrated = d->domain == 0 && d->bus == 0 &&
			(d->vendor_id == 0x8086 || d->vendor_id == 0x1002);
	for (size_t i = 0; i < g->n_fn; i++) {
		const struct hw_pci_dev *p = &hw->pci[g->fn[i]];

		if (p->boot_vga == HW_YES || p->fb_in_bar)
			g->is_boot = true;
	}
}

int hw_gpu_build(struct hw *hw)
{
	size_t n_boot = 0;
	int ret;

	ret = hw_gpu_iomem(hw);
	if (ret < 0)
		return ret;
	hw->gpus = calloc(hw->n_pci ? hw->n_pci : 1, sizeof(*hw->gpus));
	if (!hw->gpus)
		return -ENOMEM;
	for (size_t i = 0; i < hw->n_pci; i++) {
		struct hw_gpu *g;

		if (!hw_class_is_display(hw->pci[i].class_code))
			continue;
		if (hw_gpu_find_slot(hw, &hw->pci[i]) >= 0)
			continue;	/* a second display function of a slot we have */
		g = &hw->gpus[hw->n_gpus++];
		g->display = i;
		hw_gpu_slot(hw, g);
		ret = hw_gpu_groups(hw, g);
		if (ret < 0)
			return ret;
		n_boot += g->is_boot;
	}
	if (n_boot > 1)
		hw_note(hw, "%zu GPUs look like the boot GPU (boot_vga or framebuffer)", n_boot);
	return 0;
}
