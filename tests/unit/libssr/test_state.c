/* tests for src/libssr/state.c: a state round-trips; merging is the union of entries in any
 * order; every truncation and every flipped byte is an error naming the file, never a crash or
 * a silent success; mismatched heads and shards given twice or missing are refused. */
#include <sys/stat.h>

#include "../test_common.h"
#include "ssrwatch/state.h"

static char *paths_in[2] = {"/zones/com.zone", "/zones/net.zone"};
static uint64_t sizes_in[2] = {1000, 2000};

static ssr_state_head_t head(uint32_t shards, const char *options, const char *date)
{
	ssr_state_head_t h = {.version = 1, .shards = shards, .ninputs = 2};
	snprintf(h.kind, sizeof h.kind, "test.kind");
	snprintf(h.date, sizeof h.date, "%s", date);
	h.options = (char *)options;
	h.input_path = paths_in;
	h.input_size = sizes_in;
	return h;
}

/* Write shard `shard` of `shards` with a payload that names it; returns the path. */
static void write_shard(char *path, size_t cap, uint32_t shard, uint32_t shards,
                        const char *options)
{
	ssr_state_buf_t b = {0};
	ssr_state_put_u32(&b, shard * 7 + 1);
	ssr_state_put_str(&b, "payload");
	ssr_state_put_u64(&b, UINT64_C(0x0102030405060708));
	tmp_write(path, cap, ".state", "", 0);
	ssr_state_head_t h = head(shards, options, "2026-12-07");
	ssr_state_entry_t e = {.shard = shard, .data = b.p, .len = b.n};
	ssr_diag_t d = {0};
	assert_int_equal(ssr_state_write(path, &h, &e, 1, &d), SSR_EOK);
	ssr_state_buf_release(&b);
}

static void round_trip_and_union(void **state)
{
	(void)state;
	char p[4][256];
	for (uint32_t i = 0; i < 4; i++) {
		write_shard(p[i], sizeof p[i], i, 4, "a=1");
	}
	/* any order: the same entries, sorted by shard */
	const char *order[4] = {p[2], p[0], p[3], p[1]};
	ssr_state_set_t set;
	ssr_diag_t d = {0};
	assert_int_equal(ssr_state_gather(order, 4, &set, &d), SSR_EOK);
	assert_int_equal(ssr_state_complete(&set, &d), SSR_EOK);
	assert_string_equal(set.head.kind, "test.kind");
	assert_string_equal(set.head.options, "a=1");
	assert_string_equal(set.head.date, "2026-12-07");
	assert_int_equal(set.head.ninputs, 2);
	assert_string_equal(set.head.input_path[1], "/zones/net.zone");
	assert_int_equal(set.head.input_size[1], 2000);
	for (uint32_t i = 0; i < 4; i++) {
		assert_int_equal(set.entry[i].shard, i);
		ssr_state_rd_t r = {.p = set.entry[i].data, .n = set.entry[i].len};
		assert_int_equal(ssr_state_get_u32(&r), i * 7 + 1);
		char s[16];
		ssr_state_get_str(&r, s, sizeof s);
		assert_string_equal(s, "payload");
		assert_true(ssr_state_get_u64(&r) == UINT64_C(0x0102030405060708));
		assert_int_equal(ssr_state_rd_done(&r, &d), SSR_EOK);
	}
	/* a partial merge saved and merged again equals the direct merge */
	char u[256];
	tmp_write(u, sizeof u, ".state", "", 0);
	ssr_state_set_t half;
	const char *two[2] = {p[3], p[1]};
	assert_int_equal(ssr_state_gather(two, 2, &half, &d), SSR_EOK);
	assert_int_not_equal(ssr_state_complete(&half, &d), SSR_EOK);
	assert_non_null(strstr(d.msg, "shards 1, 3 of 4 missing"));
	assert_int_equal(ssr_state_write(u, &half.head, half.entry, half.n, &d), SSR_EOK);
	ssr_state_set_release(&half);
	const char *again[3] = {p[0], u, p[2]};
	ssr_state_set_t set2;
	assert_int_equal(ssr_state_gather(again, 3, &set2, &d), SSR_EOK);
	assert_int_equal(set2.n, 4);
	for (uint32_t i = 0; i < 4; i++) {
		assert_int_equal(set2.entry[i].len, set.entry[i].len);
		assert_memory_equal(set2.entry[i].data, set.entry[i].data, set.entry[i].len);
	}
	ssr_state_set_release(&set2);
	ssr_state_set_release(&set);
	/* the same shard twice, a missing one */
	const char *dup[3] = {p[0], p[1], p[1]};
	assert_int_equal(ssr_state_gather(dup, 3, &set, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "shard 2 of 4 is also in"));
	for (int i = 0; i < 4; i++) {
		unlink(p[i]);
	}
	unlink(u);
}

static void heads_must_match(void **state)
{
	(void)state;
	char a[256], b[256], c[256];
	write_shard(a, sizeof a, 0, 2, "a=1");
	write_shard(b, sizeof b, 1, 2, "a=2");
	write_shard(c, sizeof c, 1, 3, "a=1");
	ssr_state_set_t set;
	ssr_diag_t d = {0};
	const char *ab[2] = {a, b}, *ac[2] = {a, c};
	assert_int_equal(ssr_state_gather(ab, 2, &set, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "other options"));
	assert_non_null(strstr(d.msg, b));
	assert_int_equal(ssr_state_gather(ac, 2, &set, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "another shard count"));
	unlink(a);
	unlink(b);
	unlink(c);
}

/* Every cut and every flipped byte of a valid state is refused with the file named. */
static void damage_is_refused(void **state)
{
	(void)state;
	char p[256], q[256];
	write_shard(p, sizeof p, 1, 2, "a=1");
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	uint8_t buf[4096];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_true(n > 40 && n < sizeof buf);
	ssr_state_set_t set;
	ssr_diag_t d = {0};
	for (size_t cut = 0; cut < n; cut++) {
		tmp_write(q, sizeof q, ".state", buf, cut);
		const char *one[1] = {q};
		int rc = ssr_state_gather(one, 1, &set, &d);
		if (rc == SSR_EOK || !strstr(d.msg, q)) {
			fail_msg("cut at %zu: %d '%s'", cut, rc, d.msg);
		}
		unlink(q);
	}
	for (size_t at = 0; at < n; at++) {
		uint8_t save = buf[at];
		buf[at] ^= 0x40;
		tmp_write(q, sizeof q, ".state", buf, n);
		const char *one[1] = {q};
		int rc = ssr_state_gather(one, 1, &set, &d);
		if (rc == SSR_EOK || !strstr(d.msg, q)) {
			fail_msg("byte %zu flipped: %d '%s'", at, rc, d.msg);
		}
		unlink(q);
		buf[at] = save;
	}
	unlink(p);
}

static void payload_cursor(void **state)
{
	(void)state;
	uint8_t b[10] = {1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	ssr_state_rd_t r = {.p = b, .n = sizeof b, .base = 100, .file = "f"};
	assert_int_equal(ssr_state_get_u32(&r), 1);
	/* a count of items beyond the bytes left is refused, not allocated */
	assert_int_equal(ssr_state_get_count(&r, 1), 0);
	assert_true(r.bad);
	ssr_diag_t d = {0};
	assert_int_equal(ssr_state_rd_done(&r, &d), SSR_ECORRUPT);
	assert_non_null(strstr(d.msg, "state 'f' offset 104: truncated"));
}

static void shards_parse_and_assign(void **state)
{
	(void)state;
	uint32_t i, n;
	assert_int_equal(ssr_state_shard_parse("3/8", &i, &n), SSR_EOK);
	assert_int_equal(i, 2);
	assert_int_equal(n, 8);
	const char *bad[] = {"0/4", "5/4", "1/0", "x/2", "1/2x", "1", "", "-1/2", "1/100001"};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		assert_int_equal(ssr_state_shard_parse(bad[k], &i, &n), SSR_EINVAL);
	}
	/* largest first to the least loaded shard, ties to the lower shard and the earlier input:
	 * 50 -> 0; 30 -> 1; 30 -> 1 (30 < 50); 20 -> 0 (50 < 60); 10 -> 1 (60 < 70) */
	uint64_t sizes[5] = {10, 50, 30, 30, 20};
	uint32_t to[5];
	ssr_state_assign(sizes, 5, 2, to);
	const uint32_t want[5] = {1, 0, 1, 1, 0};
	assert_memory_equal(to, want, sizeof want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip_and_union),    cmocka_unit_test(heads_must_match),
	    cmocka_unit_test(damage_is_refused),       cmocka_unit_test(payload_cursor),
	    cmocka_unit_test(shards_parse_and_assign),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
