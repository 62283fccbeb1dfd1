/* ssrwatch — the store's misleading-name scans and matches (SSR2 Rec 19). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_priv.h"
#include "ssrwatch/namesstore.h"

int ssr_store_names_scan_put(ssr_store_t *st, const char *date, const char *zone,
                             uint64_t delegations, const char *brands, ssr_diag_t *diag)
{
	char d[24];
	store_u64s(d, delegations);
	const char *p[] = {date, zone};
	int rc = store_db_exec(st->db, "DELETE FROM names_match WHERE scan_date=$1 AND zone=$2", 2,
	                       p, NULL, NULL, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *q[] = {date, zone, d, brands};
	return store_db_exec(
	    st->db,
	    "INSERT INTO names_scan (scan_date, zone, delegations, brands)"
	    " VALUES ($1,$2,$3,$4) ON CONFLICT (scan_date, zone)"
	    " DO UPDATE SET delegations=excluded.delegations, brands=excluded.brands",
	    4, q, NULL, NULL, diag);
}

int ssr_store_names_match_put(ssr_store_t *st, const ssr_names_row_t *r, ssr_diag_t *diag)
{
	char sc[32];
	snprintf(sc, sizeof sc, "%.2f", r->score);
	const char *p[] = {r->date, r->zone, r->domain, r->brand, r->kinds, sc, r->detail};
	return store_db_exec(
	    st->db,
	    "INSERT INTO names_match (scan_date, zone, domain, brand, kinds, score, detail)"
	    " VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (scan_date, zone, domain, brand)"
	    " DO UPDATE SET kinds=excluded.kinds, score=excluded.score,"
	    " detail=excluded.detail",
	    7, p, NULL, NULL, diag);
}

typedef struct {
	ssr_store_names_scan_fn scan;
	ssr_store_names_match_fn match;
	void *ctx;
} names_read_t;

static int names_scan_row(int n, const char *const *v, void *ctx)
{
	names_read_t *r = ctx;
	(void)n;
	return r->scan(v[0], v[1], strtoull(v[2], NULL, 10), v[3], r->ctx);
}

static int names_match_row(int n, const char *const *v, void *ctx)
{
	names_read_t *r = ctx;
	(void)n;
	ssr_names_row_t row = {.date = v[0],
	                       .zone = v[1],
	                       .domain = v[2],
	                       .brand = v[3],
	                       .kinds = v[4],
	                       .score = strtod(v[5], NULL),
	                       .detail = v[6]};
	return r->match(&row, r->ctx);
}

int ssr_store_names_scans(ssr_store_t *st, const char *from, const char *to,
                          ssr_store_names_scan_fn fn, void *ctx, ssr_diag_t *diag)
{
	names_read_t r = {.scan = fn, .ctx = ctx};
	const char *p[] = {from, to};
	return store_db_exec(st->db,
	                     "SELECT scan_date, zone, delegations, brands FROM names_scan"
	                     " WHERE scan_date >= $1 AND scan_date <= $2 ORDER BY scan_date, zone",
	                     2, p, names_scan_row, &r, diag);
}

int ssr_store_names_matches(ssr_store_t *st, const char *from, const char *to,
                            ssr_store_names_match_fn fn, void *ctx, ssr_diag_t *diag)
{
	names_read_t r = {.match = fn, .ctx = ctx};
	const char *p[] = {from, to};
	return store_db_exec(
	    st->db,
	    "SELECT scan_date, zone, domain, brand, kinds, score, detail FROM names_match"
	    " WHERE scan_date >= $1 AND scan_date <= $2"
	    " ORDER BY scan_date, zone, domain, brand",
	    2, p, names_match_row, &r, diag);
}
