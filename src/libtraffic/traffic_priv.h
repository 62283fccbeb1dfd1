/* libtraffic internals: the exact address sets of rssac.c and anchors.c. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* A set of 16-byte keys (IPv4 addresses zero-padded). */
typedef struct {
	uint8_t (*keys)[16];
	uint8_t *used;
	size_t cap, count;
} aset_t;

/* SSR_EOK or SSR_ENOMEM (the set is then unchanged). */
int traffic_aset_add(aset_t *s, const uint8_t *key);
void traffic_aset_free(aset_t *s);
