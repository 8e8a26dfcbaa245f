/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_HW_JSON_H
#define IRONPASS_HW_JSON_H

#include <json-c/json.h>

#include "detect/hw.h"

/* Everything in @hw plus the verdict as one json-c object (caller puts it); NULL on ENOMEM. */
struct json_object *hw_to_json(const struct hw *hw);

#endif
