// SPDX-License-Identifier: GPL-2.0-or-later
/* The plan tests' shared machine, policy and plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "hw-build.h"
#include "plan-fixture.h"

struct answer_passthrough pt;
struct answer_vm_template vmt;
struct hw hw;
struct plan plan;

int plan_fx_setup(void **state)
{
	(void)state;
	plan_default_policy(&pt, &vmt);
	memset(&plan, 0, sizeof(plan));
	return 0;
}

int plan_fx_teardown(void **state)
{
	(void)state;
	plan_release(&plan);
	hwb_release(&hw);
	return 0;
}

void plan_fx_build(void)
{
	struct ip_err err = { 0 };

	assert_int_equal(plan_build(&hw, &pt, &vmt, &plan, &err), 0);
}
