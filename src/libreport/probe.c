/* ssrwatch — one probe exchange as a JSON document (probe query --format json, probe read): the
 * request, the outcome and timings, and the answer's header, EDNS and records as text. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ssrwatch/jsonout.h"
#include "ssrwatch/probe.h"
#include "ssrwatch/report.h"

#define WHAT "probe"

static int add_rr(int section, const char *text, void *ctx)
{
	json_t **sec = ctx;
	json_t *s = json_string(text);
	if (s == NULL) {
		s = json_string("(not UTF-8)");
	}
	return json_array_append_new(sec[section], s) == 0 ? SSR_EOK : SSR_ENOMEM;
}

static json_t *flags_json(uint16_t f)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} names[] = {{0x8000, "qr"}, {0x0400, "aa"}, {0x0200, "tc"}, {0x0100, "rd"},
	             {0x0080, "ra"}, {0x0040, "z"},  {0x0020, "ad"}, {0x0010, "cd"}};
	json_t *a = json_array();
	for (size_t i = 0; a != NULL && i < sizeof names / sizeof names[0]; i++) {
		if (f & names[i].bit) {
			json_array_append_new(a, json_string(names[i].name));
		}
	}
	return a;
}

static json_t *answer_json(const uint8_t *msg, size_t len, const uint8_t *query, size_t qlen,
                           ssr_diag_t *diag)
{
	ssr_probe_answer_t a;
	ssr_diag_t pd;
	int prc = ssr_probe_parse(msg, len, query, qlen, &a, &pd);
	ssr_jobj_t b = ssr_jobj_new();
	ssr_jobj_int(&b, "size", (int64_t)len);
	if (prc == SSR_EPARSE) {
		ssr_jobj_str(&b, "error", pd.msg);
		json_t *o = NULL;
		return ssr_jobj_finish(&b, WHAT, &o, diag) == SSR_EOK ? o : NULL;
	}
	if (prc != SSR_EOK) {
		ssr_jobj_str(&b, "mismatch", pd.msg);
	}
	char num[16];
	const char *rc = ssr_probe_rcode_name(a.rcode), *op = ssr_probe_opcode_name(a.opcode);
	snprintf(num, sizeof num, "RCODE%u", a.rcode);
	ssr_jobj_int(&b, "id", a.id);
	ssr_jobj_str(&b, "opcode", op ? op : "unassigned");
	ssr_jobj_str(&b, "rcode", rc ? rc : num);
	ssr_jobj_put(&b, "flags", flags_json(a.flags), SSR_ENOMEM);
	json_t *sec[4] = {json_array(), json_array(), json_array(), json_array()};
	ssr_diag_t d;
	if (sec[0] && sec[1] && sec[2] && sec[3] &&
	    ssr_probe_msg_rrs(msg, len, add_rr, sec, &d) != SSR_EOK) {
		ssr_jobj_str(&b, "error", d.msg);
	}
	static const char *const names[] = {"question", "answer", "authority", "additional"};
	for (int i = 0; i < 4; i++) {
		ssr_jobj_put(&b, names[i], sec[i], SSR_ENOMEM);
	}
	if (a.edns) {
		ssr_jobj_t e = ssr_jobj_new();
		ssr_jobj_int(&e, "version", a.edns_version);
		ssr_jobj_int(&e, "udp_size", a.edns_bufsize);
		ssr_jobj_bool(&e, "do", (a.edns_flags & 0x8000) != 0);
		ssr_jobj_int(&e, "flags", a.edns_flags);
		json_t *codes = json_array();
		for (unsigned i = 0; codes != NULL && i < a.nopts; i++) {
			json_array_append_new(codes, json_integer(a.opt_codes[i]));
		}
		ssr_jobj_put(&e, "options", codes, SSR_ENOMEM);
		if (a.has_nsid) {
			char hex[2 * sizeof(a.nsid) + 1], txt[sizeof(a.nsid) + 1];
			for (unsigned i = 0; i < a.nsid_len; i++) {
				snprintf(hex + 2 * i, 3, "%02x", a.nsid[i]);
				txt[i] =
				    a.nsid[i] >= 0x20 && a.nsid[i] < 0x7f ? (char)a.nsid[i] : '.';
			}
			hex[2 * a.nsid_len] = '\0';
			txt[a.nsid_len] = '\0';
			ssr_jobj_str(&e, "nsid", hex);
			ssr_jobj_str(&e, "nsid_text", txt);
		}
		json_t *eo = NULL;
		if (ssr_jobj_finish(&e, WHAT, &eo, diag) == SSR_EOK) {
			ssr_jobj_put(&b, "edns", eo, SSR_ENOMEM);
		}
	} else {
		ssr_jobj_put(&b, "edns", json_null(), SSR_ENOMEM);
	}
	json_t *o = NULL;
	return ssr_jobj_finish(&b, WHAT, &o, diag) == SSR_EOK ? o : NULL;
}

int ssr_report_probe_json(const ssr_probe_result_t *r, json_t **out, ssr_diag_t *diag)
{
	char src[80], dst[80], when[40];
	ssr_probe_addr_format(&r->src, src, sizeof src);
	ssr_probe_addr_format(&r->dst, dst, sizeof dst);
	time_t secs = (time_t)(r->t_send_us / 1000000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	size_t w = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + w, sizeof when - w, ".%06lldZ", (long long)(r->t_send_us % 1000000));
	ssr_jobj_t b = ssr_jobj_new();
	ssr_jobj_int(&b, "seq", (int64_t)r->seq);
	ssr_jobj_str(&b, "label", r->label);
	ssr_jobj_str(&b, "transport", ssr_probe_transport_name(r->transport));
	ssr_jobj_str(&b, "server", dst);
	ssr_jobj_str(&b, "source", src);
	ssr_jobj_str(&b, "sent", when);
	ssr_jobj_str(&b, "outcome", ssr_probe_outcome_name(r->outcome));
	ssr_jobj_put(&b, "rtt_us", r->rtt_us ? json_integer(r->rtt_us) : json_null(), SSR_ENOMEM);
	ssr_jobj_int(&b, "query_size", (int64_t)r->qlen);
	if (r->resp != NULL) {
		json_t *a = answer_json(r->resp, r->rlen, r->query, r->qlen, diag);
		ssr_jobj_put(&b, "answer", a, SSR_ENOMEM);
	} else {
		ssr_jobj_put(&b, "answer", json_null(), SSR_ENOMEM);
	}
	return ssr_jobj_finish(&b, WHAT, out, diag);
}

typedef struct {
	FILE *out;
	int last; /* the section printed last */
} text_t;

static int text_rr(int section, const char *text, void *ctx)
{
	text_t *t = ctx;
	static const char *const head[] = {";; QUESTION SECTION:", ";; ANSWER SECTION:",
	                                   ";; AUTHORITY SECTION:", ";; ADDITIONAL SECTION:"};
	if (section != t->last) {
		fprintf(t->out, "\n%s\n", head[section]);
		t->last = section;
	}
	fprintf(t->out, "%s%s\n", section == 0 ? ";" : "", text);
	return SSR_EOK;
}

int ssr_report_probe_text(const ssr_probe_result_t *r, FILE *out)
{
	char dst[80];
	ssr_probe_addr_format(&r->dst, dst, sizeof dst);
	fprintf(out, ";; %s over %s: %s", dst, ssr_probe_transport_name(r->transport),
	        ssr_probe_outcome_name(r->outcome));
	if (r->rtt_us > 0) {
		fprintf(out, " in %.3f ms", r->rtt_us / 1000.0);
	}
	fputc('\n', out);
	if (r->resp != NULL) {
		ssr_probe_answer_t a;
		ssr_diag_t d;
		int prc = ssr_probe_parse(r->resp, r->rlen, r->query, r->qlen, &a, &d);
		if (prc == SSR_EPARSE) {
			fprintf(out, ";; %zu bytes: %s\n", r->rlen, d.msg);
			return ferror(out) ? SSR_EIO : SSR_EOK;
		}
		if (prc != SSR_EOK) {
			fprintf(out, ";; warning: %s\n", d.msg);
		}
		const char *rc = ssr_probe_rcode_name(a.rcode),
		           *op = ssr_probe_opcode_name(a.opcode);
		fprintf(out, ";; ->>HEADER<<- opcode: %s, status: %s (%u), id: %u\n",
		        op ? op : "unassigned", rc ? rc : "unassigned", a.rcode, a.id);
		json_t *f = flags_json(a.flags);
		fputs(";; flags:", out);
		size_t i;
		json_t *v;
		json_array_foreach(f, i, v)
		{
			fprintf(out, " %s", json_string_value(v));
		}
		json_decref(f);
		fprintf(out, "; QUERY: %u, ANSWER: %u, AUTHORITY: %u, ADDITIONAL: %u\n", a.qdcount,
		        a.ancount, a.nscount, a.arcount);
		if (a.edns) {
			fprintf(out, ";; EDNS: version %u, udp %u, flags 0x%04x%s; options:",
			        a.edns_version, a.edns_bufsize, a.edns_flags,
			        (a.edns_flags & 0x8000) ? " (do)" : "");
			for (unsigned k = 0; k < a.nopts; k++) {
				fprintf(out, " %u", a.opt_codes[k]);
			}
			if (a.has_nsid) {
				fputs("; nsid: \"", out);
				for (unsigned k = 0; k < a.nsid_len; k++) {
					fputc(a.nsid[k] >= 0x20 && a.nsid[k] < 0x7f ? a.nsid[k]
					                                            : '.',
					      out);
				}
				fputc('"', out);
			}
			fputc('\n', out);
		}
		text_t t = {out, -1};
		if (ssr_probe_msg_rrs(r->resp, r->rlen, text_rr, &t, &d) != SSR_EOK) {
			fprintf(out, ";; %s\n", d.msg);
		}
		fprintf(out, "\n;; %zu bytes\n", r->rlen);
	}
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

int ssr_report_probe_summary_json(const ssr_probe_summary_t *s, json_t **out, ssr_diag_t *diag)
{
	ssr_jobj_t b = ssr_jobj_new();
	ssr_jobj_int(&b, "exchanges", (int64_t)s->exchanges);
	json_t *o = json_object();
	for (int i = 0; o != NULL && i < SSR_PROBE_NOUTCOMES; i++) {
		json_object_set_new(o, ssr_probe_outcome_name((ssr_probe_outcome_t)i),
		                    json_integer((json_int_t)s->outcomes[i]));
	}
	ssr_jobj_put(&b, "outcomes", o, SSR_ENOMEM);
	json_t *rc = json_object();
	for (unsigned i = 0; rc != NULL && i < 24; i++) {
		const char *n = ssr_probe_rcode_name((uint16_t)i);
		if (s->rcodes[i] > 0 && n != NULL) {
			json_object_set_new(rc, n, json_integer((json_int_t)s->rcodes[i]));
		}
	}
	ssr_jobj_put(&b, "rcodes", rc, SSR_ENOMEM);
	ssr_jobj_int(&b, "truncated", (int64_t)s->truncated);
	ssr_jobj_int(&b, "elapsed_us", (int64_t)s->elapsed_us);
	ssr_jobj_put(&b, "answers_per_second", json_integer((json_int_t)(s->qps + 0.5)),
	             SSR_ENOMEM);
	ssr_jobj_t r = ssr_jobj_new();
	ssr_jobj_real(&r, "p50", s->rtt_p50);
	ssr_jobj_real(&r, "p90", s->rtt_p90);
	ssr_jobj_real(&r, "p99", s->rtt_p99);
	ssr_jobj_int(&r, "max", s->rtt_max);
	json_t *ro = NULL;
	if (ssr_jobj_finish(&r, WHAT, &ro, diag) == SSR_EOK) {
		ssr_jobj_put(&b, "rtt_us", s->nrtt ? ro : (json_decref(ro), json_null()),
		             SSR_ENOMEM);
	}
	return ssr_jobj_finish(&b, WHAT, out, diag);
}
