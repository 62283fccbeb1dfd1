/* ssrwatch — the abuse report: metrics of a period from the store.  Rows arrive ordered by
 * TLD, domain and date, so each domain's history is handled at once and memory is bounded by
 * the number of TLDs, registrars and snapshot dates, not by the listings.
 *
 * Over 800 lines: every metric of the report is computed in one streaming pass over rows
 * ordered by TLD, domain and date; the per-domain state is shared by all of them. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/abuse.h"
#include "ssrwatch/date.h"
#include "ssrwatch/hash.h"
#include "imitate.h"
#include "misleading.h"
#include "ssrwatch/stat.h"
#include "ssrwatch/abusestore.h"

#define NCAT SSR_ABUSE_COUNT

typedef struct {
	double *v;
	size_t n, cap;
} dvec_t;

static int dvec_push(dvec_t *d, double x)
{
	if (ssr_grow((void **)&d->v, &d->cap, d->n + 1, sizeof(double)) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	d->v[d->n++] = x;
	return SSR_EOK;
}

/* What the report counts for a TLD, a registrar, or everything. */
typedef struct {
	uint64_t abused, cat[NCAT];
	uint64_t malicious, compromised, unknown_age;
	uint64_t new_listings, mitigated_zone, mitigated_delisted, open_at_end;
	dvec_t days_zone, days_delisted;
} counts_t;

typedef struct {
	char date[11];
	int32_t day;
	int32_t origin;
	uint64_t domains;
	bool in_period, has_reg;
	uint64_t abused, cat[NCAT], new_, persisting, mitigated;
	int gdate; /* index into the period's dates */
} snap_t;

typedef struct {
	char *name;
	snap_t *s;
	size_t ns, cap;
	double mean_domains;
	size_t np; /* snapshots in the period */
	counts_t c;
} tld_t;

typedef struct {
	uint64_t id;
	char *name;
	double domains;       /* sum over TLDs of the mean DUM over the period's snapshots */
	uint64_t *abused_at;  /* per period date */
	uint64_t *domains_at; /* per period date */
	counts_t c;
} reg_t;

/* One stored row of the domain being handled (dates copied: the row's strings do not last). */
typedef struct {
	bool listed, in_zone;
	uint32_t categories;
	uint64_t registrar;
	char date[11], feed[11], created[11], zfirst[11]; /* "" when NULL */
} hist_t;

typedef struct {
	const ssr_abuse_report_opts_t *o;
	int32_t from, to;
	tld_t *t;
	size_t nt, tcap;
	char (*dates)[11]; /* the period's snapshot dates, sorted, distinct */
	size_t nd;
	ssr_strmap_t regmap; /* id text -> index */
	reg_t *r;
	size_t nr, rcap;
	counts_t total;
	/* one domain's history */
	char cur_tld[256], cur_dom[256];
	hist_t *h;
	size_t nh, hcap;
	int err;
	ssr_diag_t *diag;
} rep_t;

static void counts_free(counts_t *c)
{
	free(c->days_zone.v);
	free(c->days_delisted.v);
}

static int32_t day_of(const char *s)
{
	int32_t d;
	if (s == NULL || ssr_date_parse(s, strlen(s), &d) != SSR_EOK) {
		return SSR_DAY_NONE;
	}
	return d;
}

int ssr_abuse_period_parse(const char *text, char from[11], char to[11], ssr_diag_t *diag)
{
	int y;
	unsigned q, m;
	char rest;
	const char *dots = strstr(text, "..");
	int32_t a, b;
	if (dots != NULL) {
		if (ssr_date_parse(text, (size_t)(dots - text), &a) != SSR_EOK ||
		    ssr_date_parse(dots + 2, strlen(dots + 2), &b) != SSR_EOK || b < a) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "period '%s': expected FROM..TO with FROM <= TO", text);
		}
	} else if (sscanf(text, "%4d-Q%1u%c", &y, &q, &rest) == 2 && strlen(text) == 7 && q >= 1 &&
	           q <= 4 && y >= 1970) {
		a = ssr_date_from_civil(y, 3 * q - 2, 1);
		b = (q == 4 ? ssr_date_from_civil(y + 1, 1, 1)
		            : ssr_date_from_civil(y, 3 * q + 1, 1)) -
		    1;
	} else if (sscanf(text, "%4d-%2u%c", &y, &m, &rest) == 2 && strlen(text) == 7 && m >= 1 &&
	           m <= 12 && y >= 1970) {
		a = ssr_date_from_civil(y, m, 1);
		b = (m == 12 ? ssr_date_from_civil(y + 1, 1, 1)
		             : ssr_date_from_civil(y, m + 1, 1)) -
		    1;
	} else {
		return ssr_diag_set(
		    diag, SSR_EINVAL,
		    "period '%s': expected 2026-Q3, 2026-09 or 2026-07-01..2026-09-30", text);
	}
	ssr_date_format(a, from);
	ssr_date_format(b, to);
	return SSR_EOK;
}

/* ---- loading ------------------------------------------------------------------------ */

static int on_snapshot(const ssr_abuse_snapshot_t *s, void *ctx)
{
	rep_t *r = ctx;
	if (r->nt == 0 || strcmp(r->t[r->nt - 1].name, s->tld) != 0) {
		if (ssr_grow((void **)&r->t, &r->tcap, r->nt + 1, sizeof(tld_t)) != SSR_EOK) {
			return SSR_ENOMEM;
		}
		memset(&r->t[r->nt], 0, sizeof(tld_t));
		if ((r->t[r->nt].name = strdup(s->tld)) == NULL) {
			return SSR_ENOMEM;
		}
		r->nt++;
	}
	tld_t *t = &r->t[r->nt - 1];
	if (ssr_grow((void **)&t->s, &t->cap, t->ns + 1, sizeof(snap_t)) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	snap_t *sn = &t->s[t->ns++];
	memset(sn, 0, sizeof(*sn));
	snprintf(sn->date, sizeof(sn->date), "%s", s->date);
	sn->day = day_of(s->date);
	sn->origin = day_of(s->index_origin);
	sn->domains = s->zone_size;
	sn->in_period = sn->day >= r->from && sn->day <= r->to;
	sn->has_reg = s->has_registrations;
	sn->gdate = -1;
	return SSR_EOK;
}

static int cmp_date(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int build_dates(rep_t *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nt; i++) {
		n += r->t[i].ns;
	}
	r->dates = malloc((n ? n : 1) * sizeof(*r->dates));
	if (r->dates == NULL) {
		return SSR_ENOMEM;
	}
	for (size_t i = 0; i < r->nt; i++) {
		for (size_t j = 0; j < r->t[i].ns; j++) {
			if (r->t[i].s[j].in_period) {
				memcpy(r->dates[r->nd++], r->t[i].s[j].date, 11);
			}
		}
	}
	qsort(r->dates, r->nd, 11, cmp_date);
	size_t m = 0;
	for (size_t i = 0; i < r->nd; i++) {
		if (m == 0 || strcmp(r->dates[m - 1], r->dates[i]) != 0) {
			memcpy(r->dates[m++], r->dates[i], 11);
		}
	}
	r->nd = m;
	for (size_t i = 0; i < r->nt; i++) {
		tld_t *t = &r->t[i];
		double sum = 0;
		for (size_t j = 0; j < t->ns; j++) {
			snap_t *s = &t->s[j];
			if (s->in_period) {
				char(*hit)[11] = bsearch(s->date, r->dates, r->nd, 11, cmp_date);
				s->gdate = (int)(hit - r->dates);
				sum += (double)s->domains;
				t->np++;
			}
		}
		t->mean_domains = t->np ? sum / (double)t->np : 0;
	}
	return SSR_EOK;
}

static reg_t *reg_get(rep_t *r, uint64_t id)
{
	char key[24];
	int kl = snprintf(key, sizeof(key), "%" PRIu64, id);
	ssr_strmap_entry_t *e;
	bool ins;
	/* room first: a map entry must never point past the array */
	if (ssr_grow((void **)&r->r, &r->rcap, r->nr + 1, sizeof(reg_t)) != SSR_EOK ||
	    ssr_strmap_upsert(&r->regmap, key, (size_t)kl, &e, &ins) != SSR_EOK) {
		return NULL;
	}
	if (ins) {
		reg_t *g = &r->r[r->nr];
		memset(g, 0, sizeof(*g));
		g->id = id;
		g->abused_at = calloc(r->nd ? r->nd : 1, sizeof(uint64_t));
		g->domains_at = calloc(r->nd ? r->nd : 1, sizeof(uint64_t));
		if (g->abused_at == NULL || g->domains_at == NULL) {
			free(g->abused_at);
			free(g->domains_at);
			return NULL;
		}
		e->value = r->nr++;
	}
	return &r->r[e->value];
}

static tld_t *tld_find(rep_t *r, const char *name)
{
	for (size_t i = 0; i < r->nt; i++) {
		if (strcmp(r->t[i].name, name) == 0) {
			return &r->t[i];
		}
	}
	return NULL;
}

static snap_t *snap_find(tld_t *t, const char *date)
{
	size_t lo = 0, hi = t->ns;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(t->s[mid].date, date);
		if (c == 0) {
			return &t->s[mid];
		}
		if (c < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return NULL;
}

static int on_dum(const char *tld, const char *date, uint64_t registrar, uint64_t domains,
                  void *ctx)
{
	rep_t *r = ctx;
	tld_t *t = tld_find(r, tld);
	snap_t *s = t ? snap_find(t, date) : NULL;
	if (s == NULL || !s->in_period) {
		return SSR_EOK;
	}
	size_t nreg = 0;
	for (size_t j = 0; j < t->ns; j++) {
		nreg += t->s[j].in_period && t->s[j].has_reg;
	}
	reg_t *g = reg_get(r, registrar);
	if (g == NULL) {
		return SSR_ENOMEM;
	}
	g->domains += (double)domains / (double)(nreg ? nreg : 1);
	g->domains_at[s->gdate] += domains;
	return SSR_EOK;
}

static int on_registrar(uint64_t id, const char *name, void *ctx)
{
	rep_t *r = ctx;
	char key[24];
	int kl = snprintf(key, sizeof(key), "%" PRIu64, id);
	ssr_strmap_entry_t *e = ssr_strmap_find(&r->regmap, key, (size_t)kl);
	if (e != NULL && r->r[e->value].name == NULL) {
		r->r[e->value].name = strdup(name);
	}
	return SSR_EOK;
}

/* ---- one domain's history ------------------------------------------------------------- */

static void classify(uint32_t age_class, counts_t *c)
{
	if (age_class == 0) {
		c->malicious++;
	} else if (age_class == 1) {
		c->compromised++;
	} else {
		c->unknown_age++;
	}
}

static int add_mitigation(counts_t *c, bool zone, double days)
{
	if (zone) {
		c->mitigated_zone++;
		return dvec_push(&c->days_zone, days);
	}
	c->mitigated_delisted++;
	return dvec_push(&c->days_delisted, days);
}

static int flush_domain(rep_t *r)
{
	if (r->nh == 0) {
		return SSR_EOK;
	}
	tld_t *t = tld_find(r, r->cur_tld);
	size_t nh = r->nh;
	r->nh = 0;
	if (t == NULL || t->ns == 0) {
		return SSR_EOK;
	}
	/* row per snapshot of the TLD (-1: no row) */
	int stack_idx[64];
	int *at = t->ns <= 64 ? stack_idx : malloc(t->ns * sizeof(int));
	if (at == NULL) {
		return SSR_ENOMEM;
	}
	for (size_t j = 0; j < t->ns; j++) {
		at[j] = -1;
	}
	for (size_t i = 0; i < nh; i++) {
		snap_t *s = snap_find(t, r->h[i].date);
		if (s != NULL) {
			at[s - t->s] = (int)i;
		}
	}
#define ABUSED(j) (at[j] >= 0 && r->h[at[j]].listed && r->h[at[j]].in_zone)
	bool in_p = false;
	int32_t first_listed = SSR_DAY_NONE;
	int32_t reg_day = SSR_DAY_NONE;
	bool censored = false;
	int32_t origin = SSR_DAY_NONE;
	uint64_t registrar = 0, registrar_any = 0;
	uint32_t cats = 0;
	for (size_t j = 0; j < t->ns; j++) {
		if (at[j] < 0) {
			continue;
		}
		const hist_t *h = &r->h[at[j]];
		if (r->h[at[j]].created[0]) {
			reg_day = day_of(r->h[at[j]].created);
		}
		if (h->registrar) {
			registrar_any = h->registrar;
		}
		if (!ABUSED(j)) {
			continue;
		}
		int32_t fl = t->s[j].day;
		int32_t ff = day_of(r->h[at[j]].feed[0] ? r->h[at[j]].feed : NULL);
		if (ff != SSR_DAY_NONE && ff < fl) {
			fl = ff;
		}
		if (first_listed == SSR_DAY_NONE || fl < first_listed) {
			first_listed = fl;
		}
		if (t->s[j].in_period) {
			in_p = true;
			cats |= h->categories;
			if (h->registrar) {
				registrar = h->registrar;
			}
		}
	}
	if (registrar == 0) {
		registrar = registrar_any;
	}
	/* the registration day: registration data, else the first-seen index */
	if (reg_day == SSR_DAY_NONE) {
		for (size_t j = 0; j < t->ns; j++) {
			if (ABUSED(j) && r->h[at[j]].zfirst[0]) {
				reg_day = day_of(r->h[at[j]].zfirst);
				origin = t->s[j].origin;
				censored = reg_day == origin;
				break;
			}
		}
	}
	uint32_t age_class = 2;
	unsigned thr = r->o->malicious_days;
	if (first_listed != SSR_DAY_NONE && reg_day != SSR_DAY_NONE) {
		int32_t age = first_listed - reg_day;
		if (!censored) {
			age_class = age < (int32_t)thr ? 0 : 1;
		} else if (age >= (int32_t)thr) {
			age_class =
			    1; /* delegated since before the index began: at least that old */
		}
	}
	reg_t *g = NULL;
	if (in_p) {
		g = reg_get(r, registrar);
		if (g == NULL) {
			if (at != stack_idx) {
				free(at);
			}
			return SSR_ENOMEM;
		}
	}
	counts_t *cs[3] = {&t->c, &r->total, g ? &g->c : NULL};
	int rc = SSR_EOK;
	if (in_p) {
		for (int k = 0; k < 3; k++) {
			cs[k]->abused++;
			for (int c = 0; c < NCAT; c++) {
				cs[k]->cat[c] += (cats >> c) & 1;
			}
			classify(age_class, cs[k]);
		}
	}
	size_t last_p = SIZE_MAX;
	for (size_t j = 0; j < t->ns; j++) {
		if (t->s[j].in_period) {
			last_p = j;
		}
	}
	for (size_t j = 0; j < t->ns && rc == SSR_EOK; j++) {
		snap_t *s = &t->s[j];
		if (!s->in_period) {
			continue;
		}
		bool now = ABUSED(j), before = j > 0 && ABUSED(j - 1);
		if (now) {
			s->abused++;
			for (int c = 0; c < NCAT; c++) {
				s->cat[c] += (r->h[at[j]].categories >> c) & 1;
			}
			if (before) {
				s->persisting++;
			} else {
				s->new_++;
				t->c.new_listings++;
				r->total.new_listings++;
				g->c.new_listings++;
			}
			g->abused_at[s->gdate]++;
			if (j == last_p) {
				t->c.open_at_end++;
				r->total.open_at_end++;
				g->c.open_at_end++;
			}
		} else if (before) {
			/* mitigated between the previous snapshot and this one */
			bool zone = at[j] >= 0 && !r->h[at[j]].in_zone;
			size_t k = j - 1;
			while (k > 0 && ABUSED(k - 1)) {
				k--;
			}
			int32_t start = t->s[k].day;
			int32_t ff = day_of(r->h[at[k]].feed[0] ? r->h[at[k]].feed : NULL);
			if (ff != SSR_DAY_NONE && ff < start) {
				start = ff;
			}
			double days = (double)(s->day - start);
			s->mitigated++;
			reg_t *gm = g;
			if (gm == NULL) {
				/* listed only before the period: attribute to its registrar */
				gm = reg_get(r, registrar);
				if (gm == NULL) {
					rc = SSR_ENOMEM;
					break;
				}
			}
			rc = add_mitigation(&t->c, zone, days);
			if (rc == SSR_EOK) {
				rc = add_mitigation(&r->total, zone, days);
			}
			if (rc == SSR_EOK) {
				rc = add_mitigation(&gm->c, zone, days);
			}
		}
	}
#undef ABUSED
	if (at != stack_idx) {
		free(at);
	}
	return rc;
}

static void copy_day(char dst[11], const char *src)
{
	if (src == NULL) {
		dst[0] = '\0';
	} else {
		snprintf(dst, 11, "%s", src);
	}
}

static int on_row(const char *tld, const char *date, const ssr_abuse_row_t *row, void *ctx)
{
	rep_t *r = ctx;
	if (strcmp(tld, r->cur_tld) != 0 || strcmp(row->domain, r->cur_dom) != 0) {
		int rc = flush_domain(r);
		if (rc != SSR_EOK) {
			return rc;
		}
		snprintf(r->cur_tld, sizeof(r->cur_tld), "%s", tld);
		snprintf(r->cur_dom, sizeof(r->cur_dom), "%s", row->domain);
	}
	if (ssr_grow((void **)&r->h, &r->hcap, r->nh + 1, sizeof(hist_t)) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	hist_t *h = &r->h[r->nh++];
	h->listed = row->listed;
	h->in_zone = row->in_zone;
	h->categories = row->categories;
	h->registrar = row->registrar;
	copy_day(h->date, date);
	copy_day(h->feed, row->feed_first_seen);
	copy_day(h->created, row->created);
	copy_day(h->zfirst, row->zone_first_seen);
	return SSR_EOK;
}

/* ---- output ----------------------------------------------------------------------------- */

static double round6(double v)
{
	return round(v * 1e6) / 1e6;
}

/* six significant digits (p-values) */
static double sig6(double v)
{
	if (v == 0 || !isfinite(v)) {
		return v;
	}
	char b[32];
	snprintf(b, sizeof(b), "%.6g", v);
	return strtod(b, NULL);
}

static json_t *real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static double rate(uint64_t abused, double domains)
{
	return domains > 0 ? round6((double)abused / domains * 1e4) : 0;
}

static json_t *cats_json(const uint64_t *cat)
{
	json_t *o = json_object();
	for (int c = 0; c < NCAT; c++) {
		json_object_set_new(o, ssr_abuse_category_name((ssr_abuse_category_t)c),
		                    json_integer((json_int_t)cat[c]));
	}
	return o;
}

static json_t *counts_json(counts_t *c, double domains, uint64_t total_abused)
{
	double mz = ssr_stat_median(c->days_zone.v, c->days_zone.n);
	double md = ssr_stat_median(c->days_delisted.v, c->days_delisted.n);
	dvec_t all = {0};
	for (size_t i = 0; i < c->days_zone.n; i++) {
		dvec_push(&all, c->days_zone.v[i]);
	}
	for (size_t i = 0; i < c->days_delisted.n; i++) {
		dvec_push(&all, c->days_delisted.v[i]);
	}
	double ma = ssr_stat_median(all.v, all.n);
	free(all.v);
	json_t *o = json_object();
	json_object_set_new(o, "domains", json_real(round6(domains)));
	json_object_set_new(o, "abused", json_integer((json_int_t)c->abused));
	json_object_set_new(o, "rate_per_10k", json_real(rate(c->abused, domains)));
	json_object_set_new(
	    o, "share_of_abuse",
	    json_real(total_abused ? round6((double)c->abused / (double)total_abused) : 0));
	json_object_set_new(o, "categories", cats_json(c->cat));
	json_object_set_new(o, "malicious", json_integer((json_int_t)c->malicious));
	json_object_set_new(o, "compromised", json_integer((json_int_t)c->compromised));
	json_object_set_new(o, "age_unknown", json_integer((json_int_t)c->unknown_age));
	json_object_set_new(o, "new_listings", json_integer((json_int_t)c->new_listings));
	json_object_set_new(o, "open_at_end", json_integer((json_int_t)c->open_at_end));
	json_t *m = json_object();
	json_object_set_new(m, "total",
	                    json_integer((json_int_t)(c->mitigated_zone + c->mitigated_delisted)));
	json_object_set_new(m, "removed_from_zone", json_integer((json_int_t)c->mitigated_zone));
	json_object_set_new(m, "delisted", json_integer((json_int_t)c->mitigated_delisted));
	json_object_set_new(m, "median_days", real_or_null(ma));
	json_object_set_new(m, "median_days_removed_from_zone", real_or_null(mz));
	json_object_set_new(m, "median_days_delisted", real_or_null(md));
	json_object_set_new(o, "mitigation", m);
	return o;
}

typedef struct {
	const char *key;
	double domains;
	uint64_t abused;
	json_t *obj;
} entity_t;

static int cmp_rate_desc(const void *a, const void *b)
{
	const entity_t *x = a, *y = b;
	double rx = x->domains > 0 ? (double)x->abused / x->domains : 0;
	double ry = y->domains > 0 ? (double)y->abused / y->domains : 0;
	if (rx != ry) {
		return rx > ry ? -1 : 1;
	}
	return strcmp(x->key, y->key);
}

static int cmp_abused_desc(const void *a, const void *b)
{
	const entity_t *x = a, *y = b;
	if (x->abused != y->abused) {
		return x->abused > y->abused ? -1 : 1;
	}
	return strcmp(x->key, y->key);
}

static json_t *concentration(entity_t *e, size_t n, unsigned top)
{
	json_t *o = json_object();
	uint64_t total = 0;
	double *x = malloc((n ? n : 1) * sizeof(double));
	if (x == NULL) {
		return o;
	}
	for (size_t i = 0; i < n; i++) {
		total += e[i].abused;
		x[i] = (double)e[i].abused;
	}
	qsort(e, n, sizeof(*e), cmp_abused_desc);
	uint64_t topsum = 0;
	double hhi = 0;
	for (size_t i = 0; i < n; i++) {
		if (i < top) {
			topsum += e[i].abused;
		}
		double s = total ? (double)e[i].abused / (double)total * 100 : 0;
		hhi += s * s;
	}
	json_object_set_new(o, "entities", json_integer((json_int_t)n));
	json_object_set_new(o, "abused", json_integer((json_int_t)total));
	json_object_set_new(o, "top_n", json_integer((json_int_t)top));
	json_object_set_new(o, "top_n_share",
	                    json_real(total ? round6((double)topsum / (double)total) : 0));
	json_object_set_new(o, "gini", json_real(round6(n ? ssr_stat_gini(x, n) : 0)));
	json_object_set_new(o, "hhi", json_real(round6(hhi)));
	/* Lorenz curve: entities in ascending order of abuse */
	json_t *lz = json_array();
	json_array_append_new(lz, json_pack("[f,f]", 0.0, 0.0));
	uint64_t cum = 0;
	for (size_t i = n; i-- > 0;) {
		cum += e[i].abused;
		json_array_append_new(lz,
		                      json_pack("[f,f]", round6((double)(n - i) / (double)n),
		                                total ? round6((double)cum / (double)total) : 0.0));
	}
	json_object_set_new(o, "lorenz", lz);
	free(x);
	return o;
}

static json_t *outliers(entity_t *e, size_t n, const ssr_abuse_report_opts_t *o, const char *id)
{
	uint64_t ka = 0;
	double na = 0;
	for (size_t i = 0; i < n; i++) {
		ka += e[i].abused;
		na += e[i].domains;
	}
	double p0 = na > 0 ? (double)ka / na : 0;
	double *p = malloc((n ? n : 1) * sizeof(double)), *q = malloc((n ? n : 1) * sizeof(double));
	size_t *idx = malloc((n ? n : 1) * sizeof(size_t));
	json_t *out = json_object();
	json_t *arr = json_array();
	size_t m = 0;
	if (p == NULL || q == NULL || idx == NULL) {
		free(p);
		free(q);
		free(idx);
		return out;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t dn = (uint64_t)llround(e[i].domains);
		if (e[i].abused < o->min_abused || dn < o->min_domains) {
			continue;
		}
		uint64_t k = e[i].abused > dn ? dn : e[i].abused;
		p[m] = ssr_stat_binom_sf(k, dn, p0);
		idx[m++] = i;
	}
	ssr_stat_bh_adjust(p, m, q);
	for (size_t j = 0; j < m; j++) {
		entity_t *x = &e[idx[j]];
		uint64_t dn = (uint64_t)llround(x->domains);
		json_t *row = json_object();
		json_object_set_new(row, id, json_deep_copy(json_object_get(x->obj, id)));
		json_object_set_new(row, "abused", json_integer((json_int_t)x->abused));
		json_object_set_new(row, "domains", json_integer((json_int_t)dn));
		json_object_set_new(row, "rate_per_10k", json_real(rate(x->abused, (double)dn)));
		json_object_set_new(row, "expected", json_real(round6((double)dn * p0)));
		json_object_set_new(row, "p_value", json_real(sig6(p[j])));
		json_object_set_new(row, "q_value", json_real(sig6(q[j])));
		json_object_set_new(row, "flagged", json_boolean(q[j] <= o->alpha));
		json_array_append_new(arr, row);
	}
	json_object_set_new(out, "population_rate_per_10k", json_real(round6(p0 * 1e4)));
	json_object_set_new(out, "tested", json_integer((json_int_t)m));
	size_t flagged = 0;
	for (size_t j = 0; j < m; j++) {
		flagged += q[j] <= o->alpha;
	}
	json_object_set_new(out, "flagged", json_integer((json_int_t)flagged));
	json_object_set_new(out, "entities", arr);
	free(p);
	free(q);
	free(idx);
	return out;
}

/* ---- prices ------------------------------------------------------------------------------ */

typedef struct {
	char kind[16], subject[128], date[11], currency[4];
	double price;
} price_t;

typedef struct {
	price_t *v;
	size_t n, cap;
	const char *to;
} prices_t;

static int on_price(const char *kind, const char *subject, const char *date, const char *price,
                    const char *currency, void *ctx)
{
	prices_t *p = ctx;
	if (strcmp(date, p->to) > 0) {
		return SSR_EOK;
	}
	/* rows come ordered by kind, subject, date, currency: a later date of the same kind,
	 * subject and currency replaces; entries of one kind and subject are together at the end */
	for (size_t i = p->n; i-- > 0;) {
		price_t *l = &p->v[i];
		if (strcmp(l->kind, kind) != 0 || strcmp(l->subject, subject) != 0) {
			break;
		}
		if (strcmp(l->currency, currency) == 0) {
			snprintf(l->date, sizeof(l->date), "%s", date);
			l->price = strtod(price, NULL);
			return SSR_EOK;
		}
	}
	if (ssr_grow((void **)&p->v, &p->cap, p->n + 1, sizeof(price_t)) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	price_t *x = &p->v[p->n++];
	snprintf(x->kind, sizeof(x->kind), "%s", kind);
	snprintf(x->subject, sizeof(x->subject), "%s", subject);
	snprintf(x->date, sizeof(x->date), "%s", date);
	snprintf(x->currency, sizeof(x->currency), "%s", currency);
	x->price = strtod(price, NULL);
	return SSR_EOK;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *price_analysis(const prices_t *pr, const char *kind, entity_t *e, size_t ne)
{
	json_t *arr = json_array();
	/* currencies used for this kind, in order */
	const char *cur[64];
	size_t nc = 0;
	for (size_t i = 0; i < pr->n; i++) {
		if (strcmp(pr->v[i].kind, kind) != 0) {
			continue;
		}
		bool seen = false;
		for (size_t k = 0; k < nc; k++) {
			seen |= strcmp(cur[k], pr->v[i].currency) == 0;
		}
		if (!seen && nc < 64) {
			cur[nc++] = pr->v[i].currency;
		}
	}
	qsort(cur, nc, sizeof(char *), cmp_cstr);
	for (size_t k = 0; k < nc; k++) {
		double *x = malloc((ne ? ne : 1) * sizeof(double));
		double *y = malloc((ne ? ne : 1) * sizeof(double));
		double *ly = malloc((ne ? ne : 1) * sizeof(double));
		if (x == NULL || y == NULL || ly == NULL) {
			free(x);
			free(y);
			free(ly);
			break;
		}
		json_t *pts = json_array();
		size_t n = 0;
		for (size_t i = 0; i < ne; i++) {
			if (e[i].domains <= 0) {
				continue;
			}
			for (size_t j = 0; j < pr->n; j++) {
				const price_t *p = &pr->v[j];
				if (strcmp(p->kind, kind) == 0 &&
				    strcmp(p->currency, cur[k]) == 0 &&
				    strcmp(p->subject, e[i].key) == 0) {
					x[n] = p->price;
					y[n] = (double)e[i].abused / e[i].domains * 1e4;
					ly[n] =
					    log(((double)e[i].abused + 0.5) / e[i].domains * 1e4);
					json_array_append_new(
					    pts, json_pack("{s:s,s:f,s:f,s:s}", "subject", e[i].key,
					                   "price", p->price, "rate_per_10k",
					                   round6(y[n]), "price_date", p->date));
					n++;
					break;
				}
			}
		}
		json_t *o = json_object();
		json_object_set_new(o, "currency", json_string(cur[k]));
		json_object_set_new(o, "n", json_integer((json_int_t)n));
		double rho, pv;
		ssr_stat_spearman(x, y, n, &rho, &pv);
		json_object_set_new(o, "spearman",
		                    json_pack("{s:o,s:o}", "rho", real_or_null(round6(rho)),
		                              "p_value", real_or_null(sig6(pv))));
		ssr_stat_ols_t ols;
		if (ssr_stat_ols(x, ly, n, &ols) == SSR_EOK) {
			json_object_set_new(
			    o, "log_linear",
			    json_pack("{s:f,s:[f,f],s:f,s:[f,f],s:o,s:o,s:f,s:[f,f]}", "slope",
			              round6(ols.slope), "slope_ci95", round6(ols.slope_lo),
			              round6(ols.slope_hi), "intercept", round6(ols.intercept),
			              "intercept_ci95", round6(ols.intercept_lo),
			              round6(ols.intercept_hi), "r2", real_or_null(round6(ols.r2)),
			              "slope_p_value", real_or_null(sig6(ols.slope_p)),
			              "rate_change_per_unit", round6(exp(ols.slope) - 1),
			              "rate_change_ci95", round6(exp(ols.slope_lo) - 1),
			              round6(exp(ols.slope_hi) - 1)));
		} else {
			json_object_set_new(o, "log_linear", json_null());
		}
		json_object_set_new(o, "points", pts);
		json_array_append_new(arr, o);
		free(x);
		free(y);
		free(ly);
	}
	return arr;
}

/* ---- the report ------------------------------------------------------------------------- */

static json_t *build(rep_t *r, const prices_t *pr)
{
	const ssr_abuse_report_opts_t *o = r->o;
	json_t *out = json_object();
	char from[11], to[11];
	ssr_date_format(r->from, from);
	ssr_date_format(r->to, to);
	json_object_set_new(
	    out, "period",
	    json_pack("{s:s,s:s,s:s}", "label", o->label ? o->label : "", "from", from, "to", to));
	json_object_set_new(out, "parameters",
	                    json_pack("{s:i,s:i,s:f,s:I,s:I,s:i}", "malicious_days",
	                              (int)o->malicious_days, "top_n", (int)o->top_n, "alpha",
	                              o->alpha, "min_abused", (json_int_t)o->min_abused,
	                              "min_domains", (json_int_t)o->min_domains, "rate_unit",
	                              10000));
	json_t *dates = json_array();
	for (size_t i = 0; i < r->nd; i++) {
		json_array_append_new(dates, json_string(r->dates[i]));
	}
	json_object_set_new(out, "snapshots", dates);
	double total_domains = 0;
	for (size_t i = 0; i < r->nt; i++) {
		total_domains += r->t[i].mean_domains;
	}
	uint64_t ta = r->total.abused;
	json_object_set_new(out, "totals", counts_json(&r->total, total_domains, ta));
	/* TLDs */
	json_t *tlds = json_array();
	entity_t *te = calloc(r->nt ? r->nt : 1, sizeof(entity_t));
	size_t nte = 0;
	for (size_t i = 0; i < r->nt; i++) {
		tld_t *t = &r->t[i];
		if (t->np == 0) {
			continue;
		}
		json_t *o2 = counts_json(&t->c, t->mean_domains, ta);
		json_object_set_new(o2, "tld", json_string(t->name));
		json_object_set_new(o2, "snapshots", json_integer((json_int_t)t->np));
		json_t *series = json_array();
		for (size_t j = 0; j < t->ns; j++) {
			snap_t *s = &t->s[j];
			if (!s->in_period) {
				continue;
			}
			json_t *so = json_pack(
			    "{s:s,s:I,s:I,s:f,s:I,s:I,s:I,s:o}", "date", s->date, "domains",
			    (json_int_t)s->domains, "abused", (json_int_t)s->abused, "rate_per_10k",
			    rate(s->abused, (double)s->domains), "new", (json_int_t)s->new_,
			    "persisting", (json_int_t)s->persisting, "mitigated",
			    (json_int_t)s->mitigated, "categories", cats_json(s->cat));
			json_array_append_new(series, so);
		}
		json_object_set_new(o2, "series", series);
		json_array_append(tlds, o2);
		if (te != NULL) {
			te[nte++] = (entity_t){t->name, t->mean_domains, t->c.abused, o2};
		}
		json_decref(o2);
	}
	json_object_set_new(out, "tlds", tlds);
	/* registrars (0: abuse without attribution, reported apart) */
	json_t *regs = json_array();
	entity_t *re = calloc(r->nr ? r->nr : 1, sizeof(entity_t));
	char(*keys)[24] = calloc(r->nr ? r->nr : 1, 24);
	size_t nre = 0;
	reg_t **order = malloc((r->nr ? r->nr : 1) * sizeof(reg_t *));
	for (size_t i = 0; order != NULL && i < r->nr; i++) {
		order[i] = &r->r[i];
	}
	/* by IANA id */
	for (size_t i = 1; order != NULL && i < r->nr; i++) {
		reg_t *x = order[i];
		size_t j = i;
		while (j > 0 && order[j - 1]->id > x->id) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = x;
	}
	json_t *unattributed = json_null();
	for (size_t i = 0; order != NULL && i < r->nr; i++) {
		reg_t *g = order[i];
		if (g->domains <= 0 && g->c.abused == 0 && g->c.mitigated_zone == 0 &&
		    g->c.mitigated_delisted == 0) {
			continue;
		}
		json_t *o2 = counts_json(&g->c, g->domains, ta);
		if (g->id == 0) {
			json_object_del(o2, "domains");
			json_object_del(o2, "rate_per_10k");
			unattributed = o2;
			continue;
		}
		json_object_set_new(o2, "iana_id", json_integer((json_int_t)g->id));
		char nm[64];
		snprintf(nm, sizeof(nm), "IANA #%" PRIu64, g->id);
		json_object_set_new(o2, "name", json_string(g->name ? g->name : nm));
		json_t *series = json_array();
		for (size_t d = 0; d < r->nd; d++) {
			json_array_append_new(
			    series, json_pack("{s:s,s:I,s:I,s:f}", "date", r->dates[d], "domains",
			                      (json_int_t)g->domains_at[d], "abused",
			                      (json_int_t)g->abused_at[d], "rate_per_10k",
			                      rate(g->abused_at[d], (double)g->domains_at[d])));
		}
		json_object_set_new(o2, "series", series);
		json_array_append(regs, o2);
		if (re != NULL && keys != NULL) {
			snprintf(keys[nre], 24, "%" PRIu64, g->id);
			re[nre] = (entity_t){keys[nre], g->domains, g->c.abused, o2};
			nre++;
		}
		json_decref(o2);
	}
	free(order);
	json_object_set_new(out, "registrars", regs);
	json_object_set_new(out, "unattributed", unattributed);
	/* top lists by rate (entities big enough to test) */
	json_t *top = json_object();
	for (int kind = 0; kind < 2; kind++) {
		entity_t *e = kind ? re : te;
		size_t n = kind ? nre : nte;
		entity_t *c = malloc((n ? n : 1) * sizeof(entity_t));
		json_t *arr = json_array();
		if (c != NULL && e != NULL) {
			size_t m = 0;
			for (size_t i = 0; i < n; i++) {
				if (e[i].domains >= (double)o->min_domains) {
					c[m++] = e[i];
				}
			}
			qsort(c, m, sizeof(entity_t), cmp_rate_desc);
			for (size_t i = 0; i < m && i < o->top_n; i++) {
				json_array_append_new(
				    arr, json_deep_copy(
				             json_object_get(c[i].obj, kind ? "iana_id" : "tld")));
			}
		}
		free(c);
		json_object_set_new(top, kind ? "registrars_by_rate" : "tlds_by_rate", arr);
	}
	json_object_set_new(out, "top", top);
	json_object_set_new(out, "outliers",
	                    json_pack("{s:o,s:o}", "tlds", outliers(te, nte, o, "tld"),
	                              "registrars", outliers(re, nre, o, "iana_id")));
	json_object_set_new(out, "prices",
	                    json_pack("{s:o,s:o}", "tlds", price_analysis(pr, "tld", te, nte),
	                              "registrars", price_analysis(pr, "registrar", re, nre)));
	/* concentration last: it reorders the entity arrays */
	json_object_set_new(out, "concentration",
	                    json_pack("{s:o,s:o}", "tlds", concentration(te, nte, o->top_n),
	                              "registrars", concentration(re, nre, o->top_n)));
	free(te);
	free(re);
	free(keys);
	return out;
}

int ssr_abuse_report(ssr_store_t *st, const ssr_abuse_report_opts_t *opts, json_t **out,
                     ssr_diag_t *diag)
{
	ssr_abuse_report_opts_t o = *opts;
	if (o.malicious_days == 0) {
		o.malicious_days = 30;
	}
	if (o.top_n == 0) {
		o.top_n = 10;
	}
	if (o.alpha <= 0) {
		o.alpha = 0.05;
	}
	if (o.min_abused == 0) {
		o.min_abused = 5;
	}
	if (o.min_domains == 0) {
		o.min_domains = 100;
	}
	rep_t r = {.o = &o, .diag = diag};
	r.from = day_of(o.from);
	r.to = day_of(o.to);
	if (r.from == SSR_DAY_NONE || r.to == SSR_DAY_NONE || r.to < r.from) {
		return ssr_diag_set(diag, SSR_EINVAL, "report: bad period");
	}
	if (ssr_strmap_init(&r.regmap, 256) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_ENOMEM, "report: out of memory");
	}
	prices_t pr = {.to = o.to};
	int rc = ssr_store_abuse_snapshots(st, o.to, on_snapshot, &r, diag);
	if (rc == SSR_EOK) {
		rc = build_dates(&r);
	}
	if (rc == SSR_EOK && r.nd == 0) {
		rc = ssr_diag_set(diag, SSR_ENOTFOUND,
		                  "report: no abuse snapshot between %s and %s", o.from, o.to);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_registrar_domains(st, o.to, on_dum, &r, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_abuse_rows(st, o.to, on_row, &r, diag);
	}
	if (rc == SSR_EOK) {
		rc = flush_domain(&r);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_registrars(st, on_registrar, &r, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_prices(st, on_price, &pr, diag);
	}
	json_t *names = NULL, *imit = NULL;
	if (rc == SSR_EOK) {
		rc = abuse_misleading_names(st, o.from, o.to, o.top_n, &names, diag);
	}
	if (rc == SSR_EOK) {
		rc = abuse_imit_report(st, o.from, o.to, o.top_n, &imit, diag);
	}
	if (rc == SSR_EOK) {
		*out = build(&r, &pr);
		if (names) {
			json_object_set_new(*out, "misleading_names", names);
		}
		if (imit) {
			json_object_set_new(*out, "imitating_names", imit);
		}
	} else if (diag->code == SSR_EOK || diag->msg[0] == '\0') {
		ssr_diag_set(diag, rc, "report: %s", ssr_strerror(rc));
	}
	for (size_t i = 0; i < r.nt; i++) {
		free(r.t[i].name);
		free(r.t[i].s);
		counts_free(&r.t[i].c);
	}
	free(r.t);
	for (size_t i = 0; i < r.nr; i++) {
		free(r.r[i].name);
		free(r.r[i].abused_at);
		free(r.r[i].domains_at);
		counts_free(&r.r[i].c);
	}
	free(r.r);
	counts_free(&r.total);
	free(r.dates);
	free(r.h);
	free(pr.v);
	ssr_strmap_release(&r.regmap);
	return rc;
}
