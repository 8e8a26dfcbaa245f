// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ISOs of the template's CD drives (the Windows ISO on ide2, virtio-win
 * on ide0): fetched at first boot into the node's ISO storage when the
 * answer gave an https URL (SHA-256 checked, progress in the log); a drive
 * whose ISO is missing stays empty, and the message says exactly which file
 * to put where and the qm command that inserts it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "firstboot/inst-firstboot.h"
#include "install/inst-http.h"
#include "log.h"
#include "path.h"
#include "util.h"

#define MEDIA_MAX_BYTES (64ULL << 30)	/* no ISO is larger */

int inst_fb_media_add(struct inst_fb_conf *c, const char *key, const char *what,
		      const char *volume, const char *url, const char *sha256)
{
	struct inst_fb_media *m = realloc(c->media, (c->n_media + 1) * sizeof(*m));

	if (!m)
		return -ENOMEM;
	c->media = m;
	m = &c->media[c->n_media];
	memset(m, 0, sizeof(*m));
	m->key = strdup(key);
	m->what = strdup(what);
	m->volume = xstrdup_or_null(volume);
	m->url = xstrdup_or_null(url);
	m->sha256 = xstrdup_or_null(sha256);
	c->n_media++;
	if (!m->key || !m->what || (volume && !m->volume) || (url && !m->url) ||
	    (sha256 && !m->sha256))
		return -ENOMEM;
	return 0;
}

static const struct {
	const char *store, *dir;
} iso_dirs[] = {
	{ "local", "/var/lib/vz/template/iso" },
	{ "local-btrfs", "/var/lib/pve/local-btrfs/template/iso" },
};

const char *inst_fb_iso_dir(const char *volume, char *name, size_t size)
{
	const char *sep = volume ? strstr(volume, ":iso/") : NULL;
	size_t n;

	if (!sep)
		return NULL;
	n = strcspn(sep + 5, ",");
	if (!n || n >= size || memchr(sep + 5, '/', n) || sep[5] == '.')
		return NULL;
	memcpy(name, sep + 5, n);
	name[n] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(iso_dirs); i++)
		if (strlen(iso_dirs[i].store) == (size_t)(sep - volume) &&
		    !strncmp(volume, iso_dirs[i].store, (size_t)(sep - volume)))
			return iso_dirs[i].dir;
	return NULL;
}

char *inst_fb_media_hint(const char *what, const char *key, const char *volume, unsigned vmid)
{
	char name[256], *s = NULL;
	const char *dir = inst_fb_iso_dir(volume, name, sizeof(name));
	int n;

	if (!volume)
		n = asprintf(&s, "no %s was given: VM %u's %s is an empty CD drive; upload the ISO to "
			     "the 'local' storage (ISO images, /var/lib/vz/template/iso/) and run "
			     "`qm set %u --%s local:iso/FILE.iso,media=cdrom`", what, vmid, key, vmid,
			     key);
	else if (dir)
		n = asprintf(&s, "the %s '%s' is not on the node: VM %u's %s is an empty CD drive; put "
			     "'%s' into %s/ and run `qm set %u --%s %.*s,media=cdrom`", what, volume,
			     vmid, key, name, dir, vmid, key, (int)strcspn(volume, ","), volume);
	else
		n = asprintf(&s, "the %s '%s' is not on the node: VM %u's %s is an empty CD drive; add it "
			     "to that storage and run `qm set %u --%s %.*s,media=cdrom`", what,
			     volume, vmid, key, vmid, key, (int)strcspn(volume, ","), volume);
	return n < 0 ? NULL : s;
}

struct progress {
	const char *what;
	int last_tenth;
};

static void on_progress(void *data, unsigned long long got, unsigned long long total)
{
	struct progress *p = data;
	int tenth = total ? (int)(got * 10 / total) : -1;

	if (!total || tenth <= p->last_tenth)
		return;
	p->last_tenth = tenth;
	ip_info("downloading the %s: %.1f of %.1f GiB (%d %%)", p->what, (double)got / (1 << 30),
		(double)total / (1 << 30), tenth * 10);
}

/* GET @m->url into DIR/NAME.part, check the hash, rename: 0, or why not in @err */
static int fetch_one(const struct inst_fb_media *m, const char *root, const char *dir,
		     const char *name, struct ip_err *err)
{
	char rel[PATH_MAX], part[PATH_MAX], full[PATH_MAX];
	struct progress pr = { .what = m->what, .last_tenth = 0 };
	struct inst_http_sink sink = { .progress = on_progress, .data = &pr };
	struct inst_http_opts o = { .timeout_s = 12 * 3600, .tries = 3, .backoff_ms = 5000,
				    .max_size = (size_t)MEDIA_MAX_BYTES, .sink = &sink };
	int ret;

	snprintf(rel, sizeof(rel), "%s/%s", dir, name);
	ret = path_mkdirs(root, dir, 0755);
	if (ret == 0)
		ret = path_join(full, sizeof(full), root, rel);
	if (ret == 0 && (size_t)snprintf(part, sizeof(part), "%s.part", full) >= sizeof(part))
		ret = -ENAMETOOLONG;
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot prepare '%s'", rel);
	sink.fd = open(part, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (sink.fd < 0)
		return ip_err_errno(err, -errno, "cannot create '%s'", part);
	ip_info("downloading the %s into '%s'", m->what, rel);
	ret = inst_http_fetch(m->url, &o, NULL, NULL, NULL, err);
	if (close(sink.fd) < 0 && ret == 0)
		ret = ip_err_errno(err, -errno, "cannot write '%s'", part);
	if (ret == 0 && strcasecmp(sink.sha256, m->sha256))
		ret = ip_err_set(err, -EBADMSG, "the %s has sha256 %s, not the %s the answer gives",
				 m->what, sink.sha256, m->sha256);
	if (ret == 0 && rename(part, full) < 0)
		ret = ip_err_errno(err, -errno, "cannot rename '%s'", part);
	if (ret < 0) {
		unlink(part);
		return ret;
	}
	ip_info("the %s is in '%s' (%llu bytes, sha256 checked)", m->what, rel, sink.bytes);
	return 0;
}

int inst_fb_fetch_media(const struct inst_fb_conf *c, const char *root, unsigned vmid, bool dry,
			struct strbuf *missing)
{
	int n_missing = 0;

	for (size_t i = 0; i < c->n_media; i++) {
		const struct inst_fb_media *m = &c->media[i];
		char name[256], rel[PATH_MAX];
		const char *dir = inst_fb_iso_dir(m->volume, name, sizeof(name));
		struct ip_err err = { 0 };
		_cleanup_free_ char *hint = NULL;

		if (m->volume && !dir)
			continue;	/* another storage: not ours to check */
		if (dir) {
			snprintf(rel, sizeof(rel), "%s/%s", dir, name);
			if (path_exists(root, rel))
				continue;
			if (m->url && m->sha256 && dry) {
				ip_info("dry run: would download the %s into '%s'", m->what, rel);
				continue;
			}
			if (m->url && m->sha256 && fetch_one(m, root, dir, name, &err) == 0)
				continue;
			if (m->url)
				ip_warn("cannot download the %s: %s", m->what, ip_err_msg(&err));
		}
		hint = inst_fb_media_hint(m->what, m->key, m->volume, vmid);
		ip_warn("%s", hint ? hint : "out of memory");
		if (hint && missing) {
			sb_puts(missing, hint);
			sb_puts(missing, "\n");
		}
		n_missing++;
	}
	return n_missing;
}

/* copy @src to root/dir/name through name.part, progress by tenths */
static int copy_iso(const char *src, const char *root, const char *dir, const char *name,
		    const char *what, struct ip_err *err)
{
	char rel[PATH_MAX], full[PATH_MAX], part[PATH_MAX], buf[1 << 16];
	struct progress pr = { .what = what };
	unsigned long long done = 0, total;
	struct stat st;
	int in, out, ret = 0;

	snprintf(rel, sizeof(rel), "%s/%s", dir, name);
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) < 0) {
		ret = ip_err_errno(err, -errno, "cannot read '%s'", src);
		goto out_in;
	}
	total = (unsigned long long)st.st_size;
	ret = path_mkdirs(root, dir, 0755);
	if (ret == 0)
		ret = path_join(full, sizeof(full), root, rel);
	if (ret == 0 && (size_t)snprintf(part, sizeof(part), "%s.part", full) >= sizeof(part))
		ret = -ENAMETOOLONG;
	if (ret < 0) {
		ip_err_errno(err, ret, "cannot prepare '%s'", rel);
		goto out_in;
	}
	out = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		ret = ip_err_errno(err, -errno, "cannot create '%s'", part);
		goto out_in;
	}
	ip_info("copying the %s into '%s'", what, rel);
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf)), w = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = ip_err_errno(err, -errno, "cannot read '%s'", src);
			break;
		}
		if (n == 0)
			break;
		while (w < n) {
			ssize_t k = write(out, buf + w, (size_t)(n - w));

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				ret = ip_err_errno(err, -errno, "cannot write '%s'", part);
				break;
			}
			w += k;
		}
		if (ret < 0)
			break;
		done += (unsigned long long)n;
		on_progress(&pr, done, total);
	}
	if (close(out) < 0 && ret == 0)
		ret = ip_err_errno(err, -errno, "cannot write '%s'", part);
	if (ret == 0 && rename(part, full) < 0)
		ret = ip_err_errno(err, -errno, "cannot rename '%s'", part);
	if (ret < 0)
		unlink(part);
	else
		ip_info("the %s is in '%s' (%llu bytes)", what, rel, done);
out_in:
	if (in >= 0)
		close(in);
	return ret;
}

/* "http://h/x/payload/" → "http://h/x/" (the PXE tree's http root), or NULL */
static char *pxe_base(const char *payload_url)
{
	size_t n = strlen(payload_url);

	while (n && payload_url[n - 1] == '/')
		n--;
	if (n < 8 || strncmp(payload_url + n - 8, "/payload", 8))
		return NULL;
	return strndup(payload_url, n - 7);
}

/* the SHA-256 SHA256SUMS lists for @rel, into @hex */
static int sums_lookup(const char *sums, const char *rel, char hex[65])
{
	for (const char *l = sums; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		size_t len = strcspn(l, "\n");

		if (len == 64 + 2 + strlen(rel) && !strncmp(l + 66, rel, strlen(rel)) &&
		    l[64] == ' ' && l[65] == ' ') {
			memcpy(hex, l, 64);
			hex[64] = '\0';
			return 0;
		}
	}
	return -ENOENT;
}

int inst_fb_carry_media(struct inst_fb_conf *c, const char *sysroot, const char *target,
			const char *payload_url, bool dry, struct ip_err *err)
{
	_cleanup_free_ char *base = NULL, *sums = NULL;
	int ret;

	for (size_t i = 0; i < c->n_media; i++) {
		struct inst_fb_media *m = &c->media[i];
		char name[256], src[PATH_MAX], rel[PATH_MAX], hex[65];
		const char *dir = inst_fb_iso_dir(m->volume, name, sizeof(name));

		if (!m->carried || !dir)
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", INST_FB_MEDIA_ON_MEDIUM, name);
		if (path_exists(sysroot, rel)) {
			if (dry) {
				ip_info("dry run: would copy the %s from '%s'", m->what, rel);
				continue;
			}
			ret = path_join(src, sizeof(src), sysroot, rel);
			if (ret == 0)
				ret = copy_iso(src, target, dir, name, m->what, err);
			if (ret < 0)
				return ret;
			continue;
		}
		if (!payload_url || !(base = base ? base : pxe_base(payload_url))) {
			ip_warn("the image carries no %s ('%s' is missing)", m->what, rel);
			continue;
		}
		if (!sums) {
			struct inst_http_opts o = { .tries = 3, .backoff_ms = 2000, .timeout_s = 60 };
			_cleanup_free_ char *url = NULL;

			if (asprintf(&url, "%sSHA256SUMS", base) < 0)
				return ip_err_set(err, -ENOMEM, "out of memory");
			ret = inst_http_fetch(url, &o, &sums, NULL, NULL, err);
			if (ret < 0)
				return ret;
		}
		snprintf(rel, sizeof(rel), "media/%s", name);
		if (sums_lookup(sums, rel, hex) < 0) {
			ip_warn("the PXE tree carries no %s (no '%s' in its SHA256SUMS)", m->what,
				rel);
			continue;
		}
		free(m->url);
		free(m->sha256);
		m->sha256 = strdup(hex);
		if (asprintf(&m->url, "%s%s", base, rel) < 0)
			m->url = NULL;
		if (!m->url || !m->sha256)
			return ip_err_set(err, -ENOMEM, "out of memory");
		ip_info("the %s comes from the PXE server at first boot", m->what);
	}
	return 0;
}
