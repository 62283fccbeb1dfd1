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

#include "portal_priv.h"
#include "ssrwatch/date.h"
#include "ssrwatch/recs.h"
#include "ssrwatch/recsstore.h"
#include "ssrwatch/report.h"

#define MAX_REASON 2000
#define MAX_REF    2000

static void today_of(const ssr_portal_t *p, char out[11])
{
	ssr_date_format((int32_t)(portal_now(p) / 86400), out);
}

static bool id_ok(const char *id)
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
	int64_t id;
	return ssr_store_recs_add_evidence(st, j->id, j->at, j->actor, j->kind, j->ref, j->note,
	                                   &id, diag);
}

/* Check an evidence item; "" or the reason it is refused. */
static const char *evidence_check(const char *kind, const char *ref, const char *note)
{
	if (!kind || (strcmp(kind, "url") != 0 && strcmp(kind, "file") != 0 &&
	              strcmp(kind, "metric") != 0)) {
		return "evidence kind: url, file or metric";
	}
	if (strcmp(kind, "metric") != 0 && (!ref || !*ref)) {
		return "the evidence needs a URL or a file name";
	}
	if (ref && strlen(ref) > MAX_REF) {
		return "the URL or file name is longer than 2000 characters";
	}
	if (strcmp(kind, "url") == 0 && strncmp(ref, "https://", 8) != 0 &&
	    strncmp(ref, "http://", 7) != 0) {
		return "an evidence URL starts with https:// or http://";
	}
	if (note && strlen(note) > MAX_REASON) {
		return "the note is longer than 2000 characters";
	}
	return "";
}

/* The current live figure of id, frozen into ref (for kind metric); false if none. */
static bool metric_ref(ssr_portal_t *p, const char *id, char *ref, size_t cap)
{
	char today[11];
	today_of(p, today);
	ssr_store_t *st = pool_get(&p->pool);
	json_t *r = NULL;
	ssr_diag_t d;
	bool ok = false;
	if (ssr_recs_detail(st, id, today, &r, &d) == SSR_EOK) {
		json_t *l = json_object_get(r, "live");
		if (json_is_object(l) && json_is_string(json_object_get(l, "date"))) {
			snprintf(ref, cap, "%s %s: %s", html_jstr(l, "measure"),
			         html_jstr(l, "date"), html_jstr(l, "figure"));
			ok = true;
		}
	}
	json_decref(r);
	pool_put(&p->pool, st);
	return ok;
}

/* Run a status change or an evidence item; HTTP status and message. */
static int apply(ssr_portal_t *p, rjob_t *j, bool evidence, char *msg, size_t cap)
{
	char ref[MAX_REF + 600];
	if (evidence) {
		const char *why = evidence_check(j->kind, j->ref, j->note);
		if (*why) {
			snprintf(msg, cap, "%s", why);
			return 422;
		}
		if (strcmp(j->kind, "metric") == 0) {
			if (!metric_ref(p, j->id, ref, sizeof ref)) {
				snprintf(msg, cap, "'%s' has no stored measurement to cite", j->id);
				return 422;
			}
			j->ref = ref;
		}
	} else if (j->reason && strlen(j->reason) > MAX_REASON) {
		snprintf(msg, cap, "the reason is longer than 2000 characters");
		return 422;
	}
	j->at = portal_now(p);
	ssr_diag_t d = {0};
	int rc = writer_run(&p->writer, evidence ? evidence_job : move_job, j, &d);
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
	html_out(h, "%s ", html_jstr(l, "measure"));
	if (json_is_string(json_object_get(l, "date"))) {
		html_out(h, "%s: %s", html_jstr(l, "date"), html_jstr(l, "figure"));
	} else {
		html_out(h, "(%s)", html_jstr(l, "figure"));
	}
	if (json_is_true(json_object_get(l, "stale"))) {
		html_out(h, " <strong class=\"err\">stale</strong>");
	}
}

static void select_filter(html_t *h, const char *name, const char *cur, const char *const *values)
{
	html_out(h, " %s <select name=\"%s\" style=\"width:auto\"><option value=\"\">any</option>",
	         name, name);
	for (size_t i = 0; values[i]; i++) {
		html_out(h, "<option%s>%s</option>",
		         cur && strcmp(cur, values[i]) == 0 ? " selected" : "", values[i]);
	}
	html_out(h, "</select>");
}

static void dashboard(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	char today[11];
	today_of(p, today);
	ssr_store_t *st = pool_get(&p->pool);
	json_t *d = NULL;
	ssr_diag_t dg;
	int rc = ssr_recs_dashboard(st, today, &d, &dg);
	pool_put(&p->pool, st);
	if (rc != SSR_EOK) {
		page_message(q, r, 500, "Recommendations", "The store failed; try again later.");
		return;
	}
	const char *f_review = req_query(q, "review"), *f_status = req_query(q, "status"),
	           *f_prio = req_query(q, "priority"), *f_owner = req_query(q, "owner");
	html_t h;
	if (!html_open_page(&h, q, "Recommendations")) {
		json_decref(d);
		resp_error(r, 500, "out of memory");
		return;
	}
	html_out(
	    &h,
	    "<p>Where the recommendations of ICANN's reviews stand (SSR2 Rec 1; SSR1 Recs 19 and "
	    "27), as of %s: the status is the last recorded change; live evidence is ssrwatch's "
	    "latest stored measurement for the recommendation, <strong>stale</strong> when older "
	    "than its expected cadence. The same data as JSON: <a href=\"/api/v1/recs\">"
	    "/api/v1/recs</a>.</p>",
	    today);
	ssr_report_recs_chart(json_object_get(d, "reviews"), h.f);
	html_out(&h, "<form method=\"get\" action=\"/recs\" class=\"box\">");
	json_t *reviews = json_object_get(d, "reviews"), *v;
	const char *rv[16] = {0};
	size_t i;
	json_array_foreach(reviews, i, v)
	{
		if (i < 15) {
			rv[i] = html_jstr(v, "id");
		}
	}
	static const char *const sts[] = {"not-started", "in-design", "in-progress",
	                                  "implemented", "verified",  "pending",
	                                  "rejected",    "deferred",  NULL};
	static const char *const prios[] = {"high", "medium", "low", NULL};
	select_filter(&h, "review", f_review, rv);
	select_filter(&h, "status", f_status, sts);
	select_filter(&h, "priority", f_prio, prios);
	html_out(&h,
	         " owner <input type=\"text\" name=\"owner\" value=\"%s\" style=\"width:10em\"> "
	         "<button type=\"submit\">Filter</button></form>",
	         f_owner ? f_owner : "");
	html_out(
	    &h, "<table id=\"recs\"><tr><th>Id</th><th>Title</th><th>Priority</th><th>Owner</th>"
	        "<th>Status</th><th>Evidence</th><th>Live evidence</th><th>Open actions</th></tr>");
	unsigned shown = 0;
	json_array_foreach(json_object_get(d, "recommendations"), i, v)
	{
		if ((f_review && *f_review && strcmp(html_jstr(v, "review"), f_review) != 0) ||
		    (f_status && *f_status && strcmp(html_jstr(v, "status"), f_status) != 0) ||
		    (f_prio && *f_prio && strcmp(html_jstr(v, "priority"), f_prio) != 0) ||
		    (f_owner && *f_owner && !strcasestr(html_jstr(v, "owner"), f_owner))) {
			continue;
		}
		shown++;
		bool sub = json_is_string(json_object_get(v, "parent"));
		html_out(
		    &h,
		    "<tr%s><td><a href=\"/recs/%s\">%s</a></td><td>%s</td><td>%s</td><td>%s</td>"
		    "<td class=\"status\">%s</td><td class=\"n\">%L</td><td>",
		    sub ? " class=\"sub\"" : "", html_jstr(v, "id"), html_jstr(v, "id"),
		    html_jstr(v, "title"), html_jstr(v, "priority"), html_jstr(v, "owner"),
		    html_jstr(v, "status"), html_jint(v, "evidence"));
		live_cell(&h, v);
		html_out(&h, "</td><td class=\"n\">%L%s</td></tr>", html_jint(v, "open_actions"),
		         html_jint(v, "overdue_actions") ? " (overdue)" : "");
	}
	html_out(&h,
	         "</table><p>%d shown.</p><h2>Action items</h2><table id=\"actions\"><tr>"
	         "<th>#</th><th>Title</th><th>Owner</th><th>Due</th><th>Status</th>"
	         "<th>Recommendations</th></tr>",
	         (int)shown);
	json_array_foreach(json_object_get(d, "actions"), i, v)
	{
		bool over = json_is_true(json_object_get(v, "overdue"));
		html_out(
		    &h,
		    "<tr><td>%L</td><td>%s</td><td>%s</td><td>%s%s</td><td>%s</td><td>%s</td></tr>",
		    html_jint(v, "id"), html_jstr(v, "title"), html_jstr(v, "owner"),
		    html_jstr(v, "due"), over ? " (overdue)" : "", html_jstr(v, "status"),
		    html_jstr(v, "recs"));
	}
	html_out(&h, "</table>");
	json_decref(d);
	html_close_page(&h, r, 200);
}

static void detail(ssr_portal_t *p, const req_t *q, const char *id, resp_t *r, const char *err,
                   int status)
{
	char today[11];
	today_of(p, today);
	ssr_store_t *st = pool_get(&p->pool);
	json_t *d = NULL;
	ssr_diag_t dg;
	int rc = ssr_recs_detail(st, id, today, &d, &dg);
	pool_put(&p->pool, st);
	if (rc == SSR_ENOTFOUND) {
		page_message(q, r, 404, "No such recommendation",
		             "There is no recommendation with this id.");
		return;
	}
	if (rc != SSR_EOK) {
		page_message(q, r, 500, "Recommendations", "The store failed; try again later.");
		return;
	}
	char title[200];
	snprintf(title, sizeof title, "%s", html_jstr(d, "id"));
	html_t h;
	if (!html_open_page(&h, q, title)) {
		json_decref(d);
		resp_error(r, 500, "out of memory");
		return;
	}
	if (err) {
		html_out(&h, "<p class=\"err\" id=\"error\">Refused: %s</p>", err);
	}
	html_out(&h, "<p><strong>%s</strong></p>", html_jstr(d, "title"));
	if (*html_jstr(d, "summary")) {
		html_out(&h, "<p>%s</p>", html_jstr(d, "summary"));
	}
	html_out(&h, "<table id=\"facts\"><tr><th>Review</th><td>%s</td></tr>",
	         html_jstr(d, "review"));
	if (*html_jstr(d, "parent")) {
		html_out(&h, "<tr><th>Part of</th><td><a href=\"/recs/%s\">%s</a></td></tr>",
		         html_jstr(d, "parent"), html_jstr(d, "parent"));
	}
	html_out(&h,
	         "<tr><th>Priority</th><td>%s</td></tr><tr><th>Workstream</th><td>%s</td></tr>"
	         "<tr><th>Owner</th><td>%s</td></tr><tr><th>Status</th><td class=\"status\" "
	         "id=\"status\">%s</td></tr>",
	         html_jstr(d, "priority"), html_jstr(d, "workstream"), html_jstr(d, "owner"),
	         html_jstr(d, "status"));
	const char *refs = html_jstr(d, "refs");
	if (*refs) {
		html_out(&h, "<tr><th>Refers to</th><td>");
		for (const char *s = refs; *s;) {
			size_t n = strcspn(s, " ,");
			char one[64];
			snprintf(one, sizeof one, "%.*s", (int)(n < 63 ? n : 63), s);
			html_out(&h, "<a href=\"/recs/%s\">%s</a> ", one, one);
			s += n;
			s += strspn(s, " ,");
		}
		html_out(&h, "</td></tr>");
	}
	html_out(&h, "<tr><th>Live evidence</th><td id=\"live\">");
	live_cell(&h, d);
	html_out(&h, "</td></tr></table>");
	size_t i;
	json_t *v;
	if (json_array_size(json_object_get(d, "sub_items")) > 0) {
		html_out(&h, "<h2>Sub-items</h2><ul>");
		json_array_foreach(json_object_get(d, "sub_items"), i, v)
		{
			html_out(&h,
			         "<li><a href=\"/recs/%s\">%s</a> %s: <span "
			         "class=\"status\">%s</span></li>",
			         html_jstr(v, "id"), html_jstr(v, "id"), html_jstr(v, "title"),
			         html_jstr(v, "status"));
		}
		html_out(&h, "</ul>");
	}
	html_out(&h,
	         "<h2>History</h2><table id=\"history\"><tr><th>When</th><th>Who</th><th>From</th>"
	         "<th>To</th><th>Why</th></tr>");
	json_array_foreach(json_object_get(d, "history"), i, v)
	{
		char t[32];
		html_fmt_time(html_jint(v, "at"), t);
		html_out(&h,
		         "<tr><td>%s</td><td>%s</td><td>%s</td><td "
		         "class=\"status\">%s</td><td>%s</td></tr>",
		         t, html_jstr(v, "actor"), html_jstr(v, "from"), html_jstr(v, "to"),
		         html_jstr(v, "reason"));
	}
	html_out(&h, "</table>");
	if (json_array_size(json_object_get(d, "history")) == 0) {
		html_out(&h, "<p>No change recorded: not started.</p>");
	}
	html_out(&h, "<h2>Evidence</h2><table id=\"evidence\"><tr><th>When</th><th>Who</th>"
	             "<th>Kind</th><th>Evidence</th><th>Note</th></tr>");
	json_array_foreach(json_object_get(d, "evidence_items"), i, v)
	{
		char t[32];
		html_fmt_time(html_jint(v, "at"), t);
		html_out(&h, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", t, html_jstr(v, "actor"),
		         html_jstr(v, "kind"));
		if (strcmp(html_jstr(v, "kind"), "url") == 0) {
			html_out(&h, "<a href=\"%s\" rel=\"nofollow noopener noreferrer\">%s</a>",
			         html_jstr(v, "ref"), html_jstr(v, "ref"));
		} else {
			html_out(&h, "%s", html_jstr(v, "ref"));
		}
		html_out(&h, "</td><td>%s</td></tr>", html_jstr(v, "note"));
	}
	html_out(&h, "</table><h2>Action items</h2><table id=\"rec-actions\"><tr><th>#</th>"
	             "<th>Title</th><th>Owner</th><th>Due</th><th>Status</th></tr>");
	json_array_foreach(json_object_get(d, "actions"), i, v)
	{
		html_out(&h, "<tr><td>%L</td><td>%s</td><td>%s</td><td>%s%s</td><td>%s</td></tr>",
		         html_jint(v, "id"), html_jstr(v, "title"), html_jstr(v, "owner"),
		         html_jstr(v, "due"),
		         json_is_true(json_object_get(v, "overdue")) ? " (overdue)" : "",
		         html_jstr(v, "status"));
	}
	html_out(&h, "</table>");
	if (q->auth.by_session && auth_editor(q)) {
		static const char *const sts[] = {"not-started", "in-design", "in-progress",
		                                  "implemented", "verified",  "pending",
		                                  "rejected",    "deferred"};
		html_out(&h,
		         "<form method=\"post\" action=\"/recs/%s/status\" class=\"box\" "
		         "id=\"status-form\"><h2>Change the status</h2><input type=\"hidden\" "
		         "name=\"csrf\" value=\"%s\"><label for=\"to\">New status</label>"
		         "<select name=\"to\" id=\"to\">",
		         html_jstr(d, "id"), q->auth.who.csrf);
		for (size_t s = 0; s < 8; s++) {
			html_out(&h, "<option>%s</option>", sts[s]);
		}
		html_out(
		    &h,
		    "</select><label for=\"reason\">Why</label><textarea name=\"reason\" "
		    "id=\"reason\" maxlength=\"2000\"></textarea><p class=\"hint\">Verified needs "
		    "an evidence item; moving back, deferring and rejecting need a reason.</p>"
		    "<button type=\"submit\">Record the change</button></form>");
		html_out(
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
		    html_jstr(d, "id"), q->auth.who.csrf);
	}
	json_decref(d);
	html_close_page(&h, r, status);
}

static void post_form(ssr_portal_t *p, const req_t *q, const char *id, bool evidence, resp_t *r)
{
	if (!page_need_session(q, r)) {
		return;
	}
	if (!auth_editor(q)) {
		page_message(q, r, 403, "Recommendations", "Only editors change the tracker.");
		return;
	}
	if (!page_csrf_ok(q, true)) {
		page_csrf_refused(q, r);
		return;
	}
	const char *reason = req_field(q, "reason");
	rjob_t j = {.id = id,
	            .to = req_field(q, "to"),
	            .actor = auth_login(q),
	            .reason = reason && *reason ? reason : NULL,
	            .kind = req_field(q, "kind"),
	            .ref = req_field(q, "ref"),
	            .note = req_field(q, "note")};
	if (!evidence && !j.to) {
		detail(p, q, id, r, "choose a status", 422);
		return;
	}
	char msg[600];
	int st = apply(p, &j, evidence, msg, sizeof msg);
	if (st == 404) {
		page_message(q, r, 404, "No such recommendation",
		             "There is no recommendation with this id.");
	} else if (st != 0) {
		detail(p, q, id, r, msg, st);
	} else {
		char loc[96];
		snprintf(loc, sizeof loc, "/recs/%s", id);
		resp_redirect(r, loc);
	}
}

bool recs_pages_handle(ssr_portal_t *p, req_t *q, resp_t *r, char parts[][SSR_PATH_PART], int n)
{
	if (n < 1 || strcmp(parts[0], "recs") != 0) {
		return false;
	}
	bool get = strcmp(q->method, "GET") == 0 || strcmp(q->method, "HEAD") == 0;
	bool post = strcmp(q->method, "POST") == 0;
	if (n == 1 && get) {
		dashboard(p, q, r);
	} else if (n >= 2 && !id_ok(parts[1])) {
		page_message(q, r, 404, "No such recommendation",
		             "There is no recommendation with this id.");
	} else if (n == 2 && get) {
		detail(p, q, parts[1], r, NULL, 200);
	} else if (n == 3 && post && strcmp(parts[2], "status") == 0) {
		post_form(p, q, parts[1], false, r);
	} else if (n == 3 && post && strcmp(parts[2], "evidence") == 0) {
		post_form(p, q, parts[1], true, r);
	} else {
		page_message(q, r, 404, "Not found", "There is no page at this address.");
	}
	return true;
}

/* ---- API ------------------------------------------------------------------------------------ */

static void api_get(ssr_portal_t *p, const char *id, resp_t *r)
{
	char today[11];
	today_of(p, today);
	ssr_store_t *st = pool_get(&p->pool);
	json_t *d = NULL;
	ssr_diag_t dg;
	int rc =
	    id ? ssr_recs_detail(st, id, today, &d, &dg) : ssr_recs_dashboard(st, today, &d, &dg);
	pool_put(&p->pool, st);
	if (rc == SSR_ENOTFOUND) {
		resp_error(r, 404, "no such recommendation");
	} else if (rc != SSR_EOK) {
		resp_error(r, 500, "the store failed");
	} else {
		resp_json(r, 200, d);
	}
}

static void api_post(ssr_portal_t *p, const req_t *q, const char *id, bool evidence, resp_t *r)
{
	if (!q->auth.known) {
		resp_error(r, 401, "an API token is required (Authorization: Bearer <token>)");
		return;
	}
	if (!auth_editor(q)) {
		resp_error(r, 403, "only editors change the tracker");
		return;
	}
	json_t *in = api_json_body(q, r);
	if (!in) {
		return;
	}
	rjob_t j = {.id = id,
	            .to = json_string_value(json_object_get(in, "status")),
	            .actor = auth_login(q),
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
		resp_error(r, st, msg);
		return;
	}
	api_get(p, id, r);
	if (evidence) {
		r->status = 201;
	}
}

bool recs_api_handle(ssr_portal_t *p, req_t *q, resp_t *r, char parts[][SSR_PATH_PART], int n)
{
	if (n < 3 || strcmp(parts[2], "recs") != 0) {
		return false;
	}
	bool get = strcmp(q->method, "GET") == 0 || strcmp(q->method, "HEAD") == 0;
	bool post = strcmp(q->method, "POST") == 0;
	if (n == 3 && get) {
		api_get(p, NULL, r);
	} else if (n >= 4 && !id_ok(parts[3])) {
		resp_error(r, 404, "no such recommendation");
	} else if (n == 4 && get) {
		api_get(p, parts[3], r);
	} else if (n == 5 && post &&
	           (strcmp(parts[4], "status") == 0 || strcmp(parts[4], "evidence") == 0)) {
		api_post(p, q, parts[3], strcmp(parts[4], "evidence") == 0, r);
	} else {
		resp_error(r, 405,
		           "GET /api/v1/recs[/{id}], POST /api/v1/recs/{id}/status|evidence");
	}
	return true;
}
