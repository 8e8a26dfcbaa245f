// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: any text as /proc/self/mountinfo, line by line through
 * inst_mountinfo_line, and each line as a device mapper name through
 * inst_dm_lvm_name with output buffers of several sizes (heap buffers of
 * exactly that size, so that ASan sees one byte too many). Parsed fields are
 * NUL-terminated within their arrays, a parsed line has a mount point, a
 * type and a source; the names fit their buffers. Never a crash, leak or UB.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-disk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERMINATED(a) (strnlen((a), sizeof(a)) < sizeof(a))

static void check_mnt(const char *line)
{
	struct inst_mnt m;
	int ret = inst_mountinfo_line(line, &m);

	if (!TERMINATED(m.target) || !TERMINATED(m.source) || !TERMINATED(m.fstype))
		abort();
	if (ret == -22)		/* -EINVAL: malformed */
		return;
	if (ret != 0 || !m.target[0] || !m.source[0] || !m.fstype[0])
		abort();
	/* the type is one field: never unescaped, never with a blank */
	if (strpbrk(m.fstype, " \t\n"))
		abort();
}

static void check_dm(const char *name, size_t vgsize, size_t lvsize)
{
	char *vg = malloc(vgsize ? vgsize : 1), *lv = malloc(lvsize ? lvsize : 1);
	size_t n = strlen(name);

	if (!vg || !lv)
		goto out;
	inst_dm_lvm_name(name, vgsize ? vg : NULL, vgsize, lv, lvsize);
	if (vgsize && strnlen(vg, vgsize) >= vgsize)
		abort();
	if (strnlen(lv, lvsize) >= lvsize)
		abort();
	/* with room enough, nothing is made up: dashes only collapse */
	if (vgsize > n && lvsize > n && strlen(vg) + strlen(lv) > n)
		abort();
out:
	free(vg);
	free(lv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *line, *nl;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = text; line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		check_mnt(line);
		check_dm(line, 128, 128);
		check_dm(line, 4, 1);
		check_dm(line, 1, 3);
		check_dm(line, 0, 2);
	}
	free(text);
	return 0;
}
