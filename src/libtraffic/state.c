/* libtraffic: the RSSAC002 intermediate state as a file, and merging states.  Per-hour or
 * per-server runs saved with --save-state combine exactly into daily or system-wide figures:
 * counters add, source sets unite (sketches take register maxima).  Little-endian binary,
 * CRC-32 at the end; every count read is checked against the bytes that follow, so a bad file
 * is an error naming its offset, never an allocation of what it claims (docs/FORMATS.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ssrwatch/input.h"
#include "traffic_priv.h"

#define MAGIC       "SSRWTRAF"
#define VERSION     1
#define NCOUNTERS   (10 + SSR_MAL_COUNT)
#define MAX_PERIODS 1000000

static const uint8_t key_width[3] = {4, 16, 8}; /* IPv4, IPv6, IPv6 /64 */

/* ---- writing -------------------------------------------------------------------------------- */

typedef struct {
	FILE *f;
	uLong crc;
} wr_t;

static void w_bytes(wr_t *w, const void *p, size_t n)
{
	w->crc = crc32(w->crc, p, (uInt)n);
	fwrite(p, 1, n, w->f);
}

static void w_u64(wr_t *w, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++) {
		b[i] = (uint8_t)(v >> (8 * i));
	}
	w_bytes(w, b, 8);
}

static void w_u32(wr_t *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	w_bytes(w, b, 4);
}

static void w_u16(wr_t *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	w_bytes(w, b, 2);
}

/* Non-zero entries of a counter array as (u16 index, u64 count). */
static void w_sparse(wr_t *w, const uint64_t *v, size_t n)
{
	uint32_t nz = 0;
	for (size_t i = 0; i < n; i++) {
		nz += v[i] != 0;
	}
	w_u32(w, nz);
	for (size_t i = 0; i < n; i++) {
		if (v[i]) {
			w_u16(w, (uint16_t)i);
			w_u64(w, v[i]);
		}
	}
}

static void decoder_counters(const ssr_decoder_t *d, uint64_t c[NCOUNTERS])
{
	uint64_t head[10] = {d->packets,   d->not_dns,        d->dns_messages, d->port853,
	                     d->port443,   d->fragments,      d->datagrams,    d->tcp_held,
	                     d->tcp_multi, d->tcp_retransmits};
	memcpy(c, head, sizeof head);
	memcpy(c + 10, d->malformed, sizeof d->malformed);
}

int ssr_rssac_save(const ssr_rssac_t *r, const ssr_decoder_t *d, const char *path, ssr_diag_t *diag)
{
	rssac_period_t *p;
	size_t n = traffic_rssac_periods((ssr_rssac_t *)r, &p);
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	wr_t w = {fopen(tmp, "wb"), crc32(0, NULL, 0)};
	if (!w.f) {
		return ssr_diag_set(diag, SSR_EIO, "state '%s': cannot write", path);
	}
	w_bytes(&w, MAGIC, 8);
	w_u32(&w, VERSION);
	w_u32(&w, ssr_rssac_interval(r));
	w_u32(&w, ssr_rssac_depth(r));
	uint8_t approx = ssr_rssac_approx(r);
	w_bytes(&w, &approx, 1);
	uint64_t c[NCOUNTERS];
	decoder_counters(d, c);
	w_u32(&w, NCOUNTERS);
	for (size_t i = 0; i < NCOUNTERS; i++) {
		w_u64(&w, c[i]);
	}
	w_u32(&w, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		const rssac_period_t *q = &p[i];
		w_u64(&w, (uint64_t)q->start);
		w_sparse(&w, &q->vol[0][0][0], 8);
		uint64_t priv[7] = {q->queries, q->named,   q->minimised, q->ecs,
		                    q->cookie,  q->padding, q->edns};
		for (int k = 0; k < 7; k++) {
			w_u64(&w, priv[k]);
		}
		w_sparse(&w, q->sizes, 4 * RSSAC_SIZE_BINS);
		w_sparse(&w, q->rcodes, 4096);
		w_sparse(&w, &q->ecs_len[0][0], 2 * 129);
		for (int k = 0; k < 3; k++) {
			uint8_t form = q->hll[k] != NULL;
			w_bytes(&w, &form, 1);
			if (form) {
				w_bytes(&w, q->hll[k], TRAFFIC_HLL_M);
				continue;
			}
			w_u64(&w, q->src[k].count);
			for (size_t j = 0; j < q->src[k].cap; j++) {
				if (q->src[k].used[j]) {
					w_bytes(&w, q->src[k].keys[j], key_width[k]);
				}
			}
		}
	}
	uLong crc = w.crc;
	w_u32(&w, (uint32_t)crc);
	if (ferror(w.f) | (fclose(w.f) != 0) || rename(tmp, path) != 0) {
		remove(tmp);
		return ssr_diag_set(diag, SSR_EIO, "state '%s': cannot write", path);
	}
	return SSR_EOK;
}

/* ---- reading -------------------------------------------------------------------------------- */

typedef struct {
	ssr_input_t *in;
	const char *path;
	uint8_t buf[65536];
	size_t pos, len;
	uint64_t off; /* of the next byte */
	uLong crc;
	ssr_diag_t *diag;
	int err;
} rd_t;

static int bad(rd_t *r, const char *why)
{
	if (!r->err) {
		r->err = ssr_diag_set(r->diag, SSR_EPARSE, "state '%s' offset %llu: %s", r->path,
		                      (unsigned long long)r->off, why);
	}
	return r->err;
}

static int r_bytes(rd_t *r, void *out, size_t n)
{
	uint8_t *o = out;
	while (n > 0 && !r->err) {
		if (r->pos == r->len) {
			size_t got = 0;
			int e = ssr_input_read(r->in, r->buf, sizeof r->buf, &got, r->diag);
			if (e != SSR_EOK) {
				return r->err = e;
			}
			if (got == 0) {
				return bad(r, "truncated");
			}
			r->pos = 0;
			r->len = got;
		}
		size_t take = r->len - r->pos < n ? r->len - r->pos : n;
		memcpy(o, r->buf + r->pos, take);
		r->crc = crc32(r->crc, o, (uInt)take);
		r->pos += take;
		r->off += take;
		o += take;
		n -= take;
	}
	return r->err;
}

static uint64_t r_uint(rd_t *r, int bytes)
{
	uint8_t b[8] = {0};
	if (r_bytes(r, b, (size_t)bytes) != SSR_EOK) {
		return 0;
	}
	uint64_t v = 0;
	for (int i = bytes - 1; i >= 0; i--) {
		v = v << 8 | b[i];
	}
	return v;
}

/* (u16 index, u64 count) pairs added into v[0..n). */
static void r_sparse(rd_t *r, uint64_t *v, size_t n)
{
	uint64_t nz = r_uint(r, 4);
	if (nz > n) {
		bad(r, "more counters than the table holds");
		return;
	}
	for (uint64_t i = 0; i < nz && !r->err; i++) {
		uint64_t at = r_uint(r, 2), c = r_uint(r, 8);
		if (at >= n) {
			bad(r, "counter index out of range");
			return;
		}
		v[at] += c;
	}
}

static void r_sources(rd_t *r, ssr_rssac_t *rs, rssac_period_t *p, int k)
{
	uint8_t form = 0;
	r_bytes(r, &form, 1);
	if (r->err) {
		return;
	}
	if (form > 1) {
		bad(r, "bad source set form");
		return;
	}
	if (form == 1) {
		uint8_t reg[TRAFFIC_HLL_M];
		if (!p->hll[k]) {
			bad(r, "an approximate (--approx) state merges only with --approx");
			return;
		}
		if (r_bytes(r, reg, sizeof reg) != SSR_EOK) {
			return;
		}
		for (size_t j = 0; j < TRAFFIC_HLL_M; j++) {
			if (reg[j] > 64 - TRAFFIC_HLL_P + 1) {
				bad(r, "bad sketch register");
				return;
			}
			p->hll[k][j] = reg[j] > p->hll[k][j] ? reg[j] : p->hll[k][j];
		}
		return;
	}
	uint64_t count = r_uint(r, 8);
	for (uint64_t i = 0; i < count && !r->err; i++) {
		uint8_t key[16] = {0};
		if (r_bytes(r, key, key_width[k]) == SSR_EOK) {
			traffic_rssac_source(rs, p, k, key);
		}
	}
}

static void add_counters(ssr_decoder_t *d, const uint64_t c[NCOUNTERS])
{
	uint64_t *head[10] = {&d->packets,   &d->not_dns,        &d->dns_messages, &d->port853,
	                      &d->port443,   &d->fragments,      &d->datagrams,    &d->tcp_held,
	                      &d->tcp_multi, &d->tcp_retransmits};
	for (int i = 0; i < 10; i++) {
		*head[i] += c[i];
	}
	for (int i = 0; i < SSR_MAL_COUNT; i++) {
		d->malformed[i] += c[10 + i];
	}
}

static void read_state(rd_t *r, ssr_rssac_t *rs, ssr_decoder_t *d)
{
	char magic[8];
	if (r_bytes(r, magic, 8) != SSR_EOK || memcmp(magic, MAGIC, 8) != 0) {
		bad(r, "not an ssrwatch traffic state");
		return;
	}
	if (r_uint(r, 4) != VERSION) {
		bad(r, "unsupported state version");
		return;
	}
	uint64_t interval = r_uint(r, 4), depth = r_uint(r, 4), approx = r_uint(r, 1);
	if (r->err) {
		return;
	}
	if (interval == 0 || ssr_rssac_interval(rs) % interval != 0) {
		bad(r,
		    "its interval does not divide the interval asked for (merge hours into days, "
		    "not days into hours)");
		return;
	}
	if (depth != ssr_rssac_depth(rs)) {
		bad(r, "made with another --zone-depth");
		return;
	}
	if (approx && !ssr_rssac_approx(rs)) {
		bad(r, "an approximate (--approx) state merges only with --approx");
		return;
	}
	if (r_uint(r, 4) != NCOUNTERS) {
		bad(r, "counters of another ssrwatch version");
		return;
	}
	uint64_t c[NCOUNTERS];
	for (size_t i = 0; i < NCOUNTERS; i++) {
		c[i] = r_uint(r, 8);
	}
	uint64_t n = r_uint(r, 4);
	if (n > MAX_PERIODS) {
		bad(r, "too many periods");
		return;
	}
	for (uint64_t i = 0; i < n && !r->err; i++) {
		int64_t start = (int64_t)r_uint(r, 8);
		if (r->err) {
			return;
		}
		rssac_period_t *p = traffic_rssac_period(rs, start);
		if (!p) {
			r->err =
			    ssr_diag_set(r->diag, SSR_ENOMEM, "state '%s': out of memory", r->path);
			return;
		}
		r_sparse(r, &p->vol[0][0][0], 8);
		uint64_t *priv[7] = {&p->queries, &p->named,   &p->minimised, &p->ecs,
		                     &p->cookie,  &p->padding, &p->edns};
		for (int k = 0; k < 7; k++) {
			*priv[k] += r_uint(r, 8);
		}
		r_sparse(r, p->sizes, 4 * RSSAC_SIZE_BINS);
		r_sparse(r, p->rcodes, 4096);
		r_sparse(r, &p->ecs_len[0][0], 2 * 129);
		for (int k = 0; k < 3; k++) {
			r_sources(r, rs, p, k);
		}
	}
	uLong crc = r->crc;
	if (!r->err && r_uint(r, 4) != (uint32_t)crc) {
		bad(r, "checksum mismatch (corrupt)");
		return;
	}
	uint8_t extra;
	if (!r->err && r->pos == r->len) {
		size_t got = 0;
		if (ssr_input_read(r->in, &extra, 1, &got, r->diag) == SSR_EOK && got == 0) {
			add_counters(d, c);
			return;
		}
	}
	if (!r->err) {
		bad(r, "bytes after the end of the state");
	}
}

int ssr_rssac_merge(ssr_rssac_t *rs, ssr_decoder_t *d, const char *path, ssr_diag_t *diag)
{
	rd_t *r = calloc(1, sizeof *r);
	if (!r) {
		return ssr_diag_set(diag, SSR_ENOMEM, "state '%s': out of memory", path);
	}
	int rc = ssr_input_open(path, &r->in, diag);
	if (rc == SSR_EOK) {
		r->path = path;
		r->diag = diag;
		r->crc = crc32(0, NULL, 0);
		read_state(r, rs, d);
		rc = r->err;
		ssr_input_free(r->in);
	}
	free(r);
	return rc;
}
