/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INSTALLER_CMDS_H
#define IRONPASS_INSTALLER_CMDS_H

/* One function per ironpass-installer command, each in its own cli-<name>.c. */

int cmd_detect(int argc, char **argv);
int cmd_firstboot(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_validate_answer(int argc, char **argv);

#endif
