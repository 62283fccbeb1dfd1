/* ssrwatch — the JSON API, /api/v1 (docs/API.md). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "portal_priv.h"
#include "ssrwatch/crypto.h"

/* The JSON body of a POST; NULL with the response set when it is not one. */
json_t *api_json_body(const req_t *q, resp_t *r)
{
	const char *ct = req_header(q, "Content-Type");
	if (!portal_media_type_is(ct, "application/json")) {
		resp_error(r, 415, "the body must be JSON (Content-Type: application/json)");
		return NULL;
	}
	if (q->len == 0) {
		resp_error(r, 400, "empty body: a JSON object is expected");
		return NULL;
	}
	json_error_t e;
	json_t *j = json_loadb(q->body, q->len, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL) {
		char m[300];
		snprintf(m, sizeof(m), "malformed JSON at line %d column %d: %s", e.line, e.column,
		         e.text);
		resp_error(r, 400, m);
	}
	return j;
}

static bool need_account(const req_t *q, resp_t *r)
{
	if (!q->auth.known) {
		resp_error(r, 401, "an API token is required (Authorization: Bearer <token>)");
		return false;
	}
	return true;
}

static bool rate_ok(ssr_portal_t *p, const char *kind, const char *key, unsigned limit, resp_t *r)
{
	if (portal_rate_ok(p, kind, key, limit, r)) {
		return true;
	}
	char m[96];
	snprintf(m, sizeof(m), "rate limit: at most %u requests per minute", limit);
	resp_error(r, 429, m); /* keeps the Retry-After portal_rate_ok set */
	return false;
}

static void post_report(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	/* the per-IP rate limit was counted before the body was read (server.c) */
	json_t *in = api_json_body(q, r);
	if (in == NULL) {
		atomic_fetch_add(&p->reports_rejected, 1);
		return;
	}
	json_t *res = NULL, *errs = NULL;
	ssr_diag_t d;
	int rc = intake_submit(p, in, q->ip, &res, &errs, &d);
	json_decref(in);
	if (rc == SSR_EINVAL) {
		atomic_fetch_add(&p->reports_rejected, 1);
		json_t *j = json_object();
		json_object_set_new(j, "error", json_string("invalid report"));
		json_object_set_new(j, "status", json_integer(422));
		json_object_set_new(j, "fields", errs);
		resp_json(r, 422, j);
		return;
	}
	json_decref(errs);
	if (rc != SSR_EOK) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "%s", d.msg);
		resp_error(r, 503, "the report could not be stored; nothing was kept, try again");
		return;
	}
	atomic_fetch_add(&p->reports_ok, 1);
	resp_json(r, 201, res);
}

static void get_report(ssr_portal_t *p, const char *token, resp_t *r)
{
	ssr_store_t *st = pool_get(&p->pool);
	ssr_diag_t d;
	json_t *rep = NULL;
	int rc = report_by_token(st, token, &rep, &d);
	pool_put(&p->pool, st);
	if (rc == SSR_ENOTFOUND) {
		resp_error(r, 404, "no report with this token");
	} else if (rc != SSR_EOK) {
		resp_error(r, 500, "the store failed");
	} else {
		resp_json(r, 200, rep);
	}
}

/* XARF of the reporter's own report: one XARF report per case domain, with the reporter's
 * contact. */
static void get_report_xarf(ssr_portal_t *p, const char *token, resp_t *r)
{
	ssr_store_t *st = pool_get(&p->pool);
	ssr_diag_t d;
	json_t *rep = NULL, *a = json_array();
	int rc = report_by_token(st, token, &rep, &d);
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(rep, "cases"), i, c)
	{
		json_t *x = NULL;
		if (rc == SSR_EOK &&
		    (rc = portal_xarf(p, st, json_integer_value(json_object_get(rep, "id")),
		                      json_integer_value(json_object_get(rep, "received")),
		                      json_object_get(rep, "body"),
		                      json_string_value(json_object_get(c, "domain")), true, &x,
		                      &d)) == SSR_EOK) {
			json_array_append_new(a, x);
		}
	}
	pool_put(&p->pool, st);
	json_decref(rep);
	if (rc == SSR_ENOTFOUND) {
		json_decref(a);
		resp_error(r, 404, "no report with this token");
	} else if (rc != SSR_EOK) {
		json_decref(a);
		resp_error(r, 500, "the store failed");
	} else {
		json_t *j = json_object();
		json_object_set_new(j, "xarf", a);
		resp_json(r, 200, j);
	}
}

void api_case_xarf(ssr_portal_t *p, const req_t *q, int64_t id, resp_t *r)
{
	json_t *c = NULL, *x = NULL;
	int rc = case_view(p, q, id, &c);
	if (rc == SSR_EOK) {
		ssr_store_t *st = pool_get(&p->pool);
		ssr_diag_t d;
		rc = portal_case_xarf(p, st, c, &x, &d);
		pool_put(&p->pool, st);
	}
	json_decref(c);
	if (rc == SSR_ENOTFOUND) {
		resp_error(r, 404, "no such case");
	} else if (rc != SSR_EOK) {
		resp_error(r, 500, "the store failed");
	} else {
		json_t *j = json_object();
		json_object_set_new(j, "case_id", json_integer(id));
		json_object_set_new(j, "xarf", x);
		resp_json(r, 200, j);
	}
}

static void list_cases(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	if (!need_account(q, r)) {
		return;
	}
	json_t *cases = NULL;
	const char *msg = NULL;
	int limit = 0, st = case_list(p, q, &cases, &limit, &msg);
	if (st != 0) {
		resp_error(r, st, msg);
		return;
	}
	json_t *j = json_object();
	size_t n = json_array_size(cases);
	json_object_set_new(j, "cases", cases);
	if (n == (size_t)limit) {
		json_object_set(j, "next_before",
		                json_object_get(json_array_get(cases, n - 1), "id"));
	}
	resp_json(r, 200, j);
}

static void case_get(ssr_portal_t *p, const req_t *q, int64_t id, resp_t *r)
{
	if (!need_account(q, r)) {
		return;
	}
	json_t *c = NULL;
	int rc = case_view(p, q, id, &c);
	if (rc == SSR_ENOTFOUND) {
		resp_error(r, 404, "no such case");
	} else if (rc != SSR_EOK) {
		resp_error(r, 500, "the store failed");
	} else {
		resp_json(r, 200, c);
	}
}

static void case_act(ssr_portal_t *p, const req_t *q, int64_t id, const char *action, resp_t *r)
{
	if (!need_account(q, r)) {
		return;
	}
	const char *outcome = NULL, *reason = NULL;
	json_t *in = NULL;
	if (strcmp(action, "resolve") == 0) {
		if ((in = api_json_body(q, r)) == NULL) {
			return;
		}
		outcome = json_string_value(json_object_get(in, "outcome"));
		reason = json_string_value(json_object_get(in, "reason"));
	}
	const char *msg = NULL;
	int st = case_action(p, id, auth_party(q), action, outcome, reason, &msg);
	json_decref(in);
	if (st != 0) {
		resp_error(r, st, msg);
		return;
	}
	json_t *c = NULL;
	if (case_view(p, q, id, &c) == SSR_EOK) {
		resp_json(r, 200, c);
	} else {
		resp_error(r, 500, "the store failed");
	}
}

/* The portal's figures for /stats and /api/v1/stats: computed at most every stats_cache_s
 * seconds (of the portal's clock and of real time), by one request at a time; the others wait
 * for that computation and share it.  *out is the caller's copy. */
int portal_sla_cached(ssr_portal_t *p, json_t **out, ssr_diag_t *diag)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t mono = (int64_t)ts.tv_sec, now = portal_now(p);
	int64_t life = (int64_t)p->cfg.stats_cache_s;
	pthread_mutex_lock(&p->stats_mu);
	json_t *c = p->stats_cache;
	int64_t at = c ? json_integer_value(json_object_get(c, "at")) : 0;
	if (c != NULL && life > 0 && mono - p->stats_at < life && now >= at && now - at < life &&
	    p->stats_ack_s == p->cfg.sla_ack_s && p->stats_action_s == p->cfg.sla_action_s) {
		*out = json_deep_copy(c);
		pthread_mutex_unlock(&p->stats_mu);
		atomic_fetch_add(&p->stats_cached, 1);
		return *out ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "sla: out of memory");
	}
	ssr_sla_opts_t o = {p->cfg.sla_ack_s, p->cfg.sla_action_s, now};
	ssr_store_t *st = pool_get(&p->pool);
	json_t *j = NULL;
	int rc = ssr_portal_sla(st, &o, &j, diag);
	pool_put(&p->pool, st);
	if (rc == SSR_EOK) {
		json_decref(p->stats_cache);
		p->stats_cache = j;
		p->stats_at = mono;
		p->stats_ack_s = o.ack_s;
		p->stats_action_s = o.action_s;
		*out = json_deep_copy(j);
		rc = *out ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "sla: out of memory");
		atomic_fetch_add(&p->stats_computed, 1);
	}
	pthread_mutex_unlock(&p->stats_mu);
	return rc;
}

static void stats(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	if (!rate_ok(p, "stats", q->ip, p->cfg.rate_ip, r)) {
		return;
	}
	ssr_diag_t d;
	json_t *j = NULL;
	int rc = portal_sla_cached(p, &j, &d);
	if (rc != SSR_EOK) {
		resp_error(r, 500, "the store failed");
		return;
	}
	resp_json(r, 200, j);
}

typedef struct {
	json_t *in;
	int64_t now, id;
} party_job_t;

static int party_write(ssr_store_t *st, void *ctx, ssr_diag_t *diag)
{
	party_job_t *j = ctx;
	return ssr_portal_party_put(st, j->in, j->now, &j->id, diag);
}

static void parties(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	if (!need_account(q, r)) {
		return;
	}
	if (!auth_admin(q)) {
		resp_error(r, 403, "administrators only");
		return;
	}
	ssr_diag_t d;
	if (strcmp(q->method, "POST") == 0) {
		party_job_t job = {api_json_body(q, r), portal_now(p), 0};
		if (job.in == NULL) {
			return;
		}
		int rc = writer_run(&p->writer, party_write, &job, &d);
		json_decref(job.in);
		if (rc == SSR_EINVAL) {
			resp_error(r, 422, d.msg);
			return;
		}
		if (rc != SSR_EOK) {
			resp_error(r, 500, "the store failed");
			return;
		}
		ssr_store_t *st = pool_get(&p->pool);
		json_t *j = NULL;
		rc = ssr_store_party_get(st, job.id, false, &j, &d);
		pool_put(&p->pool, st);
		if (rc != SSR_EOK) {
			resp_error(r, 500, "the store failed");
			return;
		}
		resp_json(r, 201, j);
		return;
	}
	ssr_store_t *st = pool_get(&p->pool);
	json_t *j = NULL;
	int rc = ssr_store_parties(st, &j, &d);
	pool_put(&p->pool, st);
	if (rc != SSR_EOK) {
		resp_error(r, 500, "the store failed");
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "parties", j);
	resp_json(r, 200, o);
}

static void categories(resp_t *r)
{
	static const char *need[] = {
	    "a URL among the targets, and evidence.imitates",
	    "a download URL among the targets or evidence.sample_sha256, and evidence.description",
	    "evidence.description and evidence.observed",
	    ("evidence.description of at least 20 characters, evidence.smtp_from and "
	     "evidence.source_port (the SMTP envelope XARF's spam type needs)"),
	    "evidence.imitates and evidence.legitimate_site",
	    "evidence.description of at least 20 characters"};
	json_t *a = json_array();
	for (int i = 0; portal_categories[i] != NULL; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(portal_categories[i]));
		json_object_set_new(o, "requires", json_string(need[i]));
		json_array_append_new(a, o);
	}
	json_t *j = json_object();
	json_object_set_new(j, "categories", a);
	json_t *oc = json_array();
	for (int i = 0; portal_outcomes[i] != NULL; i++) {
		json_array_append_new(oc, json_string(portal_outcomes[i]));
	}
	json_object_set_new(j, "outcomes", oc);
	resp_json(r, 200, j);
}

void api_handle(ssr_portal_t *p, req_t *q, resp_t *r)
{
	char parts[SSR_PATH_PARTS][SSR_PATH_PART];
	int n = portal_split_path(q->url, parts);
	if (n < 3 || strcmp(parts[0], "api") != 0 || strcmp(parts[1], "v1") != 0) {
		resp_error(r, 404, "no such API endpoint (the API is under /api/v1/)");
		return;
	}
	if (q->auth.known && !rate_ok(p, "account", q->auth.who.login, p->cfg.rate_account, r)) {
		return;
	}
	const char *m = q->method, *res = parts[2];
	bool get = strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0, post = strcmp(m, "POST") == 0;
	int64_t id = 0;
	if (strcmp(res, "reports") == 0) {
		if (n == 3 && post) {
			post_report(p, q, r);
		} else if (n == 4 && get) {
			get_report(p, parts[3], r);
		} else if (n == 5 && get && strcmp(parts[4], "xarf") == 0) {
			get_report_xarf(p, parts[3], r);
		} else {
			resp_error(r, 405,
			           "POST /api/v1/reports or GET /api/v1/reports/{token}[/xarf]");
		}
	} else if (strcmp(res, "cases") == 0) {
		if (n == 3 && get) {
			list_cases(p, q, r);
		} else if (n >= 4 && !portal_parse_id(parts[3], &id)) {
			resp_error(r, 404, "no such case");
		} else if (n == 4 && get) {
			case_get(p, q, id, r);
		} else if (n == 5 && get && strcmp(parts[4], "xarf") == 0) {
			if (need_account(q, r)) {
				api_case_xarf(p, q, id, r);
			}
		} else if (n == 5 && post &&
		           (strcmp(parts[4], "acknowledge") == 0 ||
		            strcmp(parts[4], "resolve") == 0)) {
			case_act(p, q, id, parts[4], r);
		} else {
			resp_error(
			    r, 405,
			    "GET /api/v1/cases[/{id}[/xarf]], POST .../{id}/acknowledge|resolve");
		}
	} else if (recs_api_handle(p, q, r, parts, n)) {
		/* the recommendation tracker */
	} else if (strcmp(res, "stats") == 0 && n == 3 && get) {
		stats(p, q, r);
	} else if (strcmp(res, "categories") == 0 && n == 3 && get) {
		categories(r);
	} else if (strcmp(res, "parties") == 0 && n == 3 && (get || post)) {
		parties(p, q, r);
	} else {
		resp_error(r, 404, "no such API endpoint");
	}
}
