/* ssrwatch — messages built in fixed buffers: several findings joined into one line. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/* Append the formatted text to buf (cap bytes, NUL-terminated), after sep when buf is not
 * empty; what does not fit is cut (the buffer stays terminated). */
void ssr_text_appendf(char *buf, size_t cap, const char *sep, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ssr_text_vappendf(char *buf, size_t cap, const char *sep, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
