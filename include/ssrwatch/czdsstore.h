/* ssrwatch — zone-data access (CZDS) in the store (schema 10): one row per day and TLD, what
 * the monitor found (ssrwatch czds run); the availability report and the recommendation
 * tracker's live figure of SSR2 Rec 25 come from here.  Same functions on SQLite and
 * PostgreSQL. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/store.h"

/* Errors of every function here that returns int, unless its comment adds more:
 * SSR_ESTORE (the database refused or failed; diag says how, naming the store), SSR_ENOMEM. */

/* One TLD on one day.  Tri-state fields: 1 yes, 0 no, -1 unknown (not checked). */
typedef struct {
	char day[11];     /* YYYY-MM-DD */
	char tld[64];     /* A-label, no final dot */
	char status[16];  /* approved, pending, denied, revoked, expired, none (no request), unknown
	                   * (the run failed before the request list) */
	char expires[24]; /* RFC 3339, "" unknown */
	int downloaded;   /* a complete file arrived */
	int on_time;      /* its Last-Modified was by the expected hour of the day */
	int fresh;        /* its SOA serial equals the live one */
	int64_t bytes, records;
	int64_t serial_file, serial_live; /* -1 unknown */
	char zonemd[16];                  /* valid, invalid, absent, unchecked */
	int http_status;                  /* of the failing request; 0 none */
	char error[256];                  /* the first error met; "" none */
} ssr_czds_row_t;

/* Insert or replace the row of its day and TLD. */
int ssr_store_czds_put(ssr_store_t *st, const ssr_czds_row_t *r, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);
/* The rows of days [from, to] (YYYY-MM-DD; NULL: no bound), by TLD then day (*rows, *n;
 * free()). */
int ssr_store_czds_rows(ssr_store_t *st, const char *from, const char *to, ssr_czds_row_t **rows,
                        size_t *n, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4, 5);
/* The row of tld on the latest day before day (SSR_ENOTFOUND when there is none). */
int ssr_store_czds_before(ssr_store_t *st, const char *tld, const char *day, ssr_czds_row_t *out,
                          ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 3, 4);
