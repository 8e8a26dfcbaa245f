// SPDX-License-Identifier: GPL-2.0-or-later
/* DMI/SMBIOS identity from /sys/class/dmi/id; serial and uuid are readable by root only. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "detect/hw-probe.h"
#include "path.h"
#include "util.h"

int hw_dmi_read(struct hw *hw)
{
	struct hw_dmi *m = &hw->dmi;
	const struct {
		const char *file;
		char *buf;
		size_t size;
	} f[] = {
		{ "sys_vendor", m->sys_vendor, sizeof(m->sys_vendor) },
		{ "product_name", m->product_name, sizeof(m->product_name) },
		{ "product_serial", m->product_serial, sizeof(m->product_serial) },
		{ "product_uuid", m->product_uuid, sizeof(m->product_uuid) },
		{ "board_vendor", m->board_vendor, sizeof(m->board_vendor) },
		{ "board_name", m->board_name, sizeof(m->board_name) },
		{ "bios_version", m->bios_version, sizeof(m->bios_version) },
		{ "product_sku", m->product_sku, sizeof(m->product_sku) },
		{ "board_serial", m->board_serial, sizeof(m->board_serial) },
		{ "board_asset_tag", m->board_asset_tag, sizeof(m->board_asset_tag) },
		{ "chassis_serial", m->chassis_serial, sizeof(m->chassis_serial) },
		/* Proxmox asks for it; kernels may not have the file (then it is left out) */
		{ "chassis_sku", m->chassis_sku, sizeof(m->chassis_sku) },
		{ "chassis_asset_tag", m->chassis_asset_tag, sizeof(m->chassis_asset_tag) },
	};
	char path[128];
	ssize_t n;

	for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
		snprintf(path, sizeof(path), "/sys/class/dmi/id/%s", f[i].file);
		n = path_read_str(hw->sysroot, path, f[i].buf, f[i].size);
		if (n < 0) {
			f[i].buf[0] = '\0';
			if (n != -ENOENT && n != -EACCES)
				hw_note(hw, "cannot read '%s': %s, ignoring", path, strerror((int)-n));
		}
	}
	return 0;
}
