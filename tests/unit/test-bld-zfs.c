// SPDX-License-Identifier: GPL-2.0-or-later
/* The zfs-modules stage with the fake runner: the mmdebstrap argv of the
 * build, its cache key, the module package made from a fake build tree
 * (files, control, maintainer scripts), the cache entry and its reuse, and
 * the live root that installs the package and checks its kernel. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bld.h"
#include "fake-runner.h"
#include "path.h"
#include "payload/bld-payload.h"
#include "util.h"

/* snprintf into a char array, asserting nothing was cut */
#define FMT(buf, ...) assert_true(snprintf(buf, sizeof(buf), __VA_ARGS__) < (int)sizeof(buf))

#define KVER "6.1.0-25-amd64"

static char top[256];

static int setup(void **state)
{
	(void)state;
	FMT(top, "%.200s/ironpass-bldzfs-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(top));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(bld_payload_rmtree(top), 0);
	return 0;
}

static void put(const char *dir, const char *rel, const char *data, size_t len)
{
	assert_int_equal(path_mkdirs(NULL, dir, 0755), 0);
	assert_int_equal(path_write_file(dir, rel, data, len ? len : strlen(data), 0644), 0);
}

static char *slurp(const char *dir, const char *rel)
{
	char *text = NULL;
	size_t len;

	assert_int_equal(path_read_all(dir, rel, 1 << 20, &text, &len), 0);
	return text;
}

static const char status_text[] =
	"Package: dkms\nStatus: install ok installed\nVersion: 3.0.10-8+deb12u1\n\n"
	"Package: zfs-dkms\nStatus: install ok installed\nPriority: optional\n"
	"Version: 2.1.11-1+deb12u1\nDescription: OpenZFS filesystem kernel modules\n"
	" for Linux\n\n"
	"Package: linux-headers-amd64\nStatus: install ok installed\nVersion: 6.1.106-3\n\n"
	"Package: linux-image-" KVER "\nStatus: deinstall ok config-files\nVersion: 6.1.106-3\n";

/* What the build would leave in @out: three modules (one signed), the
 * headers' build link, depmod's files and the chroot's dpkg status. */
static void fake_out(const char *out)
{
	char big[4096], dir[PATH_MAX];
	const char magic[] = "~Module signature appended~\n";

	memset(big, 'z', sizeof(big));
	memcpy(big + sizeof(big) - (sizeof(magic) - 1), magic, sizeof(magic) - 1);
	assert_true(path_fmt(dir, sizeof(dir), out, "modules/%s/updates/dkms", KVER) == 0);
	assert_int_equal(path_mkdirs(NULL, dir, 0755), 0);
	put(dir, "zfs.ko", big, sizeof(big));
	put(dir, "spl.ko", "spl module, unsigned", 0);
	put(dir, "zavl.ko", "zavl", 0);
	put(dir, "notes.txt", "not a module", 0);
	put(out, "modules/" KVER "/modules.dep", "updates/dkms/zfs.ko: updates/dkms/spl.ko\n", 0);
	assert_true(path_fmt(dir, sizeof(dir), out, "modules/%s/build", KVER) == 0);
	assert_int_equal(symlink("/usr/src/linux-headers-" KVER, dir), 0);
	put(out, "status", status_text, 0);
}

static void test_argv(void **state)
{
	struct bld_zfs_args a;
	char *s;

	(void)state;
	assert_int_equal(bld_zfs_argv("bookworm", NULL, "/c/t/work/out", &a), 0);
	s = runner_argv_str(a.argv);
	assert_string_equal(s, "mmdebstrap --variant=minbase --mode=root "
			    "--components=main,contrib "
			    "--include=linux-headers-amd64,zfs-dkms,openssl "
			    "'--customize-hook=sync-out /lib/modules /c/t/work/out/modules' "
			    "'--customize-hook=download /var/lib/dpkg/status /c/t/work/out/status' "
			    "'--customize-hook=if [ -e \"$1/var/lib/dkms/mok.pub\" ]; then "
			    "cp \"$1/var/lib/dkms/mok.pub\" /c/t/work/out/mok.der; fi' "
			    "bookworm /dev/null");
	free(s);
	/* a mirror goes last */
	assert_int_equal(bld_zfs_argv("trixie", "http://mirror.example.invalid/debian", "/o", &a),
			 0);
	s = runner_argv_str(a.argv);
	assert_true(str_endswith(s, " trixie /dev/null http://mirror.example.invalid/debian"));
	free(s);
	/* the output directory goes into a shell hook: nothing unsafe */
	assert_int_equal(bld_zfs_argv("bookworm", NULL, "/o; rm -rf /", &a), -EINVAL);
	assert_int_equal(bld_zfs_argv("bookworm", NULL, "/o/$(x)", &a), -EINVAL);
	assert_int_equal(bld_zfs_argv("book worm", NULL, "/o", &a), -EINVAL);
}

static void test_key(void **state)
{
	char k1[65], k2[65], k3[65], k4[65];

	(void)state;
	assert_int_equal(bld_zfs_key("bookworm", NULL, k1), 0);
	assert_int_equal(bld_zfs_key("bookworm", NULL, k2), 0);
	assert_int_equal(strlen(k1), 64);
	assert_string_equal(k1, k2);				/* stable */
	assert_int_equal(bld_zfs_key("trixie", NULL, k3), 0);
	assert_string_not_equal(k1, k3);			/* suite */
	assert_int_equal(bld_zfs_key("bookworm", "http://mirror.example.invalid/debian", k4), 0);
	assert_string_not_equal(k1, k4);			/* mirror */
	assert_string_not_equal(k3, k4);
}

static void test_version_and_scripts(void **state)
{
	char v[256];
	char *t;

	(void)state;
	assert_int_equal(bld_zfs_version("2.1.11-1+deb12u1", KVER, v, sizeof(v)), 0);
	/* the kernel's hyphens would end the upstream version: dots */
	assert_string_equal(v, "2.1.11-1+deb12u1+standin.6.1.0.25.amd64");
	assert_int_equal(bld_zfs_version("2.1.11-1", "../../x", v, sizeof(v)), -EINVAL);
	assert_int_equal(bld_zfs_version("2.1 11", KVER, v, sizeof(v)), -EINVAL);
	assert_int_equal(bld_zfs_version("2.1.11", KVER, v, 10), -ENAMETOOLONG);
	t = bld_zfs_postinst(KVER);
	assert_string_equal(t, "#!/bin/sh\n"
			    "# ironpass-standin-zfs-modules (test stand-in): index the modules of "
			    KVER "\n"
			    "set -e\n"
			    "if [ \"$1\" = configure ] && [ -e /lib/modules/" KVER
			    "/modules.order ]; then\n"
			    "\tdepmod -a " KVER "\n"
			    "fi\n"
			    "exit 0\n");
	free(t);
	t = bld_zfs_postrm(KVER);
	assert_non_null(strstr(t, "remove|purge)\n\tif [ -e /lib/modules/" KVER
			       "/modules.order ]; then\n\t\tdepmod -a " KVER "\n"));
	free(t);
	/* a kernel name never reaches a script unchecked */
	assert_null(bld_zfs_postinst("6.1; reboot"));
	assert_null(bld_zfs_postrm("$(reboot)"));
}

static void test_dpkg_status(void **state)
{
	char v[64], k[256];

	(void)state;
	assert_int_equal(bld_dpkg_installed(status_text, "zfs-dkms", v, sizeof(v)), 0);
	assert_string_equal(v, "2.1.11-1+deb12u1");
	assert_int_equal(bld_dpkg_installed(status_text, "linux-headers-amd64", v, sizeof(v)), 0);
	assert_string_equal(v, "6.1.106-3");
	/* removed with its configuration kept is not installed */
	assert_int_equal(bld_dpkg_installed(status_text, "linux-image-" KVER, v, sizeof(v)),
			 -ENOENT);
	assert_int_equal(bld_dpkg_installed(status_text, "zfs", v, sizeof(v)), -ENOENT);
	assert_int_equal(bld_dpkg_kernels(status_text, k, sizeof(k)), 0);
	assert_string_equal(k, "");
	assert_int_equal(bld_dpkg_kernels(
		"Package: linux-image-amd64\nStatus: install ok installed\nVersion: 6.1.106-3\n\n"
		"Package: linux-image-6.1.0-25-amd64\nStatus: install ok installed\n\n"
		"Package: linux-image-6.1.0-24-amd64-dbg\nStatus: install ok installed\n\n"
		"Package: linux-image-6.1.0-26-amd64\nStatus: install ok installed\n", k, sizeof(k)),
		0);
	assert_string_equal(k, "6.1.0-25-amd64 6.1.0-26-amd64");
}

static void test_collect_and_tree(void **state)
{
	struct bld_zfs_info info;
	struct ip_err e = { 0 };
	char out[PATH_MAX], src[PATH_MAX], path[PATH_MAX], *t;
	struct stat st;

	(void)state;
	FMT(out, "%s/out", top);
	FMT(src, "%s/src", top);
	fake_out(out);
	if (bld_zfs_collect(out, &info, &e) < 0)
		fail_msg("%s", e.msg);
	assert_string_equal(info.kver, KVER);
	assert_string_equal(info.zfs_version, "2.1.11-1+deb12u1");
	assert_string_equal(info.headers_version, "6.1.106-3");
	assert_string_equal(info.version, "2.1.11-1+deb12u1+standin.6.1.0.25.amd64");
	/* every module dkms installed, sorted; other files are not modules */
	assert_int_equal(info.n_ko, 3);
	assert_string_equal(info.ko[0], "spl.ko");
	assert_string_equal(info.ko[1], "zavl.ko");
	assert_string_equal(info.ko[2], "zfs.ko");
	assert_int_equal(info.n_signed, 1);
	assert_int_equal(info.ko_bytes, 4096 + strlen("spl module, unsigned") + 4);

	assert_int_equal(bld_zfs_tree(out, src, &info, &e), 0);
	t = slurp(src, "ironpass-standin-zfs-modules/DEBIAN/control");
	assert_true(str_startswith(t, "Package: ironpass-standin-zfs-modules\n"
				   "Version: 2.1.11-1+deb12u1+standin.6.1.0.25.amd64\n"
				   "Architecture: amd64\n"
				   "Maintainer: " BLD_STANDIN_MAINT "\n"
				   "Depends: kmod\n"
				   "Provides: zfs-modules\n"));
	assert_non_null(strstr(t, "\nDescription: test stand-in: OpenZFS 2.1.11-1+deb12u1 "
			       "kernel modules for Linux " KVER "\n"));
	assert_non_null(strstr(t, "/lib/modules/" KVER "/updates/dkms/ (3 files)"));
	/* not all signed: said as unsigned */
	assert_non_null(strstr(t, "They are unsigned"));
	assert_non_null(strstr(t, "test stand-in, NOT Proxmox VE"));
	free(t);
	FMT(path, "%s/ironpass-standin-zfs-modules/DEBIAN/postinst", src);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	t = slurp(src, "ironpass-standin-zfs-modules/DEBIAN/triggers");
	assert_string_equal(t, "activate-noawait update-initramfs\n");
	free(t);
	t = slurp(src, "ironpass-standin-zfs-modules/usr/share/doc/ironpass-standin-zfs-modules/"
		  "README.standin");
	assert_non_null(strstr(t, "NOT Proxmox VE"));
	assert_non_null(strstr(t, "Modules: spl.ko, zavl.ko, zfs.ko."));
	free(t);
	for (unsigned i = 0; i < info.n_ko; i++) {
		FMT(path, "%s/ironpass-standin-zfs-modules/lib/modules/" KVER "/updates/dkms/%s",
		    src, info.ko[i]);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0644);
	}
	/* exactly the modules: not the notes, not depmod's files, not the build link */
	assert_false(path_exists(src, "ironpass-standin-zfs-modules/lib/modules/" KVER
				 "/updates/dkms/notes.txt"));
	assert_false(path_exists(src, "ironpass-standin-zfs-modules/lib/modules/" KVER
				 "/modules.dep"));
	assert_false(path_exists(src, "ironpass-standin-zfs-modules/lib/modules/" KVER "/build"));
}

static void test_collect_refusals(void **state)
{
	struct bld_zfs_info info;
	struct ip_err e = { 0 };
	char out[PATH_MAX], p[PATH_MAX];

	(void)state;
	FMT(out, "%s/out", top);
	/* nothing built */
	assert_int_equal(bld_zfs_collect(out, &info, &e), -ENOENT);
	FMT(p, "%s/modules/" KVER, out);
	assert_int_equal(path_mkdirs(NULL, p, 0755), 0);
	assert_int_equal(bld_zfs_collect(out, &info, &e), -ENOENT);
	assert_non_null(strstr(e.msg, "dkms built no module"));
	/* modules, but no zfs.ko */
	put(out, "modules/" KVER "/updates/dkms/spl.ko", "spl", 0);
	put(out, "status", status_text, 0);
	assert_int_equal(bld_zfs_collect(out, &info, &e), -ENOENT);
	assert_non_null(strstr(e.msg, "no 'zfs.ko'"));
	put(out, "modules/" KVER "/updates/dkms/zfs.ko", "zfs", 0);
	assert_int_equal(bld_zfs_collect(out, &info, &e), 0);
	/* modules for two kernels: which one? */
	put(out, "modules/6.1.0-26-amd64/updates/dkms/zfs.ko", "zfs", 0);
	assert_int_equal(bld_zfs_collect(out, &info, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "for 2 kernels"));
	FMT(p, "%s/modules/6.1.0-26-amd64", out);
	assert_int_equal(bld_payload_rmtree(p), 0);
	/* zfs-dkms not installed */
	put(out, "status", "Package: dkms\nStatus: install ok installed\nVersion: 3\n", 0);
	assert_int_equal(bld_zfs_collect(out, &info, &e), -ENOENT);
	assert_non_null(strstr(e.msg, "zfs-dkms is not installed"));
}

static void ctx_for(struct bld_ctx *ctx, struct fake_runner *f, char *cache, size_t size)
{
	bld_ctx_init(ctx);
	fake_runner_init(f);
	snprintf(cache, size, "%s/cache", top);
	ctx->cachedir = cache;
	ctx->run = &f->r;
}

/* The stage: built once (argv in order, entry committed with its info),
 * then reused without running anything; forced, the entry is dropped. */
static void test_stage(void **state)
{
	struct fake_runner f;
	struct bld_ctx ctx;
	char cache[300], key[65], tmp[PATH_MAX], exp[2 * PATH_MAX], *info;

	(void)state;
	ctx_for(&ctx, &f, cache, sizeof(cache));
	assert_int_equal(bld_zfs_key("bookworm", NULL, key), 0);
	/* what mmdebstrap and dpkg-deb would have left (rm -rf is faked too) */
	FMT(tmp, "%s/zfs-modules/.tmp-%s-%ld", cache, key, (long)getpid());
	FMT(exp, "%s/work/out", tmp);
	fake_out(exp);
	put(tmp, "zfs-modules.deb", "a deb", 0);
	put(tmp, "work/out/mok.der", "cert", 0);
	assert_int_equal(bld_stage_zfs(&ctx), 0);
	/* (the first call clears the temp directory it found: ours, pre-filled) */
	assert_int_equal(f.n_calls, 4);
	FMT(exp, "rm -rf --one-file-system -- %s", tmp);
	assert_string_equal(f.calls[0].cmd, exp);
	assert_true(str_startswith(f.calls[1].cmd, "mmdebstrap --variant=minbase --mode=root "
				   "--components=main,contrib --include=linux-headers-amd64,"
				   "zfs-dkms,openssl "));
	FMT(exp, "'--customize-hook=sync-out /lib/modules %s/work/out/modules'",
		 tmp);
	assert_non_null(strstr(f.calls[1].cmd, exp));
	assert_true(str_endswith(f.calls[1].cmd, " bookworm /dev/null"));
	FMT(exp, "dpkg-deb --root-owner-group -Zxz --build "
		 "%s/work/src/ironpass-standin-zfs-modules %s/zfs-modules.deb", tmp, tmp);
	assert_string_equal(f.calls[2].cmd, exp);
	FMT(exp, "rm -rf --one-file-system -- %s/work", tmp);
	assert_string_equal(f.calls[3].cmd, exp);
	/* the package's tree was written from the build's modules */
	FMT(exp, "%s/zfs-modules/%s/work/src", cache, key);
	assert_true(path_exists(exp, "ironpass-standin-zfs-modules/lib/modules/" KVER
				"/updates/dkms/zfs.ko"));
	/* committed, with what it holds */
	assert_true(bld_cache_has(&ctx, "zfs-modules", key));
	assert_false(ctx.zfs.cached);
	assert_string_equal(ctx.zfs.info.kver, KVER);
	assert_int_equal(ctx.zfs.info.n_ko, 3);
	assert_int_equal(ctx.zfs.deb_bytes, 5);
	assert_true(ctx.zfs.have_mok);
	assert_string_equal(ctx.zfs.deb_name, "ironpass-standin-zfs-modules_"
			    "2.1.11-1+deb12u1+standin.6.1.0.25.amd64_amd64.deb");
	assert_true(ctx.zfs.deb[0] == '/' && str_endswith(ctx.zfs.deb, "/" BLD_ZFS_DEB));
	assert_int_equal(strlen(ctx.zfs.deb_sha256), 64);
	info = slurp(ctx.zfs.entry, "info");
	assert_non_null(strstr(info, "kver=" KVER "\nzfs=2.1.11-1+deb12u1\n"));
	assert_non_null(strstr(info, "\nmodules=3\nsigned=1\nko-bytes=4120\ndeb-bytes=5\n"));
	free(info);
	fake_runner_release(&f);

	/* again: from the cache, nothing run, the same figures */
	ctx_for(&ctx, &f, cache, sizeof(cache));
	assert_int_equal(bld_stage_zfs(&ctx), 0);
	assert_int_equal(f.n_calls, 0);
	assert_true(ctx.zfs.cached);
	assert_string_equal(ctx.zfs.info.kver, KVER);
	assert_int_equal(ctx.zfs.info.n_signed, 1);
	assert_int_equal(ctx.zfs.info.ko_bytes, 4120);
	/* forced (the kernel moved on): the entry is dropped first */
	assert_int_equal(bld_zfs_modules(&ctx, "bookworm", NULL, true, &ctx.zfs), 0);
	FMT(exp, "rm -rf --one-file-system -- %s/zfs-modules/%s", cache, key);
	assert_string_equal(f.calls[0].cmd, exp);
	fake_runner_release(&f);

	/* a failed build leaves no entry and says why */
	ctx_for(&ctx, &f, cache, sizeof(cache));
	snprintf(cache + strlen(cache), sizeof(cache) - strlen(cache), "2");
	fake_runner_push(&f, 1, "", "E: Unable to locate package zfs-dkms\n");
	assert_true(bld_stage_zfs(&ctx) < 0);
	assert_non_null(strstr(ctx.err.msg, "mmdebstrap"));
	assert_false(bld_cache_has(&ctx, "zfs-modules", key));
	fake_runner_release(&f);
}

/* The live root: contrib, zfsutils-linux, the package by its path; key follows it. */
static void test_rootfs(void **state)
{
	struct bld_ctx ctx;
	struct bld_rootfs_args a;
	char k1[65], k2[65], *list, *s;

	(void)state;
	bld_ctx_init(&ctx);
	list = bld_package_list(&ctx);
	assert_non_null(strstr(list, ",zfsutils-linux,"));
	assert_int_equal(bld_rootfs_argv(&ctx, list, "/c/root", &a), -ENOENT);	/* no package */
	snprintf(ctx.zfs.deb, sizeof(ctx.zfs.deb), "/c/zfs-modules/k/zfs-modules.deb");
	assert_int_equal(bld_rootfs_argv(&ctx, list, "/c/root", &a), 0);
	s = runner_argv_str(a.argv);
	assert_true(str_startswith(s, "mmdebstrap --variant=minbase --mode=root "
				   "--components=main,contrib --include=btrfs-progs,"));
	assert_true(str_endswith(s, ",zfsutils-linux,zstd "
				 "--hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount "
				 "--include=/c/zfs-modules/k/zfs-modules.deb bookworm /c/root"));
	free(s);
	/* another module package, another root */
	assert_int_equal(bld_rootfs_key(&ctx, list, k1), 0);
	snprintf(ctx.zfs.deb_sha256, sizeof(ctx.zfs.deb_sha256), "%064d", 7);
	assert_int_equal(bld_rootfs_key(&ctx, list, k2), 0);
	assert_string_not_equal(k1, k2);
	free(list);
}

static void rootfs_status(const char *cache, struct bld_ctx *ctx, const char *kernel)
{
	char *list = bld_package_list(ctx), key[65], rel[PATH_MAX], text[256];

	assert_int_equal(bld_rootfs_key(ctx, list, key), 0);
	free(list);
	FMT(rel, "rootfs/.tmp-%s-%ld/root/var/lib/dpkg/status", key,
		 (long)getpid());
	FMT(text, "Package: linux-image-amd64\nStatus: install ok installed\n"
		 "\nPackage: linux-image-%s\nStatus: install ok installed\n", kernel);
	put(cache, rel, text, 0);
}

/* The live root's kernel must be the modules': a mismatch rebuilds them once. */
static void test_rootfs_kernel(void **state)
{
	struct fake_runner f;
	struct bld_ctx ctx;
	char cache[300], key[65], entry[PATH_MAX];
	int i;

	(void)state;
	ctx_for(&ctx, &f, cache, sizeof(cache));
	/* a cached module entry for KVER */
	assert_int_equal(bld_zfs_key("bookworm", NULL, key), 0);
	FMT(entry, "%s/zfs-modules/%s", cache, key);
	put(entry, "zfs-modules.deb", "deb", 0);
	put(entry, "info", "kver=" KVER "\nzfs=2.1.11-1\nheaders=6.1.106-3\n"
	    "version=2.1.11-1+standin.6.1.0.25.amd64\nmodules=9\nsigned=0\n"
	    "ko-bytes=100\ndeb-bytes=3\nseconds=600.0\n", 0);
	assert_int_equal(bld_stage_zfs(&ctx), 0);
	assert_true(ctx.zfs.cached);
	assert_int_equal(ctx.zfs.build_seconds, 600);
	assert_int_equal(ctx.zfs.info.n_ko, 9);

	/* another kernel (with a fake rm the module entry stays, and so does the
	 * mismatch): the modules are dropped and made again, then it says so */
	rootfs_status(cache, &ctx, "6.1.0-26-amd64");
	assert_int_equal(bld_stage_rootfs(&ctx), -ESTALE);
	assert_string_equal(ctx.err.msg, "the ZFS modules were built for kernel '" KVER "' but "
			    "the live root got '6.1.0-26-amd64'");
	for (i = 0; i < (int)f.n_calls; i++)
		if (str_startswith(f.calls[i].cmd, "rm -rf --one-file-system -- ") &&
		    strstr(f.calls[i].cmd, "/zfs-modules/") && !strstr(f.calls[i].cmd, ".tmp-"))
			break;
	assert_true(i < (int)f.n_calls);		/* the module entry was dropped */
	/* after the first root, before the second */
	assert_true(fake_runner_find(&f, "mmdebstrap --variant=minbase --mode=root "
				     "--components=main,contrib --include=btrfs-progs") < i);
	{
		int n = 0;

		for (size_t c = 0; c < f.n_calls; c++)
			n += str_startswith(f.calls[c].cmd, "mmdebstrap ") && c > (size_t)i;
		assert_int_equal(n, 1);
	}
	assert_false(bld_cache_has(&ctx, "rootfs", ctx.rootfs_key));
	fake_runner_release(&f);

	/* the same kernel: committed */
	rootfs_status(cache, &ctx, KVER);
	assert_int_equal(bld_stage_rootfs(&ctx), 0);
	assert_int_equal(f.n_calls, 2);		/* rm of the (pre-filled) temp dir, mmdebstrap */
	assert_int_equal(fake_runner_find(&f, "mmdebstrap "), 1);
	assert_true(bld_cache_has(&ctx, "rootfs", ctx.rootfs_key));
	fake_runner_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_version_and_scripts),
		cmocka_unit_test(test_dpkg_status),
		cmocka_unit_test_setup_teardown(test_collect_and_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collect_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage, setup, teardown),
		cmocka_unit_test(test_rootfs),
		cmocka_unit_test_setup_teardown(test_rootfs_kernel, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
