// SPDX-License-Identifier: GPL-2.0-or-later
/* Payload stage helpers: the mmdebstrap argv, running, linking files. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "payload/bld-payload.h"
#include "util.h"

/*
 * Small enough to stay fast, enough to install and boot (design §3). The real
 * payload's kernel comes from its pool (proxmox-ve depends on it).
 *
 * shim-signed and grub-efi-amd64-signed are the Secure Boot chain the
 * bootloader step puts on the ESP (Microsoft-signed shim, Debian-signed
 * GRUB); shim-signed pulls in shim-helpers-amd64-signed (MokManager) and
 * mokutil. The kernel must be signed too: Debian's linux-image-amd64 (what
 * the stand-in node boots) is; a Proxmox VE pool brings its signed kernel.
 */
const char *const bld_payload_base_packages[] = {
	"systemd-sysv", "udev", "kmod", "initramfs-tools", "grub-pc-bin", "grub-efi-amd64-bin",
	"grub2-common", "shim-signed", "grub-efi-amd64-signed", "efibootmgr", "lvm2",
	"e2fsprogs", "xfsprogs", "btrfs-progs", "dosfstools",
	"iproute2", "ifupdown", "isc-dhcp-client", "bridge-utils", "openssh-server", "pciutils",
	"ca-certificates",
	NULL,
};

#define BLD_DL_CHROOT "/var/cache/ironpass-pool"

struct bld_argv {
	char **v;
	size_t n;
	int err;
};

static void argv_add(struct bld_argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void argv_add(struct bld_argv *a, const char *fmt, ...)
{
	struct strbuf sb = { 0 };
	char **nv;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	nv = realloc(a->v, (a->n + 2) * sizeof(*nv));
	if (nv)
		a->v = nv;
	if (!nv || sb.err) {
		a->err = -ENOMEM;
		sb_release(&sb);
		return;
	}
	a->v = nv;
	a->v[a->n++] = sb_detach(&sb);
	a->v[a->n] = NULL;
}

static void words_join(struct strbuf *sb, const char *const *w, const char *sep, bool *first)
{
	for (size_t i = 0; w && w[i]; i++) {
		if (!*first)
			sb_puts(sb, sep);
		sb_puts(sb, w[i]);
		*first = false;
	}
}

static bool words_ok(const char *const *w)
{
	for (size_t i = 0; w && w[i]; i++)
		if (!runner_word_ok(w[i]))
			return false;
	return true;
}

char **bld_mmdebstrap_argv(const struct bld_mmdebstrap *m)
{
	struct bld_argv a = { 0 };
	struct strbuf inc = { 0 }, dl = { 0 };
	const char *local = NULL;
	bool first = true;

	if (!words_ok(m->include) || !words_ok(m->extra_include) || !words_ok(m->download) ||
	    !runner_word_ok(m->suite) || !runner_word_ok(m->dl_dir) || !words_ok(m->copy_in) ||
	    (m->components && !runner_word_ok(m->components)) ||
	    (m->status_out && !runner_word_ok(m->status_out)))
		return NULL;
	if (m->local_deb) {
		local = strrchr(m->local_deb, '/');
		local = local ? local + 1 : m->local_deb;
		if (!runner_word_ok(m->local_deb) || !str_endswith(local, ".deb"))
			return NULL;
	}
	words_join(&inc, m->include, ",", &first);
	words_join(&inc, m->extra_include, ",", &first);
	first = true;
	words_join(&dl, m->download, " ", &first);
	argv_add(&a, "mmdebstrap");
	argv_add(&a, "--variant=minbase");
	if (m->components)
		argv_add(&a, "--components=%s", m->components);
	argv_add(&a, "--include=%s", inc.buf ? inc.buf : "");
	for (size_t i = 0; m->copy_in && m->copy_in[i] && m->copy_in[i + 1]; i += 2)
		argv_add(&a, "--setup-hook=copy-in %s %s", m->copy_in[i], m->copy_in[i + 1]);
	/* the closure of @download that the base lacks, into a directory outside */
	argv_add(&a, "--customize-hook=mkdir -p \"$1%s/partial\"", BLD_DL_CHROOT);
	/* a local package takes part in the resolution (what it Provides counts) */
	if (local)
		argv_add(&a, "--customize-hook=upload %s /tmp/%s", m->local_deb, local);
	argv_add(&a, "--customize-hook=chroot \"$1\" apt-get install --download-only --yes "
		 "-o APT::Install-Recommends=false -o Dir::Cache::Archives=%s/ %s%s%s",
		 BLD_DL_CHROOT, dl.buf ? dl.buf : "", local ? " /tmp/" : "", local ? local : "");
	argv_add(&a, "--customize-hook=sync-out %s %s", BLD_DL_CHROOT, m->dl_dir);
	argv_add(&a, "--customize-hook=rm -rf \"$1%s\"", BLD_DL_CHROOT);
	if (local)
		argv_add(&a, "--customize-hook=rm -f \"$1/tmp/%s\"", local);
	if (m->status_out)
		argv_add(&a, "--customize-hook=download /var/lib/dpkg/status %s", m->status_out);
	argv_add(&a, "%s", m->suite);
	argv_add(&a, "%s", m->out);
	if (m->mirror)
		argv_add(&a, "%s", m->mirror);
	sb_release(&inc);
	sb_release(&dl);
	if (a.err) {
		bld_argv_free(a.v);
		return NULL;
	}
	return a.v;
}

void bld_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

int bld_payload_env(char *buf, size_t size, int64_t sde)
{
	int n = snprintf(buf, size, "SOURCE_DATE_EPOCH=%" PRId64, sde);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int bld_payload_run(struct bld_payload_job *job, const char *const *argv, const char *cwd,
		    struct run_result *res)
{
	char env0[64];
	const char *env[] = { env0, NULL };
	struct run_opts o = { .env = env, .cwd = cwd };
	int ret;

	if (job->on_step)
		job->on_step(job->on_step_data, argv[0]);
	bld_payload_env(env0, sizeof(env0), job->source_date_epoch);
	if (res)
		o.flags |= RUN_CAPTURE;
	ret = runner_check(job->run, argv, &o, res);
	if (ret < 0)
		ip_err_set(&job->err, ret, "%s", ip_err_msg(&job->run->err));
	return ret;
}

static int copy_fd(int in, int out)
{
	char buf[1 << 16];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));

			if (w < 0) {
				if (errno == EINTR)
					continue;
				return -errno;
			}
			off += w;
		}
	}
	return 0;
}

int bld_payload_link(const char *src, const char *dst, struct ip_err *err)
{
	struct stat st;
	int in, out, ret;

	unlink(dst);
	if (link(src, dst) == 0)
		return 0;
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return ip_err_errno(err, -errno, "cannot open '%s'", src);
	/* a copy keeps the mode: a 0600 seed stays 0600 */
	if (fstat(in, &st) < 0) {
		ret = ip_err_errno(err, -errno, "cannot stat '%s'", src);
		close(in);
		return ret;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 0777);
	if (out < 0 || fchmod(out, st.st_mode & 0777) < 0) {
		ret = ip_err_errno(err, -errno, "cannot create '%s'", dst);
		if (out >= 0)
			close(out);
		close(in);
		return ret;
	}
	ret = copy_fd(in, out);
	if (ret < 0)
		ip_err_errno(err, ret, "cannot copy '%s' to '%s'", src, dst);
	close(in);
	if (close(out) < 0 && ret == 0)
		ret = ip_err_errno(err, -errno, "cannot write '%s'", dst);
	return ret;
}

int bld_payload_take_debs(const char *src, const char *pool, unsigned *n, struct ip_err *err)
{
	struct dirent *de;
	DIR *d = opendir(src);
	int ret = 0;

	if (!d)
		return ip_err_errno(err, -errno, "cannot open directory '%s'", src);
	while ((de = readdir(d))) {
		char from[PATH_MAX], to[PATH_MAX];
		struct stat st;

		if (!str_endswith(de->d_name, ".deb") || de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(from, sizeof(from), "%s/%s", src, de->d_name) >= sizeof(from) ||
		    (size_t)snprintf(to, sizeof(to), "%s/%s", pool, de->d_name) >= sizeof(to)) {
			ret = ip_err_set(err, -ENAMETOOLONG, "path too long for '%s'", de->d_name);
			break;
		}
		if (stat(from, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		ret = bld_payload_link(from, to, err);
		if (ret < 0)
			break;
		if (n)
			(*n)++;
	}
	closedir(d);
	return ret;
}

int bld_payload_rmtree(const char *path)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int ret = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 ? -errno : 0;
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char sub[PATH_MAX];

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) >= sizeof(sub)) {
			ret = -ENAMETOOLONG;
			break;
		}
		ret = bld_payload_rmtree(sub);
		if (ret < 0)
			break;
	}
	closedir(d);
	if (ret == 0 && rmdir(path) < 0)
		ret = -errno;
	return ret;
}
