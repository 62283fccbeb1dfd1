/* ssrwatch — a deterministic sample world for abuse reporting (tests, benchmarks, make run).
 *
 * DIR/dates.txt (one snapshot date per line), DIR/zones/TLD-DATE.zone,
 * DIR/feeds/DATE/{phishing.urls,malware.csv,spam.txt,botnet.hosts},
 * DIR/registrations/DATE.csv, DIR/registrars.csv, DIR/prices.csv and DIR/planted.json (the
 * TLD and registrars planted far above the rest). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"

typedef struct {
	const char *dir;
	uint64_t domains;    /* initial domains over all TLDs */
	unsigned tlds;       /* 1-8 */
	unsigned registrars; /* 2-5000 */
	unsigned snapshots;  /* 2-200 */
	unsigned step_days;  /* days between snapshots */
	const char *start;   /* first snapshot date */
	uint64_t seed;
} ssr_abusegen_opts_t;

void ssr_abusegen_defaults(ssr_abusegen_opts_t *o);
/* Errors: SSR_EINVAL (bad options), SSR_EIO (writing), SSR_ENOMEM. */
int ssr_abusegen_write(const ssr_abusegen_opts_t *o, ssr_diag_t *diag) SSR_CHECK;

/* ---- feeds and registration data from any zone file ----------------------------------- */

typedef enum {
	SSR_FEEDGEN_URLS = 0, /* one URL per line (http/https, www./subdomains, paths) */
	SSR_FEEDGEN_DOMAINS,  /* one domain per line */
	SSR_FEEDGEN_CSV,      /* domain,first_seen,category with a header */
	SSR_FEEDGEN_HOSTS,    /* hosts-file lines: 0.0.0.0 name */
} ssr_feedgen_shape_t;

typedef struct {
	const char *const *zones; /* zone files whose delegations are sampled */
	size_t nzones;
	const char *output; /* NULL or "-": standard output */
	uint64_t entries;   /* lines (delegations sampled uniformly, then shuffled) */
	ssr_feedgen_shape_t shape;
	double absent; /* share of names under the zone that are not delegated */
	double noise;  /* share of lines a feed reader must reject (IPs, junk) */
	uint64_t seed;
	const char *date;     /* first_seen dates lie in the 30 days up to it */
	const char *category; /* CSV category column */
} ssr_feedgen_opts_t;

void ssr_feedgen_defaults(ssr_feedgen_opts_t *o);
/* Errors: SSR_EINVAL (unknown shape). */
int ssr_feedgen_shape_parse(const char *s, ssr_feedgen_shape_t *out) SSR_CHECK;
/* Errors: SSR_EINVAL (bad options), SSR_EIO (reading a zone, writing), SSR_ENOMEM. */
int ssr_feedgen_write(const ssr_feedgen_opts_t *o, ssr_diag_t *diag) SSR_CHECK;

typedef struct {
	const char *const *zones;
	size_t nzones;
	const char *output;            /* registration CSV: domain,registrar_id,created */
	const char *registrars_output; /* optional: the registrar list (ID,Registrar Name,Status) */
	unsigned registrars;           /* Zipf-distributed domains under management */
	uint64_t seed;
	const char *date; /* creation dates lie up to 25 years before it */
} ssr_reggen_opts_t;

void ssr_reggen_defaults(ssr_reggen_opts_t *o);
/* One row per delegation; a domain's registrar and creation date depend only on its name and
 * the seed, so snapshots of one zone agree.
 * Errors: SSR_EINVAL (bad options), SSR_EIO (reading a zone, writing), SSR_ENOMEM. */
int ssr_reggen_write(const ssr_reggen_opts_t *o, ssr_diag_t *diag) SSR_CHECK;
