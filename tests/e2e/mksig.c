// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mksig: write a disk signature into an image file for the e2e refusals
 * (tests/e2e/install.sh), where the tool that normally makes it needs a
 * kernel this machine lacks. The formats are those of tests/unit/sig-images.c.
 *
 *	mksig md IMAGE [OFFSET]		an md v1.2 member superblock
 *	mksig lvm IMAGE [OFFSET]	an LVM2 PV label
 *	mksig luks IMAGE [OFFSET]	a LUKS1 header
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sig-images.h"

int main(int argc, char **argv)
{
	unsigned long long off = 0;
	struct stat st;
	int ret;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: mksig md|lvm|luks IMAGE [OFFSET]\n");
		return 2;
	}
	if (argc == 4)
		off = strtoull(argv[3], NULL, 0);
	if (stat(argv[2], &st) < 0 || (unsigned long long)st.st_size <= off) {
		fprintf(stderr, "mksig: '%s' is missing or smaller than the offset\n", argv[2]);
		return 1;
	}
	if (!strcmp(argv[1], "md"))
		ret = sigimg_md_member(argv[2], off, (unsigned long long)st.st_size - off);
	else if (!strcmp(argv[1], "lvm"))
		ret = sigimg_lvm_pv(argv[2], off, (unsigned long long)st.st_size - off);
	else if (!strcmp(argv[1], "luks"))
		ret = sigimg_luks1(argv[2], off);
	else {
		fprintf(stderr, "mksig: unknown signature '%s'\n", argv[1]);
		return 2;
	}
	if (ret < 0) {
		fprintf(stderr, "mksig: cannot write '%s': %s\n", argv[2], strerror(-ret));
		return 1;
	}
	return 0;
}
