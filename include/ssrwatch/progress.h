/* ssrwatch — a progress bar (bytes, rate, ETA) drawn on a terminal stream. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
	FILE *out; /* NULL: disabled */
	const char *label;
	uint64_t total; /* 0 if unknown */
	uint64_t done;
	double started; /* monotonic seconds */
	double last_draw;
	bool drawn;
} ssr_progress_t;

/* Enabled only when out is a terminal and total >= min_total (or force). */
void ssr_progress_init(ssr_progress_t *p, FILE *out, const char *label, uint64_t total,
                       uint64_t min_total, bool force);
void ssr_progress_update(ssr_progress_t *p, uint64_t done);
void ssr_progress_finish(ssr_progress_t *p);
double ssr_monotonic(void);
/* "12.3 MB", "1.2 GB": human-readable byte count. */
void ssr_format_bytes(uint64_t bytes, char *out, size_t cap);
