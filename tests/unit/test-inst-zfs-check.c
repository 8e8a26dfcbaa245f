// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a zfs root must pass before any write (install/inst-zfs-check.c): the
 * `zpool import` listing read right (pools, ids, leaves, not the group
 * lines), another pool named rpool refused unless all of it is on the disks
 * being erased, modprobe zfs failing (and why, under Secure Boot), zstd
 * refused when GRUB reads the pool, and the exact commands run.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "hw-tree.h"
#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "util.h"

/* two pools named rpool (one a mirror, one a single disk), and a tank */
static const char listing[] =
	"   pool: rpool\n"
	"     id: 1111111111111111111\n"
	"  state: ONLINE\n"
	" action: The pool can be imported using its name or numeric identifier.\n"
	" config:\n"
	"\n"
	"\trpool       ONLINE\n"
	"\t  mirror-0  ONLINE\n"
	"\t    vdb3    ONLINE\n"
	"\t    vdc3    ONLINE\n"
	"\n"
	"   pool: tank\n"
	"     id: 2222\n"
	"  state: ONLINE\n"
	" config:\n"
	"\n"
	"\ttank        ONLINE\n"
	"\t  raidz1-0  ONLINE\n"
	"\t    vdd     ONLINE\n"
	"\t    vde     ONLINE\n"
	"\t    vdf     ONLINE\n"
	"\tlogs\n"
	"\t  vdg       ONLINE\n"
	"\n"
	"   pool: rpool\n"
	"     id: 3333\n"
	"  state: DEGRADED\n"
	" status: One or more devices are missing from the system.\n"
	" config:\n"
	"\n"
	"\trpool       DEGRADED\n"
	"\t  mirror-0  DEGRADED\n"
	"\t    vdh3    ONLINE\n"
	"\t    12345678901234  UNAVAIL\n";

struct seen {
	char text[1024];
	int stop_at;	/* stop (return 7) at this call, 0: never */
	int n;
};

static int collect(void *data, const char *id, const char *dev)
{
	struct seen *s = data;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%s%s=%s", len ? " " : "", id, dev);
	return ++s->n == s->stop_at ? 7 : 0;
}

static void test_parse(void **state)
{
	struct seen s = { 0 };

	(void)state;
	assert_int_equal(inst_zfs_import_parse(listing, "rpool", collect, &s), 0);
	assert_string_equal(s.text, "1111111111111111111=vdb3 1111111111111111111=vdc3 "
			    "3333=vdh3 3333=12345678901234");
	memset(&s, 0, sizeof(s));
	assert_int_equal(inst_zfs_import_parse(listing, "tank", collect, &s), 0);
	assert_string_equal(s.text, "2222=vdd 2222=vde 2222=vdf 2222=vdg");
	/* the callback stops the walk */
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	assert_int_equal(inst_zfs_import_parse(listing, "rpool", collect, &s), 7);
	assert_string_equal(s.text, "1111111111111111111=vdb3 1111111111111111111=vdc3");
	/* no such pool, nothing at all */
	memset(&s, 0, sizeof(s));
	assert_int_equal(inst_zfs_import_parse(listing, "rpool2", collect, &s), 0);
	assert_int_equal(inst_zfs_import_parse("", "rpool", collect, &s), 0);
	assert_int_equal(s.n, 0);
}

static char *root;

/* sysfs of disks vda…vdh, each with partitions 1-3 */
static int setup(void **state)
{
	static const char *const names[] = { "vda", "vdb", "vdc", "vdd", "vde", "vdf", "vdg",
					     "vdh" };

	(void)state;
	root = hwt_new();
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char rel[256], link[256];

		snprintf(rel, sizeof(rel), "/sys/devices/pci0000:00/virtio%zu/block/%s/size", i,
			 names[i]);
		hwt_file(root, rel, "1000\n");
		snprintf(rel, sizeof(rel), "/sys/class/block/%s", names[i]);
		snprintf(link, sizeof(link), "../../devices/pci0000:00/virtio%zu/block/%s", i,
			 names[i]);
		hwt_link(root, rel, link);
		for (int p = 1; p <= 3; p++) {
			snprintf(rel, sizeof(rel),
				 "/sys/devices/pci0000:00/virtio%zu/block/%s/%s%d/partition", i,
				 names[i], names[i], p);
			hwt_file(root, rel, "1\n");
			snprintf(rel, sizeof(rel), "/sys/class/block/%s%d", names[i], p);
			snprintf(link, sizeof(link),
				 "../../devices/pci0000:00/virtio%zu/block/%s/%s%d", i, names[i],
				 names[i], p);
			hwt_link(root, rel, link);
		}
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hwt_free(root);
	return 0;
}

/* a zfs layout over @n disks starting at @first ("vdb": vdb, vdc, …) */
static void ctx_init(struct inst_ctx *ctx, struct fake_runner *f, struct hw *hw,
		     const char *first, size_t n)
{
	memset(ctx, 0, sizeof(*ctx));
	memset(hw, 0, sizeof(*hw));
	fake_runner_init(f);
	ctx->runner = &f->r;
	ctx->sysroot = root;
	ctx->hw = hw;
	snprintf(ctx->layout.disk, sizeof(ctx->layout.disk), "%s", first);
	snprintf(ctx->layout.root_fstype, sizeof(ctx->layout.root_fstype), "zfs");
	snprintf(ctx->layout.zfs_raid, sizeof(ctx->layout.zfs_raid), "raid1");
	snprintf(ctx->layout.zfs_compress, sizeof(ctx->layout.zfs_compress), "on");
	snprintf(ctx->layout.zfs_checksum, sizeof(ctx->layout.zfs_checksum), "on");
	ctx->layout.zfs_ashift = 12;
	ctx->layout.zfs_copies = 1;
	for (size_t k = 1; k < n; k++) {
		struct inst_layout_disk *d = &ctx->layout.extra[ctx->layout.n_extra++];

		snprintf(d->disk, sizeof(d->disk), "vd%c", first[2] + (int)k);
	}
}

static void test_precheck(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;
	struct hw hw;

	(void)state;
	/* nothing to import (zpool's status 1 and its words): modprobe, the listing, on */
	ctx_init(&ctx, &f, &hw, "vda", 2);
	fake_runner_push(&f, 0, "", "");
	fake_runner_push(&f, 1, "", "no pools available to import\n");
	assert_int_equal(inst_zfs_precheck(&ctx), 0);
	assert_string_equal(f.calls[0].cmd, "modprobe zfs");
	assert_string_equal(f.calls[1].cmd, "zpool import -d /dev");
	assert_int_equal(f.n_calls, 2);
	fake_runner_release(&f);
	/* any other failure of the listing stops the install: we could not look */
	ctx_init(&ctx, &f, &hw, "vda", 2);
	fake_runner_push(&f, 0, "", "");
	fake_runner_push(&f, 2, "", "internal error: out of memory\n");
	assert_int_equal(inst_zfs_precheck(&ctx), -EIO);
	assert_string_equal(ctx.err.msg, "cannot look for other zfs pools: 'zpool import' exited "
			    "with status 2: internal error: out of memory");
	fake_runner_release(&f);

	/* the first rpool lies on vdb3 + vdc3: erased by an install onto vdb, vdc … */
	ctx_init(&ctx, &f, &hw, "vdb", 2);
	fake_runner_rule(&f, "zpool import", 0, "   pool: rpool\n     id: 1111\n config:\n\n"
			 "\trpool ONLINE\n\t  mirror-0 ONLINE\n\t    vdb3 ONLINE\n"
			 "\t    vdc3 ONLINE\n");
	assert_int_equal(inst_zfs_precheck(&ctx), 0);
	fake_runner_release(&f);
	/* … but not by one onto vda, vdb: vdc is kept */
	ctx_init(&ctx, &f, &hw, "vda", 2);
	fake_runner_rule(&f, "zpool import", 0, "   pool: rpool\n     id: 1111\n config:\n\n"
			 "\trpool ONLINE\n\t  mirror-0 ONLINE\n\t    vdb3 ONLINE\n"
			 "\t    vdc3 ONLINE\n");
	assert_int_equal(inst_zfs_precheck(&ctx), -EEXIST);
	assert_string_equal(ctx.err.msg,
			    "refusing a zfs root: another pool named 'rpool' (id 1111) is on "
			    "'vdc3', disk 'vdc', which this install keeps; the node imports its "
			    "root pool by that name at boot and could not tell the two apart. "
			    "Destroy or rename that pool (zpool import -d /dev 1111 NEWNAME; "
			    "zpool export NEWNAME), or detach its disks");
	fake_runner_release(&f);
	/* a listing with a status that is not 0 is still read */
	ctx_init(&ctx, &f, &hw, "vda", 2);
	fake_runner_rule(&f, "zpool import", 1, "   pool: rpool\n     id: 77\n config:\n\n"
			 "\trpool UNAVAIL\n\t  vdh3 UNAVAIL\n");
	assert_int_equal(inst_zfs_precheck(&ctx), -EEXIST);
	assert_non_null(strstr(ctx.err.msg, "(id 77) is on 'vdh3', disk 'vdh', which this "
					    "install keeps"));
	fake_runner_release(&f);
	/* the whole listing: the second rpool has a device this system does not show */
	ctx_init(&ctx, &f, &hw, "vdb", 7);
	fake_runner_rule(&f, "zpool import", 0, listing);
	assert_int_equal(inst_zfs_precheck(&ctx), -EEXIST);
	assert_non_null(strstr(ctx.err.msg, "(id 3333) is on '12345678901234', a device this "
					    "system does not show"));
	fake_runner_release(&f);
	/* a pool named otherwise, anywhere, is no matter */
	ctx_init(&ctx, &f, &hw, "vda", 1);
	fake_runner_rule(&f, "zpool import", 0, "   pool: tank\n     id: 9\n config:\n\n"
			 "\ttank ONLINE\n\t  vdh ONLINE\n");
	assert_int_equal(inst_zfs_precheck(&ctx), 0);
	fake_runner_release(&f);

	/* no module: stopped there, and under Secure Boot it says why it may be */
	ctx_init(&ctx, &f, &hw, "vda", 2);
	hw.fw = HW_FW_UEFI;
	hw.secure_boot = HW_YES;
	fake_runner_rule(&f, "modprobe zfs", 1, "");
	assert_true(inst_zfs_precheck(&ctx) < 0);
	assert_non_null(strstr(ctx.err.msg, "cannot load the zfs kernel module (Secure Boot is "
					    "on: the key that signed it must be enrolled"));
	assert_int_equal(f.n_calls, 1);
	fake_runner_release(&f);

	/* GRUB reads the pool (stand-in payload): zstd refused before any command */
	ctx_init(&ctx, &f, &hw, "vda", 2);
	ctx.payload_standin = true;
	snprintf(ctx.layout.zfs_compress, sizeof(ctx.layout.zfs_compress), "zstd");
	assert_int_equal(inst_zfs_precheck(&ctx), -EOPNOTSUPP);
	assert_non_null(strstr(ctx.err.msg, "GRUB cannot read zstd"));
	assert_int_equal(f.n_calls, 0);
	/* with proxmox-boot-tool (a real payload) zstd is fine */
	ctx.payload_standin = false;
	assert_int_equal(inst_zfs_precheck(&ctx), 0);
	fake_runner_release(&f);

	/* not a zfs root: nothing */
	ctx_init(&ctx, &f, &hw, "vda", 1);
	snprintf(ctx.layout.root_fstype, sizeof(ctx.layout.root_fstype), "ext4");
	assert_int_equal(inst_zfs_precheck(&ctx), 0);
	assert_int_equal(f.n_calls, 0);
	fake_runner_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_precheck),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
