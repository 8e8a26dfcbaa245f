/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_TEST_CRYPT_CHECK_H
#define IRONPASS_TEST_CRYPT_CHECK_H

#include <stdbool.h>

/* Does @hash verify @plain? crypt_r itself, not our passwd_verify: an
 * independent check of a hash the code under test made. */
bool crypt_check(const char *plain, const char *hash);

#endif
