/* libtraffic internals: the exact address sets of rssac.c and anchors.c, and the hooks between
 * the packet decoder (decode.c) and reassembly (reasm.c). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include "ssrwatch/input.h"
#include "ssrwatch/traffic.h"

/* Library-internal: not part of the library's interface (hidden when built shared). */
#pragma GCC visibility push(hidden)

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

/* Where the reassembler (reasm.c) hands what it completes, filled by the decoder (decode.c): a
 * whole DNS message, a whole IP payload (a reassembled datagram) whose next header is nh, and
 * the user's packet callback.  The reassembler never calls the decoder by name. */
typedef struct traffic_sink {
	void (*message)(ssr_decoder_t *d, ssr_dns_pkt_t *pk, const uint8_t *m, size_t n,
	                const struct traffic_sink *out);
	void (*datagram)(ssr_decoder_t *d, ssr_dns_pkt_t *pk, uint8_t nh, const uint8_t *p,
	                 size_t len, const struct traffic_sink *out);
	ssr_dns_pkt_fn fn;
	void *ctx;
} traffic_sink_t;

/* reasm.c: one fragment (offset and length in bytes) of the datagram pk->af/src/dst + id; the
 * datagram goes to out->datagram when this one completes it.  nh: the protocol (IPv4) or the
 * fragment header's next header (IPv6). */
void traffic_frag(ssr_decoder_t *d, ssr_dns_pkt_t *pk, uint32_t id, uint8_t nh, size_t off,
                  bool more, const uint8_t *data, size_t len, const traffic_sink_t *out);
/* reasm.c: one TCP segment of a DNS flow (flags: the TCP flags byte). */
void traffic_tcp(ssr_decoder_t *d, ssr_dns_pkt_t *pk, uint32_t seq, uint8_t flags,
                 const uint8_t *data, size_t len, const traffic_sink_t *out);
/* reasm.c: close what has been idle for the timeout at capture time ts. */
void traffic_reasm_expire(ssr_decoder_t *d, int64_t ts, const traffic_sink_t *out);
/* reasm.c: close everything held (streams deliver what follows their gaps; the rest counted). */
void traffic_reasm_close_all(ssr_decoder_t *d, const traffic_sink_t *out);

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
size_t traffic_rssac_periods(const ssr_rssac_t *r, rssac_period_t **p);
/* Count a source of kind k (0 IPv4, 1 IPv6, 2 IPv6 /64) in its set or sketch. */
void traffic_rssac_source(ssr_rssac_t *r, rssac_period_t *p, int k, const uint8_t *key);

/* ---- state files (state.c): "MAGIC", u32 version, the body, CRC-32 ---- */

#define TRAFFIC_MAGIC_COLLISIONS "SSRWCOLL"
#define TRAFFIC_MAGIC_ANCHORS    "SSRWANCH"

typedef struct {
	FILE *f;
	unsigned long crc;
	char tmp[4200];
} traffic_wr_t;

int traffic_wr_open(traffic_wr_t *w, const char *path, const char magic[8], ssr_diag_t *diag);
void traffic_w_bytes(traffic_wr_t *w, const void *p, size_t n);
void traffic_w_u64(traffic_wr_t *w, uint64_t v);
void traffic_w_u32(traffic_wr_t *w, uint32_t v);
/* (u32 count, then u16 index + u64 value) for the non-zero entries of v[0..n) */
void traffic_w_sparse(traffic_wr_t *w, const uint64_t *v, size_t n);
/* u64 count, then the keys' first width bytes */
void traffic_w_aset(traffic_wr_t *w, const aset_t *s, size_t width);
/* The CRC, then FILE.tmp renamed to FILE. */
int traffic_wr_close(traffic_wr_t *w, const char *path, ssr_diag_t *diag);

typedef struct {
	ssr_input_t *in;
	const char *path;
	uint8_t buf[65536];
	size_t pos, len;
	uint64_t off; /* of the next byte */
	unsigned long crc;
	ssr_diag_t *diag;
	int err; /* the first error; reads after it do nothing */
} traffic_rd_t;

/* Open and check the magic and version. */
int traffic_rd_open(traffic_rd_t **r, const char *path, const char magic[8], ssr_diag_t *diag);
int traffic_rd_bad(traffic_rd_t *r, const char *why);
int traffic_r_bytes(traffic_rd_t *r, void *out, size_t n);
uint64_t traffic_r_uint(traffic_rd_t *r, int bytes);
void traffic_r_sparse(traffic_rd_t *r, uint64_t *v, size_t n);
void traffic_r_aset(traffic_rd_t *r, aset_t *s, size_t width, bool *oom);
/* The CRC matches and nothing follows: SSR_EOK, or the error. */
int traffic_rd_finish(traffic_rd_t *r);
void traffic_rd_free(traffic_rd_t *r);

#pragma GCC visibility pop
