// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ironpass-installer passthrough: the plan on a host that already runs
 * Proxmox VE (issue 12): --dry-run shows it, --apply writes it with a backup,
 * --undo puts the backup back. The work is in installer/host/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer.h"
#include "cli.h"
#include "detect/hw.h"
#include "host/host.h"
#include "installer-cmds.h"
#include "log.h"
#include "plan/plan.h"

#define PROG "ironpass-installer"

static void passthrough_usage(void)
{
	fputs("\nUsage:\n " PROG " passthrough --dry-run|--apply|--undo[=<time>] [options]\n\n"
	      "Isolate the GPU on a host that already runs Proxmox VE: the plan (as\n"
	      "'" PROG " plan' makes it) written where this host's boot loader reads it:\n"
	      "/etc/kernel/cmdline (proxmox-boot-tool with systemd-boot) or\n"
	      INST_GRUB_DROPIN " (GRUB), plus the vfio files; then\n"
	      "update-initramfs -u -k all and proxmox-boot-tool refresh or update-grub.\n\n"
	      "Modes:\n"
	      "     --dry-run        show each file's change and each command; change nothing\n"
	      "     --apply          back up what changes, write it, run the refresh\n"
	      "     --undo[=<time>]  restore the newest backup not yet restored (or the one\n"
	      "                      made at <time>, YYYYmmddTHHMMSSZ), then the refresh\n"
	      "     --backup <dir>   restore the backup in <dir> (implies --undo)\n\n"
	      "Options:\n"
	      "     --sysroot <dir>  the host's files under <dir> (default /): /sys, /proc,\n"
	      "                      /etc and " HOST_BACKUP_DIR "; commands still run here\n"
	      "     --answer <file>  take [passthrough] and [vm-template] from an answer file\n"
	      "     --force          --undo: restore files changed since the apply too, or a\n"
	      "                      backup that was restored already\n"
	      "     --json           print the result as one JSON object\n"
	      " -h, --help           display this help\n\n"
	      "Backups: " HOST_BACKUP_DIR "/<time>/ (the files and manifest.json).\n"
	      "Exit status: 0 done (or nothing to change), 3 plan refused (the reasons are\n"
	      "printed), 1 error, 2 usage error.\n"
	      "For more details see " PROG "(8).\n", stdout);
}

static void print_argv(const char *head, const char *const *argv)
{
	char *s = runner_argv_str(argv);

	printf("%s%s\n", head, s ? s : "");
	free(s);
}

static void print_file(const struct host_result *r, const struct host_file *f)
{
	static const char *const done[] = {
		[HOST_KEEP] = "unchanged", [HOST_CREATE] = "created", [HOST_CHANGE] = "changed",
		[HOST_RESTORE] = "restored", [HOST_REMOVE] = "removed",
	};
	static const char *const would[] = {
		[HOST_KEEP] = "unchanged", [HOST_CREATE] = "would create",
		[HOST_CHANGE] = "would change", [HOST_RESTORE] = "would restore",
		[HOST_REMOVE] = "would remove",
	};
	const char *before, *after;
	size_t blen, alen;
	char *diff;

	host_file_sides(r, f, &before, &blen, &after, &alen);
	if (r->mode != HOST_DRY_RUN || f->action == HOST_KEEP) {
		printf("%s %s%s\n", done[f->action], f->path,
		       f->modified ? " (changed since the apply)" : "");
		return;
	}
	if (f->action == HOST_CREATE)
		printf("%s %s (%zu bytes, mode %04o)\n", would[f->action], f->path, alen,
		       (unsigned)f->mode);
	else
		printf("%s %s (%zu -> %zu bytes)\n", would[f->action], f->path, blen, alen);
	diff = host_diff_text(before, after);
	printf("--- %s\n+++ %s\n%s", before ? f->path : "/dev/null", f->path,
	       diff ? diff : "");
	free(diff);
}

static void print_text(const struct host_result *r)
{
	const char *ran = r->mode == HOST_DRY_RUN ? "would run: " : "ran: ";

	if (r->boot.kind != INST_BOOT_UNDECIDED)
		printf("boot loader: %s: %s\n", inst_cfg_boot_name(r->boot.kind), r->boot.why);
	if (r->backup[0])
		printf("backup: %s\n", r->backup_dir);
	for (size_t i = 0; r->mode != HOST_UNDO && i < r->n_dirs; i++)
		printf("%s %s\n", r->mode == HOST_DRY_RUN ? "would create directory"
			: "created directory", r->dirs[i]);
	for (size_t i = 0; i < r->n_files; i++)
		print_file(r, &r->files[i]);
	for (size_t i = r->n_dirs; r->mode == HOST_UNDO && i-- > 0;)
		printf("removed directory %s (if empty)\n", r->dirs[i]);
	for (size_t i = 0; i < r->n_cmds; i++)
		print_argv(ran, r->cmds[i]);
	if (r->mode == HOST_DRY_RUN)
		puts(r->changed ? "dry run: nothing was changed; --apply does the above"
				: "nothing to change: the configuration is in place already");
	else if (r->mode == HOST_APPLY && !r->changed)
		puts("nothing to change: the configuration is in place already (no backup made)");
	else if (r->mode == HOST_APPLY)
		puts("done: reboot to start with the GPU on vfio-pci (undo: " PROG
		     " passthrough --undo)");
	else
		printf("done: backup %s restored%s\n", r->backup,
		       r->changed ? "; reboot to start without the passthrough configuration"
				  : " (every file was as before already)");
}

static int finish(const struct host_result *r, const struct plan *p, bool json,
		  const struct ip_err *err, int status)
{
	if (json) {
		char *out = host_result_json(r, p, status == 3 ? "the passthrough plan was refused"
						   : status ? ip_err_msg(err) : NULL);

		if (!out)
			return cli_error(PROG, "cannot print the result: out of memory");
		printf("%s\n", out);
		free(out);
	} else if (!status) {
		print_text(r);
	}
	if (status == 3) {
		fprintf(stderr, "%s: the passthrough plan was refused:\n", PROG);
		for (size_t i = 0; i < p->n_refusals; i++)
			fprintf(stderr, "  %s\n", p->refusals[i]);
	} else if (status) {
		cli_error(PROG, "%s", ip_err_msg(err));
		if (r->mode == HOST_APPLY && r->backup[0])
			fprintf(stderr, "%s: what was written is in the backup %s: " PROG
				" passthrough --undo restores it\n", PROG, r->backup);
	}
	return status;
}

static int run_plan(struct host_ctx *ctx, struct host_result *r, enum host_mode mode,
		    const char *answer_path, bool json)
{
	struct answer *a = NULL;
	struct plan plan = { 0 };
	struct hw hw;
	int ret;

	if (cli_plan_make(ctx->sysroot, answer_path, &hw, &plan, &a))
		return 1;
	ctx->hw = &hw;
	r->mode = mode;
	if (!plan.plan_ok)
		ret = finish(r, &plan, json, &ctx->err, 3);
	else if ((mode == HOST_APPLY ? host_apply(ctx, &plan, r) : host_dry_run(ctx, &plan, r)) < 0)
		ret = finish(r, &plan, json, &ctx->err, 1);
	else
		ret = finish(r, &plan, json, &ctx->err, 0);
	plan_release(&plan);
	hw_release(&hw);
	answer_free(a);
	return ret;
}

int cmd_passthrough(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "apply", no_argument, NULL, 'A' },
		{ "undo", optional_argument, NULL, 'U' },
		{ "backup", required_argument, NULL, 'B' },
		{ "force", no_argument, NULL, 'f' },
		{ "sysroot", required_argument, NULL, 'S' },
		{ "answer", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct host_undo_opts undo = { 0 };
	struct host_result r = { 0 };
	struct host_ctx ctx = { 0 };
	const char *answer_path = NULL;
	struct runner runner;
	int c, modes = 0, ret;
	enum host_mode mode = HOST_DRY_RUN;
	bool json = false;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': mode = HOST_DRY_RUN; modes |= 1; break;
		case 'A': mode = HOST_APPLY; modes |= 2; break;
		case 'U': mode = HOST_UNDO; modes |= 4; undo.name = optarg; break;
		case 'B': mode = HOST_UNDO; modes |= 4; undo.dir = optarg; break;
		case 'f': undo.force = true; break;
		case 'S': ctx.sysroot = optarg; break;
		case 'a': answer_path = optarg; break;
		case 'j': json = true; break;
		case 'h':
			passthrough_usage();
			return 0;
		default:
			return cli_try_help(PROG);
		}
	}
	if (cli_no_more_args(PROG, argc, argv))
		return 2;
	if (modes != 1 && modes != 2 && modes != 4) {
		fprintf(stderr, "%s: passthrough needs one of --dry-run, --apply, --undo\n", PROG);
		return cli_try_help(PROG);
	}
	if ((undo.force && mode != HOST_UNDO) || (answer_path && mode == HOST_UNDO) ||
	    (undo.name && undo.dir)) {
		fprintf(stderr, "%s: --force goes with --undo only, --answer not with it, and "
			"--undo=<time> not with --backup\n", PROG);
		return cli_try_help(PROG);
	}
	ip_log_set_sink(ip_log_stderr, NULL);
	ip_log_set_level(LOG_WARNING);
	runner_spawn_init(&runner);
	ctx.root = ctx.sysroot;
	ctx.runner = &runner;
	ctx.now = time(NULL);
	if (mode != HOST_UNDO)
		ret = run_plan(&ctx, &r, mode, answer_path, json);
	else
		ret = finish(&r, NULL, json, &ctx.err, host_undo(&ctx, &undo, &r) < 0 ? 1 : 0);
	host_result_release(&r);
	return ret;
}
