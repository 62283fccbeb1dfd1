/* ssrwatch — statistics: the tests and measures the abuse report needs, and the one definition
 * of quantiles and medians that every figure uses (the abuse report, the survey, the SLAs). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"

/* Regularised incomplete beta I_x(a, b). */
double ssr_stat_betai(double a, double b, double x);
/* P(X >= k) for X ~ Binomial(n, p): the one-sided exact binomial test. */
double ssr_stat_binom_sf(uint64_t k, uint64_t n, double p);
/* Two-sided p-value of Student's t with df degrees of freedom. */
double ssr_stat_t_p2(double t, double df);
/* The q quantile of Student's t with df degrees of freedom (0 < q < 1). */
double ssr_stat_t_quantile(double q, double df);
/* Benjamini-Hochberg adjusted p-values (q-values) of p[0..n) into q[0..n). */
int ssr_stat_bh_adjust(const double *p, size_t n, double *q);
/* Ranks with ties averaged (1-based) of x[0..n) into r. */
int ssr_stat_ranks(const double *x, size_t n, double *r);
/* Pearson correlation of x and y; NaN when either is constant or n < 2. */
double ssr_stat_pearson(const double *x, const double *y, size_t n);
/* Spearman's rho (Pearson on average ranks) and its two-sided p-value (t approximation,
 * n - 2 degrees of freedom); NaN when undefined. */
int ssr_stat_spearman(const double *x, const double *y, size_t n, double *rho, double *p);

typedef struct {
	double slope, slope_lo, slope_hi, slope_se;
	double intercept, intercept_lo, intercept_hi, intercept_se;
	double r2, slope_p;
	size_t n;
} ssr_stat_ols_t;
/* Least squares y = a + b x with 95% confidence intervals (t, n - 2 df); n >= 3 and x not
 * constant, else SSR_EINVAL. */
int ssr_stat_ols(const double *x, const double *y, size_t n, ssr_stat_ols_t *out);
/* Gini coefficient of non-negative x[0..n) (0: equal, towards 1: concentrated). */
double ssr_stat_gini(const double *x, size_t n);
/* Median of x[0..n) (sorts x): the middle value, or the mean of the two middle values. */
double ssr_stat_median(double *x, size_t n);
/* The same of sorted values, without sorting: NaN for n = 0.  The _i64 form for counts and
 * durations. */
double ssr_stat_median_sorted(const double *v, size_t n);
double ssr_stat_median_sorted_i64(const int64_t *v, size_t n);
/* The p quantile (0 <= p <= 1) of sorted values by linear interpolation between order statistics
 * (Hyndman and Fan's type 7, R's and NumPy's default); NaN for n = 0. */
double ssr_stat_quantile_sorted(const double *v, size_t n, double p);
/* The nearest-rank percentile's 1-based rank: ceil(pct/100 n), in integers (no rounding of
 * 0.9 * n to 10.000000000000002); 0 for n = 0. */
size_t ssr_stat_nearest_rank(size_t n, unsigned pct);
