// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checks across keys, after the schema walk: required sections and keys,
 * keys that exclude each other, keys that only fit one file system, RAID
 * level against disk count, LVM sizes against the disk size, the gateway
 * against the host's network. Each message points at the key it is about,
 * at the section header for a missing key, or at 1:1 for a missing section.
 */
#include <string.h>

#include "answer-int.h"
#include "util.h"

static const struct toml_pos answer_file_start = { 1, 1 };

static bool partial(const struct answer_ctx *c)
{
	if (c->flags & ANSWER_PARTIAL)
		return true;
	return (c->flags & ANSWER_PROFILE_PARTIAL) && c->a->has_profile;
}

static const char *key(int id)
{
	return answer_keys[id].name;
}

static const char *sec(int id)
{
	return answer_sec_names[answer_keys[id].sec];
}

static void need(struct answer_ctx *c, int id)
{
	if (!c->set[id] && !partial(c))
		answer_err(c, c->spos[answer_keys[id].sec], "missing key '%s' in [%s]", key(id),
			   sec(id));
}

/* The later of two keys that were both set */
static int later(const struct answer_ctx *c, int a, int b)
{
	const struct toml_pos *pa = &c->kpos[a], *pb = &c->kpos[b];

	if (pa->line != pb->line)
		return pa->line > pb->line ? a : b;
	return pa->col > pb->col ? a : b;
}

static void exclusive(struct answer_ctx *c, int a, int b)
{
	if (c->set[a] && c->set[b])
		answer_err(c, c->kpos[later(c, a, b)], "'%s' and '%s' are mutually exclusive",
			   key(a), key(b));
}

static void one_of(struct answer_ctx *c, int a, int b)
{
	exclusive(c, a, b);
	if (!c->set[a] && !c->set[b] && !partial(c))
		answer_err(c, c->spos[answer_keys[a].sec], "missing key '%s' or '%s' in [%s]",
			   key(a), key(b), sec(a));
}

static void check_sections(struct answer_ctx *c)
{
	const struct answer *a = c->a;

	if (partial(c))
		return;
	if (!a->has_global)
		answer_err(c, answer_file_start, "missing section [global]");
	if (!a->has_network)
		answer_err(c, answer_file_start, "missing section [network]");
	if (!a->has_disk_setup)
		answer_err(c, answer_file_start, "missing section [disk-setup]");
}

static void check_global(struct answer_ctx *c)
{
	if (!c->a->has_global)
		return;
	need(c, AK_KEYBOARD);
	need(c, AK_COUNTRY);
	need(c, AK_FQDN);
	need(c, AK_MAILTO);
	need(c, AK_TIMEZONE);
	one_of(c, AK_ROOT_PASSWORD, AK_ROOT_PASSWORD_HASHED);
	if (c->fqdn_table && !c->set[AK_FQDN_SOURCE] && !partial(c))
		answer_err(c, c->kpos[AK_FQDN], "missing key 'fqdn.source' in [global]");
}

/*
 * like the Proxmox installer: static settings with from-dhcp are an error
 * (a 'filter' is allowed: it picks the NIC that asks DHCP, an ironpass addition)
 */
static void not_with_dhcp(struct answer_ctx *c, int id)
{
	if (c->set[id])
		answer_err(c, c->kpos[id], "'%s' is only valid with source from-answer", key(id));
}

static void check_network(struct answer_ctx *c)
{
	const struct answer_network *n = &c->a->network;

	if (!c->a->has_network)
		return;
	need(c, AK_NET_SOURCE);
	if (c->ok[AK_NET_SOURCE] && n->source == ANSWER_NET_STATIC) {
		need(c, AK_NET_CIDR);
		need(c, AK_NET_GATEWAY);
		need(c, AK_NET_DNS);
		need(c, AK_NET_FILTER);
	} else if (c->ok[AK_NET_SOURCE]) {
		not_with_dhcp(c, AK_NET_CIDR);
		not_with_dhcp(c, AK_NET_GATEWAY);
		not_with_dhcp(c, AK_NET_DNS);
	}
	if (c->ok[AK_NET_CIDR] && c->ok[AK_NET_GATEWAY]) {
		const char *slash = strchr(n->cidr, '/');

		if (!answer_ip_in_cidr(n->gateway, n->cidr))
			answer_err(c, c->vpos[AK_NET_GATEWAY],
				   "'gateway' (%s) is not inside the network of 'cidr' (%s)",
				   n->gateway, n->cidr);
		else if (slash && strlen(n->gateway) == (size_t)(slash - n->cidr) &&
			 !strncmp(n->gateway, n->cidr, (size_t)(slash - n->cidr)))
			answer_err(c, c->vpos[AK_NET_GATEWAY],
				   "'gateway' (%s) must not be the host's own address", n->gateway);
	}
	if (c->set[AK_NET_PIN_MAPPING] && !n->pinning_enabled)
		answer_warn(c, c->kpos[AK_NET_PIN_MAPPING],
			    "'%s' is ignored unless '%s' is true", key(AK_NET_PIN_MAPPING),
			    key(AK_NET_PIN_ENABLED));
}

static const int zfs_keys[] = {
	AK_ZFS_RAID, AK_ZFS_ASHIFT, AK_ZFS_ARC_MAX, AK_ZFS_CHECKSUM, AK_ZFS_COMPRESS,
	AK_ZFS_COPIES, AK_ZFS_HDSIZE,
};
static const int lvm_keys[] = {
	AK_LVM_HDSIZE, AK_LVM_SWAPSIZE, AK_LVM_MAXROOT, AK_LVM_MINFREE, AK_LVM_MAXVZ,
};
static const int btrfs_keys[] = { AK_BTRFS_RAID, AK_BTRFS_HDSIZE, AK_BTRFS_COMPRESS };

static void only_with(struct answer_ctx *c, const int *ids, size_t n, bool ok, const char *fs)
{
	for (size_t i = 0; i < n; i++)
		if (c->set[ids[i]] && !ok)
			answer_err(c, c->kpos[ids[i]], "'%s' is only valid when 'filesystem' is %s",
				   key(ids[i]), fs);
}

struct raid_need {
	const char *level;
	size_t min;
	bool even;
};

static const struct raid_need raid_needs[] = {
	{ "raid0", 1, false }, { "raid1", 2, false }, { "raid10", 4, true },
	{ "raidz-1", 3, false }, { "raidz-2", 4, false }, { "raidz-3", 5, false },
};

static void check_raid(struct answer_ctx *c, int id)
{
	const struct answer_disk_setup *d = &c->a->disk;
	size_t n = d->n_disk_list;

	if (!c->ok[id] || !c->ok[AK_DISK_LIST])
		return;
	for (size_t i = 0; i < sizeof(raid_needs) / sizeof(raid_needs[0]); i++) {
		const struct raid_need *r = &raid_needs[i];

		if (strcmp(r->level, d->raid))
			continue;
		/* btrfs raid10 needs four devices but not an even count */
		if (n < r->min)
			answer_err(c, c->vpos[id],
				   "'%s' %s needs at least %zu disks, 'disk-list' has %zu",
				   key(id), r->level, r->min, n);
		else if (r->even && id == AK_ZFS_RAID && n % 2)
			answer_err(c, c->vpos[id],
				   "'%s' %s needs an even number of disks, 'disk-list' has %zu",
				   key(id), r->level, n);
	}
}

static void size_not_above(struct answer_ctx *c, int id, double v, double limit, int limit_id,
			   const char *what)
{
	if (c->ok[id] && v > limit)
		answer_err(c, c->vpos[id], "'%s' (%g) must not exceed %s'%s' (%g)", key(id), v,
			   what, key(limit_id), c->a->disk.hdsize);
}

static void check_lvm(struct answer_ctx *c)
{
	const struct answer_disk_setup *d = &c->a->disk;
	double sum = 0;

	if (!c->ok[AK_LVM_HDSIZE])
		return;
	size_not_above(c, AK_LVM_SWAPSIZE, d->swapsize, d->hdsize / 2, AK_LVM_HDSIZE, "half of ");
	size_not_above(c, AK_LVM_MAXROOT, d->maxroot, d->hdsize, AK_LVM_HDSIZE, "");
	size_not_above(c, AK_LVM_MINFREE, d->minfree, d->hdsize, AK_LVM_HDSIZE, "");
	size_not_above(c, AK_LVM_MAXVZ, d->maxvz, d->hdsize, AK_LVM_HDSIZE, "");
	if (c->ok[AK_LVM_SWAPSIZE])
		sum += d->swapsize;
	if (c->ok[AK_LVM_MAXROOT])
		sum += d->maxroot;
	if (c->ok[AK_LVM_MINFREE])
		sum += d->minfree;
	if (sum > d->hdsize && d->swapsize <= d->hdsize / 2 && d->maxroot <= d->hdsize &&
	    d->minfree <= d->hdsize)
		answer_err(c, c->vpos[AK_LVM_HDSIZE],
			   "'lvm.swapsize', 'lvm.maxroot' and 'lvm.minfree' add up to %g, "
			   "more than 'lvm.hdsize' (%g)", sum, d->hdsize);
}

static void check_disk(struct answer_ctx *c)
{
	const struct answer_disk_setup *d = &c->a->disk;
	bool fs = c->ok[AK_DISK_FS];

	if (!c->a->has_disk_setup)
		return;
	need(c, AK_DISK_FS);
	one_of(c, AK_DISK_LIST, AK_DISK_FILTER);
	if (c->set[AK_DISK_LIST] && c->ok[AK_DISK_LIST] && d->n_disk_list == 0)
		answer_err(c, c->vpos[AK_DISK_LIST], "'disk-list' must not be empty");
	if (c->set[AK_DISK_FILTER_MATCH] && !c->set[AK_DISK_FILTER])
		answer_warn(c, c->kpos[AK_DISK_FILTER_MATCH],
			    "'filter-match' is ignored without 'filter'");
	if (!fs)
		return;
	if (answer_fs_unsupported(d->filesystem))
		answer_err(c, c->vpos[AK_DISK_FS], "%s", answer_fs_unsupported(d->filesystem));
	only_with(c, zfs_keys, sizeof(zfs_keys) / sizeof(zfs_keys[0]),
		  d->filesystem == ANSWER_FS_ZFS, "zfs");
	only_with(c, lvm_keys, sizeof(lvm_keys) / sizeof(lvm_keys[0]),
		  d->filesystem == ANSWER_FS_EXT4 || d->filesystem == ANSWER_FS_XFS, "ext4 or xfs");
	only_with(c, btrfs_keys, sizeof(btrfs_keys) / sizeof(btrfs_keys[0]),
		  d->filesystem == ANSWER_FS_BTRFS, "btrfs");
	switch (d->filesystem) {
	case ANSWER_FS_EXT4:
	case ANSWER_FS_XFS:
		/* like the Proxmox installer (and our install): one disk */
		if (c->ok[AK_DISK_LIST] && d->n_disk_list > 1)
			answer_err(c, c->vpos[AK_DISK_LIST],
				   "'disk-list' has %zu disks, but %s installs onto one disk",
				   d->n_disk_list, answer_fs_name(d->filesystem));
		check_lvm(c);
		break;
	case ANSWER_FS_ZFS:
		need(c, AK_ZFS_RAID);
		check_raid(c, AK_ZFS_RAID);
		if (c->ok[AK_ZFS_HDSIZE] && d->hdsize == 0)
			answer_err(c, c->vpos[AK_ZFS_HDSIZE],
				   "'zfs.hdsize' must be greater than 0");
		break;
	case ANSWER_FS_BTRFS:
		need(c, AK_BTRFS_RAID);
		check_raid(c, AK_BTRFS_RAID);
		if (c->ok[AK_BTRFS_HDSIZE] && d->hdsize == 0)
			answer_err(c, c->vpos[AK_BTRFS_HDSIZE],
				   "'btrfs.hdsize' must be greater than 0");
		break;
	}
	if (c->ok[AK_LVM_HDSIZE] && d->hdsize == 0)
		answer_err(c, c->vpos[AK_LVM_HDSIZE], "'lvm.hdsize' must be greater than 0");
}

static void only_from_url(struct answer_ctx *c, int id)
{
	if (c->set[id])
		answer_err(c, c->kpos[id], "'%s' is only valid with source from-url", key(id));
}

static void check_first_boot(struct answer_ctx *c)
{
	const struct answer_first_boot *fb = &c->a->first_boot;

	if (!c->a->has_first_boot)
		return;
	need(c, AK_FB_SOURCE);
	if (!c->ok[AK_FB_SOURCE])
		return;
	if (fb->source == ANSWER_FB_URL) {
		need(c, AK_FB_URL);
	} else {
		only_from_url(c, AK_FB_URL);
		only_from_url(c, AK_FB_CERT);
	}
}

static void check_webhook(struct answer_ctx *c)
{
	const struct answer_webhook *w = &c->a->webhook;

	if (!c->a->has_webhook)
		return;
	need(c, AK_WH_URL);
	if (c->ok[AK_WH_URL] && !strncmp(w->url, "http://", 7)) {
		if (c->set[AK_WH_TOKEN])
			answer_warn(c, c->kpos[AK_WH_TOKEN],
				    "'auth-token' is sent unencrypted to an http:// URL");
		if (c->set[AK_WH_CERT])
			answer_warn(c, c->kpos[AK_WH_CERT],
				    "'cert-fingerprint' is ignored for an http:// URL");
	}
}

/* An https:// ISO needs its SHA-256; a SHA-256 needs an https:// ISO. */
static void check_iso_sha(struct answer_ctx *c, int iso, int sha)
{
	const char *v = *(char **)((char *)c->a + answer_keys[iso].off);

	if (c->set[sha] && (!c->set[iso] || (c->ok[iso] && !answer_iso_is_url(v))))
		answer_err(c, c->kpos[sha], "'%s' is only valid when '%s' is an https:// URL",
			   key(sha), key(iso));
	else if (c->ok[iso] && answer_iso_is_url(v) && !c->set[sha])
		answer_err(c, c->kpos[iso], "missing key '%s': an https:// '%s' needs its SHA-256",
			   key(sha), key(iso));
}

/* What only the answer ISO (autounattend.xml) uses */
static const int unattend_keys[] = {
	AK_VM_WIN_EDITION, AK_VM_WIN_LANG, AK_VM_ADMIN_USER, AK_VM_ADMIN_PASSWORD,
	AK_VM_COMPUTER_NAME,
};

static void check_unattend(struct answer_ctx *c)
{
	const struct answer_vm_template *vm = &c->a->vm;

	for (size_t i = 0; !vm->unattended && i < ARRAY_SIZE(unattend_keys); i++)
		if (c->set[unattend_keys[i]])
			answer_warn(c, c->kpos[unattend_keys[i]],
				    "'%s' is ignored with 'unattended' = false",
				    key(unattend_keys[i]));
	if (vm->unattended && c->set[AK_VM_ADMIN_USER] && !c->set[AK_VM_ADMIN_PASSWORD])
		answer_warn(c, c->kpos[AK_VM_ADMIN_USER],
			    "'admin-user' is ignored without 'admin-password': Windows asks for "
			    "an account on the VM's console");
}

static void check_vm(struct answer_ctx *c)
{
	const struct answer_vm_template *vm = &c->a->vm;
	const struct answer_passthrough *pt = &c->a->passthrough;

	/* two "carried" images are two files: the builder's --windows-iso and --virtio-iso */
	if (c->ok[AK_VM_WIN_ISO] && c->ok[AK_VM_VIRTIO_ISO] &&
	    !strcmp(vm->windows_iso, vm->virtio_iso) &&
	    strcmp(vm->windows_iso, ANSWER_ISO_CARRIED))
		answer_err(c, c->vpos[later(c, AK_VM_WIN_ISO, AK_VM_VIRTIO_ISO)],
			   "'windows-iso' and 'virtio-iso' must be different ISO images");
	check_iso_sha(c, AK_VM_WIN_ISO, AK_VM_WIN_ISO_SHA);
	check_iso_sha(c, AK_VM_VIRTIO_ISO, AK_VM_VIRTIO_ISO_SHA);
	check_unattend(c);
	if (c->ok[AK_PT_HUGEPAGES] && c->ok[AK_VM_MEMORY] && pt->hugepages &&
	    (uint64_t)pt->hugepages * 1024 < vm->memory)
		answer_warn(c, c->vpos[AK_PT_HUGEPAGES],
			    "'hugepages' (%u GiB) is less than the VM's 'memory' (%u MiB)",
			    pt->hugepages, vm->memory);
	if (c->ok[AK_PT_GPU] && pt->gpu == ANSWER_GPU_NONE && c->set[AK_PT_ALLOW_SINGLE])
		answer_warn(c, c->kpos[AK_PT_ALLOW_SINGLE],
			    "'allow-single-gpu' is ignored with gpu = \"none\"");
}

static void check_profile(struct answer_ctx *c)
{
	const struct answer *a = c->a;

	if (!a->has_profile)
		return;
	if (!c->set[AK_PR_NAME])
		answer_err(c, c->spos[AS_PROFILE], "missing key 'name' in [profile]");
	if (a->profile.embed_answer && !a->has_global && !a->has_network && !a->has_disk_setup &&
	    !a->has_passthrough && !a->has_vm_template && !a->has_ironpass)
		answer_warn(c, c->kpos[AK_PR_EMBED],
			    "'embed-answer' is true but the file has no answer sections");
	if (a->profile.default_entry && !strcmp(a->profile.default_entry, "localboot"))
		answer_warn(c, c->vpos[AK_PR_DEFAULT_ENTRY],
			    "'default-entry = \"localboot\"' applies to the PXE menus; the ISO's "
			    "default stays 'install'");
}

void answer_check(struct answer_ctx *c)
{
	check_sections(c);
	check_global(c);
	check_network(c);
	check_disk(c);
	check_first_boot(c);
	check_webhook(c);
	check_vm(c);
	check_profile(c);
}
