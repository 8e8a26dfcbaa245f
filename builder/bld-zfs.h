/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_BLD_ZFS_H
#define IRONPASS_BLD_ZFS_H

/*
 * ZFS for the live root and the stand-in node (issue 11): Debian's zfs-dkms
 * (contrib) is built once on the build host, never under TCG, in a throw-away
 * mmdebstrap chroot with linux-headers-amd64; the .ko files dkms installs
 * under /lib/modules/<kver>/updates/dkms/ are packed into our own package,
 * ironpass-standin-zfs-modules (a test stand-in: it Provides zfs-modules, so
 * zfs-initramfs takes it instead of pulling zfs-dkms and a compiler in).
 *
 * Cache entry <cachedir>/zfs-modules/<key>, key over suite, mirror,
 * components, the build packages and the package's templates; the kernel it
 * was built for is only known after the build and is recorded in the entry
 * ("info"): whoever installs the package next to a kernel checks that it is
 * that kernel, and rebuilds the entry when the archive has moved on.
 */

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct bld_ctx;

#define BLD_ZFS_KIND		"zfs-modules"		/* cache kind and stage name */
#define BLD_ZFS_PACKAGE		"ironpass-standin-zfs-modules"
#define BLD_ZFS_DEB		"zfs-modules.deb"	/* the package in the entry */
#define BLD_ZFS_INFO		"info"			/* what it holds, key=value */
#define BLD_ZFS_MOK		"mok.der"		/* dkms's signing certificate, if any */
#define BLD_ZFS_COMPONENTS	"main,contrib"		/* zfs-* live in contrib */
#define BLD_ZFS_MAX_KO		32

/* What mmdebstrap installs in the build chroot (dkms's own needs come as its
 * dependencies; openssl lets dkms make a key and sign the modules). */
extern const char *const bld_zfs_build_packages[];

struct bld_zfs_info {
	char kver[96];			/* "6.1.0-25-amd64" */
	char zfs_version[96];		/* zfs-dkms's version */
	char headers_version[96];	/* linux-headers-amd64's version */
	char version[256];		/* our package's version */
	char ko[BLD_ZFS_MAX_KO][64];	/* file names under updates/dkms/, sorted */
	unsigned n_ko;
	unsigned n_signed;		/* with a module signature appended */
	unsigned long long ko_bytes;
};

/* The result of the zfs-modules stage (ctx->zfs). */
struct bld_zfs {
	char key[65];
	char entry[4096];		/* <cachedir>/zfs-modules/<key> */
	char deb[4096];			/* absolute path of the package in the entry */
	char deb_name[320];		/* its name in a pool: <pkg>_<version>_amd64.deb */
	char deb_sha256[65];		/* "" in a dry run without the entry */
	bool have_mok;			/* <entry>/mok.der exists */
	struct bld_zfs_info info;
	unsigned long long deb_bytes;
	double build_seconds;		/* wall time of the build that made the entry */
	bool cached;
};

/* Cache key of the module build (no file access). */
int bld_zfs_key(const char *suite, const char *mirror, char key[65]);

/* The mmdebstrap argv of the build (pure): a null-format bootstrap whose
 * temporary chroot mmdebstrap removes itself; hooks copy /lib/modules, the
 * dpkg status and dkms's certificate (if one was made) to @out. */
struct bld_zfs_args {
	const char *argv[20];
	char components[64];
	char include[256];
	char hooks[3][4096 + 160];
};
int bld_zfs_argv(const char *suite, const char *mirror, const char *out,
		 struct bld_zfs_args *a);

/* Read what the build left in @out: the one kernel under modules/ with
 * updates/dkms/ with modules, the .ko files (names, sizes, signatures) and the
 * versions from status. */
int bld_zfs_collect(const char *out, struct bld_zfs_info *info, struct ip_err *e);
/* Our package's version for @zfs_version and @kver ("" when unusable). */
int bld_zfs_version(const char *zfs_version, const char *kver, char *buf, size_t size);
/* The package's files (pure texts; caller frees). */
char *bld_zfs_control(const struct bld_zfs_info *info);
char *bld_zfs_postinst(const char *kver);
char *bld_zfs_postrm(const char *kver);
/* Write the package's source tree as @srcdir/ironpass-standin-zfs-modules/
 * (DEBIAN/…, the .ko files linked from @out/modules/<kver>/updates/dkms/,
 * a README), with the stand-in packages' writer. */
int bld_zfs_tree(const char *out, const char *srcdir, const struct bld_zfs_info *info,
		 struct ip_err *e);
/* Digest of the package's fixed templates (a change rebuilds the entry). */
int bld_zfs_templates_digest(char hex[65]);

/* info file text and back */
char *bld_zfs_info_text(const struct bld_zfs *z);
int bld_zfs_info_parse(const char *text, struct bld_zfs *z);

/* dpkg status file: the version of an installed package (-ENOENT when not
 * installed), and the kernels installed as linux-image-<kver> (space-separated). */
int bld_dpkg_installed(const char *status, const char *pkg, char *ver, size_t size);
int bld_dpkg_kernels(const char *status, char *buf, size_t size);

/*
 * Make or reuse the module package for @suite/@mirror into @z (and report
 * as stage "zfs-modules" through ctx). @force drops a complete entry first
 * (its kernel was not the one the archive gives now).
 */
int bld_zfs_modules(struct bld_ctx *ctx, const char *suite, const char *mirror, bool force,
		    struct bld_zfs *z);

#endif
