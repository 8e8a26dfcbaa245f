// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hand the isolated functions to vfio-pci (design §6):
 *  - modules vfio, vfio_iommu_type1, vfio_pci (vfio_virqfd is part of vfio
 *    since 6.2), loaded from the initramfs and by systemd-modules-load;
 *  - "options vfio-pci ids=… disable_vga=1" for ids no host device shares;
 *  - per-device driver_override for ids the host keeps too (identical
 *    cards): a script run as vfio-pci's modprobe "install" command writes
 *    driver_override before vfio-pci loads, and the softdeps make every GPU
 *    driver load vfio-pci first, so there is no race with udev coldplug;
 *  - "softdep <driver> pre: vfio-pci" for every driver the functions use or
 *    would use, and "blacklist" only for those no host device needs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "plan/plan-internal.h"
#include "util.h"

#define PLAN_HEADER "# Written by ironpass-installer (ironpass-installer plan explains it).\n"

static bool host_has_id(const struct plan_ctx *c, uint16_t ven, uint16_t dev, size_t *which)
{
	for (size_t i = 0; i < c->hw->n_pci; i++)
		if (!c->isolated[i] && c->hw->pci[i].vendor_id == ven &&
		    c->hw->pci[i].device_id == dev) {
			*which = i;
			return true;
		}
	return false;
}

/* ids= or driver_override per function */
static void choose_binding(struct plan_ctx *c)
{
	struct plan *p = c->p;
	char id[16];

	for (size_t g = 0; g < p->n_gpus; g++)
		for (size_t i = 0; i < p->gpus[g].n_fn; i++) {
			struct plan_fn *f = &p->gpus[g].fn[i];
			size_t host;

			snprintf(id, sizeof(id), "%04x:%04x", f->vendor_id, f->device_id);
			f->by_override = host_has_id(c, f->vendor_id, f->device_id, &host);
			if (!f->by_override) {
				plan_list_add_unique(c, &p->vfio_ids, &p->n_vfio_ids, id);
				continue;
			}
			plan_list_add(c, &p->override_addrs, &p->n_override_addrs, f->addr);
			plan_decide(c, "bind %s by driver_override, not ids=: the host keeps '%s' "
				    "with the same id %s", f->addr, c->hw->pci[host].addr, id);
		}
	if (p->n_vfio_ids) {
		struct strbuf sb = { 0 };

		for (size_t i = 0; i < p->n_vfio_ids; i++)
			sb_printf(&sb, "%s%s", i ? "," : "", p->vfio_ids[i]);
		plan_decide(c, "bind by ids=%s: no host device has these ids",
			    sb.buf ? sb.buf : "");
		sb_release(&sb);
	}
}

static void add_modules(struct plan_ctx *c, size_t idx, char ***arr, size_t *n)
{
	char mods[8][PLAN_MOD_MAX];
	size_t k = plan_dev_modules(&c->hw->pci[idx], mods, ARRAY_SIZE(mods));

	for (size_t i = 0; i < k; i++)
		plan_list_add_unique(c, arr, n, mods[i]);
}

static void join_decide(struct plan_ctx *c, const char *head, char **arr, size_t n,
			const char *why)
{
	struct strbuf sb = { 0 };

	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, "%s%s", i ? ", " : "", arr[i]);
	plan_decide(c, "%s %s: %s", head, sb.buf ? sb.buf : "", why);
	sb_release(&sb);
}

static void choose_softdeps(struct plan_ctx *c)
{
	struct plan *p = c->p;
	char **host = NULL, **kept = NULL;
	size_t n_host = 0, n_kept = 0;

	for (size_t g = 0; g < p->n_gpus; g++)
		for (size_t i = 0; i < p->gpus[g].n_fn; i++)
			add_modules(c, p->gpus[g].fn[i].pci, &p->softdeps, &p->n_softdeps);
	for (size_t i = 0; i < c->hw->n_pci; i++)
		if (!c->isolated[i])
			add_modules(c, i, &host, &n_host);
	for (size_t i = 0; i < p->n_softdeps; i++) {
		const char *m = p->softdeps[i];

		/* ucsi_ccg drives an I2C client, not a PCI device: we cannot see who uses it */
		if (plan_list_has(host, n_host, m) || !strcmp(m, "ucsi_ccg"))
			plan_list_add(c, &kept, &n_kept, m);
		else
			plan_list_add(c, &p->blacklist, &p->n_blacklist, m);
	}
	join_decide(c, "softdep", p->softdeps, p->n_softdeps,
		    "vfio-pci loads before the drivers of the isolated functions");
	join_decide(c, "blacklist", p->blacklist, p->n_blacklist, "no host device uses them");
	join_decide(c, "do not blacklist", kept, n_kept, "the host needs them");
	plan_list_free(&host, &n_host);
	plan_list_free(&kept, &n_kept);
}

static bool any_vga(const struct plan *p)
{
	for (size_t i = 0; i < p->n_gpus; i++)
		if (p->gpus[i].has_vga)
			return true;
	return false;
}

static char *modprobe_text(struct plan_ctx *c)
{
	const struct plan *p = c->p;
	struct strbuf sb = { 0 };
	bool vga = any_vga(p);

	sb_puts(&sb, PLAN_HEADER "# Hand the passthrough GPU to vfio-pci before its drivers.\n");
	if (p->n_vfio_ids) {
		sb_puts(&sb, "options vfio-pci ids=");
		for (size_t i = 0; i < p->n_vfio_ids; i++)
			sb_printf(&sb, "%s%s", i ? "," : "", p->vfio_ids[i]);
		sb_puts(&sb, vga ? " disable_vga=1\n" : "\n");
	} else if (vga) {
		sb_puts(&sb, "options vfio-pci disable_vga=1\n");
	}
	if (p->n_override_addrs)
		sb_puts(&sb, "install vfio-pci " PLAN_OVERRIDE_SCRIPT " $CMDLINE_OPTS\n");
	for (size_t i = 0; i < p->n_softdeps; i++)
		sb_printf(&sb, "softdep %s pre: vfio-pci\n", p->softdeps[i]);
	for (size_t i = 0; i < p->n_blacklist; i++)
		sb_printf(&sb, "blacklist %s\n", p->blacklist[i]);
	if (sb.err)
		c->nomem = sb.err;
	return sb_detach(&sb);
}

static char *override_script(struct plan_ctx *c)
{
	const struct plan *p = c->p;
	struct strbuf sb = { 0 };

	sb_puts(&sb, "#!/bin/sh\n" PLAN_HEADER
		"# The host keeps devices identical to the passthrough ones, so these are\n"
		"# handed to vfio-pci by address. modprobe runs this instead of loading\n"
		"# vfio-pci (see " PLAN_MODPROBE_PATH ").\n"
		"for dev in");
	for (size_t i = 0; i < p->n_override_addrs; i++)
		sb_printf(&sb, " %s", p->override_addrs[i]);
	sb_puts(&sb, "; do\n"
		"\tf=/sys/bus/pci/devices/$dev/driver_override\n"
		"\tif [ -e \"$f\" ]; then\n"
		"\t\techo vfio-pci > \"$f\"\n"
		"\tfi\n"
		"done\n"
		"exec /sbin/modprobe --ignore-install vfio-pci \"$@\"\n");
	if (sb.err)
		c->nomem = sb.err;
	return sb_detach(&sb);
}

static void add_file(struct plan_ctx *c, const char *path, char *text, mode_t mode, bool append,
		     const char *purpose)
{
	struct plan *p = c->p;
	struct plan_file *nf;

	if (!text)
		return;
	nf = realloc(p->files, (p->n_files + 1) * sizeof(*nf));
	if (!nf) {
		c->nomem = -ENOMEM;
		return;
	}
	p->files = nf;
	nf = &nf[p->n_files++];
	memset(nf, 0, sizeof(*nf));
	snprintf(nf->path, sizeof(nf->path), "%s", path);
	nf->text = text;
	nf->mode = mode;
	nf->append = append;
	nf->purpose = plan_strdup(c, purpose);
}

void plan_vfio(struct plan_ctx *c)
{
	static const char *const mods[] = { "vfio", "vfio_iommu_type1", "vfio_pci" };
	struct plan *p = c->p;
	struct strbuf sb = { 0 };

	if (!p->n_gpus)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(mods); i++)
		plan_list_add(c, &p->modules, &p->n_modules, mods[i]);
	plan_decide(c, "modules: vfio, vfio_iommu_type1, vfio_pci (vfio_virqfd is part of vfio "
		    "since kernel 6.2)");
	choose_binding(c);
	choose_softdeps(c);

	p->modprobe_conf = modprobe_text(c);
	sb_puts(&sb, PLAN_HEADER);
	for (size_t i = 0; i < ARRAY_SIZE(mods); i++)
		sb_printf(&sb, "%s\n", mods[i]);
	p->modules_load = sb_detach(&sb);
	p->initramfs_modules = plan_strdup(c, p->modules_load);
	if (!p->modules_load)
		c->nomem = -ENOMEM;
	add_file(c, PLAN_MODPROBE_PATH, p->modprobe_conf, 0644, false,
		 "vfio-pci options, softdeps and blacklist");
	add_file(c, PLAN_MODULES_LOAD_PATH, p->modules_load, 0644, false,
		 "load the vfio modules at boot");
	add_file(c, PLAN_INITRAMFS_MODULES, p->initramfs_modules, 0644, true,
		 "load the vfio modules from the initramfs, before the GPU drivers");
	if (p->n_override_addrs) {
		p->override_script = override_script(c);
		p->override_hook = plan_asprintf(c, "#!/bin/sh\n" PLAN_HEADER
			"# Put the vfio-pci driver_override script into the initramfs.\n"
			"PREREQ=\"\"\n"
			"case \"$1\" in\n"
			"prereqs) echo \"$PREREQ\"; exit 0 ;;\n"
			"esac\n"
			". /usr/share/initramfs-tools/hook-functions\n"
			"copy_file script %s\n", PLAN_OVERRIDE_SCRIPT);
		add_file(c, PLAN_OVERRIDE_SCRIPT, p->override_script, 0755, false,
			 "set driver_override for the isolated devices, then load vfio-pci");
		add_file(c, PLAN_OVERRIDE_HOOK, p->override_hook, 0755, false,
			 "copy the driver_override script into the initramfs");
	}
	plan_list_add(c, &p->steps, &p->n_steps, "update-initramfs -u -k all");
	plan_decide(c, "then: update-initramfs -u -k all, so the initramfs carries the vfio "
		    "configuration");
}
