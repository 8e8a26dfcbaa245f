/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_BLD_H
#define IRONPASS_BLD_H

/*
 * The builder core: `ironpass build` runs a list of stages over one
 * struct bld_ctx. Each stage is `int bld_stage_<name>(struct bld_ctx *)`,
 * returns 0 or a negative errno, stores its message in ctx->err, fills in
 * the paths it produces, and reports progress only through ctx->on_stage
 * (core code never prints). Every external program runs through ctx->run.
 *
 * Stage order: tools → rootfs (mmdebstrap, cached) → overlay (applied,
 * squashfs cached) → payload → seed → boot → iso → pxe.
 *
 * Output layout (ctx->outdir):
 *	<outdir>/ironpass-<profile>.iso
 *	<outdir>/payload/      base.tar.zst, pool/, manifest.json   (bld-payload*.c)
 *	<outdir>/pxe/          TFTP + HTTP tree                       (bld-pxe*.c)
 * Work layout (ctx->workdir, default <outdir>/.work):
 *	<workdir>/iso/         the ISO9660 tree:
 *		live/vmlinuz live/initrd.img live/seed.img live/filesystem.squashfs
 *		isolinux/… boot/grub/grub.cfg EFI/debian/grub.cfg EFI/BOOT/… <marker>
 *	<workdir>/esp.img      the FAT ESP appended as partition 2
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "answer.h"
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
	const char *installer_bin;	/* ironpass-installer to put into the seed */
	const char *overlay_dir;	/* default "overlay" */
	const char *outdir;		/* -o DIR, default "out" */
	const char *cachedir;		/* --cache DIR, default "cache" */
	const char *workdir;		/* default <outdir>/.work */
	enum bld_payload_src payload_src;
	const char *payload_arg;	/* ISO file or pool dir */
	struct runner *run;
	bool dry_run;
	bool json;
	bool verbose;
	int64_t source_date_epoch;	/* SOURCE_DATE_EPOCH, or a fixed default */

	/* derived */
	char name[128];			/* profile name (file-name safe) */
	char rootfs_key[65];		/* cache key of the mmdebstrap root */
	char squashfs_key[65];		/* cache key of root + overlay → squashfs */

	/* produced by the stages (empty string = not produced) */
	char rootfs_dir[BLD_PATH_MAX];	/* cached live root directory (read-only) */
	char kernel[BLD_PATH_MAX];	/* vmlinuz */
	char initrd[BLD_PATH_MAX];	/* initrd.img */
	char squashfs[BLD_PATH_MAX];	/* filesystem.squashfs */
	char seed[BLD_PATH_MAX];	/* seed.img (newc cpio) */
	char iso_tree[BLD_PATH_MAX];	/* <workdir>/iso */
	char esp_img[BLD_PATH_MAX];
	char payload_dir[BLD_PATH_MAX];	/* <outdir>/payload */
	char iso[BLD_PATH_MAX];		/* <outdir>/ironpass-<name>.iso */
	char pxe_dir[BLD_PATH_MAX];	/* <outdir>/pxe */

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

/* Stages */
int bld_stage_tools(struct bld_ctx *ctx);
int bld_stage_rootfs(struct bld_ctx *ctx);
int bld_stage_overlay(struct bld_ctx *ctx);
int bld_stage_payload(struct bld_ctx *ctx);	/* bld-payload*.c (second builder helper) */
int bld_stage_seed(struct bld_ctx *ctx);
int bld_stage_boot(struct bld_ctx *ctx);
int bld_stage_iso(struct bld_ctx *ctx);
int bld_stage_pxe(struct bld_ctx *ctx);		/* bld-pxe*.c (second builder helper) */

/* Live boot menu (pure text generation) — shared with the PXE stage. */
enum bld_entry { BLD_ENTRY_INSTALL, BLD_ENTRY_AUTO, BLD_ENTRY_REPORT, BLD_ENTRY_RESCUE,
		 BLD_ENTRY_COUNT };

struct bld_menu {
	const char *title;		/* "ironpass <name>" */
	const char *kernel;		/* path as the loader sees it: "/live/vmlinuz" */
	const char *initrds[4];		/* "/live/initrd.img", "/live/seed.img", NULL */
	const char *const *boot_args;	/* profile words, NULL-terminated or NULL */
	const char *extra;		/* extra words (e.g. fetch=… for PXE), or NULL */
	bool quiet;			/* add "quiet" (not in the test profile) */
	int default_entry;		/* enum bld_entry */
	unsigned timeout;		/* seconds; 0 = wait */
	const char *marker;		/* "/.ironpass-<id>" unique marker file */
};

/* The kernel words for @entry (without kernel/initrd). Caller frees. */
char *bld_menu_cmdline(const struct bld_menu *m, int entry);
const char *bld_entry_label(int entry);
const char *bld_entry_id(int entry);		/* "install" "unattended" "report" "rescue" */
int bld_entry_parse(const char *s);		/* -EINVAL when unknown */
char *bld_menu_isolinux(const struct bld_menu *m);	/* isolinux.cfg text */
char *bld_menu_grub(const struct bld_menu *m);		/* boot/grub/grub.cfg text */
char *bld_menu_grub_stub(const char *marker);		/* EFI/debian/grub.cfg stub */

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
int bld_rm_rf(struct bld_ctx *ctx, const char *path);
int bld_copy_file(struct bld_ctx *ctx, const char *src, const char *dst, unsigned mode);

#endif
