/* ssrwatch — the active measurement engine (libprobe): DNS queries built with libknot, sent over
 * UDP and TCP (connections reused, queries pipelined) from one non-blocking event loop (epoll),
 * answers matched strictly, every exchange recorded in an append-only file later commands
 * re-read (docs/FORMATS.md, "probe records").  No hidden retries: a query is sent once; a retry
 * is a new query the caller submits, and is recorded as such.
 *
 * Times: t_send is UTC (CLOCK_REALTIME) in microseconds, for reporting; durations come from
 * CLOCK_MONOTONIC, in microseconds. */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ssrwatch/error.h"

/* ---- queries ---------------------------------------------------------------------------- */

#define SSR_PROBE_MAX_MSG  65535 /* a DNS message; TCP's length prefix is 16 bits */
#define SSR_PROBE_MAX_OPTS 8

typedef struct {
	uint16_t code;
	uint16_t len;
	const uint8_t *data; /* len bytes */
} ssr_probe_opt_t;

/* What a query asks and how. */
typedef struct {
	const char *qname; /* presentation form, absolute or not ("." the root) */
	uint16_t qtype, qclass;
	uint8_t opcode;        /* 0 QUERY */
	bool rd, cd, ad;       /* header flags */
	bool aa, tc, ra;       /* flags of answers, set in a query (conformance probes) */
	bool z;                /* the reserved header bit set (conformance probes) */
	uint16_t id;           /* 0: random */
	bool case_randomize;   /* 0x20: letters of qname in random case */
	bool edns;             /* an OPT record */
	uint8_t edns_version;  /* 0 */
	uint16_t edns_bufsize; /* advertised UDP payload size; 0: 1232 */
	bool edns_do;          /* DNSSEC OK */
	uint16_t edns_flags;   /* further EDNS flag bits (the Z field, conformance probes) */
	bool nsid;             /* ask for the name server identifier (RFC 5001) */
	bool cookie;           /* a random client cookie (RFC 7873) */
	uint16_t padding;      /* pad the query to a multiple of this (RFC 7830); 0 none */
	ssr_probe_opt_t
	    opts[SSR_PROBE_MAX_OPTS]; /* further options, in order (ECS, key tag, ...) */
	unsigned nopts;
} ssr_probe_query_t;

/* A query with every field at its usual value: qtype A, class IN, RD off, EDNS on with a 1232
 * byte buffer. */
void ssr_probe_query_init(ssr_probe_query_t *q);

/* The query as wire bytes into out (cap bytes); *len its size.  Errors: SSR_EINVAL (a bad
 * name, option or flag; diag says which), SSR_ELIMIT (larger than cap). */
int ssr_probe_query_build(const ssr_probe_query_t *q, uint8_t *out, size_t cap, size_t *len,
                          ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 4);

/* Type and class by name ("AAAA", "TYPE65534", "IN", "CH") or number.  Errors: SSR_EINVAL. */
int ssr_probe_type_parse(const char *s, uint16_t *type) SSR_CHECK SSR_NONNULL(1, 2);
int ssr_probe_class_parse(const char *s, uint16_t *cls) SSR_CHECK SSR_NONNULL(1, 2);

/* ---- answers ------------------------------------------------------------------------------ */

/* What strict matching and parsing found in a response (ssr_probe_parse). */
typedef struct {
	uint16_t id;
	uint8_t opcode;
	uint16_t rcode; /* with the EDNS extended bits */
	uint16_t flags; /* the header's flag bits (QR AA TC RD RA Z AD CD) as on the wire */
	uint16_t qdcount, ancount, nscount, arcount;
	bool edns; /* an OPT record came back */
	uint8_t edns_version;
	uint16_t edns_bufsize, edns_flags; /* edns_flags: the 16 flag bits, DO the top one */
	uint16_t opt_codes[16]; /* the options it carried, in order (at most 16 listed) */
	unsigned nopts;
	bool has_nsid, has_cookie;
	uint8_t nsid[128]; /* the NSID's bytes (at most 128 kept) */
	uint8_t nsid_len;
	size_t size;
} ssr_probe_answer_t;

/* Parse a response (msg, len bytes) with libknot into a; when query is given (qlen bytes), check
 * that it answers it: the same ID, QR set, the same question (case exactly as sent, so 0x20
 * randomisation is checked).  Errors: SSR_EPARSE (not a DNS message: truncated, compression
 * loop, counts beyond the message; diag says what), SSR_EINVAL (a message that does not answer
 * the query; diag says how). */
int ssr_probe_parse(const uint8_t *msg, size_t len, const uint8_t *query, size_t qlen,
                    ssr_probe_answer_t *a, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 5);

/* The records of type (0: any) in section (1 answer, 2 authority, 3 additional) of a
 * response into *n.  Errors: SSR_EPARSE (not a DNS message), SSR_ENOMEM. */
int ssr_probe_count_rrs(const uint8_t *msg, size_t len, int section, uint16_t type, unsigned *n,
                        ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 5);

/* Names of an rcode (with its EDNS extension) and an opcode; NULL when unassigned. */
const char *ssr_probe_rcode_name(uint16_t rcode);
const char *ssr_probe_opcode_name(uint8_t opcode);

typedef int (*ssr_probe_rr_fn)(int section, const char *text, void *ctx);
/* Each record of a response as one line of presentation text, by section (0 question,
 * 1 answer, 2 authority, 3 additional; the OPT record left out: see ssr_probe_answer_t), to fn;
 * what fn returns other than SSR_EOK stops it.  RDATA that does not hold together is shown in
 * the generic form (RFC 3597).  Errors: SSR_EPARSE (not a DNS message), SSR_ENOMEM, fn's. */
int ssr_probe_msg_rrs(const uint8_t *msg, size_t len, ssr_probe_rr_fn fn, void *ctx,
                      ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3);

/* ---- the engine --------------------------------------------------------------------------- */

typedef enum {
	SSR_PROBE_UDP = 1,
	SSR_PROBE_TCP = 2,
	SSR_PROBE_TLS = 3, /* DNS over TLS (RFC 7858): TCP framing in a GnuTLS session */
} ssr_probe_transport_t;

typedef enum {
	SSR_PROBE_ANSWER = 0,    /* a response that answers the query */
	SSR_PROBE_TIMEOUT = 1,   /* none within the timeout */
	SSR_PROBE_REFUSED = 2,   /* TCP connection refused, or ICMP port unreachable on UDP */
	SSR_PROBE_RESET = 3,     /* the TCP connection closed or reset before the answer */
	SSR_PROBE_MALFORMED = 4, /* a response for this query that is not a DNS message */
	SSR_PROBE_NETERR = 5,    /* the query could not be sent (no route, no source address) */
	SSR_PROBE_TLSFAIL = 6,   /* the TLS handshake failed or the certificate was not accepted */
} ssr_probe_outcome_t;
#define SSR_PROBE_NOUTCOMES 7

const char *ssr_probe_outcome_name(ssr_probe_outcome_t o);
const char *ssr_probe_transport_name(ssr_probe_transport_t t);

/* One query to send. */
typedef struct {
	struct sockaddr_storage dst; /* the server */
	socklen_t dst_len;
	struct sockaddr_storage src; /* source address (port 0: any in the engine's range) */
	socklen_t src_len;           /* 0: the kernel's choice */
	ssr_probe_transport_t transport;
	const uint8_t *query; /* wire bytes (ssr_probe_query_build); copied by submit */
	size_t qlen;
	unsigned timeout_ms;  /* 0: 4000 */
	bool fresh_conn;      /* TCP, TLS: a connection of its own, closed after the answer */
	const char *tls_name; /* TLS: the server's name (SNI, and checked against its certificate
	                       * when tls_verify); NULL none; copied */
	bool tls_verify;      /* TLS: accept only a certificate that chains to the trusted CAs
	                       * (ssr_probe_opts_t.tls_ca, else the system's) and names tls_name */
	bool keep_id;         /* send the ID as built (else the engine draws one, unique on its
	                         socket or connection, and records the query as sent) */
	const char *label; /* recorded with the exchange (a case and step); copied; may be NULL */
	void *user;        /* handed back in the result */
} ssr_probe_req_t;

/* One exchange as it happened; pointers valid during the callback only. */
typedef struct {
	uint64_t seq; /* submission order, from 0 */
	ssr_probe_transport_t transport;
	ssr_probe_outcome_t outcome;
	struct sockaddr_storage src, dst; /* src: the address and port actually used */
	int64_t t_send_us;                /* UTC */
	uint32_t rtt_us;                  /* send (TCP: connect) to the full answer; 0 none */
	const uint8_t *query, *resp;      /* resp NULL without an answer */
	size_t qlen, rlen;
	const char *label; /* "" none */
	void *user;
} ssr_probe_result_t;

typedef void (*ssr_probe_done_fn)(const ssr_probe_result_t *r, void *ctx);
typedef struct ssr_probe ssr_probe_t;
/* Called when the engine has room and nothing queued: submit up to room queries; return false
 * when there are no more (it is not called again). */
typedef bool (*ssr_probe_feed_fn)(ssr_probe_t *p, unsigned room, void *ctx);

typedef struct ssr_probe_rec ssr_probe_rec_t;

typedef struct {
	unsigned max_inflight; /* queries outstanding at once; 0: 1000 */
	unsigned udp_sockets;  /* UDP sockets per source address, each its own random port; 0: 16 */
	unsigned tcp_pipeline; /* queries in flight on one TCP connection; 0: 32 */
	uint16_t port_lo, port_hi; /* source ports drawn from this range; 0, 0: the kernel's */
	ssr_probe_done_fn done;    /* every exchange, in completion order; may be NULL */
	void *ctx;
	ssr_probe_rec_t *record; /* every exchange appended here; NULL none */
	ssr_probe_feed_fn feed;  /* queries made as room frees (a stream too long to queue); NULL */
	void *feed_ctx;
	const char *tls_ca; /* TLS: a PEM file of trusted CAs; NULL: the system's trust store */
} ssr_probe_opts_t;

/* Errors: SSR_EINVAL (bad options), SSR_EIO (no epoll or sockets), SSR_ENOMEM. */
int ssr_probe_new(const ssr_probe_opts_t *o, ssr_probe_t **out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);
void ssr_probe_free(ssr_probe_t *p);
/* Queue a query (the engine sends as room allows).  Errors: SSR_EINVAL (a bad request),
 * SSR_ENOMEM. */
int ssr_probe_submit(ssr_probe_t *p, const ssr_probe_req_t *req, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);
/* Run until every submitted query has its outcome.  Errors: SSR_EIO (the event loop or the
 * record file failed; the exchanges before are recorded), SSR_ENOMEM. */
int ssr_probe_run(ssr_probe_t *p, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);

/* Counters of a run. */
typedef struct {
	uint64_t sent, answered, timeouts, refused, resets, malformed, neterr;
	uint64_t unsolicited; /* responses that answered no outstanding query (dropped, counted) */
	uint64_t tcp_connects;
	uint64_t tls_failures; /* queries ended by a failed TLS handshake */
} ssr_probe_stats_t;
void ssr_probe_stats(const ssr_probe_t *p, ssr_probe_stats_t *out) SSR_NONNULL(1, 2);

/* ---- the record file ---------------------------------------------------------------------- */

/* Create (truncate) path for writing.  Errors: SSR_EIO, SSR_ENOMEM. */
int ssr_probe_rec_open(const char *path, ssr_probe_rec_t **out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);
/* Append one exchange.  Errors: SSR_EIO. */
int ssr_probe_rec_put(ssr_probe_rec_t *w, const ssr_probe_result_t *r, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);
/* Flush and close; *w is freed either way.  Errors: SSR_EIO (the file is incomplete). */
int ssr_probe_rec_close(ssr_probe_rec_t *w, ssr_diag_t *diag) SSR_CHECK;

typedef int (*ssr_probe_rec_fn)(const ssr_probe_result_t *r, void *ctx);
/* Every record of path in order, to fn (what it returns other than SSR_EOK stops the read).
 * Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (not a record file, a bad checksum or
 * a record beyond its caps; diag names the file and offset), fn's. */
int ssr_probe_rec_read(const char *path, ssr_probe_rec_fn fn, void *ctx, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);

/* ---- a run's summary ---------------------------------------------------------------------- */

/* What a run of many exchanges came to (ssr_probe_summary_add each, then _finish). */
typedef struct {
	uint64_t exchanges, outcomes[SSR_PROBE_NOUTCOMES]; /* by ssr_probe_outcome_t */
	uint64_t rcodes[24]; /* answers by rcode (0-23; the rest in rcode_other) */
	uint64_t rcode_other, truncated;
	uint64_t elapsed_us; /* the first send to the last completion (monotonic) */
	/* answered round trips, microseconds: exact order statistics of every answer */
	double rtt_p50, rtt_p90, rtt_p99;
	uint32_t rtt_max;
	double qps; /* answers per second of elapsed time */
	/* private */
	uint32_t *rtts;
	size_t nrtt, caprtt;
	uint64_t t0, t1;
	int err;
} ssr_probe_summary_t;

void ssr_probe_summary_init(ssr_probe_summary_t *s) SSR_NONNULL(1);
/* Count one exchange (at the time it completes). */
void ssr_probe_summary_add(ssr_probe_summary_t *s, const ssr_probe_result_t *r) SSR_NONNULL(1, 2);
/* The order statistics and rate.  Errors: SSR_ENOMEM (an add could not keep an rtt). */
int ssr_probe_summary_finish(ssr_probe_summary_t *s, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
void ssr_probe_summary_release(ssr_probe_summary_t *s);

/* ---- query files ------------------------------------------------------------------------ */

/* One line of a query file: "NAME TYPE" (dnsperf's data file: TYPE may be left out for A;
 * '#' comments and blank lines skipped). */
typedef int (*ssr_probe_qline_fn)(const char *name, uint16_t type, uint64_t line, void *ctx);
/* Every query of path (plain, gzip or zstd; "-" standard input) to fn in order; lines up to
 * 1024 bytes.  Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (a bad line: file, line
 * and why), SSR_ELIMIT (a line over the cap), fn's. */
int ssr_probe_qfile_read(const char *path, ssr_probe_qline_fn fn, void *ctx,
                         ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);

/* "127.0.0.1", "::1", "[::1]:5353", "127.0.0.1:5353" into dst (port default_port when none).
 * Errors: SSR_EINVAL. */
int ssr_probe_addr_parse(const char *s, uint16_t default_port, struct sockaddr_storage *dst,
                         socklen_t *len) SSR_CHECK SSR_NONNULL(1, 3, 4);
/* "ADDR:PORT" or "[ADDR]:PORT" of a, into out (at least 64 bytes). */
void ssr_probe_addr_format(const struct sockaddr_storage *a, char *out, size_t cap)
    SSR_NONNULL(1, 2);
