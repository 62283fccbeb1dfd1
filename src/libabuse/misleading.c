/* libabuse: the misleading-name category of the abuse report (SSR2 Rec 19), measured apart
 * from abuse: per zone, the latest names scan in the period, its matched domains and their
 * rate per 10,000 delegations, by kind and by brand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "misleading.h"
#include "ssrwatch/arena.h"
#include "ssrwatch/namesstore.h"

typedef struct {
	char zone[256];
	char date[11];
	uint64_t delegations;
	uint64_t domains;
	char last_domain[256];
	json_t *kinds;  /* kind -> matches */
	json_t *brands; /* brand -> domains */
} mzone_t;

typedef struct {
	mzone_t *z;
	size_t n, cap;
} mrep_t;

static mzone_t *mzone_find(mrep_t *m, const char *zone)
{
	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->z[i].zone, zone) == 0) {
			return &m->z[i];
		}
	}
	return NULL;
}

static int on_scan(const char *date, const char *zone, uint64_t delegations, const char *brands,
                   void *ctx)
{
	mrep_t *m = ctx;
	(void)brands;
	mzone_t *z = mzone_find(m, zone);
	if (!z) {
		if (ssr_grow((void **)&m->z, &m->cap, m->n + 1, sizeof *m->z) != SSR_EOK) {
			return SSR_ENOMEM;
		}
		z = &m->z[m->n++];
		memset(z, 0, sizeof *z);
		snprintf(z->zone, sizeof z->zone, "%s", zone);
		z->kinds = json_object();
		z->brands = json_object();
		if (!z->kinds || !z->brands) {
			return SSR_ENOMEM;
		}
	}
	/* scans come in date order: the last one of the period stands for the zone */
	snprintf(z->date, sizeof z->date, "%s", date);
	z->delegations = delegations;
	return SSR_EOK;
}

static void bump(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	json_object_set_new(o, key, json_integer(v ? json_integer_value(v) + 1 : 1));
}

static int on_match(const ssr_names_row_t *r, void *ctx)
{
	mrep_t *m = ctx;
	mzone_t *z = mzone_find(m, r->zone);
	if (!z || strcmp(z->date, r->date) != 0) {
		return SSR_EOK;
	}
	if (strcmp(z->last_domain, r->domain) != 0) {
		z->domains++;
		snprintf(z->last_domain, sizeof z->last_domain, "%s", r->domain);
	}
	bump(z->brands, r->brand);
	for (const char *p = r->kinds; *p;) {
		char k[32];
		size_t n = strcspn(p, ",");
		snprintf(k, sizeof k, "%.*s", (int)(n < 31 ? n : 31), p);
		bump(z->kinds, k);
		p += n + (p[n] == ',');
	}
	return SSR_EOK;
}

json_t *abuse_top_counts(json_t *brands, unsigned top, const char *key, const char *value)
{
	size_t n = json_object_size(brands), i = 0;
	const char **keys = calloc(n ? n : 1, sizeof *keys);
	json_t *arr = json_array();
	if (!keys || !arr) {
		free(keys);
		json_decref(arr);
		return NULL;
	}
	const char *k;
	json_t *v;
	json_object_foreach(brands, k, v)
	{
		keys[i++] = k;
	}
	for (size_t a = 1; a < n; a++) {
		const char *x = keys[a];
		json_int_t xv = json_integer_value(json_object_get(brands, x));
		size_t b = a;
		while (b > 0) {
			json_int_t pv = json_integer_value(json_object_get(brands, keys[b - 1]));
			if (pv > xv || (pv == xv && strcmp(keys[b - 1], x) < 0)) {
				break;
			}
			keys[b] = keys[b - 1];
			b--;
		}
		keys[b] = x;
	}
	for (size_t j = 0; j < n && j < top; j++) {
		json_array_append_new(arr, json_pack("{s:s,s:O}", key, keys[j], value,
		                                     json_object_get(brands, keys[j])));
	}
	free(keys);
	return arr;
}

int abuse_misleading_names(ssr_store_t *st, const char *from, const char *to, unsigned top,
                           json_t **out, ssr_diag_t *diag)
{
	mrep_t m = {0};
	*out = NULL;
	int rc = ssr_store_names_scans(st, from, to, on_scan, &m, diag);
	if (rc == SSR_EOK && m.n > 0) {
		rc = ssr_store_names_matches(st, from, to, on_match, &m, diag);
	}
	if (rc == SSR_EOK && m.n > 0) {
		json_t *zones = json_array();
		uint64_t dele = 0, doms = 0;
		for (size_t i = 0; i < m.n; i++) {
			mzone_t *z = &m.z[i];
			dele += z->delegations;
			doms += z->domains;
			json_array_append_new(
			    zones,
			    json_pack("{s:s,s:s,s:I,s:I,s:o,s:O,s:o}", "zone", z->zone, "date",
			              z->date, "delegations", (json_int_t)z->delegations, "domains",
			              (json_int_t)z->domains, "rate_per_10k",
			              z->delegations ? json_real(1e4 * (double)z->domains /
			                                         (double)z->delegations)
			                             : json_null(),
			              "by_kind", z->kinds, "top_brands",
			              abuse_top_counts(z->brands, top, "brand", "matches")));
		}
		*out = json_pack(
		    "{s:s,s:I,s:I,s:o,s:o}", "note",
		    "SSR2 Rec 19: look-alikes of protected names, measured apart and not "
		    "counted as abuse",
		    "delegations", (json_int_t)dele, "domains", (json_int_t)doms, "rate_per_10k",
		    dele ? json_real(1e4 * (double)doms / (double)dele) : json_null(), "zones",
		    zones);
		if (!*out) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "report: out of memory");
		}
	}
	for (size_t i = 0; i < m.n; i++) {
		json_decref(m.z[i].kinds);
		json_decref(m.z[i].brands);
	}
	free(m.z);
	return rc;
}
