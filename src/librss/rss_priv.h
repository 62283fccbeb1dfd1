/* librss internals shared between its files (hidden). */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include "ssrwatch/rss.h"

#define RSS_HIDDEN __attribute__((visibility("hidden")))

/* Seconds of month "YYYY-MM" start (UTC) and its days; false when it is not a month. */
RSS_HIDDEN bool rss_month_parse(const char *month, int64_t *start_s, unsigned *days);
/* "YYYY-MM" of t (seconds, UTC). */
RSS_HIDDEN void rss_month_of(int64_t t_s, char out[8]);
/* RFC 1982 serial comparison: a before b. */
RSS_HIDDEN bool rss_serial_lt(uint32_t a, uint32_t b);
