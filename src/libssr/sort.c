/* ssrwatch — LSD radix sorts: eight passes of 8-bit digits, every pass's counts taken in one
 * read of the input, a pass skipped when all keys share its digit.  (Four passes of 16-bit
 * digits had scattered each pass over 65,536 destinations: twice the time at 8M hashes.) */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/error.h"
#include "ssrwatch/sort.h"

#define PASSES 8

/* Exclusive prefix sums of each pass's digit counts; whether the pass moves anything. */
static void offsets(size_t count[PASSES][256], size_t n, bool need[PASSES])
{
	for (int k = 0; k < PASSES; k++) {
		size_t sum = 0;
		need[k] = true;
		for (int d = 0; d < 256; d++) {
			size_t c = count[k][d];
			if (c == n) {
				need[k] = false;
			}
			count[k][d] = sum;
			sum += c;
		}
	}
}

void ssr_sort_u64(uint64_t *a, uint64_t *tmp, size_t n)
{
	size_t count[PASSES][256];
	bool need[PASSES];
	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++) {
		uint64_t v = a[i];
		for (int k = 0; k < PASSES; k++) {
			count[k][(v >> (8 * k)) & 0xff]++;
		}
	}
	offsets(count, n, need);
	uint64_t *src = a, *dst = tmp;
	for (int k = 0; k < PASSES; k++) {
		if (!need[k]) {
			continue;
		}
		size_t *c = count[k];
		unsigned shift = 8 * (unsigned)k;
		for (size_t i = 0; i < n; i++) {
			uint64_t v = src[i];
			dst[c[(v >> shift) & 0xff]++] = v;
		}
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != a) {
		memcpy(a, src, n * sizeof(*a));
	}
}

void ssr_sort_pairs(ssr_pair_t *a, ssr_pair_t *tmp, size_t n)
{
	size_t count[PASSES][256];
	bool need[PASSES];
	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++) {
		uint64_t v = a[i].key;
		for (int k = 0; k < PASSES; k++) {
			count[k][(v >> (8 * k)) & 0xff]++;
		}
	}
	offsets(count, n, need);
	ssr_pair_t *src = a, *dst = tmp;
	for (int k = 0; k < PASSES; k++) {
		if (!need[k]) {
			continue;
		}
		size_t *c = count[k];
		unsigned shift = 8 * (unsigned)k;
		for (size_t i = 0; i < n; i++) {
			ssr_pair_t v = src[i];
			dst[c[(v.key >> shift) & 0xff]++] = v;
		}
		ssr_pair_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != a) {
		memcpy(a, src, n * sizeof(*a));
	}
}

int ssr_sort_order2(const uint64_t *k1, const uint64_t *k2, size_t n, size_t *order)
{
	ssr_pair_t *a = malloc((n ? n : 1) * 2 * sizeof(*a));
	if (a == NULL) {
		return SSR_ENOMEM;
	}
	ssr_pair_t *tmp = a + n;
	for (size_t i = 0; i < n; i++) {
		a[i] = (ssr_pair_t){k2[i], i};
	}
	ssr_sort_pairs(a, tmp, n);
	for (size_t i = 0; i < n; i++) {
		a[i].key = k1[a[i].value];
	}
	ssr_sort_pairs(a, tmp, n);
	for (size_t i = 0; i < n; i++) {
		order[i] = a[i].value;
	}
	free(a);
	return SSR_EOK;
}

typedef struct {
	double v;
	size_t i;
} iv_t;

static int cmp_iv(const void *a, const void *b)
{
	const iv_t *x = a, *y = b;
	if (x->v != y->v) {
		return x->v < y->v ? -1 : 1;
	}
	return (x->i > y->i) - (x->i < y->i);
}

int ssr_argsort_f64(const double *v, size_t n, size_t *order)
{
	iv_t *s = malloc((n ? n : 1) * sizeof *s);
	if (!s) {
		return SSR_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		s[i] = (iv_t){v[i], i};
	}
	qsort(s, n, sizeof *s, cmp_iv);
	for (size_t i = 0; i < n; i++) {
		order[i] = s[i].i;
	}
	free(s);
	return SSR_EOK;
}
