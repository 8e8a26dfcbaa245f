// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: any bytes as a udev database file (/run/udev/data/b8:0)
 * through inst_udev_parse, then inst_udev_value for every parsed key and for
 * the keys it derives from the hardware model (whose model, serial and
 * transport come from the input's first line). Every property is a
 * "KEY=value" taken from an "E:" line; looking up a key returns its first
 * value; a derived value fits the caller's buffer (a heap buffer of exactly
 * that size). Never a crash, leak or UB.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-disk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Does @text (up to @end) hold the line "E:<kv>"? */
static bool has_e_line(const char *text, size_t end, const char *kv)
{
	size_t n = strlen(kv);

	for (size_t at = 0; at < end;) {
		const char *line = text + at, *nl = memchr(line, '\n', end - at);
		size_t len = nl ? (size_t)(nl - line) : end - at;

		if (len == n + 2 && line[0] == 'E' && line[1] == ':' && !memcmp(line + 2, kv, n))
			return true;
		at += len + 1;
	}
	return false;
}

static void check_value(const struct hw_disk *d, const struct inst_udev_props *p,
			const char *key, size_t bufsize)
{
	char *buf = malloc(bufsize);
	const char *v;
	bool in_props = false;

	if (!buf)
		return;
	v = inst_udev_value(d, p, key, buf, bufsize);
	for (size_t i = 0; v && i < p->n; i++)
		if (v > p->kv[i] && v <= p->kv[i] + strlen(p->kv[i]))
			in_props = true;
	if (v == buf && strnlen(buf, bufsize) >= bufsize)
		abort();
	if (v && v != buf && !in_props && v != d->wwn && v != d->transport && strcmp(v, "ata"))
		abort();	/* a value from nowhere */
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
		"DEVNAME", "ID_MODEL", "ID_SERIAL", "ID_SERIAL_SHORT", "ID_BUS", "ID_WWN",
		"ID_PATH", "",
	};
	const char *text = (const char *)data, *nul = memchr(data, '\0', size);
	size_t end = nul ? (size_t)(nul - text) : size;
	struct inst_udev_props p;
	struct hw_disk d = { 0 };
	const char *nl = memchr(text, '\n', end);
	size_t first = nl ? (size_t)(nl - text) : end;

	if (inst_udev_parse(text, size, &p) != 0)
		return 0;	/* -ENOMEM only */
	if (p.n && !p.kv)
		abort();
	for (size_t i = 0; i < p.n; i++) {
		const char *kv = p.kv[i], *eq = strchr(kv, '=');
		char key[256];

		if (!eq || strchr(kv, '\n') || !has_e_line(text, end, kv))
			abort();
		/* the first property with this key is the one looked up */
		if ((size_t)(eq - kv) < sizeof(key)) {
			const char *v;
			char buf[8];
			size_t j;

			memcpy(key, kv, (size_t)(eq - kv));
			key[eq - kv] = '\0';
			for (j = 0; j < i; j++)
				if (!strncmp(p.kv[j], key, (size_t)(eq - kv)) &&
				    p.kv[j][eq - kv] == '=')
					break;
			v = inst_udev_value(&d, &p, key, buf, sizeof(buf));
			if (!v || v != strchr(p.kv[j], '=') + 1)
				abort();
		}
	}

	/* the derived keys, from a disk described by the first line */
	snprintf(d.name, sizeof(d.name), "%.*s", (int)(first < 63 ? first : 63), text);
	snprintf(d.model, sizeof(d.model), "%.*s", (int)(first < 127 ? first : 127), text);
	if (first > 8)
		snprintf(d.serial, sizeof(d.serial), "%.*s", (int)(first - 8), text + 8);
	snprintf(d.transport, sizeof(d.transport), "%s", size & 1 ? "sata" : "nvme");
	snprintf(d.wwn, sizeof(d.wwn), "%s", size & 2 ? "eui.0025385b71b07e2f" : "");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		check_value(&d, &p, keys[i], 1);
		check_value(&d, &p, keys[i], 5);
		check_value(&d, &p, keys[i], 300);
	}
	inst_udev_release(&p);
	if (p.n || p.kv)
		abort();
	return 0;
}
