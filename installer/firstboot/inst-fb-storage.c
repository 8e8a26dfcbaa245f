// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which storage takes the template's disks on a host that already runs
 * Proxmox VE: /etc/pve/storage.cfg is read (sections "TYPE: ID", then
 * tab-indented "key value" lines); the first storage that is not disabled
 * and whose content has "images" is it, in the file's order (a default node
 * has `dir: local` without images, then local-lvm, local-zfs or local-btrfs).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firstboot/inst-firstboot.h"
#include "path.h"
#include "util.h"

#define STORAGE_CFG "/etc/pve/storage.cfg"

struct section {
	char id[64];
	bool images, disabled;
};

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] ? 1 : 0))
		if (!strncmp(p, word, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

static bool usable(const struct section *s)
{
	return s->id[0] && s->images && !s->disabled;
}

int inst_fb_host_storage(const char *root, char *out, size_t size, struct ip_err *err)
{
	_cleanup_free_ char *text = NULL;
	struct section cur = { 0 };
	char *line, *save = NULL;
	size_t len;
	int ret;

	ret = path_read_all(root, STORAGE_CFG, 1u << 20, &text, &len);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot read '%s' (is this a Proxmox VE host?)",
				    STORAGE_CFG);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != ' ' && line[0] != '\t') {
			const char *colon = strchr(line, ':');

			if (line[0] == '#' || !colon)
				continue;
			if (usable(&cur))
				break;
			memset(&cur, 0, sizeof(cur));
			colon++;
			colon += strspn(colon, " \t");
			snprintf(cur.id, sizeof(cur.id), "%.*s", (int)strcspn(colon, " \t"), colon);
			continue;
		}
		line += strspn(line, " \t");
		if (str_startswith(line, "content ") || str_startswith(line, "content\t"))
			cur.images = has_word(line + 8 + strspn(line + 8, " \t"), "images");
		else if (str_startswith(line, "disable"))
			cur.disabled = true;
	}
	if (!usable(&cur))
		return ip_err_set(err, -ENOENT, "no storage in '%s' takes VM disks (content images); "
				  "name one with [vm-template] storage", STORAGE_CFG);
	if (strlen(cur.id) >= size)
		return ip_err_set(err, -ENAMETOOLONG, "storage id '%s' is too long", cur.id);
	memcpy(out, cur.id, strlen(cur.id) + 1);
	return 0;
}
