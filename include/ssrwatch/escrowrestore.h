/* ssrwatch — rebuilding a TLD's DNS from escrow deposits (the EBERO's first task, SSR2 Rec 26):
 * restore (the zone from the last FULL deposit plus the later DIFF/INCR deposits), reconcile (the
 * discrepancies between deposits and a zone file) and the timed restore drill (restore, sign,
 * serve on loopback with Knot DNS or NSD, query every delegation, compare with the original). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/escrowstore.h"

#define SSR_ESCROW_MAX_DEPOSITS 64

typedef struct {
	const char *deposits[SSR_ESCROW_MAX_DEPOSITS]; /* FULL and DIFF/INCR, any order */
	size_t ndeposits;
	const char *apex;       /* a zone file whose apex records (SOA, NS, ...; DNSSEC records
	                         * dropped) and the addresses of in-zone apex name servers head the
	                         * restored zone; required */
	const char *out;        /* the zone file written (written to .tmp, renamed when complete) */
	const char *held_out;   /* optional: the names kept out for their status, one per line */
	const char *gnupg_home; /* for .ryde deposits */
	uint32_t serial;        /* the SOA serial (0: the apex file's) */
	uint32_t ttl;           /* TTL of delegation records (0: 172800; DS 86400) */
	bool allow_gaps;        /* apply DIFFs whose prevId does not chain (else an error) */
} ssr_escrow_restore_opts_t;

typedef struct {
	char tld[256];
	char full[1024]; /* the FULL deposit used */
	char full_id[32];
	char watermark[40]; /* of the last deposit applied */
	unsigned diffs;     /* DIFF/INCR deposits applied */
	unsigned skipped;   /* deposits not used (older, superseded resends) */
	uint64_t domains;   /* domain objects in the result */
	uint64_t delegated; /* of which delegated (NS, not held) */
	uint64_t held;      /* kept out: clientHold, serverHold */
	uint64_t no_ns;     /* without name servers */
	uint64_t ds, glue;  /* records written */
	uint64_t hosts;     /* host objects */
	uint32_t serial;
	double decrypt_s, parse_s,
	    build_s; /* phases (streamed together: time split by where it went) */
} ssr_escrow_restore_t;

/* Rebuild the zone.  Errors: SSR_EINVAL (options; no FULL deposit; a gap in the DIFF chain
 * without allow_gaps; a deposit for another TLD), the reader's (SSR_EPARSE with member and line,
 * SSR_ECORRUPT for decryption), the apex file's, SSR_EIO, SSR_ENOMEM. */
int ssr_escrow_restore(const ssr_escrow_restore_opts_t *o, ssr_escrow_restore_t *r,
                       ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);

/* ---- reconcile ---- */

typedef enum {
	SSR_RECON_ZONE_ONLY = 0,    /* delegated in the zone, not in the deposit */
	SSR_RECON_DEPOSIT_ONLY = 1, /* delegated by the deposit, not in the zone */
	SSR_RECON_HELD_IN_ZONE = 2, /* in the zone though its status keeps it out (*Hold) */
	SSR_RECON_NS = 3,           /* NS sets differ */
	SSR_RECON_DS = 4,           /* DS sets differ */
	SSR_RECON_GLUE = 5,         /* a host's addresses differ */
} ssr_recon_cat_t;
#define SSR_RECON_NCATS 6
const char *ssr_recon_cat_name(ssr_recon_cat_t c);

#define SSR_RECON_EXAMPLES 20

typedef struct {
	uint64_t count[SSR_RECON_NCATS];
	char examples[SSR_RECON_NCATS][SSR_RECON_EXAMPLES][320];
	unsigned nexamples[SSR_RECON_NCATS];
	uint64_t zone_delegations, deposit_delegations;
	ssr_escrow_restore_t restore;
	double seconds;
} ssr_recon_t;

typedef struct {
	ssr_escrow_restore_opts_t restore; /* deposits, gnupg_home; apex and out are set inside */
	const char *zone;                  /* the zone file to reconcile with */
	const char *tmp_dir;
	size_t memory; /* the zone diff's sort memory per side (0: 256 MiB) */
} ssr_recon_opts_t;

/* Errors: the restore's and the zone diff's. */
int ssr_escrow_reconcile(const ssr_recon_opts_t *o, ssr_recon_t *r, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);

/* ---- the drill ---- */

#define SSR_DRILL_EXAMPLES 20

typedef struct {
	ssr_escrow_restore_opts_t restore; /* deposits, apex, gnupg_home, serial */
	const char *dir;                   /* working directory (the zone and the server's files) */
	const char *server;                /* "knot" (default) or "nsd" */
	const char *listen;                /* loopback address (default 127.0.0.1) */
	uint16_t port;                     /* default 5353 */
	const char *compare_zone;          /* the original zone: expected answers */
	const char *compare_server; /* or the original server: ADDR[#PORT] (loopback in tests) */
	const char *const
	    *sign_keys; /* ldns-signzone key files (K*.private base names); NULL none */
	size_t nsign_keys;
	unsigned max_queries; /* bound on the verification (0: every delegation, 2 queries each) */
	unsigned timeout_ms;  /* per query (0: 2000) */
	unsigned load_timeout_s; /* for the server to answer (0: 600) */
	double threshold_s;      /* the DNS availability threshold (0: 4 hours) */
} ssr_drill_opts_t;

typedef struct {
	ssr_escrow_restore_t restore;
	double sign_s, load_s, verify_s, total_s;
	double answering_s; /* deposit to a correctly answering server: every phase to verify */
	bool within;        /* answering_s <= threshold */
	double threshold_s;
	uint64_t checked; /* delegations checked */
	uint64_t matched; /* answering like the original */
	uint64_t mismatched, unanswered;
	uint64_t retries; /* queries sent again after a timeout (at most twice each) */
	char examples[SSR_DRILL_EXAMPLES][320];
	unsigned nexamples;
	char server[64]; /* implementation and version */
	bool signed_zone;
	bool passed; /* every checked delegation answered like the original */
} ssr_drill_t;

/* Errors: the restore's, SSR_ENOTFOUND (the server or ldns-signzone not installed), SSR_EIO (the
 * server did not start or answer within load_timeout_s; the signer failed), SSR_EINVAL. */
int ssr_escrow_drill(const ssr_drill_opts_t *o, ssr_drill_t *r, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);

/* The drill as the store's row (escrowstore.h), drilled at when (RFC 3339). */
void ssr_escrow_drill_row(const ssr_drill_t *r, const char *when, ssr_escrow_drill_row_t *row)
    SSR_NONNULL(1, 2, 3);
