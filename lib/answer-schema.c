// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The answer-file key schema: one table row per key (section, dotted name,
 * type, where it goes in struct answer, how its value is checked) and the
 * walker that applies a TOML tree to struct answer through it.
 *
 * Dotted keys, sub-tables and inline tables reach the walker as the same
 * nested tables, so `filter.ID_SERIAL = "x"` under [disk-setup] and
 * `ID_SERIAL = "x"` under [disk-setup.filter] are one thing here.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "answer-int.h"
#include "util.h"

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
static const char *const v_btrfs_raid[] = { "raid0", "raid1", "raid10", NULL };
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
static const char *const v_entry[] = { "install", "unattended", "report", "rescue", NULL };
static const char *const v_from_dhcp[] = { "from-dhcp", NULL };

static int schema_fqdn(struct answer_ctx *c, int id, const struct toml_kv *kv);
static int schema_fqdn_source(struct answer_ctx *c, int id, const struct toml_kv *kv);
static int schema_pins(struct answer_ctx *c, int id, const struct toml_kv *kv);
static int schema_gpu(struct answer_ctx *c, int id, const struct toml_kv *kv);

#define STR(n, s, f, v) { n, s, AKT_STR, .off = OFF(f), .valid = v }
#define SECRET(n, s, f, v) { n, s, AKT_STR, .secret = true, .off = OFF(f), .valid = v }
#define BOOL(n, s, f) { n, s, AKT_BOOL, .off = OFF(f) }
#define ENUM(n, s, f, vals, base) { n, s, AKT_ENUM, .off = OFF(f), .values = vals, .enum_base = base }
#define CHOICE(n, s, f, vals) { n, s, AKT_CHOICE, .off = OFF(f), .values = vals }
#define UINT(n, s, f, lo, hi) { n, s, AKT_UINT, .off = OFF(f), .min = lo, .max = hi }
#define SIZE(n, s, f, has) { n, s, AKT_SIZE, .off = OFF(f), .off_n = OFF(has) }
#define STRV(n, s, f, cnt, v) { n, s, AKT_STRV, .off = OFF(f), .off_n = OFF(cnt), .valid = v }
#define MAP(n, s, f, cnt) { n, s, AKT_MAP, .off = OFF(f), .off_n = OFF(cnt) }
#define CUSTOM(n, s, fn, desc) { n, s, AKT_CUSTOM, .custom = fn, .type_desc = desc }

const struct answer_key answer_keys[AK__MAX] = {
	[AK_KEYBOARD] = STR("keyboard", AS_GLOBAL, global.keyboard, answer_valid_keyboard),
	[AK_COUNTRY] = STR("country", AS_GLOBAL, global.country, answer_valid_country),
	[AK_FQDN] = CUSTOM("fqdn", AS_GLOBAL, schema_fqdn, "a string or a table"),
	[AK_FQDN_SOURCE] = CUSTOM("fqdn.source", AS_GLOBAL, schema_fqdn_source, "a string"),
	[AK_FQDN_DOMAIN] = STR("fqdn.domain", AS_GLOBAL, global.fqdn_domain, answer_valid_domain),
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

	[AK_NET_SOURCE] = ENUM("source", AS_NETWORK, network.source, v_net_source, 0),
	[AK_NET_CIDR] = STR("cidr", AS_NETWORK, network.cidr, answer_valid_cidr),
	[AK_NET_DNS] = STR("dns", AS_NETWORK, network.dns, answer_valid_ip),
	[AK_NET_GATEWAY] = STR("gateway", AS_NETWORK, network.gateway, answer_valid_ip),
	[AK_NET_FILTER] = MAP("filter", AS_NETWORK, network.filters, network.n_filters),
	[AK_NET_PIN_ENABLED] = BOOL("interface-name-pinning.enabled", AS_NETWORK,
				    network.pinning_enabled),
	[AK_NET_PIN_MAPPING] = CUSTOM("interface-name-pinning.mapping", AS_NETWORK, schema_pins,
				      "a table"),

	[AK_DISK_FS] = ENUM("filesystem", AS_DISK, disk.filesystem, v_fs, 0),
	[AK_DISK_LIST] = STRV("disk-list", AS_DISK, disk.disk_list, disk.n_disk_list,
			      answer_valid_disk),
	[AK_DISK_FILTER] = MAP("filter", AS_DISK, disk.filters, disk.n_filters),
	[AK_DISK_FILTER_MATCH] = ENUM("filter-match", AS_DISK, disk.filter_match, v_match, 0),
	[AK_ZFS_RAID] = CHOICE("zfs.raid", AS_DISK, disk.raid, v_zfs_raid),
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
	[AK_BTRFS_RAID] = CHOICE("btrfs.raid", AS_DISK, disk.raid, v_btrfs_raid),
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

	[AK_PT_GPU] = CUSTOM("gpu", AS_PASSTHROUGH, schema_gpu, "a string or an array of strings"),
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
	[AK_VM_WIN_ISO] = STR("windows-iso", AS_VM, vm.windows_iso, answer_valid_volid),
	[AK_VM_VIRTIO_ISO] = STR("virtio-iso", AS_VM, vm.virtio_iso, answer_valid_volid),
	[AK_VM_UNATTENDED] = BOOL("unattended", AS_VM, vm.unattended),

	[AK_IP_WIPE] = ENUM("wipe", AS_IRONPASS, ironpass.wipe, v_wipe, 0),
	[AK_IP_SERIAL] = STR("serial-console", AS_IRONPASS, ironpass.serial_console,
			     answer_valid_serial),
	[AK_IP_EVENTS] = STRV("webhook-events", AS_IRONPASS, ironpass.webhook_events,
			      ironpass.n_webhook_events, answer_valid_event),
	[AK_IP_PACKAGES] = STRV("packages", AS_IRONPASS, ironpass.packages,
				ironpass.n_packages, answer_valid_package),

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

static void *field(struct answer_ctx *c, size_t off)
{
	return (char *)c->a + off;
}

/* ---- type names for messages ---- */

static const char *schema_type_desc(const struct toml_value *v)
{
	switch (v->type) {
	case TOML_TABLE: return "a table";
	case TOML_ARRAY: return "an array";
	case TOML_STRING: return "a string";
	case TOML_INTEGER: return "an integer";
	case TOML_FLOAT: return "a float";
	case TOML_BOOL: return "a boolean";
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL: return "a date-time";
	case TOML_DATE_LOCAL: return "a date";
	case TOML_TIME_LOCAL: return "a time";
	}
	return "a value";
}

static const char *key_type_desc(const struct answer_key *k)
{
	switch (k->type) {
	case AKT_STR:
	case AKT_ENUM:
	case AKT_CHOICE: return "a string";
	case AKT_BOOL: return "a boolean";
	case AKT_UINT:
	case AKT_U64: return "an integer";
	case AKT_SIZE: return "a number";
	case AKT_STRV: return "an array of strings";
	case AKT_MAP: return "a table";
	case AKT_CUSTOM: return k->type_desc;
	}
	return "a value";
}

static void type_error(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	answer_err(c, kv->key_pos, "'%s' must be %s, not %s", answer_keys[id].name,
		   key_type_desc(&answer_keys[id]), schema_type_desc(kv->value));
}

/* ---- values ---- */

static char *dup_or_oom(struct answer_ctx *c, const char *s)
{
	char *d = strdup(s);

	if (!d)
		c->oom = true;
	return d;
}

/* A string value that is usable at all: no NUL inside, not empty. */
static bool string_ok(struct answer_ctx *c, const char *name, const struct toml_value *v)
{
	if (strlen(v->u.str.ptr) != v->u.str.len) {
		answer_err(c, v->pos, "'%s' must not contain NUL characters", name);
		return false;
	}
	if (v->u.str.len == 0) {
		answer_err(c, v->pos, "'%s' must not be empty", name);
		return false;
	}
	return true;
}

static void list_choices(char *buf, size_t size, const char *const *values)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; values[i] && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", values[i]);
}

static int choice_index(struct answer_ctx *c, int id, const struct toml_value *v)
{
	const struct answer_key *k = &answer_keys[id];
	char list[256];

	for (int i = 0; k->values[i]; i++)
		if (!strcmp(k->values[i], v->u.str.ptr))
			return i;
	list_choices(list, sizeof(list), k->values);
	answer_err(c, v->pos, "invalid '%s' value '%s': expected one of %s", k->name,
		   answer_show(v->u.str.ptr, 0), list);
	return -1;
}

static bool string_valid(struct answer_ctx *c, int id, const struct toml_value *v)
{
	const struct answer_key *k = &answer_keys[id];
	const char *why;

	if (!string_ok(c, k->name, v))
		return false;
	if (!k->valid || !(why = k->valid(v->u.str.ptr)))
		return true;
	if (k->secret)
		answer_err(c, v->pos, "invalid '%s': %s", k->name, why);
	else
		answer_err(c, v->pos, "invalid '%s' value '%s': %s", k->name,
			   answer_show(v->u.str.ptr, 0), why);
	return false;
}

static void remember_secret(struct answer_ctx *c, const struct toml_value *v)
{
	if (c->n_secrets < ARRAY_SIZE(c->secrets))
		/* the tree is ours (answer_parse made it): it gets wiped before it is freed */
		c->secrets[c->n_secrets++] = (struct toml_value *)v;
}

/* "/dev/sda" and "sda" are the same disk */
static const char *disk_base(const char *s)
{
	return strncmp(s, "/dev/", 5) ? s : s + 5;
}

static bool strv_is_dup(int id, char **list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++) {
		if (!list[i])
			continue;
		if (id == AK_DISK_LIST ? !strcmp(disk_base(list[i]), disk_base(s))
				       : !strcmp(list[i], s))
			return true;
	}
	return false;
}

static bool apply_strv(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	const struct answer_key *k = &answer_keys[id];
	const struct toml_value *arr = kv->value;
	size_t n = toml_array_len(arr), j = 0;
	bool ok = true;
	char **list;

	list = calloc(n + 1, sizeof(*list));
	if (!list) {
		c->oom = true;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const struct toml_value *e = toml_array_at(arr, i);

		if (e->type != TOML_STRING) {
			answer_err(c, e->pos, "'%s' must be an array of strings, not hold %s",
				   k->name, schema_type_desc(e));
			ok = false;
			continue;
		}
		if (!string_valid(c, id, e)) {
			ok = false;
			continue;
		}
		if (strv_is_dup(id, list, j, e->u.str.ptr)) {
			if (id == AK_DISK_LIST)
				answer_err(c, e->pos, "duplicate disk '%s' in 'disk-list'",
					   answer_show(e->u.str.ptr, 0));
			else
				answer_err(c, e->pos, "duplicate entry '%s' in '%s'",
					   answer_show(e->u.str.ptr, 0), k->name);
			ok = false;
			continue;
		}
		list[j] = dup_or_oom(c, e->u.str.ptr);
		if (list[j])
			j++;
	}
	*(char ***)field(c, k->off) = list;
	*(size_t *)field(c, k->off_n) = j;
	return ok;
}

static bool apply_map(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	const struct answer_key *k = &answer_keys[id];
	size_t n = toml_table_len(kv->value), j = 0;
	struct answer_filter *f;

	f = calloc(n + 1, sizeof(*f));
	if (!f) {
		c->oom = true;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const struct toml_kv *e = toml_table_at(kv->value, i);
		const char *why;

		if ((why = answer_valid_udev_key(e->key))) {
			answer_err(c, e->key_pos, "invalid '%s' key '%s': %s", k->name,
				   answer_show(e->key, 0), why);
			continue;
		}
		if (e->value->type != TOML_STRING) {
			answer_err(c, e->key_pos, "'%s.%s' must be a string, not %s", k->name,
				   e->key, schema_type_desc(e->value));
			continue;
		}
		if (!string_ok(c, k->name, e->value))
			continue;
		if ((why = answer_valid_glob(e->value->u.str.ptr))) {
			answer_err(c, e->value->pos, "invalid '%s.%s' value: %s", k->name, e->key,
				   why);
			continue;
		}
		f[j].key = dup_or_oom(c, e->key);
		f[j].glob = dup_or_oom(c, e->value->u.str.ptr);
		j++;
	}
	if (n == 0)
		answer_err(c, kv->key_pos, "'%s' must not be empty", k->name);
	*(struct answer_filter **)field(c, k->off) = f;
	*(size_t *)field(c, k->off_n) = j;
	return n > 0 && j == n;
}

static bool apply_int(struct answer_ctx *c, int id, const struct toml_kv *kv, uint64_t *out)
{
	const struct answer_key *k = &answer_keys[id];
	int64_t v = kv->value->u.integer;

	if (v < 0 || (uint64_t)v < k->min || (uint64_t)v > k->max) {
		if (k->max == UINT64_MAX || k->max == (UINT64_C(1) << 40))
			answer_err(c, kv->value->pos, "'%s' (%lld) must be at least %llu", k->name,
				   (long long)v, (unsigned long long)k->min);
		else
			answer_err(c, kv->value->pos, "'%s' (%lld) must be between %llu and %llu",
				   k->name, (long long)v, (unsigned long long)k->min,
				   (unsigned long long)k->max);
		return false;
	}
	*out = (uint64_t)v;
	return true;
}

static bool apply(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	const struct answer_key *k = &answer_keys[id];
	const struct toml_value *v = kv->value;
	uint64_t u;
	int idx;

	switch (k->type) {
	case AKT_STR:
		if (v->type != TOML_STRING)
			break;
		if (k->secret)
			remember_secret(c, v);
		if (!string_valid(c, id, v))
			return false;
		*(char **)field(c, k->off) = dup_or_oom(c, v->u.str.ptr);
		return true;
	case AKT_ENUM:
	case AKT_CHOICE:
		if (v->type != TOML_STRING)
			break;
		if (!string_ok(c, k->name, v) || (idx = choice_index(c, id, v)) < 0)
			return false;
		if (k->type == AKT_ENUM)
			*(int *)field(c, k->off) = idx + k->enum_base;
		else
			*(char **)field(c, k->off) = dup_or_oom(c, v->u.str.ptr);
		return true;
	case AKT_BOOL:
		if (v->type != TOML_BOOL)
			break;
		*(bool *)field(c, k->off) = v->u.boolean;
		return true;
	case AKT_UINT:
	case AKT_U64:
		if (v->type != TOML_INTEGER)
			break;
		if (!apply_int(c, id, kv, &u))
			return false;
		if (k->type == AKT_UINT)
			*(unsigned *)field(c, k->off) = (unsigned)u;
		else
			*(uint64_t *)field(c, k->off) = u;
		return true;
	case AKT_SIZE: {
		double d;

		if (v->type == TOML_INTEGER)
			d = (double)v->u.integer;
		else if (v->type == TOML_FLOAT)
			d = v->u.fp;
		else
			break;
		if (!isfinite(d)) {
			answer_err(c, v->pos, "'%s' must be a finite number", k->name);
			return false;
		}
		if (d < 0) {
			answer_err(c, v->pos, "'%s' (%g) must not be negative", k->name, d);
			return false;
		}
		*(double *)field(c, k->off) = d;
		*(bool *)field(c, k->off_n) = true;
		return true;
	}
	case AKT_STRV:
		if (v->type != TOML_ARRAY)
			break;
		return apply_strv(c, id, kv);
	case AKT_MAP:
		if (v->type != TOML_TABLE)
			break;
		return apply_map(c, id, kv);
	case AKT_CUSTOM:
		return k->custom(c, id, kv) == 0;
	}
	type_error(c, id, kv);
	return false;
}

/* ---- the walk ---- */

/* "root_password" -> "root-password" */
static void kebab(char *s)
{
	for (; *s; s++)
		if (*s == '_')
			*s = '-';
}

static void walk_table(struct answer_ctx *c, int sec, const char *prefix,
		       const struct toml_value *t);

static void walk_kv(struct answer_ctx *c, int sec, const char *prefix, const struct toml_kv *kv)
{
	char name[256], alt[256];
	int id, n;

	n = snprintf(name, sizeof(name), "%s%s", prefix, kv->key);
	if (n < 0 || (size_t)n >= sizeof(name) || strlen(kv->key) != kv->keylen) {
		answer_err(c, kv->key_pos, "unknown key '%s' in [%s]", answer_show(kv->key, 0),
			   answer_sec_names[sec]);
		return;
	}
	id = answer_key_find(sec, name);
	if (id < 0 && strchr(kv->key, '_')) {
		memcpy(alt, name, (size_t)n + 1);
		kebab(alt + strlen(prefix));
		if (answer_key_find(sec, alt) >= 0 || answer_key_is_prefix(sec, alt)) {
			char key_kebab[256];

			snprintf(key_kebab, sizeof(key_kebab), "%s", kv->key);
			kebab(key_kebab);
			answer_warn(c, kv->key_pos, "'%s' is deprecated, use '%s'", kv->key,
				    key_kebab);
			memcpy(name, alt, (size_t)n + 1);
			id = answer_key_find(sec, name);
		}
	}
	if (id >= 0 && (kv->value->type != TOML_TABLE || answer_keys[id].type == AKT_MAP ||
			answer_keys[id].type == AKT_CUSTOM)) {
		if (c->set[id]) {
			answer_err(c, kv->key_pos, "duplicate key '%s' (first set at %u:%u)", name,
				   c->kpos[id].line, c->kpos[id].col);
			return;
		}
		c->set[id] = true;
		c->kpos[id] = kv->key_pos;
		c->vpos[id] = kv->value->pos;
		c->ok[id] = apply(c, id, kv);
		return;
	}
	if (kv->value->type == TOML_TABLE && answer_key_is_prefix(sec, name)) {
		if ((size_t)n + 2 > sizeof(name))
			return;
		name[n] = '.';
		name[n + 1] = '\0';
		walk_table(c, sec, name, kv->value);
		return;
	}
	if (id >= 0) {
		type_error(c, id, kv);
		return;
	}
	answer_err(c, kv->key_pos, "unknown key '%s' in [%s]", answer_show(name, 0),
		   answer_sec_names[sec]);
}

static void walk_table(struct answer_ctx *c, int sec, const char *prefix,
		       const struct toml_value *t)
{
	for (size_t i = 0; i < toml_table_len(t); i++)
		walk_kv(c, sec, prefix, toml_table_at(t, i));
}

/* ---- custom keys ---- */

static int schema_fqdn(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	const struct toml_value *v = kv->value;

	if (v->type == TOML_TABLE) {
		c->fqdn_table = true;
		walk_table(c, AS_GLOBAL, "fqdn.", v);
		return 0;
	}
	if (v->type != TOML_STRING) {
		type_error(c, id, kv);
		return -EINVAL;
	}
	if (!string_ok(c, "fqdn", v))
		return -EINVAL;
	{
		const char *why = answer_valid_fqdn(v->u.str.ptr);

		if (why) {
			answer_err(c, v->pos, "invalid 'fqdn' value '%s': %s",
				   answer_show(v->u.str.ptr, 0), why);
			return -EINVAL;
		}
	}
	c->a->global.fqdn = dup_or_oom(c, v->u.str.ptr);
	return 0;
}

static int schema_fqdn_source(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	const struct toml_value *v = kv->value;

	if (v->type != TOML_STRING) {
		type_error(c, id, kv);
		return -EINVAL;
	}
	if (strcmp(v->u.str.ptr, v_from_dhcp[0])) {
		answer_err(c, v->pos, "invalid 'fqdn.source' value '%s': expected from-dhcp",
			   answer_show(v->u.str.ptr, 0));
		return -EINVAL;
	}
	c->a->global.fqdn_from_dhcp = true;
	return 0;
}

static int schema_pins(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	struct answer_network *net = &c->a->network;
	size_t n = toml_table_len(kv->value);

	if (kv->value->type != TOML_TABLE) {
		type_error(c, id, kv);
		return -EINVAL;
	}
	net->pins = calloc(n + 1, sizeof(*net->pins));
	if (!net->pins) {
		c->oom = true;
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct toml_kv *e = toml_table_at(kv->value, i);
		const char *why;
		bool dup = false;

		if ((why = answer_valid_mac(e->key))) {
			answer_err(c, e->key_pos, "invalid MAC address '%s' in '%s': %s",
				   answer_show(e->key, 0), answer_keys[id].name, why);
			continue;
		}
		if (e->value->type != TOML_STRING) {
			answer_err(c, e->key_pos, "'%s.\"%s\"' must be a string, not %s",
				   answer_keys[id].name, e->key, schema_type_desc(e->value));
			continue;
		}
		if ((why = answer_valid_ifname(e->value->u.str.ptr))) {
			answer_err(c, e->value->pos, "invalid interface name '%s': %s",
				   answer_show(e->value->u.str.ptr, 0), why);
			continue;
		}
		for (size_t j = 0; j < net->n_pins; j++) {
			if (!strcmp(net->pins[j].name, e->value->u.str.ptr)) {
				answer_err(c, e->value->pos,
					   "interface name '%s' is pinned to two MAC addresses",
					   e->value->u.str.ptr);
				dup = true;
			} else if (!strcasecmp(net->pins[j].mac, e->key)) {
				answer_err(c, e->key_pos, "MAC address '%s' is pinned twice",
					   e->key);
				dup = true;
			}
		}
		if (dup)
			continue;
		net->pins[net->n_pins].mac = dup_or_oom(c, e->key);
		net->pins[net->n_pins].name = dup_or_oom(c, e->value->u.str.ptr);
		if (net->pins[net->n_pins].mac)
			for (char *p = net->pins[net->n_pins].mac; *p; p++)
				if (*p >= 'A' && *p <= 'F')
					*p = (char)(*p - 'A' + 'a');
		net->n_pins++;
	}
	return 0;
}

static int schema_gpu_one(struct answer_ctx *c, const struct toml_value *e)
{
	struct answer_passthrough *pt = &c->a->passthrough;
	const char *why;

	if (e->type != TOML_STRING) {
		answer_err(c, e->pos, "'gpu' must be an array of strings, not hold %s",
			   schema_type_desc(e));
		return -EINVAL;
	}
	if ((why = answer_valid_pci_id(e->u.str.ptr))) {
		answer_err(c, e->pos, "invalid 'gpu' value '%s': %s", answer_show(e->u.str.ptr, 0),
			   why);
		return -EINVAL;
	}
	for (size_t j = 0; j < pt->n_gpu_list; j++) {
		if (!strcasecmp(pt->gpu_list[j], e->u.str.ptr)) {
			answer_err(c, e->pos, "duplicate 'gpu' entry '%s'", e->u.str.ptr);
			return -EINVAL;
		}
	}
	pt->gpu_list[pt->n_gpu_list] = dup_or_oom(c, e->u.str.ptr);
	if (pt->gpu_list[pt->n_gpu_list])
		pt->n_gpu_list++;
	return 0;
}

static int schema_gpu(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	struct answer_passthrough *pt = &c->a->passthrough;
	const struct toml_value *v = kv->value;
	size_t n;

	if (v->type == TOML_STRING && !strcmp(v->u.str.ptr, "auto")) {
		pt->gpu = ANSWER_GPU_AUTO;
		return 0;
	}
	if (v->type == TOML_STRING && !strcmp(v->u.str.ptr, "none")) {
		pt->gpu = ANSWER_GPU_NONE;
		return 0;
	}
	if (v->type != TOML_STRING && v->type != TOML_ARRAY) {
		type_error(c, id, kv);
		return -EINVAL;
	}
	n = v->type == TOML_ARRAY ? toml_array_len(v) : 1;
	if (n == 0) {
		answer_err(c, v->pos, "'gpu' must not be an empty array (use \"none\")");
		return -EINVAL;
	}
	pt->gpu_list = calloc(n + 1, sizeof(*pt->gpu_list));
	if (!pt->gpu_list) {
		c->oom = true;
		return -ENOMEM;
	}
	pt->gpu = ANSWER_GPU_LIST;
	if (v->type == TOML_STRING)
		return schema_gpu_one(c, v);
	for (size_t i = 0; i < n; i++)
		schema_gpu_one(c, toml_array_at(v, i));
	return 0;
}

/* ---- sections ---- */

static int sec_find(const char *name)
{
	for (int s = 0; s < AS__MAX; s++)
		if (!strcmp(answer_sec_names[s], name))
			return s;
	return -1;
}

void answer_schema_walk(struct answer_ctx *c, const struct toml_value *root)
{
	bool *has[AS__MAX] = {
		&c->a->has_global, &c->a->has_network, &c->a->has_disk_setup,
		&c->a->has_first_boot, &c->a->has_webhook, &c->a->has_passthrough,
		&c->a->has_vm_template, &c->a->has_ironpass, &c->a->has_profile,
	};

	for (size_t i = 0; i < toml_table_len(root); i++) {
		const struct toml_kv *kv = toml_table_at(root, i);
		char name[64];
		int sec = -1;

		if (strlen(kv->key) == kv->keylen && kv->keylen < sizeof(name)) {
			memcpy(name, kv->key, kv->keylen + 1);
			sec = sec_find(name);
			if (sec < 0 && strchr(name, '_')) {
				kebab(name);
				sec = sec_find(name);
				if (sec >= 0)
					answer_warn(c, kv->key_pos, "'%s' is deprecated, use '%s'",
						    kv->key, name);
			}
		}
		if (sec < 0) {
			if (kv->value->type == TOML_TABLE)
				answer_err(c, kv->key_pos, "unknown section [%s]",
					   answer_show(kv->key, 0));
			else
				answer_err(c, kv->key_pos, "key '%s' must be inside a section",
					   answer_show(kv->key, 0));
			continue;
		}
		if (kv->value->type != TOML_TABLE) {
			answer_err(c, kv->key_pos, "[%s] must be a table, not %s", name,
				   schema_type_desc(kv->value));
			continue;
		}
		if (sec == AS_PROFILE && !(c->flags & ANSWER_ALLOW_PROFILE)) {
			answer_err(c, kv->key_pos,
				   "section [profile] is only valid in a builder profile");
			continue;
		}
		if (*has[sec]) {
			answer_err(c, kv->key_pos, "duplicate section [%s] (first at %u:%u)", name,
				   c->spos[sec].line, c->spos[sec].col);
			continue;
		}
		*has[sec] = true;
		c->spos[sec] = kv->key_pos;
		walk_table(c, sec, "", kv->value);
	}
}
