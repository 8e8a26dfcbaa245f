// SPDX-License-Identifier: GPL-2.0-or-later
/* The Windows 11 VM template through qm (design §7): qm create, then qm template. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firstboot/inst-firstboot.h"
#include "log.h"
#include "path.h"
#include "util.h"

void inst_fb_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static bool key_ok(const char *k)
{
	if (!*k || strlen(k) > 32)
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '-'))
			return false;
	return true;
}

/* Values go to exec literally (no shell); refuse control characters and option look-alikes. */
static bool value_ok(const char *v)
{
	if (!*v || *v == '-' || strlen(v) > 512)
		return false;
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return false;
	return true;
}

/*
 * "local:iso/X.iso,media=cdrom" whose file is missing → "none,media=cdrom"
 * (inst_fb_fetch_media said what to put where); ISOs on other storages are
 * passed as they are.
 */
static char *cdrom_value(const char *v, const char *root)
{
	char name[256], file[PATH_MAX];
	const char *dir = inst_fb_iso_dir(v, name, sizeof(name));

	if (!dir)
		return strdup(v);
	snprintf(file, sizeof(file), "%s/%s", dir, name);
	if (path_exists(root, file))
		return strdup(v);
	ip_dbg("'%s' is missing: an empty CD drive instead", file);
	return strdup("none,media=cdrom");
}

char **inst_fb_qm_create_argv(const struct inst_fb_conf *c, const char *root,
			      struct ip_err *err)
{
	size_t n = 0, cap = 3 + 2 * c->n_opts + 1;
	char **argv = calloc(cap, sizeof(*argv));
	char id[16];

	if (!argv)
		goto out_nomem;
	snprintf(id, sizeof(id), "%u", c->vmid);
	argv[n++] = strdup("qm");
	argv[n++] = strdup("create");
	argv[n++] = strdup(id);
	for (size_t i = 0; i < c->n_opts; i++) {
		const struct inst_fb_opt *o = &c->opts[i];
		bool cd = str_startswith(o->key, "ide") && strstr(o->value, "media=cdrom");

		if (!key_ok(o->key) || !value_ok(o->value)) {
			ip_err_set(err, -EINVAL, "invalid qm option '%s' = '%s'", o->key, o->value);
			inst_fb_argv_free(argv);
			return NULL;
		}
		if (asprintf(&argv[n++], "--%s", o->key) < 0)
			argv[n - 1] = NULL;
		argv[n++] = cd ? cdrom_value(o->value, root) : strdup(o->value);
	}
	for (size_t i = 0; i < n; i++)
		if (!argv[i])
			goto out_nomem;
	return argv;
out_nomem:
	inst_fb_argv_free(argv);
	ip_err_set(err, -ENOMEM, "out of memory");
	return NULL;
}

/* `qm status ID`: 1 it exists, 0 it does not (qm says so and exits non-zero), <0 error */
static int vm_exists(struct runner *r, unsigned id, struct ip_err *err)
{
	char sid[16];
	const char *argv[] = { "qm", "status", sid, NULL };
	struct run_opts cap = { .flags = RUN_CAPTURE };
	struct run_result res = { 0 };
	int ret, st;

	snprintf(sid, sizeof(sid), "%u", id);
	ret = runner_run(r, argv, &cap, &res);
	st = res.status;
	run_result_release(&res);
	if (ret < 0)
		return ip_err_set(err, ret, "%s", ip_err_msg(&r->err));
	return st == 0;
}

/* `qm config ID` says "template: 1" */
static bool vm_is_template(struct runner *r, unsigned id)
{
	char sid[16];
	const char *argv[] = { "qm", "config", sid, NULL };
	struct run_opts cap = { .flags = RUN_CAPTURE };
	struct run_result res = { 0 };
	bool yes = false;

	snprintf(sid, sizeof(sid), "%u", id);
	if (runner_check(r, argv, &cap, &res) == 0 && res.out)
		yes = str_startswith(res.out, "template: 1") || strstr(res.out, "\ntemplate: 1");
	run_result_release(&res);
	return yes;
}

/* Undo this run's `qm create` (qm destroy also frees the VM's disks). */
static void vm_remove(const char *root, struct runner *r, unsigned id, bool dry)
{
	char sid[16];
	const char *argv[] = { "qm", "destroy", sid, NULL };
	struct run_opts slow = { .timeout_ms = 10 * 60 * 1000 };

	snprintf(sid, sizeof(sid), "%u", id);
	if (runner_check(r, argv, &slow, NULL) < 0) {
		ip_warn("could not remove VM %u that this first boot made: %s", id,
			ip_err_msg(&r->err));
		return;
	}
	ip_info("VM %u removed again (this first boot made it)", id);
	if (!dry)
		path_unlink(root, INST_FB_VM_STATE);
}

/* The id recorded by an earlier run, or 0 */
static unsigned recorded_id(const char *root)
{
	char buf[32];
	unsigned id;

	if (path_read_str(root, INST_FB_VM_STATE, buf, sizeof(buf)) < 0 ||
	    ip_strtouint(buf, 10, &id) < 0)
		return 0;
	return id;
}

static int record_id(const char *root, unsigned id)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%u\n", id);
	return path_write_file(root, INST_FB_VM_STATE, buf, strlen(buf), 0644);
}

#define VM_ID_TRIES 100

/*
 * Which id: the one an earlier run made (recorded in INST_FB_VM_STATE) if it
 * still exists; else the planned one, or, when a VM that this node did not
 * make has it, the next free one above. @exists: the VM is there already.
 */
static int pick_id(const struct inst_fb_conf *c, const char *root, struct runner *r,
		   unsigned *id, bool *exists, struct ip_err *err)
{
	unsigned rec = recorded_id(root);
	int ret;

	*exists = false;
	if (rec) {
		ret = vm_exists(r, rec, err);
		if (ret < 0)
			return ret;
		if (ret) {
			*id = rec;
			*exists = true;
			return 0;
		}
		ip_warn("VM %u that an earlier first boot made is gone: making it again", rec);
	}
	for (unsigned i = 0; i < VM_ID_TRIES && c->vmid + i <= 999999999u; i++) {
		ret = vm_exists(r, c->vmid + i, err);
		if (ret < 0)
			return ret;
		if (!ret) {
			*id = c->vmid + i;
			if (i)
				ip_warn("VM id %u is taken by a VM that ironpass did not make: "
					"the template gets id %u", c->vmid, *id);
			return 0;
		}
	}
	return ip_err_set(err, -EEXIST, "VM ids %u to %u are all taken: no id for the template",
			  c->vmid, c->vmid + VM_ID_TRIES - 1);
}

int inst_fb_make_vm(const struct inst_fb_conf *c, const char *root, struct runner *r, bool dry,
		    unsigned *made_id, struct strbuf *missing, struct ip_err *err)
{
	struct run_opts slow = { .timeout_ms = 15 * 60 * 1000 };
	struct inst_fb_conf at;
	char sid[16], **argv;
	const char *tmpl[] = { "qm", "template", sid, NULL };
	bool exists, created = false;
	unsigned id = 0;
	int ret;

	if (dry) {
		/* a dry runner's qm answers nothing: shown once, the id taken as free */
		id = recorded_id(root);
		if (!id)
			id = c->vmid;
		exists = false;
		ret = vm_exists(r, id, err);
	} else {
		ret = pick_id(c, root, r, &id, &exists, err);
	}
	if (ret < 0)
		return ret;
	*made_id = id;
	snprintf(sid, sizeof(sid), "%u", id);
	if (exists) {
		ip_info("VM %u exists already (an earlier first boot made it), not creating it "
			"again", id);
	} else {
		inst_fb_fetch_media(c, root, id, dry, missing);
		at = *c;
		at.vmid = id;
		argv = inst_fb_qm_create_argv(&at, root, err);
		if (!argv)
			return err->code;
		ip_info("creating VM %u", id);
		ret = runner_check(r, (const char *const *)argv, &slow, NULL);
		inst_fb_argv_free(argv);
		if (ret < 0) {
			ip_err_set(err, ret, "cannot create VM %u: %s", id, ip_err_msg(&r->err));
			/* qm create frees what it allocated; a half-made VM is removed */
			if (vm_exists(r, id, &(struct ip_err){ 0 }) == 1)
				vm_remove(root, r, id, dry);
			return ret;
		}
		created = true;
		ip_info("VM %u created", id);
		if (!dry && (ret = record_id(root, id)) < 0)
			ip_warn("cannot record VM %u in '%s': %s", id, INST_FB_VM_STATE,
				strerror(-ret));
	}
	if (!c->make_template || (exists && vm_is_template(r, id)))
		return 0;
	ret = runner_check(r, tmpl, &slow, NULL);
	if (ret < 0) {
		ip_err_set(err, ret, "cannot turn VM %u into a template: %s", id,
			   ip_err_msg(&r->err));
		if (created)
			vm_remove(root, r, id, dry);
		return ret;
	}
	ip_info("VM %u is now a template", id);
	return 0;
}
