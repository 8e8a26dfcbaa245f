/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_HW_PROBE_H
#define IRONPASS_HW_PROBE_H

/*
 * Internal interface of the detector: one probe per file in installer/detect/,
 * called in order by hw_detect(). A probe reads files under hw->sysroot and
 * fills its part of struct hw. Missing or malformed input is never fatal: it
 * becomes a note (hw_note) and the field keeps its "unknown" value. A probe
 * returns a negative errno only when memory runs out.
 */

#include <stdarg.h>

#include "detect/hw.h"

/* Append a note ("cannot read '/sys/...': No such file or directory, ignoring"). */
int hw_note(struct hw *hw, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Read an attribute under the sysroot; on failure add a note unless the file is absent
 * and @optional. Returns the length or a negative errno. */
ssize_t hw_attr_str(struct hw *hw, const char *path, char *buf, size_t size, bool optional);
/* Unsigned number (base 0); -ENOENT when absent (no note if @optional), -EINVAL on garbage
 * (always noted). */
int hw_attr_u64(struct hw *hw, const char *path, uint64_t *val, bool optional);
/* Full target of a symlink under the sysroot; -ENOENT / -EINVAL when not a link. */
int hw_readlink(const struct hw *hw, const char *path, char *buf, size_t size);

/* Sorted directory listing (no dot entries); caller frees with hw_names_free. */
int hw_list_dir(const struct hw *hw, const char *path, char ***names, size_t *n);
void hw_names_free(char **names, size_t n);

int hw_pci_scan(struct hw *hw);
int hw_iommu_read(struct hw *hw);
int hw_gpu_build(struct hw *hw);
int hw_cpu_read(struct hw *hw);
int hw_disk_scan(struct hw *hw);
int hw_net_scan(struct hw *hw);
int hw_mem_read(struct hw *hw);
int hw_fw_read(struct hw *hw);
int hw_dmi_read(struct hw *hw);

#endif
