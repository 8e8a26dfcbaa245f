/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_HW_H
#define IRONPASS_HW_H

/*
 * Folder installer/detect/: read-only probes of the running machine and the
 * hardware model they fill (struct hw), plus detect's own report and JSON.
 * Every path is read under the sysroot prefix; nothing here writes a file,
 * runs a program or decides anything. Includes only lib/ and detect/.
 */

/*
 * What the detector found (design §5). Filled by hw_detect() from files
 * under a sysroot, read by plan_build() and the report/JSON writers.
 * Everything here is plain data: no file descriptors, no libpci handles.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

#define HW_NAME_MAX 128

enum hw_cpu_vendor { HW_CPU_OTHER, HW_CPU_INTEL, HW_CPU_AMD };
enum hw_fw_mode { HW_FW_BIOS, HW_FW_UEFI };
enum hw_tristate { HW_NO = 0, HW_YES = 1, HW_UNKNOWN = -1 };
/* Which IOMMU the platform has: from the units in /sys/class/iommu (dmar* / ivhd*), else
 * from the ACPI tables (DMAR / IVRS), which exist even when the kernel leaves it off. */
enum hw_iommu_kind { HW_IOMMU_NONE, HW_IOMMU_INTEL, HW_IOMMU_AMD, HW_IOMMU_OTHER };

struct hw_pci_dev {
	unsigned domain, bus, dev, func;
	char addr[16];			/* "0000:01:00.0" */
	uint16_t vendor_id, device_id;
	uint16_t subsys_vendor, subsys_device;
	uint32_t class_code;		/* 24 bits: class, subclass, prog-if */
	uint8_t header_type;
	bool is_bridge;
	char vendor_name[HW_NAME_MAX];
	char device_name[HW_NAME_MAX];
	char driver[64];		/* bound driver, "" when none */
	int iommu_group;		/* -1: none */
	enum hw_tristate boot_vga;	/* HW_UNKNOWN when the file is absent */
	bool fb_in_bar;			/* a firmware framebuffer in /proc/iomem lies in a BAR */
	char reset_method[64];		/* "" when unknown */
	uint64_t bar_start[6], bar_end[6];
	int numa_node;
};

struct hw_iommu_group {
	int id;
	size_t *devs;			/* indexes into hw.pci */
	size_t n_devs;
};

/* One GPU slot: the display function and its siblings in the same slot */
struct hw_gpu {
	size_t fn[8];			/* indexes into hw.pci, function 0 first */
	size_t n_fn;
	size_t display;			/* index of the display-class function */
	bool integrated;		/* iGPU: Intel/AMD display function on bus 0 (emulated
					 * and discrete cards are not integrated) */
	bool is_boot;			/* boot_vga == 1, or firmware framebuffer in its BARs */
	bool groups_known;		/* every function has an IOMMU group */
	bool group_clean;		/* groups known and they hold no other endpoints */
	size_t *intruders;		/* other endpoints sharing its group(s) */
	size_t n_intruders;
};

struct hw_cpu {
	enum hw_cpu_vendor vendor;
	char vendor_str[32];
	char model[HW_NAME_MAX];
	unsigned family, model_id;
	bool virt;			/* vmx or svm */
	unsigned threads, cores, sockets;
	bool hybrid;
	char pcores[256];		/* cpu list from cpu_core/cpus, e.g. "0-15" */
	char ecores[256];		/* from cpu_atom/cpus */
	unsigned n_pcores_threads, n_ecores_threads;
};

struct hw_disk {
	char name[64];			/* "sda", "nvme0n1" */
	uint64_t size_bytes;
	unsigned logical_block;
	bool rotational, removable, readonly;
	char transport[16];		/* sata, nvme, usb, virtio, scsi, … */
	char model[HW_NAME_MAX];
	char serial[HW_NAME_MAX];
	char wwn[64];
	bool has_partitions;
	unsigned n_partitions;
	bool optical;			/* sr*: CD/DVD drive */
	bool md;			/* md* software RAID array */
	bool is_boot_medium;		/* the medium the live system came from */
};

struct hw_nic {
	char name[32];
	char mac[18];
	char driver[64];
	bool link;			/* carrier == 1 */
	bool is_virtual;		/* no device link (lo, bridges, veth) */
	char pci_addr[16];		/* "0000:00:1f.6" when on PCI, else "" */
	unsigned speed_mbps;
};

struct hw_dmi {
	char sys_vendor[HW_NAME_MAX], product_name[HW_NAME_MAX];
	char product_serial[HW_NAME_MAX], product_uuid[64];
	char board_vendor[HW_NAME_MAX], board_name[HW_NAME_MAX];
	char bios_version[HW_NAME_MAX];
	/* what Proxmox's answer fetch also sends (serials and asset tags: root only) */
	char product_sku[HW_NAME_MAX];
	char board_serial[HW_NAME_MAX], board_asset_tag[HW_NAME_MAX];
	char chassis_serial[HW_NAME_MAX], chassis_sku[HW_NAME_MAX];
	char chassis_asset_tag[HW_NAME_MAX];
};

struct hw {
	char sysroot[4096];
	struct hw_pci_dev *pci;
	size_t n_pci;
	struct hw_iommu_group *groups;
	size_t n_groups;
	struct hw_gpu *gpus;
	size_t n_gpus;
	bool iommu_present;		/* /sys/class/iommu entries and non-empty groups */
	bool iommu_class;		/* /sys/class/iommu has entries */
	enum hw_iommu_kind iommu_kind;
	enum hw_tristate irq_remap;	/* IR- lines in /proc/interrupts */
	char kernel_release[128];
	char cmdline[4096];
	struct hw_cpu cpu;
	struct hw_disk *disks;
	size_t n_disks;
	struct hw_nic *nics;
	size_t n_nics;
	uint64_t mem_total_kib;
	char boot_medium_dev[64];	/* source of /run/live/medium, e.g. "/dev/sr0"; "" */
	enum hw_fw_mode fw;
	enum hw_tristate secure_boot;
	struct hw_dmi dmi;
	char **notes;			/* non-fatal oddities met while reading (malformed files …) */
	size_t n_notes;
};

/* Read everything under sysroot ("" or NULL = "/"). 0 or negative errno (message in err). */
int hw_detect(const char *sysroot, struct hw *hw, struct ip_err *err);
void hw_release(struct hw *hw);

/* Lookups on a detected machine; NULL / -1 when absent. */
const struct hw_pci_dev *hw_pci_find(const struct hw *hw, const char *addr);
ssize_t hw_pci_index(const struct hw *hw, unsigned domain, unsigned bus, unsigned dev,
		     unsigned func);
/*
 * Memory as the kernel sees it now (not part of the model: it changes), from
 * <sysroot>/proc/meminfo: MemTotal, MemAvailable, and in use = their
 * difference. 0, -ENOENT (a field missing or malformed), or the read's errno.
 */
struct hw_mem_now {
	uint64_t total_kib, available_kib, used_kib;
};
int hw_mem_now(const char *sysroot, struct hw_mem_now *m);

/* Class helpers on a 24-bit class code */
bool hw_class_is_display(uint32_t class_code);	/* 0x0300, 0x0302, 0x0380 */

/* Number of CPUs in a kernel cpu list ("0-7,16-23"); -EINVAL on garbage. */
int hw_cpulist_count(const char *list);
/* Set mask[i] = 1 for every cpu i < n in the list; -EINVAL on garbage or cpu >= n. */
int hw_cpulist_parse(const char *list, unsigned char *mask, size_t n);

#endif
