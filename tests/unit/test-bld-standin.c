// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in packages' scripts, run for real: qm (perl) on a temporary root
 * with the storage.cfg the installer writes, fed the qm create argv the first
 * boot makes from the plan of fixture machines, and a table of options
 * Proxmox VE's qm refuses; standin-pmxcfs (sh) without its mount.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "detect/hw.h"
#include "firstboot/inst-firstboot.h"
#include "hw-tree.h"
#include "log-capture.h"
#include "path.h"
#include "payload/bld-payload.h"
#include "plan/plan.h"
#include "runner.h"
#include "target/inst-cfg.h"
#include "util.h"

/* the package trees (bld_standin_debs_write) and the node's root */
static char *pkgs, *root;
static char qm_path[PATH_MAX], env_root[PATH_MAX + 32];

static int setup(void **state)
{
	struct ip_err err = { 0 };

	(void)state;
	pkgs = hwt_new();
	root = hwt_new();
	assert_int_equal(bld_standin_debs_write(pkgs, &err), 0);
	snprintf(qm_path, sizeof(qm_path), "%s/pve-manager/usr/sbin/qm", pkgs);
	snprintf(env_root, sizeof(env_root), "IRONPASS_STANDIN_ROOT=%s", root);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hwt_free(root);
	hwt_free(pkgs);
	return 0;
}

/* A node as the installer leaves it and pve-cluster mounts it, with @kind's storage.cfg. */
static void node(enum inst_store_kind kind)
{
	struct inst_storage st = { .kind = kind };
	struct ip_err err = { 0 };
	char *cfg;

	snprintf(st.vgname, sizeof(st.vgname), "pve");
	snprintf(st.thinpool, sizeof(st.thinpool), "data");
	snprintf(st.zfs_pool, sizeof(st.zfs_pool), "rpool");
	cfg = inst_cfg_storage_text(&st, &err);
	assert_non_null(cfg);
	hwt_file(root, "/etc/pve/storage.cfg", cfg);
	free(cfg);
	hwt_file(root, "/etc/pve/.version", "1\n");
	assert_int_equal(path_mkdirs(root, "/etc/pve/qemu-server", 0755), 0);
}

/* An ISO of @size bytes in local's template/iso/ */
static void iso(const char *name, off_t size)
{
	char rel[PATH_MAX], full[PATH_MAX * 2];

	snprintf(rel, sizeof(rel), "/var/lib/vz/template/iso/%s", name);
	hwt_file(root, rel, "");
	snprintf(full, sizeof(full), "%s%s", root, rel);
	assert_int_equal(truncate(full, size), 0);
}

/* Run the stand-in qm with @args (NULL-terminated); its status, stdout and stderr in @res. */
static void qm_run(const char *const *args, struct run_result *res)
{
	const char *argv[64] = { "perl", qm_path };
	const char *env[] = { env_root, NULL };
	struct run_opts o = { .flags = RUN_CAPTURE, .env = env };
	struct runner r;
	size_t n = 2;

	for (size_t i = 0; args[i]; i++) {
		assert_true(n < 63);
		argv[n++] = args[i];
	}
	argv[n] = NULL;
	runner_spawn_init(&r);
	memset(res, 0, sizeof(*res));
	assert_int_equal(runner_run(&r, argv, &o, res), 0);
	assert_non_null(res->out);
	assert_non_null(res->err);
}

#define QM(res, ...) qm_run((const char *const[]){ __VA_ARGS__, NULL }, res)

/* qm config VMID, checked to succeed; caller frees */
static char *qm_config(const char *vmid)
{
	struct run_result res;
	char *out;

	QM(&res, "config", vmid);
	if (res.status != 0)
		fail_msg("qm config %s: exit %d: %s", vmid, res.status, res.err);
	out = res.out;
	res.out = NULL;
	run_result_release(&res);
	return out;
}

/* @text has the line @line */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, line, n) && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* The embedded scripts are the files in builder/payload/standin/, as they are now. */
static void test_embedded(void **state)
{
	static const char *const files[][2] = {
		{ "pve-manager/usr/sbin/qm", "qm" },
		{ "pve-manager/usr/sbin/pvesm", "pvesm" },
		{ "pve-cluster/usr/lib/pve-cluster/standin-pmxcfs", "standin-pmxcfs" },
		{ "pve-cluster/usr/bin/create_pmxcfs_db", "create_pmxcfs_db" },
		{ "pve-cluster/lib/systemd/system/pve-cluster.service", "pve-cluster.service" },
	};
	const char *top = getenv("IRONPASS_TOP");
	char src[PATH_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *a = NULL, *b = NULL;
		size_t na, nb;

		snprintf(src, sizeof(src), "%s/builder/payload/standin/%s", top && *top ? top : ".",
			 files[i][1]);
		assert_int_equal(path_read_all(pkgs, files[i][0], 1 << 20, &a, &na), 0);
		assert_int_equal(path_read_all(NULL, src, 1 << 20, &b, &nb), 0);
		if (na != nb || memcmp(a, b, na))
			fail_msg("'%s' in the package is not '%s': rebuild", files[i][0], src);
		free(a);
		free(b);
	}
}

struct fixture_case {
	const char *machine;
	enum inst_store_kind kind;
	const char *store;		/* what the first boot puts for local-lvm */
	const char *efidisk, *scsi0, *tpmstate;	/* qm config's lines for them */
};

/*
 * The qm create the first boot runs for the plan of a fixture machine: the
 * stand-in accepts it and `qm config` shows what Proxmox VE would have written;
 * then the whole first-boot VM step (inst_fb_make_vm) with the stand-in as qm.
 */
static void fixture_vm(const struct fixture_case *fc)
{
	struct answer_passthrough pt;
	struct answer_vm_template vmt;
	struct inst_fb_conf c;
	struct ip_err err = { 0 };
	struct plan plan = { 0 };
	struct run_result res;
	struct strbuf missing = { 0 };
	struct runner r;
	struct hw hw;
	char **argv, *cfg, path[PATH_MAX * 2], *old_path;
	const char *hostpci;
	unsigned made = 0;

	print_message("fixture %s, %s\n", fc->machine, fc->store);
	node(fc->kind);
	/* the Windows ISO and the answer ISO are there, virtio-win is not */
	iso("Win11.iso", 8192);
	iso("ironpass-autounattend-9000.iso", 2048);

	if (hw_detect(hwt_fixture(fc->machine), &hw, &err) < 0)
		fail_msg("%s: %s", fc->machine, err.msg);
	plan_default_policy(&pt, &vmt);
	vmt.windows_iso = (char *)"local:iso/Win11.iso";
	vmt.virtio_iso = (char *)"local:iso/virtio-win.iso";
	vmt.unattended = true;
	assert_int_equal(plan_build(&hw, &pt, &vmt, &plan, &err), 0);
	assert_true(plan.plan_ok);
	assert_int_equal(inst_fb_conf_from_plan(&c, &plan.vm, &err), 0);
	if (plan.vm.storage_auto)
		assert_int_equal(inst_fb_conf_storage(&c, plan.vm.storage, fc->store), 0);
	log_capture_start();
	argv = inst_fb_qm_create_argv(&c, root, &err);
	log_capture_stop();
	assert_non_null(argv);
	assert_string_equal(argv[0], "qm");

	/* the exact argv, to the stand-in */
	qm_run((const char *const *)argv + 1, &res);
	if (res.status != 0)
		fail_msg("%s: qm create refused (exit %d):\n%s", fc->machine, res.status, res.err);
	run_result_release(&res);
	inst_fb_argv_free(argv);

	cfg = qm_config("9000");
	hostpci = inst_fb_conf_get(&c, "hostpci0");
	snprintf(path, sizeof(path), "hostpci0: %s", hostpci ? hostpci : "");
	assert_true(!hostpci || has_line(cfg, path));
	snprintf(path, sizeof(path), "cores: %u", plan.vm.cores);
	assert_true(has_line(cfg, path));
	snprintf(path, sizeof(path), "memory: %u", plan.vm.memory_mib);
	assert_true(has_line(cfg, path));
	snprintf(path, sizeof(path), "net0: %s", inst_fb_conf_get(&c, "net0"));
	assert_true(has_line(cfg, path));
	if (plan.vm.affinity[0]) {
		snprintf(path, sizeof(path), "affinity: %s", plan.vm.affinity);
		assert_true(has_line(cfg, path));
	}
	if (!has_line(cfg, fc->efidisk) || !has_line(cfg, fc->scsi0) ||
	    !has_line(cfg, fc->tpmstate))
		fail_msg("%s: the disks are not as Proxmox VE names them:\n%s", fc->machine, cfg);
	assert_true(has_line(cfg, "agent: 1"));
	assert_true(has_line(cfg, "balloon: 0"));
	assert_true(has_line(cfg, "bios: ovmf"));
	assert_true(has_line(cfg, "boot: order=scsi0;ide2"));
	assert_true(has_line(cfg, "cpu: host"));
	assert_true(has_line(cfg, "ide0: none,media=cdrom"));
	assert_true(has_line(cfg, "ide1: local:iso/ironpass-autounattend-9000.iso,media=cdrom,"
			      "size=2K"));
	assert_true(has_line(cfg, "ide2: local:iso/Win11.iso,media=cdrom,size=8K"));
	/* Proxmox VE pins a Windows guest's machine version on create */
	assert_true(has_line(cfg, "machine: pc-q35-9.2+pve1"));
	assert_true(has_line(cfg, "name: win11-passthrough"));
	assert_true(has_line(cfg, "numa: 1"));
	assert_true(has_line(cfg, "ostype: win11"));
	assert_true(has_line(cfg, "scsihw: virtio-scsi-single"));
	assert_true(has_line(cfg, plan.vm.n_hostpci ? "vga: none" : "vga: std"));
	assert_non_null(strstr(cfg, "\nmeta: creation-qemu="));
	assert_non_null(strstr(cfg, "\nsmbios1: uuid="));
	assert_non_null(strstr(cfg, "\nvmgenid: "));
	assert_null(strstr(cfg, "template"));
	free(cfg);
	/* written sorted by key, like write_vm_config */
	assert_int_equal(path_read_all(root, "/etc/pve/qemu-server/9000.conf", 1 << 16, &cfg,
				       NULL), 0);
	assert_true(!strncmp(cfg, "affinity: ", 10) || !strncmp(cfg, "agent: 1\n", 9));
	free(cfg);
	hwt_rm(root, "/etc/pve/qemu-server/9000.conf");

	/* the first-boot VM step itself, with the stand-in as the node's qm */
	old_path = strdup(getenv("PATH"));
	assert_non_null(old_path);
	snprintf(path, sizeof(path), "%s/pve-manager/usr/sbin:%s", pkgs, old_path);
	assert_int_equal(setenv("PATH", path, 1), 0);
	assert_int_equal(setenv("IRONPASS_STANDIN_ROOT", root, 1), 0);
	runner_spawn_init(&r);
	log_capture_start();
	if (inst_fb_make_vm(&c, root, &r, false, &made, &missing, &err) < 0)
		fail_msg("%s: first boot: %s", fc->machine, err.msg);
	assert_int_equal(made, 9000);
	assert_non_null(strstr(log_captured(), "VM 9000 is now a template"));
	/* again: it exists and is a template, nothing is done twice */
	assert_int_equal(inst_fb_make_vm(&c, root, &r, false, &made, &missing, &err), 0);
	assert_int_equal(made, 9000);
	assert_non_null(strstr(log_captured(), "VM 9000 exists already"));
	log_capture_stop();
	sb_release(&missing);
	assert_int_equal(setenv("PATH", old_path, 1), 0);
	unsetenv("IRONPASS_STANDIN_ROOT");
	free(old_path);
	cfg = qm_config("9000");
	assert_true(has_line(cfg, "template: 1"));
	/* a template's disks are base volumes */
	assert_non_null(strstr(cfg, ":base-9000-disk-0") ? cfg : strstr(cfg, "/base-9000-disk-0"));
	assert_null(strstr(cfg, "vm-9000-disk-"));
	free(cfg);
	/* every call is in the log, the first as the first boot made it */
	assert_int_equal(path_read_all(root, "/var/log/ironpass-standin/qm.log", 1 << 20, &cfg,
				       NULL), 0);
	assert_true(!strncmp(cfg, "create 9000 --name win11-passthrough --ostype win11 ", 52));
	assert_non_null(strstr(cfg, "\nstatus 9000\ncreate 9000 --name "));
	assert_non_null(strstr(cfg, "\ntemplate 9000\nstatus 9000\nconfig 9000\n"));
	free(cfg);
	hwt_rm(root, "/var/log/ironpass-standin/qm.log");
	hwt_rm(root, "/etc/pve/qemu-server/9000.conf");

	inst_fb_conf_release(&c);
	plan_release(&plan);
	hw_release(&hw);
}

static void test_fixture_lvmthin(void **state)
{
	static const struct fixture_case fc = {
		"intel-hybrid-nvidia", INST_STORE_LVMTHIN, "local-lvm",
		"efidisk0: local-lvm:vm-9000-disk-0,efitype=4m,pre-enrolled-keys=1,size=4M",
		"scsi0: local-lvm:vm-9000-disk-1,discard=on,iothread=1,size=128G,ssd=1",
		"tpmstate0: local-lvm:vm-9000-disk-2,size=4M,version=v2.0",
	};

	(void)state;
	fixture_vm(&fc);
}

static void test_fixture_zfs(void **state)
{
	static const struct fixture_case fc = {
		"amd-dual-navi10", INST_STORE_ZFS, "local-zfs",
		"efidisk0: local-zfs:vm-9000-disk-0,efitype=4m,pre-enrolled-keys=1,size=1M",
		"scsi0: local-zfs:vm-9000-disk-1,discard=on,iothread=1,size=128G,ssd=1",
		"tpmstate0: local-zfs:vm-9000-disk-2,size=4M,version=v2.0",
	};

	(void)state;
	fixture_vm(&fc);
}

static void test_fixture_local(void **state)
{
	static const struct fixture_case fc = {
		"dual-socket-server", INST_STORE_LOCAL, "local",
		"efidisk0: local:9000/vm-9000-disk-0.raw,efitype=4m,pre-enrolled-keys=1,size=528K",
		"scsi0: local:9000/vm-9000-disk-1.raw,discard=on,iothread=1,size=128G,ssd=1",
		"tpmstate0: local:9000/vm-9000-disk-2.raw,size=4M,version=v2.0",
	};

	(void)state;
	fixture_vm(&fc);
}

struct refusal {
	const char *args[8];
	int status;
	const char *err;		/* a piece of stderr */
};

/* What Proxmox VE's qm refuses, the stand-in refuses, saying so the same way. */
static void test_refused(void **state)
{
	static const struct refusal bad[] = {
		{ { "--ostype", "win12" }, 255, "400 Parameter verification failed.\n"
		  "ostype: value 'win12' does not have a value in the enumeration 'other, wxp, " },
		{ { "--hostpci0", "0000:01:00.0x" }, 255,
		  "hostpci0: invalid format - format error\n"
		  "hostpci0.host: value does not match the regex pattern\n" },
		{ { "--hostpci0", "0000:0A:00" }, 255,
		  "hostpci0.host: value does not match the regex pattern\n" },
		{ { "--scsi0", "nosuch:32" }, 255, "storage 'nosuch' does not exist\n" },
		{ { "--scsi0", "local:32" }, 255,
		  "storage: storage 'local' does not support vm images\n" },
		{ { "--efidisk0", "local:1,efitype=4m" }, 255,
		  "storage: storage 'local' does not support vm images\n" },
		{ { "--cores", "0" }, 255, "cores: value must have a minimum value of 1\n" },
		{ { "--sockets", "x" }, 255, "sockets: type check ('integer') failed - got 'x'\n" },
		{ { "--foo", "1" }, 255, "Unknown option: foo\n400 unable to parse option\n" },
		{ { "--numa", "maybe" }, 255, "400 unable to parse boolean option\n" },
		{ { "--balloon", "-1" }, 255, "balloon: value must have a minimum value of 0\n" },
		{ { "--memory", "8" }, 255,
		  "memory.current: value must have a minimum value of 16\n" },
		{ { "--hugepages", "4" }, 255,
		  "hugepages: value '4' does not have a value in the enumeration 'any, 2, 1024'\n" },
		{ { "--affinity", "3-1" }, 255, "affinity: invalid format - unable to parse cpuset "
		  "option\n" },
		{ { "--name", "win_11" }, 255,
		  "name: invalid format - value does not look like a valid DNS name\n" },
		{ { "--machine", "q36" }, 255,
		  "machine.type: value does not match the regex pattern\n" },
		{ { "--machine", "pc,viommu=intel" }, 255,
		  "unable to create VM 9100 - to use Intel vIOMMU please set the machine type to "
		  "q35\n" },
		{ { "--bios", "uefi" }, 255,
		  "bios: value 'uefi' does not have a value in the enumeration 'seabios, ovmf'\n" },
		{ { "--cpu", "host,flags=+avx" }, 255,
		  "cpu: invalid format - VM-specific CPU flags must be a subset of: " },
		{ { "--cpu", "Skylake" }, 255, "cpu: invalid format - Built-in cputype 'Skylake' "
		  "is not defined (missing 'custom-' prefix?)\n" },
		{ { "--efidisk0", "local-lvm:1,efitype=3m" }, 255,
		  "efidisk0.efitype: value '3m' does not have a value in the enumeration "
		  "'2m, 4m'\n" },
		{ { "--tpmstate0", "local-lvm:1,version=v3" }, 255,
		  "tpmstate0.version: value 'v3' does not have a value in the enumeration "
		  "'v1.2, v2.0'\n" },
		{ { "--scsi0", "local-lvm:32,discard=yes" }, 255,
		  "scsi0.discard: value 'yes' does not have a value in the enumeration "
		  "'ignore, on'\n" },
		{ { "--scsi0", "local-lvm:32,iothread=maybe" }, 255,
		  "scsi0.iothread: type check ('boolean') failed - got 'maybe'\n" },
		{ { "--scsihw", "virtio-scsi" }, 255,
		  "scsihw: value 'virtio-scsi' does not have a value in the enumeration " },
		{ { "--net0", "bridge=vmbr0" }, 255,
		  "net0.model: property is missing and it is not optional\n" },
		{ { "--net0", "virtio=01:00:5E:00:00:01,bridge=vmbr0" }, 255,
		  "net0.macaddr: invalid format - value does not look like a valid unicast MAC "
		  "address\n" },
		{ { "--vga", "serial4" }, 255,
		  "vga.type: value 'serial4' does not have a value in the enumeration " },
		{ { "--agent", "fstrim_cloned_disks=1" }, 255,
		  "agent.enabled: property is missing and it is not optional\n" },
		{ { "--boot", "order=scsi0;efidisk0" }, 255,
		  "boot.order: invalid format - invalid boot device 'efidisk0'\n" },
		{ { "--ide2", "local:iso/Win11.iso" }, 255,
		  "ide2: explicit 'media=cdrom' is required for iso images\n" },
		{ { "--ide2", "local:iso/nope.iso,media=cdrom" }, 255,
		  "unable to create VM 9100 - volume local:iso/nope.iso does not exist\n" },
		{ { "--ide2", "local-lvm:iso/Win11.iso,media=cdrom" }, 255,
		  "unable to parse lvm volume name 'iso/Win11.iso'\n" },
		{ { "--scsi0", "local-lvm:vm-100-disk-0" }, 255,
		  "volume local-lvm:vm-100-disk-0 does not exist\n" },
		{ { "--smbios1", "uuid=0" }, 255,
		  "smbios1: not supported by the ironpass test stand-in (NOT Proxmox VE)\n" },
	};
	struct run_result res;

	(void)state;
	node(INST_STORE_LVMTHIN);
	iso("Win11.iso", 4096);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *args[16] = { "create", "9100", "--cores", "2" };
		size_t n = 4;

		for (size_t k = 0; bad[i].args[k]; k++)
			args[n++] = bad[i].args[k];
		args[n] = NULL;
		qm_run(args, &res);
		if (res.status != bad[i].status || !strstr(res.err, bad[i].err))
			fail_msg("qm create 9100 ... %s %s: exit %d, stderr:\n%s", bad[i].args[0],
				 bad[i].args[1], res.status, res.err);
		run_result_release(&res);
		/* nothing was made */
		QM(&res, "status", "9100");
		assert_int_equal(res.status, 2);
		run_result_release(&res);
	}

	/* VM ids */
	QM(&res, "create", "99");
	assert_int_equal(res.status, 255);
	assert_non_null(strstr(res.err, "vmid: invalid format - value does not look like a "
			       "valid VM ID\n"));
	run_result_release(&res);
	QM(&res, "create", "9100", "--cores", "2");
	assert_int_equal(res.status, 0);
	run_result_release(&res);
	QM(&res, "create", "9100", "--cores", "4");
	assert_int_equal(res.status, 255);
	assert_non_null(strstr(res.err, "unable to create VM 9100 - VM 9100 already exists on "
			       "node '"));
	run_result_release(&res);

	/* status, template and destroy of a VM that is not there */
	QM(&res, "status", "9999");
	assert_int_equal(res.status, 2);
	assert_non_null(strstr(res.err, "Configuration file 'nodes/"));
	assert_non_null(strstr(res.err, "/qemu-server/9999.conf' does not exist\n"));
	run_result_release(&res);
	QM(&res, "template", "9999");
	assert_int_equal(res.status, 2);
	assert_non_null(strstr(res.err, "/qemu-server/9999.conf' does not exist\n"));
	run_result_release(&res);
	QM(&res, "destroy", "9999");
	assert_int_equal(res.status, 2);
	run_result_release(&res);

	/* a template twice; an unknown subcommand */
	QM(&res, "template", "9100");
	assert_int_equal(res.status, 0);
	run_result_release(&res);
	QM(&res, "template", "9100");
	assert_int_equal(res.status, 255);
	assert_string_equal(res.err, "you can't convert a template to a template\n");
	run_result_release(&res);
	QM(&res, "start", "9100");
	assert_int_equal(res.status, 255);
	assert_non_null(strstr(res.err, "ERROR: unknown command 'qm start'"));
	run_result_release(&res);

	/* without a mounted /etc/pve nothing works, as with Proxmox VE */
	hwt_rm(root, "/etc/pve/.version");
	QM(&res, "status", "9100");
	assert_int_equal(res.status, 255);
	assert_non_null(strstr(res.err, "cluster not ready"));
	run_result_release(&res);
}

/* What qm accepts besides the plan's values: spellings, defaults it fills in, list, destroy. */
static void test_accepted(void **state)
{
	struct run_result res;
	char *cfg;

	(void)state;
	node(INST_STORE_LVMTHIN);
	hwt_file(root, "/etc/pve/datacenter.cfg", "keyboard: de\nmac_prefix: 02:11:22\n");
	QM(&res, "create", "101", "-name", "t1", "--numa", "--onboot", "yes", "--sock=2",
	   "--memory", "current=2048", "--net0", "e1000,bridge=vmbr0,firewall=on",
	   "--scsi0", "local-lvm:0.5,cache=writeback", "--agent", "1,fstrim_cloned_disks=1",
	   "--cpu", "host,flags=+pdpe1gb;+aes,hidden=1", "--hostpci0",
	   "01:00.0;02:00.0,rombar=0,mapping=gpu1", "--affinity", "0-3,8-11");
	if (res.status != 0)
		fail_msg("exit %d: %s", res.status, res.err);
	assert_non_null(strstr(res.out, "scsi0: successfully created disk "
			       "'local-lvm:vm-101-disk-0,cache=writeback,size=512M'\n"));
	run_result_release(&res);
	cfg = qm_config("101");
	assert_true(has_line(cfg, "agent: 1,fstrim_cloned_disks=1"));
	assert_true(has_line(cfg, "boot: order=scsi0;net0"));
	assert_true(has_line(cfg, "cpu: host,flags=+pdpe1gb;+aes,hidden=1"));
	assert_true(has_line(cfg, "hostpci0: 01:00.0;02:00.0,rombar=0,mapping=gpu1"));
	assert_true(has_line(cfg, "memory: current=2048"));
	assert_true(has_line(cfg, "name: t1"));
	assert_true(has_line(cfg, "numa: 1"));
	assert_true(has_line(cfg, "onboot: 1"));
	assert_true(has_line(cfg, "sockets: 2"));
	/* a MAC from datacenter.cfg's prefix, firewall=on as 1 */
	assert_non_null(strstr(cfg, "\nnet0: e1000=02:11:22:"));
	assert_non_null(strstr(cfg, ",bridge=vmbr0,firewall=1\n"));
	/* not a Windows guest: no machine pinned */
	assert_null(strstr(cfg, "machine:"));
	free(cfg);

	/* the next VM's disks are numbered on: the names in use are taken */
	QM(&res, "create", "102", "--scsi0", "local-lvm:1", "--scsi1", "local-lvm:2");
	assert_int_equal(res.status, 0);
	run_result_release(&res);
	cfg = qm_config("102");
	assert_true(has_line(cfg, "scsi0: local-lvm:vm-102-disk-0,size=1G"));
	assert_true(has_line(cfg, "scsi1: local-lvm:vm-102-disk-1,size=2G"));
	free(cfg);

	QM(&res, "list");
	assert_int_equal(res.status, 0);
	assert_non_null(strstr(res.out, "      VMID NAME                 STATUS     MEM(MB)    "
			       "BOOTDISK(GB) PID       \n"));
	assert_non_null(strstr(res.out, "       101 t1                   stopped    2048"
			       "               0.50 0         \n"));
	assert_non_null(strstr(res.out, "       102 VM 102"));
	run_result_release(&res);
	QM(&res, "destroy", "102");
	assert_int_equal(res.status, 0);
	run_result_release(&res);
	QM(&res, "status", "102");
	assert_int_equal(res.status, 2);
	run_result_release(&res);
	QM(&res, "status", "101");
	assert_int_equal(res.status, 0);
	assert_string_equal(res.out, "status: stopped\n");
	run_result_release(&res);
}

/* standin-pmxcfs on a root of its own, without the bind mount. */
static void test_pmxcfs(void **state)
{
	char script[PATH_MAX], *text = NULL, link[PATH_MAX], lnk[PATH_MAX];
	const char *argv[] = { "sh", script, "start", NULL };
	const char *env[] = { env_root, "IRONPASS_STANDIN_NO_MOUNT=1", NULL };
	struct run_opts o = { .env = env };
	struct runner r;
	ssize_t n;

	(void)state;
	snprintf(script, sizeof(script), "%s/pve-cluster/usr/lib/pve-cluster/standin-pmxcfs",
		 pkgs);
	hwt_file(root, "/var/lib/pve-cluster/standin-config/storage.cfg", "dir: local\n");
	hwt_file(root, "/var/lib/pve-cluster/standin-config/user.cfg", "user:root@pam:1:0:::\n");
	runner_spawn_init(&r);
	assert_int_equal(runner_check(&r, argv, &o, NULL), 0);
	assert_int_equal(path_read_all(root, "/var/lib/pve-cluster/standin-pve/storage.cfg", 4096,
				       &text, NULL), 0);
	assert_string_equal(text, "dir: local\n");
	free(text);
	assert_true(path_exists(root, "/var/lib/pve-cluster/standin-pve/user.cfg"));
	assert_false(path_exists(root, "/var/lib/pve-cluster/standin-pve/datacenter.cfg"));
	assert_true(path_exists(root, "/var/lib/pve-cluster/standin-pve/.version"));
	assert_true(path_exists(root, "/var/lib/pve-cluster/standin-pve/qemu-server/"));
	snprintf(link, sizeof(link), "%s/var/lib/pve-cluster/standin-pve/qemu-server", root);
	n = readlink(link, lnk, sizeof(lnk) - 1);
	assert_true(n > 0);
	lnk[n] = '\0';
	assert_true(!strncmp(lnk, "nodes/", 6));
	assert_non_null(strstr(lnk, "/qemu-server"));
	/* a later start never overwrites what is there */
	hwt_file(root, "/var/lib/pve-cluster/standin-pve/storage.cfg", "changed\n");
	hwt_file(root, "/var/lib/pve-cluster/standin-config/datacenter.cfg", "keyboard: de\n");
	assert_int_equal(runner_check(&r, argv, &o, NULL), 0);
	assert_int_equal(path_read_all(root, "/var/lib/pve-cluster/standin-pve/storage.cfg", 4096,
				       &text, NULL), 0);
	assert_string_equal(text, "changed\n");
	free(text);
	assert_false(path_exists(root, "/var/lib/pve-cluster/standin-pve/datacenter.cfg"));
	/* stop without a mount is fine; anything else is a usage error */
	argv[2] = "stop";
	assert_int_equal(runner_check(&r, argv, &o, NULL), 0);
	argv[2] = "restart";
	assert_int_equal(runner_check(&r, argv, &o, NULL), -EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_embedded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fixture_lvmthin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fixture_zfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fixture_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pmxcfs, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
