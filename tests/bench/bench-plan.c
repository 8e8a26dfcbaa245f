// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-plan SYSROOT [RUNS]: wall time of hw_detect() + plan_build() on a
 * fixture tree, RUNS times (default 50); prints the median, min and max in
 * milliseconds, the median CPU time of the same (less sensitive to a loaded
 * machine than wall time), the first run alone (it may pay one-time costs such
 * as loading pci.ids) and the median of plan_build() alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detect/hw.h"
#include "plan/plan.h"
#include "util.h"

static double clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	unsigned runs = 50;
	double *all, *cpu, *plan_only, first = 0;
	bool ok = false;

	if (argc < 2 || argc > 3 || (argc == 3 && (ip_strtouint(argv[2], 10, &runs) < 0 || !runs))) {
		fprintf(stderr, "usage: bench-plan SYSROOT [RUNS]\n");
		return 2;
	}
	all = calloc(runs, sizeof(*all));
	cpu = calloc(runs, sizeof(*cpu));
	plan_only = calloc(runs, sizeof(*plan_only));
	if (!all || !cpu || !plan_only)
		return 1;
	for (unsigned i = 0; i < runs; i++) {
		struct ip_err err = { 0 };
		struct plan plan;
		struct hw hw;
		double c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID), t0 = now_ms(), t1;

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
		if (!i)
			first = all[i];
		cpu[i] = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
		plan_only[i] = now_ms() - t1;
		ok = plan.plan_ok;
		plan_release(&plan);
		hw_release(&hw);
	}
	qsort(all, runs, sizeof(*all), cmp_double);
	qsort(cpu, runs, sizeof(*cpu), cmp_double);
	qsort(plan_only, runs, sizeof(*plan_only), cmp_double);
	printf("detect+plan %s: median %.3f ms wall (min %.3f, max %.3f, %u runs), "
	       "median %.3f ms CPU; first run %.3f ms; plan alone %.3f ms; plan %s\n", argv[1],
	       all[runs / 2], all[0], all[runs - 1], runs, cpu[runs / 2], first,
	       plan_only[runs / 2], ok ? "ready" : "refused");
	free(all);
	free(cpu);
	free(plan_only);
	return 0;
}
