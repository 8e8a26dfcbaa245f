// SPDX-License-Identifier: GPL-2.0-or-later
/* A log sink for tests: messages appended to one buffer. */
#include <stdio.h>
#include <string.h>

#include "log-capture.h"
#include "log.h"

static char captured[4096];
static char warnings[4096];

static void append(char *buf, size_t size, const char *msg)
{
	size_t n = strlen(buf);

	snprintf(buf + n, size - n, "%s\n", msg);
}

static void capture(void *data, int prio, const char *file, int line, const char *func,
		    const char *msg)
{
	(void)data;
	(void)file;
	(void)line;
	(void)func;
	append(captured, sizeof(captured), msg);
	if (prio == LOG_WARNING)
		append(warnings, sizeof(warnings), msg);
}

void log_capture_start(void)
{
	captured[0] = warnings[0] = '\0';
	ip_log_set_sink(capture, NULL);
}

void log_capture_stop(void)
{
	ip_log_set_sink(NULL, NULL);
}

const char *log_captured(void)
{
	return captured;
}

const char *log_captured_warnings(void)
{
	return warnings;
}
