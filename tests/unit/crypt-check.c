// SPDX-License-Identifier: GPL-2.0-or-later
#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include "crypt-check.h"

bool crypt_check(const char *plain, const char *hash)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	bool ok;

	if (!cd)
		return false;
	ok = crypt_r(plain, hash, cd) && !strcmp(cd->output, hash);
	free(cd);
	return ok;
}
