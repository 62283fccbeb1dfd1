/* libzone: zone diff.  Each file is read once; its records go into a buffer of bounded size as
 * [key][type][ttl][rdata] (key: the owner's labels from the top, each with its length, so that
 * a name's descendants follow it contiguously), sorted and written out as a run whenever the
 * buffer is full; the runs are merged back (a heap), duplicates dropped.  The two sorted
 * streams are then walked together one owner at a time: delegation points (NS below the apex,
 * not below another delegation), the names below them (glue), the apex, everything else. */
#define _GNU_SOURCE /* qsort_r */
#include <errno.h>
#include <libknot/libknot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/zone.h"
#include "ssrwatch/zonediff.h"

#define MAX_RUNS      1000
#define MAX_OWNER_RRS 1000000
#define REC_MAX       (2 + 256 + 2 + 4 + 2 + 65535)
#define DEFAULT_MEM   ((size_t)256 << 20)

const char *ssr_zdiff_kind_name(ssr_zdiff_kind_t k)
{
	static const char *const n[SSR_ZDIFF_NKINDS] = {
	    "delegation-added", "delegation-removed", "ns", "ds", "glue", "apex", "other"};
	return (unsigned)k < SSR_ZDIFF_NKINDS ? n[k] : "?";
}

/* ---- records ----------------------------------------------------------------------------- */

typedef struct {
	const uint8_t *key;
	uint16_t klen, type, rdlen;
	uint32_t ttl;
	const uint8_t *rdata;
} rec_t;

static void rec_decode(const uint8_t *p, rec_t *r)
{
	r->klen = (uint16_t)(p[0] << 8 | p[1]);
	r->key = p + 2;
	const uint8_t *q = p + 2 + r->klen;
	r->type = (uint16_t)(q[0] << 8 | q[1]);
	r->ttl = (uint32_t)q[2] << 24 | (uint32_t)q[3] << 16 | (uint32_t)q[4] << 8 | q[5];
	r->rdlen = (uint16_t)(q[6] << 8 | q[7]);
	r->rdata = q + 8;
}

static size_t rec_size(const rec_t *r)
{
	return 2u + r->klen + 8u + r->rdlen;
}

static int key_cmp(const uint8_t *a, uint16_t al, const uint8_t *b, uint16_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	return c ? c : (int)al - (int)bl;
}

/* Records in order: key, type, rdata (the TTL is not part of a record's identity). */
static int rec_cmp(const rec_t *a, const rec_t *b)
{
	int c = key_cmp(a->key, a->klen, b->key, b->klen);
	if (c == 0) {
		c = (int)a->type - (int)b->type;
	}
	if (c == 0) {
		c = key_cmp(a->rdata, a->rdlen, b->rdata, b->rdlen);
	}
	return c;
}

/* The owner's key: its labels from the top, each as [length][bytes]. */
static uint16_t owner_key(const uint8_t *owner, uint8_t *key)
{
	const uint8_t *lab[128];
	unsigned n = 0;
	for (const uint8_t *p = owner; *p && n < 128; p += 1 + *p) {
		lab[n++] = p;
	}
	uint16_t l = 0;
	while (n > 0) {
		const uint8_t *p = lab[--n];
		memcpy(key + l, p, 1u + *p);
		l = (uint16_t)(l + 1 + *p);
	}
	return l;
}

/* The owner in wire form back from its key. */
static void key_owner(const uint8_t *key, uint16_t klen, uint8_t *owner)
{
	size_t at = klen; /* the labels go in reverse: the last in the key is the first */
	owner[klen] = 0;
	for (uint16_t i = 0; i < klen; i += (uint16_t)(1 + key[i])) {
		at -= 1u + key[i];
		memcpy(owner + at, key + i, 1u + key[i]);
	}
}

/* Whether key b is a descendant of (or equal to, with eq) key a. */
static bool key_under(const uint8_t *a, uint16_t al, const uint8_t *b, uint16_t bl, bool eq)
{
	return (bl > al || (eq && bl == al)) && memcmp(a, b, al) == 0;
}

/* ---- one file sorted: runs and their merge ------------------------------------------------ */

typedef struct {
	FILE *f;     /* a run; NULL: the in-memory buffer */
	uint8_t *rb; /* the current record of a run */
	size_t next; /* the in-memory buffer: next offset index */
	rec_t cur;
	bool have;
} src_t;

typedef struct {
	const char *path;
	const ssr_zdiff_opts_t *o;
	ssr_zdiff_stats_t *st;
	int side;
	ssr_diag_t *diag;
	uint8_t apex[KNOT_DNAME_MAXLEN], akey[KNOT_DNAME_MAXLEN];
	uint16_t aklen;
	uint8_t *buf; /* records */
	size_t len, cap;
	size_t *off; /* their offsets */
	size_t noff, capoff;
	size_t budget;
	src_t src[MAX_RUNS + 1];
	unsigned nsrc;
	unsigned heap[MAX_RUNS + 1]; /* sources with a record, smallest first */
	unsigned nheap;
	rec_t last; /* the last record handed out (duplicates dropped) */
	uint8_t *lastb;
	bool have_last;
} sorter_t;

static int off_cmp(const void *x, const void *y, void *base)
{
	rec_t a, b;
	rec_decode((const uint8_t *)base + *(const size_t *)x, &a);
	rec_decode((const uint8_t *)base + *(const size_t *)y, &b);
	int c = rec_cmp(&a, &b);
	/* equal records: the first read wins (a stable order) */
	return c ? c : (*(const size_t *)x < *(const size_t *)y ? -1 : 1);
}

static void sort_buffer(sorter_t *s)
{
	qsort_r(s->off, s->noff, sizeof(*s->off), off_cmp, s->buf);
}

static int spill(sorter_t *s)
{
	if (s->nsrc == MAX_RUNS) {
		return ssr_diag_set(s->diag, SSR_ELIMIT,
		                    "zone diff '%s': more than %d sorted runs: give it more memory "
		                    "(--memory)",
		                    s->path, MAX_RUNS);
	}
	sort_buffer(s);
	const char *dir = s->o->tmp_dir ? s->o->tmp_dir : getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof tmpl, "%s/ssrwatch-zdiff-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(tmpl);
	FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
	if (f == NULL) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(tmpl);
		}
		return ssr_diag_set(s->diag, SSR_EIO, "zone diff: cannot create a run in '%s': %s",
		                    dir && *dir ? dir : "/tmp", strerror(e));
	}
	unlink(tmpl); /* gone when closed, whatever happens */
	rec_t prev = {0};
	bool have = false;
	for (size_t i = 0; i < s->noff; i++) {
		rec_t r;
		rec_decode(s->buf + s->off[i], &r);
		if (have && rec_cmp(&prev, &r) == 0) {
			continue;
		}
		size_t n = rec_size(&r);
		if (fwrite(s->buf + s->off[i], 1, n, f) != n) {
			fclose(f);
			return ssr_diag_set(s->diag, SSR_EIO, "zone diff: cannot write a run: %s",
			                    strerror(errno));
		}
		s->st->spilled_bytes += n;
		prev = r;
		have = true;
	}
	if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return ssr_diag_set(s->diag, SSR_EIO, "zone diff: cannot write a run: %s",
		                    strerror(errno));
	}
	s->src[s->nsrc++] = (src_t){.f = f};
	s->st->runs[s->side]++;
	s->len = 0;
	s->noff = 0;
	return SSR_EOK;
}

static int on_rr(const ssr_zone_rr_t *rr, void *ctx)
{
	sorter_t *s = ctx;
	if (knot_dname_in_bailiwick(rr->owner, s->apex) < 0) {
		char a[KNOT_DNAME_TXT_MAXLEN + 1] = "?";
		knot_dname_to_str(a, s->apex, sizeof a);
		return ssr_diag_set(s->diag, SSR_EINVAL,
		                    "zone '%s' line %llu: a record outside the zone '%s'", rr->file,
		                    (unsigned long long)rr->line, a);
	}
	size_t need = 2u + 255u + 8u + rr->rdata_len;
	if (s->len + need + (s->noff + 1) * sizeof(size_t) > s->budget && s->noff > 0) {
		int rc = spill(s);
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	if (ssr_grow((void **)&s->buf, &s->cap, s->len + need, 1) != SSR_EOK ||
	    ssr_grow((void **)&s->off, &s->capoff, s->noff + 1, sizeof(*s->off)) != SSR_EOK) {
		return ssr_diag_set(s->diag, SSR_ENOMEM, "zone diff '%s': out of memory", s->path);
	}
	uint8_t *p = s->buf + s->len;
	uint16_t kl = owner_key(rr->owner, p + 2);
	p[0] = (uint8_t)(kl >> 8);
	p[1] = (uint8_t)kl;
	uint8_t *q = p + 2 + kl;
	q[0] = (uint8_t)(rr->type >> 8);
	q[1] = (uint8_t)rr->type;
	q[2] = (uint8_t)(rr->ttl >> 24);
	q[3] = (uint8_t)(rr->ttl >> 16);
	q[4] = (uint8_t)(rr->ttl >> 8);
	q[5] = (uint8_t)rr->ttl;
	q[6] = (uint8_t)(rr->rdata_len >> 8);
	q[7] = (uint8_t)rr->rdata_len;
	memcpy(q + 8, rr->rdata, rr->rdata_len);
	ssr_zmem_canonical_rdata(rr->type, q + 8, rr->rdata_len);
	s->off[s->noff++] = s->len;
	s->len += 2u + kl + 8u + rr->rdata_len;
	if (s->len + s->noff * sizeof(size_t) > s->st->peak_buffer) {
		s->st->peak_buffer = s->len + s->noff * sizeof(size_t);
	}
	return SSR_EOK;
}

/* The next record of one source into src->cur. */
static int src_next(sorter_t *s, src_t *x)
{
	x->have = false;
	if (x->f == NULL) {
		if (x->next < s->noff) {
			rec_decode(s->buf + s->off[x->next++], &x->cur);
			x->have = true;
		}
		return SSR_EOK;
	}
	uint8_t *b = x->rb;
	size_t got = fread(b, 1, 2, x->f);
	if (got == 0 && feof(x->f)) {
		return SSR_EOK;
	}
	uint16_t kl = got == 2 ? (uint16_t)(b[0] << 8 | b[1]) : 0;
	if (got != 2 || kl > 255 || fread(b + 2, 1, kl + 8u, x->f) != kl + 8u) {
		return ssr_diag_set(s->diag, SSR_EIO,
		                    "zone diff: a run of '%s' cannot be read back", s->path);
	}
	uint16_t rl = (uint16_t)(b[2 + kl + 6] << 8 | b[2 + kl + 7]);
	if (fread(b + 2 + kl + 8, 1, rl, x->f) != rl) {
		return ssr_diag_set(s->diag, SSR_EIO,
		                    "zone diff: a run of '%s' cannot be read back", s->path);
	}
	rec_decode(b, &x->cur);
	x->have = true;
	return SSR_EOK;
}

static bool heap_less(const sorter_t *s, unsigned a, unsigned b)
{
	int c = rec_cmp(&s->src[a].cur, &s->src[b].cur);
	return c < 0 || (c == 0 && a < b);
}

static void heap_down(sorter_t *s, unsigned i)
{
	for (;;) {
		unsigned l = 2 * i + 1, m = i;
		if (l < s->nheap && heap_less(s, s->heap[l], s->heap[m])) {
			m = l;
		}
		if (l + 1 < s->nheap && heap_less(s, s->heap[l + 1], s->heap[m])) {
			m = l + 1;
		}
		if (m == i) {
			return;
		}
		unsigned t = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = t;
		i = m;
	}
}

/* Read the whole file into sorted runs (or one sorted buffer) and set up the merge. */
static int sorter_load(sorter_t *s)
{
	s->budget = s->o->memory ? s->o->memory : DEFAULT_MEM;
	if (knot_dname_from_str(s->apex, s->o->origin ? s->o->origin : ".", sizeof s->apex) ==
	    NULL) {
		return ssr_diag_set(s->diag, SSR_EINVAL, "zone diff: bad origin '%s'",
		                    s->o->origin);
	}
	knot_dname_to_lower(s->apex);
	s->aklen = owner_key(s->apex, s->akey);
	ssr_zone_opts_t zo = {.origin = s->o->origin, .no_include = true};
	ssr_zone_read_stats_t zs;
	int rc = ssr_zone_read(s->path, &zo, on_rr, s, &zs, s->diag);
	if (rc == SSR_EOK && s->nsrc > 0 && s->noff > 0) {
		rc = spill(s); /* the rest as a run of its own: every source is then a file */
	}
	if (rc == SSR_EOK && s->nsrc == 0) {
		sort_buffer(s);
		s->src[s->nsrc++] = (src_t){.f = NULL};
	}
	if (rc == SSR_EOK && s->st->runs[s->side] > 0) {
		free(s->buf); /* the runs hold everything now */
		s->buf = NULL;
		s->cap = s->len = 0;
	}
	for (unsigned i = 0; rc == SSR_EOK && i < s->nsrc; i++) {
		if (s->src[i].f != NULL && (s->src[i].rb = malloc(REC_MAX)) == NULL) {
			rc = ssr_diag_set(s->diag, SSR_ENOMEM, "zone diff: out of memory");
			break;
		}
		if (s->src[i].f != NULL && setvbuf(s->src[i].f, NULL, _IOFBF, 1 << 16) != 0) {
			rc = ssr_diag_set(s->diag, SSR_EIO, "zone diff: cannot buffer a run");
			break;
		}
		rc = src_next(s, &s->src[i]);
		if (rc == SSR_EOK && s->src[i].have) {
			s->heap[s->nheap++] = i;
		}
	}
	for (unsigned i = s->nheap; rc == SSR_EOK && i-- > 0;) {
		heap_down(s, i);
	}
	if (rc == SSR_EOK && (s->lastb = malloc(REC_MAX)) == NULL) {
		rc = ssr_diag_set(s->diag, SSR_ENOMEM, "zone diff: out of memory");
	}
	return rc;
}

/* The next distinct record in order into *r (valid until the next call); *have false at the
 * end. */
static int sorter_next(sorter_t *s, rec_t *r, bool *have)
{
	for (;;) {
		if (s->nheap == 0) {
			*have = false;
			return SSR_EOK;
		}
		src_t *x = &s->src[s->heap[0]];
		rec_t cur = x->cur;
		bool dup = s->have_last && rec_cmp(&s->last, &cur) == 0;
		if (!dup) {
			size_t n = rec_size(&cur);
			memcpy(s->lastb, cur.key - 2, n);
			rec_decode(s->lastb, &s->last);
			s->have_last = true;
		}
		int rc = src_next(s, x);
		if (rc != SSR_EOK) {
			return rc;
		}
		if (!x->have) {
			s->heap[0] = s->heap[--s->nheap];
		}
		heap_down(s, 0);
		if (!dup) {
			*r = s->last;
			*have = true;
			s->st->records[s->side]++;
			return SSR_EOK;
		}
	}
}

static void sorter_release(sorter_t *s)
{
	for (unsigned i = 0; i < s->nsrc; i++) {
		if (s->src[i].f != NULL) {
			fclose(s->src[i].f);
		}
		free(s->src[i].rb);
	}
	free(s->buf);
	free(s->off);
	free(s->lastb);
}

/* ---- the walk ------------------------------------------------------------------------------ */

typedef struct {
	uint16_t type;
	uint32_t ttl;
	size_t off; /* of the RDATA in the group's buffer */
	ssr_zmem_rdata_t rd;
} grr_t;

/* One owner's records of one side, their RDATA copied into one buffer kept from owner to
 * owner (the sorter's record changes on each call). */
typedef struct {
	grr_t *r;
	size_t n, cap;
	uint8_t *bytes;
	size_t blen, bcap;
} group_t;

typedef struct {
	sorter_t s[2];
	rec_t head[2];
	bool have[2];
	group_t g[2];
	uint8_t cut[2][KNOT_DNAME_MAXLEN]; /* the current delegation's key per side */
	uint16_t cutlen[2];
	bool incut[2];
	ssr_zdiff_fn fn;
	void *ctx;
	const ssr_zdiff_opts_t *o;
	ssr_zdiff_stats_t *st;
	ssr_diag_t *diag;
	ssr_zmem_rdata_t *ra, *rb;
	size_t cap_ra, cap_rb;
} walk_t;

static int gather(walk_t *w, int side, const uint8_t *key, uint16_t klen)
{
	group_t *g = &w->g[side];
	g->n = 0;
	g->blen = 0;
	while (w->have[side] && key_cmp(w->head[side].key, w->head[side].klen, key, klen) == 0) {
		if (g->n == MAX_OWNER_RRS) {
			return ssr_diag_set(w->diag, SSR_ELIMIT,
			                    "zone diff '%s': an owner with more than %d records",
			                    w->s[side].path, MAX_OWNER_RRS);
		}
		if (ssr_grow((void **)&g->r, &g->cap, g->n + 1, sizeof(*g->r)) != SSR_EOK) {
			return ssr_diag_set(w->diag, SSR_ENOMEM, "zone diff: out of memory");
		}
		const rec_t *h = &w->head[side];
		if (ssr_grow((void **)&g->bytes, &g->bcap, g->blen + h->rdlen + 1, 1) != SSR_EOK) {
			return ssr_diag_set(w->diag, SSR_ENOMEM, "zone diff: out of memory");
		}
		memcpy(g->bytes + g->blen, h->rdata, h->rdlen);
		/* the offset for now: the buffer may still move */
		g->r[g->n++] = (grr_t){h->type, h->ttl, g->blen, {NULL, h->rdlen}};
		g->blen += h->rdlen;
		int rc = sorter_next(&w->s[side], &w->head[side], &w->have[side]);
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	for (size_t i = 0; i < g->n; i++) {
		g->r[i].rd.rdata = g->bytes + g->r[i].off;
	}
	return SSR_EOK;
}

/* [lo, hi) of type in a group (sorted by type). */
static void type_range(const group_t *g, uint16_t type, size_t *lo, size_t *hi)
{
	size_t i = 0;
	while (i < g->n && g->r[i].type < type) {
		i++;
	}
	*lo = i;
	while (i < g->n && g->r[i].type == type) {
		i++;
	}
	*hi = i;
}

static bool has_type(const group_t *g, uint16_t type)
{
	size_t lo, hi;
	type_range(g, type, &lo, &hi);
	return hi > lo;
}

static bool set_equal(const group_t *a, size_t alo, size_t ahi, const group_t *b, size_t blo,
                      size_t bhi)
{
	if (ahi - alo != bhi - blo) {
		return false;
	}
	for (size_t i = 0; i < ahi - alo; i++) {
		const ssr_zmem_rdata_t *x = &a->r[alo + i].rd, *y = &b->r[blo + i].rd;
		if (x->rdlen != y->rdlen || memcmp(x->rdata, y->rdata, x->rdlen) != 0) {
			return false;
		}
	}
	return true;
}

/* Emit a change of type's sets (when they differ; kind k), or count it (other, not all). */
static int emit(walk_t *w, ssr_zdiff_kind_t k, const uint8_t *owner, uint16_t type,
                const uint8_t *deleg, bool force)
{
	size_t alo, ahi, blo, bhi;
	type_range(&w->g[0], type, &alo, &ahi);
	type_range(&w->g[1], type, &blo, &bhi);
	if (!force && set_equal(&w->g[0], alo, ahi, &w->g[1], blo, bhi)) {
		return SSR_EOK;
	}
	w->st->changes[k]++;
	if (k == SSR_ZDIFF_OTHER && !w->o->all) {
		return SSR_EOK;
	}
	if (ssr_grow((void **)&w->ra, &w->cap_ra, ahi - alo + 1, sizeof(*w->ra)) != SSR_EOK ||
	    ssr_grow((void **)&w->rb, &w->cap_rb, bhi - blo + 1, sizeof(*w->rb)) != SSR_EOK) {
		return ssr_diag_set(w->diag, SSR_ENOMEM, "zone diff: out of memory");
	}
	for (size_t i = alo; i < ahi; i++) {
		w->ra[i - alo] = w->g[0].r[i].rd;
	}
	for (size_t i = blo; i < bhi; i++) {
		w->rb[i - blo] = w->g[1].r[i].rd;
	}
	ssr_zdiff_change_t c = {.kind = k,
	                        .owner = owner,
	                        .type = type,
	                        .deleg = deleg,
	                        .old_rd = w->ra,
	                        .new_rd = w->rb,
	                        .nold = ahi - alo,
	                        .nnew = bhi - blo,
	                        .old_ttl = ahi > alo ? w->g[0].r[alo].ttl : 0,
	                        .new_ttl = bhi > blo ? w->g[1].r[blo].ttl : 0};
	return w->fn(&c, w->ctx);
}

/* Every type either side has, in order, to fn's kind. */
static int each_type(walk_t *w, const uint8_t *owner, const uint8_t *deleg,
                     ssr_zdiff_kind_t (*kind_of)(uint16_t type, bool *skip))
{
	size_t i = 0, j = 0;
	const group_t *a = &w->g[0], *b = &w->g[1];
	while (i < a->n || j < b->n) {
		uint16_t t = i < a->n && (j >= b->n || a->r[i].type <= b->r[j].type) ? a->r[i].type
		                                                                     : b->r[j].type;
		bool skip = false;
		ssr_zdiff_kind_t k = kind_of(t, &skip);
		int rc = skip ? SSR_EOK : emit(w, k, owner, t, deleg, false);
		if (rc != SSR_EOK) {
			return rc;
		}
		while (i < a->n && a->r[i].type == t) {
			i++;
		}
		while (j < b->n && b->r[j].type == t) {
			j++;
		}
	}
	return SSR_EOK;
}

static ssr_zdiff_kind_t kind_apex(uint16_t t, bool *skip)
{
	(void)skip;
	switch (t) {
	case KNOT_RRTYPE_SOA:
	case KNOT_RRTYPE_NS:
	case KNOT_RRTYPE_DNSKEY:
	case KNOT_RRTYPE_ZONEMD:
	case KNOT_RRTYPE_CDS:
	case KNOT_RRTYPE_CDNSKEY:
	case KNOT_RRTYPE_NSEC3PARAM:
		return SSR_ZDIFF_APEX;
	default:
		return SSR_ZDIFF_OTHER;
	}
}

static ssr_zdiff_kind_t kind_deleg(uint16_t t, bool *skip)
{
	*skip = t == KNOT_RRTYPE_NS || t == KNOT_RRTYPE_DS; /* judged as the delegation */
	return SSR_ZDIFF_OTHER;
}

static ssr_zdiff_kind_t kind_glue(uint16_t t, bool *skip)
{
	(void)skip;
	return t == KNOT_RRTYPE_A || t == KNOT_RRTYPE_AAAA ? SSR_ZDIFF_GLUE : SSR_ZDIFF_OTHER;
}

static ssr_zdiff_kind_t kind_other(uint16_t t, bool *skip)
{
	(void)t, (void)skip;
	return SSR_ZDIFF_OTHER;
}

static int owner_done(walk_t *w, const uint8_t *key, uint16_t klen)
{
	uint8_t owner[KNOT_DNAME_MAXLEN];
	key_owner(key, klen, owner);
	const sorter_t *s0 = &w->s[0];
	bool apex = klen == s0->aklen && memcmp(key, s0->akey, klen) == 0;
	bool under[2], deleg[2];
	for (int s = 0; s < 2; s++) {
		if (w->incut[s] && !key_under(w->cut[s], w->cutlen[s], key, klen, false)) {
			w->incut[s] = false;
		}
		under[s] = w->incut[s];
		deleg[s] = !apex && !under[s] && has_type(&w->g[s], KNOT_RRTYPE_NS);
	}
	if (apex) {
		for (int s = 0; s < 2; s++) {
			size_t lo, hi;
			type_range(&w->g[s], KNOT_RRTYPE_SOA, &lo, &hi);
			if (hi > lo && w->g[s].r[lo].rd.rdlen >= 20) {
				const uint8_t *p =
				    w->g[s].r[lo].rd.rdata + w->g[s].r[lo].rd.rdlen - 20;
				w->st->serial[s] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
				                   (uint32_t)p[2] << 8 | p[3];
			}
		}
		return each_type(w, owner, NULL, kind_apex);
	}
	if (deleg[0] || deleg[1]) {
		int rc = SSR_EOK;
		for (int s = 0; s < 2; s++) {
			if (deleg[s]) {
				w->st->delegations[s]++;
				memcpy(w->cut[s], key, klen);
				w->cutlen[s] = klen;
				w->incut[s] = true;
			}
		}
		if (deleg[1] && !deleg[0]) {
			rc = emit(w, SSR_ZDIFF_DELEG_ADDED, owner, KNOT_RRTYPE_NS, owner, true);
		} else if (deleg[0] && !deleg[1]) {
			rc = emit(w, SSR_ZDIFF_DELEG_REMOVED, owner, KNOT_RRTYPE_NS, owner, true);
		} else {
			rc = emit(w, SSR_ZDIFF_NS, owner, KNOT_RRTYPE_NS, owner, false);
		}
		if (rc == SSR_EOK) {
			rc = emit(w, SSR_ZDIFF_DS, owner, KNOT_RRTYPE_DS, owner, false);
		}
		return rc == SSR_EOK ? each_type(w, owner, owner, kind_deleg) : rc;
	}
	if (under[0] || under[1]) {
		uint8_t d[KNOT_DNAME_MAXLEN];
		int s = under[1] ? 1 : 0;
		key_owner(w->cut[s], w->cutlen[s], d);
		return each_type(w, owner, d, kind_glue);
	}
	return each_type(w, owner, NULL, kind_other);
}

int ssr_zdiff(const char *old_path, const char *new_path, const ssr_zdiff_opts_t *o,
              ssr_zdiff_fn fn, void *ctx, ssr_zdiff_stats_t *st, ssr_diag_t *diag)
{
	memset(st, 0, sizeof(*st));
	if (o->memory != 0 && o->memory < ((size_t)1 << 20)) {
		return ssr_diag_set(diag, SSR_EINVAL, "zone diff: memory under 1 MiB");
	}
	walk_t *w = calloc(1, sizeof(*w));
	if (w == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "zone diff: out of memory");
	}
	w->fn = fn;
	w->ctx = ctx;
	w->o = o;
	w->st = st;
	w->diag = diag;
	const char *paths[2] = {old_path, new_path};
	int rc = SSR_EOK;
	for (int s = 0; rc == SSR_EOK && s < 2; s++) {
		w->s[s] = (sorter_t){.path = paths[s], .o = o, .st = st, .side = s, .diag = diag};
		rc = sorter_load(&w->s[s]);
		if (rc == SSR_EOK) {
			rc = sorter_next(&w->s[s], &w->head[s], &w->have[s]);
		}
	}
	uint8_t key[KNOT_DNAME_MAXLEN];
	while (rc == SSR_EOK && (w->have[0] || w->have[1])) {
		const rec_t *k =
		    !w->have[1]   ? &w->head[0]
		    : !w->have[0] ? &w->head[1]
		    : key_cmp(w->head[0].key, w->head[0].klen, w->head[1].key, w->head[1].klen) <= 0
		        ? &w->head[0]
		        : &w->head[1];
		uint16_t klen = k->klen;
		memcpy(key, k->key, klen);
		rc = gather(w, 0, key, klen);
		if (rc == SSR_EOK) {
			rc = gather(w, 1, key, klen);
		}
		if (rc == SSR_EOK) {
			rc = owner_done(w, key, klen);
		}
	}
	for (int s = 0; s < 2; s++) {
		sorter_release(&w->s[s]);
		free(w->g[s].bytes);
		free(w->g[s].r);
	}
	free(w->ra);
	free(w->rb);
	free(w);
	return rc;
}
