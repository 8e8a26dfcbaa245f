/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_HOST_H
#define IRONPASS_HOST_H

/*
 * Folder installer/host/: passthrough on a host that already runs Proxmox VE:
 * which boot loader configuration it uses, the plan's files and kernel command
 * line written where that loader reads them, a backup of every file changed,
 * and the undo from that backup. Files only under a root prefix, programs only
 * through the runner, never prints. Includes only lib/, detect/, plan/,
 * target/ and host/.
 */

/*
 * `ironpass-installer passthrough` (issue 12): the same texts the install
 * step writes into a new target (target/inst-cfg.h: inst_cfg_plan_file_text,
 * inst_cfg_cmdline_file_text), written into a running host instead:
 *
 *   host_dry_run   what would change: each file before and after, each command
 *   host_apply     back up, write, update-initramfs, the boot loader's refresh
 *   host_undo      restore a backup byte for byte, then the same refresh
 *
 * A backup is a directory HOST_BACKUP_DIR/<UTC time YYYYmmddTHHMMSSZ> holding
 * a copy of every file that existed before, at its own path, and
 * HOST_MANIFEST: each file, whether it existed, its mode and the sha256 of
 * its text before and of what was written (see host-manifest.c).
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "err.h"
#include "runner.h"
#include "target/inst-cfg.h"

struct hw;
struct plan;

#define HOST_BACKUP_DIR		"/var/lib/ironpass/backup"
#define HOST_MANIFEST		"manifest.json"
#define HOST_GRUB_DEFAULT	"/etc/default/grub"
/* systemd-boot's Boot Loader Interface variable: "systemd-boot 252.x" (UTF-16) */
#define HOST_LOADER_INFO \
	"/sys/firmware/efi/efivars/LoaderInfo-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"
#define HOST_NAME_LEN		16	/* "20250102T030405Z" */
#define HOST_MAX_FILES		16
#define HOST_MAX_DIRS		16

struct host_ctx {
	const char *sysroot;		/* /sys and /proc are read under it ("" or "/": here) */
	const char *root;		/* /etc and /var/lib are read and written under it */
	const struct hw *hw;		/* detected under sysroot: firmware mode, Secure Boot */
	struct runner *runner;		/* the refresh, and proxmox-boot-tool status */
	time_t now;			/* names a new backup (UTC) */
	struct ip_err err;
};

/* --- which boot loader configuration the host uses (host-bootcfg.c) --- */
struct host_boot {
	enum inst_boot_kind kind;
	char why[512];			/* the evidence, one line */
};
/*
 * No /etc/kernel/proxmox-boot-uuids: Debian's GRUB (/etc/default/grub must
 * exist). With it: GRUB on the ESPs when booted by BIOS; on UEFI what
 * `proxmox-boot-tool status` says of the ESPs (when the tool is under root),
 * else systemd-boot's LoaderInfo variable, else Proxmox's rule (systemd-boot
 * unless Secure Boot is on). ESPs that disagree are an error.
 */
int host_boot_detect(struct host_ctx *ctx, struct host_boot *b);
/* Count the ESPs `proxmox-boot-tool status` prints as "uefi" and as "grub". */
void host_boot_parse_status(const char *out, unsigned *n_uefi, unsigned *n_grub);
/* "grub", "pbt-grub", "pbt-systemd-boot" (JSON, the manifest) and back */
const char *host_boot_id(enum inst_boot_kind kind);
int host_boot_from_id(const char *id, enum inst_boot_kind *kind);

/* --- one file before and after (host-file.c) --- */
enum host_action {
	HOST_KEEP,			/* already as planned / as before */
	HOST_CREATE,
	HOST_CHANGE,
	HOST_RESTORE,			/* undo: the text from the backup */
	HOST_REMOVE,			/* undo: it did not exist before */
};
struct host_file {
	char path[128];
	enum host_action action;
	bool existed;			/* a regular file was there before */
	mode_t old_mode, mode;
	char *old, *text;		/* before and after; NULL when absent */
	size_t old_len, len;
	char old_sha[65], sha[65];	/* "" when absent */
	bool modified;			/* undo: not what the apply wrote any more */
};
/* Read root/path: absent (*text NULL), or a regular file's text and mode. */
int host_file_read(struct host_ctx *ctx, const char *prefix, const char *path, char **text,
		   size_t *len, mode_t *mode);
int host_file_write(struct host_ctx *ctx, const char *prefix, const char *path,
		    const char *text, size_t len, mode_t mode);
int host_file_remove(struct host_ctx *ctx, const char *path);
/* Remove root/path if it is an empty directory (undo of one the apply made). */
int host_dir_remove(struct host_ctx *ctx, const char *path);
const char *host_action_name(enum host_action a);
struct host_result;
/* The file before and after the run (undo: now, and the saved text); NULL: absent. */
void host_file_sides(const struct host_result *r, const struct host_file *f,
		     const char **before, size_t *blen, const char **after, size_t *alen);
/* One unified diff hunk ("@@ -l,s +l,s @@", 3 lines of context); "" when equal. */
char *host_diff_text(const char *old, const char *text);

/* --- what a run did or would do --- */
enum host_mode { HOST_DRY_RUN, HOST_APPLY, HOST_UNDO };
struct host_result {
	enum host_mode mode;
	struct host_boot boot;
	struct host_file files[HOST_MAX_FILES];
	size_t n_files;
	char dirs[HOST_MAX_DIRS][128];	/* directories the apply creates, parents first */
	size_t n_dirs;
	const char *const *cmds[2];	/* update-initramfs, the loader's refresh */
	size_t n_cmds;
	bool changed;			/* a file is (or would be) written or removed */
	char backup[HOST_NAME_LEN + 1];	/* the backup made or restored, "" when none */
	char backup_dir[512];		/* its directory (under root) */
};
void host_result_release(struct host_result *r);
/*
 * The result as one JSON object (caller frees; NULL on ENOMEM); @p (may be
 * NULL) adds plan_ok and refusals, @error (may be NULL) why the run stopped.
 */
char *host_result_json(const struct host_result *r, const struct plan *p, const char *error);

/* --- dry run and apply (host-apply.c) --- */
/* What the plan changes on this host: r->files, r->cmds; nothing is written or run. */
int host_dry_run(struct host_ctx *ctx, const struct plan *p, struct host_result *r);
/*
 * Refuse a refused plan (-EINVAL, its first reason in ctx->err). Nothing to
 * change: 0 with r->changed false, no backup. Else back up, write, run
 * update-initramfs and the loader's refresh.
 */
int host_apply(struct host_ctx *ctx, const struct plan *p, struct host_result *r);

/* --- backups (host-backup.c, host-manifest.c) --- */
bool host_backup_name_ok(const char *name);
/* The newest backup not yet restored: its name, or -ENOENT. */
int host_backup_newest(struct host_ctx *ctx, char name[HOST_NAME_LEN + 1]);
/* Make r->backup from ctx->now and copy every file r changes into it, with the manifest. */
int host_backup_create(struct host_ctx *ctx, struct host_result *r);
/*
 * Load the backup in @dir (a path on this system) into r->files (old: the
 * saved text, checked against the manifest; text: NULL, sha: what the apply
 * wrote) and r->boot.kind. *restored: when it was restored.
 */
int host_backup_load(struct host_ctx *ctx, const char *dir, struct host_result *r,
		     char restored[HOST_NAME_LEN + 1]);
/* Note ctx->now in the manifest of the backup r was loaded from. */
int host_backup_mark_restored(struct host_ctx *ctx, const struct host_result *r);
/* ctx->now as a backup name */
void host_backup_name(time_t t, char name[HOST_NAME_LEN + 1]);
/* The manifest of r's backup: every file r writes or removes (not HOST_KEEP). */
char *host_manifest_text(const struct host_result *r);
/* Fill r->backup, r->boot.kind and r->files from a manifest (paths and hashes checked). */
int host_manifest_parse(const char *json, struct host_result *r,
			char restored[HOST_NAME_LEN + 1], struct ip_err *err);
/* The manifest @json with "restored": @when. */
char *host_manifest_mark(const char *json, const char *when, struct ip_err *err);

/* --- undo (host-undo.c) --- */
struct host_undo_opts {
	const char *name;		/* a backup's time; NULL: the newest not restored */
	const char *dir;		/* or a backup directory (a path on this system) */
	bool force;			/* restore files changed since the apply anyway */
};
/*
 * Restore: every file as it was (removed when it did not exist), then the
 * same refresh, then the backup is marked restored. Refuses (-EBUSY, nothing
 * changed) when a file is not what the apply wrote, unless force; -EALREADY
 * for a backup that was restored (unless force).
 */
int host_undo(struct host_ctx *ctx, const struct host_undo_opts *o, struct host_result *r);

/* Run r->cmds (host-apply.c). */
int host_run_cmds(struct host_ctx *ctx, const struct host_result *r);

#endif
