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
	m->slots = calloc(cap, sizeof(*m->slots));
	if (m->slots == NULL) {
		return SSR_ENOMEM;
	}
	m->cap = cap;
	m->count = 0;
	ssr_arena_init(&m->keys, 256 * 1024);
	return SSR_EOK;
}

void ssr_strmap_release(ssr_strmap_t *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
	ssr_arena_release(&m->keys);
}

static int grow(ssr_strmap_t *m)
{
	size_t ncap = m->cap * 2;
	ssr_strmap_entry_t *ns = calloc(ncap, sizeof(*ns));
	if (ns == NULL) {
		return SSR_ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		ssr_strmap_entry_t *e = &m->slots[i];
		if (e->key == NULL) {
			continue;
		}
		size_t j = e->hash & (ncap - 1);
		while (ns[j].key != NULL) {
			j = (j + 1) & (ncap - 1);
		}
		ns[j] = *e;
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return SSR_EOK;
}

ssr_strmap_entry_t *ssr_strmap_find(const ssr_strmap_t *m, const void *key, size_t len)
{
	uint64_t h = ssr_hash64(key, len);
	size_t j = h & (m->cap - 1);
	while (m->slots[j].key != NULL) {
		ssr_strmap_entry_t *e = &m->slots[j];
		if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0) {
			return e;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return NULL;
}

int ssr_strmap_upsert(ssr_strmap_t *m, const void *key, size_t len, ssr_strmap_entry_t **entry,
		      bool *inserted)
{
	if ((m->count + 1) * 4 > m->cap * 3) {
		int r = grow(m);
		if (r != SSR_EOK) {
			return r;
		}
	}
	uint64_t h = ssr_hash64(key, len);
	size_t j = h & (m->cap - 1);
	while (m->slots[j].key != NULL) {
		ssr_strmap_entry_t *e = &m->slots[j];
		if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0) {
			*entry = e;
			if (inserted != NULL) {
				*inserted = false;
			}
			return SSR_EOK;
		}
		j = (j + 1) & (m->cap - 1);
	}
	uint8_t *k = ssr_arena_memdup(&m->keys, key, len);
	if (k == NULL) {
		return SSR_ENOMEM;
	}
	ssr_strmap_entry_t *e = &m->slots[j];
	e->hash = h;
	e->key = k;
	e->len = (uint32_t)len;
	e->value = 0;
	m->count++;
	*entry = e;
	if (inserted != NULL) {
		*inserted = true;
	}
	return SSR_EOK;
}

ssr_strmap_entry_t *ssr_strmap_next(const ssr_strmap_t *m, size_t *pos)
{
	for (size_t i = *pos; i < m->cap; i++) {
		if (m->slots[i].key != NULL) {
			*pos = i + 1;
			return &m->slots[i];
		}
	}
	*pos = m->cap;
	return NULL;
}
