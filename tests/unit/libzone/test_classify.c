/* tests for src/libzone/classify.c: the tokenizer's SIMD kernels against the scalar one */
#include "../test_common.h"
#include "ssrwatch/zone.h"
#include "zone_priv.h"

#define BLOCKS 64

/* Random bytes, half of them the characters the classes are about or their neighbours in
 * the nibble tables, the rest any byte (0x80 and up included). */
static void fill(char *p, size_t n, uint64_t *seed)
{
	static const char near[] = " \t\n()\"\\;\r\x08\x0b\x0c\x1a\x21\x29\x2a\x2b\x2c\x2d\x3a\x3c"
	                           "\x3d\x5b\x5d\x59\x02\x00\x30\x50\xa0\xa9\xbb\xdc\xff";
	for (size_t i = 0; i < n; i++) {
		*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned v = (unsigned)(*seed >> 33);
		p[i] = (v & 1) ? near[(v >> 1) % (sizeof(near) - 1)] : (char)(v >> 8);
	}
}

static void kernels_match_scalar(void **state)
{
	(void)state;
	zone_classify_fn scalar, other[3];
	static const ssr_zone_simd_t which[3] = {SSR_ZONE_SIMD_SSE2, SSR_ZONE_SIMD_AVX2,
	                                         SSR_ZONE_SIMD_AUTO};
	assert_int_equal(zone_classifier(SSR_ZONE_SIMD_SCALAR, &scalar), SSR_EOK);
	bool avx2 = __builtin_cpu_supports("avx2");
	for (int k = 0; k < 3; k++) {
		int rc = zone_classifier(which[k], &other[k]);
		assert_int_equal(rc,
		                 which[k] == SSR_ZONE_SIMD_AVX2 && !avx2 ? SSR_EINVAL : SSR_EOK);
		if (rc != SSR_EOK) {
			other[k] = NULL;
		}
	}
	assert_int_equal(zone_classifier((ssr_zone_simd_t)9, &scalar), SSR_EINVAL);
	assert_int_equal(zone_classifier(SSR_ZONE_SIMD_SCALAR, &scalar), SSR_EOK);
	char *buf = malloc(BLOCKS * 64);
	assert_non_null(buf);
	zone_blockmask_t want[BLOCKS], got[BLOCKS];
	uint64_t seed = 7;
	for (int round = 0; round < 400; round++) {
		fill(buf, BLOCKS * 64, &seed);
		/* every byte value at least once in the first round's first 4 blocks */
		if (round == 0) {
			for (int i = 0; i < 256; i++) {
				buf[i] = (char)i;
			}
		}
		scalar(buf, BLOCKS, want);
		for (int k = 0; k < 3; k++) {
			if (other[k] != NULL) {
				memset(got, 0xa5, sizeof(got));
				other[k](buf, BLOCKS, got);
				assert_memory_equal(want, got, sizeof(want));
			}
		}
	}
	/* the scalar kernel itself, byte by byte */
	for (int i = 0; i < 256; i++) {
		memset(buf, 'a', 64);
		buf[i % 64] = (char)i;
		scalar(buf, 1, want);
		uint64_t bit = 1ULL << (i % 64);
		assert_int_equal(want[0].ws, i == ' ' || i == '\t' ? bit : 0);
		assert_int_equal(want[0].nl, i == '\n' ? bit : 0);
		assert_int_equal(want[0].sp, strchr("()\"\\;\r", i) != NULL && i != 0 ? bit : 0);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(kernels_match_scalar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
