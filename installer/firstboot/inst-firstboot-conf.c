// SPDX-License-Identifier: GPL-2.0-or-later
/* The first-boot configuration: the plan's VM values as qm options, stored as JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "firstboot/inst-firstboot.h"
#include "plan/plan.h"
#include "util.h"

int inst_fb_conf_add(struct inst_fb_conf *c, const char *key, const char *value)
{
	struct inst_fb_opt *o;

	if (!value || !*value)
		return 0;
	o = realloc(c->opts, (c->n_opts + 1) * sizeof(*o));
	if (!o)
		return -ENOMEM;
	c->opts = o;
	o = &c->opts[c->n_opts];
	o->key = strdup(key);
	o->value = strdup(value);
	if (!o->key || !o->value) {
		free(o->key);
		free(o->value);
		return -ENOMEM;
	}
	c->n_opts++;
	return 0;
}

const char *inst_fb_conf_get(const struct inst_fb_conf *c, const char *key)
{
	for (size_t i = 0; i < c->n_opts; i++)
		if (!strcmp(c->opts[i].key, key))
			return c->opts[i].value;
	return NULL;
}

int inst_fb_conf_storage(struct inst_fb_conf *c, const char *from, const char *to)
{
	static const char *const disks[] = { "efidisk0", "tpmstate0", "scsi0" };
	size_t n = strlen(from);

	for (size_t i = 0; i < c->n_opts; i++) {
		struct inst_fb_opt *o = &c->opts[i];
		struct strbuf sb = { 0 };
		bool disk = false;

		for (size_t k = 0; k < ARRAY_SIZE(disks); k++)
			disk |= !strcmp(o->key, disks[k]);
		if (!disk || strncmp(o->value, from, n) || o->value[n] != ':')
			continue;
		sb_printf(&sb, "%s%s", to, o->value + n);
		if (sb.err) {
			sb_release(&sb);
			return -ENOMEM;
		}
		free(o->value);
		o->value = sb_detach(&sb);
	}
	return 0;
}

static int add_u(struct inst_fb_conf *c, const char *key, unsigned v, bool always)
{
	char num[16];

	if (!v && !always)
		return 0;
	snprintf(num, sizeof(num), "%u", v);
	return inst_fb_conf_add(c, key, num);
}

/* a CD drive's ISO: "none,…" is an empty drive (no ISO given) */
static int conf_media(struct inst_fb_conf *c, const char *key, const char *what,
		      const char *value, const char *url, const char *sha256, bool carried)
{
	char vol[512];
	int ret;

	if (!value)
		return 0;
	if (str_startswith(value, "none"))
		return inst_fb_media_add(c, key, what, NULL, NULL, NULL);
	snprintf(vol, sizeof(vol), "%.*s", (int)strcspn(value, ","), value);
	ret = inst_fb_media_add(c, key, what, vol, url, sha256);
	if (ret == 0)
		c->media[c->n_media - 1].carried = carried;
	return ret;
}

int inst_fb_conf_from_plan(struct inst_fb_conf *c, const struct plan_vm *vm, struct ip_err *err)
{
	int ret = 0;

	memset(c, 0, sizeof(*c));
	c->pve_wait_s = 600;
	if (!vm || !vm->enabled)
		return 0;
	if (!vm->vmid || vm->vmid > 999999999)
		return ip_err_set(err, -EINVAL, "invalid VM id %u", vm->vmid);
	c->vmid = vm->vmid;
	c->make_template = true;
	ret |= inst_fb_conf_add(c, "name", vm->name);
	ret |= inst_fb_conf_add(c, "ostype", vm->ostype);
	ret |= inst_fb_conf_add(c, "machine", vm->machine);
	ret |= inst_fb_conf_add(c, "bios", vm->bios);
	ret |= inst_fb_conf_add(c, "efidisk0", vm->efidisk0);
	ret |= inst_fb_conf_add(c, "tpmstate0", vm->tpmstate0);
	ret |= inst_fb_conf_add(c, "cpu", vm->cpu);
	ret |= add_u(c, "cores", vm->cores, false);
	ret |= inst_fb_conf_add(c, "affinity", vm->affinity);
	ret |= add_u(c, "numa", vm->numa, false);
	ret |= add_u(c, "memory", vm->memory_mib, false);
	ret |= add_u(c, "hugepages", vm->hugepages, false);
	ret |= add_u(c, "balloon", vm->balloon, true);
	ret |= inst_fb_conf_add(c, "scsihw", vm->scsihw);
	ret |= inst_fb_conf_add(c, "scsi0", vm->scsi0);
	ret |= inst_fb_conf_add(c, "net0", vm->net0);
	for (size_t i = 0; i < vm->n_hostpci; i++) {
		char key[32];

		snprintf(key, sizeof(key), "hostpci%zu", i);
		ret |= inst_fb_conf_add(c, key, vm->hostpci[i]);
	}
	ret |= inst_fb_conf_add(c, "vga", vm->vga);
	ret |= add_u(c, "agent", vm->agent, false);
	ret |= inst_fb_conf_add(c, "ide2", vm->ide2);
	ret |= inst_fb_conf_add(c, "ide0", vm->ide0);
	ret |= inst_fb_conf_add(c, "ide1", vm->ide1);
	ret |= inst_fb_conf_add(c, "boot", vm->boot);
	ret |= conf_media(c, "ide2", "Windows 11 ISO", vm->ide2, vm->windows_url,
			  vm->windows_sha256, vm->windows_carried);
	ret |= conf_media(c, "ide0", "virtio-win ISO", vm->ide0, vm->virtio_url,
			  vm->virtio_sha256, vm->virtio_carried);
	if (ret) {
		inst_fb_conf_release(c);
		return ip_err_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

static json_object *jstr_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

char *inst_fb_conf_json(const struct inst_fb_conf *c)
{
	json_object *o = json_object_new_object(), *qm = json_object_new_array();
	char *ret = NULL;

	if (!o || !qm) {
		json_object_put(qm);
		goto out;
	}
	json_object_object_add(o, "format", json_object_new_int(1));
	json_object_object_add(o, "vmid", json_object_new_int64(c->vmid));
	json_object_object_add(o, "template", json_object_new_boolean(c->make_template));
	json_object_object_add(o, "standin", json_object_new_boolean(c->standin));
	json_object_object_add(o, "pve_wait_s", json_object_new_int64(c->pve_wait_s));
	json_object_object_add(o, "hook", c->hook ? json_object_new_string(c->hook) : NULL);
	if (c->wh_url) {
		json_object *w = json_object_new_object();

		json_object_object_add(w, "url", json_object_new_string(c->wh_url));
		json_object_object_add(w, "cert-fingerprint", c->wh_fingerprint ?
				       json_object_new_string(c->wh_fingerprint) : NULL);
		json_object_object_add(w, "token", c->wh_token ?
				       json_object_new_string(c->wh_token) : NULL);
		json_object_object_add(w, "node", json_object_new_string(c->wh_node ?
									  c->wh_node : ""));
		json_object_object_add(w, "events", json_object_new_int64(c->wh_events));
		json_object_object_add(o, "webhook", w);
	}
	for (size_t i = 0; i < c->n_opts; i++) {
		json_object *pair = json_object_new_array();

		json_object_array_add(pair, json_object_new_string(c->opts[i].key));
		json_object_array_add(pair, json_object_new_string(c->opts[i].value));
		json_object_array_add(qm, pair);
	}
	json_object_object_add(o, "qm", qm);
	if (c->n_media) {
		json_object *media = json_object_new_array();

		for (size_t i = 0; i < c->n_media; i++) {
			const struct inst_fb_media *m = &c->media[i];
			json_object *x = json_object_new_object();

			json_object_object_add(x, "key", json_object_new_string(m->key));
			json_object_object_add(x, "what", json_object_new_string(m->what));
			json_object_object_add(x, "volume", jstr_or_null(m->volume));
			json_object_object_add(x, "url", jstr_or_null(m->url));
			json_object_object_add(x, "sha256", jstr_or_null(m->sha256));
			json_object_array_add(media, x);
		}
		json_object_object_add(o, "media", media);
	}
	ret = xstrdup_or_null(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
								JSON_C_TO_STRING_SPACED));
out:
	json_object_put(o);
	return ret;
}

static int get_uint(json_object *o, const char *key, unsigned *v)
{
	json_object *x;
	int64_t n;

	if (!json_object_object_get_ex(o, key, &x) || !json_object_is_type(x, json_type_int))
		return -EINVAL;
	n = json_object_get_int64(x);
	if (n < 0 || n > 999999999)
		return -EINVAL;
	*v = (unsigned)n;
	return 0;
}

/* a string member, copied; NULL when absent, null or not a string */
static char *dup_str(json_object *o, const char *key)
{
	json_object *x;

	if (!json_object_object_get_ex(o, key, &x) || !json_object_is_type(x, json_type_string))
		return NULL;
	return strdup(json_object_get_string(x));
}

int inst_fb_conf_parse(const char *text, struct inst_fb_conf *c, struct ip_err *err)
{
	json_object *o = json_tokener_parse(text), *x, *qm;
	int ret = -EINVAL;

	memset(c, 0, sizeof(*c));
	if (!o || !json_object_is_type(o, json_type_object))
		goto out_bad;
	if (get_uint(o, "vmid", &c->vmid) < 0 || get_uint(o, "pve_wait_s", &c->pve_wait_s) < 0)
		goto out_bad;
	if (json_object_object_get_ex(o, "template", &x))
		c->make_template = json_object_get_boolean(x);
	if (json_object_object_get_ex(o, "standin", &x))
		c->standin = json_object_get_boolean(x);
	if (json_object_object_get_ex(o, "hook", &x) && json_object_is_type(x, json_type_string))
		c->hook = strdup(json_object_get_string(x));
	if (json_object_object_get_ex(o, "webhook", &x) && json_object_is_type(x, json_type_object)) {
		json_object *w = x;

		c->wh_url = dup_str(w, "url");
		c->wh_fingerprint = dup_str(w, "cert-fingerprint");
		c->wh_token = dup_str(w, "token");
		c->wh_node = dup_str(w, "node");
		if (!c->wh_url || get_uint(w, "events", &c->wh_events) < 0)
			goto out_bad;
	}
	if (!json_object_object_get_ex(o, "qm", &qm) || !json_object_is_type(qm, json_type_array))
		goto out_bad;
	for (size_t i = 0; i < json_object_array_length(qm); i++) {
		json_object *pair = json_object_array_get_idx(qm, i);
		json_object *k = json_object_array_get_idx(pair, 0);
		json_object *v = json_object_array_get_idx(pair, 1);

		if (!json_object_is_type(pair, json_type_array) || !k || !v ||
		    !json_object_is_type(k, json_type_string) ||
		    !json_object_is_type(v, json_type_string))
			goto out_bad;
		if (inst_fb_conf_add(c, json_object_get_string(k), json_object_get_string(v)) < 0) {
			ret = ip_err_set(err, -ENOMEM, "out of memory");
			goto out;
		}
	}
	if (json_object_object_get_ex(o, "media", &x) && json_object_is_type(x, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(x); i++) {
			json_object *m = json_object_array_get_idx(x, i);
			_cleanup_free_ char *key = dup_str(m, "key"), *what = dup_str(m, "what");
			_cleanup_free_ char *vol = dup_str(m, "volume"), *url = dup_str(m, "url");
			_cleanup_free_ char *sha = dup_str(m, "sha256");

			if (!key || !what)
				goto out_bad;
			if (inst_fb_media_add(c, key, what, vol, url, sha) < 0) {
				ret = ip_err_set(err, -ENOMEM, "out of memory");
				goto out;
			}
		}
	}
	json_object_put(o);
	return 0;
out_bad:
	ret = ip_err_set(err, -EINVAL, "invalid first-boot configuration '%s'", INST_FB_CONF);
out:
	json_object_put(o);
	inst_fb_conf_release(c);
	return ret;
}

void inst_fb_conf_release(struct inst_fb_conf *c)
{
	for (size_t i = 0; i < c->n_opts; i++) {
		free(c->opts[i].key);
		free(c->opts[i].value);
	}
	free(c->opts);
	free(c->hook);
	free(c->wh_url);
	free(c->wh_fingerprint);
	if (c->wh_token) {
		explicit_bzero(c->wh_token, strlen(c->wh_token));
		free(c->wh_token);
	}
	free(c->wh_node);
	for (size_t i = 0; i < c->n_media; i++) {
		free(c->media[i].key);
		free(c->media[i].what);
		free(c->media[i].volume);
		free(c->media[i].url);
		free(c->media[i].sha256);
	}
	free(c->media);
	memset(c, 0, sizeof(*c));
}
