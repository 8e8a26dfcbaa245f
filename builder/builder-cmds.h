/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_BUILDER_CMDS_H
#define IRONPASS_BUILDER_CMDS_H

/* One function per ironpass command, each in its own cli-<name>.c. */

int cmd_validate(int argc, char **argv);
int cmd_standin_pool(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_zfs_modules(int argc, char **argv);
int cmd_pxe(int argc, char **argv);

#endif
