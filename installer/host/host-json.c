// SPDX-License-Identifier: GPL-2.0-or-later
/* `passthrough --json`: what a dry run, an apply or an undo did, as one object (json-c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "hash.h"
#include "host/host.h"
#include "plan/plan.h"

static const char *const mode_names[] = {
	[HOST_DRY_RUN] = "dry-run", [HOST_APPLY] = "apply", [HOST_UNDO] = "undo",
};

static json_object *jstr(const char *s)
{
	return s && *s ? json_object_new_string(s) : json_object_new_null();
}

static json_object *jside(const char *text, size_t len, bool hash)
{
	char sha[65];

	if (!text)
		return json_object_new_null();
	if (!hash)
		return json_object_new_int64((int64_t)len);
	return sha256_buf(text, len, sha) < 0 ? json_object_new_null()
					       : json_object_new_string(sha);
}

static json_object *file_json(const struct host_result *r, const struct host_file *f)
{
	json_object *o = json_object_new_object();
	const char *before, *after;
	size_t blen, alen;
	char mode[8];
	mode_t m = r->mode == HOST_UNDO ? f->old_mode : f->mode;

	host_file_sides(r, f, &before, &blen, &after, &alen);
	snprintf(mode, sizeof(mode), "%04o", (unsigned)(m & 07777));
	json_object_object_add(o, "path", jstr(f->path));
	json_object_object_add(o, "action", jstr(host_action_name(f->action)));
	json_object_object_add(o, "existed", json_object_new_boolean(f->existed));
	json_object_object_add(o, "bytes_before", jside(before, blen, false));
	json_object_object_add(o, "bytes_after", jside(after, alen, false));
	json_object_object_add(o, "sha256_before", jside(before, blen, true));
	json_object_object_add(o, "sha256_after", jside(after, alen, true));
	json_object_object_add(o, "mode_after", after ? jstr(mode) : NULL);
	if (r->mode == HOST_UNDO)
		json_object_object_add(o, "modified", json_object_new_boolean(f->modified));
	if (f->action != HOST_KEEP && r->mode != HOST_UNDO) {
		char *diff = host_diff_text(before, after);

		json_object_object_add(o, "diff", jstr(diff));
		free(diff);
	}
	return o;
}

char *host_result_json(const struct host_result *r, const struct plan *p, const char *error)
{
	json_object *o = json_object_new_object(), *files, *cmds, *boot;
	bool ran = r->mode != HOST_DRY_RUN && !error;
	char *out;

	if (!o)
		return NULL;
	json_object_object_add(o, "mode", jstr(mode_names[r->mode]));
	if (p) {
		json_object *refusals = json_object_new_array();

		json_object_object_add(o, "plan_ok", json_object_new_boolean(p->plan_ok));
		for (size_t i = 0; i < p->n_refusals; i++)
			json_object_array_add(refusals, json_object_new_string(p->refusals[i]));
		json_object_object_add(o, "refusals", refusals);
	}
	boot = json_object_new_object();
	json_object_object_add(boot, "loader", r->boot.kind == INST_BOOT_UNDECIDED ? NULL :
			       jstr(host_boot_id(r->boot.kind)));
	json_object_object_add(boot, "name", r->boot.kind == INST_BOOT_UNDECIDED ? NULL :
			       jstr(inst_cfg_boot_name(r->boot.kind)));
	json_object_object_add(boot, "why", jstr(r->boot.why));
	json_object_object_add(o, "boot", boot);
	json_object_object_add(o, "changed", json_object_new_boolean(r->changed));
	files = json_object_new_array();
	for (size_t i = 0; i < r->n_files; i++)
		json_object_array_add(files, file_json(r, &r->files[i]));
	json_object_object_add(o, "files", files);
	cmds = json_object_new_array();
	for (size_t i = 0; i < r->n_dirs; i++)
		json_object_array_add(cmds, json_object_new_string(r->dirs[i]));
	json_object_object_add(o, r->mode == HOST_UNDO ? "dirs_removed" : "dirs_created", cmds);
	cmds = json_object_new_array();
	for (size_t i = 0; i < r->n_cmds; i++) {
		json_object *argv = json_object_new_array();

		for (const char *const *a = r->cmds[i]; *a; a++)
			json_object_array_add(argv, json_object_new_string(*a));
		json_object_array_add(cmds, argv);
	}
	json_object_object_add(o, "commands", cmds);
	json_object_object_add(o, "commands_ran", json_object_new_boolean(ran && r->n_cmds));
	json_object_object_add(o, "backup", jstr(r->backup));
	json_object_object_add(o, "backup_dir", jstr(r->backup[0] ? r->backup_dir : NULL));
	json_object_object_add(o, "reboot_needed",
			       json_object_new_boolean(ran && r->changed));
	json_object_object_add(o, "error", jstr(error));
	out = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_SPACED |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return out;
}
