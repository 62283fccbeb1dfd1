/* ssrwatch — the JSON API, /api/v1 (docs/API.md). */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "areas.h"
#include "auth.h"
#include "cases.h"
#include "intake.h"
#include "sla.h"
#include "views.h"
#include "vocab.h"
#include "xarf.h"
#include "ssrwatch/crypto.h"

static bool need_account(const req_t *q, resp_t *r)
{
	if (!q->auth.known) {
		portal_resp_error(r, 401,
		                  "an API token is required (Authorization: Bearer <token>)");
		return false;
	}
	return true;
}

bool portal_api_rate_ok(ssr_portal_t *p, const char *kind, const char *key, unsigned limit,
                        resp_t *r)
{
	if (portal_rate_ok(p, kind, key, limit, r)) {
		return true;
	}
	char m[96];
	snprintf(m, sizeof(m), "rate limit: at most %u requests per minute", limit);
	portal_resp_error(r, 429, m); /* keeps the Retry-After portal_rate_ok set */
	return false;
}

void portal_api_report_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)a;
	/* the per-IP rate limit was counted before the body was read (router.c) */
	json_t *in = portal_req_json_body(q, r);
	if (in == NULL) {
		atomic_fetch_add(&p->reports_rejected, 1);
		return;
	}
	json_t *res = NULL, *errs = NULL;
	ssr_diag_t d;
	int rc = portal_intake_submit(p, in, q->ip, &res, &errs, &d);
	json_decref(in);
	if (rc == SSR_EINVAL) {
		json_t *j = json_object();
		json_object_set_new(j, "error", json_string("invalid report"));
		json_object_set_new(j, "status", json_integer(422));
		json_object_set_new(j, "fields", errs);
		portal_resp_json(r, 422, j);
		return;
	}
	json_decref(errs);
	if (rc != SSR_EOK) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "%s", d.msg);
		portal_resp_error(r, 503,
		                  "the report could not be stored; nothing was kept, try again");
		return;
	}
	portal_resp_json(r, 201, res);
}

void portal_api_report_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)q;
	const char *token = a->seg;
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_diag_t d;
	json_t *rep = NULL;
	int rc = portal_report_by_token(st, token, &rep, &d);
	portal_pool_put(&p->pool, st);
	if (rc == SSR_ENOTFOUND) {
		portal_resp_error(r, 404, "no report with this token");
	} else if (rc != SSR_EOK) {
		portal_resp_error(r, 500, "the store failed");
	} else {
		portal_resp_json(r, 200, rep);
	}
}

/* XARF of the reporter's own report: one XARF report per case domain, with the reporter's
 * contact. */
void portal_api_report_xarf(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *args)
{
	(void)q;
	const char *token = args->seg;
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_diag_t d;
	json_t *rep = NULL, *a = json_array();
	int rc = portal_report_by_token(st, token, &rep, &d);
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
	portal_pool_put(&p->pool, st);
	json_decref(rep);
	if (rc == SSR_ENOTFOUND) {
		json_decref(a);
		portal_resp_error(r, 404, "no report with this token");
	} else if (rc != SSR_EOK) {
		json_decref(a);
		portal_resp_error(r, 500, "the store failed");
	} else {
		json_t *j = json_object();
		json_object_set_new(j, "xarf", a);
		portal_resp_json(r, 200, j);
	}
}

void portal_api_cases_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)a;
	if (!need_account(q, r)) {
		return;
	}
	ssr_case_row_t *rows = NULL;
	size_t n = 0;
	const char *msg = NULL;
	int limit = 0, st = portal_case_list(p, q, &rows, &n, &limit, &msg);
	if (st != 0) {
		portal_resp_error(r, st, msg);
		return;
	}
	json_t *cases = NULL, *j = NULL;
	ssr_diag_t d = {0};
	if (portal_view_case_rows(rows, n, &cases, &d) != SSR_EOK || (j = json_object()) == NULL) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "cases: %s", d.msg);
		json_decref(cases);
		ssr_store_case_rows_free(rows, n);
		portal_resp_error(r, 500, "the store failed");
		return;
	}
	json_object_set_new(j, "cases", cases);
	if (n > 0 && n == (size_t)limit) {
		json_object_set_new(j, "next_before", json_integer(rows[n - 1].id));
	}
	ssr_store_case_rows_free(rows, n);
	portal_resp_json(r, 200, j);
}

void portal_api_case_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	int64_t id = a->id;
	if (!need_account(q, r)) {
		return;
	}
	json_t *c = NULL;
	int rc = portal_case_view(p, q, id, &c);
	if (rc == SSR_ENOTFOUND) {
		portal_resp_error(r, 404, "no such case");
	} else if (rc != SSR_EOK) {
		portal_resp_error(r, 500, "the store failed");
	} else {
		portal_resp_json(r, 200, c);
	}
}

void portal_api_case_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	int64_t id = a->id;
	const char *action = a->arg;
	if (!need_account(q, r)) {
		return;
	}
	const char *outcome = NULL, *reason = NULL;
	json_t *in = NULL;
	if (strcmp(action, "resolve") == 0) {
		if ((in = portal_req_json_body(q, r)) == NULL) {
			return;
		}
		outcome = json_string_value(json_object_get(in, "outcome"));
		reason = json_string_value(json_object_get(in, "reason"));
	}
	const char *msg = NULL;
	int st = portal_case_action(p, id, portal_auth_party(q), action, outcome, reason, &msg);
	json_decref(in);
	if (st != 0) {
		portal_resp_error(r, st, msg);
		return;
	}
	json_t *c = NULL;
	if (portal_case_view(p, q, id, &c) == SSR_EOK) {
		portal_resp_json(r, 200, c);
	} else {
		portal_resp_error(r, 500, "the store failed");
	}
}

void portal_api_stats(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)a;
	if (!portal_api_rate_ok(p, "stats", q->ip, p->cfg.rate_ip, r)) {
		return;
	}
	ssr_diag_t d;
	json_t *j = NULL;
	int rc = portal_sla_cached(p, &j, &d);
	if (rc != SSR_EOK) {
		portal_resp_error(r, 500, "the store failed");
		return;
	}
	portal_resp_json(r, 200, j);
}

typedef struct {
	json_t *in;
	int64_t now, id;
} party_job_t;

/* A party as the API shows it (never its secret; absent values null). */
static json_t *opt_str(const char *v)
{
	return v != NULL ? json_string(v) : json_null();
}

static json_t *party_json(const ssr_party_t *p)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:b}", "id", (json_int_t)p->id,
	                 "kind", opt_str(p->kind), "name", opt_str(p->name), "iana_id",
	                 p->iana_id > 0 ? json_integer(p->iana_id) : json_null(), "handle",
	                 opt_str(p->handle), "email", opt_str(p->email), "webhook",
	                 opt_str(p->webhook), "by_email", p->by_email, "by_webhook", p->by_webhook,
	                 "has_secret", p->has_secret);
}

/* The API body {kind, name, iana_id, handle, email, webhook, secret, delivery: [...]} as the
 * party rule's input; its strings stay the body's, the delivery list is joined into buf. */
static int party_input(json_t *in, ssr_party_input_t *pi, char *iana, char *buf, size_t cap,
                       ssr_diag_t *diag)
{
	if (!json_is_object(in)) {
		return ssr_diag_set(diag, SSR_EINVAL, "party: a JSON object is expected");
	}
	pi->kind = json_string_value(json_object_get(in, "kind"));
	pi->name = json_string_value(json_object_get(in, "name"));
	pi->handle = json_string_value(json_object_get(in, "handle"));
	pi->email = json_string_value(json_object_get(in, "email"));
	pi->webhook = json_string_value(json_object_get(in, "webhook"));
	pi->secret = json_string_value(json_object_get(in, "secret"));
	json_t *v = json_object_get(in, "iana_id");
	if (json_is_integer(v)) {
		snprintf(iana, 24, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		pi->iana_id = iana;
	} else if (v != NULL && !json_is_null(v)) {
		pi->iana_id = "-"; /* not a number: the rule refuses it */
	}
	json_t *dl = json_object_get(in, "delivery");
	if (dl != NULL) {
		const char *name = pi->name ? pi->name : "";
		if (!json_is_array(dl)) {
			return ssr_diag_set(
			    diag, SSR_EINVAL,
			    "party '%s': delivery must be a list of \"email\", \"webhook\"", name);
		}
		size_t i, o = 0;
		buf[0] = '\0';
		json_array_foreach(dl, i, v)
		{
			const char *c = json_string_value(v);
			if (c == NULL || strchr(c, ',') != NULL || o + strlen(c) + 2 > cap) {
				return ssr_diag_set(
				    diag, SSR_EINVAL,
				    "party '%s': unknown delivery '%.40s' (email, webhook)", name,
				    c ? c : "?");
			}
			o += (size_t)snprintf(buf + o, cap - o, "%s%s", o ? "," : "", c);
		}
		pi->delivery = buf;
	}
	return SSR_EOK;
}

static int party_write(ssr_store_t *st, void *ctx, ssr_diag_t *diag)
{
	party_job_t *j = ctx;
	ssr_party_input_t pi = {0};
	char iana[24], dl[64];
	int rc = party_input(j->in, &pi, iana, dl, sizeof(dl), diag);
	return rc != SSR_EOK ? rc : ssr_portal_party_put(st, &pi, j->now, &j->id, diag);
}

void portal_api_parties(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)a;
	if (!need_account(q, r)) {
		return;
	}
	if (!portal_auth_admin(q)) {
		portal_resp_error(r, 403, "administrators only");
		return;
	}
	ssr_diag_t d;
	if (strcmp(q->method, "POST") == 0) {
		party_job_t job = {portal_req_json_body(q, r), portal_now(p), 0};
		if (job.in == NULL) {
			return;
		}
		int rc = portal_writer_run(&p->writer, party_write, &job, &d);
		json_decref(job.in);
		if (rc == SSR_EINVAL) {
			portal_resp_error(r, 422, d.msg);
			return;
		}
		if (rc != SSR_EOK) {
			portal_resp_error(r, 500, "the store failed");
			return;
		}
		ssr_store_t *st = portal_pool_get(&p->pool);
		ssr_party_t pr = {0};
		rc = ssr_store_party_get(st, job.id, false, &pr, &d);
		portal_pool_put(&p->pool, st);
		json_t *j = rc == SSR_EOK ? party_json(&pr) : NULL;
		ssr_store_party_release(&pr);
		if (j == NULL) {
			portal_resp_error(r, 500, "the store failed");
			return;
		}
		portal_resp_json(r, 201, j);
		return;
	}
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_party_t *rows = NULL;
	size_t n = 0;
	int rc = ssr_store_parties(st, &rows, &n, &d);
	portal_pool_put(&p->pool, st);
	json_t *list = rc == SSR_EOK ? json_array() : NULL;
	for (size_t i = 0; list != NULL && i < n; i++) {
		if (json_array_append_new(list, party_json(&rows[i])) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	ssr_store_parties_free(rows, n);
	if (list == NULL) {
		portal_resp_error(r, 500, "the store failed");
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "parties", list);
	portal_resp_json(r, 200, o);
}

void portal_api_categories(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *args)
{
	(void)p;
	(void)q;
	(void)args;
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
	portal_resp_json(r, 200, j);
}

void portal_api_case_xarf(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	if (need_account(q, r)) {
		portal_case_xarf_answer(p, q, a->id, r);
	}
}
