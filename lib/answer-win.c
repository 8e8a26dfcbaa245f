// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Validators for the Windows guest's values of [vm-template]: where the
 * install media come from, the edition and language Setup uses, the local
 * administrator and the computer name. Each returns NULL when the value is
 * fine, else a short reason that never quotes the value.
 */
#include <string.h>
#include <strings.h>

#include "answer-int.h"
#include "util.h"

static bool win_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static bool win_has_ctrl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || *s == 0x7f)
			return true;
	return false;
}

/* Characters, not bytes: UTF-8 continuation bytes are not counted. */
static size_t win_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

bool answer_iso_is_url(const char *s)
{
	return s && !strncmp(s, "https://", 8);
}

const char *answer_valid_iso_source(const char *s)
{
	const char *why;

	if (!strcmp(s, ANSWER_ISO_CARRIED))
		return NULL;
	if (!strncmp(s, "http://", 7))
		return "must be an https:// URL (the image is checked against its SHA-256, "
		       "but not fetched in the clear)";
	if (!strncmp(s, "https://", 8))
		return answer_valid_url(s);
	why = answer_valid_volid(s);
	if (why && !strchr(s, ':'))
		return "must be a volume id like 'local:iso/Win11.iso', an https:// URL "
		       "or \"carried\"";
	return why;
}

const char *answer_valid_sha256(const char *s)
{
	if (strlen(s) != 64)
		return "must be a SHA-256 digest: 64 hex digits";
	for (; *s; s++)
		if (!win_hex(*s))
			return "must be a SHA-256 digest: 64 hex digits";
	return NULL;
}

/* The image name Setup picks by /IMAGE/NAME: "Windows 11 Pro" */
const char *answer_valid_win_edition(const char *s)
{
	size_t len = strlen(s);

	if (len > 64)
		return "is longer than 64 characters";
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < ' ' || (unsigned char)*p > '~')
			return "must be printable ASCII, e.g. 'Windows 11 Pro'";
	if (s[0] == ' ' || s[len - 1] == ' ')
		return "must not start or end with a space";
	return NULL;
}

static size_t win_span(const char *s, char lo, char hi)
{
	size_t n = 0;

	while (s[n] >= lo && s[n] <= hi)
		n++;
	return n;
}

/* "en-US", "pt-BR", "sr-Latn-RS": language, an optional script, region */
const char *answer_valid_win_language(const char *s)
{
	static const char why[] = "must be a language tag like 'en-US' or 'de-DE'";
	size_t n = win_span(s, 'a', 'z');

	if (n < 2 || n > 3 || s[n] != '-')
		return why;
	s += n + 1;
	if (s[0] >= 'A' && s[0] <= 'Z' && win_span(s + 1, 'a', 'z') == 3 && s[4] == '-')
		s += 5;
	if (win_span(s, 'A', 'Z') != 2 || s[2])
		return why;
	return NULL;
}

/*
 * A Windows local account name: 1 to 20 characters, none of
 * " / \ [ ] : ; | = , + * ? < > @, not only periods and spaces, and not one
 * of the accounts every Windows has already.
 */
const char *answer_valid_win_user(const char *s)
{
	static const char *const builtin[] = {
		"Administrator", "Guest", "DefaultAccount", "WDAGUtilityAccount",
	};
	bool only_dots = true;

	if (win_chars(s) > 20)
		return "is longer than 20 characters";
	for (const char *p = s; *p; p++) {
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			return "must not contain control characters";
		if (strchr("\"/\\[]:;|=,+*?<>@", *p))
			return "must not contain any of \" / \\ [ ] : ; | = , + * ? < > @";
		if (*p != '.' && *p != ' ')
			only_dots = false;
	}
	if (only_dots)
		return "must not consist of periods and spaces only";
	for (size_t i = 0; i < ARRAY_SIZE(builtin); i++)
		if (!strcasecmp(s, builtin[i]))
			return "is the name of an account Windows has built in";
	return NULL;
}

/* Like root-password: at least 8 characters; Windows takes at most 127. */
const char *answer_valid_win_password(const char *s)
{
	size_t n = win_chars(s);

	if (n < 8)
		return "must be at least 8 characters";
	if (n > 127)
		return "is longer than 127 characters";
	if (win_has_ctrl(s))
		return "must not contain control characters";
	return NULL;
}

/* The NetBIOS computer name: 1 to 15 of A-Z a-z 0-9 '-', not digits only. */
const char *answer_valid_netbios_name(const char *s)
{
	static const char why[] =
		"must be 1 to 15 characters of A-Z, a-z, 0-9 and '-', not digits only";
	bool digits = true;

	if (strlen(s) > 15)
		return why;
	for (const char *p = s; *p; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '-'))
			return why;
		if (*p < '0' || *p > '9')
			digits = false;
	}
	return digits ? why : NULL;
}
