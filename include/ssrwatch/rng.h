/* ssrwatch — a small deterministic random generator (splitmix64) for the data generators:
 * the same seed gives the same bytes on every machine. */
#pragma once

#include <stdint.h>

typedef struct {
	uint64_t s;
} ssr_rng_t;

static inline uint64_t ssr_rng_next(ssr_rng_t *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static inline double ssr_rng_unit(ssr_rng_t *r)
{
	return (double)(ssr_rng_next(r) >> 11) / 9007199254740992.0;
}

/* Uniform in [0, n). */
static inline unsigned ssr_rng_below(ssr_rng_t *r, unsigned n)
{
	return (unsigned)(ssr_rng_next(r) % n);
}
