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

/* Read the udev database entry of /sys/block/<name> under sysroot; empty when absent. */
int inst_udev_read(const char *sysroot, const char *name, struct inst_udev_props *p);
void inst_udev_release(struct inst_udev_props *p);
/*
 * The value of a udev-style key for a disk: from @p when it has the key,
 * else derived from the hardware model (ID_SERIAL, ID_SERIAL_SHORT,
 * ID_MODEL, ID_BUS, ID_WWN, DEVNAME). NULL when unknown.
 */
const char *inst_udev_value(const struct hw_disk *d, const struct inst_udev_props *p,
			    const char *key, char *buf, size_t size);

/* What a disk choice needs besides the hardware. */
struct inst_disk_req {
	const struct answer_disk_setup *ds;
	enum answer_wipe wipe;		/* [ironpass] wipe */
	bool confirmed;			/* the user confirmed the wipe on screen */
	const struct inst_udev_props *props;	/* parallel to hw->disks, may be NULL */
};

/*
 * Choose the target disk (a pure function). Returns 0 with *idx set, or
 * -ENODEV (nothing matches), -EINVAL (ambiguous or unsupported), -EPERM (boot
 * medium, or partitions without wipe), -ENOSPC (too small); err says which.
 */
int inst_disk_choose(const struct hw *hw, const struct inst_disk_req *req, size_t *idx,
		     struct ip_err *err);

/* "/dev/nvme0n1" + 2 -> "/dev/nvme0n1p2"; "/dev/vda" + 2 -> "/dev/vda2". */
int inst_part_name(char *buf, size_t size, const char *disk_dev, unsigned n);

/* ESP size in MiB: 1 GiB on disks larger than 100 GiB, else 512 MiB. */
unsigned long long inst_esp_mib(uint64_t disk_bytes);

/* The sfdisk script (GPT: BIOS boot, ESP, LVM). @lvm_mib 0 = rest of the disk. Caller frees. */
char *inst_part_script(unsigned long long esp_mib, unsigned long long lvm_mib);

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

/* Allowlists for argv values. */
bool inst_dev_ok(const char *dev);		/* /dev/[A-Za-z0-9/_.:-]+, no "..", no "//" */
bool inst_fstype_ok(const char *fs);		/* ext4 xfs vfat swap */
bool inst_pkg_ok(const char *name);		/* Debian package name */
bool inst_path_ok(const char *path);		/* absolute, runner_word_ok, no ".." */

/*
 * Bind-mount @src (a live-system path) at <target>@rel, read-only when @ro,
 * pushing it on ctx->mounts; inst_unwind_mounts(ctx, keep) unmounts, in
 * reverse, everything above @keep entries (keeping the first error).
 */
int inst_mount_bind(struct inst_ctx *ctx, const char *src, const char *rel, bool ro);
int inst_unwind_mounts(struct inst_ctx *ctx, unsigned keep);

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
