/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_TEST_PLAN_FIXTURE_H
#define IRONPASS_TEST_PLAN_FIXTURE_H

/*
 * What the plan tests share: one machine (built with hw-build), the default
 * passthrough and VM-template policy, and the plan made from them.
 * plan_fx_setup() resets policy and plan before each test, plan_fx_teardown()
 * frees plan and machine, plan_fx_build() runs plan_build() and requires it
 * to succeed.
 */

#include "detect/hw.h"
#include "plan/plan.h"

extern struct answer_passthrough pt;
extern struct answer_vm_template vmt;
extern struct hw hw;
extern struct plan plan;

int plan_fx_setup(void **state);
int plan_fx_teardown(void **state);
void plan_fx_build(void);

/* a cmocka test entry with the fixture around it */
#define plan_fx_test(f) cmocka_unit_test_setup_teardown(f, plan_fx_setup, plan_fx_teardown)

#endif
