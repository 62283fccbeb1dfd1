/* ssrwatch — zone statistics: one pass, bounded memory for owner-grouped zones.
 *
 * Over 800 lines: one pass computes every figure of docs/METHODOLOGY.md (records, delegations,
 * DNSSEC, hosting concentration) from the same owner state; splitting it would pass that state
 * across files on the hot path. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ssrwatch/date.h"
#include "ssrwatch/dname.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/hashrun.h"
#include "ssrwatch/input.h"
#include "ssrwatch/state.h"
#include "ssrwatch/zonestats.h"
#include "zone_priv.h"

#define NS_HIST_MAX 64

typedef struct {
	uint16_t tag;
	uint16_t flags;
	uint8_t protocol;
	uint8_t algorithm;
	unsigned bits;
} dnskey_t;

typedef struct {
	const char *name; /* in the domain map's arena */
	uint64_t served;  /* delegations using at least one host of this domain */
	uint64_t hosts;   /* distinct NS hosts in this domain */
} hoster_t;

typedef struct {
	uint32_t ns_count;
	bool ns, ds;
	bool idn;
} owner_t; /* per-owner state in owner-index mode */

struct ssr_zone_stats {
	ssr_zone_stats_opts_t opts;
	uint64_t by_type[256]; /* types 0-255; the rare others in by_type_hi */
	struct {
		uint16_t type;
		uint64_t count;
	} * by_type_hi;
	size_t nhi, caphi;
	uint64_t total;
	uint8_t apex[SSR_DNAME_MAXLEN + 1];
	size_t apex_len;
	bool have_soa;
	uint32_t serial;
	uint64_t out_of_zone;
	/* delegations */
	uint64_t delegations, signed_delegations, idn_delegations, ds_without_ns;
	uint64_t ns_hist[NS_HIST_MAX + 1];
	uint64_t deleg_ns_records, apex_ns_records;
	uint64_t ds_records, ds_alg[256], ds_digest[256];
	uint64_t glue_a, glue_aaaa;
	/* DNSSEC at the apex */
	dnskey_t *keys;
	size_t nkeys, capkeys;
	uint64_t nsec, nsec3, nsec3_optout;
	bool have_n3param, have_n3;
	uint8_t n3_alg, n3_flags, n3_salt;
	uint16_t n3_iter;
	uint64_t rrsig;
	uint32_t rrsig_min_exp, rrsig_max_inc;
	/* NS hosts and their registered domains */
	zone_hostmap_t hosts; /* host wire -> hoster index */
	ssr_strmap_t domains; /* domain text -> hoster index */
	hoster_t *hoster;
	size_t nhoster, caphoster;
	/* the current owner run */
	uint8_t run_owner[SSR_DNAME_MAXLEN + 1];
	size_t run_len;
	bool run_ns, run_ds;
	uint32_t run_ns_count;
	uint32_t *run_dom;
	size_t run_ndom, run_capdom;
	/* order of closed NS/DS owners */
	uint8_t prev[SSR_DNAME_MAXLEN + 1];
	uint8_t first[SSR_DNAME_MAXLEN + 1]; /* the first closed NS/DS owner (for merges) */
	bool have_prev, canon_ok, text_ok;
	bool grouped; /* proven from the owner runs' hashes */
	bool apex_preset;
	/* owner-index mode */
	ssr_strmap_t owners; /* owner wire -> index into owner_v */
	owner_t *owner_v;
	size_t nowner, capowner;
	uint64_t *pairs; /* owner index << 32 | hoster index */
	size_t npairs, cappairs;
	int err;
};

int ssr_zone_stats_new(const ssr_zone_stats_opts_t *opts, ssr_zone_stats_t **out)
{
	if (opts == NULL || opts->psl == NULL) {
		return SSR_EINVAL;
	}
	ssr_zone_stats_t *st = calloc(1, sizeof(*st));
	if (st == NULL) {
		return SSR_ENOMEM;
	}
	st->opts = *opts;
	if (st->opts.top_n == 0) {
		st->opts.top_n = SSR_ZONE_TOP_HOSTERS;
	}
	st->apex[0] = 0;
	st->apex_len = 1;
	if (opts->apex != NULL) {
		size_t l = ssr_dname_len(opts->apex, SSR_DNAME_MAXLEN);
		if (l == 0) {
			free(st);
			return SSR_EINVAL;
		}
		memcpy(st->apex, opts->apex, l);
		st->apex_len = l;
		st->apex_preset = true;
		st->opts.apex = NULL;
	}
	st->canon_ok = st->text_ok = true;
	if (zone_hostmap_init(&st->hosts) != SSR_EOK ||
	    ssr_strmap_init(&st->domains, 1024) != SSR_EOK ||
	    (opts->owner_index && ssr_strmap_init(&st->owners, 1024) != SSR_EOK)) {
		ssr_zone_stats_free(st);
		return SSR_ENOMEM;
	}
	*out = st;
	return SSR_EOK;
}

void ssr_zone_stats_free(ssr_zone_stats_t *st)
{
	if (st == NULL) {
		return;
	}
	zone_hostmap_release(&st->hosts);
	ssr_strmap_release(&st->domains);
	ssr_strmap_release(&st->owners);
	free(st->keys);
	free(st->by_type_hi);
	free(st->hoster);
	free(st->run_dom);
	free(st->owner_v);
	free(st->pairs);
	free(st);
}

/* Set the apex (from the first SOA or the reader's origin). */
static void set_apex(ssr_zone_stats_t *st, const uint8_t *owner, size_t len)
{
	memcpy(st->apex, owner, len);
	st->apex_len = len;
}

/* Owner strictly below the apex: names are lowercase, so the apex must be a byte suffix that
 * starts at a label boundary. */
static bool below_apex(const ssr_zone_stats_t *st, const uint8_t *owner, size_t len)
{
	if (len <= st->apex_len ||
	    !ssr_mem_equal(owner + len - st->apex_len, st->apex, st->apex_len)) {
		return false;
	}
	size_t pos = 0, want = len - st->apex_len;
	while (pos < want) {
		pos += (size_t)owner[pos] + 1;
	}
	return pos == want;
}

/* RFC 4034 6.1 order of two lowercase names: labels compared from the right. */
static int cmp_canonical_lc(const uint8_t *a, const uint8_t *b)
{
	uint8_t oa[128], ob[128];
	size_t na = 0, nb = 0;
	for (size_t p = 0; a[p] != 0 && na < 128; p += (size_t)a[p] + 1) {
		oa[na++] = (uint8_t)p;
	}
	for (size_t p = 0; b[p] != 0 && nb < 128; p += (size_t)b[p] + 1) {
		ob[nb++] = (uint8_t)p;
	}
	while (na > 0 && nb > 0) {
		const uint8_t *x = a + oa[--na], *y = b + ob[--nb];
		size_t m = x[0] < y[0] ? x[0] : y[0];
		int c = memcmp(x + 1, y + 1, m);
		if (c != 0) {
			return c;
		}
		if (x[0] != y[0]) {
			return x[0] < y[0] ? -1 : 1;
		}
	}
	return na == nb ? 0 : (na < nb ? -1 : 1);
}

static int hoster_of(ssr_zone_stats_t *st, const uint8_t *host, size_t len, uint32_t *id)
{
	uint32_t *v;
	bool ins;
	int rc = zone_hostmap_upsert(&st->hosts, ssr_hash64(host, len), host, len, &v, &ins);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (!ins) {
		*id = *v;
		return SSR_EOK;
	}
	char text[SSR_DNAME_TEXTMAX], dom[SSR_DNAME_TEXTMAX];
	if (ssr_dname_to_text(host, text, sizeof(text), true) < 0 ||
	    ssr_psl_registered_domain(st->opts.psl, text, dom, sizeof(dom)) < 0) {
		return SSR_ELIMIT;
	}
	size_t dl = strlen(dom);
	ssr_strmap_entry_t *d;
	bool dins;
	rc = ssr_strmap_upsert(&st->domains, dom, dl + 1, &d, &dins);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (dins) {
		rc = ssr_grow((void **)&st->hoster, &st->caphoster, st->nhoster + 1,
		              sizeof(hoster_t));
		if (rc != SSR_EOK) {
			return rc;
		}
		d->value = st->nhoster;
		st->hoster[st->nhoster++] = (hoster_t){.name = (const char *)d->key};
	}
	st->hoster[d->value].hosts++;
	*v = (uint32_t)d->value; /* v is stable: only the domains map was touched */
	*id = (uint32_t)d->value;
	return SSR_EOK;
}

static int count_delegation(ssr_zone_stats_t *st, const uint8_t *owner, size_t len, uint64_t hash,
                            uint32_t ns_count, bool ds)
{
	st->delegations++;
	st->ns_hist[ns_count > NS_HIST_MAX ? NS_HIST_MAX : ns_count]++;
	if (ds) {
		st->signed_delegations++;
	}
	if (ssr_dname_has_xn(owner, false)) {
		st->idn_delegations++;
	}
	if (st->opts.on_delegation != NULL) {
		return st->opts.on_delegation(owner, len, hash, ds, st->opts.part,
		                              st->opts.delegation_ctx);
	}
	return SSR_EOK;
}

/* Whether lowercase name n (cap readable bytes) is one label below the apex. */
static inline bool one_below_apex(const ssr_zone_stats_t *st, const uint8_t *n, size_t cap)
{
	size_t l = (size_t)n[0] + 1;
	return n[0] != 0 && l + st->apex_len <= cap && ssr_mem_equal(n + l, st->apex, st->apex_len);
}

/* Canonical and text order (<0, 0, >0) of two lowercase owners, a the earlier: for two names
 * one label below the apex (nearly every delegation) from the labels alone, the same results
 * as cmp_canonical_lc and ssr_dname_cmp_text, which decide every other pair. */
static void order_of(const ssr_zone_stats_t *st, const uint8_t *a, const uint8_t *b, int *canon,
                     int *text)
{
	if (!one_below_apex(st, a, SSR_DNAME_MAXLEN + 1) ||
	    !one_below_apex(st, b, SSR_DNAME_MAXLEN + 1)) {
		*canon = cmp_canonical_lc(a, b);
		*text = ssr_dname_cmp_text(a, b);
		return;
	}
	size_t la = a[0], lb = b[0];
	int c = memcmp(a + 1, b + 1, la < lb ? la : lb);
	if (c != 0 || la == lb) {
		*canon = *text = c;
		return;
	}
	*canon = la < lb ? -1 : 1;
	/* the shorter label is a prefix of the longer: in text the shorter name goes on with '.'
	 * (or ends, under the root), the longer with its next byte */
	uint8_t x = la < lb ? b[1 + la] : a[1 + lb];
	if (st->apex_len == 1) {
		*text = *canon;
	} else if (x == '.') {
		*text = ssr_dname_cmp_text(a, b); /* a dot inside a label: compare further */
	} else {
		*text = (la < lb) == ('.' < x) ? -1 : 1;
	}
}

/* A counted owner run's hash into the owner runs, when kept (owners come lowercased from the
 * reader). */
static inline int count_owner_run(ssr_zone_stats_t *st, uint64_t hash)
{
	if (st->opts.owner_runs == NULL) {
		return SSR_EOK;
	}
	return ssr_hashrun_add(st->opts.owner_runs, st->opts.part, hash);
}

/* An owner run ends: count it, or fold it into the owner index. */
static int close_run(ssr_zone_stats_t *st)
{
	if (st->run_len == 0 || !(st->run_ns || st->run_ds)) {
		st->run_len = 0;
		return SSR_EOK;
	}
	const uint8_t *o = st->run_owner;
	if (st->have_prev && (st->canon_ok || st->text_ok)) {
		int canon, text;
		order_of(st, st->prev, o, &canon, &text);
		if (canon >= 0) {
			st->canon_ok = false;
		}
		if (text >= 0) {
			st->text_ok = false;
		}
		if (!st->canon_ok && !st->text_ok && st->opts.owner_runs != NULL) {
			/* the runs will be walked: sort them as they fill, on this thread */
			ssr_hashrun_defer(st->opts.owner_runs, st->opts.part, false);
		}
	}
	if (!st->have_prev) {
		memcpy(st->first, o, st->run_len);
	}
	memcpy(st->prev, o, st->run_len);
	st->have_prev = true;
	if (st->opts.owner_index) {
		ssr_strmap_entry_t *e;
		bool ins;
		int rc = ssr_strmap_upsert(&st->owners, o, st->run_len, &e, &ins);
		if (rc != SSR_EOK) {
			return rc;
		}
		if (ins) {
			rc = ssr_grow((void **)&st->owner_v, &st->capowner, st->nowner + 1,
			              sizeof(owner_t));
			if (rc != SSR_EOK) {
				return rc;
			}
			e->value = st->nowner;
			st->owner_v[st->nowner++] = (owner_t){.idn = ssr_dname_has_xn(o, false)};
		}
		owner_t *ow = &st->owner_v[e->value];
		ow->ns |= st->run_ns;
		ow->ds |= st->run_ds;
		ow->ns_count += st->run_ns_count;
		rc = ssr_grow((void **)&st->pairs, &st->cappairs, st->npairs + st->run_ndom,
		              sizeof(uint64_t));
		if (rc != SSR_EOK) {
			return rc;
		}
		for (size_t i = 0; i < st->run_ndom; i++) {
			st->pairs[st->npairs++] = e->value << 32 | st->run_dom[i];
		}
	} else if (st->run_ns) {
		/* one hash of the owner for the owner runs and the delegation's user */
		uint64_t h =
		    st->opts.owner_runs || st->opts.on_delegation ? ssr_hash64(o, st->run_len) : 0;
		int rc = count_owner_run(st, h);
		if (rc != SSR_EOK) {
			return rc;
		}
		rc = count_delegation(st, o, st->run_len, h, st->run_ns_count, st->run_ds);
		if (rc != SSR_EOK) {
			return rc;
		}
		for (size_t i = 0; i < st->run_ndom; i++) {
			st->hoster[st->run_dom[i]].served++;
		}
	} else {
		int rc = count_owner_run(st, st->opts.owner_runs ? ssr_hash64(o, st->run_len) : 0);
		if (rc != SSR_EOK) {
			return rc;
		}
		st->ds_without_ns++;
	}
	st->run_len = 0;
	return SSR_EOK;
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint16_t ssr_dnskey_keytag(const uint8_t *rd, size_t len)
{
	if (len >= 4 && rd[3] == 1) { /* RSA/MD5: RFC 4034 B.1 */
		return len >= 3 ? (uint16_t)(rd[len - 3] << 8 | rd[len - 2]) : 0;
	}
	uint32_t ac = 0;
	for (size_t i = 0; i < len; i++) {
		ac += (i & 1) ? rd[i] : (uint32_t)rd[i] << 8;
	}
	ac += (ac >> 16) & 0xffff;
	return (uint16_t)(ac & 0xffff);
}

unsigned ssr_dnskey_bits(uint8_t alg, const uint8_t *key, size_t len)
{
	switch (alg) {
	case 1:
	case 5:
	case 7:
	case 8:
	case 10: { /* RSA: RFC 3110 */
		if (len < 1) {
			return 0;
		}
		size_t elen = key[0], off = 1;
		if (elen == 0) {
			if (len < 3) {
				return 0;
			}
			elen = (size_t)key[1] << 8 | key[2];
			off = 3;
		}
		if (off + elen >= len) {
			return 0;
		}
		const uint8_t *m = key + off + elen;
		size_t ml = len - off - elen;
		while (ml > 0 && *m == 0) {
			m++;
			ml--;
		}
		if (ml == 0) {
			return 0;
		}
		unsigned bits = (unsigned)ml * 8;
		for (uint8_t b = 0x80; b != 0 && !(m[0] & b); b >>= 1) {
			bits--;
		}
		return bits;
	}
	case 3:
	case 6: /* DSA: RFC 2536, T */
		return len > 0 && key[0] <= 8 ? 512u + 64u * key[0] : 0;
	case 12:
		return 512;
	case 13:
		return 256;
	case 14:
		return 384;
	case 15:
		return 256;
	case 16:
		return 456;
	default:
		return 0;
	}
}

static int add_dnskey(ssr_zone_stats_t *st, const uint8_t *rd, size_t len)
{
	if (len < 4) {
		return SSR_EOK;
	}
	int rc = ssr_grow((void **)&st->keys, &st->capkeys, st->nkeys + 1, sizeof(dnskey_t));
	if (rc != SSR_EOK) {
		return rc;
	}
	st->keys[st->nkeys++] = (dnskey_t){
	    .tag = ssr_dnskey_keytag(rd, len),
	    .flags = (uint16_t)(rd[0] << 8 | rd[1]),
	    .protocol = rd[2],
	    .algorithm = rd[3],
	    .bits = ssr_dnskey_bits(rd[3], rd + 4, len - 4),
	};
	return SSR_EOK;
}

static int count_high_type(ssr_zone_stats_t *st, uint16_t type)
{
	for (size_t i = 0; i < st->nhi; i++) {
		if (st->by_type_hi[i].type == type) {
			st->by_type_hi[i].count++;
			return SSR_EOK;
		}
	}
	int rc =
	    ssr_grow((void **)&st->by_type_hi, &st->caphi, st->nhi + 1, sizeof(*st->by_type_hi));
	if (rc != SSR_EOK) {
		return rc;
	}
	st->by_type_hi[st->nhi].type = type;
	st->by_type_hi[st->nhi++].count = 1;
	return SSR_EOK;
}

int ssr_zone_stats_add(const ssr_zone_rr_t *rr, void *ctx)
{
	ssr_zone_stats_t *st = ctx;
	const uint8_t *o = rr->owner;
	size_t ol = rr->owner_len;
	const uint8_t *rd = rr->rdata;
	size_t rl = rr->rdata_len;
	int rc;
	st->total++;
	if (rr->type < 256) {
		st->by_type[rr->type]++;
	} else if ((rc = count_high_type(st, rr->type)) != SSR_EOK) {
		return st->err = rc;
	}
	if (ol != st->run_len || !ssr_mem_equal(o, st->run_owner, ol)) {
		if ((rc = close_run(st)) != SSR_EOK) {
			return st->err = rc;
		}
		memcpy(st->run_owner, o, ol);
		st->run_len = ol;
		st->run_ns = st->run_ds = false;
		st->run_ns_count = 0;
		st->run_ndom = 0;
	}
	bool at_apex = ol == st->apex_len && ssr_mem_equal(o, st->apex, ol);
	switch (rr->type) {
	case SSR_RRTYPE_SOA:
		if (!st->have_soa && !st->apex_preset) {
			st->have_soa = true;
			set_apex(st, o, ol);
			at_apex = true;
			size_t a = ssr_dname_len(rd, rl);
			size_t b = a ? ssr_dname_len(rd + a, rl - a) : 0;
			if (b && a + b + 4 <= rl) {
				st->serial = rd32(rd + a + b);
			}
		}
		break;
	case SSR_RRTYPE_NS:
		if (at_apex) {
			st->apex_ns_records++;
		} else if (below_apex(st, o, ol)) {
			/* the reader hands NS targets lowercase (zone.h) */
			uint32_t id;
			if (rl == 0) {
				break;
			}
			if ((rc = hoster_of(st, rd, rl, &id)) != SSR_EOK) {
				return st->err = rc;
			}
			st->run_ns = true;
			st->run_ns_count++;
			st->deleg_ns_records++;
			bool seen = false;
			for (size_t i = 0; i < st->run_ndom; i++) {
				if (st->run_dom[i] == id) {
					seen = true;
					break;
				}
			}
			if (!seen) {
				rc = ssr_grow((void **)&st->run_dom, &st->run_capdom,
				              st->run_ndom + 1, sizeof(uint32_t));
				if (rc != SSR_EOK) {
					return st->err = rc;
				}
				st->run_dom[st->run_ndom++] = id;
			}
		} else {
			st->out_of_zone++;
		}
		break;
	case SSR_RRTYPE_DS:
		if (rl >= 4) {
			st->ds_records++;
			st->ds_alg[rd[2]]++;
			st->ds_digest[rd[3]]++;
		}
		if (below_apex(st, o, ol)) {
			st->run_ds = true;
		}
		break;
	case SSR_RRTYPE_A:
	case SSR_RRTYPE_AAAA:
		if (below_apex(st, o, ol)) {
			if (rr->type == SSR_RRTYPE_A) {
				st->glue_a++;
			} else {
				st->glue_aaaa++;
			}
		}
		break;
	case SSR_RRTYPE_DNSKEY:
		if (at_apex && (rc = add_dnskey(st, rd, rl)) != SSR_EOK) {
			return st->err = rc;
		}
		break;
	case SSR_RRTYPE_NSEC:
		st->nsec++;
		break;
	case SSR_RRTYPE_NSEC3:
		st->nsec3++;
		if (rl >= 5) {
			if (rd[1] & 1) {
				st->nsec3_optout++;
			}
			if (!st->have_n3) {
				st->have_n3 = true;
				if (!st->have_n3param) {
					st->n3_alg = rd[0];
					st->n3_iter = (uint16_t)(rd[2] << 8 | rd[3]);
					st->n3_salt = rd[4];
				}
			}
		}
		break;
	case SSR_RRTYPE_NSEC3PARAM:
		if (at_apex && rl >= 5 && !st->have_n3param) {
			st->have_n3param = true;
			st->n3_alg = rd[0];
			st->n3_flags = rd[1];
			st->n3_iter = (uint16_t)(rd[2] << 8 | rd[3]);
			st->n3_salt = rd[4];
		}
		break;
	case SSR_RRTYPE_RRSIG:
		if (rl >= 16) {
			uint32_t exp = rd32(rd + 8), inc = rd32(rd + 12);
			if (st->rrsig == 0 || exp < st->rrsig_min_exp) {
				st->rrsig_min_exp = exp;
			}
			if (st->rrsig == 0 || inc > st->rrsig_max_inc) {
				st->rrsig_max_inc = inc;
			}
			st->rrsig++;
		}
		break;
	default:
		break;
	}
	return SSR_EOK;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int ssr_zone_stats_finish(ssr_zone_stats_t *st)
{
	if (st->err != SSR_EOK) {
		return st->err;
	}
	int rc = close_run(st);
	if (rc != SSR_EOK || !st->opts.owner_index) {
		return rc;
	}
	/* Owner-index mode: count from the index, hoster use from unique pairs. */
	size_t pos = 0;
	ssr_strmap_entry_t *e;
	while ((e = ssr_strmap_next(&st->owners, &pos)) != NULL) {
		owner_t *ow = &st->owner_v[e->value];
		if (ow->ns) {
			rc = count_delegation(st, e->key, e->len,
			                      st->opts.on_delegation ? ssr_hash64(e->key, e->len)
			                                             : 0,
			                      ow->ns_count, ow->ds);
			if (rc != SSR_EOK) {
				return rc;
			}
		} else if (ow->ds) {
			st->ds_without_ns++;
		}
	}
	if (st->npairs > 0) {
		qsort(st->pairs, st->npairs, sizeof(uint64_t), cmp_u64);
	}
	for (size_t i = 0; i < st->npairs; i++) {
		if (i > 0 && st->pairs[i] == st->pairs[i - 1]) {
			continue;
		}
		if (st->owner_v[st->pairs[i] >> 32].ns) {
			st->hoster[st->pairs[i] & 0xffffffffu].served++;
		}
	}
	return SSR_EOK;
}

int ssr_zone_stats_merge(ssr_zone_stats_t *dst, const ssr_zone_stats_t *src)
{
	if (dst->opts.owner_index || src->opts.owner_index) {
		return SSR_EINVAL;
	}
	int rc;
	dst->total += src->total;
	for (int t = 0; t < 256; t++) {
		dst->by_type[t] += src->by_type[t];
		dst->ds_alg[t] += src->ds_alg[t];
		dst->ds_digest[t] += src->ds_digest[t];
	}
	for (size_t i = 0; i < src->nhi; i++) {
		for (uint64_t c = 0; c < src->by_type_hi[i].count; c++) {
			if ((rc = count_high_type(dst, src->by_type_hi[i].type)) != SSR_EOK) {
				return rc;
			}
		}
	}
	if (!dst->have_soa && src->have_soa) {
		dst->have_soa = true;
		dst->serial = src->serial;
	}
	dst->out_of_zone += src->out_of_zone;
	dst->delegations += src->delegations;
	dst->signed_delegations += src->signed_delegations;
	dst->idn_delegations += src->idn_delegations;
	dst->ds_without_ns += src->ds_without_ns;
	for (int i = 0; i <= NS_HIST_MAX; i++) {
		dst->ns_hist[i] += src->ns_hist[i];
	}
	dst->deleg_ns_records += src->deleg_ns_records;
	dst->apex_ns_records += src->apex_ns_records;
	dst->ds_records += src->ds_records;
	dst->glue_a += src->glue_a;
	dst->glue_aaaa += src->glue_aaaa;
	for (size_t i = 0; i < src->nkeys; i++) {
		if ((rc = ssr_grow((void **)&dst->keys, &dst->capkeys, dst->nkeys + 1,
		                   sizeof(dnskey_t))) != SSR_EOK) {
			return rc;
		}
		dst->keys[dst->nkeys++] = src->keys[i];
	}
	dst->nsec += src->nsec;
	dst->nsec3 += src->nsec3;
	dst->nsec3_optout += src->nsec3_optout;
	if (!dst->have_n3param && src->have_n3param) {
		dst->have_n3param = true;
		dst->n3_alg = src->n3_alg;
		dst->n3_flags = src->n3_flags;
		dst->n3_iter = src->n3_iter;
		dst->n3_salt = src->n3_salt;
	} else if (!dst->have_n3param && !dst->have_n3 && src->have_n3) {
		dst->n3_alg = src->n3_alg;
		dst->n3_iter = src->n3_iter;
		dst->n3_salt = src->n3_salt;
	}
	dst->have_n3 |= src->have_n3;
	if (src->rrsig > 0) {
		if (dst->rrsig == 0 || src->rrsig_min_exp < dst->rrsig_min_exp) {
			dst->rrsig_min_exp = src->rrsig_min_exp;
		}
		if (dst->rrsig == 0 || src->rrsig_max_inc > dst->rrsig_max_inc) {
			dst->rrsig_max_inc = src->rrsig_max_inc;
		}
		dst->rrsig += src->rrsig;
	}
	/* hosters by name: served delegations add up (the parts hold different owners) */
	uint32_t *map = malloc((src->nhoster ? src->nhoster : 1) * sizeof(uint32_t));
	if (map == NULL) {
		return SSR_ENOMEM;
	}
	for (size_t i = 0; i < src->nhoster; i++) {
		ssr_strmap_entry_t *d;
		bool ins;
		const char *name = src->hoster[i].name;
		rc = ssr_strmap_upsert(&dst->domains, name, strlen(name) + 1, &d, &ins);
		if (rc == SSR_EOK && ins) {
			rc = ssr_grow((void **)&dst->hoster, &dst->caphoster, dst->nhoster + 1,
			              sizeof(hoster_t));
			if (rc == SSR_EOK) {
				d->value = dst->nhoster;
				dst->hoster[dst->nhoster++] =
				    (hoster_t){.name = (const char *)d->key};
			}
		}
		if (rc != SSR_EOK) {
			free(map);
			return rc;
		}
		map[i] = (uint32_t)d->value;
		dst->hoster[d->value].served += src->hoster[i].served;
	}
	/* distinct hosts: the union of both host maps */
	for (size_t i = 0; i < src->hosts.count; i++) {
		size_t len;
		uint32_t sv, *dv;
		bool ins;
		const uint8_t *key = zone_hostmap_at(&src->hosts, i, &len, &sv);
		rc = zone_hostmap_upsert(&dst->hosts, ssr_hash64(key, len), key, len, &dv, &ins);
		if (rc != SSR_EOK) {
			free(map);
			return rc;
		}
		if (ins) {
			*dv = map[sv];
			dst->hoster[*dv].hosts++;
		}
	}
	free(map);
	/* owner order across the seam */
	if (src->have_prev) {
		if (dst->have_prev) {
			dst->canon_ok = dst->canon_ok && src->canon_ok &&
			                cmp_canonical_lc(dst->prev, src->first) < 0;
			dst->text_ok = dst->text_ok && src->text_ok &&
			               ssr_dname_cmp_text(dst->prev, src->first) < 0;
		} else {
			dst->canon_ok = src->canon_ok;
			dst->text_ok = src->text_ok;
			memcpy(dst->first, src->first, ssr_dname_len(src->first, SSR_DNAME_MAXLEN));
		}
		memcpy(dst->prev, src->prev, ssr_dname_len(src->prev, SSR_DNAME_MAXLEN));
		dst->have_prev = true;
	}
	return SSR_EOK;
}

void ssr_zone_stats_grouped(ssr_zone_stats_t *st)
{
	st->grouped = true;
}

bool ssr_zone_stats_ordered(const ssr_zone_stats_t *st)
{
	return st->opts.owner_index || st->canon_ok || st->text_ok || st->grouped;
}

/* ---- report object ------------------------------------------------------ */

static double round6(double v)
{
	return round(v * 1e6) / 1e6;
}

static json_t *u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *iso_time(uint32_t t)
{
	char buf[21];
	ssr_time_format(t, buf);
	return json_string(buf);
}

static json_t *counts_by_index(const uint64_t *v, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		if (v[i] != 0) {
			char k[24];
			snprintf(k, sizeof(k), "%zu", i);
			json_object_set_new(o, k, u64(v[i]));
		}
	}
	return o;
}

static int cmp_key(const void *a, const void *b)
{
	const dnskey_t *x = a, *y = b;
	if (x->tag != y->tag) {
		return x->tag < y->tag ? -1 : 1;
	}
	if (x->algorithm != y->algorithm) {
		return x->algorithm < y->algorithm ? -1 : 1;
	}
	return x->flags < y->flags ? -1 : x->flags > y->flags;
}

static int cmp_hoster(const void *a, const void *b)
{
	const hoster_t *x = *(const hoster_t *const *)a, *y = *(const hoster_t *const *)b;
	if (x->served != y->served) {
		return x->served > y->served ? -1 : 1;
	}
	return strcmp(x->name, y->name);
}

static json_t *ns_object(const ssr_zone_stats_t *st)
{
	json_t *ns = json_object();
	json_object_set_new(ns, "records", u64(st->deleg_ns_records));
	json_object_set_new(ns, "apex_records", u64(st->apex_ns_records));
	json_object_set_new(ns, "hosts_per_delegation",
	                    counts_by_index(st->ns_hist, NS_HIST_MAX + 1));
	json_object_set_new(ns, "distinct_hosts", u64(st->hosts.count));
	json_object_set_new(ns, "host_domains", u64(st->nhoster));
	const hoster_t **v = malloc((st->nhoster ? st->nhoster : 1) * sizeof(*v));
	uint64_t sum = 0;
	for (size_t i = 0; i < st->nhoster; i++) {
		v[i] = &st->hoster[i];
		sum += st->hoster[i].served;
	}
	qsort(v, st->nhoster, sizeof(*v), cmp_hoster);
	double hhi = 0;
	for (size_t i = 0; i < st->nhoster && sum > 0; i++) {
		double s = (double)v[i]->served / (double)sum;
		hhi += s * s * 10000.0;
	}
	json_t *top = json_array();
	uint64_t topsum = 0;
	for (size_t i = 0; i < st->nhoster && i < st->opts.top_n; i++) {
		json_t *h = json_object();
		json_object_set_new(h, "rank", json_integer((json_int_t)i + 1));
		json_object_set_new(h, "domain", json_string(v[i]->name));
		json_object_set_new(h, "delegations", u64(v[i]->served));
		json_object_set_new(h, "hosts", u64(v[i]->hosts));
		json_object_set_new(h, "delegation_share",
		                    json_real(st->delegations ? round6((double)v[i]->served /
		                                                       (double)st->delegations)
		                                              : 0));
		json_array_append_new(top, h);
		topsum += v[i]->served;
	}
	free(v);
	json_object_set_new(ns, "top", top);
	json_t *conc = json_object();
	json_object_set_new(conc, "top_n", json_integer(st->opts.top_n));
	json_object_set_new(conc, "top_n_served", u64(topsum));
	json_object_set_new(conc, "served_total", u64(sum));
	json_object_set_new(conc, "top_n_share",
	                    json_real(sum ? round6((double)topsum / (double)sum) : 0));
	json_object_set_new(conc, "hhi", json_real(round6(hhi)));
	json_object_set_new(ns, "concentration", conc);
	return ns;
}

int ssr_zone_stats_to_json(const ssr_zone_stats_t *st, const ssr_zone_read_stats_t *read,
                           json_t **out)
{
	json_t *z = json_object();
	if (z == NULL) {
		return SSR_ENOMEM;
	}
	char name[SSR_DNAME_TEXTMAX];
	if (ssr_dname_to_text(st->apex, name, sizeof(name), true) < 0) {
		json_decref(z);
		return SSR_EINVAL; /* the apex is a wire name the reader made: cannot happen */
	}
	json_object_set_new(z, "zone", json_string(name));
	json_object_set_new(z, "serial", st->have_soa ? u64(st->serial) : json_null());
	if (read != NULL) {
		json_object_set_new(z, "bytes", u64(read->bytes));
		json_object_set_new(z, "raw_bytes", u64(read->raw_bytes));
		json_object_set_new(z, "errors", u64(read->errors));
		if (read->skipped > 0) {
			json_object_set_new(z, "skipped_after_bad_origin", u64(read->skipped));
		}
	}
	json_t *rec = json_object();
	json_object_set_new(rec, "total", u64(st->total));
	json_t *bt = json_object();
	for (unsigned t = 0; t < 256; t++) {
		if (st->by_type[t] != 0) {
			char tn[24];
			ssr_rrtype_name((uint16_t)t, tn, sizeof(tn));
			json_object_set_new(bt, tn, u64(st->by_type[t]));
		}
	}
	for (size_t i = 0; i < st->nhi; i++) {
		char tn[24];
		ssr_rrtype_name(st->by_type_hi[i].type, tn, sizeof(tn));
		json_object_set_new(bt, tn, u64(st->by_type_hi[i].count));
	}
	json_object_set_new(rec, "by_type", bt);
	if (read != NULL && read->n_unvalidated > 0) {
		json_t *uv = json_object();
		for (unsigned i = 0; i < read->n_unvalidated; i++) {
			char tn[24];
			ssr_rrtype_name(read->unvalidated[i].type, tn, sizeof(tn));
			json_object_set_new(uv, tn, u64(read->unvalidated[i].count));
		}
		json_object_set_new(rec, "unvalidated_rdata", uv);
	}
	json_object_set_new(rec, "out_of_zone_ns", u64(st->out_of_zone));
	json_object_set_new(z, "records", rec);
	json_object_set_new(z, "delegations", u64(st->delegations));
	json_object_set_new(z, "signed_delegations", u64(st->signed_delegations));
	json_object_set_new(z, "signed_share",
	                    json_real(st->delegations ? round6((double)st->signed_delegations /
	                                                       (double)st->delegations)
	                                              : 0));
	json_object_set_new(z, "idn_delegations", u64(st->idn_delegations));
	json_t *ds = json_object();
	json_object_set_new(ds, "records", u64(st->ds_records));
	json_object_set_new(ds, "algorithms", counts_by_index(st->ds_alg, 256));
	json_object_set_new(ds, "digest_types", counts_by_index(st->ds_digest, 256));
	json_object_set_new(ds, "owners_without_ns", u64(st->ds_without_ns));
	json_object_set_new(z, "ds", ds);
	dnskey_t *keys = malloc((st->nkeys ? st->nkeys : 1) * sizeof(*keys));
	if (keys == NULL) {
		json_decref(z);
		return SSR_ENOMEM;
	}
	if (st->nkeys > 0) {
		memcpy(keys, st->keys, st->nkeys * sizeof(*keys));
	}
	qsort(keys, st->nkeys, sizeof(*keys), cmp_key);
	json_t *ka = json_array();
	for (size_t i = 0; i < st->nkeys; i++) {
		json_t *k = json_object();
		json_object_set_new(k, "key_tag", json_integer(keys[i].tag));
		json_object_set_new(k, "algorithm", json_integer(keys[i].algorithm));
		json_object_set_new(k, "flags", json_integer(keys[i].flags));
		json_object_set_new(k, "role", json_string((keys[i].flags & 1) ? "KSK" : "ZSK"));
		json_object_set_new(k, "revoked", json_boolean(keys[i].flags & 0x80));
		json_object_set_new(k, "bits", json_integer(keys[i].bits));
		json_array_append_new(ka, k);
	}
	free(keys);
	json_object_set_new(z, "dnskey", ka);
	json_t *den = json_object();
	const char *kind = st->nsec3 || st->have_n3param ? "nsec3" : (st->nsec ? "nsec" : "none");
	json_object_set_new(den, "type", json_string(kind));
	json_object_set_new(den, "nsec_records", u64(st->nsec));
	json_object_set_new(den, "nsec3_records", u64(st->nsec3));
	if (st->have_n3param || st->have_n3) {
		json_object_set_new(den, "hash_algorithm", json_integer(st->n3_alg));
		json_object_set_new(den, "iterations", json_integer(st->n3_iter));
		json_object_set_new(den, "salt_length", json_integer(st->n3_salt));
		json_object_set_new(den, "nsec3param", json_boolean(st->have_n3param));
		json_object_set_new(den, "opt_out", json_boolean(st->nsec3_optout > 0));
		json_object_set_new(den, "opt_out_records", u64(st->nsec3_optout));
	}
	json_object_set_new(z, "denial", den);
	json_t *sig = json_object();
	json_object_set_new(sig, "records", u64(st->rrsig));
	json_object_set_new(sig, "earliest_expiration",
	                    st->rrsig ? iso_time(st->rrsig_min_exp) : json_null());
	json_object_set_new(sig, "latest_inception",
	                    st->rrsig ? iso_time(st->rrsig_max_inc) : json_null());
	json_object_set_new(z, "rrsig", sig);
	json_object_set_new(z, "ns", ns_object(st));
	json_t *glue = json_object();
	json_object_set_new(glue, "a", u64(st->glue_a));
	json_object_set_new(glue, "aaaa", u64(st->glue_aaaa));
	json_object_set_new(z, "glue", glue);
	json_object_set_new(z, "owner_index",
	                    json_string(st->opts.owner_index ? "memory" : "streaming"));
	*out = z;
	return SSR_EOK;
}

/* ---- shard states (issue 23) --------------------------------------------------------------- */

static void put_sparse(ssr_state_buf_t *b, const uint64_t *v, size_t n)
{
	uint32_t k = 0;
	for (size_t i = 0; i < n; i++) {
		k += v[i] != 0;
	}
	ssr_state_put_u32(b, k);
	for (size_t i = 0; i < n; i++) {
		if (v[i]) {
			ssr_state_put_u16(b, (uint16_t)i);
			ssr_state_put_u64(b, v[i]);
		}
	}
}

static void get_sparse(ssr_state_rd_t *r, uint64_t *v, size_t n)
{
	uint32_t k = ssr_state_get_u32(r);
	for (uint32_t i = 0; i < k && !r->bad; i++) {
		uint16_t at = ssr_state_get_u16(r);
		uint64_t x = ssr_state_get_u64(r);
		if (at >= n) {
			ssr_state_rd_fail(r, "an index out of range");
		} else {
			v[at] = x;
		}
	}
}

static void put_name(ssr_state_buf_t *b, const uint8_t *wire)
{
	size_t l = ssr_dname_len(wire, SSR_DNAME_MAXLEN);
	ssr_state_put_u16(b, (uint16_t)l);
	ssr_state_put_bytes(b, wire, l);
}

static void get_name(ssr_state_rd_t *r, uint8_t out[SSR_DNAME_MAXLEN + 1])
{
	uint16_t l = ssr_state_get_u16(r);
	const uint8_t *p = l && l <= SSR_DNAME_MAXLEN ? ssr_state_get_bytes(r, l) : NULL;
	if (!p || ssr_dname_len(p, l) != l) {
		ssr_state_rd_fail(r, "a bad domain name");
		out[0] = 0;
		return;
	}
	memcpy(out, p, l);
}

int ssr_zone_stats_save(const ssr_zone_stats_t *st, ssr_state_buf_t *b)
{
	if (st->opts.owner_index) {
		return SSR_EINVAL; /* unsorted zones: counted with an owner index, not in parts */
	}
	put_sparse(b, st->by_type, 256);
	ssr_state_put_u32(b, (uint32_t)st->nhi);
	for (size_t i = 0; i < st->nhi; i++) {
		ssr_state_put_u16(b, st->by_type_hi[i].type);
		ssr_state_put_u64(b, st->by_type_hi[i].count);
	}
	const uint64_t scalars[] = {st->total,
	                            st->out_of_zone,
	                            st->delegations,
	                            st->signed_delegations,
	                            st->idn_delegations,
	                            st->ds_without_ns,
	                            st->deleg_ns_records,
	                            st->apex_ns_records,
	                            st->ds_records,
	                            st->glue_a,
	                            st->glue_aaaa,
	                            st->nsec,
	                            st->nsec3,
	                            st->nsec3_optout,
	                            st->rrsig};
	for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
		ssr_state_put_u64(b, scalars[i]);
	}
	put_sparse(b, st->ns_hist, NS_HIST_MAX + 1);
	put_sparse(b, st->ds_alg, 256);
	put_sparse(b, st->ds_digest, 256);
	put_name(b, st->apex);
	ssr_state_put_u8(b, (uint8_t)(st->have_soa | st->have_n3param << 1 | st->have_n3 << 2 |
	                              st->have_prev << 3 | st->canon_ok << 4 | st->text_ok << 5 |
	                              st->apex_preset << 6));
	ssr_state_put_u32(b, st->serial);
	ssr_state_put_u8(b, st->n3_alg);
	ssr_state_put_u8(b, st->n3_flags);
	ssr_state_put_u8(b, st->n3_salt);
	ssr_state_put_u16(b, st->n3_iter);
	ssr_state_put_u32(b, st->rrsig_min_exp);
	ssr_state_put_u32(b, st->rrsig_max_inc);
	ssr_state_put_u32(b, (uint32_t)st->nkeys);
	for (size_t i = 0; i < st->nkeys; i++) {
		ssr_state_put_u16(b, st->keys[i].tag);
		ssr_state_put_u16(b, st->keys[i].flags);
		ssr_state_put_u8(b, st->keys[i].protocol);
		ssr_state_put_u8(b, st->keys[i].algorithm);
		ssr_state_put_u32(b, st->keys[i].bits);
	}
	if (st->have_prev) {
		put_name(b, st->first);
		put_name(b, st->prev);
	}
	/* hosters in index order, then every NS host with its hoster's index */
	ssr_state_put_u64(b, st->nhoster);
	for (size_t i = 0; i < st->nhoster; i++) {
		ssr_state_put_str(b, st->hoster[i].name);
		ssr_state_put_u64(b, st->hoster[i].served);
		ssr_state_put_u64(b, st->hoster[i].hosts);
	}
	ssr_state_put_u64(b, st->hosts.count);
	for (size_t i = 0; i < st->hosts.count; i++) {
		size_t len;
		uint32_t v;
		const uint8_t *key = zone_hostmap_at(&st->hosts, i, &len, &v);
		ssr_state_put_u16(b, (uint16_t)len);
		ssr_state_put_bytes(b, key, len);
		ssr_state_put_u32(b, v);
	}
	return b->oom ? SSR_ENOMEM : SSR_EOK;
}

int ssr_zone_stats_load(ssr_state_rd_t *r, const ssr_zone_stats_opts_t *opts,
                        ssr_zone_stats_t **out)
{
	ssr_zone_stats_opts_t o = *opts;
	o.owner_index = false;
	o.apex = NULL;
	ssr_zone_stats_t *st;
	int rc = ssr_zone_stats_new(&o, &st);
	if (rc != SSR_EOK) {
		return rc;
	}
	get_sparse(r, st->by_type, 256);
	uint32_t nhi = ssr_state_get_u32(r);
	for (uint32_t i = 0; i < nhi && !r->bad && rc == SSR_EOK; i++) {
		uint16_t type = ssr_state_get_u16(r);
		uint64_t count = ssr_state_get_u64(r);
		rc = ssr_grow((void **)&st->by_type_hi, &st->caphi, st->nhi + 1,
		              sizeof(*st->by_type_hi));
		if (rc == SSR_EOK) {
			st->by_type_hi[st->nhi].type = type;
			st->by_type_hi[st->nhi++].count = count;
		}
	}
	uint64_t *scalars[] = {&st->total,
	                       &st->out_of_zone,
	                       &st->delegations,
	                       &st->signed_delegations,
	                       &st->idn_delegations,
	                       &st->ds_without_ns,
	                       &st->deleg_ns_records,
	                       &st->apex_ns_records,
	                       &st->ds_records,
	                       &st->glue_a,
	                       &st->glue_aaaa,
	                       &st->nsec,
	                       &st->nsec3,
	                       &st->nsec3_optout,
	                       &st->rrsig};
	for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
		*scalars[i] = ssr_state_get_u64(r);
	}
	get_sparse(r, st->ns_hist, NS_HIST_MAX + 1);
	get_sparse(r, st->ds_alg, 256);
	get_sparse(r, st->ds_digest, 256);
	get_name(r, st->apex);
	st->apex_len = ssr_dname_len(st->apex, SSR_DNAME_MAXLEN);
	uint8_t fl = ssr_state_get_u8(r);
	st->have_soa = fl & 1;
	st->have_n3param = fl >> 1 & 1;
	st->have_n3 = fl >> 2 & 1;
	st->have_prev = fl >> 3 & 1;
	st->canon_ok = fl >> 4 & 1;
	st->text_ok = fl >> 5 & 1;
	st->apex_preset = fl >> 6 & 1;
	st->serial = ssr_state_get_u32(r);
	st->n3_alg = ssr_state_get_u8(r);
	st->n3_flags = ssr_state_get_u8(r);
	st->n3_salt = ssr_state_get_u8(r);
	st->n3_iter = ssr_state_get_u16(r);
	st->rrsig_min_exp = ssr_state_get_u32(r);
	st->rrsig_max_inc = ssr_state_get_u32(r);
	uint32_t nk = ssr_state_get_u32(r);
	if (!r->bad && nk > (r->n - r->off) / 10) {
		ssr_state_rd_fail(r, "a key count larger than the bytes that follow");
	}
	for (uint32_t i = 0; i < nk && !r->bad && rc == SSR_EOK; i++) {
		rc = ssr_grow((void **)&st->keys, &st->capkeys, st->nkeys + 1, sizeof(dnskey_t));
		if (rc == SSR_EOK) {
			dnskey_t *k = &st->keys[st->nkeys++];
			k->tag = ssr_state_get_u16(r);
			k->flags = ssr_state_get_u16(r);
			k->protocol = ssr_state_get_u8(r);
			k->algorithm = ssr_state_get_u8(r);
			k->bits = ssr_state_get_u32(r);
		}
	}
	if (st->have_prev) {
		get_name(r, st->first);
		get_name(r, st->prev);
	}
	uint64_t nh = ssr_state_get_count(r, 4 + 16);
	for (uint64_t i = 0; i < nh && !r->bad && rc == SSR_EOK; i++) {
		char name[SSR_DNAME_TEXTMAX + 1];
		ssr_state_get_str(r, name, sizeof name);
		uint64_t served = ssr_state_get_u64(r);
		uint64_t hosts = ssr_state_get_u64(r);
		ssr_strmap_entry_t *d;
		bool ins = false;
		rc = r->bad ? SSR_EOK
		            : ssr_strmap_upsert(&st->domains, name, strlen(name) + 1, &d, &ins);
		if (rc == SSR_EOK && !r->bad && !ins) {
			ssr_state_rd_fail(r, "a hoster listed twice");
		}
		if (rc == SSR_EOK && !r->bad) {
			rc = ssr_grow((void **)&st->hoster, &st->caphoster, st->nhoster + 1,
			              sizeof(hoster_t));
		}
		if (rc == SSR_EOK && !r->bad) {
			d->value = st->nhoster;
			st->hoster[st->nhoster++] = (hoster_t){
			    .name = (const char *)d->key, .served = served, .hosts = hosts};
		}
	}
	uint64_t nhost = ssr_state_get_count(r, 2 + 1 + 4);
	for (uint64_t i = 0; i < nhost && !r->bad && rc == SSR_EOK; i++) {
		uint16_t l = ssr_state_get_u16(r);
		const uint8_t *key = l <= SSR_DNAME_MAXLEN ? ssr_state_get_bytes(r, l) : NULL;
		uint32_t h = ssr_state_get_u32(r);
		if (!r->bad && (!key || l == 0 || h >= st->nhoster)) {
			ssr_state_rd_fail(r, "a bad NS host");
		}
		uint32_t *v;
		bool ins = false;
		if (!r->bad && (rc = zone_hostmap_upsert(&st->hosts, ssr_hash64(key, l), key, l, &v,
		                                         &ins)) == SSR_EOK) {
			if (!ins) {
				ssr_state_rd_fail(r, "an NS host listed twice");
			}
			*v = h;
		}
	}
	if (rc != SSR_EOK || r->bad) {
		ssr_zone_stats_free(st);
		if (rc == SSR_EOK) {
			rc = SSR_ECORRUPT;
		}
		return rc;
	}
	*out = st;
	return SSR_EOK;
}
