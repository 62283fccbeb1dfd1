/* ssrwatch — CSV fields of one line (RFC 4180 quoting within a line) and header lookup. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ssrwatch/error.h"

#define SSR_CSV_MAX_FIELDS 64

/* Split line p (n bytes) at delim into at most SSR_CSV_MAX_FIELDS fields, copied unquoted and
 * NUL-terminated into store (cap bytes: n + SSR_CSV_MAX_FIELDS + 1 is always enough).
 * Returns the field count, or -1 for an unterminated quote, text after a closing quote, a NUL
 * byte, too many fields or too little room. */
int ssr_csv_split(const char *p, size_t n, char delim, char *store, size_t cap, const char **f,
                  size_t *fl) SSR_CHECK;
/* Returns the index of the first field equal (ASCII case-insensitive) to one of names
 * (NULL-terminated list), or -1. */
int ssr_csv_column(const char *const *names, const char *const *f, const size_t *fl,
                   int nf) SSR_CHECK;
/* The delimiter of a header line: tab, ';' or ',' (the first one present, in that order of
 * preference when several are). */
char ssr_csv_delimiter(const char *p, size_t n);

/* ---- small CSV files with a header (registrar lists, prices, registry directories) ---------- */

#define SSR_CSV_TABLE_MAX_LINE 4096
#define SSR_CSV_TABLE_MAX_COLS 8

/* One data row: f/fl its fields, cols[i] the field index of the i-th wanted column (-1 absent). */
typedef int (*ssr_csv_row_fn)(const char *path, uint64_t line, const char *const *f,
                              const size_t *fl, int nf, const int *cols, void *ctx,
                              ssr_diag_t *diag);
/* Read a CSV file (plain or compressed) with a header line; '#' lines and blank lines are
 * skipped.  names[i] is a NULL-terminated list of accepted names for wanted column i;
 * required[i] columns must be in the header.  Every row goes to fn.  Errors name the file and
 * line ("what 'path' line N: ..."); a file without rows is SSR_EPARSE. */
int ssr_csv_read_table(const char *path, const char *what, const char *const *const *names,
                       const bool *required, int ncols, ssr_csv_row_fn fn, void *ctx,
                       ssr_diag_t *diag) SSR_CHECK;

/* Write v as one CSV cell (RFC 4180 quoting when needed). */
void ssr_csv_write_cell(const char *v, FILE *out);
