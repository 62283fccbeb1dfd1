/* ssrwatch — a simulated root server system for tests and demos (libgen): a fault-injecting
 * UDP/TCP relay in front of the RSIs, each RSI's queries forwarded to a real authoritative
 * server (Knot DNS, NSD) on loopback, with faults planned per RSI and interval, and new root
 * zone serials published on a schedule.  The plan (docs/FORMATS.md, "RSS simulation plan"):
 *
 *   start 2026-11-01T00:00:00Z   nominal time of interval 0
 *   interval-ms 3000             real length of one five-minute interval
 *   intervals 24                 how long the simulation runs
 *   backend knot 127.12.1.1:5300 a server the relay forwards to, by name
 *   rsi a knot                   the backend of RSI a
 *   stale nsd-old                the backend that serves the previous zone (fault "stale")
 *   initial FILE                 the zone current before the first publication
 *   publish 4 FILE               the zone FILE becomes current at interval 4
 *   fault b 0 24 down            RSI b: from interval 0 to 24 (exclusive) no answer
 *   fault c 4 20 delay 400       answers held 400 ms
 *   fault d 4 7 stale            answers from the stale backend
 *   fault e 10 12 alter          an RRset changed (an rdata byte)
 *   fault f 16 18 badsig         a signature changed
 *   fault g 2 4 truncate         UDP answers truncated (TC, no records)
 *   fault h 18 20 refused        REFUSED
 *
 * The simulated clock: nominal = start + (wall - epoch) * 300 s / interval-ms. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ssrwatch/error.h"
#include "ssrwatch/log.h"
#include "ssrwatch/rss.h"

typedef enum {
	SSR_RSSGEN_DOWN = 1,
	SSR_RSSGEN_DELAY,
	SSR_RSSGEN_STALE,
	SSR_RSSGEN_ALTER,
	SSR_RSSGEN_BADSIG,
	SSR_RSSGEN_TRUNCATE,
	SSR_RSSGEN_REFUSED,
} ssr_rssgen_fault_kind_t;

#define SSR_RSSGEN_MAX_FAULTS   256
#define SSR_RSSGEN_MAX_PUBLISH  64
#define SSR_RSSGEN_MAX_BACKENDS 16

typedef struct {
	char rsi[16];
	uint32_t from, to; /* intervals [from, to) */
	ssr_rssgen_fault_kind_t kind;
	unsigned delay_ms;
} ssr_rssgen_fault_t;

typedef struct {
	int64_t start_us;
	unsigned interval_ms, intervals;
	struct {
		char name[32];
		struct sockaddr_storage addr;
		socklen_t len;
	} backend[SSR_RSSGEN_MAX_BACKENDS];
	unsigned nbackends;
	int rsi_backend[SSR_RSS_MAX_RSI]; /* by the RSI list's order; -1 none */
	char rsi_id[SSR_RSS_MAX_RSI][16];
	unsigned nrsi_plan;
	int stale_backend; /* -1 none */
	char initial[512]; /* "" none */
	struct {
		uint32_t at;
		char file[512];
	} publish[SSR_RSSGEN_MAX_PUBLISH];
	unsigned npublish;
	ssr_rssgen_fault_t fault[SSR_RSSGEN_MAX_FAULTS];
	unsigned nfaults;
} ssr_rssgen_plan_t;

/* Errors: SSR_ENOTFOUND, SSR_EIO, SSR_EPARSE (file and line), SSR_ELIMIT. */
int ssr_rssgen_plan_load(const char *path, ssr_rssgen_plan_t *plan, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);

typedef struct {
	const ssr_rssgen_plan_t *plan;
	const ssr_rss_rsi_t *rsi; /* the frontends the relay listens on (every one loopback) */
	size_t nrsi;
	int64_t epoch_us;       /* the wall time of nominal `start` (read once, then carried on
	                         * by CLOCK_MONOTONIC, as the VPs do) */
	const char *on_publish; /* a shell command run as `CMD NEW-FILE PREVIOUS-FILE` a third of
	                         * an interval before each publication interval (PREVIOUS: the
	                         * zone published before, or the plan's initial one); NULL none */
	const char *log_path;   /* one line per query: interval, RSI, transport, fault; NULL none */
	ssr_log_t *log;
} ssr_rssgen_relay_opts_t;

/* Run the relay until the plan's last interval has passed (bounded: intervals x interval-ms
 * plus one interval).  Refuses any frontend or backend address that is not loopback.
 * Errors: SSR_EINVAL (the plan and RSI list disagree, an address not loopback), SSR_EIO
 * (a socket), SSR_ENOMEM. */
int ssr_rssgen_relay_run(const ssr_rssgen_relay_opts_t *o, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);

/* The relay's faults on a response (msg, len bytes), exposed for tests: "alter" changes the
 * rdata of the first record that is neither OPT nor RRSIG so that it still parses (a letter of
 * a leading name, else the last byte); "badsig" changes the last byte of the first RRSIG.
 * Return false when the message has no such record or does not hold together. */
bool ssr_rssgen_alter(uint8_t *msg, size_t len) SSR_NONNULL(1);
bool ssr_rssgen_badsig(uint8_t *msg, size_t len) SSR_NONNULL(1);

/* ---- generated VP states (tests, benchmarks) ------------------------------------------------ */

/* What a generated measurement looks like: the fate of each SOA query. */
typedef enum {
	SSR_RSSGEN_OK = 0,     /* answered */
	SSR_RSSGEN_FAILED = 1, /* a timeout */
	SSR_RSSGEN_ABSENT = 2, /* not measured */
} ssr_rssgen_fate_t;

typedef ssr_rssgen_fate_t (*ssr_rssgen_fate_fn)(unsigned vp, uint32_t idx, unsigned rsi, int tf,
                                                void *ctx);

typedef struct {
	const char *month; /* YYYY-MM */
	unsigned vps;      /* VP states written: DIR/vpNN-MONTH.state */
	unsigned nrsi;     /* RSIs a, b, c, ... (at most 26) */
	uint64_t seed;
	ssr_rssgen_fate_fn fate; /* NULL: every query answered */
	void *ctx;
	unsigned serial_every; /* a new serial every this many intervals, seen by each RSI after a
	                        * random 0-2 intervals; 0: one serial all month */
	bool correctness;      /* one correct answer per RSI and interval */
	unsigned days;         /* only the month's first days (0: all of it) */
	unsigned timeout_permille; /* without a fate: this share of queries time out (hashed) */
} ssr_rssgen_states_opts_t;

/* Write the states (latencies drawn from a lognormal-ish spread around 20 ms UDP, 45 ms TCP;
 * deterministic for a seed).  Errors: SSR_EIO, SSR_ENOMEM, SSR_EINVAL. */
int ssr_rssgen_states(const ssr_rssgen_states_opts_t *o, const char *dir,
                      ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);
