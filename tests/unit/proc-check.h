/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_TEST_PROC_CHECK_H
#define IRONPASS_TEST_PROC_CHECK_H

#include <stdbool.h>

/* The pid a script wrote into @path, or -1 (no file, nothing readable). */
long proc_read_pid(const char *path);
/* Gone within 2 s: no such process, or a zombie that only waits for init. */
bool proc_gone(long pid);

#endif
