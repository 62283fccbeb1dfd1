/* libgen: the simulated root server system (rssgen.h).  A relay listens on every RSI's
 * loopback addresses (UDP and TCP), forwards each query to the RSI's real authoritative server
 * and applies the fault the plan gives for that RSI and interval; it also runs the publication
 * command a third of an interval before each planned publication.  One thread per query or
 * connection: the relay is a test fixture, its load a few hundred queries per interval. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ssrwatch/date.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/lines.h"
#include "ssrwatch/rng.h"
#include "ssrwatch/rssgen.h"

extern char **environ;

#define MAX_MSG        65535
#define BACKEND_MS     1000 /* a backend exchange */
#define CLIENT_IDLE_MS 2000

/* ---- the plan -----------------------------------------------------------------------------------
 */

static bool is_loopback(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET) {
		return (ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 24) == 127;
	}
	if (a->ss_family == AF_INET6) {
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)a)->sin6_addr);
	}
	return false;
}

static bool time_of(const char *s, int64_t *us)
{
	int64_t t;
	if (ssr_time_parse(s, &t) != SSR_EOK) {
		return false;
	}
	*us = t * 1000000;
	return true;
}

static bool u32_of(const char *s, uint32_t *v)
{
	char *end;
	errno = 0;
	unsigned long x = strtoul(s, &end, 10);
	if (errno != 0 || *end != 0 || end == s || x > UINT32_MAX) {
		return false;
	}
	*v = (uint32_t)x;
	return true;
}

static int backend_index(const ssr_rssgen_plan_t *p, const char *name)
{
	for (unsigned i = 0; i < p->nbackends; i++) {
		if (strcmp(p->backend[i].name, name) == 0) {
			return (int)i;
		}
	}
	return -1;
}

static const struct {
	const char *name;
	ssr_rssgen_fault_kind_t kind;
} kinds[] = {{"down", SSR_RSSGEN_DOWN},      {"delay", SSR_RSSGEN_DELAY},
             {"stale", SSR_RSSGEN_STALE},    {"alter", SSR_RSSGEN_ALTER},
             {"badsig", SSR_RSSGEN_BADSIG},  {"truncate", SSR_RSSGEN_TRUNCATE},
             {"refused", SSR_RSSGEN_REFUSED}};

int ssr_rssgen_plan_load(const char *path, ssr_rssgen_plan_t *p, ssr_diag_t *diag)
{
	memset(p, 0, sizeof(*p));
	p->stale_backend = -1;
	for (int i = 0; i < SSR_RSS_MAX_RSI; i++) {
		p->rsi_backend[i] = -1;
	}
	ssr_lines_t *lr;
	int rc = ssr_lines_open(path, 1024, &lr, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *line;
	size_t len;
	bool too_long;
	while ((rc = ssr_lines_next(lr, &line, &len, &too_long, diag)) == 1) {
		unsigned long ln = (unsigned long)ssr_lines_number(lr);
		char buf[1100], *w[6];
		size_t nw = 0;
		if (too_long) {
			rc = ssr_diag_set(diag, SSR_EPARSE, "rss plan '%s' line %lu: too long",
			                  path, ln);
			break;
		}
		memcpy(buf, line, len);
		buf[len] = 0;
		for (char *t = buf; *t && nw < 6;) {
			while (*t == ' ' || *t == '\t') {
				t++;
			}
			if (*t == 0 || *t == '#') {
				break;
			}
			w[nw++] = t;
			while (*t && *t != ' ' && *t != '\t') {
				t++;
			}
			if (*t) {
				*t++ = 0;
			}
		}
		if (nw == 0) {
			continue;
		}
		bool ok = true;
		if (strcmp(w[0], "start") == 0 && nw == 2) {
			ok = time_of(w[1], &p->start_us);
		} else if (strcmp(w[0], "interval-ms") == 0 && nw == 2) {
			uint32_t v;
			ok = u32_of(w[1], &v) && v >= 500 && v <= 300000;
			p->interval_ms = v;
		} else if (strcmp(w[0], "intervals") == 0 && nw == 2) {
			uint32_t v;
			ok = u32_of(w[1], &v) && v >= 1 && v <= 100000;
			p->intervals = v;
		} else if (strcmp(w[0], "backend") == 0 && nw == 3) {
			if (p->nbackends == SSR_RSSGEN_MAX_BACKENDS || strlen(w[1]) >= 32 ||
			    backend_index(p, w[1]) >= 0) {
				ok = false;
			} else {
				snprintf(p->backend[p->nbackends].name, 32, "%s", w[1]);
				ok = ssr_rss_addr_parse(w[2], 0, &p->backend[p->nbackends].addr,
				                        &p->backend[p->nbackends].len) &&
				     is_loopback(&p->backend[p->nbackends].addr);
				p->nbackends++;
			}
		} else if (strcmp(w[0], "rsi") == 0 && nw == 3) {
			int b = backend_index(p, w[2]);
			ok = b >= 0 && p->nrsi_plan < SSR_RSS_MAX_RSI && strlen(w[1]) < 16;
			if (ok) {
				snprintf(p->rsi_id[p->nrsi_plan], 16, "%s", w[1]);
				p->rsi_backend[p->nrsi_plan++] = b;
			}
		} else if (strcmp(w[0], "stale") == 0 && nw == 2) {
			ok = (p->stale_backend = backend_index(p, w[1])) >= 0;
		} else if ((strcmp(w[0], "publish") == 0 && nw == 3) ||
		           (strcmp(w[0], "initial") == 0 && nw == 2)) {
			/* a relative file is relative to the plan's directory */
			const char *f = w[nw - 1], *slash = strrchr(path, '/');
			int dl = f[0] == '/' || slash == NULL ? 0 : (int)(slash - path + 1);
			bool initial = nw == 2;
			ok = strlen(f) + (size_t)dl < 512 &&
			     (initial || (p->npublish < SSR_RSSGEN_MAX_PUBLISH &&
			                  u32_of(w[1], &p->publish[p->npublish].at)));
			if (ok) {
				snprintf(initial ? p->initial : p->publish[p->npublish++].file, 512,
				         "%.*s%s", dl, path, f);
			}
		} else if (strcmp(w[0], "fault") == 0 && (nw == 5 || nw == 6)) {
			ssr_rssgen_fault_t *f = &p->fault[p->nfaults];
			ok = p->nfaults < SSR_RSSGEN_MAX_FAULTS && strlen(w[1]) < 16 &&
			     u32_of(w[2], &f->from) && u32_of(w[3], &f->to) && f->from < f->to;
			f->kind = 0;
			for (size_t k = 0; ok && k < sizeof kinds / sizeof kinds[0]; k++) {
				if (strcmp(kinds[k].name, w[4]) == 0) {
					f->kind = kinds[k].kind;
				}
			}
			ok = ok && f->kind != 0 && ((f->kind == SSR_RSSGEN_DELAY) == (nw == 6));
			uint32_t d = 0;
			if (ok && nw == 6) {
				ok = u32_of(w[5], &d) && d <= 60000;
			}
			if (ok) {
				snprintf(f->rsi, 16, "%s", w[1]);
				f->delay_ms = d;
				p->nfaults++;
			}
		} else {
			ok = false;
		}
		if (!ok) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "rss plan '%s' line %lu: bad line '%.*s'", path, ln,
			                  (int)(len > 200 ? 200 : len), line);
			break;
		}
	}
	ssr_lines_free(lr);
	if (rc < 0) {
		return rc;
	}
	if (p->interval_ms == 0 || p->intervals == 0 || p->start_us == 0 || p->nrsi_plan == 0) {
		return ssr_diag_set(
		    diag, SSR_EPARSE,
		    "rss plan '%s': start, interval-ms, intervals and the RSIs are required", path);
	}
	for (unsigned i = 0; i < p->nfaults; i++) {
		if (p->fault[i].kind == SSR_RSSGEN_STALE && p->stale_backend < 0) {
			return ssr_diag_set(diag, SSR_EPARSE,
			                    "rss plan '%s': a stale fault needs 'stale'", path);
		}
	}
	return SSR_EOK;
}

/* ---- the relay
 * ----------------------------------------------------------------------------------- */

typedef struct {
	const ssr_rssgen_relay_opts_t *o;
	int map[SSR_RSS_MAX_RSI]; /* RSI list index -> plan index */
	pthread_mutex_t lock;
	FILE *log;
	atomic_int threads;
	int64_t mono_off; /* wall time minus the monotonic clock, taken once at the start */
} relay_t;

typedef struct {
	relay_t *r;
	unsigned rsi;
	int tf;
	int fd; /* UDP: the listening socket; TCP: the connection */
	struct sockaddr_storage peer;
	socklen_t peer_len;
	uint8_t q[MAX_MSG];
	size_t qlen;
} job_t;

static int64_t clock_now_us(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The simulation's clock: wall time read once, carried on by the machine-wide monotonic clock
 * (as the VPs' simulated clock is), so that a step of the wall clock moves no interval. */
static int64_t sim_now_us(const relay_t *r)
{
	return clock_now_us(CLOCK_MONOTONIC) + r->mono_off;
}

static int64_t interval_now(const relay_t *r)
{
	int64_t d = sim_now_us(r) - r->o->epoch_us;
	return d < 0 ? -1 : d / ((int64_t)r->o->plan->interval_ms * 1000);
}

static const ssr_rssgen_fault_t *fault_at(const relay_t *r, unsigned rsi, int64_t n)
{
	const ssr_rssgen_plan_t *p = r->o->plan;
	for (unsigned i = 0; i < p->nfaults; i++) {
		const ssr_rssgen_fault_t *f = &p->fault[i];
		if (n >= f->from && n < f->to && strcmp(f->rsi, r->o->rsi[rsi].id) == 0) {
			return f;
		}
	}
	return NULL;
}

/* The end of the name at msg[off] (compression pointers end it); 0 when malformed. */
static size_t skip_name(const uint8_t *m, size_t len, size_t off)
{
	while (off < len) {
		uint8_t l = m[off];
		if (l == 0) {
			return off + 1;
		}
		if ((l & 0xc0) == 0xc0) {
			return off + 2 <= len ? off + 2 : 0;
		}
		if (l > 63) {
			return 0;
		}
		off += 1 + (size_t)l;
	}
	return 0;
}

typedef struct {
	size_t rdata; /* offset of the rdata */
	uint16_t type, rdlen;
} rrpos_t;

/* The records of sections answer, authority, additional, in order; returns how many (at most
 * cap), or -1 when the message does not hold together. */
static int walk(const uint8_t *m, size_t len, rrpos_t *out, int cap)
{
	if (len < 12) {
		return -1;
	}
	unsigned qd = (unsigned)(m[4] << 8 | m[5]);
	unsigned rrs = (unsigned)(m[6] << 8 | m[7]) + (unsigned)(m[8] << 8 | m[9]) +
	               (unsigned)(m[10] << 8 | m[11]);
	size_t off = 12;
	for (unsigned i = 0; i < qd; i++) {
		if ((off = skip_name(m, len, off)) == 0 || off + 4 > len) {
			return -1;
		}
		off += 4;
	}
	int n = 0;
	for (unsigned i = 0; i < rrs; i++) {
		if ((off = skip_name(m, len, off)) == 0 || off + 10 > len) {
			return -1;
		}
		uint16_t type = (uint16_t)(m[off] << 8 | m[off + 1]);
		uint16_t rdlen = (uint16_t)(m[off + 8] << 8 | m[off + 9]);
		off += 10;
		if (off + rdlen > len) {
			return -1;
		}
		if (n < cap) {
			out[n++] = (rrpos_t){off, type, rdlen};
		}
		off += rdlen;
	}
	return n;
}

bool ssr_rssgen_alter(uint8_t *m, size_t len)
{
	rrpos_t rr[256];
	int n = walk(m, len, rr, 256);
	for (int i = 0; i < n; i++) {
		if (rr[i].type == 41 || rr[i].type == 46 || rr[i].rdlen == 0) {
			continue;
		}
		uint8_t *d = m + rr[i].rdata;
		bool name_first = rr[i].type == 2 || rr[i].type == 5 || rr[i].type == 12 ||
		                  rr[i].type == 39 || rr[i].type == 47;
		if (name_first) {
			if (d[0] >= 1 && d[0] <= 63 && rr[i].rdlen > 1) {
				d[1] = d[1] == 'x' ? 'y' : 'x';
				return true;
			}
			continue; /* a compressed name first: the next record */
		}
		d[rr[i].rdlen - 1] ^= 0x01;
		return true;
	}
	return false;
}

bool ssr_rssgen_badsig(uint8_t *m, size_t len)
{
	rrpos_t rr[256];
	int n = walk(m, len, rr, 256);
	for (int i = 0; i < n; i++) {
		if (rr[i].type == 46 && rr[i].rdlen > 20) {
			m[rr[i].rdata + rr[i].rdlen - 1] ^= 0x01;
			return true;
		}
	}
	return false;
}

/* A response with no records to query q: rcode, TC as asked.  Its length, 0 when q is bad. */
static size_t bare_response(const uint8_t *q, size_t qlen, uint8_t rcode, bool tc, uint8_t *out)
{
	if (qlen < 12) {
		return 0;
	}
	size_t off = 12;
	if ((q[4] << 8 | q[5]) == 1) {
		if ((off = skip_name(q, qlen, 12)) == 0 || off + 4 > qlen) {
			return 0;
		}
		off += 4;
	}
	memcpy(out, q, off);
	out[2] = (uint8_t)((q[2] & 0x79) | 0x80 | 0x04 | (tc ? 0x02 : 0)); /* QR, AA, opcode, RD */
	out[3] = (uint8_t)(rcode & 0x0f);
	memset(out + 6, 0, 6);
	out[4] = 0;
	out[5] = off > 12;
	return off;
}

static bool io_wait(int fd, short ev, int ms)
{
	struct pollfd p = {.fd = fd, .events = ev};
	return poll(&p, 1, ms) == 1 && (p.revents & ev);
}

static bool read_all(int fd, uint8_t *b, size_t n, int ms)
{
	size_t got = 0;
	while (got < n) {
		if (!io_wait(fd, POLLIN, ms)) {
			return false;
		}
		ssize_t r = recv(fd, b + got, n - got, 0);
		if (r <= 0) {
			return false;
		}
		got += (size_t)r;
	}
	return true;
}

static bool write_all(int fd, const uint8_t *b, size_t n)
{
	size_t put = 0;
	while (put < n) {
		ssize_t w = send(fd, b + put, n - put, MSG_NOSIGNAL);
		if (w <= 0) {
			if (w < 0 && (errno == EAGAIN || errno == EINTR) &&
			    io_wait(fd, POLLOUT, 1000)) {
				continue;
			}
			return false;
		}
		put += (size_t)w;
	}
	return true;
}

/* Ask the backend over the client's transport; the answer's length, 0 on failure. */
static size_t backend_ask(const struct sockaddr_storage *b, socklen_t bl, bool tcp,
                          const uint8_t *q, size_t qlen, uint8_t *out)
{
	int fd = socket(b->ss_family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return 0;
	}
	size_t n = 0;
	if (connect(fd, (const struct sockaddr *)b, bl) != 0) {
		goto out;
	}
	if (tcp) {
		uint8_t lb[2] = {(uint8_t)(qlen >> 8), (uint8_t)qlen};
		uint8_t rl[2];
		if (!write_all(fd, lb, 2) || !write_all(fd, q, qlen) ||
		    !read_all(fd, rl, 2, BACKEND_MS)) {
			goto out;
		}
		size_t l = (size_t)rl[0] << 8 | rl[1];
		if (read_all(fd, out, l, BACKEND_MS)) {
			n = l;
		}
	} else {
		if (send(fd, q, qlen, 0) != (ssize_t)qlen || !io_wait(fd, POLLIN, BACKEND_MS)) {
			goto out;
		}
		ssize_t r = recv(fd, out, MAX_MSG, 0);
		n = r > 0 ? (size_t)r : 0;
	}
out:
	close(fd);
	return n;
}

static const char *const tf_name[4] = {"udp4", "tcp4", "udp6", "tcp6"};

/* One query: the fault of its RSI and interval applied; the response's length in out (0:
 * none). */
static size_t handle(relay_t *r, unsigned rsi, int tf, const uint8_t *q, size_t qlen, uint8_t *out)
{
	int64_t n = interval_now(r);
	const ssr_rssgen_fault_t *f = fault_at(r, rsi, n);
	const ssr_rssgen_plan_t *p = r->o->plan;
	if (r->log != NULL) {
		pthread_mutex_lock(&r->lock);
		fprintf(r->log, "%lld %s %s %s\n", (long long)n, r->o->rsi[rsi].id, tf_name[tf],
		        f == NULL ? "-" : kinds[f->kind - 1].name);
		pthread_mutex_unlock(&r->lock);
	}
	bool tcp = tf % 2 == 1;
	size_t len = 0;
	ssr_rssgen_fault_kind_t k = f != NULL ? f->kind : 0;
	switch (k) {
	case SSR_RSSGEN_DOWN:
		return 0;
	case SSR_RSSGEN_REFUSED:
		return bare_response(q, qlen, 5, false, out);
	case SSR_RSSGEN_TRUNCATE:
		if (!tcp) {
			return bare_response(q, qlen, 0, true, out);
		}
		break;
	default:
		break;
	}
	int b = r->map[rsi] >= 0 ? p->rsi_backend[r->map[rsi]] : -1;
	if (k == SSR_RSSGEN_STALE) {
		b = p->stale_backend;
	}
	if (b < 0) {
		return 0;
	}
	len = backend_ask(&p->backend[b].addr, p->backend[b].len, tcp, q, qlen, out);
	if (len == 0) {
		return 0;
	}
	if (k == SSR_RSSGEN_ALTER) {
		(void)ssr_rssgen_alter(out, len);
	} else if (k == SSR_RSSGEN_BADSIG) {
		(void)ssr_rssgen_badsig(out, len);
	} else if (k == SSR_RSSGEN_DELAY) {
		struct timespec ts = {.tv_sec = f->delay_ms / 1000,
		                      .tv_nsec = (long)(f->delay_ms % 1000) * 1000000};
		nanosleep(&ts, NULL);
	}
	return len;
}

static void *udp_job(void *arg)
{
	job_t *j = arg;
	uint8_t *out = malloc(MAX_MSG);
	if (out != NULL) {
		size_t n = handle(j->r, j->rsi, j->tf, j->q, j->qlen, out);
		if (n > 0) {
			(void)sendto(j->fd, out, n, 0, (struct sockaddr *)&j->peer, j->peer_len);
		}
	}
	free(out);
	atomic_fetch_sub(&j->r->threads, 1);
	free(j);
	return NULL;
}

static void *tcp_job(void *arg)
{
	job_t *j = arg;
	uint8_t *out = malloc(MAX_MSG);
	for (;;) {
		uint8_t lb[2];
		if (out == NULL || !read_all(j->fd, lb, 2, CLIENT_IDLE_MS)) {
			break;
		}
		j->qlen = (size_t)lb[0] << 8 | lb[1];
		if (j->qlen == 0 || !read_all(j->fd, j->q, j->qlen, CLIENT_IDLE_MS)) {
			break;
		}
		size_t n = handle(j->r, j->rsi, j->tf, j->q, j->qlen, out);
		if (n == 0) {
			break; /* down: the connection closed unanswered */
		}
		uint8_t ob[2] = {(uint8_t)(n >> 8), (uint8_t)n};
		if (!write_all(j->fd, ob, 2) || !write_all(j->fd, out, n)) {
			break;
		}
	}
	close(j->fd);
	free(out);
	atomic_fetch_sub(&j->r->threads, 1);
	free(j);
	return NULL;
}

static bool spawn_job(relay_t *r, job_t *j, bool tcp)
{
	pthread_t t;
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&at, 2 * 1024 * 1024); /* buffers are on the heap */
	atomic_fetch_add(&r->threads, 1);
	bool ok = pthread_create(&t, &at, tcp ? tcp_job : udp_job, j) == 0;
	pthread_attr_destroy(&at);
	if (!ok) {
		atomic_fetch_sub(&r->threads, 1);
	}
	return ok;
}

static int listen_on(const struct sockaddr_storage *a, socklen_t len, bool tcp)
{
	int fd = socket(a->ss_family,
	                (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		return -1;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (a->ss_family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	}
	if (bind(fd, (const struct sockaddr *)a, len) != 0 || (tcp && listen(fd, 256) != 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void run_publish(const relay_t *r, unsigned i, pid_t *kids, unsigned *nkids)
{
	const ssr_rssgen_plan_t *p = r->o->plan;
	const char *prev = i > 0           ? p->publish[i - 1].file
	                   : p->initial[0] ? p->initial
	                                   : p->publish[i].file;
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "%s \"$1\" \"$2\"", r->o->on_publish);
	char *argv[] = {"/bin/sh", "-c", cmd, "sh", (char *)p->publish[i].file, (char *)prev, NULL};
	pid_t pid;
	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) == 0 && *nkids < 64) {
		kids[(*nkids)++] = pid;
	}
	ssr_log(r->o->log, SSR_LOG_INFO, "rssgen", "publishing '%s' for interval %u",
	        p->publish[i].file, p->publish[i].at);
}

int ssr_rssgen_relay_run(const ssr_rssgen_relay_opts_t *o, ssr_diag_t *diag)
{
	const ssr_rssgen_plan_t *p = o->plan;
	relay_t r = {.o = o,
	             .mono_off = clock_now_us(CLOCK_REALTIME) - clock_now_us(CLOCK_MONOTONIC)};
	for (size_t i = 0; i < o->nrsi; i++) {
		r.map[i] = -1;
		for (unsigned k = 0; k < p->nrsi_plan; k++) {
			if (strcmp(p->rsi_id[k], o->rsi[i].id) == 0) {
				r.map[i] = (int)k;
			}
		}
		if (r.map[i] < 0) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "rss relay: RSI '%s' has no backend in the plan",
			                    o->rsi[i].id);
		}
	}
	int fds[SSR_RSS_MAX_RSI * 4];
	struct pollfd pf[SSR_RSS_MAX_RSI * 4];
	unsigned owner[SSR_RSS_MAX_RSI * 4];
	int tfs[SSR_RSS_MAX_RSI * 4];
	unsigned nfd = 0;
	int rc = SSR_EOK;
	for (size_t i = 0; i < o->nrsi && rc == SSR_EOK; i++) {
		for (int fam = 0; fam < 2; fam++) {
			if (o->rsi[i].addr_len[fam] == 0) {
				continue;
			}
			if (!is_loopback(&o->rsi[i].addr[fam])) {
				rc = ssr_diag_set(diag, SSR_EINVAL,
				                  "rss relay: RSI '%s': not a loopback address",
				                  o->rsi[i].id);
				break;
			}
			for (int tcp = 0; tcp < 2; tcp++) {
				int fd =
				    listen_on(&o->rsi[i].addr[fam], o->rsi[i].addr_len[fam], tcp);
				if (fd < 0) {
					rc = ssr_diag_set(diag, SSR_EIO,
					                  "rss relay: RSI '%s': cannot listen: %s",
					                  o->rsi[i].id, strerror(errno));
					break;
				}
				fds[nfd] = fd;
				owner[nfd] = (unsigned)i;
				tfs[nfd] = fam * 2 + tcp;
				pf[nfd] = (struct pollfd){.fd = fd, .events = POLLIN};
				nfd++;
			}
		}
	}
	if (rc == SSR_EOK && o->log_path != NULL && (r.log = fopen(o->log_path, "w")) == NULL) {
		rc = ssr_diag_set(diag, SSR_EIO, "rss relay: cannot write '%s'", o->log_path);
	}
	if (r.log != NULL) {
		setvbuf(r.log, NULL, _IOLBF, 0);
	}
	pthread_mutex_init(&r.lock, NULL);
	int64_t I = (int64_t)p->interval_ms * 1000;
	int64_t end = o->epoch_us + (int64_t)(p->intervals + 1) * I;
	bool published[SSR_RSSGEN_MAX_PUBLISH] = {false};
	pid_t kids[64];
	unsigned nkids = 0;
	while (rc == SSR_EOK) {
		int64_t now = sim_now_us(&r);
		if (now >= end) {
			break;
		}
		for (unsigned i = 0; i < p->npublish; i++) {
			int64_t at = o->epoch_us + (int64_t)p->publish[i].at * I - I / 3;
			if (!published[i] && now >= at && o->on_publish != NULL) {
				published[i] = true;
				run_publish(&r, i, kids, &nkids);
			}
		}
		for (unsigned i = 0; i < nkids;) {
			if (waitpid(kids[i], NULL, WNOHANG) == kids[i]) {
				kids[i] = kids[--nkids];
			} else {
				i++;
			}
		}
		int ms = (int)((end - now) / 1000);
		if (ms > 50) {
			ms = 50;
		}
		if (poll(pf, nfd, ms) <= 0) {
			continue;
		}
		for (unsigned i = 0; i < nfd; i++) {
			if (!(pf[i].revents & POLLIN)) {
				continue;
			}
			bool tcp = tfs[i] % 2 == 1;
			for (int burst = 0; burst < 64; burst++) {
				job_t *j = malloc(sizeof(*j));
				if (j == NULL) {
					break;
				}
				*j = (job_t){.r = &r, .rsi = owner[i], .tf = tfs[i]};
				j->peer_len = sizeof j->peer;
				if (tcp) {
					j->fd = accept4(fds[i], (struct sockaddr *)&j->peer,
					                &j->peer_len, SOCK_CLOEXEC);
					if (j->fd < 0) {
						free(j);
						break;
					}
				} else {
					ssize_t n =
					    recvfrom(fds[i], j->q, sizeof j->q, 0,
					             (struct sockaddr *)&j->peer, &j->peer_len);
					if (n <= 0) {
						free(j);
						break;
					}
					j->fd = fds[i];
					j->qlen = (size_t)n;
				}
				if (!spawn_job(&r, j, tcp)) {
					if (tcp) {
						close(j->fd);
					}
					free(j);
					break;
				}
			}
		}
	}
	/* the workers end within their timeouts: wait for them before closing their sockets */
	for (int i = 0; i < 100 && atomic_load(&r.threads) > 0; i++) {
		struct timespec ts = {.tv_sec = 0, .tv_nsec = 50000000};
		nanosleep(&ts, NULL);
	}
	for (unsigned i = 0; i < nkids; i++) {
		waitpid(kids[i], NULL, 0);
	}
	for (unsigned i = 0; i < nfd; i++) {
		close(fds[i]);
	}
	if (r.log != NULL) {
		fclose(r.log);
	}
	pthread_mutex_destroy(&r.lock);
	return rc;
}

/* ---- generated states ---------------------------------------------------------------------------
 */

/* A latency in microseconds: base times a spread of 0.5 to about 4 (a long right tail). */
static uint32_t draw_rtt(ssr_rng_t *g, double base_ms)
{
	double u = ssr_rng_unit(g), v = ssr_rng_unit(g);
	double f = 0.5 + u * u * 1.5 + (v < 0.02 ? 2.0 * ssr_rng_unit(g) : 0);
	return (uint32_t)(base_ms * f * 1000.0);
}

int ssr_rssgen_states(const ssr_rssgen_states_opts_t *o, const char *dir, ssr_diag_t *diag)
{
	int64_t ms0;
	unsigned days;
	if (o->nrsi == 0 || o->nrsi > 26 || o->vps == 0 || o->vps > 1000 || o->month == NULL ||
	    strlen(o->month) != 7) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "gen rss-states: 1-26 RSIs, 1-1000 VPs, a month");
	}
	{
		struct tm tm = {0};
		int y, m;
		if (sscanf(o->month, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12) {
			return ssr_diag_set(diag, SSR_EINVAL, "gen rss-states: bad month '%s'",
			                    o->month);
		}
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = 1;
		ms0 = (int64_t)timegm(&tm);
		tm.tm_mon++;
		days = (unsigned)(((int64_t)timegm(&tm) - ms0) / 86400);
	}
	uint32_t nidx = (o->days && o->days < days ? o->days : days) * 288;
	ssr_rss_interval_t *iv = calloc(1, sizeof(*iv));
	if (iv == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	int rc = SSR_EOK;
	for (unsigned v = 0; v < o->vps && rc == SSR_EOK; v++) {
		ssr_rss_hdr_t h;
		memset(&h, 0, sizeof h);
		snprintf(h.month, sizeof h.month, "%s", o->month);
		snprintf(h.vp, sizeof h.vp, "vp%02u", v + 1);
		static const char *const regions[5] = {"Africa", "Asia-Pacific", "Europe", "LAC",
		                                       "North-America"};
		snprintf(h.region, sizeof h.region, "%s", regions[v % 5]);
		h.interval_s = SSR_RSS_INTERVAL;
		h.nrsi = o->nrsi;
		for (unsigned r = 0; r < o->nrsi; r++) {
			h.rsi[r][0] = (char)('a' + r);
		}
		char path[4096];
		snprintf(path, sizeof path, "%s/%s-%s.state", dir, h.vp, o->month);
		unlink(path);
		ssr_rss_state_t *st;
		int64_t last;
		if ((rc = ssr_rss_state_open(path, &h, false, &st, &last, diag)) != SSR_EOK) {
			break;
		}
		ssr_rss_state_nosync(st);
		ssr_rng_t g = {o->seed * 1000003u + v + 1};
		uint32_t lag[26] = {0};
		for (uint32_t i = 0; i < nidx && rc == SSR_EOK; i++) {
			memset(iv, 0, sizeof(*iv));
			iv->idx = i;
			iv->t_us =
			    (ms0 + (int64_t)i * SSR_RSS_INTERVAL + ssr_rng_below(&g, 60)) * 1000000;
			uint32_t gen = o->serial_every ? i / o->serial_every : 0;
			for (unsigned r = 0; r < o->nrsi; r++) {
				if (o->serial_every && i % o->serial_every == 0) {
					lag[r] = ssr_rng_below(
					    &g, 3); /* this RSI sees the new serial late */
				}
				uint32_t seen = gen;
				if (o->serial_every && gen > 0 && i % o->serial_every < lag[r]) {
					seen = gen - 1;
				}
				for (int t = 0; t < SSR_RSS_NT; t++) {
					ssr_rssgen_fate_t f = SSR_RSSGEN_OK;
					if (o->fate != NULL) {
						f = o->fate(v, i, r, t, o->ctx);
					} else if (o->timeout_permille) {
						uint64_t key[4] = {v, i, r, (uint64_t)t};
						f = ssr_hash64(key, sizeof key) % 1000 <
						            o->timeout_permille
						        ? SSR_RSSGEN_FAILED
						        : SSR_RSSGEN_OK;
					}
					ssr_rss_sample_t *s = &iv->soa[r][t];
					if (f == SSR_RSSGEN_ABSENT) {
						continue;
					}
					s->outcome = f == SSR_RSSGEN_OK ? 0 : 1;
					s->status = f == SSR_RSSGEN_OK ? SSR_RSS_S_ANSWERED
					                               : SSR_RSS_S_FAILED;
					if (f == SSR_RSSGEN_OK) {
						s->rtt_us = draw_rtt(&g, t % 2 ? 45 : 20);
						s->serial = 2026110100u + seen;
						s->has_serial = 1;
					}
				}
				if (o->correctness) {
					ssr_rss_corr_t *c = &iv->corr[r];
					c->tf = (uint8_t)ssr_rng_below(&g, 4);
					bool up = iv->soa[r][c->tf].status == SSR_RSS_S_ANSWERED;
					c->result = up ? SSR_RSS_C_CORRECT : SSR_RSS_C_NORESPONSE;
					c->negative = ssr_rng_below(&g, 10) == 0;
					c->qtype = c->negative ? 1 : 2;
					c->serial = 2026110100u + seen;
				}
			}
			rc = ssr_rss_state_append(st, iv, diag);
		}
		ssr_rss_state_close(st);
	}
	free(iv);
	return rc;
}
