/* ssrwatch — abuse ingest's phases and context, shared by the single run (ingest.c) and the
 * shards and their merge (shard.c).  Private to libabuse. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsindex.h"
#include "imitate.h"
#include "ssrwatch/abuse.h"
#include "ssrwatch/arena.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/zonestats.h"

#pragma GCC visibility push(hidden)

#define PRESENT_BIT (1ull << 63) /* in a map entry's value: delegated in the zone being read */

typedef struct abuse_present abuse_present_t;

typedef struct {
	uint32_t zone;
	uint32_t categories;
	uint64_t feeds; /* bit per feed */
	int32_t feed_first;
	int32_t zone_first;
	bool listed, tracked;
	uint8_t present; /* delegated in its zone (from the map's flags after the pass) */
	uint64_t hash;   /* ssr_hash64 of the wire name */
	const char *text;
	ssr_registration_t reg;
} listing_t;

typedef struct {
	char name[SSR_DNAME_TEXTMAX + 1]; /* "alpha", no trailing dot */
	uint8_t apex[SSR_DNAME_MAXLEN + 1];
	size_t apex_len;
	const char *path;
	json_t *stats;
	abuse_fsi_t *fsi;
	bool index_writing; /* its new first-seen index is being written in the background */
	int32_t origin;
	uint64_t tracked, gone;
	char prev[11];
	uint64_t not_measured;
} zone_t;

/* registrar names and prices, read and checked before the transaction */
typedef struct {
	char *name; /* a registrar name (id), or NULL for a price */
	uint64_t id;
	char *kind, *subject, *date, *price, *currency;
} side_item_t;

typedef struct {
	side_item_t *v;
	size_t n, cap;
} side_t;

typedef struct {
	const ssr_abuse_ingest_opts_t *o;
	int32_t day;
	zone_t *zones;
	size_t nzones;
	ssr_strmap_t map; /* wire name -> listing index */
	listing_t *v;
	size_t n, cap;
	ssr_arena_t text;
	unsigned cur_zone;
	/* feed being read */
	unsigned feed;
	uint64_t feed_not_measured;
	ssr_diag_t *diag;
	int err;
	double t; /* start of the current phase (monotonic seconds) */
	/* one bit per hash slice of a listed domain: most delegations are not listed and are
	 * answered here (cache-resident) without touching the map */
	uint64_t *filter;
	uint64_t filter_mask; /* words - 1 */
	/* per part (reader thread): the last delegations, probed in the filter and the map some
	 * delegations after their memory was prefetched (ingest.c, on_delegation) */
	struct ingest_pending *pend;
	abuse_present_t *present; /* the zone being read: listings for the merge (present.c) */
	abuse_imit_t *imit;       /* with o->names: listed hosts that imitate a protected name */
	side_t side;              /* registrar names and prices, stored with the snapshot */
	/* the zone pass adds every delegation's hash to the first-seen index's runs itself (they
	 * are its owner runs): on_delegation does not */
	bool runs_shared;
	json_t *sum; /* the summary */
	bool map_ok;
} ingest_t;

/* Check the options, probe each zone's SOA (apex, serial against the date): the context every
 * phase works on (released by abuse_ingest_close, also after an error).  imitations: check the
 * listed hosts against o->names (not in shards: the merge does). */
int abuse_ingest_open(ingest_t *in, const ssr_abuse_ingest_opts_t *o, bool imitations,
                      ssr_diag_t *diag);
/* Registrar names and prices read (stored by abuse_ingest_finish); the index directory made. */
int abuse_ingest_side(ingest_t *in, ssr_diag_t *diag);
/* The feeds joined into listings, the previous snapshot's open listings (st may be NULL: none)
 * tracked, the listing filter built. */
int abuse_ingest_listings(ingest_t *in, ssr_store_t *st, ssr_diag_t *diag);
/* The zone reading options with the ingest's delegation callbacks. */
void abuse_ingest_zone_opts(ingest_t *in, ssr_zone_analyze_opts_t *ao);
/* After a zone pass: the delegated flags onto the listings. */
void abuse_ingest_collect_present(ingest_t *in);
/* Zone zi's index holds its delegations, its listings are flagged, its stats are set: the
 * first-seen days looked up and the new index started. */
int abuse_ingest_first_seen(ingest_t *in, unsigned zi, ssr_diag_t *diag);
/* Attribution, the store transaction, the indexes committed. */
int abuse_ingest_finish(ingest_t *in, ssr_store_t *st, ssr_diag_t *diag);
void abuse_ingest_close(ingest_t *in);
/* Presence by merge (present.c): zone zi's listings sorted for the reader parts' cursors (none
 * when a listing is no child of the apex).  Errors: SSR_ENOMEM. */
int abuse_present_begin(ingest_t *in, unsigned zi, ssr_diag_t *diag);
/* A delegation of part's, in the part's order: true when the merge decided it (a listing found
 * is flagged in its map entry), false when it must be probed (no merge, or out of order). */
bool abuse_present_merge(ingest_t *in, const uint8_t *owner, size_t len, unsigned part);
/* A zone pass begins again: every part's cursor unset. */
void abuse_present_restart(ingest_t *in);
/* After a pass: what the merge found flagged in the map entries (as the probes flag it). */
void abuse_present_collect(ingest_t *in);
void abuse_present_end(ingest_t *in);
/* The wall time since the last phase, logged at info level (ssrwatch -v). */
void abuse_ingest_phase(ingest_t *in, const char *what);

#pragma GCC visibility pop
