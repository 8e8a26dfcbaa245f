// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A backup's manifest.json (json-c):
 *
 *   { "format": 1, "created": "20250102T030405Z", "boot": "pbt-systemd-boot",
 *     "restored": null,
 *     "files": [ { "path": "/etc/kernel/cmdline", "existed": true,
 *                  "mode_before": "0644", "mode_after": "0644",
 *                  "sha256_before": "…", "sha256_after": "…" }, … ],
 *     "dirs_created": [ "/etc/modprobe.d", … ] }
 *
 * "existed": false files have null "mode_before" and "sha256_before"; undo
 * removes them. "sha256_after" is what the apply wrote: undo restores only
 * files that still have it (unless forced). "dirs_created", parents first, are
 * the directories the apply made for new files; undo removes them when empty.
 * "restored" is the time of the undo.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "host/host.h"
#include "util.h"

#define MANIFEST_FORMAT 1

static json_object *jstr(const char *s)
{
	return s && *s ? json_object_new_string(s) : json_object_new_null();
}

static json_object *jmode(mode_t m)
{
	char buf[8];

	snprintf(buf, sizeof(buf), "%04o", (unsigned)(m & 07777));
	return json_object_new_string(buf);
}

static char *dump(json_object *o)
{
	char *out = o ? strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					 JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE))
		      : NULL;

	json_object_put(o);
	return out;
}

char *host_manifest_text(const struct host_result *r)
{
	json_object *o = json_object_new_object(), *files = json_object_new_array(), *dirs;

	if (!o || !files) {
		json_object_put(o);
		json_object_put(files);
		return NULL;
	}
	json_object_object_add(o, "format", json_object_new_int(MANIFEST_FORMAT));
	json_object_object_add(o, "created", jstr(r->backup));
	json_object_object_add(o, "boot", jstr(host_boot_id(r->boot.kind)));
	json_object_object_add(o, "restored", NULL);
	for (size_t i = 0; i < r->n_files; i++) {
		const struct host_file *f = &r->files[i];
		json_object *e;

		if (f->action == HOST_KEEP)
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "path", jstr(f->path));
		json_object_object_add(e, "existed", json_object_new_boolean(f->existed));
		json_object_object_add(e, "mode_before",
				       f->existed ? jmode(f->old_mode) : NULL);
		json_object_object_add(e, "mode_after", jmode(f->mode));
		json_object_object_add(e, "sha256_before", jstr(f->existed ? f->old_sha : NULL));
		json_object_object_add(e, "sha256_after", jstr(f->sha));
		json_object_array_add(files, e);
	}
	json_object_object_add(o, "files", files);
	dirs = json_object_new_array();
	for (size_t i = 0; i < r->n_dirs; i++)
		json_object_array_add(dirs, json_object_new_string(r->dirs[i]));
	json_object_object_add(o, "dirs_created", dirs);
	return dump(o);
}

static const char *get_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool sha_ok(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!strchr("0123456789abcdef", *s))
			return false;
	return true;
}

static bool mode_ok(const char *s, mode_t *m)
{
	unsigned v;

	if (!s || strlen(s) != 4 || ip_strtouint(s, 8, &v) < 0 || v > 07777)
		return false;
	*m = v;
	return true;
}

static int parse_file(json_object *e, struct host_file *f, struct ip_err *err)
{
	const char *path = get_str(e, "path"), *before = get_str(e, "sha256_before");
	const char *after = get_str(e, "sha256_after");
	json_object *ex;

	memset(f, 0, sizeof(*f));
	if (!path || strlen(path) >= sizeof(f->path) || !inst_cfg_plan_path_ok(path))
		return ip_err_set(err, -EINVAL, "manifest: bad file path '%s'", path ? path : "");
	snprintf(f->path, sizeof(f->path), "%s", path);
	if (!json_object_object_get_ex(e, "existed", &ex) ||
	    !json_object_is_type(ex, json_type_boolean))
		return ip_err_set(err, -EINVAL, "manifest: '%s' has no \"existed\"", path);
	f->existed = json_object_get_boolean(ex);
	if (!sha_ok(after) || !mode_ok(get_str(e, "mode_after"), &f->mode))
		return ip_err_set(err, -EINVAL, "manifest: '%s' has no valid \"sha256_after\" "
				  "and \"mode_after\"", path);
	if (f->existed && (!sha_ok(before) || !mode_ok(get_str(e, "mode_before"),
							&f->old_mode)))
		return ip_err_set(err, -EINVAL, "manifest: '%s' has no valid \"sha256_before\" "
				  "and \"mode_before\"", path);
	snprintf(f->sha, sizeof(f->sha), "%s", after);
	snprintf(f->old_sha, sizeof(f->old_sha), "%s", f->existed ? before : "");
	f->action = f->existed ? HOST_RESTORE : HOST_REMOVE;
	return 0;
}

/* A created directory must lie above a file of the manifest. */
static bool dir_ok(const struct host_result *r, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;

	if (n < 2 || n >= sizeof(r->dirs[0]) || dir[0] != '/' || strstr(dir, "/..") ||
	    dir[n - 1] == '/')
		return false;
	for (size_t i = 0; i < r->n_files; i++)
		if (!strncmp(r->files[i].path, dir, n) && r->files[i].path[n] == '/')
			return true;
	return false;
}

static int parse_dirs(json_object *o, struct host_result *r, struct ip_err *err)
{
	json_object *dirs;
	size_t n;

	r->n_dirs = 0;
	if (!json_object_object_get_ex(o, "dirs_created", &dirs))
		return 0;
	if (!json_object_is_type(dirs, json_type_array) ||
	    (n = json_object_array_length(dirs)) > HOST_MAX_DIRS)
		return ip_err_set(err, -EINVAL, "manifest: bad \"dirs_created\"");
	for (size_t i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(dirs, i);
		const char *s = json_object_is_type(d, json_type_string) ?
				json_object_get_string(d) : NULL;

		if (!dir_ok(r, s))
			return ip_err_set(err, -EINVAL, "manifest: bad directory '%s'",
					  s ? s : "");
		snprintf(r->dirs[r->n_dirs++], sizeof(r->dirs[0]), "%s", s);
	}
	return 0;
}

int host_manifest_parse(const char *json, struct host_result *r,
			char restored[HOST_NAME_LEN + 1], struct ip_err *err)
{
	json_object *o = json_tokener_parse(json), *v, *files;
	const char *created, *when;
	int ret = -EINVAL;
	size_t n;

	restored[0] = '\0';
	if (!o || !json_object_is_type(o, json_type_object)) {
		ip_err_set(err, -EINVAL, "manifest: not a JSON object");
		goto out_put;
	}
	if (!json_object_object_get_ex(o, "format", &v) ||
	    json_object_get_int(v) != MANIFEST_FORMAT) {
		ip_err_set(err, -EINVAL, "manifest: unknown format");
		goto out_put;
	}
	created = get_str(o, "created");
	if (!created || !host_backup_name_ok(created) ||
	    host_boot_from_id(get_str(o, "boot"), &r->boot.kind) < 0) {
		ip_err_set(err, -EINVAL, "manifest: bad \"created\" or \"boot\"");
		goto out_put;
	}
	snprintf(r->backup, sizeof(r->backup), "%s", created);
	when = get_str(o, "restored");
	if (when && host_backup_name_ok(when))
		snprintf(restored, HOST_NAME_LEN + 1, "%s", when);
	if (!json_object_object_get_ex(o, "files", &files) ||
	    !json_object_is_type(files, json_type_array) ||
	    (n = json_object_array_length(files)) > HOST_MAX_FILES) {
		ip_err_set(err, -EINVAL, "manifest: bad \"files\"");
		goto out_put;
	}
	r->n_files = 0;
	for (size_t i = 0; i < n; i++) {
		ret = parse_file(json_object_array_get_idx(files, i), &r->files[i], err);
		if (ret < 0)
			goto out_put;
		r->n_files++;
	}
	ret = parse_dirs(o, r, err);
out_put:
	json_object_put(o);
	return ret;
}

char *host_manifest_mark(const char *json, const char *when, struct ip_err *err)
{
	json_object *o = json_tokener_parse(json);
	char *out;

	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		ip_err_set(err, -EINVAL, "manifest: not a JSON object");
		return NULL;
	}
	json_object_object_add(o, "restored", json_object_new_string(when));
	out = dump(o);
	if (!out)
		ip_err_set(err, -ENOMEM, "out of memory");
	return out;
}
