/* tests for src/libssr/hash.c and arena.c */
#include "../test_common.h"
#include "ssrwatch/error.h"
#include "ssrwatch/hash.h"

static void map_insert_find_iterate(void **state)
{
	(void)state;
	ssr_strmap_t m;
	assert_int_equal(ssr_strmap_init(&m, 16), SSR_EOK);
	char key[32];
	for (int i = 0; i < 100000; i++) {
		int l = snprintf(key, sizeof(key), "host%d.example", i);
		ssr_strmap_entry_t *e;
		bool ins;
		assert_int_equal(ssr_strmap_upsert(&m, key, (size_t)l, &e, &ins), SSR_EOK);
		assert_true(ins);
		e->value = (uint64_t)i * 3;
	}
	assert_int_equal(m.count, 100000);
	for (int i = 0; i < 100000; i += 7) {
		int l = snprintf(key, sizeof(key), "host%d.example", i);
		ssr_strmap_entry_t *e = ssr_strmap_find(&m, key, (size_t)l);
		assert_non_null(e);
		assert_int_equal(e->value, (uint64_t)i * 3);
		bool ins = true;
		assert_int_equal(ssr_strmap_upsert(&m, key, (size_t)l, &e, &ins), SSR_EOK);
		assert_false(ins);
	}
	assert_null(ssr_strmap_find(&m, "host100000.example", 18));
	assert_null(ssr_strmap_find(&m, "host1.exampl", 12));
	/* iteration: insertion order, every entry once */
	size_t pos = 0, n = 0;
	ssr_strmap_entry_t *e;
	while ((e = ssr_strmap_next(&m, &pos)) != NULL) {
		assert_int_equal(e->value, n * 3);
		n++;
	}
	assert_int_equal(n, 100000);
	ssr_strmap_release(&m);
}

static void hash_differs_and_is_stable(void **state)
{
	(void)state;
	assert_int_equal(ssr_hash64("abc", 3), ssr_hash64("abc", 3));
	assert_int_not_equal(ssr_hash64("abc", 3), ssr_hash64("abd", 3));
	assert_int_not_equal(ssr_hash64("", 0), ssr_hash64("\0", 1));
	assert_int_not_equal(ssr_hash64("0123456789abcdefX", 17),
	                     ssr_hash64("0123456789abcdefY", 17));
}

static void arena_alignment_and_big_blocks(void **state)
{
	(void)state;
	ssr_arena_t a;
	ssr_arena_init(&a, 128);
	char *p = ssr_arena_alloc(&a, 3);
	char *q = ssr_arena_alloc(&a, 5);
	assert_non_null(p);
	assert_non_null(q);
	assert_int_equal((uintptr_t)q % 8, 0);
	char *big = ssr_arena_alloc(&a, 10000);
	assert_non_null(big);
	memset(big, 1, 10000);
	char *d = ssr_arena_memdup(&a, "hello", 6);
	assert_string_equal(d, "hello");
	assert_true(a.used_total >= 10000 + 16);
	ssr_arena_release(&a);
	assert_null(a.head);
}

/* ssr_mem_equal against memcmp: every length 0-80, equal, and differing in each single byte
 * (the overlapping last word and the 4-byte pairs cover every position). */
static void mem_equal_every_length_and_position(void **state)
{
	(void)state;
	uint8_t a[96], b[96];
	for (size_t i = 0; i < sizeof a; i++) {
		a[i] = (uint8_t)(i * 37 + 11);
	}
	for (size_t n = 0; n <= 80; n++) {
		for (size_t off = 0; off < 3; off++) { /* unaligned starts too */
			memcpy(b, a, sizeof b);
			assert_true(ssr_mem_equal(a + off, b + off, n));
			for (size_t k = 0; k < n; k++) {
				b[off + k] ^= 0x20;
				assert_false(ssr_mem_equal(a + off, b + off, n));
				assert_int_equal(ssr_mem_equal(a + off, b + off, n),
				                 memcmp(a + off, b + off, n) == 0);
				b[off + k] ^= 0x20;
			}
			/* a difference just past the end does not count */
			b[off + n] ^= 1;
			assert_true(ssr_mem_equal(a + off, b + off, n));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(map_insert_find_iterate),
	    cmocka_unit_test(hash_differs_and_is_stable),
	    cmocka_unit_test(mem_equal_every_length_and_position),
	    cmocka_unit_test(arena_alignment_and_big_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
