/* ssrwatch — the recommendation tracker in the portal (SSR2 Rec 1; SSR1 Recs 19 and 27).
 *
 *   /recs                   public dashboard: status chart per review, filters (review,
 *                           status, priority, owner), every recommendation, action items
 *   /recs/{id}              one recommendation: history, evidence, live figure, actions;
 *                           editors get the status and evidence forms
 *   POST /recs/{id}/status, /recs/{id}/evidence          editors, CSRF token
 *   GET /api/v1/recs[/{id}], POST /api/v1/recs/{id}/status|evidence   (editor tokens)
 *
 * Everyone reads everything; only editors (and admins) change anything.  Status changes go
 * through the workflow rules and are appended to the history, never edited. */
#define _GNU_SOURCE /* strcasestr */
#include <stdlib.h>
#include <string.h>

#include "areas.h"
#include "auth.h"
#include "html.h"
#include "writer.h"
#include "ssrwatch/date.h"
#include "ssrwatch/recs.h"
#include "ssrwatch/recsstore.h"
#include "ssrwatch/report.h"

static void today_of(const ssr_portal_t *p, char out[11])
{
	ssr_date_format((int32_t)(portal_now(p) / 86400), out);
}

bool portal_recs_id_ok(const char *id)
{
	size_t n = strlen(id);
	return n > 0 && n < 64 &&
	       strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                  "0123456789._-") == n;
}

/* ---- writes (through the portal's writer) ------------------------------------------------- */

typedef struct {
	const char *id, *to, *actor, *reason;
	const char *kind, *ref, *note;
	int64_t at;
} rjob_t;

static int move_job(ssr_store_t *st, void *ctx, ssr_diag_t *diag)
{
	rjob_t *j = ctx;
	return ssr_recs_move(st, j->id, j->to, j->actor, j->reason, j->at, NULL, diag);
}

static int evidence_job(ssr_store_t *st, void *ctx, ssr_diag_t *diag)
{
	rjob_t *j = ctx;
	char today[11];
	ssr_date_format((int32_t)(j->at / 86400), today);
	ssr_recs_evidence_t e = {.id = j->id,
	                         .actor = j->actor,
	                         .kind = j->kind,
	                         .ref = j->ref,
	                         .note = j->note,
	                         .at = j->at,
	                         .today = today};
	int64_t id;
	return ssr_recs_add_evidence(st, &e, &id, NULL, 0, diag);
}

/* Run a status change or an evidence item; HTTP status and message. */
static int apply(ssr_portal_t *p, rjob_t *j, bool evidence, char *msg, size_t cap)
{
	j->at = portal_now(p);
	ssr_diag_t d = {0};
	int rc = portal_writer_run(&p->writer, evidence ? evidence_job : move_job, j, &d);
	snprintf(msg, cap, "%s", d.msg);
	if (rc == SSR_ENOTFOUND) {
		return 404;
	}
	if (rc == SSR_EINVAL) {
		return 422;
	}
	if (rc != SSR_EOK) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "recs: %s", d.msg);
		snprintf(msg, cap, "the store failed; nothing was changed");
		return 500;
	}
	return 0;
}

/* ---- pages ---------------------------------------------------------------------------------- */

static void live_cell(html_t *h, json_t *r)
{
	json_t *l = json_object_get(r, "live");
	if (!json_is_object(l)) {
		return;
	}
	portal_html_out(h, "%s ", portal_html_jstr(l, "measure"));
	if (json_is_string(json_object_get(l, "date"))) {
		portal_html_out(h, "%s: %s", portal_html_jstr(l, "date"),
		                portal_html_jstr(l, "figure"));
	} else {
		portal_html_out(h, "(%s)", portal_html_jstr(l, "figure"));
	}
	if (json_is_true(json_object_get(l, "stale"))) {
		portal_html_out(h, " <strong class=\"err\">stale</strong>");
	}
}

static void select_filter(html_t *h, const char *name, const char *cur, const char *const *values)
{
	portal_html_out(
	    h, " %s <select name=\"%s\" style=\"width:auto\"><option value=\"\">any</option>", name,
	    name);
	for (size_t i = 0; values[i]; i++) {
		portal_html_out(h, "<option%s>%s</option>",
		                cur && strcmp(cur, values[i]) == 0 ? " selected" : "", values[i]);
	}
	portal_html_out(h, "</select>");
}

static void dashboard(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	char today[11];
	today_of(p, today);
	ssr_store_t *st = portal_pool_get(&p->pool);
	json_t *d = NULL;
	ssr_diag_t dg;
	int rc = ssr_recs_dashboard(st, today, &d, &dg);
	portal_pool_put(&p->pool, st);
	if (rc != SSR_EOK) {
		portal_page_message(q, r, 500, "Recommendations",
		                    "The store failed; try again later.");
		return;
	}
	const char *f_review = portal_req_query(q, "review"),
	           *f_status = portal_req_query(q, "status"),
	           *f_prio = portal_req_query(q, "priority"),
	           *f_owner = portal_req_query(q, "owner");
	html_t h;
	if (!portal_html_open_page(&h, q, "Recommendations")) {
		json_decref(d);
		portal_resp_error(r, 500, "out of memory");
		return;
	}
	portal_html_out(
	    &h,
	    "<p>Where the recommendations of ICANN's reviews stand (SSR2 Rec 1; SSR1 Recs 19 and "
	    "27), as of %s: the status is the last recorded change; live evidence is ssrwatch's "
	    "latest stored measurement for the recommendation, <strong>stale</strong> when older "
	    "than its expected cadence. The same data as JSON: <a href=\"/api/v1/recs\">"
	    "/api/v1/recs</a>.</p>",
	    today);
	ssr_report_recs_chart(json_object_get(d, "reviews"), h.f);
	portal_html_out(&h, "<form method=\"get\" action=\"/recs\" class=\"box\">");
	json_t *reviews = json_object_get(d, "reviews"), *v;
	const char *rv[16] = {0};
	size_t i;
	json_array_foreach(reviews, i, v)
	{
		if (i < 15) {
			rv[i] = portal_html_jstr(v, "id");
		}
	}
	static const char *const sts[] = {"not-started", "in-design", "in-progress",
	                                  "implemented", "verified",  "pending",
	                                  "rejected",    "deferred",  NULL};
	static const char *const prios[] = {"high", "medium", "low", NULL};
	select_filter(&h, "review", f_review, rv);
	select_filter(&h, "status", f_status, sts);
	select_filter(&h, "priority", f_prio, prios);
	portal_html_out(
	    &h,
	    " owner <input type=\"text\" name=\"owner\" value=\"%s\" style=\"width:10em\"> "
	    "<button type=\"submit\">Filter</button></form>",
	    f_owner ? f_owner : "");
	portal_html_out(
	    &h, "<table id=\"recs\"><tr><th>Id</th><th>Title</th><th>Priority</th><th>Owner</th>"
	        "<th>Status</th><th>Evidence</th><th>Live evidence</th><th>Open actions</th></tr>");
	unsigned shown = 0;
	json_array_foreach(json_object_get(d, "recommendations"), i, v)
	{
		if ((f_review && *f_review &&
		     strcmp(portal_html_jstr(v, "review"), f_review) != 0) ||
		    (f_status && *f_status &&
		     strcmp(portal_html_jstr(v, "status"), f_status) != 0) ||
		    (f_prio && *f_prio && strcmp(portal_html_jstr(v, "priority"), f_prio) != 0) ||
		    (f_owner && *f_owner && !strcasestr(portal_html_jstr(v, "owner"), f_owner))) {
			continue;
		}
		shown++;
		bool sub = json_is_string(json_object_get(v, "parent"));
		portal_html_out(
		    &h,
		    "<tr%s><td><a href=\"/recs/%s\">%s</a></td><td>%s</td><td>%s</td><td>%s</td>"
		    "<td class=\"status\">%s</td><td class=\"n\">%L</td><td>",
		    sub ? " class=\"sub\"" : "", portal_html_jstr(v, "id"),
		    portal_html_jstr(v, "id"), portal_html_jstr(v, "title"),
		    portal_html_jstr(v, "priority"), portal_html_jstr(v, "owner"),
		    portal_html_jstr(v, "status"), portal_html_jint(v, "evidence"));
		live_cell(&h, v);
		portal_html_out(&h, "</td><td class=\"n\">%L%s</td></tr>",
		                portal_html_jint(v, "open_actions"),
		                portal_html_jint(v, "overdue_actions") ? " (overdue)" : "");
	}
	portal_html_out(&h,
	                "</table><p>%d shown.</p><h2>Action items</h2><table id=\"actions\"><tr>"
	                "<th>#</th><th>Title</th><th>Owner</th><th>Due</th><th>Status</th>"
	                "<th>Recommendations</th></tr>",
	                (int)shown);
	json_array_foreach(json_object_get(d, "actions"), i, v)
	{
		bool over = json_is_true(json_object_get(v, "overdue"));
		portal_html_out(
		    &h,
		    "<tr><td>%L</td><td>%s</td><td>%s</td><td>%s%s</td><td>%s</td><td>%s</td></tr>",
		    portal_html_jint(v, "id"), portal_html_jstr(v, "title"),
		    portal_html_jstr(v, "owner"), portal_html_jstr(v, "due"),
		    over ? " (overdue)" : "", portal_html_jstr(v, "status"),
		    portal_html_jstr(v, "recs"));
	}
	portal_html_out(&h, "</table>");
	json_decref(d);
	portal_html_close_page(&h, r, 200);
}

static void detail(ssr_portal_t *p, const req_t *q, const char *id, resp_t *r, const char *err,
                   int status)
{
	char today[11];
	today_of(p, today);
	ssr_store_t *st = portal_pool_get(&p->pool);
	json_t *d = NULL;
	ssr_diag_t dg;
	int rc = ssr_recs_detail(st, id, today, &d, &dg);
	portal_pool_put(&p->pool, st);
	if (rc == SSR_ENOTFOUND) {
		portal_page_message(q, r, 404, "No such recommendation",
		                    "There is no recommendation with this id.");
		return;
	}
	if (rc != SSR_EOK) {
		portal_page_message(q, r, 500, "Recommendations",
		                    "The store failed; try again later.");
		return;
	}
	char title[200];
	snprintf(title, sizeof title, "%s", portal_html_jstr(d, "id"));
	html_t h;
	if (!portal_html_open_page(&h, q, title)) {
		json_decref(d);
		portal_resp_error(r, 500, "out of memory");
		return;
	}
	if (err) {
		portal_html_out(&h, "<p class=\"err\" id=\"error\">Refused: %s</p>", err);
	}
	portal_html_out(&h, "<p><strong>%s</strong></p>", portal_html_jstr(d, "title"));
	if (*portal_html_jstr(d, "summary")) {
		portal_html_out(&h, "<p>%s</p>", portal_html_jstr(d, "summary"));
	}
	portal_html_out(&h, "<table id=\"facts\"><tr><th>Review</th><td>%s</td></tr>",
	                portal_html_jstr(d, "review"));
	if (*portal_html_jstr(d, "parent")) {
		portal_html_out(&h, "<tr><th>Part of</th><td><a href=\"/recs/%s\">%s</a></td></tr>",
		                portal_html_jstr(d, "parent"), portal_html_jstr(d, "parent"));
	}
	portal_html_out(
	    &h,
	    "<tr><th>Priority</th><td>%s</td></tr><tr><th>Workstream</th><td>%s</td></tr>"
	    "<tr><th>Owner</th><td>%s</td></tr><tr><th>Status</th><td class=\"status\" "
	    "id=\"status\">%s</td></tr>",
	    portal_html_jstr(d, "priority"), portal_html_jstr(d, "workstream"),
	    portal_html_jstr(d, "owner"), portal_html_jstr(d, "status"));
	const char *refs = portal_html_jstr(d, "refs");
	if (*refs) {
		portal_html_out(&h, "<tr><th>Refers to</th><td>");
		for (const char *s = refs; *s;) {
			size_t n = strcspn(s, " ,");
			char one[64];
			snprintf(one, sizeof one, "%.*s", (int)(n < 63 ? n : 63), s);
			portal_html_out(&h, "<a href=\"/recs/%s\">%s</a> ", one, one);
			s += n;
			s += strspn(s, " ,");
		}
		portal_html_out(&h, "</td></tr>");
	}
	portal_html_out(&h, "<tr><th>Live evidence</th><td id=\"live\">");
	live_cell(&h, d);
	portal_html_out(&h, "</td></tr></table>");
	size_t i;
	json_t *v;
	if (json_array_size(json_object_get(d, "sub_items")) > 0) {
		portal_html_out(&h, "<h2>Sub-items</h2><ul>");
		json_array_foreach(json_object_get(d, "sub_items"), i, v)
		{
			portal_html_out(&h,
			                "<li><a href=\"/recs/%s\">%s</a> %s: <span "
			                "class=\"status\">%s</span></li>",
			                portal_html_jstr(v, "id"), portal_html_jstr(v, "id"),
			                portal_html_jstr(v, "title"),
			                portal_html_jstr(v, "status"));
		}
		portal_html_out(&h, "</ul>");
	}
	portal_html_out(
	    &h, "<h2>History</h2><table id=\"history\"><tr><th>When</th><th>Who</th><th>From</th>"
	        "<th>To</th><th>Why</th></tr>");
	json_array_foreach(json_object_get(d, "history"), i, v)
	{
		char t[32];
		portal_html_fmt_time(portal_html_jint(v, "at"), t);
		portal_html_out(&h,
		                "<tr><td>%s</td><td>%s</td><td>%s</td><td "
		                "class=\"status\">%s</td><td>%s</td></tr>",
		                t, portal_html_jstr(v, "actor"), portal_html_jstr(v, "from"),
		                portal_html_jstr(v, "to"), portal_html_jstr(v, "reason"));
	}
	portal_html_out(&h, "</table>");
	if (json_array_size(json_object_get(d, "history")) == 0) {
		portal_html_out(&h, "<p>No change recorded: not started.</p>");
	}
	portal_html_out(&h, "<h2>Evidence</h2><table id=\"evidence\"><tr><th>When</th><th>Who</th>"
	                    "<th>Kind</th><th>Evidence</th><th>Note</th></tr>");
	json_array_foreach(json_object_get(d, "evidence_items"), i, v)
	{
		char t[32];
		portal_html_fmt_time(portal_html_jint(v, "at"), t);
		portal_html_out(&h, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", t,
		                portal_html_jstr(v, "actor"), portal_html_jstr(v, "kind"));
		if (strcmp(portal_html_jstr(v, "kind"), "url") == 0) {
			portal_html_out(
			    &h, "<a href=\"%s\" rel=\"nofollow noopener noreferrer\">%s</a>",
			    portal_html_jstr(v, "ref"), portal_html_jstr(v, "ref"));
		} else {
			portal_html_out(&h, "%s", portal_html_jstr(v, "ref"));
		}
		portal_html_out(&h, "</td><td>%s</td></tr>", portal_html_jstr(v, "note"));
	}
	portal_html_out(&h, "</table><h2>Action items</h2><table id=\"rec-actions\"><tr><th>#</th>"
	                    "<th>Title</th><th>Owner</th><th>Due</th><th>Status</th></tr>");
	json_array_foreach(json_object_get(d, "actions"), i, v)
	{
		portal_html_out(
		    &h, "<tr><td>%L</td><td>%s</td><td>%s</td><td>%s%s</td><td>%s</td></tr>",
		    portal_html_jint(v, "id"), portal_html_jstr(v, "title"),
		    portal_html_jstr(v, "owner"), portal_html_jstr(v, "due"),
		    json_is_true(json_object_get(v, "overdue")) ? " (overdue)" : "",
		    portal_html_jstr(v, "status"));
	}
	portal_html_out(&h, "</table>");
	if (q->auth.by_session && portal_auth_editor(q)) {
		static const char *const sts[] = {"not-started", "in-design", "in-progress",
		                                  "implemented", "verified",  "pending",
		                                  "rejected",    "deferred"};
		portal_html_out(
		    &h,
		    "<form method=\"post\" action=\"/recs/%s/status\" class=\"box\" "
		    "id=\"status-form\"><h2>Change the status</h2><input type=\"hidden\" "
		    "name=\"csrf\" value=\"%s\"><label for=\"to\">New status</label>"
		    "<select name=\"to\" id=\"to\">",
		    portal_html_jstr(d, "id"), q->auth.who.csrf);
		for (size_t s = 0; s < 8; s++) {
			portal_html_out(&h, "<option>%s</option>", sts[s]);
		}
		portal_html_out(
		    &h,
		    "</select><label for=\"reason\">Why</label><textarea name=\"reason\" "
		    "id=\"reason\" maxlength=\"2000\"></textarea><p class=\"hint\">Verified needs "
		    "an evidence item; moving back, deferring and rejecting need a reason.</p>"
		    "<button type=\"submit\">Record the change</button></form>");
		portal_html_out(
		    &h,
		    "<form method=\"post\" action=\"/recs/%s/evidence\" class=\"box\" "
		    "id=\"evidence-form\"><h2>Add evidence</h2><input type=\"hidden\" "
		    "name=\"csrf\" value=\"%s\"><label for=\"kind\">Kind</label><select "
		    "name=\"kind\" id=\"kind\"><option>url</option><option>file</option>"
		    "<option>metric</option></select><label for=\"ref\">URL or file name (metric: "
		    "the live figure is recorded)</label><input type=\"text\" name=\"ref\" "
		    "id=\"ref\" maxlength=\"2000\"><label for=\"note\">Note</label><textarea "
		    "name=\"note\" id=\"note\" maxlength=\"2000\"></textarea><button "
		    "type=\"submit\">Add evidence</button></form>",
		    portal_html_jstr(d, "id"), q->auth.who.csrf);
	}
	json_decref(d);
	portal_html_close_page(&h, r, status);
}

static void post_form(ssr_portal_t *p, const req_t *q, const char *id, bool evidence, resp_t *r)
{
	if (!portal_page_need_session(q, r)) {
		return;
	}
	if (!portal_auth_editor(q)) {
		portal_page_message(q, r, 403, "Recommendations",
		                    "Only editors change the tracker.");
		return;
	}
	if (!portal_page_csrf_ok(q, true)) {
		portal_page_csrf_refused(q, r);
		return;
	}
	const char *reason = portal_req_field(q, "reason");
	rjob_t j = {.id = id,
	            .to = portal_req_field(q, "to"),
	            .actor = portal_auth_login(q),
	            .reason = reason && *reason ? reason : NULL,
	            .kind = portal_req_field(q, "kind"),
	            .ref = portal_req_field(q, "ref"),
	            .note = portal_req_field(q, "note")};
	if (!evidence && !j.to) {
		detail(p, q, id, r, "choose a status", 422);
		return;
	}
	char msg[600];
	int st = apply(p, &j, evidence, msg, sizeof msg);
	if (st == 404) {
		portal_page_message(q, r, 404, "No such recommendation",
		                    "There is no recommendation with this id.");
	} else if (st != 0) {
		detail(p, q, id, r, msg, st);
	} else {
		char loc[96];
		snprintf(loc, sizeof loc, "/recs/%s", id);
		portal_resp_redirect(r, loc);
	}
}

/* ---- API ------------------------------------------------------------------------------------ */

static void api_get(ssr_portal_t *p, const char *id, resp_t *r)
{
	char today[11];
	today_of(p, today);
	ssr_store_t *st = portal_pool_get(&p->pool);
	json_t *d = NULL;
	ssr_diag_t dg;
	int rc =
	    id ? ssr_recs_detail(st, id, today, &d, &dg) : ssr_recs_dashboard(st, today, &d, &dg);
	portal_pool_put(&p->pool, st);
	if (rc == SSR_ENOTFOUND) {
		portal_resp_error(r, 404, "no such recommendation");
	} else if (rc != SSR_EOK) {
		portal_resp_error(r, 500, "the store failed");
	} else {
		portal_resp_json(r, 200, d);
	}
}

static void api_post(ssr_portal_t *p, const req_t *q, const char *id, bool evidence, resp_t *r)
{
	if (!q->auth.known) {
		portal_resp_error(r, 401,
		                  "an API token is required (Authorization: Bearer <token>)");
		return;
	}
	if (!portal_auth_editor(q)) {
		portal_resp_error(r, 403, "only editors change the tracker");
		return;
	}
	json_t *in = portal_req_json_body(q, r);
	if (!in) {
		return;
	}
	rjob_t j = {.id = id,
	            .to = json_string_value(json_object_get(in, "status")),
	            .actor = portal_auth_login(q),
	            .reason = json_string_value(json_object_get(in, "reason")),
	            .kind = json_string_value(json_object_get(in, "kind")),
	            .ref = json_string_value(json_object_get(in, "ref")),
	            .note = json_string_value(json_object_get(in, "note"))};
	char msg[600];
	int st = !evidence && !j.to ? 422 : apply(p, &j, evidence, msg, sizeof msg);
	if (!evidence && !j.to) {
		snprintf(msg, sizeof msg, "\"status\" is required");
	}
	json_decref(in);
	if (st != 0) {
		portal_resp_error(r, st, msg);
		return;
	}
	api_get(p, id, r);
	if (evidence) {
		r->status = 201;
	}
}

/* ---- routes -----------------------------------------------------------------------------------
 */

void portal_page_recs(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)a;
	dashboard(p, q, r);
}

void portal_page_rec_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	detail(p, q, a->seg, r, NULL, 200);
}

void portal_page_rec_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	post_form(p, q, a->seg, strcmp(a->arg, "evidence") == 0, r);
}

void portal_api_recs_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)q;
	(void)a;
	api_get(p, NULL, r);
}

void portal_api_rec_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)q;
	api_get(p, a->seg, r);
}

void portal_api_rec_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	api_post(p, q, a->seg, strcmp(a->arg, "evidence") == 0, r);
}
