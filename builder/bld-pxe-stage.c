// SPDX-License-Identifier: GPL-2.0-or-later
/* The pxe stage: <outdir>/pxe from the artefacts of the earlier stages. */
#include <errno.h>
#include <stdio.h>

#include "bld-pxe.h"
#include "bld.h"
#include "url.h"

int bld_stage_pxe(struct bld_ctx *ctx)
{
	struct bld_pxe p = {
		.url = ctx->pxe_url ? ctx->pxe_url : BLD_PXE_URL_DEFAULT,
		.kernel = ctx->kernel, .initrd = ctx->initrd, .seed = ctx->seed,
		.squashfs = ctx->squashfs,
		.payload_dir = ctx->payload_dir[0] ? ctx->payload_dir : NULL,
	};
	char title[160];
	int ret;

	ret = bld_path(ctx->pxe_dir, sizeof(ctx->pxe_dir), "%s/pxe", ctx->outdir);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "bad output directory '%s'", ctx->outdir);
	if (!ctx->pxe_url)
		bld_report(ctx, "pxe", BLD_EV_PROGRESS, 0, "no --pxe-url: using %s (QEMU user "
			   "networking, tests only)", BLD_PXE_URL_DEFAULT);
	if (ctx->dry_run) {
		char shown[512];

		bld_report(ctx, "pxe", BLD_EV_PROGRESS, 0, "would write '%s' for %s", ctx->pxe_dir,
			   url_redact(p.url, shown, sizeof(shown)));
		return 0;
	}
	if (!ctx->kernel[0] || !ctx->initrd[0] || !ctx->seed[0] || !ctx->squashfs[0])
		return ip_err_set(&ctx->err, -ENOENT, "the PXE tree needs the kernel, initrd, seed "
				  "and squashfs of the earlier stages");
	bld_menu_from_ctx(ctx, &p.menu, title, sizeof(title));
	p.n_media = bld_media_list(ctx, p.media);
	p.dir = ctx->pxe_dir;
	ret = bld_pxe_build(&p);
	if (ret < 0)
		return ip_err_set(&ctx->err, ret, "%s", ip_err_msg(&p.err));
	if (p.grub_http)
		bld_report(ctx, "pxe", BLD_EV_PROGRESS, 0, "UEFI: GRUB loads kernel and initrds "
			   "over HTTP (over TFTP under Secure Boot)");
	else
		bld_report(ctx, "pxe", BLD_EV_PROGRESS, 0, "UEFI: GRUB loads kernel and initrds "
			   "over TFTP: %s", p.grub_http_why);
	return 0;
}
