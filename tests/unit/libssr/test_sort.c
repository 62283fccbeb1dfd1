/* tests for src/libssr/sort.c: radix sorts against qsort, stability of pairs */
#include "../test_common.h"
#include "ssrwatch/rng.h"
#include "ssrwatch/sort.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void keys(void **state)
{
	(void)state;
	const size_t sizes[] = {0, 1, 2, 1000, 100003};
	ssr_rng_t r = {42};
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];
		uint64_t *a = malloc((n + 1) * sizeof(uint64_t)),
		         *b = malloc((n + 1) * sizeof(uint64_t)),
		         *t = malloc((n + 1) * sizeof(uint64_t));
		assert_true(a && b && t);
		for (size_t i = 0; i < n; i++) {
			/* every digit position matters: full-width values, some small, some equal
			 */
			a[i] = i % 7 == 0 ? i % 13 : ssr_rng_next(&r);
			b[i] = a[i];
		}
		ssr_sort_u64(a, t, n);
		qsort(b, n, sizeof(uint64_t), cmp_u64);
		assert_memory_equal(a, b, n * sizeof(uint64_t) + (n == 0));
		free(a);
		free(b);
		free(t);
	}
}

static void pairs_stable(void **state)
{
	(void)state;
	enum { N = 50000 };
	ssr_pair_t *a = malloc(2 * N * sizeof(ssr_pair_t));
	assert_non_null(a);
	ssr_rng_t r = {7};
	for (size_t i = 0; i < N; i++) {
		a[i] = (ssr_pair_t){ssr_rng_next(&r) % 1000 * 0x0101010101010101ULL, i};
	}
	ssr_sort_pairs(a, a + N, N);
	for (size_t i = 1; i < N; i++) {
		assert_true(a[i - 1].key <= a[i].key);
		if (a[i - 1].key == a[i].key) {
			assert_true(a[i - 1].value <
			            a[i].value); /* input order kept among equals */
		}
	}
	free(a);
}

/* keys that share digits: the passes they share are skipped, an odd number of passes left */
static void shared_digits(void **state)
{
	(void)state;
	enum { N = 30011 };
	const uint64_t masks[] = {0x00ff00ff000000ffULL, 0xff00000000000000ULL,
	                          0x0000000000000000ULL, 0x00000000000000ffULL,
	                          0xffffffffffffffffULL};
	ssr_rng_t r = {9};
	uint64_t *a = malloc(N * sizeof(uint64_t)), *b = malloc(N * sizeof(uint64_t)),
	         *t = malloc(N * sizeof(uint64_t));
	ssr_pair_t *p = malloc(2 * N * sizeof(ssr_pair_t));
	assert_true(a && b && t && p);
	for (size_t m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
		for (size_t i = 0; i < N; i++) {
			a[i] = b[i] = (ssr_rng_next(&r) & masks[m]) | 0x1200340000560000ULL;
			p[i] = (ssr_pair_t){a[i], i};
		}
		ssr_sort_u64(a, t, N);
		qsort(b, N, sizeof(uint64_t), cmp_u64);
		assert_memory_equal(a, b, N * sizeof(uint64_t));
		ssr_sort_pairs(p, p + N, N);
		for (size_t i = 0; i < N; i++) {
			assert_true(p[i].key == b[i]);
			assert_true(i == 0 || p[i - 1].key != p[i].key ||
			            p[i - 1].value < p[i].value);
		}
	}
	free(a);
	free(b);
	free(t);
	free(p);
}

static void argsort(void **state)
{
	(void)state;
	const double v[] = {3.5, -1.0, 2.0, 3.5, -1.0, 0.0};
	size_t o[6];
	assert_int_equal(ssr_argsort_f64(v, 6, o), SSR_EOK);
	const size_t want[] = {1, 4, 5, 2, 0, 3}; /* ties keep their index order */
	assert_memory_equal(o, want, sizeof want);
	assert_int_equal(ssr_argsort_f64(v, 0, o), SSR_EOK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(keys),
	    cmocka_unit_test(pairs_stable),
	    cmocka_unit_test(shared_digits),
	    cmocka_unit_test(argsort),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
