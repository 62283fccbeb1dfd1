/* ssrwatch — misleading-name detection (SSR2 Rec 19): which protected names (brands) a domain
 * imitates, and how.
 *
 * The protected names are indexed once (skeleton table, deletion neighbourhoods for edit
 * distance 1, an Aho-Corasick automaton for combinations); every name is then checked with a
 * fixed number of table lookups, whatever the number of brands.  Kinds, scores and the
 * skeleton are defined in docs/METHODOLOGY.md. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/psl.h"
#include "ssrwatch/state.h"
#include "ssrwatch/zone.h"

/* Kinds, one bit each. */
enum {
	SSR_NAMES_HOMOGLYPH = 1u << 0,     /* same confusable skeleton (UTS #39 + folds) */
	SSR_NAMES_OMISSION = 1u << 1,      /* one character left out */
	SSR_NAMES_INSERTION = 1u << 2,     /* one character added inside */
	SSR_NAMES_REPETITION = 1u << 3,    /* a character doubled */
	SSR_NAMES_ADDITION = 1u << 4,      /* one character appended */
	SSR_NAMES_REPLACEMENT = 1u << 5,   /* one character replaced */
	SSR_NAMES_TRANSPOSITION = 1u << 6, /* two neighbours swapped */
	SSR_NAMES_VOWEL_SWAP = 1u << 7,    /* a vowel replaced by another */
	SSR_NAMES_HYPHENATION = 1u << 8,   /* a hyphen inserted */
	SSR_NAMES_BITSQUAT = 1u << 9,      /* one bit of one character flipped */
	SSR_NAMES_COMBOSQUAT = 1u << 10,   /* the brand plus words */
	SSR_NAMES_TLD_SWAP = 1u << 11,     /* the brand's label under another suffix */
	SSR_NAMES_SUBDOMAIN = 1u << 12,    /* dots inserted, or the brand as a subdomain label */
	SSR_NAMES_TOKEN = 1u << 13,        /* the brand's token inside a label after leet digits and
	                                    * hyphens are folded ("1team-1paypal"); names check: any
	                                    * label, zone scans: the registered label */
};
#define SSR_NAMES_KIND_COUNT 14
#define SSR_NAMES_TYPO                                                                             \
	(SSR_NAMES_OMISSION | SSR_NAMES_INSERTION | SSR_NAMES_REPETITION | SSR_NAMES_ADDITION |    \
	 SSR_NAMES_REPLACEMENT | SSR_NAMES_TRANSPOSITION | SSR_NAMES_VOWEL_SWAP |                  \
	 SSR_NAMES_HYPHENATION)
#define SSR_NAMES_ALL ((1u << SSR_NAMES_KIND_COUNT) - 1)

/* Name of kind bit i (0 <= i < SSR_NAMES_KIND_COUNT): "homoglyph", "vowel-swap", ... */
const char *ssr_names_kind_name(unsigned i);
/* Comma-separated kind names, "typo" (every typo kind) or "all" -> mask.
 * Errors: SSR_EINVAL (an unknown kind, named). */
int ssr_names_kinds_parse(const char *list, uint32_t *out, ssr_diag_t *diag) SSR_CHECK;
/* Mask -> "omission,repetition" into out; returns the length or SSR_ELIMIT. */
int ssr_names_kinds_format(uint32_t kinds, char *out, size_t cap) SSR_CHECK;

/* Hard caps on untrusted input. */
#define SSR_NAMES_MAX_BRANDS   1000000
#define SSR_NAMES_MAX_LINE     1024
#define SSR_NAMES_MAX_SKELETON 256 /* bytes of a folded label (UTF-8) */

typedef struct ssr_names ssr_names_t;

typedef struct {
	const ssr_psl_t *psl;   /* required: registered domains */
	uint32_t kinds;         /* kinds to look for; 0: all */
	unsigned min_typo_len;  /* shortest brand label for edit-distance kinds; 0: 4 */
	unsigned min_combo_len; /* shortest brand label for combosquats; 0: 4 */
	bool no_builtin_words;  /* combosquat words only from ssr_names_load_words */
} ssr_names_opts_t;

/* A skipped line of a brand, allow or word file: "brands 'b.txt' line 3: invalid name 'a b'". */
typedef void (*ssr_names_skip_fn)(const char *msg, void *ctx);

typedef struct {
	uint64_t lines;
	uint64_t added;      /* names taken */
	uint64_t blank;      /* empty lines and comments */
	uint64_t duplicates; /* names already present */
	uint64_t invalid;    /* not a valid name (reason in the skip message) */
	uint64_t not_utf8;   /* bytes that are not UTF-8 */
} ssr_names_load_stats_t;

/* Errors: SSR_EINVAL (no public suffix list), SSR_EUNSUPPORTED (ICU's spoof checker cannot be
 * opened), SSR_ENOMEM.
 */
int ssr_names_new(const ssr_names_opts_t *opts, ssr_names_t **out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(2);
void ssr_names_free(ssr_names_t *nm);

/* Brands: one per line, a label ("paypal") or a domain ("paypal.com", "bbc.co.uk"), ASCII,
 * A-labels or UTF-8 U-labels; '#' comments.  A domain brand's own registered domain is never
 * reported.  Bad lines are counted and reported through skip (first ones), not fatal; a file
 * with no brand at all is SSR_EPARSE. */
int ssr_names_load_brands(ssr_names_t *nm, const char *path, ssr_names_skip_fn skip, void *ctx,
                          ssr_names_load_stats_t *stats, ssr_diag_t *diag) SSR_CHECK;
/* One brand (tests, API).  SSR_EPARSE with the reason for a bad name; a duplicate is SSR_EOK
 * with *added false. */
int ssr_names_add_brand(ssr_names_t *nm, const char *text, size_t len, bool *added,
                        ssr_diag_t *diag) SSR_CHECK;
/* Registered domains that are never reported (the brand owners' own), one per line.
 * Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (naming file and line), SSR_ELIMIT (a
 * line over its cap), SSR_ENOMEM. */
int ssr_names_load_allow(ssr_names_t *nm, const char *path, ssr_names_skip_fn skip, void *ctx,
                         ssr_names_load_stats_t *stats, ssr_diag_t *diag) SSR_CHECK;
/* Errors: SSR_EPARSE (not a domain name), SSR_ENOMEM. */
int ssr_names_add_allow(ssr_names_t *nm, const char *domain, size_t len,
                        ssr_diag_t *diag) SSR_CHECK;
/* Combosquat words (lowercase letters and digits), in addition to the built-in list.
 * Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (naming file and line), SSR_ELIMIT (a
 * line over its cap), SSR_ENOMEM. */
int ssr_names_load_words(ssr_names_t *nm, const char *path, ssr_names_skip_fn skip, void *ctx,
                         ssr_names_load_stats_t *stats, ssr_diag_t *diag) SSR_CHECK;
/* Build the indexes; no brand, allow or word can be added after.
 * Errors: SSR_EINVAL (no brand loaded), SSR_ENOMEM. */
int ssr_names_build(ssr_names_t *nm, ssr_diag_t *diag) SSR_CHECK;
size_t ssr_names_brand_count(const ssr_names_t *nm);

/* The files of one index, for ssr_names_open. */
typedef struct {
	const char *brands;        /* required */
	const char *allow, *words; /* optional */
	ssr_names_skip_fn skip;    /* skipped lines (may be NULL) */
	void *skip_ctx;
	ssr_names_load_stats_t *brand_stats, *allow_stats, *word_stats; /* optional */
} ssr_names_files_t;

/* New, load the files, build: the one way the CLI commands, abuse ingest and the portal make
 * an index.  On error *out is NULL and nothing is left allocated.
 * Errors: ssr_names_new's, the loaders' (naming the file), ssr_names_build's. */
int ssr_names_open(const ssr_names_opts_t *opts, const ssr_names_files_t *files, ssr_names_t **out,
                   ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(2, 3);

/* The confusable skeleton of a label (UTF-8, U-label or ASCII) into out: NFD, nonspacing
 * marks removed, ICU Latin-ASCII (hooked and stroked letters), UTS #39 skeleton (ICU uspoof),
 * case folded, then "vv" -> "w" and "cl" -> "d".
 * Returns the length or a negative error.  ssr_names_skeleton_icu always takes the ICU path;
 * ssr_names_skeleton uses a precomputed per-character table for ASCII labels.
 * Errors: SSR_ELIMIT (longer than out), SSR_EPARSE (not UTF-8). */
int ssr_names_skeleton(const ssr_names_t *nm, const char *label, size_t len, char *out,
                       size_t cap) SSR_CHECK;
/* Errors: SSR_ELIMIT (longer than out), SSR_EPARSE (not UTF-8 or refused by ICU). */
int ssr_names_skeleton_icu(const ssr_names_t *nm, const char *label, size_t len, char *out,
                           size_t cap) SSR_CHECK;

typedef struct {
	const char *brand;    /* as listed ("paypal", "paypal.com") */
	uint32_t kinds;       /* every kind the name matches this brand by */
	double score;         /* 0..1: the best of its kinds */
	const char *position; /* where the best-scoring kind was found: "registered" (the
	                       * registered label, or a provider user's label) or "subdomain" (a
	                       * label below it, or the labels split by dots) */
	const char *detail;   /* e.g. "replacement 'l' -> '1' at 6", "word 'login'" */
} ssr_names_match_t;

/* What a check found out about the name itself. */
typedef struct {
	const char *domain;   /* the registered domain (A-labels) */
	const char *unicode;  /* its U-label form when it is an IDN, else NULL */
	bool bad_punycode;    /* an xn-- label that does not decode: matched as ASCII only */
	bool allowed;         /* the brand owner's own domain: nothing reported */
	const char *provider; /* names check: the hosting, site-builder or dynamic-DNS service the
	                       * name is under ("blogspot.com"), whose user's label is then judged
	                       * as the registrable one; NULL none */
	bool check;           /* names check (tokens in every label apply), not a zone scan */
} ssr_names_subject_t;

/* Called once per brand the name imitates, best score first. */
typedef int (*ssr_names_match_fn)(const ssr_names_subject_t *s, const ssr_names_match_t *m,
                                  void *ctx);

/* The shipped list of provider suffixes the PSL lacks (data/names/providers.txt, under
 * $SSRWATCH_DATA when set): for ssr_psl_load_providers. */
const char *ssr_names_providers_path(void);

/* Check a host name (A-labels or UTF-8, any case, trailing dot allowed).  Returns the number
 * of brands matched (>= 0), SSR_EPARSE for a name that is not a host name, or what fn
 * returned.  Thread-safe after ssr_names_build. */
int ssr_names_check(const ssr_names_t *nm, const char *name, size_t len, ssr_names_match_fn fn,
                    void *ctx, ssr_diag_t *diag) SSR_CHECK;

/* ---- zone scan ----------------------------------------------------------------------- */

typedef struct {
	uint64_t records;
	uint64_t delegations; /* distinct delegated names checked */
	uint64_t matched;     /* delegations matching at least one brand */
	uint64_t matches;     /* (delegation, brand) pairs */
	uint64_t by_kind[SSR_NAMES_KIND_COUNT];
	uint64_t bad_punycode; /* xn-- labels that do not decode (counted, matched as ASCII) */
	uint64_t allowed;      /* delegations skipped as the brand owners' own */
	uint64_t suffixes;     /* delegations that are public suffixes themselves (skipped) */
	char zone[256];        /* origin of the zone scanned last (no trailing dot) */
} ssr_names_scan_stats_t;

/* Per match: the zone's origin (the TLD zone, no trailing dot) comes with it. */
typedef int (*ssr_names_scan_fn)(const char *zone, const ssr_names_subject_t *s,
                                 const ssr_names_match_t *m, void *ctx);

/* Stream a zone through the zone reader and check every delegation (NS owner other than the
 * apex) once; stats are added to.
 * Errors: SSR_EINVAL (bad options), the zone reader's (SSR_ENOTFOUND, SSR_EIO, SSR_EPARSE with file
 * and line), SSR_ENOMEM, what fn returns. */
int ssr_names_scan_zone(const ssr_names_t *nm, const char *path, const ssr_zone_opts_t *zopts,
                        ssr_names_scan_fn fn, void *ctx, ssr_names_scan_stats_t *stats,
                        ssr_diag_t *diag) SSR_CHECK;

/* A scan of several zones for the record (ssr_names_scan). */
typedef struct {
	struct ssr_store *store; /* NULL: nothing stored */
	const char *date;        /* the scan date (YYYY-MM-DD), required with a store */
	const char *brands;      /* the brand list's name, stored with each zone's scan */
	double min_score;        /* matches below it are neither handed out nor stored */
	ssr_zone_opts_t zone;    /* for the zone reader */
} ssr_names_scan_opts_t;

/* Scan the zones at paths in order; fn (may be NULL) gets every match at or above min_score.
 * With a store, each zone's scan row (its delegations: the rate's denominator) and matches
 * replace an earlier scan of (date, zone), all zones in one transaction: a failure stores
 * nothing.  stats are added to.
 * Errors: SSR_EINVAL (bad options or date), the zone reader's, SSR_ENOMEM, the store's (SSR_ESTORE,
 * SSR_ENOMEM); with a store nothing is stored unless every zone is read. */
int ssr_names_scan(const ssr_names_t *nm, const char *const *paths, size_t n,
                   const ssr_names_scan_opts_t *o, ssr_names_scan_fn fn, void *ctx,
                   ssr_names_scan_stats_t *stats, ssr_diag_t *diag) SSR_CHECK;

/* ---- shards (issue 23) ------------------------------------------------------------------ */

#define SSR_NAMES_STATE_KIND "names.scan"

/* Shard (0-based) of shards of a scan, its state entry's payload appended to b: one plain zone
 * file in byte ranges at owner boundaries, several files (or one that cannot be split) whole,
 * balanced by size; the matches at or above o->min_score, with the counts.
 * Errors: SSR_EINVAL (keep_going: not in shards), the zone reader's, SSR_ENOMEM. */
int ssr_names_scan_shard(const ssr_names_t *nm, const char *const *paths, size_t n,
                         const ssr_names_scan_opts_t *o, uint32_t shard, uint32_t shards,
                         ssr_state_buf_t *b, ssr_diag_t *diag) SSR_CHECK;
/* A complete set of names.scan states: every match handed to fn in the order the single scan
 * gives them, stats added to, and with o->store each zone's scan row and matches stored as
 * ssr_names_scan does (one transaction).
 * Errors: SSR_EINVAL (shards missing, parts that do not fit, a bad date), SSR_ECORRUPT (a
 * payload, naming file and offset), the store's, what fn returns, SSR_ENOMEM. */
int ssr_names_scan_combine(const ssr_state_set_t *set, const ssr_names_scan_opts_t *o,
                           ssr_names_scan_fn fn, void *ctx, ssr_names_scan_stats_t *stats,
                           ssr_diag_t *diag) SSR_CHECK;

/* ---- permutations (coverage comparison with dnstwist) ------------------------------------ */

/* Every registrable permutation of domain that the given kinds describe (no DNS lookups),
 * as (kind name, domain with A-labels); duplicates across kinds are handed out once per kind. */
typedef int (*ssr_names_perm_fn)(const char *kind, const char *domain, void *ctx);
/* Errors: SSR_EPARSE (not a domain name), SSR_ENOMEM, SSR_ESTOP (fn asked to stop). */
int ssr_names_permute(const ssr_names_t *nm, const char *domain, uint32_t kinds,
                      ssr_names_perm_fn fn, void *ctx, ssr_diag_t *diag) SSR_CHECK;

/* Is the text (lowercase letters) one of the index's known words (its dictionary and the
 * combosquat words)? */
bool ssr_names_is_word(const ssr_names_t *nm, const char *s, size_t n);
/* Is a brand label (lowercase) a common word, or part of common words, so that its token is
 * reported only with context: the shipped list (docs/METHODOLOGY.md) and the known words? */
bool ssr_names_is_common(const ssr_names_t *nm, const char *label, size_t n);
/* Does text (lowercase, leet digits and hyphens folded) hold a lure word that gives a
 * common-word brand's token context ("login", "account", "verify", ...)? */
bool ssr_names_has_lure(const char *folded);
/* Is the text (a normalised label) one of the protected names? */
bool ssr_names_is_brand(const ssr_names_t *nm, const char *s, size_t n);
