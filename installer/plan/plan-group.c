// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IOMMU group check. vfio hands a whole group to a VM, so every other
 * endpoint in the group of an isolated function would go too. Bridges (host
 * and PCI-to-PCI) are fine, and so are the functions we isolate anyway.
 * Without an IOMMU nothing can be isolated at all.
 */
#include <stdio.h>
#include <string.h>

#include "plan/plan-internal.h"
#include "util.h"

static bool cmdline_has(const char *cmdline, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = cmdline; (p = strstr(p, word)); p += n)
		if ((p == cmdline || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

static bool no_iommu(struct plan_ctx *c)
{
	const struct hw *hw = c->hw;
	const char *how;
	bool isolate = c->pt->gpu != ANSWER_GPU_NONE, from_cpu;
	enum hw_iommu_kind kind = plan_iommu_kind(hw, &from_cpu);

	if (kind == HW_IOMMU_AMD)
		how = "enable AMD-Vi (often called 'IOMMU', next to 'SVM Mode') in the firmware "
		      "setup";
	else if (kind == HW_IOMMU_INTEL)
		how = "enable VT-d (often under 'System Agent' or 'Chipset') in the firmware setup";
	else
		how = "enable the IOMMU (VT-d or AMD-Vi) in the firmware setup";
	if (!isolate) {
		plan_warn(c, "no IOMMU is active (no IOMMU groups): %s, or the kernel words below "
			  "will have nothing to turn on", how);
		return true;
	}
	plan_refuse(c, "no IOMMU is active (no IOMMU groups), so no device can be isolated: %s "
		    "and run the installer again%s", how,
		    kind == HW_IOMMU_INTEL && !cmdline_has(hw->cmdline, "intel_iommu=on")
		    ? " (this live kernel was also started without 'intel_iommu=on', which kernels "
		      "before 6.8 need)" : "");
	return false;
}

/* Every endpoint outside the plan that shares an IOMMU group with fn; returns the count */
static size_t group_intruders(struct plan_ctx *c, const struct plan_fn *f, struct strbuf *sb)
{
	const struct hw *hw = c->hw;
	int grp = hw->pci[f->pci].iommu_group;
	size_t n = 0;

	for (size_t i = 0; i < hw->n_pci; i++) {
		const struct hw_pci_dev *d = &hw->pci[i];
		char label[2 * HW_NAME_MAX + 2];

		if (d->iommu_group != grp || c->isolated[i] || !plan_dev_is_endpoint(d))
			continue;
		plan_dev_label(d, label, sizeof(label));
		sb_printf(sb, "%s'%s' (%s)", n ? ", " : "", d->addr, label);
		n++;
	}
	return n;
}

bool plan_group_check(struct plan_ctx *c)
{
	struct plan *p = c->p;
	bool ok = true, needs_acs = false;
	int seen[64];
	size_t n_seen = 0;

	if (!c->hw->iommu_present)
		return no_iommu(c);
	for (size_t g = 0; g < p->n_gpus; g++) {
		for (size_t i = 0; i < p->gpus[g].n_fn; i++) {
			const struct plan_fn *f = &p->gpus[g].fn[i];
			int grp = c->hw->pci[f->pci].iommu_group;
			struct strbuf sb = { 0 };
			size_t n;
			bool dup = false;

			if (grp < 0) {
				plan_refuse(c, "'%s' has no IOMMU group, so it cannot be isolated",
					    f->addr);
				ok = false;
				continue;
			}
			for (size_t k = 0; k < n_seen; k++)
				dup = dup || seen[k] == grp;
			if (dup)
				continue;
			if (n_seen < ARRAY_SIZE(seen))
				seen[n_seen++] = grp;
			n = group_intruders(c, f, &sb);
			if (sb.err)
				c->nomem = sb.err;
			if (!n) {
				plan_decide(c, "IOMMU group %d of %s is clean: no other endpoints",
					    grp, f->addr);
			} else if (c->pt->acs_override) {
				needs_acs = true;
				plan_decide(c, "IOMMU group %d of %s also holds %s: split it "
					    "with the ACS override (acs-override is set)", grp,
					    f->addr, sb.buf);
			} else {
				plan_refuse(c, "IOMMU group %d of '%s' also holds %s: they "
					    "would all go to the VM; move the card to another "
					    "slot, or set acs-override = true in [passthrough] "
					    "(weakens isolation)", grp, f->addr, sb.buf);
				ok = false;
			}
			sb_release(&sb);
		}
	}
	if (ok && needs_acs) {
		c->needs_acs = true;
		plan_warn(c, "ACS override: devices sharing an IOMMU group are split although the "
			  "hardware does not isolate them, so the VM's GPU may reach their memory "
			  "(a security risk); it needs a kernel carrying the ACS override patch "
			  "(the Proxmox VE kernel has it)");
	} else if (ok && c->pt->acs_override && p->n_gpus) {
		plan_decide(c, "no ACS override: acs-override is set but the groups are clean");
	}
	return ok;
}
