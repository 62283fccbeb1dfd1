/* ssrwatch — a deterministic sample world for abuse reporting (tests, benchmarks, make run).
 *
 * DIR/dates.txt (one snapshot date per line), DIR/zones/TLD-DATE.zone,
 * DIR/feeds/DATE/{phishing.urls,malware.csv,spam.txt,botnet.hosts},
 * DIR/registrations/DATE.csv, DIR/registrars.csv, DIR/prices.csv and DIR/planted.json (the
 * TLD and registrars planted far above the rest). */
#pragma once

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
int ssr_abusegen_write(const ssr_abusegen_opts_t *o, ssr_diag_t *diag);
