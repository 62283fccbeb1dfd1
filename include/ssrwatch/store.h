/* ssrwatch — the store: one interface over SQLite (embedded default) and PostgreSQL, the same
 * schema on both, versioned migrations.  Every read is ordered so that both backends hand out
 * the same rows in the same order. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/error.h"

typedef struct ssr_store ssr_store_t;

/* uri: a file path or "sqlite:PATH" (SQLite), or "postgresql://..." (libpq connection URI).
 * Creates and migrates the schema; a store from a newer ssrwatch is refused untouched. */
int ssr_store_open(const char *uri, ssr_store_t **out, ssr_diag_t *diag) SSR_CHECK;
/* The same for readers: a missing SQLite file is SSR_ENOTFOUND ("no such file"), not created. */
int ssr_store_open_existing(const char *uri, ssr_store_t **out, ssr_diag_t *diag) SSR_CHECK;
void ssr_store_free(ssr_store_t *st);
int ssr_store_schema_version(ssr_store_t *st, int *version, ssr_diag_t *diag) SSR_CHECK;
/* "sqlite" or "postgresql" */
const char *ssr_store_backend(const ssr_store_t *st);
/* The path of an SQLite store; NULL for PostgreSQL. */
const char *ssr_store_path(const ssr_store_t *st);

/* Make every commit durable on power loss too (SQLite synchronous=FULL; PostgreSQL commits
 * are by default).  For the portal's writer, whose commits answer requests.  wal_max: the
 * SQLite write-ahead log is cut back to this many bytes whenever it is reset
 * (journal_size_limit; 0 none). */
int ssr_store_durable(ssr_store_t *st, uint64_t wal_max, ssr_diag_t *diag) SSR_CHECK;
/* Copy committed WAL pages into the database without blocking readers or the writer (SQLite
 * PASSIVE checkpoint; nothing on PostgreSQL).  A durable store's writer does not checkpoint:
 * another connection calls this periodically.  *wal_bytes (may be NULL): the size of the
 * write-ahead log (0 on PostgreSQL). */
int ssr_store_checkpoint(ssr_store_t *st, uint64_t *wal_bytes, ssr_diag_t *diag) SSR_CHECK;
/* Under steady writes passive checkpoints never catch up and the log grows without end: this
 * copies everything and empties it (SQLite TRUNCATE checkpoint).  It waits for readers (busy
 * timeout), so the writer calls it between its transactions.  *wal_bytes: the size after it
 * (not 0 when a reader held out). */
int ssr_store_wal_truncate(ssr_store_t *st, uint64_t *wal_bytes, ssr_diag_t *diag) SSR_CHECK;

/* One transaction around several puts: nothing is visible until commit, and rollback leaves
 * the store exactly as before begin.  Puts outside begin/commit run in their own. */
int ssr_store_begin(ssr_store_t *st, ssr_diag_t *diag) SSR_CHECK;
int ssr_store_commit(ssr_store_t *st, ssr_diag_t *diag) SSR_CHECK;
void ssr_store_rollback(ssr_store_t *st);

/* ---- zone snapshots -------------------------------------------------------- */

/* Insert or replace the snapshot of zone on date (YYYY-MM-DD).
 * metrics is the zone stats object (docs/FORMATS.md). */
int ssr_store_put_zone_snapshot(ssr_store_t *st, const char *zone, const char *date,
                                json_t *metrics, ssr_diag_t *diag) SSR_CHECK;
/* Snapshots ordered by zone, date; zone NULL for all.  *out is a JSON array of objects
 * {zone, date, serial, bytes, metrics}. */
int ssr_store_zone_history(ssr_store_t *st, const char *zone, json_t **out,
                           ssr_diag_t *diag) SSR_CHECK;

/* ---- abuse ------------------------------------------------------------------ */

/* Dates are "YYYY-MM-DD" strings throughout; NULL for unknown. */
typedef struct {
	const char *tld;
	const char *date;
	const char *zone_file;
	uint64_t zone_size;       /* delegations: the TLD's denominator */
	uint64_t listed;          /* distinct registered domains the feeds list under the TLD */
	uint64_t listed_in_zone;  /* of which delegated in the zone */
	const char *index_origin; /* first snapshot in the first-seen index; NULL: none */
	bool has_registrations;   /* registrar attribution was available */
	const char *feeds;        /* JSON text: per feed counts */
} ssr_abuse_snapshot_t;

/* One domain at one snapshot: every domain a feed lists under the TLD, and every domain that
 * was listed and delegated at the TLD's previous snapshot (to see it go). */
typedef struct {
	const char *domain;
	bool listed;                 /* some feed lists it on this date */
	bool in_zone;                /* delegated in the zone on this date */
	uint32_t categories;         /* bit per ssr_abuse_category_t */
	const char *feeds;           /* feed names, comma-separated, sorted */
	const char *feed_first_seen; /* earliest first_seen a feed gives */
	const char *zone_first_seen; /* first snapshot in the index with the domain delegated */
	const char *created;         /* registration date from registration data */
	uint64_t registrar;          /* IANA id; 0 unknown */
} ssr_abuse_row_t;

/* Replace the snapshot of (tld, date): its old rows are deleted first. */
int ssr_store_abuse_put_snapshot(ssr_store_t *st, const ssr_abuse_snapshot_t *s,
                                 ssr_diag_t *diag) SSR_CHECK;
/* Rows of the snapshot just put; between rows_begin and rows_end nothing else. */
int ssr_store_abuse_rows_begin(ssr_store_t *st, ssr_diag_t *diag) SSR_CHECK;
int ssr_store_abuse_row(ssr_store_t *st, const char *tld, const char *date,
                        const ssr_abuse_row_t *row, ssr_diag_t *diag) SSR_CHECK;
int ssr_store_abuse_rows_end(ssr_store_t *st, ssr_diag_t *diag) SSR_CHECK;
/* Domains under management per registrar (IANA id) in the TLD on the date. */
int ssr_store_put_registrar_domains(ssr_store_t *st, const char *tld, const char *date,
                                    uint64_t registrar, uint64_t domains,
                                    ssr_diag_t *diag) SSR_CHECK;
int ssr_store_put_registrar(ssr_store_t *st, uint64_t iana_id, const char *name,
                            ssr_diag_t *diag) SSR_CHECK;
/* kind "tld" or "registrar"; subject the TLD or the IANA id in decimal; price in decimal. */
int ssr_store_put_price(ssr_store_t *st, const char *kind, const char *subject, const char *date,
                        const char *price, const char *currency, ssr_diag_t *diag) SSR_CHECK;

/* The latest snapshot date of tld before date into out (11 bytes); SSR_ENOTFOUND if none. */
int ssr_store_abuse_previous(ssr_store_t *st, const char *tld, const char *date, char out[11],
                             ssr_diag_t *diag) SSR_CHECK;
/* Domains listed and delegated at (tld, date), in domain order. */
typedef int (*ssr_store_domain_fn)(const char *domain, void *ctx);
int ssr_store_abuse_open_listings(ssr_store_t *st, const char *tld, const char *date,
                                  ssr_store_domain_fn fn, void *ctx, ssr_diag_t *diag) SSR_CHECK;

/* Readers for reports, ordered by their keys; only snapshots up to date `to`. */
typedef int (*ssr_store_snapshot_fn)(const ssr_abuse_snapshot_t *s, void *ctx);
typedef int (*ssr_store_row_fn)(const char *tld, const char *date, const ssr_abuse_row_t *r,
                                void *ctx);
typedef int (*ssr_store_dum_fn)(const char *tld, const char *date, uint64_t registrar,
                                uint64_t domains, void *ctx);
typedef int (*ssr_store_registrar_fn)(uint64_t iana_id, const char *name, void *ctx);
typedef int (*ssr_store_price_fn)(const char *kind, const char *subject, const char *date,
                                  const char *price, const char *currency, void *ctx);
int ssr_store_abuse_snapshots(ssr_store_t *st, const char *to, ssr_store_snapshot_fn fn, void *ctx,
                              ssr_diag_t *diag) SSR_CHECK;
/* Ordered by tld, domain, date: all of one domain's history comes together. */
int ssr_store_abuse_rows(ssr_store_t *st, const char *to, ssr_store_row_fn fn, void *ctx,
                         ssr_diag_t *diag) SSR_CHECK;
int ssr_store_registrar_domains(ssr_store_t *st, const char *to, ssr_store_dum_fn fn, void *ctx,
                                ssr_diag_t *diag) SSR_CHECK;
int ssr_store_registrars(ssr_store_t *st, ssr_store_registrar_fn fn, void *ctx,
                         ssr_diag_t *diag) SSR_CHECK;
int ssr_store_prices(ssr_store_t *st, ssr_store_price_fn fn, void *ctx, ssr_diag_t *diag) SSR_CHECK;

/* ---- misleading names (SSR2 Rec 19) ------------------------------------------------------- */

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
int ssr_store_names_put_scan(ssr_store_t *st, const char *date, const char *zone,
                             uint64_t delegations, const char *brands, ssr_diag_t *diag) SSR_CHECK;
int ssr_store_names_put_match(ssr_store_t *st, const ssr_names_row_t *r,
                              ssr_diag_t *diag) SSR_CHECK;
typedef int (*ssr_store_names_scan_fn)(const char *date, const char *zone, uint64_t delegations,
                                       const char *brands, void *ctx);
typedef int (*ssr_store_names_match_fn)(const ssr_names_row_t *r, void *ctx);
/* Scans and matches with from <= date <= to, ordered by date, zone (and domain, brand). */
int ssr_store_names_scans(ssr_store_t *st, const char *from, const char *to,
                          ssr_store_names_scan_fn fn, void *ctx, ssr_diag_t *diag) SSR_CHECK;
int ssr_store_names_matches(ssr_store_t *st, const char *from, const char *to,
                            ssr_store_names_match_fn fn, void *ctx, ssr_diag_t *diag) SSR_CHECK;
