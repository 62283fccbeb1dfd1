/* tests for src/libzone/rrtype.c: the IANA table compiled in from data/rrtypes.csv */
#include "../test_common.h"
#include "ssrwatch/zone.h"

static void names_by_value(void **state)
{
	(void)state;
	char n[24];
	ssr_rrtype_name(2, n, sizeof(n));
	assert_string_equal(n, "NS");
	ssr_rrtype_name(66, n, sizeof(n));
	assert_string_equal(n, "DSYNC");
	ssr_rrtype_name(262, n, sizeof(n));
	assert_string_equal(n, "WALLET");
	ssr_rrtype_name(32769, n, sizeof(n));
	assert_string_equal(n, "DLV");
	ssr_rrtype_name(255, n, sizeof(n));
	assert_string_equal(n, "ANY");
	ssr_rrtype_name(65280, n, sizeof(n)); /* private use: no name */
	assert_string_equal(n, "TYPE65280");
	ssr_rrtype_name(54, n, sizeof(n)); /* unassigned */
	assert_string_equal(n, "TYPE54");
	ssr_rrtype_name(23, n, 4); /* truncated, terminated */
	assert_string_equal(n, "NSA");
}

static void values_by_text(void **state)
{
	(void)state;
	uint16_t t;
	assert_int_equal(ssr_rrtype_from_text("nsap-ptr", 8, &t), SSR_EOK);
	assert_int_equal(t, 23);
	assert_int_equal(ssr_rrtype_from_text("ReSiNfO", 7, &t), SSR_EOK);
	assert_int_equal(t, 261);
	assert_int_equal(ssr_rrtype_from_text("TYPE65535", 9, &t), SSR_EOK);
	assert_int_equal(t, 65535);
	assert_int_equal(ssr_rrtype_from_text("type1", 5, &t), SSR_EOK);
	assert_int_equal(t, 1);
	assert_int_equal(ssr_rrtype_from_text("TYPE65536", 9, &t), SSR_EPARSE);
	assert_int_equal(ssr_rrtype_from_text("TYPE01", 6, &t), SSR_EPARSE);
	assert_int_equal(ssr_rrtype_from_text("TYPE", 4, &t), SSR_EPARSE);
	assert_int_equal(ssr_rrtype_from_text("ALIAS", 5, &t),
	                 SSR_EPARSE);                                  /* not a registry type */
	assert_int_equal(ssr_rrtype_from_text("NSX", 2, &t), SSR_EOK); /* length counts */
	assert_int_equal(t, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(names_by_value),
	    cmocka_unit_test(values_by_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
