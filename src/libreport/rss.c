/* libreport: the RSSAC047 monthly report as a document (JSON), a table, CSV and a
 * self-contained HTML page with SVG charts.
 * RSSAC047 [ntt] [cpm] [gkr]: RSI figures are published as pass/fail only;
 * RSSAC047 [drc] [lpf] [otd]: the values behind them, with daily series, stay in the document's
 * "data" for the RSOs and anyone recomputing them;
 * RSSAC047 [nuc] [fdy] [gwm] [vpj] [tkw]: RSS figures show their values and verdicts;
 * RSSAC047 [lkd] [lxr] [fee] [hms] [vxl] [hgm] [kea] [daz]: every figure with its count. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ssrwatch/date.h"
#include "ssrwatch/report.h"
#include "ssrwatch/rss.h"

static void iso(int64_t us, char out[21])
{
	ssr_time_format(us / 1000000, out);
}

static json_t *ms_value(double ms)
{
	/* milliseconds to the microsecond: what the measurement resolves (RSSAC047 4.1) */
	return json_real(round(ms * 1000.0) / 1000.0);
}

static json_t *corr_json(const ssr_rss_corrstat_t *c)
{
	json_t *o = json_object();
	char pct[32];
	ssr_rss_pct(c->correct, c->responses, 5, pct, sizeof pct);
	json_object_set_new(o, "verdict", json_string(ssr_rss_verdict_name(c->v)));
	json_object_set_new(o, "responses", json_integer((json_int_t)c->responses));
	json_object_set_new(o, "correct", json_integer((json_int_t)c->correct));
	json_object_set_new(o, "incorrect", json_integer((json_int_t)c->incorrect));
	json_object_set_new(o, "unchecked", json_integer((json_int_t)c->unchecked));
	json_object_set_new(o, "no_response", json_integer((json_int_t)c->noresponse));
	json_object_set_new(o, "value_pct", json_string(pct));
	json_t *why = json_object();
	for (int i = 1; i < SSR_RSS_R_COUNT; i++) {
		if (c->by_reason[i] > 0) {
			json_object_set_new(why, ssr_rss_reason_name(i),
			                    json_integer((json_int_t)c->by_reason[i]));
		}
	}
	json_object_set_new(o, "incorrect_by_reason", why);
	return o;
}

static json_t *pub_json(const ssr_rss_pubstat_t *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "verdict", json_string(ssr_rss_verdict_name(p->v)));
	json_object_set_new(o, "samples", json_integer((json_int_t)p->n));
	json_object_set_new(o, "censored", json_integer((json_int_t)p->censored));
	json_object_set_new(o, "median_min", json_real(p->median_min));
	return o;
}

int ssr_report_rss_json(const ssr_rss_report_t *r, json_t **out)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "month", json_string(r->month));
	json_object_set_new(doc, "k", json_integer(r->k));
	json_object_set_new(doc, "n", json_integer(r->nrsi));
	json_object_set_new(doc, "days", json_integer(r->days));
	json_object_set_new(doc, "generator", json_string("ssrwatch rss report (RSSAC047 v2)"));
	json_t *vps = json_array(), *regions = json_object();
	for (unsigned i = 0; i < r->nvp; i++) {
		json_t *v = json_object();
		json_object_set_new(v, "name", json_string(r->vps[i][0]));
		json_object_set_new(v, "region", json_string(r->vps[i][1]));
		json_array_append_new(vps, v);
		json_t *c = json_object_get(regions, r->vps[i][1]);
		json_object_set_new(regions, r->vps[i][1],
		                    json_integer(c ? json_integer_value(c) + 1 : 1));
	}
	json_object_set_new(doc, "vantage_points", vps);
	json_object_set_new(doc, "regions", regions);
	json_object_set_new(doc, "vp_intervals", json_integer((json_int_t)r->intervals));
	json_object_set_new(doc, "excluded_clock_jump",
	                    json_integer((json_int_t)r->excluded_clock));
	json_t *rsis = json_array();
	for (unsigned i = 0; i < r->nrsi; i++) {
		const ssr_rss_rsistat_t *s = &r->rsis[i];
		json_t *o = json_object(), *data = json_object();
		json_object_set_new(o, "id", json_string(s->id));
		json_t *av = json_object(), *la = json_object(), *dav = json_object(),
		       *dla = json_object();
		bool all = true;
		for (int t = 0; t < SSR_RSS_NT; t++) {
			const ssr_rss_tfstat_t *f = &s->tf[t];
			json_object_set_new(av, ssr_rss_tf_name(t),
			                    json_string(ssr_rss_verdict_name(f->avail_v)));
			json_object_set_new(la, ssr_rss_tf_name(t),
			                    json_string(ssr_rss_verdict_name(f->lat_v)));
			all &= f->avail_v == SSR_RSS_PASS && f->lat_v == SSR_RSS_PASS;
			json_t *a = json_object(), *l = json_object();
			char pct[32];
			ssr_rss_pct(f->answered, f->sent, 3, pct, sizeof pct);
			json_object_set_new(a, "sent", json_integer((json_int_t)f->sent));
			json_object_set_new(a, "answered", json_integer((json_int_t)f->answered));
			json_object_set_new(a, "value_pct", json_string(pct));
			json_object_set_new(dav, ssr_rss_tf_name(t), a);
			json_object_set_new(l, "samples", json_integer((json_int_t)f->lat_n));
			json_object_set_new(l, "median_ms", ms_value(f->lat_median_ms));
			json_object_set_new(dla, ssr_rss_tf_name(t), l);
		}
		all &= s->corr.v == SSR_RSS_PASS && s->pub.v == SSR_RSS_PASS;
		json_object_set_new(o, "availability", av);
		json_object_set_new(o, "latency", la);
		json_object_set_new(o, "correctness", json_string(ssr_rss_verdict_name(s->corr.v)));
		json_object_set_new(o, "publication_latency",
		                    json_string(ssr_rss_verdict_name(s->pub.v)));
		json_object_set_new(o, "passes_all", json_boolean(all));
		json_object_set_new(data, "availability", dav);
		json_object_set_new(data, "latency", dla);
		json_object_set_new(data, "correctness", corr_json(&s->corr));
		json_object_set_new(data, "publication_latency", pub_json(&s->pub));
		json_t *ds = json_array(), *da = json_array(), *dl = json_array();
		for (unsigned d = 0; d < r->days; d++) {
			json_array_append_new(ds, json_integer((json_int_t)s->day_sent[d]));
			json_array_append_new(da, json_integer((json_int_t)s->day_answered[d]));
			json_array_append_new(
			    dl, s->day_lat_ms[d] < 0 ? json_null() : ms_value(s->day_lat_ms[d]));
		}
		json_object_set_new(data, "daily_sent", ds);
		json_object_set_new(data, "daily_answered", da);
		json_object_set_new(data, "daily_udp4_latency_ms", dl);
		json_object_set_new(o, "data", data);
		json_array_append_new(rsis, o);
	}
	json_object_set_new(doc, "rsi", rsis);
	json_t *rss = json_object(), *av = json_object(), *la = json_object();
	for (int t = 0; t < SSR_RSS_NT; t++) {
		const ssr_rss_systf_t *f = &r->rss[t];
		json_t *a = json_object(), *l = json_object();
		char pct[32];
		ssr_rss_pct(f->sum_min, f->sum_k, 5, pct, sizeof pct);
		json_object_set_new(a, "verdict", json_string(ssr_rss_verdict_name(f->avail_v)));
		json_object_set_new(a, "value_pct", json_string(pct));
		json_object_set_new(a, "sum_min_k_r", json_integer((json_int_t)f->sum_min));
		json_object_set_new(a, "sum_k", json_integer((json_int_t)f->sum_k));
		json_object_set_new(a, "vp_intervals", json_integer((json_int_t)f->vp_intervals));
		json_object_set_new(av, ssr_rss_tf_name(t), a);
		json_object_set_new(l, "verdict", json_string(ssr_rss_verdict_name(f->lat_v)));
		json_object_set_new(l, "samples", json_integer((json_int_t)f->lat_n));
		json_object_set_new(l, "median_ms", ms_value(f->lat_median_ms));
		json_object_set_new(la, ssr_rss_tf_name(t), l);
	}
	json_object_set_new(rss, "availability", av);
	json_object_set_new(rss, "latency", la);
	json_object_set_new(rss, "correctness", corr_json(&r->rss_corr));
	json_object_set_new(rss, "publication_latency", pub_json(&r->rss_pub));
	json_object_set_new(doc, "rss", rss);
	json_t *ser = json_array();
	for (size_t i = 0; i < r->nserials; i++) {
		json_t *o = json_object();
		char t[21];
		iso(r->serials[i].published_us, t);
		json_object_set_new(o, "serial", json_string(r->serials[i].serial));
		json_object_set_new(o, "published", json_string(t));
		json_array_append_new(ser, o);
	}
	json_object_set_new(doc, "new_serials", ser);
	json_t *hist = json_array();
	for (int i = 0; i < 64; i++) {
		json_array_append_new(hist, json_integer((json_int_t)r->pub_hist[i]));
	}
	json_object_set_new(doc, "publication_latency_histogram", hist);
	json_t *ex = json_array();
	for (size_t i = 0; i < r->nexcl; i++) {
		const ssr_rss_excl_t *e = &r->excl[i];
		json_t *o = json_object();
		char f[21], t[21];
		iso(e->from_us, f);
		iso(e->to_us, t);
		json_object_set_new(o, "vp", json_string(e->vp));
		json_object_set_new(o, "rsi", json_string(e->rsi));
		json_object_set_new(o, "from", json_string(f));
		json_object_set_new(o, "to", json_string(t));
		json_object_set_new(o, "reason", json_string(e->reason));
		json_object_set_new(o, "measurements_removed",
		                    json_integer((json_int_t)e->removed));
		json_array_append_new(ex, o);
	}
	json_object_set_new(doc, "exclusions", ex);
	json_t *th = json_object();
	json_object_set_new(th, "rsi_availability_pct", json_integer(96));
	json_object_set_new(th, "rsi_latency_ms", json_pack("{s:i,s:i}", "udp", 250, "tcp", 500));
	json_object_set_new(th, "rsi_correctness_pct", json_integer(100));
	json_object_set_new(th, "rsi_publication_latency_min", json_integer(65));
	json_object_set_new(th, "rss_availability_pct", json_real(99.999));
	json_object_set_new(th, "rss_latency_ms", json_pack("{s:i,s:i}", "udp", 150, "tcp", 300));
	json_object_set_new(th, "rss_correctness_pct", json_integer(100));
	json_object_set_new(th, "rss_publication_latency_min", json_integer(35));
	json_object_set_new(doc, "thresholds", th);
	*out = doc;
	return SSR_EOK;
}

/* ---- text and CSV ------------------------------------------------------------------------------
 */

static const char *s_of(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

static json_t *path2(json_t *o, const char *a, const char *b)
{
	return json_object_get(json_object_get(o, a), b);
}

int ssr_report_rss_text(json_t *doc, FILE *out)
{
	fprintf(out, "RSSAC047 report %s: %zu vantage points, k = %" JSON_INTEGER_FORMAT "\n\n",
	        s_of(doc, "month"), json_array_size(json_object_get(doc, "vantage_points")),
	        json_integer_value(json_object_get(doc, "k")));
	fputs("RSI  availability                    latency                         correctness "
	      "publication\n     udp4    tcp4    udp6    tcp6    udp4    tcp4    udp6    tcp6\n",
	      out);
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(doc, "rsi"), i, o)
	{
		fprintf(out, "%-5s", s_of(o, "id"));
		for (int t = 0; t < SSR_RSS_NT; t++) {
			fprintf(out, "%-8s",
			        json_string_value(path2(o, "availability", ssr_rss_tf_name(t))));
		}
		for (int t = 0; t < SSR_RSS_NT; t++) {
			fprintf(out, "%-8s",
			        json_string_value(path2(o, "latency", ssr_rss_tf_name(t))));
		}
		fprintf(out, "%-12s%s\n", s_of(o, "correctness"), s_of(o, "publication_latency"));
	}
	json_t *rss = json_object_get(doc, "rss");
	fputs("\nRSS                 udp4             tcp4             udp6             tcp6\n",
	      out);
	fputs("availability %  ", out);
	for (int t = 0; t < SSR_RSS_NT; t++) {
		json_t *a = path2(rss, "availability", ssr_rss_tf_name(t));
		fprintf(out, " %-10s %-5s", s_of(a, "value_pct"), s_of(a, "verdict"));
	}
	fputs("\nlatency ms      ", out);
	for (int t = 0; t < SSR_RSS_NT; t++) {
		json_t *a = path2(rss, "latency", ssr_rss_tf_name(t));
		fprintf(out, " %-10.3f %-5s", json_number_value(json_object_get(a, "median_ms")),
		        s_of(a, "verdict"));
	}
	json_t *c = json_object_get(rss, "correctness"),
	       *p = json_object_get(rss, "publication_latency");
	fprintf(out, "\ncorrectness %%    %s %s (%" JSON_INTEGER_FORMAT " responses)\n",
	        s_of(c, "value_pct"), s_of(c, "verdict"),
	        json_integer_value(json_object_get(c, "responses")));
	fprintf(out, "publication min  %.1f %s (%" JSON_INTEGER_FORMAT " samples)\n",
	        json_number_value(json_object_get(p, "median_min")), s_of(p, "verdict"),
	        json_integer_value(json_object_get(p, "samples")));
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

/* One row per figure: scope, subject, metric, transport, verdict, value, samples. */
int ssr_report_rss_csv(json_t *doc, FILE *out)
{
	fputs("month,scope,subject,metric,transport,verdict,value,samples\n", out);
	const char *m = s_of(doc, "month");
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(doc, "rsi"), i, o)
	{
		json_t *d = json_object_get(o, "data");
		for (int t = 0; t < SSR_RSS_NT; t++) {
			const char *tf = ssr_rss_tf_name(t);
			json_t *a = path2(d, "availability", tf), *l = path2(d, "latency", tf);
			fprintf(
			    out, "%s,rsi,%s,availability,%s,%s,%s,%" JSON_INTEGER_FORMAT "\n", m,
			    s_of(o, "id"), tf, json_string_value(path2(o, "availability", tf)),
			    s_of(a, "value_pct"), json_integer_value(json_object_get(a, "sent")));
			fprintf(out, "%s,rsi,%s,latency,%s,%s,%.3f,%" JSON_INTEGER_FORMAT "\n", m,
			        s_of(o, "id"), tf, json_string_value(path2(o, "latency", tf)),
			        json_number_value(json_object_get(l, "median_ms")),
			        json_integer_value(json_object_get(l, "samples")));
		}
		json_t *c = json_object_get(d, "correctness"),
		       *p = json_object_get(d, "publication_latency");
		fprintf(out, "%s,rsi,%s,correctness,,%s,%s,%" JSON_INTEGER_FORMAT "\n", m,
		        s_of(o, "id"), s_of(c, "verdict"), s_of(c, "value_pct"),
		        json_integer_value(json_object_get(c, "responses")));
		fprintf(out, "%s,rsi,%s,publication_latency,,%s,%.1f,%" JSON_INTEGER_FORMAT "\n", m,
		        s_of(o, "id"), s_of(p, "verdict"),
		        json_number_value(json_object_get(p, "median_min")),
		        json_integer_value(json_object_get(p, "samples")));
	}
	json_t *rss = json_object_get(doc, "rss");
	for (int t = 0; t < SSR_RSS_NT; t++) {
		const char *tf = ssr_rss_tf_name(t);
		json_t *a = path2(rss, "availability", tf), *l = path2(rss, "latency", tf);
		fprintf(out, "%s,rss,rss,availability,%s,%s,%s,%" JSON_INTEGER_FORMAT "\n", m, tf,
		        s_of(a, "verdict"), s_of(a, "value_pct"),
		        json_integer_value(json_object_get(a, "vp_intervals")));
		fprintf(out, "%s,rss,rss,latency,%s,%s,%.3f,%" JSON_INTEGER_FORMAT "\n", m, tf,
		        s_of(l, "verdict"), json_number_value(json_object_get(l, "median_ms")),
		        json_integer_value(json_object_get(l, "samples")));
	}
	json_t *c = json_object_get(rss, "correctness"),
	       *p = json_object_get(rss, "publication_latency");
	fprintf(out, "%s,rss,rss,correctness,,%s,%s,%" JSON_INTEGER_FORMAT "\n", m,
	        s_of(c, "verdict"), s_of(c, "value_pct"),
	        json_integer_value(json_object_get(c, "responses")));
	fprintf(out, "%s,rss,rss,publication_latency,,%s,%.1f,%" JSON_INTEGER_FORMAT "\n", m,
	        s_of(p, "verdict"), json_number_value(json_object_get(p, "median_min")),
	        json_integer_value(json_object_get(p, "samples")));
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

/* ---- HTML
 * ---------------------------------------------------------------------------------------- */

static void cell(FILE *out, const char *verdict)
{
	fprintf(out, "<td class=\"%s\">%s</td>", verdict, verdict);
}

/* One small line chart per RSI: a daily series (values or null), y from lo to hi. */
static void small_multiples(FILE *out, json_t *doc, const char *id, const char *title,
                            const char *series, bool avail, double lo, double hi)
{
	json_t *rsis = json_object_get(doc, "rsi");
	size_t n = json_array_size(rsis),
	       days = (size_t)json_integer_value(json_object_get(doc, "days"));
	int cols = 4, cw = 250, ch = 90;
	int rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
	fprintf(out,
	        "<figure><svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
	        "width=\"%d\" height=\"%d\" role=\"img\"><title>%s</title>\n",
	        id, cols * cw, rows * ch + 10, title);
	size_t i;
	json_t *o;
	json_array_foreach(rsis, i, o)
	{
		int x0 = (int)(i % (size_t)cols) * cw + 30, y0 = (int)(i / (size_t)cols) * ch + 15;
		int w = cw - 45, h = ch - 35;
		fprintf(out, "<text x=\"%d\" y=\"%d\">%s</text>", x0, y0 - 3, s_of(o, "id"));
		fprintf(out,
		        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
		        "stroke=\"#ccc\"/>",
		        x0, y0, w, h);
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%g</text>", x0 - 2,
		        y0 + 8, hi);
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%g</text>", x0 - 2,
		        y0 + h, lo);
		json_t *d = json_object_get(o, "data");
		fputs("<polyline fill=\"none\" stroke=\"#1f77b4\" points=\"", out);
		for (size_t k = 0; k < days; k++) {
			double v;
			if (avail) {
				double s = (double)json_integer_value(
				    json_array_get(json_object_get(d, "daily_sent"), k));
				double a = (double)json_integer_value(
				    json_array_get(json_object_get(d, "daily_answered"), k));
				if (s == 0) {
					continue;
				}
				v = 100 * a / s;
			} else {
				json_t *x = json_array_get(json_object_get(d, series), k);
				if (!json_is_number(x)) {
					continue;
				}
				v = json_number_value(x);
			}
			v = v < lo ? lo : v > hi ? hi : v;
			double px = x0 + (days > 1 ? (double)k / (double)(days - 1) * w : w / 2.0);
			double py = y0 + h - (v - lo) / (hi - lo) * h;
			fprintf(out, "%.1f,%.1f ", px, py);
		}
		fputs("\"/>\n", out);
	}
	fprintf(out, "</svg><figcaption>%s</figcaption></figure>\n", title);
}

static void histogram(FILE *out, json_t *doc)
{
	json_t *h = json_object_get(doc, "publication_latency_histogram");
	int last = 0;
	double max = 0;
	for (int i = 0; i < 64; i++) {
		double v = (double)json_integer_value(json_array_get(h, (size_t)i));
		if (v > 0) {
			last = i;
		}
		max = v > max ? v : max;
	}
	int n = last + 1, bw = 24, H = 160;
	fprintf(out,
	        "<figure><svg id=\"chart-publication\" class=\"chart\" "
	        "xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">"
	        "<title>publication latency distribution</title>\n",
	        60 + n * bw, H + 40);
	for (int i = 0; i < n; i++) {
		double v = (double)json_integer_value(json_array_get(h, (size_t)i));
		double bh = max > 0 ? v / max * H : 0;
		fprintf(out,
		        "<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
		        "fill=\"#1f77b4\"/><text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>"
		        "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">%.0f</text>\n",
		        40 + i * bw, 10 + H - bh, bw - 4, bh, 40 + i * bw + bw / 2 - 2, H + 25,
		        i * 5, 40 + i * bw + bw / 2 - 2, 8 + H - bh, v);
	}
	fputs("</svg><figcaption>Publication latency: observations (VP x RSI x new serial) by "
	      "minutes until the VP saw the new serial</figcaption></figure>\n",
	      out);
}

int ssr_report_rss_html(json_t *doc, FILE *out)
{
	const char *month = s_of(doc, "month");
	fprintf(out,
	        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	        "<title>RSSAC047 report %s</title>\n<style>\nbody{font-family:sans-serif;"
	        "max-width:1100px;margin:2em auto;color:#222}\ntable{border-collapse:collapse;"
	        "margin:1em 0}\ntd,th{border:1px solid #ccc;padding:3px 8px;text-align:center}\n"
	        "td.pass{background:#dfd}\ntd.fail{background:#fbb}\ntd.nodata{background:#eee}\n"
	        "svg.chart text{font-size:11px}\n</style></head><body>\n",
	        month);
	fprintf(out, "<h1>Root server system metrics, %s</h1>\n", month);
	fprintf(out,
	        "<p>RSSAC047 v2 metrics from %zu vantage points (k = %" JSON_INTEGER_FORMAT
	        ", n = %" JSON_INTEGER_FORMAT "), %" JSON_INTEGER_FORMAT
	        " VP intervals. RSI results are shown as pass or fail only; the values behind them "
	        "are in the JSON report.</p>\n",
	        json_array_size(json_object_get(doc, "vantage_points")),
	        json_integer_value(json_object_get(doc, "k")),
	        json_integer_value(json_object_get(doc, "n")),
	        json_integer_value(json_object_get(doc, "vp_intervals")));
	fputs("<h2>Root server identifiers</h2>\n<table id=\"rsi\"><tr><th rowspan=\"2\">RSI</th>"
	      "<th colspan=\"4\">availability</th><th colspan=\"4\">response latency</th>"
	      "<th rowspan=\"2\">correctness</th><th rowspan=\"2\">publication latency</th></tr>"
	      "<tr><th>UDP4</th><th>TCP4</th><th>UDP6</th><th>TCP6</th><th>UDP4</th><th>TCP4</th>"
	      "<th>UDP6</th><th>TCP6</th></tr>\n",
	      out);
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(doc, "rsi"), i, o)
	{
		fprintf(out, "<tr><th>%s</th>", s_of(o, "id"));
		for (int t = 0; t < SSR_RSS_NT; t++) {
			cell(out, json_string_value(path2(o, "availability", ssr_rss_tf_name(t))));
		}
		for (int t = 0; t < SSR_RSS_NT; t++) {
			cell(out, json_string_value(path2(o, "latency", ssr_rss_tf_name(t))));
		}
		cell(out, s_of(o, "correctness"));
		cell(out, s_of(o, "publication_latency"));
		fputs("</tr>\n", out);
	}
	fputs("</table>\n<h2>Root server system</h2>\n<table id=\"rss\"><tr><th>metric</th>"
	      "<th>UDP4</th><th>TCP4</th><th>UDP6</th><th>TCP6</th><th>threshold</th></tr>\n",
	      out);
	json_t *rss = json_object_get(doc, "rss");
	fputs("<tr><th>availability</th>", out);
	for (int t = 0; t < SSR_RSS_NT; t++) {
		json_t *a = path2(rss, "availability", ssr_rss_tf_name(t));
		fprintf(out, "<td class=\"%s\">%s%% (%" JSON_INTEGER_FORMAT " VP intervals)</td>",
		        s_of(a, "verdict"), s_of(a, "value_pct"),
		        json_integer_value(json_object_get(a, "vp_intervals")));
	}
	fputs("<td>99.999%</td></tr>\n<tr><th>response latency</th>", out);
	for (int t = 0; t < SSR_RSS_NT; t++) {
		json_t *a = path2(rss, "latency", ssr_rss_tf_name(t));
		fprintf(out, "<td class=\"%s\">%.3f ms (%" JSON_INTEGER_FORMAT ")</td>",
		        s_of(a, "verdict"), json_number_value(json_object_get(a, "median_ms")),
		        json_integer_value(json_object_get(a, "samples")));
	}
	json_t *c = json_object_get(rss, "correctness"),
	       *p = json_object_get(rss, "publication_latency");
	fprintf(out,
	        "<td>150 / 300 ms</td></tr>\n<tr><th>correctness</th><td colspan=\"4\" "
	        "class=\"%s\">%s%% (%" JSON_INTEGER_FORMAT " responses)</td><td>100%%</td></tr>\n",
	        s_of(c, "verdict"), s_of(c, "value_pct"),
	        json_integer_value(json_object_get(c, "responses")));
	fprintf(out,
	        "<tr><th>publication latency</th><td colspan=\"4\" class=\"%s\">%.1f min "
	        "(%" JSON_INTEGER_FORMAT " samples)</td><td>35 min</td></tr>\n</table>\n",
	        s_of(p, "verdict"), json_number_value(json_object_get(p, "median_min")),
	        json_integer_value(json_object_get(p, "samples")));
	fputs("<h2>Over the month</h2>\n", out);
	small_multiples(out, doc, "chart-availability", "Availability per day, all transports (%)",
	                NULL, true, 0, 100);
	small_multiples(out, doc, "chart-latency", "Median UDP/IPv4 latency per day (ms)",
	                "daily_udp4_latency_ms", false, 0, 500);
	histogram(out, doc);
	fputs("<h2>Exclusions</h2>\n", out);
	json_t *ex = json_object_get(doc, "exclusions");
	if (json_array_size(ex) == 0) {
		fputs("<p>None.</p>\n", out);
	} else {
		fputs("<table id=\"exclusions\"><tr><th>VP</th><th>RSI</th><th>from</th><th>to</th>"
		      "<th>reason</th><th>measurements removed</th></tr>\n",
		      out);
		json_array_foreach(ex, i, o)
		{
			fputs("<tr><td>", out);
			ssr_html_escape(out, s_of(o, "vp"));
			fputs("</td><td>", out);
			ssr_html_escape(out, s_of(o, "rsi"));
			fprintf(out, "</td><td>%s</td><td>%s</td><td>", s_of(o, "from"),
			        s_of(o, "to"));
			ssr_html_escape(out, s_of(o, "reason"));
			fprintf(out, "</td><td>%" JSON_INTEGER_FORMAT "</td></tr>\n",
			        json_integer_value(json_object_get(o, "measurements_removed")));
		}
		fputs("</table>\n", out);
	}
	fprintf(out,
	        "<p>Intervals excluded for a clock jump at the VP: %" JSON_INTEGER_FORMAT
	        ".</p>\n<h2>Vantage points</h2>\n<ul>\n",
	        json_integer_value(json_object_get(doc, "excluded_clock_jump")));
	json_array_foreach(json_object_get(doc, "vantage_points"), i, o)
	{
		fputs("<li>", out);
		ssr_html_escape(out, s_of(o, "name"));
		fputs(" (", out);
		ssr_html_escape(out, s_of(o, "region"));
		fputs(")</li>\n", out);
	}
	fputs("</ul>\n</body></html>\n", out);
	return ferror(out) ? SSR_EIO : SSR_EOK;
}
