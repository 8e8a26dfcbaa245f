/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_HW_REPORT_H
#define IRONPASS_HW_REPORT_H

/*
 * The passthrough readiness verdict and the readable hardware report.
 * Both are pure functions of a detected struct hw; nothing is printed.
 */

#include <stdbool.h>
#include <stddef.h>

#include "detect/hw.h"
#include "util.h"

enum hw_readiness { HW_READY, HW_READY_WARNINGS, HW_NOT_READY };

#define HW_VERDICT_MAX 16

struct hw_reason {
	bool blocking;		/* true: makes the machine "not ready"; false: a warning */
	char text[256];
};

struct hw_verdict {
	enum hw_readiness level;
	struct hw_reason reasons[HW_VERDICT_MAX];
	size_t n_reasons;
	/* GPUs a plan could isolate: discrete, not the boot GPU (indexes into hw.gpus) */
	size_t candidates[8];
	size_t n_candidates;
};

/* "ready", "ready with warnings", "not ready" */
const char *hw_readiness_str(enum hw_readiness level);

/*
 * Decide whether the machine can pass a GPU through: no IOMMU or no
 * virtualisation flag or no GPU to give away → not ready; only the boot GPU
 * is discrete (single-GPU passthrough), no interrupt remapping, a candidate
 * GPU in an unclean IOMMU group → warnings.
 */
void hw_verdict(const struct hw *hw, struct hw_verdict *v);

/* Readable report: the verdict line and its reasons, then one section per probe. */
void hw_report_text(const struct hw *hw, struct strbuf *sb);

#endif
