/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_CLAIM_H
#define IRONPASS_INST_CLAIM_H

/*
 * Which console installs (issue 13, item 3). The live system starts one
 * installer per console (tty1 and ttyS0: overlay/). In interactive mode
 * each waits for Enter on its own console; the first one pressed takes the
 * install lock, writes its console's name to INST_CLAIM_OWNER and gets the
 * screens; the others see the owner file (or lose the race for the lock)
 * and follow the live log until the lock is free again. Unattended: no
 * wait, the first instance to start takes the lock.
 *
 * Core code: it never prints. The caller shows the prompt and the lines;
 * inst_claim_follow() only copies the live log's bytes to an fd. The fds
 * and the sysroot are the caller's, so tests use pipes as consoles.
 */

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define INST_CLAIM_LOCK		"/run/ironpass/install.lock"
#define INST_CLAIM_OWNER	"/run/ironpass/install.console"
#define INST_CLAIM_POLL_MS	500

enum inst_claim_state {
	INST_CLAIM_MINE = 0,		/* this console holds the lock: install here */
	INST_CLAIM_OTHER = 1,		/* another console installs: follow its log */
	INST_CLAIM_WAITING = 2,		/* nobody has pressed Enter yet */
};

struct inst_claim {
	const char *sysroot;		/* NULL or "" = / */
	char console[64];		/* this console's name, e.g. "ttyS0" */
	char owner[64];			/* INST_CLAIM_OTHER: the console that installs,
					 * "" when it did not say (yet) */
	int lock_fd;			/* open lock file; held after INST_CLAIM_MINE */
	int log_fd;			/* inst_claim_follow(): the live log, once it exists */
	bool held;			/* this console took the lock */
	bool input_closed;		/* EOF or hang-up on the console: wait without it */
};

/*
 * Open <sysroot>/run/ironpass/install.lock (creating the directory) for the
 * console @console (a device path or a name; NULL: "this console").
 */
int inst_claim_init(struct inst_claim *c, const char *sysroot, const char *console,
		    struct ip_err *err);
/* Close what is open; when this console holds the lock, remove the owner file first. */
void inst_claim_release(struct inst_claim *c);

/* Take the lock now if it is free (unattended): INST_CLAIM_MINE or INST_CLAIM_OTHER. */
int inst_claim_try(struct inst_claim *c, struct ip_err *err);

/*
 * One round of the interactive wait: wait up to @timeout_ms for a line on
 * @in_fd (the console), then look whether another console has claimed.
 * Enter → inst_claim_try(); another console's owner file →
 * INST_CLAIM_OTHER; else INST_CLAIM_WAITING. @in_fd < 0: no input, only watch.
 */
int inst_claim_poll(struct inst_claim *c, int in_fd, int timeout_ms, struct ip_err *err);

/*
 * INST_CLAIM_OTHER: copy what is new in the live log to @out_fd. Returns 1
 * when the installing console has let go of the lock (everything up to then
 * copied: the follower is done), 0 while it still holds it, or -errno.
 */
int inst_claim_follow(struct inst_claim *c, int out_fd, struct ip_err *err);

/*
 * The outcome line of an install from its live log text: the last line
 * that says "install done" or "install failed", into @buf. 0, or -ENOENT
 * when the log says neither (the installer stopped without a word).
 */
int inst_claim_outcome(const char *log, size_t len, char *buf, size_t size);

#endif
