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
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "fake-runner.h"
#include "hash.h"
#include "install/inst-session.h"
#include "path.h"
#include "payload.h"
#include "ui-script.h"
#include "util.h"

struct env {
	char dir[256];
	char sysroot[300], target[300], payload[300], answer[300];
};

static const char *const base_files[][2] = {
	{ "etc/passwd", "root:x:0:0:root:/root:/bin/bash\n" },
	{ "etc/group", "root:x:0:\nshadow:x:42:\n" },
	{ "etc/shadow", "root:*:19000:0:99999:7:::\n" },
	{ "etc/hostname", "debian\n" },
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
	int sfdisk, pv, mkfs, grub, initramfs;

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
	}
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unattended_install, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_payload_stops_before_disk, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_answer_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_step_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_found_answer_needs_auto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_found_answer_offered, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
