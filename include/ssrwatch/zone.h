/* ssrwatch — streaming reader for RFC 1035 master (zone) files.
 *
 * Records are handed one by one to a callback; the reader keeps no record after the callback
 * returns, so memory does not grow with the zone.  Two engines:
 *  - SSR_ZONE_ENGINE_AUTO: own fast path for the plain one-record-per-line form of the common
 *    delegation types, libzscanner for every other record (multi-line, quoted, escaped, other
 *    types, anything the fast path does not recognise);
 *  - SSR_ZONE_ENGINE_ZSCANNER: libzscanner for the whole file, the correctness reference.
 * Both produce identical records (tests/unit/libzone compares them). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/dname.h"
#include "ssrwatch/error.h"
#include "ssrwatch/progress.h"

#define SSR_RRTYPE_A          1
#define SSR_RRTYPE_NS         2
#define SSR_RRTYPE_CNAME      5
#define SSR_RRTYPE_SOA        6
#define SSR_RRTYPE_TXT        16
#define SSR_RRTYPE_AAAA       28
#define SSR_RRTYPE_DS         43
#define SSR_RRTYPE_RRSIG      46
#define SSR_RRTYPE_NSEC       47
#define SSR_RRTYPE_DNSKEY     48
#define SSR_RRTYPE_NSEC3      50
#define SSR_RRTYPE_NSEC3PARAM 51
#define SSR_CLASS_IN          1

/* Hard cap on one logical record (all its lines) in presentation form. */
#define SSR_ZONE_MAX_RECORD_TEXT (256 * 1024)
/* Deepest $INCLUDE nesting. */
#define SSR_ZONE_MAX_INCLUDE_DEPTH 8

typedef enum {
	SSR_ZONE_ENGINE_AUTO = 0,
	SSR_ZONE_ENGINE_ZSCANNER = 1,
} ssr_zone_engine_t;

/* The AUTO engine's tokenizer: the byte classes of whole 64-byte blocks by SIMD kernels chosen
 * at run time, or a byte-table loop (the reference the kernels are tested against). */
typedef enum {
	SSR_ZONE_SIMD_AUTO = 0,   /* AVX2 where the CPU has it, else SSE2 */
	SSR_ZONE_SIMD_SSE2 = 1,   /* SSE2 (every x86-64 CPU) */
	SSR_ZONE_SIMD_AVX2 = 2,   /* AVX2; SSR_EINVAL on a CPU without it */
	SSR_ZONE_SIMD_SCALAR = 3, /* no SIMD in the tokenizer */
} ssr_zone_simd_t;

typedef struct {
	const uint8_t *owner; /* wire form, lowercased */
	uint16_t owner_len;
	uint16_t type;
	uint16_t rclass;
	uint32_t ttl;
	const uint8_t *rdata; /* wire form, as RFC 1035/3597 define it; the target name of
	                       * NS records is lowercased like the owner */
	uint16_t rdata_len;
	const char *file; /* the file the record came from ($INCLUDE aware) */
	uint64_t line;    /* line where the record starts */
} ssr_zone_rr_t;

/* Return SSR_EOK to go on; anything else stops reading and is returned by ssr_zone_read. */
typedef int (*ssr_zone_rr_fn)(const ssr_zone_rr_t *rr, void *ctx);
/* A bad record skipped under keep_going: message like "zone 'x' line 3: bad TTL '1w2q'". */
typedef void (*ssr_zone_error_fn)(const char *file, uint64_t line, const char *msg, void *ctx);

typedef struct {
	const char *origin;   /* initial $ORIGIN; NULL: "." */
	uint32_t default_ttl; /* TTL for records without one before any $TTL; 0: 3600 */
	ssr_zone_engine_t engine;
	bool keep_going; /* skip bad records instead of stopping */
	bool no_include; /* refuse $INCLUDE (untrusted zone files) */
	ssr_zone_error_fn on_error;
	void *error_ctx;
	ssr_progress_t *progress; /* optional; advanced by raw input bytes */
	/* Read only [range_offset, range_offset + range_length) of a plain file (AUTO engine; the
	 * range must start at a line).  range_length 0: the whole file. */
	uint64_t range_offset, range_length;
	ssr_zone_simd_t simd; /* AUTO engine: the tokenizer's kernel */
} ssr_zone_opts_t;

/* Distinct types whose records were counted with unvalidated rdata (a registry type that the
 * installed libzscanner predates and ssrwatch has no reader for). */
#define SSR_ZONE_MAX_UNVALIDATED 64

typedef struct {
	uint64_t bytes;        /* zone text bytes (decompressed), includes $INCLUDEd files */
	uint64_t raw_bytes;    /* bytes read from the top file as stored (compressed size) */
	uint64_t records;      /* records handed to the callback */
	uint64_t fast_records; /* of which parsed by the fast path */
	uint64_t errors;       /* bad records skipped (keep_going), including skipped[] */
	uint64_t skipped;      /* of which: records skipped after a bad $ORIGIN (keep_going) */
	/* records of IANA types newer than libzscanner, counted with unvalidated rdata, by type */
	struct {
		uint16_t type;
		uint64_t count;
	} unvalidated[SSR_ZONE_MAX_UNVALIDATED];
	unsigned n_unvalidated;
	uint64_t lines; /* lines in the top file */
	/* the reader's state when it stopped (AUTO engine): $ORIGIN as written and default TTL */
	uint8_t end_origin[SSR_DNAME_MAXLEN + 1];
	uint16_t end_origin_len;
	uint32_t end_ttl;
} ssr_zone_read_stats_t;

/* Read path ("-" for stdin).  On a bad record without keep_going: SSR_EPARSE with
 * "zone 'path' line N: reason" in diag; the callback has then seen the records before it.
 *
 * Rules beyond RFC 1035 (the same as libzscanner's unless said otherwise):
 *  - a record with a blank owner after a record whose owner was bad is bad too (the previous
 *    owner is unknown);
 *  - with keep_going, a bad $ORIGIN skips every record up to the next valid $ORIGIN (or the end
 *    of its file), each counted in errors and skipped, since their names cannot be trusted
 *    (libzscanner stops the file); without it, it stops the read like any bad record;
 *  - relative names in $ORIGIN and $INCLUDE are taken relative to the current origin, as RFC
 *    1035 section 5.1 and BIND do (libzscanner wants absolute names there);
 *  - records of IANA registry types that the installed libzscanner predates are read through a
 *    twin type or ssrwatch's own reader (data/rrtypes.csv) or, where there is none, counted with
 *    their rdata unvalidated (stats unvalidated[]) instead of being errors. */
int ssr_zone_read(const char *path, const ssr_zone_opts_t *opts, ssr_zone_rr_fn fn, void *ctx,
                  ssr_zone_read_stats_t *stats, ssr_diag_t *diag) SSR_CHECK;

/* Mnemonic of a type from the IANA registry (data/rrtypes.csv: "NS", "DSYNC"), or the RFC 3597
 * form ("TYPE65280") of an unassigned one, into out. */
void ssr_rrtype_name(uint16_t type, char *out, size_t cap);
/* A type from its mnemonic (any case) or its RFC 3597 form TYPEnnn.  SSR_EPARSE if neither. */
int ssr_rrtype_from_text(const char *s, size_t n, uint16_t *out)
    __attribute__((warn_unused_result));
