/* ssrwatch — routing: each new case goes to the registry (the directory), the sponsoring
 * registrar (RDAP domain lookup at the TLD's RDAP server, found from the directory or the IANA
 * bootstrap) and the host of every reported IP address (RDAP IP lookup).  Unknown registrars
 * and hosts become parties from their RDAP entity (name, IANA id, abuse e-mail).  A failed
 * lookup leaves the case to be retried with exponential backoff; it is never dropped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views.h"
#include "work.h"
#include "ssrwatch/rdap.h"

/* Two background loops: routing and delivery.  Each wakes when kicked or every second (the
 * clock may have reached a retry), and runs its tick until nothing is due. */
typedef struct loop {
	pthread_t thread;
	bool kicked, started;
	/* handle what is due now, at most limit items: *n how many were due */
	int (*tick)(ssr_portal_t *p, int limit, size_t *n, ssr_diag_t *diag);
	int limit;
	struct loop *then; /* kicked after items were handled (routing adds deliveries) */
	ssr_portal_t *p;
} loop_t;

struct work {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	loop_t route, deliver;
	ssr_rdap_boot_t *dns, *v4, *v6;
};

typedef struct {
	int64_t party_id;
	const char *role;
} hit_t;

#define MAX_HITS 8

typedef struct {
	int64_t case_id, now;
	hit_t hits[MAX_HITS];
	int nhits;
	/* parties to create from RDAP (registrar, hosts) */
	ssr_rdap_entity_t ent[MAX_HITS];
	const char *ent_role[MAX_HITS];
	int nent;
	/* RDAP answers to cache */
	char *cache_url[MAX_HITS], *cache_body[MAX_HITS];
	int cache_status[MAX_HITS], ncache;
	unsigned cache_s;
	int attempts;
	int64_t next_at;
	char error[400];
	bool retry;
} route_t;

static void route_release(route_t *r)
{
	for (int i = 0; i < r->ncache; i++) {
		free(r->cache_url[i]);
		free(r->cache_body[i]);
	}
}

static int route_write(ssr_store_t *st, void *ctx, ssr_diag_t *diag)
{
	route_t *r = ctx;
	int rc = SSR_EOK;
	for (int i = 0; i < r->ncache && rc == SSR_EOK; i++) {
		/* negative answers are kept an hour, answers for the configured lifetime */
		int64_t ttl = r->cache_status[i] == 200 ? r->cache_s : 3600;
		rc = ssr_store_rdap_put(st, r->cache_url[i], r->cache_status[i], r->cache_body[i],
		                        r->now, r->now + ttl, diag);
	}
	for (int i = 0; i < r->nent && rc == SSR_EOK; i++) {
		const ssr_rdap_entity_t *e = &r->ent[i];
		bool reg = strcmp(r->ent_role[i], "registrar") == 0;
		int64_t pid = 0;
		rc = reg && e->iana_id > 0 ? ssr_store_party_by_iana(st, e->iana_id, &pid, diag)
		     : !reg                ? ssr_store_party_by_handle(st, e->handle, &pid, diag)
		                           : SSR_EOK;
		if (rc == SSR_EOK && pid == 0) {
			ssr_party_t p = {.kind = reg ? "registrar" : "host",
			                 .name = e->name[0] ? e->name : e->handle,
			                 .iana_id = e->iana_id,
			                 .handle = e->handle[0] ? e->handle : NULL,
			                 .email = e->email[0] ? e->email : NULL,
			                 .by_email = e->email[0] != '\0'};
			rc = ssr_store_party_put(st, &p, r->now, &pid, diag);
		}
		if (rc == SSR_EOK && r->nhits < MAX_HITS) {
			r->hits[r->nhits++] = (hit_t){pid, r->ent_role[i]};
		}
	}
	for (int i = 0; i < r->nhits && rc == SSR_EOK; i++) {
		bool added = false;
		rc = ssr_store_case_party_add(st, r->case_id, r->hits[i].party_id, r->hits[i].role,
		                              &added, diag);
		if (rc != SSR_EOK || !added) {
			continue;
		}
		rc = ssr_store_event_add(st, r->case_id, r->hits[i].party_id, "routed", r->now,
		                         r->hits[i].role, diag);
		ssr_party_t pj = {0};
		if (rc == SSR_EOK && (rc = ssr_store_party_get(st, r->hits[i].party_id, false, &pj,
		                                               diag)) == SSR_EOK) {
			if (pj.by_email) {
				rc = ssr_store_delivery_add(st, r->case_id, r->hits[i].party_id,
				                            "email", r->now, diag);
			}
			if (rc == SSR_EOK && pj.by_webhook) {
				rc = ssr_store_delivery_add(st, r->case_id, r->hits[i].party_id,
				                            "webhook", r->now, diag);
			}
			ssr_store_party_release(&pj);
		}
	}
	if (rc == SSR_EOK && r->retry) {
		rc = ssr_store_event_add(st, r->case_id, 0, "route-retry", r->now, r->error, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_case_route_state(st, r->case_id, r->retry ? "retry" : "routed",
		                                r->attempts, r->next_at,
		                                r->error[0] ? r->error : NULL, diag);
	}
	return rc;
}

static void add_error(route_t *r, const char *msg)
{
	size_t l = strlen(r->error);
	snprintf(r->error + l, sizeof(r->error) - l, "%s%s", l ? "; " : "", msg);
}

/* An RDAP answer from the cache or the server; *status 0 and an error noted when none came. */
static char *lookup(ssr_portal_t *p, route_t *r, const char *url, int *status)
{
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_diag_t d;
	char *body = NULL;
	int rc = ssr_store_rdap_get(st, url, r->now, status, &body, &d);
	portal_pool_put(&p->pool, st);
	if (rc == SSR_EOK) {
		return body;
	}
	size_t len;
	rc = ssr_rdap_get(url, p->cfg.rdap_timeout_ms, status, &body, &len, &d);
	if (rc != SSR_EOK) {
		add_error(r, d.msg);
		r->retry = true;
		*status = 0;
		return NULL;
	}
	return body;
}

/* Keep a usable answer (parsed, or a 404) for the cache; broken ones are asked again. */
static void remember(route_t *r, const char *url, int status, const char *body)
{
	if (r->ncache >= MAX_HITS) {
		return;
	}
	r->cache_url[r->ncache] = strdup(url);
	r->cache_body[r->ncache] = strdup(body);
	r->cache_status[r->ncache] = status;
	if (r->cache_url[r->ncache] && r->cache_body[r->ncache]) {
		r->ncache++;
	} else {
		free(r->cache_url[r->ncache]);
		free(r->cache_body[r->ncache]);
	}
}

static void find_registrar(ssr_portal_t *p, route_t *r, const char *domain, const char *base)
{
	if (base == NULL && p->work->dns != NULL) {
		base = ssr_rdap_boot_find(p->work->dns, domain);
	}
	if (base == NULL) {
		add_error(r, "no RDAP server known for the TLD: registrar not found");
		return;
	}
	char url[600];
	snprintf(url, sizeof(url), "%s%sdomain/%s", base, base[strlen(base) - 1] == '/' ? "" : "/",
	         domain);
	int status = 0;
	char *body = lookup(p, r, url, &status);
	if (body == NULL) {
		return;
	}
	ssr_diag_t d;
	char m[900];
	if (status == 404) {
		snprintf(m, sizeof(m), "rdap '%.600s': the registry does not know the domain", url);
		add_error(r, m);
		remember(r, url, status, body);
	} else if (status != 200) {
		snprintf(m, sizeof(m), "rdap '%.600s': HTTP status %d", url, status);
		add_error(r, m);
		r->retry = true;
	} else if (ssr_rdap_domain_registrar(body, strlen(body), &r->ent[r->nent], &d) == SSR_EOK) {
		r->ent_role[r->nent++] = "registrar";
		remember(r, url, status, body);
	} else {
		snprintf(m, sizeof(m), "rdap '%.600s': %.250s", url, d.msg);
		add_error(r, m);
		r->retry = d.code == SSR_EPARSE;
	}
	free(body);
}

static void find_host(ssr_portal_t *p, route_t *r, const char *ip)
{
	bool v6 = strchr(ip, ':') != NULL;
	ssr_rdap_boot_t *b = v6 ? p->work->v6 : p->work->v4;
	const char *base = b ? ssr_rdap_boot_find(b, ip) : NULL;
	char m[900];
	if (base == NULL) {
		snprintf(m, sizeof(m), "no RDAP server known for %s: host not found", ip);
		add_error(r, m);
		return;
	}
	char url[600];
	snprintf(url, sizeof(url), "%sip/%s", base, ip);
	int status = 0;
	char *body = lookup(p, r, url, &status);
	if (body == NULL) {
		return;
	}
	ssr_diag_t d;
	if (status != 200) {
		snprintf(m, sizeof(m), "rdap '%.600s': HTTP status %d", url, status);
		add_error(r, m);
		r->retry = status != 404;
	} else if (r->nent < MAX_HITS &&
	           ssr_rdap_ip_holder(body, strlen(body), &r->ent[r->nent], &d) == SSR_EOK) {
		r->ent_role[r->nent++] = "host";
		remember(r, url, status, body);
	} else {
		snprintf(m, sizeof(m), "rdap '%.600s': %.250s", url, d.msg);
		add_error(r, m);
	}
	free(body);
}

static void kick(struct work *w, loop_t *l)
{
	pthread_mutex_lock(&w->mu);
	l->kicked = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void route_case(ssr_portal_t *p, const ssr_case_due_t *c)
{
	route_t r = {.case_id = c->id,
	             .now = portal_now(p),
	             .cache_s = p->cfg.rdap_cache_s,
	             .attempts = (int)c->attempts + 1};
	const char *domain = c->domain;
	const char *tld = c->tld;
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_diag_t d;
	ssr_registry_t reg = {0};
	ssr_case_t full = {0};
	int rc = ssr_store_registry_get(st, tld, &reg, &d);
	int rc2 = ssr_store_case_get(st, r.case_id, &full, &d);
	portal_pool_put(&p->pool, st);
	const char *base = NULL;
	if (rc == SSR_EOK) {
		if (reg.party_id > 0) {
			r.hits[r.nhits++] = (hit_t){reg.party_id, "registry"};
		}
		base = reg.rdap_base;
	} else {
		add_error(&r, "the TLD is not in the registry directory");
	}
	find_registrar(p, &r, domain, base);
	/* hosts: the IP addresses given in the case's reports */
	if (rc2 == SSR_EOK) {
		int nip = 0;
		for (size_t i = 0; i < full.nreports; i++) {
			json_t *rep = NULL, *ip;
			size_t k;
			if (portal_view_document(full.reports_received[i].body, &rep, &d) !=
			    SSR_EOK) {
				ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "case %lld: %s",
				        (long long)r.case_id, d.msg);
				continue;
			}
			json_array_foreach(json_object_get(rep, "ips"), k, ip)
			{
				if (nip++ < 4 && r.nent < MAX_HITS - 1) {
					find_host(p, &r, json_string_value(ip));
				}
			}
			json_decref(rep);
		}
	}
	if (r.retry) {
		int64_t delay = (int64_t)p->cfg.retry_base_s
		                << (r.attempts < 10 ? r.attempts - 1 : 10);
		r.next_at = r.now + (delay > 86400 ? 86400 : delay);
	}
	rc = portal_writer_run(&p->writer, route_write, &r, &d);
	if (rc != SSR_EOK) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "routing case %lld: %s",
		        (long long)r.case_id, d.msg);
	} else if (r.error[0]) {
		ssr_log(&p->cfg.log, SSR_LOG_NOTICE, "portal", "case %lld (%s): %s%s",
		        (long long)r.case_id, domain, r.error, r.retry ? " (will retry)" : "");
	}
	route_release(&r);
	ssr_store_registry_release(&reg); /* zeroed when not found: frees nothing */
	ssr_store_case_release(&full);
}

static int route_tick(ssr_portal_t *p, int limit, size_t *n, ssr_diag_t *diag)
{
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_case_due_t *due = NULL;
	int64_t now = portal_now(p);
	int rc = p->cfg.claim_lease_s ? ssr_store_cases_claim(st, now, now + p->cfg.claim_lease_s,
	                                                      limit, &due, n, diag)
	                              : ssr_store_cases_to_route(st, now, limit, &due, n, diag);
	portal_pool_put(&p->pool, st);
	for (size_t i = 0; rc == SSR_EOK && i < *n; i++) {
		route_case(p, &due[i]);
	}
	ssr_store_cases_due_free(due, *n);
	return rc;
}

static int deliver_tick(ssr_portal_t *p, int limit, size_t *n, ssr_diag_t *diag)
{
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_delivery_due_t *due = NULL;
	int64_t now = portal_now(p);
	int rc = p->cfg.claim_lease_s
	             ? ssr_store_deliveries_claim(st, now, now + p->cfg.claim_lease_s, limit, &due,
	                                          n, diag)
	             : ssr_store_deliveries_due(st, now, limit, &due, n, diag);
	portal_pool_put(&p->pool, st);
	for (size_t i = 0; rc == SSR_EOK && i < *n; i++) {
		portal_deliver_one(p, &due[i]);
	}
	ssr_store_deliveries_due_free(due, *n);
	return rc;
}

/* One round of a loop: handle what is due; true when more may be due right away. */
static bool loop_tick(loop_t *l)
{
	ssr_portal_t *p = l->p;
	ssr_diag_t d;
	size_t n = 0;
	if (l->tick(p, l->limit, &n, &d) != SSR_EOK) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "%s", d.msg);
		return false;
	}
	if (n > 0 && l->then != NULL) {
		kick(p->work, l->then);
	}
	return n == (size_t)l->limit;
}

static void *loop_main(void *arg)
{
	loop_t *l = arg;
	struct work *w = l->p->work;
	for (;;) {
		pthread_mutex_lock(&w->mu);
		if (!l->kicked && !w->stop) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;
			pthread_cond_timedwait(&w->cv, &w->mu, &ts);
		}
		bool stop = w->stop;
		l->kicked = false;
		pthread_mutex_unlock(&w->mu);
		if (stop) {
			break;
		}
		if (loop_tick(l)) {
			kick(w, l);
		}
	}
	return NULL;
}

void portal_work_kick(ssr_portal_t *p)
{
	struct work *w = p->work;
	if (w != NULL) {
		kick(w, &w->route);
	}
}

static int loop_start(ssr_portal_t *p, loop_t *l, ssr_diag_t *diag)
{
	l->p = p;
	l->kicked = true;
	if (pthread_create(&l->thread, NULL, loop_main, l) != 0) {
		return ssr_diag_set(diag, SSR_ENOMEM, "portal: cannot start a background thread");
	}
	l->started = true;
	return SSR_EOK;
}

int portal_work_start(ssr_portal_t *p, ssr_diag_t *diag)
{
	struct work *w = calloc(1, sizeof(*w));
	if (w == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "portal: out of memory");
	}
	p->work = w;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	int rc = SSR_EOK;
	if (p->cfg.rdap_dns) {
		rc = ssr_rdap_boot_load(p->cfg.rdap_dns, SSR_RDAP_DNS, &w->dns, diag);
	}
	if (rc == SSR_EOK && p->cfg.rdap_ipv4) {
		rc = ssr_rdap_boot_load(p->cfg.rdap_ipv4, SSR_RDAP_IPV4, &w->v4, diag);
	}
	if (rc == SSR_EOK && p->cfg.rdap_ipv6) {
		rc = ssr_rdap_boot_load(p->cfg.rdap_ipv6, SSR_RDAP_IPV6, &w->v6, diag);
	}
	w->route = (loop_t){.tick = route_tick, .limit = 50, .then = &w->deliver};
	w->deliver = (loop_t){.tick = deliver_tick, .limit = 20};
	if (rc == SSR_EOK) {
		rc = loop_start(p, &w->route, diag);
	}
	if (rc == SSR_EOK) {
		rc = loop_start(p, &w->deliver, diag);
	}
	return rc;
}

void portal_work_stop(ssr_portal_t *p)
{
	struct work *w = p->work;
	if (w == NULL) {
		return;
	}
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	loop_t *loops[] = {&w->route, &w->deliver};
	for (int i = 0; i < 2; i++) {
		if (loops[i]->started) {
			pthread_join(loops[i]->thread, NULL);
		}
	}
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	ssr_rdap_boot_free(w->dns);
	ssr_rdap_boot_free(w->v4);
	ssr_rdap_boot_free(w->v6);
	free(w);
	p->work = NULL;
}
