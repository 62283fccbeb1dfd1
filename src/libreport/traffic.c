/* ssrwatch — the name collision report (object from ssr_collisions_json): CSV, one row per
 * undelegated TLD; HTML with a ranked bar chart (SVG). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ssrwatch/report.h"

static const char *s_of(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long i_of(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

int ssr_report_collisions_csv(json_t *c, FILE *out)
{
	fputs("tld,queries,sources,second_level_labels,top_second_level,reserved\n", out);
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(c, "tlds"), i, t)
	{
		char top[512] = "";
		size_t j, n = 0;
		json_t *s;
		json_array_foreach(json_object_get(t, "top_second_level"), j, s)
		{
			int w = snprintf(top + n, sizeof top - n, "%s%s:%lld", j ? " " : "",
			                 s_of(s, "label"), i_of(s, "queries"));
			if (w < 0 || (size_t)w >= sizeof top - n) {
				break;
			}
			n += (size_t)w;
		}
		ssr_csv_write_cell(s_of(t, "tld"), out);
		fprintf(out, ",%lld,%lld,%lld,", i_of(t, "queries"), i_of(t, "sources"),
		        i_of(t, "second_level_labels"));
		ssr_csv_write_cell(top, out);
		fputc(',', out);
		ssr_csv_write_cell(s_of(t, "reserved"), out);
		fputc('\n', out);
	}
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

int ssr_report_collisions_html(json_t *c, FILE *out)
{
	json_t *tlds = json_object_get(c, "tlds");
	size_t n = json_array_size(tlds), i;
	fprintf(
	    out,
	    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Name "
	    "collisions"
	    "</title><style>body{font-family:sans-serif;margin:2em;max-width:70em}"
	    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .5em}"
	    "</style></head><body>\n<h1>Queries for undelegated TLDs (SSR2 Rec 28)</h1>\n"
	    "<p>%lld of %lld queries (%.2f%%) asked for %lld TLDs the root zone (%lld delegated "
	    "TLDs) does not have.</p>\n",
	    i_of(c, "undelegated_queries"), i_of(c, "queries"),
	    100.0 * json_number_value(json_object_get(c, "undelegated_share")),
	    i_of(c, "undelegated_tlds"), i_of(c, "delegated_tlds"));
	long long max = n ? i_of(json_array_get(tlds, 0), "queries") : 1;
	const int bar = 18, left = 110, w = 560;
	fprintf(out,
	        "<svg id=\"chart-collisions\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	        "height=\"%d\" role=\"img\" aria-label=\"queries per undelegated TLD\">\n",
	        left + w + 90, (int)n * (bar + 4) + 4);
	json_t *t;
	json_array_foreach(tlds, i, t)
	{
		int y = (int)i * (bar + 4) + 2;
		double bw = max > 0 ? (double)w * (double)i_of(t, "queries") / (double)max : 0;
		bool res = *s_of(t, "reserved") != '\0';
		fprintf(out, "<text x=\"0\" y=\"%d\" font-size=\"12\">.", y + 13);
		ssr_html_escape(out, s_of(t, "tld"));
		fprintf(out,
		        "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
		        "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%lld</text>\n",
		        left, y, bw, bar, res ? "#fdae6b" : "#4292c6", left + bw + 4, y + 13,
		        i_of(t, "queries"));
	}
	fputs("</svg>\n<p>Orange: names set aside (RFC 6761, 6762, 7686, 9476, ICANN).</p>\n"
	      "<table id=\"collisions\"><tr><th>TLD</th><th>queries</th><th>sources</th>"
	      "<th>second-level labels</th><th>top second-level labels</th><th>query types</th>"
	      "<th>reserved</th></tr>\n",
	      out);
	json_array_foreach(tlds, i, t)
	{
		fputs("<tr><td>", out);
		ssr_html_escape(out, s_of(t, "tld"));
		fprintf(out, "</td><td>%lld</td><td>%lld</td><td>%lld</td><td>", i_of(t, "queries"),
		        i_of(t, "sources"), i_of(t, "second_level_labels"));
		size_t j;
		json_t *s;
		json_array_foreach(json_object_get(t, "top_second_level"), j, s)
		{
			fputs(j ? ", " : "", out);
			ssr_html_escape(out, s_of(s, "label"));
			fprintf(out, " (%lld)", i_of(s, "queries"));
		}
		fputs("</td><td>", out);
		const char *k;
		json_t *v;
		bool first = true;
		json_object_foreach(json_object_get(t, "qtypes"), k, v)
		{
			fputs(first ? "" : ", ", out);
			ssr_html_escape(out, k);
			fprintf(out, " %lld", (long long)json_integer_value(v));
			first = false;
		}
		fputs("</td><td>", out);
		ssr_html_escape(out, s_of(t, "reserved"));
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n</body></html>\n", out);
	return ferror(out) ? SSR_EIO : SSR_EOK;
}
