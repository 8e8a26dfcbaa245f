// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which kernel modules a PCI function uses or would use: its bound driver
 * (sysfs driver names mapped to module names) plus the drivers its vendor
 * and class would load. These get "softdep … pre: vfio-pci" when the
 * function is isolated, and keep a module off the blacklist while a host
 * device still needs it.
 */
#include <stdio.h>
#include <string.h>

#include "plan/plan-internal.h"
#include "util.h"

/* sysfs driver name → module name where they differ */
static const struct {
	const char *driver, *module;
} driver_modules[] = {
	{ "xhci_hcd", "xhci_pci" },
	{ "ehci-pci", "ehci_pci" },
	{ "ohci-pci", "ohci_pci" },
	{ "nvidia-gpu", "i2c_nvidia_gpu" },
	{ "bochs-drm", "bochs" },
};

/* vendor (0 = any) + class (16 bits) → modules that bind it */
static const struct {
	uint16_t vendor;
	uint16_t cls;
	uint8_t prog_if;		/* 0xff: any */
	const char *modules[3];
} class_modules[] = {
	{ 0x10de, 0x0300, 0xff, { "nouveau", "nvidia", "nvidiafb" } },
	{ 0x10de, 0x0302, 0xff, { "nouveau", "nvidia" } },
	{ 0x10de, 0x0380, 0xff, { "nouveau", "nvidia" } },
	{ 0x1002, 0x0300, 0xff, { "amdgpu", "radeon" } },
	{ 0x1002, 0x0302, 0xff, { "amdgpu", "radeon" } },
	{ 0x1002, 0x0380, 0xff, { "amdgpu", "radeon" } },
	{ 0x8086, 0x0300, 0xff, { "i915", "xe" } },
	{ 0x8086, 0x0380, 0xff, { "i915", "xe" } },
	{ 0x1234, 0x0300, 0xff, { "bochs" } },
	{ 0x1a03, 0x0300, 0xff, { "ast" } },
	{ 0x102b, 0x0300, 0xff, { "mgag200" } },
	{ 0x1b36, 0x0300, 0xff, { "qxl" } },
	{ 0x10de, 0x0c80, 0xff, { "i2c_nvidia_gpu", "ucsi_ccg" } },
	{ 0, 0x0403, 0xff, { "snd_hda_intel" } },
	{ 0, 0x0c03, 0x30, { "xhci_pci" } },
	{ 0, 0x0c03, 0x20, { "ehci_pci" } },
	{ 0, 0x0c03, 0x10, { "ohci_pci" } },
	{ 0, 0x0c03, 0x00, { "uhci_hcd" } },
};

static void add(char (*mods)[PLAN_MOD_MAX], size_t *n, size_t max, const char *m)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(mods[i], m))
			return;
	if (*n < max)
		snprintf(mods[(*n)++], PLAN_MOD_MAX, "%s", m);
}

size_t plan_dev_modules(const struct hw_pci_dev *d, char (*mods)[PLAN_MOD_MAX], size_t max)
{
	uint16_t cls = d->class_code >> 8;
	uint8_t prog_if = d->class_code & 0xff;
	size_t n = 0;

	if (d->driver[0] && strcmp(d->driver, "vfio-pci") && strcmp(d->driver, "pci-stub") &&
	    strcmp(d->driver, "pcieport")) {
		char m[PLAN_MOD_MAX];
		const char *name = NULL;

		for (size_t i = 0; i < ARRAY_SIZE(driver_modules); i++)
			if (!strcmp(d->driver, driver_modules[i].driver))
				name = driver_modules[i].module;
		/* modprobe treats - and _ alike; module names use _ */
		snprintf(m, sizeof(m), "%s", name ? name : d->driver);
		for (char *p = m; *p; p++)
			if (*p == '-')
				*p = '_';
		add(mods, &n, max, m);
	}
	for (size_t i = 0; i < ARRAY_SIZE(class_modules); i++) {
		if (class_modules[i].cls != cls ||
		    (class_modules[i].vendor && class_modules[i].vendor != d->vendor_id) ||
		    (class_modules[i].prog_if != 0xff && class_modules[i].prog_if != prog_if))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(class_modules[i].modules); k++)
			if (class_modules[i].modules[k])
				add(mods, &n, max, class_modules[i].modules[k]);
	}
	return n;
}
