// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IANA time zones to Windows time zone ids, as Unicode CLDR's
 * common/supplemental/windowsZones.xml maps them (the zone's own territory
 * row). Not every zone: UTC, the capitals of Europe, the Americas and Asia,
 * and the other zones people commonly run servers in; a zone missing here
 * gets "UTC" and a warning (see inst-fb-unattend-conf.c).
 */
#include <string.h>

#include "util.h"
#include "win.h"

struct win_zone {
	const char *iana, *win;
};

#define W_EUROPE	"W. Europe Standard Time"
#define C_EUROPE	"Central Europe Standard Time"
#define C_EUROPEAN	"Central European Standard Time"
#define ROMANCE		"Romance Standard Time"
#define GMT		"GMT Standard Time"
#define GREENWICH	"Greenwich Standard Time"
#define FLE		"FLE Standard Time"
#define GTB		"GTB Standard Time"
#define C_AMERICA	"Central America Standard Time"
#define SA_PACIFIC	"SA Pacific Standard Time"
#define SA_WESTERN	"SA Western Standard Time"
#define SA_EASTERN	"SA Eastern Standard Time"
#define W_ASIA		"West Asia Standard Time"
#define SE_ASIA		"SE Asia Standard Time"
#define ARAB		"Arab Standard Time"
#define ARABIAN		"Arabian Standard Time"
#define SINGAPORE	"Singapore Standard Time"
#define CHINA		"China Standard Time"
#define E_AFRICA	"E. Africa Standard Time"
#define S_AFRICA	"South Africa Standard Time"
#define WC_AFRICA	"W. Central Africa Standard Time"
#define AUS_EASTERN	"AUS Eastern Standard Time"
#define W_PACIFIC	"West Pacific Standard Time"

static const struct win_zone win_zones[] = {
	{ "UTC", "UTC" },
	{ "Etc/UTC", "UTC" },
	{ "Etc/GMT", "UTC" },

	{ "Europe/Amsterdam", W_EUROPE },
	{ "Europe/Andorra", W_EUROPE },
	{ "Europe/Athens", GTB },
	{ "Europe/Belgrade", C_EUROPE },
	{ "Europe/Berlin", W_EUROPE },
	{ "Europe/Bratislava", C_EUROPE },
	{ "Europe/Brussels", ROMANCE },
	{ "Europe/Bucharest", GTB },
	{ "Europe/Budapest", C_EUROPE },
	{ "Europe/Busingen", W_EUROPE },
	{ "Europe/Chisinau", "E. Europe Standard Time" },
	{ "Europe/Copenhagen", ROMANCE },
	{ "Europe/Dublin", GMT },
	{ "Europe/Gibraltar", W_EUROPE },
	{ "Europe/Guernsey", GMT },
	{ "Europe/Helsinki", FLE },
	{ "Europe/Isle_of_Man", GMT },
	{ "Europe/Istanbul", "Turkey Standard Time" },
	{ "Europe/Jersey", GMT },
	{ "Europe/Kaliningrad", "Kaliningrad Standard Time" },
	{ "Europe/Kiev", FLE },
	{ "Europe/Kyiv", FLE },
	{ "Europe/Lisbon", GMT },
	{ "Europe/Ljubljana", C_EUROPE },
	{ "Europe/London", GMT },
	{ "Europe/Luxembourg", W_EUROPE },
	{ "Europe/Madrid", ROMANCE },
	{ "Europe/Malta", W_EUROPE },
	{ "Europe/Mariehamn", FLE },
	{ "Europe/Minsk", "Belarus Standard Time" },
	{ "Europe/Monaco", W_EUROPE },
	{ "Europe/Moscow", "Russian Standard Time" },
	{ "Europe/Oslo", W_EUROPE },
	{ "Europe/Paris", ROMANCE },
	{ "Europe/Podgorica", C_EUROPE },
	{ "Europe/Prague", C_EUROPE },
	{ "Europe/Riga", FLE },
	{ "Europe/Rome", W_EUROPE },
	{ "Europe/Samara", "Russia Time Zone 3" },
	{ "Europe/San_Marino", W_EUROPE },
	{ "Europe/Sarajevo", C_EUROPEAN },
	{ "Europe/Skopje", C_EUROPEAN },
	{ "Europe/Sofia", FLE },
	{ "Europe/Stockholm", W_EUROPE },
	{ "Europe/Tallinn", FLE },
	{ "Europe/Tirane", C_EUROPE },
	{ "Europe/Vaduz", W_EUROPE },
	{ "Europe/Vatican", W_EUROPE },
	{ "Europe/Vienna", W_EUROPE },
	{ "Europe/Vilnius", FLE },
	{ "Europe/Volgograd", "Volgograd Standard Time" },
	{ "Europe/Warsaw", C_EUROPEAN },
	{ "Europe/Zagreb", C_EUROPEAN },
	{ "Europe/Zurich", W_EUROPE },

	{ "Atlantic/Azores", "Azores Standard Time" },
	{ "Atlantic/Canary", GMT },
	{ "Atlantic/Cape_Verde", "Cape Verde Standard Time" },
	{ "Atlantic/Reykjavik", GREENWICH },

	{ "America/Adak", "Aleutian Standard Time" },
	{ "America/Anchorage", "Alaskan Standard Time" },
	{ "America/Argentina/Buenos_Aires", "Argentina Standard Time" },
	{ "America/Asuncion", "Paraguay Standard Time" },
	{ "America/Bahia", "Bahia Standard Time" },
	{ "America/Barbados", SA_WESTERN },
	{ "America/Belize", C_AMERICA },
	{ "America/Bogota", SA_PACIFIC },
	{ "America/Boise", "Mountain Standard Time" },
	{ "America/Buenos_Aires", "Argentina Standard Time" },
	{ "America/Cancun", "Eastern Standard Time (Mexico)" },
	{ "America/Caracas", "Venezuela Standard Time" },
	{ "America/Cayenne", SA_EASTERN },
	{ "America/Chicago", "Central Standard Time" },
	{ "America/Costa_Rica", C_AMERICA },
	{ "America/Cuiaba", "Central Brazilian Standard Time" },
	{ "America/Denver", "Mountain Standard Time" },
	{ "America/Detroit", "Eastern Standard Time" },
	{ "America/Edmonton", "Mountain Standard Time" },
	{ "America/El_Salvador", C_AMERICA },
	{ "America/Fortaleza", SA_EASTERN },
	{ "America/Godthab", "Greenland Standard Time" },
	{ "America/Guatemala", C_AMERICA },
	{ "America/Guayaquil", SA_PACIFIC },
	{ "America/Guyana", SA_WESTERN },
	{ "America/Halifax", "Atlantic Standard Time" },
	{ "America/Havana", "Cuba Standard Time" },
	{ "America/Indiana/Indianapolis", "US Eastern Standard Time" },
	{ "America/Indianapolis", "US Eastern Standard Time" },
	{ "America/Jamaica", SA_PACIFIC },
	{ "America/La_Paz", SA_WESTERN },
	{ "America/Lima", SA_PACIFIC },
	{ "America/Los_Angeles", "Pacific Standard Time" },
	{ "America/Managua", C_AMERICA },
	{ "America/Manaus", SA_WESTERN },
	{ "America/Mexico_City", "Central Standard Time (Mexico)" },
	{ "America/Montevideo", "Montevideo Standard Time" },
	{ "America/Nassau", "Eastern Standard Time" },
	{ "America/New_York", "Eastern Standard Time" },
	{ "America/Nuuk", "Greenland Standard Time" },
	{ "America/Panama", SA_PACIFIC },
	{ "America/Paramaribo", SA_EASTERN },
	{ "America/Phoenix", "US Mountain Standard Time" },
	{ "America/Port-au-Prince", "Haiti Standard Time" },
	{ "America/Port_of_Spain", SA_WESTERN },
	{ "America/Puerto_Rico", SA_WESTERN },
	{ "America/Regina", "Canada Central Standard Time" },
	{ "America/Santiago", "Pacific SA Standard Time" },
	{ "America/Santo_Domingo", SA_WESTERN },
	{ "America/Sao_Paulo", "E. South America Standard Time" },
	{ "America/St_Johns", "Newfoundland Standard Time" },
	{ "America/Tegucigalpa", C_AMERICA },
	{ "America/Tijuana", "Pacific Standard Time (Mexico)" },
	{ "America/Toronto", "Eastern Standard Time" },
	{ "America/Vancouver", "Pacific Standard Time" },
	{ "America/Whitehorse", "Yukon Standard Time" },
	{ "America/Winnipeg", "Central Standard Time" },

	{ "Asia/Aden", ARAB },
	{ "Asia/Almaty", W_ASIA },
	{ "Asia/Amman", "Jordan Standard Time" },
	{ "Asia/Ashgabat", W_ASIA },
	{ "Asia/Baghdad", "Arabic Standard Time" },
	{ "Asia/Bahrain", ARAB },
	{ "Asia/Baku", "Azerbaijan Standard Time" },
	{ "Asia/Bangkok", SE_ASIA },
	{ "Asia/Beirut", "Middle East Standard Time" },
	{ "Asia/Bishkek", "Central Asia Standard Time" },
	{ "Asia/Brunei", SINGAPORE },
	{ "Asia/Calcutta", "India Standard Time" },
	{ "Asia/Colombo", "Sri Lanka Standard Time" },
	{ "Asia/Damascus", "Syria Standard Time" },
	{ "Asia/Dhaka", "Bangladesh Standard Time" },
	{ "Asia/Dili", "Tokyo Standard Time" },
	{ "Asia/Dubai", ARABIAN },
	{ "Asia/Dushanbe", W_ASIA },
	{ "Asia/Ho_Chi_Minh", SE_ASIA },
	{ "Asia/Hong_Kong", CHINA },
	{ "Asia/Irkutsk", "North Asia East Standard Time" },
	{ "Asia/Jakarta", SE_ASIA },
	{ "Asia/Jerusalem", "Israel Standard Time" },
	{ "Asia/Kabul", "Afghanistan Standard Time" },
	{ "Asia/Kamchatka", "Russia Time Zone 11" },
	{ "Asia/Karachi", "Pakistan Standard Time" },
	{ "Asia/Kathmandu", "Nepal Standard Time" },
	{ "Asia/Katmandu", "Nepal Standard Time" },
	{ "Asia/Kolkata", "India Standard Time" },
	{ "Asia/Krasnoyarsk", "North Asia Standard Time" },
	{ "Asia/Kuala_Lumpur", SINGAPORE },
	{ "Asia/Kuwait", ARAB },
	{ "Asia/Macau", CHINA },
	{ "Asia/Magadan", "Magadan Standard Time" },
	{ "Asia/Manila", SINGAPORE },
	{ "Asia/Muscat", ARABIAN },
	{ "Asia/Nicosia", GTB },
	{ "Asia/Novosibirsk", "N. Central Asia Standard Time" },
	{ "Asia/Omsk", "Omsk Standard Time" },
	{ "Asia/Phnom_Penh", SE_ASIA },
	{ "Asia/Pyongyang", "North Korea Standard Time" },
	{ "Asia/Qatar", ARAB },
	{ "Asia/Rangoon", "Myanmar Standard Time" },
	{ "Asia/Riyadh", ARAB },
	{ "Asia/Saigon", SE_ASIA },
	{ "Asia/Seoul", "Korea Standard Time" },
	{ "Asia/Shanghai", CHINA },
	{ "Asia/Singapore", SINGAPORE },
	{ "Asia/Taipei", "Taipei Standard Time" },
	{ "Asia/Tashkent", W_ASIA },
	{ "Asia/Tbilisi", "Georgian Standard Time" },
	{ "Asia/Tehran", "Iran Standard Time" },
	{ "Asia/Thimphu", "Bangladesh Standard Time" },
	{ "Asia/Tokyo", "Tokyo Standard Time" },
	{ "Asia/Ulaanbaatar", "Ulaanbaatar Standard Time" },
	{ "Asia/Vientiane", SE_ASIA },
	{ "Asia/Vladivostok", "Vladivostok Standard Time" },
	{ "Asia/Yakutsk", "Yakutsk Standard Time" },
	{ "Asia/Yangon", "Myanmar Standard Time" },
	{ "Asia/Yekaterinburg", "Ekaterinburg Standard Time" },
	{ "Asia/Yerevan", "Caucasus Standard Time" },

	{ "Africa/Abidjan", GREENWICH },
	{ "Africa/Accra", GREENWICH },
	{ "Africa/Addis_Ababa", E_AFRICA },
	{ "Africa/Algiers", WC_AFRICA },
	{ "Africa/Cairo", "Egypt Standard Time" },
	{ "Africa/Casablanca", "Morocco Standard Time" },
	{ "Africa/Dakar", GREENWICH },
	{ "Africa/Harare", S_AFRICA },
	{ "Africa/Johannesburg", S_AFRICA },
	{ "Africa/Khartoum", "Sudan Standard Time" },
	{ "Africa/Kinshasa", WC_AFRICA },
	{ "Africa/Lagos", WC_AFRICA },
	{ "Africa/Nairobi", E_AFRICA },
	{ "Africa/Tripoli", "Libya Standard Time" },
	{ "Africa/Tunis", WC_AFRICA },
	{ "Africa/Windhoek", "Namibia Standard Time" },

	{ "Australia/Adelaide", "Cen. Australia Standard Time" },
	{ "Australia/Brisbane", "E. Australia Standard Time" },
	{ "Australia/Darwin", "AUS Central Standard Time" },
	{ "Australia/Hobart", "Tasmania Standard Time" },
	{ "Australia/Melbourne", AUS_EASTERN },
	{ "Australia/Perth", "W. Australia Standard Time" },
	{ "Australia/Sydney", AUS_EASTERN },
	{ "Pacific/Auckland", "New Zealand Standard Time" },
	{ "Pacific/Fiji", "Fiji Standard Time" },
	{ "Pacific/Guam", W_PACIFIC },
	{ "Pacific/Honolulu", "Hawaiian Standard Time" },
	{ "Pacific/Port_Moresby", W_PACIFIC },
};

const char *win_timezone(const char *iana)
{
	for (size_t i = 0; iana && i < ARRAY_SIZE(win_zones); i++)
		if (!strcmp(win_zones[i].iana, iana))
			return win_zones[i].win;
	return NULL;
}
