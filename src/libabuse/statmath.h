/* ssrwatch — the statistics the abuse report needs (private to libabuse; tested directly). */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Regularised incomplete beta I_x(a, b). */
double ssr_betai(double a, double b, double x);
/* P(X >= k) for X ~ Binomial(n, p): the one-sided exact binomial test. */
double ssr_binom_sf(uint64_t k, uint64_t n, double p);
/* Two-sided p-value of Student's t with df degrees of freedom. */
double ssr_t_p2(double t, double df);
/* The q quantile of Student's t with df degrees of freedom (0 < q < 1). */
double ssr_t_quantile(double q, double df);
/* Benjamini-Hochberg adjusted p-values (q-values) of p[0..n) into q[0..n). */
int ssr_bh_adjust(const double *p, size_t n, double *q);
/* Ranks with ties averaged (1-based) of x[0..n) into r. */
int ssr_ranks(const double *x, size_t n, double *r);
/* Pearson correlation of x and y; NaN when either is constant or n < 2. */
double ssr_pearson(const double *x, const double *y, size_t n);
/* Spearman's rho (Pearson on average ranks) and its two-sided p-value (t approximation,
 * n - 2 degrees of freedom); NaN when undefined. */
int ssr_spearman(const double *x, const double *y, size_t n, double *rho, double *p);

typedef struct {
	double slope, slope_lo, slope_hi, slope_se;
	double intercept, intercept_lo, intercept_hi, intercept_se;
	double r2, slope_p;
	size_t n;
} ssr_ols_t;
/* Least squares y = a + b x with 95% confidence intervals (t, n - 2 df); n >= 3 and x not
 * constant, else SSR_EINVAL. */
int ssr_ols(const double *x, const double *y, size_t n, ssr_ols_t *out);
/* Gini coefficient of non-negative x[0..n) (0: equal, towards 1: concentrated). */
double ssr_gini(const double *x, size_t n);
/* Median of x[0..n) (sorts x). */
double ssr_median(double *x, size_t n);
