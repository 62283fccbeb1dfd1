/* ssrwatch — the router (router.c): the one place that knows every address.  Private to libportal.
 */
#pragma once

#include <stdbool.h>

#include "portal_priv.h"

#pragma GCC visibility push(hidden)

/* Answer the request by its route (authentication resolved first, except operations). */
void portal_router_handle(ssr_portal_t *p, req_t *q, resp_t *r);
/* What the request line and headers decide by the route's policy before the body is read (a
 * POST only): a page form without its security cookie, an API write without a token, a rate
 * limit.  True when r is the answer. */
bool portal_router_preflight(ssr_portal_t *p, req_t *q, resp_t *r);
/* A refusal in the format of the address: JSON for the API, a page otherwise. */
void portal_router_refuse(const req_t *q, resp_t *r, int status, const char *title,
                          const char *msg);

#pragma GCC visibility pop
