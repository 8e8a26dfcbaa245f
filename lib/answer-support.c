// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What ironpass can install, in one place: `validate` reports an answer
 * that asks for more as an error at the key, and the install refuses the
 * same answer with the same words before it downloads or writes anything.
 */
#include "answer.h"

const char *answer_fs_name(enum answer_fs fs)
{
	switch (fs) {
	case ANSWER_FS_EXT4: return "ext4";
	case ANSWER_FS_XFS: return "xfs";
	case ANSWER_FS_ZFS: return "zfs";
	case ANSWER_FS_BTRFS: return "btrfs";
	}
	return "?";
}

const char *answer_fs_unsupported(enum answer_fs fs)
{
	switch (fs) {
	case ANSWER_FS_EXT4:
	case ANSWER_FS_XFS:
	case ANSWER_FS_BTRFS:
	case ANSWER_FS_ZFS:
		return NULL;
	}
	return "ironpass cannot install this filesystem";
}
