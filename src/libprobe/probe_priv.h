/* ssrwatch — what libprobe's files share.  Private to libprobe. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/probe.h"

#pragma GCC visibility push(hidden)

/* n bytes from the kernel's random source (getrandom), through a per-thread pool. */
void probe_random(void *buf, size_t n);
uint16_t probe_random16(void);
/* The size of the question section of a well-formed message (msg, len), from offset 12; 0 when
 * it has none or it does not fit. */
size_t probe_question_size(const uint8_t *msg, size_t len);
/* A message parsed by libknot over a private copy (libknot may adjust its view of the wire):
 * *pkt to use, probe_pkt_close after.  Errors: SSR_EPARSE (diag: "response: not a DNS
 * message: ..."), SSR_ENOMEM. */
struct knot_pkt;
int probe_pkt_open(const uint8_t *msg, size_t len, struct knot_pkt **pkt, ssr_diag_t *diag);
void probe_pkt_close(struct knot_pkt *pkt);

/* The records put so far: an engine writing to w numbers its exchanges from there, so that
 * engines run one after the other on one file give every exchange its position in it. */
uint64_t probe_rec_count(const ssr_probe_rec_t *w);

/* Microseconds: CLOCK_MONOTONIC and CLOCK_REALTIME. */
uint64_t probe_mono_us(void);
int64_t probe_utc_us(void);

#pragma GCC visibility pop
