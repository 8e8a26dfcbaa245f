// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass-installer plan: decide which GPU to isolate and how (design §5, §6, §7). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "answer.h"
#include "cli.h"
#include "detect/hw.h"
#include "installer-cmds.h"
#include "plan/plan.h"

#define PROG "ironpass-installer"

static void plan_usage(void)
{
	fputs("\nUsage:\n " PROG " plan [options]\n\n"
	      "Decide how to isolate this machine's GPU for passthrough: which devices,\n"
	      "the kernel command line, the vfio-pci configuration files and the VM\n"
	      "template values. Reads only; writes nothing.\n\n"
	      "Options:\n"
	      "     --sysroot <dir>  read /sys and /proc under <dir> (default /)\n"
	      "     --answer <file>  take [passthrough] and [vm-template] from an answer file\n"
	      "                      (default: gpu = \"auto\", iommu-pt = true)\n"
	      "     --json           print the whole plan as JSON\n"
	      " -h, --help           display this help\n\n"
	      "Exit status: 0 plan ready, 3 plan refused (the reasons are printed),\n"
	      "1 error, 2 usage error.\n"
	      "For more details see " PROG "(8).\n", stdout);
}

static int load_answer(const char *path, struct answer **a)
{
	struct answer_diags diags = { 0 };
	int ret = answer_load(path, ANSWER_PARTIAL, a, &diags);

	for (size_t i = 0; i < diags.len; i++) {
		char *s = answer_diag_str(&diags.items[i]);

		if (s)
			fprintf(stderr, "%s: %s\n", PROG, s);
		free(s);
	}
	if (ret < 0 && !diags.n_errors)
		cli_error(PROG, "cannot load '%s'", path);
	answer_diags_release(&diags);
	return ret;
}

int cli_plan_make(const char *sysroot, const char *answer_path, struct hw *hw,
		  struct plan *plan, struct answer **a)
{
	struct answer_passthrough pt;
	struct answer_vm_template vm;
	struct ip_err err = { 0 };

	*a = NULL;
	plan_default_policy(&pt, &vm);
	if (answer_path) {
		if (load_answer(answer_path, a) < 0)
			return 1;
		if ((*a)->has_passthrough)
			pt = (*a)->passthrough;
		if ((*a)->has_vm_template)
			vm = (*a)->vm;
	}
	if (hw_detect(sysroot, hw, &err) < 0) {
		cli_error(PROG, "%s", ip_err_msg(&err));
		goto out_answer;
	}
	if (plan_build(hw, &pt, &vm, plan, &err) < 0) {
		cli_error(PROG, "%s", ip_err_msg(&err));
		goto out_plan;
	}
	return 0;
out_plan:
	plan_release(plan);
	hw_release(hw);
out_answer:
	answer_free(*a);
	*a = NULL;
	return 1;
}

int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sysroot", required_argument, NULL, 'S' },
		{ "answer", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sysroot = NULL, *answer_path = NULL;
	struct answer *a = NULL;
	struct plan plan = { 0 };
	struct hw hw;
	bool json = false;
	char *out;
	int c, ret = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			sysroot = optarg;
			break;
		case 'a':
			answer_path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			plan_usage();
			return 0;
		default:
			return cli_try_help(PROG);
		}
	}
	if (cli_no_more_args(PROG, argc, argv))
		return 2;
	if (cli_plan_make(sysroot, answer_path, &hw, &plan, &a))
		return 1;
	out = json ? plan_to_json(&plan) : plan_to_text(&plan);
	if (!out) {
		cli_error(PROG, "cannot print the plan: out of memory");
		goto out_plan;
	}
	fputs(out, stdout);
	if (json)
		fputc('\n', stdout);
	free(out);
	ret = plan.plan_ok ? 0 : 3;
out_plan:
	plan_release(&plan);
	hw_release(&hw);
	answer_free(a);
	return ret;
}
