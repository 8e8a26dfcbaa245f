// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-plan SYSROOT [RUNS]: wall time of hw_detect() + plan_build() on a
 * fixture tree, RUNS times (default 50); prints the median, min and max in
 * milliseconds, and the median of plan_build() alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw.h"
#include "plan.h"
#include "util.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	unsigned runs = 50;
	double *all, *plan_only;
	bool ok = false;

	if (argc < 2 || argc > 3 || (argc == 3 && (ip_strtouint(argv[2], 10, &runs) < 0 || !runs))) {
		fprintf(stderr, "usage: bench-plan SYSROOT [RUNS]\n");
		return 2;
	}
	all = calloc(runs, sizeof(*all));
	plan_only = calloc(runs, sizeof(*plan_only));
	if (!all || !plan_only)
		return 1;
	for (unsigned i = 0; i < runs; i++) {
		struct ip_err err = { 0 };
		struct plan plan;
		struct hw hw;
		double t0 = now_ms(), t1;

		if (hw_detect(argv[1], &hw, &err) < 0) {
			fprintf(stderr, "bench-plan: %s\n", ip_err_msg(&err));
			return 1;
		}
		t1 = now_ms();
		if (plan_build(&hw, NULL, NULL, &plan, &err) < 0) {
			fprintf(stderr, "bench-plan: %s\n", ip_err_msg(&err));
			return 1;
		}
		all[i] = now_ms() - t0;
		plan_only[i] = now_ms() - t1;
		ok = plan.plan_ok;
		plan_release(&plan);
		hw_release(&hw);
	}
	qsort(all, runs, sizeof(*all), cmp_double);
	qsort(plan_only, runs, sizeof(*plan_only), cmp_double);
	printf("detect+plan %s: median %.3f ms (min %.3f, max %.3f, %u runs; plan alone %.3f ms; "
	       "plan %s)\n", argv[1], all[runs / 2], all[0], all[runs - 1], runs,
	       plan_only[runs / 2], ok ? "ready" : "refused");
	free(all);
	free(plan_only);
	return 0;
}
