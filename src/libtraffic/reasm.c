/* libtraffic: IP fragment and TCP stream reassembly within a memory cap.  Every entry (a datagram
 * whose fragments are coming, a TCP stream) sits in one hash table and in one list ordered by
 * last activity: entries idle for the timeout (capture time), or the oldest when the cap is
 * reached, are closed and what they held is counted in the decoder's malformed section.
 *
 * Fragments: 8-byte blocks are marked as they come; a fragment overlapping blocks already held
 * with the same bytes is a duplicate (ignored), with other bytes an attack or a broken stack:
 * the datagram is dropped (fragment-overlap).  Streams: one per direction; bytes before the
 * next expected sequence number are retransmissions (trimmed), bytes after it wait (up to
 * STREAM_HELD bytes) for the hole to fill; when it does not, the stream resumes after it
 * (tcp-gap) and finds the DNS framing again: a 2-byte segment may be a length prefix, a segment
 * may begin with a length and a message or be a whole message; each candidate is checked as a
 * DNS message before it is taken, and segments that fit none are skipped (tcp-resync).  A
 * stream joined without its SYN starts at the first segment seen, which is taken to begin a
 * message. */
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/hash.h"
#include "traffic_priv.h"

#define BUCKETS     65536
#define MAX_DGRAM   65535
#define STREAM_HELD (256 * 1024) /* out-of-order bytes one stream may hold */
#define FAR         (1u << 24)   /* a segment this far off is a new stream on old ports */

typedef struct rent {
	struct rent *hnext, *prev, *next;
	uint64_t hash;
	int64_t last;
	size_t mem;
	uint8_t kind; /* FRAG or STREAM */
	uint8_t keylen;
	uint8_t key[40];
} rent_t;

enum { FRAG = 1, STREAM = 2 };

typedef struct {
	rent_t e;
	ssr_dns_pkt_t pk; /* family and addresses */
	uint8_t nh;       /* from the fragment at offset 0 */
	bool have_first;
	size_t total, got, cap; /* total: 0 until the last fragment came */
	uint8_t *buf;
	uint8_t blocks[MAX_DGRAM / 64 + 1]; /* a bit per 8-byte block held */
} frag_t;

typedef struct seg {
	struct seg *next;
	uint32_t seq;
	size_t len;
	uint8_t data[];
} seg_t;

typedef struct {
	rent_t e;
	ssr_dns_pkt_t pk; /* family, addresses, ports; the time of the last segment */
	uint32_t next;    /* the next sequence number expected */
	uint8_t *buf;     /* a message begun: its bytes so far, the length prefix included */
	size_t len, cap;
	unsigned segs; /* segments the message begun came in */
	seg_t *held;   /* out-of-order segments by sequence number */
	size_t held_bytes;
	/* after a gap the framing is lost: segments are tried as length prefixes and messages
	 * until one fits (resync); a 2-byte segment seen then is a candidate prefix (pend); a
	 * message begun on a candidate framing is checked when whole (tentative) */
	bool resync, pend, tentative;
	uint16_t pend_len;
} stream_t;

struct ssr_reasm {
	rent_t *b[BUCKETS];
	rent_t *head, *tail; /* head: the least recently active */
	size_t mem;
	bool closing; /* an entry is being closed: its last messages may pass the cap */
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* ---- the table ------------------------------------------------------------------------------ */

static struct ssr_reasm *state(ssr_decoder_t *d)
{
	if (!d->reasm) {
		d->reasm = calloc(1, sizeof *d->reasm);
	}
	return d->reasm;
}

static rent_t *find(struct ssr_reasm *R, uint8_t kind, const uint8_t *key, uint8_t keylen,
                    uint64_t h)
{
	for (rent_t *e = R->b[h & (BUCKETS - 1)]; e; e = e->hnext) {
		if (e->hash == h && e->kind == kind && e->keylen == keylen &&
		    memcmp(e->key, key, keylen) == 0) {
			return e;
		}
	}
	return NULL;
}

static void list_unlink(struct ssr_reasm *R, rent_t *e)
{
	*(e->prev ? &e->prev->next : &R->head) = e->next;
	*(e->next ? &e->next->prev : &R->tail) = e->prev;
	e->prev = e->next = NULL;
}

static void touch(struct ssr_reasm *R, rent_t *e, int64_t ts)
{
	if (ts > e->last) {
		e->last = ts;
	}
	if (R->tail != e) {
		list_unlink(R, e);
		e->prev = R->tail;
		*(R->tail ? &R->tail->next : &R->head) = e;
		R->tail = e;
	}
}

static void entry_free(struct ssr_reasm *R, rent_t *e)
{
	rent_t **pp = &R->b[e->hash & (BUCKETS - 1)];
	while (*pp != e) {
		pp = &(*pp)->hnext;
	}
	*pp = e->hnext;
	list_unlink(R, e);
	R->mem -= e->mem;
	if (e->kind == FRAG) {
		free(((frag_t *)e)->buf);
	} else {
		stream_t *s = (stream_t *)e;
		free(s->buf);
		for (seg_t *g = s->held, *n; g; g = n) {
			n = g->next;
			free(g);
		}
	}
	free(e);
}

static void close_entry(ssr_decoder_t *d, rent_t *e, const traffic_sink_t *out);

/* Room for add more bytes: the least recently active entries (not keep) are closed first. */
static bool reserve(ssr_decoder_t *d, size_t add, const rent_t *keep, const traffic_sink_t *out)
{
	struct ssr_reasm *R = d->reasm;
	if (R->closing) {
		/* a stream being closed delivers what follows its gaps; evicting others from
		 * here could free the entry the caller is working on, so this one message may
		 * pass the cap (by at most 64 KiB) until the stream is freed just after */
		return true;
	}
	while (R->mem + add > d->reasm_max_bytes) {
		rent_t *e = R->head;
		if (e && e == keep) {
			e = e->next;
		}
		if (!e) {
			d->malformed[SSR_MAL_REASM_MEMORY]++;
			return false;
		}
		close_entry(d, e, out);
	}
	return true;
}

static rent_t *entry_new(ssr_decoder_t *d, size_t size, uint8_t kind, const uint8_t *key,
                         uint8_t keylen, uint64_t h, int64_t ts, const traffic_sink_t *out)
{
	struct ssr_reasm *R = d->reasm;
	if (!reserve(d, size, NULL, out)) {
		return NULL;
	}
	rent_t *e = calloc(1, size);
	if (!e) {
		d->malformed[SSR_MAL_REASM_MEMORY]++;
		return NULL;
	}
	e->hash = h;
	e->kind = kind;
	e->keylen = keylen;
	memcpy(e->key, key, keylen);
	e->mem = size;
	e->last = ts;
	e->hnext = R->b[h & (BUCKETS - 1)];
	R->b[h & (BUCKETS - 1)] = e;
	e->prev = R->tail;
	*(R->tail ? &R->tail->next : &R->head) = e;
	R->tail = e;
	R->mem += size;
	return e;
}

/* Grow *buf to need bytes (counted against the cap). */
static bool grow(ssr_decoder_t *d, rent_t *e, uint8_t **buf, size_t *cap, size_t need,
                 const traffic_sink_t *out)
{
	if (need <= *cap) {
		return true;
	}
	if (!reserve(d, need - *cap, e, out)) {
		return false;
	}
	uint8_t *nb = realloc(*buf, need);
	if (!nb) {
		d->malformed[SSR_MAL_REASM_MEMORY]++;
		return false;
	}
	d->reasm->mem += need - *cap;
	e->mem += need - *cap;
	*buf = nb;
	*cap = need;
	return true;
}

/* The start of a key: family, source, destination (the caller appends the rest); its length. */
static uint8_t addr_key(uint8_t key[40], const ssr_dns_pkt_t *pk)
{
	key[0] = pk->af;
	memcpy(key + 1, pk->src, 16);
	memcpy(key + 17, pk->dst, 16);
	return 33;
}

/* ---- fragments ------------------------------------------------------------------------------ */

static bool block_any(const frag_t *f, size_t from, size_t to)
{
	for (size_t b = from; b < to; b++) {
		if (f->blocks[b >> 3] & (1u << (b & 7))) {
			return true;
		}
	}
	return false;
}

static bool block_all(const frag_t *f, size_t from, size_t to)
{
	for (size_t b = from; b < to; b++) {
		if (!(f->blocks[b >> 3] & (1u << (b & 7)))) {
			return false;
		}
	}
	return true;
}

void traffic_frag(ssr_decoder_t *d, ssr_dns_pkt_t *pk, uint32_t id, uint8_t nh, size_t off,
                  bool more, const uint8_t *data, size_t len, const traffic_sink_t *out)
{
	d->fragments++;
	if (off + len > MAX_DGRAM || (more && (len == 0 || len % 8 != 0))) {
		d->malformed[SSR_MAL_FRAGMENT]++;
		return;
	}
	struct ssr_reasm *R = state(d);
	if (!R) {
		d->malformed[SSR_MAL_REASM_MEMORY]++;
		return;
	}
	/* RFC 791 and RFC 8200: source, destination, identification (and IPv4's protocol) */
	uint8_t key[40];
	uint8_t kl = addr_key(key, pk);
	memcpy(key + kl, &id, 4);
	kl += 4;
	key[kl++] = pk->af == 4 ? nh : 0;
	uint64_t h = ssr_hash64(key, kl);
	frag_t *f = (frag_t *)find(R, FRAG, key, kl, h);
	if (!f) {
		f = (frag_t *)entry_new(d, sizeof *f, FRAG, key, kl, h, pk->ts_sec, out);
		if (!f) {
			return;
		}
		f->pk = *pk;
	}
	touch(R, &f->e, pk->ts_sec);
	size_t b0 = off / 8, b1 = (off + len + 7) / 8;
	bool bad_end = !more && f->total && f->total != off + len;
	bool beyond = f->total && off + len > f->total;
	if (!more && !f->total && block_any(f, b1, MAX_DGRAM / 8 + 1)) {
		beyond = true; /* bytes already held past this "last" fragment */
	}
	if (block_any(f, b0, b1)) {
		/* the same bytes again is a duplicate; other bytes are an overlap */
		if (block_all(f, b0, b1) && off + len <= f->cap &&
		    memcmp(f->buf + off, data, len) == 0 && !bad_end && !beyond) {
			return;
		}
		bad_end = true;
	}
	if (bad_end || beyond) {
		d->malformed[SSR_MAL_FRAG_OVERLAP]++;
		entry_free(R, &f->e);
		return;
	}
	if (!grow(d, &f->e, &f->buf, &f->cap, off + len, out)) {
		entry_free(R, &f->e);
		return;
	}
	memcpy(f->buf + off, data, len);
	for (size_t b = b0; b < b1; b++) {
		f->blocks[b >> 3] |= (uint8_t)(1u << (b & 7));
	}
	f->got += len;
	if (!more) {
		f->total = off + len;
	}
	if (off == 0) {
		f->nh = nh;
		f->have_first = true;
	}
	if (f->total && f->got == f->total && f->have_first) {
		d->datagrams++;
		ssr_dns_pkt_t dp = f->pk;
		dp.ts_sec = pk->ts_sec; /* the datagram is whole when its last piece comes */
		out->datagram(d, &dp, f->nh, f->buf, f->total, out);
		entry_free(R, &f->e);
	}
}

/* ---- TCP streams ---------------------------------------------------------------------------- */

/* A DNS name at *off within m[0, n): labels, or a pointer to an earlier name (RFC 1035 4.1.4
 * pointers point backwards, to a name before this one, and past the header). */
static bool walk_name(const uint8_t *m, size_t n, size_t *off)
{
	size_t o = *off, total = 0;
	for (;;) {
		if (o >= n) {
			return false;
		}
		uint8_t l = m[o];
		if ((l & 0xc0) == 0xc0) {
			if (o + 1 >= n) {
				return false;
			}
			size_t to = (size_t)(l & 0x3f) << 8 | m[o + 1];
			if (to < 12 || to >= *off) {
				return false;
			}
			*off = o + 2;
			return true;
		}
		if (l & 0xc0) {
			return false;
		}
		total += (size_t)l + 1;
		if (total > 255) {
			return false;
		}
		o += 1 + (size_t)l;
		if (l == 0) {
			*off = o;
			return true;
		}
	}
}

/* The beginning (n bytes) of a DNS message of len bytes: a known opcode, the Z bit clear, at
 * most one question, counts the length can hold, and the question, whole within the n bytes
 * (a message cut before the end of its question is not taken: a wrong guess here would swallow
 * the stream's next messages). */
static bool dns_head_plausible(const uint8_t *m, size_t n, size_t len)
{
	if (n < 12 || len < 12 || n > len) {
		return false;
	}
	unsigned op = (m[2] >> 3) & 0x0f;
	size_t qd = be16(m + 4), rr = (size_t)be16(m + 6) + be16(m + 8) + be16(m + 10);
	if (!(op == 0 || op == 2 || op == 4 || op == 5 || op == 6) || (m[3] & 0x40) || qd != 1 ||
	    12 + 5 + rr * 11 > len) {
		return false;
	}
	size_t o = 12;
	return walk_name(m, n, &o) && o + 4 <= n;
}

/* m[0, n) is exactly one DNS message: a plausible header, then every question and record
 * parses and the last one ends at n.  Used only to find the framing again after a gap. */
static bool dns_plausible(const uint8_t *m, size_t n)
{
	if (n < 12 || (m[3] & 0x40) || be16(m + 4) > 1) {
		return false;
	}
	unsigned op = (m[2] >> 3) & 0x0f;
	if (!(op == 0 || op == 2 || op == 4 || op == 5 || op == 6)) {
		return false;
	}
	size_t o = 12, qd = be16(m + 4), rr = (size_t)be16(m + 6) + be16(m + 8) + be16(m + 10);
	for (size_t i = 0; i < qd; i++) {
		if (!walk_name(m, n, &o) || o + 4 > n) {
			return false;
		}
		o += 4;
	}
	for (size_t i = 0; i < rr; i++) {
		if (!walk_name(m, n, &o) || o + 10 > n) {
			return false;
		}
		size_t rdlen = be16(m + o + 8);
		o += 10;
		if (o + rdlen > n) {
			return false;
		}
		o += rdlen;
	}
	return o == n;
}

static void consume(ssr_decoder_t *d, stream_t *s, const uint8_t *p, size_t len,
                    const traffic_sink_t *out);

/* One segment while the framing is lost after a gap: a 2-byte segment is a candidate length
 * prefix for what follows; a segment that begins with a length and a plausible message, or is
 * as a whole one plausible message (its prefix was in the hole), restores the framing.  A
 * segment that fits none is skipped (tcp-resync). */
static void resync(ssr_decoder_t *d, stream_t *s, const uint8_t *p, size_t len,
                   const traffic_sink_t *out)
{
	if (s->pend) {
		size_t L = s->pend_len;
		s->pend = false;
		if (len >= L && dns_plausible(p, L)) {
			s->resync = false;
			d->tcp_multi++; /* its length came in the segment before */
			out->message(d, &s->pk, p, L, out);
			if (len > L) {
				consume(d, s, p + L, len - L, out);
			}
			return;
		}
		if (len < L && dns_head_plausible(p, len, L)) {
			/* the message goes on in the next segments: checked when whole */
			uint8_t pre[2] = {(uint8_t)(L >> 8), (uint8_t)L};
			s->resync = false;
			s->tentative = true;
			consume(d, s, pre, 2, out);
			consume(d, s, p, len, out);
			return;
		}
		d->malformed[SSR_MAL_TCP_RESYNC]++; /* the candidate prefix was not one */
	}
	if (len == 2 && be16(p) >= 12) {
		s->pend = true;
		s->pend_len = be16(p);
		return;
	}
	/* a length and whole messages; else the whole segment one message; else a length and a
	 * message begun (the least certain, so the last tried) */
	size_t L = len >= 2 ? be16(p) : 0;
	if (len >= 2 + 12 && 2 + L <= len && dns_plausible(p + 2, L)) {
		s->resync = false;
		consume(d, s, p, len, out);
		return;
	}
	if (dns_plausible(p, len)) {
		s->resync = false;
		out->message(d, &s->pk, p, len, out);
		return;
	}
	if (len >= 2 + 12 && 2 + L > len && dns_head_plausible(p + 2, len - 2, L)) {
		s->resync = false;
		s->tentative = true;
		consume(d, s, p, len, out);
		return;
	}
	d->malformed[SSR_MAL_TCP_RESYNC]++;
}

/* Bytes in order: whole messages straight from the segment, a message begun kept. */
static void consume(ssr_decoder_t *d, stream_t *s, const uint8_t *p, size_t len,
                    const traffic_sink_t *out)
{
	if (s->resync) {
		resync(d, s, p, len, out);
		return;
	}
	if (s->len > 0) {
		s->segs++; /* the message begun goes on in this segment */
	}
	while (len > 0) {
		if (s->len == 0) {
			while (len >= 2 && (size_t)be16(p) + 2 <= len) {
				size_t m = be16(p);
				out->message(d, &s->pk, p + 2, m, out);
				p += 2 + m;
				len -= 2 + m;
			}
			if (len == 0) {
				return;
			}
			s->segs = 1;
		}
		/* a message begun: first its 2-byte length, then its bytes */
		size_t want = 2;
		if (s->len >= 2) {
			want += be16(s->buf);
		} else if (s->len == 0 && len >= 2) {
			want += be16(p);
		}
		if (!grow(d, &s->e, &s->buf, &s->cap, want, out)) {
			d->malformed[SSR_MAL_TCP_PARTIAL]++;
			s->len = 0;
			s->tentative = false;
			return; /* the rest of this segment is lost with it */
		}
		size_t take = want - s->len < len ? want - s->len : len;
		memcpy(s->buf + s->len, p, take);
		s->len += take;
		p += take;
		len -= take;
		if (s->len >= 2 && s->len == 2 + (size_t)be16(s->buf)) {
			if (s->tentative && !dns_plausible(s->buf + 2, s->len - 2)) {
				/* the framing guessed after a gap was wrong: keep looking */
				d->malformed[SSR_MAL_TCP_RESYNC]++;
				s->len = 0;
				s->tentative = false;
				s->resync = true;
				return;
			}
			s->tentative = false;
			d->tcp_multi += s->segs > 1;
			out->message(d, &s->pk, s->buf + 2, s->len - 2, out);
			s->len = 0;
		}
	}
	if (s->len > 0) {
		d->tcp_held++; /* this segment ends inside a message */
	}
}

/* Held segments now in order (or overlapping what came) go through. */
static void drain(ssr_decoder_t *d, stream_t *s, const traffic_sink_t *out)
{
	while (s->held && (int32_t)(s->held->seq - s->next) <= 0) {
		seg_t *g = s->held;
		s->held = g->next;
		size_t skip = (size_t)(s->next - g->seq);
		if (skip < g->len) {
			consume(d, s, g->data + skip, g->len - skip, out);
			s->next = g->seq + (uint32_t)g->len;
		}
		s->held_bytes -= g->len;
		s->e.mem -= sizeof *g + g->len;
		d->reasm->mem -= sizeof *g + g->len;
		free(g);
	}
}

/* A hole that will not be filled: the message begun is lost; go on at the next held segment. */
static void skip_gap(ssr_decoder_t *d, stream_t *s, const traffic_sink_t *out)
{
	d->malformed[SSR_MAL_TCP_GAP]++;
	if (s->len) {
		d->malformed[SSR_MAL_TCP_PARTIAL]++;
		s->len = 0;
	}
	s->tentative = false;
	if (s->pend) {
		s->pend = false;
		d->malformed[SSR_MAL_TCP_RESYNC]++;
	}
	if (s->held) {
		/* what follows the hole may begin anywhere in a message: find the framing again */
		s->resync = true;
		s->next = s->held->seq;
		drain(d, s, out);
	}
}

static void hold(ssr_decoder_t *d, stream_t *s, uint32_t seq, const uint8_t *p, size_t len,
                 const traffic_sink_t *out)
{
	while (s->held_bytes + len > STREAM_HELD && s->held) {
		skip_gap(d, s, out); /* waited long enough for the hole */
		if ((int32_t)(seq - s->next) <= 0) {
			return; /* this segment is in order now: the caller consumes it */
		}
	}
	seg_t **pp = &s->held;
	while (*pp && (int32_t)((*pp)->seq - seq) < 0) {
		pp = &(*pp)->next;
	}
	if (*pp && (*pp)->seq == seq && (*pp)->len >= len) {
		d->tcp_retransmits++;
		return;
	}
	if (!reserve(d, sizeof(seg_t) + len, &s->e, out)) {
		return;
	}
	seg_t *g = malloc(sizeof *g + len);
	if (!g) {
		d->malformed[SSR_MAL_REASM_MEMORY]++;
		return;
	}
	g->seq = seq;
	g->len = len;
	memcpy(g->data, p, len);
	g->next = *pp;
	*pp = g;
	s->held_bytes += len;
	s->e.mem += sizeof *g + len;
	d->reasm->mem += sizeof *g + len;
	d->tcp_held++;
}

void traffic_tcp(ssr_decoder_t *d, ssr_dns_pkt_t *pk, uint32_t seq, uint8_t flags, const uint8_t *p,
                 size_t len, const traffic_sink_t *out)
{
	bool syn = flags & 0x02, fin = flags & 0x01, rst = flags & 0x04;
	struct ssr_reasm *R = state(d);
	if (!R) {
		d->malformed[SSR_MAL_REASM_MEMORY]++;
		return;
	}
	uint8_t key[40];
	uint8_t kl = addr_key(key, pk);
	memcpy(key + kl, &pk->sport, 2);
	memcpy(key + kl + 2, &pk->dport, 2);
	kl += 4;
	uint64_t h = ssr_hash64(key, kl);
	stream_t *s = (stream_t *)find(R, STREAM, key, kl, h);
	if (rst) {
		if (s) {
			close_entry(d, &s->e, out); /* an abort: what was begun is lost */
		}
		d->not_dns++;
		return;
	}
	if (s && syn) {
		close_entry(d, &s->e, out); /* a new connection on these ports */
		s = NULL;
	}
	if (len == 0 && !syn) {
		if (s && fin) {
			close_entry(d, &s->e, out);
		}
		d->not_dns++; /* ACKs, FINs: no DNS payload */
		return;
	}
	if (!s) {
		s = (stream_t *)entry_new(d, sizeof *s, STREAM, key, kl, h, pk->ts_sec, out);
		if (!s) {
			return;
		}
		s->next = seq + (syn ? 1 : 0); /* without a SYN: joined here */
	}
	s->pk = *pk;
	s->pk.msg = NULL;
	touch(R, &s->e, pk->ts_sec);
	if (syn) {
		seq++;
	}
	if (len == 0) {
		d->not_dns++;
		return;
	}
	int32_t delta = (int32_t)(seq - s->next);
	if (delta <= -(int32_t)FAR || delta >= (int32_t)FAR) {
		/* not this stream's bytes (a new connection on the ports, its SYN not seen): what
		 * was held goes out past its gaps, a message begun is lost, the new stream starts
		 * here */
		while (s->held) {
			skip_gap(d, s, out);
		}
		if (s->len) {
			d->malformed[SSR_MAL_TCP_PARTIAL]++;
			s->len = 0;
		}
		if (s->pend) {
			d->malformed[SSR_MAL_TCP_RESYNC]++;
		}
		s->resync = s->pend = s->tentative = false; /* taken to begin a message */
		s->next = seq;
	} else if (delta < 0) {
		if ((size_t) - (int64_t)delta >= len) {
			d->tcp_retransmits++;
			goto done;
		}
		p += -(int64_t)delta;
		len -= (size_t) - (int64_t)delta;
		seq = s->next;
	} else if (delta > 0) {
		hold(d, s, seq, p, len, out);
		if ((int32_t)(seq - s->next) > 0) {
			goto done;
		}
		/* the gap was given up and this segment is next (or behind) now */
		int32_t behind = (int32_t)(s->next - seq);
		if ((size_t)behind >= len) {
			goto done;
		}
		p += behind;
		len -= (size_t)behind;
		seq = s->next;
	}
	consume(d, s, p, len, out);
	s->next = seq + (uint32_t)len;
	drain(d, s, out);
done:
	if (fin && !s->held) {
		close_entry(d, &s->e, out); /* (a FIN ahead of a hole waits for it, or times out) */
	}
}

/* ---- closing -------------------------------------------------------------------------------- */

static void close_entry(ssr_decoder_t *d, rent_t *e, const traffic_sink_t *out)
{
	if (e->kind == FRAG) {
		d->malformed[SSR_MAL_FRAG_INCOMPLETE]++;
	} else {
		stream_t *s = (stream_t *)e;
		bool nested = d->reasm->closing;
		d->reasm->closing = true;
		while (s->held) {
			skip_gap(d, s, out);
		}
		d->reasm->closing = nested;
		if (s->len) {
			d->malformed[SSR_MAL_TCP_PARTIAL]++;
		}
		if (s->pend) { /* a candidate length prefix with nothing after it */
			d->malformed[SSR_MAL_TCP_RESYNC]++;
		}
	}
	entry_free(d->reasm, e);
}

void traffic_reasm_expire(ssr_decoder_t *d, int64_t ts, const traffic_sink_t *out)
{
	struct ssr_reasm *R = d->reasm;
	while (R && R->head && R->head->last + (int64_t)d->reasm_timeout < ts) {
		close_entry(d, R->head, out);
	}
}

void traffic_reasm_close_all(ssr_decoder_t *d, const traffic_sink_t *out)
{
	while (d->reasm && d->reasm->head) {
		close_entry(d, d->reasm->head, out);
	}
}

void ssr_decoder_release(ssr_decoder_t *d)
{
	if (!d->reasm) {
		return;
	}
	while (d->reasm->head) {
		entry_free(d->reasm, d->reasm->head);
	}
	free(d->reasm);
	d->reasm = NULL;
}
