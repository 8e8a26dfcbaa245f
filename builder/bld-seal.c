// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the seed may carry (design §5 "Secrets"): no plain root password
 * goes into an image or a PXE tree. A profile or answer file is sealed on
 * its way into the seed (answer_seal: root-password becomes
 * root-password-hashed, the rest of the text stays as written), and a seed
 * that carries an answer or any secret is private: seed.img, the ISO and the
 * PXE tree's copies are mode 0600.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bld.h"
#include "path.h"

bool bld_seed_private(const struct bld_ctx *ctx)
{
	const struct answer *p = ctx->profile;

	if (ctx->answer_path || ctx->answer_token_path ||
	    (p && p->has_profile && p->profile.embed_answer))
		return true;
	/* profile.toml always rides in the seed: a secret in it makes the seed private */
	return p && (p->global.root_password || p->global.root_password_hashed ||
		     p->webhook.auth_token || p->global.subscription_key);
}

static int seal_one(struct bld_ctx *ctx, const char *src, struct answer_sealed *out)
{
	char *text = NULL;
	size_t len = 0;
	int ret;

	ret = path_read_all(NULL, src, 16u << 20, &text, &len);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s'", src);
	ret = answer_seal(text, len, src, out, &ctx->err);
	explicit_bzero(text, len);
	free(text);
	if (ret < 0)
		return ret;
	if (out->sealed)
		bld_report(ctx, "seed", BLD_EV_PROGRESS, 0,
			   "sealed the root password of '%s': 'root-password' goes into the seed "
			   "as 'root-password-hashed' (%s)", src, out->method);
	return 0;
}

int bld_seed_seal(struct bld_ctx *ctx, struct bld_seed_file *files, size_t n,
		  struct answer_sealed *texts, size_t n_texts)
{
	const char *srcs[BLD_SEED_SEALED_MAX] = { NULL };
	size_t used = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j;
		int ret;

		if (!files[i].answer || !files[i].src)
			continue;
		/* the profile and the answer may be one file: sealed once, one hash */
		for (j = 0; j < used && strcmp(srcs[j], files[i].src); j++)
			;
		if (j == used) {
			if (used == n_texts || used == BLD_SEED_SEALED_MAX)
				return ip_err_set(&ctx->err, -E2BIG, "too many answer files in the seed");
			ret = seal_one(ctx, files[i].src, &texts[used]);
			if (ret < 0)
				return ret;
			srcs[used++] = files[i].src;
		}
		files[i].data = texts[j].text;
		files[i].len = texts[j].len;
		files[i].src = NULL;
	}
	return 0;
}
