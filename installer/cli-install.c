// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ironpass-installer install: put Proxmox VE on a disk (issue 5). Also the
 * install branch of `start`. Prints step lines as they happen; on screen it
 * drives dialog(1); at the end it reboots or powers off as the answer asks.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "install/inst-claim.h"
#include "install/inst-session.h"
#include "installer-cmds.h"
#include "log.h"
#include "path.h"
#include "runner.h"
#include "ui/ui-dialog.h"

#define PROG "ironpass-installer"

static void install_usage(void)
{
	fputs("\nUsage:\n " PROG " install [options]\n\n"
	      "Install Proxmox VE onto a disk with IOMMU and vfio configured. Without an\n"
	      "answer file the questions are asked on screen (dialog).\n\n"
	      "Options:\n"
	      " -a, --answer <file>   use this answer file (skips the search)\n"
	      "     --auto            unattended: never ask; an answer file is required\n"
	      "     --payload <dir>   payload directory (manifest.json, base.tar.zst, pool/)\n"
	      "     --target <dir>    where to mount the new root (default /target)\n"
	      "     --sysroot <dir>   read /sys, /proc and /dev under <dir> (default /)\n"
	      " -n, --dry-run         print each command instead of running it\n"
	      "     --no-reboot       do not reboot or power off at the end\n"
	      " -h, --help            display this help\n\n"
	      "Answer sources, first match wins: ironpass.answer= on the kernel command line\n"
	      "(URL, http to find the URL in DHCP options 250/251 or DNS TXT records, or\n"
	      "label:NAME), a partition labelled IRONPASS or PROXMOX-AIS, answer.toml on the\n"
	      "boot medium, the image's seed (with ironpass.auto). When a required answer\n"
	      "cannot be had, no disk is touched and the machine powers off.\n\n"
	      "For more details see ironpass-installer(8).\n", stdout);
}

static void console_sink(void *data, int prio, const char *file, int line, const char *func,
			 const char *msg)
{
	struct timespec ts;

	(void)data;
	if (prio >= LOG_DEBUG) {
		fprintf(stderr, "%s:%d:%s: %s\n", file, line, func, msg);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(stderr, "[%02ld:%02ld:%02ld] %s%s\n", (long)(ts.tv_sec / 3600 % 24),
		(long)(ts.tv_sec / 60 % 60), (long)(ts.tv_sec % 60),
		prio <= LOG_ERR ? "error: " : prio == LOG_WARNING ? "warning: " : "", msg);
}

static void dry_print(void *data, const char *const *argv, const struct run_opts *o)
{
	char *s = runner_argv_str(argv);

	(void)data;
	fprintf(stderr, "would run: %s%s\n", s ? s : "?", o && o->input ? " <<stdin" : "");
	free(s);
}

/*
 * Another console is installing: show its log here (from the live log file)
 * until it lets go of the lock, then how it ended, so that every console,
 * the serial one included, sees the step lines and the outcome.
 */
static void follow_other(struct inst_claim *claim)
{
	struct ip_err err = { 0 };
	char line[512], *log = NULL;
	size_t len = 0;
	int ret;

	if (claim->owner[0])
		printf("%s: installing on %s; its log follows\n", PROG, claim->owner);
	else
		printf("%s: the installer is running on another console; its log follows\n",
		       PROG);
	fflush(stdout);
	while ((ret = inst_claim_follow(claim, STDOUT_FILENO, &err)) == 0)
		usleep(INST_CLAIM_POLL_MS * 1000);
	if (ret < 0) {
		cli_error(PROG, "%s", ip_err_msg(&err));
		return;
	}
	if (path_read_all(claim->sysroot, INST_LIVE_LOG, 16u << 20, &log, &len) == 0 &&
	    inst_claim_outcome(log, len, line, sizeof(line)) == 0)
		printf("%s: the install on %s has ended: %s\n", PROG,
		       claim->owner[0] ? claim->owner : "the other console", line);
	else
		printf("%s: the installer on %s stopped without a result; see "
		       INST_LIVE_LOG "\n", PROG,
		       claim->owner[0] ? claim->owner : "the other console");
	free(log);
	fflush(stdout);
}

/*
 * Which console installs. Interactive (co->wait_enter): every console asks
 * for Enter and the first one pressed wins; unattended: the first to start.
 * INST_CLAIM_MINE with the lock held, INST_CLAIM_OTHER after following the
 * other console's install, or -errno with *err saying why.
 */
static int claim_console(const struct cli_install_opts *co, struct inst_claim *claim,
			 struct ip_err *err)
{
	const char *console = co->console;
	int ret;

	if (!console && isatty(STDIN_FILENO))
		console = ttyname(STDIN_FILENO);
	ret = inst_claim_init(claim, co->sysroot, console, err);
	if (ret < 0)
		return ret;
	if (co->wait_enter && !co->automatic) {
		/* started after another console claimed: no prompt, follow at once */
		ret = inst_claim_poll(claim, -1, 0, err);
		if (ret == INST_CLAIM_WAITING) {
			printf("\n%s: press Enter to install from this console (%s)\n", PROG,
			       claim->console);
			fflush(stdout);
		}
		while (ret == INST_CLAIM_WAITING)
			ret = inst_claim_poll(claim, STDIN_FILENO, INST_CLAIM_POLL_MS, err);
	} else {
		ret = inst_claim_try(claim, err);
	}
	if (ret == INST_CLAIM_OTHER)
		follow_other(claim);
	return ret;
}

/* A line for this console and for the live log (which other consoles follow). */
static void announce(const char *sysroot, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void announce(const char *sysroot, const char *fmt, ...)
{
	char path[PATH_MAX], line[IP_ERR_MSG_MAX + 256];
	va_list ap;
	int fd;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("%s\n", line);
	fflush(stdout);
	if (path_join(path, sizeof(path), sysroot, INST_LIVE_LOG) < 0)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd >= 0) {
		dprintf(fd, "%s\n", line);
		close(fd);
	}
}

/* The end of an install: say so on every console, sync, power off or reboot. */
static void shut_down(const struct cli_install_opts *co, struct runner *runner, bool power_off)
{
	if (co->no_reboot || co->dry_run)
		return;
	announce(co->sysroot, "%s: %s", PROG, power_off ? "powering off" : "rebooting");
	sync();
	runner_run(runner, (const char *const[]){ "systemctl", power_off ? "poweroff" : "reboot",
						  NULL }, NULL, NULL);
}

static void failure_screen(struct ui *ui, const struct inst_session_result *res,
			   const struct ip_err *err)
{
	char text[8192];

	snprintf(text, sizeof(text),
		 "The installation failed%s%s%s.\n\n%s\n\nOpen a shell? The full log is in "
		 INST_LIVE_LOG ".\n\nLast log lines:\n%s",
		 res->failed_step ? " at step '" : "", res->failed_step ? res->failed_step : "",
		 res->failed_step ? "'" : "", ip_err_msg(err),
		 res->log_tail ? res->log_tail : "");
	if (ui->yesno(ui, "Installation failed", text, true) == UI_OK) {
		fflush(NULL);
		execl("/bin/bash", "bash", "-l", (char *)NULL);
	}
}

int cli_install_run(const struct cli_install_opts *co)
{
	struct inst_session_opts o = {
		.sysroot = co->sysroot,
		.target = co->target,
		.payload_dir = co->payload,
		.answer_file = co->answer,
		.automatic = co->automatic,
		.dry_run = co->dry_run,
		.serial_console = co->serial_console,
	};
	struct inst_session_result res;
	struct ip_err err = { 0 };
	struct ui_dialog dialog;
	struct runner runner;
	struct ui ui;
	struct inst_claim claim;
	int ret;

	if (co->dry_run)
		runner_dry_init(&runner, dry_print, NULL);
	else
		runner_spawn_init(&runner);
	o.runner = &runner;
	if (!co->automatic && isatty(0)) {
		struct runner *screen = &runner;
		static struct runner real;

		/* dialog must really run even in a dry run */
		if (co->dry_run) {
			runner_spawn_init(&real);
			screen = &real;
		}
		ui_dialog_init(&ui, &dialog, screen, "ironpass — Proxmox VE with GPU passthrough");
		o.ui = &ui;
	}
	ret = claim_console(co, &claim, &err);
	if (ret != INST_CLAIM_MINE) {
		inst_claim_release(&claim);
		return ret < 0 ? cli_error(PROG, "%s", ip_err_msg(&err)) : 0;
	}
	ip_log_set_sink(console_sink, NULL);
	printf("%s: install started\n", PROG);
	fflush(stdout);
	ret = inst_session_run(&o, &res, &err);
	fflush(stderr);
	if (ret < 0) {
		announce(co->sysroot, "%s: install failed%s%s%s: %s", PROG,
			 res.failed_step ? " at step '" : "",
			 res.failed_step ? res.failed_step : "", res.failed_step ? "'" : "",
			 ip_err_msg(&err));
		/* the other consoles show the outcome now, not after the failure screen */
		inst_claim_release(&claim);
		/* stopped by a signal: no failure screen, no reboot; 128 + N like a shell */
		ret = res.signal ? 128 + res.signal : 1;
		if (!res.signal && res.no_answer) {
			/* a node that reboots would only search again: it stays off */
			announce(co->sysroot, "%s: no answer file: nothing was written to any "
				 "disk", PROG);
			shut_down(co, &runner, true);
		} else if (!res.signal && o.ui && res.interactive)
			failure_screen(o.ui, &res, &err);
		else if (!res.signal && res.reboot_on_error && !co->no_reboot && !co->dry_run)
			runner_run(&runner, (const char *const[]){ "systemctl", "reboot", NULL },
				   NULL, NULL);
		inst_session_result_release(&res);
		return ret;
	}
	announce(co->sysroot, "%s: install done in %.0f s", PROG, res.seconds);
	for (unsigned i = 0; i < res.n_steps; i++)
		announce(co->sysroot, "  %-12s %7.1f s", res.step_names[i], res.step_seconds[i]);
	if (res.notes) {
		announce(co->sysroot, "%s: still to do for the VM template:", PROG);
		for (char *p = res.notes, *nl; p && *p; p = nl ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			announce(co->sysroot, "  %.*s", nl ? (int)(nl - p) : (int)strlen(p), p);
		}
	}
	/* the other consoles show the outcome now, not after the last screen */
	inst_claim_release(&claim);
	if (o.ui && res.interactive) {
		char *text = NULL;

		if (asprintf(&text, "Proxmox VE is installed. Remove the installation medium; the "
			     "system restarts now. The Windows 11 VM template is created on "
			     "first boot.%s%s", res.notes ? "\n\nStill to do:\n" : "",
			     res.notes ? res.notes : "") < 0)
			text = NULL;
		o.ui->msg(o.ui, "Installation complete", text ? text :
			  "Proxmox VE is installed. Remove the installation medium; the "
			  "system restarts now.");
		free(text);
	}
	shut_down(co, &runner, res.power_off);
	inst_session_result_release(&res);
	return 0;
}

int cmd_install(int argc, char **argv)
{
	enum { OPT_AUTO = 256, OPT_PAYLOAD, OPT_TARGET, OPT_SYSROOT, OPT_NO_REBOOT };
	static const struct option opts[] = {
		{ "answer", required_argument, NULL, 'a' },
		{ "auto", no_argument, NULL, OPT_AUTO },
		{ "payload", required_argument, NULL, OPT_PAYLOAD },
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "no-reboot", no_argument, NULL, OPT_NO_REBOOT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_install_opts co = { .target = "/target" };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "a:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			co.answer = optarg;
			break;
		case OPT_AUTO:
			co.automatic = true;
			break;
		case OPT_PAYLOAD:
			co.payload = optarg;
			break;
		case OPT_TARGET:
			co.target = optarg;
			break;
		case OPT_SYSROOT:
			co.sysroot = optarg;
			break;
		case 'n':
			co.dry_run = true;
			break;
		case OPT_NO_REBOOT:
			co.no_reboot = true;
			break;
		case 'h':
			install_usage();
			return 0;
		default:
			return cli_try_help(PROG);
		}
	}
	if (cli_no_more_args(PROG, argc, argv))
		return 2;
	return cli_install_run(&co);
}
