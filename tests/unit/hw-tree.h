/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_HW_TREE_H
#define IRONPASS_HW_TREE_H

/*
 * Tiny sysroot trees for detector tests: a temporary directory with files,
 * binary files and symlinks, removed again by hwt_free(). Every helper
 * fails the test (cmocka fail_msg) when the file system refuses.
 */

#include <stddef.h>
#include <stdint.h>

char *hwt_new(void);
void hwt_free(char *root);
void hwt_file(const char *root, const char *path, const char *content);
void hwt_bin(const char *root, const char *path, const void *data, size_t len);
void hwt_link(const char *root, const char *path, const char *target);
void hwt_rm(const char *root, const char *path);
/* Copy the files and directories under @src (no links) into @root, modes kept. */
void hwt_copy(const char *root, const char *src);
/*
 * A PCI function in real sysfs layout: devices/pci0000:00/<addr> plus the
 * bus/pci/devices link, vendor/device/class/irq/resource files, a 256-byte
 * config space with the header type, and @group (>= 0) as iommu_group link.
 */
void hwt_pci(const char *root, const char *addr, uint16_t vendor, uint16_t device,
	     uint32_t class_code, int group, uint64_t bar0, uint64_t bar0_size);
/*
 * Everything under @root, one sorted line per entry: its path below @root,
 * type and mode, and for a file its size and SHA-256, for a symlink its
 * target. Two equal listings: nothing was created, removed or changed.
 * Caller frees.
 */
char *hwt_listing(const char *root);
/* Path to the repository's fixture @name (under $IRONPASS_TOP or .) in a static buffer. */
const char *hwt_fixture(const char *name);

#endif
