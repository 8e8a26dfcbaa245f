/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_BLD_PAYLOAD_H
#define IRONPASS_BLD_PAYLOAD_H

/*
 * Folder builder/payload/: the payload sources (an official Proxmox VE ISO,
 * the Proxmox apt repository, a local pool) normalised into one payload
 * (base.tar.zst, pool/, manifest.json), and the stand-in pool for tests.
 * Includes only lib/ and builder/.
 */

/*
 * The payload stage's building blocks (design §3). Each source turns into
 * one directory: base.tar.zst, pool/ (flat apt repository) and
 * manifest.json (lib/payload.h). Sources: a pool directory
 * (bld-payload-pool.c), an official Proxmox VE ISO (bld-payload-iso.c),
 * the Proxmox apt repository (bld-payload-repo.c), and the test stand-in
 * (bld-standin.c; its packages' scripts are files in builder/payload/standin/,
 * embedded by bld-standin-files.c). Everything external runs through the runner.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "hash.h"
#include "runner.h"

#define BLD_SUITE_DEFAULT "bookworm"

struct bld_payload_job {
	struct runner *run;
	const char *dir;		/* the payload directory to fill (exists, empty) */
	const char *workdir;		/* scratch space (exists) */
	const char *suite;		/* "bookworm" */
	const char *mirror;		/* Debian mirror for mmdebstrap, NULL = its default */
	const char *keyring;		/* --pve-repo: proxmox-release-<suite>.gpg */
	const char *repo_url;		/* --pve-repo: [ironpass] pve-repository of the profile */
	/* stand-in: the ZFS module package (bld-zfs.c) the pool carries, the
	 * name it gets in pool/, and the kernel (uname -r) it was built for */
	const char *zfs_deb;
	const char *zfs_deb_name;
	const char *zfs_kver;
	int64_t source_date_epoch;
	struct ip_err err;
	/* progress detail (e.g. "mmdebstrap"), may be NULL */
	void (*on_step)(void *data, const char *step);
	void *on_step_data;
};

/* The packages of the Debian base root file system (stand-in and --pve-repo). */
extern const char *const bld_payload_base_packages[];

/* mmdebstrap: base.tar.zst plus the dependency closure of @download (only what
 * the base lacks) downloaded into @dl_dir on the host. NULL-terminated argv. */
struct bld_mmdebstrap {
	const char *suite;
	const char *mirror;		/* NULL: mmdebstrap's default */
	const char *components;		/* "main,contrib", or NULL: mmdebstrap's default (main) */
	const char *const *include;	/* base packages */
	const char *const *extra_include;	/* more base packages, or NULL */
	const char *const *copy_in;	/* pairs: host file, chroot dir (setup hooks), or NULL */
	const char *const *download;	/* packages whose closure goes to dl_dir */
	const char *local_deb;		/* a host .deb that joins the download's resolution
					 * (uploaded to /tmp; not downloaded), or NULL */
	const char *status_out;		/* host file for the root's dpkg status, or NULL */
	const char *dl_dir;
	const char *out;		/* …/base.tar.zst */
};
char **bld_mmdebstrap_argv(const struct bld_mmdebstrap *m);
void bld_argv_free(char **argv);

/* Environment for reproducible tools: SOURCE_DATE_EPOCH=… (static storage per call site). */
int bld_payload_env(char *buf, size_t size, int64_t sde);

/* Run @argv (non-zero exit is an error, copied into job->err). */
int bld_payload_run(struct bld_payload_job *job, const char *const *argv, const char *cwd,
		    struct run_result *res);

/* Hard-link (or copy when linking fails) a file; the target is replaced. */
int bld_payload_link(const char *src, const char *dst, struct ip_err *err);
/* Link every *.deb directly in @src into @pool; *n counts them. */
int bld_payload_take_debs(const char *src, const char *pool, unsigned *n, struct ip_err *err);
/* rm -rf without a shell (for scratch dirs the builder made). */
int bld_payload_rmtree(const char *path);

/*
 * pool/Packages (dpkg-scanpackages, run in the pool) and pool/Release, so
 * that `deb [trusted=yes] file:/…/pool ./` works. Dated by SOURCE_DATE_EPOCH.
 */
int bld_payload_index(struct bld_payload_job *job, const char *label);
/* The Release text for a Packages file (pure; caller frees). */
char *bld_payload_release_text(const char *label, const char *suite, int64_t sde,
			       const char *packages_sha256, unsigned long long packages_size);

/*
 * Fill @dir atomically: @fn builds into <dir>.tmp (job->dir) with scratch
 * <dir>.work (job->workdir); the result is verified, then replaces @dir.
 */
int bld_payload_build_into(struct bld_payload_job *job, const char *dir,
			   int (*fn)(struct bld_payload_job *job, const void *arg),
			   const void *arg);

/* Scan @job->dir and write manifest.json. */
int bld_payload_finish(struct bld_payload_job *job, const char *source, bool standin);

/* The sources */
int bld_payload_from_pool(struct bld_payload_job *job, const char *src);
int bld_payload_from_iso(struct bld_payload_job *job, const char *iso);
int bld_payload_from_repo(struct bld_payload_job *job);
/* The pve-install-repo.list line for @url and @suite (caller frees); NULL when the
 * suite has no known Proxmox release key or the URL is not a plain http(s) URL. */
char *bld_payload_repo_line(const char *url, const char *suite);

/* A directory tree into a reproducible tar.zst (pax; numeric owners, xattrs,
 * hard links; sorted; mtimes clamped to @sde). */
int bld_payload_tar_dir(const char *dir, const char *out, int64_t sde, struct ip_err *err);

/*
 * The test stand-in pool: Debian base (main and contrib) + the closure of
 * postfix/open-iscsi/chrony/zfsutils-linux/zfs-initramfs + the ZFS module
 * package @job->zfs_deb (its kernel must be the base's: -ESTALE otherwise) +
 * stand-in metapackages (proxmox-ve, pve-manager, pve-cluster). NOT Proxmox VE.
 * Builds into @job->dir.
 */
int bld_standin_build(struct bld_payload_job *job);
extern const char *const bld_standin_download[];	/* what the pool carries beyond the base */
/* `ironpass standin-pool DIR`: reuse DIR when it verifies as a stand-in
 * payload of job->suite and DIR.key equals bld_standin_key() (unless @force),
 * else build it atomically and write DIR.key. */
int bld_standin_pool(struct bld_payload_job *job, const char *dir, bool force, bool *cached);
/* What a stand-in pool is made from (suite, mirror, base packages, the digest
 * of the stand-in packages' files), as text; caller frees. */
char *bld_standin_key(const struct bld_payload_job *job);
/* The stand-in packages' marks: maintainer and the closing paragraph of each
 * description ("test stand-in, NOT Proxmox VE"). */
#define BLD_STANDIN_MAINT "ironpass test suite <ironpass-standin@localhost.invalid>"
#define BLD_STANDIN_NOTE \
	" This package was generated by ironpass for its test suite and demo. It is a\n" \
	" test stand-in, NOT Proxmox VE, and contains no Proxmox software.\n"
/* One file of a stand-in package's source tree: <dir>/<pkg>/<path>. */
struct bld_standin_file {
	const char *pkg;
	const char *path;
	mode_t mode;
	const char *text;
};
/* The stand-in packages' scripts and unit: builder/payload/standin/ embedded at
 * build time (bld-standin-files.c), each NUL-terminated. */
extern const char bld_standin_qm[], bld_standin_pvesm[], bld_standin_pmxcfs[];
extern const char bld_standin_create_pmxcfs_db[], bld_standin_cluster_unit[];
/* Write @files under @dir with exactly their modes (whatever the umask). */
int bld_standin_files_write(const char *dir, const struct bld_standin_file *files, size_t n,
			    struct ip_err *err);
/* Feed names, modes and texts of @files into @c (for cache keys). */
void bld_standin_files_digest(struct sha256_ctx *c, const struct bld_standin_file *files,
			     size_t n);
/* Write the source trees of the stand-in packages under @dir, one subdirectory
 * per name in bld_standin_debs. */
int bld_standin_debs_write(const char *dir, struct ip_err *err);
/* SHA-256 over the stand-in packages' files (names, modes, texts): a pool made
 * from other stand-in files is not reused. 0 or -errno. */
int bld_standin_debs_digest(char hex[SHA256_HEX_LEN + 1]);
extern const char *const bld_standin_debs[];

#endif
