/* tests for src/libabuse/fsindex.c: first days across snapshots, spilled runs (tiny memory),
 * several parts, back-fill reads without rewriting, nothing visible before commit, a bad
 * index file refused, every hash saved in order into a shard's state and read back. */
#include <sys/stat.h>

#include "../test_common.h"
#include "../../../src/libabuse/fsindex.h"

static char dir[256];

static int mkdir_tmp(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ssrtest-fsi-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int rm_tmp(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* One snapshot: add hashes [lo, hi) spread over parts, write, look up q, commit. */
static void snapshot(const char *zone, size_t mem, int32_t day, uint64_t lo, uint64_t hi,
                     const uint64_t *q, size_t nq, int32_t *first, int32_t *origin, uint64_t *count)
{
	abuse_fsi_t *f;
	ssr_diag_t d;
	assert_int_equal(abuse_fsi_new(dir, zone, mem, &f, &d), SSR_EOK);
	for (uint64_t h = lo; h < hi; h++) {
		/* a spread-out hash, reversed order, every value twice (dedup) */
		uint64_t v = (hi - 1 - (h - lo)) * 0x9e3779b97f4a7c15ULL;
		assert_int_equal(abuse_fsi_add(f, (unsigned)(h % 3), v), SSR_EOK);
		assert_int_equal(abuse_fsi_add(f, (unsigned)(h % 2), v), SSR_EOK);
	}
	assert_int_equal(abuse_fsi_write_start(f, day, &d), SSR_EOK);
	assert_int_equal(abuse_fsi_lookup(f, day, q, nq, first, origin, &d), SSR_EOK);
	assert_int_equal(abuse_fsi_write_wait(f, count, &d), SSR_EOK);
	assert_int_equal(abuse_fsi_commit(f, &d), SSR_EOK);
	abuse_fsi_free(f);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void first_days(void **state)
{
	(void)state;
	const size_t mems[] = {64u << 20, 1}; /* one buffer; the 1024-hash minimum: many runs */
	for (size_t m = 0; m < 2; m++) {
		char zone[16];
		snprintf(zone, sizeof(zone), "z%zu", m);
		/* q: hashes of values 10 (in every snapshot), 5000 (from the second), 20 (gone in
		 * the third, back in the fourth: a new registration) */
		uint64_t q[3] = {10 * 0x9e3779b97f4a7c15ULL, 5000 * 0x9e3779b97f4a7c15ULL,
		                 20 * 0x9e3779b97f4a7c15ULL};
		qsort(q, 3, sizeof(uint64_t), cmp_u64);
		int32_t first[3], origin;
		uint64_t count;
		/* day 100: values 0..4999 */
		snapshot(zone, mems[m], 100, 0, 5000, q, 2, first, &origin, &count);
		assert_int_equal(count, 5000);
		assert_int_equal(origin, 100);
		/* day 114: 0..5999 */
		snapshot(zone, mems[m], 114, 0, 6000, q, 3, first, &origin, &count);
		assert_int_equal(count, 6000);
		assert_int_equal(origin, 100);
		for (int i = 0; i < 3; i++) {
			int32_t want = q[i] == 5000 * 0x9e3779b97f4a7c15ULL ? 114 : 100;
			assert_int_equal(first[i], want);
		}
		/* day 128: 21..5999 (0..20 deleted) */
		snapshot(zone, mems[m], 128, 21, 6000, q + 1, 0, first, &origin, &count);
		assert_int_equal(count, 5979);
		/* day 142: 0..5999 again: 10 and 20 are new registrations now */
		snapshot(zone, mems[m], 142, 0, 6000, q, 3, first, &origin, &count);
		for (int i = 0; i < 3; i++) {
			int32_t want = q[i] == 5000 * 0x9e3779b97f4a7c15ULL ? 114 : 142;
			assert_int_equal(first[i], want);
		}
		assert_int_equal(origin, 100);
		/* a back-fill (day 107, older than the latest): read, not rewritten */
		char path[400];
		snprintf(path, sizeof(path), "%s/%s.fsi", dir, zone);
		struct stat before, after;
		assert_int_equal(stat(path, &before), 0);
		snapshot(zone, mems[m], 107, 0, 6000, q, 3, first, &origin, &count);
		assert_int_equal(stat(path, &after), 0);
		assert_int_equal(before.st_ino, after.st_ino);
		assert_int_equal(before.st_size, after.st_size);
		assert_int_equal(origin, 100);
	}
}

static void uncommitted_and_corrupt(void **state)
{
	(void)state;
	abuse_fsi_t *f;
	ssr_diag_t d;
	int32_t first[1], origin;
	uint64_t count, q[1] = {42};
	snapshot("u", 1 << 20, 200, 0, 100, q, 0, first, &origin, &count);
	char path[400];
	snprintf(path, sizeof(path), "%s/u.fsi", dir);
	struct stat before;
	assert_int_equal(stat(path, &before), 0);
	/* written but not committed (the store failed): the old index stays, no files left */
	assert_int_equal(abuse_fsi_new(dir, "u", 1 << 20, &f, &d), SSR_EOK);
	for (uint64_t h = 0; h < 5000; h++) {
		assert_int_equal(abuse_fsi_add(f, 0, h * 7919), SSR_EOK);
	}
	assert_int_equal(abuse_fsi_write_start(f, 214, &d), SSR_EOK);
	assert_int_equal(abuse_fsi_write_wait(f, &count, &d), SSR_EOK);
	assert_int_equal(count, 5000);
	abuse_fsi_free(f);
	struct stat after;
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "test $(ls '%s' | grep -c '^u\\.') -eq 1", dir);
	assert_int_equal(system(cmd), 0);
	/* not an index */
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("garbage, not a first-seen index at all", fp);
	fclose(fp);
	assert_int_equal(abuse_fsi_new(dir, "u", 1 << 20, &f, &d), SSR_EOK);
	assert_int_equal(abuse_fsi_add(f, 0, 1), SSR_EOK);
	assert_int_equal(abuse_fsi_lookup(f, 228, q, 1, first, &origin, &d), SSR_ECORRUPT);
	assert_non_null(strstr(d.msg, "not a first-seen index"));
	assert_int_equal(abuse_fsi_write_start(f, 228, &d), SSR_EOK);
	assert_int_equal(abuse_fsi_write_wait(f, &count, &d), SSR_ECORRUPT);
	abuse_fsi_free(f);
	/* a part number out of range */
	assert_int_equal(abuse_fsi_new(dir, "v", 1 << 20, &f, &d), SSR_EOK);
	assert_int_equal(abuse_fsi_add(f, 1000, 1), SSR_EINVAL);
	abuse_fsi_free(f);
}

/* abuse_fsi_save: every distinct hash added, ascending, from runs and buffers alike; an error
 * of the callback stops the walk and comes back. */
typedef struct {
	uint64_t last, n;
	bool ordered;
	uint64_t stop_at;
} walk_t;

static int on_hash(uint64_t h, void *ctx)
{
	walk_t *w = ctx;
	w->ordered &= w->n == 0 || h > w->last;
	w->last = h;
	return ++w->n == w->stop_at ? SSR_ELIMIT : SSR_EOK;
}

static void each_hash(void **state)
{
	(void)state;
	for (size_t mem = 0; mem < 2; mem++) {
		abuse_fsi_t *f;
		ssr_diag_t d;
		assert_int_equal(abuse_fsi_new(dir, "each", mem ? 1 : 64u << 20, &f, &d), SSR_EOK);
		for (uint64_t h = 0; h < 5000; h++) {
			uint64_t v = (5000 - h) * 0x9e3779b97f4a7c15ULL;
			assert_int_equal(abuse_fsi_add(f, (unsigned)(h % 4), v), SSR_EOK);
			assert_int_equal(abuse_fsi_add(f, (unsigned)(h % 3), v), SSR_EOK);
		}
		/* a shard's state: the hashes saved, then read back as a merge reads them */
		ssr_state_buf_t b = {0};
		assert_int_equal(abuse_fsi_save(f, &b, &d), SSR_EOK);
		walk_t w = {.ordered = true};
		ssr_state_rd_t r = {.p = b.p, .n = b.n, .file = "t"};
		assert_int_equal(ssr_state_get_hashes(&r, on_hash, &w), SSR_EOK);
		assert_int_equal(ssr_state_rd_done(&r, &d), SSR_EOK);
		assert_int_equal(w.n, 5000);
		assert_true(w.ordered);
		walk_t s = {.ordered = true, .stop_at = 10};
		r = (ssr_state_rd_t){.p = b.p, .n = b.n, .file = "t"};
		assert_int_equal(ssr_state_get_hashes(&r, on_hash, &s), SSR_ELIMIT);
		assert_int_equal(s.n, 10);
		/* a cut list is a bad state, never a shorter one */
		r = (ssr_state_rd_t){.p = b.p, .n = b.n - 1, .file = "t"};
		walk_t c = {.ordered = true};
		assert_int_equal(ssr_state_get_hashes(&r, on_hash, &c), SSR_EOK);
		assert_int_equal(ssr_state_rd_done(&r, &d), SSR_ECORRUPT);
		ssr_state_buf_release(&b);
		abuse_fsi_free(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(first_days, mkdir_tmp, rm_tmp),
	    cmocka_unit_test_setup_teardown(uncommitted_and_corrupt, mkdir_tmp, rm_tmp),
	    cmocka_unit_test_setup_teardown(each_hash, mkdir_tmp, rm_tmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
