/* ssrwatch — a set of 64-bit hashes too large for memory: each part (a reader thread) appends
 * to a buffer of its own; a full buffer is sorted (radix), its repeats dropped, and written to a
 * run file; a walk merges the runs and the buffers (k-way heap) into the distinct hashes in
 * ascending order, and says whether any hash was added more than once.  Used by the first-seen
 * index (every delegation's hash) and by the zone statistics (whether an unsorted zone's owners
 * are grouped: no owner run twice). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"

#define SSR_HASHRUN_MAX_PARTS 16

typedef struct ssr_hashrun ssr_hashrun_t;

/* Runs go to files named PATH_PREFIX.run.PID.PART.N (removed by ssr_hashrun_reset/free); parts:
 * the most parts that add; mem: bytes for the buffers of the parts that run at once (as many
 * as the CPUs; 0: 64 MiB), each part at least 1,024 hashes; a part's buffer is allocated when
 * it first adds.
 * Errors: SSR_EINVAL (no parts, more than SSR_HASHRUN_MAX_PARTS), SSR_ENOMEM. */
int ssr_hashrun_new(const char *path_prefix, size_t mem, unsigned parts, ssr_hashrun_t **out,
                    ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4);
void ssr_hashrun_free(ssr_hashrun_t *h);
/* Add a hash from part (each part from one thread at a time).  Errors: SSR_EINVAL (no such
 * part), SSR_ENOMEM, SSR_EIO (a run could not be written); the first error sticks and is the
 * walk's too. */
int ssr_hashrun_add(ssr_hashrun_t *h, unsigned part, uint64_t v);
/* While defer is set for part (off after a reset), its full buffers are written as they are,
 * unsorted, and sorted only if a walk comes: for a caller that will seldom walk (the zone
 * statistics' owners of a zone that is in order, the proof not needed), whose buffers would
 * otherwise each be radix-sorted for nothing.  The walk reads such runs back, sorts them and
 * writes them again. */
void ssr_hashrun_defer(ssr_hashrun_t *h, unsigned part, bool defer);
/* Forget everything added (runs removed). */
void ssr_hashrun_reset(ssr_hashrun_t *h);
/* The number of hashes added so far (repeats included). */
uint64_t ssr_hashrun_count(const ssr_hashrun_t *h);
/* Each distinct hash, ascending, to fn (fn NULL: none; its error stops the walk and is
 * returned); *repeats (optional): whether some hash was added more than once.  The buffers are
 * sorted in place: add nothing after a walk without a reset.
 * Errors: an add's, SSR_EIO (a run file), SSR_ENOMEM, fn's. */
int ssr_hashrun_each(ssr_hashrun_t *h, int (*fn)(uint64_t v, void *ctx), void *ctx, bool *repeats,
                     ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
