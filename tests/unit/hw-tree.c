// SPDX-License-Identifier: GPL-2.0-or-later
/* Temporary sysroot trees for the detector tests (see hw-tree.h). */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hash.h"
#include "hw-tree.h"
#include "path.h"
#include "util.h"

char *hwt_new(void)
{
	char tmpl[] = "/tmp/ironpass-hwt-XXXXXX";
	char *root = mkdtemp(tmpl);

	if (!root)
		fail_msg("mkdtemp: %s", strerror(errno));
	return strdup(root);
}

static int hwt_rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p) < 0 ? -1 : 0;
}

void hwt_free(char *root)
{
	if (root && strncmp(root, "/tmp/ironpass-hwt-", 18) == 0)
		nftw(root, hwt_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

/* nftw has no data pointer: the copy being made */
static struct {
	size_t src_len;
	const char *root;
} copying;

static int hwt_copy_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	const char *rel = p + copying.src_len;
	char *text = NULL;
	size_t len;

	(void)flag;
	(void)ftw;
	if (!*rel)
		return 0;
	if (S_ISDIR(st->st_mode)) {
		if (path_mkdirs(copying.root, rel, st->st_mode & 07777) < 0)
			fail_msg("cannot create '%s%s'", copying.root, rel);
	} else if (S_ISREG(st->st_mode)) {
		if (path_read_all(NULL, p, 1u << 24, &text, &len) < 0 ||
		    path_write_file(copying.root, rel, text, len, st->st_mode & 07777) < 0)
			fail_msg("cannot copy '%s'", p);
		free(text);
	} else {
		fail_msg("'%s': only files and directories are copied", p);
	}
	return 0;
}

void hwt_copy(const char *root, const char *src)
{
	copying.src_len = strlen(src);
	copying.root = root;
	if (nftw(src, hwt_copy_one, 16, FTW_PHYS) != 0)
		fail_msg("cannot copy '%s': %s", src, strerror(errno));
}

/* nftw has no data pointer: the listing being made */
static struct {
	size_t root_len, n, cap;
	char **lines;
} listing;

static int hwt_list_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	const char *rel = p[listing.root_len] ? p + listing.root_len : "/";
	char hex[SHA256_HEX_LEN + 1] = "-", target[PATH_MAX] = "";
	char *line;
	ssize_t n;

	(void)flag;
	(void)ftw;
	if (S_ISREG(st->st_mode) && sha256_file(NULL, p, hex, NULL) < 0)
		fail_msg("cannot hash '%s'", p);
	if (S_ISLNK(st->st_mode) && (n = readlink(p, target, sizeof(target) - 1)) >= 0)
		target[n] = '\0';
	if (asprintf(&line, "%s %o %lld %s%s\n", rel, (unsigned)st->st_mode,
		     S_ISREG(st->st_mode) ? (long long)st->st_size : 0LL,
		     S_ISLNK(st->st_mode) ? "-> " : "", S_ISLNK(st->st_mode) ? target : hex) < 0)
		fail_msg("out of memory");
	if (listing.n == listing.cap) {
		listing.cap = listing.cap ? 2 * listing.cap : 64;
		listing.lines = realloc(listing.lines, listing.cap * sizeof(*listing.lines));
		if (!listing.lines)
			fail_msg("out of memory");
	}
	listing.lines[listing.n++] = line;
	return 0;
}

static int hwt_line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *hwt_listing(const char *root)
{
	struct strbuf sb = { 0 };
	char *out;

	listing.root_len = strlen(root);
	listing.n = 0;
	if (nftw(root, hwt_list_one, 16, FTW_PHYS) != 0)
		fail_msg("cannot list '%s': %s", root, strerror(errno));
	qsort(listing.lines, listing.n, sizeof(*listing.lines), hwt_line_cmp);
	for (size_t i = 0; i < listing.n; i++) {
		sb_puts(&sb, listing.lines[i]);
		free(listing.lines[i]);
	}
	free(listing.lines);
	listing.lines = NULL;
	listing.cap = listing.n = 0;
	out = sb_detach(&sb);
	if (!out)
		fail_msg("out of memory");
	return out;
}

void hwt_bin(const char *root, const char *path, const void *data, size_t len)
{
	int ret = path_write_file(root, path, data, len, 0644);

	if (ret < 0)
		fail_msg("cannot write '%s': %s", path, strerror(-ret));
}

void hwt_file(const char *root, const char *path, const char *content)
{
	hwt_bin(root, path, content, strlen(content));
}

void hwt_link(const char *root, const char *path, const char *target)
{
	char full[PATH_MAX], dir[PATH_MAX];
	char *slash;

	path_join(full, sizeof(full), root, path);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		path_mkdirs(root, dir, 0755);
	}
	unlink(full);
	if (symlink(target, full) < 0)
		fail_msg("cannot link '%s': %s", path, strerror(errno));
}

void hwt_rm(const char *root, const char *path)
{
	char full[PATH_MAX];

	path_join(full, sizeof(full), root, path);
	unlink(full);
}

void hwt_pci(const char *root, const char *addr, uint16_t vendor, uint16_t device,
	     uint32_t class_code, int group, uint64_t bar0, uint64_t bar0_size)
{
	char dir[PATH_MAX], p[PATH_MAX + 64], v[1024];
	uint8_t cfg[256] = { 0 };
	bool bridge = (class_code >> 8) == 0x0604;

	snprintf(dir, sizeof(dir), "/sys/devices/pci0000:00/%s", addr);
	snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s", addr);
	snprintf(v, sizeof(v), "../../../devices/pci0000:00/%s", addr);
	hwt_link(root, p, v);
#define ATTR(name, fmt, val)                                       \
	do {                                                       \
		snprintf(p, sizeof(p), "%s/" name, dir);           \
		snprintf(v, sizeof(v), fmt "\n", val);             \
		hwt_file(root, p, v);                              \
	} while (0)
	ATTR("vendor", "0x%04x", vendor);
	ATTR("device", "0x%04x", device);
	ATTR("class", "0x%06x", class_code);
	ATTR("irq", "%d", 16);
	ATTR("numa_node", "%d", -1);
#undef ATTR
	snprintf(p, sizeof(p), "%s/resource", dir);
	if (bar0_size)
		snprintf(v, sizeof(v), "0x%016llx 0x%016llx 0x0000000000040200\n",
			 (unsigned long long)bar0, (unsigned long long)(bar0 + bar0_size - 1));
	else
		snprintf(v, sizeof(v), "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
	for (int i = 1; i < 13; i++)
		strncat(v, "0x0000000000000000 0x0000000000000000 0x0000000000000000\n",
			sizeof(v) - strlen(v) - 1);
	hwt_file(root, p, v);
	cfg[0] = vendor & 0xff;
	cfg[1] = vendor >> 8;
	cfg[2] = device & 0xff;
	cfg[3] = device >> 8;
	cfg[9] = class_code & 0xff;
	cfg[10] = (class_code >> 8) & 0xff;
	cfg[11] = (class_code >> 16) & 0xff;
	cfg[14] = bridge ? 1 : 0;
	snprintf(p, sizeof(p), "%s/config", dir);
	hwt_bin(root, p, cfg, sizeof(cfg));
	if (group >= 0) {
		snprintf(p, sizeof(p), "%s/iommu_group", dir);
		snprintf(v, sizeof(v), "../../../kernel/iommu_groups/%d", group);
		hwt_link(root, p, v);
		snprintf(p, sizeof(p), "/sys/kernel/iommu_groups/%d/devices/%s", group, addr);
		snprintf(v, sizeof(v), "../../../../devices/pci0000:00/%s", addr);
		hwt_link(root, p, v);
	}
}

const char *hwt_fixture(const char *name)
{
	static char buf[PATH_MAX];
	const char *top = getenv("IRONPASS_TOP");

	snprintf(buf, sizeof(buf), "%s/tests/fixtures/%s", top && *top ? top : ".", name);
	return buf;
}
