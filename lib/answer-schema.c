// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The answer-file key schema: one table row per key (section, dotted name,
 * type, where it goes in struct answer, how its value is checked). The
 * walker in answer-walk.c applies a TOML tree through it.
 */
#include <stddef.h>
#include <string.h>

#include "answer-int.h"

#define OFF(f) offsetof(struct answer, f)

const char *const answer_sec_names[AS__MAX] = {
	[AS_GLOBAL] = "global",
	[AS_NETWORK] = "network",
	[AS_DISK] = "disk-setup",
	[AS_FIRST_BOOT] = "first-boot",
	[AS_WEBHOOK] = "post-installation-webhook",
	[AS_PASSTHROUGH] = "passthrough",
	[AS_VM] = "vm-template",
	[AS_IRONPASS] = "ironpass",
	[AS_PROFILE] = "profile",
};

static const char *const v_reboot_mode[] = { "reboot", "power-off", NULL };
static const char *const v_net_source[] = { "from-dhcp", "from-answer", NULL };
static const char *const v_fs[] = { "ext4", "xfs", "zfs", "btrfs", NULL };
static const char *const v_match[] = { "any", "all", NULL };
static const char *const v_zfs_raid[] = {
	"raid0", "raid1", "raid10", "raidz-1", "raidz-2", "raidz-3", NULL,
};
/* Proxmox accepts these upper-case spellings too (and no other mix of cases) */
static const char *const v_zfs_raid_upper[] = {
	"RAID0", "RAID1", "RAID10", "RAIDZ-1", "RAIDZ-2", "RAIDZ-3", NULL,
};
static const char *const v_btrfs_raid[] = { "raid0", "raid1", "raid10", NULL };
static const char *const v_btrfs_raid_upper[] = { "RAID0", "RAID1", "RAID10", NULL };
static const char *const v_zfs_checksum[] = { "on", "fletcher4", "sha256", NULL };
static const char *const v_zfs_compress[] = {
	"on", "off", "lzjb", "lz4", "zle", "gzip", "zstd", NULL,
};
static const char *const v_btrfs_compress[] = { "on", "off", "zlib", "lzo", "zstd", NULL };
static const char *const v_fb_source[] = { "from-iso", "from-url", NULL };
static const char *const v_fb_order[] = {
	"before-network", "network-online", "fully-up", NULL,
};
static const char *const v_wipe[] = { "never", "empty-only", "always", NULL };
static const char *const v_entry[] = { "install", "unattended", "report", "rescue", "localboot",
					NULL };

#define STR(n, s, f, v) { n, s, AKT_STR, .off = OFF(f), .valid = v }
#define SECRET(n, s, f, v) { n, s, AKT_STR, .secret = true, .off = OFF(f), .valid = v }
#define BOOL(n, s, f) { n, s, AKT_BOOL, .off = OFF(f) }
#define ENUM(n, s, f, vals, base) \
	{ n, s, AKT_ENUM, .off = OFF(f), .values = vals, .enum_base = base }
#define CHOICE(n, s, f, vals) { n, s, AKT_CHOICE, .off = OFF(f), .values = vals }
#define CHOICE_ALIAS(n, s, f, vals, al) \
	{ n, s, AKT_CHOICE, .off = OFF(f), .values = vals, .aliases = al }
#define UINT(n, s, f, lo, hi) { n, s, AKT_UINT, .off = OFF(f), .min = lo, .max = hi }
#define SIZE(n, s, f, has) { n, s, AKT_SIZE, .off = OFF(f), .off_n = OFF(has) }
#define STRV(n, s, f, cnt, v) { n, s, AKT_STRV, .off = OFF(f), .off_n = OFF(cnt), .valid = v }
#define MAP(n, s, f, cnt) { n, s, AKT_MAP, .off = OFF(f), .off_n = OFF(cnt) }
#define CUSTOM(n, s, fn, desc) { n, s, AKT_CUSTOM, .custom = fn, .type_desc = desc }

const struct answer_key answer_keys[AK__MAX] = {
	[AK_KEYBOARD] = STR("keyboard", AS_GLOBAL, global.keyboard, answer_valid_keyboard),
	[AK_COUNTRY] = STR("country", AS_GLOBAL, global.country, answer_valid_country),
	[AK_FQDN] = CUSTOM("fqdn", AS_GLOBAL, answer_custom_fqdn, "a string or a table"),
	[AK_FQDN_SOURCE] = CUSTOM("fqdn.source", AS_GLOBAL, answer_custom_fqdn_source, "a string"),
	[AK_FQDN_DOMAIN] = { "fqdn.domain", AS_GLOBAL, AKT_STR, .empty_unset = true,
			     .off = OFF(global.fqdn_domain), .valid = answer_valid_domain },
	[AK_MAILTO] = STR("mailto", AS_GLOBAL, global.mailto, answer_valid_email),
	[AK_TIMEZONE] = STR("timezone", AS_GLOBAL, global.timezone, answer_valid_timezone),
	[AK_ROOT_PASSWORD] = SECRET("root-password", AS_GLOBAL, global.root_password,
				    answer_valid_password),
	[AK_ROOT_PASSWORD_HASHED] = SECRET("root-password-hashed", AS_GLOBAL,
					   global.root_password_hashed,
					   answer_valid_password_hash),
	[AK_ROOT_SSH_KEYS] = STRV("root-ssh-keys", AS_GLOBAL, global.root_ssh_keys,
				  global.n_root_ssh_keys, answer_valid_ssh_key),
	[AK_REBOOT_ON_ERROR] = BOOL("reboot-on-error", AS_GLOBAL, global.reboot_on_error),
	[AK_REBOOT_MODE] = ENUM("reboot-mode", AS_GLOBAL, global.reboot_mode, v_reboot_mode, 0),
	[AK_SUBSCRIPTION_KEY] = SECRET("subscription-key", AS_GLOBAL, global.subscription_key,
				       answer_valid_subscription_key),

	[AK_NET_SOURCE] = ENUM("source", AS_NETWORK, network.source, v_net_source, 0),
	[AK_NET_CIDR] = STR("cidr", AS_NETWORK, network.cidr, answer_valid_cidr),
	[AK_NET_DNS] = STR("dns", AS_NETWORK, network.dns, answer_valid_ip),
	[AK_NET_GATEWAY] = STR("gateway", AS_NETWORK, network.gateway, answer_valid_ip),
	[AK_NET_FILTER] = MAP("filter", AS_NETWORK, network.filters, network.n_filters),
	[AK_NET_PIN_ENABLED] = BOOL("interface-name-pinning.enabled", AS_NETWORK,
				    network.pinning_enabled),
	[AK_NET_PIN_MAPPING] = CUSTOM("interface-name-pinning.mapping", AS_NETWORK, answer_custom_pins,
				      "a table"),

	[AK_DISK_FS] = ENUM("filesystem", AS_DISK, disk.filesystem, v_fs, 0),
	[AK_DISK_LIST] = STRV("disk-list", AS_DISK, disk.disk_list, disk.n_disk_list,
			      answer_valid_disk),
	[AK_DISK_FILTER] = MAP("filter", AS_DISK, disk.filters, disk.n_filters),
	[AK_DISK_FILTER_MATCH] = ENUM("filter-match", AS_DISK, disk.filter_match, v_match, 0),
	[AK_ZFS_RAID] = CHOICE_ALIAS("zfs.raid", AS_DISK, disk.raid, v_zfs_raid,
					 v_zfs_raid_upper),
	[AK_ZFS_ASHIFT] = UINT("zfs.ashift", AS_DISK, disk.zfs_ashift, 9, 16),
	[AK_ZFS_ARC_MAX] = { "zfs.arc-max", AS_DISK, AKT_U64, .off = OFF(disk.zfs_arc_max),
			     .min = 64, .max = UINT64_C(1) << 40 },
	[AK_ZFS_CHECKSUM] = CHOICE("zfs.checksum", AS_DISK, disk.zfs_checksum, v_zfs_checksum),
	[AK_ZFS_COMPRESS] = CHOICE("zfs.compress", AS_DISK, disk.zfs_compress, v_zfs_compress),
	[AK_ZFS_COPIES] = UINT("zfs.copies", AS_DISK, disk.zfs_copies, 1, 3),
	[AK_ZFS_HDSIZE] = SIZE("zfs.hdsize", AS_DISK, disk.hdsize, disk.has_hdsize),
	[AK_LVM_HDSIZE] = SIZE("lvm.hdsize", AS_DISK, disk.hdsize, disk.has_hdsize),
	[AK_LVM_SWAPSIZE] = SIZE("lvm.swapsize", AS_DISK, disk.swapsize, disk.has_swapsize),
	[AK_LVM_MAXROOT] = SIZE("lvm.maxroot", AS_DISK, disk.maxroot, disk.has_maxroot),
	[AK_LVM_MINFREE] = SIZE("lvm.minfree", AS_DISK, disk.minfree, disk.has_minfree),
	[AK_LVM_MAXVZ] = SIZE("lvm.maxvz", AS_DISK, disk.maxvz, disk.has_maxvz),
	[AK_BTRFS_RAID] = CHOICE_ALIAS("btrfs.raid", AS_DISK, disk.raid, v_btrfs_raid,
					   v_btrfs_raid_upper),
	[AK_BTRFS_HDSIZE] = SIZE("btrfs.hdsize", AS_DISK, disk.hdsize, disk.has_hdsize),
	[AK_BTRFS_COMPRESS] = CHOICE("btrfs.compress", AS_DISK, disk.btrfs_compress,
				     v_btrfs_compress),

	[AK_FB_SOURCE] = ENUM("source", AS_FIRST_BOOT, first_boot.source, v_fb_source,
			      ANSWER_FB_ISO),
	[AK_FB_URL] = STR("url", AS_FIRST_BOOT, first_boot.url, answer_valid_url),
	[AK_FB_CERT] = STR("cert-fingerprint", AS_FIRST_BOOT, first_boot.cert_fingerprint,
			   answer_valid_fingerprint),
	[AK_FB_ORDERING] = ENUM("ordering", AS_FIRST_BOOT, first_boot.ordering, v_fb_order, 0),

	[AK_WH_URL] = STR("url", AS_WEBHOOK, webhook.url, answer_valid_url),
	[AK_WH_CERT] = STR("cert-fingerprint", AS_WEBHOOK, webhook.cert_fingerprint,
			   answer_valid_fingerprint),
	[AK_WH_TOKEN] = SECRET("auth-token", AS_WEBHOOK, webhook.auth_token, answer_valid_token),

	[AK_PT_GPU] = CUSTOM("gpu", AS_PASSTHROUGH, answer_custom_gpu, "a string or an array of strings"),
	[AK_PT_ALLOW_SINGLE] = BOOL("allow-single-gpu", AS_PASSTHROUGH,
				    passthrough.allow_single_gpu),
	[AK_PT_ACS] = BOOL("acs-override", AS_PASSTHROUGH, passthrough.acs_override),
	[AK_PT_IOMMU_PT] = BOOL("iommu-pt", AS_PASSTHROUGH, passthrough.iommu_pt),
	[AK_PT_HUGEPAGES] = UINT("hugepages", AS_PASSTHROUGH, passthrough.hugepages, 0, 4096),
	[AK_PT_KERNEL_ARGS] = STRV("kernel-args", AS_PASSTHROUGH, passthrough.kernel_args,
				   passthrough.n_kernel_args, answer_valid_kernel_arg),

	[AK_VM_ENABLED] = BOOL("enabled", AS_VM, vm.enabled),
	[AK_VM_VMID] = UINT("vmid", AS_VM, vm.vmid, 100, 999999999),
	[AK_VM_NAME] = STR("name", AS_VM, vm.name, answer_valid_vm_name),
	[AK_VM_CORES] = UINT("cores", AS_VM, vm.cores, 1, 1024),
	[AK_VM_MEMORY] = UINT("memory", AS_VM, vm.memory, 4096, 16u * 1024 * 1024),
	[AK_VM_DISK_SIZE] = UINT("disk-size", AS_VM, vm.disk_size, 64, 1024u * 1024),
	[AK_VM_STORAGE] = STR("storage", AS_VM, vm.storage, answer_valid_storage),
	[AK_VM_BRIDGE] = STR("bridge", AS_VM, vm.bridge, answer_valid_ifname),
	[AK_VM_WIN_ISO] = STR("windows-iso", AS_VM, vm.windows_iso, answer_valid_iso_source),
	[AK_VM_VIRTIO_ISO] = STR("virtio-iso", AS_VM, vm.virtio_iso, answer_valid_iso_source),
	[AK_VM_WIN_ISO_SHA] = STR("windows-iso-sha256", AS_VM, vm.windows_iso_sha256,
				  answer_valid_sha256),
	[AK_VM_VIRTIO_ISO_SHA] = STR("virtio-iso-sha256", AS_VM, vm.virtio_iso_sha256,
				     answer_valid_sha256),
	[AK_VM_UNATTENDED] = BOOL("unattended", AS_VM, vm.unattended),
	[AK_VM_WIN_EDITION] = STR("windows-edition", AS_VM, vm.windows_edition,
				  answer_valid_win_edition),
	[AK_VM_WIN_LANG] = STR("windows-language", AS_VM, vm.windows_language,
			       answer_valid_win_language),
	[AK_VM_ADMIN_USER] = STR("admin-user", AS_VM, vm.admin_user, answer_valid_win_user),
	[AK_VM_ADMIN_PASSWORD] = SECRET("admin-password", AS_VM, vm.admin_password,
					answer_valid_win_password),
	[AK_VM_COMPUTER_NAME] = STR("computer-name", AS_VM, vm.computer_name,
				    answer_valid_netbios_name),

	[AK_IP_WIPE] = ENUM("wipe", AS_IRONPASS, ironpass.wipe, v_wipe, 0),
	[AK_IP_SERIAL] = STR("serial-console", AS_IRONPASS, ironpass.serial_console,
			     answer_valid_serial),
	[AK_IP_EVENTS] = STRV("webhook-events", AS_IRONPASS, ironpass.webhook_events,
			      ironpass.n_webhook_events, answer_valid_event),
	[AK_IP_PACKAGES] = STRV("packages", AS_IRONPASS, ironpass.packages,
				ironpass.n_packages, answer_valid_package),
	[AK_IP_PVE_REPO] = STR("pve-repository", AS_IRONPASS, ironpass.pve_repository,
			       answer_valid_url),

	[AK_PR_NAME] = STR("name", AS_PROFILE, profile.name, answer_valid_vm_name),
	[AK_PR_SUITE] = STR("suite", AS_PROFILE, profile.suite, answer_valid_suite),
	[AK_PR_MIRROR] = STR("mirror", AS_PROFILE, profile.mirror, answer_valid_url),
	[AK_PR_LIVE_PKGS] = STRV("live-packages", AS_PROFILE, profile.live_packages,
				 profile.n_live_packages, answer_valid_package),
	[AK_PR_BOOT_ARGS] = STRV("boot-args", AS_PROFILE, profile.boot_args,
				 profile.n_boot_args, answer_valid_kernel_arg),
	[AK_PR_DEFAULT_ENTRY] = CHOICE("default-entry", AS_PROFILE, profile.default_entry, v_entry),
	[AK_PR_MENU_TIMEOUT] = UINT("menu-timeout", AS_PROFILE, profile.menu_timeout, 0, 3600),
	[AK_PR_EMBED] = BOOL("embed-answer", AS_PROFILE, profile.embed_answer),
};

/* ---- lookups ---- */

int answer_key_find(int sec, const char *name)
{
	for (int i = 0; i < AK__MAX; i++)
		if (answer_keys[i].sec == sec && !strcmp(answer_keys[i].name, name))
			return i;
	return -1;
}

bool answer_key_is_prefix(int sec, const char *prefix)
{
	size_t len = strlen(prefix);

	for (int i = 0; i < AK__MAX; i++)
		if (answer_keys[i].sec == sec && !strncmp(answer_keys[i].name, prefix, len) &&
		    answer_keys[i].name[len] == '.')
			return true;
	return false;
}

/* ---- one value alone (the screens) ---- */

const char *answer_value_problem(const char *section, const char *key, const char *value)
{
	const struct answer_key *k;
	int sec, id;

	for (sec = 0; sec < AS__MAX; sec++)
		if (!strcmp(answer_sec_names[sec], section))
			break;
	id = sec < AS__MAX ? answer_key_find(sec, key) : -1;
	if (id < 0)
		return "is not a key of the answer file";
	k = &answer_keys[id];
	if (k->type != AKT_STR && k->type != AKT_ENUM && k->type != AKT_CHOICE)
		return "cannot be checked alone";
	if (!value || !*value)
		return k->empty_unset ? NULL : "must not be empty";
	if (k->values) {
		for (int i = 0; k->values[i]; i++)
			if (!strcmp(k->values[i], value) ||
			    (k->aliases && !strcmp(k->aliases[i], value)))
				return NULL;
		return "is not one of the values the key accepts";
	}
	return k->valid ? k->valid(value) : NULL;
}
