// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Warnings about the machine and the chosen GPU(s): they do not stop the
 * plan, but the user should know before the first VM start.
 *
 * Not checked: whether a VGA device's option ROM carries a UEFI GOP image.
 * Reading the ROM needs root and writing to the device's 'rom' attribute,
 * which a read-only detector on a captured tree cannot do, so the plan says
 * nothing about it rather than guess.
 *
 * Deliberately absent: NVIDIA GeForce cards need nothing special since
 * driver R465, and x-vga=1 already makes Proxmox add kvm=off and
 * hv_vendor_id, so the plan never adds 'args:' (and never '-cpu', which
 * would replace Proxmox's whole -cpu).
 */
#include <stdio.h>
#include <string.h>

#include "plan/plan-internal.h"
#include "util.h"

/* AMD device id ranges by generation (PCI ids of the display function) */
static const struct {
	uint16_t first, last;
	struct plan_amd_gen gen;
} amd_gens[] = {
	{ 0x67c0, 0x67df, { "Polaris 10/20 (RX 470/480/570/580)", true } },
	{ 0x67e0, 0x67ff, { "Polaris 11/21 (RX 460/560)", true } },
	{ 0x6980, 0x699f, { "Polaris 12 (RX 540/550)", true } },
	{ 0x6fdf, 0x6fdf, { "Polaris 20 (RX 580 2048SP)", true } },
	{ 0x6860, 0x687f, { "Vega 10 (RX Vega 56/64)", true } },
	{ 0x66a0, 0x66af, { "Vega 20 (Radeon VII)", true } },
	{ 0x7310, 0x731f, { "Navi 10 (RX 5600/5700)", true } },
	{ 0x7360, 0x7362, { "Navi 12", true } },
	{ 0x7340, 0x734f, { "Navi 14 (RX 5500)", true } },
	{ 0x7440, 0x745f, { "Navi 31 (RX 7900)", false } },
	{ 0x7460, 0x747f, { "Navi 32 (RX 7700/7800)", false } },
	{ 0x7480, 0x749f, { "Navi 33 (RX 7600)", false } },
	{ 0x7550, 0x755f, { "Navi 48 (RX 9070)", false } },
	{ 0x7590, 0x759f, { "Navi 44 (RX 9060)", false } },
};

const struct plan_amd_gen *plan_amd_reset_gen(uint16_t vendor_id, uint16_t device_id)
{
	if (vendor_id != 0x1002)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(amd_gens); i++)
		if (device_id >= amd_gens[i].first && device_id <= amd_gens[i].last)
			return &amd_gens[i].gen;
	return NULL;
}

static void warn_gpu(struct plan_ctx *c, const struct plan_gpu *g)
{
	const struct hw *hw = c->hw;

	for (size_t i = 0; i < g->n_fn; i++) {
		const struct hw_pci_dev *d = &hw->pci[g->fn[i].pci];
		const struct plan_amd_gen *gen;

		if ((d->class_code >> 16) != 0x03)
			continue;
		gen = plan_amd_reset_gen(d->vendor_id, d->device_id);
		if (gen && gen->vendor_reset)
			plan_warn(c, "'%s' is an AMD %s: this generation has the AMD reset bug; "
				  "install the vendor-reset module (and use its device_specific "
				  "reset_method) or the card will not reset between VM starts",
				  g->fn[i].addr, gen->name);
		else if (gen)
			plan_warn(c, "'%s' is an AMD %s: this generation has known reset problems "
				  "with passthrough that vendor-reset does not cover; the card may "
				  "work only once per host boot", g->fn[i].addr, gen->name);
		if (d->vendor_id == 0x10de)
			plan_decide(c, "%s (NVIDIA): no extra VM arguments; the driver supports "
				    "GeForce passthrough since R465%s", g->slot, g->has_vga ?
				    ", and x-vga=1 makes Proxmox add kvm=off and hv_vendor_id" :
				    "");
	}
	if (g->is_boot)
		plan_warn(c, "%s is the boot GPU: firmware and boot messages show on it until "
			  "vfio-pci takes it, then the host console is gone from that screen",
			  g->slot);
	if (hw->gpus[g->gpu].integrated)
		plan_warn(c, "%s is an integrated GPU: passing it through needs extra, "
			  "board-specific setup (legacy IGD mode, its option ROM) that this plan "
			  "does not do", g->slot);
}

void plan_warn_hw(struct plan_ctx *c)
{
	const struct hw *hw = c->hw;
	const struct plan *p = c->p;

	for (size_t i = 0; i < p->n_gpus; i++)
		warn_gpu(c, &p->gpus[i]);
	if (c->host_keeps_no_gpu && p->n_gpus && c->pt->allow_single_gpu)
		plan_warn(c, "single-GPU passthrough: the host loses its console on the screen "
			  "once vfio-pci takes the GPU; manage it over the network or a serial "
			  "console");
	if (hw->iommu_present && hw->irq_remap == HW_NO)
		plan_warn(c, "no interrupt remapping (no 'IR-' interrupts): a VM's device could "
			  "inject interrupts into the host; vfio needs "
			  "allow_unsafe_interrupts=1 for vfio_iommu_type1 to start such a VM");
	if (!hw->cpu.virt)
		plan_warn(c, "the CPU reports no hardware virtualization (vmx/svm): enable VT-x or "
			  "AMD-V (SVM) in the firmware setup, or VMs cannot use KVM");
	if (hw->cpu.hybrid)
		plan_warn(c, "hybrid CPU (P-cores %s, E-cores %s): pin the VM to P-cores (the "
			  "template's affinity does)", hw->cpu.pcores[0] ? hw->cpu.pcores : "?",
			  hw->cpu.ecores[0] ? hw->cpu.ecores : "?");
}
