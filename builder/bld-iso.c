// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage iso: one xorriso run (design §11). isohybrid MBR, BIOS El Torito
 * isolinux with a boot catalog, the ESP appended as GPT partition 2 and
 * used as the EFI El Torito image, so the same file boots as CD and as a
 * USB disk in both modes. The large live files are grafted from the cache
 * (no copies). Dates and the volume's UUID come from SOURCE_DATE_EPOCH.
 * An ISO whose seed carries an answer is mode 0600 (bld-seal.c).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bld.h"
#include "util.h"

#define ISOHDPFX "/usr/lib/ISOLINUX/isohdpfx.bin"

int bld_iso_args(const struct bld_ctx *ctx, const char *out, struct bld_iso_args *a)
{
	time_t t = (time_t)ctx->source_date_epoch;
	struct tm tm;
	size_t n = 0, v = 0;
	static const char *const live[4] = { "vmlinuz", "initrd.img", "seed.img",
					     "filesystem.squashfs" };
	const char *src[4] = { ctx->kernel, ctx->initrd, ctx->seed, ctx->squashfs };

	memset(a, 0, sizeof(*a));
	if (!gmtime_r(&t, &tm))
		return -EINVAL;
	snprintf(a->date, sizeof(a->date), "%04d%02d%02d%02d%02d%02d00", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	snprintf(a->date_opt, sizeof(a->date_opt), "--modification-date=%s", a->date);
	v = (size_t)snprintf(a->volid, sizeof(a->volid), "IRONPASS_");
	for (const char *p = ctx->name; *p && v < sizeof(a->volid) - 1; p++)
		a->volid[v++] = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
	a->volid[v] = '\0';
	for (size_t i = 0; i < 4; i++)
		if (bld_path(a->graft[i], sizeof(a->graft[i]), "live/%s=%s", live[i], src[i]) < 0)
			return -ENAMETOOLONG;
	/* the payload rides on the medium as /payload (design §3) */
	if (ctx->payload_dir[0] &&
	    bld_path(a->graft[4], sizeof(a->graft[4]), "payload=%s", ctx->payload_dir) < 0)
		return -ENAMETOOLONG;
	/* the VM template's ISOs as /ironpass/media/… */
	struct bld_media media[BLD_MEDIA_MAX];
	size_t n_media = bld_media_list(ctx, media);

	for (size_t i = 0; i < n_media; i++)
		if (bld_path(a->graft[5 + i], sizeof(a->graft[5 + i]), BLD_MEDIA_DIR "/%s=%s",
			     media[i].name, media[i].src) < 0)
			return -ENAMETOOLONG;

	const char *argv[] = {
		"xorriso", "-as", "mkisofs",
		"-o", out,
		"-V", a->volid,
		"-iso-level", "3", "-r", "-J", "-joliet-long",
		a->date_opt,
		"--set_all_file_dates", a->date,
		"--gpt_disk_guid", "modification-date",
		"-isohybrid-mbr", ISOHDPFX,
		"-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat",
		"-no-emul-boot", "-boot-load-size", "4", "-boot-info-table",
		"-append_partition", "2", "0xef", ctx->esp_img,
		"-eltorito-alt-boot",
		"-e", "--interval:appended_partition_2:all::", "-no-emul-boot",
		"-isohybrid-gpt-basdat",
		"-graft-points", ctx->iso_tree,
		a->graft[0], a->graft[1], a->graft[2], a->graft[3],
		a->graft[4][0] ? a->graft[4] : NULL,
		NULL,
	};
	for (n = 0; argv[n]; n++)
		a->argv[n] = argv[n];
	for (size_t i = 5; i < 7; i++)
		if (a->graft[i][0])
			a->argv[n++] = a->graft[i];
	a->argv[n] = NULL;
	return 0;
}

/*
 * The ISO's mode from the start: 0600 when its seed carries an answer or a
 * secret (xorriso writes into an existing output file and keeps its mode;
 * the mode is set again afterwards all the same).
 */
static int iso_create(struct bld_ctx *ctx, const char *tmp, unsigned mode)
{
	int fd;

	remove(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return ip_err_errno(&ctx->err, -errno, "cannot create '%s'", tmp);
	if (fchmod(fd, mode) < 0) {
		int ret = -errno;

		close(fd);
		remove(tmp);
		return ip_err_errno(&ctx->err, ret, "cannot set the mode of '%s'", tmp);
	}
	close(fd);
	return 0;
}

int bld_stage_iso(struct bld_ctx *ctx)
{
	unsigned mode = ctx->seed_private ? 0600 : 0644;
	struct bld_iso_args a;
	char tmp[BLD_PATH_MAX];
	int ret;

	if (bld_path(ctx->iso, sizeof(ctx->iso), "%s/ironpass-%s.iso", ctx->outdir, ctx->name) < 0 ||
	    bld_path(tmp, sizeof(tmp), "%s.tmp", ctx->iso) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "path too long '%s'", ctx->outdir);
	ret = bld_iso_args(ctx, tmp, &a);
	if (ret < 0)
		return ip_err_set(&ctx->err, ret, "cannot prepare the xorriso arguments");
	if (!ctx->dry_run) {
		ret = iso_create(ctx, tmp, mode);
		if (ret < 0)
			return ret;
	}
	ret = bld_run_argv(ctx, "iso", a.argv, NULL);
	if (ret < 0) {
		if (!ctx->dry_run)
			remove(tmp);
		return ret;
	}
	if (ctx->dry_run)
		return 0;
	if (chmod(tmp, mode) < 0 || rename(tmp, ctx->iso) < 0) {
		ret = ip_err_errno(&ctx->err, -errno, "cannot move '%s' into place", tmp);
		remove(tmp);
		return ret;
	}
	if (ctx->seed_private)
		bld_report(ctx, "iso", BLD_EV_PROGRESS, 0, "'%s' carries an answer: mode 0600",
			   ctx->iso);
	return 0;
}
