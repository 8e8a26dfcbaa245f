// SPDX-License-Identifier: GPL-2.0-or-later
/* The seed initrd: a newc cpio read back with libarchive — sorted entries,
 * 0:0, SOURCE_DATE_EPOCH, the modes we asked for, the exact bytes, and the
 * live-bottom hook; the same inputs give the same bytes. The seed stage
 * seals a plain root password (a yescrypt hash that crypt_r verifies, every
 * other byte kept) and makes a seed with an answer 0600. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
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
#include "hash.h"
#include "path.h"
#include "crypt-check.h"

static char dir[64], out1[128], out2[128], src[128];

static int setup(void **state)
{
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ip-seed-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(out1, sizeof(out1), "%s/seed1.img", dir);
	snprintf(out2, sizeof(out2), "%s/seed2.img", dir);
	snprintf(src, sizeof(src), "%s/profile.toml", dir);
	f = fopen(src, "w");
	if (!f)
		return -1;
	fputs("[profile]\nname = \"t\"\n", f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	remove(out1);
	remove(out2);
	remove(src);
	rmdir(dir);
	return 0;
}

static size_t fill(struct bld_seed_file *files)
{
	size_t n = 0;

	/* deliberately unsorted */
	files[n++] = (struct bld_seed_file){ .path = "scripts/live-bottom/ORDER",
					      .data = bld_seed_order, .mode = 0644 };
	files[n++] = (struct bld_seed_file){ .path = "ironpass/profile.toml", .src = src,
					      .mode = 0600 };
	files[n++] = (struct bld_seed_file){ .path = "ironpass", .dir = true, .mode = 0755 };
	files[n++] = (struct bld_seed_file){ .path = "scripts/live-bottom/ironpass-seed",
					      .data = bld_seed_script, .mode = 0755 };
	files[n++] = (struct bld_seed_file){ .path = "scripts/live-bottom", .dir = true,
					      .mode = 0755 };
	files[n++] = (struct bld_seed_file){ .path = "scripts", .dir = true, .mode = 0755 };
	return n;
}

static void test_read_back(void **state)
{
	static const struct {
		const char *path;
		unsigned mode;
	} expect[] = {
		{ "ironpass", 040755 },
		{ "ironpass/profile.toml", 0100600 },
		{ "scripts", 040755 },
		{ "scripts/live-bottom", 040755 },
		{ "scripts/live-bottom/ORDER", 0100644 },
		{ "scripts/live-bottom/ironpass-seed", 0100755 },
	};
	struct bld_seed_file files[8];
	struct ip_err e = { 0 };
	struct archive_entry *ent;
	struct archive *a;
	size_t n = fill(files), i = 0;

	(void)state;
	assert_int_equal(bld_seed_write(out1, files, n, 1704067200, 0644, &e), 0);
	a = archive_read_new();
	archive_read_support_format_all(a);
	archive_read_support_filter_all(a);
	assert_int_equal(archive_read_open_filename(a, out1, 10240), ARCHIVE_OK);
	while (archive_read_next_header(a, &ent) == ARCHIVE_OK) {
		char buf[4096];
		la_ssize_t len;

		assert_true(i < 6);
		assert_int_equal(archive_format(a), ARCHIVE_FORMAT_CPIO_SVR4_NOCRC);
		assert_string_equal(archive_entry_pathname(ent), expect[i].path);
		assert_int_equal(archive_entry_mode(ent), expect[i].mode);
		assert_int_equal(archive_entry_uid(ent), 0);
		assert_int_equal(archive_entry_gid(ent), 0);
		assert_int_equal(archive_entry_mtime(ent), 1704067200);
		len = archive_read_data(a, buf, sizeof(buf) - 1);
		assert_true(len >= 0);
		buf[len] = '\0';
		if (!strcmp(expect[i].path, "ironpass/profile.toml"))
			assert_string_equal(buf, "[profile]\nname = \"t\"\n");
		if (!strcmp(expect[i].path, "scripts/live-bottom/ORDER")) {
			assert_non_null(strstr(buf, "/scripts/live-bottom/ironpass-seed"));
			assert_non_null(strstr(buf, ". /conf/param.conf"));
		}
		if (!strcmp(expect[i].path, "scripts/live-bottom/ironpass-seed")) {
			assert_true(strncmp(buf, "#!/bin/sh\n", 10) == 0);
			assert_non_null(strstr(buf, "${rootmnt"));
			assert_non_null(strstr(buf, "chmod 0600"));
		}
		i++;
	}
	assert_int_equal(i, 6);
	archive_read_free(a);
}

static void test_reproducible(void **state)
{
	struct bld_seed_file files[8];
	struct ip_err e = { 0 };
	char *b1, *b2;
	size_t l1, l2, n = fill(files);

	(void)state;
	assert_int_equal(bld_seed_write(out1, files, n, 1704067200, 0644, &e), 0);
	sleep(1);
	n = fill(files);
	assert_int_equal(bld_seed_write(out2, files, n, 1704067200, 0644, &e), 0);
	assert_int_equal(path_read_all(NULL, out1, 1 << 20, &b1, &l1), 0);
	assert_int_equal(path_read_all(NULL, out2, 1 << 20, &b2, &l2), 0);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	free(b1);
	free(b2);
	/* a different epoch changes the bytes */
	n = fill(files);
	assert_int_equal(bld_seed_write(out2, files, n, 1704067201, 0644, &e), 0);
	assert_int_equal(path_read_all(NULL, out2, 1 << 20, &b2, &l2), 0);
	assert_int_equal(path_read_all(NULL, out1, 1 << 20, &b1, &l1), 0);
	assert_true(l1 != l2 || memcmp(b1, b2, l1) != 0);
	free(b1);
	free(b2);
}

static void test_missing_source(void **state)
{
	struct bld_seed_file files[1] = {
		{ .path = "ironpass/ironpass-installer", .src = "/nonexistent/ip-installer",
		  .mode = 0755 },
	};
	struct ip_err e = { 0 };
	char tmp[160];

	(void)state;
	assert_int_equal(bld_seed_write(out1, files, 1, 0, 0644, &e), -ENOENT);
	assert_string_equal(e.msg, "cannot read '/nonexistent/ip-installer': "
				   "No such file or directory");
	snprintf(tmp, sizeof(tmp), "%s.tmp", out1);
	assert_int_equal(access(tmp, F_OK), -1);	/* no half-written seed left */
}

/* ---- the seed stage: answers sealed, the seed private ---- */

#define MARK "Zq7-Marker-4711"

static const char answer_text[] =
	"# rack node 7\n"
	"[global]\n"
	"keyboard = \"de\"\n"
	"country = \"at\"\n"
	"fqdn = \"pve-7.example.com\"\n"
	"mailto = \"root@example.com\"\n"
	"timezone = \"Europe/Vienna\"\n"
	"root-password = \"" MARK "\"   # sealed by the builder\n"
	"\n"
	"[network]\n"
	"source = \"from-dhcp\"\n"
	"\n"
	"[disk-setup]\n"
	"filesystem = \"ext4\"\n"
	"disk-list = [\"sda\"]\n";

struct stage_lines {
	char text[4096];
	size_t len;
};

static void on_stage(void *data, const char *stage, int event, double seconds,
		     const char *detail)
{
	struct stage_lines *l = data;

	(void)seconds;
	if (event == BLD_EV_PROGRESS)
		l->len += (size_t)snprintf(l->text + l->len, sizeof(l->text) - l->len, "%s: %s\n",
					   stage, detail);
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The entry @name of the cpio at @path, NUL-terminated; NULL when absent. */
static char *cpio_entry(const char *path, const char *name, unsigned *mode)
{
	struct archive_entry *ent;
	struct archive *a = archive_read_new();
	char *data = NULL;

	archive_read_support_format_all(a);
	assert_int_equal(archive_read_open_filename(a, path, 10240), ARCHIVE_OK);
	while (archive_read_next_header(a, &ent) == ARCHIVE_OK) {
		la_int64_t size = archive_entry_size(ent);

		if (strcmp(archive_entry_pathname(ent), name))
			continue;
		data = calloc(1, (size_t)size + 1);
		assert_non_null(data);
		assert_int_equal(archive_read_data(a, data, (size_t)size), size);
		if (mode)
			*mode = archive_entry_mode(ent);
		break;
	}
	archive_read_free(a);
	return data;
}

/* @got is @orig with `root-password = "MARK"` replaced by a hash of MARK; returns the hash */
static void check_sealed(const char *orig, const char *got, char *hash, size_t size)
{
	const char *pw = strstr(orig, "root-password = \"" MARK "\"");
	size_t pre = (size_t)(pw - orig), plen = strlen("root-password = \"" MARK "\"");
	const char *h, *end;

	assert_non_null(pw);
	assert_null(strstr(got, "Zq7"));
	assert_null(strstr(got, "4711"));
	/* before and after: the very same bytes */
	assert_memory_equal(got, orig, pre);
	assert_memory_equal(got + pre, "root-password-hashed = \"", 24);
	h = got + pre + 24;
	end = strchr(h, '"');
	assert_non_null(end);
	assert_string_equal(end + 1, orig + pre + plen);
	assert_true((size_t)(end - h) < size);
	memcpy(hash, h, (size_t)(end - h));
	hash[end - h] = '\0';
	assert_true(strncmp(hash, "$y$", 3) == 0);
	assert_true(crypt_check(MARK, hash));
}

static void stage_ctx(struct bld_ctx *ctx, struct stage_lines *lines, const char *profile,
		      const char *answer)
{
	struct answer_diags d = { 0 };
	static char work[160], inst[160];

	bld_ctx_init(ctx);
	snprintf(work, sizeof(work), "%s/work", dir);
	snprintf(inst, sizeof(inst), "%s/installer", dir);
	put_file(inst, "#!/bin/sh\necho stand-in installer\n");
	ctx->profile_path = profile;
	ctx->answer_path = answer;
	ctx->installer_bin = inst;
	ctx->workdir = work;
	ctx->on_stage = on_stage;
	ctx->on_stage_data = lines;
	memset(lines, 0, sizeof(*lines));
	assert_int_equal(bld_ctx_load_profile(ctx, &d), 0);
	answer_diags_release(&d);
}

static char *slurp_file(const char *path, size_t *len)
{
	char *b = NULL;

	assert_int_equal(path_read_all(NULL, path, 1 << 24, &b, len), 0);
	return b;
}

static unsigned file_mode(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static void stage_cleanup(struct bld_ctx *ctx)
{
	char path[200];

	remove(ctx->seed);
	snprintf(path, sizeof(path), "%s/installer", dir);
	remove(path);
	snprintf(path, sizeof(path), "%s/answer.toml", dir);
	remove(path);
	rmdir(ctx->workdir);
	bld_ctx_release(ctx);
}

/* --answer FILE with a plain password: sealed in the seed, which is 0600 */
static void test_stage_seals_answer(void **state)
{
	struct stage_lines lines;
	struct bld_ctx ctx;
	char answer[160], hash[512], *raw, *got, *prof;
	unsigned mode;
	size_t len;

	(void)state;
	snprintf(answer, sizeof(answer), "%s/answer.toml", dir);
	put_file(answer, answer_text);
	stage_ctx(&ctx, &lines, src, answer);
	assert_int_equal(bld_stage_seed(&ctx), 0);
	/* the plain marker is nowhere in the image file, not even in pieces */
	raw = slurp_file(ctx.seed, &len);
	assert_null(memmem(raw, len, "Zq7", 3));
	assert_null(memmem(raw, len, "4711", 4));
	free(raw);
	assert_int_equal(file_mode(ctx.seed), 0600);
	assert_true(ctx.seed_private);
	got = cpio_entry(ctx.seed, "ironpass/answer.toml", &mode);
	assert_non_null(got);
	assert_int_equal(mode, 0100600);
	check_sealed(answer_text, got, hash, sizeof(hash));
	free(got);
	/* the profile had no password: unchanged */
	prof = cpio_entry(ctx.seed, "ironpass/profile.toml", NULL);
	assert_string_equal(prof, "[profile]\nname = \"t\"\n");
	free(prof);
	/* the builder says it sealed it (and where), never the password */
	assert_non_null(strstr(lines.text, "seed: sealed the root password of '"));
	assert_non_null(strstr(lines.text, "answer.toml': 'root-password' goes into the seed as "
					   "'root-password-hashed' (yescrypt)"));
	assert_null(strstr(lines.text, "Zq7"));
	/* the answer file itself is not touched */
	raw = slurp_file(answer, &len);
	assert_string_equal(raw, answer_text);
	free(raw);
	stage_cleanup(&ctx);
}

/* A profile with embed-answer: profile.toml and answer.toml both sealed, with one hash */
static void test_stage_seals_embedded(void **state)
{
	struct stage_lines lines;
	struct bld_ctx ctx;
	char profile[160], text[2048], h1[512], h2[512], *a, *p, *raw;
	size_t len;

	(void)state;
	snprintf(profile, sizeof(profile), "%s/answer.toml", dir);
	snprintf(text, sizeof(text), "[profile]\nname = \"rack\"\nembed-answer = true\n\n%s",
		 answer_text);
	put_file(profile, text);
	stage_ctx(&ctx, &lines, profile, NULL);
	assert_int_equal(bld_stage_seed(&ctx), 0);
	raw = slurp_file(ctx.seed, &len);
	assert_null(memmem(raw, len, "Zq7", 3));
	free(raw);
	assert_int_equal(file_mode(ctx.seed), 0600);
	a = cpio_entry(ctx.seed, "ironpass/answer.toml", NULL);
	p = cpio_entry(ctx.seed, "ironpass/profile.toml", NULL);
	check_sealed(text, a, h1, sizeof(h1));
	check_sealed(text, p, h2, sizeof(h2));
	assert_string_equal(h1, h2);
	free(a);
	free(p);
	stage_cleanup(&ctx);
}

/* No answer, no secret: the profile as it is, the seed 0644 (a TFTP server must read it) */
static void test_stage_public(void **state)
{
	struct stage_lines lines;
	struct bld_ctx ctx;
	char *p;

	(void)state;
	stage_ctx(&ctx, &lines, src, NULL);
	assert_int_equal(bld_stage_seed(&ctx), 0);
	assert_false(ctx.seed_private);
	assert_int_equal(file_mode(ctx.seed), 0644);
	p = cpio_entry(ctx.seed, "ironpass/profile.toml", NULL);
	assert_string_equal(p, "[profile]\nname = \"t\"\n");
	free(p);
	assert_null(cpio_entry(ctx.seed, "ironpass/answer.toml", NULL));
	assert_null(strstr(lines.text, "sealed"));
	stage_cleanup(&ctx);
}

/* Each secret a profile may hold makes the seed private (the profile always rides in it) */
static void test_private_by_secret(void **state)
{
	struct bld_ctx ctx = { 0 };
	struct answer p = { 0 };

	(void)state;
	ctx.profile = &p;
	assert_false(bld_seed_private(&ctx));
	p.global.subscription_key = (char *)"pve2c-0123456789";
	assert_true(bld_seed_private(&ctx));
	p.global.subscription_key = NULL;
	p.webhook.auth_token = (char *)"token";
	assert_true(bld_seed_private(&ctx));
	p.webhook.auth_token = NULL;
	p.global.root_password_hashed = (char *)"$y$j9T$x$y";
	assert_true(bld_seed_private(&ctx));
}

/* A password that cannot be sealed stops the build, naming the key, not the value */
static void test_stage_refuses(void **state)
{
	struct stage_lines lines;
	struct bld_ctx ctx;
	char answer[160], tmp[BLD_PATH_MAX + 8];

	(void)state;
	snprintf(answer, sizeof(answer), "%s/answer.toml", dir);
	put_file(answer, "[global]\nroot-password = " MARK "\n");
	stage_ctx(&ctx, &lines, src, answer);
	assert_int_equal(bld_stage_seed(&ctx), -EINVAL);
	assert_non_null(strstr(ctx.err.msg, "invalid value for 'root-password' (strings need "
					    "quotes)"));
	assert_null(strstr(ctx.err.msg, "Zq7"));
	assert_int_equal(access(ctx.seed, F_OK), -1);
	snprintf(tmp, sizeof(tmp), "%s.tmp", ctx.seed);
	assert_int_equal(access(tmp, F_OK), -1);
	stage_cleanup(&ctx);
}

/*
 * Stage seed after stage payload: ironpass/payload.sha256 holds the SHA-256
 * of the payload's manifest.json (the installer's pin), and the live-bottom
 * script copies it to /etc/ironpass/ in the live root. No payload, no pin.
 */
static void test_stage_payload_pin(void **state)
{
	static const char manifest[] = "{ \"format\": 1 }\n";
	struct bld_ctx ctx;
	char payload[128], mpath[160], seed[160], hex[SHA256_HEX_LEN + 1], want[80], *text;
	unsigned mode = 0;

	(void)state;
	bld_ctx_init(&ctx);
	ctx.workdir = dir;
	ctx.installer_bin = src;
	ctx.profile_path = src;
	snprintf(payload, sizeof(payload), "%s/payload", dir);
	snprintf(seed, sizeof(seed), "%s/seed.img", dir);
	assert_int_equal(path_write_file(dir, "payload/manifest.json", manifest,
					 strlen(manifest), 0644), 0);
	assert_int_equal(sha256_buf(manifest, strlen(manifest), hex), 0);
	snprintf(want, sizeof(want), "%s\n", hex);
	snprintf(mpath, sizeof(mpath), "%s/manifest.json", payload);

	snprintf(ctx.payload_dir, sizeof(ctx.payload_dir), "%s", payload);
	if (bld_stage_seed(&ctx) < 0)
		fail_msg("%s", ip_err_msg(&ctx.err));
	assert_string_equal(ctx.seed, seed);
	text = cpio_entry(seed, "ironpass/payload.sha256", &mode);
	assert_non_null(text);
	assert_string_equal(text, want);
	assert_int_equal(mode, 0100644);
	free(text);
	text = cpio_entry(seed, "scripts/live-bottom/ironpass-seed", &mode);
	assert_non_null(text);
	assert_non_null(strstr(text, "cp /ironpass/payload.sha256 "
				     "\"$root/etc/ironpass/payload.sha256\"\n"));
	free(text);

	/* the manifest is gone: an error, not a seed without its pin */
	assert_int_equal(remove(mpath), 0);
	assert_int_equal(bld_stage_seed(&ctx), -ENOENT);
	assert_non_null(strstr(ctx.err.msg, "cannot hash '"));

	/* no payload stage: no pin */
	ctx.payload_dir[0] = '\0';
	assert_int_equal(bld_stage_seed(&ctx), 0);
	assert_null(cpio_entry(seed, "ironpass/payload.sha256", &mode));
	remove(seed);
	rmdir(payload);
	bld_ctx_release(&ctx);
}


/* --answer-token-file: the token's line, 0600, in a 0600 seed; a bad file is refused */
static void test_stage_answer_token(void **state)
{
	struct stage_lines lines;
	struct bld_ctx ctx;
	char token[160], *got;
	unsigned mode;

	(void)state;
	snprintf(token, sizeof(token), "%s/token", dir);
	put_file(token, "rack-7:Tk9-" MARK "\n");
	stage_ctx(&ctx, &lines, src, NULL);
	ctx.answer_token_path = token;
	assert_int_equal(bld_stage_seed(&ctx), 0);
	assert_true(ctx.seed_private);
	assert_int_equal(file_mode(ctx.seed), 0600);
	got = cpio_entry(ctx.seed, "ironpass/answer-token", &mode);
	assert_non_null(got);
	assert_string_equal(got, "rack-7:Tk9-" MARK);
	assert_int_equal(mode, 0100600);
	free(got);
	/* the live-bottom script puts it where the installer reads it, 0600 */
	assert_non_null(strstr(bld_seed_script, "answer-token; do"));
	assert_null(strstr(lines.text, MARK));
	remove(ctx.seed);
	bld_ctx_release(&ctx);

	/* two words: refused, without showing the token */
	put_file(token, "rack-7 " MARK "\n");
	stage_ctx(&ctx, &lines, src, NULL);
	ctx.answer_token_path = token;
	assert_int_equal(bld_stage_seed(&ctx), -EINVAL);
	assert_non_null(strstr(ip_err_msg(&ctx.err), "does not hold a bearer token"));
	assert_null(strstr(ip_err_msg(&ctx.err), MARK));
	assert_int_equal(access(ctx.seed, F_OK), -1);
	remove(token);
	stage_cleanup(&ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_seals_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_seals_embedded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_public, setup, teardown),
		cmocka_unit_test(test_private_by_secret),
		cmocka_unit_test_setup_teardown(test_stage_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_payload_pin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_answer_token, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
