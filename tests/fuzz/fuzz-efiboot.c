// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: any text as `efibootmgr` output through inst_boot_parse,
 * with the label "proxmox" or (when the first byte is odd) a label taken
 * from the first line. Counts stay within INST_BOOT_MAX; every entry found
 * is a "BootXXXX* <label>" (or "BootXXXX  <label>") line of the output, and
 * every BootOrder number is a four-digit hex word of a BootOrder line, so a
 * number is always 0..0xFFFF. Never a crash, leak or UB.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "install/inst-disk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool hex4(const char *p, unsigned v)
{
	char want[8];

	snprintf(want, sizeof(want), "%04X", v);
	return v <= 0xffff && strncasecmp(p, want, 4) == 0;
}

/* Is there a line "Boot<v>[* ] <label>" ending or followed by a blank? */
static bool has_entry(const char *out, const char *label, unsigned v)
{
	size_t llen = strlen(label);

	for (const char *line = out, *nl; line; line = nl ? nl + 1 : NULL) {
		size_t len = strcspn(line, "\n");

		nl = line[len] ? line + len : NULL;
		if (len >= 10 + llen && !strncmp(line, "Boot", 4) && hex4(line + 4, v) &&
		    (line[8] == '*' || line[8] == ' ') && line[9] == ' ' &&
		    !strncmp(line + 10, label, llen) &&
		    (len == 10 + llen || line[10 + llen] == ' ' || line[10 + llen] == '\t'))
			return true;
	}
	return false;
}

/* Is @v a word of a BootOrder line? */
static bool in_order_line(const char *out, unsigned v)
{
	for (const char *line = out, *nl; line; line = nl ? nl + 1 : NULL) {
		size_t len = strcspn(line, "\n");

		nl = line[len] ? line + len : NULL;
		if (strncmp(line, "BootOrder:", 10))
			continue;
		for (size_t i = 10; i + 4 <= len; i++)
			if (hex4(line + i, v))
				return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *out = text;
	const char *label = "proxmox";
	struct inst_boot_list bl;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (size && (data[0] & 1)) {
		char *nl = strchr(text + 1, '\n');

		label = text + 1;
		out = nl ? nl + 1 : text + size;
		if (nl)
			*nl = '\0';
	}
	inst_boot_parse(out, label, &bl);
	if (bl.n > INST_BOOT_MAX || bl.n_order > INST_BOOT_MAX)
		abort();
	for (size_t i = 0; i < bl.n; i++)
		if (!has_entry(out, label, bl.num[i]))
			abort();
	for (size_t i = 0; i < bl.n_order; i++)
		if (!in_order_line(out, bl.order[i]))
			abort();
	free(text);
	return 0;
}
