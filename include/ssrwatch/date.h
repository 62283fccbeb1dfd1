/* ssrwatch — calendar days: "YYYY-MM-DD" <-> days since 1970-01-01 (proleptic Gregorian, UTC). */
#pragma once

#include "ssrwatch/error.h"

#include <stddef.h>
#include <stdint.h>

#define SSR_DAY_NONE INT32_MIN /* an unknown day */

/* Parse exactly "YYYY-MM-DD" (a real calendar date, years 1970-9999); SSR_EPARSE otherwise. */
int ssr_date_parse(const char *text, size_t len, int32_t *day) SSR_CHECK;
/* out must hold 11 bytes. */
void ssr_date_format(int32_t day, char out[11]);
int32_t ssr_date_from_civil(int y, unsigned m, unsigned d);
void ssr_date_to_civil(int32_t day, int *y, unsigned *m, unsigned *d);
/* Seconds since 1970 as "YYYY-MM-DDTHH:MM:SSZ" (RFC 3339, UTC); out must hold 21 bytes. */
void ssr_time_format(int64_t t, char out[21]);
/* Parse exactly "YYYY-MM-DDTHH:MM:SSZ" (ssr_time_format's form) into seconds since 1970;
 * SSR_EPARSE otherwise. */
int ssr_time_parse(const char *text, int64_t *t) SSR_CHECK;
/* Today (UTC). */
int32_t ssr_date_today(void);
