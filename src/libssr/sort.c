/* ssrwatch — LSD radix sorts: four passes of 16-bit digits (an even number of passes leaves
 * the result in the input array). */
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/error.h"
#include "ssrwatch/sort.h"

#define DIGITS 65536

/* Exclusive prefix sums of one pass's digit counts. */
static void offsets(size_t *count)
{
	size_t sum = 0;
	for (size_t d = 0; d < DIGITS; d++) {
		size_t c = count[d];
		count[d] = sum;
		sum += c;
	}
}

void ssr_sort_u64(uint64_t *a, uint64_t *tmp, size_t n)
{
	static _Thread_local size_t count[DIGITS];
	uint64_t *src = a, *dst = tmp;
	for (unsigned shift = 0; shift < 64; shift += 16) {
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++) {
			count[(src[i] >> shift) & 0xffff]++;
		}
		offsets(count);
		for (size_t i = 0; i < n; i++) {
			dst[count[(src[i] >> shift) & 0xffff]++] = src[i];
		}
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
}

void ssr_sort_pairs(ssr_pair_t *a, ssr_pair_t *tmp, size_t n)
{
	static _Thread_local size_t count[DIGITS];
	ssr_pair_t *src = a, *dst = tmp;
	for (unsigned shift = 0; shift < 64; shift += 16) {
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++) {
			count[(src[i].key >> shift) & 0xffff]++;
		}
		offsets(count);
		for (size_t i = 0; i < n; i++) {
			dst[count[(src[i].key >> shift) & 0xffff]++] = src[i];
		}
		ssr_pair_t *t = src;
		src = dst;
		dst = t;
	}
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
