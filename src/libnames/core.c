/* libnames: the matcher's life cycle, the confusable skeleton, brand/allow/word files, and the
 * indexes (multimap of fingerprints, Aho-Corasick automaton).
 *
 * Over 800 lines: the skeleton's ICU path and its ASCII fast-path table must agree, and the
 * indexes are built from both; kept together so that a change to one is seen beside the other. */
#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "names_priv.h"
#include "ssrwatch/utf8.h"
#include "ssrwatch/lines.h"

static const char *const kind_names[SSR_NAMES_KIND_COUNT] = {
    "homoglyph",   "omission",      "insertion",  "repetition",  "addition",
    "replacement", "transposition", "vowel-swap", "hyphenation", "bitsquat",
    "combosquat",  "tld-swap",      "subdomain",  "token"};

const char *ssr_names_kind_name(unsigned i)
{
	return i < SSR_NAMES_KIND_COUNT ? kind_names[i] : "?";
}

int ssr_names_kinds_parse(const char *list, uint32_t *out, ssr_diag_t *diag)
{
	uint32_t k = 0;
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		bool found = false;
		if (n == 4 && memcmp(p, "typo", 4) == 0) {
			k |= SSR_NAMES_TYPO;
			found = true;
		} else if (n == 3 && memcmp(p, "all", 3) == 0) {
			k |= SSR_NAMES_ALL;
			found = true;
		}
		for (unsigned i = 0; !found && i < SSR_NAMES_KIND_COUNT; i++) {
			if (strlen(kind_names[i]) == n && memcmp(kind_names[i], p, n) == 0) {
				k |= 1u << i;
				found = true;
			}
		}
		if (!found) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "unknown kind '%.*s' (one of: all, typo, %s, %s, "
			                    "...; see --help)",
			                    (int)n, p, kind_names[0], kind_names[1]);
		}
		p += n;
		if (*p == ',') {
			p++;
		}
	}
	if (k == 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "empty kind list");
	}
	*out = k;
	return SSR_EOK;
}

int ssr_names_kinds_format(uint32_t kinds, char *out, size_t cap)
{
	size_t n = 0;
	if (cap == 0) {
		return SSR_ELIMIT;
	}
	out[0] = '\0';
	for (unsigned i = 0; i < SSR_NAMES_KIND_COUNT; i++) {
		if (!(kinds & (1u << i))) {
			continue;
		}
		int w = snprintf(out + n, cap - n, "%s%s", n ? "," : "", kind_names[i]);
		if (w < 0 || (size_t)w >= cap - n) {
			return SSR_ELIMIT;
		}
		n += (size_t)w;
	}
	return (int)n;
}

/* ---- keyboard layouts ------------------------------------------------------------------
 * Rows of three common layouts; a key touches its row neighbours, the two keys above it
 * (same column and the next) and the two below (previous column and same). */
static const char *const layouts[][4] = {
    {"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"},
    {"1234567890", "qwertzuiop", "asdfghjkl", "yxcvbnm"},
    {"1234567890", "azertyuiop", "qsdfghjklm", "wxcvbn"},
};

static void keyboard_init(ssr_names_t *nm)
{
	for (size_t l = 0; l < sizeof layouts / sizeof layouts[0]; l++) {
		for (int r = 0; r < 4; r++) {
			const char *row = layouts[l][r];
			int len = (int)strlen(row);
			for (int j = 0; j < len; j++) {
				unsigned char c = (unsigned char)row[j];
				const int nb[6][2] = {{r, j - 1},     {r, j + 1},     {r - 1, j},
				                      {r - 1, j + 1}, {r + 1, j - 1}, {r + 1, j}};
				for (int k = 0; k < 6; k++) {
					int rr = nb[k][0], jj = nb[k][1];
					if (rr < 0 || rr > 3 || jj < 0 ||
					    jj >= (int)strlen(layouts[l][rr])) {
						continue;
					}
					unsigned char d = (unsigned char)layouts[l][rr][jj];
					nm->adj[c] |= 1ULL << nm->sym[d];
				}
			}
		}
	}
}

/* ---- skeleton ------------------------------------------------------------------------ */

/* The pair folds applied after the UTS #39 skeleton: look-alikes UTS #39 does not map. */
static size_t pair_folds(char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && s[i] == 'v' && s[i + 1] == 'v') {
			s[w++] = 'w';
			i++;
		} else if (i + 1 < n && s[i] == 'c' && s[i + 1] == 'l') {
			s[w++] = 'd';
			i++;
		} else {
			s[w++] = s[i];
		}
	}
	return w;
}

/* UTS #39's skeleton of a[0..n), case-folded, to UTF-8 in out with the pair folds. */
/* a UTF-8 label into a (SSR_NAMES_MAX_SKELETON units): its length, or SSR_ELIMIT / SSR_EPARSE */
static int32_t to_uchars(const char *label, size_t len, UChar *a)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t n = 0;
	if (len > SSR_NAMES_MAX_SKELETON / 2) {
		return SSR_ELIMIT;
	}
	u_strFromUTF8(a, SSR_NAMES_MAX_SKELETON, &n, label, (int32_t)len, &e);
	return U_FAILURE(e) ? SSR_EPARSE : n;
}

static int skeleton_tail(const ssr_names_t *nm, UChar *a, int32_t n, char *out, size_t cap)
{
	UChar b[SSR_NAMES_MAX_SKELETON * 2];
	UErrorCode e = U_ZERO_ERROR;
	int32_t m = uspoof_getSkeleton(nm->sc, 0, a, n, b, SSR_NAMES_MAX_SKELETON * 2, &e);
	if (U_FAILURE(e) || m > SSR_NAMES_MAX_SKELETON) {
		return SSR_ELIMIT;
	}
	n = u_strFoldCase(a, SSR_NAMES_MAX_SKELETON, b, m, U_FOLD_CASE_DEFAULT, &e);
	if (U_FAILURE(e)) {
		return SSR_ELIMIT;
	}
	int32_t w = 0;
	u_strToUTF8(out, (int32_t)cap, &w, a, n, &e);
	if (U_FAILURE(e) || e == U_STRING_NOT_TERMINATED_WARNING || (size_t)w >= cap) {
		return SSR_ELIMIT;
	}
	w = (int32_t)pair_folds(out, (size_t)w);
	out[w] = '\0';
	return w;
}

int ssr_names_skeleton_icu(const ssr_names_t *nm, const char *label, size_t len, char *out,
                           size_t cap)
{
	UChar a[SSR_NAMES_MAX_SKELETON], b[SSR_NAMES_MAX_SKELETON * 2];
	UErrorCode e = U_ZERO_ERROR;
	int32_t n = to_uchars(label, len, a);
	if (n < 0) {
		return n;
	}
	int32_t m = unorm2_normalize(nm->nfd, a, n, b, SSR_NAMES_MAX_SKELETON * 2, &e);
	if (U_FAILURE(e)) {
		return SSR_ELIMIT;
	}
	/* drop nonspacing marks: accents do not make a different-looking label */
	n = 0;
	for (int32_t i = 0; i < m;) {
		UChar32 c;
		int32_t at = i;
		U16_NEXT(b, i, m, c);
		if (u_charType(c) == U_NON_SPACING_MARK) {
			continue;
		}
		while (at < i) {
			a[n++] = b[at++];
		}
	}
	/* letters with hooks and strokes (ƥ, ł, ɢ, ǥ, ɇ) to their base letter: ICU Latin-ASCII */
	bool ascii = true;
	for (int32_t i = 0; i < n; i++) {
		ascii &= a[i] < 128;
	}
	if (!ascii && nm->latin) {
		int32_t lim = n;
		pthread_mutex_lock((pthread_mutex_t *)&nm->latin_lock);
		utrans_transUChars(nm->latin, a, &n, SSR_NAMES_MAX_SKELETON, 0, &lim, &e);
		pthread_mutex_unlock((pthread_mutex_t *)&nm->latin_lock);
		if (U_FAILURE(e)) {
			return SSR_ELIMIT;
		}
	}
	/* case first (small capitals and the like came out of Latin-ASCII as capitals) */
	m = u_strFoldCase(b, SSR_NAMES_MAX_SKELETON * 2, a, n, U_FOLD_CASE_DEFAULT, &e);
	if (U_FAILURE(e) || m > SSR_NAMES_MAX_SKELETON) {
		return SSR_ELIMIT;
	}
	memcpy(a, b, (size_t)m * sizeof *a);
	n = m;
	return skeleton_tail(nm, a, n, out, cap);
}

static bool two(const char *p, unsigned char a, unsigned char b)
{
	return (unsigned char)p[0] == a && (unsigned char)p[1] == b;
}

size_t names_loose(const char *sk, size_t n, char *out)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)sk[i];
		if (i + 1 < n && (c == 'n' || c == 'r') && sk[i + 1] == c) {
			out[w++] = 'r';
			out[w++] = 'n';
			i++;
		} else if (c == 'q') {
			out[w++] = 'g';
		} else if (c == 'i') {
			out[w++] = 'l';
		} else if (c == 'e') {
			out[w++] = 'c';
		} else if (i + 1 < n && two(sk + i, 0xc3, 0xbe)) { /* wynn's skeleton, thorn */
			out[w++] = 'p';
			i++;
		} else if (i + 1 < n && two(sk + i, 0xc7, 0x9d)) { /* schwa's skeleton, turned e */
			out[w++] = 'a';
			i++;
		} else if (i + 1 < n && two(sk + i, 0xc6, 0x85)) { /* tone six */
			out[w++] = 'b';
			i++;
		} else if (i + 1 < n && two(sk + i, 0xc9, 0xa9)) { /* iota */
			out[w++] = 'l';
			i++;
		} else {
			out[w++] = (char)c;
		}
	}
	out[w] = '\0';
	return w;
}

int names_skeleton_as_written(const ssr_names_t *nm, const char *label, size_t len, char *out,
                              size_t cap)
{
	/* UTS #39's skeleton of the label with its case (U+0049 'I' is confusable with 'l'), then
	 * case-folded as ssr_names_skeleton's result is */
	UChar a[SSR_NAMES_MAX_SKELETON];
	int32_t n = to_uchars(label, len, a);
	return n < 0 ? n : skeleton_tail(nm, a, n, out, cap);
}

int ssr_names_skeleton(const ssr_names_t *nm, const char *label, size_t len, char *out, size_t cap)
{
	size_t w = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)label[i];
		if (c >= 128 || !nm->afold_ok[c]) {
			return ssr_names_skeleton_icu(nm, label, len, out, cap);
		}
		if (w + nm->afold_len[c] >= cap) {
			return SSR_ELIMIT;
		}
		memcpy(out + w, nm->afold[c], nm->afold_len[c]);
		w += nm->afold_len[c];
	}
	w = pair_folds(out, w);
	out[w] = '\0';
	return (int)w;
}

/* ---- names -------------------------------------------------------------------------------- */

/* Valid host name label (LDH, 1..63, no hyphen at the ends). */
static bool ldh_label(const char *s, size_t n)
{
	if (n == 0 || n > NAMES_LABEL_MAX || s[0] == '-' || s[n - 1] == '-') {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
			return false;
		}
	}
	return true;
}

int names_normalise(const char *name, size_t len, char *out, size_t cap, ssr_diag_t *diag)
{
	char buf[NAMES_NAME_MAX * 4 + 2];
	if (len > 0 && name[len - 1] == '.') {
		len--;
	}
	if (len == 0) {
		return ssr_diag_set(diag, SSR_EPARSE, "empty name");
	}
	if (len >= sizeof buf) {
		return ssr_diag_set(diag, SSR_EPARSE, "name too long (%zu bytes)", len);
	}
	bool ascii = true;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c == 0) {
			return ssr_diag_set(diag, SSR_EPARSE, "NUL byte in name");
		}
		ascii &= c < 128;
		buf[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
	}
	buf[len] = '\0';
	const char *src = buf;
	char *a = NULL;
	if (!ascii) {
		int rc = idn2_to_ascii_8z(buf, &a, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
		if (rc != IDN2_OK) {
			return ssr_diag_set(diag, SSR_EPARSE, "not a valid IDN (%s)",
			                    idn2_strerror(rc));
		}
		src = a;
	}
	size_t n = strlen(src);
	int rc = SSR_EOK;
	if (n > NAMES_NAME_MAX || n >= cap) {
		rc = ssr_diag_set(diag, SSR_EPARSE, "name too long (%zu bytes)", n);
	}
	for (size_t s = 0; rc == SSR_EOK && s <= n;) {
		const char *d = memchr(src + s, '.', n - s);
		size_t e = d ? (size_t)(d - src) : n;
		if (!ldh_label(src + s, e - s)) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "bad label '%.*s' (letters, digits, inner "
			                  "hyphens, 1 to 63 bytes)",
			                  (int)(e - s), src + s);
		}
		s = e + 1;
	}
	if (rc == SSR_EOK) {
		memcpy(out, src, n + 1);
		rc = (int)n;
	}
	idn2_free(a);
	return rc;
}

/* ---- life cycle ---------------------------------------------------------------------------- */

/* Built-in combosquat words: what phishing and scam names put beside a brand. */
static const char *const builtin_words[] = {
    "access",   "account",  "accounts",   "activate", "activation",   "airdrop",  "alert",
    "alerts",   "app",      "apps",       "auth",     "bank",         "banking",  "benefit",
    "best",     "billing",  "bonus",      "buy",      "card",         "cards",    "care",
    "cash",     "center",   "centre",     "chat",     "check",        "checkout", "claim",
    "client",   "cloud",    "co",         "coin",     "com",          "confirm",  "connect",
    "contact",  "corp",     "crypto",     "customer", "deal",         "deals",    "delivery",
    "desk",     "direct",   "discount",   "download", "email",        "exchange", "express",
    "free",     "get",      "gift",       "global",   "go",           "group",    "help",
    "helpdesk", "home",     "hq",         "id",       "inc",          "info",     "invest",
    "invoice",  "live",     "loan",       "log",      "login",        "logon",    "mail",
    "member",   "members",  "mobile",     "my",       "net",          "new",      "now",
    "offer",    "offers",   "official",   "online",   "order",        "orders",   "org",
    "page",     "parcel",   "pass",       "password", "pay",          "payment",  "payments",
    "portal",   "post",     "prize",      "promo",    "protect",      "recover",  "recovery",
    "refund",   "register", "renew",      "reset",    "reward",       "rewards",  "safe",
    "sale",     "secure",   "security",   "service",  "services",     "shipping", "shop",
    "sign",     "signin",   "signon",     "site",     "sso",          "store",    "support",
    "team",     "the",      "token",      "track",    "tracking",     "update",   "user",
    "users",    "validate", "validation", "verify",   "verification", "vip",      "wallet",
    "web",      "webmail",  "win",        "www"};

/* Brand tokens that are common English words or parts of them ("purchase", "snapple",
 * "officer", "businessoutlook"): reported as tokens only with context.  Brands whose label is a
 * combosquat word count too.  The list and how it was drawn up: docs/METHODOLOGY.md. */
static const char *const common_tokens[] = {
    "adobe",  "ally",     "apple",    "booking",  "boots",    "capital",  "chase",   "citizens",
    "coin",   "corona",   "crest",    "delta",    "discord",  "discover", "dove",    "epic",
    "exodus", "fidelity", "frontier", "genesis",  "jaguar",   "kraken",   "ledger",  "mango",
    "meta",   "mint",     "monster",  "nest",     "next",     "office",   "optimum", "oracle",
    "orange", "origin",   "outlook",  "phantom",  "prime",    "puma",     "regions", "ring",
    "sage",   "shell",    "signal",   "slack",    "spectrum", "spirit",   "square",  "steam",
    "stripe", "subway",   "target",   "telegram", "tide",     "twitter",  "uber",    "united",
    "visa",   "zoom",
};

bool ssr_names_is_common(const ssr_names_t *nm, const char *label, size_t n)
{
	for (size_t i = 0; i < sizeof common_tokens / sizeof common_tokens[0]; i++) {
		if (strlen(common_tokens[i]) == n && memcmp(common_tokens[i], label, n) == 0) {
			return true;
		}
	}
	return ssr_names_is_word(nm, label, n);
}

int ssr_names_new(const ssr_names_opts_t *opts, ssr_names_t **out, ssr_diag_t *diag)
{
	if (!opts || !opts->psl) {
		return ssr_diag_set(diag, SSR_EINVAL, "names: a public suffix list is required");
	}
	ssr_names_t *nm = calloc(1, sizeof *nm);
	if (!nm) {
		return ssr_diag_set(diag, SSR_ENOMEM, "names: out of memory");
	}
	nm->o = *opts;
	if (nm->o.kinds == 0) {
		nm->o.kinds = SSR_NAMES_ALL;
	}
	if (nm->o.min_typo_len == 0) {
		nm->o.min_typo_len = 4;
	}
	if (nm->o.min_combo_len == 0) {
		nm->o.min_combo_len = 4;
	}
	ssr_arena_init(&nm->arena, 1 << 16);
	int rc = SSR_EOK;
	if (ssr_strmap_init(&nm->brand_keys, 1024) != SSR_EOK ||
	    ssr_strmap_init(&nm->allow, 256) != SSR_EOK ||
	    ssr_strmap_init(&nm->words, 512) != SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "names: out of memory");
		goto fail;
	}
	UErrorCode e = U_ZERO_ERROR;
	nm->sc = uspoof_open(&e);
	if (U_SUCCESS(e)) {
		uspoof_setChecks(nm->sc, USPOOF_CONFUSABLE, &e);
	}
	nm->nfd = unorm2_getNFDInstance(&e);
	if (U_SUCCESS(e)) {
		UChar id[16];
		u_uastrcpy(id, "Latin-ASCII");
		nm->latin = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
		pthread_mutex_init(&nm->latin_lock, NULL);
	}
	if (U_FAILURE(e)) {
		rc = ssr_diag_set(diag, SSR_EUNSUPPORTED, "names: ICU spoof checker: %s",
		                  u_errorName(e));
		goto fail;
	}
	memset(nm->sym, -1, sizeof nm->sym);
	for (int c = 'a'; c <= 'z'; c++) {
		nm->sym[c] = (int8_t)(c - 'a');
	}
	for (int c = '0'; c <= '9'; c++) {
		nm->sym[c] = (int8_t)(26 + c - '0');
	}
	nm->sym['-'] = 36;
	keyboard_init(nm);
	/* the ASCII fast path: each LDH byte's skeleton through ICU, once */
	for (int c = 0; c < 128; c++) {
		if (nm->sym[c] < 0) {
			continue;
		}
		char s[16];
		UChar u[4];
		UChar sk[16], f[16];
		int32_t n;
		e = U_ZERO_ERROR;
		u[0] = (UChar)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		n = uspoof_getSkeleton(nm->sc, 0, u, 1, sk, 16, &e);
		n = u_strFoldCase(f, 16, sk, n, U_FOLD_CASE_DEFAULT, &e);
		int32_t w = 0;
		u_strToUTF8(s, sizeof s, &w, f, n, &e);
		if (U_FAILURE(e) || w <= 0 || w >= 8) {
			continue; /* left to the ICU path */
		}
		memcpy(nm->afold[c], s, (size_t)w);
		nm->afold_len[c] = (uint8_t)w;
		nm->afold_ok[c] = true;
	}
	if (!opts->no_builtin_words) {
		for (size_t i = 0; i < sizeof builtin_words / sizeof builtin_words[0]; i++) {
			ssr_strmap_entry_t *en;
			bool ins;
			if (ssr_strmap_upsert(&nm->words, builtin_words[i],
			                      strlen(builtin_words[i]), &en, &ins) != SSR_EOK) {
				rc = ssr_diag_set(diag, SSR_ENOMEM, "names: out of memory");
				goto fail;
			}
		}
	}
	*out = nm;
	return SSR_EOK;
fail:
	ssr_names_free(nm);
	return rc;
}

void ssr_names_free(ssr_names_t *nm)
{
	if (!nm) {
		return;
	}
	if (nm->sc) {
		uspoof_close(nm->sc);
	}
	if (nm->latin) {
		utrans_close(nm->latin);
		pthread_mutex_destroy(&nm->latin_lock);
	}
	free(nm->brands);
	ssr_strmap_release(&nm->brand_keys);
	ssr_strmap_release(&nm->allow);
	ssr_strmap_release(&nm->words);
	ssr_arena_release(&nm->arena);
	free(nm->fp);
	free(nm->ids);
	free(nm->bloom);
	free(nm->ac_goto);
	free(nm->ac_out);
	free(nm->ac_next);
	free(nm->ac_fail);
	free(nm);
}

size_t ssr_names_brand_count(const ssr_names_t *nm)
{
	return nm->nbrands;
}

bool ssr_names_is_brand(const ssr_names_t *nm, const char *s, size_t n)
{
	return ssr_strmap_find(&nm->brand_keys, s, n) != NULL;
}

bool ssr_names_is_word(const ssr_names_t *nm, const char *s, size_t n)
{
	return n > 0 && ssr_strmap_find(&nm->words, s, n) != NULL;
}

static char *arena_str(ssr_names_t *nm, const char *s, size_t n)
{
	char *p = ssr_arena_alloc(&nm->arena, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

int ssr_names_add_allow(ssr_names_t *nm, const char *domain, size_t len, ssr_diag_t *diag)
{
	char norm[NAMES_NAME_MAX + 1], reg[NAMES_NAME_MAX + 1];
	int n = names_normalise(domain, len, norm, sizeof norm, diag);
	if (n < 0) {
		return n;
	}
	int r = ssr_psl_registered_domain(nm->o.psl, norm, reg, sizeof reg);
	if (r < 0) {
		return ssr_diag_set(diag, SSR_EPARSE, "name too long");
	}
	ssr_strmap_entry_t *en;
	bool ins;
	if (ssr_strmap_upsert(&nm->allow, reg, (size_t)r, &en, &ins) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	return SSR_EOK;
}

int ssr_names_add_brand(ssr_names_t *nm, const char *text, size_t len, bool *added,
                        ssr_diag_t *diag)
{
	char norm[NAMES_NAME_MAX + 1], reg[NAMES_NAME_MAX + 1];
	*added = false;
	if (nm->built) {
		return ssr_diag_set(diag, SSR_EINVAL, "names: index already built");
	}
	if (nm->nbrands >= SSR_NAMES_MAX_BRANDS) {
		return ssr_diag_set(diag, SSR_ELIMIT, "more than %d brands", SSR_NAMES_MAX_BRANDS);
	}
	int n = names_normalise(text, len, norm, sizeof norm, diag);
	if (n < 0) {
		return n;
	}
	const char *label = norm;
	size_t lablen = (size_t)n;
	bool is_domain = memchr(norm, '.', (size_t)n) != NULL;
	if (is_domain) {
		if (ssr_psl_is_public_suffix(nm->o.psl, norm)) {
			return ssr_diag_set(diag, SSR_EPARSE, "'%s' is a public suffix", norm);
		}
		int r = ssr_psl_registered_domain(nm->o.psl, norm, reg, sizeof reg);
		if (r < 0) {
			return ssr_diag_set(diag, SSR_EPARSE, "name too long");
		}
		if ((size_t)r != (size_t)n) {
			return ssr_diag_set(diag, SSR_EPARSE,
			                    "'%s' is not a registered domain (that is '%s')", norm,
			                    reg);
		}
		lablen = (size_t)(strchr(norm, '.') - norm);
	}
	const char *u = label;
	size_t ulen = lablen;
	char *dec = NULL;
	if (lablen > 4 && memcmp(label, "xn--", 4) == 0) {
		char tmp[NAMES_LABEL_MAX + 1];
		memcpy(tmp, label, lablen);
		tmp[lablen] = '\0';
		if (idn2_to_unicode_8z8z(tmp, &dec, 0) != IDN2_OK) {
			return ssr_diag_set(diag, SSR_EPARSE, "bad punycode in '%.*s'", (int)lablen,
			                    label);
		}
		u = dec;
		ulen = strlen(dec);
	}
	char sk[SSR_NAMES_MAX_SKELETON];
	int sl = ssr_names_skeleton(nm, u, ulen, sk, sizeof sk);
	idn2_free(dec);
	if (sl <= 0) {
		return ssr_diag_set(diag, SSR_EPARSE, "no skeleton for '%.*s'", (int)lablen, label);
	}
	ssr_strmap_entry_t *en;
	bool ins;
	if (ssr_strmap_upsert(&nm->brand_keys, norm, (size_t)n, &en, &ins) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	if (!ins) {
		return SSR_EOK;
	}
	if (ssr_grow((void **)&nm->brands, &nm->bcap, nm->nbrands + 1, sizeof *nm->brands) !=
	    SSR_EOK) {
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	names_brand_t *b = &nm->brands[nm->nbrands];
	b->text = arena_str(nm, norm, (size_t)n);
	b->label = b->text ? arena_str(nm, norm, lablen) : NULL;
	b->domain = is_domain ? b->text : NULL;
	b->skel = arena_str(nm, sk, (size_t)sl);
	b->len = (uint16_t)lablen;
	b->slen = (uint16_t)sl;
	if (!b->text || !b->label || !b->skel) {
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	en->value = nm->nbrands++;
	if (is_domain && ssr_names_add_allow(nm, norm, (size_t)n, diag) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	*added = true;
	return SSR_EOK;
}

/* The line loop shared by the three list files. */
typedef int (*line_fn)(ssr_names_t *nm, const char *s, size_t n, bool *added, ssr_diag_t *diag);

static int load_list(ssr_names_t *nm, const char *what, const char *path, line_fn fn,
                     ssr_names_skip_fn skip, void *ctx, ssr_names_load_stats_t *st,
                     ssr_diag_t *diag)
{
	ssr_lines_t *lr;
	ssr_names_load_stats_t local = {0};
	if (!st) {
		st = &local;
	}
	int rc = ssr_lines_open(path, SSR_NAMES_MAX_LINE, &lr, diag);
	if (rc != SSR_EOK) {
		/* the list's role first: "brands '/x/b.txt': cannot open: ..." */
		char why[sizeof diag->msg];
		const char *m = strstr(diag->msg, "': ");
		snprintf(why, sizeof why, "%s", m ? m + 3 : diag->msg);
		return ssr_diag_set(diag, rc, "%s '%s': %s", what, path, why);
	}
	const char *p;
	size_t n;
	bool too_long;
	char msg[1200];
	while ((rc = ssr_lines_next(lr, &p, &n, &too_long, diag)) == 1) {
		uint64_t line = ssr_lines_number(lr);
		st->lines++;
		if (too_long) {
			st->invalid++;
			snprintf(msg, sizeof msg, "%s '%s' line %llu: line longer than %d bytes",
			         what, path, (unsigned long long)line, SSR_NAMES_MAX_LINE);
			if (skip) {
				skip(msg, ctx);
			}
			continue;
		}
		while (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
			p++;
			n--;
		}
		const char *hash = memchr(p, '#', n);
		if (hash) {
			n = (size_t)(hash - p);
		}
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == ',')) {
			n--;
		}
		if (n == 0) {
			st->blank++;
			continue;
		}
		if (!ssr_utf8_valid(p, n)) {
			st->not_utf8++;
			snprintf(msg, sizeof msg, "%s '%s' line %llu: not UTF-8", what, path,
			         (unsigned long long)line);
			if (skip) {
				skip(msg, ctx);
			}
			continue;
		}
		bool added = false;
		ssr_diag_t d = {0};
		int r = fn(nm, p, n, &added, &d);
		if (r == SSR_ENOMEM || r == SSR_ELIMIT) {
			ssr_lines_free(lr);
			return ssr_diag_set(diag, r, "%s '%s' line %llu: %s", what, path,
			                    (unsigned long long)line, d.msg);
		}
		if (r != SSR_EOK) {
			st->invalid++;
			snprintf(msg, sizeof msg, "%s '%s' line %llu: invalid name '%.*s': %s",
			         what, path, (unsigned long long)line, (int)(n > 80 ? 80 : n), p,
			         d.msg);
			if (skip) {
				skip(msg, ctx);
			}
		} else if (added) {
			st->added++;
		} else {
			st->duplicates++;
		}
	}
	ssr_lines_free(lr);
	if (rc < 0) {
		return rc;
	}
	return SSR_EOK;
}

static int brand_line(ssr_names_t *nm, const char *s, size_t n, bool *added, ssr_diag_t *diag)
{
	return ssr_names_add_brand(nm, s, n, added, diag);
}

static int allow_line(ssr_names_t *nm, const char *s, size_t n, bool *added, ssr_diag_t *diag)
{
	size_t before = nm->allow.count;
	int rc = ssr_names_add_allow(nm, s, n, diag);
	*added = nm->allow.count > before;
	return rc;
}

static int word_line(ssr_names_t *nm, const char *s, size_t n, bool *added, ssr_diag_t *diag)
{
	if (n > NAMES_LABEL_MAX) {
		return ssr_diag_set(diag, SSR_EPARSE, "word longer than 63 bytes");
	}
	for (size_t i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))) {
			return ssr_diag_set(diag, SSR_EPARSE,
			                    "words are lowercase letters and digits");
		}
	}
	ssr_strmap_entry_t *en;
	if (ssr_strmap_upsert(&nm->words, s, n, &en, added) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	return SSR_EOK;
}

int ssr_names_load_brands(ssr_names_t *nm, const char *path, ssr_names_skip_fn skip, void *ctx,
                          ssr_names_load_stats_t *stats, ssr_diag_t *diag)
{
	ssr_names_load_stats_t local = {0};
	if (!stats) {
		stats = &local;
	}
	size_t before = nm->nbrands;
	int rc = load_list(nm, "brands", path, brand_line, skip, ctx, stats, diag);
	if (rc == SSR_EOK && nm->nbrands == before) {
		rc = ssr_diag_set(diag, SSR_EPARSE, "brands '%s': no valid brand in %llu lines",
		                  path, (unsigned long long)stats->lines);
	}
	return rc;
}

int ssr_names_load_allow(ssr_names_t *nm, const char *path, ssr_names_skip_fn skip, void *ctx,
                         ssr_names_load_stats_t *stats, ssr_diag_t *diag)
{
	return load_list(nm, "allow list", path, allow_line, skip, ctx, stats, diag);
}

int ssr_names_load_words(ssr_names_t *nm, const char *path, ssr_names_skip_fn skip, void *ctx,
                         ssr_names_load_stats_t *stats, ssr_diag_t *diag)
{
	return load_list(nm, "words", path, word_line, skip, ctx, stats, diag);
}

/* ---- indexes ------------------------------------------------------------------------------ */

static inline uint64_t bloom_bits(uint64_t h, size_t *word, unsigned shift)
{
	uint64_t g = h * 0x9e3779b97f4a7c15ULL;
	*word = (size_t)(g >> shift);
	return (1ULL << (g & 63)) | (1ULL << ((g >> 6) & 63));
}

static void index_put(ssr_names_t *nm, unsigned tag, const char *key, size_t len, uint32_t id)
{
	uint64_t h = names_key_hash(tag, key, len);
	size_t word;
	uint64_t bits = bloom_bits(h, &word, nm->bloom_shift);
	nm->bloom[word] |= bits;
	uint32_t f = (uint32_t)(h >> 32) | 1u;
	size_t mask = nm->icap - 1, i = (size_t)h & mask;
	while (nm->fp[i] != 0) {
		if (nm->fp[i] == f && nm->ids[i] == id) {
			return; /* the same key twice for one brand ("aab" -> "ab", "ab") */
		}
		i = (i + 1) & mask;
	}
	nm->fp[i] = f;
	nm->ids[i] = id;
	nm->icount++;
	nm->lens[tag] |= 1ULL << (len < 63 ? len : 63);
}

void names_index_find(const ssr_names_t *nm, unsigned tag, const char *key, size_t len,
                      names_id_fn fn, void *ctx)
{
	if (!(nm->lens[tag] & (1ULL << (len < 63 ? len : 63)))) {
		return;
	}
	uint64_t h = names_key_hash(tag, key, len);
	size_t word;
	uint64_t bits = bloom_bits(h, &word, nm->bloom_shift);
	if ((nm->bloom[word] & bits) != bits) {
		return;
	}
	uint32_t f = (uint32_t)(h >> 32) | 1u;
	size_t mask = nm->icap - 1, i = (size_t)h & mask;
	while (nm->fp[i] != 0) {
		if (nm->fp[i] == f && !fn(nm->ids[i], ctx)) {
			return;
		}
		i = (i + 1) & mask;
	}
}

static void index_deletions(ssr_names_t *nm, unsigned tag, const char *s, size_t n, uint32_t id)
{
	char tmp[SSR_NAMES_MAX_SKELETON];
	index_put(nm, tag, s, n, id);
	for (size_t i = 0; i < n; i++) {
		memcpy(tmp, s, i);
		memcpy(tmp + i, s + i + 1, n - i - 1);
		index_put(nm, tag, tmp, n - 1, id);
	}
}

static int ac_new_state(ssr_names_t *nm)
{
	if (nm->ac_states == nm->ac_cap) {
		size_t cap = nm->ac_cap ? nm->ac_cap * 2 : 1024;
		int32_t *g = realloc(nm->ac_goto, cap * AC_SYMS * sizeof *g);
		if (!g) {
			return -1;
		}
		nm->ac_goto = g;
		int32_t *o = realloc(nm->ac_out, cap * sizeof *o);
		if (!o) {
			return -1;
		}
		nm->ac_out = o;
		nm->ac_cap = cap;
	}
	size_t s = nm->ac_states++;
	for (int k = 0; k < AC_SYMS; k++) {
		nm->ac_goto[s * AC_SYMS + k] = -1;
	}
	nm->ac_out[s] = -1;
	return (int)s;
}

static int ac_build(ssr_names_t *nm)
{
	if (ac_new_state(nm) < 0) {
		return SSR_ENOMEM;
	}
	for (size_t b = 0; b < nm->nbrands; b++) {
		const names_brand_t *br = &nm->brands[b];
		if (br->len < nm->o.min_combo_len) {
			continue;
		}
		int s = 0;
		for (size_t i = 0; i < br->len; i++) {
			int k = nm->sym[(unsigned char)br->label[i]];
			int32_t *t = &nm->ac_goto[(size_t)s * AC_SYMS + (size_t)k];
			if (*t < 0) {
				int ns = ac_new_state(nm);
				if (ns < 0) {
					return SSR_ENOMEM;
				}
				t = &nm->ac_goto[(size_t)s * AC_SYMS + (size_t)k];
				*t = ns;
			}
			s = *t;
		}
		if (nm->ac_out[s] < 0) {
			nm->ac_out[s] =
			    (int32_t)b; /* label brands and domain brands can share a label */
		}
	}
	size_t ns = nm->ac_states;
	nm->ac_fail = malloc(ns * sizeof *nm->ac_fail);
	nm->ac_next = malloc(ns * sizeof *nm->ac_next);
	int32_t *queue = malloc(ns * sizeof *queue);
	if (!nm->ac_fail || !nm->ac_next || !queue) {
		free(queue);
		return SSR_ENOMEM;
	}
	size_t qh = 0, qt = 0;
	nm->ac_fail[0] = 0;
	nm->ac_next[0] = -1;
	for (int k = 0; k < AC_SYMS; k++) {
		int32_t t = nm->ac_goto[k];
		if (t < 0) {
			nm->ac_goto[k] = 0;
		} else {
			nm->ac_fail[t] = 0;
			nm->ac_next[t] = -1;
			queue[qt++] = t;
		}
	}
	while (qh < qt) {
		int32_t s = queue[qh++];
		for (int k = 0; k < AC_SYMS; k++) {
			int32_t *t = &nm->ac_goto[(size_t)s * AC_SYMS + (size_t)k];
			int32_t f = nm->ac_goto[(size_t)nm->ac_fail[s] * AC_SYMS + (size_t)k];
			if (*t < 0) {
				*t = f; /* full transition table: no failure walk at scan time */
			} else {
				nm->ac_fail[*t] = f;
				nm->ac_next[*t] = nm->ac_out[f] >= 0 ? f : nm->ac_next[f];
				queue[qt++] = *t;
			}
		}
	}
	free(queue);
	return SSR_EOK;
}

int ssr_names_build(ssr_names_t *nm, ssr_diag_t *diag)
{
	if (nm->built) {
		return SSR_EOK;
	}
	if (nm->nbrands == 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "names: no brand to look for");
	}
	size_t keys = 0;
	for (size_t b = 0; b < nm->nbrands; b++) {
		keys += 3 + 2 + nm->brands[b].len + nm->brands[b].slen;
		/* the words are in: whether each brand's token is a common word is settled */
		nm->brands[b].common =
		    ssr_names_is_common(nm, nm->brands[b].label, nm->brands[b].len);
	}
	size_t cap = 1024;
	while (cap < keys * 2) {
		cap <<= 1;
	}
	nm->fp = calloc(cap, sizeof *nm->fp);
	nm->ids = calloc(cap, sizeof *nm->ids);
	if (!nm->fp || !nm->ids) {
		return ssr_diag_set(diag, SSR_ENOMEM, "names: out of memory for the index");
	}
	nm->icap = cap;
	/* cap >= 2 keys slots, so cap / 8 words of 64 bits give at least 16 bits per key */
	size_t words = cap / 8;
	unsigned wbits = 0;
	while ((1ULL << wbits) < words) {
		wbits++;
	}
	nm->bloom_shift = 64 - wbits;
	nm->bloom = calloc(words, sizeof *nm->bloom);
	if (!nm->bloom) {
		return ssr_diag_set(diag, SSR_ENOMEM, "names: out of memory for the index");
	}
	for (size_t b = 0; b < nm->nbrands; b++) {
		const names_brand_t *br = &nm->brands[b];
		index_put(nm, TAG_EXACT, br->label, br->len, (uint32_t)b);
		index_put(nm, TAG_SKEL, br->skel, br->slen, (uint32_t)b);
		char lo[SSR_NAMES_MAX_SKELETON * 2];
		size_t ll = names_loose(br->skel, br->slen, lo);
		index_put(nm, TAG_LOOSE, lo, ll, (uint32_t)b);
		if (br->len >= nm->o.min_typo_len) {
			index_deletions(nm, TAG_DEL, br->label, br->len, (uint32_t)b);
			index_deletions(nm, TAG_DEL, br->skel, br->slen, (uint32_t)b);
		}
	}
	if (ac_build(nm) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_ENOMEM, "names: out of memory for the automaton");
	}
	nm->built = true;
	return SSR_EOK;
}

int ssr_names_open(const ssr_names_opts_t *opts, const ssr_names_files_t *f, ssr_names_t **out,
                   ssr_diag_t *diag)
{
	ssr_names_load_stats_t bs = {0}, as = {0}, ws = {0};
	ssr_names_t *nm = NULL;
	*out = NULL;
	if (!f->brands) {
		return ssr_diag_set(diag, SSR_EINVAL, "names: no brand file");
	}
	int rc = ssr_names_new(opts, &nm, diag);
	if (rc == SSR_EOK) {
		rc = ssr_names_load_brands(nm, f->brands, f->skip, f->skip_ctx,
		                           f->brand_stats ? f->brand_stats : &bs, diag);
	}
	if (rc == SSR_EOK && f->allow) {
		rc = ssr_names_load_allow(nm, f->allow, f->skip, f->skip_ctx,
		                          f->allow_stats ? f->allow_stats : &as, diag);
	}
	if (rc == SSR_EOK && f->words) {
		rc = ssr_names_load_words(nm, f->words, f->skip, f->skip_ctx,
		                          f->word_stats ? f->word_stats : &ws, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_names_build(nm, diag);
	}
	if (rc != SSR_EOK) {
		ssr_names_free(nm);
		return rc;
	}
	*out = nm;
	return SSR_EOK;
}
