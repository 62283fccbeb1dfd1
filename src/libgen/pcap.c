/* libgen: a deterministic root-server-like capture (classic pcap, Ethernet) and its truth:
 * the RSSAC002 figures the generator itself counted while writing, so that the decoder is
 * checked against an independent count.
 *
 * Over 800 lines: one generator of several traffic shapes (UDP, TCP with handshakes, splits,
 * reordering, holes, fragments) that must draw from one random stream in a fixed order; split
 * into phases over a context struct, the file keeps that order in one place. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ssrwatch/hash.h"
#include "ssrwatch/rng.h"
#include "ssrwatch/pcapgen.h"

static const char *const tlds[] = {
    "com", "net", "org", "arpa", "de", "uk", "jp",   "br",   "info",  "cn",   "ru",  "fr",
    "nl",  "io",  "xyz", "top",  "au", "it", "home", "corp", "local", "mail", "lan", "internal"};
#define NTLDS       (sizeof tlds / sizeof tlds[0])
#define UNDELEGATED 18 /* tlds[18..]: not in the root zone */

typedef struct {
	FILE *f;
	uint32_t ipid;
	uint8_t frame[70100], l4[70000], seg[70000];
	json_t *vol, *sizes[4], *rcodes, *coll, *priv, *anchors;
	/* exact source sets for the truth (separate from the decoder's) */
	uint64_t *s4, *s6, *s6a;
	size_t cap4, cap6, n4, n6, n6a;
	/* the day: the random stream (its order of use fixes the capture), client pools, the
	 * TLDs' Zipf weights, and the counts the truth adds up */
	ssr_rng_t r;
	uint64_t nq;
	size_t pool4, pool6, nets6;
	double cum[24], tot;
	uint64_t malformed, datagrams, frag_lost, tcp_multi, tcp_retrans;
} gen_t;

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static bool set_add(uint64_t *s, size_t cap, uint64_t key, size_t *n)
{
	key |= 1; /* 0 is empty; the low bit is noise in these generated keys */
	size_t j = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
	while (s[j] && s[j] != key) {
		j = (j + 1) & (cap - 1);
	}
	if (s[j]) {
		return false;
	}
	s[j] = key;
	(*n)++;
	return true;
}

static void bump(json_t *o, const char *k)
{
	json_object_set_new(o, k, json_integer(json_integer_value(json_object_get(o, k)) + 1));
}

/* A DNS message into m; returns its length. */
static size_t dns_msg(uint8_t *m, uint16_t id, bool resp, uint8_t rcode, const uint8_t *qname,
                      size_t qlen, size_t tld_off, uint16_t qtype, bool edns, bool do_bit,
                      uint16_t udp, const uint8_t *opts, size_t optlen, size_t pad)
{
	size_t n = 12;
	put16(m, id);
	m[2] = resp ? 0x80 : 0x00;
	m[3] = resp ? rcode : 0;
	put16(m + 4, 1);
	put16(m + 6, 0);
	put16(m + 8, (resp && rcode == 0 ? 1 : 0) + (pad ? 1 : 0));
	put16(m + 10, edns ? 1 : 0);
	memcpy(m + n, qname, qlen);
	n += qlen;
	put16(m + n, qtype);
	put16(m + n + 2, 1);
	n += 4;
	if (resp && rcode == 0) { /* a referral: TLD NS a.nic.<tld>, both names compressed */
		put16(m + n, (uint16_t)(0xc000 | (12 + tld_off)));
		put16(m + n + 2, 2);
		put16(m + n + 4, 1);
		m[n + 6] = 0;
		m[n + 7] = 2;
		m[n + 8] = 0xa3;
		m[n + 9] = 0;
		put16(m + n + 10, 8);
		memcpy(m + n + 12, "\1a\3nic", 6);
		put16(m + n + 18, (uint16_t)(0xc000 | (12 + tld_off)));
		n += 20;
	}
	if (pad) { /* an RRSIG-sized record of pad bytes (signed answers are what fragments) */
		put16(m + n, (uint16_t)(0xc000 | (12 + tld_off)));
		put16(m + n + 2, 46);
		put16(m + n + 4, 1);
		memset(m + n + 6, 0, 4);
		m[n + 8] = 0x51;
		put16(m + n + 10, (uint16_t)pad);
		/* covered NS, algorithm 8, 1 label, TTL, expiry, inception, key tag 20326, signer
		 * the root, then the signature */
		static const uint8_t sig[19] = {0,    2,    8,    1,    0,    1,    0x51,
		                                0x80, 0x6a, 0x00, 0x00, 0x00, 0x69, 0x00,
		                                0x00, 0x00, 0x4f, 0x66, 0};
		memcpy(m + n + 12, sig, sizeof sig);
		for (size_t i = sizeof sig; i < pad; i++) {
			m[n + 12 + i] = (uint8_t)(i * 131 + 7);
		}
		n += 12 + pad;
	}
	if (edns) {
		m[n] = 0;
		put16(m + n + 1, 41);
		put16(m + n + 3, udp);
		m[n + 5] = 0;
		m[n + 6] = 0;
		m[n + 7] = do_bit ? 0x80 : 0;
		m[n + 8] = 0;
		put16(m + n + 9, (uint16_t)optlen);
		if (optlen > 0) {
			memcpy(m + n + 11, opts, optlen);
		}
		n += 11 + optlen;
	}
	return n;
}

static uint16_t ip_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2) {
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	}
	while (s >> 16) {
		s = (s & 0xffff) + (s >> 16);
	}
	return (uint16_t)~s;
}

/* A client's exchange with the server: addresses, ports, time, TCP sequence numbers. */
typedef struct {
	int64_t ts;
	uint32_t usec;
	bool v6;
	const uint8_t *client, *server;
	uint16_t sport;
	uint32_t seq[2]; /* the next sequence number: [0] client, [1] server */
} conn_t;

enum { FRAG_NONE, FRAG_MTU, FRAG_LOSE_LAST };

static int frame_out(gen_t *g, const conn_t *c, const uint8_t *f, size_t len)
{
	uint32_t hdr[4] = {(uint32_t)c->ts, c->usec, (uint32_t)len, (uint32_t)len};
	if (fwrite(hdr, 4, 4, g->f) != 4 || fwrite(f, 1, len, g->f) != len) {
		return SSR_EIO;
	}
	return SSR_EOK;
}

/* One IP packet in Ethernet, from the client (up) or the server; cut into fragments of the
 * path MTU (1500 for IPv4, IPv6's minimum 1280) when larger and asked to. */
static int ip_out(gen_t *g, const conn_t *c, bool up, uint8_t proto, const uint8_t *l4, size_t n,
                  int frag)
{
	uint8_t *f = g->frame;
	const uint8_t *src = up ? c->client : c->server, *dst = up ? c->server : c->client;
	size_t hl = c->v6 ? 40 : 20, piece = c->v6 ? 1232 : 1480;
	g->ipid++;
	bool cut = frag != FRAG_NONE && n > piece;
	size_t off = 0;
	do {
		size_t len = cut && n - off > piece ? piece : n - off;
		bool more = off + len < n;
		if (frag == FRAG_LOSE_LAST && cut && !more) {
			return SSR_EOK; /* lost on the way */
		}
		memset(f, 0, 14);
		f[0] = 0x02;
		f[6] = 0x02;
		f[11] = 1;
		put16(f + 12, c->v6 ? 0x86dd : 0x0800);
		uint8_t *ip = f + 14;
		memset(ip, 0, hl + 8);
		size_t at = 14 + hl;
		if (!c->v6) {
			ip[0] = 0x45;
			put16(ip + 2, (uint16_t)(20 + len));
			put16(ip + 4, (uint16_t)g->ipid);
			put16(ip + 6, (uint16_t)((more ? 0x2000 : 0) | off / 8));
			ip[8] = 64;
			ip[9] = proto;
			memcpy(ip + 12, src, 4);
			memcpy(ip + 16, dst, 4);
			put16(ip + 10, ip_csum(ip, 20));
		} else {
			ip[0] = 0x60;
			put16(ip + 4, (uint16_t)(len + (cut ? 8 : 0)));
			ip[6] = cut ? 44 : proto;
			ip[7] = 64;
			memcpy(ip + 8, src, 16);
			memcpy(ip + 24, dst, 16);
			if (cut) { /* the fragment header */
				ip[40] = proto;
				put16(ip + 42, (uint16_t)(off | (more ? 1 : 0)));
				put16(ip + 44, (uint16_t)(g->ipid >> 16));
				put16(ip + 46, (uint16_t)g->ipid);
				at += 8;
			}
		}
		memcpy(f + at, l4 + off, len);
		int rc = frame_out(g, c, f, at + len);
		if (rc != SSR_EOK) {
			return rc;
		}
		off += len;
	} while (off < n);
	return SSR_EOK;
}

/* The UDP or TCP checksum over the pseudo-header (RFC 768, 793, 8200) into l4[at]. */
static void l4_csum(const conn_t *c, bool up, uint8_t proto, uint8_t *l4, size_t n, size_t at)
{
	size_t al = c->v6 ? 16 : 4;
	uint8_t ph[40] = {0};
	memcpy(ph, up ? c->client : c->server, al);
	memcpy(ph + al, up ? c->server : c->client, al);
	size_t pl = 2 * al;
	ph[pl + 1] = proto; /* zero, protocol, then the length */
	put16(ph + pl + 2, (uint16_t)n);
	uint32_t sum = 0;
	for (size_t i = 0; i < pl + 4; i += 2) {
		sum += (uint32_t)(ph[i] << 8 | ph[i + 1]);
	}
	for (size_t i = 0; i < n; i++) {
		sum += (i & 1) ? l4[i] : (uint32_t)l4[i] << 8;
	}
	while (sum >> 16) {
		sum = (sum & 0xffff) + (sum >> 16);
	}
	uint16_t v = (uint16_t)~sum;
	put16(l4 + at, proto == 17 && v == 0 ? 0xffff : v);
}

static int udp_send(gen_t *g, const conn_t *c, bool up, const uint8_t *dns, size_t n, int frag)
{
	uint8_t *u = g->l4;
	put16(u, up ? c->sport : 53);
	put16(u + 2, up ? 53 : c->sport);
	put16(u + 4, (uint16_t)(8 + n));
	put16(u + 6, 0);
	memcpy(u + 8, dns, n);
	l4_csum(c, up, 17, u, 8 + n, 6);
	return ip_out(g, c, up, 17, u, 8 + n, frag);
}

/* One TCP segment at seq with flags (0x02 SYN, 0x01 FIN, 0x18 PSH ACK). */
static int tcp_seg(gen_t *g, const conn_t *c, bool up, uint32_t seq, uint8_t flags,
                   const uint8_t *data, size_t n)
{
	uint8_t *t = g->seg;
	memset(t, 0, 20);
	put16(t, up ? c->sport : 53);
	put16(t + 2, up ? 53 : c->sport);
	t[4] = (uint8_t)(seq >> 24);
	t[5] = (uint8_t)(seq >> 16);
	put16(t + 6, (uint16_t)seq);
	t[12] = 0x50;
	t[13] = flags;
	put16(t + 14, 65535);
	if (n > 0) {
		memcpy(t + 20, data, n);
	}
	l4_csum(c, up, 6, t, 20 + n, 16);
	return ip_out(g, c, up, 6, t, 20 + n, FRAG_NONE);
}

/* A DNS message over TCP (length-prefixed), cut into segments of at most 1440 bytes; often
 * split in two at a random point (even inside the length), the two parts sometimes sent in
 * reverse order (with a handshake seen only: a stream joined mid-way starts at the first
 * segment seen), or a segment sent twice.  *multi: the message took several segments;
 * *retrans: a segment went twice. */
static int tcp_send(gen_t *g, ssr_rng_t *r, conn_t *c, bool up, bool handshake, const uint8_t *dns,
                    size_t n, int *multi, int *retrans)
{
	uint8_t *b = g->l4;
	put16(b, (uint16_t)n);
	memcpy(b + 2, dns, n);
	size_t total = 2 + n, cuts[64], nc = 0;
	unsigned mode = ssr_rng_below(r, 10); /* 0 split, 1 split and reversed, 2 sent twice */
	if (total > 1440) {
		mode = mode <= 1 ? 3 : mode;
		for (size_t at = 1440; at < total; at += 1440) {
			cuts[nc++] = at;
		}
	} else if (mode <= 1) {
		cuts[nc++] = 1 + ssr_rng_below(r, (unsigned)(total - 1));
		mode = mode == 1 && !handshake ? 0 : mode;
	}
	cuts[nc++] = total;
	uint32_t base = c->seq[!up];
	*multi = nc > 1;
	*retrans = 0;
	int rc = SSR_EOK;
	if (mode == 1) { /* the second part first */
		rc =
		    tcp_seg(g, c, up, base + (uint32_t)cuts[0], 0x18, b + cuts[0], total - cuts[0]);
		if (rc == SSR_EOK) {
			rc = tcp_seg(g, c, up, base, 0x18, b, cuts[0]);
		}
	} else {
		for (size_t i = 0, from = 0; i < nc && rc == SSR_EOK; from = cuts[i++]) {
			rc = tcp_seg(g, c, up, base + (uint32_t)from, 0x18, b + from,
			             cuts[i] - from);
			if (rc == SSR_EOK && mode == 2 && i == 0) { /* sent again */
				rc = tcp_seg(g, c, up, base + (uint32_t)from, 0x18, b + from,
				             cuts[i] - from);
				*retrans = 1;
			}
		}
	}
	c->seq[!up] = base + (uint32_t)total;
	return rc;
}

/* What a connection with capture holes added to the truth. */
typedef struct {
	uint64_t multi, gaps, resyncs;
} holes_t;

#define HOLE_QUERIES 30

/* One pipelined TCP connection (IPv4, a handshake, 30 queries for www-like names under .com
 * answered by referrals, FINs) whose client sends each query's 2-byte length in a segment of
 * its own and the query in the next, as some resolvers do.  The capture misses queries 10-15,
 * the length of 16 (so the first segment after the hole is a whole query without its prefix)
 * and the length of 22 with its first 5 bytes (the next segment starts inside a message).  The
 * truth counts what a reader that finds the framing again must count: every query whose bytes
 * were all captured (16 included), every response. */
static int hole_session(gen_t *g, ssr_rng_t *r, int64_t ts, unsigned k, const uint8_t *server,
                        holes_t *h)
{
	uint8_t client[16] = {10, 250, (uint8_t)(k >> 8), (uint8_t)(1 + k % 250)};
	uint32_t seq0 = (uint32_t)ssr_rng_next(r); /* drawn one after the other: an initializer */
	uint32_t seq1 = (uint32_t)ssr_rng_next(r); /* list's order of evaluation is not defined */
	conn_t c = {ts, 0, false, client, server, (uint16_t)(20000 + k % 40000), {seq0, seq1}};
	int rc = tcp_seg(g, &c, true, c.seq[0]++, 0x02, NULL, 0);
	rc |= tcp_seg(g, &c, false, c.seq[1]++, 0x12, NULL, 0);
	for (unsigned i = 0; i < HOLE_QUERIES && rc == SSR_EOK; i++) {
		uint8_t qn[16] = {
		    3, 's', (uint8_t)('0' + i / 10), (uint8_t)('0' + i % 10), 3, 'c', 'o', 'm', 0};
		uint8_t m[512], pre[2];
		uint16_t id = (uint16_t)ssr_rng_next(r);
		size_t n = dns_msg(m, id, false, 0, qn, 9, 4, 1, false, false, 0, NULL, 0, 0);
		put16(pre, (uint16_t)n);
		c.usec += 1000;
		bool lose_pre = (i >= 10 && i <= 16) || i == 22, lose_body = i >= 10 && i <= 15;
		if (!lose_pre) {
			rc |= tcp_seg(g, &c, true, c.seq[0], 0x18, pre, 2);
		}
		c.usec += 100;
		if (i == 22) {
			rc |= tcp_seg(g, &c, true, c.seq[0] + 7, 0x18, m + 5, n - 5);
		} else if (!lose_body) {
			rc |= tcp_seg(g, &c, true, c.seq[0] + 2, 0x18, m, n);
		}
		c.seq[0] += 2 + (uint32_t)n;
		char key[48];
		if (!lose_body && i != 22) {
			bump(g->vol, "dns-tcp-queries-received-ipv4");
			bump(g->priv, "queries");
			snprintf(key, sizeof key, "%zu-%zu", n / 16 * 16, n / 16 * 16 + 15);
			bump(g->sizes[2], key);
			set_add(
			    g->s4, g->cap4,
			    ((uint64_t)10 << 24 | 250u << 16 | (uint64_t)client[2] << 8 | client[3])
			        << 1,
			    &g->n4);
			h->multi += i != 16; /* 16 came whole, its prefix lost */
		}
		/* the server got every query (the capture missed some): it answers all */
		uint8_t a[600];
		n = dns_msg(a + 2, id, true, 0, qn, 9, 4, 1, false, false, 0, NULL, 0, 0);
		put16(a, (uint16_t)n);
		c.usec += 100;
		rc |= tcp_seg(g, &c, false, c.seq[1], 0x18, a, n + 2);
		c.seq[1] += 2 + (uint32_t)n;
		bump(g->vol, "dns-tcp-responses-sent-ipv4");
		snprintf(key, sizeof key, "%zu-%zu", n / 16 * 16, n / 16 * 16 + 15);
		bump(g->sizes[3], key);
		bump(g->rcodes, "0");
	}
	c.usec += 1000;
	rc |= tcp_seg(g, &c, true, c.seq[0]++, 0x11, NULL, 0);
	rc |= tcp_seg(g, &c, false, c.seq[1]++, 0x11, NULL, 0);
	h->gaps += 2;
	h->resyncs += 1; /* the rest of 22 */
	return rc;
}

static const char *const vol_key[2][2][2] = {
    {{"dns-udp-queries-received-ipv4", "dns-udp-responses-sent-ipv4"},
     {"dns-udp-queries-received-ipv6", "dns-udp-responses-sent-ipv6"}},
    {{"dns-tcp-queries-received-ipv4", "dns-tcp-responses-sent-ipv4"},
     {"dns-tcp-queries-received-ipv6", "dns-tcp-responses-sent-ipv6"}}};
static const char *const size_key[4] = {"udp-request-sizes", "udp-response-sizes",
                                        "tcp-request-sizes", "tcp-response-sizes"};
static const uint8_t server4[4] = {198, 41, 0, 4};
static const uint8_t server6[16] = {0x20, 0x01, 0x05, 0x03, 0xba, 0x3e, 0,   0,
                                    0,    0,    0,    0,    0,    0,    0x2, 0x30};

/* One query of the day, as it is drawn (in this order). */
typedef struct {
	uint32_t usec;
	bool v6, tcp;
	uint8_t src[16];
	uint8_t qn[64];
	size_t ql, tld_off;
	bool minimised, ta;
	int sentinel;
	uint16_t qtype;
	const char *ctld; /* an undelegated TLD or a _ta- name: counted as a collision */
	bool edns, dob, cookie;
	uint8_t opts[64];
	size_t ol;
	int ktags, ecs;
} query_t;

/* The client: an IPv4 address from the pool, or an IPv6 one in one of its /64s. */
static void draw_client(gen_t *g, query_t *q)
{
	uint8_t *src = q->src;
	if (!q->v6) {
		uint32_t a = (uint32_t)ssr_rng_below(&g->r, (unsigned)g->pool4);
		src[0] = 10 + (uint8_t)(a >> 16 & 0x3f);
		src[1] = (uint8_t)(a >> 8);
		src[2] = (uint8_t)a;
		src[3] = 1 + (uint8_t)(a % 250);
	} else {
		uint32_t a = (uint32_t)ssr_rng_below(&g->r, (unsigned)g->pool6);
		uint32_t net = a % (uint32_t)g->nets6;
		src[0] = 0x20;
		src[1] = 0x01;
		src[2] = 0x0d;
		src[3] = 0xb8;
		src[4] = (uint8_t)(net >> 8);
		src[5] = (uint8_t)net;
		src[14] = (uint8_t)(a >> 8);
		src[15] = (uint8_t)a;
	}
}

static void qname_label(query_t *q, const char *l, size_t n)
{
	q->qn[q->ql++] = (uint8_t)n;
	memcpy(q->qn + q->ql, l, n);
	q->ql += n;
}

/* The question: a Zipf TLD, minimised or under a random label; now and then an RFC 8509
 * sentinel or an RFC 8145 key tag query. */
static void draw_question(gen_t *g, query_t *q)
{
	ssr_rng_t *r = &g->r;
	double u = ssr_rng_unit(r) * g->tot;
	size_t t = 0;
	while (t + 1 < NTLDS && g->cum[t] < u) {
		t++;
	}
	q->minimised = ssr_rng_below(r, 4) == 0;
	if (!q->minimised) {
		char lab[12];
		size_t ll = 3 + ssr_rng_below(r, 8);
		for (size_t k = 0; k < ll; k++) {
			lab[k] = (char)('a' + ssr_rng_below(r, 26));
		}
		qname_label(q, lab, ll);
	}
	/* RFC 8509 sentinel queries replace the first label */
	q->sentinel = ssr_rng_below(r, 200) == 0 ? 1 + (int)ssr_rng_below(r, 2) : 0;
	if (q->sentinel) {
		q->minimised = false; /* two labels */
		q->ql = 0;
		const char *sl = q->sentinel == 1 ? "root-key-sentinel-is-ta-20326"
		                                  : "root-key-sentinel-not-ta-38696";
		qname_label(q, sl, strlen(sl));
	}
	q->tld_off = q->ql;
	qname_label(q, tlds[t], strlen(tlds[t]));
	q->qn[q->ql++] = 0;
	static const uint16_t qtypes[] = {1, 28, 2, 15, 6, 43, 48, 16};
	q->qtype = qtypes[ssr_rng_below(r, 8)];
	q->ctld = t >= UNDELEGATED ? tlds[t] : NULL;
	q->ta = !q->sentinel && ssr_rng_below(r, 100) == 0; /* RFC 8145 key tag query */
	if (q->ta) {
		const char *tl2 = ssr_rng_below(r, 2) ? "_ta-4f66" : "_ta-4f66-9728";
		q->ql = 0;
		qname_label(q, tl2, strlen(tl2));
		q->qn[q->ql++] = 0;
		q->tld_off = 0;
		q->qtype = 10;
		q->ctld = tl2;
		q->minimised = true;
	}
}

/* EDNS and its options: DO, the key tag option, client subnet, a cookie. */
static void draw_options(gen_t *g, query_t *q)
{
	ssr_rng_t *r = &g->r;
	uint8_t *opts = q->opts;
	size_t ol = 0;
	q->edns = ssr_rng_below(r, 10) < 8;
	q->dob = q->edns && ssr_rng_below(r, 2);
	if (q->edns && ssr_rng_below(r, 20) == 0) { /* edns-key-tag: 20326 [38696] */
		q->ktags = 1 + (int)ssr_rng_below(r, 2);
		put16(opts + ol, 14);
		put16(opts + ol + 2, (uint16_t)(2 * q->ktags));
		put16(opts + ol + 4, 20326);
		put16(opts + ol + 6, 38696);
		ol += 4 + 2 * (size_t)q->ktags;
	}
	if (q->edns && ssr_rng_below(r, 33) == 0) { /* client subnet: /24 or /56 */
		q->ecs = q->v6 ? 2 : 1;
		put16(opts + ol, 8);
		put16(opts + ol + 2, q->v6 ? 11 : 7);
		put16(opts + ol + 4, (uint16_t)q->ecs);
		opts[ol + 6] = q->v6 ? 56 : 24;
		opts[ol + 7] = 0;
		memcpy(opts + ol + 8, q->src, q->v6 ? 7 : 3);
		ol += q->v6 ? 15 : 11;
	}
	if (q->edns && ssr_rng_below(r, 5) == 0) { /* a client cookie */
		q->cookie = true;
		put16(opts + ol, 10);
		put16(opts + ol + 2, 8);
		memset(opts + ol + 4, 0x5a, 8);
		ol += 12;
	}
	q->ol = ol;
}

static void bump_size(json_t *o, size_t n)
{
	char key[48];
	snprintf(key, sizeof key, "%zu-%zu", n / 16 * 16, n / 16 * 16 + 15);
	bump(o, key);
}

/* The truth a query of n bytes adds: volume, privacy signals, trust anchor signals, a name
 * collision, its size, its source. */
static void count_query(gen_t *g, const query_t *q, size_t n)
{
	bump(g->vol, vol_key[q->tcp][q->v6][0]);
	bump(g->priv, "queries");
	if (q->minimised) {
		bump(g->priv, "qname_minimised");
	}
	if (q->edns) {
		bump(g->priv, "edns");
	}
	if (q->cookie) {
		bump(g->priv, "cookie");
	}
	if (q->ecs) {
		bump(g->priv, "ecs");
		bump(json_object_get(g->priv, q->ecs == 2 ? "ecs_ipv6" : "ecs_ipv4"),
		     q->ecs == 2 ? "56" : "24");
	}
	if (q->dob) {
		bump(g->anchors, "do_queries");
	}
	for (int k = 0; k < q->ktags; k++) {
		bump(json_object_get(g->anchors, "edns_key_tag"), k ? "38696" : "20326");
	}
	if (q->ta) {
		bump(json_object_get(g->anchors, "ta_queries"), "20326");
		if (q->ctld[4 + 4] == '-') {
			bump(json_object_get(g->anchors, "ta_queries"), "38696");
		}
	}
	if (q->sentinel) {
		bump(json_object_get(g->anchors, "sentinel"),
		     q->sentinel == 1 ? "is-ta-20326" : "not-ta-38696");
	}
	if (q->ctld) {
		bump(g->coll, q->ctld);
	}
	bump_size(g->sizes[q->tcp * 2], n);
	const uint8_t *src = q->src;
	if (!q->v6) {
		uint64_t k1 = (uint64_t)src[0] << 24 | (uint64_t)src[1] << 16 |
		              (uint64_t)src[2] << 8 | src[3];
		set_add(g->s4, g->cap4, k1 << 1, &g->n4);
	} else {
		uint64_t hi = 0;
		for (int k = 0; k < 8; k++) {
			hi = hi << 8 | src[k];
		}
		set_add(g->s6, g->cap6, ssr_hash64(src, 16) << 1, &g->n6);
		set_add(g->s6a, g->cap6, hi << 1 | (hi >> 63), &g->n6a);
	}
}

/* The answer (nine in ten are answered): NXDOMAIN for an undelegated TLD, a few REFUSED,
 * otherwise a referral; DNSSEC answers past the MTU are fragmented over UDP, a few fragments
 * lost. */
static int answer(gen_t *g, const query_t *q, conn_t *c, bool hs, uint16_t id, uint8_t *m)
{
	ssr_rng_t *r = &g->r;
	uint8_t rcode = q->ctld ? 3 : ssr_rng_below(r, 200) == 0 ? 5 : 0;
	size_t pad = q->dob && ssr_rng_below(r, 25) == 0 ? 1500 + ssr_rng_below(r, 2000) : 0;
	bool lose = pad && !q->tcp && ssr_rng_below(r, 20) == 0;
	size_t n = dns_msg(m, id, true, rcode, q->qn, q->ql, q->tld_off, q->qtype, q->edns, q->dob,
	                   4096, NULL, 0, pad);
	int rc;
	if (q->tcp) {
		int multi = 0, retrans = 0;
		rc = tcp_send(g, r, c, false, hs, m, n, &multi, &retrans);
		g->tcp_multi += (uint64_t)multi;
		g->tcp_retrans += (uint64_t)retrans;
	} else {
		rc = udp_send(g, c, false, m, n,
		              lose  ? FRAG_LOSE_LAST
		              : pad ? FRAG_MTU
		                    : FRAG_NONE);
		g->datagrams += pad && !lose;
		g->frag_lost += lose;
	}
	if (!lose) {
		bump(g->vol, vol_key[q->tcp][q->v6][1]);
		bump_size(g->sizes[q->tcp * 2 + 1], n);
		char key[8];
		snprintf(key, sizeof key, "%u", rcode);
		bump(g->rcodes, key);
	}
	return rc;
}

/* Query i of the day: drawn, sent (UDP, or TCP with or without a handshake), counted,
 * answered, the connection closed. */
static int one_query(gen_t *g, uint64_t i, int64_t start)
{
	ssr_rng_t *r = &g->r;
	query_t q = {0};
	int64_t ts = start + (int64_t)(i * 86400 / g->nq);
	q.usec = (uint32_t)(ssr_rng_below(r, 1000000));
	q.v6 = ssr_rng_below(r, 10) < 3;
	q.tcp = ssr_rng_below(r, 100) < 5;
	draw_client(g, &q);
	draw_question(g, &q);
	draw_options(g, &q);
	uint16_t id = (uint16_t)ssr_rng_next(r), sport = (uint16_t)(1024 + ssr_rng_below(r, 60000));
	uint32_t seq0 = (uint32_t)ssr_rng_next(r);
	uint32_t seq1 = (uint32_t)ssr_rng_next(r);
	conn_t c = {ts, q.usec, q.v6, q.src, q.v6 ? server6 : server4, sport, {seq0, seq1}};
	uint8_t m[4096];
	if (ssr_rng_below(r, 500) == 0) { /* garbage: a DNS message cut to 7 bytes */
		memset(m, 0xab, 7);
		g->malformed++;
		return udp_send(g, &c, true, m, 7, FRAG_NONE);
	}
	size_t n = dns_msg(m, id, false, 0, q.qn, q.ql, q.tld_off, q.qtype, q.edns, q.dob, 1232,
	                   q.opts, q.ol, 0);
	/* TCP: mostly with a handshake, some joined without (a capture started mid-way) */
	bool hs = q.tcp && ssr_rng_below(r, 5) != 0;
	int rc = SSR_EOK;
	if (hs) {
		rc = tcp_seg(g, &c, true, c.seq[0]++, 0x02, NULL, 0);
		rc |= tcp_seg(g, &c, false, c.seq[1]++, 0x12, NULL, 0);
	}
	if (q.tcp) {
		int multi = 0, retrans = 0;
		rc |= tcp_send(g, r, &c, true, hs, m, n, &multi, &retrans);
		g->tcp_multi += (uint64_t)multi;
		g->tcp_retrans += (uint64_t)retrans;
	} else {
		rc = udp_send(g, &c, true, m, n, FRAG_NONE);
	}
	count_query(g, &q, n);
	if (rc == SSR_EOK && ssr_rng_below(r, 10) != 0) { /* one in ten unanswered */
		rc = answer(g, &q, &c, hs, id, m);
	}
	if (q.tcp && rc == SSR_EOK) { /* both sides close */
		rc = tcp_seg(g, &c, true, c.seq[0]++, 0x11, NULL, 0);
		rc |= tcp_seg(g, &c, false, c.seq[1]++, 0x11, NULL, 0);
	}
	return rc;
}

/* The root zone the generated TLDs are delegated in (all but the undelegated ones). */
static int write_root_zone(const char *path)
{
	FILE *z = fopen(path, "w");
	if (!z) {
		return SSR_EIO;
	}
	fprintf(z, ". 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2026112300 "
	           "1800 900 604800 86400\n. 518400 IN NS a.root-servers.net.\n");
	for (size_t i = 0; i < UNDELEGATED; i++) {
		fprintf(z, "%s. 172800 IN NS a.nic.%s.\n%s. 172800 IN NS b.nic.%s.\n", tlds[i],
		        tlds[i], tlds[i], tlds[i]);
	}
	return fclose(z) == 0 ? SSR_EOK : SSR_EIO;
}

/* The truth: the day's figures as traffic stats reports them, taken out of g. */
static json_t *make_truth(gen_t *g, int64_t start, const holes_t *holes)
{
	char st[32];
	time_t tt = (time_t)start;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(st, sizeof st, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_t *sizes = json_object();
	for (int k = 0; k < 4; k++) {
		json_object_set_new(sizes, size_key[k], g->sizes[k]);
		g->sizes[k] = NULL;
	}
	json_t *t =
	    json_pack("{s:s,s:o,s:o,s:o,s:{s:I,s:I,s:I},s:I,s:o}", "start-period", st,
	              "traffic-volume", g->vol, "traffic-sizes", sizes, "rcode-volume", g->rcodes,
	              "unique-sources", "num-sources-ipv4", (json_int_t)g->n4, "num-sources-ipv6",
	              (json_int_t)g->n6, "num-sources-ipv6-aggregate", (json_int_t)g->n6a,
	              "malformed-dns-short", (json_int_t)g->malformed, "collisions", g->coll);
	json_object_set_new(t, "privacy", g->priv);
	json_object_set_new(t, "malformed",
	                    json_pack("{s:I,s:I}", "dns-short", (json_int_t)g->malformed,
	                              "fragment-incomplete", (json_int_t)g->frag_lost));
	if (holes->gaps) {
		json_t *mal = json_object_get(t, "malformed");
		json_object_set_new(mal, "tcp-gap", json_integer((json_int_t)holes->gaps));
		json_object_set_new(mal, "tcp-resync", json_integer((json_int_t)holes->resyncs));
	}
	json_object_set_new(t, "reassembly",
	                    json_pack("{s:I,s:I,s:I}", "datagrams", (json_int_t)g->datagrams,
	                              "tcp_multi_segment_messages", (json_int_t)g->tcp_multi,
	                              "tcp_retransmissions", (json_int_t)g->tcp_retrans));
	json_object_set_new(t, "anchors", g->anchors);
	g->vol = g->rcodes = g->coll = g->priv = g->anchors = NULL;
	return t;
}

/* The truth's tables and the exact source sets, sized for the day's client pools. */
static int day_init(gen_t *g, const ssr_pcapgen_opts_t *o)
{
	g->r = (ssr_rng_t){o->seed * 0x9e3779b97f4a7c15ULL + 11};
	g->vol = json_object();
	for (int k = 0; k < 4; k++) {
		g->sizes[k] = json_object();
	}
	g->rcodes = json_object();
	g->coll = json_object();
	g->priv = json_pack("{s:i,s:i,s:i,s:i,s:i,s:{},s:{}}", "queries", 0, "qname_minimised", 0,
	                    "ecs", 0, "cookie", 0, "edns", 0, "ecs_ipv4", "ecs_ipv6");
	g->anchors = json_pack("{s:i,s:{},s:{},s:{}}", "do_queries", 0, "ta_queries",
	                       "edns_key_tag", "sentinel");
	g->nq = o->queries ? o->queries : 10000;
	g->pool4 = (size_t)(g->nq / 20 + 100);
	g->pool6 = g->pool4 / 3 + 10;
	g->nets6 = g->pool6 / 4 + 1;
	g->cap4 = g->cap6 = 1024;
	while (g->cap4 < g->pool4 * 2) {
		g->cap4 <<= 1;
	}
	while (g->cap6 < g->pool6 * 2) {
		g->cap6 <<= 1;
	}
	g->s4 = calloc(g->cap4, 8);
	g->s6 = calloc(g->cap6, 8);
	g->s6a = calloc(g->cap6, 8);
	for (size_t i = 0; i < NTLDS; i++) { /* Zipf weights over the TLDs */
		g->tot += 1.0 / pow((double)(i + 1), 1.1);
		g->cum[i] = g->tot;
	}
	for (int t = 0; t < 2; t++) {
		for (int v = 0; v < 2; v++) {
			for (int q = 0; q < 2; q++) {
				json_object_set_new(g->vol, vol_key[t][v][q], json_integer(0));
			}
		}
	}
	return (!g->s4 || !g->s6 || !g->s6a || !g->vol || !g->priv || !g->anchors) ? SSR_ENOMEM
	                                                                           : SSR_EOK;
}

static void day_release(gen_t *g)
{
	json_decref(g->vol);
	json_decref(g->rcodes);
	json_decref(g->coll);
	json_decref(g->priv);
	json_decref(g->anchors);
	for (int k = 0; k < 4; k++) {
		json_decref(g->sizes[k]);
	}
	free(g->s4);
	free(g->s6);
	free(g->s6a);
}

int ssr_pcapgen_write(const ssr_pcapgen_opts_t *o, const char *path, json_t **truth,
                      ssr_diag_t *diag)
{
	_Static_assert(sizeof(((gen_t *)0)->cum) / sizeof(double) >= NTLDS, "Zipf table");
	gen_t *g = calloc(1, sizeof(*g));
	if (g == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "gen pcap: out of memory");
	}
	int64_t start = o->start ? o->start : 1795392000; /* 2026-11-23T00:00:00Z */
	g->f = fopen(path, "wb");
	if (!g->f) {
		free(g);
		return ssr_diag_set(diag, SSR_EIO, "gen pcap: cannot write '%s'", path);
	}
	uint32_t gh[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1};
	fwrite(gh, 4, 6, g->f);
	int rc = day_init(g, o);
	for (uint64_t i = 0; i < g->nq && rc == SSR_EOK; i++) {
		rc = one_query(g, i, start);
	}
	/* connections with capture holes: a separate random stream, so the rest of the capture
	 * is the same with or without them; at the day's last seconds */
	holes_t holes = {0};
	ssr_rng_t hr = {o->seed * 0x51afd6ed4a3c2b19ULL + 77};
	for (unsigned k = 0; k < o->tcp_holes && rc == SSR_EOK; k++) {
		rc = hole_session(g, &hr, start + 86398 - (int64_t)(k % 60), k, server4, &holes);
	}
	g->tcp_multi += holes.multi;
	if (fclose(g->f) != 0 && rc == SSR_EOK) {
		rc = SSR_EIO;
	}
	if (rc == SSR_EOK && o->root_zone) {
		rc = write_root_zone(o->root_zone);
	}
	if (rc == SSR_EOK && truth) {
		*truth = make_truth(g, start, &holes);
	}
	day_release(g);
	free(g);
	if (rc != SSR_EOK) {
		return ssr_diag_set(diag, rc, "gen pcap: cannot write '%s'", path);
	}
	return SSR_EOK;
}
