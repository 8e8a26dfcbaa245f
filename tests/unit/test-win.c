// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Windows names (lib/win-zones.c, lib/win-locale.c): IANA zones to Windows
 * time zone ids as CLDR's windowsZones.xml maps them, the user locale from
 * [global] keyboard and country.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "win.h"

static void test_timezones(void **state)
{
	static const char *const map[][2] = {
		{ "UTC", "UTC" },
		{ "Etc/UTC", "UTC" },
		{ "Europe/Vienna", "W. Europe Standard Time" },
		{ "Europe/Berlin", "W. Europe Standard Time" },
		{ "Europe/Paris", "Romance Standard Time" },
		{ "Europe/London", "GMT Standard Time" },
		{ "Europe/Warsaw", "Central European Standard Time" },
		{ "Europe/Prague", "Central Europe Standard Time" },
		{ "Europe/Athens", "GTB Standard Time" },
		{ "Europe/Kiev", "FLE Standard Time" },
		{ "Europe/Kyiv", "FLE Standard Time" },
		{ "Europe/Moscow", "Russian Standard Time" },
		{ "Europe/Istanbul", "Turkey Standard Time" },
		{ "America/New_York", "Eastern Standard Time" },
		{ "America/Chicago", "Central Standard Time" },
		{ "America/Denver", "Mountain Standard Time" },
		{ "America/Phoenix", "US Mountain Standard Time" },
		{ "America/Los_Angeles", "Pacific Standard Time" },
		{ "America/Mexico_City", "Central Standard Time (Mexico)" },
		{ "America/Sao_Paulo", "E. South America Standard Time" },
		{ "America/Argentina/Buenos_Aires", "Argentina Standard Time" },
		{ "Asia/Tokyo", "Tokyo Standard Time" },
		{ "Asia/Shanghai", "China Standard Time" },
		{ "Asia/Kolkata", "India Standard Time" },
		{ "Asia/Calcutta", "India Standard Time" },
		{ "Asia/Kathmandu", "Nepal Standard Time" },
		{ "Asia/Dubai", "Arabian Standard Time" },
		{ "Asia/Riyadh", "Arab Standard Time" },
		{ "Asia/Singapore", "Singapore Standard Time" },
		{ "Australia/Sydney", "AUS Eastern Standard Time" },
		{ "Pacific/Auckland", "New Zealand Standard Time" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		const char *got = win_timezone(map[i][0]);

		if (!got || strcmp(got, map[i][1]))
			fail_msg("%s: got '%s', want '%s'", map[i][0], got ? got : "(none)",
				 map[i][1]);
	}
	assert_null(win_timezone("Antarctica/Troll"));
	assert_null(win_timezone("Europe/vienna"));
	assert_null(win_timezone(""));
	assert_null(win_timezone(NULL));
}

/* Every European capital's zone has a Windows name. */
static void test_capitals(void **state)
{
	static const char *const capitals[] = {
		"Amsterdam", "Andorra", "Athens", "Belgrade", "Berlin", "Bratislava", "Brussels",
		"Bucharest", "Budapest", "Chisinau", "Copenhagen", "Dublin", "Helsinki", "Kyiv",
		"Lisbon", "Ljubljana", "London", "Luxembourg", "Madrid", "Malta", "Minsk",
		"Monaco", "Moscow", "Oslo", "Paris", "Podgorica", "Prague", "Riga", "Rome",
		"San_Marino", "Sarajevo", "Skopje", "Sofia", "Stockholm", "Tallinn", "Tirane",
		"Vaduz", "Vatican", "Vienna", "Vilnius", "Warsaw", "Zagreb",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(capitals); i++) {
		char zone[64];

		snprintf(zone, sizeof(zone), "Europe/%s", capitals[i]);
		if (!win_timezone(zone))
			fail_msg("no Windows time zone for %s", zone);
	}
	assert_non_null(win_timezone("Atlantic/Reykjavik"));
}

static void test_user_locale(void **state)
{
	static const char *const cases[][4] = {
		/* keyboard, country, fallback, locale */
		{ "de", "at", "en-US", "de-AT" },
		{ "de", "de", "en-US", "de-DE" },
		{ "de", "us", "en-US", "de-DE" },	/* no de-US: the keyboard's own */
		{ "de-ch", "ch", "en-US", "de-CH" },
		{ "fr-ch", "ch", "en-US", "fr-CH" },
		{ "en-us", "us", "en-US", "en-US" },
		{ "en-us", "ie", "en-US", "en-IE" },
		{ "en-us", "at", "de-DE", "en-US" },
		{ "en-gb", "gb", "en-US", "en-GB" },
		{ "se", "fi", "en-US", "sv-FI" },
		{ "no", "no", "en-US", "nb-NO" },
		{ "dk", "dk", "en-US", "da-DK" },
		{ "jp", "jp", "en-US", "ja-JP" },
		{ "pt-br", "br", "en-US", "pt-BR" },
		{ "de", NULL, "en-US", "de-DE" },
		{ NULL, "at", "en-GB", "en-GB" },
		{ "xx", "at", "en-GB", "en-GB" },
	};
	char buf[16];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *got = win_user_locale(cases[i][0], cases[i][1], cases[i][2], buf,
						  sizeof(buf));

		if (!got || strcmp(got, cases[i][3]))
			fail_msg("case %zu: got '%s', want '%s'", i, got ? got : "(none)",
				 cases[i][3]);
	}
	assert_null(win_user_locale(NULL, NULL, NULL, buf, sizeof(buf)));
	assert_null(win_user_locale("de", "at", "en-US", buf, 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timezones),
		cmocka_unit_test(test_capitals),
		cmocka_unit_test(test_user_locale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
