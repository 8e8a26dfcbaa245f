// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel command line words (design §6):
 *   Intel IOMMU (VT-d): intel_iommu=on (on by default only from kernel 6.8;
 *        harmless after). Keyed on the IOMMU the platform has, falling back
 *        to the CPU vendor when the firmware hides it.
 *   AMD: nothing; the AMD IOMMU is on by default and 'amd_iommu=on' is not
 *        a valid option.
 *   iommu=pt when [passthrough] iommu-pt (default true).
 *   pcie_acs_override=downstream,multifunction when the group check needs it.
 *   initcall_blacklist=sysfb_init when the boot GPU is isolated: the
 *        firmware framebuffer (simpledrm/efifb) holds its BAR otherwise, and
 *        video=efifb:off no longer frees it on simpledrm kernels.
 *   default_hugepagesz=1G hugepagesz=1G hugepages=N for [passthrough] hugepages.
 *   then [passthrough] kernel-args.
 */
#include <stdio.h>
#include <string.h>

#include "plan/plan-internal.h"
#include "util.h"

static void add_word(struct plan_ctx *c, const char *w)
{
	plan_list_add_unique(c, &c->p->kernel_args, &c->p->n_kernel_args, w);
}

/* A word goes into a shell-sourced GRUB file inside double quotes */
static bool word_is_safe(const char *w)
{
	if (!*w)
		return false;
	for (const unsigned char *p = (const unsigned char *)w; *p; p++)
		if (*p <= ' ' || *p == 0x7f || strchr("\"'`$\\;&|<>", *p))
			return false;
	return true;
}

static bool iommu_words(struct plan_ctx *c)
{
	bool from_cpu;

	/* keyed on the IOMMU, not the CPU: QEMU's TCG CPU says AMD next to an Intel IOMMU */
	switch (plan_iommu_kind(c->hw, &from_cpu)) {
	case HW_IOMMU_INTEL:
		add_word(c, "intel_iommu=on");
		plan_decide(c, "kernel: intel_iommu=on (%s; on by default only from kernel 6.8)",
			    from_cpu ? "Intel CPU" : "Intel VT-d IOMMU");
		break;
	case HW_IOMMU_AMD:
		plan_decide(c, "kernel: no IOMMU word for the AMD %s (AMD-Vi is on by default; "
			    "'amd_iommu=on' is not a valid option)", from_cpu ? "CPU" : "IOMMU");
		break;
	default:
		plan_decide(c, "kernel: no IOMMU word (neither an Intel nor an AMD IOMMU; CPU "
			    "vendor '%s')", c->hw->cpu.vendor_str);
		break;
	}
	if (c->pt->iommu_pt) {
		add_word(c, "iommu=pt");
		plan_decide(c, "kernel: iommu=pt (host devices skip DMA translation; iommu-pt is "
			    "set)");
	}
	return true;
}

static bool hugepage_words(struct plan_ctx *c)
{
	unsigned n = c->pt->hugepages;
	uint64_t ram_gib = c->hw->mem_total_kib / (1024 * 1024);
	char w[32];

	if (!n)
		return true;
	if (c->hw->mem_total_kib && n >= ram_gib) {
		plan_refuse(c, "cannot reserve %u hugepages of 1 GiB: the host has %llu GiB of "
			    "memory", n, (unsigned long long)ram_gib);
		return false;
	}
	if (c->hw->mem_total_kib && ram_gib - n < 4)
		plan_warn(c, "reserving %u GiB of hugepages leaves the host only %llu GiB of "
			  "memory", n, (unsigned long long)(ram_gib - n));
	add_word(c, "default_hugepagesz=1G");
	add_word(c, "hugepagesz=1G");
	snprintf(w, sizeof(w), "hugepages=%u", n);
	add_word(c, w);
	plan_decide(c, "kernel: reserve %u hugepages of 1 GiB at boot for the VM's memory", n);
	return true;
}

static bool answer_words(struct plan_ctx *c)
{
	bool ok = true;

	for (size_t i = 0; i < c->pt->n_kernel_args; i++) {
		const char *w = c->pt->kernel_args[i];

		if (!word_is_safe(w)) {
			plan_refuse(c, "invalid word '%s' in [passthrough] kernel-args: no spaces, "
				    "quotes or shell characters", w);
			ok = false;
		} else if (!strcmp(w, "amd_iommu=on")) {
			plan_warn(c, "dropped 'amd_iommu=on' from kernel-args: it is not a valid "
				  "option (the AMD IOMMU is on by default)");
		} else {
			if (!strcmp(w, "video=efifb:off"))
				plan_warn(c, "'video=efifb:off' in kernel-args does not free the "
					  "GPU's memory on simpledrm kernels; "
					  "'initcall_blacklist=sysfb_init' does");
			add_word(c, w);
			plan_decide(c, "kernel: %s (from [passthrough] kernel-args)", w);
		}
	}
	return ok;
}

bool plan_cmdline(struct plan_ctx *c)
{
	struct plan *p = c->p;
	bool boot = false, ok;
	struct strbuf sb = { 0 };

	ok = iommu_words(c);
	if (c->needs_acs) {
		add_word(c, "pcie_acs_override=downstream,multifunction");
		plan_decide(c, "kernel: pcie_acs_override=downstream,multifunction (acs-override "
			    "splits the shared IOMMU group)");
	}
	for (size_t i = 0; i < p->n_gpus; i++)
		boot = boot || p->gpus[i].is_boot;
	if (boot) {
		add_word(c, "initcall_blacklist=sysfb_init");
		plan_decide(c, "kernel: initcall_blacklist=sysfb_init (the isolated GPU is the "
			    "boot GPU: keep the firmware framebuffer off its memory)");
	}
	ok = hugepage_words(c) && ok;
	ok = answer_words(c) && ok;
	for (size_t i = 0; i < p->n_kernel_args; i++)
		sb_printf(&sb, "%s%s", i ? " " : "", p->kernel_args[i]);
	sb_puts(&sb, "");
	if (sb.err)
		c->nomem = sb.err;
	p->cmdline = sb_detach(&sb);
	return ok;
}
