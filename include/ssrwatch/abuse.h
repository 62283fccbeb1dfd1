/* ssrwatch — abuse activity reporting (SSR2 Rec 11, 13, 14; CCT Rec 16).
 *
 * Ingest: zone snapshots x reputation feeds -> per-domain rows and per-TLD denominators in the
 * store, with the age of every listed domain (registration data or the first-seen index) and
 * its registrar.  Report: metrics per snapshot, TLD, registrar and category from the store
 * (docs/METHODOLOGY.md defines each). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ssrwatch/error.h"
#include "ssrwatch/state.h"
#include "ssrwatch/feed.h"
#include "ssrwatch/log.h"
#include "ssrwatch/psl.h"
#include "ssrwatch/store.h"
#include "ssrwatch/zonestats.h"

/* ---- registrar attribution --------------------------------------------------------- */

/* What attribution knows of one domain. */
typedef struct {
	uint64_t registrar; /* IANA registrar id; 0 unknown */
	int32_t created;    /* registration day (days since 1970); SSR_DAY_NONE unknown */
} ssr_registration_t;

/* Domains under management of a registrar in a TLD (the per-registrar denominator). */
typedef int (*ssr_attrib_dum_fn)(const char *tld, uint64_t registrar, uint64_t domains, void *ctx);
/* Is tld (lowercase, no trailing dot) one being measured? */
typedef bool (*ssr_attrib_tld_fn)(const char *tld, void *ctx);

/* A source of registration data.  The file source below reads a registry export; an RDAP
 * resolver implements the same two calls (attribute per domain, denominators per registrar). */
typedef struct ssr_attrib ssr_attrib_t;
struct ssr_attrib {
	const char *name;
	/* Fill out[i] for domains[i] (registered domains, lowercase A-labels, no trailing dot).
	 * Called once per ingest with every domain of interest. */
	int (*attribute)(ssr_attrib_t *self, const char *const *domains, size_t n,
	                 ssr_registration_t *out, ssr_diag_t *diag);
	/* Hand out the domains under management per (tld, registrar) for the measured TLDs. */
	int (*denominators)(ssr_attrib_t *self, ssr_attrib_tld_fn tld_ok, void *tld_ctx,
	                    ssr_attrib_dum_fn fn, void *ctx, ssr_diag_t *diag);
	void (*free)(ssr_attrib_t *self);
};

/* Registration data file: CSV with a header naming a domain column (domain, domain_name),
 * a registrar IANA id column (registrar_id, iana_id, registrar) and optionally a creation
 * date column (created, creation_date, created_date).  Plain, gzip or zstd.  Bad rows are
 * counted, the first few logged with file and line; a file without one good row is an error.
 * Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (naming file and line), SSR_ELIMIT (a
 * line over its cap), SSR_ENOMEM. */
int ssr_attrib_file_new(const char *path, const ssr_log_t *log, ssr_attrib_t **out,
                        ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(3);

/* IANA registrar id list (CSV: ID, Registrar Name, ...). */
typedef int (*ssr_registrar_name_fn)(uint64_t iana_id, const char *name, void *ctx);
/* Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (naming file and line), SSR_ELIMIT (a
 * line over its cap), SSR_ENOMEM. */
int ssr_registrar_list_read(const char *path, ssr_registrar_name_fn fn, void *ctx,
                            ssr_diag_t *diag) SSR_CHECK;

/* Prices: CSV with a header: tld or registrar (IANA id), price, currency, date. */
typedef int (*ssr_price_fn)(const char *kind, const char *subject, const char *date,
                            const char *price, const char *currency, void *ctx);
/* Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (naming file and line), SSR_ELIMIT (a
 * line over its cap), SSR_ENOMEM. */
int ssr_price_file_read(const char *path, ssr_price_fn fn, void *ctx, ssr_diag_t *diag) SSR_CHECK;

/* ---- ingest -------------------------------------------------------------------------- */

typedef struct {
	ssr_abuse_category_t category;
	const char *name; /* [A-Za-z0-9_.-]+ */
	const char *path;
	ssr_feed_format_t format;
} ssr_abuse_feed_t;

/* "CATEGORY:NAME:FILE" (FILE may contain ':'); name and path are malloc'ed.
 * Errors: SSR_EINVAL (a bad spec or unknown category), SSR_ENOMEM. */
int ssr_abuse_feed_parse(const char *spec, ssr_abuse_feed_t *out, ssr_diag_t *diag) SSR_CHECK;
/* A feeds config file: one "CATEGORY NAME FILE [FORMAT]" per line, '#' comments; relative
 * FILEs are relative to the config file.  Free *out with ssr_abuse_feeds_free.
 * Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (naming file and line), SSR_ELIMIT (a
 * line over its cap), SSR_ENOMEM. */
int ssr_abuse_feeds_config(const char *path, ssr_abuse_feed_t **out, size_t *n,
                           ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(2, 3);
/* Free an array of n feeds (names and paths included). */
void ssr_abuse_feeds_free(ssr_abuse_feed_t *v, size_t n);

#define SSR_ABUSE_MAX_FEEDS 64

typedef struct {
	const char *date; /* the snapshot date, YYYY-MM-DD */
	const char *const *zones;
	size_t nzones;
	const ssr_abuse_feed_t *feeds;
	size_t nfeeds;
	ssr_attrib_t *attrib;     /* optional */
	const char *registrars;   /* optional IANA registrar list (names) */
	const char *prices;       /* optional prices file */
	const char *index_dir;    /* first-seen index directory (created if missing) */
	size_t index_mem;         /* bytes for delegation hashes in memory; 0: 64 MiB */
	bool allow_date_mismatch; /* accept a zone whose SOA serial names another date */
	const ssr_psl_t *psl;
	ssr_zone_analyze_opts_t zone; /* reading options */
	const ssr_log_t *log;
	ssr_feed_reject_fn on_reject;
	void *reject_ctx;
	/* optional: each listed host (as the feed wrote it) is checked against these protected
	 * names (ssr_names_check, the rule of `names check`); the matches at or above
	 * names_min_score are stored with the snapshot (abuse_imitation) and reported */
	const struct ssr_names *names;
	double names_min_score;
} ssr_abuse_ingest_opts_t;

/* One transaction for everything; on any error the store and the index are as before.
 * *summary (optional) describes what was stored: per TLD and per feed counts.
 * Errors: SSR_EINVAL (bad options, a snapshot date mismatch), SSR_ENOTFOUND, SSR_EIO, SSR_EPARSE,
 * SSR_ELIMIT (an input: zone, feed, registrations, prices), SSR_ENOMEM, the store's (SSR_ESTORE,
 * SSR_ENOMEM); nothing is stored unless it all succeeds. */
int ssr_abuse_ingest(ssr_store_t *st, const ssr_abuse_ingest_opts_t *opts, json_t **summary,
                     ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);

/* ---- shards (issue 23) ------------------------------------------------------------------- */

#define SSR_ABUSE_STATE_KIND    "abuse.ingest"
#define SSR_ABUSE_STATE_VERSION 1

/* Shard `shard` (0-based) of `shards` of an ingest, its state written to path: the feeds and the
 * previous snapshot's open listings in st (NULL: the store does not exist yet) read whole; of
 * the zones, one plain file cut in byte ranges at owner boundaries, several given whole to the
 * shards balanced by size.  The state keeps the zone part's statistics, the listings found
 * delegated (by name) and every delegation's hash; nothing is stored.  args: the ingest's
 * arguments as canonical text (no line break), kept in the head for the merge; the head also
 * names each feed with its size and each zone's previous snapshot, so a merge after they changed
 * is refused.  Errors: those of ssr_abuse_ingest before its store phase, SSR_EIO (the state
 * or the temporary directory), SSR_ENOMEM. */
int ssr_abuse_ingest_shard(ssr_store_t *st, const ssr_abuse_ingest_opts_t *o, const char *args,
                           uint32_t shard, uint32_t shards, const char *path,
                           ssr_diag_t *diag) SSR_CHECK;
/* The arguments an abuse.ingest state's shards ran with (malloc'ed into *args).
 * Errors: SSR_EINVAL (not such a state), SSR_ENOMEM. */
int ssr_abuse_state_args(const ssr_state_head_t *h, char **args, ssr_diag_t *diag) SSR_CHECK;
/* The ingest of a complete set of abuse.ingest states with the options they ran with: exactly
 * what ssr_abuse_ingest stores, summarises and writes to the first-seen index.
 * Errors: SSR_EINVAL (shards missing; the feeds, zones or the store's previous snapshots
 * changed since the shards ran; two listed domains with one 64-bit hash), SSR_ECORRUPT (a
 * payload, naming file and offset), and ssr_abuse_ingest's. */
int ssr_abuse_ingest_merge(ssr_store_t *st, const ssr_abuse_ingest_opts_t *o,
                           const ssr_state_set_t *set, json_t **summary, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);

/* ---- report ------------------------------------------------------------------------------ */

typedef struct {
	const char *from, *to;   /* period, inclusive YYYY-MM-DD */
	const char *label;       /* "2026-Q3", "2026-09" or "FROM..TO" */
	unsigned malicious_days; /* age at first listing below this: malicious; 0: 30 */
	unsigned top_n;          /* entities in top lists and the top-N share; 0: 10 */
	double alpha;            /* outlier false discovery rate; 0: 0.05 */
	uint64_t min_abused;     /* fewest abused domains for an outlier test; 0: 5 */
	uint64_t min_domains;    /* fewest domains for an outlier test; 0: 100 */
} ssr_abuse_report_opts_t;

/* "2026-Q3", "2026-09", "2026-07-01..2026-09-30" -> from, to (11 bytes each).
 * Errors: SSR_EINVAL (not a month, quarter, year or date range). */
int ssr_abuse_period_parse(const char *text, char from[11], char to[11],
                           ssr_diag_t *diag) SSR_CHECK;

/* The stored listings as CSV to out (header first; docs/FORMATS.md "abuse listings"): every
 * row in (tld, domain, date) order, only tld's and date's when given (NULL: all); *rows: the
 * rows written (may be NULL).
 * Errors: SSR_EIO (writing out), the store's (SSR_ESTORE, SSR_ECORRUPT for a damaged part,
 * SSR_ENOMEM). */
int ssr_abuse_listings_write(ssr_store_t *st, const char *tld, const char *date, FILE *out,
                             uint64_t *rows, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4);

/* Compute the report from the store (keys in docs/FORMATS.md).
 * Errors: SSR_EINVAL (bad options), SSR_ENOTFOUND (no snapshot in the period), SSR_ENOMEM, the
 * store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_abuse_report(ssr_store_t *st, const ssr_abuse_report_opts_t *opts, json_t **out,
                     ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3);
