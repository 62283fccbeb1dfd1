/* librecs: the prioritisation survey (scores 50-100 per rater and recommendation, as the SSR2
 * team rated its recommendations): reading, per-recommendation summaries, natural breaks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/stat.h"
#include "ssrwatch/csv.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/recs.h"
#include "ssrwatch/sort.h"

typedef struct {
	ssr_recs_known_fn rec_ok, rater_ok;
	void *known_ctx;
	ssr_recs_rating_fn fn;
	void *ctx;
	ssr_recs_skip_fn skip;
	void *skip_ctx;
	ssr_recs_survey_stats_t *st;
	ssr_strmap_t seen; /* rater \x1f rec */
} survey_t;

static void skipped(survey_t *s, const char *path, uint64_t line, const char *why, const char *what,
                    size_t len)
{
	char msg[512];
	snprintf(msg, sizeof msg, "survey '%s' line %llu: %s '%.*s'", path,
	         (unsigned long long)line, why, (int)(len > 80 ? 80 : len), what);
	if (s->skip) {
		s->skip(msg, s->skip_ctx);
	}
}

static int on_row(const char *path, uint64_t line, const char *const *f, const size_t *fl, int nf,
                  const int *cols, void *ctx, ssr_diag_t *diag)
{
	survey_t *s = ctx;
	(void)diag;
	s->st->rows++;
	if (cols[0] >= nf || cols[1] >= nf || cols[2] >= nf || fl[cols[0]] == 0 ||
	    fl[cols[1]] == 0) {
		s->st->malformed++;
		skipped(s, path, line, "missing field in", "", 0);
		return SSR_EOK;
	}
	const char *rater = f[cols[0]], *rec = f[cols[1]], *sc = f[cols[2]];
	char *end;
	double v = strtod(sc, &end);
	if (fl[cols[2]] == 0 || *end != '\0' || !isfinite(v) || v < 50 || v > 100) {
		s->st->bad_score++;
		skipped(s, path, line, "score outside 50-100:", sc, fl[cols[2]]);
		return SSR_EOK;
	}
	if (s->rec_ok && !s->rec_ok(rec, s->known_ctx)) {
		s->st->unknown_rec++;
		skipped(s, path, line, "unknown recommendation", rec, fl[cols[1]]);
		return SSR_EOK;
	}
	if (s->rater_ok && !s->rater_ok(rater, s->known_ctx)) {
		s->st->unknown_rater++;
		skipped(s, path, line, "unknown rater", rater, fl[cols[0]]);
		return SSR_EOK;
	}
	char key[1024];
	int kl = snprintf(key, sizeof key, "%s\x1f%s", rater, rec);
	ssr_strmap_entry_t *e;
	bool ins;
	if (kl < 0 || (size_t)kl >= sizeof key ||
	    ssr_strmap_upsert(&s->seen, key, (size_t)kl, &e, &ins) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	if (!ins) {
		s->st->duplicate++;
		skipped(s, path, line, "second score of the same rater for", rec, fl[cols[1]]);
		return SSR_EOK;
	}
	s->st->accepted++;
	return s->fn(rater, rec, v, s->ctx);
}

int ssr_recs_survey_read(const char *path, ssr_recs_known_fn rec_ok, ssr_recs_known_fn rater_ok,
                         void *known_ctx, ssr_recs_rating_fn fn, void *ctx, ssr_recs_skip_fn skip,
                         void *skip_ctx, ssr_recs_survey_stats_t *stats, ssr_diag_t *diag)
{
	static const char *const rater_n[] = {"rater", "member", "name", NULL};
	static const char *const rec_n[] = {"recommendation", "rec", "id", NULL};
	static const char *const score_n[] = {"score", "rating", NULL};
	static const char *const *const names[] = {rater_n, rec_n, score_n};
	static const bool required[] = {true, true, true};
	ssr_recs_survey_stats_t local = {0};
	survey_t s = {.rec_ok = rec_ok,
	              .rater_ok = rater_ok,
	              .known_ctx = known_ctx,
	              .fn = fn,
	              .ctx = ctx,
	              .skip = skip,
	              .skip_ctx = skip_ctx,
	              .st = stats ? stats : &local};
	if (ssr_strmap_init(&s.seen, 256) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	int rc = ssr_csv_read_table(path, "survey", names, required, 3, on_row, &s, diag);
	ssr_strmap_release(&s.seen);
	if (rc == SSR_EOK && s.st->accepted == 0) {
		rc = ssr_diag_set(diag, SSR_EPARSE, "survey '%s': no usable rating in %llu rows",
		                  path, (unsigned long long)s.st->rows);
	}
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void ssr_recs_summarise(double *v, size_t n, ssr_recs_summary_t *out)
{
	memset(out, 0, sizeof *out);
	out->n = n;
	if (n == 0) {
		return;
	}
	qsort(v, n, sizeof *v, cmp_double);
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += v[i];
	}
	out->mean = sum / (double)n;
	out->median = ssr_stat_quantile_sorted(v, n, 0.5);
	out->q1 = ssr_stat_quantile_sorted(v, n, 0.25);
	out->q3 = ssr_stat_quantile_sorted(v, n, 0.75);
	out->iqr = out->q3 - out->q1;
	out->min = v[0];
	out->max = v[n - 1];
}

int ssr_recs_jenks(const double *v, size_t n, unsigned k, unsigned *cls, double *gvf)
{
	if (k < 1 || k > n) {
		return SSR_EINVAL;
	}
	size_t *o = malloc(n * sizeof *o);
	double *pre = calloc(n + 1, sizeof *pre), *pre2 = calloc(n + 1, sizeof *pre2);
	double *cost = malloc((size_t)k * (n + 1) * sizeof *cost);
	size_t *cut = malloc((size_t)k * (n + 1) * sizeof *cut);
	if (!o || !pre || !pre2 || !cost || !cut || ssr_argsort_f64(v, n, o) != SSR_EOK) {
		free(o);
		free(pre);
		free(pre2);
		free(cost);
		free(cut);
		return SSR_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		pre[i + 1] = pre[i] + v[o[i]];
		pre2[i + 1] = pre2[i] + v[o[i]] * v[o[i]];
	}
/* squared deviations of sorted values [a, b) from their mean */
#define SDEV(a, b)                                                                                 \
	((pre2[b] - pre2[a]) - (pre[b] - pre[a]) * (pre[b] - pre[a]) / (double)((b) - (a)))
	/* cost[c][j]: best sum of deviations of the first j values in c + 1 classes */
	for (size_t j = 1; j <= n; j++) {
		cost[j] = SDEV(0, j);
		cut[j] = 0;
	}
	for (unsigned c = 1; c < k; c++) {
		for (size_t j = c + 1; j <= n; j++) {
			double best = INFINITY;
			size_t at = c;
			for (size_t m = c; m < j; m++) { /* last class is [m, j) */
				double x = cost[(size_t)(c - 1) * (n + 1) + m] + SDEV(m, j);
				if (x < best - 1e-12) {
					best = x;
					at = m;
				}
			}
			cost[(size_t)c * (n + 1) + j] = best;
			cut[(size_t)c * (n + 1) + j] = at;
		}
	}
	size_t end = n;
	for (unsigned c = k; c-- > 0;) {
		size_t start = c == 0 ? 0 : cut[(size_t)c * (n + 1) + end];
		for (size_t i = start; i < end; i++) {
			cls[o[i]] = c;
		}
		end = start;
	}
	if (gvf) {
		double sdam = SDEV(0, n);
		double sdcm = cost[(size_t)(k - 1) * (n + 1) + n];
		*gvf = sdam > 0 ? 1 - sdcm / sdam : 1;
	}
#undef SDEV
	free(o);
	free(pre);
	free(pre2);
	free(cost);
	free(cut);
	return SSR_EOK;
}
