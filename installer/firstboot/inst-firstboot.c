// SPDX-License-Identifier: GPL-2.0-or-later
/* Install time: put the first-boot unit, binary, configuration and hook on the target. */
#include <errno.h>
#include <link.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firstboot/inst-firstboot.h"
#include "install/inst-http.h"
#include "install/inst-webhook.h"
#include "log.h"
#include "path.h"
#include "plan/plan.h"
#include "target/inst-cfg.h"
#include "util.h"

/*
 * The unit's ordering follows [first-boot] ordering as Proxmox orders its
 * proxmox-first-boot units: fully-up after the node is up (pveproxy), wanted
 * by multi-user.target; network-online after network-online.target. The VM
 * template waits for pve-cluster itself, in either case.
 */
char *inst_fb_unit_text(enum answer_first_boot_order ord)
{
	const char *order = ord == ANSWER_FB_NETWORK_ONLINE ?
		"After=systemd-remount-fs.service network-online.target\n"
		"Wants=network-online.target\n" :
		"After=systemd-remount-fs.service pve-cluster.service pveproxy.service "
		"network-online.target\n"
		"Wants=pveproxy.service network-online.target\n";
	struct strbuf sb = { 0 };

	sb_printf(&sb, "[Unit]\n"
		  "Description=ironpass first boot: Windows 11 VM template and "
		  "first-boot hook\n"
		  "%s"
		  "ConditionPathExists=!" INST_FB_DONE "\n"
		  "ConditionPathExists=!" INST_FAILED_MARK "\n"
		  "\n"
		  "[Service]\n"
		  "# exec, not oneshot: the boot (multi-user.target) does not wait for it\n"
		  "Type=exec\n"
		  "Environment=LD_LIBRARY_PATH=" INST_FB_LIBDIR "\n"
		  "ExecStart=" INST_FB_BIN " firstboot\n"
		  "StandardOutput=journal+console\n"
		  "StandardError=journal+console\n"
		  "RuntimeMaxSec=3h\n"
		  "\n"
		  "[Install]\n"
		  "WantedBy=multi-user.target\n", order);
	return sb_detach(&sb);
}

/*
 * ordering = "before-network": the hook runs on its own, before any network
 * is set up (Proxmox's network-pre ordering: before and wanting
 * network-pre.target, wanted by network.target), once. The VM template cannot
 * run then (it needs pve-cluster): ironpass-firstboot.service does it later.
 */
char *inst_fb_hook_unit_text(void)
{
	return strdup("[Unit]\n"
		      "Description=ironpass first boot: first-boot hook (before network)\n"
		      "After=systemd-remount-fs.service\n"
		      "Before=network-pre.target\n"
		      "Wants=network-pre.target\n"
		      "ConditionPathExists=!" INST_FB_HOOK_DONE "\n"
		      "ConditionPathExists=!" INST_FAILED_MARK "\n"
		      "\n"
		      "[Service]\n"
		      "Type=oneshot\n"
		      "RemainAfterExit=yes\n"
		      "ExecStart=" INST_FB_HOOK "\n"
		      "ExecStartPost=/usr/bin/touch " INST_FB_HOOK_DONE "\n"
		      "StandardOutput=journal+console\n"
		      "StandardError=journal+console\n"
		      "TimeoutStartSec=1h\n"
		      "\n"
		      "[Install]\n"
		      "WantedBy=network.target\n");
}

static bool glibc_lib(const char *base)
{
	static const char *const skip[] = {
		"ld-linux", "libc.so", "libm.so", "libpthread.so", "libdl.so", "librt.so",
		"libresolv.so", "libnss_", "libutil.so", "libanl.so", "libasan.so", "libubsan.so",
	};

	for (size_t i = 0; i < ARRAY_SIZE(skip); i++)
		if (str_startswith(base, skip[i]))
			return true;
	return false;
}

char **inst_fb_bundle_libs(const char *maps, size_t *n)
{
	char **list = NULL;
	const char *p = maps;

	*n = 0;
	while (p && *p) {
		size_t len = strcspn(p, "\n");
		const char *path = memchr(p, '/', len);

		if (path) {
			size_t plen = (size_t)(p + len - path);
			_cleanup_free_ char *s = strndup(path, plen);
			const char *base = s ? strrchr(s, '/') + 1 : NULL;
			bool dup = false;

			for (size_t i = 0; s && i < *n; i++)
				dup |= !strcmp(list[i], s);
			if (s && !dup && strstr(base, ".so") && !glibc_lib(base)) {
				char **nl = realloc(list, (*n + 2) * sizeof(*nl));

				if (!nl)
					break;
				list = nl;
				list[(*n)++] = s;
				list[*n] = NULL;
				s = NULL;
			}
		}
		p += len;
		if (*p)
			p++;
	}
	return list;
}

static int copy_in(struct inst_ctx *ctx, const char *src, const char *dst, mode_t mode)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	int ret;

	ret = path_read_all(NULL, src, 256u << 20, &data, &len);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s'", src);
	ret = path_write_file(ctx->target, dst, data, len, mode);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot write '%s%s'", ctx->target, dst);
	return 0;
}

/*
 * The libraries as the dynamic loader opened them: by their DT_NEEDED names
 * ("/lib/x86_64-linux-gnu/libcurl.so.4"), which is what the copy must be
 * called for the loader to find it again through LD_LIBRARY_PATH.
 */
static int loaded_lib(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	if (info->dlpi_name && info->dlpi_name[0] == '/') {
		sb_puts(data, info->dlpi_name);
		sb_puts(data, "\n");
	}
	return 0;
}

static int install_binary(struct inst_ctx *ctx, const char *self_bin, const char *maps)
{
	struct strbuf own = { 0 };
	char **libs;
	size_t n;
	int ret;

	ret = copy_in(ctx, self_bin, INST_FB_BIN, 0755);
	if (ret < 0)
		return ret;
	if (!maps) {
		sb_add(&own, "", 0);
		dl_iterate_phdr(loaded_lib, &own);
		if (own.err)
			return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
		maps = own.buf;
	}
	libs = inst_fb_bundle_libs(maps, &n);
	sb_release(&own);
	for (size_t i = 0; i < n; i++) {
		char dst[PATH_MAX];

		snprintf(dst, sizeof(dst), "%s/%s", INST_FB_LIBDIR, strrchr(libs[i], '/') + 1);
		if (ret == 0)
			ret = copy_in(ctx, libs[i], dst, 0644);
		free(libs[i]);
	}
	free(libs);
	return ret;
}

static int install_hook(struct inst_ctx *ctx, struct inst_fb_conf *c)
{
	const struct answer_first_boot *fb = &ctx->answer->first_boot;
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int ret;

	if (fb->source == ANSWER_FB_ISO) {
		ret = path_read_all(ctx->sysroot, INST_FB_HOOK_MEDIUM, 64u << 20, &data, &len);
		if (ret == -ENOENT)
			ret = path_read_all(ctx->sysroot, INST_FB_HOOK_SEED, 64u << 20, &data,
					    &len);
		if (ret < 0)
			return ip_err_errno(&ctx->err, ret,
					    "cannot read the first-boot hook '%s' from the medium",
					    INST_FB_HOOK_MEDIUM);
	} else if (fb->source == ANSWER_FB_URL) {
		struct inst_http_opts o = { .fingerprint = fb->cert_fingerprint, .tries = 5,
					    .backoff_ms = 2000, .timeout_s = 120,
					    .max_size = 64u << 20 };

		ret = inst_http_fetch(fb->url, &o, &data, &len, NULL, &ctx->err);
		if (ret < 0)
			return ret;
	} else {
		return 0;
	}
	ret = path_write_file(ctx->target, INST_FB_HOOK, data, len, 0700);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot write '%s%s'", ctx->target,
				    INST_FB_HOOK);
	c->hook = strdup(INST_FB_HOOK);
	return c->hook ? 0 : ip_err_set(&ctx->err, -ENOMEM, "out of memory");
}

/* No storage in the answer: the VM disks go to the root filesystem's (storage.cfg). */
static int vm_storage(struct inst_ctx *ctx, struct inst_fb_conf *c)
{
	const struct plan_vm *vm = ctx->plan && ctx->plan->plan_ok ? &ctx->plan->vm : NULL;
	struct inst_storage st;
	const char *to;

	if (!vm || !vm->enabled || !vm->storage_auto || !vm->storage)
		return 0;
	inst_cfg_storage_from_layout(&ctx->layout, &st);
	to = inst_cfg_storage_vm_id(st.kind);
	if (!strcmp(to, vm->storage))
		return 0;
	ip_info("vm: disks on storage '%s' (the root filesystem's)", to);
	if (inst_fb_conf_storage(c, vm->storage, to) < 0)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	return 0;
}

/*
 * A btrfs root disables "local" (storage.cfg): ISOs live on local-btrfs
 * then, so every "local:iso/" volume (CD drives, media) moves there.
 */
static int iso_storage(struct inst_ctx *ctx, struct inst_fb_conf *c)
{
	static const char from[] = "local:iso/", to[] = "local-btrfs:iso/";
	struct inst_storage st;

	inst_cfg_storage_from_layout(&ctx->layout, &st);
	if (st.kind != INST_STORE_BTRFS)
		return 0;
	for (size_t i = 0; i < c->n_opts + c->n_media; i++) {
		char **v = i < c->n_opts ? &c->opts[i].value : &c->media[i - c->n_opts].volume;
		char *s;

		if (!*v || !str_startswith(*v, from))
			continue;
		if (asprintf(&s, "%s%s", to, *v + strlen(from)) < 0)
			return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
		free(*v);
		*v = s;
	}
	return 0;
}

/* Build the answer ISO; without it the VM still gets made, with no ide1. */
static void install_unattend(struct inst_ctx *ctx, struct inst_fb_conf *c)
{
	const char *ide1 = inst_fb_conf_get(c, "ide1");
	struct ip_err saved = ctx->err;

	if (!ide1 || inst_fb_unattend_iso(ctx, ide1) == 0)
		return;
	ip_warn("%s, ignoring", ip_err_msg(&ctx->err));
	ctx->err = saved;
	for (size_t i = 0; i < c->n_opts; i++) {
		if (!strcmp(c->opts[i].key, "ide1")) {
			free(c->opts[i].key);
			free(c->opts[i].value);
			memmove(&c->opts[i], &c->opts[i + 1],
				(c->n_opts - i - 1) * sizeof(c->opts[0]));
			c->n_opts--;
			break;
		}
	}
}

/* The install's webhook, for the first boot's events (the file is 0600: the token) */
static int copy_webhook(struct inst_ctx *ctx, struct inst_fb_conf *c)
{
	const struct inst_webhook *wh = ctx->webhook;

	if (!wh || !wh->url)
		return 0;
	c->wh_url = strdup(wh->url);
	c->wh_fingerprint = xstrdup_or_null(wh->fingerprint);
	c->wh_token = xstrdup_or_null(wh->token);
	c->wh_node = xstrdup_or_null(wh->node);
	c->wh_events = wh->events;
	if (!c->wh_url || (wh->fingerprint && !c->wh_fingerprint) ||
	    (wh->token && !c->wh_token) || (wh->node && !c->wh_node))
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	return 0;
}

/*
 * ISOs that neither the install nor the first boot will put in place: each
 * a warning now and a line of ctx->notes for the final screen.
 */
static void media_notes(struct inst_ctx *ctx, const struct inst_fb_conf *c)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; i < c->n_media; i++) {
		const struct inst_fb_media *m = &c->media[i];
		char name[256], rel[PATH_MAX];
		const char *dir = inst_fb_iso_dir(m->volume, name, sizeof(name));
		_cleanup_free_ char *hint = NULL;

		if (m->url || (m->volume && !dir))
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", dir ? dir : "", name);
		if (dir && path_exists(ctx->target, rel))
			continue;
		hint = inst_fb_media_hint(m->what, m->key, m->volume, c->vmid);
		if (!hint)
			continue;
		ip_warn("vm template: %s", hint);
		sb_printf(&sb, "%s%s", sb.len ? "\n" : "", hint);
	}
	if (sb.len && !sb.err) {
		free(ctx->notes);
		ctx->notes = sb_detach(&sb);
	}
	sb_release(&sb);
}

static bool hook_before_network(const struct inst_ctx *ctx)
{
	return ctx->answer && ctx->answer->has_first_boot &&
	       ctx->answer->first_boot.ordering == ANSWER_FB_BEFORE_NETWORK;
}

/* The before-network hook unit, enabled in network.target.wants */
static int install_hook_unit(struct inst_ctx *ctx)
{
	_cleanup_free_ char *unit = inst_fb_hook_unit_text();
	int ret;

	if (!unit)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	ret = inst_cfg_write(ctx, INST_FB_HOOK_UNIT, unit, 0644);
	if (ret == 0)
		ret = path_mkdirs(ctx->target, "/etc/systemd/system/network.target.wants", 0755);
	if (ret == 0)
		ret = inst_cfg_symlink(ctx, INST_FB_HOOK_WANTS, INST_FB_HOOK_UNIT);
	return ret;
}

int inst_fb_stage_subscription(struct inst_ctx *ctx)
{
	const char *key = ctx->answer ? ctx->answer->global.subscription_key : NULL;
	size_t len;
	char *text;
	int ret;

	if (!key)
		return 0;
	len = strlen(key) + 1;
	text = malloc(len);	/* one copy, wiped: no reallocation leaves pieces behind */
	if (!text)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	memcpy(text, key, len - 1);
	text[len - 1] = '\n';
	ret = path_write_file(ctx->target, INST_FB_SUBSCRIPTION, text, len, 0600);
	explicit_bzero(text, len);
	free(text);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot write '%s%s'", ctx->target,
				    INST_FB_SUBSCRIPTION);
	ip_info("subscription key staged for the first boot in '%s' (readable by root only)",
		INST_FB_SUBSCRIPTION);
	return 0;
}

int inst_firstboot_setup(struct inst_ctx *ctx, const char *self_bin, const char *maps)
{
	struct inst_fb_conf c;
	_cleanup_free_ char *json = NULL, *unit = NULL;
	bool hook_unit = false;
	int ret;

	ret = inst_fb_conf_from_plan(&c, ctx->plan && ctx->plan->plan_ok ? &ctx->plan->vm : NULL,
				     &ctx->err);
	if (ret < 0)
		return ret;
	ret = vm_storage(ctx, &c);
	if (ret == 0)
		ret = iso_storage(ctx, &c);
	if (ret < 0)
		goto out;
	/* the stand-in payload has no qm: the template is skipped at first boot then */
	c.standin = !path_exists(ctx->target, "/usr/sbin/qm");
	if (ctx->answer && (ret = install_hook(ctx, &c)) < 0)
		goto out;
	if (c.hook && hook_before_network(ctx)) {
		/* its own unit runs it; ironpass-installer firstboot does not */
		free(c.hook);
		c.hook = NULL;
		hook_unit = true;
	}
	if (c.vmid) {
		install_unattend(ctx, &c);
		ret = inst_fb_carry_media(&c, ctx->sysroot, ctx->target, ctx->payload_url,
					  ctx->dry_run, &ctx->err);
		if (ret < 0)
			goto out;
		media_notes(ctx, &c);
	}
	ret = copy_webhook(ctx, &c);
	if (ret < 0)
		goto out;
	json = inst_fb_conf_json(&c);
	unit = inst_fb_unit_text(ctx->answer && ctx->answer->has_first_boot ?
				 ctx->answer->first_boot.ordering : ANSWER_FB_FULLY_UP);
	if (!json || !unit) {
		ret = ip_err_set(&ctx->err, -ENOMEM, "out of memory");
		goto out;
	}
	ret = inst_cfg_write(ctx, INST_FB_CONF, json, 0600);
	if (ret == 0)
		ret = inst_fb_stage_subscription(ctx);
	if (ret == 0)
		ret = install_binary(ctx, self_bin, maps);
	if (ret == 0)
		ret = inst_cfg_write(ctx, INST_FB_UNIT, unit, 0644);
	if (ret == 0)
		ret = path_mkdirs(ctx->target, "/etc/systemd/system/multi-user.target.wants", 0755);
	if (ret == 0)
		ret = inst_cfg_symlink(ctx, INST_FB_WANTS, INST_FB_UNIT);
	if (ret == 0 && hook_unit)
		ret = install_hook_unit(ctx);
	if (ret == 0)
		ret = path_mkdirs(ctx->target, "/var/log/ironpass", 0755);
	if (ret < 0 && !ctx->err.code)
		ip_err_errno(&ctx->err, ret, "cannot set up the first-boot unit in '%s'",
			     ctx->target);
out:
	inst_fb_conf_release(&c);
	return ret;
}

int inst_firstboot(struct inst_ctx *ctx)
{
	return inst_firstboot_setup(ctx, "/proc/self/exe", NULL);
}
