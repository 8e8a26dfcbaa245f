// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which console installs: the Enter wait, the lock and the owner file, and
 * following the live log from the other consoles (inst-claim.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "install/inst-claim.h"
#include "install/inst-session.h"
#include "path.h"

int inst_claim_init(struct inst_claim *c, const char *sysroot, const char *console,
		    struct ip_err *err)
{
	char path[PATH_MAX];
	int ret;

	memset(c, 0, sizeof(*c));
	c->sysroot = sysroot;
	c->lock_fd = -1;
	c->log_fd = -1;
	if (console && !strncmp(console, "/dev/", 5))
		console += 5;
	snprintf(c->console, sizeof(c->console), "%s",
		 console && *console ? console : "this console");

	ret = path_join(path, sizeof(path), sysroot, INST_CLAIM_LOCK);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot lock '%s%s'", sysroot ? sysroot : "",
				    INST_CLAIM_LOCK);
	ret = path_mkdirs(sysroot, "/run/ironpass", 0700);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot lock '%s'", path);
	c->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (c->lock_fd < 0)
		return ip_err_errno(err, -errno, "cannot lock '%s'", path);
	return 0;
}

void inst_claim_release(struct inst_claim *c)
{
	if (c->held)
		path_unlink(c->sysroot, INST_CLAIM_OWNER);
	c->held = false;
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	if (c->log_fd >= 0)
		close(c->log_fd);
	c->lock_fd = -1;
	c->log_fd = -1;
}

/* The owner file names a console other than this one: "" when there is none. */
static bool read_owner(struct inst_claim *c)
{
	if (path_read_str(c->sysroot, INST_CLAIM_OWNER, c->owner, sizeof(c->owner)) <= 0) {
		c->owner[0] = '\0';
		return false;
	}
	/* our own name there is a leftover of an earlier run on this console */
	if (!strcmp(c->owner, c->console)) {
		c->owner[0] = '\0';
		return false;
	}
	return true;
}

int inst_claim_try(struct inst_claim *c, struct ip_err *err)
{
	int ret;

	if (c->lock_fd < 0)
		return ip_err_set(err, -EBADF, "the install lock is not open");
	if (flock(c->lock_fd, LOCK_EX | LOCK_NB) == 0) {
		c->held = true;
		c->owner[0] = '\0';
		ret = path_write_file(c->sysroot, INST_CLAIM_OWNER, c->console,
				      strlen(c->console), 0644);
		/* the lock is what counts; without the file the others say "another console" */
		(void)ret;
		return INST_CLAIM_MINE;
	}
	ret = -errno;
	if (ret != -EWOULDBLOCK)
		return ip_err_errno(err, ret, "cannot lock '%s%s'",
				    c->sysroot ? c->sysroot : "", INST_CLAIM_LOCK);
	/* the winner writes its name just after taking the lock: give it a moment */
	for (int i = 0; i < 20 && !read_owner(c); i++)
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	return INST_CLAIM_OTHER;
}

/* A line was typed (canonical mode: '\n'; raw mode: '\r'). */
static bool got_enter(const char *buf, size_t n)
{
	return memchr(buf, '\n', n) || memchr(buf, '\r', n);
}

int inst_claim_poll(struct inst_claim *c, int in_fd, int timeout_ms, struct ip_err *err)
{
	if (in_fd >= 0 && !c->input_closed) {
		struct pollfd pfd = { .fd = in_fd, .events = POLLIN };
		int n = poll(&pfd, 1, timeout_ms);

		if (n < 0 && errno != EINTR)
			return ip_err_errno(err, -errno, "cannot wait for input on '%s'",
					    c->console);
		if (n > 0 && (pfd.revents & POLLIN)) {
			char buf[256];
			ssize_t r = read(in_fd, buf, sizeof(buf));

			if (r > 0 && got_enter(buf, (size_t)r))
				return inst_claim_try(c, err);
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
				c->input_closed = true;
		} else if (n > 0) {
			/* POLLHUP, POLLERR, POLLNVAL: nothing will come from there */
			c->input_closed = true;
		}
	} else if (timeout_ms > 0) {
		poll(NULL, 0, timeout_ms);
	}
	return read_owner(c) ? INST_CLAIM_OTHER : INST_CLAIM_WAITING;
}

static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

int inst_claim_follow(struct inst_claim *c, int out_fd, struct ip_err *err)
{
	char buf[4096];
	bool done;
	ssize_t n;
	int ret;

	/* the lock first, then the log: all the installer wrote before letting go is copied */
	if (flock(c->lock_fd, LOCK_EX | LOCK_NB) == 0) {
		done = true;
		flock(c->lock_fd, LOCK_UN);
	} else if (errno == EWOULDBLOCK) {
		done = false;
	} else {
		return ip_err_errno(err, -errno, "cannot lock '%s%s'",
				    c->sysroot ? c->sysroot : "", INST_CLAIM_LOCK);
	}
	if (c->log_fd < 0) {
		char path[PATH_MAX];

		if (path_join(path, sizeof(path), c->sysroot, INST_LIVE_LOG) == 0)
			c->log_fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	while (c->log_fd >= 0 && (n = read(c->log_fd, buf, sizeof(buf))) > 0) {
		ret = write_all(out_fd, buf, (size_t)n);
		if (ret < 0)
			return ip_err_errno(err, ret, "cannot show the log on '%s'", c->console);
	}
	return done ? 1 : 0;
}

int inst_claim_outcome(const char *log, size_t len, char *buf, size_t size)
{
	const char *end = log + len, *found = NULL;
	size_t flen = 0;

	for (const char *p = log; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (memmem(p, n, "install done", 12) || memmem(p, n, "install failed", 14)) {
			found = p;
			flen = n;
		}
		p += n + 1;
	}
	if (!found)
		return -ENOENT;
	while (flen && (found[flen - 1] == '\r' || found[flen - 1] == ' '))
		flen--;
	snprintf(buf, size, "%.*s", (int)flen, found);
	return 0;
}
