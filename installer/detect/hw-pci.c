// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCI devices through libpci, pointed at <sysroot>/sys/bus/pci.
 *
 * libpci reports fatal problems through pacc->error, which must not return
 * (its default calls exit()). Ours longjmps back here and the scan stops
 * with a note. To keep that path rare, every device directory is checked
 * first for the attribute files libpci insists on, and a broken device is
 * skipped with a note instead of being handed to libpci.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pci/pci.h>

#include "detect/hw-probe.h"
#include "log.h"
#include "path.h"
#include "util.h"

#define PCI_DEVS "/sys/bus/pci/devices"

/* libpci callbacks carry no user pointer: one scan at a time per thread. */
static _Thread_local jmp_buf *pci_jmp;
static _Thread_local struct hw *pci_hw;
static _Thread_local char pci_errmsg[512];

static __attribute__((noreturn, format(printf, 1, 2))) void hw_pci_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(pci_errmsg, sizeof(pci_errmsg), msg, ap);
	va_end(ap);
	longjmp(*pci_jmp, 1);
}

static __attribute__((format(printf, 1, 2))) void hw_pci_warning(char *msg, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, msg);
	vsnprintf(buf, sizeof(buf), msg, ap);
	va_end(ap);
	if (pci_hw)
		hw_note(pci_hw, "libpci: %s", buf);
}

static __attribute__((format(printf, 1, 2))) void hw_pci_debug(char *msg, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, msg);
	vsnprintf(buf, sizeof(buf), msg, ap);
	va_end(ap);
	ip_dbg("libpci: %s", buf);
}

/* "0000:01:00.0" in canonical form only (libpci rebuilds the name from the numbers). */
static bool hw_pci_parse_addr(const char *name, unsigned *dom, unsigned *bus, unsigned *dev,
			      unsigned *func)
{
	char canon[32];
	int end = 0;

	if (sscanf(name, "%x:%x:%x.%x%n", dom, bus, dev, func, &end) != 4 || name[end])
		return false;
	if (*dom > 0xffff || *bus > 0xff || *dev > 0x1f || *func > 7)
		return false;
	snprintf(canon, sizeof(canon), "%04x:%02x:%02x.%u", *dom, *bus, *dev, *func);
	return !strcmp(canon, name);
}

/* The files libpci's sysfs back end reads and treats as fatal when unusable. */
static bool hw_pci_dev_usable(struct hw *hw, const char *name)
{
	static const char *const numeric[] = { "vendor", "device", "class", "irq" };
	char path[PATH_MAX], *res = NULL;
	uint64_t v;
	size_t len;
	int ret;

	for (size_t i = 0; i < ARRAY_SIZE(numeric); i++) {
		snprintf(path, sizeof(path), PCI_DEVS "/%s/%s", name, numeric[i]);
		ret = hw_attr_u64(hw, path, &v, false);
		if (ret < 0) {
			hw_note(hw, "skipping PCI device '%s': unusable '%s'", name, numeric[i]);
			return false;
		}
	}
	snprintf(path, sizeof(path), PCI_DEVS "/%s/resource", name);
	ret = path_read_all(hw->sysroot, path, 64 * 1024, &res, &len);
	if (ret < 0) {
		hw_note(hw, "skipping PCI device '%s': cannot read 'resource': %s", name,
			strerror(-ret));
		return false;
	}
	for (char *line = res, *nl; *line; line = nl + 1) {
		unsigned long long a, b, c;

		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (sscanf(line, "%llx %llx %llx", &a, &b, &c) != 3) {
			hw_note(hw, "skipping PCI device '%s': malformed 'resource' line '%.40s'",
				name, line);
			free(res);
			return false;
		}
		if (!nl)
			break;
	}
	free(res);
	return true;
}

/*
 * Names come from a separate access kept for the life of the process: libpci
 * parses the whole pci.ids file (~1.3 MB, most of a detection's time) on the
 * first lookup, and later detections reuse it. Not thread-safe, like the scan.
 */
static struct pci_access *names_acc;

static void hw_pci_names_free(void)
{
	if (names_acc)
		pci_cleanup(names_acc);
	names_acc = NULL;
}

static struct pci_access *hw_pci_names(void)
{
	if (names_acc)
		return names_acc;
	names_acc = pci_alloc();
	if (!names_acc)
		return NULL;
	names_acc->method = PCI_ACCESS_SYS_BUS_PCI;
	names_acc->error = hw_pci_error;
	names_acc->warning = hw_pci_warning;
	names_acc->debug = hw_pci_debug;
	pci_init(names_acc);
	atexit(hw_pci_names_free);
	return names_acc;
}

static void hw_pci_lookup_names(struct hw_pci_dev *p)
{
	struct pci_access *acc = hw_pci_names();
	char buf[HW_NAME_MAX];
	const char *s;

	if (!acc)
		return;
	s = pci_lookup_name(acc, buf, sizeof(buf), PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_HWDB,
			    p->vendor_id);
	snprintf(p->vendor_name, sizeof(p->vendor_name), "%s", s ? s : "");
	s = pci_lookup_name(acc, buf, sizeof(buf), PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_HWDB,
			    p->vendor_id, p->device_id);
	snprintf(p->device_name, sizeof(p->device_name), "%s", s ? s : "");
}

/* Header type from config space; class 0x0604 marks a bridge when config is unusable. */
static void hw_pci_read_config(struct hw *hw, struct pci_dev *d, struct hw_pci_dev *p)
{
	char path[PATH_MAX], full[PATH_MAX];
	uint8_t cfg[64];
	struct stat st;
	uint16_t vid;

	p->is_bridge = (p->class_code >> 8) == 0x0604 || (p->class_code >> 8) == 0x0609;
	snprintf(path, sizeof(path), PCI_DEVS "/%s/config", p->addr);
	if (path_join(full, sizeof(full), hw->sysroot, path) < 0 || stat(full, &st) < 0) {
		hw_note(hw, "cannot read '%s': %s, ignoring", path, strerror(errno));
		return;
	}
	if (st.st_size < (off_t)sizeof(cfg) || !pci_read_block(d, 0, cfg, sizeof(cfg))) {
		hw_note(hw, "config space of PCI device '%s' is truncated, ignoring", p->addr);
		return;
	}
	vid = (uint16_t)(cfg[0] | cfg[1] << 8);
	if (vid != p->vendor_id)
		hw_note(hw, "config space of PCI device '%s' says vendor %04x, 'vendor' says %04x",
			p->addr, vid, p->vendor_id);
	p->header_type = cfg[PCI_HEADER_TYPE];
	if ((p->header_type & 0x7f) == PCI_HEADER_TYPE_BRIDGE)
		p->is_bridge = true;
}

/*
 * iommu_group and driver: the link names, read directly. (libpci's
 * PCI_FILL_IOMMU_GROUP/PCI_FILL_DRIVER resolve each link with realpath(),
 * which walks every component of these deep paths and cost more than the
 * rest of the scan; a link whose target is missing is reported as dangling.)
 */
static void hw_pci_links(struct hw *hw, struct hw_pci_dev *p)
{
	char path[PATH_MAX], full[PATH_MAX], buf[64];
	unsigned grp;

	p->iommu_group = -1;
	snprintf(path, sizeof(path), PCI_DEVS "/%s/iommu_group", p->addr);
	if (path_readlink_base(hw->sysroot, path, buf, sizeof(buf)) == 0) {
		if (ip_strtouint(buf, 10, &grp) == 0 && grp < INT_MAX)
			p->iommu_group = (int)grp;
		else
			hw_note(hw, "'%s' points to '%s', not a group number, ignoring", path, buf);
	}
	snprintf(path, sizeof(path), PCI_DEVS "/%s/driver", p->addr);
	if (path_readlink_base(hw->sysroot, path, buf, sizeof(buf)) == 0) {
		snprintf(p->driver, sizeof(p->driver), "%s", buf);
		if (path_join(full, sizeof(full), hw->sysroot, path) == 0 && access(full, F_OK) < 0)
			hw_note(hw, "'%s' is a dangling link", path);
	}
}

static void hw_pci_sysfs_attrs(struct hw *hw, struct hw_pci_dev *p)
{
	char path[PATH_MAX], buf[64];
	ssize_t n;

	p->boot_vga = HW_UNKNOWN;
	snprintf(path, sizeof(path), PCI_DEVS "/%s/boot_vga", p->addr);
	n = hw_attr_str(hw, path, buf, sizeof(buf), true);
	if (n >= 0) {
		if (!strcmp(buf, "1"))
			p->boot_vga = HW_YES;
		else if (!strcmp(buf, "0"))
			p->boot_vga = HW_NO;
		else
			hw_note(hw, "unexpected '%.20s' in '%s', ignoring", buf, path);
	}
	snprintf(path, sizeof(path), PCI_DEVS "/%s/reset_method", p->addr);
	hw_attr_str(hw, path, p->reset_method, sizeof(p->reset_method), true);
}

static void hw_pci_fill(struct hw *hw, struct pci_dev *d, struct hw_pci_dev *p)
{
	pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT | PCI_FILL_SUBSYS |
			 PCI_FILL_BASES | PCI_FILL_SIZES | PCI_FILL_NUMA_NODE);
	p->vendor_id = d->vendor_id;
	p->device_id = d->device_id;
	p->subsys_vendor = d->subsys_vendor_id;
	p->subsys_device = d->subsys_id;
	p->class_code = (uint32_t)d->device_class << 8 | d->prog_if;
	p->numa_node = d->numa_node;
	for (int i = 0; i < 6; i++) {
		pciaddr_t base = d->base_addr[i];

		if (!d->size[i])
			continue;
		base &= (base & PCI_BASE_ADDRESS_SPACE_IO) ? PCI_ADDR_IO_MASK : PCI_ADDR_MEM_MASK;
		p->bar_start[i] = base;
		p->bar_end[i] = base + d->size[i] - 1;
	}
	hw_pci_lookup_names(p);
	hw_pci_read_config(hw, d, p);
	hw_pci_links(hw, p);
	hw_pci_sysfs_attrs(hw, p);
}

static int hw_pci_libpci(struct hw *hw, char **names, size_t n)
{
	char sysfs[PATH_MAX];
	struct pci_access *pacc;
	struct pci_dev *volatile d = NULL;
	jmp_buf jb;
	int ret;

	ret = path_join(sysfs, sizeof(sysfs), hw->sysroot, "/sys/bus/pci");
	if (ret < 0)
		return hw_note(hw, "sysroot path too long for libpci, no PCI devices");
	pacc = pci_alloc();
	if (!pacc)
		return -ENOMEM;
	pacc->method = PCI_ACCESS_SYS_BUS_PCI;
	pacc->error = hw_pci_error;
	pacc->warning = hw_pci_warning;
	pacc->debug = hw_pci_debug;
	pci_hw = hw;
	pci_jmp = &jb;
	if (setjmp(jb)) {
		hw_note(hw, "libpci failed: %s; PCI scan stopped", pci_errmsg);
		goto out_cleanup;
	}
	if (pci_set_param(pacc, (char *)"sysfs.path", sysfs) < 0) {
		hw_note(hw, "libpci has no 'sysfs.path' parameter, no PCI devices");
		goto out_cleanup;
	}
	pci_init(pacc);
	for (size_t i = 0; i < n; i++) {
		struct hw_pci_dev *p = &hw->pci[hw->n_pci];

		if (!hw_pci_parse_addr(names[i], &p->domain, &p->bus, &p->dev, &p->func)) {
			hw_note(hw, "ignoring '%s' in '" PCI_DEVS "': not a PCI address", names[i]);
			continue;
		}
		if (!hw_pci_dev_usable(hw, names[i]))
			continue;
		snprintf(p->addr, sizeof(p->addr), "%s", names[i]);
		d = pci_get_dev(pacc, (int)p->domain, (int)p->bus, (int)p->dev, (int)p->func);
		hw_pci_fill(hw, d, p);
		pci_free_dev(d);
		d = NULL;
		hw->n_pci++;
	}
out_cleanup:
	if (d)
		pci_free_dev(d);
	pci_cleanup(pacc);
	pci_jmp = NULL;
	pci_hw = NULL;
	return 0;
}

int hw_pci_scan(struct hw *hw)
{
	char **names;
	size_t n;
	int ret;

	ret = hw_list_dir(hw, PCI_DEVS, &names, &n);
	if (ret == -ENOMEM)
		return ret;
	if (ret < 0)
		return hw_note(hw, "cannot read '" PCI_DEVS "': %s, no PCI devices", strerror(-ret));
	if (n) {
		hw->pci = calloc(n, sizeof(*hw->pci));
		if (!hw->pci) {
			hw_names_free(names, n);
			return -ENOMEM;
		}
		ret = hw_pci_libpci(hw, names, n);
	}
	hw_names_free(names, n);
	return ret;
}
