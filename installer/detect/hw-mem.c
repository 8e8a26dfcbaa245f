// SPDX-License-Identifier: GPL-2.0-or-later
/* Memory: MemTotal in /proc/meminfo (the model), and what is in use now. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/hw-probe.h"
#include "path.h"
#include "util.h"

/* The value of the line "@key: N kB" in meminfo text @buf; -ENOENT: absent or malformed */
static int meminfo_field(const char *buf, const char *key, uint64_t *kib)
{
	size_t n = strlen(key);

	for (const char *p = buf; (p = strstr(p, key)); p += n) {
		if ((p != buf && p[-1] != '\n') || p[n] != ':')
			continue;
		return sscanf(p + n + 1, " %" SCNu64 " kB", kib) == 1 ? 0 : -ENOENT;
	}
	return -ENOENT;
}

int hw_mem_read(struct hw *hw)
{
	char *buf;
	int ret;

	ret = path_read_all(hw->sysroot, "/proc/meminfo", 1 << 20, &buf, NULL);
	if (ret == -ENOMEM)
		return ret;
	if (ret < 0)
		return hw_note(hw, "cannot read '/proc/meminfo': %s, memory size unknown",
			       strerror(-ret));
	if (meminfo_field(buf, "MemTotal", &hw->mem_total_kib) < 0) {
		hw->mem_total_kib = 0;
		hw_note(hw, "no 'MemTotal' in '/proc/meminfo', memory size unknown");
	}
	free(buf);
	return 0;
}

int hw_mem_now(const char *sysroot, struct hw_mem_now *m)
{
	char *buf;
	int ret;

	memset(m, 0, sizeof(*m));
	ret = path_read_all(sysroot, "/proc/meminfo", 1 << 20, &buf, NULL);
	if (ret < 0)
		return ret;
	if (meminfo_field(buf, "MemTotal", &m->total_kib) < 0 ||
	    meminfo_field(buf, "MemAvailable", &m->available_kib) < 0 ||
	    m->available_kib > m->total_kib)
		ret = -ENOENT;
	else
		m->used_kib = m->total_kib - m->available_kib;
	free(buf);
	return ret;
}
