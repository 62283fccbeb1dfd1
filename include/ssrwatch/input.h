/* ssrwatch — byte input from a file, stdin ("-"), gzip or zstd, detected by magic bytes. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"

typedef enum {
	SSR_INPUT_PLAIN = 0,
	SSR_INPUT_GZIP = 1,
	SSR_INPUT_ZSTD = 2,
} ssr_input_kind_t;

typedef struct ssr_input ssr_input_t;

/* Errors: SSR_ENOTFOUND (no such file), SSR_EIO (cannot open or read the magic bytes), SSR_ENOMEM.
 */
int ssr_input_open(const char *path, ssr_input_t **out, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(2);
/* A byte range [offset, offset + length) of a plain regular file (not compressed, not stdin):
 * for parallel readers.  SSR_EUNSUPPORTED for anything else. */
int ssr_input_open_range(const char *path, uint64_t offset, uint64_t length, ssr_input_t **out,
                         ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(4);
void ssr_input_free(ssr_input_t *in);
/* Read up to cap bytes of decompressed data; *got == 0 means end of input.
 * A truncated or corrupt stream is SSR_ECORRUPT with the offset in diag. */
int ssr_input_read(ssr_input_t *in, void *buf, size_t cap, size_t *got, ssr_diag_t *diag) SSR_CHECK;
/* Start again from the beginning; SSR_ENOSEEK for stdin and pipes. */
int ssr_input_rewind(ssr_input_t *in, ssr_diag_t *diag) SSR_CHECK;
ssr_input_kind_t ssr_input_kind(const ssr_input_t *in);
const char *ssr_input_name(const ssr_input_t *in);
/* Raw (compressed) bytes consumed so far, and the raw size (0 if unknown). */
uint64_t ssr_input_raw_pos(const ssr_input_t *in);
uint64_t ssr_input_raw_size(const ssr_input_t *in);
