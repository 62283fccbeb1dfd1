/* libnames: skeletons (fast path against ICU), every kind on hand-made names, innocents,
 * brand/allow/word files with bad lines, kind lists, and permutations checked back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../psl_fixture.h"
#include "ssrwatch/names.h"
#include "ssrwatch/rng.h"

static ssr_names_t *build(const char *const *brands, size_t n, uint32_t kinds)
{
	ssr_names_opts_t o = {.psl = psl, .kinds = kinds};
	ssr_names_t *nm = NULL;
	ssr_diag_t d = {0};
	assert_int_equal(ssr_names_new(&o, &nm, &d), SSR_EOK);
	for (size_t i = 0; i < n; i++) {
		bool added;
		assert_int_equal(ssr_names_add_brand(nm, brands[i], strlen(brands[i]), &added, &d),
		                 SSR_EOK);
		assert_true(added);
	}
	assert_int_equal(ssr_names_build(nm, &d), SSR_EOK);
	return nm;
}

typedef struct {
	char brand[64];
	uint32_t kinds;
	double score;
	char detail[128];
	char unicode[128];
	char position[16];
	int n;
} got_t;

static int keep_first(const ssr_names_subject_t *s, const ssr_names_match_t *m, void *ctx)
{
	got_t *g = ctx;
	if (g->n++ == 0) {
		snprintf(g->brand, sizeof g->brand, "%s", m->brand);
		g->kinds = m->kinds;
		g->score = m->score;
		snprintf(g->detail, sizeof g->detail, "%s", m->detail);
		snprintf(g->unicode, sizeof g->unicode, "%s", s->unicode ? s->unicode : "");
		snprintf(g->position, sizeof g->position, "%s", m->position);
	}
	return SSR_EOK;
}

static got_t check(const ssr_names_t *nm, const char *name)
{
	got_t g = {0};
	ssr_diag_t d = {0};
	int r = ssr_names_check(nm, name, strlen(name), keep_first, &g, &d);
	assert_true(r >= 0);
	assert_int_equal(r, g.n);
	return g;
}

static void skeleton_fast_path_equals_icu(void **state)
{
	(void)state;
	const char *b[] = {"paypal"};
	ssr_names_t *nm = build(b, 1, 0);
	ssr_rng_t r = {42};
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
	for (int i = 0; i < 20000; i++) {
		char lab[40], f[256], s[256];
		size_t n = 1 + ssr_rng_below(&r, 30);
		for (size_t j = 0; j < n; j++) {
			lab[j] = alpha[ssr_rng_below(&r, sizeof alpha - 1)];
		}
		lab[n] = '\0';
		int a = ssr_names_skeleton(nm, lab, n, f, sizeof f);
		int c = ssr_names_skeleton_icu(nm, lab, n, s, sizeof s);
		assert_true(a > 0);
		assert_int_equal(a, c);
		assert_string_equal(f, s);
	}
	ssr_names_free(nm);
}

static void skeleton_values(void **state)
{
	(void)state;
	const char *b[] = {"x"};
	ssr_names_t *nm = build(b, 1, 0);
	char s[256];
	struct {
		const char *in, *out;
	} v[] = {
	    {"paypa1", "paypal"},        {"paypal", "paypal"}, /* DNS names are case-free: I is i */
	    {"PayPaI", "paypai"},        {"g00gle", "google"},
	    {"microsoft", "rnicrosoft"}, {"rnicrosoft", "rnicrosoft"},
	    {"pàypàl", "paypal"},        {"раураl", "paypal"}, /* Cyrillic а, р, у */
	    {"ƥaypał", "paypal"}, /* hooked p, stroked l: ICU Latin-ASCII */
	    {"ɢoogle", "google"}, /* small capital G */
	    {"vvikipedia", "wikipedia"}, {"clhl", "dhl"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		int n = ssr_names_skeleton_icu(nm, v[i].in, strlen(v[i].in), s, sizeof s);
		assert_true(n > 0);
		assert_string_equal(s, v[i].out);
	}
	ssr_names_free(nm);
}

static void every_kind(void **state)
{
	(void)state;
	const char *b[] = {"paypal.com", "google", "microsoft"};
	ssr_names_t *nm = build(b, 3, 0);
	struct {
		const char *name, *brand;
		uint32_t kind;
	} v[] = {
	    {"paypa1.com", "paypal.com", SSR_NAMES_HOMOGLYPH},
	    {"xn--pypal-4ve.com", "paypal.com", SSR_NAMES_HOMOGLYPH}, /* Cyrillic а */
	    {"раypal.net", "paypal.com", SSR_NAMES_HOMOGLYPH},        /* U-label input */
	    {"rnicrosoft.org", "microsoft", SSR_NAMES_HOMOGLYPH},
	    {"gοogle.com", "google", SSR_NAMES_HOMOGLYPH}, /* Greek omicron */
	    {"gооgle.com", "google", SSR_NAMES_HOMOGLYPH}, /* Cyrillic o, o */
	    {"ɢοоgle.net", "google",
	     SSR_NAMES_HOMOGLYPH}, /* Latin small capital, Greek, Cyrillic */
	    {"qooqle.com", "google", SSR_NAMES_HOMOGLYPH}, /* loose look-alike */
	    {"paypl.com", "paypal.com", SSR_NAMES_OMISSION},
	    {"paypzal.com", "paypal.com", SSR_NAMES_INSERTION}, /* z next to a */
	    {"paypall.com", "paypal.com", SSR_NAMES_REPETITION},
	    {"paypalx.com", "paypal.com", SSR_NAMES_ADDITION},
	    {"paypak.com", "paypal.com", SSR_NAMES_REPLACEMENT}, /* k next to l */
	    {"payapl.com", "paypal.com", SSR_NAMES_TRANSPOSITION},
	    {"paypel.com", "paypal.com", SSR_NAMES_VOWEL_SWAP},
	    {"pay-pal.com", "paypal.com", SSR_NAMES_HYPHENATION},
	    {"paypcl.com", "paypal.com", SSR_NAMES_BITSQUAT}, /* a ^ c = 0x02 */
	    {"paypal-login.com", "paypal.com", SSR_NAMES_COMBOSQUAT},
	    {"securepaypal.net", "paypal.com", SSR_NAMES_COMBOSQUAT},
	    {"paypa1-verify.com", "paypal.com", SSR_NAMES_COMBOSQUAT | SSR_NAMES_HOMOGLYPH},
	    {"paypal.net", "paypal.com", SSR_NAMES_TLD_SWAP},
	    {"google.co.uk", "google", SSR_NAMES_TLD_SWAP},
	    {"pay.pal.com", "paypal.com", SSR_NAMES_SUBDOMAIN},
	    {"paypal.com.account-check.net", "paypal.com", SSR_NAMES_SUBDOMAIN},
	    {"www.google.evil.example", "google", SSR_NAMES_SUBDOMAIN},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		got_t g = check(nm, v[i].name);
		if (g.n == 0 || strcmp(g.brand, v[i].brand) != 0 ||
		    (g.kinds & v[i].kind) != v[i].kind) {
			fail_msg(
			    "'%s': got %d matches, brand '%s' kinds %x (%s), want '%s' kind %x",
			    v[i].name, g.n, g.brand, g.kinds, g.detail, v[i].brand, v[i].kind);
		}
		assert_true(g.score > 0 && g.score <= 1);
	}
	/* the IDN's Unicode form comes with it */
	got_t g = check(nm, "xn--pypal-4ve.com");
	assert_string_equal(g.unicode, "pаypal.com");
	/* scores order the kinds: an exact skeleton beats a one-off skeleton */
	assert_true(check(nm, "paypa1.com").score > check(nm, "paypcl.com").score);
	ssr_names_free(nm);
}

static void innocents_and_owners(void **state)
{
	(void)state;
	const char *b[] = {"paypal.com", "google", "hp"};
	ssr_names_t *nm = build(b, 3, 0);
	const char *none[] = {
	    "paypal.com",     /* the owner's own */
	    "www.paypal.com", /* under it */
	    "paxpbl.com",     /* two edits */
	    "example.com",
	    "goggles-and-glasses.com",
	    "hq.com", /* one edit from a brand shorter than min-typo-length */
	    "com",
	    "co.uk", /* suffixes */
	};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		got_t g = check(nm, none[i]);
		if (g.n != 0) {
			fail_msg("'%s' should match nothing, got '%s' %x (%s)", none[i], g.brand,
			         g.kinds, g.detail);
		}
	}
	/* a distinctive brand inside letters that are not words: not a combination, a token */
	got_t tg = check(nm, "zqpaypalxj.com");
	assert_int_equal(tg.kinds, SSR_NAMES_TOKEN);
	assert_non_null(strstr(tg.detail, "registered label 'zqpaypalxj'"));
	ssr_diag_t d = {0};
	assert_int_equal(ssr_names_check(nm, "bad..name", 9, keep_first, NULL, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "bad label"));
	assert_int_equal(ssr_names_check(nm, "a_b.com", 7, keep_first, NULL, &d), SSR_EPARSE);
	ssr_names_free(nm);
	/* kinds switched off are not reported */
	nm = build(b, 3, SSR_NAMES_HOMOGLYPH);
	assert_int_equal(check(nm, "paypl.com").n, 0);
	assert_int_equal(check(nm, "paypa1.com").n, 1);
	ssr_names_free(nm);
}

/* Case as the input wrote it (issue 25): a capital I for l is a homoglyph of the brand, in the
 * registered label and below it; names that are merely in capitals are not look-alikes. */
static void case_as_written(void **state)
{
	(void)state;
	const char *b[] = {"apple.com", "paypal.com", "microsoft.com"};
	ssr_names_t *nm = build(b, 3, 0);
	got_t g = check(nm, "appIe.com");
	assert_string_equal(g.brand, "apple.com");
	assert_true(g.kinds & SSR_NAMES_HOMOGLYPH);
	assert_true(g.score >= 0.95);
	assert_non_null(strstr(g.detail, "'appIe' as written"));
	g = check(nm, "login.appIe.example.net");
	assert_string_equal(g.brand, "apple.com");
	assert_true(g.kinds & SSR_NAMES_SUBDOMAIN);
	assert_non_null(strstr(g.detail, "as written"));
	g = check(nm, "PAYPAI.COM"); /* capital I for l */
	assert_string_equal(g.brand, "paypal.com");
	assert_non_null(strstr(g.detail, "as written"));
	const char *none[] = {"APPLE.COM", "PayPal.com", "MICROSOFT.COM", "WWW.PAYPAL.COM",
	                      "Example.NET"};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		g = check(nm, none[i]);
		if (g.n != 0) {
			fail_msg("'%s' should match nothing, got '%s' (%s)", none[i], g.brand,
			         g.detail);
		}
	}
	/* zone data and names without case are judged case-folded, as before */
	assert_int_equal(check(nm, "appie.com").score < 0.95, 1);
	ssr_names_free(nm);
}

/* Names under a hosting or dynamic-DNS provider (issue 25): the user's label is judged as the
 * registrable one and the match names the provider. */
typedef struct {
	char provider[64], domain[128], brand[64];
	int n;
} prov_t;

static int keep_provider(const ssr_names_subject_t *s, const ssr_names_match_t *m, void *ctx)
{
	prov_t *p = ctx;
	if (p->n++ == 0) {
		snprintf(p->provider, sizeof p->provider, "%s", s->provider ? s->provider : "");
		snprintf(p->domain, sizeof p->domain, "%s", s->domain);
		snprintf(p->brand, sizeof p->brand, "%s", m->brand);
	}
	return SSR_EOK;
}

/* Brand tokens in every label, leet folded; common-word brands only with context (issue 25). */
static void tokens_everywhere(void **state)
{
	(void)state;
	const char *b[] = {"paypal.com", "microsoft.com", "outlook.com",
	                   "apple.com",  "chase.com",     "office.com"};
	ssr_names_t *nm = build(b, 6, 0);
	struct {
		const char *name, *brand, *where;
	} found[] = {
	    {"accesspaypalinformation.com", "paypal.com", "the registered label"},
	    {"1team-1paypal-1acc3s.com", "paypal.com", "the registered label"},
	    {"paypa1fr.com", "paypal.com", "the registered label"},
	    {"account.microsoftt.opalsdka.com", "microsoft.com", "a subdomain label"},
	    {"x.0utlookverify.example.net", "outlook.com", "a subdomain label"},
	    {"appleid-verify.example.com", "apple.com", "a subdomain label"},    /* context */
	    {"b-chase-com-515be.example.org", "chase.com", "a subdomain label"}, /* its TLD */
	    {"chasexq.blogspot.com", "chase.com", "the provider user's label"},
	};
	for (size_t i = 0; i < sizeof found / sizeof found[0]; i++) {
		got_t g = check(nm, found[i].name);
		if (g.n == 0 || strcmp(g.brand, found[i].brand) != 0 ||
		    !strstr(g.detail, found[i].where)) {
			fail_msg("'%s': want '%s' in %s, got %d '%s' (%s)", found[i].name,
			         found[i].brand, found[i].where, g.n, g.brand, g.detail);
		}
	}
	const char *none[] = {"snapple.com", "purchase.com", "acmeofficesupply.com",
	                      "pineapplefarm.net", "chaseyourdreams.org",
	                      /* under a provider, a common word's token must start a word */
	                      "zzchasexq.blogspot.com", "grapple-salvo.blogspot.com",
	                      /* the brand's TLD must be a token of its own */
	                      "dapplecomplain.io"};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		got_t g = check(nm, none[i]);
		if (g.n != 0) {
			fail_msg("'%s' should match nothing, got '%s' (%s)", none[i], g.brand,
			         g.detail);
		}
	}
	/* the kind can be switched off */
	ssr_names_free(nm);
	nm = build(b, 6, SSR_NAMES_ALL & ~SSR_NAMES_TOKEN);
	assert_int_equal(check(nm, "accesspaypalinformation.com").n, 0);
	ssr_names_free(nm);
}

/* Where the match is, leet as context, hyphen combinations of common words, and zone scans
 * with tokens in the registered label only (issue 25). */
static void token_rules(void **state)
{
	(void)state;
	const char *b[] = {"paypal.com", "microsoft.com", "outlook.com", "office.com"};
	ssr_names_t *nm = build(b, 4, 0);
	got_t g = check(nm, "account.microsoftt.opalsdka.com");
	assert_string_equal(g.position, "subdomain");
	g = check(nm, "paypa1fr.com");
	assert_string_equal(g.position, "registered");
	g = check(nm, "paypal.login.example.com"); /* the brand as a subdomain label */
	assert_string_equal(g.position, "subdomain");
	/* a capital I for an l inside a longer label, as written */
	g = check(nm, "PaypaI-login.example.com");
	assert_string_equal(g.brand, "paypal.com");
	assert_true(g.kinds & SSR_NAMES_TOKEN);
	assert_int_equal(check(nm, "paypai-login.example.com").n, 0);
	/* a common word in leet is no chance spelling */
	g = check(nm, "x0utlook.com");
	assert_string_equal(g.brand, "outlook.com");
	assert_int_equal(check(nm, "businessoutlook.com").n, 0);
	/* a common-word brand beside a non-word is no combination; a distinctive one is */
	assert_int_equal(check(nm, "office-antedated.com").n, 0);
	g = check(nm, "paypal-antedated.com");
	assert_true(g.kinds & SSR_NAMES_COMBOSQUAT);
	/* zone scans: tokens in the registered label, not below it */
	char path[] = "/tmp/ssr_names_tok_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("$ORIGIN com.\n$TTL 3600\n@ SOA a. b. 1 2 3 4 5\n@ NS a.\n"
	      "accesspaypalinformation NS ns1.x.net.\n"
	      "paypalsecure.shop.example NS ns1.x.net.\n"
	      "innocentname NS ns1.x.net.\n",
	      f);
	assert_int_equal(fclose(f), 0);
	ssr_names_scan_stats_t st = {0};
	ssr_diag_t d = {0};
	assert_int_equal(ssr_names_scan_zone(nm, path, NULL, NULL, NULL, &st, &d), SSR_EOK);
	unlink(path);
	assert_int_equal(st.delegations, 3);
	assert_int_equal(st.matched, 1);
	assert_int_equal(st.by_kind[13], 1); /* token */
	ssr_names_free(nm);
}

static void providers(void **state)
{
	(void)state;
	const char *b[] = {"apple.com", "paypal.com", "chase.com"};
	ssr_names_t *nm = build(b, 3, 0);
	ssr_diag_t d = {0};
	struct {
		const char *name, *provider, *domain, *brand;
	} cases[] = {
	    {"appleaccounthelp.sytes.net", "sytes.net", "appleaccounthelp.sytes.net", "apple.com"},
	    {"paypal-login.github.io", "github.io", "paypal-login.github.io", "paypal.com"},
	    {"x.paypal-secure.firebaseapp.com", "firebaseapp.com", "paypal-secure.firebaseapp.com",
	     "paypal.com"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		prov_t p = {0};
		int r = ssr_names_check(nm, cases[i].name, strlen(cases[i].name), keep_provider, &p,
		                        &d);
		assert_true(r >= 1);
		assert_string_equal(p.provider, cases[i].provider);
		assert_string_equal(p.domain, cases[i].domain);
		assert_string_equal(p.brand, cases[i].brand);
	}
	/* the provider's own name, and a name under no provider, have none */
	prov_t p = {0};
	assert_int_equal(ssr_names_check(nm, "paypal-login.com", 16, keep_provider, &p, &d), 1);
	assert_string_equal(p.provider, "");
	ssr_names_free(nm);
}

static char *write_tmp(const char *text, size_t n)
{
	char *path = strdup("/tmp/ssr-names-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

typedef struct {
	char first[512];
	int n;
} skips_t;

static void on_skip(const char *msg, void *ctx)
{
	skips_t *s = ctx;
	if (s->n++ == 0) {
		snprintf(s->first, sizeof s->first, "%s", msg);
	}
}

static void brand_files(void **state)
{
	(void)state;
	static const char text[] = "# brands\n"
	                           "paypal.com\n"
	                           "\n"
	                           "bad name\n"
	                           "PayPal.com\n"
	                           "google  # comment\n"
	                           "\xff\xfe\n"
	                           "www.example.co.uk\n"
	                           "xn--80ak6aa92e.com\n"
	                           "bücher\n";
	char *path = write_tmp(text, sizeof text - 1);
	ssr_names_opts_t o = {.psl = psl};
	ssr_names_t *nm;
	ssr_diag_t d = {0};
	assert_int_equal(ssr_names_new(&o, &nm, &d), SSR_EOK);
	ssr_names_load_stats_t st = {0};
	skips_t sk = {0};
	assert_int_equal(ssr_names_load_brands(nm, path, on_skip, &sk, &st, &d), SSR_EOK);
	assert_int_equal(st.lines, 10);
	assert_int_equal(st.added, 4); /* paypal.com, google, xn--80ak6aa92e.com, bücher */
	assert_int_equal(st.blank, 2);
	assert_int_equal(st.duplicates, 1);
	assert_int_equal(st.invalid, 2); /* "bad name", a host under a registered domain */
	assert_int_equal(st.not_utf8, 1);
	assert_int_equal(sk.n, 3);
	char want[256];
	snprintf(want, sizeof want, "brands '%s' line 4: invalid name 'bad name'", path);
	assert_memory_equal(sk.first, want, strlen(want));
	assert_int_equal(ssr_names_build(nm, &d), SSR_EOK);
	assert_int_equal(ssr_names_brand_count(nm), 4);
	/* an IDN brand is matched through its skeleton: bucher with a Latin-ASCII u */
	got_t g = check(nm, "xn--bcher-kva.net");
	assert_int_equal(g.n, 1);
	assert_true(g.kinds & SSR_NAMES_TLD_SWAP);
	assert_true(check(nm, "bucher.com").kinds & SSR_NAMES_HOMOGLYPH);
	ssr_names_free(nm);
	unlink(path);
	free(path);
	/* nothing usable: an error naming the file */
	path = write_tmp("# none\n\n", 8);
	assert_int_equal(ssr_names_new(&o, &nm, &d), SSR_EOK);
	assert_int_equal(ssr_names_load_brands(nm, path, NULL, NULL, NULL, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, path));
	assert_int_equal(ssr_names_build(nm, &d), SSR_EINVAL);
	ssr_names_free(nm);
	unlink(path);
	free(path);
	/* allow list and words */
	path = write_tmp("paypal-login.com\nnot a domain\n", 30);
	char *words = write_tmp("blue\nBad-Word\n", 14);
	assert_int_equal(ssr_names_new(&o, &nm, &d), SSR_EOK);
	bool added;
	assert_int_equal(ssr_names_add_brand(nm, "paypal", 6, &added, &d), SSR_EOK);
	st = (ssr_names_load_stats_t){0};
	assert_int_equal(ssr_names_load_allow(nm, path, NULL, NULL, &st, &d), SSR_EOK);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.invalid, 1);
	st = (ssr_names_load_stats_t){0};
	assert_int_equal(ssr_names_load_words(nm, words, NULL, NULL, &st, &d), SSR_EOK);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.invalid, 1);
	assert_int_equal(ssr_names_build(nm, &d), SSR_EOK);
	assert_int_equal(check(nm, "paypal-login.com").n, 0); /* allowed */
	assert_true(check(nm, "paypalblue.com").kinds & SSR_NAMES_COMBOSQUAT);
	/* not a word, no hyphen: no combination, but the distinctive token (issue 25) */
	got_t gg = check(nm, "paypalgreen.com");
	assert_int_equal(gg.kinds, SSR_NAMES_TOKEN);
	assert_true(check(nm, "paypal-green.com").kinds & SSR_NAMES_COMBOSQUAT);
	ssr_names_free(nm);
	unlink(path);
	unlink(words);
	free(path);
	free(words);
}

static void kind_lists(void **state)
{
	(void)state;
	uint32_t k;
	ssr_diag_t d = {0};
	assert_int_equal(ssr_names_kinds_parse("homoglyph,typo", &k, &d), SSR_EOK);
	assert_int_equal(k, SSR_NAMES_HOMOGLYPH | SSR_NAMES_TYPO);
	assert_int_equal(ssr_names_kinds_parse("all", &k, &d), SSR_EOK);
	assert_int_equal(k, SSR_NAMES_ALL);
	assert_int_equal(ssr_names_kinds_parse("homoglyph,nope", &k, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "unknown kind 'nope'"));
	char out[256];
	assert_int_equal(
	    ssr_names_kinds_format(SSR_NAMES_OMISSION | SSR_NAMES_TLD_SWAP, out, sizeof out), 17);
	assert_string_equal(out, "omission,tld-swap");
	assert_int_equal(ssr_names_kinds_format(SSR_NAMES_ALL, out, 8), SSR_ELIMIT);
}

typedef struct {
	const ssr_names_t *nm;
	unsigned total, recognised, right_kind;
	char miss[256];
} perm_ctx_t;

static int perm_check(const char *kind, const char *domain, void *ctx)
{
	perm_ctx_t *p = ctx;
	if (strcmp(kind, "*original") == 0) {
		return SSR_EOK;
	}
	uint32_t want;
	assert_int_equal(ssr_names_kinds_parse(kind, &want, NULL), SSR_EOK);
	got_t g = check(p->nm, domain);
	p->total++;
	if (g.n > 0) {
		p->recognised++;
		if (g.kinds & want) {
			p->right_kind++;
		} else if (!p->miss[0]) {
			snprintf(p->miss, sizeof p->miss, "%s %s -> %x", kind, domain, g.kinds);
		}
	} else if (!p->miss[0]) {
		snprintf(p->miss, sizeof p->miss, "%s %s not recognised", kind, domain);
	}
	return SSR_EOK;
}

static void permutations_check_back(void **state)
{
	(void)state;
	const char *b[] = {"paypal.com"};
	ssr_names_t *nm = build(b, 1, 0);
	perm_ctx_t p = {.nm = nm};
	ssr_diag_t d = {0};
	assert_int_equal(ssr_names_permute(nm, "paypal.com", SSR_NAMES_ALL & ~SSR_NAMES_SUBDOMAIN,
	                                   perm_check, &p, &d),
	                 SSR_EOK);
	assert_true(p.total > 600);
	if (p.right_kind != p.total) {
		fail_msg("%u of %u permutations recognised with their kind; first miss: %s",
		         p.right_kind, p.total, p.miss);
	}
	assert_int_equal(ssr_names_permute(nm, "com", SSR_NAMES_ALL, perm_check, &p, &d),
	                 SSR_EPARSE);
	ssr_names_free(nm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(skeleton_fast_path_equals_icu),
	    cmocka_unit_test(skeleton_values),
	    cmocka_unit_test(every_kind),
	    cmocka_unit_test(innocents_and_owners),
	    cmocka_unit_test(case_as_written),
	    cmocka_unit_test(providers),
	    cmocka_unit_test(tokens_everywhere),
	    cmocka_unit_test(token_rules),
	    cmocka_unit_test(brand_files),
	    cmocka_unit_test(kind_lists),
	    cmocka_unit_test(permutations_check_back),
	};
	return cmocka_run_group_tests(tests, psl_setup, psl_teardown);
}
