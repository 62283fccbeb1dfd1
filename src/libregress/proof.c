/* libregress: checking the DNSSEC denial proofs an authoritative answer carries (RFC 4035 3.1.3,
 * RFC 5155 7.2): NXDOMAIN (the name and the wildcard at its closest encloser denied), NODATA
 * (the name's NSEC/NSEC3 without the type or CNAME), a wildcard expansion (no closer match), a
 * delegation without DS.  NSEC or NSEC3, whichever the authority section holds; NSEC3 hashes by
 * libdnssec.  The signatures themselves are not verified here: that the proof is there and
 * proves what it must is. */
#include <libdnssec/binary.h>
#include <libdnssec/error.h>
#include <libdnssec/nsec.h>
#include <libknot/libknot.h>
#include <stdio.h>
#include <string.h>

#include "ssrwatch/crypto.h"
#include "ssrwatch/regress.h"

#define MAXP 32

typedef struct {
	const knot_rrset_t *nsec[MAXP], *nsec3[MAXP];
	int nn, nn3;
	dnssec_nsec3_params_t p3; /* from the first NSEC3 */
	bool have_p3;
} proofs_t;

static void lower(const uint8_t *in, uint8_t *out)
{
	memcpy(out, in, knot_dname_size(in));
	knot_dname_to_lower(out);
}

static int cmp(const uint8_t *a, const uint8_t *b)
{
	uint8_t x[KNOT_DNAME_MAXLEN], y[KNOT_DNAME_MAXLEN];
	lower(a, x);
	lower(b, y);
	return knot_dname_cmp(x, y);
}

/* name with its first k labels taken off. */
static const uint8_t *strip(const uint8_t *name, int k)
{
	for (int i = 0; i < k && name[0] != 0; i++) {
		name += name[0] + 1;
	}
	return name;
}

/* "*." + name into out. */
static bool wildcard_of(const uint8_t *name, uint8_t *out)
{
	size_t l = knot_dname_size(name);
	if (l + 2 > KNOT_DNAME_MAXLEN) {
		return false;
	}
	out[0] = 1;
	out[1] = '*';
	memcpy(out + 2, name, l);
	return true;
}

/* ---- NSEC ---------------------------------------------------------------------------------- */

static bool nsec_covers(const knot_rrset_t *rr, const uint8_t *name)
{
	const knot_rdata_t *rd = knot_rdataset_at(&rr->rrs, 0);
	const uint8_t *next = knot_nsec_next(rd);
	return cmp(rr->owner, name) < 0 && (cmp(name, next) < 0 || cmp(next, rr->owner) <= 0);
}

static const knot_rrset_t *nsec_match(const proofs_t *p, const uint8_t *name)
{
	for (int i = 0; i < p->nn; i++) {
		if (cmp(p->nsec[i]->owner, name) == 0) {
			return p->nsec[i];
		}
	}
	return NULL;
}

static const knot_rrset_t *nsec_cover(const proofs_t *p, const uint8_t *name)
{
	for (int i = 0; i < p->nn; i++) {
		if (nsec_covers(p->nsec[i], name)) {
			return p->nsec[i];
		}
	}
	return NULL;
}

static bool nsec_has(const knot_rrset_t *rr, uint16_t type)
{
	const knot_rdata_t *rd = knot_rdataset_at(&rr->rrs, 0);
	return dnssec_nsec_bitmap_contains(knot_nsec_bitmap(rd), knot_nsec_bitmap_len(rd), type);
}

/* ---- NSEC3 --------------------------------------------------------------------------------- */

/* An NSEC3 RDATA whose lengths hold together (libknot's parser does not look inside): the
 * salt, a hash of 1 to 64 bytes, the bitmap after them. */
static bool nsec3_ok(const knot_rdata_t *rd)
{
	if (rd == NULL || rd->len < 6) {
		return false;
	}
	size_t sl = rd->data[4];
	if (rd->len < 6 + sl) {
		return false;
	}
	size_t hl = rd->data[5 + sl];
	return hl >= 1 && hl <= 64 && rd->len >= 6 + sl + hl;
}

/* An NSEC RDATA whose next name is a whole name inside it (the bitmap after it). */
static bool nsec_ok(const knot_rdata_t *rd)
{
	return rd != NULL && rd->len > 0 &&
	       knot_dname_wire_check(rd->data, rd->data + rd->len, NULL) > 0;
}

/* An RRSIG RDATA with its fixed fields (type covered, labels, ...: 18 bytes). */
static bool rrsig_ok(const knot_rdata_t *rd)
{
	return rd != NULL && rd->len >= 18;
}

/* The hash in an NSEC3 owner's first label (base32hex) into out; its length, 0 when it is not
 * one. */
static size_t owner_hash(const uint8_t *owner, uint8_t *out, size_t cap)
{
	return ssr_base32hex_decode((const char *)owner + 1, owner[0], out, cap);
}

static bool hash_of(const proofs_t *p, const uint8_t *name, uint8_t *out, size_t *len)
{
	uint8_t l[KNOT_DNAME_MAXLEN];
	lower(name, l);
	dnssec_binary_t data = {.size = knot_dname_size(l), .data = l}, h = {0};
	if (dnssec_nsec3_hash(&data, &p->p3, &h) != DNSSEC_EOK || h.size > 64) {
		dnssec_binary_free(&h);
		return false;
	}
	memcpy(out, h.data, h.size);
	*len = h.size;
	dnssec_binary_free(&h);
	return true;
}

static int hcmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	return c != 0 ? c : (al > bl) - (al < bl);
}

/* The NSEC3 that matches (exact) or covers name's hash. */
static const knot_rrset_t *nsec3_find(const proofs_t *p, const uint8_t *name, bool exact)
{
	uint8_t h[64], o[64];
	size_t hl;
	if (!p->have_p3 || !hash_of(p, name, h, &hl)) {
		return NULL;
	}
	for (int i = 0; i < p->nn3; i++) {
		const knot_rrset_t *rr = p->nsec3[i];
		const knot_rdata_t *rd = knot_rdataset_at(&rr->rrs, 0);
		size_t ol = owner_hash(rr->owner, o, sizeof o);
		const uint8_t *nx = knot_nsec3_next(rd);
		size_t nl = knot_nsec3_next_len(rd);
		if (ol == 0) {
			continue;
		}
		if (exact && hcmp(o, ol, h, hl) == 0) {
			return rr;
		}
		if (!exact && hcmp(o, ol, h, hl) < 0 &&
		    (hcmp(h, hl, nx, nl) < 0 || hcmp(nx, nl, o, ol) <= 0)) {
			return rr;
		}
	}
	return NULL;
}

static bool nsec3_has(const knot_rrset_t *rr, uint16_t type)
{
	const knot_rdata_t *rd = knot_rdataset_at(&rr->rrs, 0);
	return dnssec_nsec_bitmap_contains(knot_nsec3_bitmap(rd), knot_nsec3_bitmap_len(rd), type);
}

/* The closest encloser proof (RFC 5155 7.2.1): *ce the closest provable encloser, *nc the next
 * closer name; false when none. */
static bool nsec3_encloser(const proofs_t *p, const uint8_t *qname, const uint8_t **ce,
                           const uint8_t **nc)
{
	int labels = knot_dname_labels(qname, NULL);
	for (int k = 1; k <= labels; k++) {
		const uint8_t *anc = strip(qname, k);
		if (nsec3_find(p, anc, true) != NULL) {
			*ce = anc;
			*nc = strip(qname, k - 1);
			return true;
		}
	}
	return false;
}

/* ---- the checks ---------------------------------------------------------------------------- */

/* Every NSEC and NSEC3 of the authority section with its RRSIG beside it (an unsigned denial
 * proves nothing to a validator). */
static bool all_signed(const knot_pkt_t *pkt, const proofs_t *p, char *why, size_t cap)
{
	const knot_pktsection_t *au = knot_pkt_section(pkt, KNOT_AUTHORITY);
	for (int i = 0; i < p->nn + p->nn3; i++) {
		const knot_rrset_t *rr = i < p->nn ? p->nsec[i] : p->nsec3[i - p->nn];
		bool sig = false;
		for (uint16_t k = 0; k < au->count && !sig; k++) {
			const knot_rrset_t *s = knot_pkt_rr(au, k);
			sig = s->type == KNOT_RRTYPE_RRSIG && cmp(s->owner, rr->owner) == 0 &&
			      rrsig_ok(knot_rdataset_at(&s->rrs, 0)) &&
			      knot_rrsig_type_covered(knot_rdataset_at(&s->rrs, 0)) == rr->type;
		}
		if (!sig) {
			snprintf(why, cap, "an %s without its RRSIG",
			         rr->type == KNOT_RRTYPE_NSEC ? "NSEC" : "NSEC3");
			return false;
		}
	}
	return true;
}

static bool fail(char *why, size_t cap, const char *msg)
{
	snprintf(why, cap, "%s", msg);
	return false;
}

static bool check(ssr_regress_proof_t kind, const knot_pkt_t *pkt, const proofs_t *p,
                  const uint8_t *qname, uint16_t qtype, char *why, size_t cap)
{
	bool n3 = p->nn3 > 0;
	if (p->nn == 0 && p->nn3 == 0) {
		return fail(why, cap, "no NSEC or NSEC3 in the authority section");
	}
	uint8_t wild[KNOT_DNAME_MAXLEN];
	switch (kind) {
	case SSR_PROOF_NXDOMAIN: {
		if (n3) {
			const uint8_t *ce = NULL, *nc = NULL;
			if (!nsec3_encloser(p, qname, &ce, &nc)) {
				return fail(why, cap, "no NSEC3 matches a closest encloser");
			}
			if (nsec3_find(p, nc, false) == NULL) {
				return fail(why, cap, "no NSEC3 covers the next closer name");
			}
			if (!wildcard_of(ce, wild) || nsec3_find(p, wild, false) == NULL) {
				return fail(why, cap,
				            "no NSEC3 covers the wildcard at the closest encloser");
			}
			return true;
		}
		const knot_rrset_t *c = nsec_cover(p, qname);
		if (c == NULL) {
			return fail(why, cap, "no NSEC covers the name");
		}
		const knot_rdata_t *rd = knot_rdataset_at(&c->rrs, 0);
		size_t a = knot_dname_matched_labels(qname, c->owner);
		size_t b = knot_dname_matched_labels(qname, knot_nsec_next(rd));
		int labels = knot_dname_labels(qname, NULL);
		const uint8_t *ce = strip(qname, labels - (int)(a > b ? a : b));
		if (!wildcard_of(ce, wild) || (nsec_cover(p, wild) == NULL)) {
			return fail(why, cap,
			            "no NSEC covers the wildcard at the closest encloser");
		}
		return true;
	}
	case SSR_PROOF_NODATA: {
		const knot_rrset_t *m = n3 ? nsec3_find(p, qname, true) : nsec_match(p, qname);
		if (m == NULL && !n3) {
			/* an empty non-terminal: the covering NSEC's next name is below it */
			const knot_rrset_t *c = nsec_cover(p, qname);
			if (c != NULL &&
			    knot_dname_in_bailiwick(knot_nsec_next(knot_rdataset_at(&c->rrs, 0)),
			                            qname) > 0) {
				return true;
			}
		}
		if (m == NULL) {
			return fail(why, cap,
			            n3 ? "no NSEC3 matches the name" : "no NSEC of the name");
		}
		bool has_t = n3 ? nsec3_has(m, qtype) : nsec_has(m, qtype);
		bool has_c = n3 ? nsec3_has(m, KNOT_RRTYPE_CNAME) : nsec_has(m, KNOT_RRTYPE_CNAME);
		if (has_t || has_c) {
			return fail(why, cap, "the name's NSEC/NSEC3 lists the type or CNAME");
		}
		return true;
	}
	case SSR_PROOF_WILDCARD: {
		/* the expansion's RRSIG says how many labels the wildcard's owner had */
		const knot_pktsection_t *an = knot_pkt_section(pkt, KNOT_ANSWER);
		int labels = knot_dname_labels(qname, NULL), sig = -1;
		for (uint16_t i = 0; i < an->count; i++) {
			const knot_rrset_t *rr = knot_pkt_rr(an, i);
			if (rr->type == KNOT_RRTYPE_RRSIG &&
			    rrsig_ok(knot_rdataset_at(&rr->rrs, 0))) {
				sig = knot_rrsig_labels(knot_rdataset_at(&rr->rrs, 0));
			}
		}
		if (sig < 0 || sig >= labels) {
			return fail(why, cap, "the answer is no signed wildcard expansion");
		}
		const uint8_t *nc = strip(qname, labels - sig - 1);
		if (n3 ? nsec3_find(p, nc, false) == NULL : nsec_cover(p, qname) == NULL) {
			return fail(why, cap, "no NSEC/NSEC3 denies a closer match");
		}
		return true;
	}
	case SSR_PROOF_NODS: {
		const knot_pktsection_t *au = knot_pkt_section(pkt, KNOT_AUTHORITY);
		const uint8_t *cut = NULL;
		for (uint16_t i = 0; i < au->count; i++) {
			if (knot_pkt_rr(au, i)->type == KNOT_RRTYPE_NS) {
				cut = knot_pkt_rr(au, i)->owner;
			}
		}
		if (cut == NULL) {
			return fail(why, cap, "no NS RRset: not a referral");
		}
		const knot_rrset_t *m = n3 ? nsec3_find(p, cut, true) : nsec_match(p, cut);
		if (m == NULL) {
			return fail(why, cap, "no NSEC/NSEC3 of the delegation");
		}
		bool ns = n3 ? nsec3_has(m, KNOT_RRTYPE_NS) : nsec_has(m, KNOT_RRTYPE_NS);
		bool ds = n3 ? nsec3_has(m, KNOT_RRTYPE_DS) : nsec_has(m, KNOT_RRTYPE_DS);
		bool soa = n3 ? nsec3_has(m, KNOT_RRTYPE_SOA) : nsec_has(m, KNOT_RRTYPE_SOA);
		if (!ns || ds || soa) {
			return fail(why, cap,
			            "the delegation's NSEC/NSEC3 does not show NS without DS");
		}
		return true;
	}
	default:
		return true;
	}
}

bool ssr_regress_proof_check(ssr_regress_proof_t kind, const uint8_t *query, size_t qlen,
                             const uint8_t *resp, size_t rlen, char *why, size_t cap)
{
	why[0] = '\0';
	if (kind == SSR_PROOF_NONE) {
		return true;
	}
	knot_pkt_t *q = knot_pkt_new((void *)query, qlen, NULL);
	knot_pkt_t *r = knot_pkt_new((void *)resp, rlen, NULL);
	bool ok = false;
	if (q == NULL || r == NULL || knot_pkt_parse(q, 0) != KNOT_EOK ||
	    knot_pkt_parse(r, 0) != KNOT_EOK || knot_pkt_qname(q) == NULL) {
		snprintf(why, cap, "the query or the answer does not parse");
	} else {
		proofs_t p = {0};
		const knot_pktsection_t *au = knot_pkt_section(r, KNOT_AUTHORITY);
		for (uint16_t i = 0; i < au->count; i++) {
			const knot_rrset_t *rr = knot_pkt_rr(au, i);
			if (rr->type == KNOT_RRTYPE_NSEC && p.nn < MAXP &&
			    nsec_ok(knot_rdataset_at(&rr->rrs, 0))) {
				p.nsec[p.nn++] = rr;
			} else if (rr->type == KNOT_RRTYPE_NSEC3 && p.nn3 < MAXP &&
			           nsec3_ok(knot_rdataset_at(&rr->rrs, 0))) {
				p.nsec3[p.nn3++] = rr;
				if (!p.have_p3) {
					const knot_rdata_t *rd = knot_rdataset_at(&rr->rrs, 0);
					p.p3.algorithm = knot_nsec3_alg(rd);
					p.p3.iterations = knot_nsec3_iters(rd);
					p.p3.salt.size = knot_nsec3_salt_len(rd);
					p.p3.salt.data = (uint8_t *)knot_nsec3_salt(rd);
					p.have_p3 = true;
				}
			}
		}
		uint8_t qn[KNOT_DNAME_MAXLEN];
		lower(knot_pkt_qname(q), qn);
		ok = check(kind, r, &p, qn, knot_pkt_qtype(q), why, cap) &&
		     all_signed(r, &p, why, cap);
	}
	knot_pkt_free(q);
	knot_pkt_free(r);
	return ok;
}

const char *ssr_regress_proof_name(ssr_regress_proof_t kind)
{
	static const char *const n[] = {"none", "nxdomain", "nodata", "wildcard", "nods"};
	return (unsigned)kind < sizeof n / sizeof n[0] ? n[kind] : "?";
}
