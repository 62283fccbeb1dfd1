/* ssrwatch — the portal's SLA figures for /stats and /api/v1/stats, reused for stats_cache_s:
 * a page of figures over every case is not recomputed per request. */
#include <pthread.h>
#include <time.h>

#include "sla.h"
#include "sla.h"

/* The portal's figures for /stats and /api/v1/stats: computed at most every stats_cache_s
 * seconds (of the portal's clock and of real time), by one request at a time; the others wait
 * for that computation and share it.  *out is the caller's copy. */
int portal_sla_cached(ssr_portal_t *p, json_t **out, ssr_diag_t *diag)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t mono = (int64_t)ts.tv_sec, now = portal_now(p);
	int64_t life = (int64_t)p->cfg.stats_cache_s;
	pthread_mutex_lock(&p->stats_mu);
	json_t *c = p->stats_cache;
	int64_t at = c ? json_integer_value(json_object_get(c, "at")) : 0;
	if (c != NULL && life > 0 && mono - p->stats_at < life && now >= at && now - at < life &&
	    p->stats_ack_s == p->cfg.sla_ack_s && p->stats_action_s == p->cfg.sla_action_s) {
		*out = json_deep_copy(c);
		pthread_mutex_unlock(&p->stats_mu);
		atomic_fetch_add(&p->stats_cached, 1);
		return *out ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "sla: out of memory");
	}
	ssr_sla_opts_t o = {p->cfg.sla_ack_s, p->cfg.sla_action_s, now};
	ssr_store_t *st = portal_pool_get(&p->pool);
	json_t *j = NULL;
	int rc = ssr_portal_sla(st, &o, &j, diag);
	portal_pool_put(&p->pool, st);
	if (rc == SSR_EOK) {
		json_decref(p->stats_cache);
		p->stats_cache = j;
		p->stats_at = mono;
		p->stats_ack_s = o.ack_s;
		p->stats_action_s = o.action_s;
		*out = json_deep_copy(j);
		rc = *out ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "sla: out of memory");
		atomic_fetch_add(&p->stats_computed, 1);
	}
	pthread_mutex_unlock(&p->stats_mu);
	return rc;
}
