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
/* Microseconds: CLOCK_MONOTONIC and CLOCK_REALTIME. */
uint64_t probe_mono_us(void);
int64_t probe_utc_us(void);

#pragma GCC visibility pop
