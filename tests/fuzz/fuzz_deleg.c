/* libFuzzer target: libdeleg on hostile input.  The first line is a name server and a DS as
 * the command line gives them (ssr_deleg_ns_add, ssr_deleg_ds_add); the rest is cut into
 * length-prefixed answers that stand for what two name servers answered to every question of
 * the survey (SOA, NS, DNSKEY, NSEC3PARAM over UDP and TCP, the glue queries), and every rule
 * of the library judges them: nothing may read outside an answer, loop, or leave a message
 * unterminated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "deleg_priv.h"

static const char *const rules[] = {"ns-count",          "ns-hostname",      "zone-name",
                                    "ns-addresses",      "address-distinct", "address-public",
                                    "prefix-diversity",  "as-diversity",     "referral-size",
                                    "soa-serial",        "soa-rname",        "soa-mname",
                                    "soa-timers",        "soa-values",       "ns-consistent",
                                    "ns-match",          "glue-consistent",  "transport-consistent",
                                    "dnskey-consistent", "ds-digest",        "algorithm",
                                    "ds-match",          "dnskey-signed",    "soa-signed",
                                    "nsec3-params"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 200000) {
		return 0;
	}
	const uint8_t *nl = memchr(data, '\n', size < 600 ? size : 600);
	size_t tl = nl ? (size_t)(nl - data) : 0;
	char text[601];
	memcpy(text, data, tl);
	text[tl] = '\0';
	ssr_diag_t d;
	deleg_survey_t s;
	memset(&s, 0, sizeof s);
	ssr_deleg_opts_t o = {.allow_private = data[0] & 1, .now = 1800000000};
	s.o = &o;
	s.now = o.now;
	if (ssr_deleg_change_init(&s.ch, "example.", &d) != SSR_EOK ||
	    ssr_deleg_ns_add(&s.ch, "ns1.example.=127.0.0.1", &d) != SSR_EOK ||
	    ssr_deleg_ns_add(&s.ch, "ns2.example.=127.1.0.1,::1", &d) != SSR_EOK) {
		abort();
	}
	(void)ssr_deleg_ns_add(&s.ch, text, &d);
	(void)ssr_deleg_ds_add(&s.ch, text, &d);
	(void)ssr_deleg_ds_add(
	    &s.ch, "1 13 2 0000000000000000000000000000000000000000000000000000000000000000", &d);
	if (knot_dname_from_str(s.apex, s.ch.zone, sizeof s.apex) == NULL) {
		abort();
	}
	deleg_srv_t srv[2] = {{.ns = 0, .label = "ns1.example. 127.0.0.1"},
	                      {.ns = 1, .label = "ns2.example. 127.1.0.1"}};
	s.srv = srv;
	s.nsrv = 2;
	s.nsrc = 1;
	snprintf(s.src[0], sizeof s.src[0], "default");
	size_t na = 2 * DELEG_NTR * DELEG_NQ, ng = 2 * (size_t)s.ch.nns * 2;
	deleg_ans_t ans[2 * DELEG_NTR * DELEG_NQ];
	deleg_ans_t glue[2 * SSR_DELEG_MAX_NS * 2];
	memset(ans, 0, sizeof ans);
	memset(glue, 0, sizeof glue);
	s.ans = ans;
	s.glue = glue;
	/* the answers: 2-byte length, bytes; slots in order, the rest empty */
	const uint8_t *p = nl ? nl + 1 : data, *end = data + size;
	for (size_t i = 0; i < na + ng; i++) {
		deleg_ans_t *a = i < na ? &ans[i] : &glue[i - na];
		a->sent = true;
		a->outcome = SSR_PROBE_TIMEOUT;
		a->rcode = -1;
		a->srv =
		    (unsigned)((i < na ? i / (DELEG_NTR * DELEG_NQ) : (i - na) / (s.ch.nns * 2)) %
		               2);
		if (end - p < 2) {
			continue;
		}
		size_t l = (size_t)(p[0] << 8 | p[1]);
		p += 2;
		if (l > (size_t)(end - p)) {
			l = (size_t)(end - p);
		}
		a->resp = (uint8_t *)p;
		a->rlen = l;
		a->outcome = SSR_PROBE_ANSWER;
		a->rcode = l >= 4 ? (p[3] & 0x0f) : 0;
		a->flags = l >= 4 ? (uint16_t)(p[2] << 8 | p[3]) : 0;
		p += l;
	}
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		ssr_regress_case_t c;
		memset(&c, 0, sizeof c);
		snprintf(c.id, sizeof c.id, "%s", rules[i]);
		ssr_deleg_check_t r;
		memset(&r, 0, sizeof r);
		r.c = &c;
		deleg_rule_fn fn = deleg_rule(rules[i]);
		if (fn == NULL) {
			abort();
		}
		(void)fn(&s, &c, &r, &d);
		if (strnlen(r.message, sizeof r.message) >= sizeof r.message ||
		    r.nev > SSR_DELEG_MAX_EVIDENCE) {
			abort();
		}
		free(r.ev);
	}
	return 0;
}
