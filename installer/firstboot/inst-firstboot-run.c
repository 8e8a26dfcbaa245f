// SPDX-License-Identifier: GPL-2.0-or-later
/* First boot on the installed node: the subscription key, the VM template, the hook, once. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "answer.h"
#include "firstboot/inst-firstboot.h"
#include "install/inst-webhook.h"
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

/* Waiting for pve-cluster, once for every step that needs it. */
struct fb_pve {
	unsigned wait_s, poll_ms;
	int state;			/* 1: not waited for yet, 0: up, else the wait's error */
	struct ip_err err;
};

static int pve_up(const char *root, struct fb_pve *p, struct ip_err *err)
{
	if (p->state > 0)
		p->state = wait_pve(root, p->wait_s, p->poll_ms, &p->err);
	if (p->state < 0 && err)
		*err = p->err;
	return p->state;
}

/*
 * The staged subscription key: `pvesubscription set KEY`, the key a secret
 * word of the argv (never shown: the runner's dry-run line, its messages and
 * what it passes on of the program's output read "<secret>"), then the file
 * is removed, whatever happened (@dry: it stays). Never fails the first
 * boot: what went wrong is logged, without the key.
 */
static void fb_subscription(const char *root, struct runner *r, struct fb_pve *pve, bool dry)
{
	char key[128], full[PATH_MAX];
	const char *argv[] = { "pvesubscription", "set", key, NULL };
	struct run_opts ro = { .secret_argv = RUN_SECRET_ARG(2) };
	const char *why;
	ssize_t n;
	int ret;

	n = path_read_str(root, INST_FB_SUBSCRIPTION, key, sizeof(key));
	if (n == -ENOENT)
		return;
	if (n < 0) {
		ip_warn("cannot read the staged subscription key '%s': %s; it is not registered",
			INST_FB_SUBSCRIPTION, strerror((int)-n));
	} else if ((why = answer_value_problem("global", "subscription-key", key))) {
		ip_warn("the staged subscription key in '%s' %s; it is not registered",
			INST_FB_SUBSCRIPTION, why);
	} else if (!path_exists(root, INST_FB_PVESUBSCRIPTION)) {
		ip_warn("the subscription key could not be registered: '%s' is not installed "
			"(stand-in payload?)", INST_FB_PVESUBSCRIPTION);
	} else if (pve_up(root, pve, NULL) < 0) {
		ip_warn("the subscription key could not be registered: %s",
			ip_err_msg(&pve->err));
	} else if (runner_check(r, argv, &ro, NULL) < 0) {
		ip_warn("the subscription key could not be registered: %s",
			ip_err_msg(&r->err));
	} else if (!dry) {
		ip_info("subscription key registered with pvesubscription");
	}
	explicit_bzero(key, sizeof(key));
	if (dry) {
		ip_info("dry run: would remove the staged subscription key '%s'",
			INST_FB_SUBSCRIPTION);
		return;
	}
	ret = path_join(full, sizeof(full), root, INST_FB_SUBSCRIPTION);
	if (ret == 0 && unlink(full) < 0 && errno != ENOENT)
		ret = -errno;
	if (ret < 0)
		ip_warn("cannot remove the staged subscription key '%s': %s",
			INST_FB_SUBSCRIPTION, strerror(-ret));
	else
		ip_info("staged subscription key '%s' removed", INST_FB_SUBSCRIPTION);
}

/* The first boot's events on the install's webhook: step events "firstboot-…" */
struct fb_report {
	struct inst_webhook wh;
	bool on;
};

static void report_init(struct fb_report *rep, const struct inst_fb_conf *c, bool dry)
{
	memset(rep, 0, sizeof(*rep));
	if (dry || !c->wh_url)
		return;
	rep->on = inst_webhook_init_to(&rep->wh, c->wh_url, c->wh_fingerprint, c->wh_token,
				       c->wh_events, c->wh_node, &(struct ip_err){ 0 }) == 0;
}

static void report(struct fb_report *rep, const char *step, const char *status, double secs,
		   const char *why)
{
	if (rep->on)
		inst_webhook_send(&rep->wh, INST_WH_STEP, step, status, secs, why ? &why : NULL,
				  why ? 1 : 0);
}

static double since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * The VM template. A failure is logged and reported; it never stops the
 * hook. Returns 0, or the failure (also in @err).
 */
static int fb_vm(const char *root, struct runner *r, const struct inst_fb_run_opts *o,
		 const struct inst_fb_conf *c, struct fb_pve *pve, struct fb_report *rep,
		 struct ip_err *err)
{
	struct strbuf missing = { 0 };
	struct timespec t0;
	unsigned id = 0;
	int ret;

	if (!c->vmid)
		return 0;
	if (c->standin && !path_exists(root, "/usr/sbin/qm")) {
		ip_warn("no qm on this node (stand-in payload): VM template %u skipped", c->vmid);
		report(rep, "firstboot-vm-template", "skipped", 0, "no qm on this node");
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = pve_up(root, pve, err);
	if (ret == 0)
		ret = inst_fb_make_vm(c, root, r, o->dry_run, &id, &missing, err);
	if (missing.len && !missing.err) {
		/* one event per missing ISO: the message says which file goes where */
		for (char *line = missing.buf, *nl; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			*nl = '\0';
			report(rep, "firstboot-media", "missing", 0, line);
		}
	}
	sb_release(&missing);
	if (ret < 0) {
		ip_err_log("VM template: %s", ip_err_msg(err));
		report(rep, "firstboot-vm-template", "failed", since(&t0), ip_err_msg(err));
		return ret;
	}
	report(rep, "firstboot-vm-template", "ok", since(&t0), NULL);
	return 0;
}

/* The user's hook, once: its marker is the one the before-network unit leaves. */
static int fb_hook(const char *root, struct runner *r, const struct inst_fb_run_opts *o,
		   const struct inst_fb_conf *c, struct fb_report *rep, struct ip_err *err)
{
	struct timespec t0;
	int ret;

	if (!c->hook)
		return 0;
	if (path_exists(root, INST_FB_HOOK_DONE)) {
		ip_info("the first-boot hook ran already ('%s' exists)", INST_FB_HOOK_DONE);
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = run_hook(root, c->hook, r, err);
	if (ret < 0) {
		ip_err_log("%s", ip_err_msg(err));
		report(rep, "firstboot-hook", "failed", since(&t0), ip_err_msg(err));
		return ret;
	}
	report(rep, "firstboot-hook", "ok", since(&t0), NULL);
	if (o->dry_run) {
		ip_info("dry run: would record '%s'", INST_FB_HOOK_DONE);
		return 0;
	}
	ret = stamp(root, INST_FB_HOOK_DONE, "done");
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot write '%s'", INST_FB_HOOK_DONE);
	return 0;
}

/*
 * Every step runs, whatever an earlier one did: the subscription key, the VM
 * template, then the hook. The first failure is returned (a later boot tries
 * again what failed: the hook never runs twice).
 */
static int fb_steps(const char *root, struct runner *r, const struct inst_fb_run_opts *o,
		    const struct inst_fb_conf *c, struct ip_err *err)
{
	struct fb_pve pve = { .wait_s = o->pve_wait_s >= 0 ? (unsigned)o->pve_wait_s :
				  c->pve_wait_s,
			      .poll_ms = o->poll_ms ? o->poll_ms : 1000, .state = 1 };
	struct ip_err hook_err = { 0 };
	struct fb_report rep;
	int ret, hook;

	report_init(&rep, c, o->dry_run);
	report(&rep, "firstboot", "started", 0, NULL);
	/* first: the hook may want the enterprise repository the key opens */
	fb_subscription(root, r, &pve, o->dry_run);
	ret = fb_vm(root, r, o, c, &pve, &rep, err);
	/* stopped (SIGTERM, shutdown): nothing more starts */
	hook = runner_interrupted() ? 0 : fb_hook(root, r, o, c, &rep, &hook_err);
	if (ret == 0 && hook < 0) {
		*err = hook_err;
		ret = hook;
	}
	report(&rep, "firstboot", ret < 0 ? "failed" : "done", 0, ret < 0 ? ip_err_msg(err) : NULL);
	if (rep.on)
		inst_webhook_release(&rep.wh);
	return ret;
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
	if (o->dry_run) {	/* nothing on the node changes: no lock, no marker */
		ret = fb_steps(root, r, o, &c, err);
		if (ret == 0)
			ip_info("dry run: would record '%s'", INST_FB_DONE);
		goto out_release;
	}
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
