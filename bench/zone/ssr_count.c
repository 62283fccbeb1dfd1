/* The ssrwatch zone reader alone (AUTO engine, one thread): counts records, nothing else.  What
 * the reader costs without the statistics, beside zscan-count and simdzone's `zone-bench parse`
 * (which also only parse and count); linked against libssrzone only, so it starts with a
 * fraction of the ssrwatch binary's shared libraries. */
#include <stdio.h>
#include <string.h>

#include "ssrwatch/zone.h"

static int on_record(const ssr_zone_rr_t *rr, void *ctx)
{
	(void)rr;
	(*(unsigned long long *)ctx)++;
	return SSR_EOK;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: ssr-count ORIGIN FILE [auto|sse2|avx2|scalar]\n");
		return 2;
	}
	ssr_zone_opts_t o = {.origin = argv[1]};
	if (argc == 4) {
		static const char *const k[] = {"auto", "sse2", "avx2", "scalar"};
		unsigned i = 0;
		while (i < 4 && strcmp(argv[3], k[i]) != 0) {
			i++;
		}
		if (i == 4) {
			fprintf(stderr, "ssr-count: unknown kernel '%s'\n", argv[3]);
			return 2;
		}
		o.simd = (ssr_zone_simd_t)i;
	}
	unsigned long long n = 0;
	ssr_zone_read_stats_t st;
	ssr_diag_t d;
	int rc = ssr_zone_read(argv[2], &o, on_record, &n, &st, &d);
	if (rc != SSR_EOK) {
		fprintf(stderr, "ssr-count: %s\n", d.msg);
		return 1;
	}
	printf("%llu records, %llu on the fast path\n", n, (unsigned long long)st.fast_records);
	return 0;
}
