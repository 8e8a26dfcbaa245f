// SPDX-License-Identifier: GPL-2.0-or-later
/* Build struct hw values in code for the plan tests (see hw-build.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw-build.h"

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

void hwb_init(struct hw *hw)
{
	memset(hw, 0, sizeof(*hw));
	hw->iommu_present = true;
	hw->iommu_class = true;
	hw->irq_remap = HW_YES;
	snprintf(hw->kernel_release, sizeof(hw->kernel_release), "6.8.12-4-pve");
	hw->cpu.vendor = HW_CPU_INTEL;
	snprintf(hw->cpu.vendor_str, sizeof(hw->cpu.vendor_str), "GenuineIntel");
	hw->cpu.virt = true;
	hw->cpu.threads = 16;
	hw->cpu.cores = 8;
	hw->cpu.sockets = 1;
	hw->mem_total_kib = 32ull * 1024 * 1024;
	hw->fw = HW_FW_UEFI;
	hw->secure_boot = HW_NO;
	snprintf(hw->dmi.product_uuid, sizeof(hw->dmi.product_uuid),
		 "4c4c4544-0042-3510-8052-b4c04f4a4e32");
}

size_t hwb_pci(struct hw *hw, const char *addr, uint16_t vendor, uint16_t device,
	       uint32_t class_code, const char *driver, int group)
{
	struct hw_pci_dev *d;

	hw->pci = xrealloc(hw->pci, (hw->n_pci + 1) * sizeof(*hw->pci));
	d = &hw->pci[hw->n_pci];
	memset(d, 0, sizeof(*d));
	if (sscanf(addr, "%x:%x:%x.%x", &d->domain, &d->bus, &d->dev, &d->func) != 4)
		abort();
	snprintf(d->addr, sizeof(d->addr), "%s", addr);
	d->vendor_id = vendor;
	d->device_id = device;
	d->class_code = class_code;
	d->is_bridge = (class_code >> 8) == 0x0604;
	d->header_type = d->is_bridge ? 1 : 0;
	snprintf(d->driver, sizeof(d->driver), "%s", driver ? driver : "");
	d->iommu_group = group;
	d->boot_vga = (class_code >> 8) == 0x0300 ? HW_NO : HW_UNKNOWN;
	d->numa_node = -1;
	return hw->n_pci++;
}

void hwb_names(struct hw *hw, size_t idx, const char *vendor_name, const char *device_name)
{
	snprintf(hw->pci[idx].vendor_name, HW_NAME_MAX, "%s", vendor_name);
	snprintf(hw->pci[idx].device_name, HW_NAME_MAX, "%s", device_name);
}

size_t hwb_gpu(struct hw *hw, const char *addr, bool boot)
{
	struct hw_gpu *g;
	const struct hw_pci_dev *disp = NULL;

	hw->gpus = xrealloc(hw->gpus, (hw->n_gpus + 1) * sizeof(*hw->gpus));
	g = &hw->gpus[hw->n_gpus];
	memset(g, 0, sizeof(*g));
	for (size_t i = 0; i < hw->n_pci; i++)
		if (!strcmp(hw->pci[i].addr, addr)) {
			g->display = i;
			disp = &hw->pci[i];
			if (boot)
				hw->pci[i].boot_vga = HW_YES;
		}
	if (!disp)
		abort();
	for (size_t i = 0; i < hw->n_pci && g->n_fn < 8; i++) {
		const struct hw_pci_dev *d = &hw->pci[i];

		if (d->domain == disp->domain && d->bus == disp->bus && d->dev == disp->dev)
			g->fn[g->n_fn++] = i;
	}
	g->integrated = disp->bus == 0 && (disp->vendor_id == 0x8086 || disp->vendor_id == 0x1002);
	g->is_boot = boot;
	g->group_clean = true;
	return hw->n_gpus++;
}

void hwb_groups(struct hw *hw)
{
	for (size_t i = 0; i < hw->n_pci; i++) {
		int id = hw->pci[i].iommu_group;
		struct hw_iommu_group *grp = NULL;

		if (id < 0)
			continue;
		for (size_t k = 0; k < hw->n_groups; k++)
			if (hw->groups[k].id == id)
				grp = &hw->groups[k];
		if (!grp) {
			hw->groups = xrealloc(hw->groups, (hw->n_groups + 1) * sizeof(*hw->groups));
			grp = &hw->groups[hw->n_groups++];
			memset(grp, 0, sizeof(*grp));
			grp->id = id;
		}
		grp->devs = xrealloc(grp->devs, (grp->n_devs + 1) * sizeof(*grp->devs));
		grp->devs[grp->n_devs++] = i;
	}
}

void hwb_release(struct hw *hw)
{
	for (size_t i = 0; i < hw->n_groups; i++)
		free(hw->groups[i].devs);
	for (size_t i = 0; i < hw->n_gpus; i++)
		free(hw->gpus[i].intruders);
	free(hw->groups);
	free(hw->gpus);
	free(hw->pci);
	free(hw->disks);
	free(hw->nics);
	memset(hw, 0, sizeof(*hw));
}

void hwb_intel_hybrid_nvidia(struct hw *hw)
{
	size_t i;

	hwb_init(hw);
	hw->cpu.threads = 24;
	hw->cpu.cores = 16;
	hw->cpu.hybrid = true;
	snprintf(hw->cpu.pcores, sizeof(hw->cpu.pcores), "0-15");
	snprintf(hw->cpu.ecores, sizeof(hw->cpu.ecores), "16-23");
	hw->cpu.n_pcores_threads = 16;
	hw->cpu.n_ecores_threads = 8;
	hw->mem_total_kib = 64ull * 1024 * 1024;
	hwb_pci(hw, "0000:00:00.0", 0x8086, 0xa700, 0x060000, NULL, 0);
	hwb_pci(hw, "0000:00:01.0", 0x8086, 0xa70d, 0x060400, "pcieport", 1);
	i = hwb_pci(hw, "0000:00:02.0", 0x8086, 0xa780, 0x030000, "i915", 2);
	hwb_names(hw, i, "Intel Corporation", "Raptor Lake-S GT1 [UHD Graphics 770]");
	hwb_pci(hw, "0000:00:14.0", 0x8086, 0x7a60, 0x0c0330, "xhci_hcd", 3);
	hwb_pci(hw, "0000:00:1f.0", 0x8086, 0x7a06, 0x060100, NULL, 4);
	hwb_pci(hw, "0000:00:1f.3", 0x8086, 0x7a50, 0x040380, "snd_hda_intel", 4);
	hwb_pci(hw, "0000:00:1f.4", 0x8086, 0x7a23, 0x0c0500, "i801_smbus", 4);
	i = hwb_pci(hw, "0000:01:00.0", 0x10de, 0x1e87, 0x030000, "nouveau", 1);
	hwb_names(hw, i, "NVIDIA Corporation", "TU104 [GeForce RTX 2080 Rev. A]");
	hwb_pci(hw, "0000:01:00.1", 0x10de, 0x10f8, 0x040300, "snd_hda_intel", 1);
	hwb_pci(hw, "0000:01:00.2", 0x10de, 0x1ad8, 0x0c0330, "xhci_hcd", 1);
	hwb_pci(hw, "0000:01:00.3", 0x10de, 0x1ad9, 0x0c8000, "nvidia-gpu", 1);
	hwb_gpu(hw, "0000:00:02.0", true);
	hwb_gpu(hw, "0000:01:00.0", false);
	hwb_groups(hw);
}

void hwb_amd_dual(struct hw *hw, uint16_t pass_device)
{
	hwb_init(hw);
	hw->cpu.vendor = HW_CPU_AMD;
	snprintf(hw->cpu.vendor_str, sizeof(hw->cpu.vendor_str), "AuthenticAMD");
	hwb_pci(hw, "0000:00:00.0", 0x1022, 0x1480, 0x060000, NULL, 0);
	hwb_pci(hw, "0000:00:01.1", 0x1022, 0x1483, 0x060400, "pcieport", 1);
	hwb_pci(hw, "0000:00:03.1", 0x1022, 0x1483, 0x060400, "pcieport", 2);
	hwb_pci(hw, "0000:0a:00.0", 0x1002, 0x67df, 0x030000, "amdgpu", 1);
	hwb_pci(hw, "0000:0a:00.1", 0x1002, 0xaaf0, 0x040300, "snd_hda_intel", 1);
	hwb_pci(hw, "0000:0b:00.0", 0x1002, pass_device, 0x030000, "amdgpu", 2);
	hwb_pci(hw, "0000:0b:00.1", 0x1002, 0xab38, 0x040300, "snd_hda_intel", 2);
	hwb_pci(hw, "0000:0c:00.3", 0x1022, 0x149c, 0x0c0330, "xhci_hcd", 3);
	hwb_gpu(hw, "0000:0a:00.0", true);
	hwb_gpu(hw, "0000:0b:00.0", false);
	hwb_groups(hw);
}

void hwb_disk(struct hw_disk *d, const char *name, unsigned gib, const char *model,
	      const char *serial, const char *transport)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->size_bytes = (uint64_t)gib << 30;
	d->logical_block = 512;
	snprintf(d->model, sizeof(d->model), "%s", model);
	snprintf(d->serial, sizeof(d->serial), "%s", serial);
	snprintf(d->transport, sizeof(d->transport), "%s", transport);
}

static void rack_nic(struct hw_nic *n, const char *name, const char *mac, const char *driver,
		     bool link, const char *pci)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	snprintf(n->mac, sizeof(n->mac), "%s", mac);
	snprintf(n->driver, sizeof(n->driver), "%s", driver);
	n->link = link;
	n->is_virtual = !pci;
	snprintf(n->pci_addr, sizeof(n->pci_addr), "%s", pci ? pci : "");
	n->speed_mbps = link ? 2500 : 0;
}

void hwb_rack_node(struct hw *hw)
{
	struct hw_dmi *d = &hw->dmi;

	hwb_intel_hybrid_nvidia(hw);
	snprintf(hw->cpu.model, sizeof(hw->cpu.model), "13th Gen Intel(R) Core(TM) i7-13700K");
	snprintf(d->sys_vendor, sizeof(d->sys_vendor), "Micro-Star International Co., Ltd.");
	snprintf(d->product_name, sizeof(d->product_name), "MS-7D25 Pro/A");
	snprintf(d->product_serial, sizeof(d->product_serial), "K2 0042");
	snprintf(d->board_vendor, sizeof(d->board_vendor), "Micro-Star International Co., Ltd.");
	snprintf(d->board_name, sizeof(d->board_name), "PRO Z690-A DDR4(MS-7D25)");
	snprintf(d->bios_version, sizeof(d->bios_version), "1.E0");
	hw->nics = xrealloc(NULL, 3 * sizeof(*hw->nics));
	rack_nic(&hw->nics[0], "lo", "00:00:00:00:00:00", "", false, NULL);
	rack_nic(&hw->nics[1], "enp4s0", "58:47:ca:00:00:01", "igc", false, "0000:04:00.0");
	rack_nic(&hw->nics[2], "enp5s0", "58:47:ca:00:00:02", "igc", true, "0000:05:00.0");
	hw->n_nics = 3;
	hw->disks = xrealloc(NULL, 2 * sizeof(*hw->disks));
	hwb_disk(&hw->disks[0], "nvme0n1", 1000, "Samsung SSD 980 PRO 1TB", "S5GXNF0R123456",
		 "nvme");
	hwb_disk(&hw->disks[1], "sda", 16, "Flash Drive", "", "usb");
	hw->disks[1].removable = true;
	hw->disks[1].is_boot_medium = true;
	hw->n_disks = 2;
}
