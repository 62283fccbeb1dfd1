/* ssrwatch — the JSON views of the store's typed rows (views.c): the one place where a case, a
 * case list, a report or a delivery log becomes the API's body (docs/API.md) and the document
 * pages, XARF and webhooks read.  Private to libportal. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "ssrwatch/error.h"
#include "ssrwatch/portalstore.h"

#pragma GCC visibility push(hidden)

/* Each sets *out to a new JSON value and returns SSR_EOK; SSR_ECORRUPT (diag names the field)
 * when a stored text is not UTF-8 or a stored report is not JSON, SSR_ENOMEM.  Never a silent
 * drop of a field. */

/* {id, domain, tld, category, status, opened, closed, reports, reporters, route_state,
 *  route_attempts, route_error, parties: [...], events: [...], reports_received: [{id, received,
 *  report}]}; reporters false: each report without its "reporter" (what parties see). */
int portal_view_case(const ssr_case_t *c, bool reporters, json_t **out, ssr_diag_t *diag) SSR_CHECK;
/* [{id, domain, tld, category, status, opened, reports, party_state}]. */
int portal_view_case_rows(const ssr_case_row_t *rows, size_t n, json_t **out,
                          ssr_diag_t *diag) SSR_CHECK;
/* {id, category, received, body, cases: [{id, domain, category, status, opened, closed}]}. */
int portal_view_report(const ssr_report_t *r, json_t **out, ssr_diag_t *diag) SSR_CHECK;
/* [{delivery_id, party_id, channel, attempt, at, state, detail}]. */
int portal_view_deliveries(const ssr_delivery_attempt_t *rows, size_t n, json_t **out,
                           ssr_diag_t *diag) SSR_CHECK;
/* A stored report document (JSON text) parsed; SSR_ECORRUPT when it is not JSON. */
int portal_view_document(const char *text, json_t **out, ssr_diag_t *diag) SSR_CHECK;

#pragma GCC visibility pop
