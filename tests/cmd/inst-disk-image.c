// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Driver for tests/cmd/inst-disk-image.sh: runs the real disk steps with the
 * real runner on a loop device.
 *	inst-disk-image part /dev/loopN		select + wipe + sfdisk
 *	inst-disk-image mkfs ESP ROOT [SWAP]	mkfs + blkid, prints the UUIDs
 *	inst-disk-image unpack ESP ROOT TARGET ARCHIVE
 *		mount root + ESP at TARGET, unpack ARCHIVE there, unmount
 *	inst-disk-image btrfs RAID ESP TARGET DEV…
 *		mkfs (vfat on ESP, one btrfs over DEV…), mount at TARGET (with the
 *		subvolume), unmount; prints the filesystem's UUID
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "install/inst-disk.h"
#include "install/inst-steps.h"
#include "runner.h"
#include "util.h"

static int fail(struct inst_ctx *ctx)
{
	fprintf(stderr, "inst-disk-image: %s\n", ip_err_msg(&ctx->err));
	return 1;
}

static int part(struct inst_ctx *ctx, const char *dev)
{
	const char *argv[] = { "blockdev", "--getsize64", dev, NULL };
	static struct answer a;
	static struct hw hw;
	static struct hw_disk d;
	char *list[1];
	char *out = NULL;
	uint64_t size;

	if (inst_run(ctx, argv, NULL, &out) < 0)
		return fail(ctx);
	out[strcspn(out, "\n")] = '\0';
	if (ip_strtou64(out, 10, &size) < 0)
		return 1;
	free(out);
	snprintf(d.name, sizeof(d.name), "%s", dev + 5);
	d.size_bytes = size;
	d.logical_block = 512;
	hw.disks = &d;
	hw.n_disks = 1;
	list[0] = d.name;
	a.disk.disk_list = list;
	a.disk.n_disk_list = 1;
	a.ironpass.wipe = ANSWER_WIPE_ALWAYS;
	ctx->automatic = true;		/* the disk holds an old table: an unattended wipe */
	ctx->hw = &hw;
	ctx->answer = &a;
	if (inst_disk_select(ctx) < 0 || inst_partition(ctx) < 0)
		return fail(ctx);
	printf("disk %s esp %llu MiB lvm %llu MiB\n", ctx->layout.disk_dev, ctx->layout.esp_mib,
	       ctx->layout.lvm_mib);
	return 0;
}

static int mkfs(struct inst_ctx *ctx, char **argv, int argc)
{
	struct inst_layout *l = &ctx->layout;

	snprintf(l->part_esp, sizeof(l->part_esp), "%s", argv[0]);
	snprintf(l->root_dev, sizeof(l->root_dev), "%s", argv[1]);
	if (argc > 2)
		snprintf(l->swap_dev, sizeof(l->swap_dev), "%s", argv[2]);
	snprintf(l->root_fstype, sizeof(l->root_fstype), "ext4");
	l->logical_block = 512;
	if (inst_mkfs(ctx) < 0)
		return fail(ctx);
	printf("root %s\nesp %s\nswap %s\n", l->root_uuid, l->esp_uuid, l->swap_uuid);
	return 0;
}

static int unpack(struct inst_ctx *ctx, char **argv)
{
	struct inst_layout *l = &ctx->layout;
	static struct hw hw;
	unsigned long long size;
	int ret;

	snprintf(l->part_esp, sizeof(l->part_esp), "%s", argv[0]);
	snprintf(l->root_dev, sizeof(l->root_dev), "%s", argv[1]);
	snprintf(l->root_fstype, sizeof(l->root_fstype), "ext4");
	ctx->target = argv[2];
	ctx->hw = &hw;
	if (sha256_file(NULL, argv[3], ctx->base_sha256, &size) < 0)
		return 1;
	if (inst_mount(ctx) < 0)
		return fail(ctx);
	ret = inst_unpack_file(ctx, argv[3], ctx->base_sha256, size, NULL);
	if (ret < 0)
		fail(ctx);
	if (inst_umount(ctx) < 0)
		return fail(ctx);
	printf("mounts left %u\n", ctx->mounts.n);
	return ret < 0;
}

static int btrfs(struct inst_ctx *ctx, char **argv, int argc)
{
	struct inst_layout *l = &ctx->layout;
	static struct hw hw;

	if (argc - 3 > INST_MAX_DISKS)
		return 2;
	snprintf(l->btrfs_raid, sizeof(l->btrfs_raid), "%s", argv[0]);
	snprintf(l->part_esp, sizeof(l->part_esp), "%s", argv[1]);
	ctx->target = argv[2];
	snprintf(l->part_lvm, sizeof(l->part_lvm), "%s", argv[3]);
	snprintf(l->root_dev, sizeof(l->root_dev), "%s", argv[3]);
	for (int i = 4; i < argc; i++)
		snprintf(l->extra[l->n_extra++].part_os, sizeof(l->extra[0].part_os), "%s",
			 argv[i]);
	snprintf(l->root_fstype, sizeof(l->root_fstype), "btrfs");
	l->logical_block = 512;
	ctx->hw = &hw;
	if (inst_mkfs(ctx) < 0 || inst_mount(ctx) < 0)
		return fail(ctx);
	if (inst_umount(ctx) < 0)
		return fail(ctx);
	printf("root %s\nmounts left %u\n", l->root_uuid, ctx->mounts.n);
	return 0;
}

int main(int argc, char **argv)
{
	struct inst_ctx ctx = { .sysroot = "" };
	struct runner r;

	runner_spawn_init(&r);
	ctx.runner = &r;
	if (argc == 3 && !strcmp(argv[1], "part"))
		return part(&ctx, argv[2]);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "mkfs"))
		return mkfs(&ctx, argv + 2, argc - 2);
	if (argc == 6 && !strcmp(argv[1], "unpack"))
		return unpack(&ctx, argv + 2);
	if (argc >= 6 && !strcmp(argv[1], "btrfs"))
		return btrfs(&ctx, argv + 2, argc - 2);
	fprintf(stderr, "usage: inst-disk-image part DEV | mkfs ESP ROOT [SWAP] | "
		"unpack ESP ROOT TARGET ARCHIVE | btrfs RAID ESP TARGET DEV...\n");
	return 2;
}
