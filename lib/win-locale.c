// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Windows user locale from [global] keyboard and country: the keyboard's
 * language and the country, when Windows has that pair as a locale, else the
 * locale the keyboard layout is made for.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "answer.h"
#include "util.h"
#include "win.h"

/* Locales Windows has for the languages of the keyboard table (answer-fmt.c) */
static const char *const win_locales[] = {
	"da-DK",
	"de-AT", "de-CH", "de-DE", "de-LI", "de-LU",
	"en-AU", "en-BZ", "en-CA", "en-GB", "en-IE", "en-IN", "en-JM", "en-MY", "en-NZ",
	"en-PH", "en-SG", "en-TT", "en-US", "en-ZA", "en-ZW",
	"es-AR", "es-BO", "es-CL", "es-CO", "es-CR", "es-DO", "es-EC", "es-ES", "es-GT",
	"es-HN", "es-MX", "es-NI", "es-PA", "es-PE", "es-PR", "es-PY", "es-SV", "es-US",
	"es-UY", "es-VE",
	"fi-FI",
	"fr-BE", "fr-CA", "fr-CH", "fr-FR", "fr-LU", "fr-MC",
	"hu-HU", "is-IS", "it-CH", "it-IT", "ja-JP", "lt-LT", "mk-MK", "nb-NO",
	"nl-BE", "nl-NL", "pl-PL", "pt-BR", "pt-PT", "sl-SI", "sv-FI", "sv-SE", "tr-TR",
};

static bool win_locale_known(const char *tag)
{
	for (size_t i = 0; i < ARRAY_SIZE(win_locales); i++)
		if (!strcmp(win_locales[i], tag))
			return true;
	return false;
}

const char *win_user_locale(const char *keyboard, const char *country, const char *fallback,
			    char *buf, size_t size)
{
	const struct answer_keyboard *kb = answer_keyboard_find(keyboard);
	const char *pick = fallback;
	char tag[16];

	if (kb) {
		pick = kb->win_locale;
		if (country && strlen(country) == 2) {
			snprintf(tag, sizeof(tag), "%s-%c%c", kb->win_lang,
				 toupper((unsigned char)country[0]),
				 toupper((unsigned char)country[1]));
			if (win_locale_known(tag))
				pick = tag;
		}
	}
	if (!pick || (size_t)snprintf(buf, size, "%s", pick) >= size)
		return NULL;
	return buf;
}
