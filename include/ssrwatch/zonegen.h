/* ssrwatch — deterministic, realistic TLD zone generator for tests and benchmarks. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ssrwatch/error.h"

typedef struct {
	const char *origin;   /* the TLD, e.g. "example" */
	uint64_t delegations; /* number of delegated names */
	uint64_t seed;
	unsigned hosters;        /* DNS hosting providers; 0: 5000 */
	double ds_share;         /* share of signed delegations; <0: 0.25 */
	double idn_share;        /* share of IDN delegations; <0: 0.03 */
	bool signed_apex;        /* DNSKEY, RRSIG, NSEC3PARAM at the apex */
	bool signed_delegations; /* signed as .com is: the apex, an RRSIG on every DS, and an
	                          * opt-out NSEC3 chain (NSEC3 + RRSIG per signed delegation) */
	bool nsec;  /* with signed_delegations (SSR_EINVAL without): an NSEC chain through the apex
	             * and every delegation, each NSEC with its RRSIG (as the root zone and
	             * NSEC-signed TLDs have it), instead of the NSEC3 chain */
	bool plain; /* only the one-record-per-line absolute form */
	bool unsorted; /* the delegations (each whole) in a shuffled order, as registry dumps in
	                * insertion order come: the same records as the sorted zone of the seed */
} ssr_zonegen_opts_t;

void ssr_zonegen_defaults(ssr_zonegen_opts_t *o);
/* Write the zone to out in canonical order (unsorted: the apex first, then the delegations
 * shuffled).
 * Errors: SSR_EINVAL (bad options), SSR_EIO (writing), SSR_ENOMEM. */
int ssr_zonegen_write(const ssr_zonegen_opts_t *opts, FILE *out, ssr_diag_t *diag) SSR_CHECK;
