// SPDX-License-Identifier: GPL-2.0-or-later
/* First boot: qm argv from a plan, the unit on the target, runs once; the
 * subscription key staged 0600 and registered, never shown. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake-runner.h"
#include "firstboot/inst-firstboot.h"
#include "hash.h"
#include "hw-tree.h"
#include "loopback-http.h"
#include "log-capture.h"
#include "path.h"
#include "plan/plan.h"
#include "util.h"

#define KEY "pve2c-0123456789"

static char *hostpci[] = { (char *)"0000:01:00,pcie=1,x-vga=1" };

static void mkvm(struct plan_vm *vm)
{
	memset(vm, 0, sizeof(*vm));
	vm->enabled = true;
	vm->vmid = 9000;
	vm->name = (char *)"win11-passthrough";
	vm->ostype = "win11";
	vm->machine = "q35";
	vm->bios = "ovmf";
	vm->cpu = "host";
	vm->cores = 8;
	snprintf(vm->affinity, sizeof(vm->affinity), "0-7");
	vm->numa = 1;
	vm->memory_mib = 16384;
	vm->scsihw = "virtio-scsi-single";
	vm->efidisk0 = (char *)"local-lvm:1,efitype=4m,pre-enrolled-keys=1";
	vm->tpmstate0 = (char *)"local-lvm:1,version=v2.0";
	vm->scsi0 = (char *)"local-lvm:128,iothread=1,discard=on,ssd=1";
	vm->net0 = (char *)"virtio=02:A0:3C:11:22:33,bridge=vmbr0";
	vm->hostpci = hostpci;
	vm->n_hostpci = 1;
	vm->vga = "none";
	vm->agent = 1;
	vm->ide2 = (char *)"local:iso/Win11.iso,media=cdrom";
	vm->ide0 = (char *)"local:iso/virtio-win.iso,media=cdrom";
	vm->ide1 = (char *)"local:iso/ironpass-unattend-9000.iso,media=cdrom";
	vm->boot = "order=scsi0;ide2";
}

static const char qm_create[] =
	"qm create 9000 --name win11-passthrough --ostype win11 --machine q35 --bios ovmf"
	" --efidisk0 local-lvm:1,efitype=4m,pre-enrolled-keys=1"
	" --tpmstate0 local-lvm:1,version=v2.0 --cpu host --cores 8 --affinity 0-7 --numa 1"
	" --memory 16384 --balloon 0 --scsihw virtio-scsi-single"
	" --scsi0 local-lvm:128,iothread=1,discard=on,ssd=1"
	" --net0 virtio=02:A0:3C:11:22:33,bridge=vmbr0 --hostpci0 0000:01:00,pcie=1,x-vga=1"
	" --vga none --agent 1 --ide2 local:iso/Win11.iso,media=cdrom"
	" --ide0 none,media=cdrom --ide1 local:iso/ironpass-unattend-9000.iso,media=cdrom"
	" --boot 'order=scsi0;ide2'";

static void test_argv(void **state)
{
	struct inst_fb_conf c, back;
	struct ip_err err = { 0 };
	struct plan_vm vm;
	char *root = hwt_new(), **argv, *json, *s;

	(void)state;
	mkvm(&vm);
	/* Windows ISO and answer ISO present, virtio-win not yet */
	hwt_file(root, "/var/lib/vz/template/iso/Win11.iso", "x");
	hwt_file(root, "/var/lib/vz/template/iso/ironpass-unattend-9000.iso", "x");
	assert_int_equal(inst_fb_conf_from_plan(&c, &vm, &err), 0);
	/* through JSON and back, as the first boot reads it */
	json = inst_fb_conf_json(&c);
	assert_non_null(json);
	assert_int_equal(inst_fb_conf_parse(json, &back, &err), 0);
	argv = inst_fb_qm_create_argv(&back, root, &err);
	assert_non_null(argv);
	s = runner_argv_str((const char *const *)argv);
	assert_string_equal(s, qm_create);
	free(s);
	inst_fb_argv_free(argv);
	/* an option value that would be read as an option is refused */
	free(back.opts[0].value);
	back.opts[0].value = strdup("--delete");
	assert_null(inst_fb_qm_create_argv(&back, root, &err));
	assert_int_equal(err.code, -EINVAL);
	inst_fb_conf_release(&back);
	inst_fb_conf_release(&c);
	free(json);
	hwt_free(root);
}

static void test_setup(void **state)
{
	struct answer a = { 0 };
	struct fake_runner f;
	struct inst_ctx ctx = { 0 };
	struct plan p = { 0 };
	char *root = hwt_new(), *sys = hwt_new(), *t = NULL, bin[PATH_MAX], lib[PATH_MAX];
	char maps[PATH_MAX * 3], link[PATH_MAX], to[PATH_MAX];
	struct stat st;
	ssize_t n;
	size_t len;

	(void)state;
	mkvm(&p.vm);
	p.plan_ok = true;
	hwt_file(sys, "/bin/ironpass-installer", "\177ELF-binary");
	hwt_file(sys, "/lib/libcurl.so.4.8.0", "curl-lib");
	hwt_file(sys, INST_FB_HOOK_MEDIUM, "#!/bin/sh\necho hook\n");
	snprintf(bin, sizeof(bin), "%s/bin/ironpass-installer", sys);
	snprintf(lib, sizeof(lib), "%s/lib/libcurl.so.4.8.0", sys);
	snprintf(maps, sizeof(maps),
		 "55d0 r-xp 00000000 08:01 1 %s\n"
		 "7f00 r-xp 00000000 08:01 2 %s\n"
		 "7f01 r-xp 00000000 08:01 3 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
		 "7f02 r-xp 00000000 08:01 4 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
		 "7ffd rw-p 00000000 00:00 0 [stack]\n", bin, lib);
	fake_runner_init(&f);
	a.first_boot.source = ANSWER_FB_ISO;
	a.global.subscription_key = (char *)KEY;
	ctx.answer = &a;
	ctx.plan = &p;
	ctx.target = root;
	ctx.sysroot = sys;
	ctx.runner = &f.r;
	assert_int_equal(inst_firstboot_setup(&ctx, bin, maps), 0);
	free(ctx.notes);
	ctx.notes = NULL;

	assert_int_equal(path_read_all(root, INST_FB_UNIT, 4096, &t, &len), 0);
	/* no [first-boot] ordering: fully-up, as in Proxmox */
	assert_non_null(strstr(t, "After=systemd-remount-fs.service pve-cluster.service "
				  "pveproxy.service network-online.target\n"
				  "Wants=pveproxy.service network-online.target\n"
				  "ConditionPathExists=!/var/lib/ironpass/firstboot.done\n"));
	/* never on a system whose install failed (the session marks it) */
	assert_non_null(strstr(t, "ConditionPathExists=!/var/log/ironpass/install-failed\n"));
	/* the boot does not wait for it */
	assert_non_null(strstr(t, "Type=exec\n"));
	assert_null(strstr(t, "Type=oneshot"));
	assert_non_null(strstr(t, "ExecStart=/usr/local/sbin/ironpass-installer firstboot\n"));
	assert_non_null(strstr(t, "WantedBy=multi-user.target\n"));
	free(t);
	snprintf(link, sizeof(link), "%s%s", root, INST_FB_WANTS);
	n = readlink(link, to, sizeof(to) - 1);
	assert_true(n > 0);
	to[n] = '\0';
	assert_string_equal(to, INST_FB_UNIT);
	assert_int_equal(path_read_all(root, INST_FB_BIN, 4096, &t, &len), 0);
	assert_string_equal(t, "\177ELF-binary");
	free(t);
	assert_true(path_exists(root, INST_FB_LIBDIR "/libcurl.so.4.8.0"));
	assert_false(path_exists(root, INST_FB_LIBDIR "/libc.so.6"));
	snprintf(link, sizeof(link), "%s%s", root, INST_FB_HOOK);
	assert_int_equal(stat(link, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	snprintf(link, sizeof(link), "%s%s", root, INST_FB_CONF);
	assert_int_equal(stat(link, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* the answer ISO: made in-process (no xorriso), readable by root only, and no
	 * copy of the answer file beside it */
	snprintf(link, sizeof(link), "%s/var/lib/vz/template/iso/ironpass-unattend-9000.iso",
		 root);
	assert_int_equal(stat(link, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(st.st_size > 32768);
	assert_false(path_exists(root, "/var/lib/ironpass/unattend"));
	assert_int_equal(f.n_calls, 0);
	/* the hook runs in the main unit: no before-network unit */
	assert_false(path_exists(root, INST_FB_HOOK_UNIT));
	assert_int_equal(path_read_all(root, INST_FB_CONF, 1 << 16, &t, &len), 0);
	assert_non_null(strstr(t, "first-boot-hook"));
	/* the key is staged on its own, not in the configuration */
	assert_null(strstr(t, "0123456789"));
	free(t);
	assert_true(path_exists(root, INST_FB_SUBSCRIPTION));
	fake_runner_release(&f);
	hwt_free(sys);
	hwt_free(root);
}

/* [first-boot] ordering: the unit is ordered as Proxmox orders its units */
static void test_ordering(void **state)
{
	struct answer a = { 0 };
	struct fake_runner f;
	struct inst_ctx ctx = { 0 };
	char *root = hwt_new(), *sys = hwt_new(), *t, bin[PATH_MAX], link[PATH_MAX], to[PATH_MAX];
	ssize_t n;
	size_t len;

	(void)state;
	t = inst_fb_unit_text(ANSWER_FB_NETWORK_ONLINE);
	assert_non_null(strstr(t, "After=systemd-remount-fs.service network-online.target\n"
				  "Wants=network-online.target\n"));
	assert_null(strstr(t, "pveproxy"));
	assert_non_null(strstr(t, "WantedBy=multi-user.target\n"));
	free(t);
	t = inst_fb_unit_text(ANSWER_FB_FULLY_UP);
	assert_non_null(strstr(t, "Wants=pveproxy.service network-online.target\n"));
	free(t);
	t = inst_fb_hook_unit_text();
	assert_non_null(strstr(t, "After=systemd-remount-fs.service\n"
				  "Before=network-pre.target\n"
				  "Wants=network-pre.target\n"));
	assert_non_null(strstr(t, "ExecStart=/var/lib/ironpass/first-boot-hook\n"));
	assert_non_null(strstr(t, "WantedBy=network.target\n"));
	assert_null(strstr(t, "network-online"));
	free(t);

	/* before-network: the hook gets its own unit, the main one does not run it */
	hwt_file(sys, "/bin/ironpass-installer", "\177ELF-binary");
	hwt_file(sys, INST_FB_HOOK_MEDIUM, "#!/bin/sh\necho hook\n");
	snprintf(bin, sizeof(bin), "%s/bin/ironpass-installer", sys);
	fake_runner_init(&f);
	a.has_first_boot = true;
	a.first_boot.source = ANSWER_FB_ISO;
	a.first_boot.ordering = ANSWER_FB_BEFORE_NETWORK;
	ctx.answer = &a;
	ctx.target = root;
	ctx.sysroot = sys;
	ctx.runner = &f.r;
	assert_int_equal(inst_firstboot_setup(&ctx, bin, ""), 0);
	free(ctx.notes);
	ctx.notes = NULL;
	assert_int_equal(path_read_all(root, INST_FB_HOOK_UNIT, 4096, &t, &len), 0);
	assert_non_null(strstr(t, "Before=network-pre.target\n"));
	free(t);
	snprintf(link, sizeof(link), "%s%s", root, INST_FB_HOOK_WANTS);
	n = readlink(link, to, sizeof(to) - 1);
	assert_true(n > 0);
	to[n] = '\0';
	assert_string_equal(to, INST_FB_HOOK_UNIT);
	assert_true(path_exists(root, INST_FB_HOOK));
	assert_int_equal(path_read_all(root, INST_FB_CONF, 1 << 16, &t, &len), 0);
	assert_null(strstr(t, "first-boot-hook"));
	free(t);
	/* no subscription key in the answer: none staged */
	assert_false(path_exists(root, INST_FB_SUBSCRIPTION));
	fake_runner_release(&f);
	hwt_free(sys);
	hwt_free(root);
}

/* No storage in the answer: the disks follow the root filesystem's storage. */
static void test_storage(void **state)
{
	struct inst_fb_conf c;
	struct ip_err err = { 0 };
	struct plan_vm vm;

	(void)state;
	mkvm(&vm);
	assert_int_equal(inst_fb_conf_from_plan(&c, &vm, &err), 0);
	assert_int_equal(inst_fb_conf_storage(&c, "local-lvm", "local-zfs"), 0);
	assert_string_equal(inst_fb_conf_get(&c, "efidisk0"),
			    "local-zfs:1,efitype=4m,pre-enrolled-keys=1");
	assert_string_equal(inst_fb_conf_get(&c, "tpmstate0"), "local-zfs:1,version=v2.0");
	assert_string_equal(inst_fb_conf_get(&c, "scsi0"),
			    "local-zfs:128,iothread=1,discard=on,ssd=1");
	/* the ISOs are not VM disks, and "local-lvm2:" is another storage */
	assert_string_equal(inst_fb_conf_get(&c, "ide2"), "local:iso/Win11.iso,media=cdrom");
	assert_int_equal(inst_fb_conf_storage(&c, "local-zf", "local"), 0);
	assert_string_equal(inst_fb_conf_get(&c, "tpmstate0"), "local-zfs:1,version=v2.0");
	inst_fb_conf_release(&c);
}

static void test_setup_storage(void **state)
{
	struct answer a = { 0 };
	struct fake_runner f;
	struct inst_ctx ctx = { 0 };
	struct plan p = { 0 };
	struct inst_fb_conf c;
	char *root = hwt_new(), *sys = hwt_new(), *t = NULL, bin[PATH_MAX], maps[PATH_MAX * 2];
	size_t len;

	(void)state;
	mkvm(&p.vm);
	p.vm.storage = (char *)"local-lvm";
	p.vm.storage_auto = true;
	p.plan_ok = true;
	hwt_file(sys, "/bin/ironpass-installer", "\177ELF-binary");
	snprintf(bin, sizeof(bin), "%s/bin/ironpass-installer", sys);
	snprintf(maps, sizeof(maps), "55d0 r-xp 00000000 08:01 1 %s\n", bin);
	fake_runner_init(&f);
	ctx.answer = &a;
	ctx.plan = &p;
	ctx.target = root;
	ctx.sysroot = sys;
	ctx.runner = &f.r;
	/* LVM without a thin pool (lvm.maxvz = 0): storage.cfg has only "local" */
	snprintf(ctx.layout.root_fstype, sizeof(ctx.layout.root_fstype), "ext4");
	assert_int_equal(inst_firstboot_setup(&ctx, bin, maps), 0);
	free(ctx.notes);
	ctx.notes = NULL;
	assert_int_equal(path_read_all(root, INST_FB_CONF, 1 << 16, &t, &len), 0);
	assert_int_equal(inst_fb_conf_parse(t, &c, &ctx.err), 0);
	assert_string_equal(inst_fb_conf_get(&c, "efidisk0"),
			    "local:1,efitype=4m,pre-enrolled-keys=1");
	assert_string_equal(inst_fb_conf_get(&c, "scsi0"), "local:128,iothread=1,discard=on,ssd=1");
	inst_fb_conf_release(&c);
	free(t);
	/* with the thin pool the plan's local-lvm stays */
	snprintf(ctx.layout.data_dev, sizeof(ctx.layout.data_dev), "pve/data");
	assert_int_equal(inst_firstboot_setup(&ctx, bin, maps), 0);
	free(ctx.notes);
	ctx.notes = NULL;
	assert_int_equal(path_read_all(root, INST_FB_CONF, 1 << 16, &t, &len), 0);
	assert_int_equal(inst_fb_conf_parse(t, &c, &ctx.err), 0);
	assert_string_equal(inst_fb_conf_get(&c, "tpmstate0"), "local-lvm:1,version=v2.0");
	inst_fb_conf_release(&c);
	free(t);
	/* a zfs root: the disks go to local-zfs (rpool/data in storage.cfg) */
	snprintf(ctx.layout.root_fstype, sizeof(ctx.layout.root_fstype), "zfs");
	ctx.layout.data_dev[0] = '\0';
	assert_int_equal(inst_firstboot_setup(&ctx, bin, maps), 0);
	free(ctx.notes);
	ctx.notes = NULL;
	assert_int_equal(path_read_all(root, INST_FB_CONF, 1 << 16, &t, &len), 0);
	assert_int_equal(inst_fb_conf_parse(t, &c, &ctx.err), 0);
	assert_string_equal(inst_fb_conf_get(&c, "tpmstate0"), "local-zfs:1,version=v2.0");
	assert_string_equal(inst_fb_conf_get(&c, "scsi0"),
			    "local-zfs:128,iothread=1,discard=on,ssd=1");
	assert_string_equal(inst_fb_conf_get(&c, "ide2"), "local:iso/Win11.iso,media=cdrom");
	inst_fb_conf_release(&c);
	free(t);
	/* a btrfs root: "local" is disabled, disks and ISOs on local-btrfs */
	snprintf(ctx.layout.root_fstype, sizeof(ctx.layout.root_fstype), "btrfs");
	assert_int_equal(inst_firstboot_setup(&ctx, bin, maps), 0);
	assert_non_null(strstr(ctx.notes, "put 'Win11.iso' into "
			       "/var/lib/pve/local-btrfs/template/iso/ and run `qm set 9000 --ide2 "
			       "local-btrfs:iso/Win11.iso,media=cdrom`"));
	free(ctx.notes);
	ctx.notes = NULL;
	assert_int_equal(path_read_all(root, INST_FB_CONF, 1 << 16, &t, &len), 0);
	assert_int_equal(inst_fb_conf_parse(t, &c, &ctx.err), 0);
	assert_string_equal(inst_fb_conf_get(&c, "scsi0"),
			    "local-btrfs:128,iothread=1,discard=on,ssd=1");
	assert_string_equal(inst_fb_conf_get(&c, "ide2"), "local-btrfs:iso/Win11.iso,media=cdrom");
	assert_string_equal(inst_fb_conf_get(&c, "ide0"),
			    "local-btrfs:iso/virtio-win.iso,media=cdrom");
	assert_string_equal(c.media[0].volume, "local-btrfs:iso/Win11.iso");
	inst_fb_conf_release(&c);
	free(t);
	fake_runner_release(&f);
	hwt_free(sys);
	hwt_free(root);
}

static void make_target(const char *root, bool standin)
{
	struct inst_fb_conf c;
	struct ip_err err = { 0 };
	struct plan_vm vm;
	char *json;

	mkvm(&vm);
	assert_int_equal(inst_fb_conf_from_plan(&c, &vm, &err), 0);
	c.hook = strdup(INST_FB_HOOK);
	c.standin = standin;
	json = inst_fb_conf_json(&c);
	hwt_file(root, INST_FB_CONF, json);
	hwt_file(root, INST_FB_HOOK, "#!/bin/sh\n");
	if (!standin) {
		hwt_file(root, "/usr/sbin/qm", "#!/usr/bin/perl\n");
		hwt_file(root, INST_FB_PVE_READY, "1\n");
	}
	free(json);
	inst_fb_conf_release(&c);
}

static void test_runs_once(void **state)
{
	struct inst_fb_run_opts o = { .pve_wait_s = 0, .poll_ms = 1 };
	struct ip_err err = { 0 };
	struct fake_runner f;
	char *root = hwt_new(), want[PATH_MAX];

	(void)state;
	make_target(root, false);
	fake_runner_init(&f);
	fake_runner_push(&f, 2, "", "Configuration file 'nodes/pve1/qemu-server/9000.conf' "
			 "does not exist\n");
	assert_int_equal(inst_firstboot_run(root, &f.r, &o, &err), 0);
	assert_int_equal(f.n_calls, 4);
	assert_string_equal(f.calls[0].cmd, "qm status 9000");
	assert_true(strncmp(f.calls[1].cmd, "qm create 9000 --name win11-passthrough ", 40) == 0);
	assert_string_equal(f.calls[2].cmd, "qm template 9000");
	snprintf(want, sizeof(want), "%s%s", root, INST_FB_HOOK);
	assert_string_equal(f.calls[3].cmd, want);
	assert_true(path_exists(root, INST_FB_DONE));
	/* second run: nothing at all */
	assert_int_equal(inst_firstboot_run(root, &f.r, &o, &err), 1);
	assert_int_equal(f.n_calls, 4);
	fake_runner_release(&f);
	hwt_free(root);
}

static void test_failures(void **state)
{
	struct inst_fb_run_opts o = { .pve_wait_s = 0, .poll_ms = 1 };
	struct ip_err err = { 0 };
	struct fake_runner f;
	char *root = hwt_new();

	(void)state;
	make_target(root, false);
	hwt_rm(root, INST_FB_PVE_READY);
	fake_runner_init(&f);
	assert_int_equal(inst_firstboot_run(root, &f.r, &o, &err), -ETIMEDOUT);
	assert_string_equal(err.msg,
			    "pve-cluster is not up after 0 s ('/etc/pve/.version' missing)");
	/* the template failed; the hook ran all the same, once */
	assert_int_equal(f.n_calls, 1);
	assert_int_equal(fake_runner_find(&f, "qm"), -1);
	assert_true(path_exists(root, INST_FB_HOOK_DONE));
	assert_false(path_exists(root, INST_FB_DONE));
	assert_true(path_exists(root, INST_FB_FAILED));
	/* next boot: qm create works, qm template fails: the new VM is removed again */
	hwt_file(root, INST_FB_PVE_READY, "1\n");
	fake_runner_push(&f, 2, "", "does not exist\n");	/* qm status 9000 */
	fake_runner_push(&f, 0, "", "");			/* qm create */
	fake_runner_push(&f, 255, "", "qm: storage error\n");	/* qm template */
	fake_runner_push(&f, 0, "", "");			/* qm destroy */
	assert_int_equal(inst_firstboot_run(root, &f.r, &o, &err), -EIO);
	assert_int_equal(f.n_calls, 5);
	assert_true(strncmp(f.calls[2].cmd, "qm create 9000 ", 15) == 0);
	assert_string_equal(f.calls[3].cmd, "qm template 9000");
	assert_string_equal(f.calls[4].cmd, "qm destroy 9000");
	assert_non_null(strstr(err.msg, "cannot turn VM 9000 into a template"));
	assert_false(path_exists(root, INST_FB_VM_STATE));
	assert_false(path_exists(root, INST_FB_DONE));
	/* and the boot after that: made; the hook does not run a second time */
	fake_runner_push(&f, 2, "", "does not exist\n");
	fake_runner_push(&f, 0, "", "");
	fake_runner_push(&f, 0, "", "");
	assert_int_equal(inst_firstboot_run(root, &f.r, &o, &err), 0);
	assert_int_equal(f.n_calls, 8);
	assert_string_equal(f.calls[7].cmd, "qm template 9000");
	assert_true(path_exists(root, INST_FB_DONE));
	fake_runner_release(&f);
	hwt_free(root);
}

/* SIGTERM while waiting for pve-cluster ends the wait (no command runs to stop) */
static void test_wait_interrupted(void **state)
{
	/* without the check the wait would end after 5 s with -ETIMEDOUT */
	struct inst_fb_run_opts o = { .pve_wait_s = 5, .poll_ms = 10 };
	struct ip_err err = { 0 };
	struct fake_runner f;
	char *root = hwt_new();
	time_t t0 = time(NULL);

	(void)state;
	make_target(root, false);
	hwt_rm(root, INST_FB_PVE_READY);
	fake_runner_init(&f);
	runner_interrupt_reset();
	runner_interrupt(SIGTERM);
	assert_int_equal(inst_firstboot_run(root, &f.r, &o, &err), -EINTR);
	runner_interrupt_reset();
	assert_string_equal(err.msg, "interrupted by SIGTERM while waiting for pve-cluster");
	assert_true(time(NULL) - t0 < 3);
	assert_int_equal(f.n_calls, 0);
	assert_false(path_exists(root, INST_FB_DONE));
	fake_runner_release(&f);
	hwt_free(root);
}

/* an id taken by a VM ironpass did not make is left alone; a made one is recorded and kept */
static void test_vm_ids(void **state)
{
	struct inst_fb_run_opts o = { .pve_wait_s = 0, .poll_ms = 1 };
	struct ip_err err = { 0 };
	struct fake_runner f;
	char *root = hwt_new(), id[32];
	struct inst_fb_conf c;
	struct plan_vm vm;
	unsigned made = 0;

	(void)state;
	make_target(root, false);
	fake_runner_init(&f);
	fake_runner_push(&f, 0, "status: running\n", "");	/* 9000: someone's VM */
	fake_runner_push(&f, 2, "", "does not exist\n");	/* 9001: free */
	log_capture_start();
	assert_int_equal(inst_firstboot_run(root, &f.r, &o, &err), 0);
	log_capture_stop();
	assert_string_equal(f.calls[0].cmd, "qm status 9000");
	assert_string_equal(f.calls[1].cmd, "qm status 9001");
	assert_true(strncmp(f.calls[2].cmd, "qm create 9001 --name win11-passthrough ", 40) == 0);
	assert_string_equal(f.calls[3].cmd, "qm template 9001");
	assert_int_equal(fake_runner_find(&f, "qm destroy"), -1);
	assert_non_null(strstr(log_captured_warnings(), "VM id 9000 is taken by a VM that ironpass "
			       "did not make: the template gets id 9001"));
	assert_true(path_read_str(root, INST_FB_VM_STATE, id, sizeof(id)) > 0);
	assert_string_equal(id, "9001");
	fake_runner_release(&f);

	/* run again (say the done marker was lost): the recorded VM is there and a template */
	mkvm(&vm);
	assert_int_equal(inst_fb_conf_from_plan(&c, &vm, &err), 0);
	fake_runner_init(&f);
	fake_runner_push(&f, 0, "status: stopped\n", "");
	fake_runner_push(&f, 0, "boot: order=scsi0\ntemplate: 1\n", "");
	assert_int_equal(inst_fb_make_vm(&c, root, &f.r, false, &made, NULL, &err), 0);
	assert_int_equal(made, 9001);
	assert_int_equal(f.n_calls, 2);
	assert_string_equal(f.calls[0].cmd, "qm status 9001");
	assert_string_equal(f.calls[1].cmd, "qm config 9001");
	fake_runner_release(&f);

	/* every id taken: refused, nothing made */
	path_unlink(root, INST_FB_VM_STATE);
	fake_runner_init(&f);
	fake_runner_rule(&f, "qm status", 0, "status: running\n");
	assert_int_equal(inst_fb_make_vm(&c, root, &f.r, false, &made, NULL, &err), -EEXIST);
	assert_string_equal(err.msg, "VM ids 9000 to 9099 are all taken: no id for the template");
	assert_int_equal(fake_runner_find(&f, "qm create"), -1);
	fake_runner_release(&f);
	inst_fb_conf_release(&c);
	hwt_free(root);
}

/* the first boot reports its steps on the install's webhook, in order */
static void test_webhook(void **state)
{
	struct inst_fb_run_opts o = { .pve_wait_s = 0, .poll_ms = 1 };
	static const int ok[] = { 200, 0 };
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct inst_fb_conf c;
	struct plan_vm vm;
	struct lhttp srv;
	char *root = hwt_new(), *json, *p;

	(void)state;
	assert_int_equal(lhttp_start(&srv, ok, "ok"), 0);
	mkvm(&vm);
	assert_int_equal(inst_fb_conf_from_plan(&c, &vm, &err), 0);
	c.hook = strdup(INST_FB_HOOK);
	c.wh_url = strdup(srv.url);
	c.wh_token = strdup("tok-secret-1");
	c.wh_node = strdup("pve1.example.com");
	c.wh_events = 0xf;
	json = inst_fb_conf_json(&c);
	inst_fb_conf_release(&c);
	hwt_file(root, INST_FB_CONF, json);
	hwt_file(root, INST_FB_HOOK, "#!/bin/sh\n");
	hwt_file(root, "/usr/sbin/qm", "#!/usr/bin/perl\n");
	hwt_file(root, INST_FB_PVE_READY, "1\n");
	fake_runner_init(&f);
	fake_runner_push(&f, 2, "", "does not exist\n");
	fake_runner_push(&f, 0, "", "");
	fake_runner_push(&f, 255, "", "qm: no such storage\n");	/* qm template */
	log_capture_start();
	assert_int_equal(inst_firstboot_run(root, &f.r, &o, &err), -EIO);
	log_capture_stop();
	lhttp_stop(&srv);
	/* started, the two ISOs that are not on the node, the template, the hook, the end */
	assert_int_equal(srv.n_requests, 6);
	p = srv.bodies;
	assert_non_null(p = strstr(p, "\"step\":\"firstboot\",\"status\":\"started\""));
	assert_non_null(p = strstr(p, "\"step\":\"firstboot-media\",\"status\":\"missing\""));
	assert_non_null(strstr(p, "the Windows 11 ISO 'local:iso/Win11.iso' is not on the node: VM "
			       "9000's ide2 is an empty CD drive; put 'Win11.iso' into "
			       "/var/lib/vz/template/iso/ and run `qm set 9000 --ide2 "
			       "local:iso/Win11.iso,media=cdrom`"));
	assert_non_null(p = strstr(p, "\"step\":\"firstboot-media\",\"status\":\"missing\""));
	assert_non_null(p = strstr(p, "\"step\":\"firstboot-vm-template\",\"status\":\"failed\""));
	assert_non_null(strstr(p, "cannot turn VM 9000 into a template"));
	assert_non_null(p = strstr(p, "\"step\":\"firstboot-hook\",\"status\":\"ok\""));
	assert_non_null(p = strstr(p, "\"step\":\"firstboot\",\"status\":\"failed\""));
	assert_non_null(strstr(srv.bodies, "\"node\":\"pve1.example.com\""));
	assert_non_null(strstr(srv.req, "Authorization: Bearer tok-secret-1"));
	assert_null(strstr(log_captured(), "tok-secret-1"));
	fake_runner_release(&f);
	free(json);
	hwt_free(root);
}

/* an https/http ISO is fetched before qm create, hash checked; a bad one leaves an empty drive */
static void test_media(void **state)
{
	static char iso[300000];
	struct lhttp_route routes[] = {
		{ .path = "/Win11.iso", .body = iso, .len = sizeof(iso), .chunk = 65536 },
		{ .path = "/virtio-win.iso", .body = "not the right bytes" },
		{ .path = NULL },
	};
	struct inst_fb_conf c = { 0 };
	struct strbuf missing = { 0 };
	char *root = hwt_new(), url1[128], url2[128], hex[SHA256_HEX_LEN + 1], got[65];
	struct lhttp srv;

	(void)state;
	for (size_t i = 0; i < sizeof(iso); i++)
		iso[i] = (char)(i * 7);
	assert_int_equal(sha256_buf(iso, sizeof(iso), hex), 0);
	assert_int_equal(lhttp_start_routes(&srv, routes, false), 0);
	snprintf(url1, sizeof(url1), "%s/Win11.iso", srv.url);
	snprintf(url2, sizeof(url2), "%s/virtio-win.iso", srv.url);
	assert_int_equal(inst_fb_media_add(&c, "ide2", "Windows 11 ISO", "local:iso/Win11.iso",
					   url1, hex), 0);
	assert_int_equal(inst_fb_media_add(&c, "ide0", "virtio-win ISO",
					   "local-btrfs:iso/virtio-win.iso", url2, hex), 0);
	assert_int_equal(inst_fb_media_add(&c, "ide3", "other ISO", "nfs:iso/x.iso", NULL,
					   NULL), 0);
	log_capture_start();
	assert_int_equal(inst_fb_fetch_media(&c, root, 9000, false, &missing), 1);
	log_capture_stop();
	lhttp_stop(&srv);
	assert_int_equal(sha256_file(root, "/var/lib/vz/template/iso/Win11.iso", got, NULL), 0);
	assert_string_equal(got, hex);
	assert_non_null(strstr(log_captured(), "downloading the Windows 11 ISO: "));
	assert_non_null(strstr(log_captured(), "(100 %)"));
	/* the wrong bytes are not kept, and the message says what to do */
	assert_false(path_exists(root, "/var/lib/pve/local-btrfs/template/iso/virtio-win.iso"));
	assert_false(path_exists(root, "/var/lib/pve/local-btrfs/template/iso/virtio-win.iso.part"));
	assert_non_null(strstr(log_captured_warnings(), "cannot download the virtio-win ISO: "
			       "the virtio-win ISO has sha256 "));
	assert_non_null(strstr(missing.buf, "put 'virtio-win.iso' into "
			       "/var/lib/pve/local-btrfs/template/iso/ and run `qm set 9000 --ide0 "
			       "local-btrfs:iso/virtio-win.iso,media=cdrom`\n"));
	/* present now: not fetched again */
	assert_int_equal(routes[0].hits, 1);
	sb_release(&missing);
	/* a dry run only says what it would fetch */
	log_capture_start();
	assert_int_equal(inst_fb_fetch_media(&c, root, 9000, true, &missing), 0);
	log_capture_stop();
	assert_non_null(strstr(log_captured(), "dry run: would download the virtio-win ISO into "
			       "'/var/lib/pve/local-btrfs/template/iso/virtio-win.iso'"));
	sb_release(&missing);
	inst_fb_conf_release(&c);
	hwt_free(root);
}

/* the install says which ISOs it leaves for the user to put in place (final screen) */
static void test_media_notes(void **state)
{
	struct fake_runner f;
	struct inst_ctx ctx = { 0 };
	struct plan p = { 0 };
	char *root = hwt_new(), *sys = hwt_new(), bin[PATH_MAX];

	(void)state;
	mkvm(&p.vm);
	p.plan_ok = true;
	hwt_file(sys, "/bin/ironpass-installer", "\177ELF-binary");
	snprintf(bin, sizeof(bin), "%s/bin/ironpass-installer", sys);
	hwt_file(root, "/var/lib/vz/template/iso/Win11.iso", "x");
	fake_runner_init(&f);
	ctx.plan = &p;
	ctx.target = root;
	ctx.sysroot = sys;
	ctx.runner = &f.r;
	log_capture_start();
	assert_int_equal(inst_firstboot_setup(&ctx, bin, ""), 0);
	log_capture_stop();
	/* the Windows ISO is there; virtio-win is not, and nothing will fetch it */
	assert_non_null(ctx.notes);
	assert_string_equal(ctx.notes, "the virtio-win ISO 'local:iso/virtio-win.iso' is not on the "
			    "node: VM 9000's ide0 is an empty CD drive; put 'virtio-win.iso' into "
			    "/var/lib/vz/template/iso/ and run `qm set 9000 --ide0 "
			    "local:iso/virtio-win.iso,media=cdrom`");
	assert_non_null(strstr(log_captured_warnings(), "vm template: the virtio-win ISO"));
	free(ctx.notes);
	/* with a URL the first boot fetches it: nothing to say */
	p.vm.virtio_url = strdup("https://media.example.com/virtio-win.iso");
	p.vm.virtio_sha256 = strdup("0000000000000000000000000000000000000000000000000000000000000000");
	ctx.notes = NULL;
	assert_int_equal(inst_firstboot_setup(&ctx, bin, ""), 0);
	assert_null(ctx.notes);
	free(p.vm.virtio_url);
	free(p.vm.virtio_sha256);
	fake_runner_release(&f);
	hwt_free(sys);
	hwt_free(root);
}

/* "carried" ISOs: copied from the medium, or (network boot) fetched from the PXE tree later */
static void test_carry(void **state)
{
	char sums[256], hex[SHA256_HEX_LEN + 1], got[SHA256_HEX_LEN + 1], purl[128];
	struct lhttp_route routes[] = {
		{ .path = "/pxe/SHA256SUMS", .body = sums },
		{ .path = NULL },
	};
	struct inst_fb_conf c = { 0 };
	struct ip_err err = { 0 };
	char *sys = hwt_new(), *root = hwt_new();
	struct lhttp srv;

	(void)state;
	hwt_file(sys, INST_FB_MEDIA_ON_MEDIUM "/ironpass-windows.iso", "carried windows");
	assert_int_equal(inst_fb_media_add(&c, "ide2", "Windows 11 ISO", "local:iso/ironpass-windows.iso",
					   NULL, NULL), 0);
	c.media[0].carried = true;
	assert_int_equal(inst_fb_media_add(&c, "ide0", "virtio-win ISO",
					   "local:iso/virtio-win.iso", NULL, NULL), 0);
	c.media[1].carried = true;
	/* booted from the medium: windows.iso copied; virtio-win is not on it */
	log_capture_start();
	assert_int_equal(inst_fb_carry_media(&c, sys, root, NULL, false, &err), 0);
	log_capture_stop();
	assert_int_equal(sha256_buf("carried windows", 15, hex), 0);
	assert_int_equal(sha256_file(root, "/var/lib/vz/template/iso/ironpass-windows.iso", got, NULL), 0);
	assert_string_equal(got, hex);
	assert_null(c.media[1].url);
	assert_non_null(strstr(log_captured_warnings(), "the image carries no virtio-win ISO"));
	/* booted over the network: the PXE tree's media/ file, its hash from SHA256SUMS */
	snprintf(sums, sizeof(sums), "%s  media/virtio-win.iso\n%s  vmlinuz\n", hex, hex);
	assert_int_equal(lhttp_start_routes(&srv, routes, false), 0);
	snprintf(purl, sizeof(purl), "%s/pxe/payload/", srv.url);
	assert_int_equal(inst_fb_carry_media(&c, root, root, purl, false, &err), 0);
	lhttp_stop(&srv);
	assert_non_null(c.media[1].url);
	assert_true(strstr(c.media[1].url, "/pxe/media/virtio-win.iso") != NULL);
	assert_string_equal(c.media[1].sha256, hex);
	/* SHA256SUMS lists no media/windows.iso: nothing to fetch, a warning */
	assert_null(c.media[0].url);
	inst_fb_conf_release(&c);
	hwt_free(sys);
	hwt_free(root);
}

static void test_standin(void **state)
{
	struct inst_fb_run_opts o = { .pve_wait_s = 0, .poll_ms = 1 };
	struct ip_err err = { 0 };
	struct fake_runner f;
	char *root = hwt_new();

	(void)state;
	make_target(root, true);
	fake_runner_init(&f);
	assert_int_equal(inst_firstboot_run(root, &f.r, &o, &err), 0);
	/* no qm: only the hook ran */
	assert_int_equal(f.n_calls, 1);
	assert_int_equal(fake_runner_find(&f, "qm"), -1);
	assert_true(path_exists(root, INST_FB_DONE));
	fake_runner_release(&f);
	hwt_free(root);
}

/* [global] subscription-key: staged 0600 with exactly the key; nothing without one */
static void test_subscription_staged(void **state)
{
	struct answer a = { 0 };
	struct inst_ctx ctx = { 0 };
	char *root = hwt_new(), *t = NULL, path[PATH_MAX];
	struct stat st;
	size_t len;

	(void)state;
	ctx.target = root;
	ctx.answer = &a;
	log_capture_start();
	assert_int_equal(inst_fb_stage_subscription(&ctx), 0);
	assert_false(path_exists(root, INST_FB_SUBSCRIPTION));
	a.global.subscription_key = (char *)KEY;
	assert_int_equal(inst_fb_stage_subscription(&ctx), 0);
	log_capture_stop();
	snprintf(path, sizeof(path), "%s%s", root, INST_FB_SUBSCRIPTION);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(path_read_all(root, INST_FB_SUBSCRIPTION, 4096, &t, &len), 0);
	assert_int_equal(len, strlen(KEY "\n"));
	assert_memory_equal(t, KEY "\n", len);
	free(t);
	assert_non_null(strstr(log_captured(), "subscription key staged for the first boot in "
				  "'/var/lib/ironpass/subscription-key'"));
	assert_null(strstr(log_captured(), "0123456789"));
	hwt_free(root);
}

static void stage_key(const char *root, const char *text, bool pvesubscription)
{
	char path[PATH_MAX];

	hwt_file(root, INST_FB_SUBSCRIPTION, text);
	snprintf(path, sizeof(path), "%s%s", root, INST_FB_SUBSCRIPTION);
	assert_int_equal(chmod(path, 0600), 0);
	if (pvesubscription)
		hwt_file(root, INST_FB_PVESUBSCRIPTION, "#!/usr/bin/perl\n");
}

/* first boot registers the key first, with the key in argv only, and removes the file */
static void test_subscription_registered(void **state)
{
	struct inst_fb_run_opts o = { .pve_wait_s = 0, .poll_ms = 1 };
	struct ip_err err = { 0 };
	struct fake_runner f;
	char *root = hwt_new();

	(void)state;
	make_target(root, false);
	stage_key(root, KEY "\n", true);
	fake_runner_init(&f);
	fake_runner_push(&f, 0, "", "");
	fake_runner_push(&f, 2, "", "Configuration file 'nodes/pve1/qemu-server/9000.conf' "
			 "does not exist\n");
	log_capture_start();
	assert_int_equal(inst_firstboot_run(root, &f.r, &o, &err), 0);
	log_capture_stop();
	assert_int_equal(f.n_calls, 5);
	assert_string_equal(f.calls[0].cmd, "pvesubscription set " KEY);
	assert_null(f.calls[0].input);
	assert_string_equal(f.calls[1].cmd, "qm status 9000");
	assert_false(path_exists(root, INST_FB_SUBSCRIPTION));
	assert_true(path_exists(root, INST_FB_DONE));
	assert_non_null(strstr(log_captured(), "subscription key registered with pvesubscription\n"));
	assert_non_null(strstr(log_captured(), "staged subscription key "
				  "'/var/lib/ironpass/subscription-key' removed\n"));
	assert_null(strstr(log_captured(), "0123456789"));
	fake_runner_release(&f);
	hwt_free(root);
}

/* a failing pvesubscription: logged without the key (even when it echoes it), the file
 * removed, and the rest of first boot goes on */
static void test_subscription_fails(void **state)
{
	struct inst_fb_run_opts o = { .pve_wait_s = 0, .poll_ms = 1 };
	struct ip_err err = { 0 };
	struct fake_runner f;
	char *root = hwt_new();

	(void)state;
	make_target(root, false);
	stage_key(root, KEY "\n", true);
	fake_runner_init(&f);
	fake_runner_push(&f, 255, "", "checking " KEY "\ninvalid key '" KEY "'\n");
	fake_runner_push(&f, 2, "", "Configuration file does not exist\n");
	log_capture_start();
	assert_int_equal(inst_firstboot_run(root, &f.r, &o, &err), 0);
	log_capture_stop();
	assert_string_equal(f.calls[0].cmd, "pvesubscription set " KEY);
	assert_int_equal(fake_runner_find(&f, "qm create 9000"), 2);
	assert_int_equal(f.n_calls, 5);
	assert_true(path_exists(root, INST_FB_DONE));
	assert_false(path_exists(root, INST_FB_SUBSCRIPTION));
	assert_non_null(strstr(log_captured_warnings(),
			       "the subscription key could not be registered: 'pvesubscription' "
			       "failed with exit status 255: invalid key '<secret>'\n"));
	assert_null(strstr(log_captured(), "0123456789"));
	fake_runner_release(&f);
	hwt_free(root);
}

/* no pvesubscription (the stand-in node), a bad file, pve-cluster down: not registered,
 * said so, the file removed; nothing runs */
static void test_subscription_not_registered(void **state)
{
	struct inst_fb_run_opts o = { .pve_wait_s = 0, .poll_ms = 1 };
	struct ip_err err = { 0 };
	struct fake_runner f;
	char *root = hwt_new(), *root2 = hwt_new(), *root3 = hwt_new();

	(void)state;
	make_target(root, true);
	stage_key(root, KEY "\n", false);
	fake_runner_init(&f);
	log_capture_start();
	assert_int_equal(inst_firstboot_run(root, &f.r, &o, &err), 0);
	log_capture_stop();
	assert_int_equal(fake_runner_find(&f, "pvesubscription"), -1);
	assert_int_equal(f.n_calls, 1);		/* the hook */
	assert_false(path_exists(root, INST_FB_SUBSCRIPTION));
	assert_true(path_exists(root, INST_FB_DONE));
	assert_non_null(strstr(log_captured_warnings(),
			       "the subscription key could not be registered: "
			       "'/usr/bin/pvesubscription' is not installed (stand-in payload?)\n"));
	assert_null(strstr(log_captured(), "0123456789"));
	fake_runner_release(&f);

	/* not a key: not passed to any program */
	make_target(root2, true);
	stage_key(root2, "pve2c-0123456789 --evil\n", true);
	fake_runner_init(&f);
	log_capture_start();
	assert_int_equal(inst_firstboot_run(root2, &f.r, &o, &err), 0);
	log_capture_stop();
	assert_int_equal(fake_runner_find(&f, "pvesubscription"), -1);
	assert_false(path_exists(root2, INST_FB_SUBSCRIPTION));
	assert_non_null(strstr(log_captured_warnings(), "the staged subscription key in "
			       "'/var/lib/ironpass/subscription-key' is not a Proxmox VE "
			       "subscription key"));
	assert_null(strstr(log_captured(), "0123456789"));
	fake_runner_release(&f);

	/* pve-cluster does not come up: waited for once; the VM template fails as before */
	make_target(root3, false);
	hwt_rm(root3, INST_FB_PVE_READY);
	stage_key(root3, KEY "\n", true);
	fake_runner_init(&f);
	log_capture_start();
	assert_int_equal(inst_firstboot_run(root3, &f.r, &o, &err), -ETIMEDOUT);
	log_capture_stop();
	assert_string_equal(err.msg,
			    "pve-cluster is not up after 0 s ('/etc/pve/.version' missing)");
	assert_int_equal(fake_runner_find(&f, "qm"), -1);
	assert_int_equal(fake_runner_find(&f, "pvesubscription"), -1);
	assert_false(path_exists(root3, INST_FB_SUBSCRIPTION));
	assert_non_null(strstr(log_captured_warnings(),
			       "the subscription key could not be registered: pve-cluster is not "
			       "up after 0 s"));
	fake_runner_release(&f);
	hwt_free(root3);
	hwt_free(root2);
	hwt_free(root);
}

static void record_argv(void *data, const char *const *argv, const struct run_opts *o)
{
	char *s = runner_argv_show(argv, o), **seen = data;
	size_t len = *seen ? strlen(*seen) : 0;

	assert_non_null(s);
	*seen = realloc(*seen, len + strlen(s) + 2);
	assert_non_null(*seen);
	snprintf(*seen + len, strlen(s) + 2, "%s\n", s);
	free(s);
}

/* --dry-run: the commands are shown, and the node's tree stays byte for byte as it was */
static void test_dry_run(void **state)
{
	struct inst_fb_run_opts o = { .pve_wait_s = 0, .poll_ms = 1, .dry_run = true };
	struct ip_err err = { 0 };
	struct runner r;
	char *root = hwt_new(), *before, *after, *seen = NULL;

	(void)state;
	make_target(root, false);
	stage_key(root, KEY "\n", true);
	before = hwt_listing(root);
	runner_dry_init(&r, record_argv, &seen);
	log_capture_start();
	assert_int_equal(inst_firstboot_run(root, &r, &o, &err), 0);
	log_capture_stop();
	after = hwt_listing(root);
	assert_string_equal(after, before);
	assert_false(path_exists(root, INST_FB_DONE));
	assert_true(path_exists(root, INST_FB_SUBSCRIPTION));
	/* what it would do: every command, and what it would write or remove */
	assert_non_null(seen);
	assert_true(strncmp(seen, "pvesubscription set '<secret>'\nqm status 9000\n", 46) == 0);
	assert_non_null(strstr(seen, "qm template 9000\n"));
	assert_non_null(strstr(log_captured(), "dry run: would remove the staged subscription "
				  "key '/var/lib/ironpass/subscription-key'\n"));
	assert_non_null(strstr(log_captured(), "dry run: would record '" INST_FB_DONE "'\n"));
	assert_null(strstr(log_captured(), "0123456789"));
	assert_null(strstr(seen, "0123456789"));

	/* a failing dry run leaves no failed marker either */
	hwt_rm(root, INST_FB_PVE_READY);
	free(before);
	before = hwt_listing(root);
	log_capture_start();
	assert_int_equal(inst_firstboot_run(root, &r, &o, &err), -ETIMEDOUT);
	log_capture_stop();
	free(after);
	after = hwt_listing(root);
	assert_string_equal(after, before);
	free(before);
	free(after);
	free(seen);
	hwt_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_storage),
		cmocka_unit_test(test_setup_storage),
		cmocka_unit_test(test_setup),
		cmocka_unit_test(test_ordering),
		cmocka_unit_test(test_runs_once),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_wait_interrupted),
		cmocka_unit_test(test_vm_ids),
		cmocka_unit_test(test_webhook),
		cmocka_unit_test(test_media),
		cmocka_unit_test(test_media_notes),
		cmocka_unit_test(test_carry),
		cmocka_unit_test(test_standin),
		cmocka_unit_test(test_subscription_staged),
		cmocka_unit_test(test_subscription_registered),
		cmocka_unit_test(test_subscription_fails),
		cmocka_unit_test(test_subscription_not_registered),
		cmocka_unit_test(test_dry_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
