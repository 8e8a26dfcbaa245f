// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The "facts" step: what the Proxmox VE auto-installer's post-installation
 * webhook reports about the installed system, gathered before the target is
 * unmounted and sent with the "done" event (inst-webhook.c). Never fails the
 * install: what cannot be read is left out.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <json-c/json.h>

#include "answer.h"
#include "detect/hw.h"
#include "install/inst-disk.h"
#include "install/inst-facts.h"
#include "install/inst-sysinfo.h"
#include "install/inst-steps.h"
#include "log.h"
#include "path.h"
#include "util.h"

#define DPKG_STATUS		"/var/lib/dpkg/status"
#define DPKG_STATUS_MAX		(64u << 20)
/* the x86 boot protocol: "HdrS" at 0x202, the version at 0x206, kernel_version at 0x20e */
#define BZ_MAGIC_OFF		0x202
#define BZ_PROTO_OFF		0x206
#define BZ_KVER_OFF		0x20e
#define BZ_READ			(0x10000 + 0x200 + 256)

static void add_str(json_object *o, const char *key, const char *val)
{
	if (o && val && *val)
		json_object_object_add(o, key, json_object_new_string(val));
}

static void add_uint(json_object *o, const char *key, unsigned long long val)
{
	if (o && val)
		json_object_object_add(o, key, json_object_new_int64((int64_t)val));
}

static void add_true(json_object *o, const char *key, bool val)
{
	if (o && val)
		json_object_object_add(o, key, json_object_new_boolean(1));
}

/* A small text file under the target, trimmed; "" when it is missing or unreadable. */
static const char *target_str(const struct inst_ctx *ctx, const char *path, char *buf,
			      size_t size)
{
	ssize_t n = path_read_str(ctx->target, path, buf, size);

	if (n < 0) {
		if (n == -ENOENT)
			ip_dbg("'%s%s' not found, left out of the webhook facts", ctx->target,
				 path);
		else
			ip_warn("cannot read '%s%s': %s, ignoring", ctx->target, path,
				strerror((int)-n));
		buf[0] = '\0';
	}
	return buf;
}

int inst_facts_dpkg_version(const char *status, size_t len, const char *pkg, char *out,
			    size_t size)
{
	const char *p = status, *end = status + len;
	size_t plen = strlen(pkg);

	while (p < end) {
		const char *stanza = p, *stop;
		const char *version = NULL;
		size_t vlen = 0;
		bool match = false, installed = false;

		/* a stanza ends at an empty line */
		for (stop = p; stop < end; stop++)
			if (*stop == '\n' && (stop + 1 == end || stop[1] == '\n'))
				break;
		for (const char *l = stanza; l < stop;) {
			const char *nl = memchr(l, '\n', (size_t)(stop - l));
			size_t n = nl ? (size_t)(nl - l) : (size_t)(stop - l);

			if (n == 9 + plen && !strncmp(l, "Package: ", 9) &&
			    !strncmp(l + 9, pkg, plen))
				match = true;
			else if (n == 28 && !strncmp(l, "Status: install ok installed", 28))
				installed = true;
			else if (n > 9 && !strncmp(l, "Version: ", 9)) {
				version = l + 9;
				vlen = n - 9;
			}
			l += n + 1;
		}
		if (match && installed && version && vlen && vlen < size) {
			memcpy(out, version, vlen);
			out[vlen] = '\0';
			return 0;
		}
		p = stop + 2;
	}
	return -ENOENT;
}

int inst_facts_bzimage_version(const unsigned char *img, size_t len, char *out, size_t size)
{
	size_t off, n = 0;

	if (len < BZ_KVER_OFF + 2 || memcmp(img + BZ_MAGIC_OFF, "HdrS", 4) != 0 ||
	    (img[BZ_PROTO_OFF] | img[BZ_PROTO_OFF + 1] << 8) < 0x0200)
		return -EINVAL;
	off = (size_t)(img[BZ_KVER_OFF] | img[BZ_KVER_OFF + 1] << 8);
	if (!off)
		return -EINVAL;
	off += 0x200;
	for (; off + n < len && img[off + n]; n++)
		if (img[off + n] < 0x20 || img[off + n] > 0x7e)
			return -EINVAL;
	if (off + n >= len || n == 0 || n >= size)
		return -EINVAL;
	memcpy(out, img + off, n);
	out[n] = '\0';
	return 0;
}

/* The newest /boot/vmlinuz-<release> on the target (version order): 0, or -ENOENT. */
static int newest_kernel(const struct inst_ctx *ctx, char *release, size_t size)
{
	char dir[4096];
	struct dirent *e;
	DIR *d;

	release[0] = '\0';
	if (path_join(dir, sizeof(dir), ctx->target, "/boot") < 0 || !(d = opendir(dir)))
		return -ENOENT;
	while ((e = readdir(d))) {
		const char *rel = e->d_name + 8;

		if (strncmp(e->d_name, "vmlinuz-", 8) || !*rel || strlen(rel) >= size)
			continue;
		if (!release[0] || strverscmp(rel, release) > 0)
			snprintf(release, size, "%s", rel);
	}
	closedir(d);
	return release[0] ? 0 : -ENOENT;
}

/* {sysname, release, version, machine} of the installed kernel; NULL when there is none. */
static json_object *kernel_version(const struct inst_ctx *ctx)
{
	char release[256], rel[300], path[4096], version[256] = "";
	unsigned char *img;
	struct utsname u;
	json_object *o;
	ssize_t n = -1;
	int fd;

	if (newest_kernel(ctx, release, sizeof(release)) < 0) {
		ip_dbg("no kernel in '%s/boot', left out of the webhook facts", ctx->target);
		return NULL;
	}
	snprintf(rel, sizeof(rel), "/boot/vmlinuz-%s", release);
	img = malloc(BZ_READ);
	if (img && path_join(path, sizeof(path), ctx->target, rel) == 0 &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = pread(fd, img, BZ_READ, 0);
		close(fd);
	}
	if (n < 0 || inst_facts_bzimage_version(img, (size_t)n, version, sizeof(version)) < 0)
		version[0] = '\0';
	free(img);
	o = json_object_new_object();
	if (!o)
		return NULL;
	add_str(o, "sysname", "Linux");
	add_str(o, "release", release);
	/* as uname -v: what follows the release and "(builder)" */
	{
		const char *v = strchr(version, ' ');

		v = v ? strchr(v + 1, ' ') : NULL;
		add_str(o, "version", v ? v + 1 : NULL);
	}
	/* the installed system runs on this machine: the live kernel's architecture */
	if (uname(&u) == 0)
		add_str(o, "machine", u.machine);
	return o;
}

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "KEY=value" strings as an object, keys sorted. */
static json_object *props_object(char **kv, size_t n)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	qsort(kv, n, sizeof(*kv), kv_cmp);
	for (size_t i = 0; i < n; i++) {
		char *eq = strchr(kv[i], '=');

		if (!eq || eq == kv[i])
			continue;
		*eq = '\0';
		json_object_object_add(o, kv[i], json_object_new_string(eq + 1));
		*eq = '=';
	}
	return o;
}

/* The udev database's properties of a disk, or those ironpass derives from sysfs. */
static json_object *disk_props(const struct inst_ctx *ctx, const struct hw_disk *d)
{
	static const char *const keys[] = { "DEVNAME", "ID_BUS", "ID_MODEL", "ID_SERIAL",
					    "ID_SERIAL_SHORT", "ID_WWN" };
	struct inst_udev_props p = { 0 };
	json_object *o;

	if (inst_udev_read(ctx->sysroot, d->name, &p) == 0 && p.n) {
		o = props_object(p.kv, p.n);
		inst_udev_release(&p);
		return o;
	}
	inst_udev_release(&p);
	o = json_object_new_object();
	for (size_t i = 0; o && i < ARRAY_SIZE(keys); i++) {
		char buf[256];

		add_str(o, keys[i], inst_udev_value(d, NULL, keys[i], buf, sizeof(buf)));
	}
	return o;
}

/* The udev database's properties of a NIC (/run/udev/data/n<ifindex>), or derived ones. */
static json_object *nic_props(const struct inst_ctx *ctx, const struct hw_nic *nic)
{
	struct inst_udev_props p = { 0 };
	char rel[128], idx[32], mac[16];
	size_t k = 0;
	json_object *o;

	if (snprintf(rel, sizeof(rel), "/sys/class/net/%s/ifindex", nic->name) <
		    (int)sizeof(rel) &&
	    path_read_str(ctx->sysroot, rel, idx + 1, sizeof(idx) - 1) > 0) {
		idx[0] = 'n';
		if (inst_udev_read_id(ctx->sysroot, idx, &p) == 0 && p.n) {
			o = props_object(p.kv, p.n);
			inst_udev_release(&p);
			return o;
		}
		inst_udev_release(&p);
	}
	o = json_object_new_object();
	if (!o)
		return NULL;
	for (const char *c = nic->mac; *c && k + 1 < sizeof(mac); c++)
		if (*c != ':')
			mac[k++] = *c;
	mac[k] = '\0';
	add_str(o, "ID_NET_DRIVER", nic->driver);
	if (k == 12) {
		char name[20];

		snprintf(name, sizeof(name), "enx%s", mac);
		add_str(o, "ID_NET_NAME_MAC", name);
	}
	add_str(o, "INTERFACE", nic->name);
	return o;
}

/* One of the disks installed onto (every disk of a btrfs or zfs root). */
static bool is_target(const struct inst_layout *l, const char *name)
{
	if (l->disk[0] && !strcmp(name, l->disk))
		return true;
	for (size_t k = 0; k < l->n_extra; k++)
		if (!strcmp(name, l->extra[k].disk))
			return true;
	return false;
}

/* The root filesystem as Proxmox names it: "ext4", "xfs", "btrfs (RAID1)", "zfs (RAIDZ-1)". */
static const char *fs_name(const struct inst_layout *l, char *buf, size_t size)
{
	const char *raid = !strcmp(l->root_fstype, "btrfs") ? l->btrfs_raid
			   : !strcmp(l->root_fstype, "zfs") ? l->zfs_raid : "";
	size_t n;

	if (!raid[0])
		return l->root_fstype;
	n = (size_t)snprintf(buf, size, "%s (%s)", l->root_fstype, raid);
	for (size_t i = strlen(l->root_fstype) + 2; i < n && i < size; i++)
		if (buf[i] >= 'a' && buf[i] <= 'z')
			buf[i] = (char)(buf[i] - 'a' + 'A');
	return buf;
}

static json_object *disks(const struct inst_ctx *ctx)
{
	const struct hw *hw = ctx->hw;
	json_object *a = json_object_new_array();

	for (size_t i = 0; a && hw && i < hw->n_disks; i++) {
		const struct hw_disk *d = &hw->disks[i];
		json_object *o;

		if (d->optical || d->md)
			continue;
		o = json_object_new_object();
		if (!o)
			break;
		add_uint(o, "size", d->size_bytes);
		add_true(o, "is-bootdisk", is_target(&ctx->layout, d->name));
		json_object_object_add(o, "udev-properties", disk_props(ctx, d));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *nics(const struct inst_ctx *ctx)
{
	const struct hw *hw = ctx->hw;
	json_object *a = json_object_new_array();

	for (size_t i = 0; a && hw && i < hw->n_nics; i++) {
		const struct hw_nic *nic = &hw->nics[i];
		bool mgmt = ctx->net.iface[0] && !strcmp(nic->name, ctx->net.iface);
		json_object *o;

		if (nic->is_virtual)
			continue;
		o = json_object_new_object();
		if (!o)
			break;
		add_str(o, "name", nic->name);
		add_str(o, "mac", nic->mac);
		if (mgmt)
			add_str(o, "address", ctx->net.cidr);
		add_true(o, "is-management", mgmt);
		/* ironpass does not pin NIC names (yet): "is-pinned" is never true */
		json_object_object_add(o, "udev-properties", nic_props(ctx, nic));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *cpu_info(const struct hw_cpu *c)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	add_uint(o, "cores", c->cores);
	add_uint(o, "cpus", c->threads);
	json_object_object_add(o, "hvm", json_object_new_boolean(c->virt));
	add_str(o, "model", c->model);
	add_uint(o, "sockets", c->sockets);
	return o;
}

static json_object *product(const struct inst_ctx *ctx)
{
	char *status = NULL, version[128];
	json_object *o;
	size_t len = 0;
	int ret;

	ret = path_read_all(ctx->target, DPKG_STATUS, DPKG_STATUS_MAX, &status, &len);
	if (ret < 0) {
		if (ret != -ENOENT)
			ip_warn("cannot read '%s%s': %s, ignoring", ctx->target, DPKG_STATUS,
				strerror(-ret));
		return NULL;
	}
	ret = inst_facts_dpkg_version(status, len, "pve-manager", version, sizeof(version));
	free(status);
	if (ret < 0) {
		ip_dbg("pve-manager is not installed on the target: no product in the "
			 "webhook facts");
		return NULL;
	}
	o = json_object_new_object();
	if (!o)
		return NULL;
	add_str(o, "fullname", "Proxmox VE");
	add_str(o, "short", "pve");
	add_str(o, "version", version);
	return o;
}

static json_object *ssh_keys(const struct inst_ctx *ctx)
{
	static const char *const types[] = { "ecdsa", "ed25519", "rsa" };
	json_object *o = json_object_new_object();
	char path[64], key[8192];

	if (!o)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		snprintf(path, sizeof(path), "/etc/ssh/ssh_host_%s_key.pub", types[i]);
		add_str(o, types[i], target_str(ctx, path, key, sizeof(key)));
	}
	if (json_object_object_length(o) == 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int inst_facts_gather(const struct inst_ctx *ctx, struct json_object **out)
{
	const struct answer *a = ctx->answer;
	json_object *o = json_object_new_object(), *v;
	char buf[256];

	*out = NULL;
	if (!o)
		return -ENOMEM;
	v = json_object_new_object();
	add_str(v, "version", INST_FACTS_SCHEMA);
	json_object_object_add(o, "$schema", v);
	add_str(o, "debian-version", target_str(ctx, "/etc/debian_version", buf, sizeof(buf)));
	if ((v = product(ctx)))
		json_object_object_add(o, "product", v);
	/* "iso": the payload names no Proxmox VE ISO release, so it is left out */
	if ((v = kernel_version(ctx)))
		json_object_object_add(o, "kernel-version", v);
	if (ctx->hw) {
		v = json_object_new_object();
		add_str(v, "mode", ctx->hw->fw == HW_FW_UEFI ? "efi" : "bios");
		add_true(v, "secureboot", ctx->hw->secure_boot == HW_YES);
		json_object_object_add(o, "boot-info", v);
		json_object_object_add(o, "cpu-info", cpu_info(&ctx->hw->cpu));
		json_object_object_add(o, "dmi", inst_sysinfo_dmi(&ctx->hw->dmi));
	}
	add_str(o, "filesystem", fs_name(&ctx->layout, buf, sizeof(buf)));
	add_str(o, "fqdn", ctx->net.fqdn[0] ? ctx->net.fqdn : a ? a->global.fqdn : NULL);
	add_str(o, "machine-id", target_str(ctx, "/etc/machine-id", buf, sizeof(buf)));
	json_object_object_add(o, "disks", disks(ctx));
	json_object_object_add(o, "network-interfaces", nics(ctx));
	if ((v = ssh_keys(ctx)))
		json_object_object_add(o, "ssh-public-host-keys", v);
	if (a)
		add_str(o, "reboot-mode",
			a->global.reboot_mode == ANSWER_POWER_OFF ? "power-off" : "reboot");
	*out = o;
	return 0;
}

int inst_facts(struct inst_ctx *ctx)
{
	json_object *f = NULL;
	int ret;

	ret = inst_facts_gather(ctx, &f);
	if (ret < 0) {
		ip_warn("cannot gather the installed system's facts for the webhook: %s, ignoring",
			strerror(-ret));
		return 0;
	}
	json_object_put(ctx->facts);
	ctx->facts = f;
	ip_info("facts for the webhook: %d fields", json_object_object_length(f));
	return 0;
}
