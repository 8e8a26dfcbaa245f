/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_ANSWER_H
#define IRONPASS_ANSWER_H

/*
 * The answer-file / profile schema (design §8, docs/answer-file.md).
 *
 * A Proxmox VE automated-installer answer.toml is accepted as it is
 * ([global], [network], [disk-setup], [first-boot],
 * [post-installation-webhook]); ironpass adds [passthrough], [vm-template]
 * and [ironpass]; a builder profile may also hold [profile].
 *
 * Parsing collects every problem as a diagnostic (file:line:col: message)
 * instead of stopping at the first. Unset optional values keep the defaults
 * that answer_defaults() documents.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum answer_fs { ANSWER_FS_EXT4, ANSWER_FS_XFS, ANSWER_FS_ZFS, ANSWER_FS_BTRFS };
enum answer_filter_match { ANSWER_MATCH_ANY, ANSWER_MATCH_ALL };
enum answer_net_source { ANSWER_NET_DHCP, ANSWER_NET_STATIC };
enum answer_reboot_mode { ANSWER_REBOOT, ANSWER_POWER_OFF };
enum answer_first_boot_source { ANSWER_FB_NONE, ANSWER_FB_ISO, ANSWER_FB_URL };
enum answer_first_boot_order {
	ANSWER_FB_BEFORE_NETWORK,
	ANSWER_FB_NETWORK_ONLINE,
	ANSWER_FB_FULLY_UP,
};
enum answer_gpu_mode { ANSWER_GPU_AUTO, ANSWER_GPU_NONE, ANSWER_GPU_LIST };
enum answer_wipe { ANSWER_WIPE_NEVER, ANSWER_WIPE_EMPTY_ONLY, ANSWER_WIPE_ALWAYS };

/* filter.<UDEV_KEY> = "glob" */
struct answer_filter {
	char *key;
	char *glob;
};

struct answer_global {
	char *keyboard;			/* e.g. "en-us" */
	char *country;			/* ISO 3166-1 alpha-2, lower-case */
	char *fqdn;			/* NULL when fqdn_from_dhcp */
	bool fqdn_from_dhcp;
	char *fqdn_domain;		/* with from-dhcp */
	char *mailto;
	char *timezone;
	char *root_password;		/* plain text: hashed before use, never logged */
	char *root_password_hashed;	/* crypt(3) hash */
	char **root_ssh_keys;
	size_t n_root_ssh_keys;
	bool reboot_on_error;
	enum answer_reboot_mode reboot_mode;
	char *subscription_key;		/* "pve4c-0123456789"; secret: never logged */
};

struct answer_pin {
	char *mac;			/* lower-case aa:bb:cc:dd:ee:ff */
	char *name;
};

struct answer_network {
	enum answer_net_source source;
	char *cidr;			/* static: "192.0.2.10/24" */
	char *dns;
	char *gateway;
	struct answer_filter *filters;	/* which NIC is the management one */
	size_t n_filters;
	bool pinning_enabled;
	struct answer_pin *pins;
	size_t n_pins;
};

struct answer_disk_setup {
	enum answer_fs filesystem;
	char **disk_list;		/* kernel names: "sda", "nvme0n1" */
	size_t n_disk_list;
	struct answer_filter *filters;
	size_t n_filters;
	enum answer_filter_match filter_match;
	/* lvm.* (ext4/xfs); 0 = not set, sizes in GiB */
	double hdsize, swapsize, maxroot, minfree, maxvz;
	bool has_hdsize, has_swapsize, has_maxroot, has_minfree, has_maxvz;
	/* zfs.* / btrfs.* */
	char *raid;			/* "raid0" "raid1" "raid10" "raidz-1" … (upper-case
					   spellings "RAID1", "RAIDZ-1" are stored lower-case) */
	unsigned zfs_ashift;
	uint64_t zfs_arc_max;		/* MiB */
	char *zfs_checksum, *zfs_compress, *btrfs_compress;
	unsigned zfs_copies;
};

struct answer_first_boot {
	enum answer_first_boot_source source;
	char *url;
	char *cert_fingerprint;
	enum answer_first_boot_order ordering;
};

struct answer_webhook {
	char *url;			/* NULL: no webhook */
	char *cert_fingerprint;
	char *auth_token;		/* never logged */
};

/* [passthrough] */
struct answer_passthrough {
	enum answer_gpu_mode gpu;
	char **gpu_list;		/* "vvvv:dddd" or "0000:bb:dd.f" */
	size_t n_gpu_list;
	bool allow_single_gpu;
	bool acs_override;
	bool iommu_pt;			/* iommu=pt, default true */
	unsigned hugepages;		/* 1 GiB pages to reserve; 0 = none */
	char **kernel_args;		/* extra words for the kernel command line */
	size_t n_kernel_args;
};

/* [vm-template] */
struct answer_vm_template {
	bool enabled;			/* default true */
	unsigned vmid;			/* default 9000 */
	char *name;			/* default "win11-passthrough" */
	unsigned cores;			/* 0 = from the plan */
	unsigned memory;		/* MiB; 0 = from the plan */
	unsigned disk_size;		/* GiB, default 128 */
	char *storage;			/* NULL: by the root filesystem (local-lvm …) */
	char *bridge;			/* default "vmbr0" */
	/*
	 * "local:iso/Win11.iso" (a volume id), an https:// URL (then the
	 * *_sha256 below is set: 64 hex digits) or "carried" (the file the
	 * builder put into the image: ironpass build --windows-iso/--virtio-iso)
	 */
	char *windows_iso;
	char *virtio_iso;
	char *windows_iso_sha256;
	char *virtio_iso_sha256;
	bool unattended;		/* build an autounattend.xml answer ISO */
	char *windows_edition;		/* the image Setup installs, default "Windows 11 Pro" */
	char *windows_language;		/* the medium's UI language, default "en-US" */
	char *admin_user;		/* the local administrator, default "admin" */
	char *admin_password;		/* secret; NULL: no account, OOBE asks for one */
	char *computer_name;		/* NetBIOS name; NULL: from the VM name */
};

/* windows-iso / virtio-iso = "carried": the file the builder put into the image */
#define ANSWER_ISO_CARRIED	"carried"
/* windows-iso / virtio-iso @s is an https:// URL (not a volume id or "carried") */
bool answer_iso_is_url(const char *s);
/* [vm-template] defaults (answer_parse fills them in; NULL in answer_defaults) */
#define ANSWER_WIN_EDITION	"Windows 11 Pro"
#define ANSWER_WIN_LANGUAGE	"en-US"
#define ANSWER_WIN_ADMIN	"admin"

/* [ironpass] */
struct answer_ironpass {
	enum answer_wipe wipe;		/* default: empty-only */
	char *serial_console;		/* e.g. "ttyS0,115200"; NULL = none */
	char **webhook_events;		/* subset of start, step, done, failed; NULL = all */
	size_t n_webhook_events;
	char **packages;		/* pool packages to install; NULL = the default set */
	size_t n_packages;
	/*
	 * The Proxmox VE package repository's base URL (as Proxmox's "Install on
	 * Debian" page gives it). ironpass names no repository host itself: the
	 * builder's --pve-repo source and the installed node's no-subscription
	 * source take it from here. NULL: not set.
	 */
	char *pve_repository;
};

/* [profile] (builder profiles only) */
struct answer_profile {
	char *name;
	char *suite;			/* default "bookworm" */
	char *mirror;			/* NULL: mmdebstrap's default */
	char **live_packages;		/* extra packages for the live root */
	size_t n_live_packages;
	char **boot_args;		/* extra kernel words on every menu entry */
	size_t n_boot_args;
	char *default_entry;		/* "install" | "unattended" | "report" | "rescue" | "localboot" */
	unsigned menu_timeout;		/* seconds; 0 = wait */
	bool embed_answer;		/* put this file's answer sections into the seed */
};

struct answer {
	char *file;
	bool has_global, has_network, has_disk_setup, has_first_boot, has_webhook;
	bool has_passthrough, has_vm_template, has_ironpass, has_profile;
	struct answer_global global;
	struct answer_network network;
	struct answer_disk_setup disk;
	struct answer_first_boot first_boot;
	struct answer_webhook webhook;
	struct answer_passthrough passthrough;
	struct answer_vm_template vm;
	struct answer_ironpass ironpass;
	struct answer_profile profile;
};

struct answer_diag {
	char *file;
	unsigned line, col;		/* 0 when the problem has no position */
	bool warning;
	char *msg;
};

struct answer_diags {
	struct answer_diag *items;
	size_t len, cap;
	size_t n_errors;
};

enum {
	ANSWER_ALLOW_PROFILE	= 1u << 0,	/* accept [profile] */
	ANSWER_PARTIAL		= 1u << 1,	/* sections may be missing (interactive/profile) */
	ANSWER_PROFILE_PARTIAL	= 1u << 2,	/* a file with [profile] is checked as partial */
};

/*
 * What ironpass cannot install, one check that `validate` and the install
 * both use: NULL when @fs can be installed (today every filesystem of the
 * schema can), else the reason, a static string.
 */
const char *answer_fs_unsupported(enum answer_fs fs);
const char *answer_fs_name(enum answer_fs fs);

/*
 * One value checked alone, exactly as an answer file's key @key of [@section]
 * is checked (the on-screen questions use it, so that screens and answer
 * files agree on what is valid): NULL when @value is fine, else why not, a
 * static string that never quotes the value ("must be a two-letter
 * lower-case country code, e.g. 'at'"). Only for keys whose value is one
 * string (a plain or secret string, or one of a list of words); another key
 * gets "cannot be checked alone".
 */
const char *answer_value_problem(const char *section, const char *key, const char *value);

/*
 * A keyboard layout of the schema: its code ("de-ch"), its name ("Swiss
 * German"), its XKB layout and variant ("ch", ""), and the keymap Proxmox VE's
 * datacenter.cfg uses for the VNC console (mostly the code itself, but "da",
 * "ja", "sv" and "sl" for dk, jp, se and si). For the Windows answer file:
 * the Windows input locale of the same layout (language id and keyboard id,
 * as Microsoft's "Default Input Profiles" list them: "0807:00000807"), the
 * language of the layout's country as Windows names it ("de", "da", "nb")
 * and the locale the layout is made for ("de-CH").
 */
struct answer_keyboard {
	const char *code;
	const char *name;
	const char *xkb_layout, *xkb_variant;
	const char *kvm;
	const char *win_input;
	const char *win_lang;
	const char *win_locale;
};
/* The layout of code @code, or NULL. */
const struct answer_keyboard *answer_keyboard_find(const char *code);
/* Every layout the schema accepts for [global] keyboard, in order; *@n gets how many. */
const struct answer_keyboard *answer_keyboards(size_t *n);

/* Fill every field with its default (no allocation). */
void answer_defaults(struct answer *a);

/*
 * Parse and check an answer file. Returns 0 when there is no error (warnings
 * may be present), -EINVAL when diags holds at least one error, or another
 * negative errno (e.g. -ENOENT for answer_load). *out is set on 0 only.
 */
int answer_parse(const char *buf, size_t len, const char *filename, unsigned flags,
		 struct answer **out, struct answer_diags *diags);
int answer_load(const char *path, unsigned flags, struct answer **out,
		struct answer_diags *diags);
/* The same from an open file or pipe (standard input); @name is the file name in messages. */
int answer_read_fd(int fd, const char *name, unsigned flags, struct answer **out,
		   struct answer_diags *diags);
struct answer *answer_free(struct answer *a);

void answer_diags_release(struct answer_diags *d);
/* Append a diagnostic (e.g. for a file that cannot be read); -ENOMEM on failure. */
int answer_diags_add(struct answer_diags *d, const char *file, unsigned line, unsigned col,
		     bool warning, const char *msg);
/* "file:line:col: message" (or "file: message"), "warning: " inserted for warnings */
char *answer_diag_str(const struct answer_diag *d);

/*
 * Replace a plain root-password with its crypt(3) hash (yescrypt, else
 * SHA-512) and wipe the plain text. No-op when there is none. 0 or -errno.
 */
struct ip_err;
int answer_hash_root_password(struct answer *a, struct ip_err *err);

/*
 * Seal an answer text for a boot medium (design §5 "Secrets"): a plain
 * root-password in [global] is rewritten in place as
 * root-password-hashed = "<crypt hash>" (yescrypt, SHA-512 where libcrypt
 * has no yescrypt), however it was written: a [global] section, a dotted
 * global.root-password, an inline table global = { … }, a quoted or a
 * snake_case key. Every other byte of the text stays as written. Refused
 * (-EINVAL, @err says why, never quoting the password): text that is not
 * TOML, a root-password that is not a valid password string, one outside
 * [global], or one next to root-password-hashed. A text without a plain
 * password comes back unchanged (sealed false). 0 or a negative errno.
 */
struct answer_sealed {
	char *text;		/* NUL-terminated; free with answer_sealed_release (wipes) */
	size_t len;
	bool sealed;		/* a plain password was replaced by its hash */
	const char *method;	/* "yescrypt" or "SHA-512" when sealed */
};
int answer_seal(const char *text, size_t len, const char *name, struct answer_sealed *out,
		struct ip_err *err);
void answer_sealed_release(struct answer_sealed *s);

/*
 * What `validate` prints for one file: the problems, one per line, then
 * "FILE: ok" when there was no error; with @json one JSON object on one line:
 * {"file":…,"ok":…,"problems":[{"line","col","severity","message"}]}.
 * Returns a malloc'ed string or NULL when out of memory.
 */
char *answer_report(const char *file, const struct answer_diags *d, bool json);

#endif
