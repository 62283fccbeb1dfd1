/* libabuse internals: the misleading-name section of the abuse report. */
#pragma once

#include <jansson.h>

#include "ssrwatch/error.h"
#include "ssrwatch/store.h"

/* *out: the section for [from, to], or NULL when no zone was scanned for names then. */
int abuse_misleading_names(ssr_store_t *st, const char *from, const char *to, unsigned top,
                           json_t **out, ssr_diag_t *diag);
