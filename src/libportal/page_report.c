/* ssrwatch — the reporter's pages: the home page, the report form (multipart: attachments;
 * errors beside each field) and the reporter's own page at /r/{token}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas.h"
#include "html.h"
#include "intake.h"
#include "cases.h"
#include "vocab.h"
#include "ssrwatch/crypto.h"

static void home(const req_t *q, resp_t *r)
{
	html_t h;
	if (!portal_html_open_page(&h, q, "Report DNS abuse")) {
		portal_resp_error(r, 500, "out of memory");
		return;
	}
	portal_html_out(
	    &h, "<p>This portal takes reports of phishing, malware, botnet command and control, "
	        "spam and misleading domain names with their evidence, finds the registrar, "
	        "registry and hosting provider responsible (RDAP), delivers the report to them "
	        "and measures how fast each one acts.</p>"
	        "<p><a href=\"/report\"><strong>Report abuse</strong></a> · "
	        "<a href=\"/stats\">How fast parties act (SLA statistics)</a> · "
	        "<a href=\"/login\">Registrar, registry and host login</a> · "
	        "<a href=\"/api/v1/categories\">JSON API</a></p>");
	portal_html_close_page(&h, r, 200);
}

static const char *const cat_labels[] = {
    "Phishing", "Malware", "Botnet command and control", "Spam", "Misleading name", "Other"};

/* The form field an intake error belongs to ("targets[2]" -> "targets"). */
static const char *form_field(const char *f)
{
	static const char *const map[][2] = {{"evidence.description", "description"},
	                                     {"evidence.imitates", "imitates"},
	                                     {"evidence.observed", "observed"},
	                                     {"evidence.urls", "evidence_urls"},
	                                     {"evidence.sample_sha256", "sample_sha256"},
	                                     {"evidence.smtp_from", "smtp_from"},
	                                     {"evidence.source_port", "source_port"},
	                                     {"evidence.subject", "subject"},
	                                     {"evidence.legitimate_site", "legitimate_site"},
	                                     {"reporter.name", "reporter_name"},
	                                     {"reporter.email", "reporter_email"},
	                                     {"targets", "targets"},
	                                     {"ips", "ips"},
	                                     {"attachments", "attachments"},
	                                     {"category", "category"}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		size_t l = strlen(map[i][0]);
		if (strncmp(f, map[i][0], l) == 0 && (f[l] == '\0' || f[l] == '[')) {
			return map[i][1];
		}
	}
	return "";
}

static void field_errors(html_t *h, json_t *errors, const char *name)
{
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e)
	{
		if (strcmp(form_field(portal_html_jstr(e, "field")), name) == 0) {
			portal_html_out(h, "<div class=\"err\" data-field=\"%s\">%s</div>", name,
			                portal_html_jstr(e, "message"));
		}
	}
}

static void text_input(html_t *h, const req_t *q, json_t *errors, const char *name,
                       const char *label, const char *hint, bool area)
{
	const char *v = portal_req_field(q, name);
	portal_html_out(h, "<label for=\"%s\">%s</label>", name, label);
	if (hint) {
		portal_html_out(h, "<div class=\"hint\">%s</div>", hint);
	}
	field_errors(h, errors, name);
	if (area) {
		portal_html_out(h, "<textarea id=\"%s\" name=\"%s\">%s</textarea>", name, name,
		                v ? v : "");
	} else {
		portal_html_out(h, "<input type=\"text\" id=\"%s\" name=\"%s\" value=\"%s\">", name,
		                name, v ? v : "");
	}
}

static void report_form(ssr_portal_t *p, const req_t *q, resp_t *r, json_t *errors, int status)
{
	char tok[64];
	portal_page_anon_csrf(p, q, r, tok);
	html_t h;
	if (!portal_html_open_page(&h, q, "Report abuse")) {
		portal_resp_error(r, 500, "out of memory");
		return;
	}
	if (json_array_size(errors) > 0) {
		portal_html_out(&h,
		                "<div class=\"box err\" id=\"errors\">The report was not accepted; "
		                "%d field(s) need attention. Nothing was stored.</div>",
		                (int)json_array_size(errors));
		field_errors(&h, errors, "");
	}
	portal_html_out(
	    &h,
	    "<p>Fields marked * are required. Each category needs its minimum evidence: "
	    "phishing the phishing URL and what it imitates; malware a download URL or a "
	    "SHA-256 and a description; botnet C2 a description and when it was observed; "
	    "misleading names what they imitate and the legitimate site's address; spam a "
	    "description of at least 20 characters, the envelope sender and the sending "
	    "server's source port (both in the message's headers); other a description of "
	    "at least 20 characters.</p>"
	    "<form method=\"post\" action=\"/report\" enctype=\"multipart/form-data\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<label for=\"category\">Category *</label>",
	    tok);
	field_errors(&h, errors, "category");
	portal_html_out(&h, "<select id=\"category\" name=\"category\">");
	const char *cur = portal_req_field(q, "category");
	for (int i = 0; portal_categories[i] != NULL; i++) {
		portal_html_out(&h, "<option value=\"%s\"%s>%s</option>", portal_categories[i],
		                cur && strcmp(cur, portal_categories[i]) == 0 ? " selected" : "",
		                cat_labels[i]);
	}
	portal_html_out(&h, "</select>");
	text_input(&h, q, errors, "targets", "Domain names or URLs *", "one per line", true);
	text_input(&h, q, errors, "imitates", "Brand or organisation imitated", NULL, false);
	text_input(&h, q, errors, "legitimate_site", "The legitimate site",
	           "misleading names: the real brand's address, https://...", false);
	text_input(&h, q, errors, "description", "What you saw", NULL, true);
	text_input(&h, q, errors, "observed", "When you saw it",
	           "UTC, e.g. 2026-11-17T10:00:00Z or 2026-11-17", false);
	text_input(&h, q, errors, "evidence_urls", "Evidence URLs",
	           "screenshots, archives; one per line", true);
	text_input(&h, q, errors, "sample_sha256", "Malware sample SHA-256", NULL, false);
	text_input(&h, q, errors, "smtp_from", "Spam: envelope sender",
	           "the MAIL FROM (Return-Path) address", false);
	text_input(&h, q, errors, "source_port", "Spam: source port",
	           "the sending server's port, from the Received header", false);
	text_input(&h, q, errors, "subject", "Spam: subject", NULL, false);
	text_input(&h, q, errors, "ips", "IP addresses of the hosts",
	           "one per line; their hosting providers are notified", true);
	portal_html_out(
	    &h,
	    "<label for=\"attachments\">Attachments</label><div class=\"hint\">at most %d files "
	    "of %d KiB each</div>",
	    (int)p->cfg.max_attachments, (int)(p->cfg.max_attachment / 1024));
	field_errors(&h, errors, "attachments");
	portal_html_out(&h,
	                "<input type=\"file\" id=\"attachments\" name=\"attachments\" multiple>");
	text_input(&h, q, errors, "reporter_name", "Your name", "optional", false);
	text_input(&h, q, errors, "reporter_email", "Your e-mail",
	           "optional; never shown to the parties", false);
	portal_html_out(&h, "<div><button type=\"submit\">Send report</button></div></form>");
	portal_html_close_page(&h, r, status);
}

/* Lines (or whitespace/comma separated words) of a form field appended to a JSON array. */
static json_t *split_list(const char *s, bool words)
{
	json_t *a = json_array();
	const char *sep = words ? " \t\r\n," : "\r\n";
	while (s && *s) {
		s += strspn(s, sep);
		size_t l = strcspn(s, sep);
		size_t t = l;
		while (t > 0 && (s[t - 1] == ' ' || s[t - 1] == '\t')) {
			t--;
		}
		const char *b = s;
		while (t > 0 && (*b == ' ' || *b == '\t')) {
			b++, t--;
		}
		if (t > 0) {
			json_array_append_new(a, json_stringn(b, t));
		}
		s += l;
	}
	return a;
}

/* The form as the JSON report the API takes (intake validates both the same way). */
static json_t *form_report(const req_t *q)
{
	json_t *in = json_object(), *ev = json_object(), *rep = json_object();
	portal_req_put_field(in, "category", portal_req_field(q, "category"));
	json_object_set_new(in, "targets", split_list(portal_req_field(q, "targets"), false));
	json_t *ips = split_list(portal_req_field(q, "ips"), true);
	if (json_array_size(ips) > 0) {
		json_object_set_new(in, "ips", ips);
	} else {
		json_decref(ips);
	}
	portal_req_put_field(ev, "description", portal_req_field(q, "description"));
	portal_req_put_field(ev, "imitates", portal_req_field(q, "imitates"));
	portal_req_put_field(ev, "observed", portal_req_field(q, "observed"));
	portal_req_put_field(ev, "sample_sha256", portal_req_field(q, "sample_sha256"));
	portal_req_put_field(ev, "smtp_from", portal_req_field(q, "smtp_from"));
	portal_req_put_field(ev, "source_port", portal_req_field(q, "source_port"));
	portal_req_put_field(ev, "subject", portal_req_field(q, "subject"));
	portal_req_put_field(ev, "legitimate_site", portal_req_field(q, "legitimate_site"));
	json_t *urls = split_list(portal_req_field(q, "evidence_urls"), false);
	if (json_array_size(urls) > 0) {
		json_object_set_new(ev, "urls", urls);
	} else {
		json_decref(urls);
	}
	json_object_set_new(in, "evidence", ev);
	portal_req_put_field(rep, "name", portal_req_field(q, "reporter_name"));
	portal_req_put_field(rep, "email", portal_req_field(q, "reporter_email"));
	if (json_object_size(rep) > 0) {
		json_object_set_new(in, "reporter", rep);
	} else {
		json_decref(rep);
	}
	if (q->form != NULL && q->form->nfiles > 0) {
		json_t *at = json_array();
		for (size_t i = 0; i < q->form->nfiles; i++) {
			const form_file_t *f = &q->form->files[i];
			char *b64 = malloc(ssr_base64_len(f->len) + 1);
			if (b64 == NULL) {
				continue; /* intake then reports the attachment as missing data */
			}
			ssr_base64_encode((const uint8_t *)(f->data ? f->data : ""), f->len, b64);
			json_t *o = json_object();
			json_object_set_new(o, "name", json_string(f->name));
			json_object_set_new(o, "type", json_string(f->type));
			json_object_set_new(o, "data", json_string(b64));
			free(b64);
			json_array_append_new(at, o);
		}
		json_object_set_new(in, "attachments", at);
	}
	return in;
}

static void report_post(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	if (!portal_page_csrf_ok(q, false)) {
		portal_page_csrf_refused(q, r);
		return;
	}
	/* the per-IP rate limit was counted before the body was read (router.c) */
	json_t *in = form_report(q);
	json_t *res = NULL, *errs = NULL;
	ssr_diag_t d;
	int rc = portal_intake_submit(p, in, q->ip, &res, &errs, &d);
	json_decref(in);
	if (rc == SSR_EINVAL) {
		report_form(p, q, r, errs, 422);
		json_decref(errs);
		return;
	}
	json_decref(errs);
	if (rc != SSR_EOK) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "%s", d.msg);
		portal_page_message(
		    q, r, 503, "Report not stored",
		    "The report could not be stored and nothing was kept; please send it "
		    "again.");
		return;
	}
	char loc[128];
	snprintf(loc, sizeof(loc), "/r/%s", portal_html_jstr(res, "token"));
	json_decref(res);
	portal_resp_redirect(r, loc);
}

static void reporter_page(ssr_portal_t *p, const req_t *q, const char *token, resp_t *r)
{
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_diag_t d;
	json_t *rep = NULL;
	int rc = portal_report_by_token(st, token, &rep, &d);
	portal_pool_put(&p->pool, st);
	if (rc == SSR_ENOTFOUND) {
		portal_page_message(q, r, 404, "No such report", "No report has this link.");
		return;
	}
	if (rc != SSR_EOK) {
		portal_page_message(q, r, 500, "Store failure",
		                    "The store failed; try again later.");
		return;
	}
	html_t h;
	if (!portal_html_open_page(&h, q, "Your report")) {
		json_decref(rep);
		portal_resp_error(r, 500, "out of memory");
		return;
	}
	char t[32];
	portal_html_fmt_time(portal_html_jint(rep, "received"), t);
	portal_html_out(
	    &h,
	    "<p id=\"thanks\">Thank you: report #%L (%s) was received on %s. Keep this page's "
	    "address to follow it; it is the only way to see the report.</p>"
	    "<table><tr><th>Case</th><th>Domain</th><th>Category</th><th>Status</th>"
	    "<th>Opened</th><th>Closed</th></tr>",
	    portal_html_jint(rep, "id"), portal_html_jstr(rep, "category"), t);
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(rep, "cases"), i, c)
	{
		char o[32], cl[32];
		portal_html_fmt_time(portal_html_jint(c, "opened"), o);
		portal_html_fmt_time(portal_html_jint(c, "closed"), cl);
		portal_html_out(
		    &h,
		    "<tr><td>#%L</td><td>%s</td><td>%s</td><td class=\"status\">%s</td><td>%s</td>"
		    "<td>%s</td></tr>",
		    portal_html_jint(c, "id"), portal_html_jstr(c, "domain"),
		    portal_html_jstr(c, "category"), portal_html_jstr(c, "status"), o, cl);
	}
	portal_html_out(&h, "</table>");
	json_t *body = json_object_get(rep, "body");
	json_t *ev = json_object_get(body, "evidence");
	portal_html_out(&h, "<h2>What you reported</h2><div class=\"box\"><ul>");
	json_array_foreach(json_object_get(body, "targets"), i, c)
	{
		portal_html_out(&h, "<li>%s</li>", portal_html_jstr(c, "input"));
	}
	portal_html_out(&h, "</ul>");
	if (*portal_html_jstr(ev, "imitates")) {
		portal_html_out(&h, "<p>Imitates: %s</p>", portal_html_jstr(ev, "imitates"));
	}
	if (*portal_html_jstr(ev, "description")) {
		portal_html_out(&h, "<pre>%s</pre>", portal_html_jstr(ev, "description"));
	}
	portal_html_out(&h, "</div>");
	json_decref(rep);
	portal_html_close_page(&h, r, 200);
}

/* ---- routes -----------------------------------------------------------------------------------
 */

void portal_page_home(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)p;
	(void)a;
	home(q, r);
}

void portal_page_report_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)a;
	report_form(p, q, r, NULL, 200);
}

void portal_page_report_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)a;
	report_post(p, q, r);
}

void portal_page_reporter(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	reporter_page(p, q, a->seg, r);
}
