// SPDX-License-Identifier: GPL-2.0-or-later
/* The Windows 11 VM template through qm (design §7): qm create, then qm template. */
#include <errno.h>
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

/* "local:iso/X.iso,media=cdrom" whose file is missing → "none,media=cdrom" */
static char *cdrom_value(const char *v, const char *root)
{
	char file[512];
	size_t n = strcspn(v, ",");

	if (!str_startswith(v, "local:iso/") || n <= 10 || n - 10 >= 256)
		return strdup(v);
	snprintf(file, sizeof(file), "%s/%.*s", INST_FB_ISO_DIR, (int)(n - 10), v + 10);
	if (strstr(file, "..") || path_exists(root, file))
		return strdup(v);
	ip_warn("ISO '%.*s' is not on the node yet: the VM gets an empty CD drive, add it later",
		(int)n, v);
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

int inst_fb_make_vm(const struct inst_fb_conf *c, const char *root, struct runner *r,
		    struct ip_err *err)
{
	struct run_opts slow = { .timeout_ms = 15 * 60 * 1000 };
	char id[16], **argv;
	const char *status[] = { "qm", "status", id, NULL };
	const char *tmpl[] = { "qm", "template", id, NULL };
	const char *config[] = { "qm", "config", id, NULL };
	struct run_opts cap = { .flags = RUN_CAPTURE };
	struct run_result res = { 0 };
	bool is_template = false;
	int ret, st;

	snprintf(id, sizeof(id), "%u", c->vmid);
	ret = runner_run(r, status, NULL, &res);
	st = res.status;
	run_result_release(&res);
	if (ret < 0)
		return ip_err_set(err, ret, "%s", ip_err_msg(&r->err));
	if (st == 0) {
		ip_info("VM %u exists already, not creating it again", c->vmid);
		if (runner_check(r, config, &cap, &res) == 0 && res.out)
			is_template = str_startswith(res.out, "template: 1") ||
				      strstr(res.out, "\ntemplate: 1");
		run_result_release(&res);
	} else {
		argv = inst_fb_qm_create_argv(c, root, err);
		if (!argv)
			return err->code;
		ret = runner_check(r, (const char *const *)argv, &slow, NULL);
		inst_fb_argv_free(argv);
		if (ret < 0)
			return ip_err_set(err, ret, "cannot create VM %u: %s", c->vmid,
					  ip_err_msg(&r->err));
		ip_info("VM %u created", c->vmid);
	}
	if (!c->make_template || is_template)
		return 0;
	ret = runner_check(r, tmpl, &slow, NULL);
	if (ret < 0)
		return ip_err_set(err, ret, "cannot turn VM %u into a template: %s", c->vmid,
				  ip_err_msg(&r->err));
	ip_info("VM %u is now a template", c->vmid);
	return 0;
}
