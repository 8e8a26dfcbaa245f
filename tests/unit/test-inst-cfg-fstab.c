// SPDX-License-Identifier: GPL-2.0-or-later
/* fstab by UUID: exact text for ext4 and xfs, refusals, the file under the target. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "hw-tree.h"
#include "path.h"
#include "target/inst-cfg.h"

static void layout(struct inst_layout *l, const char *fs)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->root_fstype, sizeof(l->root_fstype), "%s", fs);
	snprintf(l->root_uuid, sizeof(l->root_uuid), "0f3c6d2e-8b1a-4c55-9e77-2d1b6a4c9f10");
	snprintf(l->esp_uuid, sizeof(l->esp_uuid), "A1B2-C3D4");
	snprintf(l->swap_uuid, sizeof(l->swap_uuid), "5e2a9c1d-77aa-4b0e-8c3f-0a1b2c3d4e5f");
}

static void test_ext4(void **state)
{
	struct inst_layout l;
	struct ip_err err = { 0 };
	char *t;

	(void)state;
	layout(&l, "ext4");
	t = inst_cfg_fstab_text(&l, &err);
	assert_non_null(t);
	assert_string_equal(t,
		"# /etc/fstab: written by ironpass\n"
		"# <file system> <mount point> <type> <options> <dump> <pass>\n"
		"UUID=0f3c6d2e-8b1a-4c55-9e77-2d1b6a4c9f10 / ext4 errors=remount-ro 0 1\n"
		"UUID=A1B2-C3D4 /boot/efi vfat umask=0077 0 1\n"
		"UUID=5e2a9c1d-77aa-4b0e-8c3f-0a1b2c3d4e5f none swap sw 0 0\n"
		"proc /proc proc defaults 0 0\n");
	free(t);
}

static void test_xfs_no_swap(void **state)
{
	struct inst_layout l;
	struct ip_err err = { 0 };
	char *t;

	(void)state;
	layout(&l, "xfs");
	l.swap_uuid[0] = '\0';
	t = inst_cfg_fstab_text(&l, &err);
	assert_non_null(t);
	assert_non_null(strstr(t, " / xfs defaults 0 1\n"));
	assert_null(strstr(t, "swap"));
	free(t);
}

static void test_refused(void **state)
{
	struct inst_layout l;
	struct ip_err err = { 0 };

	(void)state;
	layout(&l, "ext4");
	snprintf(l.root_uuid, sizeof(l.root_uuid), "x y\n/ ");
	assert_null(inst_cfg_fstab_text(&l, &err));
	assert_int_equal(err.code, -EINVAL);
	layout(&l, "jfs");
	assert_null(inst_cfg_fstab_text(&l, &err));
	assert_string_equal(err.msg, "unsupported root file system 'jfs'");
}

static void test_written(void **state)
{
	struct inst_ctx ctx = { 0 };
	char *root = hwt_new(), *text = NULL, full[512];
	struct stat st;
	size_t len;

	(void)state;
	ctx.target = root;
	layout(&ctx.layout, "ext4");
	assert_int_equal(inst_cfg_fstab(&ctx), 0);
	assert_int_equal(path_read_all(root, "/etc/fstab", 4096, &text, &len), 0);
	assert_non_null(strstr(text, "UUID=A1B2-C3D4 /boot/efi vfat umask=0077"));
	snprintf(full, sizeof(full), "%s/etc/fstab", root);
	assert_int_equal(stat(full, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	free(text);
	hwt_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ext4),
		cmocka_unit_test(test_xfs_no_swap),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_written),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
