/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_ASK_H
#define IRONPASS_INST_ASK_H

/*
 * The interactive install: one screen per question, Esc goes back a step.
 * The answers are turned into an answer.toml text and checked by the same
 * schema as any answer file (lib/answer), so the screens and unattended
 * installs can never disagree about what is valid.
 */

#include <stdbool.h>

#include "detect/hw.h"
#include "err.h"
#include "ui/ui.h"

struct ask_state {
	char disk[64];
	char filesystem[8];		/* ext4 | xfs (on LVM) | btrfs (raid0) */
	char nic[32];
	bool dhcp;
	char cidr[64], gateway[64], dns[64];
	char fqdn[254];
	char password[256];		/* wiped by ask_state_wipe() */
	char timezone[64];
	char keyboard[16];
	char country[8];
	char mailto[128];
	char gpu[64];			/* "auto", "none" or a slot address */
	char serial_console[32];	/* [ironpass] serial-console, "" for none: the
					 * serial console the screens ran on */
	bool confirmed_wipe;		/* the summary screen named the disk (and what it holds)
					 * and the user said yes */
};

struct ask_input {
	const struct hw *hw;
	const char *verdict;		/* readiness verdict text for the welcome screen */
	const char *gpu_explain;	/* the plan's explanation for the GPU screen, or NULL */
	/* parallel to hw->disks: what each disk holds ("gpt partition table on …"), or
	 * NULL / "" when it is empty; NULL array: nothing known */
	const char *const *disk_contents;
	bool wipe_never;		/* [ironpass] wipe = "never": non-empty disks are not offered */
};

void ask_state_defaults(struct ask_state *st);
void ask_state_wipe(struct ask_state *st);

/* Run the screens. 0 when confirmed, -ECANCELED when the user quit, other -errno. */
int inst_ask(struct ui *ui, const struct ask_input *in, struct ask_state *st, struct ip_err *err);

/* The answers as an answer.toml text (caller frees; contains the password: wipe it). */
char *inst_ask_to_toml(const struct ask_state *st);

#endif
