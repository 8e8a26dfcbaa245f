// SPDX-License-Identifier: GPL-2.0-or-later
/* The exact xorriso and ESP argv (design §11), through the fake runner; an ISO
 * whose seed carries an answer is 0600. */
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

static void ctx_fake(struct bld_ctx *ctx, struct fake_runner *f)
{
	bld_ctx_init(ctx);
	fake_runner_init(f);
	ctx->run = &f->r;
	ctx->dry_run = true;		/* nothing on disk; argv only */
	ctx->source_date_epoch = 1704067200;	/* 2024-01-01 00:00:00 UTC */
	ctx->outdir = "out";
	ctx->workdir = "out/.work-test";
	snprintf(ctx->name, sizeof(ctx->name), "test");
	snprintf(ctx->kernel, sizeof(ctx->kernel), "cache/live/K/vmlinuz");
	snprintf(ctx->initrd, sizeof(ctx->initrd), "cache/live/K/initrd.img");
	snprintf(ctx->squashfs, sizeof(ctx->squashfs), "cache/live/K/filesystem.squashfs");
	snprintf(ctx->seed, sizeof(ctx->seed), "out/.work-test/seed.img");
	snprintf(ctx->iso_tree, sizeof(ctx->iso_tree), "out/.work-test/iso");
	snprintf(ctx->esp_img, sizeof(ctx->esp_img), "out/.work-test/esp.img");
}

static void test_xorriso_argv(void **state)
{
	struct fake_runner f;
	struct bld_ctx ctx;

	(void)state;
	ctx_fake(&ctx, &f);
	assert_int_equal(bld_stage_iso(&ctx), 0);
	assert_int_equal(f.n_calls, 1);
	assert_string_equal(f.calls[0].cmd,
		"xorriso -as mkisofs -o out/ironpass-test.iso.tmp -V IRONPASS_TEST "
		"-iso-level 3 -r -J -joliet-long "
		"--modification-date=2024010100000000 --set_all_file_dates 2024010100000000 "
		"--gpt_disk_guid modification-date "
		"-isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin "
		"-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 "
		"-boot-info-table "
		"-append_partition 2 0xef out/.work-test/esp.img "
		"-eltorito-alt-boot -e --interval:appended_partition_2:all:: -no-emul-boot "
		"-isohybrid-gpt-basdat "
		"-graft-points out/.work-test/iso "
		"live/vmlinuz=cache/live/K/vmlinuz live/initrd.img=cache/live/K/initrd.img "
		"live/seed.img=out/.work-test/seed.img "
		"live/filesystem.squashfs=cache/live/K/filesystem.squashfs");
	assert_string_equal(ctx.iso, "out/ironpass-test.iso");
	fake_runner_release(&f);
}

static void test_payload_grafted(void **state)
{
	struct fake_runner f;
	struct bld_ctx ctx;

	(void)state;
	ctx_fake(&ctx, &f);
	snprintf(ctx.payload_dir, sizeof(ctx.payload_dir), "out/payload");
	assert_int_equal(bld_stage_iso(&ctx), 0);
	assert_non_null(strstr(f.calls[0].cmd, " payload=out/payload"));
	fake_runner_release(&f);
}

/* the VM template's ISOs ride along as /ironpass/media/…; a file that is no ISO is refused */
static void test_media(void **state)
{
	char dir[] = "/tmp/ironpass-bld-media-XXXXXX", iso[PATH_MAX], txt[PATH_MAX];
	const char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-o", iso, "/etc/hostname",
			       NULL };
	struct runner r;
	struct fake_runner f;
	struct bld_ctx ctx;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(iso, sizeof(iso), "%s/virtio-win-0.1.262.iso", dir);
	snprintf(txt, sizeof(txt), "%s/notes.txt", dir);
	runner_spawn_init(&r);
	assert_int_equal(runner_check(&r, argv, NULL, NULL), 0);
	assert_int_equal(path_write_file(NULL, txt, "not an iso\n", 11, 0644), 0);
	ctx_fake(&ctx, &f);
	ctx.windows_iso = "/win/Win11.iso";
	ctx.virtio_iso = iso;
	assert_int_equal(bld_stage_iso(&ctx), 0);
	assert_non_null(strstr(f.calls[0].cmd, " ironpass/media/ironpass-windows.iso=/win/Win11.iso "
			       "ironpass/media/ironpass-virtio-win.iso="));
	/* checked before the build: missing, not an ISO, the same file twice */
	assert_int_equal(bld_media_check(&ctx), -ENOENT);
	assert_non_null(strstr(ctx.err.msg, "--windows-iso '/win/Win11.iso'"));
	ctx.windows_iso = txt;
	assert_int_equal(bld_media_check(&ctx), -EINVAL);
	assert_non_null(strstr(ctx.err.msg, "is not an ISO image (libblkid finds no file system)"));
	ctx.windows_iso = iso;
	assert_int_equal(bld_media_check(&ctx), -EINVAL);
	assert_non_null(strstr(ctx.err.msg, "name the same file"));
	ctx.windows_iso = NULL;
	assert_int_equal(bld_media_check(&ctx), 0);
	unlink(iso);
	unlink(txt);
	rmdir(dir);
	fake_runner_release(&f);
}

static void test_dates_follow_epoch(void **state)
{
	struct bld_iso_args a;
	struct bld_ctx ctx;
	struct fake_runner f;

	(void)state;
	ctx_fake(&ctx, &f);
	ctx.source_date_epoch = 1700000000;	/* 2023-11-14 22:13:20 UTC */
	snprintf(ctx.name, sizeof(ctx.name), "rack-01.b");
	assert_int_equal(bld_iso_args(&ctx, "x.iso", &a), 0);
	assert_string_equal(a.date, "2023111422132000");
	assert_string_equal(a.volid, "IRONPASS_RACK_01_B");
	fake_runner_release(&f);
}

static void test_xorriso_failure(void **state)
{
	struct fake_runner f;
	struct bld_ctx ctx;

	(void)state;
	ctx_fake(&ctx, &f);
	fake_runner_push(&f, 5, "", "xorriso : FAILURE : Cannot find path 'x'\n");
	assert_int_equal(bld_stage_iso(&ctx), -EIO);
	assert_non_null(strstr(ctx.err.msg, "xorriso"));
	assert_non_null(strstr(ctx.err.msg, "Cannot find path"));
	fake_runner_release(&f);
}

static void test_esp_argv(void **state)
{
	struct fake_runner f;
	struct bld_ctx ctx;

	(void)state;
	ctx_fake(&ctx, &f);
	snprintf(ctx.squashfs_key, sizeof(ctx.squashfs_key), "%064d", 0);
	assert_int_equal(bld_stage_boot(&ctx), 0);
	assert_int_equal(f.n_calls, 6);
	assert_string_equal(f.calls[0].cmd, "mkfs.fat -C --invariant -i 65920080 -n IRONPASSESP "
					    "out/.work-test/esp.img 8192");
	assert_string_equal(f.calls[1].cmd, "mmd -i out/.work-test/esp.img ::/EFI ::/EFI/BOOT "
					    "::/EFI/debian");
	assert_string_equal(f.calls[2].cmd, "mcopy -m -i out/.work-test/esp.img "
					    "/usr/lib/shim/shimx64.efi.signed "
					    "::/EFI/BOOT/BOOTX64.EFI");
	assert_string_equal(f.calls[3].cmd, "mcopy -m -i out/.work-test/esp.img "
					    "/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed "
					    "::/EFI/BOOT/grubx64.efi");
	assert_string_equal(f.calls[4].cmd, "mcopy -m -i out/.work-test/esp.img "
					    "/usr/lib/shim/mmx64.efi.signed ::/EFI/BOOT/mmx64.efi");
	assert_string_equal(f.calls[5].cmd, "mcopy -m -i out/.work-test/esp.img "
					    "out/.work-test/esp-grub.cfg ::/EFI/debian/grub.cfg");
	/* no fbx64.efi: it would try to register boot entries (design §11) */
	assert_int_equal(fake_runner_find(&f, "mcopy -m -i out/.work-test/esp.img "
					       "/usr/lib/shim/fbx64"), -1);
	fake_runner_release(&f);
}

/* A runner that records the mode of xorriso's output file as xorriso finds it. */
struct mode_runner {
	struct runner r;
	int mode_seen;			/* -1: no such file */
};

static int mode_run(struct runner *r, const char *const *argv, const struct run_opts *o,
		    struct run_result *res)
{
	struct mode_runner *m = (struct mode_runner *)r;
	struct stat st;

	(void)o;
	memset(res, 0, sizeof(*res));
	for (size_t i = 0; argv[i]; i++)
		if (!strcmp(argv[i], "-o") && argv[i + 1])
			m->mode_seen = stat(argv[i + 1], &st) < 0 ? -1 : (int)(st.st_mode & 07777);
	return 0;
}

/* An ISO whose seed carries an answer is 0600 from the moment xorriso writes it. */
static void test_private_iso(void **state)
{
	struct mode_runner m = { .r = { .run = mode_run }, .mode_seen = -2 };
	char out[] = "/tmp/ip-iso-XXXXXX", iso[64];
	struct fake_runner f;
	struct bld_ctx ctx;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(out));
	for (int priv = 1; priv >= 0; priv--) {
		ctx_fake(&ctx, &f);
		ctx.run = &m.r;
		ctx.dry_run = false;
		ctx.outdir = out;
		ctx.seed_private = priv;
		assert_int_equal(bld_stage_iso(&ctx), 0);
		snprintf(iso, sizeof(iso), "%s/ironpass-test.iso", out);
		assert_string_equal(ctx.iso, iso);
		assert_int_equal(stat(iso, &st), 0);
		assert_int_equal(st.st_mode & 07777, priv ? 0600 : 0644);
		assert_int_equal(m.mode_seen, priv ? 0600 : 0644);
		assert_int_equal(unlink(iso), 0);
		fake_runner_release(&f);
	}
	assert_int_equal(rmdir(out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xorriso_argv),
		cmocka_unit_test(test_payload_grafted),
		cmocka_unit_test(test_media),
		cmocka_unit_test(test_dates_follow_epoch),
		cmocka_unit_test(test_xorriso_failure),
		cmocka_unit_test(test_private_iso),
		cmocka_unit_test(test_esp_argv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
