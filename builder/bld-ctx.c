// SPDX-License-Identifier: GPL-2.0-or-later
/* The build context and the stage runner behind `ironpass build`. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "bld.h"
#include "util.h"

const struct bld_stage bld_stages[] = {
	{ "tools", bld_stage_tools },
	{ BLD_ZFS_KIND, bld_stage_zfs },
	{ "rootfs", bld_stage_rootfs },
	{ "overlay", bld_stage_overlay },
	{ "payload", bld_stage_payload },
	{ "seed", bld_stage_seed },
	{ "boot", bld_stage_boot },
	{ "iso", bld_stage_iso },
	{ "pxe", bld_stage_pxe },
	{ NULL, NULL },
};

void bld_ctx_init(struct bld_ctx *ctx)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	int64_t v;

	memset(ctx, 0, sizeof(*ctx));
	ctx->overlay_dir = "overlay";
	ctx->outdir = "out";
	ctx->cachedir = "cache";
	ctx->source_date_epoch = BLD_DEFAULT_EPOCH;
	if (sde && ip_strtoi64(sde, 10, &v) == 0 && v >= 0)
		ctx->source_date_epoch = v;
	snprintf(ctx->name, sizeof(ctx->name), "default");
}

/* The profile's name, else the file name without ".toml"; file-name safe. */
static void ctx_set_name(struct bld_ctx *ctx)
{
	const char *src = NULL, *slash;
	size_t n, o = 0;

	if (ctx->profile && ctx->profile->profile.name && ctx->profile->profile.name[0]) {
		src = ctx->profile->profile.name;
		n = strlen(src);
	} else {
		slash = strrchr(ctx->profile_path, '/');
		src = slash ? slash + 1 : ctx->profile_path;
		n = strlen(src);
		if (str_endswith(src, ".toml"))
			n -= 5;
	}
	for (size_t i = 0; i < n && o < sizeof(ctx->name) - 1; i++) {
		char c = src[i];

		ctx->name[o++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
				 c == '_' ? c : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : '-';
	}
	ctx->name[o] = '\0';
	if (!o)
		snprintf(ctx->name, sizeof(ctx->name), "default");
}

int bld_ctx_load_profile(struct bld_ctx *ctx, struct answer_diags *diags)
{
	int ret;

	if (!ctx->profile_path)
		return ip_err_set(&ctx->err, -EINVAL, "no profile given (--profile FILE)");
	ret = answer_load(ctx->profile_path, ANSWER_ALLOW_PROFILE | ANSWER_PARTIAL,
			  &ctx->profile, diags);
	if (ret == -EINVAL)
		return ip_err_set(&ctx->err, ret, "invalid profile '%s'", ctx->profile_path);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot load profile '%s'", ctx->profile_path);
	if (ctx->profile->profile.default_entry &&
	    bld_entry_parse(ctx->profile->profile.default_entry) < 0)
		return ip_err_set(&ctx->err, -EINVAL,
				  "invalid profile '%s': unknown default entry '%s'",
				  ctx->profile_path, ctx->profile->profile.default_entry);
	ctx_set_name(ctx);
	return 0;
}

void bld_ctx_release(struct bld_ctx *ctx)
{
	ctx->profile = answer_free(ctx->profile);
	if (ctx->workdir_owned) {
		free((char *)ctx->workdir);
		ctx->workdir = NULL;
		ctx->workdir_owned = false;
	}
}

void bld_report(struct bld_ctx *ctx, const char *stage, int event, double seconds,
		const char *fmt, ...)
{
	char detail[1024] = "";
	va_list ap;

	if (!ctx->on_stage)
		return;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	ctx->on_stage(ctx->on_stage_data, stage, event, seconds, detail);
}

int bld_stage_tools(struct bld_ctx *ctx)
{
	return bld_tools_check(bld_tools_needed(ctx), getenv("PATH"), NULL, &ctx->err);
}

int bld_run(struct bld_ctx *ctx)
{
	double start = bld_now();
	char workdir[BLD_PATH_MAX];
	int ret = 0;

	if (!ctx->workdir) {
		if (bld_path(workdir, sizeof(workdir), "%s/.work-%s", ctx->outdir, ctx->name) < 0)
			return ip_err_set(&ctx->err, -ENAMETOOLONG, "path too long '%s'",
					  ctx->outdir);
		ctx->workdir = strdup(workdir);
		if (!ctx->workdir)
			return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
		ctx->workdir_owned = true;
	}
	ret = bld_mkdirs(ctx, ctx->outdir);
	if (!ret)
		ret = bld_mkdirs(ctx, ctx->workdir);
	if (!ret)
		ret = bld_mkdirs(ctx, ctx->cachedir);
	for (const struct bld_stage *s = bld_stages; !ret && s->name; s++) {
		double t0 = bld_now(), dt;
		struct bld_stage_time *t = ctx->n_times < ARRAY_SIZE(ctx->times) ?
					   &ctx->times[ctx->n_times++] : NULL;

		bld_report(ctx, s->name, BLD_EV_START, 0, NULL);
		ret = s->fn(ctx);
		dt = bld_now() - t0;
		if (t)
			*t = (struct bld_stage_time){ s->name, dt, ret };
		if (ret < 0) {
			char msg[IP_ERR_MSG_MAX];

			snprintf(msg, sizeof(msg), "%s", ip_err_msg(&ctx->err));
			bld_report(ctx, s->name, BLD_EV_FAILED, dt, "%s", msg);
			ip_err_set(&ctx->err, ret, "stage '%s' failed: %s", s->name, msg);
		} else {
			bld_report(ctx, s->name, BLD_EV_DONE, dt, NULL);
		}
	}
	ctx->total_seconds = bld_now() - start;
	return ret;
}

static void json_str(struct json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, val && val[0] ? json_object_new_string(val) : NULL);
}

char *bld_summary_json(const struct bld_ctx *ctx, int status)
{
	struct json_object *o = json_object_new_object(), *stages = json_object_new_array();
	char *out;

	if (!o || !stages) {
		json_object_put(o);
		json_object_put(stages);
		return NULL;
	}
	json_object_object_add(o, "ok", json_object_new_boolean(status == 0));
	json_str(o, "profile", ctx->profile_path);
	json_str(o, "name", ctx->name);
	json_object_object_add(o, "dry_run", json_object_new_boolean(ctx->dry_run));
	json_object_object_add(o, "source_date_epoch",
			       json_object_new_int64(ctx->source_date_epoch));
	json_str(o, "iso", ctx->iso);
	json_str(o, "pxe", ctx->pxe_dir);
	json_str(o, "payload", ctx->payload_dir);
	json_str(o, "kernel", ctx->kernel);
	json_str(o, "initrd", ctx->initrd);
	json_str(o, "seed", ctx->seed);
	json_str(o, "squashfs", ctx->squashfs);
	json_str(o, "rootfs_key", ctx->rootfs_key);
	json_str(o, "squashfs_key", ctx->squashfs_key);
	if (ctx->zfs.key[0]) {
		struct json_object *z = json_object_new_object();

		json_str(z, "key", ctx->zfs.key);
		json_str(z, "deb", ctx->zfs.deb);
		json_str(z, "deb_sha256", ctx->zfs.deb_sha256);
		json_str(z, "kernel", ctx->zfs.info.kver);
		json_str(z, "zfs_version", ctx->zfs.info.zfs_version);
		json_object_object_add(z, "modules", json_object_new_int((int)ctx->zfs.info.n_ko));
		json_object_object_add(z, "signed", json_object_new_int((int)ctx->zfs.info.n_signed));
		json_object_object_add(z, "ko_bytes",
				       json_object_new_int64((int64_t)ctx->zfs.info.ko_bytes));
		json_object_object_add(z, "deb_bytes",
				       json_object_new_int64((int64_t)ctx->zfs.deb_bytes));
		json_object_object_add(z, "build_seconds",
				       json_object_new_double(ctx->zfs.build_seconds));
		json_object_object_add(z, "cached", json_object_new_boolean(ctx->zfs.cached));
		json_object_object_add(o, "zfs_modules", z);
	}
	for (size_t i = 0; i < ctx->n_times; i++) {
		const struct bld_stage_time *t = &ctx->times[i];
		struct json_object *s = json_object_new_object();

		json_str(s, "name", t->name);
		json_object_object_add(s, "seconds", json_object_new_double(t->seconds));
		json_str(s, "status", t->status < 0 ? "failed" : t->status > 0 ? "skipped" : "ok");
		json_object_array_add(stages, s);
	}
	json_object_object_add(o, "stages", stages);
	json_object_object_add(o, "seconds", json_object_new_double(ctx->total_seconds));
	if (status < 0)
		json_str(o, "error", ip_err_msg(&ctx->err));
	out = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return out;
}
