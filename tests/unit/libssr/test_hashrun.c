/* tests for src/libssr/hashrun.c: the distinct hashes ascending from buffers and spilled runs
 * of several parts; repeats found inside one buffer, across runs and across parts, and not
 * when there are none; a reset forgets; a bad part refused. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
