/* libregress: the mock DNS hierarchy of the resolver suites (Deckard's idea, real zone files).
 * Each mock server holds one zone on an address of its own (127.53.0.N, port 53 for a resolver
 * to reach it from root hints) and answers as an authoritative server does (RFC 1034 4.3.2 with
 * the DNSSEC records of RFC 4035 3.1): answers with their RRSIGs, CNAMEs followed inside the
 * zone, referrals with glue and DS or the NSEC proving there is none, NODATA and NXDOMAIN with
 * SOA and NSEC proofs, wildcards.  A server may instead truncate every UDP answer or never
 * answer.  Every query a server receives is logged: what the resolver under test asked whom
 * (QNAME minimisation, TCP after TC, EDNS kept after timeouts, negative caching, aggressive
 * NSEC).  One thread, poll(); UDP and TCP; every buffer capped. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libknot/libknot.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ssrwatch/regress.h"
#include "ssrwatch/zone.h"
#include "ssrwatch/zonemem.h"

#define MAX_RRS     100000 /* records per zone */
#define MAX_LOG     200000 /* queries logged per run */
#define MAX_CONNS   64     /* TCP connections per server */
#define TCP_IDLE_MS 10000
#define T_CNAME     5
#define T_SOA       6
#define T_NS        2
#define T_A         1
#define T_AAAA      28
#define T_DS        43
#define T_RRSIG     46
#define T_NSEC      47
#define T_ANY       255
#define T_OPT       41
#define UDP_MAX_BUF 1232 /* the most a mock server sends over UDP (DNS Flag Day 2020) */

typedef struct {
	int fd;
	uint8_t buf[2 + 65535];
	size_t have;
	struct timespec last;
	char src[48];
} mconn_t;

typedef struct {
	ssr_regress_mock_server_t cfg;
	ssr_zmem_t zone;
	ssr_zmem_t next;      /* a zone to serve from the next loop on (ssr_regress_mock_load) */
	atomic_int behaviour; /* cfg.behaviour, changed by ssr_regress_mock_behave */
	bool has_next;
	int udp, tcp;
	mconn_t conns[MAX_CONNS];
} mserver_t;

struct ssr_regress_mock {
	mserver_t *srv;
	size_t nsrv;
	pthread_t thread;
	bool running;
	atomic_bool stop;
	pthread_mutex_t lock;
	ssr_regress_mock_query_t *log;
	size_t nlog, dropped;
	uint8_t tcpout[2 + 65535]; /* the server thread's */
	pthread_cond_t cond;       /* the thread took the pending zones */
	bool swapped;
};

/* ---- answers -------------------------------------------------------------------------------- */

typedef struct {
	uint8_t *b;
	size_t len, cap;
	uint16_t count[4]; /* question, answer, authority, additional */
	bool overflow;
} wbuf_t;

static void put(wbuf_t *w, const void *p, size_t n)
{
	if (w->len + n > w->cap) {
		w->overflow = true;
		return;
	}
	memcpy(w->b + w->len, p, n);
	w->len += n;
}

static void put16(wbuf_t *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	put(w, b, 2);
}

static void put_rr(wbuf_t *w, int sec, const uint8_t *owner, const ssr_zmem_rr_t *r)
{
	put(w, owner, knot_dname_size(owner));
	put16(w, r->type);
	put16(w, KNOT_CLASS_IN);
	put16(w, (uint16_t)(r->ttl >> 16));
	put16(w, (uint16_t)r->ttl);
	put16(w, r->rdlen);
	put(w, r->rdata, r->rdlen);
	w->count[sec]++;
}

/* The RRset (and, with DO, its RRSIGs) of name and type into a section; owner as written. */
static bool put_rrset(wbuf_t *w, int sec, const ssr_zmem_t *z, const uint8_t *name,
                      const uint8_t *owner, uint16_t type, bool dnssec)
{
	size_t lo, hi;
	bool any = false;
	ssr_zmem_name_range(z, name, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		const ssr_zmem_rr_t *r = &z->rr[i];
		if ((r->type == type && type != T_RRSIG) ||
		    (dnssec && r->type == T_RRSIG && r->covered == type)) {
			put_rr(w, sec, owner, r);
			any |= r->type == type;
		}
	}
	return any;
}

/* The NSEC whose owner and next name cover name (owner < name < next, the last one wrapping
 * to the apex), or the NSEC of name itself when it has one. */
static const ssr_zmem_rr_t *nsec_for(const ssr_zmem_t *z, const uint8_t *name)
{
	/* the records are in canonical order: the NSEC that matches or covers name is the one of
	 * the last owner at or before it that has one (names without NSEC, glue, come between) */
	size_t i = ssr_zmem_lower_bound(z, name);
	for (size_t k = i; k < z->n && knot_dname_is_equal(z->rr[k].owner, name); k++) {
		if (z->rr[k].type == T_NSEC) {
			return &z->rr[k];
		}
	}
	while (i > 0) {
		const ssr_zmem_rr_t *r = &z->rr[--i];
		if (r->type != T_NSEC) {
			continue;
		}
		const uint8_t *next = r->rdata;
		if (knot_dname_size(next) > r->rdlen) {
			return NULL;
		}
		uint8_t nl[KNOT_DNAME_MAXLEN];
		memcpy(nl, next, knot_dname_size(next));
		knot_dname_to_lower(nl);
		bool wraps = knot_dname_cmp(nl, r->owner) <= 0;
		return wraps || knot_dname_cmp(name, nl) < 0 ? r : NULL;
	}
	return NULL;
}

static void put_nsec(wbuf_t *w, const ssr_zmem_t *z, const uint8_t *name,
                     const ssr_zmem_rr_t **done)
{
	const ssr_zmem_rr_t *n = nsec_for(z, name);
	if (n == NULL || n == *done) {
		return;
	}
	*done = n;
	put_rrset(w, 2, z, n->owner, n->owner, T_NSEC, true);
}

static void put_glue(wbuf_t *w, const ssr_zmem_t *z, const uint8_t *cut)
{
	size_t lo, hi;
	ssr_zmem_name_range(z, cut, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		if (z->rr[i].type != T_NS) {
			continue;
		}
		const uint8_t *ns = z->rr[i].rdata;
		uint8_t nl[KNOT_DNAME_MAXLEN];
		memcpy(nl, ns, knot_dname_size(ns));
		knot_dname_to_lower(nl);
		if (knot_dname_in_bailiwick(nl, z->apex) >= 0) {
			put_rrset(w, 3, z, nl, nl, T_A, false);
			put_rrset(w, 3, z, nl, nl, T_AAAA, false);
		}
	}
}

/* The answer to a query about qname/qtype from zone z (RFC 1034 4.3.2, RFC 4035 3.1). */
static int answer_from(wbuf_t *w, const ssr_zmem_t *z, const uint8_t *qname, uint16_t qtype,
                       bool dnssec, bool *aa)
{
	dnssec = dnssec && z->is_signed;
	*aa = true;
	uint8_t name[KNOT_DNAME_MAXLEN];
	memcpy(name, qname, knot_dname_size(qname));
	for (int chase = 0; chase < 8; chase++) {
		int below = knot_dname_in_bailiwick(name, z->apex);
		if (below < 0) {
			return chase == 0 ? KNOT_RCODE_REFUSED : KNOT_RCODE_NOERROR;
		}
		/* a zone cut on the way down (not for DS at the cut: the parent answers that) */
		for (int l = below; l >= 1; l--) {
			const uint8_t *cut = name;
			for (int k = 0; k < l - 1; k++) {
				cut += cut[0] + 1;
			}
			if (!ssr_zmem_has_type(z, cut, T_NS) ||
			    (l == 1 && qtype == T_DS && cut == name)) {
				continue;
			}
			if (chase > 0) {
				return KNOT_RCODE_NOERROR; /* a CNAME out of the zone's authority */
			}
			*aa = false;
			put_rrset(w, 2, z, cut, cut, T_NS, false);
			if (dnssec && !put_rrset(w, 2, z, cut, cut, T_DS, true)) {
				const ssr_zmem_rr_t *none = NULL;
				put_nsec(w, z, cut, &none); /* no DS: the NSEC of the cut says so */
			}
			put_glue(w, z, cut);
			return KNOT_RCODE_NOERROR;
		}
		size_t lo, hi;
		if (ssr_zmem_name_range(z, name, &lo, &hi)) {
			if (qtype != T_CNAME && ssr_zmem_has_type(z, name, T_CNAME)) {
				put_rrset(w, 1, z, name, name, T_CNAME, dnssec);
				const uint8_t *target = NULL;
				for (size_t i = lo; i < hi; i++) {
					if (z->rr[i].type == T_CNAME) {
						target = z->rr[i].rdata;
					}
				}
				memcpy(name, target, knot_dname_size(target));
				knot_dname_to_lower(name);
				continue;
			}
			bool any = false;
			for (size_t i = lo; i < hi; i++) {
				const ssr_zmem_rr_t *r = &z->rr[i];
				if (qtype == T_ANY
				        ? r->type != T_RRSIG || dnssec
				        : r->type == qtype || (dnssec && r->type == T_RRSIG &&
				                               r->covered == qtype)) {
					put_rr(w, 1, name, r);
					any = true;
				}
			}
			if (!any && chase == 0) { /* NODATA */
				put_rrset(w, 2, z, z->apex, z->apex, T_SOA, dnssec);
				if (dnssec) {
					const ssr_zmem_rr_t *none = NULL;
					put_nsec(w, z, name, &none);
				}
			}
			return KNOT_RCODE_NOERROR;
		}
		/* no such name: an empty non-terminal, a wildcard, or nothing */
		const ssr_zmem_rr_t *seen = NULL;
		if (ssr_zmem_is_ent(z, name)) {
			if (chase == 0) {
				put_rrset(w, 2, z, z->apex, z->apex, T_SOA, dnssec);
			}
			if (dnssec) {
				put_nsec(w, z, name, &seen);
			}
			return KNOT_RCODE_NOERROR;
		}
		const uint8_t *ce = name; /* the closest encloser */
		while (!knot_dname_is_equal(ce, z->apex) && !ssr_zmem_name_range(z, ce, &lo, &hi) &&
		       !ssr_zmem_is_ent(z, ce)) {
			ce += ce[0] + 1;
		}
		uint8_t wild[KNOT_DNAME_MAXLEN];
		size_t cel = knot_dname_size(ce);
		if (cel + 2 <= sizeof wild) {
			wild[0] = 1;
			wild[1] = '*';
			memcpy(wild + 2, ce, cel);
		}
		if (cel + 2 <= sizeof wild && ssr_zmem_name_range(z, wild, &lo, &hi)) {
			bool any = false;
			for (size_t i = lo; i < hi; i++) {
				const ssr_zmem_rr_t *r = &z->rr[i];
				if (r->type == qtype ||
				    (dnssec && r->type == T_RRSIG && r->covered == qtype)) {
					put_rr(w, 1, name, r); /* synthesised: the query's name */
					any = true;
				}
			}
			if (!any) {
				put_rrset(w, 2, z, z->apex, z->apex, T_SOA, dnssec);
			}
			if (dnssec) {
				put_nsec(w, z, name,
				         &seen); /* no closer match (RFC 4035 3.1.3.3) */
			}
			return KNOT_RCODE_NOERROR;
		}
		if (chase > 0) {
			return KNOT_RCODE_NXDOMAIN;
		}
		put_rrset(w, 2, z, z->apex, z->apex, T_SOA, dnssec);
		if (dnssec) {
			put_nsec(w, z, name, &seen);
			if (cel + 2 <= sizeof wild) {
				put_nsec(w, z, wild, &seen);
			}
		}
		return KNOT_RCODE_NXDOMAIN;
	}
	return KNOT_RCODE_NOERROR;
}

/* The response to one query (q, qlen) into out; 0: no response (not a query, or dropped). */
static size_t respond(const mserver_t *s, const uint8_t *q, size_t qlen, bool tcp, uint8_t *out,
                      size_t cap, ssr_regress_mock_query_t *logged)
{
	if (qlen < 12 || (q[2] & 0x80)) {
		return 0; /* not a query */
	}
	knot_pkt_t *pkt = knot_pkt_new((void *)q, qlen, NULL);
	if (pkt == NULL) {
		return 0;
	}
	int prc = knot_pkt_parse(pkt, 0);
	const uint8_t *qn = knot_pkt_qname(pkt);
	bool parsed = prc == KNOT_EOK && knot_wire_get_qdcount(pkt->wire) == 1 && qn != NULL;
	uint16_t qtype = parsed ? knot_pkt_qtype(pkt) : 0;
	bool edns = parsed && pkt->opt_rr != NULL;
	bool dnssec = edns && knot_edns_do(pkt->opt_rr);
	uint16_t bufsize = edns ? knot_edns_get_payload(pkt->opt_rr) : 512;
	uint8_t qname[KNOT_DNAME_MAXLEN] = {0};
	if (parsed) {
		memcpy(qname, qn, knot_dname_size(qn));
	}
	knot_pkt_free(pkt);
	if (logged != NULL) {
		logged->tcp = tcp;
		logged->edns = edns;
		logged->do_bit = dnssec;
		logged->rd = (q[2] & 0x01) != 0;
		logged->qtype = qtype;
		if (parsed) {
			knot_dname_to_str(logged->qname, qname, sizeof logged->qname);
		} else {
			snprintf(logged->qname, sizeof logged->qname, "(malformed)");
		}
	}
	int behaviour = atomic_load(&s->behaviour);
	if (behaviour == SSR_MOCK_DROP) {
		return 0;
	}
	size_t limit = tcp ? cap
	                   : (bufsize < 512           ? 512
	                      : bufsize > UDP_MAX_BUF ? UDP_MAX_BUF
	                                              : bufsize);
	if (limit > cap) {
		limit = cap;
	}
	wbuf_t w = {.b = out, .cap = limit};
	size_t qsec = parsed ? 12 + knot_dname_size(qname) + 4 : 12;
	if (qsec > qlen || qsec > limit) {
		return 0;
	}
	put(&w, q, qsec); /* the header and the question as asked (case kept) */
	out[2] = (uint8_t)(0x80 | (q[2] & 0x79)); /* QR, opcode, RD */
	out[3] = q[3] & 0x10;                     /* CD */
	int rcode = KNOT_RCODE_FORMERR;
	bool aa = false;
	uint8_t lower[KNOT_DNAME_MAXLEN];
	if (parsed && ((q[2] >> 3) & 0x0f) != 0) {
		rcode = KNOT_RCODE_NOTIMPL;
	} else if (parsed && !tcp && behaviour == SSR_MOCK_TRUNCATE_UDP) {
		out[2] |= 0x02; /* TC, nothing else: ask over TCP */
		rcode = KNOT_RCODE_NOERROR;
	} else if (parsed) {
		memcpy(lower, qname, knot_dname_size(qname));
		knot_dname_to_lower(lower);
		rcode = answer_from(&w, &s->zone, lower, qtype, dnssec, &aa);
		if (w.overflow || (edns && w.len + 11 > limit)) {
			w.len = qsec; /* too big: TC and no records */
			memset(w.count + 1, 0, sizeof w.count - sizeof w.count[0]);
			w.overflow = false;
			out[2] |= 0x02;
		}
	}
	if (parsed) {
		w.count[0] = 1;
	}
	if (edns && rcode != KNOT_RCODE_FORMERR) {
		uint8_t opt[11] = {0,
		                   0,
		                   T_OPT,
		                   UDP_MAX_BUF >> 8,
		                   UDP_MAX_BUF & 0xff,
		                   0,
		                   0,
		                   (uint8_t)(dnssec ? 0x80 : 0),
		                   0,
		                   0,
		                   0};
		put(&w, opt, sizeof opt);
		w.count[3]++;
	}
	out[2] |= aa ? 0x04 : 0;
	out[3] |= (uint8_t)(rcode & 0x0f);
	for (int i = 0; i < 4; i++) {
		out[4 + 2 * i] = (uint8_t)(w.count[i] >> 8);
		out[5 + 2 * i] = (uint8_t)w.count[i];
	}
	return w.overflow ? 0 : w.len;
}

/* ---- the server loop ---------------------------------------------------------------------- */

static void log_query(ssr_regress_mock_t *m, const ssr_regress_mock_query_t *q)
{
	pthread_mutex_lock(&m->lock);
	if (m->nlog < MAX_LOG) {
		m->log[m->nlog++] = *q;
	} else {
		m->dropped++;
	}
	pthread_mutex_unlock(&m->lock);
}

static void source_of(const struct sockaddr_storage *a, char *out, size_t cap)
{
	const void *ip = a->ss_family == AF_INET6
	                     ? (const void *)&((const struct sockaddr_in6 *)a)->sin6_addr
	                     : (const void *)&((const struct sockaddr_in *)a)->sin_addr;
	if (inet_ntop(a->ss_family, ip, out, (socklen_t)cap) == NULL) {
		snprintf(out, cap, "?");
	}
}

static void serve_udp(ssr_regress_mock_t *m, size_t si)
{
	mserver_t *s = &m->srv[si];
	uint8_t q[4096], out[UDP_MAX_BUF];
	for (int burst = 0; burst < 64; burst++) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof from;
		ssize_t n =
		    recvfrom(s->udp, q, sizeof q, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (n < 0) {
			return;
		}
		ssr_regress_mock_query_t lq = {.server = (unsigned)si};
		source_of(&from, lq.src, sizeof lq.src);
		size_t len = respond(s, q, (size_t)n, false, out, sizeof out, &lq);
		log_query(m, &lq);
		if (len > 0) {
			(void)sendto(s->udp, out, len, MSG_DONTWAIT, (struct sockaddr *)&from, fl);
		}
	}
}

static void conn_close(mconn_t *c)
{
	if (c->fd >= 0) {
		close(c->fd);
	}
	c->fd = -1;
	c->have = 0;
}

static bool send_all(int fd, const uint8_t *b, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			struct pollfd p = {.fd = fd, .events = POLLOUT};
			if (w < 0 && errno == EAGAIN && poll(&p, 1, 1000) == 1) {
				continue;
			}
			return false;
		}
		b += w;
		n -= (size_t)w;
	}
	return true;
}

static void serve_conn(ssr_regress_mock_t *m, size_t si, mconn_t *c)
{
	mserver_t *s = &m->srv[si];
	ssize_t n = recv(c->fd, c->buf + c->have, sizeof c->buf - c->have, MSG_DONTWAIT);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			conn_close(c);
		}
		return;
	}
	c->have += (size_t)n;
	clock_gettime(CLOCK_MONOTONIC, &c->last);
	uint8_t *out = m->tcpout;
	while (c->have >= 2) {
		size_t ml = (size_t)c->buf[0] << 8 | c->buf[1];
		if (c->have < 2 + ml) {
			break;
		}
		ssr_regress_mock_query_t lq = {.server = (unsigned)si};
		memcpy(lq.src, c->src, sizeof lq.src);
		size_t len = respond(s, c->buf + 2, ml, true, out + 2, sizeof m->tcpout - 2, &lq);
		log_query(m, &lq);
		if (len > 0) {
			out[0] = (uint8_t)(len >> 8);
			out[1] = (uint8_t)len;
			if (!send_all(c->fd, out, len + 2)) {
				conn_close(c);
				return;
			}
		}
		memmove(c->buf, c->buf + 2 + ml, c->have - 2 - ml);
		c->have -= 2 + ml;
	}
}

static long ms_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

static void *loop(void *arg)
{
	ssr_regress_mock_t *m = arg;
	size_t cap = m->nsrv * (2 + MAX_CONNS);
	struct pollfd *pf = calloc(cap, sizeof(*pf));
	size_t *who = calloc(cap, sizeof(*who));
	if (pf == NULL || who == NULL) {
		free(pf);
		free(who);
		return NULL;
	}
	while (!atomic_load(&m->stop)) {
		pthread_mutex_lock(&m->lock);
		for (size_t i = 0; i < m->nsrv; i++) {
			if (m->srv[i].has_next) {
				ssr_zmem_release(&m->srv[i].zone);
				m->srv[i].zone = m->srv[i].next;
				m->srv[i].has_next = false;
			}
		}
		m->swapped = true;
		pthread_cond_broadcast(&m->cond);
		pthread_mutex_unlock(&m->lock);
		size_t n = 0;
		for (size_t i = 0; i < m->nsrv; i++) {
			mserver_t *s = &m->srv[i];
			pf[n] = (struct pollfd){.fd = s->udp, .events = POLLIN};
			who[n++] = i << 8 | 0xff;
			pf[n] = (struct pollfd){.fd = s->tcp, .events = POLLIN};
			who[n++] = i << 8 | 0xfe;
			for (size_t k = 0; k < MAX_CONNS; k++) {
				if (s->conns[k].fd >= 0) {
					if (ms_since(&s->conns[k].last) > TCP_IDLE_MS) {
						conn_close(&s->conns[k]);
						continue;
					}
					pf[n] =
					    (struct pollfd){.fd = s->conns[k].fd, .events = POLLIN};
					who[n++] = i << 8 | k;
				}
			}
		}
		if (poll(pf, n, 100) <= 0) {
			continue;
		}
		for (size_t j = 0; j < n; j++) {
			if (pf[j].revents == 0) {
				continue;
			}
			size_t si = who[j] >> 8, k = who[j] & 0xff;
			mserver_t *s = &m->srv[si];
			if (k == 0xff) {
				serve_udp(m, si);
			} else if (k == 0xfe) {
				struct sockaddr_storage from;
				socklen_t fl = sizeof from;
				int fd = accept4(s->tcp, (struct sockaddr *)&from, &fl,
				                 SOCK_NONBLOCK | SOCK_CLOEXEC);
				size_t slot = 0;
				while (fd >= 0 && slot < MAX_CONNS && s->conns[slot].fd >= 0) {
					slot++;
				}
				if (fd >= 0 && slot == MAX_CONNS) {
					close(fd); /* full: refused */
				} else if (fd >= 0) {
					s->conns[slot].fd = fd;
					s->conns[slot].have = 0;
					source_of(&from, s->conns[slot].src,
					          sizeof s->conns[slot].src);
					clock_gettime(CLOCK_MONOTONIC, &s->conns[slot].last);
				}
			} else if (s->conns[k].fd >= 0) {
				serve_conn(m, si, &s->conns[k]);
			}
		}
	}
	free(pf);
	free(who);
	return NULL;
}

static int listen_on(mserver_t *s, uint16_t port, ssr_diag_t *diag)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	if (inet_pton(AF_INET, s->cfg.addr, &a.sin_addr) != 1 ||
	    (ntohl(a.sin_addr.s_addr) >> 24) != 127) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "mock server '%s': address '%s' is not IPv4 loopback",
		                    s->cfg.name, s->cfg.addr);
	}
	int one = 1;
	s->udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	s->tcp = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->udp < 0 || s->tcp < 0 ||
	    setsockopt(s->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) {
		return ssr_diag_set(diag, SSR_EIO, "mock server '%s': no socket: %s", s->cfg.name,
		                    strerror(errno));
	}
	if (bind(s->udp, (struct sockaddr *)&a, sizeof a) != 0 ||
	    bind(s->tcp, (struct sockaddr *)&a, sizeof a) != 0 || listen(s->tcp, 64) != 0) {
		int e = errno;
		return ssr_diag_set(diag, SSR_EIO,
		                    "mock server '%s': cannot listen on %s port %u: %s%s",
		                    s->cfg.name, s->cfg.addr, port, strerror(e),
		                    e == EACCES ? " (port 53 needs root or CAP_NET_BIND_SERVICE)"
		                    : e == EADDRINUSE ? " (another mock hierarchy running?)"
		                                      : "");
	}
	return SSR_EOK;
}

int ssr_regress_mock_start(const ssr_regress_mock_server_t *servers, size_t n, uint16_t port,
                           ssr_regress_mock_t **out, ssr_diag_t *diag)
{
	*out = NULL;
	if (n == 0 || n > 64) {
		return ssr_diag_set(diag, SSR_EINVAL, "mock: from 1 to 64 servers, not %zu", n);
	}
	ssr_regress_mock_t *m = calloc(1, sizeof(*m));
	if (m == NULL || (m->srv = calloc(n, sizeof(*m->srv))) == NULL ||
	    (m->log = calloc(MAX_LOG, sizeof(*m->log))) == NULL) {
		if (m != NULL) {
			free(m->srv);
		}
		free(m);
		return ssr_diag_set(diag, SSR_ENOMEM, "mock: out of memory");
	}
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	m->nsrv = n;
	for (size_t i = 0; i < n; i++) {
		m->srv[i].udp = m->srv[i].tcp = -1;
		for (size_t k = 0; k < MAX_CONNS; k++) {
			m->srv[i].conns[k].fd = -1;
		}
	}
	int rc = SSR_EOK;
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		m->srv[i].cfg = servers[i];
		atomic_store(&m->srv[i].behaviour, (int)servers[i].behaviour);
		rc =
		    ssr_zmem_load(&m->srv[i].zone, servers[i].zone, servers[i].file, MAX_RRS, diag);
		if (rc == SSR_EOK) {
			rc = listen_on(&m->srv[i], port, diag);
		}
	}
	if (rc == SSR_EOK && pthread_create(&m->thread, NULL, loop, m) != 0) {
		rc = ssr_diag_set(diag, SSR_EIO, "mock: cannot start its thread");
	}
	if (rc != SSR_EOK) {
		ssr_regress_mock_stop(m);
		return rc;
	}
	m->running = true;
	*out = m;
	return SSR_EOK;
}

int ssr_regress_mock_log(ssr_regress_mock_t *m, ssr_regress_mock_query_t **out, size_t *n,
                         ssr_diag_t *diag)
{
	pthread_mutex_lock(&m->lock);
	size_t k = m->nlog;
	ssr_regress_mock_query_t *v = malloc((k ? k : 1) * sizeof(*v));
	if (v != NULL) {
		memcpy(v, m->log, k * sizeof(*v));
	}
	size_t dropped = m->dropped;
	pthread_mutex_unlock(&m->lock);
	if (v == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "mock: out of memory");
	}
	if (dropped > 0) {
		free(v);
		return ssr_diag_set(diag, SSR_ELIMIT, "mock: more than %d queries logged", MAX_LOG);
	}
	*out = v;
	*n = k;
	return SSR_EOK;
}

int ssr_regress_mock_load(ssr_regress_mock_t *m, size_t server, const char *file, ssr_diag_t *diag)
{
	if (server >= m->nsrv) {
		return ssr_diag_set(diag, SSR_EINVAL, "mock: no server %zu", server);
	}
	mserver_t *s = &m->srv[server];
	ssr_zmem_t z;
	int rc = ssr_zmem_load(&z, s->cfg.zone, file, MAX_RRS, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	snprintf(s->cfg.file, sizeof s->cfg.file, "%s", file);
	z.file = s->cfg.file;
	pthread_mutex_lock(&m->lock);
	if (s->has_next) {
		ssr_zmem_release(&s->next);
	}
	s->next = z;
	s->has_next = true;
	m->swapped = false;
	/* served from the thread's next loop (at most 100 ms): wait for it, so that the caller
	 * knows every answer from now on comes from the new zone */
	while (m->running && !m->swapped) {
		pthread_cond_wait(&m->cond, &m->lock);
	}
	pthread_mutex_unlock(&m->lock);
	return SSR_EOK;
}

int ssr_regress_mock_behave(ssr_regress_mock_t *m, size_t server, int behaviour, ssr_diag_t *diag)
{
	if (server >= m->nsrv || behaviour < SSR_MOCK_NORMAL || behaviour > SSR_MOCK_DROP) {
		return ssr_diag_set(diag, SSR_EINVAL, "mock: no server %zu or behaviour %d", server,
		                    behaviour);
	}
	atomic_store(&m->srv[server].behaviour, behaviour);
	return SSR_EOK;
}

int ssr_regress_mock_answer(const ssr_regress_mock_t *m, size_t server, const uint8_t *query,
                            size_t qlen, bool tcp, uint8_t *out, size_t cap, size_t *len)
{
	*len = 0;
	if (server >= m->nsrv || cap < 12) {
		return SSR_EINVAL;
	}
	*len = respond(&m->srv[server], query, qlen, tcp, out, cap, NULL);
	return SSR_EOK;
}

const ssr_regress_mock_server_t *ssr_regress_mock_server(const ssr_regress_mock_t *m, size_t i)
{
	return i < m->nsrv ? &m->srv[i].cfg : NULL;
}

void ssr_regress_mock_stop(ssr_regress_mock_t *m)
{
	if (m == NULL) {
		return;
	}
	if (m->running) {
		atomic_store(&m->stop, true);
		pthread_join(m->thread, NULL);
	}
	for (size_t i = 0; i < m->nsrv; i++) {
		mserver_t *s = &m->srv[i];
		if (s->udp >= 0) {
			close(s->udp);
		}
		if (s->tcp >= 0) {
			close(s->tcp);
		}
		for (size_t k = 0; k < MAX_CONNS; k++) {
			conn_close(&s->conns[k]);
		}
		ssr_zmem_release(&s->zone);
		if (s->has_next) {
			ssr_zmem_release(&s->next);
		}
	}
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
	free(m->srv);
	free(m->log);
	free(m);
}
