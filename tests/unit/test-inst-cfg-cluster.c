// SPDX-License-Identifier: GPL-2.0-or-later
/* storage.cfg by root filesystem, datacenter.cfg, user.cfg and the pmxcfs seeding step. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "hw-tree.h"
#include "path.h"
#include "target/inst-cfg.h"

static char *storage(enum inst_store_kind kind)
{
	struct inst_storage s = { .kind = kind };
	struct ip_err err = { 0 };
	char *t;

	snprintf(s.vgname, sizeof(s.vgname), "pve");
	snprintf(s.thinpool, sizeof(s.thinpool), "data");
	snprintf(s.zfs_pool, sizeof(s.zfs_pool), "rpool");
	t = inst_cfg_storage_text(&s, &err);
	assert_non_null(t);
	return t;
}

static void test_storage_lvmthin(void **state)
{
	char *t = storage(INST_STORE_LVMTHIN);

	(void)state;
	assert_string_equal(t, "dir: local\n"
			       "\tpath /var/lib/vz\n"
			       "\tcontent iso,vztmpl,backup,import\n"
			       "\n"
			       "lvmthin: local-lvm\n"
			       "\tthinpool data\n"
			       "\tvgname pve\n"
			       "\tcontent rootdir,images\n");
	free(t);
	assert_string_equal(inst_cfg_storage_vm_id(INST_STORE_LVMTHIN), "local-lvm");
}

static void test_storage_zfs(void **state)
{
	char *t = storage(INST_STORE_ZFS);

	(void)state;
	assert_string_equal(t, "dir: local\n"
			       "\tpath /var/lib/vz\n"
			       "\tcontent iso,vztmpl,backup,import\n"
			       "\n"
			       "zfspool: local-zfs\n"
			       "\tpool rpool/data\n"
			       "\tsparse\n"
			       "\tcontent images,rootdir\n");
	free(t);
	assert_string_equal(inst_cfg_storage_vm_id(INST_STORE_ZFS), "local-zfs");
}

static void test_storage_btrfs(void **state)
{
	char *t = storage(INST_STORE_BTRFS);

	(void)state;
	assert_string_equal(t, "dir: local\n"
			       "\tpath /var/lib/vz\n"
			       "\tcontent iso,vztmpl,backup\n"
			       "\tdisable\n"
			       "\n"
			       "btrfs: local-btrfs\n"
			       "\tpath /var/lib/pve/local-btrfs\n"
			       "\tcontent iso,vztmpl,backup,images,rootdir,import\n");
	free(t);
	assert_string_equal(inst_cfg_storage_vm_id(INST_STORE_BTRFS), "local-btrfs");
}

static void test_storage_local(void **state)
{
	char *t = storage(INST_STORE_LOCAL);

	(void)state;
	assert_string_equal(t, "dir: local\n"
			       "\tpath /var/lib/vz\n"
			       "\tcontent iso,vztmpl,backup,rootdir,images,import\n");
	free(t);
	assert_string_equal(inst_cfg_storage_vm_id(INST_STORE_LOCAL), "local");
}

static void test_storage_bad(void **state)
{
	struct inst_storage s = { .kind = INST_STORE_LVMTHIN };
	struct ip_err err = { 0 };

	(void)state;
	snprintf(s.vgname, sizeof(s.vgname), "pve\n\tpath /");
	snprintf(s.thinpool, sizeof(s.thinpool), "data");
	assert_null(inst_cfg_storage_text(&s, &err));
	assert_int_equal(err.code, -EINVAL);
	s.kind = INST_STORE_ZFS;
	assert_null(inst_cfg_storage_text(&s, &err));
	assert_string_equal(err.msg, "invalid ZFS pool '' for storage.cfg");
}

static void test_storage_from_layout(void **state)
{
	struct inst_layout l = { 0 };
	struct inst_storage s;

	(void)state;
	snprintf(l.root_fstype, sizeof(l.root_fstype), "ext4");
	snprintf(l.data_dev, sizeof(l.data_dev), "pve/data");
	inst_cfg_storage_from_layout(&l, &s);
	assert_int_equal(s.kind, INST_STORE_LVMTHIN);
	assert_string_equal(s.vgname, "pve");
	assert_string_equal(s.thinpool, "data");
	/* lvm.maxvz = 0 or a disk too small for a thin pool: no data volume */
	l.data_dev[0] = '\0';
	inst_cfg_storage_from_layout(&l, &s);
	assert_int_equal(s.kind, INST_STORE_LOCAL);
	snprintf(l.root_fstype, sizeof(l.root_fstype), "xfs");
	inst_cfg_storage_from_layout(&l, &s);
	assert_int_equal(s.kind, INST_STORE_LOCAL);
	snprintf(l.root_fstype, sizeof(l.root_fstype), "zfs");
	inst_cfg_storage_from_layout(&l, &s);
	assert_int_equal(s.kind, INST_STORE_ZFS);
	assert_string_equal(s.zfs_pool, "rpool");
	snprintf(l.root_fstype, sizeof(l.root_fstype), "btrfs");
	inst_cfg_storage_from_layout(&l, &s);
	assert_int_equal(s.kind, INST_STORE_BTRFS);
}

static void test_datacenter(void **state)
{
	/* answer code → the keymap Proxmox VE's datacenter.cfg uses */
	static const char *const map[][2] = {
		{ "en-us", "en-us" }, { "de", "de" },	    { "de-ch", "de-ch" }, { "fr-ch", "fr-ch" },
		{ "dk", "da" },	      { "jp", "ja" },	    { "se", "sv" },	  { "si", "sl" },
		{ "pt-br", "pt-br" }, { "en-gb", "en-gb" },
	};
	struct ip_err err = { 0 };
	char want[64], *t;

	(void)state;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		t = inst_cfg_datacenter_text(map[i][0], &err);
		snprintf(want, sizeof(want), "keyboard: %s\n", map[i][1]);
		assert_non_null(t);
		assert_string_equal(t, want);
		free(t);
	}
	assert_null(inst_cfg_datacenter_text("klingon", &err));
	assert_string_equal(err.msg, "unknown keyboard layout 'klingon'");
}

static void test_user(void **state)
{
	struct ip_err err = { 0 };
	char *t;

	(void)state;
	t = inst_cfg_user_text("admin@example.com", &err);
	assert_string_equal(t, "user:root@pam:1:0:::admin@example.com::\n");
	free(t);
	assert_null(inst_cfg_user_text("a:b@example.com", &err));
	assert_int_equal(err.code, -EINVAL);
	assert_null(inst_cfg_user_text("a@example.com\nuser:evil@pam:1:0::::::", &err));
	assert_null(inst_cfg_user_text(NULL, &err));
}

/* A target and context as the configure step sees them after LVM made pve/data. */
static void setup_ctx(struct inst_ctx *ctx, struct answer *a, struct fake_runner *f,
		      char *root)
{
	memset(a, 0, sizeof(*a));
	memset(ctx, 0, sizeof(*ctx));
	a->global.keyboard = (char *)"se";
	a->global.mailto = (char *)"ops@example.com";
	fake_runner_init(f);
	ctx->target = root;
	ctx->runner = &f->r;
	ctx->answer = a;
	snprintf(ctx->layout.root_fstype, sizeof(ctx->layout.root_fstype), "ext4");
	snprintf(ctx->layout.data_dev, sizeof(ctx->layout.data_dev), "pve/data");
}

static void test_step(void **state)
{
	struct fake_runner f;
	struct inst_ctx ctx;
	struct answer a;
	char *root = hwt_new(), want[PATH_MAX];

	(void)state;
	setup_ctx(&ctx, &a, &f, root);
	assert_int_equal(inst_cfg_cluster(&ctx), 0);
	assert_int_equal(f.n_calls, 2);
	snprintf(want, sizeof(want),
		 "chroot %s /usr/bin/create_pmxcfs_db /tmp/pve /var/lib/pve-cluster/config.db",
		 root);
	assert_string_equal(f.calls[0].cmd, want);
	snprintf(want, sizeof(want), "chattr +i %s/etc/pve", root);
	assert_string_equal(f.calls[1].cmd, want);
	/* the seed directory is gone again; the mount point and rrdcached's are there */
	assert_false(path_exists(root, INST_PVE_SEED_DIR));
	assert_true(path_exists(root, "/etc/pve"));
	assert_true(path_exists(root, "/var/lib/rrdcached/db"));
	fake_runner_release(&f);
	hwt_free(root);
}

/* What create_pmxcfs_db is given: a runner that reads the directory while it "runs". */
static char *seen_root;
static char *seen[3];

static int capture_run(struct runner *r, const char *const *argv, const struct run_opts *o,
		       struct run_result *res)
{
	static const char *const names[] = { "storage.cfg", "datacenter.cfg", "user.cfg" };
	char rel[PATH_MAX];
	size_t len;

	(void)r;
	(void)o;
	if (res)
		memset(res, 0, sizeof(*res));
	if (strcmp(argv[0], "chroot") || !strstr(argv[2], "create_pmxcfs_db"))
		return 0;
	for (size_t i = 0; i < 3; i++) {
		snprintf(rel, sizeof(rel), "%s/%s", argv[3], names[i]);
		assert_int_equal(path_read_all(seen_root, rel, 4096, &seen[i], &len), 0);
	}
	return 0;
}

static void test_step_files(void **state)
{
	struct fake_runner f;
	struct inst_ctx ctx;
	struct answer a;
	struct runner cap = { .run = capture_run };
	char *root = hwt_new();

	(void)state;
	setup_ctx(&ctx, &a, &f, root);
	ctx.runner = &cap;
	seen_root = root;
	assert_int_equal(inst_cfg_cluster(&ctx), 0);
	assert_non_null(seen[0]);
	assert_non_null(strstr(seen[0], "lvmthin: local-lvm\n\tthinpool data\n\tvgname pve\n"));
	assert_string_equal(seen[1], "keyboard: sv\n");
	assert_string_equal(seen[2], "user:root@pam:1:0:::ops@example.com::\n");
	/* no thin pool: "local" holds the VM disks too */
	for (size_t i = 0; i < 3; i++) {
		free(seen[i]);
		seen[i] = NULL;
	}
	ctx.layout.data_dev[0] = '\0';
	assert_int_equal(inst_cfg_cluster(&ctx), 0);
	assert_string_equal(seen[0], "dir: local\n\tpath /var/lib/vz\n"
				     "\tcontent iso,vztmpl,backup,rootdir,images,import\n");
	for (size_t i = 0; i < 3; i++)
		free(seen[i]);
	fake_runner_release(&f);
	hwt_free(root);
}

static void test_step_failures(void **state)
{
	struct fake_runner f;
	struct inst_ctx ctx;
	struct answer a;
	char *root = hwt_new();

	(void)state;
	/* create_pmxcfs_db fails: the step fails, nothing is marked, the seed is removed */
	setup_ctx(&ctx, &a, &f, root);
	fake_runner_push(&f, 1, "", "create_pmxcfs_db: cannot open database\n");
	assert_int_equal(inst_cfg_cluster(&ctx), -EIO);
	assert_non_null(strstr(ctx.err.msg, "cannot open database"));
	assert_int_equal(fake_runner_find(&f, "chattr"), -1);
	assert_false(path_exists(root, INST_PVE_SEED_DIR));
	fake_runner_release(&f);

	/* chattr fails (a file system without the flag): noted, not fatal */
	setup_ctx(&ctx, &a, &f, root);
	fake_runner_push(&f, 0, "", "");
	fake_runner_push(&f, 1, "", "chattr: Operation not supported\n");
	assert_int_equal(inst_cfg_cluster(&ctx), 0);
	assert_int_equal(f.n_calls, 2);
	fake_runner_release(&f);

	/* no e-mail address: refused before anything is written or run */
	setup_ctx(&ctx, &a, &f, root);
	a.global.mailto = NULL;
	assert_int_equal(inst_cfg_cluster(&ctx), -EINVAL);
	assert_int_equal(f.n_calls, 0);
	assert_false(path_exists(root, INST_PVE_SEED_DIR));
	fake_runner_release(&f);
	hwt_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_storage_lvmthin),
		cmocka_unit_test(test_storage_zfs),
		cmocka_unit_test(test_storage_btrfs),
		cmocka_unit_test(test_storage_local),
		cmocka_unit_test(test_storage_bad),
		cmocka_unit_test(test_storage_from_layout),
		cmocka_unit_test(test_datacenter),
		cmocka_unit_test(test_user),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_step_files),
		cmocka_unit_test(test_step_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
