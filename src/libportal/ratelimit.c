/* ssrwatch — the portal's rate limits: a token bucket per key (GCRA) and per-login backoff,
 * in a fixed table of slots keyed by SHA-256 (no allocation per key, no growth under attack). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal_priv.h"
#include "ssrwatch/crypto.h"

/* A token bucket per key (GCRA): limit requests a minute, refilled continuously, so there is
 * no window edge at which twice the limit gets through.  Keys are kept as the first 16 bytes of
 * their SHA-256: any length, and equal keys meet in the same slot. */
struct rl_slot {
	uint8_t key[16];
	bool used;
	int64_t tat_ms; /* theoretical arrival time of the next request allowed (GCRA) */
	unsigned fails; /* login failures in a row (backoff) */
	int64_t until;  /* no attempt before this (backoff) */
};

int portal_ratelimit_init(ratelimit_t *r, unsigned cap)
{
	r->slots = calloc(cap, sizeof(*r->slots));
	if (r->slots == NULL) {
		return SSR_ENOMEM;
	}
	r->cap = cap;
	pthread_mutex_init(&r->mu, NULL);
	return SSR_EOK;
}

void portal_ratelimit_release(ratelimit_t *r)
{
	if (r->slots != NULL) {
		free(r->slots);
		pthread_mutex_destroy(&r->mu);
	}
	r->slots = NULL;
}

/* The key's slot (r->mu held): found among 8 probes, else the stalest of them is taken over. */
static struct rl_slot *slot_of(ratelimit_t *r, const char *key, int64_t now_ms)
{
	uint8_t d[SSR_SHA256_LEN];
	ssr_sha256(key, strlen(key), d);
	uint64_t h;
	memcpy(&h, d, sizeof(h));
	struct rl_slot *free_s = NULL;
	for (unsigned i = 0; i < 8; i++) {
		struct rl_slot *c = &r->slots[(h + i) % r->cap];
		if (c->used && memcmp(c->key, d, 16) == 0) {
			return c;
		}
		/* a slot whose bucket is full again and whose backoff is over holds nothing */
		bool idle = !c->used || (c->tat_ms <= now_ms && c->fails == 0);
		if (free_s == NULL && idle) {
			free_s = c;
		}
	}
	if (free_s == NULL) {
		free_s = &r->slots[h % r->cap]; /* every probe busy: the first is taken over */
	}
	memset(free_s, 0, sizeof(*free_s));
	memcpy(free_s->key, d, 16);
	free_s->used = true;
	free_s->tat_ms = now_ms;
	return free_s;
}

bool portal_ratelimit_hit(ratelimit_t *r, const char *key, unsigned limit, int64_t now, int *retry)
{
	if (limit == 0 || r->slots == NULL) {
		return true;
	}
	int64_t now_ms = now * 1000, t = 60000 / (int64_t)limit; /* ms per request */
	int64_t burst = 60000 - t; /* a whole minute's requests may come at once */
	pthread_mutex_lock(&r->mu);
	struct rl_slot *s = slot_of(r, key, now_ms);
	int64_t tat = s->tat_ms > now_ms ? s->tat_ms : now_ms;
	bool ok = tat - now_ms <= burst;
	if (ok) {
		s->tat_ms = tat + t;
	}
	pthread_mutex_unlock(&r->mu);
	if (!ok && retry != NULL) {
		int64_t wait = tat - burst - now_ms;
		*retry = (int)((wait + 999) / 1000);
		if (*retry < 1) {
			*retry = 1;
		}
	}
	return ok;
}

int portal_ratelimit_backoff_check(ratelimit_t *r, const char *key, int64_t now)
{
	pthread_mutex_lock(&r->mu);
	struct rl_slot *s = slot_of(r, key, now * 1000);
	int wait = s->until > now ? (int)(s->until - now) : 0;
	pthread_mutex_unlock(&r->mu);
	return wait;
}

int64_t portal_backoff_wait(unsigned fails)
{
	if (fails < BACKOFF_FREE) {
		return 0;
	}
	/* 2, 4, 8 ... seconds after the free failures, at most BACKOFF_MAX_S */
	unsigned k = fails - BACKOFF_FREE;
	int64_t wait = k >= 10 ? BACKOFF_MAX_S : (int64_t)2 << k;
	return wait < BACKOFF_MAX_S ? wait : BACKOFF_MAX_S;
}

void portal_ratelimit_backoff_result(ratelimit_t *r, const char *key, bool ok, int64_t now)
{
	pthread_mutex_lock(&r->mu);
	struct rl_slot *s = slot_of(r, key, now * 1000);
	if (ok) {
		s->fails = 0;
		s->until = 0;
	} else if (++s->fails >= BACKOFF_FREE) {
		s->until = now + portal_backoff_wait(s->fails);
	}
	pthread_mutex_unlock(&r->mu);
}

int portal_login_backoff_check(ssr_portal_t *p, const char *key)
{
	int64_t now = portal_now(p);
	if (p->cfg.shared_limits) {
		/* one count per login in the store, for every instance on it */
		int64_t until = 0;
		ssr_diag_t d = {0};
		ssr_store_t *st = portal_pool_get(&p->pool);
		int rc = ssr_store_backoff_get(st, key, &until, &d);
		portal_pool_put(&p->pool, st);
		if (rc == SSR_EOK) {
			return until > now ? (int)(until - now) : 0;
		}
		ssr_log(&p->cfg.log, SSR_LOG_WARNING, "portal", "shared login backoff: %s", d.msg);
	}
	return portal_ratelimit_backoff_check(&p->rl, key, now);
}

void portal_login_backoff_result(ssr_portal_t *p, const char *key, bool ok)
{
	int64_t now = portal_now(p);
	if (p->cfg.shared_limits) {
		ssr_diag_t d = {0};
		unsigned fails = 0;
		ssr_store_t *st = portal_pool_get(&p->pool);
		int rc = ok ? ssr_store_backoff_set(st, key, 0, &d)
		            : ssr_store_backoff_fail(st, key, &fails, &d);
		if (rc == SSR_EOK && !ok && fails >= BACKOFF_FREE) {
			rc = ssr_store_backoff_set(st, key, now + portal_backoff_wait(fails), &d);
		}
		portal_pool_put(&p->pool, st);
		if (rc == SSR_EOK) {
			return;
		}
		ssr_log(&p->cfg.log, SSR_LOG_WARNING, "portal", "shared login backoff: %s", d.msg);
	}
	portal_ratelimit_backoff_result(&p->rl, key, ok, now);
}

bool portal_rate_ok(ssr_portal_t *p, const char *kind, const char *key, unsigned limit, resp_t *r)
{
	char k[512]; /* the key is hashed whole; a longer one is cut here, never compared cut */
	snprintf(k, sizeof(k), "%s:%s", kind, key);
	int retry = 0;
	if (p->cfg.shared_limits && limit > 0) {
		/* one clock per key in the store, for every instance on it */
		int64_t now_ms = portal_now(p) * 1000, t = 60000 / (int64_t)limit, tat = 0;
		bool ok = true;
		ssr_diag_t d = {0};
		ssr_store_t *st = portal_pool_get(&p->pool);
		int rc = ssr_store_rate_hit(st, k, now_ms, t, 60000 - t, &ok, &tat, &d);
		portal_pool_put(&p->pool, st);
		if (rc == SSR_EOK) {
			if (ok) {
				return true;
			}
			int64_t wait = tat - (60000 - t) - now_ms;
			retry = (int)((wait + 999) / 1000);
			atomic_fetch_add(&p->rate_limited, 1);
			r->retry_after = retry < 1 ? 1 : retry;
			return false;
		}
		/* the store could not count it: this instance's own limiter decides */
		ssr_log(&p->cfg.log, SSR_LOG_WARNING, "portal", "shared rate limit: %s", d.msg);
	}
	if (portal_ratelimit_hit(&p->rl, k, limit, portal_now(p), &retry)) {
		return true;
	}
	atomic_fetch_add(&p->rate_limited, 1);
	r->retry_after = retry;
	return false;
}
