// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Firmware mode and Secure Boot. /sys/firmware/efi exists only when the
 * kernel was started by UEFI. The SecureBoot variable in efivarfs holds four
 * attribute bytes followed by one value byte (1 = enabled). Its GUID is the
 * UEFI specification's EFI_GLOBAL_VARIABLE, 8BE4DF61-93CA-11D2-AA0D-00E098032B8C
 * (efivarfs names it in lower case).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/hw-probe.h"
#include "path.h"

#define SECURE_BOOT_VAR \
	"/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"

int hw_fw_read(struct hw *hw)
{
	char *buf;
	size_t len;
	int ret;

	if (!path_exists(hw->sysroot, "/sys/firmware/efi")) {
		hw->fw = HW_FW_BIOS;
		hw->secure_boot = HW_NO;
		return 0;
	}
	hw->fw = HW_FW_UEFI;
	hw->secure_boot = HW_UNKNOWN;
	ret = path_read_all(hw->sysroot, SECURE_BOOT_VAR, 4096, &buf, &len);
	if (ret == -ENOMEM)
		return ret;
	if (ret < 0) {
		if (ret != -ENOENT)
			hw_note(hw, "cannot read '%s': %s", SECURE_BOOT_VAR, strerror(-ret));
		return 0;
	}
	if (len != 5 || (unsigned char)buf[4] > 1)
		hw_note(hw, "unexpected SecureBoot variable (%zu bytes), state unknown", len);
	else
		hw->secure_boot = buf[4] ? HW_YES : HW_NO;
	free(buf);
	return 0;
}
