// SPDX-License-Identifier: GPL-2.0-or-later
/* hw_detect(): run every probe under a sysroot; shared helpers for the probes. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detect/hw-probe.h"
#include "path.h"
#include "util.h"

#define HW_NOTES_MAX 256

int hw_note(struct hw *hw, const char *fmt, ...)
{
	char **nn;
	char *msg;
	va_list ap;
	int n;

	if (hw->n_notes >= HW_NOTES_MAX)
		return 0;
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	if (hw->n_notes + 1 == HW_NOTES_MAX) {
		free(msg);
		msg = strdup("too many notes, ignoring the rest");
		if (!msg)
			return -ENOMEM;
	}
	nn = realloc(hw->notes, (hw->n_notes + 1) * sizeof(*nn));
	if (!nn) {
		free(msg);
		return -ENOMEM;
	}
	hw->notes = nn;
	hw->notes[hw->n_notes++] = msg;
	return 0;
}

ssize_t hw_attr_str(struct hw *hw, const char *path, char *buf, size_t size, bool optional)
{
	ssize_t n = path_read_str(hw->sysroot, path, buf, size);

	if (n < 0) {
		buf[0] = '\0';
		if (!(optional && n == -ENOENT))
			hw_note(hw, "cannot read '%s': %s, ignoring", path, strerror((int)-n));
		return n;
	}
	if (memchr(buf, '\0', (size_t)n)) {
		hw_note(hw, "binary data in '%s', ignoring", path);
		buf[0] = '\0';
		return -EINVAL;
	}
	return n;
}

int hw_attr_u64(struct hw *hw, const char *path, uint64_t *val, bool optional)
{
	char buf[64];
	ssize_t n = hw_attr_str(hw, path, buf, sizeof(buf), optional);
	int ret;

	if (n < 0)
		return (int)n;
	ret = ip_strtou64(buf, 0, val);
	if (ret < 0)
		hw_note(hw, "cannot parse '%s' in '%s': not a number, ignoring", buf, path);
	return ret;
}

int hw_readlink(const struct hw *hw, const char *path, char *buf, size_t size)
{
	char full[PATH_MAX];
	ssize_t n;
	int ret;

	ret = path_join(full, sizeof(full), hw->sysroot, path);
	if (ret < 0)
		return ret;
	n = readlink(full, buf, size);
	if (n < 0)
		return -errno;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int hw_list_dir(const struct hw *hw, const char *path, char ***names, size_t *n)
{
	char full[PATH_MAX];
	struct dirent *e;
	char **v = NULL;
	size_t cnt = 0;
	DIR *d;
	int ret;

	*names = NULL;
	*n = 0;
	ret = path_join(full, sizeof(full), hw->sysroot, path);
	if (ret < 0)
		return ret;
	d = opendir(full);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char **nv;

		if (e->d_name[0] == '.')
			continue;
		nv = realloc(v, (cnt + 1) * sizeof(*v));
		if (!nv)
			goto out_nomem;
		v = nv;
		v[cnt] = strdup(e->d_name);
		if (!v[cnt])
			goto out_nomem;
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmp_names);
	*names = v;
	*n = cnt;
	return 0;
out_nomem:
	closedir(d);
	hw_names_free(v, cnt);
	return -ENOMEM;
}

void hw_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

bool hw_class_is_display(uint32_t class_code)
{
	unsigned cls = class_code >> 8;

	return cls == 0x0300 || cls == 0x0302 || cls == 0x0380;
}

const struct hw_pci_dev *hw_pci_find(const struct hw *hw, const char *addr)
{
	for (size_t i = 0; i < hw->n_pci; i++)
		if (!strcasecmp(hw->pci[i].addr, addr))
			return &hw->pci[i];
	return NULL;
}

ssize_t hw_pci_index(const struct hw *hw, unsigned domain, unsigned bus, unsigned dev,
		     unsigned func)
{
	for (size_t i = 0; i < hw->n_pci; i++) {
		const struct hw_pci_dev *p = &hw->pci[i];

		if (p->domain == domain && p->bus == bus && p->dev == dev && p->func == func)
			return (ssize_t)i;
	}
	return -1;
}

static int hw_check_sysroot(const char *sysroot, struct ip_err *err)
{
	struct stat st;

	if (!*sysroot)
		return 0;
	if (stat(sysroot, &st) < 0)
		return ip_err_errno(err, -errno, "cannot read sysroot '%s'", sysroot);
	if (!S_ISDIR(st.st_mode))
		return ip_err_set(err, -ENOTDIR, "cannot read sysroot '%s': Not a directory",
				  sysroot);
	if (!path_exists(sysroot, "/sys") && !path_exists(sysroot, "/proc"))
		return ip_err_set(err, -ENOENT,
				  "sysroot '%s' holds neither 'sys' nor 'proc': not a system tree",
				  sysroot);
	return 0;
}

int hw_detect(const char *sysroot, struct hw *hw, struct ip_err *err)
{
	static int (*const probes[])(struct hw *) = {
		hw_pci_scan, hw_iommu_read, hw_gpu_build, hw_cpu_read, hw_disk_scan,
		hw_net_scan, hw_mem_read, hw_fw_read, hw_dmi_read,
	};
	int ret;

	memset(hw, 0, sizeof(*hw));
	if (!sysroot || !strcmp(sysroot, "/"))
		sysroot = "";
	if (strlen(sysroot) >= sizeof(hw->sysroot))
		return ip_err_set(err, -ENAMETOOLONG, "sysroot '%s' is too long", sysroot);
	ret = hw_check_sysroot(sysroot, err);
	if (ret < 0)
		return ret;
	snprintf(hw->sysroot, sizeof(hw->sysroot), "%s", sysroot);
	hw->irq_remap = HW_UNKNOWN;
	hw->secure_boot = HW_UNKNOWN;
	for (size_t i = 0; i < ARRAY_SIZE(probes); i++) {
		ret = probes[i](hw);
		if (ret < 0) {
			hw_release(hw);
			return ip_err_errno(err, ret, "cannot detect hardware under '%s'",
					    *sysroot ? sysroot : "/");
		}
	}
	return 0;
}

void hw_release(struct hw *hw)
{
	if (!hw)
		return;
	for (size_t i = 0; i < hw->n_groups; i++)
		free(hw->groups[i].devs);
	for (size_t i = 0; i < hw->n_gpus; i++)
		free(hw->gpus[i].intruders);
	for (size_t i = 0; i < hw->n_notes; i++)
		free(hw->notes[i]);
	free(hw->pci);
	free(hw->groups);
	free(hw->gpus);
	free(hw->disks);
	free(hw->nics);
	free(hw->notes);
	memset(hw, 0, sizeof(*hw));
}
