/* ssrwatch — feeds and registration data generated from any zone file (gen feed,
 * gen registrations): benchmarks and tests join real-shaped inputs against real-sized zones.
 *
 * Both read the zone once with the zone reader (one thread, so the output depends only on the
 * zone and the seed) and take its delegations: the owners of NS records below the apex, one per
 * run of records of one owner. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/abusegen.h"
#include "ssrwatch/arena.h"
#include "ssrwatch/date.h"
#include "ssrwatch/dname.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/rng.h"
#include "ssrwatch/zone.h"

#define TYPE_NS  2
#define TYPE_SOA 6

typedef int (*deleg_fn)(const char *name, size_t len, void *ctx);

typedef struct {
	uint8_t apex[SSR_DNAME_MAXLEN + 1];
	bool have_apex, no_soa;
	uint8_t last[SSR_DNAME_MAXLEN + 1];
	uint16_t last_len;
	deleg_fn fn;
	void *ctx;
} walk_t;

static int on_rr(const ssr_zone_rr_t *rr, void *ctx)
{
	walk_t *w = ctx;
	if (!w->have_apex) {
		if (rr->type != TYPE_SOA) {
			w->no_soa = true;
			return SSR_EPARSE;
		}
		memcpy(w->apex, rr->owner, rr->owner_len);
		w->have_apex = true;
		return SSR_EOK;
	}
	if (rr->type != TYPE_NS || ssr_dname_cmp_canonical(rr->owner, w->apex) == 0 ||
	    !ssr_dname_is_under(rr->owner, w->apex)) {
		return SSR_EOK;
	}
	if (rr->owner_len == w->last_len && memcmp(rr->owner, w->last, w->last_len) == 0) {
		return SSR_EOK;
	}
	memcpy(w->last, rr->owner, rr->owner_len);
	w->last_len = rr->owner_len;
	char text[SSR_DNAME_TEXTMAX + 2];
	if (ssr_dname_to_text(rr->owner, text, sizeof(text), true) < 0) {
		return SSR_EOK;
	}
	size_t n = strlen(text);
	if (n > 1 && text[n - 1] == '.') {
		text[--n] = '\0';
	}
	return w->fn(text, n, w->ctx);
}

/* Every delegation of the zone file, in file order. */
static int walk(const char *zone, deleg_fn fn, void *ctx, ssr_diag_t *diag)
{
	walk_t w = {.fn = fn, .ctx = ctx};
	ssr_zone_opts_t zo = {.no_include = true};
	ssr_zone_read_stats_t rs;
	diag->msg[0] = '\0';
	int rc = ssr_zone_read(zone, &zo, on_rr, &w, &rs, diag);
	if (w.no_soa) {
		return ssr_diag_set(diag, SSR_EPARSE, "zone '%s': does not start with a SOA record",
		                    zone);
	}
	if (rc != SSR_EOK && diag->msg[0] == '\0') {
		ssr_diag_set(diag, rc, "zone '%s': %s", zone, ssr_strerror(rc));
	}
	return rc;
}

static FILE *out_open(const char *path, ssr_diag_t *diag)
{
	if (path == NULL || strcmp(path, "-") == 0) {
		return stdout;
	}
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		ssr_diag_set(diag, SSR_EIO, "cannot write '%s': %s", path, strerror(errno));
	}
	return f;
}

static int out_close(FILE *f, const char *path, int rc, ssr_diag_t *diag)
{
	if (f == stdout) {
		if (fflush(f) != 0 && rc == SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_EIO, "cannot write standard output");
		}
		return rc;
	}
	if (fclose(f) != 0 && rc == SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "cannot write '%s': %s", path, strerror(errno));
	}
	if (rc != SSR_EOK) {
		remove(path); /* never a half-written file */
	}
	return rc;
}

/* ---- gen feed -------------------------------------------------------------------------- */

static const char *const shape_names[] = {"urls", "domains", "csv", "hosts"};

int ssr_feedgen_shape_parse(const char *s, ssr_feedgen_shape_t *out)
{
	for (unsigned i = 0; i < sizeof(shape_names) / sizeof(shape_names[0]); i++) {
		if (strcmp(s, shape_names[i]) == 0) {
			*out = (ssr_feedgen_shape_t)i;
			return SSR_EOK;
		}
	}
	return SSR_EINVAL;
}

void ssr_feedgen_defaults(ssr_feedgen_opts_t *o)
{
	*o = (ssr_feedgen_opts_t){.entries = 1000,
	                          .shape = SSR_FEEDGEN_URLS,
	                          .absent = 0.05,
	                          .noise = 0.01,
	                          .seed = 1,
	                          .date = "2026-11-23",
	                          .category = "phishing"};
}

typedef struct {
	const ssr_feedgen_opts_t *o;
	ssr_rng_t rng;
	ssr_arena_t text;
	const char **pick; /* the reservoir */
	uint64_t seen;
	int err;
} sample_t;

/* Reservoir sampling (algorithm R): every delegation equally likely, memory of the sample. */
static int sample_one(const char *name, size_t len, void *ctx)
{
	sample_t *s = ctx;
	uint64_t k = s->seen++;
	uint64_t slot = k;
	if (k >= s->o->entries) {
		slot = ssr_rng_next(&s->rng) % (k + 1);
		if (slot >= s->o->entries) {
			return SSR_EOK;
		}
	}
	char *c = ssr_arena_alloc(&s->text, len + 1);
	if (c == NULL) {
		return SSR_ENOMEM;
	}
	memcpy(c, name, len + 1);
	s->pick[slot] = c;
	return SSR_EOK;
}

static const char *const paths[] = {"login",          "verify/account",    "secure/update.php",
                                    "wp-admin/x.php", "invoice.zip",       "signin?session=4f2a",
                                    "bank/confirm",   "download/setup.exe"};
static const char *const noise_lines[] = {"http://192.0.2.17/login", "http://[2001:db8::1]/x",
                                          "not a domain name",       "localhost",
                                          "https://.bad..name/",     "xn--zz-invalid-.example"};

static void write_entry(FILE *f, const ssr_feedgen_opts_t *o, ssr_rng_t *r, const char *name,
                        const char *first_seen)
{
	switch (o->shape) {
	case SSR_FEEDGEN_URLS: {
		unsigned k = ssr_rng_below(r, 4);
		fprintf(f, "%s://%s%s/%s\n", k == 0 ? "http" : "https",
		        k == 1   ? "www."
		        : k == 2 ? "secure-login."
		                 : "",
		        name, paths[ssr_rng_below(r, sizeof(paths) / sizeof(paths[0]))]);
		break;
	}
	case SSR_FEEDGEN_DOMAINS:
		fprintf(f, "%s\n", name);
		break;
	case SSR_FEEDGEN_CSV:
		fprintf(f, "%s,%s,%s\n", name, first_seen, o->category);
		break;
	case SSR_FEEDGEN_HOSTS:
		fprintf(f, "0.0.0.0 %s%s\n", ssr_rng_below(r, 3) == 0 ? "c2." : "", name);
		break;
	}
}

int ssr_feedgen_write(const ssr_feedgen_opts_t *o, ssr_diag_t *diag)
{
	int32_t day;
	if (o->date == NULL || ssr_date_parse(o->date, strlen(o->date), &day) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "gen feed: bad date '%s'",
		                    o->date ? o->date : "");
	}
	if (o->entries == 0 || o->entries > 100000000ULL) {
		return ssr_diag_set(diag, SSR_EINVAL, "gen feed: entries must be 1 to 100000000");
	}
	sample_t s = {.o = o, .rng = {o->seed * 0x9e3779b97f4a7c15ULL + 7}};
	s.pick = calloc(o->entries, sizeof(char *));
	if (s.pick == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "gen feed: out of memory");
	}
	ssr_arena_init(&s.text, 1 << 20);
	int rc = SSR_EOK;
	for (size_t z = 0; z < o->nzones && rc == SSR_EOK; z++) {
		rc = walk(o->zones[z], sample_one, &s, diag);
	}
	if (rc == SSR_ENOMEM && diag->msg[0] == '\0') {
		rc = ssr_diag_set(diag, rc, "gen feed: out of memory");
	}
	if (rc == SSR_EOK && s.seen == 0) {
		rc = ssr_diag_set(diag, SSR_EINVAL, "gen feed: the zones have no delegations");
	}
	FILE *f = rc == SSR_EOK ? out_open(o->output, diag) : NULL;
	if (rc == SSR_EOK && f == NULL) {
		rc = SSR_EIO;
	}
	if (rc == SSR_EOK) {
		uint64_t n = s.seen < o->entries ? s.seen : o->entries;
		switch (o->shape) {
		case SSR_FEEDGEN_CSV:
			fprintf(f, "domain,first_seen,category\n");
			break;
		case SSR_FEEDGEN_HOSTS:
			fprintf(f, "# generated by ssrwatch gen feed\n127.0.0.1 localhost\n");
			break;
		default:
			fprintf(f, "# generated by ssrwatch gen feed (seed %llu)\n",
			        (unsigned long long)o->seed);
			break;
		}
		ssr_rng_t r = {o->seed ^ 0x5851f42d4c957f2dULL};
		/* shuffle: feeds are not in zone order */
		for (uint64_t i = n; i > 1; i--) {
			uint64_t j = ssr_rng_next(&r) % i;
			const char *t = s.pick[i - 1];
			s.pick[i - 1] = s.pick[j];
			s.pick[j] = t;
		}
		for (uint64_t i = 0; i < n; i++) {
			char fs[11];
			ssr_date_format(day - (int32_t)ssr_rng_below(&r, 30), fs);
			double u = ssr_rng_unit(&r);
			if (u < o->noise) {
				fprintf(f, "%s\n",
				        noise_lines[ssr_rng_below(&r, sizeof(noise_lines) /
				                                          sizeof(noise_lines[0]))]);
				continue;
			}
			if (u < o->noise + o->absent) {
				/* a name under the zone that is not delegated (w.h.p.) */
				char nm[SSR_DNAME_TEXTMAX + 32];
				snprintf(nm, sizeof(nm), "zz%08x-%s",
				         (unsigned)(ssr_rng_next(&r) & 0xffffffffu), s.pick[i]);
				if (strlen(nm) <= 253) {
					write_entry(f, o, &r, nm, fs);
					continue;
				}
			}
			write_entry(f, o, &r, s.pick[i], fs);
		}
		rc = out_close(f, o->output, rc, diag);
	}
	free(s.pick);
	ssr_arena_release(&s.text);
	return rc;
}

/* ---- gen registrations ------------------------------------------------------------------ */

void ssr_reggen_defaults(ssr_reggen_opts_t *o)
{
	*o = (ssr_reggen_opts_t){.registrars = 50, .seed = 1, .date = "2026-11-23"};
}

typedef struct {
	const ssr_reggen_opts_t *o;
	FILE *f;
	int32_t day;
	double *cum; /* cumulative Zipf weights over registrars */
	uint64_t rows;
} reg_t;

/* IANA-style registrar ids: spread out, stable for a given index. */
static unsigned registrar_id(unsigned i)
{
	return 1000 + i * 7;
}

static int reg_one(const char *name, size_t len, void *ctx)
{
	reg_t *g = ctx;
	/* per name, not per position: the same domain gets the same registrar and creation date
	 * in every snapshot generated with the same seed */
	ssr_rng_t r = {ssr_hash64(name, len) ^ g->o->seed};
	double u = ssr_rng_unit(&r) * g->cum[g->o->registrars - 1];
	unsigned lo = 0, hi = g->o->registrars - 1;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (g->cum[mid] < u) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	/* age: a quarter under a year, the rest up to 25 years, skewed young */
	double a = ssr_rng_unit(&r);
	int32_t age =
	    a < 0.25 ? (int32_t)(a * 4 * 365) : (int32_t)(365 + (a - 0.25) * (a - 0.25) * 16000);
	char cd[11];
	ssr_date_format(g->day - age, cd);
	g->rows++;
	return fprintf(g->f, "%s,%u,%s\n", name, registrar_id(lo), cd) < 0 ? SSR_EIO : SSR_EOK;
}

int ssr_reggen_write(const ssr_reggen_opts_t *o, ssr_diag_t *diag)
{
	reg_t g = {.o = o};
	if (o->date == NULL || ssr_date_parse(o->date, strlen(o->date), &g.day) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "gen registrations: bad date '%s'",
		                    o->date ? o->date : "");
	}
	if (o->registrars < 1 || o->registrars > 100000) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "gen registrations: registrars must be 1 to 100000");
	}
	g.cum = malloc(o->registrars * sizeof(double));
	if (g.cum == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "gen registrations: out of memory");
	}
	double sum = 0;
	for (unsigned i = 0; i < o->registrars; i++) {
		sum += 1.0 / (i + 1.0); /* Zipf: a few registrars hold most domains */
		g.cum[i] = sum;
	}
	int rc = SSR_EOK;
	g.f = out_open(o->output, diag);
	if (g.f == NULL) {
		rc = SSR_EIO;
	}
	if (rc == SSR_EOK) {
		fprintf(g.f, "domain,registrar_id,created\n");
		for (size_t z = 0; z < o->nzones && rc == SSR_EOK; z++) {
			rc = walk(o->zones[z], reg_one, &g, diag);
		}
		if (rc != SSR_EOK && diag->msg[0] == '\0') {
			rc = ssr_diag_set(diag, rc, "gen registrations: %s", ssr_strerror(rc));
		}
		rc = out_close(g.f, o->output, rc, diag);
	}
	if (rc == SSR_EOK && o->registrars_output != NULL) {
		FILE *f = out_open(o->registrars_output, diag);
		if (f == NULL) {
			rc = SSR_EIO;
		} else {
			fprintf(f, "ID,Registrar Name,Status\n");
			for (unsigned i = 0; i < o->registrars; i++) {
				fprintf(f, "%u,\"Generated Registrar %u, LLC\",Accredited\n",
				        registrar_id(i), i + 1);
			}
			rc = out_close(f, o->registrars_output, rc, diag);
		}
	}
	free(g.cum);
	return rc;
}
