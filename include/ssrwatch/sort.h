/* ssrwatch — LSD radix sorts of 64-bit keys (hashes): linear time, stable, no comparisons; and
 * the order of an array of doubles (for ranks, quantile-based corrections, class breaks). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"

typedef struct {
	uint64_t key;
	uint64_t value;
} ssr_pair_t;

/* Sort a[0..n) ascending; tmp has room for n keys.  The result is in a. */
void ssr_sort_u64(uint64_t *a, uint64_t *tmp, size_t n);
/* Sort a[0..n) by key, ascending and stable; tmp has room for n pairs.  The result is in a. */
void ssr_sort_pairs(ssr_pair_t *a, ssr_pair_t *tmp, size_t n);
/* order[0..n): the indexes of v in ascending order of value, ties by index (stable).
 * SSR_EOK or SSR_ENOMEM. */
int ssr_argsort_f64(const double *v, size_t n, size_t *order) SSR_CHECK;
