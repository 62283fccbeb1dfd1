/* libzone: whole-zone verification over a zone in memory (zonemem.h): signatures (in parallel),
 * the NSEC chain, ZONEMD.  Every finding is a problem with its owner and type; nothing checked
 * is dropped, and what was not checked is said. */
#include <libdnssec/crypto.h>
#include <libdnssec/digest.h>
#include <libdnssec/error.h>
#include <libdnssec/nsec.h>
#include <libknot/libknot.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ssrwatch/crypto.h"
#include "ssrwatch/zonemem.h"
#include "zone_priv.h"

#define T_NS         2
#define T_SOA        6
#define T_DS         43
#define T_RRSIG      46
#define T_NSEC       47
#define T_DNSKEY     48
#define T_NSEC3      50
#define T_NSEC3PARAM 51
#define T_ZONEMD     63

/* One RRset (not RRSIG) of the zone. */
typedef struct {
	size_t lo, hi; /* its records */
	uint8_t auth;  /* 1 authoritative (signed), 0 a delegation's NS or glue */
} set_t;

typedef struct {
	ssr_zv_problem_t *v;
	size_t n, cap, kept_max;
	uint64_t errors, warnings;
	bool oom;
} plist_t;

static void add(plist_t *p, const uint8_t *owner, uint16_t type, int sev, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void add(plist_t *p, const uint8_t *owner, uint16_t type, int sev, const char *fmt, ...)
{
	if (sev == SSR_ZV_ERROR) {
		p->errors++;
	} else {
		p->warnings++;
	}
	if (p->n == p->kept_max) {
		return;
	}
	if (p->n == p->cap) {
		size_t nc = p->cap ? 2 * p->cap : 64;
		ssr_zv_problem_t *nv = realloc(p->v, nc * sizeof(*nv));
		if (nv == NULL) {
			p->oom = true;
			return;
		}
		p->v = nv;
		p->cap = nc;
	}
	ssr_zv_problem_t *x = &p->v[p->n++];
	memset(x, 0, sizeof(*x));
	if (knot_dname_to_str(x->owner, owner, sizeof x->owner) == NULL) {
		snprintf(x->owner, sizeof x->owner, "?");
	}
	x->type = type;
	x->severity = (uint8_t)sev;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->problem, sizeof x->problem, fmt, ap);
	va_end(ap);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- signatures, in parallel ----------------------------------------------------------------- */

typedef struct {
	const ssr_zmem_t *z;
	const set_t *sets;
	size_t from, to; /* the sets of this worker */
	const ssr_zmem_rdata_t *keys, *anchored;
	size_t nkeys, nanchored;
	const zone_keys_t *parsed, *parsed_anchored;
	const ssr_zv_opts_t *o;
	plist_t p;
	uint64_t signed_sets, checked, valid;
} work_t;

static const char *const why_text[] = {
    "valid",          "malformed", "not yet valid", "expired", "made by no DNSKEY of the zone",
    "does not verify"};

static void *sig_worker(void *arg)
{
	work_t *w = arg;
	const ssr_zmem_t *z = w->z;
	ssr_zmem_rdata_t stack[256];
	int64_t horizon = w->o->now + (int64_t)w->o->horizon_days * 86400;
	for (size_t k = w->from; k < w->to && !w->p.oom; k++) {
		const set_t *s = &w->sets[k];
		const ssr_zmem_rr_t *r = &z->rr[s->lo];
		size_t slo, shi;
		bool has = ssr_zmem_rrset(z, r->owner, T_RRSIG, r->type, &slo, &shi);
		if (!s->auth) {
			if (has) {
				add(&w->p, r->owner, r->type, SSR_ZV_WARNING,
				    "signed, but not authoritative data (a delegation's NS or "
				    "glue)");
			}
			continue;
		}
		if (!has) {
			add(&w->p, r->owner, r->type, SSR_ZV_ERROR, "not signed");
			continue;
		}
		w->signed_sets++;
		size_t n = s->hi - s->lo;
		ssr_zmem_rdata_t *rd = n <= 256 ? stack : calloc(n, sizeof(*rd));
		if (rd == NULL) {
			w->p.oom = true;
			break;
		}
		for (size_t i = 0; i < n; i++) {
			rd[i] = (ssr_zmem_rdata_t){z->rr[s->lo + i].rdata, z->rr[s->lo + i].rdlen};
		}
		bool dnskey = r->type == T_DNSKEY && knot_dname_is_equal(r->owner, z->apex);
		bool anchored_ok = false;
		for (size_t i = slo; i < shi; i++) {
			zone_sig_why_t why;
			ssr_diag_t d = {0};
			(void)zone_rrsig_verify(r->owner, r->type, rd, n, z->rr[i].rdata,
			                        z->rr[i].rdlen, w->keys, w->nkeys, w->parsed,
			                        w->o->now, &why, &d);
			w->checked++;
			if (why != ZONE_SIG_OK) {
				unsigned tag =
				    z->rr[i].rdlen >= 18
				        ? (unsigned)(z->rr[i].rdata[16] << 8 | z->rr[i].rdata[17])
				        : 0;
				add(&w->p, r->owner, r->type, SSR_ZV_ERROR, "RRSIG by key %u: %s",
				    tag, why_text[why]);
				continue;
			}
			w->valid++;
			if (w->o->horizon_days && z->rr[i].rdlen >= 12) {
				uint32_t exp = get32(z->rr[i].rdata + 8);
				/* RFC 1982: within the horizon from now */
				if ((uint32_t)(exp - (uint32_t)w->o->now) <
				    (uint32_t)(horizon - w->o->now)) {
					add(&w->p, r->owner, r->type, SSR_ZV_WARNING,
					    "RRSIG by key %u expires within %u days",
					    (unsigned)(z->rr[i].rdata[16] << 8 |
					               z->rr[i].rdata[17]),
					    w->o->horizon_days);
				}
			}
			if (dnskey && w->nanchored > 0) {
				zone_sig_why_t w2;
				anchored_ok |=
				    zone_rrsig_verify(r->owner, r->type, rd, n, z->rr[i].rdata,
				                      z->rr[i].rdlen, w->anchored, w->nanchored,
				                      w->parsed_anchored, w->o->now, &w2,
				                      &d) == SSR_EOK;
			}
		}
		if (dnskey && w->o->ds != NULL && !anchored_ok) {
			add(&w->p, r->owner, r->type, SSR_ZV_ERROR,
			    "no valid RRSIG by a key of the trust anchor");
		}
		if (rd != stack) {
			free(rd);
		}
	}
	return NULL;
}

/* ---- the NSEC chain ----------------------------------------------------------------------------
 */

static bool bitmap_has(const uint8_t *bm, size_t bl, uint16_t type)
{
	return bl <= 65535 && dnssec_nsec_bitmap_contains(bm, (uint16_t)bl, type);
}

/* The type bitmap (bm, bl bytes) of the NSEC or NSEC3 (type) of owner, whose RRsets are
 * sets[k..e): exactly the types present, with RRSIG when the name is signed. */
static void check_bitmap(const ssr_zmem_t *z, const set_t *sets, size_t k, size_t e,
                         const uint8_t *bm, size_t bl, bool rrsig, const uint8_t *owner,
                         uint16_t type, plist_t *p)
{
	const char *what = type == T_NSEC ? "NSEC" : "NSEC3";
	for (size_t i = k; i < e; i++) {
		uint16_t t = z->rr[sets[i].lo].type;
		if (!bitmap_has(bm, bl, t)) {
			add(p, owner, type, SSR_ZV_ERROR, "%s bitmap lacks type %u", what, t);
		}
	}
	if (rrsig && !bitmap_has(bm, bl, T_RRSIG)) {
		add(p, owner, type, SSR_ZV_ERROR, "%s bitmap lacks RRSIG", what);
	}
	for (size_t i = 0; i + 2 <= bl;) {
		uint8_t w = bm[i], l = bm[i + 1];
		if (l == 0 || l > 32 || i + 2 + l > bl) {
			add(p, owner, type, SSR_ZV_ERROR, "%s bitmap malformed", what);
			return;
		}
		for (unsigned b = 0; b < 8u * l; b++) {
			if (!(bm[i + 2 + b / 8] & (0x80 >> (b % 8)))) {
				continue;
			}
			uint16_t t = (uint16_t)(w << 8 | b);
			bool present = t == T_RRSIG && rrsig;
			for (size_t j = k; j < e && !present; j++) {
				present = z->rr[sets[j].lo].type == t;
			}
			if (!present) {
				add(p, owner, type, SSR_ZV_ERROR,
				    "%s bitmap lists type %u, not present", what, t);
			}
		}
		i += 2 + (size_t)l;
	}
}

/* The authoritative names (owners of authoritative data or delegation points), in canonical
 * order: each must own one NSEC whose next name is the following one (the last's: the apex)
 * and whose bitmap lists exactly the types present. */
static void nsec_chain(const ssr_zmem_t *z, const set_t *sets, size_t nsets, plist_t *p,
                       uint64_t *names)
{
	const uint8_t *prev = NULL;
	const ssr_zmem_rr_t *prev_nsec = NULL;
	size_t k = 0;
	while (k < nsets) {
		const uint8_t *owner = z->rr[sets[k].lo].owner;
		size_t e = k;
		bool auth = false, delegation = false;
		const ssr_zmem_rr_t *nsec = NULL;
		unsigned nnsec = 0;
		while (e < nsets && knot_dname_is_equal(z->rr[sets[e].lo].owner, owner)) {
			auth |= sets[e].auth;
			const ssr_zmem_rr_t *r = &z->rr[sets[e].lo];
			delegation |= r->type == T_NS && !knot_dname_is_equal(owner, z->apex);
			if (r->type == T_NSEC) {
				nsec = r;
				nnsec = (unsigned)(sets[e].hi - sets[e].lo);
			}
			e++;
		}
		if (!auth && !delegation) { /* glue: no NSEC */
			if (nsec != NULL) {
				add(p, owner, T_NSEC, SSR_ZV_ERROR,
				    "an NSEC at a name below a delegation");
			}
			k = e;
			continue;
		}
		(*names)++;
		if (prev_nsec != NULL) {
			/* the previous name's NSEC must point here */
			const uint8_t *nx = prev_nsec->rdata;
			if (knot_dname_size(nx) > prev_nsec->rdlen ||
			    !knot_dname_is_equal(nx, owner)) {
				uint8_t lo[KNOT_DNAME_MAXLEN];
				memcpy(lo, nx,
				       knot_dname_size(nx) <= prev_nsec->rdlen ? knot_dname_size(nx)
				                                               : 1);
				char want[KNOT_DNAME_TXT_MAXLEN + 1] = "?";
				knot_dname_to_str(want, owner, sizeof want);
				add(p, prev, T_NSEC, SSR_ZV_ERROR,
				    "NSEC next name is not '%s' (the chain breaks)", want);
			}
		}
		if (nsec == NULL) {
			add(p, owner, T_NSEC, SSR_ZV_ERROR,
			    "no NSEC (the name is not in the chain)");
		} else if (nnsec != 1) {
			add(p, owner, T_NSEC, SSR_ZV_ERROR, "%u NSEC records", nnsec);
		} else {
			size_t nl = knot_dname_size(nsec->rdata);
			if (nl > nsec->rdlen) {
				add(p, owner, T_NSEC, SSR_ZV_ERROR, "NSEC rdata malformed");
			} else {
				const uint8_t *bm = nsec->rdata + nl;
				size_t bl = nsec->rdlen - nl;
				check_bitmap(z, sets, k, e, bm, bl, true, owner, T_NSEC, p);
			}
		}
		prev = owner;
		prev_nsec = nsec;
		k = e;
	}
	if (prev_nsec != NULL && knot_dname_size(prev_nsec->rdata) <= prev_nsec->rdlen &&
	    !knot_dname_is_equal(prev_nsec->rdata, z->apex)) {
		add(p, prev, T_NSEC, SSR_ZV_ERROR, "the last NSEC does not point to the apex");
	}
}

/* ---- the NSEC3 chain (RFC 5155 7.1) -----------------------------------------------------------
 */

typedef struct {
	uint8_t h[64];
	size_t hl;
	size_t set; /* the NSEC3 RRset */
	bool used;  /* a name of the zone hashes to it */
	bool optout;
} h3_t;

static int h3_cmp(const void *a, const void *b)
{
	const h3_t *x = a, *y = b;
	int c = memcmp(x->h, y->h, x->hl < y->hl ? x->hl : y->hl);
	return c != 0 ? c : (x->hl > y->hl) - (x->hl < y->hl);
}

static int name_cmp(const void *a, const void *b)
{
	return knot_dname_cmp(*(const uint8_t *const *)a, *(const uint8_t *const *)b);
}

/* The NSEC3 fields of rdata: *next and its length, the bitmap; false when malformed. */
static bool nsec3_fields(const uint8_t *rd, size_t len, const uint8_t **next, size_t *nl,
                         const uint8_t **bm, size_t *bl)
{
	if (len < 5 || 5u + rd[4] + 1 > len) {
		return false;
	}
	size_t o = 5u + rd[4];
	*nl = rd[o];
	*next = rd + o + 1;
	if (o + 1 + *nl > len) {
		return false;
	}
	*bm = rd + o + 1 + *nl;
	*bl = len - (o + 1 + *nl);
	return true;
}

static void nsec3_chain(const ssr_zmem_t *z, const set_t *sets, size_t nsets, plist_t *p,
                        uint64_t *names)
{
	size_t lo, hi;
	dnssec_nsec3_params_t prm;
	memset(&prm, 0, sizeof prm);
	if (!ssr_zmem_rrset(z, z->apex, T_NSEC3PARAM, 0, &lo, &hi)) {
		add(p, z->apex, T_NSEC3PARAM, SSR_ZV_ERROR, "NSEC3 records but no NSEC3PARAM");
		return;
	}
	dnssec_binary_t prd = {.size = z->rr[lo].rdlen, .data = z->rr[lo].rdata};
	if (dnssec_nsec3_params_from_rdata(&prm, &prd) != DNSSEC_EOK) {
		dnssec_nsec3_params_free(&prm);
		add(p, z->apex, T_NSEC3PARAM, SSR_ZV_ERROR, "NSEC3PARAM malformed");
		return;
	}
	/* the NSEC3 RRsets, by hash */
	h3_t *h3 = calloc(nsets ? nsets : 1, sizeof(*h3));
	const uint8_t **nm = calloc(2 * (nsets ? nsets : 1), sizeof(*nm));
	if (h3 == NULL || nm == NULL) {
		p->oom = true;
		free(h3);
		free(nm);
		dnssec_nsec3_params_free(&prm);
		return;
	}
	size_t n3 = 0, nn = 0;
	for (size_t k = 0; k < nsets; k++) {
		const ssr_zmem_rr_t *r = &z->rr[sets[k].lo];
		if (r->type != T_NSEC3) {
			continue;
		}
		h3_t *x = &h3[n3];
		x->hl = ssr_base32hex_decode((const char *)r->owner + 1, r->owner[0], x->h,
		                             sizeof x->h);
		if (x->hl == 0 || !knot_dname_is_equal(r->owner + 1 + r->owner[0], z->apex)) {
			add(p, r->owner, T_NSEC3, SSR_ZV_ERROR,
			    "NSEC3 owner is not a hash under the apex");
			continue;
		}
		if (sets[k].hi - sets[k].lo != 1) {
			add(p, r->owner, T_NSEC3, SSR_ZV_ERROR, "%zu NSEC3 records at one owner",
			    sets[k].hi - sets[k].lo);
		}
		if (r->rdlen < 5 || r->rdata[0] != prm.algorithm ||
		    (uint16_t)(r->rdata[2] << 8 | r->rdata[3]) != prm.iterations ||
		    r->rdata[4] != prm.salt.size || 5u + r->rdata[4] > r->rdlen ||
		    memcmp(r->rdata + 5, prm.salt.data, prm.salt.size) != 0) {
			add(p, r->owner, T_NSEC3, SSR_ZV_ERROR,
			    "NSEC3 parameters differ from NSEC3PARAM");
		}
		x->optout = r->rdlen >= 2 && (r->rdata[1] & 1);
		x->set = k;
		n3++;
	}
	qsort(h3, n3, sizeof(*h3), h3_cmp);
	/* the chain: each next hashed owner is the following hash, the last one's the first */
	for (size_t i = 0; i < n3; i++) {
		const ssr_zmem_rr_t *r = &z->rr[sets[h3[i].set].lo];
		const uint8_t *next, *bm;
		size_t nl, bl;
		const h3_t *want = &h3[(i + 1) % n3];
		if (!nsec3_fields(r->rdata, r->rdlen, &next, &nl, &bm, &bl)) {
			add(p, r->owner, T_NSEC3, SSR_ZV_ERROR, "NSEC3 rdata malformed");
		} else if (nl != want->hl || memcmp(next, want->h, nl) != 0) {
			add(p, r->owner, T_NSEC3, SSR_ZV_ERROR,
			    "NSEC3 next hashed owner is not the following hash (the chain breaks)");
		}
	}
	/* the names that need an NSEC3: authoritative names and delegation points, and the empty
	 * non-terminals between them and the apex (suffixes of their owners) */
	for (size_t k = 0; k < nsets;) {
		const uint8_t *owner = z->rr[sets[k].lo].owner;
		size_t e = k;
		bool auth = false, hashed = false;
		while (e < nsets && knot_dname_is_equal(z->rr[sets[e].lo].owner, owner)) {
			auth |= sets[e].auth || z->rr[sets[e].lo].type == T_NS;
			hashed |= z->rr[sets[e].lo].type == T_NSEC3;
			e++;
		}
		if (auth && !hashed) {
			nm[nn++] = owner;
			for (const uint8_t *a = owner + 1 + owner[0];
			     *owner != 0 && knot_dname_in_bailiwick(a, z->apex) > 0;
			     a += 1 + a[0]) {
				size_t x, y;
				if (!ssr_zmem_name_range(z, a, &x, &y) && nn < 2 * nsets) {
					nm[nn++] = a; /* an empty non-terminal */
				}
			}
		}
		k = e;
	}
	qsort(nm, nn, sizeof(*nm), name_cmp);
	for (size_t i = 0; i < nn; i++) {
		if (i > 0 && knot_dname_is_equal(nm[i - 1], nm[i])) {
			continue;
		}
		const uint8_t *name = nm[i];
		uint8_t lw[KNOT_DNAME_MAXLEN];
		memcpy(lw, name, knot_dname_size(name));
		dnssec_binary_t data = {.size = knot_dname_size(lw), .data = lw}, hb = {0};
		if (dnssec_nsec3_hash(&data, &prm, &hb) != DNSSEC_EOK || hb.size > 64) {
			dnssec_binary_free(&hb);
			add(p, name, T_NSEC3, SSR_ZV_ERROR, "NSEC3 hash algorithm %u not supported",
			    prm.algorithm);
			break;
		}
		h3_t key = {.hl = hb.size};
		memcpy(key.h, hb.data, hb.size);
		dnssec_binary_free(&hb);
		h3_t *hit = bsearch(&key, h3, n3, sizeof(*h3), h3_cmp);
		/* the name's RRsets (none for an empty non-terminal) */
		size_t k = 0, e = 0, x, y;
		bool delegation = false, has_ds = false, signed_name = false;
		if (ssr_zmem_name_range(z, name, &x, &y)) {
			size_t a = 0, b = nsets; /* the first set at or after record x */
			while (a < b) {
				size_t m = a + (b - a) / 2;
				if (sets[m].lo < x) {
					a = m + 1;
				} else {
					b = m;
				}
			}
			k = a;
			for (e = k; e < nsets && sets[e].lo < y; e++) {
				uint16_t t = z->rr[sets[e].lo].type;
				delegation |= t == T_NS && !knot_dname_is_equal(name, z->apex);
				has_ds |= t == T_DS;
			}
			signed_name = ssr_zmem_has_type(z, name, T_RRSIG);
		}
		if (hit == NULL) {
			/* RFC 5155 7.1: with opt-out, an insecure delegation may have none (the
			 * NSEC3 that covers its hash has the flag) */
			if (delegation && !has_ds) {
				size_t pos = 0;
				while (pos < n3 && h3_cmp(&h3[pos], &key) < 0) {
					pos++;
				}
				const h3_t *cover = &h3[pos == 0 ? n3 - 1 : pos - 1];
				if (n3 > 0 && cover->optout) {
					continue;
				}
			}
			add(p, name, T_NSEC3, SSR_ZV_ERROR,
			    "no NSEC3 for this name (its hash is not in the chain)");
			continue;
		}
		hit->used = true;
		(*names)++;
		const ssr_zmem_rr_t *r = &z->rr[sets[hit->set].lo];
		const uint8_t *next, *bm;
		size_t nl, bl;
		if (nsec3_fields(r->rdata, r->rdlen, &next, &nl, &bm, &bl)) {
			check_bitmap(z, sets, k, e, bm, bl, signed_name, name, T_NSEC3, p);
		}
	}
	for (size_t i = 0; i < n3; i++) {
		if (!h3[i].used) {
			add(p, z->rr[sets[h3[i].set].lo].owner, T_NSEC3, SSR_ZV_ERROR,
			    "NSEC3 whose hash is no name of the zone");
		}
	}
	free(h3);
	free(nm);
	dnssec_nsec3_params_free(&prm);
}

/* ---- ZONEMD ------------------------------------------------------------------------------------
 */

/* The SIMPLE digest with algorithm alg of every record but the apex ZONEMD and its RRSIGs. */
static int zonemd_digest(const ssr_zmem_t *z, dnssec_digest_t alg, dnssec_binary_t *out)
{
	dnssec_digest_ctx_t *ctx = NULL;
	if (dnssec_digest_init(alg, &ctx) != DNSSEC_EOK) {
		return SSR_ENOMEM;
	}
	zone_buf_t w = {0};
	for (size_t i = 0; i < z->n; i++) {
		const ssr_zmem_rr_t *r = &z->rr[i];
		if ((r->type == T_ZONEMD || (r->type == T_RRSIG && r->covered == T_ZONEMD)) &&
		    knot_dname_is_equal(r->owner, z->apex)) {
			continue;
		}
		w.n = 0;
		zone_put(&w, r->owner, knot_dname_size(r->owner));
		zone_put16(&w, r->type);
		zone_put16(&w, 1);
		zone_put32(&w, r->ttl);
		zone_put16(&w, r->rdlen);
		zone_put(&w, r->rdata, r->rdlen);
		if (w.oom) {
			break;
		}
		dnssec_binary_t b = {.size = w.n, .data = w.p};
		dnssec_digest(ctx, &b);
	}
	int rc = dnssec_digest_finish(ctx, out) == DNSSEC_EOK && !w.oom ? SSR_EOK : SSR_ENOMEM;
	free(w.p);
	return rc;
}

static int zonemd_check(const ssr_zmem_t *z, ssr_zv_result_t *res, plist_t *p)
{
	size_t lo, hi;
	if (!ssr_zmem_rrset(z, z->apex, T_ZONEMD, 0, &lo, &hi)) {
		return SSR_EOK;
	}
	res->zonemd_present = true;
	dnssec_binary_t dig[3] = {{0}}; /* by hash: 1 SHA-384, 2 SHA-512 */
	bool done[3] = {false, false, false};
	int rc = SSR_EOK;
	for (size_t i = lo; i < hi; i++) {
		const ssr_zmem_rr_t *r = &z->rr[i];
		res->zonemd_records++;
		if (r->rdlen < 6) {
			add(p, z->apex, T_ZONEMD, SSR_ZV_ERROR, "ZONEMD record malformed");
			continue;
		}
		uint8_t scheme = r->rdata[4], hash = r->rdata[5];
		if (scheme != 1 || (hash != 1 && hash != 2)) {
			res->zonemd_unsupported++; /* RFC 8976 4: not verifiable here, not a failure
			                            */
			add(p, z->apex, T_ZONEMD, SSR_ZV_WARNING,
			    "ZONEMD scheme %u hash %u not supported (not checked)", scheme, hash);
			continue;
		}
		size_t want = hash == 1 ? 48 : 64;
		if (r->rdlen - 6u != want) {
			add(p, z->apex, T_ZONEMD, SSR_ZV_ERROR,
			    "ZONEMD digest of %u bytes, not %zu", r->rdlen - 6u, want);
			continue;
		}
		if (get32(r->rdata) != z->serial) {
			add(p, z->apex, T_ZONEMD, SSR_ZV_ERROR,
			    "ZONEMD serial %u is not the SOA's %u", get32(r->rdata), z->serial);
			continue;
		}
		if (!done[hash]) {
			if ((rc = zonemd_digest(
			         z, hash == 1 ? DNSSEC_DIGEST_SHA384 : DNSSEC_DIGEST_SHA512,
			         &dig[hash])) != SSR_EOK) {
				break;
			}
			done[hash] = true;
		}
		res->zonemd_checked++;
		if (dig[hash].size == want && memcmp(dig[hash].data, r->rdata + 6, want) == 0) {
			res->zonemd_valid = true;
		} else {
			add(p, z->apex, T_ZONEMD, SSR_ZV_ERROR,
			    "ZONEMD %s digest does not match the zone",
			    hash == 1 ? "SHA-384" : "SHA-512");
		}
	}
	/* RFC 8976 4: valid when a supported digest matches; a mismatching one is still reported */
	dnssec_binary_free(&dig[1]);
	dnssec_binary_free(&dig[2]);
	return rc;
}

/* ---- the whole zone ----------------------------------------------------------------------------
 */

int ssr_zmem_verify(const ssr_zmem_t *z, const ssr_zv_opts_t *o, ssr_zv_result_t *res,
                    ssr_diag_t *diag)
{
	memset(res, 0, sizeof(*res));
	dnssec_crypto_init();
	plist_t p = {.kept_max = o->max_problems ? o->max_problems : 10000};
	/* the RRsets, and what the zone signs: not RRSIGs, not a delegation's NS and glue */
	set_t *sets = malloc((z->n ? z->n : 1) * sizeof(*sets));
	if (sets == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "zone verify: out of memory");
	}
	size_t nsets = 0;
	const uint8_t *cut = NULL; /* the delegation point the names now under it belong to */
	for (size_t i = 0; i < z->n;) {
		size_t j = i + 1;
		while (j < z->n && z->rr[j].type == z->rr[i].type &&
		       knot_dname_is_equal(z->rr[j].owner, z->rr[i].owner)) {
			j++;
		}
		const ssr_zmem_rr_t *r = &z->rr[i];
		if (r->type == T_RRSIG) {
			size_t lo, hi;
			if (!ssr_zmem_rrset(z, r->owner, r->covered, 0, &lo, &hi) &&
			    r->covered != T_RRSIG) {
				add(&p, r->owner, r->covered, SSR_ZV_WARNING,
				    "an RRSIG without its RRset");
			}
			i = j;
			continue;
		}
		if (cut != NULL && knot_dname_in_bailiwick(r->owner, cut) <= 0) {
			cut = NULL; /* left the delegation's names */
		}
		bool apex = knot_dname_is_equal(r->owner, z->apex);
		bool auth;
		if (cut != NULL && !knot_dname_is_equal(r->owner, cut)) {
			auth = false; /* occluded: glue */
		} else if (!apex && ssr_zmem_has_type(z, r->owner, T_NS)) {
			cut = r->owner;
			auth = r->type == T_DS || r->type == T_NSEC;
		} else {
			auth = true;
		}
		sets[nsets++] = (set_t){i, j, auth};
		res->nsec |= r->type == T_NSEC;
		res->nsec3 |= r->type == T_NSEC3;
		i = j;
	}
	res->rrsets = nsets;
	/* the keys */
	size_t klo, khi;
	ssr_zmem_rdata_t keys[64], anchored[64];
	size_t nkeys = 0, nanchored = 0;
	res->dnssec_signed = ssr_zmem_rrset(z, z->apex, T_DNSKEY, 0, &klo, &khi);
	for (size_t i = klo; res->dnssec_signed && i < khi && nkeys < 64; i++) {
		keys[nkeys++] = (ssr_zmem_rdata_t){z->rr[i].rdata, z->rr[i].rdlen};
	}
	int rc = SSR_EOK;
	if (!res->dnssec_signed) {
		add(&p, z->apex, T_DNSKEY, SSR_ZV_ERROR,
		    "no DNSKEY at the apex: the zone is not signed");
	} else if (o->ds != NULL) {
		ssr_diag_t d = {0};
		rc = zone_ds_match(z, o->ds, keys, nkeys, anchored, &nanchored, &d);
		if (rc == SSR_EOK) {
			res->anchored = true;
		} else if (rc == SSR_EINVAL) {
			add(&p, z->apex, T_DNSKEY, SSR_ZV_ERROR, "%.150s", d.msg);
			rc = SSR_EOK;
		}
	}
	if (rc == SSR_EOK && res->dnssec_signed) {
		unsigned nt = o->threads;
		if (nt == 0) {
			long c = sysconf(_SC_NPROCESSORS_ONLN);
			nt = c > 0 ? (unsigned)c : 1;
		}
		if (nt > 64) {
			nt = 64;
		}
		if (nsets < 1000) {
			nt = 1;
		}
		zone_keys_t pk, pa;
		zone_keys_init(&pk, keys, nkeys);
		zone_keys_init(&pa, anchored, nanchored);
		work_t *w = calloc(nt, sizeof(*w));
		pthread_t th[64];
		bool started[64] = {false};
		if (w == NULL) {
			rc = SSR_ENOMEM;
		}
		for (unsigned t = 0; rc == SSR_EOK && t < nt; t++) {
			w[t] = (work_t){.z = z,
			                .sets = sets,
			                .from = nsets * t / nt,
			                .to = nsets * (t + 1) / nt,
			                .keys = keys,
			                .nkeys = nkeys,
			                .anchored = anchored,
			                .nanchored = nanchored,
			                .parsed = &pk,
			                .parsed_anchored = &pa,
			                .o = o};
			w[t].p.kept_max = p.kept_max;
			started[t] = nt > 1 && pthread_create(&th[t], NULL, sig_worker, &w[t]) == 0;
			if (!started[t]) {
				sig_worker(&w[t]);
			}
		}
		/* each worker's problems in order, appended in the workers' order: canonical order
		 */
		for (unsigned t = 0; w != NULL && t < nt; t++) {
			if (started[t]) {
				pthread_join(th[t], NULL);
			}
			res->rrsets_signed += w[t].signed_sets;
			res->signatures_checked += w[t].checked;
			res->signatures_valid += w[t].valid;
			p.errors += w[t].p.errors;
			p.warnings += w[t].p.warnings;
			p.oom |= w[t].p.oom;
			for (size_t i = 0; i < w[t].p.n; i++) {
				if (p.n < p.kept_max && !p.oom) {
					if (p.n == p.cap) {
						size_t nc = p.cap ? 2 * p.cap : 64;
						ssr_zv_problem_t *nv =
						    realloc(p.v, nc * sizeof(*nv));
						if (nv == NULL) {
							p.oom = true;
							break;
						}
						p.v = nv;
						p.cap = nc;
					}
					p.v[p.n++] = w[t].p.v[i];
				}
			}
			free(w[t].p.v);
		}
		free(w);
		zone_keys_release(&pk);
		zone_keys_release(&pa);
		if (res->nsec) {
			nsec_chain(z, sets, nsets, &p, &res->names_in_chain);
			res->chain_checked = true;
		}
		if (res->nsec3) {
			nsec3_chain(z, sets, nsets, &p, &res->names_in_chain);
			res->chain_checked = true;
		}
	}
	if (rc == SSR_EOK) {
		rc = zonemd_check(z, res, &p);
	}
	free(sets);
	res->problems = p.v;
	res->nproblems = p.n;
	res->errors = p.errors;
	res->warnings = p.warnings;
	if (rc != SSR_EOK || p.oom) {
		ssr_zv_result_release(res);
		return ssr_diag_set(diag, SSR_ENOMEM, "zone verify: out of memory");
	}
	return SSR_EOK;
}

void ssr_zv_result_release(ssr_zv_result_t *r)
{
	if (r != NULL) {
		free(r->problems);
		r->problems = NULL;
		r->nproblems = 0;
	}
}

int ssr_zmem_verify_zone(const ssr_zmem_t *z, const char *ds, int64_t now, bool *zonemd,
                         ssr_diag_t *diag)
{
	ssr_zv_opts_t o = {.now = now, .ds = ds, .threads = 1};
	ssr_zv_result_t r;
	int rc = ssr_zmem_verify(z, &o, &r, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	*zonemd = r.zonemd_present;
	const char *f = z->file ? z->file : "?";
	for (size_t i = 0; i < r.nproblems; i++) {
		if (r.problems[i].severity == SSR_ZV_ERROR) {
			char t[32];
			snprintf(t, sizeof t, "type %u", r.problems[i].type);
			rc = ssr_diag_set(diag, SSR_EINVAL, "zone '%s': '%s' %s: %s", f,
			                  r.problems[i].owner, t, r.problems[i].problem);
			break;
		}
	}
	if (rc == SSR_EOK && r.errors > 0) {
		rc = ssr_diag_set(diag, SSR_EINVAL, "zone '%s': %llu problems", f,
		                  (unsigned long long)r.errors);
	}
	ssr_zv_result_release(&r);
	return rc;
}
