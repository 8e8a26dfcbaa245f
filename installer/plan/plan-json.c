// SPDX-License-Identifier: GPL-2.0-or-later
/* The plan as JSON (json-c), for the install step and `plan --json`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "plan/plan.h"

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : json_object_new_null();
}

static json_object *jlist(char *const *arr, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < n; i++)
		json_object_array_add(a, json_object_new_string(arr[i]));
	return a;
}

static json_object *jhex(unsigned v, int width)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%0*x", width, v);
	return json_object_new_string(buf);
}

static json_object *gpu_json(const struct plan_gpu *g)
{
	json_object *o = json_object_new_object(), *fns = json_object_new_array();

	json_object_object_add(o, "slot", jstr(g->slot));
	json_object_object_add(o, "is_boot", json_object_new_boolean(g->is_boot));
	json_object_object_add(o, "has_vga", json_object_new_boolean(g->has_vga));
	json_object_object_add(o, "hostpci", jstr(g->hostpci));
	for (size_t i = 0; i < g->n_fn; i++) {
		json_object *f = json_object_new_object();

		json_object_object_add(f, "addr", jstr(g->fn[i].addr));
		json_object_object_add(f, "vendor_id", jhex(g->fn[i].vendor_id, 4));
		json_object_object_add(f, "device_id", jhex(g->fn[i].device_id, 4));
		json_object_object_add(f, "class", jhex(g->fn[i].class_code, 6));
		json_object_object_add(f, "binding", jstr(g->fn[i].by_override ?
							  "driver_override" : "ids"));
		json_object_array_add(fns, f);
	}
	json_object_object_add(o, "functions", fns);
	return o;
}

static json_object *file_json(const struct plan_file *f)
{
	json_object *o = json_object_new_object();
	char mode[8];

	snprintf(mode, sizeof(mode), "%04o", (unsigned)f->mode);
	json_object_object_add(o, "path", jstr(f->path));
	json_object_object_add(o, "mode", jstr(mode));
	json_object_object_add(o, "append", json_object_new_boolean(f->append));
	json_object_object_add(o, "purpose", jstr(f->purpose));
	json_object_object_add(o, "text", jstr(f->text));
	return o;
}

static void add_uint(json_object *o, const char *key, unsigned v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static json_object *vm_json(const struct plan_vm *v)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "enabled", json_object_new_boolean(v->enabled));
	if (!v->enabled)
		return o;
	add_uint(o, "vmid", v->vmid);
	json_object_object_add(o, "name", jstr(v->name));
	json_object_object_add(o, "ostype", jstr(v->ostype));
	json_object_object_add(o, "machine", jstr(v->machine));
	json_object_object_add(o, "bios", jstr(v->bios));
	json_object_object_add(o, "cpu", jstr(v->cpu));
	add_uint(o, "cores", v->cores);
	json_object_object_add(o, "affinity", v->affinity[0] ? jstr(v->affinity) : NULL);
	add_uint(o, "numa", v->numa);
	add_uint(o, "memory", v->memory_mib);
	if (v->hugepages)
		add_uint(o, "hugepages", v->hugepages);
	else
		json_object_object_add(o, "hugepages", NULL);
	add_uint(o, "balloon", v->balloon);
	json_object_object_add(o, "scsihw", jstr(v->scsihw));
	json_object_object_add(o, "storage", jstr(v->storage));
	json_object_object_add(o, "bridge", jstr(v->bridge));
	json_object_object_add(o, "efidisk0", jstr(v->efidisk0));
	json_object_object_add(o, "tpmstate0", jstr(v->tpmstate0));
	json_object_object_add(o, "scsi0", jstr(v->scsi0));
	json_object_object_add(o, "net0", jstr(v->net0));
	json_object_object_add(o, "hostpci", jlist(v->hostpci, v->n_hostpci));
	json_object_object_add(o, "vga", jstr(v->vga));
	add_uint(o, "agent", v->agent);
	json_object_object_add(o, "ide0", jstr(v->ide0));
	json_object_object_add(o, "ide1", jstr(v->ide1));
	json_object_object_add(o, "ide2", jstr(v->ide2));
	json_object_object_add(o, "boot", jstr(v->boot));
	return o;
}

char *plan_to_json(const struct plan *p)
{
	json_object *o = json_object_new_object(), *gpus, *files;
	char *out;

	if (!o)
		return NULL;
	json_object_object_add(o, "plan_ok", json_object_new_boolean(p->plan_ok));
	json_object_object_add(o, "refusals", jlist(p->refusals, p->n_refusals));
	json_object_object_add(o, "warnings", jlist(p->warnings, p->n_warnings));
	json_object_object_add(o, "decisions", jlist(p->decisions, p->n_decisions));
	gpus = json_object_new_array();
	for (size_t i = 0; i < p->n_gpus; i++)
		json_object_array_add(gpus, gpu_json(&p->gpus[i]));
	json_object_object_add(o, "gpus", gpus);
	json_object_object_add(o, "kernel_args", jlist(p->kernel_args, p->n_kernel_args));
	json_object_object_add(o, "cmdline", jstr(p->cmdline ? p->cmdline : ""));
	json_object_object_add(o, "modules", jlist(p->modules, p->n_modules));
	json_object_object_add(o, "vfio_ids", jlist(p->vfio_ids, p->n_vfio_ids));
	json_object_object_add(o, "driver_override",
			       jlist(p->override_addrs, p->n_override_addrs));
	json_object_object_add(o, "softdeps", jlist(p->softdeps, p->n_softdeps));
	json_object_object_add(o, "blacklist", jlist(p->blacklist, p->n_blacklist));
	files = json_object_new_array();
	for (size_t i = 0; i < p->n_files; i++)
		json_object_array_add(files, file_json(&p->files[i]));
	json_object_object_add(o, "files", files);
	json_object_object_add(o, "steps", jlist(p->steps, p->n_steps));
	json_object_object_add(o, "vm", vm_json(&p->vm));
	out = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_SPACED |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return out;
}
