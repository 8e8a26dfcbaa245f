// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * autounattend.xml for the Windows 11 template and the small ISO that
 * carries it (Windows Setup looks for it on every removable drive): the
 * virtio-win drivers (vioscsi for the disk, NetKVM, Balloon) loaded in
 * windowsPE, disk 0 wiped and laid out GPT (EFI 100 MB, MSR 16 MB, Windows),
 * a local administrator account, and the OOBE screens skipped.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "firstboot/inst-firstboot.h"
#include "log.h"
#include "path.h"
#include "target/inst-cfg.h"
#include "util.h"

/* @pass only names the settings pass for the reader */
#define COMPONENT(name, pass)                                                                   \
	"    <component name=\"" name "\" processorArchitecture=\"amd64\""                       \
	" publicKeyToken=\"31bf3856ad364e35\" language=\"neutral\" versionScope=\"nonSxS\">\n"

static const char *const drv_dirs[] = { "vioscsi", "NetKVM", "Balloon" };
static const char drv_letters[] = "DEF";

static bool name_ok(const char *s)
{
	if (!*s || strlen(s) > 15)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

char *inst_fb_unattend_xml(const char *computer_name)
{
	struct strbuf sb = { 0 };
	unsigned key = 1;

	/* "*" lets Setup pick a name; anything else must be a NetBIOS-safe name */
	if (!computer_name || !name_ok(computer_name))
		computer_name = "*";
	sb_puts(&sb, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		     "<!-- written by ironpass: Windows 11 on Proxmox VE with virtio -->\n"
		     "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\""
		     " xmlns:wcm=\"http://schemas.microsoft.com/WMIConfig/2002/State\">\n"
		     "  <settings pass=\"windowsPE\">\n");
	sb_puts(&sb, COMPONENT("Microsoft-Windows-International-Core-WinPE", "windowsPE")
		"      <SetupUILanguage><UILanguage>en-US</UILanguage></SetupUILanguage>\n"
		"      <InputLocale>en-US</InputLocale>\n"
		"      <SystemLocale>en-US</SystemLocale>\n"
		"      <UILanguage>en-US</UILanguage>\n"
		"      <UserLocale>en-US</UserLocale>\n"
		"    </component>\n");
	sb_puts(&sb, COMPONENT("Microsoft-Windows-PnpCustomizationsWinPE", "windowsPE")
		"      <DriverPaths>\n");
	for (size_t l = 0; l < sizeof(drv_letters) - 1; l++)
		for (size_t d = 0; d < ARRAY_SIZE(drv_dirs); d++)
			sb_printf(&sb,
				  "        <PathAndCredentials wcm:action=\"add\""
				  " wcm:keyValue=\"%u\"><Path>%c:\\%s\\w11\\amd64</Path>"
				  "</PathAndCredentials>\n",
				  key++, drv_letters[l], drv_dirs[d]);
	sb_puts(&sb, "      </DriverPaths>\n    </component>\n");
	sb_puts(&sb, COMPONENT("Microsoft-Windows-Setup", "windowsPE")
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
		"      <ImageInstall><OSImage><InstallTo><DiskID>0</DiskID><PartitionID>3"
		"</PartitionID></InstallTo></OSImage></ImageInstall>\n"
		"      <UserData>\n"
		"        <AcceptEula>true</AcceptEula>\n"
		"        <ProductKey><Key></Key><WillShowUI>OnError</WillShowUI></ProductKey>\n"
		"      </UserData>\n"
		"    </component>\n"
		"  </settings>\n"
		"  <settings pass=\"specialize\">\n");
	sb_puts(&sb, COMPONENT("Microsoft-Windows-Shell-Setup", "specialize"));
	sb_printf(&sb, "      <ComputerName>%s</ComputerName>\n", computer_name);
	sb_puts(&sb, "    </component>\n  </settings>\n  <settings pass=\"oobeSystem\">\n");
	sb_puts(&sb, COMPONENT("Microsoft-Windows-International-Core", "oobeSystem")
		"      <InputLocale>en-US</InputLocale>\n"
		"      <SystemLocale>en-US</SystemLocale>\n"
		"      <UILanguage>en-US</UILanguage>\n"
		"      <UserLocale>en-US</UserLocale>\n"
		"    </component>\n");
	sb_puts(&sb, COMPONENT("Microsoft-Windows-Shell-Setup", "oobeSystem")
		"      <OOBE>\n"
		"        <HideEULAPage>true</HideEULAPage>\n"
		"        <HideOEMRegistrationScreen>true</HideOEMRegistrationScreen>\n"
		"        <HideOnlineAccountScreens>true</HideOnlineAccountScreens>\n"
		"        <HideWirelessSetupInOOBE>true</HideWirelessSetupInOOBE>\n"
		"        <ProtectYourPC>3</ProtectYourPC>\n"
		"      </OOBE>\n"
		"      <UserAccounts>\n"
		"        <LocalAccounts>\n"
		"          <LocalAccount wcm:action=\"add\">\n"
		"            <Name>ironpass</Name>\n"
		"            <DisplayName>ironpass</DisplayName>\n"
		"            <Group>Administrators</Group>\n"
		"            <Password><Value></Value><PlainText>true</PlainText></Password>\n"
		"          </LocalAccount>\n"
		"        </LocalAccounts>\n"
		"      </UserAccounts>\n"
		"      <TimeZone>UTC</TimeZone>\n"
		"    </component>\n"
		"  </settings>\n"
		"</unattend>\n");
	return sb_detach(&sb);
}

/* ide1 = "local:iso/NAME.iso,media=cdrom" → NAME.iso (refuses anything else) */
static int iso_name(const char *ide1, char *buf, size_t size)
{
	size_t n = strcspn(ide1, ",");

	if (!str_startswith(ide1, "local:iso/") || n <= 10 || n - 10 >= size)
		return -EINVAL;
	snprintf(buf, size, "%.*s", (int)(n - 10), ide1 + 10);
	if (strchr(buf, '/') || buf[0] == '.' || !str_endswith(buf, ".iso"))
		return -EINVAL;
	return 0;
}

int inst_fb_unattend_iso(struct inst_ctx *ctx, const char *ide1)
{
	_cleanup_free_ char *xml = NULL;
	char iso[256], rel[512], out[PATH_MAX], dir[PATH_MAX];
	const char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-J", "-r",
			       "-V", "IRONPASS_UNATTEND", "-o", out, dir, NULL };
	int ret;

	if (iso_name(ide1, iso, sizeof(iso)) < 0)
		return ip_err_set(&ctx->err, -EINVAL,
				  "unsupported answer ISO volume '%s': expected local:iso/NAME.iso",
				  ide1);
	xml = inst_fb_unattend_xml(NULL);
	if (!xml)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	ret = inst_cfg_write(ctx, INST_FB_UNATTEND_DIR "/autounattend.xml", xml, 0644);
	if (ret < 0)
		return ret;
	snprintf(rel, sizeof(rel), "%s/%s", INST_FB_ISO_DIR, iso);
	ret = path_mkdirs(ctx->target, INST_FB_ISO_DIR, 0755);
	if (ret == 0)
		ret = path_join(out, sizeof(out), ctx->target, rel);
	if (ret == 0)
		ret = path_join(dir, sizeof(dir), ctx->target, INST_FB_UNATTEND_DIR);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot prepare '%s%s'", ctx->target, rel);
	ret = runner_check(ctx->runner, argv, NULL, NULL);
	if (ret < 0)
		return ip_err_set(&ctx->err, ret, "cannot build the Windows answer ISO: %s",
				  ip_err_msg(&ctx->runner->err));
	return 0;
}
