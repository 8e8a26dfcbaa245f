// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Windows 11 VM template values (design §7): what first boot passes to
 * qm create / qm set. cores and affinity: P-core threads on hybrid CPUs,
 * leaving at least one P-core to the host; otherwise all threads but two.
 * memory: half the host's RAM in whole GiB, within 8..64 GiB, or the
 * hugepage reservation when there is one.
 *
 * Whatever the default or [vm-template] says, the VM fits the host: at most
 * the host's threads less one, and at least 1 core; memory leaves the host
 * 4 GiB or a quarter of its RAM, whichever is more (a host too small for that
 * gets a 1 GiB VM and a warning). Hugepages only back the VM when the plan
 * reserved them ([passthrough] hugepages).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "plan/plan-internal.h"
#include "util.h"

#define PLAN_MAX_CPUS 1024

/* "0-7,16-23" → mask; the number of cpus, or -EINVAL on garbage */
static int cpulist_parse(const char *s, unsigned char *mask, size_t n)
{
	int count = 0;

	while (*s) {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;

		if (end == s)
			return -EINVAL;
		s = end;
		if (*s == '-') {
			s++;
			b = strtoul(s, &end, 10);
			if (end == s)
				return -EINVAL;
			s = end;
		}
		if (a > b || b >= n)
			return -EINVAL;
		for (unsigned long i = a; i <= b; i++)
			if (!mask[i]++)
				count++;
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -EINVAL;
		else if (*s)
			s++;
	}
	return count;
}

/* mask → "0-13,16" */
static void cpulist_format(const unsigned char *mask, size_t n, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		if (!mask[i])
			continue;
		while (j + 1 < n && mask[j + 1])
			j++;
		if (j == i)
			len += snprintf(buf + len, len < size ? size - len : 0, "%s%zu",
					len ? "," : "", i);
		else
			len += snprintf(buf + len, len < size ? size - len : 0, "%s%zu-%zu",
					len ? "," : "", i, j);
		i = j;
	}
}

/* Hybrid: P-core threads minus one P-core for the host */
static bool hybrid_cores(struct plan_ctx *c, unsigned *cores, char *aff, size_t size)
{
	const struct hw_cpu *cpu = &c->hw->cpu;
	unsigned char *mask = calloc(PLAN_MAX_CPUS, 1);
	unsigned pcores, tpc = 1, keep;
	int n;

	if (!mask) {
		c->nomem = -ENOMEM;
		return false;
	}
	n = cpulist_parse(cpu->pcores, mask, PLAN_MAX_CPUS);
	if (n <= 0) {
		free(mask);
		return false;
	}
	/* E-cores have one thread each; what is left of the cores are P-cores */
	pcores = cpu->cores > cpu->n_ecores_threads ? cpu->cores - cpu->n_ecores_threads : 0;
	if (pcores && (unsigned)n >= 2 * pcores)
		tpc = 2;
	else if (!pcores && n % 2 == 0 && n >= 4)
		tpc = 2;
	keep = (unsigned)n > tpc ? (unsigned)n - tpc : (unsigned)n;
	/* drop the highest P-core threads: one whole core goes to the host */
	for (size_t i = PLAN_MAX_CPUS, dropped = 0; i-- > 0 && dropped < (unsigned)n - keep;)
		if (mask[i]) {
			mask[i] = 0;
			dropped++;
		}
	cpulist_format(mask, PLAN_MAX_CPUS, aff, size);
	free(mask);
	*cores = keep;
	plan_decide(c, "vm: %u cores pinned to P-core threads %s (hybrid CPU; the host keeps "
		    "one P-core and the E-cores %s)", keep, aff,
		    cpu->ecores[0] ? cpu->ecores : "");
	return true;
}

/* The most cores the VM may have: the host's threads less one, at least 1. */
static unsigned vm_cores_fit(unsigned threads)
{
	return threads > 1 ? threads - 1 : 1;
}

static void vm_cpus(struct plan_ctx *c, struct plan_vm *v)
{
	unsigned threads = c->hw->cpu.threads, fit = vm_cores_fit(threads);

	if (c->vm->cores) {
		v->cores = c->vm->cores;
		if (threads && v->cores > fit) {
			plan_warn(c, "[vm-template] cores = %u lowered to %u: the host has %u "
				  "thread%s and keeps one", v->cores, fit, threads,
				  threads == 1 ? "" : "s");
			v->cores = fit;
		}
		plan_decide(c, "vm: %u core%s ([vm-template] cores)", v->cores,
			    v->cores == 1 ? "" : "s");
		return;
	}
	if (c->hw->cpu.hybrid && hybrid_cores(c, &v->cores, v->affinity, sizeof(v->affinity)))
		return;
	if (threads > 4) {
		v->cores = threads - 2;
		plan_decide(c, "vm: %u cores (%u host threads, two left to the host); no "
			    "pinning", v->cores, threads);
	} else {
		v->cores = fit;
		plan_decide(c, "vm: %u core%s (%u host thread%s, one left to the host, at least "
			    "1); no pinning", v->cores, v->cores == 1 ? "" : "s", threads,
			    threads == 1 ? "" : "s");
	}
}

/* What the VM may have of the host's @gib GiB: all but 4 GiB or a quarter, whichever is more. */
static uint64_t vm_memory_fit_mib(uint64_t gib)
{
	uint64_t keep = gib / 4 > 4 ? gib / 4 : 4;

	return gib > keep ? (gib - keep) * 1024 : 0;
}

static void vm_memory(struct plan_ctx *c, struct plan_vm *v)
{
	uint64_t gib = c->hw->mem_total_kib / (1024 * 1024);
	uint64_t half = gib / 2, fit = gib ? vm_memory_fit_mib(gib) : UINT64_MAX;

	if (c->pt->hugepages) {
		/* the reservation is the user's own ([passthrough] hugepages), checked there */
		v->memory_mib = c->pt->hugepages * 1024;
		v->hugepages = 1024;
		plan_decide(c, "vm: memory %u MiB = the %u reserved 1 GiB hugepages", v->memory_mib,
			    c->pt->hugepages);
		if (c->vm->memory && c->vm->memory != v->memory_mib)
			plan_warn(c, "[vm-template] memory = %u MiB ignored: with hugepages the VM "
				  "gets the %u GiB reserved for it", c->vm->memory,
				  c->pt->hugepages);
		return;
	}
	if (fit < 1024) {
		plan_warn(c, "the host's %llu GiB cannot keep 4 GiB for itself and give a VM "
			  "memory: the VM gets 1024 MiB, too little for Windows 11 (4 GiB)",
			  (unsigned long long)gib);
		fit = 1024;
	}
	if (c->vm->memory) {
		v->memory_mib = c->vm->memory;
		if (v->memory_mib > fit) {
			plan_warn(c, "[vm-template] memory = %u MiB lowered to %llu MiB: the host "
				  "keeps 4 GiB or a quarter of its %llu GiB", v->memory_mib,
				  (unsigned long long)fit, (unsigned long long)gib);
			v->memory_mib = (unsigned)fit;
		}
		plan_decide(c, "vm: memory %u MiB ([vm-template] memory)", v->memory_mib);
		return;
	}
	if (half < 8)
		half = 8;
	if (half > 64)
		half = 64;
	if (half * 1024 <= fit) {
		v->memory_mib = (unsigned)half * 1024;
		plan_decide(c, "vm: memory %u MiB (half of the host's %llu GiB, within 8..64 GiB)",
			    v->memory_mib, (unsigned long long)gib);
	} else {
		v->memory_mib = (unsigned)fit;
		plan_decide(c, "vm: memory %u MiB (what the host's %llu GiB leaves after keeping "
			    "4 GiB or a quarter, whichever is more)", v->memory_mib,
			    (unsigned long long)gib);
	}
}

/* A fixed, locally administered MAC derived from the machine and the vmid */
static void vm_mac(struct plan_ctx *c, struct plan_vm *v)
{
	const struct hw *hw = c->hw;
	const char *seed = hw->dmi.product_uuid;
	char buf[128], hex[SHA256_HEX_LEN + 1];
	unsigned b[6];

	/* boards that leave the UUID unset (all 0 or all F) would all give one MAC */
	if (strspn(seed, "0-") == strlen(seed) || strspn(seed, "fF-") == strlen(seed))
		seed = "";
	for (size_t i = 0; !seed[0] && i < hw->n_nics; i++)
		if (!hw->nics[i].is_virtual && hw->nics[i].mac[0])
			seed = hw->nics[i].mac;
	if (!seed[0])
		return;
	snprintf(buf, sizeof(buf), "ironpass-vm:%s:%u", seed, v->vmid);
	if (sha256_buf(buf, strlen(buf), hex) < 0)
		return;
	for (size_t i = 0; i < 6; i++)
		sscanf(hex + 2 * i, "%2x", &b[i]);
	b[0] = (b[0] & 0xfc) | 0x02;
	snprintf(v->mac, sizeof(v->mac), "%02X:%02X:%02X:%02X:%02X:%02X", b[0], b[1], b[2], b[3],
		 b[4], b[5]);
}

/*
 * A CD drive from [vm-template] windows-iso / virtio-iso: a volume id as it
 * is; an https:// URL (downloaded at first boot, *url) or "carried" (the
 * builder's --windows-iso / --virtio-iso: copied by the install, *carried)
 * becomes the ISO @store_as in 'local'; nothing: an empty drive to put the
 * ISO in later.
 */
static char *iso(struct plan_ctx *c, const char *src, const char *store_as, const char *what,
		 bool *carried, char **url)
{
	if (!src || !src[0])
		return plan_strdup(c, "none,media=cdrom");
	if (!answer_iso_is_url(src) && strcmp(src, ANSWER_ISO_CARRIED))
		return plan_asprintf(c, "%s,media=cdrom", src);
	plan_decide(c, "vm: the %s ISO (%s) is local:iso/%s", what,
		    strcmp(src, ANSWER_ISO_CARRIED) ? "from its https:// URL"
						    : "carried in the image",
		    store_as);
	if (strcmp(src, ANSWER_ISO_CARRIED))
		*url = plan_strdup(c, src);
	else
		*carried = true;
	return plan_asprintf(c, "local:iso/%s,media=cdrom", store_as);
}

void plan_vm_values(struct plan_ctx *c)
{
	const struct answer_vm_template *a = c->vm;
	struct plan_vm *v = &c->p->vm;
	const char *store = a->storage && a->storage[0] ? a->storage : "local-lvm";

	v->enabled = a->enabled;
	if (!a->enabled) {
		plan_decide(c, "vm: no VM template ([vm-template] enabled = false)");
		return;
	}
	v->vmid = a->vmid ? a->vmid : 9000;
	v->name = plan_strdup(c, a->name && a->name[0] ? a->name : "win11-passthrough");
	v->ostype = "win11";
	v->machine = "q35";
	v->bios = "ovmf";
	v->cpu = "host";
	v->numa = 1;
	v->balloon = 0;
	v->scsihw = "virtio-scsi-single";
	v->agent = 1;
	v->storage = plan_strdup(c, store);
	v->storage_auto = !(a->storage && a->storage[0]);
	v->bridge = plan_strdup(c, a->bridge && a->bridge[0] ? a->bridge : "vmbr0");
	v->efidisk0 = plan_asprintf(c, "%s:1,efitype=4m,pre-enrolled-keys=1", store);
	v->tpmstate0 = plan_asprintf(c, "%s:1,version=v2.0", store);
	v->scsi0 = plan_asprintf(c, "%s:%u,iothread=1,discard=on,ssd=1", store,
				 a->disk_size ? a->disk_size : 128);
	vm_mac(c, v);
	if (v->mac[0])
		v->net0 = plan_asprintf(c, "virtio=%s,bridge=%s", v->mac, v->bridge);
	else
		v->net0 = plan_asprintf(c, "virtio,bridge=%s", v->bridge);
	vm_cpus(c, v);
	vm_memory(c, v);
	for (size_t i = 0; i < c->p->n_gpus; i++) {
		plan_list_add(c, &v->hostpci, &v->n_hostpci, c->p->gpus[i].hostpci);
		plan_decide(c, "vm: hostpci%zu = %s (all functions%s)", i, c->p->gpus[i].hostpci,
			    c->p->gpus[i].has_vga ? "; x-vga=1 for the VGA function" : "");
	}
	v->vga = v->n_hostpci ? "none" : "std";
	v->ide2 = iso(c, a->windows_iso, PLAN_VM_WINDOWS_ISO, "Windows", &v->windows_carried,
		      &v->windows_url);
	v->ide0 = iso(c, a->virtio_iso, PLAN_VM_VIRTIO_ISO, "virtio-win", &v->virtio_carried,
		      &v->virtio_url);
	if (v->windows_url && a->windows_iso_sha256)
		v->windows_sha256 = plan_strdup(c, a->windows_iso_sha256);
	if (v->virtio_url && a->virtio_iso_sha256)
		v->virtio_sha256 = plan_strdup(c, a->virtio_iso_sha256);
	if (a->unattended)
		v->ide1 = plan_asprintf(c, "local:iso/ironpass-autounattend-%u.iso,media=cdrom",
					v->vmid);
	/* the empty disk falls through to the Windows ISO once */
	v->boot = "order=scsi0;ide2";
}
