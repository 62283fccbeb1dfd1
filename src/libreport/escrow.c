/* libreport: escrow deposit validation (RST StandardRDE): JSON with the codes, a table, HTML. */
#include <stdio.h>
#include <string.h>

#include "ssrwatch/escrow.h"
#include "ssrwatch/jsonout.h"
#include "ssrwatch/report.h"

static const char *const type_names[] = {"FULL", "INCR", "DIFF"};
static const char *const model_names[] = {"auto", "minimum", "maximum", "per-registrar"};
static const char *const host_names[] = {"auto", "objects", "attributes"};
static const char *const state_names[] = {"run", "skipped", "not-run"};

static json_t *one_json(const ssr_rde_result_t *r)
{
	size_t ncodes;
	const ssr_rde_code_t *codes = ssr_rde_codes(&ncodes);
	json_t *o = json_object(), *cs = json_array(), *checks = json_array(),
	       *counts = json_object();
	if (!o || !cs || !checks || !counts) {
		json_decref(o);
		json_decref(cs);
		json_decref(checks);
		json_decref(counts);
		return NULL;
	}
	json_object_set_new(o, "deposit", json_string(r->path));
	json_object_set_new(o, "file", json_string(r->file));
	json_object_set_new(o, "valid", json_boolean(r->valid));
	json_object_set_new(o, "type", json_string(type_names[r->type]));
	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "prev_id", r->prev_id[0] ? json_string(r->prev_id) : json_null());
	json_object_set_new(o, "resend", json_integer(r->resend));
	json_object_set_new(o, "watermark", json_string(r->watermark));
	json_object_set_new(o, "tld", json_string(r->tld));
	json_object_set_new(o, "data_model", json_string(model_names[r->model]));
	json_object_set_new(o, "host_model", json_string(host_names[r->hosts]));
	json_object_set_new(o, "encrypted", json_boolean(r->read.encrypted));
	json_object_set_new(o, "bytes", json_integer((json_int_t)r->read.bytes_in));
	json_object_set_new(o, "xml_bytes", json_integer((json_int_t)r->read.bytes_xml));
	json_object_set_new(o, "seconds", json_real(r->seconds));
	json_object_set_new(o, "xref_bytes", json_integer((json_int_t)r->xref_bytes));
	for (int k = 0; k < SSR_ESCROW_NKINDS; k++) {
		if (k == SSR_ESCROW_HEADER) {
			continue;
		}
		json_t *c = json_object();
		json_object_set_new(c, "found", json_integer((json_int_t)r->counted[k]));
		json_object_set_new(c, "header",
		                    r->header[k] < 0 ? json_null() : json_integer(r->header[k]));
		json_object_set_new(counts, ssr_escrow_kind_name(k), c);
	}
	json_object_set_new(o, "objects", counts);
	for (size_t i = 0; i < ncodes; i++) {
		const ssr_rde_finding_t *f = &r->findings[i];
		if (!f->count) {
			continue;
		}
		json_t *c = json_object(), *ex = json_array();
		json_object_set_new(c, "code", json_string(codes[i].code));
		json_object_set_new(c, "check", json_string(codes[i].check));
		json_object_set_new(
		    c, "severity",
		    json_string(codes[i].severity == SSR_RDE_SEV_CRITICAL ? "CRITICAL" : "ERROR"));
		json_object_set_new(c, "count", json_integer((json_int_t)f->count));
		for (unsigned k = 0; k < f->nexamples; k++) {
			const ssr_rde_example_t *e = &f->examples[k];
			json_t *x = json_object();
			json_object_set_new(x, "member", json_string(e->member));
			json_object_set_new(
			    x, "line", e->line ? json_integer((json_int_t)e->line) : json_null());
			json_object_set_new(x, "subject", json_string(e->subject));
			json_object_set_new(x, "detail", json_string(e->detail));
			json_array_append_new(ex, x);
		}
		json_object_set_new(c, "examples", ex);
		json_array_append_new(cs, c);
	}
	json_object_set_new(o, "codes", cs);
	for (int c = 0; c < SSR_RDE_NCHECKS; c++) {
		char id[8];
		snprintf(id, sizeof id, "rde-%02d", c + 1);
		json_t *x = json_object();
		json_object_set_new(x, "check", json_string(id));
		json_object_set_new(x, "state", json_string(state_names[r->state[c]]));
		json_object_set_new(x, "why", r->why[c][0] ? json_string(r->why[c]) : json_null());
		json_array_append_new(checks, x);
	}
	json_object_set_new(o, "checks", checks);
	return o;
}

int ssr_report_rde_json(const ssr_rde_result_t *r, size_t n, FILE *out, ssr_diag_t *diag)
{
	json_t *a = json_array();
	if (!a) {
		return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		json_t *o = one_json(&r[i]);
		if (!o || json_array_append_new(a, o) != 0) {
			json_decref(a);
			return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
		}
	}
	int rc = ssr_json_write(a, out);
	json_decref(a);
	return rc == SSR_EOK ? SSR_EOK
	                     : ssr_diag_set(diag, SSR_EIO, "escrow: cannot write the report");
}

int ssr_report_rde_table(const ssr_rde_result_t *r, size_t n, FILE *out)
{
	size_t ncodes;
	const ssr_rde_code_t *codes = ssr_rde_codes(&ncodes);
	for (size_t i = 0; i < n; i++) {
		const ssr_rde_result_t *x = &r[i];
		fprintf(out, "deposit %s: %s\n", x->file, x->valid ? "VALID" : "NOT VALID");
		fprintf(out,
		        "  type %s id %s watermark %s tld %s model %s/%s, %.1f MB XML in %.2f s\n",
		        type_names[x->type], x->id, x->watermark, x->tld, model_names[x->model],
		        host_names[x->hosts], (double)x->read.bytes_xml / 1e6, x->seconds);
		fprintf(out, "  objects:");
		for (int k = 0; k < SSR_ESCROW_NKINDS; k++) {
			if (k != SSR_ESCROW_HEADER && (x->counted[k] || x->header[k] >= 0)) {
				fprintf(out, " %s %llu", ssr_escrow_kind_name(k),
				        (unsigned long long)x->counted[k]);
			}
		}
		fprintf(out, "\n");
		for (int c = 0; c < SSR_RDE_NCHECKS; c++) {
			if (x->state[c] != SSR_RDE_RUN) {
				fprintf(out, "  rde-%02d %s: %s\n", c + 1, state_names[x->state[c]],
				        x->why[c]);
			}
		}
		for (size_t k = 0; k < ncodes; k++) {
			const ssr_rde_finding_t *f = &x->findings[k];
			if (!f->count) {
				continue;
			}
			fprintf(out, "  %s %s %s x%llu\n", codes[k].check,
			        codes[k].severity == SSR_RDE_SEV_CRITICAL ? "CRITICAL" : "ERROR",
			        codes[k].code, (unsigned long long)f->count);
			for (unsigned e = 0; e < f->nexamples; e++) {
				const ssr_rde_example_t *ex = &f->examples[e];
				if (ex->line) {
					fprintf(out, "      %s line %llu: %s: %s\n", ex->member,
					        (unsigned long long)ex->line, ex->subject,
					        ex->detail);
				} else {
					fprintf(out, "      %s: %s\n", ex->subject, ex->detail);
				}
			}
		}
	}
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

int ssr_report_rde_html(const ssr_rde_result_t *r, size_t n, FILE *out)
{
	size_t ncodes;
	const ssr_rde_code_t *codes = ssr_rde_codes(&ncodes);
	fprintf(
	    out,
	    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Escrow deposit validation"
	    "</title><style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:2px "
	    "6px}"
	    "table{border-collapse:collapse}.bad{color:#a00}.ok{color:#070}</style></head><body>\n"
	    "<h1>Escrow deposit validation (RST StandardRDE)</h1>\n");
	for (size_t i = 0; i < n; i++) {
		const ssr_rde_result_t *x = &r[i];
		fprintf(out, "<h2>");
		ssr_html_escape(out, x->file);
		fprintf(out, ": <span class=\"%s\">%s</span></h2>\n<p>type %s, id ",
		        x->valid ? "ok" : "bad", x->valid ? "valid" : "not valid",
		        type_names[x->type]);
		ssr_html_escape(out, x->id);
		fprintf(out, ", watermark ");
		ssr_html_escape(out, x->watermark);
		fprintf(out, ", TLD ");
		ssr_html_escape(out, x->tld);
		fprintf(out, "</p>\n<table><tr><th>check</th><th>state</th><th>why</th></tr>\n");
		for (int c = 0; c < SSR_RDE_NCHECKS; c++) {
			fprintf(out, "<tr><td>rde-%02d</td><td>%s</td><td>", c + 1,
			        state_names[x->state[c]]);
			ssr_html_escape(out, x->why[c]);
			fprintf(out, "</td></tr>\n");
		}
		fprintf(out, "</table>\n<table><tr><th>check</th><th>severity</th><th>code</"
		             "th><th>count</th>"
		             "<th>examples</th></tr>\n");
		for (size_t k = 0; k < ncodes; k++) {
			const ssr_rde_finding_t *f = &x->findings[k];
			if (!f->count) {
				continue;
			}
			fprintf(out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%llu</td><td>",
			        codes[k].check,
			        codes[k].severity == SSR_RDE_SEV_CRITICAL ? "CRITICAL" : "ERROR",
			        codes[k].code, (unsigned long long)f->count);
			for (unsigned e = 0; e < f->nexamples; e++) {
				ssr_html_escape(out, f->examples[e].subject);
				fprintf(out, ": ");
				ssr_html_escape(out, f->examples[e].detail);
				fprintf(out, "<br>");
			}
			fprintf(out, "</td></tr>\n");
		}
		fprintf(out, "</table>\n");
	}
	fprintf(out, "</body></html>\n");
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

/* ---- restore, reconcile, drill ---- */

static json_t *restore_json(const ssr_escrow_restore_t *r)
{
	json_t *o = json_object();
	if (!o) {
		return NULL;
	}
	json_object_set_new(o, "tld", json_string(r->tld));
	json_object_set_new(o, "full", json_string(r->full));
	json_object_set_new(o, "full_id", json_string(r->full_id));
	json_object_set_new(o, "watermark", json_string(r->watermark));
	json_object_set_new(o, "diffs_applied", json_integer(r->diffs));
	json_object_set_new(o, "deposits_skipped", json_integer(r->skipped));
	json_object_set_new(o, "domains", json_integer((json_int_t)r->domains));
	json_object_set_new(o, "delegated", json_integer((json_int_t)r->delegated));
	json_object_set_new(o, "held", json_integer((json_int_t)r->held));
	json_object_set_new(o, "without_ns", json_integer((json_int_t)r->no_ns));
	json_object_set_new(o, "ds", json_integer((json_int_t)r->ds));
	json_object_set_new(o, "glue", json_integer((json_int_t)r->glue));
	json_object_set_new(o, "serial", json_integer(r->serial));
	json_object_set_new(o, "decrypt_s", json_real(r->decrypt_s));
	json_object_set_new(o, "parse_s", json_real(r->parse_s));
	json_object_set_new(o, "build_s", json_real(r->build_s));
	return o;
}

static void restore_text(FILE *f, const ssr_escrow_restore_t *r)
{
	fprintf(f,
	        "restored TLD %s from %s (FULL %s + %u DIFF/INCR, watermark %s; %u deposits not "
	        "used)\n",
	        r->tld, r->full, r->full_id, r->diffs, r->watermark, r->skipped);
	fprintf(f,
	        "  domains %llu: delegated %llu, held %llu, without NS %llu; DS %llu, glue %llu; "
	        "serial %u\n",
	        (unsigned long long)r->domains, (unsigned long long)r->delegated,
	        (unsigned long long)r->held, (unsigned long long)r->no_ns,
	        (unsigned long long)r->ds, (unsigned long long)r->glue, r->serial);
	fprintf(f, "  decrypt %.2f s, parse %.2f s, build %.2f s\n", r->decrypt_s, r->parse_s,
	        r->build_s);
}

/* a JSON document out (taking it), or the error */
static int put_json(json_t *doc, FILE *out, ssr_diag_t *diag)
{
	if (!doc) {
		return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
	}
	int rc = ssr_json_write(doc, out);
	json_decref(doc);
	return rc == SSR_EOK ? SSR_EOK
	                     : ssr_diag_set(diag, SSR_EIO, "escrow: cannot write the report");
}

int ssr_report_escrow_restore(const ssr_escrow_restore_t *r, int format, FILE *out,
                              ssr_diag_t *diag)
{
	if (format == 1) {
		return put_json(restore_json(r), out, diag);
	}
	restore_text(out, r);
	return ferror(out) ? ssr_diag_set(diag, SSR_EIO, "escrow: cannot write the report")
	                   : SSR_EOK;
}

int ssr_report_escrow_recon(const ssr_recon_t *r, int format, FILE *out, ssr_diag_t *diag)
{
	uint64_t total = 0;
	for (int c = 0; c < SSR_RECON_NCATS; c++) {
		total += r->count[c];
	}
	if (format == 1) {
		json_t *doc = json_object(), *cats = json_object();
		if (!doc || !cats) {
			json_decref(doc);
			json_decref(cats);
			return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
		}
		json_object_set_new(doc, "restore", restore_json(&r->restore));
		json_object_set_new(doc, "zone_delegations",
		                    json_integer((json_int_t)r->zone_delegations));
		json_object_set_new(doc, "deposit_delegations",
		                    json_integer((json_int_t)r->deposit_delegations));
		for (int c = 0; c < SSR_RECON_NCATS; c++) {
			json_t *x = json_object(), *ex = json_array();
			json_object_set_new(x, "count", json_integer((json_int_t)r->count[c]));
			for (unsigned k = 0; k < r->nexamples[c]; k++) {
				json_array_append_new(ex, json_string(r->examples[c][k]));
			}
			json_object_set_new(x, "examples", ex);
			json_object_set_new(cats, ssr_recon_cat_name(c), x);
		}
		json_object_set_new(doc, "categories", cats);
		json_object_set_new(doc, "discrepancies", json_integer((json_int_t)total));
		json_object_set_new(doc, "seconds", json_real(r->seconds));
		return put_json(doc, out, diag);
	}
	restore_text(out, &r->restore);
	fprintf(out,
	        "reconciled with the zone (%llu delegations) against the deposit (%llu) in %.2f s: "
	        "%llu discrepancies\n",
	        (unsigned long long)r->zone_delegations, (unsigned long long)r->deposit_delegations,
	        r->seconds, (unsigned long long)total);
	for (int c = 0; c < SSR_RECON_NCATS; c++) {
		fprintf(out, "  %-14s %llu\n", ssr_recon_cat_name(c),
		        (unsigned long long)r->count[c]);
		for (unsigned k = 0; k < r->nexamples[c]; k++) {
			fprintf(out, "      %s\n", r->examples[c][k]);
		}
	}
	return ferror(out) ? ssr_diag_set(diag, SSR_EIO, "escrow: cannot write the report")
	                   : SSR_EOK;
}

int ssr_report_escrow_drill(const ssr_drill_t *r, int format, FILE *out, ssr_diag_t *diag)
{
	if (format == 1) {
		json_t *doc = json_object(), *ex = json_array();
		if (!doc || !ex) {
			json_decref(doc);
			json_decref(ex);
			return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
		}
		json_object_set_new(doc, "restore", restore_json(&r->restore));
		json_object_set_new(doc, "passed", json_boolean(r->passed));
		json_object_set_new(doc, "server", json_string(r->server));
		json_object_set_new(doc, "signed", json_boolean(r->signed_zone));
		json_object_set_new(doc, "sign_s", json_real(r->sign_s));
		json_object_set_new(doc, "load_s", json_real(r->load_s));
		json_object_set_new(doc, "verify_s", json_real(r->verify_s));
		json_object_set_new(doc, "answering_s", json_real(r->answering_s));
		json_object_set_new(doc, "threshold_s", json_real(r->threshold_s));
		json_object_set_new(doc, "within_threshold", json_boolean(r->within));
		json_object_set_new(doc, "checked", json_integer((json_int_t)r->checked));
		json_object_set_new(doc, "matched", json_integer((json_int_t)r->matched));
		json_object_set_new(doc, "mismatched", json_integer((json_int_t)r->mismatched));
		json_object_set_new(doc, "unanswered", json_integer((json_int_t)r->unanswered));
		json_object_set_new(doc, "retries", json_integer((json_int_t)r->retries));
		for (unsigned k = 0; k < r->nexamples; k++) {
			json_array_append_new(ex, json_string(r->examples[k]));
		}
		json_object_set_new(doc, "examples", ex);
		return put_json(doc, out, diag);
	}
	restore_text(out, &r->restore);
	fprintf(out, "drill: %s, served by %s%s\n", r->passed ? "PASSED" : "FAILED", r->server,
	        r->signed_zone ? " (signed)" : "");
	fprintf(out,
	        "  phases: decrypt %.2f s, parse %.2f s, build %.2f s, sign %.2f s, load %.2f s, "
	        "verify %.2f s\n",
	        r->restore.decrypt_s, r->restore.parse_s, r->restore.build_s, r->sign_s, r->load_s,
	        r->verify_s);
	fprintf(out, "  deposit to a correctly answering server: %.2f s (threshold %.0f s: %s)\n",
	        r->answering_s, r->threshold_s, r->within ? "within" : "EXCEEDED");
	fprintf(
	    out,
	    "  delegations checked %llu: as the original %llu, differing %llu, unanswered %llu\n",
	    (unsigned long long)r->checked, (unsigned long long)r->matched,
	    (unsigned long long)r->mismatched, (unsigned long long)r->unanswered);
	for (unsigned k = 0; k < r->nexamples; k++) {
		fprintf(out, "      %s\n", r->examples[k]);
	}
	return ferror(out) ? ssr_diag_set(diag, SSR_EIO, "escrow: cannot write the report")
	                   : SSR_EOK;
}
