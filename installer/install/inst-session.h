/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_SESSION_H
#define IRONPASS_INST_SESSION_H

/*
 * One installation, start to finish (issue 5): find the answer (or ask on
 * screen), detect, plan, run the install steps, report to the webhook.
 * Core code: it never prints. Log lines go through lib/log.h (the CLI's
 * sink shows them) and are also kept in <sysroot>/run/ironpass/install.log,
 * which the "logs" step copies to <target>/var/log/ironpass/.
 *
 * SIGTERM, SIGINT and SIGHUP are caught while it runs: the running command's
 * process group is stopped, its step fails ("interrupted by SIGTERM"), the
 * target (when mounted) gets INST_FAILED_MARK and the log, everything is
 * unmounted, the webhook gets "failed", and the result names the signal.
 */

#include <stdbool.h>

#include "err.h"
#include "runner.h"
#include "ui/ui.h"

#define INST_LIVE_LOG		"/run/ironpass/install.log"
#define INST_TARGET_LOGDIR	"/var/log/ironpass"
#define INST_DEFAULT_PAYLOAD	"/run/live/medium/payload"
#define INST_FETCHED_PAYLOAD	"/run/ironpass/payload"

struct inst_session_opts {
	const char *sysroot;		/* "" = / */
	const char *target;		/* default "/target" */
	const char *payload_dir;	/* default: ironpass.payload= or the medium's payload/ */
	const char *answer_file;	/* explicit --answer: skips the search */
	bool automatic;			/* --auto (ironpass.auto on the command line counts too) */
	bool dry_run;
	struct runner *runner;
	struct ui *ui;			/* NULL: unattended only */
	const char *serial_console;	/* the screens' answer gets this [ironpass]
					 * serial-console ("ttyS0,115200"), or NULL */
};

struct inst_session_result {
	bool interactive;
	bool success;
	const char *failed_step;	/* static string, NULL on success or before the steps */
	char *log_tail;			/* last log lines (caller frees) */
	double seconds;
	char *notes;			/* what the user still has to do, or NULL (caller frees) */
	bool reboot;			/* what the answer asks for after the install */
	bool power_off;
	bool reboot_on_error;
	/*
	 * No answer could be had where one was required (ironpass.answer= failed
	 * past its deadline, or ironpass.auto with none found): nothing was
	 * written to any disk, the webhook got "failed" at step "answer", and
	 * the caller powers the node off rather than rebooting it into the same
	 * search again.
	 */
	bool no_answer;
	int signal;			/* SIGTERM/SIGINT/SIGHUP that stopped it, or 0 */
	double step_seconds[32];
	const char *step_names[32];
	unsigned n_steps;
};

int inst_session_run(const struct inst_session_opts *o, struct inst_session_result *res,
		     struct ip_err *err);
void inst_session_result_release(struct inst_session_result *res);

#endif
