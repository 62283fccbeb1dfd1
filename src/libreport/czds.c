/* libreport: zone-data access (CZDS): a day's run per TLD, and availability over days. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ssrwatch/csv.h"
#include "ssrwatch/czds.h"
#include "ssrwatch/jsonout.h"
#include "ssrwatch/report.h"

static json_t *tri(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

static json_t *num_or_null(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

int ssr_report_czds_day_json(const ssr_czds_day_t *d, size_t n, FILE *out, ssr_diag_t *diag)
{
	json_t *a = json_array();
	int rc = a ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "czds: out of memory");
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		const ssr_czds_row_t *w = &d[i].row;
		ssr_jobj_t b = ssr_jobj_new();
		ssr_jobj_str(&b, "day", w->day);
		ssr_jobj_str(&b, "tld", w->tld);
		ssr_jobj_str(&b, "status", w->status);
		ssr_jobj_str(&b, "expires", w->expires[0] ? w->expires : NULL);
		ssr_jobj_put(&b, "days_left",
		             d[i].days_left < 0 ? json_null() : json_integer(d[i].days_left),
		             SSR_ENOMEM);
		ssr_jobj_bool(&b, "warned", d[i].warned);
		ssr_jobj_bool(&b, "extension_requested", d[i].extend_requested);
		ssr_jobj_bool(&b, "access_requested", d[i].access_requested);
		ssr_jobj_bool(&b, "downloaded", w->downloaded == 1);
		ssr_jobj_put(&b, "on_time", tri(w->on_time), SSR_ENOMEM);
		ssr_jobj_put(&b, "fresh", tri(w->fresh), SSR_ENOMEM);
		ssr_jobj_int(&b, "bytes", w->bytes);
		ssr_jobj_int(&b, "records", w->records);
		ssr_jobj_put(&b, "size_change",
		             isnan(d[i].size_change) ? json_null() : json_real(d[i].size_change),
		             SSR_ENOMEM);
		ssr_jobj_put(&b, "serial_file", num_or_null(w->serial_file), SSR_ENOMEM);
		ssr_jobj_put(&b, "serial_live", num_or_null(w->serial_live), SSR_ENOMEM);
		ssr_jobj_str(&b, "zonemd", w->zonemd);
		ssr_jobj_put(&b, "http_status",
		             w->http_status ? json_integer(w->http_status) : json_null(),
		             SSR_ENOMEM);
		ssr_jobj_str(&b, "error", w->error[0] ? w->error : NULL);
		ssr_jobj_str(&b, "file", d[i].path[0] ? d[i].path : NULL);
		rc = ssr_jobj_append(&b, "czds", a, diag);
	}
	if (rc == SSR_EOK && ssr_json_write(a, out) != SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "czds: cannot write the output");
	}
	json_decref(a);
	return rc;
}

static const char *tri_s(int v)
{
	return v < 0 ? "-" : v ? "yes" : "no";
}

int ssr_report_czds_day_table(const ssr_czds_day_t *d, size_t n, FILE *out)
{
	fprintf(out, "%-16s %-9s %-10s %-5s %-4s %-7s %-5s %12s %-9s %s\n", "tld", "status",
	        "expires", "days", "got", "on time", "fresh", "bytes", "zonemd", "error");
	for (size_t i = 0; i < n; i++) {
		const ssr_czds_row_t *w = &d[i].row;
		char days[16] = "-";
		if (d[i].days_left >= 0) {
			snprintf(days, sizeof days, "%d%s", d[i].days_left, d[i].warned ? "!" : "");
		}
		fprintf(out, "%-16s %-9s %-10.10s %-5s %-4s %-7s %-5s %12lld %-9s %s\n", w->tld,
		        w->status, w->expires[0] ? w->expires : "-", days,
		        w->downloaded == 1 ? "yes" : "no", tri_s(w->on_time), tri_s(w->fresh),
		        (long long)w->bytes, w->zonemd, w->error);
	}
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

int ssr_report_czds_avail(const ssr_czds_avail_t *a, size_t n, int format, FILE *out,
                          ssr_diag_t *diag)
{
	unsigned days = 0, got = 0;
	for (size_t i = 0; i < n; i++) {
		days += a[i].days;
		got += a[i].downloaded;
	}
	if (format == 1) { /* JSON */
		json_t *arr = json_array();
		int rc = arr ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "czds: out of memory");
		for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
			json_t *o = json_pack(
			    "{s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:f,s:s,s:s,s:s}", "tld",
			    a[i].tld, "days", a[i].days, "downloaded", a[i].downloaded, "on_time",
			    a[i].on_time, "fresh", a[i].fresh, "stale", a[i].stale, "zonemd_valid",
			    a[i].zonemd_valid, "zonemd_invalid", a[i].zonemd_invalid, "no_access",
			    a[i].no_access, "error_days", a[i].errors, "availability",
			    a[i].availability, "last_status", a[i].last_status, "last_expires",
			    a[i].last_expires, "last_error", a[i].last_error);
			if (o == NULL || json_array_append_new(arr, o) != 0) {
				rc = ssr_diag_set(diag, SSR_ENOMEM, "czds: out of memory");
			}
		}
		json_t *doc = rc == SSR_EOK
		                  ? json_pack("{s:o,s:{s:i,s:i,s:f}}", "tlds", arr, "overall",
		                              "days", days, "downloaded", got, "availability",
		                              days ? (double)got / days : 0.0)
		                  : NULL;
		if (rc == SSR_EOK && (doc == NULL || ssr_json_write(doc, out) != SSR_EOK)) {
			rc = ssr_diag_set(diag, SSR_EIO, "czds: cannot write the report");
		}
		if (doc == NULL && rc != SSR_EOK) {
			json_decref(arr);
		}
		json_decref(doc);
		return rc;
	}
	if (format == 2) { /* CSV */
		fputs(
		    "tld,days,downloaded,on_time,fresh,stale,zonemd_valid,zonemd_invalid,no_access,"
		    "error_days,availability,last_status,last_expires,last_error\n",
		    out);
		for (size_t i = 0; i < n; i++) {
			fprintf(out, "%s,%u,%u,%u,%u,%u,%u,%u,%u,%u,%.4f,%s,%s,", a[i].tld,
			        a[i].days, a[i].downloaded, a[i].on_time, a[i].fresh, a[i].stale,
			        a[i].zonemd_valid, a[i].zonemd_invalid, a[i].no_access, a[i].errors,
			        a[i].availability, a[i].last_status, a[i].last_expires);
			ssr_csv_write_cell(a[i].last_error, out);
			fputc('\n', out);
		}
		return ferror(out) ? SSR_EIO : SSR_EOK;
	}
	if (format == 3) { /* HTML */
		fputs(
		    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Zone "
		    "file access (CZDS)</title><style>body{font-family:sans-serif;margin:2em}"
		    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
		    ".bad{background:#fdd}.ok{background:#dfd}</style></head><body>\n"
		    "<h1>Zone file access (CZDS, SSR2 Rec 25)</h1>\n",
		    out);
		fprintf(out, "<p>%u of %u TLD-days downloaded complete (%.1f%%).</p>\n", got, days,
		        days ? 100.0 * got / days : 0.0);
		fputs("<table><tr><th>TLD</th><th>days</th><th>downloaded</th><th>on time</th>"
		      "<th>fresh</th><th>stale</th><th>no access</th><th>ZONEMD valid</th>"
		      "<th>availability</th><th>access</th><th>last error</th></tr>\n",
		      out);
		for (size_t i = 0; i < n; i++) {
			fprintf(out, "<tr class=\"%s\"><td>",
			        a[i].downloaded == a[i].days ? "ok" : "bad");
			ssr_html_escape(out, a[i].tld);
			fprintf(out,
			        "</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td><td>%u</"
			        "td><td>%u</td>"
			        "<td>%u</td><td>%.1f%%</td><td>",
			        a[i].days, a[i].downloaded, a[i].on_time, a[i].fresh, a[i].stale,
			        a[i].no_access, a[i].zonemd_valid, 100 * a[i].availability);
			ssr_html_escape(out, a[i].last_status);
			fputs(" ", out);
			ssr_html_escape(out, a[i].last_expires);
			fputs("</td><td>", out);
			ssr_html_escape(out, a[i].last_error);
			fputs("</td></tr>\n", out);
		}
		fputs("</table>\n</body></html>\n", out);
		return ferror(out) ? SSR_EIO : SSR_EOK;
	}
	fprintf(out, "%-16s %5s %5s %7s %5s %5s %9s %7s %s\n", "tld", "days", "got", "on time",
	        "fresh", "stale", "no access", "avail", "last error");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%-16s %5u %5u %7u %5u %5u %9u %6.1f%% %s\n", a[i].tld, a[i].days,
		        a[i].downloaded, a[i].on_time, a[i].fresh, a[i].stale, a[i].no_access,
		        100 * a[i].availability, a[i].last_error);
	}
	fprintf(out, "\n%u of %u TLD-days downloaded complete\n", got, days);
	return ferror(out) ? SSR_EIO : SSR_EOK;
}
