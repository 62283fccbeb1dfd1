/* ssrwatch — libportal's internals shared by its files.  Private. */
#pragma once

#include <microhttpd.h>
#include <stdio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/portal.h"
#include "ssrwatch/portalstore.h"
#include "ssrwatch/psl.h"

/* Library-internal: not part of the library's interface (hidden when built shared). */
#pragma GCC visibility push(hidden)

/* ---- the store: one writer thread with group commit, a pool of read connections ---------- */

/* A write job runs inside a savepoint of the writer's current transaction. */
typedef int (*wjob_fn)(ssr_store_t *st, void *ctx, ssr_diag_t *diag);

typedef struct wjob {
	wjob_fn fn;
	void *ctx;
	int rc;
	ssr_diag_t diag;
	bool done;
	pthread_cond_t cv; /* the waiter's own: a commit wakes only its requests */
	struct wjob *next;
} wjob_t;

typedef struct {
	ssr_store_t *st; /* the writer's own connection */
	pthread_t thread;
	ssr_store_t *ck; /* the checkpointer's connection */
	pthread_t ck_thread;
	pthread_cond_t ck_cv;
	bool ck_started;
	pthread_mutex_t mu;
	pthread_cond_t more;
	wjob_t *head, *tail;
	bool stop, started;
	atomic_uint_fast64_t batches, jobs, failed;
	atomic_uint_fast64_t wal_bytes; /* the write-ahead log after the last checkpoint */
	atomic_uint_fast64_t truncations;
	atomic_bool truncate_wal; /* the checkpointer asks the writer to empty the log */
	uint64_t wal_max;         /* truncated past this (SQLite) */
	const ssr_log_t *log;
} writer_t;

int writer_start(writer_t *w, const char *uri, uint64_t wal_max, const ssr_log_t *log,
                 ssr_diag_t *diag);
/* Run fn in the writer and wait until its transaction committed (or failed). */
int writer_run(writer_t *w, wjob_fn fn, void *ctx, ssr_diag_t *diag);
void writer_stop(writer_t *w);

typedef struct {
	ssr_store_t **conns;
	bool *busy;
	unsigned n;
	pthread_mutex_t mu;
	pthread_cond_t freed;
} pool_t;

int pool_init(pool_t *p, const char *uri, unsigned n, ssr_diag_t *diag);
ssr_store_t *pool_get(pool_t *p);
void pool_put(pool_t *p, ssr_store_t *st);
void pool_release(pool_t *p);

/* ---- rate limits: a token bucket per key, and per-login backoff ------------------------------ */

typedef struct {
	pthread_mutex_t mu;
	struct rl_slot *slots;
	unsigned cap;
} ratelimit_t;

int ratelimit_init(ratelimit_t *r, unsigned cap);
void ratelimit_release(ratelimit_t *r);
/* Count one hit for key at now; false when it is over limit per minute (*retry: seconds). */
bool ratelimit_hit(ratelimit_t *r, const char *key, unsigned limit, int64_t now, int *retry);
/* Login backoff: after BACKOFF_FREE failures in a row for a key (a login), each further
 * attempt must wait 2, 4, 8 ... s (at most BACKOFF_MAX_S) after the last failure, from any
 * address; a success clears it.  check: the seconds still to wait (0: go ahead). */
#define BACKOFF_FREE  5
#define BACKOFF_MAX_S 900
int ratelimit_backoff_check(ratelimit_t *r, const char *key, int64_t now);
void ratelimit_backoff_result(ratelimit_t *r, const char *key, bool ok, int64_t now);

/* ---- requests and responses ------------------------------------------------------------- */

typedef struct {
	bool known; /* false: anonymous */
	ssr_principal_t who;
	bool by_session;
	char session_digest[65];
} auth_t;

/* ---- form posts (form.c) -------------------------------------------------------------------- */

#define FORM_MAX_FIELDS 64
#define FORM_KEY_MAX    64
#define FORM_FIELD_MAX  (256 * 1024) /* one text field (a list of 100 URLs fits) */

typedef struct {
	char key[FORM_KEY_MAX];
	char *val; /* NUL-terminated; len bytes */
	size_t len, cap;
} form_field_t;

typedef struct {
	char key[FORM_KEY_MAX];
	char name[256]; /* the file name the browser sent */
	char type[128]; /* its declared type (checked by intake) */
	char *data;
	size_t len, cap;
} form_file_t;

typedef struct {
	form_field_t fields[FORM_MAX_FIELDS];
	size_t nfields;
	form_file_t *files;
	size_t nfiles, max_files, max_file;
	int status; /* 0, or the answer for the first problem: 413 over a cap, 422 malformed */
	char error[200], error_field[FORM_KEY_MAX];
} form_t;

int form_init(form_t *f, size_t max_files, size_t max_file);
void form_release(form_t *f);
/* One piece of a field or file as libmicrohttpd's post processor hands it over. */
int form_piece(form_t *f, const char *key, const char *filename, const char *ctype,
               const char *data, uint64_t off, size_t size);
/* After the last piece: every field valid UTF-8 without NUL bytes. */
void form_check(form_t *f);
/* A field's value (NUL-terminated; *len its length) or NULL. */
const char *form_get(const form_t *f, const char *key, size_t *len);

typedef struct req {
	struct MHD_Connection *conn;
	const char *method, *url;
	char ip[64];
	char *body;
	size_t len, cap;
	bool too_big;
	form_t *form; /* fields and files of a form POST (urlencoded or multipart) */
	struct MHD_PostProcessor *pp;
	int64_t started_us;
	auth_t auth;
	struct ssr_portal *portal;
	bool refused; /* answered from the headers (preflight): the body is not read */
} req_t;

typedef struct {
	int status;
	const char *type;
	char *body;
	size_t len;
	char location[512];
	char cookie[2][256];
	int retry_after;
} resp_t;

#define PORTAL_LOG_CAUSES 32

struct ssr_portal {
	ssr_portal_config_t cfg;
	json_t *keep; /* strings the config points into */
	ssr_psl_t *psl;
	writer_t writer;
	pool_t pool;
	ratelimit_t rl;
	struct MHD_Daemon *mhd;
	unsigned port;
	char base_url[256];
	FILE *access;
	pthread_mutex_t access_mu;
	struct work *work;    /* routing and delivery workers (route.c) */
	uint8_t csrf_key[32]; /* binds the anonymous forms' CSRF tokens to this portal */
	/* open connections and the watchdog that enforces the request headers' deadline */
	struct pconn *conns;
	pthread_mutex_t conns_mu;
	pthread_cond_t watchdog_cv;
	pthread_t watchdog;
	bool watchdog_started, watchdog_stop;
	/* log lines limited per cause (portal_log_limited) */
	pthread_mutex_t loglim_mu;
	struct {
		const void *cause;
		int64_t last;
		unsigned long held;
	} loglim[PORTAL_LOG_CAUSES];
	/* the SLA figures, reused for stats_cache_s */
	pthread_mutex_t stats_mu;
	json_t *stats_cache;
	int64_t stats_at; /* monotonic seconds of the computation */
	unsigned stats_ack_s, stats_action_s;
	/* metrics */
	atomic_uint_fast64_t http[6]; /* by status class 1xx..5xx; [0] other */
	atomic_uint_fast64_t reports_ok, reports_rejected, cases_opened, rate_limited;
	atomic_uint_fast64_t header_timeouts, refused_early, stats_computed, stats_cached;
	atomic_uint_fast64_t
	    lat_bucket[8]; /* request latency histogram, le 1,5,10,25,50,100,250,+Inf ms */
	atomic_uint_fast64_t lat_sum_us;
};

int64_t portal_now(const ssr_portal_t *p);
/* A warning or notice at most once a minute per cause (any stable pointer: a format string, a
 * function); the next line says how many were held back. */
void portal_log_limited(ssr_portal_t *p, ssr_log_level_t level, const void *cause, const char *fmt,
                        ...) __attribute__((format(printf, 4, 5)));

/* Response helpers: take ownership of body. */
void resp_json(resp_t *r, int status, json_t *j);
void resp_error(resp_t *r, int status, const char *msg);
void resp_text(resp_t *r, int status, const char *type, char *body, size_t len);
void resp_redirect(resp_t *r, const char *location);

/* Request helpers. */
const char *req_header(const req_t *q, const char *name);
const char *req_query(const req_t *q, const char *name);
const char *req_cookie(const req_t *q, const char *name);
/* "/api/v1/cases/12/resolve" -> "api", "v1", "cases", "12", "resolve": the number of parts,
 * -1 when there are more or one is too long. */
#define SSR_PATH_PARTS 6
#define SSR_PATH_PART  160
int portal_split_path(const char *path, char parts[SSR_PATH_PARTS][SSR_PATH_PART]);
/* A form field (string) or NULL. */
const char *req_field(const req_t *q, const char *name);
/* ct names the media type type (any case), with parameters or nothing after it. */
bool portal_media_type_is(const char *ct, const char *type);

/* Count a hit of key (an IP, a login) against a per-minute limit of its kind ("report",
 * "login", "account"); false when over it: counted in the metrics, r->retry_after set, the
 * caller answers 429 in its own format. */
bool portal_rate_ok(ssr_portal_t *p, const char *kind, const char *key, unsigned limit, resp_t *r);

/* Resolve the caller from a bearer token, or (sessions: pages, not the API, so that no
 * cross-site request rides on a cookie) a session cookie (auth.c). */
void auth_resolve(ssr_portal_t *p, req_t *q, bool sessions);
void auth_clear(auth_t *a);
int64_t auth_party(const req_t *q);
/* The caller's login, or NULL when anonymous. */
const char *auth_login(const req_t *q);
bool auth_admin(const req_t *q);
/* May change the recommendation tracker: an account with the editor role, or an admin. */
bool auth_editor(const req_t *q);
/* Argon2id. */
int auth_hash_password(const char *password, char *out, size_t cap);
bool auth_verify_password(const char *encoded, const char *password);

/* Route handlers. */
void api_handle(ssr_portal_t *p, req_t *q, resp_t *r);
void pages_handle(ssr_portal_t *p, req_t *q, resp_t *r);
/* The JSON body of a POST; NULL with the response set (415, 400) when it is not one. */
json_t *api_json_body(const req_t *q, resp_t *r);
/* The recommendation tracker (recs.c): its pages (/recs...) and API (/api/v1/recs...); false
 * when the address is not one of them. */
bool recs_pages_handle(ssr_portal_t *p, req_t *q, resp_t *r, char parts[][SSR_PATH_PART], int n);
bool recs_api_handle(ssr_portal_t *p, req_t *q, resp_t *r, char parts[][SSR_PATH_PART], int n);

/* ---- HTML pages (pages.c), shared with recs.c ------------------------------------------------ */

typedef struct {
	FILE *f;
	char *buf;
	size_t len;
} html_t;

/* Text with & < > " ' escaped (element content and quoted attributes). */
void html_esc(html_t *h, const char *s);
/* printf-like: every %s argument escaped; %d int, %L int64_t, %% a percent sign. */
void html_out(html_t *h, const char *fmt, ...);
bool html_open_page(html_t *h, const req_t *q, const char *title);
void html_close_page(html_t *h, resp_t *r, int status);
void html_fmt_time(int64_t t, char out[32]);
const char *html_jstr(json_t *o, const char *k);
int64_t html_jint(json_t *o, const char *k);
void page_message(const req_t *q, resp_t *r, int status, const char *title, const char *msg);
/* A form's CSRF token against the session's (session) or the double-submit cookie, which
 * must also be one this portal made (bound to its secret). */
bool page_csrf_ok(const req_t *q, bool session);
/* The anonymous forms' CSRF cookie is there and was made by this portal. */
bool page_csrf_cookie_ok(const ssr_portal_t *p, const req_t *q);
/* Login attempts per IP per minute. */
#define PORTAL_LOGIN_PER_MINUTE 10
void page_csrf_refused(const req_t *q, resp_t *r);
/* Redirects to /login (and returns false) without a logged-in session. */
bool page_need_session(const req_t *q, resp_t *r);

/* A case's reports as XARF for a party or admin (API and pages). */
void api_case_xarf(ssr_portal_t *p, const req_t *q, int64_t id, resp_t *r);

/* Intake (intake.c): validate and store a report given as JSON.  On invalid input *errors is
 * an array of {field, message} and the result SSR_EINVAL; on success *result is
 * {report_id, token, cases: [{id, domain, category, joined}]}. */
int intake_submit(ssr_portal_t *p, json_t *report, const char *ip, json_t **result, json_t **errors,
                  ssr_diag_t *diag);

/* Case actions by a party (acknowledge, resolve); 0 ok, or an HTTP status with *msg. */
int case_action(ssr_portal_t *p, int64_t case_id, int64_t party_id, const char *action,
                const char *outcome, const char *reason, const char **msg);
/* The caller's inbox from the query (status, category, domain, limit, before): 0 with *cases
 * and the *limit used, or an HTTP status (400 bad filter, 403, 500) with *msg. */
int case_list(ssr_portal_t *p, const req_t *q, json_t **cases, int *limit, const char **msg);
/* A positive id of at most 18 digits (path parts, query parameters). */
bool portal_parse_id(const char *s, int64_t *id);
/* A reporter's report by the token of its link (only the token's SHA-256 is stored). */
int report_by_token(ssr_store_t *st, const char *token, json_t **out, ssr_diag_t *diag);
/* The case as a party or admin may see it; SSR_ENOTFOUND when it may not. */
int case_view(ssr_portal_t *p, const req_t *q, int64_t case_id, json_t **out);

/* The categories and outcomes the portal knows. */
extern const char *const portal_categories[];
extern const char *const portal_outcomes[];
bool portal_is_category(const char *s);
bool portal_is_outcome(const char *s);
/* One mailbox "local@domain.tld": no spaces, angle brackets, commas or line breaks. */
bool portal_is_email(const char *s);

/* XARF v4 (xarf.c): one report body as XARF for the case domain (with_reporter: the reporter's
 * contact as XARF reporter, for the reporter's own export); all reports of a case view. */
int portal_xarf(ssr_portal_t *p, ssr_store_t *st, int64_t report_id, int64_t received, json_t *body,
                const char *domain, bool with_reporter, json_t **out, ssr_diag_t *diag);
int portal_case_xarf(ssr_portal_t *p, ssr_store_t *st, json_t *kase, json_t **out,
                     ssr_diag_t *diag);

/* The SLA figures at the portal's now for /stats and /api/v1/stats, computed at most every
 * stats_cache_s by one request at a time (sla.c); *out the caller's copy. */
int portal_sla_cached(ssr_portal_t *p, json_t **out, ssr_diag_t *diag);

/* Send one due delivery ({id, case_id, party_id, channel, attempts}) by e-mail or webhook and
 * log the attempt (deliver.c). */
void deliver_one(ssr_portal_t *p, json_t *due);

/* Routing and delivery workers (route.c). */
int work_start(ssr_portal_t *p, ssr_diag_t *diag);
void work_stop(ssr_portal_t *p);
void work_kick(ssr_portal_t *p);

#pragma GCC visibility pop
