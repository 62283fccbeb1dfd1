/* ssrwatch — regression suite runs in the store (schema 8): per date, target and suite the
 * cases run, passed, and failed of severity error; the recommendation tracker's live figure of
 * SSR2 Rec 20 comes from here.  Same functions on SQLite and PostgreSQL. */
#pragma once

#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/store.h"

/* Errors of every function here that returns int, unless its comment adds more:
 * SSR_ESTORE (the database refused or failed; diag says how, naming the store), SSR_ENOMEM. */

typedef struct {
	const char *date; /* YYYY-MM-DD */
	const char *target, *implementation, *version, *suite;
	int64_t cases, passed, failed_errors;
} ssr_regress_row_t;

/* Insert or replace the row of its date, target and suite. */
int ssr_store_regress_put(ssr_store_t *st, const ssr_regress_row_t *r, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);
