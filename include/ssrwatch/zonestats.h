/* ssrwatch — identifier-system health statistics of one zone (SSR2 Rec 24, 27, 21).
 *
 * Aggregates records from ssr_zone_read.  Memory is bounded by the NS host tables when the zone
 * lists each owner's records together in canonical or text order (every real TLD dump does);
 * otherwise ssr_zone_stats_analyze reads the file a second time with an owner index in memory,
 * so the figures are exact either way. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/log.h"
#include "ssrwatch/psl.h"
#include "ssrwatch/state.h"
#include "ssrwatch/zone.h"

#define SSR_ZONE_TOP_HOSTERS 20

typedef struct ssr_zone_stats ssr_zone_stats_t;

/* A delegation as counted (owner in wire form, lowercase; hash: ssr_hash64 of it, computed once
 * for every user; ds: it has a DS RRset).  part is the part of the file being read (0 when read
 * in one piece); with parallel parts the function is called from several threads at once.
 * Anything but SSR_EOK stops the analysis. */
typedef int (*ssr_zone_delegation_fn)(const uint8_t *owner, size_t len, uint64_t hash, bool ds,
                                      unsigned part, void *ctx);

typedef struct {
	const ssr_psl_t *psl; /* required: NS host -> registered domain */
	bool owner_index;     /* count distinct owners with an in-memory index (unsorted zones) */
	unsigned top_n;       /* hosters listed; 0: SSR_ZONE_TOP_HOSTERS */
	const uint8_t *apex;  /* preset apex (wire, lowercase) for a later part of a zone; NULL:
	                       * the owner of the first SOA */
	ssr_zone_delegation_fn on_delegation; /* optional: every delegation counted */
	void *delegation_ctx;
	unsigned part; /* handed to on_delegation; the part that adds to owner_runs */
	/* optional (streaming mode): the hash of every owner run counted (with NS or DS), so that
	 * a zone whose owners are not in order can still be proven grouped (no owner twice) */
	struct ssr_hashrun *owner_runs;
} ssr_zone_stats_opts_t;

/* Errors: SSR_EINVAL (bad options), SSR_ENOMEM. */
int ssr_zone_stats_new(const ssr_zone_stats_opts_t *opts, ssr_zone_stats_t **out) SSR_CHECK
    SSR_NONNULL(2);
void ssr_zone_stats_free(ssr_zone_stats_t *st);
/* The ssr_zone_rr_fn to hand to ssr_zone_read (ctx is the stats object).
 * Errors: SSR_ENOMEM. */
int ssr_zone_stats_add(const ssr_zone_rr_t *rr, void *ctx) SSR_CHECK;
/* Close the last owner; after this, ordered() and to_json() are valid.
 * Errors: SSR_ENOMEM. */
int ssr_zone_stats_finish(ssr_zone_stats_t *st) SSR_CHECK;
/* Add the statistics of the part of a zone that follows dst's part (both finished, streaming
 * mode).  A delegation split across the two parts shows up as an order violation.
 * Errors: SSR_EINVAL (statistics of different zones or options), SSR_ENOMEM. */
int ssr_zone_stats_merge(ssr_zone_stats_t *dst, const ssr_zone_stats_t *src) SSR_CHECK;
/* A finished statistics object (streaming mode) appended to a shard state's payload; the
 * reverse builds one from a payload (options as the run that saved it).
 * Errors: SSR_EINVAL (owner-index mode), SSR_ENOMEM; load: SSR_ECORRUPT (r says where). */
int ssr_zone_stats_save(const ssr_zone_stats_t *st, ssr_state_buf_t *b) SSR_CHECK;
int ssr_zone_stats_load(ssr_state_rd_t *r, const ssr_zone_stats_opts_t *opts,
                        ssr_zone_stats_t **out) SSR_CHECK;
/* The caller proved from opts.owner_runs that no owner was counted in two runs: the streamed
 * counts are exact although the owners were not in order (ordered() is true). */
void ssr_zone_stats_grouped(ssr_zone_stats_t *st);
/* False when some owner's records were not contiguous in any accepted order. */
bool ssr_zone_stats_ordered(const ssr_zone_stats_t *st);
/* Build the report object (keys in docs/FORMATS.md). read may be NULL.
 * Errors: SSR_ENOMEM. */
int ssr_zone_stats_to_json(const ssr_zone_stats_t *st, const ssr_zone_read_stats_t *read,
                           json_t **out) SSR_CHECK SSR_NONNULL(3);

typedef struct {
	ssr_zone_opts_t read;
	ssr_zone_stats_opts_t stats;
	const ssr_log_t *log;
	/* Parallel reading of one plain file: 0 picks the number of CPUs for files of 32 MiB and
	 * more; N > 1 splits any file of at least N x 1 MiB into N parts; 1 never splits. */
	unsigned threads;
	/* Called (with stats.delegation_ctx) when a pass is thrown away and the file read again:
	 * every on_delegation call made before it is void. */
	void (*on_restart)(void *ctx);
	/* optional: the number of parallel parts the file was read in (1: in one piece); an
	 * execution detail, not part of the report (the same figures come from any split) */
	unsigned *parts_used;
	/* optional: the caller's hash runs for the proof that an unsorted zone's owners are grouped
	 * (NULL: the analysis makes its own in $TMPDIR).  A streaming pass empties them and adds
	 * the hash of every owner it counts (delegations and owners with DS but no NS, as in
	 * stats.owner_runs); they stay the caller's.  Not used by a pass over more parts than
	 * SSR_HASHRUN_MAX_PARTS or with an owner index. */
	struct ssr_hashrun *owner_runs;
	/* optional: called (with stats.delegation_ctx) as each pass starts, runs_used saying
	 * whether that pass adds every counted owner to owner_runs */
	void (*on_pass)(void *ctx, bool runs_used);
} ssr_zone_analyze_opts_t;

/* Read one zone file and compute its statistics, with a second pass when needed.
 * Errors: the zone reader's (SSR_ENOTFOUND, SSR_EIO, SSR_EPARSE with file and line, SSR_ELIMIT),
 * SSR_ENOSEEK (standard input cannot be read a second time for an unsorted zone), SSR_ENOMEM. */
int ssr_zone_stats_analyze(const char *path, const ssr_zone_analyze_opts_t *opts, json_t **out,
                           ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(3);

#define SSR_ZONE_STATE_KIND    "zone.stats"
#define SSR_ZONE_STATE_VERSION 2 /* 2: the parts carry their owners' hashes */

/* The head of a zone.stats state: the inputs with their sizes, the options that change the
 * figures (engine, top, origin, $INCLUDE; extra: more the caller knows, such as the PSL's
 * source), the date ("" none) and the shard count.  Release with ssr_state_head_release.
 * Errors: SSR_ENOTFOUND (an input), SSR_EINVAL (standard input), SSR_ELIMIT, SSR_ENOMEM. */
int ssr_zone_stats_state_head(const char *const *paths, size_t n,
                              const ssr_zone_analyze_opts_t *opts, const char *extra,
                              uint32_t shards, const char *date, ssr_state_head_t *h,
                              ssr_diag_t *diag) SSR_CHECK;
/* One byte range of a plain zone file cut in count parts at owner boundaries (the parallel
 * parts' rule; a part may be empty), and the reader state it starts from. */
typedef struct {
	uint64_t offset, length;            /* length 0: an empty part (read nothing) */
	bool preset;                        /* a part after the first: start from the below */
	char origin[SSR_DNAME_TEXTMAX + 2]; /* $ORIGIN as text ("com.") */
	uint8_t origin_wire[SSR_DNAME_MAXLEN + 1];
	uint16_t origin_wire_len;
	uint32_t ttl;                       /* $TTL */
	uint8_t apex[SSR_DNAME_MAXLEN + 1]; /* the first SOA's owner (wire, lowercase) */
} ssr_zone_part_t;

/* Part k of count of the plain file at path (size bytes).
 * Errors: the reader's (the SOA is looked for in the first part: SSR_EPARSE without one),
 * SSR_ENOMEM. */
int ssr_zone_part_plan(const char *path, const ssr_zone_opts_t *read, uint64_t size, uint32_t k,
                       uint32_t count, ssr_zone_part_t *out, ssr_diag_t *diag) SSR_CHECK;
/* Can the file be cut in byte ranges (a plain regular file)?  *size gets its size. */
bool ssr_zone_splittable(const char *path, uint64_t *size);

/* Shards (issue 23): shard (0-based) of shards of the inputs' work, its state entry's payload
 * appended to b.  One plain file is split into byte ranges at owner boundaries (the parallel
 * parts' rule; a range may be empty); several files, or one that cannot be split (compressed,
 * standard input), are given whole to the shards, balanced by size (ssr_state_assign).
 * Errors: SSR_EINVAL (--owner-index or keep_going: not in shards), the reader's, SSR_ENOMEM. */
int ssr_zone_stats_shard(const char *const *paths, size_t n, const ssr_zone_analyze_opts_t *opts,
                         uint32_t shard, uint32_t shards, ssr_state_buf_t *b,
                         ssr_diag_t *diag) SSR_CHECK;
/* One part of a shard's work on the file at path, appended to b: with cut_size (the plain file's
 * size) or parts > 1, byte range k of parts (ssr_zone_part_plan) as statistics; otherwise the
 * whole file's report.  Engines that count zones on the way (abuse ingest) call it with their
 * callbacks in opts.  Errors: the reader's, SSR_ENOMEM. */
int ssr_zone_stats_part(const char *path, const ssr_zone_analyze_opts_t *opts, uint32_t k,
                        uint32_t parts, uint64_t cut_size, ssr_state_buf_t *b,
                        ssr_diag_t *diag) SSR_CHECK;
/* The reports of the inputs of head from their parts (ssr_state_parts order; each part's data is
 * what ssr_zone_stats_part wrote), one per input in input order.  Errors as
 * ssr_zone_stats_combine's. */
int ssr_zone_stats_combine_parts(const ssr_state_part_t *parts, size_t n,
                                 const ssr_state_head_t *head, const ssr_zone_analyze_opts_t *opts,
                                 json_t **zones, ssr_diag_t *diag) SSR_CHECK;
/* The reports of a complete set of zone.stats states, one per input in input order: exactly
 * what ssr_zone_stats_analyze gives for each (the parts' statistics merged in file order).
 * Errors: SSR_EINVAL (shards missing; a zone whose $ORIGIN/$TTL changes across a split; a zone
 * not grouped by owner, which only a whole read can count), SSR_ECORRUPT (a payload, naming the
 * file and offset), SSR_ENOMEM. */
int ssr_zone_stats_combine(const ssr_state_set_t *set, const ssr_zone_analyze_opts_t *opts,
                           json_t **zones, ssr_diag_t *diag) SSR_CHECK;

/* The date (YYYY-MM-DD) a statistics snapshot of the file at path stands for: given, if not
 * NULL (SSR_EINVAL when it is not a valid date); else the file's modification day (UTC); else
 * (standard input, a pipe) today (UTC). */
int ssr_zone_snapshot_date(const char *path, const char *given, char out[11],
                           ssr_diag_t *diag) SSR_CHECK;

/* The owner (wire, lowercase) and serial of a zone file's first SOA record, reading no further
 * than that record.
 * Errors: the zone reader's (SSR_ENOTFOUND, SSR_EIO, SSR_EPARSE with file and line). */
int ssr_zone_probe_soa(const char *path, const ssr_zone_opts_t *opts,
                       uint8_t apex[SSR_DNAME_MAXLEN + 1], uint32_t *serial,
                       ssr_diag_t *diag) SSR_CHECK;

/* RFC 4034 Appendix B key tag of DNSKEY rdata. */
uint16_t ssr_dnskey_keytag(const uint8_t *rdata, size_t len);
/* Key size in bits from algorithm and public key field; 0 if unknown. */
unsigned ssr_dnskey_bits(uint8_t algorithm, const uint8_t *key, size_t len);
