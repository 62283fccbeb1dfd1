/* ssrwatch — the portal's HTML toolkit: pages built with every value escaped, the page frame,
 * messages, and the CSRF tokens of forms (the session's for logged-in parties, a signed
 * double-submit cookie for the anonymous report and login forms). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "html.h"
#include "ssrwatch/crypto.h"
#include "ssrwatch/report.h"

/* Text with & < > " ' escaped (safe in element content and quoted attributes). */
void portal_html_esc(html_t *h, const char *s)
{
	ssr_html_escape(h->f, s);
}

/* printf where every %s argument is escaped; other conversions as printf. */
void portal_html_out(html_t *h, const char *fmt, ...)
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
			portal_html_esc(h, va_arg(ap, const char *));
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

void portal_html_fmt_time(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (t <= 0 || gmtime_r(&tt, &tm) == NULL) {
		snprintf(out, 32, "-");
		return;
	}
	strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm);
}

void portal_html_fmt_dur(json_t *v, char out[32])
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

const char *portal_html_jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

int64_t portal_html_jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

bool portal_html_open_page(html_t *h, const req_t *q, const char *title)
{
	h->f = open_memstream(&h->buf, &h->len);
	if (h->f == NULL) {
		return false;
	}
	portal_html_out(
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
		portal_html_out(h, "<a href=\"/inbox\">Inbox</a>");
		if (portal_auth_admin(q)) {
			portal_html_out(h, "<a href=\"/admin\">Admin</a>");
		}
		portal_html_out(
		    h,
		    "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" "
		    "value=\"%s\"><button type=\"submit\" style=\"margin:0\">Log out %s</button>"
		    "</form>",
		    q->auth.who.csrf, q->auth.who.login);
	} else {
		portal_html_out(h, "<a href=\"/login\">Party login</a>");
	}
	portal_html_out(h, "</header><main><h1>%s</h1>\n", title);
	return true;
}

void portal_html_close_page(html_t *h, resp_t *r, int status)
{
	portal_html_out(h, "</main></body></html>\n");
	fclose(h->f);
	portal_resp_text(r, status, "text/html; charset=utf-8", h->buf, h->len);
}

void portal_page_message(const req_t *q, resp_t *r, int status, const char *title, const char *msg)
{
	html_t h;
	if (!portal_html_open_page(&h, q, title)) {
		portal_resp_error(r, 500, "out of memory");
		return;
	}
	portal_html_out(&h, "<p class=\"err\">%s</p>", msg);
	portal_html_close_page(&h, r, status);
}

/* The anonymous forms' double-submit token: a random nonce and its HMAC under the portal's
 * key, "<nonce>.<mac>", so that a value the client picks is refused (RFC 6265bis and OWASP's
 * "signed double-submit cookie"). */
#define CSRF_NONCE 22 /* 16 random bytes, base64url */

#define CSRF_LEN (CSRF_NONCE + 1 + 32)

static void csrf_mac(const uint8_t key[32], const char *nonce, char out[33])
{
	uint8_t mac[SSR_SHA256_LEN];
	ssr_hmac_sha256(key, 32, nonce, CSRF_NONCE, mac);
	ssr_hex(mac, 16, out);
}

bool portal_csrf_token_ok(const uint8_t key[32], const char *t)
{
	if (t == NULL || strlen(t) != CSRF_LEN || t[CSRF_NONCE] != '.') {
		return false;
	}
	char mac[33];
	csrf_mac(key, t, mac);
	return ssr_ct_equal(mac, t + CSRF_NONCE + 1, 32);
}

int portal_csrf_token_new(const uint8_t key[32], char tok[64])
{
	char nonce[32], mac[33];
	if (ssr_random_token(16, nonce, sizeof(nonce)) != SSR_EOK || strlen(nonce) != CSRF_NONCE) {
		tok[0] = '\0';
		return SSR_EIO;
	}
	csrf_mac(key, nonce, mac);
	snprintf(tok, 64, "%.22s.%.32s", nonce, mac);
	return SSR_EOK;
}

/* Equal tokens of at least 20 characters, compared in constant time. */
static bool same(const char *a, const char *b)
{
	size_t n = a ? strlen(a) : 0;
	return n >= 20 && b != NULL && strlen(b) == n && ssr_ct_equal(a, b, n);
}

bool portal_csrf_check(const uint8_t key[32], const auth_t *auth, bool session, const char *field,
                       const char *cookie)
{
	if (session) {
		return auth->by_session && same(auth->who.csrf, field);
	}
	return same(cookie, field) && portal_csrf_token_ok(key, cookie);
}

bool portal_page_csrf_cookie_ok(const ssr_portal_t *p, const req_t *q)
{
	return portal_csrf_token_ok(p->csrf_key, portal_req_cookie(q, "ssr_csrf"));
}

/* The token for an anonymous form: the cookie's, if this portal made it, or a new one set in
 * r. */
void portal_page_anon_csrf(ssr_portal_t *p, const req_t *q, resp_t *r, char tok[64])
{
	const char *c = portal_req_cookie(q, "ssr_csrf");
	if (portal_csrf_token_ok(p->csrf_key, c)) {
		snprintf(tok, 64, "%s", c);
		return;
	}
	if (portal_csrf_token_new(p->csrf_key, tok) != SSR_EOK) {
		return;
	}
	snprintf(r->cookie[1], sizeof(r->cookie[1]),
	         "ssr_csrf=%s; Path=/; HttpOnly; SameSite=Strict%s", tok,
	         p->cfg.secure_cookies ? "; Secure" : "");
}

/* A form post's token against the session's (logged in) or the double-submit cookie. */
bool portal_page_csrf_ok(const req_t *q, bool session)
{
	return portal_csrf_check(q->portal->csrf_key, &q->auth, session,
	                         portal_req_field(q, "csrf"), portal_req_cookie(q, "ssr_csrf"));
}

void portal_page_csrf_refused(const req_t *q, resp_t *r)
{
	portal_page_message(
	    q, r, 403, "Form refused",
	    "The form's security token is missing or does not match: it expired or was "
	    "not sent from this site. Go back, reload the page and send it again.");
}

bool portal_page_need_session(const req_t *q, resp_t *r)
{
	if (!q->auth.known || !q->auth.by_session) {
		portal_resp_redirect(r, "/login");
		return false;
	}
	return true;
}
