/* ssrwatch — messages built in fixed buffers (text.h). */
#include <stdio.h>
#include <string.h>

#include "ssrwatch/text.h"

void ssr_text_vappendf(char *buf, size_t cap, const char *sep, const char *fmt, va_list ap)
{
	size_t l = strnlen(buf, cap);
	size_t sl = l > 0 && sep != NULL ? strlen(sep) : 0;
	if (cap == 0 || l + sl + 1 >= cap) {
		return;
	}
	memcpy(buf + l, sep ? sep : "", sl);
	l += sl;
	buf[l] = '\0';
	vsnprintf(buf + l, cap - l, fmt, ap);
}

void ssr_text_appendf(char *buf, size_t cap, const char *sep, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ssr_text_vappendf(buf, cap, sep, fmt, ap);
	va_end(ap);
}
