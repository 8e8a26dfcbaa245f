// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A whole unattended install with nothing run for real: the QEMU e2e
 * machine's captured tree as sysroot, a tiny payload made here, a temp
 * directory as target, and the fake runner standing in for sfdisk, LVM,
 * mkfs, mount, apt, GRUB. Checks the order of the commands, the files on
 * the target, and that the safety refusals stop before any disk command.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "fake-runner.h"
#include "hash.h"
#include "loopback-http.h"
#include "install/inst-session.h"
#include "install/inst.h"
#include "path.h"
#include "payload.h"
#include "ui-script.h"
#include "util.h"
#include "proc-check.h"

struct env {
	char dir[256];
	char sysroot[300], target[300], payload[300], answer[300];
};

static const char *const base_files[][2] = {
	{ "etc/passwd", "root:x:0:0:root:/root:/bin/bash\n" },
	{ "etc/group", "root:x:0:\nshadow:x:42:\n" },
	{ "etc/shadow", "root:*:19000:0:99999:7:::\n" },
	{ "etc/hostname", "debian\n" },
	{ "etc/debian_version", "12.8\n" },
	{ "etc/machine-id", "5f1c3b1ad3e04c4f9a6e2b7d8c9e0f12\n" },
	{ "etc/hosts", "127.0.0.1 localhost\n" },
	{ "etc/default/grub", "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n" },
	{ "usr/share/zoneinfo/Europe/Berlin", "TZif" },
	{ "usr/share/zoneinfo/UTC", "TZif" },
};

static void make_base(const char *path)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();

	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	assert_int_equal(archive_write_add_filter_zstd(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < ARRAY_SIZE(base_files); i++) {
		archive_entry_clear(e);
		archive_entry_set_pathname(e, base_files[i][0]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, strlen(base_files[i][1]));
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		archive_write_data(a, base_files[i][1], strlen(base_files[i][1]));
	}
	archive_entry_free(e);
	archive_write_close(a);
	archive_write_free(a);
}

static void make_payload(const char *dir)
{
	struct payload_info pi = { 0 };
	struct ip_err err = { 0 };
	char base[512];

	snprintf(base, sizeof(base), "%s/base.tar.zst", dir);
	make_base(base);
	assert_int_equal(path_write_file(dir, "/pool/Packages", "", 0, 0644), 0);
	assert_int_equal(payload_info_init(&pi, "pool", true, "bookworm", 0,
					   payload_default_packages), 0);
	assert_int_equal(payload_scan(dir, &pi, &err), 0);
	assert_int_equal(payload_manifest_write(dir, &pi, &err), 0);
	payload_info_release(&pi);
}

static const char answer_text[] =
	"[global]\nkeyboard = \"de\"\ncountry = \"de\"\nfqdn = \"pve1.example.com\"\n"
	"mailto = \"root@example.com\"\ntimezone = \"Europe/Berlin\"\n"
	"root-password = \"correct horse\"\n"
	"[network]\nsource = \"from-answer\"\ncidr = \"10.0.2.15/24\"\n"
	"gateway = \"10.0.2.2\"\ndns = \"10.0.2.3\"\nfilter.ID_NET_NAME_MAC = \"*525400123456\"\n"
	"[disk-setup]\nfilesystem = \"ext4\"\ndisk-list = [\"vda\"]\n"
	"[passthrough]\ngpu = \"auto\"\n"
	"[ironpass]\nwipe = \"always\"\n";

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct runner r;
	char src[512];

	snprintf(e->dir, sizeof(e->dir), "/tmp/ironpass-session-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	snprintf(e->sysroot, sizeof(e->sysroot), "%s/sysroot", e->dir);
	snprintf(e->target, sizeof(e->target), "%s/target", e->dir);
	snprintf(e->payload, sizeof(e->payload), "%s/payload", e->dir);
	snprintf(e->answer, sizeof(e->answer), "%s/answer.toml", e->dir);
	snprintf(src, sizeof(src), "%s/tests/fixtures/qemu-e2e",
		 getenv("IRONPASS_TOP") ? getenv("IRONPASS_TOP") : ".");
	runner_spawn_init(&r);
	assert_int_equal(runner_check(&r, (const char *const[]){ "cp", "-a", src, e->sysroot, NULL },
				      NULL, NULL), 0);
	assert_int_equal(path_mkdirs(NULL, e->target, 0755), 0);
	assert_int_equal(path_mkdirs(NULL, e->payload, 0755), 0);
	make_payload(e->payload);
	assert_int_equal(path_write_file(NULL, e->answer, answer_text, strlen(answer_text), 0600),
			 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	struct runner r;

	runner_spawn_init(&r);
	runner_run(&r, (const char *const[]){ "rm", "-rf", e->dir, NULL }, NULL, NULL);
	free(e);
	return 0;
}

static void fake_rules(struct fake_runner *f)
{
	fake_runner_init(f);
	fake_runner_rule(f, "blkid", 0, "0f0e0d0c-1111-2222-3333-444455556666\n");
	fake_runner_rule(f, "blockdev --getsize64", 0, "30064771072\n");
	fake_runner_rule(f, "chroot", 0, "");
}

static int run_session(struct env *e, struct fake_runner *f, const char *answer,
		       struct inst_session_result *res, struct ip_err *err)
{
	struct inst_session_opts o = {
		.sysroot = e->sysroot,
		.target = e->target,
		.payload_dir = e->payload,
		.answer_file = answer,
		.automatic = true,
		.runner = &f->r,
	};

	return inst_session_run(&o, res, err);
}

static bool target_has(struct env *e, const char *path, const char *needle)
{
	char *text = NULL;
	bool found;

	if (path_read_all(e->target, path, 1 << 20, &text, NULL) < 0)
		return false;
	found = strstr(text, needle) != NULL;
	free(text);
	return found;
}

static void test_unattended_install(void **state)
{
	struct env *e = *state;
	struct inst_session_result res;
	struct ip_err err = { 0 };
	struct fake_runner f;
	int sfdisk, pv, mkfs, grub, initramfs, pmxcfs = -1, chattr = -1;

	fake_rules(&f);
	if (run_session(e, &f, e->answer, &res, &err) < 0) {
		print_error("session failed: %s\n%s\n", ip_err_msg(&err),
			    res.log_tail ? res.log_tail : "");
		for (size_t i = 0; i < f.n_calls; i++)
			print_error("  ran: %s\n", f.calls[i].cmd);
		fail();
	}
	assert_true(res.success);
	assert_false(res.interactive);
	/* disk commands in order, on the chosen disk only */
	sfdisk = fake_runner_find(&f, "sfdisk");
	pv = fake_runner_find(&f, "pvcreate");
	mkfs = fake_runner_find(&f, "mkfs.ext4");
	grub = fake_runner_find(&f, "chroot");
	initramfs = -1;
	for (size_t i = 0; i < f.n_calls; i++) {
		assert_null(strstr(f.calls[i].cmd, "/dev/sr0"));
		if (strstr(f.calls[i].cmd, "update-initramfs"))
			initramfs = (int)i;
		if (strstr(f.calls[i].cmd, " /usr/bin/create_pmxcfs_db /tmp/pve "
					   "/var/lib/pve-cluster/config.db"))
			pmxcfs = (int)i;
		if (!strncmp(f.calls[i].cmd, "chattr +i ", 10))
			chattr = (int)i;
	}
	/* pmxcfs's database seeded in the target, then the bare /etc/pve made immutable */
	assert_true(pmxcfs > initramfs && chattr > pmxcfs);
	assert_false(path_exists(e->target, "/tmp/pve"));
	assert_true(sfdisk >= 0 && pv > sfdisk && mkfs > pv && grub > mkfs);
	assert_true(initramfs > mkfs);
	assert_non_null(strstr(f.calls[sfdisk].cmd, "/dev/vda"));
	assert_non_null(strstr(f.calls[sfdisk].input, "label: gpt"));
	/* the configured target */
	assert_true(target_has(e, "/etc/fstab", "UUID=0f0e0d0c-1111-2222-3333-444455556666"));
	assert_true(target_has(e, "/etc/hosts", "10.0.2.15 pve1.example.com pve1"));
	assert_true(target_has(e, "/etc/network/interfaces", "iface vmbr0 inet static"));
	assert_true(target_has(e, "/etc/hostname", "pve1"));
	assert_true(target_has(e, "/etc/modprobe.d/ironpass-vfio.conf", "options vfio-pci ids="));
	assert_true(target_has(e, "/etc/default/grub.d/ironpass.cfg", "iommu=pt"));
	assert_false(target_has(e, "/etc/shadow", "root:*:"));
	assert_true(target_has(e, "/etc/systemd/system/ironpass-firstboot.service",
			       "pve-cluster.service"));
	assert_true(target_has(e, "/var/log/ironpass/install.log", "step partition: done"));
	/* the password never reaches the log */
	assert_false(target_has(e, "/var/log/ironpass/install.log", "correct horse"));
	inst_session_result_release(&res);
	fake_runner_release(&f);
}

/*
 * With a webhook: every event has our fields in "ironpass", and "done"
 * carries Proxmox's fields about the installed system (and the token).
 */
static void test_done_event_facts(void **state)
{
	static const int ok[] = { 200, 0 };
	struct env *e = *state;
	struct inst_session_result res;
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct lhttp srv;
	json_object *o, *v, *d;
	char answer[512], *last, *save = NULL;
	int n = 0;
	FILE *fp;

	assert_int_equal(lhttp_start(&srv, ok, "ok"), 0);
	snprintf(answer, sizeof(answer), "%s/answer-webhook.toml", e->dir);
	fp = fopen(answer, "w");
	assert_non_null(fp);
	fprintf(fp, "%s[post-installation-webhook]\nurl = \"%s/hook\"\n"
		"auth-token = \"h00k-t0ken\"\n", answer_text, srv.url);
	fclose(fp);
	fake_rules(&f);
	assert_int_equal(run_session(e, &f, answer, &res, &err), 0);
	lhttp_stop(&srv);
	assert_true(srv.bodies_len > 0);
	srv.bodies[srv.bodies_len - 1] = '\0';
	last = srv.bodies;
	for (char *line = strtok_r(srv.bodies, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		o = json_tokener_parse(line);
		assert_non_null(o);
		assert_true(json_object_object_get_ex(o, "ironpass", &v));
		assert_true(json_object_object_get_ex(v, "event", NULL));
		assert_false(json_object_object_get_ex(o, "event", NULL));
		assert_true(json_object_object_get_ex(o, "token", &v));
		assert_string_equal(json_object_get_string(v), "h00k-t0ken");
		json_object_put(o);
		last = line;
		n++;
	}
	/* start, 16 steps (facts among them), done */
	assert_int_equal(n, 18);
	o = json_tokener_parse(last);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "ironpass", &v));
	assert_true(json_object_object_get_ex(v, "event", &v));
	assert_string_equal(json_object_get_string(v), "done");
	assert_true(json_object_object_get_ex(o, "$schema", &v));
	assert_true(json_object_object_get_ex(v, "version", &v));
	assert_string_equal(json_object_get_string(v), "1.2");
	assert_true(json_object_object_get_ex(o, "debian-version", &v));
	assert_string_equal(json_object_get_string(v), "12.8");
	assert_true(json_object_object_get_ex(o, "machine-id", &v));
	assert_string_equal(json_object_get_string(v), "5f1c3b1ad3e04c4f9a6e2b7d8c9e0f12");
	assert_true(json_object_object_get_ex(o, "filesystem", &v));
	assert_string_equal(json_object_get_string(v), "ext4");
	assert_true(json_object_object_get_ex(o, "fqdn", &v));
	assert_string_equal(json_object_get_string(v), "pve1.example.com");
	assert_true(json_object_object_get_ex(o, "reboot-mode", &v));
	assert_string_equal(json_object_get_string(v), "reboot");
	/* the disk installed onto, and the management NIC with the node's address */
	assert_true(json_object_object_get_ex(o, "disks", &v));
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *p, *name;

		d = json_object_array_get_idx(v, i);
		assert_true(json_object_object_get_ex(d, "udev-properties", &p));
		assert_true(json_object_object_get_ex(p, "DEVNAME", &name));
		assert_int_equal(json_object_object_get_ex(d, "is-bootdisk", NULL),
				 !strcmp(json_object_get_string(name), "/dev/vda"));
	}
	assert_true(json_object_object_get_ex(o, "network-interfaces", &v));
	assert_int_equal(json_object_array_length(v), 1);
	d = json_object_array_get_idx(v, 0);
	assert_true(json_object_object_get_ex(d, "is-management", &v));
	assert_true(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(d, "address", &v));
	assert_string_equal(json_object_get_string(v), "10.0.2.15/24");
	/* no pve-manager in the stand-in payload: no product; no Proxmox ISO: no iso */
	assert_false(json_object_object_get_ex(o, "product", NULL));
	assert_false(json_object_object_get_ex(o, "iso", NULL));
	json_object_put(o);
	/* the token is not logged */
	assert_false(target_has(e, "/var/log/ironpass/install.log", "h00k-t0ken"));
	inst_session_result_release(&res);
	fake_runner_release(&f);
}

static void test_corrupt_payload_stops_before_disk(void **state)
{
	struct env *e = *state;
	struct inst_session_result res;
	struct ip_err err = { 0 };
	struct fake_runner f;
	char base[512];
	int fd;

	snprintf(base, sizeof(base), "%s/base.tar.zst", e->payload);
	fd = open(base, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "X", 1, 20), 1);
	close(fd);
	fake_rules(&f);
	assert_true(run_session(e, &f, e->answer, &res, &err) < 0);
	assert_string_equal(res.failed_step, "payload");
	assert_non_null(strstr(ip_err_msg(&err), "base.tar.zst"));
	for (size_t i = 0; i < f.n_calls; i++) {
		assert_null(strstr(f.calls[i].cmd, "sfdisk"));
		assert_null(strstr(f.calls[i].cmd, "wipefs"));
	}
	inst_session_result_release(&res);
	fake_runner_release(&f);
}

static void test_bad_answer_refused(void **state)
{
	static const char bad[] = "[global]\nfqdn = \"nodomain\"\n";
	struct env *e = *state;
	struct inst_session_result res;
	struct ip_err err = { 0 };
	struct fake_runner f;
	char path[512];

	snprintf(path, sizeof(path), "%s/bad.toml", e->dir);
	assert_int_equal(path_write_file(NULL, path, bad, strlen(bad), 0600), 0);
	fake_rules(&f);
	assert_int_equal(run_session(e, &f, path, &res, &err), -EINVAL);
	assert_non_null(strstr(ip_err_msg(&err), "error"));
	assert_int_equal(f.n_calls, 0);
	inst_session_result_release(&res);
	fake_runner_release(&f);
}

static void test_failed_step_stops(void **state)
{
	struct env *e = *state;
	struct inst_session_result res;
	struct ip_err err = { 0 };
	struct fake_runner f;

	fake_runner_init(&f);
	fake_runner_rule(&f, "mkfs.ext4", 1, "");
	fake_runner_rule(&f, "blkid", 0, "0f0e0d0c-1111-2222-3333-444455556666\n");
	fake_runner_rule(&f, "blockdev --getsize64", 0, "30064771072\n");
	assert_true(run_session(e, &f, e->answer, &res, &err) < 0);
	assert_false(res.success);
	assert_string_equal(res.failed_step, "mkfs");
	assert_non_null(strstr(res.log_tail, "step mkfs: failed"));
	/* nothing after mkfs ran: no unpack, no packages, no boot loader */
	assert_int_equal(fake_runner_find(&f, "chroot"), -1);
	assert_int_equal(fake_runner_find(&f, "grub-install"), -1);
	assert_false(path_exists(e->target, "/etc/fstab"));
	inst_session_result_release(&res);
	fake_runner_release(&f);
}

/* an answer found on the boot medium, not named on the command line (no ironpass.auto) */
static void put_found_answer(struct env *e, const char *wipe)
{
	static const char cmdline[] = "BOOT_IMAGE=/live/vmlinuz boot=live quiet\n";
	char *text = NULL;

	assert_int_equal(path_write_file(e->sysroot, "/proc/cmdline", cmdline, strlen(cmdline),
					 0644), 0);
	assert_true(asprintf(&text, "%.*s[ironpass]\nwipe = \"%s\"\n",
			     (int)(strstr(answer_text, "[ironpass]") - answer_text), answer_text,
			     wipe) > 0);
	assert_int_equal(path_write_file(e->sysroot, "/run/live/medium/answer.toml", text,
					 strlen(text), 0600), 0);
	free(text);
}

static int run_found(struct env *e, struct fake_runner *f, struct ui *ui,
		     struct inst_session_result *res, struct ip_err *err)
{
	struct inst_session_opts o = {
		.sysroot = e->sysroot,
		.target = e->target,
		.payload_dir = e->payload,
		.runner = &f->r,
		.ui = ui,
	};

	return inst_session_run(&o, res, err);
}

/* found, no ironpass.auto, no screen: refused before anything runs */
static void test_found_answer_needs_auto(void **state)
{
	struct env *e = *state;
	struct inst_session_result res;
	struct ip_err err = { 0 };
	struct fake_runner f;

	put_found_answer(e, "always");
	fake_rules(&f);
	assert_int_equal(run_found(e, &f, NULL, &res, &err), -EPERM);
	assert_string_equal(ip_err_msg(&err),
			    "an answer file was found on /run/live/medium/answer.toml, but a found "
			    "answer file runs unattended only with 'ironpass.auto' on the kernel "
			    "command line (or --auto): refusing to use it");
	assert_int_equal(f.n_calls, 0);
	inst_session_result_release(&res);
	fake_runner_release(&f);

	/* with ironpass.auto on the command line it runs */
	assert_int_equal(path_write_file(e->sysroot, "/proc/cmdline", "quiet ironpass.auto\n",
					 20, 0644), 0);
	fake_rules(&f);
	assert_int_equal(run_found(e, &f, NULL, &res, &err), 0);
	assert_false(res.interactive);
	assert_true(fake_runner_find(&f, "sfdisk") >= 0);
	inst_session_result_release(&res);
	fake_runner_release(&f);
}

/* found, from the interactive entry: shown and offered, naming the disk it would erase */
static void test_found_answer_offered(void **state)
{
	static const struct ui_step yes[] = {
		{ UK_YESNO, "Answer file found", UI_OK, NULL },
	};
	static const struct ui_step no[] = {
		{ UK_YESNO, "Answer file found", UI_CANCEL, NULL },
		{ UK_YESNO, "ironpass installer", UI_CANCEL, NULL },
	};
	struct env *e = *state;
	struct inst_session_result res;
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct ui_script s;

	/* empty-only: the yes on screen is what allows wiping the disk */
	put_found_answer(e, "empty-only");
	fake_rules(&f);
	ui_script_init(&s, yes, ARRAY_SIZE(yes));
	if (run_found(e, &f, &s.ui, &res, &err) < 0)
		fail_msg("%s", ip_err_msg(&err));
	assert_int_equal(s.mismatch, 0);
	assert_non_null(strstr(s.texts[0], "An answer file was found on "
			       "/run/live/medium/answer.toml."));
	assert_non_null(strstr(s.texts[0], "it would erase /dev/vda (model '"));
	assert_false(res.interactive);
	assert_true(fake_runner_find(&f, "sfdisk") >= 0);
	inst_session_result_release(&res);
	fake_runner_release(&f);

	/* "No": nothing is used, the screens start (and are cancelled here) */
	fake_rules(&f);
	ui_script_init(&s, no, ARRAY_SIZE(no));
	assert_int_equal(run_found(e, &f, &s.ui, &res, &err), -ECANCELED);
	assert_int_equal(s.mismatch, 0);
	assert_int_equal(s.next, 2);
	assert_int_equal(fake_runner_find(&f, "sfdisk"), -1);
	inst_session_result_release(&res);
	fake_runner_release(&f);
}

/*
 * The fake runner, except for one command (the first whose argv contains
 * @slow), which runs for real as a long sleep in its own process group and
 * writes its pid to @pidfile. Once a signal has come, every command first
 * runs `true` for real: the real runner must let the cleanup run.
 */
struct hybrid {
	struct runner r;
	struct fake_runner f;
	struct runner real;
	const char *slow;
	char pidfile[320];
	int slow_call;		/* index in f.calls, or -1 */
	int refused;		/* commands the real runner would not start after the signal */
};

static int hybrid_run(struct runner *r, const char *const *argv, const struct run_opts *o,
		      struct run_result *res)
{
	struct hybrid *h = r->data;
	char *cmd = runner_argv_str(argv), script[400];
	bool slow = h->slow_call < 0 && cmd && strstr(cmd, h->slow);
	const char *sleeper[] = { "sh", "-c", script, NULL };
	const char *probe[] = { "true", NULL };
	struct run_opts po = { .flags = o ? o->flags & RUN_CLEANUP : 0 };
	int ret;

	free(cmd);
	if (runner_interrupted() && h->real.run(&h->real, probe, &po, res) < 0)
		h->refused++;
	run_result_release(res);
	ret = h->f.r.run(&h->f.r, argv, o, res);	/* records the call */
	if (!slow)
		return ret;
	run_result_release(res);
	h->slow_call = (int)h->f.n_calls - 1;
	snprintf(script, sizeof(script), "sleep 60 & echo $! >%s; wait", h->pidfile);
	ret = h->real.run(&h->real, sleeper, o, res);
	if (ret < 0)
		r->err = h->real.err;
	return ret;
}

static void *term_when_running(void *data)
{
	struct hybrid *h = data;

	struct stat st;

	/* the pid is written, not only the file created */
	for (int i = 0; i < 3000 && !(stat(h->pidfile, &st) == 0 && st.st_size > 0); i++)
		usleep(10 * 1000);
	kill(getpid(), SIGTERM);
	return NULL;
}

/*
 * SIGTERM while apt-get runs (a real process): its process group is gone,
 * the step fails "interrupted by SIGTERM", the target is marked and
 * unmounted, the webhook gets "failed", the result is an error, quickly.
 */
static void test_sigterm_mid_step(void **state)
{
	static const int ok[] = { 200, 0 };
	struct env *e = *state;
	struct inst_session_result res;
	struct ip_err err = { 0 };
	struct hybrid h = { .slow = " apt-get ", .slow_call = -1 };
	struct sigaction now;
	struct timespec t0, t1;
	struct lhttp srv;
	char answer[512], *text = NULL, *last;
	pthread_t th;
	long pid = -1;
	int ret, umount_target = -1;
	FILE *f;

	assert_int_equal(lhttp_start(&srv, ok, "ok"), 0);
	snprintf(answer, sizeof(answer), "%s/answer-webhook.toml", e->dir);
	f = fopen(answer, "w");
	assert_non_null(f);
	fprintf(f, "%s[post-installation-webhook]\nurl = \"%s/hook\"\n", answer_text, srv.url);
	fclose(f);
	fake_rules(&h.f);
	runner_spawn_init(&h.real);
	h.r.run = hybrid_run;
	h.r.data = &h;
	snprintf(h.pidfile, sizeof(h.pidfile), "%s/apt.pid", e->dir);

	assert_int_equal(pthread_create(&th, NULL, term_when_running, &h), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	{
		struct inst_session_opts o = {
			.sysroot = e->sysroot, .target = e->target, .payload_dir = e->payload,
			.answer_file = answer, .automatic = true, .runner = &h.r,
		};

		ret = inst_session_run(&o, &res, &err);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(th, NULL);
	lhttp_stop(&srv);

	/* the sleeper and its group are gone */
	pid = proc_read_pid(h.pidfile);
	assert_true(pid > 0);
	if (!proc_gone(pid)) {
		kill((pid_t)pid, SIGKILL);
		fail_msg("apt-get's child (pid %ld) survived SIGTERM", pid);
	}
	/* failed, at the step that ran, for the signal, in seconds rather than a minute */
	assert_true(ret < 0);
	assert_false(res.success);
	assert_string_equal(res.failed_step, "packages");
	assert_int_equal(res.signal, SIGTERM);
	assert_non_null(strstr(ip_err_msg(&err), "step 'packages' failed: interrupted by SIGTERM"));
	assert_true((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9 < 20.0);
	/* the cleanup ran after the signal, with a runner that starts commands again */
	assert_true(h.slow_call >= 0);
	for (size_t i = (size_t)h.slow_call + 1; i < h.f.n_calls; i++) {
		char want[400];

		snprintf(want, sizeof(want), "umount %s", e->target);
		if (!strcmp(h.f.calls[i].cmd, want))
			umount_target = (int)i;
	}
	assert_true(umount_target > h.slow_call);
	assert_int_equal(h.refused, 0);
	/* nothing after the packages step ran */
	for (size_t i = (size_t)h.slow_call + 1; i < h.f.n_calls; i++) {
		assert_null(strstr(h.f.calls[i].cmd, "grub-install"));
		assert_null(strstr(h.f.calls[i].cmd, "update-initramfs"));
	}
	/* the target is marked as failed, with the log beside the mark */
	assert_true(target_has(e, INST_FAILED_MARK,
			       "install failed at step 'packages': interrupted by SIGTERM"));
	assert_true(target_has(e, "/var/log/ironpass/install.log", "marked the target as failed"));
	/* the last webhook event is "failed" for the packages step */
	assert_true(srv.bodies_len > 0);
	srv.bodies[srv.bodies_len - 1] = '\0';
	last = strrchr(srv.bodies, '\n');
	last = last ? last + 1 : srv.bodies;
	assert_non_null(strstr(last, "\"ironpass\":{\"event\":\"failed\",\"step\":\"packages\""));
	assert_non_null(strstr(last, "interrupted by SIGTERM"));
	/* the session's handler is gone again */
	sigaction(SIGTERM, NULL, &now);
	assert_true(now.sa_handler == SIG_DFL);
	runner_interrupt_reset();
	free(text);
	inst_session_result_release(&res);
	fake_runner_release(&h.f);
}


/*
 * ironpass.answer=http and nothing to discover by the deadline: no answer.
 * The result says so (the CLI powers off), the webhook gets "failed" at
 * step "answer", and no command ran: no disk was touched.
 */
static void test_no_answer_powers_off(void **state)
{
	static const int ok[] = { 200, 0 };
	struct env *e = *state;
	struct inst_session_result res;
	struct ip_err err = { 0 };
	struct fake_runner f;
	struct timespec t0, t1;
	struct lhttp srv;
	char cmdline[256];
	double secs;

	assert_int_equal(lhttp_start(&srv, ok, "ok"), 0);
	snprintf(cmdline, sizeof(cmdline), "boot=live ironpass.auto ironpass.answer=http "
		 "ironpass.answer-deadline=1 ironpass.webhook=%s/hook\n", srv.url);
	assert_int_equal(path_write_file(e->sysroot, "/proc/cmdline", cmdline, strlen(cmdline),
					 0644), 0);
	/* an answer on the medium is not a fallback for a failed explicit source */
	assert_int_equal(path_write_file(e->sysroot, "/run/live/medium/answer.toml", answer_text,
					 strlen(answer_text), 0600), 0);
	/* a lease with a DNS server but no option 250 and no search domain: the
	 * session writes resolv.conf from it before it looks for the answer */
	assert_int_equal(path_write_file(e->sysroot, "/run/systemd/netif/leases/2",
					 "ADDRESS=10.0.2.15\nDNS=10.0.2.3\n", 31, 0644), 0);
	path_unlink(e->sysroot, "/etc/resolv.conf");
	fake_rules(&f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(run_found(e, &f, NULL, &res, &err), -ENOENT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	lhttp_stop(&srv);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs >= 0.9 && secs < 10.0);
	assert_true(res.no_answer);
	assert_false(res.success);
	assert_null(res.failed_step);
	assert_non_null(strstr(ip_err_msg(&err), "no answer URL found after"));
	assert_int_equal(f.n_calls, 0);
	assert_int_equal(srv.n_requests, 1);
	assert_non_null(strstr(srv.bodies, "\"ironpass\":{\"event\":\"failed\",\"step\":\"answer\""));
	{
		char *rc = NULL;
		size_t len;

		assert_int_equal(path_read_all(e->sysroot, "/etc/resolv.conf", 4096, &rc, &len), 0);
		assert_non_null(strstr(rc, "\nnameserver 10.0.2.3\n"));
		free(rc);
	}
	path_unlink(e->sysroot, "/run/systemd/netif/leases/2");
	assert_non_null(strstr(srv.bodies, "no answer URL found"));
	inst_session_result_release(&res);
	fake_runner_release(&f);

	/* a bad answer is not "no answer": it reports, and does not power off */
	assert_int_equal(path_write_file(e->sysroot, "/proc/cmdline", "ironpass.auto\n", 14,
					 0644), 0);
	assert_int_equal(path_write_file(e->sysroot, "/run/live/medium/answer.toml",
					 "[global\n", 8, 0600), 0);
	fake_rules(&f);
	assert_true(run_found(e, &f, NULL, &res, &err) < 0);
	assert_false(res.no_answer);
	assert_int_equal(f.n_calls, 0);
	inst_session_result_release(&res);
	fake_runner_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unattended_install, setup, teardown),
		cmocka_unit_test_setup_teardown(test_done_event_facts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_payload_stops_before_disk, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_answer_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_step_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_found_answer_needs_auto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_found_answer_offered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigterm_mid_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_answer_powers_off, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
