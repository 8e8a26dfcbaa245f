// SPDX-License-Identifier: GPL-2.0-or-later
/* First boot on the installed node: the VM template, the hook, once. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "firstboot/inst-firstboot.h"
#include "log.h"
#include "path.h"
#include "util.h"

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int wait_pve(const char *root, unsigned wait_s, unsigned poll_ms, struct ip_err *err)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (path_exists(root, INST_FB_PVE_READY))
			return 0;
		if (runner_interrupted())
			return ip_err_set(err, -EINTR, "interrupted by %s while waiting for "
					  "pve-cluster", runner_signal_name(runner_interrupted()));
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= (time_t)wait_s)
			return ip_err_set(err, -ETIMEDOUT,
					  "pve-cluster is not up after %u s ('%s' missing)", wait_s,
					  INST_FB_PVE_READY);
		sleep_ms(poll_ms);
	}
}

static int run_hook(const char *root, const char *hook, struct runner *r, struct ip_err *err)
{
	char full[PATH_MAX];
	const char *argv[] = { full, NULL };
	struct run_opts o = { .timeout_ms = 60 * 60 * 1000 };
	int ret;

	if (path_join(full, sizeof(full), root, hook) < 0 || !path_exists(root, hook))
		return ip_err_set(err, -ENOENT, "first-boot hook '%s' is missing", hook);
	ip_info("running the first-boot hook '%s'", hook);
	ret = runner_check(r, argv, &o, NULL);
	if (ret < 0)
		return ip_err_set(err, ret, "first-boot hook failed: %s", ip_err_msg(&r->err));
	return 0;
}

static int stamp(const char *root, const char *path, const char *what)
{
	char line[256];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(line, sizeof(line), "%s %04d-%02d-%02dT%02d:%02d:%02dZ\n", what,
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return path_write_file(root, path, line, strlen(line), 0644);
}

static int fb_steps(const char *root, struct runner *r, const struct inst_fb_run_opts *o,
		    const struct inst_fb_conf *c, struct ip_err *err)
{
	int ret;

	if (c->vmid) {
		if (c->standin && !path_exists(root, "/usr/sbin/qm")) {
			ip_warn("no qm on this node (stand-in payload): VM template %u skipped",
				c->vmid);
		} else {
			ret = wait_pve(root, o->pve_wait_s >= 0 ? (unsigned)o->pve_wait_s :
				       c->pve_wait_s, o->poll_ms ? o->poll_ms : 1000, err);
			if (ret < 0)
				return ret;
			ret = inst_fb_make_vm(c, root, r, err);
			if (ret < 0)
				return ret;
		}
	}
	if (c->hook)
		return run_hook(root, c->hook, r, err);
	return 0;
}

int inst_firstboot_run(const char *root, struct runner *r, const struct inst_fb_run_opts *o,
		       struct ip_err *err)
{
	static const struct inst_fb_run_opts defaults = { .pve_wait_s = -1 };
	_cleanup_free_ char *text = NULL;
	struct inst_fb_conf c;
	char lock[PATH_MAX];
	size_t len;
	int fd, ret;

	if (!o)
		o = &defaults;
	if (path_exists(root, INST_FB_DONE)) {
		ip_info("first boot was done already ('%s' exists), nothing to do", INST_FB_DONE);
		return 1;
	}
	ret = path_read_all(root, INST_FB_CONF, 1u << 20, &text, &len);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot read '%s'", INST_FB_CONF);
	ret = inst_fb_conf_parse(text, &c, err);
	if (ret < 0)
		return ret;
	ret = path_mkdirs(root, "/var/lib/ironpass", 0755);
	if (ret == 0)
		ret = path_join(lock, sizeof(lock), root, INST_FB_LOCK);
	if (ret < 0) {
		ip_err_errno(err, ret, "cannot create '%s'", INST_FB_LOCK);
		goto out_release;
	}
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = ip_err_errno(err, -errno, "cannot open '%s'", lock);
		goto out_release;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		ret = ip_err_set(err, -EBUSY, "first boot is running already ('%s' is locked)",
				 lock);
		goto out_close;
	}
	/* checked again under the lock: a run that just finished leaves nothing to do */
	if (path_exists(root, INST_FB_DONE)) {
		ret = 1;
		goto out_close;
	}
	ret = fb_steps(root, r, o, &c, err);
	if (ret < 0) {
		stamp(root, INST_FB_FAILED, "failed");
		goto out_close;
	}
	ret = stamp(root, INST_FB_DONE, "done");
	if (ret < 0)
		ip_err_errno(err, ret, "cannot write '%s'", INST_FB_DONE);
	else
		ip_info("first boot done");
out_close:
	close(fd);
out_release:
	inst_fb_conf_release(&c);
	return ret;
}
