// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: any bytes through the TOML parser and the answer-file
 * schema, with and without the profile/partial flags, and through the
 * report (text and JSON). Must never crash, leak or read out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "answer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flag_sets[] = {
		0, ANSWER_PARTIAL, ANSWER_ALLOW_PROFILE | ANSWER_PROFILE_PARTIAL,
	};
	unsigned flags = flag_sets[size % 3];
	struct answer_diags d = { 0 };
	struct answer *a = NULL;
	char *report;

	if (answer_parse((const char *)data, size, "fuzz.toml", flags, &a, &d) == 0 && !a)
		abort();
	report = answer_report("fuzz.toml", &d, size & 1);
	free(report);
	for (size_t i = 0; i < d.len; i++)
		free(answer_diag_str(&d.items[i]));
	answer_free(a);
	answer_diags_release(&d);
	return 0;
}
