/* ssrwatch — a party's pages: the inbox with filters (admins: every case) and a case with its
 * evidence, parties, timeline and deliveries, acknowledged and resolved from its page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas.h"
#include "auth.h"
#include "cases.h"
#include "html.h"
#include "vocab.h"

static void inbox(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	if (!portal_page_need_session(q, r)) {
		return;
	}
	ssr_case_row_t *cases = NULL;
	size_t n = 0;
	const char *msg = NULL;
	int limit = 0, st = portal_case_list(p, q, &cases, &n, &limit, &msg);
	if (st != 0) {
		portal_page_message(q, r, st, "Inbox", msg);
		return;
	}
	const char *status = portal_req_query(q, "status"),
	           *category = portal_req_query(q, "category"),
	           *domain = portal_req_query(q, "domain");
	html_t h;
	if (!portal_html_open_page(&h, q, "Inbox")) {
		ssr_store_case_rows_free(cases, n);
		portal_resp_error(r, 500, "out of memory");
		return;
	}
	portal_html_out(
	    &h,
	    "<form method=\"get\" action=\"/inbox\" class=\"box\">Status <select name=\"status\">"
	    "<option value=\"\">any</option>");
	static const char *const sts[] = {"open", "acknowledged", "closed"};
	for (int i = 0; i < 3; i++) {
		portal_html_out(&h, "<option%s>%s</option>",
		                status && !strcmp(status, sts[i]) ? " selected" : "", sts[i]);
	}
	portal_html_out(
	    &h, "</select> Category <select name=\"category\"><option value=\"\">any</option>");
	for (int i = 0; portal_categories[i]; i++) {
		portal_html_out(&h, "<option%s>%s</option>",
		                category && !strcmp(category, portal_categories[i]) ? " selected"
		                                                                    : "",
		                portal_categories[i]);
	}
	portal_html_out(&h,
	                "</select> Domain <input type=\"text\" name=\"domain\" value=\"%s\" "
	                "style=\"width:14em\"> <button type=\"submit\">Filter</button></form>",
	                domain ? domain : "");
	portal_html_out(&h,
	                "<table id=\"cases\"><tr><th>Case</th><th>Domain</th><th>Category</th>"
	                "<th>Status</th><th>Your step</th><th>Reports</th><th>Opened</th></tr>");
	for (size_t i = 0; i < n; i++) {
		const ssr_case_row_t *c = &cases[i];
		char o[32];
		portal_html_fmt_time(c->opened, o);
		portal_html_out(&h,
		                "<tr><td><a href=\"/cases/%L\">#%L</a></td><td>%s</td><td>%s</td>"
		                "<td class=\"status\">%s</td><td>%s</td><td "
		                "class=\"n\">%L</td><td>%s</td></tr>",
		                c->id, c->id, c->domain, c->category, c->status,
		                c->party_state ? c->party_state : "", c->reports, o);
	}
	portal_html_out(&h, "</table>");
	if (n == 0) {
		portal_html_out(&h, "<p>No cases.</p>");
	} else if (n == (size_t)limit) {
		portal_html_out(&h, "<p><a href=\"/inbox?before=%L\">Older cases</a></p>",
		                cases[n - 1].id);
	}
	ssr_store_case_rows_free(cases, n);
	portal_html_close_page(&h, r, 200);
}

/* What the intake found a reported host imitates (the protected names, names check's rule). */
static void protected_names_html(html_t *h, json_t *names)
{
	size_t i;
	json_t *pn;
	json_array_foreach(names, i, pn)
	{
		char kinds[256] = "";
		size_t kl = 0, j;
		json_t *kv;
		json_array_foreach(json_object_get(pn, "kinds"), j, kv)
		{
			int w = snprintf(kinds + kl, sizeof kinds - kl, "%s%s", j ? ", " : "",
			                 json_string_value(kv) ? json_string_value(kv) : "");
			if (w < 0 || (size_t)w >= sizeof kinds - kl) {
				break;
			}
			kl += (size_t)w;
		}
		portal_html_out(
		    h, "<div class=\"imitates\">imitates <strong>%s</strong> (%s; in the %s label",
		    portal_html_jstr(pn, "brand"), kinds,
		    strcmp(portal_html_jstr(pn, "position"), "subdomain") == 0 ? "subdomain"
		                                                               : "registered");
		if (*portal_html_jstr(pn, "provider")) {
			portal_html_out(h, "; under the provider %s",
			                portal_html_jstr(pn, "provider"));
		}
		char score[16];
		snprintf(score, sizeof score, "%.2f",
		         json_number_value(json_object_get(pn, "score")));
		portal_html_out(h, "; score %s)</div>", score);
	}
}

static void case_page(ssr_portal_t *p, const req_t *q, int64_t id, resp_t *r, const char *err)
{
	if (!portal_page_need_session(q, r)) {
		return;
	}
	json_t *c = NULL;
	int rc = portal_case_view(p, q, id, &c);
	if (rc == SSR_ENOTFOUND) {
		portal_page_message(q, r, 404, "No such case",
		                    "No case with this number is routed to you.");
		return;
	}
	if (rc != SSR_EOK) {
		portal_page_message(q, r, 500, "Case", "The store failed; try again later.");
		return;
	}
	char title[300], t1[32], t2[32];
	snprintf(title, sizeof(title), "Case #%lld: %s", (long long)id,
	         portal_html_jstr(c, "domain"));
	html_t h;
	if (!portal_html_open_page(&h, q, title)) {
		json_decref(c);
		portal_resp_error(r, 500, "out of memory");
		return;
	}
	if (err) {
		portal_html_out(&h, "<p class=\"err\" id=\"action-error\">%s</p>", err);
	}
	portal_html_fmt_time(portal_html_jint(c, "opened"), t1);
	portal_html_fmt_time(portal_html_jint(c, "closed"), t2);
	portal_html_out(
	    &h,
	    "<table><tr><th>Status</th><td class=\"status\" id=\"case-status\">%s</td></tr>"
	    "<tr><th>Category</th><td>%s</td></tr><tr><th>Opened</th><td>%s</td></tr>"
	    "<tr><th>Closed</th><td>%s</td></tr><tr><th>Reports</th><td>%L from %L reporter(s)"
	    "</td></tr><tr><th>Routing</th><td>%s %s</td></tr></table>",
	    portal_html_jstr(c, "status"), portal_html_jstr(c, "category"), t1, t2,
	    portal_html_jint(c, "reports"), portal_html_jint(c, "reporters"),
	    portal_html_jstr(c, "route_state"), portal_html_jstr(c, "route_error"));
	/* the actions open to this party */
	int64_t party = portal_auth_party(q);
	bool acked = false, resolved = false;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(c, "events"), i, e)
	{
		if (portal_html_jint(e, "party_id") == party) {
			acked |= strcmp(portal_html_jstr(e, "kind"), "acknowledged") == 0;
			resolved |= strcmp(portal_html_jstr(e, "kind"), "resolved") == 0;
		}
	}
	bool closed = strcmp(portal_html_jstr(c, "status"), "closed") == 0;
	if (party > 0 && !resolved && !closed) {
		portal_html_out(&h, "<div class=\"box\"><h2>Your action</h2>");
		if (!acked) {
			portal_html_out(
			    &h,
			    "<form method=\"post\" action=\"/cases/%L/acknowledge\">"
			    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
			    "<button type=\"submit\" id=\"ack\">Acknowledge</button></form>",
			    id, q->auth.who.csrf);
		}
		portal_html_out(&h,
		                "<form method=\"post\" action=\"/cases/%L/resolve\">"
		                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		                "<label for=\"outcome\">Outcome</label><select id=\"outcome\" "
		                "name=\"outcome\">",
		                id, q->auth.who.csrf);
		for (int k = 0; portal_outcomes[k]; k++) {
			portal_html_out(&h, "<option>%s</option>", portal_outcomes[k]);
		}
		portal_html_out(
		    &h, "</select><label for=\"reason\">Reason (required for no-action)</label>"
		        "<input type=\"text\" id=\"reason\" name=\"reason\">"
		        "<div><button type=\"submit\" "
		        "id=\"resolve\">Resolve</button></div></form></div>");
	}
	portal_html_out(
	    &h, "<h2>Parties</h2><table><tr><th>Role</th><th>Party</th><th>IANA id</th></tr>");
	json_array_foreach(json_object_get(c, "parties"), i, e)
	{
		portal_html_out(&h, "<tr><td>%s</td><td>%s</td><td>", portal_html_jstr(e, "role"),
		                portal_html_jstr(e, "name"));
		if (portal_html_jint(e, "iana_id") > 0) {
			portal_html_out(&h, "%L", portal_html_jint(e, "iana_id"));
		}
		portal_html_out(&h, "</td></tr>");
	}
	portal_html_out(
	    &h,
	    "</table><h2>Evidence</h2><p><a href=\"/cases/%L/xarf\">The reports as XARF v4 "
	    "(JSON)</a></p>",
	    id);
	json_array_foreach(json_object_get(c, "reports_received"), i, e)
	{
		json_t *rep = json_object_get(e, "report"), *ev = json_object_get(rep, "evidence");
		portal_html_fmt_time(portal_html_jint(e, "received"), t1);
		portal_html_out(
		    &h, "<div class=\"box report\"><strong>Report #%L</strong>, received %s<ul>",
		    portal_html_jint(e, "id"), t1);
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(rep, "targets"), k, v)
		{
			portal_html_out(&h, "<li>%s", portal_html_jstr(v, "input"));
			protected_names_html(&h, json_object_get(v, "protected_names"));
			portal_html_out(&h, "</li>");
		}
		json_array_foreach(json_object_get(rep, "ips"), k, v)
		{
			portal_html_out(&h, "<li>IP %s</li>",
			                json_string_value(v) ? json_string_value(v) : "");
		}
		portal_html_out(&h, "</ul>");
		if (json_is_integer(json_object_get(ev, "observed"))) {
			portal_html_fmt_time(portal_html_jint(ev, "observed"), t2);
			portal_html_out(&h, "<div>Observed: %s</div>", t2);
		}
		static const char *const evk[][2] = {{"imitates", "Imitates"},
		                                     {"sample_sha256", "Sample SHA-256"}};
		for (int m = 0; m < 2; m++) {
			if (*portal_html_jstr(ev, evk[m][0])) {
				portal_html_out(&h, "<div>%s: %s</div>", evk[m][1],
				                portal_html_jstr(ev, evk[m][0]));
			}
		}
		if (*portal_html_jstr(ev, "description")) {
			portal_html_out(&h, "<pre>%s</pre>", portal_html_jstr(ev, "description"));
		}
		json_array_foreach(json_object_get(ev, "urls"), k, v)
		{
			/* shown as text, not as links: evidence URLs may be hostile */
			portal_html_out(&h, "<div>Evidence URL: <code>%s</code></div>",
			                json_string_value(v) ? json_string_value(v) : "");
		}
		json_array_foreach(json_object_get(rep, "attachments"), k, v)
		{
			portal_html_out(
			    &h,
			    "<div class=\"attachment\">Attachment: %s (%s, %L bytes, SHA-256 "
			    "%s)</div>",
			    portal_html_jstr(v, "name"), portal_html_jstr(v, "type"),
			    portal_html_jint(v, "size"), portal_html_jstr(v, "sha256"));
		}
		portal_html_out(&h, "</div>");
	}
	portal_html_out(&h, "<h2>Timeline</h2><table id=\"timeline\"><tr><th>When</th><th>What</th>"
	                    "<th>Party</th><th>Detail</th></tr>");
	json_array_foreach(json_object_get(c, "events"), i, e)
	{
		portal_html_fmt_time(portal_html_jint(e, "at"), t1);
		portal_html_out(&h, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", t1,
		                portal_html_jstr(e, "kind"), portal_html_jstr(e, "party"),
		                portal_html_jstr(e, "detail"));
	}
	portal_html_out(&h, "</table>");
	json_t *dl = json_object_get(c, "deliveries");
	if (json_array_size(dl) > 0) {
		portal_html_out(
		    &h,
		    "<h2>Deliveries</h2><table><tr><th>When</th><th>Channel</th><th>Attempt</th>"
		    "<th>State</th><th>Detail</th></tr>");
		json_array_foreach(dl, i, e)
		{
			portal_html_fmt_time(portal_html_jint(e, "at"), t1);
			portal_html_out(
			    &h,
			    "<tr><td>%s</td><td>%s</td><td "
			    "class=\"n\">%L</td><td>%s</td><td>%s</td></tr>",
			    t1, portal_html_jstr(e, "channel"), portal_html_jint(e, "attempt"),
			    portal_html_jstr(e, "state"), portal_html_jstr(e, "detail"));
		}
		portal_html_out(&h, "</table>");
	}
	json_decref(c);
	portal_html_close_page(&h, r, err ? 422 : 200);
}

static void case_post(ssr_portal_t *p, const req_t *q, int64_t id, const char *action, resp_t *r)
{
	if (!portal_page_need_session(q, r)) {
		return;
	}
	if (!portal_page_csrf_ok(q, true)) {
		portal_page_csrf_refused(q, r);
		return;
	}
	const char *reason = portal_req_field(q, "reason");
	const char *msg = NULL;
	int st =
	    portal_case_action(p, id, portal_auth_party(q), action, portal_req_field(q, "outcome"),
	                       reason && *reason ? reason : NULL, &msg);
	if (st == 404) {
		portal_page_message(q, r, 404, "No such case",
		                    "No case with this number is routed to you.");
		return;
	}
	if (st != 0) {
		case_page(p, q, id, r, msg);
		return;
	}
	char loc[64];
	snprintf(loc, sizeof(loc), "/cases/%lld", (long long)id);
	portal_resp_redirect(r, loc);
}

/* ---- routes -----------------------------------------------------------------------------------
 */

void portal_page_inbox(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)a;
	inbox(p, q, r);
}

void portal_page_case_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	case_page(p, q, a->id, r, NULL);
}

void portal_page_case_xarf(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	if (portal_page_need_session(q, r)) {
		portal_case_xarf_answer(p, q, a->id, r);
	}
}

void portal_page_case_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	case_post(p, q, a->id, a->arg, r);
}
