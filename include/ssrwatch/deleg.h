/* ssrwatch — the technical check of a delegation change (SSR2 Rec 23): a zone and its
 * proposed name servers (names, addresses, optional DS set) checked as IANA checks a change
 * of a TLD's NS or DS records, with the equivalent Zonemaster and ICANN RST cases.  The checks
 * are a delegation suite (data/delegation/, the regression suite's YAML format with kind
 * "delegation"): a case is either a query asked of every server address from every vantage
 * point over its transport (judged as a regression case), or a rule of this library over what
 * the servers answered ("check: soa-serial").  A change passes only when no check of severity
 * ERROR or CRITICAL failed or could not run. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ssrwatch/error.h"
#include "ssrwatch/log.h"
#include "ssrwatch/probe.h"
#include "ssrwatch/regress.h"

#define SSR_DELEG_MAX_NS       16 /* name servers of a delegation */
#define SSR_DELEG_MAX_ADDRS    8  /* addresses of one name server */
#define SSR_DELEG_MAX_DS       16
#define SSR_DELEG_MAX_SOURCES  8  /* vantage points (source addresses) */
#define SSR_DELEG_MAX_EVIDENCE 64 /* exchanges kept per check */

typedef struct {
	char name[256]; /* fully qualified, lower case */
	struct sockaddr_storage addr[SSR_DELEG_MAX_ADDRS];
	socklen_t addr_len[SSR_DELEG_MAX_ADDRS];
	unsigned naddr;
	bool given; /* the addresses came with the change (glue); else looked up */
} ssr_deleg_ns_t;

typedef struct {
	uint16_t tag;
	uint8_t alg, digest_type;
	uint8_t digest[64];
	uint8_t len;
} ssr_deleg_ds_t;

/* The proposed delegation. */
typedef struct {
	char zone[256]; /* fully qualified, lower case */
	ssr_deleg_ns_t ns[SSR_DELEG_MAX_NS];
	unsigned nns;
	ssr_deleg_ds_t ds[SSR_DELEG_MAX_DS];
	unsigned nds;
} ssr_deleg_change_t;

/* The zone's name into ch (emptied first).  Errors: SSR_EINVAL (not a domain name). */
int ssr_deleg_change_init(ssr_deleg_change_t *ch, const char *zone, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);
/* One name server "NAME[=ADDR[,ADDR]...]" (addresses "192.0.2.1", "2001:db8::1", or with a
 * port "192.0.2.1:5300", "[2001:db8::1]:5300"; port 53 otherwise) added to ch; the name is kept as
 * given for the syntax check. Errors: SSR_EINVAL (a bad name or address, the same name twice),
 * SSR_ELIMIT (too many). */
int ssr_deleg_ns_add(ssr_deleg_change_t *ch, const char *s, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);
/* One DS "TAG ALG DIGESTTYPE HEX" (zone-file form, optionally after "OWNER [TTL] [IN] DS")
 * or "TAG,ALG,DIGESTTYPE,HEX" (Zonemaster's) added to ch.  Errors: SSR_EINVAL, SSR_ELIMIT. */
int ssr_deleg_ds_add(ssr_deleg_change_t *ch, const char *s, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);

typedef enum {
	SSR_DELEG_PASS = 0,
	SSR_DELEG_FAIL = 1,
	SSR_DELEG_SKIP = 2, /* does not apply (DNSSEC checks without a DS set) */
	SSR_DELEG_ERROR = 3 /* could not run: never a pass */
} ssr_deleg_res_t;
const char *ssr_deleg_res_name(ssr_deleg_res_t r);

/* One exchange behind a result. */
typedef struct {
	uint64_t seq;     /* in the record file */
	char server[300]; /* "NAME ADDR" */
	char src[48];     /* the vantage point */
	ssr_probe_transport_t transport;
	char qname[256];
	uint16_t qtype;
	ssr_probe_outcome_t outcome;
	int rcode; /* -1 no answer */
	uint16_t flags;
} ssr_deleg_evidence_t;

typedef struct {
	const ssr_regress_case_t *c; /* the check's definition in the suite */
	ssr_deleg_res_t result;
	char message[768];
	ssr_deleg_evidence_t
	    *ev; /* the exchanges that decided it (at most SSR_DELEG_MAX_EVIDENCE) */
	size_t nev;
} ssr_deleg_check_t;

typedef struct {
	const ssr_regress_suite_t *suite;
	const ssr_deleg_change_t *change;
	ssr_deleg_change_t *resolved; /* the change with looked-up addresses (what was asked) */
	ssr_deleg_check_t *checks;    /* in suite order */
	size_t n;
	unsigned failed[5]; /* failed or could not run, by ssr_regress_sev_t */
	bool passed;        /* nothing of severity ERROR or CRITICAL failed or could not run */
	uint64_t exchanges; /* queries sent */
	char sources[SSR_DELEG_MAX_SOURCES][48];
	unsigned nsources;
} ssr_deleg_report_t;

typedef struct {
	const struct sockaddr_storage *sources; /* vantage points (port 0); none: the kernel's */
	const socklen_t *source_lens;
	unsigned nsources;
	bool no_ipv4, no_ipv6; /* leave out the server addresses of a family */
	bool allow_private;    /* private, loopback and reserved addresses pass (tests) */
	unsigned timeout_ms;   /* per query; 0: 4000 */
	int64_t now;           /* signature validity at; 0: the clock */
	const char *asn_table; /* "PREFIX ASN" lines for the AS diversity check; NULL none */
	const struct sockaddr_storage *resolver; /* looks up name servers without addresses */
	socklen_t resolver_len;
	ssr_probe_rec_t *record; /* every exchange; NULL none */
	ssr_log_fn log;          /* progress; may be NULL */
	void *log_ctx;
} ssr_deleg_opts_t;

/* The suite shipped in data/delegation/ (its path into out, cap bytes). */
void ssr_deleg_suite_path(char *out, size_t cap) SSR_NONNULL(1);

/* Run every case of suite (kind delegation) on the change.  A name server without an address
 * is looked up through o->resolver (without one, or when it finds none, the server is not
 * asked and ns-addresses fails).  Errors: SSR_EINVAL (not a
 * delegation suite, a check it does not know, no name servers), SSR_ENOTFOUND (an AS table that
 * cannot be read), SSR_EPARSE (a bad AS table line), SSR_EIO (the probe engine or the record
 * file), SSR_ENOMEM. */
int ssr_deleg_check(const ssr_regress_suite_t *suite, const ssr_deleg_change_t *ch,
                    const ssr_deleg_opts_t *o, ssr_deleg_report_t *out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2, 3, 4);
void ssr_deleg_report_release(ssr_deleg_report_t *r);

/* Whether a rule name is one ssr_deleg_check knows. */
bool ssr_deleg_rule_known(const char *name) SSR_NONNULL(1);

/* What ssr_deleg_audit hands over per delegation: the change as the zone has it and its
 * report (NULL: the zone no longer delegates the name: nothing to check); valid during the
 * call.  Return SSR_EOK to go on. */
typedef int (*ssr_deleg_audit_fn)(const ssr_deleg_change_t *ch, const ssr_deleg_report_t *r,
                                  void *ctx);
/* The post-change audit of a zone update (zone diff --check): each of the delegations names
 * (n of them, lower case, fully qualified) rebuilt from the zone file (its NS and DS sets; the
 * addresses the zone holds for its name servers anywhere in it, as glue; the others looked up
 * through o->resolver) and checked with suite, in name order.  The file is read twice; memory
 * depends on n, not on the zone.  Errors: the zone reader's, ssr_deleg_check's, fn's. */
int ssr_deleg_audit(const char *zone_path, const char *origin, const char *const *names, size_t n,
                    const ssr_regress_suite_t *suite, const ssr_deleg_opts_t *o,
                    ssr_deleg_audit_fn fn, void *ctx, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 3, 5, 6, 7);
