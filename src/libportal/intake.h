/* ssrwatch — report intake (intake.c).  Private to libportal. */
#pragma once

#include <jansson.h>

#include "portal_priv.h"

#pragma GCC visibility push(hidden)

/* Intake (intake.c): validate and store a report given as JSON.  On invalid input *errors is
 * an array of {field, message} and the result SSR_EINVAL; on success *result is
 * {report_id, token, cases: [{id, domain, category, joined}]}.  Counted in the portal's
 * reports_ok and reports_rejected metrics. */
int portal_intake_submit(ssr_portal_t *p, json_t *report, const char *ip, json_t **result,
                         json_t **errors, ssr_diag_t *diag);

#pragma GCC visibility pop
