// SPDX-License-Identifier: GPL-2.0-or-later
/* The plan as text: the verdict, one line per decision, then what gets written. */
#include <stdio.h>
#include <string.h>

#include "plan/plan.h"
#include "util.h"

static void lines(struct strbuf *sb, const char *head, char *const *arr, size_t n)
{
	if (!n)
		return;
	sb_printf(sb, "\n%s:\n", head);
	for (size_t i = 0; i < n; i++)
		sb_printf(sb, "  %s\n", arr[i]);
}

static void vm_text(struct strbuf *sb, const struct plan_vm *v)
{
	if (!v->enabled)
		return;
	sb_printf(sb, "\nVM template %u '%s':\n", v->vmid, v->name);
	sb_printf(sb, "  ostype %s, machine %s, bios %s, cpu %s, cores %u", v->ostype, v->machine,
		  v->bios, v->cpu, v->cores);
	if (v->affinity[0])
		sb_printf(sb, ", affinity %s", v->affinity);
	sb_printf(sb, ", numa %u\n  memory %u MiB", v->numa, v->memory_mib);
	if (v->hugepages)
		sb_printf(sb, ", hugepages %u", v->hugepages);
	sb_printf(sb, ", balloon %u\n", v->balloon);
	sb_printf(sb, "  efidisk0 %s\n  tpmstate0 %s\n  scsihw %s\n  scsi0 %s\n  net0 %s\n",
		  v->efidisk0, v->tpmstate0, v->scsihw, v->scsi0, v->net0);
	for (size_t i = 0; i < v->n_hostpci; i++)
		sb_printf(sb, "  hostpci%zu %s\n", i, v->hostpci[i]);
	sb_printf(sb, "  vga %s, agent %u, boot %s\n", v->vga, v->agent, v->boot);
	if (v->ide2)
		sb_printf(sb, "  ide2 %s\n", v->ide2);
	if (v->ide0)
		sb_printf(sb, "  ide0 %s\n", v->ide0);
	if (v->ide1)
		sb_printf(sb, "  ide1 %s\n", v->ide1);
}

char *plan_to_text(const struct plan *p)
{
	struct strbuf sb = { 0 };

	if (!p->plan_ok)
		sb_puts(&sb, "Plan: refused\n");
	else if (p->n_warnings)
		sb_puts(&sb, "Plan: ready with warnings\n");
	else
		sb_puts(&sb, "Plan: ready\n");
	lines(&sb, "Refused", p->refusals, p->n_refusals);
	lines(&sb, "Decisions", p->decisions, p->n_decisions);
	lines(&sb, "Warnings", p->warnings, p->n_warnings);
	if (p->plan_ok)
		sb_printf(&sb, "\nKernel command line: %s\n",
			  p->cmdline && p->cmdline[0] ? p->cmdline : "(nothing to add)");
	for (size_t i = 0; i < p->n_files; i++) {
		const struct plan_file *f = &p->files[i];
		const char *t = f->text;

		sb_printf(&sb, "\n%s %s (mode %04o): %s\n", f->append ? "Append to" : "Write",
			  f->path, (unsigned)f->mode, f->purpose);
		while (*t) {
			const char *nl = strchr(t, '\n');
			size_t len = nl ? (size_t)(nl - t) : strlen(t);

			sb_puts(&sb, "  | ");
			sb_add(&sb, t, len);
			sb_puts(&sb, "\n");
			t += len + (nl ? 1 : 0);
		}
	}
	lines(&sb, "Then run", p->steps, p->n_steps);
	vm_text(&sb, &p->vm);
	return sb_detach(&sb);
}
