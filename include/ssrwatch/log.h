/* ssrwatch — the one log module.  Libraries log only through an injected callback. */
#pragma once

#include <stdarg.h>

typedef enum {
	SSR_LOG_ERROR = 0,
	SSR_LOG_WARNING = 1,
	SSR_LOG_NOTICE = 2,
	SSR_LOG_INFO = 3,
	SSR_LOG_DEBUG = 4,
} ssr_log_level_t;

/* source: the library or module that logs ("zone", "store", ...). */
typedef void (*ssr_log_fn)(void *ctx, ssr_log_level_t level, const char *source, const char *msg);

typedef struct {
	ssr_log_fn fn;         /* NULL: discard */
	void *ctx;             /* handed to fn */
	ssr_log_level_t level; /* messages above this level are dropped */
} ssr_log_t;

void ssr_log(const ssr_log_t *log, ssr_log_level_t level, const char *source, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const char *ssr_log_level_name(ssr_log_level_t level);
