/* ssrwatch — 64-bit hash and string map (open addressing, linear probing). */
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/error.h"
#include "ssrwatch/hash.h"

static inline uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* A multiply-mix hash over 8-byte words (in the spirit of wyhash; own code). */
uint64_t ssr_hash64(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0xa0761d6478bd642fULL);
	while (len >= 16) {
		h = mix(rd64(p) ^ 0xe7037ed1a0b428dbULL, rd64(p + 8) ^ h);
		p += 16;
		len -= 16;
	}
	uint64_t a = 0, b = 0;
	if (len >= 8) {
		a = rd64(p);
		b = rd64(p + len - 8);
	} else if (len > 0) {
		uint8_t tmp[8] = {0};
		memcpy(tmp, p, len);
		a = rd64(tmp);
	}
	return mix(a ^ 0x8ebc6af09c88c6e3ULL, b ^ h ^ 0x589965cc75374cc3ULL);
}

int ssr_strmap_init(ssr_strmap_t *m, size_t initial_cap)
{
	size_t cap = 64;
	while (cap < initial_cap) {
		cap <<= 1;
	}
	memset(m, 0, sizeof(*m));
	m->slots = calloc(cap, sizeof(*m->slots));
	if (m->slots == NULL) {
		return SSR_ENOMEM;
	}
	m->cap = cap;
	ssr_arena_init(&m->keys, 64 * 1024);
	return SSR_EOK;
}

void ssr_strmap_release(ssr_strmap_t *m)
{
	free(m->slots);
	free(m->entries);
	ssr_arena_release(&m->keys);
	memset(m, 0, sizeof(*m));
}

static inline uint64_t tag_of(uint64_t h)
{
	return (h >> 32) | 1; /* never zero */
}

static int grow(ssr_strmap_t *m)
{
	size_t ncap = m->cap * 2;
	uint64_t *ns = calloc(ncap, sizeof(*ns));
	if (ns == NULL) {
		return SSR_ENOMEM;
	}
	for (size_t i = 0; i < m->count; i++) {
		uint64_t h = m->entries[i].hash;
		size_t j = h & (ncap - 1);
		while (ns[j] != 0) {
			j = (j + 1) & (ncap - 1);
		}
		ns[j] = tag_of(h) << 32 | (i + 1);
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return SSR_EOK;
}

int ssr_strmap_reserve(ssr_strmap_t *m, size_t n)
{
	while (n * 4 > m->cap * 3) {
		if (grow(m) != SSR_EOK) {
			return SSR_ENOMEM;
		}
	}
	if (n > m->ecap) {
		ssr_strmap_entry_t *ne = realloc(m->entries, n * sizeof(*ne));
		if (ne == NULL) {
			return SSR_ENOMEM;
		}
		m->entries = ne;
		m->ecap = n;
	}
	return SSR_EOK;
}

/* Slot index holding key, or the empty slot where it would go (*found false). */
static inline size_t probe(const ssr_strmap_t *m, uint64_t h, const void *key, size_t len,
                           bool *found)
{
	uint64_t tag = tag_of(h);
	size_t j = h & (m->cap - 1);
	for (;;) {
		uint64_t s = m->slots[j];
		if (s == 0) {
			*found = false;
			return j;
		}
		if ((s >> 32) == tag) {
			const ssr_strmap_entry_t *e = &m->entries[(s & 0xffffffffu) - 1];
			if (e->len == len && ssr_mem_equal(e->key, key, len)) {
				*found = true;
				return j;
			}
		}
		j = (j + 1) & (m->cap - 1);
	}
}

ssr_strmap_entry_t *ssr_strmap_find_hashed(const ssr_strmap_t *m, uint64_t hash, const void *key,
                                           size_t len)
{
	bool found;
	size_t j = probe(m, hash, key, len, &found);
	return found ? &m->entries[(m->slots[j] & 0xffffffffu) - 1] : NULL;
}

ssr_strmap_entry_t *ssr_strmap_find(const ssr_strmap_t *m, const void *key, size_t len)
{
	return ssr_strmap_find_hashed(m, ssr_hash64(key, len), key, len);
}

int ssr_strmap_upsert(ssr_strmap_t *m, const void *key, size_t len, ssr_strmap_entry_t **entry,
                      bool *inserted)
{
	return ssr_strmap_upsert_hashed(m, ssr_hash64(key, len), key, len, entry, inserted);
}

int ssr_strmap_upsert_hashed(ssr_strmap_t *m, uint64_t h, const void *key, size_t len,
                             ssr_strmap_entry_t **entry, bool *inserted)
{
	bool found;
	size_t j = probe(m, h, key, len, &found);
	if (found) {
		*entry = &m->entries[(m->slots[j] & 0xffffffffu) - 1];
		if (inserted != NULL) {
			*inserted = false;
		}
		return SSR_EOK;
	}
	if (m->count >= 0xfffffffeu) {
		return SSR_ELIMIT;
	}
	if ((m->count + 1) * 4 > m->cap * 3) {
		if (grow(m) != SSR_EOK) {
			return SSR_ENOMEM;
		}
		j = probe(m, h, key, len, &found);
	}
	if (m->count == m->ecap) {
		size_t nc = m->ecap ? m->ecap * 2 : 64;
		ssr_strmap_entry_t *ne = realloc(m->entries, nc * sizeof(*ne));
		if (ne == NULL) {
			return SSR_ENOMEM;
		}
		m->entries = ne;
		m->ecap = nc;
	}
	uint8_t *k = ssr_arena_memdup(&m->keys, key, len);
	if (k == NULL) {
		return SSR_ENOMEM;
	}
	ssr_strmap_entry_t *e = &m->entries[m->count];
	*e = (ssr_strmap_entry_t){.hash = h, .key = k, .len = (uint32_t)len, .value = 0};
	m->count++;
	m->slots[j] = tag_of(h) << 32 | m->count;
	*entry = e;
	if (inserted != NULL) {
		*inserted = true;
	}
	return SSR_EOK;
}

ssr_strmap_entry_t *ssr_strmap_next(const ssr_strmap_t *m, size_t *pos)
{
	if (*pos >= m->count) {
		return NULL;
	}
	return &m->entries[(*pos)++];
}

int ssr_u64set_add(ssr_u64set_t *s, uint64_t h, bool *dup)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 1024;
		uint64_t *ns = calloc(nc, sizeof *ns);
		if (ns == NULL) {
			return SSR_ENOMEM;
		}
		for (size_t i = 0; i < s->cap; i++) {
			if (s->slot[i]) {
				size_t j = s->slot[i] & (nc - 1);
				while (ns[j]) {
					j = (j + 1) & (nc - 1);
				}
				ns[j] = s->slot[i];
			}
		}
		free(s->slot);
		s->slot = ns;
		s->cap = nc;
	}
	size_t j = h & (s->cap - 1);
	while (s->slot[j]) {
		if (s->slot[j] == h) {
			if (dup) {
				*dup = true;
			}
			return SSR_EOK;
		}
		j = (j + 1) & (s->cap - 1);
	}
	s->slot[j] = h;
	s->n++;
	if (dup) {
		*dup = false;
	}
	return SSR_EOK;
}

bool ssr_u64set_has(const ssr_u64set_t *s, uint64_t h)
{
	if (s->cap == 0) {
		return false;
	}
	size_t j = h & (s->cap - 1);
	while (s->slot[j]) {
		if (s->slot[j] == h) {
			return true;
		}
		j = (j + 1) & (s->cap - 1);
	}
	return false;
}

void ssr_u64set_release(ssr_u64set_t *s)
{
	free(s->slot);
	s->slot = NULL;
	s->cap = s->n = 0;
}
