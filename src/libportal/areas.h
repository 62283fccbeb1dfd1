/* ssrwatch — libportal's page and API areas as the router (router.c) calls them: one function
 * per route, all of one signature.  Private. */
#pragma once

#include "http.h"
#include "portal_priv.h"

#pragma GCC visibility push(hidden)

/* What the router matched besides the method and the literal parts. */
typedef struct {
	int64_t id;      /* {id}: a positive number */
	const char *seg; /* {token} or {rec}: the path segment */
	const char *arg; /* the route's own argument (an action, a flag's name) */
} route_args_t;

typedef void (*route_fn)(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);

/* Operations (ops.c): no authentication. */
void portal_ops_healthz(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_ops_metrics(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);

/* The reporter's pages (page_report.c). */
void portal_page_home(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_page_report_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_page_report_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_page_reporter(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);

/* Login and logout (page_login.c). */
void portal_page_login_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_page_login_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_page_logout_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);

/* A party's inbox and cases (page_cases.c); a->arg of a post: "acknowledge" or "resolve". */
void portal_page_inbox(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_page_case_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_page_case_xarf(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_page_case_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);

/* SLA statistics (portal_page_stats.c). */
void portal_page_stats(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);

/* Administration (page_admin.c); a->arg of a post: "party" or "registry". */
void portal_page_admin_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_page_admin_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);

/* The recommendation tracker (recs.c); a->arg of a post: "status" or "evidence". */
void portal_page_recs(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_page_rec_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_page_rec_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_api_recs_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_api_rec_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_api_rec_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
/* A recommendation id as the tracker's paths carry it. */
bool portal_recs_id_ok(const char *id);

/* The JSON API (api.c); a->arg of a case post: "acknowledge" or "resolve". */
void portal_api_report_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_api_report_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_api_report_xarf(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_api_cases_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_api_case_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_api_case_xarf(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_api_case_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_api_stats(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_api_categories(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
void portal_api_parties(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a);
/* Count a hit against a per-minute limit; false with a JSON 429 (Retry-After) set in r. */
bool portal_api_rate_ok(ssr_portal_t *p, const char *kind, const char *key, unsigned limit,
                        resp_t *r);

#pragma GCC visibility pop
