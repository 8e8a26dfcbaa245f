// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What autounattend.xml says, from the answer ([vm-template], [global]
 * keyboard, country and timezone) and the VM's name; the generic product
 * key of the edition Setup installs.
 */
#include <stdio.h>
#include <string.h>

#include "firstboot/inst-firstboot.h"
#include "util.h"
#include "win.h"

/*
 * Windows Setup needs a product key to install unattended: without one it
 * stops at its product key page, and an empty Key stops it too. These are
 * the generic volume license (KMS client) keys from Microsoft's page "Key
 * Management Services (KMS) client activation and product keys" for the
 * Windows 11 editions: they pick the edition and install it; they do not
 * activate it (that needs a KMS host, or the user's own key entered later).
 * Home editions have no KMS key: for them no key is written and Setup asks.
 * Names as the images in install.wim are called (and the page's spelling
 * where it differs).
 */
static const struct {
	const char *edition, *key;
} fb_keys[] = {
	{ "Windows 11 Pro", "W269N-WFGWX-YVC9B-4J6C9-T83GX" },
	{ "Windows 11 Pro N", "MH37W-N47XK-V7XM9-C7227-GCQG9" },
	{ "Windows 11 Pro for Workstations", "NRG8B-VKK3Q-CXVCJ-9G2XF-6Q84J" },
	{ "Windows 11 Pro N for Workstations", "9FNHH-K3HBT-3W4TD-6383H-6XYWF" },
	{ "Windows 11 Pro for Workstations N", "9FNHH-K3HBT-3W4TD-6383H-6XYWF" },
	{ "Windows 11 Pro Education", "6TP4R-GNPTD-KYYHQ-7B7DP-J447Y" },
	{ "Windows 11 Pro Education N", "YVWGF-BXNMC-HTQYQ-CPQ99-66QFC" },
	{ "Windows 11 Education", "NW6C2-QMPVW-D7KKK-3GKT6-VCFB2" },
	{ "Windows 11 Education N", "2WH4N-8QGBV-H22JP-CT43Q-MDWWJ" },
	{ "Windows 11 Enterprise", "NPPR9-FWDCX-D2C8J-H872K-2YT43" },
	{ "Windows 11 Enterprise N", "DPH2V-TTNVB-4X9Q3-TJR4H-KHJW4" },
	{ "Windows 11 Enterprise G", "YYVX9-NTFWV-6MDM3-9PT4T-4M68B" },
	{ "Windows 11 Enterprise G N", "44RPN-FTY23-9VTTB-MP9BX-T84FV" },
	{ "Windows 11 Enterprise LTSC 2024", "M7XTQ-FN8P6-TTKYV-9D4CC-J462D" },
	{ "Windows 11 Enterprise N LTSC 2024", "92NFX-8DJQP-P6BBQ-THF9C-7CG2H" },
};

const char *inst_fb_product_key(const char *edition)
{
	for (size_t i = 0; edition && i < ARRAY_SIZE(fb_keys); i++)
		if (!strcmp(fb_keys[i].edition, edition))
			return fb_keys[i].key;
	return NULL;
}

void inst_fb_computer_name(const char *vm_name, char buf[16])
{
	size_t n = 0;
	bool digits = true;

	for (const char *p = vm_name ? vm_name : ""; *p && *p != '.' && n < 15; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '-'))
			continue;
		buf[n++] = *p;
		if (*p < '0' || *p > '9')
			digits = false;
	}
	while (n && buf[n - 1] == '-')	/* cut in the middle of "win11-x" */
		n--;
	buf[n] = '\0';
	if (!n || digits)
		snprintf(buf, 16, "*");
}

void inst_fb_unattend_conf(struct inst_fb_unattend_conf *c, const struct answer *a,
			   const char *vm_name)
{
	const struct answer_vm_template *vm = a ? &a->vm : NULL;
	const struct answer_global *g = a ? &a->global : NULL;
	const struct answer_keyboard *kb = g ? answer_keyboard_find(g->keyboard) : NULL;
	struct inst_fb_unattend *u = &c->u;

	memset(c, 0, sizeof(*c));
	u->edition = vm && vm->windows_edition ? vm->windows_edition : ANSWER_WIN_EDITION;
	u->language = vm && vm->windows_language ? vm->windows_language : ANSWER_WIN_LANGUAGE;
	u->product_key = inst_fb_product_key(u->edition);
	c->no_product_key = !u->product_key;
	u->input_locale = kb ? kb->win_input : u->language;
	u->user_locale = win_user_locale(g ? g->keyboard : NULL, g ? g->country : NULL,
					 u->language, c->locale, sizeof(c->locale));
	u->timezone_win = "UTC";
	if (g && g->timezone) {
		u->timezone_win = win_timezone(g->timezone);
		c->tz_unknown = !u->timezone_win;
		if (!u->timezone_win)
			u->timezone_win = "UTC";
	}
	if (vm && vm->computer_name)
		snprintf(c->computer_name, sizeof(c->computer_name), "%s", vm->computer_name);
	else
		inst_fb_computer_name(vm_name ? vm_name : vm ? vm->name : NULL, c->computer_name);
	u->computer_name = c->computer_name;
	u->admin_user = vm && vm->admin_user ? vm->admin_user : ANSWER_WIN_ADMIN;
	u->admin_password = vm ? vm->admin_password : NULL;
}
