/* tests for src/libzone/mem.c and verify.c: a zone in memory (canonical order, lookups,
 * canonical rdata) and whole-zone verification (signatures, NSEC chain, ZONEMD, horizon). */
#include <libknot/libknot.h>

#include "../test_common.h"
#include "ssrwatch/zonemem.h"

#define SIM SSR_TEST_DATA "/../../data/rss/sim"
#define NOW 1793491200LL /* 2026-11-01 */

static void test_load_and_lookup(void **state)
{
	(void)state;
	ssr_zmem_t z;
	ssr_diag_t d;
	assert_int_equal(ssr_zmem_load(&z, ".", SIM "/root-2026110100.zone", 0, &d), SSR_EOK);
	assert_int_equal(z.serial, 2026110100u);
	assert_true(z.is_signed);
	/* canonical order: every owner after the one before */
	for (size_t i = 1; i < z.n; i++) {
		assert_true(knot_dname_cmp(z.rr[i - 1].owner, z.rr[i].owner) <= 0);
	}
	size_t lo, hi;
	assert_true(ssr_zmem_rrset(&z,
	                           (const uint8_t *)"\x03"
	                                            "com",
	                           2, 0, &lo, &hi));
	assert_int_equal(hi - lo, 3);
	assert_true(ssr_zmem_rrset(&z,
	                           (const uint8_t *)"\x03"
	                                            "com",
	                           46, 43, &lo, &hi));
	assert_false(ssr_zmem_has_type(&z,
	                               (const uint8_t *)"\x03"
	                                                "com",
	                               1));
	/* root-servers.net. owns nothing but has names below it */
	assert_true(ssr_zmem_is_ent(&z, (const uint8_t *)"\x0c"
	                                                 "root-servers"
	                                                 "\x03"
	                                                 "net"));
	/* at most max_rrs records */
	ssr_zmem_t small;
	assert_int_equal(ssr_zmem_load(&small, ".", SIM "/root-2026110100.zone", 10, &d),
	                 SSR_ELIMIT);
	ssr_zmem_release(&z);
	/* canonical rdata: NS and SOA names lowercased, NSEC's next name kept (RFC 6840 5.1) */
	uint8_t ns[] = "\x02NS\x07"
	               "Example";
	ssr_zmem_canonical_rdata(2, ns, sizeof ns);
	assert_memory_equal(ns,
	                    "\x02ns\x07"
	                    "example",
	                    sizeof ns);
	uint8_t nsec[] = "\x01"
	                 "A\x00\x00\x01\x40";
	ssr_zmem_canonical_rdata(47, nsec, 6);
	assert_int_equal(nsec[1], 'A');
}

static void test_verify(void **state)
{
	(void)state;
	ssr_zmem_t z;
	ssr_diag_t d;
	assert_int_equal(ssr_zmem_load(&z, ".", SIM "/root-2026110100.zone", 0, &d), SSR_EOK);
	ssr_zv_opts_t o = {.now = NOW, .threads = 3};
	ssr_zv_result_t r;
	assert_int_equal(ssr_zmem_verify(&z, &o, &r, &d), SSR_EOK);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 0);
	assert_true(r.nsec && r.chain_checked && !r.nsec3);
	assert_true(r.zonemd_present && r.zonemd_valid);
	assert_int_equal(r.zonemd_checked, 1);
	assert_int_equal(r.signatures_checked, r.signatures_valid);
	assert_true(r.signatures_checked > 40);
	/* 13 root servers' glue, 40 TLDs: the chain holds the apex and every TLD */
	assert_int_equal(r.names_in_chain, 41);
	ssr_zv_result_release(&r);
	/* ten years on, every signature has expired; near the end, each is within the horizon */
	o.now = NOW + 11LL * 365 * 86400;
	assert_int_equal(ssr_zmem_verify(&z, &o, &r, &d), SSR_EOK);
	assert_int_equal(r.errors, r.signatures_checked);
	assert_non_null(strstr(r.problems[0].problem, "expired"));
	ssr_zv_result_release(&r);
	o.now = 2114208000LL; /* 2036-12-30 */
	o.horizon_days = 7;
	assert_int_equal(ssr_zmem_verify(&z, &o, &r, &d), SSR_EOK);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, r.signatures_checked);
	ssr_zv_result_release(&r);
	ssr_zmem_release(&z);
	/* a wrong ZONEMD: found, and the first error is what ssr_zmem_verify_zone says */
	assert_int_equal(ssr_zmem_load(&z, ".", SIM "/bad-zonemd.zone", 0, &d), SSR_EOK);
	o = (ssr_zv_opts_t){.now = NOW};
	assert_int_equal(ssr_zmem_verify(&z, &o, &r, &d), SSR_EOK);
	assert_true(r.zonemd_present && !r.zonemd_valid);
	assert_int_equal(r.errors, 1);
	ssr_zv_result_release(&r);
	bool zonemd;
	assert_int_equal(ssr_zmem_verify_zone(&z, NULL, NOW, &zonemd, &d), SSR_EINVAL);
	assert_true(zonemd);
	assert_non_null(strstr(d.msg, "'.' type 63: ZONEMD SHA-384 digest does not match"));
	ssr_zmem_release(&z);
	/* trust anchor text: DS lines only */
	unsigned n;
	assert_int_equal(ssr_zmem_ds_check("; c\n1 8 2 00aa\n. IN DS 2 8 2 bb cc\n", &n, &d),
	                 SSR_EOK);
	assert_int_equal(n, 2);
	assert_int_equal(ssr_zmem_ds_check("1 8 2\n", &n, &d), SSR_EINVAL);
	assert_int_equal(ssr_zmem_ds_check("; only a comment\n", &n, &d), SSR_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_and_lookup),
	    cmocka_unit_test(test_verify),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
