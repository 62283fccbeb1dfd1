/* libescrow: the RST code table, the value rules (e-mail, country code, roid, dateTime), the
 * streaming reader's objects, events and caps, and the validation of small hand-made deposits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ssrwatch/escrow.h"
#include "ssrwatch/escrowgen.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/ssrwatch-escrow-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void codes_table(void **state)
{
	(void)state;
	size_t n;
	const ssr_rde_code_t *c = ssr_rde_codes(&n);
	assert_int_equal(n, 86);
	for (size_t i = 1; i < n; i++) {
		assert_true(strcmp(c[i - 1].code, c[i].code) < 0); /* sorted: the index searches */
	}
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ssr_rde_code_index(c[i].code), (int)i);
		assert_true(strncmp(c[i].check, "rde-", 4) == 0);
	}
	assert_int_equal(ssr_rde_code_index("RDE_NO_SUCH_CODE"), -1);
	assert_int_equal(c[ssr_rde_code_index("RDE_XML_PARSE_ERROR")].severity,
	                 SSR_RDE_SEV_CRITICAL);
	assert_int_equal(c[ssr_rde_code_index("RDE_DECRYPTION_FAILED")].severity,
	                 SSR_RDE_SEV_CRITICAL);
	assert_int_equal(c[ssr_rde_code_index("RDE_OBJECT_COUNT_MISMATCH")].severity,
	                 SSR_RDE_SEV_ERROR);
	/* every code a generated fault stands for is in the table */
	for (const char *const *f = ssr_escrowgen_faults(); *f; f++) {
		assert_true(ssr_rde_code_index(ssr_escrowgen_fault_code(*f)) >= 0);
	}
}

static void value_rules(void **state)
{
	(void)state;
	assert_true(ssr_rde_email_valid("jdoe@example.com"));
	assert_true(ssr_rde_email_valid("first.last+tag@sub.example.org"));
	assert_true(ssr_rde_email_valid("\"a b\"@example.com"));
	assert_true(ssr_rde_email_valid("x@[192.0.2.1]"));
	assert_false(ssr_rde_email_valid("holder..bad@example.net"));
	assert_false(ssr_rde_email_valid("no-at-sign"));
	assert_false(ssr_rde_email_valid("@example.com"));
	assert_false(ssr_rde_email_valid("a@"));
	assert_false(ssr_rde_email_valid(".a@example.com"));
	assert_false(ssr_rde_email_valid("a b@example.com"));
	assert_true(ssr_rde_cc_valid("US"));
	assert_true(ssr_rde_cc_valid("ZW"));
	assert_true(ssr_rde_cc_valid("AX"));
	assert_false(ssr_rde_cc_valid("XX"));
	assert_false(ssr_rde_cc_valid("us"));
	assert_false(ssr_rde_cc_valid("USA"));
	assert_false(ssr_rde_cc_valid("UK")); /* GB is the code */
	const char *repo = NULL;
	assert_true(ssr_rde_roid_valid("D123-EXAMPLE", &repo));
	assert_string_equal(repo, "EXAMPLE");
	assert_true(ssr_rde_roid_valid("a_b_c-1", &repo));
	assert_string_equal(repo, "1");
	assert_false(ssr_rde_roid_valid("a-b-1", NULL)); /* \w only before the last hyphen */
	assert_false(ssr_rde_roid_valid("D123EXAMPLE", NULL));
	assert_false(ssr_rde_roid_valid("D123-TOOLONGREPO", NULL));
	assert_false(ssr_rde_roid_valid("-X", NULL));
	assert_false(ssr_rde_roid_valid("D 1-X", NULL));
	int64_t t;
	assert_int_equal(ssr_escrow_time_parse("2026-01-01T00:00:00Z", &t), SSR_EOK);
	assert_int_equal(t, 1767225600);
	assert_int_equal(ssr_escrow_time_parse("2026-01-01T01:00:00.123+01:00", &t), SSR_EOK);
	assert_int_equal(t, 1767225600);
	assert_int_equal(ssr_escrow_time_parse("2025-12-31T19:00:00-05:00", &t), SSR_EOK);
	assert_int_equal(t, 1767225600);
	assert_int_equal(ssr_escrow_time_parse("2026-01-01T00:00:00", &t),
	                 SSR_EOK); /* no zone: UTC */
	assert_int_equal(t, 1767225600);
	assert_int_equal(ssr_escrow_time_parse("2026-02-30T00:00:00Z", &t), SSR_EPARSE);
	assert_int_equal(ssr_escrow_time_parse("2026-01-01 00:00:00Z", &t), SSR_EPARSE);
	assert_int_equal(ssr_escrow_time_parse("2026-01-01T00:00:00.Z", &t), SSR_EPARSE);
	assert_int_equal(ssr_escrow_time_parse("2026-01-01T00:00:00Zjunk", &t), SSR_EPARSE);
}

#define HEAD                                                                                       \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                             \
	"<rde:deposit type=\"DIFF\" id=\"20260102001\" prevId=\"20260101001\" resend=\"2\""        \
	" xmlns:rde=\"urn:ietf:params:xml:ns:rde-1.0\""                                            \
	" xmlns:rdeDomain=\"urn:ietf:params:xml:ns:rdeDomain-1.0\""                                \
	" xmlns:domain=\"urn:ietf:params:xml:ns:domain-1.0\""                                      \
	" xmlns:secDNS=\"urn:ietf:params:xml:ns:secDNS-1.1\""                                      \
	" xmlns:rdeHost=\"urn:ietf:params:xml:ns:rdeHost-1.0\""                                    \
	" xmlns:rdeHeader=\"urn:ietf:params:xml:ns:rdeHeader-1.0\">\n"                             \
	"<rde:watermark>2026-01-02T00:00:00Z</rde:watermark>\n"                                    \
	"<rde:rdeMenu><rde:version>1.0</rde:version>"                                              \
	"<rde:objURI>urn:ietf:params:xml:ns:rdeDomain-1.0</rde:objURI>"                            \
	"<rde:objURI>urn:ietf:params:xml:ns:rdeHost-1.0</rde:objURI></rde:rdeMenu>\n"

typedef struct {
	int deposits, domains, hosts, deletes, others, headers, ends;
	char deleted[64], ds[128], ns[128], contact[64], status[64], addr[64], dep_prev[32];
	unsigned resend, nattr_addrs;
	int64_t wm;
	uint64_t domain_line;
} seen_t;

static int collect(const ssr_escrow_event_t *e, void *ctx)
{
	seen_t *s = ctx;
	switch (e->ev) {
	case SSR_ESCROW_EV_DEPOSIT:
		s->deposits++;
		snprintf(s->dep_prev, sizeof s->dep_prev, "%s", e->u.deposit->prev_id);
		s->resend = e->u.deposit->resend;
		s->wm = e->u.deposit->watermark_t;
		break;
	case SSR_ESCROW_EV_OBJECT:
		if (e->kind == SSR_ESCROW_DOMAIN) {
			const ssr_escrow_domain_t *d = e->u.domain;
			s->domains++;
			s->domain_line = e->line;
			snprintf(s->ns, sizeof s->ns, "%s,%s", d->host_obj[0],
			         d->host_attr[0].name);
			s->nattr_addrs = d->host_attr[0].naddrs;
			snprintf(s->ds, sizeof s->ds, "%u %u %u %s", d->ds[0].key_tag, d->ds[0].alg,
			         d->ds[0].digest_type, d->ds[0].digest);
			snprintf(s->contact, sizeof s->contact, "%s=%s", d->contacts[0].type,
			         d->contacts[0].id);
			snprintf(s->status, sizeof s->status, "%s+%s", d->status[0], d->status[1]);
		} else if (e->kind == SSR_ESCROW_HOST) {
			s->hosts++;
			snprintf(s->addr, sizeof s->addr, "%s%s", e->u.host->addrs[0],
			         e->u.host->v6[0] ? "/6" : "/4");
		} else if (e->kind == SSR_ESCROW_HEADER) {
			s->headers++;
		}
		break;
	case SSR_ESCROW_EV_DELETE:
		s->deletes++;
		snprintf(s->deleted, sizeof s->deleted, "%s", e->deleted);
		break;
	case SSR_ESCROW_EV_OTHER:
		s->others++;
		break;
	case SSR_ESCROW_EV_END:
		s->ends++;
		break;
	case SSR_ESCROW_EV_CSV:
		break;
	}
	return SSR_EOK;
}

static void reader_objects(void **state)
{
	(void)state;
	const char *p = write_file(
	    "a.xml", HEAD
	    "<rde:deletes><rdeDomain:delete><rdeDomain:name>gone.example</rdeDomain:name>"
	    "</rdeDomain:delete></rde:deletes>\n<rde:contents>\n"
	    "<rdeDomain:domain>\n <rdeDomain:name> a.example </rdeDomain:name>\n"
	    " <rdeDomain:status s=\"clientHold\"/><rdeDomain:status s=\"serverHold\"/>\n"
	    " <rdeDomain:contact type=\"admin\">c1</rdeDomain:contact>\n"
	    " <rdeDomain:ns><domain:hostObj>ns1.a.example</domain:hostObj><domain:hostAttr>"
	    "<domain:hostName>ns.b.example</domain:hostName><domain:hostAddr ip=\"v4\">192.0.2.1"
	    "</domain:hostAddr><domain:hostAddr ip=\"v6\">2001:db8::1</domain:hostAddr>"
	    "</domain:hostAttr></rdeDomain:ns>\n"
	    " <rdeDomain:secDNS><secDNS:dsData><secDNS:keyTag>12345</secDNS:keyTag><secDNS:alg>13"
	    "</secDNS:alg><secDNS:digestType>2</secDNS:digestType><secDNS:digest>ABCD"
	    "</secDNS:digest></secDNS:dsData></rdeDomain:secDNS>\n</rdeDomain:domain>\n"
	    "<rdeHost:host><rdeHost:name>ns1.a.example</rdeHost:name><rdeHost:addr ip=\"v6\">"
	    "2001:db8::53</rdeHost:addr></rdeHost:host>\n"
	    "<other:thing xmlns:other=\"urn:x\"><other:x/></other:thing>\n"
	    "<rdeHeader:header><rdeHeader:tld>example</rdeHeader:tld></rdeHeader:header>\n"
	    "</rde:contents></rde:deposit>\n");
	seen_t s = {0};
	ssr_escrow_read_opts_t o = {.ctx = &s};
	ssr_escrow_read_stats_t st;
	ssr_diag_t d = {0};
	assert_int_equal(ssr_escrow_read(p, &o, collect, &st, &d), SSR_EOK);
	assert_int_equal(s.deposits, 1);
	assert_string_equal(s.dep_prev, "20260101001");
	assert_int_equal(s.resend, 2);
	assert_int_equal(s.wm, 1767312000);
	assert_int_equal(s.domains, 1);
	assert_int_equal(s.domain_line, 7);
	assert_string_equal(s.ns, "ns1.a.example,ns.b.example");
	assert_int_equal(s.nattr_addrs, 2);
	assert_string_equal(s.ds, "12345 13 2 ABCD");
	assert_string_equal(s.contact, "admin=c1");
	assert_string_equal(s.status, "clientHold+serverHold");
	assert_int_equal(s.hosts, 1);
	assert_string_equal(s.addr, "2001:db8::53/6");
	assert_int_equal(s.deletes, 1);
	assert_string_equal(s.deleted, "gone.example");
	assert_int_equal(s.others, 1);
	assert_int_equal(s.headers, 1);
	assert_int_equal(s.ends, 1);
	assert_int_equal(st.documents, 1);
	assert_int_equal(st.objects[SSR_ESCROW_DOMAIN], 1);
}

static void reader_caps(void **state)
{
	(void)state;
	seen_t s = {0};
	ssr_escrow_read_opts_t o = {.ctx = &s};
	ssr_escrow_read_stats_t st;
	ssr_diag_t d = {0};
	/* more status values than the cap */
	char *big = malloc(200000);
	assert_non_null(big);
	size_t l = (size_t)snprintf(
	    big, 200000,
	    "%s<rde:contents><rdeDomain:domain><rdeDomain:name>a.example</rdeDomain:name>", HEAD);
	for (int i = 0; i < SSR_ESCROW_MAX_LIST + 1; i++) {
		l += (size_t)snprintf(big + l, 200000 - l, "<rdeDomain:status s=\"ok\"/>");
	}
	snprintf(big + l, 200000 - l, "</rdeDomain:domain></rde:contents></rde:deposit>");
	assert_int_equal(ssr_escrow_read(write_file("b.xml", big), &o, collect, &st, &d),
	                 SSR_ELIMIT);
	assert_non_null(strstr(d.msg, "status values"));
	/* text longer than the cap */
	l = (size_t)snprintf(big, 200000, "%s<rde:contents><rdeDomain:domain><rdeDomain:name>",
	                     HEAD);
	memset(big + l, 'a', SSR_ESCROW_MAX_TEXT + 10);
	l += SSR_ESCROW_MAX_TEXT + 10;
	snprintf(big + l, 200000 - l,
	         "</rdeDomain:name></rdeDomain:domain></rde:contents></rde:deposit>");
	assert_int_equal(ssr_escrow_read(write_file("c.xml", big), &o, collect, &st, &d),
	                 SSR_ELIMIT);
	assert_non_null(strstr(d.msg, "longer than"));
	free(big);
	/* a DOCTYPE: refused before any entity is expanded */
	assert_int_equal(
	    ssr_escrow_read(
	        write_file("d.xml",
	                   "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>"),
	        &o, collect, &st, &d),
	    SSR_EUNSUPPORTED);
	/* not well-formed: the message names the file, line and column */
	assert_int_equal(
	    ssr_escrow_read(write_file("e.xml", "<a>\n<b></a>\n"), &o, collect, &st, &d),
	    SSR_EPARSE);
	assert_non_null(strstr(d.msg, "'e.xml' line 2"));
	/* a document that ends early */
	assert_int_equal(
	    ssr_escrow_read(write_file("f.xml", HEAD "<rde:contents>"), &o, collect, &st, &d),
	    SSR_EPARSE);
	/* a caller that stops */
	assert_int_equal(
	    ssr_escrow_read(write_file("g.xml", HEAD "<rde:contents></rde:contents></rde:deposit>"),
	                    &o, collect, &st, &d),
	    SSR_EOK);
}

static int stop_at_deposit(const ssr_escrow_event_t *e, void *ctx)
{
	(void)ctx;
	return e->ev == SSR_ESCROW_EV_DEPOSIT ? SSR_ESTOP : SSR_EOK;
}

static void reader_stop(void **state)
{
	(void)state;
	ssr_escrow_read_opts_t o = {0};
	ssr_escrow_read_stats_t st;
	ssr_diag_t d = {0};
	assert_int_equal(
	    ssr_escrow_read(write_file("h.xml", HEAD "<rde:contents></rde:contents></rde:deposit>"),
	                    &o, stop_at_deposit, &st, &d),
	    SSR_ESTOP);
}

static const ssr_rde_finding_t *finding(const ssr_rde_result_t *r, const char *code)
{
	return &r->findings[ssr_rde_code_index(code)];
}

static void validate_small(void **state)
{
	(void)state;
	/* a FULL with a domain created after the watermark, one expired but pendingDelete (fine),
	 * one expired (an error), a host under the TLD without an address, a dangling registrar */
	const char *p = write_file(
	    "example_2026-01-02_full_S1_R0.xml",
	    "<?xml version=\"1.0\"?><rde:deposit type=\"FULL\" id=\"1\""
	    " xmlns:rde=\"urn:ietf:params:xml:ns:rde-1.0\""
	    " xmlns:rdeDomain=\"urn:ietf:params:xml:ns:rdeDomain-1.0\""
	    " xmlns:rdeHost=\"urn:ietf:params:xml:ns:rdeHost-1.0\""
	    " xmlns:domain=\"urn:ietf:params:xml:ns:domain-1.0\""
	    " xmlns:rdeRegistrar=\"urn:ietf:params:xml:ns:rdeRegistrar-1.0\""
	    " xmlns:rdeHeader=\"urn:ietf:params:xml:ns:rdeHeader-1.0\">"
	    "<rde:watermark>2026-01-02T00:00:00Z</rde:watermark><rde:rdeMenu><rde:version>1.0</"
	    "rde:version>"
	    "<rde:objURI>urn:ietf:params:xml:ns:rdeDomain-1.0</rde:objURI>"
	    "<rde:objURI>urn:ietf:params:xml:ns:rdeHost-1.0</rde:objURI>"
	    "<rde:objURI>urn:ietf:params:xml:ns:rdeRegistrar-1.0</rde:objURI></"
	    "rde:rdeMenu><rde:contents>"
	    "<rdeRegistrar:registrar><rdeRegistrar:id>reg1</rdeRegistrar:id><rdeRegistrar:name>R</"
	    "rdeRegistrar:name>"
	    "<rdeRegistrar:gurid>9</rdeRegistrar:gurid></rdeRegistrar:registrar>"
	    "<rdeDomain:domain><rdeDomain:name>new.example</rdeDomain:name><rdeDomain:roid>D1-X</"
	    "rdeDomain:roid>"
	    "<rdeDomain:status s=\"ok\"/><rdeDomain:clID>reg1</rdeDomain:clID>"
	    "<rdeDomain:crDate>2026-01-02T00:00:01Z</"
	    "rdeDomain:crDate><rdeDomain:exDate>2027-01-01T00:00:00Z</rdeDomain:exDate></"
	    "rdeDomain:domain>"
	    "<rdeDomain:domain><rdeDomain:name>pd.example</rdeDomain:name><rdeDomain:roid>D2-X</"
	    "rdeDomain:roid>"
	    "<rdeDomain:status s=\"pendingDelete\"/><rdeDomain:clID>reg1</rdeDomain:clID>"
	    "<rdeDomain:crDate>2020-01-01T00:00:00Z</"
	    "rdeDomain:crDate><rdeDomain:exDate>2025-01-01T00:00:00Z</rdeDomain:exDate></"
	    "rdeDomain:domain>"
	    "<rdeDomain:domain><rdeDomain:name>old.example</rdeDomain:name><rdeDomain:roid>D3-X</"
	    "rdeDomain:roid>"
	    "<rdeDomain:status s=\"ok\"/><rdeDomain:clID>reg2</rdeDomain:clID>"
	    "<rdeDomain:crDate>2020-01-01T00:00:00Z</"
	    "rdeDomain:crDate><rdeDomain:exDate>2025-01-01T00:00:00Z</rdeDomain:exDate></"
	    "rdeDomain:domain>"
	    "<rdeHost:host><rdeHost:name>ns1.old.example</rdeHost:name><rdeHost:roid>H1-X</"
	    "rdeHost:roid>"
	    "<rdeHost:status s=\"ok\"/><rdeHost:clID>reg1</rdeHost:clID></rdeHost:host>"
	    "<rdeHeader:header><rdeHeader:tld>example</rdeHeader:tld>"
	    "<rdeHeader:count uri=\"urn:ietf:params:xml:ns:rdeDomain-1.0\">3</rdeHeader:count>"
	    "<rdeHeader:count uri=\"urn:ietf:params:xml:ns:rdeHost-1.0\">1</rdeHeader:count>"
	    "<rdeHeader:count uri=\"urn:ietf:params:xml:ns:rdeRegistrar-1.0\">1</rdeHeader:count>"
	    "</rdeHeader:header></rde:contents></rde:deposit>");
	ssr_rde_opts_t o;
	ssr_rde_opts_init(&o);
	o.no_schema = true;
	ssr_rde_result_t r;
	ssr_diag_t d = {0};
	assert_int_equal(ssr_rde_validate(p, &o, &r, &d), SSR_EOK);
	assert_false(r.valid); /* schema validation did not run, and there are findings */
	assert_int_equal(r.state[3], SSR_RDE_NOT_RUN);
	assert_int_equal(r.model, SSR_RDE_MODEL_MINIMUM);
	assert_int_equal(r.hosts, SSR_RDE_HOSTS_OBJECTS);
	assert_int_equal(finding(&r, "RDE_DOMAIN_HAS_INVALID_CRDATE")->count, 1);
	assert_string_equal(finding(&r, "RDE_DOMAIN_HAS_INVALID_CRDATE")->examples[0].subject,
	                    "domain 'new.example'");
	assert_int_equal(finding(&r, "RDE_DOMAIN_HAS_INVALID_EXDATE")->count, 1);
	assert_string_equal(finding(&r, "RDE_DOMAIN_HAS_INVALID_EXDATE")->examples[0].subject,
	                    "domain 'old.example'");
	assert_int_equal(finding(&r, "RDE_DOMAIN_HAS_INVALID_CLID")->count, 1);
	assert_int_equal(finding(&r, "RDE_HOST_HAS_MISSING_IP_ADDRESS")->count, 1);
	assert_int_equal(finding(&r, "RDE_OBJECT_COUNT_MISMATCH")->count, 0);
	assert_int_equal(finding(&r, "RDE_MISSING_EPP_PARAMS_OBJECT")->count, 1);
	assert_int_equal(finding(&r, "RDE_MISSING_OBJECT_URI")->count, 1); /* eppParams */
	ssr_rde_result_release(&r);
	/* the examples are capped, the count is not */
	ssr_rde_opts_init(&o);
	o.no_schema = true;
	o.examples = 1;
	o.model = SSR_RDE_MODEL_MAXIMUM;
	o.tlds[o.ntlds++] = "other";
	assert_int_equal(ssr_rde_validate(p, &o, &r, &d), SSR_EOK);
	assert_int_equal(finding(&r, "RDE_DOMAIN_HAS_MISSING_REGISTRANT")->count, 3);
	assert_int_equal(finding(&r, "RDE_DOMAIN_HAS_MISSING_REGISTRANT")->nexamples, 1);
	assert_int_equal(finding(&r, "RDE_INVALID_FILENAME")->count, 1); /* not a TLD of the test */
	assert_int_equal(finding(&r, "RDE_DOMAIN_HAS_INVALID_NAME")->count, 0); /* the file's TLD */
	ssr_rde_result_release(&r);
	/* a missing deposit is an error */
	assert_int_equal(ssr_rde_validate("/nonexistent/x.xml", &o, &r, &d), SSR_ENOTFOUND);
	ssr_rde_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(codes_table),    cmocka_unit_test(value_rules),
	    cmocka_unit_test(reader_objects), cmocka_unit_test(reader_caps),
	    cmocka_unit_test(reader_stop),    cmocka_unit_test(validate_small),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
