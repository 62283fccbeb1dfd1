/* ssrwatch — party login (Argon2id, per-login backoff) and logout: web sessions. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "areas.h"
#include "auth.h"
#include "html.h"
#include "ssrwatch/crypto.h"

#define SESSION_S (12 * 3600) /* a login lasts 12 hours */

static void login_form(ssr_portal_t *p, const req_t *q, resp_t *r, const char *err, int status)
{
	char tok[64];
	portal_page_anon_csrf(p, q, r, tok);
	html_t h;
	if (!portal_html_open_page(&h, q, "Party login")) {
		portal_resp_error(r, 500, "out of memory");
		return;
	}
	if (err) {
		portal_html_out(&h, "<p class=\"err\" id=\"login-error\">%s</p>", err);
	}
	const char *login = portal_req_field(q, "login");
	portal_html_out(
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
	portal_html_close_page(&h, r, status);
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
	if (portal_auth_hash_password("no such account", dummy_buf, sizeof(dummy_buf)) != SSR_EOK) {
		dummy_buf[0] = '\0';
	}
}

static void login_post(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	if (!portal_page_csrf_ok(q, false)) {
		portal_page_csrf_refused(q, r);
		return;
	}
	const char *login = portal_req_field(q, "login"), *pw = portal_req_field(q, "password");
	/* per login, from any address: after a few failures each attempt waits longer */
	char bk[300];
	snprintf(bk, sizeof(bk), "loginfail:%.256s", login ? login : "");
	int wait = portal_login_backoff_check(p, bk);
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
		ssr_store_t *st = portal_pool_get(&p->pool);
		rc = ssr_store_account_by_login(st, login, &acc, &d);
		portal_pool_put(&p->pool, st);
	}
	pthread_once(&dummy_once, dummy_init);
	bool ok =
	    portal_auth_verify_password(rc == SSR_EOK ? acc.pw_hash : dummy_buf, pw ? pw : "");
	portal_login_backoff_result(p, bk, rc == SSR_EOK && ok);
	if (rc != SSR_EOK || !ok) {
		login_form(p, q, r, "Wrong login or password.", 401);
		return;
	}
	sess_job_t j = {.account = acc.id, .expires = portal_now(p) + SESSION_S};
	char sid[64];
	if (ssr_random_token(32, sid, sizeof(sid)) != SSR_EOK ||
	    ssr_random_token(32, j.csrf, sizeof(j.csrf)) != SSR_EOK) {
		portal_page_message(q, r, 500, "Login failed", "No randomness for a session.");
		return;
	}
	ssr_sha256_hex(sid, j.digest);
	if (portal_writer_run(&p->writer, sess_write, &j, &d) != SSR_EOK) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "%s", d.msg);
		portal_page_message(q, r, 503, "Login failed", "The store failed; try again.");
		return;
	}
	snprintf(r->cookie[0], sizeof(r->cookie[0]),
	         "ssr_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", sid, SESSION_S,
	         p->cfg.secure_cookies ? "; Secure" : "");
	portal_resp_redirect(r, "/inbox");
}

static void logout_post(ssr_portal_t *p, const req_t *q, resp_t *r)
{
	if (q->auth.by_session) {
		if (!portal_page_csrf_ok(q, true)) {
			portal_page_csrf_refused(q, r);
			return;
		}
		sess_job_t j = {.del = true, .expires = portal_now(p)};
		memcpy(j.digest, q->auth.session_digest, sizeof(j.digest));
		ssr_diag_t d;
		if (portal_writer_run(&p->writer, sess_write, &j, &d) != SSR_EOK) {
			ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "%s", d.msg);
		}
	}
	snprintf(r->cookie[0], sizeof(r->cookie[0]),
	         "ssr_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
	         p->cfg.secure_cookies ? "; Secure" : "");
	portal_resp_redirect(r, "/login");
}

/* ---- routes -----------------------------------------------------------------------------------
 */

void portal_page_login_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)a;
	login_form(p, q, r, NULL, 200);
}

void portal_page_login_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)a;
	login_post(p, q, r);
}

void portal_page_logout_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)a;
	logout_post(p, q, r);
}
