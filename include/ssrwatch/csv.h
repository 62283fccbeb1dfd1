/* ssrwatch — CSV fields of one line (RFC 4180 quoting within a line) and header lookup. */
#pragma once

#include <stddef.h>

#define SSR_CSV_MAX_FIELDS 64

/* Split line p (n bytes) at delim into at most SSR_CSV_MAX_FIELDS fields, copied unquoted and
 * NUL-terminated into store (cap bytes: n + SSR_CSV_MAX_FIELDS + 1 is always enough).
 * Returns the field count, or -1 for an unterminated quote, text after a closing quote, a NUL
 * byte, too many fields or too little room. */
int ssr_csv_split(const char *p, size_t n, char delim, char *store, size_t cap, const char **f,
                  size_t *fl);
/* Index of the first field equal (ASCII case-insensitive) to one of names (NULL-terminated
 * list), or -1. */
int ssr_csv_column(const char *const *names, const char *const *f, const size_t *fl, int nf);
/* The delimiter of a header line: tab, ';' or ',' (the first one present, in that order of
 * preference when several are). */
char ssr_csv_delimiter(const char *p, size_t n);
