// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unpack: a small tar.zst built here with libarchive (modes, a hard link, a
 * symlink, an xattr, a non-root owner, a device node as root) is extracted
 * into a temporary target; a corrupted archive, a wrong checksum and unsafe
 * names are refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "hash.h"
#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "path.h"
#include "runner.h"

static char dir[64], target[128], tarball[128];
static char sha[SHA256_HEX_LEN + 1];
static unsigned long long tarsize;
static bool as_root;

static void rmtree(const char *d)
{
	const char *rm[] = { "rm", "-rf", d, NULL };
	struct runner r;

	runner_spawn_init(&r);
	runner_check(&r, rm, NULL, NULL);
}

static void add(struct archive *a, const char *name, mode_t type, mode_t perm,
		const char *data, const char *link, const char *hardlink, uid_t uid)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, perm);
	archive_entry_set_uid(e, uid);
	archive_entry_set_gid(e, uid);
	archive_entry_set_mtime(e, 1700000000, 0);
	if (link)
		archive_entry_set_symlink(e, link);
	if (hardlink) {
		archive_entry_set_hardlink(e, hardlink);
		archive_entry_set_size(e, 0);
	} else {
		archive_entry_set_size(e, data ? strlen(data) : 0);
	}
	if (type == AE_IFCHR)
		archive_entry_set_rdev(e, makedev(1, 3));
	if (!strcmp(name, "etc/hello"))
		archive_entry_xattr_add_entry(e, "user.ironpass", "yes", 3);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	if (data && !hardlink)
		assert_int_equal(archive_write_data(a, data, strlen(data)), (ssize_t)strlen(data));
	archive_entry_free(e);
}

static char outside[128];

static void build(const char *path, bool evil)
{
	struct archive *a = archive_write_new();

	assert_int_equal(archive_write_add_filter_zstd(a), ARCHIVE_OK);
	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	add(a, "etc", AE_IFDIR, 0755, NULL, NULL, NULL, 0);
	add(a, "etc/hello", AE_IFREG, 0640, "hello, world\n", NULL, NULL, 0);
	add(a, "etc/hello.link", AE_IFREG, 0640, NULL, NULL, "etc/hello", 0);
	add(a, "usr", AE_IFDIR, 0755, NULL, NULL, NULL, 0);
	add(a, "usr/bin", AE_IFDIR, 0755, NULL, NULL, NULL, 0);
	add(a, "usr/bin/tool", AE_IFREG, 04755, "#!/bin/sh\n", NULL, NULL, 0);
	add(a, "bin", AE_IFLNK, 0777, NULL, "usr/bin", NULL, 0);
	add(a, "home", AE_IFDIR, 0755, NULL, NULL, NULL, 0);
	add(a, "home/user", AE_IFDIR, 0700, NULL, NULL, NULL, 1234);
	add(a, "home/user/notes", AE_IFREG, 0600, "mine\n", NULL, NULL, 1234);
	if (as_root)
		add(a, "etc/null", AE_IFCHR, 0666, NULL, NULL, NULL, 0);
	if (evil)
		add(a, "../escaped", AE_IFREG, 0644, "x\n", NULL, NULL, 0);
	if (outside[0]) {	/* a symlink pointing out of the target, then a write through it */
		add(a, "escape", AE_IFLNK, 0777, NULL, outside, NULL, 0);
		add(a, "escape/pwned", AE_IFREG, 0644, "x\n", NULL, NULL, 0);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

static int setup(void **state)
{
	(void)state;
	as_root = geteuid() == 0;
	snprintf(dir, sizeof(dir), "/tmp/ironpass-unpack-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(tarball, sizeof(tarball), "%s/base.tar.zst", dir);
	mkdir(target, 0755);
	build(tarball, false);
	return sha256_file(NULL, tarball, sha, &tarsize);
}

static int teardown(void **state)
{
	(void)state;
	rmtree(dir);
	return 0;
}

static int calls, last_pct;

static void progress(void *data, const char *step, int pct, const char *detail)
{
	(void)data;
	(void)detail;
	assert_string_equal(step, "unpack");
	assert_true(pct >= last_pct);
	last_pct = pct;
	calls++;
}

static void init(struct inst_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->target = target;
	ctx->payload_dir = dir;
	ctx->on_progress = progress;
	snprintf(ctx->base_sha256, sizeof(ctx->base_sha256), "%s", sha);
	ctx->base_size = tarsize;
	calls = 0;
	last_pct = 0;
}

static void test_unpack(void **state)
{
	struct inst_ctx ctx;
	struct stat a, b;
	char buf[256];
	ssize_t n;

	(void)state;
	init(&ctx);
	assert_int_equal(inst_unpack(&ctx), 0);
	assert_true(calls >= 2);
	assert_int_equal(last_pct, 100);

	snprintf(buf, sizeof(buf), "%s/etc/hello", target);
	assert_int_equal(stat(buf, &a), 0);
	assert_int_equal(a.st_mode & 07777, 0640);
	assert_int_equal(a.st_nlink, 2);
	assert_int_equal(a.st_mtime, 1700000000);
	snprintf(buf, sizeof(buf), "%s/etc/hello.link", target);
	assert_int_equal(stat(buf, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
	snprintf(buf, sizeof(buf), "%s/usr/bin/tool", target);
	assert_int_equal(stat(buf, &a), 0);
	assert_int_equal(a.st_mode & 07777, as_root ? 04755 : 0755);
	snprintf(buf, sizeof(buf), "%s/bin", target);
	{
		char link[64];

		n = readlink(buf, link, sizeof(link) - 1);
		assert_int_equal(n, 7);
		link[n] = '\0';
		assert_string_equal(link, "usr/bin");
	}
	snprintf(buf, sizeof(buf), "%s/home/user", target);
	assert_int_equal(stat(buf, &a), 0);
	assert_int_equal(a.st_mode & 07777, 0700);
	if (as_root) {
		assert_int_equal(a.st_uid, 1234);
		snprintf(buf, sizeof(buf), "%s/etc/null", target);
		if (lstat(buf, &a) == 0) {
			assert_true(S_ISCHR(a.st_mode));
			assert_int_equal(a.st_rdev, makedev(1, 3));
		} else {
			print_message("device node not created (no mknod here)\n");
		}
	}
	{
		char val[8];

		snprintf(buf, sizeof(buf), "%s/etc/hello", target);
		n = getxattr(buf, "user.ironpass", val, sizeof(val));
		if (n < 0 && (errno == ENOTSUP || errno == EOPNOTSUPP)) {
			print_message("no user xattrs on this filesystem\n");
		} else {
			assert_int_equal(n, 3);
			assert_memory_equal(val, "yes", 3);
		}
	}
}

static void test_wrong_checksum(void **state)
{
	struct inst_ctx ctx;

	(void)state;
	init(&ctx);
	ctx.base_sha256[0] = ctx.base_sha256[0] == '0' ? '1' : '0';
	assert_int_equal(inst_unpack(&ctx), -EBADMSG);
	assert_non_null(strstr(ctx.err.msg, "checksum mismatch for '"));
	init(&ctx);
	ctx.base_sha256[0] = '\0';
	assert_int_equal(inst_unpack(&ctx), -EINVAL);
	assert_non_null(strstr(ctx.err.msg, "no SHA-256 for '"));
}

static void test_corrupted(void **state)
{
	struct inst_ctx ctx;
	char bad[256];
	char *data;
	size_t len;

	(void)state;
	assert_int_equal(path_read_all(NULL, tarball, 1 << 20, &data, &len), 0);
	for (size_t i = len / 3; i < len / 3 + 32 && i < len; i++)
		data[i] ^= 0x5a;
	snprintf(bad, sizeof(bad), "%s/bad", dir);
	mkdir(bad, 0755);
	assert_int_equal(path_write_file(bad, "base.tar.zst", data, len, 0644), 0);
	free(data);
	init(&ctx);
	ctx.payload_dir = bad;
	assert_int_equal(inst_unpack(&ctx), -EBADMSG);
	assert_true(strstr(ctx.err.msg, "cannot unpack '") ||
		    strstr(ctx.err.msg, "checksum mismatch"));
	/* truncated */
	assert_int_equal(path_read_all(NULL, tarball, 1 << 20, &data, &len), 0);
	assert_int_equal(path_write_file(bad, "base.tar.zst", data, len / 2, 0644), 0);
	free(data);
	init(&ctx);
	ctx.payload_dir = bad;
	assert_int_equal(inst_unpack(&ctx), -EBADMSG);
}

/* A signal during the unpack (no command runs there) stops it at the next entry. */
static void test_interrupted(void **state)
{
	struct inst_ctx ctx;
	char tgt[160], buf[256];

	(void)state;
	snprintf(tgt, sizeof(tgt), "%s/target-interrupted", dir);
	mkdir(tgt, 0755);
	init(&ctx);
	ctx.target = tgt;
	runner_interrupt_reset();
	runner_interrupt(SIGTERM);
	assert_int_equal(inst_unpack(&ctx), -EINTR);
	runner_interrupt_reset();
	assert_non_null(strstr(ctx.err.msg, "interrupted by SIGTERM"));
	snprintf(buf, sizeof(buf), "%s/etc", tgt);
	assert_int_equal(access(buf, F_OK), -1);
}

static void test_dotdot(void **state)
{
	struct inst_ctx ctx;
	char evil[256], esc[300];
	char hex[SHA256_HEX_LEN + 1];
	unsigned long long size;

	(void)state;
	snprintf(evil, sizeof(evil), "%s/evil", dir);
	mkdir(evil, 0755);
	snprintf(esc, sizeof(esc), "%s/base.tar.zst", evil);
	build(esc, true);
	assert_int_equal(sha256_file(NULL, esc, hex, &size), 0);
	init(&ctx);
	ctx.payload_dir = evil;
	snprintf(ctx.base_sha256, sizeof(ctx.base_sha256), "%s", hex);
	ctx.base_size = size;
	assert_int_equal(inst_unpack(&ctx), -EBADMSG);
	assert_non_null(strstr(ctx.err.msg, "refusing archive entry '../escaped': '..' in path"));
	snprintf(esc, sizeof(esc), "%s/escaped", dir);
	assert_int_equal(access(esc, F_OK), -1);
}

static void test_symlink_escape(void **state)
{
	struct inst_ctx ctx;
	char path[256], tgt[160], pwned[300];
	char hex[SHA256_HEX_LEN + 1];
	unsigned long long size;

	(void)state;
	snprintf(outside, sizeof(outside), "%s/outside", dir);
	mkdir(outside, 0755);
	snprintf(tgt, sizeof(tgt), "%s/target2", dir);
	mkdir(tgt, 0755);
	snprintf(path, sizeof(path), "%s/escape.tar.zst", dir);
	build(path, false);
	outside[0] = '\0';
	assert_int_equal(sha256_file(NULL, path, hex, &size), 0);
	init(&ctx);
	ctx.target = tgt;
	/* as root the write lands inside the target; otherwise it is refused */
	(void)inst_unpack_file(&ctx, path, hex, size, NULL);
	snprintf(pwned, sizeof(pwned), "%s/outside/pwned", dir);
	assert_int_equal(access(pwned, F_OK), -1);
	/* the process is back in its own root and directory */
	assert_true(path_exists(NULL, path));
	print_message("symlink escape: %s\n", ctx.err.code ? ctx.err.msg : "contained");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unpack),
		cmocka_unit_test(test_wrong_checksum),
		cmocka_unit_test(test_corrupted),
		cmocka_unit_test(test_interrupted),
		cmocka_unit_test(test_dotdot),
		cmocka_unit_test(test_symlink_escape),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
