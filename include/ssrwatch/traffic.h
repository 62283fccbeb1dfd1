/* ssrwatch — DNS traffic from packet captures (SSR2 Rec 22, 24; RSSAC002): the capture reader
 * (pcap and pcapng via libpcap; plain, gzip, zstd, stdin), the packet decoder (link layers, IPv4
 * and IPv6 with fragment reassembly, UDP, DNS over TCP with stream reassembly), the DNS message
 * parser, and the RSSAC002 v3
 * metrics.  Malformed input is counted by reason, never fatal (docs/METHODOLOGY.md). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ssrwatch/error.h"
#include "ssrwatch/log.h"
#include "ssrwatch/state.h"

/* ---- DNS messages ------------------------------------------------------------------------ */

#define SSR_DNS_MAX_JUMPS 64 /* compression pointers followed in one name */

typedef struct {
	uint16_t id;
	bool qr, tc, rd;
	uint8_t opcode;
	uint16_t rcode; /* with the EDNS extended bits when an OPT record is present */
	uint16_t qdcount, ancount, nscount, arcount;
	bool has_question;
	uint8_t qname[256]; /* wire form, lowercased */
	uint16_t qname_len, qtype, qclass;
	bool edns;
	uint16_t udp_size;
	uint8_t edns_version;
	bool do_bit;
	bool ecs, cookie, padding, keytag; /* EDNS options seen (codes 8, 10, 12, 14) */
	uint8_t ecs_source;                /* ECS source prefix length */
	uint16_t ecs_family;
	uint8_t nkeytags, ndau;
	uint16_t keytags[8]; /* RFC 8145 edns-key-tag option: the first 8 */
	uint8_t dau[16];     /* RFC 6975 DAU option: algorithms understood, the first 16 */
} ssr_dns_msg_t;

typedef enum {
	SSR_DNS_OK = 0,
	SSR_DNS_SHORT,     /* shorter than the 12-byte header */
	SSR_DNS_BAD_NAME,  /* label or name too long, bad label type, pointer out of range */
	SSR_DNS_LOOP,      /* compression pointers that loop */
	SSR_DNS_TRUNCATED, /* sections claim more than the message holds */
	SSR_DNS_REASON_COUNT
} ssr_dns_status_t;

/* Parse the header, the first question and (walking the other records) the EDNS OPT record. */
ssr_dns_status_t ssr_dns_parse(const uint8_t *m, size_t n, ssr_dns_msg_t *out);
const char *ssr_dns_status_name(ssr_dns_status_t s);

/* ---- packets ------------------------------------------------------------------------------ */

typedef enum {
	SSR_MAL_LINK = 0,        /* link header cut or unknown */
	SSR_MAL_IP,              /* IP header cut, bad version or lengths */
	SSR_MAL_CHECKSUM,        /* bad IPv4 header, UDP or TCP checksum (verify_checksums only) */
	SSR_MAL_FRAGMENT,        /* a bad fragment: not a multiple of 8 bytes, beyond 65535 */
	SSR_MAL_FRAG_OVERLAP,    /* fragments overlapping with other bytes: the datagram dropped */
	SSR_MAL_FRAG_INCOMPLETE, /* a datagram whose fragments never all came */
	SSR_MAL_TRANSPORT,       /* UDP/TCP header cut or bad lengths */
	SSR_MAL_SNAPLEN,         /* payload cut by the capture's snaplen */
	SSR_MAL_TCP_GAP,         /* TCP stream bytes never captured: the stream resumed after */
	SSR_MAL_TCP_PARTIAL,     /* a DNS message over TCP left unfinished (gap, FIN, idle, end) */
	SSR_MAL_REASM_MEMORY,    /* data dropped because the reassembly memory cap was reached */
	SSR_MAL_DNS_SHORT,
	SSR_MAL_DNS_NAME,
	SSR_MAL_DNS_LOOP,
	SSR_MAL_DNS_TRUNCATED,
	SSR_MAL_TCP_RESYNC, /* a TCP segment after a gap that no DNS framing could be found in */
	SSR_MAL_COUNT
} ssr_mal_t;

const char *ssr_mal_name(ssr_mal_t m);

typedef struct {
	int64_t ts_sec;
	uint8_t af;    /* 4 or 6 */
	uint8_t proto; /* 17 UDP, 6 TCP */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	const uint8_t *dns; /* the DNS message (over TCP: without its length prefix) */
	size_t dns_len;
	const ssr_dns_msg_t *msg;
} ssr_dns_pkt_t;

typedef void (*ssr_dns_pkt_fn)(const ssr_dns_pkt_t *p, void *ctx);

/* Link types (the pcap LINKTYPE_ values this decoder knows). */
#define SSR_LINK_NULL      0
#define SSR_LINK_ETHERNET  1
#define SSR_LINK_RAW       101
#define SSR_LINK_LOOP      108
#define SSR_LINK_LINUX_SLL 113
#define SSR_LINK_IPV4      228
#define SSR_LINK_IPV6      229
#define SSR_LINK_SLL2      276

struct ssr_reasm; /* fragment and stream reassembly state (reasm.c) */

typedef struct {
	uint16_t ports[8];      /* DNS ports; 0-terminated; empty: 53 */
	bool verify_checksums;  /* count and drop bad IPv4/UDP/TCP checksums (default: as tshark,
	                           not) */
	size_t reasm_max_bytes; /* memory for fragments and TCP streams held (default 128 MiB) */
	unsigned
	    reasm_timeout; /* seconds of capture time an idle datagram or stream is kept (30) */
	uint64_t malformed[SSR_MAL_COUNT];
	uint64_t packets, not_dns, dns_messages;
	uint64_t port853, port443; /* UDP/TCP packets to or from 853 (DoT) and 443 (maybe DoH) */
	/* reassembly: fragments taken, datagrams made whole, TCP segments whose bytes were held
	 * (a message begun or out of order), messages made of several segments, segments carrying
	 * only bytes already seen (retransmissions) */
	uint64_t fragments, datagrams, tcp_held, tcp_multi, tcp_retransmits;
	struct ssr_reasm *reasm;
	/* shards (issue 23): with shards > 1 only the packets of shard's flows are decoded and
	 * counted: an IP packet belongs to the shard its address pair hashes to (both directions,
	 * every fragment and segment of a flow in one shard, so reassembly stays exact), a packet
	 * without addresses to shard 0; every packet still moves the reassembly clock, so idle
	 * flows expire as in one run.  The shards' states merge into the single run's figures
	 * (while the reassembly memory cap is not reached). */
	uint32_t shard, shards;
} ssr_decoder_t;

void ssr_decoder_init(ssr_decoder_t *d);
/* Decode one captured packet (caplen bytes of an orig_len one); every DNS message in it goes to
 * fn (several for a TCP segment carrying several; a message completed by this packet's
 * fragment or segment).  IP fragments and TCP streams are reassembled within the memory cap;
 * datagrams and streams idle for reasm_timeout seconds are closed and what they held counted. */
void ssr_decode(ssr_decoder_t *d, int linktype, int64_t ts_sec, const uint8_t *p, size_t caplen,
                size_t orig_len, ssr_dns_pkt_fn fn, void *ctx);
/* The end of the input: streams with out-of-order bytes deliver what follows their gaps, then
 * everything still held is counted (fragment-incomplete, tcp-partial) and freed. */
void ssr_decoder_finish(ssr_decoder_t *d, ssr_dns_pkt_fn fn, void *ctx);
/* Free the reassembly state without counting (after finish, or on an error path). */
void ssr_decoder_release(ssr_decoder_t *d);

/* ---- captures ----------------------------------------------------------------------------- */

typedef struct {
	uint64_t packets, bytes;
	int linktype;
} ssr_capture_stats_t;

/* Read a capture (pcap or pcapng; plain, gzip, zstd; "-" stdin) through the decoder.  A file
 * that is not a capture is SSR_EPARSE naming it; a truncated one stops at the cut (counted by
 * libpcap as an error: SSR_ECORRUPT with what was read kept). */
int ssr_capture_read(const char *path, ssr_decoder_t *d, ssr_dns_pkt_fn fn, void *ctx,
                     ssr_capture_stats_t *st, ssr_diag_t *diag) SSR_CHECK;

/* One decoding worker of ssr_capture_read_workers: its decoder (shard and shards set: which
 * flows are its) and where its DNS messages go. */
typedef struct {
	ssr_decoder_t *dec;
	ssr_dns_pkt_fn fn;
	void *ctx;
} ssr_capture_worker_t;

#define SSR_CAPTURE_MAX_WORKERS 64

/* The captures read once (as ssr_capture_read reads them, one stream of packets), every packet
 * handed in batches to each of n worker threads, which decode their shard's flows and move
 * their reassembly clock on the others' (ssr_decoder_t.shard): the workers' states merge into
 * one reader's figures.  Worker k's decoder must be shard base + k m of m n (base of m: the
 * caller's own shard, 0 of 1 when it has none).  Each worker's decoder is finished at the end.  A
 * truncated capture is a warning through log (its packets before the cut counted); another error
 * stops. Errors: ssr_capture_read's, SSR_EINVAL (no workers, more than SSR_CAPTURE_MAX_WORKERS, a
 * worker's shard not as above), SSR_EIO (a thread), SSR_ENOMEM. */
int ssr_capture_read_workers(const char *const *paths, size_t npaths, ssr_capture_worker_t *w,
                             unsigned n, const ssr_log_t *log, ssr_diag_t *diag) SSR_CHECK;

/* ---- RSSAC002 metrics ------------------------------------------------------------------- */

typedef struct ssr_rssac ssr_rssac_t;

/* interval: seconds per period (86400: the RSSAC002 day; 3600 hourly).
 * Errors: SSR_ENOMEM. */
int ssr_rssac_new(unsigned interval, ssr_rssac_t **out) SSR_CHECK SSR_NONNULL(2);
void ssr_rssac_free(ssr_rssac_t *r);
/* The served zone's depth for the QNAME-minimisation signal: 0 a root server (a minimised
 * query has one label), 1 a TLD server (two). */
void ssr_rssac_set_depth(ssr_rssac_t *r, unsigned depth);
/* Unique sources as HyperLogLog sketches (2^14 registers, standard error 0.81%, constant
 * memory) instead of exact sets; before the first message. */
void ssr_rssac_set_approx(ssr_rssac_t *r, bool approx);
bool ssr_rssac_approx(const ssr_rssac_t *r);
unsigned ssr_rssac_interval(const ssr_rssac_t *r);
unsigned ssr_rssac_depth(const ssr_rssac_t *r);
/* Count one DNS message (a decoder callback: ctx is the ssr_rssac_t). */
void ssr_rssac_add(const ssr_dns_pkt_t *p, void *ctx);
/* The intermediate state (every period's counters, source sets or sketches, and the decoder's
 * counts) to a file, written whole then renamed (docs/FORMATS.md).
 * Errors: SSR_EIO (writing), SSR_ENOMEM. */
int ssr_rssac_save(const ssr_rssac_t *r, const ssr_decoder_t *d, const char *path,
                   ssr_diag_t *diag) SSR_CHECK;
/* Add a saved state (plain, gzip, zstd or "-") into r and d: counters summed, sets united,
 * sketches by register maximum, periods folded into r's interval (a multiple of the state's).
 * Exact states merge into sketches; sketches do not merge into exact sets.  A state made with
 * another --zone-depth, or bad, truncated or corrupt (CRC), is an error naming the offset.
 * Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (not an RSSAC state), SSR_EINVAL (a state
 * of other settings: interval, depth, approximation), SSR_ENOMEM. */
int ssr_rssac_merge(ssr_rssac_t *r, ssr_decoder_t *d, const char *path, ssr_diag_t *diag) SSR_CHECK;
/* Every period's metrics as JSON: [{start, traffic-volume {...}, traffic-sizes {...},
 * rcode-volume {...}, unique-sources {...}, privacy {...}}], plus the decoder's counts
 * (packets, encrypted_ports 853/443, malformed by reason). */
json_t *ssr_rssac_json(const ssr_rssac_t *r, const ssr_decoder_t *d);
/* RSSAC002 v3 YAML: one document per metric per period.
 * Errors: SSR_EIO (writing failed), SSR_ENOMEM. */
int ssr_rssac_yaml(const ssr_rssac_t *r, const char *service, FILE *out) SSR_CHECK;
/* The same as files, one per metric per period: DIR/<svc>-<YYYYMMDD>-<metric>.yaml (hourly:
 * YYYYMMDDHH), <svc> "a-root" for a.root-servers.net; each written whole, then renamed.
 * Errors: SSR_EIO (writing failed), SSR_ENOMEM. */
int ssr_rssac_yaml_dir(const ssr_rssac_t *r, const char *service, const char *dir,
                       ssr_diag_t *diag) SSR_CHECK;

enum { SSR_STATE_RSSAC = 1, SSR_STATE_COLLISIONS, SSR_STATE_ANCHORS };
/* What a state file holds (by its magic): SSR_STATE_RSSAC (traffic stats),
 * SSR_STATE_COLLISIONS, SSR_STATE_ANCHORS; or an error naming the file: SSR_ENOTFOUND or
 * SSR_EIO (the file), SSR_EPARSE (not an ssrwatch traffic state). */
int ssr_traffic_state_kind(const char *path, ssr_diag_t *diag) SSR_CHECK;

/* The head of a traffic shard state (issue 23): kind "traffic.stats", "traffic.collisions" or
 * "traffic.anchors" (from SSR_STATE_*), the options that change the figures (decoder settings,
 * interval, zone depth, exact or approximate, the root zone's path and size), the captures
 * with their sizes, the shard count.  The payload is the engine's own state of the shard's
 * flows (ssr_decoder_t.shard).  Release with ssr_state_head_release.
 * Errors: SSR_EINVAL (standard input, a missing capture, an unknown kind), SSR_ENOMEM. */
int ssr_traffic_state_head(int kind, const ssr_decoder_t *d, unsigned interval, unsigned depth,
                           bool approx, const char *root, const char *const *paths, size_t n,
                           uint32_t shards, ssr_state_head_t *h, ssr_diag_t *diag) SSR_CHECK;

/* ---- name collisions (SSR2 Rec 28) -------------------------------------------------------- */

typedef struct ssr_collisions ssr_collisions_t;

/* The delegated TLDs from a root zone file (NS records of one-label owners); NULL: none yet,
 * for merging states (the first one brings its TLDs).
 * Errors: the root zone reader's (SSR_ENOTFOUND, SSR_EIO, SSR_EPARSE with file and line),
 * SSR_ENOMEM. */
int ssr_collisions_new(const char *root_zone, ssr_collisions_t **out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(2);
void ssr_collisions_free(ssr_collisions_t *c);
/* Count one DNS message (a decoder callback: ctx is the ssr_collisions_t): queries whose TLD
 * the root zone does not delegate. */
void ssr_collisions_add(const ssr_dns_pkt_t *p, void *ctx);
/* {delegated_tlds, queries, undelegated_queries, undelegated_share, undelegated_tlds,
 * untracked_queries, tlds: [{tld, queries, sources, second_level_labels, top_second_level
 * [{label, queries}], qtypes {...}, reserved}]} ranked by queries; top 0: every TLD. */
json_t *ssr_collisions_json(const ssr_collisions_t *c, unsigned top);
/* The state (every undelegated TLD's counters, label counts, source addresses, and the root
 * zone's TLDs) for 'traffic merge'; written whole then renamed.
 * Errors: SSR_EIO (writing), SSR_ENOMEM. */
int ssr_collisions_save(const ssr_collisions_t *c, const char *path, ssr_diag_t *diag) SSR_CHECK;
/* Add a saved state: counts add, labels and sources unite (within the same caps as counting:
 * labels past 10,000 per TLD go to the overflow).  A state made against another root zone, or
 * bad, is an error naming the offset.
 * Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (not a collisions state), SSR_ENOMEM. */
int ssr_collisions_merge(ssr_collisions_t *c, const char *path, ssr_diag_t *diag) SSR_CHECK;

/* ---- trust anchor telemetry (SSR2 Rec 21, 27) ---------------------------------------------- */

typedef struct ssr_anchors ssr_anchors_t;

/* Errors: SSR_ENOMEM. */
int ssr_anchors_new(ssr_anchors_t **out) SSR_CHECK SSR_NONNULL(1);
void ssr_anchors_free(ssr_anchors_t *a);
/* Count one DNS message (a decoder callback: ctx is the ssr_anchors_t). */
void ssr_anchors_add(const ssr_dns_pkt_t *p, void *ctx);
/* {queries, do_queries, do_share, ta_queries {keytag: {queries, resolvers}}, edns_key_tag
 * {keytag: {queries, resolvers}}, sentinel {"is-ta-20326": {queries, resolvers}, ...},
 * dau_algorithms {alg: resolvers}}; NULL out of memory. */
json_t *ssr_anchors_json(const ssr_anchors_t *a);
/* The state (counters, per key tag the resolvers' addresses) for 'traffic merge'; and adding a
 * saved one (counts add, resolver sets unite).  As ssr_collisions_save/merge.
 * Errors: SSR_EIO (writing), SSR_ENOMEM. */
int ssr_anchors_save(const ssr_anchors_t *a, const char *path, ssr_diag_t *diag) SSR_CHECK;
/* Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (not a trust-anchor state), SSR_ENOMEM.
 */
int ssr_anchors_merge(ssr_anchors_t *a, const char *path, ssr_diag_t *diag) SSR_CHECK;
