// SPDX-License-Identifier: GPL-2.0-or-later
/* Per-node PXE entries (ironpass pxe node): MAC parsing, the node/ templates
 * a build writes, --install/--localboot files for pxelinux, GRUB and iPXE,
 * idempotence, refusals that write nothing, the rack's localboot default. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bld-pxe.h"
#include "path.h"
#include "payload/bld-payload.h"
#include "util.h"

#define URL "http://10.0.2.2:8080"

static char top[256], tree[PATH_MAX];

static const struct bld_menu menu = {
	.title = "ironpass rack", .default_entry = BLD_ENTRY_AUTO, .timeout = 5,
};

static void put(const char *rel, const char *data)
{
	assert_int_equal(path_write_file(top, rel, data, strlen(data), 0644), 0);
}

static char *slurp(const char *rel)
{
	char *s = NULL;
	size_t len;

	assert_int_equal(path_read_all(tree, rel, 1 << 20, &s, &len), 0);
	return s;
}

static void build(int default_entry)
{
	static const char *const host[] = {
		"/usr/lib/PXELINUX/lpxelinux.0", "/usr/lib/syslinux/modules/bios/ldlinux.c32",
		"/usr/lib/syslinux/modules/bios/menu.c32",
		"/usr/lib/syslinux/modules/bios/libutil.c32",
		"/usr/lib/syslinux/modules/bios/libcom32.c32", "/usr/lib/shim/shimx64.efi.signed",
		"/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed", NULL,
	};
	char rel[PATH_MAX], art[4][PATH_MAX], host_root[PATH_MAX];
	struct bld_pxe p = { .url = URL, .menu = menu, .dir = tree, .host_root = host_root };

	for (size_t i = 0; host[i]; i++) {
		snprintf(rel, sizeof(rel), "host%s", host[i]);
		put(rel, host[i]);
	}
	put("art/vmlinuz", "kernel");
	put("art/initrd.img", "initrd");
	put("art/seed.img", "seed");
	put("art/filesystem.squashfs", "squashfs");
	snprintf(host_root, sizeof(host_root), "%s/host", top);
	snprintf(art[0], sizeof(art[0]), "%s/art/vmlinuz", top);
	snprintf(art[1], sizeof(art[1]), "%s/art/initrd.img", top);
	snprintf(art[2], sizeof(art[2]), "%s/art/seed.img", top);
	snprintf(art[3], sizeof(art[3]), "%s/art/filesystem.squashfs", top);
	p.kernel = art[0];
	p.initrd = art[1];
	p.seed = art[2];
	p.squashfs = art[3];
	p.menu.default_entry = default_entry;
	assert_int_equal(bld_pxe_build(&p), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(top, sizeof(top), "%.200s/ironpass-pxe-node-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(top));
	snprintf(tree, sizeof(tree), "%s/pxe", top);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(bld_payload_rmtree(top), 0);
	return 0;
}

/* The texts a node's files must hold: the generators' output for the tree's
 * menu with @entry as default and no per-node hook. */
struct want {
	char *pxelinux, *grub, *ipxe;
};

static void want_for(int entry, struct want *w)
{
	struct bld_pxe_menus mm;
	struct bld_pxe_url u;
	struct bld_menu base = menu;

	base.localboot = true;
	base.default_entry = entry;
	assert_int_equal(bld_pxe_url_parse(URL, &u, NULL), 0);
	assert_int_equal(bld_pxe_menus(&base, &u, false, &mm), 0);
	w->pxelinux = bld_menu_isolinux(&mm.pxelinux);
	w->grub = bld_menu_grub(&mm.grub);
	w->ipxe = bld_pxe_ipxe(&base, &u, mm.extra);
}

static void want_release(struct want *w)
{
	free(w->pxelinux);
	free(w->grub);
	free(w->ipxe);
}

static void check_file(const char *rel, const char *want)
{
	char *s = slurp(rel);

	assert_string_equal(s, want);
	free(s);
}

static void check_node(const char *mac, int entry)
{
	struct want w;
	char rel[PATH_MAX];

	want_for(entry, &w);
	snprintf(rel, sizeof(rel), "tftp/pxelinux.cfg/01-%s", mac);
	check_file(rel, w.pxelinux);
	snprintf(rel, sizeof(rel), "tftp/grub/grub.cfg-01-%s", mac);
	check_file(rel, w.grub);
	snprintf(rel, sizeof(rel), "tftp/ipxe/01-%s.ipxe", mac);
	check_file(rel, w.ipxe);
	snprintf(rel, sizeof(rel), "http/ipxe/01-%s.ipxe", mac);
	check_file(rel, w.ipxe);
	want_release(&w);
}

/* Does any of the node's four files exist? */
static bool node_any(const char *mac)
{
	static const char *const fmt[][2] = {
		{ "tftp/pxelinux.cfg/01-", "" }, { "tftp/grub/grub.cfg-01-", "" },
		{ "tftp/ipxe/01-", ".ipxe" }, { "http/ipxe/01-", ".ipxe" },
	};
	char rel[PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(fmt); i++) {
		snprintf(rel, sizeof(rel), "%s%s%s", fmt[i][0], mac, fmt[i][1]);
		if (path_exists(tree, rel))
			return true;
	}
	return false;
}

static void test_mac(void **state)
{
	char out[BLD_PXE_MAC_LEN + 1];
	struct ip_err err = { 0 };
	static const char *const bad[] = {
		"", "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00", "aa:bb-cc:dd:ee:ff",
		"aa:bb:cc:dd:ee:fg", "aabbccddeeff", "a:bb:cc:dd:ee:fff", "aa.bb.cc.dd.ee.ff",
		" aa:bb:cc:dd:ee:f", "../../etc/pass",
	};

	(void)state;
	assert_int_equal(bld_pxe_mac_parse("AA:BB:CC:0D:Ee:ff", out, &err), 0);
	assert_string_equal(out, "aa-bb-cc-0d-ee-ff");
	assert_int_equal(bld_pxe_mac_parse("aa-bb-cc-0d-ee-ff", out, &err), 0);
	assert_string_equal(out, "aa-bb-cc-0d-ee-ff");
	assert_int_equal(bld_pxe_mac_parse("52:54:00:12:34:56", out, &err), 0);
	assert_string_equal(out, "52-54-00-12-34-56");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(bld_pxe_mac_parse(bad[i], out, &err), -EINVAL);
		assert_string_equal(out, "");
	}
	assert_string_equal(err.msg, "invalid MAC address '../../etc/pass': want six hex pairs "
				     "separated by ':' or '-'");
	assert_int_equal(bld_pxe_mac_parse(NULL, out, &err), -EINVAL);
}

/* The tree's menus: a localboot entry in all three, the per-node hook in the
 * GRUB and iPXE defaults only, the templates under node/. */
static void test_tree_menus(void **state)
{
	char *s;
	struct want w;

	(void)state;
	build(BLD_ENTRY_AUTO);
	s = slurp("tftp/pxelinux.cfg/default");
	assert_non_null(strstr(s, "DEFAULT unattended\n"));
	assert_true(str_endswith(s, "\nLABEL localboot\n  MENU LABEL Boot from the local disk\n"
				 "  LOCALBOOT 0\n"));
	free(s);
	s = slurp("tftp/grub/grub.cfg");
	assert_non_null(strstr(s, "terminal_output console serial\n"
			       "# a per-node menu first (ironpass pxe node MAC); none: \"file not "
			       "found\", then this menu\n"
			       "if regexp --set=1:m1 --set=2:m2 --set=3:m3 --set=4:m4 --set=5:m5 "
			       "--set=6:m6 '^(..):(..):(..):(..):(..):(..)$' \"$net_default_mac\"; "
			       "then\n\tconfigfile \"$prefix/grub.cfg-01-$m1-$m2-$m3-$m4-$m5-$m6\"\n"
			       "fi\nset default=1\n"));
	assert_true(str_endswith(s, "\nmenuentry 'Boot from the local disk' --id localboot {\n"
				 "\texit 1\n}\n"));
	free(s);
	s = slurp("http/ironpass.ipxe");
	assert_non_null(strstr(s, "\nchain --autofree ipxe/01-${netX/mac:hexhyp}.ipxe || "
			       "goto ironpass_menu\n:ironpass_menu\nmenu ironpass rack\n"));
	assert_non_null(strstr(s, "\nitem localboot Boot from the local disk\nchoose "));
	assert_true(str_endswith(s, "\n:localboot\nexit\n"));
	free(s);
	/* the templates are the node files: no hook (GRUB would load itself again) */
	want_for(BLD_ENTRY_LOCALBOOT, &w);
	check_file("node/localboot/pxelinux.cfg", w.pxelinux);
	check_file("node/localboot/grub.cfg", w.grub);
	check_file("node/localboot/ironpass.ipxe", w.ipxe);
	assert_null(strstr(w.grub, "regexp"));
	assert_null(strstr(w.ipxe, "chain"));
	assert_non_null(strstr(w.pxelinux, "DEFAULT localboot\n"));
	assert_non_null(strstr(w.grub, "set default=4\n"));
	assert_non_null(strstr(w.ipxe, "choose --default localboot --timeout 5000 entry || "
			       "set entry localboot\n"));
	want_release(&w);
	want_for(BLD_ENTRY_AUTO, &w);
	check_file("node/unattended/pxelinux.cfg", w.pxelinux);
	check_file("node/unattended/grub.cfg", w.grub);
	check_file("node/unattended/ironpass.ipxe", w.ipxe);
	want_release(&w);
}

/* The rack profile: default-entry = "localboot" in every PXE menu, install entries kept. */
static void test_tree_localboot_default(void **state)
{
	char *s;

	(void)state;
	build(BLD_ENTRY_LOCALBOOT);
	s = slurp("tftp/pxelinux.cfg/default");
	assert_non_null(strstr(s, "DEFAULT localboot\n"));
	assert_non_null(strstr(s, "\nLABEL unattended\n"));
	assert_non_null(strstr(s, "  MENU LABEL Boot from the local disk\n  MENU DEFAULT\n"
			       "  LOCALBOOT 0\n"));
	free(s);
	s = slurp("tftp/grub/grub.cfg");
	assert_non_null(strstr(s, "\nset default=4\n"));
	assert_non_null(strstr(s, "--id unattended {"));
	free(s);
	s = slurp("tftp/ironpass.ipxe");
	assert_non_null(strstr(s, "\nchoose --default localboot --timeout 5000 entry || "
			       "set entry localboot\n"));
	assert_non_null(strstr(s, "\n:unattended\nkernel "));
	free(s);
}

static void test_install_localboot(void **state)
{
	struct bld_pxe_node n = { .dir = tree, .mac = "AA:BB:CC:DD:EE:0F",
				  .entry = BLD_ENTRY_AUTO };
	struct stat st1, st2;
	char path[PATH_MAX + 64];

	(void)state;
	build(BLD_ENTRY_LOCALBOOT);
	assert_int_equal(bld_pxe_node_set(&n), 0);
	assert_string_equal(n.mac_norm, "aa-bb-cc-dd-ee-0f");
	assert_int_equal(n.n_files, 4);
	assert_string_equal(n.files[0].loader, "pxelinux");
	assert_string_equal(n.files[0].rel, "tftp/pxelinux.cfg/01-aa-bb-cc-dd-ee-0f");
	assert_string_equal(n.files[1].loader, "grub");
	assert_string_equal(n.files[1].rel, "tftp/grub/grub.cfg-01-aa-bb-cc-dd-ee-0f");
	assert_string_equal(n.files[2].rel, "tftp/ipxe/01-aa-bb-cc-dd-ee-0f.ipxe");
	assert_string_equal(n.files[3].rel, "http/ipxe/01-aa-bb-cc-dd-ee-0f.ipxe");
	for (size_t i = 0; i < 4; i++)
		assert_true(n.files[i].changed);
	check_node("aa-bb-cc-dd-ee-0f", BLD_ENTRY_AUTO);
	/* again, the other spelling: the same files, unchanged, not rewritten */
	snprintf(path, sizeof(path), "%s/tftp/grub/grub.cfg-01-aa-bb-cc-dd-ee-0f", tree);
	assert_int_equal(stat(path, &st1), 0);
	n = (struct bld_pxe_node){ .dir = tree, .mac = "aa-bb-cc-dd-ee-0f",
				   .entry = BLD_ENTRY_AUTO };
	assert_int_equal(bld_pxe_node_set(&n), 0);
	for (size_t i = 0; i < 4; i++)
		assert_false(n.files[i].changed);
	assert_int_equal(stat(path, &st2), 0);
	assert_int_equal(st1.st_ino, st2.st_ino);
	check_node("aa-bb-cc-dd-ee-0f", BLD_ENTRY_AUTO);
	/* done: the node boots its disk */
	n = (struct bld_pxe_node){ .dir = tree, .mac = "AA-BB-CC-DD-EE-0F",
				   .entry = BLD_ENTRY_LOCALBOOT };
	assert_int_equal(bld_pxe_node_set(&n), 0);
	for (size_t i = 0; i < 4; i++)
		assert_true(n.files[i].changed);
	check_node("aa-bb-cc-dd-ee-0f", BLD_ENTRY_LOCALBOOT);
	assert_false(path_exists(tree, "tftp/pxelinux.cfg/01-aa-bb-cc-dd-ee-0f.tmp"));
	/* another node is untouched */
	assert_false(node_any("aa-bb-cc-dd-ee-00"));
}

static void test_refused(void **state)
{
	struct bld_pxe_node n = { .dir = tree, .mac = "aa:bb:cc:dd:ee", .entry = BLD_ENTRY_AUTO };
	char path[PATH_MAX + 64];

	(void)state;
	/* no tree */
	n.mac = "aa:bb:cc:dd:ee:ff";
	assert_int_equal(bld_pxe_node_set(&n), -ENOENT);
	assert_non_null(strstr(n.err.msg, "cannot use PXE tree '"));
	assert_non_null(strstr(n.err.msg, "no tftp/ or http/ in it"));
	assert_false(path_exists(NULL, tree));
	build(BLD_ENTRY_AUTO);
	/* a bad MAC: nothing written */
	n.mac = "aa:bb:cc:dd:ee";
	assert_int_equal(bld_pxe_node_set(&n), -EINVAL);
	assert_string_equal(n.err.msg, "invalid MAC address 'aa:bb:cc:dd:ee': want six hex pairs "
				       "separated by ':' or '-'");
	assert_int_equal(n.n_files, 0);
	/* a tree without the templates (built before them): nothing written */
	snprintf(path, sizeof(path), "%s/node/unattended/ironpass.ipxe", tree);
	assert_int_equal(unlink(path), 0);
	n.mac = "aa:bb:cc:dd:ee:ff";
	assert_int_equal(bld_pxe_node_set(&n), -ENOENT);
	assert_non_null(strstr(n.err.msg, "node/unattended/ironpass.ipxe"));
	assert_false(node_any("aa-bb-cc-dd-ee-ff"));
	/* not a node mode */
	n.entry = BLD_ENTRY_REPORT;
	assert_int_equal(bld_pxe_node_set(&n), -EINVAL);
	assert_false(node_any("aa-bb-cc-dd-ee-ff"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac),
		cmocka_unit_test_setup_teardown(test_tree_menus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree_localboot_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_install_localboot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
