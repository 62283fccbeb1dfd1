/* ssrwatch — the portal's server-rendered HTML pages.  Every page works without JavaScript;
 * every value is HTML-escaped; every form carries a CSRF token: the session's for logged-in
 * parties, a double-submit cookie for the anonymous report and login forms.
 *
 *   /                      what the portal is, links
 *   /report     GET, POST  the report form (multipart: attachments); errors beside each field
 *   /r/{token}             the reporter's page: the cases the report joined and their status
 *   /login      GET, POST  party login (Argon2id); /logout POST
 *   /inbox                 a party's cases with filters (admins: all)
 *   /cases/{id} GET        a case: evidence, parties, timeline, deliveries; acknowledge and
 *              POST .../acknowledge, .../resolve
 *   /stats                 public SLA figures (Rec 18)
 *   /admin      GET        parties and the registry directory; POST /admin/party, /admin/registry
 *   /recs...               the recommendation tracker (recs.c)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "portal_priv.h"
#include "ssrwatch/crypto.h"
#include "ssrwatch/report.h"

#define SESSION_S (12 * 3600) /* a login lasts 12 hours */

/* ---- HTML building ----------------------------------------------------------------------- */

/* Text with & < > " ' escaped (safe in element content and quoted attributes). */
void html_esc(html_t *h, const char *s)
{
	ssr_html_escape(h->f, s);
}

/* printf where every %s argument is escaped; other conversions as printf. */
void html_out(html_t *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (const char *c = fmt; *c; c++) {
		if (*c != '%') {
			fputc(*c, h->f);
			continue;
		}
		c++;
		if (*c == 's') {
			html_esc(h, va_arg(ap, const char *));
		} else if (*c == 'd') {
			fprintf(h->f, "%d", va_arg(ap, int));
		} else if (*c == 'L') {
			fprintf(h->f, "%lld", (long long)va_arg(ap, int64_t));
		} else if (*c == '%') {
			fputc('%', h->f);
		}
	}
	va_end(ap);
}

void html_fmt_time(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (t <= 0 || gmtime_r(&tt, &tm) == NULL) {
		snprintf(out, 32, "-");
		return;
	}
	strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm);
}

static void fmt_dur(json_t *v, char out[32])
{
	if (!json_is_number(v)) {
		snprintf(out, 32, "-");
		return;
	}
	long long s = (long long)json_number_value(v);
	if (s < 3600) {
		snprintf(out, 32, "%lldm", s / 60);
	} else if (s < 86400) {
		snprintf(out, 32, "%lldh %02lldm", s / 3600, s % 3600 / 60);
	} else {
		snprintf(out, 32, "%lldd %02lldh", s / 86400, s % 86400 / 3600);
	}
}

const char *html_jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

int64_t html_jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

bool html_open_page(html_t *h, const req_t *q, const char *title)
{
	h->f = open_memstream(&h->buf, &h->len);
	if (h->f == NULL) {
		return false;
	}
	html_out(
	    h,
	    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	    "<title>%s · ssrwatch abuse portal</title><style>"
	    "body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2330}"
	    "header{background:#1d3557;color:#fff;padding:.6em 1.2em;display:flex;gap:1.2em;"
	    "align-items:center;flex-wrap:wrap}header a{color:#fff}header form{margin:0}"
	    "main{max-width:70em;margin:1em auto;padding:0 1.2em}"
	    "table{border-collapse:collapse;width:100%%}th,td{border-bottom:1px solid #ccd;"
	    "padding:.3em .5em;text-align:left;vertical-align:top}th{background:#eef}"
	    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
	    "label{display:block;margin-top:.8em;font-weight:600}"
	    "input[type=text],input[type=email],input[type=password],textarea,select{width:100%%;"
	    "max-width:40em;padding:.3em;font:inherit}textarea{height:5em}"
	    ".err{color:#a4161a;font-weight:600}.hint{color:#555;font-size:.9em}"
	    ".box{border:1px solid #ccd;padding:.6em 1em;margin:1em 0;background:#fafaff}"
	    ".status{font-weight:700}button{margin-top:.8em;padding:.4em 1em;font:inherit}"
	    "pre{white-space:pre-wrap;word-break:break-all}"
	    ".scroll{overflow-x:auto}main:has(table.compact){max-width:84em}"
	    "table.compact{font-size:.93em}table.compact th,table.compact td{padding:.3em .35em}"
	    "th.group{text-align:center;border-bottom:1px solid #99a}"
	    "</style></head><body><header><strong>ssrwatch abuse portal</strong>"
	    "<a href=\"/report\">Report abuse</a><a href=\"/stats\">SLA statistics</a>"
	    "<a href=\"/recs\">Recommendations</a>",
	    title);
	if (q->auth.known && q->auth.by_session) {
		html_out(h, "<a href=\"/inbox\">Inbox</a>");
		if (auth_admin(q)) {
			html_out(h, "<a href=\"/admin\">Admin</a>");
		}
		html_out(
		    h,
		    "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" "
		    "value=\"%s\"><button type=\"submit\" style=\"margin:0\">Log out %s</button>"
		    "</form>",
		    q->auth.who.csrf, q->auth.who.login);
	} else {
		html_out(h, "<a href=\"/login\">Party login</a>");
	}
	html_out(h, "</header><main><h1>%s</h1>\n", title);
	return true;
}

void html_close_page(html_t *h, resp_t *r, int status)
{
	html_out(h, "</main></body></html>\n");
	fclose(h->f);
	resp_text(r, status, "text/html; charset=utf-8", h->buf, h->len);
}

void page_message(const req_t *q, resp_t *r, int status, const char *title, const char *msg)
{
	html_t h;
	if (!html_open_page(&h, q, title)) {
		resp_error(r, 500, "out of memory");
		return;
	}
	html_out(&h, "<p class=\"err\">%s</p>", msg);
	html_close_page(&h, r, status);
}

/* ---- CSRF -------------------------------------------------------------------------------- */

/* The anonymous forms' double-submit token: a random nonce and its HMAC under the portal's
 * key, "<nonce>.<mac>", so that a value the client picks is refused (RFC 6265bis and OWASP's
 * "signed double-submit cookie"). */
#define CSRF_NONCE 22 /* 16 random bytes, base64url */
#define CSRF_LEN   (CSRF_NONCE + 1 + 32)

static void csrf_mac(const ssr_portal_t *p, const char *nonce, char out[33])
{
	uint8_t mac[SSR_SHA256_LEN];
	ssr_hmac_sha256(p->csrf_key, sizeof(p->csrf_key), nonce, CSRF_NONCE, mac);
	ssr_hex(mac, 16, out);
}

static bool csrf_token_ok(const ssr_portal_t *p, const char *t)
{
	if (t == NULL || strlen(t) != CSRF_LEN || t[CSRF_NONCE] != '.') {
		return false;
	}
	char mac[33];
	csrf_mac(p, t, mac);
	return ssr_ct_equal(mac, t + CSRF_NONCE + 1, 32);
}

bool page_csrf_cookie_ok(const ssr_portal_t *p, const req_t *q)
{
	return csrf_token_ok(p, req_cookie(q, "ssr_csrf"));
}

/* The token for an anonymous form: the cookie's, if this portal made it, or a new one set in
 * r. */
static void anon_csrf(ssr_portal_t *p, const req_t *q, resp_t *r, char tok[64])
{
	const char *c = req_cookie(q, "ssr_csrf");
	if (csrf_token_ok(p, c)) {
		snprintf(tok, 64, "%s", c);
		return;
	}
	char nonce[32], mac[33];
	if (ssr_random_token(16, nonce, sizeof(nonce)) != SSR_EOK || strlen(nonce) != CSRF_NONCE) {
		tok[0] = '\0';
		return;
	}
	csrf_mac(p, nonce, mac);
	snprintf(tok, 64, "%.22s.%.32s", nonce, mac);
	snprintf(r->cookie[1], sizeof(r->cookie[1]),
	         "ssr_csrf=%s; Path=/; HttpOnly; SameSite=Strict%s", tok,
	         p->cfg.secure_cookies ? "; Secure" : "");
}

static bool same(const char *a, const char *b)
{
	size_t n = a ? strlen(a) : 0;
	return n >= 20 && b != NULL && strlen(b) == n && ssr_ct_equal(a, b, n);
}

/* A form post's token against the session's (logged in) or the double-submit cookie. */
bool page_csrf_ok(const req_t *q, bool session)
{
	const char *f = req_field(q, "csrf");
	if (session) {
		return q->auth.by_session && same(q->auth.who.csrf, f);
	}
	const char *c = req_cookie(q, "ssr_csrf");
	return same(c, f) && csrf_token_ok(q->portal, c);
}

void page_csrf_refused(const req_t *q, resp_t *r)
{
	page_message(q, r, 403, "Form refused",
	             "The form's security token is missing or does not match: it expired or was "
	             "not sent from this site. Go back, reload the page and send it again.");
}

/* ---- home -------------------------------------------------------------------------------- */

static void home(const req_t *q, resp_t *r)
{
	html_t h;
	if (!html_open_page(&h, q, "Report DNS abuse")) {
		resp_error(r, 500, "out of memory");
		return;
	}
	html_out(&h,
	         "<p>This portal takes reports of phishing, malware, botnet command and control, "
	         "spam and misleading domain names with their evidence, finds the registrar, "
	         "registry and hosting provider responsible (RDAP), delivers the report to them "
	         "and measures how fast each one acts.</p>"
	         "<p><a href=\"/report\"><strong>Report abuse</strong></a> · "
	         "<a href=\"/stats\">How fast parties act (SLA statistics)</a> · "
	         "<a href=\"/login\">Registrar, registry and host login</a> · "
	         "<a href=\"/api/v1/categories\">JSON API</a></p>");
	html_close_page(&h, r, 200);
}

/* ---- the report form --------------------------------------------------------------------- */

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
		if (strcmp(form_field(html_jstr(e, "field")), name) == 0) {
			html_out(h, "<div class=\"err\" data-field=\"%s\">%s</div>", name,
			         html_jstr(e, "message"));
		}
	}
}

static void text_input(html_t *h, const req_t *q, json_t *errors, const char *name,
                       const char *label, const char *hint, bool area)
{
	const char *v = req_field(q, name);
	html_out(h, "<label for=\"%s\">%s</label>", name, label);
	if (hint) {
		html_out(h, "<div class=\"hint\">%s</div>", hint);
	}
	field_errors(h, errors, name);
	if (area) {
		html_out(h, "<textarea id=\"%s\" name=\"%s\">%s</textarea>", name, name,
		         v ? v : "");
	} else {
		html_out(h, "<input type=\"text\" id=\"%s\" name=\"%s\" value=\"%s\">", name, name,
		         v ? v : "");
	}
}

static void report_form(ssr_portal_t *p, const req_t *q, resp_t *r, json_t *errors, int status)
{
	char tok[64];
	anon_csrf(p, q, r, tok);
	html_t h;
	if (!html_open_page(&h, q, "Report abuse")) {
		resp_error(r, 500, "out of memory");
		return;
	}
	if (json_array_size(errors) > 0) {
		html_out(&h,
		         "<div class=\"box err\" id=\"errors\">The report was not accepted; "
		         "%d field(s) need attention. Nothing was stored.</div>",
		         (int)json_array_size(errors));
		field_errors(&h, errors, "");
	}
	html_out(&h,
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
	html_out(&h, "<select id=\"category\" name=\"category\">");
	const char *cur = req_field(q, "category");
	for (int i = 0; portal_categories[i] != NULL; i++) {
		html_out(&h, "<option value=\"%s\"%s>%s</option>", portal_categories[i],
		         cur && strcmp(cur, portal_categories[i]) == 0 ? " selected" : "",
		         cat_labels[i]);
	}
	html_out(&h, "</select>");
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
	html_out(
	    &h,
	    "<label for=\"attachments\">Attachments</label><div class=\"hint\">at most %d files "
	    "of %d KiB each</div>",
	    (int)p->cfg.max_attachments, (int)(p->cfg.max_attachment / 1024));
	field_errors(&h, errors, "attachments");
	html_out(&h, "<input type=\"file\" id=\"attachments\" name=\"attachments\" multiple>");
	text_input(&h, q, errors, "reporter_name", "Your name", "optional", false);
	text_input(&h, q, errors, "reporter_email", "Your e-mail",
	           "optional; never shown to the parties", false);
	html_out(&h, "<div><button type=\"submit\">Send report</button></div></form>");
	html_close_page(&h, r, status);
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

static void put_opt(json_t *o, const char *key, const char *v)
{
	if (v != NULL && *v != '\0') {
		json_object_set_new(o, key, json_string(v));
	}
}

/* The form as the JSON report the API takes (intake validates both the same way). */
static json_t *form_report(const req_t *q)
{
	json_t *in = json_object(), *ev = json_object(), *rep = json_object();
	put_opt(in, "category", req_field(q, "category"));
	json_object_set_new(in, "targets", split_list(req_field(q, "targets"), false));
	json_t *ips = split_list(req_field(q, "ips"), true);
	if (json_array_size(ips) > 0) {
		json_object_set_new(in, "ips", ips);
	} else {
		json_decref(ips);
	}
	put_opt(ev, "description", req_field(q, "description"));
	put_opt(ev, "imitates", req_field(q, "imitates"));
	put_opt(ev, "observed", req_field(q, "observed"));
	put_opt(ev, "sample_sha256", req_field(q, "sample_sha256"));
	put_opt(ev, "smtp_from", req_field(q, "smtp_from"));
	put_opt(ev, "source_port", req_field(q, "source_port"));
	put_opt(ev, "subject", req_field(q, "subject"));
	put_opt(ev, "legitimate_site", req_field(q, "legitimate_site"));
	json_t *urls = split_list(req_field(q, "evidence_urls"), false);
	if (json_array_size(urls) > 0) {
		json_object_set_new(ev, "urls", urls);
	} else {
		json_decref(urls);
	}
	json_object_set_new(in, "evidence", ev);
	put_opt(rep, "name", req_field(q, "reporter_name"));
	put_opt(rep, "email", req_field(q, "reporter_email"));
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
	if (!page_csrf_ok(q, false)) {
		page_csrf_refused(q, r);
		return;
	}
	/* the per-IP rate limit was counted before the body was read (server.c) */
	json_t *in = form_report(q);
	json_t *res = NULL, *errs = NULL;
	ssr_diag_t d;
	int rc = intake_submit(p, in, q->ip, &res, &errs, &d);
	json_decref(in);
	if (rc == SSR_EINVAL) {
		atomic_fetch_add(&p->reports_rejected, 1);
		report_form(p, q, r, errs, 422);
		json_decref(errs);
		return;
	}
	json_decref(errs);
	if (rc != SSR_EOK) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "%s", d.msg);
		page_message(q, r, 503, "Report not stored",
		             "The report could not be stored and nothing was kept; please send it "
		             "again.");
		return;
	}
	atomic_fetch_add(&p->reports_ok, 1);
	char loc[128];
	snprintf(loc, sizeof(loc), "/r/%s", html_jstr(res, "token"));
	json_decref(res);
	resp_redirect(r, loc);
}

/* ---- the reporter's page ----------------------------------------------------------------- */

static void reporter_page(ssr_portal_t *p, const req_t *q, const char *token, resp_t *r)
{
	ssr_store_t *st = pool_get(&p->pool);
	ssr_diag_t d;
	json_t *rep = NULL;
	int rc = report_by_token(st, token, &rep, &d);
	pool_put(&p->pool, st);
	if (rc == SSR_ENOTFOUND) {
		page_message(q, r, 404, "No such report", "No report has this link.");
		return;
	}
	if (rc != SSR_EOK) {
		page_message(q, r, 500, "Store failure", "The store failed; try again later.");
		return;
	}
	html_t h;
	if (!html_open_page(&h, q, "Your report")) {
		json_decref(rep);
		resp_error(r, 500, "out of memory");
		return;
	}
	char t[32];
	html_fmt_time(html_jint(rep, "received"), t);
	html_out(&h,
	         "<p id=\"thanks\">Thank you: report #%L (%s) was received on %s. Keep this page's "
	         "address to follow it; it is the only way to see the report.</p>"
	         "<table><tr><th>Case</th><th>Domain</th><th>Category</th><th>Status</th>"
	         "<th>Opened</th><th>Closed</th></tr>",
	         html_jint(rep, "id"), html_jstr(rep, "category"), t);
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(rep, "cases"), i, c)
	{
		char o[32], cl[32];
		html_fmt_time(html_jint(c, "opened"), o);
		html_fmt_time(html_jint(c, "closed"), cl);
		html_out(
		    &h,
		    "<tr><td>#%L</td><td>%s</td><td>%s</td><td class=\"status\">%s</td><td>%s</td>"
		    "<td>%s</td></tr>",
		    html_jint(c, "id"), html_jstr(c, "domain"), html_jstr(c, "category"),
		    html_jstr(c, "status"), o, cl);
	}
	html_out(&h, "</table>");
	json_t *body = json_object_get(rep, "body");
	json_t *ev = json_object_get(body, "evidence");
	html_out(&h, "<h2>What you reported</h2><div class=\"box\"><ul>");
	json_array_foreach(json_object_get(body, "targets"), i, c)
	{
		html_out(&h, "<li>%s</li>", html_jstr(c, "input"));
	}
	html_out(&h, "</ul>");
	if (*html_jstr(ev, "imitates")) {
		html_out(&h, "<p>Imitates: %s</p>", html_jstr(ev, "imitates"));
	}
	if (*html_jstr(ev, "description")) {
		html_out(&h, "<pre>%s</pre>", html_jstr(ev, "description"));
	}
	html_out(&h, "</div>");
	json_decref(rep);
	html_close_page(&h, r, 200);
}

/* ---- login and sessions ------------------------------------------------------------------ */

static void login_form(ssr_portal_t *p, const req_t *q, resp_t *r, const char *err, int status)
{
	char tok[64];
	anon_csrf(p, q, r, tok);
	html_t h;
	if (!html_open_page(&h, q, "Party login")) {
		resp_error(r, 500, "out of memory");
		return;
	}
	if (err) {
		html_out(&h, "<p class=\"err\" id=\"login-error\">%s</p>", err);
	}
	const char *login = req_field(q, "login");
	html_out(
	    &h,
	    "<p>Registrars, registries and hosting providers log in to see the cases routed to "
	    "them.</p><form method=\"post\" action=\"/login\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<label for=\"login\">Login</label><input type=\"text\" id=\"login\" name=\"login\" "
	    "value=\"%s\" autocomplete=\"username\">"
	    "<label for=\"password\">Password</label><input type=\"password\" id=\"password\" "
	    "name=\"password\" autocomplete=\"current-password\">"
	    "<div><button type=\"submit\">Log in</button></div></form>",
	    tok, login ? login : "");
	html_close_page(&h, r, status);
}

typedef struct {
	char digest[65], csrf[64];
	int64_t account, expires;
	bool del;
} sess_job_t;

static int sess_write(ssr_store_t *st, void *ctx, ssr_diag_t *diag)
{
	sess_job_t *j = ctx;
	if (j->del) {
		return ssr_store_session_delete(st, j->digest, j->expires, diag);
	}
	/* a login also clears the sessions that have expired (a watchdog does it too) */
	int rc = ssr_store_session_purge(st, j->expires - SESSION_S, NULL, diag);
	return rc != SSR_EOK
	           ? rc
	           : ssr_store_session_put(st, j->digest, j->account, j->csrf, j->expires, diag);
}

/* verified against when the login does not exist, so both cases cost the same */
static char dummy_buf[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void dummy_init(void)
{
	if (auth_hash_password("no such account", dummy_buf, sizeof(dummy_buf)) != SSR_EOK) {
		dummy_buf[0] = '\0';
	}
}

static void login_post(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	if (!page_csrf_ok(q, false)) {
		page_csrf_refused(q, r);
		return;
	}
	const char *login = req_field(q, "login"), *pw = req_field(q, "password");
	/* per login, from any address: after a few failures each attempt waits longer */
	char bk[300];
	snprintf(bk, sizeof(bk), "loginfail:%.256s", login ? login : "");
	int wait = ratelimit_backoff_check(&p->rl, bk, portal_now(p));
	if (wait > 0) {
		char m[200];
		snprintf(m, sizeof(m),
		         "Too many failed logins for this account; try again in %d seconds.", wait);
		r->retry_after = wait;
		atomic_fetch_add(&p->rate_limited, 1);
		login_form(p, q, r, m, 429);
		return;
	}
	ssr_account_t acc = {0};
	ssr_diag_t d;
	int rc = SSR_ENOTFOUND;
	if (login && pw && strlen(login) <= SSR_LOGIN_MAX && strlen(pw) <= 1024) {
		ssr_store_t *st = pool_get(&p->pool);
		rc = ssr_store_account_by_login(st, login, &acc, &d);
		pool_put(&p->pool, st);
	}
	pthread_once(&dummy_once, dummy_init);
	bool ok = auth_verify_password(rc == SSR_EOK ? acc.pw_hash : dummy_buf, pw ? pw : "");
	ratelimit_backoff_result(&p->rl, bk, rc == SSR_EOK && ok, portal_now(p));
	if (rc != SSR_EOK || !ok) {
		login_form(p, q, r, "Wrong login or password.", 401);
		return;
	}
	sess_job_t j = {.account = acc.id, .expires = portal_now(p) + SESSION_S};
	char sid[64];
	if (ssr_random_token(32, sid, sizeof(sid)) != SSR_EOK ||
	    ssr_random_token(32, j.csrf, sizeof(j.csrf)) != SSR_EOK) {
		page_message(q, r, 500, "Login failed", "No randomness for a session.");
		return;
	}
	ssr_sha256_hex(sid, j.digest);
	if (writer_run(&p->writer, sess_write, &j, &d) != SSR_EOK) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "%s", d.msg);
		page_message(q, r, 503, "Login failed", "The store failed; try again.");
		return;
	}
	snprintf(r->cookie[0], sizeof(r->cookie[0]),
	         "ssr_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", sid, SESSION_S,
	         p->cfg.secure_cookies ? "; Secure" : "");
	resp_redirect(r, "/inbox");
}

static void logout_post(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	if (q->auth.by_session) {
		if (!page_csrf_ok(q, true)) {
			page_csrf_refused(q, r);
			return;
		}
		sess_job_t j = {.del = true, .expires = portal_now(p)};
		memcpy(j.digest, q->auth.session_digest, sizeof(j.digest));
		ssr_diag_t d;
		if (writer_run(&p->writer, sess_write, &j, &d) != SSR_EOK) {
			ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "%s", d.msg);
		}
	}
	snprintf(r->cookie[0], sizeof(r->cookie[0]),
	         "ssr_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
	         p->cfg.secure_cookies ? "; Secure" : "");
	resp_redirect(r, "/login");
}

bool page_need_session(const req_t *q, resp_t *r)
{
	if (!q->auth.known || !q->auth.by_session) {
		resp_redirect(r, "/login");
		return false;
	}
	return true;
}

/* ---- inbox and case pages ---------------------------------------------------------------- */

static void inbox(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	if (!page_need_session(q, r)) {
		return;
	}
	json_t *cases = NULL;
	const char *msg = NULL;
	int limit = 0, st = case_list(p, q, &cases, &limit, &msg);
	if (st != 0) {
		page_message(q, r, st, "Inbox", msg);
		return;
	}
	const char *status = req_query(q, "status"), *category = req_query(q, "category"),
	           *domain = req_query(q, "domain");
	html_t h;
	if (!html_open_page(&h, q, "Inbox")) {
		json_decref(cases);
		resp_error(r, 500, "out of memory");
		return;
	}
	html_out(
	    &h,
	    "<form method=\"get\" action=\"/inbox\" class=\"box\">Status <select name=\"status\">"
	    "<option value=\"\">any</option>");
	static const char *const sts[] = {"open", "acknowledged", "closed"};
	for (int i = 0; i < 3; i++) {
		html_out(&h, "<option%s>%s</option>",
		         status && !strcmp(status, sts[i]) ? " selected" : "", sts[i]);
	}
	html_out(&h,
	         "</select> Category <select name=\"category\"><option value=\"\">any</option>");
	for (int i = 0; portal_categories[i]; i++) {
		html_out(&h, "<option%s>%s</option>",
		         category && !strcmp(category, portal_categories[i]) ? " selected" : "",
		         portal_categories[i]);
	}
	html_out(&h,
	         "</select> Domain <input type=\"text\" name=\"domain\" value=\"%s\" "
	         "style=\"width:14em\"> <button type=\"submit\">Filter</button></form>",
	         domain ? domain : "");
	html_out(&h, "<table id=\"cases\"><tr><th>Case</th><th>Domain</th><th>Category</th>"
	             "<th>Status</th><th>Your step</th><th>Reports</th><th>Opened</th></tr>");
	size_t i;
	json_t *c;
	json_array_foreach(cases, i, c)
	{
		char o[32];
		html_fmt_time(html_jint(c, "opened"), o);
		html_out(&h,
		         "<tr><td><a href=\"/cases/%L\">#%L</a></td><td>%s</td><td>%s</td>"
		         "<td class=\"status\">%s</td><td>%s</td><td "
		         "class=\"n\">%L</td><td>%s</td></tr>",
		         html_jint(c, "id"), html_jint(c, "id"), html_jstr(c, "domain"),
		         html_jstr(c, "category"), html_jstr(c, "status"),
		         html_jstr(c, "party_state"), html_jint(c, "reports"), o);
	}
	html_out(&h, "</table>");
	if (json_array_size(cases) == 0) {
		html_out(&h, "<p>No cases.</p>");
	} else if (json_array_size(cases) == (size_t)limit) {
		html_out(&h, "<p><a href=\"/inbox?before=%L\">Older cases</a></p>",
		         html_jint(json_array_get(cases, json_array_size(cases) - 1), "id"));
	}
	json_decref(cases);
	html_close_page(&h, r, 200);
}

static void case_page(ssr_portal_t *p, const req_t *q, int64_t id, resp_t *r, const char *err)
{
	if (!page_need_session(q, r)) {
		return;
	}
	json_t *c = NULL;
	int rc = case_view(p, q, id, &c);
	if (rc == SSR_ENOTFOUND) {
		page_message(q, r, 404, "No such case",
		             "No case with this number is routed to you.");
		return;
	}
	if (rc != SSR_EOK) {
		page_message(q, r, 500, "Case", "The store failed; try again later.");
		return;
	}
	char title[300], t1[32], t2[32];
	snprintf(title, sizeof(title), "Case #%lld: %s", (long long)id, html_jstr(c, "domain"));
	html_t h;
	if (!html_open_page(&h, q, title)) {
		json_decref(c);
		resp_error(r, 500, "out of memory");
		return;
	}
	if (err) {
		html_out(&h, "<p class=\"err\" id=\"action-error\">%s</p>", err);
	}
	html_fmt_time(html_jint(c, "opened"), t1);
	html_fmt_time(html_jint(c, "closed"), t2);
	html_out(&h,
	         "<table><tr><th>Status</th><td class=\"status\" id=\"case-status\">%s</td></tr>"
	         "<tr><th>Category</th><td>%s</td></tr><tr><th>Opened</th><td>%s</td></tr>"
	         "<tr><th>Closed</th><td>%s</td></tr><tr><th>Reports</th><td>%L from %L reporter(s)"
	         "</td></tr><tr><th>Routing</th><td>%s %s</td></tr></table>",
	         html_jstr(c, "status"), html_jstr(c, "category"), t1, t2, html_jint(c, "reports"),
	         html_jint(c, "reporters"), html_jstr(c, "route_state"),
	         html_jstr(c, "route_error"));
	/* the actions open to this party */
	int64_t party = auth_party(q);
	bool acked = false, resolved = false;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(c, "events"), i, e)
	{
		if (html_jint(e, "party_id") == party) {
			acked |= strcmp(html_jstr(e, "kind"), "acknowledged") == 0;
			resolved |= strcmp(html_jstr(e, "kind"), "resolved") == 0;
		}
	}
	bool closed = strcmp(html_jstr(c, "status"), "closed") == 0;
	if (party > 0 && !resolved && !closed) {
		html_out(&h, "<div class=\"box\"><h2>Your action</h2>");
		if (!acked) {
			html_out(&h,
			         "<form method=\"post\" action=\"/cases/%L/acknowledge\">"
			         "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
			         "<button type=\"submit\" id=\"ack\">Acknowledge</button></form>",
			         id, q->auth.who.csrf);
		}
		html_out(&h,
		         "<form method=\"post\" action=\"/cases/%L/resolve\">"
		         "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		         "<label for=\"outcome\">Outcome</label><select id=\"outcome\" "
		         "name=\"outcome\">",
		         id, q->auth.who.csrf);
		for (int k = 0; portal_outcomes[k]; k++) {
			html_out(&h, "<option>%s</option>", portal_outcomes[k]);
		}
		html_out(&h,
		         "</select><label for=\"reason\">Reason (required for no-action)</label>"
		         "<input type=\"text\" id=\"reason\" name=\"reason\">"
		         "<div><button type=\"submit\" "
		         "id=\"resolve\">Resolve</button></div></form></div>");
	}
	html_out(&h, "<h2>Parties</h2><table><tr><th>Role</th><th>Party</th><th>IANA id</th></tr>");
	json_array_foreach(json_object_get(c, "parties"), i, e)
	{
		html_out(&h, "<tr><td>%s</td><td>%s</td><td>", html_jstr(e, "role"),
		         html_jstr(e, "name"));
		if (html_jint(e, "iana_id") > 0) {
			html_out(&h, "%L", html_jint(e, "iana_id"));
		}
		html_out(&h, "</td></tr>");
	}
	html_out(&h,
	         "</table><h2>Evidence</h2><p><a href=\"/cases/%L/xarf\">The reports as XARF v4 "
	         "(JSON)</a></p>",
	         id);
	json_array_foreach(json_object_get(c, "reports_received"), i, e)
	{
		json_t *rep = json_object_get(e, "report"), *ev = json_object_get(rep, "evidence");
		html_fmt_time(html_jint(e, "received"), t1);
		html_out(&h,
		         "<div class=\"box report\"><strong>Report #%L</strong>, received %s<ul>",
		         html_jint(e, "id"), t1);
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(rep, "targets"), k, v)
		{
			html_out(&h, "<li>%s</li>", html_jstr(v, "input"));
		}
		json_array_foreach(json_object_get(rep, "ips"), k, v)
		{
			html_out(&h, "<li>IP %s</li>",
			         json_string_value(v) ? json_string_value(v) : "");
		}
		html_out(&h, "</ul>");
		if (json_is_integer(json_object_get(ev, "observed"))) {
			html_fmt_time(html_jint(ev, "observed"), t2);
			html_out(&h, "<div>Observed: %s</div>", t2);
		}
		static const char *const evk[][2] = {{"imitates", "Imitates"},
		                                     {"sample_sha256", "Sample SHA-256"}};
		for (int m = 0; m < 2; m++) {
			if (*html_jstr(ev, evk[m][0])) {
				html_out(&h, "<div>%s: %s</div>", evk[m][1],
				         html_jstr(ev, evk[m][0]));
			}
		}
		if (*html_jstr(ev, "description")) {
			html_out(&h, "<pre>%s</pre>", html_jstr(ev, "description"));
		}
		json_array_foreach(json_object_get(ev, "urls"), k, v)
		{
			/* shown as text, not as links: evidence URLs may be hostile */
			html_out(&h, "<div>Evidence URL: <code>%s</code></div>",
			         json_string_value(v) ? json_string_value(v) : "");
		}
		json_array_foreach(json_object_get(rep, "attachments"), k, v)
		{
			html_out(&h,
			         "<div class=\"attachment\">Attachment: %s (%s, %L bytes, SHA-256 "
			         "%s)</div>",
			         html_jstr(v, "name"), html_jstr(v, "type"), html_jint(v, "size"),
			         html_jstr(v, "sha256"));
		}
		html_out(&h, "</div>");
	}
	html_out(&h, "<h2>Timeline</h2><table id=\"timeline\"><tr><th>When</th><th>What</th>"
	             "<th>Party</th><th>Detail</th></tr>");
	json_array_foreach(json_object_get(c, "events"), i, e)
	{
		html_fmt_time(html_jint(e, "at"), t1);
		html_out(&h, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", t1,
		         html_jstr(e, "kind"), html_jstr(e, "party"), html_jstr(e, "detail"));
	}
	html_out(&h, "</table>");
	json_t *dl = json_object_get(c, "deliveries");
	if (json_array_size(dl) > 0) {
		html_out(
		    &h,
		    "<h2>Deliveries</h2><table><tr><th>When</th><th>Channel</th><th>Attempt</th>"
		    "<th>State</th><th>Detail</th></tr>");
		json_array_foreach(dl, i, e)
		{
			html_fmt_time(html_jint(e, "at"), t1);
			html_out(&h,
			         "<tr><td>%s</td><td>%s</td><td "
			         "class=\"n\">%L</td><td>%s</td><td>%s</td></tr>",
			         t1, html_jstr(e, "channel"), html_jint(e, "attempt"),
			         html_jstr(e, "state"), html_jstr(e, "detail"));
		}
		html_out(&h, "</table>");
	}
	json_decref(c);
	html_close_page(&h, r, err ? 422 : 200);
}

static void case_post(ssr_portal_t *p, const req_t *q, int64_t id, const char *action, resp_t *r)
{
	if (!page_need_session(q, r)) {
		return;
	}
	if (!page_csrf_ok(q, true)) {
		page_csrf_refused(q, r);
		return;
	}
	const char *reason = req_field(q, "reason");
	const char *msg = NULL;
	int st = case_action(p, id, auth_party(q), action, req_field(q, "outcome"),
	                     reason && *reason ? reason : NULL, &msg);
	if (st == 404) {
		page_message(q, r, 404, "No such case",
		             "No case with this number is routed to you.");
		return;
	}
	if (st != 0) {
		case_page(p, q, id, r, msg);
		return;
	}
	char loc[64];
	snprintf(loc, sizeof(loc), "/cases/%lld", (long long)id);
	resp_redirect(r, loc);
}

/* ---- SLA statistics ---------------------------------------------------------------------- */

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
	fmt_dur(json_object_get(ta, "median_s"), m1);
	fmt_dur(json_object_get(ta, "p90_s"), p1);
	fmt_dur(json_object_get(tx, "median_s"), m2);
	fmt_dur(json_object_get(tx, "p90_s"), p2);
	html_out(h,
	         "<tr><td>%s</td><td>%s</td><td class=\"n\">%L</td><td class=\"n\">%L</td>"
	         "<td class=\"n\">%L</td><td class=\"n\">%L</td><td class=\"n\">",
	         name, roles, html_jint(a, "routed"), html_jint(a, "acknowledged"),
	         html_jint(a, "resolved"), html_jint(a, "mitigated"));
	pct(h, json_object_get(a, "mitigation_rate"));
	html_out(h, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">", m1, p1);
	pct(h, json_object_get(ta, "share_within_sla"));
	html_out(h, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">", m2, p2);
	pct(h, json_object_get(tx, "share_within_sla"));
	html_out(h, "</td><td class=\"n\">%L</td><td class=\"n\">%L</td></tr>",
	         html_jint(a, "open_acknowledge_breaches"), html_jint(a, "open_action_breaches"));
}

static void stats_page(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	if (!portal_rate_ok(p, "stats", q->ip, p->cfg.rate_ip, r)) {
		page_message(q, r, 429, "SLA statistics",
		             "Too many requests from your address; wait a minute.");
		return;
	}
	ssr_diag_t d;
	json_t *j = NULL;
	int rc = portal_sla_cached(p, &j, &d);
	if (rc != SSR_EOK) {
		page_message(q, r, 500, "SLA statistics", "The store failed; try again later.");
		return;
	}
	ssr_sla_opts_t o = {p->cfg.sla_ack_s, p->cfg.sla_action_s,
	                    html_jint(j, "at")}; /* the time the figures describe */
	html_t h;
	if (!html_open_page(&h, q, "SLA statistics")) {
		json_decref(j);
		resp_error(r, 500, "out of memory");
		return;
	}
	char at[32], sa[32], sx[32];
	html_fmt_time(o.now, at);
	json_t *ack = json_integer(o.ack_s), *act = json_integer(o.action_s);
	fmt_dur(ack, sa);
	fmt_dur(act, sx);
	json_decref(ack);
	json_decref(act);
	html_out(
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
		stats_row(&h, a, html_jstr(a, "name"), html_jstr(a, "roles"));
	}
	stats_row(&h, json_object_get(j, "overall"), "All parties", "");
	html_out(&h, "</tbody></table></div>");
	json_decref(j);
	html_close_page(&h, r, 200);
}

/* ---- administration ---------------------------------------------------------------------- */

static void admin_page(ssr_portal_t *p, const req_t *q, resp_t *r, const char *msg, int status)
{
	if (!page_need_session(q, r)) {
		return;
	}
	if (!auth_admin(q)) {
		page_message(q, r, 403, "Administration", "Administrators only.");
		return;
	}
	ssr_store_t *st = pool_get(&p->pool);
	ssr_diag_t d;
	json_t *parties = NULL;
	int rc = ssr_store_parties(st, &parties, &d);
	pool_put(&p->pool, st);
	if (rc != SSR_EOK) {
		page_message(q, r, 500, "Administration", "The store failed; try again later.");
		return;
	}
	html_t h;
	if (!html_open_page(&h, q, "Administration")) {
		json_decref(parties);
		resp_error(r, 500, "out of memory");
		return;
	}
	if (msg) {
		html_out(&h, "<p class=\"%s\" id=\"admin-msg\">%s</p>", status >= 400 ? "err" : "",
		         msg);
	}
	html_out(&h,
	         "<h2>Parties</h2><table id=\"parties\"><tr><th>Id</th><th>Kind</th><th>Name</th>"
	         "<th>IANA id</th><th>E-mail</th><th>Webhook</th><th>Delivery</th></tr>");
	size_t i;
	json_t *a;
	json_array_foreach(parties, i, a)
	{
		html_out(&h, "<tr><td>%L</td><td>%s</td><td>%s</td><td>", html_jint(a, "id"),
		         html_jstr(a, "kind"), html_jstr(a, "name"));
		if (html_jint(a, "iana_id") > 0) {
			html_out(&h, "%L", html_jint(a, "iana_id"));
		}
		html_out(&h, "</td><td>%s</td><td>%s</td><td>%s%s</td></tr>", html_jstr(a, "email"),
		         html_jstr(a, "webhook"),
		         json_is_true(json_object_get(a, "by_email")) ? "e-mail " : "",
		         json_is_true(json_object_get(a, "by_webhook")) ? "webhook" : "");
	}
	json_decref(parties);
	html_out(
	    &h,
	    "</table><h2>Add or update a party</h2><form method=\"post\" action=\"/admin/party\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<label for=\"kind\">Kind</label><select id=\"kind\" name=\"kind\"><option>registrar"
	    "</option><option>registry</option><option>host</option></select>"
	    "<label for=\"name\">Name</label><input type=\"text\" id=\"name\" name=\"name\">"
	    "<label for=\"iana_id\">IANA id (registrars)</label>"
	    "<input type=\"text\" id=\"iana_id\" name=\"iana_id\">"
	    "<label for=\"email\">Abuse e-mail</label><input type=\"text\" id=\"email\" "
	    "name=\"email\"><label for=\"webhook\">Webhook URL</label><input type=\"text\" "
	    "id=\"webhook\" name=\"webhook\"><label for=\"secret\">Webhook secret</label>"
	    "<input type=\"password\" id=\"secret\" name=\"secret\">"
	    "<button type=\"submit\">Save party</button></form>"
	    "<h2>Add or update a registry directory entry</h2>"
	    "<form method=\"post\" action=\"/admin/registry\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<label for=\"tld\">TLD</label><input type=\"text\" id=\"tld\" name=\"tld\">"
	    "<label for=\"operator\">Operator</label><input type=\"text\" id=\"operator\" "
	    "name=\"operator\"><label for=\"remail\">Abuse e-mail</label><input type=\"text\" "
	    "id=\"remail\" name=\"email\"><label for=\"rdap_base\">RDAP base URL</label>"
	    "<input type=\"text\" id=\"rdap_base\" name=\"rdap_base\">"
	    "<button type=\"submit\">Save entry</button></form>",
	    q->auth.who.csrf, q->auth.who.csrf);
	html_close_page(&h, r, status);
}

typedef struct {
	const req_t *q;
	bool registry;
	int64_t now, id;
} admin_job_t;

static int admin_write(ssr_store_t *st, void *ctx, ssr_diag_t *diag)
{
	admin_job_t *j = ctx;
	const req_t *q = j->q;
	if (j->registry) {
		return ssr_portal_directory_put(st, req_field(q, "tld"), req_field(q, "operator"),
		                                req_field(q, "email"), req_field(q, "rdap_base"),
		                                j->now, diag);
	}
	json_t *in = json_object();
	static const char *const keys[] = {"kind", "name", "email", "webhook", "secret"};
	for (size_t i = 0; i < 5; i++) {
		put_opt(in, keys[i], req_field(q, keys[i]));
	}
	const char *iana = req_field(q, "iana_id");
	if (iana && *iana) {
		char *end;
		long long v = strtoll(iana, &end, 10);
		json_object_set_new(in, "iana_id",
		                    *end == '\0' ? json_integer(v) : json_string(iana));
	}
	int rc = ssr_portal_party_put(st, in, j->now, &j->id, diag);
	json_decref(in);
	return rc;
}

static void admin_post(ssr_portal_t *p, const req_t *q, resp_t *r, bool registry)
{
	if (!page_need_session(q, r)) {
		return;
	}
	if (!auth_admin(q)) {
		page_message(q, r, 403, "Administration", "Administrators only.");
		return;
	}
	if (!page_csrf_ok(q, true)) {
		page_csrf_refused(q, r);
		return;
	}
	admin_job_t j = {q, registry, portal_now(p), 0};
	ssr_diag_t d;
	int rc = writer_run(&p->writer, admin_write, &j, &d);
	if (rc == SSR_EINVAL || rc == SSR_EPARSE) {
		admin_page(p, q, r, d.msg, 422);
	} else if (rc != SSR_EOK) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "%s", d.msg);
		admin_page(p, q, r, "The store failed; nothing was changed.", 500);
	} else {
		admin_page(p, q, r, registry ? "Directory entry saved." : "Party saved.", 200);
	}
}

/* ---- dispatch ---------------------------------------------------------------------------- */

void pages_handle(ssr_portal_t *p, req_t *q, resp_t *r)
{
	const char *u = q->url;
	bool get = strcmp(q->method, "GET") == 0 || strcmp(q->method, "HEAD") == 0;
	bool post = strcmp(q->method, "POST") == 0;
	if (post && q->form == NULL) {
		page_message(q, r, 415, "Form refused",
		             "Forms are sent as application/x-www-form-urlencoded or "
		             "multipart/form-data.");
		return;
	}
	char parts[SSR_PATH_PARTS][SSR_PATH_PART];
	int n = portal_split_path(u, parts);
	int64_t id = 0;
	if (strcmp(u, "/") == 0 && get) {
		home(q, r);
	} else if (strcmp(u, "/report") == 0 && get) {
		report_form(p, q, r, NULL, 200);
	} else if (strcmp(u, "/report") == 0 && post) {
		report_post(p, q, r);
	} else if (strncmp(u, "/r/", 3) == 0 && get && strchr(u + 3, '/') == NULL) {
		reporter_page(p, q, u + 3, r);
	} else if (strcmp(u, "/login") == 0 && get) {
		login_form(p, q, r, NULL, 200);
	} else if (strcmp(u, "/login") == 0 && post) {
		login_post(p, q, r);
	} else if (strcmp(u, "/logout") == 0 && post) {
		logout_post(p, q, r);
	} else if (strcmp(u, "/inbox") == 0 && get) {
		inbox(p, q, r);
	} else if (strcmp(u, "/stats") == 0 && get) {
		stats_page(p, q, r);
	} else if (strcmp(u, "/admin") == 0 && get) {
		admin_page(p, q, r, NULL, 200);
	} else if (strcmp(u, "/admin/party") == 0 && post) {
		admin_post(p, q, r, false);
	} else if (strcmp(u, "/admin/registry") == 0 && post) {
		admin_post(p, q, r, true);
	} else if (recs_pages_handle(p, q, r, parts, n)) {
		/* the recommendation tracker */
	} else if (n >= 2 && strcmp(parts[0], "cases") == 0 && portal_parse_id(parts[1], &id)) {
		if (n == 2 && get) {
			case_page(p, q, id, r, NULL);
		} else if (n == 3 && get && strcmp(parts[2], "xarf") == 0) {
			if (page_need_session(q, r)) {
				api_case_xarf(p, q, id, r);
			}
		} else if (n == 3 && post &&
		           (strcmp(parts[2], "acknowledge") == 0 ||
		            strcmp(parts[2], "resolve") == 0)) {
			case_post(p, q, id, parts[2], r);
		} else {
			page_message(q, r, 404, "Not found", "There is no page at this address.");
		}
	} else {
		page_message(q, r, 404, "Not found", "There is no page at this address.");
	}
}
