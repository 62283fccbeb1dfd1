/* ssrwatch — a deterministic sample world for abuse reporting: TLD zones at several snapshot
 * dates, reputation feeds in four shapes with noise, registration data, the IANA registrar
 * list and prices; some TLDs and registrars are planted far above the rest. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ssrwatch/rng.h"
#include "ssrwatch/abusegen.h"
#include "ssrwatch/date.h"

typedef struct {
	uint32_t label; /* name: "d<label>x" style, see name_of */
	uint16_t tld, reg;
	int32_t created;
	int16_t born, died;         /* first and first-absent snapshot index (died -1: alive) */
	int16_t list_from, list_to; /* listed at snapshots [from, to); -1 never */
	uint8_t cats;               /* bit per category */
	uint8_t removed;            /* the episode ends with removal from the zone */
	uint8_t extra_feed;         /* also listed in the spam feed */
	int32_t first_seen;         /* feed first-seen day */
} dom_t;

static const char *const tld_names[] = {"alpha", "bravo",   "charlie", "delta",
                                        "echo",  "foxtrot", "golf",    "hotel"};
static const double tld_weight[] = {1.0, 0.6, 0.4, 0.25, 0.2, 0.15, 0.1, 0.08};
static const char *const syl[] = {"ka",  "lo",  "mi",  "ne",  "ru",   "sa",  "to",  "vi",  "ber",
                                  "cor", "dan", "fel", "gar", "hol",  "jin", "mar", "nor", "pix",
                                  "ros", "sun", "tek", "web", "shop", "net", "art", "home"};

static void name_of(uint32_t label, char *out, size_t cap)
{
	/* a word from the label number, then the number: unique and sortable */
	uint32_t x = label * 2654435761u;
	snprintf(out, cap, "%s%s%u", syl[x % 26], syl[(x >> 8) % 26], label);
}

static int mkdirs(const char *d, ssr_diag_t *diag)
{
	if (mkdir(d, 0777) != 0 && errno != EEXIST) {
		return ssr_diag_set(diag, SSR_EIO, "gen abuse: cannot create '%s': %s", d,
		                    strerror(errno));
	}
	return SSR_EOK;
}

static FILE *open_out(const char *dir, const char *name, ssr_diag_t *diag)
{
	char p[4096];
	int n = snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(p)) {
		ssr_diag_set(diag, SSR_ELIMIT, "gen abuse: path too long: '%s/%s'", dir, name);
		return NULL;
	}
	FILE *f = fopen(p, "w");
	if (f == NULL) {
		ssr_diag_set(diag, SSR_EIO, "gen abuse: cannot write '%s': %s", p, strerror(errno));
	}
	return f;
}

typedef struct {
	char name[64];
	int32_t day;
} snapdate_t;

static int cmp_dom(const void *a, const void *b)
{
	const dom_t *x = a, *y = b;
	if (x->tld != y->tld) {
		return x->tld - y->tld;
	}
	char p[64], q[64];
	name_of(x->label, p, sizeof(p));
	name_of(y->label, q, sizeof(q));
	return strcmp(p, q);
}

void ssr_abusegen_defaults(ssr_abusegen_opts_t *o)
{
	memset(o, 0, sizeof(*o));
	o->domains = 100000;
	o->tlds = 4;
	o->registrars = 30;
	o->snapshots = 7;
	o->step_days = 14;
	o->start = "2026-07-06";
	o->seed = 1;
}

/* One world: the options, the random stream (its order of use fixes the output), the
 * registrars' Zipf weights and the domains with their whole history. */
typedef struct {
	const ssr_abusegen_opts_t *o;
	ssr_rng_t r;
	int32_t start;
	unsigned T, R, S;
	double *rcdf, acc; /* registrars: cumulative 1/rank weights and their sum */
	dom_t *d;
	size_t n, cap;
	uint32_t label;
	ssr_diag_t *diag;
} agen_t;

/* A new domain of TLD t created on day created, at snapshot born. */
static void add_domain(agen_t *g, unsigned t, int32_t created_base, unsigned spread, int born)
{
	dom_t *x = &g->d[g->n++];
	x->label = g->label++;
	x->tld = (uint16_t)t;
	double u = ssr_rng_unit(&g->r) * g->acc;
	unsigned reg = 0;
	while (reg + 1 < g->R && g->rcdf[reg] < u) {
		reg++;
	}
	x->reg = (uint16_t)reg;
	x->created = created_base - (int32_t)ssr_rng_below(&g->r, spread);
	x->born = (int16_t)born;
	x->died = -1;
	x->list_from = x->list_to = -1;
}

/* Phase 1: the population at the first snapshot, each TLD by its weight. */
static void populate(agen_t *g)
{
	double wsum = 0;
	for (unsigned t = 0; t < g->T; t++) {
		wsum += tld_weight[t];
	}
	for (unsigned t = 0; t < g->T; t++) {
		size_t nt = (size_t)((double)g->o->domains * tld_weight[t] / wsum);
		for (size_t i = 0; i < nt; i++) {
			add_domain(g, t, g->start - 1, 3650, 0);
		}
	}
}

/* Phase 2, per domain alive at snapshot k: an abuse episode may begin (fresh registrations far
 * more often; the last TLD and registrars 3 and 7 planted 8 and 6 times above the rest), and an
 * unlisted domain may be deleted. */
static void live_snapshot(agen_t *g, unsigned k, int32_t day, dom_t *x)
{
	ssr_rng_t *r = &g->r;
	double f = (x->tld == g->T - 1 ? 8.0 : 1.0) * ((x->reg == 3 || x->reg == 7) ? 6.0 : 1.0);
	if (x->list_from < 0) {
		bool fresh = x->born == (int)k && k > 0;
		double p = fresh ? 0.02 * f : 0.0006 * f;
		if ((day - x->created > 60 || fresh) && ssr_rng_unit(r) < p) {
			x->list_from = (int16_t)k;
			unsigned len = 1 + ssr_rng_below(r, fresh ? 3 : 2);
			x->list_to = (int16_t)(k + len);
			x->removed = ssr_rng_unit(r) < (fresh ? 0.7 : 0.15);
			unsigned c = ssr_rng_below(r, 100);
			if (fresh) {
				x->cats = c < 50 ? 1 : c < 70 ? 2 : c < 80 ? 4 : 8;
			} else {
				x->cats = c < 40 ? 1 : c < 80 ? 2 : c < 88 ? 4 : 8;
			}
			x->extra_feed = ssr_rng_below(r, 10) == 0;
			int32_t fs = fresh ? x->created + (int32_t)ssr_rng_below(r, 4)
			                   : day - (int32_t)ssr_rng_below(r, g->o->step_days);
			x->first_seen = fs > day ? day : fs;
			if (x->removed && x->list_to < (int)g->S) {
				x->died = x->list_to;
			}
		}
	}
	if (x->died < 0 && x->list_from < 0 && ssr_rng_unit(r) < 0.004) {
		x->died = (int16_t)(k + 1);
	}
}

/* Phase 2: every snapshot: registrations (2% of the initial population), then episodes and
 * deletions. */
static void history(agen_t *g)
{
	size_t initial = g->n;
	for (unsigned k = 0; k < g->S; k++) {
		int32_t day = g->start + (int32_t)(k * g->o->step_days);
		if (k > 0) {
			size_t add = initial / 50;
			for (size_t i = 0; i < add && g->n < g->cap; i++) {
				unsigned t = ssr_rng_below(&g->r, g->T);
				add_domain(g, t, day, g->o->step_days, (int)k);
			}
		}
		for (size_t i = 0; i < g->n; i++) {
			dom_t *x = &g->d[i];
			if (x->born > (int)k || (x->died >= 0 && x->died <= (int)k)) {
				continue;
			}
			live_snapshot(g, k, day, x);
		}
	}
}

static bool alive(const dom_t *x, unsigned k)
{
	return x->born <= (int)k && !(x->died >= 0 && x->died <= (int)k);
}

/* Phase 3, per snapshot: a zone per TLD (delegations alive, a DS for every fifth). */
static int write_zones(agen_t *g, unsigned k, const char *ds)
{
	for (unsigned t = 0; t < g->T; t++) {
		char fname[256];
		snprintf(fname, sizeof(fname), "zones/%s-%s.zone", tld_names[t], ds);
		FILE *z = open_out(g->o->dir, fname, g->diag);
		if (z == NULL) {
			return SSR_EIO;
		}
		fprintf(z, "$ORIGIN %s.\n$TTL 86400\n", tld_names[t]);
		fprintf(z,
		        "@ SOA a.nic.%s. hostmaster.nic.%s. %.4s%.2s%.2s01 1800 900 604800 "
		        "86400\n",
		        tld_names[t], tld_names[t], ds, ds + 5, ds + 8);
		fprintf(z, "@ NS a.nic.%s.\n@ NS b.nic.%s.\n", tld_names[t], tld_names[t]);
		for (size_t i = 0; i < g->n; i++) {
			dom_t *x = &g->d[i];
			if (x->tld != t || !alive(x, k)) {
				continue;
			}
			char nm[64];
			name_of(x->label, nm, sizeof(nm));
			unsigned h = (x->label * 7919u) % 400;
			fprintf(z, "%s NS ns1.dns%u.example.net.\n%s NS ns2.dns%u.example.net.\n",
			        nm, h, nm, h);
			if (x->label % 5 == 0) {
				fprintf(z, "%s DS %u 13 2 %08X%08X%08X%08X%08X%08X%08X%08X\n", nm,
				        x->label % 65536, x->label, x->label * 3, x->label * 5,
				        x->label * 7, x->label * 11, x->label * 13, x->label * 17,
				        x->label * 19);
			}
		}
		if (fclose(z) != 0) {
			return ssr_diag_set(g->diag, SSR_EIO, "gen abuse: write failed");
		}
	}
	return SSR_EOK;
}

/* Phase 3, per snapshot: the four feeds (URLs, CSV, domains, hosts file) with a line of noise
 * each; a domain removed from the zone stays listed half the time (the feed lags). */
static int write_feeds(agen_t *g, unsigned k, const char *ds)
{
	char p[4096], fname[256];
	snprintf(fname, sizeof(fname), "feeds/%s", ds);
	snprintf(p, sizeof(p), "%s/%s", g->o->dir, fname);
	int rc = mkdirs(p, g->diag);
	FILE *ph = rc == SSR_EOK ? open_out(p, "phishing.urls", g->diag) : NULL;
	FILE *mw = ph ? open_out(p, "malware.csv", g->diag) : NULL;
	FILE *sp = mw ? open_out(p, "spam.txt", g->diag) : NULL;
	FILE *bn = sp ? open_out(p, "botnet.hosts", g->diag) : NULL;
	if (bn == NULL) {
		FILE *fs[] = {ph, mw, sp};
		for (int i = 0; i < 3; i++) {
			if (fs[i] != NULL) {
				fclose(fs[i]);
			}
		}
		return SSR_EIO;
	}
	fprintf(ph, "# phishing URLs, %s\nhttp://192.0.2.%u/login\n", ds, k + 1);
	fprintf(mw, "domain,first_seen,category\n");
	fprintf(sp, "# spam domains, %s\nspam-%u.example.com\n", ds, k);
	fprintf(bn, "# botnet C&C\n127.0.0.1 localhost\n");
	for (size_t i = 0; i < g->n; i++) {
		dom_t *x = &g->d[i];
		bool lag =
		    x->removed && (int)k == x->list_to && x->died == (int)k && x->label % 2 == 0;
		if (x->list_from < 0 || (int)k < x->list_from || ((int)k >= x->list_to && !lag)) {
			continue;
		}
		char nm[64], fsd[11];
		name_of(x->label, nm, sizeof(nm));
		ssr_date_format(x->first_seen, fsd);
		const char *tn = tld_names[x->tld];
		if (x->cats & 1) {
			fprintf(ph, "https://%s%s.%s/%s/verify.php?id=%u\n",
			        x->label % 3 ? "www." : "secure-login.", nm, tn, "account",
			        x->label);
		}
		if (x->cats & 2) {
			fprintf(mw, "%s.%s,%s,malware\n", nm, tn, fsd);
		}
		if ((x->cats & 8) || x->extra_feed) {
			fprintf(sp, "%s.%s\n", nm, tn);
		}
		if (x->cats & 4) {
			fprintf(bn, "0.0.0.0 c2.%s.%s\n", nm, tn);
		}
	}
	bool ok = fclose(ph) == 0;
	ok &= fclose(mw) == 0;
	ok &= fclose(sp) == 0;
	ok &= fclose(bn) == 0;
	return ok ? SSR_EOK : ssr_diag_set(g->diag, SSR_EIO, "gen abuse: write failed");
}

/* Phase 3, per snapshot: registration data of the domains alive. */
static int write_registrations(agen_t *g, unsigned k, const char *ds)
{
	char fname[256];
	snprintf(fname, sizeof(fname), "registrations/%s.csv", ds);
	FILE *rg = open_out(g->o->dir, fname, g->diag);
	if (rg == NULL) {
		return SSR_EIO;
	}
	fprintf(rg, "domain,registrar_id,created\n");
	for (size_t i = 0; i < g->n; i++) {
		dom_t *x = &g->d[i];
		if (!alive(x, k)) {
			continue;
		}
		char nm[64], cd[11];
		name_of(x->label, nm, sizeof(nm));
		ssr_date_format(x->created, cd);
		fprintf(rg, "%s.%s,%u,%s\n", nm, tld_names[x->tld], 1000 + x->reg * 7u, cd);
	}
	return fclose(rg) == 0 ? SSR_EOK
	                       : ssr_diag_set(g->diag, SSR_EIO, "gen abuse: write failed");
}

/* Phase 3: the snapshot dates, and each snapshot's zones, feeds and registrations. */
static int write_snapshots(agen_t *g)
{
	FILE *dates = open_out(g->o->dir, "dates.txt", g->diag);
	int rc = dates != NULL ? SSR_EOK : SSR_EIO;
	for (unsigned k = 0; k < g->S && rc == SSR_EOK; k++) {
		int32_t day = g->start + (int32_t)(k * g->o->step_days);
		char ds[11];
		ssr_date_format(day, ds);
		fprintf(dates, "%s\n", ds);
		rc = write_zones(g, k, ds);
		if (rc == SSR_EOK) {
			rc = write_feeds(g, k, ds);
		}
		if (rc == SSR_EOK) {
			rc = write_registrations(g, k, ds);
		}
	}
	if (dates != NULL && fclose(dates) != 0 && rc == SSR_EOK) {
		rc = ssr_diag_set(g->diag, SSR_EIO, "gen abuse: write failed");
	}
	return rc;
}

/* Phase 4: the IANA registrar list, prices (the planted registrars and TLD cheap) and the
 * list of what was planted. */
static int write_lists(agen_t *g)
{
	FILE *rl = open_out(g->o->dir, "registrars.csv", g->diag);
	FILE *pr = rl ? open_out(g->o->dir, "prices.csv", g->diag) : NULL;
	if (pr == NULL) {
		if (rl != NULL) {
			fclose(rl);
		}
		return SSR_EIO;
	}
	fprintf(rl, "ID,Registrar Name,Status\n");
	fprintf(pr, "tld,registrar,price,currency,date\n");
	char ds[11];
	ssr_date_format(g->start - 30, ds);
	for (unsigned reg = 0; reg < g->R; reg++) {
		fprintf(rl, "%u,\"Sample Registrar %u, Inc.\",Accredited\n", 1000 + reg * 7, reg);
		double price = (reg == 3 || reg == 7) ? 2.49 + reg * 0.1
		                                      : 8.0 + ssr_rng_below(&g->r, 800) / 100.0;
		fprintf(pr, ",%u,%.2f,USD,%s\n", 1000 + reg * 7, price, ds);
	}
	for (unsigned t = 0; t < g->T; t++) {
		double price =
		    t == g->T - 1 ? 0.99 : 14.0 - 2.5 * t + ssr_rng_below(&g->r, 100) / 100.0;
		fprintf(pr, "%s,,%.2f,USD,%s\n", tld_names[t], price, ds);
	}
	bool ok = fclose(rl) == 0;
	ok &= fclose(pr) == 0;
	if (!ok) {
		return ssr_diag_set(g->diag, SSR_EIO, "gen abuse: write failed");
	}
	FILE *pl = open_out(g->o->dir, "planted.json", g->diag);
	if (pl == NULL) {
		return SSR_EIO;
	}
	fprintf(pl, "{\"tlds\": [\"%s\"], \"registrars\": [%u, %u]}\n", tld_names[g->T - 1],
	        1000 + 3 * 7, 1000 + 7 * 7);
	return fclose(pl) == 0 ? SSR_EOK
	                       : ssr_diag_set(g->diag, SSR_EIO, "gen abuse: write failed");
}

int ssr_abusegen_write(const ssr_abusegen_opts_t *o, ssr_diag_t *diag)
{
	agen_t g = {.o = o,
	            .r = {o->seed * 0x2545f4914f6cdd1dULL + 11},
	            .T = o->tlds,
	            .R = o->registrars,
	            .S = o->snapshots,
	            .diag = diag};
	if (o->start == NULL || ssr_date_parse(o->start, strlen(o->start), &g.start) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "gen abuse: bad start date");
	}
	if (g.T < 1 || g.T > 8 || g.R < 2 || g.R > 5000 || g.S < 2 || g.S > 200 ||
	    o->domains < 100) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "gen abuse: 1-8 TLDs, 2-5000 registrars, 2-200 snapshots, 100+ "
		                    "domains");
	}
	g.rcdf = malloc(g.R * sizeof(double));
	g.cap = o->domains * 2 + 1024;
	g.d = calloc(g.cap, sizeof(dom_t));
	int rc = SSR_EOK;
	if (g.rcdf == NULL || g.d == NULL) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "gen abuse: out of memory");
	}
	if (rc == SSR_EOK) {
		for (unsigned i = 0; i < g.R; i++) {
			g.acc += 1.0 / (i + 1);
			g.rcdf[i] = g.acc;
		}
		populate(&g);
		history(&g);
		qsort(g.d, g.n, sizeof(dom_t), cmp_dom);
		rc = mkdirs(o->dir, diag);
		const char *subs[] = {"zones", "feeds", "registrations"};
		for (int i = 0; i < 3 && rc == SSR_EOK; i++) {
			char p[4096];
			snprintf(p, sizeof(p), "%s/%s", o->dir, subs[i]);
			rc = mkdirs(p, diag);
		}
	}
	if (rc == SSR_EOK) {
		rc = write_snapshots(&g);
	}
	if (rc == SSR_EOK) {
		rc = write_lists(&g);
	}
	free(g.d);
	free(g.rcdf);
	return rc;
}
