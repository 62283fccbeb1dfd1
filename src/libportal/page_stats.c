/* ssrwatch — the public SLA statistics page (Rec 18): how fast each party acts. */
#include <stdio.h>
#include <string.h>

#include "areas.h"
#include "html.h"
#include "sla.h"

static void pct(html_t *h, json_t *v)
{
	if (json_is_number(v)) {
		fprintf(h->f, "%.0f%%", json_number_value(v) * 100.0);
	} else {
		fputs("-", h->f);
	}
}

static void stats_row(html_t *h, json_t *a, const char *name, const char *roles)
{
	json_t *ta = json_object_get(a, "time_to_acknowledge"),
	       *tx = json_object_get(a, "time_to_action");
	char m1[32], p1[32], m2[32], p2[32];
	portal_html_fmt_dur(json_object_get(ta, "median_s"), m1);
	portal_html_fmt_dur(json_object_get(ta, "p90_s"), p1);
	portal_html_fmt_dur(json_object_get(tx, "median_s"), m2);
	portal_html_fmt_dur(json_object_get(tx, "p90_s"), p2);
	portal_html_out(h,
	                "<tr><td>%s</td><td>%s</td><td class=\"n\">%L</td><td class=\"n\">%L</td>"
	                "<td class=\"n\">%L</td><td class=\"n\">%L</td><td class=\"n\">",
	                name, roles, portal_html_jint(a, "routed"),
	                portal_html_jint(a, "acknowledged"), portal_html_jint(a, "resolved"),
	                portal_html_jint(a, "mitigated"));
	pct(h, json_object_get(a, "mitigation_rate"));
	portal_html_out(h, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">",
	                m1, p1);
	pct(h, json_object_get(ta, "share_within_sla"));
	portal_html_out(h, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">",
	                m2, p2);
	pct(h, json_object_get(tx, "share_within_sla"));
	portal_html_out(h, "</td><td class=\"n\">%L</td><td class=\"n\">%L</td></tr>",
	                portal_html_jint(a, "open_acknowledge_breaches"),
	                portal_html_jint(a, "open_action_breaches"));
}

static void stats_page(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	if (!portal_rate_ok(p, "stats", q->ip, p->cfg.rate_ip, r)) {
		portal_page_message(q, r, 429, "SLA statistics",
		                    "Too many requests from your address; wait a minute.");
		return;
	}
	ssr_diag_t d;
	json_t *j = NULL;
	int rc = portal_sla_cached(p, &j, &d);
	if (rc != SSR_EOK) {
		portal_page_message(q, r, 500, "SLA statistics",
		                    "The store failed; try again later.");
		return;
	}
	ssr_sla_opts_t o = {p->cfg.sla_ack_s, p->cfg.sla_action_s,
	                    portal_html_jint(j, "at")}; /* the time the figures describe */
	html_t h;
	if (!portal_html_open_page(&h, q, "SLA statistics")) {
		json_decref(j);
		portal_resp_error(r, 500, "out of memory");
		return;
	}
	char at[32], sa[32], sx[32];
	portal_html_fmt_time(o.now, at);
	json_t *ack = json_integer(o.ack_s), *act = json_integer(o.action_s);
	portal_html_fmt_dur(ack, sa);
	portal_html_fmt_dur(act, sx);
	json_decref(ack);
	json_decref(act);
	portal_html_out(
	    &h,
	    "<p>How fast the parties that reports are routed to act, as of %s. Service levels: "
	    "acknowledge within %s, act within %s. Times are from routing to the party's step; "
	    "docs/METHODOLOGY.md defines every figure. The same figures as JSON: "
	    "<a href=\"/api/v1/stats\">/api/v1/stats</a>.</p>"
	    "<div class=\"scroll\"><table id=\"sla\" class=\"compact\"><thead><tr>"
	    "<th rowspan=\"2\">Party</th><th rowspan=\"2\">Role</th>"
	    "<th colspan=\"5\" class=\"group\">Cases</th>"
	    "<th colspan=\"3\" class=\"group\">Time to acknowledge</th>"
	    "<th colspan=\"3\" class=\"group\">Time to action</th>"
	    "<th colspan=\"2\" class=\"group\">Open breaches</th></tr><tr>"
	    "<th>Routed</th><th>Acknowledged</th><th>Resolved</th><th>Mitigated</th>"
	    "<th>Mitigation rate</th><th>median</th><th>p90</th><th>within SLA</th>"
	    "<th>median</th><th>p90</th><th>within SLA</th>"
	    "<th>acknowledge</th><th>action</th></tr></thead><tbody>",
	    at, sa, sx);
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(j, "parties"), i, a)
	{
		stats_row(&h, a, portal_html_jstr(a, "name"), portal_html_jstr(a, "roles"));
	}
	stats_row(&h, json_object_get(j, "overall"), "All parties", "");
	portal_html_out(&h, "</tbody></table></div>");
	json_decref(j);
	portal_html_close_page(&h, r, 200);
}

void portal_page_stats(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)a;
	stats_page(p, q, r);
}
