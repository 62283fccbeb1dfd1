/* ssrwatch — the store's zone snapshots (libstore, zone.c): one row per zone and date holding
 * the zone statistics document (docs/FORMATS.md) and the columns reports select on. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/store.h"

/* Errors of every function here that returns int, unless its comment adds more:
 * SSR_ESTORE (the database refused or failed; diag says how, naming the store), SSR_ENOMEM;
 * reads also SSR_ELIMIT (a stored text longer than its field) and SSR_ECORRUPT (a stored value
 * that is not what it must be).  A lookup of one thing says when it is SSR_ENOTFOUND. */

/* A stored snapshot. */
typedef struct {
	char *zone, *date; /* date: YYYY-MM-DD */
	bool has_serial;   /* the zone had an SOA */
	int64_t serial, bytes;
	char *metrics; /* the zone statistics document, JSON text */
} ssr_zone_snapshot_t;

/* Insert or replace the snapshot of zone on date (YYYY-MM-DD).  metrics: the zone statistics
 * document as JSON text; stored in one canonical form (sorted keys, compact), its serial,
 * bytes, records, delegations and signed delegations also as columns.  SSR_EPARSE if it is
 * not a JSON object. */
int ssr_store_zone_snapshot_put(ssr_store_t *st, const char *zone, const char *date,
                                const char *metrics, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* Snapshots ordered by zone, date; zone NULL for all.  *rows (*n of them) is the caller's:
 * ssr_store_zone_snapshots_free.  The documents are handed out as stored (the reader that
 * parses them names one that does not). */
int ssr_store_zone_snapshots(ssr_store_t *st, const char *zone, ssr_zone_snapshot_t **rows,
                             size_t *n, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3, 4);
void ssr_store_zone_snapshots_free(ssr_zone_snapshot_t *rows, size_t n);
