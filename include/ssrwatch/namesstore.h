/* ssrwatch — the store's misleading-name scans and matches (libstore, names.c). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/store.h"

/* Errors of every function here that returns int, unless its comment adds more:
 * SSR_ESTORE (the database refused or failed; diag says how, naming the store), SSR_ENOMEM;
 * reads also SSR_ELIMIT (a stored text longer than its field) and SSR_ECORRUPT (a stored value
 * that is not what it must be).  A lookup of one thing says when it is SSR_ENOTFOUND. */

typedef struct {
	const char *date, *zone; /* scan date (YYYY-MM-DD) and the zone (TLD) scanned */
	const char *domain;      /* registered domain, A-labels */
	const char *brand;       /* the protected name imitated */
	const char *kinds;       /* comma-separated kind names */
	double score;
	const char *detail;
} ssr_names_row_t;

/* Record that zone was scanned on date (its delegations: the rate's denominator); replaces
 * the matches of an earlier scan of (date, zone).  Put the scan, then its matches. */
int ssr_store_names_scan_put(ssr_store_t *st, const char *date, const char *zone,
                             uint64_t delegations, const char *brands, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
int ssr_store_names_match_put(ssr_store_t *st, const ssr_names_row_t *r, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
typedef int (*ssr_store_names_scan_fn)(const char *date, const char *zone, uint64_t delegations,
                                       const char *brands, void *ctx);
typedef int (*ssr_store_names_match_fn)(const ssr_names_row_t *r, void *ctx);
/* Scans and matches with from <= date <= to, ordered by date, zone (and domain, brand). */
int ssr_store_names_scans(ssr_store_t *st, const char *from, const char *to,
                          ssr_store_names_scan_fn fn, void *ctx, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
int ssr_store_names_matches(ssr_store_t *st, const char *from, const char *to,
                            ssr_store_names_match_fn fn, void *ctx, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
