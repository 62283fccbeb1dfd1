/* ssrwatch — a zone held in memory: every record of a zone file (read with ssr_zone_read), in
 * canonical order (RFC 4034 section 6.1), found by binary search.  What answers from a zone
 * (the regression suite's mock servers) and what checks answers against one (RSSAC047
 * correctness) share; DNSSEC signatures are verified here too (ssr_zmem_verify_rrset). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/error.h"

#define SSR_ZMEM_NAME_MAX 255

typedef struct {
	const uint8_t *owner;   /* wire form, lowercased; shared by consecutive records of a name */
	uint16_t type, covered; /* covered: an RRSIG's type covered */
	uint32_t ttl;
	uint16_t rdlen;
	uint8_t *rdata;
} ssr_zmem_rr_t;

typedef struct {
	uint8_t apex[SSR_ZMEM_NAME_MAX];
	ssr_zmem_rr_t *rr; /* sorted: owner (canonical), type, covered */
	size_t n, cap;
	bool is_signed; /* holds an RRSIG */
	uint32_t serial;
	ssr_arena_t arena; /* the owners and RDATA */
	/* while loading */
	const char *file;
	size_t max_rrs;
	ssr_diag_t *diag;
} ssr_zmem_t;

/* file (the zone of apex, "." the root) into z, sorted; at most max_rrs records (0: 4 million).
 * It must hold the apex's SOA.  Errors: those of ssr_zone_read (naming the file and line),
 * SSR_EPARSE (a record outside the zone, no SOA), SSR_ELIMIT, SSR_ENOMEM. */
int ssr_zmem_load(ssr_zmem_t *z, const char *apex, const char *file, size_t max_rrs,
                  ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 3);
void ssr_zmem_release(ssr_zmem_t *z);

/* The first record at or after name in canonical order. */
size_t ssr_zmem_lower_bound(const ssr_zmem_t *z, const uint8_t *name) SSR_NONNULL(1, 2);
/* The records owned by name: [*lo, *hi); false when none. */
bool ssr_zmem_name_range(const ssr_zmem_t *z, const uint8_t *name, size_t *lo, size_t *hi)
    SSR_NONNULL(1, 2, 3, 4);
/* An empty non-terminal: no records, but names below it. */
bool ssr_zmem_is_ent(const ssr_zmem_t *z, const uint8_t *name) SSR_NONNULL(1, 2);
bool ssr_zmem_has_type(const ssr_zmem_t *z, const uint8_t *name, uint16_t type) SSR_NONNULL(1, 2);
/* The records of name and type (for RRSIG: those covering `covered`): [*lo, *hi). */
bool ssr_zmem_rrset(const ssr_zmem_t *z, const uint8_t *name, uint16_t type, uint16_t covered,
                    size_t *lo, size_t *hi) SSR_NONNULL(1, 2, 5, 6);

/* RDATA of type in canonical form, in place (RFC 4034 6.2 as RFC 6840 5.1 corrects it: the
 * embedded names of NS, SOA, MX, SRV, RRSIG's signer and the like lowercased; NSEC's kept).
 * ssr_zmem_load stores every record so. */
void ssr_zmem_canonical_rdata(uint16_t type, uint8_t *rd, size_t len);

/* ---- DNSSEC (RFC 4034, with libdnssec) --------------------------------------------------------
 */

/* One record of an RRset to verify: rdata in wire form, names uncompressed, in canonical form
 * (ssr_zmem_canonical_rdata; a loaded zone's records are). */
typedef struct {
	const uint8_t *rdata;
	uint16_t rdlen;
} ssr_zmem_rdata_t;

/* Whether the RRSIG (rdata sig, siglen bytes) over the RRset owner/type/class IN (rd, n
 * records) verifies with one of the DNSKEY records keys (nkeys) and is valid at time `now`
 * (seconds since the epoch; RFC 1982 comparison of inception and expiration).  Returns SSR_EOK
 * when it does; SSR_EINVAL with diag saying why not (no such key, expired, not yet valid,
 * the signature does not verify, labels beyond the owner's). */
int ssr_zmem_verify_rrset(const uint8_t *owner, uint16_t type, const ssr_zmem_rdata_t *rd, size_t n,
                          const uint8_t *sig, uint16_t siglen, const ssr_zmem_rdata_t *keys,
                          size_t nkeys, int64_t now, ssr_diag_t *diag) SSR_CHECK;

/* Whether the DS (tag, alg, digest type dt, digest of dlen bytes) matches the DNSKEY key
 * (rdata) of the zone apex (wire form): 1 it does, 0 it does not, -1 a digest type that
 * cannot be computed (SHA-1, SHA-256 and SHA-384 can). */
int ssr_zmem_ds_matches(const uint8_t *apex, uint16_t tag, uint8_t alg, uint8_t dt,
                        const uint8_t *digest, size_t dlen, const ssr_zmem_rdata_t *key)
    SSR_NONNULL(1, 7);

/* ---- whole-zone verification (ssrwatch zone verify) -------------------------------------------
 */

typedef enum { SSR_ZV_ERROR = 0, SSR_ZV_WARNING = 1 } ssr_zv_severity_t;

typedef struct {
	char owner[1025]; /* presentation form */
	uint16_t type;    /* the RRset's type (0: the zone) */
	uint8_t severity; /* ssr_zv_severity_t */
	char problem[160];
} ssr_zv_problem_t;

typedef struct {
	int64_t now;           /* seconds since 1970: the validity windows are checked against it */
	unsigned horizon_days; /* a signature expiring within this many days: a warning (0: none) */
	const char *ds;        /* trust anchor (DS lines); NULL: the DNSKEY RRset is not anchored */
	unsigned threads;      /* signature checks in parallel (0: every core) */
	size_t max_problems;   /* problems kept (all are counted; 0: 10,000) */
} ssr_zv_opts_t;

typedef struct {
	/* ZONEMD (RFC 8976) */
	bool zonemd_present, zonemd_valid;
	unsigned zonemd_records, zonemd_checked, zonemd_unsupported;
	/* DNSSEC */
	bool dnssec_signed, nsec, nsec3, chain_checked, anchored;
	uint64_t rrsets, rrsets_signed, signatures_checked, signatures_valid, names_in_chain;
	uint64_t errors, warnings;
	ssr_zv_problem_t *problems; /* in canonical order of owner, then type */
	size_t nproblems;
	char skipped[256]; /* what was not checked ("" nothing): the zone is then not reported valid
	                    */
} ssr_zv_result_t;

/* Verify the whole zone: every authoritative RRset signed and every RRSIG valid at now with the
 * apex DNSKEY RRset (anchored by ds when given), signatures on non-authoritative data, RRSIGs
 * without their RRset, signatures expiring within the horizon; the NSEC chain (every
 * authoritative name once, in canonical order, closing at the apex, bitmaps equal to the types
 * present); every ZONEMD record (RFC 8976: SIMPLE with SHA-384 and SHA-512; other schemes and
 * hashes counted unsupported, not failed; the serial must be the SOA's); the NSEC3 chain (RFC
 * 5155 7.1: parameters as NSEC3PARAM's, every authoritative name and empty non-terminal hashed
 * and found with an exact bitmap, opt-out honoured for insecure delegations, the next hashed
 * owners closing the ring, no NSEC3 of no name).  Findings are problems, not errors.
 * Errors: SSR_ENOMEM. */
int ssr_zmem_verify(const ssr_zmem_t *z, const ssr_zv_opts_t *o, ssr_zv_result_t *out,
                    ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 3);
void ssr_zv_result_release(ssr_zv_result_t *r);

/* For tools that take a zone only when it verifies (rss measure): ssr_zmem_verify at now with
 * the trust anchor ds, and the first error as the error.  *zonemd: the zone has a ZONEMD.
 * Errors: SSR_EINVAL with diag naming the zone, the owner and type and the problem;
 * SSR_ENOMEM. */
int ssr_zmem_verify_zone(const ssr_zmem_t *z, const char *ds, int64_t now, bool *zonemd,
                         ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4);

/* The number of DS records in a trust anchor text (as ssr_zmem_verify_zone reads it) into *n.
 * Errors: SSR_EINVAL (a line that is not a DS, or none at all). */
int ssr_zmem_ds_check(const char *ds, unsigned *n, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);
