// SPDX-License-Identifier: GPL-2.0-or-later
/* The payload stage: normalise the chosen source into <outdir>/payload. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bld.h"
#include "path.h"
#include "payload.h"
#include "payload/bld-payload.h"

struct payload_stage {
	struct bld_ctx *ctx;
	double t0;
};

static void payload_step(void *data, const char *step)
{
	struct payload_stage *s = data;

	bld_report(s->ctx, "payload", BLD_EV_PROGRESS, bld_now() - s->t0, "running %s", step);
}

static int payload_fn(struct bld_payload_job *job, const void *arg)
{
	const struct bld_ctx *ctx = arg;

	switch (ctx->payload_src) {
	case BLD_PAYLOAD_ISO:
		return bld_payload_from_iso(job, ctx->payload_arg);
	case BLD_PAYLOAD_REPO:
		return bld_payload_from_repo(job);
	case BLD_PAYLOAD_POOL:
		return bld_payload_from_pool(job, ctx->payload_arg);
	default:
		return ip_err_set(&job->err, -EINVAL, "no payload source");
	}
}

/* Every listed file of @dst is the very file (hard link) of @src. */
static bool payload_same_files(const char *src, const char *dst)
{
	struct payload_info pi;
	bool same;

	if (payload_manifest_read(dst, &pi, NULL) < 0) {
		payload_info_release(&pi);
		return false;
	}
	same = true;
	for (size_t i = 0; same && i < pi.n_files; i++) {
		char a[BLD_PATH_MAX], b[BLD_PATH_MAX];
		struct stat sa, sb;

		same = path_join(a, sizeof(a), src, pi.files[i].path) == 0 &&
		       path_join(b, sizeof(b), dst, pi.files[i].path) == 0 &&
		       stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
		       sa.st_ino == sb.st_ino && (unsigned long long)sb.st_size == pi.files[i].size;
	}
	payload_info_release(&pi);
	return same;
}

/*
 * --pool with a normalised payload that out/payload already holds verbatim:
 * the same manifest bytes, and either the same (hard-linked) files or files
 * that verify. Hard links make a profile-only rebuild skip hashing 250 MB.
 */
static bool payload_cached(const char *src, const char *dst)
{
	char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	bool same = false;

	if (path_read_all(src, PAYLOAD_MANIFEST, 64u << 20, &a, &la) == 0 &&
	    path_read_all(dst, PAYLOAD_MANIFEST, 64u << 20, &b, &lb) == 0 &&
	    la == lb && memcmp(a, b, la) == 0)
		same = payload_same_files(src, dst) || payload_verify(dst, NULL, NULL) == 0;
	free(a);
	free(b);
	return same;
}

int bld_stage_payload(struct bld_ctx *ctx)
{
	static const char *const src_names[] = { "none", "pve-iso", "pve-repo", "pool" };
	struct payload_stage st = { ctx, bld_now() };
	struct bld_payload_job job = {
		.run = ctx->run, .suite = BLD_SUITE_DEFAULT,
		.source_date_epoch = ctx->source_date_epoch,
		.on_step = payload_step, .on_step_data = &st,
	};
	char keyring[BLD_PATH_MAX];
	int ret;

	if (ctx->payload_src == BLD_PAYLOAD_NONE) {
		bld_report(ctx, "payload", BLD_EV_SKIPPED, 0, "no payload source given");
		return 0;
	}
	if (ctx->profile && ctx->profile->profile.suite)
		job.suite = ctx->profile->profile.suite;
	if (ctx->profile) {
		job.mirror = ctx->profile->profile.mirror;
		job.repo_url = ctx->profile->ironpass.pve_repository;
	}
	ret = bld_path(ctx->payload_dir, sizeof(ctx->payload_dir), "%s/payload", ctx->outdir);
	if (ret == 0)
		ret = bld_path(keyring, sizeof(keyring), "%s/proxmox-release-%s.gpg",
			       ctx->cachedir, job.suite);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "bad output directory '%s'", ctx->outdir);
	job.keyring = keyring;
	if (ctx->dry_run) {
		bld_report(ctx, "payload", BLD_EV_PROGRESS, 0, "would normalise %s%s%s into '%s'",
			   src_names[ctx->payload_src], ctx->payload_arg ? " " : "",
			   ctx->payload_arg ? ctx->payload_arg : "", ctx->payload_dir);
		return 0;
	}
	if (ctx->payload_src == BLD_PAYLOAD_POOL &&
	    payload_cached(ctx->payload_arg, ctx->payload_dir)) {
		bld_report(ctx, "payload", BLD_EV_CACHED, bld_now() - st.t0, "'%s' is up to date",
			   ctx->payload_dir);
		return 0;
	}
	ret = path_mkdirs(NULL, ctx->outdir, 0755);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot create '%s'", ctx->outdir);
	ret = bld_payload_build_into(&job, ctx->payload_dir, payload_fn, ctx);
	if (ret < 0)
		return ip_err_set(&ctx->err, ret, "%s", ip_err_msg(&job.err));
	return 0;
}
