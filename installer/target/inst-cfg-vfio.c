// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Passthrough configuration from the plan (design §6): the plan's files
 * (modprobe.d, modules-load.d, initramfs modules, driver_override), the
 * kernel command line where the boot loader the target uses reads it
 * (inst_cfg_boot_decide: the GRUB drop-in, for Debian's GRUB and for
 * proxmox-boot-tool with GRUB, or /etc/kernel/cmdline for proxmox-boot-tool
 * with systemd-boot; never both), then update-initramfs -u -k all in the
 * target and the loader's update (update-grub, proxmox-boot-tool refresh) when
 * the loader is already installed; else the boot loader step does it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "path.h"
#include "plan/plan.h"
#include "target/inst-cfg.h"
#include "util.h"

bool inst_cfg_kernel_word_ok(const char *w)
{
	if (!w || !*w || strlen(w) > 256)
		return false;
	for (; *w; w++)
		if (!((*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z') ||
		      (*w >= '0' && *w <= '9') || strchr("._,:=/+-", *w)))
			return false;
	return true;
}

static int check_words(const char *const *words, size_t n, struct ip_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (!inst_cfg_kernel_word_ok(words[i]))
			return ip_err_set(err, -EINVAL, "invalid kernel command line word '%s'",
					  words[i] ? words[i] : "");
	return 0;
}

static char *sb_done(struct strbuf *sb, struct ip_err *err)
{
	if (sb->err) {
		sb_release(sb);
		ip_err_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	return sb_detach(sb);
}

char *inst_cfg_grub_dropin_text(const char *const *words, size_t n, struct ip_err *err)
{
	struct strbuf sb = { 0 };

	if (check_words(words, n, err) < 0)
		return NULL;
	sb_puts(&sb, "# ironpass: kernel command line for GPU passthrough\n");
	sb_puts(&sb, "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT");
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, " %s", words[i]);
	sb_puts(&sb, "\"\n");
	return sb_done(&sb, err);
}

static bool has_word(const char *line, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = line; (p = strstr(p, w)); p += n)
		if ((p == line || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

char *inst_cfg_kernel_cmdline_text(const char *existing, const char *const *words, size_t n,
				   struct ip_err *err)
{
	struct strbuf sb = { 0 };
	size_t len;

	if (check_words(words, n, err) < 0)
		return NULL;
	/* one line; trailing white space and newlines dropped */
	len = strcspn(existing ? existing : "", "\n");
	while (len > 0 && (existing[len - 1] == ' ' || existing[len - 1] == '\t'))
		len--;
	sb_add(&sb, existing ? existing : "", len);
	for (size_t i = 0; i < n; i++) {
		if (has_word(sb.buf, words[i]))
			continue;
		if (sb.len)
			sb_puts(&sb, " ");
		sb_puts(&sb, words[i]);
	}
	sb_puts(&sb, "\n");
	return sb_done(&sb, err);
}

bool inst_cfg_plan_path_ok(const char *p)
{
	return (str_startswith(p, "/etc/") || str_startswith(p, "/usr/lib/ironpass/")) &&
	       !strstr(p, "/../") && !str_endswith(p, "/..");
}

char *inst_cfg_plan_file_text(const struct plan_file *f, const char *old, size_t old_len,
			      struct ip_err *err)
{
	struct strbuf sb = { 0 };

	if (!inst_cfg_plan_path_ok(f->path) || !f->text) {
		ip_err_set(err, -EINVAL, "refusing to write plan file '%s'", f->path);
		return NULL;
	}
	if (f->append) {
		sb_add(&sb, old ? old : "", old ? old_len : 0);
		/* already there: running twice changes nothing */
		if (old && strstr(old, f->text))
			return sb_done(&sb, err);
		if (old && old_len && old[old_len - 1] != '\n')
			sb_puts(&sb, "\n");
	}
	sb_puts(&sb, f->text);
	return sb_done(&sb, err);
}

static int write_plan_file(struct inst_ctx *ctx, const struct plan_file *f)
{
	_cleanup_free_ char *old = NULL, *text = NULL;
	size_t len = 0;
	int ret;

	if (f->append) {
		ret = path_read_all(ctx->target, f->path, 1u << 20, &old, &len);
		if (ret < 0 && ret != -ENOENT)
			return ip_err_errno(&ctx->err, ret, "cannot read '%s%s'", ctx->target,
					    f->path);
	}
	text = inst_cfg_plan_file_text(f, old, len, &ctx->err);
	if (!text)
		return ctx->err.code;
	if (old && !strcmp(old, text))
		return 0;
	return inst_cfg_write(ctx, f->path, text, f->mode ? f->mode : 0644);
}

const char *inst_cfg_cmdline_path(enum inst_boot_kind kind)
{
	return kind == INST_BOOT_PBT_SDBOOT ? INST_KERNEL_CMDLINE : INST_GRUB_DROPIN;
}

char *inst_cfg_cmdline_file_text(enum inst_boot_kind kind, const char *old,
				 const char *const *words, size_t n, struct ip_err *err)
{
	if (kind != INST_BOOT_PBT_SDBOOT)
		return inst_cfg_grub_dropin_text(words, n, err);
	return inst_cfg_kernel_cmdline_text(old, words, n, err);
}

const char *const inst_cfg_initramfs_argv[] = { "update-initramfs", "-u", "-k", "all", NULL };

const char *const *inst_cfg_boot_refresh_argv(enum inst_boot_kind kind)
{
	static const char *const grub[] = { "update-grub", NULL };
	static const char *const pbt[] = { "proxmox-boot-tool", "refresh", NULL };

	return kind == INST_BOOT_GRUB ? grub : pbt;
}

static int cfg_cmdline(struct inst_ctx *ctx, const struct plan *p, enum inst_boot_kind kind)
{
	const char *serial = ctx->answer ? ctx->answer->ironpass.serial_console : NULL;
	_cleanup_free_ const char **words = calloc(p->n_kernel_args + 3, sizeof(*words));
	_cleanup_free_ char *old = NULL, *text = NULL, *console = NULL;
	const char *path = inst_cfg_cmdline_path(kind);
	size_t len, n = 0;
	int ret;

	if (!words)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < p->n_kernel_args; i++)
		words[n++] = p->kernel_args[i];
	/* [ironpass] serial-console: the last console= is /dev/console */
	if (serial) {
		if (asprintf(&console, "console=%s", serial) < 0)
			return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
		words[n++] = "console=tty0";
		words[n++] = console;
	}
	if (kind == INST_BOOT_PBT_SDBOOT) {
		ret = path_read_all(ctx->target, path, 64 * 1024, &old, &len);
		if (ret < 0 && ret != -ENOENT)
			return ip_err_errno(&ctx->err, ret, "cannot read '%s%s'", ctx->target,
					    path);
	}
	text = inst_cfg_cmdline_file_text(kind, old, words, n, &ctx->err);
	return text ? inst_cfg_write(ctx, path, text, 0644) : ctx->err.code;
}

/* A plan step ("update-initramfs -u -k all") as an argv, words checked. */
static int run_plan_step(struct inst_ctx *ctx, const char *step, bool *did_initramfs)
{
	char buf[256], *words[12], *save = NULL, *w;
	size_t n = 0;

	if (snprintf(buf, sizeof(buf), "%s", step) >= (int)sizeof(buf))
		return ip_err_set(&ctx->err, -EINVAL, "plan step too long '%s'", step);
	for (w = strtok_r(buf, " ", &save); w && n + 1 < ARRAY_SIZE(words);
	     w = strtok_r(NULL, " ", &save)) {
		if (!runner_word_ok(w) && !(n > 0 && str_startswith(w, "-") &&
					    runner_word_ok(w + strspn(w, "-"))))
			return ip_err_set(&ctx->err, -EINVAL, "invalid word '%s' in plan step", w);
		words[n++] = w;
	}
	words[n] = NULL;
	if (n == 0)
		return 0;
	/* the boot loader is updated by us, for the one in use only */
	if (!strcmp(words[0], "update-grub") || !strcmp(words[0], "proxmox-boot-tool"))
		return 0;
	if (strcmp(words[0], "update-initramfs"))
		return ip_err_set(&ctx->err, -EINVAL, "unexpected plan step '%s'", step);
	*did_initramfs = true;
	return inst_cfg_chroot(ctx, (const char *const *)words);
}

int inst_cfg_passthrough(struct inst_ctx *ctx)
{
	const struct plan *p = ctx->plan;
	enum inst_boot_kind kind;
	bool did_initramfs = false;
	int ret;

	if (!p)
		return ip_err_set(&ctx->err, -EINVAL, "no passthrough plan");
	if (!p->plan_ok)
		return ip_err_set(&ctx->err, -EINVAL, "the passthrough plan was refused: %s",
				  p->n_refusals ? p->refusals[0] : "no reason given");
	kind = inst_cfg_boot_decide(ctx);
	for (size_t i = 0; i < p->n_files; i++) {
		ret = write_plan_file(ctx, &p->files[i]);
		if (ret < 0)
			return ret;
	}
	if (p->n_kernel_args) {
		ret = cfg_cmdline(ctx, p, kind);
		if (ret < 0)
			return ret;
	}
	for (size_t i = 0; i < p->n_steps; i++) {
		ret = run_plan_step(ctx, p->steps[i], &did_initramfs);
		if (ret < 0)
			return ret;
	}
	if (!did_initramfs) {
		ret = inst_cfg_chroot(ctx, inst_cfg_initramfs_argv);
		if (ret < 0)
			return ret;
	}
	if (!p->n_kernel_args)
		return 0;
	ip_info("kernel command line via %s: %s", inst_cfg_boot_name(kind),
		p->cmdline ? p->cmdline : "");
	/* a fresh target has no grub.cfg yet: the boot loader step runs update-grub */
	if (kind == INST_BOOT_GRUB && !path_exists(ctx->target, "/boot/grub/grub.cfg")) {
		ip_info("no '/boot/grub/grub.cfg' yet: update-grub runs with the boot loader");
		return 0;
	}
	/* no ESP set up yet: proxmox-boot-tool init refreshes in the boot loader step */
	if (kind != INST_BOOT_GRUB && !path_exists(ctx->target, INST_PBT_UUIDS)) {
		ip_info("no '%s' yet: the ESPs get the command line when the boot loader "
			"step sets them up", INST_PBT_UUIDS);
		return 0;
	}
	return inst_cfg_chroot(ctx, inst_cfg_boot_refresh_argv(kind));
}

int inst_cfg_all(struct inst_ctx *ctx)
{
	static int (*const steps[])(struct inst_ctx *) = {
		inst_cfg_net_prepare, inst_cfg_fstab, inst_cfg_network, inst_cfg_locale,
		inst_cfg_root,	inst_cfg_apt,	  inst_cfg_zfs, inst_cfg_passthrough,
		inst_cfg_cluster,
	};

	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		int ret = steps[i](ctx);

		if (ret < 0)
			return ret;
	}
	return 0;
}
