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

/* ssr_sort_order2 against qsort by (k1, k2, index); ssr_sort_key8's order is the bytes' */
typedef struct {
	uint64_t k1, k2;
	size_t i;
} kk_t;

static int cmp_kk(const void *a, const void *b)
{
	const kk_t *x = a, *y = b;
	if (x->k1 != y->k1) {
		return x->k1 < y->k1 ? -1 : 1;
	}
	if (x->k2 != y->k2) {
		return x->k2 < y->k2 ? -1 : 1;
	}
	return (x->i > y->i) - (x->i < y->i);
}

static void two_keys(void **state)
{
	(void)state;
	enum { N = 20011 };
	uint64_t *k1 = malloc(N * sizeof(uint64_t)), *k2 = malloc(N * sizeof(uint64_t));
	size_t *order = malloc(N * sizeof(size_t));
	kk_t *ref = malloc(N * sizeof(kk_t));
	assert_true(k1 && k2 && order && ref);
	ssr_rng_t r = {11};
	for (size_t i = 0; i < N; i++) {
		k1[i] = ssr_rng_next(&r) % 50; /* many ties on the first key */
		k2[i] = i % 3 == 0 ? 7 : ssr_rng_next(&r);
		ref[i] = (kk_t){k1[i], k2[i], i};
	}
	assert_int_equal(ssr_sort_order2(k1, k2, N, order), SSR_EOK);
	qsort(ref, N, sizeof(kk_t), cmp_kk);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(order[i], ref[i].i);
	}
	assert_int_equal(ssr_sort_order2(k1, k2, 0, order), SSR_EOK);
	/* byte order of the keys: a shorter prefix first, bytes past 8 in the second key */
	assert_true(ssr_sort_key8("ab", 2, 0) < ssr_sort_key8("ab-", 3, 0));
	assert_true(ssr_sort_key8("ab-", 3, 0) < ssr_sort_key8("ab.", 3, 0));
	assert_true(ssr_sort_key8("abcdefghij", 10, 8) == ssr_sort_key8("ij", 2, 0));
	assert_true(ssr_sort_key8("abcdefgh", 8, 8) == 0);
	free(k1);
	free(k2);
	free(order);
	free(ref);
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
	    cmocka_unit_test(keys),          cmocka_unit_test(pairs_stable),
	    cmocka_unit_test(shared_digits), cmocka_unit_test(two_keys),
	    cmocka_unit_test(argsort),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
