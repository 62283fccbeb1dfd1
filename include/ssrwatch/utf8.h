/* ssrwatch — UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing past
 * U+10FFFF (what jansson and every JSON parser take). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

bool ssr_utf8_valid(const char *s, size_t n);
