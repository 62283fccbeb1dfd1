/* ssrwatch — what parties do with cases (cases.c): view, list, acknowledge, resolve.  Private to
 * libportal. */
#pragma once

#include <jansson.h>
#include <stdbool.h>

#include "portal_priv.h"

#pragma GCC visibility push(hidden)

/* Case actions by a party (acknowledge, resolve); 0 ok, or an HTTP status with *msg. */
int portal_case_action(ssr_portal_t *p, int64_t case_id, int64_t party_id, const char *action,
                       const char *outcome, const char *reason, const char **msg);
/* The caller's inbox from the query (status, category, domain, limit, before): 0 with *cases
 * (*n; ssr_store_case_rows_free) and the *limit used, or an HTTP status (400 bad filter, 403,
 * 500) with *msg. */
int portal_case_list(ssr_portal_t *p, const req_t *q, ssr_case_row_t **cases, size_t *n, int *limit,
                     const char **msg);
/* A reporter's report by the token of its link (only the token's SHA-256 is stored). */
int portal_report_by_token(ssr_store_t *st, const char *token, json_t **out, ssr_diag_t *diag);
/* The case as the document the API, pages, XARF and deliveries show (views.h); reporters false
 * leaves out who reported.  SSR_ENOTFOUND (diag untouched) when there is no such case. */
int portal_case_document(ssr_store_t *st, int64_t case_id, bool reporters, json_t **out,
                         ssr_diag_t *diag);
/* The case as a party or admin may see it, with its deliveries; SSR_ENOTFOUND when it may
 * not. */
int portal_case_view(ssr_portal_t *p, const req_t *q, int64_t case_id, json_t **out);

/* A case's reports as XARF for a party or admin, answered in r (API and pages). */
void portal_case_xarf_answer(ssr_portal_t *p, const req_t *q, int64_t id, resp_t *r);

#pragma GCC visibility pop
