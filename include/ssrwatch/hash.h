/* ssrwatch — hashing and an open-addressing map from byte strings to 64-bit values. */
#pragma once

#include "ssrwatch/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/arena.h"

uint64_t ssr_hash64(const void *data, size_t len);

/* Equality of short byte strings without a libc call (hot paths compare names and keys). */
static inline bool ssr_mem_equal(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	uint64_t u, v;
	if (n >= 8) {
		/* whole words, the last one overlapping the one before */
		for (size_t i = 0; i + 8 < n; i += 8) {
			__builtin_memcpy(&u, x + i, 8);
			__builtin_memcpy(&v, y + i, 8);
			if (u != v) {
				return false;
			}
		}
		__builtin_memcpy(&u, x + n - 8, 8);
		__builtin_memcpy(&v, y + n - 8, 8);
		return u == v;
	}
	if (n >= 4) {
		uint32_t p, q, r, t;
		__builtin_memcpy(&p, x, 4);
		__builtin_memcpy(&q, y, 4);
		__builtin_memcpy(&r, x + n - 4, 4);
		__builtin_memcpy(&t, y + n - 4, 4);
		return p == q && r == t;
	}
	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i]) {
			return false;
		}
	}
	return true;
}

typedef struct {
	uint64_t hash;
	const uint8_t *key; /* in the map's arena */
	uint32_t len;
	uint64_t value;
} ssr_strmap_entry_t;

/* Probing runs over a compact slot array (32-bit hash tag + entry index, 8 bytes a slot) so
 * that a miss-heavy lookup touches one small cache line; entries sit in insertion order. */
typedef struct {
	uint64_t *slots; /* tag << 32 | (entry index + 1); 0 is empty */
	size_t cap;      /* power of two */
	ssr_strmap_entry_t *entries;
	size_t count, ecap;
	ssr_arena_t keys;
} ssr_strmap_t;

/* Errors: SSR_ENOMEM. */
int ssr_strmap_init(ssr_strmap_t *m, size_t initial_cap) SSR_CHECK;
void ssr_strmap_release(ssr_strmap_t *m);
/* Room for n entries in all without growing (a caller that knows the size skips the rehashes).
 * Errors: SSR_ENOMEM. */
int ssr_strmap_reserve(ssr_strmap_t *m, size_t n) SSR_CHECK;
/* Find key; insert it with value 0 if absent.  *entry stays valid until the next insert.
 * Errors: SSR_ELIMIT (a key over the map's cap), SSR_ENOMEM. */
int ssr_strmap_upsert(ssr_strmap_t *m, const void *key, size_t len, ssr_strmap_entry_t **entry,
                      bool *inserted) SSR_CHECK;
/* The same with hash = ssr_hash64(key, len) already at hand (a caller that prefetched its slot).
 * Errors: as ssr_strmap_upsert's. */
int ssr_strmap_upsert_hashed(ssr_strmap_t *m, uint64_t hash, const void *key, size_t len,
                             ssr_strmap_entry_t **entry, bool *inserted) SSR_CHECK;
ssr_strmap_entry_t *ssr_strmap_find(const ssr_strmap_t *m, const void *key, size_t len);
/* The same with hash = ssr_hash64(key, len) already at hand (hot paths that need it anyway). */
/* Prefetch the slot where a key of this hash is probed first (a probe some time later). */
static inline void ssr_strmap_prefetch(const ssr_strmap_t *m, uint64_t hash)
{
	__builtin_prefetch(&m->slots[hash & (m->cap - 1)]);
}
ssr_strmap_entry_t *ssr_strmap_find_hashed(const ssr_strmap_t *m, uint64_t hash, const void *key,
                                           size_t len);
/* Iterate in insertion order: entry *pos, then *pos + 1, ...; NULL at the end. */
ssr_strmap_entry_t *ssr_strmap_next(const ssr_strmap_t *m, size_t *pos);

/* A set of nonzero 64-bit hashes (open addressing, grown at half full; 16 bytes per member at
 * worst): the escrow checks' uniqueness and reference sets.  Zero-initialised is empty. */
typedef struct {
	uint64_t *slot;
	size_t cap, n;
} ssr_u64set_t;

/* The hash of a string for the set (never 0). */
static inline uint64_t ssr_u64set_key(const void *data, size_t len)
{
	uint64_t h = ssr_hash64(data, len);
	return h ? h : 1;
}
/* Insert h (nonzero); *dup (may be NULL) true when it was there.  Errors: SSR_ENOMEM. */
int ssr_u64set_add(ssr_u64set_t *s, uint64_t h, bool *dup) SSR_CHECK;
bool ssr_u64set_has(const ssr_u64set_t *s, uint64_t h);
void ssr_u64set_release(ssr_u64set_t *s);
