// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers shared by the disk steps: allowlists, progress, running argv. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-disk.h"
#include "log.h"
#include "runner.h"

bool inst_dev_ok(const char *dev)
{
	if (!dev || strncmp(dev, "/dev/", 5) != 0 || !dev[5])
		return false;
	if (strstr(dev, "..") || strstr(dev, "//"))
		return false;
	for (const char *p = dev + 5; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_.:-",
			    *p))
			return false;
	return dev[strlen(dev) - 1] != '/';
}

bool inst_fstype_ok(const char *fs)
{
	static const char *const ok[] = { "ext4", "xfs", "btrfs", "vfat", "swap" };

	for (size_t i = 0; fs && i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(fs, ok[i]) == 0)
			return true;
	return false;
}

/* Debian policy 5.6.1: [a-z0-9][a-z0-9+.-]+ */
bool inst_pkg_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n < 2 || n > 128 || !strchr("abcdefghijklmnopqrstuvwxyz0123456789", name[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789+.-", name[i]))
			return false;
	return true;
}

bool inst_path_ok(const char *path)
{
	return path && path[0] == '/' && runner_word_ok(path) && !strstr(path, "..");
}

void inst_progress(struct inst_ctx *ctx, const char *step, int percent, const char *detail)
{
	if (ctx->on_progress)
		ctx->on_progress(ctx->progress_data, step, percent, detail);
}

int inst_run(struct inst_ctx *ctx, const char *const *argv, const char *input, char **out)
{
	struct run_opts o = { .input = input, .input_len = input ? strlen(input) : 0 };
	struct run_result res = { 0 };
	int ret;

	if (out) {
		o.flags |= RUN_CAPTURE;
		*out = NULL;
	}
	ret = runner_check(ctx->runner, argv, &o, &res);
	if (ret < 0) {
		ip_err_set(&ctx->err, ret, "%s", ip_err_msg(&ctx->runner->err));
	} else if (out) {
		*out = res.out;
		res.out = NULL;
	}
	run_result_release(&res);
	return ret;
}

/* Every output line of a chroot command goes to the install log (and its tail). */
static void chroot_line(void *data, int fd, const char *line)
{
	(void)data;
	(void)fd;
	if (line[strspn(line, " \t\r")])
		ip_info("  %s", line);
}

int inst_run_chroot(struct inst_ctx *ctx, const char *const *argv, const char *input)
{
	static const char *const env[] = {
		"DEBIAN_FRONTEND=noninteractive",
		"DEBCONF_NONINTERACTIVE_SEEN=true",
		"APT_LISTCHANGES_FRONTEND=none",
		"LC_ALL=C.UTF-8",
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
		NULL,
	};
	const char *full[64];
	struct run_opts o = { .input = input, .input_len = input ? strlen(input) : 0,
			      .env = env, .on_line = chroot_line };
	struct run_result res = { 0 };
	size_t n = 0;
	int ret;

	if (!inst_path_ok(ctx->target))
		return ip_err_set(&ctx->err, -EINVAL, "invalid target directory '%s'",
				  ctx->target ? ctx->target : "");
	full[n++] = "chroot";
	full[n++] = ctx->target;
	for (const char *const *a = argv; *a; a++) {
		if (n + 1 >= sizeof(full) / sizeof(full[0]))
			return ip_err_set(&ctx->err, -E2BIG, "too many arguments for '%s'",
					  argv[0]);
		full[n++] = *a;
	}
	full[n] = NULL;
	ret = runner_check(ctx->runner, full, &o, &res);
	if (ret < 0)
		ip_err_set(&ctx->err, ret, "%s", ip_err_msg(&ctx->runner->err));
	run_result_release(&res);
	return ret;
}
