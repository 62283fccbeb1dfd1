/* ssrwatch — the recommendation tracker's implementation report: HTML (with an SVG chart of
 * statuses per review) and CSV. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ssrwatch/report.h"

static const char *const statuses[] = {"not-started", "in-design", "in-progress", "implemented",
                                       "verified",    "pending",   "rejected",    "deferred"};
static const char *const colours[] = {"#bbbbbb", "#9ecae1", "#4292c6", "#41ab5d",
                                      "#006d2c", "#fdae6b", "#de2d26", "#807dba"};
#define NSTATUS (sizeof statuses / sizeof statuses[0])

static const char *s_of(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long i_of(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* Live evidence in words: "names.scan 2026-09-28: 628 look-alikes ... (stale)". */
static void live_text(FILE *out, json_t *r)
{
	json_t *l = json_object_get(r, "live");
	if (!json_is_object(l)) {
		return;
	}
	ssr_html_escape(out, s_of(l, "measure"));
	fputs(" ", out);
	ssr_html_escape(out, json_is_string(json_object_get(l, "date")) ? s_of(l, "date") : "none");
	fputs(": ", out);
	ssr_html_escape(out, s_of(l, "figure"));
	if (json_is_true(json_object_get(l, "stale"))) {
		fputs(" <strong class=\"stale\">(stale)</strong>", out);
	}
}

/* Stacked bars: one per review, a segment per status. */
void ssr_report_recs_chart(json_t *reviews, FILE *out)
{
	size_t n = json_array_size(reviews), i;
	const int w = 640, bar = 22, gap = 12, left = 70;
	int h = (int)n * (bar + gap) + 40;
	fprintf(out,
	        "<svg id=\"chart-status\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	        "height=\"%d\" role=\"img\" aria-label=\"recommendations by status per review\">\n",
	        left + 8 * 92 + 20 > w + left + 20 ? left + 8 * 92 + 20 : w + left + 20, h);
	json_t *v;
	json_array_foreach(reviews, i, v)
	{
		long long total = i_of(v, "recommendations");
		int y = (int)i * (bar + gap) + 4;
		fprintf(out, "<text x=\"0\" y=\"%d\" font-size=\"13\">", y + 16);
		ssr_html_escape(out, s_of(v, "id"));
		fputs("</text>\n", out);
		double x = left;
		for (size_t s = 0; s < NSTATUS && total > 0; s++) {
			long long c = i_of(json_object_get(v, "counts"), statuses[s]);
			if (c == 0) {
				continue;
			}
			double wd = (double)w * (double)c / (double)total;
			fprintf(
			    out,
			    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
			    "<title>%s: %lld</title></rect>\n",
			    x, y, wd, bar, colours[s], statuses[s], c);
			if (wd > 18) {
				fprintf(out,
				        "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" "
				        "fill=\"#fff\">%lld</text>\n",
				        x + 4, y + 15, c);
			}
			x += wd;
		}
	}
	int y = (int)n * (bar + gap) + 14;
	for (size_t s = 0; s < NSTATUS; s++) {
		int x = left + (int)s * 92;
		fprintf(out,
		        "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
		        "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n",
		        x, y, colours[s], x + 13, y + 9, statuses[s]);
	}
	fputs("</svg>\n", out);
}

int ssr_report_recs_html(json_t *d, FILE *out)
{
	json_t *reviews = json_object_get(d, "reviews");
	fputs(
	    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>Implementation of review recommendations</title><style>"
	    "body{font-family:sans-serif;margin:2em;max-width:75em}table{border-collapse:collapse}"
	    "td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
	    ".stale,.overdue{color:#b30000}.sub td:first-child{padding-left:1.5em}"
	    "</style></head><body>\n<h1>Implementation of review recommendations</h1>\n<p>As of ",
	    out);
	ssr_html_escape(out, s_of(d, "date"));
	fputs(
	    ". Status is the last recorded change; live evidence is ssrwatch's latest stored "
	    "measurement for the recommendation, stale when older than its expected cadence.</p>\n"
	    "<h2>Status by review</h2>\n",
	    out);
	ssr_report_recs_chart(reviews, out);
	fputs("<table id=\"summary\"><tr><th>review</th><th>recommendations</th>", out);
	for (size_t s = 0; s < NSTATUS; s++) {
		fprintf(out, "<th>%s</th>", statuses[s]);
	}
	fputs("</tr>\n", out);
	size_t i;
	json_t *v;
	json_array_foreach(reviews, i, v)
	{
		fputs("<tr><td>", out);
		ssr_html_escape(out, s_of(v, "id"));
		fprintf(out, "</td><td>%lld</td>", i_of(v, "recommendations"));
		for (size_t s = 0; s < NSTATUS; s++) {
			fprintf(out, "<td>%lld</td>",
			        i_of(json_object_get(v, "counts"), statuses[s]));
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n<h2>Recommendations</h2>\n<table id=\"recommendations\"><tr><th>id</th>"
	      "<th>title</th><th>priority</th><th>owner</th><th>status</th><th>evidence</th>"
	      "<th>live evidence</th><th>open actions</th></tr>\n",
	      out);
	json_array_foreach(json_object_get(d, "recommendations"), i, v)
	{
		bool sub = json_is_string(json_object_get(v, "parent"));
		fprintf(out, "<tr%s><td>", sub ? " class=\"sub\"" : "");
		ssr_html_escape(out, s_of(v, "id"));
		fputs("</td><td>", out);
		ssr_html_escape(out, s_of(v, "title"));
		fputs("</td><td>", out);
		ssr_html_escape(out, s_of(v, "priority"));
		fputs("</td><td>", out);
		ssr_html_escape(out, s_of(v, "owner"));
		fputs("</td><td>", out);
		ssr_html_escape(out, s_of(v, "status"));
		fprintf(out, "</td><td>%lld</td><td>", i_of(v, "evidence"));
		live_text(out, v);
		fprintf(out, "</td><td%s>%lld%s</td></tr>\n",
		        i_of(v, "overdue_actions") ? " class=\"overdue\"" : "",
		        i_of(v, "open_actions"), i_of(v, "overdue_actions") ? " (overdue)" : "");
	}
	fputs("</table>\n<h2>Action items</h2>\n<table id=\"actions\"><tr><th>#</th><th>title</th>"
	      "<th>owner</th><th>due</th><th>status</th><th>recommendations</th></tr>\n",
	      out);
	json_array_foreach(json_object_get(d, "actions"), i, v)
	{
		bool over = json_is_true(json_object_get(v, "overdue"));
		fprintf(out, "<tr%s><td>%lld</td><td>", over ? " class=\"overdue\"" : "",
		        i_of(v, "id"));
		ssr_html_escape(out, s_of(v, "title"));
		fputs("</td><td>", out);
		ssr_html_escape(out, s_of(v, "owner"));
		fputs("</td><td>", out);
		ssr_html_escape(out, s_of(v, "due"));
		fprintf(out, "%s</td><td>", over ? " (overdue)" : "");
		ssr_html_escape(out, s_of(v, "status"));
		fputs("</td><td>", out);
		ssr_html_escape(out, s_of(v, "recs"));
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n</body></html>\n", out);
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

int ssr_report_recs_csv(json_t *d, FILE *out)
{
	fputs("id,review,parent,title,priority,workstream,owner,status,status_at,evidence,"
	      "measure,measured,figure,stale,open_actions,overdue_actions\n",
	      out);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(d, "recommendations"), i, v)
	{
		json_t *l = json_object_get(v, "live");
		char at[24], ev[24], oa[24], od[24];
		snprintf(at, sizeof at, "%lld", i_of(v, "status_at"));
		snprintf(ev, sizeof ev, "%lld", i_of(v, "evidence"));
		snprintf(oa, sizeof oa, "%lld", i_of(v, "open_actions"));
		snprintf(od, sizeof od, "%lld", i_of(v, "overdue_actions"));
		const char *cells[] = {
		    s_of(v, "id"),
		    s_of(v, "review"),
		    s_of(v, "parent"),
		    s_of(v, "title"),
		    s_of(v, "priority"),
		    s_of(v, "workstream"),
		    s_of(v, "owner"),
		    s_of(v, "status"),
		    at,
		    ev,
		    s_of(l, "measure"),
		    s_of(l, "date"),
		    s_of(l, "figure"),
		    json_is_object(l) ? (json_is_true(json_object_get(l, "stale")) ? "yes" : "no")
		                      : "",
		    oa,
		    od};
		for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
			if (k) {
				fputc(',', out);
			}
			ssr_csv_write_cell(cells[k], out);
		}
		fputc('\n', out);
	}
	return ferror(out) ? SSR_EIO : SSR_EOK;
}
