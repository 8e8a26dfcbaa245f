/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_WIN_H
#define IRONPASS_WIN_H

/*
 * Windows names for what an answer file says the Linux way: the time zone
 * (IANA "Europe/Vienna" -> Windows "W. Europe Standard Time") and the user
 * locale ([global] keyboard and country -> "de-AT"). Used for the Windows
 * guest's autounattend.xml.
 */

#include <stddef.h>

/*
 * The Windows time zone id of IANA zone @iana, as Unicode CLDR's
 * windowsZones.xml maps it, for the zones in win-zones.c's table (UTC, the
 * capitals of Europe, the Americas and Asia, and other common zones; old and
 * new spellings such as "Europe/Kiev" and "Europe/Kyiv"). NULL when the zone
 * is not in the table.
 */
const char *win_timezone(const char *iana);

/*
 * The Windows user locale for [global] @keyboard and @country: the
 * keyboard's language with the country ("de" + "at" -> "de-AT") when Windows
 * has that locale (win-locale.c's list), else the locale the keyboard is
 * made for ("de-ch" -> "de-CH"). Without a known keyboard: @fallback. The
 * result is in @buf (at least 16 bytes; NULL when it is too small).
 */
const char *win_user_locale(const char *keyboard, const char *country, const char *fallback,
			    char *buf, size_t size);

#endif
