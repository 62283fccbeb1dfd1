/* libabuse internals: listed host names that imitate a protected name (abuse ingest --brands):
 * checked as the feeds are read, stored per TLD with the snapshot, summarised in the report. */
#pragma once

#include <jansson.h>

#include "ssrwatch/error.h"
#include "ssrwatch/names.h"
#include "ssrwatch/store.h"

/* Library-internal: not part of the library's interface (hidden when built shared). */
#pragma GCC visibility push(hidden)

typedef struct abuse_imit abuse_imit_t;

/* Errors: SSR_ENOMEM. */
int abuse_imit_new(const ssr_names_t *nm, double min_score, abuse_imit_t **out);
void abuse_imit_free(abuse_imit_t *im);
/* Check a listed host (as the feed wrote it) whose registered domain is domain (text that
 * lives as long as im) under zone; each (zone, host, brand) is kept once.  A host that is not a
 * host name for the check is skipped.  Errors: SSR_ENOMEM. */
int abuse_imit_check(abuse_imit_t *im, unsigned zone, const char *host, const char *domain);
/* Store zone's imitations (host, brand order) in the open transaction and add their counts
 * to the zone's summary object ("imitating": hosts, domains, by brand and by provider).
 * Errors: the store's. */
int abuse_imit_store(abuse_imit_t *im, ssr_store_t *st, unsigned zone, const char *tld,
                     const char *date, json_t *zsum, ssr_diag_t *diag);
/* The report section for [from, to]: per TLD the hosts and domains of its latest snapshot in
 * the period that imitate a protected name, top brands and providers; NULL when none stored.
 * Errors: the store's, SSR_ENOMEM. */
int abuse_imit_report(ssr_store_t *st, const char *from, const char *to, unsigned top, json_t **out,
                      ssr_diag_t *diag);

#pragma GCC visibility pop
