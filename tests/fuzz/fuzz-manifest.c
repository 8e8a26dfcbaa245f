// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: any bytes through the payload manifest parser
 * (payload_manifest_parse). A manifest that parses must hold what the
 * parser promises (format 1, relative paths without "." or "..", sorted and
 * unique, 64 lower-case hex digits each) and must survive a round trip
 * through payload_manifest_format unchanged. Never a crash, leak or UB.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "payload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_path(const char *p)
{
	const char *c = p;

	if (!p || !*p || *p == '/' || strchr(p, '\\') || !strcmp(p, PAYLOAD_MANIFEST))
		abort();
	while (*c) {
		size_t n = strcspn(c, "/");

		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			abort();
		c += n;
		if (*c == '/' && !*++c)
			abort();	/* a trailing slash */
	}
}

static void check_info(const struct payload_info *pi)
{
	if (pi->format != PAYLOAD_FORMAT || !pi->source || !pi->suite || !pi->packages)
		abort();
	if (pi->n_packages >= 64 || pi->packages[pi->n_packages] != NULL)
		abort();
	for (size_t i = 0; i < pi->n_packages; i++)
		if (!pi->packages[i])
			abort();
	if (pi->n_files && !pi->files)
		abort();
	for (size_t i = 0; i < pi->n_files; i++) {
		const struct payload_file *f = &pi->files[i];

		check_path(f->path);
		if (strnlen(f->sha256, sizeof(f->sha256)) != SHA256_HEX_LEN ||
		    strspn(f->sha256, "0123456789abcdef") != SHA256_HEX_LEN)
			abort();
		if (f->size > (unsigned long long)INT64_MAX)
			abort();
		if (i > 0 && strcmp(pi->files[i - 1].path, f->path) >= 0)
			abort();	/* sorted and unique */
		if (payload_info_find(pi, f->path) != f)
			abort();
	}
}

static void check_same(const struct payload_info *a, const struct payload_info *b)
{
	if (a->format != b->format || strcmp(a->source, b->source) || a->standin != b->standin ||
	    strcmp(a->suite, b->suite) || a->created != b->created ||
	    a->n_packages != b->n_packages || a->n_files != b->n_files)
		abort();
	for (size_t i = 0; i < a->n_packages; i++)
		if (strcmp(a->packages[i], b->packages[i]))
			abort();
	for (size_t i = 0; i < a->n_files; i++)
		if (strcmp(a->files[i].path, b->files[i].path) ||
		    a->files[i].size != b->files[i].size ||
		    strcmp(a->files[i].sha256, b->files[i].sha256))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct payload_info pi, again;
	struct ip_err err = { 0 };
	char *text;
	int ret;

	ret = payload_manifest_parse((const char *)data, size, &pi, &err);
	if (ret < 0) {
		/* a refusal says why; whatever was filled is released by the caller */
		if (err.code != ret || !err.msg[0] || !memchr(err.msg, '\0', sizeof(err.msg)))
			abort();
		payload_info_release(&pi);
		return 0;
	}
	if (ret != 0)
		abort();
	check_info(&pi);

	/* what the builder would write back parses to the same manifest */
	text = payload_manifest_format(&pi);
	if (!text)
		abort();
	memset(&err, 0, sizeof(err));
	if (payload_manifest_parse(text, strlen(text), &again, &err) != 0)
		abort();
	check_same(&pi, &again);
	payload_info_release(&again);
	free(text);
	payload_info_release(&pi);
	return 0;
}
