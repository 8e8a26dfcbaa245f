/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_CFG_H
#define IRONPASS_INST_CFG_H

/*
 * Folder installer/target/: everything written into the installed system's
 * configuration (fstab, network and hosts, locale, root account, apt sources,
 * IOMMU and vfio, the Proxmox VE cluster configuration), each as a pure
 * text generator plus a writer under the target root. Includes lib/, detect/,
 * plan/, target/ and, from install/, only the context (inst.h).
 */

/*
 * Target configuration (design §5, §6; issue 5 "configure"). Each file
 * family has a pure text generator (tested against exact texts) and a step
 * that writes the text under ctx->target with path_write_file and runs
 * what must run (update-grub, update-initramfs …) as
 * {"chroot", target, …} through ctx->runner.
 *
 * Generators return a malloc'd text (caller frees) or NULL with err set.
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"
#include "install/inst.h"

struct plan;
struct plan_file;

/* --- helpers (inst-cfg-util.c) --- */
int inst_cfg_write(struct inst_ctx *ctx, const char *path, const char *text, mode_t mode);
/* Replace target/path by a symlink to @to (an absolute path inside the target). */
int inst_cfg_symlink(struct inst_ctx *ctx, const char *path, const char *to);
/* chown path to user:group looked up in the target's /etc/passwd and /etc/group. */
int inst_cfg_chown(struct inst_ctx *ctx, const char *path, const char *user, const char *group);
/* Run {"chroot", target, argv…} and check its exit status. */
int inst_cfg_chroot(struct inst_ctx *ctx, const char *const *argv);
/* Look up a name's numeric id in a passwd/group style file text (field 3). */
int inst_cfg_lookup_id(const char *text, const char *name, unsigned *id);

/* --- fstab (inst-cfg-fstab.c) --- */
char *inst_cfg_fstab_text(const struct inst_layout *l, struct ip_err *err);
int inst_cfg_fstab(struct inst_ctx *ctx);

/* --- network (inst-cfg-net.c) --- */
/* Fill the derived fields of ctx->net (hostname, domain, address, iface …) from the answer. */
int inst_cfg_net_prepare(struct inst_ctx *ctx);
int inst_cfg_net_check(const struct inst_net *n, struct ip_err *err);
char *inst_cfg_hosts_text(const struct inst_net *n, struct ip_err *err);
char *inst_cfg_interfaces_text(const struct inst_net *n, struct ip_err *err);
char *inst_cfg_resolv_text(const struct inst_net *n, struct ip_err *err);
/* A DHCP client (dhclient, dhcpcd, udhcpc) under <target>? */
bool inst_cfg_has_dhcp_client(const char *target);
/* hostname, hosts, interfaces, resolv.conf; warns when vmbr0 uses DHCP without a client */
int inst_cfg_network(struct inst_ctx *ctx);

/* --- timezone and keyboard (inst-cfg-locale.c) --- */
/* Proxmox keyboard code ("de-ch") → XKB layout ("ch") and variant ("" or "fr"). */
int inst_cfg_xkb(const char *code, const char **layout, const char **variant);
/* Proxmox keyboard code ("se") → the keymap datacenter.cfg names ("sv"); -ENOENT if unknown. */
int inst_cfg_kvm_keymap(const char *code, const char **kvm);
char *inst_cfg_keyboard_text(const char *code, struct ip_err *err);
bool inst_cfg_tz_ok(const char *tz);
int inst_cfg_locale(struct inst_ctx *ctx);

/* --- root account (inst-cfg-root.c) --- */
/* Hash a password with yescrypt (libcrypt); caller frees. */
int inst_cfg_hash_password(const char *password, char **hash, struct ip_err *err);
/* /etc/shadow text with root's hash replaced, every other field and line kept. */
char *inst_cfg_shadow_text(const char *shadow, const char *hash, struct ip_err *err);
char *inst_cfg_authorized_keys_text(const char *const *keys, size_t n, struct ip_err *err);
int inst_cfg_root(struct inst_ctx *ctx);

/* --- apt sources (inst-cfg-apt.c) --- */
#define INST_APT_PVE_LIST	"/etc/apt/sources.list.d/pve-no-subscription.list"
#define INST_APT_ENTERPRISE	"/etc/apt/sources.list.d/pve-enterprise.list"
#define INST_APT_CEPH		"/etc/apt/sources.list.d/ceph.list"
#define INST_APT_POOL_LIST	"/var/cache/ironpass/pool.list"
/* @repo: the repository base URL from [ironpass] pve-repository */
char *inst_cfg_apt_pve_text(const char *repo, const char *suite, struct ip_err *err);
/* Every non-comment line commented out ("# " prefix); NULL on ENOMEM. */
char *inst_cfg_comment_out(const char *text);
int inst_cfg_apt(struct inst_ctx *ctx);

/* --- the boot loader configuration in use (inst-cfg-boot.c) --- */
#define INST_KERNEL_CMDLINE	"/etc/kernel/cmdline"
#define INST_PBT_UUIDS		"/etc/kernel/proxmox-boot-uuids"
#define INST_PBT_TOOL		"/usr/sbin/proxmox-boot-tool"
/*
 * Decide once (recorded in ctx->boot; later calls return it): proxmox-boot-tool
 * for a zfs root when the target has it (systemd-boot on UEFI without Secure
 * Boot, else GRUB on the ESPs), else Debian's GRUB.
 */
enum inst_boot_kind inst_cfg_boot_decide(struct inst_ctx *ctx);
const char *inst_cfg_boot_name(enum inst_boot_kind kind);

/* --- zfs (inst-cfg-zfs.c) --- */
#define INST_ZFS_MODPROBE	"/etc/modprobe.d/zfs.conf"
#define INST_GRUB_ZFS_DROPIN	"/etc/default/grub.d/zfs.cfg"
#define INST_ZFS_ROOT_ARGS	"root=ZFS=rpool/ROOT/pve-1 boot=zfs"
#define INST_ZFS_ARC_MIN_MIB	64ULL		/* OpenZFS ignores less */
#define INST_ZFS_ARC_MAX_MIB	16384ULL	/* Proxmox VE's default cap */
/* Proxmox VE's default zfs_arc_max in MiB: 10% of @mem_mib, within 64 MiB..16 GiB. */
unsigned long long inst_cfg_zfs_arc_default(unsigned long long mem_mib);
/* Proxmox's clamp of a zfs_arc_max (MiB): 0 stays; at most memory - 1 GiB; at least 64. */
unsigned long long inst_cfg_zfs_arc_clamp(unsigned long long mib, unsigned long long mem_mib);
/* "options zfs zfs_arc_max=<bytes>\n" for zfs.arc-max (0: not given) and the memory. */
char *inst_cfg_zfs_modprobe_text(unsigned long long arc_mib, unsigned long long mem_mib,
				 struct ip_err *err);
/*
 * modprobe.d/zfs.conf (every root, as Proxmox: a pool made later gets the
 * limit too); for a zfs root also /etc/hostid from the live system and the
 * root words: GRUB_CMDLINE_LINUX in grub.d/zfs.cfg and /etc/kernel/cmdline.
 */
int inst_cfg_zfs(struct inst_ctx *ctx);

/* --- passthrough (inst-cfg-vfio.c) --- */
#define INST_GRUB_DROPIN	"/etc/default/grub.d/ironpass.cfg"
bool inst_cfg_kernel_word_ok(const char *w);
char *inst_cfg_grub_dropin_text(const char *const *words, size_t n, struct ip_err *err);
/* The existing /etc/kernel/cmdline with the words appended once each. */
char *inst_cfg_kernel_cmdline_text(const char *existing, const char *const *words, size_t n,
				   struct ip_err *err);
/* Where the kernel command line goes for @kind: the GRUB drop-in or /etc/kernel/cmdline. */
const char *inst_cfg_cmdline_path(enum inst_boot_kind kind);
/* That file's text: the drop-in, or @old (the file's text or NULL) with the words added. */
char *inst_cfg_cmdline_file_text(enum inst_boot_kind kind, const char *old,
				 const char *const *words, size_t n, struct ip_err *err);
/* A plan file's path is one the plan may write (/etc/…, /usr/lib/ironpass/…, no ..). */
bool inst_cfg_plan_path_ok(const char *p);
/*
 * The text a plan file must have, given its current text @old (NULL: missing):
 * the plan's text, or for an appended file @old with the text added once.
 */
char *inst_cfg_plan_file_text(const struct plan_file *f, const char *old, size_t old_len,
			      struct ip_err *err);
/* {"update-initramfs", "-u", "-k", "all", NULL} */
extern const char *const inst_cfg_initramfs_argv[];
/* What applies a command line change: update-grub, or proxmox-boot-tool refresh. */
const char *const *inst_cfg_boot_refresh_argv(enum inst_boot_kind kind);
int inst_cfg_passthrough(struct inst_ctx *ctx);

/* --- Proxmox VE cluster configuration (inst-cfg-cluster.c) --- */
/*
 * Like Proxmox VE's own installer: storage.cfg, datacenter.cfg and user.cfg
 * in a directory of the target, turned into pmxcfs's database by
 * create_pmxcfs_db inside the target, then /etc/pve marked immutable (so that
 * nothing writes into the bare mount point while pmxcfs is not mounted).
 */
#define INST_PVE_SEED_DIR	"/tmp/pve"
#define INST_PMXCFS_DB		"/var/lib/pve-cluster/config.db"
#define INST_PVE_MOUNT		"/etc/pve"
/* What storage.cfg describes besides "dir: local", by root filesystem. */
enum inst_store_kind {
	INST_STORE_LOCAL,	/* no data volume: "local" holds every content type */
	INST_STORE_LVMTHIN,	/* "local-lvm": the LVM thin pool */
	INST_STORE_ZFS,		/* "local-zfs": <pool>/data */
	INST_STORE_BTRFS,	/* "local-btrfs", "local" disabled */
};
struct inst_storage {
	enum inst_store_kind kind;
	char vgname[64];	/* lvmthin: "pve" */
	char thinpool[64];	/* lvmthin: "data" */
	char zfs_pool[64];	/* zfs: "rpool" (the storage uses rpool/data) */
};
/* The storage of the installed layout: root_fstype zfs/btrfs, else the thin pool or none. */
void inst_cfg_storage_from_layout(const struct inst_layout *l, struct inst_storage *s);
/* The storage id the VM disks go to: "local-lvm", "local-zfs", "local-btrfs" or "local". */
const char *inst_cfg_storage_vm_id(enum inst_store_kind kind);
char *inst_cfg_storage_text(const struct inst_storage *s, struct ip_err *err);
/* "keyboard: <kvm keymap>\n" from a Proxmox keyboard code */
char *inst_cfg_datacenter_text(const char *keyboard, struct ip_err *err);
/* root@pam with the admin's e-mail address */
char *inst_cfg_user_text(const char *mailto, struct ip_err *err);
int inst_cfg_cluster(struct inst_ctx *ctx);

/* Every configuration step above, in order. */
int inst_cfg_all(struct inst_ctx *ctx);

#endif
