/* tests for src/libzone/gen.c: determinism and the promised shape */
#include <math.h>

#include "../test_common.h"
#include "ssrwatch/zonegen.h"
#include "ssrwatch/zonestats.h"

static char *gen(const ssr_zonegen_opts_t *o, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	ssr_diag_t d;
	assert_int_equal(ssr_zonegen_write(o, f, &d), SSR_EOK);
	fclose(f);
	return buf;
}

/* Generate a zone into a temporary file and analyze it. */
static json_t *gen_and_analyze(const ssr_zonegen_opts_t *o, bool owner_index)
{
	ssr_psl_t *psl;
	assert_int_equal(ssr_psl_new(NULL, &psl, NULL), SSR_EOK);
	size_t len;
	char *z = gen(o, &len);
	char path[256];
	tmp_write(path, sizeof(path), ".zone", z, len);
	free(z);
	ssr_zone_analyze_opts_t ao = {0};
	ao.stats.psl = psl;
	ao.stats.owner_index = owner_index;
	json_t *j;
	ssr_diag_t d;
	assert_int_equal(ssr_zone_stats_analyze(path, &ao, &j, &d), SSR_EOK);
	unlink(path);
	ssr_psl_free(psl);
	return j;
}

static void deterministic_by_seed(void **state)
{
	(void)state;
	ssr_zonegen_opts_t o;
	ssr_zonegen_defaults(&o);
	o.delegations = 2000;
	o.seed = 5;
	size_t la, lb, lc;
	char *a = gen(&o, &la), *b = gen(&o, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	o.seed = 6;
	char *c = gen(&o, &lc);
	assert_true(la != lc || memcmp(a, c, la) != 0);
	free(a);
	free(b);
	free(c);
}

static void shape_matches_the_options(void **state)
{
	(void)state;
	for (int plain = 0; plain < 2; plain++) {
		ssr_zonegen_opts_t o;
		ssr_zonegen_defaults(&o);
		o.origin = "gen";
		o.delegations = 20000;
		o.seed = 9;
		o.signed_apex = true;
		o.plain = plain;
		json_t *j = gen_and_analyze(&o, false);
		assert_string_equal(json_string_value(json_object_get(j, "zone")), "gen");
		assert_int_equal(json_integer_value(json_object_get(j, "delegations")), 20000);
		double share = json_real_value(json_object_get(j, "signed_share"));
		assert_true(share > 0.23 && share < 0.27);
		json_int_t idn = json_integer_value(json_object_get(j, "idn_delegations"));
		assert_true(idn > 400 && idn < 800);
		json_t *algs = json_object_get(json_object_get(j, "ds"), "algorithms");
		assert_int_equal(json_object_size(algs), 3);
		json_t *dts = json_object_get(json_object_get(j, "ds"), "digest_types");
		assert_non_null(json_object_get(dts, "2"));
		assert_non_null(json_object_get(dts, "4"));
		assert_int_equal(json_array_size(json_object_get(j, "dnskey")), 2);
		assert_true(json_integer_value(json_object_get(json_object_get(j, "glue"), "a")) >
		            0);
		/* Zipf sharing: the biggest hoster serves several percent, the HHI is moderate */
		json_t *ns = json_object_get(j, "ns");
		json_t *top0 = json_array_get(json_object_get(ns, "top"), 0);
		assert_true(json_real_value(json_object_get(top0, "delegation_share")) > 0.05);
		assert_string_equal(json_string_value(json_object_get(j, "owner_index")),
		                    "streaming");
		json_int_t fast = json_integer_value(json_object_get(j, "fast_path_records"));
		json_int_t total =
		    json_integer_value(json_object_get(json_object_get(j, "records"), "total"));
		if (plain) {
			/* only apex DNSSEC records and the SOA leave the fast path */
			assert_true(total - fast < 10);
		} else {
			assert_true(total - fast > 100);
		}
		json_decref(j);
	}
}

/* Short generated labels repeat often at this size: every name must still be distinct. */
static void exactly_n_distinct_delegations(void **state)
{
	(void)state;
	ssr_zonegen_opts_t o;
	ssr_zonegen_defaults(&o);
	o.delegations = 150000;
	o.plain = true;
	o.ds_share = 0;
	/* counted with the owner index: no reliance on the order of the output */
	json_t *j = gen_and_analyze(&o, true);
	assert_int_equal(json_integer_value(json_object_get(j, "delegations")), 150000);
	assert_int_equal(json_integer_value(json_object_get(j, "signed_delegations")), 0);
	json_decref(j);
}

/* --nsec: one NSEC (and its RRSIG) per owner, the apex and every delegation, each naming the
 * next owner in canonical order and the last the apex; no NSEC3 records; the statistics see
 * NSEC denial and as many NSEC records as owners. */
static void nsec_chain(void **state)
{
	(void)state;
	ssr_zonegen_opts_t o;
	ssr_zonegen_defaults(&o);
	o.delegations = 3000;
	o.plain = true;
	o.signed_delegations = true;
	o.nsec = true;
	size_t len;
	char *z = gen(&o, &len);
	char **owner = calloc(o.delegations + 2, sizeof(char *)),
	     **next = calloc(o.delegations + 2, sizeof(char *));
	assert_non_null(owner);
	assert_non_null(next);
	size_t n = 0, sigs = 0;
	for (char *line = z, *eol; *line != '\0'; line = eol + 1) {
		eol = strchr(line, '\n');
		assert_non_null(eol);
		*eol = '\0';
		char own[300], ty[16], nx[300];
		unsigned long ttl;
		assert_null(strstr(line, "NSEC3"));
		if (sscanf(line, "%299s %lu IN %15s %299s", own, &ttl, ty, nx) == 4) {
			if (strcmp(ty, "NSEC") == 0) {
				assert_true(n < o.delegations + 1);
				owner[n] = strdup(own);
				next[n++] = strdup(nx);
			} else if (strcmp(ty, "RRSIG") == 0 && strcmp(nx, "NSEC") == 0) {
				sigs++;
			}
		}
	}
	assert_int_equal(n, o.delegations + 1);
	assert_int_equal(sigs, n);
	assert_string_equal(owner[0], "example.");
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(next[i], owner[(i + 1) % n]);
		if (i > 1) {
			/* one label below the apex: canonical order is the labels' byte order */
			size_t la = strlen(owner[i - 1]) - 9,
			       lb = strlen(owner[i]) - 9; /* ".example." */
			int c = memcmp(owner[i - 1], owner[i], la < lb ? la : lb);
			assert_true(c < 0 || (c == 0 && la < lb));
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(owner[i]);
		free(next[i]);
	}
	free(owner);
	free(next);
	free(z);
	/* an NSEC chain without signatures is refused, saying why, writing nothing */
	ssr_zonegen_opts_t bad = o;
	bad.signed_delegations = false;
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);
	ssr_diag_t d;
	assert_int_equal(ssr_zonegen_write(&bad, f, &d), SSR_EINVAL);
	fclose(f);
	assert_int_equal(blen, 0);
	assert_non_null(strstr(d.msg, "--nsec"));
	free(buf);
	json_t *j = gen_and_analyze(&o, false);
	json_t *den = json_object_get(j, "denial");
	assert_string_equal(json_string_value(json_object_get(den, "type")), "nsec");
	assert_int_equal(json_integer_value(json_object_get(den, "nsec_records")), 3001);
	assert_int_equal(json_integer_value(json_object_get(den, "nsec3_records")), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "delegations")), 3000);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(deterministic_by_seed),
	    cmocka_unit_test(shape_matches_the_options),
	    cmocka_unit_test(exactly_n_distinct_delegations),
	    cmocka_unit_test(nsec_chain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
