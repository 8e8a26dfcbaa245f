// SPDX-License-Identifier: GPL-2.0-or-later
/* NICs from /sys/class/net: MAC, driver, link, speed; virtual when there is no 'device' link. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/hw-probe.h"
#include "path.h"
#include "util.h"

static void hw_net_one(struct hw *hw, struct hw_nic *nic)
{
	char path[PATH_MAX], buf[64], target[PATH_MAX];
	uint64_t v;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", nic->name);
	if (hw_attr_str(hw, path, buf, sizeof(buf), true) >= 0) {
		size_t len = strlen(buf);

		if (len < sizeof(nic->mac))
			memcpy(nic->mac, buf, len + 1);
		else
			hw_note(hw, "unexpected address '%.40s' in '%s', ignoring", buf, path);
	}
	snprintf(path, sizeof(path), "/sys/class/net/%s/device", nic->name);
	nic->is_virtual = hw_readlink(hw, path, target, sizeof(target)) < 0;
	if (!nic->is_virtual) {
		const char *base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
		unsigned a, b, c, d;
		int end = 0;

		if (sscanf(base, "%x:%x:%x.%x%n", &a, &b, &c, &d, &end) == 4 && !base[end])
			snprintf(nic->pci_addr, sizeof(nic->pci_addr), "%.15s", base);
		snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver", nic->name);
		if (path_readlink_base(hw->sysroot, path, buf, sizeof(buf)) == 0)
			snprintf(nic->driver, sizeof(nic->driver), "%s", buf);
	}
	/* carrier and speed cannot be read while the interface is down (EINVAL) */
	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", nic->name);
	if (path_read_u64(hw->sysroot, path, &v) == 0)
		nic->link = v == 1;
	snprintf(path, sizeof(path), "/sys/class/net/%s/speed", nic->name);
	if (path_read_str(hw->sysroot, path, buf, sizeof(buf)) > 0 && buf[0] != '-' &&
	    ip_strtou64(buf, 10, &v) == 0 && v < 10000000)
		nic->speed_mbps = (unsigned)v;
}

int hw_net_scan(struct hw *hw)
{
	char **names;
	size_t n;
	int ret;

	ret = hw_list_dir(hw, "/sys/class/net", &names, &n);
	if (ret == -ENOMEM)
		return ret;
	if (ret < 0)
		return hw_note(hw, "cannot read '/sys/class/net': %s, no NICs", strerror(-ret));
	hw->nics = calloc(n ? n : 1, sizeof(*hw->nics));
	if (!hw->nics) {
		hw_names_free(names, n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct hw_nic *nic = &hw->nics[hw->n_nics];

		if (strlen(names[i]) >= sizeof(nic->name)) {
			hw_note(hw, "ignoring network interface '%.40s': name too long", names[i]);
			continue;
		}
		snprintf(nic->name, sizeof(nic->name), "%s", names[i]);
		hw_net_one(hw, nic);
		hw->n_nics++;
	}
	hw_names_free(names, n);
	return 0;
}
