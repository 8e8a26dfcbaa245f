// SPDX-License-Identifier: GPL-2.0-or-later
/* Cache keys (stable; change with every input) and atomic cache entries. */
#include <errno.h>
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

static char dir[64];

static void put(const char *rel, const char *text, mode_t mode)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
}

static int setup(void **state)
{
	char p[128];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ip-cache-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(p, sizeof(p), "%s/ov", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/ov/etc", dir);
	mkdir(p, 0755);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	/* test clean-up only: the runner is what the code under test uses */
	{
		struct runner r;
		const char *argv[] = { "rm", "-rf", "--", dir, NULL };

		runner_spawn_init(&r);
		runner_run(&r, argv, NULL, NULL);
	}
	return 0;
}

static void rootfs_key(struct bld_ctx *ctx, const char *packages, char key[65])
{
	assert_int_equal(bld_rootfs_key(ctx, packages, key), 0);
	assert_int_equal(strlen(key), 64);
}

static void test_rootfs_key(void **state)
{
	struct answer a;
	struct bld_ctx ctx;
	char k1[65], k2[65], k3[65], k4[65];
	char mirror[] = "http://mirror.example/debian", suite[] = "trixie";

	(void)state;
	bld_ctx_init(&ctx);
	answer_defaults(&a);
	ctx.profile = &a;
	rootfs_key(&ctx, "a,b,c", k1);
	rootfs_key(&ctx, "a,b,c", k2);
	assert_string_equal(k1, k2);			/* stable */
	rootfs_key(&ctx, "a,b,c,d", k3);
	assert_string_not_equal(k1, k3);		/* package list */
	a.profile.mirror = mirror;
	rootfs_key(&ctx, "a,b,c", k3);
	assert_string_not_equal(k1, k3);		/* mirror */
	a.profile.mirror = NULL;
	a.profile.suite = suite;
	rootfs_key(&ctx, "a,b,c", k4);
	assert_string_not_equal(k1, k4);		/* suite */
	assert_string_not_equal(k3, k4);
	a.profile.suite = NULL;
	/* no length-extension confusion between neighbouring fields */
	rootfs_key(&ctx, "a,b,", k3);
	assert_string_not_equal(k1, k3);
}

static void test_package_list_sorted(void **state)
{
	struct answer a;
	struct bld_ctx ctx;
	char p1[] = "zsh", p2[] = "curl", p3[] = "aaa-tool";
	char *extra[] = { p1, p2, p3 };
	char *list;

	(void)state;
	bld_ctx_init(&ctx);
	answer_defaults(&a);
	a.profile.live_packages = extra;
	a.profile.n_live_packages = 3;
	ctx.profile = &a;
	list = bld_package_list(&ctx);
	assert_non_null(list);
	assert_true(strncmp(list, "aaa-tool,btrfs-progs,ca-certificates,curl,dialog,", 49) == 0);
	assert_non_null(strstr(list, ",live-boot,"));
	assert_non_null(strstr(list, ",shim-signed,"));
	assert_true(strcmp(list + strlen(list) - 8, "zsh,zstd") == 0);
	assert_null(strstr(list, "curl,curl"));		/* de-duplicated */
	free(list);
}

static void test_live_key_tracks_overlay(void **state)
{
	struct bld_ctx ctx;
	char ov[128], k1[65], k2[65], k3[65], k4[65], k5[65], link[160];

	(void)state;
	bld_ctx_init(&ctx);
	snprintf(ov, sizeof(ov), "%s/ov", dir);
	ctx.overlay_dir = ov;
	snprintf(ctx.rootfs_key, sizeof(ctx.rootfs_key), "%064d", 1);
	put("ov/etc/motd", "hello\n", 0644);
	assert_int_equal(bld_live_key(&ctx, k1), 0);
	assert_int_equal(bld_live_key(&ctx, k2), 0);
	assert_string_equal(k1, k2);
	put("ov/etc/motd", "hellO\n", 0644);			/* content */
	assert_int_equal(bld_live_key(&ctx, k2), 0);
	assert_string_not_equal(k1, k2);
	put("ov/etc/motd", "hello\n", 0755);			/* executable bit */
	assert_int_equal(bld_live_key(&ctx, k3), 0);
	assert_string_not_equal(k1, k3);
	put("ov/etc/motd", "hello\n", 0644);
	assert_int_equal(bld_live_key(&ctx, k3), 0);
	assert_string_equal(k1, k3);				/* back to the same */
	snprintf(link, sizeof(link), "%s/ov/etc/null.service", dir);
	assert_int_equal(symlink("/dev/null", link), 0);	/* a new symlink */
	assert_int_equal(bld_live_key(&ctx, k4), 0);
	assert_string_not_equal(k1, k4);
	unlink(link);
	ctx.source_date_epoch++;				/* squashfs time stamps */
	assert_int_equal(bld_live_key(&ctx, k5), 0);
	assert_string_not_equal(k1, k5);
	ctx.source_date_epoch--;
	snprintf(ctx.rootfs_key, sizeof(ctx.rootfs_key), "%064d", 2);	/* the root */
	assert_int_equal(bld_live_key(&ctx, k5), 0);
	assert_string_not_equal(k1, k5);
	ctx.overlay_dir = "/nonexistent/overlay";
	assert_int_equal(bld_live_key(&ctx, k5), -ENOENT);
	assert_non_null(strstr(ctx.err.msg, "/nonexistent/overlay"));
}

static void test_atomic_commit(void **state)
{
	struct bld_ctx ctx;
	struct runner r;
	char cache[128], tmp[BLD_PATH_MAX], file[BLD_PATH_MAX + 32], stale[256];
	const char *key = "0123abcd";

	(void)state;
	bld_ctx_init(&ctx);
	runner_spawn_init(&r);
	ctx.run = &r;
	snprintf(cache, sizeof(cache), "%s/cache", dir);
	ctx.cachedir = cache;
	assert_false(bld_cache_has(&ctx, "live", key));
	assert_int_equal(bld_cache_tmp(&ctx, "live", key, tmp, sizeof(tmp)), 0);
	snprintf(file, sizeof(file), "%s/filesystem.squashfs", tmp);
	put(file + strlen(dir) + 1, "data", 0644);
	/* built but not committed (an interrupted build): not trusted */
	assert_false(bld_cache_has(&ctx, "live", key));
	assert_int_equal(bld_cache_commit(&ctx, tmp, "live", key), 0);
	assert_true(bld_cache_has(&ctx, "live", key));
	assert_int_equal(access(tmp, F_OK), -1);

	/* a leftover of a dead build is swept; the committed entry stays */
	snprintf(stale, sizeof(stale), "%s/live/.tmp-%s-999999999", cache, key);
	assert_int_equal(mkdir(stale, 0755), 0);
	assert_int_equal(bld_cache_sweep(&ctx, "live"), 0);
	assert_int_equal(access(stale, F_OK), -1);
	assert_true(bld_cache_has(&ctx, "live", key));

	/* a second commit of the same key keeps the first entry (another build won) */
	assert_int_equal(bld_cache_tmp(&ctx, "live", key, tmp, sizeof(tmp)), 0);
	assert_int_equal(bld_cache_commit(&ctx, tmp, "live", key), 0);
	assert_true(bld_cache_has(&ctx, "live", key));
	assert_int_equal(access(tmp, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rootfs_key),
		cmocka_unit_test(test_package_list_sorted),
		cmocka_unit_test_setup_teardown(test_live_key_tracks_overlay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_commit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
