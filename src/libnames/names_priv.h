/* libnames internals: the brand table and the indexes shared by core.c, check.c, scan.c,
 * permute.c and gen.c. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>
#include <unicode/uspoof.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/names.h"

/* Library-internal: not part of the library's interface (hidden when built shared). */
#pragma GCC visibility push(hidden)

#define NAMES_LABEL_MAX 63
#define NAMES_NAME_MAX  253

typedef struct {
	const char *text;   /* as listed (normalised: lowercase A-labels) */
	const char *label;  /* registrable label, A-label */
	const char *domain; /* registered domain, or NULL for a label brand */
	const char *skel;   /* skeleton of the U-label */
	uint16_t len, slen;
	bool common; /* its token is a common word (ssr_names_is_common): context needed */
} names_brand_t;

/* Index key families. */
enum {
	TAG_EXACT = 0, /* brand label */
	TAG_SKEL = 1,  /* brand skeleton */
	TAG_DEL = 2,   /* brand label and skeleton, and their one-deletions */
	TAG_LOOSE = 3, /* brand skeleton with the loose folds */
	TAG_COUNT
};

/* Alphabet of host name labels for the automaton: a-z 0-9 '-'. */
#define AC_SYMS 37

struct ssr_names {
	ssr_names_opts_t o;
	USpoofChecker *sc;
	const UNormalizer2 *nfd;
	UTransliterator *latin; /* ICU Latin-ASCII: hooked and stroked letters NFD leaves alone */
	pthread_mutex_t latin_lock;
	/* ASCII fast path: skeleton of each byte on its own (before the pair folds) */
	char afold[128][8];
	uint8_t afold_len[128];
	bool afold_ok[128];
	uint64_t adj[128]; /* keyboard neighbours, bit per symbol index */
	int8_t sym[256];   /* byte -> automaton symbol, -1 outside the alphabet */

	ssr_arena_t arena;
	names_brand_t *brands;
	size_t nbrands, bcap;
	ssr_strmap_t brand_keys; /* normalised brand text -> index */
	ssr_strmap_t allow;      /* registered domains never reported */
	ssr_strmap_t words;      /* combosquat words */
	bool built;

	/* multimap: (tag, key) -> brand ids; 32-bit fingerprints probed first */
	uint32_t *fp;
	uint32_t *ids;
	size_t icap, icount;
	uint64_t lens[TAG_COUNT]; /* bit per key length (capped at 63) present under the tag */
	/* blocked Bloom filter in front of the table: most probes are misses, and this fits in
	 * the L2 cache where the table does not (one 64-bit word and two bits per key) */
	uint64_t *bloom;
	unsigned bloom_shift;

	/* Aho-Corasick automaton over brand labels (min_combo_len and longer) */
	int32_t *ac_goto; /* states * AC_SYMS */
	int32_t *ac_out;  /* brand ending at the state, -1 none */
	int32_t *ac_next; /* next state on the suffix chain with an output, -1 none */
	int32_t *ac_fail;
	size_t ac_states, ac_cap;
};

/* The fingerprint and slot of (tag, key). */
static inline uint64_t names_key_hash(unsigned tag, const void *key, size_t len)
{
	static const uint64_t mix[TAG_COUNT] = {0x9e3779b97f4a7c15ULL, 0xc2b2ae3d27d4eb4fULL,
	                                        0x165667b19e3779f9ULL, 0x27d4eb2f165667c5ULL};
	uint64_t h = ssr_hash64(key, len) ^ mix[tag];
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

/* Visit the brand ids stored under (tag, key); visit returns false to stop. */
typedef bool (*names_id_fn)(uint32_t id, void *ctx);
void names_index_find(const struct ssr_names *nm, unsigned tag, const char *key, size_t len,
                      names_id_fn fn, void *ctx);

/* The loose folds on a skeleton (q -> g, i -> l, e -> c, nn and rr -> rn, wynn -> p, schwa ->
 * a, tone six -> b, iota -> l): look-alikes in some fonts that UTS #39 does not list.  out
 * holds 2n + 1 bytes. */
size_t names_loose(const char *sk, size_t n, char *out);
/* Keyboard neighbours (any of QWERTY, QWERTZ, AZERTY). */
static inline bool names_adjacent(const struct ssr_names *nm, unsigned char a, unsigned char b)
{
	return a < 128 && b < 128 && nm->sym[b] >= 0 && ((nm->adj[a] >> nm->sym[b]) & 1);
}
/* Normalise a host name (any case, UTF-8 or A-labels, trailing dot) into out as lowercase
 * A-labels; SSR_EPARSE with the reason in diag. */
int names_normalise(const char *name, size_t len, char *out, size_t cap, ssr_diag_t *diag);
/* The skeleton of a label as written, before case folding (the result folded as
 * ssr_names_skeleton's): "appIe" -> "apple".  Errors as ssr_names_skeleton_icu's. */
int names_skeleton_as_written(const struct ssr_names *nm, const char *label, size_t len, char *out,
                              size_t cap);
/* Label-only check on a registered domain split into its parts (the scan's fast path).
 * prefix: the labels left of the registered domain ("" when none).  cased: the same name as
 * the input wrote it (prefix, '.', registered domain; same lengths), or NULL when the input has
 * no case to keep (zone data) or is not ASCII. */
int names_check_parts(const struct ssr_names *nm, const char *regdom, size_t lablen,
                      const char *prefix, const char *cased, ssr_names_subject_t *subj,
                      ssr_names_match_fn fn, void *ctx);

/* ssr_names_scan_zone over zopts' byte range, with the apex preset (wire; NULL: from the first
 * SOA or zopts->origin, as a whole file).  Errors as ssr_names_scan_zone's. */
int names_scan_range(const struct ssr_names *nm, const char *path, const ssr_zone_opts_t *zopts,
                     const uint8_t *apex, ssr_names_scan_fn fn, void *ctx,
                     ssr_names_scan_stats_t *stats, ssr_diag_t *diag);

#pragma GCC visibility pop
