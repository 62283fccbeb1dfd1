/* ssrwatch — the portal's HTTP server on libmicrohttpd: a pool of worker threads, bodies read
 * up to a hard cap, form posts through MHD's post processor, a JSON access log line per
 * request, Prometheus counters, graceful stop. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "portal_priv.h"
#include "ssrwatch/crypto.h"
#include "ssrwatch/date.h"

int64_t portal_now(const ssr_portal_t *p)
{
	return p->cfg.clock ? p->cfg.clock(p->cfg.clock_ctx) : (int64_t)time(NULL);
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- responses ------------------------------------------------------------------------ */

void resp_text(resp_t *r, int status, const char *type, char *body, size_t len)
{
	free(r->body);
	r->status = status;
	r->type = type;
	r->body = body;
	r->len = len;
}

void resp_json(resp_t *r, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(j);
	if (s == NULL) {
		resp_text(r, 500, "text/plain", NULL, 0);
		return;
	}
	size_t n = strlen(s);
	char *b = realloc(s, n + 2);
	if (b != NULL) {
		b[n++] = '\n';
		b[n] = '\0';
		s = b;
	}
	resp_text(r, status, "application/json", s, n);
}

void resp_error(resp_t *r, int status, const char *msg)
{
	json_t *j = json_object();
	json_object_set_new(j, "error", json_string(msg));
	json_object_set_new(j, "status", json_integer(status));
	resp_json(r, status, j);
}

void resp_redirect(resp_t *r, const char *location)
{
	resp_text(r, 303, "text/plain", NULL, 0);
	snprintf(r->location, sizeof(r->location), "%s", location);
}

/* ---- requests ------------------------------------------------------------------------- */

const char *req_header(const req_t *q, const char *name)
{
	return MHD_lookup_connection_value(q->conn, MHD_HEADER_KIND, name);
}

const char *req_query(const req_t *q, const char *name)
{
	const char *v = MHD_lookup_connection_value(q->conn, MHD_GET_ARGUMENT_KIND, name);
	return v && *v ? v : NULL;
}

const char *req_cookie(const req_t *q, const char *name)
{
	return MHD_lookup_connection_value(q->conn, MHD_COOKIE_KIND, name);
}

/* "/api/v1/cases/12/resolve" -> parts "cases", "12", "resolve" */
int portal_split_path(const char *path, char parts[SSR_PATH_PARTS][SSR_PATH_PART])
{
	int n = 0;
	const char *p = path;
	while (*p == '/') {
		p++;
	}
	while (*p && n < SSR_PATH_PARTS) {
		size_t l = strcspn(p, "/");
		if (l >= SSR_PATH_PART) {
			return -1;
		}
		memcpy(parts[n], p, l);
		parts[n][l] = '\0';
		n++;
		p += l;
		while (*p == '/') {
			p++;
		}
	}
	return *p ? -1 : n;
}

const char *req_field(const req_t *q, const char *name)
{
	return form_get(q->form, name, NULL);
}

bool portal_media_type_is(const char *ct, const char *type)
{
	size_t n = strlen(type);
	if (ct == NULL || strncasecmp(ct, type, n) != 0) {
		return false;
	}
	char c = ct[n]; /* the type ends there: parameters or nothing may follow */
	return c == '\0' || c == ';' || c == ' ' || c == '\t';
}

/* Form fields and files in pieces (form.c grows them in place, within their caps). */
static enum MHD_Result post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *filename, const char *ctype, const char *enc,
                                 const char *data, uint64_t off, size_t size)
{
	(void)kind, (void)enc;
	req_t *q = cls;
	return form_piece(q->form, key, filename, ctype, data, off, size) == SSR_EOK ? MHD_YES
	                                                                             : MHD_NO;
}

static bool is_form(const char *ct)
{
	return portal_media_type_is(ct, "application/x-www-form-urlencoded") ||
	       portal_media_type_is(ct, "multipart/form-data");
}

/* ---- access log and metrics --------------------------------------------------------------- */

static void access_log(ssr_portal_t *p, const req_t *q, int status, size_t bytes, int64_t us)
{
	json_t *j = json_object();
	char ts[21];
	ssr_time_format((int64_t)time(NULL), ts);
	json_object_set_new(j, "ts", json_string(ts));
	json_object_set_new(j, "ip", json_string(q->ip));
	json_object_set_new(j, "method", json_string(q->method));
	/* the path without the query; report tokens in paths are cut to a prefix; bytes that are
	 * not printable ASCII (a path that is not UTF-8 reaches the server as raw bytes) are
	 * written %XX, so that every request gets its line */
	char path[256];
	size_t o = 0;
	for (const unsigned char *c = (const unsigned char *)q->url; *c && o + 4 < sizeof(path);
	     c++) {
		if (*c < 0x21 || *c > 0x7e || *c == '%') {
			o += (size_t)snprintf(path + o, sizeof(path) - o, "%%%02X", *c);
		} else {
			path[o++] = (char)*c;
		}
	}
	path[o] = '\0';
	const char *const prefixes[] = {"/r/", "/api/v1/reports/"};
	for (size_t i = 0; i < 2; i++) {
		size_t pl = strlen(prefixes[i]);
		if (strncmp(path, prefixes[i], pl) == 0 && strlen(path + pl) > 4) {
			memcpy(path + pl + 4, "...", 4); /* keep 4 characters of the token */
		}
	}
	json_object_set_new(j, "path", json_stringn_nocheck(path, strlen(path)));
	json_object_set_new(j, "status", json_integer(status));
	json_object_set_new(j, "bytes", json_integer((json_int_t)bytes));
	json_object_set_new(j, "ms", json_real((double)us / 1000.0));
	if (q->auth.known) {
		json_object_set_new(j, "login", json_string(q->auth.who.login));
	}
	char *line = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6));
	json_decref(j);
	if (line == NULL) {
		return;
	}
	if (p->access != NULL) {
		pthread_mutex_lock(&p->access_mu);
		fprintf(p->access, "%s\n", line);
		fflush(p->access);
		pthread_mutex_unlock(&p->access_mu);
	} else {
		ssr_log(&p->cfg.log, SSR_LOG_INFO, "access", "%s", line);
	}
	free(line);
}

static void count(ssr_portal_t *p, int status, int64_t us)
{
	int cls = status / 100;
	atomic_fetch_add(&p->http[cls >= 1 && cls <= 5 ? cls : 0], 1);
	static const int64_t le_ms[] = {1, 5, 10, 25, 50, 100, 250};
	int b = 7;
	for (int i = 0; i < 7; i++) {
		if (us <= le_ms[i] * 1000) {
			b = i;
			break;
		}
	}
	atomic_fetch_add(&p->lat_bucket[b], 1);
	atomic_fetch_add(&p->lat_sum_us, (uint64_t)us);
}

static void metrics(ssr_portal_t *p, resp_t *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL) {
		resp_error(r, 500, "out of memory");
		return;
	}
	fprintf(f, "# HELP ssrwatch_http_requests_total HTTP requests by status class.\n"
	           "# TYPE ssrwatch_http_requests_total counter\n");
	for (int i = 1; i <= 5; i++) {
		fprintf(f, "ssrwatch_http_requests_total{class=\"%dxx\"} %llu\n", i,
		        (unsigned long long)atomic_load(&p->http[i]));
	}
	fprintf(f, "# HELP ssrwatch_http_request_duration_seconds Request latency.\n"
	           "# TYPE ssrwatch_http_request_duration_seconds histogram\n");
	static const char *le[] = {"0.001", "0.005", "0.01", "0.025",
	                           "0.05",  "0.1",   "0.25", "+Inf"};
	uint64_t cum = 0;
	for (int i = 0; i < 8; i++) {
		cum += atomic_load(&p->lat_bucket[i]);
		fprintf(f, "ssrwatch_http_request_duration_seconds_bucket{le=\"%s\"} %llu\n", le[i],
		        (unsigned long long)cum);
	}
	fprintf(f, "ssrwatch_http_request_duration_seconds_sum %.6f\n",
	        (double)atomic_load(&p->lat_sum_us) / 1e6);
	fprintf(f, "ssrwatch_http_request_duration_seconds_count %llu\n", (unsigned long long)cum);
	struct {
		const char *name, *help;
		uint64_t v;
	} c[] = {
	    {"ssrwatch_reports_accepted_total", "Reports stored.", atomic_load(&p->reports_ok)},
	    {"ssrwatch_reports_rejected_total", "Reports refused as invalid.",
	     atomic_load(&p->reports_rejected)},
	    {"ssrwatch_cases_opened_total", "Cases opened.", atomic_load(&p->cases_opened)},
	    {"ssrwatch_rate_limited_total", "Requests refused by a rate limit.",
	     atomic_load(&p->rate_limited)},
	    {"ssrwatch_refused_before_body_total",
	     "Requests answered from their headers, the body unread.",
	     atomic_load(&p->refused_early)},
	    {"ssrwatch_header_timeouts_total",
	     "Connections closed for not sending a complete request in time.",
	     atomic_load(&p->header_timeouts)},
	    {"ssrwatch_stats_computed_total", "SLA figures computed.",
	     atomic_load(&p->stats_computed)},
	    {"ssrwatch_stats_cached_total", "SLA figures served from the cache.",
	     atomic_load(&p->stats_cached)},
	    {"ssrwatch_store_commits_total", "Writer transactions (group commits).",
	     atomic_load(&p->writer.batches)},
	    {"ssrwatch_store_writes_total", "Write requests committed or failed.",
	     atomic_load(&p->writer.jobs)},
	    {"ssrwatch_store_write_failures_total", "Write requests that failed.",
	     atomic_load(&p->writer.failed)},
	    {"ssrwatch_store_wal_truncations_total",
	     "Write-ahead log emptied because passive checkpoints fell behind.",
	     atomic_load(&p->writer.truncations)},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		fprintf(f, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", c[i].name, c[i].help,
		        c[i].name, c[i].name, (unsigned long long)c[i].v);
	}
	fprintf(
	    f,
	    "# HELP ssrwatch_store_wal_bytes SQLite write-ahead log after the last checkpoint.\n"
	    "# TYPE ssrwatch_store_wal_bytes gauge\nssrwatch_store_wal_bytes %llu\n",
	    (unsigned long long)atomic_load(&p->writer.wal_bytes));
	ssr_store_t *st = pool_get(&p->pool);
	ssr_diag_t d;
	int64_t n = 0;
	if (ssr_store_report_count(st, &n, &d) == SSR_EOK) {
		fprintf(f,
		        "# HELP ssrwatch_reports_stored Reports in the store.\n"
		        "# TYPE ssrwatch_reports_stored gauge\nssrwatch_reports_stored %lld\n",
		        (long long)n);
	}
	pool_put(&p->pool, st);
	fclose(f);
	resp_text(r, 200, "text/plain; version=0.0.4", buf, len);
}

/* ---- log lines per cause, not per connection ----------------------------------------------- */

#define LOG_INTERVAL_S 60

/* One line per cause (a format string) a minute at most; the next says how many were held
 * back, so that a flood of refused connections does not become a flood of log lines. */
void portal_log_limited(ssr_portal_t *p, ssr_log_level_t level, const void *cause, const char *fmt,
                        ...)
{
	int64_t now = now_us() / 1000000;
	unsigned long held = 0;
	bool say = false;
	pthread_mutex_lock(&p->loglim_mu);
	size_t i = 0;
	while (i < PORTAL_LOG_CAUSES && p->loglim[i].cause != NULL && p->loglim[i].cause != cause) {
		i++;
	}
	if (i == PORTAL_LOG_CAUSES) {
		i = PORTAL_LOG_CAUSES - 1; /* more causes than slots: the last one is shared */
	}
	if (p->loglim[i].cause != cause) {
		p->loglim[i].cause = cause;
		p->loglim[i].last = 0;
		p->loglim[i].held = 0;
	}
	if (p->loglim[i].last == 0 || now - p->loglim[i].last >= LOG_INTERVAL_S) {
		say = true;
		held = p->loglim[i].held;
		p->loglim[i].last = now;
		p->loglim[i].held = 0;
	} else {
		p->loglim[i].held++;
	}
	pthread_mutex_unlock(&p->loglim_mu);
	if (!say) {
		return;
	}
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	msg[strcspn(msg, "\n")] = '\0';
	if (held > 0) {
		ssr_log(&p->cfg.log, level, "http", "%s (and %lu more like it in the last %d s)",
		        msg, held, LOG_INTERVAL_S);
	} else {
		ssr_log(&p->cfg.log, level, "http", "%s", msg);
	}
}

/* ---- connections: the request headers' deadline ------------------------------------------- */

/* Every open connection, with the time its current request began: a watchdog shuts those
 * whose request line and headers have not all come within header_timeout_s (a client that
 * trickles a header line every few seconds would otherwise hold the slot for ever).  The
 * socket is shut down, not closed: libmicrohttpd sees the end and closes it itself. */
typedef struct pconn {
	struct pconn *prev, *next;
	int fd;
	int64_t since_us; /* the current request began (connection opened, or last answered) */
	bool in_request;  /* its headers are all in: the request is being handled */
} pconn_t;

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
	ssr_portal_t *p = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		pconn_t *c = calloc(1, sizeof(*c));
		if (c == NULL) {
			return;
		}
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		c->fd = ci != NULL ? ci->connect_fd : -1;
		c->since_us = now_us();
		pthread_mutex_lock(&p->conns_mu);
		c->next = p->conns;
		if (p->conns != NULL) {
			p->conns->prev = c;
		}
		p->conns = c;
		pthread_mutex_unlock(&p->conns_mu);
		*socket_ctx = c;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_ctx != NULL) {
		pconn_t *c = *socket_ctx;
		pthread_mutex_lock(&p->conns_mu);
		*(c->prev ? &c->prev->next : &p->conns) = c->next;
		if (c->next != NULL) {
			c->next->prev = c->prev;
		}
		pthread_mutex_unlock(&p->conns_mu);
		free(c);
		*socket_ctx = NULL;
	}
}

static pconn_t *conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
}

static void conn_mark(ssr_portal_t *p, struct MHD_Connection *conn, bool in_request)
{
	pconn_t *c = conn_of(conn);
	if (c != NULL) {
		pthread_mutex_lock(&p->conns_mu);
		c->in_request = in_request;
		c->since_us = now_us();
		pthread_mutex_unlock(&p->conns_mu);
	}
}

static int purge_job(ssr_store_t *st, void *ctx, ssr_diag_t *diag)
{
	return ssr_store_session_purge(st, *(int64_t *)ctx, NULL, diag);
}

#define PURGE_EVERY_S 600 /* expired web sessions are deleted this often */

static void *watchdog_main(void *arg)
{
	ssr_portal_t *p = arg;
	int64_t purged = now_us() / 1000000;
	pthread_mutex_lock(&p->conns_mu);
	while (!p->watchdog_stop) {
		if (now_us() / 1000000 - purged >= PURGE_EVERY_S) {
			purged = now_us() / 1000000;
			pthread_mutex_unlock(&p->conns_mu);
			int64_t now = portal_now(p);
			ssr_diag_t d;
			if (writer_run(&p->writer, purge_job, &now, &d) != SSR_EOK) {
				ssr_log(&p->cfg.log, SSR_LOG_WARNING, "portal", "session purge: %s",
				        d.msg);
			}
			pthread_mutex_lock(&p->conns_mu);
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&p->watchdog_cv, &p->conns_mu, &ts);
		int64_t limit = now_us() - (int64_t)p->cfg.header_timeout_s * 1000000;
		unsigned shut = 0;
		for (pconn_t *c = p->conns; c != NULL; c = c->next) {
			if (!c->in_request && c->since_us < limit && c->fd >= 0) {
				shutdown(c->fd, SHUT_RDWR);
				c->since_us = INT64_MAX; /* once */
				shut++;
			}
		}
		if (shut > 0) {
			atomic_fetch_add(&p->header_timeouts, shut);
			pthread_mutex_unlock(&p->conns_mu);
			portal_log_limited(p, SSR_LOG_WARNING, watchdog_main,
			                   "closed %u connection%s that sent no complete request "
			                   "within %u s",
			                   shut, shut == 1 ? "" : "s", p->cfg.header_timeout_s);
			pthread_mutex_lock(&p->conns_mu);
		}
	}
	pthread_mutex_unlock(&p->conns_mu);
	return NULL;
}

/* ---- dispatch ------------------------------------------------------------------------- */

static bool is_api(const req_t *q)
{
	return strncmp(q->url, "/api/", 5) == 0;
}

/* A refusal in the format of the address: JSON for the API, a page otherwise. */
static void refuse(const req_t *q, resp_t *r, int status, const char *title, const char *msg)
{
	if (is_api(q)) {
		resp_error(r, status, msg);
	} else {
		page_message(q, r, status, title, msg);
	}
}

/* What the request line and headers alone decide, before a byte of the body is read: a body
 * over the cap, ambiguous framing, a page form without its security cookie, an API write
 * without a token, a rate limit.  Answered now, libmicrohttpd closes the connection after the
 * answer with the body unread, so a refused upload costs nothing.  True when r is the answer. */
static bool preflight(ssr_portal_t *p, req_t *q, resp_t *r)
{
	const char *cl = req_header(q, "Content-Length"), *te = req_header(q, "Transfer-Encoding");
	char m[160];
	if (cl != NULL && te != NULL) {
		/* RFC 9112 6.3: a request with both is a smuggling attempt or a broken client */
		refuse(q, r, 400, "Bad request",
		       "a request with both Content-Length and Transfer-Encoding is refused");
		return true;
	}
	if (cl != NULL) {
		char *end = NULL;
		errno = 0;
		unsigned long long n = strtoull(cl, &end, 10);
		if (errno != 0 || end == cl || *end != '\0' || *cl < '0' || *cl > '9') {
			refuse(q, r, 400, "Bad request", "Content-Length is not a number");
			return true;
		}
		if (n > p->cfg.max_body) {
			snprintf(m, sizeof(m), "request body larger than %u bytes",
			         p->cfg.max_body);
			refuse(q, r, 413, "Request too large", m);
			return true;
		}
	}
	if (strcmp(q->method, "POST") != 0) {
		return false;
	}
	bool report = strcmp(q->url, "/report") == 0 || strcmp(q->url, "/api/v1/reports") == 0;
	if (!is_api(q)) {
		bool anon = strcmp(q->url, "/report") == 0 || strcmp(q->url, "/login") == 0;
		if ((anon && !page_csrf_cookie_ok(p, q)) ||
		    (!anon && strcmp(q->url, "/logout") != 0 &&
		     req_cookie(q, "ssr_session") == NULL)) {
			page_csrf_refused(q, r);
			return true;
		}
	} else if (!report && req_header(q, "Authorization") == NULL) {
		resp_error(r, 401, "an API token is required (Authorization: Bearer <token>)");
		return true;
	}
	if (report && !portal_rate_ok(p, "report", q->ip, p->cfg.rate_ip, r)) {
		snprintf(m, sizeof(m),
		         "too many reports from your address: at most %u a minute; wait a moment "
		         "and send it again",
		         p->cfg.rate_ip);
		refuse(q, r, 429, "Too many reports", m); /* Retry-After is set */
		return true;
	}
	if (strcmp(q->url, "/login") == 0 &&
	    !portal_rate_ok(p, "login", q->ip, PORTAL_LOGIN_PER_MINUTE, r)) {
		page_message(q, r, 429, "Party login",
		             "Too many login attempts from your address; wait a minute.");
		return true;
	}
	return false;
}

static void handle(ssr_portal_t *p, req_t *q, resp_t *r)
{
	if (q->too_big) {
		char m[96];
		snprintf(m, sizeof(m), "request body larger than %u bytes", p->cfg.max_body);
		refuse(q, r, 413, "Request too large", m);
		return;
	}
	if (q->form != NULL) {
		form_check(q->form);
		if (q->form->status != 0) { /* a field over its cap, too many files, bad bytes */
			char m[300];
			snprintf(m, sizeof(m), "The form was refused and nothing was stored: %s.",
			         q->form->error);
			page_message(q, r, q->form->status, "Form refused", m);
			return;
		}
	}
	if (strcmp(q->url, "/healthz") == 0) {
		ssr_store_t *st = pool_get(&p->pool);
		ssr_diag_t d;
		int v = 0;
		int rc = ssr_store_schema_version(st, &v, &d);
		pool_put(&p->pool, st);
		json_t *j = json_object();
		json_object_set_new(j, "status",
		                    json_string(rc == SSR_EOK ? "ok" : "store failing"));
		json_object_set_new(j, "schema", json_integer(v));
		resp_json(r, rc == SSR_EOK ? 200 : 503, j);
		return;
	}
	if (strcmp(q->url, "/metrics") == 0) {
		metrics(p, r);
		return;
	}
	bool api = strncmp(q->url, "/api/", 5) == 0;
	auth_resolve(p, q, !api);
	if (api) {
		api_handle(p, q, r);
	} else {
		pages_handle(p, q, r);
	}
}

static enum MHD_Result queue(ssr_portal_t *p, req_t *q, resp_t *r)
{
	struct MHD_Response *mr = MHD_create_response_from_buffer(
	    r->len, r->body ? r->body : (void *)"",
	    r->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (mr == NULL) {
		free(r->body);
		return MHD_NO;
	}
	r->body = NULL;
	MHD_add_response_header(mr, "Content-Type", r->type ? r->type : "text/plain");
	MHD_add_response_header(mr, "Cache-Control", "no-store");
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(mr, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(mr, "X-Frame-Options", "DENY");
	MHD_add_response_header(
	    mr, "Content-Security-Policy",
	    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:;"
	    " form-action 'self'; frame-ancestors 'none'");
	if (r->location[0]) {
		MHD_add_response_header(mr, "Location", r->location);
	}
	for (int i = 0; i < 2; i++) {
		if (r->cookie[i][0]) {
			MHD_add_response_header(mr, "Set-Cookie", r->cookie[i]);
		}
	}
	if (r->retry_after > 0) {
		char ra[16];
		snprintf(ra, sizeof(ra), "%d", r->retry_after);
		MHD_add_response_header(mr, "Retry-After", ra);
	}
	enum MHD_Result ok = MHD_queue_response(q->conn, (unsigned)r->status, mr);
	MHD_destroy_response(mr);
	(void)p;
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
	(void)version;
	ssr_portal_t *p = cls;
	req_t *q = *con_cls;
	if (q == NULL) {
		q = calloc(1, sizeof(*q));
		if (q == NULL) {
			return MHD_NO;
		}
		q->conn = conn;
		q->method = method;
		q->url = url;
		q->started_us = now_us();
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		snprintf(q->ip, sizeof(q->ip), "?");
		if (ci != NULL && ci->client_addr != NULL) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET) {
				inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
				          q->ip, sizeof(q->ip));
			} else if (sa->sa_family == AF_INET6) {
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
				          q->ip, sizeof(q->ip));
			}
		}
		q->portal = p;
		*con_cls = q;
		conn_mark(p, conn, true);
		resp_t r = {0};
		if (preflight(p, q, &r)) {
			q->refused = true;
			atomic_fetch_add(&p->refused_early, 1);
			int64_t us = now_us() - q->started_us;
			count(p, r.status, us);
			access_log(p, q, r.status, r.len, us);
			return queue(p, q, &r);
		}
		const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
		if (strcmp(method, "POST") == 0 && is_form(ct)) {
			q->form = malloc(sizeof(*q->form));
			if (q->form == NULL || form_init(q->form, p->cfg.max_attachments,
			                                 p->cfg.max_attachment) != SSR_EOK) {
				free(q->form);
				q->form = NULL;
				return MHD_NO;
			}
			q->pp = MHD_create_post_processor(conn, 16384, post_iter, q);
			if (q->pp == NULL) { /* a multipart body without its boundary */
				q->form->status = 400;
				snprintf(q->form->error, sizeof(q->form->error),
				         "the form's Content-Type has no boundary");
			}
		}
		return MHD_YES;
	}
	if (q->refused) {
		*upload_size = 0; /* answered already */
		return MHD_YES;
	}
	if (*upload_size > 0) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (q->too_big || q->len + n > p->cfg.max_body) {
			q->too_big = true;
			return MHD_YES; /* read and drop the rest; answered 413 at the end */
		}
		q->len += n;
		if (q->form != NULL) {
			if (q->pp == NULL || q->form->status != 0) {
				return MHD_YES; /* refused: the rest is read and dropped */
			}
			if (MHD_post_process(q->pp, upload, n) != MHD_YES && q->form->status == 0) {
				q->form->status = 400;
				snprintf(q->form->error, sizeof(q->form->error),
				         "the form body does not parse");
			}
			return MHD_YES;
		}
		if (q->len + 1 > q->cap) {
			size_t nc = q->cap ? q->cap : 4096;
			while (nc < q->len + 1) {
				nc *= 2;
			}
			char *nb = realloc(q->body, nc);
			if (nb == NULL) {
				return MHD_NO;
			}
			q->body = nb, q->cap = nc;
		}
		memcpy(q->body + q->len - n, upload, n);
		q->body[q->len] = '\0';
		return MHD_YES;
	}
	resp_t r = {0};
	handle(p, q, &r);
	if (r.status == 0) {
		resp_error(&r, 500, "no response");
	}
	int64_t us = now_us() - q->started_us;
	count(p, r.status, us);
	access_log(p, q, r.status, r.len, us);
	return queue(p, q, &r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	conn_mark(cls, conn, false); /* the next request's headers have their deadline */
	req_t *q = *con_cls;
	if (q == NULL) {
		return;
	}
	if (q->pp != NULL) {
		MHD_destroy_post_processor(q->pp);
	}
	if (q->form != NULL) {
		form_release(q->form);
		free(q->form);
	}
	auth_clear(&q->auth);
	free(q->body);
	free(q);
	*con_cls = NULL;
}

/* ---- lifecycle ------------------------------------------------------------------------- */

/* libmicrohttpd's own messages go through the injected log, never straight to stderr, at
 * most one line per message kind a minute. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	ssr_portal_t *p = cls;
	char msg[400];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	portal_log_limited(p, SSR_LOG_WARNING, fmt, "%s", msg);
}

void ssr_portal_config_init(ssr_portal_config_t *c)
{
	memset(c, 0, sizeof(*c));
	c->listen_addr = "127.0.0.1";
	c->port = 8080;
	c->rdap_timeout_ms = 10000;
	c->rdap_cache_s = 86400;
	c->webhook_timeout_ms = 10000;
	c->max_body = 8u << 20;
	c->max_attachment = 2u << 20;
	c->max_attachments = 5;
	c->rate_ip = 120;
	c->rate_account = 600;
	c->sla_ack_s = 86400;
	c->sla_action_s = 7 * 86400;
	c->retry_base_s = 60;
	c->retry_max = 8;
	c->background = true;
	c->smtp_from = "ssrwatch@localhost";
	c->conn_per_ip = 64;
	c->header_timeout_s = 10;
	c->stats_cache_s = 10;
	c->wal_max_mb = 64;
}

unsigned ssr_portal_port(const ssr_portal_t *p)
{
	return p->port;
}

int ssr_portal_start(const ssr_portal_config_t *cfg, ssr_portal_t **out, ssr_diag_t *diag)
{
	ssr_portal_t *p = calloc(1, sizeof(*p));
	if (p == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "portal: out of memory");
	}
	p->cfg = *cfg;
	if (cfg->listen_addr == cfg->listen_buf) {
		p->cfg.listen_addr = p->cfg.listen_buf;
	}
	/* a worker waits for the group commit that holds its write: many workers per CPU keep
	 * the commits full (bench/portal) */
	unsigned threads = cfg->threads;
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = 32 * (n > 0 ? (unsigned)n : 2);
		threads = threads > 256 ? 256 : threads;
	}
	pthread_mutex_init(&p->access_mu, NULL);
	pthread_mutex_init(&p->loglim_mu, NULL);
	pthread_mutex_init(&p->conns_mu, NULL);
	pthread_cond_init(&p->watchdog_cv, NULL);
	pthread_mutex_init(&p->stats_mu, NULL);
	curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread uses libcurl */
	int rc = ssr_random(p->csrf_key, sizeof(p->csrf_key)) == SSR_EOK
	             ? SSR_EOK
	             : ssr_diag_set(diag, SSR_EIO, "portal: no randomness for the CSRF key");
	if (rc == SSR_EOK) {
		rc = ssr_psl_new(cfg->psl_file, &p->psl, diag);
	}
	if (rc == SSR_EOK) {
		rc = writer_start(&p->writer, cfg->store_uri, (uint64_t)cfg->wal_max_mb << 20,
		                  &p->cfg.log, diag);
	}
	if (rc == SSR_EOK) {
		/* a connection per worker, plus the background workers' */
		rc = pool_init(&p->pool, cfg->store_uri, threads + 2, diag);
	}
	if (rc == SSR_EOK && ratelimit_init(&p->rl, 4096) != SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "portal: out of memory");
	}
	if (rc == SSR_EOK && cfg->access_log != NULL) {
		p->access = fopen(cfg->access_log, "a");
		if (p->access == NULL) {
			rc = ssr_diag_set(diag, SSR_EIO, "access log '%s': cannot open: %s",
			                  cfg->access_log, strerror(errno));
		}
	}
	struct sockaddr_in sa = {0};
	if (rc == SSR_EOK) {
		sa.sin_family = AF_INET;
		sa.sin_port = htons((uint16_t)cfg->port);
		if (inet_pton(AF_INET, cfg->listen_addr, &sa.sin_addr) != 1) {
			rc =
			    ssr_diag_set(diag, SSR_EINVAL, "portal: bad listen address '%s' (IPv4)",
			                 cfg->listen_addr);
		}
	}
	if (rc == SSR_EOK) {
		/* ITC: MHD_quiesce_daemon closes the listening socket first at stop */
		p->mhd = MHD_start_daemon(
		    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
		        MHD_USE_ERROR_LOG,
		    0, NULL, NULL, on_request, p, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, p,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
		    threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, p,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
		    (unsigned)4096, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
		    MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->conn_per_ip,
		    MHD_OPTION_NOTIFY_CONNECTION, on_connection, p, MHD_OPTION_END);
		if (p->mhd == NULL) {
			rc = ssr_diag_set(diag, SSR_EIO, "portal: cannot listen on %s:%u",
			                  cfg->listen_addr, cfg->port);
		}
	}
	if (rc == SSR_EOK) {
		const union MHD_DaemonInfo *di =
		    MHD_get_daemon_info(p->mhd, MHD_DAEMON_INFO_BIND_PORT);
		p->port = di ? di->port : cfg->port;
		if (cfg->base_url != NULL) {
			snprintf(p->base_url, sizeof(p->base_url), "%s", cfg->base_url);
		} else {
			snprintf(p->base_url, sizeof(p->base_url), "http://%s:%u", cfg->listen_addr,
			         p->port);
		}
		size_t bl = strlen(p->base_url);
		if (bl > 0 && p->base_url[bl - 1] == '/') {
			p->base_url[bl - 1] = '\0';
		}
		if (pthread_create(&p->watchdog, NULL, watchdog_main, p) == 0) {
			p->watchdog_started = true;
		} else {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "portal: cannot start the watchdog");
		}
		if (rc == SSR_EOK && cfg->background) {
			rc = work_start(p, diag);
		}
	}
	if (rc != SSR_EOK) {
		ssr_portal_stop(p);
		return rc;
	}
	*out = p;
	return SSR_EOK;
}

void ssr_portal_stop(ssr_portal_t *p)
{
	if (p == NULL) {
		return;
	}
	if (p->mhd != NULL) {
		MHD_quiesce_daemon(p->mhd); /* no new connections */
		MHD_stop_daemon(p->mhd);    /* requests in flight finish first */
	}
	if (p->watchdog_started) {
		pthread_mutex_lock(&p->conns_mu);
		p->watchdog_stop = true;
		pthread_cond_signal(&p->watchdog_cv);
		pthread_mutex_unlock(&p->conns_mu);
		pthread_join(p->watchdog, NULL);
	}
	work_stop(p);
	writer_stop(&p->writer); /* commits what is queued */
	pool_release(&p->pool);
	ratelimit_release(&p->rl);
	ssr_psl_free(p->psl);
	if (p->access != NULL) {
		fclose(p->access);
	}
	pthread_mutex_destroy(&p->access_mu);
	pthread_mutex_destroy(&p->loglim_mu);
	pthread_mutex_destroy(&p->conns_mu);
	pthread_cond_destroy(&p->watchdog_cv);
	pthread_mutex_destroy(&p->stats_mu);
	json_decref(p->stats_cache);
	json_decref(p->keep);
	free(p);
}
