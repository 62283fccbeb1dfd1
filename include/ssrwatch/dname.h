/* ssrwatch — domain names in wire form (RFC 1035 3.1): presentation conversion, order, case. */
#pragma once

#include "ssrwatch/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SSR_DNAME_MAXLEN 255
/* Longest presentation form, every byte escaped as \DDD, plus NUL. */
#define SSR_DNAME_TEXTMAX (SSR_DNAME_MAXLEN * 4 + 1)

/* Length of a wire name (including the root label), 0 if malformed or longer than avail. */
size_t ssr_dname_len(const uint8_t *wire, size_t avail);
/* Lowercase ASCII letters in place. */
void ssr_dname_lower(uint8_t *wire);
size_t ssr_dname_labels(const uint8_t *wire);
/* True when name equals parent or lies below it (case-insensitive). */
bool ssr_dname_is_under(const uint8_t *name, const uint8_t *parent);
/* First label of the name starts with "xn--" (any label when any_label). */
bool ssr_dname_has_xn(const uint8_t *wire, bool any_label);
/* RFC 4034 6.1 canonical order, case-insensitive.  Returns <0, 0, >0 (never an error). */
int ssr_dname_cmp_canonical(const uint8_t *a, const uint8_t *b) SSR_CHECK;
/* Order of the lowercase presentation forms, byte by byte ('.' between labels).  Returns <0, 0,
 * >0 (never an error). */
int ssr_dname_cmp_text(const uint8_t *a, const uint8_t *b) SSR_CHECK;
/* Presentation form; lowercase when lower.  No trailing dot except for the root ".".
 * Returns the length written or SSR_ELIMIT if cap is too small. */
int ssr_dname_to_text(const uint8_t *wire, char *out, size_t cap, bool lower) SSR_CHECK;
/* Parse a presentation name (with \X and \DDD escapes).  Relative names get origin appended;
 * "@" is origin.  origin may be NULL (then the name must be absolute or is taken as absolute).
 * Returns wire length or a negative error.
 * Errors: SSR_EPARSE (not a domain name), SSR_ELIMIT (a label over 63 or a name over 255 octets).
 */
int ssr_dname_from_text(const char *text, size_t len, const uint8_t *origin, uint8_t *out,
                        size_t cap) SSR_CHECK;
