/* ssrwatch — error codes shared by every library. */
#pragma once

#include <stddef.h>

/* One enum for the whole project: SSR_EOK is success, errors are negative. */
typedef enum {
	SSR_EOK = 0,
	SSR_ENOMEM = -1,       /* allocation failed */
	SSR_EINVAL = -2,       /* bad argument or option */
	SSR_EIO = -3,          /* read/write/open failed */
	SSR_EPARSE = -4,       /* malformed input */
	SSR_ENOTFOUND = -5,    /* no such object */
	SSR_ELIMIT = -6,       /* a hard cap on untrusted input was hit */
	SSR_ECORRUPT = -7,     /* truncated or corrupt compressed stream */
	SSR_EUNSUPPORTED = -8, /* valid but not supported */
	SSR_ESTORE = -9,       /* database error */
	SSR_ESTOP = -10,       /* a callback asked to stop */
	SSR_ENOSEEK = -11,     /* input cannot be read twice (stdin) */
} ssr_err_t;

/* On every function that returns an error code (or a count that can be an error): the
 * caller must look at the result; the compiler says so when it does not. */
#define SSR_CHECK __attribute__((warn_unused_result))
/* The listed parameters (1-based) must not be NULL: the store handle and the out-parameters of
 * every function that has them.  Callers passing NULL are warned at compile time. */
#define SSR_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))

/* Static, lowercase description of an error code. */
const char *ssr_strerror(int code);

/* A diagnostic: the code and a complete message naming the subject,
 * e.g. "zone 'x.zone' line 12: bad TTL '1w2q'".  Caller owns it. */
typedef struct {
	int code;
	char msg[512];
} ssr_diag_t;

/* Set code and message (printf-style); returns code.  diag may be NULL. */
int ssr_diag_set(ssr_diag_t *diag, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ssr_diag_clear(ssr_diag_t *diag);
