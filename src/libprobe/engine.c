/* libprobe: the engine.  One epoll loop on one core: UDP queries go out on a small pool of
 * sockets per source address, each bound to its own random port, with random IDs that are
 * unique per socket; an answer must come back on the socket its query left from, from the
 * address and port it was sent to, with the query's ID, QR set and the query's question byte
 * for byte (case included).  TCP queries share a connection per server and source (pipelined, at
 * most tcp_pipeline in flight) unless a query asks for a connection of its own; answers are
 * matched by ID and question in the order they come.  Deadlines sit in a binary heap.
 *
 * A query is sent once.  A query that was never written (its connection closed before) moves
 * to a new connection once; that is not a retry, as nothing was sent. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <libknot/libknot.h>
#include <linux/errqueue.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "probe_priv.h"

enum { K_UDP = 1, K_TCP = 2 };

typedef struct usock usock_t;
typedef struct conn conn_t;

typedef struct pq {
	uint64_t seq;
	ssr_probe_req_t req; /* dst, src, transport, timeout, fresh_conn, user */
	uint8_t *buf;        /* u16 length prefix, then the message */
	size_t qlen;
	char *label;
	char *tls_name;    /* TLS: the server's name (req.tls_name copied) */
	uint64_t t_start;  /* monotonic µs: sent (UDP), handed to its connection (TCP) */
	int64_t t_send;    /* UTC µs */
	uint64_t deadline; /* monotonic µs */
	size_t heap_i;     /* SIZE_MAX: not in the heap */
	usock_t *us;
	conn_t *conn;
	struct pq *next;                  /* the engine's queue, or its connection's wait list */
	struct sockaddr_storage src_used; /* the local address and port it left from */
	bool moved;                       /* already moved to a new connection once */
} pq_t;

struct usock {
	int kind;
	int fd;
	struct sockaddr_storage local;
	pq_t **by_id; /* 65536 slots */
	unsigned used;
};

typedef struct {
	struct sockaddr_storage src; /* the address asked for (AF_UNSPEC: any of the family) */
	socklen_t src_len;
	int family;
	usock_t *socks;
	unsigned n, next;
} ugroup_t;

struct conn {
	int kind;
	int fd;
	bool open, fresh, closed;
	bool tls;                 /* DNS over TLS: the session below carries the stream */
	gnutls_session_t session; /* NULL until the TCP connection is up */
	bool hs_done;             /* the handshake is over: queries may go */
	bool tls_pending;         /* a record send returned EAGAIN: resume with NULL, 0 */
	bool tls_verify;
	char *tls_name;
	struct sockaddr_storage dst, src, local;
	socklen_t dst_len, src_len;
	pq_t *wait_head, *wait_tail; /* handed to it, not written yet */
	pq_t **fl;                   /* written, waiting for the answer */
	unsigned nfl, nwait, capfl;
	uint8_t *wbuf;
	size_t wlen, woff, wcap;
	uint8_t *rbuf; /* 2 + 65535 */
	size_t rlen;
	bool want_out;
	conn_t *next;
};

struct ssr_probe {
	ssr_probe_opts_t o;
	int ep;
	uint64_t seq;
	pq_t *q_head, *q_tail; /* submitted, not yet sent */
	unsigned inflight;
	pq_t **heap;
	size_t nheap, capheap;
	ugroup_t *groups;
	unsigned ngroups;
	conn_t *conns;
	ssr_probe_stats_t st;
	gnutls_certificate_credentials_t cred; /* TLS: made at the first TLS connection */
	uint8_t *rx;                           /* one datagram */
	bool fed_all;                          /* the feed said there is no more */
	int err;
	ssr_diag_t errdiag;
};

static void pq_free(pq_t *q)
{
	free(q->buf);
	free(q->label);
	free(q->tls_name);
	free(q);
}

/* ---- the deadline heap ------------------------------------------------------------------- */

static void heap_swap(ssr_probe_t *p, size_t a, size_t b)
{
	pq_t *t = p->heap[a];
	p->heap[a] = p->heap[b];
	p->heap[b] = t;
	p->heap[a]->heap_i = a;
	p->heap[b]->heap_i = b;
}

static void heap_up(ssr_probe_t *p, size_t i)
{
	while (i > 0 && p->heap[(i - 1) / 2]->deadline > p->heap[i]->deadline) {
		heap_swap(p, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(ssr_probe_t *p, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < p->nheap && p->heap[l]->deadline < p->heap[m]->deadline) {
			m = l;
		}
		if (r < p->nheap && p->heap[r]->deadline < p->heap[m]->deadline) {
			m = r;
		}
		if (m == i) {
			return;
		}
		heap_swap(p, i, m);
		i = m;
	}
}

static int heap_push(ssr_probe_t *p, pq_t *q)
{
	if (p->nheap == p->capheap) {
		size_t nc = p->capheap ? 2 * p->capheap : 256;
		pq_t **h = realloc(p->heap, nc * sizeof(*h));
		if (h == NULL) {
			return SSR_ENOMEM;
		}
		p->heap = h;
		p->capheap = nc;
	}
	q->heap_i = p->nheap;
	p->heap[p->nheap++] = q;
	heap_up(p, q->heap_i);
	return SSR_EOK;
}

static void heap_remove(ssr_probe_t *p, pq_t *q)
{
	size_t i = q->heap_i;
	if (i == SIZE_MAX) {
		return;
	}
	p->nheap--;
	if (i != p->nheap) {
		p->heap[i] = p->heap[p->nheap];
		p->heap[i]->heap_i = i;
		heap_down(p, i);
		heap_up(p, i);
	}
	q->heap_i = SIZE_MAX;
}

/* ---- small helpers ----------------------------------------------------------------------- */

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b,
                      bool ports)
{
	if (a->ss_family != b->ss_family) {
		return false;
	}
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_addr.s_addr == y->sin_addr.s_addr &&
		       (!ports || x->sin_port == y->sin_port);
	}
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
	return memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0 &&
	       (!ports || x->sin6_port == y->sin6_port);
}

static socklen_t family_len(int family)
{
	return family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

static void set_port(struct sockaddr_storage *a, uint16_t port)
{
	if (a->ss_family == AF_INET6) {
		((struct sockaddr_in6 *)a)->sin6_port = htons(port);
	} else {
		((struct sockaddr_in *)a)->sin_port = htons(port);
	}
}

/* Bind fd to src (its port 0: a random one of the range, when a range is set); without src
 * and range the kernel chooses at connect or send. */
static int bind_src(ssr_probe_t *p, int fd, const struct sockaddr_storage *src, socklen_t len,
                    int family)
{
	struct sockaddr_storage a;
	memset(&a, 0, sizeof a);
	if (src != NULL && len > 0) {
		memcpy(&a, src, len);
	} else {
		a.ss_family = (sa_family_t)family;
		len = family_len(family);
	}
	uint16_t port = ntohs(a.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&a)->sin6_port
	                                              : ((struct sockaddr_in *)&a)->sin_port);
	if (p->o.port_hi == 0 || port != 0) {
		return src != NULL ? bind(fd, (struct sockaddr *)&a, len) : 0;
	}
	unsigned span = (unsigned)p->o.port_hi - p->o.port_lo + 1;
	for (int tries = 0; tries < 64; tries++) {
		set_port(&a, (uint16_t)(p->o.port_lo + probe_random16() % span));
		if (bind(fd, (struct sockaddr *)&a, len) == 0) {
			return 0;
		}
		if (errno != EADDRINUSE) {
			return -1;
		}
	}
	return -1;
}

/* ---- completion -------------------------------------------------------------------------- */

static void fail(ssr_probe_t *p, int code, const char *what)
{
	if (p->err == SSR_EOK) {
		p->err = code;
		ssr_diag_set(&p->errdiag, code, "probe: %s", what);
	}
}

static void finish(ssr_probe_t *p, pq_t *q, ssr_probe_outcome_t outcome, const uint8_t *resp,
                   size_t rlen)
{
	heap_remove(p, q);
	uint64_t now = probe_mono_us();
	ssr_probe_result_t r = {.seq = q->seq,
	                        .transport = q->req.transport,
	                        .outcome = outcome,
	                        .dst = q->req.dst,
	                        .t_send_us = q->t_send,
	                        .rtt_us =
	                            outcome == SSR_PROBE_ANSWER || outcome == SSR_PROBE_MALFORMED
	                                ? (uint32_t)(now - q->t_start)
	                                : 0,
	                        .query = q->buf + 2,
	                        .qlen = q->qlen,
	                        .resp = resp,
	                        .rlen = resp ? rlen : 0,
	                        .label = q->label ? q->label : "",
	                        .user = q->req.user};
	r.src = q->src_used.ss_family != AF_UNSPEC ? q->src_used : q->req.src;
	switch (outcome) {
	case SSR_PROBE_ANSWER:
		p->st.answered++;
		break;
	case SSR_PROBE_TIMEOUT:
		p->st.timeouts++;
		break;
	case SSR_PROBE_REFUSED:
		p->st.refused++;
		break;
	case SSR_PROBE_RESET:
		p->st.resets++;
		break;
	case SSR_PROBE_MALFORMED:
		p->st.malformed++;
		break;
	case SSR_PROBE_NETERR:
		p->st.neterr++;
		break;
	case SSR_PROBE_TLSFAIL:
		p->st.tls_failures++;
		break;
	}
	if (p->o.record != NULL) {
		ssr_diag_t d;
		if (ssr_probe_rec_put(p->o.record, &r, &d) != SSR_EOK) {
			fail(p, SSR_EIO, d.msg);
		}
	}
	if (p->o.done != NULL) {
		p->o.done(&r, p->o.ctx);
	}
	if (q->us != NULL) {
		uint16_t id = knot_wire_get_id(q->buf + 2);
		if (q->us->by_id[id] == q) {
			q->us->by_id[id] = NULL;
			q->us->used--;
		}
	}
	p->inflight -= q->t_start != 0;
	pq_free(q);
}

/* The response's verdict for query q: ANSWER, MALFORMED, or -1 when it does not answer q. */
static int judge(const pq_t *q, const uint8_t *msg, size_t len)
{
	ssr_probe_answer_t a;
	ssr_diag_t d;
	int rc = ssr_probe_parse(msg, len, q->buf + 2, q->qlen, &a, &d);
	if (rc == SSR_EOK) {
		return SSR_PROBE_ANSWER;
	}
	return rc == SSR_EPARSE ? SSR_PROBE_MALFORMED : -1;
}

/* ---- UDP --------------------------------------------------------------------------------- */

static int epoll_add(ssr_probe_t *p, int fd, void *ptr, uint32_t ev)
{
	struct epoll_event e = {.events = ev, .data.ptr = ptr};
	return epoll_ctl(p->ep, EPOLL_CTL_ADD, fd, &e);
}

static ugroup_t *udp_group(ssr_probe_t *p, const pq_t *q)
{
	int family = q->req.dst.ss_family;
	for (unsigned i = 0; i < p->ngroups; i++) {
		ugroup_t *g = &p->groups[i];
		if (g->family == family && g->src_len == q->req.src_len &&
		    (g->src_len == 0 || same_addr(&g->src, &q->req.src, true))) {
			return g;
		}
	}
	ugroup_t *ng = realloc(p->groups, (p->ngroups + 1) * sizeof(*ng));
	if (ng == NULL) {
		return NULL;
	}
	p->groups = ng;
	ugroup_t *g = &p->groups[p->ngroups];
	memset(g, 0, sizeof(*g));
	g->family = family;
	g->src_len = q->req.src_len;
	if (g->src_len > 0) {
		memcpy(&g->src, &q->req.src, g->src_len);
	}
	unsigned n = p->o.udp_sockets;
	if ((g->socks = calloc(n, sizeof(*g->socks))) == NULL) {
		return NULL;
	}
	for (unsigned i = 0; i < n; i++) {
		usock_t *u = &g->socks[i];
		u->kind = K_UDP;
		u->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		u->by_id = calloc(65536, sizeof(*u->by_id));
		socklen_t ll = sizeof(u->local);
		int one = 1;
		struct sockaddr_storage any = {.ss_family = (sa_family_t)family};
		if (u->fd >= 0) {
			setsockopt(u->fd, family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
			           family == AF_INET6 ? IPV6_RECVPKTINFO : IP_PKTINFO, &one,
			           sizeof one);
			/* ICMP errors (port unreachable) queued with the datagram that caused them
			 */
			setsockopt(u->fd, family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
			           family == AF_INET6 ? IPV6_RECVERR : IP_RECVERR, &one,
			           sizeof one);
		}
		/* bound now (the wildcard without a source) so that the port is known */
		if (u->fd < 0 || u->by_id == NULL ||
		    bind_src(p, u->fd, g->src_len ? &g->src : &any,
		             g->src_len ? g->src_len : family_len(family), family) != 0 ||
		    getsockname(u->fd, (struct sockaddr *)&u->local, &ll) != 0 ||
		    epoll_add(p, u->fd, u, EPOLLIN) != 0) {
			if (u->fd >= 0) {
				close(u->fd);
			}
			free(u->by_id);
			u->fd = -1;
			u->by_id = NULL;
			break;
		}
		g->n = i + 1;
	}
	p->ngroups++;
	return g;
}

#define BATCH 64 /* datagrams per sendmmsg / recvmmsg */

static bool same_group(const ugroup_t *g, const pq_t *q)
{
	return g->family == q->req.dst.ss_family && g->src_len == q->req.src_len &&
	       (g->src_len == 0 || same_addr(&g->src, &q->req.src, true));
}

static void requeue_front(ssr_probe_t *p, pq_t *q)
{
	q->next = p->q_head;
	p->q_head = q;
	if (p->q_tail == NULL) {
		p->q_tail = q;
	}
}

static pq_t *pop_head(ssr_probe_t *p)
{
	pq_t *q = p->q_head;
	p->q_head = q->next;
	if (p->q_head == NULL) {
		p->q_tail = NULL;
	}
	q->next = NULL;
	return q;
}

/* Send queued UDP queries of the head's source group from socket u with one sendmmsg: false
 * when none could go (no free ID on u, its buffer full). */
static bool udp_batch(ssr_probe_t *p, ugroup_t *g, usock_t *u)
{
	pq_t *b[BATCH];
	struct mmsghdr mv[BATCH];
	struct iovec iv[BATCH];
	unsigned n = 0;
	while (p->q_head != NULL && n < BATCH && p->inflight + n < p->o.max_inflight) {
		pq_t *q = p->q_head;
		if (q->req.transport != SSR_PROBE_UDP || !same_group(g, q)) {
			break;
		}
		uint8_t *msg = q->buf + 2;
		uint16_t id = knot_wire_get_id(msg);
		if (!q->req.keep_id) {
			for (int t = 0; t < 16 && u->by_id[id] != NULL; t++) {
				id = probe_random16();
			}
		}
		if (u->by_id[id] != NULL) {
			break; /* another socket may have it free: the next batch */
		}
		knot_wire_set_id(msg, id);
		u->by_id[id] = q; /* held within the batch too */
		pop_head(p);
		iv[n] = (struct iovec){msg, q->qlen};
		mv[n] = (struct mmsghdr){.msg_hdr = {.msg_name = &q->req.dst,
		                                     .msg_namelen = q->req.dst_len,
		                                     .msg_iov = &iv[n],
		                                     .msg_iovlen = 1}};
		b[n++] = q;
	}
	if (n == 0) {
		return false;
	}
	uint64_t t = probe_mono_us();
	int64_t utc = probe_utc_us();
	int r = sendmmsg(u->fd, mv, n, 0);
	int e = errno;
	unsigned sent = r > 0 ? (unsigned)r : 0;
	for (unsigned i = 0; i < sent; i++) {
		pq_t *q = b[i];
		q->t_start = t;
		q->t_send = utc;
		q->us = u;
		u->used++;
		q->src_used = u->local;
		p->inflight++;
		p->st.sent++;
		q->deadline = t + (uint64_t)q->req.timeout_ms * 1000u;
		if (heap_push(p, q) != SSR_EOK) {
			fail(p, SSR_ENOMEM, "out of memory");
		}
	}
	unsigned first_back = sent;
	if (r < 0 && e != EAGAIN && e != EWOULDBLOCK && e != ENOBUFS) {
		pq_t *q = b[0]; /* this one cannot be sent at all */
		q->t_start = t;
		q->t_send = utc;
		q->us = u;
		u->used++;
		p->inflight++;
		finish(p, q, SSR_PROBE_NETERR, NULL, 0);
		first_back = 1;
	}
	for (unsigned i = n; i-- > first_back;) { /* not sent: back to the front, in order */
		u->by_id[knot_wire_get_id(b[i]->buf + 2)] = NULL;
		requeue_front(p, b[i]);
	}
	return sent > 0 || first_back > 0;
}

/* The queued UDP queries at the head: from the group's sockets in turn until one sends; false
 * when none could (every socket's IDs or buffer full). */
static bool udp_dispatch(ssr_probe_t *p)
{
	ugroup_t *g = udp_group(p, p->q_head);
	if (g == NULL || g->n == 0) {
		finish(p, pop_head(p), SSR_PROBE_NETERR, NULL, 0);
		return true;
	}
	for (unsigned k = 0; k < g->n; k++) {
		usock_t *u = &g->socks[g->next];
		g->next = (g->next + 1) % g->n;
		if (udp_batch(p, g, u)) {
			return true;
		}
	}
	return false;
}

/* The local address a datagram came to (IP_PKTINFO, IPV6_PKTINFO): the query's source. */
static void pktinfo_src(struct msghdr *mh, const usock_t *u, struct sockaddr_storage *src)
{
	*src = u->local;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof pi);
			((struct sockaddr_in *)src)->sin_addr = pi.ipi_addr;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof pi);
			((struct sockaddr_in6 *)src)->sin6_addr = pi.ipi6_addr;
		}
	}
}

/* ICMP errors for datagrams sent from u (IP_RECVERR): port or host unreachable ends the query
 * the datagram carried, as refused; other ICMP is only counted. */
static void udp_errors(ssr_probe_t *p, usock_t *u)
{
	for (int n = 0; n < 64; n++) {
		uint8_t data[512];
		struct sockaddr_storage to;
		union {
			struct cmsghdr align;
			uint8_t b[512];
		} cb;
		struct iovec iov = {data, sizeof data};
		struct msghdr mh = {.msg_name = &to,
		                    .msg_namelen = sizeof to,
		                    .msg_iov = &iov,
		                    .msg_iovlen = 1,
		                    .msg_control = cb.b,
		                    .msg_controllen = sizeof cb.b};
		ssize_t len = recvmsg(u->fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT);
		if (len < 0) {
			return;
		}
		bool unreachable = false;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
			if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
			    (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
				struct sock_extended_err ee;
				memcpy(&ee, CMSG_DATA(c), sizeof ee);
				unreachable = ee.ee_errno == ECONNREFUSED ||
				              ee.ee_errno == EHOSTUNREACH ||
				              ee.ee_errno == ENETUNREACH;
			}
		}
		pq_t *q = len >= 2 ? u->by_id[knot_wire_get_id(data)] : NULL;
		if (unreachable && q != NULL && q->t_start != 0 &&
		    same_addr(&to, &q->req.dst, true) && (size_t)len >= 12 &&
		    memcmp(data, q->buf + 2, 12) == 0) {
			finish(p, q, SSR_PROBE_REFUSED, NULL, 0);
		}
	}
}

static void udp_read(ssr_probe_t *p, usock_t *u)
{
	union cmsgbuf {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	};
	for (int rounds = 0; rounds < 8; rounds++) {
		struct sockaddr_storage from[BATCH];
		union cmsgbuf cb[BATCH];
		struct iovec iov[BATCH];
		struct mmsghdr mv[BATCH];
		for (unsigned i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){p->rx + (size_t)i * SSR_PROBE_MAX_MSG,
			                        SSR_PROBE_MAX_MSG};
			mv[i] = (struct mmsghdr){.msg_hdr = {.msg_name = &from[i],
			                                     .msg_namelen = sizeof from[i],
			                                     .msg_iov = &iov[i],
			                                     .msg_iovlen = 1,
			                                     .msg_control = cb[i].b,
			                                     .msg_controllen = sizeof cb[i].b}};
		}
		int got = recvmmsg(u->fd, mv, BATCH, MSG_DONTWAIT, NULL);
		if (got <= 0) {
			return; /* EAGAIN, or an ICMP error nobody can be told of on an unconnected
			           socket */
		}
		for (int i = 0; i < got; i++) {
			const uint8_t *msg = iov[i].iov_base;
			size_t len = mv[i].msg_len;
			pq_t *q = len >= 2 ? u->by_id[knot_wire_get_id(msg)] : NULL;
			if (q == NULL || q->t_start == 0 ||
			    !same_addr(&from[i], &q->req.dst, true)) {
				p->st.unsolicited++;
				continue;
			}
			int v = judge(q, msg, len);
			if (v < 0) {
				p->st.unsolicited++; /* the right ID from the right place, not its
				                        answer */
				continue;
			}
			pktinfo_src(&mv[i].msg_hdr, u, &q->src_used);
			finish(p, q, (ssr_probe_outcome_t)v, msg, len);
		}
		if (got < BATCH) {
			return;
		}
	}
}

/* ---- TCP --------------------------------------------------------------------------------- */

static void conn_close(ssr_probe_t *p, conn_t *c)
{
	if (!c->closed) {
		epoll_ctl(p->ep, EPOLL_CTL_DEL, c->fd, NULL);
		if (c->session != NULL) {
			gnutls_deinit(c->session);
			c->session = NULL;
		}
		close(c->fd);
		c->closed = true;
	}
}

/* Close c and free it with what it still holds. */
static void conn_free(ssr_probe_t *p, conn_t *c)
{
	conn_close(p, c);
	while (c->nfl > 0) {
		pq_free(c->fl[--c->nfl]);
	}
	for (pq_t *w = c->wait_head, *nx; w != NULL; w = nx) {
		nx = w->next;
		pq_free(w);
	}
	free(c->wbuf);
	free(c->rbuf);
	free(c->fl);
	free(c->tls_name);
	free(c);
}

static void tcp_assign(ssr_probe_t *p, pq_t *q);

/* The connection is gone: what was written fails, what was not moves once to a new one. */
static void conn_fail(ssr_probe_t *p, conn_t *c, ssr_probe_outcome_t why)
{
	conn_close(p, c);
	while (c->nfl > 0) {
		pq_t *q = c->fl[--c->nfl];
		q->conn = NULL;
		finish(p, q, why, NULL, 0);
	}
	pq_t *w = c->wait_head;
	c->wait_head = c->wait_tail = NULL;
	c->nwait = 0;
	while (w != NULL) {
		pq_t *next = w->next;
		w->next = NULL;
		w->conn = NULL;
		if (!c->open || w->moved) {
			finish(p, w, why, NULL, 0);
		} else {
			w->moved = true;
			tcp_assign(p, w);
		}
		w = next;
	}
}

static void conn_want_out(ssr_probe_t *p, conn_t *c, bool out)
{
	if (c->want_out == out || c->closed) {
		return;
	}
	struct epoll_event e = {.events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c};
	epoll_ctl(p->ep, EPOLL_CTL_MOD, c->fd, &e);
	c->want_out = out;
}

/* Write what is waiting; the written queries wait for their answers. */
static void conn_flush(ssr_probe_t *p, conn_t *c)
{
	bool ready = c->open && (!c->tls || c->hs_done);
	if (ready && c->nwait > 0 && c->nfl + c->nwait > c->capfl) {
		unsigned nc = 2 * (c->nfl + c->nwait);
		pq_t **nf = realloc(c->fl, nc * sizeof(*nf));
		if (nf == NULL) {
			fail(p, SSR_ENOMEM, "out of memory");
			return;
		}
		c->fl = nf;
		c->capfl = nc;
	}
	while (ready && c->wait_head != NULL) {
		pq_t *q = c->wait_head;
		size_t need = c->wlen + q->qlen + 2;
		if (need > c->wcap) {
			size_t nc = need < 4096 ? 8192 : 2 * need;
			uint8_t *nb = realloc(c->wbuf, nc);
			if (nb == NULL) {
				fail(p, SSR_ENOMEM, "out of memory");
				return;
			}
			c->wbuf = nb;
			c->wcap = nc;
		}
		memcpy(c->wbuf + c->wlen, q->buf, q->qlen + 2);
		c->wlen += q->qlen + 2;
		c->wait_head = q->next;
		if (c->wait_head == NULL) {
			c->wait_tail = NULL;
		}
		q->next = NULL;
		c->nwait--;
		c->fl[c->nfl++] = q;
		q->src_used = c->local;
		p->st.sent++;
	}
	while (ready && c->woff < c->wlen) {
		ssize_t w;
		if (c->tls) {
			/* after EAGAIN GnuTLS resumes the same record with NULL, 0 */
			w = c->tls_pending ? gnutls_record_send(c->session, NULL, 0)
			                   : gnutls_record_send(c->session, c->wbuf + c->woff,
			                                        c->wlen - c->woff);
			c->tls_pending = w == GNUTLS_E_AGAIN || w == GNUTLS_E_INTERRUPTED;
			if (c->tls_pending) {
				break;
			}
			if (w < 0) {
				conn_fail(p, c, SSR_PROBE_RESET);
				return;
			}
		} else {
			w = send(c->fd, c->wbuf + c->woff, c->wlen - c->woff, MSG_NOSIGNAL);
			if (w < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK) {
					break;
				}
				conn_fail(p, c, SSR_PROBE_RESET);
				return;
			}
		}
		c->woff += (size_t)w;
	}
	if (c->woff == c->wlen) {
		c->woff = c->wlen = 0;
	}
	conn_want_out(p, c, c->woff < c->wlen || !c->open);
}

static conn_t *conn_new(ssr_probe_t *p, const pq_t *q)
{
	conn_t *c = calloc(1, sizeof(*c));
	if (c == NULL || (c->rbuf = malloc(2 + SSR_PROBE_MAX_MSG)) == NULL) {
		free(c);
		return NULL;
	}
	c->kind = K_TCP;
	c->tls = q->req.transport == SSR_PROBE_TLS;
	c->tls_verify = q->req.tls_verify;
	if (q->tls_name != NULL && (c->tls_name = strdup(q->tls_name)) == NULL) {
		free(c->rbuf);
		free(c);
		return NULL;
	}
	c->dst = q->req.dst;
	c->dst_len = q->req.dst_len;
	c->src = q->req.src;
	c->src_len = q->req.src_len;
	c->fresh = q->req.fresh_conn;
	c->fd = socket(q->req.dst.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	socklen_t ll = sizeof(c->local);
	if (c->fd >= 0) {
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	}
	if (c->fd < 0 ||
	    bind_src(p, c->fd, c->src_len ? &c->src : NULL, c->src_len, q->req.dst.ss_family) !=
	        0 ||
	    (connect(c->fd, (struct sockaddr *)&c->dst, c->dst_len) != 0 && errno != EINPROGRESS)) {
		if (c->fd >= 0) {
			close(c->fd);
		}
		free(c->tls_name);
		free(c->rbuf);
		free(c);
		return NULL;
	}
	getsockname(c->fd, (struct sockaddr *)&c->local, &ll);
	if (epoll_add(p, c->fd, c, EPOLLIN | EPOLLOUT) != 0) {
		close(c->fd);
		free(c->tls_name);
		free(c->rbuf);
		free(c);
		return NULL;
	}
	c->want_out = true;
	c->next = p->conns;
	p->conns = c;
	p->st.tcp_connects++;
	return c;
}

/* Hand q to a connection to its server (a new one when none has room or q wants its own). */
static void tcp_assign(ssr_probe_t *p, pq_t *q)
{
	conn_t *c = NULL;
	if (!q->req.fresh_conn) {
		for (conn_t *x = p->conns; x != NULL; x = x->next) {
			if (!x->closed && !x->fresh && x->nfl + x->nwait < p->o.tcp_pipeline &&
			    x->tls == (q->req.transport == SSR_PROBE_TLS) &&
			    x->tls_verify == q->req.tls_verify &&
			    (x->tls_name == NULL) == (q->tls_name == NULL) &&
			    (x->tls_name == NULL || strcmp(x->tls_name, q->tls_name) == 0) &&
			    same_addr(&x->dst, &q->req.dst, true) && x->src_len == q->req.src_len &&
			    (x->src_len == 0 || same_addr(&x->src, &q->req.src, true))) {
				c = x;
				break;
			}
		}
	}
	if (q->t_start == 0) {
		p->inflight++;
	}
	q->t_start = probe_mono_us();
	q->t_send = probe_utc_us();
	if (c == NULL && (c = conn_new(p, q)) == NULL) {
		finish(p, q, errno == ECONNREFUSED ? SSR_PROBE_REFUSED : SSR_PROBE_NETERR, NULL, 0);
		return;
	}
	if (!q->req.keep_id) {
		uint8_t *msg = q->buf + 2;
		for (int t = 0; t < 64; t++) {
			bool taken = false;
			for (unsigned i = 0; i < c->nfl && !taken; i++) {
				taken =
				    knot_wire_get_id(c->fl[i]->buf + 2) == knot_wire_get_id(msg);
			}
			for (pq_t *w = c->wait_head; w != NULL && !taken; w = w->next) {
				taken = knot_wire_get_id(w->buf + 2) == knot_wire_get_id(msg);
			}
			if (!taken) {
				break;
			}
			knot_wire_set_id(msg, probe_random16());
		}
	}
	q->conn = c;
	if (c->wait_tail) {
		c->wait_tail->next = q;
	} else {
		c->wait_head = q;
	}
	c->wait_tail = q;
	c->nwait++;
	if (q->heap_i == SIZE_MAX) {
		q->deadline = q->t_start + (uint64_t)q->req.timeout_ms * 1000u;
		if (heap_push(p, q) != SSR_EOK) {
			fail(p, SSR_ENOMEM, "out of memory");
		}
	}
	conn_flush(p, c);
}

/* The TCP connection is up: a GnuTLS client session over it (SNI, and the certificate checked
 * against the trusted CAs and the name when asked). */
static int tls_start(ssr_probe_t *p, conn_t *c)
{
	if (p->cred == NULL) {
		if (gnutls_certificate_allocate_credentials(&p->cred) != GNUTLS_E_SUCCESS) {
			p->cred = NULL;
			return SSR_ENOMEM;
		}
		/* no CA file (that one is read by ssr_probe_new): the system's trust store; a
		 * store that cannot be read leaves nothing trusted, so verification fails */
		(void)gnutls_certificate_set_x509_system_trust(p->cred);
	}
	if (gnutls_init(&c->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK) != GNUTLS_E_SUCCESS) {
		c->session = NULL;
		return SSR_ENOMEM;
	}
	if (gnutls_set_default_priority(c->session) != GNUTLS_E_SUCCESS ||
	    gnutls_credentials_set(c->session, GNUTLS_CRD_CERTIFICATE, p->cred) !=
	        GNUTLS_E_SUCCESS ||
	    (c->tls_name != NULL &&
	     gnutls_server_name_set(c->session, GNUTLS_NAME_DNS, c->tls_name,
	                            strlen(c->tls_name)) != GNUTLS_E_SUCCESS)) {
		return SSR_EINVAL;
	}
	if (c->tls_verify) {
		gnutls_session_set_verify_cert(c->session, c->tls_name, 0);
	}
	gnutls_transport_set_int(c->session, c->fd);
	gnutls_handshake_set_timeout(c->session, 0); /* the query's deadline rules */
	return SSR_EOK;
}

static void conn_event(ssr_probe_t *p, conn_t *c, uint32_t ev)
{
	if (!c->open && (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
		int err = 0;
		socklen_t el = sizeof err;
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err != 0) {
			conn_fail(p, c, err == ECONNREFUSED ? SSR_PROBE_REFUSED : SSR_PROBE_RESET);
			return;
		}
		c->open = true;
		if (c->tls && tls_start(p, c) != SSR_EOK) {
			conn_fail(p, c, SSR_PROBE_TLSFAIL);
			return;
		}
	}
	if (c->tls && c->open && !c->hs_done) {
		int h = gnutls_handshake(c->session);
		if (h == GNUTLS_E_AGAIN || h == GNUTLS_E_INTERRUPTED) {
			conn_want_out(p, c, gnutls_record_get_direction(c->session) == 1);
			return;
		}
		if (h < 0) {
			/* an alert, a certificate not accepted, a peer that is no TLS server */
			conn_fail(p, c,
			          h == GNUTLS_E_PREMATURE_TERMINATION ? SSR_PROBE_RESET
			                                              : SSR_PROBE_TLSFAIL);
			return;
		}
		c->hs_done = true;
		conn_flush(p, c);
		if (c->closed) {
			return;
		}
		ev |= EPOLLIN; /* records may have come with the end of the handshake */
	}
	if (ev & EPOLLOUT) {
		conn_flush(p, c);
	}
	if (c->closed || !(ev & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
		return;
	}
	for (;;) {
		ssize_t r;
		if (c->tls) {
			r = gnutls_record_recv(c->session, c->rbuf + c->rlen,
			                       2 + SSR_PROBE_MAX_MSG - c->rlen);
			if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) {
				break;
			}
		} else {
			r = recv(c->fd, c->rbuf + c->rlen, 2 + SSR_PROBE_MAX_MSG - c->rlen, 0);
			if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				break;
			}
		}
		if (r <= 0) {
			conn_fail(p, c, SSR_PROBE_RESET);
			return;
		}
		c->rlen += (size_t)r;
		size_t off = 0;
		while (c->rlen - off >= 2) {
			size_t len = (size_t)(c->rbuf[off] << 8 | c->rbuf[off + 1]);
			if (c->rlen - off - 2 < len) {
				break;
			}
			const uint8_t *msg = c->rbuf + off + 2;
			off += 2 + len;
			unsigned i = 0;
			int v = -1;
			for (; len >= 2 && i < c->nfl; i++) {
				pq_t *q = c->fl[i];
				if (knot_wire_get_id(q->buf + 2) == knot_wire_get_id(msg) &&
				    (v = judge(q, msg, len)) >= 0) {
					break;
				}
			}
			if (v < 0) {
				p->st.unsolicited++;
				continue;
			}
			pq_t *q = c->fl[i];
			c->fl[i] = c->fl[--c->nfl];
			q->conn = NULL;
			finish(p, q, (ssr_probe_outcome_t)v, msg, len);
		}
		memmove(c->rbuf, c->rbuf + off, c->rlen - off);
		c->rlen -= off;
		if (c->closed) {
			return;
		}
	}
	if (c->fresh && c->nfl == 0 && c->nwait == 0) {
		conn_close(p, c);
	}
}

/* ---- the engine -------------------------------------------------------------------------- */

int ssr_probe_new(const ssr_probe_opts_t *o, ssr_probe_t **out, ssr_diag_t *diag)
{
	if (o->port_hi != 0 && (o->port_lo == 0 || o->port_lo > o->port_hi)) {
		return ssr_diag_set(diag, SSR_EINVAL, "probe: source port range %u-%u", o->port_lo,
		                    o->port_hi);
	}
	ssr_probe_t *p = calloc(1, sizeof(*p));
	if (p == NULL || (p->rx = malloc((size_t)BATCH * SSR_PROBE_MAX_MSG)) == NULL) {
		free(p);
		return ssr_diag_set(diag, SSR_ENOMEM, "probe: out of memory");
	}
	p->o = *o;
	p->seq = o->record != NULL ? probe_rec_count(o->record) : 0;
	p->o.max_inflight = o->max_inflight ? o->max_inflight : 1000;
	p->o.udp_sockets = o->udp_sockets ? (o->udp_sockets > 256 ? 256 : o->udp_sockets) : 16;
	p->o.tcp_pipeline = o->tcp_pipeline ? o->tcp_pipeline : 32;
	if ((p->ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		free(p->rx);
		free(p);
		return ssr_diag_set(diag, SSR_EIO, "probe: epoll: %s", strerror(errno));
	}
	if (o->tls_ca != NULL) {
		/* the trusted CAs now, so that a bad file is an error before anything is sent */
		int n = GNUTLS_E_MEMORY_ERROR;
		if (gnutls_certificate_allocate_credentials(&p->cred) == GNUTLS_E_SUCCESS) {
			n = gnutls_certificate_set_x509_trust_file(p->cred, o->tls_ca,
			                                           GNUTLS_X509_FMT_PEM);
		} else {
			p->cred = NULL;
		}
		if (n <= 0) {
			ssr_probe_free(p);
			return ssr_diag_set(diag,
			                    n == GNUTLS_E_MEMORY_ERROR ? SSR_ENOMEM : SSR_EINVAL,
			                    "probe: tls ca '%s': %s", o->tls_ca,
			                    n == 0 ? "no certificate in it" : gnutls_strerror(n));
		}
	}
	*out = p;
	return SSR_EOK;
}

int ssr_probe_submit(ssr_probe_t *p, const ssr_probe_req_t *req, ssr_diag_t *diag)
{
	if ((req->transport != SSR_PROBE_UDP && req->transport != SSR_PROBE_TCP &&
	     req->transport != SSR_PROBE_TLS) ||
	    (req->dst.ss_family != AF_INET && req->dst.ss_family != AF_INET6) ||
	    req->query == NULL || req->qlen < KNOT_WIRE_HEADER_SIZE ||
	    req->qlen > SSR_PROBE_MAX_MSG ||
	    (req->src_len > 0 && req->src.ss_family != req->dst.ss_family)) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "probe: bad request (transport, address family or query size)");
	}
	pq_t *q = calloc(1, sizeof(*q));
	if (q == NULL || (q->buf = malloc(req->qlen + 2)) == NULL ||
	    (req->label != NULL && (q->label = strndup(req->label, 1024)) == NULL) ||
	    (req->tls_name != NULL && (q->tls_name = strndup(req->tls_name, 255)) == NULL)) {
		if (q) {
			free(q->label);
			free(q->buf);
			free(q);
		}
		return ssr_diag_set(diag, SSR_ENOMEM, "probe: out of memory");
	}
	q->req = *req;
	q->req.query = NULL;
	q->req.label = NULL;
	q->req.tls_name = NULL;
	q->req.timeout_ms = req->timeout_ms ? req->timeout_ms : 4000;
	q->req.dst_len = family_len(req->dst.ss_family);
	q->buf[0] = (uint8_t)(req->qlen >> 8);
	q->buf[1] = (uint8_t)req->qlen;
	memcpy(q->buf + 2, req->query, req->qlen);
	q->qlen = req->qlen;
	q->seq = p->seq++;
	q->heap_i = SIZE_MAX;
	if (p->q_tail) {
		p->q_tail->next = q;
	} else {
		p->q_head = q;
	}
	p->q_tail = q;
	return SSR_EOK;
}

/* Send queued queries while there is room; true when one had to wait for a socket. */
static bool dispatch(ssr_probe_t *p)
{
	if (p->q_head == NULL && p->o.feed != NULL && !p->fed_all &&
	    p->inflight < p->o.max_inflight) {
		p->fed_all = !p->o.feed(p, p->o.max_inflight - p->inflight, p->o.feed_ctx);
	}
	while (p->q_head != NULL && p->inflight < p->o.max_inflight && p->err == SSR_EOK) {
		if (p->q_head->req.transport == SSR_PROBE_UDP) {
			if (!udp_dispatch(p)) {
				return true; /* it waits for a free ID or room in a socket's buffer
				              */
			}
			continue;
		}
		tcp_assign(p, pop_head(p));
	}
	return false;
}

/* Free the connections that are closed and hold no query. */
static void reap(ssr_probe_t *p)
{
	for (conn_t **cp = &p->conns; *cp != NULL;) {
		conn_t *c = *cp;
		if (c->closed && c->nfl == 0 && c->nwait == 0) {
			*cp = c->next;
			conn_free(p, c);
		} else {
			cp = &c->next;
		}
	}
}

static void expire(ssr_probe_t *p)
{
	uint64_t now = probe_mono_us();
	while (p->nheap > 0 && p->heap[0]->deadline <= now) {
		pq_t *q = p->heap[0];
		conn_t *c = q->conn;
		if (c != NULL) {
			for (unsigned i = 0; i < c->nfl; i++) {
				if (c->fl[i] == q) {
					c->fl[i] = c->fl[--c->nfl];
					break;
				}
			}
			for (pq_t **w = &c->wait_head, *prev = NULL; *w != NULL;
			     prev = *w, w = &(*w)->next) {
				if (*w == q) {
					*w = q->next;
					if (c->wait_tail == q) {
						c->wait_tail = prev;
					}
					c->nwait--;
					break;
				}
			}
			q->conn = NULL;
		}
		finish(p, q, SSR_PROBE_TIMEOUT, NULL, 0);
		if (c != NULL && c->fresh && c->nfl == 0 && c->nwait == 0) {
			conn_close(p, c);
		}
	}
}

int ssr_probe_run(ssr_probe_t *p, ssr_diag_t *diag)
{
	struct epoll_event ev[256];
	while ((p->q_head != NULL || p->inflight > 0 || (p->o.feed && !p->fed_all)) &&
	       p->err == SSR_EOK) {
		bool blocked = dispatch(p);
		int timeout = -1;
		if (p->nheap > 0) {
			uint64_t now = probe_mono_us(), d = p->heap[0]->deadline;
			timeout = d <= now ? 0 : (int)((d - now + 999) / 1000);
		}
		if (blocked && (timeout < 0 || timeout > 1)) {
			timeout = 1;
		}
		if (p->inflight == 0 && p->q_head == NULL) {
			if (p->o.feed && !p->fed_all) {
				continue;
			}
			break;
		}
		int n = epoll_wait(p->ep, ev, 256, timeout);
		if (n < 0 && errno != EINTR) {
			fail(p, SSR_EIO, "epoll_wait failed");
			break;
		}
		for (int i = 0; i < n; i++) {
			int kind = *(int *)ev[i].data.ptr;
			if (kind == K_UDP) {
				if (ev[i].events & EPOLLERR) {
					udp_errors(p, ev[i].data.ptr);
				}
				udp_read(p, ev[i].data.ptr);
			} else {
				conn_event(p, ev[i].data.ptr, ev[i].events);
			}
		}
		expire(p);
		reap(p);
	}
	/* connections end with the run */
	for (conn_t *c = p->conns, *next; c != NULL; c = next) {
		next = c->next;
		conn_free(p, c);
	}
	p->conns = NULL;
	if (p->err != SSR_EOK) {
		return ssr_diag_set(diag, p->err, "%s", p->errdiag.msg);
	}
	return SSR_EOK;
}

void ssr_probe_stats(const ssr_probe_t *p, ssr_probe_stats_t *out)
{
	*out = p->st;
}

void ssr_probe_free(ssr_probe_t *p)
{
	if (p == NULL) {
		return;
	}
	for (conn_t *c = p->conns, *next; c != NULL; c = next) {
		next = c->next;
		conn_free(p, c);
	}
	for (unsigned i = 0; i < p->ngroups; i++) {
		for (unsigned k = 0; k < p->groups[i].n; k++) {
			usock_t *u = &p->groups[i].socks[k];
			for (unsigned id = 0; u->by_id && id < 65536; id++) {
				if (u->by_id[id] != NULL) {
					pq_free(u->by_id[id]);
				}
			}
			if (u->fd >= 0) {
				close(u->fd);
			}
			free(u->by_id);
		}
		free(p->groups[i].socks);
	}
	for (pq_t *q = p->q_head, *nx; q != NULL; q = nx) {
		nx = q->next;
		pq_free(q);
	}
	if (p->cred != NULL) {
		gnutls_certificate_free_credentials(p->cred);
	}
	free(p->groups);
	free(p->heap);
	free(p->rx);
	close(p->ep);
	free(p);
}

const char *ssr_probe_outcome_name(ssr_probe_outcome_t o)
{
	static const char *const n[] = {"answer",    "timeout", "refused", "reset",
	                                "malformed", "neterr",  "tlsfail"};
	return (unsigned)o < sizeof n / sizeof n[0] ? n[o] : "unknown";
}

const char *ssr_probe_transport_name(ssr_probe_transport_t t)
{
	return t == SSR_PROBE_UDP   ? "udp"
	       : t == SSR_PROBE_TCP ? "tcp"
	       : t == SSR_PROBE_TLS ? "tls"
	                            : "unknown";
}

int ssr_probe_addr_parse(const char *s, uint16_t default_port, struct sockaddr_storage *dst,
                         socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port = NULL;
	size_t hl;
	if (s[0] == '[') {
		const char *e = strchr(s, ']');
		if (e == NULL || (e[1] != '\0' && e[1] != ':')) {
			return SSR_EINVAL;
		}
		hl = (size_t)(e - s - 1);
		port = e[1] == ':' ? e + 2 : NULL;
		s++;
	} else {
		const char *c = strchr(s, ':');
		bool v4port = c != NULL && strchr(c + 1, ':') == NULL;
		hl = v4port ? (size_t)(c - s) : strlen(s);
		port = v4port ? c + 1 : NULL;
	}
	if (hl == 0 || hl >= sizeof host) {
		return SSR_EINVAL;
	}
	memcpy(host, s, hl);
	host[hl] = '\0';
	unsigned long pv = default_port;
	if (port != NULL) {
		char *end;
		pv = strtoul(port, &end, 10);
		if (*port < '0' || *port > '9' || *end != '\0' || pv > 65535) {
			return SSR_EINVAL;
		}
	}
	memset(dst, 0, sizeof(*dst));
	struct sockaddr_in *a4 = (struct sockaddr_in *)dst;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)dst;
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)pv);
		*len = sizeof(*a4);
	} else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)pv);
		*len = sizeof(*a6);
	} else {
		return SSR_EINVAL;
	}
	return SSR_EOK;
}

void ssr_probe_addr_format(const struct sockaddr_storage *a, char *out, size_t cap)
{
	char h[INET6_ADDRSTRLEN];
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)a;
		inet_ntop(AF_INET6, &s->sin6_addr, h, sizeof h);
		snprintf(out, cap, "[%s]:%u", h, ntohs(s->sin6_port));
	} else if (a->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)a;
		inet_ntop(AF_INET, &s->sin_addr, h, sizeof h);
		snprintf(out, cap, "%s:%u", h, ntohs(s->sin_port));
	} else {
		snprintf(out, cap, "-");
	}
}
