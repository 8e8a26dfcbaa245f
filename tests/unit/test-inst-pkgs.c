// SPDX-License-Identifier: GPL-2.0-or-later
/* Pool packages: policy-rc.d, the file: source, debconf preseed and apt argv. */
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

#include "fake-runner.h"
#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "path.h"

static char dir[64], target[128], payload[128], sysroot[128];

static void rmtree(const char *d)
{
	const char *rm[] = { "rm", "-rf", d, NULL };
	struct runner r;

	runner_spawn_init(&r);
	runner_check(&r, rm, NULL, NULL);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ironpass-pkgs-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(payload, sizeof(payload), "%s/payload", dir);
	snprintf(sysroot, sizeof(sysroot), "%s/live", dir);
	if (mkdir(target, 0755) < 0 || mkdir(payload, 0755) < 0 || mkdir(sysroot, 0755) < 0)
		return -1;
	path_mkdirs(target, "/usr/sbin", 0755);
	return path_mkdirs(payload, "/pool", 0755);
}

static int teardown(void **state)
{
	(void)state;
	rmtree(dir);
	return 0;
}

static bool policy_seen, list_seen, initramfs_held;

/* A runner that checks the target's state while apt "runs". */
static struct fake_runner fr;
static int (*fake_run)(struct runner *, const char *const *, const struct run_opts *,
		       struct run_result *);

static int spy_run(struct runner *r, const char *const *argv, const struct run_opts *o,
		   struct run_result *res)
{
	char *text = NULL;
	size_t len;

	if (argv[2] && !strcmp(argv[2], "apt-get")) {
		policy_seen = path_read_all(target, "/usr/sbin/policy-rc.d", 4096, &text,
					    &len) == 0 && strstr(text, "exit 101");
		free(text);
		text = NULL;
		list_seen = path_read_all(target, "/var/cache/ironpass/pool.list", 4096, &text,
					  &len) == 0 &&
			    !strcmp(text, "deb [trusted=yes] file:/var/cache/ironpass/pool ./\n");
		free(text);
		text = NULL;
		initramfs_held = path_read_all(target, "/etc/initramfs-tools/update-initramfs.conf",
					       4096, &text, &len) == 0 &&
				 strstr(text, "\nupdate_initramfs=no\n");
		free(text);
		bool env = false;

		for (const char *const *e = o->env; e && *e; e++)
			env |= !strcmp(*e, "DEBIAN_FRONTEND=noninteractive");
		assert_true(env);
	}
	return fake_run(r, argv, o, res);
}

static void init(struct inst_ctx *ctx, struct answer *a)
{
	memset(ctx, 0, sizeof(*ctx));
	fake_runner_init(&fr);
	fake_run = fr.r.run;
	fr.r.run = spy_run;
	memset(a, 0, sizeof(*a));
	ctx->runner = &fr.r;
	ctx->answer = a;
	ctx->target = target;
	ctx->sysroot = sysroot;
	ctx->payload_dir = payload;
	snprintf(ctx->net.fqdn, sizeof(ctx->net.fqdn), "pve1.example.com");
}

static void test_pkgs_default(void **state)
{
	struct inst_ctx ctx;
	struct answer a;
	char want[1024];
	const char *opts = "-o Dir::Etc::SourceList=/var/cache/ironpass/pool.list "
			   "-o Dir::Etc::SourceParts=- -o APT::Get::List-Cleanup=0";
	int i;

	(void)state;
	init(&ctx, &a);
	policy_seen = list_seen = initramfs_held = false;
	assert_int_equal(path_write_file(target, "/etc/initramfs-tools/update-initramfs.conf",
					 "update_initramfs=yes\n", 21, 0644), 0);
	assert_int_equal(inst_pkgs(&ctx), 0);
	/* 5 chroot binds, the pool bind, preseed, update, install, pool umount */
	assert_int_equal(fr.n_calls, 10);
	snprintf(want, sizeof(want), "mount -o bind,ro %s/pool %s/var/cache/ironpass/pool",
		 payload, target);
	assert_string_equal(fr.calls[5].cmd, want);
	snprintf(want, sizeof(want), "chroot %s debconf-set-selections", target);
	assert_string_equal(fr.calls[6].cmd, want);
	assert_string_equal(fr.calls[6].input,
			    "postfix postfix/main_mailer_type select Local only\n"
			    "man-db man-db/auto-update boolean false\n"
			    "postfix postfix/mailname string pve1.example.com\n");
	snprintf(want, sizeof(want), "chroot %s apt-get %s update", target, opts);
	assert_string_equal(fr.calls[7].cmd, want);
	snprintf(want, sizeof(want), "chroot %s apt-get %s -o Dpkg::Options::=--force-confdef "
		 "-o Dpkg::Options::=--force-confold install -y --no-install-recommends "
		 "proxmox-ve postfix open-iscsi chrony", target, opts);
	assert_string_equal(fr.calls[8].cmd, want);
	snprintf(want, sizeof(want), "umount %s/var/cache/ironpass/pool", target);
	assert_string_equal(fr.calls[9].cmd, want);
	assert_true(policy_seen);
	assert_true(list_seen);
	/* initramfs-tools held off while apt ran, its conf put back afterwards */
	assert_true(initramfs_held);
	{
		char *conf = NULL;
		size_t clen;

		assert_int_equal(path_read_all(target, "/etc/initramfs-tools/update-initramfs.conf",
					       4096, &conf, &clen), 0);
		assert_string_equal(conf, "update_initramfs=yes\n");
		free(conf);
	}
	/* cleaned up afterwards; the chroot binds stay for the next steps */
	assert_false(path_exists(target, "/usr/sbin/policy-rc.d"));
	assert_false(path_exists(target, "/var/cache/ironpass/pool.list"));
	assert_int_equal(ctx.mounts.n, 5);
	assert_true(ctx.mounts.chroot_ready);
	i = fake_runner_find(&fr, "mount -o bind");
	assert_int_equal(i, 0);
	fake_runner_release(&fr);
}

static void test_pkgs_answer_and_failure(void **state)
{
	struct inst_ctx ctx;
	struct answer a;
	char *pk[] = { (char *)"chrony", (char *)"zstd" };
	static const char old[] = "#!/bin/sh\nexit 0\n";
	char *text = NULL;
	size_t len;

	(void)state;
	init(&ctx, &a);
	assert_int_equal(path_write_file(target, "/usr/sbin/policy-rc.d", old, sizeof(old) - 1,
					 0755), 0);
	a.ironpass.packages = pk;
	a.ironpass.n_packages = 2;
	for (int i = 0; i < 8; i++)
		fake_runner_push(&fr, 0, "", "");
	fake_runner_push(&fr, 100, "", "E: Unable to locate package zstd\n");
	assert_int_equal(inst_pkgs(&ctx), -EIO);
	assert_string_equal(ctx.err.msg,
			    "'chroot' failed with exit status 100: E: Unable to locate package zstd");
	assert_non_null(strstr(fr.calls[8].cmd, "--no-install-recommends chrony zstd"));
	/* the pool is unmounted and the earlier policy-rc.d is back */
	assert_non_null(strstr(fr.calls[9].cmd, "umount "));
	assert_int_equal(path_read_all(target, "/usr/sbin/policy-rc.d", 4096, &text, &len), 0);
	assert_string_equal(text, old);
	free(text);
	fake_runner_release(&fr);

	/* a package name outside the allowlist: nothing runs */
	init(&ctx, &a);
	pk[1] = (char *)"-oAPT::Foo=1";
	a.ironpass.packages = pk;
	a.ironpass.n_packages = 2;
	assert_int_equal(inst_pkgs(&ctx), -EINVAL);
	assert_string_equal(ctx.err.msg, "invalid package name '-oAPT::Foo=1'");
	assert_int_equal(fr.n_calls, 0);
	fake_runner_release(&fr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pkgs_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pkgs_answer_and_failure, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
