// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "ui/inst-ask.h"
#include "util.h"

enum ask_screen {
	ASK_WELCOME,
	ASK_DISK,
	ASK_FS,
	ASK_NIC,
	ASK_NETMODE,
	ASK_STATIC,
	ASK_FQDN,
	ASK_PASSWORD,
	ASK_MAILTO,
	ASK_COUNTRY,
	ASK_TIMEZONE,
	ASK_KEYBOARD,
	ASK_GPU,
	ASK_SUMMARY,
	ASK_DONE,
};

void ask_state_defaults(struct ask_state *st)
{
	memset(st, 0, sizeof(*st));
	snprintf(st->filesystem, sizeof(st->filesystem), "ext4");
	st->dhcp = true;
	snprintf(st->fqdn, sizeof(st->fqdn), "pve.example.invalid");
	snprintf(st->timezone, sizeof(st->timezone), "UTC");
	snprintf(st->keyboard, sizeof(st->keyboard), "en-us");
	snprintf(st->country, sizeof(st->country), "us");
	snprintf(st->mailto, sizeof(st->mailto), "root@localhost.invalid");
	snprintf(st->gpu, sizeof(st->gpu), "auto");
}

void ask_state_wipe(struct ask_state *st)
{
	explicit_bzero(st->password, sizeof(st->password));
}

static void fmt_size(char *buf, size_t n, unsigned long long bytes)
{
	double gib = (double)bytes / (1024.0 * 1024 * 1024);

	if (gib >= 1024)
		snprintf(buf, n, "%.1f TiB", gib / 1024);
	else
		snprintf(buf, n, "%.1f GiB", gib);
}

/* What disk @i holds, or NULL when it is empty (or nothing is known). */
static const char *disk_holds(const struct ask_input *in, size_t i)
{
	const char *c = in->disk_contents ? in->disk_contents[i] : NULL;

	return c && *c ? c : NULL;
}

static int ask_disk(struct ui *ui, const struct ask_input *in, struct ask_state *st)
{
	const struct hw *hw = in->hw;
	struct ui_item items[32];
	char text[32][192];
	size_t n = 0, held = 0;

	for (size_t i = 0; i < hw->n_disks && n < 32; i++) {
		const struct hw_disk *d = &hw->disks[i];
		char sz[32];

		if (d->is_boot_medium || d->readonly || d->size_bytes == 0)
			continue;
		if (disk_holds(in, i) && in->wipe_never) {
			held++;
			continue;
		}
		fmt_size(sz, sizeof(sz), d->size_bytes);
		snprintf(text[n], sizeof(text[n]), "%.16s  %.40s  %s%.40s%s%.15s%s", sz,
			 d->model[0] ? d->model : "(no model)", d->serial[0] ? "serial " : "",
			 d->serial, d->transport[0] ? "  " : "", d->transport,
			 disk_holds(in, i) ? "  NOT EMPTY" : "");
		items[n] = (struct ui_item){ d->name, text[n] };
		n++;
	}
	if (n == 0)
		return -ENODEV;
	return ui->menu(ui, "Target disk",
			held ? "Choose the disk to install Proxmox VE on. Everything on it will be "
			       "erased. Disks that are not empty are not offered ([ironpass] wipe = "
			       "\"never\"), nor is the medium this installer runs from."
			     : "Choose the disk to install Proxmox VE on. Everything on it will be "
			       "erased. The medium this installer runs from is not offered.",
			items, n, st->disk[0] ? st->disk : NULL, st->disk, sizeof(st->disk));
}

static int ask_nic(struct ui *ui, const struct hw *hw, struct ask_state *st)
{
	struct ui_item items[32];
	char text[32][128];
	size_t n = 0;

	for (size_t i = 0; i < hw->n_nics && n < 32; i++) {
		const struct hw_nic *c = &hw->nics[i];

		if (c->is_virtual)
			continue;
		snprintf(text[n], sizeof(text[n]), "%s  %s  link %s", c->mac,
			 c->driver[0] ? c->driver : "(no driver)", c->link ? "up" : "down");
		items[n] = (struct ui_item){ c->name, text[n] };
		n++;
	}
	if (n == 0)
		return -ENODEV;
	return ui->menu(ui, "Management network",
			"Choose the network card for the management bridge vmbr0.", items, n,
			st->nic[0] ? st->nic : NULL, st->nic, sizeof(st->nic));
}

static int ask_static(struct ui *ui, struct ask_state *st)
{
	int ret;

	ret = ui->input(ui, "Address", "IP address with prefix length (e.g. 192.0.2.10/24):",
			st->cidr, st->cidr, sizeof(st->cidr));
	if (ret != UI_OK)
		return ret;
	ret = ui->input(ui, "Gateway", "Default gateway:", st->gateway, st->gateway,
			sizeof(st->gateway));
	if (ret != UI_OK)
		return ret;
	return ui->input(ui, "DNS server", "DNS server:", st->dns, st->dns, sizeof(st->dns));
}

static int ask_password(struct ui *ui, struct ask_state *st)
{
	char again[sizeof(st->password)];
	int ret;

	for (;;) {
		ret = ui->password(ui, "Root password",
				   "Password for root (at least 8 characters):", st->password,
				   sizeof(st->password));
		if (ret != UI_OK)
			return ret;
		if (strlen(st->password) < 8) {
			ui->msg(ui, "Root password", "The password must have at least 8 characters.");
			continue;
		}
		ret = ui->password(ui, "Root password", "The same password again:", again,
				   sizeof(again));
		if (ret != UI_OK) {
			explicit_bzero(again, sizeof(again));
			if (ret == UI_BACK)
				continue;
			return ret;
		}
		ret = strcmp(again, st->password) == 0;
		explicit_bzero(again, sizeof(again));
		if (ret)
			return UI_OK;
		ui->msg(ui, "Root password", "The two passwords differ. Please type them again.");
	}
}

/*
 * The value of [global] @key, typed or chosen: checked as the answer file's
 * key is checked (answer_value_problem); a value the schema refuses is shown
 * with the reason and asked again. @val changes only to a valid value.
 */
static int ask_valid(struct ui *ui, const char *title, const char *text, const char *key,
		     const struct ui_item *items, size_t n_items, char *val, size_t size)
{
	char buf[256], msg[512];
	const char *why;
	int ret;

	snprintf(buf, sizeof(buf), "%s", val);
	for (;;) {
		if (items)
			ret = ui->menu(ui, title, text, items, n_items, val, buf, sizeof(buf));
		else
			ret = ui->input(ui, title, text, buf, buf, sizeof(buf));
		if (ret != UI_OK)
			return ret;
		why = answer_value_problem("global", key, buf);
		if (!why && strlen(buf) >= size)
			why = "is too long";
		if (!why) {
			snprintf(val, size, "%s", buf);
			return UI_OK;
		}
		snprintf(msg, sizeof(msg), "'%.80s' %s.\n\nPlease try again.", buf, why);
		ret = ui->msg(ui, title, msg);
		if (ret < 0)
			return ret;
	}
}

static int ask_keyboard(struct ui *ui, struct ask_state *st)
{
	struct ui_item items[64];
	size_t n;
	const struct answer_keyboard *kb = answer_keyboards(&n);

	if (n > ARRAY_SIZE(items))
		n = ARRAY_SIZE(items);
	for (size_t i = 0; i < n; i++)
		items[i] = (struct ui_item){ kb[i].code, kb[i].name };
	return ask_valid(ui, "Keyboard", "Keyboard layout of the installed system:", "keyboard",
			 items, n, st->keyboard, sizeof(st->keyboard));
}

static int ask_gpu(struct ui *ui, const struct ask_input *in, struct ask_state *st)
{
	struct ui_item items[18];
	char text[16][192];
	char prompt[2048];
	size_t n = 0;

	items[n++] = (struct ui_item){ "auto", "the discrete GPU that is not the boot GPU" };
	items[n++] = (struct ui_item){ "none", "configure the IOMMU only, isolate nothing" };
	for (size_t i = 0; i < in->hw->n_gpus && i < 16; i++) {
		const struct hw_gpu *g = &in->hw->gpus[i];
		const struct hw_pci_dev *d = &in->hw->pci[g->display];

		snprintf(text[i], sizeof(text[i]), "%.60s %.60s%s%s", d->vendor_name,
			 d->device_name, g->is_boot ? " (boot GPU)" : "",
			 g->group_clean ? "" : " (shared IOMMU group)");
		items[n++] = (struct ui_item){ d->addr, text[i] };
	}
	snprintf(prompt, sizeof(prompt), "Which GPU should be isolated for the VM?\n\n%s",
		 in->gpu_explain ? in->gpu_explain : "");
	return ui->menu(ui, "GPU passthrough", prompt, items, n, st->gpu, st->gpu,
			sizeof(st->gpu));
}

/* What the filesystem choice makes on the one disk, in the summary's words. */
static const char *fs_layout(const char *fs)
{
	if (!strcmp(fs, "btrfs"))
		return "btrfs (raid0, one disk)";
	if (!strcmp(fs, "zfs"))
		return "zfs (pool rpool, raid0, one disk)";
	if (!strcmp(fs, "xfs"))
		return "xfs on LVM (pve/root, pve/data thin pool)";
	return "ext4 on LVM (pve/root, pve/data thin pool)";
}

static int ask_summary(struct ui *ui, const struct ask_input *in, struct ask_state *st)
{
	const struct hw *hw = in->hw;
	char text[4096], sz[32] = "?", holds[1400] = "";
	const char *model = "";
	int ret;

	for (size_t i = 0; i < hw->n_disks; i++)
		if (!strcmp(hw->disks[i].name, st->disk)) {
			fmt_size(sz, sizeof(sz), hw->disks[i].size_bytes);
			model = hw->disks[i].model;
			if (disk_holds(in, i))
				snprintf(holds, sizeof(holds),
					 "/dev/%s IS NOT EMPTY. It holds: %.1200s\n\n", st->disk,
					 disk_holds(in, i));
		}
	snprintf(text, sizeof(text),
		 "%sALL DATA ON /dev/%s (%s %s) WILL BE ERASED.\n\n"
		 "Filesystem: %s\nHost name: %s\nNetwork: %s on %s%s%s\n"
		 "E-mail: %s\nCountry: %s, time zone: %s, keyboard: %s\n"
		 "GPU to isolate: %s\n\nInstall now?",
		 holds, st->disk, sz, model, fs_layout(st->filesystem), st->fqdn,
		 st->dhcp ? "DHCP" : st->cidr, st->nic, st->dhcp ? "" : ", gateway ",
		 st->dhcp ? "" : st->gateway, st->mailto, st->country, st->timezone, st->keyboard,
		 st->gpu);
	ret = ui->yesno(ui, "Summary", text, true);
	st->confirmed_wipe = ret == UI_OK;
	return ret;
}

/* one disk: LVM (as Proxmox: swap, root, the thin pool data), btrfs or zfs raid0 */
static const struct ui_item fs_items[] = {
	{ "ext4", "ext4 on LVM (default)" },
	{ "xfs", "XFS on LVM" },
	{ "btrfs", "btrfs, raid0 on the one disk" },
	{ "zfs", "ZFS, pool rpool, raid0 on the one disk" },
};

static const struct ui_item netmode_items[] = {
	{ "dhcp", "address from DHCP" },
	{ "static", "static address" },
};

int inst_ask(struct ui *ui, const struct ask_input *in, struct ask_state *st, struct ip_err *err)
{
	enum ask_screen s = ASK_WELCOME;
	char mode[16];
	char welcome[4096];

	while (s != ASK_DONE) {
		int ret = UI_OK;

		switch (s) {
		case ASK_WELCOME:
			snprintf(welcome, sizeof(welcome),
				 "Welcome to ironpass: Proxmox VE with GPU passthrough.\n\n%s\n\n"
				 "Esc goes back one screen.",
				 in->verdict ? in->verdict : "");
			ret = ui->yesno(ui, "ironpass installer", welcome, false);
			if (ret != UI_OK)
				return ip_err_set(err, -ECANCELED, "installation cancelled");
			break;
		case ASK_DISK:
			ret = ask_disk(ui, in, st);
			if (ret == -ENODEV)
				return ip_err_set(err, -ENODEV, "no disk to install on%s",
						  in->wipe_never ? " ([ironpass] wipe = \"never\" "
						  "keeps every disk that is not empty)" : "");
			break;
		case ASK_FS:
			ret = ui->menu(ui, "Filesystem", "Root filesystem:", fs_items,
				       ARRAY_SIZE(fs_items), st->filesystem, st->filesystem,
				       sizeof(st->filesystem));
			break;
		case ASK_NIC:
			ret = ask_nic(ui, in->hw, st);
			if (ret == -ENODEV)
				return ip_err_set(err, -ENODEV, "no network card found");
			break;
		case ASK_NETMODE:
			ret = ui->menu(ui, "Network", "How does this host get its address?",
				       netmode_items, ARRAY_SIZE(netmode_items),
				       st->dhcp ? "dhcp" : "static", mode, sizeof(mode));
			if (ret == UI_OK)
				st->dhcp = strcmp(mode, "static") != 0;
			break;
		case ASK_STATIC:
			if (!st->dhcp)
				ret = ask_static(ui, st);
			break;
		case ASK_FQDN:
			ret = ui->input(ui, "Host name",
					"Fully qualified domain name (e.g. pve1.example.com):",
					st->fqdn, st->fqdn, sizeof(st->fqdn));
			break;
		case ASK_PASSWORD:
			ret = ask_password(ui, st);
			break;
		case ASK_MAILTO:
			ret = ask_valid(ui, "E-mail",
					"E-mail address for the node's notifications "
					"(e.g. admin@example.com):",
					"mailto", NULL, 0, st->mailto, sizeof(st->mailto));
			break;
		case ASK_COUNTRY:
			ret = ask_valid(ui, "Country", "Country, as a two-letter code (e.g. at, de, us):",
					"country", NULL, 0, st->country, sizeof(st->country));
			break;
		case ASK_TIMEZONE:
			ret = ask_valid(ui, "Time zone", "Time zone (e.g. Europe/Berlin or UTC):",
					"timezone", NULL, 0, st->timezone, sizeof(st->timezone));
			break;
		case ASK_KEYBOARD:
			ret = ask_keyboard(ui, st);
			break;
		case ASK_GPU:
			ret = ask_gpu(ui, in, st);
			break;
		case ASK_SUMMARY:
			ret = ask_summary(ui, in, st);
			if (ret == UI_CANCEL)
				ret = UI_BACK;
			break;
		case ASK_DONE:
			break;
		}
		if (ret < 0)
			return ip_err_errno(err, ret, "screen %d failed", (int)s);
		if (ret == UI_BACK || ret == UI_CANCEL) {
			s--;
			if (s == ASK_STATIC && st->dhcp)
				s--;
			continue;
		}
		s++;
	}
	return 0;
}

static void toml_quote(struct strbuf *sb, const char *val)
{
	sb_puts(sb, "\"");
	for (const unsigned char *p = (const unsigned char *)val; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_printf(sb, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			sb_printf(sb, "\\u%04x", *p);
		else
			sb_add(sb, (const char *)p, 1);
	}
	sb_puts(sb, "\"");
}

static void toml_str(struct strbuf *sb, const char *key, const char *val)
{
	sb_printf(sb, "%s = ", key);
	toml_quote(sb, val);
	sb_puts(sb, "\n");
}

char *inst_ask_to_toml(const struct ask_state *st)
{
	struct strbuf sb = { 0 };

	sb_puts(&sb, "# written by the ironpass installer from the on-screen answers\n[global]\n");
	toml_str(&sb, "keyboard", st->keyboard);
	toml_str(&sb, "country", st->country);
	toml_str(&sb, "fqdn", st->fqdn);
	toml_str(&sb, "mailto", st->mailto);
	toml_str(&sb, "timezone", st->timezone);
	toml_str(&sb, "root-password", st->password);
	sb_puts(&sb, "\n[network]\n");
	if (st->dhcp) {
		sb_puts(&sb, "source = \"from-dhcp\"\n");
	} else {
		sb_puts(&sb, "source = \"from-answer\"\n");
		toml_str(&sb, "cidr", st->cidr);
		toml_str(&sb, "gateway", st->gateway);
		toml_str(&sb, "dns", st->dns);
	}
	toml_str(&sb, "filter.INTERFACE", st->nic);
	sb_puts(&sb, "\n[disk-setup]\n");
	toml_str(&sb, "filesystem", st->filesystem);
	/* the answer needs a level for btrfs and zfs; on one disk Proxmox allows raid0 */
	if (!strcmp(st->filesystem, "btrfs"))
		toml_str(&sb, "btrfs.raid", "raid0");
	else if (!strcmp(st->filesystem, "zfs"))
		toml_str(&sb, "zfs.raid", "raid0");
	sb_puts(&sb, "disk-list = [");
	toml_quote(&sb, st->disk);
	sb_puts(&sb, "]\n\n[passthrough]\n");
	if (!strcmp(st->gpu, "auto") || !strcmp(st->gpu, "none"))
		toml_str(&sb, "gpu", st->gpu);
	else {
		sb_puts(&sb, "gpu = [");
		toml_quote(&sb, st->gpu);
		sb_puts(&sb, "]\n");
	}
	/* the summary's "yes" is the confirmation: the session passes it to the disk step */
	sb_puts(&sb, "\n[ironpass]\nwipe = \"empty-only\"\n");
	/* installed from a serial console (IPMI SOL): the node keeps its console there */
	if (st->serial_console[0])
		toml_str(&sb, "serial-console", st->serial_console);
	return sb_detach(&sb);
}
