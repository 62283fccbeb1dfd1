/* ssrwatch — what parties do with cases: view, acknowledge, resolve with an outcome.  Every
 * action is an event on the case's timeline; the SLA figures come from those events. */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "cases.h"
#include "views.h"
#include "vocab.h"
#include "writer.h"
#include "xarf.h"
#include "ssrwatch/crypto.h"

typedef struct {
	int64_t case_id, party_id, now;
	const char *action, *outcome, *reason;
	int status;      /* HTTP status when refused */
	const char *msg; /* why */
} act_t;

static int act_write(ssr_store_t *st, void *ctx, ssr_diag_t *diag)
{
	act_t *a = ctx;
	bool member = false, acked = false, resolved = false;
	int rc = ssr_store_case_has_party(st, a->case_id, a->party_id, &member, diag);
	if (rc == SSR_EOK && !member) {
		a->status = 404, a->msg = "no such case";
		return SSR_ENOTFOUND;
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_case_progress(st, a->case_id, a->party_id, &acked, &resolved, diag);
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	if (resolved) {
		a->status = 409, a->msg = "the case is already resolved by this party";
		return SSR_EINVAL;
	}
	if (strcmp(a->action, "acknowledge") == 0) {
		if (acked) {
			a->status = 409, a->msg = "the case is already acknowledged by this party";
			return SSR_EINVAL;
		}
		rc = ssr_store_event_add(st, a->case_id, a->party_id, "acknowledged", a->now, NULL,
		                         diag);
		if (rc == SSR_EOK) {
			rc = ssr_store_case_acknowledged(st, a->case_id, diag);
		}
		return rc;
	}
	char detail[600];
	if (a->reason != NULL && *a->reason) {
		snprintf(detail, sizeof(detail), "%s: %s", a->outcome, a->reason);
	} else {
		snprintf(detail, sizeof(detail), "%s", a->outcome);
	}
	rc = ssr_store_event_add(st, a->case_id, a->party_id, "resolved", a->now, detail, diag);
	/* the case closes when the name is dealt with (suspended, deleted, transferred) or
	 * when every party it was routed to has answered */
	int64_t left = 0;
	if (rc == SSR_EOK) {
		rc = ssr_store_case_unresolved(st, a->case_id, &left, diag);
	}
	bool mitigated = strcmp(a->outcome, "suspended") == 0 ||
	                 strcmp(a->outcome, "deleted") == 0 ||
	                 strcmp(a->outcome, "transferred") == 0;
	if (rc == SSR_EOK && (mitigated || left == 0)) {
		rc = ssr_store_case_set_status(st, a->case_id, "closed", a->now, diag);
		if (rc == SSR_EOK) {
			rc = ssr_store_event_add(st, a->case_id, 0, "closed", a->now, detail, diag);
		}
	}
	return rc;
}

int portal_case_action(ssr_portal_t *p, int64_t case_id, int64_t party_id, const char *action,
                       const char *outcome, const char *reason, const char **msg)
{
	if (party_id <= 0) {
		*msg = "only a party the case is routed to can act on it";
		return 403;
	}
	if (strcmp(action, "resolve") == 0) {
		if (outcome == NULL || !portal_is_outcome(outcome)) {
			*msg =
			    "outcome: one of suspended, deleted, transferred, no-action, not-ours";
			return 422;
		}
		if (strcmp(outcome, "no-action") == 0 && (reason == NULL || strlen(reason) < 3)) {
			*msg = "reason: a no-action outcome needs a reason";
			return 422;
		}
		if (reason != NULL && strlen(reason) > 500) {
			*msg = "reason: longer than 500 characters";
			return 422;
		}
	}
	act_t a = {case_id, party_id, portal_now(p), action, outcome, reason, 0, NULL};
	ssr_diag_t d;
	int rc = portal_writer_run(&p->writer, act_write, &a, &d);
	if (rc == SSR_EOK) {
		return 0;
	}
	if (a.status != 0) {
		*msg = a.msg;
		return a.status;
	}
	ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "%s", d.msg);
	*msg = "the store failed; nothing was changed";
	return 500;
}

int portal_case_document(ssr_store_t *st, int64_t case_id, bool reporters, json_t **out,
                         ssr_diag_t *diag)
{
	ssr_case_t c = {0};
	int rc = ssr_store_case_get(st, case_id, &c, diag);
	if (rc == SSR_EOK) {
		rc = portal_view_case(&c, reporters, out, diag);
		ssr_store_case_release(&c);
	}
	return rc;
}

int portal_case_view(ssr_portal_t *p, const req_t *q, int64_t case_id, json_t **out)
{
	int64_t party = portal_auth_party(q);
	bool admin = portal_auth_admin(q);
	if (party <= 0 && !admin) {
		return SSR_ENOTFOUND;
	}
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_diag_t d;
	bool member = admin;
	int rc = SSR_EOK;
	if (!admin) {
		rc = ssr_store_case_has_party(st, case_id, party, &member, &d);
	}
	if (rc == SSR_EOK && !member) {
		rc = SSR_ENOTFOUND;
	}
	if (rc == SSR_EOK) {
		/* parties see the evidence, not who reported it */
		rc = portal_case_document(st, case_id, admin, out, &d);
	}
	ssr_delivery_attempt_t *log = NULL;
	size_t nlog = 0;
	json_t *jlog = NULL;
	if (rc == SSR_EOK && ssr_store_delivery_log(st, case_id, &log, &nlog, &d) == SSR_EOK &&
	    portal_view_deliveries(log, nlog, &jlog, &d) == SSR_EOK) {
		json_object_set_new(*out, "deliveries", jlog);
	}
	ssr_store_delivery_log_free(log, nlog);
	portal_pool_put(&p->pool, st);
	if (rc != SSR_EOK && rc != SSR_ENOTFOUND) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "case %lld: %s", (long long)case_id,
		        d.msg);
	}
	return rc;
}

int portal_case_list(ssr_portal_t *p, const req_t *q, ssr_case_row_t **cases, size_t *n, int *limit,
                     const char **msg)
{
	ssr_case_filter_t f = {.party_id = portal_auth_party(q),
	                       .status = portal_req_query(q, "status"),
	                       .category = portal_req_query(q, "category"),
	                       .domain = portal_req_query(q, "domain"),
	                       .limit = 100};
	if (f.party_id <= 0 && !portal_auth_admin(q)) {
		*msg = "this account belongs to no party";
		return 403;
	}
	const char *lim = portal_req_query(q, "limit"), *before = portal_req_query(q, "before");
	int64_t v;
	if (lim != NULL) {
		if (!portal_parse_id(lim, &v) || v > 1000) {
			*msg = "limit: a number from 1 to 1000";
			return 400;
		}
		f.limit = (int)v;
	}
	if (before != NULL) {
		if (!portal_parse_id(before, &v)) {
			*msg = "before: a case id";
			return 400;
		}
		f.before_id = v;
	}
	if (f.status && strcmp(f.status, "open") && strcmp(f.status, "acknowledged") &&
	    strcmp(f.status, "closed")) {
		*msg = "status: open, acknowledged or closed";
		return 400;
	}
	if (f.category && !portal_is_category(f.category)) {
		*msg = "category: unknown";
		return 400;
	}
	if (f.domain &&
	    (strlen(f.domain) > 253 ||
	     strspn(f.domain, "abcdefghijklmnopqrstuvwxyz0123456789-.") != strlen(f.domain))) {
		*msg = "domain: lowercase letters, digits, '-' and '.'";
		return 400;
	}
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_diag_t d;
	int rc = ssr_store_cases(st, &f, cases, n, &d);
	portal_pool_put(&p->pool, st);
	if (rc != SSR_EOK) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "%s", d.msg);
		*msg = "the store failed";
		return 500;
	}
	*limit = f.limit;
	return 0;
}

int portal_report_by_token(ssr_store_t *st, const char *token, json_t **out, ssr_diag_t *diag)
{
	if (strlen(token) > 128) {
		return SSR_ENOTFOUND; /* tokens are 43 characters; no digest of a longer text */
	}
	char digest[65];
	ssr_sha256_hex(token, digest);
	ssr_report_t rep = {0};
	int rc = ssr_store_report_by_token(st, digest, &rep, diag);
	if (rc == SSR_EOK) {
		rc = portal_view_report(&rep, out, diag);
		ssr_store_report_release(&rep);
	}
	return rc;
}

void portal_case_xarf_answer(ssr_portal_t *p, const req_t *q, int64_t id, resp_t *r)
{
	json_t *c = NULL, *x = NULL;
	int rc = portal_case_view(p, q, id, &c);
	if (rc == SSR_EOK) {
		ssr_store_t *st = portal_pool_get(&p->pool);
		ssr_diag_t d;
		rc = portal_case_xarf(p, st, c, &x, &d);
		portal_pool_put(&p->pool, st);
	}
	json_decref(c);
	if (rc == SSR_ENOTFOUND) {
		portal_resp_error(r, 404, "no such case");
	} else if (rc != SSR_EOK) {
		portal_resp_error(r, 500, "the store failed");
	} else {
		json_t *j = json_object();
		json_object_set_new(j, "case_id", json_integer(id));
		json_object_set_new(j, "xarf", x);
		portal_resp_json(r, 200, j);
	}
}
