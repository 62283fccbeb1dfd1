/* ssrwatch — registry data escrow in the store (schema 11): a row per deposit validated (ssrwatch
 * escrow validate --store) and per restore drill (ssrwatch escrow drill --store); the tracker's
 * live figure of SSR2 Rec 26 is the last drill.  Same functions on SQLite and PostgreSQL. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/store.h"

/* Errors of every function here that returns int, unless its comment adds more:
 * SSR_ESTORE (the database refused or failed; diag says how, naming the store), SSR_ENOMEM. */

typedef struct {
	char checked[21]; /* when (RFC 3339, UTC) */
	char file[256];   /* the deposit's file name */
	char tld[256];
	char type[8]; /* FULL, DIFF, INCR */
	char deposit_id[32];
	char watermark[40];
	int64_t resend;
	bool valid;
	int64_t codes;        /* distinct RST codes raised */
	char code_list[1024]; /* their names, space-separated (cut at 1023 bytes) */
	int64_t domains;
	double seconds;
} ssr_escrow_check_row_t;

typedef struct {
	char drilled[21]; /* when (RFC 3339, UTC) */
	char tld[256];
	char full_id[32];
	char watermark[40]; /* of the last deposit applied */
	int64_t diffs;
	char server[64];
	bool signed_zone;
	double decrypt_s, parse_s, build_s, sign_s, load_s, verify_s, answering_s, threshold_s;
	int64_t delegations, checked, matched;
	bool passed;
} ssr_escrow_drill_row_t;

/* Insert (or replace the row of the same time and file / TLD). */
int ssr_store_escrow_check_put(ssr_store_t *st, const ssr_escrow_check_row_t *r,
                               ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);
int ssr_store_escrow_drill_put(ssr_store_t *st, const ssr_escrow_drill_row_t *r,
                               ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);
/* The drills, newest first (*rows, *n; free()). */
int ssr_store_escrow_drills(ssr_store_t *st, ssr_escrow_drill_row_t **rows, size_t *n,
                            ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 3);
