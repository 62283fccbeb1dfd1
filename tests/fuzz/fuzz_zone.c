/* libFuzzer target: the zone reader (both engines) and the statistics on arbitrary bytes.
 * The first byte picks engine, keep_going and the owner index; with bit 3 set the file is read
 * by both engines instead and, when both read it whole, their records must be the same (the
 * fast path is tested against libzscanner, and the tokenizer's kernels against each other);
 * the rest is the zone file. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ssrwatch/zonestats.h"

static ssr_psl_t *psl;

/* Every record as bytes (owner, type, class, TTL, rdata), one after the other. */
typedef struct {
	uint8_t *p;
	size_t n, cap;
} recs_t;

static int keep(const ssr_zone_rr_t *rr, void *ctx)
{
	recs_t *r = ctx;
	size_t need = r->n + rr->owner_len + rr->rdata_len + 16;
	if (need > r->cap) {
		size_t cap = need * 2;
		uint8_t *p = realloc(r->p, cap);
		if (!p) {
			abort();
		}
		r->p = p;
		r->cap = cap;
	}
	uint8_t *o = r->p + r->n;
	memcpy(o, rr->owner, rr->owner_len);
	o += rr->owner_len;
	memcpy(o, &rr->type, 2);
	memcpy(o + 2, &rr->rclass, 2);
	memcpy(o + 4, &rr->ttl, 4);
	memcpy(o + 8, &rr->rdata_len, 2);
	o += 10;
	memcpy(o, rr->rdata, rr->rdata_len);
	r->n = (size_t)(o + rr->rdata_len - r->p);
	return SSR_EOK;
}

static void compare_engines(const char *path)
{
	recs_t a = {0}, b = {0};
	ssr_zone_opts_t o = {.no_include = true, .origin = "fuzz."};
	ssr_zone_read_stats_t sa, sb;
	ssr_diag_t d;
	o.engine = SSR_ZONE_ENGINE_AUTO;
	int ra = ssr_zone_read(path, &o, keep, &a, &sa, &d);
	o.engine = SSR_ZONE_ENGINE_ZSCANNER;
	int rb = ssr_zone_read(path, &o, keep, &b, &sb, &d);
	if (ra == SSR_EOK && rb == SSR_EOK && (a.n != b.n || memcmp(a.p, b.p, a.n) != 0)) {
		abort(); /* the fast path read a file otherwise than libzscanner */
	}
	/* the tokenizer's kernels: the same records and the same outcome as the automatic one */
	static const ssr_zone_simd_t kernels[] = {SSR_ZONE_SIMD_SCALAR, SSR_ZONE_SIMD_SSE2,
	                                          SSR_ZONE_SIMD_AVX2};
	o.engine = SSR_ZONE_ENGINE_AUTO;
	for (size_t k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
		if (kernels[k] == SSR_ZONE_SIMD_AVX2 && !__builtin_cpu_supports("avx2")) {
			continue;
		}
		recs_t c = {0};
		o.simd = kernels[k];
		int rc = ssr_zone_read(path, &o, keep, &c, &sb, &d);
		if (rc != ra || c.n != a.n || (c.n > 0 && memcmp(a.p, c.p, a.n) != 0)) {
			abort(); /* a kernel tokenized otherwise */
		}
		free(c.p);
	}
	free(a.p);
	free(b.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) {
		return 0;
	}
	if (psl == NULL && ssr_psl_new(NULL, &psl, NULL) != SSR_EOK) {
		abort();
	}
	int fd = memfd_create("zone", 0);
	if (fd < 0) {
		return 0;
	}
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (data[0] & 8) {
		compare_engines(path);
		close(fd);
		return 0;
	}
	ssr_zone_analyze_opts_t o = {0};
	o.read.engine = (data[0] & 1) ? SSR_ZONE_ENGINE_ZSCANNER : SSR_ZONE_ENGINE_AUTO;
	o.read.keep_going = (data[0] & 2) != 0;
	o.read.no_include = true;
	o.read.origin = "fuzz.";
	o.stats.psl = psl;
	o.stats.owner_index = (data[0] & 4) != 0;
	json_t *out = NULL;
	ssr_diag_t diag;
	if (ssr_zone_stats_analyze(path, &o, &out, &diag) == SSR_EOK) {
		json_decref(out);
	}
	close(fd);
	return 0;
}
