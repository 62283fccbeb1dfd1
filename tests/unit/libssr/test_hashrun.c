/* tests for src/libssr/hashrun.c: the distinct hashes ascending from buffers and spilled runs
 * of several parts; repeats found inside one buffer, across runs and across parts, and not
 * when there are none; a reset forgets; a bad part refused; deferred sorting (runs written as
 * added, sorted by the walk) gives the same walk, the same repeats, and really defers. */
#include "../test_common.h"
#include "ssrwatch/hashrun.h"

typedef struct {
	uint64_t n, last;
	bool ordered;
} walk_t;

static int on_v(uint64_t v, void *ctx)
{
	walk_t *w = ctx;
	w->ordered &= w->n == 0 || v > w->last;
	w->last = v;
	w->n++;
	return SSR_EOK;
}

static void walk(ssr_hashrun_t *h, uint64_t want, bool want_repeats)
{
	walk_t w = {.ordered = true};
	bool rep = !want_repeats;
	ssr_diag_t d;
	assert_int_equal(ssr_hashrun_each(h, on_v, &w, &rep, &d), SSR_EOK);
	assert_int_equal(w.n, want);
	assert_true(w.ordered);
	assert_int_equal(rep, want_repeats);
}

static void sets(void **state)
{
	(void)state;
	char prefix[64];
	snprintf(prefix, sizeof prefix, "/tmp/ssrtest-hr-%d", (int)getpid());
	ssr_diag_t d;
	for (int mem = 0; mem < 2; mem++) { /* one buffer each; the 1,024 minimum: many runs */
		ssr_hashrun_t *h;
		assert_int_equal(ssr_hashrun_new(prefix, mem ? 1 : 64u << 20, 3, &h, &d), SSR_EOK);
		for (uint64_t i = 0; i < 10000; i++) {
			assert_int_equal(
			    ssr_hashrun_add(h, (unsigned)(i % 3), i * 0x9e3779b97f4a7c15ULL),
			    SSR_EOK);
		}
		assert_int_equal(ssr_hashrun_count(h), 10000);
		walk(h, 10000, false);
		ssr_hashrun_reset(h);
		/* a repeat in the same part, far apart (another run when runs are small) */
		for (uint64_t i = 0; i < 5000; i++) {
			assert_int_equal(ssr_hashrun_add(h, 0, i), SSR_EOK);
		}
		assert_int_equal(ssr_hashrun_add(h, 0, 17), SSR_EOK);
		walk(h, 5000, true);
		ssr_hashrun_reset(h);
		/* the same value from two parts */
		assert_int_equal(ssr_hashrun_add(h, 1, 42), SSR_EOK);
		assert_int_equal(ssr_hashrun_add(h, 2, 42), SSR_EOK);
		assert_int_equal(ssr_hashrun_add(h, 2, 43), SSR_EOK);
		walk(h, 2, true);
		ssr_hashrun_reset(h);
		walk(h, 0, false);
		assert_int_equal(ssr_hashrun_add(h, 3, 1), SSR_EINVAL);
		ssr_hashrun_free(h);
	}
	assert_int_equal(ssr_hashrun_new(prefix, 0, 0, &(ssr_hashrun_t *){NULL}, &d), SSR_EINVAL);
}

/* The hashes of run file n of part 0 (size in *n); the file must exist. */
static uint64_t *run_file(const char *prefix, unsigned run, size_t *n)
{
	char path[128];
	snprintf(path, sizeof path, "%s.run.%ld.0.%u", prefix, (long)getpid(), run);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	uint64_t *v = malloc(4096 * sizeof(uint64_t));
	assert_non_null(v);
	*n = fread(v, sizeof(uint64_t), 4096, f);
	fclose(f);
	return v;
}

static int collect(uint64_t v, void *ctx)
{
	uint64_t **p = ctx;
	*(*p)++ = v;
	return SSR_EOK;
}

static int cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void deferred(void **state)
{
	(void)state;
	char prefix[64];
	snprintf(prefix, sizeof prefix, "/tmp/ssrtest-hrd-%d", (int)getpid());
	ssr_diag_t d;
	ssr_hashrun_t *h;
	/* the 1,024-hash minimum buffer: a run per 1,024 adds */
	assert_int_equal(ssr_hashrun_new(prefix, 1, 3, &h, &d), SSR_EOK);

	/* deferred: the run file holds the hashes as added (descending here) */
	ssr_hashrun_defer(h, 0, true);
	for (uint64_t i = 0; i < 1500; i++) {
		assert_int_equal(ssr_hashrun_add(h, 0, 5000 - i), SSR_EOK);
	}
	size_t n;
	uint64_t *v = run_file(prefix, 0, &n);
	assert_int_equal(n, 1024);
	assert_true(v[0] == 5000 && v[1023] == 5000 - 1023);
	free(v);
	walk(h, 1500, false);
	/* the walk sorted it in place */
	v = run_file(prefix, 0, &n);
	assert_true(n >= 1024 && v[0] < v[1]);
	free(v);

	/* a reset ends the deferring: the next run is sorted as it is written */
	ssr_hashrun_reset(h);
	for (uint64_t i = 0; i < 1500; i++) {
		assert_int_equal(ssr_hashrun_add(h, 0, 5000 - i), SSR_EOK);
	}
	v = run_file(prefix, 0, &n);
	assert_true(n == 1024 && v[0] == 5000 - 1023 && v[1023] == 5000);
	free(v);
	ssr_hashrun_reset(h);

	/* random hashes in three parts: part 0 deferred throughout, part 1 deferred for its first
	 * runs only, part 2 never; the walk equals the sorted distinct set; a repeat planted in
	 * one deferred run, across two deferred runs, across a deferred and a sorted run, and
	 * between the residual buffer and a deferred run is found each time */
	enum { N = 20000 };
	uint64_t *all = malloc((N + 2048) * sizeof(uint64_t));
	uint64_t *got = malloc((N + 2048) * sizeof(uint64_t));
	assert_true(all != NULL && got != NULL);
	uint64_t x = 88172645463325252ULL;
	for (int plant = -1; plant < 4; plant++) {
		ssr_hashrun_reset(h);
		ssr_hashrun_defer(h, 0, true);
		ssr_hashrun_defer(h, 1, true);
		size_t na = 0;
		uint64_t first0 = 0, first1 = 0;
		for (size_t i = 0; i < N; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			unsigned part = (unsigned)(x >> 61) % 3;
			if (part == 1 && i == N / 2) {
				ssr_hashrun_defer(h, 1, false);
			}
			assert_int_equal(ssr_hashrun_add(h, part, x), SSR_EOK);
			all[na++] = x;
			if (part == 0 && first0 == 0) {
				first0 = x;
			}
			if (part == 1 && first1 == 0) {
				first1 = x;
			}
			if (plant == 0 && i == 100 && part == 0) {
				assert_int_equal(ssr_hashrun_add(h, 0, x), SSR_EOK); /* same run */
			}
		}
		if (plant == 0) {
			assert_int_equal(ssr_hashrun_add(h, 0, first0), SSR_EOK);
		} else if (plant == 1) {
			/* part 0's first hash (in its first run) again after 1,100 more: in
			 * another deferred run */
			for (uint64_t k = 1; k <= 1100; k++) {
				assert_int_equal(ssr_hashrun_add(h, 0, k), SSR_EOK);
				all[na++] = k;
			}
			assert_int_equal(ssr_hashrun_add(h, 0, first0), SSR_EOK);
		} else if (plant == 2) {
			assert_int_equal(ssr_hashrun_add(h, 2, first1), SSR_EOK);
		} else if (plant == 3) {
			assert_int_equal(ssr_hashrun_add(h, 1, first0), SSR_EOK);
		}
		qsort(all, na, sizeof(uint64_t), cmp64);
		uint64_t *end = got;
		bool rep = false;
		assert_int_equal(ssr_hashrun_each(h, collect, &end, &rep, &d), SSR_EOK);
		assert_int_equal((size_t)(end - got), na);
		assert_memory_equal(got, all, na * sizeof(uint64_t));
		assert_int_equal(rep, plant >= 0);
	}
	free(all);
	free(got);
	ssr_hashrun_free(h);
	char path[128];
	snprintf(path, sizeof path, "%s.run.%ld.0.0", prefix, (long)getpid());
	assert_int_equal(access(path, F_OK), -1); /* runs removed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sets),
	    cmocka_unit_test(deferred),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
