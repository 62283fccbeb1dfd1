/* tests for src/libabuse/present.c: the merge of each part's delegations with the sorted
 * listings, against set membership.  Labels from a small alphabet so that many share their
 * first 8 or 16 bytes (the merge's keys) or are prefixes of one another; delegation labels with
 * bytes no listing has (0, 0xff); names below a label; zones in canonical order, with swaps
 * (the merge gives up; the test probes the rest, as the ingest's map does); one to three parts
 * called in turn; a pass thrown away; a listing that is no child of the apex. */
#include "../test_common.h"
#include "../../../src/libabuse/ingest.h"
#include "ssrwatch/rng.h"

#define NLAB 700
#define MAXL 24

typedef struct {
	uint8_t b[MAXL];
	uint8_t len;
} label_t;

static int label_cmp(const label_t *a, const label_t *b)
{
	int c = memcmp(a->b, b->b, a->len < b->len ? a->len : b->len);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

static int cmp_labels(const void *a, const void *b)
{
	return label_cmp(a, b);
}

static const uint8_t apex[] = {1, 't', 0};

/* owner = [sub.]label.t in wire form */
static size_t owner_of(const label_t *l, bool sub, uint8_t *out)
{
	size_t n = 0;
	if (sub) {
		out[n++] = 1;
		out[n++] = 'x';
	}
	out[n++] = l->len;
	memcpy(out + n, l->b, l->len);
	n += l->len;
	memcpy(out + n, apex, sizeof apex);
	return n + sizeof apex;
}

static void random_label(ssr_rng_t *r, label_t *l, bool odd_bytes)
{
	static const char alpha[] = "ab-";
	static const uint8_t lens[] = {1, 2, 3, 7, 8, 9, 15, 16, 17, 20, 24};
	l->len = lens[ssr_rng_next(r) % sizeof lens];
	for (size_t i = 0; i < l->len; i++) {
		l->b[i] = (uint8_t)alpha[ssr_rng_next(r) % 3];
	}
	/* a third share their first 8 or 16 bytes with many others */
	unsigned shared = (unsigned)(ssr_rng_next(r) % 6);
	if (shared < 2) {
		size_t k = shared == 0 ? 8 : 16;
		memset(l->b, 'a', k < l->len ? k : l->len);
	}
	if (odd_bytes && ssr_rng_next(r) % 5 == 0) {
		l->b[ssr_rng_next(r) % l->len] = ssr_rng_next(r) % 2 ? 0 : 0xff;
	}
}

typedef struct {
	ingest_t in;
	ssr_abuse_ingest_opts_t o;
	zone_t zone;
	label_t lab[NLAB]; /* distinct, sorted */
	size_t nlab;
	bool listed[NLAB], delegated[NLAB], below[NLAB];
	size_t entry[NLAB]; /* a listed label's map entry */
} world_t;

/* A world: distinct labels, some listed (map keys, listings of zone 0), some delegated, some
 * with a name below them. */
static void world_new(world_t *w, uint64_t seed)
{
	memset(w, 0, sizeof *w);
	ssr_rng_t r = {seed};
	for (size_t i = 0; i < NLAB; i++) {
		random_label(&r, &w->lab[i], i % 2 == 1);
	}
	qsort(w->lab, NLAB, sizeof(label_t), cmp_labels);
	for (size_t i = 0; i < NLAB; i++) {
		if (w->nlab == 0 || label_cmp(&w->lab[w->nlab - 1], &w->lab[i]) != 0) {
			w->lab[w->nlab++] = w->lab[i];
		}
	}
	w->zone.apex_len = sizeof apex;
	w->in.o = &w->o;
	w->in.zones = &w->zone;
	w->in.nzones = 1;
	assert_int_equal(ssr_strmap_init(&w->in.map, 64), SSR_EOK);
	w->in.map_ok = true;
	w->in.v = calloc(NLAB, sizeof(listing_t));
	assert_non_null(w->in.v);
	for (size_t i = 0; i < w->nlab; i++) {
		bool odd = memchr(w->lab[i].b, 0, w->lab[i].len) ||
		           memchr(w->lab[i].b, 0xff, w->lab[i].len);
		w->listed[i] = !odd && ssr_rng_next(&r) % 2 == 0; /* feeds give LDH names only */
		w->delegated[i] = ssr_rng_next(&r) % 3 != 0;
		w->below[i] = ssr_rng_next(&r) % 6 == 0;
	}
	/* into the map in an order of their own (feeds are in no order) */
	size_t order[NLAB];
	for (size_t i = 0; i < w->nlab; i++) {
		size_t j = ssr_rng_next(&r) % (i + 1);
		order[i] = order[j];
		order[j] = i;
	}
	for (size_t k = 0; k < w->nlab; k++) {
		size_t i = order[k];
		if (w->listed[i]) {
			uint8_t key[64];
			size_t kl = owner_of(&w->lab[i], false, key);
			ssr_strmap_entry_t *e;
			bool ins;
			assert_int_equal(ssr_strmap_upsert(&w->in.map, key, kl, &e, &ins), SSR_EOK);
			w->entry[i] = w->in.n;
			e->value = w->in.n;
			w->in.v[w->in.n++] = (listing_t){.zone = 0, .text = ""};
		}
	}
}

static void world_free(world_t *w)
{
	abuse_present_end(&w->in);
	ssr_strmap_release(&w->in.map);
	free(w->in.v);
}

typedef struct {
	uint8_t o[64];
	size_t len;
	size_t lab; /* index into the labels */
	bool sub;
} deleg_t;

/* The delegations in canonical order, then swaps of neighbours (swaps > 0: that many). */
static size_t delegations(const world_t *w, deleg_t *d, ssr_rng_t *r, unsigned swaps)
{
	size_t n = 0;
	for (size_t i = 0; i < w->nlab; i++) {
		if (w->delegated[i]) {
			d[n] = (deleg_t){.lab = i};
			d[n].len = owner_of(&w->lab[i], false, d[n].o);
			n++;
		}
		if (w->below[i]) {
			d[n] = (deleg_t){.lab = i, .sub = true};
			d[n].len = owner_of(&w->lab[i], true, d[n].o);
			n++;
		}
	}
	for (unsigned k = 0; k < swaps && n > 1; k++) {
		size_t a = ssr_rng_next(r) % n, b = ssr_rng_next(r) % n;
		deleg_t t = d[a];
		d[a] = d[b];
		d[b] = t;
	}
	return n;
}

/* The ingest's map probe for what the merge leaves: the listing with that exact name. */
static void probe(world_t *w, const deleg_t *d)
{
	ssr_strmap_entry_t *e = ssr_strmap_find(&w->in.map, d->o, d->len);
	if (e != NULL) {
		e->value |= PRESENT_BIT;
	}
}

/* Run the pass: the delegations cut into nparts consecutive parts, the parts called in turn
 * in random interleaving (each in its own order); returns how many the merge decided. */
static size_t pass(world_t *w, const deleg_t *d, size_t n, unsigned nparts, ssr_rng_t *r)
{
	size_t cut[4] = {0};
	cut[nparts] = n;
	for (unsigned p = 1; p < nparts; p++) {
		cut[p] = cut[p - 1] + (n - cut[p - 1]) / (nparts - p + 1) + ssr_rng_next(r) % 7;
		if (cut[p] > n) {
			cut[p] = n;
		}
	}
	size_t pos[4];
	memcpy(pos, cut, sizeof pos);
	size_t merged = 0, left = n;
	while (left > 0) {
		unsigned p = (unsigned)(ssr_rng_next(r) % nparts);
		if (pos[p] == cut[p + 1]) {
			continue;
		}
		const deleg_t *x = &d[pos[p]++];
		left--;
		if (abuse_present_merge(&w->in, x->o, x->len, p)) {
			merged++;
		} else {
			probe(w, x);
		}
	}
	return merged;
}

static void check(world_t *w, const char *what)
{
	abuse_present_collect(&w->in);
	for (size_t i = 0; i < w->nlab; i++) {
		if (!w->listed[i]) {
			continue;
		}
		size_t li = w->entry[i];
		bool got = (w->in.map.entries[li].value & PRESENT_BIT) != 0;
		if (got != w->delegated[i]) {
			fail_msg("%s: label %zu (length %u) flagged %d, delegated %d", what, i,
			         w->lab[i].len, got, w->delegated[i]);
		}
		w->in.map.entries[li].value &= ~PRESENT_BIT;
	}
}

static void merge_against_membership(void **state)
{
	(void)state;
	static world_t w;
	static deleg_t d[2 * NLAB];
	for (uint64_t seed = 1; seed <= 40; seed++) {
		world_new(&w, seed);
		ssr_rng_t r = {seed * 77};
		for (unsigned swaps = 0; swaps <= 3; swaps += 3) {
			for (unsigned parts = 1; parts <= 3; parts++) {
				size_t n = delegations(&w, d, &r, swaps);
				assert_int_equal(abuse_present_begin(&w.in, 0, NULL), SSR_EOK);
				assert_non_null(w.in.present);
				size_t merged = pass(&w, d, n, parts, &r);
				if (swaps == 0) {
					assert_int_equal(merged,
					                 n); /* canonical: the merge alone */
				}
				char what[64];
				snprintf(what, sizeof what, "seed %llu swaps %u parts %u",
				         (unsigned long long)seed, swaps, parts);
				check(&w, what);
			}
		}
		/* a pass thrown away half-way, then the whole zone again */
		size_t n = delegations(&w, d, &r, 0);
		assert_int_equal(abuse_present_begin(&w.in, 0, NULL), SSR_EOK);
		for (size_t i = n / 2; i < n; i++) { /* the second half only, as a misread part */
			if (!abuse_present_merge(&w.in, d[i].o, d[i].len, 1)) {
				probe(&w, &d[i]);
			}
		}
		for (size_t k = 0; k < w.in.map.count; k++) {
			w.in.map.entries[k].value &= ~PRESENT_BIT; /* what on_restart clears */
		}
		abuse_present_restart(&w.in);
		(void)pass(&w, d, n, 1, &r);
		check(&w, "after a restart");
		world_free(&w);
	}
}

static void listing_below_a_child_means_probes(void **state)
{
	(void)state;
	static world_t w;
	world_new(&w, 5);
	uint8_t key[] = {1, 'y', 1, 'b', 1, 't', 0}; /* y.b.t: not a child of the apex */
	ssr_strmap_entry_t *e;
	bool ins;
	assert_int_equal(ssr_strmap_upsert(&w.in.map, key, sizeof key, &e, &ins), SSR_EOK);
	e->value = w.in.n;
	w.in.v[w.in.n++] = (listing_t){.zone = 0, .text = ""};
	assert_int_equal(abuse_present_begin(&w.in, 0, NULL), SSR_EOK);
	assert_null(w.in.present);
	assert_false(abuse_present_merge(&w.in, key, sizeof key, 0));
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(merge_against_membership),
	    cmocka_unit_test(listing_below_a_child_means_probes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
