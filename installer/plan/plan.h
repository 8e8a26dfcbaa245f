/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_PLAN_H
#define IRONPASS_PLAN_H

/*
 * Folder installer/plan/: the passthrough plan, a pure function of the
 * hardware model and the policy (the answer): no file access, no programs, no
 * screens. Includes only lib/, detect/ and plan/.
 */

/*
 * The passthrough plan (design §5, §6, §7): a pure function from the
 * detected hardware and the [passthrough] / [vm-template] policy to
 * everything the install step writes. plan_build() reads no files and runs
 * nothing; every text here is ready to be written as it is.
 *
 * When plan_ok is false the plan is refused: refusals[] says why (one line
 * each), decisions[] and warnings[] say what was looked at, and every output
 * field (gpus, kernel_args, modules, files, vm) is empty. Nothing should be
 * written then.
 *
 * When plan_ok is true and the policy is gpu = none, only the IOMMU kernel
 * words are set (no modules, no files, no hostpci in the VM).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "answer.h"
#include "detect/hw.h"
#include "err.h"

/* Where the install step writes the plan's files (under the target root) */
#define PLAN_MODPROBE_PATH	"/etc/modprobe.d/ironpass-vfio.conf"
#define PLAN_MODULES_LOAD_PATH	"/etc/modules-load.d/ironpass-vfio.conf"
#define PLAN_INITRAMFS_MODULES	"/etc/initramfs-tools/modules"
#define PLAN_OVERRIDE_SCRIPT	"/usr/lib/ironpass/vfio-override"
#define PLAN_OVERRIDE_HOOK	"/etc/initramfs-tools/hooks/ironpass-vfio"

/* One PCI function to hand to vfio-pci */
struct plan_fn {
	size_t pci;			/* index into hw.pci */
	char addr[16];			/* "0000:01:00.1" */
	uint16_t vendor_id, device_id;
	uint32_t class_code;
	bool by_override;		/* bound by driver_override (the host has the same id) */
};

/* One isolated slot (a GPU with all its functions) */
struct plan_gpu {
	char slot[16];			/* "0000:01:00": all functions, lower-case hex */
	size_t gpu;			/* index into hw.gpus */
	struct plan_fn fn[8];
	size_t n_fn;
	bool has_vga;			/* a VGA-class (0x0300) function is isolated */
	bool is_boot;			/* the host's boot GPU */
	char hostpci[64];		/* "0000:01:00,pcie=1,x-vga=1" */
};

/*
 * A file for the install step to write under the target root. With append
 * set, the text is appended to the existing file (created when missing)
 * instead of replacing it.
 */
struct plan_file {
	char path[128];
	char *text;
	mode_t mode;
	bool append;
	char *purpose;			/* one line: why the file exists */
};

/* [vm-template] values for qm create / qm set (design §7) */
struct plan_vm {
	bool enabled;
	unsigned vmid;
	char *name;
	const char *ostype;		/* "win11" */
	const char *machine;		/* "q35" */
	const char *bios;		/* "ovmf" */
	const char *cpu;		/* "host" */
	unsigned cores;
	char affinity[256];		/* host cpu list ("0-13"), "" for no pinning */
	unsigned numa;			/* 1 */
	unsigned memory_mib;
	unsigned hugepages;		/* qm "hugepages" option in MiB (1024) or 0 for none */
	unsigned balloon;		/* 0 */
	const char *scsihw;		/* "virtio-scsi-single" */
	char *storage;			/* the answer's, else "local-lvm" (storage_auto) */
	/*
	 * The answer names no storage: the disks go to the root filesystem's
	 * storage, known once the disk is laid out (local-lvm with the LVM thin
	 * pool, local-zfs, local-btrfs, or local without a data volume); the
	 * first-boot step puts that in place of "local-lvm" in the values below.
	 */
	bool storage_auto;
	char *bridge;
	char *efidisk0;			/* "<store>:1,efitype=4m,pre-enrolled-keys=1" */
	char *tpmstate0;		/* "<store>:1,version=v2.0" */
	char *scsi0;			/* "<store>:<GiB>,iothread=1,discard=on,ssd=1" */
	char *net0;			/* "virtio=<MAC>,bridge=vmbr0" */
	char mac[18];			/* fixed, locally administered, upper-case like qm */
	char **hostpci;			/* hostpci0, hostpci1 … values */
	size_t n_hostpci;
	const char *vga;		/* "none" with a GPU, "std" without */
	unsigned agent;			/* 1 */
	char *ide2;			/* Windows ISO, ",media=cdrom"; "none,media=cdrom" when not set */
	/* (an https:// or "carried" windows-iso / virtio-iso is local:iso/PLAN_VM_*_ISO) */
	char *ide0;			/* virtio-win ISO; "none,media=cdrom" when not set */
	char *ide1;			/* autounattend answer ISO; NULL unless unattended */
	/* ISOs the first boot downloads (https URL and SHA-256 from the answer), or NULL */
	char *windows_url, *windows_sha256, *virtio_url, *virtio_sha256;
	/* "carried": the install copies the medium's /ironpass/media/ file (or, booted
	 * over the network, the first boot fetches the PXE tree's media/ file) */
	bool windows_carried, virtio_carried;
	const char *boot;		/* "order=scsi0;ide2" */
};

/* Where an ISO from an https:// URL or carried in the image is to be on the node (local) */
#define PLAN_VM_WINDOWS_ISO	"ironpass-windows.iso"
#define PLAN_VM_VIRTIO_ISO	"ironpass-virtio-win.iso"

struct plan {
	bool plan_ok;
	char **refusals;		/* why the plan is refused (empty when plan_ok) */
	size_t n_refusals;
	char **warnings;
	size_t n_warnings;
	char **decisions;		/* one line per decision, in order */
	size_t n_decisions;

	struct plan_gpu *gpus;		/* isolated slots, in PCI order */
	size_t n_gpus;

	char **kernel_args;		/* words to add to the kernel command line */
	size_t n_kernel_args;
	char *cmdline;			/* the same words joined by spaces ("" when none) */

	char **modules;			/* vfio, vfio_iommu_type1, vfio_pci */
	size_t n_modules;
	char **vfio_ids;		/* "10de:1e87" bound by ids= (each once) */
	size_t n_vfio_ids;
	char **override_addrs;		/* functions bound by driver_override */
	size_t n_override_addrs;
	char **softdeps;		/* module names given "softdep M pre: vfio-pci" */
	size_t n_softdeps;
	char **blacklist;		/* module names blacklisted (no host device needs them) */
	size_t n_blacklist;

	/* Ready-to-write texts (NULL when not needed); the same texts are in files[] */
	char *modprobe_conf;		/* PLAN_MODPROBE_PATH */
	char *modules_load;		/* PLAN_MODULES_LOAD_PATH */
	char *initramfs_modules;	/* appended to PLAN_INITRAMFS_MODULES */
	char *override_script;		/* PLAN_OVERRIDE_SCRIPT (identical devices only) */
	char *override_hook;		/* PLAN_OVERRIDE_HOOK (identical devices only) */
	struct plan_file *files;
	size_t n_files;

	/* Commands for after the files are written and the bootloader is updated */
	char **steps;			/* e.g. "update-initramfs -u -k all" */
	size_t n_steps;

	struct plan_vm vm;
};

/*
 * Decide the plan. vm may be NULL (defaults). Returns 0 when a plan was
 * made (plan_ok tells whether it is accepted), -EINVAL on bad arguments,
 * -ENOMEM; the message is in err. Release with plan_release() in every case.
 */
int plan_build(const struct hw *hw, const struct answer_passthrough *pt,
	       const struct answer_vm_template *vm, struct plan *plan, struct ip_err *err);
void plan_release(struct plan *plan);

/* The default [passthrough] / [vm-template] policy, as answer_defaults() sets it */
void plan_default_policy(struct answer_passthrough *pt, struct answer_vm_template *vm);

/* The plan as JSON (json-c, sorted by our own key order), caller frees; NULL on ENOMEM */
char *plan_to_json(const struct plan *plan);
/* The plan as text: verdict, one line per decision, warnings, refusals, outputs */
char *plan_to_text(const struct plan *plan);

#endif
