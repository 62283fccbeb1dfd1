/* tests for src/libabuse/report.c: the period forms of `abuse report --period` */
#include "../test_common.h"
#include "ssrwatch/abuse.h"

static void check(const char *text, const char *from, const char *to)
{
	char f[11], t[11];
	ssr_diag_t d;
	if (ssr_abuse_period_parse(text, f, t, &d) != SSR_EOK) {
		fail_msg("'%s' refused: %s", text, d.msg);
	}
	assert_string_equal(f, from);
	assert_string_equal(t, to);
}

static void periods(void **state)
{
	(void)state;
	check("2026-Q1", "2026-01-01", "2026-03-31");
	check("2026-Q2", "2026-04-01", "2026-06-30");
	check("2026-Q3", "2026-07-01", "2026-09-30");
	check("2026-Q4", "2026-10-01", "2026-12-31");
	check("2026-09", "2026-09-01", "2026-09-30");
	check("2026-02", "2026-02-01", "2026-02-28");
	check("2024-02", "2024-02-01", "2024-02-29");
	check("2026-07-06..2026-08-17", "2026-07-06", "2026-08-17");
	check("2026-07-06..2026-07-06", "2026-07-06", "2026-07-06");
	const char *bad[] = {"2026-Q5",
	                     "2026-Q0",
	                     "2026-13",
	                     "2026",
	                     "Q3-2026",
	                     "2026-08-17..2026-07-06",
	                     "2026-07-06..",
	                     "..2026-07-06",
	                     "2026-02-30..2026-03-01",
	                     ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char f[11], t[11];
		ssr_diag_t d = {0};
		if (ssr_abuse_period_parse(bad[i], f, t, &d) == SSR_EOK) {
			fail_msg("'%s' accepted", bad[i]);
		}
		assert_true(d.msg[0] != '\0');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(periods),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
