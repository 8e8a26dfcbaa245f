// SPDX-License-Identifier: GPL-2.0-or-later
/* Mounts: exact argv, chroot binds, and undo in reverse on failure. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "path.h"

static char target[64], sysroot[64];

static void rmtree(const char *dir)
{
	const char *rm[] = { "rm", "-rf", dir, NULL };
	struct runner r;

	runner_spawn_init(&r);
	runner_check(&r, rm, NULL, NULL);
}

static int setup(void **state)
{
	(void)state;
	snprintf(target, sizeof(target), "/tmp/ironpass-mnt-XXXXXX");
	snprintf(sysroot, sizeof(sysroot), "/tmp/ironpass-sys-XXXXXX");
	if (!mkdtemp(target) || !mkdtemp(sysroot))
		return -1;
	return path_mkdirs(sysroot, "/sys/firmware/efi/efivars", 0755);
}

static int teardown(void **state)
{
	(void)state;
	rmtree(target);
	rmtree(sysroot);
	return 0;
}

static void init(struct inst_ctx *ctx, struct fake_runner *f, struct hw *hw)
{
	memset(ctx, 0, sizeof(*ctx));
	memset(hw, 0, sizeof(*hw));
	fake_runner_init(f);
	ctx->runner = &f->r;
	ctx->target = target;
	ctx->sysroot = sysroot;
	ctx->hw = hw;
	snprintf(ctx->layout.root_dev, sizeof(ctx->layout.root_dev), "/dev/pve/root");
	snprintf(ctx->layout.part_esp, sizeof(ctx->layout.part_esp), "/dev/vda2");
	snprintf(ctx->layout.root_fstype, sizeof(ctx->layout.root_fstype), "ext4");
}

static void want(const struct fake_runner *f, size_t i, const char *fmt)
{
	char buf[1024];

	/* every %s in fmt is the target, %r the sysroot */
	struct strbuf_lite { char *p; size_t left; } b = { buf, sizeof(buf) };

	for (const char *c = fmt; *c && b.left > 1; c++) {
		const char *ins = NULL;

		if (c[0] == '%' && c[1] == 's')
			ins = target;
		else if (c[0] == '%' && c[1] == 'r')
			ins = sysroot;
		if (ins) {
			int n = snprintf(b.p, b.left, "%s", ins);

			b.p += n;
			b.left -= n;
			c++;
			continue;
		}
		*b.p++ = *c;
		b.left--;
	}
	*b.p = '\0';
	assert_true(i < f->n_calls);
	assert_string_equal(f->calls[i].cmd, buf);
}

static void test_mount_and_umount(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;
	struct hw hw;

	(void)state;
	init(&ctx, &f, &hw);
	hw.fw = HW_FW_UEFI;
	assert_int_equal(inst_mount(&ctx), 0);
	want(&f, 0, "mount -t ext4 -o noatime /dev/pve/root %s");
	want(&f, 1, "mount -t vfat /dev/vda2 %s/boot/efi");
	assert_true(path_exists(target, "/boot/efi"));
	assert_int_equal(inst_chroot_mounts(&ctx), 0);
	want(&f, 2, "mount -o bind %r/dev %s/dev");
	want(&f, 3, "mount -o bind %r/dev/pts %s/dev/pts");
	want(&f, 4, "mount -o bind %r/proc %s/proc");
	want(&f, 5, "mount -o bind %r/sys %s/sys");
	want(&f, 6, "mount -o bind %r/run %s/run");
	want(&f, 7, "mount -t efivarfs efivarfs %s/sys/firmware/efi/efivars");
	assert_int_equal(ctx.mounts.n, 8);
	/* idempotent */
	assert_int_equal(inst_chroot_mounts(&ctx), 0);
	assert_int_equal(f.n_calls, 8);
	assert_int_equal(inst_umount(&ctx), 0);
	assert_string_equal(f.calls[8].cmd, "sync");
	want(&f, 9, "umount %s/sys/firmware/efi/efivars");
	want(&f, 10, "umount %s/run");
	want(&f, 14, "umount %s/dev");
	want(&f, 15, "umount %s/boot/efi");
	want(&f, 16, "umount %s");
	assert_int_equal(f.n_calls, 17);
	assert_int_equal(ctx.mounts.n, 0);
	fake_runner_release(&f);
}

static void test_mount_undo(void **state)
{
	struct inst_ctx ctx;
	struct fake_runner f;
	struct hw hw;

	(void)state;
	init(&ctx, &f, &hw);
	hw.fw = HW_FW_BIOS;
	fake_runner_push(&f, 0, "", "");
	fake_runner_push(&f, 32, "", "mount: /boot/efi: wrong fs type\n");
	assert_int_equal(inst_mount(&ctx), -EIO);
	assert_int_equal(f.n_calls, 3);
	want(&f, 2, "umount %s");
	assert_int_equal(ctx.mounts.n, 0);
	assert_string_equal(ctx.err.msg,
			    "'mount' failed with exit status 32: mount: /boot/efi: wrong fs type");
	fake_runner_release(&f);

	/* a bind failing after two others: those two come down in reverse */
	init(&ctx, &f, &hw);
	fake_runner_push(&f, 0, "", "");
	fake_runner_push(&f, 0, "", "");
	fake_runner_push(&f, 1, "", "boom\n");
	assert_int_equal(inst_chroot_mounts(&ctx), -EIO);
	want(&f, 3, "umount %s/dev/pts");
	want(&f, 4, "umount %s/dev");
	assert_int_equal(f.n_calls, 5);
	assert_false(ctx.mounts.chroot_ready);
	fake_runner_release(&f);

	/* an unsafe target never reaches mount */
	init(&ctx, &f, &hw);
	ctx.target = "/";
	assert_int_equal(inst_mount(&ctx), -EINVAL);
	assert_int_equal(f.n_calls, 0);
	fake_runner_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mount_and_umount, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mount_undo, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
