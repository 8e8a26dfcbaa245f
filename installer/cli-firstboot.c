// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass-installer firstboot: the one-time work on the installed node's first boot. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"
#include "firstboot/inst-firstboot.h"
#include "installer-cmds.h"
#include "log.h"
#include "path.h"
#include "util.h"

#define PROG "ironpass-installer"

static void firstboot_usage(void)
{
	fputs("\nUsage:\n " PROG " firstboot [options]\n\n"
	      "Run once on the installed node's first boot (ironpass-firstboot.service):\n"
	      "wait for pve-cluster, create the Windows 11 VM template with qm, run the\n"
	      "answer's first-boot hook, then record " INST_FB_DONE ".\n"
	      "A second run does nothing.\n\n"
	      "Options:\n"
	      "     --root <dir>     the node's root (default /)\n"
	      "     --wait <sec>     how long to wait for pve-cluster (default: configured)\n"
	      "     --dry-run        print each command instead of running it; nothing on\n"
	      "                      the node changes (no marker, the staged key stays)\n"
	      " -h, --help           display this help\n\n"
	      "Log: " INST_FB_LOG " (and the journal).\n"
	      "For more details see " PROG "(8).\n", stdout);
}

static FILE *fb_log;

static void fb_sink(void *data, int prio, const char *file, int line, const char *func,
		    const char *msg)
{
	ip_log_stderr(data, prio, file, line, func, msg);
	if (fb_log) {
		time_t t = time(NULL);
		struct tm tm;
		char ts[32];

		gmtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(fb_log, "%s %s\n", ts, msg);
		fflush(fb_log);
	}
}

static void fb_dry(void *data, const char *const *argv, const struct run_opts *o)
{
	char *s = runner_argv_str(argv);

	(void)data;
	(void)o;
	printf("%s\n", s ? s : "");
	free(s);
}

int cmd_firstboot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "wait", required_argument, NULL, 'w' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct inst_fb_run_opts o = { .pve_wait_s = -1 };
	const char *root = "";
	struct ip_err err = { 0 };
	struct runner_sigsave sigs;
	struct runner r;
	char logpath[PATH_MAX];
	bool dry = false;
	unsigned w;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			root = optarg;
			break;
		case 'w':
			if (ip_strtouint(optarg, 10, &w) < 0 || w > 86400)
				return cli_error(PROG, "invalid --wait '%s'", optarg);
			o.pve_wait_s = (int)w;
			break;
		case 'n':
			dry = o.dry_run = true;
			break;
		case 'h':
			firstboot_usage();
			return 0;
		default:
			return cli_try_help(PROG);
		}
	}
	if (cli_no_more_args(PROG, argc, argv))
		return 2;
	if (dry)
		runner_dry_init(&r, fb_dry, NULL);
	else
		runner_spawn_init(&r);
	if (!dry && path_mkdirs(root, "/var/log/ironpass", 0755) == 0 &&
	    path_join(logpath, sizeof(logpath), root, INST_FB_LOG) == 0)
		fb_log = fopen(logpath, "ae");
	ip_log_set_sink(fb_sink, NULL);
	/* SIGTERM, SIGINT, SIGHUP: stop the running qm or hook with its process group */
	runner_interrupt_reset();
	runner_signals_catch(&sigs, true);
	ret = inst_firstboot_run(root, &r, &o, &err);
	runner_signals_restore(&sigs);
	ip_log_set_sink(ip_log_stderr, NULL);
	if (ret < 0 && fb_log)
		fprintf(fb_log, "failed: %s\n", ip_err_msg(&err));
	if (fb_log)
		fclose(fb_log);
	fb_log = NULL;
	if (ret < 0) {
		cli_error(PROG, "%s", ip_err_msg(&err));
		return runner_interrupted() ? 128 + runner_interrupted() : 1;
	}
	return 0;
}
