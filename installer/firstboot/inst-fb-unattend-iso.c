// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Install time: the Windows answer ISO for the VM template's ide1. The
 * answer file is made in memory, written only into the ISO (mode 0600) and
 * wiped: with an administrator password it holds that password.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firstboot/inst-firstboot.h"
#include "log.h"
#include "path.h"
#include "plan/plan.h"
#include "util.h"

/* ide1 = "local:iso/NAME.iso,media=cdrom" (or local-btrfs:) → its directory and NAME.iso */
static const char *iso_name(const char *ide1, char *buf, size_t size)
{
	const char *dir = inst_fb_iso_dir(ide1, buf, size);

	if (!dir || !str_endswith(buf, ".iso"))
		return NULL;
	return dir;
}

static const char *vm_name(const struct inst_ctx *ctx)
{
	if (ctx->plan && ctx->plan->plan_ok && ctx->plan->vm.name)
		return ctx->plan->vm.name;
	return ctx->answer ? ctx->answer->vm.name : NULL;
}

int inst_fb_unattend_iso(struct inst_ctx *ctx, const char *ide1)
{
	struct inst_fb_unattend_conf conf;
	char iso[256], rel[512], out[PATH_MAX];
	const char *dir = iso_name(ide1, iso, sizeof(iso));
	char *xml;
	int ret;

	if (!dir)
		return ip_err_set(&ctx->err, -EINVAL,
				  "unsupported answer ISO volume '%s': expected local:iso/NAME.iso",
				  ide1);
	snprintf(rel, sizeof(rel), "%s/%s", dir, iso);
	ret = path_mkdirs(ctx->target, dir, 0755);
	if (ret == 0)
		ret = path_join(out, sizeof(out), ctx->target, rel);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot prepare '%s%s'", ctx->target, rel);
	inst_fb_unattend_conf(&conf, ctx->answer, vm_name(ctx));
	if (conf.tz_unknown)
		ip_warn("time zone '%s' has no Windows name here: the Windows VM gets UTC, "
			"ignoring", ctx->answer->global.timezone);
	if (conf.no_product_key)
		ip_warn("Windows edition '%s' has no generic product key: Windows Setup will "
			"ask for one on the VM's console", conf.u.edition);
	xml = inst_fb_unattend_xml(&conf.u);
	if (!xml)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	ret = inst_fb_iso_write(out, INST_FB_ISO_VOLUME, "autounattend.xml", xml, strlen(xml),
				&ctx->err);
	explicit_bzero(xml, strlen(xml));
	free(xml);
	if (ret == 0)
		ip_info("Windows answer ISO '%s' written (readable by root only)", rel);
	return ret;
}
