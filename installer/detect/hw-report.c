// SPDX-License-Identifier: GPL-2.0-or-later
/* Passthrough readiness verdict and the readable hardware report. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "detect/hw-report.h"

const char *hw_readiness_str(enum hw_readiness level)
{
	switch (level) {
	case HW_READY:
		return "ready";
	case HW_READY_WARNINGS:
		return "ready with warnings";
	case HW_NOT_READY:
		break;
	}
	return "not ready";
}

static __attribute__((format(printf, 3, 4))) void reason(struct hw_verdict *v, bool blocking,
							 const char *fmt, ...)
{
	struct hw_reason *r;
	va_list ap;

	if (v->n_reasons >= HW_VERDICT_MAX)
		return;
	r = &v->reasons[v->n_reasons++];
	r->blocking = blocking;
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof(r->text), fmt, ap);
	va_end(ap);
}

static void hw_verdict_iommu(const struct hw *hw, struct hw_verdict *v)
{
	bool amd = hw->iommu_kind == HW_IOMMU_AMD ||
		   (hw->iommu_kind == HW_IOMMU_NONE && hw->cpu.vendor == HW_CPU_AMD);
	const char *how = amd ? "AMD-Vi/IOMMU" : "VT-d";

	if (!hw->iommu_class && !hw->n_groups)
		reason(v, true, "no IOMMU: enable %s in the firmware setup", how);
	else if (!hw->n_groups)
		reason(v, true, "IOMMU units present but no IOMMU groups: the kernel does not "
				"use the IOMMU%s", !amd ?
				" (add intel_iommu=on)" : "");
	else if (!hw->iommu_class)
		reason(v, true, "IOMMU groups but no IOMMU units in '/sys/class/iommu'");
	else if (hw->irq_remap == HW_NO)
		reason(v, false, "no interrupt remapping: VFIO needs "
				 "allow_unsafe_interrupts, and devices may attack the host");
	else if (hw->irq_remap == HW_UNKNOWN)
		reason(v, false, "interrupt remapping unknown: '/proc/interrupts' unreadable");
}

static void hw_verdict_gpus(const struct hw *hw, struct hw_verdict *v)
{
	size_t n_discrete = 0, n_boot_discrete = 0;

	for (size_t i = 0; i < hw->n_gpus; i++) {
		const struct hw_gpu *g = &hw->gpus[i];

		if (g->integrated)
			continue;
		n_discrete++;
		if (g->is_boot) {
			n_boot_discrete++;
			continue;
		}
		if (v->n_candidates < sizeof(v->candidates) / sizeof(v->candidates[0]))
			v->candidates[v->n_candidates++] = i;
	}
	if (!hw->n_gpus) {
		reason(v, true, "no GPU found");
		return;
	}
	if (!v->n_candidates) {
		if (n_boot_discrete)
			reason(v, false, "the only discrete GPU is the boot GPU: passing it through "
					 "needs allow-single-gpu and leaves the host without a "
					 "console");
		else
			reason(v, true, "no discrete GPU to pass through");
		return;
	}
	if (!hw->iommu_present)
		return;
	for (size_t k = 0; k < v->n_candidates; k++) {
		const struct hw_gpu *g = &hw->gpus[v->candidates[k]];
		const struct hw_pci_dev *d = &hw->pci[g->display];

		if (!g->groups_known)
			reason(v, false, "GPU '%s' has no IOMMU group", d->addr);
		else if (!g->group_clean)
			reason(v, false, "GPU '%s' shares its IOMMU group with %zu other "
					 "device(s), e.g. '%s': needs acs-override", d->addr,
			       g->n_intruders, hw->pci[g->intruders[0]].addr);
	}
}

void hw_verdict(const struct hw *hw, struct hw_verdict *v)
{
	memset(v, 0, sizeof(*v));
	hw_verdict_iommu(hw, v);
	if (!hw->cpu.virt)
		reason(v, true, "the CPU shows no virtualisation flag (vmx/svm): enable %s in "
				"the firmware setup", hw->cpu.vendor == HW_CPU_AMD ? "SVM" : "VT-x");
	hw_verdict_gpus(hw, v);
	v->level = HW_READY;
	for (size_t i = 0; i < v->n_reasons; i++) {
		if (v->reasons[i].blocking)
			v->level = HW_NOT_READY;
		else if (v->level == HW_READY)
			v->level = HW_READY_WARNINGS;
	}
}

static const char *tri(enum hw_tristate t)
{
	return t == HW_YES ? "yes" : t == HW_NO ? "no" : "unknown";
}

static void hw_report_size(struct strbuf *sb, uint64_t bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	sb_printf(sb, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

static void hw_report_cpu(const struct hw *hw, struct strbuf *sb)
{
	const struct hw_cpu *c = &hw->cpu;

	sb_printf(sb, "\nCPU\n  %s (%s, family %u model %u)\n", c->model[0] ? c->model : "unknown",
		  c->vendor_str[0] ? c->vendor_str : "unknown vendor", c->family, c->model_id);
	sb_printf(sb, "  %u socket(s), %u core(s), %u thread(s), virtualisation %s\n",
		  c->sockets, c->cores, c->threads, c->virt ? "yes" : "no");
	if (c->hybrid)
		sb_printf(sb, "  hybrid: P-cores %s (%u threads), E-cores %s (%u threads)\n",
			  c->pcores, c->n_pcores_threads, c->ecores, c->n_ecores_threads);
	sb_puts(sb, "\nMemory\n  ");
	hw_report_size(sb, hw->mem_total_kib * 1024);
	sb_printf(sb, "\n\nFirmware\n  %s, Secure Boot %s\n", hw->fw == HW_FW_UEFI ? "UEFI" : "BIOS",
		  tri(hw->secure_boot));
}

static void hw_report_iommu(const struct hw *hw, struct strbuf *sb)
{
	static const char *const kinds[] = { "none", "Intel VT-d", "AMD-Vi", "other" };

	sb_printf(sb, "\nIOMMU\n  present %s (%s, units %s, %zu groups), interrupt remapping %s\n",
		  hw->iommu_present ? "yes" : "no", kinds[hw->iommu_kind],
		  hw->iommu_class ? "yes" : "no", hw->n_groups, tri(hw->irq_remap));
	sb_printf(sb, "  kernel %s\n  cmdline %s\n", hw->kernel_release[0] ? hw->kernel_release : "?",
		  hw->cmdline);
}

static void hw_report_gpus(const struct hw *hw, struct strbuf *sb)
{
	sb_printf(sb, "\nGPUs (%zu)\n", hw->n_gpus);
	for (size_t i = 0; i < hw->n_gpus; i++) {
		const struct hw_gpu *g = &hw->gpus[i];

		sb_printf(sb, "  %s%s%s, IOMMU group %s\n", hw->pci[g->display].addr,
			  g->integrated ? " integrated" : " discrete", g->is_boot ? " boot" : "",
			  !g->groups_known ? "unknown" : g->group_clean ? "clean" : "NOT clean");
		for (size_t f = 0; f < g->n_fn; f++) {
			const struct hw_pci_dev *p = &hw->pci[g->fn[f]];

			sb_printf(sb, "    %s [%04x:%04x] class %06x %s %s\n", p->addr, p->vendor_id,
				  p->device_id, p->class_code, p->vendor_name, p->device_name);
			sb_printf(sb, "      driver %s, group %d, boot_vga %s%s, reset %s\n",
				  p->driver[0] ? p->driver : "none", p->iommu_group, tri(p->boot_vga),
				  p->fb_in_bar ? ", framebuffer in BAR" : "",
				  p->reset_method[0] ? p->reset_method : "none");
		}
		for (size_t k = 0; k < g->n_intruders; k++) {
			const struct hw_pci_dev *p = &hw->pci[g->intruders[k]];

			sb_printf(sb, "    shares group %d with %s [%04x:%04x] %s\n", p->iommu_group,
				  p->addr, p->vendor_id, p->device_id, p->device_name);
		}
	}
}

static void hw_report_disks(const struct hw *hw, struct strbuf *sb)
{
	sb_printf(sb, "\nDisks (%zu)\n", hw->n_disks);
	for (size_t i = 0; i < hw->n_disks; i++) {
		const struct hw_disk *d = &hw->disks[i];

		sb_printf(sb, "  %-10s %-7s ", d->name, d->transport);
		hw_report_size(sb, d->size_bytes);
		sb_printf(sb, " %s%s%s%s%s, %u partition(s), model '%s' serial '%s'%s\n",
			  d->rotational ? "rotational" : "solid-state",
			  d->removable ? ", removable" : "", d->readonly ? ", read-only" : "",
			  d->optical ? ", optical" : "", d->md ? ", md array" : "", d->n_partitions,
			  d->model, d->serial, d->is_boot_medium ? "  <- boot medium" : "");
	}
	if (hw->boot_medium_dev[0])
		sb_printf(sb, "  live medium: %s\n", hw->boot_medium_dev);
}

static void hw_report_rest(const struct hw *hw, struct strbuf *sb)
{
	sb_printf(sb, "\nNICs (%zu)\n", hw->n_nics);
	for (size_t i = 0; i < hw->n_nics; i++) {
		const struct hw_nic *n = &hw->nics[i];

		if (n->is_virtual)
			sb_printf(sb, "  %-12s virtual %s\n", n->name, n->mac);
		else
			sb_printf(sb, "  %-12s %s driver %s %s, link %s, %u Mb/s\n", n->name,
				  n->mac, n->driver[0] ? n->driver : "none", n->pci_addr,
				  n->link ? "up" : "down", n->speed_mbps);
	}
	sb_printf(sb, "\nDMI\n  %s %s, board %s %s, BIOS %s\n  serial '%s' uuid '%s'\n",
		  hw->dmi.sys_vendor, hw->dmi.product_name, hw->dmi.board_vendor,
		  hw->dmi.board_name, hw->dmi.bios_version, hw->dmi.product_serial,
		  hw->dmi.product_uuid);
	if (hw->n_notes) {
		sb_printf(sb, "\nNotes (%zu)\n", hw->n_notes);
		for (size_t i = 0; i < hw->n_notes; i++)
			sb_printf(sb, "  %s\n", hw->notes[i]);
	}
}

void hw_report_text(const struct hw *hw, struct strbuf *sb)
{
	struct hw_verdict v;

	hw_verdict(hw, &v);
	sb_printf(sb, "verdict: %s\n", hw_readiness_str(v.level));
	for (size_t i = 0; i < v.n_reasons; i++)
		sb_printf(sb, "  %s: %s\n", v.reasons[i].blocking ? "blocking" : "warning",
			  v.reasons[i].text);
	for (size_t i = 0; i < v.n_candidates; i++)
		sb_printf(sb, "  candidate GPU: %s\n", hw->pci[hw->gpus[v.candidates[i]].display].addr);
	hw_report_cpu(hw, sb);
	hw_report_iommu(hw, sb);
	hw_report_gpus(hw, sb);
	hw_report_disks(hw, sb);
	hw_report_rest(hw, sb);
}
