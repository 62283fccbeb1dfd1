/* tests for src/libprobe/query.c and parse.c: queries as built, answers as matched. */
#include <arpa/inet.h>
#include <ctype.h>

#include "../test_common.h"
#include "ssrwatch/probe.h"

static size_t build(const ssr_probe_query_t *q, uint8_t *w)
{
	size_t len = 0;
	ssr_diag_t d;
	assert_int_equal(ssr_probe_query_build(q, w, SSR_PROBE_MAX_MSG, &len, &d), SSR_EOK);
	return len;
}

static void queries(void **state)
{
	(void)state;
	static uint8_t w[SSR_PROBE_MAX_MSG];
	ssr_probe_query_t q;
	ssr_probe_query_init(&q);
	q.qname = "www.Example.org";
	q.qtype = 28;
	q.rd = q.cd = true;
	q.id = 4660;
	q.edns_do = true;
	q.edns_version = 1;
	q.edns_bufsize = 512;
	q.edns_flags = 0x0001;
	q.nsid = q.cookie = true;
	static const uint8_t ecs[] = {0, 1, 24, 0, 192, 0, 2};
	q.opts[0] = (ssr_probe_opt_t){8, sizeof ecs, ecs};
	q.opts[1] = (ssr_probe_opt_t){65001, 0, NULL};
	q.nopts = 2;
	size_t len = build(&q, w);
	ssr_probe_answer_t a;
	ssr_diag_t d;
	assert_int_equal(ssr_probe_parse(w, len, NULL, 0, &a, &d), SSR_EOK);
	assert_int_equal(a.id, 4660);
	assert_int_equal(a.flags & 0x8000, 0);      /* QR clear: a query */
	assert_int_equal(a.flags & 0x0110, 0x0110); /* RD, CD */
	assert_int_equal(a.qdcount, 1);
	assert_true(a.edns);
	assert_int_equal(a.edns_version, 1);
	assert_int_equal(a.edns_bufsize, 512);
	assert_int_equal(a.edns_flags, 0x8001); /* DO and the extra bit */
	assert_int_equal(a.nopts, 4);
	assert_int_equal(a.opt_codes[0], 3);  /* NSID */
	assert_int_equal(a.opt_codes[1], 10); /* cookie */
	assert_int_equal(a.opt_codes[2], 8);
	assert_int_equal(a.opt_codes[3], 65001);
	/* the name's case as given: www.Example.org */
	assert_memory_equal(w + 12, "\3www\7Example\3org", 17);

	/* no EDNS, opcode and Z */
	ssr_probe_query_init(&q);
	q.qname = "example.";
	q.edns = false;
	q.opcode = 4;
	q.z = true;
	len = build(&q, w);
	assert_int_equal(ssr_probe_parse(w, len, NULL, 0, &a, &d), SSR_EOK);
	assert_false(a.edns);
	assert_int_equal(a.opcode, 4);
	assert_int_equal(a.flags & 0x0040, 0x0040);
	assert_int_equal(len, 12 + 9 + 4);

	/* padding to a multiple of 128 */
	ssr_probe_query_init(&q);
	q.qname = "a.b.example";
	q.padding = 128;
	len = build(&q, w);
	assert_int_equal(len % 128, 0);
	assert_int_equal(ssr_probe_parse(w, len, NULL, 0, &a, &d), SSR_EOK);
	assert_int_equal(a.opt_codes[0], 12);

	/* 0x20: the same name, letters in random case; 40 letters all one case is 1 in 2^40 */
	ssr_probe_query_init(&q);
	q.qname = "abcdefghijklmnopqrst.abcdefghijklmnopqrst";
	q.case_randomize = true;
	len = build(&q, w);
	int upper = 0;
	for (size_t i = 12; i < 12 + 43; i++) {
		upper += isupper(w[i]) != 0;
		assert_int_equal(tolower(w[i]), tolower("\x14"
		                                        "abcdefghijklmnopqrst\x14"
		                                        "abcdefghijklmnopqrst"[i - 12]));
	}
	assert_true(upper > 0 && upper < 40);

	/* bad names and sizes */
	ssr_probe_query_init(&q);
	q.qname = "a..b";
	assert_int_equal(ssr_probe_query_build(&q, w, sizeof w, &len, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "bad name 'a..b'"));
	char big[300];
	memset(big, 'a', sizeof big);
	big[299] = '\0';
	q.qname = big;
	assert_int_equal(ssr_probe_query_build(&q, w, sizeof w, &len, &d), SSR_EINVAL);
	q.qname = "example";
	assert_int_equal(ssr_probe_query_build(&q, w, 20, &len, &d), SSR_ELIMIT);
	q.opcode = 16;
	assert_int_equal(ssr_probe_query_build(&q, w, sizeof w, &len, &d), SSR_EINVAL);
}

static void names_and_addresses(void **state)
{
	(void)state;
	uint16_t t;
	assert_int_equal(ssr_probe_type_parse("AAAA", &t), SSR_EOK);
	assert_int_equal(t, 28);
	assert_int_equal(ssr_probe_type_parse("TYPE65534", &t), SSR_EOK);
	assert_int_equal(t, 65534);
	assert_int_equal(ssr_probe_type_parse("99", &t), SSR_EOK);
	assert_int_equal(t, 99);
	assert_int_equal(ssr_probe_type_parse("NOPE", &t), SSR_EINVAL);
	assert_int_equal(ssr_probe_type_parse("70000", &t), SSR_EINVAL);
	assert_int_equal(ssr_probe_class_parse("CH", &t), SSR_EOK);
	assert_int_equal(t, 3);
	assert_string_equal(ssr_probe_rcode_name(16), "BADVERS");
	assert_string_equal(ssr_probe_rcode_name(3), "NXDOMAIN");
	assert_string_equal(ssr_probe_opcode_name(0), "QUERY");

	struct sockaddr_storage a;
	socklen_t l;
	char s[80];
	assert_int_equal(ssr_probe_addr_parse("127.0.0.1", 53, &a, &l), SSR_EOK);
	ssr_probe_addr_format(&a, s, sizeof s);
	assert_string_equal(s, "127.0.0.1:53");
	assert_int_equal(ssr_probe_addr_parse("127.0.0.2:5353", 53, &a, &l), SSR_EOK);
	ssr_probe_addr_format(&a, s, sizeof s);
	assert_string_equal(s, "127.0.0.2:5353");
	assert_int_equal(ssr_probe_addr_parse("::1", 53, &a, &l), SSR_EOK);
	ssr_probe_addr_format(&a, s, sizeof s);
	assert_string_equal(s, "[::1]:53");
	assert_int_equal(ssr_probe_addr_parse("[::1]:853", 53, &a, &l), SSR_EOK);
	ssr_probe_addr_format(&a, s, sizeof s);
	assert_string_equal(s, "[::1]:853");
	static const char *const bad[] = {"",     "localhost", "127.0.0.1:",   "127.0.0.1:99999",
	                                  "[::1", "[::1]x",    "127.0.0.1:-1", "300.1.1.1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (ssr_probe_addr_parse(bad[i], 53, &a, &l) != SSR_EINVAL) {
			fail_msg("accepted '%s'", bad[i]);
		}
	}
}

/* A response to query w (len bytes): QR set, the question copied, one A record. */
static size_t respond(const uint8_t *w, size_t len, uint8_t *r)
{
	memcpy(r, w, len);
	r[2] |= 0x84; /* QR AA */
	return len;
}

static void matching(void **state)
{
	(void)state;
	static uint8_t w[512], r[1024];
	ssr_probe_query_t q;
	ssr_probe_query_init(&q);
	q.qname = "MiXeD.example";
	q.edns = false;
	size_t len = build(&q, w);
	size_t rl = respond(w, len, r);
	ssr_probe_answer_t a;
	ssr_diag_t d;
	assert_int_equal(ssr_probe_parse(r, rl, w, len, &a, &d), SSR_EOK);
	/* QR clear: not an answer */
	r[2] &= 0x7f;
	assert_int_equal(ssr_probe_parse(r, rl, w, len, &a, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "QR"));
	r[2] |= 0x80;
	/* another ID */
	r[0] ^= 1;
	assert_int_equal(ssr_probe_parse(r, rl, w, len, &a, &d), SSR_EINVAL);
	r[0] ^= 1;
	/* the name in other case: 0x20 says no */
	r[13] = 'm';
	assert_int_equal(ssr_probe_parse(r, rl, w, len, &a, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "question"));
	r[13] = 'M';
	/* another type */
	r[rl - 3] ^= 1;
	assert_int_equal(ssr_probe_parse(r, rl, w, len, &a, &d), SSR_EINVAL);
	r[rl - 3] ^= 1;
	/* FORMERR without a question: accepted, as servers send it */
	uint8_t fe[12];
	memcpy(fe, r, 12);
	fe[3] = 1;         /* FORMERR */
	fe[4] = fe[5] = 0; /* no question */
	assert_int_equal(ssr_probe_parse(fe, 12, w, len, &a, &d), SSR_EOK);
	assert_int_equal(a.rcode, 1);
	/* ... but NOERROR without one is not an answer */
	fe[3] = 0;
	assert_int_equal(ssr_probe_parse(fe, 12, w, len, &a, &d), SSR_EINVAL);

	/* hostile messages: what libknot refuses is SSR_EPARSE, never a crash */
	static const struct {
		size_t len;
		uint8_t m[40];
	} hostile[] = {
	    {5, {0}},                    /* shorter than a header */
	    {12, {0, 1, 0x80, 0, 0, 1}}, /* a question beyond the end */
	    {17, {0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0}}, /* pointer loop */
	    {29, {0, 1, 0x80, 0,  0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1,
	          0, 1, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 9}}, /* rdata beyond */
	    {17,
	     {0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63, 'a', 'b', 'c', 'd'}}, /* label beyond */
	};
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		int rc = ssr_probe_parse(hostile[i].m, hostile[i].len, NULL, 0, &a, &d);
		if (rc != SSR_EPARSE) {
			fail_msg("hostile %zu: %d", i, rc);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(queries),
	    cmocka_unit_test(names_and_addresses),
	    cmocka_unit_test(matching),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
