/* ssrwatch — calendar days (the civil-from-days algorithms of H. Hinnant, own code). */
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "ssrwatch/date.h"
#include "ssrwatch/error.h"

int32_t ssr_date_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + (int)doe - 719468);
}

void ssr_date_to_civil(int32_t day, int *y, unsigned *m, unsigned *d)
{
	int z = day + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)yoe + era * 400 + (*m <= 2);
}

static int digits(const char *p, size_t n, unsigned *out)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9') {
			return -1;
		}
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	*out = v;
	return 0;
}

int ssr_date_parse(const char *t, size_t len, int32_t *day)
{
	unsigned y, m, d;
	if (len != 10 || t[4] != '-' || t[7] != '-' || digits(t, 4, &y) || digits(t + 5, 2, &m) ||
	    digits(t + 8, 2, &d) || y < 1970 || m < 1 || m > 12 || d < 1) {
		return SSR_EPARSE;
	}
	static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap)) {
		return SSR_EPARSE;
	}
	*day = ssr_date_from_civil((int)y, m, d);
	return SSR_EOK;
}

void ssr_date_format(int32_t day, char out[11])
{
	int y;
	unsigned m, d;
	ssr_date_to_civil(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		y = 0;
	}
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int ssr_time_parse(const char *t, int64_t *out)
{
	int32_t day;
	unsigned h, m, s;
	if (strlen(t) != 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z' ||
	    ssr_date_parse(t, 10, &day) != SSR_EOK || digits(t + 11, 2, &h) ||
	    digits(t + 14, 2, &m) || digits(t + 17, 2, &s) || h > 23 || m > 59 || s > 59) {
		return SSR_EPARSE;
	}
	*out = (int64_t)day * 86400 + h * 3600 + m * 60 + s;
	return SSR_EOK;
}

void ssr_time_format(int64_t t, char out[21])
{
	int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t sec = t - day * 86400;
	ssr_date_format((int32_t)day, out);
	unsigned h = (unsigned)(sec / 3600) % 24u, m = (unsigned)(sec % 3600 / 60) % 60u,
	         s = (unsigned)(sec % 60) % 60u;
	const char f[] = {'T',
	                  (char)('0' + h / 10),
	                  (char)('0' + h % 10),
	                  ':',
	                  (char)('0' + m / 10),
	                  (char)('0' + m % 10),
	                  ':',
	                  (char)('0' + s / 10),
	                  (char)('0' + s % 10),
	                  'Z',
	                  '\0'};
	memcpy(out + 10, f, sizeof(f));
}

int32_t ssr_date_today(void)
{
	return (int32_t)(time(NULL) / 86400);
}
