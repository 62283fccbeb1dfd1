/* libFuzzer target: the zone reader (both engines) and the statistics on arbitrary bytes.
 * The first byte picks engine and keep_going; the rest is the zone file. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ssrwatch/zonestats.h"

static ssr_psl_t *psl;

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
