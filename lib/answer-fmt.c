// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Validators for the non-network values of answer files. Each returns NULL
 * when the value is fine, else a short reason for the message.
 */
#include <string.h>
#include <strings.h>

#include "answer-int.h"
#include "passwd.h"
#include "util.h"

static bool fmt_in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

static bool fmt_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static bool fmt_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

static bool fmt_has_ctrl_or_space(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return true;
	return false;
}

/*
 * The keyboard layouts of the Proxmox VE installer: name, XKB layout/variant,
 * console keymap; then the Windows input locale of the same physical layout
 * (Microsoft's "Default Input Profiles (Input Locales) in Windows": where the
 * layout is not its locale's default profile, the layout's own keyboard id
 * is used: Canadian French 00001009 for xkb "ca", ABNT2 00010416 for xkb
 * "br", Dutch 00000413 for xkb "nl"), the Windows language and locale.
 */
#define JA_IME \
	"0411:{03B5835F-F03C-411B-9CE2-AA23E1171E36}{A76C93D9-5523-4E90-AAFA-4DB112F9AC76}"
static const struct answer_keyboard fmt_keyboards[] = {
	{ "de", "German", "de", "", "de", "0407:00000407", "de", "de-DE" },
	{ "de-ch", "Swiss German", "ch", "", "de-ch", "0807:00000807", "de", "de-CH" },
	{ "dk", "Danish", "dk", "", "da", "0406:00000406", "da", "da-DK" },
	{ "en-gb", "English (United Kingdom)", "gb", "", "en-gb", "0809:00000809", "en",
	  "en-GB" },
	{ "en-us", "English (U.S.)", "us", "", "en-us", "0409:00000409", "en", "en-US" },
	{ "es", "Spanish", "es", "", "es", "0c0a:0000040a", "es", "es-ES" },
	{ "fi", "Finnish", "fi", "", "fi", "040b:0000040b", "fi", "fi-FI" },
	{ "fr", "French", "fr", "", "fr", "040c:0000040c", "fr", "fr-FR" },
	{ "fr-be", "French (Belgium)", "be", "", "fr-be", "080c:0000080c", "fr", "fr-BE" },
	{ "fr-ca", "French (Canada)", "ca", "", "fr-ca", "0c0c:00001009", "fr", "fr-CA" },
	{ "fr-ch", "Swiss French", "ch", "fr", "fr-ch", "100c:0000100c", "fr", "fr-CH" },
	{ "hu", "Hungarian", "hu", "", "hu", "040e:0000040e", "hu", "hu-HU" },
	{ "is", "Icelandic", "is", "", "is", "040f:0000040f", "is", "is-IS" },
	{ "it", "Italian", "it", "", "it", "0410:00000410", "it", "it-IT" },
	{ "jp", "Japanese", "jp", "", "ja", JA_IME, "ja", "ja-JP" },
	{ "lt", "Lithuanian", "lt", "", "lt", "0427:00010427", "lt", "lt-LT" },
	{ "mk", "Macedonian", "mk", "", "mk", "042f:0001042f", "mk", "mk-MK" },
	{ "nl", "Dutch", "nl", "", "nl", "0413:00000413", "nl", "nl-NL" },
	{ "no", "Norwegian", "no", "", "no", "0414:00000414", "nb", "nb-NO" },
	{ "pl", "Polish", "pl", "", "pl", "0415:00000415", "pl", "pl-PL" },
	{ "pt", "Portuguese", "pt", "", "pt", "0816:00000816", "pt", "pt-PT" },
	{ "pt-br", "Portuguese (Brazil)", "br", "", "pt-br", "0416:00010416", "pt", "pt-BR" },
	{ "se", "Swedish", "se", "", "sv", "041d:0000041d", "sv", "sv-SE" },
	{ "si", "Slovenian", "si", "", "sl", "0424:00000424", "sl", "sl-SI" },
	{ "tr", "Turkish", "tr", "", "tr", "041f:0000041f", "tr", "tr-TR" },
};

const struct answer_keyboard *answer_keyboards(size_t *n)
{
	*n = ARRAY_SIZE(fmt_keyboards);
	return fmt_keyboards;
}

const struct answer_keyboard *answer_keyboard_find(const char *code)
{
	for (size_t i = 0; code && i < ARRAY_SIZE(fmt_keyboards); i++)
		if (!strcmp(code, fmt_keyboards[i].code))
			return &fmt_keyboards[i];
	return NULL;
}

const char *answer_valid_keyboard(const char *s)
{
	return answer_keyboard_find(s) ? NULL : "is not a known keyboard layout (e.g. 'en-us', 'de')";
}

const char *answer_valid_country(const char *s)
{
	if (strlen(s) != 2 || s[0] < 'a' || s[0] > 'z' || s[1] < 'a' || s[1] > 'z')
		return "must be a two-letter lower-case country code, e.g. 'at'";
	return NULL;
}

static const char *const fmt_tz_areas[] = {
	"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
	"Indian", "Pacific", "Etc", NULL,
};

const char *answer_valid_timezone(const char *s)
{
	static const char why[] = "must be 'UTC' or Area/City, e.g. 'Europe/Vienna'";
	const char *slash = strchr(s, '/');
	char area[16];

	if (!strcmp(s, "UTC"))
		return NULL;
	if (!slash || (size_t)(slash - s) >= sizeof(area))
		return why;
	memcpy(area, s, (size_t)(slash - s));
	area[slash - s] = '\0';
	if (!fmt_in(area, fmt_tz_areas))
		return why;
	for (const char *seg = slash + 1;; seg++) {
		if (!fmt_alnum(*seg))
			return why;
		while (fmt_alnum(*seg) || *seg == '_' || *seg == '-' || *seg == '+')
			seg++;
		if (*seg == '\0')
			return NULL;
		if (*seg != '/')
			return why;
	}
}

const char *answer_valid_fingerprint(const char *s)
{
	static const char why[] = "must be a SHA-256 fingerprint: 32 hex bytes separated by ':'";

	if (strlen(s) != 32 * 3 - 1)
		return why;
	for (int i = 0; i < 32 * 3 - 1; i++)
		if (i % 3 == 2 ? s[i] != ':' : !fmt_hex(s[i]))
			return why;
	return NULL;
}

static const char *const fmt_ssh_types[] = {
	"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
	"sk-ecdsa-sha2-nistp256@openssh.com", NULL,
};

const char *answer_valid_ssh_key(const char *s)
{
	static const char why[] = "is not an OpenSSH public key ('ssh-ed25519 AAAA... comment')";
	const char *sp = strchr(s, ' ');
	const char *b64, *end;
	char type[64];

	if (strchr(s, '\n') || strchr(s, '\r'))
		return "must be a single line";
	if (!sp || (size_t)(sp - s) >= sizeof(type))
		return why;
	memcpy(type, s, (size_t)(sp - s));
	type[sp - s] = '\0';
	if (!fmt_in(type, fmt_ssh_types))
		return why;
	b64 = sp + 1;
	end = b64 + strcspn(b64, " ");
	if (end - b64 < 16 || strncmp(b64, "AAAA", 4))
		return why;
	for (const char *p = b64; p < end; p++)
		if (!fmt_alnum(*p) && *p != '+' && *p != '/' && *p != '=')
			return why;
	return NULL;
}

const char *answer_valid_disk(const char *s)
{
	const char *name = strncmp(s, "/dev/", 5) ? s : s + 5;

	if (!*name)
		return "is not a disk name like 'sda' or 'nvme0n1'";
	if (strstr(name, "..") || name[0] == '/')
		return "is not a disk name like 'sda' or 'nvme0n1'";
	for (const char *p = name; *p; p++)
		if (!fmt_alnum(*p) && !strchr("._:+-/", *p))
			return "is not a disk name like 'sda' or 'nvme0n1'";
	return NULL;
}

const char *answer_valid_udev_key(const char *s)
{
	if (!*s || strlen(s) > 64)
		return "is not a udev property name";
	for (; *s; s++)
		if (!fmt_alnum(*s) && *s != '_')
			return "is not a udev property name";
	return NULL;
}

const char *answer_valid_glob(const char *s)
{
	if (strlen(s) > 256)
		return "is longer than 256 characters";
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || *s == 0x7f)
			return "must not contain control characters";
	return NULL;
}

const char *answer_valid_pci_id(const char *s)
{
	static const char why[] = "must be 'vvvv:dddd' (vendor:device) or '0000:bb:dd.f' (address)";
	size_t len = strlen(s);

	if (len == 9) {
		for (size_t i = 0; i < 9; i++)
			if (i == 4 ? s[i] != ':' : !fmt_hex(s[i]))
				return why;
		return NULL;
	}
	if (len != 12)
		return why;
	for (size_t i = 0; i < 12; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != ':')
				return why;
		} else if (i == 10) {
			if (s[i] != '.')
				return why;
		} else if (!fmt_hex(s[i])) {
			return why;
		}
	}
	if (s[8] > '1' || s[11] > '7')
		return "has a device number above 1f or a function above 7";
	return NULL;
}

const char *answer_valid_kernel_arg(const char *s)
{
	if (strlen(s) > 256)
		return "is longer than 256 characters";
	for (; *s; s++) {
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return "must be one word without spaces or control characters";
		if (strchr("'\"`;\\$", *s))
			return "must not contain quotes, ';', '\\' or '$'";
	}
	return NULL;
}

const char *answer_valid_vm_name(const char *s)
{
	static const char why[] =
		"must be a DNS name: labels of a-z, A-Z, 0-9, '-' not at either end";
	const char *label = s;

	if (strlen(s) > 63)
		return "is longer than 63 characters";
	for (const char *p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || label[0] == '-' || p[-1] == '-')
				return why;
			if (*p == '\0')
				return NULL;
			label = p + 1;
		} else if (!fmt_alnum(*p) && *p != '-') {
			return why;
		}
	}
}

const char *answer_valid_storage(const char *s)
{
	static const char why[] = "is not a storage id (a-z first, then a-z, 0-9, '-', '_', '.')";
	size_t len = strlen(s);

	if (len < 2 || len > 64 || s[0] < 'a' || s[0] > 'z')
		return why;
	for (const char *p = s; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9') && !strchr("-_.", *p))
			return why;
	if (!fmt_alnum(s[len - 1]))
		return why;
	return NULL;
}

const char *answer_valid_volid(const char *s)
{
	static const char why[] = "must be a volume id like 'local:iso/Win11.iso'";
	const char *colon = strchr(s, ':');
	char storage[65];
	const char *file;
	size_t len;

	if (!colon || (size_t)(colon - s) >= sizeof(storage))
		return why;
	memcpy(storage, s, (size_t)(colon - s));
	storage[colon - s] = '\0';
	if (answer_valid_storage(storage) || strncmp(colon + 1, "iso/", 4))
		return why;
	file = colon + 5;
	len = strlen(file);
	if (len < 5 || strcasecmp(file + len - 4, ".iso"))
		return "must name an '.iso' file, e.g. 'local:iso/Win11.iso'";
	for (const char *p = file; *p; p++)
		if (!fmt_alnum(*p) && !strchr("._+-", *p))
			return "has a file name with characters other than "
			       "a-z, A-Z, 0-9, '.', '_', '+', '-'";
	return NULL;
}

static const char *const fmt_bauds[] = {
	"1200", "2400", "4800", "9600", "19200", "38400", "57600", "115200", "230400",
	"460800", "921600", NULL,
};

const char *answer_valid_serial(const char *s)
{
	static const char why[] =
		"must be a serial port with an optional speed, e.g. 'ttyS0,115200'";
	const char *p = s;
	char baud[8];
	size_t n;

	if (strncmp(p, "tty", 3))
		return why;
	p += 3;
	if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
		return why;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	if (*p < '0' || *p > '9')
		return why;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '\0')
		return NULL;
	if (*p++ != ',')
		return why;
	n = strspn(p, "0123456789");
	if (n == 0 || n >= sizeof(baud))
		return why;
	memcpy(baud, p, n);
	baud[n] = '\0';
	if (!fmt_in(baud, fmt_bauds))
		return "has an unknown speed (e.g. 9600, 115200)";
	p += n;
	/* parity and bits as the kernel's console= takes them: "115200n8" */
	if (*p && (!strchr("noe", p[0]) || p[0] == '\0' || p[1] < '5' || p[1] > '8' || p[2]))
		return why;
	return NULL;
}

const char *answer_valid_package(const char *s)
{
	size_t len = strlen(s);

	if (len < 2 || len > 128 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return "is not a Debian package name";
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= '0' && *s <= '9') && !strchr("+-.", *s))
			return "is not a Debian package name";
	return NULL;
}

static const char *const fmt_events[] = { "start", "step", "done", "failed", NULL };

const char *answer_valid_event(const char *s)
{
	return fmt_in(s, fmt_events) ? NULL : "is not one of start, step, done, failed";
}

const char *answer_valid_suite(const char *s)
{
	if (!*s || strlen(s) > 32)
		return "is not a Debian suite name like 'bookworm'";
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && *s != '-')
			return "is not a Debian suite name like 'bookworm'";
	return NULL;
}

const char *answer_valid_password(const char *s)
{
	if (strlen(s) < 8)
		return "must be at least 8 characters";
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || *s == 0x7f)
			return "must not contain control characters";
	return NULL;
}

const char *answer_valid_password_hash(const char *s)
{
	if (!passwd_hash_valid(s))
		return "is not a crypt(3) hash this system accepts "
		       "(make one with 'mkpasswd -m yescrypt')";
	return NULL;
}

const char *answer_valid_token(const char *s)
{
	return fmt_has_ctrl_or_space(s) ? "must not contain spaces or control characters" : NULL;
}

/*
 * A Proxmox VE subscription key: "pve", the socket count, the level letter
 * (c, b, s or p), "-" and ten lower-case hex digits, e.g. "pve2c-0123456789".
 * The message never quotes the key.
 */
const char *answer_valid_subscription_key(const char *s)
{
	static const char why[] = "is not a Proxmox VE subscription key "
				  "(pve<sockets><c|b|s|p>-<10 hex digits>)";
	const char *p = s;

	if (strncmp(p, "pve", 3))
		return why;
	p += 3;
	if (*p < '0' || *p > '9')
		return why;
	while (*p >= '0' && *p <= '9')
		p++;
	if (!strchr("cbsp", *p) || !*p || p[1] != '-')
		return why;
	p += 2;
	for (int i = 0; i < 10; i++, p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return why;
	return *p ? why : NULL;
}
