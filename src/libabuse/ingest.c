/* ssrwatch — abuse ingest: feeds -> listed registered domains; one pass over each zone joins
 * them with the delegations (and feeds the first-seen index); attribution; one transaction.
 *
 * Over 800 lines: the ingest's phases (feeds, zone passes, attribution, store) share one
 * in-memory listing set and its sort; split into phase functions over one context. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsindex.h"
#include "imitate.h"
#include "ingest.h"
#include "ssrwatch/abuse.h"
#include "ssrwatch/date.h"
#include "ssrwatch/dname.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/progress.h"
#include "ssrwatch/hashrun.h"
#include "ssrwatch/sort.h"
#include "ssrwatch/abusestore.h"
#include "ssrwatch/zonestore.h"

static bool tld_measured(const char *tld, void *ctx)
{
	ingest_t *in = ctx;
	for (size_t i = 0; i < in->nzones; i++) {
		const char *z = in->zones[i].name;
		const char *last = strrchr(z, '.');
		if (strcmp(last ? last + 1 : z, tld) == 0) {
			return true;
		}
	}
	return false;
}

/* The zone a registered domain is delegated from; -1 when none is measured. */
static int zone_of(const ingest_t *in, const char *domain)
{
	const char *parent = strchr(domain, '.');
	if (parent == NULL) {
		return -1;
	}
	for (size_t i = 0; i < in->nzones; i++) {
		if (strcmp(parent + 1, in->zones[i].name) == 0) {
			return (int)i;
		}
	}
	return -1;
}

/* A feed entry's listing key, worked out for a whole batch before the map is probed (the
 * probes then find their slots prefetched). */
typedef struct ingest_prep {
	uint8_t wire[SSR_DNAME_MAXLEN + 1]; /* lowercase */
	int wl;                             /* <= 0: not a name */
	int zone;                           /* < 0: not a zone being measured */
	uint64_t hash;
} prep_t;

static void prepare(const char *domain, int zone, prep_t *p)
{
	p->zone = zone;
	if (p->zone < 0) {
		return;
	}
	p->wl = ssr_dname_from_text(domain, strlen(domain), NULL, p->wire, sizeof(p->wire));
	if (p->wl > 0) {
		ssr_dname_lower(p->wire);
		p->hash = ssr_hash64(p->wire, (size_t)p->wl);
	}
}

/* On the feed reader's thread: an entry's key (the zones are only read). */
static void prepare_entry(const ssr_feed_entry_t *e, void *slot, void *ctx)
{
	const ingest_t *in = ctx;
	prepare(e->domain, zone_of(in, e->domain), slot);
}

static int add_domain(ingest_t *in, const char *domain, const prep_t *p, listing_t **out)
{
	if (p->wl <= 0) {
		return SSR_EPARSE;
	}
	ssr_strmap_entry_t *e;
	bool ins;
	/* room first: a map entry must never point past the array */
	int rc = ssr_grow((void **)&in->v, &in->cap, in->n + 1, sizeof(listing_t));
	if (rc == SSR_EOK) {
		rc = ssr_strmap_upsert_hashed(&in->map, p->hash, p->wire, (size_t)p->wl, &e, &ins);
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	if (ins) {
		size_t tl = strlen(domain);
		char *t = ssr_arena_alloc(&in->text, tl + 1);
		if (t == NULL) {
			return SSR_ENOMEM;
		}
		memcpy(t, domain, tl + 1);
		e->value = in->n;
		in->v[in->n++] = (listing_t){.zone = (unsigned)p->zone,
		                             .feed_first = SSR_DAY_NONE,
		                             .zone_first = SSR_DAY_NONE,
		                             .hash = e->hash,
		                             .text = t,
		                             .reg = {0, SSR_DAY_NONE}};
	}
	*out = &in->v[e->value];
	return SSR_EOK;
}

static int take_entry(ingest_t *in, const ssr_feed_entry_t *e, const prep_t *p)
{
	const ssr_abuse_feed_t *f = &in->o->feeds[in->feed];
	if (p->zone < 0) {
		in->feed_not_measured++;
		return SSR_EOK;
	}
	if (e->first_seen != 0) {
		int32_t fd = (int32_t)(e->first_seen / 86400);
		if (fd > in->day) {
			char a[11], b[11];
			ssr_date_format(fd, a);
			ssr_date_format(in->day, b);
			return ssr_diag_set(
			    in->diag, SSR_EINVAL,
			    "feed '%s' line %" PRIu64
			    ": first seen %s, after the snapshot date %s (a feed from "
			    "another date?)",
			    f->path, e->line, a, b);
		}
	}
	listing_t *l;
	int rc = add_domain(in, e->domain, p, &l);
	if (rc != SSR_EOK) {
		return ssr_diag_set(in->diag, rc, "feed '%s' line %" PRIu64 ": %s", f->path,
		                    e->line, ssr_strerror(rc));
	}
	if (in->imit && e->host &&
	    (rc = abuse_imit_check(in->imit, (unsigned)p->zone, e->host, l->text))) {
		return ssr_diag_set(in->diag, rc, "feed '%s' line %" PRIu64 ": %s", f->path,
		                    e->line, ssr_strerror(rc));
	}
	l->listed = true;
	l->categories |= 1u << e->category;
	l->feeds |= 1ull << in->feed;
	if (e->first_seen != 0) {
		int32_t fd = (int32_t)(e->first_seen / 86400);
		if (l->feed_first == SSR_DAY_NONE || fd < l->feed_first) {
			l->feed_first = fd;
		}
	}
	return SSR_EOK;
}

/* A batch of feed entries (their lines were read and normalised and their keys worked out on
 * the feed reader's thread): every map slot prefetched, then each entry taken in order. */
static int on_entries(const ssr_feed_entry_t *e, const void *slots, size_t n, void *ctx)
{
	ingest_t *in = ctx;
	const prep_t *p = slots;
	for (size_t i = 0; i < n; i++) {
		if (p[i].zone >= 0 && p[i].wl > 0) {
			ssr_strmap_prefetch(&in->map, p[i].hash);
		}
	}
	for (size_t i = 0; i < n; i++) {
		int rc = take_entry(in, &e[i], &p[i]);
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	return SSR_EOK;
}

/* Wall time of each phase, logged at info level (ssrwatch -v): where an ingest spends it. */
void abuse_ingest_phase(ingest_t *in, const char *what)
{
	double now = ssr_monotonic();
	ssr_log(in->o->log, SSR_LOG_INFO, "abuse", "ingest %s: %.3f s", what, now - in->t);
	in->t = now;
}

/* ---- the zone pass ------------------------------------------------------------------- */

/* The listing probes of each reader thread, pipelined: a delegation's filter word is prefetched
 * when it arrives and tested PEND_FILTER delegations later; if it passes, its map slot is
 * prefetched and the map probed PEND_MAP - PEND_FILTER delegations after that.  At 20M
 * delegations x 2M listings the probes, each a cache miss or more, had made the zone pass 75%
 * slower than zone stats.  Setting a present flag is all a probe does, so probing later is
 * exact; what is pending at the end of a pass is probed by abuse_ingest_collect_present. */
#define PEND_FILTER 16
#define PEND_MAP    24
#define PEND_RING   32 /* a power of two > PEND_MAP */

typedef struct {
	uint64_t h;
	uint16_t len;
	bool pass;
	uint8_t owner[SSR_DNAME_MAXLEN];
} pend_t;

struct ingest_pending {
	_Alignas(64) pend_t ring[PEND_RING];
	uint64_t n; /* delegations seen in this pass */
};

static inline bool filter_pass(const ingest_t *in, uint64_t h);

static void pend_probe(ingest_t *in, pend_t *e)
{
	if (e->pass) {
		ssr_strmap_entry_t *m = ssr_strmap_find_hashed(&in->map, e->h, e->owner, e->len);
		if (m != NULL) {
			/* flagged in the map entry just read, not in the listing (one cache miss
			 * fewer); moved to the listings after the pass */
			__atomic_fetch_or(&m->value, PRESENT_BIT, __ATOMIC_RELAXED);
		}
	}
}

/* Everything pending of every part probed, the rings emptied. */
static void pend_flush(ingest_t *in)
{
	for (unsigned p = 0; in->pend != NULL && p < SSR_HASHRUN_MAX_PARTS; p++) {
		struct ingest_pending *q = &in->pend[p];
		uint64_t from = q->n > PEND_MAP ? q->n - PEND_MAP : 0;
		for (uint64_t j = from; j < q->n; j++) {
			pend_t *e = &q->ring[j % PEND_RING];
			if (j + PEND_FILTER >= q->n) {
				e->pass = filter_pass(in, e->h); /* not yet tested */
			}
			pend_probe(in, e);
		}
		q->n = 0;
	}
}

/* After a zone pass: the flags set in map entries onto the listings. */
void abuse_ingest_collect_present(ingest_t *in)
{
	pend_flush(in);
	abuse_present_collect(in);
	for (size_t i = 0; i < in->map.count; i++) {
		ssr_strmap_entry_t *e = &in->map.entries[i];
		if (e->value & PRESENT_BIT) {
			e->value &= ~PRESENT_BIT;
			in->v[e->value].present = 1;
		}
	}
}

/* The two bits of a hash in its listing-filter word (see build_filter). */
static inline uint64_t filter_bits(uint64_t h)
{
	return 1ull << ((h >> 40) & 63) | 1ull << ((h >> 46) & 63);
}

static inline bool filter_pass(const ingest_t *in, uint64_t h)
{
	uint64_t m = filter_bits(h);
	return (in->filter[(h >> 17) & in->filter_mask] & m) == m;
}

static int on_delegation(const uint8_t *owner, size_t len, uint64_t h, bool ds, unsigned part,
                         void *ctx)
{
	ingest_t *in = ctx;
	(void)ds;
	zone_t *z = &in->zones[in->cur_zone];
	/* h: the reader's one hash of the owner, for the index and the lookup */
	int rc = in->runs_shared ? SSR_EOK : abuse_fsi_add(z->fsi, part, h);
	if (rc != SSR_EOK || in->filter == NULL) {
		return rc;
	}
	if (abuse_present_merge(in, owner, len, part)) {
		return SSR_EOK;
	}
	if (in->pend == NULL || part >= SSR_HASHRUN_MAX_PARTS || len > SSR_DNAME_MAXLEN) {
		pend_t e = {.h = h, .len = (uint16_t)len, .pass = filter_pass(in, h)};
		if (e.pass && len <= SSR_DNAME_MAXLEN) {
			memcpy(e.owner, owner, len);
			pend_probe(in, &e);
		}
		return SSR_EOK;
	}
	struct ingest_pending *q = &in->pend[part];
	uint64_t t = q->n;
	__builtin_prefetch(&in->filter[(h >> 17) & in->filter_mask]);
	if (t >= PEND_FILTER) {
		pend_t *f = &q->ring[(t - PEND_FILTER) % PEND_RING];
		f->pass = filter_pass(in, f->h);
		if (f->pass) {
			ssr_strmap_prefetch(&in->map, f->h);
		}
	}
	if (t >= PEND_MAP) {
		pend_probe(in, &q->ring[(t - PEND_MAP) % PEND_RING]);
	}
	pend_t *e = &q->ring[t % PEND_RING];
	e->h = h;
	e->len = (uint16_t)len;
	e->pass = false;
	memcpy(e->owner, owner, len);
	q->n = t + 1;
	return SSR_EOK;
}

static void on_restart(void *ctx)
{
	ingest_t *in = ctx;
	for (unsigned p = 0; in->pend != NULL && p < SSR_HASHRUN_MAX_PARTS; p++) {
		in->pend[p].n = 0; /* the pass is void: nothing of it probed */
	}
	/* nor anything of it found: a part that did not fit may have read names wrongly */
	for (size_t i = 0; i < in->map.count; i++) {
		in->map.entries[i].value &= ~PRESENT_BIT;
	}
	abuse_present_restart(in);
	abuse_fsi_reset(in->zones[in->cur_zone].fsi);
}

/* The listing filter, a blocked Bloom filter: 16 bits per listed domain, two bits set per domain
 * in one 64-bit word chosen by the hash (one memory access per delegation).  A delegation that
 * is not listed passes with probability ~2%, against 12% for one bit in 8 per listing: at 2M
 * listings in a 20M zone that is 2M fewer map probes, each a cache miss or more. */
static int build_filter(ingest_t *in, ssr_diag_t *diag)
{
	uint64_t words = 64;
	while (words < (uint64_t)in->n / 4) {
		words <<= 1;
	}
	in->filter = calloc(words, sizeof(uint64_t));
	if (in->filter == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
	}
	in->filter_mask = words - 1;
	for (size_t i = 0; i < in->n; i++) {
		uint64_t h = in->v[i].hash;
		in->filter[(h >> 17) & in->filter_mask] |= filter_bits(h);
	}
	free(in->pend);
	in->pend = aligned_alloc(64, SSR_HASHRUN_MAX_PARTS * sizeof(*in->pend));
	if (in->pend == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
	}
	for (unsigned p = 0; p < SSR_HASHRUN_MAX_PARTS; p++) {
		in->pend[p].n = 0;
	}
	return SSR_EOK;
}

/* Join the background writer of zone zi's new first-seen index. */
static int wait_index(ingest_t *in, unsigned zi, ssr_diag_t *diag)
{
	zone_t *z = &in->zones[zi];
	if (!z->index_writing) {
		return SSR_EOK;
	}
	z->index_writing = false;
	uint64_t count = 0;
	int rc = abuse_fsi_write_wait(z->fsi, &count, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	uint64_t deleg = (uint64_t)json_integer_value(json_object_get(z->stats, "delegations"));
	if (deleg != count) {
		/* two delegations with one 64-bit hash: the index merged them */
		ssr_log(in->o->log, SSR_LOG_WARNING, "abuse",
		        "zone '%s': %" PRIu64 " distinct hashes for %" PRIu64 " delegations",
		        z->path, count, deleg);
	}
	return SSR_EOK;
}

/* The ingest's zone options: the delegations go to the index and the listings' flags. */
void abuse_ingest_zone_opts(ingest_t *in, ssr_zone_analyze_opts_t *ao)
{
	*ao = in->o->zone;
	ao->stats.on_delegation = on_delegation;
	ao->stats.delegation_ctx = in;
	ao->on_restart = on_restart;
	ao->log = in->o->log;
}

/* After zone zi's delegations are in its index's runs and its listings flagged: the first-seen
 * day of each present listing, and the new index started. */
int abuse_ingest_first_seen(ingest_t *in, unsigned zi, ssr_diag_t *diag)
{
	zone_t *z = &in->zones[zi];
	int rc = SSR_EOK;
	/* the first-seen day of each listed or tracked domain found in the zone: its hash paired
	 * with its listing, radix-sorted by hash, looked up in one scan of the index */
	size_t nq = 0;
	for (size_t i = 0; i < in->n; i++) {
		nq += in->v[i].zone == zi && in->v[i].present;
	}
	ssr_pair_t *pairs = malloc((nq ? nq : 1) * sizeof(ssr_pair_t) * 2);
	uint64_t *q = malloc((nq ? nq : 1) * sizeof(uint64_t));
	int32_t *first = malloc((nq ? nq : 1) * sizeof(int32_t));
	if (pairs == NULL || q == NULL || first == NULL) {
		free(pairs);
		free(q);
		free(first);
		return ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
	}
	nq = 0;
	for (size_t i = 0; i < in->n; i++) {
		if (in->v[i].zone == zi && in->v[i].present) {
			pairs[nq++] = (ssr_pair_t){in->v[i].hash, i};
		}
	}
	ssr_sort_pairs(pairs, pairs + nq, nq);
	for (size_t i = 0; i < nq; i++) {
		q[i] = pairs[i].key;
	}
	/* bounded memory: the previous zone's index is written before this one's starts */
	if (zi > 0) {
		rc = wait_index(in, zi - 1, diag);
	}
	if (rc == SSR_EOK) {
		rc = abuse_fsi_write_start(z->fsi, in->day, diag);
		z->index_writing = rc == SSR_EOK;
	}
	if (rc == SSR_EOK) {
		rc = abuse_fsi_lookup(z->fsi, in->day, q, nq, first, &z->origin, diag);
	}
	if (rc == SSR_EOK) {
		for (size_t i = 0; i < nq; i++) {
			in->v[pairs[i].value].zone_first = first[i];
		}
		abuse_ingest_phase(in, "first-seen lookup");
	}
	free(pairs);
	free(q);
	free(first);
	return rc;
}

static void on_pass(void *ctx, bool runs_used)
{
	ingest_t *in = ctx;
	in->runs_shared = runs_used;
}

/* Owners with DS and no NS counted in the statistics (they are in the owner runs too). */
static uint64_t ds_only_owners(const json_t *stats)
{
	return (uint64_t)json_integer_value(
	    json_object_get(json_object_get(stats, "ds"), "owners_without_ns"));
}

static int read_zone(ingest_t *in, unsigned zi, ssr_diag_t *diag)
{
	zone_t *z = &in->zones[zi];
	const ssr_abuse_ingest_opts_t *o = in->o;
	in->cur_zone = zi;
	int rc = abuse_fsi_new(o->index_dir, z->name, o->index_mem, &z->fsi, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (in->filter != NULL && (rc = abuse_present_begin(in, zi, diag)) != SSR_EOK) {
		return rc;
	}
	/* One set of hash runs: the statistics' owner runs (for an unsorted zone's proof) are the
	 * first-seen index's delegations, unless the zone has owners with DS and no NS (they are
	 * owner runs, not delegations): such a zone is read again with runs of its own. */
	ssr_zone_analyze_opts_t ao;
	abuse_ingest_zone_opts(in, &ao);
	ao.owner_runs = abuse_fsi_runs(z->fsi);
	ao.on_pass = on_pass;
	rc = ssr_zone_stats_analyze(z->path, &ao, &z->stats, diag);
	if (rc == SSR_EOK && in->runs_shared && ds_only_owners(z->stats) > 0) {
		ssr_log(o->log, SSR_LOG_INFO, "abuse",
		        "zone '%s': %" PRIu64 " owners with DS and no NS: read again for the "
		        "first-seen index",
		        z->path, ds_only_owners(z->stats));
		json_decref(z->stats);
		z->stats = NULL;
		on_restart(in);
		abuse_ingest_zone_opts(in, &ao);
		in->runs_shared = false;
		rc = ssr_zone_stats_analyze(z->path, &ao, &z->stats, diag);
	}
	in->runs_shared = false;
	abuse_ingest_collect_present(in);
	if (rc != SSR_EOK) {
		return rc;
	}
	abuse_ingest_phase(in, "zone pass");
	return abuse_ingest_first_seen(in, zi, diag);
}

/* ---- store --------------------------------------------------------------------------- */

typedef struct {
	ingest_t *in;
	ssr_store_t *st;
	ssr_diag_t *diag;
} dum_ctx_t;

static int put_dum(const char *tld, uint64_t registrar, uint64_t domains, void *ctx)
{
	dum_ctx_t *c = ctx;
	return ssr_store_registrar_domains_put(c->st, tld, c->in->o->date, registrar, domains,
	                                       c->diag);
}

static void side_free(side_t *s)
{
	for (size_t i = 0; i < s->n; i++) {
		side_item_t *x = &s->v[i];
		free(x->name);
		free(x->kind);
		free(x->subject);
		free(x->date);
		free(x->price);
		free(x->currency);
	}
	free(s->v);
}

static int side_add(side_t *s, const side_item_t *x)
{
	if (ssr_grow((void **)&s->v, &s->cap, s->n + 1, sizeof(side_item_t)) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	side_item_t *y = &s->v[s->n++];
	*y = (side_item_t){.id = x->id};
	const char *const src[] = {x->name, x->kind, x->subject, x->date, x->price, x->currency};
	char **dst[] = {&y->name, &y->kind, &y->subject, &y->date, &y->price, &y->currency};
	for (size_t i = 0; i < 6; i++) {
		if (src[i] != NULL && (*dst[i] = strdup(src[i])) == NULL) {
			return SSR_ENOMEM;
		}
	}
	return SSR_EOK;
}

static int side_registrar(uint64_t id, const char *name, void *ctx)
{
	side_item_t x = {.name = (char *)name, .id = id};
	return side_add(ctx, &x);
}

static int side_price(const char *kind, const char *subject, const char *date, const char *price,
                      const char *currency, void *ctx)
{
	side_item_t x = {.kind = (char *)kind,
	                 .subject = (char *)subject,
	                 .date = (char *)date,
	                 .price = (char *)price,
	                 .currency = (char *)currency};
	return side_add(ctx, &x);
}

static int side_store(ssr_store_t *st, const side_t *s, ssr_diag_t *diag)
{
	int rc = SSR_EOK;
	for (size_t i = 0; i < s->n && rc == SSR_EOK; i++) {
		const side_item_t *x = &s->v[i];
		rc = x->name != NULL ? ssr_store_registrar_put(st, x->id, x->name, diag)
		                     : ssr_store_price_put(st, x->kind, x->subject, x->date,
		                                           x->price, x->currency, diag);
	}
	return rc;
}

static bool zone_measured(const char *name, void *ctx)
{
	ingest_t *in = ctx;
	for (size_t i = 0; i < in->nzones; i++) {
		if (strcmp(in->zones[i].name, name) == 0) {
			return true;
		}
	}
	return false;
}

static int cmp_listing(const void *a, const void *b)
{
	const listing_t *x = *(const listing_t *const *)a, *y = *(const listing_t *const *)b;
	return strcmp(x->text, y->text);
}

static void day_text(int32_t day, char out[11], const char **p)
{
	if (day == SSR_DAY_NONE) {
		*p = NULL;
		return;
	}
	ssr_date_format(day, out);
	*p = out;
}

/* The names of the feeds in mask, sorted and distinct, comma-separated. */
static void feed_names(const ssr_abuse_ingest_opts_t *o, uint64_t mask, char *out, size_t cap)
{
	const char *fn[SSR_ABUSE_MAX_FEEDS];
	size_t nf = 0, nl = 0;
	for (size_t f = 0; f < o->nfeeds; f++) {
		if (mask & (1ull << f)) {
			size_t k = nf++;
			while (k > 0 && strcmp(fn[k - 1], o->feeds[f].name) > 0) {
				fn[k] = fn[k - 1];
				k--;
			}
			fn[k] = o->feeds[f].name;
		}
	}
	out[0] = '\0';
	for (size_t k = 0; k < nf; k++) {
		if (k > 0 && strcmp(fn[k], fn[k - 1]) == 0) {
			continue;
		}
		nl += (size_t)snprintf(out + nl, cap - nl, "%s%s", nl ? "," : "", fn[k]);
	}
}

/* The listings grouped by zone (zone zi's are sorted[zstart[zi] .. zstart[zi + 1])), each
 * zone's in name (byte) order: radix sorts on the names' first 16 bytes, comparisons only
 * among names that share them (qsort of 2M pointers to scattered names was 1.7 s, every
 * comparison a cache miss or two; generated and real feeds share 8-byte prefixes often: 1.98M
 * listings in 397k prefixes), then a stable count by zone. */
static int sort_listings(ingest_t *in, listing_t ***out, size_t **zstart, ssr_diag_t *diag)
{
	size_t n = in->n;
	uint64_t *k1 = malloc((n ? n : 1) * sizeof(*k1));
	uint64_t *k2 = malloc((n ? n : 1) * sizeof(*k2));
	size_t *order = malloc((n ? n : 1) * sizeof(*order));
	listing_t **sorted = malloc((n ? n : 1) * sizeof(*sorted));
	size_t *start = calloc(in->nzones + 1, sizeof(*start));
	int rc = k1 && k2 && order && sorted && start ? SSR_EOK : SSR_ENOMEM;
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		const char *t = in->v[i].text;
		size_t l = strlen(t);
		k1[i] = ssr_sort_key8(t, l, 0);
		k2[i] = ssr_sort_key8(t, l, 8);
	}
	if (rc == SSR_EOK) {
		rc = ssr_sort_order2(k1, k2, n, order);
	}
	for (size_t i = 0; rc == SSR_EOK && i < n;) {
		size_t j = i + 1;
		while (j < n && k1[order[j]] == k1[order[i]] && k2[order[j]] == k2[order[i]]) {
			j++;
		}
		for (size_t t = i; t < j; t++) {
			sorted[t] = &in->v[order[t]];
		}
		if (j - i > 1) {
			qsort(sorted + i, j - i, sizeof(*sorted), cmp_listing);
		}
		i = j;
	}
	free(k1);
	free(k2);
	free(order);
	if (rc != SSR_EOK) {
		free(sorted);
		free(start);
		return ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
	}
	/* stable by zone */
	for (size_t i = 0; i < n; i++) {
		start[sorted[i]->zone + 1]++;
	}
	for (size_t z = 0; z < in->nzones; z++) {
		start[z + 1] += start[z];
	}
	listing_t **by_zone = malloc((n ? n : 1) * sizeof(*by_zone));
	size_t *pos = malloc((in->nzones ? in->nzones : 1) * sizeof(*pos));
	if (by_zone == NULL || pos == NULL) {
		free(by_zone);
		free(pos);
		free(sorted);
		free(start);
		return ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
	}
	memcpy(pos, start, in->nzones * sizeof(*pos));
	for (size_t i = 0; i < n; i++) {
		by_zone[pos[sorted[i]->zone]++] = sorted[i];
	}
	free(pos);
	free(sorted);
	sorted = by_zone;
	*out = sorted;
	*zstart = start;
	return SSR_EOK;
}

static int store_zone(ingest_t *in, ssr_store_t *st, unsigned zi, listing_t **sorted,
                      size_t nsorted, json_t *summary, ssr_diag_t *diag)
{
	const ssr_abuse_ingest_opts_t *o = in->o;
	zone_t *z = &in->zones[zi];
	char *text = json_dumps(z->stats, JSON_COMPACT);
	if (text == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "abuse ingest: out of memory");
	}
	int rc = ssr_store_zone_snapshot_put(st, z->name, o->date, text, diag);
	free(text);
	if (rc != SSR_EOK) {
		return rc;
	}
	uint64_t listed = 0, in_zone = 0;
	json_t *feeds = json_object();
	uint64_t per_feed[SSR_ABUSE_MAX_FEEDS][2] = {{0}};
	for (size_t i = 0; i < nsorted; i++) {
		listing_t *l = sorted[i];
		if (i + 16 < nsorted) {
			__builtin_prefetch(sorted[i + 16]); /* scattered: a cache miss each */
		}
		if (l->zone != zi) {
			continue;
		}
		if (l->listed) {
			listed++;
			in_zone += l->present;
			for (size_t f = 0; f < o->nfeeds; f++) {
				if (l->feeds & (1ull << f)) {
					per_feed[f][0]++;
					per_feed[f][1] += l->present;
				}
			}
		}
		if (l->tracked && !(l->listed && l->present)) {
			z->gone++;
		}
	}
	for (size_t f = 0; f < o->nfeeds; f++) {
		json_object_set_new(feeds, o->feeds[f].name,
		                    json_pack("{s:s,s:I,s:I}", "category",
		                              ssr_abuse_category_name(o->feeds[f].category),
		                              "listed", (json_int_t)per_feed[f][0], "in_zone",
		                              (json_int_t)per_feed[f][1]));
	}
	char *feeds_text = json_dumps(feeds, JSON_SORT_KEYS | JSON_COMPACT);
	char origin[11];
	ssr_date_format(z->origin, origin);
	ssr_abuse_snapshot_t s = {
	    .tld = z->name,
	    .date = o->date,
	    .zone_file = z->path,
	    .zone_size = (uint64_t)json_integer_value(json_object_get(z->stats, "delegations")),
	    .listed = listed,
	    .listed_in_zone = in_zone,
	    .index_origin = origin,
	    .has_registrations = o->attrib != NULL,
	    .feeds = feeds_text};
	rc = feeds_text ? ssr_store_abuse_snapshot_put(st, &s, diag)
	                : ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
	if (rc == SSR_EOK) {
		rc = ssr_store_abuse_rows_begin(st, diag);
	}
	char names[SSR_ABUSE_MAX_FEEDS * 66] = "";
	uint64_t names_mask = 0;
	for (size_t i = 0; i < nsorted && rc == SSR_EOK; i++) {
		listing_t *l = sorted[i];
		if (i + 16 < nsorted) {
			__builtin_prefetch(sorted[i + 16]);
		}
		if (i + 8 < nsorted) {
			__builtin_prefetch(sorted[i + 8]->text); /* its listing was fetched 8 ago */
		}
		if (l->zone != zi) {
			continue;
		}
		/* feed names in name order, comma-separated; rows mostly repeat one feed set */
		if (l->feeds != names_mask) {
			names_mask = l->feeds;
			feed_names(o, l->feeds, names, sizeof(names));
		}
		char b1[11], b2[11], b3[11];
		ssr_abuse_row_t r = {.domain = l->text,
		                     .listed = l->listed,
		                     .in_zone = l->present != 0,
		                     .categories = l->categories,
		                     .feeds = names,
		                     .registrar = l->reg.registrar};
		day_text(l->feed_first, b1, &r.feed_first_seen);
		day_text(l->present ? l->zone_first : SSR_DAY_NONE, b2, &r.zone_first_seen);
		day_text(l->reg.created, b3, &r.created);
		rc = ssr_store_abuse_row_put(st, z->name, o->date, &r, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_abuse_rows_end(st, diag);
	}
	json_t *zs = json_pack(
	    "{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:s,s:O}", "tld", z->name, "file", z->path,
	    "zone_size", (json_int_t)s.zone_size, "listed", (json_int_t)listed, "listed_in_zone",
	    (json_int_t)in_zone, "listed_not_in_zone", (json_int_t)(listed - in_zone),
	    "tracked_from_previous", (json_int_t)z->tracked, "gone_since_previous",
	    (json_int_t)z->gone, "index_origin", origin, "feeds", feeds);
	if (rc == SSR_EOK && in->imit && zs) {
		rc = abuse_imit_store(in->imit, st, zi, z->name, o->date, zs, diag);
	}
	json_array_append_new(json_object_get(summary, "zones"), zs);
	json_decref(feeds);
	free(feeds_text);
	return rc;
}

/* ---- the whole ingest ------------------------------------------------------------------ */

static int mkdir_p(const char *dir, ssr_diag_t *diag)
{
	char buf[4096];
	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf)) {
		return ssr_diag_set(diag, SSR_EINVAL, "index directory name too long");
	}
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
				return ssr_diag_set(diag, SSR_EIO, "index directory '%s': %s", buf,
				                    strerror(errno));
			}
			*p = c;
			if (c == '\0') {
				break;
			}
		}
	}
	return SSR_EOK;
}

static int track_open(const char *domain, void *ctx)
{
	ingest_t *in = ctx;
	listing_t *l;
	prep_t p;
	prepare(domain, (int)in->cur_zone, &p);
	int rc = add_domain(in, domain, &p, &l);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (!l->tracked) {
		l->tracked = true;
		in->zones[in->cur_zone].tracked++;
	}
	return SSR_EOK;
}

/* A serial in the YYYYMMDDnn convention that names a day more than one day away. */
static bool serial_mismatch(uint32_t serial, int32_t day, char out[11])
{
	unsigned ymd = serial / 100;
	char t[16];
	snprintf(t, sizeof(t), "%04u-%02u-%02u", ymd / 10000, ymd / 100 % 100, ymd % 100);
	int32_t sd;
	if (ymd < 19900101 || ymd > 21001231 || ssr_date_parse(t, 10, &sd) != SSR_EOK) {
		return false;
	}
	memcpy(out, t, 11);
	return sd > day + 1 || sd < day - 1;
}

static int prepare_zones(ingest_t *in, ssr_diag_t *diag)
{
	const ssr_abuse_ingest_opts_t *o = in->o;
	for (size_t i = 0; i < o->nzones; i++) {
		zone_t *z = &in->zones[i];
		z->path = o->zones[i];
		if (strcmp(z->path, "-") == 0) {
			return ssr_diag_set(
			    diag, SSR_EINVAL,
			    "ingest: zones are read from files, not standard input");
		}
		uint32_t serial = 0;
		int rc = ssr_zone_probe_soa(z->path, &o->zone.read, z->apex, &serial, diag);
		if (rc != SSR_EOK) {
			return rc;
		}
		z->apex_len = ssr_dname_len(z->apex, sizeof(z->apex));
		int tl = ssr_dname_to_text(z->apex, z->name, sizeof(z->name), true);
		if (tl <= 0 || z->apex_len <= 1) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "zone '%s': the root zone has no registered domains",
			                    z->path);
		}
		if (z->name[tl - 1] == '.') {
			z->name[tl - 1] = '\0';
		}
		char sd[11];
		if (!o->allow_date_mismatch && serial_mismatch(serial, in->day, sd)) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "zone '%s': SOA serial %" PRIu32
			                    " names %s, not the snapshot date %s (pass "
			                    "--allow-date-mismatch if that is right)",
			                    z->path, serial, sd, o->date);
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(in->zones[j].name, z->name) == 0) {
				return ssr_diag_set(
				    diag, SSR_EINVAL,
				    "zone '%s': zone '%s' is given twice (also '%s')", z->path,
				    z->name, in->zones[j].path);
			}
		}
	}
	return SSR_EOK;
}

/* Feed lines expected from the files' sizes (~40 bytes a URL line; compressed ones 4 times
 * their size), at most 8M: room made for them at once instead of doubling and rehashing. */
static size_t feed_estimate(const ssr_abuse_ingest_opts_t *o)
{
	uint64_t bytes = 0;
	for (size_t f = 0; f < o->nfeeds; f++) {
		struct stat sb;
		if (o->feeds[f].path != NULL && stat(o->feeds[f].path, &sb) == 0 &&
		    S_ISREG(sb.st_mode)) {
			size_t l = strlen(o->feeds[f].path);
			bool z = (l > 3 && strcmp(o->feeds[f].path + l - 3, ".gz") == 0) ||
			         (l > 4 && strcmp(o->feeds[f].path + l - 4, ".zst") == 0);
			bytes += (uint64_t)sb.st_size * (z ? 4 : 1);
		}
	}
	uint64_t n = bytes / 40;
	return (size_t)(n > (8u << 20) ? (8u << 20) : n);
}

static int read_feeds(ingest_t *in, json_t *summary, ssr_diag_t *diag)
{
	const ssr_abuse_ingest_opts_t *o = in->o;
	json_t *arr = json_object_get(summary, "feeds");
	size_t est = feed_estimate(o);
	if (est > in->map.count &&
	    (ssr_strmap_reserve(&in->map, est) != SSR_EOK ||
	     ssr_grow((void **)&in->v, &in->cap, est, sizeof(listing_t)) != SSR_EOK)) {
		return ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
	}
	for (size_t f = 0; f < o->nfeeds; f++) {
		ssr_feed_opts_t fo = {.name = o->feeds[f].name,
		                      .category = o->feeds[f].category,
		                      .format = o->feeds[f].format,
		                      .psl = o->psl,
		                      .tld_ok = tld_measured,
		                      .tld_ctx = in,
		                      .on_reject = o->on_reject,
		                      .reject_ctx = o->reject_ctx,
		                      .keep_host = in->imit != NULL,
		                      .prepare = prepare_entry,
		                      .slot_size = sizeof(prep_t),
		                      .workers = o->zone.threads};
		ssr_feed_stats_t fs;
		in->feed = (unsigned)f;
		in->feed_not_measured = 0;
		int rc = ssr_feed_read_batched(o->feeds[f].path, &fo, on_entries, in, &fs, diag);
		if (rc != SSR_EOK) {
			return rc;
		}
		json_t *rej = json_object();
		for (int r = 0; r < SSR_FEED_REJECT_COUNT; r++) {
			uint64_t v = fs.rejected[r];
			if (r == SSR_FEED_REJECT_TLD) {
				v += in->feed_not_measured;
			}
			json_object_set_new(rej, ssr_feed_reject_name((ssr_feed_reject_t)r),
			                    json_integer((json_int_t)v));
		}
		json_array_append_new(
		    arr,
		    json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:o}", "name", o->feeds[f].name,
		              "category", ssr_abuse_category_name(o->feeds[f].category), "file",
		              o->feeds[f].path, "format", ssr_feed_format_name(fs.format), "lines",
		              (json_int_t)fs.lines, "skipped", (json_int_t)fs.skipped, "accepted",
		              (json_int_t)(fs.accepted - in->feed_not_measured), "rejected", rej));
	}
	return SSR_EOK;
}

static int attribute(ingest_t *in, ssr_diag_t *diag)
{
	const char **names = malloc((in->n ? in->n : 1) * sizeof(char *));
	ssr_registration_t *reg = malloc((in->n ? in->n : 1) * sizeof(*reg));
	if (names == NULL || reg == NULL) {
		free(names);
		free(reg);
		return ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
	}
	for (size_t i = 0; i < in->n; i++) {
		names[i] = in->v[i].text;
	}
	int rc = in->o->attrib->attribute(in->o->attrib, names, in->n, reg, diag);
	for (size_t i = 0; rc == SSR_EOK && i < in->n; i++) {
		in->v[i].reg = reg[i];
	}
	free(names);
	free(reg);
	return rc;
}

int abuse_ingest_open(ingest_t *in, const ssr_abuse_ingest_opts_t *o, bool imitations,
                      ssr_diag_t *diag)
{
	memset(in, 0, sizeof *in);
	in->o = o;
	in->diag = diag;
	in->t = ssr_monotonic();
	if (o->date == NULL || ssr_date_parse(o->date, strlen(o->date), &in->day) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "ingest: bad date '%s' (YYYY-MM-DD)",
		                    o->date ? o->date : "");
	}
	if (in->day > ssr_date_today()) {
		return ssr_diag_set(diag, SSR_EINVAL, "ingest: date '%s' is in the future",
		                    o->date);
	}
	if (o->nzones == 0 || o->nfeeds == 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "ingest: at least one zone and one feed");
	}
	if (o->nfeeds > SSR_ABUSE_MAX_FEEDS) {
		return ssr_diag_set(diag, SSR_ELIMIT, "ingest: more than %d feeds",
		                    SSR_ABUSE_MAX_FEEDS);
	}
	for (size_t f = 0; f < o->nfeeds; f++) {
		for (size_t g = 0; g < f; g++) {
			if (strcmp(o->feeds[f].name, o->feeds[g].name) == 0 &&
			    o->feeds[f].category != o->feeds[g].category) {
				return ssr_diag_set(
				    diag, SSR_EINVAL,
				    "ingest: feed name '%s' used for two categories",
				    o->feeds[f].name);
			}
		}
	}
	in->zones = calloc(o->nzones, sizeof(zone_t));
	in->sum = json_pack("{s:s,s:[],s:[]}", "date", o->date, "zones", "feeds");
	ssr_arena_init(&in->text, 1 << 20);
	int rc = in->zones == NULL || in->sum == NULL ? SSR_ENOMEM : SSR_EOK;
	if (rc == SSR_EOK) {
		rc = ssr_strmap_init(&in->map, 1024);
		in->map_ok = rc == SSR_EOK;
	}
	if (rc == SSR_EOK && o->names && imitations) {
		rc = abuse_imit_new(o->names, o->names_min_score, &in->imit);
	}
	if (rc != SSR_EOK) {
		return ssr_diag_set(diag, rc, "ingest: out of memory");
	}
	in->nzones = o->nzones;
	return prepare_zones(in, diag);
}

int abuse_ingest_listings(ingest_t *in, ssr_store_t *st, ssr_diag_t *diag)
{
	const ssr_abuse_ingest_opts_t *o = in->o;
	abuse_ingest_phase(in, "side files");
	int rc = read_feeds(in, in->sum, diag);
	abuse_ingest_phase(in, "feeds");
	/* the open listings of each TLD's previous snapshot: see whether they went */
	for (size_t zi = 0; zi < in->nzones && rc == SSR_EOK && st != NULL; zi++) {
		zone_t *z = &in->zones[zi];
		in->cur_zone = (unsigned)zi;
		rc = ssr_store_abuse_previous(st, z->name, o->date, z->prev, diag);
		if (rc == SSR_ENOTFOUND) {
			rc = SSR_EOK;
			continue;
		}
		if (rc == SSR_EOK) {
			rc = ssr_store_abuse_open_listings(st, z->name, z->prev, track_open, in,
			                                   diag);
		}
	}
	if (rc == SSR_EOK) {
		abuse_ingest_phase(in, "previous listings");
	}
	if (rc == SSR_EOK && in->n > 0) {
		rc = build_filter(in, diag);
	}
	return rc;
}

int abuse_ingest_finish(ingest_t *in, ssr_store_t *st, ssr_diag_t *diag)
{
	const ssr_abuse_ingest_opts_t *o = in->o;
	int rc = SSR_EOK;
	if (o->attrib != NULL) {
		rc = attribute(in, diag);
		abuse_ingest_phase(in, "attribution");
	}
	listing_t **sorted = NULL;
	size_t *zstart = NULL;
	if (rc == SSR_EOK) {
		rc = sort_listings(in, &sorted, &zstart, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_begin(st, diag);
		for (size_t zi = 0; zi < in->nzones && rc == SSR_EOK; zi++) {
			rc = store_zone(in, st, (unsigned)zi, sorted + zstart[zi],
			                zstart[zi + 1] - zstart[zi], in->sum, diag);
		}
		if (rc == SSR_EOK) {
			rc = side_store(st, &in->side, diag);
		}
		if (rc == SSR_EOK && o->attrib != NULL) {
			dum_ctx_t dc = {in, st, diag};
			rc = o->attrib->denominators(o->attrib, zone_measured, in, put_dum, &dc,
			                             diag);
		}
		if (rc == SSR_EOK) {
			abuse_ingest_phase(in, "store rows");
		}
		/* the new indexes, written meanwhile, must be complete before the store commits */
		for (size_t zi = 0; zi < in->nzones && rc == SSR_EOK; zi++) {
			rc = wait_index(in, (unsigned)zi, diag);
		}
		if (rc == SSR_EOK) {
			abuse_ingest_phase(in, "index wait");
			rc = ssr_store_commit(st, diag);
		} else {
			ssr_store_rollback(st);
		}
		abuse_ingest_phase(in, "store commit");
	}
	/* the store has the snapshot: move the new indexes into place */
	for (size_t zi = 0; zi < in->nzones; zi++) {
		if (rc == SSR_EOK && in->zones[zi].fsi != NULL) {
			rc = abuse_fsi_commit(in->zones[zi].fsi, diag);
		}
	}
	if (rc == SSR_EOK) {
		abuse_ingest_phase(in, "index commit");
	}
	free(sorted);
	free(zstart);
	return rc;
}

void abuse_ingest_close(ingest_t *in)
{
	side_free(&in->side);
	for (size_t zi = 0; in->zones && zi < in->nzones; zi++) {
		abuse_fsi_free(in->zones[zi].fsi);
		json_decref(in->zones[zi].stats);
	}
	free(in->zones);
	free(in->v);
	if (in->map_ok) {
		ssr_strmap_release(&in->map);
	}
	free(in->filter);
	free(in->pend);
	abuse_present_end(in);
	abuse_imit_free(in->imit);
	ssr_arena_release(&in->text);
	json_decref(in->sum);
	memset(in, 0, sizeof *in);
}

int abuse_ingest_side(ingest_t *in, ssr_diag_t *diag)
{
	const ssr_abuse_ingest_opts_t *o = in->o;
	int rc = SSR_EOK;
	if (o->registrars != NULL) {
		rc = ssr_registrar_list_read(o->registrars, side_registrar, &in->side, diag);
	}
	if (rc == SSR_EOK && o->prices != NULL) {
		rc = ssr_price_file_read(o->prices, side_price, &in->side, diag);
	}
	if (rc == SSR_EOK) {
		rc = mkdir_p(o->index_dir, diag);
	}
	return rc;
}

int ssr_abuse_ingest(ssr_store_t *st, const ssr_abuse_ingest_opts_t *o, json_t **summary,
                     ssr_diag_t *diag)
{
	ingest_t in;
	int rc = abuse_ingest_open(&in, o, true, diag);
	if (rc == SSR_EOK) {
		rc = abuse_ingest_side(&in, diag);
	}
	if (rc == SSR_EOK) {
		rc = abuse_ingest_listings(&in, st, diag);
	}
	for (size_t zi = 0; zi < in.nzones && rc == SSR_EOK; zi++) {
		rc = read_zone(&in, (unsigned)zi, diag);
	}
	if (rc == SSR_EOK) {
		rc = abuse_ingest_finish(&in, st, diag);
	}
	if (rc == SSR_EOK && summary != NULL) {
		*summary = json_incref(in.sum);
	}
	abuse_ingest_close(&in);
	return rc;
}
