// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers for tests that check which processes a timeout or a signal left. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc-check.h"

long proc_read_pid(const char *path)
{
	char buf[32] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] ? strtol(buf, NULL, 10) : -1;
}

bool proc_gone(long pid)
{
	for (int i = 0; i < 200; i++) {
		char path[64], stat[256] = "";
		FILE *f;
		char *p;

		if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
			return true;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(stat, sizeof(stat), f))
				stat[0] = '\0';
			fclose(f);
		}
		/* the state follows the name in parentheses */
		p = strrchr(stat, ')');
		if (p && p[1] == ' ' && p[2] == 'Z')
			return true;
		usleep(10 * 1000);
	}
	return false;
}
