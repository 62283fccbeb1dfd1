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

/* ---- host names as phishing names them (issue 25) ------------------------------------------ */

typedef struct {
	unsigned per_shape; /* look-alikes per shape; default 40 */
	uint64_t benign;    /* benign host names for the false-positive rate; default 20000 */
	uint64_t seed;
	const char *dict;     /* a word list (one per line); default /usr/share/dict/words */
	const ssr_psl_t *psl; /* with the provider list loaded (ssr_psl_load_providers) */
} ssr_names_hosts_opts_t;

/* Write brands (the 17 distinctive brands phishing uses most and common-word brands), host
 * names (one per line, as written: some with capitals) and the truth (CSV:
 * name,brand,shape,kinds,position,provider,expect; kinds the accepted kinds joined by '|',
 * expect "match", "innocent" or "benign").  Shapes: provider-user, provider-deep,
 * throwaway-sub, glued, leet, case, brand-tld, context (matches); near-miss (innocents: a
 * common-word brand inside ordinary words, no lure); benign (random word compounds).
 * Deterministic for a seed and word list.
 * Errors: SSR_ENOTFOUND or SSR_EIO (the word list), SSR_EPARSE (fewer than 1000 usable words),
 * SSR_EIO (writing), SSR_ENOMEM. */
int ssr_names_gen_hosts(const ssr_names_hosts_opts_t *opts, const char *brands_path,
                        const char *hosts_path, const char *truth_path, ssr_diag_t *diag) SSR_CHECK;
