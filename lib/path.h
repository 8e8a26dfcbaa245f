/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_PATH_H
#define IRONPASS_PATH_H

/*
 * Paths under a prefix. Nothing in ironpass hard-codes "/sys" or
 * "/target": readers take a sysroot (where /sys, /proc, /dev are read
 * from) and writers a target root (the installed system). An empty or
 * NULL prefix means "/".
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

/* Join prefix and an absolute or relative path into buf. -ENAMETOOLONG on overflow. */
int path_join(char *buf, size_t size, const char *prefix, const char *path);

/* printf-style: path_fmt(buf, size, prefix, "/sys/block/%s/size", name) */
int path_fmt(char *buf, size_t size, const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Read a small attribute file (sysfs/procfs style) under prefix into buf,
 * NUL-terminated with trailing whitespace removed. Returns the length or a
 * negative errno (-ENOENT when missing, -EFBIG when it does not fit).
 */
ssize_t path_read_str(const char *prefix, const char *path, char *buf, size_t size);

/* Read a whole file (up to @max bytes; -EFBIG beyond). Caller frees *out. */
int path_read_all(const char *prefix, const char *path, size_t max, char **out, size_t *len);

/* Parse an attribute as an unsigned number in base 0 (0x.. accepted). -EINVAL on garbage. */
int path_read_u64(const char *prefix, const char *path, uint64_t *val);

/* Last path component of a symlink's target (e.g. driver/iommu_group links). */
int path_readlink_base(const char *prefix, const char *path, char *buf, size_t size);

bool path_exists(const char *prefix, const char *path);

/* Remove prefix/path; a missing file is not an error. */
int path_unlink(const char *prefix, const char *path);

/* mkdir -p under prefix, with @mode for directories created. */
int path_mkdirs(const char *prefix, const char *path, mode_t mode);

/*
 * Write @len bytes to prefix/path atomically (temp file + rename, O_CLOEXEC),
 * creating parent directories; @mode is applied to the new file.
 */
int path_write_file(const char *prefix, const char *path, const void *data, size_t len,
		    mode_t mode);

#endif
