/* libFuzzer target: the traffic state readers (traffic merge: stats, collisions and
 * trust-anchors states) on arbitrary bytes.  The first byte picks the reader (bits 3-4), the
 * stats target (exact or --approx, day or hour) and whether the CRC at the end is made right
 * (so that mutations reach the checks past it); the rest is the state file.
 * After a failed merge nothing is checked but the absence of crashes and leaks; after a good
 * one the result must serialise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ssrwatch/traffic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 300000) {
		return 0;
	}
	uint8_t flags = data[0];
	uint8_t *st = malloc(size - 1 + 1);
	if (!st) {
		return 0;
	}
	memcpy(st, data + 1, size - 1);
	size_t n = size - 1;
	if ((flags & 2) && n >= 4) {
		uint32_t c = (uint32_t)crc32(crc32(0, NULL, 0), st, (uInt)(n - 4));
		for (int i = 0; i < 4; i++) {
			st[n - 4 + (size_t)i] = (uint8_t)(c >> (8 * i));
		}
	}
	char path[64];
	snprintf(path, sizeof path, "/dev/shm/ssrwatch-fuzz-state-%d", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (!f) {
		free(st);
		return 0;
	}
	fwrite(st, 1, n, f);
	fclose(f);
	free(st);
	ssr_diag_t diag = {0};
	unsigned reader = (flags >> 3) % 3;
	if (reader != 0) {
		ssr_collisions_t *c = NULL;
		ssr_anchors_t *a = NULL;
		int rc = reader == 1 ? ssr_collisions_new(NULL, &c, &diag) : ssr_anchors_new(&a);
		if (rc == SSR_EOK) {
			rc = c ? ssr_collisions_merge(c, path, &diag)
			       : ssr_anchors_merge(a, path, &diag);
			json_t *j = rc != SSR_EOK ? NULL
			            : c           ? ssr_collisions_json(c, 0)
			                          : ssr_anchors_json(a);
			if ((rc == SSR_EOK && !j) || (rc != SSR_EOK && diag.msg[0] == 0)) {
				abort();
			}
			json_decref(j);
		}
		ssr_collisions_free(c);
		ssr_anchors_free(a);
		remove(path);
		return 0;
	}
	ssr_rssac_t *r;
	if (ssr_rssac_new((flags & 4) ? 3600 : 86400, &r) != SSR_EOK) {
		remove(path);
		return 0;
	}
	ssr_rssac_set_approx(r, flags & 1);
	ssr_decoder_t d;
	ssr_decoder_init(&d);
	if (ssr_rssac_merge(r, &d, path, &diag) == SSR_EOK) {
		json_t *j = ssr_rssac_json(r, &d);
		if (!j) {
			abort();
		}
		json_decref(j);
	} else if (diag.msg[0] == 0) {
		abort(); /* an error always says what */
	}
	ssr_rssac_free(r);
	remove(path);
	return 0;
}
