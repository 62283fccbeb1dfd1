/* libzone: the statistics' NS host map (zone_priv.h): each host's name and value in one record
 * of a contiguous array, on one cache line for names up to 58 bytes, so that a lookup that
 * finds its host touches two lines (the slot, the record) where ssr_strmap touches three
 * (slot, entry, key); with millions of distinct hosts these are cache misses, the largest cost
 * of the statistics (docs/PERFORMANCE.md). */
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/error.h"
#include "ssrwatch/hash.h"
#include "zone_priv.h"

#define REC_HEAD 5 /* uint32 value, uint8 length */
#define LINE     64

static uint64_t *slots_new(size_t cap)
{
	return calloc(cap, sizeof(uint64_t));
}

int zone_hostmap_init(zone_hostmap_t *m)
{
	memset(m, 0, sizeof(*m));
	m->cap = 1024;
	m->slot = slots_new(m->cap);
	return m->slot != NULL ? SSR_EOK : SSR_ENOMEM;
}

void zone_hostmap_release(zone_hostmap_t *m)
{
	free(m->slot);
	free(m->rec);
	free(m->order);
	memset(m, 0, sizeof(*m));
}

static inline uint64_t tag_of(uint64_t h)
{
	return h >> 32;
}

static int grow_slots(zone_hostmap_t *m)
{
	size_t nc = m->cap * 2;
	uint64_t *ns = slots_new(nc);
	if (ns == NULL) {
		return SSR_ENOMEM;
	}
	for (size_t i = 0; i < m->count; i++) {
		const uint8_t *r = m->rec + (size_t)m->order[i] * 8;
		uint64_t h = ssr_hash64(r + REC_HEAD, r[4]);
		size_t j = h & (nc - 1);
		while (ns[j] != 0) {
			j = (j + 1) & (nc - 1);
		}
		ns[j] = tag_of(h) << 32 | ((uint64_t)m->order[i] + 1);
	}
	free(m->slot);
	m->slot = ns;
	m->cap = nc;
	return SSR_EOK;
}

/* Room for a record of len key bytes: its offset (8-aligned, not across a line when it fits
 * in one). */
static int place(zone_hostmap_t *m, size_t len, size_t *off)
{
	size_t size = (REC_HEAD + len + 7) & ~(size_t)7;
	size_t at = m->nrec;
	if (size <= LINE && at / LINE != (at + size - 1) / LINE) {
		at = (at + LINE - 1) & ~(size_t)(LINE - 1);
	}
	if (at + size > (size_t)UINT32_MAX * 8) {
		return SSR_ELIMIT;
	}
	if (ssr_grow((void **)&m->rec, &m->caprec, at + size, 1) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	memset(m->rec + m->nrec, 0, at + size - m->nrec);
	m->nrec = at + size;
	*off = at;
	return SSR_EOK;
}

int zone_hostmap_upsert(zone_hostmap_t *m, uint64_t h, const uint8_t *key, size_t len,
                        uint32_t **value, bool *inserted)
{
	if (len == 0 || len > 255) {
		return SSR_ELIMIT;
	}
	uint64_t tag = tag_of(h);
	size_t j = h & (m->cap - 1);
	for (uint64_t s; (s = m->slot[j]) != 0; j = (j + 1) & (m->cap - 1)) {
		if (s >> 32 != tag) {
			continue;
		}
		uint8_t *r = m->rec + ((s & 0xffffffffu) - 1) * 8;
		if (r[4] == len && ssr_mem_equal(r + REC_HEAD, key, len)) {
			*value = (uint32_t *)r;
			*inserted = false;
			return SSR_EOK;
		}
	}
	if (m->count >= 0xfffffffeu) {
		return SSR_ELIMIT;
	}
	if ((m->count + 1) * 4 > m->cap * 3) {
		int rc = grow_slots(m);
		if (rc != SSR_EOK) {
			return rc;
		}
		j = h & (m->cap - 1);
		while (m->slot[j] != 0) {
			j = (j + 1) & (m->cap - 1);
		}
	}
	if (ssr_grow((void **)&m->order, &m->caporder, m->count + 1, sizeof(*m->order)) !=
	    SSR_EOK) {
		return SSR_ENOMEM;
	}
	size_t off;
	int rc = place(m, len, &off);
	if (rc != SSR_EOK) {
		return rc;
	}
	uint8_t *r = m->rec + off;
	r[4] = (uint8_t)len;
	memcpy(r + REC_HEAD, key, len);
	m->order[m->count++] = (uint32_t)(off / 8);
	m->slot[j] = tag << 32 | (uint64_t)(off / 8 + 1);
	*value = (uint32_t *)r;
	*inserted = true;
	return SSR_EOK;
}

const uint8_t *zone_hostmap_at(const zone_hostmap_t *m, size_t i, size_t *len, uint32_t *value)
{
	const uint8_t *r = m->rec + (size_t)m->order[i] * 8;
	*len = r[4];
	memcpy(value, r, sizeof(*value));
	return r + REC_HEAD;
}
