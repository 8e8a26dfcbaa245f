/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_BLD_H
#define IRONPASS_BLD_H

/*
 * Folder builder/ (top): the builder's context and stages (tools, rootfs,
 * overlay, seed, boot loaders, ISO, PXE tree) and its front end (main.c,
 * cli-*.c). Includes only lib/ and builder/.
 */

/*
 * The builder core: `ironpass build` runs a list of stages over one
 * struct bld_ctx. Each stage is `int bld_stage_<name>(struct bld_ctx *)`,
 * returns 0 or a negative errno, stores its message in ctx->err, fills in
 * the paths it produces, and reports progress only through ctx->on_stage
 * (core code never prints). Every external program runs through ctx->run.
 *
 * Stage order: tools → zfs-modules (dkms on the host, cached) → rootfs
 * (mmdebstrap, cached) → overlay (applied, squashfs cached) → payload →
 * seed → boot → iso → pxe.
 *
 * Output layout (ctx->outdir):
 *	<outdir>/ironpass-<profile>.iso
 *	<outdir>/payload/      base.tar.zst, pool/, manifest.json   (bld-payload*.c)
 *	<outdir>/pxe/          TFTP + HTTP tree                       (bld-pxe*.c)
 * Work layout (ctx->workdir, default <outdir>/.work-<name>):
 *	<workdir>/iso/         the ISO9660 tree:
 *		live/vmlinuz live/initrd.img live/seed.img live/filesystem.squashfs
 *		isolinux/… boot/grub/grub.cfg EFI/debian/grub.cfg EFI/BOOT/… <marker>
 *	<workdir>/esp.img      the FAT ESP appended as partition 2
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "answer.h"
#include "bld-zfs.h"
#include "err.h"
#include "runner.h"

#define BLD_PATH_MAX 4096

enum bld_event {
	BLD_EV_START,
	BLD_EV_PROGRESS,
	BLD_EV_DONE,
	BLD_EV_FAILED,
	BLD_EV_SKIPPED,		/* stage not needed / disabled; detail says why */
	BLD_EV_CACHED,		/* stage result taken from the cache */
};

enum bld_payload_src {
	BLD_PAYLOAD_NONE,	/* no payload (e.g. e2e of the live env only) */
	BLD_PAYLOAD_ISO,	/* --pve-iso FILE */
	BLD_PAYLOAD_REPO,	/* --pve-repo */
	BLD_PAYLOAD_POOL,	/* --pool DIR */
};

struct bld_ctx {
	/* inputs */
	const char *profile_path;	/* --profile FILE */
	struct answer *profile;		/* answer_load(ANSWER_ALLOW_PROFILE|ANSWER_PARTIAL) */
	const char *answer_path;	/* optional answer file put into the seed (0600) */
	const char *answer_token_path;	/* optional file whose line is the answer fetch's bearer
					 * token: the seed's ironpass/answer-token (0600) */
	const char *installer_bin;	/* ironpass-installer to put into the seed */
	const char *overlay_dir;	/* default "overlay" */
	const char *outdir;		/* -o DIR, default "out" */
	const char *cachedir;		/* --cache DIR, default "cache" */
	const char *workdir;		/* default <outdir>/.work-<name> */
	bool workdir_owned;
	enum bld_payload_src payload_src;
	const char *payload_arg;	/* ISO file or pool dir */
	const char *pxe_url;		/* --pxe-url: HTTP base of the PXE tree; NULL = QEMU's */
	const char *windows_iso;	/* --windows-iso FILE: carried for the VM template, or NULL */
	const char *virtio_iso;		/* --virtio-iso FILE */
	struct runner *run;
	bool dry_run;
	bool json;
	bool verbose;
	int64_t source_date_epoch;	/* SOURCE_DATE_EPOCH, or a fixed default */

	/* derived */
	char name[128];			/* profile name (file-name safe) */
	char rootfs_key[65];		/* cache key of the mmdebstrap root */
	struct bld_zfs zfs;		/* the ZFS module package (bld-zfs.c) */
	char squashfs_key[65];		/* cache key of root + overlay → squashfs */

	/* produced by the stages (empty string = not produced) */
	char rootfs_dir[BLD_PATH_MAX];	/* cached live root directory (read-only) */
	char kernel[BLD_PATH_MAX];	/* vmlinuz */
	char initrd[BLD_PATH_MAX];	/* initrd.img */
	char squashfs[BLD_PATH_MAX];	/* filesystem.squashfs */
	char seed[BLD_PATH_MAX];	/* seed.img (newc cpio) */
	bool seed_private;		/* it carries an answer or a secret: seed.img, the ISO
					 * and the PXE tree's copies are 0600 (bld-seal.c) */
	char iso_tree[BLD_PATH_MAX];	/* <workdir>/iso */
	char esp_img[BLD_PATH_MAX];
	char payload_dir[BLD_PATH_MAX];	/* <outdir>/payload */
	char iso[BLD_PATH_MAX];		/* <outdir>/ironpass-<name>.iso */
	char pxe_dir[BLD_PATH_MAX];	/* <outdir>/pxe */

	/* per-stage results, for the summary */
	struct bld_stage_time {
		const char *name;
		double seconds;
		int status;		/* 0, negative errno, or 1 = skipped */
	} times[16];
	size_t n_times;
	double total_seconds;

	struct ip_err err;

	/* progress: the CLI prints stage lines; seconds is the stage's duration so far */
	void (*on_stage)(void *data, const char *stage, int event, double seconds,
			 const char *detail);
	void *on_stage_data;
};

typedef int (*bld_stage_fn)(struct bld_ctx *ctx);

struct bld_stage {
	const char *name;
	bld_stage_fn fn;
};

/* Fill defaults (no allocation): dirs, SOURCE_DATE_EPOCH from the environment. */
void bld_ctx_init(struct bld_ctx *ctx);
/* Load ctx->profile from ctx->profile_path; diagnostics go to @diags. */
int bld_ctx_load_profile(struct bld_ctx *ctx, struct answer_diags *diags);
void bld_ctx_release(struct bld_ctx *ctx);

/* Report a stage event through ctx->on_stage (no-op when unset). */
void bld_report(struct bld_ctx *ctx, const char *stage, int event, double seconds,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Run every stage in order; on failure ctx->err says which stage and why. */
int bld_run(struct bld_ctx *ctx);
/* The stages bld_run runs, NULL-name terminated. */
extern const struct bld_stage bld_stages[];
/* Machine-readable summary (JSON text) of a finished run. Caller frees. */
char *bld_summary_json(const struct bld_ctx *ctx, int status);
#define BLD_DEFAULT_EPOCH 1704067200	/* 2024-01-01, when SOURCE_DATE_EPOCH is unset */

/* Stages */
int bld_stage_tools(struct bld_ctx *ctx);
int bld_stage_zfs(struct bld_ctx *ctx);		/* bld-zfs.c: "zfs-modules" */
int bld_stage_rootfs(struct bld_ctx *ctx);
int bld_stage_overlay(struct bld_ctx *ctx);
int bld_stage_payload(struct bld_ctx *ctx);	/* bld-payload*.c (second builder helper) */
int bld_stage_seed(struct bld_ctx *ctx);
int bld_stage_boot(struct bld_ctx *ctx);
int bld_stage_iso(struct bld_ctx *ctx);
int bld_stage_pxe(struct bld_ctx *ctx);		/* bld-pxe*.c (second builder helper) */

/* Live boot menu (pure text generation) — shared with the PXE stage. */
enum bld_entry { BLD_ENTRY_INSTALL, BLD_ENTRY_AUTO, BLD_ENTRY_REPORT, BLD_ENTRY_RESCUE,
		 BLD_ENTRY_COUNT,
		 /* boots the local disk, not the live system: PXE menus only (bld_menu.localboot);
		  * last, so that GRUB's "set default=N" counts it after the live entries */
		 BLD_ENTRY_LOCALBOOT = BLD_ENTRY_COUNT };

struct bld_menu {
	const char *title;		/* "ironpass <name>" */
	const char *kernel;		/* path as the loader sees it: "/live/vmlinuz" */
	const char *initrds[4];		/* "/live/initrd.img", "/live/seed.img", NULL */
	char *const *boot_args;		/* profile words */
	size_t n_boot_args;
	const char *extra;		/* extra words (e.g. fetch=… for PXE), or NULL */
	bool quiet;			/* add "quiet" (not in the test profile) */
	int default_entry;		/* enum bld_entry; LOCALBOOT only with .localboot */
	bool localboot;			/* add the "localboot" entry (PXE menus) */
	bool node_hook;			/* GRUB/iPXE: try the per-node file first (bld-pxe-node.c) */
	const char *grub_http;		/* GRUB: "(http,host:port)/path" tried first, or NULL */
	unsigned timeout;		/* seconds; 0 = wait */
	const char *marker;		/* "/.ironpass-<id>" unique marker file */
};

/* The kernel words for @entry (without kernel/initrd). Caller frees. */
char *bld_menu_cmdline(const struct bld_menu *m, int entry);
const char *bld_entry_label(int entry);
const char *bld_entry_id(int entry);	/* "install" "unattended" "report" "rescue" "localboot" */
int bld_entry_parse(const char *s);		/* -EINVAL when unknown */
char *bld_menu_isolinux(const struct bld_menu *m);	/* isolinux.cfg text */
char *bld_menu_grub(const struct bld_menu *m);		/* boot/grub/grub.cfg text */
char *bld_menu_grub_stub(const char *marker);		/* EFI/debian/grub.cfg stub */

/* Live root (bld-rootfs.c): Debian main and contrib (zfsutils-linux), plus
 * the ZFS module package of the zfs-modules stage (ctx->zfs) */
extern const char *const bld_live_packages[];	/* NULL-terminated */
#define BLD_AUTOMOUNT_HOOKS "/usr/share/mmdebstrap/hooks/file-mirror-automount"
/* Sorted, de-duplicated, comma-separated: base list + profile live-packages. */
char *bld_package_list(const struct bld_ctx *ctx);
const char *bld_suite(const struct bld_ctx *ctx);
const char *bld_mirror(const struct bld_ctx *ctx);	/* NULL: mmdebstrap's default */
/* Key over suite, packages, mirror, components and the ZFS package's digest. */
int bld_rootfs_key(const struct bld_ctx *ctx, const char *packages, char key[65]);
/* The mmdebstrap argv of the live root into @target (pure). */
struct bld_rootfs_args {
	const char *argv[16];
	char include[8192];
	char deb[BLD_PATH_MAX + 16];
};
int bld_rootfs_argv(const struct bld_ctx *ctx, const char *packages, const char *target,
		    struct bld_rootfs_args *a);
/* Squashfs entry key: rootfs key + overlay tree + squashfs options + epoch. */
int bld_live_key(struct bld_ctx *ctx, char key[65]);

/* Seed initrd (bld-seed.c) */
struct bld_seed_file {
	const char *path;		/* in the cpio, relative: "ironpass/profile.toml" */
	const char *src;		/* file to read, or NULL */
	const char *data;		/* or literal bytes (len 0: strlen) */
	size_t len;
	unsigned mode;
	bool dir;
	bool answer;			/* a profile or answer file: sealed (bld_seed_seal) */
};
extern const char bld_seed_order[];	/* scripts/live-bottom/ORDER */
extern const char bld_seed_script[];	/* scripts/live-bottom/ironpass-seed */
/* Write a newc cpio at @out (temp + rename), the file's mode @mode from its
 * creation on; sorts @files by path. */
int bld_seed_write(const char *out, struct bld_seed_file *files, size_t n, int64_t epoch,
		   unsigned mode, struct ip_err *e);

/*
 * The bearer token of ctx->answer_token_path: one line of printable ASCII
 * without spaces (a trailing newline dropped), at most 4 KiB. *out is
 * caller-freed (wipe it first). -EINVAL with a message that never shows it.
 */
int bld_seed_token_read(struct bld_ctx *ctx, char **out);

/* No plain password in the seed (bld-seal.c) */
#define BLD_SEED_SEALED_MAX 4
/* Does the seed carry an answer or a secret (then it and its copies are 0600)? */
bool bld_seed_private(const struct bld_ctx *ctx);
/*
 * Seal every .answer entry of @files that is read from a file: its text,
 * with a plain root-password replaced by root-password-hashed (answer_seal),
 * becomes the entry's data, kept in @texts (release each with
 * answer_sealed_release after the seed is written). Entries from the same
 * file share one sealed text. Reports a stage line for each sealed file.
 */
int bld_seed_seal(struct bld_ctx *ctx, struct bld_seed_file *files, size_t n,
		  struct answer_sealed *texts, size_t n_texts);

/* Boot files and ISO (bld-boot.c, bld-iso.c) */
/* Unique marker file path ("/.ironpass-<16 hex>") from the image's inputs. */
int bld_marker(struct bld_ctx *ctx, char *out, size_t size);
/* The menu for ctx's profile (kernel/initrd paths as on the ISO). */
void bld_menu_from_ctx(const struct bld_ctx *ctx, struct bld_menu *m, char *title,
		       size_t title_size);
struct bld_iso_args {
	const char *argv[64];
	char date[64];			/* YYYYMMDDhhmmsscc from SOURCE_DATE_EPOCH */
	char date_opt[96];
	char volid[33];
	char graft[7][BLD_PATH_MAX + 32];	/* live ×4, payload, media ×2 */
};

/* ISOs carried for the VM template (bld-media.c) */
#define BLD_MEDIA_DIR		"ironpass/media"	/* on the medium; media/ in the PXE http tree */
#define BLD_MEDIA_WINDOWS	"ironpass-windows.iso"	/* = the node's local:iso/ name */
#define BLD_MEDIA_VIRTIO	"ironpass-virtio-win.iso"
#define BLD_MEDIA_MAX		2
struct bld_media {
	const char *src;		/* the file given */
	const char *name;		/* BLD_MEDIA_WINDOWS or BLD_MEDIA_VIRTIO */
	const char *option;		/* "--windows-iso" … for messages */
};
/* The carried ISOs, in order (at most BLD_MEDIA_MAX). */
size_t bld_media_list(const struct bld_ctx *ctx, struct bld_media *out);
/* Each is a regular file with an ISO 9660 or UDF signature (libblkid); else an error. */
int bld_media_check(struct bld_ctx *ctx);
/* The exact xorriso argv writing @out (pure: no file access). */
int bld_iso_args(const struct bld_ctx *ctx, const char *out, struct bld_iso_args *a);

/* Host tool check: every missing tool at once, each with its Debian package. */
struct bld_tool {
	const char *name;		/* program in PATH, or an absolute file path */
	const char *package;		/* Debian package providing it */
};
/* Checks @tools (NULL-name terminated): names in the directories of @path_env
 * (a PATH string), absolute files under @root (NULL = "/"). When some are
 * missing returns -ENOENT and sets e to one message naming them all. */
int bld_tools_check(const struct bld_tool *tools, const char *path_env, const char *root,
		    struct ip_err *e);
/* The tools a build with @ctx needs (depends on the payload source). */
const struct bld_tool *bld_tools_needed(const struct bld_ctx *ctx);

/* Helpers shared by the stages (bld-util.c) */
double bld_now(void);
int bld_path(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int bld_run_argv(struct bld_ctx *ctx, const char *stage, const char *const *argv,
		 const char *cwd);
/* The same with one more "NAME=value" in the environment (or NULL). */
int bld_run_argv_env(struct bld_ctx *ctx, const char *stage, const char *const *argv,
		     const char *cwd, const char *extra_env);
int bld_rm_rf(struct bld_ctx *ctx, const char *path);
int bld_copy_file(struct bld_ctx *ctx, const char *src, const char *dst, unsigned mode);
int bld_write_text(struct bld_ctx *ctx, const char *path, const char *text, unsigned mode);
int bld_mkdirs(struct bld_ctx *ctx, const char *path);		/* mkdir -p */

/* Cache (bld-cache.c). Entries live at <cachedir>/<kind>/<key>; they are
 * built in <cachedir>/<kind>/.tmp-<key>-<pid> and renamed into place only
 * when complete, so a half-written entry is never trusted. */
struct bld_key;
struct bld_key *bld_key_new(const char *kind);
void bld_key_add(struct bld_key *k, const char *name, const char *value);
/* Hash a directory tree (sorted paths, type, mode, content / link target). */
int bld_key_add_tree(struct bld_key *k, const char *name, const char *dir, struct ip_err *e);
/* Finish: 64 hex digits into hex; frees k. */
int bld_key_finish(struct bld_key *k, char hex[65]);
/* The final entry path (exists → complete) and a fresh temp path for building it. */
int bld_cache_entry(const struct bld_ctx *ctx, const char *kind, const char *key,
		    char *entry, size_t size);
bool bld_cache_has(const struct bld_ctx *ctx, const char *kind, const char *key);
int bld_cache_tmp(struct bld_ctx *ctx, const char *kind, const char *key, char *tmp,
		  size_t size);
/* Rename tmp into place (atomic); an existing complete entry wins. */
int bld_cache_commit(struct bld_ctx *ctx, const char *tmp, const char *kind, const char *key);
/* Remove leftovers of interrupted builds (.tmp-* whose pid is gone). */
int bld_cache_sweep(struct bld_ctx *ctx, const char *kind);

#endif
