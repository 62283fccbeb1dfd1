/* ssrwatch — the SLA figures as the portal serves them (slacache.c).  Private to libportal. */
#pragma once

#include <jansson.h>

#include "portal_priv.h"

#pragma GCC visibility push(hidden)

/* The SLA figures at the portal's now for /stats and /api/v1/stats, computed at most every
 * stats_cache_s by one request at a time (slacache.c); *out the caller's copy. */
int portal_sla_cached(ssr_portal_t *p, json_t **out, ssr_diag_t *diag);

#pragma GCC visibility pop
