/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INSTALLER_CMDS_H
#define IRONPASS_INSTALLER_CMDS_H

/*
 * Folder installer/ (top): the front end: main.c and one cli-<command>.c per
 * command parse options, print, and call into the folders below; nothing else
 * lives at the top. May include anything in lib/ and installer/.
 */

/* One function per ironpass-installer command, each in its own cli-<name>.c. */

int cmd_detect(int argc, char **argv);
int cmd_firstboot(int argc, char **argv);
int cmd_install(int argc, char **argv);
int cmd_passthrough(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_validate_answer(int argc, char **argv);

#include <stdbool.h>

struct answer;
struct hw;
struct plan;

/*
 * plan and passthrough: detect under @sysroot and plan with the answer's
 * [passthrough] and [vm-template] (defaults without @answer_path). 0, or 1
 * after printing why (nothing to release then); else release *plan, *hw, *a.
 */
int cli_plan_make(const char *sysroot, const char *answer_path, struct hw *hw,
		  struct plan *plan, struct answer **a);

/* install, also called by start's install and unattended modes */
struct cli_install_opts {
	const char *answer, *payload, *target, *sysroot;
	const char *console;		/* the terminal in use (start --console), or NULL */
	const char *serial_console;	/* a serial console as "ttyS0,115200": the screens'
					 * answer keeps it for the installed system */
	bool automatic, dry_run, no_reboot;
	bool wait_enter;		/* interactive: wait for Enter before taking the lock */
};
int cli_install_run(const struct cli_install_opts *o);

#endif
