/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_ANSWER_INT_H
#define IRONPASS_ANSWER_INT_H

/*
 * Internals of lib/answer*.c: the parse context, the key schema and the
 * value validators. Not for the programs; the unit tests include it.
 */

#include "answer.h"
#include "toml/toml.h"

enum answer_sec {
	AS_GLOBAL,
	AS_NETWORK,
	AS_DISK,
	AS_FIRST_BOOT,
	AS_WEBHOOK,
	AS_PASSTHROUGH,
	AS_VM,
	AS_IRONPASS,
	AS_PROFILE,
	AS__MAX,
};

/* Every key of the schema; the order is that of answer_keys[] */
enum answer_key_id {
	AK_KEYBOARD, AK_COUNTRY, AK_FQDN, AK_FQDN_SOURCE, AK_FQDN_DOMAIN, AK_MAILTO,
	AK_TIMEZONE, AK_ROOT_PASSWORD, AK_ROOT_PASSWORD_HASHED, AK_ROOT_SSH_KEYS,
	AK_REBOOT_ON_ERROR, AK_REBOOT_MODE, AK_SUBSCRIPTION_KEY,

	AK_NET_SOURCE, AK_NET_CIDR, AK_NET_DNS, AK_NET_GATEWAY, AK_NET_FILTER,
	AK_NET_PIN_ENABLED, AK_NET_PIN_MAPPING,

	AK_DISK_FS, AK_DISK_LIST, AK_DISK_FILTER, AK_DISK_FILTER_MATCH,
	AK_ZFS_RAID, AK_ZFS_ASHIFT, AK_ZFS_ARC_MAX, AK_ZFS_CHECKSUM, AK_ZFS_COMPRESS,
	AK_ZFS_COPIES, AK_ZFS_HDSIZE,
	AK_LVM_HDSIZE, AK_LVM_SWAPSIZE, AK_LVM_MAXROOT, AK_LVM_MINFREE, AK_LVM_MAXVZ,
	AK_BTRFS_RAID, AK_BTRFS_HDSIZE, AK_BTRFS_COMPRESS,

	AK_FB_SOURCE, AK_FB_URL, AK_FB_CERT, AK_FB_ORDERING,

	AK_WH_URL, AK_WH_CERT, AK_WH_TOKEN,

	AK_PT_GPU, AK_PT_ALLOW_SINGLE, AK_PT_ACS, AK_PT_IOMMU_PT, AK_PT_HUGEPAGES,
	AK_PT_KERNEL_ARGS,

	AK_VM_ENABLED, AK_VM_VMID, AK_VM_NAME, AK_VM_CORES, AK_VM_MEMORY, AK_VM_DISK_SIZE,
	AK_VM_STORAGE, AK_VM_BRIDGE, AK_VM_WIN_ISO, AK_VM_VIRTIO_ISO, AK_VM_WIN_ISO_SHA,
	AK_VM_VIRTIO_ISO_SHA, AK_VM_UNATTENDED, AK_VM_WIN_EDITION, AK_VM_WIN_LANG,
	AK_VM_ADMIN_USER, AK_VM_ADMIN_PASSWORD, AK_VM_COMPUTER_NAME,

	AK_IP_WIPE, AK_IP_SERIAL, AK_IP_EVENTS, AK_IP_PACKAGES, AK_IP_PVE_REPO,

	AK_PR_NAME, AK_PR_SUITE, AK_PR_MIRROR, AK_PR_LIVE_PKGS, AK_PR_BOOT_ARGS,
	AK_PR_DEFAULT_ENTRY, AK_PR_MENU_TIMEOUT, AK_PR_EMBED,
	AK__MAX,
};

struct answer_ctx;

/* A string check: NULL when @s is fine, else why not (a static string). */
typedef const char *(*answer_valid_fn)(const char *s);

enum answer_ktype {
	AKT_STR,	/* char * */
	AKT_ENUM,	/* int-sized enum: index in values[] + enum_base */
	AKT_CHOICE,	/* char *, one of values[] */
	AKT_BOOL,	/* bool */
	AKT_UINT,	/* unsigned, min..max */
	AKT_U64,	/* uint64_t, min..max */
	AKT_SIZE,	/* double (GiB), non-negative, integer or float; off_n: bool has_* */
	AKT_STRV,	/* char ** + size_t count at off_n */
	AKT_MAP,	/* struct answer_filter * + size_t count at off_n (filter.<KEY> = "glob") */
	AKT_CUSTOM,	/* custom() does it all */
};

struct answer_key {
	const char *name;		/* relative to the section, dotted: "zfs.raid" */
	unsigned char sec;		/* enum answer_sec */
	unsigned char type;		/* enum answer_ktype */
	bool secret;			/* never print, wipe after use */
	bool empty_unset;		/* AKT_STR: "" means not set (Proxmox's fqdn.domain) */
	size_t off, off_n;		/* offsetof(struct answer, ...) */
	const char *const *values;	/* AKT_ENUM/AKT_CHOICE, NULL-terminated */
	const char *const *aliases;	/* other spellings of values[i] at i, or NULL */
	int enum_base;
	uint64_t min, max;		/* AKT_UINT/AKT_U64 */
	answer_valid_fn valid;		/* extra check of a string (or of each element) */
	int (*custom)(struct answer_ctx *c, int id, const struct toml_kv *kv);
	const char *type_desc;		/* "a string" etc. for AKT_CUSTOM */
};

extern const struct answer_key answer_keys[AK__MAX];
extern const char *const answer_sec_names[AS__MAX];

struct answer_ctx {
	struct answer *a;
	struct answer_diags *d;
	const char *file;
	unsigned flags;
	bool set[AK__MAX];		/* written in the file */
	bool ok[AK__MAX];		/* ... and valid */
	struct toml_pos kpos[AK__MAX];	/* where the key was written */
	struct toml_pos vpos[AK__MAX];	/* where its value starts */
	struct toml_pos spos[AS__MAX];	/* section headers */
	bool fqdn_table;		/* fqdn written as a table */
	bool oom;
	/* secret strings in the TOML tree, wiped before the tree is freed */
	struct toml_value *secrets[8];
	size_t n_secrets;
};

/* answer.c */
void answer_diag_add(struct answer_ctx *c, struct toml_pos pos, bool warning, const char *fmt,
		     ...) __attribute__((format(printf, 4, 5)));
#define answer_err(c, pos, ...) answer_diag_add((c), (pos), false, __VA_ARGS__)
#define answer_warn(c, pos, ...) answer_diag_add((c), (pos), true, __VA_ARGS__)
/* A printable, shortened copy of a user value for messages (static buffer per slot 0..3). */
const char *answer_show(const char *s, int slot);

/* answer-schema.c */
int answer_key_find(int sec, const char *name);
/* Does a key of @sec start with "@prefix."? ("zfs" in [disk-setup]) */
bool answer_key_is_prefix(int sec, const char *prefix);

/* answer-walk.c: walk the root table into c->a */
void answer_schema_walk(struct answer_ctx *c, const struct toml_value *root);
void answer_walk_table(struct answer_ctx *c, int sec, const char *prefix,
		       const struct toml_value *t);
void answer_type_error(struct answer_ctx *c, int id, const struct toml_kv *kv);
const char *answer_value_type(const struct toml_value *v);	/* "a string" */
char *answer_strdup(struct answer_ctx *c, const char *s);	/* sets c->oom */
/* not empty, no NUL inside; reports the problem */
bool answer_string_ok(struct answer_ctx *c, const char *name, const struct toml_value *v);

/* answer-custom.c: AKT_CUSTOM keys */
int answer_custom_fqdn(struct answer_ctx *c, int id, const struct toml_kv *kv);
int answer_custom_fqdn_source(struct answer_ctx *c, int id, const struct toml_kv *kv);
int answer_custom_pins(struct answer_ctx *c, int id, const struct toml_kv *kv);
int answer_custom_gpu(struct answer_ctx *c, int id, const struct toml_kv *kv);

/* answer-check.c: checks across keys, required keys */
void answer_check(struct answer_ctx *c);

/* answer-net.c */
const char *answer_valid_fqdn(const char *s);		/* needs a domain */
const char *answer_valid_domain(const char *s);		/* one label is enough */
const char *answer_valid_ip(const char *s);		/* IPv4 or IPv6 */
const char *answer_valid_cidr(const char *s);
const char *answer_valid_mac(const char *s);
const char *answer_valid_ifname(const char *s);
const char *answer_valid_url(const char *s);		/* http:// or https:// */
const char *answer_valid_email(const char *s);
/* 4 or 6 for an address, 0 when invalid; @addr gets 16 bytes (v4 in the first 4) */
int answer_parse_ip(const char *s, unsigned char addr[16]);
/* Is @ip inside the network of @cidr (same family)? */
bool answer_ip_in_cidr(const char *ip, const char *cidr);

/* answer-fmt.c */
const char *answer_valid_timezone(const char *s);
const char *answer_valid_country(const char *s);
const char *answer_valid_keyboard(const char *s);
const char *answer_valid_fingerprint(const char *s);
const char *answer_valid_ssh_key(const char *s);
const char *answer_valid_disk(const char *s);
const char *answer_valid_udev_key(const char *s);
const char *answer_valid_glob(const char *s);
const char *answer_valid_pci_id(const char *s);		/* "10de:2684" or "0000:01:00.0" */
const char *answer_valid_kernel_arg(const char *s);
const char *answer_valid_vm_name(const char *s);
const char *answer_valid_storage(const char *s);
const char *answer_valid_volid(const char *s);		/* "local:iso/Win11.iso" */
const char *answer_valid_serial(const char *s);		/* "ttyS0,115200" */
const char *answer_valid_package(const char *s);
const char *answer_valid_event(const char *s);
const char *answer_valid_suite(const char *s);
const char *answer_valid_password(const char *s);
const char *answer_valid_password_hash(const char *s);
const char *answer_valid_token(const char *s);
const char *answer_valid_subscription_key(const char *s);

/* answer-win.c: the Windows guest's values ([vm-template]) */
const char *answer_valid_iso_source(const char *s);	/* volume id, https:// URL, "carried" */
const char *answer_valid_sha256(const char *s);		/* 64 hex digits */
const char *answer_valid_win_edition(const char *s);
const char *answer_valid_win_language(const char *s);	/* "en-US", "sr-Latn-RS" */
const char *answer_valid_win_user(const char *s);
const char *answer_valid_win_password(const char *s);
const char *answer_valid_netbios_name(const char *s);

#endif
