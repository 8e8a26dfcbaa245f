// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in packages' scripts and unit, kept as real files under
 * builder/payload/standin/ and embedded here at build time with the
 * assembler's .incbin (the Makefile runs the compiler from the top of the
 * tree and rebuilds this object when a file there changes). Each is
 * NUL-terminated: bld-standin-debs.c uses them as strings.
 */
#include "payload/bld-payload.h"

#define STANDIN_DIR "builder/payload/standin/"

#define STANDIN_INCBIN(sym, file)				\
	__asm__(".section .rodata\n"				\
		".global " #sym "\n"				\
		".type " #sym ", @object\n"			\
		#sym ":\n"					\
		".incbin \"" STANDIN_DIR file "\"\n"		\
		".byte 0\n"					\
		".size " #sym ", . - " #sym "\n"		\
		".previous\n")

STANDIN_INCBIN(bld_standin_qm, "qm");
STANDIN_INCBIN(bld_standin_pvesm, "pvesm");
STANDIN_INCBIN(bld_standin_pmxcfs, "standin-pmxcfs");
STANDIN_INCBIN(bld_standin_create_pmxcfs_db, "create_pmxcfs_db");
STANDIN_INCBIN(bld_standin_cluster_unit, "pve-cluster.service");
