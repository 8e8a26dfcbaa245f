// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Partitioning like Proxmox VE: GPT with
 *	1  BIOS boot	1 MiB	21686148-6449-6E6F-744E-656564454649
 *	2  ESP		512 MiB, 1 GiB on disks above 100 GiB
 *					C12A7328-F81F-11D2-BA4B-00A0C93EC93B
 *	3  LVM		the rest (or up to lvm.hdsize)
 *					E6D6D379-F507-44C2-A23C-238F2A3DF928
 * written by sfdisk from a script on stdin. sfdisk aligns every partition to
 * its grain (1 MiB by default), so the first starts at 1 MiB on 512-byte and
 * 4Kn disks alike. Old signatures are wiped first, on the chosen disk only.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "path.h"
#include "runner.h"
#include "util.h"

#define TYPE_BIOS "21686148-6449-6E6F-744E-656564454649"
#define TYPE_ESP  "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
#define TYPE_LVM  "E6D6D379-F507-44C2-A23C-238F2A3DF928"

unsigned long long inst_esp_mib(uint64_t disk_bytes)
{
	return disk_bytes > 100 * GIB ? 1024 : 512;
}

char *inst_part_script(unsigned long long esp_mib, unsigned long long lvm_mib)
{
	struct strbuf sb = { 0 };

	sb_puts(&sb, "label: gpt\n");
	sb_puts(&sb, "\n");
	sb_printf(&sb, "size=1MiB, type=%s\n", TYPE_BIOS);
	sb_printf(&sb, "size=%lluMiB, type=%s\n", esp_mib, TYPE_ESP);
	if (lvm_mib)
		sb_printf(&sb, "size=%lluMiB, type=%s\n", lvm_mib, TYPE_LVM);
	else
		sb_printf(&sb, "type=%s\n", TYPE_LVM);
	return sb_detach(&sb);
}

/* wipefs -a on each existing partition of the disk (in name order), then on the disk. */
static int wipe_signatures(struct inst_ctx *ctx)
{
	const struct inst_layout *l = &ctx->layout;
	const char *whole[] = { "wipefs", "-a", l->disk_dev, NULL };
	char dir[256], dev[160];
	const char *argv[] = { "wipefs", "-a", dev, NULL };
	struct dirent **ents = NULL;
	int n, ret = 0;

	snprintf(dir, sizeof(dir), "%s/sys/block/%s",
		 ctx->sysroot && strcmp(ctx->sysroot, "/") ? ctx->sysroot : "", l->disk);
	n = scandir(dir, &ents, NULL, versionsort);
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;

		if (ret == 0 && str_startswith(name, l->disk) && strcmp(name, l->disk) &&
		    snprintf(dev, sizeof(dev), "/dev/%s", name) < (int)sizeof(dev) &&
		    inst_dev_ok(dev))
			ret = inst_run(ctx, argv, NULL, NULL);
		free(ents[i]);
	}
	free(ents);
	if (ret < 0)
		return ret;
	return inst_run(ctx, whole, NULL, NULL);
}

static bool on_disk(const char *pv, const char *disk_dev)
{
	size_t n = strlen(disk_dev);

	return !strncmp(pv, disk_dev, n) && ((pv[n] >= '0' && pv[n] <= '9') || pv[n] == 'p');
}

/*
 * Before anything is written: volume groups with a PV on the chosen disk are
 * deactivated (their LVs would keep the old partitions busy); a VG named
 * "pve" elsewhere is refused, as the new one could not be created.
 */
static int lvm_prepare(struct inst_ctx *ctx)
{
	const char *pvs[] = { "pvs", "--noheadings", "-o", "pv_name,vg_name", NULL };
	char *out = NULL, *line, *save = NULL;
	char done[8][128];
	size_t n_done = 0;
	int ret = 0;

	if (inst_run(ctx, pvs, NULL, &out) < 0) {	/* no LVM here at all */
		ip_err_clear(&ctx->err);
		return 0;
	}
	for (line = strtok_r(out, "\n", &save); line && ret == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		char pv[128], vg[128] = "";
		const char *off[] = { "vgchange", "-a", "n", vg, NULL };
		bool seen = false;

		if (sscanf(line, " %127s %127s", pv, vg) < 2 || !vg[0])
			continue;
		if (!on_disk(pv, ctx->layout.disk_dev)) {
			if (!strcmp(vg, "pve"))
				ret = ip_err_set(&ctx->err, -EEXIST,
						 "volume group 'pve' already exists on '%s': rename "
						 "or remove it first (vgrename/vgremove)", pv);
			continue;
		}
		for (size_t i = 0; i < n_done; i++)
			seen |= !strcmp(done[i], vg);
		if (seen || !runner_word_ok(vg))
			continue;
		ret = inst_run(ctx, off, NULL, NULL);
		if (n_done < 8)
			snprintf(done[n_done++], sizeof(done[0]), "%s", vg);
	}
	free(out);
	return ret;
}

int inst_partition(struct inst_ctx *ctx)
{
	struct inst_layout *l = &ctx->layout;
	const struct answer_disk_setup *ds = ctx->answer ? &ctx->answer->disk : NULL;
	const char *sfdisk[] = { "sfdisk", "--wipe", "always", "--wipe-partitions", "always",
				 l->disk_dev, NULL };
	const char *partprobe[] = { "partprobe", l->disk_dev, NULL };
	const char *settle[] = { "udevadm", "settle", "--timeout=30", NULL };
	unsigned long long lvm_mib = 0, avail;
	char *script;
	int ret;

	if (!inst_dev_ok(l->disk_dev))
		return ip_err_set(&ctx->err, -EINVAL, "invalid disk device '%s'", l->disk_dev);
	if (!l->esp_mib)
		l->esp_mib = inst_esp_mib(l->disk_mib * MIB);
	/* 1 MiB alignment gap, 1 MiB BIOS boot, the ESP, 1 MiB for the backup GPT */
	if (l->disk_mib < l->esp_mib + 3 + INST_DISK_MIN_BYTES / MIB / 2)
		return ip_err_set(&ctx->err, -ENOSPC, "disk '%s' is too small: %llu MiB",
				  l->disk, l->disk_mib);
	avail = l->disk_mib - l->esp_mib - 3;
	if (ds && ds->has_hdsize) {
		unsigned long long hd = (unsigned long long)(ds->hdsize * 1024);

		if (hd <= l->esp_mib + 2)
			return ip_err_set(&ctx->err, -ENOSPC, "lvm.hdsize %.1f GiB is too small",
					  ds->hdsize);
		lvm_mib = hd - l->esp_mib - 2;
		if (lvm_mib > avail)
			lvm_mib = 0;
	}
	l->lvm_mib = lvm_mib ? lvm_mib : avail;

	inst_progress(ctx, "partition", 0, "wiping old signatures");
	ret = lvm_prepare(ctx);
	if (ret == 0)
		ret = wipe_signatures(ctx);
	if (ret < 0)
		return ret;
	script = inst_part_script(l->esp_mib, lvm_mib);
	if (!script)
		return ip_err_set(&ctx->err, -ENOMEM, "out of memory");
	inst_progress(ctx, "partition", 30, "writing the partition table");
	ret = inst_run(ctx, sfdisk, script, NULL);
	free(script);
	if (ret < 0)
		return ret;
	/* sfdisk already told the kernel; these only make sure udev caught up */
	if (inst_run(ctx, partprobe, NULL, NULL) < 0)
		ip_err_clear(&ctx->err);
	if (inst_run(ctx, settle, NULL, NULL) < 0)
		ip_err_clear(&ctx->err);
	inst_progress(ctx, "partition", 100, l->disk_dev);
	return 0;
}
