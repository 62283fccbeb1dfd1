/* libnames: a scan of several zones for the record: matches at or above a score reported, and
 * with a store each zone's scan row and its matches kept, all zones in one transaction. */
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/date.h"
#include "ssrwatch/arena.h"
#include "ssrwatch/names.h"
#include "ssrwatch/namesstore.h"

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
