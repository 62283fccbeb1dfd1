/* ssrwatch — rate limits: a token bucket per key, and per-login backoff (ratelimit.c).  Private to
 * libportal. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#pragma GCC visibility push(hidden)

typedef struct {
	pthread_mutex_t mu;
	struct rl_slot *slots;
	unsigned cap;
} ratelimit_t;

int portal_ratelimit_init(ratelimit_t *r, unsigned cap);
void portal_ratelimit_release(ratelimit_t *r);
/* Count one hit for key at now; false when it is over limit per minute (*retry: seconds). */
bool portal_ratelimit_hit(ratelimit_t *r, const char *key, unsigned limit, int64_t now, int *retry);
/* Login backoff: after BACKOFF_FREE failures in a row for a key (a login), each further
 * attempt must wait 2, 4, 8 ... s (at most BACKOFF_MAX_S) after the last failure, from any
 * address; a success clears it.  check: the seconds still to wait (0: go ahead). */
#define BACKOFF_FREE  5
#define BACKOFF_MAX_S 900
int portal_ratelimit_backoff_check(ratelimit_t *r, const char *key, int64_t now);
void portal_ratelimit_backoff_result(ratelimit_t *r, const char *key, bool ok, int64_t now);
/* The wait after fails failures in a row (0 while fewer than BACKOFF_FREE). */
int64_t portal_backoff_wait(unsigned fails);

#pragma GCC visibility pop
