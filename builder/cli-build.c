// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass build: option parsing and stage lines; the work is in bld-*.c. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bld.h"
#include "builder-cmds.h"
#include "cli.h"

static void usage(void)
{
	fputs("Usage:\n"
	      " ironpass build --profile FILE [options]\n"
	      "\n"
	      "Build a bootable hybrid ISO (BIOS + UEFI/Secure Boot, CD or USB) and a PXE tree.\n"
	      "\n"
	      "Options:\n"
	      " -p, --profile FILE    builder profile (profiles/*.toml)\n"
	      "     --pve-iso FILE    payload from an official Proxmox VE ISO\n"
	      "     --pve-repo        payload from the Proxmox VE apt repository\n"
	      "     --pool DIR        payload from a local pool directory (or a stand-in pool)\n"
	      "     --answer FILE     put an answer file into the seed initrd; a plain\n"
	      "                       root-password is sealed as a yescrypt hash, and the\n"
	      "                       seed, its PXE copies and the ISO are mode 0600\n"
	      "     --answer-token-file FILE\n"
	      "                       put the bearer token in FILE (one line) into the seed\n"
	      "                       initrd for the answer fetch (ironpass.answer=URL or\n"
	      "                       http); the seed, its PXE copies and the ISO are 0600\n"
	      "     --installer FILE  the ironpass-installer binary (default: beside ironpass)\n"
	      "     --overlay DIR     files laid over the live root (default: overlay)\n"
	      " -o, --output DIR      output directory (default: out)\n"
	      "     --cache DIR       cache directory (default: cache)\n"
	      "     --windows-iso FILE  carry a Windows 11 ISO for the VM template (on the\n"
	      "                       medium and in the PXE tree; the answer says\n"
	      "                       windows-iso = \"carried\")\n"
	      "     --virtio-iso FILE carry the virtio-win ISO (virtio-iso = \"carried\")\n"
	      "     --pxe-url URL     HTTP base the PXE tree is served from\n"
	      "                       (default http://10.0.2.2:8080, QEMU user networking)\n"
	      " -n, --dry-run         print each command instead of running it\n"
	      "     --json            print a machine-readable summary at the end\n"
	      " -v, --verbose         show the output of the tools\n"
	      " -h, --help            display this help\n"
	      "\n"
	      "SOURCE_DATE_EPOCH sets every time stamp (default 2024-01-01): the same inputs\n"
	      "give a byte-identical ISO.\n",
	      stdout);
}

struct cli_state {
	FILE *out;
	bool verbose;
};

static void on_stage(void *data, const char *stage, int event, double seconds,
		     const char *detail)
{
	struct cli_state *st = data;
	FILE *f = st->out;

	switch (event) {
	case BLD_EV_START:
		fprintf(f, "==> %s\n", stage);
		break;
	case BLD_EV_PROGRESS:
		fprintf(f, "    %s: %s\n", stage, detail);
		break;
	case BLD_EV_CACHED:
		fprintf(f, "    %s: cached %s\n", stage, detail);
		break;
	case BLD_EV_SKIPPED:
		fprintf(f, "    %s: skipped (%s)\n", stage, detail);
		break;
	case BLD_EV_DONE:
		fprintf(f, "    %s: done in %.1f s\n", stage, seconds);
		break;
	case BLD_EV_FAILED:
		fprintf(f, "    %s: FAILED after %.1f s\n", stage, seconds);
		break;
	}
	fflush(f);
}

static void on_argv(void *data, const char *const *argv, const struct run_opts *o)
{
	struct cli_state *st = data;
	char *s = runner_argv_str(argv);

	if (o && o->cwd)
		fprintf(st->out, "    + (in %s) %s\n", o->cwd, s ? s : "?");
	else
		fprintf(st->out, "    + %s\n", s ? s : "?");
	free(s);
}

/* ironpass-installer next to this program (both are built into one directory) */
static char *default_installer(void)
{
	char self[PATH_MAX], *slash, *path;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return NULL;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	if (asprintf(&path, "%s/ironpass-installer", self) < 0)
		return NULL;
	return path;
}

int cmd_build(int argc, char **argv)
{
	enum { OPT_PVE_ISO = 256, OPT_PVE_REPO, OPT_POOL, OPT_CACHE, OPT_JSON, OPT_ANSWER,
	       OPT_INSTALLER, OPT_OVERLAY, OPT_PXE_URL, OPT_WINDOWS_ISO, OPT_VIRTIO_ISO,
	       OPT_ANSWER_TOKEN_FILE };
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "pve-iso", required_argument, NULL, OPT_PVE_ISO },
		{ "pve-repo", no_argument, NULL, OPT_PVE_REPO },
		{ "pool", required_argument, NULL, OPT_POOL },
		{ "answer", required_argument, NULL, OPT_ANSWER },
		{ "answer-token-file", required_argument, NULL, OPT_ANSWER_TOKEN_FILE },
		{ "installer", required_argument, NULL, OPT_INSTALLER },
		{ "overlay", required_argument, NULL, OPT_OVERLAY },
		{ "output", required_argument, NULL, 'o' },
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "pxe-url", required_argument, NULL, OPT_PXE_URL },
		{ "windows-iso", required_argument, NULL, OPT_WINDOWS_ISO },
		{ "virtio-iso", required_argument, NULL, OPT_VIRTIO_ISO },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct answer_diags diags = { 0 };
	struct cli_state st = { .out = stdout };
	struct runner_sigsave sigs = { 0 };
	struct runner run;
	struct bld_ctx ctx;
	char *installer = NULL;
	int c, ret, n_src = 0;

	bld_ctx_init(&ctx);
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:o:nvh", opts, NULL)) != -1) {
		switch (c) {
		case 'p': ctx.profile_path = optarg; break;
		case OPT_PVE_ISO:
			ctx.payload_src = BLD_PAYLOAD_ISO; ctx.payload_arg = optarg; n_src++;
			break;
		case OPT_PVE_REPO: ctx.payload_src = BLD_PAYLOAD_REPO; n_src++; break;
		case OPT_POOL:
			ctx.payload_src = BLD_PAYLOAD_POOL; ctx.payload_arg = optarg; n_src++;
			break;
		case OPT_ANSWER: ctx.answer_path = optarg; break;
		case OPT_ANSWER_TOKEN_FILE: ctx.answer_token_path = optarg; break;
		case OPT_INSTALLER: ctx.installer_bin = optarg; break;
		case OPT_OVERLAY: ctx.overlay_dir = optarg; break;
		case 'o': ctx.outdir = optarg; break;
		case OPT_CACHE: ctx.cachedir = optarg; break;
		case OPT_PXE_URL: ctx.pxe_url = optarg; break;
		case OPT_WINDOWS_ISO: ctx.windows_iso = optarg; break;
		case OPT_VIRTIO_ISO: ctx.virtio_iso = optarg; break;
		case 'n': ctx.dry_run = true; break;
		case OPT_JSON: ctx.json = true; break;
		case 'v': ctx.verbose = true; break;
		case 'h': usage(); return 0;
		default: return cli_try_help("ironpass build");
		}
	}
	if (cli_no_more_args("ironpass build", argc, argv))
		return 2;
	if (!ctx.profile_path) {
		cli_error("ironpass build", "no profile given (--profile FILE)");
		return cli_try_help("ironpass build");
	}
	if (n_src > 1) {
		cli_error("ironpass build", "--pve-iso, --pve-repo and --pool are exclusive");
		return cli_try_help("ironpass build");
	}
	if (!ctx.installer_bin) {
		installer = default_installer();
		ctx.installer_bin = installer;
	}
	/* a wrong ISO or token file is refused now, not after an hour of building */
	if (ctx.answer_token_path) {
		char *token = NULL;

		if (bld_seed_token_read(&ctx, &token) < 0) {
			cli_error("ironpass build", "%s", ip_err_msg(&ctx.err));
			free(installer);
			return 1;
		}
		explicit_bzero(token, strlen(token));
		free(token);
	}
	if (bld_media_check(&ctx) < 0) {
		cli_error("ironpass build", "%s", ip_err_msg(&ctx.err));
		free(installer);
		return 1;
	}
	if (ctx.json)
		st.out = stderr;	/* stdout carries only the JSON summary */
	st.verbose = ctx.verbose;

	ret = bld_ctx_load_profile(&ctx, &diags);
	for (size_t i = 0; i < diags.len; i++) {
		char *s = answer_diag_str(&diags.items[i]);

		fprintf(stderr, "%s\n", s ? s : "out of memory");
		free(s);
	}
	answer_diags_release(&diags);
	if (ret < 0) {
		cli_error("ironpass build", "%s", ip_err_msg(&ctx.err));
		goto out;
	}
	if (ctx.dry_run)
		runner_dry_init(&run, on_argv, &st);
	else
		runner_spawn_init(&run);
	ctx.run = &run;
	ctx.on_stage = on_stage;
	ctx.on_stage_data = &st;

	/* Ctrl-C, SIGTERM, SIGHUP: stop the running tool's process group, not only us */
	runner_interrupt_reset();
	runner_signals_catch(&sigs, true);
	ret = bld_run(&ctx);
	runner_interrupt_ack();		/* what follows may run commands again */
	if (ctx.json) {
		char *js = bld_summary_json(&ctx, ret);

		if (js)
			printf("%s\n", js);
		free(js);
	}
	if (ret < 0) {
		cli_error("ironpass build", "%s", ip_err_msg(&ctx.err));
	} else if (!ctx.json) {
		printf("\nISO:  %s%s\n", ctx.iso, ctx.dry_run ? " (dry run: not written)" : "");
		if (ctx.pxe_dir[0])
			printf("PXE:  %s\n", ctx.pxe_dir);
		printf("Boot it in QEMU:  make run-qemu ISO=%s\n", ctx.iso);
		printf("Write it to a USB stick:  dd if=%s of=/dev/sdX bs=4M conv=fsync\n",
		       ctx.iso);
		printf("total %.1f s\n", ctx.total_seconds);
	}
out:
	bld_ctx_release(&ctx);
	free(installer);
	runner_signals_restore(&sigs);
	if (runner_interrupted())
		return 128 + runner_interrupted();
	return ret < 0 ? 1 : 0;
}
