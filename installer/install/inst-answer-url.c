// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholders in the answer URL: {mac}, {serial}, {uuid}, {product} (see inst-answer-url.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install/inst-answer-url.h"
#include "install/inst-sysinfo.h"
#include "url.h"
#include "util.h"

/* @v URL-path-escaped as one path segment: url_path_escape keeps '/', so split there. */
static void add_escaped(struct strbuf *sb, const char *v)
{
	char part[HW_NAME_MAX], esc[3 * HW_NAME_MAX + 1];

	for (;;) {
		size_t n = strcspn(v, "/");

		snprintf(part, sizeof(part), "%.*s", (int)n, v);
		url_path_escape(part, esc, sizeof(esc));
		sb_puts(sb, esc);
		if (!v[n])
			break;
		sb_puts(sb, "%2F");
		v += n + 1;
	}
}

/* Append the value of placeholder @name; -EINVAL unknown name, -ENODATA no value. */
static int add_value(struct strbuf *sb, const char *name, const struct hw *hw)
{
	if (!strcmp(name, "mac") || !strcmp(name, "mac-dashes")) {
		const struct hw_nic *n = inst_sysinfo_mgmt_nic(hw);

		if (!n)
			return -ENODATA;
		for (const char *p = n->mac; *p; p++) {
			if (!isxdigit((unsigned char)*p) && *p != ':')
				return -ENODATA;
			sb_printf(sb, "%c", *p == ':' && name[3] ? '-' : tolower((unsigned char)*p));
		}
		return 0;
	}
	if (!strcmp(name, "serial") || !strcmp(name, "product")) {
		const char *v = name[0] == 's' ? hw->dmi.product_serial : hw->dmi.product_name;

		if (inst_sysinfo_dmi_unknown(v))
			return -ENODATA;
		add_escaped(sb, v);
		return 0;
	}
	if (!strcmp(name, "uuid")) {
		char v[sizeof(hw->dmi.product_uuid)];
		size_t i;

		for (i = 0; hw->dmi.product_uuid[i] && i + 1 < sizeof(v); i++)
			v[i] = (char)tolower((unsigned char)hw->dmi.product_uuid[i]);
		v[i] = '\0';
		if (inst_sysinfo_dmi_unknown(v))
			return -ENODATA;
		add_escaped(sb, v);
		return 0;
	}
	return -EINVAL;
}

int inst_answer_url_form(const char *tmpl, const char *word, const struct hw *hw, char **out,
			 struct ip_err *err)
{
	static const struct hw none;
	struct strbuf sb = { 0 };
	char shown[512], name[32];
	const char *p = tmpl ? tmpl : "";
	int ret = 0;

	*out = NULL;
	if (!hw)
		hw = &none;
	url_redact(p, shown, sizeof(shown));
	sb.wipe = true;			/* user info and query may hold a token */
	sb_add(&sb, "", 0);
	while (*p) {
		const char *end;

		if (*p != '{') {
			size_t n = strcspn(p, "{");

			sb_add(&sb, p, n);
			p += n;
			continue;
		}
		end = strchr(p, '}');
		if (!end || (size_t)(end - p - 1) >= sizeof(name)) {
			ret = ip_err_set(err, -EINVAL, "'%s' in '%s' has a '{' without its '}'",
					 shown, word);
			goto out_release;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
		ret = add_value(&sb, name, hw);
		if (ret == -EINVAL) {
			ip_err_set(err, ret, "unknown placeholder '{%s}' in '%s': use {mac}, "
				   "{mac-dashes}, {serial}, {uuid} or {product}", name, word);
			goto out_release;
		}
		if (ret == -ENODATA) {
			ip_err_set(err, ret, "cannot form the answer url '%s' from '%s': this "
				   "machine has no %s for '{%s}'", shown, word,
				   name[0] == 'm' ? "physical network interface" : "DMI value",
				   name);
			goto out_release;
		}
		p = end + 1;
	}
	if (sb.err) {
		ret = ip_err_set(err, -ENOMEM, "out of memory");
		goto out_release;
	}
	*out = sb_detach(&sb);
	return 0;
out_release:
	sb_release(&sb);
	return ret;
}
