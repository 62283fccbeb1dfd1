/* ssrwatch — the DNS regression test suite (SSR2 Rec 20): declarative cases in YAML
 * (docs/FORMATS.md, "regression cases"), run through libprobe against targets, each case's
 * expectations judged into a result with stable error codes and the EDNS Compliance Tester's
 * result tags (ok, noopt, badversion, echoed, mbz, nodo, noaa, nosoa, toobig, timeout, and the
 * rcode seen when another was expected: formerr, servfail, notimp, refused, noerror, ...). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ssrwatch/error.h"
#include "ssrwatch/probe.h"
#include "ssrwatch/state.h"
#include "ssrwatch/store.h"

#define SSR_REGRESS_MAX_OPTS     4
#define SSR_REGRESS_MAX_ANSWER   4
#define SSR_REGRESS_MAX_BEFORE   4
#define SSR_REGRESS_MAX_UPSTREAM 4

/* Severities; CRITICAL and NOTICE (Zonemaster's levels) only in delegation suites. */
typedef enum {
	SSR_SEV_ERROR = 0,
	SSR_SEV_WARNING = 1,
	SSR_SEV_INFO = 2,
	SSR_SEV_CRITICAL = 3,
	SSR_SEV_NOTICE = 4
} ssr_regress_sev_t;
/* "critical", "error", "warning", "notice", "info". */
const char *ssr_regress_sev_name(ssr_regress_sev_t s);

/* -1: not checked; 0: must be clear (absent); 1: must be set (present). */
typedef int8_t ssr_tri_t;

/* What a case expects of the answer. */
typedef struct {
	int rcode;                           /* -1 any; with the EDNS extended bits (16 BADVERS) */
	ssr_tri_t aa, tc, ra, z, ad, cd, rd; /* header bits */
	ssr_tri_t opt;                       /* an OPT record in the answer */
	int edns_version;                    /* -1 any */
	ssr_tri_t do_bit;                    /* the DO bit of the answer's OPT */
	uint16_t mbz;                        /* EDNS flag bits that must be zero in the answer */
	uint16_t echoed[SSR_REGRESS_MAX_OPTS], not_echoed[SSR_REGRESS_MAX_OPTS];
	unsigned nechoed, nnot_echoed;
	struct {
		uint16_t type; /* 0: any; else the answer section must hold ... */
		int min, max;  /* ... this many records of it (-1: no bound) */
	} answer[SSR_REGRESS_MAX_ANSWER], authority[SSR_REGRESS_MAX_ANSWER],
	    additional[SSR_REGRESS_MAX_ANSWER]; /* the same per section */
	unsigned nanswer, nauthority, nadditional;
	int proof;         /* ssr_regress_proof_t: a denial to check */
	unsigned size_max; /* the answer's size at most (0: no limit; TC lifts it) */
	bool timeout_ok;   /* no answer in time passes too (judged on what was asked upstream) */
} ssr_regress_expect_t;

/* What the resolver under test must (not) have asked one mock server (resolver suites): of
 * the queries it sent that server for names at or under 'under' (and over the transport,
 * when given), how many, how deep, and whether with EDNS. */
typedef struct {
	char server[32]; /* the mock server's name */
	char under[256]; /* a name, fully qualified */
	bool exact;      /* only that name ("name:"), not the names under it ("under:") */
	char prefix[32]; /* "" any; else only names whose first label starts with it ("_ta-") */
	uint16_t qtype;  /* 0 any; else only queries of this type */
	int transport;   /* -1 any; else only queries over SSR_PROBE_UDP or SSR_PROBE_TCP */
	int min_count;   /* -1: no bound */
	int max_count;   /* -1: no bound */
	int max_labels;  /* -1: no bound; else no query name deeper (QNAME minimisation) */
	ssr_tri_t edns;  /* 1: every such query carried an OPT record (no EDNS fallback) */
} ssr_regress_upstream_t;

/* A query sent before the case's own (resolver suites: to fill a cache), not judged. */
typedef struct {
	char qname[256];
	ssr_probe_query_t q;
	ssr_probe_transport_t transport;
} ssr_regress_step_t;

/* One case: one query and what its answer must be. */
typedef struct {
	char id[64];
	char title[160];
	char refs[160];
	char tag[32]; /* the Compliance Tester's name of the probe ("edns1", "optlist") */
	ssr_regress_sev_t severity;
	char qname[256];     /* "@" the zone; a name without a final dot is under the zone */
	ssr_probe_query_t q; /* qname set when it runs */
	ssr_probe_transport_t transport;
	uint8_t optbuf[SSR_REGRESS_MAX_OPTS][64];
	unsigned timeout_ms; /* 0: the run's */
	unsigned step; /* resolver suites with a timeline: the step it runs at (0 the start) */
	ssr_regress_expect_t expect;
	ssr_regress_step_t before[SSR_REGRESS_MAX_BEFORE]; /* sent first, in order */
	unsigned nbefore;
	ssr_regress_upstream_t upstream[SSR_REGRESS_MAX_UPSTREAM];
	unsigned nupstream;
	char file[256];
	unsigned line;
	/* delegation suites (kind: delegation): a case is a query as above, asked of every name
	 * server, or a rule of libdeleg over what the servers answered (check, with its param);
	 * each maps to the ids of IANA's requirements, Zonemaster's test cases and ICANN RST */
	char check[32];
	char param[64];
	char iana[48], zonemaster[32], rst[48];
} ssr_regress_case_t;

/* One step of a resolver suite's timeline: the resolvers' clock moves on (libssrclock), mock
 * servers switch zone files, the step's cases run. */
#define SSR_REGRESS_MAX_SWAPS 8
typedef struct {
	char name[32];
	int64_t after; /* seconds after the previous step */
	struct {
		char server[32];
		char file[512];
	} swap[SSR_REGRESS_MAX_SWAPS];
	unsigned nswap;
	struct {
		char server[32];
		int behaviour;         /* ssr_regress_mock_behaviour_t */
	} turn[SSR_REGRESS_MAX_SWAPS]; /* servers that change how they answer (an outage) */
	unsigned nturn;
} ssr_regress_step_def_t;

typedef struct {
	char name[64];
	char title[200];
	char kind[32];    /* "authoritative", "resolver" or "delegation" */
	char version[16]; /* the suite's version ("" none) */
	ssr_regress_case_t *cases;
	size_t ncases;
	char file[256];
	/* resolver suites: the mock hierarchy the resolvers under test start from */
	struct ssr_regress_mock_server *servers;
	size_t nservers;
	char root_ns[256];      /* the root's name server in the hints ("a.root.mock.") */
	char trust_anchor[300]; /* the root's DS, "TAG ALG DIGESTTYPE DIGEST" */
	bool serve_stale;       /* resolvers configured to serve stale data (RFC 8767) */
	char managed_key[1024]; /* "" or the root's KSK as "FLAGS PROTOCOL ALG KEY": an RFC 5011
	                         * managed trust anchor for the resolvers that implement it */
	ssr_regress_step_def_t *steps; /* the timeline after the start (steps[0] is step 1) */
	size_t nsteps;
} ssr_regress_suite_t;

/* DNSSEC denial proofs an answer must carry in its authority section (NSEC or NSEC3). */
typedef enum {
	SSR_PROOF_NONE = 0,
	SSR_PROOF_NXDOMAIN = 1, /* the name and the wildcard at its closest encloser denied */
	SSR_PROOF_NODATA = 2,   /* the name's NSEC/NSEC3 without the type and CNAME */
	SSR_PROOF_WILDCARD = 3, /* a wildcard expansion: no closer match */
	SSR_PROOF_NODS = 4      /* a referral: the delegation has NS and no DS */
} ssr_regress_proof_t;

/* Whether resp (rlen bytes), the answer to query, carries the proof; why not into why.  The
 * signatures are not verified (only that the proof is there and proves it). */
bool ssr_regress_proof_check(ssr_regress_proof_t kind, const uint8_t *query, size_t qlen,
                             const uint8_t *resp, size_t rlen, char *why, size_t cap)
    SSR_NONNULL(2, 4, 6);
const char *ssr_regress_proof_name(ssr_regress_proof_t kind);

/* Read a suite file (YAML, at most 4 MiB).  Unknown keys, wrong types, missing fields,
 * duplicate ids and impossible expectations are errors naming the file, line and key; nothing
 * is returned then.  Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE, SSR_ELIMIT,
 * SSR_ENOMEM. */
int ssr_regress_suite_read(const char *path, ssr_regress_suite_t *out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);
void ssr_regress_suite_release(ssr_regress_suite_t *s);
/* A resolver suite's root address (the server of zone "."); NULL without a hierarchy. */
const char *ssr_regress_suite_root_addr(const ssr_regress_suite_t *s) SSR_NONNULL(1);
/* The suites shipped in data/regress/ (their paths; free with ssr_regress_paths_free).
 * Errors: SSR_ENOTFOUND (none installed), SSR_ENOMEM. */
int ssr_regress_shipped(char ***paths, size_t *n, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);
void ssr_regress_paths_free(char **paths, size_t n);

/* A server under test. */
typedef struct {
	char name[64];
	struct sockaddr_storage addr;
	socklen_t addr_len;
	char impl[64];    /* implementation, when known ("knot"); "" live */
	char version[64]; /* its version, when known */
	char down[256];   /* why it could not be tested (did not start); "" it can */
	char source[48];  /* a resolver started by ssrwatch: the address it asks upstream from */
} ssr_regress_target_t;

/* NAME=ADDR[:PORT] into t (port 53 by default).  Errors: SSR_EINVAL. */
int ssr_regress_target_parse(const char *s, ssr_regress_target_t *t) SSR_CHECK SSR_NONNULL(1, 2);

typedef enum { SSR_RES_PASS = 0, SSR_RES_FAIL = 1, SSR_RES_SKIP = 2 } ssr_regress_res_t;

/* The verdict on one case for one target. */
typedef struct {
	const ssr_regress_target_t *target;
	const ssr_regress_case_t *c;
	const char *suite; /* the suite's name */
	ssr_regress_res_t result;
	char codes[256];   /* stable error codes, space-separated ("RCODE EDNS_OPTION_ECHOED") */
	char tags[128];    /* result tags, space-separated ("ok", "formerr", "echoed mbz") */
	char details[512]; /* what was expected and what came, for people */
	uint64_t seq;      /* the exchange in the record file that decided it */
} ssr_regress_result_t;

/* Judge an exchange against a case (pure: the tests call it on crafted answers). */
void ssr_regress_judge(const ssr_regress_case_t *c, const ssr_probe_result_t *r,
                       ssr_regress_result_t *out) SSR_NONNULL(1, 2, 3);

typedef struct {
	const char *zone;        /* the zone asked about ("example."); resolver suites: none */
	unsigned timeout_ms;     /* per query; 0: 4000 */
	ssr_probe_rec_t *record; /* every exchange; may be NULL */
	struct ssr_regress_mock *mock; /* resolver suites: the hierarchy (its log is judged) */
	const char *clock_file;        /* a timeline: the resolvers' clock file ("+SECONDS") */
	/* Before each round: whether target t still runs (else why, and its remaining cases fail
	 * with TARGET_DOWN and that reason); NULL: not asked. */
	bool (*alive)(const ssr_regress_target_t *t, char *why, size_t cap, void *ctx);
	void *alive_ctx;
	unsigned settle_ms; /* a timeline: the wait after each step's change; 0: 3000 */
	const struct sockaddr_storage *src; /* the source address queries leave from (a vantage
	                                     * point; port 0); NULL: the kernel's choice */
	socklen_t src_len;
} ssr_regress_opts_t;

/* Run every case of the suites against every target (all in one engine, concurrently; cases
 * with a check, of delegation suites, are not queries and fail as NOT_A_QUERY); the
 * results in target then suite order (*out, *n; free()).  Errors: SSR_EINVAL (no zone),
 * SSR_EIO (the engine or the record file), SSR_ENOMEM. */
int ssr_regress_run(const ssr_regress_suite_t *suites, size_t nsuites,
                    const ssr_regress_target_t *targets, size_t ntargets,
                    const ssr_regress_opts_t *o, ssr_regress_result_t **out, size_t *n,
                    ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3, 5, 6, 7);

/* ---- shards (issue 23) ------------------------------------------------------------------ */

#define SSR_REGRESS_STATE_KIND    "regress.run"
#define SSR_REGRESS_STATE_VERSION 1

/* A shard's payload: its targets among targets[0..nt) (ssr_state_item_has: the targets in the run's
 * order, --target ones then --impl ones) and the verdicts on them among r[0..n) (every case of
 * suites[0..ns)).  Exchange numbers stay out: a shard keeps no record file.  Errors: SSR_EINVAL (a
 * result of no target or suite given), SSR_ENOMEM. */
int ssr_regress_shard_save(const ssr_regress_suite_t *suites, size_t ns,
                           const ssr_regress_target_t *targets, size_t nt, uint32_t shard,
                           uint32_t shards, const ssr_regress_result_t *r, size_t n,
                           ssr_state_buf_t *b, ssr_diag_t *diag) SSR_CHECK;
/* The verdicts of a complete set of regress.run states of a run of ntargets targets, in the
 * single run's order (*res, each pointing into *targets and suites; free() both).
 * Errors: SSR_EINVAL (shards missing, a target in no state), SSR_ECORRUPT (a payload, naming
 * file and offset; verdicts missing or twice), SSR_ENOMEM. */
int ssr_regress_shard_combine(const ssr_state_set_t *set, const ssr_regress_suite_t *suites,
                              size_t ns, uint32_t ntargets, ssr_regress_target_t **targets,
                              ssr_regress_result_t **res, size_t *nres, ssr_diag_t *diag) SSR_CHECK;

/* ---- implementations started by ssrwatch ------------------------------------------------- */

typedef struct ssr_regress_daemon ssr_regress_daemon_t;

/* An implementation ssrwatch can start in a role: authoritative knot, nsd, bind, pdns;
 * resolver unbound, kresd, bind, pdns-recursor (their list for messages:
 * ssr_regress_impl_names). */
bool ssr_regress_impl_known(const char *impl, bool resolver) SSR_NONNULL(1);
const char *ssr_regress_impl_names(bool resolver);

/* What to start. */
typedef struct {
	const char *impl; /* "knot", "unbound", ... */
	bool resolver;    /* the role */
	const char *addr; /* where it listens (loopback) and its port */
	uint16_t port;
	const char *zone, *zonefile; /* authoritative: the zone it serves (the file is copied) */
	const char *root_ns, *root_addr; /* resolver: the root's name server (hints; port 53) */
	const char *trust_anchor; /* resolver: the root's DS as "TAG ALG DIGESTTYPE DIGEST" */
	const char *source;       /* resolver: the loopback address it asks upstream from */
	const char *managed_key;  /* resolver: the root KSK "FLAGS PROTO ALG KEY" as an RFC 5011
	                           * managed anchor (where implemented; the DS otherwise); NULL */
	bool serve_stale;         /* resolver: configured to serve stale data (RFC 8767) */
	const char *clock_file;   /* resolver: its clock runs "+SECONDS" ahead as this file says
	                           * (libssrclock, LD_PRELOAD); NULL: the real clock */
	unsigned ready_s;         /* how long it may take to answer (0: 10 s; a TLD-size zone
	                           * loads for minutes) */
} ssr_regress_daemon_spec_t;

/* Start an implementation from data/regress/targets/ in a fresh working directory; *t
 * describes it (name and implementation sp->impl, its version).  Returns once it answers: an
 * authoritative server the zone's SOA, a resolver any answer to ". SOA".  Errors: SSR_EINVAL
 * (an unknown implementation, a missing zone, hints or trust anchor), SSR_ENOTFOUND (not
 * installed, no configuration), SSR_EIO (it did not start or answer: diag quotes its log);
 * nothing is left running then. */
int ssr_regress_daemon_start(const ssr_regress_daemon_spec_t *sp, ssr_regress_daemon_t **out,
                             ssr_regress_target_t *t, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2, 3, 4);
/* Whether it still runs; if not, why into why ("knot died during the run (signal 9)"). */
bool ssr_regress_daemon_alive(ssr_regress_daemon_t *d, char *why, size_t cap) SSR_NONNULL(2);
/* SIGTERM, up to 5 s, then SIGKILL; the working directory removed.  NULL: nothing. */
void ssr_regress_daemon_stop(ssr_regress_daemon_t *d);

/* ---- the mock DNS hierarchy (resolver suites) ------------------------------------------- */

typedef enum {
	SSR_MOCK_NORMAL = 0,       /* answers as an authoritative server */
	SSR_MOCK_TRUNCATE_UDP = 1, /* every UDP answer is empty with TC set */
	SSR_MOCK_DROP = 2          /* never answers */
} ssr_regress_mock_behaviour_t;

/* One mock server: a zone on a loopback address of its own. */
typedef struct ssr_regress_mock_server {
	char name[32];  /* "root", "secure" */
	char addr[48];  /* IPv4 loopback ("127.53.0.1") */
	char zone[256]; /* its apex (".", "secure.") */
	char file[512]; /* its zone file */
	ssr_regress_mock_behaviour_t behaviour;
} ssr_regress_mock_server_t;

/* One query a mock server received. */
typedef struct {
	unsigned server; /* its index */
	char qname[256]; /* as asked (case kept); "(malformed)" */
	uint16_t qtype;
	bool tcp, edns, do_bit, rd;
	char src[48]; /* who asked: the source address */
} ssr_regress_mock_query_t;

typedef struct ssr_regress_mock ssr_regress_mock_t;

/* Load every server's zone and serve them on their addresses, port port (53 for resolvers;
 * binding it needs root or CAP_NET_BIND_SERVICE), in a thread of its own.  Errors:
 * SSR_EINVAL (no servers, more than 64, an address not IPv4 loopback), SSR_ENOTFOUND and
 * SSR_EPARSE (a zone file: its name and line), SSR_ELIMIT (a zone over 100,000 records), SSR_EIO
 * (an address in use or not allowed), SSR_ENOMEM; nothing is left listening then. */
int ssr_regress_mock_start(const ssr_regress_mock_server_t *servers, size_t n, uint16_t port,
                           ssr_regress_mock_t **out, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4);
/* A copy of every query received so far, in order (*out, *n; free()).  Errors: SSR_ENOMEM,
 * SSR_ELIMIT (more than 200,000 queries: the log is incomplete). */
int ssr_regress_mock_log(ssr_regress_mock_t *m, ssr_regress_mock_query_t **out, size_t *n,
                         ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 3);
/* What server i answers to a query (qlen bytes; over TCP or UDP) into out (cap bytes): *len
 * its length, 0 when it does not answer (not a query; a server that drops).  Pure: the tests
 * and the fuzzer call it.  Errors: SSR_EINVAL (no such server, cap under 12). */
int ssr_regress_mock_answer(const ssr_regress_mock_t *m, size_t server, const uint8_t *query,
                            size_t qlen, bool tcp, uint8_t *out, size_t cap, size_t *len) SSR_CHECK
    SSR_NONNULL(1, 3, 6, 8);
/* Server i serves file from now on (loaded first; the old zone kept when it does not load).
 * Errors: SSR_EINVAL (no such server), the zone file's. */
int ssr_regress_mock_load(ssr_regress_mock_t *m, size_t server, const char *file,
                          ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3);
/* Server i answers in this way from now on (normal, truncate-udp, drop: an outage).  Errors:
 * SSR_EINVAL (no such server). */
int ssr_regress_mock_behave(ssr_regress_mock_t *m, size_t server, int behaviour,
                            ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* Server i's configuration (NULL past the end). */
const ssr_regress_mock_server_t *ssr_regress_mock_server(const ssr_regress_mock_t *m, size_t i)
    SSR_NONNULL(1);
/* Stop serving and free.  NULL: nothing. */
void ssr_regress_mock_stop(ssr_regress_mock_t *m);

/* Keep a run's figures in the store (per target and suite: cases, passed, failed of severity
 * error; regressstore.h) for date (YYYY-MM-DD), in one transaction: the live evidence of SSR2
 * Rec 20 in the recommendation tracker.  Errors: the store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_regress_store(ssr_store_t *st, const ssr_regress_result_t *r, size_t n, const char *date,
                      ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4);

/* ---- differential runs (regress diff) ----------------------------------------------------- */

#define SSR_DIFF_FIELDS 5 /* rcode, flags, answer, authority, rrsig */

/* One disagreement: a query whose answers differ in one field. */
typedef struct {
	char qname[256];
	uint16_t qtype;
	int field;           /* 0 rcode, 1 flags, 2 answer, 3 authority, 4 rrsig */
	bool unstable;       /* no value held by most targets: nobody to blame */
	char odd[256];       /* the targets that differ from most (space-separated) */
	char values[8][160]; /* each target's value (in target order; cut at 159 bytes) */
} ssr_regress_diff_t;

/* Where the queries of a differential run come from. */
typedef enum {
	SSR_DIFF_QUERIES = 0, /* a query file ("NAME TYPE" lines, dnsperf's format) */
	SSR_DIFF_CAPTURE =
	    1,            /* the questions of the queries in a capture (pcap, pcapng; libtraffic) */
	SSR_DIFF_ZONE = 2 /* every name and type a zone file holds (RRSIG and NSEC/NSEC3 left
	                   * out) */
} ssr_regress_diff_from_t;

typedef struct {
	bool rd;             /* queries with RD (resolvers) */
	unsigned timeout_ms; /* 0: 4000 */
	ssr_probe_rec_t *record;
	ssr_regress_diff_from_t from;
	const char *origin; /* SSR_DIFF_ZONE: the zone's origin (NULL: "."; $ORIGIN lines rule) */
} ssr_regress_diff_opts_t;

const char *ssr_regress_diff_field(int field);

/* Ask every target (2 to 8) every query of path (o->from: a query file of "NAME TYPE" lines; the
 * distinct questions of a capture's queries, in the order first seen; or the distinct names
 * and types of a zone file; at most 20,000), compare the
 * answers field by field (rcode; the flags AA TC RD RA Z AD CD; the answer and authority
 * records without TTLs, in order; RRSIG present), ask again once for the queries that
 * disagreed and keep only what disagreed both times.  *out (*n; free()) the disagreements, in
 * query order; *asked the queries asked, *timeouts the answers that did not come.  Errors:
 * SSR_EINVAL (targets), the query file's, SSR_ELIMIT (too many queries), SSR_EIO (the engine),
 * SSR_ENOMEM. */
int ssr_regress_diff(const char *path, const ssr_regress_target_t *targets, size_t ntargets,
                     const ssr_regress_diff_opts_t *o, ssr_regress_diff_t **out, size_t *n,
                     uint64_t *asked, uint64_t *timeouts, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2, 4, 5, 6, 7, 8);
