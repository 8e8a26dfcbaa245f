// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"
#include "util.h"

int path_join(char *buf, size_t size, const char *prefix, const char *path)
{
	size_t plen = prefix ? strlen(prefix) : 0;
	int n;

	while (plen > 0 && prefix[plen - 1] == '/')
		plen--;
	while (plen && path[0] == '/' && path[1] == '/')
		path++;
	if (plen)
		n = snprintf(buf, size, "%.*s%s%s", (int)plen, prefix, path[0] == '/' ? "" : "/",
			     path);
	else
		n = snprintf(buf, size, "%s", path);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

int path_fmt(char *buf, size_t size, const char *prefix, const char *fmt, ...)
{
	char rel[PATH_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(rel))
		return -ENAMETOOLONG;
	return path_join(buf, size, prefix, rel);
}

ssize_t path_read_str(const char *prefix, const char *path, char *buf, size_t size)
{
	char full[PATH_MAX];
	ssize_t n, total = 0;
	int fd, ret;

	if (size == 0)
		return -EINVAL;
	ret = path_join(full, sizeof(full), prefix, path);
	if (ret < 0)
		return ret;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		n = read(fd, buf + total, size - 1 - total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			close(fd);
			return ret;
		}
		if (n == 0)
			break;
		total += n;
		if ((size_t)total == size - 1) {
			char extra;

			n = read(fd, &extra, 1);
			close(fd);
			if (n > 0)
				return -EFBIG;
			goto done;
		}
	}
	close(fd);
done:
	while (total > 0 && isspace((unsigned char)buf[total - 1]))
		total--;
	buf[total] = '\0';
	return total;
}

int path_read_all(const char *prefix, const char *path, size_t max, char **out, size_t *len)
{
	char full[PATH_MAX];
	size_t cap = 4096, total = 0;
	char *buf;
	int fd, ret;

	ret = path_join(full, sizeof(full), prefix, path);
	if (ret < 0)
		return ret;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		ret = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		ssize_t n;

		if (total + 1 >= cap) {
			char *nb;

			if (cap > max + 1) {
				ret = -EFBIG;
				goto out_free;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				ret = -ENOMEM;
				goto out_free;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + total, cap - 1 - total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out_free;
		}
		if (n == 0)
			break;
		total += n;
		if (total > max) {
			ret = -EFBIG;
			goto out_free;
		}
	}
	buf[total] = '\0';
	*out = buf;
	if (len)
		*len = total;
	close(fd);
	return 0;
out_free:
	free(buf);
out_close:
	close(fd);
	return ret;
}

int path_read_u64(const char *prefix, const char *path, uint64_t *val)
{
	char buf[64];
	ssize_t n = path_read_str(prefix, path, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	return ip_strtou64(buf, 0, val);
}

int path_readlink_base(const char *prefix, const char *path, char *buf, size_t size)
{
	char full[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;
	int ret;

	ret = path_join(full, sizeof(full), prefix, path);
	if (ret < 0)
		return ret;
	n = readlink(full, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	while (n > 1 && target[n - 1] == '/')
		target[--n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (!*base)
		return -EINVAL;
	if ((size_t)snprintf(buf, size, "%s", base) >= size)
		return -ENAMETOOLONG;
	return 0;
}

bool path_exists(const char *prefix, const char *path)
{
	char full[PATH_MAX];

	if (path_join(full, sizeof(full), prefix, path) < 0)
		return false;
	return access(full, F_OK) == 0;
}

int path_mkdirs(const char *prefix, const char *path, mode_t mode)
{
	char full[PATH_MAX];
	size_t start;
	int ret;

	ret = path_join(full, sizeof(full), prefix, path);
	if (ret < 0)
		return ret;
	start = prefix ? strlen(prefix) : 0;
	for (char *p = full + start + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(full, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = c;
		if (!c)
			break;
	}
	return 0;
}

int path_write_file(const char *prefix, const char *path, const void *data, size_t len,
		    mode_t mode)
{
	char full[PATH_MAX], tmp[PATH_MAX + 16], dir[PATH_MAX];
	const char *p = data;
	char *slash;
	int fd, ret;

	ret = path_join(full, sizeof(full), prefix, path);
	if (ret < 0)
		return ret;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		ret = path_mkdirs(prefix, dir, 0755);
		if (ret < 0)
			return ret;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", full) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, mode) < 0)
		goto out_errno;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto out_errno;
		}
		p += n;
		len -= n;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto out_errno;
	}
	if (rename(tmp, full) < 0) {
		fd = -1;
		goto out_errno;
	}
	return 0;
out_errno:
	ret = -errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return ret;
}

int path_unlink(const char *prefix, const char *path)
{
	char full[PATH_MAX];
	int ret = path_join(full, sizeof(full), prefix, path);

	if (ret < 0)
		return ret;
	if (unlink(full) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}
