// SPDX-License-Identifier: GPL-2.0-or-later
/* The PXE tree: URL checks, pxelinux/GRUB/iPXE texts, the TFTP and HTTP
 * trees from a fake host root, SHA256SUMS, the payload linked in. */
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
#include "hash.h"
#include "path.h"
#include "payload.h"
#include "payload/bld-payload.h"
#include "util.h"

static char top[256];

static const struct bld_menu menu = {
	.title = "ironpass test", .default_entry = BLD_ENTRY_AUTO, .timeout = 5,
};

static void test_url(void **state)
{
	struct bld_pxe_url u;
	struct ip_err err = { 0 };

	(void)state;
	assert_int_equal(bld_pxe_url_parse("http://10.0.2.2:8080/", &u, &err), 0);
	assert_string_equal(u.base, "http://10.0.2.2:8080");
	assert_string_equal(u.host, "10.0.2.2");
	assert_int_equal(u.port, 8080);
	assert_int_equal(bld_pxe_url_parse("http://pxe.example.lan/ironpass", &u, &err), 0);
	assert_string_equal(u.base, "http://pxe.example.lan/ironpass");
	assert_int_equal(u.port, 80);
	assert_int_equal(bld_pxe_url_parse("https://x/", &u, &err), -EINVAL);
	assert_int_equal(bld_pxe_url_parse("http://x y/", &u, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "kernel command line"));
	assert_int_equal(bld_pxe_url_parse("http://h:99999/", &u, &err), -EINVAL);
	assert_int_equal(bld_pxe_url_parse("http://:80/", &u, &err), -EINVAL);
	/* messages show the URL without user info or query */
	assert_int_equal(bld_pxe_url_parse("http://u:Zq7pw@pxe.lan/i", &u, &err), -EINVAL);
	assert_string_equal(err.msg, "invalid PXE URL 'http://pxe.lan/i': must not hold a user "
				     "name or password");
	assert_int_equal(bld_pxe_url_parse("http://pxe.lan/i?token=Zq7tok", &u, &err), -EINVAL);
	assert_string_equal(err.msg, "invalid PXE URL 'http://pxe.lan/i': character '?' is not "
				     "allowed on a kernel command line");
	assert_int_equal(bld_pxe_url_parse("https://u:Zq7pw@pxe.lan/", &u, &err), -EINVAL);
	assert_null(strstr(err.msg, "Zq7"));
}

static void test_menus(void **state)
{
	struct bld_pxe_menus mm;
	struct bld_pxe_url u;
	char *cfg;

	(void)state;
	assert_int_equal(bld_pxe_url_parse("http://10.0.2.2:8080", &u, NULL), 0);
	assert_int_equal(bld_pxe_menus(&menu, &u, true, &mm), 0);
	assert_string_equal(mm.extra, "fetch=http://10.0.2.2:8080/filesystem.squashfs "
			    "ironpass.payload=http://10.0.2.2:8080/payload/");
	/* pxelinux: lpxelinux fetches kernel and initrds over HTTP */
	cfg = bld_menu_isolinux(&mm.pxelinux);
	assert_non_null(strstr(cfg, "  KERNEL http://10.0.2.2:8080/vmlinuz\n"));
	assert_non_null(strstr(cfg, "  APPEND initrd=http://10.0.2.2:8080/initrd.img,"
			       "http://10.0.2.2:8080/seed.img boot=live "));
	assert_non_null(strstr(cfg, " fetch=http://10.0.2.2:8080/filesystem.squashfs "));
	free(cfg);
	/* GRUB loads kernel and initrds over TFTP */
	assert_true(mm.grub_tftp);
	cfg = bld_menu_grub(&mm.grub);
	assert_non_null(strstr(cfg, "\tlinux /vmlinuz boot=live "));
	assert_non_null(strstr(cfg, "\tinitrd /initrd.img /seed.img\n"));
	assert_null(strstr(cfg, "insmod http"));
	free(cfg);
	/* HTTP first where the tree carries GRUB's http module; GRUB's name for the URL */
	assert_string_equal(mm.grub_http, "(http,10.0.2.2:8080)");
	bld_pxe_menus_grub_http(&mm);
	cfg = bld_menu_grub(&mm.grub);
	assert_non_null(strstr(cfg, "set ironpass_src=\nif [ \"$lockdown\" != \"y\" ]; then\n"
			       "\tinsmod http\n"
			       "\tif [ -s \"(http,10.0.2.2:8080)/vmlinuz\" ]; then\n"
			       "\t\tset ironpass_src=\"(http,10.0.2.2:8080)\"\n"));
	assert_non_null(strstr(cfg, "\tlinux ${ironpass_src}/vmlinuz boot=live "));
	assert_non_null(strstr(cfg, "\tinitrd ${ironpass_src}/initrd.img ${ironpass_src}/seed.img\n"));
	/* the preamble comes before the entries use it */
	assert_true(strstr(cfg, "insmod http") < strstr(cfg, "menuentry"));
	free(cfg);
	/* on port 80 too (GRUB's HTTP client never reached the server in QEMU) */
	assert_int_equal(bld_pxe_url_parse("http://pxe.lan/ip", &u, NULL), 0);
	assert_int_equal(bld_pxe_menus(&menu, &u, false, &mm), 0);
	assert_true(mm.grub_tftp);
	assert_string_equal(mm.extra, "fetch=http://pxe.lan/ip/filesystem.squashfs");
	assert_string_equal(mm.grub_http, "(http,pxe.lan)/ip");	/* port 80: none named */
	cfg = bld_menu_grub(&mm.grub);
	assert_non_null(strstr(cfg, "\tlinux /vmlinuz boot=live "));
	assert_non_null(strstr(cfg, " fetch=http://pxe.lan/ip/filesystem.squashfs "));
	free(cfg);
}

static void test_ipxe(void **state)
{
	struct bld_pxe_url u;
	char *s, *line;

	(void)state;
	assert_int_equal(bld_pxe_url_parse("http://10.0.2.2:8080", &u, NULL), 0);
	s = bld_pxe_ipxe(&menu, &u, "fetch=http://10.0.2.2:8080/filesystem.squashfs");
	assert_true(str_startswith(s, "#!ipxe\n"));
	assert_non_null(strstr(s, "\nchoose --default unattended --timeout 5000 entry || "
			       "set entry unattended\ngoto ${entry}\n"));
	line = strstr(s, "\n:install\nkernel ");
	assert_non_null(line);
	/* initrd= words on the kernel line, then the initrd lines, then boot */
	assert_true(str_startswith(line, "\n:install\nkernel http://10.0.2.2:8080/vmlinuz "
				   "initrd=initrd.img initrd=seed.img boot=live "));
	line = strstr(line, "\ninitrd ");
	assert_true(str_startswith(line, "\ninitrd http://10.0.2.2:8080/initrd.img\n"
				   "initrd http://10.0.2.2:8080/seed.img\nboot\n"));
	assert_non_null(strstr(s, "ironpass.auto"));
	free(s);
}

static void put(const char *rel, const char *data)
{
	assert_int_equal(path_write_file(top, rel, data, strlen(data), 0644), 0);
}

static int setup(void **state)
{
	static const char *const host[] = {
		"host/usr/lib/PXELINUX/lpxelinux.0", "host/usr/lib/syslinux/modules/bios/ldlinux.c32",
		"host/usr/lib/syslinux/modules/bios/menu.c32",
		"host/usr/lib/syslinux/modules/bios/libutil.c32",
		"host/usr/lib/syslinux/modules/bios/libcom32.c32",
		"host/usr/lib/shim/shimx64.efi.signed",
		"host/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed", NULL,
	};
	struct payload_info pi;
	struct ip_err err = { 0 };
	char dir[PATH_MAX];

	(void)state;
	snprintf(top, sizeof(top), "%.200s/ironpass-pxe-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(top));
	for (size_t i = 0; host[i]; i++)
		put(host[i], host[i] + strlen("host"));
	put("art/vmlinuz", "kernel");
	put("art/initrd.img", "initrd");
	put("art/seed.img", "seed");
	put("art/filesystem.squashfs", "squashfs");
	put("payload/base.tar.zst", "base");
	put("payload/pool/Packages", "Package: x\n");
	snprintf(dir, sizeof(dir), "%s/payload", top);
	assert_int_equal(payload_info_init(&pi, "standin", true, "bookworm", 1,
					   payload_default_packages), 0);
	assert_int_equal(payload_scan(dir, &pi, &err), 0);
	assert_int_equal(payload_manifest_write(dir, &pi, &err), 0);
	payload_info_release(&pi);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(bld_payload_rmtree(top), 0);
	return 0;
}

static int unlink_rel(const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	return unlink(path) < 0 ? -errno : 0;
}

static void check_text(const char *rel, const char *want)
{
	char *s = NULL;
	size_t len;

	assert_int_equal(path_read_all(top, rel, 1 << 20, &s, &len), 0);
	assert_non_null(strstr(s, want));
	free(s);
}

/* The paths of a build from the fixture tree under top/: host, output, artefacts. */
struct pxe_paths {
	char host[PATH_MAX], dir[PATH_MAX], art[4][PATH_MAX];
};

static void pxe_setup(struct pxe_paths *pp, struct bld_pxe *p)
{
	static const char *const names[4] = { "vmlinuz", "initrd.img", "seed.img",
					      "filesystem.squashfs" };

	snprintf(pp->host, sizeof(pp->host), "%s/host", top);
	snprintf(pp->dir, sizeof(pp->dir), "%s/pxe", top);
	for (int i = 0; i < 4; i++)
		snprintf(pp->art[i], sizeof(pp->art[i]), "%s/art/%s", top, names[i]);
	p->host_root = pp->host;
	p->dir = pp->dir;
	p->kernel = pp->art[0];
	p->initrd = pp->art[1];
	p->seed = pp->art[2];
	p->squashfs = pp->art[3];
}

static void test_tree(void **state)
{
	char pay[PATH_MAX];
	struct pxe_paths pp;
	char hex[SHA256_HEX_LEN + 1], line[PATH_MAX + 64];
	struct bld_pxe p = { .url = "http://10.0.2.2:8080", .menu = menu };

	(void)state;
	pxe_setup(&pp, &p);
	snprintf(pay, sizeof(pay), "%s/payload", top);
	p.payload_dir = pay;
	/* a carried Windows ISO: http/media/windows.iso, hashed in SHA256SUMS */
	snprintf(line, sizeof(line), "%s/Win11_24H2.iso", top);
	assert_int_equal(path_write_file(NULL, line, "windows-iso", 11, 0644), 0);
	p.media[0] = (struct bld_media){ .src = line, .name = BLD_MEDIA_WINDOWS };
	p.n_media = 1;
	assert_int_equal(bld_pxe_build(&p), 0);
	check_text("pxe/http/media/ironpass-windows.iso", "windows-iso");
	assert_false(path_exists(top, "pxe/http/media/ironpass-virtio-win.iso"));
	assert_int_equal(sha256_buf("windows-iso", 11, hex), 0);
	snprintf(line, sizeof(line), "%s  media/ironpass-windows.iso\n", hex);
	check_text("pxe/http/SHA256SUMS", line);
	p.n_media = 0;
	/* TFTP: the first stage from the host, the configs */
	check_text("pxe/tftp/lpxelinux.0", "/usr/lib/PXELINUX/lpxelinux.0");
	check_text("pxe/tftp/bootx64.efi", "/usr/lib/shim/shimx64.efi.signed");
	check_text("pxe/tftp/grubx64.efi", "grubnetx64.efi.signed");
	check_text("pxe/tftp/ldlinux.c32", "ldlinux.c32");
	check_text("pxe/tftp/pxelinux.cfg/default", "KERNEL http://10.0.2.2:8080/vmlinuz");
	check_text("pxe/tftp/grub/grub.cfg", "\tlinux /vmlinuz ");
	check_text("pxe/tftp/vmlinuz", "kernel");	/* for GRUB */
	check_text("pxe/tftp/seed.img", "seed");
	check_text("pxe/tftp/ironpass.ipxe", "#!ipxe\n");
	/* HTTP: everything large, the payload, checksums */
	check_text("pxe/http/filesystem.squashfs", "squashfs");
	check_text("pxe/http/payload/manifest.json", "\"standin\": true");
	check_text("pxe/http/payload/pool/Packages", "Package: x\n");
	check_text("pxe/http/ironpass.ipxe", "ironpass.payload=http://10.0.2.2:8080/payload/");
	assert_int_equal(sha256_buf("squashfs", 8, hex), 0);
	snprintf(line, sizeof(line), "%s  filesystem.squashfs\n", hex);
	check_text("pxe/http/SHA256SUMS", line);
	assert_int_equal(sha256_buf("Package: x\n", 11, hex), 0);
	snprintf(line, sizeof(line), "%s  payload/pool/Packages\n", hex);
	check_text("pxe/http/SHA256SUMS", line);
	check_text("pxe/http/SHA256SUMS", "  payload/manifest.json\n");
	assert_false(path_exists(top, "pxe.tmp"));
	/* a rebuild for another URL replaces the tree; a missing host file fails cleanly */
	p.url = "http://pxe.lan";
	assert_int_equal(bld_pxe_build(&p), 0);
	check_text("pxe/tftp/grub/grub.cfg", " fetch=http://pxe.lan/filesystem.squashfs ");
	check_text("pxe/tftp/initrd.img", "initrd");
	snprintf(line, sizeof(line), "%s/usr/lib/shim/shimx64.efi.signed", pp.host);
	assert_int_equal(unlink(line), 0);
	assert_int_equal(bld_pxe_build(&p), -ENOENT);
	assert_non_null(strstr(p.err.msg, "shimx64.efi.signed"));
	assert_true(path_exists(top, "pxe/tftp/grub/grub.cfg"));	/* old tree kept */
	assert_false(path_exists(top, "pxe.tmp"));
}

/*
 * GRUB's http module goes into the tree only from grub-efi-amd64-bin of the
 * signed image's version (its SBAT entry), with the modules moddep.lst names.
 */
static void test_grub_http(void **state)
{
	struct pxe_paths pp;
	struct bld_pxe p = { .url = "http://10.0.2.2:8080", .menu = menu };
	static const char sbat[] = "sbat,1,SBAT Version\ngrub,3,Free Software Foundation,grub,"
				   "2.06\ngrub.debian,4,Debian,grub2,2.06-13+deb12u2,https://x\n";

	(void)state;
	pxe_setup(&pp, &p);
	/* no modules installed: TFTP only, and the build says why */
	assert_int_equal(bld_pxe_build(&p), 0);
	assert_false(p.grub_http);
	assert_non_null(strstr(p.grub_http_why, "not installed"));
	check_text("pxe/tftp/grub/grub.cfg", "\tlinux /vmlinuz ");
	assert_false(path_exists(top, "pxe/tftp/grub/x86_64-efi"));
	/* installed, another version than the signed image's */
	put("host/usr/lib/grub/x86_64-efi/modinfo.sh",
	    "grub_version=\"2.06\"\ngrub_package_version=\"2.06-13+deb12u1\"\n");
	put("host/usr/lib/grub/x86_64-efi/moddep.lst",
	    "tftp: net\nhttp: net\nnet: priority_queue datetime boot bufio\nboot:\n"
	    "priority_queue:\ndatetime:\nbufio:\nnormal: boot\n");
	put("host/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed", sbat);
	for (const char *const *m = (const char *const[]){ "http", "net", "priority_queue",
							    "datetime", "boot", "bufio",
							    "tftp", "normal", NULL }; *m; m++) {
		char rel[PATH_MAX];

		snprintf(rel, sizeof(rel), "host/usr/lib/grub/x86_64-efi/%s.mod", *m);
		put(rel, *m);
	}
	assert_int_equal(bld_pxe_build(&p), 0);
	assert_false(p.grub_http);
	assert_non_null(strstr(p.grub_http_why, "2.06-13+deb12u1"));
	assert_false(path_exists(top, "pxe/tftp/grub/x86_64-efi/http.mod"));
	/* the same version: http and its five modules, nothing else */
	put("host/usr/lib/grub/x86_64-efi/modinfo.sh",
	    "grub_version=\"2.06\"\ngrub_package_version=\"2.06-13+deb12u2\"\n");
	assert_int_equal(bld_pxe_build(&p), 0);
	assert_true(p.grub_http);
	check_text("pxe/tftp/grub/x86_64-efi/http.mod", "http");
	check_text("pxe/tftp/grub/x86_64-efi/bufio.mod", "bufio");
	check_text("pxe/tftp/grub/x86_64-efi/priority_queue.mod", "priority_queue");
	assert_false(path_exists(top, "pxe/tftp/grub/x86_64-efi/tftp.mod"));
	assert_false(path_exists(top, "pxe/tftp/grub/x86_64-efi/normal.mod"));
	check_text("pxe/tftp/grub/grub.cfg", "\tset ironpass_src=\"(http,10.0.2.2:8080)\"\n");
	check_text("pxe/tftp/grub/grub.cfg", "\tlinux ${ironpass_src}/vmlinuz ");
	/* the per-node templates too; the TFTP copies stay for Secure Boot */
	check_text("pxe/node/unattended/grub.cfg", "\tinsmod http\n");
	check_text("pxe/tftp/vmlinuz", "kernel");
	/* a module moddep.lst names but the package lacks: an error, the old tree kept */
	assert_int_equal(unlink_rel("host/usr/lib/grub/x86_64-efi/bufio.mod"), 0);
	assert_int_equal(bld_pxe_build(&p), -ENOENT);
	assert_non_null(strstr(p.err.msg, "bufio.mod"));
	check_text("pxe/tftp/grub/x86_64-efi/http.mod", "http");
}

static unsigned mode_of(const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* A seed that carries an answer is 0600, and so is every copy or link of it in the tree. */
static void test_private_seed(void **state)
{
	char shm[64], copy[PATH_MAX];
	struct pxe_paths pp;
	struct bld_pxe p = { .url = "http://10.0.2.2:8080", .menu = menu };
	struct stat st_shm, st_top;
	struct ip_err err = { 0 };

	(void)state;
	pxe_setup(&pp, &p);
	assert_int_equal(chmod(pp.art[2], 0600), 0);
	assert_int_equal(bld_pxe_build(&p), 0);
	assert_int_equal(mode_of("pxe/http/seed.img"), 0600);
	assert_int_equal(mode_of("pxe/tftp/seed.img"), 0600);
	assert_int_equal(mode_of("pxe/http/vmlinuz"), 0644);

	/* where a hard link is not possible (another file system) the copy keeps the mode */
	snprintf(shm, sizeof(shm), "/dev/shm/ironpass-pxe-%d", (int)getpid());
	if (stat("/dev/shm", &st_shm) < 0 || stat(top, &st_top) < 0 ||
	    st_shm.st_dev == st_top.st_dev) {
		print_message("no second file system at /dev/shm: copy not tested\n");
		return;
	}
	assert_int_equal(path_write_file(NULL, shm, "seed", 4, 0600), 0);
	assert_int_equal(chmod(shm, 0600), 0);
	snprintf(copy, sizeof(copy), "%s/seed-copy.img", top);
	assert_int_equal(bld_payload_link(shm, copy, &err), 0);
	unlink(shm);
	assert_int_equal(mode_of("seed-copy.img"), 0600);
	check_text("seed-copy.img", "seed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_menus),
		cmocka_unit_test(test_ipxe),
		cmocka_unit_test_setup_teardown(test_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grub_http, setup, teardown),
		cmocka_unit_test_setup_teardown(test_private_seed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
