/* ssrwatch — the first-seen index of a zone's delegations (private to libabuse).
 *
 * On disk, one file per zone: a 32-byte header ("SSRFSI1\n", origin day, latest day, count)
 * and count records of {u64 hash of the owner's wire name (ssr_hash64), i32 first day}, sorted
 * by hash.  An ingest collects the hashes of the current delegations (bounded buffers spilled
 * as sorted runs next to the index), merges them with the old index and writes the new one to
 * a temporary file that is renamed into place only after the store has committed.  The merge
 * runs in a background thread while the store is written. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/date.h"
#include "ssrwatch/error.h"
#include "ssrwatch/state.h"

/* Library-internal: not part of the library's interface (hidden when built shared). */
#pragma GCC visibility push(hidden)

typedef struct abuse_fsi abuse_fsi_t;

/* dir: where runs and the index live; mem: bytes for in-memory hashes over all parts. */
int abuse_fsi_new(const char *dir, const char *zone, size_t mem, abuse_fsi_t **out,
                  ssr_diag_t *diag);
void abuse_fsi_free(abuse_fsi_t *f); /* removes runs and an uncommitted new index */
/* Add a delegation's hash from the reader of part (thread per part). */
int abuse_fsi_add(abuse_fsi_t *f, unsigned part, uint64_t hash);
/* Forget everything added (the zone is read again). */
void abuse_fsi_reset(abuse_fsi_t *f);
/* The runs the hashes are added to, for a zone pass to add them itself (the statistics' owner
 * runs: ssr_zone_analyze_opts_t.owner_runs). */
struct ssr_hashrun *abuse_fsi_runs(abuse_fsi_t *f);

/* The distinct hashes added so far into a shard state's payload (ssr_state_put_hashes): a
 * shard's delegations leave with its state instead of going into an index. */
int abuse_fsi_save(abuse_fsi_t *f, ssr_state_buf_t *b, ssr_diag_t *diag);
/* The first day of each of the sorted hashes q[0..n) (all of them current delegations) from the
 * index as it stands, for a snapshot on day: the index's day if it has the hash from an earlier
 * snapshot, else day.  *origin: the index's first snapshot day afterwards. */
int abuse_fsi_lookup(abuse_fsi_t *f, int32_t day, const uint64_t *q, size_t n, int32_t *first,
                     int32_t *origin, ssr_diag_t *diag);
/* Write the new index for a snapshot on day in a background thread: the hashes added, merged
 * with the old index, to a temporary file (pending until abuse_fsi_commit).  An older day than the
 * index's latest snapshot (a back-fill) only reads.  abuse_fsi_write_wait joins the writer and
 * returns its result; *count: the distinct current delegations.  No abuse_fsi_add in between. */
int abuse_fsi_write_start(abuse_fsi_t *f, int32_t day, ssr_diag_t *diag);
int abuse_fsi_write_wait(abuse_fsi_t *f, uint64_t *count, ssr_diag_t *diag);
/* Rename the pending index into place. */
int abuse_fsi_commit(abuse_fsi_t *f, ssr_diag_t *diag);

#pragma GCC visibility pop
