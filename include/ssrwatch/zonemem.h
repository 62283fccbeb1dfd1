/* ssrwatch — a zone held in memory: every record of a zone file (read with ssr_zone_read), in
 * canonical order (RFC 4034 section 6.1), found by binary search.  What answers from a zone
 * (the regression suite's mock servers) and what checks answers against one (RSSAC047
 * correctness) share; DNSSEC signatures are verified here too (ssr_zmem_verify_rrset). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"

#define SSR_ZMEM_NAME_MAX 255

typedef struct {
	uint8_t owner[SSR_ZMEM_NAME_MAX]; /* wire form, lowercased */
	uint16_t type, covered;           /* covered: an RRSIG's type covered */
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

/* One record of an RRset to verify: rdata in wire form, names uncompressed. */
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

/* Every signed RRset of the zone verified with the apex's DNSKEY RRset at time now, the DNSKEY
 * RRset itself signed by a key that a DS of the trust anchor ds matches (NULL: not checked).
 * ds holds DS records one per line, "TAG ALG TYPE HEX" or in zone-file form with owner, class
 * and "DS" before (as /usr/share/dns/root.ds and IANA's root-anchors give them; ';' and '#'
 * comments; digest types 1, 2 and 4; a DS of another type is not used).  The ZONEMD record (RFC
 * 8976, scheme 1 SIMPLE, hash 1 SHA-384) is checked when the apex has one (*zonemd set).
 * Errors: SSR_EINVAL with diag naming the zone and the first RRset that fails, or a line of
 * ds that is not a DS. */
int ssr_zmem_verify_zone(const ssr_zmem_t *z, const char *ds, int64_t now, bool *zonemd,
                         ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4);

/* The number of DS records in a trust anchor text (as ssr_zmem_verify_zone reads it) into *n.
 * Errors: SSR_EINVAL (a line that is not a DS, or none at all). */
int ssr_zmem_ds_check(const char *ds, unsigned *n, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);
