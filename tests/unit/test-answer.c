// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The answer-file schema: every fixture under tests/fixtures/answers/ (good
 * files parse without errors, bad files give exactly their .expected lines),
 * then targeted tests for defaults, values, flags, secrets and reports.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "answer-int.h"
#include "answer.h"
#include "err.h"
#include "passwd.h"
#include "toml/toml.h"
#include "util.h"

static const char answer_min[] =
	"[global]\n"
	"keyboard = \"de\"\n"
	"country = \"at\"\n"
	"fqdn = \"pve.example.com\"\n"
	"mailto = \"root@example.com\"\n"
	"timezone = \"Europe/Vienna\"\n"
	"root-password = \"correct horse\"\n"
	"[network]\n"
	"source = \"from-dhcp\"\n"
	"[disk-setup]\n"
	"filesystem = \"ext4\"\n"
	"disk-list = [\"sda\"]\n";

static char *fixture_dir(const char *kind)
{
	const char *top = getenv("IRONPASS_TOP");
	struct strbuf sb = { 0 };

	sb_printf(&sb, "%s/tests/fixtures/answers/%s", top ? top : ".", kind);
	return sb_detach(&sb);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = { 0 };
	char buf[4096];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	if (!sb.buf)
		sb_puts(&sb, "");
	*len = sb.len;
	return sb_detach(&sb);
}

/* Parse @text as "t.toml" and return all diagnostics joined by newlines. */
static char *diags_of(const char *text, unsigned flags, int *ret)
{
	struct answer_diags d = { 0 };
	struct answer *a = NULL;
	struct strbuf sb = { 0 };

	*ret = answer_parse(text, strlen(text), "t.toml", flags, &a, &d);
	for (size_t i = 0; i < d.len; i++) {
		char *s = answer_diag_str(&d.items[i]);

		sb_printf(&sb, "%s%s", i ? "\n" : "", s);
		free(s);
	}
	sb_puts(&sb, "");
	answer_free(a);
	answer_diags_release(&d);
	return sb_detach(&sb);
}

static struct answer *parse_ok(const char *text, unsigned flags)
{
	struct answer_diags d = { 0 };
	struct answer *a = NULL;
	int ret = answer_parse(text, strlen(text), "t.toml", flags, &a, &d);

	for (size_t i = 0; ret && i < d.len; i++)
		print_error("%u:%u: %s\n", d.items[i].line, d.items[i].col, d.items[i].msg);
	assert_int_equal(ret, 0);
	assert_non_null(a);
	answer_diags_release(&d);
	return a;
}

static char *with(const char *extra)
{
	struct strbuf sb = { 0 };

	sb_printf(&sb, "%s%s", answer_min, extra);
	return sb_detach(&sb);
}

/* ---- the fixture table ---- */

static size_t run_dir(const char *kind, bool good)
{
	char *dir = fixture_dir(kind);
	struct dirent **names;
	size_t count = 0;
	int n = scandir(dir, &names, NULL, alphasort);

	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		struct answer_diags d = { 0 };
		struct answer *a = NULL;
		char path[4096], exp_path[4096];
		char *buf, *expected;
		struct strbuf got = { 0 };
		size_t len, elen;
		int ret;

		if (!str_endswith(name, ".toml"))
			goto next;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		snprintf(exp_path, sizeof(exp_path), "%s/%.*s.expected", dir,
			 (int)(strlen(name) - 5), name);
		buf = slurp(path, &len);
		assert_non_null(buf);
		ret = answer_parse(buf, len, name, 0, &a, &d);
		for (size_t j = 0; j < d.len; j++) {
			char *s = answer_diag_str(&d.items[j]);

			sb_printf(&got, "%s\n", s);
			free(s);
		}
		if (good && d.n_errors == 0)
			sb_printf(&got, "%s: ok\n", name);
		expected = slurp(exp_path, &elen);
		if (good) {
			if (ret != 0)
				print_error("%s: %s", name, got.buf);
			assert_int_equal(ret, 0);
			assert_non_null(a);
		} else {
			assert_int_equal(ret, -EINVAL);
			assert_null(a);
			assert_true(d.n_errors > 0);
			assert_non_null(expected);	/* every bad file says what it expects */
		}
		if (expected && strcmp(expected, got.buf ? got.buf : "")) {
			print_error("%s:\n--- expected\n%s--- got\n%s", name, expected, got.buf);
			fail();
		}
		free(expected);
		sb_release(&got);
		free(buf);
		answer_free(a);
		answer_diags_release(&d);
		count++;
next:
		free(names[i]);
	}
	free(names);
	free(dir);
	return count;
}

static void test_fixtures_good(void **state)
{
	(void)state;
	assert_true(run_dir("good", true) >= 25);
}

static void test_fixtures_bad(void **state)
{
	(void)state;
	assert_true(run_dir("bad", false) >= 40);
}

/* ---- targeted tests ---- */

static void test_defaults(void **state)
{
	struct answer a;

	(void)state;
	memset(&a, 0x5a, sizeof(a));
	answer_defaults(&a);
	assert_null(a.global.keyboard);
	assert_int_equal(a.global.reboot_mode, ANSWER_REBOOT);
	assert_false(a.global.reboot_on_error);
	assert_int_equal(a.network.source, ANSWER_NET_DHCP);
	assert_int_equal(a.disk.filesystem, ANSWER_FS_EXT4);
	assert_int_equal(a.disk.filter_match, ANSWER_MATCH_ANY);
	assert_int_equal(a.first_boot.source, ANSWER_FB_NONE);
	assert_int_equal(a.first_boot.ordering, ANSWER_FB_FULLY_UP);
	assert_int_equal(a.passthrough.gpu, ANSWER_GPU_AUTO);
	assert_true(a.passthrough.iommu_pt);
	assert_int_equal(a.passthrough.hugepages, 0);
	assert_true(a.vm.enabled);
	assert_int_equal(a.vm.vmid, 9000);
	assert_int_equal(a.vm.disk_size, 128);
	assert_int_equal(a.ironpass.wipe, ANSWER_WIPE_EMPTY_ONLY);
	assert_false(a.has_global);
}

static void test_values(void **state)
{
	struct answer *a;

	(void)state;
	a = parse_ok(answer_min, 0);
	assert_string_equal(a->file, "t.toml");
	assert_true(a->has_global && a->has_network && a->has_disk_setup);
	assert_false(a->has_passthrough);
	assert_string_equal(a->global.keyboard, "de");
	assert_string_equal(a->global.country, "at");
	assert_string_equal(a->global.fqdn, "pve.example.com");
	assert_string_equal(a->global.root_password, "correct horse");
	assert_null(a->global.root_password_hashed);
	assert_int_equal(a->disk.n_disk_list, 1);
	assert_string_equal(a->disk.disk_list[0], "sda");
	/* string defaults are filled in */
	assert_string_equal(a->vm.name, "win11-passthrough");
	/* none: the VM disks go to the root filesystem's storage */
	assert_null(a->vm.storage);
	assert_string_equal(a->vm.bridge, "vmbr0");
	answer_free(a);
}

static void test_sections(void **state)
{
	char *text = with("[network.interface-name-pinning]\nenabled = true\n"
			  "mapping.\"A0:B1:C2:D3:E4:F5\" = \"mgmt0\"\n"
			  "[first-boot]\nsource = \"from-url\"\nurl = \"https://x.example/fb\"\n"
			  "ordering = \"network-online\"\n"
			  "[passthrough]\ngpu = [\"10de:2684\", \"0000:01:00.1\"]\nhugepages = 8\n"
			  "kernel-args = [\"pcie_aspm=off\"]\niommu-pt = false\n"
			  "[vm-template]\nvmid = 123\nmemory = 8192\n"
			  "[ironpass]\nwipe = \"always\"\nwebhook-events = [\"done\"]\n"
			  "[post-installation-webhook]\nurl = \"https://h.example/\"\n"
			  "auth-token = \"abc\"\n");
	struct answer *a;

	(void)state;
	a = parse_ok(text, 0);
	assert_true(a->network.pinning_enabled);
	assert_int_equal(a->network.n_pins, 1);
	assert_string_equal(a->network.pins[0].mac, "a0:b1:c2:d3:e4:f5");
	assert_string_equal(a->network.pins[0].name, "mgmt0");
	assert_int_equal(a->first_boot.source, ANSWER_FB_URL);
	assert_int_equal(a->first_boot.ordering, ANSWER_FB_NETWORK_ONLINE);
	assert_string_equal(a->first_boot.url, "https://x.example/fb");
	assert_int_equal(a->passthrough.gpu, ANSWER_GPU_LIST);
	assert_int_equal(a->passthrough.n_gpu_list, 2);
	assert_string_equal(a->passthrough.gpu_list[1], "0000:01:00.1");
	assert_int_equal(a->passthrough.hugepages, 8);
	assert_false(a->passthrough.iommu_pt);
	assert_string_equal(a->passthrough.kernel_args[0], "pcie_aspm=off");
	assert_int_equal(a->vm.vmid, 123);
	assert_int_equal(a->vm.memory, 8192);
	assert_int_equal(a->ironpass.wipe, ANSWER_WIPE_ALWAYS);
	assert_int_equal(a->ironpass.n_webhook_events, 1);
	assert_string_equal(a->webhook.auth_token, "abc");
	answer_free(a);
	free(text);
}

/* filter.X = ..., [disk-setup.filter] and filter = { } are the same thing */
static void test_filter_forms(void **state)
{
	static const char head[] =
		"[global]\nkeyboard = \"de\"\ncountry = \"at\"\nfqdn = \"a.example.com\"\n"
		"mailto = \"r@example.com\"\ntimezone = \"UTC\"\nroot-password = \"12345678\"\n"
		"[network]\nsource = \"from-dhcp\"\n";
	static const char *const forms[] = {
		"[disk-setup]\nfilesystem = \"xfs\"\nfilter.ID_SERIAL = \"S4*\"\n"
		"filter.ID_BUS = \"ata\"\nfilter-match = \"all\"\n",
		"[disk-setup]\nfilesystem = \"xfs\"\nfilter-match = \"all\"\n"
		"[disk-setup.filter]\nID_SERIAL = \"S4*\"\nID_BUS = \"ata\"\n",
		"[disk-setup]\nfilesystem = \"xfs\"\nfilter-match = \"all\"\n"
		"filter = { ID_SERIAL = \"S4*\", ID_BUS = \"ata\" }\n",
	};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct strbuf sb = { 0 };
		struct answer *a;

		sb_printf(&sb, "%s%s", head, forms[i]);
		a = parse_ok(sb.buf, 0);
		assert_int_equal(a->disk.filesystem, ANSWER_FS_XFS);
		assert_int_equal(a->disk.filter_match, ANSWER_MATCH_ALL);
		assert_int_equal(a->disk.n_filters, 2);
		assert_string_equal(a->disk.filters[0].key, "ID_SERIAL");
		assert_string_equal(a->disk.filters[0].glob, "S4*");
		assert_string_equal(a->disk.filters[1].key, "ID_BUS");
		assert_null(a->disk.disk_list);
		answer_free(a);
		sb_release(&sb);
	}
}

/* What the Proxmox installer accepts (issue 11): its spellings and keys */
static void test_proxmox_compat(void **state)
{
	static const char *const good_keys[] = {
		"pve1c-0123456789", "pve16p-abcdef0123", "pve2b-00000000ff", "pve4s-9999999999",
	};
	static const char *const bad_keys[] = {
		"", "pve2c-012345678", "pve2c-0123456789a", "pve2x-0123456789", "pvec-0123456789",
		"pbs2c-0123456789", "PVE2C-0123456789", "pve2c-0123456789 ", "pve2c_0123456789",
		"pve2c-ABCDEF0123",
	};
	struct answer *a;
	char *text, *got;
	int ret;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good_keys); i++)
		assert_null(answer_valid_subscription_key(good_keys[i]));
	for (size_t i = 0; i < ARRAY_SIZE(bad_keys); i++)
		assert_non_null(answer_valid_subscription_key(bad_keys[i]));

	/* the key is kept, and a bad one is never shown */
	text = with("");
	got = strstr(text, "[network]");
	assert_non_null(got);
	{
		struct strbuf sb = { 0 };

		sb_printf(&sb, "%.*ssubscription-key = \"pve2c-0123456789\"\n%s",
			  (int)(got - text), text, got);
		a = parse_ok(sb.buf, 0);
		assert_string_equal(a->global.subscription_key, "pve2c-0123456789");
		answer_free(a);
		sb_release(&sb);
		sb_printf(&sb, "%.*ssubscription-key = \"pve2c-SECRET12345\"\n%s",
			  (int)(got - text), text, got);
		got = diags_of(sb.buf, 0, &ret);
		assert_int_equal(ret, -EINVAL);
		assert_null(strstr(got, "SECRET"));
		assert_non_null(strstr(got, "invalid 'subscription-key'"));
		free(got);
		sb_release(&sb);
	}
	free(text);

	/* upper-case RAID levels are accepted, other spellings not */
	a = parse_ok("[disk-setup]\nfilesystem = \"btrfs\"\nbtrfs.raid = \"RAID10\"\n",
		     ANSWER_PARTIAL);
	assert_int_equal(a->disk.filesystem, ANSWER_FS_BTRFS);
	assert_string_equal(a->disk.raid, "raid10");
	answer_free(a);
	a = parse_ok("[disk-setup]\nzfs.raid = \"RAIDZ-3\"\nfilesystem = \"zfs\"\n",
		     ANSWER_PARTIAL);
	assert_int_equal(a->disk.filesystem, ANSWER_FS_ZFS);
	assert_string_equal(a->disk.raid, "raidz-3");
	answer_free(a);
	got = diags_of("[disk-setup]\nfilesystem = \"zfs\"\nzfs.raid = \"RaidZ-1\"\n",
		       ANSWER_PARTIAL, &ret);
	assert_int_equal(ret, -EINVAL);
	assert_non_null(strstr(got, "invalid 'zfs.raid' value 'RaidZ-1'"));
	free(got);

	/* an empty fqdn.domain is no domain */
	a = parse_ok("[global]\nfqdn = { source = \"from-dhcp\", domain = \"\" }\n", ANSWER_PARTIAL);
	assert_true(a->global.fqdn_from_dhcp);
	assert_null(a->global.fqdn_domain);
	answer_free(a);

	/* one check for validate and install */
	assert_null(answer_fs_unsupported(ANSWER_FS_EXT4));
	assert_null(answer_fs_unsupported(ANSWER_FS_XFS));
	assert_null(answer_fs_unsupported(ANSWER_FS_ZFS));
	assert_null(answer_fs_unsupported(ANSWER_FS_BTRFS));
}

static void test_snake_case(void **state)
{
	char *text = with("[passthrough]\nallow_single_gpu = true\n");
	char *got;
	int ret;

	(void)state;
	got = diags_of(text, 0, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(got, "t.toml:14:1: warning: 'allow_single_gpu' is deprecated, "
				 "use 'allow-single-gpu'");
	free(got);
	free(text);
	/* the value still counts */
	text = with("[passthrough]\nallow_single_gpu = true\n");
	{
		struct answer *a = parse_ok(text, 0);

		assert_true(a->passthrough.allow_single_gpu);
		answer_free(a);
	}
	free(text);
}

static void test_partial_and_profile(void **state)
{
	static const char profile[] =
		"[profile]\nname = \"rack\"\nsuite = \"trixie\"\n"
		"mirror = \"http://deb.example/debian\"\n"
		"live-packages = [\"htop\"]\nboot-args = [\"console=ttyS0,115200\"]\n"
		"default-entry = \"unattended\"\nmenu-timeout = 3\nembed-answer = true\n"
		"[passthrough]\ngpu = \"auto\"\n";
	struct answer *a;
	char *got;
	int ret;

	(void)state;
	got = diags_of("[passthrough]\ngpu = \"none\"\n", 0, &ret);
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(got, "t.toml:1:1: missing section [global]\n"
				 "t.toml:1:1: missing section [network]\n"
				 "t.toml:1:1: missing section [disk-setup]");
	free(got);
	a = parse_ok("[passthrough]\ngpu = \"none\"\n[global]\nkeyboard = \"de\"\n",
		     ANSWER_PARTIAL);
	assert_int_equal(a->passthrough.gpu, ANSWER_GPU_NONE);
	answer_free(a);

	/* [profile] only where profiles are allowed */
	got = diags_of(profile, ANSWER_PARTIAL, &ret);
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(got,
			    "t.toml:1:2: section [profile] is only valid in a builder profile");
	free(got);
	a = parse_ok(profile, ANSWER_ALLOW_PROFILE | ANSWER_PROFILE_PARTIAL);
	assert_true(a->has_profile);
	assert_string_equal(a->profile.name, "rack");
	assert_string_equal(a->profile.suite, "trixie");
	assert_string_equal(a->profile.default_entry, "unattended");
	assert_int_equal(a->profile.menu_timeout, 3);
	assert_true(a->profile.embed_answer);
	assert_string_equal(a->profile.boot_args[0], "console=ttyS0,115200");
	answer_free(a);
	/* a profile needs a name; without PROFILE_PARTIAL it needs the answer sections */
	got = diags_of("[profile]\nsuite = \"bookworm\"\n",
		       ANSWER_ALLOW_PROFILE | ANSWER_PROFILE_PARTIAL, &ret);
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(got, "t.toml:1:2: missing key 'name' in [profile]");
	free(got);
	got = diags_of("[profile]\nname = \"x\"\n", ANSWER_ALLOW_PROFILE, &ret);
	assert_int_equal(ret, -EINVAL);
	free(got);
}

static void test_secrets_never_shown(void **state)
{
	static const char *const texts[] = {
		"[global]\nroot-password = \"hunter2\\u0001zz\"\n",
		"[global]\nroot-password-hashed = \"hunter2hunter2\"\n",
		"[post-installation-webhook]\nurl = \"http://h.example/\"\n"
		"auth-token = \"hunter2 x\"\n",
		"[post-installation-webhook]\nurl = \"http://h.example/\"\n"
		"auth-token = \"hunter2\"\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		int ret;
		char *got = diags_of(texts[i], 0, &ret);

		assert_int_equal(ret, -EINVAL);
		assert_null(strstr(got, "hunter2"));
		free(got);
	}
}

static void test_hash_root_password(void **state)
{
	struct ip_err e = { 0 };
	struct answer *a;

	(void)state;
	a = parse_ok(answer_min, 0);
	assert_int_equal(answer_hash_root_password(a, &e), 0);
	assert_null(a->global.root_password);
	assert_non_null(a->global.root_password_hashed);
	assert_true(passwd_verify("correct horse", a->global.root_password_hashed));
	/* nothing to do the second time */
	assert_int_equal(answer_hash_root_password(a, &e), 0);
	answer_free(a);
}

static void test_diag_str_and_report(void **state)
{
	struct answer_diags d = { 0 };
	char *s;

	(void)state;
	assert_int_equal(answer_diags_add(&d, "a.toml", 3, 7, false, "bad 'x'"), 0);
	assert_int_equal(answer_diags_add(&d, "a.toml", 4, 1, true, "old 'y'"), 0);
	assert_int_equal(answer_diags_add(&d, "a.toml", 0, 0, false, "cannot read file"), 0);
	assert_int_equal(d.n_errors, 2);
	s = answer_diag_str(&d.items[0]);
	assert_string_equal(s, "a.toml:3:7: bad 'x'");
	free(s);
	s = answer_diag_str(&d.items[1]);
	assert_string_equal(s, "a.toml:4:1: warning: old 'y'");
	free(s);
	s = answer_diag_str(&d.items[2]);
	assert_string_equal(s, "a.toml: cannot read file");
	free(s);
	s = answer_report("a.toml", &d, false);
	assert_string_equal(s, "a.toml:3:7: bad 'x'\na.toml:4:1: warning: old 'y'\n"
			       "a.toml: cannot read file\n");
	free(s);
	s = answer_report("a.toml", &d, true);
	assert_string_equal(s, "{\"file\":\"a.toml\",\"ok\":false,\"problems\":["
			       "{\"line\":3,\"col\":7,\"severity\":\"error\","
			       "\"message\":\"bad 'x'\"},"
			       "{\"line\":4,\"col\":1,\"severity\":\"warning\","
			       "\"message\":\"old 'y'\"},"
			       "{\"line\":0,\"col\":0,\"severity\":\"error\","
			       "\"message\":\"cannot read file\"}]}\n");
	free(s);
	answer_diags_release(&d);
	s = answer_report("b.toml", &d, false);
	assert_string_equal(s, "b.toml: ok\n");
	free(s);
}

static void test_load(void **state)
{
	char *dir = fixture_dir("good");
	struct answer_diags d = { 0 };
	struct answer *a = NULL;
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/01-proxmox-minimal.toml", dir);
	assert_int_equal(answer_load(path, 0, &a, &d), 0);
	assert_string_equal(a->global.fqdn, "pve-1.example.com");
	assert_int_equal(d.len, 0);
	answer_free(a);
	snprintf(path, sizeof(path), "%s/no-such-file.toml", dir);
	assert_int_equal(answer_load(path, 0, &a, &d), -ENOENT);
	assert_null(a);
	assert_int_equal(d.n_errors, 1);
	assert_string_equal(d.items[0].msg, "cannot read file: No such file or directory");
	answer_diags_release(&d);
	assert_int_equal(answer_load(dir, 0, &a, &d), -EINVAL);
	assert_string_equal(d.items[0].msg, "not a regular file");
	answer_diags_release(&d);
	free(dir);
}

/* answer_read_fd: a pipe (standard input) in chunks, its name in messages, the size cap */
static void test_read_fd(void **state)
{
	struct answer_diags d = { 0 };
	struct answer *a = NULL;
	char path[] = "/tmp/ip-answer-fd-XXXXXX";
	int fds[2], fd;

	(void)state;
	/* the whole minimal answer through a pipe: more than one read() when it is large */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], answer_min, strlen(answer_min)), (ssize_t)strlen(answer_min));
	close(fds[1]);
	assert_int_equal(answer_read_fd(fds[0], "<stdin>", 0, &a, &d), 0);
	close(fds[0]);
	assert_string_equal(a->global.fqdn, "pve.example.com");
	answer_free(a);
	/* a problem is reported under the given name */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "[global]\nx = 1\n", 15), 15);
	close(fds[1]);
	assert_int_equal(answer_read_fd(fds[0], "<stdin>", ANSWER_PARTIAL, &a, &d), -EINVAL);
	close(fds[0]);
	assert_null(a);
	assert_string_equal(d.items[0].file, "<stdin>");
	answer_diags_release(&d);
	/* more than TOML_MAX_INPUT bytes (a sparse file, read like a stream) */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(ftruncate(fd, (off_t)TOML_MAX_INPUT + 1), 0);
	assert_int_equal(answer_read_fd(fd, "<stdin>", 0, &a, &d), -EFBIG);
	close(fd);
	assert_string_equal(d.items[0].msg, "file is larger than 16777216 bytes");
	answer_diags_release(&d);
}

static void test_order_and_many_errors(void **state)
{
	/* problems come sorted by position, every one reported */
	static const char text[] =
		"[vm-template]\nvmid = 1\ncores = 0\nmemory = 1\n"
		"[global]\nnope = 1\n";
	char *got;
	int ret;

	(void)state;
	got = diags_of(text, ANSWER_PARTIAL, &ret);
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(got,
			    "t.toml:2:8: 'vmid' (1) must be between 100 and 999999999\n"
			    "t.toml:3:9: 'cores' (0) must be between 1 and 1024\n"
			    "t.toml:4:10: 'memory' (1) must be between 4096 and 16777216\n"
			    "t.toml:6:1: unknown key 'nope' in [global]");
	free(got);
}

static void test_warnings_only(void **state)
{
	char *text = with("[post-installation-webhook]\nurl = \"http://h.example/x\"\n"
			  "auth-token = \"t0ken\"\n");
	char *got;
	int ret;

	(void)state;
	got = diags_of(text, 0, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(got, "t.toml:15:1: warning: 'auth-token' is sent unencrypted to an "
				 "http:// URL");
	free(got);
	free(text);
}

/* one value alone (the screens' check) agrees with the answer file's */
static void test_value_alone(void **state)
{
	const struct answer_keyboard *kb;
	size_t n;

	(void)state;
	kb = answer_keyboards(&n);
	assert_int_equal(n, 25);
	for (size_t i = 0; i < n; i++) {
		struct strbuf sb = { 0 };
		const char *body = strstr(answer_min, "country");
		struct answer *a;

		assert_non_null(kb[i].name);
		assert_null(answer_value_problem("global", "keyboard", kb[i].code));
		/* each offered layout is one an answer file may name */
		sb_printf(&sb, "[global]\nkeyboard = \"%s\"\n%s", kb[i].code, body);
		a = parse_ok(sb.buf, 0);
		assert_string_equal(a->global.keyboard, kb[i].code);
		answer_free(a);
		sb_release(&sb);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(kb[i].code, kb[j].code);
	}
	assert_string_equal(answer_value_problem("global", "keyboard", "us"),
			    "is not a known keyboard layout (e.g. 'en-us', 'de')");
	assert_null(answer_value_problem("global", "country", "de"));
	assert_string_equal(answer_value_problem("global", "country", "DE"),
			    "must be a two-letter lower-case country code, e.g. 'at'");
	assert_non_null(answer_value_problem("global", "country", "deu"));
	assert_null(answer_value_problem("global", "timezone", "America/Argentina/Buenos_Aires"));
	assert_string_equal(answer_value_problem("global", "timezone", "Mars/Olympus"),
			    "must be 'UTC' or Area/City, e.g. 'Europe/Vienna'");
	assert_null(answer_value_problem("global", "mailto", "admin@example.com"));
	assert_null(answer_value_problem("global", "mailto", "root@localhost.invalid"));
	assert_string_equal(answer_value_problem("global", "mailto", "admin"),
			    "must be an e-mail address like 'root@example.com'");
	assert_string_equal(answer_value_problem("global", "mailto", ""), "must not be empty");
	/* secrets and word lists are checked too; other kinds of key are not checked alone */
	assert_null(answer_value_problem("global", "subscription-key", "pve2c-0123456789"));
	assert_non_null(answer_value_problem("global", "subscription-key", "pve2c-01234"));
	assert_null(answer_value_problem("disk-setup", "filesystem", "btrfs"));
	assert_non_null(answer_value_problem("disk-setup", "filesystem", "ntfs"));
	assert_null(answer_value_problem("disk-setup", "zfs.raid", "RAIDZ-1"));
	assert_string_equal(answer_value_problem("global", "fqdn", "pve.example.com"),
			    "cannot be checked alone");
	assert_string_equal(answer_value_problem("global", "keyboards", "de"),
			    "is not a key of the answer file");
	assert_string_equal(answer_value_problem("nosuch", "keyboard", "de"),
			    "is not a key of the answer file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_good),
		cmocka_unit_test(test_fixtures_bad),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_filter_forms),
		cmocka_unit_test(test_proxmox_compat),
		cmocka_unit_test(test_snake_case),
		cmocka_unit_test(test_partial_and_profile),
		cmocka_unit_test(test_secrets_never_shown),
		cmocka_unit_test(test_hash_root_password),
		cmocka_unit_test(test_diag_str_and_report),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_read_fd),
		cmocka_unit_test(test_order_and_many_errors),
		cmocka_unit_test(test_warnings_only),
		cmocka_unit_test(test_value_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
