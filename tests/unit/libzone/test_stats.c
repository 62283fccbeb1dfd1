/* tests for src/libzone/stats.c: hand-computed figures of a real signed zone, unsorted input,
 * owner-index mode, DNSKEY helpers */
#include "../psl_fixture.h"
#include <math.h>

#include "ssrwatch/zonestats.h"

static json_t *analyze(const char *path, bool owner_index, ssr_diag_t *d, int *rc)
{
	ssr_zone_analyze_opts_t o = {0};
	o.stats.psl = psl;
	o.stats.owner_index = owner_index;
	json_t *out = NULL;
	*rc = ssr_zone_stats_analyze(path, &o, &out, d);
	return out;
}

static json_int_t geti(json_t *o, const char *path)
{
	json_t *v = json_object_get(o, path); /* single key */
	assert_non_null(v);
	return json_integer_value(v);
}

static json_t *get(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(json_object_get(o, a), b);
	assert_non_null(v);
	return v;
}

/* tests/data/ssrtest.zone, signed with ldns-signzone (NSEC3, opt-out, salt ab12, 0 iterations,
 * inception 2026-11-01, expiration 2026-12-31; KSK ECDSA P-256 tag 48879, ZSK RSA 1024 tag
 * 14148 as ldns-keygen named them).  Every figure below is counted by hand from the zone. */
static void signed_fixture_hand_computed(void **state)
{
	(void)state;
	ssr_diag_t d;
	int rc;
	json_t *z = analyze(SSR_TEST_DATA "/ssrtest.signed.zone", false, &d, &rc);
	assert_int_equal(rc, SSR_EOK);
	assert_string_equal(json_string_value(json_object_get(z, "zone")), "ssrtest");
	assert_int_equal(geti(z, "serial"), 2026112301);
	assert_int_equal(json_integer_value(get(z, "records", "total")), 49);
	json_t *bt = get(z, "records", "by_type");
	assert_int_equal(json_integer_value(json_object_get(bt, "NS")), 15);
	assert_int_equal(json_integer_value(json_object_get(bt, "RRSIG")), 15);
	assert_int_equal(json_integer_value(json_object_get(bt, "NSEC3")), 8);
	assert_int_equal(json_integer_value(json_object_get(bt, "DS")), 4);
	/* nic alpha bravo charlie delta echo xn--bcher-kva */
	assert_int_equal(geti(z, "delegations"), 7);
	assert_int_equal(geti(z, "signed_delegations"), 3);
	assert_true(fabs(json_real_value(json_object_get(z, "signed_share")) - 0.428571) < 1e-9);
	assert_int_equal(geti(z, "idn_delegations"), 1);
	json_t *algs = get(z, "ds", "algorithms");
	assert_int_equal(json_object_size(algs), 3);
	assert_int_equal(json_integer_value(json_object_get(algs, "8")), 2);
	assert_int_equal(json_integer_value(json_object_get(algs, "13")), 1);
	assert_int_equal(json_integer_value(json_object_get(algs, "15")), 1);
	json_t *dts = get(z, "ds", "digest_types");
	assert_int_equal(json_integer_value(json_object_get(dts, "2")), 3);
	assert_int_equal(json_integer_value(json_object_get(dts, "4")), 1);
	json_t *keys = json_object_get(z, "dnskey");
	assert_int_equal(json_array_size(keys), 2);
	json_t *zsk = json_array_get(keys, 0), *ksk = json_array_get(keys, 1);
	assert_int_equal(geti(zsk, "key_tag"), 14148);
	assert_int_equal(geti(zsk, "algorithm"), 8);
	assert_int_equal(geti(zsk, "bits"), 1024);
	assert_int_equal(geti(zsk, "flags"), 256);
	assert_int_equal(geti(ksk, "key_tag"), 48879);
	assert_int_equal(geti(ksk, "algorithm"), 13);
	assert_int_equal(geti(ksk, "bits"), 256);
	assert_string_equal(json_string_value(json_object_get(ksk, "role")), "KSK");
	json_t *den = json_object_get(z, "denial");
	assert_string_equal(json_string_value(json_object_get(den, "type")), "nsec3");
	assert_int_equal(geti(den, "iterations"), 0);
	assert_int_equal(geti(den, "salt_length"), 2);
	assert_true(json_is_true(json_object_get(den, "opt_out")));
	assert_int_equal(geti(den, "nsec3_records"), 8);
	json_t *sig = json_object_get(z, "rrsig");
	assert_int_equal(geti(sig, "records"), 15);
	assert_string_equal(json_string_value(json_object_get(sig, "earliest_expiration")),
	                    "2026-12-31T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(sig, "latest_inception")),
	                    "2026-11-01T00:00:00Z");
	json_t *ns = json_object_get(z, "ns");
	assert_int_equal(geti(ns, "records"), 13);
	assert_int_equal(geti(ns, "apex_records"), 2);
	assert_int_equal(geti(ns, "distinct_hosts"), 7);
	assert_int_equal(geti(ns, "host_domains"), 5);
	json_t *hist = json_object_get(ns, "hosts_per_delegation");
	assert_int_equal(json_integer_value(json_object_get(hist, "1")), 2);
	assert_int_equal(json_integer_value(json_object_get(hist, "2")), 4);
	assert_int_equal(json_integer_value(json_object_get(hist, "3")), 1);
	json_t *top = json_object_get(ns, "top");
	assert_int_equal(json_array_size(top), 5);
	assert_string_equal(json_string_value(json_object_get(json_array_get(top, 0), "domain")),
	                    "cloudhost.com");
	assert_int_equal(geti(json_array_get(top, 0), "delegations"), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(top, 1), "domain")),
	                    "otherdns.co.uk");
	/* HHI = (4^2 + 2^2 + 1 + 1 + 1) / 9^2 * 10000 */
	json_t *conc = json_object_get(ns, "concentration");
	assert_true(fabs(json_real_value(json_object_get(conc, "hhi")) - 23.0 / 81.0 * 10000) <
	            1e-5);
	assert_int_equal(geti(conc, "served_total"), 9);
	assert_int_equal(geti(json_object_get(z, "glue"), "a"), 2);
	assert_int_equal(geti(json_object_get(z, "glue"), "aaaa"), 1);
	assert_string_equal(json_string_value(json_object_get(z, "owner_index")), "streaming");
	json_decref(z);
}

/* The lines of a one-record-per-line zone out of order: reversed (every owner still in one
 * run: counted in one pass, proven grouped by the owner runs' hashes) and interleaved (owners
 * split in two runs: read again with the owner index); the same figures every time. */
static void unsorted_zone_same_figures(void **state)
{
	(void)state;
	ssr_diag_t d;
	int rc;
	json_t *a = analyze(SSR_TEST_DATA "/ssrtest.signed.zone", false, &d, &rc);
	assert_int_equal(rc, SSR_EOK);
	FILE *f = fopen(SSR_TEST_DATA "/ssrtest.signed.zone", "r");
	char *lines[256];
	size_t n = 0;
	char buf[4096];
	while (fgets(buf, sizeof(buf), f) != NULL && n < 256) {
		lines[n++] = strdup(buf);
	}
	fclose(f);
	const char *keys[] = {"delegations",
	                      "signed_delegations",
	                      "idn_delegations",
	                      "ns",
	                      "ds",
	                      "glue",
	                      "denial",
	                      "dnskey",
	                      "rrsig",
	                      "records",
	                      "serial"};
	for (int order = 0; order < 2; order++) {
		/* keep the SOA first; then the rest reversed, or every other line then the others
		 */
		char path[256];
		tmp_text(path, sizeof(path), "");
		FILE *o = fopen(path, "w");
		for (size_t i = 0; i < n; i++) {
			if (strstr(lines[i], "\tSOA\t") != NULL) {
				fputs(lines[i], o);
			}
		}
		for (size_t k = 0; k < n; k++) {
			size_t i = order == 0
			               ? n - 1 - k
			               : (k < (n + 1) / 2 ? 2 * k : 2 * (k - (n + 1) / 2) + 1);
			if (strstr(lines[i], "\tSOA\t") == NULL) {
				fputs(lines[i], o);
			}
		}
		fclose(o);
		json_t *b = analyze(path, false, &d, &rc);
		assert_int_equal(rc, SSR_EOK);
		assert_string_equal(json_string_value(json_object_get(b, "owner_index")),
		                    order == 0 ? "streaming" : "memory");
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			assert_true(
			    json_equal(json_object_get(a, keys[i]), json_object_get(b, keys[i])));
		}
		json_decref(b);
		unlink(path);
	}
	for (size_t i = 0; i < n; i++) {
		free(lines[i]);
	}
	/* owner-index mode on the sorted file gives the same figures too */
	json_t *c = analyze(SSR_TEST_DATA "/ssrtest.signed.zone", true, &d, &rc);
	assert_int_equal(rc, SSR_EOK);
	assert_true(json_equal(json_object_get(a, "ns"), json_object_get(c, "ns")));
	assert_int_equal(geti(c, "delegations"), 7);
	json_decref(a);
	json_decref(c);
}

static void dnskey_helpers(void **state)
{
	(void)state;
	uint8_t key[140] = {3, 0x01, 0x00, 0x01};
	memset(key + 4, 0xab, 128);
	assert_int_equal(ssr_dnskey_bits(8, key, 132), 1024);
	key[4] = 0x0f;
	assert_int_equal(ssr_dnskey_bits(8, key, 132), 1020);
	uint8_t long_exp[8] = {0, 0, 2, 1, 1, 0x80, 0x00, 0x01};
	assert_int_equal(ssr_dnskey_bits(10, long_exp, 8), 24);
	assert_int_equal(ssr_dnskey_bits(13, key, 64), 256);
	assert_int_equal(ssr_dnskey_bits(14, key, 96), 384);
	assert_int_equal(ssr_dnskey_bits(15, key, 32), 256);
	assert_int_equal(ssr_dnskey_bits(16, key, 57), 456);
	assert_int_equal(ssr_dnskey_bits(8, key, 2), 0);
	assert_int_equal(ssr_dnskey_bits(200, key, 32), 0);
	/* RFC 4034 B: sum of 16-bit words plus carry; flags 257 proto 3 alg 8, key 0x0102 */
	uint8_t rd[6] = {0x01, 0x01, 0x03, 0x08, 0x01, 0x02};
	assert_int_equal(ssr_dnskey_keytag(rd, 6), (0x0101 + 0x0308 + 0x0102) & 0xffff);
}

static void stdin_like_unsorted_is_refused(void **state)
{
	(void)state;
	/* not rewindable: a pipe */
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	const char *z =
	    "t. 60 IN SOA a. b. 1 2 3 4 5\nb.t. NS ns.x.\na.t. NS ns.x.\nb.t. DS 1 8 2 00\n";
	assert_int_equal(write(fds[1], z, strlen(z)), (ssize_t)strlen(z));
	close(fds[1]);
	char path[64];
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	ssr_diag_t d;
	int rc;
	json_t *j = analyze(path, false, &d, &rc);
	assert_int_equal(rc, SSR_ENOSEEK);
	assert_null(j);
	assert_non_null(strstr(d.msg, "cannot be read twice"));
	close(fds[0]);
}

/* A random lowercase owner under apex (wire): one label (from bytes around the ones that order
 * differently in text and in canonical form: '-', '.', '/', '0', 'a', 'b', 0, 0xff), now and
 * then two labels. */
static size_t random_owner(uint64_t *seed, const uint8_t *apex, size_t apex_len, uint8_t *out)
{
	static const uint8_t alpha[] = {'-', '.', '/', '0', 'a', 'b', 0, 0xff, 'a', 'b'};
	size_t o = 0;
	*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
	unsigned labels = (*seed >> 60) == 0 ? 2 : 1;
	for (unsigned k = 0; k < labels; k++) {
		*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned n = 1 + (unsigned)(*seed >> 33) % 4;
		out[o++] = (uint8_t)n;
		for (unsigned i = 0; i < n; i++) {
			*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
			out[o++] = alpha[(*seed >> 35) % sizeof(alpha)];
		}
	}
	memcpy(out + o, apex, apex_len);
	return o + apex_len;
}

/* Whether a zone is in canonical or text order of its delegations: the statistics' verdict
 * (their shortcut for owners one label below the apex included) against libssr's general
 * comparisons over random runs of 2 to 5 owners, under a TLD and under the root. */
static void owner_order_matches_general_comparisons(void **state)
{
	(void)state;
	static const uint8_t tld[] = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0}, root[] = {0};
	uint64_t seed = 3;
	unsigned ordered = 0, unordered = 0;
	for (int round = 0; round < 4000; round++) {
		bool under_root = round % 4 == 3;
		const uint8_t *apex = under_root ? root : tld;
		size_t apex_len = under_root ? 1 : sizeof(tld);
		ssr_zone_stats_opts_t o = {.psl = psl, .apex = apex};
		ssr_zone_stats_t *st;
		assert_int_equal(ssr_zone_stats_new(&o, &st), SSR_EOK);
		static const uint8_t host[] = {2, 'n', 's', 1, 'x', 0};
		uint8_t prev[SSR_DNAME_MAXLEN + 1];
		size_t prev_len = 0;
		bool canon = true, text = true;
		int n = 2 + round % 4;
		for (int i = 0; i < n; i++) {
			uint8_t own[SSR_DNAME_MAXLEN + 1];
			size_t ol = random_owner(&seed, apex, apex_len, own);
			/* the same owner again by chance continues its run: nothing to compare */
			if (i > 0 && !(ol == prev_len && memcmp(prev, own, ol) == 0)) {
				canon = canon && ssr_dname_cmp_canonical(prev, own) < 0;
				text = text && ssr_dname_cmp_text(prev, own) < 0;
			}
			memcpy(prev, own, ol);
			prev_len = ol;
			ssr_zone_rr_t rr = {.owner = own,
			                    .owner_len = (uint16_t)ol,
			                    .type = SSR_RRTYPE_NS,
			                    .rclass = 1,
			                    .ttl = 60,
			                    .rdata = host,
			                    .rdata_len = sizeof(host)};
			assert_int_equal(ssr_zone_stats_add(&rr, st), SSR_EOK);
			/* a run of the same owner ends only where another begins */
			if (i + 1 < n && (seed >> 40) % 3 == 0) {
				assert_int_equal(ssr_zone_stats_add(&rr, st), SSR_EOK);
			}
		}
		assert_int_equal(ssr_zone_stats_finish(st), SSR_EOK);
		assert_int_equal(ssr_zone_stats_ordered(st), canon || text);
		canon || text ? ordered++ : unordered++;
		ssr_zone_stats_free(st);
	}
	assert_true(ordered > 200 && unordered > 200); /* both outcomes seen */
}

/* A shard state's statistics: saved and loaded back; a host of length 0 or over 255 in the
 * payload is refused with the offset and reason, nothing half-loaded. */
static void state_with_bad_host_refused(void **state)
{
	(void)state;
	ssr_zone_stats_opts_t o = {.psl = psl};
	ssr_zone_stats_t *st;
	assert_int_equal(ssr_zone_stats_new(&o, &st), SSR_EOK);
	static const uint8_t apex[] = "\7example";
	static const uint8_t soa[] = "\1a\7example\0\1h\7example\0"
	                             "\0\0\0\1\0\0\0\2\0\0\0\3\0\0\0\4\0\0\0\5";
	static const uint8_t owner[] = "\1x\7example";
	static const uint8_t host[] = "\2ns\1b\3net"; /* 10 bytes with the root */
	ssr_zone_rr_t rr = {.owner = apex,
	                    .owner_len = 9,
	                    .type = 6,
	                    .rclass = 1,
	                    .ttl = 60,
	                    .rdata = soa,
	                    .rdata_len = sizeof soa - 1};
	assert_int_equal(ssr_zone_stats_add(&rr, st), SSR_EOK);
	rr = (ssr_zone_rr_t){.owner = owner,
	                     .owner_len = 11,
	                     .type = 2,
	                     .rclass = 1,
	                     .ttl = 60,
	                     .rdata = host,
	                     .rdata_len = 10};
	assert_int_equal(ssr_zone_stats_add(&rr, st), SSR_EOK);
	assert_int_equal(ssr_zone_stats_finish(st), SSR_EOK);
	ssr_state_buf_t b = {0};
	assert_int_equal(ssr_zone_stats_save(st, &b), SSR_EOK);
	ssr_zone_stats_free(st);
	/* the payload ends with the one host: u16 length, the name, u32 hoster */
	size_t at = b.n - 4 - 10 - 2;
	assert_int_equal(b.p[at] | b.p[at + 1] << 8, 10); /* little-endian */
	ssr_state_rd_t r = {.p = b.p, .n = b.n};
	assert_int_equal(ssr_zone_stats_load(&r, &o, &st), SSR_EOK);
	json_t *z = NULL;
	assert_int_equal(ssr_zone_stats_to_json(st, NULL, &z), SSR_EOK);
	assert_int_equal(geti(json_object_get(z, "ns"), "distinct_hosts"), 1);
	json_decref(z);
	ssr_zone_stats_free(st);
	for (size_t k = 0; k < 2; k++) {
		size_t n = b.n;
		if (k == 0) { /* length 0, a valid hoster index (0), one byte more (the count's
			       * least record size is 7 bytes) */
			memset(b.p + at, 0, 7);
			n = at + 7;
		} else { /* length 300 */
			b.p[at] = 300 & 0xff;
			b.p[at + 1] = 300 >> 8;
		}
		r = (ssr_state_rd_t){.p = b.p, .n = n};
		st = NULL;
		assert_int_equal(ssr_zone_stats_load(&r, &o, &st), SSR_ECORRUPT);
		assert_null(st);
		assert_non_null(strstr(r.why, "a bad NS host"));
	}
	ssr_state_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(signed_fixture_hand_computed),
	    cmocka_unit_test(unsorted_zone_same_figures),
	    cmocka_unit_test(dnskey_helpers),
	    cmocka_unit_test(stdin_like_unsorted_is_refused),
	    cmocka_unit_test(owner_order_matches_general_comparisons),
	    cmocka_unit_test(state_with_bad_host_refused),
	};
	return cmocka_run_group_tests(tests, psl_setup, psl_teardown);
}
