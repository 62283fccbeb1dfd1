/* ssrwatch — the store's abuse tables (libstore, abuse.c): snapshots, listings, registrars,
 * domains under management, prices. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/store.h"

/* Errors of every function here that returns int, unless its comment adds more:
 * SSR_ESTORE (the database refused or failed; diag says how, naming the store), SSR_ENOMEM;
 * reads also SSR_ELIMIT (a stored text longer than its field) and SSR_ECORRUPT (a stored value
 * that is not what it must be).  A lookup of one thing says when it is SSR_ENOTFOUND. */

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
int ssr_store_abuse_snapshot_put(ssr_store_t *st, const ssr_abuse_snapshot_t *s,
                                 ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* Rows of the snapshot just put; between rows_begin and rows_end nothing else. */
int ssr_store_abuse_rows_begin(ssr_store_t *st, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
int ssr_store_abuse_row_put(ssr_store_t *st, const char *tld, const char *date,
                            const ssr_abuse_row_t *row, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
int ssr_store_abuse_rows_end(ssr_store_t *st, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* A host name a feed lists under the TLD that imitates a protected name (abuse ingest with
 * brands): one per (host, brand). */
typedef struct {
	const char *host;   /* as the feed wrote it */
	const char *brand;  /* as listed */
	const char *domain; /* the registered domain the listing counts under */
	const char *kinds;  /* kind names, comma-separated */
	double score;
	const char *position; /* "registered" or "subdomain" */
	const char *provider; /* the hosting or dynamic-DNS service the host is under; NULL none */
} ssr_abuse_imitation_t;

/* Inside the transaction of the snapshot just put (whose earlier imitations it deleted). */
int ssr_store_abuse_imitation_put(ssr_store_t *st, const char *tld, const char *date,
                                  const ssr_abuse_imitation_t *im, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 4);
typedef int (*ssr_store_imitation_fn)(const char *tld, const char *date,
                                      const ssr_abuse_imitation_t *im, void *ctx);
/* Imitations of snapshots from..to (inclusive), ordered by TLD, date, host and brand. */
int ssr_store_abuse_imitations(ssr_store_t *st, const char *from, const char *to,
                               ssr_store_imitation_fn fn, void *ctx, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
/* Domains under management per registrar (IANA id) in the TLD on the date. */
int ssr_store_registrar_domains_put(ssr_store_t *st, const char *tld, const char *date,
                                    uint64_t registrar, uint64_t domains,
                                    ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
int ssr_store_registrar_put(ssr_store_t *st, uint64_t iana_id, const char *name,
                            ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* kind "tld" or "registrar"; subject the TLD or the IANA id in decimal; price in decimal. */
int ssr_store_price_put(ssr_store_t *st, const char *kind, const char *subject, const char *date,
                        const char *price, const char *currency, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);

/* The latest snapshot date of tld before date into out (11 bytes); SSR_ENOTFOUND if none. */
int ssr_store_abuse_previous(ssr_store_t *st, const char *tld, const char *date, char out[11],
                             ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* Domains listed and delegated at (tld, date), in domain order. */
typedef int (*ssr_store_domain_fn)(const char *domain, void *ctx);
int ssr_store_abuse_open_listings(ssr_store_t *st, const char *tld, const char *date,
                                  ssr_store_domain_fn fn, void *ctx, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);

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
                              ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* Ordered by tld, domain, date: all of one domain's history comes together. */
int ssr_store_abuse_rows(ssr_store_t *st, const char *to, ssr_store_row_fn fn, void *ctx,
                         ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
int ssr_store_registrar_domains(ssr_store_t *st, const char *to, ssr_store_dum_fn fn, void *ctx,
                                ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
int ssr_store_registrars(ssr_store_t *st, ssr_store_registrar_fn fn, void *ctx,
                         ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
int ssr_store_prices(ssr_store_t *st, ssr_store_price_fn fn, void *ctx, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
