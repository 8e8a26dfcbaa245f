/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_H
#define IRONPASS_INST_H

/*
 * Folder installer/install/: the install session, its flow and its steps
 * (answer sources, HTTP, webhook, payload fetch, disk selection, partitioning,
 * LVM, mkfs, mounts, unpack, packages, boot loader). Steps write only under
 * the target root, run programs only through the runner and never print.
 * Includes lib/ and every installer folder, but never dialog code
 * (ui/ui-dialog.h).
 */

/*
 * The install context shared by every install step (design §5, issue 5).
 *
 * Two roots: `sysroot` is where /sys, /proc and /dev of the running
 * (live) system are read from; `target` is where the new system is
 * mounted (e.g. "/target"). Steps write only under target and run
 * programs only through `runner` (argv arrays; chroot is an argv too:
 * {"chroot", target, "update-initramfs", "-u", "-k", "all", NULL}).
 * Steps never print: they log through inst_log() (lib/log.h sink) and
 * store failures in ctx->err.
 */

#include <stdbool.h>
#include <stddef.h>

#include "answer.h"
#include "detect/hw.h"
#include "err.h"
#include "runner.h"

struct json_object;
struct plan;
struct inst_webhook;

/* Written on the target (with the install log beside it) when an install fails after
 * the root was mounted; the first-boot unit does not run while it exists. */
#define INST_FAILED_MARK	"/var/log/ironpass/install-failed"

/* Most disks one btrfs or zfs root spans (disk-list or a filter). */
#define INST_MAX_DISKS 16

/*
 * One more disk of a btrfs or zfs root, partitioned like the first (BIOS boot,
 * ESP, btrfs or zfs).
 */
struct inst_layout_disk {
	char disk[64];			/* "vdb" */
	char disk_dev[128];		/* "/dev/vdb" */
	char part_esp[128];		/* "/dev/vdb2": btrfs: made, left empty; zfs: vfat, booted */
	char part_os[128];		/* "/dev/vdb3": a device of the btrfs filesystem or pool */
	char esp_uuid[64];		/* zfs: the vfat UUID of part_esp (mkfs step) */
	size_t disk_index;		/* index into hw->disks */
	unsigned logical_block;
	unsigned long long disk_mib, esp_mib, os_mib;
	bool os_to_end;			/* the third partition takes the rest of the disk */
};

/* The disk layout decided by the disk step and used by the config/boot steps. */
struct inst_layout {
	char disk[64];			/* kernel name, "vda" */
	char disk_dev[128];		/* "/dev/vda" (under sysroot for tests: only the name is used) */
	char part_bios[128];		/* "/dev/vda1" BIOS boot */
	char part_esp[128];		/* "/dev/vda2" ESP */
	char part_lvm[128];		/* "/dev/vda3" LVM PV, or the first btrfs or zfs device */
	char root_dev[128];		/* "/dev/pve/root"; btrfs: "/dev/vda3" (= part_lvm);
					   zfs: the dataset "rpool/ROOT/pve-1" */
	char swap_dev[128];		/* "/dev/pve/swap"; "" when no swap (btrfs, zfs) */
	char root_fstype[16];		/* "ext4" | "xfs" | "btrfs" | "zfs" */
	/* btrfs, zfs: the disks after the first (disk, disk_dev … above) */
	struct inst_layout_disk extra[INST_MAX_DISKS - 1];
	size_t n_extra;
	char btrfs_raid[8];		/* "raid0" | "raid1" | "raid10" (data and metadata) */
	char btrfs_compress[8];		/* "" (off) | "on" | "zlib" | "lzo" | "zstd": fstab */
	/* zfs (inst-zfs.c): the pool's vdev layout and the properties set on it */
	char zfs_raid[8];		/* "raid0" "raid1" "raid10" "raidz-1" "raidz-2" "raidz-3" */
	unsigned zfs_ashift;		/* 9..16, 12 unless zfs.ashift says */
	char zfs_compress[8];		/* "on" unless zfs.compress says */
	char zfs_checksum[16];		/* "on" unless zfs.checksum says */
	unsigned zfs_copies;		/* 1..3, 1 unless zfs.copies says */
	char root_uuid[64], esp_uuid[64], swap_uuid[64];
	unsigned long long esp_mib, swap_mib, root_mib, data_mib, minfree_mib;
	/* added by the disk steps */
	size_t disk_index;		/* index into hw->disks */
	unsigned logical_block;		/* bytes per logical sector of the disk */
	unsigned long long disk_mib;	/* size of the chosen disk */
	unsigned long long lvm_mib;	/* size of the LVM partition (hdsize applied) */
	unsigned long long data_meta_mib; /* thin pool metadata; 0 when no data pool */
	char data_dev[128];		/* "pve/data" thin pool; "" when none */
	bool lvm_to_end;		/* the LVM partition takes the rest of the disk */
};

/*
 * The destructive actions on the chosen disk, decided (and logged) by the
 * disk step after every check passed, run in this order by the partition
 * step. LATER entries are done by the steps after it (LVM, mkfs) and are
 * listed so that the whole list is shown before the first write.
 */
enum inst_act_kind {
	INST_ACT_VG_OFF,
	INST_ACT_LABELCLEAR,	/* zpool labelclear -f: an old ZFS label (zfs roots only) */
	INST_ACT_WIPEFS,
	INST_ACT_SFDISK,
	INST_ACT_LATER,
};
#define INST_ACT_MAX 96
struct inst_action {
	enum inst_act_kind kind;
	char arg[128];			/* the volume group or device */
	char desc[384];			/* one line for the console and the log */
};

struct inst_actions {
	struct inst_action a[INST_ACT_MAX];
	size_t n;
};

/*
 * What inst_mount and inst_chroot_mounts mounted, undone in reverse by
 * inst_umount; then the ZFS pool the mkfs step created is exported.
 */
#define INST_MAX_MOUNTS 16
struct inst_mounts {
	char path[INST_MAX_MOUNTS][512];
	unsigned n;
	bool chroot_ready;		/* /dev /proc /sys /run bound into the target */
	char zfs_pool[32];		/* "rpool" while it is imported by us, else "" */
};

/*
 * Which boot loader configuration the target uses: decided once, by
 * inst_cfg_boot_decide() (target/inst-cfg-boot.c), and recorded in ctx->boot
 * for the configuration step (the kernel command line) and the boot loader
 * step (what to install).
 */
enum inst_boot_kind {
	INST_BOOT_UNDECIDED,
	INST_BOOT_GRUB,		/* Debian's GRUB: /etc/default/grub.d, update-grub */
	INST_BOOT_PBT_GRUB,	/* proxmox-boot-tool, GRUB on every ESP (BIOS, or Secure
				   Boot): /etc/default/grub.d, proxmox-boot-tool refresh */
	INST_BOOT_PBT_SDBOOT,	/* proxmox-boot-tool, systemd-boot on every ESP (UEFI
				   without Secure Boot): /etc/kernel/cmdline */
};

/* The node's network identity, decided from the answer and the NICs. */
struct inst_net {
	char iface[32];			/* the management NIC enslaved to vmbr0 */
	char mac[18];
	bool dhcp;
	char cidr[64];			/* "192.0.2.10/24" (static, or what DHCP gave) */
	char address[64];		/* "192.0.2.10" */
	char gateway[64];
	char dns[64];
	char fqdn[256];
	char hostname[64];		/* first label of fqdn */
	char domain[192];
};

struct inst_ctx {
	const char *sysroot;		/* "" or "/" for the running system */
	const char *target;		/* mount point of the new root, e.g. "/target" */
	const char *payload_dir;	/* directory with manifest.json, base.tar.zst, pool/ */
	const char *payload_url;	/* PXE: fetched into payload_dir first; NULL otherwise */
	const char *payload_sha256;	/* ironpass.payload-sha256= (manifest pin), or NULL */
	struct runner *runner;
	const struct answer *answer;
	const struct hw *hw;
	const struct plan *plan;
	struct inst_layout layout;
	struct inst_net net;
	bool uefi;			/* install for UEFI boot too (both are always installed) */
	enum inst_boot_kind boot;	/* decided by inst_cfg_boot_decide(), see above */
	bool dry_run;
	bool payload_standin;		/* the verified manifest says: test stand-in payload */
	bool wipe_confirmed;		/* the user confirmed wiping the chosen disk on screen */
	bool automatic;			/* ironpass.auto / --auto: unattended wipes allowed */
	struct inst_actions actions;	/* filled by the disk step, run by the partition step */
	/* from the verified manifest (payload_verify): what base.tar.zst must be */
	char base_sha256[65];
	unsigned long long base_size;
	struct inst_mounts mounts;
	/* what the "facts" step gathered for the webhook's "done" event (inst-facts.h); NULL
	 * until then; the session puts it */
	struct json_object *facts;
	/* the install's status webhook (borrowed; NULL: none): the first boot reports there too */
	const struct inst_webhook *webhook;
	/* what the user still has to do, one line each (owned; the final screen shows it) */
	char *notes;
	struct ip_err err;
	/* progress: the flow wires this to the gauge, console and webhook */
	void (*on_progress)(void *data, const char *step, int percent, const char *detail);
	void *progress_data;
};

#endif
