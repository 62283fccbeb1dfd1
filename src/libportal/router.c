/* ssrwatch — the portal's router: the one place that knows every address.  A table of routes
 * (method, path pattern, handler, policy) decides what runs; the policies that must hold before
 * the body is read (a form's security cookie, an API token, rate limits) come from the same
 * table; an address no route takes gets the answer of its area (405 with the methods it takes,
 * 404 for an unknown case or recommendation) or a plain 404.
 *
 *   GET  /                           home
 *   GET  /report, POST /report        the report form (anonymous; multipart attachments)
 *   GET  /r/{token}                   the reporter's page
 *   GET  /login, POST /login          party login (anonymous form); POST /logout
 *   GET  /inbox                       a party's cases (admins: all)
 *   GET  /cases/{id}[/xarf]           a case; POST /cases/{id}/acknowledge|resolve
 *   GET  /stats                       public SLA figures (Rec 18)
 *   GET  /admin                       parties and directory; POST /admin/party|registry
 *   GET  /recs[/{rec}]                the tracker; POST /recs/{rec}/status|evidence
 *   /api/v1/...                       the JSON API (docs/API.md), bearer tokens
 *   ANY  /healthz, /metrics           operations
 *
 * Paths match segment by segment; repeated slashes and a trailing one are ignored. */
#include <stdio.h>
#include <string.h>

#include "areas.h"
#include "auth.h"
#include "html.h"
#include "router.h"

enum {
	M_GET = 1,   /* GET and HEAD */
	M_POST = 2,  /* POST */
	M_OTHER = 4, /* any other method */
	M_ANY = 7,
};

typedef struct {
	unsigned methods;
	const char *path; /* literal segments and at most one {id}, {token} or {rec} */
	route_fn fn;
	const char *arg;
	unsigned flags;
} route_t;

static const route_t routes[] = {
    {M_ANY, "/healthz", portal_ops_healthz, NULL, PORTAL_R_OPS},
    {M_ANY, "/metrics", portal_ops_metrics, NULL, PORTAL_R_OPS},
    /* pages */
    {M_GET, "/", portal_page_home, NULL, 0},
    {M_GET, "/report", portal_page_report_get, NULL, 0},
    {M_POST, "/report", portal_page_report_post, NULL, PORTAL_R_ANON | PORTAL_R_REPORT},
    {M_GET, "/r/{token}", portal_page_reporter, NULL, 0},
    {M_GET, "/login", portal_page_login_get, NULL, 0},
    {M_POST, "/login", portal_page_login_post, NULL, PORTAL_R_ANON | PORTAL_R_LOGIN},
    {M_POST, "/logout", portal_page_logout_post, NULL, PORTAL_R_LOGOUT},
    {M_GET, "/inbox", portal_page_inbox, NULL, 0},
    {M_GET, "/stats", portal_page_stats, NULL, 0},
    {M_GET, "/admin", portal_page_admin_get, NULL, 0},
    {M_POST, "/admin/party", portal_page_admin_post, "party", 0},
    {M_POST, "/admin/registry", portal_page_admin_post, "registry", 0},
    {M_GET, "/recs", portal_page_recs, NULL, 0},
    {M_GET, "/recs/{rec}", portal_page_rec_get, NULL, 0},
    {M_POST, "/recs/{rec}/status", portal_page_rec_post, "status", 0},
    {M_POST, "/recs/{rec}/evidence", portal_page_rec_post, "evidence", 0},
    {M_GET, "/cases/{id}", portal_page_case_get, NULL, 0},
    {M_GET, "/cases/{id}/xarf", portal_page_case_xarf, NULL, 0},
    {M_POST, "/cases/{id}/acknowledge", portal_page_case_post, "acknowledge", 0},
    {M_POST, "/cases/{id}/resolve", portal_page_case_post, "resolve", 0},
    /* the JSON API */
    {M_POST, "/api/v1/reports", portal_api_report_post, NULL, PORTAL_R_API | PORTAL_R_REPORT},
    {M_GET, "/api/v1/reports/{token}", portal_api_report_get, NULL, PORTAL_R_API},
    {M_GET, "/api/v1/reports/{token}/xarf", portal_api_report_xarf, NULL, PORTAL_R_API},
    {M_GET, "/api/v1/cases", portal_api_cases_get, NULL, PORTAL_R_API},
    {M_GET, "/api/v1/cases/{id}", portal_api_case_get, NULL, PORTAL_R_API},
    {M_GET, "/api/v1/cases/{id}/xarf", portal_api_case_xarf, NULL, PORTAL_R_API},
    {M_POST, "/api/v1/cases/{id}/acknowledge", portal_api_case_post, "acknowledge", PORTAL_R_API},
    {M_POST, "/api/v1/cases/{id}/resolve", portal_api_case_post, "resolve", PORTAL_R_API},
    {M_GET, "/api/v1/recs", portal_api_recs_get, NULL, PORTAL_R_API},
    {M_GET, "/api/v1/recs/{rec}", portal_api_rec_get, NULL, PORTAL_R_API},
    {M_POST, "/api/v1/recs/{rec}/status", portal_api_rec_post, "status", PORTAL_R_API},
    {M_POST, "/api/v1/recs/{rec}/evidence", portal_api_rec_post, "evidence", PORTAL_R_API},
    {M_GET, "/api/v1/stats", portal_api_stats, NULL, PORTAL_R_API},
    {M_GET, "/api/v1/categories", portal_api_categories, NULL, PORTAL_R_API},
    {M_GET | M_POST, "/api/v1/parties", portal_api_parties, NULL, PORTAL_R_API},
};

/* Where no route matched: the answer of the area the address is in.  An area's first variable
 * segment that is not a valid id answers bad_*; anything else under it answers miss_*. */
typedef struct {
	const char *prefix;
	const char *var; /* "{id}" or "{rec}": the segment right after the prefix; NULL none */
	int miss_status;
	const char *miss_title, *miss; /* title NULL: a JSON error */
	const char *bad_title, *bad;
} area_t;

static const area_t api_areas[] = {
    {"/api/v1/reports", NULL, 405, NULL,
     "POST /api/v1/reports or GET /api/v1/reports/{token}[/xarf]", NULL, NULL},
    {"/api/v1/cases", "{id}", 405, NULL,
     "GET /api/v1/cases[/{id}[/xarf]], POST .../{id}/acknowledge|resolve", NULL, "no such case"},
    {"/api/v1/recs", "{rec}", 405, NULL,
     "GET /api/v1/recs[/{id}], POST /api/v1/recs/{id}/status|evidence", NULL,
     "no such recommendation"},
};

static const area_t page_areas[] = {
    {"/recs", "{rec}", 404, "Not found", "There is no page at this address.",
     "No such recommendation", "There is no recommendation with this id."},
};

static bool method_ok(const req_t *q, unsigned m)
{
	if (strcmp(q->method, "GET") == 0 || strcmp(q->method, "HEAD") == 0) {
		return m & M_GET;
	}
	return (m & (strcmp(q->method, "POST") == 0 ? M_POST : M_OTHER)) != 0;
}

/* A variable segment's value s is valid for its kind: {id} into a->id, {token} and {rec} as
 * a->seg. */
static bool var_ok(const char *var, size_t vl, const char *s, route_args_t *a)
{
	if (vl == 4 && memcmp(var, "{id}", 4) == 0) {
		return portal_parse_id(s, &a->id);
	}
	a->seg = s;
	return vl != 5 || memcmp(var, "{rec}", 5) != 0 || portal_recs_id_ok(s);
}

/* The next segment of a path: *p moved past it, *len its length; NULL at the end.  Repeated
 * slashes and a trailing one are no segments. */
static const char *next_seg(const char **p, size_t *len)
{
	while (**p == '/') {
		(*p)++;
	}
	if (**p == '\0') {
		return NULL;
	}
	const char *s = *p;
	*len = strcspn(s, "/");
	*p += *len;
	return s;
}

/* The URL against a pattern, segment by segment; seg (PORTAL_SEG_MAX) holds the variable segment.
 */
static bool match(const char *pat, const char *url, route_args_t *a, char *seg)
{
	for (;;) {
		size_t pl = 0, ul = 0;
		const char *ps = next_seg(&pat, &pl), *us = next_seg(&url, &ul);
		if (ps == NULL || us == NULL) {
			return ps == NULL && us == NULL;
		}
		if (*ps == '{') {
			if (ul >= PORTAL_SEG_MAX) {
				return false;
			}
			memcpy(seg, us, ul);
			seg[ul] = '\0';
			if (!var_ok(ps, pl, seg, a)) {
				return false;
			}
		} else if (pl != ul || memcmp(ps, us, ul) != 0) {
			return false;
		}
	}
}

/* The route of the request (method and path), or NULL; a and seg filled for it. */
static const route_t *find(const req_t *q, route_args_t *a, char *seg)
{
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		*a = (route_args_t){0};
		if (method_ok(q, routes[i].methods) && match(routes[i].path, q->url, a, seg)) {
			a->arg = routes[i].arg;
			return &routes[i];
		}
	}
	return NULL;
}

static bool is_api(const req_t *q)
{
	return strncmp(q->url, "/api/", 5) == 0;
}

void portal_router_refuse(const req_t *q, resp_t *r, int status, const char *title, const char *msg)
{
	if (is_api(q)) {
		portal_resp_error(r, status, msg);
	} else {
		portal_page_message(q, r, status, title, msg);
	}
}

bool portal_router_preflight(ssr_portal_t *p, req_t *q, resp_t *r)
{
	if (strcmp(q->method, "POST") != 0) {
		return false;
	}
	route_args_t a;
	char seg[PORTAL_SEG_MAX];
	const route_t *rt = find(q, &a, seg);
	unsigned f = rt ? rt->flags : 0;
	if (f & PORTAL_R_OPS) {
		return false;
	}
	char m[160];
	if (!is_api(q)) {
		/* a page form: the anonymous ones carry the signed cookie, the others a session */
		if (((f & PORTAL_R_ANON) && !portal_page_csrf_cookie_ok(p, q)) ||
		    (!(f & (PORTAL_R_ANON | PORTAL_R_LOGOUT)) &&
		     portal_req_cookie(q, "ssr_session") == NULL)) {
			portal_page_csrf_refused(q, r);
			return true;
		}
	} else if (!(f & PORTAL_R_REPORT) && portal_req_header(q, "Authorization") == NULL) {
		portal_resp_error(r, 401,
		                  "an API token is required (Authorization: Bearer <token>)");
		return true;
	}
	if ((f & PORTAL_R_REPORT) && !portal_rate_ok(p, "report", q->ip, p->cfg.rate_ip, r)) {
		snprintf(m, sizeof(m),
		         "too many reports from your address: at most %u a minute; wait a moment "
		         "and send it again",
		         p->cfg.rate_ip);
		portal_router_refuse(q, r, 429, "Too many reports", m); /* Retry-After is set */
		return true;
	}
	if ((f & PORTAL_R_LOGIN) &&
	    !portal_rate_ok(p, "login", q->ip, PORTAL_LOGIN_PER_MINUTE, r)) {
		portal_page_message(q, r, 429, "Party login",
		                    "Too many login attempts from your address; wait a minute.");
		return true;
	}
	return false;
}

/* The path starts with prefix's segments; *rest what follows them. */
static bool under(const char *url, const char *prefix, const char **rest)
{
	for (;;) {
		size_t pl = 0, ul = 0;
		const char *ps = next_seg(&prefix, &pl);
		if (ps == NULL) {
			*rest = url;
			return true;
		}
		const char *us = next_seg(&url, &ul);
		if (us == NULL || pl != ul || memcmp(ps, us, ul) != 0) {
			return false;
		}
	}
}

/* No route took the request: its area's answer, or a 404. */
static void miss(const req_t *q, resp_t *r, bool api);

route_fn portal_router_lookup(const req_t *q, route_args_t *a, char seg[], unsigned *flags)
{
	const route_t *rt = find(q, a, seg);
	*flags = rt ? rt->flags : 0;
	return rt ? rt->fn : NULL;
}

void portal_router_miss(const req_t *q, resp_t *r)
{
	miss(q, r, is_api(q));
}

static void miss(const req_t *q, resp_t *r, bool api)
{
	const area_t *areas = api ? api_areas : page_areas;
	size_t n = api ? sizeof(api_areas) / sizeof(api_areas[0])
	               : sizeof(page_areas) / sizeof(page_areas[0]);
	for (size_t i = 0; i < n; i++) {
		const char *rest;
		if (!under(q->url, areas[i].prefix, &rest)) {
			continue;
		}
		const area_t *ar = &areas[i];
		size_t l = 0;
		const char *v = ar->var != NULL ? next_seg(&rest, &l) : NULL;
		if (v != NULL) {
			char seg[PORTAL_SEG_MAX];
			route_args_t a = {0};
			bool ok = l < PORTAL_SEG_MAX;
			if (ok) {
				memcpy(seg, v, l);
				seg[l] = '\0';
				ok = var_ok(ar->var, strlen(ar->var), seg, &a);
			}
			if (!ok) {
				portal_router_refuse(q, r, 404, ar->bad_title, ar->bad);
				return;
			}
		}
		portal_router_refuse(q, r, ar->miss_status, ar->miss_title, ar->miss);
		return;
	}
	portal_router_refuse(q, r, 404, "Not found",
	                     api ? "no such API endpoint" : "There is no page at this address.");
}

void portal_router_handle(ssr_portal_t *p, req_t *q, resp_t *r)
{
	route_args_t a;
	char seg[PORTAL_SEG_MAX];
	const route_t *rt = find(q, &a, seg);
	if (rt != NULL && (rt->flags & PORTAL_R_OPS)) {
		rt->fn(p, q, r, &a);
		return;
	}
	bool api = is_api(q);
	portal_auth_resolve(
	    p, q, !api); /* sessions for pages only: no cross-site request rides a cookie */
	if (api) {
		const char *rest;
		size_t l;
		if (!under(q->url, "/api/v1", &rest) || next_seg(&rest, &l) == NULL) {
			portal_resp_error(r, 404,
			                  "no such API endpoint (the API is under /api/v1/)");
			return;
		}
		if (q->auth.known &&
		    !portal_api_rate_ok(p, "account", q->auth.who.login, p->cfg.rate_account, r)) {
			return;
		}
	} else if (strcmp(q->method, "POST") == 0 && q->form == NULL) {
		portal_page_message(q, r, 415, "Form refused",
		                    "Forms are sent as application/x-www-form-urlencoded or "
		                    "multipart/form-data.");
		return;
	}
	if (rt != NULL) {
		rt->fn(p, q, r, &a);
	} else {
		miss(q, r, api);
	}
}
