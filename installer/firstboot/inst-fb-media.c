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
