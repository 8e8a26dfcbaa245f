// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage seed: the second initrd. A newc cpio written with libarchive that
 * carries the installer binary, the profile and any answer file (sealed:
 * no plain root password, bld-seal.c; then the seed is 0600) and answer
 * fetch token (ironpass/answer-token, then /etc/ironpass/answer-token in
 * the live root, 0600; the seed is 0600 too), plus a
 * live-bottom hook: live-boot runs /scripts/live-bottom/ORDER before
 * switch_root (design §11), and our script copies the seed's files into
 * the live root's writable overlay. Entries are sorted, owned by 0:0 and
 * dated SOURCE_DATE_EPOCH, so the same inputs give the same bytes.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bld.h"
#include "hash.h"
#include "path.h"
#include "payload.h"
#include "util.h"

const char bld_seed_order[] =
	"/scripts/live-bottom/ironpass-seed \"$@\"\n"
	"[ -e /conf/param.conf ] && . /conf/param.conf\n";

const char bld_seed_script[] =
	"#!/bin/sh\n"
	"# ironpass seed: copy the installer, profile and answer into the live root\n"
	"root=\"${rootmnt:-/root}\"\n"
	"[ -d /ironpass ] || exit 0\n"
	"mkdir -p \"$root/usr/local/sbin\" \"$root/etc/ironpass\"\n"
	"cp /ironpass/ironpass-installer \"$root/usr/local/sbin/ironpass-installer\"\n"
	"chmod 0755 \"$root/usr/local/sbin/ironpass-installer\"\n"
	"chmod 0700 \"$root/etc/ironpass\"\n"
	"for f in profile.toml answer.toml answer-token; do\n"
	"\tif [ -e \"/ironpass/$f\" ]; then\n"
	"\t\tcp \"/ironpass/$f\" \"$root/etc/ironpass/$f\"\n"
	"\t\tchmod 0600 \"$root/etc/ironpass/$f\"\n"
	"\tfi\n"
	"done\n"
	"# the SHA-256 of the payload's manifest.json: the installer's pin\n"
	"if [ -e /ironpass/payload.sha256 ]; then\n"
	"\tcp /ironpass/payload.sha256 \"$root/etc/ironpass/payload.sha256\"\n"
	"\tchmod 0644 \"$root/etc/ironpass/payload.sha256\"\n"
	"fi\n"
	"exit 0\n";

static int seed_cmp(const void *a, const void *b)
{
	return strcmp(((const struct bld_seed_file *)a)->path,
		      ((const struct bld_seed_file *)b)->path);
}

static int seed_entry(struct archive *a, const struct bld_seed_file *f, int64_t ino,
		      int64_t epoch, struct ip_err *e)
{
	struct archive_entry *ent = archive_entry_new();
	char *data = NULL;
	size_t len = 0;
	int ret = 0;

	if (!ent)
		return ip_err_set(e, -ENOMEM, "out of memory");
	if (f->src) {
		ret = path_read_all(NULL, f->src, 512u << 20, &data, &len);
		if (ret < 0) {
			ip_err_errno(e, ret, "cannot read '%s'", f->src);
			goto out;
		}
	} else if (f->data) {
		len = f->len ? f->len : strlen(f->data);
	}
	archive_entry_set_pathname(ent, f->path);
	archive_entry_set_filetype(ent, f->dir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(ent, f->mode);
	archive_entry_set_ino64(ent, ino);
	archive_entry_set_uid(ent, 0);
	archive_entry_set_gid(ent, 0);
	archive_entry_set_nlink(ent, f->dir ? 2 : 1);
	archive_entry_set_mtime(ent, (time_t)epoch, 0);
	archive_entry_set_size(ent, f->dir ? 0 : (la_int64_t)len);
	if (archive_write_header(a, ent) != ARCHIVE_OK) {
		ret = ip_err_set(e, -EIO, "cannot write seed entry '%s': %s", f->path,
				 archive_error_string(a));
		goto out;
	}
	if (!f->dir && len &&
	    archive_write_data(a, data ? data : f->data, len) != (la_ssize_t)len) {
		ret = ip_err_set(e, -EIO, "cannot write seed entry '%s': %s", f->path,
				 archive_error_string(a));
	}
out:
	free(data);
	archive_entry_free(ent);
	return ret;
}

int bld_seed_write(const char *out, struct bld_seed_file *files, size_t n, int64_t epoch,
		   unsigned mode, struct ip_err *e)
{
	struct archive *a;
	char tmp[BLD_PATH_MAX];
	int ret = 0, fd;

	if (bld_path(tmp, sizeof(tmp), "%s.tmp", out) < 0)
		return ip_err_set(e, -ENAMETOOLONG, "path too long '%s'", out);
	qsort(files, n, sizeof(*files), seed_cmp);
	/* created with its mode (0600 when it carries an answer), never wider for a moment */
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode & 0777);
	if (fd < 0)
		return ip_err_errno(e, -errno, "cannot create '%s'", tmp);
	if (fchmod(fd, mode & 0777) < 0) {
		ret = ip_err_errno(e, -errno, "cannot set the mode of '%s'", tmp);
		close(fd);
		remove(tmp);
		return ret;
	}
	a = archive_write_new();
	if (!a) {
		close(fd);
		remove(tmp);
		return ip_err_set(e, -ENOMEM, "out of memory");
	}
	/* inode numbers are entry indexes, never the host's */
	if (archive_write_set_format_cpio_newc(a) != ARCHIVE_OK ||
	    archive_write_add_filter_none(a) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		ret = ip_err_set(e, -EIO, "cannot create '%s': %s", tmp, archive_error_string(a));
		goto out_free;
	}
	for (size_t i = 0; i < n && !ret; i++)
		ret = seed_entry(a, &files[i], (int64_t)i + 1, epoch, e);
	if (archive_write_close(a) != ARCHIVE_OK && !ret)
		ret = ip_err_set(e, -EIO, "cannot write '%s': %s", tmp, archive_error_string(a));
out_free:
	archive_write_free(a);
	if (close(fd) < 0 && !ret)
		ret = ip_err_errno(e, -errno, "cannot write '%s'", tmp);
	if (ret < 0) {
		remove(tmp);
		return ret;
	}
	if (rename(tmp, out) < 0)
		return ip_err_errno(e, -errno, "cannot rename '%s'", tmp);
	return 0;
}

/*
 * The pin (issue 10): the SHA-256 of the payload's manifest.json, one line,
 * which the installer holds a downloaded manifest against. The payload stage
 * ran before; in a dry run its manifest does not exist yet.
 */
static int seed_payload_pin(struct bld_ctx *ctx, char pin[SHA256_HEX_LEN + 2])
{
	int ret;

	pin[0] = '\0';
	if (ctx->dry_run)
		return 0;
	ret = sha256_file(ctx->payload_dir, PAYLOAD_MANIFEST, pin, NULL);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot hash '%s/%s'", ctx->payload_dir,
				    PAYLOAD_MANIFEST);
	pin[SHA256_HEX_LEN] = '\n';
	pin[SHA256_HEX_LEN + 1] = '\0';
	return 0;
}

int bld_seed_token_read(struct bld_ctx *ctx, char **out)
{
	size_t len;
	int ret;

	*out = NULL;
	ret = path_read_all(NULL, ctx->answer_token_path, 4096, out, &len);
	if (ret == -EFBIG)
		return ip_err_set(&ctx->err, -EINVAL, "answer token file '%s' is larger than "
				  "4 KiB", ctx->answer_token_path);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read answer token file '%s'",
				    ctx->answer_token_path);
	ret = str_token_line(*out, len);
	if (ret < 0) {
		explicit_bzero(*out, len);
		free(*out);
		*out = NULL;
		return ip_err_set(&ctx->err, ret, "answer token file '%s' does not hold a bearer "
				  "token: one line of printable ASCII without spaces",
				  ctx->answer_token_path);
	}
	return 0;
}

int bld_stage_seed(struct bld_ctx *ctx)
{
	struct answer_sealed sealed[BLD_SEED_SEALED_MAX] = { 0 };
	struct bld_seed_file files[16];
	char pin[SHA256_HEX_LEN + 2];
	bool embed = ctx->profile && ctx->profile->has_profile &&
		     ctx->profile->profile.embed_answer;
	char *token = NULL;
	size_t n = 0;
	int ret;

	if (bld_path(ctx->seed, sizeof(ctx->seed), "%s/seed.img", ctx->workdir) < 0)
		return ip_err_set(&ctx->err, -ENAMETOOLONG, "path too long '%s'", ctx->workdir);
	files[n++] = (struct bld_seed_file){ .path = "ironpass", .dir = true, .mode = 0755 };
	files[n++] = (struct bld_seed_file){ .path = "ironpass/ironpass-installer",
					      .src = ctx->installer_bin, .mode = 0755 };
	files[n++] = (struct bld_seed_file){ .path = "ironpass/profile.toml",
					      .src = ctx->profile_path, .mode = 0600,
					      .answer = true };
	if (ctx->answer_path || embed)
		files[n++] = (struct bld_seed_file){
			.path = "ironpass/answer.toml",
			.src = ctx->answer_path ? ctx->answer_path : ctx->profile_path,
			.mode = 0600, .answer = true };
	if (ctx->answer_token_path) {
		ret = bld_seed_token_read(ctx, &token);
		if (ret < 0)
			return ret;
		files[n++] = (struct bld_seed_file){ .path = "ironpass/answer-token",
						      .data = token, .mode = 0600 };
	}
	if (ctx->payload_dir[0]) {
		ret = seed_payload_pin(ctx, pin);
		if (ret < 0)
			goto out_wipe;
		files[n++] = (struct bld_seed_file){ .path = "ironpass/payload.sha256",
						      .data = pin, .mode = 0644 };
	}
	files[n++] = (struct bld_seed_file){ .path = "scripts", .dir = true, .mode = 0755 };
	files[n++] = (struct bld_seed_file){ .path = "scripts/live-bottom", .dir = true,
					      .mode = 0755 };
	files[n++] = (struct bld_seed_file){ .path = "scripts/live-bottom/ORDER",
					      .data = bld_seed_order, .mode = 0644 };
	files[n++] = (struct bld_seed_file){ .path = "scripts/live-bottom/ironpass-seed",
					      .data = bld_seed_script, .mode = 0755 };
	ctx->seed_private = bld_seed_private(ctx);
	if (ctx->dry_run) {
		bld_report(ctx, "seed", BLD_EV_PROGRESS, 0, "would write '%s' (%zu entries)",
			   ctx->seed, n);
		ret = 0;
		goto out_wipe;
	}
	ret = bld_mkdirs(ctx, ctx->workdir);
	if (ret == 0)
		ret = bld_seed_seal(ctx, files, n, sealed, ARRAY_SIZE(sealed));
	if (ret == 0)
		ret = bld_seed_write(ctx->seed, files, n, ctx->source_date_epoch,
				     ctx->seed_private ? 0600 : 0644, &ctx->err);
	for (size_t i = 0; i < ARRAY_SIZE(sealed); i++)
		answer_sealed_release(&sealed[i]);
out_wipe:
	if (token)
		explicit_bzero(token, strlen(token));
	free(token);
	return ret;
}
