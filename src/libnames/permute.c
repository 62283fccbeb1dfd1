/* libnames: the permutations each kind describes, for coverage comparisons with dnstwist. */
#include <idn2.h>
#include <stdio.h>
#include <string.h>

#include "names_priv.h"

/* Look-alikes of Latin letters (Cyrillic, Greek, Armenian, accented Latin), UTF-8.  Only those
 * whose skeleton equals the original's are handed out, so the list may be generous. */
static const char *const lookalikes[26] = {
    /* a */ "а ɑ à á â ã ä å ạ ą ă",
    /* b */ "ь ḃ ḅ Ƅ",
    /* c */ "с ϲ ç ć ċ č",
    /* d */ "ԁ ď ḋ ḍ",
    /* e */ "е é è ê ë ė ę ẹ ě",
    /* f */ "ḟ",
    /* g */ "ɡ ġ ğ ģ ǵ",
    /* h */ "һ ĥ ḣ ḥ",
    /* i */ "і í ì î ï ı ị",
    /* j */ "ј ĵ",
    /* k */ "ķ ḳ",
    /* l */ "ӏ ĺ ļ ľ ḷ",
    /* m */ "ṁ ṃ",
    /* n */ "ո ñ ń ņ ň ṅ",
    /* o */ "о ο ó ò ô õ ö ọ ȯ",
    /* p */ "р ρ ṕ ṗ",
    /* q */ "ԛ",
    /* r */ "ŕ ř ŗ ṙ",
    /* s */ "ѕ ś š ş ṡ",
    /* t */ "ţ ť ṫ ṭ",
    /* u */ "ս ú ù û ü ū ụ ů",
    /* v */ "ν ѵ ṿ",
    /* w */ "ԝ ŵ ẁ ẃ ẅ",
    /* x */ "х ẋ",
    /* y */ "у ý ÿ ŷ ỵ",
    /* z */ "ż ź ž ẓ",
};
/* Cyrillic letters that pass for Latin ones, for whole-label swaps. */
static const char *const cyrillic[26] = {"а", NULL, "с",  "ԁ",  "е",  NULL, NULL, "һ", "і",
                                         "ј", NULL, "ӏ",  NULL, NULL, "о",  "р",  "ԛ", NULL,
                                         "ѕ", NULL, NULL, NULL, "ԝ",  "х",  "у",  NULL};
/* ASCII look-alike pairs (both directions). */
static const char *const ascii_pairs[][2] = {{"l", "1"},  {"o", "0"}, {"m", "rn"}, {"w", "vv"},
                                             {"d", "cl"}, {"i", "1"}, {"l", "i"}};
static const char *const common_tlds[] = {"com", "net",    "org",  "info", "biz",  "io",  "co",
                                          "xyz", "online", "site", "top",  "shop", "app", "live",
                                          "us",  "uk",     "de",   "cn",   "ru",   "eu"};

typedef struct {
	const ssr_names_t *nm;
	const char *label, *suffix;
	size_t n;
	const char *skel;
	ssr_names_perm_fn fn;
	void *ctx;
	ssr_strmap_t seen;
	int rc;
} perm_t;

/* Hand out label (UTF-8 or ASCII) under the suffix, once per kind, if it is a valid name. */
static void emit(perm_t *p, const char *kind, const char *label, size_t len, bool same_skeleton)
{
	char buf[NAMES_NAME_MAX * 4 + 2], out[NAMES_NAME_MAX + 1];
	if (p->rc != SSR_EOK || len == 0 || len > NAMES_LABEL_MAX * 4) {
		return;
	}
	int w = snprintf(buf, sizeof buf, "%.*s%s%s", (int)len, label, *p->suffix ? "." : "",
	                 p->suffix);
	if (w < 0 || (size_t)w >= sizeof buf) {
		return;
	}
	if (names_normalise(buf, (size_t)w, out, sizeof out, NULL) < 0) {
		return;
	}
	if (same_skeleton) {
		/* the skeleton of the label as registered (IDNA maps case and compatibility forms)
		 */
		char lab[NAMES_LABEL_MAX + 1], sk[SSR_NAMES_MAX_SKELETON], *dec = NULL;
		size_t ll = strcspn(out, ".");
		memcpy(lab, out, ll);
		lab[ll] = '\0';
		const char *u = lab;
		if (ll > 4 && memcmp(lab, "xn--", 4) == 0 &&
		    idn2_to_unicode_8z8z(lab, &dec, 0) == IDN2_OK) {
			u = dec;
		}
		int sl = ssr_names_skeleton(p->nm, u, strlen(u), sk, sizeof sk);
		idn2_free(dec);
		if (sl <= 0 || strcmp(sk, p->skel) != 0) {
			return;
		}
	}
	char key[NAMES_NAME_MAX + 32];
	int kl = snprintf(key, sizeof key, "%s %s", kind, out);
	ssr_strmap_entry_t *en;
	bool ins;
	if (ssr_strmap_upsert(&p->seen, key, (size_t)kl, &en, &ins) != SSR_EOK) {
		p->rc = SSR_ENOMEM;
		return;
	}
	if (ins) {
		int r = p->fn(kind, out, p->ctx);
		if (r != SSR_EOK) {
			p->rc = r;
		}
	}
}

/* label with [at, at + cut) replaced by rep */
static void emit_splice(perm_t *p, const char *kind, size_t at, size_t cut, const char *rep,
                        bool same_skeleton)
{
	char buf[NAMES_LABEL_MAX * 4 + 8];
	size_t rl = strlen(rep);
	if (p->n - cut + rl >= sizeof buf) {
		return;
	}
	memcpy(buf, p->label, at);
	memcpy(buf + at, rep, rl);
	memcpy(buf + at + rl, p->label + at + cut, p->n - at - cut);
	emit(p, kind, buf, p->n - cut + rl, same_skeleton);
}

static void kinds_typo(perm_t *p, uint32_t kinds)
{
	const ssr_names_t *nm = p->nm;
	const char *b = p->label;
	size_t n = p->n;
	char one[2] = {0, 0};
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		if (kinds & SSR_NAMES_OMISSION) {
			emit_splice(p, "omission", i, 1, "", false);
		}
		if (kinds & SSR_NAMES_REPETITION) {
			one[0] = (char)c;
			emit_splice(p, "repetition", i, 0, one, false);
		}
		for (int s = 0; s < 128; s++) {
			if (nm->sym[s] < 0 || !names_adjacent(nm, c, (unsigned char)s)) {
				continue;
			}
			one[0] = (char)s;
			if (kinds & SSR_NAMES_REPLACEMENT) {
				emit_splice(p, "replacement", i, 1, one, false);
			}
			if (kinds & SSR_NAMES_INSERTION) {
				emit_splice(p, "insertion", i, 0, one, false);
				emit_splice(p, "insertion", i + 1, 0, one, false);
			}
		}
		if ((kinds & SSR_NAMES_VOWEL_SWAP) && strchr("aeiou", (int)c)) {
			for (const char *v = "aeiou"; *v; v++) {
				if (*v != (char)c) {
					one[0] = *v;
					emit_splice(p, "vowel-swap", i, 1, one, false);
				}
			}
		}
		if (kinds & SSR_NAMES_BITSQUAT) {
			for (int bit = 0; bit < 8; bit++) {
				unsigned x = c ^ (1u << bit);
				if (x < 128 && nm->sym[x] >= 0) {
					one[0] = (char)x;
					emit_splice(p, "bitsquat", i, 1, one, false);
				}
			}
		}
		if (i + 1 < n && b[i] != b[i + 1] && (kinds & SSR_NAMES_TRANSPOSITION)) {
			char sw[3] = {b[i + 1], b[i], 0};
			emit_splice(p, "transposition", i, 2, sw, false);
		}
		if (i > 0 && b[i] != '-' && b[i - 1] != '-') {
			if (kinds & SSR_NAMES_HYPHENATION) {
				emit_splice(p, "hyphenation", i, 0, "-", false);
			}
			if (kinds & SSR_NAMES_SUBDOMAIN) {
				emit_splice(p, "subdomain", i, 0, ".", false);
			}
		}
	}
	if (kinds & SSR_NAMES_ADDITION) {
		for (int s = 0; s < 128; s++) {
			if (nm->sym[s] >= 0 && s != '-') {
				one[0] = (char)s;
				emit_splice(p, "addition", n, 0, one, false);
			}
		}
	}
}

static void kinds_homoglyph(perm_t *p)
{
	const char *b = p->label;
	size_t n = p->n;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < sizeof ascii_pairs / sizeof ascii_pairs[0]; k++) {
			for (int dir = 0; dir < 2; dir++) {
				const char *from = ascii_pairs[k][dir], *to = ascii_pairs[k][!dir];
				size_t fl = strlen(from);
				if (i + fl <= n && memcmp(b + i, from, fl) == 0) {
					emit_splice(p, "homoglyph", i, fl, to, true);
				}
			}
		}
		unsigned char c = (unsigned char)b[i];
		if (c < 'a' || c > 'z') {
			continue;
		}
		for (const char *l = lookalikes[c - 'a']; *l;) {
			const char *sp = strchr(l, ' ');
			size_t ll = sp ? (size_t)(sp - l) : strlen(l);
			char rep[8];
			if (ll < sizeof rep) {
				memcpy(rep, l, ll);
				rep[ll] = '\0';
				emit_splice(p, "homoglyph", i, 1, rep, true);
			}
			l += ll + (sp ? 1 : 0);
		}
	}
	/* the whole label in Cyrillic look-alikes, when every letter has one */
	char buf[NAMES_LABEL_MAX * 4 + 1];
	size_t w = 0;
	bool all = true;
	for (size_t i = 0; i < n && all; i++) {
		unsigned char c = (unsigned char)b[i];
		const char *cy = (c >= 'a' && c <= 'z') ? cyrillic[c - 'a'] : NULL;
		if (!cy) {
			all = c == '-' || (c >= '0' && c <= '9');
			buf[w++] = (char)c;
		} else {
			memcpy(buf + w, cy, strlen(cy));
			w += strlen(cy);
		}
	}
	if (all) {
		emit(p, "homoglyph", buf, w, true);
	}
}

static void kinds_combo(perm_t *p)
{
	char buf[2 * NAMES_LABEL_MAX + 2];
	size_t pos = 0;
	const ssr_strmap_entry_t *e;
	while ((e = ssr_strmap_next(&p->nm->words, &pos)) != NULL) {
		int wl = (int)e->len;
		const char *w = (const char *)e->key;
		int n;
		n = snprintf(buf, sizeof buf, "%s%.*s", p->label, wl, w);
		emit(p, "combosquat", buf, (size_t)n, false);
		n = snprintf(buf, sizeof buf, "%s-%.*s", p->label, wl, w);
		emit(p, "combosquat", buf, (size_t)n, false);
		n = snprintf(buf, sizeof buf, "%.*s%s", wl, w, p->label);
		emit(p, "combosquat", buf, (size_t)n, false);
		n = snprintf(buf, sizeof buf, "%.*s-%s", wl, w, p->label);
		emit(p, "combosquat", buf, (size_t)n, false);
	}
}

int ssr_names_permute(const ssr_names_t *nm, const char *domain, uint32_t kinds,
                      ssr_names_perm_fn fn, void *ctx, ssr_diag_t *diag)
{
	char norm[NAMES_NAME_MAX + 1], reg[NAMES_NAME_MAX + 1], ulab[NAMES_LABEL_MAX * 4 + 1];
	int n = names_normalise(domain, strlen(domain), norm, sizeof norm, diag);
	if (n < 0) {
		return n;
	}
	int r = ssr_psl_registered_domain(nm->o.psl, norm, reg, sizeof reg);
	if (r < 0 || !strchr(reg, '.') || ssr_psl_is_public_suffix(nm->o.psl, norm)) {
		return ssr_diag_set(diag, SSR_EPARSE, "'%s' has no registrable label", norm);
	}
	char *dot = strchr(reg, '.');
	*dot = '\0';
	perm_t p = {.nm = nm, .label = reg, .suffix = dot + 1, .fn = fn, .ctx = ctx};
	char *dec = NULL;
	if (strncmp(reg, "xn--", 4) == 0 && idn2_to_unicode_8z8z(reg, &dec, 0) == IDN2_OK) {
		snprintf(ulab, sizeof ulab, "%s", dec);
		idn2_free(dec);
		p.label = ulab;
	}
	p.n = strlen(p.label);
	char sk[SSR_NAMES_MAX_SKELETON];
	if (ssr_names_skeleton(nm, p.label, p.n, sk, sizeof sk) <= 0) {
		return ssr_diag_set(diag, SSR_EPARSE, "'%s': no skeleton", norm);
	}
	p.skel = sk;
	if (ssr_strmap_init(&p.seen, 4096) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	int rc = fn("*original", norm, ctx);
	if (rc == SSR_EOK) {
		if (kinds & SSR_NAMES_HOMOGLYPH) {
			kinds_homoglyph(&p);
		}
		kinds_typo(&p, kinds);
		if (kinds & SSR_NAMES_COMBOSQUAT) {
			kinds_combo(&p);
		}
		if (kinds & SSR_NAMES_TLD_SWAP) {
			const char *save = p.suffix;
			for (size_t i = 0; i < sizeof common_tlds / sizeof common_tlds[0]; i++) {
				if (strcmp(common_tlds[i], save) != 0) {
					p.suffix = common_tlds[i];
					emit(&p, "tld-swap", p.label, p.n, false);
				}
			}
			p.suffix = save;
		}
		rc = p.rc;
	}
	ssr_strmap_release(&p.seen);
	if (rc != SSR_EOK && rc != SSR_ESTOP) {
		return ssr_diag_set(diag, rc, "permutations of '%s': %s", norm, ssr_strerror(rc));
	}
	return SSR_EOK;
}
