/* ssrwatch — logging through an injected callback. */
#include <stdarg.h>
#include <stdio.h>

#include "ssrwatch/log.h"

void ssr_log(const ssr_log_t *log, ssr_log_level_t level, const char *source, const char *fmt, ...)
{
	if (log == NULL || log->fn == NULL || level > log->level) {
		return;
	}
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log->fn(log->ctx, level, source, msg);
}

const char *ssr_log_level_name(ssr_log_level_t level)
{
	static const char *const names[] = {"error", "warning", "notice", "info", "debug"};
	return (unsigned)level < 5 ? names[level] : "?";
}
