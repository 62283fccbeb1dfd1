/* tests for src/libssr/date.c: strict YYYY-MM-DD, leap years, day numbers, round trips */
#include "../test_common.h"
#include "ssrwatch/date.h"
#include "ssrwatch/error.h"

static int32_t parse(const char *s)
{
	int32_t d = -12345;
	int rc = ssr_date_parse(s, strlen(s), &d);
	return rc == SSR_EOK ? d : INT32_MIN;
}

static void parse_and_format(void **state)
{
	(void)state;
	assert_int_equal(parse("1970-01-01"), 0);
	assert_int_equal(parse("1970-01-02"), 1);
	assert_int_equal(parse("1969-12-31"), INT32_MIN); /* before 1970: refused (no DNS yet) */
	assert_int_equal(parse("2000-03-01") - parse("2000-02-28"), 2); /* 2000 is leap */
	assert_int_equal(parse("2100-03-01") - parse("2100-02-28"), 1); /* 2100 is not */
	assert_int_equal(parse("2026-11-23"), 20780);
	assert_int_equal(parse("2024-02-29") - parse("2024-02-28"), 1);
	const char *bad[] = {"2026-02-29",  "2026-13-01", "2026-00-10", "2026-04-31",
	                     "2026-1-01",   "2026-01-1",  "26-01-01",   "2026/01/01",
	                     "2026-01-01x", "",           "abcd-ef-gh", "2026-01-00"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i]) != INT32_MIN) {
			fail_msg("'%s' accepted", bad[i]);
		}
	}
	char out[11];
	for (int32_t d = parse("1970-01-01"); d < parse("2101-01-05"); d += 17) {
		ssr_date_format(d, out);
		assert_int_equal(parse(out), d);
	}
	ssr_date_format(parse("2026-07-06"), out);
	assert_string_equal(out, "2026-07-06");
	int y;
	unsigned m, dd;
	ssr_date_to_civil(parse("2028-02-29"), &y, &m, &dd);
	assert_int_equal(y, 2028);
	assert_int_equal(m, 2);
	assert_int_equal(dd, 29);
	assert_int_equal(ssr_date_from_civil(2026, 11, 23), 20780);
	char ts[21];
	ssr_time_format(0, ts);
	assert_string_equal(ts, "1970-01-01T00:00:00Z");
	ssr_time_format(1795000000, ts);
	assert_string_equal(ts, "2026-11-18T11:06:40Z");
	ssr_time_format(951868799, ts); /* the last second of 2000-02-29 */
	assert_string_equal(ts, "2000-02-29T23:59:59Z");
	/* ssr_time_parse: exactly the form ssr_time_format writes */
	int64_t t = -1;
	assert_int_equal(ssr_time_parse("2000-02-29T23:59:59Z", &t), SSR_EOK);
	assert_int_equal(t, 951868799);
	assert_int_equal(ssr_time_parse("2026-11-18T11:06:40Z", &t), SSR_EOK);
	assert_int_equal(t, 1795000000);
	static const char *const bad_times[] = {"2026-11-18T11:06:40",  "2026-11-18 11:06:40Z",
	                                        "2026-11-18T24:00:00Z", "2026-02-29T00:00:00Z",
	                                        "2026-11-18T11:60:00Z", "2026-11-18T11:06:40Z ",
	                                        "2026-11-18T1:06:40Z"};
	for (size_t i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++) {
		assert_int_equal(ssr_time_parse(bad_times[i], &t), SSR_EPARSE);
	}
	/* today is after this test was written */
	assert_true(ssr_date_today() >= parse("2026-11-23"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse_and_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
