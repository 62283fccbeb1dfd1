/* libFuzzer target: the store's abuse listing parts (src/libstore/listing.c) on arbitrary
 * bytes.  First byte bit 0: the rest is a whole blob; else the second byte is the row count
 * (mod 64) and the rest the decoded row bytes,
 * wrapped here in a right header and a zstd frame so that mutations reach the row decoder.
 * Whatever decodes is written again by the writer and must decode to the same rows. */
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "store_priv.h"

static void same_again(const store_lpart_t *p)
{
	store_lpart_writer_t w;
	store_lpart_writer_init(&w);
	ssr_diag_t d;
	for (size_t i = 0; i < p->n; i++) {
		ssr_abuse_row_t r;
		store_lpart_row(p, i, &r);
		if (store_lpart_add(&w, &r, &d) != SSR_EOK) {
			abort(); /* a decoded part is always in order and within the limits */
		}
	}
	uint8_t *blob = NULL;
	size_t len = 0;
	store_lpart_t q = {0};
	if (p->n > 0) {
		if (store_lpart_finish(&w, &blob, &len, &d) != SSR_EOK ||
		    store_lpart_decode(blob, len, "again", &q, &d) != SSR_EOK || q.n != p->n) {
			abort();
		}
		for (size_t i = 0; i < p->n; i++) {
			ssr_abuse_row_t a, b;
			store_lpart_row(p, i, &a);
			store_lpart_row(&q, i, &b);
			const char *sa[] = {a.domain, a.feeds, a.feed_first_seen, a.zone_first_seen,
			                    a.created};
			const char *sb[] = {b.domain, b.feeds, b.feed_first_seen, b.zone_first_seen,
			                    b.created};
			for (int k = 0; k < 5; k++) {
				if ((sa[k] == NULL) != (sb[k] == NULL) ||
				    (sa[k] && strcmp(sa[k], sb[k]) != 0)) {
					abort();
				}
			}
			if (a.listed != b.listed || a.in_zone != b.in_zone ||
			    a.categories != b.categories || a.registrar != b.registrar) {
				abort();
			}
		}
	}
	free(blob);
	store_lpart_release(&q);
	store_lpart_writer_release(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 1 << 20) {
		return 0;
	}
	uint8_t *blob = NULL;
	size_t len = 0;
	if (data[0] & 1) {
		blob = malloc(size);
		if (blob == NULL) {
			return 0;
		}
		memcpy(blob, data + 1, size - 1);
		len = size - 1;
	} else {
		if (size < 2) {
			return 0;
		}
		size_t raw = size - 2, bound = ZSTD_compressBound(raw);
		blob = malloc(bound + 32);
		if (blob == NULL) {
			return 0;
		}
		memcpy(blob, "SSRL\x01", 5);
		size_t o = 5;
		/* rows: the second byte's low bits; the row bytes follow it */
		uint64_t rows = data[1] % 64;
		for (uint64_t v = rows;; v >>= 7) {
			blob[o++] = (uint8_t)(v < 0x80 ? v : (v | 0x80));
			if (v < 0x80) {
				break;
			}
		}
		for (uint64_t v = raw;; v >>= 7) {
			blob[o++] = (uint8_t)(v < 0x80 ? v : (v | 0x80));
			if (v < 0x80) {
				break;
			}
		}
		size_t z = ZSTD_compress(blob + o, bound, data + 2, raw, 1);
		if (ZSTD_isError(z)) {
			free(blob);
			return 0;
		}
		len = o + z;
	}
	store_lpart_t p = {0};
	ssr_diag_t d;
	if (store_lpart_decode(blob, len, "fuzz", &p, &d) == SSR_EOK) {
		same_again(&p);
	}
	store_lpart_release(&p);
	free(blob);
	return 0;
}
