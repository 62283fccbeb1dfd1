/* librss internals shared between its files (hidden). */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include "ssrwatch/rss.h"

#pragma GCC visibility push(hidden)

/* Seconds of month "YYYY-MM" start (UTC) and its days; false when it is not a month. */
bool rss_month_parse(const char *month, int64_t *start_s, unsigned *days);
/* "YYYY-MM" of t (seconds, UTC). */
void rss_month_of(int64_t t_s, char out[8]);
/* RFC 1982 serial comparison: a before b. */
bool rss_serial_lt(uint32_t a, uint32_t b);
#pragma GCC visibility pop
