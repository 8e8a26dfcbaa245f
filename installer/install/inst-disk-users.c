// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Who uses a disk the install is about to write to (design §5 "Safety"):
 * for the disk and each of its partitions, mounts (<sysroot>/proc/self/
 * mountinfo), active swap (<sysroot>/proc/swaps), holders in sysfs (device
 * mapper: LVM, dm-crypt; md arrays) and, where none of those explains it,
 * an exclusive open by someone else (open(O_EXCL) fails with EBUSY on a
 * block device somebody has claimed). An LVM volume that is active but
 * unused is not a refusal: its volume group is deactivated before anything
 * is written (vgchange -a n), and the checks run again after that.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "install/inst-disk.h"
#include "path.h"
#include "util.h"

#define PROC_TEXT_MAX (4u << 20)

/*
 * "\040" and friends, as the kernel escapes mountinfo and swaps fields (it
 * escapes blanks and backslashes only); "\000" stays as it is: a NUL would
 * cut the field short.
 */
static void unescape_octal(char *s)
{
	char *w = s;

	for (const char *r = s; *r;) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7' && (r[1] != '0' || r[2] != '0' || r[3] != '0')) {
			*w++ = (char)((r[1] - '0') << 6 | (r[2] - '0') << 3 | (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* the next space-separated field of *p into buf; false when there is none */
static bool field(const char **p, char *buf, size_t size)
{
	const char *s = *p + strspn(*p, " \t");
	size_t n = strcspn(s, " \t\n");

	if (!n)
		return false;
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*p = s + strcspn(s, " \t\n");
	return true;
}

int inst_mountinfo_line(const char *line, struct inst_mnt *m)
{
	char id[32], parent[32], devno[32], root[PATH_MAX], opts[PATH_MAX], sep[PATH_MAX];
	const char *p = line;
	char *end;
	unsigned long ma, mi;

	memset(m, 0, sizeof(*m));
	if (!field(&p, id, sizeof(id)) || !field(&p, parent, sizeof(parent)) ||
	    !field(&p, devno, sizeof(devno)) || !field(&p, root, sizeof(root)) ||
	    !field(&p, m->target, sizeof(m->target)) || !field(&p, opts, sizeof(opts)))
		return -EINVAL;
	/* "MAJOR:MINOR", both decimal digits (strtoul alone takes "", "+1", " 1") */
	if (!isdigit((unsigned char)devno[0]))
		return -EINVAL;
	errno = 0;
	ma = strtoul(devno, &end, 10);
	if (errno || *end != ':' || !isdigit((unsigned char)end[1]))
		return -EINVAL;
	mi = strtoul(end + 1, &end, 10);
	if (errno || *end || ma > UINT32_MAX || mi > UINT32_MAX)
		return -EINVAL;
	m->major = (unsigned)ma;
	m->minor = (unsigned)mi;
	/* optional fields up to the "-" separator */
	do {
		if (!field(&p, sep, sizeof(sep)))
			return -EINVAL;
	} while (strcmp(sep, "-") != 0);
	if (!field(&p, m->fstype, sizeof(m->fstype)))
		return -EINVAL;
	if (!field(&p, m->source, sizeof(m->source)))
		snprintf(m->source, sizeof(m->source), "none");
	unescape_octal(m->target);
	unescape_octal(m->source);
	return 0;
}

void inst_dev_name_of(const char *sysroot, const char *path, char *out, size_t size)
{
	DIR *d;
	struct dirent *e;
	char dir[PATH_MAX];

	out[0] = '\0';
	if (!str_startswith(path, "/dev/"))
		return;
	path += 5;
	if (!str_startswith(path, "mapper/")) {
		if (!strchr(path, '/'))
			snprintf(out, size, "%s", path);
		return;
	}
	path += 7;
	if (path_join(dir, sizeof(dir), sysroot, "/sys/block") < 0 || !(d = opendir(dir)))
		return;
	while ((e = readdir(d))) {
		char rel[NAME_MAX + 32], name[256];

		if (!str_startswith(e->d_name, "dm-"))
			continue;
		snprintf(rel, sizeof(rel), "/sys/block/%s/dm/name", e->d_name);
		if (path_read_str(sysroot, rel, name, sizeof(name)) >= 0 && !strcmp(name, path)) {
			snprintf(out, size, "%s", e->d_name);
			break;
		}
	}
	closedir(d);
}

/* One device the install writes to, or a holder of one. */
struct dev {
	char name[64];			/* "vda2", "dm-0" */
	char sys[PATH_MAX];		/* its sysfs directory, relative to the sysroot */
	unsigned major, minor;
};

static int dev_load(const char *sysroot, const char *name, const char *sys, struct dev *d)
{
	char rel[PATH_MAX + 8], num[32];

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->sys, sizeof(d->sys), "%s", sys);
	snprintf(rel, sizeof(rel), "%s/dev", sys);
	if (path_read_str(sysroot, rel, num, sizeof(num)) < 0 ||
	    sscanf(num, "%u:%u", &d->major, &d->minor) != 2)
		d->major = d->minor = UINT32_MAX;	/* unknown: matched by name only */
	return 0;
}

struct users_ctx {
	const char *sysroot;
	char *mountinfo;		/* the texts, read once */
	char *swaps;
	struct inst_disk_users *u;
};

static void add_busy(struct inst_disk_users *u, const char *dev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_busy(struct inst_disk_users *u, const char *dev, const char *fmt, ...)
{
	va_list ap;

	if (u->n_busy == INST_USERS_MAX) {
		u->more = true;
		return;
	}
	snprintf(u->busy[u->n_busy].dev, sizeof(u->busy[0].dev), "/dev/%s", dev);
	va_start(ap, fmt);
	vsnprintf(u->busy[u->n_busy].what, sizeof(u->busy[0].what), fmt, ap);
	va_end(ap);
	u->n_busy++;
}

/* Where @d is mounted, into @buf ("" when it is not). */
static void mounted_on(const struct users_ctx *c, const struct dev *d, char *buf, size_t size)
{
	const char *line = c->mountinfo;

	buf[0] = '\0';
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char one[PATH_MAX * 2], name[64];
		struct inst_mnt m;
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		snprintf(one, sizeof(one), "%.*s", (int)n, line);
		line = nl ? nl + 1 : NULL;
		if (inst_mountinfo_line(one, &m) < 0)
			continue;
		inst_dev_name_of(c->sysroot, m.source, name, sizeof(name));
		if ((d->major != UINT32_MAX && m.major == d->major && m.minor == d->minor) ||
		    (name[0] && !strcmp(name, d->name))) {
			snprintf(buf, size, "%s", m.target);
			return;
		}
	}
}

static bool is_swap(const struct users_ctx *c, const struct dev *d)
{
	const char *line = c->swaps;

	while (line && *line) {
		const char *p = line, *nl = strchr(line, '\n');
		char path[PATH_MAX], name[64];

		line = nl ? nl + 1 : NULL;
		if (!field(&p, path, sizeof(path)) || path[0] != '/')
			continue;	/* the header line, or garbage */
		unescape_octal(path);
		inst_dev_name_of(c->sysroot, path, name, sizeof(name));
		if (name[0] && !strcmp(name, d->name))
			return true;
	}
	return false;
}

char **inst_sysfs_list(const char *sysroot, const char *sys, const char *sub, size_t *n)
{
	char rel[PATH_MAX + 16], dir[PATH_MAX];
	struct dirent **ents = NULL;
	char **names = NULL;
	int k;

	*n = 0;
	snprintf(rel, sizeof(rel), "%s/%s", sys, sub);
	if (path_join(dir, sizeof(dir), sysroot, rel) < 0)
		return NULL;
	k = scandir(dir, &ents, NULL, versionsort);
	for (int i = 0; i < k; i++) {
		char **grow;

		if (ents[i]->d_name[0] != '.' &&
		    (grow = realloc(names, (*n + 1) * sizeof(*names)))) {
			names = grow;
			names[*n] = strdup(ents[i]->d_name);
			if (names[*n])
				(*n)++;
		}
		free(ents[i]);
	}
	free(ents);
	return names;
}

void inst_sysfs_list_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Somebody holds <sysroot>/dev/NAME exclusively (a claimed block device refuses O_EXCL). */
static bool claimed(const char *sysroot, const char *name)
{
	char rel[128], path[PATH_MAX];
	int fd;

	if (snprintf(rel, sizeof(rel), "/dev/%s", name) >= (int)sizeof(rel) ||
	    path_join(path, sizeof(path), sysroot, rel) < 0)
		return false;
	fd = open(path, O_RDONLY | O_EXCL | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0) {
		close(fd);
		return false;
	}
	return errno == EBUSY;
}

/* "data-lv--0" → vg "data", lv "lv-0" (device mapper doubles the dashes of names). */
void inst_dm_lvm_name(const char *dm, char *vg, size_t vgsize, char *lv, size_t lvsize)
{
	size_t n = 0;
	const char *p = dm;

	for (; *p; p++) {
		if (p[0] == '-' && p[1] == '-') {
			p++;
		} else if (*p == '-') {
			p++;
			break;
		}
		if (n + 1 < vgsize)
			vg[n++] = *p;
	}
	if (vgsize)
		vg[n < vgsize ? n : vgsize - 1] = '\0';
	n = 0;
	for (; *p; p++) {
		if (p[0] == '-' && p[1] == '-')
			p++;
		if (n + 1 < lvsize)
			lv[n++] = *p;
	}
	if (lvsize)
		lv[n < lvsize ? n : lvsize - 1] = '\0';
}

static void add_idle_vg(struct inst_disk_users *u, const char *vg)
{
	for (size_t i = 0; i < u->n_idle_vg; i++)
		if (!strcmp(u->idle_vg[i], vg))
			return;
	if (u->n_idle_vg < INST_VG_MAX)
		snprintf(u->idle_vg[u->n_idle_vg++], sizeof(u->idle_vg[0]), "%s", vg);
}

/*
 * Why @d is in use, as text ("" when it is not): a mount, swap, a holder of
 * its own (recursively, @depth bounded), or an exclusive open.
 */
static void in_use(const struct users_ctx *c, const struct dev *d, int depth, bool claim,
		   char *why, size_t size);

/* Describe holder @h of a device; idle LVM volumes are noted for deactivation. */
static void holder(const struct users_ctx *c, const char *of, const char *h, int depth,
		   struct strbuf *sb)
{
	char sys[PATH_MAX], rel[PATH_MAX + 16], dmname[256] = "", uuid[256] = "", why[512];
	char vg[128], lv[128];
	struct dev hd;
	bool lvm;

	snprintf(sys, sizeof(sys), "/sys/block/%s", h);
	dev_load(c->sysroot, h, sys, &hd);
	snprintf(rel, sizeof(rel), "%s/dm/name", sys);
	path_read_str(c->sysroot, rel, dmname, sizeof(dmname));
	snprintf(rel, sizeof(rel), "%s/dm/uuid", sys);
	path_read_str(c->sysroot, rel, uuid, sizeof(uuid));
	lvm = str_startswith(uuid, "LVM-");
	in_use(c, &hd, depth + 1, true, why, sizeof(why));
	if (lvm) {
		inst_dm_lvm_name(dmname, vg, sizeof(vg), lv, sizeof(lv));
		/* an active, unused volume right on the disk: its group is stopped first */
		if (!why[0] && vg[0] && depth == 0) {
			add_idle_vg(c->u, vg);
			return;
		}
		sb_printf(sb, "%sheld by '%s' (LVM volume '%s/%s'%s%s)", sb->len ? "; " : "", h, vg,
			  lv, why[0] ? ", " : "", why[0] ? why : "");
	} else if (str_startswith(h, "md")) {
		sb_printf(sb, "%sheld by '%s' (RAID array%s%s)", sb->len ? "; " : "", h,
			  why[0] ? ", " : "", why);
	} else {
		sb_printf(sb, "%sheld by '%s' (%s%s%s%s)", sb->len ? "; " : "", h,
			  str_startswith(uuid, "CRYPT-") ? "dm-crypt '" : "device mapper '",
			  dmname[0] ? dmname : h, why[0] ? "', " : "'", why);
	}
	(void)of;
}

/* @claim: also try an exclusive open when nothing else explains a use */
static void in_use(const struct users_ctx *c, const struct dev *d, int depth, bool claim,
		   char *why, size_t size)
{
	struct strbuf sb = { 0 };
	char mnt[PATH_MAX];
	char **holders;
	size_t n;

	mounted_on(c, d, mnt, sizeof(mnt));
	if (mnt[0])
		sb_printf(&sb, "mounted on '%s'", mnt);
	if (is_swap(c, d))
		sb_printf(&sb, "%sactive swap", sb.len ? "; " : "");
	holders = depth < 4 ? inst_sysfs_list(c->sysroot, d->sys, "holders", &n) : NULL;
	for (size_t i = 0; holders && i < n; i++)
		holder(c, d->name, holders[i], depth, &sb);
	if (claim && !sb.len && !(holders && n) && claimed(c->sysroot, d->name))
		sb_puts(&sb, "opened exclusively by another program");
	inst_sysfs_list_free(holders, holders ? n : 0);
	snprintf(why, size, "%s", sb.buf ? sb.buf : "");
	sb_release(&sb);
}

int inst_disk_users(const char *sysroot, const char *disk, struct inst_disk_users *u,
		    struct ip_err *err)
{
	struct users_ctx c = { .sysroot = sysroot, .u = u };
	char sys[PATH_MAX], why[1024];
	char **parts;
	size_t n = 0, len;
	unsigned part_busy = 0;
	struct dev d;
	int ret;

	memset(u, 0, sizeof(*u));
	if (strchr(disk, '/') || !disk[0])
		return ip_err_set(err, -EINVAL, "invalid disk name '%s'", disk);
	ret = path_read_all(sysroot, "/proc/self/mountinfo", PROC_TEXT_MAX, &c.mountinfo, &len);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot read '/proc/self/mountinfo' to see whether "
				    "'%s' is in use", disk);
	ret = path_read_all(sysroot, "/proc/swaps", PROC_TEXT_MAX, &c.swaps, &len);
	if (ret < 0 && ret != -ENOENT) {
		free(c.mountinfo);
		return ip_err_errno(err, ret, "cannot read '/proc/swaps' to see whether '%s' is "
				    "in use", disk);
	}
	/*
	 * The partitions first: a claimed partition (mounted, swap …) makes an
	 * exclusive open of the whole disk fail too, which says nothing more.
	 */
	snprintf(sys, sizeof(sys), "/sys/block/%s", disk);
	parts = inst_sysfs_list(sysroot, sys, "", &n);
	for (size_t i = 0; parts && i < n; i++) {
		char psys[PATH_MAX], rel[PATH_MAX];
		struct dev pd;

		if (snprintf(psys, sizeof(psys), "%s/%s", sys, parts[i]) >= (int)sizeof(psys) ||
		    snprintf(rel, sizeof(rel), "%s/%s/partition", sys, parts[i]) >=
			    (int)sizeof(rel) || !path_exists(sysroot, rel))
			continue;
		dev_load(sysroot, parts[i], psys, &pd);
		in_use(&c, &pd, 0, true, why, sizeof(why));
		if (why[0]) {
			part_busy++;
			add_busy(u, parts[i], "%s", why);
		}
	}
	inst_sysfs_list_free(parts, parts ? n : 0);
	dev_load(sysroot, disk, sys, &d);
	in_use(&c, &d, 0, part_busy == 0, why, sizeof(why));
	if (why[0]) {
		/* the disk itself goes first in what is shown */
		memmove(&u->busy[1], &u->busy[0],
			(u->n_busy < INST_USERS_MAX ? u->n_busy : INST_USERS_MAX - 1) *
				sizeof(u->busy[0]));
		if (u->n_busy == INST_USERS_MAX)
			u->more = true;
		else
			u->n_busy++;
		snprintf(u->busy[0].dev, sizeof(u->busy[0].dev), "/dev/%s", disk);
		snprintf(u->busy[0].what, sizeof(u->busy[0].what), "%s", why);
	}
	free(c.mountinfo);
	free(c.swaps);
	return 0;
}

void inst_disk_users_str(const struct inst_disk_users *u, char *buf, size_t size)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; i < u->n_busy; i++)
		sb_printf(&sb, "%s'%s' is in use: %s", i ? "; " : "", u->busy[i].dev,
			  u->busy[i].what);
	if (u->more)
		sb_puts(&sb, "; and more");
	snprintf(buf, size, "%s", sb.buf ? sb.buf : "");
	sb_release(&sb);
}
