/* librss: a monthly report's figures into the store (rssstore.h): what the recommendation
 * tracker shows for SSR2 Rec 22. */
#include <stdlib.h>

#include "rss_priv.h"
#include "ssrwatch/rssstore.h"

static double pct(uint64_t num, uint64_t den)
{
	return den ? 100.0 * (double)num / (double)den : 0;
}

int ssr_rss_report_store(const ssr_rss_report_t *r, ssr_store_t *st, ssr_diag_t *diag)
{
	size_t cap = (size_t)r->nrsi * 10 + 10, n = 0;
	ssr_rss_row_t *rows = calloc(cap, sizeof(*rows));
	if (rows == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	for (unsigned i = 0; i < r->nrsi; i++) {
		const ssr_rss_rsistat_t *s = &r->rsis[i];
		for (int t = 0; t < SSR_RSS_NT; t++) {
			const ssr_rss_tfstat_t *f = &s->tf[t];
			rows[n++] = (ssr_rss_row_t){s->id,
			                            "availability",
			                            ssr_rss_tf_name(t),
			                            ssr_rss_verdict_name(f->avail_v),
			                            pct(f->answered, f->sent),
			                            (int64_t)f->sent};
			rows[n++] = (ssr_rss_row_t){s->id,
			                            "latency",
			                            ssr_rss_tf_name(t),
			                            ssr_rss_verdict_name(f->lat_v),
			                            f->lat_median_ms,
			                            (int64_t)f->lat_n};
		}
		rows[n++] = (ssr_rss_row_t){s->id,
		                            "correctness",
		                            "",
		                            ssr_rss_verdict_name(s->corr.v),
		                            pct(s->corr.correct, s->corr.responses),
		                            (int64_t)s->corr.responses};
		rows[n++] = (ssr_rss_row_t){s->id,
		                            "publication_latency",
		                            "",
		                            ssr_rss_verdict_name(s->pub.v),
		                            s->pub.median_min,
		                            (int64_t)s->pub.n};
	}
	for (int t = 0; t < SSR_RSS_NT; t++) {
		const ssr_rss_systf_t *f = &r->rss[t];
		rows[n++] = (ssr_rss_row_t){"rss",
		                            "availability",
		                            ssr_rss_tf_name(t),
		                            ssr_rss_verdict_name(f->avail_v),
		                            pct(f->sum_min, f->sum_k),
		                            (int64_t)f->vp_intervals};
		rows[n++] = (ssr_rss_row_t){"rss",
		                            "latency",
		                            ssr_rss_tf_name(t),
		                            ssr_rss_verdict_name(f->lat_v),
		                            f->lat_median_ms,
		                            (int64_t)f->lat_n};
	}
	rows[n++] = (ssr_rss_row_t){"rss",
	                            "correctness",
	                            "",
	                            ssr_rss_verdict_name(r->rss_corr.v),
	                            pct(r->rss_corr.correct, r->rss_corr.responses),
	                            (int64_t)r->rss_corr.responses};
	rows[n++] = (ssr_rss_row_t){"rss",
	                            "publication_latency",
	                            "",
	                            ssr_rss_verdict_name(r->rss_pub.v),
	                            r->rss_pub.median_min,
	                            (int64_t)r->rss_pub.n};
	int rc = ssr_store_rss_put(st, r->month, rows, n, diag);
	free(rows);
	return rc;
}
