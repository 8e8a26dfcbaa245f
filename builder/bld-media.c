// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ISOs carried in the image for the VM template (`--windows-iso FILE`,
 * `--virtio-iso FILE`): on the medium as /ironpass/media/ironpass-windows.iso and
 * /ironpass/media/ironpass-virtio-win.iso, in the PXE tree as http/media/… (listed in
 * SHA256SUMS). The installer puts them into the node's ISO storage under
 * the same names when the answer says `windows-iso = "carried"`. Each file
 * is checked before the build starts: a regular file that libblkid finds an
 * ISO 9660 or UDF signature on (Windows ISOs are UDF with an ISO 9660 bridge).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <blkid.h>

#include "bld.h"

size_t bld_media_list(const struct bld_ctx *ctx, struct bld_media *out)
{
	size_t n = 0;

	if (ctx->windows_iso)
		out[n++] = (struct bld_media){ .src = ctx->windows_iso, .name = BLD_MEDIA_WINDOWS,
					       .option = "--windows-iso" };
	if (ctx->virtio_iso)
		out[n++] = (struct bld_media){ .src = ctx->virtio_iso, .name = BLD_MEDIA_VIRTIO,
					       .option = "--virtio-iso" };
	return n;
}

/* "iso9660", "udf" or NULL: what libblkid finds on @path */
static int media_type(const char *path, char *type, size_t size)
{
	blkid_probe pr = blkid_new_probe_from_filename(path);
	const char *v = NULL;
	int ret;

	if (!pr)
		return -errno ? -errno : -EIO;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	ret = blkid_do_safeprobe(pr);
	type[0] = '\0';
	if (ret == 0 && blkid_probe_lookup_value(pr, "TYPE", &v, NULL) == 0 && v)
		snprintf(type, size, "%s", v);
	blkid_free_probe(pr);
	return ret < 0 ? -EIO : 0;
}

int bld_media_check(struct bld_ctx *ctx)
{
	struct bld_media m[BLD_MEDIA_MAX];
	size_t n = bld_media_list(ctx, m);

	if (ctx->windows_iso && ctx->virtio_iso && !strcmp(ctx->windows_iso, ctx->virtio_iso))
		return ip_err_set(&ctx->err, -EINVAL, "--windows-iso and --virtio-iso name the "
				  "same file '%s'", ctx->windows_iso);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		char type[32];
		int ret;

		if (stat(m[i].src, &st) < 0)
			return ip_err_errno(&ctx->err, -errno, "%s '%s'", m[i].option, m[i].src);
		if (!S_ISREG(st.st_mode))
			return ip_err_set(&ctx->err, -EINVAL, "%s '%s' is not a regular file",
					  m[i].option, m[i].src);
		ret = media_type(m[i].src, type, sizeof(type));
		if (ret < 0)
			return ip_err_errno(&ctx->err, ret, "%s '%s': cannot read it", m[i].option,
					    m[i].src);
		if (strcmp(type, "iso9660") && strcmp(type, "udf"))
			return ip_err_set(&ctx->err, -EINVAL, "%s '%s' is not an ISO image (%s%s)",
					  m[i].option, m[i].src, type[0] ? "libblkid finds " :
					  "libblkid finds no file system", type);
	}
	return 0;
}
