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

#include "router.h"
#include "html.h"
#include "work.h"
#include "auth.h"
#include "ssrwatch/crypto.h"
#include "ssrwatch/date.h"
#include "ssrwatch/names.h"

/* ---- responses ------------------------------------------------------------------------ */

/* ---- requests ------------------------------------------------------------------------- */

/* Form fields and files in pieces (form.c grows them in place, within their caps). */
static enum MHD_Result post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *filename, const char *ctype, const char *enc,
                                 const char *data, uint64_t off, size_t size)
{
	(void)kind, (void)enc;
	req_t *q = cls;
	return portal_form_piece(q->form, key, filename, ctype, data, off, size) == SSR_EOK
	           ? MHD_YES
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
		c->since_us = portal_mono_us();
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
		c->since_us = portal_mono_us();
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
	int64_t purged = portal_mono_us() / 1000000;
	pthread_mutex_lock(&p->conns_mu);
	while (!p->watchdog_stop) {
		if (portal_mono_us() / 1000000 - purged >= PURGE_EVERY_S) {
			purged = portal_mono_us() / 1000000;
			pthread_mutex_unlock(&p->conns_mu);
			int64_t now = portal_now(p);
			ssr_diag_t d;
			if (portal_writer_run(&p->writer, purge_job, &now, &d) != SSR_EOK) {
				ssr_log(&p->cfg.log, SSR_LOG_WARNING, "portal", "session purge: %s",
				        d.msg);
			}
			pthread_mutex_lock(&p->conns_mu);
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&p->watchdog_cv, &p->conns_mu, &ts);
		int64_t limit = portal_mono_us() - (int64_t)p->cfg.header_timeout_s * 1000000;
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

/* What the request line and headers alone decide, before a byte of the body is read: a body
 * over the cap, ambiguous framing, a page form without its security cookie, an API write
 * without a token, a rate limit.  Answered now, libmicrohttpd closes the connection after the
 * answer with the body unread, so a refused upload costs nothing.  True when r is the answer. */
static bool preflight(ssr_portal_t *p, req_t *q, resp_t *r)
{
	const char *cl = portal_req_header(q, "Content-Length"),
	           *te = portal_req_header(q, "Transfer-Encoding");
	char m[160];
	if (cl != NULL && te != NULL) {
		/* RFC 9112 6.3: a request with both is a smuggling attempt or a broken client */
		portal_router_refuse(
		    q, r, 400, "Bad request",
		    "a request with both Content-Length and Transfer-Encoding is refused");
		return true;
	}
	if (cl != NULL) {
		char *end = NULL;
		errno = 0;
		unsigned long long n = strtoull(cl, &end, 10);
		if (errno != 0 || end == cl || *end != '\0' || *cl < '0' || *cl > '9') {
			portal_router_refuse(q, r, 400, "Bad request",
			                     "Content-Length is not a number");
			return true;
		}
		if (n > p->cfg.max_body) {
			snprintf(m, sizeof(m), "request body larger than %u bytes",
			         p->cfg.max_body);
			portal_router_refuse(q, r, 413, "Request too large", m);
			return true;
		}
	}
	return portal_router_preflight(p, q, r);
}

static void handle(ssr_portal_t *p, req_t *q, resp_t *r)
{
	if (q->too_big) {
		char m[96];
		snprintf(m, sizeof(m), "request body larger than %u bytes", p->cfg.max_body);
		portal_router_refuse(q, r, 413, "Request too large", m);
		return;
	}
	if (q->form != NULL) {
		portal_form_check(q->form);
		if (q->form->status != 0) { /* a field over its cap, too many files, bad bytes */
			char m[300];
			snprintf(m, sizeof(m), "The form was refused and nothing was stored: %s.",
			         q->form->error);
			portal_page_message(q, r, q->form->status, "Form refused", m);
			return;
		}
	}
	portal_router_handle(p, q, r);
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
		q->started_us = portal_mono_us();
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
			int64_t us = portal_mono_us() - q->started_us;
			count(p, r.status, us);
			access_log(p, q, r.status, r.len, us);
			return queue(p, q, &r);
		}
		const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
		if (strcmp(method, "POST") == 0 && is_form(ct)) {
			q->form = malloc(sizeof(*q->form));
			if (q->form == NULL || portal_form_init(q->form, p->cfg.max_attachments,
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
		portal_resp_error(&r, 500, "no response");
	}
	int64_t us = portal_mono_us() - q->started_us;
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
		portal_form_release(q->form);
		free(q->form);
	}
	portal_auth_clear(&q->auth);
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
	if (rc == SSR_EOK && cfg->brands_file) {
		ssr_names_files_t nf = {.brands = cfg->brands_file, .allow = cfg->brand_allow_file};
		rc = ssr_psl_load_providers(
		    p->psl, cfg->providers_file ? cfg->providers_file : ssr_names_providers_path(),
		    NULL, diag);
		if (rc == SSR_EOK) {
			rc = ssr_names_open(&(ssr_names_opts_t){.psl = p->psl}, &nf, &p->names,
			                    diag);
		}
	}
	if (rc == SSR_EOK) {
		rc = portal_writer_start(&p->writer, cfg->store_uri,
		                         (uint64_t)cfg->wal_max_mb << 20, &p->cfg.log, diag);
	}
	if (rc == SSR_EOK) {
		/* a connection per worker, plus the background workers' */
		rc = portal_pool_init(&p->pool, cfg->store_uri, threads + 2, diag);
	}
	if (rc == SSR_EOK) {
		/* the form CSRF key from the store: every instance on it accepts the forms any of
		 * them served, and a restart keeps open forms valid */
		ssr_store_t *st = portal_pool_get(&p->pool);
		rc = ssr_store_secret(st, "portal.csrf", p->csrf_key, sizeof p->csrf_key, diag);
		portal_pool_put(&p->pool, st);
	}
	if (rc == SSR_EOK && portal_ratelimit_init(&p->rl, 4096) != SSR_EOK) {
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
			rc = portal_work_start(p, diag);
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
	portal_work_stop(p);
	portal_writer_stop(&p->writer); /* commits what is queued */
	portal_pool_release(&p->pool);
	portal_ratelimit_release(&p->rl);
	ssr_names_free(p->names);
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
