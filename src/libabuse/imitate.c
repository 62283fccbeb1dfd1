/* libabuse: listed host names that imitate a protected name.  The rule is libnames'
 * (ssr_names_check, the same as `names check` and the portal's intake); this file keeps what
 * it finds per (zone, host, brand), stores it with the snapshot and summarises it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imitate.h"
#include "misleading.h"
#include "ssrwatch/abusestore.h"
#include "ssrwatch/arena.h"
#include "ssrwatch/hash.h"

typedef struct {
	uint32_t zone;
	uint32_t kinds;
	double score;
	const char *host, *brand, *domain, *provider, *position;
} imit_t;

struct abuse_imit {
	const ssr_names_t *nm;
	double min_score;
	imit_t *v;
	size_t n, cap;
	ssr_strmap_t seen; /* zone, host, brand */
	ssr_arena_t text;
};

int abuse_imit_new(const ssr_names_t *nm, double min_score, abuse_imit_t **out)
{
	abuse_imit_t *im = calloc(1, sizeof *im);
	if (!im || ssr_strmap_init(&im->seen, 1024) != SSR_EOK) {
		free(im);
		return SSR_ENOMEM;
	}
	im->nm = nm;
	im->min_score = min_score;
	ssr_arena_init(&im->text, 1 << 16);
	*out = im;
	return SSR_EOK;
}

void abuse_imit_free(abuse_imit_t *im)
{
	if (!im) {
		return;
	}
	free(im->v);
	ssr_strmap_release(&im->seen);
	ssr_arena_release(&im->text);
	free(im);
}

typedef struct {
	abuse_imit_t *im;
	unsigned zone;
	const char *host, *domain;
	const char *host_copy;
	int err;
} chk_t;

static const char *copy(abuse_imit_t *im, const char *s)
{
	size_t n = strlen(s);
	char *p = ssr_arena_alloc(&im->text, n + 1);
	if (p) {
		memcpy(p, s, n + 1);
	}
	return p;
}

static int on_match(const ssr_names_subject_t *s, const ssr_names_match_t *m, void *ctx)
{
	chk_t *c = ctx;
	abuse_imit_t *im = c->im;
	if (m->score < im->min_score) {
		return SSR_EOK;
	}
	char key[600];
	int kl = snprintf(key, sizeof key, "%u|%s|%s", c->zone, c->host, m->brand);
	if (kl < 0 || (size_t)kl >= sizeof key) {
		return SSR_EOK;
	}
	ssr_strmap_entry_t *e;
	bool ins = false;
	if (ssr_strmap_upsert(&im->seen, key, (size_t)kl, &e, &ins) != SSR_EOK) {
		return c->err = SSR_ENOMEM;
	}
	if (!ins) {
		return SSR_EOK;
	}
	if (ssr_grow((void **)&im->v, &im->cap, im->n + 1, sizeof *im->v) != SSR_EOK) {
		return c->err = SSR_ENOMEM;
	}
	if (!c->host_copy && !(c->host_copy = copy(im, c->host))) {
		return c->err = SSR_ENOMEM;
	}
	const char *prov = s->provider ? copy(im, s->provider) : NULL;
	if (s->provider && !prov) {
		return c->err = SSR_ENOMEM;
	}
	/* brand and position texts live as long as the index */
	im->v[im->n++] = (imit_t){.zone = c->zone,
	                          .kinds = m->kinds,
	                          .score = m->score,
	                          .host = c->host_copy,
	                          .brand = m->brand,
	                          .domain = c->domain,
	                          .provider = prov,
	                          .position = m->position};
	return SSR_EOK;
}

int abuse_imit_check(abuse_imit_t *im, unsigned zone, const char *host, const char *domain)
{
	chk_t c = {.im = im, .zone = zone, .host = host, .domain = domain};
	int rc = ssr_names_check(im->nm, host, strlen(host), on_match, &c, NULL);
	(void)rc; /* a host the check does not take (SSR_EPARSE) imitates nothing */
	return c.err;
}

static int cmp_imit(const void *a, const void *b)
{
	const imit_t *x = a, *y = b;
	if (x->zone != y->zone) {
		return x->zone < y->zone ? -1 : 1;
	}
	int c = strcmp(x->host, y->host);
	return c ? c : strcmp(x->brand, y->brand);
}

static void bump(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	json_object_set_new(o, key, json_integer(v ? json_integer_value(v) + 1 : 1));
}

int abuse_imit_store(abuse_imit_t *im, ssr_store_t *st, unsigned zone, const char *tld,
                     const char *date, json_t *zsum, ssr_diag_t *diag)
{
	qsort(im->v, im->n, sizeof *im->v, cmp_imit);
	json_t *brands = json_object(), *providers = json_object(), *doms = json_object();
	uint64_t hosts = 0;
	const char *last = NULL;
	int rc = brands && providers && doms ? SSR_EOK : SSR_ENOMEM;
	for (size_t i = 0; i < im->n && rc == SSR_EOK; i++) {
		const imit_t *x = &im->v[i];
		if (x->zone != zone) {
			continue;
		}
		char kinds[256];
		if (ssr_names_kinds_format(x->kinds, kinds, sizeof kinds) < 0) {
			kinds[0] = '\0';
		}
		ssr_abuse_imitation_t row = {.host = x->host,
		                             .brand = x->brand,
		                             .domain = x->domain,
		                             .kinds = kinds,
		                             .score = x->score,
		                             .position = x->position,
		                             .provider = x->provider};
		rc = ssr_store_abuse_imitation_put(st, tld, date, &row, diag);
		if (!last || strcmp(last, x->host) != 0) {
			hosts++;
			last = x->host;
			json_object_set_new(doms, x->domain, json_true());
			if (x->provider) {
				bump(providers, x->provider);
			}
		}
		bump(brands, x->brand);
	}
	if (rc == SSR_EOK) {
		json_object_set_new(zsum, "imitating",
		                    json_pack("{s:I,s:I,s:O,s:O}", "hosts", (json_int_t)hosts,
		                              "domains", (json_int_t)json_object_size(doms),
		                              "brands", brands, "providers", providers));
	}
	json_decref(brands);
	json_decref(providers);
	json_decref(doms);
	return rc;
}

/* ---- the report section ------------------------------------------------------------------ */

typedef struct {
	json_t *zones; /* array */
	json_t *cur;   /* the zone being read: its latest date in the period wins */
	char tld[256], date[11], last_host[256];
	json_t *brands, *providers, *doms;
	uint64_t hosts, under_provider;
	unsigned top;
	int err;
} rep_t;

static void rep_flush(rep_t *r)
{
	if (!r->tld[0]) {
		return;
	}
	json_t *z =
	    json_pack("{s:s,s:s,s:I,s:I,s:I,s:o,s:o}", "tld", r->tld, "date", r->date, "hosts",
	              (json_int_t)r->hosts, "domains", (json_int_t)json_object_size(r->doms),
	              "under_provider", (json_int_t)r->under_provider, "top_brands",
	              abuse_top_counts(r->brands, r->top, "brand", "hosts"), "top_providers",
	              abuse_top_counts(r->providers, r->top, "provider", "hosts"));
	if (!z || json_array_append_new(r->zones, z) != 0) {
		r->err = SSR_ENOMEM;
	}
}

static void rep_reset(rep_t *r, const char *tld, const char *date)
{
	json_decref(r->brands);
	json_decref(r->providers);
	json_decref(r->doms);
	r->brands = json_object();
	r->providers = json_object();
	r->doms = json_object();
	r->hosts = r->under_provider = 0;
	r->last_host[0] = '\0';
	snprintf(r->tld, sizeof r->tld, "%s", tld);
	snprintf(r->date, sizeof r->date, "%s", date);
	if (!r->brands || !r->providers || !r->doms) {
		r->err = SSR_ENOMEM;
	}
}

static int on_row(const char *tld, const char *date, const ssr_abuse_imitation_t *im, void *ctx)
{
	rep_t *r = ctx;
	if (strcmp(tld, r->tld) != 0) {
		rep_flush(r);
		rep_reset(r, tld, date);
	} else if (strcmp(date, r->date) != 0) {
		rep_reset(r, tld, date); /* rows come in date order: a later snapshot replaces */
	}
	if (r->err) {
		return r->err;
	}
	if (strcmp(r->last_host, im->host) != 0) {
		snprintf(r->last_host, sizeof r->last_host, "%s", im->host);
		r->hosts++;
		json_object_set_new(r->doms, im->domain, json_true());
		if (im->provider) {
			r->under_provider++;
			bump(r->providers, im->provider);
		}
	}
	bump(r->brands, im->brand);
	return SSR_EOK;
}

int abuse_imit_report(ssr_store_t *st, const char *from, const char *to, unsigned top, json_t **out,
                      ssr_diag_t *diag)
{
	rep_t r = {.zones = json_array(), .top = top};
	*out = NULL;
	if (!r.zones) {
		return ssr_diag_set(diag, SSR_ENOMEM, "report: out of memory");
	}
	int rc = ssr_store_abuse_imitations(st, from, to, on_row, &r, diag);
	if (rc == SSR_EOK) {
		rep_flush(&r);
		rc = r.err ? ssr_diag_set(diag, r.err, "report: out of memory") : SSR_EOK;
	}
	if (rc == SSR_EOK && json_array_size(r.zones) > 0) {
		*out = json_pack(
		    "{s:s,s:O}", "note",
		    "listed host names that imitate a protected name (abuse ingest "
		    "--brands), per TLD at its latest snapshot in the period; hosts under "
		    "a hosting or dynamic-DNS provider are counted for that provider",
		    "zones", r.zones);
		if (!*out) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "report: out of memory");
		}
	}
	json_decref(r.zones);
	json_decref(r.brands);
	json_decref(r.providers);
	json_decref(r.doms);
	return rc;
}
