/* libgen: host names shaped the way phishing names them (issue 25), with the truth, for the
 * recall and false-positive figures of names check.
 *
 * The brands are the 17 that real phishing lists name most (paypal, apple, amazon, ...) and
 * common-word brands (chase, office, target, delta, orange).  Each shape is written the way
 * the examples from a public phishing list are: the brand inside a label of a hosting
 * or dynamic-DNS user ("appleaccounthelp.sytes.net"), below such a label, below a throwaway
 * registered domain ("account-amazon-updata-openid-senter-error.pgdfss.com"), glued to words,
 * digits or country codes in the registered label ("accesspaypalinformation.com",
 * "paypa1fr.com"), in leet, with a capital I for l ("appIe.com.se"), a common-word brand with
 * its own TLD beside it ("b-chase-com-515be.firebaseapp.com") or with a lure word.  Plants are
 * not run through the detector: the truth says what a reader of the name sees, so the recall
 * measured on it is the detector's.  Innocents are common-word brands inside ordinary words
 * with no lure ("acmeofficesupply.com", "purchase", "snapple"); benign names are random word
 * compounds from a dictionary, for the false-positive rate. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/names.h"
#include "ssrwatch/namesgen.h"
#include "ssrwatch/rng.h"

#define WORD_MIN  3
#define WORD_MAX  9
#define DICT_CAP  (64u << 20) /* bytes read from the word list at most */
#define DICT_NEED 1000
#define HOST_MAX  253

typedef struct {
	const char *domain; /* as listed */
	const char *label;
	const char *tld; /* the brand's own TLD's last label */
} pbrand_t;

static const pbrand_t pbrands[] = {
    {"paypal.com", "paypal", "com"},
    {"apple.com", "apple", "com"},
    {"amazon.com", "amazon", "com"},
    {"facebook.com", "facebook", "com"},
    {"icloud.com", "icloud", "com"},
    {"netflix.com", "netflix", "com"},
    {"microsoft.com", "microsoft", "com"},
    {"instagram.com", "instagram", "com"},
    {"wellsfargo.com", "wellsfargo", "com"},
    {"google.com", "google", "com"},
    {"dropbox.com", "dropbox", "com"},
    {"linkedin.com", "linkedin", "com"},
    {"outlook.com", "outlook", "com"},
    {"yahoo.com", "yahoo", "com"},
    {"steamcommunity.com", "steamcommunity", "com"},
    {"adobe.com", "adobe", "com"},
    {"bankofamerica.com", "bankofamerica", "com"},
    {"chase.com", "chase", "com"},
    {"office.com", "office", "com"},
    {"target.com", "target", "com"},
    {"delta.com", "delta", "com"},
    {"orange.fr", "orange", "fr"},
};
#define NBRANDS (sizeof pbrands / sizeof pbrands[0])

/* Hosting, site-builder and dynamic-DNS suffixes; the ones the PSL (or the shipped list) does
 * not confirm on this machine are left out. */
static const char *const providers[] = {
    "blogspot.com",      "firebaseapp.com",   "sytes.net",   "github.io",
    "herokuapp.com",     "netlify.app",       "web.app",     "duckdns.org",
    "ddns.net",          "wixsite.com",       "appspot.com", "glitch.me",
    "pages.dev",         "vercel.app",        "no-ip.org",   "hopto.org",
    "000webhostapp.com", "weebly.com",        "webflow.io",  "editor.multiscreensite.com",
    "godaddysites.com",  "azurewebsites.net",
};
#define NPROV (sizeof providers / sizeof providers[0])

static const char *const lures[] = {"login",   "account", "secure",   "verify",  "support",
                                    "update",  "billing", "signin",   "help",    "service",
                                    "confirm", "alert",   "recovery", "payment", "wallet"};
static const char *const ccs[] = {"fr", "de", "uk", "us", "it", "es", "br", "mx", "ca", "au"};
static const char *const tlds[] = {"com", "net", "org", "info", "xyz", "top", "online", "site"};
static const char *const benign_tlds[] = {"com",   "com", "com", "net",  "org", "de",
                                          "co.uk", "fr",  "io",  "info", "nl",  "com.au"};
static const char *const benign_subs[] = {"www", "mail", "shop", "blog", "app", "cdn"};

typedef struct {
	ssr_names_hosts_opts_t o;
	ssr_rng_t r;
	ssr_names_t *nm; /* only for which brands are common words (the library's rule) */
	char *dict;
	const char **words; /* every usable word */
	const char **plain; /* words that hold no brand label and no lure */
	size_t nwords, nplain;
	const char *prov[NPROV];
	size_t nprov;
	bool common[NBRANDS];
	FILE *fh, *ft;
	ssr_diag_t *diag;
} pgen_t;

static const char *pick(pgen_t *g, const char *const *a, size_t n)
{
	return a[ssr_rng_below(&g->r, (unsigned)n)];
}
#define PICK(g, a) pick((g), (a), sizeof(a) / sizeof((a)[0]))

static const char *plain_word(pgen_t *g)
{
	return g->plain[ssr_rng_below(&g->r, (unsigned)g->nplain)];
}

static bool holds_brand(const char *w)
{
	for (size_t i = 0; i < NBRANDS; i++) {
		if (strstr(w, pbrands[i].label)) {
			return true;
		}
	}
	return false;
}

/* Does w hold the token of a brand that is not a common word? */
static bool holds_distinctive(const pgen_t *g, const char *w)
{
	for (size_t i = 0; i < NBRANDS; i++) {
		if (!g->common[i] && strstr(w, pbrands[i].label)) {
			return true;
		}
	}
	return false;
}

/* The word list: lowercase ASCII words of WORD_MIN..WORD_MAX letters, in file order. */
static int load_dict(pgen_t *g)
{
	const char *path = g->o.dict ? g->o.dict : "/usr/share/dict/words";
	FILE *f = fopen(path, "rb");
	if (!f) {
		return ssr_diag_set(g->diag, errno == ENOENT ? SSR_ENOTFOUND : SSR_EIO,
		                    "gen names: word list '%s': %s (Debian: wamerican)", path,
		                    strerror(errno));
	}
	g->dict = malloc(DICT_CAP + 1);
	if (!g->dict) {
		fclose(f);
		return ssr_diag_set(g->diag, SSR_ENOMEM, "gen names: out of memory");
	}
	size_t n = fread(g->dict, 1, DICT_CAP, f);
	bool err = ferror(f) != 0;
	fclose(f);
	if (err) {
		return ssr_diag_set(g->diag, SSR_EIO, "gen names: word list '%s': read error",
		                    path);
	}
	g->dict[n] = '\0';
	size_t lines = 1;
	for (size_t i = 0; i < n; i++) {
		lines += g->dict[i] == '\n';
	}
	g->words = malloc(lines * sizeof *g->words);
	g->plain = malloc(lines * sizeof *g->plain);
	if (!g->words || !g->plain) {
		return ssr_diag_set(g->diag, SSR_ENOMEM, "gen names: out of memory");
	}
	for (char *p = g->dict; *p;) {
		char *e = strchr(p, '\n');
		if (e) {
			*e = '\0';
		}
		size_t l = strlen(p), k = 0;
		while (k < l && p[k] >= 'a' && p[k] <= 'z') {
			k++;
		}
		if (k == l && l >= WORD_MIN && l <= WORD_MAX) {
			g->words[g->nwords++] = p;
			if (!holds_brand(p) && !ssr_names_has_lure(p)) {
				g->plain[g->nplain++] = p;
			}
		}
		if (!e) {
			break;
		}
		p = e + 1;
	}
	if (g->nplain < DICT_NEED) {
		return ssr_diag_set(
		    g->diag, SSR_EPARSE,
		    "gen names: word list '%s': %zu usable words (lowercase, %d to %d "
		    "letters), needs %d",
		    path, g->nplain, WORD_MIN, WORD_MAX, DICT_NEED);
	}
	return SSR_EOK;
}

static void put(pgen_t *g, const char *host, size_t brand, const char *shape, const char *kinds,
                const char *position, const char *provider, const char *expect)
{
	fprintf(g->fh, "%s\n", host);
	fprintf(g->ft, "%s,%s,%s,%s,%s,%s,%s\n", host, brand < NBRANDS ? pbrands[brand].domain : "",
	        shape, kinds, position, provider ? provider : "", expect);
}

static void digits(pgen_t *g, char *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[i] = (char)('0' + ssr_rng_below(&g->r, 10));
	}
	out[n] = '\0';
}

/* Random consonant-heavy letters: a throwaway registered label ("pgdfss"). */
static void throwaway(pgen_t *g, char *out)
{
	static const char let[] = "bcdfghjklmnpqrstvwxz";
	size_t n = 5 + ssr_rng_below(&g->r, 4);
	for (size_t i = 0; i < n; i++) {
		out[i] = let[ssr_rng_below(&g->r, sizeof let - 1)];
	}
	out[n] = '\0';
}

/* The brand glued into a label the way the examples do: lure and plain words, digits and
 * hyphens around it.  A common-word brand always gets a lure. */
static void compose(pgen_t *g, size_t b, const char *brand, char *out, size_t cap)
{
	char d[8];
	digits(g, d, 1 + ssr_rng_below(&g->r, 3));
	const char *lure = PICK(g, lures);
	const char *w = plain_word(g);
	bool common = g->common[b];
	switch (ssr_rng_below(&g->r, 6)) {
	case 0:
		snprintf(out, cap, "%s%s%s", brand, lure, w); /* appleaccounthelp */
		break;
	case 1:
		snprintf(out, cap, "%s-%s-%s", lure, brand, d); /* login-paypal-42 */
		break;
	case 2:
		snprintf(out, cap, "%s%s%s", d, brand, lure); /* 2018microsoftupdate */
		break;
	case 3:
		snprintf(out, cap, "%s-%s-%s-%s", lure, brand, common ? lure : w, w);
		break;
	case 4:
		snprintf(out, cap, "%s%s%s", common ? lure : w, brand,
		         w); /* accesspaypalinformation */
		break;
	default:
		snprintf(out, cap, "%s%s-%s", brand, lure, d);
		break;
	}
}

/* Leet: one or two letters of the brand as the digits that look like them. */
static bool leet(pgen_t *g, const char *brand, char *out, size_t cap)
{
	static const char from[] = "olesatb", to[] = "0135478";
	size_t n = strlen(brand), at[32], na = 0;
	if (n + 1 > cap) {
		return false;
	}
	memcpy(out, brand, n + 1);
	for (size_t i = 0; i < n && na < 32; i++) {
		if (strchr(from, brand[i])) {
			at[na++] = i;
		}
	}
	if (na == 0) {
		return false;
	}
	unsigned k = 1 + (na > 2 ? ssr_rng_below(&g->r, 2) : 0);
	for (unsigned j = 0; j < k; j++) {
		size_t i = at[ssr_rng_below(&g->r, (unsigned)na)];
		char c = (char)(strchr(from, out[i]) ? to[strchr(from, out[i]) - from] : out[i]);
		out[i] = c;
	}
	return strcmp(out, brand) != 0;
}

static size_t pick_brand(pgen_t *g, bool distinctive)
{
	for (;;) {
		size_t b = ssr_rng_below(&g->r, NBRANDS);
		if (!distinctive || !g->common[b]) {
			return b;
		}
	}
}

static void shapes(pgen_t *g)
{
	char host[HOST_MAX + 64], lab[128], lab2[128], t[16], d[8];
	for (unsigned i = 0; i < g->o.per_shape; i++) {
		/* provider-user: appleaccounthelp.sytes.net */
		size_t b = i % NBRANDS;
		const char *pv = g->prov[ssr_rng_below(&g->r, (unsigned)g->nprov)];
		compose(g, b, pbrands[b].label, lab, sizeof lab);
		snprintf(host, sizeof host, "%s.%s", lab, pv);
		put(g, host, b, "provider-user", "token|combosquat", "registered", pv, "match");

		/* provider-deep: secure-paypal-login.ab12cd.000webhostapp.com */
		b = (i + 5) % NBRANDS;
		pv = g->prov[ssr_rng_below(&g->r, (unsigned)g->nprov)];
		compose(g, b, pbrands[b].label, lab, sizeof lab);
		digits(g, d, 3);
		snprintf(host, sizeof host, "%s.%s%s.%s", lab, plain_word(g), d, pv);
		put(g, host, b, "provider-deep", "token|subdomain", "subdomain", pv, "match");

		/* throwaway-sub: account-amazon-updata-openid-senter-error.pgdfss.com */
		b = (i + 9) % NBRANDS;
		compose(g, b, pbrands[b].label, lab, sizeof lab);
		throwaway(g, t);
		snprintf(host, sizeof host, "%s.%s.%s", lab, t, PICK(g, tlds));
		put(g, host, b, "throwaway-sub", "token|subdomain", "subdomain", NULL, "match");

		/* glued: paypalfr, 100-americaamazon-900, accesspaypalinformation (no lure) */
		b = pick_brand(g, true);
		digits(g, d, 3);
		switch (i % 4) {
		case 0:
			snprintf(lab, sizeof lab, "%s%s", pbrands[b].label, PICK(g, ccs));
			break;
		case 1:
			snprintf(lab, sizeof lab, "%s-%s%s-%s", d, plain_word(g), pbrands[b].label,
			         d);
			break;
		case 2:
			snprintf(lab, sizeof lab, "%s%s%s", plain_word(g), pbrands[b].label,
			         plain_word(g));
			break;
		default:
			snprintf(lab, sizeof lab, "1%s-1%s-1%s", plain_word(g), pbrands[b].label,
			         plain_word(g));
			break;
		}
		snprintf(host, sizeof host, "%s.%s", lab, PICK(g, tlds));
		put(g, host, b, "glued", "token|combosquat", "registered", NULL, "match");

		/* leet: paypa1fr.com, micr0soft-0utlook-verify.com, below a provider too */
		b = pick_brand(g, true);
		if (leet(g, pbrands[b].label, lab2, sizeof lab2)) {
			if (i % 2 == 0) {
				snprintf(lab, sizeof lab, "%s%s", lab2, PICK(g, ccs));
				snprintf(host, sizeof host, "%s.%s", lab, PICK(g, tlds));
				put(g, host, b, "leet", "token|homoglyph|combosquat", "registered",
				    NULL, "match");
			} else {
				digits(g, d, 4);
				pv = g->prov[ssr_rng_below(&g->r, (unsigned)g->nprov)];
				snprintf(host, sizeof host, "%s%s%s.%s", d, lab2, PICK(g, lures),
				         pv);
				put(g, host, b, "leet", "token|homoglyph|combosquat", "registered",
				    pv, "match");
			}
		}

		/* case: a capital I for an l, as written: appIe.com.se, PaypaI.net */
		do {
			b = ssr_rng_below(&g->r, NBRANDS);
		} while (!strchr(pbrands[b].label, 'l'));
		snprintf(lab, sizeof lab, "%s", pbrands[b].label);
		{
			char *l = strchr(lab, 'l');
			char *l2 = strrchr(lab, 'l');
			*(i % 2 ? l2 : l) = 'I';
		}
		static const char *const case_suffixes[] = {"com.se", "net", "co.uk", "org",
		                                            "info"};
		if (i % 3 == 2) { /* inside a longer label: "PaypaI-login-desk" */
			char whole[sizeof lab + 64];
			snprintf(whole, sizeof whole, "%s-%s-%s", lab, PICK(g, lures),
			         plain_word(g));
			snprintf(host, sizeof host, "%s.%s", whole, PICK(g, tlds));
			put(g, host, b, "case", "homoglyph|token", "registered", NULL, "match");
		} else {
			snprintf(host, sizeof host, "%s.%s", lab, PICK(g, case_suffixes));
			/* some of these suffixes are registries in the PSL's private section
			 * (com.se) */
			char pvs[HOST_MAX + 1], low[HOST_MAX + 1];
			size_t hl = strlen(host);
			for (size_t j = 0; j <= hl; j++) {
				low[j] = (char)(host[j] == 'I' ? 'i' : host[j]);
			}
			int pl = ssr_psl_private_suffix(g->o.psl, low, pvs, sizeof pvs);
			put(g, host, b, "case", "homoglyph", "registered", pl > 0 ? pvs : NULL,
			    "match");
		}

		/* brand-tld: b-chase-com-515be.pgdfss.com (a common-word brand, no lure) */
		do {
			b = ssr_rng_below(&g->r, NBRANDS);
		} while (!g->common[b]);
		static const char hex[] = "0123456789abcdef";
		char hx[6];
		for (int j = 0; j < 5; j++) {
			hx[j] = hex[ssr_rng_below(&g->r, 16)];
		}
		hx[5] = '\0';
		throwaway(g, t);
		snprintf(host, sizeof host, "%c-%s-%s-%s.%s.%s",
		         'a' + (int)ssr_rng_below(&g->r, 26), pbrands[b].label, pbrands[b].tld, hx,
		         t, PICK(g, tlds));
		put(g, host, b, "brand-tld", "token", "subdomain", NULL, "match");

		/* context: a common-word brand with a lure in the registered label */
		do {
			b = ssr_rng_below(&g->r, NBRANDS);
		} while (!g->common[b]);
		if (i % 2) {
			snprintf(lab, sizeof lab, "%s-%s-%s", pbrands[b].label, PICK(g, lures),
			         PICK(g, lures));
		} else {
			snprintf(lab, sizeof lab, "%s%s%s", PICK(g, lures), pbrands[b].label,
			         plain_word(g));
		}
		snprintf(host, sizeof host, "%s.%s", lab, PICK(g, tlds));
		put(g, host, b, "context", "token|combosquat", "registered", NULL, "match");
	}
}

/* Innocents: common-word brands inside ordinary words with no lure, the issue's own examples
 * first; then words of the dictionary that hold a common-word brand's token. */
static void innocents(pgen_t *g)
{
	static const char *const fixed[] = {
	    "acmeofficesupply.com", "purchase.com",    "snapple.com",      "pineapplefarm.net",
	    "targetpractice.org",   "deltafaucet.com", "orangecounty.org", "officers-club.org"};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		put(g, fixed[i], NBRANDS, "near-miss", "", "", NULL, "innocent");
	}
	char host[HOST_MAX + 64], lab[64];
	const char **elig = malloc(g->nwords * sizeof *elig);
	size_t ne = 0;
	for (size_t i = 0; elig && i < g->nwords; i++) {
		const char *w = g->words[i];
		bool common = false;
		for (size_t k = 0; k < NBRANDS; k++) {
			common |= g->common[k] && strstr(w, pbrands[k].label) &&
			          strcmp(w, pbrands[k].label) != 0;
		}
		if (common && !ssr_names_has_lure(w) && !holds_distinctive(g, w)) {
			elig[ne++] = w;
		}
	}
	unsigned made = 0;
	for (unsigned tries = 0; ne && made < g->o.per_shape && tries < 100 * g->o.per_shape;
	     tries++) {
		const char *w = elig[ssr_rng_below(&g->r, (unsigned)ne)];
		if (ssr_rng_below(&g->r, 2)) {
			snprintf(lab, sizeof lab, "%s%s", w, plain_word(g));
		} else {
			snprintf(lab, sizeof lab, "%s%s", plain_word(g), w);
		}
		if (ssr_names_has_lure(lab) || holds_distinctive(g, lab)) {
			continue; /* a lure or another brand where the two words meet */
		}
		snprintf(host, sizeof host, "%s.%s", lab, PICK(g, benign_tlds));
		put(g, host, NBRANDS, "near-miss", "", "", NULL, "innocent");
		made++;
	}
	free(elig);
}

/* Benign names: one to three dictionary words (any: the benign web has words that hold brand
 * tokens too), hyphens and digits sometimes, a subdomain sometimes, under ordinary suffixes and
 * now and then a provider. */
static void benign(pgen_t *g)
{
	char host[HOST_MAX + 64], lab[128];
	for (uint64_t i = 0; i < g->o.benign; i++) {
		unsigned nw = 1 + ssr_rng_below(&g->r, 3);
		size_t l = 0;
		for (unsigned j = 0; j < nw; j++) {
			const char *w = g->words[ssr_rng_below(&g->r, (unsigned)g->nwords)];
			bool hy = j > 0 && ssr_rng_below(&g->r, 4) == 0;
			l += (size_t)snprintf(lab + l, sizeof lab - l, "%s%s", hy ? "-" : "", w);
		}
		if (ssr_rng_below(&g->r, 8) == 0) {
			char d[4];
			digits(g, d, 1 + ssr_rng_below(&g->r, 2));
			snprintf(lab + l, sizeof lab - l, "%s", d);
		}
		unsigned where = ssr_rng_below(&g->r, 10);
		if (where == 0) {
			snprintf(host, sizeof host, "%s.%s", lab,
			         g->prov[ssr_rng_below(&g->r, (unsigned)g->nprov)]);
		} else if (where < 3) {
			snprintf(host, sizeof host, "%s.%s.%s", PICK(g, benign_subs), lab,
			         PICK(g, benign_tlds));
		} else {
			snprintf(host, sizeof host, "%s.%s", lab, PICK(g, benign_tlds));
		}
		put(g, host, NBRANDS, "benign", "", "", NULL, "benign");
	}
}

int ssr_names_gen_hosts(const ssr_names_hosts_opts_t *opts, const char *brands_path,
                        const char *hosts_path, const char *truth_path, ssr_diag_t *diag)
{
	pgen_t g = {.o = *opts, .diag = diag};
	if (g.o.per_shape == 0) {
		g.o.per_shape = 40;
	}
	g.r = (ssr_rng_t){g.o.seed * 0x9e3779b97f4a7c15ULL + 25};
	ssr_names_opts_t no = {.psl = g.o.psl};
	FILE *fb = NULL;
	int rc = ssr_names_new(&no, &g.nm, diag);
	if (rc == SSR_EOK) {
		rc = load_dict(&g);
	}
	for (size_t i = 0; rc == SSR_EOK && i < NBRANDS; i++) {
		g.common[i] = ssr_names_is_common(g.nm, pbrands[i].label, strlen(pbrands[i].label));
	}
	for (size_t i = 0; rc == SSR_EOK && i < NPROV; i++) {
		char host[HOST_MAX + 1], out[HOST_MAX + 1];
		snprintf(host, sizeof host, "user.%s", providers[i]);
		if (ssr_psl_private_suffix(g.o.psl, host, out, sizeof out) > 0 &&
		    strcmp(out, providers[i]) == 0) {
			g.prov[g.nprov++] = providers[i];
		}
	}
	if (rc == SSR_EOK && g.nprov == 0) {
		rc = ssr_diag_set(diag, SSR_EINVAL,
		                  "gen names: no provider suffix known (load the provider list)");
	}
	if (rc == SSR_EOK) {
		fb = fopen(brands_path, "w");
		g.fh = fopen(hosts_path, "w");
		g.ft = fopen(truth_path, "w");
		if (!fb || !g.fh || !g.ft) {
			rc = ssr_diag_set(diag, SSR_EIO, "gen names: cannot write '%s'",
			                  !fb     ? brands_path
			                  : !g.fh ? hosts_path
			                          : truth_path);
		}
	}
	if (rc == SSR_EOK) {
		fprintf(fb, "# protected names: the brands phishing imitates most, and common-word "
		            "brands (ssrwatch gen names --hosts)\n");
		for (size_t i = 0; i < NBRANDS; i++) {
			fprintf(fb, "%s\n", pbrands[i].domain);
		}
		fprintf(g.ft, "name,brand,shape,kinds,position,provider,expect\n");
		shapes(&g);
		innocents(&g);
		benign(&g);
		if (ferror(fb) || ferror(g.fh) || ferror(g.ft)) {
			rc = ssr_diag_set(diag, SSR_EIO, "gen names: write error");
		}
	}
	FILE *fs[3] = {fb, g.fh, g.ft};
	const char *ps[3] = {brands_path, hosts_path, truth_path};
	for (int i = 0; i < 3; i++) {
		if (fs[i] && fclose(fs[i]) != 0 && rc == SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_EIO, "gen names: cannot write '%s'", ps[i]);
		}
	}
	free(g.words);
	free(g.plain);
	free(g.dict);
	ssr_names_free(g.nm);
	return rc;
}
