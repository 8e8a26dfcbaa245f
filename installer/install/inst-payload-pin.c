// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The payload pin: the SHA-256 of manifest.json, from the seed
 * (/etc/ironpass/payload.sha256, written by the builder) and/or the kernel
 * command line (ironpass.payload-sha256=). Either one pins; when both are
 * there they must agree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "install/inst-payload-fetch.h"
#include "path.h"
#include "payload.h"
#include "util.h"

/* 64 hex digits (either case) into lower case; -EINVAL otherwise. */
static int pin_parse(const char *s, size_t len, char out[SHA256_HEX_LEN + 1])
{
	if (len != SHA256_HEX_LEN)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -EINVAL;
		out[i] = c;
	}
	out[len] = '\0';
	return 0;
}

static int pin_read_seed(const char *sysroot, char out[SHA256_HEX_LEN + 1], struct ip_err *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int ret;

	out[0] = '\0';
	ret = path_read_all(sysroot, INST_SEED_PAYLOAD_PIN, 4096, &text, &len);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot read '%s%s'", sysroot ? sysroot : "",
				    INST_SEED_PAYLOAD_PIN);
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' ' ||
			   text[len - 1] == '\t' || text[len - 1] == '\r'))
		len--;
	if (pin_parse(text, len, out) < 0)
		return ip_err_set(err, -EINVAL, "invalid payload pin in '%s%s': expected the "
				  "SHA-256 of manifest.json as 64 hex digits",
				  sysroot ? sysroot : "", INST_SEED_PAYLOAD_PIN);
	return 0;
}

int inst_payload_pin_read(const char *sysroot, const char *cmdline, struct inst_payload_pin *pin,
			  struct ip_err *err)
{
	char seed[SHA256_HEX_LEN + 1], word[SHA256_HEX_LEN + 1] = "";
	int ret;

	memset(pin, 0, sizeof(*pin));
	pin->from = "";
	if (cmdline && pin_parse(cmdline, strlen(cmdline), word) < 0)
		return ip_err_set(err, -EINVAL, "invalid value for 'ironpass.payload-sha256' on "
				  "the kernel command line: expected the SHA-256 of manifest.json "
				  "as 64 hex digits");
	ret = pin_read_seed(sysroot, seed, err);
	if (ret < 0)
		return ret;
	if (word[0] && seed[0] && strcmp(word, seed) != 0)
		return ip_err_set(err, -EINVAL, "payload pins disagree: 'ironpass.payload-sha256' "
				  "says %s, the seed's '%s' says %s", word, INST_SEED_PAYLOAD_PIN,
				  seed);
	if (word[0] && seed[0])
		pin->from = "ironpass.payload-sha256 and the seed";
	else if (word[0])
		pin->from = "ironpass.payload-sha256";
	else if (seed[0])
		pin->from = "the seed";
	snprintf(pin->sha256, sizeof(pin->sha256), "%s", word[0] ? word : seed);
	return 0;
}

int inst_payload_pin_check(const char *dir, const struct inst_payload_pin *pin,
			   struct ip_err *err)
{
	char hex[SHA256_HEX_LEN + 1];
	int ret;

	if (!pin->sha256[0])
		return 0;
	ret = sha256_file(dir, PAYLOAD_MANIFEST, hex, NULL);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot read '%s/%s'", dir, PAYLOAD_MANIFEST);
	if (strcmp(hex, pin->sha256) != 0)
		return ip_err_set(err, -EBADMSG, "payload manifest '%s/%s' does not match its pin: "
				  "sha256 %s, pinned %s (by %s)", dir, PAYLOAD_MANIFEST, hex,
				  pin->sha256, pin->from);
	return 0;
}
