/* ssrwatch — XARF v4 documents (xarf.c).  Private to libportal. */
#pragma once

#include <jansson.h>

#include "portal_priv.h"

#pragma GCC visibility push(hidden)

/* XARF v4 (xarf.c): one report body as XARF for the case domain (with_reporter: the reporter's
 * contact as XARF reporter, for the reporter's own export); all reports of a case view. */
int portal_xarf(ssr_portal_t *p, ssr_store_t *st, int64_t report_id, int64_t received, json_t *body,
                const char *domain, bool with_reporter, json_t **out, ssr_diag_t *diag);
int portal_case_xarf(ssr_portal_t *p, ssr_store_t *st, json_t *kase, json_t **out,
                     ssr_diag_t *diag);

#pragma GCC visibility pop
