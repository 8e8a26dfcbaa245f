// SPDX-License-Identifier: GPL-2.0-or-later
/* The payload manifest: in-memory form, JSON text, parsing. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "path.h"
#include "payload.h"
#include "util.h"

const char *const payload_default_packages[] = {
	"proxmox-ve", "postfix", "open-iscsi", "chrony", NULL,
};

int payload_info_init(struct payload_info *pi, const char *source, bool standin,
		      const char *suite, long long created, const char *const *packages)
{
	size_t n = 0;

	memset(pi, 0, sizeof(*pi));
	pi->format = PAYLOAD_FORMAT;
	pi->standin = standin;
	pi->created = created;
	pi->source = strdup(source);
	pi->suite = strdup(suite);
	while (packages && packages[n])
		n++;
	pi->packages = calloc(n + 1, sizeof(*pi->packages));
	if (!pi->source || !pi->suite || !pi->packages)
		goto out_nomem;
	for (size_t i = 0; i < n; i++) {
		pi->packages[i] = strdup(packages[i]);
		if (!pi->packages[i])
			goto out_nomem;
		pi->n_packages++;
	}
	return 0;

out_nomem:
	payload_info_release(pi);
	return -ENOMEM;
}

static void payload_files_release(struct payload_info *pi)
{
	for (size_t i = 0; i < pi->n_files; i++)
		free(pi->files[i].path);
	free(pi->files);
	pi->files = NULL;
	pi->n_files = 0;
}

void payload_info_release(struct payload_info *pi)
{
	if (!pi)
		return;
	free(pi->source);
	free(pi->suite);
	for (size_t i = 0; i < pi->n_packages; i++)
		free(pi->packages[i]);
	free(pi->packages);
	payload_files_release(pi);
	memset(pi, 0, sizeof(*pi));
}

int payload_info_add_file(struct payload_info *pi, const char *path, unsigned long long size,
			  const char *sha256)
{
	struct payload_file *nf = realloc(pi->files, (pi->n_files + 1) * sizeof(*nf));
	struct payload_file *f;

	if (!nf)
		return -ENOMEM;
	pi->files = nf;
	f = &nf[pi->n_files];
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	if (!f->path)
		return -ENOMEM;
	f->size = size;
	snprintf(f->sha256, sizeof(f->sha256), "%s", sha256 ? sha256 : "");
	pi->n_files++;
	return 0;
}

static int payload_file_cmp(const void *a, const void *b)
{
	const struct payload_file *x = a, *y = b;

	return strcmp(x->path, y->path);
}

int payload_info_sort(struct payload_info *pi, struct ip_err *err)
{
	if (pi->n_files > 1)
		qsort(pi->files, pi->n_files, sizeof(*pi->files), payload_file_cmp);
	for (size_t i = 1; i < pi->n_files; i++)
		if (strcmp(pi->files[i - 1].path, pi->files[i].path) == 0)
			return ip_err_set(err, -EEXIST, "payload file '%s' is listed twice",
					  pi->files[i].path);
	return 0;
}

const struct payload_file *payload_info_find(const struct payload_info *pi, const char *path)
{
	size_t lo = 0, hi = pi->n_files;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, pi->files[mid].path);

		if (c == 0)
			return &pi->files[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

char *payload_manifest_format(const struct payload_info *pi)
{
	json_object *root = json_object_new_object();
	json_object *pkgs = json_object_new_array();
	json_object *files = json_object_new_array();
	char *text = NULL;
	const char *s;

	if (!root || !pkgs || !files) {
		json_object_put(pkgs);
		json_object_put(files);
		goto out;
	}
	json_object_object_add(root, "format", json_object_new_int(pi->format));
	json_object_object_add(root, "source", json_object_new_string(pi->source));
	json_object_object_add(root, "standin", json_object_new_boolean(pi->standin));
	json_object_object_add(root, "suite", json_object_new_string(pi->suite));
	json_object_object_add(root, "created", json_object_new_int64(pi->created));
	for (size_t i = 0; i < pi->n_packages; i++)
		json_object_array_add(pkgs, json_object_new_string(pi->packages[i]));
	json_object_object_add(root, "packages", pkgs);
	for (size_t i = 0; i < pi->n_files; i++) {
		json_object *f = json_object_new_object();

		json_object_object_add(f, "path", json_object_new_string(pi->files[i].path));
		json_object_object_add(f, "size", json_object_new_int64((int64_t)pi->files[i].size));
		json_object_object_add(f, "sha256", json_object_new_string(pi->files[i].sha256));
		json_object_array_add(files, f);
	}
	json_object_object_add(root, "files", files);
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					   JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s) {
		struct strbuf sb = { 0 };

		sb_puts(&sb, s);
		sb_puts(&sb, "\n");
		text = sb_detach(&sb);
	}
out:
	json_object_put(root);
	return text;
}

int payload_manifest_write(const char *dir, const struct payload_info *pi, struct ip_err *err)
{
	char *text = payload_manifest_format(pi);
	int ret;

	if (!text)
		return ip_err_set(err, -ENOMEM, "cannot format '%s'", PAYLOAD_MANIFEST);
	ret = path_write_file(dir, PAYLOAD_MANIFEST, text, strlen(text), 0644);
	free(text);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot write '%s/%s'", dir, PAYLOAD_MANIFEST);
	return 0;
}

static bool payload_path_ok(const char *p)
{
	const char *c = p;

	if (!*p || *p == '/' || strchr(p, '\\'))
		return false;
	/* no "." or ".." component, no empty component */
	while (*c) {
		size_t n = strcspn(c, "/");

		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c += n;
		if (*c == '/')
			c++;
		if (!*c && c[-1] == '/')
			return false;
	}
	return true;
}

static bool payload_hex_ok(const char *s)
{
	if (strlen(s) != SHA256_HEX_LEN)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static json_object *jget(json_object *o, const char *key, json_type type)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

static int payload_parse_files(json_object *files, struct payload_info *pi, struct ip_err *err)
{
	size_t n = json_object_array_length(files);

	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(files, i);
		json_object *p = jget(f, "path", json_type_string);
		json_object *sz = jget(f, "size", json_type_int);
		json_object *h = jget(f, "sha256", json_type_string);
		const char *path;
		int64_t size;

		if (!p || !sz || !h)
			return ip_err_set(err, -EINVAL, "bad manifest: files[%zu] needs path, size "
					  "and sha256", i);
		path = json_object_get_string(p);
		size = json_object_get_int64(sz);
		if (!payload_path_ok(path) || strcmp(path, PAYLOAD_MANIFEST) == 0)
			return ip_err_set(err, -EINVAL, "bad manifest: invalid path '%s'", path);
		if (size < 0)
			return ip_err_set(err, -EINVAL, "bad manifest: negative size for '%s'",
					  path);
		if (!payload_hex_ok(json_object_get_string(h)))
			return ip_err_set(err, -EINVAL, "bad manifest: invalid sha256 for '%s'",
					  path);
		if (i > 0 && strcmp(pi->files[i - 1].path, path) >= 0)
			return ip_err_set(err, -EINVAL, "bad manifest: '%s' is out of order or "
					  "listed twice", path);
		if (payload_info_add_file(pi, path, (unsigned long long)size,
					  json_object_get_string(h)) < 0)
			return ip_err_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

int payload_manifest_parse(const char *json, size_t len, struct payload_info *pi,
			   struct ip_err *err)
{
	json_tokener *tok = json_tokener_new();
	json_object *root = NULL, *v, *pkgs, *files;
	const char *pk[64];
	size_t npk;
	int ret = -EINVAL;

	memset(pi, 0, sizeof(*pi));
	if (!tok)
		return ip_err_set(err, -ENOMEM, "out of memory");
	root = json_tokener_parse_ex(tok, json, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		ip_err_set(err, -EINVAL, "bad manifest: %s",
			   json_tokener_error_desc(json_tokener_get_error(tok)));
		goto out;
	}
	v = jget(root, "format", json_type_int);
	if (!v || json_object_get_int(v) != PAYLOAD_FORMAT) {
		ip_err_set(err, -EINVAL, "bad manifest: unsupported format (want %d)",
			   PAYLOAD_FORMAT);
		goto out;
	}
	pkgs = jget(root, "packages", json_type_array);
	files = jget(root, "files", json_type_array);
	if (!jget(root, "source", json_type_string) || !jget(root, "suite", json_type_string) ||
	    !jget(root, "standin", json_type_boolean) || !jget(root, "created", json_type_int) ||
	    !pkgs || !files) {
		ip_err_set(err, -EINVAL, "bad manifest: source, standin, suite, created, "
			   "packages and files are required");
		goto out;
	}
	npk = json_object_array_length(pkgs);
	if (npk >= ARRAY_SIZE(pk)) {
		ip_err_set(err, -EINVAL, "bad manifest: too many packages");
		goto out;
	}
	for (size_t i = 0; i < npk; i++) {
		json_object *p = json_object_array_get_idx(pkgs, i);

		if (!json_object_is_type(p, json_type_string)) {
			ip_err_set(err, -EINVAL, "bad manifest: packages[%zu] is not a string", i);
			goto out;
		}
		pk[i] = json_object_get_string(p);
	}
	pk[npk] = NULL;
	ret = payload_info_init(pi, json_object_get_string(jget(root, "source", json_type_string)),
				json_object_get_boolean(jget(root, "standin", json_type_boolean)),
				json_object_get_string(jget(root, "suite", json_type_string)),
				json_object_get_int64(jget(root, "created", json_type_int)), pk);
	if (ret < 0) {
		ip_err_set(err, ret, "out of memory");
		goto out;
	}
	ret = payload_parse_files(files, pi, err);
out:
	json_object_put(root);
	json_tokener_free(tok);
	return ret;
}

int payload_manifest_read(const char *dir, struct payload_info *pi, struct ip_err *err)
{
	char *text = NULL;
	size_t len = 0;
	int ret;

	memset(pi, 0, sizeof(*pi));
	ret = path_read_all(dir, PAYLOAD_MANIFEST, 64u << 20, &text, &len);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot read '%s/%s'", dir, PAYLOAD_MANIFEST);
	ret = payload_manifest_parse(text, len, pi, err);
	free(text);
	if (ret < 0 && err) {
		char msg[IP_ERR_MSG_MAX];

		snprintf(msg, sizeof(msg), "%s", ip_err_msg(err));
		ip_err_set(err, ret, "%s/%s: %s", dir, PAYLOAD_MANIFEST, msg);
	}
	return ret;
}
