// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * How long an external program may run when its caller gives no timeout
 * (issue 10: nothing hangs). One row per program, keyed by the name the
 * program runs under: "chroot DIR apt-get ..." counts as apt-get, and
 * "/usr/sbin/sfdisk" as sfdisk. Patterns are fnmatch(3) globs ("mkfs.*").
 * Programs in no row get RUNNER_TIMEOUT_DEFAULT_S. Interactive runs
 * (RUN_TTY: dialog) get none.
 *
 * The values are generous on purpose: the e2e install runs under QEMU TCG,
 * where update-initramfs takes about 13 minutes and the packages step about
 * 150 s; a timeout is there to end a hang, not to hurry a slow machine.
 * docs/man/ironpass-installer.8.scd (TIMEOUTS) lists this table: change both.
 */
#include <fnmatch.h>
#include <stddef.h>
#include <string.h>

#include "runner.h"

#define MIN 60

const struct runner_timeout runner_timeouts[] = {
	/* probes and small disk commands */
	{ "blkid", 60 },
	{ "blockdev", 60 },
	{ "wipefs", 2 * MIN },
	{ "sfdisk", 5 * MIN },
	{ "partprobe", 2 * MIN },
	{ "udevadm", 3 * MIN },
	{ "ip", MIN },
	{ "efibootmgr", 2 * MIN },
	{ "systemctl", 2 * MIN },
	{ "chattr", MIN },
	/* LVM: listing is quick, creating may zero and wipe */
	{ "pvs", 2 * MIN },
	{ "vgs", 2 * MIN },
	{ "lvs", 2 * MIN },
	{ "pvcreate", 10 * MIN },
	{ "vgcreate", 10 * MIN },
	{ "vgchange", 10 * MIN },
	{ "lvcreate", 10 * MIN },
	{ "lvconvert", 10 * MIN },
	{ "lvremove", 10 * MIN },
	{ "vgremove", 10 * MIN },
	{ "pvremove", 10 * MIN },
	/* file systems; mount and sync may flush gigabytes to a slow disk */
	{ "mkfs.*", 20 * MIN },
	{ "mkswap", 10 * MIN },
	{ "btrfs", 10 * MIN },
	{ "zpool", 10 * MIN },
	{ "zfs", 10 * MIN },
	{ "mount", 5 * MIN },
	{ "umount", 10 * MIN },
	{ "sync", 20 * MIN },
	/* in the target: packages, initramfs, boot loader */
	{ "apt-get", 90 * MIN },
	{ "dpkg", 90 * MIN },
	{ "debconf-set-selections", 10 * MIN },
	{ "update-initramfs", 90 * MIN },
	{ "proxmox-boot-tool", 90 * MIN },
	{ "update-grub", 45 * MIN },
	{ "grub-install", 30 * MIN },
	{ "create_pmxcfs_db", 5 * MIN },
	/* first boot */
	{ "qm", 15 * MIN },
	{ "pvesubscription", 5 * MIN },
	/* the builder */
	{ "mmdebstrap", 180 * MIN },
	{ "mksquashfs", 90 * MIN },
	{ "unsquashfs", 90 * MIN },
	{ "xorriso", 60 * MIN },
	{ "dpkg-scanpackages", 60 * MIN },
	{ "dpkg-deb", 30 * MIN },
	{ "zstd", 60 * MIN },
	{ "cp", 60 * MIN },
	{ "rm", 60 * MIN },
	{ "mmd", 10 * MIN },
	{ "mcopy", 10 * MIN },
	{ NULL, 0 },
};

const char *runner_prog(const char *const *argv)
{
	const char *prog, *slash;

	if (!argv || !argv[0])
		return "";
	prog = argv[0];
	slash = strrchr(prog, '/');
	if (slash && slash[1])
		prog = slash + 1;
	if (strcmp(prog, "chroot") == 0) {
		/* chroot [OPTION...] NEWROOT [COMMAND [ARG...]] */
		size_t i = 1;

		while (argv[i] && argv[i][0] == '-') {
			if (strcmp(argv[i++], "--") == 0)
				break;
		}
		if (argv[i] && argv[i + 1])
			return runner_prog(argv + i + 1);
	}
	return prog;
}

unsigned runner_timeout_s(const struct runner_timeout *table, const char *prog)
{
	for (const struct runner_timeout *t = table ? table : runner_timeouts; t->prog; t++)
		if (fnmatch(t->prog, prog ? prog : "", 0) == 0)
			return t->seconds;
	return RUNNER_TIMEOUT_DEFAULT_S;
}

unsigned runner_timeout_ms(const struct runner *r, const char *const *argv,
			   const struct run_opts *o)
{
	if (o && o->timeout_ms)
		return o->timeout_ms;
	if (o && (o->flags & RUN_TTY))
		return 0;
	return runner_timeout_s(r ? r->timeouts : NULL, runner_prog(argv)) * 1000u;
}
