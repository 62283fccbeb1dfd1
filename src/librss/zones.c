/* librss: the root zones a vantage point checks answers against, and the correctness rules of
 * RSSAC047 section 5.3 (v2).  A zone is kept only when it verifies (DNSSEC with the trust
 * anchor, ZONEMD where present); an answer is tried against the zones in use in the 48 hours
 * before it, newest first, until one shows it correct. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <libdnssec/nsec.h>
#include <libknot/libknot.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "rss_priv.h"
#include "ssrwatch/probe.h"
#include "ssrwatch/zonemem.h"

#define WINDOW_US (48LL * 3600 * 1000000) /* RSSAC047 [yhu] */
#define MAX_ZONES 64
#define MAX_TRIED 4096
#define MAX_SETS  128
#define MAX_RDATA 64

typedef struct {
	ssr_zmem_t z;
	int64_t first_us;
} kept_t;

struct ssr_rss_zones {
	char *ds;
	ssr_log_t *log;
	kept_t zones[MAX_ZONES]; /* by first_us, oldest first */
	size_t n;
	char *tried[MAX_TRIED];
	size_t ntried;
	/* the positive questions of the newest zone */
	uint32_t q_serial;
	bool q_valid, q_arpa;
	struct {
		uint8_t name[KNOT_DNAME_MAXLEN];
		uint16_t type;
	} * q;
	size_t nq;
};

static const char *const reason_names[SSR_RSS_R_COUNT] = {
    "ok",     "malformed", "aa",         "rrset", "signature", "unsigned",
    "answer", "authority", "additional", "nsec",  "glue",      "unexpected"};

const char *ssr_rss_reason_name(int reason)
{
	return reason >= 0 && reason < SSR_RSS_R_COUNT ? reason_names[reason] : "?";
}

int ssr_rss_zones_new(const char *ds, ssr_log_t *log, ssr_rss_zones_t **out, ssr_diag_t *diag)
{
	unsigned nds;
	if (ds != NULL && ssr_zmem_ds_check(ds, &nds, diag) != SSR_EOK) {
		return SSR_EINVAL; /* a trust anchor that cannot be read: nothing would verify */
	}
	ssr_rss_zones_t *z = calloc(1, sizeof(*z));
	if (z == NULL || (ds != NULL && (z->ds = strdup(ds)) == NULL)) {
		free(z);
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	z->log = log;
	*out = z;
	return SSR_EOK;
}

void ssr_rss_zones_free(ssr_rss_zones_t *z)
{
	if (z == NULL) {
		return;
	}
	for (size_t i = 0; i < z->n; i++) {
		ssr_zmem_release(&z->zones[i].z);
	}
	for (size_t i = 0; i < z->ntried; i++) {
		free(z->tried[i]);
	}
	free(z->q);
	free(z->ds);
	free(z);
}

size_t ssr_rss_zones_count(const ssr_rss_zones_t *z)
{
	return z->n;
}

bool ssr_rss_zones_newest(const ssr_rss_zones_t *z, uint32_t *serial)
{
	if (z->n == 0) {
		return false;
	}
	*serial = z->zones[z->n - 1].z.serial;
	return true;
}

/* Zones no longer needed at now: all but those first seen in the window and the one in use
 * when it began (RSSAC047 [ooy]: every zone published is kept while it can matter). */
static void expire(ssr_rss_zones_t *z, int64_t now_us)
{
	size_t drop = 0;
	while (drop + 1 < z->n && z->zones[drop + 1].first_us < now_us - WINDOW_US) {
		drop++;
	}
	for (size_t i = 0; i < drop; i++) {
		ssr_zmem_release(&z->zones[i].z);
	}
	memmove(z->zones, z->zones + drop, (z->n - drop) * sizeof(*z->zones));
	z->n -= drop;
}

int ssr_rss_zones_add(ssr_rss_zones_t *z, const char *file, int64_t now_us, bool *added,
                      ssr_diag_t *diag)
{
	*added = false;
	kept_t k = {.first_us = now_us};
	int rc = ssr_zmem_load(&k.z, ".", file, 0, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	for (size_t i = 0; i < z->n; i++) {
		if (z->zones[i].z.serial == k.z.serial) {
			ssr_zmem_release(&k.z);
			return SSR_EOK;
		}
	}
	bool zonemd;
	/* never used for correctness unless it verifies */
	if ((rc = ssr_zmem_verify_zone(&k.z, z->ds, now_us / 1000000, &zonemd, diag)) != SSR_EOK) {
		ssr_zmem_release(&k.z);
		return rc;
	}
	expire(z, now_us);
	if (z->n == MAX_ZONES) {
		ssr_zmem_release(&z->zones[0].z);
		memmove(z->zones, z->zones + 1, (z->n - 1) * sizeof(*z->zones));
		z->n--;
	}
	z->zones[z->n++] = k;
	*added = true;
	ssr_log(z->log, SSR_LOG_INFO, "rss", "root zone serial %u from '%s' (%s)", k.z.serial, file,
	        zonemd ? "DNSSEC and ZONEMD verified" : "DNSSEC verified, no ZONEMD");
	return SSR_EOK;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ssr_rss_zones_scan(ssr_rss_zones_t *z, const char *dir, int64_t now_us, ssr_diag_t *diag)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		return ssr_diag_set(diag, errno == ENOENT ? SSR_ENOTFOUND : SSR_EIO,
		                    "zone directory '%s': %s", dir, strerror(errno));
	}
	char *names[MAX_TRIED];
	size_t nn = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && nn < MAX_TRIED) {
		size_t l = strlen(e->d_name);
		if (l > 5 && strcmp(e->d_name + l - 5, ".zone") == 0 && e->d_name[0] != '.') {
			names[nn] = strdup(e->d_name);
			if (names[nn] != NULL) {
				nn++;
			}
		}
	}
	closedir(d);
	qsort(names, nn, sizeof(*names), str_cmp);
	int rc = SSR_EOK;
	for (size_t i = 0; i < nn; i++) {
		bool seen = false;
		for (size_t j = 0; j < z->ntried && !seen; j++) {
			seen = strcmp(z->tried[j], names[i]) == 0;
		}
		if (seen || z->ntried == MAX_TRIED) {
			free(names[i]);
			continue;
		}
		z->tried[z->ntried++] = names[i];
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		bool added;
		ssr_diag_t d2 = {0};
		int r = ssr_rss_zones_add(z, path, now_us, &added, &d2);
		if (r == SSR_ENOMEM) {
			rc = ssr_diag_set(diag, r, "%s", d2.msg);
		} else if (r != SSR_EOK) { /* reported, never used */
			ssr_log(z->log, SSR_LOG_ERROR, "rss", "root zone not used: %s", d2.msg);
		}
	}
	return rc;
}

/* ---- the questions ----------------------------------------------------------------------------
 */

static int build_questions(ssr_rss_zones_t *z, bool arpa_ns)
{
	const ssr_zmem_t *zz = &z->zones[z->n - 1].z;
	size_t cap = 3;
	for (size_t i = 0; i < zz->n; i++) {
		cap += knot_dname_labels(zz->rr[i].owner, NULL) == 1 &&
		       (zz->rr[i].type == KNOT_RRTYPE_NS || zz->rr[i].type == KNOT_RRTYPE_DS);
	}
	free(z->q);
	z->q = calloc(cap, sizeof(*z->q));
	if (z->q == NULL) {
		z->nq = 0;
		z->q_valid = false;
		return SSR_ENOMEM;
	}
	z->nq = 0;
	/* RSSAC047 [mow] [njh] [hmc] [xca]: from the newest verified zone */
	static const uint16_t apex[3] = {KNOT_RRTYPE_SOA, KNOT_RRTYPE_DNSKEY, KNOT_RRTYPE_NS};
	for (int i = 0; i < 3; i++) {
		z->q[z->nq].name[0] = 0;
		z->q[z->nq++].type = apex[i];
	}
	static const uint8_t arpa[] = "\x04"
	                              "arpa";
	for (size_t i = 0; i < zz->n; i++) {
		const ssr_zmem_rr_t *r = &zz->rr[i];
		if (knot_dname_labels(r->owner, NULL) != 1 ||
		    (r->type != KNOT_RRTYPE_NS && r->type != KNOT_RRTYPE_DS) ||
		    (i > 0 && zz->rr[i - 1].type == r->type &&
		     knot_dname_is_equal(zz->rr[i - 1].owner, r->owner))) {
			continue;
		}
		/* RSSAC047 [unt]: ARPA/NS is authoritative data at RSIs that serve ARPA */
		if (r->type == KNOT_RRTYPE_NS && !arpa_ns && knot_dname_is_equal(r->owner, arpa)) {
			continue;
		}
		memcpy(z->q[z->nq].name, r->owner, knot_dname_size(r->owner));
		z->q[z->nq++].type = r->type; /* RSSAC047 [max] [kmd] */
	}
	z->q_serial = zz->serial;
	z->q_arpa = arpa_ns;
	z->q_valid = true;
	return SSR_EOK;
}

int ssr_rss_zones_question(const ssr_rss_zones_t *zc, bool arpa_ns, size_t i, char *qname,
                           size_t cap, uint16_t *qtype, size_t *n)
{
	ssr_rss_zones_t *z = (ssr_rss_zones_t *)zc;
	*n = 0;
	if (z->n == 0) {
		return SSR_ENOTFOUND;
	}
	if (!z->q_valid || z->q_serial != z->zones[z->n - 1].z.serial || z->q_arpa != arpa_ns) {
		if (build_questions(z, arpa_ns) != SSR_EOK) {
			return SSR_ENOMEM;
		}
	}
	*n = z->nq;
	if (i >= z->nq) {
		return SSR_EINVAL;
	}
	if (knot_dname_to_str(qname, z->q[i].name, cap) == NULL) {
		return SSR_ELIMIT;
	}
	*qtype = z->q[i].type;
	return SSR_EOK;
}

/* ---- checking an answer -----------------------------------------------------------------------
 */

/* The records of a response grouped into RRsets per section. */
typedef struct {
	uint8_t owner[KNOT_DNAME_MAXLEN];
	uint16_t type, covered;
	int section;
	ssr_zmem_rdata_t rd[MAX_RDATA];
	uint8_t *own[MAX_RDATA]; /* canonical copies */
	size_t n;
} rset_t;

typedef struct {
	rset_t *s;
	size_t n;
	const knot_dname_t *qname;
	uint16_t qtype, rcode;
	bool aa;
	size_t count[4]; /* RRsets per section, the OPT left out */
} resp_t;

static void resp_free(resp_t *r)
{
	for (size_t i = 0; i < r->n; i++) {
		for (size_t j = 0; j < r->s[i].n; j++) {
			free(r->s[i].own[j]);
		}
	}
	free(r->s);
}

static rset_t *find_set(resp_t *r, int sec, const uint8_t *owner, uint16_t type, uint16_t covered)
{
	for (size_t i = 0; i < r->n; i++) {
		rset_t *s = &r->s[i];
		if (s->section == sec && s->type == type && s->covered == covered &&
		    knot_dname_is_equal(s->owner, owner)) {
			return s;
		}
	}
	return NULL;
}

/* Group the parsed packet; false on a response too odd to hold (too many sets or records). */
static int group(knot_pkt_t *pkt, resp_t *r)
{
	r->s = calloc(MAX_SETS, sizeof(*r->s));
	if (r->s == NULL) {
		return SSR_ENOMEM;
	}
	static const int secs[3] = {KNOT_ANSWER, KNOT_AUTHORITY, KNOT_ADDITIONAL};
	for (int si = 0; si < 3; si++) {
		const knot_pktsection_t *sec = knot_pkt_section(pkt, secs[si]);
		for (uint16_t i = 0; i < sec->count; i++) {
			const knot_rrset_t *rr = knot_pkt_rr(sec, i);
			if (rr->type == KNOT_RRTYPE_OPT) {
				continue; /* RSSAC047 [pvz] */
			}
			uint8_t owner[KNOT_DNAME_MAXLEN];
			memcpy(owner, rr->owner, knot_dname_size(rr->owner));
			knot_dname_to_lower(owner);
			knot_rdata_t *rd = rr->rrs.rdata;
			for (uint16_t j = 0; j < rr->rrs.count; j++, rd = knot_rdataset_next(rd)) {
				uint16_t cov = 0;
				if (rr->type == KNOT_RRTYPE_RRSIG && rd->len >= 2) {
					cov = (uint16_t)(rd->data[0] << 8 | rd->data[1]);
				}
				rset_t *s = find_set(r, si + 1, owner, rr->type, cov);
				if (s == NULL) {
					if (r->n == MAX_SETS) {
						return SSR_ELIMIT;
					}
					s = &r->s[r->n++];
					memcpy(s->owner, owner, sizeof owner);
					s->type = rr->type;
					s->covered = cov;
					s->section = si + 1;
					r->count[si + 1]++;
				}
				if (s->n == MAX_RDATA) {
					return SSR_ELIMIT;
				}
				if ((s->own[s->n] = malloc(rd->len ? rd->len : 1)) == NULL) {
					return SSR_ENOMEM;
				}
				memcpy(s->own[s->n], rd->data, rd->len);
				ssr_zmem_canonical_rdata(rr->type, s->own[s->n], rd->len);
				s->rd[s->n] = (ssr_zmem_rdata_t){s->own[s->n], rd->len};
				s->n++;
			}
		}
	}
	return SSR_EOK;
}

/* The response's RRset s equals the zone's [lo, hi) (the response's rdata was put in
 * canonical form when grouped, as the zone's was when loaded). */
static bool rdata_equal_set(const ssr_zmem_t *z, size_t lo, size_t hi, const rset_t *s)
{
	if (hi - lo != s->n) {
		return false; /* an RRset holds no duplicate: the counts must agree */
	}
	for (size_t i = 0; i < s->n; i++) {
		bool found = false;
		for (size_t j = lo; j < hi && !found; j++) {
			found = z->rr[j].rdlen == s->rd[i].rdlen &&
			        memcmp(z->rr[j].rdata, s->rd[i].rdata, s->rd[i].rdlen) == 0;
		}
		if (!found) {
			return false;
		}
	}
	return true;
}

typedef struct {
	const ssr_zmem_t *z;
	resp_t *r;
	int64_t now_s;
	ssr_zmem_rdata_t keys[64];
	size_t nkeys;
} ctx_t;

/* RSSAC047 [vnk] [yds]: every RRset of the three sections is the zone's, every RRSIG that
 * covers one of them validates with the zone's DNSKEY RRset. */
static ssr_rss_reason_t match_all(ctx_t *c)
{
	for (size_t i = 0; i < c->r->n; i++) {
		const rset_t *s = &c->r->s[i];
		if (s->type == KNOT_RRTYPE_RRSIG) {
			continue; /* RSSAC047 [ygx]: checked with what they cover, not matched */
		}
		size_t lo, hi;
		if (!ssr_zmem_rrset(c->z, s->owner, s->type, 0, &lo, &hi) ||
		    !rdata_equal_set(c->z, lo, hi, s)) {
			return SSR_RSS_R_RRSET;
		}
		const rset_t *sig =
		    find_set(c->r, s->section, s->owner, KNOT_RRTYPE_RRSIG, s->type);
		for (size_t j = 0; sig != NULL && j < sig->n; j++) {
			ssr_diag_t d = {0};
			if (ssr_zmem_verify_rrset(s->owner, s->type, s->rd, s->n, sig->rd[j].rdata,
			                          sig->rd[j].rdlen, c->keys, c->nkeys, c->now_s,
			                          &d) != SSR_EOK) {
				return SSR_RSS_R_SIGNATURE;
			}
		}
	}
	return SSR_RSS_R_OK;
}

/* The set of owner/type in section, signed (an RRSIG covering it in the same section). */
static bool has_signed(ctx_t *c, int sec, const uint8_t *owner, uint16_t type)
{
	return find_set(c->r, sec, owner, type, 0) != NULL &&
	       find_set(c->r, sec, owner, KNOT_RRTYPE_RRSIG, type) != NULL;
}

/* The NSEC's type bitmap (after its next name) holds type (libdnssec reads the bitmap). */
static bool nsec_has_type(const rset_t *s, uint16_t type)
{
	if (s->n != 1) {
		return false;
	}
	const uint8_t *rd = s->rd[0].rdata;
	size_t len = s->rd[0].rdlen, nl = 0;
	while (nl < len && rd[nl] != 0) {
		nl += 1 + rd[nl];
	}
	nl++;
	if (nl > len) {
		return false;
	}
	return dnssec_nsec_bitmap_contains(rd + nl, (uint16_t)(len - nl), type);
}

/* The next name of an NSEC record (uncompressed wire name), lowercased into out. */
static bool nsec_next(const rset_t *s, uint8_t *out)
{
	if (s->n != 1) {
		return false;
	}
	const uint8_t *rd = s->rd[0].rdata;
	size_t len = s->rd[0].rdlen, nl = 0;
	while (nl < len && rd[nl] != 0) {
		if (rd[nl] > 63) {
			return false;
		}
		nl += 1 + rd[nl];
	}
	if (nl >= len) {
		return false;
	}
	memcpy(out, rd, nl + 1);
	knot_dname_to_lower(out);
	return true;
}

/* owner < name < next in canonical order (next "." or below owner: the last NSEC, it wraps). */
static bool covers(const uint8_t *owner, const uint8_t *next, const uint8_t *name)
{
	if (knot_dname_cmp(owner, name) >= 0) {
		return false;
	}
	return knot_dname_cmp(name, next) < 0 || knot_dname_cmp(next, owner) <= 0;
}

static ssr_rss_reason_t rules(ctx_t *c)
{
	resp_t *r = c->r;
	const uint8_t *root = (const uint8_t *)"";
	uint8_t q[KNOT_DNAME_MAXLEN];
	memcpy(q, r->qname, knot_dname_size(r->qname));
	knot_dname_to_lower(q);
	bool apex = q[0] == 0;
	int labels = knot_dname_labels(q, NULL);
	if (r->rcode == KNOT_RCODE_NXDOMAIN) { /* RSSAC047 [vcu] */
		if (!r->aa) {
			return SSR_RSS_R_AA; /* RSSAC047 [gpl] */
		}
		if (r->count[1] != 0) {
			return SSR_RSS_R_ANSWER; /* RSSAC047 [dvh] */
		}
		if (!has_signed(c, 2, root, KNOT_RRTYPE_SOA)) {
			return SSR_RSS_R_AUTHORITY; /* RSSAC047 [axj] */
		}
		bool cover = false, wild = false;
		uint8_t star[KNOT_DNAME_MAXLEN] = "\x01*";
		for (size_t i = 0; i < r->n; i++) {
			const rset_t *s = &r->s[i];
			uint8_t next[KNOT_DNAME_MAXLEN];
			if (s->section != 2 || s->type != KNOT_RRTYPE_NSEC || !nsec_next(s, next) ||
			    !has_signed(c, 2, s->owner, KNOT_RRTYPE_NSEC)) {
				continue;
			}
			cover |= covers(s->owner, next, q); /* RSSAC047 [czb] */
			/* RSSAC047 [jhz]: the NSEC of "." shows no "*." */
			wild |= s->owner[0] == 0 && covers(s->owner, next, star);
		}
		if (!cover || !wild) {
			return SSR_RSS_R_NSEC;
		}
		if (r->count[3] != 0) {
			return SSR_RSS_R_ADDITIONAL; /* RSSAC047 [trw] */
		}
		return SSR_RSS_R_OK;
	}
	if (r->rcode != KNOT_RCODE_NOERROR) {
		return SSR_RSS_R_UNEXPECTED;
	}
	if (r->aa && r->count[1] == 0 && find_set(r, 2, root, KNOT_RRTYPE_SOA, 0) != NULL) {
		/* NODATA (an RSI answering from a zone before the type was added, e.g. a new DS):
		 * RSSAC047 has no rule for it; judged like its negative answers ([vcu]) with the
		 * NSEC owned by the QNAME denying the type (docs/METHODOLOGY.md) */
		if (!has_signed(c, 2, root, KNOT_RRTYPE_SOA)) {
			return SSR_RSS_R_UNSIGNED;
		}
		const rset_t *nsec = find_set(r, 2, q, KNOT_RRTYPE_NSEC, 0);
		if (nsec == NULL || !has_signed(c, 2, q, KNOT_RRTYPE_NSEC) ||
		    nsec_has_type(nsec, r->qtype)) {
			return SSR_RSS_R_NSEC;
		}
		return r->count[3] != 0 ? SSR_RSS_R_ADDITIONAL : SSR_RSS_R_OK;
	}
	if (apex && r->qtype == KNOT_RRTYPE_SOA) { /* RSSAC047 [owf] */
		if (!r->aa) {
			return SSR_RSS_R_AA; /* RSSAC047 [xhr] */
		}
		if (!has_signed(c, 1, root, KNOT_RRTYPE_SOA)) {
			return SSR_RSS_R_ANSWER; /* RSSAC047 [obw] */
		}
		/* RSSAC047 [ktm]: the signed root NS RRset, or nothing */
		if (r->count[2] != 0 &&
		    !(r->count[2] == 2 && has_signed(c, 2, root, KNOT_RRTYPE_NS))) {
			return SSR_RSS_R_AUTHORITY;
		}
		return SSR_RSS_R_OK;
	}
	if (apex && r->qtype == KNOT_RRTYPE_NS) { /* RSSAC047 [amj] */
		if (!r->aa) {
			return SSR_RSS_R_AA; /* RSSAC047 [csz] */
		}
		if (!has_signed(c, 1, root, KNOT_RRTYPE_NS)) {
			return SSR_RSS_R_ANSWER; /* RSSAC047 [wal] */
		}
		if (r->count[2] != 0) {
			return SSR_RSS_R_AUTHORITY; /* RSSAC047 [eyk] */
		}
		return SSR_RSS_R_OK;
	}
	if (apex && r->qtype == KNOT_RRTYPE_DNSKEY) { /* RSSAC047 [djd] */
		if (!r->aa) {
			return SSR_RSS_R_AA; /* RSSAC047 [occ] */
		}
		if (!has_signed(c, 1, root, KNOT_RRTYPE_DNSKEY)) {
			return SSR_RSS_R_ANSWER; /* RSSAC047 [eou] */
		}
		if (r->count[2] != 0) {
			return SSR_RSS_R_AUTHORITY; /* RSSAC047 [kka] */
		}
		if (r->count[3] != 0) {
			return SSR_RSS_R_ADDITIONAL; /* RSSAC047 [jws] */
		}
		return SSR_RSS_R_OK;
	}
	if (labels == 1 && r->qtype == KNOT_RRTYPE_DS) { /* RSSAC047 [dru] */
		if (!r->aa) {
			return SSR_RSS_R_AA; /* RSSAC047 [yot] */
		}
		if (!has_signed(c, 1, q, KNOT_RRTYPE_DS)) {
			return SSR_RSS_R_ANSWER; /* RSSAC047 [cpf] */
		}
		if (r->count[2] != 0) {
			return SSR_RSS_R_AUTHORITY; /* RSSAC047 [xdu] */
		}
		if (r->count[3] != 0) {
			return SSR_RSS_R_ADDITIONAL; /* RSSAC047 [mle] */
		}
		return SSR_RSS_R_OK;
	}
	if (labels == 1 && r->qtype == KNOT_RRTYPE_NS) { /* RSSAC047 [hmk] */
		if (r->aa) {
			return SSR_RSS_R_AA; /* RSSAC047 [ujy] */
		}
		if (r->count[1] != 0) {
			return SSR_RSS_R_ANSWER; /* RSSAC047 [aeg] */
		}
		const rset_t *ns = find_set(r, 2, q, KNOT_RRTYPE_NS, 0);
		if (ns == NULL) {
			return SSR_RSS_R_AUTHORITY; /* RSSAC047 [pdd]: the whole set, as [vnk]
			                               matched it */
		}
		if (ssr_zmem_has_type(c->z, q, KNOT_RRTYPE_DS)) { /* RSSAC047 [hue] */
			if (!has_signed(c, 2, q, KNOT_RRTYPE_DS)) {
				return SSR_RSS_R_AUTHORITY; /* RSSAC047 [kbd] */
			}
		} else { /* RSSAC047 [fot] */
			if (find_set(r, 2, q, KNOT_RRTYPE_DS, 0) != NULL) {
				return SSR_RSS_R_AUTHORITY; /* RSSAC047 [bgr] */
			}
			const rset_t *nsec = find_set(r, 2, q, KNOT_RRTYPE_NSEC, 0);
			if (nsec == NULL || !has_signed(c, 2, q, KNOT_RRTYPE_NSEC) ||
			    nsec_has_type(nsec, KNOT_RRTYPE_DS)) {
				return SSR_RSS_R_NSEC; /* RSSAC047 [mkl] */
			}
		}
		/* RSSAC047 [cjm]: an address of at least one of the NS names */
		for (size_t i = 0; i < r->n; i++) {
			const rset_t *a = &r->s[i];
			if (a->section != 3 ||
			    (a->type != KNOT_RRTYPE_A && a->type != KNOT_RRTYPE_AAAA)) {
				continue;
			}
			for (size_t j = 0; j < ns->n; j++) {
				uint8_t target[KNOT_DNAME_MAXLEN];
				size_t tl = ns->rd[j].rdlen < sizeof target ? ns->rd[j].rdlen : 0;
				memcpy(target, ns->rd[j].rdata, tl);
				if (tl > 0 && knot_dname_size(target) <= tl) {
					knot_dname_to_lower(target);
					if (knot_dname_is_equal(target, a->owner)) {
						return SSR_RSS_R_OK;
					}
				}
			}
		}
		return SSR_RSS_R_GLUE;
	}
	return SSR_RSS_R_UNEXPECTED;
}

/* Against one zone. */
static ssr_rss_reason_t check_one(const ssr_zmem_t *z, resp_t *r, int64_t now_s)
{
	ctx_t c = {.z = z, .r = r, .now_s = now_s};
	size_t klo, khi;
	if (ssr_zmem_rrset(z, z->apex, KNOT_RRTYPE_DNSKEY, 0, &klo, &khi)) {
		for (size_t i = klo; i < khi && c.nkeys < 64; i++) {
			c.keys[c.nkeys++] = (ssr_zmem_rdata_t){z->rr[i].rdata, z->rr[i].rdlen};
		}
	}
	ssr_rss_reason_t why = match_all(&c);
	return why != SSR_RSS_R_OK ? why : rules(&c);
}

int ssr_rss_check(ssr_rss_zones_t *z, const uint8_t *msg, size_t len, int64_t now_us, bool *correct,
                  ssr_rss_reason_t *reason, uint32_t *serial, ssr_diag_t *diag)
{
	*correct = false;
	*reason = SSR_RSS_R_MALFORMED;
	*serial = 0;
	if (z->n == 0) {
		return ssr_diag_set(diag, SSR_ENOTFOUND,
		                    "rss: no verified root zone to check against");
	}
	knot_pkt_t *pkt = knot_pkt_new((void *)msg, len, NULL);
	if (pkt == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	resp_t r = {0};
	int rc = SSR_EOK;
	if (knot_pkt_parse(pkt, 0) != KNOT_EOK || knot_wire_get_qdcount(pkt->wire) != 1) {
		goto out; /* malformed: incorrect */
	}
	int g = group(pkt, &r);
	if (g == SSR_ENOMEM) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
		goto out;
	}
	if (g != SSR_EOK) {
		goto out;
	}
	r.qname = knot_pkt_qname(pkt);
	r.qtype = knot_pkt_qtype(pkt);
	r.rcode = knot_pkt_ext_rcode(pkt);
	r.aa = knot_wire_get_aa(pkt->wire);
	/* RSSAC047 [yhu] [xog]: newest first, until one shows it correct */
	ssr_rss_reason_t first = SSR_RSS_R_UNEXPECTED;
	bool any = false;
	for (size_t i = z->n; i-- > 0;) {
		const kept_t *k = &z->zones[i];
		if (k->first_us > now_us) {
			continue; /* not yet seen at that time */
		}
		bool in_window = k->first_us >= now_us - WINDOW_US || i + 1 == z->n ||
		                 z->zones[i + 1].first_us >= now_us - WINDOW_US;
		if (!in_window) {
			break;
		}
		ssr_rss_reason_t why = check_one(&k->z, &r, now_us / 1000000);
		if (!any) {
			first = why;
			any = true;
		}
		if (why == SSR_RSS_R_OK) {
			*correct = true;
			*reason = SSR_RSS_R_OK;
			*serial = k->z.serial;
			goto out;
		}
	}
	if (!any) {
		rc = ssr_diag_set(diag, SSR_ENOTFOUND, "rss: no root zone in use at that time");
		goto out;
	}
	*reason = first;
out:
	resp_free(&r);
	knot_pkt_free(pkt);
	return rc;
}

/* ---- AXFR -------------------------------------------------------------------------------------
 */

#define AXFR_MAX (64u << 20)

typedef struct {
	FILE *f;
	unsigned soas;
	bool done, first;
	uint32_t serial;
} axfr_t;

static int axfr_line(int section, const char *text, void *vctx)
{
	axfr_t *a = vctx;
	if (section != 1) {
		return SSR_EOK;
	}
	if (a->done) {
		return SSR_EPARSE; /* records after the closing SOA */
	}
	/* "owner TTL [class] type rdata...": the type is the first word after the owner that is
	 * neither a TTL nor a class */
	char w[8][300];
	int nw = sscanf(text, "%299s %299s %299s %299s %299s %299s %299s", w[0], w[1], w[2], w[3],
	                w[4], w[5], w[6]);
	int ti = 1;
	while (ti < nw &&
	       (strspn(w[ti], "0123456789") == strlen(w[ti]) || strcmp(w[ti], "IN") == 0 ||
	        strcmp(w[ti], "CH") == 0 || strcmp(w[ti], "HS") == 0)) {
		ti++;
	}
	if (ti >= nw) {
		return SSR_EPARSE;
	}
	if (strcmp(w[ti], "SOA") == 0) {
		a->soas++;
		if (a->soas == 2) {
			a->done = true; /* the closing SOA: not written twice */
			return SSR_EOK;
		}
		char *end;
		unsigned long serial = ti + 3 < nw ? strtoul(w[ti + 3], &end, 10) : 0;
		if (ti + 3 >= nw || *end != 0 || serial > UINT32_MAX) {
			return SSR_EPARSE;
		}
		a->serial = (uint32_t)serial;
	} else if (a->soas == 0) {
		return SSR_EPARSE; /* must begin with the SOA */
	}
	return fprintf(a->f, "%s\n", text) < 0 ? SSR_EIO : SSR_EOK;
}

static int wait_fd(int fd, short ev, int64_t deadline_ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (now >= deadline_ms) {
		return 0;
	}
	struct pollfd p = {.fd = fd, .events = ev};
	return poll(&p, 1, (int)(deadline_ms - now));
}

static int read_full(int fd, uint8_t *b, size_t n, int64_t deadline_ms)
{
	size_t got = 0;
	while (got < n) {
		if (wait_fd(fd, POLLIN, deadline_ms) <= 0) {
			return SSR_EIO;
		}
		ssize_t r = recv(fd, b + got, n - got, 0);
		if (r <= 0) {
			return SSR_EIO;
		}
		got += (size_t)r;
	}
	return SSR_EOK;
}

int ssr_rss_axfr(const char *server, const char *path, unsigned timeout_ms, uint32_t *serial,
                 ssr_diag_t *diag)
{
	*serial = 0;
	/* the server's address: "ADDR[:PORT]" as the RSI list writes them */
	struct sockaddr_storage sa;
	socklen_t sl = 0;
	if (!ssr_rss_addr_parse(server, 0, &sa, &sl)) {
		return ssr_diag_set(diag, SSR_EINVAL, "axfr: bad server address '%s'", server);
	}
	ssr_probe_query_t q;
	ssr_probe_query_init(&q);
	q.qname = ".";
	q.qtype = 252;
	q.edns = false;
	uint8_t qb[512];
	size_t ql;
	int rc = ssr_probe_query_build(&q, qb + 2, sizeof qb - 2, &ql, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	qb[0] = (uint8_t)(ql >> 8);
	qb[1] = (uint8_t)ql;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t deadline = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + timeout_ms;
	int fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return ssr_diag_set(diag, SSR_EIO, "axfr from '%s': %s", server, strerror(errno));
	}
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = NULL;
	uint8_t *msg = malloc(65535);
	if (msg == NULL) {
		close(fd);
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	if (connect(fd, (struct sockaddr *)&sa, sl) != 0 && errno != EINPROGRESS) {
		rc = ssr_diag_set(diag, SSR_EIO, "axfr from '%s': %s", server, strerror(errno));
		goto out;
	}
	int err = 0;
	socklen_t el = sizeof err;
	if (wait_fd(fd, POLLOUT, deadline) <= 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 || err != 0) {
		rc = ssr_diag_set(diag, SSR_EIO, "axfr from '%s': cannot connect: %s", server,
		                  err ? strerror(err) : "timeout");
		goto out;
	}
	if (send(fd, qb, ql + 2, MSG_NOSIGNAL) != (ssize_t)(ql + 2)) {
		rc = ssr_diag_set(diag, SSR_EIO, "axfr from '%s': send failed", server);
		goto out;
	}
	if ((f = fopen(tmp, "w")) == NULL) {
		rc = ssr_diag_set(diag, SSR_EIO, "axfr: cannot write '%s': %s", tmp,
		                  strerror(errno));
		goto out;
	}
	axfr_t a = {.f = f};
	size_t total = 0;
	while (!a.done) {
		uint8_t lb[2];
		if (read_full(fd, lb, 2, deadline) != SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_EIO,
			                  "axfr from '%s': connection closed or timed out "
			                  "after %zu bytes, before the closing SOA",
			                  server, total);
			goto out;
		}
		size_t ml = (size_t)lb[0] << 8 | lb[1];
		total += ml + 2;
		if (total > AXFR_MAX) {
			rc = ssr_diag_set(diag, SSR_ELIMIT, "axfr from '%s': more than %u bytes",
			                  server, AXFR_MAX);
			goto out;
		}
		if (read_full(fd, msg, ml, deadline) != SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_EIO, "axfr from '%s': truncated message",
			                  server);
			goto out;
		}
		ssr_probe_answer_t an;
		ssr_diag_t d2 = {0};
		if (ssr_probe_parse(msg, ml, qb + 2, ql, &an, &d2) != SSR_EOK || an.rcode != 0) {
			rc = ssr_diag_set(diag, SSR_EPARSE, "axfr from '%s' offset %zu: %s", server,
			                  total - ml - 2,
			                  an.rcode != 0 && d2.msg[0] == 0 ? "refused" : d2.msg);
			goto out;
		}
		int r = ssr_probe_msg_rrs(msg, ml, axfr_line, &a, &d2);
		if (r != SSR_EOK) {
			rc = ssr_diag_set(diag, r == SSR_EIO ? SSR_EIO : SSR_EPARSE,
			                  "axfr from '%s' offset %zu: %s", server, total - ml - 2,
			                  d2.msg[0] ? d2.msg
			                            : "records out of place (SOA first and last)");
			goto out;
		}
	}
	if (fclose(f) != 0) {
		f = NULL;
		rc = ssr_diag_set(diag, SSR_EIO, "axfr: cannot write '%s'", tmp);
		goto out;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		rc = ssr_diag_set(diag, SSR_EIO, "axfr: cannot rename to '%s': %s", path,
		                  strerror(errno));
		goto out;
	}
	*serial = a.serial;
out:
	if (f != NULL) {
		fclose(f);
	}
	if (rc != SSR_EOK) {
		unlink(tmp);
	}
	free(msg);
	close(fd);
	return rc;
}
