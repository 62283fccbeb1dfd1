/* ssrwatch — the portal object (struct ssr_portal) and its own services: clock, limited
 * log lines (core.c), rate limits answered in a response (ratelimit.c).  Private to libportal. */
#pragma once

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "http.h"
#include "ratelimit.h"
#include "writer.h"
#include "ssrwatch/portal.h"
#include "ssrwatch/psl.h"

#pragma GCC visibility push(hidden)

#define PORTAL_LOG_CAUSES 32

struct ssr_portal {
	ssr_portal_config_t cfg;
	json_t *keep; /* strings the config points into */
	ssr_psl_t *psl;
	struct ssr_names *names; /* protected names (cfg.brands_file); NULL none */
	writer_t writer;
	pool_t pool;
	ratelimit_t rl;
	struct MHD_Daemon *mhd;
	unsigned port;
	char base_url[256];
	FILE *access;
	pthread_mutex_t access_mu;
	struct work *work;    /* routing and delivery workers (work.c) */
	uint8_t csrf_key[32]; /* binds the anonymous forms' CSRF tokens to this portal */
	/* open connections and the watchdog that enforces the request headers' deadline */
	struct pconn *conns;
	pthread_mutex_t conns_mu;
	pthread_cond_t watchdog_cv;
	pthread_t watchdog;
	bool watchdog_started, watchdog_stop;
	/* log lines limited per cause (portal_log_limited) */
	pthread_mutex_t loglim_mu;
	struct {
		const void *cause;
		int64_t last;
		unsigned long held;
	} loglim[PORTAL_LOG_CAUSES];
	/* the SLA figures, reused for stats_cache_s */
	pthread_mutex_t stats_mu;
	json_t *stats_cache;
	int64_t stats_at; /* monotonic seconds of the computation */
	unsigned stats_ack_s, stats_action_s;
	/* metrics */
	atomic_uint_fast64_t http[6]; /* by status class 1xx..5xx; [0] other */
	atomic_uint_fast64_t reports_ok, reports_rejected, cases_opened, rate_limited;
	atomic_uint_fast64_t header_timeouts, refused_early, stats_computed, stats_cached;
	atomic_uint_fast64_t
	    lat_bucket[8]; /* request latency histogram, le 1,5,10,25,50,100,250,+Inf ms */
	atomic_uint_fast64_t lat_sum_us;
};

int64_t portal_now(const ssr_portal_t *p);
/* Monotonic microseconds (durations, deadlines). */
int64_t portal_mono_us(void);
/* A warning or notice at most once a minute per cause (any stable pointer: a format string, a
 * function); the next line says how many were held back. */
void portal_log_limited(ssr_portal_t *p, ssr_log_level_t level, const void *cause, const char *fmt,
                        ...) __attribute__((format(printf, 4, 5)));

/* Count a hit of key (an IP, a login) against a per-minute limit of its kind ("report",
 * "login", "account"); false when over it: counted in the metrics, r->retry_after set, the
 * caller answers 429 in its own format. */
bool portal_rate_ok(ssr_portal_t *p, const char *kind, const char *key, unsigned limit, resp_t *r);
/* Login backoff of key (a login): with shared-limits counted in the store for every instance,
 * else (or when the store cannot) in this instance.  check: the seconds still to wait. */
int portal_login_backoff_check(ssr_portal_t *p, const char *key);
void portal_login_backoff_result(ssr_portal_t *p, const char *key, bool ok);

#pragma GCC visibility pop
