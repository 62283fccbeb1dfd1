/* ssrwatch — deterministic registry data escrow deposits (RFC 8909/9022, XML model) made from any
 * zone file, for tests, demos and benchmarks: registrars, contacts, hosts, IDN tables, NNDNs,
 * EPP parameters and policy around the zone's delegations (NS, DS, glue), optionally wrapped as
 * RyDE (tar, OpenPGP-encrypted and signed with a generated test key), and bad deposits with
 * exactly known faults. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/error.h"

#define SSR_ESCROWGEN_MAX_FAULTS 8

typedef struct {
	const char *zone;     /* the zone file (its delegations become domain objects) */
	const char *tld;      /* the TLD (the zone's origin); required */
	const char *dir;      /* where the deposit goes */
	const char *date;     /* the watermark day, YYYY-MM-DD (default 2026-01-01) */
	const char *repo;     /* the repository ID of roids (default SSRW) */
	unsigned registrars;  /* default 20 */
	unsigned contacts;    /* contact pool; 0 with minimum */
	bool minimum;         /* the minimum data model: no contacts, no registrant */
	bool host_attributes; /* the host attribute model: no host objects */
	unsigned idn_tables;  /* IDN table objects (default 2) */
	unsigned nndn;        /* NNDN objects (default 3) */
	uint64_t seed;
	const char *faults[SSR_ESCROWGEN_MAX_FAULTS];
	unsigned nfaults;
	const char *diff_from;  /* write a DIFF deposit: the changes from this (older) zone to zone:
	                         * removed delegations as deletes, changed and new ones in full */
	const char *prev_id;    /* the DIFF's prevId (default: the id gen escrow gives the day
	                         * before's deposit) */
	bool encrypt;           /* write {name}.ryde (tar inside, encrypted) and {name}.sig */
	const char *gnupg_home; /* keyring for encrypt: a key is generated when it has none */
} ssr_escrowgen_opts_t;

void ssr_escrowgen_defaults(ssr_escrowgen_opts_t *o);

typedef struct {
	char path[1024]; /* the deposit written (.xml or .ryde) */
	char sig[1024];  /* the signature ("" without encrypt) */
	uint64_t domains, hosts, contacts, registrars;
	uint64_t bytes; /* XML bytes */
	char key[64];   /* the key's fingerprint (encrypt) */
} ssr_escrowgen_result_t;

/* The faults, each meant to raise exactly one RST code: NULL-terminated names. */
const char *const *ssr_escrowgen_faults(void);
/* The RST code a fault raises (NULL: not a fault). */
const char *ssr_escrowgen_fault_code(const char *fault);

/* Write the deposit.  Errors: SSR_EINVAL (an option, an unknown fault), the zone reader's,
 * SSR_EIO (a file; GPGME), SSR_ENOMEM. */
int ssr_escrowgen_write(const ssr_escrowgen_opts_t *o, ssr_escrowgen_result_t *r,
                        ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);
