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
