/* libnames: a deterministic zone with planted look-alikes of generated brands, and its truth,
 * for tests and benchmarks.
 *
 * Brands are pronounceable labels; a fifth are listed as domains under another TLD (their
 * label in this zone is then a tld-swap) and a twentieth as domains in this zone (their own
 * delegation must not be reported).  Look-alikes are drawn from ssr_names_permute's output for
 * the brand, one kind after another.  Innocents are near misses of their brand (two letters
 * replaced far apart) that imitate no brand; the brand between letters that are not words is a
 * token look-alike (issue 25: a distinctive brand glued to anything is a lure).  Filler names are
 * random and imitate no brand (drawn again when they do). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/names.h"
#include "ssrwatch/namesgen.h"
#include "ssrwatch/rng.h"

static const char *const plant_kinds[] = {
    "homoglyph",     "omission",   "insertion",   "repetition", "addition",   "replacement",
    "transposition", "vowel-swap", "hyphenation", "bitsquat",   "combosquat", "homoglyph-idn"};
#define NPLANT_KINDS (sizeof plant_kinds / sizeof plant_kinds[0])

#define GEN_LABEL_MAX 63  /* a DNS label */
#define GEN_NAME_MAX  253 /* a domain name in text */

typedef struct {
	char name[GEN_NAME_MAX + 1];
	char brand[GEN_NAME_MAX + 1];
	char kind[24];
	bool innocent;
} plant_t;

typedef struct {
	const char *want;
	bool idn;
	char (*pick)[GEN_NAME_MAX + 1];
	size_t n, cap;
} perm_pick_t;

static int perm_collect(const char *kind, const char *domain, void *ctx)
{
	perm_pick_t *pp = ctx;
	if (strcmp(kind, pp->want) != 0 || pp->n == pp->cap) {
		return SSR_EOK;
	}
	bool idn = strstr(domain, "xn--") != NULL;
	if (idn != pp->idn) {
		return SSR_EOK;
	}
	snprintf(pp->pick[pp->n++], GEN_NAME_MAX + 1, "%s", domain);
	return SSR_EOK;
}

static void pronounceable(ssr_rng_t *r, char *out, size_t min, size_t max)
{
	static const char cons[] = "bcdfghklmnprstvz", vow[] = "aeiou";
	size_t target = min + ssr_rng_below(r, (unsigned)(max - min + 1)), n = 0;
	while (n < target) {
		out[n++] = cons[ssr_rng_below(r, sizeof cons - 1)];
		if (n < target) {
			out[n++] = vow[ssr_rng_below(r, sizeof vow - 1)];
		}
		if (n < target && ssr_rng_below(r, 4) == 0) {
			out[n++] = cons[ssr_rng_below(r, sizeof cons - 1)];
		}
	}
	out[n] = '\0';
}

static int count_match(const ssr_names_subject_t *s, const ssr_names_match_t *m, void *ctx)
{
	(void)s;
	(void)m;
	(*(unsigned *)ctx)++;
	return SSR_EOK;
}

typedef struct {
	const char *own;
	unsigned other;
} other_t;

static int count_other(const ssr_names_subject_t *s, const ssr_names_match_t *m, void *ctx)
{
	other_t *o = ctx;
	(void)s;
	if (strcmp(m->brand, o->own) != 0) {
		o->other++;
	}
	return SSR_EOK;
}

/* Does name (label under the zone's TLD) imitate any brand (or any but own)? */
static unsigned matches(const ssr_names_t *nm, const char *name, const char *own)
{
	other_t o = {own, 0};
	unsigned n = 0;
	/* what the check matched counts, whether or not it ended in an error (a name it cannot
	 * take) */
	int rc = own ? ssr_names_check(nm, name, strlen(name), count_other, &o, NULL)
	             : ssr_names_check(nm, name, strlen(name), count_match, &n, NULL);
	(void)rc;
	return own ? o.other : n;
}

/* One generation: the options, the random stream (its order of use fixes the output), the
 * brands and their index, the labels taken, the plants. */
typedef struct {
	ssr_names_gen_opts_t o;
	const char *tld, *other_tld;
	ssr_rng_t r;
	ssr_names_t *nm;
	ssr_strmap_t used; /* labels taken by brands, plants and innocents */
	char (*labels)[24];
	char (*forms)[40]; /* the brand as listed: a label or a domain */
	plant_t *plants;
	size_t np, pcap;
	perm_pick_t pp;
	ssr_diag_t *diag;
} ngen_t;

/* Take a label: false if it was taken already (rc: out of memory). */
static bool take(ngen_t *g, const char *s, size_t n, int *rc)
{
	ssr_strmap_entry_t *e;
	bool ins = false;
	if (ssr_strmap_upsert(&g->used, s, n, &e, &ins) != SSR_EOK) {
		*rc = ssr_diag_set(g->diag, SSR_ENOMEM, "gen names: out of memory");
		return false;
	}
	return ins;
}

static void plant(ngen_t *g, const char *name, unsigned brand, const char *kind, bool innocent)
{
	plant_t *p = &g->plants[g->np++];
	snprintf(p->name, sizeof p->name, "%s", name);
	snprintf(p->brand, sizeof p->brand, "%s", g->forms[brand]);
	snprintf(p->kind, sizeof p->kind, "%s", kind);
	p->innocent = innocent;
}

/* Phase 1: the brands (pronounceable labels that are not words), a fifth listed as domains
 * under another TLD and a twentieth as domains in this zone, and their index. */
static int make_brands(ngen_t *g)
{
	int rc = SSR_EOK;
	for (unsigned i = 0; i < g->o.brands; i++) {
		for (;;) {
			pronounceable(&g->r, g->labels[i], 6, 11);
			if (ssr_names_is_word(g->nm, g->labels[i], strlen(g->labels[i]))) {
				continue;
			}
			if (take(g, g->labels[i], strlen(g->labels[i]), &rc)) {
				break;
			}
			if (rc != SSR_EOK) {
				return rc;
			}
		}
		unsigned form = i % 20;
		if (form == 3) {
			snprintf(g->forms[i], sizeof g->forms[i], "%s.%s", g->labels[i], g->tld);
		} else if (form % 5 == 1) {
			snprintf(g->forms[i], sizeof g->forms[i], "%s.%s", g->labels[i],
			         g->other_tld);
		} else {
			snprintf(g->forms[i], sizeof g->forms[i], "%s", g->labels[i]);
		}
		bool added;
		rc = ssr_names_add_brand(g->nm, g->forms[i], strlen(g->forms[i]), &added, g->diag);
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	return ssr_names_build(g->nm, g->diag);
}

/* Phase 2, per brand: look-alikes of one kind after another, drawn from ssr_names_permute's
 * output, that imitate no other brand. */
static int make_lookalikes(ngen_t *g, unsigned i, const char *dom)
{
	int rc = SSR_EOK;
	perm_pick_t *pp = &g->pp;
	for (unsigned k = 0; k < g->o.plants; k++) {
		const char *kind = plant_kinds[(i * 7 + k) % NPLANT_KINDS];
		pp->want = strcmp(kind, "homoglyph-idn") == 0 ? "homoglyph" : kind;
		pp->idn = strcmp(kind, "homoglyph-idn") == 0;
		pp->n = 0;
		if (ssr_names_permute(g->nm, dom, SSR_NAMES_ALL, perm_collect, pp, NULL) !=
		    SSR_EOK) {
			pp->n = 0; /* nothing to pick from: the brand gets no plant of this kind */
		}
		for (unsigned tries = 0; pp->n > 0 && tries < 16; tries++) {
			const char *c = pp->pick[ssr_rng_below(&g->r, (unsigned)pp->n)];
			const char *dot = strchr(c, '.');
			if (!dot || ssr_names_is_brand(g->nm, c, (size_t)(dot - c)) ||
			    matches(g->nm, c, g->forms[i]) > 0) {
				continue; /* another brand's label, or it imitates another brand too
				           */
			}
			if (!take(g, c, (size_t)(dot - c), &rc)) {
				if (rc != SSR_EOK) {
					return rc;
				}
				continue;
			}
			plant(g, c, i, pp->want, false);
			break;
		}
	}
	return SSR_EOK;
}

/* Does name match brand own by its token and no other brand? */
typedef struct {
	const char *own;
	bool token, other;
} tok_t;

static int token_of(const ssr_names_subject_t *s, const ssr_names_match_t *m, void *ctx)
{
	tok_t *t = ctx;
	(void)s;
	if (strcmp(m->brand, t->own) == 0) {
		t->token = (m->kinds & SSR_NAMES_TOKEN) != 0;
	} else {
		t->other = true;
	}
	return SSR_EOK;
}

/* Phase 2, per brand: near misses that imitate no brand (two letters replaced far apart by
 * letters with no look-alike fold), or the brand run into letters that are not words (a token
 * look-alike of the brand and of no other). */
static int make_innocents(ngen_t *g, unsigned i)
{
	int rc = SSR_EOK;
	const char *label = g->labels[i];
	size_t n = strlen(label);
	for (unsigned k = 0; k < g->o.innocents; k++) {
		char lab[GEN_LABEL_MAX + 1];
		for (unsigned tries = 0; tries < 32; tries++) {
			if ((k + tries) % 2 == 0 && n >= 6) {
				static const char safe[] = "bfgkpstxz";
				memcpy(lab, label, n + 1);
				size_t a = ssr_rng_below(&g->r, (unsigned)(n - 3));
				size_t b = a + 3 + ssr_rng_below(&g->r, (unsigned)(n - a - 3));
				char ca = safe[ssr_rng_below(&g->r, sizeof safe - 1)];
				char cb = safe[ssr_rng_below(&g->r, sizeof safe - 1)];
				if (ca == lab[a] || cb == lab[b]) {
					continue;
				}
				lab[a] = ca;
				lab[b] = cb;
			} else {
				static const char odd[] = "qxzj";
				/* drawn last letter first: the order GCC evaluated them in when
				 * they were the arguments of one call (unspecified in C), so the
				 * zones stay as they were, and now defined */
				char c4 = odd[ssr_rng_below(&g->r, 4)];
				char c3 = odd[ssr_rng_below(&g->r, 4)];
				char c2 = odd[ssr_rng_below(&g->r, 4)];
				char c1 = odd[ssr_rng_below(&g->r, 4)];
				snprintf(lab, sizeof lab, "%c%c%s%c%c", c1, c2, label, c3, c4);
			}
			bool wrapped = !((k + tries) % 2 == 0 && n >= 6);
			char name[GEN_NAME_MAX + 1];
			snprintf(name, sizeof name, "%s.%s", lab, g->tld);
			tok_t t = {g->forms[i], false, false};
			if (wrapped) {
				if (ssr_names_check(g->nm, name, strlen(name), token_of, &t, NULL) <
				        0 ||
				    !t.token || t.other) {
					continue;
				}
			} else if (matches(g->nm, name, NULL) > 0) {
				continue;
			}
			if (!take(g, lab, strlen(lab), &rc)) {
				if (rc != SSR_EOK) {
					return rc;
				}
				continue;
			}
			plant(g, name, i, wrapped ? "token" : "near-miss", !wrapped);
			break;
		}
	}
	return SSR_EOK;
}

/* Phase 2: per brand, its own delegation or its TLD swap, its look-alikes and innocents. */
static int make_plants(ngen_t *g)
{
	for (unsigned i = 0; i < g->o.brands; i++) {
		char dom[GEN_NAME_MAX + 1];
		snprintf(dom, sizeof dom, "%s.%s", g->labels[i], g->tld);
		size_t want = g->o.plants + g->o.innocents + 2;
		if (ssr_grow((void **)&g->plants, &g->pcap, g->np + want, sizeof *g->plants) !=
		    SSR_EOK) {
			return ssr_diag_set(g->diag, SSR_ENOMEM, "gen names: out of memory");
		}
		unsigned form = i % 20;
		if (form == 3) { /* the owner's own delegation */
			plant(g, dom, i, "own-domain", true);
		} else if (form % 5 == 1) { /* listed under another TLD: this one is a swap */
			plant(g, dom, i, "tld-swap", false);
		}
		int rc = make_lookalikes(g, i, dom);
		if (rc == SSR_EOK) {
			rc = make_innocents(g, i);
		}
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	return SSR_EOK;
}

/* A filler label: pronounceable, sometimes with a digit, not taken, not written before, and
 * imitating no brand (fset: open addressing over the labels' hashes). */
static void filler(ngen_t *g, uint64_t *fset, size_t fcap, char *name, size_t cap)
{
	char lab[GEN_LABEL_MAX + 1];
	for (;;) {
		pronounceable(&g->r, lab, 4, 14);
		if (ssr_rng_below(&g->r, 8) == 0) {
			size_t n = strlen(lab);
			lab[n] = (char)('0' + ssr_rng_below(&g->r, 10));
			lab[n + 1] = '\0';
		}
		snprintf(name, cap, "%s.%s", lab, g->tld);
		if (ssr_strmap_find(&g->used, lab, strlen(lab))) {
			continue;
		}
		uint64_t h = ssr_hash64(lab, strlen(lab)) | 1, mask = fcap - 1;
		size_t at = (size_t)(h & mask);
		while (fset[at] != 0 && fset[at] != h) {
			at = (at + 1) & mask;
		}
		if (fset[at] == h || matches(g->nm, name, NULL) > 0) {
			continue; /* written already, or it imitates a brand */
		}
		fset[at] = h;
		return;
	}
}

/* Phase 3: the brands file, the truth, and the zone: filler delegations with the plants mixed
 * in at random places. */
static int write_files(ngen_t *g, FILE *fb, FILE *fz, FILE *ft)
{
	const char *tld = g->tld;
	fprintf(fb, "# protected names generated by ssrwatch gen names (seed %llu)\n",
	        (unsigned long long)g->o.seed);
	for (unsigned i = 0; i < g->o.brands; i++) {
		fprintf(fb, "%s\n", g->forms[i]);
	}
	fprintf(ft, "domain,brand,kind,expect\n");
	for (size_t i = 0; i < g->np; i++) {
		const plant_t *p = &g->plants[i];
		fprintf(ft, "%s,%s,%s,%s\n", p->name, p->brand, p->kind,
		        p->innocent ? "innocent" : "match");
	}
	fprintf(fz,
	        "$TTL 86400\n%s. 86400 IN SOA a.nic.%s. hostmaster.nic.%s. 2026112300 1800 900 "
	        "604800 86400\n%s. 86400 IN NS a.nic.%s.\n%s. 86400 IN NS b.nic.%s.\n",
	        tld, tld, tld, tld, tld, tld, tld);
	size_t fcap = 1024;
	while (fcap < g->o.delegations * 2) {
		fcap <<= 1;
	}
	uint64_t *fset = calloc(fcap, sizeof *fset);
	if (!fset) {
		return ssr_diag_set(g->diag, SSR_ENOMEM, "gen names: out of memory");
	}
	uint64_t left = g->o.delegations, pleft = g->np;
	size_t pi = 0;
	while (left > 0 || pleft > 0) {
		char name[GEN_NAME_MAX + 1];
		bool pl = pleft > 0 &&
		          (left == 0 || ssr_rng_below(&g->r, (unsigned)(left / pleft + 1)) == 0);
		if (pl) {
			snprintf(name, sizeof name, "%s", g->plants[pi++].name);
			pleft--;
		} else {
			filler(g, fset, fcap, name, sizeof name);
			left--;
		}
		unsigned h = ssr_rng_below(&g->r, 5000);
		fprintf(fz, "%s. 86400 IN NS ns1.dns%u.net.\n%s. 86400 IN NS ns2.dns%u.net.\n",
		        name, h, name, h);
	}
	free(fset);
	return SSR_EOK;
}

int ssr_names_gen(const ssr_names_gen_opts_t *opts, const char *brands_path, const char *zone_path,
                  const char *truth_path, ssr_diag_t *diag)
{
	ngen_t g = {.o = *opts, .diag = diag};
	g.tld = g.o.tld ? g.o.tld : "com";
	g.other_tld = strcmp(g.tld, "net") == 0 ? "org" : "net";
	if (g.o.brands == 0) {
		g.o.brands = 100;
	}
	g.r = (ssr_rng_t){g.o.seed * 0x2545f4914f6cdd1dULL + 7};
	ssr_names_opts_t no = {.psl = g.o.psl};
	g.labels = calloc(g.o.brands, sizeof *g.labels);
	g.forms = calloc(g.o.brands, sizeof *g.forms);
	g.pp.cap = 4096;
	g.pp.pick = malloc(g.pp.cap * sizeof *g.pp.pick);
	FILE *fb = NULL, *fz = NULL, *ft = NULL;
	int rc = ssr_names_new(&no, &g.nm, diag);
	if (rc == SSR_EOK &&
	    (!g.labels || !g.forms || !g.pp.pick || ssr_strmap_init(&g.used, 1 << 16) != SSR_EOK)) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "gen names: out of memory");
	}
	if (rc == SSR_EOK) {
		rc = make_brands(&g);
	}
	if (rc == SSR_EOK) {
		rc = make_plants(&g);
	}
	if (rc == SSR_EOK) {
		fb = fopen(brands_path, "w");
		fz = fopen(zone_path, "w");
		ft = fopen(truth_path, "w");
		if (!fb || !fz || !ft) {
			rc = ssr_diag_set(diag, SSR_EIO, "gen names: cannot write '%s'",
			                  !fb   ? brands_path
			                  : !fz ? zone_path
			                        : truth_path);
		}
	}
	if (rc == SSR_EOK) {
		rc = write_files(&g, fb, fz, ft);
	}
	if (rc == SSR_EOK && (ferror(fz) || ferror(fb) || ferror(ft))) {
		rc = ssr_diag_set(diag, SSR_EIO, "gen names: write error");
	}
	if (fb && fclose(fb) != 0 && rc == SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "gen names: cannot write '%s'", brands_path);
	}
	if (fz && fclose(fz) != 0 && rc == SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "gen names: cannot write '%s'", zone_path);
	}
	if (ft && fclose(ft) != 0 && rc == SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "gen names: cannot write '%s'", truth_path);
	}
	free(g.pp.pick);
	free(g.plants);
	free(g.labels);
	free(g.forms);
	ssr_strmap_release(&g.used);
	ssr_names_free(g.nm);
	return rc;
}
