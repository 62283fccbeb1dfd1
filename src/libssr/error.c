/* ssrwatch — error codes and diagnostics. */
#include <stdarg.h>
#include <stdio.h>

#include "ssrwatch/error.h"

const char *ssr_strerror(int code)
{
	switch (code) {
	case SSR_EOK:
		return "ok";
	case SSR_ENOMEM:
		return "out of memory";
	case SSR_EINVAL:
		return "invalid argument";
	case SSR_EIO:
		return "input/output error";
	case SSR_EPARSE:
		return "malformed input";
	case SSR_ENOTFOUND:
		return "not found";
	case SSR_ELIMIT:
		return "size limit exceeded";
	case SSR_ECORRUPT:
		return "corrupt or truncated compressed data";
	case SSR_EUNSUPPORTED:
		return "not supported";
	case SSR_ESTORE:
		return "store error";
	case SSR_ESTOP:
		return "stopped";
	case SSR_ENOSEEK:
		return "input cannot be rewound";
	default:
		return "unknown error";
	}
}

int ssr_diag_set(ssr_diag_t *diag, int code, const char *fmt, ...)
{
	if (diag != NULL) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(diag->msg, sizeof(diag->msg), fmt, ap);
		va_end(ap);
		diag->code = code;
	}
	return code;
}

void ssr_diag_clear(ssr_diag_t *diag)
{
	if (diag != NULL) {
		diag->code = SSR_EOK;
		diag->msg[0] = '\0';
	}
}
