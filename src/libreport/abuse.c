/* ssrwatch — the abuse report as CSV (every number of the JSON, one per row) and as one
 * self-contained HTML file with SVG charts drawn here (no scripts, no external assets). */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/report.h"

/* ---- CSV: path,value rows ------------------------------------------------------------- */

static const char *const natural_keys[] = {"tld",  "zone",    "brand",    "iana_id",
                                           "date", "subject", "currency", NULL};

static void scalar_text(json_t *v, char *buf, size_t cap)
{
	if (json_is_integer(v)) {
		snprintf(buf, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_real(v)) {
		/* the same digits the JSON writer prints */
		char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(10));
		snprintf(buf, cap, "%s", t ? t : "");
		free(t);
	} else if (json_is_string(v)) {
		snprintf(buf, cap, "%s", json_string_value(v));
	} else if (json_is_true(v)) {
		snprintf(buf, cap, "true");
	} else if (json_is_false(v)) {
		snprintf(buf, cap, "false");
	} else {
		buf[0] = '\0';
	}
}

static void flatten(json_t *v, const char *path, FILE *out)
{
	char p[1024];
	if (json_is_object(v)) {
		const char **keys = malloc((json_object_size(v) + 1) * sizeof(char *));
		size_t n = 0;
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x)
		{
			keys[n++] = k;
		}
		for (size_t i = 1; i < n; i++) {
			const char *t = keys[i];
			size_t j = i;
			while (j > 0 && strcmp(keys[j - 1], t) > 0) {
				keys[j] = keys[j - 1];
				j--;
			}
			keys[j] = t;
		}
		for (size_t i = 0; i < n; i++) {
			snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", keys[i]);
			flatten(json_object_get(v, keys[i]), p, out);
		}
		free(keys);
		return;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			char key[128] = "";
			for (const char *const *nk = natural_keys; json_is_object(x) && *nk; nk++) {
				json_t *kv = json_object_get(x, *nk);
				if (kv != NULL && !json_is_null(kv)) {
					scalar_text(kv, key, sizeof(key));
					break;
				}
			}
			if (key[0] == '\0') {
				snprintf(key, sizeof(key), "%zu", i);
			}
			snprintf(p, sizeof(p), "%s[%s]", path, key);
			flatten(x, p, out);
		}
		return;
	}
	char val[512];
	scalar_text(v, val, sizeof(val));
	ssr_csv_write_cell(path, out);
	fputc(',', out);
	ssr_csv_write_cell(val, out);
	fputc('\n', out);
}

int ssr_report_abuse_csv(json_t *report, FILE *out)
{
	fputs("metric,value\n", out);
	flatten(report, "", out);
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

/* ---- HTML ------------------------------------------------------------------------------- */

static double num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

static const char *const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

/* Horizontal bars of label/value pairs. */
static void bar_chart(FILE *out, const char *id, const char *title, const char **labels,
                      const double *values, size_t n)
{
	double max = 0;
	for (size_t i = 0; i < n; i++) {
		max = values[i] > max ? values[i] : max;
	}
	int h = 30 + (int)n * 22;
	fprintf(out,
	        "<figure><svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
	        "width=\"640\" height=\"%d\" role=\"img\"><title>",
	        id, h);
	ssr_html_escape(out, title);
	fputs("</title>\n", out);
	for (size_t i = 0; i < n; i++) {
		double w = max > 0 ? values[i] / max * 380 : 0;
		int y = 10 + (int)i * 22;
		fprintf(out, "<text x=\"170\" y=\"%d\" text-anchor=\"end\">", y + 14);
		ssr_html_escape(out, labels[i]);
		fprintf(
		    out,
		    "</text><rect class=\"bar\" x=\"180\" y=\"%d\" width=\"%.1f\" height=\"16\" "
		    "fill=\"#1f77b4\"/><text x=\"%.1f\" y=\"%d\">%.2f</text>\n",
		    y, w, 186 + w, y + 14, values[i]);
	}
	fprintf(out, "</svg><figcaption>");
	ssr_html_escape(out, title);
	fputs("</figcaption></figure>\n", out);
}

/* Axes frame; maps data to the plot area. */
typedef struct {
	double x0, x1, y0, y1;
	int left, top, w, h;
} frame_t;

static double fx(const frame_t *f, double x)
{
	return f->left + (f->x1 > f->x0 ? (x - f->x0) / (f->x1 - f->x0) : 0.5) * f->w;
}

static double fy(const frame_t *f, double y)
{
	return f->top + f->h - (f->y1 > f->y0 ? (y - f->y0) / (f->y1 - f->y0) : 0.5) * f->h;
}

/* xnum: label the x axis with its numeric ends (scatter charts); a chart over dates draws its
 * own ticks (date_ticks). */
static void axes(FILE *out, const frame_t *f, const char *xl, const char *yl, bool xnum)
{
	fprintf(out,
	        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>"
	        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n",
	        f->left, f->top + f->h, f->left + f->w, f->top + f->h, f->left, f->top, f->left,
	        f->top + f->h);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", f->left + f->w / 2,
	        f->top + f->h + 34, xl);
	fprintf(out,
	        "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" "
	        "text-anchor=\"middle\">%s</text>\n",
	        f->top + f->h / 2, f->top + f->h / 2, yl);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4g</text>", f->left - 4,
	        f->top + f->h, f->y0);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4g</text>\n", f->left - 4,
	        f->top + 10, f->y1);
	if (xnum) {
		fprintf(out, "<text x=\"%d\" y=\"%d\">%.4g</text>", f->left, f->top + f->h + 16,
		        f->x0);
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4g</text>\n",
		        f->left + f->w, f->top + f->h + 16, f->x1);
	}
}

/* The x axis of a chart over snapshot dates: a tick at every date, labelled with the date;
 * with more dates than labels fit, every step-th (and the last, with a whole step before it),
 * so the axis reads as time and no two labels overlap. */
static void date_ticks(FILE *out, const frame_t *f, json_t *dates)
{
	size_t nd = json_array_size(dates);
	double gap = nd > 1 ? (double)f->w / (double)(nd - 1) : (double)f->w;
	size_t step = 1;
	while ((double)step * gap < 66.0) { /* a YYYY-MM-DD label at 11 px is about 62 px */
		step++;
	}
	for (size_t k = 0; k < nd; k++) {
		double x = fx(f, (double)k); /* where the series put the snapshot */
		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\"/>",
		        x, f->top + f->h, x, f->top + f->h + 4);
		bool last = k + 1 == nd;
		if (last || (k % step == 0 && nd - 1 - k >= step)) {
			fprintf(out,
			        "<text class=\"xtick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
			        x, f->top + f->h + 16);
			ssr_html_escape(out, json_string_value(json_array_get(dates, k)));
			fputs("</text>", out);
		}
	}
	fputc('\n', out);
}

static void series_chart(FILE *out, json_t *r)
{
	json_t *tlds = json_object_get(r, "tlds");
	json_t *dates = json_object_get(r, "snapshots");
	size_t nd = json_array_size(dates);
	frame_t f = {0, nd > 1 ? (double)(nd - 1) : 1, 0, 0, 60, 10, 520, 240};
	size_t i, j;
	json_t *t, *s;
	json_array_foreach(tlds, i, t)
	{
		json_array_foreach(json_object_get(t, "series"), j, s)
		{
			double v = num(s, "rate_per_10k");
			f.y1 = v > f.y1 ? v : f.y1;
		}
	}
	if (f.y1 == 0) {
		f.y1 = 1;
	}
	fputs(
	    "<figure><svg id=\"chart-series\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"760\" height=\"300\" role=\"img\"><title>Abuse rate per 10,000 domains over "
	    "time, per TLD</title>\n",
	    out);
	axes(out, &f, "snapshot date", "rate per 10k", false);
	date_ticks(out, &f, dates);
	json_array_foreach(tlds, i, t)
	{
		const char *col = palette[i % 10];
		fprintf(out, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" points=\"",
		        col);
		json_array_foreach(json_object_get(t, "series"), j, s)
		{
			/* the snapshot's position among the period's dates */
			size_t k = 0;
			while (k < nd && strcmp(json_string_value(json_array_get(dates, k)),
			                        str(s, "date")) != 0) {
				k++;
			}
			fprintf(out, "%.1f,%.1f ", fx(&f, (double)k),
			        fy(&f, num(s, "rate_per_10k")));
		}
		fputs("\"/>\n", out);
		fprintf(out, "<text x=\"590\" y=\"%d\" fill=\"%s\">", 20 + (int)i * 16, col);
		ssr_html_escape(out, str(t, "tld"));
		fputs("</text>\n", out);
	}
	fputs("</svg><figcaption>Abuse rate per 10,000 domains at each snapshot, per TLD"
	      "</figcaption></figure>\n",
	      out);
}

static void lorenz_chart(FILE *out, json_t *r)
{
	json_t *conc = json_object_get(r, "concentration");
	frame_t f = {0, 1, 0, 1, 60, 10, 300, 300};
	fputs(
	    "<figure><svg id=\"chart-lorenz\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"520\" height=\"360\" role=\"img\"><title>Lorenz curves of abuse "
	    "concentration</title>\n",
	    out);
	axes(out, &f, "share of entities", "share of abuse", true);
	fprintf(out,
	        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#aaa\" "
	        "stroke-dasharray=\"4\"/>\n",
	        fx(&f, 0), fy(&f, 0), fx(&f, 1), fy(&f, 1));
	const char *kinds[] = {"tlds", "registrars"};
	for (int k = 0; k < 2; k++) {
		json_t *lz = json_object_get(json_object_get(conc, kinds[k]), "lorenz");
		fprintf(out, "<polyline class=\"lorenz\" fill=\"none\" stroke=\"%s\" points=\"",
		        palette[k]);
		size_t i;
		json_t *p;
		json_array_foreach(lz, i, p)
		{
			fprintf(out, "%.1f,%.1f ", fx(&f, json_number_value(json_array_get(p, 0))),
			        fy(&f, json_number_value(json_array_get(p, 1))));
		}
		fprintf(out, "\"/><text x=\"380\" y=\"%d\" fill=\"%s\">%s (Gini %.3f)</text>\n",
		        30 + k * 18, palette[k], kinds[k],
		        num(json_object_get(conc, kinds[k]), "gini"));
	}
	fputs("</svg><figcaption>Lorenz curves: cumulative share of abused domains against the "
	      "cumulative share of TLDs and registrars</figcaption></figure>\n",
	      out);
}

static void scatter_chart(FILE *out, json_t *r, const char *kind, const char *id)
{
	json_t *arr = json_object_get(json_object_get(r, "prices"), kind);
	size_t i;
	json_t *a;
	json_array_foreach(arr, i, a)
	{
		json_t *pts = json_object_get(a, "points");
		frame_t f = {0, 0, 0, 0, 60, 10, 420, 240};
		size_t j;
		json_t *p;
		bool first = true;
		json_array_foreach(pts, j, p)
		{
			double x = num(p, "price"), y = num(p, "rate_per_10k");
			if (first) {
				f.x0 = f.x1 = x;
				first = false;
			}
			f.x0 = x < f.x0 ? x : f.x0;
			f.x1 = x > f.x1 ? x : f.x1;
			f.y1 = y > f.y1 ? y : f.y1;
		}
		if (f.y1 == 0) {
			f.y1 = 1;
		}
		fprintf(out,
		        "<figure><svg id=\"%s-%s\" class=\"chart\" "
		        "xmlns=\"http://www.w3.org/2000/svg\" width=\"560\" height=\"300\" "
		        "role=\"img\"><title>Price against abuse rate (%s, %s)</title>\n",
		        id, str(a, "currency"), kind, str(a, "currency"));
		axes(out, &f, "price", "rate per 10k", true);
		json_array_foreach(pts, j, p)
		{
			fprintf(out,
			        "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
			        "fill=\"#d62728\"><title>",
			        fx(&f, num(p, "price")), fy(&f, num(p, "rate_per_10k")));
			ssr_html_escape(out, str(p, "subject"));
			fputs("</title></circle>\n", out);
		}
		json_t *sp = json_object_get(a, "spearman");
		fprintf(out,
		        "</svg><figcaption>Price (%s) against abuse rate per %s: Spearman rho %.3f "
		        "(p %.3g, n %" JSON_INTEGER_FORMAT ")</figcaption></figure>\n",
		        str(a, "currency"), strcmp(kind, "tlds") == 0 ? "TLD" : "registrar",
		        num(sp, "rho"), num(sp, "p_value"),
		        json_integer_value(json_object_get(a, "n")));
	}
}

static void counts_row(FILE *out, json_t *o)
{
	json_t *m = json_object_get(o, "mitigation");
	fprintf(out,
	        "<td>%.0f</td><td>%" JSON_INTEGER_FORMAT "</td><td>%.2f</td><td>%.2f%%</td>"
	        "<td>%" JSON_INTEGER_FORMAT "</td><td>%" JSON_INTEGER_FORMAT "</td>"
	        "<td>%" JSON_INTEGER_FORMAT "</td><td>%" JSON_INTEGER_FORMAT "</td>",
	        num(o, "domains"), json_integer_value(json_object_get(o, "abused")),
	        num(o, "rate_per_10k"), num(o, "share_of_abuse") * 100,
	        json_integer_value(json_object_get(o, "malicious")),
	        json_integer_value(json_object_get(o, "compromised")),
	        json_integer_value(json_object_get(o, "new_listings")),
	        json_integer_value(json_object_get(m, "total")));
	double md = num(m, "median_days");
	if (isnan(md)) {
		fputs("<td>-</td>", out);
	} else {
		fprintf(out, "<td>%.1f</td>", md);
	}
}

static const char counts_head[] =
    "<th>domains</th><th>abused</th><th>per 10k</th><th>share</th><th>malicious</th>"
    "<th>compromised</th><th>new</th><th>mitigated</th><th>median days</th>";

static void outlier_table(FILE *out, json_t *r, const char *kind, const char *key)
{
	json_t *o = json_object_get(json_object_get(r, "outliers"), kind);
	fprintf(out,
	        "<table class=\"outliers\" id=\"outliers-%s\"><caption>Outlier %s: rate above the "
	        "population's %.2f per 10k (exact binomial test, Benjamini-Hochberg)</caption>"
	        "<tr><th>%s</th><th>abused</th><th>domains</th><th>per 10k</th><th>expected</th>"
	        "<th>p-value</th><th>q-value</th><th>flagged</th></tr>\n",
	        kind, kind, num(o, "population_rate_per_10k"), key);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(o, "entities"), i, e)
	{
		char k[64];
		json_t *kv = json_object_get(e, key);
		if (json_is_integer(kv)) {
			snprintf(k, sizeof(k), "%" JSON_INTEGER_FORMAT, json_integer_value(kv));
		} else {
			snprintf(k, sizeof(k), "%s", json_string_value(kv));
		}
		bool flag = json_is_true(json_object_get(e, "flagged"));
		fprintf(out, "<tr%s><td>", flag ? " class=\"flagged\"" : "");
		ssr_html_escape(out, k);
		fprintf(
		    out,
		    "</td><td>%" JSON_INTEGER_FORMAT "</td><td>%" JSON_INTEGER_FORMAT
		    "</td><td>%.2f</td><td>%.1f</td><td>%.3g</td><td>%.3g</td><td>%s</td></tr>\n",
		    json_integer_value(json_object_get(e, "abused")),
		    json_integer_value(json_object_get(e, "domains")), num(e, "rate_per_10k"),
		    num(e, "expected"), num(e, "p_value"), num(e, "q_value"), flag ? "yes" : "no");
	}
	fputs("</table>\n", out);
}

static const char methodology[] =
    "<section id=\"methodology\"><h2>Methodology</h2>\n"
    "<p>A domain is <b>abused</b> at a snapshot when a reputation feed lists it (reduced to its "
    "registered domain with the Public Suffix List) and it is delegated in the TLD's zone file "
    "of that date. Counts for the period are distinct domains abused at one or more of the "
    "period's snapshots.</p>\n"
    "<p><b>Rate per 10,000</b>: abused domains divided by the mean zone size over the period's "
    "snapshots (per registrar: the mean domains under management from registration data), "
    "times 10,000. <b>Share</b>: the entity's abused domains over all abused domains.</p>\n"
    "<p><b>New</b> listings are abused at a snapshot and not at the TLD's previous one. A "
    "listing is <b>mitigated</b> at the first later snapshot where it is no longer abused: "
    "removed from the zone, or delisted by every feed; the time to mitigation runs from the "
    "earlier of the first snapshot of the episode and the feed's first-seen date.</p>\n"
    "<p><b>Malicious</b> registrations were first listed less than the threshold (default 30 "
    "days) after registration (registration data, else the first snapshot with the domain "
    "delegated); older ones are <b>compromised</b>; domains delegated since before the first "
    "indexed snapshot count as compromised only when that already makes them old enough.</p>\n"
    "<p><b>Concentration</b>: share of the top N entities, Gini coefficient and HHI (sum of "
    "squared percentage shares) of abused domains. <b>Outliers</b>: one-sided exact binomial "
    "test of each entity's abused count against the population rate, Benjamini-Hochberg "
    "adjusted; entities with fewer than the minimum counts are not tested.</p>\n"
    "<p><b>Prices</b>: Spearman's rank correlation of price and rate, and the least-squares "
    "regression of ln((abused + 0.5) / domains x 10,000) on price with 95% confidence "
    "intervals (Student's t, n - 2 degrees of freedom). docs/METHODOLOGY.md has the full "
    "definitions.</p></section>\n";

/* Misleading names (SSR2 Rec 19), apart from abuse: per zone, its rate and top brands. */
static void misleading_table(FILE *out, json_t *m)
{
	if (!m) {
		return;
	}
	fputs("<h2>Misleading names (SSR2 Rec 19, measured apart from abuse)</h2>\n"
	      "<table id=\"misleading\"><tr><th>zone</th><th>scan date</th><th>delegations</th>"
	      "<th>look-alikes</th><th>per 10k</th><th>top brands</th></tr>\n",
	      out);
	size_t i;
	json_t *z;
	json_array_foreach(json_object_get(m, "zones"), i, z)
	{
		fputs("<tr><td>", out);
		ssr_html_escape(out, str(z, "zone"));
		fputs("</td><td>", out);
		ssr_html_escape(out, str(z, "date"));
		fprintf(
		    out,
		    "</td><td class=\"n\">%.0f</td><td class=\"n\">%.0f</td><td class=\"n\">%.2f"
		    "</td><td>",
		    num(z, "delegations"), num(z, "domains"), num(z, "rate_per_10k"));
		size_t j;
		json_t *b;
		json_array_foreach(json_object_get(z, "top_brands"), j, b)
		{
			if (j >= 5) {
				break;
			}
			fputs(j ? ", " : "", out);
			ssr_html_escape(out, str(b, "brand"));
			fprintf(out, " (%.0f)", num(b, "matches"));
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

/* Listed host names that imitate a protected name, per TLD, with the providers they are
 * under (abuse ingest --brands). */
static void imitating_table(FILE *out, json_t *m)
{
	if (!m) {
		return;
	}
	fputs("<h2>Listed names that imitate protected names</h2>\n"
	      "<table id=\"imitating\"><tr><th>TLD</th><th>snapshot</th><th>hosts</th>"
	      "<th>domains</th><th>under a provider</th><th>top brands</th>"
	      "<th>top providers</th></tr>\n",
	      out);
	size_t i;
	json_t *z;
	json_array_foreach(json_object_get(m, "zones"), i, z)
	{
		fputs("<tr><td>", out);
		ssr_html_escape(out, str(z, "tld"));
		fputs("</td><td>", out);
		ssr_html_escape(out, str(z, "date"));
		fprintf(out,
		        "</td><td class=\"n\">%.0f</td><td class=\"n\">%.0f</td><td "
		        "class=\"n\">%.0f</td>",
		        num(z, "hosts"), num(z, "domains"), num(z, "under_provider"));
		static const char *const lists[2][2] = {{"top_brands", "brand"},
		                                        {"top_providers", "provider"}};
		for (int l = 0; l < 2; l++) {
			fputs("<td>", out);
			size_t j;
			json_t *b;
			json_array_foreach(json_object_get(z, lists[l][0]), j, b)
			{
				if (j >= 5) {
					break;
				}
				fputs(j ? ", " : "", out);
				ssr_html_escape(out, str(b, lists[l][1]));
				fprintf(out, " (%.0f)", num(b, "hosts"));
			}
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

int ssr_report_abuse_html(json_t *r, FILE *out)
{
	json_t *period = json_object_get(r, "period");
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", out);
	fputs("ssrwatch abuse report ", out);
	ssr_html_escape(out, str(period, "label"));
	fputs("</title>\n<style>\nbody{font-family:sans-serif;max-width:1100px;margin:2em auto;"
	      "color:#222}\ntable{border-collapse:collapse;margin:1em 0}\ntd,th{border:1px solid "
	      "#ccc;padding:3px 8px;text-align:right}\ntd:first-child,th:first-child{text-align:"
	      "left}\ntr.flagged{background:#fdd}\nsvg.chart text{font-size:11px}\nfigure{margin:"
	      "1em 0}\n</style></head><body>\n",
	      out);
	fputs("<h1>Domain abuse activity report ", out);
	ssr_html_escape(out, str(period, "label"));
	fprintf(out, "</h1>\n<p>Period %s to %s; %zu snapshots. Generated by ssrwatch.</p>\n",
	        str(period, "from"), str(period, "to"),
	        json_array_size(json_object_get(r, "snapshots")));
	json_t *tot = json_object_get(r, "totals");
	fputs("<h2>Summary</h2><table id=\"totals\"><tr><th></th>", out);
	fputs(counts_head, out);
	fputs("</tr><tr><td>all TLDs</td>", out);
	counts_row(out, tot);
	fputs("</tr></table>\n", out);
	/* top TLDs and registrars by rate */
	json_t *top = json_object_get(r, "top");
	for (int k = 0; k < 2; k++) {
		json_t *ids = json_object_get(top, k ? "registrars_by_rate" : "tlds_by_rate");
		json_t *all = json_object_get(r, k ? "registrars" : "tlds");
		size_t n = json_array_size(ids);
		const char **labels = calloc(n ? n : 1, sizeof(char *));
		double *vals = calloc(n ? n : 1, sizeof(double));
		char(*buf)[96] = calloc(n ? n : 1, 96);
		for (size_t i = 0; labels && vals && buf && i < n; i++) {
			json_t *id = json_array_get(ids, i);
			size_t j;
			json_t *e;
			json_array_foreach(all, j, e)
			{
				if (json_equal(json_object_get(e, k ? "iana_id" : "tld"), id)) {
					if (k) {
						snprintf(buf[i], 96, "%s", str(e, "name"));
					} else {
						snprintf(buf[i], 96, "%s", str(e, "tld"));
					}
					labels[i] = buf[i];
					vals[i] = num(e, "rate_per_10k");
				}
			}
		}
		fputs(k ? "<h2>Registrars with the highest abuse rates</h2>\n"
		        : "<h2>TLDs with the highest abuse rates</h2>\n",
		      out);
		if (labels && vals && buf) {
			bar_chart(
			    out, k ? "chart-top-registrars" : "chart-top-tlds",
			    k ? "Abuse rate per 10,000 domains under management, top registrars"
			      : "Abuse rate per 10,000 domains, top TLDs",
			    labels, vals, n);
		}
		free(labels);
		free(vals);
		free(buf);
	}
	fputs("<h2>Abuse over time</h2>\n", out);
	series_chart(out, r);
	/* per-TLD table */
	fputs("<h2>TLDs</h2><table id=\"tlds\"><tr><th>TLD</th>", out);
	fputs(counts_head, out);
	fputs("</tr>\n", out);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(r, "tlds"), i, e)
	{
		fputs("<tr><td>", out);
		ssr_html_escape(out, str(e, "tld"));
		fputs("</td>", out);
		counts_row(out, e);
		fputs("</tr>\n", out);
	}
	fputs("</table>\n<h2>Registrars</h2><table id=\"registrars\"><tr><th>registrar</th>"
	      "<th>IANA id</th>",
	      out);
	fputs(counts_head, out);
	fputs("</tr>\n", out);
	json_array_foreach(json_object_get(r, "registrars"), i, e)
	{
		fputs("<tr><td>", out);
		ssr_html_escape(out, str(e, "name"));
		fprintf(out, "</td><td>%" JSON_INTEGER_FORMAT "</td>",
		        json_integer_value(json_object_get(e, "iana_id")));
		counts_row(out, e);
		fputs("</tr>\n", out);
	}
	fputs("</table>\n<h2>Concentration</h2>\n", out);
	json_t *conc = json_object_get(r, "concentration");
	fputs("<table id=\"concentration\"><tr><th></th><th>entities</th><th>top-N share</th>"
	      "<th>Gini</th><th>HHI</th></tr>\n",
	      out);
	const char *kinds[] = {"tlds", "registrars"};
	for (int k = 0; k < 2; k++) {
		json_t *c = json_object_get(conc, kinds[k]);
		fprintf(out,
		        "<tr><td>%s</td><td>%" JSON_INTEGER_FORMAT
		        "</td><td>%.1f%% (top %" JSON_INTEGER_FORMAT
		        ")</td><td>%.3f</td><td>%.0f</td></tr>\n",
		        kinds[k], json_integer_value(json_object_get(c, "entities")),
		        num(c, "top_n_share") * 100,
		        json_integer_value(json_object_get(c, "top_n")), num(c, "gini"),
		        num(c, "hhi"));
	}
	fputs("</table>\n", out);
	lorenz_chart(out, r);
	fputs("<h2>Outliers (CCT Rec 16)</h2>\n", out);
	outlier_table(out, r, "tlds", "tld");
	outlier_table(out, r, "registrars", "iana_id");
	fputs("<h2>Prices and abuse (SSR2 Rec 14)</h2>\n", out);
	scatter_chart(out, r, "tlds", "chart-price-tlds");
	scatter_chart(out, r, "registrars", "chart-price-registrars");
	misleading_table(out, json_object_get(r, "misleading_names"));
	imitating_table(out, json_object_get(r, "imitating_names"));
	fputs(methodology, out);
	fputs("</body></html>\n", out);
	return ferror(out) ? SSR_EIO : SSR_EOK;
}
