/* libFuzzer target: shard states (libssr state.c) and the zone.stats payloads they carry
 * (libzone: ssr_zone_stats_load, the parts' combination).  The first byte: bit 0 set
 * recomputes the CRC at the end so that mutations reach the payload parsers; the rest is one
 * state file. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "ssrwatch/state.h"
#include "ssrwatch/zonestats.h"

static ssr_psl_t *psl;

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
		ssr_state_set_release(&set);
	}
	close(fd);
	return 0;
}
