/* tests for src/libregress/mock.c: the mock hierarchy answers as an authoritative server does
 * (referrals with glue and DS or NSEC, answers with RRSIGs, CNAMEs, wildcards, NODATA and
 * NXDOMAIN proofs), truncates or drops when told to, and logs every query.  The shipped signed
 * zones on 127.54.0.x and a high port (no root needed). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../test_common.h"
#include "ssrwatch/regress.h"

#define SSR_SHIPPED SSR_TEST_DATA "/../../data"

static uint16_t port;
static ssr_regress_mock_t *mock;

typedef struct {
	char text[16384];
	ssr_probe_answer_t a;
	bool got;
} reply_t;

static int line(int section, const char *text, void *ctx)
{
	reply_t *r = ctx;
	/* whitespace runs as one space: "2 secure. 86400 NS ns.secure." */
	size_t l = strlen(r->text);
	l += (size_t)snprintf(r->text + l, sizeof r->text - l, "%d ", section);
	for (const char *p = text; *p && l + 2 < sizeof r->text; p++) {
		if (*p == ' ' || *p == '\t') {
			if (r->text[l - 1] != ' ') {
				r->text[l++] = ' ';
			}
		} else {
			r->text[l++] = *p;
		}
	}
	r->text[l++] = '\n';
	r->text[l] = '\0';
	return SSR_EOK;
}

static void done(const ssr_probe_result_t *res, void *ctx)
{
	reply_t *r = ctx;
	ssr_diag_t d;
	if (res->outcome == SSR_PROBE_ANSWER &&
	    ssr_probe_parse(res->resp, res->rlen, res->query, res->qlen, &r->a, &d) == SSR_EOK &&
	    ssr_probe_msg_rrs(res->resp, res->rlen, line, r, &d) == SSR_EOK) {
		r->got = true;
	}
}

/* Ask server 127.54.0.N; the answer's records as "SECTION text" lines. */
static void ask(int n, const char *name, const char *type, bool dnssec, bool tcp, reply_t *r)
{
	memset(r, 0, sizeof(*r));
	ssr_probe_query_t q;
	ssr_probe_query_init(&q);
	q.qname = name;
	assert_int_equal(ssr_probe_type_parse(type, &q.qtype), SSR_EOK);
	q.edns = true;
	q.edns_do = dnssec;
	uint8_t w[512];
	size_t len;
	ssr_diag_t d;
	assert_int_equal(ssr_probe_query_build(&q, w, sizeof w, &len, &d), SSR_EOK);
	char hp[64];
	snprintf(hp, sizeof hp, "127.54.0.%d:%u", n, port);
	ssr_probe_req_t req = {.transport = tcp ? SSR_PROBE_TCP : SSR_PROBE_UDP,
	                       .query = w,
	                       .qlen = len,
	                       .timeout_ms = 500};
	assert_int_equal(ssr_probe_addr_parse(hp, port, &req.dst, &req.dst_len), SSR_EOK);
	ssr_probe_opts_t o = {.max_inflight = 1, .udp_sockets = 1, .done = done, .ctx = r};
	ssr_probe_t *p = NULL;
	assert_int_equal(ssr_probe_new(&o, &p, &d), SSR_EOK);
	assert_int_equal(ssr_probe_submit(p, &req, &d), SSR_EOK);
	assert_int_equal(ssr_probe_run(p, &d), SSR_EOK);
	ssr_probe_free(p);
}

static bool has(const reply_t *r, const char *s)
{
	if (getenv("MOCK_DEBUG") != NULL) {
		fprintf(stderr, "%s---\n", r->text);
	}
	return strstr(r->text, s) != NULL;
}

static int start(void **state)
{
	(void)state;
	static const char *const zones[][3] = {{"root", ".", "root.zone"},
	                                       {"secure", "secure.", "secure.zone"},
	                                       {"insecure", "insecure.", "insecure.zone"},
	                                       {"tc", "tc.", "tc.zone"},
	                                       {"dead", "dead.", "dead.zone"},
	                                       {"qmin", "qmin.", "qmin.zone"}};
	ssr_regress_mock_server_t s[6];
	memset(s, 0, sizeof s);
	for (int i = 0; i < 6; i++) {
		snprintf(s[i].name, sizeof s[i].name, "%s", zones[i][0]);
		snprintf(s[i].addr, sizeof s[i].addr, "127.54.0.%d", i + 1);
		snprintf(s[i].zone, sizeof s[i].zone, "%s", zones[i][1]);
		snprintf(s[i].file, sizeof s[i].file, "%s/regress/hierarchy/%s", SSR_SHIPPED,
		         zones[i][2]);
	}
	s[3].behaviour = SSR_MOCK_TRUNCATE_UDP;
	s[4].behaviour = SSR_MOCK_DROP;
	ssr_diag_t d;
	for (int tries = 0; tries < 20; tries++) {
		port = (uint16_t)(20000 + (getpid() * 7 + tries * 131) % 40000);
		if (ssr_regress_mock_start(s, 6, port, &mock, &d) == SSR_EOK) {
			return 0;
		}
	}
	fail_msg("mock: %s", d.msg);
	return 1;
}

static int stop(void **state)
{
	(void)state;
	ssr_regress_mock_stop(mock);
	return 0;
}

static void referral(void **state)
{
	(void)state;
	reply_t r;
	/* the root refers a query for a name in secure. to its server, with glue and the DS */
	ask(1, "www.secure.", "A", true, false, &r);
	assert_true(r.got);
	assert_int_equal(r.a.rcode, 0);
	assert_int_equal(r.a.flags & 0x0400, 0); /* not authoritative */
	assert_int_equal(r.a.ancount, 0);
	assert_true(has(&r, "2 secure. 86400 NS ns.secure."));
	assert_true(has(&r, " DS "));
	assert_true(has(&r, "3 ns.secure. 86400 A 127.53.0.2"));
	/* no DS for insecure.: the root's NSEC of insecure. says so */
	ask(1, "www.insecure.", "A", true, false, &r);
	assert_true(has(&r, "2 insecure. 86400 NSEC "));
	assert_false(has(&r, " DS "));
	/* without DO no DNSSEC records */
	ask(1, "www.secure.", "A", false, false, &r);
	assert_false(has(&r, " DS ") || has(&r, "RRSIG"));
	/* DS is answered by the parent, authoritatively */
	ask(1, "secure.", "DS", true, false, &r);
	assert_int_equal(r.a.flags & 0x0400, 0x0400);
	assert_true(has(&r, "1 secure. 3600 DS "));
	assert_true(has(&r, "1 secure. 3600 RRSIG DS "));
	/* priming: the root's NS and its address */
	ask(1, ".", "NS", true, false, &r);
	assert_true(has(&r, "1 . 86400 NS a.root.mock."));
	assert_true(has(&r, "1 . 86400 RRSIG NS "));
}

static void answers(void **state)
{
	(void)state;
	reply_t r;
	ask(2, "www.secure.", "A", true, false, &r);
	assert_int_equal(r.a.flags & 0x0400, 0x0400);
	assert_true(has(&r, "1 www.secure. 3600 A 192.0.2.1"));
	assert_true(has(&r, "1 www.secure. 3600 RRSIG A 13 2 "));
	assert_true(r.a.edns && (r.a.edns_flags & 0x8000));
	/* case as asked in the question, matched without case */
	ask(2, "WwW.SeCuRe.", "A", false, false, &r);
	assert_true(has(&r, "192.0.2.1"));
	/* a CNAME out of the zone: the CNAME alone */
	ask(2, "c1.secure.", "A", true, false, &r);
	assert_true(has(&r, "1 c1.secure. 3600 CNAME c2.insecure."));
	assert_int_equal(r.a.ancount, 2); /* and its RRSIG */
	/* a wildcard: synthesised under the query's name, with the NSEC proving no closer match */
	ask(2, "x.wild.secure.", "TXT", true, false, &r);
	assert_true(has(&r, "1 x.wild.secure. 3600 TXT \"wildcard\""));
	/* its RRSIG counts 2 labels: the validator sees a wildcard expansion (RFC 4035 5.3.4) */
	assert_true(has(&r, "1 x.wild.secure. 3600 RRSIG TXT 13 2 "));
	assert_true(has(&r, " NSEC "));
	/* NODATA: SOA and the name's NSEC */
	ask(2, "nodata.secure.", "A", true, false, &r);
	assert_int_equal(r.a.rcode, 0);
	assert_int_equal(r.a.ancount, 0);
	assert_true(has(&r, "2 secure. 300 SOA ") || has(&r, "2 secure. 3600 SOA "));
	assert_true(has(&r, "2 nodata.secure. 300 NSEC "));
	/* NXDOMAIN: SOA, the NSEC covering the name and the one covering the wildcard */
	ask(2, "nx.secure.", "A", true, false, &r);
	assert_int_equal(r.a.rcode, 3);
	assert_true(has(&r, "2 ns.secure. 300 NSEC *.wild.secure."));
	assert_true(has(&r, "2 secure. 300 NSEC c1.secure."));
	/* an empty non-terminal: NODATA */
	ask(6, "b.c.d.qmin.", "A", false, false, &r);
	assert_int_equal(r.a.rcode, 0);
	assert_int_equal(r.a.ancount, 0);
	/* out of the zone: REFUSED */
	ask(2, "www.insecure.", "A", false, false, &r);
	assert_int_equal(r.a.rcode, 5);
	/* over TCP the same */
	ask(2, "www.secure.", "A", true, true, &r);
	assert_true(has(&r, "192.0.2.1"));
}

static void behaviours(void **state)
{
	(void)state;
	reply_t r;
	ask(4, "www.tc.", "A", false, false, &r);
	assert_true(r.got);
	assert_int_equal(r.a.flags & 0x0200, 0x0200);
	assert_int_equal(r.a.ancount, 0);
	ask(4, "www.tc.", "A", false, true, &r);
	assert_int_equal(r.a.flags & 0x0200, 0);
	assert_true(has(&r, "192.0.2.7"));
	ask(5, "www.dead.", "A", false, false, &r);
	assert_false(r.got);
	/* every query logged, in order, with its transport and EDNS */
	ssr_regress_mock_query_t *log = NULL;
	size_t n = 0;
	ssr_diag_t d;
	assert_int_equal(ssr_regress_mock_log(mock, &log, &n, &d), SSR_EOK);
	assert_true(n >= 3);
	assert_string_equal(log[n - 1].qname, "www.dead.");
	assert_int_equal(log[n - 1].server, 4);
	assert_true(log[n - 1].edns && !log[n - 1].tcp);
	assert_true(log[n - 2].tcp);
	assert_int_equal(log[n - 2].qtype, 1);
	free(log);
	assert_string_equal(ssr_regress_mock_server(mock, 4)->name, "dead");
	assert_null(ssr_regress_mock_server(mock, 6));
}

static void bad_config(void **state)
{
	(void)state;
	ssr_regress_mock_server_t s = {.name = "x", .addr = "192.0.2.1", .zone = "x."};
	snprintf(s.file, sizeof s.file, "%s/regress/hierarchy/root.zone", SSR_SHIPPED);
	ssr_regress_mock_t *m = NULL;
	ssr_diag_t d;
	/* the zone is not x., and the address is not loopback */
	assert_int_equal(ssr_regress_mock_start(&s, 1, port + 1, &m, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "a record outside the zone"));
	snprintf(s.zone, sizeof s.zone, ".");
	assert_int_equal(ssr_regress_mock_start(&s, 1, port + 1, &m, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "not IPv4 loopback"));
	char path[256];
	tmp_text(path, sizeof path, "x. 3600 IN SOA a. b. 1 2 3 4 5\nx. 3600 IN A 300.1.1.1\n");
	snprintf(s.file, sizeof s.file, "%s", path);
	snprintf(s.zone, sizeof s.zone, "x.");
	snprintf(s.addr, sizeof s.addr, "127.54.1.1");
	assert_int_equal(ssr_regress_mock_start(&s, 1, port + 1, &m, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "line 2"));
	unlink(path);
	assert_null(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(referral),
	    cmocka_unit_test(answers),
	    cmocka_unit_test(behaviours),
	    cmocka_unit_test(bad_config),
	};
	return cmocka_run_group_tests(tests, start, stop);
}
