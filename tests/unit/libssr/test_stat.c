/* tests for src/libssr/stat.c against values computed independently (exact rational
 * binomial sums; Student's t by numerical integration of its density; least squares by the
 * textbook formulas; Python, recorded in the comments). */
#include <math.h>

#include "../test_common.h"
#include "ssrwatch/stat.h"
#include "ssrwatch/error.h"

#define near(a, b, eps) assert_true(fabs((a) - (b)) <= (eps))

static void incomplete_beta(void **state)
{
	(void)state;
	/* integer a, b: I_x(a,b) = P(Binomial(a+b-1, x) >= a); I_0.5(2,3) = 11/16 */
	near(ssr_stat_betai(2, 3, 0.5), 0.6875, 1e-12);
	near(ssr_stat_betai(1, 1, 0.3), 0.3, 1e-12); /* uniform */
	near(ssr_stat_betai(5, 5, 0.5), 0.5, 1e-12); /* symmetric */
	near(ssr_stat_betai(2, 3, 0), 0, 0);
	near(ssr_stat_betai(2, 3, 1), 1, 0);
}

static void binomial_tail(void **state)
{
	(void)state;
	near(ssr_stat_binom_sf(0, 10, 0.1), 1.0, 1e-15);
	/* sum_{i>=3} C(10,i) 0.1^i 0.9^(10-i) = 0.0701908264 (exact rational) */
	near(ssr_stat_binom_sf(3, 10, 0.1), 0.0701908264, 1e-10);
	/* a planted outlier's size: P(X >= 30), X ~ B(1000, 0.02) = 0.0206965186732395 */
	near(ssr_stat_binom_sf(30, 1000, 0.02), 0.0206965186732395, 1e-12);
	near(ssr_stat_binom_sf(11, 10, 0.5), 0.0, 0);
	near(ssr_stat_binom_sf(10, 10, 0.5), 1.0 / 1024, 1e-15);
}

static void student_t(void **state)
{
	(void)state;
	/* 2 * P(T_5 > 2.0) = 0.10193947883; 2 * P(T_20 > 1.5) = 0.149235771169 */
	near(ssr_stat_t_p2(2.0, 5), 0.10193947883, 1e-9);
	near(ssr_stat_t_p2(-2.0, 5), 0.10193947883, 1e-9);
	near(ssr_stat_t_p2(1.5, 20), 0.149235771169, 1e-9);
	near(ssr_stat_t_p2(0, 7), 1.0, 1e-12);
	/* published quantiles t(0.975; df) */
	near(ssr_stat_t_quantile(0.975, 1), 12.706204736, 1e-6);
	near(ssr_stat_t_quantile(0.975, 3), 3.182446305, 1e-6);
	near(ssr_stat_t_quantile(0.975, 10), 2.228138852, 1e-6);
	near(ssr_stat_t_quantile(0.975, 30), 2.042272456, 1e-6);
	near(ssr_stat_t_quantile(0.025, 10), -2.228138852, 1e-6);
	near(ssr_stat_t_quantile(0.5, 4), 0, 1e-9);
}

static void benjamini_hochberg(void **state)
{
	(void)state;
	/* sorted 0.005 0.01 0.03 0.04, m = 4: p m / rank = 0.02 0.02 0.04 0.04, then the running
	 * minimum from the top */
	const double p[] = {0.01, 0.04, 0.03, 0.005};
	double q[4];
	assert_int_equal(ssr_stat_bh_adjust(p, 4, q), SSR_EOK);
	near(q[0], 0.02, 1e-15);
	near(q[1], 0.04, 1e-15);
	near(q[2], 0.04, 1e-15);
	near(q[3], 0.02, 1e-15);
	/* never above 1 */
	const double p2[] = {0.9, 0.95};
	assert_int_equal(ssr_stat_bh_adjust(p2, 2, q), SSR_EOK);
	near(q[0], 0.95, 1e-15);
	near(q[1], 0.95, 1e-15);
}

static void ranks_and_correlation(void **state)
{
	(void)state;
	const double x[] = {10, 20, 20, 5};
	double r[4];
	assert_int_equal(ssr_stat_ranks(x, 4, r), SSR_EOK);
	near(r[0], 2, 0);
	near(r[1], 3.5, 0);
	near(r[2], 3.5, 0);
	near(r[3], 1, 0);
	const double a[] = {1, 2, 3, 4, 5}, b[] = {2, 4, 5, 4, 5};
	near(ssr_stat_pearson(a, b, 5), 0.774596669241, 1e-12);
	const double c[] = {3, 3, 3, 3, 3};
	assert_true(isnan(ssr_stat_pearson(a, c, 5)));
	double rho, p;
	assert_int_equal(ssr_stat_spearman(a, b, 5, &rho, &p), SSR_EOK);
	/* ranks of b: 1 2.5 4.5 2.5 4.5; rho = 0.737864787373, t = 1.8935062328 on 3 df */
	near(rho, 0.737864787373, 1e-12);
	near(p, 0.154618523128, 1e-9);
	/* a perfectly monotone relation */
	const double d[] = {10, 20, 30, 40, 1000};
	assert_int_equal(ssr_stat_spearman(a, d, 5, &rho, &p), SSR_EOK);
	near(rho, 1.0, 1e-12);
}

static void least_squares(void **state)
{
	(void)state;
	const double x[] = {1, 2, 3, 4, 5}, y[] = {2.1, 3.9, 6.2, 7.8, 10.1};
	ssr_stat_ols_t o;
	assert_int_equal(ssr_stat_ols(x, y, 5, &o), SSR_EOK);
	near(o.slope, 1.99, 1e-12);
	near(o.intercept, 0.05, 1e-12);
	near(o.slope_se, 0.0597215762239, 1e-12);
	near(o.intercept_se, 0.198074060223, 1e-11);
	near(o.slope_lo, 1.7999392904, 1e-8);
	near(o.slope_hi, 2.1800607096, 1e-8);
	near(o.r2, 0.997305328901, 1e-11);
	assert_int_equal(o.n, 5);
	assert_true(o.slope_p < 0.001);
	/* undefined: too few points, constant x */
	assert_int_equal(ssr_stat_ols(x, y, 2, &o), SSR_EINVAL);
	const double cx[] = {2, 2, 2, 2};
	assert_int_equal(ssr_stat_ols(cx, y, 4, &o), SSR_EINVAL);
}

static void concentration_and_median(void **state)
{
	(void)state;
	const double eq[] = {5, 5, 5, 5};
	near(ssr_stat_gini(eq, 4), 0, 1e-15);
	/* one of four holds everything: sum |xi - xj| / (2 n^2 mean) = 60 / 80 */
	const double one[] = {0, 10, 0, 0};
	near(ssr_stat_gini(one, 4), 0.75, 1e-15);
	const double zero[] = {0, 0};
	near(ssr_stat_gini(zero, 2), 0, 0);
	double m1[] = {3, 1, 2};
	near(ssr_stat_median(m1, 3), 2, 0);
	double m2[] = {4, 1, 3, 2};
	near(ssr_stat_median(m2, 4), 2.5, 0);
	double m3[] = {7};
	near(ssr_stat_median(m3, 1), 7, 0);
}

/* The one definition of medians and quantiles: type 7 quantiles (R's default: quantile(c(1,2,3,4),
 * 0.25) = 1.75), the median as the mean of the two middle values, nearest ranks in integers. */
static void quantiles_and_ranks(void **state)
{
	(void)state;
	const double v[] = {1, 2, 3, 4};
	assert_true(fabs(ssr_stat_quantile_sorted(v, 4, 0.25) - 1.75) < 1e-12);
	assert_true(fabs(ssr_stat_quantile_sorted(v, 4, 0.5) - 2.5) < 1e-12);
	assert_true(fabs(ssr_stat_quantile_sorted(v, 4, 0.75) - 3.25) < 1e-12);
	assert_true(ssr_stat_quantile_sorted(v, 4, 1.0) == 4);
	assert_true(ssr_stat_quantile_sorted(v, 1, 0.3) == 1);
	assert_true(isnan(ssr_stat_quantile_sorted(v, 0, 0.5)));
	assert_true(ssr_stat_median_sorted(v, 4) == 2.5);
	assert_true(ssr_stat_median_sorted(v, 3) == 2);
	const int64_t w[] = {10, 20, 40, 1000};
	assert_true(ssr_stat_median_sorted_i64(w, 4) == 30);
	assert_true(isnan(ssr_stat_median_sorted_i64(w, 0)));
	assert_int_equal(ssr_stat_nearest_rank(10, 90), 9); /* not 10: no 0.9 * 10 rounding */
	assert_int_equal(ssr_stat_nearest_rank(11, 90), 10);
	assert_int_equal(ssr_stat_nearest_rank(1, 90), 1);
	assert_int_equal(ssr_stat_nearest_rank(0, 90), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(quantiles_and_ranks), cmocka_unit_test(incomplete_beta),
	    cmocka_unit_test(binomial_tail),       cmocka_unit_test(student_t),
	    cmocka_unit_test(benjamini_hochberg),  cmocka_unit_test(ranks_and_correlation),
	    cmocka_unit_test(least_squares),       cmocka_unit_test(concentration_and_median),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
