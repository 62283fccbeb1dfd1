/* ssrwatch — test data for misleading-name detection (libgen): protected names and a zone
 * with planted look-alikes and near-miss innocents, with the truth. */
#pragma once

#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/psl.h"

typedef struct {
	const char *tld;      /* zone origin; default "com" */
	uint64_t delegations; /* filler delegations (innocent); default 10000 */
	unsigned brands;      /* default 100 */
	unsigned plants;      /* look-alikes planted per brand; default 3 */
	unsigned innocents;   /* near-miss innocents planted per brand; default 1 */
	uint64_t seed;
	const ssr_psl_t *psl;
} ssr_names_gen_opts_t;

/* Write brands (one per line), the zone, and the truth (CSV: domain,brand,kind,expect with
 * expect "match" or "innocent").  Deterministic for a seed.
 * Errors: SSR_EIO (writing), SSR_ENOMEM. */
int ssr_names_gen(const ssr_names_gen_opts_t *opts, const char *brands_path, const char *zone_path,
                  const char *truth_path, ssr_diag_t *diag) SSR_CHECK;
