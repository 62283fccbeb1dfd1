/* tests for src/libdeleg: the change as given (name servers, addresses, DS in both forms, bad
 * input), delegation suites (kind, checks, ids), and whole checks against two mock servers
 * (libregress's mock, 127.55.0.x on a high port) that disagree on the SOA serial and on the
 * address of ns2: exactly those checks fail, evidence names the exchanges, a server that does
 * not answer turns the comparisons into errors (could not run), never passes. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../test_common.h"
#include "ssrwatch/deleg.h"
#include "ssrwatch/regress.h"
#include "ssrwatch/report.h"

static uint16_t port;
static ssr_regress_mock_t *mock;
static char zdir[256], suite_path[300];

static const char suite_text[] =
    "suite: t\n"
    "version: \"1\"\n"
    "kind: delegation\n"
    "cases:\n"
    "  - id: ns-count\n    title: two\n    check: ns-count\n    param: \"2\"\n"
    "    ids: {iana: \"Minimum number of name servers\", zonemaster: delegation01}\n"
    "  - id: address-public\n    title: public\n    check: address-public\n"
    "  - id: authoritative\n    title: aa\n"
    "    query: {name: \"@\", type: SOA, rd: false}\n"
    "    expect: {rcode: NOERROR, flags: {aa: true}, answer: {type: SOA, count: 1}}\n"
    "  - id: soa-serial\n    title: serial\n    check: soa-serial\n"
    "  - id: soa-rname\n    title: rname\n    severity: notice\n    check: soa-rname\n"
    "  - id: ns-consistent\n    title: ns\n    check: ns-consistent\n"
    "  - id: glue-consistent\n    title: glue\n    check: glue-consistent\n"
    "  - id: transport-consistent\n    title: udp tcp\n    check: transport-consistent\n"
    "  - id: ds-match\n    title: ds\n    check: ds-match\n"
    "  - id: referral-size\n    title: size\n    severity: warning\n    check: referral-size\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int start(void **state)
{
	(void)state;
	const char *t = getenv("TMPDIR");
	snprintf(zdir, sizeof zdir, "%s/ssrdeleg-XXXXXX", t ? t : "/tmp");
	if (mkdtemp(zdir) == NULL) {
		return 1;
	}
	char a[320], b[320];
	snprintf(a, sizeof a, "%s/a.zone", zdir);
	snprintf(b, sizeof b, "%s/b.zone", zdir);
	snprintf(suite_path, sizeof suite_path, "%s/t.yaml", zdir);
	static const char body[] = "@ NS ns1.example.\n@ NS ns2.example.\nns1 A 127.55.0.1\n";
	char za[512], zb[512];
	snprintf(za, sizeof za,
	         "$ORIGIN example.\n$TTL 3600\n@ SOA ns1 host 1 21600 3600 1209600 3600\n%sns2 A "
	         "127.55.0.2\n",
	         body);
	snprintf(zb, sizeof zb,
	         "$ORIGIN example.\n$TTL 3600\n@ SOA ns1 host 2 21600 3600 1209600 3600\n%sns2 A "
	         "127.55.0.99\n",
	         body);
	write_file(a, za);
	write_file(b, zb);
	write_file(suite_path, suite_text);
	ssr_regress_mock_server_t s[2] = {{"a", "127.55.0.1", "example.", "", SSR_MOCK_NORMAL},
	                                  {"b", "127.55.0.2", "example.", "", SSR_MOCK_NORMAL}};
	snprintf(s[0].file, sizeof s[0].file, "%s", a);
	snprintf(s[1].file, sizeof s[1].file, "%s", b);
	ssr_diag_t d;
	for (int tries = 0; tries < 20; tries++) {
		port = (uint16_t)(20000 + (getpid() * 11 + tries * 137) % 40000);
		if (ssr_regress_mock_start(s, 2, port, &mock, &d) == SSR_EOK) {
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
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", zdir);
	return system(cmd) != 0;
}

static void change_parse(void **state)
{
	(void)state;
	ssr_deleg_change_t ch;
	ssr_diag_t d;
	assert_int_equal(ssr_deleg_change_init(&ch, "Example", &d), SSR_EOK);
	assert_string_equal(ch.zone, "example.");
	assert_int_equal(ssr_deleg_ns_add(&ch, "NS1.Example=127.0.0.1,[::1]:5353", &d), SSR_EOK);
	assert_string_equal(ch.ns[0].name, "ns1.example.");
	assert_int_equal(ch.ns[0].naddr, 2);
	assert_true(ch.ns[0].given);
	assert_int_equal(ch.ns[0].addr[1].ss_family, AF_INET6);
	assert_int_equal(ssr_deleg_ns_add(&ch, "ns.other.net", &d), SSR_EOK);
	assert_false(ch.ns[1].given);
	assert_int_equal(ssr_deleg_ns_add(&ch, "ns1.example.=127.0.0.9", &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "given twice"));
	assert_int_equal(ssr_deleg_ns_add(&ch, "ns3.example=127.0.0.300", &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "bad address '127.0.0.300'"));
	assert_int_equal(ssr_deleg_ns_add(&ch, "=127.0.0.1", &d), SSR_EINVAL);
	assert_int_equal(ssr_deleg_ns_add(&ch, "a..b=127.0.0.1", &d), SSR_EINVAL);
	/* DS: zone-file form, with an owner, Zonemaster's form; bad ones */
	assert_int_equal(ssr_deleg_ds_add(&ch, "12345 13 2 0a0B 0c0d", &d), SSR_EOK);
	assert_int_equal(ch.ds[0].tag, 12345);
	assert_int_equal(ch.ds[0].len, 4);
	assert_int_equal(ch.ds[0].digest[1], 0x0b);
	assert_int_equal(ssr_deleg_ds_add(&ch, "example. 3600 IN DS 7 8 1 ffee", &d), SSR_EOK);
	assert_int_equal(ch.ds[1].tag, 7);
	assert_int_equal(ch.ds[1].digest_type, 1);
	assert_int_equal(ssr_deleg_ds_add(&ch, "7,8,2,aabb", &d), SSR_EOK);
	assert_int_equal(ch.nds, 3);
	assert_int_equal(ssr_deleg_ds_add(&ch, "7 8 2", &d), SSR_EINVAL);
	assert_int_equal(ssr_deleg_ds_add(&ch, "70000 8 2 aa", &d), SSR_EINVAL);
	assert_int_equal(ssr_deleg_ds_add(&ch, "7 8 2 xyz", &d), SSR_EINVAL);
	assert_int_equal(ssr_deleg_ds_add(&ch, "7 8 2 abc", &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "TAG ALG DIGESTTYPE HEX"));
	for (int i = 0; i < SSR_DELEG_MAX_DS - 3; i++) {
		assert_int_equal(ssr_deleg_ds_add(&ch, "1 8 2 aa", &d), SSR_EOK);
	}
	assert_int_equal(ssr_deleg_ds_add(&ch, "1 8 2 aa", &d), SSR_ELIMIT);
}

static void shipped_suite(void **state)
{
	(void)state;
	char path[4096];
	ssr_deleg_suite_path(path, sizeof path);
	ssr_regress_suite_t s;
	ssr_diag_t d;
	assert_int_equal(ssr_regress_suite_read(path, &s, &d), SSR_EOK);
	assert_string_equal(s.kind, "delegation");
	assert_true(s.version[0] != '\0');
	size_t queries = 0, zm = 0;
	for (size_t i = 0; i < s.ncases; i++) {
		const ssr_regress_case_t *c = &s.cases[i];
		if (c->check[0] != '\0') {
			assert_true(ssr_deleg_rule_known(c->check));
		} else {
			queries++;
		}
		zm += c->zonemaster[0] != '\0';
		/* every case maps to at least one outside requirement */
		assert_true(c->iana[0] || c->zonemaster[0] || c->rst[0]);
	}
	assert_true(queries >= 5);
	assert_true(zm >= 20);
	ssr_regress_suite_release(&s);
	/* severities beyond error/warning/info only in delegation suites */
	char bad[300];
	snprintf(bad, sizeof bad, "%s/bad.yaml", zdir);
	write_file(bad, "suite: x\nkind: authoritative\ncases:\n  - id: a\n    title: t\n"
	                "    severity: critical\n    query: {type: SOA}\n    expect: {}\n");
	assert_int_equal(ssr_regress_suite_read(bad, &s, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "line 6"));
	write_file(bad, "suite: x\nkind: authoritative\ncases:\n  - id: a\n    title: t\n"
	                "    check: ns-count\n");
	assert_int_equal(ssr_regress_suite_read(bad, &s, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "only for delegation suites"));
	write_file(bad, "suite: x\nkind: delegation\ncases:\n  - id: a\n    title: t\n"
	                "    param: \"2\"\n    query: {type: SOA}\n    expect: {}\n");
	assert_int_equal(ssr_regress_suite_read(bad, &s, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "only with check"));
}

static const ssr_deleg_check_t *find(const ssr_deleg_report_t *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->checks[i].c->id, id) == 0) {
			return &r->checks[i];
		}
	}
	fail_msg("no check '%s'", id);
	return NULL;
}

static void run(const char *a2, ssr_deleg_report_t *rep, ssr_regress_suite_t *s)
{
	ssr_diag_t d;
	static ssr_deleg_change_t ch;
	char ns1[64], ns2[64];
	snprintf(ns1, sizeof ns1, "ns1.example.=127.55.0.1:%u", port);
	snprintf(ns2, sizeof ns2, "ns2.example.=%s:%u", a2, port);
	assert_int_equal(ssr_regress_suite_read(suite_path, s, &d), SSR_EOK);
	assert_int_equal(ssr_deleg_change_init(&ch, "example.", &d), SSR_EOK);
	assert_int_equal(ssr_deleg_ns_add(&ch, ns1, &d), SSR_EOK);
	assert_int_equal(ssr_deleg_ns_add(&ch, ns2, &d), SSR_EOK);
	ssr_deleg_opts_t o = {.timeout_ms = 700};
	assert_int_equal(ssr_deleg_check(s, &ch, &o, rep, &d), SSR_EOK);
}

static void against_mocks(void **state)
{
	(void)state;
	ssr_deleg_report_t r;
	ssr_regress_suite_t s;
	run("127.55.0.2", &r, &s);
	assert_int_equal(find(&r, "ns-count")->result, SSR_DELEG_PASS);
	assert_int_equal(find(&r, "address-public")->result, SSR_DELEG_FAIL);
	assert_non_null(strstr(find(&r, "address-public")->message, "loopback"));
	assert_int_equal(find(&r, "authoritative")->result, SSR_DELEG_PASS);
	const ssr_deleg_check_t *c = find(&r, "soa-serial");
	assert_int_equal(c->result, SSR_DELEG_FAIL);
	assert_non_null(strstr(c->message, "2 different SOA serials"));
	assert_non_null(strstr(c->message, "'2' from ns2.example."));
	assert_int_equal(c->nev, 2);
	assert_int_equal(find(&r, "soa-rname")->result, SSR_DELEG_PASS);
	assert_int_equal(find(&r, "ns-consistent")->result, SSR_DELEG_PASS);
	c = find(&r, "glue-consistent");
	assert_int_equal(c->result, SSR_DELEG_FAIL);
	assert_non_null(strstr(c->message, "serves ns2.example. A '127.55.0.99'"));
	assert_null(strstr(c->message, "ns1.example. A"));
	assert_int_equal(find(&r, "transport-consistent")->result, SSR_DELEG_PASS);
	assert_int_equal(find(&r, "ds-match")->result, SSR_DELEG_SKIP);
	assert_int_equal(find(&r, "referral-size")->result, SSR_DELEG_PASS);
	assert_false(r.passed);
	assert_int_equal(r.failed[SSR_SEV_ERROR], 3);
	assert_true(r.exchanges > 0);
	/* the JSON document: the checks with ids and evidence */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ssr_diag_t d;
	assert_int_equal(ssr_report_deleg_json(&r, f, &d), SSR_EOK);
	fclose(f);
	json_error_t je;
	json_t *doc = json_loads(buf, 0, &je);
	assert_non_null(doc);
	assert_false(json_boolean_value(json_object_get(doc, "passed")));
	json_t *checks = json_object_get(doc, "checks");
	assert_int_equal(json_array_size(checks), r.n);
	json_t *c0 = json_array_get(checks, 0);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(c0, "ids"), "zonemaster")),
	    "delegation01");
	json_t *ser = json_array_get(checks, 3);
	assert_string_equal(json_string_value(json_object_get(ser, "id")), "soa-serial");
	assert_int_equal(json_array_size(json_object_get(ser, "evidence")), 2);
	json_decref(doc);
	free(buf);
	ssr_deleg_report_release(&r);
	ssr_regress_suite_release(&s);
}

/* A server that does not answer: what needs two answers compares what came; what needs one
 * from anyone still runs; nothing is passed for want of data. */
static void silent_server(void **state)
{
	(void)state;
	ssr_deleg_report_t r;
	ssr_regress_suite_t s;
	run("127.55.0.3", &r, &s); /* nothing listens there */
	const ssr_deleg_check_t *c = find(&r, "authoritative");
	assert_int_equal(c->result, SSR_DELEG_FAIL);
	assert_non_null(strstr(c->message, "ns2.example. 127.55.0.3"));
	assert_int_equal(find(&r, "soa-serial")->result, SSR_DELEG_PASS); /* one server left */
	ssr_deleg_report_release(&r);
	ssr_regress_suite_release(&s);
	/* both silent: the comparisons could not run */
	ssr_deleg_change_t ch;
	ssr_diag_t d;
	assert_int_equal(ssr_regress_suite_read(suite_path, &s, &d), SSR_EOK);
	assert_int_equal(ssr_deleg_change_init(&ch, "example.", &d), SSR_EOK);
	char ns[64];
	snprintf(ns, sizeof ns, "ns1.example.=127.55.0.3:%u", port);
	assert_int_equal(ssr_deleg_ns_add(&ch, ns, &d), SSR_EOK);
	ssr_deleg_opts_t o = {.timeout_ms = 300};
	assert_int_equal(ssr_deleg_check(&s, &ch, &o, &r, &d), SSR_EOK);
	assert_int_equal(find(&r, "soa-serial")->result, SSR_DELEG_ERROR);
	assert_int_equal(find(&r, "glue-consistent")->result, SSR_DELEG_ERROR);
	assert_int_equal(find(&r, "ns-count")->result, SSR_DELEG_FAIL);
	assert_false(r.passed);
	ssr_deleg_report_release(&r);
	/* no name servers, a suite of another kind: errors */
	ssr_deleg_change_t none;
	assert_int_equal(ssr_deleg_change_init(&none, "example.", &d), SSR_EOK);
	assert_int_equal(ssr_deleg_check(&s, &none, &o, &r, &d), SSR_EINVAL);
	s.kind[0] = 'x';
	assert_int_equal(ssr_deleg_check(&s, &ch, &o, &r, &d), SSR_EINVAL);
	ssr_regress_suite_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(change_parse),
	    cmocka_unit_test(shipped_suite),
	    cmocka_unit_test(against_mocks),
	    cmocka_unit_test(silent_server),
	};
	return cmocka_run_group_tests(tests, start, stop);
}
