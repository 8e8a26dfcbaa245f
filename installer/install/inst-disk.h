/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_DISK_H
#define IRONPASS_INST_DISK_H

/*
 * The disk-touching install steps' pure parts, exposed for tests: disk
 * selection, the partition layout and its sfdisk script, the LVM sizes,
 * and the allowlists for values that end up in an argv.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "answer.h"
#include "detect/hw.h"
#include "err.h"
#include "install/inst.h"

#define MIB (1024ULL * 1024ULL)
#define GIB (1024ULL * MIB)

/* The smallest disk (or hdsize) we install onto. */
#define INST_DISK_MIN_BYTES (8ULL * GIB)

/* udev properties of one disk (from <sysroot>/run/udev/data/b<maj>:<min>). */
struct inst_udev_props {
	char **kv;			/* "KEY=value" strings */
	size_t n;
};

/*
 * Parse the text of a udev database file ("S:link", "E:KEY=value", … one
 * per line; the text ends at @len or its first NUL): every "E:" line with
 * a '=' becomes a "KEY=value" string. 0 or -ENOMEM (@p is then empty).
 */
int inst_udev_parse(const char *text, size_t len, struct inst_udev_props *p);
/* Read the udev database entry of /sys/block/<name> under sysroot; empty when absent. */
int inst_udev_read(const char *sysroot, const char *name, struct inst_udev_props *p);
/* The udev database entry /run/udev/data/<id> ("b8:0", "n3"); none is 0 with p->n 0. */
int inst_udev_read_id(const char *sysroot, const char *id, struct inst_udev_props *p);
void inst_udev_release(struct inst_udev_props *p);
/*
 * The value of a udev-style key for a disk: from @p when it has the key,
 * else derived from the hardware model (ID_SERIAL, ID_SERIAL_SHORT,
 * ID_MODEL, ID_BUS, ID_WWN, DEVNAME). NULL when unknown.
 */
const char *inst_udev_value(const struct hw_disk *d, const struct inst_udev_props *p,
			    const char *key, char *buf, size_t size);

/* A signature libblkid found on a disk or one of its partitions. */
#define INST_SIG_MAX 32
struct inst_sig {
	char dev[80];			/* "/dev/vda", "/dev/vda2" */
	char type[32];			/* "gpt", "ext4", "LVM2_member", "linux_raid_member" … */
	char usage[24];			/* "filesystem", "raid", "crypto", "partition table" … */
	char label[64];
	unsigned long long offset;	/* of the magic, from the start of the device */
};

/* Everything found on one disk: the whole device, then each listed partition. */
struct inst_disk_sigs {
	struct inst_sig sig[INST_SIG_MAX];
	size_t n;
	bool more;			/* more than INST_SIG_MAX were found */
	unsigned n_parts;		/* partitions the table lists */
	bool unreadable;		/* could not be probed: counts as not empty */
};

/* Probe <sysroot>/dev/<name> and its partitions (inst-disk-sig.c). 0 or -errno. */
int inst_disk_sigs_probe(const char *sysroot, const char *name, struct inst_disk_sigs *s,
			 struct ip_err *err);
/* "gpt partition table on /dev/vda, ext4 'root' on /dev/vda1" (or "no signature"). */
void inst_disk_sigs_str(const struct inst_disk_sigs *s, char *buf, size_t size);

/* A mount, as one line of /proc/self/mountinfo gives it (fields unescaped). */
struct inst_mnt {
	unsigned major, minor;
	char target[4096];
	char source[1024];
	char fstype[64];
};

/* Parse one mountinfo line (inst-disk-users.c). 0, or -EINVAL when malformed. */
int inst_mountinfo_line(const char *line, struct inst_mnt *m);

/* The kernel name behind "/dev/NAME" or "/dev/mapper/NAME" (via sysfs dm/name); "" if none. */
void inst_dev_name_of(const char *sysroot, const char *path, char *out, size_t size);
/* The names in <sysroot><sys>/<sub> (e.g. "holders"), sorted; free with inst_sysfs_list_free. */
char **inst_sysfs_list(const char *sysroot, const char *sys, const char *sub, size_t *n);
void inst_sysfs_list_free(char **names, size_t n);

/* "data-lv--0" (a device mapper name) → vg "data", lv "lv-0". */
void inst_dm_lvm_name(const char *dm, char *vg, size_t vgsize, char *lv, size_t lvsize);

/* Who uses a disk or its partitions (inst-disk-users.c). */
#define INST_USERS_MAX 16
#define INST_VG_MAX 8
struct inst_user {
	char dev[80];			/* "/dev/vda2" */
	char what[1024];		/* "mounted on '/mnt'; active swap; held by 'md127' …" */
};

struct inst_disk_users {
	struct inst_user busy[INST_USERS_MAX];
	size_t n_busy;
	bool more;
	/* volume groups with active but unused volumes on the disk: deactivated first */
	char idle_vg[INST_VG_MAX][128];
	size_t n_idle_vg;
};

/*
 * Check <disk> and every partition the kernel lists for it: mounts, active
 * swap, holders (LVM, dm-crypt, md, recursively), exclusive opens. 0 with
 * @u filled (n_busy 0: nobody uses it), or -errno when it cannot tell.
 */
int inst_disk_users(const char *sysroot, const char *disk, struct inst_disk_users *u,
		    struct ip_err *err);
/* "'/dev/vda2' is in use: mounted on '/mnt'; …" */
void inst_disk_users_str(const struct inst_disk_users *u, char *buf, size_t size);

/* What a disk choice needs besides the hardware. */
struct inst_disk_req {
	const struct answer_disk_setup *ds;
	enum answer_wipe wipe;		/* [ironpass] wipe */
	bool confirmed;			/* the user confirmed the wipe on screen */
	bool automatic;			/* ironpass.auto / --auto given */
	const struct inst_udev_props *props;	/* parallel to hw->disks, may be NULL */
	const struct inst_disk_sigs *sigs;	/* parallel to hw->disks; NULL: not probed */
};

/* A disk is empty when libblkid found nothing on it and the kernel lists no partition. */
bool inst_disk_empty(const struct hw_disk *d, const struct inst_disk_sigs *s);

/*
 * Choose the target disk (a pure function). Returns 0 with *idx set, or
 * -ENODEV (nothing matches), -EINVAL (ambiguous), -EOPNOTSUPP (a filesystem
 * ironpass does not install yet: answer_fs_unsupported), -EPERM (boot
 * medium, or a disk that is not empty where the wipe policy refuses it:
 * "never" always, "empty-only" unless confirmed on screen, "always" unless
 * confirmed or unattended with ironpass.auto), -ENOSPC (too small); err says which.
 */
int inst_disk_choose(const struct hw *hw, const struct inst_disk_req *req, size_t *idx,
		     struct ip_err *err);

/*
 * The target disks: one for ext4 and xfs (as inst_disk_choose), every disk of
 * disk-list (in its order) or every disk the filter matches (sorted by name, as
 * the Proxmox installer sorts them) for btrfs and zfs. Every disk passes every
 * check of inst_disk_choose; the RAID level needs inst_disk_min disks, a zfs
 * raid10 an even number, and the disks of a zfs mirror or raidz the same size
 * within 10% (raid10: each pair), as Proxmox checks. 0 or -errno as there.
 * This is the choice alone: it does not refuse a filesystem that ironpass
 * does not install yet (inst_disk_choose and the disk step do).
 */
struct inst_disk_choice {
	size_t idx[INST_MAX_DISKS];
	size_t n;
};

int inst_disk_choose_all(const struct hw *hw, const struct inst_disk_req *req,
			 struct inst_disk_choice *c, struct ip_err *err);

/*
 * The fewest disks a filesystem and RAID level ("raid1") need: 1; btrfs raid1
 * 2, raid10 4; zfs raid1 2, raid10 4, raidz-1 3, raidz-2 4, raidz-3 5.
 */
size_t inst_disk_min(enum answer_fs fs, const char *raid);

/*
 * The disk step without the check that ironpass installs the answer's
 * filesystem (inst_disk_select = that check + this): what unit tests drive
 * for a root that answer_fs_unsupported() still refuses.
 */
int inst_disk_select_fs(struct inst_ctx *ctx);

/*
 * What each disk holds, for the screens: (*out)[i] is a text like
 * "gpt partition table on /dev/vda, …", or NULL when disk i is empty (or is the
 * boot medium / an optical drive). Free with inst_disk_contents_free.
 */
int inst_disk_contents(const char *sysroot, const struct hw *hw, char ***out);
void inst_disk_contents_free(char **c, size_t n);

/* One line for a found answer's offer: which disk it would erase and what it holds. */
void inst_disk_preview(const char *sysroot, const struct hw *hw, const struct answer *a,
		       char *buf, size_t size);

/* Partition sizes from the disk size and lvm.hdsize (btrfs.hdsize) into @l (esp_mib, lvm_mib). */
int inst_part_sizes(struct inst_layout *l, const struct answer_disk_setup *ds,
		    struct ip_err *err);

/* The volume groups with a physical volume on the chosen disk (inst-disk-plan.c). */
struct inst_disk_vgs {
	char vg[INST_VG_MAX][128];
	size_t n;
};

/*
 * From `pvs --noheadings -o pv_name,vg_name` output: the groups on @disk (to
 * deactivate). -EEXIST when a group 'pve' lives on another disk, -EBUSY when a
 * group on @disk also has a physical volume elsewhere.
 */
int inst_disk_vgs(const char *sysroot, const char *disk, const char *pvs_out,
		  struct inst_disk_vgs *out, struct ip_err *err);
/*
 * The same for several disks (a btrfs root): groups on any of @disks; -EBUSY when
 * one also lies on a disk outside them; the 'pve' check only when @make_pve.
 */
int inst_disk_vgs_multi(const char *sysroot, const char *const *disks, size_t n_disks,
			const char *pvs_out, bool make_pve, struct inst_disk_vgs *out,
			struct ip_err *err);

/* The layout's disks as one list: 1 + n_extra, disk 0 from the first-disk fields. */
size_t inst_layout_n_disks(const struct inst_layout *l);
void inst_layout_nth(const struct inst_layout *l, size_t i, struct inst_layout_disk *d);
/* Fill ctx->actions for ctx->layout (partitions listed under sysfs are wiped); @sigs is
 * parallel to hw->disks (each layout disk uses sigs[disk_index]), or NULL. */
int inst_disk_actions_build(struct inst_ctx *ctx, const struct inst_disk_sigs *sigs,
			    const struct inst_disk_vgs *vgs);
/* Log the list, numbered. */
void inst_disk_actions_log(const struct inst_ctx *ctx);

/* "/dev/nvme0n1" + 2 -> "/dev/nvme0n1p2"; "/dev/vda" + 2 -> "/dev/vda2". */
int inst_part_name(char *buf, size_t size, const char *disk_dev, unsigned n);

/* ESP size in MiB: 1 GiB on disks larger than 100 GiB, else 512 MiB. */
unsigned long long inst_esp_mib(uint64_t disk_bytes);

/*
 * GPT types of the third partition: LVM (ext4, xfs), Linux filesystem (btrfs,
 * Proxmox's 8300), Solaris /usr & Mac ZFS (zfs, Proxmox's BF01).
 */
#define INST_PART_TYPE_LVM   "E6D6D379-F507-44C2-A23C-238F2A3DF928"
#define INST_PART_TYPE_LINUX "0FC63DAF-8483-4772-8E79-3D69D8477DE4"
#define INST_PART_TYPE_ZFS   "6A898CC3-1DD2-11B2-99A6-080020736631"

/*
 * The sfdisk script (GPT: BIOS boot, ESP, then @os_type). @os_mib 0 = rest of
 * the disk. Caller frees.
 */
char *inst_part_script(unsigned long long esp_mib, unsigned long long os_mib,
		       const char *os_type);

/*
 * Btrfs root (inst-btrfs.c), as the Proxmox installer makes it: one filesystem
 * over the third partition of every disk, data and metadata both with the RAID
 * level ("mkfs.btrfs -f -d raid1 -m raid1 …", raid0 also on one disk), the root
 * of the filesystem as /, and the subvolume var/lib/pve/local-btrfs for guests.
 */
bool inst_btrfs_raid_ok(const char *raid);	/* raid0 raid1 raid10 */
/* argv of mkfs.btrfs for @l into @argv (at most @max entries with the NULL); 0 or -errno */
int inst_btrfs_mkfs_argv(const struct inst_layout *l, const char **argv, size_t max,
			 struct ip_err *err);
/* "noatime,device=/dev/vdb3,…": mount options naming every device but the first */
int inst_btrfs_mount_opts(const struct inst_layout *l, char *buf, size_t size);
int inst_btrfs_mkfs(struct inst_ctx *ctx);	/* mkfs.btrfs across the disks */
int inst_btrfs_subvols(struct inst_ctx *ctx);	/* after the root is mounted at target */

/*
 * ZFS root (inst-zfs.c), as the Proxmox installer makes it: the pool "rpool"
 * over the third partition of every disk (by their /dev/disk/by-id names when
 * udev made one), the datasets rpool/ROOT, rpool/ROOT/pve-1 (the root),
 * rpool/data (the "local-zfs" storage) and rpool/var-lib-vz (/var/lib/vz),
 * the answer's properties on rpool, bootfs; exported again at the end.
 */
#define INST_ZFS_POOL	"rpool"
#define INST_ZFS_ROOT	"rpool/ROOT/pve-1"
bool inst_zfs_raid_ok(const char *raid);	/* raid0 raid1 raid10 raidz-1 raidz-2 raidz-3 */
/*
 * The vdev words for @devs (n of them) at @raid into @argv: raid0 "a b",
 * raid1 "mirror a b …", raid10 "mirror a b mirror c d …", raidz-N "raidzN a b …".
 * Returns the number of words, or -errno (too few or an odd number of disks).
 */
int inst_zfs_vdevs(const char *raid, const char *const *devs, size_t n, const char **argv,
		   size_t max, struct ip_err *err);
/* The stable name of @dev ("/dev/vda3"): the first /dev/disk/by-id link to it, else @dev. */
void inst_zfs_stable_dev(const char *sysroot, const char *dev, char *buf, size_t size);
int inst_zfs_create(struct inst_ctx *ctx);	/* mkfs step: the pool, datasets, properties */
int inst_zfs_export(struct inst_ctx *ctx);	/* unmount step: sync=standard, zpool export */

/* inst-zfs-check.c: what a zfs root must pass at the disk step, before any write */
int inst_zfs_precheck(struct inst_ctx *ctx);	/* props, modprobe zfs, no other rpool */
int inst_zfs_check_props(struct inst_ctx *ctx);	/* ashift, compress, checksum, copies */
/* the payload has no proxmox-boot-tool (stand-in): GRUB reads /boot from the pool */
bool inst_zfs_grub_reads_pool(const struct inst_ctx *ctx);
/*
 * The leaf devices of every pool named @pool in `zpool import` listing text,
 * with the pool's id, through @cb (non-zero stops and is returned).
 */
int inst_zfs_import_parse(const char *text, const char *pool,
			  int (*cb)(void *data, const char *id, const char *dev), void *data);

/* LVM sizes (MiB) from the Proxmox rules; see inst-lvm.c for the rules and their source. */
struct inst_lvm_in {
	unsigned long long pv_mib;	/* size of the LVM partition */
	unsigned long long mem_mib;	/* installed RAM */
	const struct answer_disk_setup *ds;	/* lvm.* overrides, may be NULL */
};

struct inst_lvm_sizes {
	unsigned long long swap, root, minfree, data, meta;	/* data 0: no thin pool */
};

int inst_lvm_sizes(const struct inst_lvm_in *in, struct inst_lvm_sizes *out,
		   struct ip_err *err);

struct inst_unpack_stats {
	unsigned long long entries;
	unsigned long long bytes;	/* compressed bytes read and hashed */
	unsigned warnings;		/* entries written with a libarchive warning */
};

/*
 * Extract @archive_path (tar, zstd-compressed or not) into ctx->target,
 * hashing the file as it is read; -EBADMSG when its SHA-256 (or @size, when
 * non-zero) differs from the manifest's, or when the archive is corrupt.
 */
int inst_unpack_file(struct inst_ctx *ctx, const char *archive_path, const char *sha256,
		     unsigned long long size, struct inst_unpack_stats *st);

/* `efibootmgr` output: the BootOrder and the entries labelled @label. */
#define INST_BOOT_MAX 64
struct inst_boot_list {
	unsigned num[INST_BOOT_MAX];	/* BootXXXX entries with the label */
	size_t n;
	unsigned order[INST_BOOT_MAX];	/* BootOrder */
	size_t n_order;
};

void inst_boot_parse(const char *out, const char *label, struct inst_boot_list *bl);

/*
 * The UEFI Secure Boot chain (inst-boot-sb.c). INST_EFI_ID is the ESP
 * directory and NVRAM label. inst_boot_sb_flag() picks grub-install's flag:
 * "--uefi-secure-boot" when the target holds signed shim and GRUB (in
 * dry-run too: nothing is unpacked to look at), "--no-uefi-secure-boot"
 * otherwise, with a warning, or -ENOENT when the machine runs UEFI with
 * Secure Boot on. inst_boot_sb_verify() checks that both grub-install runs
 * left shim, GRUB and a grub.cfg in EFI/INST_EFI_ID and EFI/BOOT: 0 or
 * -ENOENT naming the first missing file.
 */
#define INST_EFI_ID "proxmox"
#define INST_SB_ON "--uefi-secure-boot"
#define INST_SB_OFF "--no-uefi-secure-boot"
const char *inst_boot_sb_missing(const struct inst_ctx *ctx);	/* NULL: target has the chain */
int inst_boot_sb_flag(struct inst_ctx *ctx, const char **flag);
int inst_boot_sb_verify(struct inst_ctx *ctx);

/* Allowlists for argv values. */
bool inst_dev_ok(const char *dev);		/* /dev/[A-Za-z0-9/_.:-]+, no "..", no "//" */
bool inst_fstype_ok(const char *fs);		/* ext4 xfs btrfs vfat swap */
bool inst_pkg_ok(const char *name);		/* Debian package name */
bool inst_path_ok(const char *path);		/* absolute, runner_word_ok, no ".." */

/*
 * Bind-mount @src (a live-system path) at <target>@rel, read-only when @ro,
 * pushing it on ctx->mounts; inst_unwind_mounts(ctx, keep) unmounts, in
 * reverse, everything above @keep entries (keeping the first error).
 */
int inst_mount_bind(struct inst_ctx *ctx, const char *src, const char *rel, bool ro);
int inst_unwind_mounts(struct inst_ctx *ctx, unsigned keep);
/* Mount @dev (of type @fstype, see inst_fstype_ok) at <target>@rel, pushed on ctx->mounts. */
int inst_mount_fs(struct inst_ctx *ctx, const char *fstype, const char *dev, const char *rel);
/* Unmount <target>@rel out of the middle of ctx->mounts (nothing below it); 0 if not mounted. */
int inst_umount_at(struct inst_ctx *ctx, const char *rel);
/* @argv through the runner even while a signal stops the install (unmount, pool export). */
int inst_run_cleanup(struct inst_ctx *ctx, const char *const *argv);

/* The packages installed when the answer does not list any (design §3). */
extern const char *const inst_default_packages[];

/* Report progress when the flow wired a callback. */
void inst_progress(struct inst_ctx *ctx, const char *step, int percent, const char *detail);

/*
 * Run argv through ctx->runner, failing on a non-zero exit; on failure
 * ctx->err gets the runner's message. @out may be NULL; otherwise it gets
 * stdout (caller frees).
 */
int inst_run(struct inst_ctx *ctx, const char *const *argv, const char *input, char **out);

/* {"chroot", target, argv...} with the apt/debconf environment. */
int inst_run_chroot(struct inst_ctx *ctx, const char *const *argv, const char *input);

#endif
