/* ssrwatch — RSSAC047 monthly results in the store (schema 9): one row per month, subject (an
 * RSI's id or "rss"), metric and transport; the recommendation tracker's live figure of SSR2
 * Rec 22 comes from here.  Same functions on SQLite and PostgreSQL. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/store.h"

typedef struct {
	const char *subject;   /* "a" .. "m", or "rss" */
	const char *metric;    /* availability, latency, correctness, publication_latency */
	const char *transport; /* udp4, tcp4, udp6, tcp6, or "" */
	const char *verdict;   /* pass, fail, nodata */
	double value;          /* percent, milliseconds or minutes */
	int64_t samples;
} ssr_rss_row_t;

/* Replace every row of month (YYYY-MM) with rows, in one transaction: all or nothing.
 * Errors: SSR_ESTORE, SSR_ENOMEM. */
int ssr_store_rss_put(ssr_store_t *st, const char *month, const ssr_rss_row_t *rows, size_t n,
                      ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);
