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

/* The ECDSA fast path (OpenSSL) judges every signature of ECDSA-signed zones as libdnssec,
 * the reference, does: the same counts on valid zones, expired ones and zones with a signature
 * changed in memory. */
static void verify_counts(const ssr_zmem_t *z, bool reference, uint64_t *checked, uint64_t *valid,
                          uint64_t *errors)
{
	if (reference) {
		setenv("SSRWATCH_CRYPTO", "libdnssec", 1);
	} else {
		unsetenv("SSRWATCH_CRYPTO");
	}
	ssr_zv_opts_t o = {.now = NOW, .threads = 2};
	ssr_zv_result_t r;
	ssr_diag_t d;
	assert_int_equal(ssr_zmem_verify(z, &o, &r, &d), SSR_EOK);
	*checked = r.signatures_checked;
	*valid = r.signatures_valid;
	*errors = r.errors;
	ssr_zv_result_release(&r);
	unsetenv("SSRWATCH_CRYPTO");
}

static void test_ecdsa_fast_path(void **state)
{
	(void)state;
	static const char *const zones[][2] = {{"secure.", "hierarchy/secure.zone"},
	                                       {".", "hierarchy/root.zone"},
	                                       {"expired.", "hierarchy/expired.zone"},
	                                       {"secure.", "rollover/secure.zone"}};
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/../../data/regress/%s", SSR_TEST_DATA, zones[i][1]);
		ssr_zmem_t z;
		ssr_diag_t d;
		assert_int_equal(ssr_zmem_load(&z, zones[i][0], path, 0, &d), SSR_EOK);
		uint64_t c1, v1, e1, c2, v2, e2;
		verify_counts(&z, true, &c1, &v1, &e1);
		verify_counts(&z, false, &c2, &v2, &e2);
		assert_true(c1 > 0);
		assert_int_equal(c1, c2);
		assert_int_equal(v1, v2);
		assert_int_equal(e1, e2);
		if (i == 0) {
			assert_int_equal(v1, c1); /* a valid zone: every signature verifies */
			/* one signature changed: both find exactly that one */
			for (size_t k = 0; k < z.n; k++) {
				if (z.rr[k].type == 46 && z.rr[k].rdlen > 30) {
					z.rr[k].rdata[z.rr[k].rdlen - 5] ^= 0x01;
					break;
				}
			}
			verify_counts(&z, true, &c1, &v1, &e1);
			verify_counts(&z, false, &c2, &v2, &e2);
			assert_int_equal(v1, c1 - 1);
			assert_int_equal(v2, v1);
			assert_int_equal(e2, e1);
		}
		ssr_zmem_release(&z);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_and_lookup),
	    cmocka_unit_test(test_verify),
	    cmocka_unit_test(test_ecdsa_fast_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
