/* ssrwatch — line reader over ssr_input (plain, gzip, zstd, stdin) with a hard line cap. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"

typedef struct ssr_lines ssr_lines_t;

/* max_line: longest line handed out; longer lines are reported as too long and skipped.
 * Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_ENOMEM. */
int ssr_lines_open(const char *path, size_t max_line, ssr_lines_t **out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(3);
void ssr_lines_free(ssr_lines_t *lr);
/* Next line without its newline (and without a trailing CR).  Returns 1 with a line, 0 at the
 * end, <0 on an input error (diag).  When the line exceeded max_line, *too_long is set, the
 * line is skipped and handed out empty (its number still counts).  A line stays valid until
 * the next call. */
int ssr_lines_next(ssr_lines_t *lr, const char **p, size_t *n, bool *too_long,
                   ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(3);
/* Number of the line last returned (1-based). */
uint64_t ssr_lines_number(const ssr_lines_t *lr);
uint64_t ssr_lines_bytes(const ssr_lines_t *lr);
