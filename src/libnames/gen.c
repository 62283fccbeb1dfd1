/* libnames: a deterministic zone with planted look-alikes of generated brands, and its truth,
 * for tests and benchmarks.
 *
 * Brands are pronounceable labels; a fifth are listed as domains under another TLD (their
 * label in this zone is then a tld-swap) and a twentieth as domains in this zone (their own
 * delegation must not be reported).  Look-alikes are drawn from ssr_names_permute's output for
 * the brand, one kind after another.  Innocents are near misses of their brand (two letters
 * replaced far apart; the brand between letters that are not words) that imitate no other
 * brand.  Filler names are random and imitate no brand (drawn again when they do). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names_priv.h"
#include "ssrwatch/rng.h"

static const char *const plant_kinds[] = {
    "homoglyph",     "omission",   "insertion",   "repetition", "addition",   "replacement",
    "transposition", "vowel-swap", "hyphenation", "bitsquat",   "combosquat", "homoglyph-idn"};
#define NPLANT_KINDS (sizeof plant_kinds / sizeof plant_kinds[0])

typedef struct {
	char name[NAMES_NAME_MAX + 1];
	char brand[NAMES_NAME_MAX + 1];
	char kind[24];
	bool innocent;
} plant_t;

typedef struct {
	const char *want;
	bool idn;
	char (*pick)[NAMES_NAME_MAX + 1];
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
	snprintf(pp->pick[pp->n++], NAMES_NAME_MAX + 1, "%s", domain);
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
	if (own) {
		ssr_names_check(nm, name, strlen(name), count_other, &o, NULL);
		return o.other;
	}
	ssr_names_check(nm, name, strlen(name), count_match, &n, NULL);
	return n;
}

int ssr_names_gen(const ssr_names_gen_opts_t *opts, const char *brands_path, const char *zone_path,
                  const char *truth_path, ssr_diag_t *diag)
{
	ssr_names_gen_opts_t o = *opts;
	const char *tld = o.tld ? o.tld : "com";
	const char *other_tld = strcmp(tld, "net") == 0 ? "org" : "net";
	if (o.brands == 0) {
		o.brands = 100;
	}
	ssr_rng_t r = {o.seed * 0x2545f4914f6cdd1dULL + 7};
	ssr_names_opts_t no = {.psl = o.psl};
	ssr_names_t *nm = NULL;
	ssr_strmap_t used = {0};
	uint64_t *fset = NULL; /* filler names already written (hashes) */
	size_t fcap = 0;
	plant_t *plants = NULL;
	size_t np = 0, pcap = 0;
	FILE *fb = NULL, *fz = NULL, *ft = NULL;
	char(*labels)[24] = calloc(o.brands, sizeof *labels);
	char(*forms)[40] = calloc(o.brands, sizeof *forms);
	perm_pick_t pp = {.cap = 4096};
	pp.pick = malloc(pp.cap * sizeof *pp.pick);
	int rc = ssr_names_new(&no, &nm, diag);
	if (rc != SSR_EOK) {
		goto done;
	}
	if (!labels || !forms || !pp.pick || ssr_strmap_init(&used, 1 << 16) != SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "gen names: out of memory");
		goto done;
	}
	/* brands */
	for (unsigned i = 0; i < o.brands; i++) {
		for (;;) {
			pronounceable(&r, labels[i], 6, 11);
			ssr_strmap_entry_t *e;
			bool ins;
			if (names_is_word(nm, labels[i], strlen(labels[i]))) {
				continue;
			}
			if (ssr_strmap_upsert(&used, labels[i], strlen(labels[i]), &e, &ins) !=
			    SSR_EOK) {
				rc = ssr_diag_set(diag, SSR_ENOMEM, "gen names: out of memory");
				goto done;
			}
			if (ins) {
				break;
			}
		}
		unsigned form = i % 20;
		if (form == 3) {
			snprintf(forms[i], sizeof forms[i], "%s.%s", labels[i], tld);
		} else if (form % 5 == 1) {
			snprintf(forms[i], sizeof forms[i], "%s.%s", labels[i], other_tld);
		} else {
			snprintf(forms[i], sizeof forms[i], "%s", labels[i]);
		}
		bool added;
		rc = ssr_names_add_brand(nm, forms[i], strlen(forms[i]), &added, diag);
		if (rc != SSR_EOK) {
			goto done;
		}
	}
	rc = ssr_names_build(nm, diag);
	if (rc != SSR_EOK) {
		goto done;
	}
	/* plants and innocents */
	for (unsigned i = 0; i < o.brands; i++) {
		char dom[NAMES_NAME_MAX + 1];
		snprintf(dom, sizeof dom, "%s.%s", labels[i], tld);
		size_t want = o.plants + o.innocents + 2;
		if (ssr_grow((void **)&plants, &pcap, np + want, sizeof *plants) != SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "gen names: out of memory");
			goto done;
		}
		unsigned form = i % 20;
		if (form == 3) { /* the owner's own delegation */
			plant_t *p = &plants[np++];
			snprintf(p->name, sizeof p->name, "%s", dom);
			snprintf(p->brand, sizeof p->brand, "%s", forms[i]);
			snprintf(p->kind, sizeof p->kind, "own-domain");
			p->innocent = true;
		} else if (form % 5 == 1) { /* listed under another TLD: this one is a swap */
			plant_t *p = &plants[np++];
			snprintf(p->name, sizeof p->name, "%s", dom);
			snprintf(p->brand, sizeof p->brand, "%s", forms[i]);
			snprintf(p->kind, sizeof p->kind, "tld-swap");
			p->innocent = false;
		}
		for (unsigned k = 0; k < o.plants; k++) {
			const char *kind = plant_kinds[(i * 7 + k) % NPLANT_KINDS];
			pp.want = strcmp(kind, "homoglyph-idn") == 0 ? "homoglyph" : kind;
			pp.idn = strcmp(kind, "homoglyph-idn") == 0;
			pp.n = 0;
			ssr_names_permute(nm, dom, SSR_NAMES_ALL, perm_collect, &pp, NULL);
			for (unsigned tries = 0; pp.n > 0 && tries < 16; tries++) {
				const char *c = pp.pick[ssr_rng_below(&r, (unsigned)pp.n)];
				const char *dot = strchr(c, '.');
				ssr_strmap_entry_t *e;
				bool ins;
				if (!dot ||
				    ssr_strmap_find(&nm->brand_keys, c, (size_t)(dot - c)) ||
				    matches(nm, c, forms[i]) > 0) {
					continue; /* another brand's label, or it imitates another
					             brand too */
				}
				if (ssr_strmap_upsert(&used, c, (size_t)(dot - c), &e, &ins) !=
				    SSR_EOK) {
					rc = ssr_diag_set(diag, SSR_ENOMEM,
					                  "gen names: out of memory");
					goto done;
				}
				if (!ins) {
					continue;
				}
				plant_t *p = &plants[np++];
				snprintf(p->name, sizeof p->name, "%s", c);
				snprintf(p->brand, sizeof p->brand, "%s", forms[i]);
				snprintf(p->kind, sizeof p->kind, "%s", pp.want);
				p->innocent = false;
				break;
			}
		}
		for (unsigned k = 0; k < o.innocents; k++) {
			char lab[NAMES_LABEL_MAX + 1];
			size_t n = strlen(labels[i]);
			for (unsigned tries = 0; tries < 32; tries++) {
				if ((k + tries) % 2 == 0 && n >= 6) {
					/* two letters replaced, far apart, by letters with no
					 * look-alike fold */
					static const char safe[] = "bfgkpstxz";
					memcpy(lab, labels[i], n + 1);
					size_t a = ssr_rng_below(&r, (unsigned)(n - 3));
					size_t b = a + 3 + ssr_rng_below(&r, (unsigned)(n - a - 3));
					char ca = safe[ssr_rng_below(&r, sizeof safe - 1)];
					char cb = safe[ssr_rng_below(&r, sizeof safe - 1)];
					if (ca == lab[a] || cb == lab[b]) {
						continue;
					}
					lab[a] = ca;
					lab[b] = cb;
				} else {
					/* the brand run into letters that are not words */
					static const char odd[] = "qxzj";
					snprintf(lab, sizeof lab, "%c%c%s%c%c",
					         odd[ssr_rng_below(&r, 4)],
					         odd[ssr_rng_below(&r, 4)], labels[i],
					         odd[ssr_rng_below(&r, 4)],
					         odd[ssr_rng_below(&r, 4)]);
				}
				char name[NAMES_NAME_MAX + 1];
				snprintf(name, sizeof name, "%s.%s", lab, tld);
				ssr_strmap_entry_t *e;
				bool ins;
				if (matches(nm, name, forms[i]) > 0) {
					continue;
				}
				if (ssr_strmap_upsert(&used, lab, strlen(lab), &e, &ins) !=
				    SSR_EOK) {
					rc = ssr_diag_set(diag, SSR_ENOMEM,
					                  "gen names: out of memory");
					goto done;
				}
				if (!ins) {
					continue;
				}
				plant_t *p = &plants[np++];
				snprintf(p->name, sizeof p->name, "%s", name);
				snprintf(p->brand, sizeof p->brand, "%s", forms[i]);
				snprintf(p->kind, sizeof p->kind, "near-miss");
				p->innocent = true;
				break;
			}
		}
	}
	fb = fopen(brands_path, "w");
	fz = fopen(zone_path, "w");
	ft = fopen(truth_path, "w");
	if (!fb || !fz || !ft) {
		rc = ssr_diag_set(diag, SSR_EIO, "gen names: cannot write '%s'",
		                  !fb   ? brands_path
		                  : !fz ? zone_path
		                        : truth_path);
		goto done;
	}
	fprintf(fb, "# protected names generated by ssrwatch gen names (seed %llu)\n",
	        (unsigned long long)o.seed);
	for (unsigned i = 0; i < o.brands; i++) {
		fprintf(fb, "%s\n", forms[i]);
	}
	fprintf(ft, "domain,brand,kind,expect\n");
	for (size_t i = 0; i < np; i++) {
		fprintf(ft, "%s,%s,%s,%s\n", plants[i].name, plants[i].brand, plants[i].kind,
		        plants[i].innocent ? "innocent" : "match");
	}
	fprintf(fz,
	        "$TTL 86400\n%s. 86400 IN SOA a.nic.%s. hostmaster.nic.%s. 2026112300 1800 900 "
	        "604800 86400\n%s. 86400 IN NS a.nic.%s.\n%s. 86400 IN NS b.nic.%s.\n",
	        tld, tld, tld, tld, tld, tld, tld);
	fcap = 1024;
	while (fcap < o.delegations * 2) {
		fcap <<= 1;
	}
	fset = calloc(fcap, sizeof *fset);
	if (!fset) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "gen names: out of memory");
		goto done;
	}
	uint64_t left = o.delegations, pleft = np;
	size_t pi = 0;
	while (left > 0 || pleft > 0) {
		char name[NAMES_NAME_MAX + 1];
		bool plant = pleft > 0 &&
		             (left == 0 || ssr_rng_below(&r, (unsigned)(left / pleft + 1)) == 0);
		if (plant) {
			snprintf(name, sizeof name, "%s", plants[pi++].name);
			pleft--;
		} else {
			char lab[NAMES_LABEL_MAX + 1];
			for (;;) {
				pronounceable(&r, lab, 4, 14);
				if (ssr_rng_below(&r, 8) == 0) {
					size_t n = strlen(lab);
					lab[n] = (char)('0' + ssr_rng_below(&r, 10));
					lab[n + 1] = '\0';
				}
				snprintf(name, sizeof name, "%s.%s", lab, tld);
				if (ssr_strmap_find(&used, lab, strlen(lab))) {
					continue;
				}
				uint64_t h = ssr_hash64(lab, strlen(lab)) | 1, mask = fcap - 1;
				size_t at = (size_t)(h & mask);
				while (fset[at] != 0 && fset[at] != h) {
					at = (at + 1) & mask;
				}
				if (fset[at] == h || matches(nm, name, NULL) > 0) {
					continue; /* written already, or it imitates a brand */
				}
				fset[at] = h;
				break;
			}
			left--;
		}
		unsigned h = ssr_rng_below(&r, 5000);
		fprintf(fz, "%s. 86400 IN NS ns1.dns%u.net.\n%s. 86400 IN NS ns2.dns%u.net.\n",
		        name, h, name, h);
	}
	if (ferror(fz) || ferror(fb) || ferror(ft)) {
		rc = ssr_diag_set(diag, SSR_EIO, "gen names: write error");
	}
done:
	if (fb && fclose(fb) != 0 && rc == SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "gen names: cannot write '%s'", brands_path);
	}
	if (fz && fclose(fz) != 0 && rc == SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "gen names: cannot write '%s'", zone_path);
	}
	if (ft && fclose(ft) != 0 && rc == SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "gen names: cannot write '%s'", truth_path);
	}
	free(pp.pick);
	free(plants);
	free(labels);
	free(forms);
	ssr_strmap_release(&used);
	free(fset);
	ssr_names_free(nm);
	return rc;
}
