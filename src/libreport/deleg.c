/* libreport: delegation check reports (libdeleg) as JSON, a table and one HTML page. */
#include <libknot/libknot.h>
#include <stdio.h>
#include <string.h>

#include "ssrwatch/crypto.h"
#include "ssrwatch/deleg.h"
#include "ssrwatch/jsonout.h"
#include "ssrwatch/report.h"

static json_t *evidence(const ssr_deleg_check_t *c)
{
	json_t *a = json_array();
	for (size_t i = 0; a != NULL && i < c->nev; i++) {
		const ssr_deleg_evidence_t *e = &c->ev[i];
		char qt[32];
		const char *rc = e->rcode >= 0 ? ssr_probe_rcode_name((uint16_t)e->rcode) : NULL;
		if (knot_rrtype_to_string(e->qtype, qt, sizeof qt) < 0) {
			snprintf(qt, sizeof qt, "TYPE%u", e->qtype);
		}
		json_t *o =
		    json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "exchange", (json_int_t)e->seq,
		              "server", e->server, "source", e->src, "transport",
		              ssr_probe_transport_name(e->transport), "qname", e->qname, "qtype",
		              qt, "outcome", ssr_probe_outcome_name(e->outcome));
		if (o != NULL && e->rcode >= 0) {
			json_object_set_new(o, "rcode",
			                    rc ? json_string(rc) : json_integer(e->rcode));
			json_object_set_new(o, "aa", json_boolean(e->flags & 0x0400));
		}
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *ids(const ssr_regress_case_t *c)
{
	json_t *o = json_object();
	const char *k[3] = {"iana", "zonemaster", "rst"};
	const char *v[3] = {c->iana, c->zonemaster, c->rst};
	for (int i = 0; o != NULL && i < 3; i++) {
		json_object_set_new(o, k[i], v[i][0] ? json_string(v[i]) : json_null());
	}
	return o;
}

int ssr_report_deleg_json(const ssr_deleg_report_t *r, FILE *out, ssr_diag_t *diag)
{
	ssr_jobj_t b = ssr_jobj_new();
	ssr_jobj_str(&b, "zone", r->change->zone);
	ssr_jobj_str(&b, "suite", r->suite->name);
	ssr_jobj_str(&b, "suite_version", r->suite->version);
	ssr_jobj_bool(&b, "passed", r->passed);
	json_t *fails = json_object();
	for (int s = 0; fails != NULL && s < 5; s++) {
		json_object_set_new(fails, ssr_regress_sev_name((ssr_regress_sev_t)s),
		                    json_integer(r->failed[s]));
	}
	ssr_jobj_put(&b, "failed", fails, SSR_ENOMEM);
	ssr_jobj_int(&b, "exchanges", (int64_t)r->exchanges);
	json_t *src = json_array();
	for (unsigned i = 0; src != NULL && i < r->nsources; i++) {
		json_array_append_new(src, json_string(r->sources[i]));
	}
	ssr_jobj_put(&b, "sources", src, SSR_ENOMEM);
	json_t *ns = json_array();
	const ssr_deleg_change_t *ch = r->resolved ? r->resolved : r->change;
	for (unsigned i = 0; ns != NULL && i < ch->nns; i++) {
		json_t *addrs = json_array();
		for (unsigned k = 0; addrs != NULL && k < ch->ns[i].naddr; k++) {
			char a[80];
			ssr_probe_addr_format(&ch->ns[i].addr[k], a, sizeof a);
			json_array_append_new(addrs, json_string(a));
		}
		json_array_append_new(ns, json_pack("{s:s,s:o,s:b}", "name", ch->ns[i].name,
		                                    "addresses", addrs ? addrs : json_null(),
		                                    "glue_given", ch->ns[i].given));
	}
	ssr_jobj_put(&b, "nameservers", ns, SSR_ENOMEM);
	json_t *ds = json_array();
	for (unsigned i = 0; ds != NULL && i < ch->nds; i++) {
		char hex[129];
		ssr_hex(ch->ds[i].digest, ch->ds[i].len, hex);
		json_array_append_new(ds, json_pack("{s:i,s:i,s:i,s:s}", "key_tag", ch->ds[i].tag,
		                                    "algorithm", ch->ds[i].alg, "digest_type",
		                                    ch->ds[i].digest_type, "digest", hex));
	}
	ssr_jobj_put(&b, "ds", ds, SSR_ENOMEM);
	json_t *checks = json_array();
	int rc = checks ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "delegation: out of memory");
	for (size_t i = 0; rc == SSR_EOK && i < r->n; i++) {
		const ssr_deleg_check_t *c = &r->checks[i];
		ssr_jobj_t o = ssr_jobj_new();
		ssr_jobj_str(&o, "id", c->c->id);
		ssr_jobj_str(&o, "title", c->c->title);
		ssr_jobj_str(&o, "severity", ssr_regress_sev_name(c->c->severity));
		ssr_jobj_str(&o, "result", ssr_deleg_res_name(c->result));
		ssr_jobj_str(&o, "message", c->message);
		ssr_jobj_put(&o, "ids", ids(c->c), SSR_ENOMEM);
		ssr_jobj_put(&o, "evidence", evidence(c), SSR_ENOMEM);
		rc = ssr_jobj_append(&o, "delegation", checks, diag);
	}
	ssr_jobj_put(&b, "checks", checks, SSR_ENOMEM);
	json_t *doc = NULL;
	if (rc == SSR_EOK) {
		rc = ssr_jobj_finish(&b, "delegation", &doc, diag);
	} else if (b.o != NULL) {
		json_decref(b.o);
	}
	if (rc == SSR_EOK && ssr_json_write(doc, out) != SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "delegation: cannot write the output");
	}
	json_decref(doc);
	return rc;
}

int ssr_report_deleg_table(const ssr_deleg_report_t *r, FILE *out)
{
	fprintf(out, "delegation of %s (suite %s %s): %s\n", r->change->zone, r->suite->name,
	        r->suite->version, r->passed ? "PASSED" : "NOT PASSED");
	for (size_t i = 0; i < r->n; i++) {
		const ssr_deleg_check_t *c = &r->checks[i];
		fprintf(out, "  %-5s %-8s %-20s %-15s %s\n", ssr_deleg_res_name(c->result),
		        ssr_regress_sev_name(c->c->severity), c->c->id,
		        c->c->zonemaster[0] ? c->c->zonemaster : "-", c->message);
	}
	fprintf(
	    out, "failed: %u critical, %u error, %u warning, %u notice, %u info; %llu exchanges\n",
	    r->failed[SSR_SEV_CRITICAL], r->failed[SSR_SEV_ERROR], r->failed[SSR_SEV_WARNING],
	    r->failed[SSR_SEV_NOTICE], r->failed[SSR_SEV_INFO], (unsigned long long)r->exchanges);
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

int ssr_report_deleg_html(const ssr_deleg_report_t *r, FILE *out)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
	      "Delegation check: ",
	      out);
	ssr_html_escape(out, r->change->zone);
	fputs("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:"
	      "collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:"
	      "left}.pass{background:#dfd}.fail{background:#fdd}.error{background:#fca}.skip{"
	      "background:#eee}small{color:#555}</style></head><body>\n<h1>Delegation check: ",
	      out);
	ssr_html_escape(out, r->change->zone);
	fprintf(out,
	        "</h1>\n<p><strong>%s</strong>: %u critical and %u error checks failed or "
	        "could not run; %u warnings; %llu exchanges from %u vantage point%s. Suite ",
	        r->passed ? "Passed" : "Not passed", r->failed[SSR_SEV_CRITICAL],
	        r->failed[SSR_SEV_ERROR], r->failed[SSR_SEV_WARNING],
	        (unsigned long long)r->exchanges, r->nsources, r->nsources == 1 ? "" : "s");
	ssr_html_escape(out, r->suite->name);
	fputs(" ", out);
	ssr_html_escape(out, r->suite->version);
	fputs(".</p>\n<table><tr><th>result</th><th>severity</th><th>check</th><th>IANA</th>"
	      "<th>Zonemaster</th><th>RST</th><th>message</th><th>evidence</th></tr>\n",
	      out);
	for (size_t i = 0; i < r->n; i++) {
		const ssr_deleg_check_t *c = &r->checks[i];
		const char *res = ssr_deleg_res_name(c->result);
		fprintf(out, "<tr class=\"%s\"><td>%s</td><td>%s</td><td>", res, res,
		        ssr_regress_sev_name(c->c->severity));
		ssr_html_escape(out, c->c->id);
		fputs("<br><small>", out);
		ssr_html_escape(out, c->c->title);
		fputs("</small></td><td>", out);
		ssr_html_escape(out, c->c->iana);
		fputs("</td><td>", out);
		ssr_html_escape(out, c->c->zonemaster);
		fputs("</td><td>", out);
		ssr_html_escape(out, c->c->rst);
		fputs("</td><td>", out);
		ssr_html_escape(out, c->message);
		fputs("</td><td><small>", out);
		for (size_t k = 0; k < c->nev; k++) {
			char line[700];
			snprintf(line, sizeof line, "#%llu %s from %s over %s: %s type %u",
			         (unsigned long long)c->ev[k].seq, c->ev[k].server, c->ev[k].src,
			         ssr_probe_transport_name(c->ev[k].transport), c->ev[k].qname,
			         c->ev[k].qtype);
			ssr_html_escape(out, line);
			fputs("<br>", out);
		}
		fputs("</small></td></tr>\n", out);
	}
	fputs("</table>\n</body></html>\n", out);
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

json_t *ssr_report_deleg_verdict(const ssr_deleg_change_t *ch, const ssr_deleg_report_t *r)
{
	json_t *o = json_object(), *failed = json_array(), *ns = json_array();
	if (o == NULL || failed == NULL || ns == NULL) {
		json_decref(o);
		json_decref(failed);
		json_decref(ns);
		return NULL;
	}
	json_object_set_new(o, "delegation", json_string(ch->zone));
	for (unsigned i = 0; i < ch->nns; i++) {
		json_array_append_new(ns, json_string(ch->ns[i].name));
	}
	json_object_set_new(o, "nameservers", ns);
	json_object_set_new(o, "ds", json_integer(ch->nds));
	json_object_set_new(o, "passed", r ? json_boolean(r->passed) : json_null());
	for (size_t i = 0; r != NULL && i < r->n; i++) {
		const ssr_deleg_check_t *c = &r->checks[i];
		if (c->result == SSR_DELEG_FAIL || c->result == SSR_DELEG_ERROR) {
			json_array_append_new(
			    failed,
			    json_pack("{s:s,s:s,s:s,s:s}", "id", c->c->id, "severity",
			              ssr_regress_sev_name(c->c->severity), "result",
			              ssr_deleg_res_name(c->result), "message", c->message));
		}
	}
	json_object_set_new(o, "failed", failed);
	if (r == NULL) {
		json_object_set_new(o, "note",
		                    json_string("no longer delegated: nothing to check"));
	}
	return o;
}
