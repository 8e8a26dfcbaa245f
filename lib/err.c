// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static void err_vset(struct ip_err *e, int code, int with_errno, const char *fmt, va_list ap)
{
	int n;

	e->code = code;
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	if (n < 0) {
		e->msg[0] = '\0';
		n = 0;
	}
	if (with_errno && (size_t)n < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", strerror(code < 0 ? -code : code));
}

int ip_err_set(struct ip_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	va_start(ap, fmt);
	err_vset(e, code, 0, fmt, ap);
	va_end(ap);
	return code;
}

int ip_err_errno(struct ip_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	va_start(ap, fmt);
	err_vset(e, code, 1, fmt, ap);
	va_end(ap);
	return code;
}

void ip_err_clear(struct ip_err *e)
{
	if (!e)
		return;
	e->code = 0;
	e->msg[0] = '\0';
}

const char *ip_err_msg(const struct ip_err *e)
{
	if (!e)
		return "unknown error";
	if (e->msg[0])
		return e->msg;
	return e->code ? strerror(-e->code) : "no error";
}
