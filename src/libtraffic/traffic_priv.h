/* libtraffic internals: the exact address sets of rssac.c and anchors.c, and the hooks between
 * the packet decoder (decode.c) and reassembly (reasm.c). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/traffic.h"

/* A set of 16-byte keys (IPv4 addresses zero-padded). */
typedef struct {
	uint8_t (*keys)[16];
	uint8_t *used;
	size_t cap, count;
} aset_t;

/* SSR_EOK or SSR_ENOMEM (the set is then unchanged). */
int traffic_aset_add(aset_t *s, const uint8_t *key);
void traffic_aset_free(aset_t *s);

/* HyperLogLog: TRAFFIC_HLL_M one-byte registers (sets.c). */
#define TRAFFIC_HLL_P 14
#define TRAFFIC_HLL_M (1u << TRAFFIC_HLL_P)
void traffic_hll_add(uint8_t *reg, const uint8_t *key);
uint64_t traffic_hll_count(const uint8_t *reg);

/* decode.c: one DNS message of a packet to fn (or counted malformed). */
void traffic_message(ssr_decoder_t *d, ssr_dns_pkt_t *pk, const uint8_t *m, size_t n,
                     ssr_dns_pkt_fn fn, void *ctx);
/* decode.c: a whole IP payload (a reassembled datagram) whose next header is nh. */
void traffic_datagram(ssr_decoder_t *d, ssr_dns_pkt_t *pk, uint8_t nh, const uint8_t *p, size_t len,
                      ssr_dns_pkt_fn fn, void *ctx);

/* reasm.c: one fragment (offset and length in bytes) of the datagram pk->af/src/dst + id; the
 * datagram goes to traffic_datagram when this one completes it.  nh: the protocol (IPv4) or
 * the fragment header's next header (IPv6). */
void traffic_frag(ssr_decoder_t *d, ssr_dns_pkt_t *pk, uint32_t id, uint8_t nh, size_t off,
                  bool more, const uint8_t *data, size_t len, ssr_dns_pkt_fn fn, void *ctx);
/* reasm.c: one TCP segment of a DNS flow (flags: the TCP flags byte). */
void traffic_tcp(ssr_decoder_t *d, ssr_dns_pkt_t *pk, uint32_t seq, uint8_t flags,
                 const uint8_t *data, size_t len, ssr_dns_pkt_fn fn, void *ctx);
/* reasm.c: close what has been idle for the timeout at capture time ts. */
void traffic_reasm_expire(ssr_decoder_t *d, int64_t ts, ssr_dns_pkt_fn fn, void *ctx);

/* ---- RSSAC002 periods (rssac.c), saved and merged by state.c ---- */

#define RSSAC_SIZE_BINS 4096 /* 16-byte bins up to 65535 */

typedef struct {
	int64_t start;
	uint64_t vol[2][2][2]; /* [tcp][ipv6][response] */
	uint64_t *sizes;       /* [tcp][response][bin] */
	uint64_t rcodes[4096];
	aset_t src[3];   /* IPv4, IPv6, IPv6 /64 */
	uint8_t *hll[3]; /* the same as sketches (--approx); NULL when exact */
	/* privacy signals (Rec 29, 31), over queries */
	uint64_t queries, named, minimised, ecs, cookie, padding, edns;
	uint64_t ecs_len[2][129]; /* [ipv6][source prefix length] */
} rssac_period_t;

/* The period holding time ts (created, in time order); NULL out of memory. */
rssac_period_t *traffic_rssac_period(ssr_rssac_t *r, int64_t ts);
size_t traffic_rssac_periods(ssr_rssac_t *r, rssac_period_t **p);
/* Count a source of kind k (0 IPv4, 1 IPv6, 2 IPv6 /64) in its set or sketch. */
void traffic_rssac_source(ssr_rssac_t *r, rssac_period_t *p, int k, const uint8_t *key);
void traffic_rssac_oom(ssr_rssac_t *r);
