/* tests for src/libtraffic/sets.c: exact address sets, and the HyperLogLog sketch's estimates
 * against exact counts over six orders of magnitude, and its merge (register maxima) equal to
 * one sketch of the union. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../test_common.h"
#include "traffic_priv.h"

static void key_of(uint64_t i, uint8_t key[16])
{
	memset(key, 0, 16);
	for (int b = 0; b < 8; b++) {
		key[b] = (uint8_t)(i >> (8 * b));
	}
}

static void exact_sets(void **state)
{
	(void)state;
	aset_t s = {0};
	uint8_t k[16];
	for (uint64_t i = 0; i < 5000; i++) {
		key_of(i % 3000, k); /* 2000 repeats */
		assert_int_equal(traffic_aset_add(&s, k), SSR_EOK);
	}
	assert_int_equal(s.count, 3000);
	traffic_aset_free(&s);
	assert_int_equal(s.count, 0);
}

static void hll_accuracy(void **state)
{
	(void)state;
	/* 3 standard errors (1.04 / sqrt(2^14) = 0.81%): 2.44% */
	const double bound = 3 * 1.04 / sqrt((double)TRAFFIC_HLL_M);
	static const uint64_t sizes[] = {0, 1, 10, 100, 1000, 10000, 30000, 60000, 100000, 1000000};
	uint8_t *reg = calloc(TRAFFIC_HLL_M, 1);
	assert_non_null(reg);
	uint64_t added = 0;
	uint8_t k[16];
	for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
		for (; added < sizes[t]; added++) {
			key_of(added * 0x9e3779b97f4a7c15ULL + 12345, k);
			traffic_hll_add(reg, k);
			traffic_hll_add(reg, k); /* repeats change nothing */
		}
		uint64_t est = traffic_hll_count(reg);
		if (sizes[t] <= 100) {
			assert_int_equal(est, sizes[t]); /* small sets: (almost) exact */
		} else {
			double err = fabs((double)est - (double)sizes[t]) / (double)sizes[t];
			print_message("hll %llu -> %llu (%.3f%%)\n", (unsigned long long)sizes[t],
			              (unsigned long long)est, 100 * err);
			assert_true(err < bound);
		}
	}
	free(reg);
}

static void hll_merge(void **state)
{
	(void)state;
	uint8_t *a = calloc(TRAFFIC_HLL_M, 1), *b = calloc(TRAFFIC_HLL_M, 1),
	        *u = calloc(TRAFFIC_HLL_M, 1);
	assert_true(a && b && u);
	uint8_t k[16];
	for (uint64_t i = 0; i < 50000; i++) { /* a: 0..29999, b: 20000..49999 */
		key_of(i, k);
		if (i < 30000) {
			traffic_hll_add(a, k);
		}
		if (i >= 20000) {
			traffic_hll_add(b, k);
		}
		traffic_hll_add(u, k);
	}
	for (size_t j = 0; j < TRAFFIC_HLL_M; j++) {
		a[j] = a[j] > b[j] ? a[j] : b[j];
	}
	assert_memory_equal(a, u, TRAFFIC_HLL_M);
	free(a);
	free(b);
	free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(exact_sets),
	    cmocka_unit_test(hll_accuracy),
	    cmocka_unit_test(hll_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
