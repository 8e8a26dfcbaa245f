// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass-installer template: the Windows 11 passthrough VM template on a running Proxmox VE host. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "cli.h"
#include "detect/hw.h"
#include "firstboot/inst-firstboot.h"
#include "install/inst.h"
#include "installer-cmds.h"
#include "log.h"
#include "path.h"
#include "plan/plan.h"
#include "runner.h"

#define PROG "ironpass-installer"

static void template_usage(void)
{
	fputs("\nUsage:\n " PROG " template --dry-run | --apply [options]\n\n"
	      "Make the Windows 11 passthrough VM template on a host that already runs\n"
	      "Proxmox VE: detect and plan as `plan` does, then qm create and qm template,\n"
	      "the same commands the first boot of an ironpass install runs. The disks go\n"
	      "to [vm-template] storage, else to the first storage in /etc/pve/storage.cfg\n"
	      "that takes VM images. An id taken by another VM is left alone: the next free\n"
	      "one is used.\n\n"
	      "Options:\n"
	      "     --dry-run        print each qm command, as `would run: qm …`; change nothing\n"
	      "     --apply          run them (on this host: not with --sysroot)\n"
	      "     --sysroot <dir>  read /sys, /proc and /etc/pve under <dir> (default /)\n"
	      "     --answer <file>  take [passthrough] and [vm-template] from an answer file\n"
	      " -h, --help           display this help\n\n"
	      "Exit status: 0 done (or shown), 3 the plan was refused, 1 error, 2 usage error.\n"
	      "For more details see " PROG "(8) and docs/vm-template.md.\n", stdout);
}

static void show_dry(void *data, const char *const *argv, const struct run_opts *o)
{
	char *s = runner_argv_show(argv, o);

	(void)data;
	printf("would run: %s\n", s ? s : "");
	free(s);
}

/* the plan's disks go to the host's storage unless the answer named one */
static int host_storage(const char *root, const struct plan_vm *vm, struct inst_fb_conf *c,
			struct ip_err *err)
{
	char id[64];
	int ret;

	if (!vm->storage_auto || !vm->storage)
		return 0;
	ret = inst_fb_host_storage(root, id, sizeof(id), err);
	if (ret < 0)
		return ret;
	ip_info("vm: disks on storage '%s' (the first in storage.cfg that takes VM images)", id);
	if (strcmp(id, vm->storage) && inst_fb_conf_storage(c, vm->storage, id) < 0)
		return ip_err_set(err, -ENOMEM, "out of memory");
	return 0;
}

/*
 * The answer ISO (autounattend.xml) into the host's ISO storage, as the
 * install makes it; without it the VM gets no ide1.
 */
static void answer_iso(const char *root, const struct answer *a, const struct plan *plan,
		       struct runner *r, bool apply, struct inst_fb_conf *c)
{
	struct inst_ctx ctx = { .sysroot = root, .target = root, .answer = a, .plan = plan,
				.runner = r };
	const char *ide1 = inst_fb_conf_get(c, "ide1");

	if (!ide1)
		return;
	if (!apply) {
		printf("would write: the Windows answer ISO for %.*s\n",
		       (int)strcspn(ide1, ","), ide1);
		return;
	}
	if (inst_fb_unattend_iso(&ctx, ide1) < 0)
		ip_warn("%s: the VM gets no answer ISO", ip_err_msg(&ctx.err));
}

static int make_template(const char *root, const struct answer *a, const struct plan *plan,
			 bool apply, struct ip_err *err)
{
	struct inst_fb_conf c;
	struct runner r;
	unsigned id = 0;
	int ret;

	ret = inst_fb_conf_from_plan(&c, &plan->vm, err);
	if (ret < 0)
		return ret;
	ret = host_storage(root, &plan->vm, &c, err);
	if (ret < 0)
		goto out;
	if (apply && !path_exists(root, INST_FB_PVE_READY)) {
		ret = ip_err_set(err, -EAGAIN, "pve-cluster is not running ('%s' is missing): "
				 "start it, then try again", INST_FB_PVE_READY);
		goto out;
	}
	if (apply)
		runner_spawn_init(&r);
	else
		runner_dry_init(&r, show_dry, NULL);
	answer_iso(root, a, plan, &r, apply, &c);
	ret = inst_fb_make_vm(&c, root, &r, !apply, &id, NULL, err);
	if (ret == 0 && apply)
		printf("VM %u is the Windows 11 passthrough template\n", id);
out:
	inst_fb_conf_release(&c);
	return ret;
}

int cmd_template(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "apply", no_argument, NULL, 'A' },
		{ "sysroot", required_argument, NULL, 'S' },
		{ "answer", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sysroot = NULL, *answer_path = NULL;
	struct answer *a = NULL;
	struct ip_err err = { 0 };
	struct plan plan = { 0 };
	int mode = 0, c, ret = 1;
	struct hw hw;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
		case 'A':
			if (mode && mode != c)
				return cli_error(PROG, "--dry-run and --apply exclude each other"), 2;
			mode = c;
			break;
		case 'S':
			sysroot = optarg;
			break;
		case 'a':
			answer_path = optarg;
			break;
		case 'h':
			template_usage();
			return 0;
		default:
			return cli_try_help(PROG);
		}
	}
	if (cli_no_more_args(PROG, argc, argv))
		return 2;
	if (!mode) {
		cli_error(PROG, "template: say --dry-run (show the qm commands) or --apply (run them)");
		return 2;
	}
	if (mode == 'A' && sysroot && strcmp(sysroot, "/")) {
		cli_error(PROG, "template --apply runs qm on this host: it does not take --sysroot");
		return 2;
	}
	if (cli_plan_make(sysroot, answer_path, &hw, &plan, &a))
		return 1;
	if (!plan.plan_ok) {
		for (size_t i = 0; i < plan.n_refusals; i++)
			fprintf(stderr, "%s: plan refused: %s\n", PROG, plan.refusals[i]);
		ret = 3;
		goto out_plan;
	}
	if (!plan.vm.enabled) {
		cli_error(PROG, "the answer turns the VM template off ([vm-template] enabled = false)");
		goto out_plan;
	}
	if (make_template(sysroot ? sysroot : "", a, &plan, mode == 'A', &err) < 0)
		cli_error(PROG, "%s", ip_err_msg(&err));
	else
		ret = 0;
out_plan:
	plan_release(&plan);
	hw_release(&hw);
	answer_free(a);
	return ret;
}
