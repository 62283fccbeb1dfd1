/* ssrwatch — abuse ingest: which listings are delegated, by a merge of each reader part's
 * delegations (in zone order) with the zone's listings sorted the same way.
 *
 * A zone in canonical order (RFC 4034 6.1: what DNS software writes and the generator makes)
 * brings its delegations in the order of the label just below the apex.  The zone's listings,
 * all children of the apex, are sorted by that label into arrays read in sequence (the label's
 * bytes 0-7 and 8-15 as keys, its length, the bytes after the 16th); each part keeps a cursor,
 * found by binary search at the part's first delegation, and moves it forward: a delegation is
 * compared with the records at the cursor only, sequential memory instead of a hash probe (a
 * cache miss or two) per delegation that passes the listing filter (at 20M delegations x 2M
 * listings the probes were ~2.4 s of CPU).  The first delegation that comes before the record
 * behind the cursor ends the merge for that part: it and every later one are probed in the map
 * by name, as before (abuse_present_merge returns false).  What the merge finds is flagged in
 * a bit per record and moved to the map entries after the pass, where the probes flag theirs:
 * the two together are exact. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "ssrwatch/hashrun.h"
#include "ssrwatch/sort.h"

struct abuse_present {
	/* the zone's listings in canonical label order: label bytes 0-7 and 8-15 (big-endian,
	 * zero padded: their order is the labels' order up to ties, which compare the labels) and
	 * the map entry */
	uint64_t *key1, *key2;
	uint8_t *len;   /* the label's length */
	uint32_t *tail; /* a label over 16 bytes: where its bytes from the 17th are in tails */
	uint8_t *tails; /* in record order: the cursors read them in sequence */
	uint32_t *entry;
	uint64_t *found; /* a bit per record: delegated (moved to the map entries at the end) */
	size_t n;
	size_t apex_len;
	const ssr_strmap_t *map;
	struct present_cursor {
		_Alignas(
		    64) size_t idx; /* records before idx are before the part's last delegation */
		uint64_t merged, probed; /* delegations decided each way */
		bool started, broken;
	} cur[SSR_HASHRUN_MAX_PARTS];
};

/* Canonical order of two labels (lowercase already): bytes, then the shorter first. */
static inline int label_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	if (c != 0) {
		return c;
	}
	return (al > bl) - (al < bl);
}

/* A delegation's label, its first key, its second when needed. */
typedef struct {
	const uint8_t *label;
	size_t len;
	uint64_t k1, k2;
	bool have_k2;
} probe_t;

/* Record i against the label: <0, 0, >0. */
static inline int rec_cmp(const abuse_present_t *p, size_t i, probe_t *q)
{
	if (p->key1[i] != q->k1) {
		return p->key1[i] < q->k1 ? -1 : 1;
	}
	if (!q->have_k2) {
		q->k2 = ssr_sort_key8(q->label, q->len, 8);
		q->have_k2 = true;
	}
	if (p->key2[i] != q->k2) {
		return p->key2[i] < q->k2 ? -1 : 1;
	}
	/* the same 16 bytes: unless both are longer, the rest of the longer is zeros */
	size_t rl = p->len[i];
	if (rl <= 16 || q->len <= 16) {
		return (rl > q->len) - (rl < q->len);
	}
	return label_cmp(p->tails + p->tail[i], rl - 16, q->label + 16, q->len - 16);
}

static _Thread_local const ssr_strmap_t *cmp_map;

static int cmp_entries(const void *a, const void *b)
{
	const ssr_strmap_entry_t *x = &cmp_map->entries[*(const uint32_t *)a];
	const ssr_strmap_entry_t *y = &cmp_map->entries[*(const uint32_t *)b];
	return label_cmp(x->key + 1, x->key[0], y->key + 1, y->key[0]);
}

/* Records i..j-1 share 16 bytes and were put in order by their whole labels: their lengths
 * and tails (all over 16 bytes, or all equal) follow their entries.  The tails' room is the
 * group's, refilled in the new order. */
static void tie_fix(abuse_present_t *p, const ssr_strmap_t *map, size_t i, size_t j)
{
	size_t pos = SIZE_MAX;
	for (size_t t = i; t < j; t++) {
		if (p->len[t] > 16 && p->tail[t] < pos) {
			pos = p->tail[t];
		}
	}
	for (size_t t = i; t < j; t++) {
		const uint8_t *k = map->entries[p->entry[t]].key;
		p->len[t] = k[0];
		if (k[0] > 16) {
			p->tail[t] = (uint32_t)pos;
			memcpy(p->tails + pos, k + 17, k[0] - 16u);
			pos += k[0] - 16u;
		}
	}
}

void abuse_present_end(ingest_t *in)
{
	abuse_present_t *p = in->present;
	if (p == NULL) {
		return;
	}
	free(p->key1);
	free(p->key2);
	free(p->len);
	free(p->tail);
	free(p->tails);
	free(p->entry);
	free(p->found);
	free(p);
	in->present = NULL;
}

void abuse_present_collect(ingest_t *in)
{
	abuse_present_t *p = in->present;
	if (p == NULL) {
		return;
	}
	uint64_t merged = 0, probed = 0;
	for (unsigned k = 0; k < SSR_HASHRUN_MAX_PARTS; k++) {
		merged += p->cur[k].merged;
		probed += p->cur[k].probed;
	}
	ssr_log(in->o->log, SSR_LOG_INFO, "abuse",
	        "presence: %" PRIu64 " delegations merged with the listings, %" PRIu64
	        " probed (out of order)",
	        merged, probed);
	for (size_t i = 0; i < p->n; i++) {
		if (p->found[i / 64] & 1ull << (i % 64)) {
			in->map.entries[p->entry[i]].value |= PRESENT_BIT;
		}
	}
	abuse_present_end(in);
}

int abuse_present_begin(ingest_t *in, unsigned zi, ssr_diag_t *diag)
{
	abuse_present_end(in);
	const zone_t *z = &in->zones[zi];
	size_t n = 0, tail_bytes = 0;
	for (size_t k = 0; k < in->map.count; k++) {
		const ssr_strmap_entry_t *e = &in->map.entries[k];
		if (in->v[e->value & ~PRESENT_BIT].zone != zi) {
			continue;
		}
		if (e->len != 1u + e->key[0] + z->apex_len || e->key[0] == 0) {
			return SSR_EOK; /* a listing that is no child of the apex: probes only */
		}
		n++;
		tail_bytes += e->key[0] > 16 ? e->key[0] - 16u : 0;
	}
	if (n == 0 || in->map.count > UINT32_MAX || tail_bytes > UINT32_MAX) {
		return SSR_EOK;
	}
	abuse_present_t *p = aligned_alloc(64, (sizeof(*p) + 63) / 64 * 64);
	/* the zone's listings in map order (m), then put in (first key, second key) order */
	uint64_t *k1 = malloc(n * sizeof(*k1)), *k2 = malloc(n * sizeof(*k2));
	uint32_t *ent = malloc(n * sizeof(*ent));
	size_t *order = malloc(n * sizeof(*order));
	if (p != NULL) {
		memset(p, 0, sizeof(*p));
		p->key1 = malloc(n * sizeof(*p->key1));
		p->key2 = malloc(n * sizeof(*p->key2));
		p->len = malloc(n);
		p->tail = malloc(n * sizeof(*p->tail));
		p->tails = malloc(tail_bytes ? tail_bytes : 1);
		p->entry = malloc(n * sizeof(*p->entry));
		p->found = calloc((n + 63) / 64, sizeof(*p->found));
	}
	in->present = p;
	int rc = p && k1 && k2 && ent && order && p->key1 && p->key2 && p->len && p->tail &&
	                 p->tails && p->entry && p->found
	             ? SSR_EOK
	             : SSR_ENOMEM;
	size_t m = 0;
	for (size_t k = 0; rc == SSR_EOK && k < in->map.count; k++) {
		const ssr_strmap_entry_t *e = &in->map.entries[k];
		if (in->v[e->value & ~PRESENT_BIT].zone == zi) {
			k1[m] = ssr_sort_key8(e->key + 1, e->key[0], 0);
			k2[m] = ssr_sort_key8(e->key + 1, e->key[0], 8);
			ent[m++] = (uint32_t)k;
		}
	}
	if (rc == SSR_EOK) {
		rc = ssr_sort_order2(k1, k2, n, order);
	}
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		size_t j = order[i];
		p->key1[i] = k1[j];
		p->key2[i] = k2[j];
		p->entry[i] = ent[j];
	}
	free(k1);
	free(k2);
	free(ent);
	free(order);
	if (rc != SSR_EOK) {
		abuse_present_end(in);
		return ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
	}
	/* lengths and tails in record order (map entries and keys prefetched some records ahead) */
	size_t pos = 0;
	for (size_t i = 0; i < n; i++) {
		if (i + 8 < n) {
			__builtin_prefetch(&in->map.entries[p->entry[i + 8]]);
		}
		if (i + 4 < n) {
			__builtin_prefetch(in->map.entries[p->entry[i + 4]].key);
		}
		const uint8_t *key = in->map.entries[p->entry[i]].key;
		p->len[i] = key[0];
		if (key[0] > 16) {
			p->tail[i] = (uint32_t)pos;
			memcpy(p->tails + pos, key + 17, key[0] - 16u);
			pos += key[0] - 16u;
		}
	}
	/* equal 16-byte prefixes: ordered by the whole label */
	cmp_map = &in->map;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && p->key1[j] == p->key1[i] && p->key2[j] == p->key2[i]) {
			j++;
		}
		if (j - i > 1) {
			qsort(p->entry + i, j - i, sizeof(*p->entry), cmp_entries);
			tie_fix(p, &in->map, i, j);
		}
		i = j;
	}
	p->n = n;
	p->apex_len = z->apex_len;
	p->map = &in->map;
	return SSR_EOK;
}

void abuse_present_restart(ingest_t *in)
{
	abuse_present_t *p = in->present;
	if (p != NULL) {
		for (unsigned k = 0; k < SSR_HASHRUN_MAX_PARTS; k++) {
			p->cur[k].started = false;
			p->cur[k].broken = false;
		}
		memset(p->found, 0, (p->n + 63) / 64 * sizeof(*p->found));
	}
}

/* The first record not before the label. */
static size_t lower_bound(const abuse_present_t *p, probe_t *q)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rec_cmp(p, mid, q) < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

static inline void mark(abuse_present_t *p, size_t i)
{
	__atomic_fetch_or(&p->found[i / 64], 1ull << (i % 64), __ATOMIC_RELAXED);
}

/* Exact as long as no delegation comes before the record just behind the cursor: every record
 * the cursor passed is then before the delegation (or equal to it: that listing again), so a
 * record equal to it is at the cursor once the cursor has passed those before it.  A
 * delegation before that record may equal one passed already: the merge ends for the part
 * (probes from there). */
bool abuse_present_merge(ingest_t *in, const uint8_t *owner, size_t len, unsigned part)
{
	abuse_present_t *p = in->present;
	if (p == NULL || part >= SSR_HASHRUN_MAX_PARTS || len <= p->apex_len) {
		return false;
	}
	struct present_cursor *c = &p->cur[part];
	if (c->broken) {
		c->probed++;
		return false;
	}
	/* the label just below the apex */
	size_t at = 0, below = len - p->apex_len;
	while (at + 1u + owner[at] < below) {
		at += 1u + owner[at];
	}
	if (at + 1u + owner[at] != below || owner[at] == 0 || owner[at] > 63) {
		return false; /* not below the apex as the reader said: the probe decides */
	}
	probe_t q = {.label = owner + at + 1, .len = owner[at]};
	q.k1 = ssr_sort_key8(q.label, q.len, 0);
	size_t i = c->idx;
	if (!c->started) {
		i = lower_bound(p, &q);
		c->started = true;
	} else if (i > 0) {
		int behind = rec_cmp(p, i - 1, &q);
		if (behind > 0) {
			c->broken =
			    true; /* out of order: this one and the rest of the part probed */
			c->probed++;
			return false;
		}
		if (behind == 0 && at == 0) {
			mark(p, i - 1); /* that listing again: its owner in a second run */
		}
	}
	while (i < p->n) {
		int cmp = rec_cmp(p, i, &q);
		if (cmp > 0) {
			break;
		}
		i++;
		if (cmp == 0) {
			if (at == 0) { /* the child itself, not a name below it */
				mark(p, i - 1);
			}
			break;
		}
	}
	c->idx = i;
	c->merged++;
	return true;
}
