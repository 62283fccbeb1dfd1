/* libzone: a zone in memory (zonemem.h): records in canonical order, binary search, and the
 * DNSSEC and ZONEMD checks over it with libdnssec. */
#include <libdnssec/binary.h>
#include <libdnssec/crypto.h>
#include <libdnssec/digest.h>
#include <libdnssec/error.h>
#include <libdnssec/key.h>
#include <libdnssec/sign.h>
#include <libknot/libknot.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/crypto.h"
#include "ssrwatch/zone.h"
#include "ssrwatch/zonemem.h"
#include "zone_priv.h"

#define DEFAULT_MAX_RRS (4u * 1000 * 1000)
#define T_SOA           6
#define T_RRSIG         46
#define T_DNSKEY        48
#define T_ZONEMD        63

/* ---- canonical form -------------------------------------------------------------------------- */

/* The length of the uncompressed wire name at p (at most len bytes); 0 when it is not one. */
static size_t name_len(const uint8_t *p, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint8_t l = p[i];
		if (l == 0) {
			return i + 1;
		}
		if (l > 63 || i + 1 + l > len) {
			return 0;
		}
		i += 1 + l;
	}
	return 0;
}

static void lower_name(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n && p[i] != 0; i += 1 + p[i]) {
		for (size_t j = 1; j <= p[i] && i + j < n; j++) {
			if (p[i + j] >= 'A' && p[i + j] <= 'Z') {
				p[i + j] += 32;
			}
		}
	}
}

/* The RDATA of type in canonical form, in place (RFC 4034 section 6.2, as RFC 6840 5.1
 * corrects it: NSEC's next name keeps its case): the embedded names of the types that have
 * them lowercased. */
void ssr_zmem_canonical_rdata(uint16_t type, uint8_t *rd, size_t len)
{
	size_t off = 0, n;
	switch (type) {
	case 2:
	case 3:
	case 4:
	case 5:
	case 7:
	case 8:
	case 9:
	case 12:
	case 39: /* one name */
		lower_name(rd, len);
		return;
	case 6: /* SOA: two names */
		if ((n = name_len(rd, len)) == 0) {
			return;
		}
		lower_name(rd, n);
		lower_name(rd + n, len - n);
		return;
	case 15:
	case 18:
	case 21:
	case 36:
		off = 2;
		break; /* MX, AFSDB, RT, KX */
	case 33:
		off = 6;
		break; /* SRV */
	case 46:
		off = 18;
		break; /* RRSIG: the signer's name */
	default:
		return;
	}
	if (off < len) {
		lower_name(rd + off, len - off);
	}
}

static int rdata_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	return c != 0 ? c : (al > bl) - (al < bl);
}

static int rr_cmp(const void *pa, const void *pb)
{
	const ssr_zmem_rr_t *x = pa, *y = pb;
	int c = knot_dname_cmp(x->owner, y->owner);
	if (c != 0) {
		return c;
	}
	if (x->type != y->type) {
		return x->type < y->type ? -1 : 1;
	}
	return rdata_cmp(x->rdata, x->rdlen, y->rdata, y->rdlen);
}

/* ---- loading --------------------------------------------------------------------------------- */

static int on_rr(const ssr_zone_rr_t *rr, void *ctx)
{
	ssr_zmem_t *z = ctx;
	if (z->n == z->max_rrs) {
		return ssr_diag_set(z->diag, SSR_ELIMIT, "zone '%s': more than %zu records",
		                    z->file, z->max_rrs);
	}
	if (knot_dname_in_bailiwick(rr->owner, z->apex) < 0) {
		return ssr_diag_set(z->diag, SSR_EPARSE,
		                    "zone '%s' line %llu: a record outside the zone", rr->file,
		                    (unsigned long long)rr->line);
	}
	if (z->n == z->cap) {
		size_t nc = z->cap ? 2 * z->cap : 64;
		ssr_zmem_rr_t *nr = realloc(z->rr, nc * sizeof(*nr));
		if (nr == NULL) {
			return ssr_diag_set(z->diag, SSR_ENOMEM, "zone '%s': out of memory",
			                    z->file);
		}
		z->rr = nr;
		z->cap = nc;
	}
	ssr_zmem_rr_t *r = &z->rr[z->n];
	memset(r, 0, sizeof(*r));
	/* a name's records come together in zone files: one copy of the owner for all of them */
	const ssr_zmem_rr_t *prev = z->n > 0 ? &z->rr[z->n - 1] : NULL;
	if (prev != NULL && knot_dname_size(prev->owner) == rr->owner_len &&
	    memcmp(prev->owner, rr->owner, rr->owner_len) == 0) {
		r->owner = prev->owner;
	} else if ((r->owner = ssr_arena_memdup(&z->arena, rr->owner, rr->owner_len)) == NULL) {
		return ssr_diag_set(z->diag, SSR_ENOMEM, "zone '%s': out of memory", z->file);
	}
	r->type = rr->type;
	r->ttl = rr->ttl;
	r->rdlen = rr->rdata_len;
	if ((r->rdata = ssr_arena_alloc(&z->arena, r->rdlen ? r->rdlen : 1)) == NULL) {
		return ssr_diag_set(z->diag, SSR_ENOMEM, "zone '%s': out of memory", z->file);
	}
	memcpy(r->rdata, rr->rdata, r->rdlen);
	ssr_zmem_canonical_rdata(r->type, r->rdata, r->rdlen);
	if (r->type == T_RRSIG && r->rdlen >= 2) {
		r->covered = (uint16_t)(rr->rdata[0] << 8 | rr->rdata[1]);
		z->is_signed = true;
	}
	z->n++;
	return SSR_EOK;
}

void ssr_zmem_release(ssr_zmem_t *z)
{
	if (z == NULL) {
		return;
	}
	ssr_arena_release(&z->arena);
	free(z->rr);
	z->rr = NULL;
	z->n = z->cap = 0;
}

int ssr_zmem_load(ssr_zmem_t *z, const char *apex, const char *file, size_t max_rrs,
                  ssr_diag_t *diag)
{
	memset(z, 0, sizeof(*z));
	ssr_arena_init(&z->arena, 1 << 20);
	z->file = file;
	z->diag = diag;
	z->max_rrs = max_rrs ? max_rrs : DEFAULT_MAX_RRS;
	if (knot_dname_from_str(z->apex, apex, sizeof z->apex) == NULL) {
		return ssr_diag_set(diag, SSR_EINVAL, "zone '%s': bad zone name '%s'", file, apex);
	}
	knot_dname_to_lower(z->apex);
	ssr_zone_opts_t zo = {.origin = apex, .no_include = true};
	ssr_zone_read_stats_t st;
	int rc = ssr_zone_read(file, &zo, on_rr, z, &st, diag);
	if (rc == SSR_EOK) {
		qsort(z->rr, z->n, sizeof(*z->rr), rr_cmp);
		size_t o = 0; /* duplicates dropped (RFC 2181 5: an RRset holds no duplicate) */
		for (size_t i = 0; i < z->n; i++) {
			if (o > 0 && rr_cmp(&z->rr[o - 1], &z->rr[i]) == 0) {
				continue; /* its bytes stay in the arena until the zone is released
				           */
			}
			z->rr[o++] = z->rr[i];
		}
		z->n = o;
		size_t lo, hi;
		if (!ssr_zmem_rrset(z, z->apex, T_SOA, 0, &lo, &hi) || z->rr[lo].rdlen < 20) {
			rc =
			    ssr_diag_set(diag, SSR_EPARSE, "zone '%s': no SOA at '%s'", file, apex);
		} else {
			const uint8_t *e = z->rr[lo].rdata + z->rr[lo].rdlen - 20;
			z->serial = (uint32_t)e[0] << 24 | (uint32_t)e[1] << 16 |
			            (uint32_t)e[2] << 8 | e[3];
		}
	}
	z->diag = NULL;
	if (rc != SSR_EOK) {
		ssr_zmem_release(z);
	}
	return rc;
}

/* ---- lookups --------------------------------------------------------------------------------- */

size_t ssr_zmem_lower_bound(const ssr_zmem_t *z, const uint8_t *name)
{
	size_t lo = 0, hi = z->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (knot_dname_cmp(z->rr[mid].owner, name) < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

bool ssr_zmem_name_range(const ssr_zmem_t *z, const uint8_t *name, size_t *lo, size_t *hi)
{
	size_t i = ssr_zmem_lower_bound(z, name), j = i;
	while (j < z->n && knot_dname_is_equal(z->rr[j].owner, name)) {
		j++;
	}
	*lo = i;
	*hi = j;
	return j > i;
}

bool ssr_zmem_is_ent(const ssr_zmem_t *z, const uint8_t *name)
{
	size_t i = ssr_zmem_lower_bound(z, name);
	return i < z->n && knot_dname_in_bailiwick(z->rr[i].owner, name) > 0;
}

bool ssr_zmem_has_type(const ssr_zmem_t *z, const uint8_t *name, uint16_t type)
{
	size_t lo, hi;
	return ssr_zmem_rrset(z, name, type, 0, &lo, &hi);
}

bool ssr_zmem_rrset(const ssr_zmem_t *z, const uint8_t *name, uint16_t type, uint16_t covered,
                    size_t *lo, size_t *hi)
{
	size_t a, b;
	*lo = *hi = 0;
	if (!ssr_zmem_name_range(z, name, &a, &b)) {
		return false;
	}
	size_t i = a;
	while (i < b && (z->rr[i].type != type ||
	                 (type == T_RRSIG && covered != 0 && z->rr[i].covered != covered))) {
		i++;
	}
	size_t j = i;
	while (j < b && z->rr[j].type == type &&
	       (type != T_RRSIG || covered == 0 || z->rr[j].covered == covered)) {
		j++;
	}
	*lo = i;
	*hi = j;
	return j > i;
}

/* ---- DNSSEC ---------------------------------------------------------------------------------- */

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* RRs of the set sorted by their (canonical) RDATA, RFC 4034 6.3: pointers, no copies. */
static int crd_cmp(const void *pa, const void *pb)
{
	const ssr_zmem_rdata_t *a = pa, *b = pb;
	return rdata_cmp(a->rdata, a->rdlen, b->rdata, b->rdlen);
}

/* RFC 1982: a before b. */
static bool serial_lt(uint32_t a, uint32_t b)
{
	return a != b && (uint32_t)(b - a) < 0x80000000u;
}

int ssr_zmem_verify_rrset(const uint8_t *owner, uint16_t type, const ssr_zmem_rdata_t *rd, size_t n,
                          const uint8_t *sig, uint16_t siglen, const ssr_zmem_rdata_t *keys,
                          size_t nkeys, int64_t now, ssr_diag_t *diag)
{
	zone_sig_why_t why;
	return zone_rrsig_verify(owner, type, rd, n, sig, siglen, keys, nkeys, NULL, now, &why,
	                         diag);
}

void zone_keys_init(zone_keys_t *ks, const ssr_zmem_rdata_t *keys, size_t nkeys)
{
	memset(ks, 0, sizeof(*ks));
	for (size_t k = 0; k < nkeys && ks->n < 64; k++) {
		dnssec_key_t *key = NULL;
		dnssec_binary_t kb = {.size = keys[k].rdlen, .data = (uint8_t *)keys[k].rdata};
		if (keys[k].rdlen < 4 || dnssec_key_new(&key) != DNSSEC_EOK) {
			continue;
		}
		if (dnssec_key_set_rdata(key, &kb) != DNSSEC_EOK) {
			dnssec_key_free(key); /* not a key this library reads: never matches */
			continue;
		}
		ks->key[ks->n] = key;
		ks->tag[ks->n] = dnssec_key_get_keytag(key);
		ks->alg[ks->n] = keys[k].rdata[3];
		ks->fast[ks->n] = zone_ecdsa_key(keys[k].rdata, keys[k].rdlen);
		ks->n++;
	}
}

void zone_keys_release(zone_keys_t *ks)
{
	for (size_t k = 0; k < ks->n; k++) {
		dnssec_key_free(ks->key[k]);
		zone_ecdsa_free(ks->fast[k]);
	}
	ks->n = 0;
}

int zone_rrsig_verify(const uint8_t *owner, uint16_t type, const ssr_zmem_rdata_t *rd, size_t n,
                      const uint8_t *sig, uint16_t siglen, const ssr_zmem_rdata_t *keys,
                      size_t nkeys, const zone_keys_t *parsed, int64_t now, zone_sig_why_t *why,
                      ssr_diag_t *diag)
{
	*why = ZONE_SIG_MALFORMED;
	char oname[KNOT_DNAME_TXT_MAXLEN + 1] = "?";
	knot_dname_to_str(oname, owner, sizeof oname);
	size_t sn = siglen > 18 ? name_len(sig + 18, siglen - 18u) : 0;
	if (siglen < 18 || sn == 0 || n == 0 || n > 65535) {
		return ssr_diag_set(diag, SSR_EINVAL, "'%s' RRSIG: malformed", oname);
	}
	uint16_t covered = (uint16_t)(sig[0] << 8 | sig[1]),
	         tag = (uint16_t)(sig[16] << 8 | sig[17]);
	uint8_t alg = sig[2], labels = sig[3];
	uint32_t ottl = get32(sig + 4), exp = get32(sig + 8), inc = get32(sig + 12);
	if (covered != type) {
		return ssr_diag_set(diag, SSR_EINVAL, "'%s' RRSIG: covers type %u, not %u", oname,
		                    covered, type);
	}
	uint32_t t = (uint32_t)now;
	if (serial_lt(t, inc)) {
		*why = ZONE_SIG_NOT_YET;
		return ssr_diag_set(diag, SSR_EINVAL, "'%s' RRSIG %u: not yet valid", oname, type);
	}
	if (serial_lt(exp, t)) {
		*why = ZONE_SIG_EXPIRED;
		return ssr_diag_set(diag, SSR_EINVAL, "'%s' RRSIG %u: expired", oname, type);
	}
	/* the owner as signed: lowercased; a wildcard expansion's "*." + its last labels */
	uint8_t lo[KNOT_DNAME_MAXLEN];
	size_t ol = knot_dname_size(owner);
	memcpy(lo, owner, ol);
	knot_dname_to_lower(lo);
	size_t nl = (size_t)knot_dname_labels(lo, NULL);
	const uint8_t *so = lo;
	uint8_t wild[KNOT_DNAME_MAXLEN];
	if (labels > nl) {
		return ssr_diag_set(diag, SSR_EINVAL, "'%s' RRSIG %u: more labels than the owner",
		                    oname, type);
	}
	if (labels < nl) {
		const uint8_t *suf = lo;
		for (size_t i = 0; i < nl - labels; i++) {
			suf += 1 + suf[0];
		}
		wild[0] = 1;
		wild[1] = '*';
		memcpy(wild + 2, suf, knot_dname_size(suf));
		so = wild;
	}
	/* the RDATA is canonical already (the zone is loaded so; answers are made so by the
	 * caller): only its order is needed */
	ssr_zmem_rdata_t stack[64], *c = n <= 64 ? stack : malloc(n * sizeof(*c));
	if (c == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	int rc = SSR_EOK;
	memcpy(c, rd, n * sizeof(*c));
	qsort(c, n, sizeof(*c), crd_cmp);
	zone_buf_t w = {0};
	zone_put(&w, sig, 18);
	uint8_t signer[KNOT_DNAME_MAXLEN];
	memcpy(signer, sig + 18, sn);
	lower_name(signer, sn);
	zone_put(&w, signer, sn);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && crd_cmp(&c[i - 1], &c[i]) == 0) {
			continue;
		}
		zone_put(&w, so, knot_dname_size(so));
		zone_put16(&w, type);
		zone_put16(&w, 1);
		zone_put32(&w, ottl);
		zone_put16(&w, c[i].rdlen);
		zone_put(&w, c[i].rdata, c[i].rdlen);
	}
	if (w.oom) {
		free(w.p);
		rc = ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
		goto out;
	}
	dnssec_binary_t data = {.size = w.n, .data = w.p};
	dnssec_binary_t sv = {.size = siglen - 18u - sn, .data = (uint8_t *)sig + 18 + sn};
	bool keyed = false, ok = false;
	/* the keys parsed once per zone when the caller has them (zone_keys_t), else here */
	zone_keys_t own = {0};
	const zone_keys_t *ks = parsed;
	if (ks == NULL) {
		zone_keys_init(&own, keys, nkeys);
		ks = &own;
	}
	for (size_t k = 0; k < ks->n && !ok; k++) {
		if (ks->alg[k] != alg || ks->tag[k] != tag) {
			continue;
		}
		keyed = true;
		dnssec_sign_ctx_t *ctx = NULL;
		if (ks->fast[k] != NULL) {
			ok = zone_ecdsa_verify(ks->fast[k], alg, w.p, w.n, sv.data, sv.size) == 1;
		} else if (dnssec_sign_new(&ctx, ks->key[k]) == DNSSEC_EOK) {
			ok = dnssec_sign_add(ctx, &data) == DNSSEC_EOK &&
			     dnssec_sign_verify(ctx, false, &sv) == DNSSEC_EOK;
			dnssec_sign_free(ctx);
		}
	}
	zone_keys_release(&own);
	free(w.p);
	*why = !keyed ? ZONE_SIG_NO_KEY : !ok ? ZONE_SIG_BAD : ZONE_SIG_OK;
	if (!keyed) {
		rc = ssr_diag_set(diag, SSR_EINVAL,
		                  "'%s' RRSIG %u: no DNSKEY with tag %u algorithm %u", oname, type,
		                  tag, alg);
	} else if (!ok) {
		rc = ssr_diag_set(diag, SSR_EINVAL, "'%s' RRSIG %u: the signature does not verify",
		                  oname, type);
	}
out:
	if (c != stack) {
		free(c);
	}
	return rc;
}

/* One DS of a trust anchor text: "[OWNER [TTL] [CLASS] DS] TAG ALG DIGEST-TYPE HEX..." (the
 * digest may be split by blanks, as zone files do).  False when the line is not one. */
static bool ds_parse(const char *line, unsigned *tag, unsigned *alg, unsigned *dt, uint8_t *dig,
                     size_t *dl)
{
	char w[16][130];
	int n = 0;
	for (const char *p = line; *p && n < 16;) {
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		if (*p == 0 || *p == ';' || *p == '#') {
			break;
		}
		size_t l = 0;
		while (p[l] && p[l] != ' ' && p[l] != '\t') {
			l++;
		}
		if (l >= sizeof w[0]) {
			return false;
		}
		memcpy(w[n], p, l);
		w[n++][l] = 0;
		p += l;
	}
	int i = 0;
	for (int k = 0; k < n; k++) {
		if (strcmp(w[k], "DS") == 0) {
			i = k + 1;
		}
	}
	if (n - i < 4) {
		return false;
	}
	char *end;
	unsigned long v[3];
	for (int k = 0; k < 3; k++) {
		v[k] = strtoul(w[i + k], &end, 10);
		if (*end != 0 || end == w[i + k] || v[k] > 65535) {
			return false;
		}
	}
	char hex[400] = "";
	size_t hl = 0;
	for (int k = i + 3; k < n; k++) {
		size_t l = strlen(w[k]);
		if (hl + l >= sizeof hex) {
			return false;
		}
		memcpy(hex + hl, w[k], l + 1);
		hl += l;
	}
	*tag = (unsigned)v[0];
	*alg = (unsigned)v[1];
	*dt = (unsigned)v[2];
	return ssr_hex_decode(hex, dig, 64, dl) == SSR_EOK;
}

/* The next DS of the trust anchor text at *cur (skipping blank and comment lines): *got false
 * at the end.  Errors: SSR_EINVAL (a line that is not a DS). */
static int ds_next(const char **cur, unsigned *tag, unsigned *alg, unsigned *dt, uint8_t *dig,
                   size_t *dl, bool *got, ssr_diag_t *diag)
{
	*got = false;
	while (*cur != NULL && **cur) {
		const char *line = *cur, *nl = strchr(line, '\n');
		size_t ll = nl ? (size_t)(nl - line) : strlen(line);
		char buf[1024];
		if (ll >= sizeof buf) {
			return ssr_diag_set(diag, SSR_EINVAL, "trust anchor: a line over 1 KiB");
		}
		memcpy(buf, line, ll);
		buf[ll] = 0;
		*cur = nl ? nl + 1 : NULL;
		if (ds_parse(buf, tag, alg, dt, dig, dl)) {
			*got = true;
			return SSR_EOK;
		}
		size_t lead = strspn(buf, " \t\r");
		if (buf[lead] != 0 && buf[lead] != ';' && buf[lead] != '#') {
			return ssr_diag_set(
			    diag, SSR_EINVAL,
			    "trust anchor '%s': not a DS ('TAG ALGORITHM TYPE HEX')", buf);
		}
	}
	return SSR_EOK;
}

int ssr_zmem_ds_check(const char *ds, unsigned *n, ssr_diag_t *diag)
{
	*n = 0;
	unsigned tag, alg, dt;
	uint8_t dig[64];
	size_t dl;
	bool got = true;
	for (const char *cur = ds; got;) {
		int rc = ds_next(&cur, &tag, &alg, &dt, dig, &dl, &got, diag);
		if (rc != SSR_EOK) {
			return rc;
		}
		*n += got;
	}
	if (*n == 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "trust anchor: no DS record in it");
	}
	return SSR_EOK;
}

/* The DNSKEYs that a DS of the trust anchor (lines of ds; DS digest types 1, 2, 4) matches, into
 * match[] (*nmatch).  Errors: SSR_EINVAL (no DS line in ds, or no key matches). */
int ssr_zmem_ds_matches(const uint8_t *apex, uint16_t tag, uint8_t alg, uint8_t dt,
                        const uint8_t *digest, size_t dlen, const ssr_zmem_rdata_t *key)
{
	dnssec_key_digest_t kd = dt == 1   ? DNSSEC_KEY_DIGEST_SHA1
	                         : dt == 2 ? DNSSEC_KEY_DIGEST_SHA256
	                         : dt == 4 ? DNSSEC_KEY_DIGEST_SHA384
	                                   : DNSSEC_KEY_DIGEST_INVALID;
	if (kd == DNSSEC_KEY_DIGEST_INVALID) {
		return -1;
	}
	dnssec_key_t *k = NULL;
	dnssec_binary_t kb = {.size = key->rdlen, .data = (uint8_t *)key->rdata};
	dnssec_binary_t out = {0};
	bool hit = false;
	if (dnssec_key_new(&k) == DNSSEC_EOK && dnssec_key_set_rdata(k, &kb) == DNSSEC_EOK &&
	    dnssec_key_set_dname(k, apex) == DNSSEC_EOK && dnssec_key_get_keytag(k) == tag &&
	    dnssec_key_get_algorithm(k) == alg && dnssec_key_create_ds(k, kd, &out) == DNSSEC_EOK &&
	    out.size == 4 + dlen) {
		hit = memcmp(out.data + 4, digest, dlen) == 0;
	}
	dnssec_binary_free(&out);
	dnssec_key_free(k);
	return hit ? 1 : 0;
}

int zone_ds_match(const ssr_zmem_t *z, const char *ds, const ssr_zmem_rdata_t *keys, size_t nkeys,
                  ssr_zmem_rdata_t *match, size_t *nmatch, ssr_diag_t *diag)
{
	*nmatch = 0;
	unsigned nds = 0;
	bool got = true;
	for (const char *cur = ds; got;) {
		unsigned tag, alg, dt;
		uint8_t want[64];
		size_t wl;
		int rc = ds_next(&cur, &tag, &alg, &dt, want, &wl, &got, diag);
		if (rc != SSR_EOK) {
			return rc;
		}
		if (!got) {
			break;
		}
		nds++;
		for (size_t k = 0; k < nkeys; k++) {
			int m = ssr_zmem_ds_matches(z->apex, (uint16_t)tag, (uint8_t)alg,
			                            (uint8_t)dt, want, wl, &keys[k]);
			if (m < 0) {
				break; /* a digest type not known: that DS cannot be used (RFC 4035
				        * 5.2) */
			}
			bool hit = m == 1;
			bool dup = false;
			for (size_t j = 0; hit && j < *nmatch; j++) {
				dup |= match[j].rdata == keys[k].rdata;
			}
			if (hit && !dup && *nmatch < 64) {
				match[(*nmatch)++] = keys[k];
			}
		}
	}
	if (nds == 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "trust anchor: no DS record in it");
	}
	if (*nmatch == 0) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "no DNSKEY matches a DS of the trust anchor (%u DS)", nds);
	}
	return SSR_EOK;
}
