// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * autounattend.xml for the Windows 11 template (docs/windows-unattend.md),
 * after Microsoft's unattend reference (component names, publicKeyToken
 * 31bf3856ad364e35, processorArchitecture amd64):
 *
 *   windowsPE   International-Core-WinPE: the locales of Setup;
 *               PnpCustomizationsWinPE: the virtio-win drivers (vioscsi for
 *               the disk, NetKVM, Balloon, vioserial) from the virtio CD;
 *               Setup: disk 0 wiped and laid out GPT (EFI 100 MB FAT32, MSR
 *               16 MB, Windows NTFS on the rest as C:), the image by its
 *               name, the EULA accepted, the edition's generic key.
 *   specialize  Shell-Setup: computer name, time zone.
 *   oobeSystem  International-Core: the locales of the installed system;
 *               Shell-Setup: OOBE pages hidden, the local administrator and
 *               one autologon (so that FirstLogonCommands run: the virtio-win
 *               guest tools and the QEMU guest agent).
 *
 * Every value is XML-escaped. The password is written the way Windows
 * System Image Manager hides it (PlainText false): base64 of the UTF-16LE
 * text of the password followed by "Password" (the name of the element),
 * as Microsoft's LocalAccount Password example shows ("pwPassword" is
 * cAB3AFAAYQBzAHMAdwBvAHIAZAA). That is an encoding, not encryption: the
 * buffer is wiped by its owner.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "firstboot/inst-firstboot.h"
#include "util.h"

/* @pass only names the settings pass for the reader */
#define COMPONENT(name, pass)                                                                   \
	"    <component name=\"" name "\" processorArchitecture=\"amd64\""                       \
	" publicKeyToken=\"31bf3856ad364e35\" language=\"neutral\" versionScope=\"nonSxS\">\n"
#define END_COMPONENT "    </component>\n"

/* the virtio-win ISO's driver directories, each with w11\amd64 below */
static const char *const drv_dirs[] = { "vioscsi", "NetKVM", "Balloon", "vioserial" };
/* the letters the virtio CD may get (A-C: floppies and the system disk) */
#define DRIVE_FIRST 'D'
#define DRIVE_LAST 'Z'

static void xml_text(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sb_puts(sb, "&amp;"); break;
		case '<': sb_puts(sb, "&lt;"); break;
		case '>': sb_puts(sb, "&gt;"); break;
		case '"': sb_puts(sb, "&quot;"); break;
		case '\'': sb_puts(sb, "&apos;"); break;
		default: sb_add(sb, s, 1);
		}
	}
}

/* <tag>escaped value</tag> at @indent spaces */
static void xml_elem(struct strbuf *sb, int indent, const char *tag, const char *value)
{
	sb_printf(sb, "%*s<%s>", indent, "", tag);
	xml_text(sb, value);
	sb_printf(sb, "</%s>\n", tag);
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(struct strbuf *sb, const unsigned char *p, size_t n)
{
	char q[4];

	for (; n >= 3; p += 3, n -= 3) {
		q[0] = b64[p[0] >> 2];
		q[1] = b64[(p[0] & 3) << 4 | p[1] >> 4];
		q[2] = b64[(p[1] & 15) << 2 | p[2] >> 6];
		q[3] = b64[p[2] & 63];
		sb_add(sb, q, 4);
	}
	if (n) {
		q[0] = b64[p[0] >> 2];
		q[1] = b64[(p[0] & 3) << 4 | (n > 1 ? p[1] >> 4 : 0)];
		q[2] = n > 1 ? b64[(p[1] & 15) << 2] : '=';
		q[3] = '=';
		sb_add(sb, q, 4);
	}
	explicit_bzero(q, sizeof(q));
}

/* The next code point of UTF-8 @s (advanced), U+FFFD for a broken sequence. */
static uint32_t utf8_next(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t cp;
	int more;

	if (p[0] < 0x80) {
		*s = p + 1;
		return p[0];
	}
	more = p[0] >= 0xf0 ? 3 : p[0] >= 0xe0 ? 2 : p[0] >= 0xc0 ? 1 : 0;
	cp = p[0] & (0x3f >> more);
	*s = p + 1;
	for (int i = 0; i < more; i++, (*s)++) {
		if (((*s)[0] & 0xc0) != 0x80)
			return 0xfffd;
		cp = cp << 6 | ((*s)[0] & 0x3f);
	}
	return more && cp <= 0x10ffff ? cp : 0xfffd;
}

/*
 * base64(UTF-16LE(@pw "Password")) into @sb. Every scratch copy is wiped.
 * Returns -ENOMEM when the scratch buffer cannot be had.
 */
static int password_value(struct strbuf *sb, const char *pw)
{
	static const char suffix[] = "Password";
	size_t cap = (strlen(pw) + sizeof(suffix)) * 4, n = 0;
	unsigned char *u16 = malloc(cap);
	const unsigned char *p;

	if (!u16)
		return -ENOMEM;
	for (int part = 0; part < 2; part++) {
		p = (const unsigned char *)(part ? suffix : pw);
		while (*p) {
			uint32_t cp = utf8_next(&p);

			if (cp >= 0x10000) {
				uint32_t v = cp - 0x10000, hi = 0xd800 | v >> 10,
					 lo = 0xdc00 | (v & 0x3ff);

				u16[n++] = hi & 0xff;
				u16[n++] = hi >> 8;
				u16[n++] = lo & 0xff;
				u16[n++] = lo >> 8;
			} else {
				u16[n++] = cp & 0xff;
				u16[n++] = cp >> 8;
			}
		}
	}
	base64(sb, u16, n);
	explicit_bzero(u16, cap);
	free(u16);
	return 0;
}

static int password_elem(struct strbuf *sb, int indent, const char *pw)
{
	int ret;

	sb_printf(sb, "%*s<Password>\n%*s<Value>", indent, "", indent + 2, "");
	ret = password_value(sb, pw);
	sb_printf(sb, "</Value>\n%*s<PlainText>false</PlainText>\n%*s</Password>\n",
		  indent + 2, "", indent, "");
	return ret;
}

static void locales(struct strbuf *sb, const struct inst_fb_unattend *u)
{
	xml_elem(sb, 6, "InputLocale", u->input_locale);
	xml_elem(sb, 6, "SystemLocale", u->user_locale);
	xml_elem(sb, 6, "UILanguage", u->language);
	xml_elem(sb, 6, "UserLocale", u->user_locale);
}

/*
 * The virtio CD's letter depends on the other drives (the Windows ISO, the
 * answer ISO, disks Setup can read), so every driver directory is listed on
 * every letter D..Z. Windows Setup skips a driver path that does not exist
 * (Microsoft's reference does not say so; answer files for QEMU list several
 * letters, all but one missing, and work); each found copy of a driver is
 * added to the image once.
 */
static void driver_paths(struct strbuf *sb)
{
	unsigned key = 1;

	sb_puts(sb, COMPONENT("Microsoft-Windows-PnpCustomizationsWinPE", "windowsPE")
		"      <!-- the virtio-win CD on whichever letter it gets: missing paths are"
		" skipped -->\n"
		"      <DriverPaths>\n");
	for (char l = DRIVE_FIRST; l <= DRIVE_LAST; l++)
		for (size_t d = 0; d < ARRAY_SIZE(drv_dirs); d++)
			sb_printf(sb,
				  "        <PathAndCredentials wcm:action=\"add\""
				  " wcm:keyValue=\"%u\"><Path>%c:\\%s\\w11\\amd64</Path>"
				  "</PathAndCredentials>\n",
				  key++, l, drv_dirs[d]);
	sb_puts(sb, "      </DriverPaths>\n" END_COMPONENT);
}

static void setup(struct strbuf *sb, const struct inst_fb_unattend *u)
{
	sb_puts(sb, COMPONENT("Microsoft-Windows-Setup", "windowsPE")
		"      <DiskConfiguration>\n"
		"        <Disk wcm:action=\"add\">\n"
		"          <DiskID>0</DiskID>\n"
		"          <WillWipeDisk>true</WillWipeDisk>\n"
		"          <CreatePartitions>\n"
		"            <CreatePartition wcm:action=\"add\"><Order>1</Order><Type>EFI</Type>"
		"<Size>100</Size></CreatePartition>\n"
		"            <CreatePartition wcm:action=\"add\"><Order>2</Order><Type>MSR</Type>"
		"<Size>16</Size></CreatePartition>\n"
		"            <CreatePartition wcm:action=\"add\"><Order>3</Order>"
		"<Type>Primary</Type><Extend>true</Extend></CreatePartition>\n"
		"          </CreatePartitions>\n"
		"          <ModifyPartitions>\n"
		"            <ModifyPartition wcm:action=\"add\"><Order>1</Order><PartitionID>1"
		"</PartitionID><Format>FAT32</Format><Label>System</Label></ModifyPartition>\n"
		"            <ModifyPartition wcm:action=\"add\"><Order>2</Order><PartitionID>3"
		"</PartitionID><Format>NTFS</Format><Label>Windows</Label><Letter>C</Letter>"
		"</ModifyPartition>\n"
		"          </ModifyPartitions>\n"
		"        </Disk>\n"
		"      </DiskConfiguration>\n"
		"      <ImageInstall>\n"
		"        <OSImage>\n"
		"          <InstallFrom>\n"
		"            <MetaData wcm:action=\"add\">\n"
		"              <Key>/IMAGE/NAME</Key>\n");
	xml_elem(sb, 14, "Value", u->edition);
	sb_puts(sb, "            </MetaData>\n"
		"          </InstallFrom>\n"
		"          <InstallTo><DiskID>0</DiskID><PartitionID>3</PartitionID></InstallTo>\n"
		"        </OSImage>\n"
		"      </ImageInstall>\n"
		"      <UserData>\n"
		"        <AcceptEula>true</AcceptEula>\n");
	/* no key at all rather than an empty one: an empty Key stops Setup */
	if (u->product_key) {
		sb_puts(sb, "        <ProductKey>\n");
		xml_elem(sb, 10, "Key", u->product_key);
		sb_puts(sb, "          <WillShowUI>OnError</WillShowUI>\n"
			"        </ProductKey>\n");
	}
	sb_puts(sb, "      </UserData>\n" END_COMPONENT);
}

/* cmd /c: run @run for the first drive D..Z that holds @file (CD paths have no spaces) */
static void first_logon(struct strbuf *sb, unsigned order, const char *file, const char *run,
			const char *what)
{
	sb_puts(sb, "        <SynchronousCommand wcm:action=\"add\">\n");
	sb_printf(sb, "          <Order>%u</Order>\n", order);
	sb_puts(sb, "          <CommandLine>");
	sb_puts(sb, "cmd /c for %d in (");
	for (char l = DRIVE_FIRST; l <= DRIVE_LAST; l++)
		sb_printf(sb, "%c%s", l, l < DRIVE_LAST ? " " : "");
	sb_printf(sb, ") do @if exist %%d:\\%s ", file);
	xml_text(sb, run);
	sb_puts(sb, "</CommandLine>\n");
	xml_elem(sb, 10, "Description", what);
	sb_puts(sb, "          <RequiresUserInput>false</RequiresUserInput>\n"
		"        </SynchronousCommand>\n");
}

static int oobe(struct strbuf *sb, const struct inst_fb_unattend *u)
{
	const char *pw = u->admin_password;
	int ret = 0;

	sb_puts(sb, COMPONENT("Microsoft-Windows-Shell-Setup", "oobeSystem")
		"      <OOBE>\n"
		"        <HideEULAPage>true</HideEULAPage>\n");
	/* without an account of ours, OOBE's local-account page makes one */
	sb_printf(sb, "        <HideLocalAccountScreen>%s</HideLocalAccountScreen>\n",
		  pw ? "true" : "false");
	sb_puts(sb, "        <HideOEMRegistrationScreen>true</HideOEMRegistrationScreen>\n"
		"        <HideOnlineAccountScreens>true</HideOnlineAccountScreens>\n"
		"        <HideWirelessSetupInOOBE>true</HideWirelessSetupInOOBE>\n"
		"        <ProtectYourPC>3</ProtectYourPC>\n"
		"      </OOBE>\n");
	if (pw) {
		sb_puts(sb, "      <UserAccounts>\n"
			"        <LocalAccounts>\n"
			"          <LocalAccount wcm:action=\"add\">\n");
		xml_elem(sb, 12, "Name", u->admin_user);
		xml_elem(sb, 12, "DisplayName", u->admin_user);
		sb_puts(sb, "            <Group>Administrators</Group>\n");
		ret |= password_elem(sb, 12, pw);
		sb_puts(sb, "          </LocalAccount>\n"
			"        </LocalAccounts>\n"
			"      </UserAccounts>\n"
			"      <AutoLogon>\n"
			"        <Enabled>true</Enabled>\n"
			"        <LogonCount>1</LogonCount>\n");
		xml_elem(sb, 8, "Username", u->admin_user);
		ret |= password_elem(sb, 8, pw);
		sb_puts(sb, "      </AutoLogon>\n");
	}
	/* run at the first logon: the autologon above, or the account OOBE made */
	sb_puts(sb, "      <FirstLogonCommands>\n");
	first_logon(sb, 1, "virtio-win-guest-tools.exe",
		    "start \"\" /wait %d:\\virtio-win-guest-tools.exe"
		    " /install /passive /norestart",
		    "virtio-win drivers and guest tools");
	first_logon(sb, 2, "guest-agent\\qemu-ga-x86_64.msi",
		    "start \"\" /wait msiexec /i %d:\\guest-agent\\qemu-ga-x86_64.msi"
		    " /qn /norestart",
		    "QEMU guest agent (the VM has agent: 1)");
	sb_puts(sb, "      </FirstLogonCommands>\n" END_COMPONENT);
	return ret;
}

static const char *or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

char *inst_fb_unattend_xml(const struct inst_fb_unattend *in)
{
	struct strbuf sb = { .wipe = true };
	struct inst_fb_unattend u = *in;

	u.language = or(u.language, "en-US");
	u.edition = or(u.edition, "Windows 11 Pro");
	u.input_locale = or(u.input_locale, u.language);
	u.user_locale = or(u.user_locale, u.language);
	u.timezone_win = or(u.timezone_win, "UTC");
	u.computer_name = or(u.computer_name, "*");
	u.admin_user = or(u.admin_user, "admin");
	sb_puts(&sb, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		"<!-- written by ironpass: Windows 11 on Proxmox VE with virtio -->\n"
		"<unattend xmlns=\"urn:schemas-microsoft-com:unattend\""
		" xmlns:wcm=\"http://schemas.microsoft.com/WMIConfig/2002/State\">\n"
		"  <settings pass=\"windowsPE\">\n"
		COMPONENT("Microsoft-Windows-International-Core-WinPE", "windowsPE")
		"      <SetupUILanguage>\n");
	xml_elem(&sb, 8, "UILanguage", u.language);
	sb_puts(&sb, "      </SetupUILanguage>\n");
	locales(&sb, &u);
	sb_puts(&sb, END_COMPONENT);
	driver_paths(&sb);
	setup(&sb, &u);
	sb_puts(&sb, "  </settings>\n"
		"  <settings pass=\"specialize\">\n"
		COMPONENT("Microsoft-Windows-Shell-Setup", "specialize"));
	xml_elem(&sb, 6, "ComputerName", u.computer_name);
	xml_elem(&sb, 6, "TimeZone", u.timezone_win);
	sb_puts(&sb, END_COMPONENT
		"  </settings>\n"
		"  <settings pass=\"oobeSystem\">\n"
		COMPONENT("Microsoft-Windows-International-Core", "oobeSystem"));
	locales(&sb, &u);
	sb_puts(&sb, END_COMPONENT);
	if (oobe(&sb, &u) < 0) {
		sb_release(&sb);
		return NULL;
	}
	sb_puts(&sb, "  </settings>\n</unattend>\n");
	if (sb.err) {
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}
