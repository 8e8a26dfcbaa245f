// SPDX-License-Identifier: GPL-2.0-or-later
/* Memory size: MemTotal in /proc/meminfo. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/hw-probe.h"
#include "path.h"
#include "util.h"

int hw_mem_read(struct hw *hw)
{
	char *buf, *p;
	int ret;

	ret = path_read_all(hw->sysroot, "/proc/meminfo", 1 << 20, &buf, NULL);
	if (ret == -ENOMEM)
		return ret;
	if (ret < 0)
		return hw_note(hw, "cannot read '/proc/meminfo': %s, memory size unknown",
			       strerror(-ret));
	p = strstr(buf, "MemTotal:");
	if (!p || (p != buf && p[-1] != '\n') ||
	    sscanf(p + 9, " %" SCNu64 " kB", &hw->mem_total_kib) != 1) {
		hw->mem_total_kib = 0;
		hw_note(hw, "no 'MemTotal' in '/proc/meminfo', memory size unknown");
	}
	free(buf);
	return 0;
}
