/* libabuse internals: the misleading-name section of the abuse report. */
#pragma once

#include <jansson.h>

#include "ssrwatch/error.h"
#include "ssrwatch/store.h"

/* Library-internal: not part of the library's interface (hidden when built shared). */
#pragma GCC visibility push(hidden)

/* *out: the section for [from, to], or NULL when no zone was scanned for names then. */
int abuse_misleading_names(ssr_store_t *st, const char *from, const char *to, unsigned top,
                           json_t **out, ssr_diag_t *diag);

/* The keys of counts (an object of integers) with the highest counts first (ties by key), the
 * first top of them, as [{key: k, value: count}]; NULL when out of memory. */
json_t *abuse_top_counts(json_t *counts, unsigned top, const char *key, const char *value);

#pragma GCC visibility pop
