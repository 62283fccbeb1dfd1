/* ssrwatch — regression results as JSON rows, a text table and JUnit XML. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/jsonout.h"
#include "ssrwatch/regress.h"
#include "ssrwatch/report.h"

static const char *res_name(ssr_regress_res_t r)
{
	return r == SSR_RES_PASS ? "pass" : r == SSR_RES_FAIL ? "fail" : "skip";
}

static json_t *words(const char *s)
{
	json_t *a = json_array();
	for (const char *p = s; a != NULL && *p;) {
		size_t n = strcspn(p, " ");
		json_array_append_new(a, json_stringn(p, n));
		p += n + (p[n] == ' ');
	}
	return a;
}

int ssr_report_regress_json(const ssr_regress_result_t *r, size_t n, FILE *out, ssr_diag_t *diag)
{
	json_t *arr = json_array();
	int rc = arr ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "regress: out of memory");
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		ssr_jobj_t b = ssr_jobj_new();
		ssr_jobj_str(&b, "target", r[i].target->name);
		ssr_jobj_str(&b, "implementation", r[i].target->impl);
		ssr_jobj_str(&b, "version", r[i].target->version);
		ssr_jobj_str(&b, "suite", r[i].suite);
		ssr_jobj_str(&b, "case", r[i].c->id);
		ssr_jobj_str(&b, "tag", r[i].c->tag);
		ssr_jobj_str(&b, "severity", ssr_regress_sev_name(r[i].c->severity));
		ssr_jobj_str(&b, "result", res_name(r[i].result));
		ssr_jobj_put(&b, "codes", words(r[i].codes), SSR_ENOMEM);
		ssr_jobj_put(&b, "tags", words(r[i].tags), SSR_ENOMEM);
		ssr_jobj_str(&b, "details", r[i].details);
		ssr_jobj_put(&b, "exchange",
		             r[i].seq == UINT64_MAX ? json_null()
		                                    : json_integer((json_int_t)r[i].seq),
		             SSR_ENOMEM);
		rc = ssr_jobj_append(&b, "regress", arr, diag);
	}
	if (rc == SSR_EOK && ssr_json_write(arr, out) != SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "regress: cannot write the output");
	}
	json_decref(arr);
	return rc;
}

int ssr_report_regress_table(const ssr_regress_result_t *r, size_t n, FILE *out)
{
	size_t pass = 0, fail = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || r[i].target != r[i - 1].target) {
			fprintf(out, "%s%s (%s%s%s)\n", i ? "\n" : "", r[i].target->name,
			        r[i].target->impl[0] ? r[i].target->impl : "live server",
			        r[i].target->version[0] ? " " : "", r[i].target->version);
		}
		fprintf(out, "  %-5s %-8s %-12s %-10s %s%s%s\n", res_name(r[i].result),
		        ssr_regress_sev_name(r[i].c->severity), r[i].c->id, r[i].tags,
		        r[i].result == SSR_RES_FAIL ? r[i].codes : "",
		        r[i].result == SSR_RES_FAIL ? ": " : "",
		        r[i].result == SSR_RES_FAIL ? r[i].details : "");
		pass += r[i].result == SSR_RES_PASS;
		fail += r[i].result == SSR_RES_FAIL;
	}
	fprintf(out, "\n%zu passed, %zu failed\n", pass, fail);
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

/* XML attribute and text: the same five characters as HTML escaped */
#define xml(out, s) ssr_html_escape(out, s)

int ssr_report_regress_junit(const ssr_regress_result_t *r, size_t n, FILE *out)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", out);
	for (size_t i = 0; i < n;) {
		size_t j = i, fails = 0;
		for (; j < n && r[j].target == r[i].target; j++) {
			fails += r[j].result == SSR_RES_FAIL;
		}
		fputs("  <testsuite name=\"", out);
		xml(out, r[i].target->name);
		fprintf(out, "\" tests=\"%zu\" failures=\"%zu\">\n", j - i, fails);
		for (size_t k = i; k < j; k++) {
			fputs("    <testcase classname=\"", out);
			xml(out, r[k].suite);
			fputs("\" name=\"", out);
			xml(out, r[k].c->id);
			fputs("\"", out);
			if (r[k].result == SSR_RES_FAIL) {
				fputs(">\n      <failure message=\"", out);
				xml(out, r[k].codes);
				fputs("\" type=\"", out);
				xml(out, r[k].tags);
				fputs("\">", out);
				xml(out, r[k].details);
				fputs("</failure>\n    </testcase>\n", out);
			} else {
				fputs("/>\n", out);
			}
		}
		fputs("  </testsuite>\n", out);
		i = j;
	}
	fputs("</testsuites>\n", out);
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

/* ---- the HTML matrix -------------------------------------------------------------------- */

typedef struct {
	const ssr_regress_result_t *r;
	size_t n;
	FILE *out;
} xhtml_t;

#define html(out, s) ssr_html_escape(out, s)

/* The decisive exchanges of the results, as text, each under its anchor. */
static int put_exchange(const ssr_probe_result_t *pr, void *ctx)
{
	xhtml_t *x = ctx;
	bool wanted = false;
	for (size_t i = 0; i < x->n && !wanted; i++) {
		wanted = x->r[i].seq == pr->seq;
	}
	if (!wanted) {
		return SSR_EOK;
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (m == NULL) {
		return SSR_ENOMEM;
	}
	int rc = ssr_report_probe_text(pr, m);
	fclose(m);
	if (rc == SSR_EOK) {
		fprintf(x->out, "<h3 id=\"x%llu\">exchange %llu: ", (unsigned long long)pr->seq,
		        (unsigned long long)pr->seq);
		html(x->out, pr->label);
		fputs("</h3>\n<pre>", x->out);
		html(x->out, buf ? buf : "");
		fputs("</pre>\n", x->out);
	}
	free(buf);
	return rc;
}

int ssr_report_regress_html(const ssr_regress_result_t *r, size_t n, const char *records, FILE *out,
                            ssr_diag_t *diag)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<title>ssrwatch regression matrix</title><style>"
	      "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
	      "td,th{border:1px solid #999;padding:.25em .5em;font-size:.9em}"
	      "td.pass{background:#c8e6c9}td.fail{background:#ffcdd2}td.warn{background:#ffe0b2}"
	      "td.skip{background:#eee}pre{background:#f6f6f6;padding:.5em;overflow-x:auto}"
	      "</style></head><body>\n<h1>DNS regression matrix</h1>\n",
	      out);
	/* the targets, in order of first appearance */
	const ssr_regress_target_t *tg[64];
	size_t nt = 0;
	for (size_t i = 0; i < n && nt < 64; i++) {
		bool seen = false;
		for (size_t k = 0; k < nt && !seen; k++) {
			seen = tg[k] == r[i].target;
		}
		if (!seen) {
			tg[nt++] = r[i].target;
		}
	}
	size_t per = nt ? n / nt : 0;
	fputs("<table><tr><th>suite</th><th>case</th><th>severity</th>", out);
	for (size_t k = 0; k < nt; k++) {
		fputs("<th>", out);
		html(out, tg[k]->name);
		fputs("<br><small>", out);
		html(out, tg[k]->impl[0] ? tg[k]->impl : "live");
		fputs(" ", out);
		html(out, tg[k]->version);
		fputs("</small></th>", out);
	}
	fputs("</tr>\n", out);
	for (size_t c = 0; c < per; c++) {
		const ssr_regress_result_t *row = &r[c];
		fputs("<tr><td>", out);
		html(out, row->suite);
		fputs("</td><td title=\"", out);
		html(out, row->c->title);
		fputs("\">", out);
		html(out, row->c->id);
		fprintf(out, "</td><td>%s</td>", ssr_regress_sev_name(row->c->severity));
		for (size_t k = 0; k < nt; k++) {
			const ssr_regress_result_t *x = &r[k * per + c];
			const char *cls = x->result == SSR_RES_PASS         ? "pass"
			                  : x->result == SSR_RES_SKIP       ? "skip"
			                  : x->c->severity == SSR_SEV_ERROR ? "fail"
			                                                    : "warn";
			fprintf(out, "<td class=\"%s\" title=\"", cls);
			html(out, x->details[0] ? x->details : "as expected");
			fputs("\">", out);
			bool link = records != NULL && x->seq != UINT64_MAX;
			if (link) {
				fprintf(out, "<a href=\"#x%llu\">", (unsigned long long)x->seq);
			}
			html(out, x->tags);
			if (link) {
				fputs("</a>", out);
			}
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
	int rc = SSR_EOK;
	if (records != NULL) {
		fputs("<h2>The exchanges that decided each cell</h2>\n", out);
		xhtml_t x = {r, n, out};
		rc = ssr_probe_rec_read(records, put_exchange, &x, diag);
	}
	fputs("</body></html>\n", out);
	if (rc == SSR_EOK && ferror(out)) {
		rc = ssr_diag_set(diag, SSR_EIO, "regress: cannot write the output");
	}
	return rc;
}
