/* ssrwatch — SLA figures from the case timeline (SSR2 Rec 18).  Nothing is stored twice: the
 * figures are computed from the events every time (docs/METHODOLOGY.md, "Portal SLAs").
 *
 * Per (case, party): the clock starts at the party's first 'routed' event; acknowledged at its
 * first 'acknowledged' event (a resolution without one acknowledges at the same time); actioned
 * at its first 'resolved' event.  The clock of a party that has not acted stops when the case
 * closes (another party dealt with the name).  A case counts towards "within SLA" once it is
 * decided: done, or not done and past the deadline when the clock stopped (an open breach when
 * the case is still open). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/portal.h"
#include "ssrwatch/stat.h"
#include "ssrwatch/portalstore.h"

typedef struct {
	int64_t *v;
	size_t n, cap;
} vec_t;

static int vec_push(vec_t *a, int64_t x)
{
	if (a->n == a->cap) {
		size_t nc = a->cap ? 2 * a->cap : 64;
		int64_t *nv = realloc(a->v, nc * sizeof(*nv));
		if (nv == NULL) {
			return SSR_ENOMEM;
		}
		a->v = nv, a->cap = nc;
	}
	a->v[a->n++] = x;
	return SSR_EOK;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

#define NOUTCOMES 5
static const char *const outcomes[NOUTCOMES] = {"suspended", "deleted", "transferred", "no-action",
                                                "not-ours"};

typedef struct {
	int64_t party_id;
	char name[256];
	char roles[64];
	uint64_t routed, acked, resolved, mitigated;
	uint64_t ack_decided, ack_within, act_decided, act_within;
	uint64_t open_ack_breach, open_act_breach;
	uint64_t outcome[NOUTCOMES];
	vec_t tack, tact;
} agg_t;

/* median: mean of the two middle values for an even count; p90: nearest rank (ceil(0.9 n)) */
static json_t *dist(vec_t *a, uint64_t decided, uint64_t within)
{
	json_t *o = json_object();
	if (a->n > 1) {
		qsort(a->v, a->n, sizeof(int64_t), cmp_i64);
	}
	json_object_set_new(o, "n", json_integer((json_int_t)a->n));
	if (a->n == 0) {
		json_object_set_new(o, "median_s", json_null());
		json_object_set_new(o, "p90_s", json_null());
	} else {
		size_t r = ssr_stat_nearest_rank(a->n, 90);
		json_object_set_new(o, "median_s",
		                    json_real(ssr_stat_median_sorted_i64(a->v, a->n)));
		json_object_set_new(o, "p90_s", json_integer(a->v[r - 1]));
	}
	json_object_set_new(o, "decided", json_integer((json_int_t)decided));
	json_object_set_new(o, "within_sla", json_integer((json_int_t)within));
	json_object_set_new(o, "share_within_sla",
	                    decided ? json_real((double)within / (double)decided) : json_null());
	return o;
}

static json_t *agg_json(agg_t *a, bool party)
{
	json_t *o = json_object();
	if (party) {
		json_object_set_new(o, "party_id", json_integer(a->party_id));
		json_object_set_new(o, "name", json_string(a->name));
		json_object_set_new(o, "roles", json_string(a->roles));
	}
	json_object_set_new(o, "routed", json_integer((json_int_t)a->routed));
	json_object_set_new(o, "acknowledged", json_integer((json_int_t)a->acked));
	json_object_set_new(o, "resolved", json_integer((json_int_t)a->resolved));
	json_object_set_new(o, "mitigated", json_integer((json_int_t)a->mitigated));
	json_object_set_new(o, "mitigation_rate",
	                    a->resolved ? json_real((double)a->mitigated / (double)a->resolved)
	                                : json_null());
	json_object_set_new(o, "time_to_acknowledge",
	                    dist(&a->tack, a->ack_decided, a->ack_within));
	json_object_set_new(o, "time_to_action", dist(&a->tact, a->act_decided, a->act_within));
	json_object_set_new(o, "open_acknowledge_breaches",
	                    json_integer((json_int_t)a->open_ack_breach));
	json_object_set_new(o, "open_action_breaches",
	                    json_integer((json_int_t)a->open_act_breach));
	json_t *oc = json_object();
	for (int i = 0; i < NOUTCOMES; i++) {
		json_object_set_new(oc, outcomes[i], json_integer((json_int_t)a->outcome[i]));
	}
	json_object_set_new(o, "outcomes", oc);
	return o;
}

/* One (case, party) timeline folded into a and the overall total. */
typedef struct {
	int64_t routed, acked, resolved;
	int64_t closed; /* the case's closing time; -1 open */
	const char *outcome;
} tl_t;

static int fold(agg_t *a, agg_t *all, const tl_t *t, const ssr_sla_opts_t *o)
{
	if (t->routed < 0) {
		return SSR_EOK; /* acted on before routing: not an SLA case */
	}
	agg_t *both[2] = {a, all};
	int64_t ack = t->acked >= 0 ? t->acked : t->resolved;
	int64_t stop = t->closed >= 0 && t->closed < o->now ? t->closed : o->now;
	bool open = t->closed < 0;
	for (int k = 0; k < 2; k++) {
		agg_t *g = both[k];
		g->routed++;
		if (ack >= 0) {
			int64_t d = ack - t->routed < 0 ? 0 : ack - t->routed;
			g->acked++;
			g->ack_decided++;
			g->ack_within += d <= (int64_t)o->ack_s;
			if (vec_push(&g->tack, d) != SSR_EOK) {
				return SSR_ENOMEM;
			}
		} else if (stop - t->routed > (int64_t)o->ack_s) {
			g->ack_decided++;
			g->open_ack_breach += open;
		}
		if (t->resolved >= 0) {
			int64_t d = t->resolved - t->routed < 0 ? 0 : t->resolved - t->routed;
			g->resolved++;
			g->act_decided++;
			g->act_within += d <= (int64_t)o->action_s;
			if (vec_push(&g->tact, d) != SSR_EOK) {
				return SSR_ENOMEM;
			}
			for (int i = 0; i < NOUTCOMES; i++) {
				if (t->outcome != NULL && strcmp(t->outcome, outcomes[i]) == 0) {
					g->outcome[i]++;
					g->mitigated += i < 3;
				}
			}
		} else if (stop - t->routed > (int64_t)o->action_s) {
			g->act_decided++;
			g->open_act_breach += open;
		}
	}
	return SSR_EOK;
}

/* The outcome word of a 'resolved' event's detail ("suspended" or "no-action: reason"). */
static const char *outcome_of(const char *detail, char buf[32])
{
	if (detail == NULL) {
		return NULL;
	}
	size_t n = strcspn(detail, ":");
	if (n >= 32) {
		return NULL;
	}
	memcpy(buf, detail, n);
	buf[n] = '\0';
	return buf;
}

static void add_role(agg_t *a, const char *role)
{
	if (role == NULL || strstr(a->roles, role) != NULL) {
		return;
	}
	size_t l = strlen(a->roles);
	if (l + strlen(role) + 2 < sizeof(a->roles)) {
		if (l > 0) {
			a->roles[l++] = ',';
		}
		memcpy(a->roles + l, role, strlen(role) + 1);
	}
}

/* The figures folded as the events stream by: one (party, case) timeline at a time, one party's
 * aggregate at a time. */
typedef struct {
	const ssr_sla_opts_t *o;
	json_t *parties;
	agg_t all, cur;
	tl_t t;
	int64_t cur_case;
	char obuf[32];
} sla_t;

/* The next event, or the end (e NULL). */
static int sla_step(const ssr_sla_event_t *e, void *ctx)
{
	sla_t *s = ctx;
	int rc = SSR_EOK;
	int64_t pid = e ? e->party_id : -1, cid = e ? e->case_id : -1;
	if (s->cur_case >= 0 && (pid != s->cur.party_id || cid != s->cur_case)) {
		rc = fold(&s->cur, &s->all, &s->t, s->o);
		s->t = (tl_t){-1, -1, -1, -1, NULL};
		s->cur_case = -1;
	}
	if (rc == SSR_EOK && s->cur.party_id != 0 && pid != s->cur.party_id) {
		json_t *a = agg_json(&s->cur, true);
		if (a == NULL || json_array_append_new(s->parties, a) != 0) {
			rc = SSR_ENOMEM;
		}
		free(s->cur.tack.v);
		free(s->cur.tact.v);
		s->cur = (agg_t){0};
	}
	if (e == NULL || rc != SSR_EOK) {
		return rc;
	}
	s->cur.party_id = pid;
	snprintf(s->cur.name, sizeof s->cur.name, "%s", e->name);
	add_role(&s->cur, e->role);
	s->cur_case = cid;
	s->t.closed = e->closed ? e->closed_at : -1;
	if (strcmp(e->kind, "routed") == 0 && s->t.routed < 0) {
		s->t.routed = e->at;
	} else if (strcmp(e->kind, "acknowledged") == 0 && s->t.acked < 0) {
		s->t.acked = e->at;
	} else if (strcmp(e->kind, "resolved") == 0 && s->t.resolved < 0) {
		s->t.resolved = e->at;
		s->t.outcome = outcome_of(e->detail, s->obuf);
	}
	return SSR_EOK;
}

int ssr_portal_sla(ssr_store_t *st, const ssr_sla_opts_t *o, json_t **out, ssr_diag_t *diag)
{
	sla_t s = {.o = o, .parties = json_array(), .t = {-1, -1, -1, -1, NULL}, .cur_case = -1};
	if (s.parties == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "sla: out of memory");
	}
	int rc = ssr_store_sla_events(st, sla_step, &s, diag);
	if (rc == SSR_EOK) {
		rc = sla_step(NULL, &s);
		if (rc != SSR_EOK) {
			ssr_diag_set(diag, rc, "sla: out of memory");
		}
	} else if (rc == SSR_ENOMEM) {
		ssr_diag_set(diag, rc, "sla: out of memory");
	}
	free(s.cur.tack.v);
	free(s.cur.tact.v);
	if (rc != SSR_EOK) {
		free(s.all.tack.v);
		free(s.all.tact.v);
		json_decref(s.parties);
		return rc;
	}
	json_t *res = json_object();
	json_t *sla = json_object();
	json_object_set_new(sla, "acknowledge_s", json_integer(o->ack_s));
	json_object_set_new(sla, "action_s", json_integer(o->action_s));
	json_object_set_new(res, "sla", sla);
	json_object_set_new(res, "at", json_integer(o->now));
	json_object_set_new(res, "overall", agg_json(&s.all, false));
	json_object_set_new(res, "parties", s.parties);
	free(s.all.tack.v);
	free(s.all.tact.v);
	*out = res;
	return SSR_EOK;
}
