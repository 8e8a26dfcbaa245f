// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Keys that need more than one type or a free-form table: fqdn (a string,
 * or a table with source/domain), interface-name-pinning.mapping (MAC ->
 * name) and gpu ("auto", "none", one id or a list of ids).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answer-int.h"

int answer_custom_fqdn(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	const struct toml_value *v = kv->value;

	if (v->type == TOML_TABLE) {
		c->fqdn_table = true;
		answer_walk_table(c, AS_GLOBAL, "fqdn.", v);
		return 0;
	}
	if (v->type != TOML_STRING) {
		answer_type_error(c, id, kv);
		return -EINVAL;
	}
	if (!answer_string_ok(c, "fqdn", v))
		return -EINVAL;
	{
		const char *why = answer_valid_fqdn(v->u.str.ptr);

		if (why) {
			answer_err(c, v->pos, "invalid 'fqdn' value '%s': %s",
				   answer_show(v->u.str.ptr, 0), why);
			return -EINVAL;
		}
	}
	c->a->global.fqdn = answer_strdup(c, v->u.str.ptr);
	return 0;
}

int answer_custom_fqdn_source(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	const struct toml_value *v = kv->value;

	if (v->type != TOML_STRING) {
		answer_type_error(c, id, kv);
		return -EINVAL;
	}
	if (strcmp(v->u.str.ptr, "from-dhcp")) {
		answer_err(c, v->pos, "invalid 'fqdn.source' value '%s': expected from-dhcp",
			   answer_show(v->u.str.ptr, 0));
		return -EINVAL;
	}
	c->a->global.fqdn_from_dhcp = true;
	return 0;
}

int answer_custom_pins(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	struct answer_network *net = &c->a->network;
	size_t n = toml_table_len(kv->value), bad = 0;

	if (kv->value->type != TOML_TABLE) {
		answer_type_error(c, id, kv);
		return -EINVAL;
	}
	net->pins = calloc(n + 1, sizeof(*net->pins));
	if (!net->pins) {
		c->oom = true;
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct toml_kv *e = toml_table_at(kv->value, i);
		const char *why;
		bool dup = false;

		bad++;

		/* a bad MAC and a bad name are both reported */
		if ((why = answer_valid_mac(e->key))) {
			answer_err(c, e->key_pos, "invalid MAC address '%s' in '%s': %s",
				   answer_show(e->key, 0), answer_keys[id].name, why);
			dup = true;
		}
		if (e->value->type != TOML_STRING) {
			answer_err(c, e->key_pos, "'%s.\"%s\"' must be a string, not %s",
				   answer_keys[id].name, e->key, answer_value_type(e->value));
			continue;
		}
		if ((why = answer_valid_ifname(e->value->u.str.ptr))) {
			answer_err(c, e->value->pos, "invalid interface name '%s': %s",
				   answer_show(e->value->u.str.ptr, 0), why);
			continue;
		}
		if (dup)
			continue;
		for (size_t j = 0; j < net->n_pins; j++) {
			if (!strcmp(net->pins[j].name, e->value->u.str.ptr)) {
				answer_err(c, e->value->pos,
					   "interface name '%s' is pinned to two MAC addresses",
					   e->value->u.str.ptr);
				dup = true;
			} else if (!strcasecmp(net->pins[j].mac, e->key)) {
				answer_err(c, e->key_pos, "MAC address '%s' is pinned twice",
					   e->key);
				dup = true;
			}
		}
		if (dup)
			continue;
		net->pins[net->n_pins].mac = answer_strdup(c, e->key);
		net->pins[net->n_pins].name = answer_strdup(c, e->value->u.str.ptr);
		if (net->pins[net->n_pins].mac)
			for (char *p = net->pins[net->n_pins].mac; *p; p++)
				if (*p >= 'A' && *p <= 'F')
					*p = (char)(*p - 'A' + 'a');
		net->n_pins++;
		bad--;
	}
	return bad ? -EINVAL : 0;
}

static int custom_gpu_one(struct answer_ctx *c, const struct toml_value *e)
{
	struct answer_passthrough *pt = &c->a->passthrough;
	const char *why;

	if (e->type != TOML_STRING) {
		answer_err(c, e->pos, "'gpu' must be an array of strings, not hold %s",
			   answer_value_type(e));
		return -EINVAL;
	}
	if ((why = answer_valid_pci_id(e->u.str.ptr))) {
		answer_err(c, e->pos, "invalid 'gpu' value '%s': %s", answer_show(e->u.str.ptr, 0),
			   why);
		return -EINVAL;
	}
	for (size_t j = 0; j < pt->n_gpu_list; j++) {
		if (!strcasecmp(pt->gpu_list[j], e->u.str.ptr)) {
			answer_err(c, e->pos, "duplicate 'gpu' entry '%s'", e->u.str.ptr);
			return -EINVAL;
		}
	}
	pt->gpu_list[pt->n_gpu_list] = answer_strdup(c, e->u.str.ptr);
	if (pt->gpu_list[pt->n_gpu_list])
		pt->n_gpu_list++;
	return 0;
}

int answer_custom_gpu(struct answer_ctx *c, int id, const struct toml_kv *kv)
{
	struct answer_passthrough *pt = &c->a->passthrough;
	const struct toml_value *v = kv->value;
	int ret = 0;
	size_t n;

	if (v->type == TOML_STRING && !strcmp(v->u.str.ptr, "auto")) {
		pt->gpu = ANSWER_GPU_AUTO;
		return 0;
	}
	if (v->type == TOML_STRING && !strcmp(v->u.str.ptr, "none")) {
		pt->gpu = ANSWER_GPU_NONE;
		return 0;
	}
	if (v->type != TOML_STRING && v->type != TOML_ARRAY) {
		answer_type_error(c, id, kv);
		return -EINVAL;
	}
	n = v->type == TOML_ARRAY ? toml_array_len(v) : 1;
	if (n == 0) {
		answer_err(c, v->pos, "'gpu' must not be an empty array (use \"none\")");
		return -EINVAL;
	}
	pt->gpu_list = calloc(n + 1, sizeof(*pt->gpu_list));
	if (!pt->gpu_list) {
		c->oom = true;
		return -ENOMEM;
	}
	pt->gpu = ANSWER_GPU_LIST;
	if (v->type == TOML_STRING)
		return custom_gpu_one(c, v);
	for (size_t i = 0; i < n; i++)
		if (custom_gpu_one(c, toml_array_at(v, i)) < 0)
			ret = -EINVAL;
	return ret;
}
