// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GRUB's http module for the PXE tree. Debian's signed GRUB netboot image has
 * TFTP built in but not HTTP; without Secure Boot it loads modules from
 * $prefix (the TFTP server's /grub), so the tree carries http.mod and the
 * modules it needs. A module only fits the GRUB it was built with: they are
 * copied when grub-efi-amd64-bin's version (modinfo.sh) is the one in the
 * signed image's SBAT entry ("…,grub2,<version>,…").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bld-pxe.h"
#include "path.h"
#include "util.h"

#define GRUB_MOD_DIR "/usr/lib/grub/x86_64-efi"
#define GRUB_SIGNED_NET "/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed"
#define MOD_MAX 16			/* http and what it needs: 6 in bookworm */

/* grub_package_version="…" of modinfo.sh into @out; -ENODATA when absent */
static int bin_version(const char *modinfo, char *out, size_t out_len)
{
	static const char key[] = "\ngrub_package_version=\"";
	const char *p = strstr(modinfo, key), *end;

	if (!p)
		return -ENODATA;
	p += strlen(key);
	end = strchr(p, '"');
	if (!end || end == p || (size_t)(end - p) >= out_len || memchr(p, '\n', end - p))
		return -ENODATA;
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
	return 0;
}

/* The dependencies of @name in moddep.lst ("name: dep dep"), appended to @mods once each. */
static int add_with_deps(const char *moddep, const char *name, char mods[][32], size_t *n)
{
	char line_key[40];
	const char *p;

	for (size_t i = 0; i < *n; i++)
		if (!strcmp(mods[i], name))
			return 0;
	if (*n >= MOD_MAX || strlen(name) >= sizeof(mods[0]))
		return -E2BIG;
	snprintf(mods[(*n)++], sizeof(mods[0]), "%s", name);
	snprintf(line_key, sizeof(line_key), "%s:", name);
	for (p = moddep; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		const char *eol = strchrnul(p, '\n'), *w;

		if (strncmp(p, line_key, strlen(line_key)) != 0)
			continue;
		for (w = p + strlen(line_key); w < eol;) {
			char dep[32];
			size_t l;
			int ret;

			w += strspn(w, " \t");
			l = strcspn(w, " \t\n");
			if (l == 0)
				break;
			if (l >= sizeof(dep))
				return -E2BIG;
			memcpy(dep, w, l);
			dep[l] = '\0';
			ret = add_with_deps(moddep, dep, mods, n);
			if (ret < 0)
				return ret;
			w += l;
		}
		return 0;
	}
	return -ENOENT;			/* not in moddep.lst: not a module of this GRUB */
}

int bld_pxe_grub_http_modules(const char *host_root, const char *tftp_dir, char *why,
			      size_t why_len, struct ip_err *err)
{
	char version[128], sbat[160], mods[MOD_MAX][32], rel[64], dst[80];
	char *modinfo = NULL, *image = NULL, *moddep = NULL, *data = NULL;
	size_t len, image_len, n = 0;
	int ret;

	why[0] = '\0';
	ret = path_read_all(host_root, GRUB_MOD_DIR "/modinfo.sh", 1u << 20, &modinfo, &len);
	if (ret == 0)
		ret = bin_version(modinfo, version, sizeof(version));
	if (ret < 0) {
		snprintf(why, why_len, "GRUB's modules (grub-efi-amd64-bin) are not installed");
		ret = 0;
		goto out;
	}
	ret = path_read_all(host_root, GRUB_SIGNED_NET, 64u << 20, &image, &image_len);
	if (ret < 0) {
		ret = ip_err_errno(err, ret, "cannot read '%s'", GRUB_SIGNED_NET);
		goto out;
	}
	snprintf(sbat, sizeof(sbat), ",grub2,%s,", version);
	if (!memmem(image, image_len, sbat, strlen(sbat))) {
		snprintf(why, why_len, "grub-efi-amd64-bin %s is not the version of the signed "
			 "GRUB netboot image (grub-efi-amd64-signed): install the same version of "
			 "both", version);
		ret = 0;
		goto out;
	}
	ret = path_read_all(host_root, GRUB_MOD_DIR "/moddep.lst", 1u << 20, &moddep, &len);
	if (ret == 0)
		ret = add_with_deps(moddep, "http", mods, &n);
	if (ret < 0) {
		snprintf(why, why_len, "GRUB's moddep.lst has no http module");
		ret = 0;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(rel, sizeof(rel), GRUB_MOD_DIR "/%s.mod", mods[i]);
		snprintf(dst, sizeof(dst), "grub/x86_64-efi/%s.mod", mods[i]);
		free(data);
		data = NULL;
		ret = path_read_all(host_root, rel, 16u << 20, &data, &len);
		if (ret < 0) {
			ret = ip_err_errno(err, ret, "cannot read '%s'", rel);
			goto out;
		}
		ret = path_write_file(tftp_dir, dst, data, len, 0644);
		if (ret < 0) {
			ret = ip_err_errno(err, ret, "cannot write '%s/%s'", tftp_dir, dst);
			goto out;
		}
	}
	ret = 1;
out:
	free(modinfo);
	free(image);
	free(moddep);
	free(data);
	return ret;
}
