/* tests for src/libportal/ratelimit.c: the GCRA bucket (a minute's requests at once, then one
 * per 60/limit s, the Retry-After it asks for, keys of any length kept apart) and the login
 * backoff (five free failures, then 2, 4, 8 ... s up to 900, a success clears it). */
#include "../test_common.h"
#include "ratelimit.h"
#include "ssrwatch/error.h"

static void bucket(void **state)
{
	(void)state;
	ratelimit_t r;
	assert_int_equal(portal_ratelimit_init(&r, 1024), SSR_EOK);
	int64_t t = 1800000000;
	int retry = 0;
	for (int i = 0; i < 10; i++) {
		assert_true(portal_ratelimit_hit(&r, "report:192.0.2.1", 10, t, &retry));
	}
	assert_false(portal_ratelimit_hit(&r, "report:192.0.2.1", 10, t, &retry));
	assert_int_equal(retry, 6); /* one request per 6 s comes back */
	/* another key is not affected; a key that differs only after 100 bytes neither */
	assert_true(portal_ratelimit_hit(&r, "report:192.0.2.2", 10, t, &retry));
	char a[300], b[300];
	memset(a, 'k', sizeof a - 1);
	a[sizeof a - 1] = '\0';
	memcpy(b, a, sizeof b);
	b[250] = 'j';
	for (int i = 0; i < 3; i++) {
		assert_true(portal_ratelimit_hit(&r, a, 3, t, &retry));
	}
	assert_false(portal_ratelimit_hit(&r, a, 3, t, &retry));
	assert_true(portal_ratelimit_hit(&r, b, 3, t, &retry));
	/* refilled continuously: after 6 s one more, not two */
	assert_true(portal_ratelimit_hit(&r, "report:192.0.2.1", 10, t + 6, &retry));
	assert_false(portal_ratelimit_hit(&r, "report:192.0.2.1", 10, t + 6, &retry));
	/* after a minute the whole burst again */
	for (int i = 0; i < 10; i++) {
		assert_true(portal_ratelimit_hit(&r, "report:192.0.2.1", 10, t + 70, &retry));
	}
	/* limit 0: no limit */
	for (int i = 0; i < 100; i++) {
		assert_true(portal_ratelimit_hit(&r, "x", 0, t, NULL));
	}
	portal_ratelimit_release(&r);
}

static void backoff(void **state)
{
	(void)state;
	ratelimit_t r;
	assert_int_equal(portal_ratelimit_init(&r, 64), SSR_EOK);
	int64_t t = 1800000000;
	const char *k = "loginfail:admin";
	for (int i = 0; i < BACKOFF_FREE; i++) {
		assert_int_equal(portal_ratelimit_backoff_check(&r, k, t), 0);
		portal_ratelimit_backoff_result(&r, k, false, t);
	}
	/* the fifth failure: wait 2 s, then 4, 8 after each further failure */
	assert_int_equal(portal_ratelimit_backoff_check(&r, k, t), 2);
	assert_int_equal(portal_ratelimit_backoff_check(&r, k, t + 1), 1);
	assert_int_equal(portal_ratelimit_backoff_check(&r, k, t + 2), 0);
	portal_ratelimit_backoff_result(&r, k, false, t + 2);
	assert_int_equal(portal_ratelimit_backoff_check(&r, k, t + 2), 4);
	portal_ratelimit_backoff_result(&r, k, false, t + 6);
	assert_int_equal(portal_ratelimit_backoff_check(&r, k, t + 6), 8);
	/* never more than BACKOFF_MAX_S */
	for (int i = 0; i < 20; i++) {
		portal_ratelimit_backoff_result(&r, k, false, t + 100);
	}
	assert_int_equal(portal_ratelimit_backoff_check(&r, k, t + 100), BACKOFF_MAX_S);
	/* other logins are free; a success clears it */
	assert_int_equal(portal_ratelimit_backoff_check(&r, "loginfail:other", t + 100), 0);
	portal_ratelimit_backoff_result(&r, k, true, t + 1000);
	assert_int_equal(portal_ratelimit_backoff_check(&r, k, t + 1000), 0);
	portal_ratelimit_backoff_result(&r, k, false, t + 1000);
	assert_int_equal(portal_ratelimit_backoff_check(&r, k, t + 1000), 0);
	portal_ratelimit_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bucket),
	    cmocka_unit_test(backoff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
