/* ssrwatch — root server system KPIs per RSSAC047 v2 (librss): one vantage point's measurement
 * process (ssr_rss_measure), its monthly state file, and the monthly report merged from any
 * number of states (ssr_rss_report).  The requirement tags of RSSAC047 ("[xyz]") are listed in
 * data/rss/requirements.txt; the code cites them where it meets them.
 *
 * Transports x address families are indexed 0..3: UDP/IPv4, TCP/IPv4, UDP/IPv6, TCP/IPv6. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ssrwatch/error.h"
#include "ssrwatch/log.h"

#define SSR_RSS_MAX_RSI  32  /* root server identifiers in one measurement (13 today) */
#define SSR_RSS_NT       4   /* transport x family */
#define SSR_RSS_INTERVAL 300 /* seconds: RSSAC047 [wyn] */
#define SSR_RSS_K        8   /* RSIs needed for the RSS to work: RSSAC047 section 4.9 */

typedef enum {
	SSR_RSS_UDP4 = 0,
	SSR_RSS_TCP4 = 1,
	SSR_RSS_UDP6 = 2,
	SSR_RSS_TCP6 = 3
} ssr_rss_tf_t;
const char *ssr_rss_tf_name(int tf); /* "udp4", "tcp4", "udp6", "tcp6" */

/* ---- root server identifiers ---------------------------------------------------------------- */

typedef struct {
	char id[16];                     /* "a" .. "m" */
	char name[80];                   /* "a.root-servers.net." */
	struct sockaddr_storage addr[2]; /* [0] IPv4, [1] IPv6 (port 53 unless given) */
	socklen_t addr_len[2];           /* 0: no address of that family */
} ssr_rss_rsi_t;

/* "1.2.3.4", "1.2.3.4:53", "::1", "[::1]:5353" into *a (port 53 unless given); want 4 or 6
 * restricts the family, 0 takes either.  False when it is none of those. */
bool ssr_rss_addr_parse(const char *s, int want, struct sockaddr_storage *a, socklen_t *len)
    SSR_NONNULL(1, 3, 4);

/* The RSIs of path: a root hints file (named.root: "A.ROOT-SERVERS.NET. 3600000 A 198.41.0.4")
 * or a list, one RSI per line: "ID IPV4[:PORT] [IPV6]" or "[IPV6]:PORT" ('#' comments), sorted
 * by id.  Errors: SSR_ENOTFOUND, SSR_EIO, SSR_EPARSE (file and line), SSR_ELIMIT. */
int ssr_rss_rsi_load(const char *path, ssr_rss_rsi_t *out, size_t cap, size_t *n,
                     ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 4);

/* ---- the state of one vantage point for one month -------------------------------------------- */

enum {
	SSR_RSS_S_NONE = 0,     /* not measured (no address of that family) */
	SSR_RSS_S_ANSWERED = 1, /* NOERROR within the timeout */
	SSR_RSS_S_FAILED =
	    2, /* a timeout, a connection error or another RCODE: RSSAC047 [dfl] [ppo] */
};

typedef struct {
	uint8_t status;  /* SSR_RSS_S_* */
	uint8_t outcome; /* ssr_probe_outcome_t of the exchange */
	uint16_t rcode;  /* of an answer */
	uint32_t rtt_us; /* send (TCP: connect) to the full answer; 0 without one */
	uint32_t serial; /* the SOA serial of a NOERROR answer */
	uint8_t has_serial;
} ssr_rss_sample_t;

/* Correctness of one answer (RSSAC047 5.3). */
enum {
	SSR_RSS_C_NONE = 0, /* no correctness query to this RSI in the interval */
	SSR_RSS_C_CORRECT = 1,
	SSR_RSS_C_INCORRECT = 2,
	SSR_RSS_C_NORESPONSE = 3, /* a timeout, an error, or an RCODE other than NOERROR and
	                           * NXDOMAIN (not counted: RSSAC047 [ote]) */
	SSR_RSS_C_UNCHECKED = 4,  /* no verified root zone to check against: could not be checked */
};

/* Why an answer is incorrect (the first rule it breaks). */
typedef enum {
	SSR_RSS_R_OK = 0,
	SSR_RSS_R_MALFORMED,  /* not a DNS message that answers the question */
	SSR_RSS_R_AA,         /* the AA bit wrong for the kind of answer */
	SSR_RSS_R_RRSET,      /* an RRset not in the zone (RSSAC047 [vnk]) */
	SSR_RSS_R_SIGNATURE,  /* a signature that does not validate ([yds]) */
	SSR_RSS_R_UNSIGNED,   /* an RRset that must be signed is not */
	SSR_RSS_R_ANSWER,     /* the answer section wrong for the kind of answer */
	SSR_RSS_R_AUTHORITY,  /* the authority section wrong */
	SSR_RSS_R_ADDITIONAL, /* the additional section wrong */
	SSR_RSS_R_NSEC,       /* a missing or wrong NSEC proof ([mkl] [czb] [jhz]) */
	SSR_RSS_R_GLUE,       /* no glue for the delegation ([cjm]) */
	SSR_RSS_R_UNEXPECTED, /* an answer no rule covers (a question not of the RSSAC047 kinds) */
	SSR_RSS_R_COUNT
} ssr_rss_reason_t;
const char *ssr_rss_reason_name(int reason);

typedef struct {
	uint8_t result;   /* SSR_RSS_C_* */
	uint8_t tf;       /* the transport x family it was sent over (after a TC retry: TCP) */
	uint8_t negative; /* an expected-negative query (www.rssac047-test.<random>/A) */
	uint8_t reason;   /* ssr_rss_reason_t of an incorrect answer */
	uint16_t qtype;
	uint8_t tc_retry; /* the UDP answer had TC and the query was retried over TCP ([hjw]) */
	uint32_t serial;  /* the serial of the zone it matched (correct) */
} ssr_rss_corr_t;

enum {
	SSR_RSS_F_CLOCKJUMP = 1, /* the wall clock jumped during the interval: excluded */
};

/* One measurement interval of one VP. */
typedef struct {
	uint32_t idx;   /* the interval of the month: 0 .. days * 288 - 1 */
	uint32_t flags; /* SSR_RSS_F_* */
	int64_t t_us;   /* when the measurement started (UTC, after the random delay) */
	ssr_rss_sample_t soa[SSR_RSS_MAX_RSI][SSR_RSS_NT];
	ssr_rss_corr_t corr[SSR_RSS_MAX_RSI];
} ssr_rss_interval_t;

/* What a state (a section of a state file) is about. */
typedef struct {
	char month[8];   /* YYYY-MM */
	char vp[64];     /* the vantage point's name */
	char region[64]; /* its region (RSSAC047 3.2: Africa, APAC, Europe, LAC, North America) */
	uint32_t interval_s; /* 300 */
	uint32_t nrsi;
	char rsi[SSR_RSS_MAX_RSI][16]; /* the RSI ids measured, sorted */
} ssr_rss_hdr_t;

typedef struct ssr_rss_state ssr_rss_state_t;

/* Open path to append intervals for hdr's VP and month: created with hdr when missing, else its
 * header must be hdr's (month, VP, region, RSIs).  *last the last interval recorded (-1 none).
 * A file that ends in a partial record is an error naming the offset unless repair, which cuts
 * the partial record off (it was never complete).  Errors: SSR_EIO, SSR_EPARSE, SSR_EINVAL (a
 * header that differs), SSR_ENOMEM. */
int ssr_rss_state_open(const char *path, const ssr_rss_hdr_t *hdr, bool repair,
                       ssr_rss_state_t **out, int64_t *last, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2, 4, 5);
/* Append one interval (written and fsync'ed before it returns); its index must be after the
 * last.  Errors: SSR_EINVAL (an interval already recorded), SSR_EIO. */
int ssr_rss_state_append(ssr_rss_state_t *s, const ssr_rss_interval_t *iv,
                         ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);
/* Appends no longer wait for the disk (generated states for tests and benchmarks, written
 * whole and checked after). */
void ssr_rss_state_nosync(ssr_rss_state_t *s) SSR_NONNULL(1);
void ssr_rss_state_close(ssr_rss_state_t *s);

typedef int (*ssr_rss_section_fn)(const ssr_rss_hdr_t *h, void *ctx);
typedef int (*ssr_rss_interval_fn)(const ssr_rss_hdr_t *h, const ssr_rss_interval_t *iv, void *ctx);
/* Every section header and interval of path, in file order (a merged file holds several
 * sections).  Errors: SSR_ENOTFOUND, SSR_EIO, SSR_EPARSE (a bad magic, version, checksum,
 * count, or a truncated record: file and offset named), the callbacks'. */
int ssr_rss_state_read(const char *path, ssr_rss_section_fn on_hdr, ssr_rss_interval_fn on_iv,
                       void *ctx, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);

/* ---- exclusions (RSSAC047 [raz] [hnr] [xjv] [dew]) ------------------------------------------ */

typedef struct {
	char vp[64];            /* "*" every VP */
	char rsi[16];           /* "*" every RSI (the VP's whole measurement) */
	int64_t from_us, to_us; /* intervals starting in [from, to) */
	char reason[256];
	uint64_t removed; /* measurements it removed (filled by the report) */
} ssr_rss_excl_t;

/* Lines "VP RSI FROM TO REASON..." (times YYYY-MM-DDTHH:MM:SSZ; '#' comments).  *out
 * allocated (free()).  Errors: SSR_ENOTFOUND, SSR_EIO, SSR_EPARSE (file and line), SSR_ENOMEM. */
int ssr_rss_excl_load(const char *path, ssr_rss_excl_t **out, size_t *n, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2, 3);

/* ---- the monthly report ---------------------------------------------------------------------- */

typedef enum { SSR_RSS_NODATA = 0, SSR_RSS_PASS = 1, SSR_RSS_FAIL = 2 } ssr_rss_verdict_t;
const char *ssr_rss_verdict_name(ssr_rss_verdict_t v);

typedef struct {
	uint64_t sent, answered; /* availability: answered / sent */
	uint64_t lat_n;          /* latency samples */
	double lat_median_ms;
	ssr_rss_verdict_t avail_v, lat_v;
} ssr_rss_tfstat_t;

typedef struct {
	uint64_t responses, correct, incorrect, unchecked, noresponse;
	uint64_t by_reason[SSR_RSS_R_COUNT];
	ssr_rss_verdict_t v;
} ssr_rss_corrstat_t;

typedef struct {
	uint64_t n;        /* observations (VP x new serial) */
	uint64_t censored; /* a new serial this VP never saw from the RSI before the month ended */
	double median_min;
	ssr_rss_verdict_t v;
} ssr_rss_pubstat_t;

typedef struct {
	char id[16];
	ssr_rss_tfstat_t tf[SSR_RSS_NT];
	ssr_rss_corrstat_t corr;
	ssr_rss_pubstat_t pub;
	/* per day of the month, for the charts: availability (all transports) and UDP/IPv4 median
	 */
	uint64_t day_sent[31], day_answered[31];
	double day_lat_ms[31]; /* -1: none */
} ssr_rss_rsistat_t;

typedef struct {
	uint64_t sum_min, sum_k, vp_intervals; /* RSSAC047 [cvf]: sum min(k, r) / sum k */
	uint64_t lat_n;
	double lat_median_ms;
	ssr_rss_verdict_t avail_v, lat_v;
} ssr_rss_systf_t;

typedef struct {
	char serial[16];
	int64_t published_us; /* the start of the interval it was first seen in ([yxn]) */
} ssr_rss_serial_t;

typedef struct {
	char month[8];
	unsigned k, nrsi, nvp, days;
	char rsi[SSR_RSS_MAX_RSI][16];
	char (*vps)[2][64];      /* nvp: name, region, sorted by name */
	uint64_t intervals;      /* VP intervals read */
	uint64_t excluded_clock; /* VP intervals excluded for a clock jump */
	ssr_rss_rsistat_t rsis[SSR_RSS_MAX_RSI];
	ssr_rss_systf_t rss[SSR_RSS_NT];
	ssr_rss_corrstat_t rss_corr;
	ssr_rss_pubstat_t rss_pub;
	ssr_rss_serial_t *serials; /* new serials of the month, in order */
	size_t nserials;
	uint64_t pub_hist[64]; /* publication latencies by interval count (the last: 63 and more) */
	ssr_rss_excl_t *excl;  /* the exclusions applied, with what each removed */
	size_t nexcl;
} ssr_rss_report_t;

typedef struct {
	const char *month; /* YYYY-MM: required; every state must be of it */
	unsigned k;        /* 0: 8 */
	const ssr_rss_excl_t *excl;
	size_t nexcl;
} ssr_rss_report_opts_t;

/* The report of month from the states of paths (any order, any grouping: the same report).  A
 * VP may appear in several files (its intervals unite) but an interval twice is an error.
 * Errors: those of ssr_rss_state_read, SSR_EINVAL (a state of another month, another RSI set,
 * an interval twice; the file named), SSR_ENOMEM.  Nothing is reported from a failed merge. */
int ssr_rss_report_build(const char *const *paths, size_t n, const ssr_rss_report_opts_t *o,
                         ssr_rss_report_t **out, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3, 4);
void ssr_rss_report_free(ssr_rss_report_t *r);

struct ssr_store;
/* The report's figures into the store (rssstore.h), replacing the month's: all or nothing.
 * Errors: SSR_ESTORE, SSR_ENOMEM. */
int ssr_rss_report_store(const ssr_rss_report_t *r, struct ssr_store *st,
                         ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);

/* The value of an availability as the report prints it: a percentage truncated (not rounded)
 * to `decimals` places, as RSSAC047's examples are ("99.99992" for 1382399/1382400). */
void ssr_rss_pct(uint64_t num, uint64_t den, int decimals, char *out, size_t cap) SSR_NONNULL(4);

/* Merge the states of paths into one file out (sections sorted by VP, intervals by index);
 * the same checks as the report.  Errors: as ssr_rss_report_build, SSR_EIO (writing out). */
int ssr_rss_state_merge(const char *const *paths, size_t n, const char *out,
                        ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3);

/* ---- correctness (RSSAC047 5.3) ---------------------------------------------------------------
 */

typedef struct ssr_rss_zones ssr_rss_zones_t;

/* The root zones a VP checks answers against: those first seen in the 48 hours before a query
 * and the one in use when that window began ([ooy] [yhu]).  ds: the root's trust anchor ("TAG
 * ALG 2 HEX" or DS records one per line, as ssr_zmem_verify_zone reads them; NULL: the DNSKEY is
 * not checked against one).  Errors: SSR_EINVAL (a trust anchor that is not DS records),
 * SSR_ENOMEM. */
int ssr_rss_zones_new(const char *ds, ssr_log_t *log, ssr_rss_zones_t **out,
                      ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(3);
void ssr_rss_zones_free(ssr_rss_zones_t *z);
/* Load and verify one root zone file first seen at now_us (DNSSEC with the trust anchor, and
 * ZONEMD where present); a zone that fails is not kept and the error says why.  A serial already
 * kept is not loaded again (*added false).  Errors: the reader's, SSR_EINVAL (verification). */
int ssr_rss_zones_add(ssr_rss_zones_t *z, const char *file, int64_t now_us, bool *added,
                      ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 4);
/* Every "*.zone" file of dir not yet tried (files that fail are tried once and logged, never
 * used).  Errors: SSR_ENOTFOUND, SSR_EIO (the directory), SSR_ENOMEM. */
int ssr_rss_zones_scan(ssr_rss_zones_t *z, const char *dir, int64_t now_us,
                       ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);
/* Zones kept; the newest serial (false when none). */
size_t ssr_rss_zones_count(const ssr_rss_zones_t *z);
bool ssr_rss_zones_newest(const ssr_rss_zones_t *z, uint32_t *serial);

/* The positive questions of the newest zone ([mow]): ./SOA, ./DNSKEY, ./NS and every TLD's NS
 * ([max]; ARPA's left out unless arpa_ns: [unt]) and DS ([kmd]); the i-th of *n.
 * Errors: SSR_ENOTFOUND (no zone yet), SSR_EINVAL (i beyond *n), SSR_ELIMIT, SSR_ENOMEM. */
int ssr_rss_zones_question(const ssr_rss_zones_t *z, bool arpa_ns, size_t i, char *qname,
                           size_t cap, uint16_t *qtype, size_t *n) SSR_CHECK
    SSR_NONNULL(1, 4, 6, 7);

/* Whether the response (msg, len; already matched to its question) is correct against one of the
 * zones in use at now_us; *reason why not, *serial the zone it matched.  A response that is
 * not a DNS message is incorrect (SSR_RSS_R_MALFORMED), not an error.  Errors: SSR_ENOTFOUND
 * (no zone in use then: the answer cannot be checked), SSR_ENOMEM. */
int ssr_rss_check(ssr_rss_zones_t *z, const uint8_t *msg, size_t len, int64_t now_us, bool *correct,
                  ssr_rss_reason_t *reason, uint32_t *serial, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2, 5, 6, 7);

/* Fetch the root zone by AXFR over TCP from server ("ADDR[:PORT]", loopback in tests) into the
 * file path (presentation form, written to path.tmp and renamed when complete).  Bounded: at
 * most 64 MiB and timeout_ms in all.  Errors: SSR_EIO (network), SSR_EPARSE (a bad message or
 * a transfer that does not end with the SOA), SSR_ELIMIT. */
int ssr_rss_axfr(const char *server, const char *path, unsigned timeout_ms, uint32_t *serial,
                 ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 4);

/* ---- the measurement process (RSSAC047 4, 5.1, 5.3) ------------------------------------------ */

typedef struct {
	const ssr_rss_rsi_t *rsi;
	size_t nrsi;
	const char *vp, *region;
	const char *state_dir; /* DIR/VP-YYYY-MM.state */
	const char *raw_dir;   /* DIR/YYYY-MM-DD/VP-HHMMSS.rec: every exchange (libprobe records);
	                        * NULL: not kept */
	const char *zone_dir;  /* root zone files for correctness (scanned every interval) */
	const char *axfr;      /* a distribution server to transfer the root zone from; NULL none */
	const char *ds;        /* the root's trust anchor */
	const char *src4, *src6; /* source addresses; NULL: the kernel's */
	unsigned intervals;      /* stop after this many intervals measured (0: never) */
	unsigned timeout_ms;     /* 0: 4000 ([ywz] [twf]) */
	bool case_randomize;     /* 0x20 ([zon]) */
	bool cookie;             /* a client cookie on every query ([ujj]) */
	bool arpa_ns;            /* ask ARPA/NS too ([unt]) */
	bool no_ipv6, no_ipv4;
	bool repair; /* cut a partial last record of the state off */
	/* a simulated clock (tests, demos): nominal time sim_start_us + (wall - sim_epoch_us) *
	 * 300000 / sim_interval_ms, so that VPs and the simulated RSS started apart agree; the
	 * wall time is read once, then carried on by CLOCK_MONOTONIC (a step of the wall clock
	 * moves no simulated interval, and no interval is marked for it);
	 * sim_interval_ms 0: the wall clock; sim_epoch_us 0: when the run starts */
	int64_t sim_start_us, sim_epoch_us;
	unsigned sim_interval_ms;
	uint64_t seed; /* the random delays and question choices; 0: from the system */
	/* the clock that times the run (UTC microseconds) in place of the wall clock, or of the
	 * simulation's monotonic one; NULL: those.  Tests make it jump. */
	int64_t (*wall_clock)(void *ctx);
	void *clock_ctx;
	ssr_log_t *log;
} ssr_rss_measure_opts_t;

typedef struct {
	uint64_t intervals, skipped, queries, clock_jumps;
	double cpu_s; /* CPU time used by the process over the run */
} ssr_rss_measure_stats_t;

/* Measure until o->intervals intervals are recorded: at each five-minute boundary ([wyn]) wait
 * a random 0-60 s ([fzk]), ask every RSI ". SOA" over each transport and family with NSID
 * ([hht] [mgj]), one correctness question per RSI over a random transport and family ([thb]
 * [ogo]), check it, append the interval to the state.  An interval already in the state is never
 * measured again; a wall-clock jump marks the interval excluded.  Errors: state,
 * network setup, zone errors (logged and the run goes on unless the state cannot be written). */
int ssr_rss_measure(const ssr_rss_measure_opts_t *o, ssr_rss_measure_stats_t *stats,
                    ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);

/* ---- requirements traceability ----------------------------------------------------------------
 */

typedef struct {
	char tag[4];
	char section[8];
	char status[16];               /* "implemented", "out-of-scope", "operational" */
	char text[240];                /* what it asks, and for out-of-scope the reason */
	unsigned code_refs, test_refs; /* citations found in src/ and tests/ at build time */
} ssr_rss_req_t;

/* The requirements of data/rss/requirements.txt (compiled in) with the citations of the
 * sources. */
const ssr_rss_req_t *ssr_rss_requirements(size_t *n) SSR_NONNULL(1);
