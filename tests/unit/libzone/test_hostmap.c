/* tests for src/libzone/hostmap.c: the statistics' NS host map against ssr_strmap (the
 * reference) on random wire names of every length 1-255 (records across cache lines, slot
 * growth, tag collisions by names that differ in one byte), insertion order, values kept
 * through growth, bad lengths refused. */
#include "../test_common.h"
#include "ssrwatch/hash.h"
#include "zone_priv.h"

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void against_strmap(void **state)
{
	(void)state;
	enum { N = 60000, LOOKUPS = 200000 };
	zone_hostmap_t m;
	ssr_strmap_t ref;
	assert_int_equal(zone_hostmap_init(&m), SSR_EOK);
	assert_int_equal(ssr_strmap_init(&ref, 64), SSR_EOK);
	uint8_t(*names)[256] = malloc((size_t)N * 256);
	size_t *lens = malloc(N * sizeof(size_t));
	assert_true(names != NULL && lens != NULL);
	uint64_t x = 0x243f6a8885a308d3ULL;
	for (size_t i = 0; i < N; i++) {
		/* every length; many short ones, as NS hosts are; the second half are the first
		 * half with one byte changed (same length: same bytes up to the last) */
		size_t len = i < 255 ? i + 1 : 1 + rnd(&x) % (rnd(&x) % 4 ? 40 : 255);
		if (i >= N / 2) {
			len = lens[i - N / 2];
			memcpy(names[i], names[i - N / 2], len);
			names[i][rnd(&x) % len] ^= (uint8_t)(1 + rnd(&x) % 255);
		} else {
			for (size_t k = 0; k < len; k++) {
				names[i][k] = (uint8_t)rnd(&x);
			}
		}
		lens[i] = len;
	}
	size_t added = 0;
	for (size_t q = 0; q < LOOKUPS; q++) {
		size_t i = q < N ? q : rnd(&x) % N;
		uint32_t *v;
		bool ins;
		uint64_t h = ssr_hash64(names[i], lens[i]);
		assert_int_equal(zone_hostmap_upsert(&m, h, names[i], lens[i], &v, &ins), SSR_EOK);
		ssr_strmap_entry_t *e;
		bool rins;
		assert_int_equal(ssr_strmap_upsert(&ref, names[i], lens[i], &e, &rins), SSR_EOK);
		assert_int_equal(ins, rins);
		if (ins) {
			assert_int_equal(*v, 0);
			*v = (uint32_t)(added * 7 + 3);
			e->value = *v;
			added++;
		} else {
			assert_int_equal(*v, (uint32_t)e->value);
		}
	}
	assert_int_equal(m.count, ref.count);
	assert_int_equal(m.count, added);
	/* insertion order: the same as the reference's */
	size_t pos = 0;
	ssr_strmap_entry_t *e;
	for (size_t i = 0; (e = ssr_strmap_next(&ref, &pos)) != NULL; i++) {
		size_t len;
		uint32_t v;
		const uint8_t *k = zone_hostmap_at(&m, i, &len, &v);
		assert_int_equal(len, e->len);
		assert_memory_equal(k, e->key, len);
		assert_int_equal(v, (uint32_t)(i * 7 + 3));
		/* a record that fits a cache line does not cross one */
		size_t off = (size_t)(k - 5 - m.rec);
		if (5 + len <= 64) {
			assert_int_equal(off / 64, (off + 5 + len - 1) / 64);
		}
	}
	/* bad lengths */
	uint32_t *v;
	bool ins;
	assert_int_equal(zone_hostmap_upsert(&m, 1, names[0], 0, &v, &ins), SSR_ELIMIT);
	assert_int_equal(zone_hostmap_upsert(&m, 1, names[0], 256, &v, &ins), SSR_ELIMIT);
	free(names);
	free(lens);
	ssr_strmap_release(&ref);
	zone_hostmap_release(&m);
}

/* One hash for every name (the caller gives it): one probe chain, one tag; names told apart
 * by length and bytes alone.  700 names: the slots (1,024 at first) do not grow, which would
 * place them by their real hashes (the map's contract: h is ssr_hash64 of the name). */
static void same_hash(void **state)
{
	(void)state;
	zone_hostmap_t m;
	assert_int_equal(zone_hostmap_init(&m), SSR_EOK);
	const uint64_t h = 0x1234567800000005ULL;
	uint8_t name[64];
	for (int round = 0; round < 2; round++) {
		for (uint32_t i = 0; i < 700; i++) {
			size_t len = 60 - i % 60; /* longest first: a prefix never matches */
			memset(name, 'a', sizeof name);
			name[0] = (uint8_t)(i / 60); /* (i / 60, len) differs for every i */
			uint32_t *v;
			bool ins;
			assert_int_equal(zone_hostmap_upsert(&m, h, name, len, &v, &ins), SSR_EOK);
			assert_int_equal(ins, round == 0);
			if (ins) {
				*v = i + 1;
			} else {
				assert_int_equal(*v, i + 1);
			}
		}
	}
	assert_int_equal(m.count, 700);
	assert_int_equal(m.cap, 1024);
	zone_hostmap_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(against_strmap),
	    cmocka_unit_test(same_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
