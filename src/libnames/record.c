/* libnames: a scan of several zones for the record: matches at or above a score reported, and
 * with a store each zone's scan row and its matches kept, all zones in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/date.h"
#include "ssrwatch/arena.h"
#include "ssrwatch/names.h"
#include "ssrwatch/namesstore.h"
#include "ssrwatch/state.h"
#include "ssrwatch/zonestats.h"
#include "names_priv.h"

typedef struct {
	const ssr_names_scan_opts_t *o;
	ssr_names_scan_fn fn;
	void *ctx;
	ssr_names_row_t *pend; /* the current zone's matches, stored when the zone is done */
	size_t npend, pcap;
} record_t;

static void pend_clear(record_t *r)
{
	for (size_t i = 0; i < r->npend; i++) {
		free((char *)r->pend[i].zone);
		free((char *)r->pend[i].domain);
		free((char *)r->pend[i].brand);
		free((char *)r->pend[i].kinds);
		free((char *)r->pend[i].detail);
	}
	r->npend = 0;
}

static int on_hit(const char *zone, const ssr_names_subject_t *s, const ssr_names_match_t *m,
                  void *ctx)
{
	record_t *r = ctx;
	if (m->score + 1e-9 < r->o->min_score) {
		return SSR_EOK;
	}
	if (r->o->store != NULL) {
		char kinds[256];
		if (ssr_names_kinds_format(m->kinds, kinds, sizeof kinds) < 0) {
			return SSR_ELIMIT; /* 256 bytes hold every kind's name */
		}
		if (ssr_grow((void **)&r->pend, &r->pcap, r->npend + 1, sizeof *r->pend) !=
		    SSR_EOK) {
			return SSR_ENOMEM;
		}
		ssr_names_row_t *p = &r->pend[r->npend++];
		*p = (ssr_names_row_t){.date = r->o->date,
		                       .zone = strdup(zone),
		                       .domain = strdup(s->domain),
		                       .brand = strdup(m->brand),
		                       .kinds = strdup(kinds),
		                       .detail = strdup(m->detail),
		                       .score = m->score};
		if (!p->zone || !p->domain || !p->brand || !p->kinds || !p->detail) {
			return SSR_ENOMEM;
		}
	}
	return r->fn ? r->fn(zone, s, m, r->ctx) : SSR_EOK;
}

/* The zone is done: its scan row replaces an earlier scan of the date, then its matches. */
static int flush(record_t *r, const char *zone, uint64_t delegations, ssr_diag_t *diag)
{
	int rc = ssr_store_names_scan_put(r->o->store, r->o->date, zone, delegations, r->o->brands,
	                                  diag);
	for (size_t i = 0; rc == SSR_EOK && i < r->npend; i++) {
		rc = ssr_store_names_match_put(r->o->store, &r->pend[i], diag);
	}
	pend_clear(r);
	return rc;
}

int ssr_names_scan(const ssr_names_t *nm, const char *const *paths, size_t n,
                   const ssr_names_scan_opts_t *o, ssr_names_scan_fn fn, void *ctx,
                   ssr_names_scan_stats_t *stats, ssr_diag_t *diag)
{
	record_t r = {.o = o, .fn = fn, .ctx = ctx};
	int32_t day;
	if (o->store != NULL && (o->date == NULL || strlen(o->date) != 10 ||
	                         ssr_date_parse(o->date, 10, &day) != SSR_EOK)) {
		return ssr_diag_set(diag, SSR_EINVAL, "names scan: bad date '%s' (YYYY-MM-DD)",
		                    o->date ? o->date : "");
	}
	int rc = o->store != NULL ? ssr_store_begin(o->store, diag) : SSR_EOK;
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		uint64_t before = stats->delegations;
		rc = ssr_names_scan_zone(nm, paths[i], &o->zone, on_hit, &r, stats, diag);
		if (rc == SSR_EOK && o->store != NULL) {
			rc = flush(&r, stats->zone, stats->delegations - before, diag);
		}
	}
	if (o->store != NULL) {
		/* all or nothing: a failed scan leaves the store as it was */
		if (rc == SSR_EOK) {
			rc = ssr_store_commit(o->store, diag);
		}
		if (rc != SSR_EOK) {
			ssr_store_rollback(o->store);
		}
	}
	pend_clear(&r);
	free(r.pend);
	return rc;
}

/* ---- shards (issue 23) ------------------------------------------------------------------- */

/* A part's rows and counts, gathered while it is scanned. */
typedef struct {
	ssr_state_buf_t rows;
	uint64_t nrows;
	double min_score;
} collect_t;

static void put_opt_str(ssr_state_buf_t *b, const char *s)
{
	ssr_state_put_u8(b, s != NULL);
	if (s) {
		ssr_state_put_str(b, s);
	}
}

static int collect_row(const char *zone, const ssr_names_subject_t *s, const ssr_names_match_t *m,
                       void *ctx)
{
	collect_t *c = ctx;
	(void)zone; /* the part's zone is stored once */
	if (m->score + 1e-9 < c->min_score) {
		return SSR_EOK;
	}
	ssr_state_buf_t *b = &c->rows;
	ssr_state_put_str(b, s->domain);
	put_opt_str(b, s->unicode);
	put_opt_str(b, s->provider);
	ssr_state_put_str(b, m->brand);
	ssr_state_put_u32(b, m->kinds);
	uint64_t bits;
	memcpy(&bits, &m->score, sizeof bits);
	ssr_state_put_u64(b, bits);
	ssr_state_put_str(b, m->position);
	ssr_state_put_str(b, m->detail);
	c->nrows++;
	return b->oom ? SSR_ENOMEM : SSR_EOK;
}

static void put_stats(ssr_state_buf_t *b, const ssr_names_scan_stats_t *st)
{
	const uint64_t v[] = {st->records,      st->delegations, st->matched, st->matches,
	                      st->bad_punycode, st->allowed,     st->suffixes};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		ssr_state_put_u64(b, v[i]);
	}
	for (unsigned k = 0; k < SSR_NAMES_KIND_COUNT; k++) {
		ssr_state_put_u64(b, st->by_kind[k]);
	}
	ssr_state_put_str(b, st->zone);
}

static void get_stats(ssr_state_rd_t *r, ssr_names_scan_stats_t *st)
{
	uint64_t *v[] = {&st->records,      &st->delegations, &st->matched, &st->matches,
	                 &st->bad_punycode, &st->allowed,     &st->suffixes};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		*v[i] = ssr_state_get_u64(r);
	}
	for (unsigned k = 0; k < SSR_NAMES_KIND_COUNT; k++) {
		st->by_kind[k] = ssr_state_get_u64(r);
	}
	ssr_state_get_str(r, st->zone, sizeof st->zone);
}

/* One part (file, k of n): scanned, its counts and rows appended to b. */
static int shard_scan(const ssr_names_t *nm, const char *path, const ssr_zone_opts_t *zopts,
                      uint32_t k, uint32_t n, uint64_t size, double min_score, ssr_state_buf_t *b,
                      ssr_diag_t *diag)
{
	ssr_zone_opts_t o = *zopts;
	ssr_zone_part_t pp = {0};
	int rc = SSR_EOK;
	if (n > 1) {
		rc = ssr_zone_part_plan(path, zopts, size, k, n, &pp, diag);
		o.range_offset = pp.offset;
		o.range_length = pp.length;
		if (pp.preset) {
			o.origin = pp.origin;
			o.default_ttl = pp.ttl;
		}
	}
	collect_t c = {.min_score = min_score};
	ssr_names_scan_stats_t st = {0};
	if (rc == SSR_EOK && !(n > 1 && pp.length == 0)) {
		rc = names_scan_range(nm, path, &o, pp.preset ? pp.apex : NULL, collect_row, &c,
		                      &st, diag);
	}
	if (rc == SSR_EOK) {
		put_stats(b, &st);
		ssr_state_put_u64(b, c.nrows);
		ssr_state_put_bytes(b, c.rows.p, c.rows.n);
		if (c.rows.oom || b->oom) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "names scan: out of memory");
		}
	}
	ssr_state_buf_release(&c.rows);
	return rc;
}

typedef struct {
	const ssr_names_t *nm;
	const char *const *paths;
	const ssr_names_scan_opts_t *o;
	uint64_t size;
	ssr_diag_t *diag;
} nshard_t;

static int names_part(ssr_state_buf_t *b, uint32_t input, uint32_t k, uint32_t parts, void *ctx)
{
	nshard_t *s = ctx;
	return shard_scan(s->nm, s->paths[input], &s->o->zone, k, parts, s->size, s->o->min_score,
	                  b, s->diag);
}

int ssr_names_scan_shard(const ssr_names_t *nm, const char *const *paths, size_t n,
                         const ssr_names_scan_opts_t *o, uint32_t shard, uint32_t shards,
                         ssr_state_buf_t *b, ssr_diag_t *diag)
{
	if (o->zone.keep_going) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "names scan: --shard goes without --keep-going");
	}
	nshard_t s = {.nm = nm, .paths = paths, .o = o, .diag = diag};
	bool cut = n == 1 && ssr_zone_splittable(paths[0], &s.size);
	return ssr_state_shard_work(b, paths, n, cut, shard, shards, names_part, &s, diag);
}

/* A part read back: where its rows start in the payload. */
typedef struct {
	ssr_names_scan_stats_t st;
	uint64_t nrows;
	size_t rows_at;
} npart_t;

/* Read (or skip, with fn NULL) nrows rows at r, handing each to fn. */
static void read_rows(ssr_state_rd_t *r, uint64_t nrows, const char *zone, ssr_names_scan_fn fn,
                      void *ctx, int *rc)
{
	for (uint64_t i = 0; i < nrows && !r->bad && *rc == SSR_EOK; i++) {
		char domain[256], unicode[1024] = "", provider[256] = "", brand[1024], position[16];
		char detail[256];
		ssr_state_get_str(r, domain, sizeof domain);
		bool has_u = ssr_state_get_u8(r) != 0;
		if (has_u) {
			ssr_state_get_str(r, unicode, sizeof unicode);
		}
		bool has_p = ssr_state_get_u8(r) != 0;
		if (has_p) {
			ssr_state_get_str(r, provider, sizeof provider);
		}
		ssr_state_get_str(r, brand, sizeof brand);
		uint32_t kinds = ssr_state_get_u32(r);
		uint64_t bits = ssr_state_get_u64(r);
		ssr_state_get_str(r, position, sizeof position);
		ssr_state_get_str(r, detail, sizeof detail);
		if (r->bad || !fn) {
			continue;
		}
		double score;
		memcpy(&score, &bits, sizeof score);
		ssr_names_subject_t s = {.domain = domain,
		                         .unicode = has_u ? unicode : NULL,
		                         .provider = has_p ? provider : NULL};
		ssr_names_match_t m = {.brand = brand,
		                       .kinds = kinds,
		                       .score = score,
		                       .position = position,
		                       .detail = detail};
		*rc = fn(zone, &s, &m, ctx);
	}
}

int ssr_names_scan_combine(const ssr_state_set_t *set, const ssr_names_scan_opts_t *o,
                           ssr_names_scan_fn fn, void *ctx, ssr_names_scan_stats_t *stats,
                           ssr_diag_t *diag)
{
	ssr_state_part_t *pp = NULL;
	size_t n = 0;
	int rc = ssr_state_parts(set, &pp, &n, diag);
	npart_t *v = rc == SSR_EOK ? calloc(n ? n : 1, sizeof *v) : NULL;
	if (rc == SSR_EOK && !v) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "merge: out of memory");
	}
	/* every part's counts (its rows checked and skipped), then the rows in order */
	for (size_t i = 0; i < n && rc == SSR_EOK; i++) {
		ssr_state_rd_t r = {
		    .p = pp[i].data, .n = pp[i].len, .base = pp[i].offset, .file = pp[i].file};
		get_stats(&r, &v[i].st);
		v[i].nrows = ssr_state_get_u64(&r);
		v[i].rows_at = r.off;
		read_rows(&r, v[i].nrows, NULL, NULL, NULL, &rc);
		if (rc == SSR_EOK) {
			rc = ssr_state_rd_done(&r, diag);
		}
	}
	record_t rec = {.o = o, .fn = fn, .ctx = ctx};
	int32_t day;
	if (rc == SSR_EOK && o->store != NULL &&
	    (o->date == NULL || strlen(o->date) != 10 ||
	     ssr_date_parse(o->date, 10, &day) != SSR_EOK)) {
		rc = ssr_diag_set(diag, SSR_EINVAL, "names scan: bad date '%s' (YYYY-MM-DD)",
		                  o->date ? o->date : "");
	}
	bool began = false;
	if (rc == SSR_EOK && o->store != NULL) {
		rc = ssr_store_begin(o->store, diag);
		began = rc == SSR_EOK;
	}
	for (size_t i = 0; i < n && rc == SSR_EOK; i++) {
		npart_t *p = &v[i];
		/* the zone is the apex the file's first part saw (a later part may be empty) */
		const char *zone = v[i - pp[i].k].st.zone;
		ssr_state_rd_t r = {.p = pp[i].data,
		                    .n = pp[i].len,
		                    .off = p->rows_at,
		                    .base = pp[i].offset,
		                    .file = pp[i].file};
		read_rows(&r, p->nrows, zone, on_hit, &rec, &rc);
		stats->records += p->st.records;
		stats->delegations += p->st.delegations;
		stats->matched += p->st.matched;
		stats->matches += p->st.matches;
		stats->bad_punycode += p->st.bad_punycode;
		stats->allowed += p->st.allowed;
		stats->suffixes += p->st.suffixes;
		for (unsigned k = 0; k < SSR_NAMES_KIND_COUNT; k++) {
			stats->by_kind[k] += p->st.by_kind[k];
		}
		snprintf(stats->zone, sizeof stats->zone, "%s", zone);
		/* the file's last part: its scan row for the store */
		if (rc == SSR_EOK && o->store != NULL && pp[i].k + 1 == pp[i].n) {
			uint64_t dele = 0;
			for (size_t j = i + 1 - pp[i].n; j <= i; j++) {
				dele += v[j].st.delegations;
			}
			rc = flush(&rec, zone, dele, diag);
		}
	}
	if (began && rc != SSR_EOK) {
		ssr_store_rollback(o->store);
	} else if (began) {
		rc = ssr_store_commit(o->store, diag);
		if (rc != SSR_EOK) {
			ssr_store_rollback(o->store);
		}
	}
	pend_clear(&rec);
	free(rec.pend);
	free(v);
	free(pp);
	return rc;
}
