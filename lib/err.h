/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_ERR_H
#define IRONPASS_ERR_H

/*
 * Error context: core code never prints. A failing function stores one
 * message here and returns a negative errno; main.c or the UI shows it.
 *
 * Messages follow git's rules: lower-case, no full stop, the object in
 * single quotes, the cause (errno text) last:
 *	cannot open '/target/etc/fstab': Permission denied
 */

#include <stddef.h>

#define IP_ERR_MSG_MAX 1024

struct ip_err {
	int code;			/* 0 or a negative errno */
	char msg[IP_ERR_MSG_MAX];
};

/* Record an error; returns @code (a negative errno) for `return ip_err_set(...)`. */
int ip_err_set(struct ip_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like ip_err_set, with ": <strerror(-code)>" appended. */
int ip_err_errno(struct ip_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void ip_err_clear(struct ip_err *e);

/* The message, or a generic text for e->code when none was set. */
const char *ip_err_msg(const struct ip_err *e);

#endif
