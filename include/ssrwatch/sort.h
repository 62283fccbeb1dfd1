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
/* order[0..n): the indexes 0..n-1 by (k1[i], k2[i]) ascending, ties in index order (two
 * stable radix passes: by k2, then by k1).  Errors: SSR_ENOMEM. */
int ssr_sort_order2(const uint64_t *k1, const uint64_t *k2, size_t n, size_t *order) SSR_CHECK;

/* Bytes from..from+7 of bytes[0..len), big-endian, zero past len: keys whose order is the
 * bytes' order (a shorter prefix first) up to ties, for the radix sorts of names. */
static inline uint64_t ssr_sort_key8(const void *bytes, size_t len, size_t from)
{
	const unsigned char *b = bytes;
	uint64_t k = 0;
	for (size_t j = from; j < from + 8; j++) {
		k = k << 8 | (j < len ? b[j] : 0);
	}
	return k;
}
/* order[0..n): the indexes of v in ascending order of value, ties by index (stable).
 * SSR_EOK or SSR_ENOMEM. */
int ssr_argsort_f64(const double *v, size_t n, size_t *order) SSR_CHECK;
