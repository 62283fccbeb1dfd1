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

#pragma GCC visibility pop
