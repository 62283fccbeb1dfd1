/* tests for src/libregress: a suite read under the schema, and ssr_regress_judge on crafted
 * answers (each expectation, its code and its tag). */
#include "../test_common.h"
#include "ssrwatch/regress.h"

static const char suite_text[] =
    "suite: t\n"
    "kind: authoritative\n"
    "cases:\n"
    "  - id: soa\n"
    "    title: SOA with EDNS\n"
    "    query: {name: \"@\", type: SOA, edns: {version: 0, options: [{code: 100, data: "
    "\"ab\"}]}}\n"
    "    expect:\n"
    "      rcode: NOERROR\n"
    "      flags: {aa: true, z: false}\n"
    "      edns: {version: 0, mbz: 0x7fff, not_echoed: [100], echoed: [3]}\n"
    "      answer: {type: SOA, count: 1}\n"
    "      size_max: bufsize\n"
    "  - id: plain\n"
    "    title: no EDNS\n"
    "    severity: warning\n"
    "    query: {edns: false, rd: true, transport: tcp}\n"
    "    expect: {opt: false, rcode: 0}\n";

static void load(void **state)
{
	(void)state;
	char path[256];
	tmp_write(path, sizeof path, ".yaml", suite_text, sizeof suite_text - 1);
	ssr_regress_suite_t s;
	ssr_diag_t d;
	assert_int_equal(ssr_regress_suite_read(path, &s, &d), SSR_EOK);
	assert_string_equal(s.name, "t");
	assert_int_equal(s.ncases, 2);
	const ssr_regress_case_t *c = &s.cases[0];
	assert_string_equal(c->id, "soa");
	assert_int_equal(c->q.qtype, 6);
	assert_int_equal(c->q.nopts, 1);
	assert_int_equal(c->q.opts[0].code, 100);
	assert_int_equal(c->q.opts[0].len, 1);
	assert_int_equal(c->q.opts[0].data[0], 0xab);
	assert_int_equal(c->expect.rcode, 0);
	assert_int_equal(c->expect.aa, 1);
	assert_int_equal(c->expect.z, 0);
	assert_int_equal(c->expect.tc, -1);
	assert_int_equal(c->expect.opt, 1);
	assert_int_equal(c->expect.mbz, 0x7fff);
	assert_int_equal(c->expect.size_max, 1232);
	assert_int_equal(c->expect.nanswer, 1);
	assert_int_equal(c->expect.answer[0].min, 1);
	assert_int_equal(c->expect.answer[0].max, 1);
	assert_int_equal(c->line, 4);
	c = &s.cases[1];
	assert_false(c->q.edns);
	assert_true(c->q.rd);
	assert_int_equal(c->transport, SSR_PROBE_TCP);
	assert_int_equal(c->severity, SSR_SEV_WARNING);
	assert_int_equal(c->expect.opt, 0);
	ssr_regress_suite_release(&s);
	unlink(path);
}

/* An answer to q: the header flags given, the question, SOA records, an OPT record with
 * version, flags and the options given. */
static size_t answer(const uint8_t *q, size_t ql, uint8_t *a, uint16_t flags, uint8_t rcode,
                     int nsoa, int opt_version, uint16_t edns_flags, const uint16_t *opts,
                     int nopts)
{
	size_t qs = 12;
	while (q[qs] != 0) {
		qs += 1u + q[qs];
	}
	qs += 5;
	memcpy(a, q, qs);
	a[2] = (uint8_t)(0x80 | (flags >> 8));
	a[3] = (uint8_t)((flags & 0xf0) | (rcode & 0xf));
	a[4] = 0, a[5] = 1;
	a[6] = 0, a[7] = (uint8_t)nsoa;
	a[8] = a[9] = 0;
	a[10] = 0, a[11] = opt_version >= 0;
	size_t o = qs;
	static const uint8_t soa[] = {0xc0, 12, 0, 6, 0, 1, 0, 0, 0x0e, 0x10, 0, 22, 0, 0, 0, 0, 0,
	                              1,    0,  0, 0, 1, 0, 0, 0, 1,    0,    0, 0,  1, 0, 0, 0, 1};
	for (int i = 0; i < nsoa; i++) {
		memcpy(a + o, soa, sizeof soa);
		o += sizeof soa;
	}
	if (opt_version >= 0) {
		uint8_t *r = a + o;
		r[0] = 0, r[1] = 0, r[2] = 41, r[3] = 0x04, r[4] = 0xd0;
		r[5] = (uint8_t)(rcode >> 4), r[6] = (uint8_t)opt_version;
		r[7] = (uint8_t)(edns_flags >> 8), r[8] = (uint8_t)edns_flags;
		r[9] = 0, r[10] = (uint8_t)(4 * nopts);
		o += 11;
		for (int i = 0; i < nopts; i++) {
			a[o++] = (uint8_t)(opts[i] >> 8), a[o++] = (uint8_t)opts[i];
			a[o++] = 0, a[o++] = 0;
		}
	}
	(void)ql;
	return o;
}

static void judge(void **state)
{
	(void)state;
	char path[256];
	tmp_write(path, sizeof path, ".yaml", suite_text, sizeof suite_text - 1);
	ssr_regress_suite_t s;
	ssr_diag_t d;
	assert_int_equal(ssr_regress_suite_read(path, &s, &d), SSR_EOK);
	unlink(path);
	ssr_regress_case_t *c = &s.cases[0];
	ssr_probe_query_t q = c->q;
	q.qname = "example.";
	uint8_t w[512], a[2048];
	size_t ql;
	assert_int_equal(ssr_probe_query_build(&q, w, sizeof w, &ql, &d), SSR_EOK);
	ssr_probe_result_t pr = {.outcome = SSR_PROBE_ANSWER, .query = w, .qlen = ql, .resp = a};
	ssr_regress_result_t r;
	static const uint16_t nsid[] = {3}, echo[] = {3, 100};

	pr.rlen = answer(w, ql, a, 0x0400, 0, 1, 0, 0, nsid, 1);
	memset(&r, 0, sizeof r);
	ssr_regress_judge(c, &pr, &r);
	assert_int_equal(r.result, SSR_RES_PASS);
	assert_string_equal(r.tags, "ok");

	/* FORMERR, no OPT, no SOA, Z set */
	pr.rlen = answer(w, ql, a, 0x0440, 1, 0, -1, 0, NULL, 0);
	ssr_regress_judge(c, &pr, &r);
	assert_int_equal(r.result, SSR_RES_FAIL);
	assert_string_equal(r.codes, "RCODE FLAG_Z OPT_MISSING ANSWER_COUNT");
	assert_string_equal(r.tags, "formerr mbz noopt nosoa");

	/* version 1 back, unknown option echoed, NSID missing, EDNS flag set, AA clear */
	static const uint16_t only100[] = {100};
	pr.rlen = answer(w, ql, a, 0, 0, 1, 1, 0x0040, only100, 1);
	ssr_regress_judge(c, &pr, &r);
	assert_string_equal(r.codes, "FLAG_AA EDNS_VERSION EDNS_MBZ EDNS_OPTION_MISSING "
	                             "EDNS_OPTION_ECHOED");
	assert_string_equal(r.tags, "noaa badversion mbz nonsid echoed");
	assert_non_null(strstr(r.details, "option 100 echoed"));
	(void)echo;

	/* BADVERS (extended rcode 16) where NOERROR was expected */
	pr.rlen = answer(w, ql, a, 0x0400, 16, 0, 0, 0, nsid, 1);
	ssr_regress_judge(c, &pr, &r);
	assert_string_equal(r.tags, "badvers nosoa");

	/* too big for the buffer, without TC; with TC it passes that check */
	c->expect.size_max = 60;
	pr.rlen = answer(w, ql, a, 0x0400, 0, 1, 0, 0, nsid, 1);
	ssr_regress_judge(c, &pr, &r);
	assert_string_equal(r.codes, "SIZE");
	assert_string_equal(r.tags, "toobig");
	pr.rlen = answer(w, ql, a, 0x0600, 0, 1, 0, 0, nsid, 1);
	ssr_regress_judge(c, &pr, &r);
	assert_int_equal(r.result, SSR_RES_PASS);

	/* no answer at all, and a malformed one */
	ssr_probe_result_t to = {.outcome = SSR_PROBE_TIMEOUT, .transport = SSR_PROBE_UDP};
	ssr_regress_judge(c, &to, &r);
	assert_string_equal(r.codes, "NO_ANSWER");
	assert_string_equal(r.tags, "timeout");
	pr.rlen = 14;
	a[5] = 9;
	ssr_regress_judge(c, &pr, &r);
	assert_string_equal(r.tags, "malformed");
	ssr_regress_suite_release(&s);
}

static void targets(void **state)
{
	(void)state;
	ssr_regress_target_t t;
	assert_int_equal(ssr_regress_target_parse("knot=127.0.0.1:5300", &t), SSR_EOK);
	assert_string_equal(t.name, "knot");
	assert_int_equal(ssr_regress_target_parse("v6=[::1]:53", &t), SSR_EOK);
	assert_int_equal(ssr_regress_target_parse("=127.0.0.1", &t), SSR_EINVAL);
	assert_int_equal(ssr_regress_target_parse("a b=127.0.0.1", &t), SSR_EINVAL);
	assert_int_equal(ssr_regress_target_parse("x=localhost", &t), SSR_EINVAL);
	assert_true(ssr_regress_impl_known("knot", false) && ssr_regress_impl_known("nsd", false));
	assert_true(ssr_regress_impl_known("bind", false) && ssr_regress_impl_known("bind", true));
	assert_true(ssr_regress_impl_known("pdns", false) &&
	            ssr_regress_impl_known("unbound", true));
	assert_false(ssr_regress_impl_known("powerdns", false));
	assert_false(ssr_regress_impl_known("unbound", false));
	assert_false(ssr_regress_impl_known("nsd", true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(load),
	    cmocka_unit_test(judge),
	    cmocka_unit_test(targets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
