/* ssrwatch — the router (router.c): the one place that knows every address.  Private to libportal.
 */
#pragma once

#include <stdbool.h>

#include "areas.h"
#include "portal_priv.h"

#pragma GCC visibility push(hidden)

/* Answer the request by its route (authentication resolved first, except operations). */
void portal_router_handle(ssr_portal_t *p, req_t *q, resp_t *r);
/* What the request line and headers decide by the route's policy before the body is read (a
 * POST only): a page form without its security cookie, an API write without a token, a rate
 * limit.  True when r is the answer. */
bool portal_router_preflight(ssr_portal_t *p, req_t *q, resp_t *r);
/* A {token} or {rec} segment longer than this matches nothing. */
#define PORTAL_SEG_MAX 512
/* Route policies (a route's flags). */
enum {
	PORTAL_R_OPS = 1 << 0,    /* no authentication (operations) */
	PORTAL_R_API = 1 << 1,    /* JSON answers; bearer tokens, never the session cookie */
	PORTAL_R_ANON = 1 << 2,   /* an anonymous form: the signed CSRF cookie must come along */
	PORTAL_R_LOGOUT = 1 << 3, /* a post that needs no session cookie */
	PORTAL_R_REPORT = 1 << 4, /* a new report: no token needed; the report limit per address */
	PORTAL_R_LOGIN = 1 << 5,  /* a login attempt: the login limit per address */
};
/* The handler of the request's method and path (NULL: none), its arguments (seg:
 * PORTAL_SEG_MAX bytes for a variable segment) and its policy flags. */
route_fn portal_router_lookup(const req_t *q, route_args_t *a, char seg[], unsigned *flags);
/* The answer for an address no route takes (its area's 404 or 405, or a plain 404). */
void portal_router_miss(const req_t *q, resp_t *r);
/* A refusal in the format of the address: JSON for the API, a page otherwise. */
void portal_router_refuse(const req_t *q, resp_t *r, int status, const char *title,
                          const char *msg);

#pragma GCC visibility pop
