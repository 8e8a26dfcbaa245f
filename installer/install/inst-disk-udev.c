// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udev-style disk properties for [disk-setup] filters. The udev database
 * (<sysroot>/run/udev/data/b<major>:<minor>, lines "E:KEY=value") is used
 * when present; otherwise the common keys are derived from what the
 * detector read from sysfs, in the form udev gives them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-disk.h"
#include "path.h"

#define UDEV_DATA_MAX (256 * 1024)

int inst_udev_parse(const char *text, size_t len, struct inst_udev_props *p)
{
	const char *nul = text ? memchr(text, '\0', len) : NULL;
	size_t end = nul ? (size_t)(nul - text) : (text ? len : 0);

	memset(p, 0, sizeof(*p));
	for (size_t at = 0; at < end;) {
		const char *line = text + at, *nl = memchr(line, '\n', end - at);
		size_t n = nl ? (size_t)(nl - line) : end - at;
		char **kv;

		at += n + 1;
		if (n < 2 || line[0] != 'E' || line[1] != ':' || !memchr(line + 2, '=', n - 2))
			continue;
		kv = realloc(p->kv, (p->n + 1) * sizeof(*kv));
		if (!kv || !(kv[p->n] = strndup(line + 2, n - 2))) {
			p->kv = kv ? kv : p->kv;
			inst_udev_release(p);
			return -ENOMEM;
		}
		p->kv = kv;
		p->n++;
	}
	return 0;
}

int inst_udev_read_id(const char *sysroot, const char *id, struct inst_udev_props *p)
{
	char rel[256];
	char *data = NULL;
	size_t len;
	int ret;

	memset(p, 0, sizeof(*p));
	if (snprintf(rel, sizeof(rel), "/run/udev/data/%s", id) >= (int)sizeof(rel))
		return -ENAMETOOLONG;
	ret = path_read_all(sysroot, rel, UDEV_DATA_MAX, &data, &len);
	if (ret < 0)
		return ret == -ENOENT ? 0 : ret;
	ret = inst_udev_parse(data, len, p);
	free(data);
	return ret;
}

int inst_udev_read(const char *sysroot, const char *name, struct inst_udev_props *p)
{
	char rel[256], id[40];

	memset(p, 0, sizeof(*p));
	if (snprintf(rel, sizeof(rel), "/sys/block/%s/dev", name) >= (int)sizeof(rel))
		return -ENAMETOOLONG;
	if (path_read_str(sysroot, rel, id + 1, sizeof(id) - 1) < 0 || !strchr(id + 1, ':'))
		return 0;
	id[0] = 'b';
	return inst_udev_read_id(sysroot, id, p);
}

void inst_udev_release(struct inst_udev_props *p)
{
	for (size_t i = 0; p && i < p->n; i++)
		free(p->kv[i]);
	if (p) {
		free(p->kv);
		p->kv = NULL;
		p->n = 0;
	}
}

/* udev replaces white space by '_' in ID_MODEL / ID_SERIAL */
static const char *udev_word(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	while (*s == ' ')
		s++;
	for (; *s && n + 1 < size; s++)
		buf[n++] = (*s == ' ' || *s == '\t') ? '_' : *s;
	while (n && buf[n - 1] == '_')
		n--;
	buf[n] = '\0';
	return buf;
}

static const char *bus_of(const char *transport)
{
	if (strcmp(transport, "sata") == 0 || strcmp(transport, "ata") == 0)
		return "ata";
	return transport[0] ? transport : NULL;
}

const char *inst_udev_value(const struct hw_disk *d, const struct inst_udev_props *p,
			    const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	char model[HW_NAME_MAX], serial[HW_NAME_MAX];

	for (size_t i = 0; p && i < p->n; i++)
		if (strncmp(p->kv[i], key, klen) == 0 && p->kv[i][klen] == '=')
			return p->kv[i] + klen + 1;
	if (strcmp(key, "DEVNAME") == 0) {
		snprintf(buf, size, "/dev/%s", d->name);
		return buf;
	}
	if (strcmp(key, "ID_MODEL") == 0)
		return d->model[0] ? udev_word(d->model, buf, size) : NULL;
	if (strcmp(key, "ID_SERIAL_SHORT") == 0)
		return d->serial[0] ? udev_word(d->serial, buf, size) : NULL;
	if (strcmp(key, "ID_SERIAL") == 0) {
		if (!d->serial[0])
			return NULL;
		udev_word(d->model, model, sizeof(model));
		udev_word(d->serial, serial, sizeof(serial));
		if (model[0])
			snprintf(buf, size, "%s_%s", model, serial);
		else
			snprintf(buf, size, "%s", serial);
		return buf;
	}
	if (strcmp(key, "ID_BUS") == 0)
		return bus_of(d->transport);
	if (strcmp(key, "ID_WWN") == 0)
		return d->wwn[0] ? d->wwn : NULL;
	return NULL;
}
