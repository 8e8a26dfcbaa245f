// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Answer files: defaults, parse and load, diagnostics, freeing (with the
 * secrets wiped). The key schema is in answer-schema.c, the checks across
 * keys in answer-check.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "answer-int.h"
#include "err.h"
#include "passwd.h"
#include "url.h"
#include "util.h"

void answer_defaults(struct answer *a)
{
	memset(a, 0, sizeof(*a));
	a->global.reboot_mode = ANSWER_REBOOT;
	a->network.source = ANSWER_NET_DHCP;
	a->disk.filesystem = ANSWER_FS_EXT4;
	a->disk.filter_match = ANSWER_MATCH_ANY;
	a->disk.zfs_ashift = 12;
	a->disk.zfs_copies = 1;
	a->first_boot.source = ANSWER_FB_NONE;
	a->first_boot.ordering = ANSWER_FB_FULLY_UP;
	a->passthrough.gpu = ANSWER_GPU_AUTO;
	a->passthrough.iommu_pt = true;
	a->vm.enabled = true;
	a->vm.vmid = 9000;
	a->vm.disk_size = 128;
	a->vm.unattended = true;
	a->ironpass.wipe = ANSWER_WIPE_EMPTY_ONLY;
	a->profile.menu_timeout = 5;
}

/* String defaults need allocating; answer_parse fills them in at the end. */
static void answer_string_defaults(struct answer_ctx *c)
{
	struct { char **field; const char *value; } d[] = {
		{ &c->a->vm.name, "win11-passthrough" },
		{ &c->a->vm.bridge, "vmbr0" },
		{ &c->a->vm.windows_edition, ANSWER_WIN_EDITION },
		{ &c->a->vm.windows_language, ANSWER_WIN_LANGUAGE },
		{ &c->a->vm.admin_user, ANSWER_WIN_ADMIN },
		{ &c->a->profile.suite, "bookworm" },
		{ &c->a->profile.default_entry, "install" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(d); i++)
		if (!*d[i].field && !(*d[i].field = strdup(d[i].value)))
			c->oom = true;
}

static void free_secret(char *s)
{
	passwd_wipe(s);
	free(s);
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void free_filters(struct answer_filter *f, size_t n)
{
	for (size_t i = 0; f && i < n; i++) {
		free(f[i].key);
		free(f[i].glob);
	}
	free(f);
}

struct answer *answer_free(struct answer *a)
{
	if (!a)
		return NULL;
	free(a->file);
	free(a->global.keyboard);
	free(a->global.country);
	free(a->global.fqdn);
	free(a->global.fqdn_domain);
	free(a->global.mailto);
	free(a->global.timezone);
	free_secret(a->global.root_password);
	free_secret(a->global.root_password_hashed);
	free_secret(a->global.subscription_key);
	free_strv(a->global.root_ssh_keys, a->global.n_root_ssh_keys);
	free(a->network.cidr);
	free(a->network.dns);
	free(a->network.gateway);
	free_filters(a->network.filters, a->network.n_filters);
	for (size_t i = 0; a->network.pins && i < a->network.n_pins; i++) {
		free(a->network.pins[i].mac);
		free(a->network.pins[i].name);
	}
	free(a->network.pins);
	free_strv(a->disk.disk_list, a->disk.n_disk_list);
	free_filters(a->disk.filters, a->disk.n_filters);
	free(a->disk.raid);
	free(a->disk.zfs_checksum);
	free(a->disk.zfs_compress);
	free(a->disk.btrfs_compress);
	free(a->first_boot.url);
	free(a->first_boot.cert_fingerprint);
	free(a->webhook.url);
	free(a->webhook.cert_fingerprint);
	free_secret(a->webhook.auth_token);
	free_strv(a->passthrough.gpu_list, a->passthrough.n_gpu_list);
	free_strv(a->passthrough.kernel_args, a->passthrough.n_kernel_args);
	free(a->vm.name);
	free(a->vm.storage);
	free(a->vm.bridge);
	free(a->vm.windows_iso);
	free(a->vm.virtio_iso);
	free(a->vm.windows_iso_sha256);
	free(a->vm.virtio_iso_sha256);
	free(a->vm.windows_edition);
	free(a->vm.windows_language);
	free(a->vm.admin_user);
	free_secret(a->vm.admin_password);
	free(a->vm.computer_name);
	free(a->ironpass.serial_console);
	free(a->ironpass.pve_repository);
	free_strv(a->ironpass.webhook_events, a->ironpass.n_webhook_events);
	free_strv(a->ironpass.packages, a->ironpass.n_packages);
	free(a->profile.name);
	free(a->profile.suite);
	free(a->profile.mirror);
	free_strv(a->profile.live_packages, a->profile.n_live_packages);
	free_strv(a->profile.boot_args, a->profile.n_boot_args);
	free(a->profile.default_entry);
	explicit_bzero(a, sizeof(*a));
	free(a);
	return NULL;
}

/* ---- diagnostics ---- */

int answer_diags_add(struct answer_diags *d, const char *file, unsigned line, unsigned col,
		     bool warning, const char *msg)
{
	struct answer_diag *g;

	if (d->len == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct answer_diag *items = realloc(d->items, cap * sizeof(*items));

		if (!items)
			return -ENOMEM;
		d->items = items;
		d->cap = cap;
	}
	g = &d->items[d->len];
	g->file = strdup(file ? file : "");
	g->msg = strdup(msg);
	if (!g->file || !g->msg) {
		free(g->file);
		free(g->msg);
		return -ENOMEM;
	}
	g->line = line;
	g->col = col;
	g->warning = warning;
	d->len++;
	if (!warning)
		d->n_errors++;
	return 0;
}

void answer_diag_add(struct answer_ctx *c, struct toml_pos pos, bool warning, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (answer_diags_add(c->d, c->file, pos.line, pos.line ? pos.col : 0, warning, msg) < 0) {
		c->oom = true;
		if (!warning)
			c->d->n_errors++;	/* never lose an error, even without memory */
	}
}

void answer_diags_release(struct answer_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->len; i++) {
		free(d->items[i].file);
		free(d->items[i].msg);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}

char *answer_diag_str(const struct answer_diag *d)
{
	struct strbuf sb = { 0 };

	if (d->line)
		sb_printf(&sb, "%s:%u:%u: ", d->file, d->line, d->col);
	else
		sb_printf(&sb, "%s: ", d->file);
	if (d->warning)
		sb_puts(&sb, "warning: ");
	sb_puts(&sb, d->msg);
	return sb_detach(&sb);
}

const char *answer_show(const char *s, int slot)
{
	static char bufs[4][80];
	char *b = bufs[slot & 3];
	char text[64];
	size_t n = 0, full;

	/* a URL in it loses its user info and query: they may hold a password or a token */
	full = url_redact_text(s, text, sizeof(text));
	for (s = text; *s && n < 60; s++)
		b[n++] = (unsigned char)*s < ' ' || *s == 0x7f ? '?' : *s;
	if (*s || full > n) {
		memcpy(b + n, "...", 3);
		n += 3;
	}
	b[n] = '\0';
	return b;
}

static bool diag_after(const struct answer_diag *a, const struct answer_diag *b)
{
	return a->line > b->line || (a->line == b->line && a->col > b->col);
}

/* Stable order by position; problems without one (line 0) first. */
static void diags_sort(struct answer_diags *d, size_t from)
{
	for (size_t i = from + 1; i < d->len; i++) {
		struct answer_diag tmp = d->items[i];
		size_t j = i;

		while (j > from && diag_after(&d->items[j - 1], &tmp)) {
			d->items[j] = d->items[j - 1];
			j--;
		}
		d->items[j] = tmp;
	}
}

/* ---- parse and load ---- */

static void wipe_tree_secrets(struct answer_ctx *c)
{
	for (size_t i = 0; i < c->n_secrets; i++)
		explicit_bzero(c->secrets[i]->u.str.ptr, c->secrets[i]->u.str.len);
}

int answer_parse(const char *buf, size_t len, const char *filename, unsigned flags,
		 struct answer **out, struct answer_diags *diags)
{
	struct answer_diags local = { 0 };
	struct answer_ctx c = { 0 };
	struct toml_value *root = NULL;
	struct toml_error terr = { 0 };
	size_t first, errors;
	int ret;

	*out = NULL;
	if (!filename)
		filename = "answer.toml";
	if (!diags)
		diags = &local;
	first = diags->len;
	errors = diags->n_errors;
	c.a = calloc(1, sizeof(*c.a));
	if (!c.a)
		return -ENOMEM;
	answer_defaults(c.a);
	c.a->file = strdup(filename);
	c.d = diags;
	c.file = filename;
	c.flags = flags;
	if (!c.a->file) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = toml_parse(buf, len, filename, &root, &terr);
	if (ret < 0) {
		struct toml_pos pos = { terr.line, terr.col };

		answer_diag_add(&c, pos, false, "%s", terr.msg[0] ? terr.msg : strerror(-ret));
		goto out_sort;
	}
	answer_schema_walk(&c, root);
	answer_check(&c);
	answer_string_defaults(&c);
	wipe_tree_secrets(&c);
	toml_free(root);
	ret = c.oom ? -ENOMEM : diags->n_errors > errors ? -EINVAL : 0;
out_sort:
	diags_sort(diags, first);
	if (ret == 0) {
		*out = c.a;
		c.a = NULL;
	}
out_free:
	answer_free(c.a);
	answer_diags_release(&local);
	return ret;
}

/* Appends "@file: @msg" as an error; never loses the error count. */
static void load_fail(struct answer_diags *d, const char *file, const char *msg)
{
	if (answer_diags_add(d, file, 0, 0, false, msg) < 0)
		d->n_errors++;
}

static void wipe_free(char *b, size_t size)
{
	if (b)
		explicit_bzero(b, size);
	free(b);
}

/* Reads all of @fd (at most TOML_MAX_INPUT bytes) into *buf; it may hold a password, so
 * every copy given up on the way is wiped. */
static int read_all_wiped(int fd, char **buf, size_t *len)
{
	size_t cap = 0, n = 0;
	char *b = NULL;

	for (;;) {
		ssize_t r;

		if (n == cap) {
			/* grown by hand: realloc would free the old copy without wiping it */
			size_t ncap = cap ? cap * 2 : 16384;
			char *nb = malloc(ncap);

			if (!nb) {
				wipe_free(b, cap);
				return -ENOMEM;
			}
			if (n)
				memcpy(nb, b, n);
			wipe_free(b, cap);
			b = nb;
			cap = ncap;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int ret = -errno;

			wipe_free(b, cap);
			return ret;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > TOML_MAX_INPUT) {
			wipe_free(b, cap);
			return -EFBIG;
		}
	}
	*buf = b;
	*len = n;
	return 0;
}

int answer_read_fd(int fd, const char *name, unsigned flags, struct answer **out,
		   struct answer_diags *diags)
{
	struct answer_diags local = { 0 };
	char msg[512];
	size_t len = 0;
	char *buf = NULL;
	int ret;

	*out = NULL;
	if (!diags)
		diags = &local;
	ret = read_all_wiped(fd, &buf, &len);
	if (ret == -EFBIG) {
		snprintf(msg, sizeof(msg), "file is larger than %u bytes", TOML_MAX_INPUT);
		load_fail(diags, name, msg);
	} else if (ret < 0) {
		snprintf(msg, sizeof(msg), "cannot read file: %s", strerror(-ret));
		load_fail(diags, name, msg);
	} else {
		ret = answer_parse(buf, len, name, flags, out, diags);
		/* the buffer holds any password or token in the clear */
		explicit_bzero(buf, len);
		free(buf);
	}
	answer_diags_release(&local);
	return ret;
}

int answer_load(const char *path, unsigned flags, struct answer **out,
		struct answer_diags *diags)
{
	struct answer_diags local = { 0 };
	char msg[512];
	struct stat st;
	int fd, ret;

	*out = NULL;
	if (!diags)
		diags = &local;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(msg, sizeof(msg), "cannot read file: %s", strerror(-ret));
		goto out_msg;
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		snprintf(msg, sizeof(msg), "cannot read file: %s", strerror(-ret));
		close(fd);
		goto out_msg;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		snprintf(msg, sizeof(msg), "not a regular file");
		close(fd);
		goto out_msg;
	}
	if ((uint64_t)st.st_size > TOML_MAX_INPUT) {
		ret = -EFBIG;
		snprintf(msg, sizeof(msg), "file is larger than %u bytes", TOML_MAX_INPUT);
		close(fd);
		goto out_msg;
	}
	ret = answer_read_fd(fd, path, flags, out, diags);
	close(fd);
	answer_diags_release(&local);
	return ret;

out_msg:
	load_fail(diags, path, msg);
	answer_diags_release(&local);
	return ret;
}

int answer_hash_root_password(struct answer *a, struct ip_err *err)
{
	char hash[PASSWD_HASH_MAX];
	char *dup;
	int ret;

	if (!a->global.root_password)
		return 0;
	ret = passwd_hash(a->global.root_password, NULL, hash, sizeof(hash), err);
	if (ret < 0)
		return ret;
	dup = strdup(hash);
	explicit_bzero(hash, sizeof(hash));
	if (!dup)
		return ip_err_set(err, -ENOMEM, "cannot hash password: out of memory");
	free_secret(a->global.root_password_hashed);
	a->global.root_password_hashed = dup;
	free_secret(a->global.root_password);
	a->global.root_password = NULL;
	return 0;
}
