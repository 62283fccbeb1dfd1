/* libtraffic: the RSSAC002 intermediate state as a file, and merging states.  Per-hour or
 * per-server runs saved with --save-state combine exactly into daily or system-wide figures:
 * counters add, source sets unite (sketches take register maxima).  Little-endian binary,
 * CRC-32 at the end; every count read is checked against the bytes that follow, so a bad file
 * is an error naming its offset, never an allocation of what it claims (docs/FORMATS.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "ssrwatch/input.h"
#include "traffic_priv.h"

#define MAGIC     "SSRWTRAF"
#define VERSION   1 /* of every state kind */
#define NCOUNTERS (10 + SSR_MAL_COUNT)
/* States of earlier builds hold fewer counters (new malformed reasons are appended): those
 * merge, the missing counters being 0. */
#define NCOUNTERS_V1 (10 + 15)
#define MAX_PERIODS  1000000

static const uint8_t key_width[3] = {4, 16, 8}; /* IPv4, IPv6, IPv6 /64 */

/* ---- writing -------------------------------------------------------------------------------- */

void traffic_w_bytes(traffic_wr_t *w, const void *p, size_t n)
{
	w->crc = crc32(w->crc, p, (uInt)n);
	fwrite(p, 1, n, w->f);
}

void traffic_w_u64(traffic_wr_t *w, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++) {
		b[i] = (uint8_t)(v >> (8 * i));
	}
	traffic_w_bytes(w, b, 8);
}

void traffic_w_u32(traffic_wr_t *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	traffic_w_bytes(w, b, 4);
}

static void w_u16(traffic_wr_t *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	traffic_w_bytes(w, b, 2);
}

int traffic_wr_open(traffic_wr_t *w, const char *path, const char magic[8], ssr_diag_t *diag)
{
	/* a device or FIFO (/dev/null) is written directly: renaming over it would replace it */
	struct stat st;
	bool direct = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
	snprintf(w->tmp, sizeof w->tmp, "%s%s", path, direct ? "" : ".tmp");
	w->f = fopen(w->tmp, "wb");
	w->crc = crc32(0, NULL, 0);
	if (!w->f) {
		return ssr_diag_set(diag, SSR_EIO, "state '%s': cannot write", path);
	}
	traffic_w_bytes(w, magic, 8);
	traffic_w_u32(w, VERSION);
	return SSR_EOK;
}

int traffic_wr_close(traffic_wr_t *w, const char *path, ssr_diag_t *diag)
{
	uLong crc = w->crc;
	traffic_w_u32(w, (uint32_t)crc);
	bool direct = strcmp(w->tmp, path) == 0;
	if (ferror(w->f) | (fclose(w->f) != 0) || (!direct && rename(w->tmp, path) != 0)) {
		if (!direct) {
			remove(w->tmp);
		}
		return ssr_diag_set(diag, SSR_EIO, "state '%s': cannot write", path);
	}
	return SSR_EOK;
}

void traffic_w_aset(traffic_wr_t *w, const aset_t *s, size_t width)
{
	traffic_w_u64(w, s->count);
	for (size_t j = 0; j < s->cap; j++) {
		if (s->used[j]) {
			traffic_w_bytes(w, s->keys[j], width);
		}
	}
}

/* Non-zero entries of a counter array as (u16 index, u64 count). */
void traffic_w_sparse(traffic_wr_t *w, const uint64_t *v, size_t n)
{
	uint32_t nz = 0;
	for (size_t i = 0; i < n; i++) {
		nz += v[i] != 0;
	}
	traffic_w_u32(w, nz);
	for (size_t i = 0; i < n; i++) {
		if (v[i]) {
			w_u16(w, (uint16_t)i);
			traffic_w_u64(w, v[i]);
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
	size_t n = traffic_rssac_periods(r, &p);
	traffic_wr_t w;
	int rc = traffic_wr_open(&w, path, MAGIC, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	traffic_w_u32(&w, ssr_rssac_interval(r));
	traffic_w_u32(&w, ssr_rssac_depth(r));
	uint8_t approx = ssr_rssac_approx(r);
	traffic_w_bytes(&w, &approx, 1);
	uint64_t c[NCOUNTERS];
	decoder_counters(d, c);
	traffic_w_u32(&w, NCOUNTERS);
	for (size_t i = 0; i < NCOUNTERS; i++) {
		traffic_w_u64(&w, c[i]);
	}
	traffic_w_u32(&w, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		const rssac_period_t *q = &p[i];
		traffic_w_u64(&w, (uint64_t)q->start);
		traffic_w_sparse(&w, &q->vol[0][0][0], 8);
		uint64_t priv[7] = {q->queries, q->named,   q->minimised, q->ecs,
		                    q->cookie,  q->padding, q->edns};
		for (int k = 0; k < 7; k++) {
			traffic_w_u64(&w, priv[k]);
		}
		traffic_w_sparse(&w, q->sizes, 4 * RSSAC_SIZE_BINS);
		traffic_w_sparse(&w, q->rcodes, 4096);
		traffic_w_sparse(&w, &q->ecs_len[0][0], 2 * 129);
		for (int k = 0; k < 3; k++) {
			uint8_t form = q->hll[k] != NULL;
			traffic_w_bytes(&w, &form, 1);
			if (form) {
				traffic_w_bytes(&w, q->hll[k], TRAFFIC_HLL_M);
				continue;
			}
			traffic_w_aset(&w, &q->src[k], key_width[k]);
		}
	}
	return traffic_wr_close(&w, path, diag);
}

/* ---- reading -------------------------------------------------------------------------------- */

int traffic_rd_bad(traffic_rd_t *r, const char *why)
{
	if (!r->err) {
		r->err = ssr_diag_set(r->diag, SSR_EPARSE, "state '%s' offset %llu: %s", r->path,
		                      (unsigned long long)r->off, why);
	}
	return r->err;
}

int traffic_r_bytes(traffic_rd_t *r, void *out, size_t n)
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
				return traffic_rd_bad(r, "truncated");
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

uint64_t traffic_r_uint(traffic_rd_t *r, int bytes)
{
	uint8_t b[8] = {0};
	if (traffic_r_bytes(r, b, (size_t)bytes) != SSR_EOK) {
		return 0;
	}
	uint64_t v = 0;
	for (int i = bytes - 1; i >= 0; i--) {
		v = v << 8 | b[i];
	}
	return v;
}

/* (u16 index, u64 count) pairs added into v[0..n). */
void traffic_r_sparse(traffic_rd_t *r, uint64_t *v, size_t n)
{
	uint64_t nz = traffic_r_uint(r, 4);
	if (nz > n) {
		traffic_rd_bad(r, "more counters than the table holds");
		return;
	}
	for (uint64_t i = 0; i < nz && !r->err; i++) {
		uint64_t at = traffic_r_uint(r, 2), c = traffic_r_uint(r, 8);
		if (at >= n) {
			traffic_rd_bad(r, "counter index out of range");
			return;
		}
		v[at] += c;
	}
}

static void r_sources(traffic_rd_t *r, ssr_rssac_t *rs, rssac_period_t *p, int k)
{
	uint8_t form = 0;
	traffic_r_bytes(r, &form, 1);
	if (r->err) {
		return;
	}
	if (form > 1) {
		traffic_rd_bad(r, "bad source set form");
		return;
	}
	if (form == 1) {
		uint8_t reg[TRAFFIC_HLL_M];
		if (!p->hll[k]) {
			traffic_rd_bad(r,
			               "an approximate (--approx) state merges only with --approx");
			return;
		}
		if (traffic_r_bytes(r, reg, sizeof reg) != SSR_EOK) {
			return;
		}
		for (size_t j = 0; j < TRAFFIC_HLL_M; j++) {
			if (reg[j] > 64 - TRAFFIC_HLL_P + 1) {
				traffic_rd_bad(r, "bad sketch register");
				return;
			}
			p->hll[k][j] = reg[j] > p->hll[k][j] ? reg[j] : p->hll[k][j];
		}
		return;
	}
	uint64_t count = traffic_r_uint(r, 8);
	for (uint64_t i = 0; i < count && !r->err; i++) {
		uint8_t key[16] = {0};
		if (traffic_r_bytes(r, key, key_width[k]) == SSR_EOK) {
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

static void read_state(traffic_rd_t *r, ssr_rssac_t *rs, ssr_decoder_t *d)
{
	uint64_t interval = traffic_r_uint(r, 4), depth = traffic_r_uint(r, 4),
	         approx = traffic_r_uint(r, 1);
	if (r->err) {
		return;
	}
	if (interval == 0 || ssr_rssac_interval(rs) % interval != 0) {
		traffic_rd_bad(
		    r,
		    "its interval does not divide the interval asked for (merge hours into days, "
		    "not days into hours)");
		return;
	}
	if (depth != ssr_rssac_depth(rs)) {
		traffic_rd_bad(r, "made with another --zone-depth");
		return;
	}
	if (approx && !ssr_rssac_approx(rs)) {
		traffic_rd_bad(r, "an approximate (--approx) state merges only with --approx");
		return;
	}
	uint64_t nc = traffic_r_uint(r, 4);
	if (nc < NCOUNTERS_V1 || nc > NCOUNTERS) {
		traffic_rd_bad(r, "counters of another ssrwatch version");
		return;
	}
	uint64_t c[NCOUNTERS] = {0};
	for (size_t i = 0; i < nc; i++) {
		c[i] = traffic_r_uint(r, 8);
	}
	uint64_t n = traffic_r_uint(r, 4);
	if (n > MAX_PERIODS) {
		traffic_rd_bad(r, "too many periods");
		return;
	}
	for (uint64_t i = 0; i < n && !r->err; i++) {
		int64_t start = (int64_t)traffic_r_uint(r, 8);
		if (r->err) {
			return;
		}
		rssac_period_t *p = traffic_rssac_period(rs, start);
		if (!p) {
			r->err =
			    ssr_diag_set(r->diag, SSR_ENOMEM, "state '%s': out of memory", r->path);
			return;
		}
		traffic_r_sparse(r, &p->vol[0][0][0], 8);
		uint64_t *priv[7] = {&p->queries, &p->named,   &p->minimised, &p->ecs,
		                     &p->cookie,  &p->padding, &p->edns};
		for (int k = 0; k < 7; k++) {
			*priv[k] += traffic_r_uint(r, 8);
		}
		traffic_r_sparse(r, p->sizes, 4 * RSSAC_SIZE_BINS);
		traffic_r_sparse(r, p->rcodes, 4096);
		traffic_r_sparse(r, &p->ecs_len[0][0], 2 * 129);
		for (int k = 0; k < 3; k++) {
			r_sources(r, rs, p, k);
		}
	}
	if (traffic_rd_finish(r) == SSR_EOK) {
		add_counters(d, c);
	}
}

int ssr_rssac_merge(ssr_rssac_t *rs, ssr_decoder_t *d, const char *path, ssr_diag_t *diag)
{
	traffic_rd_t *r;
	int rc = traffic_rd_open(&r, path, MAGIC, diag);
	if (rc == SSR_EOK) {
		read_state(r, rs, d);
		rc = r->err;
		traffic_rd_free(r);
	}
	return rc;
}

/* ---- the reader --------------------------------------------------------------------------- */

int traffic_rd_open(traffic_rd_t **out, const char *path, const char magic[8], ssr_diag_t *diag)
{
	traffic_rd_t *r = calloc(1, sizeof *r);
	if (!r) {
		return ssr_diag_set(diag, SSR_ENOMEM, "state '%s': out of memory", path);
	}
	int rc = ssr_input_open(path, &r->in, diag);
	if (rc != SSR_EOK) {
		free(r);
		return rc;
	}
	r->path = path;
	r->diag = diag;
	r->crc = crc32(0, NULL, 0);
	char m[8];
	if (traffic_r_bytes(r, m, 8) == SSR_EOK && memcmp(m, magic, 8) != 0) {
		static const struct {
			const char *magic, *what;
		} kinds[] = {{MAGIC, "a 'traffic stats' state"},
		             {TRAFFIC_MAGIC_COLLISIONS, "a 'traffic collisions' state"},
		             {TRAFFIC_MAGIC_ANCHORS, "a 'traffic trust-anchors' state"}};
		const char *what = "not an ssrwatch traffic state";
		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
			what = memcmp(m, kinds[i].magic, 8) == 0 ? kinds[i].what : what;
		}
		traffic_rd_bad(r, what);
	}
	if (!r->err && traffic_r_uint(r, 4) != VERSION) {
		traffic_rd_bad(r, "unsupported state version");
	}
	if (r->err) {
		rc = r->err;
		traffic_rd_free(r);
		return rc;
	}
	*out = r;
	return SSR_EOK;
}

int traffic_rd_finish(traffic_rd_t *r)
{
	uLong crc = r->crc;
	if (!r->err && traffic_r_uint(r, 4) != (uint32_t)crc) {
		return traffic_rd_bad(r, "checksum mismatch (corrupt)");
	}
	uint8_t extra;
	if (!r->err && r->pos == r->len) {
		size_t got = 0;
		if (ssr_input_read(r->in, &extra, 1, &got, r->diag) == SSR_EOK && got == 0) {
			return SSR_EOK;
		}
	}
	return r->err ? r->err : traffic_rd_bad(r, "bytes after the end of the state");
}

void traffic_rd_free(traffic_rd_t *r)
{
	if (r) {
		ssr_input_free(r->in);
		free(r);
	}
}

void traffic_r_aset(traffic_rd_t *r, aset_t *s, size_t width, bool *oom)
{
	uint64_t count = traffic_r_uint(r, 8);
	for (uint64_t i = 0; i < count && !r->err; i++) {
		uint8_t key[16] = {0};
		if (traffic_r_bytes(r, key, width) == SSR_EOK &&
		    traffic_aset_add(s, key) != SSR_EOK) {
			*oom = true;
		}
	}
}

int ssr_traffic_state_kind(const char *path, ssr_diag_t *diag)
{
	ssr_input_t *in;
	int rc = ssr_input_open(path, &in, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	char m[8];
	size_t got = 0, n = 0;
	while (n < 8 && (rc = ssr_input_read(in, m + n, 8 - n, &got, diag)) == SSR_EOK && got) {
		n += got;
	}
	ssr_input_free(in);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (n == 8 && memcmp(m, MAGIC, 8) == 0) {
		return SSR_STATE_RSSAC;
	}
	if (n == 8 && memcmp(m, TRAFFIC_MAGIC_COLLISIONS, 8) == 0) {
		return SSR_STATE_COLLISIONS;
	}
	if (n == 8 && memcmp(m, TRAFFIC_MAGIC_ANCHORS, 8) == 0) {
		return SSR_STATE_ANCHORS;
	}
	return ssr_diag_set(diag, SSR_EPARSE, "state '%s' offset 0: not an ssrwatch traffic state",
	                    path);
}

int ssr_traffic_state_head(int kind, const ssr_decoder_t *d, unsigned interval, unsigned depth,
                           bool approx, const char *root, const char *const *paths, size_t n,
                           uint32_t shards, ssr_state_head_t *h, ssr_diag_t *diag)
{
	memset(h, 0, sizeof *h);
	static const char *const kinds[] = {"", "traffic.stats", "traffic.collisions",
	                                    "traffic.anchors"};
	if (kind < SSR_STATE_RSSAC || kind > SSR_STATE_ANCHORS) {
		return ssr_diag_set(diag, SSR_EINVAL, "traffic: unknown state kind");
	}
	/* what changes the figures: the decoder's settings, the period, the zone depth, exact or
	 * approximate sets, the root zone */
	char ports[64] = "";
	size_t pl = 0;
	for (int i = 0; i < 8 && d->ports[i]; i++) {
		int w = snprintf(ports + pl, sizeof ports - pl, "%s%u", i ? "," : "", d->ports[i]);
		pl += w > 0 ? (size_t)w : 0;
	}
	struct stat sb;
	char o[4400];
	int l = snprintf(o, sizeof o,
	                 "ports=%s;verify=%d;reasm=%zu;timeout=%u;interval=%u;depth=%u;approx=%d;"
	                 "root=%s:%lld",
	                 ports[0] ? ports : "53", d->verify_checksums, d->reasm_max_bytes,
	                 d->reasm_timeout, interval, depth, approx, root ? root : "",
	                 root && stat(root, &sb) == 0 ? (long long)sb.st_size : -1LL);
	if (l < 0 || (size_t)l >= sizeof o) {
		return ssr_diag_set(diag, SSR_ELIMIT, "traffic: options too long for a state");
	}
	return ssr_state_head_init(h, kinds[kind], 1, o, "", shards, paths, n, "capture", diag);
}
