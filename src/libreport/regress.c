/* ssrwatch — regression results as JSON rows, a text table and JUnit XML. */
#include <stdio.h>
#include <string.h>

#include "ssrwatch/jsonout.h"
#include "ssrwatch/regress.h"
#include "ssrwatch/report.h"

static const char *res_name(ssr_regress_res_t r)
{
	return r == SSR_RES_PASS ? "pass" : r == SSR_RES_FAIL ? "fail" : "skip";
}

static const char *sev_name(ssr_regress_sev_t s)
{
	return s == SSR_SEV_ERROR ? "error" : s == SSR_SEV_WARNING ? "warning" : "info";
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
		ssr_jobj_str(&b, "severity", sev_name(r[i].c->severity));
		ssr_jobj_str(&b, "result", res_name(r[i].result));
		ssr_jobj_put(&b, "codes", words(r[i].codes), SSR_ENOMEM);
		ssr_jobj_put(&b, "tags", words(r[i].tags), SSR_ENOMEM);
		ssr_jobj_str(&b, "details", r[i].details);
		ssr_jobj_int(&b, "exchange", (int64_t)r[i].seq);
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
		        sev_name(r[i].c->severity), r[i].c->id, r[i].tags,
		        r[i].result == SSR_RES_FAIL ? r[i].codes : "",
		        r[i].result == SSR_RES_FAIL ? ": " : "",
		        r[i].result == SSR_RES_FAIL ? r[i].details : "");
		pass += r[i].result == SSR_RES_PASS;
		fail += r[i].result == SSR_RES_FAIL;
	}
	fprintf(out, "\n%zu passed, %zu failed\n", pass, fail);
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

static void xml(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			fputc((unsigned char)*s < 0x20 ? ' ' : *s, out);
		}
	}
}

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
