/* ssrwatch — what changed between two snapshots of a zone (ssrwatch zone diff): delegations
 * added and removed, NS, DS and glue sets changed, the apex RRsets (SOA, NS, DNSKEY, ZONEMD,
 * CDS, CDNSKEY, NSEC3PARAM) changed, everything else counted.  Both files are read once each and
 * sorted externally (sorted runs of a bounded size spilled to temporary files, then merged), so
 * memory does not depend on the zone's size, and the input order does not matter (registry
 * dumps in insertion order diff like sorted ones).  Changes come in canonical-like order: by
 * owner (labels from the top), then type. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/zonemem.h"

typedef enum {
	SSR_ZDIFF_DELEG_ADDED = 0,   /* a delegation only in the new zone (its NS set) */
	SSR_ZDIFF_DELEG_REMOVED = 1, /* only in the old zone */
	SSR_ZDIFF_NS = 2,            /* a delegation's NS set changed */
	SSR_ZDIFF_DS = 3,            /* a delegation's DS set changed (added, removed, replaced) */
	SSR_ZDIFF_GLUE = 4,          /* an A or AAAA set below a delegation changed */
	SSR_ZDIFF_APEX = 5,          /* an apex RRset changed (its type says which) */
	SSR_ZDIFF_OTHER = 6          /* any other RRset (signatures, NSEC/NSEC3, data) */
} ssr_zdiff_kind_t;
#define SSR_ZDIFF_NKINDS 7
const char *ssr_zdiff_kind_name(ssr_zdiff_kind_t k);

/* One change; pointers valid during the callback only.  RDATA in canonical form and order. */
typedef struct {
	ssr_zdiff_kind_t kind;
	const uint8_t *owner; /* wire form, lower case */
	uint16_t type;
	const uint8_t *deleg; /* the delegation it belongs to (NS, DS, glue); NULL otherwise */
	const ssr_zmem_rdata_t *old_rd, *new_rd;
	size_t nold, nnew;
	uint32_t old_ttl, new_ttl; /* of the first record; 0 without records */
} ssr_zdiff_change_t;

/* Return SSR_EOK to go on; anything else stops the diff and is returned. */
typedef int (*ssr_zdiff_fn)(const ssr_zdiff_change_t *c, void *ctx);

typedef struct {
	const char *origin;  /* the zone's name (NULL: "."; the files' $ORIGIN rules) */
	size_t memory;       /* bytes of records held per file before a sorted run is written
	                      * out; 0: 256 MiB; at least 1 MiB */
	const char *tmp_dir; /* where runs go; NULL: $TMPDIR or /tmp */
	bool all;            /* report SSR_ZDIFF_OTHER changes one by one (else only counted) */
} ssr_zdiff_opts_t;

typedef struct {
	uint64_t records[2];     /* distinct records read: old, new */
	uint64_t delegations[2]; /* delegation points */
	uint64_t changes[SSR_ZDIFF_NKINDS];
	uint64_t runs[2];       /* sorted runs written to disk (0: sorted in memory) */
	uint64_t spilled_bytes; /* bytes written to runs */
	uint32_t serial[2];     /* the SOA serials; 0 without an SOA */
	size_t peak_buffer;     /* the largest record buffer held (bytes) */
} ssr_zdiff_stats_t;

/* Diff old against new (each plain, gzip or zstd; no $INCLUDE), handing each change to fn in
 * order; *st the figures.  Errors: the zone reader's (SSR_ENOTFOUND, SSR_EIO, SSR_EPARSE with
 * file and line), SSR_EINVAL (a bad origin or option; a record outside the zone), SSR_ELIMIT
 * (more than 1,000 runs: give more memory; an owner with more than 1,000,000 records), SSR_EIO
 * (a temporary file), SSR_ENOMEM, fn's. */
int ssr_zdiff(const char *old_path, const char *new_path, const ssr_zdiff_opts_t *o,
              ssr_zdiff_fn fn, void *ctx, ssr_zdiff_stats_t *st, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2, 3, 4, 6);
