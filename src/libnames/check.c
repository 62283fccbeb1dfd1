/* libnames: checking one name against the indexes, and the classification of each match. */
#include <idn2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names_priv.h"

#ifndef SSR_DATA_DIR
#define SSR_DATA_DIR "data"
#endif

#define MAX_HITS       64  /* brands reported for one name */
#define MAX_CANDIDATES 512 /* brand ids gathered from one family of lookups */

/* Scores per kind (docs/METHODOLOGY.md). */
#define SCORE_HOMOGLYPH       0.95
#define SCORE_HOMOGLYPH_EDIT  0.70
#define SCORE_HOMOGLYPH_LOOSE 0.60
#define SCORE_TLD_SWAP        0.90
#define SCORE_TRANSPOSITION   0.85
#define SCORE_REPLACE_ADJ     0.85
#define SCORE_REPLACE_OTHER   0.60
#define SCORE_VOWEL_SWAP      0.80
#define SCORE_BITSQUAT        0.70
#define SCORE_OMISSION        0.80
#define SCORE_REPETITION      0.85
#define SCORE_INSERT_ADJ      0.80
#define SCORE_INSERT_OTHER    0.60
#define SCORE_ADDITION        0.70
#define SCORE_HYPHENATION     0.85
#define SCORE_COMBO_WORDS     0.80
#define SCORE_COMBO_OTHER     0.50
#define SCORE_COMBO_HOMOGLYPH 0.85
#define SCORE_SUB_DOTS        0.80
#define SCORE_SUB_DOMAIN      0.85
#define SCORE_SUB_LABEL       0.75
#define SCORE_SUB_HOMOGLYPH   0.70
#define SCORE_TOKEN_REG       0.70 /* a brand token inside the registered (or provider user's) label */
#define SCORE_TOKEN_SUB       0.65 /* inside a label below it */

typedef struct {
	uint32_t brand;
	uint32_t kinds;
	double score;
	bool below; /* the best-scoring match is in a label below the registered one */
	char detail[112];
} hit_t;

/* One brand label occurring in a text: which, and where it ends. */
typedef struct {
	uint32_t id;
	uint32_t end;
} ac_hit_t;
#define AC_MAX_HITS 256

typedef struct {
	const ssr_names_t *nm;
	/* the brand labels in the registered label as written (combos), reused by tokens when
	 * folding leaves the label as it is (no hyphen, no digit: most names) */
	ac_hit_t reg_hits[AC_MAX_HITS];
	size_t nreg_hits;
	bool reg_hits_ok;
	hit_t hits[MAX_HITS];
	size_t nhits;
	uint32_t cand[MAX_CANDIDATES];
	size_t ncand;
} chk_t;

static hit_t *hit_find(chk_t *c, uint32_t brand)
{
	for (size_t i = 0; i < c->nhits; i++) {
		if (c->hits[i].brand == brand) {
			return &c->hits[i];
		}
	}
	return NULL;
}

/* Record kinds (already masked with the enabled ones) for a brand; the best score keeps its
 * detail. */
static void hit_add(chk_t *c, uint32_t brand, uint32_t kinds, double score, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void hit_add(chk_t *c, uint32_t brand, uint32_t kinds, double score, const char *fmt, ...)
{
	if (kinds == 0) {
		return;
	}
	hit_t *h = hit_find(c, brand);
	if (!h) {
		if (c->nhits == MAX_HITS) {
			return;
		}
		h = &c->hits[c->nhits++];
		h->brand = brand;
		h->kinds = 0;
		h->score = -1;
	}
	h->kinds |= kinds;
	if (score > h->score) {
		va_list ap;
		h->score = score;
		h->below = (kinds & SSR_NAMES_SUBDOMAIN) != 0;
		va_start(ap, fmt);
		vsnprintf(h->detail, sizeof h->detail, fmt, ap);
		va_end(ap);
	}
}

static bool collect(uint32_t id, void *ctx)
{
	chk_t *c = ctx;
	for (size_t i = 0; i < c->ncand; i++) {
		if (c->cand[i] == id) {
			return true;
		}
	}
	if (c->ncand < MAX_CANDIDATES) {
		c->cand[c->ncand++] = id;
	}
	return true;
}

/* Add the brand ids stored under tag for s and each of its one-deletions. */
static void gather_deletions(chk_t *c, unsigned tag, const char *s, size_t n)
{
	char tmp[SSR_NAMES_MAX_SKELETON];
	names_index_find(c->nm, tag, s, n, collect, c);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && s[i] == s[i - 1]) {
			continue; /* deleting either of a run gives the same string */
		}
		memcpy(tmp, s, i);
		memcpy(tmp + i, s + i + 1, n - i - 1);
		names_index_find(c->nm, tag, tmp, n - 1, collect, c);
	}
}

static bool is_vowel(char x)
{
	return x == 'a' || x == 'e' || x == 'i' || x == 'o' || x == 'u';
}

/* Is a one edit (insert, delete, substitute, swap neighbours) from b? */
static bool dl1(const char *a, size_t la, const char *b, size_t lb)
{
	size_t i = 0;
	if (la + 1 < lb || lb + 1 < la) {
		return false;
	}
	while (i < la && i < lb && a[i] == b[i]) {
		i++;
	}
	if (la == lb) {
		if (i == la) {
			return false;
		}
		if (memcmp(a + i + 1, b + i + 1, la - i - 1) == 0) {
			return true;
		}
		return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		       memcmp(a + i + 2, b + i + 2, la - i - 2) == 0;
	}
	if (la > lb) {
		return memcmp(a + i + 1, b + i, lb - i) == 0;
	}
	return memcmp(a + i, b + i + 1, la - i) == 0;
}

/* Classify candidate label c against brand label b (one edit apart) and record the hit. */
static void classify(chk_t *k, uint32_t id, const char *c, size_t L)
{
	const ssr_names_t *nm = k->nm;
	const names_brand_t *br = &nm->brands[id];
	const char *b = br->label;
	size_t n = br->len, i = 0;
	uint32_t en = nm->o.kinds;
	if (!dl1(c, L, b, n)) {
		return;
	}
	while (i < L && i < n && c[i] == b[i]) {
		i++;
	}
	if (L == n && (i + 1 >= L || c[i + 1] == b[i + 1]) &&
	    memcmp(c + i + 1, b + i + 1, L - i - 1) == 0) {
		/* substitution of b[i] by c[i] */
		unsigned char x = (unsigned char)b[i], y = (unsigned char)c[i];
		bool adj = names_adjacent(nm, x, y);
		bool vowel = is_vowel((char)x) && is_vowel((char)y);
		bool bit = __builtin_popcount(x ^ y) == 1;
		uint32_t kinds = 0;
		double s = 0;
		if (vowel && (en & SSR_NAMES_VOWEL_SWAP)) {
			kinds |= SSR_NAMES_VOWEL_SWAP;
			s = SCORE_VOWEL_SWAP;
		}
		if (bit && (en & SSR_NAMES_BITSQUAT)) {
			kinds |= SSR_NAMES_BITSQUAT;
			s = s > SCORE_BITSQUAT ? s : SCORE_BITSQUAT;
		}
		if ((adj || (!vowel && !bit)) && (en & SSR_NAMES_REPLACEMENT)) {
			kinds |= SSR_NAMES_REPLACEMENT;
			double r = adj ? SCORE_REPLACE_ADJ : SCORE_REPLACE_OTHER;
			s = s > r ? s : r;
		}
		hit_add(k, id, kinds, s, "'%c' -> '%c' at %zu%s", x, y, i + 1,
		        adj ? " (keyboard neighbour)" : "");
		return;
	}
	if (L == n) {
		if (en & SSR_NAMES_TRANSPOSITION) {
			hit_add(k, id, SSR_NAMES_TRANSPOSITION, SCORE_TRANSPOSITION,
			        "'%c%c' -> '%c%c' at %zu", b[i], b[i + 1], c[i], c[i + 1], i + 1);
		}
		return;
	}
	if (L + 1 == n) {
		if (en & SSR_NAMES_OMISSION) {
			hit_add(k, id, SSR_NAMES_OMISSION, SCORE_OMISSION, "'%c' left out at %zu",
			        b[i], i + 1);
		}
		return;
	}
	/* L == n + 1: c[i] inserted before b[i] */
	char x = c[i];
	/* within a run of x the insertion point is ambiguous: take the run's end */
	bool rep = (i > 0 && b[i - 1] == x) || (i < n && b[i] == x);
	bool add = i == n;
	bool hyph = x == '-';
	/* x may have been typed anywhere in its run: a neighbour of the run's ends counts */
	size_t rs = i, re = i + 1;
	while (rs > 0 && c[rs - 1] == x) {
		rs--;
	}
	while (re < L && c[re] == x) {
		re++;
	}
	bool adj = (rs > 0 && names_adjacent(nm, (unsigned char)x, (unsigned char)c[rs - 1])) ||
	           (re < L && names_adjacent(nm, (unsigned char)x, (unsigned char)c[re]));
	uint32_t kinds = 0;
	double s = 0;
	if (rep && (en & SSR_NAMES_REPETITION)) {
		kinds |= SSR_NAMES_REPETITION;
		s = SCORE_REPETITION;
	}
	if (add && (en & SSR_NAMES_ADDITION)) {
		kinds |= SSR_NAMES_ADDITION;
		s = s > SCORE_ADDITION ? s : SCORE_ADDITION;
	}
	if (hyph && (en & SSR_NAMES_HYPHENATION)) {
		kinds |= SSR_NAMES_HYPHENATION;
		s = s > SCORE_HYPHENATION ? s : SCORE_HYPHENATION;
	}
	if ((adj || (!rep && !add && !hyph)) && (en & SSR_NAMES_INSERTION)) {
		kinds |= SSR_NAMES_INSERTION;
		double r = adj ? SCORE_INSERT_ADJ : SCORE_INSERT_OTHER;
		s = s > r ? s : r;
	}
	hit_add(k, id, kinds, s, "'%c' added at %zu", x, i + 1);
}

/* Is s (no dots) empty, digits, a word, words joined by hyphens, or two words run together? */
static bool words_ok(const ssr_names_t *nm, const char *s, size_t n)
{
	if (n == 0) {
		return true;
	}
	const char *dash = memchr(s, '-', n);
	if (dash) {
		size_t a = (size_t)(dash - s);
		return a > 0 && words_ok(nm, s, a) && words_ok(nm, dash + 1, n - a - 1);
	}
	bool digits = true;
	for (size_t i = 0; i < n; i++) {
		digits &= s[i] >= '0' && s[i] <= '9';
	}
	if (digits || ssr_names_is_word(nm, s, n)) {
		return true;
	}
	for (size_t i = 2; i + 2 <= n; i++) {
		if (ssr_names_is_word(nm, s, i) && ssr_names_is_word(nm, s + i, n - i)) {
			return true;
		}
	}
	return false;
}

/* The brand occurs at [s, e) of label lab: a combination if what surrounds it is words, or
 * it stands as its own hyphen-separated token (a distinctive brand's only: "office-antedated"
 * is no lure; a common-word brand's token needs the context tokens() looks for). */
static void combo_eval(chk_t *k, uint32_t id, const char *lab, size_t n, size_t s, size_t e,
                       uint32_t extra, double score_words)
{
	const ssr_names_t *nm = k->nm;
	size_t pre = s, suf_at = e;
	if (pre > 0 && lab[pre - 1] == '-') {
		pre--;
	}
	if (suf_at < n && lab[suf_at] == '-') {
		suf_at++;
	}
	bool bounded = (s == 0 || lab[s - 1] == '-') && (e == n || lab[e] == '-');
	bool wpre = words_ok(nm, lab, pre), wsuf = words_ok(nm, lab + suf_at, n - suf_at);
	double sc;
	if (wpre && wsuf) {
		sc = score_words;
	} else if (bounded && !extra && !nm->brands[id].common) {
		sc = SCORE_COMBO_OTHER;
	} else {
		return;
	}
	uint32_t kinds = (SSR_NAMES_COMBOSQUAT | extra) & nm->o.kinds;
	if (!(kinds & SSR_NAMES_COMBOSQUAT)) {
		return;
	}
	char rest[2 * NAMES_LABEL_MAX + 8];
	snprintf(rest, sizeof rest, "%.*s%s%.*s", (int)pre, lab, pre && n > suf_at ? "+" : "",
	         (int)(n - suf_at), lab + suf_at);
	hit_add(k, id, kinds, sc, "%s '%s'%s", wpre && wsuf ? "with" : "beside", rest,
	        extra ? " (look-alike token)" : "");
}

/* Every brand label occurring in text[0..n) (the Aho-Corasick automaton over brand labels), at
 * most AC_MAX_HITS; returns how many. */
static size_t ac_find(const ssr_names_t *nm, const char *text, size_t n, ac_hit_t *out)
{
	size_t h = 0;
	int32_t s = 0;
	for (size_t i = 0; i < n; i++) {
		int sym = nm->sym[(unsigned char)text[i]];
		if (sym < 0) {
			s = 0;
			continue;
		}
		s = nm->ac_goto[(size_t)s * AC_SYMS + (size_t)sym];
		for (int32_t t = nm->ac_out[s] >= 0 ? s : nm->ac_next[s]; t >= 0 && h < AC_MAX_HITS;
		     t = nm->ac_next[t]) {
			out[h].id = (uint32_t)nm->ac_out[t];
			out[h++].end = (uint32_t)(i + 1);
		}
	}
	return h;
}

static void combos(chk_t *k, const char *lab, size_t n)
{
	const ssr_names_t *nm = k->nm;
	ac_hit_t *hits = k->reg_hits;
	size_t nh = k->nreg_hits = ac_find(nm, lab, n, hits);
	k->reg_hits_ok = true;
	for (size_t h = 0; h < nh; h++) {
		const names_brand_t *br = &nm->brands[hits[h].id];
		if (br->len == n) {
			continue; /* the label itself: tld-swap, not a combination */
		}
		combo_eval(k, hits[h].id, lab, n, hits[h].end - br->len, hits[h].end, 0,
		           SCORE_COMBO_WORDS);
	}
	/* hyphen tokens that are look-alikes of a brand: "paypa1-login" */
	if (!memchr(lab, '-', n) || !(nm->o.kinds & SSR_NAMES_HOMOGLYPH)) {
		return;
	}
	for (size_t ts = 0; ts < n;) {
		const char *d = memchr(lab + ts, '-', n - ts);
		size_t te = d ? (size_t)(d - lab) : n;
		if (te - ts >= nm->o.min_combo_len) {
			char sk[SSR_NAMES_MAX_SKELETON];
			int sl = ssr_names_skeleton(nm, lab + ts, te - ts, sk, sizeof sk);
			if (sl > 0) {
				k->ncand = 0;
				names_index_find(nm, TAG_SKEL, sk, (size_t)sl, collect, k);
				for (size_t j = 0; j < k->ncand; j++) {
					const names_brand_t *br = &nm->brands[k->cand[j]];
					if (br->slen == (size_t)sl &&
					    memcmp(br->skel, sk, (size_t)sl) == 0 &&
					    !(br->len == te - ts &&
					      memcmp(br->label, lab + ts, te - ts) == 0)) {
						combo_eval(k, k->cand[j], lab, n, ts, te,
						           SSR_NAMES_HOMOGLYPH,
						           SCORE_COMBO_HOMOGLYPH);
					}
				}
			}
		}
		ts = te + 1;
	}
}

/* Labels left of the registered domain: dots inserted into the brand, or the brand used as a
 * subdomain label of someone else's domain. */
static void subdomains(chk_t *k, const char *prefix, const char *lab, size_t lablen)
{
	const ssr_names_t *nm = k->nm;
	const char *lbl[64];
	size_t len[64], nl = 0;
	for (const char *p = prefix; *p && nl < 64;) {
		const char *d = strchr(p, '.');
		size_t l = d ? (size_t)(d - p) : strlen(p);
		lbl[nl] = p;
		len[nl++] = l;
		p += l + (d ? 1 : 0);
	}
	char cat[NAMES_NAME_MAX + 1];
	/* p.aypal.com: the last j prefix labels and the registrable label run together */
	size_t cl = lablen;
	memcpy(cat + NAMES_NAME_MAX - lablen, lab, lablen);
	for (size_t j = nl; j-- > 0;) {
		if (cl + len[j] > NAMES_LABEL_MAX) {
			break;
		}
		cl += len[j];
		memcpy(cat + NAMES_NAME_MAX - cl, lbl[j], len[j]);
		const char *w = cat + NAMES_NAME_MAX - cl;
		k->ncand = 0;
		names_index_find(nm, TAG_EXACT, w, cl, collect, k);
		for (size_t i = 0; i < k->ncand; i++) {
			const names_brand_t *br = &nm->brands[k->cand[i]];
			if (br->len == cl && memcmp(br->label, w, cl) == 0) {
				hit_add(k, k->cand[i], SSR_NAMES_SUBDOMAIN & nm->o.kinds,
				        SCORE_SUB_DOTS, "dots inserted into '%s'", br->label);
			}
		}
	}
	/* paypal.com.example.net, paypal.example.net, pаypal.example.net */
	for (size_t j = 0; j < nl; j++) {
		char sk[SSR_NAMES_MAX_SKELETON];
		k->ncand = 0;
		names_index_find(nm, TAG_EXACT, lbl[j], len[j], collect, k);
		for (size_t i = 0; i < k->ncand; i++) {
			const names_brand_t *br = &nm->brands[k->cand[i]];
			if (br->len != len[j] || memcmp(br->label, lbl[j], len[j]) != 0) {
				continue;
			}
			size_t dl = br->domain ? strlen(br->domain) : 0;
			if (br->domain && strncmp(lbl[j], br->domain, dl) == 0 &&
			    (lbl[j][dl] == '.' || lbl[j][dl] == '\0')) {
				hit_add(k, k->cand[i], SSR_NAMES_SUBDOMAIN & nm->o.kinds,
				        SCORE_SUB_DOMAIN, "'%s' as a subdomain", br->domain);
			} else {
				hit_add(k, k->cand[i], SSR_NAMES_SUBDOMAIN & nm->o.kinds,
				        SCORE_SUB_LABEL, "'%s' as a subdomain label", br->label);
			}
		}
		char ul[NAMES_LABEL_MAX * 4 + 1], *dec = NULL;
		const char *u = lbl[j];
		size_t ulen = len[j];
		if (len[j] > 4 && memcmp(lbl[j], "xn--", 4) == 0) {
			memcpy(ul, lbl[j], len[j]);
			ul[len[j]] = '\0';
			if (idn2_to_unicode_8z8z(ul, &dec, 0) == IDN2_OK) {
				u = dec;
				ulen = strlen(dec);
			}
		}
		int sl = ssr_names_skeleton(nm, u, ulen, sk, sizeof sk);
		idn2_free(dec);
		if (sl <= 0) {
			continue;
		}
		k->ncand = 0;
		names_index_find(nm, TAG_SKEL, sk, (size_t)sl, collect, k);
		for (size_t i = 0; i < k->ncand; i++) {
			const names_brand_t *br = &nm->brands[k->cand[i]];
			if (br->slen == (size_t)sl && memcmp(br->skel, sk, (size_t)sl) == 0 &&
			    !(br->len == len[j] && memcmp(br->label, lbl[j], len[j]) == 0)) {
				hit_add(k, k->cand[i],
				        (SSR_NAMES_SUBDOMAIN | SSR_NAMES_HOMOGLYPH) & nm->o.kinds,
				        SCORE_SUB_HOMOGLYPH,
				        "look-alike of '%s' as a subdomain label", br->label);
			}
		}
	}
}

/* Best score first, then brand order: a few hits, insertion sort. */
static void hits_sort(chk_t *k)
{
	const ssr_names_t *nm = k->nm;
	for (size_t i = 1; i < k->nhits; i++) {
		hit_t h = k->hits[i];
		size_t j = i;
		while (j > 0) {
			const hit_t *p = &k->hits[j - 1];
			bool before = h.score > p->score || (h.score == p->score &&
			                                     strcmp(nm->brands[h.brand].text,
			                                            nm->brands[p->brand].text) < 0);
			if (!before) {
				break;
			}
			k->hits[j] = *p;
			j--;
		}
		k->hits[j] = h;
	}
}

/* Words that make a token of a common-word brand a lure. */
static const char *const context_words[] = {
    "login",   "logon",  "signin",  "account", "secure",   "security", "verify",   "verification",
    "support", "update", "billing", "payment", "confirm",  "password", "wallet",   "auth",
    "service", "help",   "unlock",  "recover", "recovery", "customer", "online",   "bank",
    "banking", "alert",  "webmail", "invoice", "refund",   "helpdesk", "validate", "session",
};

/* Fold a label for tokens: hyphens dropped, leet digits to letters (0 o, 1 l, 3 e, 4 a, 5 s,
 * 7 t, 8 b), other digits dropped; a label as written: a capital I to l, other capitals
 * lowercased.  brk and lt (NULL: not wanted) get, per
 * folded character, whether it starts a word (the label's first, or after a hyphen or digit)
 * and whether it was a leet digit.  Returns the length. */
static size_t token_fold(const char *l, size_t n, char *out, bool *brk, bool *lt)
{
	static const char leet[10] = {'o', 'l', 0, 'e', 'a', 's', 0, 't', 'b', 0};
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		char c = l[i];
		bool disguise = false;
		if (c >= '0' && c <= '9') {
			c = leet[c - '0'];
			disguise = true;
		} else if (c == '-') {
			c = 0;
		} else if (c == 'I') {
			c = 'l'; /* as written: a capital I for an l ("PaypaI-login") */
			disguise = true;
		} else if (c >= 'A' && c <= 'Z') {
			c = (char)(c - 'A' + 'a');
		}
		if (c) {
			if (brk) {
				brk[w] = i == 0 || l[i - 1] == '-' ||
				         (l[i - 1] >= '0' && l[i - 1] <= '9');
				lt[w] = disguise;
			}
			out[w++] = c;
		}
	}
	out[w] = '\0';
	return w;
}

bool ssr_names_has_lure(const char *folded)
{
	for (size_t i = 0; i < sizeof context_words / sizeof context_words[0]; i++) {
		if (strstr(folded, context_words[i])) {
			return true;
		}
	}
	return false;
}

/* Context for a common-word brand's token ending at end of the folded label f: a provider
 * parent and the token starting a word ("officers.netlify.app", not
 * "grapple-salvo.weebly.com"); leet inside the token ("0utlook": nobody writes the word so by
 * chance); the brand's TLD right after it ("chase-com"); a lure word in any label (*lure:
 * -1 until worked out, once per name). */
static bool token_context(const names_brand_t *br, const char *const *lbl, const size_t *len,
                          size_t nl, int *lure, bool provider, const char *f, size_t fn,
                          const bool *brk, const bool *lt, size_t end)
{
	size_t start = end - br->len;
	if (provider && brk[start]) {
		return true;
	}
	for (size_t q = start; q < end; q++) {
		if (lt[q]) {
			return true;
		}
	}
	if (br->domain) {
		const char *tld = strrchr(br->domain, '.');
		size_t tl = tld ? strlen(tld + 1) : 0;
		/* the TLD a token of its own: the label ends or a word starts after it
		 * ("b-chase-com-515be", not "dapplecomplain") */
		if (tl && end + tl <= fn && memcmp(f + end, tld + 1, tl) == 0 &&
		    (end + tl == fn || brk[end + tl])) {
			return true;
		}
	}
	if (*lure < 0) {
		char all[NAMES_NAME_MAX + 2];
		size_t al = 0;
		for (size_t j = 0; j < nl; j++) {
			al += token_fold(lbl[j], len[j], all + al, NULL, NULL);
			all[al++] = '.';
		}
		all[al] = '\0';
		*lure = ssr_names_has_lure(all);
	}
	return *lure > 0;
}

/* Brand tokens (issue 25): in the registered label (or the provider user's), and with
 * all_labels (names check) in the labels below it too, each folded; a brand already matched by
 * another kind is not repeated; a common-word brand needs context (a context word in any label,
 * a provider parent, or its own TLD as a token beside it: "chase-com"). */
static void tokens(chk_t *k, const char *prefix, const char *lab, size_t lablen, const char *cased,
                   bool provider, bool all_labels)
{
	const ssr_names_t *nm = k->nm;
	if (!(nm->o.kinds & SSR_NAMES_TOKEN) || nm->ac_states <= 1) {
		return;
	}
	const char *lbl[64];
	size_t len[64], nl = 0;
	for (const char *p = prefix; p && *p && nl < 63;) {
		const char *d = strchr(p, '.');
		size_t l = d ? (size_t)(d - p) : strlen(p);
		lbl[nl] = p;
		len[nl++] = l;
		p += l + (d ? 1 : 0);
	}
	lbl[nl] = lab;
	len[nl++] = lablen;
	int lure = -1; /* a lure word in any label: worked out when a common word needs it */
	for (size_t j = all_labels ? 0 : nl - 1; j < nl; j++) {
		bool reg = j == nl - 1;
		char f[NAMES_LABEL_MAX + 1];
		bool brk[NAMES_LABEL_MAX + 1], lt[NAMES_LABEL_MAX + 1];
		/* the label as written when the input kept its case: the same offsets */
		const char *src =
		    cased
		        ? cased +
		              (reg ? (nl > 1 ? (size_t)(lbl[nl - 2] - prefix) + len[nl - 2] + 1 : 0)
		                   : (size_t)(lbl[j] - prefix))
		        : lbl[j];
		size_t fn = token_fold(src, len[j], f, brk, lt);
		ac_hit_t own[AC_MAX_HITS];
		const ac_hit_t *hits = own;
		size_t nh;
		bool plain = true;
		for (size_t q = 0; q < len[j] && plain; q++) {
			plain = lbl[j][q] != '-' && (lbl[j][q] < '0' || lbl[j][q] > '9');
		}
		if (reg && k->reg_hits_ok && plain && !cased) {
			hits = k->reg_hits; /* folding changed nothing: combos' walk holds */
			nh = k->nreg_hits;
		} else {
			nh = ac_find(nm, f, fn, own);
		}
		for (size_t h = 0; h < nh; h++) {
			uint32_t id = hits[h].id;
			const names_brand_t *br = &nm->brands[id];
			if (hit_find(k, id) ||
			    (br->len == len[j] && memcmp(br->label, lbl[j], len[j]) == 0)) {
				continue; /* reported by another kind, or the brand's own label */
			}
			/* a provider parent alone is context for a token that starts a word
			 * ("officers.netlify.app", not "grapple-salvo.weebly.com"); a token in
			 * leet is its own ("0utlook": nobody writes the word so by chance) */
			if (br->common && !token_context(br, lbl, len, nl, &lure, provider, f, fn,
			                                 brk, lt, hits[h].end)) {
				continue;
			}
			hit_add(k, id, SSR_NAMES_TOKEN, reg ? SCORE_TOKEN_REG : SCORE_TOKEN_SUB,
			        "token '%s' in %s label '%.*s'", br->label,
			        reg ? (provider ? "the provider user's" : "the registered")
			            : "a subdomain",
			        (int)len[j], lbl[j]);
			hit_t *ht = hit_find(k, id); /* a new hit: it was not found above */
			if (ht) {
				ht->below = !reg;
			}
		}
	}
}

/* Homoglyphs judged on the labels as the input wrote them (a capital I for l: "appIe"): each
 * label with a capital letter whose skeleton as written differs from its case-folded one. */
static void as_written(chk_t *k, const char *cased, size_t prefix_len, size_t lablen)
{
	const ssr_names_t *nm = k->nm;
	if (!(nm->o.kinds & SSR_NAMES_HOMOGLYPH)) {
		return;
	}
	/* the labels left of the registered domain, then the registered label */
	for (size_t at = 0; at <= prefix_len;) {
		bool reg = at == prefix_len;
		const char *l = cased + (reg ? (prefix_len ? prefix_len + 1 : 0) : at);
		size_t n = reg ? lablen : (size_t)(strchr(l, '.') ? strchr(l, '.') - l : 0);
		bool upper = false;
		for (size_t i = 0; i < n; i++) {
			upper |= l[i] >= 'A' && l[i] <= 'Z';
		}
		char sk[SSR_NAMES_MAX_SKELETON], fold[SSR_NAMES_MAX_SKELETON];
		int sl = upper ? names_skeleton_as_written(nm, l, n, sk, sizeof sk) : -1;
		char low[NAMES_LABEL_MAX + 1];
		for (size_t i = 0; i < n && i < NAMES_LABEL_MAX; i++) {
			low[i] = (char)(l[i] >= 'A' && l[i] <= 'Z' ? l[i] - 'A' + 'a' : l[i]);
		}
		int fl = sl > 0 ? ssr_names_skeleton(nm, low, n, fold, sizeof fold) : -1;
		if (sl > 0 && !(fl == sl && memcmp(fold, sk, (size_t)sl) == 0)) {
			k->ncand = 0;
			names_index_find(nm, TAG_SKEL, sk, (size_t)sl, collect, k);
			for (size_t i = 0; i < k->ncand; i++) {
				const names_brand_t *br = &nm->brands[k->cand[i]];
				if (br->slen != (size_t)sl ||
				    memcmp(br->skel, sk, (size_t)sl) != 0 ||
				    (br->len == n && memcmp(br->label, low, n) == 0)) {
					continue;
				}
				uint32_t kinds =
				    SSR_NAMES_HOMOGLYPH | (reg ? 0 : SSR_NAMES_SUBDOMAIN);
				hit_add(k, k->cand[i], kinds & nm->o.kinds,
				        reg ? SCORE_HOMOGLYPH : SCORE_SUB_HOMOGLYPH,
				        "'%.*s' as written: skeleton '%s'%s", (int)n, l, br->skel,
				        reg ? "" : " (a subdomain label)");
			}
		}
		if (reg) {
			break;
		}
		at += n + 1;
		if (at > prefix_len) {
			at = prefix_len;
		}
	}
}

int names_check_parts(const ssr_names_t *nm, const char *regdom, size_t lablen, const char *prefix,
                      const char *cased, ssr_names_subject_t *subj, ssr_names_match_fn fn,
                      void *ctx)
{
	chk_t kk, *k = &kk; /* ~10 KB of stack, no allocation per name */
	k->nm = nm;
	k->nhits = 0;
	k->reg_hits_ok = false;
	const char *lab = regdom;
	const char *suffix = regdom[lablen] ? regdom + lablen + 1 : "";
	char *dec = NULL, *udom = NULL;
	char sk[SSR_NAMES_MAX_SKELETON];
	int rc = 0;
	subj->domain = regdom;
	subj->unicode = NULL;
	subj->bad_punycode = false;
	subj->allowed = ssr_strmap_find(&nm->allow, regdom, strlen(regdom)) != NULL;
	if (subj->allowed) {
		goto out;
	}
	const char *u = lab;
	size_t ulen = lablen;
	bool idn = lablen > 4 && memcmp(lab, "xn--", 4) == 0;
	if (idn) {
		char tmp[NAMES_LABEL_MAX + 1];
		memcpy(tmp, lab, lablen);
		tmp[lablen] = '\0';
		if (idn2_to_unicode_8z8z(tmp, &dec, 0) == IDN2_OK) {
			u = dec;
			ulen = strlen(dec);
			if (idn2_to_unicode_8z8z(regdom, &udom, 0) == IDN2_OK) {
				subj->unicode = udom;
			}
		} else {
			subj->bad_punycode = true;
			idn = false;
		}
	}
	int sl = ssr_names_skeleton(nm, u, ulen, sk, sizeof sk);
	if (sl > 0) {
		/* homoglyph and tld-swap: the skeleton table */
		k->ncand = 0;
		names_index_find(nm, TAG_SKEL, sk, (size_t)sl, collect, k);
		for (size_t i = 0; i < k->ncand; i++) {
			uint32_t id = k->cand[i];
			const names_brand_t *br = &nm->brands[id];
			if (br->slen != (size_t)sl || memcmp(br->skel, sk, (size_t)sl) != 0) {
				continue;
			}
			if (br->len == lablen && memcmp(br->label, lab, lablen) == 0) {
				hit_add(k, id, SSR_NAMES_TLD_SWAP & nm->o.kinds, SCORE_TLD_SWAP,
				        "'%s' under '.%s'", br->label, suffix);
			} else {
				hit_add(k, id, SSR_NAMES_HOMOGLYPH & nm->o.kinds, SCORE_HOMOGLYPH,
				        "skeleton '%s'%s", br->skel, idn ? " (IDN)" : "");
			}
		}
	}
	/* loose look-alikes: the loose folds of both skeletons equal */
	if (sl > 0 && (nm->o.kinds & SSR_NAMES_HOMOGLYPH)) {
		char lo[SSR_NAMES_MAX_SKELETON * 2 + 1], bl[SSR_NAMES_MAX_SKELETON * 2 + 1];
		size_t ll = names_loose(sk, (size_t)sl, lo);
		k->ncand = 0;
		names_index_find(nm, TAG_LOOSE, lo, ll, collect, k);
		for (size_t i = 0; i < k->ncand; i++) {
			uint32_t id = k->cand[i];
			const names_brand_t *br = &nm->brands[id];
			if (hit_find(k, id) ||
			    (br->len == lablen && memcmp(br->label, lab, lablen) == 0)) {
				continue;
			}
			if (names_loose(br->skel, br->slen, bl) == ll && memcmp(bl, lo, ll) == 0) {
				hit_add(k, id, SSR_NAMES_HOMOGLYPH, SCORE_HOMOGLYPH_LOOSE,
				        "loose look-alike '%s'", lo);
			}
		}
	}
	/* one edit: the label against brand labels (typo kinds), the skeleton against brand
	 * skeletons (a look-alike plus an edit); both live under one tag, so a label that is its
	 * own skeleton (most ASCII labels) costs one family of lookups */
	bool typo = !idn && (nm->o.kinds & (SSR_NAMES_TYPO | SSR_NAMES_BITSQUAT));
	bool sedit = sl > 0 && (nm->o.kinds & SSR_NAMES_HOMOGLYPH);
	bool same = sl > 0 && (size_t)sl == lablen && memcmp(sk, lab, lablen) == 0;
	k->ncand = 0;
	if (typo || (sedit && same)) {
		gather_deletions(k, TAG_DEL, lab, lablen);
	}
	if (sedit && !same) {
		gather_deletions(k, TAG_DEL, sk, (size_t)sl);
	}
	for (size_t i = 0; i < k->ncand; i++) {
		uint32_t id = k->cand[i];
		const names_brand_t *br = &nm->brands[id];
		if (typo) {
			classify(k, id, lab, lablen);
		}
		if (!sedit || hit_find(k, id) || !dl1(sk, (size_t)sl, br->skel, br->slen) ||
		    (!idn && dl1(lab, lablen, br->label, br->len))) {
			continue; /* not one edit, or a plain typo (its own kinds, maybe off) */
		}
		hit_add(k, id, SSR_NAMES_HOMOGLYPH, SCORE_HOMOGLYPH_EDIT,
		        "skeleton '%s' one edit from '%s'", sk, br->skel);
	}
	if (!idn && (nm->o.kinds & SSR_NAMES_COMBOSQUAT) && nm->ac_states > 1) {
		combos(k, lab, lablen);
	}
	if (prefix && *prefix && (nm->o.kinds & SSR_NAMES_SUBDOMAIN)) {
		subdomains(k, prefix, lab, lablen);
	}
	if (cased) {
		as_written(k, cased, prefix ? strlen(prefix) : 0, lablen);
	}
	/* zone scans: the registered label only (its delegations are what the zone holds) */
	tokens(k, prefix, lab, lablen, cased, subj->provider != NULL, subj->check);
	hits_sort(k);
	for (size_t i = 0; i < k->nhits && rc >= 0; i++) {
		ssr_names_match_t m = {.brand = nm->brands[k->hits[i].brand].text,
		                       .kinds = k->hits[i].kinds,
		                       .score = k->hits[i].score,
		                       .position = k->hits[i].below ? "subdomain" : "registered",
		                       .detail = k->hits[i].detail};
		int r = fn ? fn(subj, &m, ctx) : SSR_EOK;
		if (r != SSR_EOK) {
			rc = r;
		}
	}
	if (rc >= 0) {
		rc = (int)k->nhits;
	}
out:
	idn2_free(dec);
	idn2_free(udom);
	subj->unicode = NULL;
	return rc;
}

const char *ssr_names_providers_path(void)
{
	static char path[4096];
	const char *data = getenv("SSRWATCH_DATA");
	snprintf(path, sizeof path, "%s/names/providers.txt", data ? data : SSR_DATA_DIR);
	return path;
}

int ssr_names_check(const ssr_names_t *nm, const char *name, size_t len, ssr_names_match_fn fn,
                    void *ctx, ssr_diag_t *diag)
{
	char norm[NAMES_NAME_MAX + 1], reg[NAMES_NAME_MAX + 1], prefix[NAMES_NAME_MAX + 1];
	if (!nm->built) {
		return ssr_diag_set(diag, SSR_EINVAL, "names: index not built");
	}
	int n = names_normalise(name, len, norm, sizeof norm, diag);
	if (n < 0) {
		return n;
	}
	if (ssr_psl_is_public_suffix(nm->o.psl, norm)) {
		return 0;
	}
	int r = ssr_psl_registered_domain(nm->o.psl, norm, reg, sizeof reg);
	if (r < 0) {
		return ssr_diag_set(diag, SSR_EPARSE, "name too long");
	}
	size_t pl = (size_t)n - (size_t)r;
	pl = pl > 0 ? pl - 1 : 0;
	memcpy(prefix, norm, pl);
	prefix[pl] = '\0';
	/* under a hosting or dynamic-DNS provider (the PSL's private section, the shipped list):
	 * the provider's user's label is the registrable one, the labels left of it its subdomains
	 */
	char prov[NAMES_NAME_MAX + 1];
	int pv = ssr_psl_private_suffix(nm->o.psl, norm, prov, sizeof prov);
	const char *regp = reg;
	if (pv > 0 && (size_t)pv + 1 < (size_t)n) {
		size_t before =
		    (size_t)n - (size_t)pv - 1; /* norm[0..before) holds the user's labels */
		size_t start = before;
		while (start > 0 && norm[start - 1] != '.') {
			start--;
		}
		regp = norm + start;
		r = n - (int)start;
		pl = start > 0 ? start - 1 : 0;
		memcpy(prefix, norm, pl);
		prefix[pl] = '\0';
	} else {
		pv = 0;
	}
	const char *dot = strchr(regp, '.');
	size_t lablen = dot ? (size_t)(dot - regp) : (size_t)r;
	/* the name as written, when it is ASCII and carries case: the same layout as norm */
	char cased[NAMES_NAME_MAX + 1];
	bool ascii = true, upper = false;
	size_t cl = len;
	while (cl > 0 && name[cl - 1] == '.') {
		cl--;
	}
	for (size_t i = 0; i < cl; i++) {
		ascii &= (unsigned char)name[i] < 128;
		upper |= name[i] >= 'A' && name[i] <= 'Z';
	}
	bool keep = ascii && upper && cl == (size_t)n && cl < sizeof cased;
	if (keep) {
		memcpy(cased, name, cl);
		cased[cl] = '\0';
	}
	ssr_names_subject_t subj = {.provider = pv > 0 ? prov : NULL, .check = true};
	return names_check_parts(nm, regp, lablen, prefix, keep ? cased : NULL, &subj, fn, ctx);
}
