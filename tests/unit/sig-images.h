/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_SIG_IMAGES_H
#define IRONPASS_SIG_IMAGES_H

/*
 * Disk signatures for tests, written into image files where the tools that
 * normally make them need a kernel this machine may not have (md, device
 * mapper): an LVM2 physical volume label and an md v1.2 member superblock,
 * each in the on-disk format those tools write (checksums included), so
 * that libblkid recognises them as it does on real disks.
 */

#include <stdint.h>

/* An LVM2 PV label ("LABELONE", sector 1) for a PV starting at @off in @path. */
int sigimg_lvm_pv(const char *path, uint64_t off, uint64_t pv_bytes);
/* An md v1.2 member superblock (4 KiB into the member) for a member at @off. */
int sigimg_md_member(const char *path, uint64_t off, uint64_t member_bytes);

/* A LUKS1 header ("LUKS\xba\xbe", version 1) at @off. */
int sigimg_luks1(const char *path, uint64_t off);
/* Copy all of @src into @path at @off (e.g. a swap area made by mkswap in a file of its own). */
int sigimg_copy_in(const char *path, uint64_t off, const char *src);

#endif
