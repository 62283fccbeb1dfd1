/* libFuzzer target: shard states (libssr state.c) and the payloads they carry: zone.stats
 * (libzone: ssr_zone_stats_load, the parts' combination) and regress.run (libregress: the
 * verdicts of a run of 1..4 targets over two suites of three cases).  The first byte: bit 0 set
 * recomputes the CRC at the end so that mutations reach the payload parsers; the rest is one
 * state file. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "ssrwatch/regress.h"
#include "ssrwatch/state.h"
#include "ssrwatch/zonestats.h"

static ssr_psl_t *psl;
static ssr_regress_case_t cases[2][3];
static ssr_regress_suite_t suites[2];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > (1u << 20)) {
		return 0;
	}
	if (psl == NULL && ssr_psl_new(NULL, &psl, NULL) != SSR_EOK) {
		abort();
	}
	size_t n = size - 1;
	uint8_t *b = malloc(n ? n : 1);
	if (!b) {
		return 0;
	}
	memcpy(b, data + 1, n);
	if ((data[0] & 1) && n >= 4) {
		uint32_t crc = (uint32_t)crc32(0L, b, (uInt)(n - 4));
		b[n - 4] = (uint8_t)crc;
		b[n - 3] = (uint8_t)(crc >> 8);
		b[n - 2] = (uint8_t)(crc >> 16);
		b[n - 1] = (uint8_t)(crc >> 24);
	}
	int fd = memfd_create("state", 0);
	if (fd < 0 || write(fd, b, n) != (ssize_t)n) {
		if (fd >= 0) {
			close(fd);
		}
		free(b);
		return 0;
	}
	free(b);
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	const char *paths[1] = {path};
	ssr_state_set_t set;
	ssr_diag_t d;
	if (ssr_state_gather(paths, 1, &set, &d) == SSR_EOK) {
		ssr_zone_analyze_opts_t ao;
		memset(&ao, 0, sizeof ao);
		ao.stats.psl = psl;
		json_t *zones = NULL;
		if (ssr_zone_stats_combine(&set, &ao, &zones, &d) == SSR_EOK && zones == NULL) {
			abort(); /* success always gives the reports */
		}
		json_decref(zones);
		if (suites[0].ncases == 0) {
			for (int i = 0; i < 2; i++) {
				snprintf(suites[i].name, sizeof suites[i].name, "s%d", i);
				suites[i].cases = cases[i];
				suites[i].ncases = 3;
				for (int k = 0; k < 3; k++) {
					snprintf(cases[i][k].id, sizeof cases[i][k].id, "c%d", k);
				}
			}
		}
		ssr_regress_target_t *tg = NULL;
		ssr_regress_result_t *res = NULL;
		size_t nres = 0;
		uint32_t nt = 1 + (data[0] >> 1 & 3);
		if (ssr_regress_shard_combine(&set, suites, 2, nt, &tg, &res, &nres, &d) ==
		        SSR_EOK &&
		    nres != nt * 6) {
			abort(); /* success is every verdict of every target */
		}
		free(tg);
		free(res);
		ssr_state_set_release(&set);
	}
	close(fd);
	return 0;
}
