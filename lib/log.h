/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_LOG_H
#define IRONPASS_LOG_H

/*
 * Logging goes through a sink that main.c installs; core code calls
 * ip_log()/ip_dbg() and never writes to a stream itself. With no sink
 * installed every message is dropped.
 */

#include <syslog.h>

typedef void (*ip_log_fn)(void *data, int prio, const char *file, int line,
			  const char *func, const char *msg);

void ip_log_set_sink(ip_log_fn fn, void *data);
/* The sink in place, so that a wrapper can forward to it. */
void ip_log_get_sink(ip_log_fn *fn, void **data);
void ip_log_set_level(int prio);	/* LOG_ERR .. LOG_DEBUG; default LOG_INFO */
int ip_log_get_level(void);

void ip_log_at(int prio, const char *file, int line, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#define ip_log(prio, ...) ip_log_at(prio, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define ip_err_log(...) ip_log(LOG_ERR, __VA_ARGS__)
#define ip_warn(...) ip_log(LOG_WARNING, __VA_ARGS__)
#define ip_info(...) ip_log(LOG_INFO, __VA_ARGS__)
#define ip_dbg(...) ip_log(LOG_DEBUG, __VA_ARGS__)

/* A sink for main.c: "file:line:func: msg" at debug level, "msg" otherwise, to stderr. */
void ip_log_stderr(void *data, int prio, const char *file, int line, const char *func,
		   const char *msg);

#endif
