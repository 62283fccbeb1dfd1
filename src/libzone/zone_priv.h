/* libzone internals shared by its files: the IANA RR type table (rrtype.c). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "ssrwatch/state.h"
#include "ssrwatch/zone.h"
#include "ssrwatch/zonemem.h"

/* Library-internal: not part of the library's interface (hidden when built shared). */
#pragma GCC visibility push(hidden)

typedef enum {
	SSR_RRTYPE_USE_DATA = 0, /* may appear in a zone file */
	SSR_RRTYPE_USE_META = 1, /* query or meta type */
} zone_rrtype_use_t;

typedef struct {
	uint16_t value;
	const char *name;
	zone_rrtype_use_t use;
	/* read as this type when libzscanner lacks it ("": rdata not validated; "dsync") */
	const char *twin;
} zone_rrtype_t;

/* The fast path tokenizer's byte classes (classify.c): white space (space, tab), newline,
 * special (parentheses, double quote, backslash, semicolon, CR: the line leaves the fast path),
 * anything else part of a token. The one definition; the SIMD kernels are tested against it. */
enum { ZONE_TK_WORD = 0, ZONE_TK_SPACE = 1, ZONE_TK_NL = 2, ZONE_TK_STOP = 3 };
extern const uint8_t zone_token_class[256];

/* The same classes of whole 64-byte blocks, one bit per byte and class. */
typedef struct {
	uint64_t ws, nl, sp;
} zone_blockmask_t;

/* Classify nblocks whole blocks at p (nblocks * 64 readable bytes) into out[0..nblocks). */
typedef void (*zone_classify_fn)(const char *p, size_t nblocks, zone_blockmask_t *out);

/* The kernel for a choice (AUTO: AVX2 where the CPU has it, else SSE2); SSR_EINVAL when this
 * CPU or build lacks it. */
int zone_classifier(ssr_zone_simd_t simd, zone_classify_fn *out);

/* The registry's entry of a type, or NULL. */
const zone_rrtype_t *zone_rrtype_by_value(uint16_t value);
/* The entry of a mnemonic (any case), or NULL. */
const zone_rrtype_t *zone_rrtype_by_name(const char *s, size_t n);

/* A growing byte buffer for canonical wire forms (signed data, ZONEMD input): the project's
 * byte buffer (ssr_state_buf_t), written big-endian here. */
typedef ssr_state_buf_t zone_buf_t;

static inline void zone_put(zone_buf_t *w, const void *p, size_t n)
{
	ssr_state_put_bytes(w, p, n);
}

static inline void zone_put16(zone_buf_t *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	zone_put(w, b, 2);
}

static inline void zone_put32(zone_buf_t *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	zone_put(w, b, 4);
}

/* Why an RRSIG did not verify (zone_rrsig_verify). */
typedef enum {
	ZONE_SIG_OK = 0,
	ZONE_SIG_MALFORMED, /* the RRSIG does not hold together, or covers another type */
	ZONE_SIG_NOT_YET,   /* before its inception */
	ZONE_SIG_EXPIRED,   /* after its expiration */
	ZONE_SIG_NO_KEY,    /* no DNSKEY of its tag and algorithm */
	ZONE_SIG_BAD,       /* the signature does not verify */
} zone_sig_why_t;

/* DNSKEYs parsed once (libdnssec), with their tags and algorithms; read-only afterwards, so
 * that threads share them. */
struct dnssec_key;
typedef struct {
	struct dnssec_key *key[64];
	uint16_t tag[64];
	uint8_t alg[64];
	void *fast[64]; /* ECDSA keys for the OpenSSL fast path (ecdsa.c); NULL: libdnssec */
	size_t n;
} zone_keys_t;
void zone_keys_init(zone_keys_t *ks, const ssr_zmem_rdata_t *keys, size_t nkeys);
void zone_keys_release(zone_keys_t *ks);

/* The ECDSA fast path (ecdsa.c, OpenSSL's libcrypto): nettle's P-256 verification, under
 * libdnssec, is 4x slower than OpenSSL's and most of a signed zone's verification time
 * (docs/PERFORMANCE.md, bench/verify).  zone_ecdsa_key: a verifying key of a DNSKEY of
 * algorithm 13 or 14 (rdata, len bytes; NULL when it is none, or the fast path is off:
 * SSRWATCH_CRYPTO=libdnssec keeps libdnssec for every algorithm, the reference the tests
 * compare with).  zone_ecdsa_verify: 1 the signature (raw r||s) over data verifies, 0 not. */
void *zone_ecdsa_key(const uint8_t *rdata, size_t len);
void zone_ecdsa_free(void *key);
int zone_ecdsa_verify(void *key, uint8_t alg, const uint8_t *data, size_t len, const uint8_t *sig,
                      size_t siglen);

/* ssr_zmem_verify_rrset with the reason; parsed: the keys already parsed (NULL: keys, nkeys
 * parsed for this call). */
int zone_rrsig_verify(const uint8_t *owner, uint16_t type, const ssr_zmem_rdata_t *rd, size_t n,
                      const uint8_t *sig, uint16_t siglen, const ssr_zmem_rdata_t *keys,
                      size_t nkeys, const zone_keys_t *parsed, int64_t now, zone_sig_why_t *why,
                      ssr_diag_t *diag);
/* The DNSKEYs (keys) that a DS of the trust anchor text ds matches, into match (at most 64).
 * Errors: SSR_EINVAL (a line that is not a DS, none, or no key matches). */
int zone_ds_match(const ssr_zmem_t *z, const char *ds, const ssr_zmem_rdata_t *keys, size_t nkeys,
                  ssr_zmem_rdata_t *match, size_t *nmatch, ssr_diag_t *diag);

/* The zone statistics' NS host map (hostmap.c): wire-format host (1-255 bytes) -> a uint32
 * value, insertion order kept.  Each host is one record {value, length, name} in a contiguous
 * array (8-aligned, within one cache line when it fits), found from a slot holding its hash's
 * high half and the record's place. */
typedef struct {
	uint64_t *slot; /* tag << 32 | (record offset / 8 + 1); 0 empty */
	size_t cap;     /* slots, a power of two, at most 3/4 full */
	size_t count;
	uint8_t *rec;
	size_t nrec, caprec; /* bytes */
	uint32_t *order;     /* record offset / 8 by insertion */
	size_t caporder;
} zone_hostmap_t;
int zone_hostmap_init(zone_hostmap_t *m);
void zone_hostmap_release(zone_hostmap_t *m);
/* Find or add host key (len bytes, h its ssr_hash64); *value points at its value (0 when just
 * added; valid until the next add).  Errors: SSR_ELIMIT (len 0 or over 255, too many hosts),
 * SSR_ENOMEM. */
int zone_hostmap_upsert(zone_hostmap_t *m, uint64_t h, const uint8_t *key, size_t len,
                        uint32_t **value, bool *inserted);
/* The i-th host added (i < count): its name, length and value. */
const uint8_t *zone_hostmap_at(const zone_hostmap_t *m, size_t i, size_t *len, uint32_t *value);

#pragma GCC visibility pop
