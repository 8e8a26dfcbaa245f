// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * passthrough on a running host (installer/host/): the hardware of a fixture
 * machine (sysroot, read only) and a host's /etc from tests/fixtures/hosts
 * copied into a temporary root. Apply writes what the plan says where the
 * host's loader reads it and runs the right refresh; a second apply changes
 * nothing; undo puts every byte back; refusals change nothing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "host/host.h"
#include "hw-tree.h"
#include "path.h"
#include "plan/plan.h"
#include "util.h"

#define T0 1735787045	/* 2025-01-02T03:04:05Z */
#define STATUS_UEFI "System currently booted with uefi\n" \
	"5A3C-91F2 is configured with: uefi (versions: 6.8.12-4-pve)\n" \
	"5A3D-0B17 is configured with: uefi (versions: 6.8.12-4-pve)\n"

struct host_fx {
	char *root;
	char sysroot[512];
	struct hw hw;
	struct plan plan;
	struct fake_runner f;
	struct host_ctx ctx;
};

/* machine @machine's hardware, host @host's files; the default policy */
static void fx_init(struct host_fx *x, const char *machine, const char *host)
{
	struct answer_passthrough pt;
	struct answer_vm_template vm;
	struct ip_err err = { 0 };
	char src[512];

	memset(x, 0, sizeof(*x));
	x->root = hwt_new();
	snprintf(src, sizeof(src), "%s", hwt_fixture("hosts/"));
	strncat(src, host, sizeof(src) - strlen(src) - 1);
	hwt_copy(x->root, src);
	hwt_rm(x->root, "/machine");
	assert_int_equal(hw_detect(hwt_fixture(machine), &x->hw, &err), 0);
	plan_default_policy(&pt, &vm);
	assert_int_equal(plan_build(&x->hw, &pt, &vm, &x->plan, &err), 0);
	fake_runner_init(&x->f);
	fake_runner_rule(&x->f, "proxmox-boot-tool status", 0, STATUS_UEFI);
	snprintf(x->sysroot, sizeof(x->sysroot), "%s", hwt_fixture(machine));
	x->ctx.sysroot = x->sysroot;
	x->ctx.root = x->root;
	x->ctx.hw = &x->hw;
	x->ctx.runner = &x->f.r;
	x->ctx.now = T0;
}

static void fx_release(struct host_fx *x)
{
	plan_release(&x->plan);
	hw_release(&x->hw);
	fake_runner_release(&x->f);
	hwt_free(x->root);
}

static char *slurp(const char *root, const char *path)
{
	char *t = NULL;
	size_t len;

	assert_int_equal(path_read_all(root, path, 1u << 20, &t, &len), 0);
	return t;
}

static void assert_file(const char *root, const char *path, const char *want)
{
	char *t = slurp(root, path);

	assert_string_equal(t, want);
	free(t);
}

/* everything under root except /var (where the backups go) */
static char *etc_listing(const char *root)
{
	char *all = hwt_listing(root), *out = calloc(1, strlen(all) + 1), *o = out;

	assert_non_null(out);
	for (char *line = all, *end; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (strncmp(line, "/var", 4) && strncmp(line, "/ ", 2)) {
			memcpy(o, line, (size_t)(end - line) + 1);
			o += end - line + 1;
		}
	}
	free(all);
	return out;
}

static void assert_calls(const struct fake_runner *f, size_t from, const char *const *want)
{
	size_t n = 0;

	for (; want[n]; n++) {
		assert_true(from + n < f->n_calls);
		assert_string_equal(f->calls[from + n].cmd, want[n]);
	}
	assert_int_equal(f->n_calls, from + n);
}

static size_t n_backups(const char *root)
{
	char *all = hwt_listing(root);
	size_t n = 0;

	for (char *p = all; (p = strstr(p, "/manifest.json ")); p++)
		n++;
	free(all);
	return n;
}

static void test_grub_apply(void **state)
{
	static const char *const calls[] = { "update-initramfs -u -k all", "update-grub", NULL };
	struct host_result r = { 0 };
	struct host_fx x;
	char *grub, *modules, *want, *dropin;

	(void)state;
	fx_init(&x, "qemu-e2e", "grub");
	assert_true(x.plan.plan_ok);
	grub = slurp(x.root, HOST_GRUB_DEFAULT);
	modules = slurp(x.root, PLAN_INITRAMFS_MODULES);
	assert_int_equal(host_apply(&x.ctx, &x.plan, &r), 0);
	assert_true(r.changed);
	assert_int_equal(r.boot.kind, INST_BOOT_GRUB);
	/* the words in the drop-in only; /etc/kernel/cmdline is not GRUB's */
	dropin = inst_cfg_grub_dropin_text((const char *const *)x.plan.kernel_args,
					   x.plan.n_kernel_args, &x.ctx.err);
	assert_non_null(strstr(dropin, "intel_iommu=on iommu=pt\""));
	assert_file(x.root, INST_GRUB_DROPIN, dropin);
	assert_false(path_exists(x.root, INST_KERNEL_CMDLINE));
	assert_file(x.root, HOST_GRUB_DEFAULT, grub);
	assert_file(x.root, "/etc/default/grub.d/50-local.cfg",
		    "# another package's drop-in, left alone\n"
		    "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT\"\n");
	/* the vfio files as the plan says */
	assert_non_null(strstr(x.plan.modprobe_conf, "ids=1234:1111,8086:293e disable_vga=1"));
	assert_file(x.root, PLAN_MODPROBE_PATH, x.plan.modprobe_conf);
	assert_file(x.root, PLAN_MODULES_LOAD_PATH, x.plan.modules_load);
	assert_int_equal(asprintf(&want, "%s%s", modules, x.plan.initramfs_modules),
			 (int)(strlen(modules) + strlen(x.plan.initramfs_modules)));
	assert_file(x.root, PLAN_INITRAMFS_MODULES, want);
	assert_calls(&x.f, 0, calls);
	/* the backup: the one file that existed, and the manifest */
	assert_string_equal(r.backup, "20250102T030405Z");
	assert_file(r.backup_dir, PLAN_INITRAMFS_MODULES, modules);
	assert_false(path_exists(r.backup_dir, INST_GRUB_DROPIN));
	assert_int_equal(n_backups(x.root), 1);
	free(want);
	free(dropin);
	free(grub);
	free(modules);
	host_result_release(&r);
	fx_release(&x);
}

static void test_sdboot_apply(void **state)
{
	static const char *const calls[] = { "proxmox-boot-tool status",
		"update-initramfs -u -k all", "proxmox-boot-tool refresh", NULL };
	struct host_result r = { 0 };
	struct host_fx x;
	char *grub;

	(void)state;
	fx_init(&x, "intel-hybrid-nvidia", "pbt-sdboot");
	grub = slurp(x.root, HOST_GRUB_DEFAULT);
	assert_int_equal(host_apply(&x.ctx, &x.plan, &r), 0);
	assert_int_equal(r.boot.kind, INST_BOOT_PBT_SDBOOT);
	assert_non_null(strstr(r.boot.why, "2 configured with uefi"));
	assert_file(x.root, INST_KERNEL_CMDLINE,
		    "root=ZFS=rpool/ROOT/pve-1 boot=zfs intel_iommu=on iommu=pt\n");
	/* GRUB is installed too, but not what boots: untouched */
	assert_false(path_exists(x.root, INST_GRUB_DROPIN));
	assert_file(x.root, HOST_GRUB_DEFAULT, grub);
	assert_file(x.root, PLAN_MODPROBE_PATH, x.plan.modprobe_conf);
	assert_non_null(strstr(x.plan.modprobe_conf, "ids=10de:1e87,10de:10f8,10de:1ad8,10de:1ad9"));
	assert_file(x.root, PLAN_MODULES_LOAD_PATH, "# Written by ironpass-installer "
		    "(ironpass-installer plan explains it).\nvfio\nvfio_iommu_type1\nvfio_pci\n");
	assert_calls(&x.f, 0, calls);
	assert_file(r.backup_dir, INST_KERNEL_CMDLINE, "root=ZFS=rpool/ROOT/pve-1 boot=zfs\n");
	free(grub);
	host_result_release(&r);
	fx_release(&x);
}

/* the same plan again: nothing is written, no backup, nothing runs */
static void test_apply_twice(void **state)
{
	struct host_result r1 = { 0 }, r2 = { 0 };
	struct host_fx x;
	char *after;
	size_t from;

	(void)state;
	fx_init(&x, "intel-hybrid-nvidia", "pbt-sdboot");
	assert_int_equal(host_apply(&x.ctx, &x.plan, &r1), 0);
	after = hwt_listing(x.root);
	x.ctx.now = T0 + 60;
	from = x.f.n_calls;
	assert_int_equal(host_apply(&x.ctx, &x.plan, &r2), 0);
	assert_false(r2.changed);
	assert_string_equal(r2.backup, "");
	assert_int_equal(r2.n_cmds, 0);
	for (size_t i = 0; i < r2.n_files; i++)
		assert_int_equal(r2.files[i].action, HOST_KEEP);
	/* only the read-only status query ran */
	assert_int_equal(x.f.n_calls, from + 1);
	assert_string_equal(x.f.calls[from].cmd, "proxmox-boot-tool status");
	{
		char *again = hwt_listing(x.root);

		assert_string_equal(again, after);
		free(again);
	}
	assert_int_equal(n_backups(x.root), 1);
	free(after);
	host_result_release(&r1);
	host_result_release(&r2);
	fx_release(&x);
}

static void test_dry_run(void **state)
{
	struct host_result r = { 0 };
	struct host_fx x;
	char *before, *after;

	(void)state;
	fx_init(&x, "qemu-e2e", "grub");
	before = hwt_listing(x.root);
	assert_int_equal(host_dry_run(&x.ctx, &x.plan, &r), 0);
	after = hwt_listing(x.root);
	assert_string_equal(after, before);
	assert_int_equal(x.f.n_calls, 0);
	assert_true(r.changed);
	assert_int_equal(r.n_cmds, 2);
	assert_string_equal(r.cmds[1][0], "update-grub");
	assert_int_equal(r.n_files, 4);
	assert_string_equal(r.files[3].path, INST_GRUB_DROPIN);
	assert_int_equal(r.files[3].action, HOST_CREATE);
	assert_int_equal(r.files[2].action, HOST_CHANGE);
	free(before);
	free(after);
	host_result_release(&r);
	fx_release(&x);
}

/* apply, then undo: every byte (and mode, and directory) as before */
static void undo_round(const char *machine, const char *host, const char *refresh)
{
	struct host_undo_opts o = { 0 };
	struct host_result r = { 0 }, u = { 0 };
	struct host_fx x;
	char *before, *after, *manifest;
	size_t from;

	fx_init(&x, machine, host);
	before = etc_listing(x.root);
	assert_int_equal(host_apply(&x.ctx, &x.plan, &r), 0);
	after = etc_listing(x.root);
	assert_string_not_equal(after, before);
	free(after);
	from = x.f.n_calls;
	x.ctx.now = T0 + 3600;
	assert_int_equal(host_undo(&x.ctx, &o, &u), 0);
	after = etc_listing(x.root);
	assert_string_equal(after, before);
	{
		const char *const calls[] = { "update-initramfs -u -k all", refresh, NULL };

		assert_calls(&x.f, from, calls);
	}
	manifest = slurp(r.backup_dir, "/" HOST_MANIFEST);
	assert_non_null(strstr(manifest, "\"restored\": \"20250102T040405Z\""));
	free(manifest);
	free(before);
	free(after);
	host_result_release(&r);
	host_result_release(&u);
	fx_release(&x);
}

static void test_undo_grub(void **state)
{
	(void)state;
	undo_round("qemu-e2e", "grub", "update-grub");
}

static void test_undo_sdboot(void **state)
{
	(void)state;
	undo_round("intel-hybrid-nvidia", "pbt-sdboot", "proxmox-boot-tool refresh");
}

/* a file edited after the apply: undo names it and changes nothing, unless forced */
static void test_undo_after_edit(void **state)
{
	struct host_undo_opts o = { 0 };
	struct host_result r = { 0 }, u = { 0 }, u2 = { 0 };
	struct host_fx x;
	char *original, *edited, *now;
	size_t from;

	(void)state;
	fx_init(&x, "intel-hybrid-nvidia", "pbt-sdboot");
	original = etc_listing(x.root);
	assert_int_equal(host_apply(&x.ctx, &x.plan, &r), 0);
	hwt_file(x.root, INST_KERNEL_CMDLINE,
		 "root=ZFS=rpool/ROOT/pve-1 boot=zfs intel_iommu=on iommu=pt quiet\n");
	edited = etc_listing(x.root);
	from = x.f.n_calls;
	assert_int_equal(host_undo(&x.ctx, &o, &u), -EBUSY);
	assert_non_null(strstr(x.ctx.err.msg, "'/etc/kernel/cmdline' was changed after"));
	assert_non_null(strstr(x.ctx.err.msg, "--force"));
	now = etc_listing(x.root);
	assert_string_equal(now, edited);
	free(now);
	assert_int_equal(x.f.n_calls, from);
	/* forced: back to the original */
	o.force = true;
	assert_int_equal(host_undo(&x.ctx, &o, &u2), 0);
	now = etc_listing(x.root);
	assert_string_equal(now, original);
	free(now);
	free(original);
	free(edited);
	host_result_release(&r);
	host_result_release(&u);
	host_result_release(&u2);
	fx_release(&x);
}

/* undo once only; a file removed by hand since is simply as before */
static void test_undo_twice(void **state)
{
	struct host_undo_opts o = { 0 };
	struct host_result r = { 0 }, u = { 0 }, u2 = { 0 }, u3 = { 0 };
	struct host_fx x;

	(void)state;
	fx_init(&x, "qemu-e2e", "grub");
	assert_int_equal(host_apply(&x.ctx, &x.plan, &r), 0);
	hwt_rm(x.root, PLAN_MODPROBE_PATH);
	assert_int_equal(host_undo(&x.ctx, &o, &u), 0);
	assert_int_equal(u.files[0].action, HOST_KEEP);
	assert_false(u.files[0].modified);
	assert_int_equal(u.files[1].action, HOST_REMOVE);
	assert_int_equal(host_undo(&x.ctx, &o, &u2), -ENOENT);
	o.name = "20250102T030405Z";
	assert_int_equal(host_undo(&x.ctx, &o, &u3), -EALREADY);
	host_result_release(&r);
	host_result_release(&u);
	host_result_release(&u2);
	host_result_release(&u3);
	fx_release(&x);
}

/* a refused plan (no IOMMU) writes nothing and runs nothing */
static void test_refused_plan(void **state)
{
	struct host_result r = { 0 };
	struct host_fx x;
	char *before, *after;

	(void)state;
	fx_init(&x, "iommu-off", "grub");
	assert_false(x.plan.plan_ok);
	before = hwt_listing(x.root);
	assert_int_equal(host_apply(&x.ctx, &x.plan, &r), -EINVAL);
	assert_non_null(strstr(x.ctx.err.msg, "the passthrough plan was refused: no IOMMU"));
	after = hwt_listing(x.root);
	assert_string_equal(after, before);
	assert_int_equal(x.f.n_calls, 0);
	assert_false(r.changed);
	free(before);
	free(after);
	host_result_release(&r);
	fx_release(&x);
}

/* systemd-boot without root= in /etc/kernel/cmdline: refused before any write */
static void test_sdboot_needs_root(void **state)
{
	struct host_result r = { 0 };
	struct host_fx x;
	char *before, *after;

	(void)state;
	fx_init(&x, "intel-hybrid-nvidia", "pbt-sdboot");
	hwt_file(x.root, INST_KERNEL_CMDLINE, "boot=zfs\n");
	before = hwt_listing(x.root);
	assert_int_equal(host_apply(&x.ctx, &x.plan, &r), -EINVAL);
	assert_non_null(strstr(x.ctx.err.msg, "has no root= word"));
	after = hwt_listing(x.root);
	assert_string_equal(after, before);
	free(before);
	free(after);
	host_result_release(&r);
	fx_release(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grub_apply),
		cmocka_unit_test(test_sdboot_apply),
		cmocka_unit_test(test_apply_twice),
		cmocka_unit_test(test_dry_run),
		cmocka_unit_test(test_undo_grub),
		cmocka_unit_test(test_undo_sdboot),
		cmocka_unit_test(test_undo_after_edit),
		cmocka_unit_test(test_undo_twice),
		cmocka_unit_test(test_refused_plan),
		cmocka_unit_test(test_sdboot_needs_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
