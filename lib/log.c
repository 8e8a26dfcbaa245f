// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static ip_log_fn log_sink;
static void *log_sink_data;
static int log_level = LOG_INFO;

void ip_log_set_sink(ip_log_fn fn, void *data)
{
	log_sink = fn;
	log_sink_data = data;
}

void ip_log_get_sink(ip_log_fn *fn, void **data)
{
	*fn = log_sink;
	*data = log_sink_data;
}

void ip_log_set_level(int prio)
{
	log_level = prio;
}

int ip_log_get_level(void)
{
	return log_level;
}

void ip_log_at(int prio, const char *file, int line, const char *func, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (!log_sink || prio > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_sink(log_sink_data, prio, file, line, func, msg);
}

void ip_log_stderr(void *data, int prio, const char *file, int line, const char *func,
		   const char *msg)
{
	(void)data;
	if (prio >= LOG_DEBUG)
		fprintf(stderr, "%s:%d:%s: %s\n", file, line, func, msg);
	else if (prio <= LOG_ERR)
		fprintf(stderr, "error: %s\n", msg);
	else if (prio == LOG_WARNING)
		fprintf(stderr, "warning: %s\n", msg);
	else
		fprintf(stderr, "%s\n", msg);
}
