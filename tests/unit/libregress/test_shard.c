/* tests for src/libregress/shard.c: a run's verdicts saved by shard (targets dealt round
 * robin) and combined back in the run's order, exactly; a shard missing, a verdict missing, a
 * target in the wrong shard refused. */
#include "../test_common.h"
#include "ssrwatch/regress.h"
#include "ssrwatch/state.h"

static const char suite_text[] = "suite: s\n"
                                 "kind: authoritative\n"
                                 "cases:\n"
                                 "  - id: a\n"
                                 "    title: A\n"
                                 "    query: {type: SOA}\n"
                                 "    expect: {rcode: NOERROR}\n"
                                 "  - id: b\n"
                                 "    title: B\n"
                                 "    query: {type: NS}\n"
                                 "    expect: {rcode: NOERROR}\n";

static char suite_path[256];
static ssr_regress_suite_t suite;
static ssr_regress_target_t targets[3];
static ssr_regress_result_t res[6];

static int setup(void **state)
{
	(void)state;
	ssr_diag_t d;
	tmp_write(suite_path, sizeof suite_path, ".yaml", suite_text, sizeof suite_text - 1);
	if (ssr_regress_suite_read(suite_path, &suite, &d) != SSR_EOK) {
		return -1;
	}
	for (int t = 0; t < 3; t++) {
		snprintf(targets[t].name, sizeof targets[t].name, "t%d", t);
		snprintf(targets[t].impl, sizeof targets[t].impl, t ? "knot" : "");
		snprintf(targets[t].version, sizeof targets[t].version, "3.%d", t);
		for (int k = 0; k < 2; k++) {
			ssr_regress_result_t *r = &res[t * 2 + k];
			r->target = &targets[t];
			r->c = &suite.cases[k];
			r->suite = suite.name;
			r->result = (t + k) % 2 ? SSR_RES_FAIL : SSR_RES_PASS;
			snprintf(r->codes, sizeof r->codes, "%s", r->result ? "RCODE" : "");
			snprintf(r->tags, sizeof r->tags, "tag%d%d", t, k);
			snprintf(r->details, sizeof r->details, "details of %d/%d", t, k);
			r->seq = 7;
		}
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ssr_regress_suite_release(&suite);
	unlink(suite_path);
	return 0;
}

/* shard i of n's state into path (n verdicts of res given: nres). */
static void save(const char *path, uint32_t i, uint32_t n, size_t nres)
{
	ssr_diag_t d;
	ssr_state_head_t h;
	ssr_state_buf_t b = {0};
	const char *in[1] = {suite_path};
	assert_int_equal(ssr_state_head_init(&h, SSR_REGRESS_STATE_KIND, SSR_REGRESS_STATE_VERSION,
	                                     "targets=3", "", n, in, 1, "suite", &d),
	                 SSR_EOK);
	assert_int_equal(ssr_regress_shard_save(&suite, 1, targets, 3, i, n, res, nres, &b, &d),
	                 SSR_EOK);
	ssr_state_entry_t e = {.shard = i, .data = b.p, .len = b.n};
	assert_int_equal(ssr_state_write(path, &h, &e, 1, &d), SSR_EOK);
	ssr_state_head_release(&h);
	ssr_state_buf_release(&b);
}

static int combine(const char *const *paths, size_t n, ssr_regress_target_t **tg,
                   ssr_regress_result_t **out, size_t *nout, ssr_diag_t *d)
{
	ssr_state_set_t set;
	int rc = ssr_state_gather(paths, n, &set, d);
	if (rc == SSR_EOK) {
		rc = ssr_regress_shard_combine(&set, &suite, 1, 3, tg, out, nout, d);
		ssr_state_set_release(&set);
	}
	return rc;
}

static void round_trip(void **state)
{
	(void)state;
	for (uint32_t n = 1; n <= 4; n++) {
		char p[4][64];
		const char *paths[4];
		for (uint32_t i = 0; i < n; i++) {
			snprintf(p[i], sizeof p[i], "/tmp/ssrtest-rs-%d-%u-%u", (int)getpid(), n,
			         i);
			save(p[i], i, n, 6);
			paths[n - 1 - i] = p[i]; /* reversed */
		}
		ssr_regress_target_t *tg;
		ssr_regress_result_t *out;
		size_t nout;
		ssr_diag_t d;
		assert_int_equal(combine(paths, n, &tg, &out, &nout, &d), SSR_EOK);
		assert_int_equal(nout, 6);
		for (size_t i = 0; i < 6; i++) {
			assert_string_equal(out[i].target->name, res[i].target->name);
			assert_string_equal(out[i].target->impl, res[i].target->impl);
			assert_string_equal(out[i].target->version, res[i].target->version);
			assert_ptr_equal(out[i].c, res[i].c);
			assert_string_equal(out[i].suite, "s");
			assert_int_equal(out[i].result, res[i].result);
			assert_string_equal(out[i].codes, res[i].codes);
			assert_string_equal(out[i].tags, res[i].tags);
			assert_string_equal(out[i].details, res[i].details);
			assert_true(out[i].seq == UINT64_MAX); /* no record behind a shard */
		}
		free(tg);
		free(out);
		/* one shard short */
		if (n > 1) {
			assert_int_equal(combine(paths, n - 1, &tg, &out, &nout, &d), SSR_EINVAL);
			assert_non_null(strstr(d.msg, "missing"));
		}
		for (uint32_t i = 0; i < n; i++) {
			unlink(p[i]);
		}
	}
}

static void refused(void **state)
{
	(void)state;
	char a[64], b[64];
	snprintf(a, sizeof a, "/tmp/ssrtest-rs-%d-a", (int)getpid());
	snprintf(b, sizeof b, "/tmp/ssrtest-rs-%d-b", (int)getpid());
	const char *paths[2] = {a, b};
	ssr_regress_target_t *tg;
	ssr_regress_result_t *out;
	size_t nout;
	ssr_diag_t d;
	/* the last verdict left out: target 2 (shard 0's of 2) has one case only */
	save(a, 0, 2, 5);
	save(b, 1, 2, 6);
	assert_int_equal(combine(paths, 2, &tg, &out, &nout, &d), SSR_ECORRUPT);
	assert_non_null(strstr(d.msg, "5 verdicts in the states, not 6"));
	/* round robin: 0 and 2 are shard 0's, 1 is shard 1's */
	assert_true(ssr_state_item_has(0, 0, 2));
	assert_true(ssr_state_item_has(2, 0, 2));
	assert_true(ssr_state_item_has(1, 1, 2));
	assert_false(ssr_state_item_has(1, 0, 2));
	assert_false(ssr_state_item_has(1, 0, 0));
	unlink(a);
	unlink(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
