/* ssrwatch — statistics for the abuse report (own code; numerical methods after Press et al.,
 * "Numerical Recipes", 6.4 for the incomplete beta continued fraction). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/error.h"
#include "ssrwatch/sort.h"
#include "ssrwatch/stat.h"

#define TINY 1e-300

/* One modified-Lentz step with coefficient aa: updates c and d, returns the factor for h. */
static inline double lentz_step(double aa, double *c, double *d)
{
	*d = 1 + aa * *d;
	if (fabs(*d) < TINY) {
		*d = TINY;
	}
	*c = 1 + aa / *c;
	if (fabs(*c) < TINY) {
		*c = TINY;
	}
	*d = 1 / *d;
	return *d * *c;
}

/* Continued fraction of the incomplete beta (modified Lentz): an even and an odd step per m. */
static double betacf(double a, double b, double x)
{
	const double eps = 1e-15;
	double qab = a + b, qap = a + 1, qam = a - 1;
	double c = 1, d = 1 - qab * x / qap;
	if (fabs(d) < TINY) {
		d = TINY;
	}
	d = 1 / d;
	double h = d;
	for (int m = 1; m <= 100000; m++) {
		int m2 = 2 * m;
		h *= lentz_step(m * (b - m) * x / ((qam + m2) * (a + m2)), &c, &d);
		double del = lentz_step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)), &c, &d);
		h *= del;
		if (fabs(del - 1) < eps) {
			break;
		}
	}
	return h;
}

double ssr_stat_betai(double a, double b, double x)
{
	if (x <= 0) {
		return 0;
	}
	if (x >= 1) {
		return 1;
	}
	double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	if (x < (a + 1) / (a + b + 2)) {
		return exp(lbt) * betacf(a, b, x) / a;
	}
	return 1 - exp(lbt) * betacf(b, a, 1 - x) / b;
}

double ssr_stat_binom_sf(uint64_t k, uint64_t n, double p)
{
	if (k == 0) {
		return 1;
	}
	if (k > n) {
		return 0;
	}
	if (p <= 0) {
		return 0;
	}
	if (p >= 1) {
		return 1;
	}
	/* P(X >= k) = I_p(k, n - k + 1) */
	return ssr_stat_betai((double)k, (double)(n - k + 1), p);
}

double ssr_stat_t_p2(double t, double df)
{
	if (isnan(t)) {
		return NAN;
	}
	if (isinf(t)) {
		return 0;
	}
	return ssr_stat_betai(df / 2, 0.5, df / (df + t * t));
}

double ssr_stat_t_quantile(double q, double df)
{
	if (q <= 0 || q >= 1) {
		return NAN;
	}
	if (q < 0.5) {
		return -ssr_stat_t_quantile(1 - q, df);
	}
	/* one-sided upper tail 1 - q = p2 / 2: bisection on t >= 0 */
	double target = 2 * (1 - q), lo = 0, hi = 1;
	while (ssr_stat_t_p2(hi, df) > target && hi < 1e12) {
		hi *= 2;
	}
	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;
		if (ssr_stat_t_p2(mid, df) > target) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	return (lo + hi) / 2;
}

int ssr_stat_bh_adjust(const double *p, size_t n, double *q)
{
	if (n == 0) {
		return SSR_EOK;
	}
	size_t *o = malloc(n * sizeof *o);
	if (o == NULL || ssr_argsort_f64(p, n, o) != SSR_EOK) {
		free(o);
		return SSR_ENOMEM;
	}
	double run = 1;
	for (size_t j = n; j-- > 0;) {
		double v = p[o[j]] * (double)n / (double)(j + 1);
		if (v < run) {
			run = v;
		}
		q[o[j]] = run;
	}
	free(o);
	return SSR_EOK;
}

int ssr_stat_ranks(const double *x, size_t n, double *r)
{
	size_t *o = malloc((n ? n : 1) * sizeof *o);
	if (o == NULL || ssr_argsort_f64(x, n, o) != SSR_EOK) {
		free(o);
		return SSR_ENOMEM;
	}
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && x[o[j + 1]] == x[o[i]]) {
			j++;
		}
		double avg = ((double)i + (double)j) / 2 + 1;
		for (size_t k = i; k <= j; k++) {
			r[o[k]] = avg;
		}
		i = j + 1;
	}
	free(o);
	return SSR_EOK;
}

/* Means and centred sums of squares and products (two passes: exact enough for any scale). */
static void moments(const double *x, const double *y, size_t n, double *mx, double *my, double *sxx,
                    double *sxy, double *syy)
{
	double ax = 0, ay = 0;
	for (size_t i = 0; i < n; i++) {
		ax += x[i];
		ay += y[i];
	}
	ax /= (double)n;
	ay /= (double)n;
	double xx = 0, xy = 0, yy = 0;
	for (size_t i = 0; i < n; i++) {
		xx += (x[i] - ax) * (x[i] - ax);
		xy += (x[i] - ax) * (y[i] - ay);
		yy += (y[i] - ay) * (y[i] - ay);
	}
	*mx = ax;
	*my = ay;
	*sxx = xx;
	*sxy = xy;
	*syy = yy;
}

double ssr_stat_pearson(const double *x, const double *y, size_t n)
{
	if (n < 2) {
		return NAN;
	}
	double mx, my, sxx, sxy, syy;
	moments(x, y, n, &mx, &my, &sxx, &sxy, &syy);
	if (sxx == 0 || syy == 0) {
		return NAN;
	}
	return sxy / sqrt(sxx * syy);
}

int ssr_stat_spearman(const double *x, const double *y, size_t n, double *rho, double *p)
{
	*rho = *p = NAN;
	if (n < 3) {
		return SSR_EOK;
	}
	double *rx = malloc(n * sizeof(double)), *ry = malloc(n * sizeof(double));
	if (rx == NULL || ry == NULL || ssr_stat_ranks(x, n, rx) != SSR_EOK ||
	    ssr_stat_ranks(y, n, ry) != SSR_EOK) {
		free(rx);
		free(ry);
		return SSR_ENOMEM;
	}
	*rho = ssr_stat_pearson(rx, ry, n);
	free(rx);
	free(ry);
	if (!isnan(*rho)) {
		double df = (double)n - 2;
		*p = fabs(*rho) >= 1 ? 0 : ssr_stat_t_p2(*rho * sqrt(df / (1 - *rho * *rho)), df);
	}
	return SSR_EOK;
}

int ssr_stat_ols(const double *x, const double *y, size_t n, ssr_stat_ols_t *o)
{
	memset(o, 0, sizeof(*o));
	o->n = n;
	if (n < 3) {
		return SSR_EINVAL;
	}
	double mx, my, sxx, sxy, syy;
	moments(x, y, n, &mx, &my, &sxx, &sxy, &syy);
	if (sxx == 0) {
		return SSR_EINVAL;
	}
	o->slope = sxy / sxx;
	o->intercept = my - o->slope * mx;
	double sse = 0;
	for (size_t i = 0; i < n; i++) {
		double e = y[i] - o->intercept - o->slope * x[i];
		sse += e * e;
	}
	double df = (double)n - 2;
	double s2 = sse / df;
	o->slope_se = sqrt(s2 / sxx);
	o->intercept_se = sqrt(s2 * (1.0 / (double)n + mx * mx / sxx));
	double t = ssr_stat_t_quantile(0.975, df);
	o->slope_lo = o->slope - t * o->slope_se;
	o->slope_hi = o->slope + t * o->slope_se;
	o->intercept_lo = o->intercept - t * o->intercept_se;
	o->intercept_hi = o->intercept + t * o->intercept_se;
	o->r2 = syy > 0 ? 1 - sse / syy : NAN;
	o->slope_p = o->slope_se > 0 ? ssr_stat_t_p2(o->slope / o->slope_se, df) : 0;
	return SSR_EOK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double ssr_stat_gini(const double *x, size_t n)
{
	if (n == 0) {
		return NAN;
	}
	double *s = malloc(n * sizeof(double));
	if (s == NULL) {
		return NAN;
	}
	memcpy(s, x, n * sizeof(double));
	qsort(s, n, sizeof(double), cmp_double);
	double sum = 0, wsum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += s[i];
		wsum += (double)(i + 1) * s[i];
	}
	free(s);
	if (sum == 0) {
		return 0;
	}
	return 2 * wsum / ((double)n * sum) - ((double)n + 1) / (double)n;
}

double ssr_stat_median(double *x, size_t n)
{
	if (n == 0) {
		return NAN;
	}
	qsort(x, n, sizeof(double), cmp_double);
	return ssr_stat_median_sorted(x, n);
}

double ssr_stat_median_sorted(const double *v, size_t n)
{
	if (n == 0) {
		return NAN;
	}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double ssr_stat_median_sorted_i64(const int64_t *v, size_t n)
{
	if (n == 0) {
		return NAN;
	}
	return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

double ssr_stat_quantile_sorted(const double *v, size_t n, double p)
{
	if (n == 0) {
		return NAN;
	}
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);
	size_t hi = lo + 1 < n ? lo + 1 : lo;
	return v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
}

size_t ssr_stat_nearest_rank(size_t n, unsigned pct)
{
	return (n * pct + 99) / 100;
}
