/* ssrwatch — the HTML toolkit (html.c): pages built with every value escaped, the page
 * frame and messages, CSRF tokens.  Private to libportal. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "portal_priv.h"

#pragma GCC visibility push(hidden)

typedef struct {
	FILE *f;
	char *buf;
	size_t len;
} html_t;

/* Text with & < > " ' escaped (element content and quoted attributes). */
void portal_html_esc(html_t *h, const char *s);
/* printf-like: every %s argument escaped; %d int, %L int64_t, %% a percent sign. */
void portal_html_out(html_t *h, const char *fmt, ...);
bool portal_html_open_page(html_t *h, const req_t *q, const char *title);
void portal_html_close_page(html_t *h, resp_t *r, int status);
void portal_html_fmt_time(int64_t t, char out[32]);
/* A duration in seconds (JSON number or null) as "3 h 5 min" or "-". */
void portal_html_fmt_dur(json_t *v, char out[32]);
const char *portal_html_jstr(json_t *o, const char *k);
int64_t portal_html_jint(json_t *o, const char *k);
void portal_page_message(const req_t *q, resp_t *r, int status, const char *title, const char *msg);
/* A form's CSRF token against the session's (session) or the double-submit cookie, which
 * must also be one this portal made (bound to its secret). */
bool portal_page_csrf_ok(const req_t *q, bool session);
/* The anonymous forms' token: "<nonce>.<mac>", a random 16-byte nonce (base64url) and the
 * first 16 bytes of its HMAC-SHA256 under the portal's key (hex), so that a value the client
 * made up is refused. */
int portal_csrf_token_new(const uint8_t key[32], char tok[64]);
bool portal_csrf_token_ok(const uint8_t key[32], const char *tok);
/* The rule behind portal_page_csrf_ok: a session's form carries the session's token; an
 * anonymous form the token of its cookie, which this portal must have made. */
bool portal_csrf_check(const uint8_t key[32], const auth_t *auth, bool session, const char *field,
                       const char *cookie);
/* The anonymous forms' CSRF cookie is there and was made by this portal. */
bool portal_page_csrf_cookie_ok(const ssr_portal_t *p, const req_t *q);
/* Login attempts per IP per minute. */
#define PORTAL_LOGIN_PER_MINUTE 10
void portal_page_csrf_refused(const req_t *q, resp_t *r);
/* Redirects to /login (and returns false) without a logged-in session. */
bool portal_page_need_session(const req_t *q, resp_t *r);

/* The CSRF token for an anonymous form: the cookie's, if this portal made it, or a new one set
 * in r. */
void portal_page_anon_csrf(ssr_portal_t *p, const req_t *q, resp_t *r, char tok[64]);

#pragma GCC visibility pop
